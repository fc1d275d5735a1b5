/*
 * test_county.c - the county server tq-county ($TQK_COUNTY), run as the
 * institution and the kiosks use it.
 *
 * The admin commands run as programs (success and refusals, exit statuses,
 * what they print); the server is started on port 0 in a scratch directory
 * (its "listening" line parsed) and spoken to over libcurl with requests
 * signed by tqk_sign, as a kiosk signs them: every endpoint's happy path,
 * every authentication refusal with its status and nothing stored (checked
 * with `admin stats`), oversized bodies, a batch with stored / duplicate /
 * conflict / rejected results, archive numbers unique per site (taken by
 * another application, outside a kiosk's serials), paging by cursor across
 * decisions, walk-in
 * applications, the test faults, and SIGTERM under load (exit 0, every
 * acknowledged record present).
 */
#define _GNU_SOURCE
#include "test.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <sodium.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/uuid.h"
#include "proto/api.h"
#include "proto/json.h"
#include "proto/sign.h"
#include "support/expect.h"
#include "support/fixture.h"

#define APPS 30             /* applications imported for S01 (S02 gets 5) */

typedef struct world {
	char dir[512];
	char db[600];
	uint8_t key1[TQK_SIGN_KEY_LEN];     /* kiosk K01 of S01 */
	uint8_t key2[TQK_SIGN_KEY_LEN];     /* kiosk K02 of S02 */
	pid_t pid;                          /* the server, 0 when not running */
	int port;
} world;

/* The value of key=... in `admin stats`. */
static long stat_of(world *w, const char *key)
{
	proc_result r;
	ADMIN(&r, w->db, "stats");
	expect_status(&r, 0);
	char value[32];
	kv_get(&r, key, value, sizeof value);
	long v = strtol(value, NULL, 10);
	proc_result_free(&r);
	return v;
}

/* Writes text to dir/name; the path into path. */
static void write_file(world *w, const char *name, const char *text, char *path, size_t cap)
{
	snprintf(path, cap, "%s/%s", w->dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The import file of applications first..first+n-1 of site. */
static char *import_text(unsigned first, unsigned n, const char *site)
{
	json_t *list = json_array();
	for (unsigned i = first; i < first + n; i++) {
		tqk_application a;
		fixture_app(i, site, &a);
		json_array_append_new(list, tqk_json_application_encode(&a));
	}
	json_t *doc = json_pack("{s:s, s:o}", "cursor", "", "applications", list);
	char *text = tqk_json_dump(doc);
	json_decref(doc);
	return text;
}

/* Parses "secret=<hex>" of `kiosk add` into key. */
static void read_secret(const char *out, uint8_t key[TQK_SIGN_KEY_LEN])
{
	const char *p = strstr(out, "secret=");
	assert_non_null(p);
	char hex[TQK_SIGN_KEY_HEX];
	memcpy(hex, p + 7, 64);
	hex[64] = '\0';
	assert_true(tqk_hex_decode(hex, key, TQK_SIGN_KEY_LEN));
}

/* A database with sites S01 (CSX 2026 01) and S02 (CSX 2026 02), kiosks K01
 * and K02, clerk C007 at S01, a plan for S01, APPS applications at S01 and
 * 5 at S02. */
static void make_world(world *w)
{
	memset(w, 0, sizeof *w);
	fixture_tmpdir(w->dir, sizeof w->dir);
	snprintf(w->db, sizeof w->db, "%s/county.db", w->dir);
	ADMIN_EXPECT(w->db, 0, "created=true", "site", "add", "--site", "S01", "--name", "星沙确认点",
	             "--county", "CSX", "--year", "2026", "--site-no", "1");
	ADMIN_EXPECT(w->db, 0, "created=true", "site", "add", "--site", "S02", "--name", "榔梨确认点",
	             "--county", "CSX", "--year", "2026", "--site-no", "2");
	proc_result r;
	ADMIN(&r, w->db, "kiosk", "add", "--site", "S01", "--kiosk", "K01");
	expect_status(&r, 0);
	read_secret(r.out, w->key1);
	proc_result_free(&r);
	ADMIN(&r, w->db, "kiosk", "add", "--site", "S02", "--kiosk", "K02");
	expect_status(&r, 0);
	read_secret(r.out, w->key2);
	proc_result_free(&r);
	ADMIN_EXPECT(w->db, 0, "clerk=C007", "clerk", "add", "--site", "S01", "--clerk", "C007",
	             "--name", "王老师", "--pin", "1234");
	ADMIN_EXPECT(w->db, 0, "rev=1", "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29");
	char path[700];
	char *text = import_text(0, APPS, "S01");
	write_file(w, "s01.json", text, path, sizeof path);
	free(text);
	ADMIN_EXPECT(w->db, 0, "inserted=30", "apps", "import", path);
	text = import_text(1000, 5, "S02");
	write_file(w, "s02.json", text, path, sizeof path);
	free(text);
	ADMIN_EXPECT(w->db, 0, "inserted=5", "apps", "import", path);
}

/* ---- the server ---- */

/* Starts `serve` on port 0 (extra flag may be NULL) and waits for its
 * listening line. */
static void server_start(world *w, const char *flag)
{
	int fds[2];
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	char errlog[700];
	snprintf(errlog, sizeof errlog, "%s/serve.log", w->dir);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		int fd = open(errlog, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		char *argv[] = {(char *)county_bin(), "serve", "--db", w->db, "--listen", "127.0.0.1:0",
		                (char *)flag, NULL};
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	char line[128];
	size_t len = 0;
	struct pollfd p = {fds[0], POLLIN, 0};
	while (len < sizeof line - 1 && memchr(line, '\n', len) == NULL) {
		if (poll(&p, 1, 10000) <= 0)
			break;
		ssize_t n = read(fds[0], line + len, sizeof line - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fds[0]);
	line[len] = '\0';
	int port = 0;
	if (sscanf(line, "listening 127.0.0.1:%d", &port) != 1 || port <= 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("no listening line: \"%s\"", line);
	}
	w->pid = pid;
	w->port = port;
}

/* Sends sig to the server and returns its exit status (128 + signal when
 * killed). */
static int server_stop(world *w, int sig)
{
	if (w->pid <= 0)
		return -1;
	if (sig != 0)
		kill(w->pid, sig);
	int status = 0;
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int setup(void **state)
{
	world *w = malloc(sizeof *w);
	make_world(w);
	server_start(w, "--test-faults");
	*state = w;
	return 0;
}

static int setup_cli(void **state)
{
	world *w = malloc(sizeof *w);
	make_world(w);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	if (w->pid > 0)
		server_stop(w, SIGKILL);
	fixture_rmdir(w->dir);
	free(w);
	return 0;
}

/* ---- HTTP ---- */

typedef struct reply {
	long status;            /* 0 when the connection failed */
	char *body;
	size_t len;
	json_t *json;           /* the body parsed, or NULL */
} reply;

static size_t sink(char *data, size_t size, size_t n, void *ctx)
{
	reply *r = ctx;
	size_t k = size * n;
	char *grown = realloc(r->body, r->len + k + 1);
	if (grown == NULL)
		return 0;
	r->body = grown;
	memcpy(r->body + r->len, data, k);
	r->len += k;
	r->body[r->len] = '\0';
	return k;
}

static void reply_free(reply *r)
{
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof *r);
}

/* How a request is signed: by kiosk with key at time `at` with nonce (NULL
 * for fresh); kiosk NULL sends no signature headers. */
typedef struct signer {
	const char *kiosk;
	const uint8_t *key;
	int64_t at;             /* 0: now */
	const char *nonce;
	bool bad_signature;
	const char *signed_body;    /* sign over this instead of the body sent */
	const char *send_nonce;     /* send this X-TQK-Nonce instead of the signed one */
	const char *signed_target;  /* sign over this instead of the target sent */
} signer;

static void http(world *w, const char *method, const char *target, const char *body, size_t len,
                 const signer *s, reply *out)
{
	memset(out, 0, sizeof *out);
	CURL *c = curl_easy_init();
	assert_non_null(c);
	char url[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", w->port, target);
	struct curl_slist *h = curl_slist_append(NULL, "Expect:");
	h = curl_slist_append(h, "Content-Type: application/json");
	if (s != NULL && s->kiosk != NULL) {
		char nonce[TQK_SIGN_NONCE_HEX], sig[TQK_SIGN_HEX], line[160];
		if (s->nonce != NULL)
			snprintf(nonce, sizeof nonce, "%s", s->nonce);
		else
			tqk_sign_nonce(nonce);
		int64_t at = s->at != 0 ? s->at : (int64_t)time(NULL);
		const char *sb = s->signed_body != NULL ? s->signed_body : body;
		size_t sl = s->signed_body != NULL ? strlen(s->signed_body) : len;
		const char *st = s->signed_target != NULL ? s->signed_target : target;
		assert_int_equal(tqk_sign(s->key, method, st, at, nonce, sb, sl, sig), TQK_OK);
		if (s->bad_signature)
			sig[0] = sig[0] == '0' ? '1' : '0';
		snprintf(line, sizeof line, "%s: %s", TQK_HDR_KIOSK, s->kiosk);
		h = curl_slist_append(h, line);
		snprintf(line, sizeof line, "%s: %lld", TQK_HDR_TIME, (long long)at);
		h = curl_slist_append(h, line);
		snprintf(line, sizeof line, "%s: %s", TQK_HDR_NONCE,
		         s->send_nonce != NULL ? s->send_nonce : nonce);
		h = curl_slist_append(h, line);
		snprintf(line, sizeof line, "%s: %s", TQK_HDR_SIGNATURE, sig);
		h = curl_slist_append(h, line);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body != NULL ? body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	else
		out->status = 0;
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (out->body != NULL)
		out->json = json_loadb(out->body, out->len, 0, NULL);
}

/* Signed by K01 (S01), now, fresh nonce. */
static signer k1(world *w)
{
	return (signer){"K01", w->key1, 0, NULL, false, NULL, NULL, NULL};
}

static void get1(world *w, const char *target, reply *out)
{
	signer s = k1(w);
	http(w, "GET", target, NULL, 0, &s, out);
}

static void post1(world *w, const char *target, const char *body, reply *out)
{
	signer s = k1(w);
	http(w, "POST", target, body, strlen(body), &s, out);
}

/* Asserts status and, when code is not NULL, {"error": code}. */
static void expect_reply(reply *r, long status, const char *code)
{
	if (r->status != status)
		fail_msg("HTTP %ld (want %ld): %s", r->status, status, r->body != NULL ? r->body : "");
	if (code != NULL) {
		const char *got = json_string_value(json_object_get(r->json, "error"));
		if (got == NULL || strcmp(got, code) != 0)
			fail_msg("error %s (want %s): %s", got != NULL ? got : "none", code,
			         r->body != NULL ? r->body : "");
		assert_non_null(json_string_value(json_object_get(r->json, "message")));
	}
}

/* ---- records ---- */

/* A fresh uuid. */
static void new_uuid(char out[TQK_UUID_CAP])
{
	uint8_t b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)(rand() & 0xff);
	tqk_uuid_format(b, out);
}

/* A complete confirmation of reg_no by kiosk of site, as JSON. Its archive
 * number takes the next serial of 1..899 (the server refuses one number on
 * two applications' bags; 900..999 are left for the tests that choose). */
static json_t *record(const char *uuid, const char *reg_no, const char *site, const char *kiosk)
{
	static unsigned next;
	unsigned serial = __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) % 899 + 1;
	tqk_confirmation c;
	fixture_confirmation(reg_no, &c);
	snprintf(c.uuid, sizeof c.uuid, "%s", uuid);
	snprintf(c.site, sizeof c.site, "%s", site);
	snprintf(c.kiosk, sizeof c.kiosk, "%s", kiosk);
	snprintf(c.archive_no, sizeof c.archive_no, "CSX202601%03u", serial);
	c.at = (tqk_time)time(NULL) - 60;
	return tqk_json_confirmation_encode(&c);
}

/* record() with the archive number archive_no and supersedes (may be NULL). */
static json_t *record_no(const char *uuid, const char *reg_no, const char *kiosk,
                         const char *archive_no, const char *supersedes)
{
	json_t *o = record(uuid, reg_no, "S01", kiosk);
	json_object_set_new(o, "archive_no", json_string(archive_no));
	if (supersedes != NULL)
		json_object_set_new(o, "supersedes", json_string(supersedes));
	return o;
}

/* {"records": [...]} of the records given (references taken), as text. */
static char *batch(size_t n, json_t **recs)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, recs[i]);
	json_t *doc = json_pack("{s:o}", "records", list);
	char *text = tqk_json_dump(doc);
	json_decref(doc);
	return text;
}

static const char *result_status(reply *r, size_t i)
{
	const json_t *res = json_array_get(json_object_get(r->json, "results"), i);
	const char *s = json_string_value(json_object_get(res, "status"));
	return s != NULL ? s : "(none)";
}

static const char *result_error(reply *r, size_t i)
{
	const json_t *res = json_array_get(json_object_get(r->json, "results"), i);
	const char *s = json_string_value(json_object_get(res, "error"));
	return s != NULL ? s : "";
}

static char *reg(unsigned i)
{
	static char buf[8][TQK_CODE_CAP];
	static int k;
	char *b = buf[k++ % 8];
	snprintf(b, TQK_CODE_CAP, "2026%010u", i);
	return b;
}

/* ========================= admin commands ========================= */

static void admin_sites_kiosks_clerks(void **state)
{
	world *w = *state;
	/* The same site again changes nothing; other values are refused. */
	ADMIN_EXPECT(w->db, 0, "created=false", "site", "add", "--site", "S01", "--name", "星沙确认点",
	             "--county", "CSX", "--year", "2026", "--site-no", "1");
	ADMIN_EXPECT(w->db, 1, "error=store.exists", "site", "add", "--site", "S01", "--name",
	             "另一个", "--county", "CSX", "--year", "2026", "--site-no", "1");
	ADMIN_EXPECT(w->db, 1, "error=store.exists", "site", "add", "--site", "S03", "--name", "重号",
	             "--county", "CSX", "--year", "2026", "--site-no", "2");
	ADMIN_EXPECT(w->db, 1, "error=archive.county", "site", "add", "--site", "S04", "--name",
	             "x", "--county", "csx", "--year", "2026", "--site-no", "4");
	ADMIN_EXPECT(w->db, 1, "error=archive.site", "site", "add", "--site", "S04", "--name", "x",
	             "--county", "CSX", "--year", "2026", "--site-no", "100");
	ADMIN_EXPECT(w->db, 2, NULL, "site", "add", "--site", "S04", "--name", "x", "--county",
	             "CSX");
	ADMIN_EXPECT(w->db, 2, NULL, "site", "remove", "--site", "S01");
	ADMIN_EXPECT(w->db, 2, NULL, "site", "add", "--bogus", "1");

	/* Kiosks: a secret of 64 hex digits, printed once; never twice the same id. */
	proc_result r;
	ADMIN(&r, w->db, "kiosk", "add", "--site", "S01", "--kiosk", "K03");
	expect_status(&r, 0);
	expect_out(&r, "kiosk=K03\n");
	uint8_t key[TQK_SIGN_KEY_LEN];
	read_secret(r.out, key);
	assert_memory_not_equal(key, w->key1, sizeof key);
	proc_result_free(&r);
	ADMIN_EXPECT(w->db, 1, "error=store.exists", "kiosk", "add", "--site", "S01", "--kiosk",
	             "K03");
	ADMIN_EXPECT(w->db, 1, "error=store.not_found", "kiosk", "add", "--site", "S09", "--kiosk",
	             "K09");
	ADMIN_EXPECT(w->db, 1, "error=record.field_value", "kiosk", "add", "--site", "S01",
	             "--kiosk", "K 1");
	ADMIN_EXPECT(w->db, 0, "active=false", "kiosk", "disable", "--kiosk", "K03");
	ADMIN_EXPECT(w->db, 1, "error=store.not_found", "kiosk", "disable", "--kiosk", "K09");
	assert_int_equal(stat_of(w, "kiosks"), 3);

	/* Clerks: the PIN from --pin or stdin, 4-8 digits, stored as argon2id. */
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "echo 987654 | '%s' admin --db '%s' clerk add --site S01 "
	         "--clerk C008 --name 李老师", county_bin(), w->db);
	char *argv[] = {"/bin/sh", "-c", cmd, NULL};
	assert_int_equal(proc_run(argv, NULL, NULL, &r), 0);
	expect_status(&r, 0);
	expect_out(&r, "clerk=C008\n");
	proc_result_free(&r);
	snprintf(cmd, sizeof cmd, "echo 12a4 | '%s' admin --db '%s' clerk add --site S01 "
	         "--clerk C009 --name 赵老师", county_bin(), w->db);
	assert_int_equal(proc_run(argv, NULL, NULL, &r), 0);
	expect_status(&r, 1);
	proc_result_free(&r);
	ADMIN_EXPECT(w->db, 1, NULL, "clerk", "add", "--site", "S01", "--clerk", "C009", "--name",
	             "赵", "--pin", "123");
	ADMIN_EXPECT(w->db, 1, "error=store.not_found", "clerk", "add", "--site", "S09", "--clerk",
	             "C009", "--name", "赵", "--pin", "1234");
	assert_int_equal(stat_of(w, "clerks"), 2);

	/* The database file is the owner's alone. */
	struct stat sb;
	assert_int_equal(stat(w->db, &sb), 0);
	assert_int_equal(sb.st_mode & 077, 0);

	/* English on request; a missing --db is a usage error. */
	tool_run(&r, county_bin(), NULL, NULL, TOOL_ARGS("--lang", "en", "admin", "--db", w->db,
	                                                 "kiosk", "disable", "--kiosk", "K09"));
	expect_status(&r, 1);
	expect_err(&r, "no such record");
	proc_result_free(&r);
	tool_run(&r, county_bin(), NULL, NULL, TOOL_ARGS("admin", "stats"));
	expect_status(&r, 2);
	proc_result_free(&r);
	/* Only site add (and serve) create a database; a typo is not a new one. */
	char missing[700];
	snprintf(missing, sizeof missing, "%s/typo.db", w->dir);
	ADMIN(&r, missing, "stats");
	expect_status(&r, 2);
	expect_out(&r, "error=store.missing");
	proc_result_free(&r);
	assert_int_equal(access(missing, F_OK), -1);
}

static void admin_plan(void **state)
{
	world *w = *state;
	/* The same plan keeps its rev; a change makes the next one. */
	ADMIN_EXPECT(w->db, 0, "rev=1\nchanged=false", "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29");
	ADMIN_EXPECT(w->db, 0, "rev=2\nchanged=true", "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29", "--hours",
	             "09:00-17:00");
	ADMIN_EXPECT(w->db, 1, "error=window.period", "plan", "set", "--site", "S01", "--apply",
	             "2026-04-30..2026-03-01", "--confirm", "2026-05-06..2026-05-29");
	ADMIN_EXPECT(w->db, 1, "error=window.hours", "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29", "--hours",
	             "18:00-08:00");
	ADMIN_EXPECT(w->db, 1, "error=store.not_found", "plan", "set", "--site", "S09", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29");
	ADMIN_EXPECT(w->db, 2, NULL, "plan", "set", "--site", "S01", "--confirm",
	             "2026-05-06..2026-05-29");
	char path[700];
	write_file(w, "bad.cal", "not a calendar\n", path, sizeof path);
	ADMIN_EXPECT(w->db, 1, "error=calendar.", "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29", "--calendar",
	             path);
	ADMIN_EXPECT(w->db, 2, NULL, "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29", "--calendar",
	             "/nonexistent/cn.cal");

	/* The institutions a walk-in may choose, with their windows: a change
	 * of the plan like any other, refused when malformed. */
	ADMIN_EXPECT(w->db, 0, "rev=3\nchanged=true", "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29", "--hours",
	             "09:00-17:00", "--institutions",
	             "长沙县教育局=2026-03-01..2026-06-30;浏阳市教育局=2026-04-01..2026-04-30");
	ADMIN_EXPECT(w->db, 0, "rev=3\nchanged=false", "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29", "--hours",
	             "09:00-17:00", "--institutions",
	             "长沙县教育局=2026-03-01..2026-06-30;浏阳市教育局=2026-04-01..2026-04-30");
	static const char *const bad[] = {
		"长沙县教育局", "长沙县教育局=2026-06-30..2026-03-01", "=2026-03-01..2026-06-30",
		"长沙县教育局=2026-03-01..2026-06-30;长沙县教育局=2026-04-01..2026-04-30",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ADMIN_EXPECT(w->db, 1, "error=", "plan", "set", "--site", "S01", "--apply",
		             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29",
		             "--institutions", bad[i]);
	/* The archive bags' title: one line. */
	ADMIN_EXPECT(w->db, 0, "rev=4\nchanged=true", "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29", "--hours",
	             "09:00-17:00", "--institutions",
	             "长沙县教育局=2026-03-01..2026-06-30;浏阳市教育局=2026-04-01..2026-04-30",
	             "--title", "2026、长沙");
	ADMIN_EXPECT(w->db, 1, "error=", "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-05-29",
	             "--title", "2026\n长沙");
	/* The county's own hierarchies: in every plan, each change a new rev. */
	static const char nations[] = "tqk-tree 1 nations\n01 汉族\n02 蒙古族\n";
	write_file(w, "nations.tree", nations, path, sizeof path);
	ADMIN_EXPECT(w->db, 0, "kind=nations\nnodes=2\nchanged=true", "tree", "set", "nations",
	             path);
	ADMIN_EXPECT(w->db, 0, "changed=false", "tree", "set", "nations", path);
	ADMIN_EXPECT(w->db, 1, "error=record.field_value", "tree", "set", "cities", path);
	ADMIN_EXPECT(w->db, 1, "error=tree.header", "tree", "set", "titles", path);
	write_file(w, "bad.tree", "tqk-tree 1 titles\n\t\tdeep\n", path, sizeof path);
	ADMIN_EXPECT(w->db, 1, "error=tree.", "tree", "set", "titles", path);
	ADMIN_EXPECT(w->db, 2, NULL, "tree", "set", "titles", "/nonexistent.tree");
	ADMIN_EXPECT(w->db, 2, NULL, "tree", "set", "titles");

	server_start(w, NULL);
	reply r;
	get1(w, "/v1/plan", &r);
	expect_reply(&r, 200, NULL);
	const json_t *insts = json_object_get(r.json, "institutions");
	assert_int_equal(json_array_size(insts), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(insts, 1), "name")),
	                    "浏阳市教育局");
	assert_int_equal(json_integer_value(json_object_get(r.json, "rev")), 5);
	assert_string_equal(json_string_value(json_object_get(r.json, "title")), "2026、长沙");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "trees"),
	                                                      "nations")), nations);
	assert_null(json_object_get(json_object_get(r.json, "trees"), "titles"));
	reply_free(&r);
}

static void admin_import_all_or_nothing(void **state)
{
	world *w = *state;
	char path[700];
	char *text = import_text(0, APPS + 5, "S01");
	write_file(w, "more.json", text, path, sizeof path);
	free(text);
	ADMIN_EXPECT(w->db, 0, "applications=35\ninserted=5\nupdated=0\nunchanged=30", "apps",
	             "import", path);
	ADMIN_EXPECT(w->db, 0, "inserted=0\nupdated=0\nunchanged=35", "apps", "import", path);

	/* One bad ID number: nothing stored. */
	json_t *list = json_array();
	for (unsigned i = 100; i < 103; i++) {
		tqk_application a;
		fixture_app(i, "S01", &a);
		json_t *o = tqk_json_application_encode(&a);
		if (i == 102)
			json_object_set_new(o, "id_number", json_string("43012119700101001A"));
		json_array_append_new(list, o);
	}
	json_t *doc = json_pack("{s:s, s:o}", "cursor", "7", "applications", list);
	text = tqk_json_dump(doc);
	json_decref(doc);
	write_file(w, "bad.json", text, path, sizeof path);
	free(text);
	ADMIN_EXPECT(w->db, 1, "error=id.chars\nindex=2", "apps", "import", path);
	/* An unknown site: nothing stored either. */
	text = import_text(200, 3, "S77");
	write_file(w, "nosite.json", text, path, sizeof path);
	free(text);
	ADMIN_EXPECT(w->db, 1, "error=store.site", "apps", "import", path);
	write_file(w, "syntax.json", "{\"applications\": [", path, sizeof path);
	ADMIN_EXPECT(w->db, 1, "error=json.syntax", "apps", "import", path);
	ADMIN_EXPECT(w->db, 2, NULL, "apps", "import", "/nonexistent.json");
	assert_int_equal(stat_of(w, "applications"), APPS + 5 + 5);
}

static void admin_demo(void **state)
{
	world *w = *state;
	ADMIN_EXPECT(w->db, 0, "inserted=400", "apps", "demo", "--site", "S02", "--count", "400",
	             "--seed", "42", "--duplicates", "15");
	/* Deterministic: the same seed is the same set. */
	ADMIN_EXPECT(w->db, 0, "inserted=0\nupdated=0\nunchanged=400", "apps", "demo", "--site",
	             "S02", "--count", "400", "--seed", "42", "--duplicates", "15");
	ADMIN_EXPECT(w->db, 0, "inserted=50", "apps", "demo", "--site", "S02", "--count", "50",
	             "--seed", "43");
	ADMIN_EXPECT(w->db, 2, NULL, "apps", "demo", "--site", "S02", "--count", "10",
	             "--duplicates", "6");
	ADMIN_EXPECT(w->db, 1, "error=store.not_found", "apps", "demo", "--site", "S09", "--count",
	             "10");

	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(w->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	/* 15 ID numbers with two registration numbers (at least: random
	 * persons may meet), both registrations, several schools and stages,
	 * every ID number valid (checked on the way in, and here again). */
	const char *sql =
		"SELECT (SELECT count(*) FROM (SELECT json_extract(doc, '$.id_number') i FROM applications"
		"   WHERE site = 'S02' GROUP BY i HAVING count(*) > 1)),"
		" (SELECT count(DISTINCT json_extract(doc, '$.school')) FROM applications WHERE site = 'S02'),"
		" (SELECT count(DISTINCT json_extract(doc, '$.post')) FROM applications WHERE site = 'S02'),"
		" (SELECT count(DISTINCT json_extract(doc, '$.registration')) FROM applications"
		"   WHERE site = 'S02')";
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_int(st, 0) >= 15);
	assert_true(sqlite3_column_int(st, 1) >= 10);
	assert_true(sqlite3_column_int(st, 2) >= 4);
	assert_int_equal(sqlite3_column_int(st, 3), 2);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT json_extract(doc, '$.id_number'),"
	                                        " json_extract(doc, '$.cert_no'), reg_no"
	                                        " FROM applications WHERE site = 'S02'",
	                                    -1, &st, NULL), SQLITE_OK);
	tqk_date today = tqk_time_date((tqk_time)time(NULL));
	int rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *cert = (const char *)sqlite3_column_text(st, 1);
		const char *reg_no = (const char *)sqlite3_column_text(st, 2);
		tqk_idnum idn;
		tqk_certnum cn;
		assert_int_equal(tqk_id_parse(id, strlen(id), today, &idn), TQK_OK);
		assert_int_equal(tqk_cert_parse(cert, strlen(cert), today.year, &cn), TQK_OK);
		assert_int_equal(strlen(cert), 17);
		assert_int_equal(strlen(reg_no), 14);
		assert_memory_equal(reg_no, "2026", 4);
		rows++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(rows, 5 + 400 + 50);
}

static void admin_decide_and_message(void **state)
{
	world *w = *state;
	/* From submitted the institution may say wrong institution or not
	 * eligible, not passed. */
	ADMIN_EXPECT(w->db, 1, "error=state.", "decide", reg(1), "--state", "passed");
	ADMIN_EXPECT(w->db, 0, "state=wrong_institution", "decide", reg(1), "--state",
	             "wrong_institution", "--message", "请改选长沙县教育局");
	ADMIN_EXPECT(w->db, 2, NULL, "decide", reg(2), "--state", "confirmed");
	ADMIN_EXPECT(w->db, 2, NULL, "decide", reg(2), "--state", "bogus");
	ADMIN_EXPECT(w->db, 1, "error=store.not_found", "decide", "20269999999999", "--state",
	             "not_eligible");
	ADMIN_EXPECT(w->db, 0, "seq=", "message", reg(2), "--message", "请带上聘用合同原件");
	ADMIN_EXPECT(w->db, 2, NULL, "message", reg(2));
	ADMIN_EXPECT(w->db, 1, "error=store.not_found", "message", "20269999999999", "--message",
	             "x");
	assert_int_equal(stat_of(w, "updates"), 2);
	/* Nothing confirmed yet: an empty list and a CSV of the header alone. */
	proc_result r;
	ADMIN(&r, w->db, "confirmations", "list");
	expect_status(&r, 0);
	assert_string_equal(r.out, "");
	proc_result_free(&r);
	ADMIN(&r, w->db, "confirmations", "export", "--format", "csv");
	expect_status(&r, 0);
	assert_non_null(strstr(r.out, "uuid,supersedes,reg_no,"));
	proc_result_free(&r);
	ADMIN_EXPECT(w->db, 2, NULL, "confirmations", "export", "--format", "xml");
	ADMIN_EXPECT(w->db, 1, "error=store.not_found", "confirmations", "list", "--site", "S09");
}

/* ========================= the server ========================= */

static void reads_happy_path(void **state)
{
	world *w = *state;
	reply r;
	/* The time, unsigned. */
	http(w, "GET", "/v1/time", NULL, 0, NULL, &r);
	expect_reply(&r, 200, NULL);
	tqk_time now;
	assert_int_equal(tqk_api_time_decode(r.json, &now, NULL), TQK_OK);
	assert_true(llabs((long long)(now - time(NULL))) <= 2);
	reply_free(&r);

	/* The plan of the kiosk's site. */
	get1(w, "/v1/plan", &r);
	expect_reply(&r, 200, NULL);
	tqk_plan p;
	assert_int_equal(tqk_api_plan_decode(r.json, &p, NULL), TQK_OK);
	assert_string_equal(p.site, "S01");
	assert_string_equal(p.county, "CSX");
	assert_int_equal(p.site_no, 1);
	assert_int_equal(p.rev, 1);
	assert_int_equal(p.opens, 8 * 3600 + 30 * 60);
	assert_non_null(strstr(p.calendar, "tqk-calendar 1"));
	tqk_plan_clear(&p);
	reply_free(&r);
	/* S02 has no plan yet. */
	signer s2 = {"K02", w->key2, 0, NULL, false, NULL, NULL, NULL};
	http(w, "GET", "/v1/plan", NULL, 0, &s2, &r);
	expect_reply(&r, 404, "plan.none");
	reply_free(&r);

	/* Clerks: the PIN hash verifies the PIN. */
	get1(w, "/v1/clerks", &r);
	expect_reply(&r, 200, NULL);
	json_t *clerks = json_object_get(r.json, "clerks");
	assert_int_equal(json_array_size(clerks), 1);
	tqk_clerk c;
	assert_int_equal(tqk_api_clerk_decode(json_array_get(clerks, 0), &c, NULL), TQK_OK);
	assert_string_equal(c.id, "C007");
	assert_true(c.active);
	assert_int_equal(crypto_pwhash_str_verify(c.pin_hash, "1234", 4), 0);
	assert_int_not_equal(crypto_pwhash_str_verify(c.pin_hash, "1235", 4), 0);
	reply_free(&r);

	/* Applications, a page at a time: every one once, in order. */
	char cursor[TQK_JSON_CURSOR_MAX + 1] = "";
	int seen = 0, pages = 0;
	for (bool more = true; more; pages++) {
		char target[256];
		snprintf(target, sizeof target, "/v1/applications?since=%s&limit=7", cursor);
		get1(w, target, &r);
		expect_reply(&r, 200, NULL);
		const char *next;
		const json_t *items;
		assert_int_equal(tqk_api_page_decode(r.json, "applications", &next, &more, &items, NULL),
		                 TQK_OK);
		for (size_t i = 0; i < json_array_size(items); i++) {
			tqk_application a;
			assert_int_equal(tqk_json_application_decode(json_array_get(items, i),
			                                             tqk_time_date(now), &a, NULL), TQK_OK);
			assert_string_equal(a.site, "S01");
			assert_true(a.rev > 0);
			seen++;
		}
		snprintf(cursor, sizeof cursor, "%s", next);
		reply_free(&r);
		assert_true(pages < 20);
	}
	assert_int_equal(seen, APPS);
	assert_int_equal(pages, 5);
	/* Past the end: nothing, and the cursor stays. */
	char target[256];
	snprintf(target, sizeof target, "/v1/applications?since=%s", cursor);
	get1(w, target, &r);
	expect_reply(&r, 200, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "applications")), 0);
	assert_string_equal(json_string_value(json_object_get(r.json, "cursor")), cursor);
	reply_free(&r);
	get1(w, "/v1/applications?since=abc", &r);
	expect_reply(&r, 400, "general.arg");
	reply_free(&r);
	get1(w, "/v1/applications?limit=0", &r);
	expect_reply(&r, 400, "general.arg");
	reply_free(&r);

	/* Updates: none yet. */
	get1(w, "/v1/updates", &r);
	expect_reply(&r, 200, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "updates")), 0);
	reply_free(&r);

	/* Unknown paths and methods. */
	get1(w, "/v1/nothing", &r);
	expect_reply(&r, 404, "http.not_found");
	reply_free(&r);
	get1(w, "/v1/confirmations", &r);
	expect_reply(&r, 405, "http.method");
	reply_free(&r);
	http(w, "GET", "/", NULL, 0, NULL, &r);
	expect_reply(&r, 404, "http.not_found");
	reply_free(&r);
}

static void auth_refusals_store_nothing(void **state)
{
	world *w = *state;
	json_t *rec[1];
	char uuid[TQK_UUID_CAP];
	new_uuid(uuid);
	rec[0] = record(uuid, reg(3), "S01", "K01");
	char *body = batch(1, rec);
	size_t len = strlen(body);
	long nonces = stat_of(w, "nonces");
	reply r;

	/* No headers. */
	http(w, "POST", "/v1/confirmations", body, len, NULL, &r);
	expect_reply(&r, 401, "auth.missing");
	reply_free(&r);
	/* A malformed nonce. */
	signer bad_nonce = {"K01", w->key1, 0, NULL, false, NULL, "XYZ", NULL};
	http(w, "POST", "/v1/confirmations", body, len, &bad_nonce, &r);
	expect_reply(&r, 401, "auth.missing");
	reply_free(&r);
	/* An unknown kiosk. */
	signer unknown = {"K77", w->key1, 0, NULL, false, NULL, NULL, NULL};
	http(w, "POST", "/v1/confirmations", body, len, &unknown, &r);
	expect_reply(&r, 401, "auth.kiosk");
	reply_free(&r);
	/* The wrong key, or a changed signature. */
	signer wrong = {"K01", w->key2, 0, NULL, false, NULL, NULL, NULL};
	http(w, "POST", "/v1/confirmations", body, len, &wrong, &r);
	expect_reply(&r, 401, "auth.signature");
	reply_free(&r);
	signer flipped = {"K01", w->key1, 0, NULL, true, NULL, NULL, NULL};
	http(w, "POST", "/v1/confirmations", body, len, &flipped, &r);
	expect_reply(&r, 401, "auth.signature");
	reply_free(&r);
	/* The body changed after signing. */
	signer other_body = {"K01", w->key1, 0, NULL, false, "{}", NULL, NULL};
	http(w, "POST", "/v1/confirmations", body, len, &other_body, &r);
	expect_reply(&r, 401, "auth.signature");
	reply_free(&r);
	/* The query changed after signing: the target is signed as sent. */
	signer other_query = {"K01", w->key1, 0, NULL, false, NULL, NULL, "/v1/applications?since=0"};
	http(w, "GET", "/v1/applications?since=1", NULL, 0, &other_query, &r);
	expect_reply(&r, 401, "auth.signature");
	reply_free(&r);
	/* Stale either way: 301 s off. */
	signer old = {"K01", w->key1, (int64_t)time(NULL) - 301, NULL, false, NULL, NULL, NULL};
	http(w, "POST", "/v1/confirmations", body, len, &old, &r);
	expect_reply(&r, 401, "auth.stale");
	reply_free(&r);
	signer ahead = {"K01", w->key1, (int64_t)time(NULL) + 301, NULL, false, NULL, NULL, NULL};
	http(w, "POST", "/v1/confirmations", body, len, &ahead, &r);
	expect_reply(&r, 401, "auth.stale");
	reply_free(&r);
	assert_int_equal(stat_of(w, "confirmations"), 0);
	assert_int_equal(stat_of(w, "nonces"), nonces);

	/* A replay: the first goes through, the same nonce again is refused. */
	char nonce[TQK_SIGN_NONCE_HEX];
	tqk_sign_nonce(nonce);
	signer once = {"K01", w->key1, (int64_t)time(NULL), nonce, false, NULL, NULL, NULL};
	http(w, "GET", "/v1/plan", NULL, 0, &once, &r);
	expect_reply(&r, 200, NULL);
	reply_free(&r);
	http(w, "GET", "/v1/plan", NULL, 0, &once, &r);
	expect_reply(&r, 401, "auth.replay");
	reply_free(&r);
	once.at = 0;
	http(w, "POST", "/v1/confirmations", body, len, &once, &r);
	expect_reply(&r, 401, "auth.replay");
	reply_free(&r);
	assert_int_equal(stat_of(w, "nonces"), nonces + 1);
	assert_int_equal(stat_of(w, "confirmations"), 0);

	/* A disabled kiosk. */
	ADMIN_EXPECT(w->db, 0, NULL, "kiosk", "disable", "--kiosk", "K01");
	post1(w, "/v1/confirmations", body, &r);
	expect_reply(&r, 401, "auth.kiosk");
	reply_free(&r);
	free(body);

	/* Another site's data: K02 may not send S01's record, K01's record. */
	signer s2 = {"K02", w->key2, 0, NULL, false, NULL, NULL, NULL};
	new_uuid(uuid);
	rec[0] = record(uuid, reg(3), "S01", "K01");
	body = batch(1, rec);
	http(w, "POST", "/v1/confirmations", body, strlen(body), &s2, &r);
	expect_reply(&r, 403, "auth.site");
	reply_free(&r);
	free(body);
	rec[0] = record(uuid, reg(1000), "S02", "K01");   /* its site, another kiosk's name */
	body = batch(1, rec);
	http(w, "POST", "/v1/confirmations", body, strlen(body), &s2, &r);
	expect_reply(&r, 403, "auth.site");
	reply_free(&r);
	free(body);
	/* ... nor a walk-in for S01. */
	const char *walkin = "{\"applications\":[{\"provisional\":\"P1\",\"site\":\"S01\","
	                     "\"name\":\"李娜\",\"id_number\":\"11010519491231002X\","
	                     "\"registration\":\"first\"}]}";
	http(w, "POST", "/v1/applications", walkin, strlen(walkin), &s2, &r);
	expect_reply(&r, 403, "auth.site");
	reply_free(&r);
	assert_int_equal(stat_of(w, "confirmations"), 0);
	assert_int_equal(stat_of(w, "applications"), APPS + 5);
	assert_int_equal(stat_of(w, "nonces"), nonces + 1);
}

static void bodies_too_long_or_malformed(void **state)
{
	world *w = *state;
	reply r;
	/* Over 4 MiB: refused from its Content-Length, signed or not. */
	size_t big = TQK_API_BODY_MAX + 1;
	char *body = malloc(big + 1);
	memset(body, ' ', big);
	body[big] = '\0';
	body[0] = '{';
	body[big - 1] = '}';
	signer s = k1(w);
	http(w, "POST", "/v1/confirmations", body, big, &s, &r);
	expect_reply(&r, 413, "general.too_long");
	reply_free(&r);
	http(w, "POST", "/v1/confirmations", body, big, NULL, &r);
	expect_reply(&r, 413, "general.too_long");
	reply_free(&r);
	/* Exactly 4 MiB is read (and then judged as JSON). */
	http(w, "POST", "/v1/confirmations", body, big - 1, &s, &r);
	reply_free(&r);
	free(body);

	/* More records than a batch may hold. */
	json_t *list = json_array();
	for (int i = 0; i <= TQK_API_BATCH_MAX; i++)
		json_array_append_new(list, json_object());
	json_t *doc = json_pack("{s:o}", "records", list);
	char *text = tqk_json_dump(doc);
	json_decref(doc);
	post1(w, "/v1/confirmations", text, &r);
	expect_reply(&r, 413, "general.too_long");
	reply_free(&r);
	free(text);

	post1(w, "/v1/confirmations", "{\"records\": [", &r);
	expect_reply(&r, 400, "json.syntax");
	reply_free(&r);
	post1(w, "/v1/confirmations", "{\"records\": {}}", &r);
	expect_reply(&r, 400, "json.type");
	reply_free(&r);
	post1(w, "/v1/confirmations", "[]", &r);
	expect_reply(&r, 400, "json.type");
	reply_free(&r);
	post1(w, "/v1/confirmations", "{\"records\": []}", &r);
	expect_reply(&r, 200, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "results")), 0);
	reply_free(&r);
	assert_int_equal(stat_of(w, "confirmations"), 0);
}

static void batch_results(void **state)
{
	world *w = *state;
	char u[4][TQK_UUID_CAP];
	for (int i = 0; i < 4; i++)
		new_uuid(u[i]);
	json_t *recs[6];
	recs[0] = record(u[0], reg(4), "S01", "K01");
	recs[1] = record(u[1], reg(5), "S01", "K01");
	char *first = batch(2, recs);
	reply r;
	post1(w, "/v1/confirmations", first, &r);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "stored");
	assert_string_equal(result_status(&r, 1), "stored");
	reply_free(&r);

	/* The same bytes again: duplicates. The same uuid with another
	 * archive number: a conflict, not overwritten. An unknown reg_no, an
	 * application of another site, a record without marks: rejected. */
	json_t *doc = json_loads(first, 0, NULL);
	json_t *again = json_object_get(doc, "records");
	recs[0] = json_incref(json_array_get(again, 0));
	recs[1] = json_deep_copy(json_array_get(again, 1));
	json_object_set_new(recs[1], "archive_no", json_string("CSX202601999"));
	recs[2] = record(u[2], "20269999999999", "S01", "K01");
	recs[3] = record(u[3], reg(1000), "S01", "K01");
	char u5[TQK_UUID_CAP], u6[TQK_UUID_CAP];
	new_uuid(u5);
	new_uuid(u6);
	recs[4] = record(u5, reg(6), "S01", "K01");
	json_object_set_new(recs[4], "marks", json_object());
	recs[5] = record(u6, reg(6), "S01", "K01");
	json_decref(doc);
	char *second = batch(6, recs);
	post1(w, "/v1/confirmations", second, &r);
	expect_reply(&r, 200, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "results")), 6);
	tqk_upload_result res[6];
	size_t n = 0;
	assert_int_equal(tqk_api_results_decode(r.json, res, 6, &n, NULL), TQK_OK);
	assert_int_equal(n, 6);
	assert_int_equal(res[0].status, TQK_UPLOAD_DUPLICATE);
	assert_int_equal(res[1].status, TQK_UPLOAD_CONFLICT);
	assert_int_equal(res[2].status, TQK_UPLOAD_REJECTED);
	assert_string_equal(res[2].error, "store.not_found");
	assert_int_equal(res[3].status, TQK_UPLOAD_REJECTED);
	assert_string_equal(res[3].error, "store.site");
	assert_int_equal(res[4].status, TQK_UPLOAD_REJECTED);
	assert_string_equal(res[4].error, "materials.unmarked");
	assert_int_equal(res[5].status, TQK_UPLOAD_STORED);
	assert_string_equal(res[0].uuid, u[0]);
	assert_string_equal(res[5].uuid, u6);
	reply_free(&r);
	free(first);
	free(second);
	assert_int_equal(stat_of(w, "confirmations"), 3);

	/* The conflict did not overwrite: the stored archive number stays. */
	proc_result p;
	ADMIN(&p, w->db, "confirmations", "list", "--site", "S01");
	expect_status(&p, 0);
	assert_null(strstr(p.out, "CSX202601999"));
	assert_non_null(strstr(p.out, u[1]));
	proc_result_free(&p);
	ADMIN(&p, w->db, "confirmations", "export", "--format", "json");
	expect_status(&p, 0);
	json_t *exp = json_loads(p.out, 0, NULL);
	assert_non_null(exp);
	json_t *list = json_object_get(exp, "confirmations");
	assert_int_equal(json_array_size(list), 3);
	tqk_confirmation c;
	assert_int_equal(tqk_json_confirmation_decode(json_array_get(list, 0),
	                                              tqk_time_date(time(NULL)), &c, NULL), TQK_OK);
	assert_string_equal(c.uuid, u[0]);
	json_decref(exp);
	proc_result_free(&p);
	ADMIN(&p, w->db, "confirmations", "export", "--site", "S01", "--format", "csv");
	expect_status(&p, 0);
	assert_non_null(strstr(p.out, "uuid,supersedes,reg_no,name,id_number,"));
	assert_non_null(strstr(p.out, u[0]));
	int lines = 0;
	for (const char *q = p.out; (q = strstr(q, "\r\n")) != NULL; q += 2)
		lines++;
	assert_int_equal(lines, 4);
	proc_result_free(&p);

	/* The application now reads as confirmed, with the institution able to
	 * decide from there. */
	ADMIN_EXPECT(w->db, 0, "state=passed", "decide", reg(4), "--state", "passed", "--message",
	             "合格");
}

/*
 * A demo kiosk's records (time source "demo") are refused by a server that
 * is not a demo server, with nothing stored and the rest of the batch
 * stored; a server run with --demo takes them and exports them as demo.
 */
static void demo_records_only_on_a_demo_server(void **state)
{
	world *w = *state;
	char u1[TQK_UUID_CAP], u2[TQK_UUID_CAP], u3[TQK_UUID_CAP];
	new_uuid(u1);
	new_uuid(u2);
	new_uuid(u3);
	json_t *recs[2] = {record(u1, reg(25), "S01", "K01"), record(u2, reg(26), "S01", "K01")};
	json_object_set_new(recs[0], "time_source", json_string("demo"));
	long before = stat_of(w, "confirmations");
	char *body = batch(2, recs);
	reply r;
	post1(w, "/v1/confirmations", body, &r);
	free(body);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "rejected");
	assert_string_equal(result_error(&r, 0), "record.demo");
	assert_string_equal(result_status(&r, 1), "stored");
	reply_free(&r);
	assert_int_equal(stat_of(w, "confirmations"), before + 1);

	/* a demo kiosk's walk-in too */
	static const char walkin[] =
		"{\"applications\":[{\"provisional\":\"WS01-K01-000001\",\"site\":\"S01\","
		"\"name\":\"李娜\",\"id_number\":\"430121198001011232\",\"registration\":\"first\","
		"\"demo\":true}]}";
	post1(w, "/v1/applications", walkin, &r);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "rejected");
	assert_string_equal(result_error(&r, 0), "record.demo");
	reply_free(&r);

	assert_int_equal(server_stop(w, SIGTERM), 0);
	server_start(w, "--demo");
	post1(w, "/v1/applications", walkin, &r);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "stored");
	reply_free(&r);
	recs[0] = record(u3, reg(25), "S01", "K01");
	json_object_set_new(recs[0], "time_source", json_string("demo"));
	body = batch(1, recs);
	post1(w, "/v1/confirmations", body, &r);
	free(body);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "stored");
	reply_free(&r);
	assert_int_equal(stat_of(w, "confirmations"), before + 2);
	proc_result p;
	ADMIN(&p, w->db, "confirmations", "export", "--format", "json");
	expect_status(&p, 0);
	const char *at = strstr(p.out, u3);
	assert_non_null(at);
	assert_non_null(strstr(at, "\"time_source\": \"demo\""));
	proc_result_free(&p);
}

/*
 * Archive numbers are unique per site (SPEC §3): two kiosks of S01 sending
 * one number for two applications get the second rejected archive.taken
 * with nothing stored for it, while the rest of its batch is stored; a
 * correction may reuse its original's number; a kiosk given --serials has
 * a serial outside them rejected archive.range.
 */
static void archive_numbers_unique_per_site(void **state)
{
	world *w = *state;
	uint8_t key3[TQK_SIGN_KEY_LEN], key4[TQK_SIGN_KEY_LEN];
	proc_result p;
	ADMIN(&p, w->db, "kiosk", "add", "--site", "S01", "--kiosk", "K03");
	expect_status(&p, 0);
	assert_null(strstr(p.out, "serials="));
	read_secret(p.out, key3);
	proc_result_free(&p);
	ADMIN(&p, w->db, "kiosk", "add", "--site", "S01", "--kiosk", "K04", "--serials",
	      "100..199");
	expect_status(&p, 0);
	expect_out(&p, "serials=100..199\n");
	read_secret(p.out, key4);
	proc_result_free(&p);
	/* serials the site's 3 digits cannot hold, or not A..B with 1 <= A <= B */
	ADMIN_EXPECT(w->db, 1, "error=archive.serial", "kiosk", "add", "--site", "S01", "--kiosk",
	             "K05", "--serials", "900..1000");
	ADMIN_EXPECT(w->db, 1, "error=archive.serial", "kiosk", "add", "--site", "S01", "--kiosk",
	             "K05", "--serials", "0..5");
	ADMIN_EXPECT(w->db, 1, "error=archive.serial", "kiosk", "add", "--site", "S01", "--kiosk",
	             "K05", "--serials", "20..10");
	ADMIN_EXPECT(w->db, 1, "error=archive.serial", "kiosk", "add", "--site", "S01", "--kiosk",
	             "K05", "--serials", "10-20");
	assert_int_equal(stat_of(w, "kiosks"), 4);
	signer s3 = {"K03", key3, 0, NULL, false, NULL, NULL, NULL};
	signer s4 = {"K04", key4, 0, NULL, false, NULL, NULL, NULL};

	/* K01 bags reg 20 as CSX202601950. */
	char u1[TQK_UUID_CAP], u2[TQK_UUID_CAP], u3[TQK_UUID_CAP], u4[TQK_UUID_CAP];
	new_uuid(u1);
	json_t *recs[3] = {record_no(u1, reg(20), "K01", "CSX202601950", NULL)};
	char *body = batch(1, recs);
	reply r;
	post1(w, "/v1/confirmations", body, &r);
	free(body);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "stored");
	reply_free(&r);
	long before = stat_of(w, "confirmations");

	/* K03 uses the same number for reg 21 (rejected, nothing stored) and
	 * CSX202601951 for reg 22 in the same batch (stored). */
	new_uuid(u2);
	new_uuid(u3);
	recs[0] = record_no(u2, reg(21), "K03", "CSX202601950", NULL);
	recs[1] = record_no(u3, reg(22), "K03", "CSX202601951", NULL);
	body = batch(2, recs);
	http(w, "POST", "/v1/confirmations", body, strlen(body), &s3, &r);
	free(body);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "rejected");
	assert_string_equal(result_error(&r, 0), "archive.taken");
	const char *msg = json_string_value(json_object_get(
		json_array_get(json_object_get(r.json, "results"), 0), "message"));
	assert_non_null(msg);
	assert_non_null(strstr(msg, "CSX202601950"));
	assert_string_equal(result_status(&r, 1), "stored");
	reply_free(&r);
	assert_int_equal(stat_of(w, "confirmations"), before + 1);
	ADMIN(&p, w->db, "confirmations", "list", "--site", "S01");
	expect_status(&p, 0);
	assert_null(strstr(p.out, u2));
	assert_non_null(strstr(p.out, u3));
	proc_result_free(&p);

	/* The same rejection when resent (not a duplicate: nothing was kept),
	 * and the same within one batch of K03 itself. */
	new_uuid(u4);
	recs[0] = record_no(u2, reg(21), "K03", "CSX202601950", NULL);
	recs[1] = record_no(u4, reg(23), "K03", "CSX202601952", NULL);
	char u5[TQK_UUID_CAP];
	new_uuid(u5);
	recs[2] = record_no(u5, reg(24), "K03", "CSX202601952", NULL);
	body = batch(3, recs);
	http(w, "POST", "/v1/confirmations", body, strlen(body), &s3, &r);
	free(body);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_error(&r, 0), "archive.taken");
	assert_string_equal(result_status(&r, 1), "stored");
	assert_string_equal(result_status(&r, 2), "rejected");
	assert_string_equal(result_error(&r, 2), "archive.taken");
	reply_free(&r);
	assert_int_equal(stat_of(w, "confirmations"), before + 2);

	/* A correction of reg 20 (at another kiosk) reusing its original's
	 * number: stored. */
	char u6[TQK_UUID_CAP];
	new_uuid(u6);
	recs[0] = record_no(u6, reg(20), "K03", "CSX202601950", u1);
	body = batch(1, recs);
	http(w, "POST", "/v1/confirmations", body, strlen(body), &s3, &r);
	free(body);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "stored");
	reply_free(&r);
	assert_int_equal(stat_of(w, "confirmations"), before + 3);

	/* K04 has 100..199: 200 is out of range, 150 is stored, and an archive
	 * number that does not read as the site's is rejected by its parse. */
	char u7[TQK_UUID_CAP], u8[TQK_UUID_CAP], u9[TQK_UUID_CAP];
	new_uuid(u7);
	new_uuid(u8);
	new_uuid(u9);
	recs[0] = record_no(u7, reg(25), "K04", "CSX202601200", NULL);
	recs[1] = record_no(u8, reg(26), "K04", "CSX202601150", NULL);
	recs[2] = record_no(u9, reg(27), "K04", "CSX2026011500", NULL);
	body = batch(3, recs);
	http(w, "POST", "/v1/confirmations", body, strlen(body), &s4, &r);
	free(body);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "rejected");
	assert_string_equal(result_error(&r, 0), "archive.range");
	msg = json_string_value(json_object_get(
		json_array_get(json_object_get(r.json, "results"), 0), "message"));
	assert_non_null(msg);
	assert_non_null(strstr(msg, "CSX202601200"));
	assert_non_null(strstr(msg, "100..199"));
	assert_string_equal(result_status(&r, 1), "stored");
	assert_string_equal(result_status(&r, 2), "rejected");
	assert_string_equal(result_error(&r, 2), "archive.format");
	reply_free(&r);
	assert_int_equal(stat_of(w, "confirmations"), before + 4);
	ADMIN(&p, w->db, "confirmations", "list", "--site", "S01");
	expect_status(&p, 0);
	assert_null(strstr(p.out, u7));
	assert_null(strstr(p.out, u9));
	assert_non_null(strstr(p.out, "CSX202601150"));
	proc_result_free(&p);
}

/* All S01 applications after cursor, into reg_nos (comma-separated) and
 * the new cursor. */
static int page_all(world *w, char cursor[TQK_JSON_CURSOR_MAX + 1], char *seen, size_t cap,
                    const char *want_state_of, char *state, size_t scap)
{
	int n = 0;
	seen[0] = '\0';
	for (bool more = true; more;) {
		char target[256];
		snprintf(target, sizeof target, "/v1/applications?since=%s&limit=3", cursor);
		reply r;
		get1(w, target, &r);
		expect_reply(&r, 200, NULL);
		const char *next;
		const json_t *items;
		assert_int_equal(tqk_api_page_decode(r.json, "applications", &next, &more, &items, NULL),
		                 TQK_OK);
		for (size_t i = 0; i < json_array_size(items); i++) {
			const char *reg_no = json_string_value(json_object_get(json_array_get(items, i),
			                                                       "reg_no"));
			strncat(seen, reg_no, cap - strlen(seen) - 1);
			strncat(seen, ",", cap - strlen(seen) - 1);
			if (want_state_of != NULL && strcmp(reg_no, want_state_of) == 0)
				snprintf(state, scap, "%s", json_string_value(json_object_get(
				         json_array_get(items, i), "state")));
			n++;
		}
		snprintf(cursor, TQK_JSON_CURSOR_MAX + 1, "%s", next);
		reply_free(&r);
	}
	return n;
}

static void paging_sees_every_change(void **state)
{
	world *w = *state;
	char cursor[TQK_JSON_CURSOR_MAX + 1] = "", seen[4096], st[32] = "";
	assert_int_equal(page_all(w, cursor, seen, sizeof seen, NULL, NULL, 0), APPS);
	/* Nothing changed: nothing new. */
	assert_int_equal(page_all(w, cursor, seen, sizeof seen, NULL, NULL, 0), 0);

	/* A confirmation moves reg(7) past the cursor, confirmed. */
	char u[TQK_UUID_CAP];
	new_uuid(u);
	json_t *recs[1] = {record(u, reg(7), "S01", "K01")};
	char *body = batch(1, recs);
	reply r;
	post1(w, "/v1/confirmations", body, &r);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "stored");
	reply_free(&r);
	free(body);
	assert_int_equal(page_all(w, cursor, seen, sizeof seen, reg(7), st, sizeof st), 1);
	assert_non_null(strstr(seen, reg(7)));
	assert_string_equal(st, "confirmed");

	/* Decisions and a message: each application once more, in the new state. */
	ADMIN_EXPECT(w->db, 0, NULL, "decide", reg(7), "--state", "institution_incomplete",
	             "--message", "请补交学分登记表");
	ADMIN_EXPECT(w->db, 0, NULL, "decide", reg(8), "--state", "not_eligible");
	ADMIN_EXPECT(w->db, 0, NULL, "message", reg(9), "--message", "请于周五前到确认点");
	char c7[TQK_JSON_CURSOR_MAX + 1];
	snprintf(c7, sizeof c7, "%s", cursor);
	assert_int_equal(page_all(w, cursor, seen, sizeof seen, reg(7), st, sizeof st), 3);
	assert_string_equal(st, "institution_incomplete");
	ADMIN_EXPECT(w->db, 0, NULL, "decide", reg(7), "--state", "deferred");
	assert_int_equal(page_all(w, cursor, seen, sizeof seen, reg(7), st, sizeof st), 1);
	assert_string_equal(st, "deferred");

	/* The updates, by their own cursor: three decisions and a message. */
	get1(w, "/v1/updates?limit=2", &r);
	expect_reply(&r, 200, NULL);
	const char *next;
	const json_t *items;
	bool more;
	assert_int_equal(tqk_api_page_decode(r.json, "updates", &next, &more, &items, NULL), TQK_OK);
	assert_true(more);
	tqk_update up;
	assert_int_equal(tqk_api_update_decode(json_array_get(items, 0), &up, NULL), TQK_OK);
	assert_string_equal(up.reg_no, reg(7));
	assert_int_equal(up.state, TQK_ST_INST_INCOMPLETE);
	assert_string_equal(up.message, "请补交学分登记表");
	char target[128];
	snprintf(target, sizeof target, "/v1/updates?since=%s&limit=2", next);
	reply_free(&r);
	get1(w, target, &r);
	expect_reply(&r, 200, NULL);
	assert_int_equal(tqk_api_page_decode(r.json, "updates", &next, &more, &items, NULL), TQK_OK);
	assert_false(more);
	assert_int_equal(json_array_size(items), 2);
	assert_int_equal(tqk_api_update_decode(json_array_get(items, 0), &up, NULL), TQK_OK);
	assert_string_equal(up.reg_no, reg(9));
	assert_int_equal(up.state, TQK_ST_NONE);
	reply_free(&r);
	/* S02's kiosk sees none of S01's updates. */
	signer s2 = {"K02", w->key2, 0, NULL, false, NULL, NULL, NULL};
	http(w, "GET", "/v1/updates", NULL, 0, &s2, &r);
	expect_reply(&r, 200, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "updates")), 0);
	reply_free(&r);
}

static void walkins_get_official_numbers(void **state)
{
	world *w = *state;
	const char *body =
		"{\"applications\":["
		"{\"provisional\":\"K01-P0001\",\"site\":\"S01\",\"name\":\"李娜\","
		"\"id_number\":\"11010519491231002X\",\"registration\":\"first\",\"school\":\"星沙小学\"},"
		"{\"provisional\":\"K01-P0002\",\"site\":\"S01\",\"name\":\"张伟\","
		"\"id_number\":\"110105194912310021\",\"registration\":\"second\"},"
		"{\"site\":\"S01\",\"name\":\"无号\"}]}";
	reply r;
	post1(w, "/v1/applications", body, &r);
	expect_reply(&r, 200, NULL);
	json_t *res = json_object_get(r.json, "results");
	assert_int_equal(json_array_size(res), 3);
	assert_string_equal(result_status(&r, 0), "stored");
	assert_string_equal(result_status(&r, 1), "rejected");
	assert_string_equal(result_error(&r, 1), "id.checksum");
	assert_string_equal(result_status(&r, 2), "rejected");
	char official[TQK_CODE_CAP];
	snprintf(official, sizeof official, "%s",
	         json_string_value(json_object_get(json_array_get(res, 0), "reg_no")));
	assert_int_equal(strlen(official), 14);
	assert_memory_equal(official, "20269", 5);
	reply_free(&r);
	/* Again: the same number, nothing new. */
	post1(w, "/v1/applications", body, &r);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "duplicate");
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(r.json, "results"), 0), "reg_no")), official);
	reply_free(&r);
	assert_int_equal(stat_of(w, "applications"), APPS + 5 + 1);

	/* A confirmation made under the provisional number lands on it. */
	char u[TQK_UUID_CAP];
	new_uuid(u);
	json_t *recs[1] = {record(u, "K01-P0001", "S01", "K01")};
	char *text = batch(1, recs);
	post1(w, "/v1/confirmations", text, &r);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "stored");
	reply_free(&r);
	free(text);
	proc_result p;
	ADMIN(&p, w->db, "confirmations", "list");
	expect_status(&p, 0);
	assert_non_null(strstr(p.out, official));
	proc_result_free(&p);

	/* A login's password comes as its argon2id hash, kept apart from the
	 * application: no download carries it. A hash of another kind is
	 * refused, and nothing is stored for that walk-in. */
	char hash[crypto_pwhash_STRBYTES];
	assert_int_equal(crypto_pwhash_str_alg(hash, "Xingsha2026", 11, crypto_pwhash_OPSLIMIT_MIN,
	                                       crypto_pwhash_MEMLIMIT_MIN,
	                                       crypto_pwhash_ALG_ARGON2ID13), 0);
	json_t *doc = json_pack("{s:[{s:s, s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:s, s:s}]}",
	                        "applications",
	                        "provisional", "K01-P0003", "site", "S01", "name", "王芳",
	                        "id_number", "430121198001011232", "registration", "first",
	                        "password_hash", hash,
	                        "provisional", "K01-P0004", "site", "S01", "name", "赵敏",
	                        "id_number", "110105194912310021", "registration", "first",
	                        "password_hash", "Xingsha2026");
	text = tqk_json_dump(doc);
	json_decref(doc);
	long apps = stat_of(w, "applications");
	post1(w, "/v1/applications", text, &r);
	free(text);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "stored");
	assert_string_equal(result_status(&r, 1), "rejected");
	assert_non_null(strstr(result_error(&r, 1), "field_value"));
	reply_free(&r);
	assert_int_equal(stat_of(w, "applications"), apps + 1);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(w->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT password_hash FROM logins", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), hash);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	signer k = k1(w);
	http(w, "GET", "/v1/applications?since=0&limit=500", NULL, 0, &k, &r);
	expect_reply(&r, 200, NULL);
	assert_non_null(strstr(r.body, "王芳"));
	assert_null(strstr(r.body, "argon2"));
	assert_null(strstr(r.body, "password"));
	reply_free(&r);
}

/* POSTs /test/fault. */
static void arm(world *w, const char *fault, int count, int ms)
{
	char body[160];
	snprintf(body, sizeof body, "{\"fault\":\"%s\",\"count\":%d,\"ms\":%d}", fault, count, ms);
	reply r;
	http(w, "POST", "/test/fault", body, strlen(body), NULL, &r);
	expect_reply(&r, 200, NULL);
	reply_free(&r);
}

static void test_faults(void **state)
{
	world *w = *state;
	reply r;
	/* status-500: nothing processed. */
	arm(w, "status-500", 1, 0);
	get1(w, "/v1/plan", &r);
	expect_reply(&r, 500, "test.fault");
	reply_free(&r);
	get1(w, "/v1/plan", &r);
	expect_reply(&r, 200, NULL);
	reply_free(&r);
	/* /v1/time is never faulted. */
	arm(w, "status-500", 1, 0);
	http(w, "GET", "/v1/time", NULL, 0, NULL, &r);
	expect_reply(&r, 200, NULL);
	reply_free(&r);
	arm(w, "none", 0, 0);

	/* garbage and truncate: processed and committed, the reply spoilt. */
	char u[2][TQK_UUID_CAP];
	new_uuid(u[0]);
	new_uuid(u[1]);
	json_t *recs[1] = {record(u[0], reg(10), "S01", "K01")};
	char *b0 = batch(1, recs);
	recs[0] = record(u[1], reg(11), "S01", "K01");
	char *b1 = batch(1, recs);
	arm(w, "garbage", 1, 0);
	post1(w, "/v1/confirmations", b0, &r);
	assert_int_equal(r.status, 200);
	assert_null(r.json);
	reply_free(&r);
	arm(w, "truncate", 1, 0);
	post1(w, "/v1/confirmations", b1, &r);
	assert_int_equal(r.status, 200);
	assert_null(r.json);
	assert_non_null(r.body);
	assert_memory_equal(r.body, "{\"results\":", 11);
	reply_free(&r);
	assert_int_equal(stat_of(w, "confirmations"), 2);
	post1(w, "/v1/confirmations", b0, &r);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "duplicate");
	reply_free(&r);

	/* delay: the reply comes late. */
	arm(w, "delay", 1, 300);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	get1(w, "/v1/plan", &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	expect_reply(&r, 200, NULL);
	reply_free(&r);
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 290);

	/* die-after-store: the batch is committed, the process dies without a
	 * reply; the retry after a restart is a duplicate. */
	char u3[TQK_UUID_CAP];
	new_uuid(u3);
	recs[0] = record(u3, reg(12), "S01", "K01");
	char *b2 = batch(1, recs);
	arm(w, "die-after-store", 1, 0);
	post1(w, "/v1/confirmations", b2, &r);
	assert_int_equal(r.status, 0);
	reply_free(&r);
	assert_int_equal(server_stop(w, 0), 137);
	assert_int_equal(stat_of(w, "confirmations"), 3);
	server_start(w, NULL);
	post1(w, "/v1/confirmations", b2, &r);
	expect_reply(&r, 200, NULL);
	assert_string_equal(result_status(&r, 0), "duplicate");
	reply_free(&r);
	/* Without --test-faults there is no /test/fault. */
	http(w, "POST", "/test/fault", "{\"fault\":\"status-500\"}", 22, NULL, &r);
	expect_reply(&r, 404, "http.not_found");
	reply_free(&r);
	assert_int_equal(server_stop(w, SIGTERM), 0);
	free(b0);
	free(b1);
	free(b2);
}

/* ---- SIGTERM under load ---- */

#define LOAD_MAX 20000

typedef struct load {
	world *w;
	char (*acked)[TQK_UUID_CAP];
	int n_acked;
	int refused;                    /* replies that were not 200 */
	pthread_mutex_t mu;
} load;

static void *load_run(void *arg)
{
	load *l = arg;
	for (int round = 0; round < 2000; round++) {
		enum { BATCH = 10 };
		json_t *recs[BATCH];
		char u[BATCH][TQK_UUID_CAP];
		for (int i = 0; i < BATCH; i++) {
			new_uuid(u[i]);
			recs[i] = record(u[i], reg((unsigned)(i + round) % APPS), "S01", "K01");
		}
		char *body = batch(BATCH, recs);
		reply r;
		post1(l->w, "/v1/confirmations", body, &r);
		free(body);
		bool ok = r.status == 200 && json_array_size(json_object_get(r.json, "results")) == BATCH;
		pthread_mutex_lock(&l->mu);
		if (ok) {
			for (int i = 0; i < BATCH && l->n_acked < LOAD_MAX; i++)
				if (strcmp(result_status(&r, (size_t)i), "stored") == 0)
					memcpy(l->acked[l->n_acked++], u[i], TQK_UUID_CAP);
		} else {
			l->refused++;
		}
		pthread_mutex_unlock(&l->mu);
		reply_free(&r);
		if (!ok)
			break;
	}
	return NULL;
}

static void sigterm_under_load_loses_nothing(void **state)
{
	world *w = *state;
	load l = {.w = w, .acked = calloc(LOAD_MAX, TQK_UUID_CAP)};
	pthread_mutex_init(&l.mu, NULL);
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, load_run, &l);
	for (int waited = 0; waited < 10000; waited += 10) {
		pthread_mutex_lock(&l.mu);
		int n = l.n_acked;
		pthread_mutex_unlock(&l.mu);
		if (n >= 150)
			break;
		usleep(10000);
	}
	assert_int_equal(server_stop(w, SIGTERM), 0);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	assert_true(l.n_acked >= 150);

	/* Every acknowledged record is there, once. */
	proc_result p;
	ADMIN(&p, w->db, "confirmations", "list");
	expect_status(&p, 0);
	for (int i = 0; i < l.n_acked; i++) {
		const char *at = strstr(p.out, l.acked[i]);
		if (at == NULL)
			fail_msg("acknowledged record %s is missing", l.acked[i]);
		assert_null(strstr(at + 1, l.acked[i]));
	}
	long lines = 0;
	for (const char *q = p.out; (q = strchr(q, '\n')) != NULL; q++)
		lines++;
	assert_true(lines >= l.n_acked);
	proc_result_free(&p);
	free(l.acked);
	pthread_mutex_destroy(&l.mu);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(admin_sites_kiosks_clerks, setup_cli, teardown),
		cmocka_unit_test_setup_teardown(admin_plan, setup_cli, teardown),
		cmocka_unit_test_setup_teardown(admin_import_all_or_nothing, setup_cli, teardown),
		cmocka_unit_test_setup_teardown(admin_demo, setup_cli, teardown),
		cmocka_unit_test_setup_teardown(admin_decide_and_message, setup_cli, teardown),
		cmocka_unit_test_setup_teardown(reads_happy_path, setup, teardown),
		cmocka_unit_test_setup_teardown(auth_refusals_store_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(bodies_too_long_or_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(batch_results, setup, teardown),
		cmocka_unit_test_setup_teardown(archive_numbers_unique_per_site, setup, teardown),
		cmocka_unit_test_setup_teardown(demo_records_only_on_a_demo_server, setup, teardown),
		cmocka_unit_test_setup_teardown(paging_sees_every_change, setup, teardown),
		cmocka_unit_test_setup_teardown(walkins_get_official_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(sigterm_under_load_loses_nothing, setup, teardown),
	};
	int rc = cmocka_run_group_tests_name("county", tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
