/*
 * zroi.h - regions of a grey frame that may hold a barcode (zscan's step 1).
 *
 * A cheap pass over the frame counts strong grey-level steps per cell of
 * TQK_ZROI_CELL x TQK_ZROI_CELL pixels: steps across (x to x+2) and down (y
 * to y+2), sampled on every fourth row and every second column, so a cell
 * has 32 samples each way. The step threshold follows the frame's noise
 * (the median step of the flat majority of the frame). A cell with enough
 * steps is dense; it is "across" when nearly all its steps go across (the
 * bars of an upright linear code), "down" when nearly all go down (a code
 * turned by 90 degrees), "mixed" otherwise (QR codes, tilted codes, text,
 * texture). Dense cells of one class, joined with their neighbours (a gap
 * of one cell is bridged), make a region; a region's box is its cells' box
 * and a margin for the quiet zone, clipped to the frame.
 *
 * Pure computation on memory the caller owns; no ZBar here.
 */
#ifndef TQK_DEV_ZROI_H
#define TQK_DEV_ZROI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TQK_ZROI_CELL 16         /* pixels a cell is wide and high */
#define TQK_ZROI_MAX 64          /* regions one frame reports, the largest kept */

typedef enum tqk_zroi_kind {
	TQK_ZROI_ACROSS = 0,         /* steps across: read along rows */
	TQK_ZROI_DOWN,               /* steps down: read along columns */
	TQK_ZROI_MIXED,              /* both ways */
} tqk_zroi_kind;

typedef struct tqk_zroi_region {
	tqk_zroi_kind kind;
	int x0, y0, x1, y1;          /* frame pixels, x1 and y1 exclusive, margin included */
	int cores;                   /* core cells in it (a code's inside) */
	int cx0, cy0, cols, rows;    /* its cells' box (margin not included), in cells */
	double density;              /* steps per sample over its dense cells (0..1) */
	bool texture;                /* texture or noise rather than print (not reported) */
	double pitch;                /* pixels per edge along the rows of its cores */
	double module;               /* a QR code's module size that pitch suggests, pixels */
} tqk_zroi_region;

/* Working memory, reused from frame to frame. */
typedef struct tqk_zroi tqk_zroi;

/* A finder; NULL when out of memory. Free with tqk_zroi_free (NULL: no-op). */
tqk_zroi *tqk_zroi_new(void);
void tqk_zroi_free(tqk_zroi *r);

/*
 * Finds the regions of the frame px (w x h, rows stride bytes apart; 1 <=
 * w, h <= 8192, stride >= w) into out (cap entries), their count in *n,
 * largest first. Returns TQK_OK or TQK_E_NOMEM (then *n = 0).
 */
tqk_err tqk_zroi_find(tqk_zroi *r, const uint8_t *px, int w, int h, size_t stride,
                      tqk_zroi_region *out, size_t cap, size_t *n) TQK_MUST_CHECK;

/* The step threshold the last tqk_zroi_find used (grey levels). */
int tqk_zroi_threshold(const tqk_zroi *r);

#endif
