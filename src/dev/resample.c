/*
 * resample.c - separable area-average / bilinear scaling of grey images
 * (see resample.h). Weights are 8-bit fixed point summing to 256 per
 * output sample; the vertical pass runs first, along whole rows.
 */
#include "dev/resample.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define TAPS 6 /* input samples one output sample reads, at most (scale >= 1/4) */

/* The taps of one axis: output i reads count[i] inputs from start[i]. */
typedef struct axis {
	int32_t *start;
	uint8_t *count;
	uint16_t *weight;        /* TAPS per output */
	size_t cap;
} axis;

struct tqk_resampler {
	axis x, y;
	uint32_t *acc;           /* one row being summed */
	uint8_t *mid;            /* the image after the vertical pass */
	size_t acc_cap, mid_cap;
};

tqk_resampler *tqk_resampler_new(void)
{
	return calloc(1, sizeof(tqk_resampler));
}

static void axis_free(axis *a)
{
	free(a->start);
	free(a->count);
	free(a->weight);
}

void tqk_resampler_free(tqk_resampler *r)
{
	if (r == NULL)
		return;
	axis_free(&r->x);
	axis_free(&r->y);
	free(r->acc);
	free(r->mid);
	free(r);
}

static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n <= *cap)
		return true;
	void *q = realloc(*p, n * size);
	if (q == NULL)
		return false;
	*p = q;
	*cap = n;
	return true;
}

/* Taps from n inputs to m outputs, in fixed point (positions in 1/65536
 * of an input sample). */
static tqk_err taps(axis *a, int n, int m)
{
	size_t c1 = a->cap, c2 = a->cap, c3 = a->cap;
	if (!grow((void **)&a->start, &c1, (size_t)m, sizeof *a->start) ||
	    !grow((void **)&a->count, &c2, (size_t)m, sizeof *a->count) ||
	    !grow((void **)&a->weight, &c3, (size_t)m * TAPS, sizeof *a->weight))
		return TQK_E_NOMEM;
	a->cap = (size_t)m > a->cap ? (size_t)m : a->cap;
	for (int i = 0; i < m; i++) {
		uint16_t *w = a->weight + (size_t)i * TAPS;
		int64_t first, count = 0;
		if (m < n) {
			/* Area: the inputs under [i, i + 1) of the output. */
			int64_t lo = (int64_t)i * n * 65536 / m, hi = (int64_t)(i + 1) * n * 65536 / m;
			first = lo >> 16;
			for (int64_t k = first; k < n && (k << 16) < hi && count < TAPS; k++, count++) {
				int64_t from = (k << 16) > lo ? k << 16 : lo;
				int64_t to = ((k + 1) << 16) < hi ? (k + 1) << 16 : hi;
				w[count] = (uint16_t)(((to - from) * 256 + (hi - lo) / 2) / (hi - lo));
			}
		} else {
			/* Bilinear at the output pixel's centre. */
			int64_t c = (int64_t)(2 * i + 1) * n * 65536 / (2 * m) - 32768;
			int64_t top = (int64_t)(n - 1) << 16;
			c = c < 0 ? 0 : c > top ? top : c;
			first = c >> 16;
			int f = (int)((c & 0xffff) >> 8);
			count = first + 1 < n ? 2 : 1;
			w[0] = (uint16_t)(count == 2 ? 256 - f : 256);
			w[1] = (uint16_t)(count == 2 ? f : 0);
		}
		/* Weights that add up to 256: the rounding put on the largest. */
		int sum = 0, big = 0;
		for (int k = 0; k < count; k++) {
			sum += w[k];
			big = w[k] > w[big] ? k : big;
		}
		w[big] = (uint16_t)(w[big] + 256 - sum);
		a->start[i] = (int32_t)first;
		a->count[i] = (uint8_t)count;
	}
	return TQK_OK;
}

tqk_err tqk_resample(tqk_resampler *r, const uint8_t *src, size_t stride, int sw, int sh,
                     uint8_t *dst, int dw, int dh)
{
	if (sw < 1 || sh < 1 || dw < 1 || dh < 1 || sw > TQK_RESAMPLE_DIM_MAX ||
	    sh > TQK_RESAMPLE_DIM_MAX || dw > TQK_RESAMPLE_DIM_MAX || dh > TQK_RESAMPLE_DIM_MAX ||
	    stride < (size_t)sw || dw * 4 < sw || dh * 4 < sh || sw * 4 < dw || sh * 4 < dh)
		return TQK_E_ARG;
	tqk_err err = taps(&r->x, sw, dw);
	if (err == TQK_OK)
		err = taps(&r->y, sh, dh);
	if (err != TQK_OK || !grow((void **)&r->acc, &r->acc_cap, (size_t)sw, sizeof *r->acc) ||
	    !grow((void **)&r->mid, &r->mid_cap, (size_t)sw * (size_t)dh, 1))
		return TQK_E_NOMEM;
	/* Down the columns, a whole row at a time. */
	for (int v = 0; v < dh; v++) {
		const uint16_t *w = r->y.weight + (size_t)v * TAPS;
		memset(r->acc, 0, (size_t)sw * sizeof *r->acc);
		for (int k = 0; k < r->y.count[v]; k++) {
			const uint8_t *row = src + (size_t)(r->y.start[v] + k) * stride;
			uint32_t wk = w[k];
			for (int x = 0; x < sw; x++)
				r->acc[x] += wk * row[x];
		}
		uint8_t *m = r->mid + (size_t)v * (size_t)sw;
		for (int x = 0; x < sw; x++)
			m[x] = (uint8_t)((r->acc[x] + 128) >> 8);
	}
	/* Then along the rows. */
	for (int v = 0; v < dh; v++) {
		const uint8_t *m = r->mid + (size_t)v * (size_t)sw;
		uint8_t *d = dst + (size_t)v * (size_t)dw;
		for (int u = 0; u < dw; u++) {
			const uint16_t *w = r->x.weight + (size_t)u * TAPS;
			const uint8_t *s = m + r->x.start[u];
			uint32_t sum = 128;
			for (int k = 0; k < r->x.count[u]; k++)
				sum += (uint32_t)w[k] * s[k];
			d[u] = (uint8_t)(sum >> 8);
		}
	}
	return TQK_OK;
}
