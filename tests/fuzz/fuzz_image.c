/*
 * fuzz_image.c - libFuzzer target for the image file decoder (dev/image.h)
 * and what the camera path does next with a grey frame: regions of
 * interest (dev/zroi.h) and scaling (dev/resample.h).
 *
 * Beyond "no crash": a decoded image is within the caps, and the regions
 * found in it lie inside it.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dev/image.h"
#include "dev/resample.h"
#include "dev/zroi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tqk_image img;
	if (tqk_image_decode(data, size, &img) != TQK_OK) {
		assert(img.px == NULL && img.w == 0 && img.h == 0);
		return 0;
	}
	assert(img.w >= 1 && img.h >= 1 && img.w <= TQK_IMAGE_DIM_MAX && img.h <= TQK_IMAGE_DIM_MAX);
	assert((size_t)img.w * (size_t)img.h <= TQK_IMAGE_PIXELS_MAX);
	/* Large pictures cost time, not coverage. */
	if ((size_t)img.w * (size_t)img.h <= 512 * 512) {
		tqk_zroi *r = tqk_zroi_new();
		tqk_zroi_region reg[TQK_ZROI_MAX];
		size_t n = 0;
		if (r != NULL && tqk_zroi_find(r, img.px, img.w, img.h, (size_t)img.w, reg,
		                               TQK_ZROI_MAX, &n) == TQK_OK)
			for (size_t i = 0; i < n; i++)
				assert(reg[i].x0 >= 0 && reg[i].x0 < reg[i].x1 && reg[i].x1 <= img.w &&
				       reg[i].y0 >= 0 && reg[i].y0 < reg[i].y1 && reg[i].y1 <= img.h);
		tqk_zroi_free(r);
		int w = img.w / 3 + 1, h = img.h * 2;
		tqk_resampler *rs = tqk_resampler_new();
		uint8_t *out = malloc((size_t)w * (size_t)h);
		if (rs != NULL && out != NULL) {
			tqk_err err = tqk_resample(rs, img.px, (size_t)img.w, img.w, img.h, out, w, h);
			assert(err == TQK_OK || err == TQK_E_ARG || err == TQK_E_NOMEM);
		}
		free(out);
		tqk_resampler_free(rs);
	}
	tqk_image_close(&img);
	return 0;
}
