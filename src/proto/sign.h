/*
 * sign.h - how a kiosk signs its requests to the county server, and how the
 * server checks them.
 *
 * Every request but GET /v1/time carries four headers:
 *
 *   X-TQK-Kiosk      the kiosk's id (a code: 1..32 of [A-Za-z0-9_-])
 *   X-TQK-Time       the kiosk's trusted time, seconds since the epoch (decimal)
 *   X-TQK-Nonce      32 lower-case hex digits, random, never reused
 *   X-TQK-Signature  64 lower-case hex digits: HMAC-SHA256 under the kiosk's
 *                    32-byte secret of the string to sign
 *
 * The string to sign is five lines joined by "\n" (no trailing newline):
 *
 *   METHOD                  e.g. "POST"
 *   PATH?QUERY              exactly as sent, e.g. "/v1/applications?since=42&limit=500"
 *   TIME                    the X-TQK-Time value
 *   NONCE                   the X-TQK-Nonce value
 *   hex(SHA-256(body))      of the exact body bytes (of "" for a GET)
 *
 * The server refuses a request whose time is more than TQK_SIGN_WINDOW
 * seconds away from its own, a nonce it has seen within the window, and a
 * signature that does not verify (compared in constant time). The secret is
 * written as 64 hex digits wherever a person handles it.
 */
#ifndef TQK_PROTO_SIGN_H
#define TQK_PROTO_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TQK_SIGN_KEY_LEN 32
#define TQK_SIGN_KEY_HEX (2 * TQK_SIGN_KEY_LEN + 1)     /* with the NUL */
#define TQK_SIGN_NONCE_LEN 16
#define TQK_SIGN_NONCE_HEX (2 * TQK_SIGN_NONCE_LEN + 1)
#define TQK_SIGN_HEX 65                                 /* 64 digits + NUL */
#define TQK_SIGN_WINDOW 300                             /* seconds either way */

#define TQK_HDR_KIOSK "X-TQK-Kiosk"
#define TQK_HDR_TIME "X-TQK-Time"
#define TQK_HDR_NONCE "X-TQK-Nonce"
#define TQK_HDR_SIGNATURE "X-TQK-Signature"

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void tqk_hex_encode(const uint8_t *in, size_t n, char *out);
/* Exactly 2n hex digits (either case) into n bytes; false otherwise. */
bool tqk_hex_decode(const char *hex, uint8_t *out, size_t n);

/* A fresh random nonce (libsodium). */
void tqk_sign_nonce(char out[TQK_SIGN_NONCE_HEX]);

/*
 * The signature of one request. method and path_query are as sent; body
 * may be NULL when body_len is 0. TQK_E_ARG when a line would hold a
 * newline (it would make two requests sign alike) or the nonce is not 32
 * hex digits.
 */
tqk_err tqk_sign(const uint8_t key[TQK_SIGN_KEY_LEN], const char *method, const char *path_query,
                 int64_t time, const char *nonce, const void *body, size_t body_len,
                 char out[TQK_SIGN_HEX]) TQK_MUST_CHECK;

/* Whether signature (64 hex digits) is the request's; constant time. */
bool tqk_sign_verify(const uint8_t key[TQK_SIGN_KEY_LEN], const char *method,
                     const char *path_query, int64_t time, const char *nonce, const void *body,
                     size_t body_len, const char *signature);

#endif
