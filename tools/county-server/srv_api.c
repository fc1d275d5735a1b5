/*
 * srv_api.c - the /v1 handlers: routing by path and method, the signature
 * check, one transaction per request, and the documents of each call.
 */
#include "srv_api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "proto/api.h"
#include "proto/json.h"
#include "srv_apps.h"
#include "srv_auth.h"
#include "srv_payload.h"

#define PAGE_DEFAULT 500

/* What a handler gets: the request, the authenticated kiosk, the server's
 * time, and the body parsed (NULL for a GET). */
typedef struct call {
	srv_req *r;
	srv_kiosk kiosk;
	tqk_time now;
	tqk_date today;
	json_t *body;
} call;

/* A handler sets the reply and returns its status: only 200 commits. */
typedef unsigned (*handler)(call *c);

/* Sets a 500 reply for a store failure and returns 500. */
static unsigned fail(call *c, tqk_err err)
{
	fprintf(stderr, "tq-county: %s %s: %s.%s: %s\n", c->r->method, c->r->path, tqk_err_domain(err),
	        tqk_err_code(err), srv_db_detail(c->r->db));
	srv_reply_err(c->r, 500, err == TQK_E_NOMEM ? TQK_E_NOMEM : TQK_E_STORE_INTERNAL);
	return 500;
}

/* ---- GET /v1/plan ---- */

/* GET /v1/plan; returns the status (404 plan.none when there is none). */
static unsigned get_plan(call *c)
{
	tqk_plan p;
	tqk_err err = srv_db_plan_get(c->r->db, c->kiosk.site, &p);
	if (err == TQK_E_STORE_NOT_FOUND) {
		srv_reply_code(c->r, 404, "plan.none", "no plan has been set for this site yet");
		return 404;
	}
	if (err != TQK_OK)
		return fail(c, err);
	srv_reply_json(c->r, 200, tqk_api_plan_encode(&p));
	tqk_plan_clear(&p);
	return c->r->status;
}

/* ---- GET /v1/clerks ---- */

/* GET /v1/clerks; returns the status. */
static unsigned get_clerks(call *c)
{
	tqk_clerk *list = NULL;
	size_t n = 0;
	tqk_err err = srv_db_clerks(c->r->db, c->kiosk.site, &list, &n);
	if (err != TQK_OK)
		return fail(c, err);
	json_t *arr = json_array();
	bool ok = arr != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok = json_array_append_new(arr, tqk_api_clerk_encode(&list[i])) == 0;
	free(list);
	if (!ok) {
		json_decref(arr);
		return fail(c, TQK_E_NOMEM);
	}
	srv_reply_json(c->r, 200, json_pack("{s:o}", "clerks", arr));
	return c->r->status;
}

/* ---- pages: GET /v1/applications and /v1/updates ---- */

/* Strict decimal of 1..18 digits. */
static bool decimal(const char *s, int64_t *out)
{
	size_t n = strnlen(s, 20);
	if (n == 0 || n > 18)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* since and limit from the query; false (and a 400 reply) when malformed. */
static bool page_args(call *c, int64_t *since, size_t *limit)
{
	const char *s = srv_req_arg(c->r, "since"), *l = srv_req_arg(c->r, "limit");
	int64_t n = PAGE_DEFAULT;
	*since = 0;
	if ((s != NULL && s[0] != '\0' && !decimal(s, since)) ||
	    (l != NULL && (!decimal(l, &n) || n == 0))) {
		srv_reply_code(c->r, 400, "general.arg",
		               "since must be a cursor from an earlier page, limit a positive integer");
		return false;
	}
	*limit = n > TQK_API_PAGE_MAX ? TQK_API_PAGE_MAX : (size_t)n;
	return true;
}

/* A page of applications or updates (srv_apps.h). */
typedef tqk_err (*pager)(srv_db *db, const char *site, int64_t since, size_t limit,
                         json_t **items, int64_t *last, bool *more);

/* A page of a download by page(), its applications' forms signed when
 * sign is set (srv_payload_attach); returns its status (400 for bad
 * arguments, 500 for a store failure). */
static unsigned get_page(call *c, pager page, const char *items_name, bool sign)
{
	int64_t since, last;
	size_t limit;
	if (!page_args(c, &since, &limit))
		return 400;
	json_t *items = NULL;
	bool more = false;
	tqk_err err = page(c->r->db, c->kiosk.site, since, limit, &items, &last, &more);
	if (err == TQK_OK && sign)
		err = srv_payload_attach(c->r->db, items, c->now);
	if (err != TQK_OK) {
		json_decref(items);
		return fail(c, err);
	}
	char cursor[24];
	snprintf(cursor, sizeof cursor, "%" PRId64, last);
	srv_reply_json(c->r, 200, tqk_api_page_encode(cursor, more, items_name, items));
	return c->r->status;
}

/* GET /v1/applications; returns the status. */
static unsigned get_applications(call *c)
{
	return get_page(c, srv_apps_page, "applications", true);
}

/* GET /v1/updates; returns the status. */
static unsigned get_updates(call *c)
{
	return get_page(c, srv_apps_updates_page, "updates", false);
}

/* ---- uploads ---- */

/*
 * The array member name of the body, at most TQK_API_BATCH_MAX items, every
 * item's string members in `keys` equal to the kiosk's site and id (NULL:
 * not checked). Returns the array, or NULL after a 400, 413 or 403 reply
 * (*status set).
 */
static json_t *batch_of(call *c, const char *name, const char *kiosk_key, unsigned *status)
{
	json_t *list = json_is_object(c->body) ? json_object_get(c->body, name) : NULL;
	if (!json_is_array(list)) {
		srv_reply_err(c->r, *status = 400, TQK_E_JSON_TYPE);
		return NULL;
	}
	if (json_array_size(list) > TQK_API_BATCH_MAX) {
		srv_reply_err(c->r, *status = 413, TQK_E_TOO_LONG);
		return NULL;
	}
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		const char *site = json_string_value(json_object_get(item, "site"));
		const char *kiosk = kiosk_key != NULL ? json_string_value(json_object_get(item, kiosk_key))
		                                      : NULL;
		if ((site != NULL && strcmp(site, c->kiosk.site) != 0) ||
		    (kiosk != NULL && strcmp(kiosk, c->kiosk.id) != 0)) {
			srv_reply_err(c->r, *status = 403, TQK_E_AUTH_SITE);
			return NULL;
		}
	}
	return list;
}

/* One record of a batch of records, with the call's kiosk and time. */
typedef tqk_err (*record_fn)(call *c, const json_t *record, tqk_upload_result *r);

static tqk_err one_confirmation(call *c, const json_t *record, tqk_upload_result *r)
{
	return srv_apps_confirm(c->r->db, c->kiosk.site, record, c->r->demo, c->today, c->now, r);
}

static tqk_err one_change(call *c, const json_t *record, tqk_upload_result *r)
{
	return srv_apps_change(c->r->db, c->kiosk.site, c->kiosk.id, record, c->r->demo, c->today,
	                       c->now, r);
}

/* {"records": [...]}: one result per record; returns the status (200, or
 * 400 / 403 / 413 refusing the whole batch, 500 for a store failure). */
static unsigned post_records(call *c, record_fn one)
{
	unsigned status;
	json_t *list = batch_of(c, "records", "kiosk", &status);
	if (list == NULL)
		return status;
	size_t n = json_array_size(list);
	tqk_upload_result *results = calloc(n > 0 ? n : 1, sizeof *results);
	if (results == NULL)
		return fail(c, TQK_E_NOMEM);
	for (size_t i = 0; i < n; i++) {
		tqk_err err = one(c, json_array_get(list, i), &results[i]);
		if (err != TQK_OK) {
			free(results);
			return fail(c, err);
		}
	}
	srv_reply_json(c->r, 200, tqk_api_results_encode(results, n));
	free(results);
	return c->r->status;
}

/* POST /v1/confirmations */
static unsigned post_confirmations(call *c)
{
	return post_records(c, one_confirmation);
}

/* POST /v1/changes: teachers' own changes made at kiosks */
static unsigned post_changes(call *c)
{
	return post_records(c, one_change);
}

/* POST /v1/applications: one result per walk-in; returns the status as
 * post_confirmations. */
static unsigned post_applications(call *c)
{
	unsigned status;
	json_t *list = batch_of(c, "applications", NULL, &status);
	if (list == NULL)
		return status;
	json_t *out = json_array();
	if (out == NULL)
		return fail(c, TQK_E_NOMEM);
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		srv_walkin_result w;
		tqk_err err = srv_apps_walkin(c->r->db, c->kiosk.site, c->kiosk.id, item, c->r->demo,
		                              c->today, c->now, &w);
		if (err != TQK_OK) {
			json_decref(out);
			return fail(c, err);
		}
		json_t *o = json_pack("{s:s, s:s}", "provisional", w.provisional, "status",
		                      tqk_upload_status_code(w.status));
		if (o != NULL && w.status != TQK_UPLOAD_REJECTED)
			json_object_set_new(o, "reg_no", json_string(w.reg_no));
		if (o != NULL && w.status == TQK_UPLOAD_REJECTED) {
			json_object_set_new(o, "error", json_string(w.error));
			json_object_set_new(o, "message", json_string(w.message));
		}
		if (o == NULL || json_array_append_new(out, o) != 0) {
			json_decref(out);
			return fail(c, TQK_E_NOMEM);
		}
	}
	srv_reply_json(c->r, 200, json_pack("{s:o}", "results", out));
	return c->r->status;
}

/* ---- routing ---- */

static const struct route {
	const char *path;
	const char *method;
	handler run;
} routes[] = {
	{"/v1/plan", MHD_HTTP_METHOD_GET, get_plan},
	{"/v1/applications", MHD_HTTP_METHOD_GET, get_applications},
	{"/v1/applications", MHD_HTTP_METHOD_POST, post_applications},
	{"/v1/clerks", MHD_HTTP_METHOD_GET, get_clerks},
	{"/v1/updates", MHD_HTTP_METHOD_GET, get_updates},
	{"/v1/confirmations", MHD_HTTP_METHOD_POST, post_confirmations},
	{"/v1/changes", MHD_HTTP_METHOD_POST, post_changes},
};

void srv_api_handle(srv_req *r)
{
	const struct route *route = NULL;
	bool path_known = false;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (strcmp(r->path, routes[i].path) != 0)
			continue;
		path_known = true;
		if (strcmp(r->method, routes[i].method) == 0)
			route = &routes[i];
	}
	if (route == NULL) {
		if (path_known)
			srv_reply_code(r, 405, "http.method", "this method is not allowed here");
		else
			srv_reply_code(r, 404, "http.not_found", "no such resource");
		return;
	}

	call c = {.r = r, .now = (tqk_time)time(NULL)};
	c.today = tqk_time_date(c.now);
	/* Parse outside the lock; judge only once the signature holds. */
	tqk_err parsed = TQK_OK;
	if (strcmp(route->method, MHD_HTTP_METHOD_POST) == 0)
		parsed = tqk_json_parse(r->body, r->body_len, &c.body, NULL, 0);

	srv_auth_in in = {
		.kiosk = srv_req_header(r, TQK_HDR_KIOSK),
		.time = srv_req_header(r, TQK_HDR_TIME),
		.nonce = srv_req_header(r, TQK_HDR_NONCE),
		.signature = srv_req_header(r, TQK_HDR_SIGNATURE),
		.method = r->method,
		.path_query = r->target,
		.body = r->body,
		.body_len = r->body_len,
	};
	srv_db_lock(r->db);
	tqk_err err = srv_db_begin(r->db);
	unsigned status;
	if (err == TQK_OK)
		err = srv_auth_check(r->db, &in, c.now, &c.kiosk);
	if (err >= TQK_E_AUTH_MISSING && err <= TQK_E_AUTH_REPLAY) {
		srv_reply_err(r, status = 401, err);
	} else if (err != TQK_OK) {
		status = fail(&c, err);
	} else if (parsed != TQK_OK) {
		srv_reply_err(r, status = parsed == TQK_E_NOMEM ? 500 : 400,
		              parsed == TQK_E_TOO_LONG ? TQK_E_JSON_SYNTAX : parsed);
	} else {
		status = route->run(&c);
	}
	err = srv_db_end(r->db, status == 200 ? TQK_OK : TQK_E_ARG);
	if (status == 200 && err != TQK_OK)
		fail(&c, err);
	srv_db_unlock(r->db);
	json_decref(c.body);
}
