/*
 * test_store_backup.c - backups of the store and restoring one: the default
 * directory, a backup that is a consistent, owner-only copy under a name
 * of its Beijing time, rotation that keeps the newest `keep` (and never
 * the backup just made), distinct names within one second, finding the
 * newest backup that passes its check, and restoring it in place of a
 * damaged store, which is moved aside and leaves a "restore" row in the
 * restored store's audit trail. A damaged backup is never restored, and a
 * backup taken while another connection writes is still consistent.
 *
 * Every test works in its own scratch directory, removed afterwards.
 */
#include "test.h"

#include <dirent.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "core/err.h"
#include "support/fixture.h"
#include "support/rawdb.h"
#include "store/apps.h"
#include "store/audit.h"
#include "store/backup.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/store.h"

/* FIXTURE_NOW in Beijing time, as backup names write it. */
#define NOW_STAMP "20260520-093105"
#define HOUR 3600

struct scratch {
	char dir[PATH_MAX / 4];
	char db[PATH_MAX / 2];
	char backups[PATH_MAX / 2];
};

static int setup(void **state)
{
	struct scratch *t = calloc(1, sizeof *t);
	if (t == NULL)
		return -1;
	fixture_tmpdir(t->dir, sizeof t->dir);
	snprintf(t->db, sizeof t->db, "%s/kiosk.db", t->dir);
	snprintf(t->backups, sizeof t->backups, "%s/kiosk.db.backups", t->dir);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *t = *state;
	fixture_rmdir(t->dir);
	free(t);
	return 0;
}

/* Two whole pages in the middle of a (closed) database become noise. */
static void damage(const char *path)
{
	size_t n;
	unsigned char *bytes = file_slurp(path, &n);
	assert_true(n >= 100);
	size_t page = (size_t)bytes[16] << 8 | bytes[17];
	if (page == 1)
		page = 65536;
	if (n < 20 * page)
		fail_msg("%s has %zu pages only", path, n / page);
	size_t at = (n / page / 2) * page;
	uint32_t seed = 99;
	for (size_t i = at; i < at + 2 * page; i++) {
		seed = seed * 1103515245u + 12345u;
		bytes[i] = (unsigned char)(seed >> 16);
	}
	file_spill(path, bytes, n);
	free(bytes);
}

/* The names in dir, sorted, joined by spaces ("" for an empty or missing
 * directory). */
static void listing(const char *dir, char *buf, size_t cap)
{
	char *names[64];
	size_t n = 0;
	DIR *d = opendir(dir);
	buf[0] = '\0';
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < 64)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			names[n++] = strdup(e->d_name);
	closedir(d);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *x = names[j];
			names[j] = names[j - 1];
			names[j - 1] = x;
		}
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%s", i ? " " : "",
		                        names[i]);
		free(names[i]);
	}
	assert_true(len < cap);
}

static void assert_listing(const char *dir, const char *want)
{
	char got[4096];
	listing(dir, got, sizeof got);
	if (strcmp(got, want) != 0)
		fail_msg("%s holds\n  \"%s\", not\n  \"%s\"", dir, got, want);
}

/* ---- raw SQLite, for what the API does not show ---- */

/* The row counts of every table, as one text, for comparing two files. */
static void counts_of(const char *path, char *buf, size_t cap)
{
	raw_text(path, "SELECT (SELECT count(*) FROM applications) || ' ' ||"
	               " (SELECT count(*) FROM confirmations) || ' ' ||"
	               " (SELECT count(*) FROM corrections) || ' ' ||"
	               " (SELECT count(*) FROM outbox) || ' ' ||"
	               " (SELECT count(*) FROM audit) || ' ' ||"
	               " (SELECT count(*) FROM settings) || ' ' ||"
	               " (SELECT count(*) FROM site) || ' ' ||"
	               " (SELECT group_concat(site || ':' || next) FROM serials)", NULL, buf, cap);
}

/* ---- stores ---- */

static tqk_store *fixture_ok(const char *path, size_t n)
{
	tqk_store *s = NULL;
	assert_int_equal(fixture_store(path, n, 0, &s), TQK_OK);
	return s;
}

static tqk_store *open_ok(const char *path, const tqk_store_options *opt)
{
	tqk_store *s = NULL;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	tqk_err err = tqk_store_open(path, opt, &s, detail);
	if (err != TQK_OK)
		fail_msg("open %s: %s (%s)", path, tqk_err_code(err), detail);
	return s;
}

static void confirm_ok(tqk_store *s, unsigned i, tqk_confirmation *out)
{
	tqk_application a;
	fixture_app(i, FIXTURE_SITE, &a);
	fixture_confirmation(a.reg_no, out);
	tqk_err err = tqk_store_confirm(s, out);
	if (err != TQK_OK)
		fail_msg("confirm %s: %s", a.reg_no, tqk_err_code(err));
}

static void backup_ok(tqk_store *s, const char *dir, int keep, tqk_time now, char *path,
                      size_t cap)
{
	tqk_err err = tqk_store_backup(s, dir, keep, now, path, cap);
	if (err != TQK_OK)
		fail_msg("backup: %s (%s)", tqk_err_code(err), tqk_store_detail(s));
}

/* ---- the default directory ---- */

static void default_directory_is_beside_the_store(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(tqk_backup_dir_default("/var/lib/tqkiosk/kiosk.db", buf, sizeof buf),
	                 TQK_OK);
	assert_string_equal(buf, "/var/lib/tqkiosk/kiosk.db.backups");
	assert_int_equal(tqk_backup_dir_default("kiosk.db", buf, sizeof buf), TQK_OK);
	assert_string_equal(buf, "kiosk.db.backups");
	/* Exactly enough room, and one byte less. */
	size_t need = strlen("kiosk.db.backups") + 1;
	assert_int_equal(tqk_backup_dir_default("kiosk.db", buf, need), TQK_OK);
	assert_string_equal(buf, "kiosk.db.backups");
	assert_int_equal(tqk_backup_dir_default("kiosk.db", buf, need - 1), TQK_E_TOO_LONG);
}

/* ---- making backups ---- */

static void backup_is_a_consistent_private_copy(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 200);
	tqk_confirmation c;
	confirm_ok(s, 3, &c);
	confirm_ok(s, 9, &c);

	/* Even with no umask, the directory and the file are the owner's. */
	mode_t old = umask(0);
	char path[TQK_BACKUP_PATH_CAP];
	backup_ok(s, t->backups, TQK_BACKUP_KEEP_DEFAULT, FIXTURE_NOW, path, sizeof path);
	umask(old);
	char want[PATH_MAX];
	snprintf(want, sizeof want, "%s/tqkiosk-" NOW_STAMP ".db", t->backups);
	assert_string_equal(path, want);
	assert_int_equal(file_mode(t->backups), 0700);
	assert_int_equal(file_mode(path), 0600);
	/* One self-contained file: no WAL beside it, no temporary left. */
	assert_listing(t->backups, "tqkiosk-" NOW_STAMP ".db");
	char mode[16];
	raw_text(path, "PRAGMA journal_mode", NULL, mode, sizeof mode);
	assert_string_equal(mode, "delete");

	/* The same rows, table by table, as the store (closed to compare). */
	tqk_store_free(s);
	char a[256], b[256];
	counts_of(t->db, a, sizeof a);
	counts_of(path, b, sizeof b);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "200 2 0 2 "));

	/* It opens as a store, and its records read back alike. */
	tqk_store_options ro = {.readonly = true};
	s = open_ok(t->db, &ro);
	tqk_store *copy = open_ok(path, &ro);
	assert_int_equal(tqk_store_check(copy, true), TQK_OK);
	tqk_application x, y;
	assert_int_equal(tqk_store_app_get(s, c.reg_no, &x), TQK_OK);
	assert_int_equal(tqk_store_app_get(copy, c.reg_no, &y), TQK_OK);
	assert_memory_equal(&x, &y, sizeof x);
	assert_int_equal(y.state, TQK_ST_CONFIRMED);
	tqk_confirmation cx, cy;
	assert_int_equal(tqk_store_confirmation_get(s, c.uuid, &cx), TQK_OK);
	assert_int_equal(tqk_store_confirmation_get(copy, c.uuid, &cy), TQK_OK);
	assert_memory_equal(&cx, &cy, sizeof cx);
	assert_string_equal(cy.archive_no, "CSX202601002");
	tqk_site sx = {0}, sy = {0};
	assert_int_equal(tqk_store_site_get(copy, &sy), TQK_OK);
	assert_int_equal(tqk_store_site_get(s, &sx), TQK_OK);
	assert_memory_equal(&sx, &sy, sizeof sx);
	tqk_audit_report rep;
	assert_int_equal(tqk_store_audit_verify(copy, &rep), TQK_OK);
	assert_true(rep.rows >= 3);
	tqk_store_free(copy);
	tqk_store_free(s);

	/* path may be NULL. */
	s = open_ok(t->db, NULL);
	backup_ok(s, t->backups, TQK_BACKUP_KEEP_DEFAULT, FIXTURE_NOW + HOUR, NULL, 0);
	assert_listing(t->backups, "tqkiosk-" NOW_STAMP ".db tqkiosk-20260520-103105.db");
	tqk_store_free(s);
}

static void rotation_keeps_the_newest(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 30);
	assert_int_equal(mkdir(t->backups, 0700), 0);
	/* Files that are not backups are never touched. */
	char other[PATH_MAX];
	snprintf(other, sizeof other, "%s/README.txt", t->backups);
	file_spill(other, "keep me", 7);
	snprintf(other, sizeof other, "%s/tqkiosk-20260101-000000.db.tmp", t->backups);
	file_spill(other, "half", 4);

	/* Six backups an hour apart (09:31 .. 14:31), keeping three. */
	for (int k = 0; k < 6; k++)
		backup_ok(s, t->backups, 3, FIXTURE_NOW + k * HOUR, NULL, 0);
	assert_listing(t->backups, "README.txt tqkiosk-20260101-000000.db.tmp"
	                           " tqkiosk-20260520-123105.db tqkiosk-20260520-133105.db"
	                           " tqkiosk-20260520-143105.db");
	/* A day later, keeping one. */
	backup_ok(s, t->backups, 1, FIXTURE_NOW + 24 * HOUR, NULL, 0);
	assert_listing(t->backups, "README.txt tqkiosk-20260101-000000.db.tmp"
	                           " tqkiosk-20260521-093105.db");
	tqk_store_free(s);
}

/* When the clock has gone back, the new backup's name sorts below the
 * others; it is still the copy just made and must not be rotated away. */
static void rotation_never_removes_the_backup_just_made(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 30);
	for (int k = 1; k <= 3; k++)
		backup_ok(s, t->backups, 3, FIXTURE_NOW + k * HOUR, NULL, 0);
	char path[TQK_BACKUP_PATH_CAP];
	backup_ok(s, t->backups, 3, FIXTURE_NOW, path, sizeof path);
	if (!file_exists(path))
		fail_msg("the backup just made (%s) was removed", path);
	tqk_store_options ro = {.readonly = true};
	tqk_store_free(open_ok(path, &ro));
	char list[4096];
	listing(t->backups, list, sizeof list);
	assert_non_null(strstr(list, "tqkiosk-" NOW_STAMP ".db"));
	/* Three in all: the new one and the two newest others. */
	assert_listing(t->backups, "tqkiosk-" NOW_STAMP ".db tqkiosk-20260520-113105.db"
	                           " tqkiosk-20260520-123105.db");
	tqk_store_free(s);
}

static void same_second_backups_get_distinct_names(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 30);
	char first[TQK_BACKUP_PATH_CAP], second[TQK_BACKUP_PATH_CAP], third[TQK_BACKUP_PATH_CAP];
	backup_ok(s, t->backups, 5, FIXTURE_NOW, first, sizeof first);
	assert_int_equal(tqk_store_setting_set(s, "between", "1"), TQK_OK);
	backup_ok(s, t->backups, 5, FIXTURE_NOW, second, sizeof second);
	assert_int_equal(tqk_store_setting_set(s, "between", "2"), TQK_OK);
	backup_ok(s, t->backups, 5, FIXTURE_NOW, third, sizeof third);
	assert_string_not_equal(first, second);
	assert_string_not_equal(second, third);
	assert_string_not_equal(first, third);
	assert_listing(t->backups, "tqkiosk-" NOW_STAMP "-2.db tqkiosk-" NOW_STAMP "-3.db"
	                           " tqkiosk-" NOW_STAMP ".db");
	/* Each is its own copy, of its own moment. */
	assert_int_equal(raw_int(first, "SELECT count(*) FROM settings WHERE key = 'between'",
	                         NULL), 0);
	assert_int_equal(raw_int(second, "SELECT value FROM settings WHERE key = 'between'",
	                         NULL), 1);
	assert_int_equal(raw_int(third, "SELECT value FROM settings WHERE key = 'between'",
	                         NULL), 2);

	/* The newest of one second is the last made: it is what
	 * newest_good finds, and rotation drops the first made. */
	char found[TQK_BACKUP_PATH_CAP];
	assert_int_equal(tqk_backup_newest_good(t->backups, found, sizeof found), TQK_OK);
	assert_string_equal(found, third);
	backup_ok(s, t->backups, 3, FIXTURE_NOW, NULL, 0);
	assert_listing(t->backups, "tqkiosk-" NOW_STAMP "-2.db tqkiosk-" NOW_STAMP "-3.db"
	                           " tqkiosk-" NOW_STAMP "-4.db");
	tqk_store_free(s);
}

static void keep_below_one_is_refused(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 3);
	char path[TQK_BACKUP_PATH_CAP] = "untouched";
	assert_int_equal(tqk_store_backup(s, t->backups, 0, FIXTURE_NOW, path, sizeof path),
	                 TQK_E_ARG);
	assert_int_equal(tqk_store_backup(s, t->backups, -3, FIXTURE_NOW, path, sizeof path),
	                 TQK_E_ARG);
	assert_false(file_exists(t->backups));
	assert_string_equal(path, "untouched");

	/* A regular file where the directory should be. */
	file_spill(t->backups, "x", 1);
	assert_int_equal(tqk_store_backup(s, t->backups, 1, FIXTURE_NOW, path, sizeof path),
	                 TQK_E_STORE_OPEN);
	assert_true(tqk_store_detail(s)[0] != '\0');
	tqk_store_free(s);
}

/* ---- finding a good backup ---- */

static void newest_good_skips_damaged_backups(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 300);
	char b[3][TQK_BACKUP_PATH_CAP];
	for (int k = 0; k < 3; k++)
		backup_ok(s, t->backups, 7, FIXTURE_NOW + k * HOUR, b[k], sizeof b[k]);
	tqk_store_free(s);
	/* A crash's empty leftover under a newer name is no backup either. */
	char empty[PATH_MAX];
	snprintf(empty, sizeof empty, "%s/tqkiosk-20260520-235959.db", t->backups);
	file_spill(empty, "", 0);

	char found[TQK_BACKUP_PATH_CAP];
	assert_int_equal(tqk_backup_newest_good(t->backups, found, sizeof found), TQK_OK);
	assert_string_equal(found, b[2]);
	damage(b[2]);
	assert_int_equal(tqk_backup_newest_good(t->backups, found, sizeof found), TQK_OK);
	assert_string_equal(found, b[1]);
	damage(b[1]);
	assert_int_equal(tqk_backup_newest_good(t->backups, found, sizeof found), TQK_OK);
	assert_string_equal(found, b[0]);
	damage(b[0]);
	strcpy(found, "untouched");
	assert_int_equal(tqk_backup_newest_good(t->backups, found, sizeof found),
	                 TQK_E_STORE_NO_BACKUP);
	/* Looking never writes: no WAL or journal files appear. */
	char want[1024];
	snprintf(want, sizeof want, "tqkiosk-" NOW_STAMP ".db tqkiosk-20260520-103105.db"
	         " tqkiosk-20260520-113105.db tqkiosk-20260520-235959.db");
	assert_listing(t->backups, want);
	size_t n;
	free(file_slurp(empty, &n));
	assert_int_equal(n, 0);
}

static void no_backup_in_an_empty_or_missing_directory(void **state)
{
	struct scratch *t = *state;
	char found[TQK_BACKUP_PATH_CAP];
	assert_int_equal(tqk_backup_newest_good(t->backups, found, sizeof found),
	                 TQK_E_STORE_NO_BACKUP);
	assert_int_equal(mkdir(t->backups, 0700), 0);
	assert_int_equal(tqk_backup_newest_good(t->backups, found, sizeof found),
	                 TQK_E_STORE_NO_BACKUP);
	/* Files that are not named as backups are not backups, even good
	 * stores. */
	char other[PATH_MAX];
	snprintf(other, sizeof other, "%s/kiosk-copy.db", t->backups);
	tqk_store_free(fixture_ok(other, 2));
	snprintf(other, sizeof other, "%s/tqkiosk-20260520-093105.db.tmp", t->backups);
	tqk_store_free(fixture_ok(other, 2));
	assert_int_equal(tqk_backup_newest_good(t->backups, found, sizeof found),
	                 TQK_E_STORE_NO_BACKUP);
}

/* ---- restoring ---- */

static void restore_replaces_a_damaged_store(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 150);
	tqk_confirmation before, after;
	confirm_ok(s, 4, &before);
	char backup[TQK_BACKUP_PATH_CAP];
	backup_ok(s, t->backups, 7, FIXTURE_NOW, backup, sizeof backup);
	/* Work after the backup is what the restore loses. */
	confirm_ok(s, 5, &after);
	tqk_store_free(s);

	damage(t->db);
	assert_int_equal(tqk_store_open(t->db, NULL, &s, NULL), TQK_E_STORE_CORRUPT);
	/* A crash also left a WAL behind. */
	char wal[PATH_MAX];
	snprintf(wal, sizeof wal, "%s-wal", t->db);
	file_spill(wal, "stale wal", 9);
	size_t n_damaged;
	unsigned char *damaged = file_slurp(t->db, &n_damaged);

	char found[TQK_BACKUP_PATH_CAP];
	assert_int_equal(tqk_backup_newest_good(t->backups, found, sizeof found), TQK_OK);
	assert_string_equal(found, backup);
	tqk_time when = FIXTURE_NOW + 2 * HOUR;
	char moved[TQK_BACKUP_PATH_CAP];
	assert_int_equal(tqk_store_restore(t->db, found, when, moved), TQK_OK);

	/* The damaged file and its WAL are kept aside, as they were. */
	char aside[PATH_MAX], aside_wal[PATH_MAX];
	snprintf(aside, sizeof aside, "%s.damaged-20260520-113105", t->db);
	snprintf(aside_wal, sizeof aside_wal, "%s.damaged-20260520-113105-wal", t->db);
	assert_string_equal(moved, aside);
	size_t n;
	unsigned char *kept = file_slurp(aside, &n);
	assert_int_equal(n, n_damaged);
	assert_memory_equal(kept, damaged, n);
	free(kept);
	free(damaged);
	kept = file_slurp(aside_wal, &n);
	assert_int_equal(n, 9);
	assert_memory_equal(kept, "stale wal", 9);
	free(kept);
	assert_false(file_exists(wal));

	/* The restored store opens, passes, holds what the backup held. */
	assert_int_equal(file_mode(t->db), 0600);
	s = open_ok(t->db, NULL);
	assert_int_equal(tqk_store_check(s, true), TQK_OK);
	tqk_audit_report rep;
	assert_int_equal(tqk_store_audit_verify(s, &rep), TQK_OK);
	tqk_confirmation got;
	assert_int_equal(tqk_store_confirmation_get(s, before.uuid, &got), TQK_OK);
	assert_string_equal(got.archive_no, before.archive_no);
	assert_int_equal(tqk_store_confirmation_get(s, after.uuid, &got), TQK_E_STORE_NOT_FOUND);
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(s, before.uuid, &it), TQK_OK);
	tqk_outbox_item_clear(&it);
	/* The store works on: the lost confirmation can be made again. */
	tqk_confirmation again;
	confirm_ok(s, 5, &again);
	assert_string_equal(again.archive_no, "CSX202601002");
	assert_int_equal(tqk_store_audit_verify(s, &rep), TQK_OK);
	tqk_store_free(s);

	/* The restore is in the restored store's own audit trail. */
	char text[256];
	raw_text(t->db, "SELECT actor || '|' || action || '|' || subject || '|' || at FROM audit"
	                " WHERE action = 'restore'", NULL, text, sizeof text);
	char want[256];
	snprintf(want, sizeof want, "admin|restore|tqkiosk-" NOW_STAMP ".db|%lld", (long long)when);
	assert_string_equal(text, want);
	assert_int_equal(raw_int(t->db, "SELECT count(*) FROM audit WHERE action = 'restore'",
	                         NULL), 1);
}

static void damaged_backup_is_never_restored(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 300);
	char backup[TQK_BACKUP_PATH_CAP];
	backup_ok(s, t->backups, 7, FIXTURE_NOW, backup, sizeof backup);
	tqk_store_free(s);
	damage(backup);

	size_t n0;
	unsigned char *original = file_slurp(t->db, &n0);
	assert_int_equal(tqk_store_restore(t->db, backup, FIXTURE_NOW + HOUR, NULL), TQK_E_STORE_CORRUPT);
	/* The store is where it was, as it was, and nothing is set aside. */
	size_t n;
	unsigned char *now = file_slurp(t->db, &n);
	assert_int_equal(n, n0);
	assert_memory_equal(now, original, n);
	free(now);
	assert_listing(t->dir, "kiosk.db kiosk.db.backups");

	/* Nor a missing one. */
	char missing[PATH_MAX];
	snprintf(missing, sizeof missing, "%s/tqkiosk-20200101-000000.db", t->backups);
	assert_int_equal(tqk_store_restore(t->db, missing, FIXTURE_NOW + HOUR, NULL), TQK_E_STORE_MISSING);
	now = file_slurp(t->db, &n);
	assert_int_equal(n, n0);
	assert_memory_equal(now, original, n);
	free(now);
	free(original);
	assert_listing(t->dir, "kiosk.db kiosk.db.backups");
	s = open_ok(t->db, NULL);
	assert_int_equal(tqk_store_check(s, true), TQK_OK);
	tqk_store_free(s);
}

/*
 * A backup whose pages are sound but whose index disagrees with its table
 * passes quick_check and fails integrity_check: newest_good passes it over
 * and restore refuses it.
 */
static void restore_demands_the_full_check(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 200);
	char backup[TQK_BACKUP_PATH_CAP];
	backup_ok(s, t->backups, 7, FIXTURE_NOW, backup, sizeof backup);
	tqk_store_free(s);

	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(backup, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA writable_schema = ON;"
		"UPDATE sqlite_schema SET sql = 'CREATE INDEX applications_name ON"
		" applications(site, purged, school, reg_no)' WHERE name = 'applications_name';"
		"PRAGMA writable_schema = OFF;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	char found[TQK_BACKUP_PATH_CAP];
	assert_int_equal(tqk_backup_newest_good(t->backups, found, sizeof found),
	                 TQK_E_STORE_NO_BACKUP);
	size_t n0, n;
	unsigned char *original = file_slurp(t->db, &n0);
	assert_int_equal(tqk_store_restore(t->db, backup, FIXTURE_NOW + HOUR, NULL), TQK_E_STORE_CORRUPT);
	unsigned char *now = file_slurp(t->db, &n);
	assert_int_equal(n, n0);
	assert_memory_equal(now, original, n);
	free(now);
	free(original);
	assert_listing(t->dir, "kiosk.db kiosk.db.backups");
}

static void backup_while_another_connection_writes(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 200);
	tqk_confirmation c;
	confirm_ok(s, 1, &c);

	/* Another connection holds a write transaction open, half done. */
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open_v2(t->db, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE;"
		"INSERT INTO settings(key, value) VALUES ('uncommitted', 'yes');"
		"UPDATE applications SET school = 'half-written' WHERE reg_no < '20260000000100';",
		NULL, NULL, NULL), SQLITE_OK);

	char path[TQK_BACKUP_PATH_CAP];
	backup_ok(s, t->backups, 7, FIXTURE_NOW, path, sizeof path);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);

	/* The backup is whole and holds the committed state only. */
	tqk_store_options ro = {.readonly = true};
	tqk_store *copy = open_ok(path, &ro);
	assert_int_equal(tqk_store_check(copy, true), TQK_OK);
	tqk_audit_report rep;
	assert_int_equal(tqk_store_audit_verify(copy, &rep), TQK_OK);
	char value[TQK_STORE_SETTING_CAP];
	assert_int_equal(tqk_store_setting_get(copy, "uncommitted", value, sizeof value),
	                 TQK_E_STORE_NOT_FOUND);
	tqk_confirmation got;
	assert_int_equal(tqk_store_confirmation_get(copy, c.uuid, &got), TQK_OK);
	tqk_store_free(copy);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM applications", NULL), 200);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM applications"
	                               " WHERE school = 'half-written'", NULL), 0);

	/* The next backup has the write, now committed. */
	char later[TQK_BACKUP_PATH_CAP];
	backup_ok(s, t->backups, 7, FIXTURE_NOW + HOUR, later, sizeof later);
	assert_int_equal(raw_int(later, "SELECT count(*) FROM applications"
	                                " WHERE school = 'half-written'", NULL), 100);
	assert_int_equal(raw_int(later, "SELECT count(*) FROM settings WHERE key = 'uncommitted'",
	                         NULL), 1);
	sqlite3_close(other);
	tqk_store_free(s);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(default_directory_is_beside_the_store),
		T(backup_is_a_consistent_private_copy),
		T(rotation_keeps_the_newest),
		T(rotation_never_removes_the_backup_just_made),
		T(same_second_backups_get_distinct_names),
		T(keep_below_one_is_refused),
		T(newest_good_skips_damaged_backups),
		T(no_backup_in_an_empty_or_missing_directory),
		T(restore_replaces_a_damaged_store),
		T(damaged_backup_is_never_restored),
		T(restore_demands_the_full_check),
		T(backup_while_another_connection_writes),
	};
	return cmocka_run_group_tests_name("store_backup", tests, NULL, NULL);
}
