/*
 * test_sync_proxy.c - the fault-injecting proxy (tests/support/faultproxy)
 * checked against a tiny HTTP server of its own, so that the sync tests can
 * trust what it does: a fault the proxy says it made is the fault the
 * client and the server saw.
 *
 * The server here counts complete requests (header and Content-Length bytes
 * of body) and answers each with a body of REPLY_LEN bytes. libcurl is the
 * client, as in the kiosk.
 */
#define _GNU_SOURCE  /* memmem, strcasestr */
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "support/faultproxy.h"

#define REPLY_LEN 1000
#define BIG_BODY (300u << 10)   /* more than the proxy's buffer */

static int srv_fd = -1, srv_port;
static pthread_t srv_thread;
static atomic_int srv_complete;         /* complete requests received */
static atomic_int srv_posts;            /* of those, POSTs with their whole body */
static atomic_bool srv_stop;

/* Reads one request from fd; 1 complete (is_post set), 0 EOF or broken. */
static int read_request(int fd, bool *is_post)
{
	static _Thread_local char head[16384];
	size_t len = 0;
	char *end = NULL;
	while (end == NULL) {
		if (len == sizeof head)
			return 0;
		ssize_t n = recv(fd, head + len, sizeof head - len, 0);
		if (n <= 0)
			return 0;
		len += (size_t)n;
		end = memmem(head, len, "\r\n\r\n", 4);
	}
	size_t hlen = (size_t)(end - head) + 4;
	size_t body = 0;
	char *cl = strcasestr(head, "\r\ncontent-length:");
	if (cl != NULL && cl < end)
		body = strtoul(cl + 17, NULL, 10);
	size_t have = len - hlen;
	char buf[65536];
	while (have < body) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n <= 0)
			return 0;
		have += (size_t)n;
	}
	*is_post = strncmp(head, "POST ", 5) == 0;
	return 1;
}

static void *serve_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct timeval tv = {10, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	bool post;
	while (read_request(fd, &post) == 1) {
		atomic_fetch_add(&srv_complete, 1);
		if (post)
			atomic_fetch_add(&srv_posts, 1);
		char reply[REPLY_LEN + 128];
		int h = snprintf(reply, sizeof reply,
		                 "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: text/plain\r\n\r\n",
		                 REPLY_LEN);
		memset(reply + h, 'x', REPLY_LEN);
		if (send(fd, reply, (size_t)h + REPLY_LEN, MSG_NOSIGNAL) < 0)
			break;
	}
	close(fd);
	return NULL;
}

static void *serve(void *arg)
{
	(void)arg;
	while (!atomic_load(&srv_stop)) {
		struct pollfd p = {srv_fd, POLLIN, 0};
		if (poll(&p, 1, 100) <= 0)
			continue;
		int fd = accept(srv_fd, NULL, NULL);
		if (fd < 0)
			continue;
		pthread_t t;
		if (pthread_create(&t, NULL, serve_conn, (void *)(intptr_t)fd) == 0)
			pthread_detach(t);
		else
			close(fd);
	}
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	srv_fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof a;
	if (srv_fd < 0 || bind(srv_fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(srv_fd, 16) != 0 || getsockname(srv_fd, (struct sockaddr *)&a, &alen) != 0)
		return -1;
	srv_port = ntohs(a.sin_port);
	return pthread_create(&srv_thread, NULL, serve, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	atomic_store(&srv_stop, true);
	pthread_join(srv_thread, NULL);
	close(srv_fd);
	curl_global_cleanup();
	return 0;
}

struct got {
	size_t len;
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	((struct got *)ctx)->len += size * n;
	return size * n;
}

/* One request through the proxy on handle h (NULL: a fresh handle); the
 * body received in *len, the status in *status. */
static CURLcode request(CURL *h, int port, const char *method, size_t body_len, long timeout_ms,
                        size_t *len, long *status)
{
	bool own = h == NULL;
	if (own)
		h = curl_easy_init();
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/%s", port,
	         strcmp(method, "POST") == 0 ? "confirmations" : "time");
	char *body = NULL;
	struct curl_slist *hdr = curl_slist_append(NULL, "Expect:");
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	struct got got = {0};
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);
	if (strcmp(method, "POST") == 0) {
		body = malloc(body_len + 1);
		memset(body, 'b', body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	}
	CURLcode rc = curl_easy_perform(h);
	*status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	*len = got.len;
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
	curl_slist_free_all(hdr);
	free(body);
	if (own)
		curl_easy_cleanup(h);
	return rc;
}

/* Waits until the server has counted n complete requests (it may lag the
 * client by a moment), up to 2 s; returns the count. */
static int complete_after(int n)
{
	for (int i = 0; i < 200 && atomic_load(&srv_complete) < n; i++)
		usleep(10000);
	return atomic_load(&srv_complete);
}

static void passes_requests_untouched(void **state)
{
	(void)state;
	faultproxy *p = fp_start(srv_port);
	assert_non_null(p);
	int before = atomic_load(&srv_complete);
	CURL *h = curl_easy_init();
	size_t len;
	long status;
	assert_int_equal(request(h, fp_port(p), "GET", 0, 5000, &len, &status), CURLE_OK);
	assert_int_equal(status, 200);
	assert_int_equal(len, REPLY_LEN);
	/* a body larger than the proxy's buffer, on the same connection */
	assert_int_equal(request(h, fp_port(p), "POST", BIG_BODY, 5000, &len, &status), CURLE_OK);
	assert_int_equal(len, REPLY_LEN);
	curl_easy_cleanup(h);
	assert_int_equal(complete_after(before + 2), before + 2);
	fp_stats st;
	fp_get_stats(p, &st);
	assert_int_equal(st.connections, 1);
	assert_int_equal(st.requests, 2);
	assert_true(st.up > BIG_BODY);
	for (int m = 0; m < FP_MODES; m++)
		assert_int_equal(st.faults[m], 0);
	fp_stop(p);
}

static void refuses_connections(void **state)
{
	(void)state;
	faultproxy *p = fp_start(srv_port);
	assert_non_null(p);
	fp_set(p, FP_REFUSE, 0, NULL, -1);
	int before = atomic_load(&srv_complete);
	size_t len;
	long status;
	assert_int_not_equal(request(NULL, fp_port(p), "GET", 0, 2000, &len, &status), CURLE_OK);
	assert_int_equal(status, 0);
	fp_clear(p);
	assert_int_equal(request(NULL, fp_port(p), "GET", 0, 2000, &len, &status), CURLE_OK);
	assert_int_equal(complete_after(before + 1), before + 1);
	fp_stats st;
	fp_get_stats(p, &st);
	assert_int_equal(st.faults[FP_REFUSE], 1);
	fp_stop(p);
}

/* A reset in the request: the server never gets a whole POST; a GET on the
 * same connection before it passes (the fault is aimed at "POST"). */
static void resets_within_the_request(void **state)
{
	(void)state;
	faultproxy *p = fp_start(srv_port);
	assert_non_null(p);
	fp_set(p, FP_RESET_REQUEST, 60, "POST ", -1);
	int posts = atomic_load(&srv_posts);
	CURL *h = curl_easy_init();
	size_t len;
	long status;
	assert_int_equal(request(h, fp_port(p), "GET", 0, 2000, &len, &status), CURLE_OK);
	assert_int_equal(len, REPLY_LEN);
	assert_int_not_equal(request(h, fp_port(p), "POST", 5000, 2000, &len, &status), CURLE_OK);
	curl_easy_cleanup(h);
	usleep(100000);
	assert_int_equal(atomic_load(&srv_posts), posts);
	fp_stats st;
	fp_get_stats(p, &st);
	assert_true(st.faults[FP_RESET_REQUEST] >= 1);
	fp_stop(p);
}

/* A reset in the reply: the server got the whole request, the client an error. */
static void resets_within_the_reply(void **state)
{
	(void)state;
	faultproxy *p = fp_start(srv_port);
	assert_non_null(p);
	fp_set(p, FP_RESET_REPLY, 10, "POST ", -1);
	int posts = atomic_load(&srv_posts);
	size_t len;
	long status;
	assert_int_not_equal(request(NULL, fp_port(p), "POST", 5000, 2000, &len, &status), CURLE_OK);
	assert_true(len < REPLY_LEN);
	for (int i = 0; i < 200 && atomic_load(&srv_posts) == posts; i++)
		usleep(10000);
	assert_int_equal(atomic_load(&srv_posts), posts + 1);
	fp_stop(p);
}

static void stalls_until_the_client_gives_up(void **state)
{
	(void)state;
	faultproxy *p = fp_start(srv_port);
	assert_non_null(p);
	fp_set(p, FP_STALL, 0, "POST ", 1);
	int posts = atomic_load(&srv_posts);
	size_t len;
	long status;
	assert_int_equal(request(NULL, fp_port(p), "POST", 5000, 700, &len, &status),
	                 CURLE_OPERATION_TIMEDOUT);
	usleep(100000);
	assert_int_equal(atomic_load(&srv_posts), posts);
	/* count 1: the next one passes */
	assert_int_equal(request(NULL, fp_port(p), "POST", 5000, 2000, &len, &status), CURLE_OK);
	assert_int_equal(len, REPLY_LEN);
	fp_stats st;
	fp_get_stats(p, &st);
	assert_int_equal(st.faults[FP_STALL], 1);
	fp_stop(p);
}

static void truncates_the_reply(void **state)
{
	(void)state;
	faultproxy *p = fp_start(srv_port);
	assert_non_null(p);
	fp_set(p, FP_TRUNCATE_REPLY, 120, NULL, 1);
	size_t len;
	long status;
	assert_int_equal(request(NULL, fp_port(p), "POST", 100, 2000, &len, &status),
	                 CURLE_PARTIAL_FILE);
	assert_true(len > 0 && len < REPLY_LEN);
	assert_int_equal(request(NULL, fp_port(p), "POST", 100, 2000, &len, &status), CURLE_OK);
	fp_stop(p);
}

/* Random mode: the same seed makes the same faults; the others pass. Every
 * request is a POST of 3000 bytes on a fresh connection, so each fault
 * drawn (K < 500) breaks its request and libcurl cannot retry it silently. */
static void random_faults_repeat_with_the_seed(void **state)
{
	(void)state;
	unsigned long runs[2][FP_MODES];
	for (int run = 0; run < 2; run++) {
		faultproxy *p = fp_start(srv_port);
		assert_non_null(p);
		fp_random(p, 42, 50, 500);   /* K below any request's or reply's length */
		int ok = 0;
		for (int i = 0; i < 40; i++) {
			size_t len;
			long status;
			if (request(NULL, fp_port(p), "POST", 3000, 400, &len, &status) == CURLE_OK &&
			    len == REPLY_LEN)
				ok++;
		}
		fp_stats st;
		fp_get_stats(p, &st);
		memcpy(runs[run], st.faults, sizeof runs[run]);
		unsigned long faults = 0;
		for (int m = 1; m < FP_MODES; m++)
			faults += st.faults[m];
		assert_true(ok > 5);
		assert_true(faults > 5);
		assert_int_equal((unsigned long)ok + faults, 40);
		fp_stop(p);
	}
	assert_memory_equal(runs[0], runs[1], sizeof runs[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(passes_requests_untouched),
		cmocka_unit_test(refuses_connections),
		cmocka_unit_test(resets_within_the_request),
		cmocka_unit_test(resets_within_the_reply),
		cmocka_unit_test(stalls_until_the_client_gives_up),
		cmocka_unit_test(truncates_the_reply),
		cmocka_unit_test(random_faults_repeat_with_the_seed),
	};
	return cmocka_run_group_tests_name("sync_proxy", tests, setup, teardown);
}
