/*
 * zroi.h - regions of a grey frame that may hold a barcode (zscan's step 1).
 *
 * A cheap pass over the frame counts strong grey-level steps per cell of
 * TQK_ZROI_CELL x TQK_ZROI_CELL pixels: steps across (x to x+2) and down (y
 * to y+2), sampled on every fourth row and every second column, so a cell
 * has 32 samples each way. The step threshold follows the frame's noise
 * (three times the median step, the median being that of the flat majority
 * of the frame). A cell with enough steps is dense unless it and its
 * neighbours change as much from one pixel to the next as over two
 * (texture, noise: no code ZBar reads has modules of one pixel); it is
 * "across" when nearly all its steps go across (the bars of an upright
 * linear code), "down" when nearly all go down (a code turned by 90
 * degrees), "mixed" otherwise (QR codes, tilted codes, text).
 *
 * Core cells are a code's inside: an across cell between two across cells,
 * a down cell between two down cells, a mixed cell whose eight neighbours
 * are dense. Cores within two cells of each other make a region, with the
 * dense cells up to two cells around them; its box gets a margin for the
 * quiet zone (three cells along a linear code, one elsewhere), clipped to
 * the frame. Its kind follows the steps of all its cells; regions of a
 * kind that overlap, and linear ones in line with a short gap, are merged.
 * The pitch of the edges in the cores tells a QR code's module size.
 *
 * Pure computation on memory the caller owns; no ZBar here.
 */
#ifndef TQK_DEV_ZROI_H
#define TQK_DEV_ZROI_H

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
	int core0, core1;            /* where its cores begin and end along its rows (down:
	                                its columns), frame pixels */
	double pitch;                /* pixels per edge along the rows of its cores */
	double module;               /* a QR code's module size that pitch suggests, pixels
	                                (0: no edges across to tell; else at least 0.5) */
	unsigned long alike, unlike; /* samples stepping both across and down, with signs
	                                alike, unlike: about as many of each for a QR
	                                code (edges two ways at right angles), nearly
	                                all one or the other for the bars of a tilted
	                                linear code */
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

/* A box of frame pixels, x1 and y1 exclusive. */
typedef struct tqk_zroi_box {
	int x0, y0, x1, y1;
} tqk_zroi_box;

/*
 * The trimmed box of region g, one that the last tqk_zroi_find of r
 * returned for the frame px (rows stride bytes apart), into *out: for a
 * mixed region with a module size, the box of the print connected to its
 * inside plus a margin, within its box; its box for any other. Cannot
 * fail.
 */
void tqk_zroi_trim(tqk_zroi *r, const uint8_t *px, size_t stride, const tqk_zroi_region *g,
                   tqk_zroi_box *out);

#endif
