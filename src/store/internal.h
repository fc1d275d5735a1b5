/*
 * internal.h - what the store's files share and nobody else sees: the
 * connection handle, a cache of prepared statements, the mapping of SQLite's
 * result codes onto tqk_err, and transactions.
 */
#ifndef TQK_STORE_INTERNAL_H
#define TQK_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/application.h"
#include "core/date.h"
#include "store/store.h"

#define STORE_STMT_CACHE 96

struct tqk_store {
	sqlite3 *db;
	bool readonly;
	char detail[TQK_STORE_DETAIL_CAP]; /* SQLite's words on the last failure */
	struct {
		const char *sql;        /* a string literal: compared by address */
		sqlite3_stmt *stmt;
	} cache[STORE_STMT_CACHE];
};

/* Maps an SQLite result code (primary or extended) to a tqk_err and keeps
 * sqlite3_errmsg() in s->detail. SQLITE_OK, _ROW and _DONE map to TQK_OK. */
tqk_err store_err(tqk_store *s, int rc);

/*
 * A prepared statement for sql, which must be a string literal (the cache
 * keys on its address), reset and with its bindings cleared; *err is TQK_OK.
 * NULL on failure, with *err saying why.
 */
sqlite3_stmt *store_stmt(tqk_store *s, const char *sql, tqk_err *err);

/* Runs sql (no results, no parameters) once. */
tqk_err store_exec(tqk_store *s, const char *sql);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. store_end() commits when err is
 * TQK_OK and rolls back otherwise; it returns err, or the commit's failure. */
tqk_err store_begin(tqk_store *s);
tqk_err store_end(tqk_store *s, tqk_err err);

/* Runs sql, a query of one row whose first column is an integer, with
 * text parameters ?1 = a and ?2 = b (NULL: unbound), into *out. */
tqk_err store_int(tqk_store *s, const char *sql, const char *a, const char *b, int64_t *out);

/* Steps a statement that returns no rows (SQLITE_DONE), then resets it. */
tqk_err store_step_done(tqk_store *s, sqlite3_stmt *st);

/* Binding helpers for text that may be NULL (bound as ''). */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Copies column i into buf (cap bytes, truncating at cap - 1; the schema's
 * checks keep stored values within their caps). */
void store_column_text(sqlite3_stmt *st, int i, char *buf, size_t cap);

/* The schema (schema.c): migrates the open file to TQK_STORE_VERSION. */
tqk_err store_migrate(tqk_store *s);
/* The SQL of each migration, for the tests' older-version fixtures:
 * steps[v] brings version v to v + 1. */
extern const char *const store_migrations[TQK_STORE_VERSION];

/* Writes a setting inside the caller's transaction (store.c). */
tqk_err store_setting_put(tqk_store *s, const char *key, const char *value);

/* Inserts a, or updates (apps.c) the stored row with its reg_no, as it is (no checks). */
tqk_err store_app_write(tqk_store *s, const tqk_application *a, bool insert);

/* Writes only what a confirmation without corrections changes: the state,
 * site_message and remark of a (apps.c). Unlike store_app_write it leaves
 * the indexes on name, ID, certificate and reg_no alone: fewer pages in the
 * commit. */
tqk_err store_app_conclude(tqk_store *s, const tqk_application *a);

/* Whether a local confirmation or change of reg_no waits to be uploaded (pending or
 * sending in the outbox) into *out, 1 or 0 (apps.c): the server's view of
 * such an application is older than the kiosk's. */
tqk_err store_app_upload_waiting(tqk_store *s, const char *reg_no, int64_t *out);

/* Appends an audit row inside the caller's transaction (audit.c). */
tqk_err store_audit_add(tqk_store *s, tqk_time at, const char *actor, const char *action,
                        const char *subject, const char *detail);

#endif
