/*
 * store.c - opening the store, SQLite's errors, statements and
 * transactions, this kiosk's site and the settings table.
 */
#include "store/internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/sqlfile.h"

tqk_err store_err(tqk_store *s, int rc)
{
	if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
		return TQK_OK;
	if (s->db != NULL)
		snprintf(s->detail, sizeof s->detail, "%s (SQLite %d)", sqlite3_errmsg(s->db), rc);
	else
		snprintf(s->detail, sizeof s->detail, "%s (SQLite %d)", sqlite3_errstr(rc), rc);
	return tqk_sqlite_err(rc);
}

sqlite3_stmt *store_stmt(tqk_store *s, const char *sql, tqk_err *err)
{
	*err = TQK_OK;
	int free_slot = -1;
	for (int i = 0; i < STORE_STMT_CACHE; i++) {
		if (s->cache[i].sql == sql) {
			sqlite3_stmt *st = s->cache[i].stmt;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
		if (s->cache[i].sql == NULL && free_slot < 0)
			free_slot = i;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, free_slot >= 0 ? SQLITE_PREPARE_PERSISTENT : 0,
	                            &st, NULL);
	if (rc != SQLITE_OK) {
		*err = store_err(s, rc);
		return NULL;
	}
	/* A full cache is a programming error: STORE_STMT_CACHE is sized for
	 * every statement the store has. Keep working, but without caching. */
	if (free_slot < 0) {
		sqlite3_finalize(st);
		snprintf(s->detail, sizeof s->detail, "statement cache full");
		*err = TQK_E_STORE_INTERNAL;
		return NULL;
	}
	s->cache[free_slot].sql = sql;
	s->cache[free_slot].stmt = st;
	return st;
}

tqk_err store_exec(tqk_store *s, const char *sql)
{
	return store_err(s, sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

tqk_err store_begin(tqk_store *s)
{
	return store_exec(s, "BEGIN IMMEDIATE");
}

tqk_err store_end(tqk_store *s, tqk_err err)
{
	if (err == TQK_OK) {
		err = store_exec(s, "COMMIT");
		if (err == TQK_OK)
			return TQK_OK;
	}
	/* After some failures (a full disk, an I/O error) SQLite has already
	 * rolled back; a ROLLBACK then fails harmlessly. */
	if (!sqlite3_get_autocommit(s->db)) {
		char keep[sizeof s->detail];
		memcpy(keep, s->detail, sizeof keep);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		memcpy(s->detail, keep, sizeof keep);
	}
	return err;
}

tqk_err store_step_done(tqk_store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	tqk_err err = rc == SQLITE_DONE ? TQK_OK : store_err(s, rc == SQLITE_ROW ? SQLITE_MISUSE : rc);
	sqlite3_reset(st);
	return err;
}

tqk_err store_int(tqk_store *s, const char *sql, const char *a, const char *b, int64_t *out)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, sql, &err);
	if (st == NULL)
		return err;
	if (a != NULL)
		store_bind_text(st, 1, a);
	if (b != NULL)
		store_bind_text(st, 2, b);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? TQK_OK : store_err(s, rc == SQLITE_DONE ? SQLITE_MISUSE : rc);
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v != NULL ? v : "", -1, SQLITE_STATIC);
}

void store_column_text(sqlite3_stmt *st, int i, char *buf, size_t cap)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	size_t n = v != NULL ? (size_t)sqlite3_column_bytes(st, i) : 0;
	if (n >= cap)
		n = cap - 1;
	if (n > 0)
		memcpy(buf, v, n);
	buf[n] = '\0';
}

const char *tqk_store_detail(const tqk_store *s)
{
	return s != NULL ? s->detail : "";
}

/* The pragmas every connection runs with; journal_mode must answer "wal". */
static tqk_err configure(tqk_store *s, int busy_ms)
{
	sqlite3_busy_timeout(s->db, busy_ms > 0 ? busy_ms : TQK_STORE_BUSY_MS_DEFAULT);
	sqlite3_extended_result_codes(s->db, 1);
	tqk_err err = store_exec(s,
		"PRAGMA foreign_keys = ON;"
		"PRAGMA synchronous = FULL;"
		"PRAGMA secure_delete = ON;"
		"PRAGMA trusted_schema = OFF;"
		"PRAGMA cell_size_check = ON;");
	if (err != TQK_OK || s->readonly)
		return err;
	err = tqk_sqlite_wal(s->db, s->detail, sizeof s->detail);
	/* Checkpoints belong to idle time (tqk_store_checkpoint); the commit
	 * that crosses the backstop still runs one, so the WAL stays bounded. */
	if (err == TQK_OK)
		sqlite3_wal_autocheckpoint(s->db, TQK_STORE_WAL_BACKSTOP);
	return err;
}

tqk_err tqk_store_checkpoint(tqk_store *s)
{
	if (s->readonly)
		return TQK_OK;
	return store_err(s, sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	                                              NULL, NULL));
}

tqk_err tqk_store_check(tqk_store *s, bool full)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	tqk_err err = TQK_OK;
	if (rc == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		if (r == NULL || strcmp(r, "ok") != 0) {
			snprintf(s->detail, sizeof s->detail, "%s", r != NULL ? r : "no answer");
			err = TQK_E_STORE_CORRUPT;
		}
	} else {
		err = store_err(s, rc);
	}
	sqlite3_finalize(st);
	return err;
}

tqk_err tqk_store_open(const char *path, const tqk_store_options *opt, tqk_store **out,
                       char detail[TQK_STORE_DETAIL_CAP])
{
	static const tqk_store_options defaults = {0};
	if (opt == NULL)
		opt = &defaults;
	*out = NULL;
	tqk_store *s = calloc(1, sizeof *s);
	if (s == NULL || sodium_init() < 0) {
		free(s);
		return TQK_E_NOMEM;
	}
	s->readonly = opt->readonly;

	tqk_err err = tqk_sqlite_file(path, opt->create && !opt->readonly, !s->readonly, s->detail,
	                              sizeof s->detail);
	if (err == TQK_OK) {
		int flags = (s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
		            SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
		int rc = sqlite3_open_v2(path, &s->db, flags, opt->vfs);
		err = store_err(s, rc);
		if (err == TQK_E_STORE_CORRUPT || err == TQK_E_STORE_INTERNAL)
			err = TQK_E_STORE_OPEN;
	}
	if (err == TQK_OK)
		err = configure(s, opt->busy_ms);
	if (err == TQK_OK)
		err = tqk_store_check(s, false);
	if (err == TQK_OK)
		err = store_migrate(s);
	if (err != TQK_OK) {
		if (detail != NULL)
			snprintf(detail, TQK_STORE_DETAIL_CAP, "%s", s->detail);
		tqk_store_free(s);
		return err;
	}
	*out = s;
	return TQK_OK;
}

void tqk_store_free(tqk_store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < STORE_STMT_CACHE; i++)
		sqlite3_finalize(s->cache[i].stmt);
	sqlite3_close(s->db);
	free(s);
}

tqk_err tqk_store_count(tqk_store *s, tqk_store_counts *out)
{
	*out = (tqk_store_counts){0};
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT (SELECT count(*) FROM applications),"
	                                 " (SELECT count(*) FROM applications WHERE purged = 1),"
	                                 " (SELECT count(*) FROM confirmations)", &err);
	if (st == NULL)
		return err;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->applications = sqlite3_column_int64(st, 0);
		out->purged = sqlite3_column_int64(st, 1);
		out->confirmations = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? TQK_OK : store_err(s, rc);
}

tqk_err tqk_store_limit_pages(tqk_store *s, long pages, long *out)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %ld", pages > 0 ? pages : 1);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return store_err(s, rc);
}

/* ---- this kiosk's site ---- */

tqk_err tqk_store_site_get(tqk_store *s, tqk_site *out)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT site, kiosk, county, year, site_no, width, serial_first, serial_last"
		" FROM site WHERE one = 1", &err);
	if (st == NULL)
		return err;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_column_text(st, 0, out->site, sizeof out->site);
		store_column_text(st, 1, out->kiosk, sizeof out->kiosk);
		store_column_text(st, 2, out->county, sizeof out->county);
		out->year = sqlite3_column_int(st, 3);
		out->site_no = sqlite3_column_int(st, 4);
		out->width = sqlite3_column_int(st, 5);
		out->serial_first = (unsigned)sqlite3_column_int64(st, 6);
		out->serial_last = (unsigned)sqlite3_column_int64(st, 7);
		err = TQK_OK;
	} else {
		err = rc == SQLITE_DONE ? TQK_E_STORE_NOT_SETUP : store_err(s, rc);
	}
	sqlite3_reset(st);
	return err;
}

/* The largest serial of width digits, 10^width - 1 (width 1..6). */
static unsigned serial_max(int width)
{
	unsigned max = 1;
	for (int i = 0; i < width && i < TQK_ARCHIVE_WIDTH_MAX; i++)
		max *= 10;
	return max - 1;
}

tqk_err tqk_store_site_set(tqk_store *s, const tqk_site *in, tqk_time now)
{
	tqk_site site = *in;
	if (!tqk_code_valid(site.site) || !tqk_code_valid(site.kiosk))
		return TQK_E_FIELD_VALUE;
	tqk_archive a = {.year = site.year, .site = site.site_no, .serial = 1};
	if (strnlen(site.county, sizeof a.county) >= sizeof a.county)
		return TQK_E_ARCHIVE_COUNTY;
	memcpy(a.county, site.county, strlen(site.county) + 1);
	tqk_err err = tqk_archive_check(&a, site.width);
	if (err != TQK_OK)
		return err;
	if (site.serial_first == 0 && site.serial_last == 0) {
		site.serial_first = 1;
		site.serial_last = serial_max(site.width);
	}
	if (site.serial_first < 1 || site.serial_first > site.serial_last ||
	    site.serial_last > serial_max(site.width))
		return TQK_E_ARCHIVE_SERIAL;

	if ((err = store_begin(s)) != TQK_OK)
		return err;
	tqk_site old;
	int64_t used = 0;       /* once a bag is numbered, the prefix is fixed */
	tqk_err got = tqk_store_site_get(s, &old);
	if (got != TQK_OK && got != TQK_E_STORE_NOT_SETUP)
		err = got;
	if (err == TQK_OK)
		err = store_int(s, "SELECT EXISTS (SELECT 1 FROM confirmations)", NULL, NULL, &used);
	if (err == TQK_OK && got == TQK_OK && used &&
	    (strcmp(old.site, site.site) != 0 || strcmp(old.county, site.county) != 0 ||
	     old.year != site.year || old.site_no != site.site_no || site.width < old.width ||
	     site.serial_first != old.serial_first || site.serial_last < old.serial_last))
		err = TQK_E_STORE_SITE;
	sqlite3_stmt *st = NULL;
	if (err == TQK_OK)
		st = store_stmt(s, "INSERT OR REPLACE INTO site(one, site, kiosk, county, year, site_no,"
		                   " width, serial_first, serial_last)"
		                   " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &err);
	if (st != NULL) {
		store_bind_text(st, 1, site.site);
		store_bind_text(st, 2, site.kiosk);
		store_bind_text(st, 3, site.county);
		sqlite3_bind_int(st, 4, site.year);
		sqlite3_bind_int(st, 5, site.site_no);
		sqlite3_bind_int(st, 6, site.width);
		sqlite3_bind_int64(st, 7, site.serial_first);
		sqlite3_bind_int64(st, 8, site.serial_last);
		err = store_step_done(s, st);
	}
	/* The counter starts at the block's first serial; once a confirmation
	 * exists, the block's start is fixed and the counter is left alone. */
	if (err == TQK_OK && (st = store_stmt(s, used
	                                      ? "INSERT OR IGNORE INTO serials(site, next) VALUES (?1, ?2)"
	                                      : "INSERT OR REPLACE INTO serials(site, next) VALUES (?1, ?2)",
	                                      &err)) != NULL) {
		store_bind_text(st, 1, site.site);
		sqlite3_bind_int64(st, 2, site.serial_first);
		err = store_step_done(s, st);
	}
	if (err == TQK_OK) {
		char detail[TQK_AUDIT_TEXT_CAP];
		snprintf(detail, sizeof detail,
		         "kiosk=%s county=%s year=%d site_no=%d width=%d serials=%u..%u",
		         site.kiosk, site.county, site.year, site.site_no, site.width,
		         site.serial_first, site.serial_last);
		err = store_audit_add(s, now, "admin", "site.set", site.site, detail);
	}
	return store_end(s, err);
}

/* ---- settings ---- */

tqk_err tqk_store_setting_get(tqk_store *s, const char *key, char *buf, size_t cap)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT value FROM settings WHERE key = ?1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if ((size_t)sqlite3_column_bytes(st, 0) >= cap)
			err = TQK_E_TOO_LONG;
		else
			store_column_text(st, 0, buf, cap);
	} else {
		err = rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : store_err(s, rc);
	}
	sqlite3_reset(st);
	return err;
}

/* Inside the caller's transaction (or autocommit). */
tqk_err store_setting_put(tqk_store *s, const char *key, const char *value)
{
	if (strnlen(key, TQK_STORE_SETTING_CAP) >= TQK_STORE_SETTING_CAP ||
	    strnlen(value, TQK_STORE_SETTING_CAP) >= TQK_STORE_SETTING_CAP)
		return TQK_E_TOO_LONG;
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO settings(key, value) VALUES (?1, ?2)",
	                              &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, value);
	return store_step_done(s, st);
}

tqk_err tqk_store_setting_set(tqk_store *s, const char *key, const char *value)
{
	return store_setting_put(s, key, value);
}
