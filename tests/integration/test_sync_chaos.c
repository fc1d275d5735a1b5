/*
 * test_sync_chaos.c - the chaos run of issue 4: 2,000 confirmations are
 * committed at the kiosk while the sync worker thread uploads them and a
 * chaos thread, at random moments, kills the county server (SIGKILL) or
 * stops it (SIGTERM, which must end it cleanly) and starts it again, arms
 * the server's test faults (die after storing, 500, a delay beyond the
 * client's timeout, garbage or half a reply) and switches the proxy between
 * the kiosk and the server to refused connections, resets, stalls and cut
 * replies. At the end the faults are switched off and the worker is left to
 * finish: the server must hold exactly 2,000 confirmations, each uuid once,
 * every one acked at the kiosk, and the queue nothing pending or in flight.
 *
 * The chaos is drawn from a seed printed at the start (TQK_CHAOS_SEED=N
 * draws the same actions again; the threads' timing still varies), and
 * TQK_CHAOS_SECONDS (default 20) sets how long the commits are spread over.
 * TQK_KEEP=1 keeps the scratch directory with the server's log.
 */
#define _GNU_SOURCE
#include "test.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dev/devsys.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "support/county.h"
#include "support/faultproxy.h"
#include "support/fixture.h"
#include "support/rng.h"
#include "sync/client.h"
#include "sync/worker.h"

#define RECORDS 2000
#define APPS RECORDS            /* every demo application is confirmed once */
#define WIDTH 4                 /* archive serials up to 9999 */
#define TIMEOUT_S 2
#define FINISH_MS 45000         /* for the worker to empty the queue at the end */

static char dir[512], kdb[700];
static county srv;
static faultproxy *proxy;
static atomic_bool chaos_stop;
static uint64_t seed;

/* What the chaos thread did. */
static struct chaos_log {
	unsigned kills, terms, server_faults, proxy_faults, clears, restarts_by_itself;
	unsigned term_unclean;          /* SIGTERM that did not end with status 0 */
	char problem[600];              /* a failure of the harness itself */
} chaos;

/* Starts the server again; a failure ends the chaos with a problem noted. */
static bool restart(void)
{
	if (county_restart(&srv) == 0)
		return true;
	snprintf(chaos.problem, sizeof chaos.problem, "restart: %s", srv.why);
	return false;
}

static void *chaos_main(void *arg)
{
	(void)arg;
	uint64_t rng = seed;
	static const char *const faults[] = {"die-after-store", "status-500", "delay", "garbage",
	                                     "truncate"};
	static const fp_mode modes[] = {FP_REFUSE, FP_RESET_REQUEST, FP_RESET_REPLY, FP_STALL,
	                                FP_TRUNCATE_REPLY};
	while (!atomic_load(&chaos_stop) && chaos.problem[0] == '\0') {
		tqk_dev_sleep_ms(100 + rng_below(&rng, 700));
		if (county_reap(&srv)) {
			/* died by itself (die-after-store) */
			chaos.restarts_by_itself++;
			if (!restart())
				break;
		}
		switch (rng_below(&rng, 7)) {
		case 0:
			county_kill(&srv);
			chaos.kills++;
			tqk_dev_sleep_ms(rng_below(&rng, 400));
			restart();
			break;
		case 1:
			if (county_stop(&srv) != 0) {
				chaos.term_unclean++;
				fprintf(stderr, "# chaos: %s\n", srv.why);
			}
			chaos.terms++;
			tqk_dev_sleep_ms(rng_below(&rng, 400));
			restart();
			break;
		case 2:
		case 3: {
			const char *f = faults[rng_below(&rng, 5)];
			int ms = (int)(TIMEOUT_S * 1000 + rng_below(&rng, 1500));
			if (county_fault(&srv, f, 1 + (int)rng_below(&rng, 3), ms) == 0)
				chaos.server_faults++;
			break;
		}
		case 4:
			fp_set(proxy, modes[rng_below(&rng, 5)], rng_below(&rng, 3000),
			       rng_below(&rng, 2) ? "POST /v1/confirmations" : NULL,
			       1 + (int)rng_below(&rng, 3));
			chaos.proxy_faults++;
			break;
		case 5:
			fp_random(proxy, rng_next(&rng), 10 + rng_below(&rng, 40), 4000);
			chaos.proxy_faults++;
			break;
		default:
			fp_clear(proxy);
			county_fault(&srv, "none", 0, 0);
			chaos.clears++;
			break;
		}
	}
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	const char *env = getenv("TQK_CHAOS_SEED");
	seed = env != NULL && env[0] != '\0' ? strtoull(env, NULL, 10)
	                                     : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
	fprintf(stderr, "# chaos seed %llu (TQK_CHAOS_SEED=%llu repeats the draws)\n",
	        (unsigned long long)seed, (unsigned long long)seed);
	fixture_tmpdir(dir, sizeof dir);
	snprintf(kdb, sizeof kdb, "%s/kiosk.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fp_stop(proxy);
	int rc = 0;
	if (srv.pid > 0 && county_stop(&srv) != 0) {
		fprintf(stderr, "# county: %s\n", srv.why);
		rc = -1;
	}
	const char *keep = getenv("TQK_KEEP");
	if (keep != NULL && keep[0] == '1')
		fprintf(stderr, "# kept %s\n", dir);
	else
		fixture_rmdir(dir);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void two_thousand_confirmations_through_chaos(void **state)
{
	(void)state;
	char secret[COUNTY_SECRET_HEX];
	if (county_start(&srv, dir, true) != 0 ||
	    county_provision(&srv, "S01", "K01", WIDTH, APPS, 3, secret) != 0) {
		county_dump_log(&srv, 4000);
		fail_msg("county: %s", srv.why);
	}
	proxy = fp_start(srv.port);
	assert_non_null(proxy);
	tqk_sync_config cfg;
	assert_int_equal(county_kiosk_config(&cfg, fp_port(proxy), "K01", secret, TIMEOUT_S, 50), 0);
	tqk_store *s = county_kiosk_store(kdb, "K01", WIDTH);
	assert_non_null(s);

	/* the applications come down first, undisturbed */
	tqk_http_transport t;
	tqk_client *c = NULL;
	assert_int_equal(tqk_http_curl(&cfg, &t), TQK_OK);
	assert_int_equal(tqk_client_new(&cfg, t, &c), TQK_OK);
	tqk_round_stats st;
	assert_int_equal(tqk_sync_round_with(s, c, &tqk_clock_system, &cfg, &st), TQK_OK);
	assert_int_equal(st.applications, APPS);

	const char *secs = getenv("TQK_CHAOS_SECONDS");
	long spread_ms = (secs != NULL && secs[0] != '\0' ? atol(secs) : 20) * 1000;
	long pace_us = spread_ms * 1000 / RECORDS;

	tqk_sync *w = NULL;
	assert_int_equal(tqk_sync_start(kdb, &cfg, &w), TQK_OK);
	pthread_t chaos_thread;
	assert_int_equal(pthread_create(&chaos_thread, NULL, chaos_main, NULL), 0);

	/* the counter: 2,000 confirmations, each waking the worker */
	char (*uuids)[TQK_UUID_CAP] = calloc(RECORDS, TQK_UUID_CAP);
	assert_non_null(uuids);
	unsigned busy = 0;
	long long t0 = tqk_dev_now_ms();
	for (int i = 0; i < RECORDS; i++) {
		char reg[TQK_CODE_CAP];
		assert_int_equal(county_kiosk_submitted(s, reg), 0);
		tqk_confirmation cf;
		fixture_confirmation(reg, &cf);
		cf.at = time(NULL);
		cf.time_source = TQK_TIME_ANCHORED;
		tqk_store_new_uuid(cf.uuid);
		tqk_err err;
		/* the same struct again after a failure is how a caller learns the outcome */
		while ((err = tqk_store_confirm(s, &cf)) == TQK_E_STORE_BUSY && busy < 100)
			busy++;
		if (err != TQK_OK)
			fail_msg("confirm %d: %s (%s)", i, tqk_err_code(err), tqk_store_detail(s));
		memcpy(uuids[i], cf.uuid, TQK_UUID_CAP);
		tqk_sync_wake(w);
		long long due = t0 + (long long)(i + 1) * pace_us / 1000;
		long long left = due - tqk_dev_now_ms();
		if (left > 0)
			tqk_dev_sleep_ms(left);
	}
	long long committed_ms = tqk_dev_now_ms() - t0;
	atomic_store(&chaos_stop, true);
	pthread_join(chaos_thread, NULL);
	if (chaos.problem[0] != '\0')
		fail_msg("chaos harness: %s", chaos.problem);

	/* calm: everything off, the server up; the worker finishes on its own */
	fp_clear(proxy);
	if (county_ensure_up(&srv) != 0)
		fail_msg("county: %s", srv.why);
	assert_int_equal(county_fault(&srv, "none", 0, 0), 0);
	tqk_outbox_counts oc;
	tqk_outbox_counts at_calm;
	assert_int_equal(tqk_store_outbox_counts(s, &at_calm), TQK_OK);
	long long calm = tqk_dev_now_ms();
	for (;;) {
		tqk_sync_wake(w);
		assert_int_equal(tqk_store_outbox_counts(s, &oc), TQK_OK);
		if (oc.n[TQK_OUTBOX_PENDING] == 0 && oc.n[TQK_OUTBOX_SENDING] == 0)
			break;
		if (tqk_dev_now_ms() - calm > FINISH_MS)
			break;
		tqk_dev_sleep_ms(250);
	}
	long long finish_ms = tqk_dev_now_ms() - calm;
	tqk_sync_status ws;
	tqk_sync_get_status(w, &ws);
	tqk_sync_stop(w);
	fp_stats ps;
	fp_get_stats(proxy, &ps);

	fprintf(stderr, "# commits: %d in %lld ms (%u busy retries)\n", RECORDS, committed_ms, busy);
	fprintf(stderr, "# chaos: %u SIGKILL, %u SIGTERM (%u unclean), %u died after storing, "
	        "%u server faults, %u proxy settings, %u calms; server started %u times\n",
	        chaos.kills, chaos.terms, chaos.term_unclean, chaos.restarts_by_itself,
	        chaos.server_faults, chaos.proxy_faults, chaos.clears, srv.starts);
	fprintf(stderr, "# proxy: %lu connections, %lu requests; refused %lu, reset request %lu, "
	        "reset reply %lu, stalled %lu, cut reply %lu\n", ps.connections, ps.requests,
	        ps.faults[FP_REFUSE], ps.faults[FP_RESET_REQUEST], ps.faults[FP_RESET_REPLY],
	        ps.faults[FP_STALL], ps.faults[FP_TRUNCATE_REPLY]);
	fprintf(stderr, "# at calm: %zu pending, %zu sending, %zu acked; queue empty %lld ms later; "
	        "worker: %lu rounds, last %s\n", at_calm.n[TQK_OUTBOX_PENDING],
	        at_calm.n[TQK_OUTBOX_SENDING], at_calm.n[TQK_OUTBOX_ACKED], finish_ms, ws.rounds,
	        tqk_err_code(ws.last_err));
	if (oc.n[TQK_OUTBOX_PENDING] != 0 || oc.n[TQK_OUTBOX_SENDING] != 0)
		fail_msg("the queue did not empty within %d ms of the calm: %zu pending, %zu sending "
		         "(worker's last round: %s)", FINISH_MS, oc.n[TQK_OUTBOX_PENDING],
		         oc.n[TQK_OUTBOX_SENDING], ws.last.detail);
	assert_int_equal(chaos.term_unclean, 0);

	/* one more round from here: nothing left to move */
	assert_int_equal(tqk_sync_round_with(s, c, &tqk_clock_system, &cfg, &st), TQK_OK);
	assert_int_equal(st.uploaded, 0);

	/* the server holds exactly the 2,000, each once; all acked here */
	char **held;
	size_t n, dups;
	if (county_confirmation_uuids(&srv, &held, &n, &dups) != 0)
		fail_msg("%s", srv.why);
	if (dups != 0 || n != RECORDS)
		fail_msg("the server holds %zu confirmations (%zu uuids repeated); %d committed", n,
		         dups, RECORDS);
	for (int i = 0; i < RECORDS; i++) {
		const char *key = uuids[i];
		if (bsearch(&key, held, n, sizeof *held, cmp_str) == NULL)
			fail_msg("%s (record %d) is not on the server", key, i);
	}
	county_free_lines(held, n);
	assert_int_equal(county_stat(&srv, "confirmations"), RECORDS);
	assert_int_equal(tqk_store_outbox_counts(s, &oc), TQK_OK);
	assert_int_equal(oc.n[TQK_OUTBOX_ACKED], RECORDS);
	assert_int_equal(oc.n[TQK_OUTBOX_REJECTED], 0);

	free(uuids);
	tqk_client_free(c);
	tqk_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(two_thousand_confirmations_through_chaos, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("sync_chaos", tests, NULL, NULL);
}
