/*
 * barcode.h - grey test frames with barcodes in them, made at test time.
 *
 * A symbol is first encoded into a matrix of modules (Code 128 by zint, QR
 * by libqrencode in 8-bit mode, so that UTF-8 text travels byte for byte),
 * then drawn into a grey frame at any position, module size and angle:
 * every pixel is the mean of 4x4 samples of the module grid taken through
 * the inverse rotation, so edges come out anti-aliased the way a lens gives
 * them. Frames can then be blurred, get Gaussian-like noise, lose contrast,
 * or be made without any code at all ("clutter": gradients, text-like
 * strokes, lines and blobs that stress a decoder's edge detection).
 *
 * Everything is deterministic: the same seed gives the same frame, byte
 * for byte, on every run. Plain C without cmocka, so the benchmarks use it
 * too; functions return 0 on success and -1 on failure (bad arguments, an
 * encoder's refusal, no memory).
 */
#ifndef TQK_TEST_BARCODE_H
#define TQK_TEST_BARCODE_H

#include <stddef.h>
#include <stdint.h>

#define BC_FRAME_DIM_MAX 8192 /* frames are at most this many pixels each way (not BC_DIM_MAX:
                                 POSIX limits.h defines that) */
#define BC_DATA_MAX 2048  /* bytes a test symbol may carry */

/* A grey frame, one byte a pixel, rows of exactly w bytes (stride w). */
typedef struct bc_frame {
	int w, h;
	uint8_t *px;
} bc_frame;

/* A frame of w x h filled with grey; NULL when out of memory or out of
 * range (1..BC_FRAME_DIM_MAX). Free with bc_frame_free (NULL is a no-op). */
bc_frame *bc_frame_new(int w, int h, uint8_t grey);
void bc_frame_free(bc_frame *f);

/* The modules of one symbol, without its quiet zone: rows x cols bytes,
 * 1 for dark. A linear code has one row (it is stretched to bar height
 * when drawn). quiet is the quiet zone the symbology asks for, in modules. */
typedef struct bc_matrix {
	int rows, cols;
	int quiet;
	uint8_t *dark;
} bc_matrix;

/* Code 128 of len bytes (zint, automatic code sets). */
int bc_code128(const char *data, size_t len, bc_matrix *out);
/* Code 39 of len bytes (zint), for the symbology restriction tests. */
int bc_code39(const char *data, size_t len, bc_matrix *out);
/* QR of len bytes in 8-bit mode, error correction level M (libqrencode). */
int bc_qr(const char *data, size_t len, bc_matrix *out);
void bc_matrix_free(bc_matrix *m);

/* Where and how a symbol goes into a frame. */
typedef struct bc_place {
	double cx, cy;       /* centre of the symbol, frame pixels */
	double module;       /* pixels per module (may be fractional) */
	double bar_height;   /* linear codes: bar height in modules (0: 0.25 x width) */
	double angle;        /* degrees, counter-clockwise as seen on screen */
	uint8_t ink, paper;  /* grey of dark modules and of the symbol's paper */
} bc_place;

/* A placement with the usual defaults: centre of a w x h frame, 3 pixels a
 * module, no rotation, ink 20 on paper 235. */
bc_place bc_place_default(int w, int h);

/* Draws m with its quiet zone, as p says, into f (clipped at the edges). */
void bc_draw(bc_frame *f, const bc_matrix *m, const bc_place *p);

/* The box (x0, y0)..(x1, y1), exclusive, that bc_draw paints, clipped to f. */
void bc_extent(const bc_frame *f, const bc_matrix *m, const bc_place *p, int *x0, int *y0,
               int *x1, int *y1);

/* Adds noise of standard deviation sigma grey levels (sum of four uniform
 * draws: close to Gaussian), clamped to 0..255. */
void bc_noise(bc_frame *f, double sigma, uint64_t seed);
/* A box blur of radius r (1..8) applied twice: close to a Gaussian blur. */
int bc_blur(bc_frame *f, int r);
/* Maps every pixel v to lo + v * (hi - lo) / 255: less contrast, or a darker room. */
void bc_contrast(bc_frame *f, uint8_t lo, uint8_t hi);

/* A frame without any code: a lighting gradient, lines of text-like strokes,
 * ruled lines, blobs and a photo-like textured patch, all drawn from seed. */
void bc_clutter(bc_frame *f, uint64_t seed);

/* A deterministic PRNG the tests and benchmarks share (splitmix64). */
uint64_t bc_rand(uint64_t *state);
/* Uniform in [lo, hi). */
double bc_uniform(uint64_t *state, double lo, double hi);

#endif
