/*
 * fuzz_payload.c - libFuzzer target for the form's signed QR payload and
 * the classification of scanned strings (core/payload.h, core/scan.h), on
 * arbitrary bytes.
 *
 * Beyond "no crash":
 *   - a payload the parser accepts is canonical: its fields and signature
 *     written out again give the input byte for byte;
 *   - what the parser accepts the signer accepts: signed again (with this
 *     target's own key under the payload's kid) it verifies, and parses to
 *     the same fields;
 *   - verification fails exactly where parsing does, with the same error;
 *   - classification is stable: a scan's normalised text classifies to
 *     the same kind and text, and a failure leaves no text;
 *   - a public key's text that parses formats back to itself.
 */
#include <assert.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/application.h"
#include "core/payload.h"
#include "core/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fields and signature of p written as a payload into buf. */
static size_t write_out(const tqk_payload *p, const uint8_t sig[TQK_SIG_LEN], char *buf, size_t cap)
{
	char when[TQK_PAYLOAD_TIME_LEN + 1];
	tqk_payload_time_format(p->issued, when);
	const char *f[7] = {TQK_PAYLOAD_VERSION, p->reg_no, p->id_number, p->cert_no, p->name, when,
	                    p->kid};
	size_t n = 0;
	for (int i = 0; i < 7; i++) {
		size_t len = strlen(f[i]);
		assert(n + len + 1 + TQK_SIG_TEXT_LEN < cap);
		memcpy(buf + n, f[i], len);
		n += len;
		buf[n++] = '|';
	}
	sodium_bin2base64(buf + n, cap - n, sig, TQK_SIG_LEN, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return n + TQK_SIG_TEXT_LEN;
}

static void payload(const char *s, size_t n)
{
	tqk_payload p;
	uint8_t sig[TQK_SIG_LEN];
	tqk_err err = tqk_payload_parse(s, n, &p, sig);
	tqk_keyset none;
	memset(&none, 0, sizeof none);
	tqk_err verified = tqk_payload_verify(s, n, &none, NULL);
	if (err != TQK_OK) {
		assert(err == TQK_E_PAYLOAD_FORMAT || err == TQK_E_PAYLOAD_VERSION);
		assert(verified == err);
		return;
	}
	assert(verified == TQK_E_PAYLOAD_KEY);
	char again[TQK_PAYLOAD_CAP + TQK_SIG_TEXT_LEN];
	size_t len = write_out(&p, sig, again, sizeof again);
	assert(len == n && memcmp(again, s, n) == 0);

	/* Signed again by a key of our own under the payload's kid. */
	assert(sodium_init() >= 0);
	uint8_t seed[crypto_sign_SEEDBYTES] = {0}, pk[TQK_PUBKEY_LEN], sk[TQK_SECKEY_LEN];
	crypto_sign_seed_keypair(pk, sk, seed);
	char out[TQK_PAYLOAD_CAP];
	size_t olen = 0;
	assert(tqk_payload_sign(&p, sk, out, &olen) == TQK_OK);
	tqk_keyset ks;
	memset(&ks, 0, sizeof ks);
	assert(tqk_keyset_add(&ks, p.kid, pk) == TQK_OK);
	tqk_payload back;
	assert(tqk_payload_verify(out, olen, &ks, &back) == TQK_OK);
	assert(memcmp(&back, &p, sizeof p) == 0);
	/* The body is the same text: only the signature differs. */
	assert(olen == n && memcmp(out, s, n - TQK_SIG_TEXT_LEN) == 0);
}

static void scan(const char *s, size_t n)
{
	const tqk_date today = {2026, 11, 29};
	tqk_scan out;
	tqk_err err = tqk_scan_classify(s, n, today, &out);
	if (err != TQK_OK) {
		assert(out.text[0] == '\0' && out.len == 0);
		return;
	}
	assert(out.kind != TQK_SCAN_NONE && out.len == strlen(out.text));
	tqk_scan again;
	assert(tqk_scan_classify(out.text, out.len, today, &again) == TQK_OK);
	assert(again.kind == out.kind && again.len == out.len && strcmp(again.text, out.text) == 0);
	tqk_payload p;
	switch (out.kind) {
	case TQK_SCAN_PAYLOAD:
		assert(tqk_payload_parse(out.text, out.len, &p, NULL) == TQK_OK);
		break;
	case TQK_SCAN_CERT:
		assert(out.len == 17 && strspn(out.text, "0123456789") == 17);
		break;
	case TQK_SCAN_ID:
		assert(out.len == 18 && strspn(out.text, "0123456789") >= 17 && out.text[17] != 'x');
		break;
	default:
		assert(tqk_code_valid(out.text));
		break;
	}
}

static void key_text(const char *s, size_t n)
{
	uint8_t key[TQK_PUBKEY_LEN];
	if (tqk_pubkey_parse(s, n, key) != TQK_OK)
		return;
	char text[TQK_PUBKEY_TEXT_LEN + 1];
	tqk_pubkey_format(key, text);
	assert(n == TQK_PUBKEY_TEXT_LEN && memcmp(text, s, n) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	payload(s, size);
	scan(s, size);
	key_text(s, size);
	return 0;
}
