/*
 * rawdb.h - the store's file seen from outside, for tests: raw SQLite
 * connections on it (read-only unless a test means to write behind the
 * store's back), the one-shot queries and dumps the tests compare, a check
 * that the store's audit chain covers every audit row the file holds, and
 * the file's bytes, mode and existence.
 *
 * Every function fails the running cmocka test on an error it does not
 * report; tests/support is linked only into binaries that link cmocka.
 */
#ifndef TQK_TEST_RAWDB_H
#define TQK_TEST_RAWDB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* What raw_int and raw_db_int return for a query with no row, and for a
 * first column that is NULL. */
#define RAW_NO_ROW (-1)
#define RAW_NULL (-2)

/* ---- a raw connection ---- */

/* A connection on path opened with sqlite3_open_v2 flags (SQLITE_OPEN_READONLY,
 * SQLITE_OPEN_READWRITE, with SQLITE_OPEN_CREATE or not); it waits up to 2 s
 * for a lock. The caller closes it with sqlite3_close. */
sqlite3 *raw_open(const char *path, int flags);

/* Runs sql (one or more statements); fails the test when it fails. */
void raw_exec(sqlite3 *db, const char *sql);

/* Runs sql (one or more statements); the SQLite result code, and SQLite's
 * message into msg ("" when none). */
int raw_try_exec(sqlite3 *db, const char *sql, char *msg, size_t cap);

/* Column 0 of the first row of sql, with ?1 bound to arg when arg is not
 * NULL, as an integer: RAW_NO_ROW when there is no row, RAW_NULL when it is
 * NULL. Fails the test when sql cannot run. */
int64_t raw_db_int(sqlite3 *db, const char *sql, const char *arg);

/* The same for a query that always returns a row with a value (a count, a
 * NOT NULL column of a row that must be there): fails the test when there
 * is no row or the value is NULL. */
int64_t raw_db_count(sqlite3 *db, const char *sql, const char *arg);

/* Column 0 of the first row of sql (?1 = arg as above) as text into buf,
 * "" when there is no row or it is NULL; true when there was a row. */
bool raw_db_text(sqlite3 *db, const char *sql, const char *arg, char *buf, size_t cap);

/* ---- one-shot reads of the file ---- */

/* As raw_db_int and raw_db_text, each on a fresh read-only connection on
 * path, closed before they return. */
int64_t raw_int(const char *path, const char *sql, const char *arg);
bool raw_text(const char *path, const char *sql, const char *arg, char *buf, size_t cap);

/* Every row of every table of the file, tables by name and rows in their
 * stored order, as text in a malloc'd string: two equal dumps mean that
 * nothing in the file changed. */
char *raw_dump(const char *path);

/* Asserts that the file still dumps as before (a raw_dump of it), naming
 * the first line that differs and the test's line; frees before. */
#define raw_expect_unchanged(path, before) \
	raw_expect_unchanged_at(__FILE__, __LINE__, (path), (before))
void raw_expect_unchanged_at(const char *file, int line, const char *path, char *before);

/* The number of rows of the audit table in the file. */
int64_t raw_audit_rows(const char *path);

/* Verifies the audit chain of s, whose file is path, and asserts that it is
 * whole (TQK_OK, no bad row) and covers every row of the file's audit
 * table; returns that number of rows. */
int64_t raw_verify_chain(tqk_store *s, const char *path);

/* ---- the file's bytes ---- */

bool file_exists(const char *path);

/* The permission bits of path (e.g. 0600); fails the test when there is no
 * such file. */
int file_mode(const char *path);

/* The whole file in a malloc'd buffer, its length into *n. The buffer has
 * one byte more than *n, so it is never NULL. Fails the test when the file
 * cannot be read. */
unsigned char *file_slurp(const char *path, size_t *n);

/* As file_slurp, but NULL (and *n 0) when there is no such file. */
unsigned char *file_slurp_if_exists(const char *path, size_t *n);

/* Writes n bytes of data as the whole file, creating or truncating it. */
void file_spill(const char *path, const void *data, size_t n);

#endif
