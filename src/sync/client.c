/*
 * client.c - the county API, kiosk side (client.h): builds each request's
 * URL, signs it (proto/sign.h), sends it over the transport, and reads the
 * reply with the strict decoders of proto/api.h and proto/json.h.
 *
 * One path through every call (`exchange`): the transport's failures pass
 * through (a reply over TQK_API_BODY_MAX is TQK_E_NET_REPLY); a status
 * other than 200 is TQK_E_NET_STATUS with the server's {"error",
 * "message"} in the detail, except that a 401 or 403 naming one of the
 * auth.* codes comes back as that TQK_E_AUTH_* value (so that the worker
 * can tell a clock that is wrong, auth.stale, from a key that is); a body
 * that is not JSON, or JSON that is not what the API promises, is
 * TQK_E_NET_REPLY naming the member at fault. The detail names the call and
 * the member, never a value from a body, so it never holds personal data.
 *
 * Uploads send the stored payloads verbatim, spliced into {"records": [...]}
 * after each has been parsed on its own: a payload that is not a JSON object
 * with a valid uuid is not sent and gets a local "rejected" result (it would
 * otherwise make the whole batch unreadable to the server and block the
 * queue behind it).
 */
#include "sync/client.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/uuid.h"

#define DETAIL_CAP 512
#define PQ_CAP 1024             /* path and query of one request */
#define FULL_URL_CAP (TQK_URL_CAP + PQ_CAP)
#define HEADER_CAP 128          /* one "Name: value" header line */
#define ERR_MESSAGE_SHOWN 200   /* bytes of the server's message in the detail */

struct tqk_client {
	tqk_sync_config cfg;
	tqk_http_transport t;
	size_t origin_len;          /* "scheme://host[:port]" is cfg.url[0..origin_len) */
	char detail[DETAIL_CAP];
};

/* ---- details ---- */

/* Sets the client's detail; returns err so that failures read as one line. */
static tqk_err fail(tqk_client *c, tqk_err err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static tqk_err fail(tqk_client *c, tqk_err err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof c->detail, fmt, ap);
	va_end(ap);
	return err;
}

/* "domain.code" of err into buf (64 bytes is plenty for the table's names). */
static void err_name(tqk_err err, char buf[64])
{
	snprintf(buf, 64, "%s.%s", tqk_err_domain(err), tqk_err_code(err));
}

/* ---- the client ---- */

/* Returns TQK_OK with *out set; TQK_E_CONFIG for a url without "://",
 * TQK_E_NOMEM. The transport is freed on failure too: it was handed over. */
tqk_err tqk_client_new(const tqk_sync_config *cfg, tqk_http_transport t, tqk_client **out)
{
	assert(cfg != NULL && out != NULL && t.perform != NULL);
	*out = NULL;
	bool terminated = strnlen(cfg->url, sizeof cfg->url) < sizeof cfg->url;
	const char *sep = terminated ? strstr(cfg->url, "://") : NULL;
	tqk_client *c = sep != NULL ? calloc(1, sizeof *c) : NULL;
	if (c == NULL) {
		if (t.free != NULL)
			t.free(t.ctx);
		return sep == NULL ? TQK_E_CONFIG : TQK_E_NOMEM;
	}
	c->cfg = *cfg;
	c->t = t;
	c->origin_len = (size_t)(sep + 3 - cfg->url) + strcspn(sep + 3, "/");
	/* config.c drops trailing slashes; a config made by hand may not. */
	size_t len = strlen(c->cfg.url);
	while (len > c->origin_len && c->cfg.url[len - 1] == '/')
		c->cfg.url[--len] = '\0';
	*out = c;
	return TQK_OK;
}

void tqk_client_free(tqk_client *c)
{
	if (c == NULL)
		return;
	if (c->t.free != NULL)
		c->t.free(c->t.ctx);
	sodium_memzero(c, sizeof *c);
	free(c);
}

const char *tqk_client_detail(const tqk_client *c)
{
	return c->detail;
}

/* ---- one exchange ---- */

/* A request as the calls describe it; path_query is after the url's own
 * path prefix, e.g. "/v1/plan". */
struct call {
	const char *name;           /* "GET /v1/plan", for the detail */
	const char *method;
	const char *path_query;
	bool sign;
	tqk_time now;
	const char *body;
	size_t body_len;
};

/* Copies the server's error code (only [a-z0-9_.], at most 63 bytes) and
 * message (printable ASCII, at most ERR_MESSAGE_SHOWN bytes, others as
 * '?') out of an error document; "" for what is not there. */
static void error_document(const json_t *doc, char code[64], char msg[ERR_MESSAGE_SHOWN + 1])
{
	code[0] = msg[0] = '\0';
	const char *s = json_string_value(json_object_get(doc, "error"));
	if (s != NULL) {
		size_t n = 0;
		while (s[n] != '\0' && n < 63 &&
		       ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
		        s[n] == '_' || s[n] == '.'))
			n++;
		if (s[n] == '\0') {
			memcpy(code, s, n);
			code[n] = '\0';
		}
	}
	const char *m = json_string_value(json_object_get(doc, "message"));
	if (m != NULL) {
		size_t n = 0;
		for (; m[n] != '\0' && n < ERR_MESSAGE_SHOWN; n++)
			msg[n] = m[n] >= 0x20 && m[n] < 0x7f ? m[n] : '?';
		msg[n] = '\0';
	}
}

/* The failure for a reply with a status other than 200. */
static tqk_err status_failure(tqk_client *c, const struct call *q, const tqk_http_reply *r)
{
	char code[64], msg[ERR_MESSAGE_SHOWN + 1];
	json_t *doc = NULL;
	code[0] = msg[0] = '\0';
	if (tqk_json_parse(r->body, r->body_len, &doc, NULL, 0) == TQK_OK) {
		error_document(doc, code, msg);
		json_decref(doc);
	}
	if (code[0] == '\0')
		return fail(c, TQK_E_NET_STATUS, "%s: HTTP %ld (no error document)", q->name,
		            r->status);
	tqk_err err = TQK_E_NET_STATUS;
	if (r->status == 401 || r->status == 403) {
		for (int e = TQK_E_AUTH_MISSING; e <= TQK_E_AUTH_SITE; e++) {
			char name[64];
			err_name((tqk_err)e, name);
			if (strcmp(name, code) == 0)
				err = (tqk_err)e;
		}
	}
	return fail(c, err, "%s: HTTP %ld %s%s%s", q->name, r->status, code, msg[0] ? ": " : "", msg);
}

/*
 * Sends q and parses a 200 reply into *root (a new reference). Returns the
 * transport's failure (a reply too long as TQK_E_NET_REPLY), the status
 * failure, TQK_E_NET_REPLY for a body that is not JSON, TQK_E_NOMEM, or
 * TQK_E_ARG when the request cannot be built; the detail says which.
 */
static tqk_err exchange(tqk_client *c, const struct call *q, json_t **root)
{
	const char *prefix = c->cfg.url + c->origin_len;
	char pq[PQ_CAP], url[FULL_URL_CAP];
	int n = snprintf(pq, sizeof pq, "%s%s", prefix, q->path_query);
	if (n < 0 || (size_t)n >= sizeof pq)
		return fail(c, TQK_E_ARG, "%s: the path is too long", q->name);
	n = snprintf(url, sizeof url, "%.*s%s", (int)c->origin_len, c->cfg.url, pq);
	if (n < 0 || (size_t)n >= sizeof url)
		return fail(c, TQK_E_ARG, "%s: the url is too long", q->name);

	char h[6][HEADER_CAP];
	const char *headers[7];
	size_t nh = 0;
	snprintf(h[nh], HEADER_CAP, "Accept: application/json");
	nh++;
	if (q->body != NULL) {
		snprintf(h[nh], HEADER_CAP, "Content-Type: application/json");
		nh++;
	}
	if (q->sign) {
		char nonce[TQK_SIGN_NONCE_HEX], sig[TQK_SIGN_HEX];
		tqk_sign_nonce(nonce);
		tqk_err err = tqk_sign(c->cfg.secret, q->method, pq, q->now, nonce, q->body,
		                       q->body_len, sig);
		if (err != TQK_OK)
			return fail(c, err, "%s: cannot sign the request", q->name);
		snprintf(h[nh++], HEADER_CAP, "%s: %s", TQK_HDR_KIOSK, c->cfg.kiosk);
		snprintf(h[nh++], HEADER_CAP, "%s: %lld", TQK_HDR_TIME, (long long)q->now);
		snprintf(h[nh++], HEADER_CAP, "%s: %s", TQK_HDR_NONCE, nonce);
		snprintf(h[nh++], HEADER_CAP, "%s: %s", TQK_HDR_SIGNATURE, sig);
	}
	for (size_t i = 0; i < nh; i++)
		headers[i] = h[i];
	headers[nh] = NULL;

	tqk_http_request req = {
		.method = q->method, .url = url, .headers = headers,
		.body = q->body, .body_len = q->body_len,
	};
	tqk_http_reply reply = {0, NULL, 0};
	char why[DETAIL_CAP - 64];
	why[0] = '\0';
	tqk_err err = c->t.perform(c->t.ctx, &req, &reply, why, sizeof why);
	if (err != TQK_OK) {
		free(reply.body);
		if (err == TQK_E_TOO_LONG)
			return fail(c, TQK_E_NET_REPLY, "%s: reply longer than %u bytes", q->name,
			            TQK_API_BODY_MAX);
		return fail(c, err, "%s: %s", q->name, why[0] ? why : tqk_strerror(err, TQK_LANG_EN));
	}
	if (reply.body == NULL || reply.body_len > TQK_API_BODY_MAX) {
		bool none = reply.body == NULL;
		free(reply.body);
		return fail(c, TQK_E_NET_REPLY, none ? "%s: the transport gave no body" :
		            "%s: reply longer than the cap", q->name);
	}
	if (reply.status != 200) {
		err = status_failure(c, q, &reply);
		free(reply.body);
		return err;
	}
	char jd[128];
	err = tqk_json_parse(reply.body, reply.body_len, root, jd, sizeof jd);
	free(reply.body);
	if (err == TQK_E_NOMEM)
		return fail(c, err, "%s: out of memory reading the reply", q->name);
	if (err != TQK_OK)
		return fail(c, TQK_E_NET_REPLY, "%s: reply is not JSON (%s)", q->name, jd);
	return TQK_OK;
}

/* The failure for a reply that parsed but is not what the API promises:
 * which member, and what was wrong with it. */
static tqk_err bad_reply(tqk_client *c, const char *name, const char *member, size_t index,
                         bool indexed, tqk_err why)
{
	char code[64];
	err_name(why, code);
	if (why == TQK_E_NOMEM)
		return fail(c, why, "%s: out of memory reading the reply", name);
	if (indexed)
		return fail(c, TQK_E_NET_REPLY, "%s: reply item %zu: %s: %s", name, index,
		            member != NULL ? member : "?", code);
	return fail(c, TQK_E_NET_REPLY, "%s: reply: %s: %s", name, member != NULL ? member : "?",
	            code);
}

/* ---- the calls ---- */

tqk_err tqk_client_time(tqk_client *c, tqk_time *server_now)
{
	static const struct call q = {"GET /v1/time", "GET", "/v1/time", false, 0, NULL, 0};
	json_t *root;
	tqk_err err = exchange(c, &q, &root);
	if (err != TQK_OK)
		return err;
	const char *bad = NULL;
	tqk_time t;
	err = tqk_api_time_decode(root, &t, &bad);
	json_decref(root);
	if (err != TQK_OK)
		return bad_reply(c, q.name, bad, 0, false, err);
	*server_now = t;
	c->detail[0] = '\0';
	return TQK_OK;
}

tqk_err tqk_client_plan(tqk_client *c, tqk_time now, tqk_plan *out)
{
	struct call q = {"GET /v1/plan", "GET", "/v1/plan", true, now, NULL, 0};
	json_t *root;
	tqk_err err = exchange(c, &q, &root);
	if (err != TQK_OK)
		return err;
	const char *bad = NULL;
	err = tqk_api_plan_decode(root, out, &bad);
	json_decref(root);
	if (err != TQK_OK)
		return bad_reply(c, q.name, bad, 0, false, err);
	c->detail[0] = '\0';
	return TQK_OK;
}

tqk_err tqk_client_clerks(tqk_client *c, tqk_time now, tqk_clerk **out, size_t *n)
{
	struct call q = {"GET /v1/clerks", "GET", "/v1/clerks", true, now, NULL, 0};
	json_t *root;
	tqk_err err = exchange(c, &q, &root);
	if (err != TQK_OK)
		return err;
	const json_t *list = json_object_get(root, "clerks");
	if (!json_is_object(root) || !json_is_array(list)) {
		json_decref(root);
		return bad_reply(c, q.name, "clerks", 0, false, TQK_E_JSON_TYPE);
	}
	size_t count = json_array_size(list);
	if (count > TQK_API_PAGE_MAX) {
		json_decref(root);
		return bad_reply(c, q.name, "clerks", 0, false, TQK_E_TOO_LONG);
	}
	tqk_clerk *clerks = calloc(count > 0 ? count : 1, sizeof *clerks);
	if (clerks == NULL) {
		json_decref(root);
		return fail(c, TQK_E_NOMEM, "%s: out of memory", q.name);
	}
	for (size_t i = 0; i < count; i++) {
		const char *bad = NULL;
		err = tqk_api_clerk_decode(json_array_get(list, i), &clerks[i], &bad);
		if (err != TQK_OK) {
			json_decref(root);
			sodium_memzero(clerks, count * sizeof *clerks);
			free(clerks);
			return bad_reply(c, q.name, bad, i, true, err);
		}
	}
	json_decref(root);
	*out = clerks;
	*n = count;
	c->detail[0] = '\0';
	return TQK_OK;
}

/* The cursor percent-encoded (all but A-Z a-z 0-9 - . _ ~) into out;
 * TQK_E_ARG when it is longer than TQK_JSON_CURSOR_MAX. */
static tqk_err encode_cursor(const char *cursor, char out[3 * TQK_JSON_CURSOR_MAX + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strnlen(cursor, TQK_JSON_CURSOR_MAX + 1), o = 0;
	if (n > TQK_JSON_CURSOR_MAX)
		return TQK_E_ARG;
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)cursor[i];
		if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
		    b == '-' || b == '.' || b == '_' || b == '~') {
			out[o++] = (char)b;
		} else {
			out[o++] = '%';
			out[o++] = hex[b >> 4];
			out[o++] = hex[b & 15];
		}
	}
	out[o] = '\0';
	return TQK_OK;
}

/* Decodes one item of a page into the i-th element of items; the
 * decoder's error, with *bad naming the member, on failure. */
typedef tqk_err (*item_decoder)(const json_t *obj, tqk_date today, void *items, size_t i,
                                const char **bad);

/* item_decoder for applications (json.h), bounded by today. */
static tqk_err decode_application(const json_t *obj, tqk_date today, void *items, size_t i,
                                  const char **bad)
{
	return tqk_json_application_decode(obj, today, &((tqk_application *)items)[i], bad);
}

/* item_decoder for updates (api.h); today is not needed. */
static tqk_err decode_update(const json_t *obj, tqk_date today, void *items, size_t i,
                             const char **bad)
{
	(void)today;
	return tqk_api_update_decode(obj, &((tqk_update *)items)[i], bad);
}

/*
 * GET path?since=CURSOR&limit=N and one page of items (each size bytes,
 * decoded by decode) into a new array *items. A page with more items than
 * asked for, or that says more follow without moving the cursor, is
 * TQK_E_NET_REPLY.
 */
static tqk_err get_page(tqk_client *c, const char *name, const char *path, const char *items_name,
                        tqk_time now, const char *cursor, size_t limit, size_t size,
                        item_decoder decode, void **items, size_t *n,
                        char next[TQK_JSON_CURSOR_MAX + 1], bool *more)
{
	char enc[3 * TQK_JSON_CURSOR_MAX + 1], pq[PQ_CAP];
	if (cursor == NULL)
		cursor = "";
	if (encode_cursor(cursor, enc) != TQK_OK)
		return fail(c, TQK_E_ARG, "%s: cursor longer than %d bytes", name, TQK_JSON_CURSOR_MAX);
	if (limit < 1 || limit > TQK_API_PAGE_MAX)
		return fail(c, TQK_E_ARG, "%s: limit %zu is not 1..%d", name, limit, TQK_API_PAGE_MAX);
	snprintf(pq, sizeof pq, "%s?since=%s&limit=%zu", path, enc, limit);
	struct call q = {name, "GET", pq, true, now, NULL, 0};
	json_t *root;
	tqk_err err = exchange(c, &q, &root);
	if (err != TQK_OK)
		return err;

	const char *got_cursor = NULL, *bad = NULL;
	const json_t *list = NULL;
	bool got_more = false;
	err = tqk_api_page_decode(root, items_name, &got_cursor, &got_more, &list, &bad);
	if (err != TQK_OK) {
		json_decref(root);
		return bad_reply(c, name, bad, 0, false, err);
	}
	size_t count = json_array_size(list);
	if (count > limit) {
		json_decref(root);
		return fail(c, TQK_E_NET_REPLY, "%s: %zu items, more than the %zu asked for", name,
		            count, limit);
	}
	if (got_more && strcmp(got_cursor, cursor) == 0) {
		json_decref(root);
		return fail(c, TQK_E_NET_REPLY, "%s: more follow, but the cursor did not move", name);
	}
	void *arr = calloc(count > 0 ? count : 1, size);
	if (arr == NULL) {
		json_decref(root);
		return fail(c, TQK_E_NOMEM, "%s: out of memory", name);
	}
	tqk_date today = tqk_time_date(now);
	for (size_t i = 0; i < count; i++) {
		err = decode(json_array_get(list, i), today, arr, i, &bad);
		if (err != TQK_OK) {
			json_decref(root);
			sodium_memzero(arr, count * size);
			free(arr);
			return bad_reply(c, name, bad, i, true, err);
		}
	}
	size_t clen = strlen(got_cursor);   /* at most TQK_JSON_CURSOR_MAX: page_decode checked */
	memcpy(next, got_cursor, clen + 1);
	*more = got_more;
	json_decref(root);
	*items = arr;
	*n = count;
	c->detail[0] = '\0';
	return TQK_OK;
}

tqk_err tqk_client_applications(tqk_client *c, tqk_time now, const char *cursor, size_t limit,
                                tqk_application **apps, size_t *n,
                                char next[TQK_JSON_CURSOR_MAX + 1], bool *more)
{
	void *items;
	tqk_err err = get_page(c, "GET /v1/applications", "/v1/applications", "applications", now,
	                       cursor, limit, sizeof(tqk_application), decode_application, &items, n,
	                       next, more);
	if (err == TQK_OK)
		*apps = items;
	return err;
}

tqk_err tqk_client_updates(tqk_client *c, tqk_time now, const char *cursor, size_t limit,
                           tqk_update **updates, size_t *n, char next[TQK_JSON_CURSOR_MAX + 1],
                           bool *more)
{
	void *items;
	tqk_err err = get_page(c, "GET /v1/updates", "/v1/updates", "updates", now, cursor, limit,
	                       sizeof(tqk_update), decode_update, &items, n, next, more);
	if (err == TQK_OK)
		*updates = items;
	return err;
}

/* ---- uploads ---- */

/* The uploads: confirmations and teachers' changes keyed by uuid, walk-in
 * applications keyed by their provisional numbers. */
struct upload_kind {
	const char *name, *path;
	const char *head;               /* the body up to the first record */
	const char *key;                /* the member each record and result is keyed by */
	bool walkin;
};

static const struct upload_kind confirmations = {
	"POST /v1/confirmations", "/v1/confirmations", "{\"records\":[", "uuid", false,
};
static const struct upload_kind changes = {
	"POST /v1/changes", "/v1/changes", "{\"records\":[", "uuid", false,
};
static const struct upload_kind walkins = {
	"POST /v1/applications", "/v1/applications", "{\"applications\":[", "provisional", true,
};

#define UPLOAD_TAIL "]}"
#define KEY_CAP (TQK_UUID_CAP > TQK_CODE_CAP ? TQK_UUID_CAP : TQK_CODE_CAP)

/* What one payload is: its length and key when it may be sent, or why
 * not (a tqk_err other than TQK_OK). */
struct record {
	size_t len;
	char key[KEY_CAP];
	tqk_err refused;
};

/* The key of result r for kind k. */
static char *result_key(const struct upload_kind *k, tqk_upload_result *r)
{
	return k->walkin ? r->provisional : r->uuid;
}

/* Checks that payload p is one JSON object with a valid key (the server's
 * idempotency key), short enough to fit a request on its own (one that
 * does not could never be sent, so it is refused here rather than retried
 * forever), and fills r. */
static void check_payload(const struct upload_kind *k, const char *p, struct record *r)
{
	size_t max = TQK_API_BODY_MAX - strlen(k->head) - (sizeof UPLOAD_TAIL - 1);
	memset(r, 0, sizeof *r);
	r->len = p != NULL ? strnlen(p, max + 1) : 0;
	if (p == NULL || r->len == 0) {
		r->refused = TQK_E_JSON_SYNTAX;
		return;
	}
	if (r->len > max) {
		r->refused = TQK_E_TOO_LONG;
		return;
	}
	json_t *obj;
	tqk_err err = tqk_json_parse(p, r->len, &obj, NULL, 0);
	if (err != TQK_OK) {
		r->refused = err;
		return;
	}
	const char *key = json_string_value(json_object_get(obj, k->key));
	if (!json_is_object(obj))
		r->refused = TQK_E_JSON_TYPE;
	else if (key == NULL || !(k->walkin ? tqk_code_valid(key) : tqk_uuid_valid(key)))
		r->refused = k->walkin ? TQK_E_FIELD_VALUE : TQK_E_UUID;
	else
		snprintf(r->key, sizeof r->key, "%s", key);
	json_decref(obj);
}

static tqk_err upload(tqk_client *c, const struct upload_kind *kind, tqk_time now,
                      const char *const *payloads, size_t n, tqk_upload_result *results)
{
	const char *name = kind->name;
	if (n == 0) {
		c->detail[0] = '\0';
		return TQK_OK;
	}
	if (n > TQK_API_BATCH_MAX)
		return fail(c, TQK_E_ARG, "%s: %zu records, more than %d", name, n, TQK_API_BATCH_MAX);

	struct record *recs = calloc(n, sizeof *recs);
	tqk_upload_result *got = calloc(n, sizeof *got);
	char *body = NULL;
	json_t *root = NULL;
	tqk_err err = TQK_OK;
	if (recs == NULL || got == NULL) {
		err = fail(c, TQK_E_NOMEM, "%s: out of memory", name);
		goto out;
	}
	/* The body's size first, capped: the sum cannot overflow since each
	 * payload is at most TQK_API_BODY_MAX and there are at most 500. */
	size_t head = strlen(kind->head);
	size_t total = head + sizeof UPLOAD_TAIL - 1, sent = 0;
	for (size_t i = 0; i < n; i++) {
		check_payload(kind, payloads[i], &recs[i]);
		if (recs[i].refused == TQK_OK) {
			total += recs[i].len + (sent > 0);
			sent++;
		}
	}
	if (total > TQK_API_BODY_MAX) {
		err = fail(c, TQK_E_TOO_LONG, "%s: %zu records make %zu bytes, more than %u: "
		           "send fewer", name, sent, total, TQK_API_BODY_MAX);
		goto out;
	}
	if (sent > 0) {
		body = malloc(total + 1);
		if (body == NULL) {
			err = fail(c, TQK_E_NOMEM, "%s: out of memory", name);
			goto out;
		}
		size_t o = 0;
		memcpy(body, kind->head, head);
		o += head;
		for (size_t i = 0, k = 0; i < n; i++) {
			if (recs[i].refused != TQK_OK)
				continue;
			if (k++ > 0)
				body[o++] = ',';
			memcpy(body + o, payloads[i], recs[i].len);
			o += recs[i].len;
		}
		memcpy(body + o, UPLOAD_TAIL, sizeof UPLOAD_TAIL - 1);
		o += sizeof UPLOAD_TAIL - 1;
		body[o] = '\0';
		assert(o == total);

		struct call q = {name, "POST", kind->path, true, now, body, total};
		if ((err = exchange(c, &q, &root)) != TQK_OK)
			goto out;
		size_t k = 0;
		const char *bad = NULL;
		err = kind->walkin ? tqk_api_walkin_results_decode(root, got, sent, &k, &bad)
		                   : tqk_api_results_decode(root, got, sent, &k, &bad);
		if (err != TQK_OK) {
			err = bad_reply(c, name, bad, 0, false, err);
			goto out;
		}
		if (k != sent) {
			err = fail(c, TQK_E_NET_REPLY, "%s: %zu results for %zu records", name, k,
			           sent);
			goto out;
		}
		for (size_t i = 0, j = 0; i < n; i++) {
			if (recs[i].refused != TQK_OK)
				continue;
			if (strcmp(result_key(kind, &got[j]), recs[i].key) != 0) {
				err = fail(c, TQK_E_NET_REPLY, "%s: result %zu is not for record %zu "
				           "(missing, repeated or out of order)", name, j, j);
				goto out;
			}
			j++;
		}
	}
	/* Everything checked: the results in the order of the payloads. */
	for (size_t i = 0, j = 0; i < n; i++) {
		if (recs[i].refused == TQK_OK) {
			results[i] = got[j++];
			continue;
		}
		memset(&results[i], 0, sizeof results[i]);
		snprintf(result_key(kind, &results[i]), kind->walkin ? TQK_CODE_CAP : TQK_UUID_CAP,
		         "%s", recs[i].key);
		results[i].status = TQK_UPLOAD_REJECTED;
		err_name(recs[i].refused, results[i].error);
		snprintf(results[i].message, sizeof results[i].message,
		         "the stored record is not one JSON object with a valid %s: not sent",
		         kind->key);
	}
	c->detail[0] = '\0';
	err = TQK_OK;
out:
	json_decref(root);
	free(body);
	free(got);
	free(recs);
	return err;
}

tqk_err tqk_client_upload(tqk_client *c, tqk_time now, const char *const *payloads, size_t n,
                          tqk_upload_result *results)
{
	return upload(c, &confirmations, now, payloads, n, results);
}

tqk_err tqk_client_upload_changes(tqk_client *c, tqk_time now, const char *const *payloads,
                                  size_t n, tqk_upload_result *results)
{
	return upload(c, &changes, now, payloads, n, results);
}

tqk_err tqk_client_upload_walkins(tqk_client *c, tqk_time now, const char *const *payloads,
                                  size_t n, tqk_upload_result *results)
{
	return upload(c, &walkins, now, payloads, n, results);
}
