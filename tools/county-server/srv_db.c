/*
 * srv_db.c - the county server's database: open, schema and migrations,
 * statements and transactions, and the look-ups of sites, kiosks, clerks,
 * plans, signing keys and nonces.
 */
#define _GNU_SOURCE
#include "srv_db.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/api.h"
#include "proto/json.h"
#include "store/sqlfile.h"

struct srv_db {
	sqlite3 *db;
	pthread_mutex_t mu;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[SRV_DB_STMT_CACHE];
	char detail[SRV_DB_DETAIL_CAP];
};

/*
 * 0 -> 1: everything. Applications are kept as their json.h document (the
 * server's copy, rev = their change seq) with the columns the server looks
 * them up by. Confirmations are append-only: triggers refuse to rewrite or
 * delete them, whatever program opens the file.
 */
static const char schema_v1[] =
	"CREATE TABLE meta("
	"  key TEXT PRIMARY KEY NOT NULL,"
	"  value INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO meta(key, value) VALUES ('seq', 0), ('walkin', 0);"
	"CREATE TABLE sites("
	"  code TEXT PRIMARY KEY NOT NULL,"
	"  name TEXT NOT NULL,"
	"  county TEXT NOT NULL,"
	"  year INTEGER NOT NULL,"
	"  site_no INTEGER NOT NULL,"
	"  width INTEGER NOT NULL,"
	"  UNIQUE (county, year, site_no)) WITHOUT ROWID;"
	"CREATE TABLE kiosks("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  site TEXT NOT NULL REFERENCES sites(code),"
	"  secret BLOB NOT NULL CHECK (length(secret) = 32),"
	"  active INTEGER NOT NULL DEFAULT 1) WITHOUT ROWID;"
	"CREATE TABLE clerks("
	"  site TEXT NOT NULL REFERENCES sites(code),"
	"  id TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  pin_hash TEXT NOT NULL,"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  PRIMARY KEY (site, id)) WITHOUT ROWID;"
	"CREATE TABLE plans("
	"  site TEXT PRIMARY KEY NOT NULL REFERENCES sites(code),"
	"  rev INTEGER NOT NULL,"
	"  apply_start TEXT NOT NULL, apply_end TEXT NOT NULL,"
	"  confirm_start TEXT NOT NULL, confirm_end TEXT NOT NULL,"
	"  opens INTEGER NOT NULL, closes INTEGER NOT NULL,"
	"  calendar TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE applications("
	"  reg_no TEXT PRIMARY KEY NOT NULL,"
	"  site TEXT NOT NULL REFERENCES sites(code),"
	"  seq INTEGER NOT NULL UNIQUE,"
	"  doc TEXT NOT NULL,"
	"  provisional TEXT,"
	"  kiosk TEXT,"
	"  UNIQUE (site, provisional));"
	"CREATE INDEX applications_site_seq ON applications(site, seq);"
	"CREATE TABLE confirmations("
	"  seq INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  reg_no TEXT NOT NULL REFERENCES applications(reg_no),"
	"  site TEXT NOT NULL REFERENCES sites(code),"
	"  kiosk TEXT NOT NULL,"
	"  conclusion TEXT NOT NULL,"
	"  archive_no TEXT NOT NULL DEFAULT '',"
	"  at INTEGER NOT NULL,"
	"  received INTEGER NOT NULL,"
	"  digest TEXT NOT NULL,"
	"  doc TEXT NOT NULL);"
	"CREATE INDEX confirmations_site ON confirmations(site, seq);"
	"CREATE TRIGGER confirmations_no_update BEFORE UPDATE ON confirmations"
	"  BEGIN SELECT RAISE(ABORT, 'confirmations are append-only'); END;"
	"CREATE TRIGGER confirmations_no_delete BEFORE DELETE ON confirmations"
	"  BEGIN SELECT RAISE(ABORT, 'confirmations are append-only'); END;"
	"CREATE TABLE updates("
	"  seq INTEGER PRIMARY KEY,"
	"  site TEXT NOT NULL REFERENCES sites(code),"
	"  reg_no TEXT NOT NULL REFERENCES applications(reg_no),"
	"  state TEXT,"
	"  message TEXT NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX updates_site_seq ON updates(site, seq);"
	"CREATE TABLE nonces("
	"  kiosk TEXT NOT NULL,"
	"  nonce TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (kiosk, nonce)) WITHOUT ROWID;"
	"CREATE INDEX nonces_at ON nonces(at);";

/*
 * 1 -> 2: archive serials. A kiosk may be given a block of serials (lo..hi,
 * both NULL when none), and confirmations are looked up by their archive
 * number to keep each number on one application's bags per site.
 */
static const char schema_v2[] =
	"ALTER TABLE kiosks ADD COLUMN serial_lo INTEGER;"
	"ALTER TABLE kiosks ADD COLUMN serial_hi INTEGER;"
	"CREATE INDEX confirmations_archive ON confirmations(site, archive_no)"
	"  WHERE archive_no <> '';";

/*
 * 2 -> 3: the county's Ed25519 keys that sign the QR payloads of printed
 * forms (srv_db.h). At most one is active (retired IS NULL): the partial
 * unique index holds every active row under the same value. Keys are never
 * deleted, so the rowid is the order they were made in, which is also the
 * order they were retired in (times have whole seconds only).
 */
static const char schema_v3[] =
	"CREATE TABLE signing_keys("
	"  kid TEXT PRIMARY KEY NOT NULL,"
	"  public BLOB NOT NULL CHECK (length(public) = 32),"
	"  secret BLOB NOT NULL CHECK (length(secret) = 64),"
	"  created INTEGER NOT NULL,"
	"  retired INTEGER);"
	"CREATE UNIQUE INDEX signing_keys_active ON signing_keys((retired IS NULL))"
	"  WHERE retired IS NULL;";

/*
 * 3 -> 4: the registration institutions of each site's plan with their
 * application windows (the plan's JSON "institutions", as text); the
 * county's own hierarchies for the walk-in, in every plan; teachers' own
 * changes of their applications made at kiosks (POST /v1/changes); and the
 * login a teacher chose at a kiosk's walk-in application: the password's
 * argon2id hash only (the kiosk never sends the password), kept apart from
 * the application's document so that no download carries it.
 */
static const char schema_v4[] =
	"ALTER TABLE plans ADD COLUMN institutions TEXT NOT NULL DEFAULT '[]';"
	"CREATE TABLE trees(kind TEXT PRIMARY KEY NOT NULL, text TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE changes("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  reg_no TEXT NOT NULL REFERENCES applications(reg_no),"
	"  site TEXT NOT NULL, kiosk TEXT NOT NULL,"
	"  digest TEXT NOT NULL, doc TEXT NOT NULL, received INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE logins("
	"  reg_no TEXT PRIMARY KEY NOT NULL REFERENCES applications(reg_no),"
	"  password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),"
	"  set_at INTEGER NOT NULL) WITHOUT ROWID;";

/* 4 -> 5: the title of each site's archive bags (the plan's "title"). */
static const char schema_v5[] =
	"ALTER TABLE plans ADD COLUMN title TEXT NOT NULL DEFAULT '';";

static const char *const migrations[SRV_DB_VERSION] = {schema_v1, schema_v2, schema_v3,
                                                       schema_v4, schema_v5};

tqk_err srv_db_err(srv_db *db, int rc)
{
	if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
		return TQK_OK;
	snprintf(db->detail, sizeof db->detail, "%s (SQLite %d)",
	         db->db != NULL ? sqlite3_errmsg(db->db) : sqlite3_errstr(rc), rc);
	return tqk_sqlite_err(rc);
}

sqlite3_stmt *srv_db_stmt(srv_db *db, const char *sql, tqk_err *err)
{
	*err = TQK_OK;
	int slot = -1;
	for (int i = 0; i < SRV_DB_STMT_CACHE; i++) {
		if (db->cache[i].sql == sql) {
			sqlite3_reset(db->cache[i].stmt);
			sqlite3_clear_bindings(db->cache[i].stmt);
			return db->cache[i].stmt;
		}
		if (db->cache[i].sql == NULL && slot < 0)
			slot = i;
	}
	if (slot < 0) {
		/* SRV_DB_STMT_CACHE is sized for every statement of the server. */
		snprintf(db->detail, sizeof db->detail, "statement cache full");
		*err = TQK_E_STORE_INTERNAL;
		return NULL;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		*err = srv_db_err(db, rc);
		return NULL;
	}
	db->cache[slot].sql = sql;
	db->cache[slot].stmt = st;
	return st;
}

tqk_err srv_db_done(srv_db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	tqk_err err = rc == SQLITE_DONE ? TQK_OK : srv_db_err(db, rc == SQLITE_ROW ? SQLITE_MISUSE : rc);
	sqlite3_reset(st);
	return err;
}

/* Runs sql (no rows). Returns TQK_OK or the error. */
static tqk_err exec(srv_db *db, const char *sql)
{
	return srv_db_err(db, sqlite3_exec(db->db, sql, NULL, NULL, NULL));
}

tqk_err srv_db_begin(srv_db *db)
{
	return exec(db, "BEGIN IMMEDIATE");
}

tqk_err srv_db_end(srv_db *db, tqk_err err)
{
	if (err == TQK_OK && (err = exec(db, "COMMIT")) == TQK_OK)
		return TQK_OK;
	if (!sqlite3_get_autocommit(db->db)) {
		char keep[sizeof db->detail];
		memcpy(keep, db->detail, sizeof keep);
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
		memcpy(db->detail, keep, sizeof keep);
	}
	return err;
}

void srv_db_bind(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v != NULL ? v : "", -1, SQLITE_STATIC);
}

void srv_db_column(sqlite3_stmt *st, int i, char *buf, size_t cap)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	size_t n = v != NULL ? (size_t)sqlite3_column_bytes(st, i) : 0;
	if (n >= cap)
		n = cap - 1;
	if (n > 0)
		memcpy(buf, v, n);
	buf[n] = '\0';
}

tqk_err srv_db_text(srv_db *db, const char *sql, const char *a, const char *b, const char *c,
                    char *out, size_t cap)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, sql, &err);
	if (st == NULL)
		return err;
	const char *params[] = {a, b, c};
	for (int i = 0; i < 3; i++)
		if (params[i] != NULL)
			srv_db_bind(st, i + 1, params[i]);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		srv_db_column(st, 0, out, cap);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? TQK_OK : rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : srv_db_err(db, rc);
}

tqk_err srv_db_next_seq(srv_db *db, int64_t *out)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "UPDATE meta SET value = value + 1 WHERE key = 'seq'"
	                                   " RETURNING value", &err);
	if (st == NULL)
		return err;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? TQK_OK : srv_db_err(db, rc == SQLITE_DONE ? SQLITE_MISUSE : rc);
}

const char *srv_db_detail(const srv_db *db)
{
	return db != NULL ? db->detail : "";
}

void srv_db_lock(srv_db *db)
{
	pthread_mutex_lock(&db->mu);
}

void srv_db_unlock(srv_db *db)
{
	pthread_mutex_unlock(&db->mu);
}

/* The pragmas; journal_mode must answer "wal". Returns TQK_OK or the error. */
static tqk_err configure(srv_db *db)
{
	sqlite3_busy_timeout(db->db, 5000);
	sqlite3_extended_result_codes(db->db, 1);
	tqk_err err = exec(db, "PRAGMA foreign_keys = ON;"
	                       "PRAGMA synchronous = FULL;"
	                       "PRAGMA trusted_schema = OFF;");
	return err != TQK_OK ? err : tqk_sqlite_wal(db->db, db->detail, sizeof db->detail);
}

/* Brings the schema from its user_version to SRV_DB_VERSION, one step per
 * transaction. TQK_E_STORE_VERSION for a newer file; TQK_OK or the error. */
static tqk_err migrate(srv_db *db)
{
	for (;;) {
		tqk_err err = srv_db_begin(db);
		if (err != TQK_OK)
			return err;
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(db->db, "PRAGMA user_version", -1, &st, NULL);
		int version = -1;
		if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
			version = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (version < 0)
			return srv_db_end(db, srv_db_err(db, rc));
		if (version > SRV_DB_VERSION) {
			snprintf(db->detail, sizeof db->detail, "schema version %d, this program knows %d",
			         version, SRV_DB_VERSION);
			return srv_db_end(db, TQK_E_STORE_VERSION);
		}
		if (version == SRV_DB_VERSION)
			return srv_db_end(db, TQK_OK);
		char pragma[48];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version + 1);
		err = exec(db, migrations[version]);
		if (err == TQK_OK)
			err = exec(db, pragma);
		if ((err = srv_db_end(db, err)) != TQK_OK)
			return err;
	}
}

tqk_err srv_db_open(const char *path, bool create, srv_db **out, char *detail, size_t cap)
{
	*out = NULL;
	srv_db *db = calloc(1, sizeof *db);
	if (db == NULL)
		return TQK_E_NOMEM;
	pthread_mutex_init(&db->mu, NULL);
	tqk_err err = tqk_sqlite_file(path, create, true, db->detail, sizeof db->detail);
	if (err == TQK_OK) {
		int rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX |
		                         SQLITE_OPEN_EXRESCODE, NULL);
		err = srv_db_err(db, rc);
		if (err == TQK_E_STORE_INTERNAL)
			err = TQK_E_STORE_OPEN;
	}
	if (err == TQK_OK)
		err = configure(db);
	if (err == TQK_OK)
		err = migrate(db);
	if (err != TQK_OK) {
		if (detail != NULL && cap > 0)
			snprintf(detail, cap, "%s", db->detail);
		srv_db_close(db);
		return err;
	}
	*out = db;
	return TQK_OK;
}

void srv_db_close(srv_db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < SRV_DB_STMT_CACHE; i++)
		sqlite3_finalize(db->cache[i].stmt);
	sqlite3_close(db->db);
	pthread_mutex_destroy(&db->mu);
	free(db);
}

/* Maps a constraint failure to `as`, everything else as srv_db_err. */
static tqk_err done_or(srv_db *db, sqlite3_stmt *st, int constraint, tqk_err as)
{
	int rc = sqlite3_step(st);
	tqk_err err = TQK_OK;
	if (rc == constraint || (constraint == SQLITE_CONSTRAINT && (rc & 0xff) == SQLITE_CONSTRAINT &&
	                         rc != SQLITE_CONSTRAINT_FOREIGNKEY))
		err = as;
	else if (rc != SQLITE_DONE)
		err = srv_db_err(db, rc);
	sqlite3_reset(st);
	return err;
}

/* ---- sites ---- */

tqk_err srv_db_site_add(srv_db *db, const srv_site *s)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "INSERT INTO sites(code, name, county, year, site_no, width)"
	                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, s->code);
	srv_db_bind(st, 2, s->name);
	srv_db_bind(st, 3, s->county);
	sqlite3_bind_int(st, 4, s->year);
	sqlite3_bind_int(st, 5, s->site_no);
	sqlite3_bind_int(st, 6, s->width);
	return done_or(db, st, SQLITE_CONSTRAINT, TQK_E_STORE_EXISTS);
}

tqk_err srv_db_site_get(srv_db *db, const char *code, srv_site *out)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT code, name, county, year, site_no, width"
	                                   " FROM sites WHERE code = ?1", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, code);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		srv_db_column(st, 0, out->code, sizeof out->code);
		srv_db_column(st, 1, out->name, sizeof out->name);
		srv_db_column(st, 2, out->county, sizeof out->county);
		out->year = sqlite3_column_int(st, 3);
		out->site_no = sqlite3_column_int(st, 4);
		out->width = sqlite3_column_int(st, 5);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? TQK_OK : rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : srv_db_err(db, rc);
}

/* ---- kiosks ---- */

tqk_err srv_db_kiosk_add(srv_db *db, const srv_kiosk *k)
{
	srv_site site;
	tqk_err err = srv_db_site_get(db, k->site, &site);
	if (err != TQK_OK)
		return err;
	sqlite3_stmt *st = srv_db_stmt(db, "INSERT INTO kiosks(id, site, secret, active, serial_lo,"
	                                   " serial_hi) VALUES (?1, ?2, ?3, 1, ?4, ?5)", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, k->id);
	srv_db_bind(st, 2, k->site);
	sqlite3_bind_blob(st, 3, k->secret, sizeof k->secret, SQLITE_STATIC);
	if (k->serial_hi != 0) {
		sqlite3_bind_int64(st, 4, k->serial_lo);
		sqlite3_bind_int64(st, 5, k->serial_hi);
	}
	return done_or(db, st, SQLITE_CONSTRAINT, TQK_E_STORE_EXISTS);
}

tqk_err srv_db_kiosk_get(srv_db *db, const char *id, srv_kiosk *out)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT id, site, secret, active, serial_lo, serial_hi"
	                                   " FROM kiosks WHERE id = ?1", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		srv_db_column(st, 0, out->id, sizeof out->id);
		srv_db_column(st, 1, out->site, sizeof out->site);
		if (sqlite3_column_bytes(st, 2) == TQK_SIGN_KEY_LEN)
			memcpy(out->secret, sqlite3_column_blob(st, 2), TQK_SIGN_KEY_LEN);
		out->active = sqlite3_column_int(st, 3) != 0;
		if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
			out->serial_lo = (unsigned)sqlite3_column_int64(st, 4);
			out->serial_hi = (unsigned)sqlite3_column_int64(st, 5);
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? TQK_OK : rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : srv_db_err(db, rc);
}

tqk_err srv_db_kiosk_disable(srv_db *db, const char *id)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "UPDATE kiosks SET active = 0 WHERE id = ?1", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, id);
	if ((err = srv_db_done(db, st)) != TQK_OK)
		return err;
	return sqlite3_changes(db->db) == 1 ? TQK_OK : TQK_E_STORE_NOT_FOUND;
}

/* ---- clerks ---- */

tqk_err srv_db_clerk_put(srv_db *db, const char *site, const tqk_clerk *c)
{
	srv_site s;
	tqk_err err = srv_db_site_get(db, site, &s);
	if (err != TQK_OK)
		return err;
	sqlite3_stmt *st = srv_db_stmt(db, "INSERT INTO clerks(site, id, name, pin_hash, active)"
	                                   " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (site, id) DO UPDATE"
	                                   " SET name = ?3, pin_hash = ?4, active = ?5", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, site);
	srv_db_bind(st, 2, c->id);
	srv_db_bind(st, 3, c->name);
	srv_db_bind(st, 4, c->pin_hash);
	sqlite3_bind_int(st, 5, c->active ? 1 : 0);
	return srv_db_done(db, st);
}

tqk_err srv_db_clerks(srv_db *db, const char *site, tqk_clerk **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT id, name, pin_hash, active FROM clerks"
	                                   " WHERE site = ?1 ORDER BY id", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, site);
	size_t cap = 0;
	tqk_clerk *list = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap == 0 ? 16 : 2 * cap;
			tqk_clerk *grown = realloc(list, ncap * sizeof *grown);
			if (grown == NULL) {
				sqlite3_reset(st);
				free(list);
				*n = 0;
				return TQK_E_NOMEM;
			}
			list = grown;
			cap = ncap;
		}
		tqk_clerk *c = &list[(*n)++];
		memset(c, 0, sizeof *c);
		srv_db_column(st, 0, c->id, sizeof c->id);
		srv_db_column(st, 1, c->name, sizeof c->name);
		srv_db_column(st, 2, c->pin_hash, sizeof c->pin_hash);
		c->active = sqlite3_column_int(st, 3) != 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(list);
		*n = 0;
		return srv_db_err(db, rc);
	}
	*out = list;
	return TQK_OK;
}

/* ---- plans ---- */

/* Parses a stored YYYY-MM-DD column; an unreadable one reads as 1970-01-01. */
static tqk_date column_date(sqlite3_stmt *st, int i)
{
	char buf[TQK_DATE_BUFLEN];
	tqk_date d = {1970, 1, 1};
	srv_db_column(st, i, buf, sizeof buf);
	if (tqk_date_parse(buf, strlen(buf), &d) != TQK_OK)
		d = (tqk_date){1970, 1, 1};
	return d;
}

tqk_err srv_db_plan_get(srv_db *db, const char *site, tqk_plan *out)
{
	srv_site s;
	tqk_err err = srv_db_site_get(db, site, &s);
	if (err != TQK_OK)
		return err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT rev, apply_start, apply_end, confirm_start,"
	                                   " confirm_end, opens, closes, calendar, institutions, title"
	                                   " FROM plans WHERE site = ?1", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, site);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : srv_db_err(db, rc);
	}
	memset(out, 0, sizeof *out);
	out->rev = sqlite3_column_int64(st, 0);
	memcpy(out->site, s.code, sizeof out->site);
	memcpy(out->site_name, s.name, sizeof out->site_name);
	memcpy(out->county, s.county, sizeof out->county);
	out->year = s.year;
	out->site_no = s.site_no;
	out->width = s.width;
	out->apply_start = column_date(st, 1);
	out->apply_end = column_date(st, 2);
	out->confirm_start = column_date(st, 3);
	out->confirm_end = column_date(st, 4);
	out->opens = sqlite3_column_int(st, 5);
	out->closes = sqlite3_column_int(st, 6);
	srv_db_column(st, 9, out->title, sizeof out->title);
	const char *cal = (const char *)sqlite3_column_text(st, 7);
	out->calendar = strdup(cal != NULL ? cal : "");
	const char *insts = (const char *)sqlite3_column_text(st, 8);
	json_t *list = NULL;
	err = tqk_json_parse(insts != NULL ? insts : "[]", insts != NULL ? strlen(insts) : 2, &list,
	                     NULL, 0);
	if (err == TQK_OK)
		err = tqk_api_institutions_decode(list, out->institutions, &out->n_institutions);
	json_decref(list);
	sqlite3_reset(st);
	if (out->calendar == NULL)
		err = TQK_E_NOMEM;
	else if (err != TQK_OK)
		err = TQK_E_STORE_CORRUPT;
	for (int i = 0; err == TQK_OK && i < TQK_PLAN_TREES; i++) {
		char *text = NULL;
		err = srv_db_tree_get(db, tqk_plan_tree_kinds[i], &text);
		if (err == TQK_OK)
			out->trees[i] = text;
		else if (err == TQK_E_STORE_NOT_FOUND)
			err = TQK_OK;
	}
	if (err != TQK_OK) {
		tqk_plan_clear(out);
		return err;
	}
	if ((err = srv_db_keyset(db, &out->keys)) != TQK_OK)
		tqk_plan_clear(out);
	return err;
}

/* srv_db_plan_put with the dates d and the institutions' JSON text. */
static tqk_err plan_write(srv_db *db, tqk_plan *p, char d[4][TQK_DATE_BUFLEN], const char *insts,
                          bool *changed)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT rev, apply_start = ?2 AND apply_end = ?3 AND"
	                                   " confirm_start = ?4 AND confirm_end = ?5 AND opens = ?6 AND"
	                                   " closes = ?7 AND calendar = ?8 AND institutions = ?9 AND title = ?11"
	                                   " FROM plans WHERE site = ?1", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, p->site);
	for (int i = 0; i < 4; i++)
		srv_db_bind(st, 2 + i, d[i]);
	sqlite3_bind_int(st, 6, p->opens);
	sqlite3_bind_int(st, 7, p->closes);
	srv_db_bind(st, 8, p->calendar);
	srv_db_bind(st, 9, insts);
	srv_db_bind(st, 11, p->title);
	int rc = sqlite3_step(st);
	int64_t rev = 0;
	bool same = false;
	if (rc == SQLITE_ROW) {
		rev = sqlite3_column_int64(st, 0);
		same = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return srv_db_err(db, rc);
	if (same) {
		p->rev = rev;
		return TQK_OK;
	}
	st = srv_db_stmt(db, "INSERT OR REPLACE INTO plans(site, rev, apply_start, apply_end,"
	                     " confirm_start, confirm_end, opens, closes, calendar, institutions,"
	                     " title) VALUES (?1, ?10, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?11)", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, p->site);
	for (int i = 0; i < 4; i++)
		srv_db_bind(st, 2 + i, d[i]);
	sqlite3_bind_int(st, 6, p->opens);
	sqlite3_bind_int(st, 7, p->closes);
	srv_db_bind(st, 8, p->calendar);
	srv_db_bind(st, 9, insts);
	sqlite3_bind_int64(st, 10, rev + 1);
	srv_db_bind(st, 11, p->title);
	if ((err = srv_db_done(db, st)) != TQK_OK)
		return err;
	p->rev = rev + 1;
	*changed = true;
	return TQK_OK;
}

tqk_err srv_db_plan_put(srv_db *db, tqk_plan *p, bool *changed)
{
	*changed = false;
	char d[4][TQK_DATE_BUFLEN];
	tqk_date_format(p->apply_start, d[0]);
	tqk_date_format(p->apply_end, d[1]);
	tqk_date_format(p->confirm_start, d[2]);
	tqk_date_format(p->confirm_end, d[3]);
	json_t *list = tqk_api_institutions_encode(p->institutions, p->n_institutions);
	char *insts = list != NULL ? tqk_json_dump(list) : NULL;
	json_decref(list);
	if (insts == NULL)
		return TQK_E_NOMEM;
	tqk_err err = plan_write(db, p, d, insts, changed);
	free(insts);
	return err;
}

/* ---- the walk-in's hierarchies ---- */

tqk_err srv_db_tree_get(srv_db *db, const char *kind, char **out)
{
	*out = NULL;
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT text FROM trees WHERE kind = ?1", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, kind);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		*out = strdup(t != NULL ? t : "");
		err = *out != NULL ? TQK_OK : TQK_E_NOMEM;
	} else {
		err = rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : srv_db_err(db, rc);
	}
	sqlite3_reset(st);
	return err;
}

tqk_err srv_db_tree_put(srv_db *db, const char *kind, const char *text, bool *changed)
{
	*changed = false;
	char *have = NULL;
	tqk_err err = srv_db_tree_get(db, kind, &have);
	if (err == TQK_OK && strcmp(have, text) == 0) {
		free(have);
		return TQK_OK;
	}
	free(have);
	if (err != TQK_OK && err != TQK_E_STORE_NOT_FOUND)
		return err;
	sqlite3_stmt *st = srv_db_stmt(db, "INSERT OR REPLACE INTO trees(kind, text) VALUES (?1, ?2)",
	                               &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, kind);
	srv_db_bind(st, 2, text);
	if ((err = srv_db_done(db, st)) != TQK_OK)
		return err;
	/* Every plan changes: the trees are part of each. */
	st = srv_db_stmt(db, "UPDATE plans SET rev = rev + 1", &err);
	if (st == NULL || (err = srv_db_done(db, st)) != TQK_OK)
		return err;
	*changed = true;
	return TQK_OK;
}

/* ---- signing keys ---- */

tqk_err srv_db_key_new(srv_db *db, int64_t now, srv_key *out)
{
	memset(out, 0, sizeof *out);
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "UPDATE signing_keys SET retired = ?1"
	                                   " WHERE retired IS NULL", &err);
	if (st == NULL)
		return err;
	sqlite3_bind_int64(st, 1, now);
	if ((err = srv_db_done(db, st)) != TQK_OK)
		return err;
	uint8_t pub[TQK_PUBKEY_LEN], sec[TQK_SECKEY_LEN];
	char kid[TQK_KID_CAP];
	/* A kid is 32 bits of the key's hash: on the rare clash, another key. */
	for (int attempt = 0; attempt < 4; attempt++) {
		crypto_sign_keypair(pub, sec);
		tqk_kid_of(pub, kid);
		st = srv_db_stmt(db, "INSERT INTO signing_keys(kid, public, secret, created)"
		                     " VALUES (?1, ?2, ?3, ?4)", &err);
		if (st == NULL)
			break;
		srv_db_bind(st, 1, kid);
		sqlite3_bind_blob(st, 2, pub, sizeof pub, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, sec, sizeof sec, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, now);
		err = done_or(db, st, SQLITE_CONSTRAINT_PRIMARYKEY, TQK_E_STORE_EXISTS);
		sqlite3_clear_bindings(st);
		if (err != TQK_E_STORE_EXISTS)
			break;
	}
	sodium_memzero(sec, sizeof sec);
	if (err != TQK_OK)
		return err;
	/* Every plan changes: its key set is part of it. */
	st = srv_db_stmt(db, "UPDATE plans SET rev = rev + 1", &err);
	if (st == NULL || (err = srv_db_done(db, st)) != TQK_OK)
		return err;
	memcpy(out->kid, kid, sizeof kid);
	memcpy(out->pub, pub, sizeof pub);
	out->active = true;
	out->created = now;
	return TQK_OK;
}

tqk_err srv_db_keys(srv_db *db, srv_key *out, size_t cap, size_t *n)
{
	*n = 0;
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT kid, public, created, retired FROM signing_keys"
	                                   " ORDER BY retired IS NOT NULL, rowid DESC", &err);
	if (st == NULL)
		return err;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n < cap) {
			srv_key *k = &out[*n];
			memset(k, 0, sizeof *k);
			srv_db_column(st, 0, k->kid, sizeof k->kid);
			if (sqlite3_column_bytes(st, 1) == TQK_PUBKEY_LEN)
				memcpy(k->pub, sqlite3_column_blob(st, 1), TQK_PUBKEY_LEN);
			k->created = sqlite3_column_int64(st, 2);
			k->active = sqlite3_column_type(st, 3) == SQLITE_NULL;
			k->retired = k->active ? 0 : sqlite3_column_int64(st, 3);
		}
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TQK_OK : srv_db_err(db, rc);
}

tqk_err srv_db_key_active(srv_db *db, char kid[TQK_KID_CAP], uint8_t secret[TQK_SECKEY_LEN])
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT kid, secret FROM signing_keys"
	                                   " WHERE retired IS NULL", &err);
	if (st == NULL)
		return err;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		srv_db_column(st, 0, kid, TQK_KID_CAP);
		if (sqlite3_column_bytes(st, 1) == TQK_SECKEY_LEN)
			memcpy(secret, sqlite3_column_blob(st, 1), TQK_SECKEY_LEN);
		else
			rc = SQLITE_CORRUPT;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? TQK_OK : rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : srv_db_err(db, rc);
}

tqk_err srv_db_keyset(srv_db *db, tqk_keyset *out)
{
	memset(out, 0, sizeof *out);
	srv_key keys[TQK_KEYSET_MAX];
	size_t n = 0;
	tqk_err err = srv_db_keys(db, keys, TQK_KEYSET_MAX, &n);
	for (size_t i = 0; err == TQK_OK && i < n && i < TQK_KEYSET_MAX; i++)
		err = tqk_keyset_add(out, keys[i].kid, keys[i].pub);
	if (err != TQK_OK)
		memset(out, 0, sizeof *out);
	return err;
}

/* ---- nonces ---- */

tqk_err srv_db_nonce_add(srv_db *db, const char *kiosk, const char *nonce, int64_t at)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "INSERT INTO nonces(kiosk, nonce, at) VALUES (?1, ?2, ?3)",
	                               &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, kiosk);
	srv_db_bind(st, 2, nonce);
	sqlite3_bind_int64(st, 3, at);
	return done_or(db, st, SQLITE_CONSTRAINT_PRIMARYKEY, TQK_E_AUTH_REPLAY);
}

tqk_err srv_db_nonce_prune(srv_db *db, int64_t before)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "DELETE FROM nonces WHERE at < ?1", &err);
	if (st == NULL)
		return err;
	sqlite3_bind_int64(st, 1, before);
	return srv_db_done(db, st);
}

/* ---- counts ---- */

tqk_err srv_db_count(srv_db *db, srv_counts *out)
{
	memset(out, 0, sizeof *out);
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT (SELECT count(*) FROM sites),"
	                                   " (SELECT count(*) FROM kiosks),"
	                                   " (SELECT count(*) FROM clerks),"
	                                   " (SELECT count(*) FROM applications),"
	                                   " (SELECT count(*) FROM confirmations),"
	                                   " (SELECT count(*) FROM updates),"
	                                   " (SELECT count(*) FROM nonces)", &err);
	if (st == NULL)
		return err;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->sites = sqlite3_column_int64(st, 0);
		out->kiosks = sqlite3_column_int64(st, 1);
		out->clerks = sqlite3_column_int64(st, 2);
		out->applications = sqlite3_column_int64(st, 3);
		out->confirmations = sqlite3_column_int64(st, 4);
		out->updates = sqlite3_column_int64(st, 5);
		out->nonces = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? TQK_OK : srv_db_err(db, rc);
}
