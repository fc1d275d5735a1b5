/*
 * test_simd_zroi.c - the SSE2 step counts of zroi.c give what its plain C
 * gives: the same regions, field for field, and the same trimmed boxes,
 * on camera-like scenes of every kind and on frames of odd sizes and
 * padded rows (where the vector loop hands over to the scalar one).
 *
 * The plain C is zroi.c itself, included here with TQK_ZROI_SCALAR and its
 * public names renamed; libtqk.a supplies the SSE2 build. On a machine
 * without SSE2 both are plain C and the test still holds.
 */
#include "test.h"

#include <stdlib.h>

#include "dev/zroi.h" /* the SSE2 build's names, before the renaming */

#define TQK_ZROI_SCALAR
#define tqk_zroi_new scalar_zroi_new
#define tqk_zroi_free scalar_zroi_free
#define tqk_zroi_find scalar_zroi_find
#define tqk_zroi_trim scalar_zroi_trim
#include "dev/zroi.c"
#undef tqk_zroi_new
#undef tqk_zroi_free
#undef tqk_zroi_find
#undef tqk_zroi_trim

#include "support/rng.h"
#include "support/scene.h"

/* Both builds on one frame: the same regions and trimmed boxes. */
static void same(tqk_zroi *fast, tqk_zroi *plain, const uint8_t *px, int w, int h, size_t stride)
{
	tqk_zroi_region a[TQK_ZROI_MAX], b[TQK_ZROI_MAX];
	size_t na = 0, nb = 0;
	assert_int_equal(tqk_zroi_find(fast, px, w, h, stride, a, TQK_ZROI_MAX, &na), TQK_OK);
	assert_int_equal(scalar_zroi_find(plain, px, w, h, stride, b, TQK_ZROI_MAX, &nb), TQK_OK);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_int_equal(a[i].kind, b[i].kind);
		assert_int_equal(a[i].x0, b[i].x0);
		assert_int_equal(a[i].y0, b[i].y0);
		assert_int_equal(a[i].x1, b[i].x1);
		assert_int_equal(a[i].y1, b[i].y1);
		assert_int_equal(a[i].cores, b[i].cores);
		assert_int_equal(a[i].core0, b[i].core0);
		assert_int_equal(a[i].core1, b[i].core1);
		assert_true(a[i].pitch == b[i].pitch);
		assert_true(a[i].module == b[i].module);
		assert_int_equal(a[i].alike, b[i].alike);
		assert_int_equal(a[i].unlike, b[i].unlike);
		tqk_zroi_box ta, tb;
		tqk_zroi_trim(fast, px, stride, &a[i], &ta);
		scalar_zroi_trim(plain, px, stride, &b[i], &tb);
		assert_int_equal(ta.x0, tb.x0);
		assert_int_equal(ta.y0, tb.y0);
		assert_int_equal(ta.x1, tb.x1);
		assert_int_equal(ta.y1, tb.y1);
		/* A trimmed box lies within its region's box and is not empty. */
		assert_true(ta.x0 >= a[i].x0 && ta.x1 <= a[i].x1 && ta.x0 < ta.x1);
		assert_true(ta.y0 >= a[i].y0 && ta.y1 <= a[i].y1 && ta.y0 < ta.y1);
	}
}

static void scenes(void **state)
{
	(void)state;
	tqk_zroi *fast = tqk_zroi_new(), *plain = scalar_zroi_new();
	assert_non_null(fast);
	assert_non_null(plain);
	const unsigned kinds[] = {0, SC_CODE128, SC_QR, SC_CODE128 | SC_QR};
	unsigned regions = 0;
	for (unsigned k = 0; k < 4; k++)
		for (uint64_t seed = 1; seed <= 6; seed++) {
			sc_spec spec = sc_spec_default(kinds[k]);
			spec.noise = seed % 2 ? 10 : 0;
			spec.blur = seed % 3 == 0;
			spec.turn = true;
			bc_frame *f = NULL;
			sc_code codes[2];
			size_t n = 0;
			assert_int_equal(sc_make(&spec, seed * 131 + k, &f, codes, &n), 0);
			same(fast, plain, f->px, f->w, f->h, (size_t)f->w);
			tqk_zroi_region r[TQK_ZROI_MAX];
			size_t got = 0;
			assert_int_equal(tqk_zroi_find(fast, f->px, f->w, f->h, (size_t)f->w, r,
			                               TQK_ZROI_MAX, &got), TQK_OK);
			regions += (unsigned)got;
			bc_frame_free(f);
		}
	assert_true(regions > 24); /* the comparison compared something */
	tqk_zroi_free(fast);
	scalar_zroi_free(plain);
}

/* Random print at sizes that end mid-cell and rows padded to a stride:
 * every width from one short of a cell boundary to one past, and more. */
static void odd_sizes(void **state)
{
	(void)state;
	tqk_zroi *fast = tqk_zroi_new(), *plain = scalar_zroi_new();
	assert_non_null(fast);
	assert_non_null(plain);
	uint64_t rng = 7;
	const int widths[] = {1, 3, 15, 16, 17, 18, 19, 31, 33, 34, 47, 50, 63, 64, 66, 97, 130, 255};
	const int heights[] = {1, 5, 16, 17, 30, 33, 64, 71};
	size_t cap = 300 * 80;
	uint8_t *px = malloc(cap);
	assert_non_null(px);
	for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; wi++)
		for (size_t hi = 0; hi < sizeof heights / sizeof heights[0]; hi++) {
			int w = widths[wi], h = heights[hi];
			size_t stride = (size_t)w + rng_below(&rng, 20);
			/* Blocks of black and white in random sizes, some grey noise. */
			for (size_t i = 0; i < stride * (size_t)h; i++)
				px[i] = (uint8_t)(rng_below(&rng, 24));
			for (int b = 0; b < 40; b++) {
				int x0 = (int)rng_below(&rng, (unsigned)w), y0 = (int)rng_below(&rng, (unsigned)h);
				int bw = 1 + (int)rng_below(&rng, 6), bh = 1 + (int)rng_below(&rng, 12);
				for (int y = y0; y < y0 + bh && y < h; y++)
					for (int x = x0; x < x0 + bw && x < w; x++)
						px[(size_t)y * stride + (size_t)x] = (uint8_t)(200 + rng_below(&rng, 55));
			}
			same(fast, plain, px, w, h, stride);
		}
	free(px);
	tqk_zroi_free(fast);
	scalar_zroi_free(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scenes),
		cmocka_unit_test(odd_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
