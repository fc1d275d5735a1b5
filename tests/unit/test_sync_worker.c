/*
 * test_sync_worker.c - the sync worker (sync/worker.h) driven through a
 * fake transport: a county server in memory that answers each URL path
 * with what the test set up (the time, a plan, clerks, pages of
 * applications and updates by cursor, per-record upload results) and
 * injects faults on request. No network, no real clocks: a fake clock
 * source makes the trusted time predictable.
 *
 * Proved here: stored and duplicate results are acked; conflict and
 * rejected quarantine their row and the rows behind still go; a 500, a
 * transport failure, or a reply missing a result acks nothing and puts
 * every claimed row back (due at once when the network failed, after a
 * backoff when the server did) with its attempt counted; a reply lost
 * after the server stored the batch is answered "duplicate" next time and
 * never stored twice; downloads go page by page by cursor, and one broken
 * at page 3 resumes there; updates are applied; the plan is stored only
 * when newer; a probe that fails touches nothing; the clock is anchored,
 * saved, and a jump audited; and the worker thread starts, runs a round
 * promptly when woken, backs off after failures, and stops.
 */
#include "test.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/confirmation.h"
#include "proto/api.h"
#include "proto/json.h"
#include "store/apps.h"
#include "store/clerks.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/plan.h"
#include "store/store.h"
#include "store/updates.h"
#include "support/fixture.h"
#include "support/rawdb.h"
#include "sync/client.h"
#include "sync/clock.h"
#include "sync/worker.h"

#define T0 FIXTURE_NOW
#define MAX_UUIDS 64
#define MAX_SINCE 64
#define MAX_UPDATES 16

/* The fake clock's monotonic milliseconds (below): the fake server's time
 * runs with it. */
static atomic_llong mono_ms;

/* ---- the fake county server ---- */

struct fake {
	pthread_mutex_t mu;
	tqk_time server_now;

	tqk_err time_fault;             /* != TQK_OK: GET /v1/time fails so */

	/* POST /v1/confirmations */
	tqk_err upload_fault;           /* a transport failure, the server untouched */
	long upload_status;             /* 200, or an error status (nothing stored) */
	bool upload_drop_last;          /* the reply lacks the last result */
	bool upload_lose_reply;         /* stored, then the connection breaks */
	char reject[MAX_UUIDS][TQK_UUID_CAP];
	tqk_upload_status reject_as[MAX_UUIDS];
	size_t n_reject;
	char stored[MAX_UUIDS][TQK_UUID_CAP];   /* what the server holds, once each */
	size_t n_stored;
	size_t posts, records;          /* requests, and records in them */

	/* GET /v1/plan and /v1/clerks */
	int64_t plan_rev;
	tqk_clerk clerk;
	size_t plan_gets;

	/* GET /v1/applications: n_apps fixture applications, page_size a page,
	 * cursor = index of the next one; fail_since fails the page there. */
	size_t n_apps, page_size;
	int fail_since;                 /* -1: none */
	char since[MAX_SINCE][16];      /* the cursors asked for, in order */
	size_t n_since;

	/* GET /v1/updates: two a page, cursor = seq of the last one given */
	tqk_update updates[MAX_UPDATES];
	size_t n_updates;
};

static struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof *f);
	assert_non_null(f);
	pthread_mutex_init(&f->mu, NULL);
	f->server_now = T0;
	f->upload_status = 200;
	f->plan_rev = 1;
	f->page_size = 3;
	f->fail_since = -1;
	f->clerk = (tqk_clerk){.id = "C007", .name = "王伟", .active = true};
	assert_int_equal(crypto_pwhash_str_alg(f->clerk.pin_hash, "135790", 6,
	                                       crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
	                                       crypto_pwhash_ALG_ARGON2ID13), 0);
	return f;
}

static void fake_free(void *ctx)
{
	struct fake *f = ctx;
	pthread_mutex_destroy(&f->mu);
	free(f);
}

static bool fake_has(struct fake *f, const char *uuid)
{
	for (size_t i = 0; i < f->n_stored; i++)
		if (strcmp(f->stored[i], uuid) == 0)
			return true;
	return false;
}

static tqk_err reply_json(tqk_http_reply *reply, long status, json_t *doc)
{
	assert_non_null(doc);
	reply->status = status;
	reply->body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	assert_non_null(reply->body);
	reply->body_len = strlen(reply->body);
	return TQK_OK;
}

static tqk_err reply_error(tqk_http_reply *reply, long status, const char *code)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "error", json_string(code));
	json_object_set_new(doc, "message", json_string("injected by the test"));
	return reply_json(reply, status, doc);
}

static tqk_plan fake_plan(int64_t rev)
{
	return fixture_plan(rev, "tqk-calendar 1\nyear 2026\n");
}

/* The value of name= in the query of url, into buf ("" when absent). */
static void query_value(const char *url, const char *name, char *buf, size_t cap)
{
	buf[0] = '\0';
	const char *q = strchr(url, '?');
	size_t n = strlen(name);
	for (const char *p = q; p != NULL; p = strchr(p + 1, '&')) {
		if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '=') {
			size_t len = strcspn(p + 2 + n, "&");
			snprintf(buf, cap, "%.*s", (int)len, p + 2 + n);
			return;
		}
	}
}

static tqk_err fake_upload(struct fake *f, const tqk_http_request *req, tqk_http_reply *reply,
                           char *detail, size_t cap)
{
	f->posts++;
	if (f->upload_fault != TQK_OK) {
		snprintf(detail, cap, "injected");
		return f->upload_fault;
	}
	if (f->upload_status != 200)
		return reply_error(reply, f->upload_status, "server.internal");
	json_error_t je;
	json_t *body = json_loadb(req->body, req->body_len, 0, &je);
	assert_non_null(body);
	json_t *records = json_object_get(body, "records");
	assert_true(json_is_array(records));
	size_t n = json_array_size(records);
	f->records += n;
	tqk_upload_result *res = calloc(n + 1, sizeof *res);
	assert_non_null(res);
	for (size_t i = 0; i < n; i++) {
		const char *uuid = json_string_value(json_object_get(json_array_get(records, i), "uuid"));
		assert_non_null(uuid);
		snprintf(res[i].uuid, sizeof res[i].uuid, "%s", uuid);
		res[i].status = TQK_UPLOAD_STORED;
		for (size_t k = 0; k < f->n_reject; k++) {
			if (strcmp(f->reject[k], uuid) == 0) {
				res[i].status = f->reject_as[k];
				snprintf(res[i].error, sizeof res[i].error, "%s",
				         f->reject_as[k] == TQK_UPLOAD_CONFLICT ? "store.exists"
				                                                : "store.confirmed");
				snprintf(res[i].message, sizeof res[i].message, "已确认：请改为更正");
			}
		}
		if (res[i].status == TQK_UPLOAD_STORED) {
			if (fake_has(f, uuid)) {
				res[i].status = TQK_UPLOAD_DUPLICATE;
			} else {
				assert_true(f->n_stored < MAX_UUIDS);
				snprintf(f->stored[f->n_stored++], TQK_UUID_CAP, "%s", uuid);
			}
		}
	}
	json_decref(body);
	if (f->upload_lose_reply) {
		free(res);
		snprintf(detail, cap, "connection reset after the request");
		return TQK_E_NET;
	}
	tqk_err err = reply_json(reply, 200, tqk_api_results_encode(res, f->upload_drop_last && n > 0
	                                                                 ? n - 1 : n));
	free(res);
	return err;
}

static tqk_err fake_apps(struct fake *f, const char *url, tqk_http_reply *reply)
{
	char since[16];
	query_value(url, "since", since, sizeof since);
	if (f->n_since < MAX_SINCE)
		snprintf(f->since[f->n_since++], sizeof f->since[0], "%s", since);
	size_t from = since[0] != '\0' ? (size_t)atoi(since) : 0;
	if (f->fail_since >= 0 && from == (size_t)f->fail_since)
		return reply_error(reply, 500, "server.internal");
	size_t to = from + f->page_size < f->n_apps ? from + f->page_size : f->n_apps;
	json_t *list = json_array();
	for (size_t i = from; i < to; i++) {
		tqk_application a;
		fixture_app((unsigned)i, FIXTURE_SITE, &a);
		json_array_append_new(list, tqk_json_application_encode(&a));
	}
	char next[16];
	snprintf(next, sizeof next, "%zu", to);
	return reply_json(reply, 200, tqk_api_page_encode(next, to < f->n_apps, "applications", list));
}

static tqk_err fake_updates(struct fake *f, const char *url, tqk_http_reply *reply)
{
	char since[16];
	query_value(url, "since", since, sizeof since);
	int64_t after = since[0] != '\0' ? atoll(since) : 0;
	json_t *list = json_array();
	int64_t last = after;
	size_t given = 0, i = 0;
	for (; i < f->n_updates && given < 2; i++) {
		if (f->updates[i].seq <= after)
			continue;
		json_array_append_new(list, tqk_api_update_encode(&f->updates[i]));
		last = f->updates[i].seq;
		given++;
	}
	bool more = false;
	for (; i < f->n_updates; i++)
		more |= f->updates[i].seq > last;
	char next[24];
	snprintf(next, sizeof next, "%lld", (long long)last);
	if (last == 0)
		next[0] = '\0';
	return reply_json(reply, 200, tqk_api_page_encode(next, more, "updates", list));
}

static tqk_err fake_perform(void *ctx, const tqk_http_request *req, tqk_http_reply *reply,
                            char *detail, size_t cap)
{
	struct fake *f = ctx;
	pthread_mutex_lock(&f->mu);
	const char *path = strstr(req->url, "://");
	path = path != NULL ? strchr(path + 3, '/') : NULL;
	assert_non_null(path);
	tqk_err err;
	if (strcmp(path, "/v1/time") == 0) {
		if (f->time_fault != TQK_OK) {
			snprintf(detail, cap, "injected");
			err = f->time_fault;
		} else {
			/* The server's clock runs with the fake monotonic one. */
			tqk_time t = f->server_now + (atomic_load(&mono_ms) - 1000) / 1000;
			err = reply_json(reply, 200, tqk_api_time_encode(t));
		}
	} else if (strcmp(path, "/v1/plan") == 0) {
		f->plan_gets++;
		tqk_plan p = fake_plan(f->plan_rev);
		err = reply_json(reply, 200, tqk_api_plan_encode(&p));
	} else if (strcmp(path, "/v1/clerks") == 0) {
		json_t *list = json_array();
		json_array_append_new(list, tqk_api_clerk_encode(&f->clerk));
		json_t *doc = json_object();
		json_object_set_new(doc, "clerks", list);
		err = reply_json(reply, 200, doc);
	} else if (strncmp(path, "/v1/applications?", 17) == 0) {
		err = fake_apps(f, path, reply);
	} else if (strncmp(path, "/v1/updates?", 12) == 0) {
		err = fake_updates(f, path, reply);
	} else if (strcmp(path, "/v1/confirmations") == 0 && strcmp(req->method, "POST") == 0) {
		err = fake_upload(f, req, reply, detail, cap);
	} else {
		err = reply_error(reply, 404, "api.not_found");
	}
	pthread_mutex_unlock(&f->mu);
	return err;
}

/* ---- a fake clock: this boot's monotonic time moves only when told ---- */

static atomic_llong wall_offset;        /* the wall clock's error, seconds */

static int64_t fake_mono(void *ctx)
{
	(void)ctx;
	return atomic_load(&mono_ms);
}

static tqk_time fake_wall(void *ctx)
{
	(void)ctx;
	return T0 + atomic_load(&mono_ms) / 1000 + atomic_load(&wall_offset);
}

static void fake_boot(void *ctx, char out[TQK_BOOT_ID_CAP])
{
	(void)ctx;
	snprintf(out, TQK_BOOT_ID_CAP, "0d8f1c2e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
}

static const tqk_clock_source fake_clock = {fake_mono, fake_wall, fake_boot, NULL};

/* ---- the test's world ---- */

struct env {
	char dir[512];
	char path[600];
	tqk_store *s;
	struct fake *f;                 /* owned by the client's transport */
	tqk_client *c;
	tqk_sync_config cfg;
	char uuids[MAX_UUIDS][TQK_UUID_CAP];
};

static void config_of(tqk_sync_config *cfg)
{
	tqk_sync_config_defaults(cfg);
	snprintf(cfg->url, sizeof cfg->url, "http://127.0.0.1:8443");
	snprintf(cfg->kiosk, sizeof cfg->kiosk, FIXTURE_KIOSK);
	for (size_t i = 0; i < sizeof cfg->secret; i++)
		cfg->secret[i] = (uint8_t)i;
	cfg->backoff_cap = 8;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/kiosk.db", e->dir);
	assert_int_equal(fixture_store(e->path, 8, 0, &e->s), TQK_OK);
	e->f = fake_new();
	config_of(&e->cfg);
	tqk_http_transport t = {fake_perform, fake_free, e->f};
	assert_int_equal(tqk_client_new(&e->cfg, t, &e->c), TQK_OK);
	atomic_store(&mono_ms, 1000);
	atomic_store(&wall_offset, 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	tqk_client_free(e->c);
	tqk_store_free(e->s);
	fixture_rmdir(e->dir);
	free(e);
	return 0;
}

/* Queues confirmations of applications 0..n-1; their uuids into e->uuids. */
static void queue(struct env *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tqk_application a;
		fixture_app((unsigned)i, FIXTURE_SITE, &a);
		tqk_confirmation c;
		fixture_confirmation(a.reg_no, &c);
		assert_int_equal(tqk_store_confirm(e->s, &c), TQK_OK);
		memcpy(e->uuids[i], c.uuid, TQK_UUID_CAP);
	}
}

static tqk_outbox_item row(struct env *e, size_t i)
{
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, e->uuids[i], &it), TQK_OK);
	free(it.payload);
	it.payload = NULL;
	return it;
}

static void assert_counts(struct env *e, size_t pending, size_t sending, size_t acked,
                          size_t rejected)
{
	tqk_outbox_counts q;
	assert_int_equal(tqk_store_outbox_counts(e->s, &q), TQK_OK);
	if (q.n[TQK_OUTBOX_PENDING] != pending || q.n[TQK_OUTBOX_SENDING] != sending ||
	    q.n[TQK_OUTBOX_ACKED] != acked || q.n[TQK_OUTBOX_REJECTED] != rejected)
		fail_msg("outbox %zu/%zu/%zu/%zu, expected %zu/%zu/%zu/%zu", q.n[0], q.n[1], q.n[2],
		         q.n[3], pending, sending, acked, rejected);
}

static tqk_err round_with_batch(struct env *e, int batch, tqk_round_stats *st)
{
	e->cfg.batch = batch;
	return tqk_sync_round_with(e->s, e->c, &fake_clock, &e->cfg, st);
}

/* ---- uploads ---- */

static void stored_and_duplicate_results_are_acked(void **state)
{
	struct env *e = *state;
	queue(e, 5);
	/* The server has the third already (an earlier upload whose reply
	 * never came back). */
	memcpy(e->f->stored[e->f->n_stored++], e->uuids[2], TQK_UUID_CAP);

	tqk_round_stats st;
	tqk_err err = round_with_batch(e, 2, &st);
	if (err != TQK_OK)
		fail_msg("round: %s (%s)", tqk_err_code(err), st.detail);
	assert_int_equal(st.uploaded, 5);
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(st.rejected, 0);
	assert_int_equal(st.retried, 0);
	assert_int_equal(st.server_time, T0);
	assert_string_equal(st.detail, "");
	assert_int_equal(e->f->posts, 3);       /* 2 + 2 + 1 */
	assert_int_equal(e->f->records, 5);
	assert_int_equal(e->f->n_stored, 5);    /* each once */
	assert_counts(e, 0, 0, 5, 0);
	for (size_t i = 0; i < 5; i++) {
		tqk_outbox_item it = row(e, i);
		assert_int_equal(it.attempts, 1);
	}
	/* A second round finds nothing to send. */
	assert_int_equal(round_with_batch(e, 2, &st), TQK_OK);
	assert_int_equal(st.uploaded, 0);
	assert_int_equal(e->f->posts, 3);
	raw_verify_chain(e->s, e->path);
}

static void conflict_and_rejected_are_quarantined_and_the_rest_go(void **state)
{
	struct env *e = *state;
	queue(e, 6);
	memcpy(e->f->reject[0], e->uuids[0], TQK_UUID_CAP);
	e->f->reject_as[0] = TQK_UPLOAD_REJECTED;
	memcpy(e->f->reject[1], e->uuids[3], TQK_UUID_CAP);
	e->f->reject_as[1] = TQK_UPLOAD_CONFLICT;
	e->f->n_reject = 2;

	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 2, &st), TQK_OK);
	assert_int_equal(st.uploaded, 4);
	assert_int_equal(st.rejected, 2);
	assert_counts(e, 0, 0, 4, 2);
	tqk_outbox_item it = row(e, 0);
	assert_int_equal(it.state, TQK_OUTBOX_REJECTED);
	assert_string_equal(it.last_error, "store.confirmed: 已确认：请改为更正");
	it = row(e, 3);
	assert_int_equal(it.state, TQK_OUTBOX_REJECTED);
	/* A conflict says so, apart from a rejection. */
	assert_string_equal(it.last_error, "conflict: store.exists: 已确认：请改为更正");
	for (size_t i = 0; i < 6; i++)
		if (i != 0 && i != 3)
			assert_int_equal(row(e, i).state, TQK_OUTBOX_ACKED);

	/* Quarantined rows are never sent again on their own. */
	size_t posts = e->f->posts;
	assert_int_equal(round_with_batch(e, 2, &st), TQK_OK);
	assert_int_equal(e->f->posts, posts);
	/* An administrator's requeue sends it with the next round. */
	e->f->n_reject = 0;
	assert_int_equal(tqk_store_outbox_requeue(e->s, e->uuids[0], T0), TQK_OK);
	assert_int_equal(round_with_batch(e, 2, &st), TQK_OK);
	assert_int_equal(st.uploaded, 1);
	assert_counts(e, 0, 0, 5, 1);
}

static void server_error_puts_every_claimed_row_back(void **state)
{
	struct env *e = *state;
	queue(e, 3);
	e->f->upload_status = 500;
	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_E_NET_STATUS);
	assert_int_equal(st.uploaded, 0);
	assert_int_equal(st.retried, 3);
	assert_non_null(strstr(st.detail, "POST /v1/confirmations"));
	assert_non_null(strstr(st.detail, "500"));
	assert_counts(e, 3, 0, 0, 0);
	tqk_time now = T0;      /* the anchor; the fake clock has not moved */
	for (size_t i = 0; i < 3; i++) {
		tqk_outbox_item it = row(e, i);
		assert_int_equal(it.attempts, 1);
		assert_non_null(strstr(it.last_error, "net.status"));
		/* A backoff under min(cap, 2^attempts) s. */
		assert_true(it.next_attempt >= now && it.next_attempt <= now + 2);
	}
	assert_int_equal(e->f->n_stored, 0);
	/* The server answered: the downloads still ran. */
	assert_int_equal(e->f->plan_gets, 1);
	assert_true(st.plan);

	/* Once the server is well and the backoff over, they go, once each. */
	e->f->upload_status = 200;
	atomic_fetch_add(&mono_ms, 3000);
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_int_equal(st.uploaded, 3);
	assert_counts(e, 0, 0, 3, 0);
	assert_int_equal(row(e, 1).attempts, 2);
	assert_int_equal(e->f->n_stored, 3);
}

static void transport_failure_puts_rows_back_due_at_once(void **state)
{
	struct env *e = *state;
	queue(e, 4);
	e->f->upload_fault = TQK_E_NET_TIMEOUT;
	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 3, &st), TQK_E_NET_TIMEOUT);
	assert_int_equal(st.retried, 3);    /* the first batch; the round stops there */
	assert_int_equal(e->f->posts, 1);
	assert_counts(e, 4, 0, 0, 0);
	for (size_t i = 0; i < 3; i++) {
		tqk_outbox_item it = row(e, i);
		assert_int_equal(it.attempts, 1);
		assert_int_equal(it.next_attempt, T0);
		assert_non_null(strstr(it.last_error, "net.timeout"));
	}
	assert_int_equal(row(e, 3).attempts, 0);
	/* The network is gone: no download was tried. */
	assert_int_equal(e->f->plan_gets, 0);

	/* The network returns: everything goes in the very next round. */
	e->f->upload_fault = TQK_OK;
	assert_int_equal(round_with_batch(e, 3, &st), TQK_OK);
	assert_int_equal(st.uploaded, 4);
	assert_counts(e, 0, 0, 4, 0);
}

static void reply_missing_a_result_acks_nothing(void **state)
{
	struct env *e = *state;
	queue(e, 3);
	e->f->upload_drop_last = true;
	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_E_NET_REPLY);
	assert_int_equal(st.uploaded, 0);
	assert_int_equal(st.retried, 3);
	assert_counts(e, 3, 0, 0, 0);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(row(e, i).attempts, 1);

	/* The server did store them; the retry is answered "duplicate". */
	e->f->upload_drop_last = false;
	atomic_fetch_add(&mono_ms, 3000);
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_int_equal(st.uploaded, 3);
	assert_int_equal(st.duplicates, 3);
	assert_int_equal(e->f->n_stored, 3);
	assert_counts(e, 0, 0, 3, 0);
}

static void reply_lost_after_storing_is_never_a_second_copy(void **state)
{
	struct env *e = *state;
	queue(e, 4);
	e->f->upload_lose_reply = true;
	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_E_NET);
	assert_counts(e, 4, 0, 0, 0);
	assert_int_equal(e->f->n_stored, 4);
	e->f->upload_lose_reply = false;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_int_equal(st.uploaded, 4);
	assert_int_equal(st.duplicates, 4);
	assert_int_equal(e->f->n_stored, 4);
	assert_int_equal(e->f->records, 8);
	assert_counts(e, 0, 0, 4, 0);
}

static void probe_failure_touches_nothing(void **state)
{
	struct env *e = *state;
	queue(e, 2);
	char *before = raw_dump(e->path);
	e->f->time_fault = TQK_E_NET;
	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_E_NET);
	assert_int_equal(st.server_time, 0);
	assert_non_null(strstr(st.detail, "GET /v1/time"));
	assert_int_equal(e->f->posts, 0);
	assert_int_equal(e->f->plan_gets, 0);
	raw_expect_unchanged(e->path, before);
}

static void rows_a_fast_clock_put_off_go_at_once(void **state)
{
	struct env *e = *state;
	queue(e, 2);
	/* Committed when the wall clock was a day ahead. */
	sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "UPDATE outbox SET next_attempt = next_attempt + 86400");
	sqlite3_close(db);
	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_int_equal(st.uploaded, 2);
}

/* ---- downloads ---- */

static void downloads_go_by_cursor_and_resume_where_they_broke(void **state)
{
	struct env *e = *state;
	/* A store without applications: all come from the server. */
	tqk_store_free(e->s);
	fixture_rmdir(e->dir);
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/kiosk.db", e->dir);
	assert_int_equal(fixture_store(e->path, 0, 0, &e->s), TQK_OK);
	e->f->n_apps = 10;
	e->f->page_size = 3;
	e->f->fail_since = 6;           /* the third page */

	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_E_NET_STATUS);
	assert_int_equal(st.applications, 6);
	assert_non_null(strstr(st.detail, "/v1/applications"));
	char cursor[TQK_STORE_CURSOR_CAP];
	assert_int_equal(tqk_store_apps_cursor(e->s, cursor), TQK_OK);
	assert_string_equal(cursor, "6");
	tqk_store_counts n;
	assert_int_equal(tqk_store_count(e->s, &n), TQK_OK);
	assert_int_equal(n.applications, 6);
	/* The downloads after it still ran. */
	assert_true(st.plan);
	assert_int_equal(st.clerks, 1);
	assert_int_equal(e->f->n_since, 3);
	assert_string_equal(e->f->since[0], "");
	assert_string_equal(e->f->since[1], "3");
	assert_string_equal(e->f->since[2], "6");

	/* The next round starts at the stored cursor, not from the top. */
	e->f->fail_since = -1;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_int_equal(st.applications, 4);
	assert_string_equal(e->f->since[3], "6");
	assert_string_equal(e->f->since[4], "9");
	assert_int_equal(e->f->n_since, 5);
	assert_int_equal(tqk_store_count(e->s, &n), TQK_OK);
	assert_int_equal(n.applications, 10);
	assert_int_equal(tqk_store_apps_cursor(e->s, cursor), TQK_OK);
	assert_string_equal(cursor, "10");
	for (unsigned i = 0; i < 10; i++) {
		tqk_application want, got;
		fixture_app(i, FIXTURE_SITE, &want);
		assert_int_equal(tqk_store_app_get(e->s, want.reg_no, &got), TQK_OK);
		assert_string_equal(got.name, want.name);
	}
	/* Nothing new: one request at the cursor, nothing written. */
	char *before = raw_dump(e->path);
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_int_equal(st.applications, 0);
	assert_string_equal(e->f->since[5], "10");
	raw_expect_unchanged(e->path, before);
	raw_verify_chain(e->s, e->path);
}

static void updates_are_applied_page_by_page(void **state)
{
	struct env *e = *state;
	static const struct {
		unsigned app;
		tqk_state state;
		const char *message;
	} ups[] = {
		{0, TQK_ST_WRONG_INSTITUTION, "请更正注册机构。"},
		{1, TQK_ST_NONE, "请携带身份证原件。"},
		{2, TQK_ST_PASSED, ""},            /* 1 -> 8: not the institution's move */
		{3, TQK_ST_NOT_ELIGIBLE, "不属于注册对象。"},
		{999, TQK_ST_NOT_ELIGIBLE, ""},    /* unknown */
	};
	for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
		tqk_update *u = &e->f->updates[e->f->n_updates++];
		*u = (tqk_update){.seq = (int64_t)(10 * (i + 1)), .state = ups[i].state, .at = T0};
		snprintf(u->reg_no, sizeof u->reg_no, "2026%010u", ups[i].app);
		snprintf(u->message, sizeof u->message, "%s", ups[i].message);
	}
	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_int_equal(st.updates, 3);
	char cursor[TQK_STORE_CURSOR_CAP];
	assert_int_equal(tqk_store_updates_cursor(e->s, cursor), TQK_OK);
	assert_string_equal(cursor, "50");
	tqk_application a;
	assert_int_equal(tqk_store_app_get(e->s, "20260000000000", &a), TQK_OK);
	assert_int_equal(a.state, TQK_ST_WRONG_INSTITUTION);
	assert_string_equal(a.inst_message, "请更正注册机构。");
	assert_int_equal(tqk_store_app_get(e->s, "20260000000001", &a), TQK_OK);
	assert_int_equal(a.state, TQK_ST_SUBMITTED);
	assert_string_equal(a.inst_message, "请携带身份证原件。");
	assert_int_equal(tqk_store_app_get(e->s, "20260000000002", &a), TQK_OK);
	assert_int_equal(a.state, TQK_ST_SUBMITTED);
	assert_int_equal(tqk_store_app_get(e->s, "20260000000003", &a), TQK_OK);
	assert_int_equal(a.state, TQK_ST_NOT_ELIGIBLE);

	/* One more arrives: only it is fetched and applied. */
	tqk_update *u = &e->f->updates[e->f->n_updates++];
	*u = (tqk_update){.seq = 60, .state = TQK_ST_WRONG_INSTITUTION, .at = T0};
	snprintf(u->reg_no, sizeof u->reg_no, "20260000000004");
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_int_equal(st.updates, 1);
	assert_int_equal(tqk_store_updates_cursor(e->s, cursor), TQK_OK);
	assert_string_equal(cursor, "60");
}

static void plan_is_stored_only_when_newer(void **state)
{
	struct env *e = *state;
	e->f->plan_rev = 2;
	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_true(st.plan);
	assert_int_equal(st.clerks, 1);
	tqk_plan p;
	assert_int_equal(tqk_store_plan_get(e->s, &p), TQK_OK);
	assert_int_equal(p.rev, 2);
	assert_string_equal(p.calendar, "tqk-calendar 1\nyear 2026\n");
	tqk_plan_clear(&p);
	tqk_login login;
	assert_int_equal(tqk_store_clerk_login(e->s, "C007", "135790", &login), TQK_OK);
	assert_int_equal(login, TQK_LOGIN_OK);

	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_false(st.plan);
	e->f->plan_rev = 1;             /* an older plan (a server restored from backup) */
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_false(st.plan);
	int64_t rev;
	assert_int_equal(tqk_store_plan_rev(e->s, &rev), TQK_OK);
	assert_int_equal(rev, 2);
	e->f->plan_rev = 3;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_true(st.plan);
	assert_int_equal(tqk_store_plan_rev(e->s, &rev), TQK_OK);
	assert_int_equal(rev, 3);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM audit WHERE action = 'plan.store'",
	                         NULL), 2);
}

/* ---- the clock ---- */

static void clock_is_anchored_saved_and_a_jump_audited(void **state)
{
	struct env *e = *state;
	tqk_round_stats st;
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_false(st.clock_jump);
	char text[TQK_STORE_SETTING_CAP];
	assert_int_equal(tqk_store_setting_get(e->s, TQK_SYNC_CLOCK_SETTING, text, sizeof text),
	                 TQK_OK);
	tqk_clock clk;
	assert_true(tqk_clock_load(text, &clk));
	assert_string_equal(clk.boot_id, "0d8f1c2e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
	assert_int_equal(clk.anchor_time, T0);
	assert_int_equal(clk.anchor_mono_ms, 1000);

	/* The server's time moves with the monotonic clock; the wall clock
	 * is set ten minutes back behind the kiosk's back. */
	atomic_fetch_add(&mono_ms, 60000);
	atomic_store(&wall_offset, -600);
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_true(st.clock_jump);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM audit WHERE action = 'clock.jump'",
	                         NULL), 1);
	/* Reported once per jump. */
	assert_int_equal(round_with_batch(e, 10, &st), TQK_OK);
	assert_false(st.clock_jump);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM audit WHERE action = 'clock.jump'",
	                         NULL), 1);
	raw_verify_chain(e->s, e->path);
}

/* ---- the thread ---- */

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits up to limit seconds for the worker to finish its round number
 * rounds; returns the status then. */
static tqk_sync_status wait_rounds(tqk_sync *w, unsigned long rounds, double limit)
{
	tqk_sync_status s;
	double until = seconds() + limit;
	for (;;) {
		tqk_sync_get_status(w, &s);
		if (s.rounds >= rounds || seconds() > until)
			return s;
		usleep(2000);
	}
}

static void thread_runs_rounds_wakes_backs_off_and_stops(void **state)
{
	struct env *e = *state;
	/* The thread has its own store connection and client. */
	struct fake *f = fake_new();
	f->time_fault = TQK_E_NET;      /* the network is down at first */
	tqk_http_transport t = {fake_perform, fake_free, f};
	tqk_sync *w = NULL;
	assert_int_equal(tqk_sync_start_with(e->path, &e->cfg, t, &fake_clock, &w), TQK_OK);

	tqk_sync_status s = wait_rounds(w, 1, 5.0);
	assert_int_equal(s.rounds >= 1, 1);
	assert_int_equal(s.last_err, TQK_E_NET);
	assert_true(s.failures >= 1);

	/* A commit while the network is down: it waits in the queue. */
	queue(e, 2);
	tqk_sync_wake(w);

	/* The network returns; a wake starts a round at once, well before
	 * the backoff or the interval would. */
	pthread_mutex_lock(&f->mu);
	f->time_fault = TQK_OK;
	pthread_mutex_unlock(&f->mu);
	double t0 = seconds();
	double until = t0 + 5.0;
	for (;;) {
		tqk_sync_wake(w);
		tqk_sync_get_status(w, &s);
		if (s.last_err == TQK_OK && s.failures == 0 && s.rounds >= 2)
			break;
		if (seconds() > until)
			fail_msg("no successful round within 5 s of the network's return");
		usleep(5000);
	}
	assert_true(seconds() - t0 < 2.0);
	assert_counts(e, 0, 0, 2, 0);
	pthread_mutex_lock(&f->mu);
	assert_int_equal(f->n_stored, 2);
	pthread_mutex_unlock(&f->mu);

	/* Idle now (the interval is a minute): a new commit and a wake are
	 * uploaded within moments. */
	usleep(200000);         /* a wake that came during the round runs one more */
	tqk_sync_get_status(w, &s);
	unsigned long rounds = s.rounds;
	usleep(100000);
	tqk_sync_get_status(w, &s);
	assert_int_equal(s.rounds, rounds);     /* no busy loop */
	tqk_application a;
	fixture_app(5, FIXTURE_SITE, &a);
	tqk_confirmation c;
	fixture_confirmation(a.reg_no, &c);
	assert_int_equal(tqk_store_confirm(e->s, &c), TQK_OK);
	t0 = seconds();
	tqk_sync_wake(w);
	s = wait_rounds(w, rounds + 1, 5.0);
	assert_true(s.rounds >= rounds + 1);
	assert_true(seconds() - t0 < 1.0);
	assert_counts(e, 0, 0, 3, 0);

	/* Stop joins at once, though the next round is a minute away. */
	t0 = seconds();
	tqk_sync_stop(w);
	assert_true(seconds() - t0 < 1.0);
	tqk_sync_stop(NULL);
	tqk_sync_wake(NULL);
}

static void thread_backs_off_while_the_server_is_down(void **state)
{
	struct env *e = *state;
	struct fake *f = fake_new();
	f->time_fault = TQK_E_NET;
	tqk_http_transport t = {fake_perform, fake_free, f};
	tqk_sync *w = NULL;
	e->cfg.backoff_cap = 1;         /* at most a second between tries */
	assert_int_equal(tqk_sync_start_with(e->path, &e->cfg, t, &fake_clock, &w), TQK_OK);
	double t0 = seconds();
	usleep(1500000);
	tqk_sync_status s;
	tqk_sync_get_status(w, &s);
	double took = seconds() - t0;
	/* Full jitter under a 1 s cap: a few rounds, not a busy loop. */
	if (s.rounds < 2 || s.rounds > 200)
		fail_msg("%lu rounds in %.2f s", s.rounds, took);
	assert_int_equal(s.failures, s.rounds);
	assert_int_equal(s.last_err, TQK_E_NET);
	assert_non_null(strstr(s.last.detail, "GET /v1/time"));
	tqk_sync_stop(w);
}

static void start_reports_a_missing_store(void **state)
{
	struct env *e = *state;
	struct fake *f = fake_new();
	tqk_http_transport t = {fake_perform, fake_free, f};
	char path[700];
	snprintf(path, sizeof path, "%s/none.db", e->dir);
	tqk_sync *w = (tqk_sync *)&w;
	assert_int_equal(tqk_sync_start_with(path, &e->cfg, t, &fake_clock, &w),
	                 TQK_E_STORE_MISSING);
	assert_null(w);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		T(stored_and_duplicate_results_are_acked),
		T(conflict_and_rejected_are_quarantined_and_the_rest_go),
		T(server_error_puts_every_claimed_row_back),
		T(transport_failure_puts_rows_back_due_at_once),
		T(reply_missing_a_result_acks_nothing),
		T(reply_lost_after_storing_is_never_a_second_copy),
		T(probe_failure_touches_nothing),
		T(rows_a_fast_clock_put_off_go_at_once),
		T(downloads_go_by_cursor_and_resume_where_they_broke),
		T(updates_are_applied_page_by_page),
		T(plan_is_stored_only_when_newer),
		T(clock_is_anchored_saved_and_a_jump_audited),
		T(thread_runs_rounds_wakes_backs_off_and_stops),
		T(thread_backs_off_while_the_server_is_down),
		T(start_reports_a_missing_store),
	};
	return cmocka_run_group_tests_name("sync_worker", tests, NULL, NULL);
}
