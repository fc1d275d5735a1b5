/*
 * srv_http.c - the libmicrohttpd daemon: request objects, body limits,
 * routing, JSON replies, the graceful stop and the test fault hooks.
 *
 * A request's life: MHD calls uri_start() with the target exactly as sent
 * (the signature covers it; MHD's own url argument has the query cut off),
 * which makes the request object and counts it in flight; the access
 * handler then sees the headers (a Content-Length over TQK_API_BODY_MAX is
 * refused at once), the body in pieces (refused once over the cap, with
 * the rest read and dropped), and finally dispatches; request_done() frees
 * the object and counts it out.
 */
#define _GNU_SOURCE
#include "srv_http.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "proto/api.h"
#include "proto/json.h"
#include "srv_api.h"

/*
 * Error codes only the HTTP side has (the rest are tqk_err codes):
 *   http.not_found    404  no such path
 *   http.method       405  the path exists, not with this method
 *   http.unavailable  503  the server is shutting down
 *   http.forbidden    403  /test/fault from another host than loopback
 *   test.fault        500  a fault injected with --test-faults
 */

/* The faults POST /test/fault can arm (API.md, "Test faults"). */
typedef enum fault_kind {
	FAULT_NONE = 0,
	FAULT_DIE_AFTER_STORE,
	FAULT_STATUS_500,
	FAULT_DELAY,
	FAULT_GARBAGE,
	FAULT_TRUNCATE
} fault_kind;

static const char *const fault_names[] = {
	"none", "die-after-store", "status-500", "delay", "garbage", "truncate",
};

struct srv_server {
	struct MHD_Daemon *mhd;
	const srv_config *cfg;
	atomic_bool stopping;
	atomic_int in_flight;
	char *tls_cert, *tls_key;           /* PEM text, kept while the daemon runs */
	pthread_mutex_t fault_mu;
	fault_kind fault;
	long fault_count, fault_ms;
};

/* The request object MHD carries for us (*req_cls). */
typedef struct request {
	srv_req r;
	srv_server *srv;
	bool started;                       /* the handler has seen the headers */
	bool too_long;                      /* body or target over its cap */
	bool refused;                       /* a reply was queued before the body */
	size_t body_cap;
} request;

/* ---- replies ---- */

void srv_reply_json(srv_req *r, unsigned status, json_t *obj)
{
	char *text = obj != NULL ? tqk_json_dump(obj) : NULL;
	json_decref(obj);
	if (text == NULL) {
		static const char oom[] = "{\"error\":\"general.nomem\",\"message\":\"out of memory\"}";
		text = strdup(oom);
		status = 500;
	}
	free(r->reply);
	r->status = status;
	r->reply = text;
	r->reply_len = text != NULL ? strlen(text) : 0;
}

void srv_reply_err(srv_req *r, unsigned status, tqk_err err)
{
	srv_reply_json(r, status, tqk_api_error_encode(err));
}

void srv_reply_code(srv_req *r, unsigned status, const char *code, const char *message)
{
	srv_reply_json(r, status, json_pack("{s:s, s:s}", "error", code, "message", message));
}

const char *srv_req_header(const srv_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *srv_req_arg(const srv_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* Queues r's reply (500 when none was set). Returns MHD's answer. */
static enum MHD_Result send_reply(request *q, bool close)
{
	srv_req *r = &q->r;
	if (r->reply == NULL)
		srv_reply_err(r, 500, TQK_E_STORE_INTERNAL);
	struct MHD_Response *resp = MHD_create_response_from_buffer(r->reply_len, r->reply,
	                                                            MHD_RESPMEM_MUST_FREE);
	if (resp == NULL)
		return MHD_NO;
	r->reply = NULL;        /* the response owns it now */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
	if (r->status == 503)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	if (close || atomic_load(&q->srv->stopping))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ret = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- test faults ---- */

/* Whether the client is on the loopback address. */
static bool from_loopback(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	                                                             MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return false;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* POST /test/fault {"fault": NAME, "count": N, "ms": M}. */
static void fault_set(request *q)
{
	srv_req *r = &q->r;
	if (!from_loopback(r->conn)) {
		srv_reply_code(r, 403, "http.forbidden", "test faults only from the loopback address");
		return;
	}
	json_t *o = NULL;
	if (tqk_json_parse(r->body, r->body_len, &o, NULL, 0) != TQK_OK) {
		srv_reply_err(r, 400, TQK_E_JSON_SYNTAX);
		return;
	}
	const char *name = json_string_value(json_object_get(o, "fault"));
	json_t *count = json_object_get(o, "count"), *ms = json_object_get(o, "ms");
	int kind = -1;
	for (int i = 0; name != NULL && i < (int)(sizeof fault_names / sizeof fault_names[0]); i++)
		if (strcmp(name, fault_names[i]) == 0)
			kind = i;
	if (kind < 0 || (count != NULL && !json_is_integer(count)) ||
	    (ms != NULL && !json_is_integer(ms))) {
		json_decref(o);
		srv_reply_err(r, 400, TQK_E_JSON_TYPE);
		return;
	}
	long n = count != NULL ? (long)json_integer_value(count) : 1;
	long m = ms != NULL ? (long)json_integer_value(ms) : 0;
	json_decref(o);
	if (n < 0 || n > 1000000 || m < 0 || m > 600000) {
		srv_reply_err(r, 400, TQK_E_ARG);
		return;
	}
	pthread_mutex_lock(&q->srv->fault_mu);
	q->srv->fault = kind == FAULT_NONE || n == 0 ? FAULT_NONE : (fault_kind)kind;
	q->srv->fault_count = q->srv->fault == FAULT_NONE ? 0 : n;
	q->srv->fault_ms = m;
	pthread_mutex_unlock(&q->srv->fault_mu);
	srv_reply_json(r, 200, json_pack("{s:s, s:i, s:i}", "fault", fault_names[kind], "count",
	                                 (json_int_t)n, "ms", (json_int_t)m));
}

/* Takes one request's share of the armed fault (FAULT_NONE when none). */
static fault_kind fault_take(srv_server *s, long *ms)
{
	fault_kind f = FAULT_NONE;
	pthread_mutex_lock(&s->fault_mu);
	if (s->fault != FAULT_NONE && s->fault_count > 0) {
		f = s->fault;
		*ms = s->fault_ms;
		if (--s->fault_count == 0)
			s->fault = FAULT_NONE;
	}
	pthread_mutex_unlock(&s->fault_mu);
	return f;
}

/* ---- routing ---- */

/* Routes a request whose body is complete and sets its reply, applying an
 * armed test fault to /v1 calls; never returns without a reply (or at
 * all, for die-after-store). */
static void dispatch(request *q)
{
	srv_req *r = &q->r;
	bool get = strcmp(r->method, MHD_HTTP_METHOD_GET) == 0;
	if (strcmp(r->path, "/v1/time") == 0) {
		if (!get)
			srv_reply_code(r, 405, "http.method", "use GET");
		else
			srv_reply_json(r, 200, tqk_api_time_encode((tqk_time)time(NULL)));
		return;
	}
	if (strcmp(r->path, "/test/fault") == 0 && q->srv->cfg->test_faults) {
		if (strcmp(r->method, MHD_HTTP_METHOD_POST) != 0)
			srv_reply_code(r, 405, "http.method", "use POST");
		else
			fault_set(q);
		return;
	}
	if (strncmp(r->path, "/v1/", 4) != 0) {
		srv_reply_code(r, 404, "http.not_found", "no such resource");
		return;
	}

	long ms = 0;
	fault_kind f = q->srv->cfg->test_faults ? fault_take(q->srv, &ms) : FAULT_NONE;
	if (f == FAULT_STATUS_500) {
		srv_reply_code(r, 500, "test.fault", "injected fault");
		return;
	}
	if (f == FAULT_DELAY && ms > 0) {
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) != 0)
			;
	}
	srv_api_handle(r);
	if (f == FAULT_DIE_AFTER_STORE) {
		/* Whatever the handler stored is committed: die without a word. */
		_exit(137);
	}
	if (f == FAULT_GARBAGE) {
		static const char junk[] = "<html>502 this is not JSON</html>";
		free(r->reply);
		r->reply = strdup(junk);
		r->reply_len = r->reply != NULL ? strlen(junk) : 0;
		r->status = 200;
	} else if (f == FAULT_TRUNCATE && r->reply != NULL) {
		r->reply_len /= 2;
	}
}

/* ---- MHD callbacks ---- */

/* MHD's first notice of a request, with its target as sent: makes the
 * request object and counts it in flight. Returns it, or NULL when out of
 * memory (the handler then drops the connection). */
static void *uri_start(void *cls, const char *uri, struct MHD_Connection *conn)
{
	srv_server *s = cls;
	request *q = calloc(1, sizeof *q);
	if (q == NULL)
		return NULL;
	q->srv = s;
	q->r.conn = conn;
	q->r.db = s->cfg->db;
	q->r.demo = s->cfg->demo;
	size_t n = strlen(uri);
	if (n >= sizeof q->r.target) {
		q->too_long = true;
		n = 0;
	}
	memcpy(q->r.target, uri, n);
	q->r.target[n] = '\0';
	size_t plen = strcspn(q->r.target, "?");
	memcpy(q->r.path, q->r.target, plen);
	q->r.path[plen] = '\0';
	atomic_fetch_add(&s->in_flight, 1);
	return q;
}

/* MHD's notice that a request is over (answered or not): frees it and
 * counts it out of flight. Cannot fail. */
static void request_done(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode why)
{
	(void)conn, (void)why;
	srv_server *s = cls;
	request *q = *req_cls;
	if (q == NULL)
		return;
	free(q->r.body);
	free(q->r.reply);
	free(q);
	*req_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
}

/* Appends a piece of the body, or notes that it is over the cap. */
static void take_body(request *q, const char *data, size_t n)
{
	if (q->too_long)
		return;
	if (q->r.body_len + n > TQK_API_BODY_MAX) {
		q->too_long = true;
		free(q->r.body);
		q->r.body = NULL;
		q->r.body_len = q->body_cap = 0;
		return;
	}
	if (q->r.body_len + n + 1 > q->body_cap) {
		size_t cap = q->body_cap == 0 ? 4096 : q->body_cap;
		while (cap < q->r.body_len + n + 1)
			cap *= 2;
		if (cap > TQK_API_BODY_MAX + 1)
			cap = TQK_API_BODY_MAX + 1;
		char *grown = realloc(q->r.body, cap);
		if (grown == NULL) {
			q->too_long = true;     /* answered as too long: the memory is the cap */
			return;
		}
		q->r.body = grown;
		q->body_cap = cap;
	}
	memcpy(q->r.body + q->r.body_len, data, n);
	q->r.body_len += n;
	q->r.body[q->r.body_len] = '\0';
}

/* MHD's access handler, called for the headers, each piece of the body,
 * and once more at its end. Returns MHD_YES, or MHD_NO to drop the
 * connection (out of memory). */
static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **req_cls)
{
	(void)cls, (void)url, (void)version;
	request *q = *req_cls;
	if (q == NULL)
		return MHD_NO;      /* uri_start ran out of memory: drop the connection */
	q->r.method = method;

	if (!q->started) {
		q->started = true;
		if (atomic_load(&q->srv->stopping)) {
			srv_reply_code(&q->r, 503, "http.unavailable", "the server is shutting down");
			q->refused = true;
			return send_reply(q, true);
		}
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (q->too_long ||
		    (cl != NULL && (strlen(cl) > 9 || strtoul(cl, NULL, 10) > TQK_API_BODY_MAX))) {
			srv_reply_err(&q->r, 413, TQK_E_TOO_LONG);
			q->refused = true;
			return send_reply(q, true);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!q->refused)
			take_body(q, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (q->refused)
		return MHD_YES;
	if (q->too_long) {
		srv_reply_err(&q->r, 413, TQK_E_TOO_LONG);
		return send_reply(q, true);
	}
	if (q->r.body == NULL) {
		q->r.body = strdup("");
		if (q->r.body == NULL)
			return MHD_NO;
	}
	dispatch(q);
	return send_reply(q, false);
}

/* ---- start and stop ---- */

/* Reads a PEM file (at most 64 KiB) into a new string; NULL on failure. */
static char *read_pem(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	enum { CAP = 64 * 1024 };
	char *buf = malloc(CAP + 1);
	size_t n = buf != NULL ? fread(buf, 1, CAP + 1, f) : 0;
	fclose(f);
	if (buf == NULL || n == 0 || n > CAP) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* Frees s (the daemon is stopped already); cannot fail. */
static void free_server(srv_server *s)
{
	free(s->tls_cert);
	free(s->tls_key);
	pthread_mutex_destroy(&s->fault_mu);
	free(s);
}

tqk_err srv_http_start(const srv_config *cfg, const char *host, uint16_t port, srv_server **out,
                       uint16_t *bound, char *detail, size_t cap)
{
	*out = NULL;
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_PASSIVE};
	struct addrinfo *ai = NULL;
	int gai = getaddrinfo(host, NULL, &hints, &ai);
	if (gai != 0 || ai == NULL) {
		snprintf(detail, cap, "%s: %s", host, gai_strerror(gai));
		return TQK_E_ARG;
	}
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
	bool v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	if (v6)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&ss)->sin_port = htons(port);

	srv_server *s = calloc(1, sizeof *s);
	if (s == NULL)
		return TQK_E_NOMEM;
	s->cfg = cfg;
	pthread_mutex_init(&s->fault_mu, NULL);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
	                 MHD_USE_ITC | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
	if (cfg->tls_cert != NULL || cfg->tls_key != NULL) {
		if (cfg->tls_cert == NULL || cfg->tls_key == NULL ||
		    (s->tls_cert = read_pem(cfg->tls_cert)) == NULL ||
		    (s->tls_key = read_pem(cfg->tls_key)) == NULL) {
			snprintf(detail, cap, "cannot read the TLS certificate and key (both PEM files)");
			free_server(s);
			return TQK_E_CONFIG;
		}
		flags |= MHD_USE_TLS;
	}
	struct MHD_OptionItem tls[] = {
		{MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key},
		{MHD_OPTION_END, 0, NULL},
	};
	s->mhd = MHD_start_daemon(flags, port, NULL, NULL, handle, s,
	                          MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	                          MHD_OPTION_URI_LOG_CALLBACK, uri_start, s,
	                          MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
	                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	                          MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
	                          MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)128,
	                          MHD_OPTION_ARRAY, (flags & MHD_USE_TLS) ? tls : tls + 2,
	                          MHD_OPTION_END);
	if (s->mhd == NULL) {
		snprintf(detail, cap, "cannot listen on %s port %u", host, (unsigned)port);
		free_server(s);
		return TQK_E_NET;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	*bound = di != NULL ? di->port : port;
	*out = s;
	return TQK_OK;
}

void srv_http_stop(srv_server *s, int wait_ms)
{
	if (s == NULL)
		return;
	atomic_store(&s->stopping, true);
	MHD_quiesce_daemon(s->mhd);
	/* Requests already past their headers finish; idle keep-alive
	 * connections hold no request and are closed by MHD_stop_daemon. */
	for (int waited = 0; atomic_load(&s->in_flight) > 0 && waited < wait_ms; waited += 10) {
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(s->mhd);
	free_server(s);
}
