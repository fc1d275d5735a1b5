/*
 * image.c - PNG (libpng, from memory) and binary PGM/PPM files into grey
 * images, with the caps of image.h.
 */
#include "dev/image.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* BT.601 luma in 8-bit fixed point. */
static uint8_t luma(unsigned r, unsigned g, unsigned b)
{
	return (uint8_t)((77 * r + 150 * g + 29 * b + 128) >> 8);
}

static tqk_err check_size(unsigned long w, unsigned long h)
{
	if (w == 0 || h == 0)
		return TQK_E_IMAGE_FORMAT;
	if (w > TQK_IMAGE_DIM_MAX || h > TQK_IMAGE_DIM_MAX || w * h > TQK_IMAGE_PIXELS_MAX)
		return TQK_E_IMAGE_SIZE;
	return TQK_OK;
}

/* ---- PNM ---- */

/* Skips white space and comments; returns false at the end of the data. */
static bool pnm_space(const uint8_t *d, size_t len, size_t *i)
{
	while (*i < len) {
		if (d[*i] == '#') {
			while (*i < len && d[*i] != '\n' && d[*i] != '\r')
				(*i)++;
		} else if (d[*i] == ' ' || d[*i] == '\t' || d[*i] == '\n' || d[*i] == '\r' ||
		           d[*i] == '\v' || d[*i] == '\f') {
			(*i)++;
		} else {
			return true;
		}
	}
	return false;
}

/* A header number: 1 to 5 decimal digits (at most 65535), after white
 * space, followed by white space. */
static bool pnm_number(const uint8_t *d, size_t len, size_t *i, unsigned *out)
{
	if (!pnm_space(d, len, i))
		return false;
	unsigned v = 0;
	size_t start = *i;
	while (*i < len && d[*i] >= '0' && d[*i] <= '9') {
		if (*i - start == 5)
			return false;
		v = v * 10 + (unsigned)(d[*i] - '0');
		(*i)++;
	}
	if (*i == start || v > 65535 || *i >= len)
		return false;
	*out = v;
	return true;
}

static bool pnm_white(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static tqk_err decode_pnm(const uint8_t *d, size_t len, tqk_image *out)
{
	bool colour = d[1] == '6';
	size_t i = 2;
	unsigned w, h, maxval;
	if (len < 3 || !pnm_white(d[2]) || !pnm_number(d, len, &i, &w) ||
	    !pnm_number(d, len, &i, &h) || !pnm_number(d, len, &i, &maxval))
		return TQK_E_IMAGE_FORMAT;
	tqk_err err = check_size(w, h);
	if (err != TQK_OK)
		return err;
	if (maxval == 0 || !pnm_white(d[i]))
		return TQK_E_IMAGE_FORMAT;
	i++;
	size_t bytes = maxval > 255 ? 2 : 1, channels = colour ? 3 : 1;
	size_t n = (size_t)w * h;
	if (len - i != n * channels * bytes)
		return TQK_E_IMAGE_FORMAT;
	uint8_t *px = malloc(n);
	if (px == NULL)
		return TQK_E_NOMEM;
	const uint8_t *s = d + i;
	for (size_t k = 0; k < n; k++) {
		unsigned v[3];
		for (size_t c = 0; c < channels; c++, s += bytes) {
			unsigned x = bytes == 2 ? (unsigned)s[0] << 8 | s[1] : s[0];
			if (x > maxval) {
				free(px);
				return TQK_E_IMAGE_FORMAT;
			}
			v[c] = (x * 255 + maxval / 2) / maxval;
		}
		px[k] = colour ? luma(v[0], v[1], v[2]) : (uint8_t)v[0];
	}
	*out = (tqk_image){(int)w, (int)h, px};
	return TQK_OK;
}

/* ---- PNG ---- */

typedef struct png_src {
	const uint8_t *data;
	size_t len, pos;
	tqk_err err;          /* what a longjmp out of libpng means */
	uint8_t *rows;        /* libpng's rows, freed by the caller */
	uint8_t *px;
} png_src;

static void png_read(png_structp png, png_bytep buf, size_t n)
{
	png_src *s = png_get_io_ptr(png);
	if (n > s->len - s->pos)
		png_error(png, "truncated");
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
}

static void png_fail(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void png_quiet(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* Runs libpng over s; the caller frees s->rows and, on failure, s->px. */
static tqk_err png_run(png_structp png, png_infop info, png_src *s, tqk_image *out)
{
	if (setjmp(png_jmpbuf(png)))
		return s->err;
	png_set_read_fn(png, s, png_read);
	/* Our caps, not libpng's, decide what is too large. */
	png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
	png_set_chunk_malloc_max(png, 8u << 20);
	png_read_info(png, info);
	png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
	tqk_err err = check_size(w, h);
	if (err != TQK_OK)
		return err;
	int type = png_get_color_type(png, info);
	if (type == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(png);
	if (type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8)
		png_set_expand_gray_1_2_4_to_8(png);
	if (png_get_valid(png, info, PNG_INFO_tRNS))
		png_set_tRNS_to_alpha(png);
	png_set_strip_16(png);
	int passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	size_t channels = png_get_channels(png, info), rowbytes = png_get_rowbytes(png, info);
	if (channels < 1 || channels > 4 || rowbytes != channels * w)
		return TQK_E_IMAGE_FORMAT;
	s->err = TQK_E_NOMEM;
	s->rows = malloc(rowbytes * h);
	s->px = malloc((size_t)w * h);
	if (s->rows == NULL || s->px == NULL)
		return TQK_E_NOMEM;
	s->err = TQK_E_IMAGE_FORMAT;
	for (int pass = 0; pass < passes; pass++)
		for (png_uint_32 y = 0; y < h; y++)
			png_read_row(png, s->rows + y * rowbytes, NULL);
	png_read_end(png, NULL);
	for (size_t k = 0; k < (size_t)w * h; k++) {
		const uint8_t *p = s->rows + k * channels;
		unsigned v = channels >= 3 ? luma(p[0], p[1], p[2]) : p[0];
		unsigned a = channels == 2 ? p[1] : channels == 4 ? p[3] : 255;
		/* On white, as transparent parts of a picture are on paper. */
		s->px[k] = (uint8_t)((v * a + 255 * (255 - a) + 127) / 255);
	}
	*out = (tqk_image){(int)w, (int)h, s->px};
	s->px = NULL;
	return TQK_OK;
}

static tqk_err decode_png(const uint8_t *d, size_t len, tqk_image *out)
{
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, png_quiet);
	png_infop info = png != NULL ? png_create_info_struct(png) : NULL;
	if (info == NULL) {
		png_destroy_read_struct(&png, NULL, NULL);
		return TQK_E_NOMEM;
	}
	png_src s = {.data = d, .len = len, .err = TQK_E_IMAGE_FORMAT};
	tqk_err err = png_run(png, info, &s, out);
	png_destroy_read_struct(&png, &info, NULL);
	free(s.rows);
	free(s.px);
	return err;
}

tqk_err tqk_image_decode(const uint8_t *data, size_t len, tqk_image *out)
{
	static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	*out = (tqk_image){0, 0, NULL};
	if (len > TQK_IMAGE_FILE_MAX)
		return TQK_E_IMAGE_SIZE;
	if (len >= sizeof sig && memcmp(data, sig, sizeof sig) == 0)
		return decode_png(data, len, out);
	if (len >= 2 && data[0] == 'P' && (data[1] == '5' || data[1] == '6'))
		return decode_pnm(data, len, out);
	return TQK_E_IMAGE_FORMAT;
}

tqk_err tqk_image_load(const char *path, tqk_image *out)
{
	*out = (tqk_image){0, 0, NULL};
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return errno == ENOMEM ? TQK_E_NOMEM : TQK_E_IMAGE;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	tqk_err err = TQK_OK;
	for (;;) {
		if (len == cap) {
			if (cap > TQK_IMAGE_FILE_MAX) {
				err = TQK_E_IMAGE_SIZE;
				break;
			}
			size_t next = cap == 0 ? 1u << 16 : 2 * cap;
			uint8_t *p = realloc(buf, next);
			if (p == NULL) {
				err = TQK_E_NOMEM;
				break;
			}
			buf = p;
			cap = next;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f))
				err = TQK_E_IMAGE; /* a directory reads as an error too */
			break;
		}
	}
	fclose(f);
	if (err == TQK_OK)
		err = len > TQK_IMAGE_FILE_MAX ? TQK_E_IMAGE_SIZE : tqk_image_decode(buf, len, out);
	free(buf);
	return err;
}

void tqk_image_close(tqk_image *img)
{
	if (img == NULL)
		return;
	free(img->px);
	*img = (tqk_image){0, 0, NULL};
}
