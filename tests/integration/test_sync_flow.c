/*
 * test_sync_flow.c - the kiosk's sync against a real county server on
 * loopback (issue 4, "Proof"): both directions, and every way the network
 * or the server can fail on the way, each ending with the same check:
 * every record committed at the kiosk is on the server exactly once, and the
 * kiosk's upload queue has nothing left pending or in flight.
 *
 * Each test gets a fresh tq-county ($TQK_COUNTY, started with --test-faults
 * on a free port) provisioned with site S01, kiosk K01, a plan and demo
 * applications; a fault-injecting proxy (tests/support/faultproxy) in front
 * of it; and an empty kiosk store whose applications come down in the first
 * sync round. Rounds run on the test's thread (tqk_sync_round) unless a test
 * is about the worker thread itself.
 *
 * What users of other offline-first systems complain about (DESIGN.md §4),
 * and the test that shows it cannot happen here:
 *   duplicates after a retry of a request that had in fact succeeded
 *       killed_after_storing_the_retry_is_a_duplicate, the garbage and
 *       truncated replies, the proxy's reset and truncated replies
 *   records lost when the network fails  every test's final check
 *   auto-send that does not fire when the network returns
 *       worker_sends_by_itself_when_the_server_returns
 *   one bad record blocking all  rejected_record_is_quarantined_and_the_rest_arrive
 *   a conflicting copy overwritten  conflict_is_reported_not_overwritten
 *   stuck queues  crashed_uploader_rows_come_back; and no test may end with a
 *       row pending or sending
 *   device clocks that lie  lying_wall_clock_does_not_stop_sync
 *
 * TQK_KEEP=1 keeps each test's scratch directory (the server's log is in it);
 * TQK_TEST_FILTER=PATTERN (e.g. "*conflict*") runs only the matching tests.
 */
#define _GNU_SOURCE
#include "test.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "core/confirmation.h"
#include "core/payload.h"
#include "dev/devsys.h"
#include "proto/json.h"
#include "store/apps.h"
#include "store/change.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/plan.h"
#include "store/store.h"
#include "store/walkin.h"
#include "support/county.h"
#include "support/expect.h"
#include "support/faultproxy.h"
#include "support/fixture.h"
#include "support/rawdb.h"
#include "sync/client.h"
#include "sync/clock.h"
#include "sync/config.h"
#include "sync/worker.h"

#define APPS 80                 /* demo applications on the server */
#define BIG_APPS 2500           /* for the download that must resume: several pages */
#define TIMEOUT_S 2             /* the client's total timeout per request */
#define DRAIN_MS 30000          /* how long the queue may take to empty after a fault */
#define UPLOAD_PATH "POST /v1/confirmations"

typedef struct env {
	char dir[512], kdb[700];
	county srv;
	char secret[COUNTY_SECRET_HEX];
	faultproxy *proxy;
	tqk_sync_config cfg;        /* through the proxy */
	tqk_store *s;
	tqk_client *c;              /* through the proxy */
	char (*uuids)[TQK_UUID_CAP];/* every record committed, in order */
	size_t n, cap;
} env;

/* ---- set-up ---- */

static void note_why(const county *srv)
{
	fprintf(stderr, "# county: %s\n", srv->why);
	county_dump_log(srv, 4000);
}

static tqk_client *new_client(const tqk_sync_config *cfg)
{
	tqk_http_transport t;
	tqk_client *c = NULL;
	if (tqk_http_curl(cfg, &t) != TQK_OK || tqk_client_new(cfg, t, &c) != TQK_OK)
		return NULL;
	return c;
}

static int setup_with(void **state, size_t apps)
{
	signal(SIGPIPE, SIG_IGN);
	env *e = calloc(1, sizeof *e);
	if (e == NULL)
		return -1;
	*state = e;
	fixture_tmpdir(e->dir, sizeof e->dir);
	if (county_start(&e->srv, e->dir, true) != 0 ||
	    county_provision(&e->srv, "S01", "K01", 3, apps, 1, e->secret) != 0) {
		note_why(&e->srv);
		return -1;
	}
	e->proxy = fp_start(e->srv.port);
	if (e->proxy == NULL ||
	    county_kiosk_config(&e->cfg, fp_port(e->proxy), "K01", e->secret, TIMEOUT_S, 0) != 0)
		return -1;
	snprintf(e->kdb, sizeof e->kdb, "%s/kiosk.db", e->dir);
	e->s = county_kiosk_store(e->kdb, "K01", 3);
	e->c = new_client(&e->cfg);
	return e->s != NULL && e->c != NULL ? 0 : -1;
}

static int setup(void **state)
{
	return setup_with(state, APPS);
}

static int setup_big(void **state)
{
	return setup_with(state, BIG_APPS);
}

static int teardown(void **state)
{
	env *e = *state;
	if (e == NULL)
		return 0;
	int rc = 0;
	tqk_client_free(e->c);
	tqk_store_free(e->s);
	fp_stop(e->proxy);
	if (e->srv.pid > 0 && county_stop(&e->srv) != 0) {
		/* SIGTERM must end the server cleanly, whatever the test did */
		note_why(&e->srv);
		rc = -1;
	}
	const char *keep = getenv("TQK_KEEP");
	if (keep != NULL && keep[0] == '1')
		fprintf(stderr, "# kept %s\n", e->dir);
	else
		fixture_rmdir(e->dir);
	free(e->uuids);
	free(e);
	return rc;
}

/* ---- the kiosk's side ---- */

/* One round with client c (configured by cfg: batch, backoff cap) on store
 * s; a failure is printed with its detail. */
static tqk_err round_with(tqk_store *s, tqk_client *c, const tqk_sync_config *cfg,
                          const tqk_clock_source *src, tqk_round_stats *st)
{
	tqk_round_stats local;
	if (st == NULL)
		st = &local;
	memset(st, 0, sizeof *st);
	tqk_err err = tqk_sync_round_with(s, c, src, cfg, st);
	if (err != TQK_OK)
		fprintf(stderr, "# round failed: %s\n", st->detail);
	return err;
}

static tqk_err round1(env *e, tqk_round_stats *st)
{
	return round_with(e->s, e->c, &e->cfg, &tqk_clock_system, st);
}

/* The first round: the plan, the clerks and the applications come down. */
static void download(env *e)
{
	tqk_round_stats st;
	assert_int_equal(round1(e, &st), TQK_OK);
	assert_true(st.applications > 0);
}

static void remember(env *e, const char *uuid)
{
	if (e->n == e->cap) {
		e->cap = e->cap != 0 ? 2 * e->cap : 64;
		e->uuids = realloc(e->uuids, e->cap * sizeof *e->uuids);
		assert_non_null(e->uuids);
	}
	memcpy(e->uuids[e->n++], uuid, TQK_UUID_CAP);
}

/* Commits a complete confirmation of reg_no at the kiosk; its uuid in uuid. */
static void commit_on(tqk_store *s, const char *reg_no, const char *uuid_in,
                      char uuid[TQK_UUID_CAP])
{
	tqk_confirmation c;
	fixture_confirmation(reg_no, &c);
	c.at = time(NULL);
	c.time_source = TQK_TIME_ANCHORED;
	if (uuid_in != NULL)
		snprintf(c.uuid, sizeof c.uuid, "%s", uuid_in);
	tqk_err err = tqk_store_confirm(s, &c);
	if (err != TQK_OK)
		fail_msg("confirm %s: %s (%s)", reg_no, tqk_err_code(err), tqk_store_detail(s));
	memcpy(uuid, c.uuid, TQK_UUID_CAP);
}

/* Commits n confirmations of applications still submitted. */
static void commit(env *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char reg[TQK_CODE_CAP], uuid[TQK_UUID_CAP];
		assert_int_equal(county_kiosk_submitted(e->s, reg), 0);
		commit_on(e->s, reg, NULL, uuid);
		remember(e, uuid);
	}
}

static tqk_outbox_counts counts_of(tqk_store *s)
{
	tqk_outbox_counts oc;
	assert_int_equal(tqk_store_outbox_counts(s, &oc), TQK_OK);
	return oc;
}

static void add_stats(tqk_round_stats *sum, const tqk_round_stats *st)
{
	sum->uploaded += st->uploaded;
	sum->duplicates += st->duplicates;
	sum->rejected += st->rejected;
	sum->retried += st->retried;
	sum->applications += st->applications;
	sum->updates += st->updates;
}

/*
 * Rounds until one succeeds with nothing pending or sending in the queue
 * (rows put back wait for their backoff, so this may take a few rounds);
 * what the rounds did is added to *sum. Fails the test after DRAIN_MS.
 */
static void drain_with(tqk_store *s, tqk_client *c, const tqk_sync_config *cfg,
                       tqk_round_stats *sum)
{
	long long deadline = tqk_dev_now_ms() + DRAIN_MS;
	int rounds = 0;
	for (;;) {
		tqk_round_stats st;
		tqk_err err = round_with(s, c, cfg, &tqk_clock_system, &st);
		rounds++;
		if (sum != NULL)
			add_stats(sum, &st);
		tqk_outbox_counts oc = counts_of(s);
		if (err == TQK_OK && oc.n[TQK_OUTBOX_PENDING] == 0 && oc.n[TQK_OUTBOX_SENDING] == 0)
			return;
		if (tqk_dev_now_ms() > deadline)
			fail_msg("the queue did not drain in %d ms (%d rounds): pending %zu, sending %zu, "
			         "last round %s", DRAIN_MS, rounds, oc.n[TQK_OUTBOX_PENDING],
			         oc.n[TQK_OUTBOX_SENDING], tqk_err_code(err));
		tqk_dev_sleep_ms(200);
	}
}

static void drain(env *e, tqk_round_stats *sum)
{
	drain_with(e->s, e->c, &e->cfg, sum);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The final check: the server holds exactly the records committed here
 * (each once), and every one is acked at the kiosk, rejected more than
 * `rejected` none.
 */
static void assert_exactly_once(env *e, size_t rejected)
{
	char **uuids;
	size_t n, dups;
	if (county_confirmation_uuids(&e->srv, &uuids, &n, &dups) != 0)
		fail_msg("%s", e->srv.why);
	if (dups != 0)
		fail_msg("the server holds %zu uuids more than once", dups);
	if (n != e->n - rejected)
		fail_msg("the server holds %zu confirmations; %zu were committed, %zu rejected", n, e->n,
		         rejected);
	for (size_t i = 0; i < e->n; i++) {
		const char *key = e->uuids[i];
		tqk_outbox_item item;
		assert_int_equal(tqk_store_outbox_get(e->s, key, &item), TQK_OK);
		bool acked = item.state == TQK_OUTBOX_ACKED;
		tqk_outbox_item_clear(&item);
		bool there = bsearch(&key, uuids, n, sizeof *uuids, cmp_str) != NULL;
		if (acked && !there)
			fail_msg("%s is acked at the kiosk but not on the server", key);
		if (!acked && there)
			fail_msg("%s is on the server but not acked at the kiosk", key);
	}
	county_free_lines(uuids, n);
	tqk_outbox_counts oc = counts_of(e->s);
	assert_int_equal(oc.n[TQK_OUTBOX_PENDING], 0);
	assert_int_equal(oc.n[TQK_OUTBOX_SENDING], 0);
	assert_int_equal(oc.n[TQK_OUTBOX_ACKED], e->n - rejected);
	assert_int_equal(oc.n[TQK_OUTBOX_REJECTED], rejected);
	assert_int_equal(county_stat(&e->srv, "confirmations"), (long)(e->n - rejected));
}

/* Every row in the queue is pending again (none left sending), each tried
 * at least min_attempts times. */
static void assert_all_pending(env *e, int min_attempts)
{
	tqk_outbox_counts oc = counts_of(e->s);
	assert_int_equal(oc.n[TQK_OUTBOX_SENDING], 0);
	assert_int_equal(oc.n[TQK_OUTBOX_ACKED], 0);
	assert_int_equal(oc.n[TQK_OUTBOX_PENDING], e->n);
	for (size_t i = 0; i < e->n; i++) {
		tqk_outbox_item item;
		assert_int_equal(tqk_store_outbox_get(e->s, e->uuids[i], &item), TQK_OK);
		if (item.attempts < min_attempts)
			fail_msg("%s: %d attempts counted, %d expected", e->uuids[i], item.attempts,
			         min_attempts);
		if (min_attempts > 0 && item.last_error[0] == '\0')
			fail_msg("%s: tried but no last_error kept", e->uuids[i]);
		tqk_outbox_item_clear(&item);
	}
}

/* ---- both directions ---- */

static void happy_path_both_directions(void **state)
{
	env *e = *state;
	tqk_round_stats st;
	assert_int_equal(round1(e, &st), TQK_OK);
	long on_server = county_stat(&e->srv, "applications");
	assert_true(on_server > 0);
	assert_int_equal(st.applications, (size_t)on_server);
	assert_true(st.plan);
	assert_true(st.clerks >= 1);
	tqk_store_counts sc;
	assert_int_equal(tqk_store_count(e->s, &sc), TQK_OK);
	assert_int_equal(sc.applications, on_server);

	/* every application comes with its form's payload, signed by the
	 * county with a key of the plan that came down in the same round */
	char first[TQK_CODE_CAP];
	assert_int_equal(county_kiosk_submitted(e->s, first), 0);
	tqk_application app;
	tqk_keyset keys;
	tqk_payload p;
	assert_int_equal(tqk_store_app_get(e->s, first, &app), TQK_OK);
	assert_int_equal(tqk_store_plan_keys(e->s, &keys), TQK_OK);
	assert_int_equal(tqk_payload_verify(app.payload, strlen(app.payload), &keys, &p), TQK_OK);
	assert_string_equal(p.reg_no, app.reg_no);
	assert_string_equal(p.id_number, app.id_number);
	assert_string_equal(p.name, app.name);
	tqk_plan plan;
	assert_int_equal(tqk_store_plan_get(e->s, &plan), TQK_OK);
	assert_string_equal(plan.title, "2026、长沙");
	tqk_plan_clear(&plan);

	/* up: five confirmations, each once */
	commit(e, 5);
	assert_int_equal(round1(e, &st), TQK_OK);
	assert_int_equal(st.uploaded, 5);
	assert_int_equal(st.duplicates, 0);
	assert_int_equal(st.rejected, 0);
	assert_exactly_once(e, 0);

	/* down: the institution's decisions arrive as the applications' states */
	char confirmed[TQK_CODE_CAP], refused[TQK_CODE_CAP];
	tqk_confirmation cur;
	assert_int_equal(county_kiosk_submitted(e->s, refused), 0);
	proc_result r;
	assert_int_equal(tqk_store_confirmation_get(e->s, e->uuids[0], &cur), TQK_OK);
	memcpy(confirmed, cur.reg_no, sizeof confirmed);
	if (county_admin_ok(&e->srv, &r, "decide", confirmed, "--state", "passed", "--message",
	                    "注册合格，请到注册机构领取证书", NULL) != 0)
		fail_msg("%s", e->srv.why);
	proc_result_free(&r);
	if (county_admin_ok(&e->srv, &r, "decide", refused, "--state", "wrong_institution",
	                    "--message", "请改选长沙县教育局", NULL) != 0)
		fail_msg("%s", e->srv.why);
	proc_result_free(&r);
	assert_int_equal(round1(e, &st), TQK_OK);
	assert_true(st.updates + st.applications >= 2);
	tqk_application a;
	assert_int_equal(tqk_store_app_get(e->s, confirmed, &a), TQK_OK);
	assert_int_equal(a.state, TQK_ST_PASSED);
	assert_string_equal(a.inst_message, "注册合格，请到注册机构领取证书");
	assert_int_equal(tqk_store_app_get(e->s, refused, &a), TQK_OK);
	assert_int_equal(a.state, TQK_ST_WRONG_INSTITUTION);
	assert_string_equal(a.inst_message, "请改选长沙县教育局");

	/* nothing new: nothing moves, nothing is downloaded twice */
	assert_int_equal(round1(e, &st), TQK_OK);
	assert_int_equal(st.uploaded, 0);
	assert_int_equal(st.applications, 0);
	assert_int_equal(st.updates, 0);
	assert_false(st.plan);
	assert_exactly_once(e, 0);
}

/*
 * A confirmation and then its correction (the school was wrong): both go
 * up, in order, each once; the server's application takes the corrected
 * school, and the kiosk's copy keeps it after the next download.
 */
static void correction_follows_its_confirmation(void **state)
{
	env *e = *state;
	download(e);
	char reg[TQK_CODE_CAP], first[TQK_UUID_CAP];
	assert_int_equal(county_kiosk_submitted(e->s, reg), 0);
	commit_on(e->s, reg, NULL, first);
	remember(e, first);

	tqk_application a;
	assert_int_equal(tqk_store_app_get(e->s, reg, &a), TQK_OK);
	tqk_confirmation fix;
	fixture_confirmation(reg, &fix);
	fix.at = time(NULL);
	fix.time_source = TQK_TIME_ANCHORED;
	memcpy(fix.supersedes, first, sizeof fix.supersedes);
	fix.n_corrections = 1;
	fix.corrections[0].field = TQK_F_SCHOOL;
	snprintf(fix.corrections[0].old_value, sizeof fix.corrections[0].old_value, "%s", a.school);
	snprintf(fix.corrections[0].new_value, sizeof fix.corrections[0].new_value,
	         "长沙县星沙实验学校");
	tqk_err err = tqk_store_confirm(e->s, &fix);
	if (err != TQK_OK)
		fail_msg("correction: %s (%s)", tqk_err_code(err), tqk_store_detail(e->s));
	remember(e, fix.uuid);
	commit(e, 3);

	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 5);
	assert_int_equal(sum.rejected, 0);
	assert_exactly_once(e, 0);

	/* the server's list keeps the order: the original before its correction */
	proc_result r;
	if (county_admin_ok(&e->srv, &r, "confirmations", "list", NULL) != 0)
		fail_msg("%s", e->srv.why);
	char *p1 = strstr(r.out, first), *p2 = strstr(r.out, fix.uuid);
	assert_non_null(p1);
	assert_non_null(p2);
	assert_true(p1 < p2);
	proc_result_free(&r);

	assert_int_equal(round1(e, NULL), TQK_OK);
	assert_int_equal(tqk_store_app_get(e->s, reg, &a), TQK_OK);
	assert_string_equal(a.school, "长沙县星沙实验学校");
	assert_int_equal(a.state, TQK_ST_CONFIRMED);
}

/* A download broken after its first page resumes from the stored cursor:
 * the next round fetches only the rest. */
static void broken_download_resumes_where_it_stopped(void **state)
{
	env *e = *state;
	fp_aim(e->proxy, FP_RESET_REPLY, 200, "GET /v1/applications", 1, 1);
	tqk_round_stats st;
	assert_int_not_equal(round1(e, &st), TQK_OK);
	fp_stats ps;
	fp_get_stats(e->proxy, &ps);
	assert_int_equal(ps.faults[FP_RESET_REPLY], 1);
	tqk_store_counts sc;
	assert_int_equal(tqk_store_count(e->s, &sc), TQK_OK);
	long total = county_stat(&e->srv, "applications");
	fprintf(stderr, "# first round stored %lld of %ld applications\n", sc.applications, total);
	assert_true(sc.applications > 0 && sc.applications < total);
	char cursor[TQK_STORE_CURSOR_CAP];
	assert_int_equal(tqk_store_apps_cursor(e->s, cursor), TQK_OK);
	assert_true(cursor[0] != '\0');

	fp_clear(e->proxy);
	assert_int_equal(round1(e, &st), TQK_OK);
	assert_int_equal(st.applications, (size_t)(total - sc.applications));
	assert_int_equal(tqk_store_count(e->s, &sc), TQK_OK);
	assert_int_equal(sc.applications, total);
}

/* Server faults on the downloads (the queue is empty, so the first /v1
 * requests are the plan, the clerks and the first page): each round fails,
 * and the next clean one brings every application, once. */
static void download_faults_leave_nothing_half_done(void **state)
{
	env *e = *state;
	static const char *const faults[] = {"status-500", "garbage", "truncate"};
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
		if (county_fault(&e->srv, faults[i], 3, 0) != 0)
			fail_msg("%s", e->srv.why);
		assert_int_not_equal(round1(e, NULL), TQK_OK);
		assert_int_equal(county_fault(&e->srv, "none", 0, 0), 0);
	}
	tqk_round_stats st;
	tqk_store_counts before;
	assert_int_equal(tqk_store_count(e->s, &before), TQK_OK);
	assert_int_equal(round1(e, &st), TQK_OK);
	long total = county_stat(&e->srv, "applications");
	tqk_store_counts sc;
	assert_int_equal(tqk_store_count(e->s, &sc), TQK_OK);
	assert_int_equal(sc.applications, total);
	assert_int_equal(st.applications, (size_t)(total - before.applications));
	assert_true(st.clerks >= 1);
}

/* ---- the server away ---- */

/*
 * A kiosk with the wrong key (mistyped during setup) is refused by the
 * server: the records wait, pending, and are never quarantined as if they
 * were at fault; with the right key they go.
 */
static void wrong_key_keeps_records_waiting(void **state)
{
	env *e = *state;
	download(e);
	commit(e, 5);
	tqk_sync_config bad = e->cfg;
	bad.secret[0] ^= 0x5a;
	tqk_client *c = new_client(&bad);
	assert_non_null(c);
	for (int i = 0; i < 2; i++) {
		tqk_err err = round_with(e->s, c, &bad, &tqk_clock_system, NULL);
		assert_int_equal(err, TQK_E_AUTH_SIGNATURE);
		tqk_outbox_counts oc = counts_of(e->s);
		assert_int_equal(oc.n[TQK_OUTBOX_REJECTED], 0);
		assert_int_equal(oc.n[TQK_OUTBOX_SENDING], 0);
		assert_int_equal(oc.n[TQK_OUTBOX_PENDING], 5);
	}
	tqk_client_free(c);
	assert_int_equal(county_stat(&e->srv, "confirmations"), 0);
	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 5);
	assert_exactly_once(e, 0);
}

static void server_down_records_wait_then_arrive_once(void **state)
{
	env *e = *state;
	download(e);
	if (county_stop(&e->srv) != 0)
		fail_msg("%s", e->srv.why);
	commit(e, 50);
	for (int i = 0; i < 3; i++) {
		tqk_err err = round1(e, NULL);
		assert_true(err == TQK_E_NET || err == TQK_E_NET_TIMEOUT);
		assert_all_pending(e, 0);
	}
	tqk_outbox_item item;
	assert_int_equal(tqk_store_outbox_get(e->s, e->uuids[0], &item), TQK_OK);
	fprintf(stderr, "# while the server was down: %d attempts counted, last error \"%s\"\n",
	        item.attempts, item.last_error);
	tqk_outbox_item_clear(&item);

	if (county_restart(&e->srv) != 0)
		fail_msg("%s", e->srv.why);
	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 50);
	assert_int_equal(sum.duplicates, 0);
	assert_exactly_once(e, 0);
}

/*
 * The worker thread on its own, with the default backoff cap (5 minutes):
 * ten confirmations are committed (each waking the worker, as the kiosk
 * does) while the server is away for 10 s; once the server is back, with
 * the counter idle, the records must go up within seconds without anyone
 * waking the worker again (issue 4: "uploads start within seconds of the
 * network returning").
 */
static void worker_sends_by_itself_when_the_server_returns(void **state)
{
	env *e = *state;
	download(e);
	tqk_sync_config cfg = e->cfg;
	cfg.backoff_cap = 300;
	county_url(e->srv.port, cfg.url, sizeof cfg.url);
	if (county_stop(&e->srv) != 0)
		fail_msg("%s", e->srv.why);
	tqk_sync *w = NULL;
	assert_int_equal(tqk_sync_start(e->kdb, &cfg, &w), TQK_OK);
	for (int i = 0; i < 10; i++) {
		commit(e, 1);
		tqk_sync_wake(w);
	}
	tqk_dev_sleep_ms(10000);        /* the worker backs off meanwhile: 1, 2, 4, 8 s... */
	assert_int_equal(counts_of(e->s).n[TQK_OUTBOX_ACKED], 0);
	if (county_restart(&e->srv) != 0) {
		tqk_sync_stop(w);
		fail_msg("%s", e->srv.why);
	}
	long long back = tqk_dev_now_ms(), took = -1;
	while (tqk_dev_now_ms() - back < 20000) {
		if (counts_of(e->s).n[TQK_OUTBOX_ACKED] == 10) {
			took = tqk_dev_now_ms() - back;
			break;
		}
		tqk_dev_sleep_ms(100);
	}
	tqk_sync_status ws;
	tqk_sync_get_status(w, &ws);
	tqk_sync_stop(w);
	fprintf(stderr, "# records acked %lld ms after the server came back; worker: %lu rounds, "
	        "%u failures in a row, last %s (%s)\n", took, ws.rounds, ws.failures,
	        tqk_err_code(ws.last_err), ws.last.detail);
	if (took < 0 || took > 10000)
		fail_msg("the worker did not upload within 10 s of the server's return (waited 20 s)");
	assert_exactly_once(e, 0);
}

/* ---- the server fails ---- */

/*
 * The server stores the batch and dies before answering (its test fault
 * "die-after-store": _exit(137) after the commit). After a restart the
 * retry is answered "duplicate", and the server still holds each once.
 */
static void killed_after_storing_the_retry_is_a_duplicate(void **state)
{
	env *e = *state;
	download(e);
	commit(e, 5);
	if (county_fault(&e->srv, "die-after-store", 1, 0) != 0)
		fail_msg("%s", e->srv.why);
	assert_int_not_equal(round1(e, NULL), TQK_OK);
	for (int i = 0; i < 200 && !county_reap(&e->srv); i++)
		tqk_dev_sleep_ms(10);
	assert_true(county_reap(&e->srv));
	assert_int_equal(e->srv.exit_status, 137);
	assert_all_pending(e, 1);
	if (county_restart(&e->srv) != 0)
		fail_msg("%s", e->srv.why);
	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 5);
	assert_int_equal(sum.duplicates, 5);
	assert_exactly_once(e, 0);
}

struct bg_round {
	env *e;
	tqk_round_stats st;
	tqk_err err;
};

static void *bg_round_main(void *arg)
{
	struct bg_round *b = arg;
	b->err = round1(b->e, &b->st);
	return NULL;
}

/*
 * SIGTERM while a batch is inside the server (held there by the test
 * fault "delay"): the server exits 0, and whether it finished the batch or
 * not, nothing is lost and nothing doubled once it is back.
 */
static void sigterm_while_a_batch_is_in_flight(void **state)
{
	env *e = *state;
	download(e);
	commit(e, 10);
	if (county_fault(&e->srv, "delay", 1, 1000) != 0)
		fail_msg("%s", e->srv.why);
	struct bg_round b = {.e = e};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, bg_round_main, &b), 0);
	tqk_dev_sleep_ms(300);
	int stopped = county_stop(&e->srv);
	pthread_join(t, NULL);
	if (stopped != 0)
		fail_msg("%s", e->srv.why);
	fprintf(stderr, "# the round during the stop: %s, %zu uploaded\n", tqk_err_code(b.err),
	        b.st.uploaded);
	if (county_restart(&e->srv) != 0)
		fail_msg("%s", e->srv.why);
	tqk_round_stats sum = b.st;
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 10);
	assert_exactly_once(e, 0);
}

/*
 * An uploader that crashed after the server stored its batch but before
 * it recorded the answers (simulated: the rows claimed and their payloads
 * sent by hand; then the lease is moved 400 s into the past in the file, as
 * if the kiosk had been restarted that much later). The next round takes
 * the rows again and the server answers "duplicate": the queue is not
 * stuck, nothing is doubled.
 */
static void crashed_uploader_rows_come_back(void **state)
{
	env *e = *state;
	download(e);
	commit(e, 10);
	tqk_outbox_item items[10];
	size_t n = 0;
	tqk_time now = time(NULL);
	assert_int_equal(tqk_store_outbox_claim(e->s, now, 10, items, &n), TQK_OK);
	assert_int_equal(n, 10);
	const char *payloads[10];
	tqk_upload_result results[10];
	for (size_t i = 0; i < n; i++)
		payloads[i] = items[i].payload;
	assert_int_equal(tqk_client_upload(e->c, now, payloads, n, results), TQK_OK);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(results[i].status, TQK_UPLOAD_STORED);
		tqk_outbox_item_clear(&items[i]);
	}
	assert_int_equal(counts_of(e->s).n[TQK_OUTBOX_SENDING], 10);
	tqk_round_stats st;
	assert_int_equal(round1(e, &st), TQK_OK);
	assert_int_equal(st.uploaded, 0);       /* leased: not taken again yet */
	sqlite3 *db = raw_open(e->kdb, SQLITE_OPEN_READWRITE);
	raw_exec(db, "UPDATE outbox SET next_attempt = next_attempt - 400 WHERE state = 1");
	sqlite3_close(db);
	assert_int_equal(round1(e, &st), TQK_OK);
	assert_int_equal(st.uploaded, 10);
	assert_int_equal(st.duplicates, 10);
	assert_exactly_once(e, 0);
}

/* A server fault on the next upload; err is what the failed round must
 * return (0: any failure), and dups how many of the retry's answers must be
 * "duplicate" (the fault came after the server's commit). */
static void server_fault(env *e, const char *fault, int ms, tqk_err expect, size_t dups)
{
	download(e);
	commit(e, 10);
	if (county_fault(&e->srv, fault, 1, ms) != 0)
		fail_msg("%s", e->srv.why);
	long long t0 = tqk_dev_now_ms();
	tqk_err err = round1(e, NULL);
	long long took = tqk_dev_now_ms() - t0;
	assert_int_not_equal(err, TQK_OK);
	if (expect != TQK_OK && err != expect)
		fail_msg("fault %s: the round returned %s, %s expected", fault, tqk_err_code(err),
		         tqk_err_code(expect));
	if (took > (TIMEOUT_S + 3) * 1000LL)
		fail_msg("fault %s: the round took %lld ms; the timeout is %d s", fault, took,
		         TIMEOUT_S);
	assert_all_pending(e, 1);
	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 10);
	assert_int_equal(sum.duplicates, dups);
	assert_exactly_once(e, 0);
}

static void server_500_no_loss_no_duplicate(void **state)
{
	server_fault(*state, "status-500", 0, TQK_E_NET_STATUS, 0);
}

/* The server answers after the client gave up; it may still be storing the
 * batch while the retry comes in. */
static void server_slower_than_the_timeout(void **state)
{
	env *e = *state;
	download(e);
	commit(e, 10);
	if (county_fault(&e->srv, "delay", 1, TIMEOUT_S * 1000 + 1500) != 0)
		fail_msg("%s", e->srv.why);
	long long t0 = tqk_dev_now_ms();
	tqk_err err = round1(e, NULL);
	long long took = tqk_dev_now_ms() - t0;
	assert_int_equal(err, TQK_E_NET_TIMEOUT);
	assert_true(took < (TIMEOUT_S + 2) * 1000LL);
	assert_all_pending(e, 1);
	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 10);
	tqk_dev_sleep_ms(2000);         /* the delayed request has finished by now */
	assert_exactly_once(e, 0);
}

static void server_garbage_reply(void **state)
{
	server_fault(*state, "garbage", 0, TQK_E_NET_REPLY, 10);
}

static void server_truncated_reply(void **state)
{
	server_fault(*state, "truncate", 0, TQK_OK, 10);
}

/* ---- the network fails (the proxy) ---- */

/*
 * A proxy fault aimed at the next upload. libcurl resends a request by
 * itself on a fresh connection when a reused one dies before any answer,
 * so the fault is armed twice: the round must fail either way. dups is how
 * many of the records the server must answer "duplicate" afterwards (the
 * fault came after its commit).
 */
static void proxy_fault(env *e, fp_mode mode, size_t k, size_t dups)
{
	download(e);
	commit(e, 10);
	fp_set(e->proxy, mode, k, UPLOAD_PATH, 2);
	long long t0 = tqk_dev_now_ms();
	tqk_err err = round1(e, NULL);
	long long took = tqk_dev_now_ms() - t0;
	assert_int_not_equal(err, TQK_OK);
	fp_stats ps;
	fp_get_stats(e->proxy, &ps);
	assert_true(ps.faults[mode] >= 1);
	if (took > (TIMEOUT_S + 3) * 1000LL)
		fail_msg("the round took %lld ms; the timeout is %d s", took, TIMEOUT_S);
	assert_all_pending(e, 1);
	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 10);
	assert_int_equal(sum.duplicates, dups);
	assert_exactly_once(e, 0);
}

static void connection_refused(void **state)
{
	env *e = *state;
	download(e);
	commit(e, 10);
	fp_set(e->proxy, FP_REFUSE, 0, NULL, 3);
	fp_drop_all(e->proxy);  /* the client's kept-alive connection too */
	tqk_dev_sleep_ms(50);
	assert_int_equal(round1(e, NULL), TQK_E_NET);
	assert_all_pending(e, 0);
	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 10);
	assert_int_equal(sum.duplicates, 0);
	assert_exactly_once(e, 0);
}

static void reset_while_sending_the_request(void **state)
{
	/* 2,000 bytes: past the header, inside the records */
	proxy_fault(*state, FP_RESET_REQUEST, 2000, 0);
}

static void reset_while_receiving_the_reply(void **state)
{
	/* 20 bytes of the reply: the server has stored the batch */
	proxy_fault(*state, FP_RESET_REPLY, 20, 10);
}

static void truncated_reply_on_the_wire(void **state)
{
	/* the header and a little of the body, then a clean close */
	env *e = *state;
	proxy_fault(e, FP_TRUNCATE_REPLY, 160, 10);
}

static void stalled_connection_times_out(void **state)
{
	env *e = *state;
	download(e);
	commit(e, 10);
	fp_set(e->proxy, FP_STALL, 0, UPLOAD_PATH, 1);
	long long t0 = tqk_dev_now_ms();
	assert_int_equal(round1(e, NULL), TQK_E_NET_TIMEOUT);
	long long took = tqk_dev_now_ms() - t0;
	assert_true(took >= TIMEOUT_S * 1000LL - 200 && took < (TIMEOUT_S + 2) * 1000LL);
	assert_all_pending(e, 1);
	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 10);
	assert_int_equal(sum.duplicates, 0);
	assert_exactly_once(e, 0);
}

/* ---- records the server will not take ---- */

/* An application only the kiosk knows (the server has never heard of it); its
 * registration number sorts after the demo's, so commit() never takes it. */
static void kiosk_only_application(env *e, tqk_application *a)
{
	fixture_app(9999999, "S01", a);
	snprintf(a->reg_no, sizeof a->reg_no, "20269999999999");
	tqk_import_stats is;
	assert_int_equal(tqk_store_apps_put(e->s, a, 1, NULL, time(NULL), &is, NULL), TQK_OK);
	assert_int_equal(is.inserted, 1);
}

/* `tqkioskctl --lang en a1 a2 a3` (a2, a3 may be NULL) on the kiosk's store,
 * which must exit with want. */
static proc_result ctl(env *e, int want, const char *a1, const char *a2, const char *a3)
{
	char env_db[800];
	snprintf(env_db, sizeof env_db, "TQK_DB=%s", e->kdb);
	proc_result r;
	ctl_run(&r, (char *[]){env_db, NULL}, TOOL_ARGS("--lang", "en", a1, a2, a3));
	if (r.status != want)
		expect_fail(&r, "tqkioskctl %s %s %s: want exit %d", a1, a2 ? a2 : "", a3 ? a3 : "",
		            want);
	return r;
}

/*
 * A record the server refuses (its application is unknown there) is
 * quarantined; the records before and after it, in other batches, arrive.
 * `tqkioskctl queue --rejected` shows it; once the server knows the
 * application, `tqkioskctl retry UUID` puts it back and it goes up.
 */
static void rejected_record_is_quarantined_and_the_rest_arrive(void **state)
{
	env *e = *state;
	tqk_client_free(e->c);
	e->cfg.batch = 2;       /* the bad record sits in a batch of its own kind */
	e->c = new_client(&e->cfg);
	assert_non_null(e->c);
	download(e);
	tqk_application a;
	kiosk_only_application(e, &a);
	commit(e, 3);
	char bad[TQK_UUID_CAP];
	commit_on(e->s, a.reg_no, NULL, bad);
	remember(e, bad);
	commit(e, 3);

	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 6);
	assert_int_equal(sum.rejected, 1);
	tqk_outbox_item item;
	assert_int_equal(tqk_store_outbox_get(e->s, bad, &item), TQK_OK);
	assert_int_equal(item.state, TQK_OUTBOX_REJECTED);
	fprintf(stderr, "# rejected: %s\n", item.last_error);
	assert_true(item.last_error[0] != '\0');
	tqk_outbox_item_clear(&item);
	assert_exactly_once(e, 1);

	/* visible to the administrator */
	proc_result r = ctl(e, 0, "queue", "--rejected", NULL);
	expect_out(&r, bad);
	proc_result_free(&r);

	/* the county learns the application; the administrator retries */
	json_t *doc = json_object(), *list = json_array();
	json_array_append_new(list, tqk_json_application_encode(&a));
	json_object_set_new(doc, "applications", list);
	char path[800];
	snprintf(path, sizeof path, "%s/walk-in.json", e->dir);
	assert_int_equal(json_dump_file(doc, path, 0), 0);
	json_decref(doc);
	if (county_admin_ok(&e->srv, &r, "apps", "import", path, NULL) != 0)
		fail_msg("%s", e->srv.why);
	proc_result_free(&r);
	r = ctl(e, 0, "retry", bad, NULL);
	proc_result_free(&r);
	assert_int_equal(counts_of(e->s).n[TQK_OUTBOX_PENDING], 1);
	r = ctl(e, 1, "retry", bad, NULL);     /* no longer rejected: refused */
	proc_result_free(&r);

	memset(&sum, 0, sizeof sum);
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 1);
	assert_exactly_once(e, 0);
}

/*
 * Two kiosks of the site send a record under the same uuid with other
 * content (a uuid reused by a cloned or restored disk): the first stays on
 * the server, the second is answered "conflict" and quarantined there,
 * never overwriting the first.
 */
static void conflict_is_reported_not_overwritten(void **state)
{
	env *e = *state;
	download(e);
	char secret2[COUNTY_SECRET_HEX];
	if (county_kiosk_add(&e->srv, "S01", "K02", secret2) != 0)
		fail_msg("%s", e->srv.why);
	tqk_sync_config cfg2;
	assert_int_equal(county_kiosk_config(&cfg2, e->srv.port, "K02", secret2, TIMEOUT_S, 0), 0);
	char kdb2[800];
	snprintf(kdb2, sizeof kdb2, "%s/kiosk2.db", e->dir);
	tqk_store *s2 = county_kiosk_store(kdb2, "K02", 3);
	tqk_client *c2 = new_client(&cfg2);
	assert_non_null(s2);
	assert_non_null(c2);
	assert_int_equal(round_with(s2, c2, &cfg2, &tqk_clock_system, NULL), TQK_OK);

	char reg[TQK_CODE_CAP], uuid[TQK_UUID_CAP], uuid2[TQK_UUID_CAP];
	assert_int_equal(county_kiosk_submitted(e->s, reg), 0);
	commit_on(e->s, reg, NULL, uuid);
	remember(e, uuid);
	tqk_round_stats st;
	assert_int_equal(round1(e, &st), TQK_OK);
	assert_int_equal(st.uploaded, 1);

	/* the same uuid at K02: kiosk, archive number and time differ */
	tqk_dev_sleep_ms(1100);
	commit_on(s2, reg, uuid, uuid2);
	assert_string_equal(uuid, uuid2);
	tqk_round_stats sum = {0};
	drain_with(s2, c2, &cfg2, &sum);
	assert_int_equal(sum.uploaded, 0);
	assert_int_equal(sum.rejected, 1);
	tqk_outbox_item item;
	assert_int_equal(tqk_store_outbox_get(s2, uuid, &item), TQK_OK);
	assert_int_equal(item.state, TQK_OUTBOX_REJECTED);
	fprintf(stderr, "# second copy: %s\n", item.last_error);
	/* the server answered "conflict" with the reason store.exists */
	if (strstr(item.last_error, "conflict") == NULL && strstr(item.last_error, "store.exists") == NULL)
		fail_msg("the quarantined copy does not say it is in conflict: %s", item.last_error);
	tqk_outbox_item_clear(&item);

	/* the server's copy is still K01's */
	proc_result r;
	if (county_admin_ok(&e->srv, &r, "confirmations", "list", NULL) != 0)
		fail_msg("%s", e->srv.why);
	char *line = strstr(r.out, uuid);
	assert_non_null(line);
	char *eol = strchr(line, '\n');
	if (eol != NULL)
		*eol = '\0';
	if (strstr(line, " K01") == NULL || strstr(line, " K02") != NULL)
		fail_msg("the server's copy changed: %s", line);
	proc_result_free(&r);
	assert_exactly_once(e, 0);
	tqk_client_free(c2);
	tqk_store_free(s2);
}

/*
 * Two kiosks of one site confirm different applications, each offline from
 * the other: the bags' archive numbers must still be unique at the site
 * (SPEC §3: "Serials are unique per site, never reused, allocated
 * offline"). Each kiosk numbers from its own block of the site's serials
 * (tqk_site.serial_first..serial_last, `db init --serials`), so the server
 * never ends up with one archive number on two applications' bags, without
 * relying on the server to refuse a number it holds.
 */
static void two_kiosks_of_a_site_never_share_an_archive_number(void **state)
{
	env *e = *state;
	download(e);
	/* The site's serials split between its two kiosks: K01 1..499, K02
	 * 500..999, each allocating offline from its own block. */
	tqk_site site;
	assert_int_equal(tqk_store_site_get(e->s, &site), TQK_OK);
	site.serial_first = 1;
	site.serial_last = 499;
	assert_int_equal(tqk_store_site_set(e->s, &site, time(NULL)), TQK_OK);
	char secret2[COUNTY_SECRET_HEX];
	if (county_kiosk_add(&e->srv, "S01", "K02", secret2) != 0)
		fail_msg("%s", e->srv.why);
	tqk_sync_config cfg2;
	assert_int_equal(county_kiosk_config(&cfg2, e->srv.port, "K02", secret2, TIMEOUT_S, 0), 0);
	char kdb2[800];
	snprintf(kdb2, sizeof kdb2, "%s/kiosk2.db", e->dir);
	tqk_store *s2 = county_kiosk_store_serials(kdb2, "K02", 3, 500, 999);
	tqk_client *c2 = new_client(&cfg2);
	assert_non_null(s2);
	assert_non_null(c2);
	assert_int_equal(round_with(s2, c2, &cfg2, &tqk_clock_system, NULL), TQK_OK);

	/* K01 takes the first three submitted applications, K02 the next three */
	commit(e, 3);
	for (int i = 0; i < 3; i++) {
		char reg[TQK_CODE_CAP], uuid[TQK_UUID_CAP];
		tqk_page *page = calloc(1, sizeof *page);
		assert_non_null(page);
		assert_int_equal(tqk_store_page(e->s, TQK_ST_SUBMITTED, NULL, NULL, page), TQK_OK);
		assert_true(page->n > (size_t)i);
		memcpy(reg, page->rows[i].reg_no, sizeof reg);
		free(page);
		commit_on(s2, reg, NULL, uuid);
	}
	drain(e, NULL);
	drain_with(s2, c2, &cfg2, NULL);
	tqk_client_free(c2);
	tqk_store_free(s2);

	/* uuid reg_no conclusion archive_no kiosk at */
	proc_result r;
	if (county_admin_ok(&e->srv, &r, "confirmations", "list", NULL) != 0)
		fail_msg("%s", e->srv.why);
	char archive[8][64], reg_of[8][TQK_CODE_CAP];
	size_t n = 0;
	for (char *line = strtok(r.out, "\n"); line != NULL && n < 8; line = strtok(NULL, "\n")) {
		char uuid[64], kiosk[TQK_CODE_CAP], concl[32];
		if (sscanf(line, "%63s %32s %31s %63s %32s", uuid, reg_of[n], concl, archive[n], kiosk) == 5)
			n++;
	}
	proc_result_free(&r);
	assert_int_equal(n, 6);
	/* Six applications, six bags: six distinct numbers, three from each
	 * kiosk's block. */
	size_t from_k02 = 0;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strlen(archive[i]), strlen("CSX202601001"));
		from_k02 += strncmp(archive[i], "CSX2026015", 10) == 0;
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(archive[i], archive[j]) == 0)
				fail_msg("archive number %s is on the bags of %s and of %s", archive[i], reg_of[i],
				         reg_of[j]);
	}
	assert_int_equal(from_k02, 3);
}

/* ---- clocks ---- */

static int64_t real_mono(void *ctx)
{
	(void)ctx;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static tqk_time wall_ahead(void *ctx)
{
	return time(NULL) + *(tqk_time *)ctx;
}

static void boot_fixed(void *ctx, char out[TQK_BOOT_ID_CAP])
{
	(void)ctx;
	snprintf(out, TQK_BOOT_ID_CAP, "test-boot-flow");
}

/*
 * The kiosk's wall clock is three days off (either way): requests are
 * signed with the trusted time (the server's, anchored to the monotonic
 * clock), so the server's ±300 s window still lets them in.
 */
static void lying_wall_clock_does_not_stop_sync(void **state)
{
	env *e = *state;
	download(e);
	static tqk_time offsets[2] = {3 * 86400, -3 * 86400};
	for (int i = 0; i < 2; i++) {
		tqk_clock_source src = {real_mono, wall_ahead, boot_fixed, &offsets[i]};
		commit(e, 3);
		tqk_round_stats st;
		assert_int_equal(round_with(e->s, e->c, &e->cfg, &src, &st), TQK_OK);
		assert_int_equal(st.uploaded, 3);
		assert_true(llabs((long long)(st.server_time - time(NULL))) < 5);
	}
	assert_exactly_once(e, 0);
}

/* ---- walk-ins ---- */

/* A walk-in made at the kiosk (fixture application i of S01, under no
 * number yet); its provisional number into no. */
static void walk_in(env *e, unsigned i, char no[TQK_CODE_CAP])
{
	tqk_application a;
	fixture_app(i, "S01", &a);
	a.reg_no[0] = '\0';
	a.rev = 0;
	char hash[crypto_pwhash_STRBYTES];
	assert_int_equal(crypto_pwhash_str_alg(hash, "Xingsha2026", 11, crypto_pwhash_OPSLIMIT_MIN,
	                                       crypto_pwhash_MEMLIMIT_MIN,
	                                       crypto_pwhash_ALG_ARGON2ID13), 0);
	tqk_err err = tqk_store_walkin_add(e->s, &a, hash, time(NULL), no);
	if (err != TQK_OK)
		fail_msg("walk-in %u: %s (%s)", i, tqk_err_code(err), tqk_store_detail(e->s));
}

/*
 * Walk-ins made offline, one of them confirmed at once under its
 * provisional number, reach the server when it can be reached, even when
 * the reply to the first upload is lost (the retry is a duplicate with the
 * same official number); the kiosk records the official numbers, the
 * confirmation follows its walk-in, the server's copy comes back down onto
 * the same row, and everything is there exactly once.
 */
static void walkins_get_official_numbers_once(void **state)
{
	env *e = *state;
	download(e);
	tqk_store_counts before;
	assert_int_equal(tqk_store_count(e->s, &before), TQK_OK);
	char no[2][TQK_CODE_CAP], uuid[TQK_UUID_CAP];
	walk_in(e, 9000, no[0]);
	walk_in(e, 9001, no[1]);
	commit_on(e->s, no[0], NULL, uuid);
	remember(e, uuid);

	/* The first upload's reply never arrives: nothing is lost or doubled. */
	fp_set(e->proxy, FP_TRUNCATE_REPLY, 20, "POST /v1/applications", 1);
	assert_int_not_equal(round1(e, NULL), TQK_OK);
	tqk_walkin_row w;
	assert_int_equal(tqk_store_walkin_get(e->s, no[0], &w), TQK_OK);
	assert_string_equal(w.official, "");
	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 3);
	assert_int_equal(sum.duplicates, 2);        /* the server had stored both */
	tqk_outbox_counts oc = counts_of(e->s);
	assert_int_equal(oc.n[TQK_OUTBOX_ACKED], 3);
	assert_int_equal(oc.n[TQK_OUTBOX_REJECTED], 0);
	char **uuids;
	size_t n, dups;
	if (county_confirmation_uuids(&e->srv, &uuids, &n, &dups) != 0)
		fail_msg("%s", e->srv.why);
	assert_int_equal(n, 1);
	assert_int_equal(dups, 0);
	assert_string_equal(uuids[0], uuid);
	county_free_lines(uuids, n);

	char official[2][TQK_CODE_CAP];
	for (int i = 0; i < 2; i++) {
		assert_int_equal(tqk_store_walkin_get(e->s, no[i], &w), TQK_OK);
		assert_int_equal(strlen(w.official), 14);
		assert_memory_equal(w.official, "20269", 5);
		memcpy(official[i], w.official, TQK_CODE_CAP);
		char shown[TQK_CODE_CAP];
		assert_int_equal(tqk_store_shown_number(e->s, no[i], shown), TQK_OK);
		assert_string_equal(shown, official[i]);
	}
	assert_string_not_equal(official[0], official[1]);
	/* The server's copies came down onto the same rows: two applications
	 * more than before the walk-ins, not four. */
	tqk_round_stats st;
	assert_int_equal(round1(e, &st), TQK_OK);
	tqk_store_counts after;
	assert_int_equal(tqk_store_count(e->s, &after), TQK_OK);
	assert_int_equal(after.applications, before.applications + 2);
	tqk_application a;
	assert_int_equal(tqk_store_app_get(e->s, official[0], &a), TQK_OK);
	assert_string_equal(a.reg_no, no[0]);
	assert_true(a.rev > 0);
	assert_int_equal(a.state, TQK_ST_CONFIRMED);
	assert_int_equal(county_stat(&e->srv, "applications"), (long)(APPS + 2));
}

/* ---- teachers' changes ---- */

/*
 * A teacher's change made at the kiosk reaches the server, which applies it
 * to its copy (a new revision that comes back down, the change kept); the
 * same change after the site's conclusion there is refused for good, and
 * so is one whose old value the server no longer has.
 */
static void teacher_changes_reach_the_server(void **state)
{
	env *e = *state;
	download(e);
	char reg[TQK_CODE_CAP];
	assert_int_equal(county_kiosk_submitted(e->s, reg), 0);
	tqk_application before;
	assert_int_equal(tqk_store_app_get(e->s, reg, &before), TQK_OK);
	tqk_application after = before;
	snprintf(after.school, sizeof after.school, "长沙县星沙实验小学");
	tqk_change c;
	memset(&c, 0, sizeof c);
	snprintf(c.reg_no, sizeof c.reg_no, "%s", reg);
	tqk_change_diff(&before, &after, &c);
	c.at = time(NULL);
	c.time_source = TQK_TIME_ANCHORED;
	assert_int_equal(tqk_store_change(e->s, &c), TQK_OK);
	tqk_round_stats sum = {0};
	drain(e, &sum);
	assert_int_equal(sum.uploaded, 1);
	assert_int_equal(sum.rejected, 0);
	char doc[8192];
	assert_true(raw_text(e->srv.db, "SELECT doc FROM applications WHERE reg_no = ?1", reg, doc,
	                     sizeof doc));
	assert_non_null(strstr(doc, "长沙县星沙实验小学"));
	assert_int_equal(raw_int(e->srv.db, "SELECT COUNT(*) FROM changes", NULL), 1);
	/* sent again: a duplicate; the same uuid with other content: a conflict */
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, c.uuid, &it), TQK_OK);
	const char *again = it.payload;
	tqk_upload_result res;
	assert_int_equal(tqk_client_upload_changes(e->c, time(NULL), &again, 1, &res), TQK_OK);
	assert_int_equal(res.status, TQK_UPLOAD_DUPLICATE);
	tqk_outbox_item_clear(&it);
	tqk_change other = c;
	snprintf(other.corrections[0].new_value, sizeof other.corrections[0].new_value, "别的学校");
	json_t *oo = tqk_json_change_encode(&other);
	char *text = tqk_json_dump(oo);
	json_decref(oo);
	again = text;
	assert_int_equal(tqk_client_upload_changes(e->c, time(NULL), &again, 1, &res), TQK_OK);
	free(text);
	assert_int_equal(res.status, TQK_UPLOAD_CONFLICT);
	/* the server's new revision comes back down; the change stays */
	tqk_round_stats st;
	assert_int_equal(round1(e, &st), TQK_OK);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(e->s, reg, &got), TQK_OK);
	assert_string_equal(got.school, "长沙县星沙实验小学");
	assert_true(got.rev > before.rev);

	/* from a value the server no longer holds: refused for good */
	tqk_change stale = c;
	memset(stale.uuid, 0, sizeof stale.uuid);
	snprintf(stale.corrections[0].new_value, sizeof stale.corrections[0].new_value, "长沙县第二小学");
	/* as another kiosk that still had the old value would send it */
	json_t *o = tqk_json_change_encode(&stale);
	tqk_store_new_uuid(stale.uuid);
	json_object_set_new(o, "uuid", json_string(stale.uuid));
	char *payload = tqk_json_dump(o);
	json_decref(o);
	const char *p = payload;
	assert_int_equal(tqk_client_upload_changes(e->c, time(NULL), &p, 1, &res), TQK_OK);
	free(payload);
	assert_int_equal(res.status, TQK_UPLOAD_REJECTED);
	assert_string_equal(res.error, "store.stale");
	assert_int_equal(raw_int(e->srv.db, "SELECT COUNT(*) FROM changes", NULL), 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(happy_path_both_directions),
		T(correction_follows_its_confirmation),
		cmocka_unit_test_setup_teardown(broken_download_resumes_where_it_stopped, setup_big,
		                                teardown),
		T(download_faults_leave_nothing_half_done),
		T(server_down_records_wait_then_arrive_once),
		T(wrong_key_keeps_records_waiting),
		T(worker_sends_by_itself_when_the_server_returns),
		T(killed_after_storing_the_retry_is_a_duplicate),
		T(sigterm_while_a_batch_is_in_flight),
		T(crashed_uploader_rows_come_back),
		T(server_500_no_loss_no_duplicate),
		T(server_slower_than_the_timeout),
		T(server_garbage_reply),
		T(server_truncated_reply),
		T(connection_refused),
		T(reset_while_sending_the_request),
		T(reset_while_receiving_the_reply),
		T(truncated_reply_on_the_wire),
		T(stalled_connection_times_out),
		T(rejected_record_is_quarantined_and_the_rest_arrive),
		T(conflict_is_reported_not_overwritten),
		T(two_kiosks_of_a_site_never_share_an_archive_number),
		T(lying_wall_clock_does_not_stop_sync),
		T(walkins_get_official_numbers_once),
		T(teacher_changes_reach_the_server),
	};
#undef T
	const char *only = getenv("TQK_TEST_FILTER");  /* e.g. "*conflict*" */
	if (only != NULL && only[0] != '\0')
		cmocka_set_test_filter(only);
	return cmocka_run_group_tests_name("sync_flow", tests, NULL, NULL);
}
