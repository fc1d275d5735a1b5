/*
 * test_zscan.c - the barcode decoder on frames generated at test time:
 * certificate and registration Code 128s, signed form QR codes that must
 * verify after the round trip, at many angles and module sizes, noisy,
 * blurred and dim, two codes in a frame, clutter without any code, the
 * symbology restriction, rejected symbols and bad arguments.
 *
 * Every frame is decoded FAST (regions of interest), PLAIN (ZBar on the
 * whole frame: the baseline) and THOROUGH; the test fails on any frame
 * where FAST misses a symbol that PLAIN found, where THOROUGH misses one
 * that either found, or where anything is found that is not in the frame.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/scan.h"
#include "dev/zscan.h"
#include "support/barcode.h"
#include "support/scene.h"
#include "support/signedqr.h"

#define W 1280
#define H 720

/* What a frame holds: up to 9 symbols. */
typedef struct want {
	unsigned type;
	const char *data;
	size_t len;
} want;

typedef struct tally {
	unsigned frames, wanted, fast, plain;
} tally;

static bool has(const tqk_zscan_result *r, unsigned type, const char *data, size_t len)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->sym[i].type == type && r->sym[i].len == len &&
		    memcmp(r->sym[i].data, data, len) == 0)
			return true;
	return false;
}

static tqk_zscan *decoder(tqk_zscan_speed speed, unsigned symbols)
{
	tqk_zscan_opts o = tqk_zscan_opts_default();
	o.speed = speed;
	o.symbols = symbols;
	tqk_zscan *z = NULL;
	assert_int_equal(tqk_zscan_new(&o, &z), TQK_OK);
	return z;
}

static tqk_zscan_result *result(void)
{
	tqk_zscan_result *r = malloc(sizeof *r);
	assert_non_null(r);
	return r;
}

/*
 * Decodes f three ways with symbols and checks what the file comment says.
 * With all, FAST must also have found every wanted symbol; without, the
 * frame counts in t only. The FAST result goes to out when not NULL.
 */
static void check(const char *what, const bc_frame *f, const want *w, size_t nw,
                  unsigned symbols, bool all, tally *t, tqk_zscan_result *out)
{
	tqk_zscan *zf = decoder(TQK_ZSCAN_FAST, symbols), *zp = decoder(TQK_ZSCAN_PLAIN, symbols);
	tqk_zscan *zt = decoder(TQK_ZSCAN_THOROUGH, symbols);
	tqk_zscan_result *rf = result(), *rp = result(), *rt = result();
	assert_int_equal(tqk_zscan_decode(zf, f->px, f->w, f->h, (size_t)f->w, rf), TQK_OK);
	assert_int_equal(tqk_zscan_decode(zp, f->px, f->w, f->h, (size_t)f->w, rp), TQK_OK);
	assert_int_equal(tqk_zscan_decode(zt, f->px, f->w, f->h, (size_t)f->w, rt), TQK_OK);
	const tqk_zscan_result *rs[3] = {rf, rp, rt};
	static const char *const mode[3] = {"FAST", "PLAIN", "THOROUGH"};
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; i < rs[k]->n; i++) {
			bool known = false;
			for (size_t j = 0; j < nw; j++)
				known |= rs[k]->sym[i].type == w[j].type && rs[k]->sym[i].len == w[j].len &&
				         memcmp(rs[k]->sym[i].data, w[j].data, w[j].len) == 0;
			if (!known)
				fail_msg("%s: %s found %s \"%s\", which is not in the frame", what, mode[k],
				         rs[k]->sym[i].name, rs[k]->sym[i].data);
		}
	for (size_t i = 0; i < rp->n; i++)
		if (!has(rf, rp->sym[i].type, rp->sym[i].data, rp->sym[i].len))
			fail_msg("%s: FAST missed the %s that plain ZBar found", what, rp->sym[i].name);
	for (size_t i = 0; i < rp->n + rf->n; i++) {
		const tqk_zsym *s = i < rp->n ? &rp->sym[i] : &rf->sym[i - rp->n];
		if (!has(rt, s->type, s->data, s->len))
			fail_msg("%s: THOROUGH missed a %s", what, s->name);
	}
	for (size_t j = 0; j < nw; j++)
		if (all && !has(rf, w[j].type, w[j].data, w[j].len))
			fail_msg("%s: FAST did not find the %s (PLAIN %s)", what,
			         tqk_zscan_symbol_name(w[j].type),
			         has(rp, w[j].type, w[j].data, w[j].len) ? "did" : "did not either");
	if (t != NULL) {
		t->frames++;
		t->wanted += (unsigned)nw;
		t->fast += (unsigned)rf->n;
		t->plain += (unsigned)rp->n;
	}
	if (out != NULL)
		*out = *rf;
	free(rf);
	free(rp);
	free(rt);
	tqk_zscan_free(zf);
	tqk_zscan_free(zp);
	tqk_zscan_free(zt);
}

/* Clutter from seed with one symbol drawn as p says. */
static bc_frame *frame_with(const bc_matrix *m, const bc_place *p, uint64_t seed)
{
	bc_frame *f = bc_frame_new(W, H, 128);
	assert_non_null(f);
	bc_clutter(f, seed);
	bc_draw(f, m, p);
	return f;
}

static void code128(const char *s, bc_matrix *m)
{
	assert_int_equal(bc_code128(s, strlen(s), m), 0);
}

static void qr(const char *s, size_t len, bc_matrix *m)
{
	assert_int_equal(bc_qr(s, len, m), 0);
}

/* 17-digit certificate numbers: decoded, and the kiosk takes them for
 * certificate numbers. */
static void certificate_numbers(void **state)
{
	(void)state;
	static const char *const certs[] = {
		"20234400121000123", "20193300522001547", "20105100231009870", "20241100112000002",
		"19994400111000311", "20214201232004406",
	};
	uint64_t st = 7;
	for (size_t i = 0; i < sizeof certs / sizeof certs[0]; i++) {
		bc_matrix m;
		code128(certs[i], &m);
		bc_place p = bc_place_default(W, H);
		p.module = bc_uniform(&st, 2.0, 4.5);
		p.angle = bc_uniform(&st, -5, 5);
		p.cx += bc_uniform(&st, -150, 150);
		p.cy += bc_uniform(&st, -150, 150);
		bc_frame *f = frame_with(&m, &p, 100 + i);
		want w = {TQK_SYM_CODE128, certs[i], 17};
		tqk_zscan_result r;
		check(certs[i], f, &w, 1, TQK_SYM_DEFAULT, true, NULL, &r);
		assert_int_equal(r.n, 1);
		assert_string_equal(r.sym[0].name, "CODE-128");
		tqk_scan scan;
		assert_int_equal(tqk_scan_classify(r.sym[0].data, r.sym[0].len, DATE(2026, 5, 1), &scan),
		                 TQK_OK);
		assert_int_equal(scan.kind, TQK_SCAN_CERT);
		/* Where it was found: inside what was drawn. */
		int x0, y0, x1, y1;
		bc_extent(f, &m, &p, &x0, &y0, &x1, &y1);
		assert_true(r.sym[0].x >= x0 - 4 && r.sym[0].x + r.sym[0].w <= x1 + 4);
		assert_true(r.sym[0].y >= y0 - 4 && r.sym[0].y + r.sym[0].h <= y1 + 4);
		bc_frame_free(f);
		bc_matrix_free(&m);
	}
}

/* 14-digit registration numbers of the form. */
static void registration_numbers(void **state)
{
	(void)state;
	static const char *const regs[] = {"20260410012345", "20260410000001", "20269999999999"};
	for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
		bc_matrix m;
		code128(regs[i], &m);
		bc_place p = bc_place_default(W, H);
		p.module = 2.5 + i;
		bc_frame *f = frame_with(&m, &p, 200 + i);
		want w = {TQK_SYM_CODE128, regs[i], 14};
		tqk_zscan_result r;
		check(regs[i], f, &w, 1, TQK_SYM_DEFAULT, true, NULL, &r);
		tqk_scan scan;
		assert_int_equal(tqk_scan_classify(r.sym[0].data, r.sym[0].len, DATE(2026, 5, 1), &scan),
		                 TQK_OK);
		assert_int_equal(scan.kind, TQK_SCAN_REG);
		bc_frame_free(f);
		bc_matrix_free(&m);
	}
}

/* Signed payloads with UTF-8 names come back byte for byte and verify. */
static void signed_payloads(void **state)
{
	(void)state;
	static const char *const names[] = {"张小明", "欧阳娜娜", "买买提·艾力", "李"};
	uint64_t st = 11;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		sq_form form;
		assert_int_equal(sq_make(&form, names[i], "20260410012345"), 0);
		assert_true(form.len >= 160 && form.len <= 200);
		bc_matrix m;
		qr(form.text, form.len, &m);
		bc_place p = bc_place_default(W, H);
		p.module = bc_uniform(&st, 2.5, 5);
		p.angle = bc_uniform(&st, 0, 360);
		bc_frame *f = frame_with(&m, &p, 300 + i);
		want w = {TQK_SYM_QR, form.text, form.len};
		tqk_zscan_result r;
		check(names[i], f, &w, 1, TQK_SYM_DEFAULT, true, NULL, &r);
		assert_int_equal(r.n, 1);
		assert_string_equal(r.sym[0].name, "QR-Code");
		tqk_payload got;
		assert_int_equal(tqk_payload_verify(r.sym[0].data, r.sym[0].len, &form.keys, &got),
		                 TQK_OK);
		assert_string_equal(got.name, names[i]);
		assert_string_equal(got.reg_no, "20260410012345");
		tqk_scan scan;
		assert_int_equal(tqk_scan_classify(r.sym[0].data, r.sym[0].len, DATE(2026, 5, 1), &scan),
		                 TQK_OK);
		assert_int_equal(scan.kind, TQK_SCAN_PAYLOAD);
		/* One byte changed in the frame's data is caught by the signature. */
		r.sym[0].data[20] ^= 1;
		assert_int_not_equal(tqk_payload_verify(r.sym[0].data, r.sym[0].len, &form.keys, &got),
		                     TQK_OK);
		bc_frame_free(f);
		bc_matrix_free(&m);
	}
}

/* Code 128 turned by quarter turns and tilted; QR codes at many angles. */
static void rotated(void **state)
{
	(void)state;
	bc_matrix c128, q;
	code128("20234400121000123", &c128);
	sq_form form;
	assert_int_equal(sq_make(&form, "张小明", "20260410012345"), 0);
	qr(form.text, form.len, &q);
	static const double linear[] = {0, 3, -4, 7, -8, 90, 93, 180, 178, 270, 266};
	for (size_t i = 0; i < sizeof linear / sizeof linear[0]; i++) {
		bc_place p = bc_place_default(W, H);
		p.module = 2.5;
		p.angle = linear[i];
		bc_frame *f = frame_with(&c128, &p, 400 + i);
		want w = {TQK_SYM_CODE128, "20234400121000123", 17};
		char what[64];
		snprintf(what, sizeof what, "Code 128 at %.0f degrees", linear[i]);
		check(what, f, &w, 1, TQK_SYM_DEFAULT, true, NULL, NULL);
		bc_frame_free(f);
	}
	for (int a = 0; a < 360; a += 30) {
		bc_place p = bc_place_default(W, H);
		p.module = 3.0;
		p.angle = a + 2;
		bc_frame *f = frame_with(&q, &p, 500 + (uint64_t)a);
		want w = {TQK_SYM_QR, form.text, form.len};
		char what[64];
		snprintf(what, sizeof what, "QR at %d degrees", a + 2);
		check(what, f, &w, 1, TQK_SYM_DEFAULT, true, NULL, NULL);
		bc_frame_free(f);
	}
	bc_matrix_free(&c128);
	bc_matrix_free(&q);
}

/* Module sizes from small to large. */
static void scaled(void **state)
{
	(void)state;
	bc_matrix c128, q;
	code128("20193300522001547", &c128);
	sq_form form;
	assert_int_equal(sq_make(&form, "欧阳娜娜", "20260410000001"), 0);
	qr(form.text, form.len, &q);
	static const double linear[] = {1.5, 2, 3, 4.5, 6};
	for (size_t i = 0; i < sizeof linear / sizeof linear[0]; i++) {
		bc_place p = bc_place_default(W, H);
		p.module = linear[i];
		p.angle = 2;
		bc_frame *f = frame_with(&c128, &p, 600 + i);
		want w = {TQK_SYM_CODE128, "20193300522001547", 17};
		char what[64];
		snprintf(what, sizeof what, "Code 128 of %.1f pixels a module", linear[i]);
		check(what, f, &w, 1, TQK_SYM_DEFAULT, true, NULL, NULL);
		bc_frame_free(f);
	}
	/* QR codes of 2 pixels a module are not read reliably by ZBar as
	 * they are; FAST reads them scaled up. */
	static const double matrix[] = {2, 2.5, 3, 4, 6, 8};
	for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
		bc_place p = bc_place_default(W, H);
		p.module = matrix[i];
		p.angle = 20;
		bc_frame *f = frame_with(&q, &p, 700 + i);
		want w = {TQK_SYM_QR, form.text, form.len};
		char what[64];
		snprintf(what, sizeof what, "QR of %.1f pixels a module", matrix[i]);
		check(what, f, &w, 1, TQK_SYM_DEFAULT, true, NULL, NULL);
		bc_frame_free(f);
	}
	bc_matrix_free(&c128);
	bc_matrix_free(&q);
}

/* Scenes of one kind from sc_make: spec applied to seeds first..first+n. */
static void scenes(const char *what, sc_spec spec, uint64_t first, unsigned n, bool all,
                   tally *t)
{
	for (uint64_t seed = first; seed < first + n; seed++) {
		bc_frame *f = NULL;
		sc_code c[2];
		size_t nc;
		assert_int_equal(sc_make(&spec, seed, &f, c, &nc), 0);
		want w[2];
		for (size_t i = 0; i < nc; i++)
			w[i] = (want){c[i].kind == SC_QR ? TQK_SYM_QR : TQK_SYM_CODE128, c[i].data, c[i].len};
		char label[96];
		snprintf(label, sizeof label, "%s, seed %llu", what, (unsigned long long)seed);
		check(label, f, w, nc, TQK_SYM_DEFAULT, all, t, NULL);
		bc_frame_free(f);
	}
}

static void noisy(void **state)
{
	(void)state;
	static const double sigma[] = {6, 10, 14};
	for (size_t i = 0; i < sizeof sigma / sizeof sigma[0]; i++) {
		tally t = {0};
		sc_spec spec = sc_spec_default(SC_CODE128);
		spec.module_lo = 2.5;
		spec.module_hi = 4;
		spec.noise = sigma[i];
		scenes("noisy Code 128", spec, 800 + 10 * i, 4, sigma[i] <= 6, &t);
		spec.codes = SC_QR;
		scenes("noisy QR", spec, 850 + 10 * i, 4, true, &t);
		/* ZBar alone misses noisy codes that FAST reads. */
		print_message("noise sigma %.0f: %u codes, FAST found %u, plain ZBar %u\n", sigma[i],
		              t.wanted, t.fast, t.plain);
		assert_true(t.fast >= t.plain);
		assert_true(t.fast >= (sigma[i] <= 10 ? t.wanted - 1 : t.wanted / 2));
	}
}

static void blurred(void **state)
{
	(void)state;
	for (int r = 1; r <= 2; r++) {
		tally t = {0};
		sc_spec spec = sc_spec_default(SC_CODE128);
		spec.module_lo = 3;
		spec.module_hi = 5;
		spec.blur = r;
		scenes("blurred Code 128", spec, 900 + 10 * (uint64_t)r, 4, r == 1, &t);
		spec.codes = SC_QR;
		spec.module_lo = 3.5 * r;
		spec.module_hi = 5 * r;
		scenes("blurred QR", spec, 950 + 10 * (uint64_t)r, 4, true, &t);
		assert_true(t.fast >= t.plain);
	}
}

static void low_contrast(void **state)
{
	(void)state;
	tally t = {0};
	sc_spec spec = sc_spec_default(SC_CODE128 | SC_QR);
	spec.module_lo = 2.5;
	spec.module_hi = 4;
	spec.dim = true;
	scenes("dim", spec, 1000, 5, true, &t);
	/* Dim, blurred and noisy at once: what each finds is counted. */
	spec.blur = 1;
	spec.noise = 6;
	spec.module_lo = 3;
	spec.module_hi = 5;
	scenes("dim, blurred and noisy", spec, 1050, 5, false, &t);
	assert_true(t.fast >= t.plain);
	assert_true(t.fast >= 12);
}

/* A Code 128 and a QR code side by side: both, sorted top to bottom. */
static void two_codes(void **state)
{
	(void)state;
	sq_form form;
	assert_int_equal(sq_make(&form, "张小明", "20260410012345"), 0);
	sc_spec spec = sc_spec_default(SC_CODE128 | SC_QR);
	spec.module_lo = 2.5;
	spec.module_hi = 4;
	spec.qr = form.text;
	spec.qr_len = form.len;
	for (uint64_t seed = 1100; seed < 1106; seed++) {
		bc_frame *f = NULL;
		sc_code c[2];
		size_t nc;
		assert_int_equal(sc_make(&spec, seed, &f, c, &nc), 0);
		assert_int_equal(nc, 2);
		want w[2] = {{TQK_SYM_CODE128, c[0].data, c[0].len}, {TQK_SYM_QR, c[1].data, c[1].len}};
		tqk_zscan_result r;
		check("two codes", f, w, 2, TQK_SYM_DEFAULT, true, NULL, &r);
		assert_int_equal(r.n, 2);
		assert_true(r.sym[0].y < r.sym[1].y ||
		            (r.sym[0].y == r.sym[1].y && r.sym[0].x <= r.sym[1].x));
		bc_frame_free(f);
	}
}

/* Nothing is found where nothing is, clean or noisy, in any mode. */
static void clutter_only(void **state)
{
	(void)state;
	tally t = {0};
	sc_spec spec = sc_spec_default(0);
	scenes("clutter", spec, 1200, 12, true, &t);
	spec.noise = 10;
	scenes("noisy clutter", spec, 1300, 8, true, &t);
	spec.noise = 0;
	spec.blur = 1;
	scenes("blurred clutter", spec, 1400, 4, true, &t);
	assert_int_equal(t.fast + t.plain, 0);
}

/* A Code 39 beside our codes: left out unless asked for. */
static void symbology_restriction(void **state)
{
	(void)state;
	bc_frame *f = bc_frame_new(W, H, 128);
	bc_clutter(f, 1500);
	bc_matrix m39, m128, mqr;
	assert_int_equal(bc_code39("TQ2026", 6, &m39), 0);
	code128("20234400121000123", &m128);
	qr("TQ-TEST", 7, &mqr);
	bc_place p = bc_place_default(W, H);
	p.module = 3;
	p.cx = 330;
	p.cy = 180;
	bc_draw(f, &m39, &p);
	p.cx = 330;
	p.cy = 520;
	bc_draw(f, &m128, &p);
	p.cx = 950;
	p.cy = 360;
	p.module = 4;
	bc_draw(f, &mqr, &p);
	want all[3] = {
		{TQK_SYM_CODE39, "TQ2026", 6}, {TQK_SYM_CODE128, "20234400121000123", 17},
		{TQK_SYM_QR, "TQ-TEST", 7},
	};
	tqk_zscan_result r;
	check("qr,code128", f, all + 1, 2, TQK_SYM_DEFAULT, true, NULL, &r);
	assert_int_equal(r.n, 2);
	check("all", f, all, 3, TQK_SYM_ALL, true, NULL, &r);
	assert_int_equal(r.n, 3);
	check("code39 only", f, all, 1, TQK_SYM_CODE39, true, NULL, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.sym[0].name, "CODE-39");
	check("qr only", f, all + 2, 1, TQK_SYM_QR, true, NULL, &r);
	assert_int_equal(r.n, 1);
	check("code128 only", f, all + 1, 1, TQK_SYM_CODE128, true, NULL, &r);
	assert_int_equal(r.n, 1);
	bc_matrix_free(&m39);
	bc_matrix_free(&m128);
	bc_matrix_free(&mqr);
	bc_frame_free(f);
}

/* A symbol holding a NUL byte is left out with its reason; more symbols
 * than fit are left out with theirs. */
static void rejected(void **state)
{
	(void)state;
	bc_frame *f = bc_frame_new(W, H, 200);
	bc_matrix m;
	qr("TQ1\0oops", 8, &m);
	bc_place p = bc_place_default(W, H);
	p.module = 5;
	bc_draw(f, &m, &p);
	bc_matrix_free(&m);
	tqk_zscan *z = decoder(TQK_ZSCAN_FAST, 0);
	tqk_zscan_result *r = result();
	assert_int_equal(tqk_zscan_decode(z, f->px, f->w, f->h, (size_t)f->w, r), TQK_OK);
	assert_int_equal(r->n, 0);
	assert_int_equal(r->rejected, 1);
	assert_int_equal(r->reject_err, TQK_E_SCAN_CHARS);
	bc_frame_free(f);

	/* Nine codes, room for eight. */
	f = bc_frame_new(W, H, 200);
	for (int i = 0; i < 9; i++) {
		char text[8];
		snprintf(text, sizeof text, "CODE%d", i);
		qr(text, strlen(text), &m);
		p = bc_place_default(W, H);
		p.module = 4;
		p.cx = 200 + 440 * (i % 3);
		p.cy = 130 + 230 * (i / 3);
		bc_draw(f, &m, &p);
		bc_matrix_free(&m);
	}
	assert_int_equal(tqk_zscan_decode(z, f->px, f->w, f->h, (size_t)f->w, r), TQK_OK);
	assert_int_equal(r->n, TQK_ZSCAN_MAX_SYMBOLS);
	assert_int_equal(r->rejected, 1);
	assert_int_equal(r->reject_err, TQK_E_TOO_LONG);
	bc_frame_free(f);
	free(r);
	tqk_zscan_free(z);
}

static void bad_arguments(void **state)
{
	(void)state;
	tqk_zscan *z = (tqk_zscan *)&z;
	const tqk_zscan_opts bad[] = {
		{.symbols = 1u << 9}, {.density = 5}, {.density = -1}, {.speed = (tqk_zscan_speed)3},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(tqk_zscan_new(&bad[i], &z), TQK_E_ARG);
		assert_null(z);
	}
	tqk_zscan_free(NULL);
	/* NULL options and zeroed options are the defaults. */
	tqk_zscan_opts zero = {0};
	assert_int_equal(tqk_zscan_new(&zero, &z), TQK_OK);
	tqk_zscan_free(z);
	assert_int_equal(tqk_zscan_new(NULL, &z), TQK_OK);
	uint8_t px[64] = {0};
	tqk_zscan_result *r = result();
	r->n = 3;
	assert_int_equal(tqk_zscan_decode(z, px, 0, 8, 8, r), TQK_E_ARG);
	assert_int_equal(r->n, 0);
	assert_int_equal(tqk_zscan_decode(z, px, 8, 0, 8, r), TQK_E_ARG);
	assert_int_equal(tqk_zscan_decode(z, px, 8, 8, 7, r), TQK_E_ARG);
	assert_int_equal(tqk_zscan_decode(z, NULL, 8, 8, 8, r), TQK_E_ARG);
	assert_int_equal(tqk_zscan_decode(z, px, TQK_ZSCAN_DIM_MAX + 1, 1, TQK_ZSCAN_DIM_MAX + 1, r),
	                 TQK_E_ARG);
	assert_int_equal(tqk_zscan_decode(z, px, 8, 8, 8, r), TQK_OK);
	assert_int_equal(r->n, 0);
	free(r);
	tqk_zscan_free(z);

	unsigned bits = 0;
	assert_int_equal(tqk_zscan_symbols_parse("qr,code128", &bits), TQK_OK);
	assert_int_equal(bits, TQK_SYM_DEFAULT);
	assert_int_equal(tqk_zscan_symbols_parse("QR,Code128,EAN13", &bits), TQK_OK);
	assert_int_equal(bits, TQK_SYM_DEFAULT | TQK_SYM_EAN13);
	assert_int_equal(tqk_zscan_symbols_parse("all", &bits), TQK_OK);
	assert_int_equal(bits, TQK_SYM_ALL);
	assert_int_equal(tqk_zscan_symbols_parse("code39", &bits), TQK_OK);
	assert_int_equal(bits, TQK_SYM_CODE39);
	static const char *const wrong[] = {"", ",", "qr,", ",qr", "qr,,code128", "pdf417", "qr ",
	                                    "code12", "code1288"};
	for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		bits = 77;
		assert_int_equal(tqk_zscan_symbols_parse(wrong[i], &bits), TQK_E_ARG);
		assert_int_equal(bits, 77);
	}
	char longlist[300];
	memset(longlist, 'q', sizeof longlist - 1);
	longlist[sizeof longlist - 1] = '\0';
	assert_int_equal(tqk_zscan_symbols_parse(longlist, &bits), TQK_E_TOO_LONG);
	assert_string_equal(tqk_zscan_symbol_name(TQK_SYM_QR), "QR-Code");
	assert_string_equal(tqk_zscan_symbol_name(TQK_SYM_EAN13), "EAN-13");
	assert_string_equal(tqk_zscan_symbol_name(0), "?");
	assert_string_equal(tqk_zscan_symbol_name(TQK_SYM_QR | TQK_SYM_CODE128), "?");
}

/* Rows further apart than the width, small frames, the same frame twice. */
static void strides_sizes_and_repeats(void **state)
{
	(void)state;
	bc_frame *f = NULL;
	sc_code c[2];
	size_t nc;
	sc_spec spec = sc_spec_default(SC_CODE128 | SC_QR);
	spec.module_lo = 3;
	spec.module_hi = 3.5;
	assert_int_equal(sc_make(&spec, 1600, &f, c, &nc), 0);
	size_t stride = W + 37;
	uint8_t *wide = malloc(stride * H);
	assert_non_null(wide);
	memset(wide, 0, stride * H);
	for (int y = 0; y < H; y++)
		memcpy(wide + (size_t)y * stride, f->px + (size_t)y * W, W);
	tqk_zscan_speed speeds[] = {TQK_ZSCAN_FAST, TQK_ZSCAN_PLAIN, TQK_ZSCAN_THOROUGH};
	for (size_t k = 0; k < 3; k++) {
		tqk_zscan *z = decoder(speeds[k], 0);
		tqk_zscan_result *a = result(), *b = result(), *d = result();
		assert_int_equal(tqk_zscan_decode(z, f->px, W, H, W, a), TQK_OK);
		assert_int_equal(tqk_zscan_decode(z, wide, W, H, stride, b), TQK_OK);
		assert_int_equal(tqk_zscan_decode(z, f->px, W, H, W, d), TQK_OK);
		assert_int_equal(a->n, 2);
		assert_int_equal(b->n, 2);
		assert_int_equal(d->n, 2);
		for (size_t i = 0; i < 2; i++) {
			/* Rows apart by more than the width read the same. */
			assert_int_equal(a->sym[i].type, b->sym[i].type);
			assert_string_equal(a->sym[i].data, b->sym[i].data);
			/* The same frame again, the same result to the pixel. */
			assert_int_equal(a->sym[i].type, d->sym[i].type);
			assert_string_equal(a->sym[i].data, d->sym[i].data);
			assert_int_equal(a->sym[i].x, d->sym[i].x);
			assert_int_equal(a->sym[i].y, d->sym[i].y);
			assert_int_equal(a->sym[i].w, d->sym[i].w);
			assert_int_equal(a->sym[i].h, d->sym[i].h);
		}
		free(a);
		free(b);
		free(d);
		tqk_zscan_free(z);
	}
	free(wide);
	bc_frame_free(f);

	/* A frame small enough to be scanned whole. */
	spec = sc_spec_default(SC_QR);
	spec.w = 320;
	spec.h = 240;
	spec.module_lo = spec.module_hi = 2.5;
	assert_int_equal(sc_make(&spec, 1601, &f, c, &nc), 0);
	want w = {TQK_SYM_QR, c[0].data, c[0].len};
	check("small frame", f, &w, 1, TQK_SYM_DEFAULT, true, NULL, NULL);
	bc_frame_free(f);
	/* One pixel, one row. */
	uint8_t one = 255;
	tqk_zscan *z = decoder(TQK_ZSCAN_FAST, 0);
	tqk_zscan_result *r = result();
	assert_int_equal(tqk_zscan_decode(z, &one, 1, 1, 1, r), TQK_OK);
	assert_int_equal(r->n, 0);
	free(r);
	tqk_zscan_free(z);
}

/* The cache: a hit's region is looked at first in the next frame. */
static void cache(void **state)
{
	(void)state;
	bc_matrix m;
	code128("20234400121000123", &m);
	bc_place p = bc_place_default(W, H);
	p.module = 3;
	bc_frame *a = frame_with(&m, &p, 1700);
	p.cx += 12; /* the form moved a little */
	p.cy -= 8;
	bc_frame *b = frame_with(&m, &p, 1701);
	bc_frame *none = bc_frame_new(W, H, 128);
	bc_clutter(none, 1702);
	tqk_zscan_opts o = tqk_zscan_opts_default();
	o.cache = true;
	tqk_zscan *z = NULL;
	assert_int_equal(tqk_zscan_new(&o, &z), TQK_OK);
	tqk_zscan_result *r = result();
	tqk_zscan_stats st;
	assert_int_equal(tqk_zscan_decode(z, a->px, W, H, W, r), TQK_OK);
	assert_int_equal(r->n, 1);
	tqk_zscan_last_stats(z, &st);
	assert_true(st.regions >= 1);
	assert_int_equal(tqk_zscan_decode(z, b->px, W, H, W, r), TQK_OK);
	assert_int_equal(r->n, 1);
	assert_string_equal(r->sym[0].data, "20234400121000123");
	tqk_zscan_last_stats(z, &st);
	assert_int_equal(st.scans, 1);   /* the cached region only */
	assert_int_equal(st.regions, 0); /* no analysis of the frame */
	/* A frame without the code: the whole path, and the cache is gone. */
	assert_int_equal(tqk_zscan_decode(z, none->px, W, H, W, r), TQK_OK);
	assert_int_equal(r->n, 0);
	assert_int_equal(tqk_zscan_decode(z, b->px, W, H, W, r), TQK_OK);
	tqk_zscan_last_stats(z, &st);
	assert_true(st.regions >= 1);
	/* reset forgets it too */
	tqk_zscan_reset(z);
	assert_int_equal(tqk_zscan_decode(z, a->px, W, H, W, r), TQK_OK);
	assert_int_equal(r->n, 1);
	tqk_zscan_last_stats(z, &st);
	assert_true(st.regions >= 1);
	/* A smaller frame after a hit in a larger one. */
	assert_int_equal(tqk_zscan_decode(z, a->px, 400, 300, W, r), TQK_OK);
	free(r);
	tqk_zscan_free(z);
	bc_frame_free(a);
	bc_frame_free(b);
	bc_frame_free(none);
	bc_matrix_free(&m);
}

/* Density 2 halves ZBar's scan lines at full resolution: a large clean
 * code is still read. */
static void density(void **state)
{
	(void)state;
	bc_matrix m;
	code128("20260410012345", &m);
	bc_place p = bc_place_default(W, H);
	p.module = 4;
	bc_frame *f = frame_with(&m, &p, 1800);
	for (int d = 1; d <= 4; d++) {
		tqk_zscan_opts o = tqk_zscan_opts_default();
		o.density = d;
		o.speed = TQK_ZSCAN_PLAIN;
		tqk_zscan *z = NULL;
		assert_int_equal(tqk_zscan_new(&o, &z), TQK_OK);
		tqk_zscan_result *r = result();
		assert_int_equal(tqk_zscan_decode(z, f->px, W, H, W, r), TQK_OK);
		assert_int_equal(r->n, 1);
		tqk_zscan_stats st;
		tqk_zscan_last_stats(z, &st);
		assert_int_equal(st.pixels, 2ul * W * H / (unsigned long)d);
		free(r);
		tqk_zscan_free(z);
	}
	bc_frame_free(f);
	bc_matrix_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(certificate_numbers),
		cmocka_unit_test(registration_numbers),
		cmocka_unit_test(signed_payloads),
		cmocka_unit_test(rotated),
		cmocka_unit_test(scaled),
		cmocka_unit_test(noisy),
		cmocka_unit_test(blurred),
		cmocka_unit_test(low_contrast),
		cmocka_unit_test(two_codes),
		cmocka_unit_test(clutter_only),
		cmocka_unit_test(symbology_restriction),
		cmocka_unit_test(rejected),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(strides_sizes_and_repeats),
		cmocka_unit_test(cache),
		cmocka_unit_test(density),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
