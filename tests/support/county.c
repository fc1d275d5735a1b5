/*
 * county.c - starting, stopping and provisioning a tq-county for the sync
 * tests (county.h).
 *
 * The server is forked and executed with everything prepared before the
 * fork: the child only redirects its output and calls execv, so that it is
 * safe to start a server from a test that runs other threads. Its stdout is
 * a file that we read until the "listening 127.0.0.1:PORT" line shows up
 * (a file, not a pipe: a pipe nobody reads could fill up and stall the
 * server later on).
 */
#define _GNU_SOURCE
#include "county.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "proto/sign.h"
#include "store/apps.h"

#define ADMIN_ARGS_MAX 40

static void why(county *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(county *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof c->why, fmt, ap);
	va_end(ap);
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

static int status_of(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void county_url(int port, char *buf, size_t cap)
{
	snprintf(buf, cap, "http://127.0.0.1:%d", port);
}

/* The port of a "listening 127.0.0.1:PORT" line in the file; 0 while none. */
static int listening_port(const char *path)
{
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return 0;
	char line[256];
	int port = 0;
	while (port == 0 && fgets(line, sizeof line, f) != NULL) {
		unsigned p = 0;
		if (sscanf(line, "listening 127.0.0.1:%u", &p) == 1 && p > 0 && p < 65536)
			port = (int)p;
	}
	fclose(f);
	return port;
}

/*
 * One attempt to start the server on port (0: any). Returns 0 when it said
 * it listens, 1 when it exited before that (the port may be taken), -1 on
 * any other failure.
 */
static int start_once(county *c, int port)
{
	char out_path[700], log_path[700], listen[64];
	snprintf(out_path, sizeof out_path, "%s/server.out", c->dir);
	snprintf(log_path, sizeof log_path, "%s/server.log", c->dir);
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	char *argv[12] = {c->bin, "serve", "--db", c->db, "--listen", listen};
	size_t argc = 6;
	if (c->tls_cert[0] != '\0') {
		argv[argc++] = "--tls-cert";
		argv[argc++] = c->tls_cert;
		argv[argc++] = "--tls-key";
		argv[argc++] = c->tls_key;
	}
	if (c->faults)
		argv[argc++] = "--test-faults";
	argv[argc] = NULL;

	int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int err = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (out < 0 || err < 0) {
		why(c, "%s: %s", out < 0 ? out_path : log_path, strerror(errno));
		if (out >= 0)
			close(out);
		if (err >= 0)
			close(err);
		return -1;
	}
	char banner[128];
	int blen = snprintf(banner, sizeof banner, "--- test: start %u on %s\n", c->starts + 1,
	                    listen);
	if (write(err, banner, (size_t)blen) < 0) {
		/* only a note in the log */
	}

	pid_t pid = fork();
	if (pid < 0) {
		why(c, "fork: %s", strerror(errno));
		close(out);
		close(err);
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls here: the test may run threads. */
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		for (int fd = 3; fd < 1024; fd++)
			close(fd);      /* no test sockets or pipes leak into the server */
		signal(SIGPIPE, SIG_DFL);
		execv(argv[0], argv);
		_exit(127);
	}
	close(out);
	close(err);
	c->pid = pid;
	c->starts++;

	long long deadline = now_ms() + COUNTY_START_MS;
	for (;;) {
		int p = listening_port(out_path);
		if (p > 0) {
			if (port != 0 && p != port) {
				why(c, "asked for port %d, server listens on %d", port, p);
				county_kill(c);
				return -1;
			}
			c->port = p;
			return 0;
		}
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid) {
			c->pid = -1;
			c->exit_status = status_of(st);
			why(c, "%s serve %s exited with %d before listening (see %s)", c->bin, listen,
			    c->exit_status, log_path);
			return 1;
		}
		if (now_ms() > deadline) {
			why(c, "%s serve %s: no \"listening\" line within %d ms", c->bin, listen,
			    COUNTY_START_MS);
			county_kill(c);
			return -1;
		}
		sleep_ms(5);
	}
}

/* bin/tq-county of the build this test program belongs to
 * (BUILD/tests/KIND/test_x or BUILD/bench/bench_x); false when none. */
static bool beside_us(char *out, size_t cap)
{
	char self[1024];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return false;
	self[n] = '\0';
	static const char *const ups[] = {"/../../bin/tq-county", "/../bin/tq-county"};
	char *slash = strrchr(self, '/');
	if (slash == NULL)
		return false;
	*slash = '\0';
	for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
		snprintf(out, cap, "%s%s", self, ups[i]);
		if (access(out, X_OK) == 0)
			return true;
	}
	return false;
}

/* county_start and county_start_tls: cert and key NULL for plain http. */
static int start_first(county *c, const char *dir, bool faults, const char *cert,
                       const char *key)
{
	memset(c, 0, sizeof *c);
	c->pid = -1;
	c->faults = faults;
	if (cert != NULL && key != NULL) {
		snprintf(c->tls_cert, sizeof c->tls_cert, "%s", cert);
		snprintf(c->tls_key, sizeof c->tls_key, "%s", key);
	}
	char found[1100];
	const char *bin = getenv("TQK_COUNTY");
	if ((bin == NULL || bin[0] == '\0') && beside_us(found, sizeof found))
		bin = found;
	if (bin == NULL || bin[0] == '\0') {
		why(c, "TQK_COUNTY is not set (the path of tq-county), and the build has none");
		return -1;
	}
	if (access(bin, X_OK) != 0) {
		why(c, "TQK_COUNTY=%s: %s", bin, strerror(errno));
		return -1;
	}
	snprintf(c->bin, sizeof c->bin, "%s", bin);
	snprintf(c->dir, sizeof c->dir, "%s", dir);
	snprintf(c->db, sizeof c->db, "%s/county.db", dir);
	return start_once(c, 0) == 0 ? 0 : -1;
}

int county_start(county *c, const char *dir, bool faults)
{
	return start_first(c, dir, faults, NULL, NULL);
}

int county_start_tls(county *c, const char *dir, const char *cert, const char *key)
{
	return start_first(c, dir, false, cert, key);
}

int county_restart(county *c)
{
	if (c->pid > 0) {
		why(c, "county_restart: the server (pid %d) still runs", (int)c->pid);
		return -1;
	}
	long long deadline = now_ms() + 8000;
	for (;;) {
		int r = start_once(c, c->port);
		if (r <= 0)
			return r;
		if (now_ms() > deadline)
			return -1;
		sleep_ms(100);
	}
}

/* Waits up to ms for the server to end; true when it did. */
static bool wait_end(county *c, long ms)
{
	long long deadline = now_ms() + ms;
	for (;;) {
		int st;
		pid_t r = waitpid(c->pid, &st, WNOHANG);
		if (r == c->pid || (r < 0 && errno == ECHILD)) {
			c->exit_status = r == c->pid ? status_of(st) : -1;
			c->pid = -1;
			return true;
		}
		if (now_ms() > deadline)
			return false;
		sleep_ms(5);
	}
}

int county_stop(county *c)
{
	if (c->pid <= 0) {
		why(c, "county_stop: no server runs");
		return -1;
	}
	kill(c->pid, SIGTERM);
	if (!wait_end(c, COUNTY_STOP_MS)) {
		why(c, "the server did not exit within %d ms of SIGTERM; killed", COUNTY_STOP_MS);
		county_kill(c);
		return -1;
	}
	if (c->exit_status != 0) {
		why(c, "the server exited with %d after SIGTERM (0 expected)", c->exit_status);
		return -1;
	}
	return 0;
}

void county_kill(county *c)
{
	if (c->pid <= 0)
		return;
	kill(c->pid, SIGKILL);
	wait_end(c, 60000);
}

bool county_reap(county *c)
{
	if (c->pid <= 0)
		return true;
	return wait_end(c, 0);
}

int county_ensure_up(county *c)
{
	if (!county_reap(c))
		return 0;
	return county_restart(c);
}

static int admin_v(county *c, proc_result *out, bool must, va_list ap)
{
	char *argv[ADMIN_ARGS_MAX + 4];
	size_t n = 0;
	argv[n++] = c->bin;
	argv[n++] = "admin";
	argv[n++] = "--db";
	argv[n++] = c->db;
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL) {
		if (n == ADMIN_ARGS_MAX + 3) {
			why(c, "county_admin: too many arguments");
			return -1;
		}
		argv[n++] = (char *)a;
	}
	argv[n] = NULL;
	if (proc_run(argv, NULL, NULL, out) != 0) {
		why(c, "%s: %s", c->bin, strerror(errno));
		return -1;
	}
	if (must && out->status != 0) {
		char cmd[300] = "";
		for (size_t i = 4; i < n; i++) {
			size_t len = strlen(cmd);
			snprintf(cmd + len, sizeof cmd - len, "%s%s", i > 4 ? " " : "", argv[i]);
		}
		why(c, "admin %s: exit %d: %.200s", cmd, out->status, out->err);
		return -1;
	}
	return must ? 0 : out->status;
}

int county_admin(county *c, proc_result *out, ...)
{
	va_list ap;
	va_start(ap, out);
	int r = admin_v(c, out, false, ap);
	va_end(ap);
	return r;
}

int county_admin_ok(county *c, proc_result *out, ...)
{
	va_list ap;
	va_start(ap, out);
	int r = admin_v(c, out, true, ap);
	va_end(ap);
	return r;
}

/* Copies the value of "key=" at a line start in text into buf. */
static bool find_value(const char *text, const char *key, char *buf, size_t cap)
{
	size_t klen = strlen(key);
	for (const char *p = text; p != NULL && *p != '\0';) {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t len = strcspn(v, "\r\n");
			if (len >= cap)
				return false;
			memcpy(buf, v, len);
			buf[len] = '\0';
			return true;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return false;
}

int county_kiosk_add(county *c, const char *site, const char *kiosk,
                     char secret[COUNTY_SECRET_HEX])
{
	proc_result r;
	if (county_admin_ok(c, &r, "kiosk", "add", "--site", site, "--kiosk", kiosk, NULL) != 0)
		return -1;
	bool ok = find_value(r.out, "secret", secret, COUNTY_SECRET_HEX) &&
	          strlen(secret) == COUNTY_SECRET_HEX - 1;
	if (!ok)
		why(c, "kiosk add printed no secret=<64 hex>: %.200s", r.out);
	proc_result_free(&r);
	return ok ? 0 : -1;
}

int county_provision(county *c, const char *site, const char *kiosk, int width, size_t apps,
                     unsigned seed, char secret[COUNTY_SECRET_HEX])
{
	proc_result r;
	char w[16], count[32], sd[32];
	snprintf(w, sizeof w, "%d", width > 0 ? width : 3);
	snprintf(count, sizeof count, "%zu", apps);
	snprintf(sd, sizeof sd, "%u", seed);
	if (county_admin_ok(c, &r, "site", "add", "--site", site, "--name", "长沙县第一确认点",
	                    "--county", "CSX", "--year", "2026", "--site-no", "1", "--width", w,
	                    NULL) != 0)
		return -1;
	proc_result_free(&r);
	if (county_kiosk_add(c, site, kiosk, secret) != 0)
		return -1;
	if (county_admin_ok(c, &r, "clerk", "add", "--site", site, "--clerk", "C007", "--name",
	                    "李老师", "--pin", "1234", NULL) != 0)
		return -1;
	proc_result_free(&r);
	if (county_admin_ok(c, &r, "plan", "set", "--site", site, "--apply",
	                    "2026-03-01..2026-04-30", "--confirm", "2026-05-01..2026-12-31",
	                    "--institutions", "长沙县教育局=2026-03-01..2026-12-31",
	                    "--title", "2026、长沙", NULL) != 0)
		return -1;
	proc_result_free(&r);
	if (apps > 0) {
		if (county_admin_ok(c, &r, "apps", "demo", "--site", site, "--count", count, "--seed",
		                    sd, NULL) != 0)
			return -1;
		proc_result_free(&r);
	}
	return 0;
}

long county_stat(county *c, const char *key)
{
	proc_result r;
	if (county_admin_ok(c, &r, "stats", NULL) != 0)
		return -1;
	char buf[64];
	long v = -1;
	if (find_value(r.out, key, buf, sizeof buf)) {
		char *end;
		v = strtol(buf, &end, 10);
		if (end == buf || *end != '\0')
			v = -1;
	}
	if (v < 0)
		why(c, "admin stats has no number %s=: %.300s", key, r.out);
	proc_result_free(&r);
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void county_free_lines(char **lines, size_t n)
{
	for (size_t i = 0; lines != NULL && i < n; i++)
		free(lines[i]);
	free(lines);
}

int county_confirmation_uuids(county *c, char ***uuids, size_t *n, size_t *dups)
{
	*uuids = NULL;
	*n = 0;
	*dups = 0;
	proc_result r;
	if (county_admin_ok(c, &r, "confirmations", "list", NULL) != 0)
		return -1;
	size_t cap = 0;
	char **v = NULL;
	int rc = 0;
	for (char *line = r.out; line != NULL && *line != '\0';) {
		char *next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		size_t len = strcspn(line, " \t");
		if (len > 0) {
			if (*n == cap) {
				cap = cap != 0 ? 2 * cap : 256;
				char **p = realloc(v, cap * sizeof *p);
				if (p == NULL) {
					rc = -1;
					break;
				}
				v = p;
			}
			v[*n] = strndup(line, len);
			if (v[*n] == NULL) {
				rc = -1;
				break;
			}
			(*n)++;
		}
		line = next;
	}
	proc_result_free(&r);
	if (rc != 0) {
		county_free_lines(v, *n);
		*n = 0;
		why(c, "out of memory");
		return -1;
	}
	if (*n > 1) {
		qsort(v, *n, sizeof *v, cmp_str);
		for (size_t i = 1; i < *n; i++)
			if (strcmp(v[i - 1], v[i]) == 0)
				(*dups)++;
	}
	*uuids = v;
	return 0;
}

static size_t sink(char *p, size_t size, size_t n, void *ctx)
{
	(void)p, (void)ctx;
	return size * n;
}

int county_fault(county *c, const char *name, int count, int ms)
{
	char url[128], body[256];
	county_url(c->port, url, sizeof url);
	strncat(url, "/test/fault", sizeof url - strlen(url) - 1);
	snprintf(body, sizeof body, "{\"fault\": \"%s\", \"count\": %d, \"ms\": %d}", name, count,
	         ms);
	CURL *h = curl_easy_init();
	if (h == NULL) {
		why(c, "curl_easy_init failed");
		return -1;
	}
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	CURLcode cc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	if (cc != CURLE_OK || status != 200) {
		why(c, "POST /test/fault %s: %s, status %ld", name, curl_easy_strerror(cc), status);
		return -1;
	}
	return 0;
}

void county_dump_log(const county *c, size_t max)
{
	char path[700];
	snprintf(path, sizeof path, "%s/server.log", c->dir);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return;
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && (size_t)st.st_size > max)
		fseek(f, (long)((size_t)st.st_size - max), SEEK_SET);
	char buf[4096];
	size_t n;
	fprintf(stderr, "# --- %s (last %zu bytes) ---\n", path, max);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stderr);
	fprintf(stderr, "# --- end of server log ---\n");
	fclose(f);
}

int county_kiosk_config(tqk_sync_config *cfg, int port, const char *kiosk, const char *secret,
                        int timeout_s, int batch)
{
	tqk_sync_config_defaults(cfg);
	county_url(port, cfg->url, sizeof cfg->url);
	snprintf(cfg->kiosk, sizeof cfg->kiosk, "%s", kiosk);
	if (!tqk_hex_decode(secret, cfg->secret, sizeof cfg->secret))
		return -1;
	cfg->connect_timeout = 1;
	cfg->timeout = timeout_s;
	cfg->backoff_cap = 2;
	if (batch > 0)
		cfg->batch = batch;
	return 0;
}

tqk_store *county_kiosk_store(const char *path, const char *kiosk, int width)
{
	return county_kiosk_store_serials(path, kiosk, width, 0, 0);
}

tqk_store *county_kiosk_store_serials(const char *path, const char *kiosk, int width,
                                      unsigned first, unsigned last)
{
	tqk_store *s = NULL;
	tqk_store_options opt = {.create = true};
	char detail[TQK_STORE_DETAIL_CAP] = "";
	tqk_err err = tqk_store_open(path, &opt, &s, detail);
	if (err != TQK_OK) {
		fprintf(stderr, "# %s: %s (%s)\n", path, tqk_err_code(err), detail);
		return NULL;
	}
	tqk_site site = {"S01", "", "CSX", 2026, 1, width > 0 ? width : 3, first, last};
	snprintf(site.kiosk, sizeof site.kiosk, "%s", kiosk);
	err = tqk_store_site_set(s, &site, time(NULL));
	if (err != TQK_OK) {
		fprintf(stderr, "# %s: site: %s (%s)\n", path, tqk_err_code(err),
		        tqk_store_detail(s));
		tqk_store_free(s);
		return NULL;
	}
	return s;
}

int county_kiosk_submitted(tqk_store *s, char reg_no[TQK_CODE_CAP])
{
	static _Thread_local tqk_page page;
	if (tqk_store_page(s, TQK_ST_SUBMITTED, NULL, NULL, &page) != TQK_OK || page.n == 0)
		return -1;
	memcpy(reg_no, page.rows[0].reg_no, TQK_CODE_CAP);
	return 0;
}
