/*
 * payload.h - the signed QR payload of the printed application form (SPEC
 * §2), and the Ed25519 keys that verify it.
 *
 * The county server (and later the kiosk, for walk-in forms) signs who the
 * form belongs to, so that a form printed after the kiosk's last download
 * can still be verified and confirmed offline. The payload is one line of
 * text, eight fields separated by '|':
 *
 *   TQ1|<reg>|<id>|<cert>|<name>|<issued>|<kid>|<sig>
 *
 *   field   bytes   content
 *   ------  ------  ---------------------------------------------------------
 *   0       3       "TQ1": the version. "TQ" + other digits is a version this
 *                   program does not know (TQK_E_PAYLOAD_VERSION)
 *   1       1..32   registration number 报名号, tqk_code_valid()
 *   2       18      ID number, 18 characters with a valid check character,
 *                   X upper-case (a 15-digit number is not accepted)
 *   3       0 | 17  certificate number, 17 digits; empty when none
 *   4       1..96   name as on the ID card: UTF-8, no control characters,
 *                   no '|', no leading or trailing space (nor U+3000)
 *   5       12      issue time YYYYMMDDHHMM, Beijing time, a real minute of
 *                   a year 2000..2099
 *   6       1..16   key id (kid), [A-Za-z0-9_-]
 *   7       86      Ed25519 signature, base64url without padding (RFC 4648
 *                   §5), canonical (the unused low bits of the last
 *                   character are zero)
 *
 * The signature covers TQK_PAYLOAD_DOMAIN (with its terminating NUL)
 * followed by every byte before the last '|' (fields 0..6 and the '|'
 * between them), so a signature made for anything else never verifies as a
 * payload. The whole payload is at most TQK_PAYLOAD_MAX bytes: with the
 * longest fields it is 287 bytes, a QR code of version 12 at level M (65
 * modules; about 33 mm at 0.5 mm a module); a usual form (14-digit
 * registration number, a name of three characters, a 9-character kid) is
 * about 170 bytes, version 9 at level M.
 *
 * Why text: ASCII apart from the name, so that a keyboard-wedge scanner
 * passes it through untouched but for the name, which only the camera and
 * HID-POS paths read (scan.h); '|' never occurs in any field; base64url
 * keeps the signature to 86 characters.
 *
 * The ID and certificate numbers are checked against the issue time (a
 * birth date or a certificate year after the form was issued is wrong), so
 * parsing needs no clock; whether the issue time itself is plausible (not
 * in the future) is the caller's policy.
 *
 * Keys: a public key is 32 bytes, written as 43 characters of base64url
 * (the same alphabet as the signature); a secret key is libsodium's 64
 * bytes (seed and public key), written as 86 characters. A key set maps
 * kids to public keys, at most TQK_KEYSET_MAX of them: the county's active
 * key and the retired ones whose forms are still in circulation.
 *
 * Everything here is pure computation (libsodium's Ed25519 and BLAKE2b); key
 * generation needs randomness and is left to the callers
 * (crypto_sign_keypair).
 */
#ifndef TQK_CORE_PAYLOAD_H
#define TQK_CORE_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/application.h"
#include "core/date.h"
#include "core/err.h"

#define TQK_PAYLOAD_MAX 300             /* bytes in a whole payload */
#define TQK_PAYLOAD_CAP (TQK_PAYLOAD_MAX + 1)
#define TQK_PAYLOAD_VERSION "TQ1"
#define TQK_PAYLOAD_DOMAIN "tqkiosk form payload v1"
#define TQK_PAYLOAD_NAME_MAX 96         /* bytes of the name */
#define TQK_PAYLOAD_TIME_LEN 12         /* YYYYMMDDHHMM */

#define TQK_KID_MAX 16                  /* bytes of a key id */
#define TQK_KID_CAP (TQK_KID_MAX + 1)
#define TQK_PUBKEY_LEN 32
#define TQK_SECKEY_LEN 64
#define TQK_SIG_LEN 64
#define TQK_PUBKEY_TEXT_LEN 43          /* base64url of 32 bytes */
#define TQK_SECKEY_TEXT_LEN 86          /* base64url of 64 bytes */
#define TQK_SIG_TEXT_LEN 86
#define TQK_KEYSET_MAX 16

/* What a payload says, as a plain value. */
typedef struct tqk_payload {
	char reg_no[TQK_CODE_CAP];
	char id_number[TQK_ID_LEN + 1];
	char cert_no[TQK_CERT_LEN + 1];     /* "" when none */
	char name[TQK_PAYLOAD_NAME_MAX + 1];
	tqk_time issued;                    /* a whole minute */
	char kid[TQK_KID_CAP];
} tqk_payload;

typedef struct tqk_pubkey {
	char kid[TQK_KID_CAP];
	uint8_t key[TQK_PUBKEY_LEN];
} tqk_pubkey;

/* The public keys a kiosk verifies with; a plain value (zeroed is empty). */
typedef struct tqk_keyset {
	size_t n;
	tqk_pubkey keys[TQK_KEYSET_MAX];
} tqk_keyset;

/* True when kid is 1..TQK_KID_MAX bytes of [A-Za-z0-9_-] (NUL-terminated). */
bool tqk_kid_valid(const char *kid);

/* The key id the county server gives a new key: "k" and the first four
 * bytes of BLAKE2b(key) in lower-case hex (9 characters). Never fails. */
void tqk_kid_of(const uint8_t key[TQK_PUBKEY_LEN], char kid[TQK_KID_CAP]);

/*
 * A public key's text (exactly 43 base64url characters, canonical) into
 * out; TQK_E_FIELD_VALUE for anything else, out untouched then. The
 * formatter writes the 43 characters and a NUL.
 */
tqk_err tqk_pubkey_parse(const char *s, size_t len, uint8_t out[TQK_PUBKEY_LEN]) TQK_MUST_CHECK;
void tqk_pubkey_format(const uint8_t key[TQK_PUBKEY_LEN], char out[TQK_PUBKEY_TEXT_LEN + 1]);

/* The same for a secret key (86 characters); the parser also checks that
 * the public half belongs to the seed (TQK_E_FIELD_VALUE otherwise). The
 * caller wipes what it no longer needs (sodium_memzero). */
tqk_err tqk_seckey_parse(const char *s, size_t len, uint8_t out[TQK_SECKEY_LEN]) TQK_MUST_CHECK;
void tqk_seckey_format(const uint8_t key[TQK_SECKEY_LEN], char out[TQK_SECKEY_TEXT_LEN + 1]);

/*
 * Adds kid -> key to ks. Fails with TQK_E_FIELD_VALUE for a kid that is not
 * tqk_kid_valid or already in ks, TQK_E_TOO_LONG when ks holds
 * TQK_KEYSET_MAX keys; ks is untouched on failure.
 */
tqk_err tqk_keyset_add(tqk_keyset *ks, const char *kid,
                       const uint8_t key[TQK_PUBKEY_LEN]) TQK_MUST_CHECK;
/* The key with kid (len bytes), or NULL. The pointer is into ks. */
const tqk_pubkey *tqk_keyset_find(const tqk_keyset *ks, const char *kid, size_t len);
/* True when ks is well formed: n within the cap, every kid valid and
 * unique (what a decoder or a store must check of a set it did not build). */
bool tqk_keyset_valid(const tqk_keyset *ks);

/*
 * Signs p with secret (whose kid is p->kid) into out (TQK_PAYLOAD_CAP
 * bytes, NUL-terminated), its length in *len (may be NULL). p must be what
 * tqk_payload_parse would give back: TQK_E_PAYLOAD_FORMAT for any field it
 * would refuse (issued is taken down to its minute first),
 * TQK_E_FIELD_VALUE for a secret key whose public half does not belong to
 * its seed. out is "" on failure.
 */
tqk_err tqk_payload_sign(const tqk_payload *p, const uint8_t secret[TQK_SECKEY_LEN],
                         char out[TQK_PAYLOAD_CAP], size_t *len) TQK_MUST_CHECK;

/*
 * Parses s (len bytes, not NUL-terminated; trailing line ends are not
 * trimmed here, see scan.h) into out and the raw signature into sig (may
 * be NULL), without verifying it. TQK_E_PAYLOAD_VERSION for "TQ" + digits
 * other than 1 before the first '|', TQK_E_PAYLOAD_FORMAT for anything else
 * that is not exactly the layout above (longer than TQK_PAYLOAD_MAX, a
 * field too many or too few, any field that fails its check). out is
 * zeroed on failure.
 */
tqk_err tqk_payload_parse(const char *s, size_t len, tqk_payload *out,
                          uint8_t sig[TQK_SIG_LEN]) TQK_MUST_CHECK;

/*
 * Parses s and verifies its signature with the key of its kid in keys:
 * the parser's errors, then TQK_E_PAYLOAD_KEY when keys has no such kid,
 * TQK_E_PAYLOAD_SIGNATURE when the signature does not verify. out (may be
 * NULL) holds the parsed fields whenever the format was right, also with
 * _KEY and _SIGNATURE (so that a caller can name the key), and is zeroed
 * otherwise: trust it only on TQK_OK.
 */
tqk_err tqk_payload_verify(const char *s, size_t len, const tqk_keyset *keys,
                           tqk_payload *out) TQK_MUST_CHECK;

/* Writes issued as YYYYMMDDHHMM (Beijing time) and a NUL. */
void tqk_payload_time_format(tqk_time issued, char out[TQK_PAYLOAD_TIME_LEN + 1]);

#endif
