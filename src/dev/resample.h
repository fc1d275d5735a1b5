/*
 * resample.h - grey images scaled to another size: area averaging when
 * smaller (every output pixel the mean of the input it covers), bilinear
 * when larger. Separable, with the filter taps of each axis computed once
 * per call; the decoder (zscan.c) uses it to bring a region's modules to
 * the size ZBar reads best.
 *
 * Pure computation on memory the caller owns, plus the resampler's own
 * reusable tables.
 */
#ifndef TQK_DEV_RESAMPLE_H
#define TQK_DEV_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TQK_RESAMPLE_DIM_MAX 16384   /* pixels each way, in and out */

typedef struct tqk_resampler tqk_resampler;

/* A resampler; NULL when out of memory. Free with tqk_resampler_free
 * (NULL: no-op). */
tqk_resampler *tqk_resampler_new(void);
void tqk_resampler_free(tqk_resampler *r);

/*
 * Scales the sw x sh image src (rows stride bytes apart) to dw x dh into
 * dst (rows dw bytes apart). The scale on each axis must lie within 1/4
 * and 4. Returns TQK_OK, TQK_E_ARG for sizes out of range, TQK_E_NOMEM.
 */
tqk_err tqk_resample(tqk_resampler *r, const uint8_t *src, size_t stride, int sw, int sh,
                     uint8_t *dst, int dw, int dh) TQK_MUST_CHECK;

#endif
