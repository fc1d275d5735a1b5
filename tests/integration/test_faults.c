/*
 * test_faults.c - the store when the disk says no: full (the page cap),
 * failing writes, failing fsyncs, another writer holding the lock, and a
 * read-only store.
 *
 * Every failed tqk_store_confirm must return a store error naming the cause
 * and leave the file whole: integrity_check passes, the audit chain
 * verifies, and the confirmation is there entirely (record, application
 * state, serial, outbox row, audit row) or not at all. Retrying the same
 * confirmation (same uuid) then commits it exactly once, on the next serial.
 *
 * What an error return means, as the fault VFS (tests/support/faultvfs.h)
 * shows it with SQLite's WAL and synchronous=FULL, for each failing call of
 * one tqk_store_confirm, one at a time:
 *
 *  - TQK_OK: the confirmation is there after any reopening.
 *  - An error after a failed write (I/O error or disk full): the
 *    confirmation is absent after reopening, whether the process closed the
 *    store or died right after the error. A commit's frames reach the WAL
 *    before its commit mark, so a write that fails leaves no commit mark.
 *  - An error after a failed fsync: absent while the process lives, and after
 *    it closes the store (closing checkpoints what the WAL index knows and
 *    deletes the WAL). But when the failed fsync is the one at COMMIT, the
 *    frames and their commit mark are in the WAL file already, and only the
 *    WAL index update was skipped. If the process dies before it commits
 *    anything else (reads do not count), the next open rebuilds the index
 *    from the file and the confirmation is back, whole, with the serial it
 *    was given. A later commit writes over those frames, and then it stays
 *    away. So an I/O error from tqk_store_confirm means "not committed,
 *    unless the process dies before its next commit", and the caller keeps
 *    the uuid and retries with the same struct: the retry commits it, or
 *    finds it stored and answers TQK_OK with the stored record. It is never
 *    duplicated: the uuid is unique, and the application shows as
 *    confirmed. (A real failed fsync promises even less: the kernel may or
 *    may not have written the pages.)
 *  - Checkpoints are not part of a commit (tqk_store_checkpoint runs them
 *    when the counter is idle): a write or fsync that fails in one is
 *    reported by that call, and nothing committed is lost.
 */
#define _GNU_SOURCE  /* pipe2 */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/apps.h"
#include "store/audit.h"
#include "store/confirm.h"
#include "support/faultvfs.h"
#include "support/fixture.h"
#include "support/rawdb.h"

#define APPS 600
#define WIDTH 4

struct env {
	char dir[256];
	char path[300];
	unsigned next_app;      /* the next unconfirmed application */
	unsigned next_uuid;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (e == NULL || faultvfs_register() != SQLITE_OK)
		return -1;
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/store.db", e->dir);
	tqk_store *s = NULL;
	tqk_err err = fixture_store(e->path, APPS, WIDTH, &s);
	tqk_store_free(s);
	if (err != TQK_OK) {
		fprintf(stderr, "fixture_store: %s\n", tqk_err_code(err));
		return -1;
	}
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	faultvfs_disarm();
	fixture_rmdir(e->dir);
	free(e);
	return 0;
}

/* ---- helpers ---- */

static int64_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static tqk_store *open_store(const struct env *e, const char *vfs, bool readonly, int busy_ms)
{
	tqk_store_options opt = {.readonly = readonly, .busy_ms = busy_ms, .vfs = vfs};
	tqk_store *s = NULL;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	tqk_err err = tqk_store_open(e->path, &opt, &s, detail);
	if (err != TQK_OK)
		fail_msg("open: %s (%s)", tqk_err_code(err), detail);
	return s;
}

/* A complete confirmation of the next application, with a uuid of our own
 * so that it can be looked for after a failure. */
static void next_confirmation(struct env *e, tqk_confirmation *c)
{
	tqk_application a;
	fixture_app(e->next_app++, FIXTURE_SITE, &a);
	fixture_confirmation(a.reg_no, c);
	uint8_t b[16] = {0xfa, 0x17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	unsigned n = ++e->next_uuid;
	b[12] = (uint8_t)(n >> 24), b[13] = (uint8_t)(n >> 16), b[14] = (uint8_t)(n >> 8);
	b[15] = (uint8_t)n;
	tqk_uuid_format(b, c->uuid);
}

/* Everything a confirmation adds to, read on a connection of its own. */
struct counts {
	long long conf, outbox, audit, corrections, serial_next, serial_max, confirmed_apps;
};

static void counts_read(const struct env *e, struct counts *out)
{
	sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READONLY);
	out->conf = raw_db_count(db, "SELECT count(*) FROM confirmations", NULL);
	out->outbox = raw_db_count(db, "SELECT count(*) FROM outbox", NULL);
	out->audit = raw_db_count(db, "SELECT count(*) FROM audit", NULL);
	out->corrections = raw_db_count(db, "SELECT count(*) FROM corrections", NULL);
	out->serial_next = raw_db_count(db, "SELECT next FROM serials", NULL);
	out->serial_max = raw_db_count(db, "SELECT ifnull(max(serial), 0) FROM confirmations",
	                               NULL);
	out->confirmed_apps = raw_db_count(db, "SELECT count(*) FROM applications WHERE state <> 1",
	                                   NULL);
	sqlite3_close(db);
}

static void counts_equal(const struct counts *a, const struct counts *b, const char *when)
{
	if (memcmp(a, b, sizeof *a) != 0)
		fail_msg("%s: confirmations %lld/%lld, outbox %lld/%lld, audit %lld/%lld, corrections"
		         " %lld/%lld, next serial %lld/%lld, confirmed applications %lld/%lld", when,
		         a->conf, b->conf, a->outbox, b->outbox, a->audit, b->audit, a->corrections,
		         b->corrections, a->serial_next, b->serial_next, a->confirmed_apps,
		         b->confirmed_apps);
}

/* One more confirmation than before, on the next serial. */
static void counts_one_more(const struct counts *before, const char *when, const struct env *e)
{
	struct counts want = *before, got;
	want.conf++, want.outbox++, want.audit++, want.confirmed_apps++;
	want.serial_next++, want.serial_max++;
	counts_read(e, &got);
	counts_equal(&got, &want, when);
}

/*
 * Whether c is in the store: false when no part of it is, true when all of
 * it is (record, outbox row, audit row, application state); fails the test
 * when only a part is.
 */
static bool present(const struct env *e, const tqk_confirmation *c)
{
	sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READONLY);
	const char *uuid = c->uuid;
	long long rec = raw_db_count(db, "SELECT count(*) FROM confirmations WHERE uuid = ?1",
	                             uuid);
	long long out = raw_db_count(db, "SELECT count(*) FROM outbox WHERE uuid = ?1", uuid);
	long long aud = raw_db_count(db, "SELECT count(*) FROM audit WHERE subject = ?1", uuid);
	long long state = raw_db_count(db, "SELECT state FROM applications WHERE reg_no = ?1",
	                               c->reg_no);
	long long serial = raw_db_count(db, "SELECT ifnull((SELECT serial FROM confirmations"
	                                " WHERE uuid = ?1), 0)", uuid);
	long long next = raw_db_count(db, "SELECT next FROM serials", NULL);
	sqlite3_close(db);
	if (rec == 0 && out == 0 && aud == 0 && state == TQK_ST_SUBMITTED)
		return false;
	if (rec == 1 && out == 1 && aud == 1 && state == TQK_ST_CONFIRMED && serial >= 1 &&
	    serial < next)
		return true;
	fail_msg("%s is partly there: record %lld, outbox %lld, audit %lld, state %lld, serial %lld"
	         " (next %lld)", c->uuid, rec, out, aud, state, serial, next);
	return false;
}

/* Opens the store with the plain VFS and checks it whole. */
static tqk_store *open_checked(const struct env *e)
{
	tqk_store *s = open_store(e, NULL, false, 0);
	tqk_err err = tqk_store_check(s, true);
	if (err != TQK_OK)
		fail_msg("integrity_check: %s (%s)", tqk_err_code(err), tqk_store_detail(s));
	tqk_audit_report rep;
	if ((err = tqk_store_audit_verify(s, &rep)) != TQK_OK)
		fail_msg("the audit chain breaks at row %lld: %s", (long long)rep.first_bad,
		         rep.why != NULL ? rep.why : tqk_err_code(err));
	return s;
}

/* The archive number of serial n at the fixture's site. */
static void archive_of(long long n, char out[TQK_ARCHIVE_BUFLEN])
{
	tqk_archive a = {.county = "CSX", .year = 2026, .site = 1, .serial = (unsigned)n};
	assert_int_equal(tqk_archive_format(&a, WIDTH, out), TQK_OK);
}

/* ---- (a) a full disk, by the page cap ---- */

static void full_by_page_cap_leaves_nothing(void **state)
{
	struct env *e = *state;
	tqk_store *s = open_store(e, NULL, false, 0);
	unsigned fitted[6];
	for (int cycle = 0; cycle < 6; cycle++) {
		sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READONLY);
		long long pages = raw_db_count(db, "PRAGMA page_count", NULL);
		sqlite3_close(db);
		long cap = 0;
		assert_int_equal(tqk_store_limit_pages(s, (long)pages, &cap), TQK_OK);
		assert_int_equal(cap, pages);

		/* Commit until the cap is hit. */
		tqk_confirmation c;
		struct counts before;
		tqk_err err = TQK_OK;
		for (fitted[cycle] = 0; err == TQK_OK; fitted[cycle]++) {
			if (fitted[cycle] > 500)
				fail_msg("500 confirmations fit under a cap of %lld pages", pages);
			next_confirmation(e, &c);
			counts_read(e, &before);
			err = tqk_store_confirm(s, &c);
			if (err == TQK_OK)
				counts_one_more(&before, "a confirmation under the cap", e);
		}
		fitted[cycle]--;
		assert_int_equal(err, TQK_E_STORE_FULL);
		assert_true(strlen(tqk_store_detail(s)) > 0);

		/* No trace of the failed one, and the file is whole. */
		struct counts after;
		counts_read(e, &after);
		counts_equal(&after, &before, "after TQK_E_STORE_FULL");
		assert_false(present(e, &c));
		tqk_application a;
		assert_int_equal(tqk_store_app_get(s, c.reg_no, &a), TQK_OK);
		assert_int_equal(a.state, TQK_ST_SUBMITTED);
		tqk_confirmation got;
		assert_int_equal(tqk_store_confirmation_get(s, c.uuid, &got), TQK_E_STORE_NOT_FOUND);
		assert_int_equal(tqk_store_check(s, true), TQK_OK);
		tqk_audit_report rep;
		assert_int_equal(tqk_store_audit_verify(s, &rep), TQK_OK);

		/* Room again: the same confirmation takes the next serial. */
		assert_int_equal(tqk_store_limit_pages(s, (long)pages + 1000, &cap), TQK_OK);
		assert_int_equal(cap, pages + 1000);
		assert_int_equal(tqk_store_confirm(s, &c), TQK_OK);
		char want[TQK_ARCHIVE_BUFLEN];
		archive_of(before.serial_next, want);
		assert_string_equal(c.archive_no, want);
		counts_one_more(&before, "the retry with room", e);
	}
	tqk_store_free(s);
	tqk_store_free(open_checked(e));
	printf("# faults: under a cap at the file's size, %u, %u, %u, %u, %u and %u more"
	       " confirmations fitted before TQK_E_STORE_FULL\n", fitted[0], fitted[1], fitted[2],
	       fitted[3], fitted[4], fitted[5]);
}

/* ---- (b) the n-th write, sync or truncate fails ---- */

struct fault {
	const char *name;
	faultvfs_op op;
	int rc;
	bool sticky;
	tqk_err want;           /* what tqk_store_confirm returns */
};

static const struct fault faults[] = {
	{"the n-th write: I/O error", FAULTVFS_WRITE, SQLITE_IOERR_WRITE, false, TQK_E_STORE_IO},
	{"the n-th write: disk full", FAULTVFS_WRITE, SQLITE_FULL, false, TQK_E_STORE_FULL},
	{"every write from the n-th", FAULTVFS_WRITE, SQLITE_IOERR_WRITE, true, TQK_E_STORE_IO},
	{"the n-th fsync", FAULTVFS_SYNC, SQLITE_IOERR_FSYNC, false, TQK_E_STORE_IO},
	{"every fsync from the n-th", FAULTVFS_SYNC, SQLITE_IOERR_FSYNC, true, TQK_E_STORE_IO},
	{"the n-th truncate", FAULTVFS_TRUNCATE, SQLITE_IOERR_TRUNCATE, false, TQK_E_STORE_IO},
};

/* One confirmation with fault f armed at n, through a fresh connection
 * (so that every attempt starts with no WAL). Returns its result; *fired
 * tells whether the fault happened, *calls how many calls of its kind. */
static tqk_err confirm_with_fault(struct env *e, const struct fault *f, long n,
                                  tqk_confirmation *c, long *fired, long *calls)
{
	tqk_store *s = open_store(e, FAULTVFS_NAME, false, 0);
	faultvfs_arm(f->op, n, f->rc, f->sticky);
	tqk_err err = tqk_store_confirm(s, c);
	faultvfs_disarm();
	*fired = faultvfs_fired();
	*calls = faultvfs_calls(f->op);
	if (err != TQK_OK && err != f->want)
		fail_msg("%s, n = %ld: %s (%s), expected %s", f->name, n, tqk_err_code(err),
		         tqk_store_detail(s), tqk_err_code(f->want));
	/* The administrator's detail names SQLite's own code for the fault. */
	char code[32];
	snprintf(code, sizeof code, "(SQLite %d)", f->rc);
	if (err != TQK_OK && strstr(tqk_store_detail(s), code) == NULL)
		fail_msg("%s, n = %ld: the detail \"%s\" does not say %s", f->name, n,
		         tqk_store_detail(s), code);
	tqk_store_free(s);
	return err;
}

static void failed_write_or_sync_leaves_nothing(void **state)
{
	struct env *e = *state;
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
		const struct fault *f = &faults[i];
		long n, calls = 0, failed = 0;
		for (n = 1;; n++) {
			if (n > 500)
				fail_msg("%s: still firing at n = 500", f->name);
			tqk_confirmation c;
			next_confirmation(e, &c);
			struct counts before;
			counts_read(e, &before);
			long fired;
			tqk_err err = confirm_with_fault(e, f, n, &c, &fired, &calls);

			/* Reopened without faults: whole, and the record all there
			 * or all absent. */
			tqk_store *s = open_checked(e);
			bool there = present(e, &c);
			if (fired == 0) {
				assert_int_equal(err, TQK_OK);
				assert_true(there);
				tqk_store_free(s);
				break;
			}
			if (err == TQK_OK) {
				/* Only a fault after the commit point may pass unseen. */
				if (!there)
					fail_msg("%s, n = %ld: TQK_OK, but the record is absent", f->name, n);
				counts_one_more(&before, f->name, e);
				tqk_store_free(s);
				continue;
			}
			failed++;
			if (there)
				fail_msg("%s, n = %ld: %s, but the record is there after reopening", f->name,
				         n, tqk_err_code(err));
			struct counts after;
			counts_read(e, &after);
			counts_equal(&after, &before, f->name);

			/* The same confirmation again: once, on the next serial. */
			assert_int_equal(tqk_store_confirm(s, &c), TQK_OK);
			char want[TQK_ARCHIVE_BUFLEN];
			archive_of(before.serial_next, want);
			assert_string_equal(c.archive_no, want);
			tqk_store_free(s);
			counts_one_more(&before, "the retry", e);
		}
		if (calls == 0)
			printf("# faults: %s: a confirmation makes no such call\n", f->name);
		else
			printf("# faults: %s: a confirmation makes %ld such calls; failing each in turn"
			       " failed the call %ld times, leaving nothing\n", f->name, calls, failed);
		if (f->op != FAULTVFS_TRUNCATE && failed == 0)
			fail_msg("%s: never failed a confirmation", f->name);
	}
}

/* After a failure the kiosk retries on the connection it has. */
static void retry_on_the_same_connection(void **state)
{
	struct env *e = *state;
	static const struct {
		faultvfs_op op;
		long n;
		int rc;
	} cases[] = {
		{FAULTVFS_WRITE, 1, SQLITE_IOERR_WRITE},        /* the WAL header */
		{FAULTVFS_WRITE, 2, SQLITE_IOERR_WRITE},        /* the first frame */
		{FAULTVFS_WRITE, 20, SQLITE_FULL},
		{FAULTVFS_SYNC, 1, SQLITE_IOERR_FSYNC},         /* the WAL header's */
		{FAULTVFS_SYNC, 2, SQLITE_IOERR_FSYNC},         /* the commit's */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tqk_confirmation c;
		next_confirmation(e, &c);
		struct counts before;
		counts_read(e, &before);
		tqk_store *s = open_store(e, FAULTVFS_NAME, false, 0);
		faultvfs_arm(cases[i].op, cases[i].n, cases[i].rc, false);
		tqk_err err = tqk_store_confirm(s, &c);
		faultvfs_disarm();
		assert_int_equal(faultvfs_fired(), 1);
		assert_true(err == TQK_E_STORE_IO || err == TQK_E_STORE_FULL);
		/* The connection itself sees nothing of it... */
		tqk_confirmation got;
		assert_int_equal(tqk_store_confirmation_get(s, c.uuid, &got), TQK_E_STORE_NOT_FOUND);
		/* ...and the retry commits it, once, on the next serial. */
		assert_int_equal(tqk_store_confirm(s, &c), TQK_OK);
		char want[TQK_ARCHIVE_BUFLEN];
		archive_of(before.serial_next, want);
		assert_string_equal(c.archive_no, want);
		/* A second retry finds it stored: the same answer, nothing new. */
		tqk_confirmation again = c;
		assert_int_equal(tqk_store_confirm(s, &again), TQK_OK);
		assert_string_equal(again.archive_no, want);
		tqk_store_free(s);
		tqk_store_free(open_checked(e));
		assert_true(present(e, &c));
		counts_one_more(&before, "the retry on the same connection", e);
	}
}

/* The child: one confirmation with the fault armed, its result on the
 * pipe, then death by SIGKILL with the store open. */
static void crash_child(const struct env *e, const struct fault *f, long n,
                        tqk_confirmation *c, int fd)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	tqk_store_options opt = {.vfs = FAULTVFS_NAME};
	tqk_store *s = NULL;
	tqk_err err = tqk_store_open(e->path, &opt, &s, NULL);
	if (err == TQK_OK) {
		faultvfs_arm(f->op, n, f->rc, f->sticky);
		err = tqk_store_confirm(s, c);
		faultvfs_disarm();
	}
	char line[64];
	int len = snprintf(line, sizeof line, "%d %ld\n", (int)err, faultvfs_fired());
	if (write(fd, line, (size_t)len) != len)
		_exit(3);
	kill(getpid(), SIGKILL);
	_exit(4);
}

static void crash_after_a_fault(void **state)
{
	struct env *e = *state;
	static const struct fault *const which[] = {&faults[0], &faults[1], &faults[3]};
	for (size_t i = 0; i < sizeof which / sizeof which[0]; i++) {
		const struct fault *f = which[i];
		long n, failed = 0, back = 0;
		for (n = 1;; n++) {
			if (n > 500)
				fail_msg("%s: still firing at n = 500", f->name);
			tqk_confirmation c;
			next_confirmation(e, &c);
			struct counts before;
			counts_read(e, &before);
			int fds[2];
			assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
			fflush(stdout);
			pid_t pid = fork();
			assert_true(pid >= 0);
			if (pid == 0) {
				close(fds[0]);
				crash_child(e, f, n, &c, fds[1]);
			}
			close(fds[1]);
			char line[64] = "";
			ssize_t got = read(fds[0], line, sizeof line - 1);
			close(fds[0]);
			int status = 0;
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			int err_code = -1;
			long fired = -1;
			if (got <= 0 || sscanf(line, "%d %ld", &err_code, &fired) != 2)
				fail_msg("%s, n = %ld: the child said nothing (status %#x)", f->name, n,
				         (unsigned)status);
			assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
			tqk_err err = (tqk_err)err_code;

			tqk_store *s = open_checked(e);
			bool there = present(e, &c);
			if (fired == 0) {
				assert_int_equal(err, TQK_OK);
				assert_true(there);
				tqk_store_free(s);
				break;
			}
			if (err != TQK_OK && err != f->want)
				fail_msg("%s, n = %ld: %s, expected %s", f->name, n, tqk_err_code(err),
				         tqk_err_code(f->want));
			if (err == TQK_OK && !there)
				fail_msg("%s, n = %ld: TQK_OK, but the record is absent", f->name, n);
			if (err != TQK_OK) {
				failed++;
				if (there && f->op != FAULTVFS_SYNC)
					fail_msg("%s, n = %ld: %s, but the record is there after the crash",
					         f->name, n, tqk_err_code(err));
				back += there;
			}
			/* A retry with the uuid answers TQK_OK either way and never
			 * makes a second record; with a new uuid the application
			 * is confirmed already. */
			tqk_confirmation again = c;
			assert_int_equal(tqk_store_confirm(s, &again), TQK_OK);
			tqk_confirmation other = c;
			other.uuid[0] = '\0';
			assert_int_equal(tqk_store_confirm(s, &other), TQK_E_STORE_CONFIRMED);
			tqk_store_free(s);
			assert_true(present(e, &c));
			counts_one_more(&before, "after the crash and the retry", e);
		}
		printf("# faults: %s, then the process died: %ld failed calls; %ld of those"
		       " confirmations were there after reopening\n", f->name, failed, back);
	}
}

/*
 * After an fsync failure at COMMIT the process goes on, then dies: a commit
 * of anything else overwrites the orphaned frames, so the failed
 * confirmation stays away; reads alone do not, so it comes back.
 */
static void crash_after_a_failed_commit_sync_and_more_work(void **state)
{
	struct env *e = *state;
	for (int commit_more = 0; commit_more < 2; commit_more++) {
		tqk_confirmation c, d;
		next_confirmation(e, &c);
		next_confirmation(e, &d);
		struct counts before;
		counts_read(e, &before);
		int fds[2];
		assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
		fflush(stdout);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			tqk_store_options opt = {.vfs = FAULTVFS_NAME};
			tqk_store *s = NULL;
			tqk_err err = tqk_store_open(e->path, &opt, &s, NULL), more = TQK_OK;
			if (err == TQK_OK) {
				faultvfs_arm(FAULTVFS_SYNC, 2, SQLITE_IOERR_FSYNC, false);
				err = tqk_store_confirm(s, &c);
				faultvfs_disarm();
				tqk_application a;
				more = commit_more ? tqk_store_confirm(s, &d) : tqk_store_app_get(s, c.reg_no, &a);
			}
			char line[64];
			int len = snprintf(line, sizeof line, "%d %d %ld\n", (int)err, (int)more,
			                   faultvfs_fired());
			if (write(fds[1], line, (size_t)len) != len)
				_exit(3);
			kill(getpid(), SIGKILL);
			_exit(4);
		}
		close(fds[1]);
		char line[64] = "";
		ssize_t got = read(fds[0], line, sizeof line - 1);
		close(fds[0]);
		int status = 0, err = -1, more = -1;
		long fired = -1;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (got <= 0 || sscanf(line, "%d %d %ld", &err, &more, &fired) != 3)
			fail_msg("the child said nothing (status %#x)", (unsigned)status);
		assert_int_equal(fired, 1);
		assert_int_equal(err, TQK_E_STORE_IO);
		assert_int_equal(more, TQK_OK);
		tqk_store_free(open_checked(e));
		if (commit_more) {
			assert_false(present(e, &c));
			assert_true(present(e, &d));
		} else {
			assert_true(present(e, &c));
			assert_false(present(e, &d));
		}
		counts_one_more(&before, "after the crash", e);
	}
}

/* A fault in the idle-time checkpoint (commits leave checkpoints to
 * tqk_store_checkpoint up to a backstop): it is reported, loses nothing that
 * was committed, and the store goes on working. */
static void checkpoint_fault_loses_nothing(void **state)
{
	struct env *e = *state;
	enum { TRIES = 6 };
	static const struct {
		enum faultvfs_op op;
		int rc;
	} faults[] = {{FAULTVFS_WRITE, SQLITE_IOERR_WRITE}, {FAULTVFS_SYNC, SQLITE_IOERR_FSYNC}};
	tqk_store *s = open_store(e, FAULTVFS_NAME, false, 0);
	tqk_confirmation c[2 * TRIES];
	for (size_t f = 0; f < sizeof faults / sizeof faults[0]; f++)
		for (int i = 0; i < TRIES; i++) {
			tqk_confirmation *k = &c[f * TRIES + (size_t)i];
			next_confirmation(e, k);
			assert_int_equal(tqk_store_confirm(s, k), TQK_OK);
			faultvfs_arm(faults[f].op, 1, faults[f].rc, true);
			tqk_err err = tqk_store_checkpoint(s);
			faultvfs_disarm();
			assert_true(faultvfs_fired() > 0);
			assert_int_equal(err, TQK_E_STORE_IO);
		}
	/* Without faults the checkpoint goes through, and every record stays. */
	assert_int_equal(tqk_store_checkpoint(s), TQK_OK);
	tqk_store_free(s);
	s = open_checked(e);
	for (int i = 0; i < 2 * TRIES; i++)
		assert_true(present(e, &c[i]));
	tqk_store_free(s);
}

/* ---- (c) another writer holds the lock ---- */

static void busy_leaves_nothing(void **state)
{
	struct env *e = *state;
	tqk_store *s = open_store(e, NULL, false, 50);
	tqk_confirmation c;
	next_confirmation(e, &c);
	struct counts before;
	counts_read(e, &before);

	sqlite3 *other = raw_open(e->path, SQLITE_OPEN_READWRITE);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE;"
	                                     " INSERT INTO settings(key, value) VALUES ('other', 'x')",
	                              NULL, NULL, NULL), SQLITE_OK);
	int64_t t0 = now_us();
	tqk_err err = tqk_store_confirm(s, &c);
	int64_t waited = now_us() - t0;
	assert_int_equal(err, TQK_E_STORE_BUSY);
	if (waited < 40000 || waited > 2000000)
		fail_msg("TQK_E_STORE_BUSY after %lld us with busy_ms = 50", (long long)waited);
	struct counts after;
	counts_read(e, &after);
	counts_equal(&after, &before, "after TQK_E_STORE_BUSY");
	assert_false(present(e, &c));

	/* Readers are not held up by the writer; then it commits and the
	 * confirmation goes through, on the next serial. */
	tqk_store *reader = open_store(e, NULL, true, 50);
	tqk_application a;
	assert_int_equal(tqk_store_app_get(reader, c.reg_no, &a), TQK_OK);
	tqk_store_free(reader);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(tqk_store_confirm(s, &c), TQK_OK);
	char want[TQK_ARCHIVE_BUFLEN], value[16];
	archive_of(before.serial_next, want);
	assert_string_equal(c.archive_no, want);
	assert_int_equal(tqk_store_setting_get(s, "other", value, sizeof value), TQK_OK);
	assert_string_equal(value, "x");
	tqk_store_free(s);
	tqk_store_free(open_checked(e));
	counts_one_more(&before, "after the other writer committed", e);
}

/* ---- (d) a read-only store ---- */

static void readonly_refuses(void **state)
{
	struct env *e = *state;
	tqk_store *s = open_store(e, NULL, true, 0);
	tqk_confirmation c;
	next_confirmation(e, &c);
	struct counts before;
	counts_read(e, &before);
	assert_int_equal(tqk_store_confirm(s, &c), TQK_E_STORE_READONLY);
	tqk_application a;
	assert_int_equal(tqk_store_app_get(s, c.reg_no, &a), TQK_OK);
	assert_int_equal(a.state, TQK_ST_SUBMITTED);
	tqk_store_free(s);
	struct counts after;
	counts_read(e, &after);
	counts_equal(&after, &before, "after TQK_E_STORE_READONLY");
	assert_false(present(e, &c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(full_by_page_cap_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_write_or_sync_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(retry_on_the_same_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(crash_after_a_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(crash_after_a_failed_commit_sync_and_more_work, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(checkpoint_fault_loses_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(busy_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(readonly_refuses, setup, teardown),
	};
	return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
