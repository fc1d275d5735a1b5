/*
 * test_sync_auth.c - the county server refuses requests it must not trust
 * (issue 4, "Proof"; the scheme in src/proto/sign.h): unsigned, a bad
 * signature, a body or query changed after signing, an unknown kiosk, a
 * replayed nonce, a time outside ±300 s, another site's or another kiosk's
 * records, an oversized body or batch. Each is answered with the documented
 * status (401, 403, 413) and error code, and nothing is stored (`tq-county
 * admin stats`).
 *
 * The requests are built here from the scheme, with libcurl, not by the
 * kiosk's client: this is what someone writing another client (or an
 * attacker) would send. Every test ends by sending the same record properly
 * signed and seeing it stored, so a refusal can never come from a mistake in
 * the test's own signing. The records are real: committed in a kiosk store
 * whose applications came from the server, and sent as their outbox payloads.
 *
 * One server for the whole file (its nonces and counts carry over, which the
 * tests allow for); its log is shown when a test fails to start it.
 */
#define _GNU_SOURCE
#include "test.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "proto/api.h"
#include "proto/sign.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "support/county.h"
#include "support/fixture.h"
#include "sync/client.h"
#include "sync/clock.h"
#include "sync/worker.h"

#define APPS 40

static char dir[512], kdb[700];
static county srv;
static char secret[COUNTY_SECRET_HEX], secret_k02[COUNTY_SECRET_HEX], secret_k21[COUNTY_SECRET_HEX];
static uint8_t key[TQK_SIGN_KEY_LEN], key_k02[TQK_SIGN_KEY_LEN], key_k21[TQK_SIGN_KEY_LEN];
static tqk_store *store;

/* ---- set-up: a server with sites S01 (kiosks K01, K02) and S02 (K21) ---- */

static int group_setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	fixture_tmpdir(dir, sizeof dir);
	proc_result r;
	if (county_start(&srv, dir, false) != 0 ||
	    county_provision(&srv, "S01", "K01", 3, APPS, 7, secret) != 0 ||
	    county_kiosk_add(&srv, "S01", "K02", secret_k02) != 0 ||
	    county_admin_ok(&srv, &r, "site", "add", "--site", "S02", "--name", "长沙县第二确认点",
	                    "--county", "CSX", "--year", "2026", "--site-no", "2", NULL) != 0) {
		fprintf(stderr, "# county: %s\n", srv.why);
		county_dump_log(&srv, 4000);
		return -1;
	}
	proc_result_free(&r);
	if (county_admin_ok(&srv, &r, "apps", "demo", "--site", "S02", "--count", "10", "--seed",
	                    "8", NULL) != 0 ||
	    county_kiosk_add(&srv, "S02", "K21", secret_k21) != 0) {
		fprintf(stderr, "# county: %s\n", srv.why);
		return -1;
	}
	proc_result_free(&r);
	if (!tqk_hex_decode(secret, key, sizeof key) ||
	    !tqk_hex_decode(secret_k02, key_k02, sizeof key_k02) ||
	    !tqk_hex_decode(secret_k21, key_k21, sizeof key_k21))
		return -1;

	/* the kiosk's store, with the site's applications from the server */
	snprintf(kdb, sizeof kdb, "%s/kiosk.db", dir);
	store = county_kiosk_store(kdb, "K01", 3);
	tqk_sync_config cfg;
	tqk_http_transport t;
	tqk_client *c = NULL;
	if (store == NULL || county_kiosk_config(&cfg, srv.port, "K01", secret, 5, 0) != 0 ||
	    tqk_http_curl(&cfg, &t) != TQK_OK || tqk_client_new(&cfg, t, &c) != TQK_OK)
		return -1;
	tqk_round_stats st;
	tqk_err err = tqk_sync_round(store, c, &tqk_clock_system, &st);
	if (err != TQK_OK)
		fprintf(stderr, "# first round: %s: %s\n", tqk_err_code(err), tqk_client_detail(c));
	tqk_client_free(c);
	return err == TQK_OK && st.applications > 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	tqk_store_free(store);
	int rc = 0;
	if (srv.pid > 0 && county_stop(&srv) != 0) {
		fprintf(stderr, "# county: %s\n", srv.why);
		rc = -1;
	}
	fixture_rmdir(dir);
	return rc;
}

/* ---- requests ---- */

typedef struct req {
	const char *method;
	const char *path_query;
	const char *body;           /* NULL: none */
	size_t body_len;
	const char *kiosk;          /* NULL: no X-TQK-* headers at all */
	const uint8_t *key;
	int64_t time;               /* 0: the server's time now */
	char nonce[TQK_SIGN_NONCE_HEX];     /* "": a fresh one */
	char signature[TQK_SIGN_HEX];       /* "": computed from the above */
	const char *sign_method;    /* sign this method instead (NULL: method) */
	const char *sign_path;      /* sign this path instead (NULL: path_query) */
	const char *sign_body;      /* sign this body instead (NULL: body) */
} req;

typedef struct reply {
	long status;
	char error[64];             /* the reply's "error", if any */
	json_t *json;               /* the parsed body, or NULL */
} reply;

struct buf {
	char *p;
	size_t n;
};

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	char *p = realloc(b->p, b->n + size * n + 1);
	if (p == NULL)
		return 0;
	memcpy(p + b->n, data, size * n);
	b->p = p;
	b->n += size * n;
	b->p[b->n] = '\0';
	return size * n;
}

/* GET /v1/time: the server's clock. */
static int64_t server_now(void)
{
	char url[128];
	county_url(srv.port, url, sizeof url);
	strcat(url, "/v1/time");
	CURL *h = curl_easy_init();
	struct buf b = {0};
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
	assert_int_equal(curl_easy_perform(h), CURLE_OK);
	curl_easy_cleanup(h);
	json_t *j = json_loads(b.p != NULL ? b.p : "", 0, NULL);
	free(b.p);
	assert_non_null(j);
	assert_true(json_is_integer(json_object_get(j, "now")));
	int64_t now = json_integer_value(json_object_get(j, "now"));
	json_decref(j);
	return now;
}

/* Sends q (signing it as the scheme says, unless q says otherwise). */
static reply send_req(req *q)
{
	char url[1200];
	county_url(srv.port, url, sizeof url);
	strncat(url, q->path_query, sizeof url - strlen(url) - 1);
	/* A body over the cap asks first (Expect: 100-continue), as HTTP has a
	 * client do: the server's 413 then arrives before the body is sent,
	 * instead of racing a connection the server closes mid-upload. */
	struct curl_slist *h = curl_slist_append(NULL, q->body_len > TQK_API_BODY_MAX
	                                               ? "Expect: 100-continue" : "Expect:");
	h = curl_slist_append(h, "Content-Type: application/json");
	if (q->kiosk != NULL) {
		if (q->time == 0)
			q->time = server_now();
		if (q->nonce[0] == '\0')
			tqk_sign_nonce(q->nonce);
		if (q->signature[0] == '\0') {
			const char *sb = q->sign_body != NULL ? q->sign_body : q->body;
			size_t sl = sb == NULL ? 0 : q->sign_body != NULL ? strlen(sb) : q->body_len;
			assert_int_equal(tqk_sign(q->key, q->sign_method != NULL ? q->sign_method : q->method,
			                          q->sign_path != NULL ? q->sign_path : q->path_query,
			                          q->time, q->nonce, sb, sl, q->signature), TQK_OK);
		}
		char line[200];
		snprintf(line, sizeof line, "%s: %s", TQK_HDR_KIOSK, q->kiosk);
		h = curl_slist_append(h, line);
		snprintf(line, sizeof line, "%s: %lld", TQK_HDR_TIME, (long long)q->time);
		h = curl_slist_append(h, line);
		snprintf(line, sizeof line, "%s: %s", TQK_HDR_NONCE, q->nonce);
		h = curl_slist_append(h, line);
		snprintf(line, sizeof line, "%s: %s", TQK_HDR_SIGNATURE, q->signature);
		h = curl_slist_append(h, line);
	}
	CURL *c = curl_easy_init();
	struct buf b = {0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	if (strcmp(q->method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body_len);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body != NULL ? q->body : "");
	}
	CURLcode rc = curl_easy_perform(c);
	reply r = {0};
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	if (rc != CURLE_OK) {
		/* a server that refuses a huge body may close before reading it all */
		fprintf(stderr, "# %s %s: %s (status %ld)\n", q->method, q->path_query,
		        curl_easy_strerror(rc), r.status);
	}
	if (b.p != NULL) {
		r.json = json_loads(b.p, 0, NULL);
		const char *e = json_string_value(json_object_get(r.json, "error"));
		if (e != NULL)
			snprintf(r.error, sizeof r.error, "%s", e);
	}
	free(b.p);
	return r;
}

static void reply_free(reply *r)
{
	json_decref(r->json);
	r->json = NULL;
}

/* The reply must be status with error code err; then it is freed. */
static void expect(reply r, long status, const char *err)
{
	if (r.status != status || strcmp(r.error, err) != 0)
		fail_msg("got %ld \"%s\", expected %ld \"%s\"", r.status, r.error, status, err);
	reply_free(&r);
}

/* ---- records ---- */

/* A new confirmation committed at the kiosk: {"records": [payload]} in
 * *body (malloc'd), the uuid in uuid. */
static char *new_batch(char uuid[TQK_UUID_CAP])
{
	char reg[TQK_CODE_CAP];
	assert_int_equal(county_kiosk_submitted(store, reg), 0);
	tqk_confirmation c;
	fixture_confirmation(reg, &c);
	c.at = time(NULL);
	c.time_source = TQK_TIME_ANCHORED;
	assert_int_equal(tqk_store_confirm(store, &c), TQK_OK);
	memcpy(uuid, c.uuid, TQK_UUID_CAP);
	tqk_outbox_item item;
	assert_int_equal(tqk_store_outbox_get(store, c.uuid, &item), TQK_OK);
	char *body = NULL;
	assert_true(asprintf(&body, "{\"records\":[%s]}", item.payload) > 0);
	tqk_outbox_item_clear(&item);
	return body;
}

/* The batch with member name of its record set to value. */
static char *edited_batch(const char *body, const char *name, const char *value)
{
	json_t *j = json_loads(body, 0, NULL);
	assert_non_null(j);
	json_t *rec = json_array_get(json_object_get(j, "records"), 0);
	assert_non_null(rec);
	json_object_set_new(rec, name, json_string(value));
	char *out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return out;
}

static long stored(void)
{
	long n = county_stat(&srv, "confirmations");
	if (n < 0)
		fail_msg("%s", srv.why);
	return n;
}

/* POST /v1/confirmations of body, signed by K01 (fresh nonce, server time). */
static req upload(const char *body)
{
	return (req){.method = "POST", .path_query = "/v1/confirmations", .body = body,
	             .body_len = strlen(body), .kiosk = "K01", .key = key};
}

/* Sends body properly signed and checks the server now stores it. */
static void accepted(const char *body, const char *uuid, long before)
{
	req q = upload(body);
	reply r = send_req(&q);
	assert_int_equal(r.status, 200);
	json_t *res = json_array_get(json_object_get(r.json, "results"), 0);
	assert_string_equal(json_string_value(json_object_get(res, "uuid")), uuid);
	assert_string_equal(json_string_value(json_object_get(res, "status")), "stored");
	reply_free(&r);
	assert_int_equal(stored(), before + 1);
}

/* ---- the tests ---- */

static void unsigned_request_is_refused(void **state)
{
	(void)state;
	char uuid[TQK_UUID_CAP];
	char *body = new_batch(uuid);
	long before = stored();
	req q = upload(body);
	q.kiosk = NULL;
	expect(send_req(&q), 401, "auth.missing");
	req g = {.method = "GET", .path_query = "/v1/applications?since=&limit=10"};
	expect(send_req(&g), 401, "auth.missing");
	/* a malformed header is as good as none */
	q = upload(body);
	snprintf(q.signature, sizeof q.signature, "xyz");
	expect(send_req(&q), 401, "auth.missing");
	assert_int_equal(stored(), before);
	accepted(body, uuid, before);
	free(body);
}

static void bad_signature_is_refused(void **state)
{
	(void)state;
	char uuid[TQK_UUID_CAP];
	char *body = new_batch(uuid);
	long before = stored();

	/* one digit flipped */
	req q = upload(body);
	q.time = server_now();
	tqk_sign_nonce(q.nonce);
	assert_int_equal(tqk_sign(key, "POST", "/v1/confirmations", q.time, q.nonce, body,
	                          strlen(body), q.signature), TQK_OK);
	q.signature[10] = q.signature[10] == '0' ? '1' : '0';
	expect(send_req(&q), 401, "auth.signature");

	/* signed with another kiosk's key */
	q = upload(body);
	q.key = key_k02;
	expect(send_req(&q), 401, "auth.signature");

	/* the body changed after signing: another remark */
	char *other = edited_batch(body, "remark", "改过的");
	q = upload(other);
	q.sign_body = body;
	expect(send_req(&q), 401, "auth.signature");
	free(other);

	/* the query changed after signing */
	req g = {.method = "GET", .path_query = "/v1/applications?since=&limit=1000", .kiosk = "K01",
	         .key = key, .sign_path = "/v1/applications?since=&limit=10"};
	expect(send_req(&g), 401, "auth.signature");
	/* ... and the method or the path */
	q = upload(body);
	q.sign_method = "GET";
	expect(send_req(&q), 401, "auth.signature");
	q = upload(body);
	q.sign_path = "/v1/applications";
	expect(send_req(&q), 401, "auth.signature");

	assert_int_equal(stored(), before);
	accepted(body, uuid, before);
	free(body);
}

static void unknown_kiosk_is_refused(void **state)
{
	(void)state;
	char uuid[TQK_UUID_CAP];
	char *body = new_batch(uuid);
	long before = stored();
	req q = upload(body);
	q.kiosk = "K99";
	expect(send_req(&q), 401, "auth.kiosk");
	assert_int_equal(stored(), before);
	accepted(body, uuid, before);
	free(body);
}

static void replayed_nonce_is_refused(void **state)
{
	(void)state;
	char uuid[TQK_UUID_CAP];
	char *body = new_batch(uuid);
	long before = stored();
	req q = upload(body);
	reply r = send_req(&q);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	assert_int_equal(stored(), before + 1);

	/* the very same bytes again */
	req again = q;
	expect(send_req(&again), 401, "auth.replay");
	/* the same nonce, signed afresh at a later time */
	req later = upload(body);
	memcpy(later.nonce, q.nonce, sizeof later.nonce);
	later.time = q.time + 2;
	expect(send_req(&later), 401, "auth.replay");
	/* and on a GET */
	req g = {.method = "GET", .path_query = "/v1/plan", .kiosk = "K01", .key = key};
	r = send_req(&g);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	req g2 = g;
	expect(send_req(&g2), 401, "auth.replay");

	assert_int_equal(stored(), before + 1);
	free(body);
}

static void stale_timestamp_is_refused(void **state)
{
	(void)state;
	char uuid[TQK_UUID_CAP];
	char *body = new_batch(uuid);
	long before = stored();
	int64_t now = server_now();
	req q = upload(body);
	q.time = now - TQK_SIGN_WINDOW - 1;
	expect(send_req(&q), 401, "auth.stale");
	q = upload(body);
	q.time = now + TQK_SIGN_WINDOW + 1;
	expect(send_req(&q), 401, "auth.stale");
	q = upload(body);
	q.time = now - 86400;
	expect(send_req(&q), 401, "auth.stale");
	assert_int_equal(stored(), before);

	/* inside the window, a little early: accepted */
	q = upload(body);
	q.time = server_now() - TQK_SIGN_WINDOW + 20;
	reply r = send_req(&q);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	assert_int_equal(stored(), before + 1);
	free(body);
}

static void other_sites_data_is_refused(void **state)
{
	(void)state;
	char uuid[TQK_UUID_CAP];
	char *body = new_batch(uuid);
	long before = stored();

	/* K01 (site S01) sends a record of site S02 */
	char *s02 = edited_batch(body, "site", "S02");
	req q = upload(s02);
	expect(send_req(&q), 403, "auth.site");
	/* ... or one made by another kiosk of its site */
	char *k02 = edited_batch(body, "kiosk", "K02");
	q = upload(k02);
	expect(send_req(&q), 403, "auth.site");
	/* S02's kiosk sends S01's record */
	q = upload(body);
	q.kiosk = "K21";
	q.key = key_k21;
	expect(send_req(&q), 403, "auth.site");
	/* one bad record among good ones: the whole batch is refused */
	char uuid2[TQK_UUID_CAP];
	char *good = new_batch(uuid2);
	json_t *j = json_loads(good, 0, NULL), *bad = json_loads(s02, 0, NULL);
	json_array_append(json_object_get(j, "records"),
	                  json_array_get(json_object_get(bad, "records"), 0));
	char *mixed = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	json_decref(bad);
	q = upload(mixed);
	expect(send_req(&q), 403, "auth.site");
	assert_int_equal(stored(), before);

	/* and a kiosk reads only its own site's applications */
	req g = {.method = "GET", .path_query = "/v1/applications?since=&limit=1000", .kiosk = "K21",
	         .key = key_k21};
	reply r = send_req(&g);
	assert_int_equal(r.status, 200);
	json_t *apps = json_object_get(r.json, "applications");
	assert_true(json_array_size(apps) > 0);
	size_t i;
	json_t *a;
	json_array_foreach(apps, i, a)
		assert_string_equal(json_string_value(json_object_get(a, "site")), "S02");
	reply_free(&r);

	accepted(body, uuid, before);
	accepted(good, uuid2, before + 1);
	free(s02);
	free(k02);
	free(mixed);
	free(good);
	free(body);
}

static void oversized_body_is_refused(void **state)
{
	(void)state;
	char uuid[TQK_UUID_CAP];
	char *body = new_batch(uuid);
	long before = stored();

	/* more than 4 MiB: the batch with a long "padding" member */
	size_t len = strlen(body);
	size_t big_len = TQK_API_BODY_MAX + 1;
	char *big = malloc(big_len + 1);
	assert_non_null(big);
	static const char pad[] = ",\"padding\":\"";
	memcpy(big, body, len - 1);             /* without the closing brace */
	size_t at = len - 1;
	memcpy(big + at, pad, sizeof pad - 1);
	at += sizeof pad - 1;
	memset(big + at, 'x', big_len - at - 2);
	big[big_len - 2] = '"';
	big[big_len - 1] = '}';
	big[big_len] = '\0';
	req q = upload(big);
	q.body_len = big_len;
	expect(send_req(&q), 413, "general.too_long");
	free(big);

	/* more records than a batch may hold (501 copies: small enough in bytes) */
	json_t *j = json_loads(body, 0, NULL);
	json_t *list = json_object_get(j, "records"), *rec = json_array_get(list, 0);
	for (int i = 1; i <= TQK_API_BATCH_MAX; i++)
		json_array_append(list, rec);
	char *many = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	assert_true(strlen(many) < TQK_API_BODY_MAX);
	q = upload(many);
	expect(send_req(&q), 413, "general.too_long");
	free(many);

	assert_int_equal(stored(), before);
	accepted(body, uuid, before);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unsigned_request_is_refused),
		cmocka_unit_test(bad_signature_is_refused),
		cmocka_unit_test(unknown_kiosk_is_refused),
		cmocka_unit_test(replayed_nonce_is_refused),
		cmocka_unit_test(stale_timestamp_is_refused),
		cmocka_unit_test(other_sites_data_is_refused),
		cmocka_unit_test(oversized_body_is_refused),
	};
	return cmocka_run_group_tests_name("sync_auth", tests, group_setup, group_teardown);
}
