/*
 * scene.c - camera-like test frames with codes placed at random (see
 * scene.h).
 */
#include "support/scene.h"

#include <math.h>
#include <string.h>

sc_spec sc_spec_default(unsigned codes)
{
	return (sc_spec){
		.w = 1280, .h = 720, .codes = codes, .module_lo = 2.0, .module_hi = 5.0,
		.tilt = 5.0,
	};
}

/* The unclipped size of m drawn as p says, centred on the origin. */
static void size_of(const bc_matrix *m, const bc_place *p, double *w, double *h)
{
	static const bc_frame big = {BC_FRAME_DIM_MAX, BC_FRAME_DIM_MAX, NULL};
	bc_place q = *p;
	q.cx = q.cy = BC_FRAME_DIM_MAX / 2.0;
	int x0, y0, x1, y1;
	bc_extent(&big, m, &q, &x0, &y0, &x1, &y1);
	*w = x1 - x0;
	*h = y1 - y0;
}

/* Places one code of kind into f inside the band lo..hi of x. */
static int place(bc_frame *f, const sc_spec *spec, unsigned kind, double lo, double hi,
                 uint64_t *st, sc_code *out)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	bc_matrix m;
	int rc;
	if (kind == SC_CODE128) {
		if (spec->linear != NULL) {
			out->len = strlen(spec->linear);
			if (out->len > BC_DATA_MAX)
				return -1;
			memcpy(out->data, spec->linear, out->len);
		} else {
			for (out->len = 0; out->len < 17; out->len++)
				out->data[out->len] = (char)('0' + bc_rand(st) % 10);
		}
		rc = bc_code128(out->data, out->len, &m);
	} else {
		if (spec->qr != NULL) {
			if (spec->qr_len > BC_DATA_MAX)
				return -1;
			out->len = spec->qr_len;
			memcpy(out->data, spec->qr, out->len);
		} else {
			for (out->len = 0; out->len < 170; out->len++)
				out->data[out->len] = (char)('!' + bc_rand(st) % 94);
		}
		rc = bc_qr(out->data, out->len, &m);
	}
	if (rc != 0)
		return -1;
	bc_place p = bc_place_default(f->w, f->h);
	p.module = bc_uniform(st, spec->module_lo, spec->module_hi);
	if (kind == SC_CODE128)
		p.angle = bc_uniform(st, -spec->tilt, spec->tilt) +
		          (spec->turn ? 90.0 * (double)(bc_rand(st) % 4) : 0.0);
	else
		p.angle = bc_uniform(st, 0, 360);
	/* Smaller modules until the code fits its band. */
	double w, h;
	size_of(&m, &p, &w, &h);
	double fit = fmin((hi - lo - 4) / w, (f->h - 4) / h);
	if (fit < 1) {
		p.module *= fit;
		size_of(&m, &p, &w, &h);
	}
	p.cx = bc_uniform(st, lo + w / 2 + 1, fmax(lo + w / 2 + 1, hi - w / 2 - 1));
	p.cy = bc_uniform(st, h / 2 + 1, fmax(h / 2 + 1, f->h - h / 2 - 1));
	bc_draw(f, &m, &p);
	bc_extent(f, &m, &p, &out->x0, &out->y0, &out->x1, &out->y1);
	out->module = p.module;
	out->angle = p.angle;
	bc_matrix_free(&m);
	return 0;
}

int sc_make(const sc_spec *spec, uint64_t seed, bc_frame **out, sc_code codes[2], size_t *n)
{
	*out = NULL;
	*n = 0;
	if (spec->module_lo <= 0 || spec->module_hi < spec->module_lo ||
	    (spec->codes & ~(unsigned)(SC_CODE128 | SC_QR)) != 0)
		return -1;
	bc_frame *f = bc_frame_new(spec->w, spec->h, 128);
	if (f == NULL)
		return -1;
	uint64_t st = seed * 0x9e3779b97f4a7c15ull + 1;
	bc_clutter(f, seed);
	double mid = spec->codes == (SC_CODE128 | SC_QR) ? f->w / 2.0 : f->w;
	if ((spec->codes & SC_CODE128) && place(f, spec, SC_CODE128, 0, mid, &st, &codes[(*n)++]))
		goto fail;
	if ((spec->codes & SC_QR) &&
	    place(f, spec, SC_QR, mid < f->w ? mid : 0, f->w, &st, &codes[(*n)++]))
		goto fail;
	if (spec->blur > 0 && bc_blur(f, spec->blur) != 0)
		goto fail;
	if (spec->dim)
		bc_contrast(f, 70, 170);
	if (spec->noise > 0)
		bc_noise(f, spec->noise, seed ^ 0xa5a5a5a5ull);
	*out = f;
	return 0;
fail:
	bc_frame_free(f);
	*n = 0;
	return -1;
}
