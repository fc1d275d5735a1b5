/*
 * clerks.h - the clerk accounts of this site in the local store, as the
 * county server publishes them (GET /v1/clerks, proto/api.h), and the check
 * of a clerk's PIN at the kiosk's login, which works offline.
 *
 * The PIN never travels and is never stored: the server sends libsodium's
 * argon2id string (crypto_pwhash_str) and the kiosk verifies against it.
 */
#ifndef TQK_STORE_CLERKS_H
#define TQK_STORE_CLERKS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "proto/api.h"
#include "store/store.h"

#define TQK_CLERKS_MAX 1000     /* accounts in one list */

/*
 * Makes the stored list exactly clerks[0..n-1], in one transaction with an
 * audit row "clerks.replace" (counts only, no PIN hashes). A list equal
 * to the stored one writes nothing; *changed (when not NULL) tells whether
 * anything changed. Every clerk is checked first and nothing is written when
 * one fails, *bad_index (when not NULL) naming it: TQK_E_TOO_LONG for more
 * than TQK_CLERKS_MAX clerks or a text over its cap, TQK_E_ARG for an id
 * that is not a code or appears twice, TQK_E_UTF8 for a name that is not
 * UTF-8, TQK_E_FIELD_REQUIRED for an empty name, TQK_E_FIELD_VALUE for a
 * pin_hash that is not an argon2id string. Otherwise the store's failures.
 */
tqk_err tqk_store_clerks_replace(tqk_store *s, const tqk_clerk *clerks, size_t n, tqk_time now,
                                 bool *changed, size_t *bad_index) TQK_MUST_CHECK;

/* Up to cap clerks in id order into out, their total in *n. Fails only with
 * the store's failures. */
tqk_err tqk_store_clerks_list(tqk_store *s, tqk_clerk *out, size_t cap, size_t *n) TQK_MUST_CHECK;

/* One clerk by id; TQK_E_STORE_NOT_FOUND, or the store's failures. */
tqk_err tqk_store_clerk_get(tqk_store *s, const char *id, tqk_clerk *out) TQK_MUST_CHECK;

typedef enum tqk_login {
	TQK_LOGIN_OK = 0,           /* an active clerk, the right PIN */
	TQK_LOGIN_UNKNOWN,          /* no clerk with this id */
	TQK_LOGIN_INACTIVE,         /* the account is disabled */
	TQK_LOGIN_WRONG_PIN
} tqk_login;

/*
 * Checks pin for clerk id (crypto_pwhash_str_verify; this takes the time
 * argon2id is set to take, outside any transaction) and says how it went in
 * *out. A PIN over TQK_PIN_MAX bytes is simply wrong. Fails only with the
 * store's failures (*out is TQK_LOGIN_UNKNOWN then).
 */
#define TQK_PIN_MAX 64
tqk_err tqk_store_clerk_login(tqk_store *s, const char *id, const char *pin,
                              tqk_login *out) TQK_MUST_CHECK;

#endif
