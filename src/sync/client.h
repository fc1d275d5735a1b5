/*
 * client.h - the county API, kiosk side: one call per endpoint, each a
 * signed HTTP request (proto/sign.h) over a transport.
 *
 * The transport is a table of functions (libcurl in curl.c; tests may put a
 * fault-injecting one in its place). A reply is read only up to
 * TQK_API_BODY_MAX bytes; anything that is not what the API promises comes
 * back as TQK_E_NET_REPLY, an unexpected status as TQK_E_NET_STATUS (with the
 * server's {"error", "message"} in the detail), a failed connection as
 * TQK_E_NET / _TIMEOUT / _TLS. tqk_client_detail() says more, without
 * personal data.
 */
#ifndef TQK_SYNC_CLIENT_H
#define TQK_SYNC_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/confirmation.h"
#include "core/err.h"
#include "proto/api.h"
#include "proto/json.h"
#include "sync/config.h"

typedef struct tqk_http_request {
	const char *method;             /* "GET" or "POST" */
	const char *url;                /* full URL */
	const char *const *headers;     /* "Name: value", NULL-terminated */
	const char *body;               /* may be NULL */
	size_t body_len;
} tqk_http_request;

typedef struct tqk_http_reply {
	long status;
	char *body;                     /* malloc'd, NUL-terminated; the caller frees */
	size_t body_len;
} tqk_http_reply;

/* A transport: perform one request. Fails with TQK_E_NET, _TIMEOUT, _TLS,
 * or TQK_E_TOO_LONG for a reply over TQK_API_BODY_MAX; reply->body is NULL
 * then. */
typedef struct tqk_http_transport {
	tqk_err (*perform)(void *ctx, const tqk_http_request *req, tqk_http_reply *reply,
	                   char *detail, size_t cap);
	void (*free)(void *ctx);
	void *ctx;
} tqk_http_transport;

/* libcurl with the config's timeouts, CA file and pinned key; TLS peer and
 * host verification always on. */
tqk_err tqk_http_curl(const tqk_sync_config *cfg, tqk_http_transport *out) TQK_MUST_CHECK;

typedef struct tqk_client tqk_client;

/* A client for cfg's server, over t (ownership of t moves to the client). */
tqk_err tqk_client_new(const tqk_sync_config *cfg, tqk_http_transport t, tqk_client **out) TQK_MUST_CHECK;
void tqk_client_free(tqk_client *c);
const char *tqk_client_detail(const tqk_client *c);

/* Requests are signed with time `now` (the trusted clock's). */
tqk_err tqk_client_time(tqk_client *c, tqk_time *server_now) TQK_MUST_CHECK;
tqk_err tqk_client_plan(tqk_client *c, tqk_time now, tqk_plan *out) TQK_MUST_CHECK;
tqk_err tqk_client_clerks(tqk_client *c, tqk_time now, tqk_clerk **out, size_t *n) TQK_MUST_CHECK;

/* One page after cursor ("" from the start): the applications decoded (today
 * bounds their dates), the next cursor and whether more
 * follow. *apps is malloc'd (caller frees). */
tqk_err tqk_client_applications(tqk_client *c, tqk_time now, const char *cursor, size_t limit,
                                tqk_application **apps, size_t *n, char next[TQK_JSON_CURSOR_MAX + 1],
                                bool *more) TQK_MUST_CHECK;
tqk_err tqk_client_updates(tqk_client *c, tqk_time now, const char *cursor, size_t limit,
                           tqk_update **updates, size_t *n, char next[TQK_JSON_CURSOR_MAX + 1],
                           bool *more) TQK_MUST_CHECK;

/*
 * Uploads n confirmations given as their stored JSON payloads (the outbox
 * rows' payloads, sent as they are: the bytes the uuid stands for). results
 * gets one per record in the order sent; a reply that does not answer every
 * record, once, is TQK_E_NET_REPLY.
 */
tqk_err tqk_client_upload(tqk_client *c, tqk_time now, const char *const *payloads, size_t n,
                          tqk_upload_result *results) TQK_MUST_CHECK;

/* The same for teachers' changes (store/change.h), to POST /v1/changes. */
tqk_err tqk_client_upload_changes(tqk_client *c, tqk_time now, const char *const *payloads,
                                  size_t n, tqk_upload_result *results) TQK_MUST_CHECK;

/* The same for walk-in applications (their outbox payloads, keyed by
 * "provisional"), to POST /v1/applications; each result has the official
 * number in reg_no unless rejected (tqk_api_walkin_results_decode). */
tqk_err tqk_client_upload_walkins(tqk_client *c, tqk_time now, const char *const *payloads,
                                  size_t n, tqk_upload_result *results) TQK_MUST_CHECK;

#endif
