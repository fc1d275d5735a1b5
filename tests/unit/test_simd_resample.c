/*
 * test_simd_resample.c - the SSE2 vertical pass of resample.c gives what
 * its plain C gives, byte for byte, at every scale it accepts, on widths
 * that end mid-vector and rows padded to a stride.
 *
 * The plain C is resample.c itself, included here with
 * TQK_RESAMPLE_SCALAR and its public names renamed; libtqk.a supplies the
 * SSE2 build.
 */
#include "test.h"

#include <stdlib.h>

#include "dev/resample.h" /* the SSE2 build's names, before the renaming */

#define TQK_RESAMPLE_SCALAR
#define tqk_resampler_new scalar_resampler_new
#define tqk_resampler_free scalar_resampler_free
#define tqk_resample scalar_resample
#include "dev/resample.c"
#undef tqk_resampler_new
#undef tqk_resampler_free
#undef tqk_resample

#include "support/rng.h"

static void same_bytes(void **state)
{
	(void)state;
	tqk_resampler *fast = tqk_resampler_new(), *plain = scalar_resampler_new();
	assert_non_null(fast);
	assert_non_null(plain);
	uint64_t rng = 11;
	enum { SW = 200, SH = 90 };
	uint8_t *src = malloc((SW + 19) * SH), *a = malloc(4 * SW * 4 * SH), *b = malloc(4 * SW * 4 * SH);
	assert_non_null(src);
	assert_non_null(a);
	assert_non_null(b);
	unsigned runs = 0;
	for (int k = 0; k < 300; k++) {
		int sw = 1 + (int)rng_below(&rng, SW), sh = 1 + (int)rng_below(&rng, SH);
		size_t stride = (size_t)sw + rng_below(&rng, 20);
		/* From a quarter to four times, both ways. */
		int dw = (sw + 3) / 4 + (int)rng_below(&rng, (unsigned)(4 * sw - (sw + 3) / 4 + 1));
		int dh = (sh + 3) / 4 + (int)rng_below(&rng, (unsigned)(4 * sh - (sh + 3) / 4 + 1));
		for (size_t i = 0; i < stride * (size_t)sh; i++)
			src[i] = (uint8_t)rng_next(&rng);
		tqk_err ea = tqk_resample(fast, src, stride, sw, sh, a, dw, dh);
		tqk_err eb = scalar_resample(plain, src, stride, sw, sh, b, dw, dh);
		assert_int_equal(ea, eb);
		if (ea != TQK_OK)
			continue;
		assert_memory_equal(a, b, (size_t)dw * (size_t)dh);
		runs++;
	}
	assert_true(runs > 250);
	free(src);
	free(a);
	free(b);
	tqk_resampler_free(fast);
	scalar_resampler_free(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
