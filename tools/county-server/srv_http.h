/*
 * srv_http.h - the county server's HTTP side on libmicrohttpd: the daemon
 * (one thread per connection, optional TLS), a request as the handlers see
 * it (method, the target exactly as sent, headers, query arguments, the
 * whole body within TQK_API_BODY_MAX), JSON replies and errors, the
 * graceful stop, and the test-only fault hooks (--test-faults).
 *
 * Routing: GET /v1/time is answered here; every other /v1 path goes to
 * srv_api_handle() (srv_api.h); POST /test/fault exists only with
 * test_faults, from the loopback address. Everything else is 404.
 */
#ifndef TQK_SRV_HTTP_H
#define TQK_SRV_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "srv_db.h"

#define SRV_TARGET_CAP 2048         /* bytes of a request target (path?query) */

typedef struct srv_config {
	srv_db *db;
	bool test_faults;           /* enable POST /test/fault (tests only) */
	bool demo;                  /* a demo server: takes demo kiosks' records */
	const char *tls_cert;       /* PEM file paths, both or neither */
	const char *tls_key;
} srv_config;

typedef struct srv_server srv_server;

/*
 * Starts the daemon on host:port (port 0 picks a free one; host a numeric
 * IPv4 or IPv6 address, or a name that resolves) with cfg (kept by
 * reference), and gives the port it listens on. Returns TQK_OK and *out, or
 * TQK_E_ARG (bad address), TQK_E_CONFIG (unreadable TLS files) or TQK_E_NET
 * (cannot listen) with a reason in detail (cap bytes).
 */
tqk_err srv_http_start(const srv_config *cfg, const char *host, uint16_t port, srv_server **out,
                       uint16_t *bound, char *detail, size_t cap) TQK_MUST_CHECK;

/*
 * Stops gracefully: stops accepting, answers 503 to requests that start from
 * now on, lets requests in flight finish (up to wait_ms), then stops the
 * daemon and frees s. Every stored batch was committed before its reply,
 * so whatever is cut off after wait_ms loses nothing. NULL is a no-op.
 */
void srv_http_stop(srv_server *s, int wait_ms);

/* One request, as the handlers see it. */
typedef struct srv_req {
	struct MHD_Connection *conn;
	srv_db *db;
	bool demo;                          /* srv_config's */
	const char *method;
	char target[SRV_TARGET_CAP];        /* path?query, exactly as sent */
	char path[SRV_TARGET_CAP];          /* the path alone */
	char *body;                         /* the body, NUL-terminated (body_len bytes) */
	size_t body_len;

	/* the reply, set by srv_reply_*() */
	unsigned status;
	char *reply;                        /* malloc'd */
	size_t reply_len;
} srv_req;

/* A request header's value; NULL when absent. */
const char *srv_req_header(const srv_req *r, const char *name);
/* A query argument's (decoded) value; NULL when absent. */
const char *srv_req_arg(const srv_req *r, const char *name);

/* Sets the reply to obj (the reference is taken) with status. When obj is
 * NULL (out of memory upstream) the reply is 500 store.internal. */
void srv_reply_json(srv_req *r, unsigned status, json_t *obj);
/* {"error": "<domain.code>", "message": "<English>"} of err with status. */
void srv_reply_err(srv_req *r, unsigned status, tqk_err err);
/* The same for an error that only HTTP has (code such as "http.not_found"). */
void srv_reply_code(srv_req *r, unsigned status, const char *code, const char *message);

#endif
