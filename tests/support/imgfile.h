/*
 * imgfile.h - image files written by the tests: grey frames as PGM, PPM or
 * PNG in the colour types and bit depths a loader must cope with.
 *
 * Plain C without cmocka; functions return 0, or -1 when the file cannot
 * be written or an argument is out of range.
 */
#ifndef TQK_TEST_IMGFILE_H
#define TQK_TEST_IMGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* w x h grey bytes (rows w apart) as a binary PGM with maxval 255. */
int imgfile_pgm(const char *path, const uint8_t *px, int w, int h);
/* The same grey as a binary PPM: R = G = B. */
int imgfile_ppm(const char *path, const uint8_t *px, int w, int h);

/* PNG colour types the writer makes from a grey frame. */
typedef enum imgfile_png_kind {
	IMGFILE_GREY8,       /* grey, 8 bits */
	IMGFILE_GREY16,      /* grey, 16 bits */
	IMGFILE_GREY1,       /* grey, 1 bit: threshold at 128 */
	IMGFILE_RGB8,        /* R = G = B */
	IMGFILE_RGBA8,       /* with alpha: pixels above 200 fully transparent */
	IMGFILE_PALETTE8,    /* 256-entry grey palette */
} imgfile_png_kind;

int imgfile_png(const char *path, const uint8_t *px, int w, int h, imgfile_png_kind kind,
                bool interlaced);

/* Writes len bytes to path. */
int imgfile_bytes(const char *path, const void *data, size_t len);
/* Reads at most cap bytes of path into a malloc'd buffer (caller frees). */
int imgfile_slurp(const char *path, size_t cap, uint8_t **out, size_t *len);

#endif
