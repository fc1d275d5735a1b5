/*
 * srv_auth.c - the signature, time window and nonce checks of a signed
 * request.
 */
#include "srv_auth.h"

#include <stdbool.h>
#include <string.h>

#include "core/application.h"
#include "proto/sign.h"

/* Strict decimal seconds: 1..18 digits, no sign, no spaces. */
static bool parse_time(const char *s, int64_t *out)
{
	size_t n = strnlen(s, 20);
	if (n == 0 || n > 18)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Exactly n lower-case hex digits. */
static bool lower_hex(const char *s, size_t n)
{
	if (strnlen(s, n + 1) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

tqk_err srv_auth_check(srv_db *db, const srv_auth_in *in, tqk_time now, srv_kiosk *out)
{
	/* The last prune of the nonce table; guarded by the database lock
	 * that every caller holds. */
	static tqk_time pruned;
	int64_t t;
	if (in->kiosk == NULL || in->time == NULL || in->nonce == NULL || in->signature == NULL ||
	    !tqk_code_valid(in->kiosk) || !parse_time(in->time, &t) ||
	    !lower_hex(in->nonce, TQK_SIGN_NONCE_HEX - 1) ||
	    !lower_hex(in->signature, TQK_SIGN_HEX - 1))
		return TQK_E_AUTH_MISSING;
	tqk_err err = srv_db_kiosk_get(db, in->kiosk, out);
	if (err == TQK_E_STORE_NOT_FOUND || (err == TQK_OK && !out->active))
		return TQK_E_AUTH_KIOSK;
	if (err != TQK_OK)
		return err;
	if (!tqk_sign_verify(out->secret, in->method, in->path_query, t, in->nonce, in->body,
	                     in->body_len, in->signature))
		return TQK_E_AUTH_SIGNATURE;
	if (t > now + TQK_SIGN_WINDOW || t < now - TQK_SIGN_WINDOW)
		return TQK_E_AUTH_STALE;
	if (now - pruned >= 60) {
		if ((err = srv_db_nonce_prune(db, now - 2 * TQK_SIGN_WINDOW)) != TQK_OK)
			return err;
		pruned = now;
	}
	return srv_db_nonce_add(db, in->kiosk, in->nonce, t);
}
