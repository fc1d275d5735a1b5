/*
 * imgfile.c - PGM, PPM and PNG files written by the tests (see imgfile.h).
 */
#include "support/imgfile.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int pnm(const char *path, const uint8_t *px, int w, int h, bool colour)
{
	if (w < 1 || h < 1)
		return -1;
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return -1;
	int ok = fprintf(f, "%s\n# written by a test\n%d %d\n255\n", colour ? "P6" : "P5", w, h) > 0;
	for (size_t i = 0; ok && i < (size_t)w * (size_t)h; i++)
		for (int c = 0; c < (colour ? 3 : 1); c++)
			ok = fputc(px[i], f) != EOF;
	return fclose(f) == 0 && ok ? 0 : -1;
}

int imgfile_pgm(const char *path, const uint8_t *px, int w, int h)
{
	return pnm(path, px, w, h, false);
}

int imgfile_ppm(const char *path, const uint8_t *px, int w, int h)
{
	return pnm(path, px, w, h, true);
}

/* One PNG row of kind from grey row g into out. */
static void png_row(const uint8_t *g, int w, imgfile_png_kind kind, uint8_t *out)
{
	switch (kind) {
	case IMGFILE_GREY8:
	case IMGFILE_PALETTE8:
		memcpy(out, g, (size_t)w);
		break;
	case IMGFILE_GREY16:
		for (int x = 0; x < w; x++) {
			out[2 * x] = g[x];
			out[2 * x + 1] = g[x];
		}
		break;
	case IMGFILE_GREY1:
		memset(out, 0, (size_t)(w + 7) / 8);
		for (int x = 0; x < w; x++)
			if (g[x] >= 128)
				out[x / 8] |= (uint8_t)(0x80 >> (x % 8));
		break;
	case IMGFILE_RGB8:
		for (int x = 0; x < w; x++)
			out[3 * x] = out[3 * x + 1] = out[3 * x + 2] = g[x];
		break;
	case IMGFILE_RGBA8:
		for (int x = 0; x < w; x++) {
			/* Light pixels become transparent black: only compositing on
			 * white brings the paper back. */
			bool clear = g[x] > 200;
			out[4 * x] = out[4 * x + 1] = out[4 * x + 2] = clear ? 0 : g[x];
			out[4 * x + 3] = clear ? 0 : 255;
		}
		break;
	}
}

int imgfile_png(const char *path, const uint8_t *px, int w, int h, imgfile_png_kind kind,
                bool interlaced)
{
	if (w < 1 || h < 1)
		return -1;
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return -1;
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png != NULL ? png_create_info_struct(png) : NULL;
	uint8_t **rows = calloc((size_t)h, sizeof *rows);
	uint8_t *all = malloc(((size_t)w * 4 + 8) * (size_t)h);
	volatile int rc = -1;
	if (info == NULL || rows == NULL || all == NULL || setjmp(png_jmpbuf(png)))
		goto done;
	static const struct {
		int type, depth;
	} t[] = {
		[IMGFILE_GREY8] = {PNG_COLOR_TYPE_GRAY, 8},
		[IMGFILE_GREY16] = {PNG_COLOR_TYPE_GRAY, 16},
		[IMGFILE_GREY1] = {PNG_COLOR_TYPE_GRAY, 1},
		[IMGFILE_RGB8] = {PNG_COLOR_TYPE_RGB, 8},
		[IMGFILE_RGBA8] = {PNG_COLOR_TYPE_RGB_ALPHA, 8},
		[IMGFILE_PALETTE8] = {PNG_COLOR_TYPE_PALETTE, 8},
	};
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, t[kind].depth, t[kind].type,
	             interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (kind == IMGFILE_PALETTE8) {
		png_color pal[256];
		for (int i = 0; i < 256; i++)
			pal[i].red = pal[i].green = pal[i].blue = (png_byte)i;
		png_set_PLTE(png, info, pal, 256);
	}
	png_write_info(png, info);
	size_t stride = (size_t)w * 4 + 8;
	for (int y = 0; y < h; y++) {
		rows[y] = all + (size_t)y * stride;
		png_row(px + (size_t)y * (size_t)w, w, kind, rows[y]);
	}
	png_write_image(png, rows);
	png_write_end(png, NULL);
	rc = 0;
done:
	png_destroy_write_struct(&png, &info);
	free(rows);
	free(all);
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int imgfile_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return -1;
	size_t n = len > 0 ? fwrite(data, 1, len, f) : 0;
	return fclose(f) == 0 && n == len ? 0 : -1;
}

int imgfile_slurp(const char *path, size_t cap, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	uint8_t *buf = malloc(cap + 1);
	size_t n = buf != NULL ? fread(buf, 1, cap + 1, f) : 0;
	fclose(f);
	if (buf == NULL || n > cap) {
		free(buf);
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}
