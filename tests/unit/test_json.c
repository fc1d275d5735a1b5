/*
 * test_json.c - applications and confirmations as JSON: parsing (the size
 * cap, duplicate keys, syntax errors with their line and column), round
 * trips of both records, every error path of the decoders (each missing
 * required member, each wrong type, over-long strings, bad ID and
 * certificate numbers, marks and corrections, unknown confirmation members),
 * the output left untouched on every failure, and deterministic encoding
 * down to the exact bytes.
 */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "core/application.h"
#include "core/confirmation.h"
#include "core/payload.h"
#include "proto/json.h"

#define TODAY DATE(2026, 5, 20)
#define UUID1 "0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5b"
#define UUID2 "9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a"
#define ID_A "360426199101010071"
#define ID_B "44011320141005001X"
#define ID_C "11010519491231002X"
#define CERT "20104301420000123"

/* A valid application, exactly as the encoder writes it. */
static const char app_text[] =
	"{\"reg_no\":\"R2026000123\",\"site\":\"CSX01\",\"name\":\"张三\","
	"\"id_number\":\"" ID_A "\",\"nation\":\"汉族\",\"cert_no\":\"" CERT "\","
	"\"cert_name\":\"张三\",\"cert_id\":\"" ID_A "\",\"qualification\":\"junior\","
	"\"cert_subject\":\"数学\",\"cert_authority\":\"长沙市教育局\","
	"\"cert_issued\":\"2010-07-01\",\"institution\":\"长沙县教育局\",\"post\":\"primary\","
	"\"post_subject\":\"数学\",\"school\":\"星沙中学\",\"school_area\":\"urban\","
	"\"title\":\"一级教师\",\"work_start\":\"2010-09-01\",\"email\":\"zhangsan@example.cn\","
	"\"registration\":\"second\",\"state\":\"submitted\",\"site_message\":\"\","
	"\"inst_message\":\"请核对学校名称\\n谢谢\",\"remark\":\"\",\"rev\":7}";

/* A valid confirmation, exactly as the encoder writes it. */
static const char conf_text[] =
	"{\"uuid\":\"" UUID1 "\",\"supersedes\":null,\"reg_no\":\"R1\",\"site\":\"S1\","
	"\"kiosk\":\"K1\",\"clerk\":\"C1\",\"marks\":{\"form\":\"has\",\"police\":\"na\"},"
	"\"police_required\":false,"
	"\"corrections\":[{\"field\":\"name\",\"old\":\"张叁\",\"new\":\"张三\"}],"
	"\"conclusion\":\"not_accepted\",\"remark\":\"重复报名\",\"message\":\"\","
	"\"archive_no\":null,\"at\":1779240600,\"time_source\":\"server\"}";

static json_t *parse(const char *text)
{
	json_t *v = NULL;
	char detail[200];
	tqk_err err = tqk_json_parse(text, strlen(text), &v, detail, sizeof detail);
	if (err != TQK_OK)
		fail_msg("test JSON does not parse: %s: %s", tqk_err_code(err), detail);
	return v;
}

/* The application of app_text, built through the field setters. */
static tqk_application app_sample(void)
{
	tqk_application a;
	memset(&a, 0, sizeof a);
	static const char *const values[TQK_F_COUNT] = {
		[TQK_F_NAME] = "张三", [TQK_F_ID_NUMBER] = ID_A, [TQK_F_NATION] = "汉族",
		[TQK_F_CERT_NO] = CERT, [TQK_F_CERT_NAME] = "张三", [TQK_F_CERT_ID] = ID_A,
		[TQK_F_QUALIFICATION] = "junior", [TQK_F_CERT_SUBJECT] = "数学",
		[TQK_F_CERT_AUTHORITY] = "长沙市教育局", [TQK_F_CERT_ISSUED] = "2010-07-01",
		[TQK_F_INSTITUTION] = "长沙县教育局", [TQK_F_SITE] = "CSX01",
		[TQK_F_POST] = "primary", [TQK_F_POST_SUBJECT] = "数学", [TQK_F_SCHOOL] = "星沙中学",
		[TQK_F_SCHOOL_AREA] = "urban", [TQK_F_TITLE] = "一级教师",
		[TQK_F_WORK_START] = "2010-09-01", [TQK_F_EMAIL] = "zhangsan@example.cn",
	};
	for (int f = 0; f < TQK_F_COUNT; f++)
		assert_int_equal(tqk_field_set(&a, (tqk_field)f, values[f], TODAY), TQK_OK);
	strcpy(a.reg_no, "R2026000123");
	strcpy(a.inst_message, "请核对学校名称\n谢谢");
	a.registration = TQK_REG_SECOND;
	a.state = TQK_ST_SUBMITTED;
	a.rev = 7;
	return a;
}

/* The confirmation of conf_text. */
static tqk_confirmation conf_sample(void)
{
	tqk_confirmation c;
	memset(&c, 0, sizeof c);
	strcpy(c.uuid, UUID1);
	strcpy(c.reg_no, "R1");
	strcpy(c.site, "S1");
	strcpy(c.kiosk, "K1");
	strcpy(c.clerk, "C1");
	c.marks.mark[TQK_MAT_FORM] = TQK_MARK_HAS;
	c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_NA;
	c.n_corrections = 1;
	c.corrections[0].field = TQK_F_NAME;
	strcpy(c.corrections[0].old_value, "张叁");
	strcpy(c.corrections[0].new_value, "张三");
	c.conclusion = TQK_CONC_NOT_ACCEPTED;
	strcpy(c.remark, "重复报名");
	c.at = test_at("2026-05-20 09:30");
	c.time_source = TQK_TIME_SERVER;
	return c;
}

/* A complete confirmation with every member used. */
static tqk_confirmation conf_full(void)
{
	tqk_confirmation c = conf_sample();
	strcpy(c.supersedes, UUID2);
	for (int m = 0; m < TQK_MAT_COUNT; m++)
		c.marks.mark[m] = TQK_MARK_HAS;
	c.marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
	c.marks.mark[TQK_MAT_OTHER] = TQK_MARK_LACKS;
	c.police_required = true;
	c.conclusion = TQK_CONC_INCOMPLETE;
	static const struct {
		tqk_field f;
		const char *old_value, *new_value;
	} ks[] = {
		{TQK_F_ID_NUMBER, "360426199101010072", ID_A}, {TQK_F_CERT_ID, "", "360426910101007"},
		{TQK_F_QUALIFICATION, "primary", "初中"}, {TQK_F_SITE, "CSX02", "CSX01"},
		{TQK_F_EMAIL, "a@b.cn", ""}, {TQK_F_NAME, "张叁", "张三"},
	};
	c.n_corrections = sizeof ks / sizeof ks[0];
	for (size_t i = 0; i < c.n_corrections; i++) {
		c.corrections[i].field = ks[i].f;
		strcpy(c.corrections[i].old_value, ks[i].old_value);
		strcpy(c.corrections[i].new_value, ks[i].new_value);
	}
	strcpy(c.remark, "身心健康证明待补");
	strcpy(c.message, "请补交：\n1. 身心健康证明\n2. 省里要求的材料 \"A\\B\"");
	strcpy(c.archive_no, "CSX202401007");
	c.time_source = TQK_TIME_ANCHORED;
	return c;
}

/* ---- decoding helpers: every call checks that a failure leaves the output
 * alone and a success leaves *bad alone ---- */

static tqk_err app_decode(const json_t *obj, tqk_application *out, const char **bad)
{
	tqk_application before;
	memset(out, 0xA5, sizeof *out);
	memcpy(&before, out, sizeof before);
	const char *where = "untouched";
	tqk_err err = tqk_json_application_decode(obj, TODAY, out, &where);
	if (err != TQK_OK)
		assert_memory_equal(out, &before, sizeof before);
	else
		assert_string_equal(where, "untouched");
	*bad = where;
	return err;
}

static tqk_err conf_decode(const json_t *obj, tqk_confirmation *out, const char **bad)
{
	tqk_confirmation before;
	memset(out, 0xA5, sizeof *out);
	memcpy(&before, out, sizeof before);
	const char *where = "untouched";
	tqk_err err = tqk_json_confirmation_decode(obj, TODAY, out, &where);
	if (err != TQK_OK)
		assert_memory_equal(out, &before, sizeof before);
	else
		assert_string_equal(where, "untouched");
	*bad = where;
	return err;
}

/* Decodes text with member key replaced by value (a new reference; NULL to
 * remove the member) and expects err naming where. */
static void app_expect(int line, const char *key, json_t *value, tqk_err want, const char *where)
{
	json_t *obj = parse(app_text);
	if (value != NULL)
		assert_int_equal(json_object_set_new(obj, key, value), 0);
	else
		assert_int_equal(json_object_del(obj, key), 0);
	tqk_application a;
	const char *bad;
	tqk_err got = app_decode(obj, &a, &bad);
	json_decref(obj);
	if (got != want)
		fail_msg("line %d: %s: got %s (at %s), want %s", line, key, tqk_err_code(got), bad,
		         tqk_err_code(want));
	if (want != TQK_OK && strcmp(bad, where) != 0)
		fail_msg("line %d: %s: %s named \"%s\", want \"%s\"", line, key, tqk_err_code(got),
		         bad, where);
}

static void conf_expect_in(int line, const char *text, const char *key, json_t *value,
                           tqk_err want, const char *where)
{
	json_t *obj = parse(text);
	if (key != NULL && value != NULL)
		assert_int_equal(json_object_set_new(obj, key, value), 0);
	else if (key != NULL)
		assert_int_equal(json_object_del(obj, key), 0);
	tqk_confirmation c;
	const char *bad;
	tqk_err got = conf_decode(obj, &c, &bad);
	json_decref(obj);
	if (got != want)
		fail_msg("line %d: %s: got %s (at %s), want %s", line, key, tqk_err_code(got), bad,
		         tqk_err_code(want));
	if (want != TQK_OK && strcmp(bad, where) != 0)
		fail_msg("line %d: %s: %s named \"%s\", want \"%s\"", line, key, tqk_err_code(got),
		         bad, where);
}

#define APP(key, value, want, where) app_expect(__LINE__, (key), (value), (want), (where))
#define CONF(key, value, want, where) \
	conf_expect_in(__LINE__, conf_text, (key), (value), (want), (where))
/* The same on the full confirmation (complete, with a message and corrections). */
static char *full_text;
#define FULL(key, value, want, where) \
	conf_expect_in(__LINE__, full_text, (key), (value), (want), (where))

static json_t *str_n(size_t n, char fill)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, fill, n);
	s[n] = '\0';
	json_t *v = json_string(s);
	free(s);
	return v;
}

static int setup(void **state)
{
	(void)state;
	tqk_confirmation c = conf_full();
	json_t *obj = tqk_json_confirmation_encode(&c);
	full_text = tqk_json_dump(obj);
	json_decref(obj);
	return full_text != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(full_text);
	return 0;
}

/* ---- parsing ---- */

static void parse_accepts_objects_and_arrays(void **state)
{
	(void)state;
	json_t *v = NULL;
	assert_int_equal(tqk_json_parse("{}", 2, &v, NULL, 0), TQK_OK);
	assert_true(json_is_object(v));
	json_decref(v);
	/* Not NUL-terminated: only len bytes are read. */
	assert_int_equal(tqk_json_parse("[1,2]xyz", 5, &v, NULL, 0), TQK_OK);
	assert_int_equal(json_array_size(v), 2);
	json_decref(v);
	char detail[64] = "stale";
	assert_int_equal(tqk_json_parse(" {\"a\" : \"张三\"}\n", 18, &v, detail, sizeof detail),
	                 TQK_OK);
	assert_string_equal(json_string_value(json_object_get(v, "a")), "张三");
	assert_string_equal(detail, "");
	json_decref(v);
}

static void expect_syntax(const char *text, size_t len, int line, int column, const char *what)
{
	json_t sentinel;
	json_t *v = &sentinel;          /* must stay as it is */
	json_t *const marker = v;
	char detail[256];
	assert_int_equal(tqk_json_parse(text, len, &v, detail, sizeof detail), TQK_E_JSON_SYNTAX);
	assert_ptr_equal(v, marker);
	int l = -1, c = -1, used = 0;
	if (sscanf(detail, "line %d, column %d: %n", &l, &c, &used) != 2 || used == 0)
		fail_msg("detail \"%s\" is not \"line L, column C: what\"", detail);
	if (l != line || (column >= 0 && c != column))
		fail_msg("\"%.*s\": detail \"%s\", want line %d column %d", (int)len, text, detail,
		         line, column);
	if (detail[used] == '\0')
		fail_msg("detail \"%s\" says nothing", detail);
	if (what != NULL && strstr(detail, what) == NULL)
		fail_msg("detail \"%s\" does not mention \"%s\"", detail, what);
}

#define SYNTAX(text, line, column, what) expect_syntax((text), strlen(text), (line), (column), (what))

static void parse_reports_line_and_column(void **state)
{
	(void)state;
	SYNTAX("{\"a\": }", 1, 7, NULL);
	SYNTAX("{\n  \"a\": 1,\n  \"b\" 2\n}", 3, -1, NULL);
	SYNTAX("{\"a\": 1,\n}", 2, -1, NULL);
	SYNTAX("", 1, -1, NULL);
	SYNTAX("   ", 1, -1, NULL);
	SYNTAX("{", 1, -1, NULL);
	SYNTAX("{\"a\": tru}", 1, -1, NULL);
	SYNTAX("{\"a\": 1} {}", 1, -1, NULL);          /* one document only */
	SYNTAX("\"just a string\"", 1, -1, NULL);      /* objects and arrays only */
	SYNTAX("1", 1, -1, NULL);
	SYNTAX("{\"a\": \"\\u0000\"}", 1, -1, NULL);   /* U+0000 would cut a string short */
	SYNTAX("{\"a\": \"\xff\"}", 1, -1, NULL);      /* not UTF-8 */
	SYNTAX("{\"a\": \"\xe5\xbc\"}", 1, -1, NULL);
	SYNTAX("{\"a\": \"\x01\"}", 1, -1, NULL);      /* raw control character */
	SYNTAX("{'a': 1}", 1, 2, NULL);
	expect_syntax("{\"a\": 1}\0", 9, 1, -1, NULL); /* a NUL byte in the document */
}

static void parse_rejects_duplicate_keys(void **state)
{
	(void)state;
	SYNTAX("{\"a\": 1, \"a\": 2}", 1, -1, "duplicate");
	SYNTAX("{\"marks\": {\"form\": \"has\", \"form\": \"lacks\"}}", 1, -1, "duplicate");
	SYNTAX("{\"reg_no\": \"R1\",\n \"reg_no\": \"R2\"}", 2, -1, "duplicate");
}

static void parse_detail_is_optional_and_bounded(void **state)
{
	(void)state;
	json_t *v = NULL;
	assert_int_equal(tqk_json_parse("{", 1, &v, NULL, 0), TQK_E_JSON_SYNTAX);
	assert_null(v);
	char small[8];
	memset(small, 'x', sizeof small);
	assert_int_equal(tqk_json_parse("{", 1, &v, small, sizeof small), TQK_E_JSON_SYNTAX);
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_memory_equal(small, "line 1,", 7);
	char one[1] = {'x'};
	assert_int_equal(tqk_json_parse("{", 1, &v, one, 1), TQK_E_JSON_SYNTAX);
	assert_int_equal(one[0], '\0');
	char untouched[4] = "abc";
	assert_int_equal(tqk_json_parse("{", 1, &v, untouched, 0), TQK_E_JSON_SYNTAX);
	assert_string_equal(untouched, "abc");
	assert_null(v);
}

static void parse_refuses_documents_over_the_cap(void **state)
{
	(void)state;
	size_t len = (size_t)TQK_JSON_DOC_MAX + 1;
	char *doc = malloc(len);
	assert_non_null(doc);
	/* A valid document of exactly the cap: "{}" then spaces. */
	memset(doc, ' ', len);
	doc[0] = '{';
	doc[1] = '}';
	json_t *v = NULL;
	assert_int_equal(tqk_json_parse(doc, len - 1, &v, NULL, 0), TQK_OK);
	json_decref(v);
	/* One byte more. */
	json_t sentinel;
	v = &sentinel;
	json_t *const marker = v;
	char detail[64];
	assert_int_equal(tqk_json_parse(doc, len, &v, detail, sizeof detail), TQK_E_TOO_LONG);
	assert_ptr_equal(v, marker);
	assert_int_not_equal(detail[0], '\0');
	free(doc);
}

/* ---- applications ---- */

static void application_decodes_the_sample(void **state)
{
	(void)state;
	json_t *obj = parse(app_text);
	tqk_application a, want = app_sample();
	const char *bad;
	assert_int_equal(app_decode(obj, &a, &bad), TQK_OK);
	assert_memory_equal(&a, &want, sizeof a);
	json_decref(obj);
}

static void application_encodes_exactly(void **state)
{
	(void)state;
	tqk_application a = app_sample();
	json_t *obj = tqk_json_application_encode(&a);
	assert_non_null(obj);
	char *text = tqk_json_dump(obj);
	assert_string_equal(text, app_text);
	free(text);
	/* Member order: reg_no, site, the other fields in table order, then the rest. */
	const char *key;
	json_t *v;
	int i = 0;
	json_object_foreach(obj, key, v) {
		(void)v;
		const char *want;
		if (i == 0)
			want = "reg_no";
		else if (i == 1)
			want = "site";
		else if (i < 1 + TQK_F_COUNT)
			want = tqk_field_get_info((tqk_field)(i - 2 + (i - 2 >= TQK_F_SITE)))->code;
		else
			want = (const char *[]){"registration", "state", "site_message", "inst_message",
			                        "remark", "rev"}[i - 1 - TQK_F_COUNT];
		assert_string_equal(key, want);
		i++;
	}
	assert_int_equal(i, 1 + TQK_F_COUNT + 6);
	json_decref(obj);
}

/* decode(encode(a)) == a, directly and through the text. */
static void app_round_trip(const tqk_application *a)
{
	const char *bad = "none";
	assert_int_equal(tqk_application_check(a, TODAY, &bad), TQK_OK);
	json_t *obj = tqk_json_application_encode(a);
	assert_non_null(obj);
	tqk_application back;
	assert_int_equal(app_decode(obj, &back, &bad), TQK_OK);
	assert_memory_equal(&back, a, sizeof back);
	char *text = tqk_json_dump(obj);
	json_decref(obj);
	obj = parse(text);
	assert_int_equal(app_decode(obj, &back, &bad), TQK_OK);
	assert_memory_equal(&back, a, sizeof back);
	/* And the same bytes again. */
	json_t *again = tqk_json_application_encode(&back);
	char *text2 = tqk_json_dump(again);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	json_decref(again);
	json_decref(obj);
}

static void application_round_trips(void **state)
{
	(void)state;
	tqk_application a = app_sample();
	app_round_trip(&a);
	/* Only what is required. */
	tqk_application m;
	memset(&m, 0, sizeof m);
	assert_int_equal(tqk_field_set(&m, TQK_F_NAME, "李四", TODAY), TQK_OK);
	assert_int_equal(tqk_field_set(&m, TQK_F_ID_NUMBER, ID_C, TODAY), TQK_OK);
	assert_int_equal(tqk_field_set(&m, TQK_F_SITE, "S-1", TODAY), TQK_OK);
	strcpy(m.reg_no, "W_0001");
	m.registration = TQK_REG_FIRST;
	m.state = TQK_ST_NOT_ACCEPTED;
	app_round_trip(&m);
	/* Every state, stage and area; long texts; a huge revision. */
	for (int s = TQK_ST_SUBMITTED; s < TQK_ST_COUNT; s++) {
		a.state = (tqk_state)s;
		a.qualification = (tqk_stage)(s % TQK_STAGE_COUNT);
		a.post = (tqk_stage)((s + 3) % TQK_STAGE_COUNT);
		a.school_area = (tqk_area)(s % 3);
		a.rev = s == TQK_ST_FAILED ? INT64_MAX : s;
		app_round_trip(&a);
	}
	memset(a.site_message, 'm', TQK_MSG_CAP - 1);
	memset(a.school, 's', TQK_TEXT_CAP - 1);
	for (int i = 0; i < 32; i++)
		memcpy(a.name + 3 * i, "张", 3);
	strcpy(a.remark, "控制\n换行 \"引号\" \\ / \u3000 \xf0\x9f\x98\x80");
	strcpy(a.id_number, ID_B);
	app_round_trip(&a);
}

static void application_decode_normalises(void **state)
{
	(void)state;
	json_t *obj = parse(
		"{\"reg_no\": \"R1\", \"site\": \" S1 \", \"name\": \"\u3000王五 \","
		" \"id_number\": \"360426910101007\", \"cert_id\": \"44011320141005001x\","
		" \"cert_no\": \"960123456789012\", \"qualification\": \"初中\", \"post\": \"高级中学\","
		" \"school_area\": null, \"nation\": null, \"email\": \"\","
		" \"registration\": \"first\", \"state\": \"confirmed\", \"rev\": 0,"
		" \"purged\": true, \"server_extra\": {\"x\": [1, 2]}}");
	tqk_application a;
	const char *bad;
	assert_int_equal(app_decode(obj, &a, &bad), TQK_OK);
	assert_string_equal(a.site, "S1");
	assert_string_equal(a.name, "王五");
	assert_string_equal(a.id_number, ID_A);
	assert_string_equal(a.cert_id, ID_B);
	assert_string_equal(a.cert_no, "19960123456789012");
	assert_int_equal(a.qualification, TQK_STAGE_JUNIOR);
	assert_int_equal(a.post, TQK_STAGE_SENIOR);
	assert_int_equal(a.school_area, TQK_AREA_NONE);
	assert_string_equal(a.nation, "");
	assert_string_equal(a.email, "");
	assert_string_equal(a.site_message, "");
	assert_int_equal(a.registration, TQK_REG_FIRST);
	assert_int_equal(a.state, TQK_ST_CONFIRMED);
	assert_int_equal(a.rev, 0);
	assert_false(a.purged);         /* not a member: unknown ones are ignored */
	json_decref(obj);
}

static void application_missing_members(void **state)
{
	(void)state;
	static const char *const required[] = {
		"reg_no", "name", "id_number", "site", "registration", "state", "rev",
	};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		APP(required[i], NULL, TQK_E_JSON_TYPE, required[i]);
		APP(required[i], json_null(), TQK_E_JSON_TYPE, required[i]);
	}
	for (int f = 0; f < TQK_F_COUNT; f++) {
		const tqk_field_info *fi = tqk_field_get_info((tqk_field)f);
		if (fi->required)
			continue;
		APP(fi->code, NULL, TQK_OK, NULL);
		APP(fi->code, json_null(), TQK_OK, NULL);
		APP(fi->code, json_string(""), TQK_OK, NULL);
	}
	static const char *const messages[] = {"site_message", "inst_message", "remark"};
	for (size_t i = 0; i < 3; i++) {
		APP(messages[i], NULL, TQK_OK, NULL);
		APP(messages[i], json_null(), TQK_OK, NULL);
	}
	APP("name", json_string(" "), TQK_E_FIELD_REQUIRED, "name");
	APP("id_number", json_string(""), TQK_E_FIELD_REQUIRED, "id_number");
	APP("site", json_string("\u3000"), TQK_E_FIELD_REQUIRED, "site");
}

static void application_wrong_types(void **state)
{
	(void)state;
	const char *members[TQK_F_COUNT + 6];
	size_t n = 0;
	members[n++] = "reg_no";
	for (int f = 0; f < TQK_F_COUNT; f++)
		members[n++] = tqk_field_get_info((tqk_field)f)->code;
	members[n++] = "registration";
	members[n++] = "state";
	members[n++] = "site_message";
	members[n++] = "inst_message";
	members[n++] = "remark";
	for (size_t i = 0; i < n; i++) {
		APP(members[i], json_integer(1), TQK_E_JSON_TYPE, members[i]);
		APP(members[i], json_real(1.5), TQK_E_JSON_TYPE, members[i]);
		APP(members[i], json_true(), TQK_E_JSON_TYPE, members[i]);
		APP(members[i], json_false(), TQK_E_JSON_TYPE, members[i]);
		APP(members[i], json_array(), TQK_E_JSON_TYPE, members[i]);
		APP(members[i], json_object(), TQK_E_JSON_TYPE, members[i]);
		/* A string with U+0000 in it would be cut short. */
		APP(members[i], json_stringn("a\0b", 3), TQK_E_FIELD_VALUE, members[i]);
	}
	APP("rev", json_string("7"), TQK_E_JSON_TYPE, "rev");
	APP("rev", json_real(7.0), TQK_E_JSON_TYPE, "rev");
	APP("rev", json_true(), TQK_E_JSON_TYPE, "rev");
	APP("rev", json_integer(-1), TQK_E_FIELD_VALUE, "rev");
	APP("rev", json_integer(0), TQK_OK, NULL);
	APP("state", json_integer(1), TQK_E_JSON_TYPE, "state");
	/* Not an object at all. */
	tqk_application a;
	const char *bad;
	json_t *arr = parse("[]");
	assert_int_equal(app_decode(arr, &a, &bad), TQK_E_JSON_TYPE);
	assert_string_equal(bad, "application");
	json_decref(arr);
	assert_int_equal(app_decode(NULL, &a, &bad), TQK_E_JSON_TYPE);
}

static void application_bad_values(void **state)
{
	(void)state;
	APP("id_number", json_string("360426199101010072"), TQK_E_ID_CHECKSUM, "id_number");
	APP("id_number", json_string("36042619910101007"), TQK_E_ID_LENGTH, "id_number");
	APP("cert_id", json_string("000426199101010071"), TQK_E_ID_REGION, "cert_id");
	APP("cert_no", json_string("19920000000000001"), TQK_E_CERT_YEAR, "cert_no");
	APP("cert_no", json_string("2010430142000012"), TQK_E_CERT_LENGTH, "cert_no");
	APP("cert_no", json_string("2010430142000012a"), TQK_E_CERT_CHARS, "cert_no");
	APP("cert_issued", json_string("2026-05-21"), TQK_E_FIELD_VALUE, "cert_issued");
	APP("work_start", json_string("2010-9-1"), TQK_E_DATE_FORMAT, "work_start");
	APP("qualification", json_string("university"), TQK_E_STAGE_UNKNOWN, "qualification");
	APP("school_area", json_string("城镇"), TQK_E_FIELD_VALUE, "school_area");
	APP("email", json_string("zhangsan"), TQK_E_FIELD_VALUE, "email");
	APP("site", json_string("CSX 01"), TQK_E_FIELD_VALUE, "site");
	APP("name", json_string("张\t三"), TQK_E_FIELD_VALUE, "name");
	APP("reg_no", json_string("R 1"), TQK_E_FIELD_VALUE, "reg_no");
	APP("reg_no", json_string(""), TQK_E_FIELD_VALUE, "reg_no");
	APP("registration", json_string("third"), TQK_E_FIELD_VALUE, "registration");
	APP("registration", json_string("First"), TQK_E_FIELD_VALUE, "registration");
	APP("registration", json_string(""), TQK_E_FIELD_VALUE, "registration");
	APP("state", json_string("none"), TQK_E_STATE_UNKNOWN, "state");
	APP("state", json_string("Submitted"), TQK_E_STATE_UNKNOWN, "state");
	APP("state", json_string("passed"), TQK_OK, NULL);
	APP("site_message", json_string("a\x01"), TQK_E_FIELD_VALUE, "site_message");
	APP("remark", json_string("a\tb"), TQK_E_FIELD_VALUE, "remark");
	/* The first bad member in json.h's order is named. */
	json_t *obj = parse(app_text);
	json_object_set_new(obj, "email", json_string("x"));
	json_object_set_new(obj, "rev", json_string("x"));
	json_object_set_new(obj, "cert_no", json_integer(3));
	tqk_application a;
	const char *bad;
	assert_int_equal(app_decode(obj, &a, &bad), TQK_E_JSON_TYPE);
	assert_string_equal(bad, "cert_no");
	/* "site" comes right after "reg_no". */
	json_object_set_new(obj, "site", json_string("a b"));
	json_object_set_new(obj, "name", json_string(""));
	assert_int_equal(app_decode(obj, &a, &bad), TQK_E_FIELD_VALUE);
	assert_string_equal(bad, "site");
	json_decref(obj);
}

static void application_strings_over_their_caps(void **state)
{
	(void)state;
	APP("reg_no", str_n(TQK_CODE_CAP - 1, 'R'), TQK_OK, NULL);
	APP("reg_no", str_n(TQK_CODE_CAP, 'R'), TQK_E_TOO_LONG, "reg_no");
	APP("site", str_n(TQK_CODE_CAP - 1, 'S'), TQK_OK, NULL);
	APP("site", str_n(TQK_CODE_CAP, 'S'), TQK_E_TOO_LONG, "site");
	APP("name", str_n(TQK_NAME_CAP - 1, 'n'), TQK_OK, NULL);
	APP("name", str_n(TQK_NAME_CAP, 'n'), TQK_E_TOO_LONG, "name");
	APP("school", str_n(TQK_TEXT_CAP - 1, 's'), TQK_OK, NULL);
	APP("school", str_n(TQK_TEXT_CAP, 's'), TQK_E_TOO_LONG, "school");
	APP("nation", str_n(TQK_MSG_CAP + 100, ' '), TQK_E_TOO_LONG, "nation");
	APP("name", str_n(100000, 'n'), TQK_E_TOO_LONG, "name");
	APP("id_number", str_n(TQK_MSG_CAP, '1'), TQK_E_TOO_LONG, "id_number");
	static const char *const messages[] = {"site_message", "inst_message", "remark"};
	for (size_t i = 0; i < 3; i++) {
		APP(messages[i], str_n(TQK_MSG_CAP - 1, 'm'), TQK_OK, NULL);
		APP(messages[i], str_n(TQK_MSG_CAP, 'm'), TQK_E_TOO_LONG, messages[i]);
	}
	/* Chinese: 341 characters of 3 bytes fit in 1024, 342 do not. */
	char buf[3 * 342 + 1];
	for (int i = 0; i < 342; i++)
		memcpy(buf + 3 * i, "留", 3);
	buf[3 * 341] = '\0';
	APP("inst_message", json_string(buf), TQK_OK, NULL);
	memcpy(buf + 3 * 341, "留", 3);
	buf[3 * 342] = '\0';
	APP("inst_message", json_string(buf), TQK_E_TOO_LONG, "inst_message");
}

/* ---- confirmations ---- */

/* A payload for a signed by a fresh key, with reg_no and id_number as given. */
static void sign_for(const tqk_application *a, const char *reg_no, const char *id,
                     char out[TQK_PAYLOAD_CAP])
{
	uint8_t pk[TQK_PUBKEY_LEN], sk[TQK_SECKEY_LEN];
	assert_int_equal(crypto_sign_keypair(pk, sk), 0);
	tqk_payload p;
	memset(&p, 0, sizeof p);
	snprintf(p.reg_no, sizeof p.reg_no, "%s", reg_no);
	snprintf(p.id_number, sizeof p.id_number, "%s", id);
	snprintf(p.cert_no, sizeof p.cert_no, "%s", a->cert_no);
	snprintf(p.name, sizeof p.name, "%s", a->name);
	snprintf(p.kid, sizeof p.kid, "k1");
	p.issued = test_at("2026-05-01 09:30");
	assert_int_equal(tqk_payload_sign(&p, sk, out, NULL), TQK_OK);
}

/* The county's signed payload travels with its application and must be the
 * application's own; it is written only when there is one. */
static void application_carries_its_form_payload(void **state)
{
	(void)state;
	tqk_application a = app_sample();
	sign_for(&a, a.reg_no, a.id_number, a.payload);
	app_round_trip(&a);
	json_t *o = tqk_json_application_encode(&a);
	assert_string_equal(json_string_value(json_object_get(o, "payload")), a.payload);
	json_decref(o);

	tqk_application plain = app_sample();
	o = tqk_json_application_encode(&plain);
	assert_null(json_object_get(o, "payload"));
	json_decref(o);

	char other[TQK_PAYLOAD_CAP];
	sign_for(&a, "R2026000999", a.id_number, other);
	app_expect(__LINE__, "payload", json_string(other), TQK_E_FIELD_VALUE, "payload");
	sign_for(&a, a.reg_no, ID_B, other);
	app_expect(__LINE__, "payload", json_string(other), TQK_E_FIELD_VALUE, "payload");
	app_expect(__LINE__, "payload", json_string("TQ1|not a payload"), TQK_E_FIELD_VALUE,
	           "payload");
	app_expect(__LINE__, "payload", json_integer(1), TQK_E_JSON_TYPE, "payload");
}

static void confirmation_encodes_exactly(void **state)
{
	(void)state;
	tqk_confirmation c = conf_sample();
	json_t *obj = tqk_json_confirmation_encode(&c);
	assert_non_null(obj);
	char *text = tqk_json_dump(obj);
	assert_string_equal(text, conf_text);
	/* Twice, the same bytes. */
	json_t *obj2 = tqk_json_confirmation_encode(&c);
	char *text2 = tqk_json_dump(obj2);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	json_decref(obj);
	json_decref(obj2);
}

static void conf_round_trip(const tqk_confirmation *c)
{
	const char *bad = "none";
	if (tqk_confirmation_check(c, TODAY, &bad) != TQK_OK)
		fail_msg("the test's confirmation is invalid at %s", bad);
	json_t *obj = tqk_json_confirmation_encode(c);
	assert_non_null(obj);
	tqk_confirmation back;
	assert_int_equal(conf_decode(obj, &back, &bad), TQK_OK);
	assert_memory_equal(&back, c, sizeof back);
	char *text = tqk_json_dump(obj);
	json_decref(obj);
	obj = parse(text);
	assert_int_equal(conf_decode(obj, &back, &bad), TQK_OK);
	assert_memory_equal(&back, c, sizeof back);
	json_t *again = tqk_json_confirmation_encode(&back);
	char *text2 = tqk_json_dump(again);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	json_decref(again);
	json_decref(obj);
}

static void confirmation_round_trips(void **state)
{
	(void)state;
	tqk_confirmation c = conf_sample();
	conf_round_trip(&c);
	c = conf_full();
	conf_round_trip(&c);
	/* Buffers are compared whole: clear them, as the decoder does. */
	memset(c.uuid, 0, sizeof c.uuid);
	conf_round_trip(&c);
	c.time_source = TQK_TIME_LOCAL;
	c.at = 1;
	c.n_corrections = 0;
	memset(c.corrections, 0, sizeof c.corrections);
	conf_round_trip(&c);
	/* Sixteen corrections. */
	c = conf_sample();
	static const char *const values[TQK_CORRECTIONS_MAX] = {
		"张三", ID_A, "汉族", CERT, "张三", ID_C, "senior", "语文", "长沙市教育局",
		"2010-07-01", "长沙县教育局", "CSX01", "junior", "语文", "一中", "rural",
	};
	c.n_corrections = TQK_CORRECTIONS_MAX;
	memset(c.corrections, 0, sizeof c.corrections);
	for (int f = 0; f < TQK_CORRECTIONS_MAX; f++) {
		c.corrections[f].field = (tqk_field)f;
		strcpy(c.corrections[f].old_value, f % 2 ? "旧" : "");
		strcpy(c.corrections[f].new_value, values[f]);
	}
	conf_round_trip(&c);
	/* Complete, no police certificate needed. */
	c = conf_full();
	for (int m = 0; m < TQK_MAT_COUNT; m++)
		c.marks.mark[m] = TQK_MARK_HAS;
	c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_NA;
	c.police_required = false;
	c.conclusion = TQK_CONC_COMPLETE;
	memset(c.message, 0, sizeof c.message);
	conf_round_trip(&c);
}

static void confirmation_at_as_local_time(void **state)
{
	(void)state;
	tqk_confirmation c;
	const char *bad;
	json_t *obj = parse(conf_text);
	json_object_set_new(obj, "at", json_string("2026-05-20 09:30"));
	assert_int_equal(conf_decode(obj, &c, &bad), TQK_OK);
	assert_int_equal(c.at, 1779240600);
	json_object_set_new(obj, "at", json_string("2026-05-20 09:30:59"));
	assert_int_equal(conf_decode(obj, &c, &bad), TQK_OK);
	assert_int_equal(c.at, 1779240659);
	json_decref(obj);
	CONF("at", json_string("2026-05-20T09:30"), TQK_E_TIME_FORMAT, "at");
	CONF("at", json_string("2026-05-20 9:30"), TQK_E_TIME_FORMAT, "at");
	CONF("at", json_string("2026-05-20 24:00"), TQK_E_TIME_FORMAT, "at");
	CONF("at", json_string("2026-02-30 09:30"), TQK_E_DATE_INVALID, "at");
	CONF("at", json_string("1969-12-31 09:30"), TQK_E_ARG, "at");    /* before the epoch */
	CONF("at", json_string(""), TQK_E_TIME_FORMAT, "at");
	CONF("at", json_stringn("2026-05-20 09:30\0", 17), TQK_E_TIME_FORMAT, "at");
	CONF("at", json_integer(0), TQK_E_ARG, "at");
	CONF("at", json_integer(-5), TQK_E_ARG, "at");
	CONF("at", json_integer(1), TQK_OK, NULL);
	CONF("at", json_real(1779240600.0), TQK_E_JSON_TYPE, "at");
	CONF("at", json_true(), TQK_E_JSON_TYPE, "at");
	CONF("at", json_null(), TQK_E_JSON_TYPE, "at");
	CONF("at", json_object(), TQK_E_JSON_TYPE, "at");
}

static void confirmation_missing_members(void **state)
{
	(void)state;
	static const char *const required[] = {
		"reg_no", "site", "kiosk", "clerk", "police_required", "conclusion", "at", "time_source",
	};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		CONF(required[i], NULL, TQK_E_JSON_TYPE, required[i]);
		CONF(required[i], json_null(), TQK_E_JSON_TYPE, required[i]);
		FULL(required[i], NULL, TQK_E_JSON_TYPE, required[i]);
	}
	/* What may be left out; the ids may also be null. */
	static const char *const optional[] = {
		"uuid", "supersedes", "marks", "corrections", "message", "archive_no",
	};
	for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++)
		CONF(optional[i], NULL, TQK_OK, NULL);
	CONF("uuid", json_null(), TQK_OK, NULL);
	CONF("uuid", json_string(""), TQK_OK, NULL);
	CONF("archive_no", json_string("CSX202401007"), TQK_OK, NULL);
	FULL("supersedes", json_null(), TQK_OK, NULL);
	FULL("archive_no", NULL, TQK_OK, NULL);
	FULL("corrections", NULL, TQK_OK, NULL);
	/* Left out, the remark is empty, which 网报未受理 does not allow. */
	CONF("remark", NULL, TQK_E_MAT_REASON, "remark");
	FULL("remark", NULL, TQK_OK, NULL);
	/* Left out, the marks are unset, which a complete record does not allow. */
	FULL("marks", NULL, TQK_E_MAT_UNMARKED, "marks");
	FULL("marks", json_object(), TQK_E_MAT_UNMARKED, "marks");
	/* The message is needed: "other conditions" are missing. */
	FULL("message", NULL, TQK_E_MAT_MESSAGE, "message");
}

static void confirmation_wrong_types(void **state)
{
	(void)state;
	static const char *const strings[] = {
		"uuid", "supersedes", "reg_no", "site", "kiosk", "clerk", "conclusion", "remark",
		"message", "archive_no", "time_source",
	};
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		FULL(strings[i], json_integer(1), TQK_E_JSON_TYPE, strings[i]);
		FULL(strings[i], json_false(), TQK_E_JSON_TYPE, strings[i]);
		FULL(strings[i], json_array(), TQK_E_JSON_TYPE, strings[i]);
		FULL(strings[i], json_object(), TQK_E_JSON_TYPE, strings[i]);
		FULL(strings[i], json_stringn("a\0b", 3), TQK_E_FIELD_VALUE, strings[i]);
	}
	FULL("remark", json_null(), TQK_E_JSON_TYPE, "remark");
	FULL("message", json_null(), TQK_E_JSON_TYPE, "message");
	FULL("police_required", json_string("true"), TQK_E_JSON_TYPE, "police_required");
	FULL("police_required", json_integer(1), TQK_E_JSON_TYPE, "police_required");
	FULL("marks", json_null(), TQK_E_JSON_TYPE, "marks");
	FULL("marks", json_array(), TQK_E_JSON_TYPE, "marks");
	FULL("marks", json_string("has"), TQK_E_JSON_TYPE, "marks");
	FULL("corrections", json_null(), TQK_E_JSON_TYPE, "corrections");
	FULL("corrections", json_object(), TQK_E_JSON_TYPE, "corrections");
	FULL("corrections", json_array(), TQK_OK, NULL);
	/* Not an object at all. */
	tqk_confirmation c;
	const char *bad;
	json_t *arr = parse("[{}]");
	assert_int_equal(conf_decode(arr, &c, &bad), TQK_E_JSON_TYPE);
	assert_string_equal(bad, "confirmation");
	assert_int_equal(conf_decode(json_array_get(arr, 0), &c, &bad), TQK_E_JSON_TYPE);
	assert_string_equal(bad, "reg_no");
	json_decref(arr);
}

static void confirmation_bad_values(void **state)
{
	(void)state;
	FULL("uuid", json_string("0B1E3F8A-2C4D-4E5F-8A9B-0C1D2E3F4A5B"), TQK_E_UUID, "uuid");
	FULL("supersedes", json_string(UUID1), TQK_E_UUID, "supersedes");
	FULL("reg_no", json_string("R 1"), TQK_E_FIELD_VALUE, "reg_no");
	FULL("kiosk", json_string(""), TQK_E_FIELD_VALUE, "kiosk");
	FULL("conclusion", json_string("none"), TQK_E_MAT_CONCLUSION, "conclusion");
	FULL("conclusion", json_string("complete"), TQK_E_MAT_CONCLUSION, "conclusion");
	FULL("conclusion", json_string("not_accepted"), TQK_OK, NULL);
	FULL("time_source", json_string("ntp"), TQK_E_TIME_SOURCE, "time_source");
	FULL("time_source", json_string(""), TQK_E_TIME_SOURCE, "time_source");
	FULL("police_required", json_false(), TQK_E_MAT_POLICE, "marks");
	/* The archive number is read, not checked. */
	FULL("archive_no", json_string("?"), TQK_OK, NULL);
}

static void confirmation_marks(void **state)
{
	(void)state;
	json_t *marks = json_object();
	for (int m = 0; m < TQK_MAT_COUNT; m++)
		json_object_set_new(marks, tqk_material_get((tqk_material)m)->code,
		                    json_string(m == TQK_MAT_HEALTH || m == TQK_MAT_OTHER ? "lacks" : "has"));
	FULL("marks", json_deep_copy(marks), TQK_OK, NULL);
	json_object_set_new(marks, "passport", json_string("has"));
	FULL("marks", json_deep_copy(marks), TQK_E_MAT_MARK, "marks");
	json_object_del(marks, "passport");
	json_object_set_new(marks, "form", json_string("yes"));
	FULL("marks", json_deep_copy(marks), TQK_E_MAT_MARK, "marks");
	json_object_set_new(marks, "form", json_string(""));
	FULL("marks", json_deep_copy(marks), TQK_E_MAT_MARK, "marks");
	json_object_set_new(marks, "form", json_string("HAS"));
	FULL("marks", json_deep_copy(marks), TQK_E_MAT_MARK, "marks");
	json_object_set_new(marks, "form", json_integer(1));
	FULL("marks", json_deep_copy(marks), TQK_E_JSON_TYPE, "marks");
	json_object_set_new(marks, "form", json_null());
	FULL("marks", json_deep_copy(marks), TQK_E_JSON_TYPE, "marks");
	json_object_set_new(marks, "form", json_stringn("has\0", 4));
	FULL("marks", json_deep_copy(marks), TQK_E_FIELD_VALUE, "marks");
	json_object_set_new(marks, "form", json_string("lacks"));
	FULL("marks", json_deep_copy(marks), TQK_OK, NULL);
	json_object_set_new(marks, "ethics", json_string("na"));
	FULL("marks", json_deep_copy(marks), TQK_E_MAT_MARK, "marks");
	json_decref(marks);
}

/* A corrections array from a JSON text. */
static json_t *list(const char *text)
{
	return parse(text);
}

static void confirmation_corrections(void **state)
{
	(void)state;
	FULL("corrections", list("[{\"field\": \"name\", \"old\": \"\", \"new\": \"李四\"}]"),
	     TQK_OK, NULL);
	FULL("corrections", list("[1]"), TQK_E_JSON_TYPE, "corrections");
	FULL("corrections", list("[[]]"), TQK_E_JSON_TYPE, "corrections");
	FULL("corrections", list("[null]"), TQK_E_JSON_TYPE, "corrections");
	FULL("corrections", list("[{\"field\": \"name\", \"old\": \"\"}]"), TQK_E_JSON_TYPE,
	     "corrections");
	FULL("corrections", list("[{\"field\": \"name\", \"new\": \"李四\"}]"), TQK_E_JSON_TYPE,
	     "corrections");
	FULL("corrections", list("[{\"old\": \"\", \"new\": \"李四\"}]"), TQK_E_JSON_TYPE,
	     "corrections");
	FULL("corrections", list("[{\"field\": 1, \"old\": \"\", \"new\": \"x\"}]"), TQK_E_JSON_TYPE,
	     "corrections");
	FULL("corrections", list("[{\"field\": \"name\", \"old\": null, \"new\": \"x\"}]"),
	     TQK_E_JSON_TYPE, "corrections");
	FULL("corrections", list("[{\"field\": \"name\", \"old\": \"\", \"new\": \"x\", \"why\": \"\"}]"),
	     TQK_E_JSON_TYPE, "corrections");
	FULL("corrections", list("[{\"field\": \"reg_no\", \"old\": \"\", \"new\": \"x\"}]"),
	     TQK_E_FIELD_UNKNOWN, "corrections");
	FULL("corrections", list("[{\"field\": \"Name\", \"old\": \"\", \"new\": \"x\"}]"),
	     TQK_E_FIELD_UNKNOWN, "corrections");
	/* Values are judged by the check, which names the field. */
	FULL("corrections", list("[{\"field\": \"id_number\", \"old\": \"\", \"new\": \"123\"}]"),
	     TQK_E_ID_LENGTH, "id_number");
	FULL("corrections", list("[{\"field\": \"cert_no\", \"old\": \"\", \"new\": \"2027" "0000000000001\"}]"),
	     TQK_E_CERT_YEAR, "cert_no");
	FULL("corrections", list("[{\"field\": \"name\", \"old\": \"\", \"new\": \"\"}]"),
	     TQK_E_FIELD_REQUIRED, "name");
	FULL("corrections", list("[{\"field\": \"name\", \"old\": \"\", \"new\": \"a\"},"
	                         " {\"field\": \"name\", \"old\": \"\", \"new\": \"b\"}]"),
	     TQK_E_CORRECTIONS, "name");
	/* Caps: old and new hold 256 bytes. */
	json_t *k = list("[{\"field\": \"school\", \"old\": \"\", \"new\": \"\"}]");
	json_t *item = json_array_get(k, 0);
	json_object_set_new(item, "old", str_n(TQK_TEXT_CAP - 1, 'o'));
	json_object_set_new(item, "new", str_n(TQK_TEXT_CAP - 1, 'n'));
	FULL("corrections", json_deep_copy(k), TQK_OK, NULL);
	json_object_set_new(item, "old", str_n(TQK_TEXT_CAP, 'o'));
	FULL("corrections", json_deep_copy(k), TQK_E_TOO_LONG, "corrections");
	json_object_set_new(item, "old", json_string(""));
	json_object_set_new(item, "new", str_n(TQK_TEXT_CAP, 'n'));
	FULL("corrections", json_deep_copy(k), TQK_E_TOO_LONG, "corrections");
	json_decref(k);
}

static void at_most_sixteen_corrections(void **state)
{
	(void)state;
	json_t *k = json_array();
	for (int f = 0; f < TQK_CORRECTIONS_MAX + 1; f++) {
		static const char *const values[] = {
			"张三", ID_A, "汉族", CERT, "张三", ID_C, "senior", "语文", "长沙市教育局",
			"2010-07-01", "长沙县教育局", "CSX01", "junior", "语文", "一中", "rural", "一级",
		};
		json_t *item = json_object();
		json_object_set_new(item, "field", json_string(tqk_field_get_info((tqk_field)f)->code));
		json_object_set_new(item, "old", json_string(""));
		json_object_set_new(item, "new", json_string(values[f]));
		json_array_append_new(k, item);
	}
	FULL("corrections", json_deep_copy(k), TQK_E_CORRECTIONS, "corrections");
	json_array_remove(k, TQK_CORRECTIONS_MAX);
	FULL("corrections", json_deep_copy(k), TQK_OK, NULL);
	json_decref(k);
}

static void confirmation_strings_over_their_caps(void **state)
{
	(void)state;
	FULL("uuid", str_n(TQK_UUID_CAP, 'a'), TQK_E_TOO_LONG, "uuid");
	FULL("uuid", str_n(TQK_UUID_LEN, 'a'), TQK_E_UUID, "uuid");
	FULL("supersedes", str_n(TQK_UUID_CAP, 'a'), TQK_E_TOO_LONG, "supersedes");
	static const char *const codes[] = {"reg_no", "site", "kiosk", "clerk"};
	for (size_t i = 0; i < 4; i++) {
		FULL(codes[i], str_n(TQK_CODE_CAP - 1, 'c'), TQK_OK, NULL);
		FULL(codes[i], str_n(TQK_CODE_CAP, 'c'), TQK_E_TOO_LONG, codes[i]);
	}
	FULL("remark", str_n(TQK_MSG_CAP - 1, 'r'), TQK_OK, NULL);
	FULL("remark", str_n(TQK_MSG_CAP, 'r'), TQK_E_TOO_LONG, "remark");
	FULL("message", str_n(TQK_MSG_CAP - 1, 'm'), TQK_OK, NULL);
	FULL("message", str_n(TQK_MSG_CAP, 'm'), TQK_E_TOO_LONG, "message");
	FULL("archive_no", str_n(TQK_ARCHIVE_BUFLEN - 1, 'A'), TQK_OK, NULL);
	FULL("archive_no", str_n(TQK_ARCHIVE_BUFLEN, 'A'), TQK_E_TOO_LONG, "archive_no");
	FULL("conclusion", str_n(5000, 'c'), TQK_E_MAT_CONCLUSION, "conclusion");
	FULL("time_source", str_n(5000, 't'), TQK_E_TIME_SOURCE, "time_source");
}

static void confirmation_unknown_members(void **state)
{
	(void)state;
	FULL("extra", json_integer(1), TQK_E_JSON_TYPE, "unknown member");
	FULL("Uuid", json_null(), TQK_E_JSON_TYPE, "unknown member");
	FULL("purged", json_false(), TQK_E_JSON_TYPE, "unknown member");
	FULL("", json_string(""), TQK_E_JSON_TYPE, "unknown member");
	/* A misspelt required member: reported by the name that is missing. */
	json_t *obj = parse(full_text);
	json_t *v = json_incref(json_object_get(obj, "police_required"));
	json_object_del(obj, "police_required");
	json_object_set_new(obj, "polise_required", v);
	tqk_confirmation c;
	const char *bad;
	assert_int_equal(conf_decode(obj, &c, &bad), TQK_E_JSON_TYPE);
	assert_string_equal(bad, "police_required");
	json_decref(obj);
	/* Unknown members come before the record checks. */
	obj = parse(full_text);
	json_object_set_new(obj, "conclusion", json_string("complete"));
	json_object_set_new(obj, "x", json_null());
	assert_int_equal(conf_decode(obj, &c, &bad), TQK_E_JSON_TYPE);
	assert_string_equal(bad, "unknown member");
	json_decref(obj);
}

/* Applications ignore what they do not know; confirmations refuse it. */
static void applications_ignore_unknown_members(void **state)
{
	(void)state;
	APP("extra", json_integer(1), TQK_OK, NULL);
	APP("Name", json_integer(1), TQK_OK, NULL);
	APP("uuid", json_array(), TQK_OK, NULL);
}

/* ---- encoding any record ---- */

static void any_record_encodes(void **state)
{
	(void)state;
	/* Garbage everywhere: no buffer terminated, enums out of range. */
	tqk_application a;
	memset(&a, 0xff, sizeof a);
	json_t *obj = tqk_json_application_encode(&a);
	assert_non_null(obj);
	char *text = tqk_json_dump(obj);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"reg_no\":\"\xef\xbf\xbd\xef\xbf\xbd"));
	assert_non_null(strstr(text, "\"qualification\":\"none\""));
	assert_non_null(strstr(text, "\"registration\":\"\""));
	assert_non_null(strstr(text, "\"state\":\"none\""));
	assert_non_null(strstr(text, "\"rev\":-1"));
	free(text);
	tqk_application back;
	const char *bad;
	assert_int_not_equal(app_decode(obj, &back, &bad), TQK_OK);
	json_decref(obj);

	tqk_confirmation c;
	memset(&c, 0xff, sizeof c);
	c.conclusion = (tqk_conclusion)7;
	c.police_required = true;       /* a bool must hold 0 or 1 */
	obj = tqk_json_confirmation_encode(&c);
	assert_non_null(obj);
	text = tqk_json_dump(obj);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"conclusion\":\"\""));
	assert_non_null(strstr(text, "\"time_source\":\"\""));
	assert_int_equal(json_array_size(json_object_get(obj, "corrections")), TQK_CORRECTIONS_MAX);
	free(text);
	tqk_confirmation cback;
	assert_int_not_equal(conf_decode(obj, &cback, &bad), TQK_OK);
	json_decref(obj);

	/* Invalid UTF-8 in a valid position becomes U+FFFD, the rest is kept. */
	tqk_confirmation d = conf_sample();
	strcpy(d.message, "a\xffz\xe5\xbc");
	obj = tqk_json_confirmation_encode(&d);
	assert_string_equal(json_string_value(json_object_get(obj, "message")),
	                    "a\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(obj);
}

static void dump_keeps_utf8_and_escapes_what_json_needs(void **state)
{
	(void)state;
	json_t *obj = json_object();
	json_object_set_new(obj, "s", json_string("张三 \"q\" \\ / \n\t\x01 \u3000"));
	json_object_set_new(obj, "n", json_integer(-3));
	char *text = tqk_json_dump(obj);
	assert_string_equal(text, "{\"s\":\"张三 \\\"q\\\" \\\\ / \\n\\t\\u0001 \u3000\",\"n\":-3}");
	free(text);
	json_decref(obj);
	json_t *s = json_string("x");
	text = tqk_json_dump(s);
	assert_string_equal(text, "\"x\"");
	free(text);
	json_decref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_accepts_objects_and_arrays),
		cmocka_unit_test(parse_reports_line_and_column),
		cmocka_unit_test(parse_rejects_duplicate_keys),
		cmocka_unit_test(parse_detail_is_optional_and_bounded),
		cmocka_unit_test(parse_refuses_documents_over_the_cap),
		cmocka_unit_test(application_decodes_the_sample),
		cmocka_unit_test(application_encodes_exactly),
		cmocka_unit_test(application_round_trips),
		cmocka_unit_test(application_decode_normalises),
		cmocka_unit_test(application_missing_members),
		cmocka_unit_test(application_wrong_types),
		cmocka_unit_test(application_bad_values),
		cmocka_unit_test(application_strings_over_their_caps),
		cmocka_unit_test(applications_ignore_unknown_members),
		cmocka_unit_test(application_carries_its_form_payload),
		cmocka_unit_test(confirmation_encodes_exactly),
		cmocka_unit_test(confirmation_round_trips),
		cmocka_unit_test(confirmation_at_as_local_time),
		cmocka_unit_test(confirmation_missing_members),
		cmocka_unit_test(confirmation_wrong_types),
		cmocka_unit_test(confirmation_bad_values),
		cmocka_unit_test(confirmation_marks),
		cmocka_unit_test(confirmation_corrections),
		cmocka_unit_test(at_most_sixteen_corrections),
		cmocka_unit_test(confirmation_strings_over_their_caps),
		cmocka_unit_test(confirmation_unknown_members),
		cmocka_unit_test(any_record_encodes),
		cmocka_unit_test(dump_keeps_utf8_and_escapes_what_json_needs),
	};
	return cmocka_run_group_tests_name("json", tests, setup, teardown);
}
