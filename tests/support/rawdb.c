/*
 * rawdb.c - the store's file seen from outside, inside a cmocka test: raw
 * SQLite connections, one-shot queries, whole-file dumps, the audit chain
 * against the file's audit rows, and the file's bytes.
 */
#include "test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/audit.h"
#include "support/rawdb.h"

/* How long a raw connection waits for a lock held by the store. */
#define RAW_BUSY_MS 2000

/* ---- a raw connection ---- */

sqlite3 *raw_open(const char *path, int flags)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, flags, NULL);
	if (rc != SQLITE_OK)
		fail_msg("raw open %s: %s", path,
		         db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_busy_timeout(db, RAW_BUSY_MS);
	return db;
}

int raw_try_exec(sqlite3 *db, const char *sql, char *msg, size_t cap)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	snprintf(msg, cap, "%s", err != NULL ? err : "");
	sqlite3_free(err);
	return rc;
}

void raw_exec(sqlite3 *db, const char *sql)
{
	char msg[512];
	int rc = raw_try_exec(db, sql, msg, sizeof msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg[0] != '\0' ? msg : sqlite3_errstr(rc));
}

/* sql prepared on db with ?1 bound to arg when not NULL, and stepped once;
 * the step's result code (SQLITE_ROW or SQLITE_DONE, or the test fails). */
static int raw_step(sqlite3 *db, const char *sql, const char *arg, sqlite3_stmt **st)
{
	*st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (arg != NULL)
		sqlite3_bind_text(*st, 1, arg, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(*st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	return rc;
}

int64_t raw_db_int(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	int rc = raw_step(db, sql, arg, &st);
	int64_t v = rc != SQLITE_ROW ? RAW_NO_ROW
	          : sqlite3_column_type(st, 0) == SQLITE_NULL ? RAW_NULL
	          : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int64_t raw_db_count(sqlite3 *db, const char *sql, const char *arg)
{
	int64_t v = raw_db_int(db, sql, arg);
	if (v == RAW_NO_ROW || v == RAW_NULL)
		fail_msg("%s: %s", sql, v == RAW_NO_ROW ? "no row" : "NULL");
	return v;
}

bool raw_db_text(sqlite3 *db, const char *sql, const char *arg, char *buf, size_t cap)
{
	sqlite3_stmt *st;
	int rc = raw_step(db, sql, arg, &st);
	buf[0] = '\0';
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW;
}

/* ---- one-shot reads of the file ---- */

int64_t raw_int(const char *path, const char *sql, const char *arg)
{
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READONLY);
	int64_t v = raw_db_int(db, sql, arg);
	sqlite3_close(db);
	return v;
}

bool raw_text(const char *path, const char *sql, const char *arg, char *buf, size_t cap)
{
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READONLY);
	bool row = raw_db_text(db, sql, arg, buf, cap);
	sqlite3_close(db);
	return row;
}

/* One row as "table:v1|v2|...|": text and numbers quoted, NULL bare, blobs
 * in hex. */
static void dump_row(FILE *f, const char *table, sqlite3_stmt *st)
{
	fprintf(f, "%s:", table);
	for (int i = 0; i < sqlite3_column_count(st); i++) {
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_NULL:
			fputs("NULL", f);
			break;
		case SQLITE_BLOB: {
			const unsigned char *b = sqlite3_column_blob(st, i);
			for (int k = 0; k < sqlite3_column_bytes(st, i); k++)
				fprintf(f, "%02x", b[k]);
			break;
		}
		default:
			fprintf(f, "'%s'", (const char *)sqlite3_column_text(st, i));
		}
		fputc('|', f);
	}
	fputc('\n', f);
}

char *raw_dump(const char *path)
{
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READONLY);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	sqlite3_stmt *tables = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master"
	                                        " WHERE type = 'table' ORDER BY name",
	                                    -1, &tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char sql[160];
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", name);
		sqlite3_stmt *st = NULL;
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			dump_row(f, name, st);
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	fclose(f);
	return out;
}

void raw_expect_unchanged_at(const char *file, int line, const char *path, char *before)
{
	char *after = raw_dump(path);
	if (strcmp(before, after) != 0) {
		size_t at = 0, n = 1;
		while (before[at] == after[at]) {
			if (before[at++] == '\n')
				n++;
		}
		size_t from = at;
		while (from > 0 && before[from - 1] != '\n')
			from--;
		print_error("ERROR: %s changed: dump line %zu was\n  %.*s\nand is\n  %.*s\n"
		            "whole dump before:\n%s\nafter:\n%s\n", path, n,
		            (int)strcspn(before + from, "\n"), before + from,
		            (int)strcspn(after + from, "\n"), after + from, before, after);
		_fail(file, line);
	}
	free(before);
	free(after);
}

int64_t raw_audit_rows(const char *path)
{
	return raw_int(path, "SELECT count(*) FROM audit", NULL);
}

int64_t raw_verify_chain(tqk_store *s, const char *path)
{
	tqk_audit_report rep = {.rows = -1, .first_bad = -1, .why = "unset"};
	tqk_err err = tqk_store_audit_verify(s, &rep);
	if (err != TQK_OK)
		fail_msg("verify: %s at row %lld: %s", tqk_err_code(err), (long long)rep.first_bad,
		         rep.why != NULL ? rep.why : "?");
	assert_int_equal(rep.first_bad, 0);
	assert_int_equal(rep.rows, raw_audit_rows(path));
	return rep.rows;
}

/* ---- the file's bytes ---- */

bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

int file_mode(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		fail_msg("stat %s failed", path);
	return (int)(sb.st_mode & 07777);
}

/* The whole file, or NULL when there is none and missing_ok. */
static unsigned char *slurp(const char *path, size_t *n, bool missing_ok)
{
	*n = 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		if (missing_ok && errno == ENOENT)
			return NULL;
		fail_msg("cannot read %s: %s", path, strerror(errno));
	}
	struct stat sb;
	assert_int_equal(fstat(fileno(f), &sb), 0);
	size_t len = (size_t)sb.st_size;
	unsigned char *buf = malloc(len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, len, f), len);
	fclose(f);
	*n = len;
	return buf;
}

unsigned char *file_slurp(const char *path, size_t *n)
{
	return slurp(path, n, false);
}

unsigned char *file_slurp_if_exists(const char *path, size_t *n)
{
	return slurp(path, n, true);
}

void file_spill(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}
