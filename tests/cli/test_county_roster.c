/*
 * test_county_roster.c - `tq-county admin roster`: the county's rosters
 * (花名册) of every site, from confirmations that reached a real server the
 * way kiosks send them (signed POST /v1/confirmations).
 *
 * The county has three sites: S01 with teachers of three schools and
 * several qualification types, a police-certificate case (remark), a
 * material-incomplete one, a 网报未受理 (on no roster) and a correction (a
 * superseding record that moves the teacher to another school: the roster
 * shows the corrected school, once); S02 with two teachers, a demo kiosk's
 * record (the server runs with --demo; the roster leaves it out unless
 * --demo) and one unconfirmed application; S03 with nothing confirmed.
 * The workbooks are read back (xlsxread.h): one directory per site named
 * after it, the files per school and the two summaries, the summaries'
 * running serial, the archive numbers, the remark, the title. Then --site,
 * --json, --title, --demo, and the refusals: no --out, a directory that
 * does not exist, an unknown site, a site without confirmations.
 */
#define _GNU_SOURCE
#include "test.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/confirmation.h"
#include "core/roster.h"
#include "core/uuid.h"
#include "proto/json.h"
#include "proto/sign.h"
#include "support/expect.h"
#include "support/fixture.h"
#include "support/xlsxread.h"

#define SITE1 "星沙确认点"
#define SITE2 "榔梨确认点"
#define SITE3 "黄兴确认点"
#define TITLE "2026年教师资格定期注册申请花名册"

/* The applications and what their confirmations make of them. */
typedef struct shape {
	unsigned fixture;           /* fixture_app number */
	const char *site, *kiosk;
	const char *school;
	tqk_stage qual;
	tqk_conclusion conclusion;  /* 0: never confirmed */
	unsigned serial;            /* of the archive number; 0: none */
	bool police;                /* the certificate's name is not the card's */
	bool demo;                  /* confirmed by a kiosk in demo mode */
} shape;

enum { A_SENIOR, A_POLICE, A_INCOMPLETE, A_CORRECTED, A_KINDER, A_REFUSED,
       B_SENIOR, B_PRIMARY, B_DEMO, B_NONE, N_APPS };

static const shape apps[N_APPS] = {
	[A_SENIOR] = {0, "S01", "K01", "星沙中学", TQK_STAGE_SENIOR,
		TQK_CONC_COMPLETE, 1, false, false},
	[A_POLICE] = {1, "S01", "K01", "星沙中学", TQK_STAGE_JUNIOR, TQK_CONC_COMPLETE, 2, true, false},
	[A_INCOMPLETE] = {2, "S01", "K01", "长沙县泉塘小学", TQK_STAGE_PRIMARY, TQK_CONC_INCOMPLETE, 3,
	                  false, false},
	/* first confirmed under 星沙一中, then corrected to 星沙实验学校 */
	[A_CORRECTED] = {3, "S01", "K01", "星沙中学", TQK_STAGE_VOCATIONAL, TQK_CONC_COMPLETE, 4, false,
	                 false},
	[A_KINDER] = {4, "S01", "K01", "长沙县泉塘小学", TQK_STAGE_KINDERGARTEN, TQK_CONC_COMPLETE, 5,
	              false, false},
	[A_REFUSED] = {5, "S01", "K01", "星沙中学", TQK_STAGE_JUNIOR, TQK_CONC_NOT_ACCEPTED, 0, false,
	               false},
	[B_SENIOR] = {100, "S02", "K02", "榔梨中学", TQK_STAGE_SENIOR,
		TQK_CONC_COMPLETE, 1, false, false},
	[B_PRIMARY] = {101, "S02", "K02", "榔梨小学", TQK_STAGE_PRIMARY,
		TQK_CONC_COMPLETE, 2, false, false},
	[B_DEMO] = {102, "S02", "K02", "榔梨小学", TQK_STAGE_PRIMARY,
		TQK_CONC_COMPLETE, 3, false, true},
	[B_NONE] = {103, "S02", "K02", "榔梨小学", TQK_STAGE_PRIMARY, 0, 0, false, false},
};

#define FIRST_SCHOOL "星沙一中"        /* A_CORRECTED's school in its first record */
#define CORRECTED_SCHOOL "星沙实验学校"  /* and in the record that supersedes it */

typedef struct world {
	char dir[512], db[600];
	uint8_t key1[TQK_SIGN_KEY_LEN], key2[TQK_SIGN_KEY_LEN];
	pid_t pid;
	int port;
	tqk_application app[N_APPS];        /* as imported */
	char archive[N_APPS][TQK_ARCHIVE_BUFLEN];
	unsigned outs;                      /* output directories made so far */
} world;

/* ---- the county ---- */

/* Parses "secret=<hex>" of `kiosk add` into key. */
static void read_secret(const proc_result *r, uint8_t key[TQK_SIGN_KEY_LEN])
{
	char hex[TQK_SIGN_KEY_HEX];
	kv_get(r, "secret", hex, sizeof hex);
	assert_true(tqk_hex_decode(hex, key, TQK_SIGN_KEY_LEN));
}

/* Imports the applications of site (as shaped) with `apps import`. */
static void import_site(world *w, const char *site)
{
	json_t *list = json_array();
	for (int i = 0; i < N_APPS; i++) {
		if (strcmp(apps[i].site, site) != 0)
			continue;
		tqk_application *a = &w->app[i];
		fixture_app(apps[i].fixture, site, a);
		snprintf(a->school, sizeof a->school, "%s", apps[i].school);
		if (i == A_CORRECTED)
			snprintf(a->school, sizeof a->school, "%s", FIRST_SCHOOL);
		a->qualification = apps[i].qual;
		a->post = apps[i].qual;
		if (apps[i].police)
			snprintf(a->cert_name, sizeof a->cert_name, "张叁");
		json_array_append_new(list, tqk_json_application_encode(a));
	}
	json_t *doc = json_pack("{s:s, s:o}", "cursor", "", "applications", list);
	char *text = tqk_json_dump(doc);
	json_decref(doc);
	char path[700];
	snprintf(path, sizeof path, "%s/%s.json", w->dir, site);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(text);
	ADMIN_EXPECT(w->db, 0, "applications=", "apps", "import", path);
}

/* Starts `serve --demo` on port 0 and waits for its listening line. */
static void server_start(world *w)
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
		                "--demo", NULL};
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
	if (sscanf(line, "listening 127.0.0.1:%d", &w->port) != 1 || w->port <= 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("no listening line: \"%s\"", line);
	}
	w->pid = pid;
}

/* SIGTERM; the server must exit 0. */
static void server_stop(world *w)
{
	int status = 0;
	kill(w->pid, SIGTERM);
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

typedef struct body {
	char *text;
	size_t len;
} body;

static size_t sink(char *data, size_t size, size_t n, void *ctx)
{
	body *b = ctx;
	size_t k = size * n;
	char *grown = realloc(b->text, b->len + k + 1);
	if (grown == NULL)
		return 0;
	b->text = grown;
	memcpy(b->text + b->len, data, k);
	b->len += k;
	b->text[b->len] = '\0';
	return k;
}

/* POSTs {"records": [record]} to /v1/confirmations signed by kiosk with
 * key, as a kiosk's sync does; the server must store it. */
static void post_record(world *w, const char *kiosk, const uint8_t *key, json_t *record)
{
	json_t *doc = json_pack("{s:[o]}", "records", record);
	char *text = tqk_json_dump(doc);
	json_decref(doc);
	const char *target = "/v1/confirmations";
	char nonce[TQK_SIGN_NONCE_HEX], sig[TQK_SIGN_HEX], line[160], url[128];
	int64_t at = (int64_t)time(NULL);
	tqk_sign_nonce(nonce);
	assert_int_equal(tqk_sign(key, "POST", target, at, nonce, text, strlen(text), sig), TQK_OK);
	struct curl_slist *h = curl_slist_append(NULL, "Expect:");
	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(line, sizeof line, "%s: %s", TQK_HDR_KIOSK, kiosk);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof line, "%s: %lld", TQK_HDR_TIME, (long long)at);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof line, "%s: %s", TQK_HDR_NONCE, nonce);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof line, "%s: %s", TQK_HDR_SIGNATURE, sig);
	h = curl_slist_append(h, line);
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", w->port, target);
	CURL *c = curl_easy_init();
	assert_non_null(c);
	body b = {NULL, 0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(text));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(text);
	if (status != 200 || b.text == NULL || strstr(b.text, "\"stored\"") == NULL)
		fail_msg("POST by %s: HTTP %ld %s", kiosk, status, b.text != NULL ? b.text : "");
	free(b.text);
}

/* A fresh random uuid. */
static void new_uuid(char out[TQK_UUID_CAP])
{
	uint8_t b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)(rand() & 0xff);
	tqk_uuid_format(b, out);
}

/* Appends a correction of field from the application's value to value. */
static void correct(tqk_confirmation *c, const tqk_application *a, tqk_field field,
                    const char *value)
{
	tqk_correction *k = &c->corrections[c->n_corrections++];
	k->field = field;
	tqk_field_text(a, field, k->old_value, sizeof k->old_value);
	snprintf(k->new_value, sizeof k->new_value, "%s", value);
}

/* The confirmation of application i as shaped, made `ago` seconds ago. */
static void confirmation_of(world *w, int i, int ago, tqk_confirmation *c)
{
	const shape *s = &apps[i];
	fixture_confirmation(w->app[i].reg_no, c);
	new_uuid(c->uuid);
	snprintf(c->site, sizeof c->site, "%s", s->site);
	snprintf(c->kiosk, sizeof c->kiosk, "%s", s->kiosk);
	c->at = (tqk_time)time(NULL) - ago;
	c->conclusion = s->conclusion;
	if (s->serial != 0)
		snprintf(w->archive[i], sizeof w->archive[i], "CSX2026%s%03u",
		         strcmp(s->site, "S01") == 0 ? "01" : "02", s->serial % 1000);
	snprintf(c->archive_no, sizeof c->archive_no, "%s", w->archive[i]);
	if (s->police) {
		c->police_required = true;
		c->marks.mark[TQK_MAT_POLICE] = TQK_MARK_HAS;
	}
	if (s->conclusion == TQK_CONC_INCOMPLETE) {
		c->marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
		snprintf(c->message, sizeof c->message, "请补交身心健康证明");
	}
	if (s->conclusion == TQK_CONC_NOT_ACCEPTED)
		snprintf(c->remark, sizeof c->remark, "重复报名，保留另一报名号");
	if (s->demo)
		c->time_source = TQK_TIME_DEMO;
}

static int setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	srand(7);
	fixture_tmpdir(w->dir, sizeof w->dir);
	snprintf(w->db, sizeof w->db, "%s/county.db", w->dir);
	const char *sites[][3] = {{"S01", SITE1, "1"}, {"S02", SITE2, "2"}, {"S03", SITE3, "3"}};
	for (int i = 0; i < 3; i++)
		ADMIN_EXPECT(w->db, 0, "created=true", "site", "add", "--site", sites[i][0], "--name",
		             sites[i][1], "--county", "CSX", "--year", "2026", "--site-no", sites[i][2]);
	proc_result r;
	ADMIN(&r, w->db, "kiosk", "add", "--site", "S01", "--kiosk", "K01");
	expect_status(&r, 0);
	read_secret(&r, w->key1);
	proc_result_free(&r);
	ADMIN(&r, w->db, "kiosk", "add", "--site", "S02", "--kiosk", "K02");
	expect_status(&r, 0);
	read_secret(&r, w->key2);
	proc_result_free(&r);
	import_site(w, "S01");
	import_site(w, "S02");

	server_start(w);
	tqk_confirmation c;
	for (int i = 0; i < N_APPS; i++) {
		if (apps[i].conclusion == 0)
			continue;
		confirmation_of(w, i, 3600 - 10 * i, &c);
		if (i == A_CORRECTED) {
			/* The first record keeps the school it was imported with;
			 * the correction that supersedes it moves the teacher. */
			char first[TQK_UUID_CAP];
			memcpy(first, c.uuid, sizeof first);
			post_record(w, c.kiosk, w->key1, tqk_json_confirmation_encode(&c));
			tqk_application moved = w->app[i];
			confirmation_of(w, i, 600, &c);
			memcpy(c.supersedes, first, sizeof c.supersedes);
			correct(&c, &moved, TQK_F_SCHOOL, CORRECTED_SCHOOL);
		}
		post_record(w, c.kiosk, strcmp(c.kiosk, "K01") == 0 ? w->key1 : w->key2,
		            tqk_json_confirmation_encode(&c));
	}
	server_stop(w);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	if (w->pid > 0) {
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
	}
	fixture_rmdir(w->dir);
	free(w);
	return 0;
}

/* ---- reading the rosters ---- */

/* A new, empty output directory into out. */
static void new_out(world *w, char *out, size_t cap)
{
	snprintf(out, cap, "%s/out%u", w->dir, w->outs++);
	assert_int_equal(mkdir(out, 0700), 0);
}

/* Loads out/site/file's sheet; fails the test when it cannot. */
static void load(const char *out, const char *site, const char *file, xlsx_sheet *s)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s/%s", out, site, file);
	if (xlsx_sheet_load(path, 1, s) != 0)
		fail_msg("cannot read %s", path);
}

/* Whether path exists. */
static bool exists(const char *out, const char *site, const char *file)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s%s%s", out, site, file != NULL ? "/" : "",
	         file != NULL ? file : "");
	return access(path, F_OK) == 0;
}

/* The sheet's teacher rows (rows 3..) whose registration number is reg_no. */
static int rows_of(const xlsx_sheet *s, const char *reg_no)
{
	int n = 0;
	for (int row = 3; row < s->rows; row++)
		n += strcmp(xlsx_sheet_text(s, row, TQK_RC_REG_NO), reg_no) == 0;
	return n;
}

/* How many rows of every workbook under out/site hold reg_no, and the
 * number of workbooks there. */
static int rows_in_site(const char *out, const char *site, const char *reg_no, int *files)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", out, site);
	int n = 0;
	*files = 0;
	DIR *d = opendir(path);
	if (d == NULL)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		xlsx_sheet s;
		load(out, site, e->d_name, &s);
		n += rows_of(&s, reg_no);
		xlsx_sheet_free(&s);
		(*files)++;
	}
	closedir(d);
	return n;
}

/* ---- tests ---- */

/* Every site's rosters: the keys, the files, the summaries' serials and
 * archive numbers, the remark, the correction once, nothing refused. */
static void rosters_of_every_site(void **state)
{
	world *w = *state;
	char out[700], v[1200];
	new_out(w, out, sizeof out);
	proc_result r;
	ADMIN(&r, w->db, "roster", "--out", out);
	expect_status(&r, 0);
	expect_kv(&r, "dir", out);
	expect_kv(&r, "sites", "2");
	expect_kv(&r, "rows", "7");
	/* 星沙中学, 泉塘小学, 星沙实验学校; 榔梨中学, 榔梨小学 */
	expect_kv(&r, "schools", "5");
	/* S01: 2 summaries + 星沙中学 2 + 泉塘小学 1 + 星沙实验学校 1; S02: 2 + 1 + 1 */
	expect_kv(&r, "files", "10");
	int lines = 0;
	while (kv_find(&r, "file", lines, v, sizeof v) != NULL) {
		assert_int_equal(access(v, R_OK), 0);
		lines++;
	}
	assert_int_equal(lines, 10);
	expect_out(&r, "/" SITE1 "/汇总-高中中职花名册.xlsx");
	proc_result_free(&r);

	/* One directory per site that has teachers, named after it. */
	assert_true(exists(out, SITE1, NULL));
	assert_true(exists(out, SITE2, NULL));
	assert_false(exists(out, SITE3, NULL));
	assert_true(exists(out, SITE1, "星沙中学-高中中职花名册.xlsx"));
	assert_true(exists(out, SITE1, "星沙中学-初中小学幼儿园花名册.xlsx"));
	assert_true(exists(out, SITE1, "长沙县泉塘小学-初中小学幼儿园花名册.xlsx"));
	assert_false(exists(out, SITE1, "长沙县泉塘小学-高中中职花名册.xlsx"));
	assert_true(exists(out, SITE1, CORRECTED_SCHOOL "-高中中职花名册.xlsx"));
	assert_false(exists(out, SITE1, FIRST_SCHOOL "-高中中职花名册.xlsx"));
	assert_true(exists(out, SITE2, "榔梨中学-高中中职花名册.xlsx"));
	assert_true(exists(out, SITE2, "榔梨小学-初中小学幼儿园花名册.xlsx"));

	/* S01's summaries: by school (smallest archive number first: 星沙中学
	 * 001, 泉塘小学 003, 星沙实验学校 004), one running serial. */
	xlsx_sheet senior, basic;
	load(out, SITE1, "汇总-高中中职花名册.xlsx", &senior);
	load(out, SITE1, "汇总-初中小学幼儿园花名册.xlsx", &basic);
	assert_non_null(strstr(xlsx_sheet_text(&senior, 0, 0), TITLE));
	assert_non_null(strstr(xlsx_sheet_text(&senior, 0, 0), "高中、中职"));
	assert_non_null(strstr(xlsx_sheet_text(&senior, 1, 0), SITE1));
	assert_string_equal(xlsx_sheet_text(&senior, 2, TQK_RC_ARCHIVE), "档案序号");
	assert_int_equal(senior.rows - 3, 2);
	assert_int_equal(basic.rows - 3, 3);
	const int senior_order[] = {A_SENIOR, A_CORRECTED};
	const int basic_order[] = {A_POLICE, A_INCOMPLETE, A_KINDER};
	for (int k = 0; k < 2; k++) {
		snprintf(v, sizeof v, "%d", k + 1);
		assert_string_equal(xlsx_sheet_text(&senior, 3 + k, TQK_RC_SERIAL), v);
		assert_string_equal(xlsx_sheet_text(&senior, 3 + k, TQK_RC_ARCHIVE),
		                    w->archive[senior_order[k]]);
		assert_string_equal(xlsx_sheet_text(&senior, 3 + k, TQK_RC_REG_NO),
		                    w->app[senior_order[k]].reg_no);
	}
	for (int k = 0; k < 3; k++) {
		snprintf(v, sizeof v, "%d", k + 3);
		assert_string_equal(xlsx_sheet_text(&basic, 3 + k, TQK_RC_SERIAL), v);
		assert_string_equal(xlsx_sheet_text(&basic, 3 + k, TQK_RC_ARCHIVE),
		                    w->archive[basic_order[k]]);
		const tqk_application *a = &w->app[basic_order[k]];
		assert_string_equal(xlsx_sheet_text(&basic, 3 + k, TQK_RC_ID),
		                    a->cert_id[0] != '\0' ? a->cert_id : a->id_number);
	}
	/* The police case: printed under the certificate's name, the card's in
	 * the remark; nobody else has one. */
	assert_string_equal(xlsx_sheet_text(&basic, 3, TQK_RC_NAME), "张叁");
	snprintf(v, sizeof v, "现身份证姓名：%s", w->app[A_POLICE].name);
	assert_string_equal(xlsx_sheet_text(&basic, 3, TQK_RC_REMARK), v);
	assert_string_equal(xlsx_sheet_text(&basic, 4, TQK_RC_REMARK), "");
	assert_string_equal(xlsx_sheet_text(&senior, 3, TQK_RC_REMARK), "");
	assert_string_equal(xlsx_sheet_text(&basic, 4, TQK_RC_CONCLUSION), "材料不齐全");
	assert_string_equal(xlsx_sheet_text(&senior, 3, TQK_RC_QUALIFICATION), "高级中学教师资格");
	assert_non_null(strstr(xlsx_sheet_text(&senior, 4, TQK_RC_QUALIFICATION), "中等职业学校"));
	xlsx_sheet_free(&senior);
	xlsx_sheet_free(&basic);

	/* The corrected teacher: on his new school's roster, once in the site's
	 * summaries and once in its schools' files. */
	xlsx_sheet moved;
	load(out, SITE1, CORRECTED_SCHOOL "-高中中职花名册.xlsx", &moved);
	assert_int_equal(moved.rows - 3, 1);
	assert_string_equal(xlsx_sheet_text(&moved, 3, TQK_RC_SERIAL), "1");
	assert_string_equal(xlsx_sheet_text(&moved, 3, TQK_RC_ARCHIVE), w->archive[A_CORRECTED]);
	assert_non_null(strstr(xlsx_sheet_text(&moved, 1, 0), CORRECTED_SCHOOL));
	xlsx_sheet_free(&moved);
	int files = 0;
	assert_int_equal(rows_in_site(out, SITE1, w->app[A_CORRECTED].reg_no, &files), 2);
	assert_int_equal(files, 6);

	/* 网报未受理, the demo's record and the unconfirmed: on no roster. */
	assert_int_equal(rows_in_site(out, SITE1, w->app[A_REFUSED].reg_no, &files), 0);
	assert_int_equal(rows_in_site(out, SITE2, w->app[B_DEMO].reg_no, &files), 0);
	assert_int_equal(files, 4);
	assert_int_equal(rows_in_site(out, SITE2, w->app[B_NONE].reg_no, &files), 0);
	assert_int_equal(rows_in_site(out, SITE2, w->app[B_SENIOR].reg_no, &files), 2);

	/* S02's summaries number on from their own 1. */
	load(out, SITE2, "汇总-初中小学幼儿园花名册.xlsx", &basic);
	assert_int_equal(basic.rows - 3, 1);
	assert_string_equal(xlsx_sheet_text(&basic, 3, TQK_RC_SERIAL), "2");
	assert_string_equal(xlsx_sheet_text(&basic, 3, TQK_RC_ARCHIVE), w->archive[B_PRIMARY]);
	assert_non_null(strstr(xlsx_sheet_text(&basic, 1, 0), SITE2));
	xlsx_sheet_free(&basic);

	/* Again into the same directory: the same files, replaced. */
	ADMIN(&r, w->db, "roster", "--out", out);
	expect_status(&r, 0);
	expect_kv(&r, "files", "10");
	proc_result_free(&r);
	assert_int_equal(rows_in_site(out, SITE1, w->app[A_SENIOR].reg_no, &files), 2);
	assert_int_equal(files, 6);
}

/* --site: that site's rosters alone; --json lists the files; --title. */
static void one_site_as_json(void **state)
{
	world *w = *state;
	char out[700];
	new_out(w, out, sizeof out);
	proc_result r;
	ADMIN(&r, w->db, "roster", "--out", out, "--site", "S02", "--json", "--title", "测试花名册");
	expect_status(&r, 0);
	json_t *o = expect_json_object(&r);
	assert_string_equal(json_string_value(json_object_get(o, "dir")), out);
	assert_int_equal(json_integer_value(json_object_get(o, "rows")), 2);
	assert_int_equal(json_integer_value(json_object_get(o, "schools")), 2);
	const json_t *list = json_object_get(o, "files");
	assert_true(json_is_array(list));
	assert_int_equal(json_array_size(list), 4);
	for (size_t i = 0; i < json_array_size(list); i++) {
		const char *p = json_string_value(json_array_get(list, i));
		assert_non_null(p);
		assert_non_null(strstr(p, "/" SITE2 "/"));
		assert_int_equal(access(p, R_OK), 0);
	}
	json_decref(o);
	proc_result_free(&r);
	assert_false(exists(out, SITE1, NULL));
	xlsx_sheet s;
	load(out, SITE2, "汇总-高中中职花名册.xlsx", &s);
	assert_non_null(strstr(xlsx_sheet_text(&s, 0, 0), "测试花名册"));
	assert_null(strstr(xlsx_sheet_text(&s, 0, 0), TITLE));
	assert_string_equal(xlsx_sheet_text(&s, 3, TQK_RC_REG_NO), w->app[B_SENIOR].reg_no);
	xlsx_sheet_free(&s);
}

/* --demo: the demo kiosk's record is on the rosters too. */
static void demo_records_when_asked(void **state)
{
	world *w = *state;
	char out[700];
	new_out(w, out, sizeof out);
	proc_result r;
	ADMIN(&r, w->db, "roster", "--out", out, "--site", "S02", "--demo");
	expect_status(&r, 0);
	expect_kv(&r, "rows", "3");
	expect_kv(&r, "files", "4");
	proc_result_free(&r);
	int files = 0;
	assert_int_equal(rows_in_site(out, SITE2, w->app[B_DEMO].reg_no, &files), 2);
	xlsx_sheet s;
	load(out, SITE2, "榔梨小学-初中小学幼儿园花名册.xlsx", &s);
	assert_int_equal(s.rows - 3, 2);
	assert_string_equal(xlsx_sheet_text(&s, 4, TQK_RC_SERIAL), "2");
	assert_string_equal(xlsx_sheet_text(&s, 4, TQK_RC_ARCHIVE), w->archive[B_DEMO]);
	xlsx_sheet_free(&s);
}

/* No --out, a directory that does not exist, an unknown site, a site with
 * nothing confirmed. */
static void refusals_and_nothing(void **state)
{
	world *w = *state;
	char out[700], missing[800];
	new_out(w, out, sizeof out);
	proc_result r;
	ADMIN(&r, w->db, "roster");
	expect_status(&r, 2);
	expect_err(&r, "--out");
	proc_result_free(&r);

	snprintf(missing, sizeof missing, "%s/nowhere", out);
	ADMIN(&r, w->db, "roster", "--out", missing);
	expect_status(&r, 2);
	expect_out(&r, "error=print.io");
	proc_result_free(&r);
	assert_int_equal(access(missing, F_OK), -1);

	ADMIN_EXPECT(w->db, 1, "error=store.not_found", "roster", "--out", out, "--site", "S09");
	ADMIN_EXPECT(w->db, 2, NULL, "roster", "--out", out, "--colour");

	ADMIN(&r, w->db, "roster", "--out", out, "--site", "S03");
	expect_status(&r, 0);
	expect_kv(&r, "rows", "0");
	expect_kv(&r, "files", "0");
	expect_no_kv(&r, "file");
	proc_result_free(&r);
	DIR *d = opendir(out);
	assert_non_null(d);
	struct dirent *e;
	int entries = 0;
	while ((e = readdir(d)) != NULL)
		entries += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(entries, 0);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rosters_of_every_site),
		cmocka_unit_test(one_site_as_json),
		cmocka_unit_test(demo_records_when_asked),
		cmocka_unit_test(refusals_and_nothing),
	};
	int rc = cmocka_run_group_tests_name("county_roster", tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
