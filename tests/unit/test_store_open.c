/*
 * test_store_open.c - opening the local store and what it promises before
 * anything else runs: a missing file is reported, a new one is created 0600
 * (its -wal and -shm too) and an existing one tightened to 0600; the file is
 * in WAL mode for good, every connection runs with synchronous=FULL, foreign
 * keys and a busy timeout; files that are not a store, damaged stores and
 * stores from a newer program are refused with a detail for the
 * administrator. Migrations are tested from every older version, with rows
 * in every table that existed then, and a step that fails leaves the file
 * at its old version. Then this kiosk's site, the settings, the page quota
 * and the integrity checks.
 *
 * Every test works in its own scratch directory, removed afterwards.
 */
#include "test.h"

#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "support/fixture.h"
#include "support/rawdb.h"
#include "support/records.h"
#include "store/apps.h"
#include "store/audit.h"
#include "store/confirm.h"
#include "store/internal.h"     /* store_migrations; the connection, for the pragma checks */
#include "store/outbox.h"
#include "store/store.h"

/* ---- scratch directories ---- */

struct scratch {
	char dir[PATH_MAX / 4];
	char db[PATH_MAX / 2];
};

static int setup(void **state)
{
	struct scratch *t = calloc(1, sizeof *t);
	if (t == NULL)
		return -1;
	fixture_tmpdir(t->dir, sizeof t->dir);
	snprintf(t->db, sizeof t->db, "%s/kiosk.db", t->dir);
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

/* dir/name into out. */
static void path_in(const struct scratch *t, const char *name, char out[PATH_MAX])
{
	snprintf(out, PATH_MAX, "%s/%s", t->dir, name);
}

/* db + suffix ("-wal", "-shm") into out. */
static void path_plus(const char *db, const char *suffix, char out[PATH_MAX])
{
	snprintf(out, PATH_MAX, "%s%s", db, suffix);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- raw SQLite, beside the store ---- */

/* Inserts a into the applications table as it was at schema version 1,
 * naming the columns by the fields' codes (which are the column names). */
static void raw_put_app(sqlite3 *db, const tqk_application *a)
{
	char sql[2048];
	size_t n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO applications(reg_no");
	for (int f = 0; f < TQK_F_COUNT; f++)
		n += (size_t)snprintf(sql + n, sizeof sql - n, ", %s",
		                      tqk_field_get_info((tqk_field)f)->code);
	n += (size_t)snprintf(sql + n, sizeof sql - n, ", registration, state, site_message,"
	                      " inst_message, remark, rev, purged) VALUES (?1");
	const int params = 1 + TQK_F_COUNT + 7;
	for (int i = 2; i <= params; i++)
		n += (size_t)snprintf(sql + n, sizeof sql - n, ", ?%d", i);
	snprintf(sql + n, sizeof sql - n, ")");

	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, a->reg_no, -1, SQLITE_TRANSIENT);
	for (int f = 0; f < TQK_F_COUNT; f++) {
		char text[TQK_TEXT_CAP];
		tqk_field_text(a, (tqk_field)f, text, sizeof text);
		sqlite3_bind_text(st, 2 + f, text, -1, SQLITE_TRANSIENT);
	}
	int i = 2 + TQK_F_COUNT;
	sqlite3_bind_int(st, i++, a->registration);
	sqlite3_bind_int(st, i++, a->state);
	sqlite3_bind_text(st, i++, a->site_message, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, i++, a->inst_message, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, i++, a->remark, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, i++, a->rev);
	sqlite3_bind_int(st, i, a->purged);
	if (sqlite3_step(st) != SQLITE_DONE)
		fail_msg("insert %s: %s", a->reg_no, sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

/* ---- comparing records ---- */

/* As assert_app_equal, and byte for byte: both were zeroed before filling,
 * so nothing else may differ. */
static void assert_app_identical(const tqk_application *want, const tqk_application *got)
{
	assert_app_equal(want, got);
	assert_memory_equal(got, want, sizeof *want);
}

static const tqk_site the_site = {FIXTURE_SITE, FIXTURE_KIOSK, "CSX", 2026, 1, 3, 0, 0};

static void assert_site_equal(const tqk_site *want, const tqk_site *got)
{
	assert_string_equal(got->site, want->site);
	assert_string_equal(got->kiosk, want->kiosk);
	assert_string_equal(got->county, want->county);
	assert_int_equal(got->year, want->year);
	assert_int_equal(got->site_no, want->site_no);
	assert_int_equal(got->width, want->width);
	/* 0..0 is set as the whole range of the width. */
	unsigned max = 1;
	for (int i = 0; i < want->width; i++)
		max *= 10;
	bool whole = want->serial_first == 0 && want->serial_last == 0;
	assert_int_equal(got->serial_first, whole ? 1 : want->serial_first);
	assert_int_equal(got->serial_last, whole ? max - 1 : want->serial_last);
}

static tqk_store *open_ok(const char *path, const tqk_store_options *opt)
{
	tqk_store *s = NULL;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	tqk_err err = tqk_store_open(path, opt, &s, detail);
	if (err != TQK_OK)
		fail_msg("open %s: %s (%s)", path, tqk_err_code(err), detail);
	assert_non_null(s);
	return s;
}

static tqk_store *fixture_ok(const char *path, size_t n, int width)
{
	tqk_store *s = NULL;
	assert_int_equal(fixture_store(path, n, width, &s), TQK_OK);
	assert_non_null(s);
	return s;
}

/* Confirms application i of the fixture; the confirmation into *out. */
static void confirm_ok(tqk_store *s, unsigned i, tqk_confirmation *out)
{
	tqk_application a;
	fixture_app(i, FIXTURE_SITE, &a);
	fixture_confirmation(a.reg_no, out);
	tqk_err err = tqk_store_confirm(s, out);
	if (err != TQK_OK)
		fail_msg("confirm %s: %s (%s)", a.reg_no, tqk_err_code(err), tqk_store_detail(s));
}

/* ---- opening ---- */

static void missing_file_is_reported_and_not_created(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = (tqk_store *)&s;     /* must come back NULL */
	char detail[TQK_STORE_DETAIL_CAP] = "";

	assert_int_equal(tqk_store_open(t->db, NULL, &s, detail), TQK_E_STORE_MISSING);
	assert_null(s);
	assert_non_null(strstr(detail, "kiosk.db"));
	assert_false(file_exists(t->db));

	tqk_store_options opt = {.create = false};
	assert_int_equal(tqk_store_open(t->db, &opt, &s, NULL), TQK_E_STORE_MISSING);
	/* A read-only open never creates, even when asked to. */
	opt = (tqk_store_options){.create = true, .readonly = true};
	assert_int_equal(tqk_store_open(t->db, &opt, &s, detail), TQK_E_STORE_MISSING);
	assert_null(s);
	assert_false(file_exists(t->db));

	/* Creating in a directory that does not exist cannot work. */
	char deep[PATH_MAX];
	path_in(t, "no/such/dir/kiosk.db", deep);
	opt = (tqk_store_options){.create = true};
	detail[0] = '\0';
	assert_int_equal(tqk_store_open(deep, &opt, &s, detail), TQK_E_STORE_OPEN);
	assert_null(s);
	assert_true(detail[0] != '\0');
}

static void create_makes_owner_only_files(void **state)
{
	struct scratch *t = *state;
	/* With no umask at all, only the store's own care keeps others out. */
	mode_t old = umask(0);
	tqk_store_options opt = {.create = true};
	tqk_store *s = open_ok(t->db, &opt);
	assert_int_equal(file_mode(t->db), 0600);
	assert_string_equal(tqk_store_detail(s), "");
	assert_int_equal(tqk_store_version(s), TQK_STORE_VERSION);

	/* A write makes SQLite create the WAL and its index. */
	assert_int_equal(tqk_store_site_set(s, &the_site, FIXTURE_NOW), TQK_OK);
	char wal[PATH_MAX], shm[PATH_MAX];
	path_plus(t->db, "-wal", wal);
	path_plus(t->db, "-shm", shm);
	assert_true(file_exists(wal));
	assert_true(file_exists(shm));
	assert_int_equal(file_mode(wal), 0600);
	assert_int_equal(file_mode(shm), 0600);
	tqk_store_free(s);
	umask(old);

	/* It opens again without create, and what was written is there. */
	s = open_ok(t->db, NULL);
	tqk_site got;
	assert_int_equal(tqk_store_site_get(s, &got), TQK_OK);
	assert_site_equal(&the_site, &got);
	tqk_store_free(s);
}

static void existing_loose_file_is_tightened(void **state)
{
	struct scratch *t = *state;
	tqk_store_free(fixture_ok(t->db, 3, 0));
	static const int loose[] = {0644, 0666, 0640, 0604};
	for (size_t i = 0; i < sizeof loose / sizeof loose[0]; i++) {
		assert_int_equal(chmod(t->db, (mode_t)loose[i]), 0);
		tqk_store *s = open_ok(t->db, NULL);
		if (file_mode(t->db) != 0600)
			fail_msg("a %04o store is %04o after open, not 0600", loose[i],
			         file_mode(t->db));
		tqk_application a;
		assert_int_equal(tqk_store_app_get(s, "20260000000002", &a), TQK_OK);
		tqk_store_free(s);
	}
}

/* journal_mode=WAL is stored in the file itself: any later connection,
 * even one that never asked for it, finds the file in WAL mode. Closing
 * the store checkpoints and removes the WAL, which needs every cached
 * statement finalised first. */
static void wal_mode_is_persistent_and_close_checkpoints(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 10, 0);
	char wal[PATH_MAX];
	path_plus(t->db, "-wal", wal);
	assert_true(file_exists(wal));
	/* Use a few cached statements, so that close must finalise them. */
	tqk_application a;
	assert_int_equal(tqk_store_app_get(s, "20260000000007", &a), TQK_OK);
	char cursor[TQK_STORE_CURSOR_CAP];
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	tqk_store_free(s);
	assert_false(file_exists(wal));

	sqlite3 *db = raw_open(t->db, SQLITE_OPEN_READONLY);
	char mode[32];
	raw_db_text(db, "PRAGMA journal_mode", NULL, mode, sizeof mode);
	assert_string_equal(mode, "wal");
	assert_int_equal(raw_db_int(db, "SELECT count(*) FROM applications", NULL), 10);
	sqlite3_close(db);

	/* The header's read and write versions are 2 (WAL). */
	size_t n;
	unsigned char *bytes = file_slurp(t->db, &n);
	assert_true(n >= 100);
	assert_memory_equal(bytes, "SQLite format 3", 16);
	assert_int_equal(bytes[18], 2);
	assert_int_equal(bytes[19], 2);
	free(bytes);
}

/*
 * synchronous, foreign_keys, busy_timeout and the rest are settings of one
 * connection: another connection cannot read them, and the public API has
 * no call that reports them. So this test reaches the store's own
 * connection through internal.h (white-box) and asks it; the tests after
 * it prove what can be seen from outside: the busy timeout makes a writer
 * wait, and synchronous=FULL makes every commit sync the WAL.
 */
static void every_connection_runs_with_the_pragmas(void **state)
{
	struct scratch *t = *state;
	tqk_store_free(fixture_ok(t->db, 2, 0));
	struct {
		tqk_store_options opt;
		int busy;
	} cases[] = {
		{{.create = false}, TQK_STORE_BUSY_MS_DEFAULT},
		{{.busy_ms = 1234}, 1234},
		{{.busy_ms = -5}, TQK_STORE_BUSY_MS_DEFAULT},
		{{.readonly = true, .busy_ms = 77}, 77},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tqk_store *s = open_ok(t->db, &cases[i].opt);
		char mode[32];
		raw_db_text(s->db, "PRAGMA journal_mode", NULL, mode, sizeof mode);
		assert_string_equal(mode, "wal");
		assert_int_equal(raw_db_int(s->db, "PRAGMA synchronous", NULL), 2);     /* FULL */
		assert_int_equal(raw_db_int(s->db, "PRAGMA foreign_keys", NULL), 1);
		assert_int_equal(raw_db_int(s->db, "PRAGMA busy_timeout", NULL), cases[i].busy);
		assert_int_equal(raw_db_int(s->db, "PRAGMA secure_delete", NULL), 1);
		assert_int_equal(raw_db_int(s->db, "PRAGMA trusted_schema", NULL), 0);
		assert_int_equal(raw_db_int(s->db, "PRAGMA cell_size_check", NULL), 1);
		tqk_store_free(s);
	}

	/* Foreign keys are enforced: a correction of no confirmation. */
	tqk_store *s = open_ok(t->db, NULL);
	int rc = sqlite3_exec(s->db, "INSERT INTO corrections(seq, field, old_value, new_value)"
	                             " VALUES (4242, 'school', 'a', 'b')", NULL, NULL, NULL);
	assert_int_equal(rc, SQLITE_CONSTRAINT_FOREIGNKEY);
	assert_int_equal(raw_db_int(s->db, "SELECT count(*) FROM corrections", NULL), 0);
	tqk_store_free(s);
}

struct releaser {
	sqlite3 *db;
	int after_ms;
};

static void *release_later(void *arg)
{
	struct releaser *r = arg;
	usleep((useconds_t)r->after_ms * 1000);
	sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
	return NULL;
}

static void busy_timeout_bounds_the_wait_for_another_writer(void **state)
{
	struct scratch *t = *state;
	tqk_store_free(fixture_ok(t->db, 0, 0));

	tqk_store_options opt = {.busy_ms = 200};
	tqk_store *s = open_ok(t->db, &opt);
	sqlite3 *other = raw_open(t->db, SQLITE_OPEN_READWRITE);
	raw_exec(other, "BEGIN IMMEDIATE");

	double t0 = seconds();
	assert_int_equal(tqk_store_setting_set(s, "plan.start", "2026-05-18"), TQK_E_STORE_BUSY);
	double waited = seconds() - t0;
	if (waited < 0.18 || waited > 3.0)
		fail_msg("waited %.3f s for a 200 ms busy timeout", waited);
	assert_non_null(strstr(tqk_store_detail(s), "locked"));
	char buf[TQK_STORE_SETTING_CAP];
	assert_int_equal(tqk_store_setting_get(s, "plan.start", buf, sizeof buf),
	                 TQK_E_STORE_NOT_FOUND);

	raw_exec(other, "COMMIT");
	assert_int_equal(tqk_store_setting_set(s, "plan.start", "2026-05-18"), TQK_OK);
	tqk_store_free(s);

	/* With the default timeout, a writer that finishes within it is
	 * simply waited for. */
	s = open_ok(t->db, NULL);
	raw_exec(other, "BEGIN IMMEDIATE");
	struct releaser r = {other, 300};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, release_later, &r), 0);
	t0 = seconds();
	assert_int_equal(tqk_store_setting_set(s, "plan.end", "2026-05-29"), TQK_OK);
	waited = seconds() - t0;
	pthread_join(th, NULL);
	if (waited < 0.25 || waited > 4.0)
		fail_msg("waited %.3f s for a writer that held the lock 300 ms", waited);
	assert_int_equal(tqk_store_setting_get(s, "plan.end", buf, sizeof buf), TQK_OK);
	assert_string_equal(buf, "2026-05-29");
	tqk_store_free(s);
	sqlite3_close(other);
}

/* A VFS that is the default one, except that it counts the syncs of WAL
 * files: with synchronous=FULL every commit syncs the WAL before it
 * returns; with NORMAL only checkpoints do. The file objects stay the
 * default VFS's own; only their method table is a copy with xSync
 * replaced. */
static sqlite3_vfs count_vfs;
static sqlite3_vfs *real_vfs;
static int wal_syncs;
static struct {
	const sqlite3_io_methods *real;
	sqlite3_io_methods copy;
} io_copies[4];

static int count_sync(sqlite3_file *f, int flags)
{
	wal_syncs++;
	for (size_t i = 0; i < sizeof io_copies / sizeof io_copies[0]; i++)
		if (f->pMethods == &io_copies[i].copy)
			return io_copies[i].real->xSync(f, flags);
	return SQLITE_IOERR_FSYNC;
}

static int count_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	(void)vfs;
	int rc = real_vfs->xOpen(real_vfs, name, f, flags, out);
	if (rc != SQLITE_OK || f->pMethods == NULL || (flags & SQLITE_OPEN_WAL) == 0)
		return rc;
	for (size_t i = 0; i < sizeof io_copies / sizeof io_copies[0]; i++) {
		if (io_copies[i].real == NULL) {
			io_copies[i].real = f->pMethods;
			io_copies[i].copy = *f->pMethods;
			io_copies[i].copy.xSync = count_sync;
		}
		if (io_copies[i].real == f->pMethods) {
			f->pMethods = &io_copies[i].copy;
			break;
		}
	}
	return rc;
}

static void every_commit_syncs_the_wal(void **state)
{
	struct scratch *t = *state;
	if (real_vfs == NULL) {
		real_vfs = sqlite3_vfs_find(NULL);
		assert_non_null(real_vfs);
		count_vfs = *real_vfs;
		count_vfs.zName = "tqk-count-syncs";
		count_vfs.pNext = NULL;
		count_vfs.xOpen = count_open;
		assert_int_equal(sqlite3_vfs_register(&count_vfs, 0), SQLITE_OK);
	}
	tqk_store_options opt = {.create = true, .vfs = "tqk-count-syncs"};
	tqk_store *s = open_ok(t->db, &opt);
	/* The first write starts the WAL (its header is synced in any mode). */
	assert_int_equal(tqk_store_setting_set(s, "warm", "up"), TQK_OK);
	wal_syncs = 0;
	assert_int_equal(tqk_store_setting_set(s, "plan.start", "2026-05-18"), TQK_OK);
	if (wal_syncs < 1)
		fail_msg("a commit returned without syncing the WAL");

	/* The control: the same write under synchronous=NORMAL syncs nothing,
	 * so the count above is the commit's own. */
	raw_exec(s->db, "PRAGMA synchronous = NORMAL");
	wal_syncs = 0;
	assert_int_equal(tqk_store_setting_set(s, "plan.end", "2026-05-29"), TQK_OK);
	assert_int_equal(wal_syncs, 0);
	tqk_store_free(s);
}

/* Deterministic noise. */
static void noise(unsigned char *buf, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
}

static void not_a_database_is_refused_untouched(void **state)
{
	struct scratch *t = *state;
	unsigned char random[8192];
	noise(random, sizeof random, 7);
	static const char text[] =
		"This is the clerk's shopping list, not a database.\n"
		"1. paper  2. toner  3. archive bags\n";
	char big_text[4096];
	for (size_t i = 0; i < sizeof big_text; i++)
		big_text[i] = text[i % (sizeof text - 1)];
	struct {
		const void *bytes;
		size_t n;
	} files[] = {
		{random, sizeof random},
		{text, sizeof text - 1},
		{big_text, sizeof big_text},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		file_spill(t->db, files[i].bytes, files[i].n);
		tqk_store *s = (tqk_store *)&s;
		char detail[TQK_STORE_DETAIL_CAP] = "";
		tqk_store_options opt = {.create = true};
		tqk_err err = tqk_store_open(t->db, &opt, &s, detail);
		if (err != TQK_E_STORE_CORRUPT && err != TQK_E_STORE_OPEN)
			fail_msg("file %zu: open gave %s", i, tqk_err_code(err));
		assert_null(s);
		if (detail[0] == '\0')
			fail_msg("file %zu: no detail", i);
		/* Refusing a file never writes into it. */
		size_t n;
		unsigned char *after = file_slurp(t->db, &n);
		assert_int_equal(n, files[i].n);
		assert_memory_equal(after, files[i].bytes, n);
		free(after);
	}
}

static void copy_file(const char *from, const char *to)
{
	size_t n;
	unsigned char *bytes = file_slurp(from, &n);
	file_spill(to, bytes, n);
	free(bytes);
}

static void damaged_database_is_corrupt(void **state)
{
	struct scratch *t = *state;
	/* Closing checkpoints the WAL into the file: the copy is all of it. */
	tqk_store_free(fixture_ok(t->db, 400, 0));
	char copy[PATH_MAX], wal[PATH_MAX];
	path_in(t, "copy.db", copy);
	path_plus(t->db, "-wal", wal);
	assert_false(file_exists(wal));
	copy_file(t->db, copy);

	size_t n;
	unsigned char *bytes = file_slurp(copy, &n);
	size_t page = (size_t)bytes[16] << 8 | bytes[17];
	if (page == 1)
		page = 65536;
	assert_true(n >= 20 * page);
	/* Two whole pages in the middle become noise. */
	size_t at = (n / page / 2) * page;
	noise(bytes + at, 2 * page, 99);
	file_spill(copy, bytes, n);
	free(bytes);

	tqk_store *s = (tqk_store *)&s;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	assert_int_equal(tqk_store_open(copy, NULL, &s, detail), TQK_E_STORE_CORRUPT);
	assert_null(s);
	assert_true(detail[0] != '\0');
	assert_string_not_equal(detail, "ok");
	/* Read-only, the same answer. */
	tqk_store_options ro = {.readonly = true};
	detail[0] = '\0';
	assert_int_equal(tqk_store_open(copy, &ro, &s, detail), TQK_E_STORE_CORRUPT);
	assert_true(detail[0] != '\0');

	/* The original, untouched, is fine. */
	s = open_ok(t->db, NULL);
	assert_int_equal(tqk_store_check(s, true), TQK_OK);
	tqk_store_free(s);
}

static void newer_version_is_refused_and_left_alone(void **state)
{
	struct scratch *t = *state;
	tqk_store_free(fixture_ok(t->db, 5, 0));
	sqlite3 *db = raw_open(t->db, SQLITE_OPEN_READWRITE);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", TQK_STORE_VERSION + 1);
	raw_exec(db, sql);
	sqlite3_close(db);

	tqk_store *s = (tqk_store *)&s;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	assert_int_equal(tqk_store_open(t->db, NULL, &s, detail), TQK_E_STORE_VERSION);
	assert_null(s);
	char want[16];
	snprintf(want, sizeof want, "%d", TQK_STORE_VERSION + 1);
	assert_non_null(strstr(detail, want));
	tqk_store_options ro = {.readonly = true};
	assert_int_equal(tqk_store_open(t->db, &ro, &s, NULL), TQK_E_STORE_VERSION);

	assert_int_equal(raw_int(t->db, "PRAGMA user_version", NULL), TQK_STORE_VERSION + 1);
	assert_int_equal(raw_int(t->db, "SELECT count(*) FROM applications", NULL), 5);
}

/* A file at schema version v, built with the migrations' own SQL. */
static sqlite3 *raw_old_store(const char *path, int v)
{
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	/* Test data, not under test: no need to wait for the disk. */
	raw_exec(db, "PRAGMA synchronous = OFF");
	raw_exec(db, "BEGIN");
	for (int i = 0; i < v; i++)
		raw_exec(db, store_migrations[i]);
	char sql[40];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
	raw_exec(db, sql);
	raw_exec(db, "COMMIT");
	return db;
}

static void readonly_open_of_an_old_file_is_readonly(void **state)
{
	struct scratch *t = *state;
	sqlite3 *db = raw_old_store(t->db, 1);
	tqk_application a;
	fixture_app(0, FIXTURE_SITE, &a);
	raw_put_app(db, &a);
	sqlite3_close(db);

	tqk_store *s = (tqk_store *)&s;
	tqk_store_options ro = {.readonly = true};
	assert_int_equal(tqk_store_open(t->db, &ro, &s, NULL), TQK_E_STORE_READONLY);
	assert_null(s);
	assert_int_equal(raw_int(t->db, "PRAGMA user_version", NULL), 1);
	assert_int_equal(raw_int(t->db,
		"SELECT count(*) FROM sqlite_schema WHERE name = 'confirmations'", NULL), 0);

	/* A current file opens read-only: reads work, writes are refused. */
	char current[PATH_MAX];
	path_in(t, "current.db", current);
	tqk_store_free(fixture_ok(current, 2, 0));
	s = open_ok(current, &ro);
	tqk_site site;
	assert_int_equal(tqk_store_site_get(s, &site), TQK_OK);
	assert_int_equal(tqk_store_app_get(s, a.reg_no, &a), TQK_OK);
	assert_int_equal(tqk_store_setting_set(s, "k", "v"), TQK_E_STORE_READONLY);
	assert_true(tqk_store_detail(s)[0] != '\0');
	tqk_store_free(s);
}

static void directory_is_not_a_store(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = (tqk_store *)&s;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	assert_int_equal(tqk_store_open(t->dir, NULL, &s, detail), TQK_E_STORE_OPEN);
	assert_null(s);
	assert_non_null(strstr(detail, "not a regular file"));
	tqk_store_options opt = {.create = true};
	assert_int_equal(tqk_store_open(t->dir, &opt, &s, NULL), TQK_E_STORE_OPEN);
	tqk_store_options ro = {.readonly = true};
	assert_int_equal(tqk_store_open(t->dir, &ro, &s, NULL), TQK_E_STORE_OPEN);
	assert_null(s);
}

static void detail_and_free_accept_null(void **state)
{
	(void)state;
	assert_non_null(tqk_store_detail(NULL));
	assert_string_equal(tqk_store_detail(NULL), "");
	tqk_store_free(NULL);
}

/* ---- migrations ---- */

#define OLD_UUID "2f1c7a3e-9b4d-4c1e-8a2b-5d6e7f8a9b0c"
#define OLD_APPS 6

/* The applications of the older fixtures: fixture apps with a few of the
 * free texts and revisions a real download has. */
static void old_app(unsigned i, tqk_application *a)
{
	fixture_app(i, FIXTURE_SITE, a);
	a->rev = 10 + i;
	if (i == 2)
		snprintf(a->inst_message, sizeof a->inst_message, "请补交学分登记表。");
	if (i == 3) {
		a->state = TQK_ST_NOT_ACCEPTED;
		snprintf(a->remark, sizeof a->remark, "重复报名，已保留报名号20260000000004。");
	}
}

/* Version v with rows in every table that exists at v. */
static void build_version(const char *path, int v)
{
	sqlite3 *db = raw_old_store(path, v);
	if (v >= 1) {
		/* From version 5 on, the site row holds the kiosk's serials, as
		 * tqk_store_site_set writes them: the whole range of the width. */
		raw_exec(db, v >= 5 ? "INSERT INTO site(one, site, kiosk, county, year, site_no, width,"
		                      " serial_first, serial_last)"
		                      " VALUES (1, 'S01', 'K01', 'CSX', 2026, 1, 3, 1, 999)"
		                    : "INSERT INTO site(one, site, kiosk, county, year, site_no, width)"
		                      " VALUES (1, 'S01', 'K01', 'CSX', 2026, 1, 3)");
		raw_exec(db, "INSERT INTO settings(key, value) VALUES ('apps.cursor', 'c-0042'),"
		             " ('plan.end', '2026-05-29')");
		for (unsigned i = 0; i < OLD_APPS; i++) {
			tqk_application a;
			old_app(i, &a);
			if (v >= 2 && i == 0) {
				/* Confirmed at the counter, the school corrected. */
				a.state = TQK_ST_CONFIRMED;
				snprintf(a.school, sizeof a.school, "长沙县星沙实验小学");
				snprintf(a.site_message, sizeof a.site_message, "材料齐全，请等待审批。");
			}
			raw_put_app(db, &a);
		}
	}
	if (v >= 2) {
		raw_exec(db,
			"INSERT INTO confirmations(seq, uuid, supersedes, reg_no, site, kiosk, clerk,"
			" marks, police_required, conclusion, remark, message, archive_no, serial, at,"
			" time_source) VALUES (1, '" OLD_UUID "', NULL, '20260000000000', 'S01', 'K01',"
			" 'C007', '11111111131', 0, 'complete', '', '材料齐全，请等待审批。',"
			" 'CSX202601001', 1, 1779240665, 'server');"
			"INSERT INTO corrections(seq, field, old_value, new_value)"
			" VALUES (1, 'school', '长沙县第1小学', '长沙县星沙实验小学');"
			"INSERT INTO serials(site, next) VALUES ('S01', 2);"
			/* Left "sending" by a crash. */
			"INSERT INTO outbox(uuid, kind, payload, state, attempts, created, next_attempt)"
			" VALUES ('" OLD_UUID "', 'confirmation', '{\"uuid\":\"" OLD_UUID "\"}', 1, 1,"
			" 1779240665, 1779240665);");
	}
	sqlite3_close(db);
}

/* sqlite_schema as one text, for comparing two files' schemas. */
static void schema_of(const char *path, char *buf, size_t cap)
{
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READONLY);
	raw_db_text(db, "SELECT group_concat(type || ' ' || name || ' ' || tbl_name || ' ' ||"
	                " ifnull(sql, ''), char(10)) FROM (SELECT * FROM sqlite_schema"
	                " ORDER BY type, name)", NULL, buf, cap);
	sqlite3_close(db);
}

static void migrates_from_every_older_version(void **state)
{
	struct scratch *t = *state;
	char fresh[PATH_MAX];
	path_in(t, "fresh.db", fresh);
	tqk_store_free(fixture_ok(fresh, 0, 0));
	static char want_schema[16384], got_schema[16384];
	schema_of(fresh, want_schema, sizeof want_schema);
	assert_non_null(strstr(want_schema, "applications_name"));

	for (int v = 0; v < TQK_STORE_VERSION; v++) {
		char path[PATH_MAX], name[32];
		snprintf(name, sizeof name, "v%d.db", v);
		path_in(t, name, path);
		build_version(path, v);
		assert_int_equal(raw_int(path, "PRAGMA user_version", NULL), v);

		tqk_store *s = NULL;
		char detail[TQK_STORE_DETAIL_CAP] = "";
		tqk_err err = tqk_store_open(path, NULL, &s, detail);
		if (err != TQK_OK)
			fail_msg("from version %d: %s (%s)", v, tqk_err_code(err), detail);
		assert_int_equal(tqk_store_version(s), TQK_STORE_VERSION);
		assert_int_equal(tqk_store_check(s, true), TQK_OK);

		tqk_site site;
		if (v == 0) {
			assert_int_equal(tqk_store_site_get(s, &site), TQK_E_STORE_NOT_SETUP);
			assert_int_equal(tqk_store_site_set(s, &the_site, FIXTURE_NOW), TQK_OK);
			tqk_application apps[OLD_APPS];
			for (unsigned i = 0; i < OLD_APPS; i++)
				old_app(i, &apps[i]);
			tqk_import_stats stats;
			assert_int_equal(tqk_store_apps_put(s, apps, OLD_APPS, "c-0042", FIXTURE_NOW,
			                                    &stats, NULL), TQK_OK);
			assert_int_equal(stats.inserted, OLD_APPS);
			assert_int_equal(tqk_store_setting_set(s, "plan.end", "2026-05-29"), TQK_OK);
		}
		assert_int_equal(tqk_store_site_get(s, &site), TQK_OK);
		assert_site_equal(&the_site, &site);
		char value[TQK_STORE_SETTING_CAP];
		assert_int_equal(tqk_store_apps_cursor(s, value), TQK_OK);
		assert_string_equal(value, "c-0042");
		assert_int_equal(tqk_store_setting_get(s, "plan.end", value, sizeof value), TQK_OK);
		assert_string_equal(value, "2026-05-29");

		/* Every application, every field. */
		for (unsigned i = 0; i < OLD_APPS; i++) {
			tqk_application want, got;
			old_app(i, &want);
			if (v >= 2 && i == 0) {
				want.state = TQK_ST_CONFIRMED;
				snprintf(want.school, sizeof want.school, "长沙县星沙实验小学");
				snprintf(want.site_message, sizeof want.site_message,
				         "材料齐全，请等待审批。");
			}
			assert_int_equal(tqk_store_app_get(s, want.reg_no, &got), TQK_OK);
			assert_app_identical(&want, &got);
		}

		const char *next_archive = "CSX202601001";
		if (v >= 2) {
			tqk_confirmation c;
			assert_int_equal(tqk_store_confirmation_get(s, OLD_UUID, &c), TQK_OK);
			assert_string_equal(c.uuid, OLD_UUID);
			assert_string_equal(c.supersedes, "");
			assert_string_equal(c.reg_no, "20260000000000");
			assert_string_equal(c.site, "S01");
			assert_string_equal(c.kiosk, "K01");
			assert_string_equal(c.clerk, "C007");
			for (int m = 0; m < TQK_MAT_COUNT; m++)
				assert_int_equal(c.marks.mark[m],
				                 m == TQK_MAT_POLICE ? TQK_MARK_NA : TQK_MARK_HAS);
			assert_false(c.police_required);
			assert_int_equal(c.conclusion, TQK_CONC_COMPLETE);
			assert_string_equal(c.message, "材料齐全，请等待审批。");
			assert_string_equal(c.archive_no, "CSX202601001");
			assert_int_equal(c.at, FIXTURE_NOW);
			assert_int_equal(c.time_source, TQK_TIME_SERVER);
			assert_int_equal(c.n_corrections, 1);
			assert_int_equal(c.corrections[0].field, TQK_F_SCHOOL);
			assert_string_equal(c.corrections[0].old_value, "长沙县第1小学");
			assert_string_equal(c.corrections[0].new_value, "长沙县星沙实验小学");
			tqk_confirmation cur;
			assert_int_equal(tqk_store_confirmation_current(s, "20260000000000", &cur),
			                 TQK_OK);
			assert_string_equal(cur.uuid, OLD_UUID);

			/* The queue row survived as it was: an upload in flight
			 * (its lease runs out on its own). */
			tqk_outbox_item it;
			assert_int_equal(tqk_store_outbox_get(s, OLD_UUID, &it), TQK_OK);
			assert_int_equal(it.state, TQK_OUTBOX_SENDING);
			assert_int_equal(it.attempts, 1);
			assert_string_equal(it.kind, "confirmation");
			assert_string_equal(it.payload, "{\"uuid\":\"" OLD_UUID "\"}");
			tqk_outbox_item_clear(&it);
			next_archive = "CSX202601002";
		}

		/* The program works on the migrated file: a new confirmation
		 * commits, with the next archive serial. */
		tqk_application a1;
		fixture_app(1, FIXTURE_SITE, &a1);
		tqk_confirmation c;
		fixture_confirmation(a1.reg_no, &c);
		err = tqk_store_confirm(s, &c);
		if (err != TQK_OK)
			fail_msg("from version %d, a new confirmation: %s", v, tqk_err_code(err));
		assert_string_equal(c.archive_no, next_archive);
		tqk_confirmation back;
		assert_int_equal(tqk_store_confirmation_get(s, c.uuid, &back), TQK_OK);
		assert_string_equal(back.archive_no, next_archive);
		tqk_audit_report rep;
		assert_int_equal(tqk_store_audit_verify(s, &rep), TQK_OK);
		assert_true(rep.rows >= 1);
		tqk_store_free(s);

		/* The same schema as a store created new. */
		schema_of(path, got_schema, sizeof got_schema);
		if (strcmp(got_schema, want_schema) != 0)
			fail_msg("from version %d the schema differs:\n%s\n---- fresh:\n%s", v,
			         got_schema, want_schema);
	}
}

/* A file at version 1 that already has a table v2 wants to create: the
 * step fails, and everything it did before failing is rolled back. */
static void failed_migration_leaves_the_old_version(void **state)
{
	struct scratch *t = *state;
	/* confirmations is the first table version 2 creates, audit the last. */
	static const char *const clash[] = {"confirmations", "audit"};
	for (size_t k = 0; k < sizeof clash / sizeof clash[0]; k++) {
		char path[PATH_MAX], name[32];
		snprintf(name, sizeof name, "clash-%s.db", clash[k]);
		path_in(t, name, path);
		build_version(path, 1);
		sqlite3 *db = raw_open(path, SQLITE_OPEN_READWRITE);
		char sql[128];
		snprintf(sql, sizeof sql, "CREATE TABLE %s(note TEXT); INSERT INTO %s VALUES ('mine')",
		         clash[k], clash[k]);
		raw_exec(db, sql);
		sqlite3_close(db);

		for (int attempt = 0; attempt < 2; attempt++) {
			tqk_store *s = (tqk_store *)&s;
			char detail[TQK_STORE_DETAIL_CAP] = "";
			tqk_err err = tqk_store_open(path, NULL, &s, detail);
			assert_int_equal(err, TQK_E_STORE_INTERNAL);
			assert_null(s);
			assert_non_null(strstr(detail, "already exists"));
		}

		db = raw_open(path, SQLITE_OPEN_READONLY);
		assert_int_equal(raw_db_int(db, "PRAGMA user_version", NULL), 1);
		assert_int_equal(raw_db_int(db, "SELECT count(*) FROM applications", NULL),
		                 OLD_APPS);
		assert_int_equal(raw_db_int(db, "SELECT count(*) FROM site", NULL), 1);
		/* Nothing of version 2 is left behind, and the clashing table
		 * is as it was. */
		static const char *const v2_tables[] = {"confirmations", "corrections", "serials",
		                                        "outbox", "audit"};
		for (size_t i = 0; i < sizeof v2_tables / sizeof v2_tables[0]; i++) {
			if (strcmp(v2_tables[i], clash[k]) == 0)
				continue;
			snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_schema WHERE name = '%s'",
			         v2_tables[i]);
			if (raw_db_int(db, sql, NULL) != 0)
				fail_msg("clash on %s: table %s was left behind", clash[k], v2_tables[i]);
		}
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE note = 'mine'", clash[k]);
		assert_int_equal(raw_db_int(db, sql, NULL), 1);
		sqlite3_close(db);

		/* The rows are intact, every field. */
		db = raw_open(path, SQLITE_OPEN_READWRITE);
		snprintf(sql, sizeof sql, "DROP TABLE %s", clash[k]);
		raw_exec(db, sql);
		sqlite3_close(db);
		tqk_store *s = open_ok(path, NULL);
		for (unsigned i = 0; i < OLD_APPS; i++) {
			tqk_application want, got;
			old_app(i, &want);
			assert_int_equal(tqk_store_app_get(s, want.reg_no, &got), TQK_OK);
			assert_app_identical(&want, &got);
		}
		tqk_store_free(s);
	}
}

/* ---- this kiosk's site ---- */

static void site_before_setup_is_not_setup(void **state)
{
	struct scratch *t = *state;
	tqk_store_options opt = {.create = true};
	tqk_store *s = open_ok(t->db, &opt);
	tqk_site got;
	assert_int_equal(tqk_store_site_get(s, &got), TQK_E_STORE_NOT_SETUP);
	/* Nothing that needs the site works without it. */
	tqk_page *page = malloc(sizeof *page);
	assert_non_null(page);
	assert_int_equal(tqk_store_page(s, TQK_ST_NONE, NULL, NULL, page), TQK_E_STORE_NOT_SETUP);
	free(page);
	tqk_confirmation c;
	fixture_confirmation("20260000000000", &c);
	assert_int_equal(tqk_store_confirm(s, &c), TQK_E_STORE_NOT_SETUP);
	tqk_store_free(s);
}

static void site_round_trip(void **state)
{
	struct scratch *t = *state;
	tqk_store_options opt = {.create = true};
	tqk_store *s = open_ok(t->db, &opt);
	tqk_site got;
	assert_int_equal(tqk_store_site_set(s, &the_site, FIXTURE_NOW), TQK_OK);
	assert_int_equal(tqk_store_site_get(s, &got), TQK_OK);
	assert_site_equal(&the_site, &got);

	/* Before any confirmation everything may change, to the limits. */
	tqk_site other = {"X-9_site", "kiosk-2", "ZZZZZZ", 9999, 99, 6, 0, 0};
	assert_int_equal(tqk_store_site_set(s, &other, FIXTURE_NOW + 60), TQK_OK);
	assert_int_equal(tqk_store_site_get(s, &got), TQK_OK);
	assert_site_equal(&other, &got);
	tqk_site low = {"S", "K", "AB", 1993, 1, 1, 0, 0};
	assert_int_equal(tqk_store_site_set(s, &low, FIXTURE_NOW + 120), TQK_OK);
	assert_int_equal(tqk_store_site_get(s, &got), TQK_OK);
	assert_site_equal(&low, &got);

	/* Each change is audited, and the chain holds. */
	tqk_audit_report rep;
	assert_int_equal(tqk_store_audit_verify(s, &rep), TQK_OK);
	assert_int_equal(rep.rows, 3);
	assert_int_equal(raw_db_int(s->db, "SELECT count(*) FROM audit WHERE action = 'site.set'"
	                                   " AND actor = 'admin'", NULL), 3);
	tqk_store_free(s);

	/* And it is in the file. */
	s = open_ok(t->db, NULL);
	assert_int_equal(tqk_store_site_get(s, &got), TQK_OK);
	assert_site_equal(&low, &got);
	tqk_store_free(s);
}

static void site_invalid_values_are_refused(void **state)
{
	struct scratch *t = *state;
	tqk_store_options opt = {.create = true};
	tqk_store *s = open_ok(t->db, &opt);
	assert_int_equal(tqk_store_site_set(s, &the_site, FIXTURE_NOW), TQK_OK);

	struct {
		tqk_site site;
		tqk_err want;
	} bad[] = {
		{{"", "K01", "CSX", 2026, 1, 3, 0, 0}, TQK_E_FIELD_VALUE},
		{{"S 01", "K01", "CSX", 2026, 1, 3, 0, 0}, TQK_E_FIELD_VALUE},
		{{"S01", "", "CSX", 2026, 1, 3, 0, 0}, TQK_E_FIELD_VALUE},
		{{"S01", "K/1", "CSX", 2026, 1, 3, 0, 0}, TQK_E_FIELD_VALUE},
		{{"S01", "K01", "", 2026, 1, 3, 0, 0}, TQK_E_ARCHIVE_COUNTY},
		{{"S01", "K01", "C", 2026, 1, 3, 0, 0}, TQK_E_ARCHIVE_COUNTY},
		{{"S01", "K01", "csx", 2026, 1, 3, 0, 0}, TQK_E_ARCHIVE_COUNTY},
		{{"S01", "K01", "CS1", 2026, 1, 3, 0, 0}, TQK_E_ARCHIVE_COUNTY},
		{{"S01", "K01", "CSX", 1992, 1, 3, 0, 0}, TQK_E_ARCHIVE_YEAR},
		{{"S01", "K01", "CSX", 10000, 1, 3, 0, 0}, TQK_E_ARCHIVE_YEAR},
		{{"S01", "K01", "CSX", 2026, 0, 3, 0, 0}, TQK_E_ARCHIVE_SITE},
		{{"S01", "K01", "CSX", 2026, 100, 3, 0, 0}, TQK_E_ARCHIVE_SITE},
		{{"S01", "K01", "CSX", 2026, -1, 3, 0, 0}, TQK_E_ARCHIVE_SITE},
		{{"S01", "K01", "CSX", 2026, 1, 0, 0, 0}, TQK_E_ARCHIVE_WIDTH},
		{{"S01", "K01", "CSX", 2026, 1, 7, 0, 0}, TQK_E_ARCHIVE_WIDTH},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_err err = tqk_store_site_set(s, &bad[i].site, FIXTURE_NOW);
		if (err != bad[i].want)
			fail_msg("case %zu: %s, not %s", i, tqk_err_code(err), tqk_err_code(bad[i].want));
	}
	/* A county that fills its array with no terminator (seven letters). */
	tqk_site longer = the_site;
	memset(longer.county, 'C', sizeof longer.county);
	assert_int_equal(tqk_store_site_set(s, &longer, FIXTURE_NOW), TQK_E_ARCHIVE_COUNTY);

	/* None of them changed anything. */
	tqk_site got;
	assert_int_equal(tqk_store_site_get(s, &got), TQK_OK);
	assert_site_equal(&the_site, &got);
	tqk_audit_report rep;
	assert_int_equal(tqk_store_audit_verify(s, &rep), TQK_OK);
	assert_int_equal(rep.rows, 1);
	tqk_store_free(s);
}

static void site_is_fixed_once_a_bag_is_numbered(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 4, 0);
	tqk_confirmation c;
	confirm_ok(s, 0, &c);
	assert_string_equal(c.archive_no, "CSX202601001");

	struct {
		tqk_site site;
		const char *what;
	} fixed[] = {
		{{"S02", "K01", "CSX", 2026, 1, 3, 0, 0}, "site"},
		{{"S01", "K01", "CSY", 2026, 1, 3, 0, 0}, "county"},
		{{"S01", "K01", "CSX", 2027, 1, 3, 0, 0}, "year"},
		{{"S01", "K01", "CSX", 2026, 2, 3, 0, 0}, "site number"},
		{{"S01", "K01", "CSX", 2026, 1, 2, 0, 0}, "a narrower serial"},
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		tqk_err err = tqk_store_site_set(s, &fixed[i].site, FIXTURE_NOW);
		if (err != TQK_E_STORE_SITE)
			fail_msg("changing the %s after a confirmation: %s", fixed[i].what,
			         tqk_err_code(err));
		tqk_site got;
		assert_int_equal(tqk_store_site_get(s, &got), TQK_OK);
		assert_site_equal(&the_site, &got);
	}

	/* The kiosk id may change, and the serial may widen. */
	tqk_site next = {"S01", "K02", "CSX", 2026, 1, 4, 0, 0};
	assert_int_equal(tqk_store_site_set(s, &next, FIXTURE_NOW + 60), TQK_OK);
	tqk_site got;
	assert_int_equal(tqk_store_site_get(s, &got), TQK_OK);
	assert_site_equal(&next, &got);
	confirm_ok(s, 1, &c);
	assert_string_equal(c.archive_no, "CSX2026010002");
	assert_string_equal(c.kiosk, "K02");
	/* Narrowing back is not allowed: 4 digits are on a bag now. */
	next.width = 3;
	assert_int_equal(tqk_store_site_set(s, &next, FIXTURE_NOW), TQK_E_STORE_SITE);
	tqk_store_free(s);
}

/* ---- settings ---- */

static void settings_round_trip_and_limits(void **state)
{
	struct scratch *t = *state;
	tqk_store_options opt = {.create = true};
	tqk_store *s = open_ok(t->db, &opt);
	char buf[TQK_STORE_SETTING_CAP];

	assert_int_equal(tqk_store_setting_get(s, "plan.start", buf, sizeof buf),
	                 TQK_E_STORE_NOT_FOUND);
	assert_int_equal(tqk_store_setting_set(s, "plan.start", "2026-05-18"), TQK_OK);
	assert_int_equal(tqk_store_setting_get(s, "plan.start", buf, sizeof buf), TQK_OK);
	assert_string_equal(buf, "2026-05-18");
	assert_int_equal(tqk_store_setting_set(s, "plan.start", "2026-05-19"), TQK_OK);
	assert_int_equal(tqk_store_setting_get(s, "plan.start", buf, sizeof buf), TQK_OK);
	assert_string_equal(buf, "2026-05-19");
	assert_int_equal(tqk_store_setting_set(s, "empty", ""), TQK_OK);
	assert_int_equal(tqk_store_setting_get(s, "empty", buf, sizeof buf), TQK_OK);
	assert_string_equal(buf, "");
	assert_int_equal(tqk_store_setting_set(s, "站点名称", "星沙街道确认点"), TQK_OK);
	assert_int_equal(tqk_store_setting_get(s, "站点名称", buf, sizeof buf), TQK_OK);
	assert_string_equal(buf, "星沙街道确认点");
	/* Keys are exact. */
	assert_int_equal(tqk_store_setting_get(s, "plan.star", buf, sizeof buf),
	                 TQK_E_STORE_NOT_FOUND);

	/* 256 bytes is the most, for keys and values. */
	char longest[TQK_STORE_SETTING_CAP], too_long[TQK_STORE_SETTING_CAP + 1];
	memset(longest, 'v', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	memset(too_long, 'w', sizeof too_long - 1);
	too_long[sizeof too_long - 1] = '\0';
	assert_int_equal(tqk_store_setting_set(s, "long", longest), TQK_OK);
	assert_int_equal(tqk_store_setting_get(s, "long", buf, sizeof buf), TQK_OK);
	assert_string_equal(buf, longest);
	assert_int_equal(tqk_store_setting_set(s, "long", too_long), TQK_E_TOO_LONG);
	assert_int_equal(tqk_store_setting_get(s, "long", buf, sizeof buf), TQK_OK);
	assert_string_equal(buf, longest);
	assert_int_equal(tqk_store_setting_set(s, longest, "x"), TQK_OK);
	assert_int_equal(tqk_store_setting_get(s, longest, buf, sizeof buf), TQK_OK);
	assert_string_equal(buf, "x");
	assert_int_equal(tqk_store_setting_set(s, too_long, "x"), TQK_E_TOO_LONG);
	assert_int_equal(tqk_store_setting_get(s, too_long, buf, sizeof buf), TQK_E_STORE_NOT_FOUND);

	/* A buffer too small for the value is an error, not a silent cut. */
	char small[10] = "unchanged";
	assert_int_equal(tqk_store_setting_get(s, "plan.start", small, sizeof small), TQK_E_TOO_LONG);
	char exact[11];
	assert_int_equal(tqk_store_setting_get(s, "plan.start", exact, sizeof exact), TQK_OK);
	assert_string_equal(exact, "2026-05-19");
	tqk_store_free(s);

	s = open_ok(t->db, NULL);
	assert_int_equal(tqk_store_setting_get(s, "plan.start", buf, sizeof buf), TQK_OK);
	assert_string_equal(buf, "2026-05-19");
	tqk_store_free(s);
}

/* ---- the page quota and the checks ---- */

static void page_limit_caps_the_file(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 20, 0);
	long cap = 0;
	assert_int_equal(tqk_store_limit_pages(s, 100000, &cap), TQK_OK);
	assert_int_equal(cap, 100000);

	/* Never below the current size: asking for 1 (or 0) gives the size. */
	long size = 0;
	assert_int_equal(tqk_store_limit_pages(s, 1, &size), TQK_OK);
	assert_int_equal(size, raw_db_int(s->db, "PRAGMA page_count", NULL));
	assert_true(size > 1);
	assert_int_equal(tqk_store_limit_pages(s, 0, &cap), TQK_OK);
	assert_int_equal(cap, size);

	/* At the cap, a big import fails cleanly as a full disk would. */
	enum { N = 600 };
	tqk_application *apps = calloc(N, sizeof *apps);
	assert_non_null(apps);
	for (unsigned i = 0; i < N; i++)
		fixture_app(1000 + i, FIXTURE_SITE, &apps[i]);
	tqk_import_stats stats;
	assert_int_equal(tqk_store_apps_put(s, apps, N, "c-1", FIXTURE_NOW, &stats, NULL),
	                 TQK_E_STORE_FULL);
	assert_int_equal(stats.inserted, 0);
	assert_true(tqk_store_detail(s)[0] != '\0');
	tqk_application a;
	assert_int_equal(tqk_store_app_get(s, apps[0].reg_no, &a), TQK_E_STORE_NOT_FOUND);
	char cursor[TQK_STORE_CURSOR_CAP];
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	assert_string_equal(cursor, "");

	/* Room again: the same import goes through. */
	assert_int_equal(tqk_store_limit_pages(s, 100000, &cap), TQK_OK);
	assert_int_equal(tqk_store_apps_put(s, apps, N, "c-1", FIXTURE_NOW, &stats, NULL), TQK_OK);
	assert_int_equal(stats.inserted, N);
	free(apps);
	assert_int_equal(tqk_store_check(s, true), TQK_OK);
	tqk_store_free(s);
}

static void checks_pass_on_a_good_store(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 300, 0);
	tqk_confirmation c;
	confirm_ok(s, 5, &c);
	assert_int_equal(tqk_store_check(s, false), TQK_OK);
	assert_int_equal(tqk_store_check(s, true), TQK_OK);
	assert_string_equal(tqk_store_detail(s), "");
	tqk_store_free(s);
}

/* The counts follow what is stored; an idle-time checkpoint empties the WAL
 * into the file, and the commit path alone never checkpoints below the
 * backstop. */
static void counts_and_checkpoint(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = fixture_ok(t->db, 300, 0);
	tqk_store_counts n;
	assert_int_equal(tqk_store_count(s, &n), TQK_OK);
	assert_int_equal(n.applications, 300);
	assert_int_equal(n.purged, 0);
	assert_int_equal(n.confirmations, 0);
	tqk_confirmation c;
	confirm_ok(s, 5, &c);
	assert_int_equal(tqk_store_count(s, &n), TQK_OK);
	assert_int_equal(n.confirmations, 1);

	/* Commits leave checkpoints to idle time (up to the backstop)... */
	assert_int_equal(raw_db_int(s->db, "PRAGMA wal_autocheckpoint", NULL),
	                 TQK_STORE_WAL_BACKSTOP);
	/* ...so the file itself has not changed yet; the idle-time checkpoint
	 * writes the committed pages into it, every frame of the WAL. */
	size_t n0, n1;
	unsigned char *before = file_slurp(t->db, &n0);
	assert_int_equal(tqk_store_checkpoint(s), TQK_OK);
	unsigned char *after = file_slurp(t->db, &n1);
	assert_true(n0 != n1 || memcmp(before, after, n0) != 0);
	free(before);
	free(after);
	int log = -1, done = -1;
	assert_int_equal(sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
	                                           &done), SQLITE_OK);
	assert_true(log > 0);
	assert_int_equal(done, log);

	/* Read-only stores have nothing to checkpoint and say so quietly. */
	tqk_store_free(s);
	tqk_store_options ro = {.readonly = true};
	s = open_ok(t->db, &ro);
	assert_int_equal(tqk_store_checkpoint(s), TQK_OK);
	assert_int_equal(tqk_store_count(s, &n), TQK_OK);
	assert_int_equal(n.confirmations, 1);
	tqk_store_free(s);
}

/* Fresh uuids are valid and differ. */
static void new_uuids_are_valid_and_distinct(void **state)
{
	(void)state;
	char a[TQK_UUID_CAP], b[TQK_UUID_CAP];
	tqk_store_new_uuid(a);
	tqk_store_new_uuid(b);
	assert_true(tqk_uuid_valid(a));
	assert_true(tqk_uuid_valid(b));
	assert_string_not_equal(a, b);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(missing_file_is_reported_and_not_created),
		T(create_makes_owner_only_files),
		T(existing_loose_file_is_tightened),
		T(wal_mode_is_persistent_and_close_checkpoints),
		T(every_connection_runs_with_the_pragmas),
		T(busy_timeout_bounds_the_wait_for_another_writer),
		T(every_commit_syncs_the_wal),
		T(not_a_database_is_refused_untouched),
		T(damaged_database_is_corrupt),
		T(newer_version_is_refused_and_left_alone),
		T(readonly_open_of_an_old_file_is_readonly),
		T(directory_is_not_a_store),
		T(detail_and_free_accept_null),
		T(migrates_from_every_older_version),
		T(failed_migration_leaves_the_old_version),
		T(site_before_setup_is_not_setup),
		T(site_round_trip),
		T(site_invalid_values_are_refused),
		T(site_is_fixed_once_a_bag_is_numbered),
		T(settings_round_trip_and_limits),
		T(page_limit_caps_the_file),
		T(checks_pass_on_a_good_store),
		T(counts_and_checkpoint),
		T(new_uuids_are_valid_and_distinct),
	};
	return cmocka_run_group_tests_name("store_open", tests, NULL, NULL);
}
