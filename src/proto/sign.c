/*
 * sign.c - HMAC-SHA256 request signatures (libsodium), and hex.
 */
#include "proto/sign.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tqk_hex_encode(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool tqk_hex_decode(const char *hex, uint8_t *out, size_t n)
{
	if (hex == NULL || strnlen(hex, 2 * n + 1) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void tqk_sign_nonce(char out[TQK_SIGN_NONCE_HEX])
{
	uint8_t b[TQK_SIGN_NONCE_LEN];
	if (sodium_init() < 0)      /* idempotent; only fails without entropy */
		abort();
	randombytes_buf(b, sizeof b);
	tqk_hex_encode(b, sizeof b, out);
}

/* The HMAC of the string to sign, into mac. */
static tqk_err mac_of(const uint8_t key[TQK_SIGN_KEY_LEN], const char *method,
                      const char *path_query, int64_t time, const char *nonce, const void *body,
                      size_t body_len, uint8_t mac[crypto_auth_hmacsha256_BYTES])
{
	uint8_t raw[TQK_SIGN_NONCE_LEN];
	if (strchr(method, '\n') != NULL || strchr(path_query, '\n') != NULL ||
	    !tqk_hex_decode(nonce, raw, sizeof raw))
		return TQK_E_ARG;
	uint8_t digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, body_len > 0 ? body : (const void *)"", body_len);
	char digest_hex[2 * sizeof digest + 1], when[24];
	tqk_hex_encode(digest, sizeof digest, digest_hex);
	snprintf(when, sizeof when, "%lld", (long long)time);

	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, TQK_SIGN_KEY_LEN);
	const char *lines[] = {method, path_query, when, nonce, digest_hex};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		if (i > 0)
			crypto_auth_hmacsha256_update(&st, (const uint8_t *)"\n", 1);
		crypto_auth_hmacsha256_update(&st, (const uint8_t *)lines[i], strlen(lines[i]));
	}
	crypto_auth_hmacsha256_final(&st, mac);
	return TQK_OK;
}

tqk_err tqk_sign(const uint8_t key[TQK_SIGN_KEY_LEN], const char *method, const char *path_query,
                 int64_t time, const char *nonce, const void *body, size_t body_len,
                 char out[TQK_SIGN_HEX])
{
	uint8_t mac[crypto_auth_hmacsha256_BYTES];
	tqk_err err = mac_of(key, method, path_query, time, nonce, body, body_len, mac);
	if (err == TQK_OK)
		tqk_hex_encode(mac, sizeof mac, out);
	return err;
}

bool tqk_sign_verify(const uint8_t key[TQK_SIGN_KEY_LEN], const char *method,
                     const char *path_query, int64_t time, const char *nonce, const void *body,
                     size_t body_len, const char *signature)
{
	uint8_t want[crypto_auth_hmacsha256_BYTES], got[crypto_auth_hmacsha256_BYTES];
	if (!tqk_hex_decode(signature, got, sizeof got) ||
	    mac_of(key, method, path_query, time, nonce, body, body_len, want) != TQK_OK)
		return false;
	return sodium_memcmp(want, got, sizeof want) == 0;
}
