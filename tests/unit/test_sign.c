/*
 * test_sign.c - the request signatures of proto/sign.h: hex in both
 * directions at its edges, nonces, a known-answer vector checked twice
 * (against libsodium's HMAC over a string to sign built by hand here, and
 * against a constant computed once with openssl), verification refusing a
 * change of one bit or character in anything signed (method, path, query,
 * time, nonce, body), in the key or in the signature, and the arguments
 * that cannot be signed (a newline in a line, a nonce that is not 32 hex
 * digits).
 */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "proto/sign.h"

/* The known-answer request. */
#define KEY_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define METHOD "POST"
#define PATH "/v1/confirmations?dry=1"
#define TIME 1779240600
#define NONCE "00112233445566778899aabbccddeeff"
#define BODY "{\"records\":[]}"

/*
 * Computed once from the shell with OpenSSL 3.0 (the body's SHA-256 first):
 *
 *   KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
 *   BODYHEX=$(printf '%s' '{"records":[]}' | openssl dgst -sha256 -r | cut -d' ' -f1)
 *   printf 'POST\n/v1/confirmations?dry=1\n1779240600\n00112233445566778899aabbccddeeff\n%s' \
 *       "$BODYHEX" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY
 */
#define BODY_SHA256 "1b8b4c0b6f6ad1d32565952720bc004eeb1f188f62045e4d5525ae2af8c78432"
#define OPENSSL_SIG "d633f428bac5b67ea570bf90a63359044fe1136cbb683349386c947c1f51f6f2"

/*
 * A GET with no body, the same way:
 *
 *   EMPTY=$(printf '' | openssl dgst -sha256 -r | cut -d' ' -f1)
 *   printf '%s\n%s\n%s\n%s\n%s' GET '/v1/applications?since=42&limit=500' 1779240600 \
 *       00112233445566778899aabbccddeeff "$EMPTY" |
 *       openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY
 */
#define GET_PATH "/v1/applications?since=42&limit=500"
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define OPENSSL_GET_SIG "716479358c5c5aee3edae77d8e3b21d78a779c495176a6a337b97302e5026579"

static uint8_t key[TQK_SIGN_KEY_LEN];

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	for (size_t i = 0; i < sizeof key; i++)
		key[i] = (uint8_t)i;
	return 0;
}

/* ---- hex ---- */

static void hex_encode_edges(void **state)
{
	(void)state;
	char out[2 * 256 + 1];
	memset(out, 'x', sizeof out);
	tqk_hex_encode(NULL, 0, out);   /* nothing to read: only the terminator */
	assert_string_equal(out, "");
	static const uint8_t some[] = {0x00, 0x01, 0x0f, 0x10, 0xab, 0xcd, 0xef, 0xff};
	memset(out, 'x', sizeof out);
	tqk_hex_encode(some, sizeof some, out);
	assert_string_equal(out, "00010f10abcdefff");   /* lower case, two digits each */
	assert_int_equal(out[17], 'x');                 /* nothing past the terminator */

	/* Every byte value, and back. */
	uint8_t all[256], back[256];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	tqk_hex_encode(all, sizeof all, out);
	assert_int_equal(strlen(out), 512);
	assert_memory_equal(out, "000102", 6);
	assert_memory_equal(out + 506, "fdfeff", 6);
	assert_true(tqk_hex_decode(out, back, sizeof back));
	assert_memory_equal(back, all, sizeof all);
}

static void hex_decode_edges(void **state)
{
	(void)state;
	uint8_t b[4];
	assert_true(tqk_hex_decode("", b, 0));
	assert_false(tqk_hex_decode("0", b, 0));
	assert_false(tqk_hex_decode("00", b, 0));
	assert_true(tqk_hex_decode("00ff7a10", b, 4));
	assert_memory_equal(b, "\x00\xff\x7a\x10", 4);
	/* Either case, as sign.h says, also mixed. */
	assert_true(tqk_hex_decode("ABCDEF09", b, 4));
	assert_memory_equal(b, "\xab\xcd\xef\x09", 4);
	assert_true(tqk_hex_decode("aBcDeF09", b, 4));
	assert_memory_equal(b, "\xab\xcd\xef\x09", 4);
	/* Exactly 2n digits: not fewer, not more, not odd. */
	assert_false(tqk_hex_decode("00ff7a1", b, 4));
	assert_false(tqk_hex_decode("00ff7a", b, 4));
	assert_false(tqk_hex_decode("00ff7a100", b, 4));
	assert_false(tqk_hex_decode("00ff7a1000", b, 4));
	assert_false(tqk_hex_decode("", b, 4));
	assert_false(tqk_hex_decode(NULL, b, 4));
	/* Only hex digits: each neighbour of the digit ranges, spaces, signs. */
	static const char *const bad[] = {
		"00ff7a1g", "00ff7a1G", "00ff7a1/", "00ff7a1:", "00ff7a1@", "00ff7a1`",
		" 0ff7a10", "00ff7a1 ", "+0ff7a10", "-0ff7a10", "0xff7a10", "00ff\n7a1",
		"00ff7a1\xff", "００ab",   /* full-width digits */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (tqk_hex_decode(bad[i], b, 4))
			fail_msg("\"%s\" decoded", bad[i]);
	/* A NUL inside is the end of the string: too short. */
	assert_false(tqk_hex_decode("00ff\0" "7a10", b, 4));
}

/* ---- nonces ---- */

static void nonces_are_fresh_lower_hex(void **state)
{
	(void)state;
	char a[TQK_SIGN_NONCE_HEX], b[TQK_SIGN_NONCE_HEX];
	tqk_sign_nonce(a);
	tqk_sign_nonce(b);
	assert_int_equal(strlen(a), 2 * TQK_SIGN_NONCE_LEN);
	for (size_t i = 0; i < strlen(a); i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	assert_string_not_equal(a, b);
	uint8_t raw[TQK_SIGN_NONCE_LEN];
	assert_true(tqk_hex_decode(a, raw, sizeof raw));
	/* A nonce signs. */
	char sig[TQK_SIGN_HEX];
	assert_int_equal(tqk_sign(key, "GET", "/v1/plan", TIME, a, NULL, 0, sig), TQK_OK);
	assert_true(tqk_sign_verify(key, "GET", "/v1/plan", TIME, a, NULL, 0, sig));
}

/* ---- the known answer ---- */

/* The lower-case hex of 32 bytes, written here without tqk_hex_encode. */
static void hex32(const uint8_t b[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* HMAC-SHA256 of the string to sign, built by hand from sign.h's rules. */
static void independent_signature(const uint8_t k[32], const char *method, const char *path,
                                  long long time, const char *nonce, const void *body,
                                  size_t body_len, char out[65])
{
	uint8_t digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)(body_len > 0 ? body : ""), body_len);
	char digest_hex[65];
	hex32(digest, digest_hex);
	char text[1024];
	int n = snprintf(text, sizeof text, "%s\n%s\n%lld\n%s\n%s", method, path, time, nonce,
	                 digest_hex);
	assert_true(n > 0 && (size_t)n < sizeof text);
	uint8_t mac[crypto_auth_hmacsha256_BYTES];
	assert_int_equal(crypto_auth_hmacsha256_BYTES, 32);
	/* crypto_auth_hmacsha256 takes a key of exactly 32 bytes, as sign.h does. */
	crypto_auth_hmacsha256(mac, (const unsigned char *)text, (unsigned long long)n, k);
	hex32(mac, out);
}

static void known_answer(void **state)
{
	(void)state;
	/* The key as a person handles it. */
	uint8_t k[TQK_SIGN_KEY_LEN];
	assert_true(tqk_hex_decode(KEY_HEX, k, sizeof k));
	assert_memory_equal(k, key, sizeof k);

	char want[65];
	independent_signature(key, METHOD, PATH, TIME, NONCE, BODY, strlen(BODY), want);
	assert_string_equal(want, OPENSSL_SIG);
	uint8_t digest[crypto_hash_sha256_BYTES];
	char digest_hex[65];
	crypto_hash_sha256(digest, (const unsigned char *)BODY, strlen(BODY));
	hex32(digest, digest_hex);
	assert_string_equal(digest_hex, BODY_SHA256);

	char sig[TQK_SIGN_HEX];
	memset(sig, 'x', sizeof sig);
	assert_int_equal(tqk_sign(key, METHOD, PATH, TIME, NONCE, BODY, strlen(BODY), sig), TQK_OK);
	assert_string_equal(sig, OPENSSL_SIG);
	assert_true(tqk_sign_verify(key, METHOD, PATH, TIME, NONCE, BODY, strlen(BODY), sig));

	/* The GET, with no body. */
	independent_signature(key, "GET", GET_PATH, TIME, NONCE, NULL, 0, want);
	assert_string_equal(want, OPENSSL_GET_SIG);
	crypto_hash_sha256(digest, (const unsigned char *)"", 0);
	hex32(digest, digest_hex);
	assert_string_equal(digest_hex, EMPTY_SHA256);
	assert_int_equal(tqk_sign(key, "GET", GET_PATH, TIME, NONCE, NULL, 0, sig), TQK_OK);
	assert_string_equal(sig, OPENSSL_GET_SIG);
}

/* Agreement with the hand-built string for other requests: times of every
 * sign and size, bodies with NUL bytes and newlines, long paths. */
static void agrees_with_the_rules(void **state)
{
	(void)state;
	static const long long times[] = {0, 1, -1, 1779240600, INT64_MAX, INT64_MIN};
	static const char body[] = "line\none\0with a NUL\n";
	char want[65], sig[TQK_SIGN_HEX];
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		independent_signature(key, "PUT", "/", times[i], NONCE, body, sizeof body, want);
		assert_int_equal(tqk_sign(key, "PUT", "/", times[i], NONCE, body, sizeof body, sig),
		                 TQK_OK);
		assert_string_equal(sig, want);
	}
	char path[600];
	memset(path, 'p', sizeof path - 1);
	path[0] = '/';
	path[sizeof path - 1] = '\0';
	independent_signature(key, "DELETE", path, TIME, NONCE, "", 0, want);
	assert_int_equal(tqk_sign(key, "DELETE", path, TIME, NONCE, "", 0, sig), TQK_OK);
	assert_string_equal(sig, want);
	/* Empty method and path are not refused: the server's router refuses them. */
	independent_signature(key, "", "", TIME, NONCE, NULL, 0, want);
	assert_int_equal(tqk_sign(key, "", "", TIME, NONCE, NULL, 0, sig), TQK_OK);
	assert_string_equal(sig, want);
}

/* ---- verification ---- */

static bool verify(const uint8_t *k, const char *method, const char *path, int64_t time,
                   const char *nonce, const void *body, size_t body_len, const char *sig)
{
	return tqk_sign_verify(k, method, path, time, nonce, body, body_len, sig);
}

#define BODY_LEN (sizeof BODY - 1)

/* Whether the known answer's signature verifies the known request with
 * method, path, time and nonce in place of its own. */
static bool known(const char *method, const char *path, int64_t time, const char *nonce)
{
	return verify(key, method, path, time, nonce, BODY, BODY_LEN, OPENSSL_SIG);
}

static void verify_refuses_any_change(void **state)
{
	(void)state;
	const char *sig = OPENSSL_SIG;
	assert_true(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, sig));

	/* Method, path and query: one character each. */
	assert_false(known("POSt", PATH, TIME, NONCE));
	assert_false(known("PUT", PATH, TIME, NONCE));
	assert_false(known("POST ", PATH, TIME, NONCE));
	assert_false(known("GET", PATH, TIME, NONCE));
	assert_false(known(METHOD, "/v1/confirmationS?dry=1", TIME, NONCE));
	assert_false(known(METHOD, "/v2/confirmations?dry=1", TIME, NONCE));
	assert_false(known(METHOD, "/v1/confirmations?dry=0", TIME, NONCE));
	assert_false(known(METHOD, "/v1/confirmations?dry=1&", TIME, NONCE));
	assert_false(known(METHOD, "/v1/confirmations", TIME, NONCE));
	assert_false(known(METHOD, "/v1/confirmations?drY=1", TIME, NONCE));
	/* Where the line breaks fall is signed too. */
	assert_false(known("POST/v1", "/confirmations?dry=1", TIME, NONCE));

	/* Time: one second either way, and its sign. */
	assert_false(known(METHOD, PATH, TIME + 1, NONCE));
	assert_false(known(METHOD, PATH, TIME - 1, NONCE));
	assert_false(known(METHOD, PATH, -(int64_t)TIME, NONCE));
	assert_true(known(METHOD, PATH, TIME, NONCE));

	/* Nonce: each digit changed to another. */
	for (size_t i = 0; i < 2 * TQK_SIGN_NONCE_LEN; i++) {
		char nonce[] = NONCE;
		nonce[i] = nonce[i] == 'a' ? 'b' : 'a';
		if (known(METHOD, PATH, TIME, nonce))
			fail_msg("nonce digit %zu changed: still verifies", i);
	}

	/* Body: each bit of each byte, and its length either way. */
	char body[sizeof BODY];
	for (size_t i = 0; i < BODY_LEN; i++)
		for (int bit = 0; bit < 8; bit++) {
			memcpy(body, BODY, sizeof body);
			body[i] = (char)(body[i] ^ 1 << bit);
			if (verify(key, METHOD, PATH, TIME, NONCE, body, BODY_LEN, sig))
				fail_msg("body byte %zu bit %d flipped: still verifies", i, bit);
		}
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN - 1, sig));
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN + 1, sig));
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, NULL, 0, sig));

	/* Key: each bit. */
	for (size_t i = 0; i < sizeof key; i++)
		for (int bit = 0; bit < 8; bit++) {
			uint8_t k[TQK_SIGN_KEY_LEN];
			memcpy(k, key, sizeof k);
			k[i] ^= (uint8_t)(1 << bit);
			if (verify(k, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, sig))
				fail_msg("key byte %zu bit %d flipped: still verifies", i, bit);
		}

	/* Signature: each digit changed to every other digit, and each bit of
	 * the MAC it stands for. */
	for (size_t i = 0; i < 64; i++)
		for (const char *d = "0123456789abcdef"; *d != '\0'; d++) {
			char s[TQK_SIGN_HEX];
			memcpy(s, OPENSSL_SIG, sizeof s);
			if (s[i] == *d)
				continue;
			s[i] = *d;
			if (verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, s))
				fail_msg("signature digit %zu as '%c': still verifies", i, *d);
		}
	uint8_t mac[32];
	assert_true(tqk_hex_decode(OPENSSL_SIG, mac, sizeof mac));
	for (size_t i = 0; i < sizeof mac; i++)
		for (int bit = 0; bit < 8; bit++) {
			char s[TQK_SIGN_HEX];
			mac[i] ^= (uint8_t)(1 << bit);
			tqk_hex_encode(mac, sizeof mac, s);
			mac[i] ^= (uint8_t)(1 << bit);
			if (verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, s))
				fail_msg("MAC byte %zu bit %d flipped: still verifies", i, bit);
		}
}

static void verify_refuses_malformed_signatures(void **state)
{
	(void)state;
	char s[80];
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, NULL));
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, ""));
	/* One digit short, one too many, a trailing newline or space. */
	snprintf(s, sizeof s, "%.63s", OPENSSL_SIG);
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, s));
	snprintf(s, sizeof s, "%s0", OPENSSL_SIG);
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, s));
	snprintf(s, sizeof s, "%s\n", OPENSSL_SIG);
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, s));
	snprintf(s, sizeof s, " %s", OPENSSL_SIG);
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, s));
	/* 64 characters, the last two not hex digits. */
	snprintf(s, sizeof s, "%.62sgg", OPENSSL_SIG);
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, s));
}

/*
 * Upper-case signatures: sign.h's header asks for lower-case digits, but
 * tqk_sign_verify reads the signature with tqk_hex_decode, which takes
 * either case; so an upper-case (or mixed-case) signature of the right MAC
 * is accepted. Nothing else is signed differently by it: the digits are
 * compared as the bytes they stand for.
 */
static void upper_case_signature_is_accepted(void **state)
{
	(void)state;
	char s[TQK_SIGN_HEX];
	memcpy(s, OPENSSL_SIG, sizeof s);
	for (size_t i = 0; i < 64; i++)
		if (s[i] >= 'a' && s[i] <= 'f')
			s[i] = (char)(s[i] - 'a' + 'A');
	assert_string_equal(s, "D633F428BAC5B67EA570BF90A63359044FE1136CBB683349386C947C1F51F6F2");
	assert_true(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, s));
	s[0] = 'd';     /* mixed */
	assert_true(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, s));
	s[0] = 'E';     /* but still the same bytes */
	assert_false(verify(key, METHOD, PATH, TIME, NONCE, BODY, BODY_LEN, s));
}

/* ---- what cannot be signed ---- */

static void newlines_are_refused(void **state)
{
	(void)state;
	char sig[TQK_SIGN_HEX] = "untouched";
	static const char *const methods[] = {"POST\n", "\nPOST", "PO\nST", "\n"};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		assert_int_equal(tqk_sign(key, methods[i], PATH, TIME, NONCE, BODY, BODY_LEN, sig),
		                 TQK_E_ARG);
		assert_false(known(methods[i], PATH, TIME, NONCE));
	}
	static const char *const paths[] = {
		"/v1/confirmations?dry=1\n", "/v1/confirmations\n?dry=1",
		"/v1/confirmations?dry=\n1", "\n",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		assert_int_equal(tqk_sign(key, METHOD, paths[i], TIME, NONCE, BODY, BODY_LEN, sig),
		                 TQK_E_ARG);
		assert_false(known(METHOD, paths[i], TIME, NONCE));
	}
	assert_string_equal(sig, "untouched");
	/* A newline in the body is only bytes: the body is hashed first. */
	assert_int_equal(tqk_sign(key, METHOD, PATH, TIME, NONCE, "\n", 1, sig), TQK_OK);
	/* Without the check, these two would sign the same string. */
	char a[TQK_SIGN_HEX] = "a", b[TQK_SIGN_HEX] = "b";
	assert_int_equal(tqk_sign(key, "GET", "/x\n1", TIME, NONCE, NULL, 0, a), TQK_E_ARG);
	assert_int_equal(tqk_sign(key, "GET\n/x", "1", TIME, NONCE, NULL, 0, b), TQK_E_ARG);
	assert_string_equal(a, "a");
	assert_string_equal(b, "b");
}

static void bad_nonces_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"00112233445566778899aabbccddeef",      /* 31 digits */
		"00112233445566778899aabbccddeeff0",    /* 33 */
		"00112233445566778899aabbccddeefg",     /* not hex */
		"00112233445566778899aabbccddeef ",
		" 0112233445566778899aabbccddeeff",
		"00112233445566778899aabbccddeef\n",
		"0x112233445566778899aabbccddeeff",
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	};
	char sig[TQK_SIGN_HEX] = "untouched";
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (tqk_sign(key, METHOD, PATH, TIME, bad[i], BODY, BODY_LEN, sig) != TQK_E_ARG)
			fail_msg("nonce \"%s\" was not refused", bad[i]);
		assert_false(known(METHOD, PATH, TIME, bad[i]));
	}
	assert_string_equal(sig, "untouched");
	/*
	 * An upper-case nonce: sign.h's header says lower case, but tqk_sign
	 * checks the nonce with tqk_hex_decode, which takes either case. It is
	 * signed as written, so it is a different request from its lower-case
	 * twin (and a signature of one never verifies the other).
	 */
	char want[65];
	const char *upper = "00112233445566778899AABBCCDDEEFF";
	assert_int_equal(tqk_sign(key, METHOD, PATH, TIME, upper, BODY, BODY_LEN, sig), TQK_OK);
	independent_signature(key, METHOD, PATH, TIME, upper, BODY, BODY_LEN, want);
	assert_string_equal(sig, want);
	assert_string_not_equal(sig, OPENSSL_SIG);
	assert_false(known(METHOD, PATH, TIME, upper));
}

/* A GET with a NULL body signs as an empty one; a length of 0 reads no byte. */
static void null_body_is_the_empty_body(void **state)
{
	(void)state;
	char a[TQK_SIGN_HEX], b[TQK_SIGN_HEX], c[TQK_SIGN_HEX];
	assert_int_equal(tqk_sign(key, "GET", GET_PATH, TIME, NONCE, NULL, 0, a), TQK_OK);
	assert_int_equal(tqk_sign(key, "GET", GET_PATH, TIME, NONCE, "", 0, b), TQK_OK);
	assert_int_equal(tqk_sign(key, "GET", GET_PATH, TIME, NONCE, "ignored", 0, c), TQK_OK);
	assert_string_equal(a, OPENSSL_GET_SIG);
	assert_string_equal(b, a);
	assert_string_equal(c, a);
	assert_true(verify(key, "GET", GET_PATH, TIME, NONCE, NULL, 0, OPENSSL_GET_SIG));
	assert_true(verify(key, "GET", GET_PATH, TIME, NONCE, "", 0, OPENSSL_GET_SIG));
	/* One byte of body is another request. */
	assert_false(verify(key, "GET", GET_PATH, TIME, NONCE, "\0", 1, OPENSSL_GET_SIG));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hex_encode_edges),
		cmocka_unit_test(hex_decode_edges),
		cmocka_unit_test(nonces_are_fresh_lower_hex),
		cmocka_unit_test(known_answer),
		cmocka_unit_test(agrees_with_the_rules),
		cmocka_unit_test(verify_refuses_any_change),
		cmocka_unit_test(verify_refuses_malformed_signatures),
		cmocka_unit_test(upper_case_signature_is_accepted),
		cmocka_unit_test(newlines_are_refused),
		cmocka_unit_test(bad_nonces_are_refused),
		cmocka_unit_test(null_body_is_the_empty_body),
	};
	return cmocka_run_group_tests_name("sign", tests, setup, NULL);
}
