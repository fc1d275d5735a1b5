/*
 * test_sync_client.c - the county API's kiosk side (sync/client.h).
 *
 * Most tests run the client over a fake in-memory transport whose perform
 * checks the request (method, URL, the four signature headers and that the
 * signature verifies, the body) and hands back a canned reply: every call's
 * happy path, and each failure - a status other than 200 with and without
 * the server's error document, auth.* codes mapped back, malformed JSON,
 * wrong types, missing members, pages that overrun or do not move, upload
 * results missing, extra, out of order or for another uuid, a reply over the
 * cap, transport failures passing through, and details that never hold
 * personal data. The last tests run the libcurl transport (sync/curl.c)
 * against a tiny HTTP server on a loopback socket in a thread: a signed GET
 * and POST over one reused connection, a closed port, a server that never
 * answers (1 s timeout), replies over the cap, a reply cut short leaving
 * nothing behind, a redirect not followed and TLS spoken to a plain server.
 */
#include "test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/uuid.h"
#include "proto/api.h"
#include "proto/json.h"
#include "proto/sign.h"
#include "support/fixture.h"
#include "sync/client.h"
#include "sync/config.h"

#define NOW FIXTURE_NOW
#define SECRET "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define BASE "https://county.example.cn:8443"
#define MAX_HEADERS 16

/* ---- the fake transport ---- */

struct fake {
	/* what the next request must be */
	const char *method;
	const char *path_query;     /* as signed: after the host */
	bool sign;
	const char *body;           /* NULL: no check (and none for a GET) */
	/* what to answer */
	tqk_err err;
	const char *detail;
	long status;
	const char *reply;          /* NULL with err == TQK_OK: "" */
	size_t reply_len;           /* 0: strlen(reply) */
	/* what happened */
	int calls;
	bool freed;
	char *sent_body;            /* a copy of the last body */
	size_t sent_len;
};

struct env {
	tqk_sync_config cfg;
	struct fake f;
	tqk_client *c;
	char base[TQK_URL_CAP];
};

/* The value of header name among the request's, or NULL. */
static const char *header(const tqk_http_request *req, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; req->headers[i] != NULL; i++) {
		assert_true(i < MAX_HEADERS);
		if (strncmp(req->headers[i], name, n) == 0 && req->headers[i][n] == ':')
			return req->headers[i] + n + 2;
	}
	return NULL;
}

static struct env *current;    /* for the URL prefix check in perform */

static tqk_err fake_perform(void *ctx, const tqk_http_request *req, tqk_http_reply *reply,
                            char *detail, size_t cap)
{
	struct fake *f = ctx;
	f->calls++;
	assert_non_null(f->method);
	assert_string_equal(req->method, f->method);
	/* The URL is the origin of the configured url, then what is signed. */
	const char *host = strstr(current->base, "://") + 3;
	int origin = (int)(host - current->base + (ptrdiff_t)strcspn(host, "/"));
	char url[2048];
	snprintf(url, sizeof url, "%.*s%s", origin, current->base, f->path_query);
	assert_string_equal(req->url, url);
	assert_string_equal(header(req, "Accept"), "application/json");

	free(f->sent_body);
	f->sent_body = NULL;
	f->sent_len = req->body_len;
	if (req->body != NULL) {
		f->sent_body = malloc(req->body_len + 1);
		assert_non_null(f->sent_body);
		memcpy(f->sent_body, req->body, req->body_len);
		f->sent_body[req->body_len] = '\0';
		assert_string_equal(header(req, "Content-Type"), "application/json");
	}
	if (strcmp(req->method, "GET") == 0)
		assert_true(req->body == NULL && req->body_len == 0);
	if (f->body != NULL) {
		assert_int_equal(req->body_len, strlen(f->body));
		assert_memory_equal(req->body, f->body, req->body_len);
	}

	const char *kiosk = header(req, TQK_HDR_KIOSK), *when = header(req, TQK_HDR_TIME);
	const char *nonce = header(req, TQK_HDR_NONCE), *sig = header(req, TQK_HDR_SIGNATURE);
	if (f->sign) {
		assert_non_null(kiosk);
		assert_non_null(when);
		assert_non_null(nonce);
		assert_non_null(sig);
		assert_string_equal(kiosk, current->cfg.kiosk);
		char want_time[32];
		snprintf(want_time, sizeof want_time, "%lld", (long long)NOW);
		assert_string_equal(when, want_time);
		assert_int_equal(strlen(nonce), 32);
		assert_true(tqk_sign_verify(current->cfg.secret, req->method, f->path_query, NOW, nonce,
		                            req->body, req->body_len, sig));
		/* The signature covers the body: a changed byte would not verify. */
		if (req->body_len > 0) {
			f->sent_body[0] ^= 1;
			assert_false(tqk_sign_verify(current->cfg.secret, req->method, f->path_query, NOW,
			                             nonce, f->sent_body, req->body_len, sig));
			f->sent_body[0] ^= 1;
		}
	} else {
		assert_null(kiosk);
		assert_null(when);
		assert_null(nonce);
		assert_null(sig);
	}

	reply->status = 0;
	reply->body = NULL;
	reply->body_len = 0;
	if (f->err != TQK_OK) {
		snprintf(detail, cap, "%s", f->detail != NULL ? f->detail : "fake failure");
		return f->err;
	}
	const char *text = f->reply != NULL ? f->reply : "";
	size_t len = f->reply_len > 0 ? f->reply_len : strlen(text);
	reply->body = malloc(len + 1);
	assert_non_null(reply->body);
	memcpy(reply->body, text, len);
	reply->body[len] = '\0';
	reply->body_len = len;
	reply->status = f->status;
	return TQK_OK;
}

static void fake_free(void *ctx)
{
	struct fake *f = ctx;
	f->freed = true;
}

/* A client for base over the env's fake. */
static void open_client(struct env *e, const char *base)
{
	tqk_sync_config_defaults(&e->cfg);
	snprintf(e->cfg.url, sizeof e->cfg.url, "%s", base);
	snprintf(e->base, sizeof e->base, "%s", base);
	snprintf(e->cfg.kiosk, sizeof e->cfg.kiosk, "K01");
	assert_true(tqk_hex_decode(SECRET, e->cfg.secret, sizeof e->cfg.secret));
	tqk_http_transport t = {fake_perform, fake_free, &e->f};
	assert_int_equal(tqk_client_new(&e->cfg, t, &e->c), TQK_OK);
	current = e;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	open_client(e, BASE);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	tqk_client_free(e->c);
	assert_true(e->f.freed);        /* the client owned the transport */
	free(e->f.sent_body);
	free(e);
	current = NULL;
	return 0;
}

/* Sets what the next request must be and what it gets. */
static void expect(struct env *e, const char *method, const char *path_query, bool sign,
                   long status, const char *reply)
{
	e->f.method = method;
	e->f.path_query = path_query;
	e->f.sign = sign;
	e->f.body = NULL;
	e->f.err = TQK_OK;
	e->f.detail = NULL;
	e->f.status = status;
	e->f.reply = reply;
	e->f.reply_len = 0;
}

/* A dump of obj (stolen) that the test frees. */
static char *dump(json_t *obj)
{
	assert_non_null(obj);
	char *s = tqk_json_dump(obj);
	json_decref(obj);
	assert_non_null(s);
	return s;
}

/* Asserts that the client's detail contains want. */
static void detail_has(struct env *e, const char *want)
{
	const char *d = tqk_client_detail(e->c);
	if (strstr(d, want) == NULL)
		fail_msg("detail \"%s\" does not contain \"%s\"", d, want);
}

/* ---- test data ---- */

static void uuid_of(unsigned i, char out[TQK_UUID_CAP])
{
	uint8_t r[16];
	for (size_t k = 0; k < sizeof r; k++)
		r[k] = (uint8_t)(i * 37 + k * 11 + 1);
	tqk_uuid_format(r, out);
}

/* Confirmation i's stored payload (malloc'd), its uuid into uuid. */
static char *payload(unsigned i, char uuid[TQK_UUID_CAP])
{
	tqk_application a;
	fixture_app(i, FIXTURE_SITE, &a);
	tqk_confirmation c;
	fixture_confirmation(a.reg_no, &c);
	uuid_of(i, c.uuid);
	memcpy(uuid, c.uuid, TQK_UUID_CAP);
	return dump(tqk_json_confirmation_encode(&c));
}

static tqk_plan sample_plan(void)
{
	tqk_plan p;
	memset(&p, 0, sizeof p);
	p.rev = 3;
	snprintf(p.site, sizeof p.site, "S01");
	snprintf(p.site_name, sizeof p.site_name, "星沙确认点");
	snprintf(p.county, sizeof p.county, "CSX");
	p.year = 2026;
	p.site_no = 1;
	p.width = 3;
	p.apply_start = DATE(2026, 4, 1);
	p.apply_end = DATE(2026, 4, 30);
	p.confirm_start = DATE(2026, 5, 11);
	p.confirm_end = DATE(2026, 5, 29);
	p.opens = 8 * 3600 + 30 * 60;
	p.closes = 17 * 3600 + 30 * 60;
	p.calendar = (char *)"tqk-calendar 1\nyear 2026\n";
	return p;
}

/* A page of applications first .. first + n - 1 (malloc'd text). */
static char *app_page(const char *cursor, bool more, unsigned first, size_t n)
{
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		tqk_application a;
		fixture_app(first + (unsigned)i, FIXTURE_SITE, &a);
		json_array_append_new(items, tqk_json_application_encode(&a));
	}
	return dump(tqk_api_page_encode(cursor, more, "applications", items));
}

/* ---- GET /v1/time, /v1/plan, /v1/clerks ---- */

static void time_is_read_without_a_signature(void **state)
{
	struct env *e = *state;
	char *reply = dump(tqk_api_time_encode(NOW + 5));
	expect(e, "GET", "/v1/time", false, 200, reply);
	tqk_time t = 0;
	assert_int_equal(tqk_client_time(e->c, &t), TQK_OK);
	assert_int_equal(t, NOW + 5);
	assert_int_equal(e->f.calls, 1);
	assert_string_equal(tqk_client_detail(e->c), "");
	free(reply);
}

static void plan_is_read_and_decoded(void **state)
{
	struct env *e = *state;
	tqk_plan want = sample_plan();
	char *reply = dump(tqk_api_plan_encode(&want));
	expect(e, "GET", "/v1/plan", true, 200, reply);
	tqk_plan p;
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_OK);
	assert_int_equal(p.rev, 3);
	assert_string_equal(p.site, "S01");
	assert_string_equal(p.site_name, "星沙确认点");
	assert_int_equal(p.confirm_end.day, 29);
	assert_int_equal(p.opens, want.opens);
	assert_string_equal(p.calendar, want.calendar);
	tqk_plan_clear(&p);
	free(reply);
}

static void clerks_are_read_and_decoded(void **state)
{
	struct env *e = *state;
	const char *reply = "{\"clerks\": ["
		"{\"id\": \"C007\", \"name\": \"李四\", \"pin_hash\": \"$argon2id$v=19$x\", \"active\": true},"
		"{\"id\": \"C008\", \"name\": \"王五\", \"pin_hash\": \"$argon2id$v=19$y\", \"active\": false}]}";
	expect(e, "GET", "/v1/clerks", true, 200, reply);
	tqk_clerk *clerks = NULL;
	size_t n = 0;
	assert_int_equal(tqk_client_clerks(e->c, NOW, &clerks, &n), TQK_OK);
	assert_int_equal(n, 2);
	assert_string_equal(clerks[0].id, "C007");
	assert_string_equal(clerks[1].name, "王五");
	assert_true(clerks[0].active);
	assert_false(clerks[1].active);
	free(clerks);

	expect(e, "GET", "/v1/clerks", true, 200, "{\"clerks\": []}");
	assert_int_equal(tqk_client_clerks(e->c, NOW, &clerks, &n), TQK_OK);
	assert_int_equal(n, 0);
	assert_non_null(clerks);
	free(clerks);
}

/* ---- pages ---- */

static void applications_are_read_page_by_page(void **state)
{
	struct env *e = *state;
	char *reply = app_page("42", true, 0, 3);
	expect(e, "GET", "/v1/applications?since=&limit=3", true, 200, reply);
	tqk_application *apps = NULL;
	size_t n = 0;
	char next[TQK_JSON_CURSOR_MAX + 1];
	bool more = false;
	assert_int_equal(tqk_client_applications(e->c, NOW, "", 3, &apps, &n, next, &more), TQK_OK);
	assert_int_equal(n, 3);
	assert_string_equal(next, "42");
	assert_true(more);
	for (unsigned i = 0; i < 3; i++) {
		tqk_application a;
		fixture_app(i, FIXTURE_SITE, &a);
		assert_string_equal(apps[i].reg_no, a.reg_no);
		assert_string_equal(apps[i].name, a.name);
		assert_string_equal(apps[i].id_number, a.id_number);
	}
	free(apps);
	free(reply);

	/* The last page, empty, after a cursor that needs encoding. */
	reply = app_page("z", false, 0, 0);
	expect(e, "GET", "/v1/applications?since=a%20b%2F%C3%A7%26x%3D1~-._&limit=1000", true, 200,
	       reply);
	assert_int_equal(tqk_client_applications(e->c, NOW, "a b/ç&x=1~-._", 1000, &apps, &n, next,
	                                         &more), TQK_OK);
	assert_int_equal(n, 0);
	assert_non_null(apps);
	assert_string_equal(next, "z");
	assert_false(more);
	free(apps);
	free(reply);
}

static void updates_are_read_page_by_page(void **state)
{
	struct env *e = *state;
	tqk_update u[2];
	memset(u, 0, sizeof u);
	u[0].seq = 7;
	snprintf(u[0].reg_no, sizeof u[0].reg_no, "20260000000001");
	u[0].state = TQK_ST_PASSED;
	u[0].at = NOW - 100;
	u[1].seq = 8;
	snprintf(u[1].reg_no, sizeof u[1].reg_no, "20260000000002");
	u[1].state = TQK_ST_NONE;
	snprintf(u[1].message, sizeof u[1].message, "请补交学历证书复印件");
	u[1].at = NOW - 50;
	json_t *items = json_array();
	json_array_append_new(items, tqk_api_update_encode(&u[0]));
	json_array_append_new(items, tqk_api_update_encode(&u[1]));
	char *reply = dump(tqk_api_page_encode("8", false, "updates", items));
	expect(e, "GET", "/v1/updates?since=6&limit=100", true, 200, reply);
	tqk_update *got = NULL;
	size_t n = 0;
	char next[TQK_JSON_CURSOR_MAX + 1];
	bool more = true;
	assert_int_equal(tqk_client_updates(e->c, NOW, "6", 100, &got, &n, next, &more), TQK_OK);
	assert_int_equal(n, 2);
	assert_int_equal(got[0].seq, 7);
	assert_int_equal(got[0].state, TQK_ST_PASSED);
	assert_int_equal(got[1].state, TQK_ST_NONE);
	assert_string_equal(got[1].message, "请补交学历证书复印件");
	assert_string_equal(next, "8");
	assert_false(more);
	free(got);
	free(reply);
}

static void pages_that_overrun_or_stand_still_are_refused(void **state)
{
	struct env *e = *state;
	tqk_application *apps = (tqk_application *)1;
	size_t n = 99;
	char next[TQK_JSON_CURSOR_MAX + 1] = "untouched";
	bool more = false;

	char *reply = app_page("9", false, 0, 3);
	expect(e, "GET", "/v1/applications?since=5&limit=2", true, 200, reply);
	assert_int_equal(tqk_client_applications(e->c, NOW, "5", 2, &apps, &n, next, &more),
	                 TQK_E_NET_REPLY);
	detail_has(e, "3 items, more than the 2 asked for");
	free(reply);

	reply = app_page("5", true, 0, 1);
	expect(e, "GET", "/v1/applications?since=5&limit=2", true, 200, reply);
	assert_int_equal(tqk_client_applications(e->c, NOW, "5", 2, &apps, &n, next, &more),
	                 TQK_E_NET_REPLY);
	detail_has(e, "cursor did not move");
	free(reply);

	/* Nothing was written on failure. */
	assert_ptr_equal(apps, (tqk_application *)1);
	assert_int_equal(n, 99);
	assert_string_equal(next, "untouched");
}

static void page_arguments_are_checked_before_sending(void **state)
{
	struct env *e = *state;
	tqk_update *u;
	size_t n;
	char next[TQK_JSON_CURSOR_MAX + 1];
	bool more;
	char long_cursor[TQK_JSON_CURSOR_MAX + 2];
	memset(long_cursor, '7', sizeof long_cursor - 1);
	long_cursor[sizeof long_cursor - 1] = '\0';
	assert_int_equal(tqk_client_updates(e->c, NOW, "", 0, &u, &n, next, &more), TQK_E_ARG);
	assert_int_equal(tqk_client_updates(e->c, NOW, "", TQK_API_PAGE_MAX + 1, &u, &n, next, &more),
	                 TQK_E_ARG);
	assert_int_equal(tqk_client_updates(e->c, NOW, long_cursor, 10, &u, &n, next, &more),
	                 TQK_E_ARG);
	assert_int_equal(e->f.calls, 0);

	/* A cursor of exactly the cap is fine, and NULL reads as "". */
	long_cursor[TQK_JSON_CURSOR_MAX] = '\0';
	char pq[256];
	snprintf(pq, sizeof pq, "/v1/updates?since=%s&limit=10", long_cursor);
	expect(e, "GET", pq, true, 200, "{\"cursor\": \"8\", \"more\": false, \"updates\": []}");
	assert_int_equal(tqk_client_updates(e->c, NOW, long_cursor, 10, &u, &n, next, &more), TQK_OK);
	free(u);
	expect(e, "GET", "/v1/updates?since=&limit=10", true, 200,
	       "{\"cursor\": \"8\", \"more\": false, \"updates\": []}");
	assert_int_equal(tqk_client_updates(e->c, NOW, NULL, 10, &u, &n, next, &more), TQK_OK);
	free(u);
}

/* ---- uploads ---- */

static void uploads_answer_every_record_in_order(void **state)
{
	struct env *e = *state;
	char uuids[3][TQK_UUID_CAP];
	char *p[3];
	for (unsigned i = 0; i < 3; i++)
		p[i] = payload(i, uuids[i]);
	/* The payloads go as they are, spliced into one document. */
	size_t len = 64 + strlen(p[0]) + strlen(p[1]) + strlen(p[2]);
	char *want = malloc(len);
	assert_non_null(want);
	snprintf(want, len, "{\"records\":[%s,%s,%s]}", p[0], p[1], p[2]);

	tqk_upload_result r[3];
	memset(r, 0, sizeof r);
	memcpy(r[0].uuid, uuids[0], TQK_UUID_CAP);
	r[0].status = TQK_UPLOAD_STORED;
	memcpy(r[1].uuid, uuids[1], TQK_UUID_CAP);
	r[1].status = TQK_UPLOAD_DUPLICATE;
	memcpy(r[2].uuid, uuids[2], TQK_UUID_CAP);
	r[2].status = TQK_UPLOAD_REJECTED;
	snprintf(r[2].error, sizeof r[2].error, "store.site");
	snprintf(r[2].message, sizeof r[2].message, "a record for another site");
	char *reply = dump(tqk_api_results_encode(r, 3));

	expect(e, "POST", "/v1/confirmations", true, 200, reply);
	e->f.body = want;
	tqk_upload_result got[3];
	const char *const payloads[] = {p[0], p[1], p[2]};
	assert_int_equal(tqk_client_upload(e->c, NOW, payloads, 3, got), TQK_OK);
	assert_int_equal(e->f.calls, 1);
	for (unsigned i = 0; i < 3; i++) {
		assert_string_equal(got[i].uuid, uuids[i]);
		assert_int_equal(got[i].status, r[i].status);
	}
	assert_string_equal(got[2].error, "store.site");
	assert_string_equal(got[2].message, "a record for another site");

	/* Nothing to upload: no request. */
	assert_int_equal(tqk_client_upload(e->c, NOW, payloads, 0, got), TQK_OK);
	assert_int_equal(e->f.calls, 1);
	free(reply);
	free(want);
	for (unsigned i = 0; i < 3; i++)
		free(p[i]);
}

static void a_broken_payload_is_rejected_here_and_not_sent(void **state)
{
	struct env *e = *state;
	char uuids[2][TQK_UUID_CAP], other[TQK_UUID_CAP];
	char *p0 = payload(0, uuids[0]), *p1 = payload(1, uuids[1]);
	uuid_of(99, other);
	char no_uuid[] = "{\"uuid\": \"not-a-uuid\"}";
	const char *const payloads[] = {"{\"records\": oops", p0, "[1, 2]", no_uuid, p1, ""};
	size_t len = 64 + strlen(p0) + strlen(p1);
	char *want = malloc(len);
	assert_non_null(want);
	snprintf(want, len, "{\"records\":[%s,%s]}", p0, p1);

	tqk_upload_result r[2];
	memset(r, 0, sizeof r);
	memcpy(r[0].uuid, uuids[0], TQK_UUID_CAP);
	r[0].status = TQK_UPLOAD_STORED;
	memcpy(r[1].uuid, uuids[1], TQK_UUID_CAP);
	r[1].status = TQK_UPLOAD_CONFLICT;
	snprintf(r[1].error, sizeof r[1].error, "store.exists");
	snprintf(r[1].message, sizeof r[1].message, "other content under this uuid");
	char *reply = dump(tqk_api_results_encode(r, 2));
	expect(e, "POST", "/v1/confirmations", true, 200, reply);
	e->f.body = want;

	tqk_upload_result got[6];
	assert_int_equal(tqk_client_upload(e->c, NOW, payloads, 6, got), TQK_OK);
	assert_int_equal(got[0].status, TQK_UPLOAD_REJECTED);
	assert_string_equal(got[0].error, "json.syntax");
	assert_string_equal(got[0].uuid, "");
	assert_int_equal(got[1].status, TQK_UPLOAD_STORED);
	assert_string_equal(got[1].uuid, uuids[0]);
	assert_int_equal(got[2].status, TQK_UPLOAD_REJECTED);
	assert_string_equal(got[2].error, "json.type");
	assert_int_equal(got[3].status, TQK_UPLOAD_REJECTED);
	assert_string_equal(got[3].error, "record.uuid");
	assert_int_equal(got[4].status, TQK_UPLOAD_CONFLICT);
	assert_string_equal(got[4].error, "store.exists");
	assert_int_equal(got[5].status, TQK_UPLOAD_REJECTED);
	assert_true(got[0].message[0] != '\0');

	/* Only broken ones: nothing is sent at all. */
	const char *const broken[] = {"nope", "{}"};
	assert_int_equal(tqk_client_upload(e->c, NOW, broken, 2, got), TQK_OK);
	assert_int_equal(e->f.calls, 1);
	assert_int_equal(got[0].status, TQK_UPLOAD_REJECTED);
	assert_int_equal(got[1].status, TQK_UPLOAD_REJECTED);
	free(reply);
	free(want);
	free(p0);
	free(p1);
}

/* Sends payloads 0..n-1 and expects the reply to be refused. */
static void upload_refused(struct env *e, size_t n, const char *reply, const char *why)
{
	char uuids[4][TQK_UUID_CAP];
	char *p[4];
	assert_true(n <= 4);
	for (unsigned i = 0; i < n; i++)
		p[i] = payload(i, uuids[i]);
	expect(e, "POST", "/v1/confirmations", true, 200, reply);
	tqk_upload_result got[4];
	memset(got, 0x5a, sizeof got);
	assert_int_equal(tqk_client_upload(e->c, NOW, (const char *const *)p, n, got),
	                 TQK_E_NET_REPLY);
	detail_has(e, why);
	assert_int_equal((unsigned char)got[0].uuid[0], 0x5a);  /* untouched */
	for (unsigned i = 0; i < n; i++)
		free(p[i]);
}

/* The results text for uuids of payloads idx[0..n-1], all stored. */
static char *results_for(const unsigned *idx, size_t n)
{
	tqk_upload_result r[8];
	memset(r, 0, sizeof r);
	for (size_t i = 0; i < n; i++) {
		uuid_of(idx[i], r[i].uuid);
		r[i].status = TQK_UPLOAD_STORED;
	}
	return dump(tqk_api_results_encode(r, n));
}

static void upload_replies_must_answer_each_record_once_in_order(void **state)
{
	struct env *e = *state;
	static const unsigned fewer[] = {0, 1}, more[] = {0, 1, 2, 2}, swapped[] = {1, 0, 2},
		other[] = {0, 7, 2}, twice[] = {0, 0, 2};
	char *r;
	upload_refused(e, 3, r = results_for(fewer, 2), "2 results for 3 records");
	free(r);
	upload_refused(e, 3, r = results_for(more, 4), "results: general.too_long");
	free(r);
	upload_refused(e, 3, r = results_for(swapped, 3), "result 0 is not for record 0");
	free(r);
	upload_refused(e, 3, r = results_for(other, 3), "result 1 is not for record 1");
	free(r);
	upload_refused(e, 3, r = results_for(twice, 3), "result 1 is not for record 1");
	free(r);
	upload_refused(e, 1, "{\"results\": {}}", "results: json.type");
	upload_refused(e, 1, "{\"result\": []}", "results: json.type");
	upload_refused(e, 1, "[]", "json.type");
	char uuid[TQK_UUID_CAP], text[256];
	uuid_of(0, uuid);
	snprintf(text, sizeof text, "{\"results\": [{\"uuid\": \"%s\", \"status\": \"kept\"}]}", uuid);
	upload_refused(e, 1, text, "status: record.field_value");
	snprintf(text, sizeof text, "{\"results\": [{\"uuid\": \"%s\", \"status\": 1}]}", uuid);
	upload_refused(e, 1, text, "status: json.type");
	snprintf(text, sizeof text, "{\"results\": [{\"uuid\": \"%s\", \"status\": \"rejected\"}]}",
	         uuid);
	upload_refused(e, 1, text, "error: json.type");
	upload_refused(e, 1, "{\"results\": [", "reply is not JSON");
}

static void upload_arguments_are_checked_before_sending(void **state)
{
	struct env *e = *state;
	static tqk_upload_result got[TQK_API_BATCH_MAX + 1];
	static const char *payloads[TQK_API_BATCH_MAX + 1];
	for (size_t i = 0; i <= TQK_API_BATCH_MAX; i++)
		payloads[i] = "{}";
	assert_int_equal(tqk_client_upload(e->c, NOW, payloads, TQK_API_BATCH_MAX + 1, got),
	                 TQK_E_ARG);
	assert_int_equal(e->f.calls, 0);

	/* A batch whose body would pass TQK_API_BODY_MAX is refused whole. */
	char uuid[TQK_UUID_CAP];
	uuid_of(1, uuid);
	size_t big = TQK_API_BODY_MAX / 2;
	char *p = malloc(big + 1);
	assert_non_null(p);
	int head = snprintf(p, big + 1, "{\"uuid\":\"%s\",\"pad\":\"", uuid);
	memset(p + head, 'x', big - (size_t)head - 2);
	memcpy(p + big - 2, "\"}", 3);
	const char *const two[] = {p, p, p};
	assert_int_equal(tqk_client_upload(e->c, NOW, two, 3, got), TQK_E_TOO_LONG);
	detail_has(e, "send fewer");
	assert_int_equal(e->f.calls, 0);
	free(p);

	/* One record that could never fit a request alone is rejected here
	 * (retrying it would never help); one that just fits is sent. */
	size_t alone = TQK_API_BODY_MAX - strlen("{\"records\":[]}");
	p = malloc(alone + 2);
	assert_non_null(p);
	for (size_t len = alone + 1; len >= alone; len--) {
		head = snprintf(p, len + 1, "{\"uuid\":\"%s\",\"pad\":\"", uuid);
		memset(p + head, 'x', len - (size_t)head - 2);
		memcpy(p + len - 2, "\"}", 3);
		assert_int_equal(strlen(p), len);
		const char *const one[] = {p};
		if (len > alone) {
			assert_int_equal(tqk_client_upload(e->c, NOW, one, 1, got), TQK_OK);
			assert_int_equal(got[0].status, TQK_UPLOAD_REJECTED);
			assert_string_equal(got[0].error, "general.too_long");
			assert_string_equal(got[0].uuid, "");
			assert_int_equal(e->f.calls, 0);
		} else {
			tqk_upload_result r = {.status = TQK_UPLOAD_STORED};
			memcpy(r.uuid, uuid, TQK_UUID_CAP);
			char *reply = dump(tqk_api_results_encode(&r, 1));
			expect(e, "POST", "/v1/confirmations", true, 200, reply);
			assert_int_equal(tqk_client_upload(e->c, NOW, one, 1, got), TQK_OK);
			assert_int_equal(e->f.calls, 1);
			assert_int_equal(e->f.sent_len, TQK_API_BODY_MAX);
			assert_int_equal(got[0].status, TQK_UPLOAD_STORED);
			free(reply);
		}
	}
	free(p);
}

/* ---- failures common to every call ---- */

static void statuses_other_than_200_carry_the_servers_error(void **state)
{
	struct env *e = *state;
	tqk_plan p;
	expect(e, "GET", "/v1/plan", true, 503,
	       "{\"error\": \"store.busy\", \"message\": \"the database is busy\"}");
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_E_NET_STATUS);
	detail_has(e, "GET /v1/plan: HTTP 503 store.busy: the database is busy");

	expect(e, "GET", "/v1/plan", true, 404,
	       "{\"error\": \"plan.none\", \"message\": \"no plan has been set for this site yet\"}");
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_E_NET_STATUS);
	detail_has(e, "HTTP 404 plan.none");

	expect(e, "GET", "/v1/plan", true, 502, "<html><body>Bad Gateway</body></html>");
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_E_NET_STATUS);
	detail_has(e, "HTTP 502 (no error document)");

	/* A 200 is the only success, even for another 2xx. */
	expect(e, "GET", "/v1/plan", true, 204, "");
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_E_NET_STATUS);
	expect(e, "GET", "/v1/plan", true, 302, "");
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_E_NET_STATUS);

	/* An error code that is not a plain code is not repeated. */
	expect(e, "GET", "/v1/plan", true, 500, "{\"error\": \"X <script>\", \"message\": \"m\"}");
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_E_NET_STATUS);
	detail_has(e, "(no error document)");
}

static void auth_failures_come_back_as_their_own_errors(void **state)
{
	struct env *e = *state;
	static const struct {
		long status;
		const char *code;
		tqk_err want;
	} cases[] = {
		{401, "auth.stale", TQK_E_AUTH_STALE},
		{401, "auth.signature", TQK_E_AUTH_SIGNATURE},
		{401, "auth.missing", TQK_E_AUTH_MISSING},
		{401, "auth.kiosk", TQK_E_AUTH_KIOSK},
		{401, "auth.replay", TQK_E_AUTH_REPLAY},
		{403, "auth.site", TQK_E_AUTH_SITE},
		{401, "auth.nonsense", TQK_E_NET_STATUS},
		{400, "auth.stale", TQK_E_NET_STATUS},
		{401, "store.busy", TQK_E_NET_STATUS},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char body[128];
		snprintf(body, sizeof body, "{\"error\": \"%s\", \"message\": \"refused\"}", cases[i].code);
		expect(e, "GET", "/v1/clerks", true, cases[i].status, body);
		tqk_clerk *c;
		size_t n;
		assert_int_equal(tqk_client_clerks(e->c, NOW, &c, &n), cases[i].want);
		detail_has(e, cases[i].code);
	}
}

static void replies_that_are_not_what_the_api_promises(void **state)
{
	struct env *e = *state;
	tqk_time t;
	tqk_plan p;
	tqk_clerk *c;
	size_t n;
	tqk_application *apps;
	char next[TQK_JSON_CURSOR_MAX + 1];
	bool more;

	expect(e, "GET", "/v1/time", false, 200, "{\"now\": 17792");
	assert_int_equal(tqk_client_time(e->c, &t), TQK_E_NET_REPLY);
	detail_has(e, "GET /v1/time: reply is not JSON (line 1");
	expect(e, "GET", "/v1/time", false, 200, "");
	assert_int_equal(tqk_client_time(e->c, &t), TQK_E_NET_REPLY);
	expect(e, "GET", "/v1/time", false, 200, "{\"now\": \"1779240665\"}");
	assert_int_equal(tqk_client_time(e->c, &t), TQK_E_NET_REPLY);
	detail_has(e, "reply: now: json.type");
	expect(e, "GET", "/v1/time", false, 200, "{\"then\": 1}");
	assert_int_equal(tqk_client_time(e->c, &t), TQK_E_NET_REPLY);
	detail_has(e, "now");
	expect(e, "GET", "/v1/time", false, 200, "{\"now\": 1, \"now\": 2}");
	assert_int_equal(tqk_client_time(e->c, &t), TQK_E_NET_REPLY);

	tqk_plan bad = sample_plan();
	bad.closes = bad.opens;
	char *text = dump(tqk_api_plan_encode(&bad));
	expect(e, "GET", "/v1/plan", true, 200, text);
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_E_NET_REPLY);
	detail_has(e, "closes");
	free(text);

	expect(e, "GET", "/v1/clerks", true, 200, "{\"clerk\": []}");
	assert_int_equal(tqk_client_clerks(e->c, NOW, &c, &n), TQK_E_NET_REPLY);
	detail_has(e, "reply: clerks: json.type");
	expect(e, "GET", "/v1/clerks", true, 200, "[]");
	assert_int_equal(tqk_client_clerks(e->c, NOW, &c, &n), TQK_E_NET_REPLY);
	expect(e, "GET", "/v1/clerks", true, 200,
	       "{\"clerks\": [{\"id\": \"C1\", \"name\": \"a\", \"pin_hash\": \"h\", \"active\": true},"
	       " {\"id\": \"C2\", \"name\": \"b\", \"pin_hash\": \"h\", \"active\": 1}]}");
	assert_int_equal(tqk_client_clerks(e->c, NOW, &c, &n), TQK_E_NET_REPLY);
	detail_has(e, "reply item 1: active: json.type");

	expect(e, "GET", "/v1/applications?since=&limit=10", true, 200,
	       "{\"more\": false, \"applications\": []}");
	assert_int_equal(tqk_client_applications(e->c, NOW, "", 10, &apps, &n, next, &more),
	                 TQK_E_NET_REPLY);
	detail_has(e, "reply: cursor: json.type");
	expect(e, "GET", "/v1/applications?since=&limit=10", true, 200,
	       "{\"cursor\": \"1\", \"more\": \"no\", \"applications\": []}");
	assert_int_equal(tqk_client_applications(e->c, NOW, "", 10, &apps, &n, next, &more),
	                 TQK_E_NET_REPLY);
	detail_has(e, "more");
}

static void a_bad_application_is_named_without_its_data(void **state)
{
	struct env *e = *state;
	tqk_application a[2];
	fixture_app(0, FIXTURE_SITE, &a[0]);
	fixture_app(1, FIXTURE_SITE, &a[1]);
	/* A wrong check character in the second one's ID number. */
	char *id = a[1].id_number;
	size_t last = strlen(id) - 1;
	id[last] = id[last] == '0' ? '1' : '0';
	json_t *items = json_array();
	json_array_append_new(items, tqk_json_application_encode(&a[0]));
	json_array_append_new(items, tqk_json_application_encode(&a[1]));
	char *reply = dump(tqk_api_page_encode("2", false, "applications", items));
	expect(e, "GET", "/v1/applications?since=&limit=10", true, 200, reply);
	tqk_application *apps;
	size_t n;
	char next[TQK_JSON_CURSOR_MAX + 1];
	bool more;
	assert_int_equal(tqk_client_applications(e->c, NOW, "", 10, &apps, &n, next, &more),
	                 TQK_E_NET_REPLY);
	detail_has(e, "reply item 1: id_number: id.");
	const char *d = tqk_client_detail(e->c);
	assert_null(strstr(d, a[1].id_number));
	assert_null(strstr(d, a[1].name));
	assert_null(strstr(d, a[1].reg_no));
	free(reply);

	/* The server's message is shown as ASCII only, and capped. */
	char body[1024];
	snprintf(body, sizeof body, "{\"error\": \"store.busy\", \"message\": \"%s %s\"}", a[1].name,
	         "and then a very long text that goes on and on and on and on and on and on and on "
	         "and on and on and on and on and on and on and on and on and on and on and on and on"
	         " and on and on and on and on and on");
	expect(e, "GET", "/v1/plan", true, 500, body);
	tqk_plan p;
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_E_NET_STATUS);
	d = tqk_client_detail(e->c);
	assert_null(strstr(d, a[1].name));
	for (size_t i = 0; d[i] != '\0'; i++)
		assert_true(d[i] >= 0x20 && d[i] < 0x7f);
	assert_true(strlen(d) < 300);
}

static void transport_failures_pass_through(void **state)
{
	struct env *e = *state;
	static const tqk_err errs[] = {TQK_E_NET, TQK_E_NET_TIMEOUT, TQK_E_NET_TLS, TQK_E_NOMEM};
	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		expect(e, "GET", "/v1/time", false, 0, NULL);
		e->f.err = errs[i];
		e->f.detail = "Failed to connect to county.example.cn port 8443";
		tqk_time t = 123;
		assert_int_equal(tqk_client_time(e->c, &t), errs[i]);
		assert_int_equal(t, 123);
		detail_has(e, "GET /v1/time: Failed to connect to county.example.cn port 8443");
	}
	/* A reply over the cap is a reply the API does not promise. */
	expect(e, "GET", "/v1/plan", true, 0, NULL);
	e->f.err = TQK_E_TOO_LONG;
	tqk_plan p;
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_E_NET_REPLY);
	detail_has(e, "reply longer than 4194304 bytes");
}

static void oversized_reply_from_a_transport_that_does_not_cap_it(void **state)
{
	struct env *e = *state;
	size_t len = TQK_API_BODY_MAX + 1;
	char *big = malloc(len + 1);
	assert_non_null(big);
	memset(big, ' ', len);
	big[0] = '{';
	big[len - 1] = '}';
	big[len] = '\0';
	expect(e, "GET", "/v1/plan", true, 200, big);
	tqk_plan p;
	assert_int_equal(tqk_client_plan(e->c, NOW, &p), TQK_E_NET_REPLY);
	free(big);
}

static void a_path_prefix_is_part_of_what_is_signed(void **state)
{
	struct env *e = *state;
	tqk_client_free(e->c);
	assert_true(e->f.freed);
	e->f.freed = false;
	open_client(e, "https://gw.example.cn/county/tqk");
	expect(e, "GET", "/county/tqk/v1/clerks", true, 200, "{\"clerks\": []}");
	tqk_clerk *c;
	size_t n;
	assert_int_equal(tqk_client_clerks(e->c, NOW, &c, &n), TQK_OK);
	free(c);
}

/* ---- libcurl against a tiny loopback server ---- */

enum tiny_mode {
	TINY_ANSWER,        /* the response to every whole request */
	TINY_SILENT,        /* reads the request, never answers */
	TINY_BLURT          /* the response as soon as any bytes arrive, then closes */
};

struct tiny {
	int lfd;
	int port;
	pthread_t thread;
	enum tiny_mode mode;
	char *response;             /* sent for every request */
	size_t response_len;
	pthread_mutex_t lock;       /* guards the three below */
	int accepts, requests;
	char request[16384];        /* the last request, head and body */
};

/* A snapshot of what the server saw, taken under its lock. */
struct tiny_seen {
	int accepts, requests;
	char request[16384];
};

static void tiny_seen(struct tiny *t, struct tiny_seen *out)
{
	pthread_mutex_lock(&t->lock);
	out->accepts = t->accepts;
	out->requests = t->requests;
	memcpy(out->request, t->request, sizeof out->request);
	pthread_mutex_unlock(&t->lock);
}

/* Reads one request (head and Content-Length body) into buf (cap bytes,
 * NUL-terminated); false when the peer closed or it does not fit. */
static bool tiny_read_request(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	for (;;) {
		if (n >= cap - 1)
			return false;
		ssize_t r = recv(fd, buf + n, cap - 1 - n, 0);
		if (r <= 0)
			return false;
		n += (size_t)r;
		buf[n] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		if (end == NULL)
			continue;
		size_t head = (size_t)(end - buf) + 4, body = 0;
		const char *cl = strstr(buf, "\r\nContent-Length:");
		if (cl != NULL && cl < end)
			body = strtoul(cl + 17, NULL, 10);
		if (n >= head + body)
			return true;
	}
}

static void *tiny_serve(void *arg)
{
	struct tiny *t = arg;
	static char buf[16384];     /* one server at a time */
	for (;;) {
		int fd = accept(t->lfd, NULL, NULL);
		if (fd < 0)
			return NULL;    /* the listening socket was shut down */
		pthread_mutex_lock(&t->lock);
		t->accepts++;
		pthread_mutex_unlock(&t->lock);
		if (t->mode == TINY_BLURT) {
			if (recv(fd, buf, sizeof buf, 0) > 0)
				(void)!send(fd, t->response, t->response_len, MSG_NOSIGNAL);
			close(fd);
			continue;
		}
		while (tiny_read_request(fd, buf, sizeof buf)) {
			pthread_mutex_lock(&t->lock);
			t->requests++;
			memcpy(t->request, buf, sizeof t->request);
			pthread_mutex_unlock(&t->lock);
			if (t->mode == TINY_SILENT) {
				while (recv(fd, buf, sizeof buf, 0) > 0)
					;       /* until the client gives up */
				break;
			}
			size_t off = 0;
			while (off < t->response_len) {
				ssize_t w = send(fd, t->response + off, t->response_len - off, MSG_NOSIGNAL);
				if (w <= 0)
					break;
				off += (size_t)w;
			}
			if (strstr(t->response, "Connection: close") != NULL)
				break;
		}
		close(fd);
	}
}

static void tiny_start(struct tiny *t, enum tiny_mode mode, const char *response, size_t len)
{
	memset(t, 0, sizeof *t);
	t->mode = mode;
	t->response = malloc(len + 1);
	assert_non_null(t->response);
	memcpy(t->response, response, len);
	t->response[len] = '\0';
	t->response_len = len;
	assert_int_equal(pthread_mutex_init(&t->lock, NULL), 0);
	t->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(t->lfd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(t->lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(t->lfd, 4), 0);
	socklen_t al = sizeof a;
	assert_int_equal(getsockname(t->lfd, (struct sockaddr *)&a, &al), 0);
	t->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&t->thread, NULL, tiny_serve, t), 0);
}

static void tiny_stop(struct tiny *t)
{
	shutdown(t->lfd, SHUT_RDWR);
	pthread_join(t->thread, NULL);
	close(t->lfd);
	pthread_mutex_destroy(&t->lock);
	free(t->response);
}

/* An HTTP/1.1 200 response with body (kept alive). */
static char *http_ok(const char *body)
{
	char *r = malloc(strlen(body) + 128);
	assert_non_null(r);
	snprintf(r, strlen(body) + 128, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	         "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
	return r;
}

/* A client over libcurl to url with 1 s timeouts. */
static tqk_client *curl_client(const char *url)
{
	tqk_sync_config cfg;
	tqk_sync_config_defaults(&cfg);
	snprintf(cfg.url, sizeof cfg.url, "%s", url);
	snprintf(cfg.kiosk, sizeof cfg.kiosk, "K01");
	assert_true(tqk_hex_decode(SECRET, cfg.secret, sizeof cfg.secret));
	cfg.connect_timeout = 1;
	cfg.timeout = 1;
	tqk_http_transport t;
	assert_int_equal(tqk_http_curl(&cfg, &t), TQK_OK);
	tqk_client *c;
	assert_int_equal(tqk_client_new(&cfg, t, &c), TQK_OK);
	return c;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void curl_talks_to_a_loopback_server_over_one_connection(void **state)
{
	(void)state;
	struct tiny t;
	char *resp = http_ok("{\"clerks\": []}");
	tiny_start(&t, TINY_ANSWER, resp, strlen(resp));
	free(resp);
	char url[64];
	/* A trailing slash (a config not read through config.c) is dropped. */
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", t.port);
	tqk_client *c = curl_client(url);

	tqk_clerk *clerks;
	size_t n;
	assert_int_equal(tqk_client_clerks(c, NOW, &clerks, &n), TQK_OK);
	assert_int_equal(n, 0);
	free(clerks);
	static struct tiny_seen seen;
	tiny_seen(&t, &seen);
	assert_non_null(strstr(seen.request, "GET /v1/clerks HTTP/1.1\r\n"));
	assert_non_null(strstr(seen.request, "\r\nX-TQK-Kiosk: K01\r\n"));
	assert_non_null(strstr(seen.request, "\r\nX-TQK-Signature: "));
	assert_non_null(strstr(seen.request, "\r\nAccept: application/json\r\n"));

	/* A POST on the same connection: its body arrives whole, and the
	 * reply (not a results document) is refused. */
	char uuid[TQK_UUID_CAP];
	char *p = payload(3, uuid);
	const char *const payloads[] = {p};
	tqk_upload_result r[1];
	assert_int_equal(tqk_client_upload(c, NOW, payloads, 1, r), TQK_E_NET_REPLY);
	tiny_seen(&t, &seen);
	assert_non_null(strstr(seen.request, "POST /v1/confirmations HTTP/1.1\r\n"));
	assert_non_null(strstr(seen.request, "Content-Type: application/json\r\n"));
	assert_non_null(strstr(seen.request, p));
	assert_null(strstr(seen.request, "Expect:"));
	assert_int_equal(seen.requests, 2);
	assert_int_equal(seen.accepts, 1);  /* the connection was reused */
	free(p);
	tqk_client_free(c);
	tiny_stop(&t);
}

static void curl_reports_a_closed_port(void **state)
{
	(void)state;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	socklen_t al = sizeof a;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	close(fd);      /* nothing listens there now */
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(a.sin_port));
	tqk_client *c = curl_client(url);
	tqk_time now;
	assert_int_equal(tqk_client_time(c, &now), TQK_E_NET);
	assert_non_null(strstr(tqk_client_detail(c), "GET /v1/time: "));
	assert_non_null(strstr(tqk_client_detail(c), "(curl 7)"));
	tqk_client_free(c);
}

static void curl_gives_up_on_a_server_that_never_answers(void **state)
{
	(void)state;
	struct tiny t;
	tiny_start(&t, TINY_SILENT, "", 0);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", t.port);
	tqk_client *c = curl_client(url);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tqk_time now;
	assert_int_equal(tqk_client_time(c, &now), TQK_E_NET_TIMEOUT);
	double took = seconds_since(&t0);
	assert_true(took >= 0.9 && took < 3.0);
	assert_non_null(strstr(tqk_client_detail(c), "(curl 28)"));
	tqk_client_free(c);
	tiny_stop(&t);
}

static void curl_refuses_replies_over_the_cap(void **state)
{
	(void)state;
	/* Announced by Content-Length: refused before the body comes. */
	char head[256];
	snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %u\r\n\r\n",
	         TQK_API_BODY_MAX + 1);
	struct tiny t;
	tiny_start(&t, TINY_ANSWER, head, strlen(head));
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", t.port);
	tqk_sync_config cfg;
	tqk_sync_config_defaults(&cfg);
	snprintf(cfg.url, sizeof cfg.url, "%s", url);
	cfg.timeout = 5;
	tqk_http_transport tr;
	assert_int_equal(tqk_http_curl(&cfg, &tr), TQK_OK);
	char full[128], detail[256];
	snprintf(full, sizeof full, "%s/v1/time", url);
	const char *none[] = {NULL};
	tqk_http_request req = {"GET", full, none, NULL, 0};
	tqk_http_reply rep;
	assert_int_equal(tr.perform(tr.ctx, &req, &rep, detail, sizeof detail), TQK_E_TOO_LONG);
	assert_null(rep.body);
	tr.free(tr.ctx);
	tiny_stop(&t);

	/* Not announced (the connection's end ends it): cut at the cap. */
	size_t len = TQK_API_BODY_MAX + 4096;
	static const char close_head[] = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
	char *resp = malloc(sizeof close_head + len);
	assert_non_null(resp);
	memcpy(resp, close_head, sizeof close_head - 1);
	memset(resp + sizeof close_head - 1, 'x', len);
	tiny_start(&t, TINY_ANSWER, resp, sizeof close_head - 1 + len);
	free(resp);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", t.port);
	tqk_client *c = curl_client(url);
	tqk_plan p;
	assert_int_equal(tqk_client_plan(c, NOW, &p), TQK_E_NET_REPLY);
	assert_non_null(strstr(tqk_client_detail(c), "reply longer than"));
	tqk_client_free(c);
	tiny_stop(&t);

	/* Exactly at the cap is fine for the transport. */
	len = TQK_API_BODY_MAX;
	resp = malloc(sizeof close_head + len);
	assert_non_null(resp);
	memcpy(resp, close_head, sizeof close_head - 1);
	memset(resp + sizeof close_head - 1, 'x', len);
	tiny_start(&t, TINY_ANSWER, resp, sizeof close_head - 1 + len);
	free(resp);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", t.port);
	snprintf(cfg.url, sizeof cfg.url, "%s", url);
	snprintf(full, sizeof full, "%s/v1/time", url);
	assert_int_equal(tqk_http_curl(&cfg, &tr), TQK_OK);
	assert_int_equal(tr.perform(tr.ctx, &req, &rep, detail, sizeof detail), TQK_OK);
	assert_int_equal(rep.status, 200);
	assert_int_equal(rep.body_len, TQK_API_BODY_MAX);
	assert_int_equal(rep.body[rep.body_len], '\0');
	free(rep.body);
	tr.free(tr.ctx);
	tiny_stop(&t);
}

static void curl_keeps_nothing_of_a_broken_reply(void **state)
{
	(void)state;
	/* A body cut short: the connection broke. */
	static const char cut[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n"
	                          "\r\n{\"stale\": \"data\"";
	static const char empty[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	struct tiny t;
	tiny_start(&t, TINY_ANSWER, cut, sizeof cut - 1);
	tqk_sync_config cfg;
	tqk_sync_config_defaults(&cfg);
	cfg.timeout = 5;
	tqk_http_transport tr;
	assert_int_equal(tqk_http_curl(&cfg, &tr), TQK_OK);
	char url[128], detail[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/time", t.port);
	const char *none[] = {NULL};
	tqk_http_request req = {"GET", url, none, NULL, 0};
	tqk_http_reply rep;
	assert_int_equal(tr.perform(tr.ctx, &req, &rep, detail, sizeof detail), TQK_E_NET);
	assert_null(rep.body);
	assert_non_null(strstr(detail, "(curl 18)"));
	tiny_stop(&t);

	/* The next reply, empty, on the same transport is empty. */
	tiny_start(&t, TINY_ANSWER, empty, sizeof empty - 1);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/time", t.port);
	assert_int_equal(tr.perform(tr.ctx, &req, &rep, detail, sizeof detail), TQK_OK);
	assert_int_equal(rep.status, 200);
	assert_int_equal(rep.body_len, 0);
	assert_string_equal(rep.body, "");
	free(rep.body);

	/* Methods other than GET and POST, and headers of more than one
	 * line, are refused before anything is sent. */
	req.method = "PUT";
	assert_int_equal(tr.perform(tr.ctx, &req, &rep, detail, sizeof detail), TQK_E_ARG);
	req.method = "GET";
	const char *split[] = {"X-A: 1\r\nX-B: 2", NULL};
	req.headers = split;
	assert_int_equal(tr.perform(tr.ctx, &req, &rep, detail, sizeof detail), TQK_E_ARG);
	struct tiny_seen seen;
	tiny_seen(&t, &seen);
	assert_int_equal(seen.requests, 1);
	tr.free(tr.ctx);
	tiny_stop(&t);
}

static void curl_does_not_follow_redirects(void **state)
{
	(void)state;
	static const char resp[] = "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/v1/time\r\n"
	                           "Content-Length: 0\r\n\r\n";
	struct tiny t;
	tiny_start(&t, TINY_ANSWER, resp, sizeof resp - 1);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", t.port);
	tqk_client *c = curl_client(url);
	tqk_time now;
	assert_int_equal(tqk_client_time(c, &now), TQK_E_NET_STATUS);
	assert_non_null(strstr(tqk_client_detail(c), "HTTP 302"));
	struct tiny_seen seen;
	tiny_seen(&t, &seen);
	assert_int_equal(seen.requests, 1);
	tqk_client_free(c);
	tiny_stop(&t);
}

static void curl_reports_tls_failures(void **state)
{
	(void)state;
	/* https:// to a server that answers in plain HTTP: the handshake fails. */
	char *resp = http_ok("{\"now\": 1}");
	struct tiny t;
	tiny_start(&t, TINY_BLURT, resp, strlen(resp));
	free(resp);
	char url[64];
	snprintf(url, sizeof url, "https://127.0.0.1:%d", t.port);
	tqk_client *c = curl_client(url);
	tqk_time now;
	assert_int_equal(tqk_client_time(c, &now), TQK_E_NET_TLS);
	tqk_client_free(c);
	tiny_stop(&t);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(time_is_read_without_a_signature),
		T(plan_is_read_and_decoded),
		T(clerks_are_read_and_decoded),
		T(applications_are_read_page_by_page),
		T(updates_are_read_page_by_page),
		T(pages_that_overrun_or_stand_still_are_refused),
		T(page_arguments_are_checked_before_sending),
		T(uploads_answer_every_record_in_order),
		T(a_broken_payload_is_rejected_here_and_not_sent),
		T(upload_replies_must_answer_each_record_once_in_order),
		T(upload_arguments_are_checked_before_sending),
		T(statuses_other_than_200_carry_the_servers_error),
		T(auth_failures_come_back_as_their_own_errors),
		T(replies_that_are_not_what_the_api_promises),
		T(a_bad_application_is_named_without_its_data),
		T(transport_failures_pass_through),
		T(oversized_reply_from_a_transport_that_does_not_cap_it),
		T(a_path_prefix_is_part_of_what_is_signed),
		cmocka_unit_test(curl_talks_to_a_loopback_server_over_one_connection),
		cmocka_unit_test(curl_reports_a_closed_port),
		cmocka_unit_test(curl_gives_up_on_a_server_that_never_answers),
		cmocka_unit_test(curl_refuses_replies_over_the_cap),
		cmocka_unit_test(curl_keeps_nothing_of_a_broken_reply),
		cmocka_unit_test(curl_does_not_follow_redirects),
		cmocka_unit_test(curl_reports_tls_failures),
	};
#undef T
	return cmocka_run_group_tests_name("sync_client", tests, NULL, NULL);
}
