/*
 * bench_store.c - how fast the local store is where the counter feels it:
 * committing a confirmation, looking an applicant up, and the clerk's list
 * at any depth, on a store of 100,000 fixture applications in a scratch
 * directory.
 *
 * The commit (tqk_store_confirm) is set against a baseline measured in the
 * same run, on the same disk: a raw SQLite transaction of two inserts (WAL,
 * synchronous=FULL, a separate file in the same directory), one commit of
 * each in turn so that both see the same noise. Every tenth commit is
 * followed by the idle-time checkpoint the kiosk runs (tqk_store_checkpoint,
 * untimed); the raw baseline keeps SQLite's default automatic checkpoint.
 * Every figure is a
 * percentile of many timings on CLOCK_MONOTONIC after a warm-up; read the
 * medians first, these machines are noisy.
 *
 * A benchmark reports and never fails on time: it exits 1 only when a call
 * fails (or returns what it must not), 0 otherwise, targets met or not.
 *
 *   bench_store [applications [commits]]    default 100000 and 2000
 *   TQK_BENCH_KEEP=1    keep the scratch directory (its path is printed)
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "core/err.h"
#include "store/apps.h"
#include "store/confirm.h"
#include "support/fixture.h"

#define APPS_DEFAULT 100000
#define COMMITS_DEFAULT 2000
#define COMMIT_WARMUP 50
#define COMMIT_BUDGET_MS 30000.0        /* the commit loop stops early beyond this */
#define LOOKUPS 5000
#define LOOKUP_WARMUP 200
#define PAGE_REPS 300
#define PAGE_WARMUP 20

#define COMMIT_RATIO_TARGET 3.0         /* commit p99 within 3x the raw p99 */
#define LOOKUP_TARGET_MS 1.0            /* tqk_store_find_id p99 */
#define PAGE_TARGET_MS 5.0              /* any page of the clerk's list, p99 */

static char scratch[4096];
static int keep_scratch;
static int missed;                      /* targets missed, for the summary */

/* Ends the run, removing the scratch directory unless asked to keep it. */
static void finish(int status)
{
	if (scratch[0] != '\0') {
		if (keep_scratch)
			printf("scratch directory kept: %s\n", scratch);
		else
			fixture_rmdir(scratch);
	}
	exit(status);
}

static void must(tqk_err err, tqk_store *s, const char *what)
{
	if (err == TQK_OK)
		return;
	fprintf(stderr, "bench_store: %s: %s (%s)\n", what, tqk_err_code(err),
	        s != NULL ? tqk_store_detail(s) : "");
	finish(1);
}

static void must_sql(int rc, sqlite3 *db, const char *what)
{
	if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW)
		return;
	fprintf(stderr, "bench_store: %s: %s (SQLite %d)\n", what,
	        db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc), rc);
	finish(1);
}

static void fail(const char *what)
{
	fprintf(stderr, "bench_store: %s\n", what);
	finish(1);
}

/* xorshift64*: the same "random" applications on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717u;
}

/* The target cell: "<what>: met" or "<what>: MISSED". */
static const char *verdict(char *buf, size_t cap, const char *what, int met)
{
	snprintf(buf, cap, "%s: %s", what, met ? "met" : "MISSED");
	missed += !met;
	return buf;
}

/* ---- the raw baseline ---- */

/* Two tables of the sizes a confirmation writes: the record itself and its
 * upload-queue entry; rowid tables, no other index. */
typedef struct raw {
	sqlite3 *db;
	sqlite3_stmt *record, *queue;
	char uuid[40];
	char body[401];                 /* ~400 bytes of text */
	char payload[601];              /* ~600 bytes, like the outbox's JSON */
} raw;

static void raw_open(raw *r, const char *path)
{
	must_sql(sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
	         r->db, "raw: open");
	sqlite3_stmt *st = NULL;
	must_sql(sqlite3_prepare_v2(r->db, "PRAGMA journal_mode = WAL", -1, &st, NULL), r->db,
	         "raw: journal_mode");
	must_sql(sqlite3_step(st), r->db, "raw: journal_mode");
	const char *mode = (const char *)sqlite3_column_text(st, 0);
	if (mode == NULL || strcmp(mode, "wal") != 0)
		fail("raw: journal_mode is not wal");
	sqlite3_finalize(st);
	must_sql(sqlite3_exec(r->db,
		"PRAGMA synchronous = FULL;"
		"CREATE TABLE record(id INTEGER PRIMARY KEY, uuid TEXT NOT NULL,"
		" body TEXT NOT NULL);"
		"CREATE TABLE queue(id INTEGER PRIMARY KEY, uuid TEXT NOT NULL,"
		" payload TEXT NOT NULL, created INTEGER NOT NULL);",
		NULL, NULL, NULL), r->db, "raw: schema");
	must_sql(sqlite3_prepare_v2(r->db, "INSERT INTO record(uuid, body) VALUES (?1, ?2)", -1,
	                            &r->record, NULL), r->db, "raw: prepare");
	must_sql(sqlite3_prepare_v2(r->db, "INSERT INTO queue(uuid, payload, created)"
	                            " VALUES (?1, ?2, ?3)", -1, &r->queue, NULL), r->db,
	         "raw: prepare");
}

static void raw_close(raw *r)
{
	sqlite3_finalize(r->record);
	sqlite3_finalize(r->queue);
	sqlite3_close(r->db);
}

/* Fills the texts of transaction i (outside the timing). */
static void raw_fill(raw *r, unsigned i)
{
	snprintf(r->uuid, sizeof r->uuid, "%08x-0000-4000-8000-%012x", i, i * 2654435761u);
	int n = snprintf(r->body, sizeof r->body, "%s|2026%010u|S01|K01|C007|1111111101|", r->uuid, i);
	for (size_t k = (size_t)n; k < sizeof r->body - 1; k++)
		r->body[k] = (char)('a' + (i + k) % 26);
	r->body[sizeof r->body - 1] = '\0';
	n = snprintf(r->payload, sizeof r->payload, "{\"uuid\":\"%s\",\"reg_no\":\"2026%010u\","
	             "\"remark\":\"", r->uuid, i);
	for (size_t k = (size_t)n; k < sizeof r->payload - 3; k++)
		r->payload[k] = (char)('A' + (i + k) % 26);
	memcpy(r->payload + sizeof r->payload - 3, "\"}", 3);
}

/* One transaction of two inserts, as the store begins and ends its own. */
static void raw_commit(raw *r, unsigned i)
{
	must_sql(sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL), r->db, "raw: begin");
	sqlite3_bind_text(r->record, 1, r->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->record, 2, r->body, -1, SQLITE_STATIC);
	must_sql(sqlite3_step(r->record), r->db, "raw: insert record");
	sqlite3_reset(r->record);
	sqlite3_bind_text(r->queue, 1, r->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->queue, 2, r->payload, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r->queue, 3, (sqlite3_int64)FIXTURE_NOW + i);
	must_sql(sqlite3_step(r->queue), r->db, "raw: insert queue");
	sqlite3_reset(r->queue);
	must_sql(sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL), r->db, "raw: commit");
}

/* ---- commits ---- */

static void bench_commits(tqk_store *s, const char *dir, unsigned apps, size_t commits)
{
	/* Distinct applications in random order: confirmations land all over
	 * the table and its indexes, as they do at a counter. */
	unsigned *order = malloc(apps * sizeof *order);
	if (order == NULL)
		fail("out of memory");
	for (unsigned i = 0; i < apps; i++)
		order[i] = i;
	for (unsigned i = apps - 1; i > 0; i--) {
		unsigned j = (unsigned)(rng_next() % (i + 1));
		unsigned t = order[i];
		order[i] = order[j];
		order[j] = t;
	}

	char path[4200];
	snprintf(path, sizeof path, "%s/raw.db", dir);
	raw r = {0};
	raw_open(&r, path);

	static tqk_application app;
	static tqk_confirmation conf;
	bench_samples commit = {0}, base = {0};
	size_t total = COMMIT_WARMUP + commits;
	if (total > apps)
		total = apps;
	double start = bench_now_ms();
	for (size_t i = 0; i < total; i++) {
		fixture_app(order[i], FIXTURE_SITE, &app);
		fixture_confirmation(app.reg_no, &conf);
		raw_fill(&r, (unsigned)i);
		double tc = 0, tr = 0;
		/* Alternate which goes first, so neither always follows the other. */
		for (int k = 0; k < 2; k++) {
			double t0 = bench_now_ms();
			if ((k == 0) == (i % 2 == 0)) {
				must(tqk_store_confirm(s, &conf), s, "tqk_store_confirm");
				tc = bench_now_ms() - t0;
			} else {
				raw_commit(&r, (unsigned)i);
				tr = bench_now_ms() - t0;
			}
		}
		if (conf.archive_no[0] == '\0')
			fail("tqk_store_confirm gave no archive number");
		/* The kiosk checkpoints while the counter is idle (after the
		 * screen says "saved"): untimed, as no teacher waits for it. */
		if (i % 10 == 9)
			must(tqk_store_checkpoint(s), s, "tqk_store_checkpoint");
		if (i < COMMIT_WARMUP)
			continue;
		bench_add(&commit, tc);
		bench_add(&base, tr);
		if (bench_now_ms() - start > COMMIT_BUDGET_MS && commit.n < commits) {
			printf("(commit loop stopped after %.0f s: %zu of %zu commits timed)\n",
			       COMMIT_BUDGET_MS / 1e3, commit.n, commits);
			break;
		}
	}
	free(order);
	raw_close(&r);

	char t[64], ratio[64];
	double r50 = bench_pct(&commit, 50) / bench_pct(&base, 50);
	double r99 = bench_pct(&commit, 99) / bench_pct(&base, 99);
	snprintf(ratio, sizeof ratio, "%.2fx p50, %.2fx p99", r50, r99);
	bench_row("commit tqk_store_confirm", &commit, "", ratio);
	bench_row("raw txn, 2 inserts (baseline)", &base, "", "1.00x");
	snprintf(ratio, sizeof ratio, "%.2fx", r50);
	bench_note_row("ratio commit/raw at p50", commit.n, "", ratio);
	snprintf(ratio, sizeof ratio, "%.2fx", r99);
	bench_note_row("ratio commit/raw at p99", commit.n,
	               verdict(t, sizeof t, "≤ 3.0x", r99 <= COMMIT_RATIO_TARGET), ratio);
	/* How many commits make the tail: the target holds while under 1% do. */
	double limit = COMMIT_RATIO_TARGET * bench_pct(&base, 99);
	size_t slow = 0;
	for (size_t i = 0; i < commit.n; i++)
		slow += commit.ms[i] > limit;
	snprintf(ratio, sizeof ratio, "%.1f%% of commits", 100.0 * (double)slow / (double)commit.n);
	snprintf(t, sizeof t, "commits > %.3f ms", limit);
	bench_note_row(t, slow, "≤ 1% allowed", ratio);
	bench_free(&commit);
	bench_free(&base);
}

/* ---- look-ups ---- */

static void bench_lookups(tqk_store *s, unsigned apps)
{
	static tqk_application probe, found[4];
	bench_samples by_id = {0}, by_reg = {0};
	for (int i = 0; i < LOOKUP_WARMUP + LOOKUPS; i++) {
		fixture_app((unsigned)(rng_next() % apps), FIXTURE_SITE, &probe);
		size_t n = 0;
		double t0 = bench_now_ms();
		must(tqk_store_find_id(s, probe.id_number, found, 4, &n), s, "tqk_store_find_id");
		double t1 = bench_now_ms();
		must(tqk_store_app_get(s, probe.reg_no, &found[1]), s, "tqk_store_app_get");
		double t2 = bench_now_ms();
		if (n != 1 || strcmp(found[0].reg_no, probe.reg_no) != 0 ||
		    strcmp(found[1].id_number, probe.id_number) != 0)
			fail("a look-up found the wrong application");
		if (i < LOOKUP_WARMUP)
			continue;
		bench_add(&by_id, t1 - t0);
		bench_add(&by_reg, t2 - t1);
	}
	char t[64];
	bench_row("find_id, random existing ID", &by_id,
	          verdict(t, sizeof t, "p99 < 1 ms", bench_pct(&by_id, 99) < LOOKUP_TARGET_MS), "");
	bench_row("app_get, random reg_no", &by_reg, "", "");
	bench_free(&by_id);
	bench_free(&by_reg);
}

/* ---- the clerk's list ---- */

static tqk_page page;

/* The keys of a listing walked from its first page to its last:
 * keys[k - 1] fetches page k (keys[0] is unused: page 1 takes NULL). */
typedef struct walk {
	tqk_page_key *keys;
	size_t pages, rows;
} walk;

/* Walks every page once, timing each (into per_page when not NULL). */
static walk walk_pages(tqk_store *s, tqk_state state, const char *search, bench_samples *per_page)
{
	walk w = {0};
	size_t cap = 64;
	w.keys = malloc(cap * sizeof *w.keys);
	if (w.keys == NULL)
		fail("out of memory");
	const tqk_page_key *after = NULL;
	for (;;) {
		double t0 = bench_now_ms();
		must(tqk_store_page(s, state, search, after, &page), s, "tqk_store_page (walk)");
		if (per_page != NULL)
			bench_add(per_page, bench_now_ms() - t0);
		w.pages++;
		w.rows += page.n;
		if (!page.more)
			break;
		if (w.pages == cap) {
			cap *= 2;
			tqk_page_key *k = realloc(w.keys, cap * sizeof *k);
			if (k == NULL)
				fail("out of memory");
			w.keys = k;
		}
		w.keys[w.pages] = page.next;
		after = &w.keys[w.pages];
	}
	return w;
}

/* The key that fetches page k (1-based) of w; NULL for the first. */
static const tqk_page_key *walk_key(const walk *w, size_t k)
{
	if (k > w->pages)
		k = w->pages;
	return k <= 1 ? NULL : &w->keys[k - 1];
}

/* Times fetching one page repeatedly from its saved key. */
static void time_page(tqk_store *s, const char *name, tqk_state state, const char *search,
                      const tqk_page_key *after)
{
	bench_samples b = {0};
	for (int i = 0; i < PAGE_WARMUP + PAGE_REPS; i++) {
		double t0 = bench_now_ms();
		must(tqk_store_page(s, state, search, after, &page), s, name);
		double t1 = bench_now_ms();
		if (page.n == 0)
			fail("a page of the clerk's list came back empty");
		if (i >= PAGE_WARMUP)
			bench_add(&b, t1 - t0);
	}
	char t[64];
	bench_row(name, &b, verdict(t, sizeof t, "p99 < 5 ms", bench_pct(&b, 99) < PAGE_TARGET_MS),
	          "");
	bench_free(&b);
}

/* The walk's own line: each page timed once, first to last. */
static void walk_row(const char *what, bench_samples *b, const walk *w)
{
	char name[128], t[64], n[64];
	snprintf(name, sizeof name, "%s, walk (each once)", what);
	snprintf(n, sizeof n, "%zu pages, %zu rows", w->pages, w->rows);
	bench_row(name, b, verdict(t, sizeof t, "p99 < 5 ms", bench_pct(b, 99) < PAGE_TARGET_MS), n);
}

static void bench_pages(tqk_store *s, unsigned apps)
{
	char name[128];
	bench_samples b = {0};

	/* Every application, by registration number. */
	time_page(s, "page all, first", TQK_ST_NONE, NULL, NULL);
	walk all = walk_pages(s, TQK_ST_NONE, NULL, &b);
	walk_row("page all", &b, &all);
	bench_free(&b);
	if (all.rows != apps)
		fail("the walk of the clerk's list missed applications");
	size_t deep[] = {1000, 2000};
	for (size_t i = 0; i < sizeof deep / sizeof deep[0]; i++) {
		size_t k = deep[i] < all.pages ? deep[i] : all.pages;
		snprintf(name, sizeof name, "page all, page %zu", k);
		time_page(s, name, TQK_ST_NONE, NULL, walk_key(&all, k));
	}
	free(all.keys);

	/* A state filter: the confirmed few and the submitted many. */
	walk w = walk_pages(s, TQK_ST_CONFIRMED, NULL, NULL);
	snprintf(name, sizeof name, "page state=confirmed, first");
	time_page(s, name, TQK_ST_CONFIRMED, NULL, NULL);
	snprintf(name, sizeof name, "page state=confirmed, page %zu", w.pages);
	time_page(s, name, TQK_ST_CONFIRMED, NULL, walk_key(&w, w.pages));
	free(w.keys);
	time_page(s, "page state=submitted, first", TQK_ST_SUBMITTED, NULL, NULL);
	w = walk_pages(s, TQK_ST_SUBMITTED, NULL, NULL);
	size_t k = w.pages < 1000 ? w.pages : 1000;
	snprintf(name, sizeof name, "page state=submitted, page %zu", k);
	time_page(s, name, TQK_ST_SUBMITTED, NULL, walk_key(&w, k));
	free(w.keys);

	/* A name prefix: one surname in twenty. */
	time_page(s, "page name 王, first", TQK_ST_NONE, "王", NULL);
	w = walk_pages(s, TQK_ST_NONE, "王", &b);
	walk_row("page name 王", &b, &w);
	bench_free(&b);
	snprintf(name, sizeof name, "page name 王, page %zu (last)", w.pages);
	time_page(s, name, TQK_ST_NONE, "王", walk_key(&w, w.pages));
	free(w.keys);

	/* A registration-number prefix: the 10,000 from the middle on. */
	static tqk_application a;
	fixture_app(apps / 2, FIXTURE_SITE, &a);
	char prefix[TQK_CODE_CAP];
	snprintf(prefix, sizeof prefix, "%.*s", (int)strlen(a.reg_no) - 4, a.reg_no);
	snprintf(name, sizeof name, "page reg %s*, first", prefix);
	time_page(s, name, TQK_ST_NONE, prefix, NULL);
	w = walk_pages(s, TQK_ST_NONE, prefix, &b);
	snprintf(name, sizeof name, "page reg %s*", prefix);
	walk_row(name, &b, &w);
	bench_free(&b);
	snprintf(name, sizeof name, "page reg %s*, page %zu (last)", prefix, w.pages);
	time_page(s, name, TQK_ST_NONE, prefix, walk_key(&w, w.pages));
	free(w.keys);

	/* An exact ID number. */
	fixture_app((unsigned)(rng_next() % apps), FIXTURE_SITE, &a);
	time_page(s, "page exact ID number", TQK_ST_NONE, a.id_number, NULL);
	if (page.n != 1 || strcmp(page.rows[0].reg_no, a.reg_no) != 0)
		fail("the ID-number search found the wrong applications");
}

/* ---- what the store holds ---- */

/* Row sizes and file sizes read through a raw read-only connection. */
static void describe(const char *store_path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	must_sql(sqlite3_open_v2(store_path, &db, SQLITE_OPEN_READONLY, NULL), db, "describe: open");
	must_sql(sqlite3_prepare_v2(db,
		"SELECT (SELECT count(*) FROM confirmations),"
		" (SELECT avg(length(uuid) + length(reg_no) + length(site) + length(kiosk)"
		"  + length(clerk) + length(marks) + length(conclusion) + length(remark)"
		"  + length(message) + length(archive_no) + length(time_source)) FROM confirmations),"
		" (SELECT avg(length(payload)) FROM outbox),"
		" (SELECT avg(length(detail) + length(subject) + length(actor)) FROM audit),"
		" (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size)",
		-1, &st, NULL), db, "describe: prepare");
	must_sql(sqlite3_step(st), db, "describe: step");
	printf("store after the run: %lld confirmations (record ~%.0f bytes of text, outbox"
	       " payload ~%.0f bytes, audit ~%.0f bytes); file %.1f MB\n",
	       sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1),
	       sqlite3_column_double(st, 2), sqlite3_column_double(st, 3),
	       sqlite3_column_double(st, 4) / 1e6);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The size of path with suffix appended, in bytes; 0 when missing. */
static double file_size(const char *path, const char *suffix)
{
	char name[4300];
	struct stat sb;
	snprintf(name, sizeof name, "%s%s", path, suffix);
	return stat(name, &sb) == 0 ? (double)sb.st_size : 0.0;
}

int main(int argc, char **argv)
{
	unsigned apps = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : APPS_DEFAULT;
	size_t commits = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : COMMITS_DEFAULT;
	if (apps < 1000 || apps > 10000000 || commits < 100) {
		fprintf(stderr, "usage: bench_store [applications (1000..10000000) [commits (>= 100)]]\n");
		return 2;
	}
	const char *k = getenv("TQK_BENCH_KEEP");
	keep_scratch = k != NULL && k[0] != '\0' && strcmp(k, "0") != 0;
	setvbuf(stdout, NULL, _IOLBF, 0);

	fixture_tmpdir(scratch, sizeof scratch);
	char path[4200];
	snprintf(path, sizeof path, "%s/store.db", scratch);
	printf("bench_store: SQLite %s (built with %s), %ld cores online, scratch %s\n",
	       sqlite3_libversion(), SQLITE_VERSION, sysconf(_SC_NPROCESSORS_ONLN), scratch);

	tqk_store *s = NULL;
	double t0 = bench_now_ms();
	/* Serial width 6: room for every confirmation the run makes. */
	must(fixture_store(path, apps, 6, &s), NULL, "fixture_store");
	double secs = (bench_now_ms() - t0) / 1e3;
	printf("import: fixture_store of %u applications took %.2f s: %.0f applications/s;"
	       " %.1f MB on disk (file and WAL)\n\n", apps, secs, apps / secs,
	       (file_size(path, "") + file_size(path, "-wal")) / 1e6);

	bench_header();
	bench_commits(s, scratch, apps, commits);
	bench_lookups(s, apps);
	bench_pages(s, apps);
	tqk_store_free(s);
	printf("\n");
	describe(path);
	printf("targets: commit p99 ≤ 3.0x raw p99; find_id p99 < 1 ms; every page p99 < 5 ms."
	       " %d missed (figures only: a benchmark never fails on time).\n", missed);
	finish(0);
}
