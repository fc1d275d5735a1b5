/*
 * resample.c - separable area-average / bilinear scaling of grey images
 * (see resample.h). Weights are 8-bit fixed point summing to 256 per
 * output sample, so that a sum of taps fits 16 bits. Output row by output
 * row: the vertical pass makes one row of source width (16 pixels at a
 * time with SSE2, where there is SSE2 and TQK_RESAMPLE_SCALAR is not
 * defined), the horizontal pass scales it
 * with the same number of taps for every output pixel (padded with zero
 * weights), a loop the compiler unrolls for each tap count.
 */
#include "dev/resample.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && !defined(TQK_RESAMPLE_SCALAR)
#define SIMD 1
#include <emmintrin.h>
#endif

#define TAPS 6 /* input samples one output sample reads, at most (scale >= 1/4) */

/* The taps of one axis: output i reads count[i] inputs from start[i] with
 * the weights weight[i * TAPS ...]; pad of them (the most any output
 * reads), zeros after its own, from pstart[i] instead. */
typedef struct axis {
	int32_t *start, *pstart;
	uint8_t *count;
	uint16_t *weight, *pweight;
	int pad;
	size_t cap;
} axis;

struct tqk_resampler {
	axis x, y;
	uint8_t *row;            /* one output row before the horizontal pass */
	size_t row_cap;
};

tqk_resampler *tqk_resampler_new(void)
{
	return calloc(1, sizeof(tqk_resampler));
}

static void axis_free(axis *a)
{
	free(a->start);
	free(a->pstart);
	free(a->count);
	free(a->weight);
	free(a->pweight);
}

void tqk_resampler_free(tqk_resampler *r)
{
	if (r == NULL)
		return;
	axis_free(&r->x);
	axis_free(&r->y);
	free(r->row);
	free(r);
}

static bool grow(void **p, size_t n, size_t size)
{
	void *q = realloc(*p, n * size);
	if (q == NULL)
		return false;
	*p = q;
	return true;
}

/* Taps from n inputs to m outputs, in fixed point (positions in 1/65536
 * of an input sample). */
static tqk_err taps(axis *a, int n, int m)
{
	if ((size_t)m > a->cap) {
		size_t c = (size_t)m;
		if (!grow((void **)&a->start, c, sizeof *a->start) ||
		    !grow((void **)&a->pstart, c, sizeof *a->pstart) ||
		    !grow((void **)&a->count, c, sizeof *a->count) ||
		    !grow((void **)&a->weight, c * TAPS, sizeof *a->weight) ||
		    !grow((void **)&a->pweight, c * TAPS, sizeof *a->pweight))
			return TQK_E_NOMEM;
		a->cap = c;
	}
	a->pad = 1;
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
		a->pad = count > a->pad ? (int)count : a->pad;
	}
	/* The padded taps: zeros after an output's own, or before them where
	 * the padding would read past the last input (pad <= n: no output
	 * reads more inputs than there are). */
	for (int i = 0; i < m; i++) {
		const uint16_t *w = a->weight + (size_t)i * TAPS;
		uint16_t *pw = a->pweight + (size_t)i * TAPS;
		int s = a->start[i], lead = s + a->pad > n ? s + a->pad - n : 0;
		for (int k = 0; k < a->pad; k++)
			pw[k] = k >= lead && k - lead < a->count[i] ? w[k - lead] : 0;
		a->pstart[i] = s - lead;
	}
	return TQK_OK;
}

/* One row of sw pixels: the rows of src the taps v of a read, weighted. */
static void vertical(const axis *a, int v, const uint8_t *src, size_t stride, int sw,
                     uint8_t *out)
{
	const uint16_t *w = a->weight + (size_t)v * TAPS;
	const uint8_t *first = src + (size_t)a->start[v] * stride;
	int n = a->count[v], x = 0;
#ifdef SIMD
	const __m128i zero = _mm_setzero_si128(), half = _mm_set1_epi16(128);
	for (; x + 16 <= sw; x += 16) {
		__m128i lo = half, hi = half;
		for (int k = 0; k < n; k++) {
			__m128i p = _mm_loadu_si128((const __m128i *)(const void *)(first +
			                                                             (size_t)k * stride + x));
			__m128i wk = _mm_set1_epi16((short)w[k]);
			lo = _mm_add_epi16(lo, _mm_mullo_epi16(_mm_unpacklo_epi8(p, zero), wk));
			hi = _mm_add_epi16(hi, _mm_mullo_epi16(_mm_unpackhi_epi8(p, zero), wk));
		}
		__m128i o = _mm_packus_epi16(_mm_srli_epi16(lo, 8), _mm_srli_epi16(hi, 8));
		_mm_storeu_si128((__m128i *)(void *)(out + x), o);
	}
#endif
	for (; x < sw; x++) {
		unsigned sum = 128;
		for (int k = 0; k < n; k++)
			sum += (unsigned)w[k] * first[(size_t)k * stride + (size_t)x];
		out[x] = (uint8_t)(sum >> 8);
	}
}

/* One row scaled along: dw pixels from row, n (= a->pad) taps each. With
 * n a constant where it is called, the compiler unrolls the taps. */
static inline void horizontal_n(const axis *a, const uint8_t *row, uint8_t *out, int dw, int n)
{
	for (int u = 0; u < dw; u++) {
		const uint16_t *w = a->pweight + (size_t)u * TAPS;
		const uint8_t *s = row + a->pstart[u];
		unsigned sum = 128;
		for (int k = 0; k < n; k++)
			sum += (unsigned)w[k] * s[k];
		out[u] = (uint8_t)(sum >> 8);
	}
}

static void horizontal(const axis *a, const uint8_t *row, uint8_t *out, int dw)
{
	switch (a->pad) {
	case 1: horizontal_n(a, row, out, dw, 1); break;
	case 2: horizontal_n(a, row, out, dw, 2); break;
	case 3: horizontal_n(a, row, out, dw, 3); break;
	case 4: horizontal_n(a, row, out, dw, 4); break;
	case 5: horizontal_n(a, row, out, dw, 5); break;
	default: horizontal_n(a, row, out, dw, TAPS); break;
	}
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
	if (err == TQK_OK && (size_t)sw > r->row_cap) {
		if (!grow((void **)&r->row, (size_t)sw, 1))
			err = TQK_E_NOMEM;
		else
			r->row_cap = (size_t)sw;
	}
	if (err != TQK_OK)
		return err;
	for (int v = 0; v < dh; v++) {
		vertical(&r->y, v, src, stride, sw, r->row);
		horizontal(&r->x, r->row, dst + (size_t)v * (size_t)dw, dw);
	}
	return TQK_OK;
}
