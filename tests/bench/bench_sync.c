/*
 * bench_sync.c - how fast the kiosk's queue drains into a real county
 * server over loopback, and how fast the server takes records in (issue 4:
 * "drain 10,000 queued confirmations in under 5 s").
 *
 * A tq-county ($TQK_COUNTY) runs on a fresh database with two sites of
 * 10,000 demo applications each. The kiosk (site S01) downloads its
 * applications, commits a confirmation of every one (the queue fills), and
 * then one sync round drains the queue with the configured batch size; the
 * transport is wrapped to time each request. Then the server's ingest rate
 * alone: a client of the other site's kiosk uploads 10,000 records built in
 * memory, 500 a request (the API's maximum), with no kiosk store in the way.
 * The baseline is the smallest request there is, GET /v1/time, timed in the
 * same run.
 *
 * A benchmark reports and never fails on time: it exits 1 only when a call
 * fails or the server does not end up with every record, 0 otherwise.
 *
 * The server is $TQK_COUNTY, else bin/tq-county next to this program's
 * directory (build/bench/bench_sync -> build/bin/tq-county); without one the
 * benchmark says so and exits 0.
 *
 *   bench_sync [records]       default 10000
 *   TQK_BENCH_BATCH=N          records per upload of the drain (default: the
 *                              configuration's default)
 *   TQK_BENCH_KEEP=1           keep the scratch directory (its path is printed)
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "core/archive.h"
#include "proto/json.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "support/county.h"
#include "support/fixture.h"
#include "sync/client.h"
#include "sync/worker.h"

#define RECORDS_DEFAULT 10000
#define DRAIN_TARGET_MS 5000.0
#define INGEST_BATCH TQK_API_BATCH_MAX
#define BASELINE_REPS 200
#define WIDTH 5

static char scratch[512];
static county srv;
static int keep_scratch;

static void finish(int status)
{
	if (srv.pid > 0 && county_stop(&srv) != 0) {
		fprintf(stderr, "bench_sync: county: %s\n", srv.why);
		status = 1;
	}
	if (scratch[0] != '\0') {
		if (keep_scratch)
			printf("scratch directory kept: %s\n", scratch);
		else
			fixture_rmdir(scratch);
	}
	exit(status);
}

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "bench_sync: %s%s%s\n", what, detail != NULL ? ": " : "",
	        detail != NULL ? detail : "");
	if (srv.pid > 0)
		county_dump_log(&srv, 2000);
	finish(1);
}

static void must(tqk_err err, const char *what, const char *detail)
{
	if (err == TQK_OK)
		return;
	char buf[600];
	snprintf(buf, sizeof buf, "%s%s%s", tqk_err_code(err), detail != NULL ? ", " : "",
	         detail != NULL ? detail : "");
	fail(what, buf);
}

/* ---- a transport that times each request ---- */

typedef struct timed {
	tqk_http_transport inner;
	bench_samples posts;            /* POST /v1/confirmations, ms */
	bench_samples gets;             /* everything else */
	double last_post_end;           /* bench_now_ms() when the last POST came back */
} timed;

static tqk_err timed_perform(void *ctx, const tqk_http_request *req, tqk_http_reply *reply,
                             char *detail, size_t cap)
{
	timed *t = ctx;
	double t0 = bench_now_ms();
	tqk_err err = t->inner.perform(t->inner.ctx, req, reply, detail, cap);
	double t1 = bench_now_ms();
	if (strcmp(req->method, "POST") == 0) {
		bench_add(&t->posts, t1 - t0);
		t->last_post_end = t1;
	} else {
		bench_add(&t->gets, t1 - t0);
	}
	return err;
}

static void timed_free(void *ctx)
{
	timed *t = ctx;
	if (t->inner.free != NULL)
		t->inner.free(t->inner.ctx);
}

static tqk_client *timed_client(const tqk_sync_config *cfg, timed *t)
{
	memset(t, 0, sizeof *t);
	must(tqk_http_curl(cfg, &t->inner), "transport", NULL);
	tqk_http_transport tr = {.perform = timed_perform, .free = timed_free, .ctx = t};
	tqk_client *c = NULL;
	must(tqk_client_new(cfg, tr, &c), "client", NULL);
	return c;
}

/* ---- the run ---- */

static void provision(size_t records, char secret[COUNTY_SECRET_HEX],
                      char secret2[COUNTY_SECRET_HEX])
{
	char count[32];
	snprintf(count, sizeof count, "%zu", records);
	proc_result r;
	if (county_start(&srv, scratch, false) != 0 ||
	    county_provision(&srv, "S01", "K01", WIDTH, records, 1, secret) != 0 ||
	    county_admin_ok(&srv, &r, "site", "add", "--site", "S02", "--name", "长沙县第二确认点",
	                    "--county", "CSX", "--year", "2026", "--site-no", "2", "--width", "5",
	                    NULL) != 0)
		fail("county", srv.why);
	proc_result_free(&r);
	if (county_admin_ok(&srv, &r, "apps", "demo", "--site", "S02", "--count", count, "--seed",
	                    "5", NULL) != 0 ||
	    county_kiosk_add(&srv, "S02", "K21", secret2) != 0)
		fail("county", srv.why);
	proc_result_free(&r);
}

/* The registration numbers of the other site's applications, read as K21 does. */
static char (*other_site_apps(tqk_client *c, size_t *n))[TQK_CODE_CAP]
{
	size_t cap = 1024;
	char (*regs)[TQK_CODE_CAP] = malloc(cap * TQK_CODE_CAP);
	char cursor[TQK_JSON_CURSOR_MAX + 1] = "";
	bool more = true;
	*n = 0;
	while (more) {
		tqk_application *apps = NULL;
		size_t k = 0;
		char next[TQK_JSON_CURSOR_MAX + 1];
		must(tqk_client_applications(c, time(NULL), cursor, TQK_API_PAGE_MAX, &apps, &k, next,
		                             &more), "GET /v1/applications as K21", tqk_client_detail(c));
		for (size_t i = 0; i < k; i++) {
			if (*n == cap) {
				cap *= 2;
				regs = realloc(regs, cap * TQK_CODE_CAP);
			}
			if (regs == NULL)
				fail("out of memory", NULL);
			memcpy(regs[(*n)++], apps[i].reg_no, TQK_CODE_CAP);
		}
		free(apps);
		memcpy(cursor, next, sizeof cursor);
	}
	return regs;
}

/* Sets $TQK_COUNTY from this program's place when it is not set; false when
 * there is no server to run. */
static bool find_server(void)
{
	const char *env = getenv("TQK_COUNTY");
	if (env != NULL && env[0] != '\0')
		return true;
	char self[1024];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return false;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (slash == NULL)
		return false;
	*slash = '\0';
	char bin[1200];
	snprintf(bin, sizeof bin, "%s/../bin/tq-county", self);
	if (access(bin, X_OK) != 0)
		return false;
	return setenv("TQK_COUNTY", bin, 1) == 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (!find_server()) {
		printf("bench_sync: no county server (set TQK_COUNTY, or build bin/tq-county next to "
		       "this program's directory): nothing measured\n");
		return 0;
	}
	size_t records = argc > 1 ? strtoul(argv[1], NULL, 10) : RECORDS_DEFAULT;
	if (records == 0 || records > 99999) {
		fprintf(stderr, "usage: bench_sync [records (1..99999)]\n");
		return 2;
	}
	const char *keep = getenv("TQK_BENCH_KEEP");
	keep_scratch = keep != NULL && keep[0] == '1';
	fixture_tmpdir(scratch, sizeof scratch);

	char secret[COUNTY_SECRET_HEX], secret2[COUNTY_SECRET_HEX];
	double t0 = bench_now_ms();
	provision(records, secret, secret2);
	printf("county server on 127.0.0.1:%d, 2 sites x %zu demo applications (set up in %.0f ms)\n",
	       srv.port, records, bench_now_ms() - t0);

	tqk_sync_config cfg;
	if (county_kiosk_config(&cfg, srv.port, "K01", secret, 60, 0) != 0)
		fail("config", NULL);
	cfg.connect_timeout = 5;
	const char *b = getenv("TQK_BENCH_BATCH");
	if (b != NULL && b[0] != '\0')
		cfg.batch = atoi(b);
	char path[700];
	snprintf(path, sizeof path, "%s/kiosk.db", scratch);
	tqk_store *s = county_kiosk_store(path, "K01", WIDTH);
	if (s == NULL)
		fail("kiosk store", NULL);
	timed tk;
	tqk_client *c = timed_client(&cfg, &tk);

	bench_header();

	/* baseline: the smallest request */
	bench_samples base = {0};
	for (int i = 0; i < BASELINE_REPS; i++) {
		tqk_time now;
		double a = bench_now_ms();
		must(tqk_client_time(c, &now), "GET /v1/time", tqk_client_detail(c));
		bench_add(&base, bench_now_ms() - a);
	}
	bench_row("baseline: GET /v1/time round trip", &base, NULL, NULL);

	/* the download */
	tqk_round_stats st;
	double d0 = bench_now_ms();
	must(tqk_sync_round_with(s, c, &tqk_clock_system, &cfg, &st), "first round", st.detail);
	double dl_ms = bench_now_ms() - d0;
	if (st.applications != records)
		fail("first round", "not every application came down");
	char fig[64];
	snprintf(fig, sizeof fig, "%.0f ms, %.0f apps/s", dl_ms, (double)records * 1000.0 / dl_ms);
	bench_note_row("download applications (one round)", records, NULL, fig);

	/* the queue fills */
	bench_samples commits = {0};
	double c0 = bench_now_ms();
	for (size_t i = 0; i < records; i++) {
		char reg[TQK_CODE_CAP];
		if (county_kiosk_submitted(s, reg) != 0)
			fail("no application left to confirm", NULL);
		tqk_confirmation cf;
		fixture_confirmation(reg, &cf);
		cf.at = time(NULL);
		cf.time_source = TQK_TIME_ANCHORED;
		double a = bench_now_ms();
		must(tqk_store_confirm(s, &cf), "confirm", tqk_store_detail(s));
		bench_add(&commits, bench_now_ms() - a);
		if (i % 10 == 9 && tqk_store_checkpoint(s) != TQK_OK)
			fail("checkpoint", tqk_store_detail(s));
	}
	double fill_ms = bench_now_ms() - c0;
	bench_row("commit (queue fill)", &commits, NULL, NULL);

	/* the drain: one round */
	tqk_outbox_counts oc;
	must(tqk_store_outbox_counts(s, &oc), "outbox counts", NULL);
	if (oc.n[TQK_OUTBOX_PENDING] != records)
		fail("queue", "not every record is pending");
	bench_free(&tk.posts);
	bench_free(&tk.gets);
	double r0 = bench_now_ms();
	must(tqk_sync_round_with(s, c, &tqk_clock_system, &cfg, &st), "drain round", st.detail);
	double round_ms = bench_now_ms() - r0;
	double drain_ms = tk.last_post_end - r0;
	must(tqk_store_outbox_counts(s, &oc), "outbox counts", NULL);
	if (oc.n[TQK_OUTBOX_ACKED] != records || st.uploaded != records)
		fail("drain", "not every record was acked in one round");
	int batch = cfg.batch;
	char name[96], target[64];
	snprintf(name, sizeof name, "upload request (batch %d)", batch);
	bench_row(name, &tk.posts, NULL, NULL);
	snprintf(fig, sizeof fig, "%.0f ms, %.0f rec/s", drain_ms, (double)records * 1000.0 / drain_ms);
	snprintf(target, sizeof target, "< %.0f s: %s", DRAIN_TARGET_MS / 1000,
	         drain_ms < DRAIN_TARGET_MS * (double)records / RECORDS_DEFAULT ? "met" : "MISSED");
	snprintf(name, sizeof name, "drain the queue (batch %d)", batch);
	bench_note_row(name, records, target, fig);
	double http_ms = 0;
	for (size_t i = 0; i < tk.posts.n; i++)
		http_ms += tk.posts.ms[i];
	snprintf(fig, sizeof fig, "%.0f ms, %.0f%% of the drain", http_ms, 100.0 * http_ms / drain_ms);
	bench_note_row("  of which waiting for the server", tk.posts.n, NULL, fig);
	snprintf(fig, sizeof fig, "%.0f ms, %.3f ms/record", drain_ms - http_ms,
	         (drain_ms - http_ms) / (double)records);
	bench_note_row("  of which the kiosk (claim, results)", records, NULL, fig);
	snprintf(fig, sizeof fig, "%.0f ms", round_ms);
	bench_note_row("the whole round (then the downloads)", st.applications, NULL, fig);

	/* the server alone: K21 uploads records built in memory, 500 a request */
	tqk_sync_config cfg2;
	if (county_kiosk_config(&cfg2, srv.port, "K21", secret2, 60, 0) != 0)
		fail("config", NULL);
	timed tk2;
	tqk_client *c2 = timed_client(&cfg2, &tk2);
	size_t n2 = 0;
	char (*regs)[TQK_CODE_CAP] = other_site_apps(c2, &n2);
	if (n2 < records)
		fail("the other site", "fewer applications than asked for");
	char **payloads = calloc(records, sizeof *payloads);
	if (payloads == NULL)
		fail("out of memory", NULL);
	for (size_t i = 0; i < records; i++) {
		tqk_confirmation cf;
		fixture_confirmation(regs[i], &cf);
		tqk_store_new_uuid(cf.uuid);
		snprintf(cf.site, sizeof cf.site, "S02");
		snprintf(cf.kiosk, sizeof cf.kiosk, "K21");
		cf.at = time(NULL);
		cf.time_source = TQK_TIME_ANCHORED;
		tqk_archive ar = {"CSX", 2026, 2, (int)i + 1};
		must(tqk_archive_format(&ar, WIDTH, cf.archive_no), "archive number", NULL);
		json_t *j = tqk_json_confirmation_encode(&cf);
		payloads[i] = j != NULL ? tqk_json_dump(j) : NULL;
		json_decref(j);
		if (payloads[i] == NULL)
			fail("out of memory", NULL);
	}
	tqk_upload_result *results = calloc(INGEST_BATCH, sizeof *results);
	bench_free(&tk2.posts);
	double i0 = bench_now_ms();
	for (size_t from = 0; from < records; from += INGEST_BATCH) {
		size_t k = records - from < INGEST_BATCH ? records - from : INGEST_BATCH;
		must(tqk_client_upload(c2, time(NULL), (const char *const *)payloads + from, k, results),
		     "upload as K21", tqk_client_detail(c2));
		for (size_t i = 0; i < k; i++)
			if (results[i].status != TQK_UPLOAD_STORED)
				fail("upload as K21", results[i].message);
	}
	double ingest_ms = bench_now_ms() - i0;
	snprintf(name, sizeof name, "server ingest request (batch %d)", INGEST_BATCH);
	bench_row(name, &tk2.posts, NULL, NULL);
	snprintf(fig, sizeof fig, "%.0f ms, %.0f rec/s", ingest_ms,
	         (double)records * 1000.0 / ingest_ms);
	bench_note_row("server ingest, no kiosk store", records, NULL, fig);

	long held = county_stat(&srv, "confirmations");
	if (held != (long)(2 * records))
		fail("the server's count", srv.why[0] != '\0' ? srv.why : "not every record is there");

	printf("\nqueue of %zu filled in %.0f ms; drained in %.0f ms with batches of %d "
	       "(%.0f records/s); server ingest %.0f records/s with batches of %d; "
	       "the server holds %ld confirmations.\n", records, fill_ms, drain_ms, batch,
	       (double)records * 1000.0 / drain_ms, (double)records * 1000.0 / ingest_ms,
	       INGEST_BATCH, held);

	for (size_t i = 0; i < records; i++)
		free(payloads[i]);
	free(payloads);
	free(results);
	free(regs);
	bench_free(&base);
	bench_free(&commits);
	bench_free(&tk.posts);
	bench_free(&tk.gets);
	bench_free(&tk2.posts);
	bench_free(&tk2.gets);
	tqk_client_free(c2);
	tqk_client_free(c);
	tqk_store_free(s);
	finish(0);
}
