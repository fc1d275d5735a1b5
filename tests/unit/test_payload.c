/*
 * test_payload.c - the signed QR payload of the application form
 * (core/payload.h): a known-answer vector checked against OpenSSL, sign /
 * parse / verify round trips, every field at and past its limits (with a
 * correct signature, so that only the field's own check can refuse it),
 * every byte of a payload tampered with, unknown and retired keys, other
 * signing domains, other versions, over-long input, the text forms of keys
 * and the limits of a key set.
 *
 * Payloads with arbitrary fields are signed here by a second, independent
 * signer (raw_signed: libsodium on the domain and the text, as payload.h
 * describes the format), so that a test can hand the parser a correctly
 * signed payload that tqk_payload_sign would refuse to make.
 */
#include "test.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/payload.h"

/*
 * The known-answer vector. The key is made from the seed 00 01 02 .. 1f
 * (crypto_sign_seed_keypair). It was checked against OpenSSL 3.0, an
 * independent Ed25519 implementation, on this machine:
 *
 *   printf 302e020100300506032b657004220420 | xxd -r -p > k.der
 *   printf 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f |
 *     xxd -r -p >> k.der
 *   openssl pkey -inform DER -in k.der -out k.pem
 *   openssl pkey -in k.pem -pubout -outform DER | tail -c 32 | xxd -p -c 64
 *     -> 03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8
 *   { printf 'tqkiosk form payload v1\0'; printf '%s' "$BODY"; } > msg.bin
 *   openssl pkeyutl -sign -rawin -inkey k.pem -in msg.bin | basenc --base64url | tr -d '=\n'
 *     -> KAT_SIG
 *
 * with BODY the payload up to its last '|'; the kid is "k" and the first 8
 * hex digits of BLAKE2b-128 of the public key (Python's hashlib.blake2b with
 * digest_size=16 agrees). tools/county-server/API.md shows the same example.
 */
#define KAT_PUB_HEX "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
#define KAT_PUB "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"
#define KAT_KID "k40bca4ea"
#define KAT_BODY "TQ1|20260100000001|11010519491231002X|20234300000000000|李娜|202605200930|" KAT_KID
#define KAT_SIG "PBE_PHdyGvIqsWcu5ZX_WUB4-Nrh0UIijs1PL2I1HbD-IafKGHHHLh38FMHN1iswbXdsd5gfXyHFiAe77U0KBA"
#define KAT_PAYLOAD KAT_BODY "|" KAT_SIG

#define NAME "李娜"
#define ISSUED "2026-05-20 09:30"

typedef struct keypair {
	uint8_t pk[TQK_PUBKEY_LEN], sk[TQK_SECKEY_LEN];
	char kid[TQK_KID_CAP];
} keypair;

/* The key of seed byte first, first + 1, ... (the KAT's key for 0). */
static keypair key_of(uint8_t first)
{
	keypair k;
	uint8_t seed[crypto_sign_SEEDBYTES];
	for (size_t i = 0; i < sizeof seed; i++)
		seed[i] = (uint8_t)(first + i);
	assert_int_equal(crypto_sign_seed_keypair(k.pk, k.sk, seed), 0);
	tqk_kid_of(k.pk, k.kid);
	return k;
}

static tqk_keyset keyset_of(const keypair *k)
{
	tqk_keyset ks;
	memset(&ks, 0, sizeof ks);
	assert_int_equal(tqk_keyset_add(&ks, k->kid, k->pk), TQK_OK);
	return ks;
}

/* Sets a text field, zeroing the rest of it as a parser does. */
#define SET(buf, s) do { \
		assert_true(strlen(s) < sizeof(buf)); \
		memset((buf), 0, sizeof(buf)); \
		memcpy((buf), (s), strlen(s)); \
	} while (0)

/* The KAT's fields, signed by k. */
static tqk_payload sample(const keypair *k)
{
	tqk_payload p;
	memset(&p, 0, sizeof p);
	SET(p.reg_no, "20260100000001");
	SET(p.id_number, "11010519491231002X");
	SET(p.cert_no, "20234300000000000");
	SET(p.name, NAME);
	p.issued = test_at(ISSUED);
	SET(p.kid, k->kid);
	return p;
}

/* Signs p with k into out; the length into *len. */
static void sign_ok(const tqk_payload *p, const keypair *k, char out[TQK_PAYLOAD_CAP], size_t *len)
{
	tqk_err err = tqk_payload_sign(p, k->sk, out, len);
	if (err != TQK_OK)
		fail_msg("sign: %s", tqk_err_code(err));
	assert_int_equal(strlen(out), *len);
}

/* Fields 0..6 joined by '|', then '|' and the signature made here by
 * libsodium over the domain (with its NUL) and that text: a payload signed
 * the way payload.h says, whatever its fields hold. Into buf (cap bytes);
 * returns its length. */
static size_t raw_signed(const char *const f[7], const uint8_t sk[TQK_SECKEY_LEN], const char *domain,
                         size_t domain_len, char *buf, size_t cap)
{
	size_t n = 0;
	for (int i = 0; i < 7; i++) {
		size_t fl = strlen(f[i]);
		assert_true(n + fl + 1 < cap);
		memcpy(buf + n, f[i], fl);
		n += fl;
		buf[n++] = '|';
	}
	size_t mlen = domain_len + n - 1;
	uint8_t *msg = malloc(mlen);
	assert_non_null(msg);
	memcpy(msg, domain, domain_len);
	memcpy(msg + domain_len, buf, n - 1);
	uint8_t sig[TQK_SIG_LEN];
	assert_int_equal(crypto_sign_detached(sig, NULL, msg, mlen, sk), 0);
	free(msg);
	assert_true(n + TQK_SIG_TEXT_LEN < cap);
	sodium_bin2base64(buf + n, cap - n, sig, sizeof sig, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return n + TQK_SIG_TEXT_LEN;
}

/* The sample's fields with field i (1..6) replaced by v, signed by k. */
static size_t with_field(const keypair *k, int i, const char *v, char *buf, size_t cap)
{
	const char *f[7] = {"TQ1", "20260100000001", "11010519491231002X", "20234300000000000",
	                    NAME, "202605200930", k->kid};
	f[i] = v;
	return raw_signed(f, k->sk, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN, buf, cap);
}

/* Verifies s against ks and expects want; on failure out must be zeroed
 * unless the format was right. */
static void expect_verify(int line, const char *s, size_t len, const tqk_keyset *ks, tqk_err want)
{
	tqk_payload p;
	memset(&p, 0xA5, sizeof p);
	tqk_err got = tqk_payload_verify(s, len, ks, &p);
	if (got != want)
		fail_msg("line %d: \"%.*s\": got %s, want %s", line, (int)len, s, tqk_err_code(got),
		         tqk_err_code(want));
	if (got != TQK_OK && got != TQK_E_PAYLOAD_KEY && got != TQK_E_PAYLOAD_SIGNATURE) {
		tqk_payload zero;
		memset(&zero, 0, sizeof zero);
		assert_memory_equal(&p, &zero, sizeof p);
	}
}

/* A field of the sample, given as text, must (want TQK_OK) or must not
 * (TQK_E_PAYLOAD_FORMAT) pass, with a correct signature. */
#define FIELD(i, v, want) do { \
		char buf_[1024]; \
		size_t n_ = with_field(&k, (i), (v), buf_, sizeof buf_); \
		expect_verify(__LINE__, buf_, n_, &ks, (want)); \
	} while (0)

/* ---- the known answer ---- */

static void known_answer_vector(void **state)
{
	(void)state;
	keypair k = key_of(0);
	char hex[2 * TQK_PUBKEY_LEN + 1];
	sodium_bin2hex(hex, sizeof hex, k.pk, sizeof k.pk);
	assert_string_equal(hex, KAT_PUB_HEX);
	char pub[TQK_PUBKEY_TEXT_LEN + 1];
	tqk_pubkey_format(k.pk, pub);
	assert_string_equal(pub, KAT_PUB);
	assert_string_equal(k.kid, KAT_KID);

	tqk_payload p = sample(&k);
	char out[TQK_PAYLOAD_CAP];
	size_t len = 0;
	sign_ok(&p, &k, out, &len);
	assert_string_equal(out, KAT_PAYLOAD);
	assert_int_equal(len, 172);
	/* The independent signer agrees with the vector too. */
	char raw[TQK_PAYLOAD_CAP];
	assert_int_equal(with_field(&k, 1, "20260100000001", raw, sizeof raw), len);
	assert_string_equal(raw, KAT_PAYLOAD);

	tqk_keyset ks = keyset_of(&k);
	tqk_payload got;
	assert_int_equal(tqk_payload_verify(KAT_PAYLOAD, strlen(KAT_PAYLOAD), &ks, &got), TQK_OK);
	assert_memory_equal(&got, &p, sizeof p);
	/* The key from its text verifies as well. */
	tqk_keyset ks2;
	memset(&ks2, 0, sizeof ks2);
	uint8_t key[TQK_PUBKEY_LEN];
	assert_int_equal(tqk_pubkey_parse(KAT_PUB, strlen(KAT_PUB), key), TQK_OK);
	assert_int_equal(tqk_keyset_add(&ks2, KAT_KID, key), TQK_OK);
	assert_int_equal(tqk_payload_verify(KAT_PAYLOAD, strlen(KAT_PAYLOAD), &ks2, NULL), TQK_OK);

	/* The parser's raw signature is the vector's. */
	uint8_t sig[TQK_SIG_LEN], want[TQK_SIG_LEN];
	size_t got_len = 0;
	assert_int_equal(sodium_base642bin(want, sizeof want, KAT_SIG, strlen(KAT_SIG), NULL, &got_len,
	                                   NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
	assert_int_equal(tqk_payload_parse(KAT_PAYLOAD, strlen(KAT_PAYLOAD), &got, sig), TQK_OK);
	assert_memory_equal(sig, want, sizeof sig);
	assert_int_equal(tqk_payload_parse(KAT_PAYLOAD, strlen(KAT_PAYLOAD), &got, NULL), TQK_OK);
}

/* ---- round trips ---- */

static void sign_parse_verify_round_trips(void **state)
{
	(void)state;
	keypair k = key_of(7);
	tqk_keyset ks = keyset_of(&k);
	tqk_payload cases[4];
	cases[0] = sample(&k);
	/* No certificate (a first registration without one). */
	cases[1] = sample(&k);
	SET(cases[1].cert_no, "");
	/* The shortest fields. */
	cases[2] = sample(&k);
	SET(cases[2].reg_no, "R");
	SET(cases[2].name, "A");
	SET(cases[2].kid, "k");
	SET(cases[2].id_number, "360426199101010071");
	cases[2].issued = test_at("2000-01-01 00:00");
	SET(cases[2].cert_no, "");
	/* The longest: 287 bytes in all. */
	cases[3] = sample(&k);
	SET(cases[3].reg_no, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-0123");
	memset(cases[3].name, 0, sizeof cases[3].name);
	for (int i = 0; i < 32; i++)
		memcpy(cases[3].name + 3 * i, "李", 3);
	SET(cases[3].kid, "abcdefghij-_0123");
	cases[3].issued = test_at("2099-12-31 23:59");

	for (size_t c = 0; c < 4; c++) {
		char out[TQK_PAYLOAD_CAP];
		size_t len;
		sign_ok(&cases[c], &k, out, &len);
		if (c == 3)
			assert_int_equal(len, 287);
		tqk_payload got;
		memset(&got, 0xA5, sizeof got);
		assert_int_equal(tqk_payload_parse(out, len, &got, NULL), TQK_OK);
		assert_memory_equal(&got, &cases[c], sizeof got);
		memset(&ks, 0, sizeof ks);
		assert_int_equal(tqk_keyset_add(&ks, cases[c].kid, k.pk), TQK_OK);
		memset(&got, 0xA5, sizeof got);
		assert_int_equal(tqk_payload_verify(out, len, &ks, &got), TQK_OK);
		assert_memory_equal(&got, &cases[c], sizeof got);
		/* Signing what was parsed gives the same text again. */
		char again[TQK_PAYLOAD_CAP];
		size_t alen;
		sign_ok(&got, &k, again, &alen);
		assert_string_equal(again, out);
	}

	/* The seconds are not part of it; len may be NULL. */
	tqk_payload p = sample(&k);
	p.issued += 59;
	char out[TQK_PAYLOAD_CAP], base[TQK_PAYLOAD_CAP];
	assert_int_equal(tqk_payload_sign(&p, k.sk, out, NULL), TQK_OK);
	p.issued -= 59;
	size_t blen;
	sign_ok(&p, &k, base, &blen);
	assert_string_equal(out, base);
	/* Only len bytes are read. */
	strcat(base, "XYZ");
	ks = keyset_of(&k);
	assert_int_equal(tqk_payload_verify(base, blen, &ks, NULL), TQK_OK);
}

static void time_format(void **state)
{
	(void)state;
	char buf[TQK_PAYLOAD_TIME_LEN + 1];
	tqk_payload_time_format(test_at("2026-05-20 09:30:59"), buf);
	assert_string_equal(buf, "202605200930");
	tqk_payload_time_format(test_at("2000-01-01 00:00"), buf);
	assert_string_equal(buf, "200001010000");
	tqk_payload_time_format(test_at("2099-12-31 23:59"), buf);
	assert_string_equal(buf, "209912312359");
	tqk_payload_time_format(test_at("2028-02-29 12:05"), buf);
	assert_string_equal(buf, "202802291205");
}

/* ---- every field's limits, correctly signed ---- */

static void registration_number_limits(void **state)
{
	(void)state;
	keypair k = key_of(1);
	tqk_keyset ks = keyset_of(&k);
	FIELD(1, "R", TQK_OK);
	FIELD(1, "K01-0001_a", TQK_OK);
	FIELD(1, "12345678901234567890123456789012", TQK_OK);
	FIELD(1, "123456789012345678901234567890123", TQK_E_PAYLOAD_FORMAT);
	FIELD(1, "", TQK_E_PAYLOAD_FORMAT);
	FIELD(1, "2026 0100000001", TQK_E_PAYLOAD_FORMAT);
	FIELD(1, "2026.0100000001", TQK_E_PAYLOAD_FORMAT);
	FIELD(1, "报名号", TQK_E_PAYLOAD_FORMAT);
	FIELD(1, "２０２６", TQK_E_PAYLOAD_FORMAT);
	FIELD(1, "2026\t01", TQK_E_PAYLOAD_FORMAT);
}

static void id_number_limits(void **state)
{
	(void)state;
	keypair k = key_of(2);
	tqk_keyset ks = keyset_of(&k);
	FIELD(2, "360426199101010071", TQK_OK);
	FIELD(2, "44011320141005001X", TQK_OK);
	/* Upper-case X only: the text is canonical. */
	FIELD(2, "44011320141005001x", TQK_E_PAYLOAD_FORMAT);
	FIELD(2, "36042619910102009X", TQK_E_PAYLOAD_FORMAT);    /* checksum */
	FIELD(2, "360426199113010079", TQK_E_PAYLOAD_FORMAT);    /* no such date */
	FIELD(2, "990426199101010071", TQK_E_PAYLOAD_FORMAT);    /* no such province */
	FIELD(2, "350303900203307", TQK_E_PAYLOAD_FORMAT);       /* old 15 digits */
	FIELD(2, "36042619910101007", TQK_E_PAYLOAD_FORMAT);
	FIELD(2, "3604261991010100711", TQK_E_PAYLOAD_FORMAT);
	FIELD(2, "", TQK_E_PAYLOAD_FORMAT);
	FIELD(2, "36042619910101007１", TQK_E_PAYLOAD_FORMAT);

	/* Born after the form was issued: checked against the issue time. */
	const char *f[7] = {"TQ1", "R1", "44011320141005001X", "", NAME, "201410050000", k.kid};
	char buf[512];
	size_t n = raw_signed(f, k.sk, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN, buf, sizeof buf);
	expect_verify(__LINE__, buf, n, &ks, TQK_OK);
	f[5] = "201410042359";
	n = raw_signed(f, k.sk, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN, buf, sizeof buf);
	expect_verify(__LINE__, buf, n, &ks, TQK_E_PAYLOAD_FORMAT);
}

static void certificate_number_limits(void **state)
{
	(void)state;
	keypair k = key_of(3);
	tqk_keyset ks = keyset_of(&k);
	FIELD(3, "", TQK_OK);
	FIELD(3, "19930000000000001", TQK_OK);
	FIELD(3, "20264300000000000", TQK_OK);     /* this year's */
	FIELD(3, "20274300000000000", TQK_E_PAYLOAD_FORMAT);  /* after the issue year */
	FIELD(3, "19920000000000001", TQK_E_PAYLOAD_FORMAT);  /* before 1993 */
	/* A 15-digit number is written with its "19": not here. */
	FIELD(3, "981234567890123", TQK_E_PAYLOAD_FORMAT);
	FIELD(3, "2023430000000000", TQK_E_PAYLOAD_FORMAT);
	FIELD(3, "202343000000000000", TQK_E_PAYLOAD_FORMAT);
	FIELD(3, "2023430000000000A", TQK_E_PAYLOAD_FORMAT);
	FIELD(3, " 2023430000000000", TQK_E_PAYLOAD_FORMAT);

	const char *f[7] = {"TQ1", "R1", "11010519491231002X", "20264300000000000", NAME,
	                    "202512312359", k.kid};
	char buf[512];
	size_t n = raw_signed(f, k.sk, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN, buf, sizeof buf);
	expect_verify(__LINE__, buf, n, &ks, TQK_E_PAYLOAD_FORMAT);
	f[5] = "202601010000";
	n = raw_signed(f, k.sk, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN, buf, sizeof buf);
	expect_verify(__LINE__, buf, n, &ks, TQK_OK);
}

static void name_limits(void **state)
{
	(void)state;
	keypair k = key_of(4);
	tqk_keyset ks = keyset_of(&k);
	char name[200];
	/* 1..96 bytes. */
	FIELD(4, "A", TQK_OK);
	memset(name, 'a', 96);
	name[96] = '\0';
	FIELD(4, name, TQK_OK);
	name[96] = 'a';
	name[97] = '\0';
	FIELD(4, name, TQK_E_PAYLOAD_FORMAT);
	name[0] = '\0';
	for (int i = 0; i < 32; i++)
		strcat(name, "李");
	FIELD(4, name, TQK_OK);                    /* 96 bytes */
	strcat(name, "李");
	FIELD(4, name, TQK_E_PAYLOAD_FORMAT);      /* 99 bytes */
	FIELD(4, "", TQK_E_PAYLOAD_FORMAT);
	/* Inner spaces and the middle dot of transcribed names are fine. */
	FIELD(4, "Anna Li", TQK_OK);
	FIELD(4, "阿依古丽·买买提", TQK_OK);
	FIELD(4, "李 娜", TQK_OK);
	/* Outer spaces, ASCII or ideographic, are not. */
	FIELD(4, " 李娜", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "李娜 ", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "\xE3\x80\x80李娜", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "李娜\xE3\x80\x80", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, " ", TQK_E_PAYLOAD_FORMAT);
	/* Control characters: C0, DEL, C1. */
	FIELD(4, "李\t娜", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "李\n娜", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "李\x1b娜", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "李\x7f娜", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "李\xC2\x85娜", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "李\xC2\x9F娜", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "李\xC2\xA0娜", TQK_OK);           /* U+00A0 is no control */
	/* Not UTF-8: a lone byte, an overlong, a surrogate, a cut sequence. */
	FIELD(4, "李\xff娜", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "\xC0\xAF", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "\xED\xA0\x80", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "李\xE5", TQK_E_PAYLOAD_FORMAT);
	FIELD(4, "GB2312 \xC0\xEE", TQK_E_PAYLOAD_FORMAT);
}

static void issue_time_limits(void **state)
{
	(void)state;
	keypair k = key_of(5);
	tqk_keyset ks = keyset_of(&k);
	static const char *const good[] = {"202605200930", "202612312359", "202601010000",
	                                   "202802291200"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		FIELD(5, good[i], TQK_OK);
	/* Impossible minutes, other lengths, other characters; and (with the
	 * sample's certificate of 2023 beside them) other centuries. */
	static const char *const bad[] = {
		"209912312360", "202602290930", "202613010930", "202600010930", "202605000930",
		"202605322359", "202605202400", "202605200960", "20260520093", "2026052009300",
		"2026-05-20 9", "20260520093a", "", "+02605200930", "２０２６05200930",
		"199912312359", "210001010000",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		FIELD(5, bad[i], TQK_E_PAYLOAD_FORMAT);
	/* The years' ends, without a certificate in the way. */
	const char *f[7] = {"TQ1", "R1", "11010519491231002X", "", NAME, "200001010000", k.kid};
	char buf[512];
	size_t n = raw_signed(f, k.sk, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN, buf, sizeof buf);
	expect_verify(__LINE__, buf, n, &ks, TQK_OK);
	f[5] = "209912312359";
	n = raw_signed(f, k.sk, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN, buf, sizeof buf);
	expect_verify(__LINE__, buf, n, &ks, TQK_OK);
	f[5] = "199912312359";
	n = raw_signed(f, k.sk, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN, buf, sizeof buf);
	expect_verify(__LINE__, buf, n, &ks, TQK_E_PAYLOAD_FORMAT);
	f[5] = "210001010000";
	n = raw_signed(f, k.sk, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN, buf, sizeof buf);
	expect_verify(__LINE__, buf, n, &ks, TQK_E_PAYLOAD_FORMAT);
}

static void kid_limits(void **state)
{
	(void)state;
	keypair k = key_of(6);
	static const char *const good[] = {"k", "K-1_a", "abcdefghij-_0123"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		tqk_keyset ks;
		memset(&ks, 0, sizeof ks);
		assert_int_equal(tqk_keyset_add(&ks, good[i], k.pk), TQK_OK);
		FIELD(6, good[i], TQK_OK);
	}
	tqk_keyset ks = keyset_of(&k);
	static const char *const bad[] = {"", "abcdefghij-_01234", "k 1", "k.1", "k/1", "k+1",
	                                  "钥匙", "k\x01"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		FIELD(6, bad[i], TQK_E_PAYLOAD_FORMAT);

	/* The kid's own check, as callers use it. */
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_true(tqk_kid_valid(good[i]));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(tqk_kid_valid(bad[i]));
	char unterminated[TQK_KID_CAP + 4];
	memset(unterminated, 'a', sizeof unterminated);
	assert_false(tqk_kid_valid(unterminated));
	unterminated[TQK_KID_MAX] = '\0';
	assert_true(tqk_kid_valid(unterminated));

	/* The county's kids: "k" + 8 hex digits, different for different keys. */
	keypair a = key_of(10), b = key_of(11);
	assert_int_equal(strlen(a.kid), 9);
	assert_true(tqk_kid_valid(a.kid));
	assert_int_equal(a.kid[0], 'k');
	assert_int_equal(strspn(a.kid + 1, "0123456789abcdef"), 8);
	assert_string_not_equal(a.kid, b.kid);
}

static void signature_text_limits(void **state)
{
	(void)state;
	keypair k = key_of(0);
	tqk_keyset ks = keyset_of(&k);
	char buf[512];
	size_t body = strlen(KAT_BODY);
	/* One character short or over. */
	memcpy(buf, KAT_PAYLOAD, sizeof KAT_PAYLOAD);
	expect_verify(__LINE__, buf, strlen(buf) - 1, &ks, TQK_E_PAYLOAD_FORMAT);
	strcat(buf, "A");
	expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_FORMAT);
	/* The last character carries 4 unused bits: only A, Q, g, w are
	 * canonical after it ('A' here). Any other is a second text for the
	 * same bytes, refused. */
	static const char non_canonical[] = "BCDEFGHIJKLMNOP";
	for (size_t i = 0; non_canonical[i] != '\0'; i++) {
		memcpy(buf, KAT_PAYLOAD, sizeof KAT_PAYLOAD);
		buf[strlen(buf) - 1] = non_canonical[i];
		expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_FORMAT);
	}
	/* Standard base64's characters and padding are not base64url's. */
	static const char not_url[] = "+/=.";
	for (size_t i = 0; not_url[i] != '\0'; i++) {
		memcpy(buf, KAT_PAYLOAD, sizeof KAT_PAYLOAD);
		buf[body + 1 + 10] = not_url[i];
		expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_FORMAT);
	}
	snprintf(buf, sizeof buf, "%s==", KAT_PAYLOAD);
	expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_FORMAT);
	/* No signature at all. */
	snprintf(buf, sizeof buf, "%s|", KAT_BODY);
	expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_FORMAT);
}

/* ---- the layout ---- */

static void version_and_layout(void **state)
{
	(void)state;
	keypair k = key_of(0);
	tqk_keyset ks = keyset_of(&k);
	char buf[600];
	const char *rest = KAT_PAYLOAD + 3;        /* from the first '|' */
	/* Other versions say so, whatever follows. */
	static const char *const versions[] = {"TQ2", "TQ0", "TQ9", "TQ10", "TQ99", "TQ100", "TQ01"};
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		snprintf(buf, sizeof buf, "%s%s", versions[i], rest);
		expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_VERSION);
		snprintf(buf, sizeof buf, "%s|a|b", versions[i]);
		expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_VERSION);
		snprintf(buf, sizeof buf, "%s", versions[i]);
		expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_VERSION);
	}
	/* Anything else in front is no payload of ours. */
	static const char *const others[] = {"TQ", "TQ1000", "TQA", "tq1", "Tq1", "XQ1", " TQ1",
	                                     "TQ1 ", "TQ-1", ""};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		snprintf(buf, sizeof buf, "%s%s", others[i], rest);
		expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_FORMAT);
	}
	/* A field too few or too many. */
	snprintf(buf, sizeof buf, "%s|", KAT_PAYLOAD);
	expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_FORMAT);
	snprintf(buf, sizeof buf, "%s|%s", KAT_BODY, KAT_PAYLOAD + strlen(KAT_BODY));
	expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_FORMAT);
	snprintf(buf, sizeof buf, "TQ1|20260100000001|11010519491231002X|" NAME "|202605200930|"
	         KAT_KID "|" KAT_SIG);
	expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_FORMAT);
	/* A name with '|' makes a field too many. */
	keypair k2 = key_of(1);
	tqk_keyset ks2 = keyset_of(&k2);
	size_t n = with_field(&k2, 4, "李|娜", buf, sizeof buf);
	expect_verify(__LINE__, buf, n, &ks2, TQK_E_PAYLOAD_FORMAT);
	/* Nothing, and NULL with nothing. */
	expect_verify(__LINE__, "", 0, &ks, TQK_E_PAYLOAD_FORMAT);
	expect_verify(__LINE__, NULL, 0, &ks, TQK_E_PAYLOAD_FORMAT);
	expect_verify(__LINE__, "|||||||", 7, &ks, TQK_E_PAYLOAD_FORMAT);
	expect_verify(__LINE__, "TQ1|||||||", 10, &ks, TQK_E_PAYLOAD_FORMAT);
	/* A NUL inside. */
	memcpy(buf, KAT_PAYLOAD, sizeof KAT_PAYLOAD);
	buf[10] = '\0';
	expect_verify(__LINE__, buf, strlen(KAT_PAYLOAD), &ks, TQK_E_PAYLOAD_FORMAT);
}

static void over_long_is_refused(void **state)
{
	(void)state;
	keypair k = key_of(0);
	tqk_keyset ks = keyset_of(&k);
	/* TQK_PAYLOAD_MAX + 1 bytes of an otherwise fine layout. */
	char *big = malloc(100001);
	assert_non_null(big);
	memcpy(big, KAT_PAYLOAD, sizeof KAT_PAYLOAD);
	size_t n = strlen(big);
	memmove(big + (TQK_PAYLOAD_MAX + 1 - n), big, n);
	memset(big, 'T', TQK_PAYLOAD_MAX + 1 - n);
	expect_verify(__LINE__, big, TQK_PAYLOAD_MAX + 1, &ks, TQK_E_PAYLOAD_FORMAT);
	/* Far over: refused before anything is split. */
	memset(big, '|', 100000);
	expect_verify(__LINE__, big, 100000, &ks, TQK_E_PAYLOAD_FORMAT);
	memcpy(big, "TQ2|", 4);
	expect_verify(__LINE__, big, 100000, &ks, TQK_E_PAYLOAD_FORMAT);
	free(big);
}

/* ---- signatures ---- */

/* Every byte of the payload changed to every other value: never valid.
 * Where the result still parses with the same kid, it is a signature
 * failure; the fields and the kid are all covered by the signature. */
static void tampering_any_byte_fails(void **state)
{
	(void)state;
	keypair k = key_of(0);
	/* A second kid for the same key, one character off: a changed kid
	 * finds a key and still fails on the signature. */
	tqk_keyset ks = keyset_of(&k);
	char decoy[TQK_KID_CAP];
	memcpy(decoy, KAT_KID, sizeof KAT_KID);
	decoy[8] = 'b';
	assert_int_equal(tqk_keyset_add(&ks, decoy, k.pk), TQK_OK);

	const size_t len = strlen(KAT_PAYLOAD);
	size_t sig_fail[8] = {0};
	for (size_t i = 0; i < len; i++) {
		/* The field of byte i. */
		int field = 0;
		for (size_t j = 0; j < i; j++)
			field += KAT_PAYLOAD[j] == '|';
		for (int b = 0; b < 256; b++) {
			if (b == (unsigned char)KAT_PAYLOAD[i])
				continue;
			char buf[TQK_PAYLOAD_CAP];
			memcpy(buf, KAT_PAYLOAD, len);
			buf[i] = (char)b;
			tqk_payload p;
			tqk_err got = tqk_payload_verify(buf, len, &ks, &p);
			if (got == TQK_OK)
				fail_msg("byte %zu set to 0x%02x still verifies", i, b);
			if (got == TQK_E_PAYLOAD_SIGNATURE) {
				sig_fail[field]++;
				continue;
			}
			if (got != TQK_E_PAYLOAD_FORMAT && got != TQK_E_PAYLOAD_VERSION &&
			    got != TQK_E_PAYLOAD_KEY)
				fail_msg("byte %zu set to 0x%02x: %s", i, b, tqk_err_code(got));
			/* A format failure must be one: it does not parse. */
			tqk_payload q;
			tqk_err parsed = tqk_payload_parse(buf, len, &q, NULL);
			if (got == TQK_E_PAYLOAD_KEY)
				assert_int_equal(parsed, TQK_OK);
			else
				assert_int_equal(parsed, got);
		}
	}
	/* Each field has changes that parse and fail on the signature alone.
	 * Not the version (its changes are other versions or none of ours),
	 * nor the ID number: MOD 11-2 catches every single substitution, so
	 * no one-byte change of it parses; a whole other valid number does,
	 * below. */
	for (int f = 1; f < 8; f++)
		if (f != 2 && sig_fail[f] == 0)
			fail_msg("no change of field %d reached the signature check", f);
	assert_int_equal(sig_fail[2], 0);

	/* Edits that keep every field valid. */
	char buf[TQK_PAYLOAD_CAP];
	memcpy(buf, KAT_PAYLOAD, sizeof KAT_PAYLOAD);
	memcpy(strstr(buf, NAME), "李冰", strlen("李冰"));
	expect_verify(__LINE__, buf, len, &ks, TQK_E_PAYLOAD_SIGNATURE);
	memcpy(buf, KAT_PAYLOAD, sizeof KAT_PAYLOAD);
	memcpy(strstr(buf, "11010519491231002X"), "360426199101010071", 18);
	expect_verify(__LINE__, buf, len, &ks, TQK_E_PAYLOAD_SIGNATURE);
	memcpy(buf, KAT_PAYLOAD, sizeof KAT_PAYLOAD);
	memcpy(strstr(buf, "202605200930"), "202605210930", 12);
	expect_verify(__LINE__, buf, len, &ks, TQK_E_PAYLOAD_SIGNATURE);
	/* A signature failure still names what the payload says. */
	tqk_payload p;
	assert_int_equal(tqk_payload_verify(buf, len, &ks, &p), TQK_E_PAYLOAD_SIGNATURE);
	assert_string_equal(p.kid, KAT_KID);
	assert_string_equal(p.reg_no, "20260100000001");
}

static void unknown_and_retired_keys(void **state)
{
	(void)state;
	keypair old = key_of(0), cur = key_of(100), other = key_of(200);
	/* Unknown: the payload parses, names its kid, and is not trusted. */
	tqk_keyset ks = keyset_of(&cur);
	tqk_payload p;
	memset(&p, 0xA5, sizeof p);
	assert_int_equal(tqk_payload_verify(KAT_PAYLOAD, strlen(KAT_PAYLOAD), &ks, &p),
	                 TQK_E_PAYLOAD_KEY);
	assert_string_equal(p.kid, KAT_KID);
	tqk_keyset empty;
	memset(&empty, 0, sizeof empty);
	expect_verify(__LINE__, KAT_PAYLOAD, strlen(KAT_PAYLOAD), &empty, TQK_E_PAYLOAD_KEY);
	expect_verify(__LINE__, KAT_PAYLOAD, strlen(KAT_PAYLOAD), NULL, TQK_E_PAYLOAD_KEY);

	/* After a rotation the retired key stays in the set, after the
	 * active one: forms it signed still verify, and so do new ones. */
	assert_int_equal(tqk_keyset_add(&ks, old.kid, old.pk), TQK_OK);
	expect_verify(__LINE__, KAT_PAYLOAD, strlen(KAT_PAYLOAD), &ks, TQK_OK);
	tqk_payload q = sample(&cur);
	char out[TQK_PAYLOAD_CAP];
	size_t len;
	sign_ok(&q, &cur, out, &len);
	expect_verify(__LINE__, out, len, &ks, TQK_OK);

	/* The kid of one key with another key's public half: a signature
	 * failure, not a match by name. */
	tqk_keyset wrong;
	memset(&wrong, 0, sizeof wrong);
	assert_int_equal(tqk_keyset_add(&wrong, KAT_KID, other.pk), TQK_OK);
	expect_verify(__LINE__, KAT_PAYLOAD, strlen(KAT_PAYLOAD), &wrong, TQK_E_PAYLOAD_SIGNATURE);
	/* A payload that names old's kid but is signed by another key. */
	q = sample(&old);
	char forged[TQK_PAYLOAD_CAP];
	assert_int_equal(tqk_payload_sign(&q, other.sk, forged, &len), TQK_OK);
	expect_verify(__LINE__, forged, len, &ks, TQK_E_PAYLOAD_SIGNATURE);
	/* A public key of all zeros (small order) verifies nothing. */
	uint8_t zero[TQK_PUBKEY_LEN] = {0};
	memset(&wrong, 0, sizeof wrong);
	assert_int_equal(tqk_keyset_add(&wrong, KAT_KID, zero), TQK_OK);
	expect_verify(__LINE__, KAT_PAYLOAD, strlen(KAT_PAYLOAD), &wrong, TQK_E_PAYLOAD_SIGNATURE);
}

static void other_domains_never_verify(void **state)
{
	(void)state;
	keypair k = key_of(0);
	tqk_keyset ks = keyset_of(&k);
	const char *f[7] = {"TQ1", "20260100000001", "11010519491231002X", "20234300000000000",
	                    NAME, "202605200930", KAT_KID};
	char buf[512];
	/* The same text signed under the right domain is the vector. */
	size_t n = raw_signed(f, k.sk, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN, buf, sizeof buf);
	assert_string_equal(buf, KAT_PAYLOAD);
	/* Without the NUL, without a domain, another version's domain, or
	 * another purpose: a signature of the key over something else. */
	static const struct {
		const char *d;
		size_t n;
	} domains[] = {
		{TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN - 1},
		{"", 0},
		{"tqkiosk form payload v2", sizeof "tqkiosk form payload v2"},
		{"tqkiosk receipt v1", sizeof "tqkiosk receipt v1"},
		{TQK_PAYLOAD_DOMAIN "|", sizeof TQK_PAYLOAD_DOMAIN + 1},
	};
	for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++) {
		n = raw_signed(f, k.sk, domains[i].d, domains[i].n, buf, sizeof buf);
		expect_verify(__LINE__, buf, n, &ks, TQK_E_PAYLOAD_SIGNATURE);
	}
	/* A signature of the whole text, its own signature field included. */
	uint8_t sig[TQK_SIG_LEN];
	uint8_t msg[400];
	memcpy(msg, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN);
	memcpy(msg + sizeof TQK_PAYLOAD_DOMAIN, KAT_BODY "|", strlen(KAT_BODY) + 1);
	crypto_sign_detached(sig, NULL, msg, sizeof TQK_PAYLOAD_DOMAIN + strlen(KAT_BODY) + 1, k.sk);
	snprintf(buf, sizeof buf, "%s|", KAT_BODY);
	sodium_bin2base64(buf + strlen(buf), sizeof buf - strlen(buf), sig, sizeof sig,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	expect_verify(__LINE__, buf, strlen(buf), &ks, TQK_E_PAYLOAD_SIGNATURE);
}

/* ---- the signer's refusals ---- */

static void sign_refuses_what_parse_would(void **state)
{
	(void)state;
	keypair k = key_of(0);
	char out[TQK_PAYLOAD_CAP];
	size_t len = 99;
	tqk_payload p;
#define REFUSED(edit, want) do { \
		p = sample(&k); \
		edit; \
		memset(out, 'x', sizeof out); \
		len = 99; \
		assert_int_equal(tqk_payload_sign(&p, k.sk, out, &len), (want)); \
		assert_string_equal(out, ""); \
		assert_int_equal(len, 0); \
	} while (0)
	REFUSED(p.reg_no[0] = '\0', TQK_E_PAYLOAD_FORMAT);
	REFUSED(SET(p.reg_no, "2026|01"), TQK_E_PAYLOAD_FORMAT);
	REFUSED(memset(p.reg_no, 'R', sizeof p.reg_no), TQK_E_PAYLOAD_FORMAT);
	REFUSED(SET(p.id_number, "44011320141005001x"), TQK_E_PAYLOAD_FORMAT);
	REFUSED(SET(p.id_number, "36042619910102009X"), TQK_E_PAYLOAD_FORMAT);
	REFUSED(memset(p.id_number, '1', sizeof p.id_number), TQK_E_PAYLOAD_FORMAT);
	REFUSED(SET(p.cert_no, "2023430000000000"), TQK_E_PAYLOAD_FORMAT);
	REFUSED(SET(p.cert_no, "20274300000000000"), TQK_E_PAYLOAD_FORMAT);
	REFUSED(memset(p.cert_no, '2', sizeof p.cert_no), TQK_E_PAYLOAD_FORMAT);
	REFUSED(SET(p.name, "李|娜"), TQK_E_PAYLOAD_FORMAT);
	REFUSED(SET(p.name, "李娜 "), TQK_E_PAYLOAD_FORMAT);
	REFUSED(SET(p.name, "李\r娜"), TQK_E_PAYLOAD_FORMAT);
	REFUSED(memset(p.name, 'a', sizeof p.name), TQK_E_PAYLOAD_FORMAT);
	REFUSED(p.kid[0] = '\0', TQK_E_PAYLOAD_FORMAT);
	REFUSED(SET(p.kid, "k|1"), TQK_E_PAYLOAD_FORMAT);
	REFUSED(memset(p.kid, 'k', sizeof p.kid), TQK_E_PAYLOAD_FORMAT);
	REFUSED(p.issued = test_at("1999-12-31 23:59"), TQK_E_PAYLOAD_FORMAT);
	REFUSED(p.issued = test_at("2100-01-01 00:00"), TQK_E_PAYLOAD_FORMAT);
	REFUSED(p.issued = -1, TQK_E_PAYLOAD_FORMAT);
	REFUSED(p.issued = INT64_MAX, TQK_E_PAYLOAD_FORMAT);
	REFUSED(p.issued = INT64_MIN, TQK_E_PAYLOAD_FORMAT);
	/* A certificate of 2023 on a form issued in 2022. */
	REFUSED(p.issued = test_at("2022-12-31 23:59"), TQK_E_PAYLOAD_FORMAT);
#undef REFUSED

	/* A secret key whose public half is not its seed's. */
	p = sample(&k);
	uint8_t bad[TQK_SECKEY_LEN];
	memcpy(bad, k.sk, sizeof bad);
	bad[40] ^= 1;
	strcpy(out, "x");
	assert_int_equal(tqk_payload_sign(&p, bad, out, &len), TQK_E_FIELD_VALUE);
	assert_string_equal(out, "");
}

/* ---- keys as text ---- */

static void public_key_text(void **state)
{
	(void)state;
	for (uint8_t seed = 0; seed < 40; seed++) {
		keypair k = key_of(seed);
		char text[TQK_PUBKEY_TEXT_LEN + 1];
		tqk_pubkey_format(k.pk, text);
		assert_int_equal(strlen(text), TQK_PUBKEY_TEXT_LEN);
		assert_int_equal(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                              "0123456789-_"), TQK_PUBKEY_TEXT_LEN);
		uint8_t back[TQK_PUBKEY_LEN];
		assert_int_equal(tqk_pubkey_parse(text, strlen(text), back), TQK_OK);
		assert_memory_equal(back, k.pk, sizeof back);
	}
	uint8_t out[TQK_PUBKEY_LEN], before[TQK_PUBKEY_LEN];
	memset(out, 0xA5, sizeof out);
	memcpy(before, out, sizeof before);
	char t[64];
#define BAD_PUB(s, n) do { \
		assert_int_equal(tqk_pubkey_parse((s), (n), out), TQK_E_FIELD_VALUE); \
		assert_memory_equal(out, before, sizeof out); \
	} while (0)
	BAD_PUB(KAT_PUB, 42);
	snprintf(t, sizeof t, "%sA", KAT_PUB);
	BAD_PUB(t, 44);
	snprintf(t, sizeof t, "%s=", KAT_PUB);
	BAD_PUB(t, 44);
	BAD_PUB("", 0);
	/* The last character carries 2 unused bits: 'g' (32) is canonical,
	 * 'h', 'i', 'j' decode to the same bytes and are refused. */
	for (char c = 'h'; c <= 'j'; c++) {
		snprintf(t, sizeof t, "%s", KAT_PUB);
		t[42] = c;
		BAD_PUB(t, 43);
	}
	static const char not_url[] = "+/=. ";
	for (size_t i = 0; not_url[i] != '\0'; i++) {
		snprintf(t, sizeof t, "%s", KAT_PUB);
		t[5] = not_url[i];
		BAD_PUB(t, 43);
	}
	/* 43 characters with a NUL in the middle. */
	memcpy(t, KAT_PUB, 43);
	t[20] = '\0';
	BAD_PUB(t, 43);
#undef BAD_PUB
}

static void secret_key_text(void **state)
{
	(void)state;
	keypair k = key_of(0);
	char text[TQK_SECKEY_TEXT_LEN + 1];
	tqk_seckey_format(k.sk, text);
	assert_int_equal(strlen(text), TQK_SECKEY_TEXT_LEN);
	uint8_t back[TQK_SECKEY_LEN];
	assert_int_equal(tqk_seckey_parse(text, strlen(text), back), TQK_OK);
	assert_memory_equal(back, k.sk, sizeof back);
	/* A secret key signs what its public key verifies: the public half
	 * (bytes 32..63) is the public key. */
	assert_memory_equal(k.sk + 32, k.pk, TQK_PUBKEY_LEN);

	uint8_t out[TQK_SECKEY_LEN], before[TQK_SECKEY_LEN];
	memset(out, 0xA5, sizeof out);
	memcpy(before, out, sizeof before);
	/* The public half of another key. */
	keypair other = key_of(1);
	uint8_t mixed[TQK_SECKEY_LEN];
	memcpy(mixed, k.sk, 32);
	memcpy(mixed + 32, other.pk, 32);
	char mtext[TQK_SECKEY_TEXT_LEN + 1];
	tqk_seckey_format(mixed, mtext);
	assert_int_equal(tqk_seckey_parse(mtext, strlen(mtext), out), TQK_E_FIELD_VALUE);
	assert_memory_equal(out, before, sizeof out);
	/* Short, long, non-canonical, a public key's text. */
	assert_int_equal(tqk_seckey_parse(text, strlen(text) - 1, out), TQK_E_FIELD_VALUE);
	char longer[TQK_SECKEY_TEXT_LEN + 2];
	snprintf(longer, sizeof longer, "%sA", text);
	assert_int_equal(tqk_seckey_parse(longer, strlen(longer), out), TQK_E_FIELD_VALUE);
	char nc[TQK_SECKEY_TEXT_LEN + 1];
	memcpy(nc, text, sizeof nc);
	nc[85] = (char)(nc[85] == 'B' ? 'C' : 'B');
	assert_int_equal(tqk_seckey_parse(nc, strlen(nc), out), TQK_E_FIELD_VALUE);
	assert_int_equal(tqk_seckey_parse(KAT_PUB, strlen(KAT_PUB), out), TQK_E_FIELD_VALUE);
	assert_memory_equal(out, before, sizeof out);
}

/* ---- key sets ---- */

static void keyset_limits(void **state)
{
	(void)state;
	tqk_keyset ks;
	memset(&ks, 0, sizeof ks);
	assert_true(tqk_keyset_valid(&ks));
	keypair keys[TQK_KEYSET_MAX + 1];
	for (int i = 0; i <= TQK_KEYSET_MAX; i++)
		keys[i] = key_of((uint8_t)(50 + i));
	for (int i = 0; i < TQK_KEYSET_MAX; i++)
		assert_int_equal(tqk_keyset_add(&ks, keys[i].kid, keys[i].pk), TQK_OK);
	assert_int_equal(ks.n, TQK_KEYSET_MAX);
	assert_true(tqk_keyset_valid(&ks));
	/* Full: the next one is refused and nothing changes. */
	tqk_keyset before = ks;
	assert_int_equal(tqk_keyset_add(&ks, keys[TQK_KEYSET_MAX].kid, keys[TQK_KEYSET_MAX].pk),
	                 TQK_E_TOO_LONG);
	assert_memory_equal(&ks, &before, sizeof ks);
	/* In the order added, each found by its kid and its kid alone. */
	for (int i = 0; i < TQK_KEYSET_MAX; i++) {
		const tqk_pubkey *k = tqk_keyset_find(&ks, keys[i].kid, strlen(keys[i].kid));
		assert_ptr_equal(k, &ks.keys[i]);
		assert_memory_equal(k->key, keys[i].pk, TQK_PUBKEY_LEN);
		assert_null(tqk_keyset_find(&ks, keys[i].kid, strlen(keys[i].kid) - 1));
	}
	assert_null(tqk_keyset_find(&ks, keys[TQK_KEYSET_MAX].kid, 9));
	assert_null(tqk_keyset_find(&ks, "", 0));
	assert_null(tqk_keyset_find(NULL, keys[0].kid, 9));
	assert_null(tqk_keyset_find(&ks, "kkkkkkkkkkkkkkkkk", 17));
	/* Only len bytes of the kid are compared. */
	char longer[32];
	snprintf(longer, sizeof longer, "%sXYZ", keys[3].kid);
	assert_ptr_equal(tqk_keyset_find(&ks, longer, 9), &ks.keys[3]);

	/* A repeated or malformed kid is refused, also in a set not full. */
	memset(&ks, 0, sizeof ks);
	assert_int_equal(tqk_keyset_add(&ks, "k1", keys[0].pk), TQK_OK);
	before = ks;
	assert_int_equal(tqk_keyset_add(&ks, "k1", keys[1].pk), TQK_E_FIELD_VALUE);
	assert_int_equal(tqk_keyset_add(&ks, "", keys[1].pk), TQK_E_FIELD_VALUE);
	assert_int_equal(tqk_keyset_add(&ks, "k 2", keys[1].pk), TQK_E_FIELD_VALUE);
	assert_int_equal(tqk_keyset_add(&ks, "abcdefghij-_01234", keys[1].pk), TQK_E_FIELD_VALUE);
	assert_memory_equal(&ks, &before, sizeof ks);
	/* The same public key under two kids is allowed (the set maps kids). */
	assert_int_equal(tqk_keyset_add(&ks, "k2", keys[0].pk), TQK_OK);

	/* Sets built by hand: what a decoder or a store must check. */
	tqk_keyset bad = ks;
	bad.n = TQK_KEYSET_MAX + 1;
	assert_false(tqk_keyset_valid(&bad));
	bad = ks;
	memcpy(bad.keys[1].kid, "k1", 3);
	assert_false(tqk_keyset_valid(&bad));
	bad = ks;
	bad.keys[1].kid[0] = '\0';
	assert_false(tqk_keyset_valid(&bad));
	bad = ks;
	memset(bad.keys[1].kid, 'a', sizeof bad.keys[1].kid);
	assert_false(tqk_keyset_valid(&bad));
	bad = ks;
	memcpy(bad.keys[0].kid, "k.1", 4);
	assert_false(tqk_keyset_valid(&bad));
	assert_true(tqk_keyset_valid(&ks));
}

/* ---- parse's outputs ---- */

static void parse_outputs(void **state)
{
	(void)state;
	tqk_payload p;
	uint8_t sig[TQK_SIG_LEN], before[TQK_SIG_LEN];
	memset(sig, 0x5A, sizeof sig);
	memcpy(before, sig, sizeof sig);
	memset(&p, 0xA5, sizeof p);
	/* Failure: out zeroed, sig untouched. */
	assert_int_equal(tqk_payload_parse("TQ1|x", 5, &p, sig), TQK_E_PAYLOAD_FORMAT);
	tqk_payload zero;
	memset(&zero, 0, sizeof zero);
	assert_memory_equal(&p, &zero, sizeof p);
	assert_memory_equal(sig, before, sizeof sig);
	memset(&p, 0xA5, sizeof p);
	assert_int_equal(tqk_payload_parse("TQ3|x", 5, &p, sig), TQK_E_PAYLOAD_VERSION);
	assert_memory_equal(&p, &zero, sizeof p);
	/* Success, without checking the signature at all. */
	char buf[TQK_PAYLOAD_CAP];
	memcpy(buf, KAT_PAYLOAD, sizeof KAT_PAYLOAD);
	buf[strlen(buf) - 2] = buf[strlen(buf) - 2] == 'B' ? 'C' : 'B';
	assert_int_equal(tqk_payload_parse(buf, strlen(buf), &p, sig), TQK_OK);
	assert_string_equal(p.name, NAME);
	assert_string_equal(p.cert_no, "20234300000000000");
	assert_int_equal(p.issued, test_at(ISSUED));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_answer_vector),
		cmocka_unit_test(sign_parse_verify_round_trips),
		cmocka_unit_test(time_format),
		cmocka_unit_test(registration_number_limits),
		cmocka_unit_test(id_number_limits),
		cmocka_unit_test(certificate_number_limits),
		cmocka_unit_test(name_limits),
		cmocka_unit_test(issue_time_limits),
		cmocka_unit_test(kid_limits),
		cmocka_unit_test(signature_text_limits),
		cmocka_unit_test(version_and_layout),
		cmocka_unit_test(over_long_is_refused),
		cmocka_unit_test(tampering_any_byte_fails),
		cmocka_unit_test(unknown_and_retired_keys),
		cmocka_unit_test(other_domains_never_verify),
		cmocka_unit_test(sign_refuses_what_parse_would),
		cmocka_unit_test(public_key_text),
		cmocka_unit_test(secret_key_text),
		cmocka_unit_test(keyset_limits),
		cmocka_unit_test(parse_outputs),
	};
	return cmocka_run_group_tests_name("payload", tests, NULL, NULL);
}
