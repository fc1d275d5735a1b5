/*
 * zscan.h - barcodes in grey camera frames and images, through ZBar.
 *
 * A tqk_zscan decodes one grey (Y800) frame at a time into symbols: the
 * certificate's Code 128 (17 digits), the form's registration-number Code
 * 128 and its signed QR code. Plain ZBar on a whole 1280x720 frame takes
 * 25-40 ms on this class of machine with its default symbologies and five
 * times that when the frame is noisy; the kiosk wants a decode well inside
 * a video frame. So the fast strategy does not hand ZBar the whole frame
 * (tests/bench/bench_zscan.c measures it, and what each step is worth):
 *
 *  1. Regions of interest (zroi.h): a pass over every fourth row counts
 *     strong grey-level steps across and down per 16x16 cell (the step
 *     threshold follows the frame's noise) and keeps cells with enough of
 *     them that are not texture. A code's inside is made of "core" cells:
 *     a run of three one-way cells along the steps (a linear code), or a
 *     cell whose eight neighbours are all dense (a QR code; a line of text
 *     is one or two cells high). Cores make regions, with the dense cells
 *     two cells around them and a margin for the quiet zone. A region
 *     whose steps go one way at least twice as often as the other is a
 *     linear code, read along that way; parts of one linear code that
 *     noise split are joined. Text, rules and texture seldom give cores.
 *  2. A linear region is scanned along its bars only, on a copy averaged
 *     across them (4 lines into one: a quarter of the pixels, half the
 *     noise), at two phases of that averaging.
 *  3. Any other region (QR codes, tilted codes) is scaled to about 2.5
 *     pixels a module, the module size told by the pitch of its steps:
 *     down for large codes (fewer pixels for ZBar), up for small ones
 *     (ZBar reads QR codes of 1.6 pixels a module scaled up that it does
 *     not read as they are), and scanned both ways. One with cores is
 *     first trimmed to the print connected to its inside (the quiet zone
 *     stops it; zroi.h) and, when its steps across and down pair signs
 *     alike as often as unlike (edges two ways at right angles, unlike a
 *     tilted linear code's), scanned for QR codes only: ZBar's linear
 *     decoders cost more than its QR finder. Only when that gives nothing
 *     is its whole box scanned for every symbology.
 *  4. A region that gave nothing but has the cores of a code gets more:
 *     a mixed one its small modules made larger still (3.5 pixels), then
 *     full resolution; a linear one the band of whole rows (columns) it
 *     lies in, scanned exactly as plain ZBar scans them (ZBar's edge
 *     detector carries state along a line, so a line cut short can read
 *     differently from the whole line).
 *
 * Measured on the generated frames of the tests and the benchmark (codes
 * of 1.5 to 8 pixels a module, tilted, turned, noisy, blurred, dim, next
 * to text and texture): FAST finds every code that default ZBar finds on
 * the whole frame, with one exception in the benchmark's stress runs (a
 * noisy Code 128 turned by 90 degrees at 1.75 pixels a module, where noise
 * leaves a single core), and finds many that ZBar misses (noisy codes,
 * small QR modules). What it cannot find: a code with no core, such as a
 * 21-module QR code of 6 pixels a module, whose cells inside its large
 * modules are empty (version 1 is far smaller than any form's payload).
 *
 * TQK_ZSCAN_THOROUGH then also scans the whole frame at full resolution
 * when nothing was found (for image files, where time does not matter), and
 * TQK_ZSCAN_PLAIN is ZBar on the whole frame and nothing else.
 *
 * QR data comes back as the bytes in the symbol (ZBar's binary mode: no
 * guessing of character sets), so a signed payload verifies byte for byte.
 * Symbols whose data holds a NUL byte or exceeds TQK_ZSCAN_DATA_CAP are
 * counted as rejected and left out; the others are kept. Results are sorted
 * by position (top, then left) and the same frame gives the same result,
 * unless the cache option is on (then a frame's result may depend on the
 * previous frame: see tqk_zscan_opts).
 *
 * PDF417: ZBar 0.23 as Debian builds it has no PDF417 decoder (zbarimg's
 * list of symbologies lacks it), so there is no PDF417 bit here.
 *
 * A tqk_zscan is not thread-safe: one per thread (the camera worker's).
 */
#ifndef TQK_DEV_ZSCAN_H
#define TQK_DEV_ZSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TQK_ZSCAN_DIM_MAX 8192     /* frames are at most this wide and high */
#define TQK_ZSCAN_DATA_CAP 2048    /* bytes of one symbol's data */
#define TQK_ZSCAN_MAX_SYMBOLS 8    /* symbols one decode reports */

/* Symbologies, as bits. */
enum {
	TQK_SYM_QR = 1u << 0,
	TQK_SYM_CODE128 = 1u << 1,
	TQK_SYM_EAN13 = 1u << 2,
	TQK_SYM_CODE39 = 1u << 3,
	TQK_SYM_ALL = (1u << 4) - 1,
	/* What the certificate and the form carry: the default. */
	TQK_SYM_DEFAULT = TQK_SYM_QR | TQK_SYM_CODE128,
};

typedef enum tqk_zscan_speed {
	TQK_ZSCAN_FAST = 0,     /* regions of interest, steps 1-3 above (camera) */
	TQK_ZSCAN_THOROUGH,     /* FAST, then the whole frame if nothing was found */
	TQK_ZSCAN_PLAIN,        /* ZBar on the whole frame only */
} tqk_zscan_speed;

typedef struct tqk_zscan_opts {
	unsigned symbols;       /* TQK_SYM_* bits; 0 means TQK_SYM_DEFAULT */
	int density;            /* scan-line spacing of full-resolution scans,
	                           1..4; 0 means 1 */
	tqk_zscan_speed speed;
	/* Video: after a hit, the next frame first scans the region of that
	 * hit (enlarged), and when it gives symbols they are the result and
	 * the rest of the frame is not looked at. Off by default. */
	bool cache;
} tqk_zscan_opts;

/* One decoded symbol. */
typedef struct tqk_zsym {
	unsigned type;          /* one TQK_SYM_* bit */
	const char *name;       /* ZBar's name: "QR-Code", "CODE-128", "EAN-13", "CODE-39" */
	size_t len;             /* bytes in data, without the NUL added after them */
	char data[TQK_ZSCAN_DATA_CAP + 1];
	int x, y, w, h;         /* where it was found, frame pixels */
} tqk_zsym;

typedef struct tqk_zscan_result {
	size_t n;               /* symbols in sym */
	tqk_zsym sym[TQK_ZSCAN_MAX_SYMBOLS];
	size_t rejected;        /* symbols left out (NUL byte, too long, no room) */
	tqk_err reject_err;     /* why the first was left out: TQK_E_SCAN_CHARS,
	                           TQK_E_TOO_LONG; TQK_OK when none was */
} tqk_zscan_result;

typedef struct tqk_zscan tqk_zscan;

/* The default options: QR + Code 128, density 1, FAST, no cache. */
tqk_zscan_opts tqk_zscan_opts_default(void);

/*
 * A decoder for opts (NULL: the defaults) into *out. Fails with TQK_E_ARG
 * when an option is out of range (unknown symbol bits, density outside
 * 1..4, unknown speed), TQK_E_NOMEM. Free with tqk_zscan_free (NULL is a
 * no-op).
 */
tqk_err tqk_zscan_new(const tqk_zscan_opts *opts, tqk_zscan **out) TQK_MUST_CHECK;
void tqk_zscan_free(tqk_zscan *z);

/*
 * Decodes the grey frame px (w x h pixels, rows stride bytes apart; the
 * caller keeps it) into *res. Returns TQK_OK whether or not anything was
 * found (res->n says); TQK_E_ARG for dimensions out of 1..TQK_ZSCAN_DIM_MAX
 * or stride < w; TQK_E_NOMEM. res is filled in either case (empty on
 * failure).
 */
tqk_err tqk_zscan_decode(tqk_zscan *z, const uint8_t *px, int w, int h, size_t stride,
                         tqk_zscan_result *res) TQK_MUST_CHECK;

/* What the last decode handed ZBar: for the benchmark and for tuning. */
typedef struct tqk_zscan_stats {
	unsigned regions;       /* regions of interest found */
	unsigned scans;         /* zbar_scan_image calls */
	unsigned long pixels;   /* pixels ZBar's scan lines went over (both ways) */
} tqk_zscan_stats;

void tqk_zscan_last_stats(const tqk_zscan *z, tqk_zscan_stats *out);

/* Forgets the cached region of the last hit (a new session at the kiosk). */
void tqk_zscan_reset(tqk_zscan *z);

/*
 * Parses a comma-separated list of symbology names into bits: qr, code128,
 * ean13, code39 (case-insensitive; "all" for every one). Returns TQK_E_ARG
 * for an empty list or an unknown name, TQK_E_TOO_LONG beyond 256 bytes.
 */
tqk_err tqk_zscan_symbols_parse(const char *s, unsigned *out) TQK_MUST_CHECK;

/* ZBar's name of one TQK_SYM_* bit ("QR-Code"); "?" for anything else. */
const char *tqk_zscan_symbol_name(unsigned type);

#endif
