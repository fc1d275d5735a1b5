/*
 * scene.h - camera-like test frames: clutter (barcode.h) with a Code 128, a
 * QR code or both placed at random, then blurred, noised or dimmed, all
 * from one seed.
 *
 * What the kiosk camera sees: a form or a certificate held up in front of
 * a busy background. Codes are placed wholly inside the frame (a Code 128
 * left of a QR code when there are both), at a module size drawn from a
 * range, a QR code at any angle, a Code 128 tilted a little and, when
 * asked, also turned by a multiple of 90 degrees. The Code 128 carries 17
 * digits (a certificate number) unless told otherwise; the QR code carries
 * the caller's bytes or 170 printable ones. Plain C without cmocka, for the
 * tests and the benchmarks alike; functions return 0 or -1 (bad spec, an
 * encoder's refusal, no memory).
 */
#ifndef TQK_TEST_SCENE_H
#define TQK_TEST_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "support/barcode.h"

enum { SC_CODE128 = 1, SC_QR = 2 };

typedef struct sc_spec {
	int w, h;                    /* the frame */
	unsigned codes;              /* SC_CODE128 | SC_QR, 0 for none */
	double module_lo, module_hi; /* pixels per module, drawn uniformly */
	double tilt;                 /* a Code 128's angle is within +-tilt degrees ... */
	bool turn;                   /* ... plus 0, 90, 180 or 270 when set */
	const char *linear;          /* the Code 128's text (NULL: 17 random digits) */
	const char *qr;              /* the QR code's bytes (NULL: 170 random printable) */
	size_t qr_len;
	int blur;                    /* bc_blur radius, 0 for none */
	bool dim;                    /* less contrast: grey 70..170 */
	double noise;                /* sigma, 0 for none */
} sc_spec;

/* The usual scene: 1280 x 720, modules 2 to 5 pixels, tilt 5 degrees. */
sc_spec sc_spec_default(unsigned codes);

/* One code in a scene: what it holds and where it went. */
typedef struct sc_code {
	unsigned kind;               /* SC_CODE128 or SC_QR */
	char data[BC_DATA_MAX + 1];
	size_t len;
	double module, angle;
	int x0, y0, x1, y1;          /* its box with the quiet zone, clipped */
} sc_code;

/* Makes the scene of spec and seed into *out (bc_frame_free it) and the
 * codes it holds into codes[0..*n) (at most 2). */
int sc_make(const sc_spec *spec, uint64_t seed, bc_frame **out, sc_code codes[2], size_t *n);

#endif
