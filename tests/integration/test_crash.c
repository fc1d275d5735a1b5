/*
 * test_crash.c - kill -9 at random moments while confirmations are being
 * committed, and check that nothing confirmed is lost, duplicated or half
 * there.
 *
 * One store (2,000 applications, serial width 4) is made before the rounds.
 * Each round forks a child that opens it and commits confirmations in a loop
 * (new ones, some 网报未受理 with a remark, some 材料不齐全, and corrections that
 * supersede the current record, a third of them correcting the e-mail),
 * writing one line per TQK_OK to a pipe with a single write(2). The parent
 * kills the child with SIGKILL at a random moment: some time after the fork
 * (while it opens and recovers the store), some time after it is ready, or
 * right after its k-th line. Then it checks the file: it opens, passes the
 * full integrity check, the audit chain verifies, every record the parent
 * ever heard of is there exactly once, in order, with its archive number,
 * queued exactly once and audited, the applications' states follow their
 * current records, the archive serials run 1..N without a gap (corrections
 * keep the number of the bag they correct), and the only record the parent
 * never heard of is at most the very last one of the round (committed, then
 * killed before its line).
 *
 * A second test kills a child in the middle of importing a batch of
 * applications: afterwards the whole batch (with its cursor and audit row) is
 * there or none of it.
 *
 * TQK_CRASH_SEED replays a run's kill schedule (the seed is printed as a TAP
 * comment); TQK_CRASH_ROUNDS changes the number of rounds (default 300).
 */
#define _GNU_SOURCE  /* pipe2, ppoll */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
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
#include "support/fixture.h"
#include "support/rawdb.h"
#include "support/rng.h"

#define APPS 2000               /* a 300-round run confirms about 500 */
#define WIDTH 4                 /* the SQL below spells archive numbers with %04d */
#define ROUNDS_DEFAULT 300
#define MAX_DELAY_US 15000      /* the random delay before the kill, at most... */
#define DELAY_COMMITS 8         /* ...and at most this many commits' time */
#define HANG_US 10000000        /* a child that says nothing for this long is stuck */

#define IMPORT_ROUNDS 16
#define IMPORT_FIRST 100000     /* the batch's applications: fixture numbers from here */
#define IMPORT_N 3000

static char dir[256], path[300];
static uint64_t seed, rounds = ROUNDS_DEFAULT;

static int64_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* The number in environment variable name into *out, which keeps its
 * value when the variable is unset or empty; false when it is no number. */
static bool env_number(const char *name, uint64_t *out)
{
	const char *v = getenv(name);
	if (v == NULL || v[0] == '\0')
		return true;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 0);
	if (errno != 0 || *end != '\0') {
		fprintf(stderr, "%s=\"%s\" is not a number\n", name, v);
		return false;
	}
	*out = n;
	return true;
}

static void reg_no_of(unsigned i, char out[TQK_CODE_CAP])
{
	snprintf(out, TQK_CODE_CAP, "2026%010u", i);
}

/* ---- the child: commits until killed; never returns ---- */

/* Writes one whole line: a pipe takes writes up to PIPE_BUF in one piece,
 * so the parent never reads half of one. */
static void say(int fd, const char *line)
{
	size_t n = strlen(line);
	if (write(fd, line, n) != (ssize_t)n)
		_exit(3);
}

static void child_fail(int fd, const char *what, tqk_err err, const tqk_store *s)
{
	char line[512];
	snprintf(line, sizeof line, "E %s: %s (%s)\n", what, tqk_err_code(err), tqk_store_detail(s));
	say(fd, line);
	_exit(2);
}

/*
 * Confirmations of applications next_idx, next_idx + 1, ... (every one
 * below next_idx is confirmed already), mixed with corrections of confirmed
 * ones; only corrections once the applications run out.
 */
static void child_confirm(int fd, uint64_t rng, unsigned next_idx)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	tqk_store *s = NULL;
	tqk_err err = tqk_store_open(path, NULL, &s, NULL);
	if (err != TQK_OK)
		child_fail(fd, "open", err, s);
	say(fd, "R\n");
	for (;;) {
		unsigned op = rng_below(&rng, 100);
		bool fresh = next_idx < APPS && (op < 75 || next_idx == 0);
		unsigned idx = fresh ? next_idx : rng_below(&rng, next_idx);
		char reg_no[TQK_CODE_CAP];
		reg_no_of(idx, reg_no);
		tqk_confirmation c;
		fixture_confirmation(reg_no, &c);
		unsigned kind = fresh ? op % 5 : rng_below(&rng, 3);
		if (kind == 1) {
			c.marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
			c.conclusion = TQK_CONC_INCOMPLETE;
		} else if (kind == 2) {
			c.conclusion = TQK_CONC_NOT_ACCEPTED;
			snprintf(c.remark, sizeof c.remark, "同一身份证号已有报名号 %u", idx);
		}
		if (!fresh) {
			tqk_confirmation cur;
			if ((err = tqk_store_confirmation_current(s, reg_no, &cur)) != TQK_OK)
				child_fail(fd, "current", err, s);
			memcpy(c.supersedes, cur.uuid, sizeof c.supersedes);
			snprintf(c.message, sizeof c.message, "更正 %s", cur.archive_no);
			if (rng_below(&rng, 3) == 0) {
				tqk_application a;
				if ((err = tqk_store_app_get(s, reg_no, &a)) != TQK_OK)
					child_fail(fd, "app", err, s);
				c.n_corrections = 1;
				c.corrections[0].field = TQK_F_EMAIL;
				memcpy(c.corrections[0].old_value, a.email, sizeof a.email);
				snprintf(c.corrections[0].new_value, sizeof c.corrections[0].new_value,
				         "c%" PRIu64 "@example.cn", rng_next(&rng) % 1000000000u);
			}
		}
		if ((err = tqk_store_confirm(s, &c)) != TQK_OK)
			child_fail(fd, "confirm", err, s);
		char line[256];
		snprintf(line, sizeof line, "C %s %s %s\n", c.uuid,
		         c.archive_no[0] != '\0' ? c.archive_no : "-", reg_no);
		say(fd, line);
		if (fresh)
			next_idx++;
	}
}

/* ---- the parent: one round ---- */

struct line {
	char uuid[TQK_UUID_CAP];
	char archive_no[TQK_ARCHIVE_BUFLEN];
};

struct round {
	struct line *lines;
	size_t n, cap;
	bool ready;             /* the child said R */
	int64_t c_at;           /* when the last C line came */
	int64_t gaps_us, gaps;  /* time between C lines (summed over rounds) */
	bool started, done;     /* the import child said S, D */
	int64_t start_at, done_at;  /* when (us) */
	bool killed;            /* SIGKILL was sent */
	int status;             /* from waitpid */
	char problem[512];      /* an E line, half a line, a hang: the round failed */
};

static void round_line(struct round *r, const char *text)
{
	if (text[0] == 'R' && text[1] == '\0') {
		r->ready = true;
	} else if (text[0] == 'S' && text[1] == '\0') {
		r->started = true;
		r->start_at = now_us();
	} else if (text[0] == 'D' && text[1] == '\0') {
		r->done = true;
		r->done_at = now_us();
	} else if (text[0] == 'C' && text[1] == ' ') {
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 64;
			r->lines = realloc(r->lines, r->cap * sizeof *r->lines);
			if (r->lines == NULL)
				abort();
		}
		struct line *l = &r->lines[r->n];
		char archive[64];
		if (sscanf(text, "C %36s %63s", l->uuid, archive) != 2 ||
		    strlen(archive) >= sizeof l->archive_no) {
			snprintf(r->problem, sizeof r->problem, "bad line \"%s\"", text);
			return;
		}
		snprintf(l->archive_no, sizeof l->archive_no, "%s", strcmp(archive, "-") ? archive : "");
		int64_t t = now_us();
		if (r->n++ > 0) {
			r->gaps_us += t - r->c_at;
			r->gaps++;
		}
		r->c_at = t;
	} else if (r->problem[0] == '\0') {
		snprintf(r->problem, sizeof r->problem, "child: %s", text);
	}
}

/* Reads what is there; false at end of file. Complete lines go to r. */
static bool round_read(int fd, char *buf, size_t *len, size_t cap, struct round *r)
{
	ssize_t got = read(fd, buf + *len, cap - 1 - *len);
	if (got < 0)
		return errno == EINTR || errno == EAGAIN;
	if (got == 0) {
		if (*len > 0 && r->problem[0] == '\0')
			snprintf(r->problem, sizeof r->problem, "half a line: \"%.*s\"", (int)*len, buf);
		return false;
	}
	*len += (size_t)got;
	char *start = buf, *nl;
	while ((nl = memchr(start, '\n', (size_t)(buf + *len - start))) != NULL) {
		*nl = '\0';
		round_line(r, start);
		start = nl + 1;
	}
	*len = (size_t)(buf + *len - start);
	memmove(buf, start, *len);
	return true;
}

/* What the kill's delay counts from. */
enum trigger {
	TRIGGER_FORK,           /* the fork: often while the child opens the store */
	TRIGGER_READY,          /* "R": the store is open */
	TRIGGER_LINE,           /* the k-th "C" line: on the next commit's heels */
	TRIGGER_START,          /* "S": the import begins */
	TRIGGER_DONE            /* "D": the import is done */
};

/*
 * Forks child(fd, child_rng, arg), kills it as planned, reaps it and reads
 * every line it wrote. Never fails a cmocka assertion while the child lives.
 */
static void run_round(void (*child)(int, uint64_t, unsigned), uint64_t child_rng, unsigned arg,
                      enum trigger when, int64_t delay_us, size_t after_lines, struct round *r)
{
	r->n = 0;
	r->ready = r->started = r->done = r->killed = false;
	r->status = 0;
	r->problem[0] = '\0';
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		snprintf(r->problem, sizeof r->problem, "pipe: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(r->problem, sizeof r->problem, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], child_rng, arg);
		_exit(4);
	}
	close(fds[1]);

	char buf[8192];
	size_t len = 0;
	int64_t start = now_us(), last = start;
	int64_t deadline = when == TRIGGER_FORK ? start + delay_us : -1;
	bool open = true;
	while (!r->killed && open) {
		int64_t t = now_us();
		if (deadline >= 0 && t >= deadline) {
			kill(pid, SIGKILL);
			r->killed = true;
			break;
		}
		if (t - last > HANG_US) {
			snprintf(r->problem, sizeof r->problem, "the child said nothing for %d s",
			         HANG_US / 1000000);
			kill(pid, SIGKILL);
			break;
		}
		int64_t wait = deadline >= 0 ? deadline - t : HANG_US;
		struct timespec ts = {wait / 1000000, (wait % 1000000) * 1000};
		struct pollfd p = {fds[0], POLLIN, 0};
		if (ppoll(&p, 1, &ts, NULL) <= 0)
			continue;
		open = round_read(fds[0], buf, &len, sizeof buf, r);
		last = now_us();
		if (r->problem[0] != '\0')
			break;
		bool fired = when == TRIGGER_READY ? r->ready : when == TRIGGER_LINE ? r->n >= after_lines
		           : when == TRIGGER_START ? r->started : when == TRIGGER_DONE && r->done;
		if (deadline < 0 && fired)
			deadline = last + delay_us;
	}
	if (!r->killed)
		kill(pid, SIGKILL);     /* after a problem, or a child that ended by itself */
	while (waitpid(pid, &r->status, 0) < 0 && errno == EINTR)
		;
	while (round_read(fds[0], buf, &len, sizeof buf, r))
		;
	close(fds[0]);
	if (r->problem[0] == '\0' && !(WIFSIGNALED(r->status) && WTERMSIG(r->status) == SIGKILL))
		snprintf(r->problem, sizeof r->problem, "the child ended by itself (status %#x)",
		         (unsigned)r->status);
}

/* ---- checking the file ---- */

/* Opens the store as the kiosk would after the crash and checks it whole. */
static tqk_store *open_checked(void)
{
	tqk_store *s = NULL;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	tqk_err err = tqk_store_open(path, NULL, &s, detail);
	if (err != TQK_OK)
		fail_msg("open after the kill: %s (%s)", tqk_err_code(err), detail);
	if ((err = tqk_store_check(s, true)) != TQK_OK)
		fail_msg("integrity_check: %s (%s)", tqk_err_code(err), tqk_store_detail(s));
	tqk_audit_report rep;
	if ((err = tqk_store_audit_verify(s, &rep)) != TQK_OK)
		fail_msg("audit chain breaks at row %" PRId64 ": %s", rep.first_bad,
		         rep.why != NULL ? rep.why : tqk_err_code(err));
	return s;
}

#define CURRENT "NOT EXISTS (SELECT 1 FROM confirmations d WHERE d.supersedes = c.uuid)"

/* Each must count 0 rows, whatever moment the kill came at. */
static const struct {
	const char *what, *sql;
} zero[] = {
	{"duplicate uuids among confirmations",
	 "SELECT count(*) - count(DISTINCT uuid) FROM confirmations"},
	{"duplicate uuids in the outbox", "SELECT count(*) - count(DISTINCT uuid) FROM outbox"},
	{"outbox rows without their confirmation",
	 "SELECT count(*) FROM outbox o WHERE NOT EXISTS"
	 " (SELECT 1 FROM confirmations c WHERE c.uuid = o.uuid)"},
	{"confirmations without their outbox row",
	 "SELECT count(*) FROM confirmations c WHERE NOT EXISTS"
	 " (SELECT 1 FROM outbox o WHERE o.uuid = c.uuid)"},
	{"outbox rows of the wrong kind",
	 "SELECT count(*) FROM confirmations c JOIN outbox o ON o.uuid = c.uuid WHERE o.kind <>"
	 " CASE WHEN c.supersedes IS NULL THEN 'confirmation' ELSE 'correction' END"},
	{"confirmations without their audit row",
	 "SELECT count(*) FROM (SELECT uuid, CASE WHEN supersedes IS NULL THEN 'confirm'"
	 " ELSE 'correct' END FROM confirmations EXCEPT SELECT subject, action FROM audit)"},
	{"audit rows of confirmations that are not there",
	 "SELECT count(*) FROM (SELECT subject FROM audit WHERE action IN ('confirm', 'correct')"
	 " EXCEPT SELECT uuid FROM confirmations)"},
	{"extra audit rows for confirmations",
	 "SELECT (SELECT count(*) FROM audit WHERE action IN ('confirm', 'correct'))"
	 " - (SELECT count(*) FROM confirmations)"},
	{"applications whose state, remark or message is not their current record's",
	 "SELECT count(*) FROM applications a LEFT JOIN confirmations c"
	 " ON c.reg_no = a.reg_no AND " CURRENT
	 " WHERE a.state <> CASE c.conclusion WHEN 'complete' THEN 3 WHEN 'incomplete' THEN 2"
	 " WHEN 'not_accepted' THEN 7 ELSE 1 END"
	 " OR a.remark <> ifnull(c.remark, '') OR a.site_message <> ifnull(c.message, '')"},
	{"applications with two current records",
	 "SELECT count(*) FROM (SELECT reg_no FROM confirmations c WHERE " CURRENT
	 " GROUP BY reg_no HAVING count(*) > 1)"},
	{"applications whose e-mail is not their last correction's",
	 "SELECT count(*) FROM applications a WHERE a.email <> ifnull("
	 " (SELECT k.new_value FROM confirmations c CROSS JOIN corrections k"
	 "  ON k.seq = c.seq AND k.field = 'email'"
	 "  WHERE c.reg_no = a.reg_no ORDER BY c.seq DESC LIMIT 1),"
	 " 't' || CAST(substr(a.reg_no, 5) AS INTEGER) || '@example.cn')"},
	{"corrections pointing at another application",
	 "SELECT count(*) FROM confirmations c JOIN confirmations p ON p.uuid = c.supersedes"
	 " WHERE p.reg_no <> c.reg_no"},
	{"first records whose serial does not follow their conclusion",
	 "SELECT count(*) FROM confirmations WHERE supersedes IS NULL"
	 " AND ((conclusion = 'not_accepted') = (serial IS NOT NULL)"
	 "  OR (serial IS NULL) <> (archive_no = ''))"},
	{"corrections of a bag that did not keep its number",
	 "SELECT count(*) FROM confirmations c JOIN confirmations p ON p.uuid = c.supersedes"
	 " WHERE p.archive_no <> '' AND (c.archive_no <> p.archive_no OR c.serial IS NOT NULL)"},
	{"corrections of an unbagged record whose serial does not follow their conclusion",
	 "SELECT count(*) FROM confirmations c JOIN confirmations p ON p.uuid = c.supersedes"
	 " WHERE p.archive_no = '' AND ((c.conclusion = 'not_accepted') = (c.serial IS NOT NULL)"
	 "  OR (c.serial IS NULL) <> (c.archive_no = ''))"},
	{"archive numbers that do not spell their serial",
	 "SELECT count(*) FROM confirmations WHERE serial IS NOT NULL"
	 " AND archive_no <> printf('CSX202601%04d', serial)"},
	{"serials below 1", "SELECT count(*) FROM confirmations WHERE serial < 1"},
	{"repeated serials",
	 "SELECT count(serial) - count(DISTINCT serial) FROM confirmations"},
	{"a gap in the serials",
	 "SELECT ifnull(max(serial), 0) - count(serial) FROM confirmations"},
	{"a serial counter that is not the next serial",
	 "SELECT next - 1 - (SELECT ifnull(max(serial), 0) FROM confirmations) FROM serials"},
	{"confirmed applications that are not 0..n-1",
	 "SELECT count(DISTINCT reg_no) - ifnull(max(CAST(substr(reg_no, 5) AS INTEGER)) + 1, 0)"
	 " FROM confirmations"},
	{"corrections without their record",
	 "SELECT count(*) FROM corrections k WHERE NOT EXISTS"
	 " (SELECT 1 FROM confirmations c WHERE c.seq = k.seq)"},
};

/* What the parent has heard of and checked, in commit order. */
static struct line *known;
static size_t n_known, cap_known;

static void remember(const char *uuid, const char *archive_no)
{
	if (n_known == cap_known) {
		cap_known = cap_known ? 2 * cap_known : 1024;
		known = realloc(known, cap_known * sizeof *known);
		assert_non_null(known);
	}
	snprintf(known[n_known].uuid, sizeof known[n_known].uuid, "%s", uuid);
	snprintf(known[n_known].archive_no, sizeof known[n_known].archive_no, "%s", archive_no);
	n_known++;
}

/*
 * Checks the store after round k; remembers its records. Returns how many
 * records the round committed without telling (0 or 1); *next_idx is the
 * first unconfirmed application.
 */
static int check_round(unsigned k, const struct round *r, unsigned *next_idx)
{
	tqk_store *s = open_checked();
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READONLY);
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) {
		long long v = raw_db_count(db, zero[i].sql, NULL);
		if (v != 0)
			fail_msg("round %u: %lld %s", k, v, zero[i].what);
	}

	/* Every record in commit order: first what earlier rounds saw, then
	 * this round's lines, then at most one more. */
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT uuid, archive_no FROM confirmations ORDER BY seq", -1, &st,
	                       NULL) != SQLITE_OK)
		fail_msg("%s", sqlite3_errmsg(db));
	size_t i = 0, before = n_known;
	int unsaid = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *uuid = (const char *)sqlite3_column_text(st, 0);
		const char *arch = (const char *)sqlite3_column_text(st, 1);
		if (i < before) {
			if (strcmp(uuid, known[i].uuid) != 0 || strcmp(arch, known[i].archive_no) != 0)
				fail_msg("round %u: record %zu is %s %s, was %s %s", k, i + 1, uuid, arch,
				         known[i].uuid, known[i].archive_no);
		} else if (i - before < r->n) {
			const struct line *l = &r->lines[i - before];
			if (strcmp(uuid, l->uuid) != 0 || strcmp(arch, l->archive_no) != 0)
				fail_msg("round %u: record %zu is %s %s, the child said %s %s", k, i + 1,
				         uuid, arch, l->uuid, l->archive_no);
			remember(uuid, arch);
		} else if (unsaid++ == 0) {
			remember(uuid, arch);
		} else {
			fail_msg("round %u: a second record the child never reported (%s)", k, uuid);
		}
		i++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		fail_msg("%s", sqlite3_errmsg(db));
	if (i < before)
		fail_msg("round %u: %zu records, %zu before the round: lost", k, i, before);
	if (i - before < r->n)
		fail_msg("round %u: the child reported %zu records, %zu are there", k, r->n, i - before);
	assert_int_equal(raw_db_count(db, "SELECT count(*) FROM outbox", NULL), (long long)n_known);

	/* Through the store's own API too: every record the round reported. */
	for (size_t j = 0; j < r->n; j++) {
		tqk_confirmation c;
		tqk_err err = tqk_store_confirmation_get(s, r->lines[j].uuid, &c);
		if (err != TQK_OK || strcmp(c.archive_no, r->lines[j].archive_no) != 0)
			fail_msg("round %u: %s reads back as %s", k, r->lines[j].uuid, tqk_err_code(err));
	}
	*next_idx = (unsigned)raw_db_count(db, "SELECT count(DISTINCT reg_no) FROM confirmations",
	                                   NULL);
	sqlite3_close(db);
	tqk_store_free(s);
	return unsaid;
}

/* ---- the tests ---- */

static int setup(void **state)
{
	(void)state;
	if (!env_number("TQK_CRASH_SEED", &seed) || !env_number("TQK_CRASH_ROUNDS", &rounds))
		return -1;
	fixture_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/store.db", dir);
	tqk_store *s = NULL;
	tqk_err err = fixture_store(path, APPS, WIDTH, &s);
	tqk_store_free(s);
	if (err != TQK_OK) {
		fprintf(stderr, "fixture_store: %s\n", tqk_err_code(err));
		fixture_rmdir(dir);
		return -1;
	}
	if (seed == 0)
		seed = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ (uint64_t)now_us();
	printf("# crash: seed %" PRIu64 " (replay with TQK_CRASH_SEED=%" PRIu64 ")\n", seed, seed);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_rmdir(dir);
	free(known);
	return 0;
}

static void kill9_while_confirming(void **state)
{
	(void)state;
	uint64_t rng = seed;
	struct round r = {.gaps_us = 2000, .gaps = 1};
	unsigned next_idx = 0, kills = 0, unsaid = 0, ready = 0;
	size_t said = 0;
	int64_t t0 = now_us();
	for (unsigned k = 0; k < rounds; k++) {
		unsigned pick = rng_below(&rng, 10);
		enum trigger when = pick < 3 ? TRIGGER_FORK : pick < 8 ? TRIGGER_READY : TRIGGER_LINE;
		/* The window after "R" follows the disk: on one where a commit
		 * takes 0.2 ms rather than 2 a round would commit 75 records and
		 * the checks would grow with them. */
		int64_t window = DELAY_COMMITS * (r.gaps_us / r.gaps);
		if (when == TRIGGER_FORK || window > MAX_DELAY_US)
			window = MAX_DELAY_US;
		int64_t delay = rng_below(&rng, (unsigned)window + 1);
		size_t after = 1 + rng_below(&rng, 4);
		if (when == TRIGGER_LINE)
			delay = rng_below(&rng, 301);   /* on the next commit's heels */
		uint64_t child_rng = rng_next(&rng);
		run_round(child_confirm, child_rng, next_idx, when, delay, after, &r);
		if (r.problem[0] != '\0')
			fail_msg("round %u (seed %" PRIu64 "): %s", k, seed, r.problem);
		kills += r.killed;
		ready += r.ready;
		said += r.n;
		unsaid += (unsigned)check_round(k, &r, &next_idx);
	}
	free(r.lines);
	printf("# crash: %u kills in %.1f s; %u after the store opened; %zu records reported,"
	       " %u more committed but killed before the report; %u applications confirmed,"
	       " %zu records; a commit every %.2f ms\n", kills, (double)(now_us() - t0) / 1e6, ready,
	       said, unsaid, next_idx, n_known, (double)r.gaps_us / (double)r.gaps / 1000);
	/* run_round fails a round whose child ended any other way than by
	 * the SIGKILL, so this counts what was asked for: 300 unless
	 * TQK_CRASH_ROUNDS says otherwise. */
	if (kills < rounds)
		fail_msg("%u kills, %" PRIu64 " rounds", kills, rounds);
}

/* The import child: says R, then S just before tqk_store_apps_put of the
 * batch at revision rev (cursor "rev-<rev>"), D after it, then waits to be
 * killed. */
static void child_import(int fd, uint64_t rng, unsigned rev)
{
	(void)rng;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	tqk_application *batch = calloc(IMPORT_N, sizeof *batch);
	if (batch == NULL)
		_exit(5);
	for (unsigned i = 0; i < IMPORT_N; i++) {
		fixture_app(IMPORT_FIRST + i, FIXTURE_SITE, &batch[i]);
		batch[i].rev = rev;
	}
	tqk_store *s = NULL;
	tqk_err err = tqk_store_open(path, NULL, &s, NULL);
	if (err != TQK_OK)
		child_fail(fd, "open", err, s);
	char cursor[32];
	snprintf(cursor, sizeof cursor, "rev-%u", rev);
	say(fd, "R\nS\n");
	tqk_import_stats stats;
	if ((err = tqk_store_apps_put(s, batch, IMPORT_N, cursor, FIXTURE_NOW, &stats, NULL)) != TQK_OK)
		child_fail(fd, "import", err, s);
	say(fd, "D\n");
	for (;;)
		pause();
}

/* The batch's revision after a kill (0: none of it is there), having
 * checked that all of it is at that revision, with the cursor to match;
 * *audited counts the batch's import audit rows. */
static unsigned import_state(long long *audited)
{
	tqk_store *s = open_checked();
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READONLY);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) * 1000000000000 + ifnull(max(rev), 0) * 1000000"
	         " + ifnull(min(rev), 0) FROM applications WHERE reg_no BETWEEN '2026%010u'"
	         " AND '2026%010u'", IMPORT_FIRST, IMPORT_FIRST + IMPORT_N - 1);
	long long v = raw_db_count(db, sql, NULL);
	long long n = v / 1000000000000, hi = v / 1000000 % 1000000, lo = v % 1000000;
	if (n != 0 && n != IMPORT_N)
		fail_msg("%lld of the batch's %d applications are there", n, IMPORT_N);
	if (hi != lo)
		fail_msg("the batch is partly at revision %lld, partly at %lld", lo, hi);
	char cursor[TQK_STORE_CURSOR_CAP], want[32] = "";
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	if (hi != 0)
		snprintf(want, sizeof want, "rev-%lld", hi);
	if (strcmp(cursor, want) != 0)
		fail_msg("the cursor is \"%s\" with the batch at revision %lld", cursor, hi);
	*audited = raw_db_count(db, "SELECT count(*) FROM audit WHERE action = 'apps.import'"
	                        " AND subject LIKE 'rev-%'", NULL);
	sqlite3_close(db);
	tqk_store_free(s);
	return (unsigned)hi;
}

static void kill9_while_importing(void **state)
{
	(void)state;
	uint64_t rng = seed ^ 0x5eedu;
	struct round r = {0};
	unsigned rev = 0, whole = 0, none = 0;
	int64_t took = 0;
	for (unsigned k = 0; k < IMPORT_ROUNDS; k++) {
		unsigned next = rev + 1;
		/* Round 0 times the import and is killed once it is done; the
		 * others are killed anywhere from its start to a little after. */
		if (k == 0)
			run_round(child_import, 0, next, TRIGGER_DONE, 0, 0, &r);
		else
			run_round(child_import, 0, next, TRIGGER_START,
			          rng_below(&rng, (unsigned)(took * 13 / 10) + 1), 0, &r);
		if (r.problem[0] != '\0')
			fail_msg("import round %u (seed %" PRIu64 "): %s", k, seed, r.problem);
		if (k == 0)
			took = r.done_at - r.start_at;
		long long audited;
		unsigned got = import_state(&audited);
		if (got == next) {
			whole++;
			rev = next;
		} else if (got == rev) {
			if (r.done)
				fail_msg("import round %u: reported done, but the batch is not there", k);
			none++;
		} else {
			fail_msg("import round %u: the batch is at revision %u, not %u or %u", k, got, rev,
			         next);
		}
		if (audited != rev)
			fail_msg("import round %u: %lld import audit rows after %u imports", k, audited, rev);
	}
	free(r.lines);
	printf("# import: %d kills, the import taking %.1f ms; the batch was there whole %u times,"
	       " not at all %u times\n", IMPORT_ROUNDS, (double)took / 1000, whole, none);
	assert_int_equal(whole + none, IMPORT_ROUNDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kill9_while_confirming),
		cmocka_unit_test(kill9_while_importing),
	};
	return cmocka_run_group_tests_name("crash", tests, setup, teardown);
}
