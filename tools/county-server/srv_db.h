/*
 * srv_db.h - the county server's own SQLite database: opening it (WAL,
 * synchronous=FULL, foreign keys, a 0600 file), its schema and forward-only
 * migrations (PRAGMA user_version), statements, transactions, the one
 * monotonic change counter, and the plain look-ups of sites, kiosks, clerks,
 * plans, the signing keys of the forms' QR payloads and nonces. Applications, confirmations and updates, whose changes
 * move the counter, are in srv_apps.h.
 *
 * One srv_db is one SQLite connection guarded by a mutex: the HTTP threads
 * take it with srv_db_lock() for a whole request (one transaction), so that
 * the server needs no busy handling between its own threads. This is not a
 * tqk_store (the kiosk's store); the two files never mix.
 */
#ifndef TQK_SRV_DB_H
#define TQK_SRV_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "core/application.h"
#include "core/err.h"
#include "core/payload.h"
#include "proto/api.h"
#include "proto/sign.h"

#define SRV_DB_DETAIL_CAP 512
#define SRV_DB_VERSION 5            /* the schema version this program writes */
#define SRV_DB_STMT_CACHE 64

typedef struct srv_db srv_db;

/*
 * Opens (create: creates when missing, mode 0600) the database at path and
 * brings its schema up to date. Returns TQK_OK and *out, or TQK_E_STORE_OPEN /
 * _MISSING / _CORRUPT / _VERSION / ... with SQLite's words in detail (cap
 * bytes, may be NULL); *out is NULL then.
 */
tqk_err srv_db_open(const char *path, bool create, srv_db **out, char *detail,
                    size_t cap) TQK_MUST_CHECK;
/* Finalizes every statement and closes the connection (the WAL is
 * checkpointed by SQLite on the last close). NULL is a no-op. */
void srv_db_close(srv_db *db);
/* What SQLite said about the last failure; never NULL. */
const char *srv_db_detail(const srv_db *db);
/* The connection's mutex (a request holds it from its first read to its
 * commit). */
void srv_db_lock(srv_db *db);
void srv_db_unlock(srv_db *db);

/* ---- statements and transactions (callers hold the lock) ---- */

/* A tqk_err for an SQLite result code, with the detail saved. */
tqk_err srv_db_err(srv_db *db, int rc);
/* The cached prepared statement for sql (a string literal: cached by its
 * address), reset and unbound; NULL with *err on failure. */
sqlite3_stmt *srv_db_stmt(srv_db *db, const char *sql, tqk_err *err);
/* Steps st once expecting no row, then resets it. Returns TQK_OK or the error. */
tqk_err srv_db_done(srv_db *db, sqlite3_stmt *st) TQK_MUST_CHECK;
/* BEGIN IMMEDIATE. Returns TQK_OK or the error (e.g. TQK_E_STORE_BUSY). */
tqk_err srv_db_begin(srv_db *db) TQK_MUST_CHECK;
/* COMMIT when err is TQK_OK (durable on return), else ROLLBACK. Returns err,
 * or the commit's own failure. */
tqk_err srv_db_end(srv_db *db, tqk_err err) TQK_MUST_CHECK;
/* Binds text (NULL binds ""). */
void srv_db_bind(sqlite3_stmt *st, int i, const char *v);
/* Copies column i into buf (cap bytes, cut to fit, always terminated). */
void srv_db_column(sqlite3_stmt *st, int i, char *buf, size_t cap);
/* Runs sql, a query whose first row's first column is text, with text
 * parameters ?1 = a, ?2 = b, ?3 = c (NULL: unbound), into out (cap bytes).
 * TQK_E_STORE_NOT_FOUND when there is no row. */
tqk_err srv_db_text(srv_db *db, const char *sql, const char *a, const char *b, const char *c,
                    char *out, size_t cap) TQK_MUST_CHECK;
/* The next value of the one monotonic change counter (inside a transaction).
 * Returns TQK_OK or the error. */
tqk_err srv_db_next_seq(srv_db *db, int64_t *out) TQK_MUST_CHECK;

/* ---- sites ---- */

typedef struct srv_site {
	char code[TQK_CODE_CAP];
	char name[TQK_TEXT_CAP];
	char county[8];
	int year, site_no, width;
} srv_site;

/* Adds a site. TQK_E_STORE_EXISTS when the code is taken; TQK_OK or the
 * store's error. */
tqk_err srv_db_site_add(srv_db *db, const srv_site *s) TQK_MUST_CHECK;
/* The site with code; TQK_E_STORE_NOT_FOUND when none. */
tqk_err srv_db_site_get(srv_db *db, const char *code, srv_site *out) TQK_MUST_CHECK;

/* ---- kiosks ---- */

typedef struct srv_kiosk {
	char id[TQK_CODE_CAP];
	char site[TQK_CODE_CAP];
	uint8_t secret[TQK_SIGN_KEY_LEN];
	bool active;
	unsigned serial_lo, serial_hi;      /* its archive serials lo..hi; 0..0: any */
} srv_kiosk;

/* Adds a kiosk of an existing site with its secret and its archive serials
 * (serial_hi 0: none). TQK_E_STORE_EXISTS when the id is taken,
 * TQK_E_STORE_NOT_FOUND when the site is unknown. */
tqk_err srv_db_kiosk_add(srv_db *db, const srv_kiosk *k) TQK_MUST_CHECK;
/* The kiosk with id; TQK_E_STORE_NOT_FOUND when none. */
tqk_err srv_db_kiosk_get(srv_db *db, const char *id, srv_kiosk *out) TQK_MUST_CHECK;
/* Disables a kiosk (its requests are refused from then on);
 * TQK_E_STORE_NOT_FOUND when none. */
tqk_err srv_db_kiosk_disable(srv_db *db, const char *id) TQK_MUST_CHECK;

/* ---- clerks ---- */

/* Adds or replaces clerk c of site (name, PIN hash, active). Returns TQK_OK,
 * TQK_E_STORE_NOT_FOUND for an unknown site, or the store's error. */
tqk_err srv_db_clerk_put(srv_db *db, const char *site, const tqk_clerk *c) TQK_MUST_CHECK;
/* The clerks of site, ordered by id, into a malloc'd array (caller frees).
 * Returns TQK_OK, TQK_E_NOMEM or the store's error. */
tqk_err srv_db_clerks(srv_db *db, const char *site, tqk_clerk **out, size_t *n) TQK_MUST_CHECK;

/* ---- the walk-in's hierarchies (core/tree.h), county-wide ---- */

/* The tree of kind (one of tqk_plan_tree_kinds) into *out (malloc'd);
 * TQK_E_STORE_NOT_FOUND when none was set. */
tqk_err srv_db_tree_get(srv_db *db, const char *kind, char **out) TQK_MUST_CHECK;
/* Sets it (checked by the caller); a change moves every plan's rev on. */
tqk_err srv_db_tree_put(srv_db *db, const char *kind, const char *text,
                        bool *changed) TQK_MUST_CHECK;

/* ---- plans ---- */

/* The site's plan (the site's archive parts filled in from sites, the keys
 * from srv_db_keyset); the calendar is malloc'd (tqk_plan_clear).
 * TQK_E_STORE_NOT_FOUND when none. */
tqk_err srv_db_plan_get(srv_db *db, const char *site, tqk_plan *out) TQK_MUST_CHECK;
/* Stores p as its site's plan; the rev becomes the old one + 1 when anything
 * differs (*changed true), else nothing is written. Returns TQK_OK or the
 * store's error. */
tqk_err srv_db_plan_put(srv_db *db, tqk_plan *p, bool *changed) TQK_MUST_CHECK;

/* ---- the signing keys of the forms' QR payloads (core/payload.h) ----
 *
 * One key of the county is active: `admin payload` signs with it. A new key
 * retires the active one, which stays published in every plan so that the
 * forms it signed still verify; the plan publishes the active key and the
 * TQK_KEYSET_MAX - 1 most recently retired. Secret keys are kept in the
 * database in the clear (like the kiosks' secrets: the file is 0600). */

typedef struct srv_key {
	char kid[TQK_KID_CAP];
	uint8_t pub[TQK_PUBKEY_LEN];
	bool active;
	int64_t created, retired;           /* retired: 0 while active */
} srv_key;

/*
 * Generates an Ed25519 key (libsodium), stores it as the active key at time
 * now, retires the previously active one, and moves every plan's rev on by
 * one so that kiosks download the new key set. Inside the caller's
 * transaction. The new key's public part into *out. Returns TQK_OK or the
 * store's error.
 */
tqk_err srv_db_key_new(srv_db *db, int64_t now, srv_key *out) TQK_MUST_CHECK;
/* The keys, the active one first, then by retirement, newest first: up to
 * cap into out (NULL when cap is 0, to count them), their total in *n.
 * Returns TQK_OK or the store's error. */
tqk_err srv_db_keys(srv_db *db, srv_key *out, size_t cap, size_t *n) TQK_MUST_CHECK;
/* The active key's kid and secret key (the caller wipes it with
 * sodium_memzero). TQK_E_STORE_NOT_FOUND when there is none. */
tqk_err srv_db_key_active(srv_db *db, char kid[TQK_KID_CAP],
                          uint8_t secret[TQK_SECKEY_LEN]) TQK_MUST_CHECK;
/* The key set every plan publishes (see above) into *out. Returns TQK_OK or
 * the store's error. */
tqk_err srv_db_keyset(srv_db *db, tqk_keyset *out) TQK_MUST_CHECK;

/* ---- nonces (srv_auth.h) ---- */

/* Records kiosk's nonce with its request time. TQK_E_AUTH_REPLAY when it is
 * stored already; TQK_OK or the store's error. */
tqk_err srv_db_nonce_add(srv_db *db, const char *kiosk, const char *nonce,
                         int64_t at) TQK_MUST_CHECK;
/* Forgets nonces whose time is before `before`. Returns TQK_OK or the error. */
tqk_err srv_db_nonce_prune(srv_db *db, int64_t before) TQK_MUST_CHECK;

/* ---- counts ---- */

typedef struct srv_counts {
	int64_t sites, kiosks, clerks, applications, confirmations, updates, nonces;
} srv_counts;

/* Row counts of the main tables. Returns TQK_OK or the store's error. */
tqk_err srv_db_count(srv_db *db, srv_counts *out) TQK_MUST_CHECK;

#endif
