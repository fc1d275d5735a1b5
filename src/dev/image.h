/*
 * image.h - image files into grey frames for the barcode decoder.
 *
 * PNG (any colour type and bit depth, through libpng; transparent pixels
 * are put on white, as on paper) and binary PGM/PPM (P5, P6: maxval up to
 * 65535) become one byte a pixel of luma (BT.601 weights for colour). The
 * format is told by the first bytes, not by the file's name.
 *
 * Every file is untrusted: it may be at most TQK_IMAGE_FILE_MAX bytes, and
 * an image at most TQK_IMAGE_DIM_MAX pixels each way and TQK_IMAGE_PIXELS_MAX
 * pixels in all. The PNM parser is strict: the magic, then width, height
 * and maxval as plain decimal numbers separated by white space and
 * comments, one white-space byte, and exactly the samples they announce,
 * nothing after them.
 */
#ifndef TQK_DEV_IMAGE_H
#define TQK_DEV_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TQK_IMAGE_FILE_MAX (64u << 20)          /* bytes of an image file */
#define TQK_IMAGE_DIM_MAX 8192                  /* pixels each way */
#define TQK_IMAGE_PIXELS_MAX (16u << 20)        /* pixels in all (a 16 MP photo) */

/* A grey image: w x h bytes, rows w bytes apart. Caller-allocated; the
 * pixels belong to it until tqk_image_close. */
typedef struct tqk_image {
	int w, h;
	uint8_t *px;
} tqk_image;

/*
 * Decodes the image file held in data (len bytes; the caller keeps it) into
 * *out. Fails with TQK_E_IMAGE_FORMAT when it is neither PNG nor P5/P6, or
 * is malformed or truncated; TQK_E_IMAGE_SIZE beyond the caps;
 * TQK_E_NOMEM. *out is empty ({0, 0, NULL}) on failure.
 */
tqk_err tqk_image_decode(const uint8_t *data, size_t len, tqk_image *out) TQK_MUST_CHECK;

/*
 * Reads the file at path and decodes it. TQK_E_IMAGE when it cannot be
 * opened or read (missing, a directory, no permission), TQK_E_IMAGE_SIZE
 * when it is longer than TQK_IMAGE_FILE_MAX, then tqk_image_decode's
 * errors.
 */
tqk_err tqk_image_load(const char *path, tqk_image *out) TQK_MUST_CHECK;

/* Frees the pixels and empties img; an empty image (or NULL) is a no-op. */
void tqk_image_close(tqk_image *img);

#endif
