/*
 * signedqr.h - real signed QR payloads of application forms (core/payload.h)
 * for the barcode tests, each under a fresh Ed25519 key
 * (crypto_sign_keypair), with the key set that verifies it.
 *
 * Plain C without cmocka; sq_make returns 0, or -1 when libsodium cannot
 * start or the payload does not sign.
 */
#ifndef TQK_TEST_SIGNEDQR_H
#define TQK_TEST_SIGNEDQR_H

#include <stddef.h>

#include "core/payload.h"

typedef struct sq_form {
	tqk_payload fields;            /* what the payload says */
	tqk_keyset keys;               /* the one key that verifies it */
	char text[TQK_PAYLOAD_CAP];    /* the payload */
	size_t len;
} sq_form;

/* A form for name (UTF-8) with registration number reg_no (14 digits),
 * ID number 360426199101010071, certificate 20234400121000123, issued
 * 2026-03-15 10:30: about 170 bytes with a three-character name. */
int sq_make(sq_form *f, const char *name, const char *reg_no);

#endif
