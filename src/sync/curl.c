/*
 * curl.c - the libcurl transport of client.h: one easy handle per
 * transport, so that its connection (and TLS session) is reused from one
 * request to the next.
 *
 * Every request starts from curl_easy_reset() (which keeps the live
 * connection) and sets everything again, so nothing of one request leaks
 * into the next. TLS peer and host verification are on for every request
 * and nothing in this file ever turns them off; a CA file and a pinned
 * public key narrow them further. Only http and https are spoken, redirects
 * are not followed, and a reply body is kept only up to TQK_API_BODY_MAX
 * bytes: a longer one aborts the transfer as TQK_E_TOO_LONG.
 */
#include "sync/client.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "proto/api.h"

#define HEADERS_MAX 16          /* request headers the client may pass */

struct curl_transport {
	CURL *easy;
	char ca_file[TQK_PATH_CAP];
	char pinned_key[TQK_PATH_CAP];
	long connect_timeout, timeout;
	char errbuf[CURL_ERROR_SIZE];
	/* the reply body being received */
	char *body;
	size_t len, cap;
	bool too_long, nomem;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

/* libcurl's process-wide set-up, run once (pthread_once); its result is
 * kept in global_rc. */
static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Writes the formatted text into detail (cap bytes) when there is one. */
static void say(char *detail, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *detail, size_t cap, const char *fmt, ...)
{
	if (detail == NULL || cap == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, cap, fmt, ap);
	va_end(ap);
}

/* libcurl's write callback: appends to the body, growing it by doubling up
 * to TQK_API_BODY_MAX. Returns size * n, or 0 (which aborts the transfer)
 * when the body would be longer or memory runs out. */
static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	struct curl_transport *ct = user;
	size_t add = size * n;
	if (add > TQK_API_BODY_MAX || ct->len > TQK_API_BODY_MAX - add) {
		ct->too_long = true;
		return 0;
	}
	if (ct->len + add + 1 > ct->cap) {
		size_t cap = ct->cap > 0 ? ct->cap : 16384;
		while (cap < ct->len + add + 1)
			cap *= 2;
		if (cap > TQK_API_BODY_MAX + 1)
			cap = TQK_API_BODY_MAX + 1;
		char *b = realloc(ct->body, cap);
		if (b == NULL) {
			ct->nomem = true;
			return 0;
		}
		ct->body = b;
		ct->cap = cap;
	}
	memcpy(ct->body + ct->len, data, add);
	ct->len += add;
	ct->body[ct->len] = '\0';
	return add;
}

/* The project's error for a failed transfer. */
static tqk_err map_error(CURLcode rc, const struct curl_transport *ct)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return TQK_E_NET_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED:
		return TQK_E_NET_TLS;
	case CURLE_FILESIZE_EXCEEDED:
		return TQK_E_TOO_LONG;
	case CURLE_WRITE_ERROR:
		if (ct->too_long)
			return TQK_E_TOO_LONG;
		return ct->nomem ? TQK_E_NOMEM : TQK_E_NET;
	case CURLE_OUT_OF_MEMORY:
		return TQK_E_NOMEM;
	default:
		/* COULDNT_CONNECT, COULDNT_RESOLVE_HOST, SEND_ERROR, RECV_ERROR,
		 * GOT_NOTHING, PARTIAL_FILE, WEIRD_SERVER_REPLY, HTTP2, ... */
		return TQK_E_NET;
	}
}

/* Whether a header line is one line ("Name: value", no CR or LF). */
static bool header_ok(const char *h)
{
	return strchr(h, '\r') == NULL && strchr(h, '\n') == NULL && strchr(h, ':') != NULL;
}

/* Sets every option of one request; the first CURLcode that is not
 * CURLE_OK, or CURLE_OK. */
static CURLcode set_options(struct curl_transport *ct, const tqk_http_request *req,
                            struct curl_slist *headers)
{
	CURL *e = ct->easy;
	CURLcode rc = CURLE_OK;
#define SET(opt, val) do { if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val); } while (0)
	SET(CURLOPT_ERRORBUFFER, ct->errbuf);
	SET(CURLOPT_URL, req->url);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_MAXREDIRS, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (ct->ca_file[0] != '\0')
		SET(CURLOPT_CAINFO, ct->ca_file);
	if (ct->pinned_key[0] != '\0')
		SET(CURLOPT_PINNEDPUBLICKEY, ct->pinned_key);
	SET(CURLOPT_CONNECTTIMEOUT, ct->connect_timeout);
	SET(CURLOPT_TIMEOUT, ct->timeout);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
	SET(CURLOPT_USERAGENT, "tqkiosk/1");
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)TQK_API_BODY_MAX);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, ct);
	SET(CURLOPT_HTTPHEADER, headers);
	if (strcmp(req->method, "POST") == 0) {
		SET(CURLOPT_POST, 1L);
		SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		SET(CURLOPT_POSTFIELDS, req->body_len > 0 ? req->body : "");
	} else {
		SET(CURLOPT_HTTPGET, 1L);
	}
#undef SET
	return rc;
}

/* The transport's perform (client.h): TQK_OK with the status and the
 * body (any status); TQK_E_NET, _TIMEOUT, _TLS, TQK_E_TOO_LONG (reply or
 * request over TQK_API_BODY_MAX), TQK_E_NOMEM, or TQK_E_ARG for a method
 * other than GET and POST or a header that is not one line. */
static tqk_err transport_perform(void *ctx, const tqk_http_request *req, tqk_http_reply *reply,
                            char *detail, size_t cap)
{
	struct curl_transport *ct = ctx;
	reply->status = 0;
	reply->body = NULL;
	reply->body_len = 0;
	if (detail != NULL && cap > 0)
		detail[0] = '\0';
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "POST") != 0) {
		say(detail, cap, "method %s is not spoken", req->method);
		return TQK_E_ARG;
	}
	if (req->body_len > TQK_API_BODY_MAX) {
		say(detail, cap, "request body of %zu bytes, more than %u", req->body_len,
		    TQK_API_BODY_MAX);
		return TQK_E_TOO_LONG;
	}

	/* "Expect:" stops libcurl from waiting for "100 Continue" on a POST. */
	struct curl_slist *headers = NULL, *h;
	size_t nh = 0;
	bool ok = (h = curl_slist_append(NULL, "Expect:")) != NULL;
	headers = h;
	for (const char *const *p = req->headers; ok && p != NULL && *p != NULL; p++) {
		if (++nh > HEADERS_MAX || !header_ok(*p)) {
			curl_slist_free_all(headers);
			say(detail, cap, "bad request header (too many, or not one line)");
			return TQK_E_ARG;
		}
		ok = (h = curl_slist_append(headers, *p)) != NULL;
		if (ok)
			headers = h;
	}
	if (!ok) {
		curl_slist_free_all(headers);
		return TQK_E_NOMEM;
	}

	curl_easy_reset(ct->easy);
	ct->errbuf[0] = '\0';
	ct->len = 0;
	ct->too_long = ct->nomem = false;
	CURLcode rc = set_options(ct, req, headers);
	if (rc == CURLE_OK)
		rc = curl_easy_perform(ct->easy);
	long status = 0;
	if (rc == CURLE_OK)
		rc = curl_easy_getinfo(ct->easy, CURLINFO_RESPONSE_CODE, &status);
	/* The handle keeps pointers to headers and the body: drop them. */
	curl_easy_setopt(ct->easy, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(ct->easy, CURLOPT_POSTFIELDS, NULL);
	curl_slist_free_all(headers);

	if (rc != CURLE_OK) {
		tqk_err err = map_error(rc, ct);
		if (err == TQK_E_TOO_LONG)
			say(detail, cap, "reply body longer than %u bytes", TQK_API_BODY_MAX);
		else
			say(detail, cap, "%s (curl %d)",
			    ct->errbuf[0] != '\0' ? ct->errbuf : curl_easy_strerror(rc), (int)rc);
		/* Keep the buffer for the next request, but not a large one. */
		if (ct->cap > (1u << 20)) {
			free(ct->body);
			ct->body = NULL;
			ct->cap = 0;
		}
		ct->len = 0;
		return err;
	}

	/* The body moves to the caller; an empty one is still a string. */
	if (ct->body == NULL) {
		reply->body = calloc(1, 1);
		if (reply->body == NULL)
			return TQK_E_NOMEM;
	} else {
		ct->body[ct->len] = '\0';     /* cap > len whenever body is set */
		reply->body = ct->body;
		ct->body = NULL;
		ct->cap = 0;
	}
	reply->body_len = ct->len;
	reply->status = status;
	ct->len = 0;
	return TQK_OK;
}

/* The transport's free (client.h). */
static void transport_free(void *ctx)
{
	struct curl_transport *ct = ctx;
	if (ct == NULL)
		return;
	curl_easy_cleanup(ct->easy);
	free(ct->body);
	free(ct);
}

/* Returns TQK_OK with *out set; TQK_E_NOMEM, or TQK_E_NET when libcurl
 * cannot be set up at all. */
tqk_err tqk_http_curl(const tqk_sync_config *cfg, tqk_http_transport *out)
{
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return global_rc == CURLE_OUT_OF_MEMORY ? TQK_E_NOMEM : TQK_E_NET;
	struct curl_transport *ct = calloc(1, sizeof *ct);
	if (ct == NULL)
		return TQK_E_NOMEM;
	ct->easy = curl_easy_init();
	if (ct->easy == NULL) {
		free(ct);
		return TQK_E_NOMEM;
	}
	memcpy(ct->ca_file, cfg->ca_file, sizeof ct->ca_file);
	ct->ca_file[sizeof ct->ca_file - 1] = '\0';
	memcpy(ct->pinned_key, cfg->pinned_key, sizeof ct->pinned_key);
	ct->pinned_key[sizeof ct->pinned_key - 1] = '\0';
	/* A config not read from a file may leave them 0, which libcurl
	 * would take as "the default" and "never": never unbounded here. */
	ct->connect_timeout = cfg->connect_timeout > 0 ? cfg->connect_timeout : 5;
	ct->timeout = cfg->timeout > 0 ? cfg->timeout : 30;
	*out = (tqk_http_transport){.perform = transport_perform, .free = transport_free, .ctx = ct};
	return TQK_OK;
}
