/*
 * srv_auth.h - checking a kiosk's signed request (proto/sign.h): the four
 * X-TQK-* headers, the kiosk and its secret, the HMAC, the time window and
 * the nonce store that refuses a replay.
 *
 * The checks run in this order, and the first failure is the answer:
 * TQK_E_AUTH_MISSING (a header missing or malformed), TQK_E_AUTH_KIOSK (no
 * such kiosk, or disabled), TQK_E_AUTH_SIGNATURE, TQK_E_AUTH_STALE (the
 * request's time more than TQK_SIGN_WINDOW seconds from the server's),
 * TQK_E_AUTH_REPLAY (the kiosk used the nonce before). Nonces are kept in
 * the database with the request's time and forgotten once older than twice
 * the window: a request that old is refused as stale anyway.
 */
#ifndef TQK_SRV_AUTH_H
#define TQK_SRV_AUTH_H

#include <stddef.h>

#include "core/date.h"
#include "core/err.h"
#include "srv_db.h"

/* What a request brings to be checked; header values are NULL when absent. */
typedef struct srv_auth_in {
	const char *kiosk, *time, *nonce, *signature;
	const char *method;         /* as sent */
	const char *path_query;     /* the request target exactly as sent */
	const void *body;
	size_t body_len;
} srv_auth_in;

/*
 * Checks in against the database at the server's time now; the caller holds
 * the lock inside a transaction, so that the nonce is stored with the rest
 * of the request or not at all. Returns TQK_OK with the kiosk in *out, one
 * of the errors above, or the store's error.
 */
tqk_err srv_auth_check(srv_db *db, const srv_auth_in *in, tqk_time now,
                       srv_kiosk *out) TQK_MUST_CHECK;

#endif
