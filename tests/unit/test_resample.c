/*
 * test_resample.c - grey image scaling (resample.h): the same size is a
 * copy, halving averages 2 x 2 blocks, a flat image stays flat both ways,
 * edges land where they belong, rows of the source may be padded, and
 * sizes out of range are refused.
 */
#include "test.h"

#include <stdlib.h>

#include "dev/resample.h"

static tqk_resampler *rs(void)
{
	tqk_resampler *r = tqk_resampler_new();
	assert_non_null(r);
	return r;
}

static void same_size_is_a_copy(void **state)
{
	(void)state;
	tqk_resampler *r = rs();
	uint8_t src[7 * 5], dst[7 * 5];
	for (int i = 0; i < 35; i++)
		src[i] = (uint8_t)(i * 37);
	assert_int_equal(tqk_resample(r, src, 7, 7, 5, dst, 7, 5), TQK_OK);
	assert_memory_equal(src, dst, sizeof src);
	tqk_resampler_free(r);
}

static void halving_averages(void **state)
{
	(void)state;
	tqk_resampler *r = rs();
	/* 2 x 2 blocks of 0, 100, 40, 255 (padded rows: stride 9). */
	uint8_t src[4 * 9];
	memset(src, 77, sizeof src);
	static const uint8_t block[2][2] = {{0, 100}, {40, 255}};
	for (int y = 0; y < 4; y++)
		for (int x = 0; x < 8; x++)
			src[y * 9 + x] = (x & 1) ? block[y & 1][1] : block[y & 1][0];
	uint8_t dst[4 * 2];
	assert_int_equal(tqk_resample(r, src, 9, 8, 4, dst, 4, 2), TQK_OK);
	for (int i = 0; i < 8; i++)
		assert_true(abs(dst[i] - (0 + 100 + 40 + 255 + 2) / 4) <= 1);
	tqk_resampler_free(r);
}

static void flat_stays_flat(void **state)
{
	(void)state;
	tqk_resampler *r = rs();
	uint8_t src[30 * 20], dst[120 * 80];
	memset(src, 173, sizeof src);
	const int sizes[][2] = {{120, 80}, {45, 31}, {8, 5}, {30, 20}, {59, 7}};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		int w = sizes[k][0], h = sizes[k][1];
		assert_int_equal(tqk_resample(r, src, 30, 30, 20, dst, w, h), TQK_OK);
		for (int i = 0; i < w * h; i++)
			assert_int_equal(dst[i], 173);
	}
	tqk_resampler_free(r);
}

/* A dark left half, a light right half: after any scale the left quarter
 * is dark and the right quarter light. */
static void edges_in_place(void **state)
{
	(void)state;
	tqk_resampler *r = rs();
	uint8_t src[40 * 10], dst[160 * 40];
	for (int y = 0; y < 10; y++)
		for (int x = 0; x < 40; x++)
			src[y * 40 + x] = x < 20 ? 10 : 240;
	const int widths[] = {10, 17, 40, 63, 160};
	for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
		int w = widths[k], h = k == 4 ? 40 : 10;
		assert_int_equal(tqk_resample(r, src, 40, 40, 10, dst, w, h), TQK_OK);
		for (int y = 0; y < h; y++) {
			const uint8_t *row = dst + y * w;
			assert_int_equal(row[0], 10);
			assert_int_equal(row[w / 4 - 1], 10);
			assert_int_equal(row[3 * w / 4 + 1], 240);
			assert_int_equal(row[w - 1], 240);
		}
	}
	tqk_resampler_free(r);
}

static void out_of_range(void **state)
{
	(void)state;
	tqk_resampler *r = rs();
	uint8_t src[64], dst[64];
	memset(src, 0, sizeof src);
	assert_int_equal(tqk_resample(r, src, 8, 8, 8, dst, 1, 8), TQK_E_ARG);  /* below 1/4 */
	assert_int_equal(tqk_resample(r, src, 2, 2, 2, dst, 9, 2), TQK_E_ARG);  /* above 4 */
	assert_int_equal(tqk_resample(r, src, 7, 8, 8, dst, 8, 8), TQK_E_ARG);  /* stride */
	assert_int_equal(tqk_resample(r, src, 8, 0, 8, dst, 8, 8), TQK_E_ARG);
	assert_int_equal(tqk_resample(r, src, 8, 8, 8, dst, 8, 0), TQK_E_ARG);
	assert_int_equal(tqk_resample(r, src, 8, 8, 8, dst, 2, 2), TQK_OK);    /* exactly 1/4 */
	assert_int_equal(tqk_resample(r, src, 2, 2, 2, dst, 8, 8), TQK_OK);    /* exactly 4 */
	tqk_resampler_free(r);
	tqk_resampler_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_size_is_a_copy),
		cmocka_unit_test(halving_averages),
		cmocka_unit_test(flat_stays_flat),
		cmocka_unit_test(edges_in_place),
		cmocka_unit_test(out_of_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
