/*
 * schema.c - the store's schema and its forward-only migrations.
 *
 * PRAGMA user_version holds the schema version. Each step brings version v
 * to v + 1 in one transaction with the new user_version, so a crash in the
 * middle of a migration leaves the file at v, never between. There is no
 * way back: a file newer than this program is refused (TQK_E_STORE_VERSION).
 *
 * Append-only rules live in the schema itself: triggers refuse to delete
 * or rewrite confirmations and audit rows, whatever program opens the file.
 */
#include "store/internal.h"

#include <stdio.h>

/* 0 -> 1: this site, settings, and the applications downloaded. */
static const char v1[] =
	"CREATE TABLE settings("
	"  key TEXT PRIMARY KEY NOT NULL,"
	"  value TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE site("
	"  one INTEGER PRIMARY KEY CHECK (one = 1),"
	"  site TEXT NOT NULL, kiosk TEXT NOT NULL, county TEXT NOT NULL,"
	"  year INTEGER NOT NULL, site_no INTEGER NOT NULL, width INTEGER NOT NULL);"
	"CREATE TABLE applications("
	"  reg_no TEXT PRIMARY KEY NOT NULL,"
	"  site TEXT NOT NULL,"
	"  id_number TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  nation TEXT NOT NULL DEFAULT '',"
	"  cert_no TEXT NOT NULL DEFAULT '',"
	"  cert_name TEXT NOT NULL DEFAULT '',"
	"  cert_id TEXT NOT NULL DEFAULT '',"
	"  qualification TEXT NOT NULL DEFAULT '',"
	"  cert_subject TEXT NOT NULL DEFAULT '',"
	"  cert_authority TEXT NOT NULL DEFAULT '',"
	"  cert_issued TEXT NOT NULL DEFAULT '',"
	"  institution TEXT NOT NULL DEFAULT '',"
	"  post TEXT NOT NULL DEFAULT '',"
	"  post_subject TEXT NOT NULL DEFAULT '',"
	"  school TEXT NOT NULL DEFAULT '',"
	"  school_area TEXT NOT NULL DEFAULT '',"
	"  title TEXT NOT NULL DEFAULT '',"
	"  work_start TEXT NOT NULL DEFAULT '',"
	"  email TEXT NOT NULL DEFAULT '',"
	"  registration INTEGER NOT NULL CHECK (registration IN (1, 2)),"
	"  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 10),"
	"  site_message TEXT NOT NULL DEFAULT '',"
	"  inst_message TEXT NOT NULL DEFAULT '',"
	"  remark TEXT NOT NULL DEFAULT '',"
	"  rev INTEGER NOT NULL DEFAULT 0,"
	"  purged INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX applications_id ON applications(id_number);"
	"CREATE INDEX applications_cert ON applications(cert_no);";

/* 1 -> 2: confirmations, archive serials, the upload queue, the audit trail. */
static const char v2[] =
	"CREATE TABLE confirmations("
	"  seq INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  supersedes TEXT UNIQUE REFERENCES confirmations(uuid),"
	"  reg_no TEXT NOT NULL REFERENCES applications(reg_no),"
	"  site TEXT NOT NULL, kiosk TEXT NOT NULL, clerk TEXT NOT NULL,"
	"  marks TEXT NOT NULL,"
	"  police_required INTEGER NOT NULL,"
	"  conclusion TEXT NOT NULL,"
	"  remark TEXT NOT NULL, message TEXT NOT NULL,"
	"  archive_no TEXT NOT NULL, serial INTEGER,"
	"  at INTEGER NOT NULL, time_source TEXT NOT NULL,"
	"  purged INTEGER NOT NULL DEFAULT 0);"
	/* One first confirmation per application; later ones supersede. */
	"CREATE UNIQUE INDEX confirmations_first ON confirmations(reg_no)"
	"  WHERE supersedes IS NULL;"
	"CREATE INDEX confirmations_reg ON confirmations(reg_no);"
	"CREATE UNIQUE INDEX confirmations_serial ON confirmations(site, serial)"
	"  WHERE serial IS NOT NULL;"
	"CREATE TABLE corrections("
	"  seq INTEGER NOT NULL REFERENCES confirmations(seq),"
	"  field TEXT NOT NULL,"
	"  old_value TEXT NOT NULL, new_value TEXT NOT NULL,"
	"  PRIMARY KEY (seq, field)) WITHOUT ROWID;"
	"CREATE TABLE serials("
	"  site TEXT PRIMARY KEY NOT NULL,"
	"  next INTEGER NOT NULL CHECK (next >= 1)) WITHOUT ROWID;"
	"CREATE TABLE outbox("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL,"
	"  payload TEXT NOT NULL,"
	"  state INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  next_attempt INTEGER NOT NULL,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  done_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox(state, next_attempt, id);"
	/* A site set up at version 1 gets its serials row, as site_set makes
	 * one now: without it no confirmation could take an archive number. */
	"INSERT INTO serials(site, next) SELECT site, 1 FROM site;"
	"CREATE TABLE audit("
	"  seq INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL, action TEXT NOT NULL,"
	"  subject TEXT NOT NULL, detail TEXT NOT NULL,"
	"  prev BLOB NOT NULL, hash BLOB NOT NULL);"
	"CREATE TRIGGER confirmations_keep BEFORE DELETE ON confirmations"
	"  BEGIN SELECT RAISE(ABORT, 'confirmations are append-only'); END;"
	/* Only the purge may change anything, and only by emptying the free
	 * texts (remark, message, corrected values). */
	"CREATE TRIGGER confirmations_fixed BEFORE UPDATE OF"
	"  seq, uuid, supersedes, reg_no, site, kiosk, clerk, marks, police_required,"
	"  conclusion, archive_no, serial, at, time_source ON confirmations"
	"  BEGIN SELECT RAISE(ABORT, 'confirmations are append-only'); END;"
	"CREATE TRIGGER confirmations_texts BEFORE UPDATE OF remark, message ON confirmations"
	"  WHEN (NEW.remark <> OLD.remark AND NEW.remark <> '')"
	"    OR (NEW.message <> OLD.message AND NEW.message <> '')"
	"  BEGIN SELECT RAISE(ABORT, 'confirmations are append-only'); END;"
	"CREATE TRIGGER corrections_keep BEFORE DELETE ON corrections"
	"  BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;"
	"CREATE TRIGGER corrections_fixed BEFORE UPDATE ON corrections"
	"  WHEN NEW.seq <> OLD.seq OR NEW.field <> OLD.field"
	"    OR (NEW.old_value <> OLD.old_value AND NEW.old_value <> '')"
	"    OR (NEW.new_value <> OLD.new_value AND NEW.new_value <> '')"
	"  BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;"
	"CREATE TRIGGER audit_keep BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
	"CREATE TRIGGER audit_fixed BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;";

/* 2 -> 3: the clerk's list, found by key in every ordering it offers. */
static const char v3[] =
	"CREATE INDEX applications_list ON applications(site, purged, reg_no);"
	"CREATE INDEX applications_state ON applications(site, purged, state, reg_no);"
	"CREATE INDEX applications_name ON applications(site, purged, name, reg_no);";

/* 3 -> 4: what the sync worker brings down and keeps: the county's plan
 * for this site (one row, replaced only by a newer revision) and the clerk
 * accounts with their argon2id PIN hashes. The worker's cursors and the
 * trusted clock's state live in settings. */
static const char v4[] =
	"CREATE TABLE plan("
	"  one INTEGER PRIMARY KEY CHECK (one = 1),"
	"  rev INTEGER NOT NULL CHECK (rev >= 0),"
	"  site TEXT NOT NULL, site_name TEXT NOT NULL, county TEXT NOT NULL,"
	"  year INTEGER NOT NULL, site_no INTEGER NOT NULL, width INTEGER NOT NULL,"
	"  apply_start TEXT NOT NULL, apply_end TEXT NOT NULL,"
	"  confirm_start TEXT NOT NULL, confirm_end TEXT NOT NULL,"
	"  opens INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 86400),"
	"  closes INTEGER NOT NULL CHECK (closes BETWEEN 0 AND 86400),"
	"  calendar TEXT NOT NULL,"
	"  stored_at INTEGER NOT NULL);"
	"CREATE TABLE clerks("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  name TEXT NOT NULL,"
	"  pin_hash TEXT NOT NULL,"
	"  active INTEGER NOT NULL CHECK (active IN (0, 1))) WITHOUT ROWID;";

/* 4 -> 5: this kiosk's block of the site's archive serials (store.h). A
 * kiosk set up before blocks existed keeps the whole range of its width,
 * which is what it allocated from. */
static const char v5[] =
	"ALTER TABLE site ADD COLUMN serial_first INTEGER NOT NULL DEFAULT 1"
	"  CHECK (serial_first >= 1);"
	"ALTER TABLE site ADD COLUMN serial_last INTEGER NOT NULL DEFAULT 999999"
	"  CHECK (serial_last >= serial_first);"
	"UPDATE site SET serial_last = CAST(substr('999999', 1, width) AS INTEGER);";

/* 5 -> 6: the county's public keys that verify the QR payloads of printed
 * forms (core/payload.h), kept with the plan and replaced with it (ord: the
 * order the server gave). A plan stored before keys existed goes to
 * revision 0, so that the next download, whatever its revision, replaces
 * it and brings the keys: the server may have published them already
 * under the revision this kiosk holds, in a member its older decoder
 * ignored. */
static const char v6[] =
	"CREATE TABLE plan_keys("
	"  kid TEXT PRIMARY KEY NOT NULL CHECK (length(kid) BETWEEN 1 AND 16),"
	"  public TEXT NOT NULL CHECK (length(public) = 43),"
	"  ord INTEGER NOT NULL UNIQUE) WITHOUT ROWID;"
	"UPDATE plan SET rev = 0;";

/* 6 -> 7: walk-in applications made here (walkin.h): the provisional
 * number each got, its serial (never reused), its outbox row, and the
 * official number once the server gave it, which never changes after; and
 * the plan's registration institutions with their application windows and
 * the county's own hierarchies for the walk-in, kept and replaced with the
 * plan like its keys; and the teachers' own changes of their applications
 * (change.h), append-only. */
static const char v7[] =
	"CREATE TABLE changes("
	"  uuid TEXT PRIMARY KEY NOT NULL,"
	"  reg_no TEXT NOT NULL REFERENCES applications(reg_no),"
	"  at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX changes_reg ON changes(reg_no);"
	"CREATE TRIGGER changes_keep BEFORE DELETE ON changes"
	"  BEGIN SELECT RAISE(ABORT, 'changes are append-only'); END;"
	"CREATE TRIGGER changes_fixed BEFORE UPDATE ON changes"
	"  BEGIN SELECT RAISE(ABORT, 'changes are append-only'); END;"
	"CREATE TABLE plan_trees("
	"  kind TEXT PRIMARY KEY NOT NULL, text TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE plan_institutions("
	"  name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 256),"
	"  apply_start TEXT NOT NULL, apply_end TEXT NOT NULL,"
	"  ord INTEGER NOT NULL UNIQUE) WITHOUT ROWID;"
	"CREATE TABLE walkins("
	"  provisional TEXT PRIMARY KEY NOT NULL REFERENCES applications(reg_no),"
	"  serial INTEGER NOT NULL UNIQUE CHECK (serial BETWEEN 1 AND 999999),"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  official TEXT UNIQUE,"
	"  created INTEGER NOT NULL,"
	"  mapped_at INTEGER) WITHOUT ROWID;"
	"CREATE TRIGGER walkins_keep BEFORE DELETE ON walkins"
	"  BEGIN SELECT RAISE(ABORT, 'walk-ins are kept'); END;"
	"CREATE TRIGGER walkins_fixed BEFORE UPDATE OF provisional, serial, uuid, created ON walkins"
	"  BEGIN SELECT RAISE(ABORT, 'walk-ins are kept'); END;"
	"CREATE TRIGGER walkins_mapped_once BEFORE UPDATE OF official ON walkins"
	"  WHEN OLD.official IS NOT NULL AND NEW.official IS NOT OLD.official"
	"  BEGIN SELECT RAISE(ABORT, 'an official number never changes'); END;";

/* 7 -> 8: the county's signed QR payload of each application's form
 * (application.h), which comes down with the application; personal data,
 * emptied by the purge. And the plan's title of the archive bags. */
static const char v8[] =
	"ALTER TABLE applications ADD COLUMN payload TEXT NOT NULL DEFAULT ''"
	"  CHECK (length(payload) <= 300);"
	"ALTER TABLE plan ADD COLUMN title TEXT NOT NULL DEFAULT '';";

const char *const store_migrations[TQK_STORE_VERSION] = {v1, v2, v3, v4, v5, v6, v7, v8};

static tqk_err read_version(tqk_store *s, int *out)
{
	int64_t v = -1;
	tqk_err err = store_int(s, "PRAGMA user_version", NULL, NULL, &v);
	*out = (int)v;
	return err;
}

int tqk_store_version(tqk_store *s)
{
	int v = -1;
	return read_version(s, &v) == TQK_OK ? v : -1;
}

/* Checks that this program can work with version v. */
static tqk_err check_version(tqk_store *s, int v)
{
	if (v > TQK_STORE_VERSION || v < 0) {
		snprintf(s->detail, sizeof s->detail, "schema version %d; this program knows %d",
		         v, TQK_STORE_VERSION);
		return TQK_E_STORE_VERSION;
	}
	return TQK_OK;
}

tqk_err store_migrate(tqk_store *s)
{
	int v;
	tqk_err err = read_version(s, &v);
	if (err == TQK_OK)
		err = check_version(s, v);
	if (err != TQK_OK || v == TQK_STORE_VERSION)
		return err;
	if (s->readonly)
		return TQK_E_STORE_READONLY;
	for (;;) {
		/* Read the version again under the write lock: another process
		 * may have migrated the file meanwhile. */
		if ((err = store_begin(s)) != TQK_OK)
			return err;
		err = read_version(s, &v);
		if (err == TQK_OK)
			err = check_version(s, v);
		if (err != TQK_OK || v == TQK_STORE_VERSION)
			return store_end(s, err);
		char pragma[40];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		err = store_exec(s, store_migrations[v]);
		if (err == TQK_OK)
			err = store_exec(s, pragma);
		if ((err = store_end(s, err)) != TQK_OK)
			return err;
	}
}
