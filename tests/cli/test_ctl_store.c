/*
 * test_ctl_store.c - tqkioskctl's local-store commands, run as an
 * administrator would run them.
 *
 * Each test gets a scratch directory with a store set up by `db init`
 * (site S01, kiosk K01, CSX 2026 site 01), writes its JSON files there
 * (applications from fixture_app, confirmations from fixture_confirmation,
 * both through the JSON codec), runs the built binary ($TQK_CTL) and checks
 * stdout (key=value, or JSON read back with jansson), stderr and the exit
 * status: import twice, bad import files, find by every kind of number and
 * duplicates, confirmations and corrections, the queue, the audit chain,
 * backups and their rotation, a damaged store found, offered a backup and
 * restored, the purge before and after it is due, English, and a missing
 * --db.
 */
#include "test.h"

#include <dirent.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/uuid.h"
#include "proto/json.h"
#include "store/store.h"
#include "support/expect.h"
#include "support/fixture.h"

typedef struct world {
	char dir[512];
	char db[600];
} world;

/* ---- files ---- */

static void path_in(const world *w, const char *name, char *buf, size_t cap)
{
	assert_true((size_t)snprintf(buf, cap, "%s/%s", w->dir, name) < cap);
}

static void write_text(const world *w, const char *name, const char *text, char *path, size_t cap)
{
	path_in(w, name, path, cap);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Writes doc (and releases it) as an indented JSON file. */
static void write_json(const world *w, const char *name, json_t *doc, char *path, size_t cap)
{
	path_in(w, name, path, cap);
	assert_int_equal(json_dump_file(doc, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER), 0);
	json_decref(doc);
}

/* An import document of fixture applications from..from+n-1 of site S01. */
static json_t *import_doc(unsigned from, size_t n, const char *cursor)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		tqk_application a;
		fixture_app(from + (unsigned)i, FIXTURE_SITE, &a);
		json_array_append_new(list, tqk_json_application_encode(&a));
	}
	json_t *doc = json_object();
	json_object_set_new(doc, "cursor", json_string(cursor));
	json_object_set_new(doc, "applications", list);
	return doc;
}

/* Writes an import file of applications from..from+n-1 and imports it;
 * asserts success. */
static void import(const world *w, unsigned from, size_t n)
{
	char path[700];
	write_json(w, "import.json", import_doc(from, n, "c1"), path, sizeof path);
	proc_result r;
	CTL(&r, "import", "--db", w->db, path);
	expect_status(&r, 0);
	proc_result_free(&r);
}

/* A confirmation of reg_no as the counter makes it (site and kiosk of the
 * fixture), complete; supersedes and one correction when given. */
static json_t *confirmation_doc(const char *reg_no, const char *supersedes, const char *field,
                                const char *old_value, const char *new_value)
{
	tqk_confirmation k;
	fixture_confirmation(reg_no, &k);
	snprintf(k.site, sizeof k.site, FIXTURE_SITE);
	snprintf(k.kiosk, sizeof k.kiosk, FIXTURE_KIOSK);
	if (supersedes != NULL)
		snprintf(k.supersedes, sizeof k.supersedes, "%s", supersedes);
	if (field != NULL) {
		assert_int_equal(tqk_field_from_code(field, &k.corrections[0].field), TQK_OK);
		snprintf(k.corrections[0].old_value, sizeof k.corrections[0].old_value, "%s", old_value);
		snprintf(k.corrections[0].new_value, sizeof k.corrections[0].new_value, "%s", new_value);
		k.n_corrections = 1;
	}
	json_t *doc = tqk_json_confirmation_encode(&k);
	assert_non_null(doc);
	return doc;
}

/* ---- fixtures ---- */

static int setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	fixture_tmpdir(w->dir, sizeof w->dir);
	path_in(w, "kiosk.db", w->db, sizeof w->db);
	proc_result r;
	CTL(&r, "db", "init", "--db", w->db, "--site", FIXTURE_SITE, "--kiosk", FIXTURE_KIOSK,
	    "--county", "CSX", "--year", "2026", "--site-no", "1");
	expect_status(&r, 0);
	proc_result_free(&r);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	fixture_rmdir(w->dir);
	free(w);
	return 0;
}

/* ---- tests ---- */

static void init_is_idempotent(void **state)
{
	world *w = *state;
	proc_result r;
	CTL(&r, "db", "init", "--db", w->db, "--site", "S01", "--kiosk", "K01", "--county", "CSX",
	    "--year", "2026", "--site-no", "1");
	expect_status(&r, 0);
	char want[1024];
	snprintf(want, sizeof want, "db=%s\ncreated=false\nchanged=false\nversion=%d\nsite=S01\n"
	         "kiosk=K01\ncounty=CSX\nyear=2026\nsite_no=1\nwidth=3\nserials=1..999\n", w->db,
	         TQK_STORE_VERSION);
	assert_string_equal(r.out, want);
	proc_result_free(&r);

	/* Before any confirmation everything may change; --json. */
	CTL(&r, "--json", "db", "init", "--db", w->db, "--site", "S01", "--kiosk", "K02",
	    "--county", "CSX", "--year", "2026", "--site-no", "1", "--width", "4");
	expect_status(&r, 0);
	json_t *j = expect_json_object(&r);
	assert_true(json_is_false(json_object_get(j, "created")));
	assert_true(json_is_true(json_object_get(j, "changed")));
	assert_string_equal(json_string_value(json_object_get(j, "kiosk")), "K02");
	assert_int_equal(json_integer_value(json_object_get(j, "width")), 4);
	assert_string_equal(json_string_value(json_object_get(j, "serials")), "1..9999");
	json_decref(j);
	proc_result_free(&r);

	/* Values the archive number cannot carry; options missing. */
	CTL(&r, "db", "init", "--db", w->db, "--site", "S01", "--kiosk", "K01", "--county", "csx",
	    "--year", "2026", "--site-no", "1");
	expect_status(&r, 1);
	expect_kv(&r, "error", "archive.county");
	proc_result_free(&r);
	CTL(&r, "db", "init", "--db", w->db, "--site", "S01", "--kiosk", "K01", "--county", "CSX",
	    "--year", "2026", "--site-no", "100");
	expect_status(&r, 1);
	expect_kv(&r, "error", "archive.site");
	proc_result_free(&r);
	CTL(&r, "db", "init", "--db", w->db, "--site", "S01", "--county", "CSX");
	expect_status(&r, 2);
	expect_err(&r, "--site-no");
	proc_result_free(&r);
}

/* Two kiosks of one site take disjoint blocks of serials: --serials A..B;
 * without it a block given before is kept; once a confirmation exists the
 * block may only grow at its end; a block used up is store.serials. */
static void init_with_a_block_of_serials(void **state)
{
	world *w = *state;
	proc_result r;
	static const char *const bad[] = {"0..5", "5..4", "1..1000", "7", "1..", "..9", "a..b"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CTL(&r, "db", "init", "--db", w->db, "--site", "S01", "--kiosk", "K01", "--county",
		    "CSX", "--year", "2026", "--site-no", "1", "--serials", bad[i]);
		if (r.status == 1)
			expect_kv(&r, "error", "archive.serial");
		else
			expect_status(&r, 2);
		proc_result_free(&r);
	}
	CTL(&r, "db", "init", "--db", w->db, "--site", "S01", "--kiosk", "K01", "--county", "CSX",
	    "--year", "2026", "--site-no", "1", "--serials", "998..999");
	expect_status(&r, 0);
	expect_kv(&r, "changed", "true");
	expect_kv(&r, "serials", "998..999");
	proc_result_free(&r);
	CTL(&r, "db", "init", "--db", w->db, "--site", "S01", "--kiosk", "K01", "--county", "CSX",
	    "--year", "2026", "--site-no", "1");
	expect_status(&r, 0);
	expect_kv(&r, "changed", "false");
	expect_kv(&r, "serials", "998..999");
	proc_result_free(&r);

	import(w, 0, 3);
	char path[700];
	static const char *const regs[] = {"20260000000000", "20260000000001", "20260000000002"};
	static const char *const want[] = {"CSX202601998", "CSX202601999", NULL};
	for (int i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "c%d.json", i);
		write_json(w, name, confirmation_doc(regs[i], NULL, NULL, NULL, NULL), path,
		           sizeof path);
		CTL(&r, "confirm", "--db", w->db, path);
		if (want[i] != NULL) {
			expect_status(&r, 0);
			expect_kv(&r, "archive_no", want[i]);
		} else {
			expect_status(&r, 1);
			expect_kv(&r, "error", "store.serials");
		}
		proc_result_free(&r);
	}
	CTL(&r, "db", "init", "--db", w->db, "--site", "S01", "--kiosk", "K01", "--county", "CSX",
	    "--year", "2026", "--site-no", "1", "--serials", "1..999");
	expect_status(&r, 1);
	expect_kv(&r, "error", "store.site");
	proc_result_free(&r);
	CTL(&r, "db", "init", "--db", w->db, "--site", "S01", "--kiosk", "K01", "--county", "CSX",
	    "--year", "2026", "--site-no", "1", "--width", "4", "--serials", "998..1200");
	expect_status(&r, 0);
	expect_kv(&r, "serials", "998..1200");
	proc_result_free(&r);
	CTL(&r, "confirm", "--db", w->db, path);
	expect_status(&r, 0);
	expect_kv(&r, "archive_no", "CSX2026011000");
	proc_result_free(&r);
}

static void missing_db(void **state)
{
	world *w = *state;
	proc_result r;
	CTL(&r, "queue");
	expect_status(&r, 2);
	assert_string_equal(r.out, "");
	expect_err(&r, "TQK_DB");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "db", "check");
	expect_status(&r, 2);
	expect_err(&r, "give the local database with --db PATH, or set TQK_DB");
	proc_result_free(&r);

	/* $TQK_DB stands in for --db. */
	char env[700];
	snprintf(env, sizeof env, "TQK_DB=%s", w->db);
	ctl_run(&r, (char *[]){env, NULL}, (const char *[]){"queue", NULL});
	expect_status(&r, 0);
	expect_kv(&r, "pending", "0");
	proc_result_free(&r);

	/* A store that does not exist is not created by anything but db init. */
	char none[700];
	path_in(w, "none.db", none, sizeof none);
	CTL(&r, "find", "--db", none, "20260000000001");
	expect_status(&r, 2);
	expect_kv(&r, "error", "store.missing");
	expect_err(&r, "db init");
	proc_result_free(&r);
	assert_int_equal(access(none, F_OK), -1);
	CTL(&r, "--lang", "en", "import", "--db", none, none);
	expect_status(&r, 2);
	proc_result_free(&r);

	CTL(&r, "db");
	expect_status(&r, 2);
	proc_result_free(&r);
	CTL(&r, "db", "frob", "--db", w->db);
	expect_status(&r, 2);
	proc_result_free(&r);
	CTL(&r, "audit", "--db", w->db);
	expect_status(&r, 2);
	proc_result_free(&r);
	CTL(&r, "queue", "--db", w->db, "extra");
	expect_status(&r, 2);
	proc_result_free(&r);
}

static void import_twice_changes_nothing(void **state)
{
	world *w = *state;
	char path[700];
	write_json(w, "apps.json", import_doc(0, 5, "cursor-1"), path, sizeof path);
	proc_result r;
	CTL(&r, "import", "--db", w->db, path);
	expect_status(&r, 0);
	assert_string_equal(r.out, "applications=5\ninserted=5\nupdated=0\nunchanged=0\nkept=0\n"
	                           "duplicates=0\ncursor=cursor-1\n");
	proc_result_free(&r);
	CTL(&r, "--json", "import", "--db", w->db, path);
	expect_status(&r, 0);
	assert_string_equal(r.out, "{\"applications\":5,\"inserted\":0,\"updated\":0,\"unchanged\":5,"
	                           "\"kept\":0,\"duplicates\":0,\"cursor\":\"cursor-1\"}\n");
	proc_result_free(&r);

	/* A newer revision of two of them replaces them; an empty download
	 * with a null cursor is fine too. */
	json_t *doc = import_doc(3, 2, "cursor-2");
	json_t *a;
	size_t i;
	json_array_foreach(json_object_get(doc, "applications"), i, a)
		json_object_set_new(a, "rev", json_integer(2));
	write_json(w, "newer.json", doc, path, sizeof path);
	CTL(&r, "import", "--db", w->db, path);
	expect_status(&r, 0);
	expect_kv(&r, "inserted", "0");
	expect_kv(&r, "updated", "2");
	proc_result_free(&r);
	write_text(w, "empty.json", "{\"cursor\": null, \"applications\": []}", path, sizeof path);
	CTL(&r, "import", "--db", w->db, path);
	expect_status(&r, 0);
	assert_string_equal(r.out, "applications=0\ninserted=0\nupdated=0\nunchanged=0\nkept=0\n"
	                           "duplicates=0\n");
	proc_result_free(&r);

	CTL(&r, "db", "check", "--db", w->db);
	expect_status(&r, 0);
	expect_kv(&r, "applications", "5");
	expect_kv(&r, "confirmations", "0");
	proc_result_free(&r);
}

static void import_refuses_bad_files(void **state)
{
	world *w = *state;
	char path[700];
	proc_result r;

	/* A syntax error: line and column, and never the text near it. */
	write_text(w, "syntax.json", "{\"cursor\": \"c\",\n \"applications\": [\n  {\"name\": 王伟}]}\n",
	           path, sizeof path);
	CTL(&r, "import", "--db", w->db, path);
	expect_status(&r, 1);
	assert_string_equal(r.out, "error=json.syntax\n");
	expect_err(&r, "line 3");
	expect_err(&r, "column");
	expect_err(&r, "JSON 格式错误");
	expect_no_err(&r, "王");
	proc_result_free(&r);

	/* The wrong shape. */
	write_text(w, "shape.json", "{\"applications\": []}", path, sizeof path);
	CTL(&r, "import", "--db", w->db, path);
	expect_status(&r, 1);
	expect_kv(&r, "error", "json.type");
	expect_err(&r, "cursor");
	proc_result_free(&r);
	write_text(w, "shape2.json", "[]", path, sizeof path);
	CTL(&r, "import", "--db", w->db, path);
	expect_status(&r, 1);
	proc_result_free(&r);

	/* One bad ID number among good applications: index, reg_no and member
	 * named, the number itself never, and nothing stored. */
	json_t *doc = import_doc(0, 3, "c");
	json_t *bad = json_array_get(json_object_get(doc, "applications"), 1);
	char id[TQK_ID_LEN + 1];
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(bad, "id_number")));
	id[17] = id[17] == '0' ? '1' : '0';
	json_object_set_new(bad, "id_number", json_string(id));
	write_json(w, "badid.json", doc, path, sizeof path);
	CTL(&r, "import", "--db", w->db, path);
	expect_status(&r, 1);
	assert_string_equal(r.out, "error=id.checksum\nindex=1\nreg_no=20260000000001\n"
	                           "member=id_number\n");
	expect_err(&r, "applications[1] (reg_no 20260000000001): id_number");
	expect_err(&r, "校验位");
	expect_err(&r, "未导入任何记录");
	expect_no_err(&r, id);
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "--json", "import", "--db", w->db, path);
	expect_status(&r, 1);
	json_t *j = expect_json_object(&r);
	assert_string_equal(json_string_value(json_object_get(j, "member")), "id_number");
	assert_int_equal(json_integer_value(json_object_get(j, "index")), 1);
	json_decref(j);
	expect_err(&r, "nothing was imported");
	proc_result_free(&r);

	CTL(&r, "db", "check", "--db", w->db);
	expect_status(&r, 0);
	expect_kv(&r, "applications", "0");
	proc_result_free(&r);

	CTL(&r, "import", "--db", w->db);
	expect_status(&r, 2);
	proc_result_free(&r);
	CTL(&r, "import", "--db", w->db, "/nonexistent/apps.json");
	expect_status(&r, 2);
	proc_result_free(&r);
}

static void find_by_every_kind(void **state)
{
	world *w = *state;
	import(w, 0, 5);
	tqk_application a;
	fixture_app(2, FIXTURE_SITE, &a);
	proc_result r;

	CTL(&r, "find", "--db", w->db, a.id_number);
	expect_status(&r, 0);
	char want[2048];
	snprintf(want, sizeof want, "by=id\nfound=1\nreg_no=%s\nname=%s\nid_number=%s\ncert_no=%s\n"
	         "state=submitted\nstate_label=信息提交成功，等待现场确认\nsite=S01\nschool=%s\n",
	         a.reg_no, a.name, a.id_number, a.cert_no, a.school);
	assert_string_equal(r.out, want);
	proc_result_free(&r);

	/* The old 15-digit form of the same ID number. */
	char id15[16];
	snprintf(id15, sizeof id15, "%.6s%.9s", a.id_number, a.id_number + 8);
	CTL(&r, "find", "--db", w->db, id15);
	expect_status(&r, 0);
	expect_kv(&r, "by", "id");
	expect_kv(&r, "reg_no", a.reg_no);
	proc_result_free(&r);

	CTL(&r, "find", "--db", w->db, a.cert_no);
	expect_status(&r, 0);
	expect_kv(&r, "by", "cert");
	expect_kv(&r, "reg_no", a.reg_no);
	proc_result_free(&r);

	CTL(&r, "--json", "--lang", "en", "find", "--db", w->db, a.reg_no);
	expect_status(&r, 0);
	json_t *j = expect_json_object(&r);
	assert_string_equal(json_string_value(json_object_get(j, "by")), "reg_no");
	assert_int_equal(json_integer_value(json_object_get(j, "found")), 1);
	json_t *apps = json_object_get(j, "applications");
	assert_int_equal(json_array_size(apps), 1);
	json_t *one = json_array_get(apps, 0);
	assert_string_equal(json_string_value(json_object_get(one, "name")), a.name);
	assert_string_equal(json_string_value(json_object_get(one, "state_label")),
	                    tqk_state_label(TQK_ST_SUBMITTED, TQK_LANG_EN));
	json_decref(j);
	proc_result_free(&r);

	CTL(&r, "find", "--db", w->db, "20269999999999");
	expect_status(&r, 1);
	assert_string_equal(r.out, "by=reg_no\nfound=0\n");
	expect_err(&r, "未找到");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "--json", "find", "--db", w->db, "20109999999999999");
	expect_status(&r, 1);
	assert_string_equal(r.out, "{\"by\":\"cert\",\"found\":0,\"applications\":[]}\n");
	expect_err(&r, "no application");
	proc_result_free(&r);
	CTL(&r, "find", "--db", w->db);
	expect_status(&r, 2);
	proc_result_free(&r);
}

static void find_shows_duplicates(void **state)
{
	world *w = *state;
	/* Application 0 again under another registration number. */
	json_t *doc = import_doc(0, 2, "c");
	tqk_application a;
	fixture_app(0, FIXTURE_SITE, &a);
	snprintf(a.reg_no, sizeof a.reg_no, "20269000000000");
	json_array_append_new(json_object_get(doc, "applications"), tqk_json_application_encode(&a));
	char path[700];
	write_json(w, "dup.json", doc, path, sizeof path);
	proc_result r;
	CTL(&r, "import", "--db", w->db, path);
	expect_status(&r, 0);
	expect_kv(&r, "inserted", "3");
	expect_kv(&r, "duplicates", "2");     /* both registrations of the one person */
	expect_err(&r, "重复报名");
	proc_result_free(&r);

	CTL(&r, "find", "--db", w->db, a.id_number);
	expect_status(&r, 0);
	expect_kv(&r, "found", "2");
	expect_kv(&r, "duplicates", "2");
	expect_err(&r, "重复报名");
	expect_err(&r, "20260000000000、20269000000000");
	expect_err(&r, "网报未受理");
	expect_no_err(&r, a.id_number);
	expect_out(&r, "reg_no=20260000000000\n");
	expect_out(&r, "reg_no=20269000000000\n");
	proc_result_free(&r);

	/* Found by registration number, the other one is still named. */
	CTL(&r, "--lang", "en", "find", "--db", w->db, "20269000000000");
	expect_status(&r, 0);
	expect_kv(&r, "found", "1");
	expect_kv(&r, "duplicates", "2");
	expect_err(&r, "duplicate registration");
	expect_err(&r, "20260000000000, 20269000000000");
	proc_result_free(&r);

	/* Application 1 has no duplicate. */
	fixture_app(1, FIXTURE_SITE, &a);
	CTL(&r, "find", "--db", w->db, a.reg_no);
	expect_status(&r, 0);
	expect_no_kv(&r, "duplicates");
	assert_string_equal(r.err, "");
	proc_result_free(&r);
}

static void confirm_and_correct(void **state)
{
	world *w = *state;
	import(w, 0, 3);
	char path[700], uuid[64];
	write_json(w, "c1.json", confirmation_doc("20260000000001", NULL, NULL, NULL, NULL), path,
	           sizeof path);
	proc_result r;
	CTL(&r, "confirm", "--db", w->db, path);
	expect_status(&r, 0);
	kv_get(&r, "uuid", uuid, sizeof uuid);
	assert_true(tqk_uuid_valid(uuid));
	expect_kv(&r, "reg_no", "20260000000001");
	expect_kv(&r, "conclusion", "complete");
	expect_kv(&r, "archive_no", "CSX202601001");
	expect_kv(&r, "state", "confirmed");
	expect_kv(&r, "state_label", "信息已确认，待审批");
	proc_result_free(&r);

	/* The same again: refused, the store unchanged. */
	CTL(&r, "confirm", "--db", w->db, path);
	expect_status(&r, 1);
	assert_string_equal(r.out, "error=store.confirmed\nmember=supersedes\n");
	expect_err(&r, "已经确认过");
	expect_err(&r, "supersedes");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "--json", "confirm", "--db", w->db, path);
	expect_status(&r, 1);
	assert_string_equal(r.out, "{\"error\":\"store.confirmed\",\"member\":\"supersedes\"}\n");
	expect_err(&r, "already confirmed");
	proc_result_free(&r);

	/* A correction supersedes it and keeps the bag's archive number. */
	tqk_application a;
	fixture_app(1, FIXTURE_SITE, &a);
	write_json(w, "c2.json", confirmation_doc(a.reg_no, uuid, "school", a.school, "长沙县实验小学"),
	           path, sizeof path);
	CTL(&r, "--json", "confirm", "--db", w->db, path);
	expect_status(&r, 0);
	json_t *j = expect_json_object(&r);
	assert_string_equal(json_string_value(json_object_get(j, "supersedes")), uuid);
	assert_string_equal(json_string_value(json_object_get(j, "archive_no")), "CSX202601001");
	char uuid2[64];
	snprintf(uuid2, sizeof uuid2, "%s", json_string_value(json_object_get(j, "uuid")));
	json_decref(j);
	proc_result_free(&r);

	CTL(&r, "find", "--db", w->db, a.reg_no);
	expect_status(&r, 0);
	expect_kv(&r, "school", "长沙县实验小学");
	expect_kv(&r, "confirmation", uuid2);
	expect_kv(&r, "conclusion", "complete");
	expect_kv(&r, "archive_no", "CSX202601001");
	proc_result_free(&r);

	/* Superseding the old one again, or correcting from a stale value. */
	CTL(&r, "confirm", "--db", w->db, path);
	expect_status(&r, 1);
	expect_kv(&r, "error", "store.supersede");
	proc_result_free(&r);
	write_json(w, "c3.json", confirmation_doc(a.reg_no, uuid2, "school", a.school, "别的小学"),
	           path, sizeof path);
	CTL(&r, "confirm", "--db", w->db, path);
	expect_status(&r, 1);
	assert_string_equal(r.out, "error=store.stale\nmember=corrections\n");
	proc_result_free(&r);

	/* Bad files name the member at fault. */
	json_t *doc = confirmation_doc("20260000000002", NULL, NULL, NULL, NULL);
	json_object_set_new(json_object_get(doc, "marks"), "health", json_string("maybe"));
	write_json(w, "bad.json", doc, path, sizeof path);
	CTL(&r, "confirm", "--db", w->db, path);
	expect_status(&r, 1);
	expect_kv(&r, "member", "marks");
	expect_err(&r, "bad.json: marks");
	proc_result_free(&r);
	doc = confirmation_doc("20260000000002", NULL, NULL, NULL, NULL);
	json_object_set_new(doc, "clerck", json_string("C007"));
	write_json(w, "bad2.json", doc, path, sizeof path);
	CTL(&r, "confirm", "--db", w->db, path);
	expect_status(&r, 1);
	expect_kv(&r, "member", "unknown member");
	proc_result_free(&r);
	write_json(w, "c9.json", confirmation_doc("20269999999999", NULL, NULL, NULL, NULL), path,
	           sizeof path);
	CTL(&r, "confirm", "--db", w->db, path);
	expect_status(&r, 1);
	assert_string_equal(r.out, "error=store.not_found\nmember=reg_no\n");
	proc_result_free(&r);

	/* With a confirmation made, the archive prefix is fixed. */
	CTL(&r, "db", "init", "--db", w->db, "--site", "S01", "--kiosk", "K01", "--county", "CSX",
	    "--year", "2026", "--site-no", "2");
	expect_status(&r, 1);
	expect_kv(&r, "error", "store.site");
	expect_err(&r, "档案序号");
	proc_result_free(&r);
	CTL(&r, "db", "check", "--db", w->db);
	expect_status(&r, 0);
	expect_kv(&r, "confirmations", "2");
	expect_kv(&r, "outbox_pending", "2");
	proc_result_free(&r);
}

static void queue_counts(void **state)
{
	world *w = *state;
	import(w, 0, 3);
	proc_result r;
	CTL(&r, "queue", "--db", w->db);
	expect_status(&r, 0);
	assert_string_equal(r.out, "pending=0\nsending=0\nacked=0\nrejected=0\noldest_pending=none\n");
	proc_result_free(&r);
	char path[700];
	for (int i = 0; i < 2; i++) {
		char reg[32];
		snprintf(reg, sizeof reg, "2026%010d", i);
		write_json(w, "c.json", confirmation_doc(reg, NULL, NULL, NULL, NULL), path, sizeof path);
		CTL(&r, "confirm", "--db", w->db, path);
		expect_status(&r, 0);
		proc_result_free(&r);
	}
	CTL(&r, "--json", "queue", "--db", w->db);
	expect_status(&r, 0);
	assert_string_equal(r.out, "{\"pending\":2,\"sending\":0,\"acked\":0,\"rejected\":0,"
	                           "\"oldest_pending\":\"2026-05-20 09:31\"}\n");
	proc_result_free(&r);
}

static void audit_verify(void **state)
{
	world *w = *state;
	import(w, 0, 3);
	proc_result r;
	CTL(&r, "audit", "verify", "--db", w->db);
	expect_status(&r, 0);
	assert_string_equal(r.out, "audit_rows=2\naudit=ok\n");     /* site.set, apps.import */
	proc_result_free(&r);

	/* Someone with SQLite in hand rewrites a row. */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(w->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_fixed;"
	                                  "UPDATE audit SET detail = 'nothing' WHERE seq = 2", NULL,
	                              NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	CTL(&r, "audit", "verify", "--db", w->db);
	expect_status(&r, 1);
	assert_string_equal(r.out, "audit_rows=2\naudit=broken\naudit_first_bad=2\n"
	                           "audit_why=its content does not match its hash\n"
	                           "error=store.audit\n");
	expect_err(&r, "审计记录第 2 行");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "db", "check", "--db", w->db);
	expect_status(&r, 1);
	expect_kv(&r, "audit", "broken");
	expect_err(&r, "audit row 2");
	proc_result_free(&r);
}

/* The names in dir, sorted, as "a b c". */
static void list_dir(const char *dir, char *buf, size_t cap)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	assert_true(n >= 0);
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.')
			len += (size_t)snprintf(buf + len, cap - len, "%s%s", len > 0 ? " " : "",
			                        names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

static void backup_and_rotation(void **state)
{
	world *w = *state;
	import(w, 0, 3);
	proc_result r;
	char file[3][1024], dir[700];
	CTL(&r, "db", "backup", "--db", w->db);
	expect_status(&r, 0);
	kv_get(&r, "backup", file[0], sizeof file[0]);
	expect_kv(&r, "keep", "7");
	proc_result_free(&r);
	snprintf(dir, sizeof dir, "%s.backups", w->db);
	assert_memory_equal(file[0], dir, strlen(dir));
	struct stat sb;
	assert_int_equal(stat(file[0], &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);

	/* Into another directory, keeping two: the two newest stay. */
	path_in(w, "saved", dir, sizeof dir);
	for (int i = 0; i < 3; i++) {
		CTL(&r, "--json", "db", "backup", "--db", w->db, "--dir", dir, "--keep", "2");
		expect_status(&r, 0);
		json_t *j = expect_json_object(&r);
		snprintf(file[i], sizeof file[i], "%s",
		         strrchr(json_string_value(json_object_get(j, "backup")), '/') + 1);
		json_decref(j);
		proc_result_free(&r);
	}
	char names[2048], want[2048];
	list_dir(dir, names, sizeof names);
	snprintf(want, sizeof want, "%s %s", file[1], file[2]);
	char want_other[2048];
	snprintf(want_other, sizeof want_other, "%s %s", file[2], file[1]);
	if (strcmp(names, want) != 0 && strcmp(names, want_other) != 0)
		fail_msg("kept %s; want the two newest, %s", names, want);

	CTL(&r, "db", "backup", "--db", w->db, "--keep", "0");
	expect_status(&r, 2);
	proc_result_free(&r);
}

/* Overwrites the first 64 bytes of every page in the middle third of the
 * file with 0xff: b-tree page headers no SQLite check can miss. */
static void damage(const char *path)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long pages = ftell(f) / 4096;
	assert_true(pages >= 12);
	unsigned char junk[64];
	memset(junk, 0xff, sizeof junk);
	for (long p = pages / 3; p < 2 * pages / 3; p++) {
		assert_int_equal(fseek(f, p * 4096, SEEK_SET), 0);
		assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
	}
	assert_int_equal(fclose(f), 0);
}

static void damaged_store_is_restored(void **state)
{
	world *w = *state;
	import(w, 0, 300);
	proc_result r;
	CTL(&r, "db", "check", "--db", w->db, "--full");
	expect_status(&r, 0);
	expect_kv(&r, "check", "full");
	expect_kv(&r, "result", "ok");
	expect_kv(&r, "applications", "300");
	proc_result_free(&r);
	char backup[1024];
	CTL(&r, "db", "backup", "--db", w->db);
	expect_status(&r, 0);
	kv_get(&r, "backup", backup, sizeof backup);
	proc_result_free(&r);

	damage(w->db);
	CTL(&r, "db", "check", "--db", w->db);
	expect_status(&r, 1);
	expect_kv(&r, "error", "store.corrupt");
	expect_kv(&r, "backup", backup);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "tqkioskctl db restore --db %s %s", w->db, backup);
	expect_kv(&r, "restore", cmd);
	expect_err(&r, "已损坏");
	expect_err(&r, cmd);
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "--json", "db", "check", "--db", w->db);
	expect_status(&r, 1);
	json_t *j = expect_json_object(&r);
	assert_string_equal(json_string_value(json_object_get(j, "restore")), cmd);
	json_decref(j);
	expect_err(&r, "damaged");
	expect_err(&r, "newest good backup");
	proc_result_free(&r);

	/* Any other command refuses the damaged file and offers the same. */
	CTL(&r, "find", "--db", w->db, "20260000000001");
	expect_status(&r, 2);
	expect_kv(&r, "error", "store.corrupt");
	expect_kv(&r, "restore", cmd);
	proc_result_free(&r);

	CTL(&r, "db", "restore", "--db", w->db, backup);
	expect_status(&r, 0);
	expect_kv(&r, "restored", backup);
	char damaged[1024];
	kv_get(&r, "damaged", damaged, sizeof damaged);
	assert_int_equal(access(damaged, F_OK), 0);
	proc_result_free(&r);
	CTL(&r, "db", "check", "--db", w->db, "--full");
	expect_status(&r, 0);
	expect_kv(&r, "result", "ok");
	expect_kv(&r, "applications", "300");
	expect_kv(&r, "audit", "ok");
	proc_result_free(&r);

	/* A damaged backup is refused; so is a missing one. */
	CTL(&r, "db", "restore", "--db", w->db, damaged);
	expect_status(&r, 1);
	expect_kv(&r, "error", "store.corrupt");
	proc_result_free(&r);
	CTL(&r, "db", "restore", "--db", w->db, "/nonexistent/backup.db");
	expect_status(&r, 2);
	proc_result_free(&r);
	CTL(&r, "db", "restore", "--db", w->db);
	expect_status(&r, 2);
	proc_result_free(&r);

	/* Without a good backup, check says so. */
	char lone[700];
	path_in(w, "lone.db", lone, sizeof lone);
	char copy[2048];
	snprintf(copy, sizeof copy, "cp '%s' '%s'", damaged, lone);
	assert_int_equal(system(copy), 0);
	CTL(&r, "db", "check", "--db", lone);
	expect_status(&r, 1);
	expect_kv(&r, "backup", "none");
	expect_err(&r, "没有完好的备份");
	proc_result_free(&r);
}

static void purge_before_and_after_due(void **state)
{
	world *w = *state;
	import(w, 0, 3);
	char path[700];
	write_json(w, "c.json", confirmation_doc("20260000000000", NULL, NULL, NULL, NULL), path,
	           sizeof path);
	proc_result r;
	CTL(&r, "confirm", "--db", w->db, path);
	expect_status(&r, 0);
	proc_result_free(&r);

	/* No period end known. */
	CTL(&r, "purge", "--db", w->db);
	expect_status(&r, 2);
	assert_string_equal(r.out, "");
	expect_err(&r, "plan.period_end");
	expect_err(&r, "--period-end");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "purge", "--db", w->db);
	expect_status(&r, 2);
	expect_err(&r, "the end of the confirmation period is unknown");
	proc_result_free(&r);

	/* Not due yet. */
	CTL(&r, "purge", "--db", w->db, "--period-end", "2099-12-31");
	expect_status(&r, 0);
	assert_string_equal(r.out, "period_end=2099-12-31\nretention=30\ndue=2100-01-31\n"
	                           "purged=false\n");
	expect_err(&r, "2100-01-31");
	proc_result_free(&r);

	/* Due, by the plan's date in the store: the confirmed application waits
	 * for its upload, the other two are emptied. */
	tqk_store *s;
	assert_int_equal(tqk_store_open(w->db, NULL, &s, NULL), TQK_OK);
	assert_int_equal(tqk_store_setting_set(s, "plan.period_end", "2020-01-31"), TQK_OK);
	tqk_store_free(s);
	CTL(&r, "purge", "--db", w->db, "--retention", "10");
	expect_status(&r, 0);
	assert_string_equal(r.out, "period_end=2020-01-31\nretention=10\ndue=2020-02-11\n"
	                           "purged=true\napplications=2\nconfirmations=0\nheld=1\n");
	expect_err(&r, "尚未被县服务器确认接收");
	proc_result_free(&r);

	tqk_application a;
	fixture_app(1, FIXTURE_SITE, &a);
	CTL(&r, "find", "--db", w->db, a.id_number);
	expect_status(&r, 1);
	proc_result_free(&r);
	CTL(&r, "find", "--db", w->db, a.reg_no);
	expect_status(&r, 0);
	expect_kv(&r, "name", "");
	expect_kv(&r, "purged", "true");
	proc_result_free(&r);
	fixture_app(0, FIXTURE_SITE, &a);
	CTL(&r, "find", "--db", w->db, a.id_number);
	expect_status(&r, 0);
	expect_kv(&r, "name", a.name);
	proc_result_free(&r);

	CTL(&r, "db", "check", "--db", w->db);
	expect_status(&r, 0);
	expect_kv(&r, "purged", "2");
	proc_result_free(&r);
	CTL(&r, "purge", "--db", w->db, "--period-end", "2026-02-30");
	expect_status(&r, 2);
	proc_result_free(&r);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(init_is_idempotent),
		T(init_with_a_block_of_serials),
		T(missing_db),
		T(import_twice_changes_nothing),
		T(import_refuses_bad_files),
		T(find_by_every_kind),
		T(find_shows_duplicates),
		T(confirm_and_correct),
		T(queue_counts),
		T(audit_verify),
		T(backup_and_rotation),
		T(damaged_store_is_restored),
		T(purge_before_and_after_due),
	};
#undef T
	return cmocka_run_group_tests_name("tqkioskctl store", tests, NULL, NULL);
}
