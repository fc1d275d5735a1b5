/*
 * payload.c - the signed QR payload of the application form (payload.h):
 * strict parsing field by field with core's validators, Ed25519 signing
 * and verification, and the text forms of keys (libsodium).
 *
 * base64url goes through libsodium's codec and is then encoded again and
 * compared, so that exactly one text stands for each key or signature:
 * otherwise a change to the unused low bits of the last character would be
 * a second, equally valid payload.
 */
#include "core/payload.h"

#include <assert.h>
#include <sodium.h>
#include <string.h>

#include "core/certnum.h"
#include "core/idnum.h"
#include "core/text.h"

_Static_assert(TQK_FORM_PAYLOAD_CAP == TQK_PAYLOAD_CAP, "an application holds a whole payload");

#define FIELDS 8
#define VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* ---- base64url ---- */

/* Decodes exactly n bytes from the len characters at s, which must be the
 * canonical encoding; false otherwise (out may be partly written). */
static bool b64_decode(const char *s, size_t len, uint8_t *out, size_t n)
{
	if (len != sodium_base64_ENCODED_LEN(n, VARIANT) - 1)
		return false;
	size_t got = 0;
	if (sodium_base642bin(out, n, s, len, NULL, &got, NULL, VARIANT) != 0 || got != n)
		return false;
	char again[TQK_SIG_TEXT_LEN + 1];
	assert(len < sizeof again);
	sodium_bin2base64(again, sizeof again, out, n, VARIANT);
	bool same = memcmp(again, s, len) == 0;
	sodium_memzero(again, sizeof again);    /* may be a secret key */
	return same;
}

static void b64_encode(const uint8_t *in, size_t n, char *out, size_t cap)
{
	sodium_bin2base64(out, cap, in, n, VARIANT);
}

/* ---- keys ---- */

/* libsodium set up (idempotent and thread-safe; picks the fast code
 * paths); false only when the system has no entropy source. */
static bool crypto_ready(void)
{
	return sodium_init() >= 0;
}

bool tqk_kid_valid(const char *kid)
{
	size_t n = strnlen(kid, TQK_KID_CAP);
	return n < TQK_KID_CAP && tqk_code_chars(kid, n, TQK_KID_MAX);
}

void tqk_kid_of(const uint8_t key[TQK_PUBKEY_LEN], char kid[TQK_KID_CAP])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t h[16];
	(void)crypto_ready();       /* BLAKE2b needs no more than the defaults */
	crypto_generichash(h, sizeof h, key, TQK_PUBKEY_LEN, NULL, 0);
	kid[0] = 'k';
	for (int i = 0; i < 4; i++) {
		kid[1 + 2 * i] = hex[h[i] >> 4];
		kid[2 + 2 * i] = hex[h[i] & 0x0f];
	}
	kid[9] = '\0';
}

tqk_err tqk_pubkey_parse(const char *s, size_t len, uint8_t out[TQK_PUBKEY_LEN])
{
	uint8_t k[TQK_PUBKEY_LEN];
	if (!b64_decode(s, len, k, sizeof k))
		return TQK_E_FIELD_VALUE;
	memcpy(out, k, sizeof k);
	return TQK_OK;
}

void tqk_pubkey_format(const uint8_t key[TQK_PUBKEY_LEN], char out[TQK_PUBKEY_TEXT_LEN + 1])
{
	b64_encode(key, TQK_PUBKEY_LEN, out, TQK_PUBKEY_TEXT_LEN + 1);
}

/* True when the public half of secret belongs to its seed. */
static bool seckey_consistent(const uint8_t secret[TQK_SECKEY_LEN])
{
	if (!crypto_ready())
		return false;
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	crypto_sign_seed_keypair(pk, sk, secret);
	bool ok = sodium_memcmp(pk, secret + 32, sizeof pk) == 0;
	sodium_memzero(sk, sizeof sk);
	return ok;
}

tqk_err tqk_seckey_parse(const char *s, size_t len, uint8_t out[TQK_SECKEY_LEN])
{
	uint8_t k[TQK_SECKEY_LEN];
	tqk_err err = TQK_E_FIELD_VALUE;
	if (b64_decode(s, len, k, sizeof k) && seckey_consistent(k)) {
		memcpy(out, k, sizeof k);
		err = TQK_OK;
	}
	sodium_memzero(k, sizeof k);
	return err;
}

void tqk_seckey_format(const uint8_t key[TQK_SECKEY_LEN], char out[TQK_SECKEY_TEXT_LEN + 1])
{
	b64_encode(key, TQK_SECKEY_LEN, out, TQK_SECKEY_TEXT_LEN + 1);
}

tqk_err tqk_keyset_add(tqk_keyset *ks, const char *kid, const uint8_t key[TQK_PUBKEY_LEN])
{
	assert(ks != NULL && kid != NULL && key != NULL);
	if (!tqk_kid_valid(kid) || tqk_keyset_find(ks, kid, strlen(kid)) != NULL)
		return TQK_E_FIELD_VALUE;
	if (ks->n >= TQK_KEYSET_MAX)
		return TQK_E_TOO_LONG;
	tqk_pubkey *k = &ks->keys[ks->n++];
	memset(k, 0, sizeof *k);
	memcpy(k->kid, kid, strlen(kid) + 1);
	memcpy(k->key, key, TQK_PUBKEY_LEN);
	return TQK_OK;
}

const tqk_pubkey *tqk_keyset_find(const tqk_keyset *ks, const char *kid, size_t len)
{
	if (ks == NULL || len == 0 || len > TQK_KID_MAX)
		return NULL;
	size_t n = ks->n < TQK_KEYSET_MAX ? ks->n : TQK_KEYSET_MAX;
	for (size_t i = 0; i < n; i++)
		if (strnlen(ks->keys[i].kid, TQK_KID_CAP) == len &&
		    memcmp(ks->keys[i].kid, kid, len) == 0)
			return &ks->keys[i];
	return NULL;
}

bool tqk_keyset_valid(const tqk_keyset *ks)
{
	if (ks->n > TQK_KEYSET_MAX)
		return false;
	for (size_t i = 0; i < ks->n; i++) {
		if (!tqk_kid_valid(ks->keys[i].kid))
			return false;
		for (size_t j = 0; j < i; j++)
			if (strcmp(ks->keys[i].kid, ks->keys[j].kid) == 0)
				return false;
	}
	return true;
}

/* ---- fields ---- */

/* The name: 1..TQK_PAYLOAD_NAME_MAX bytes of UTF-8 without control
 * characters (C0, DEL, C1), '|' or outer spaces. */
static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n > TQK_PAYLOAD_NAME_MAX || !tqk_utf8_valid(s, n))
		return false;
	const char *t = s;
	size_t tn = n;
	tqk_text_trim(&t, &tn);
	if (t != s || tn != n)
		return false;
	size_t pos = 0;
	while (pos < n) {
		int32_t cp = tqk_utf8_next(s, n, &pos);
		if (cp < 0x20 || cp == '|' || (cp >= 0x7f && cp <= 0x9f))
			return false;
	}
	return true;
}

/* "YYYYMMDDHHMM" of a real Beijing minute in 2000..2099 into *out. */
static bool time_parse(const char *s, size_t n, tqk_time *out)
{
	if (n != TQK_PAYLOAD_TIME_LEN)
		return false;
	int y = tqk_decimal(s, 4), mo = tqk_decimal(s + 4, 2), d = tqk_decimal(s + 6, 2);
	int h = tqk_decimal(s + 8, 2), mi = tqk_decimal(s + 10, 2);
	tqk_date date = {y, mo, d};
	if (y < 2000 || y > 2099 || h < 0 || h > 23 || mi < 0 || mi > 59 || !tqk_date_valid(date))
		return false;
	*out = tqk_local_to_time(tqk_date_to_day(date), h * 3600 + mi * 60);
	return true;
}

void tqk_payload_time_format(tqk_time issued, char out[TQK_PAYLOAD_TIME_LEN + 1])
{
	tqk_local l = tqk_time_to_local(issued);
	tqk_date d = tqk_day_to_date(l.day);
	int v[5] = {d.year, d.month, d.day, l.sec / 3600, l.sec / 60 % 60};
	int w[5] = {4, 2, 2, 2, 2};
	size_t k = 0;
	for (int f = 0; f < 5; f++) {
		int x = v[f];
		for (int i = w[f] - 1; i >= 0; i--) {
			out[k + (size_t)i] = (char)('0' + x % 10);
			x /= 10;
		}
		k += (size_t)w[f];
	}
	out[k] = '\0';
}

/* The message that is signed: the domain with its NUL, then body. */
static size_t signed_message(const char *body, size_t n, uint8_t *msg, size_t cap)
{
	size_t d = sizeof TQK_PAYLOAD_DOMAIN;
	assert(d + n <= cap);
	memcpy(msg, TQK_PAYLOAD_DOMAIN, d);
	memcpy(msg + d, body, n);
	return d + n;
}

#define MSG_CAP (sizeof TQK_PAYLOAD_DOMAIN + TQK_PAYLOAD_MAX)

/* Copies field f (n bytes) into buf of cap bytes with its NUL. */
static void take(char *buf, size_t cap, const char *f, size_t n)
{
	assert(n < cap);
	memcpy(buf, f, n);
	buf[n] = '\0';
}

/* The checks of the fields but the version and the signature: reg, id,
 * cert, name, time, kid, as pointer + length each, into p. */
static tqk_err check_fields(const char *const f[FIELDS], const size_t n[FIELDS], tqk_payload *p)
{
	if (!tqk_code_chars(f[1], n[1], TQK_CODE_CAP - 1) || !tqk_code_chars(f[6], n[6], TQK_KID_MAX))
		return TQK_E_PAYLOAD_FORMAT;
	if (!time_parse(f[5], n[5], &p->issued))
		return TQK_E_PAYLOAD_FORMAT;
	tqk_date on = tqk_time_date(p->issued);
	tqk_idnum id;
	if (n[2] != TQK_ID_LEN || tqk_id_parse(f[2], n[2], on, &id) != TQK_OK ||
	    memcmp(id.id, f[2], TQK_ID_LEN) != 0)
		return TQK_E_PAYLOAD_FORMAT;
	tqk_certnum cert;
	if (n[3] != 0 && (n[3] != TQK_CERT_LEN || tqk_cert_parse(f[3], n[3], on.year, &cert) != TQK_OK))
		return TQK_E_PAYLOAD_FORMAT;
	if (!name_ok(f[4], n[4]))
		return TQK_E_PAYLOAD_FORMAT;
	take(p->reg_no, sizeof p->reg_no, f[1], n[1]);
	take(p->id_number, sizeof p->id_number, f[2], n[2]);
	take(p->cert_no, sizeof p->cert_no, f[3], n[3]);
	take(p->name, sizeof p->name, f[4], n[4]);
	take(p->kid, sizeof p->kid, f[6], n[6]);
	return TQK_OK;
}

/* TQK_E_PAYLOAD_VERSION when s[0..n) is "TQ" + 1..3 digits other than
 * "TQ1", TQK_E_PAYLOAD_FORMAT for anything else that is not "TQ1". */
static tqk_err check_version(const char *s, size_t n)
{
	if (n == 3 && memcmp(s, TQK_PAYLOAD_VERSION, 3) == 0)
		return TQK_OK;
	if (n < 3 || n > 5 || s[0] != 'T' || s[1] != 'Q')
		return TQK_E_PAYLOAD_FORMAT;
	for (size_t i = 2; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return TQK_E_PAYLOAD_FORMAT;
	return TQK_E_PAYLOAD_VERSION;
}

tqk_err tqk_payload_parse(const char *s, size_t len, tqk_payload *out, uint8_t sig[TQK_SIG_LEN])
{
	assert(s != NULL || len == 0);
	tqk_payload p;
	memset(&p, 0, sizeof p);
	memset(out, 0, sizeof *out);
	if (len == 0 || len > TQK_PAYLOAD_MAX)
		return TQK_E_PAYLOAD_FORMAT;
	/* Split at every '|'; the version is judged before the field count,
	 * so that a later version with other fields says so. */
	const char *f[FIELDS];
	size_t n[FIELDS];
	size_t k = 0, start = 0;
	bool too_many = false;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '|')
			continue;
		if (k == FIELDS) {
			too_many = true;
			break;
		}
		f[k] = s + start;
		n[k] = i - start;
		k++;
		start = i + 1;
	}
	/* len > 0, so the loop's last step always took a field. */
	tqk_err err = check_version(f[0], n[0]);
	if (err != TQK_OK)
		return err;
	if (too_many || k != FIELDS)
		return TQK_E_PAYLOAD_FORMAT;
	uint8_t raw[TQK_SIG_LEN];
	if (!b64_decode(f[7], n[7], raw, sizeof raw))
		return TQK_E_PAYLOAD_FORMAT;
	if ((err = check_fields(f, n, &p)) != TQK_OK)
		return err;
	memcpy(out, &p, sizeof p);
	if (sig != NULL)
		memcpy(sig, raw, sizeof raw);
	return TQK_OK;
}

tqk_err tqk_payload_verify(const char *s, size_t len, const tqk_keyset *keys, tqk_payload *out)
{
	tqk_payload p;
	uint8_t sig[TQK_SIG_LEN];
	tqk_err err = tqk_payload_parse(s, len, &p, sig);
	if (out != NULL)
		memcpy(out, &p, sizeof p);
	if (err != TQK_OK)
		return err;
	const tqk_pubkey *k = tqk_keyset_find(keys, p.kid, strlen(p.kid));
	if (k == NULL)
		return TQK_E_PAYLOAD_KEY;
	/* The body ends at the last '|': the signature is exactly its text. */
	size_t body = len - TQK_SIG_TEXT_LEN - 1;
	uint8_t msg[MSG_CAP];
	size_t mlen = signed_message(s, body, msg, sizeof msg);
	if (!crypto_ready())
		return TQK_E_NOMEM;
	if (crypto_sign_verify_detached(sig, msg, mlen, k->key) != 0)
		return TQK_E_PAYLOAD_SIGNATURE;
	return TQK_OK;
}

tqk_err tqk_payload_sign(const tqk_payload *p, const uint8_t secret[TQK_SECKEY_LEN],
                         char out[TQK_PAYLOAD_CAP], size_t *len)
{
	assert(p != NULL && secret != NULL && out != NULL);
	out[0] = '\0';
	if (len != NULL)
		*len = 0;
	/* Every text must be terminated within its array. */
	if (strnlen(p->reg_no, sizeof p->reg_no) == sizeof p->reg_no ||
	    strnlen(p->id_number, sizeof p->id_number) == sizeof p->id_number ||
	    strnlen(p->cert_no, sizeof p->cert_no) == sizeof p->cert_no ||
	    strnlen(p->name, sizeof p->name) == sizeof p->name ||
	    strnlen(p->kid, sizeof p->kid) == sizeof p->kid)
		return TQK_E_PAYLOAD_FORMAT;
	if (p->issued < 0 || p->issued > (tqk_time)5000000000)
		return TQK_E_PAYLOAD_FORMAT;    /* beyond 2099 anyway; keeps the date maths in range */
	char when[TQK_PAYLOAD_TIME_LEN + 1];
	tqk_payload_time_format(p->issued, when);
	const char *f[FIELDS] = {TQK_PAYLOAD_VERSION, p->reg_no, p->id_number, p->cert_no, p->name,
	                         when, p->kid, ""};
	size_t n[FIELDS];
	for (int i = 0; i < FIELDS; i++)
		n[i] = strlen(f[i]);
	/* The parser's checks, which also keep '|' out of every field. */
	tqk_payload check;
	memset(&check, 0, sizeof check);
	tqk_err err = check_fields(f, n, &check);
	if (err != TQK_OK)
		return err;
	if (!seckey_consistent(secret))
		return TQK_E_FIELD_VALUE;

	char buf[TQK_PAYLOAD_CAP];
	size_t k = 0;
	for (int i = 0; i < FIELDS - 1; i++) {
		/* Fields 0..6 are at most 201 bytes with their separators. */
		memcpy(buf + k, f[i], n[i]);
		k += n[i];
		buf[k++] = '|';
	}
	uint8_t msg[MSG_CAP], sig[TQK_SIG_LEN];
	size_t mlen = signed_message(buf, k - 1, msg, sizeof msg);
	crypto_sign_detached(sig, NULL, msg, mlen, secret);
	b64_encode(sig, sizeof sig, buf + k, sizeof buf - k);
	k += TQK_SIG_TEXT_LEN;
	assert(k <= TQK_PAYLOAD_MAX);
	memcpy(out, buf, k + 1);
	if (len != NULL)
		*len = k;
	return TQK_OK;
}
