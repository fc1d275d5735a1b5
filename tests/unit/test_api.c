/*
 * test_api.c - the county API's documents (proto/api.h): the server's time,
 * the plan, clerks, updates, pages of downloads, upload results and errors.
 * Each has an exact encoding and a round trip, and every error path of every
 * decoder is driven (each missing member, each wrong type, texts over their
 * caps, bad dates, hours, archive parts, states, uuids and status codes),
 * with the member named and the output left untouched on every failure.
 */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/application.h"
#include "core/tree.h"
#include "proto/api.h"
#include "proto/json.h"

#define UUID1 "0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5b"
#define UUID2 "9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a"
#define UUID3 "123e4567-e89b-42d3-a456-426614174000"
#define UUID4 "f47ac10b-58cc-4372-a567-0e02b2c3d479"
#define NOW 1779240600                  /* 2026-05-20 09:30 Beijing time */
#define PIN_HASH "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
#define CALENDAR "# 2026\n2026-05-01 off 劳动节\n2026-05-09 work\n"
#define CALENDAR_JSON "# 2026\\n2026-05-01 off 劳动节\\n2026-05-09 work\\n"
/* Two of the county's public keys (core/payload.h): the active one first. */
#define KID1 "k40bca4ea"
#define PUB1 "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"
#define KID2 "ke59e9dc2"
#define PUB2 "Kay64UG8yvCyLhqU000LxzYeUm0L_hLIl5S8kyKWbdc"
#define KEYS_JSON "[{\"kid\":\"" KID1 "\",\"public\":\"" PUB1 "\"}," \
	"{\"kid\":\"" KID2 "\",\"public\":\"" PUB2 "\"}]"

static const char time_text[] = "{\"now\":1779240600}";

static const char plan_text[] =
	"{\"rev\":3,\"site\":\"S01\",\"site_name\":\"长沙县星沙确认点\",\"title\":\"2026、长沙\","
	"\"county\":\"CSX\","
	"\"year\":2026,\"site_no\":1,\"width\":3,\"apply_start\":\"2026-03-01\","
	"\"apply_end\":\"2026-04-30\",\"confirm_start\":\"2026-05-11\","
	"\"confirm_end\":\"2026-05-29\",\"opens\":\"08:30\",\"closes\":\"17:30\","
	"\"calendar\":\"" CALENDAR_JSON "\",\"keys\":" KEYS_JSON ","
	"\"institutions\":[{\"name\":\"长沙县教育局\",\"apply_start\":\"2026-03-01\","
	"\"apply_end\":\"2026-06-30\"},{\"name\":\"浏阳市教育局\",\"apply_start\":\"2026-04-01\","
	"\"apply_end\":\"2026-04-30\"}],\"trees\":{}}";

static const char clerk_text[] =
	"{\"id\":\"C01\",\"name\":\"李四\",\"pin_hash\":\"" PIN_HASH "\",\"active\":true}";

static const char update_text[] =
	"{\"seq\":42,\"reg_no\":\"R2026000123\",\"state\":\"confirmed\","
	"\"message\":\"请于5月29日前补交材料\",\"at\":1779240600}";

static const char page_text[] =
	"{\"cursor\":\"c42\",\"more\":true,\"updates\":[{\"seq\":1},{\"seq\":2}]}";

static const char results_text[] =
	"{\"results\":[{\"uuid\":\"" UUID1 "\",\"status\":\"stored\"},"
	"{\"uuid\":\"" UUID2 "\",\"status\":\"duplicate\"},"
	"{\"uuid\":\"" UUID3 "\",\"status\":\"conflict\",\"error\":\"store.exists\","
	"\"message\":\"this uuid is already stored\"},"
	"{\"uuid\":\"" UUID4 "\",\"status\":\"rejected\",\"error\":\"record.uuid\","
	"\"message\":\"a record id (uuid) is malformed\"}]}";

/* Copies a literal into a fixed buffer, which must hold it. */
#define SET(buf, s) do { \
		assert_true(strlen(s) < sizeof(buf)); \
		memcpy((buf), (s), strlen(s) + 1); \
	} while (0)

static json_t *parse(const char *text)
{
	json_t *v = NULL;
	char detail[200];
	tqk_err err = tqk_json_parse(text, strlen(text), &v, detail, sizeof detail);
	if (err != TQK_OK)
		fail_msg("test JSON does not parse: %s: %s", tqk_err_code(err), detail);
	return v;
}

/* The compact dump of obj, which it releases; the caller frees the text. */
static char *dump_and_drop(json_t *obj)
{
	assert_non_null(obj);
	char *text = tqk_json_dump(obj);
	assert_non_null(text);
	json_decref(obj);
	return text;
}

static void assert_dumps_as(json_t *obj, const char *want)
{
	char *text = dump_and_drop(obj);
	assert_string_equal(text, want);
	free(text);
}

/* A string of n bytes of fill. */
static json_t *str_n(size_t n, char fill)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, fill, n);
	s[n] = '\0';
	json_t *v = json_stringn(s, n);
	free(s);
	assert_non_null(v);
	return v;
}

/* ---- samples ---- */

/* Adds kid with the public key of text to ks. */
static void add_key(tqk_keyset *ks, const char *kid, const char *text)
{
	uint8_t key[TQK_PUBKEY_LEN];
	assert_int_equal(tqk_pubkey_parse(text, strlen(text), key), TQK_OK);
	assert_int_equal(tqk_keyset_add(ks, kid, key), TQK_OK);
}

static tqk_plan plan_sample(void)
{
	tqk_plan p;
	memset(&p, 0, sizeof p);
	p.rev = 3;
	SET(p.site, "S01");
	SET(p.site_name, "长沙县星沙确认点");
	SET(p.title, "2026、长沙");
	SET(p.county, "CSX");
	p.year = 2026;
	p.site_no = 1;
	p.width = 3;
	p.apply_start = DATE(2026, 3, 1);
	p.apply_end = DATE(2026, 4, 30);
	p.confirm_start = DATE(2026, 5, 11);
	p.confirm_end = DATE(2026, 5, 29);
	p.opens = 8 * 3600 + 30 * 60;
	p.closes = 17 * 3600 + 30 * 60;
	p.calendar = (char *)CALENDAR;     /* never freed: not from a decoder */
	add_key(&p.keys, KID1, PUB1);
	add_key(&p.keys, KID2, PUB2);
	p.n_institutions = 2;
	SET(p.institutions[0].name, "长沙县教育局");
	p.institutions[0].apply_start = DATE(2026, 3, 1);
	p.institutions[0].apply_end = DATE(2026, 6, 30);
	SET(p.institutions[1].name, "浏阳市教育局");
	p.institutions[1].apply_start = DATE(2026, 4, 1);
	p.institutions[1].apply_end = DATE(2026, 4, 30);
	return p;
}

static tqk_clerk clerk_sample(void)
{
	tqk_clerk c;
	memset(&c, 0, sizeof c);
	SET(c.id, "C01");
	SET(c.name, "李四");
	SET(c.pin_hash, PIN_HASH);
	c.active = true;
	return c;
}

static tqk_update update_sample(void)
{
	tqk_update u;
	memset(&u, 0, sizeof u);
	u.seq = 42;
	SET(u.reg_no, "R2026000123");
	u.state = TQK_ST_CONFIRMED;
	SET(u.message, "请于5月29日前补交材料");
	u.at = NOW;
	return u;
}

static void results_sample(tqk_upload_result r[4])
{
	memset(r, 0, 4 * sizeof r[0]);
	SET(r[0].uuid, UUID1);
	r[0].status = TQK_UPLOAD_STORED;
	SET(r[1].uuid, UUID2);
	r[1].status = TQK_UPLOAD_DUPLICATE;
	SET(r[2].uuid, UUID3);
	r[2].status = TQK_UPLOAD_CONFLICT;
	SET(r[2].error, "store.exists");
	SET(r[2].message, "this uuid is already stored");
	SET(r[3].uuid, UUID4);
	r[3].status = TQK_UPLOAD_REJECTED;
	SET(r[3].error, "record.uuid");
	SET(r[3].message, "a record id (uuid) is malformed");
}

/* ---- decoding wrappers: each fills its output with a pattern first and
 * checks that a failure leaves it alone and a success leaves *bad alone ---- */

typedef tqk_err (*decode_fn)(const json_t *obj, const char **bad);

#define CHECK_UNTOUCHED(err, out, before, where) do { \
		if ((err) != TQK_OK) \
			assert_memory_equal(&(out), &(before), sizeof(out)); \
		else \
			assert_string_equal((where), "untouched"); \
	} while (0)

static tqk_err time_decode(const json_t *obj, const char **bad)
{
	tqk_time now, before;
	memset(&now, 0xA5, sizeof now);
	before = now;
	const char *where = "untouched";
	tqk_err err = tqk_api_time_decode(obj, &now, &where);
	CHECK_UNTOUCHED(err, now, before, where);
	*bad = where;
	return err;
}

static tqk_err plan_decode(const json_t *obj, const char **bad)
{
	tqk_plan p, before;
	memset(&p, 0xA5, sizeof p);
	memcpy(&before, &p, sizeof before);
	const char *where = "untouched";
	tqk_err err = tqk_api_plan_decode(obj, &p, &where);
	CHECK_UNTOUCHED(err, p, before, where);
	if (err == TQK_OK)
		tqk_plan_clear(&p);
	*bad = where;
	return err;
}

static tqk_err clerk_decode(const json_t *obj, const char **bad)
{
	tqk_clerk c, before;
	memset(&c, 0xA5, sizeof c);
	memcpy(&before, &c, sizeof before);
	const char *where = "untouched";
	tqk_err err = tqk_api_clerk_decode(obj, &c, &where);
	CHECK_UNTOUCHED(err, c, before, where);
	*bad = where;
	return err;
}

static tqk_err update_decode(const json_t *obj, const char **bad)
{
	tqk_update u, before;
	memset(&u, 0xA5, sizeof u);
	memcpy(&before, &u, sizeof before);
	const char *where = "untouched";
	tqk_err err = tqk_api_update_decode(obj, &u, &where);
	CHECK_UNTOUCHED(err, u, before, where);
	*bad = where;
	return err;
}

static tqk_err page_decode(const json_t *obj, const char **bad)
{
	const char *const cursor_marker = "cursor marker";
	const json_t *const items_marker = (const json_t *)&cursor_marker;
	const char *cursor = cursor_marker;
	const json_t *items = items_marker;
	bool more = false;
	const char *where = "untouched";
	tqk_err err = tqk_api_page_decode(obj, "updates", &cursor, &more, &items, &where);
	if (err != TQK_OK) {
		assert_ptr_equal(cursor, cursor_marker);
		assert_ptr_equal(items, items_marker);
		assert_false(more);
	} else {
		assert_string_equal(where, "untouched");
		assert_ptr_equal(items, json_object_get(obj, "updates"));
	}
	*bad = where;
	return err;
}

static tqk_err results_decode(const json_t *obj, const char **bad)
{
	tqk_upload_result r[4], before[4];
	memset(r, 0xA5, sizeof r);
	memcpy(before, r, sizeof before);
	size_t n = 12345;
	const char *where = "untouched";
	tqk_err err = tqk_api_results_decode(obj, r, 4, &n, &where);
	CHECK_UNTOUCHED(err, r, before, where);
	if (err != TQK_OK)
		assert_int_equal(n, 12345);
	*bad = where;
	return err;
}

/*
 * Decodes text with member key of the object at item (-1: the document
 * itself, else that element of its "results") replaced by value (a new
 * reference; NULL removes the member), and expects want naming where.
 */
static void expect_in(int line, decode_fn fn, const char *text, int item, const char *key,
                      json_t *value, tqk_err want, const char *where)
{
	json_t *doc = parse(text);
	json_t *obj = doc;
	if (item >= 0)
		obj = json_array_get(json_object_get(doc, "results"), (size_t)item);
	assert_non_null(obj);
	if (value != NULL)
		assert_int_equal(json_object_set_new(obj, key, value), 0);
	else
		assert_int_equal(json_object_del(obj, key), 0);
	const char *bad;
	tqk_err got = fn(doc, &bad);
	json_decref(doc);
	if (got != want)
		fail_msg("line %d: %s: got %s (at %s), want %s", line, key, tqk_err_code(got),
		         got != TQK_OK ? bad : "-", tqk_err_code(want));
	if (want != TQK_OK && strcmp(bad, where) != 0)
		fail_msg("line %d: %s: %s named \"%s\", want \"%s\"", line, key, tqk_err_code(got),
		         bad, where);
}

/* Decodes a whole document given as text and expects want naming where. */
static void expect_doc(int line, decode_fn fn, json_t *doc, tqk_err want, const char *where)
{
	const char *bad;
	tqk_err got = fn(doc, &bad);
	json_decref(doc);
	if (got != want)
		fail_msg("line %d: got %s (at %s), want %s", line, tqk_err_code(got),
		         got != TQK_OK ? bad : "-", tqk_err_code(want));
	if (want != TQK_OK && strcmp(bad, where) != 0)
		fail_msg("line %d: %s named \"%s\", want \"%s\"", line, tqk_err_code(got), bad,
		         where);
}

#define TIME(key, value, want, where) \
	expect_in(__LINE__, time_decode, time_text, -1, (key), (value), (want), (where))
#define PLAN(key, value, want, where) \
	expect_in(__LINE__, plan_decode, plan_text, -1, (key), (value), (want), (where))
#define CLERK(key, value, want, where) \
	expect_in(__LINE__, clerk_decode, clerk_text, -1, (key), (value), (want), (where))
#define UPDATE(key, value, want, where) \
	expect_in(__LINE__, update_decode, update_text, -1, (key), (value), (want), (where))
#define PAGE(key, value, want, where) \
	expect_in(__LINE__, page_decode, page_text, -1, (key), (value), (want), (where))
#define RESULT(i, key, value, want, where) \
	expect_in(__LINE__, results_decode, results_text, (i), (key), (value), (want), (where))
#define DOC(fn, doc, want, where) expect_doc(__LINE__, (fn), (doc), (want), (where))

/* Whatever is not an object, for every decoder. */
static void refuses_non_objects(decode_fn fn, const char *where)
{
	DOC(fn, json_array(), TQK_E_JSON_TYPE, where);
	DOC(fn, json_string("{}"), TQK_E_JSON_TYPE, where);
	DOC(fn, json_null(), TQK_E_JSON_TYPE, where);
	DOC(fn, json_integer(1), TQK_E_JSON_TYPE, where);
	const char *bad = "untouched";
	assert_int_equal(fn(NULL, &bad), TQK_E_JSON_TYPE);
	assert_string_equal(bad, where);
}

/* ---- GET /v1/time ---- */

static void time_round_trip(void **state)
{
	(void)state;
	assert_dumps_as(tqk_api_time_encode(NOW), time_text);
	json_t *obj = parse(time_text);
	tqk_time now = 0;
	const char *bad = "untouched";
	assert_int_equal(tqk_api_time_decode(obj, &now, &bad), TQK_OK);
	assert_int_equal(now, NOW);
	assert_string_equal(bad, "untouched");
	json_decref(obj);
	/* bad may be NULL, also on failure. */
	obj = parse("{\"now\":\"x\"}");
	assert_int_equal(tqk_api_time_decode(obj, &now, NULL), TQK_E_JSON_TYPE);
	assert_int_equal(now, NOW);
	json_decref(obj);
	/* The largest instant round-trips too. */
	obj = tqk_api_time_encode(INT64_MAX);
	assert_int_equal(tqk_api_time_decode(obj, &now, NULL), TQK_OK);
	assert_true(now == INT64_MAX);
	json_decref(obj);
}

static void time_errors(void **state)
{
	(void)state;
	refuses_non_objects(time_decode, "time");
	TIME("now", NULL, TQK_E_JSON_TYPE, "now");
	TIME("now", json_null(), TQK_E_JSON_TYPE, "now");
	TIME("now", json_string("1779240600"), TQK_E_JSON_TYPE, "now");
	TIME("now", json_real(1779240600.0), TQK_E_JSON_TYPE, "now");
	TIME("now", json_true(), TQK_E_JSON_TYPE, "now");
	TIME("now", json_integer(0), TQK_E_FIELD_VALUE, "now");
	TIME("now", json_integer(-1), TQK_E_FIELD_VALUE, "now");
	TIME("now", json_integer(1), TQK_OK, NULL);
	TIME("other", json_string("ignored"), TQK_OK, NULL);
}

/* ---- GET /v1/plan ---- */

static void plan_encodes_exactly(void **state)
{
	(void)state;
	tqk_plan p = plan_sample();
	char *one = dump_and_drop(tqk_api_plan_encode(&p));
	assert_string_equal(one, plan_text);
	char *two = dump_and_drop(tqk_api_plan_encode(&p));
	assert_string_equal(one, two);
	free(one);
	free(two);
}

static void plan_round_trip(void **state)
{
	(void)state;
	tqk_plan want = plan_sample();
	json_t *obj = tqk_api_plan_encode(&want);
	tqk_plan got;
	memset(&got, 0xA5, sizeof got);
	const char *bad = "untouched";
	assert_int_equal(tqk_api_plan_decode(obj, &got, &bad), TQK_OK);
	json_decref(obj);
	assert_string_equal(bad, "untouched");
	assert_non_null(got.calendar);
	assert_ptr_not_equal(got.calendar, want.calendar);
	assert_string_equal(got.calendar, CALENDAR);
	/* The rest compares whole, buffers and padding included. */
	char *calendar = got.calendar;
	got.calendar = want.calendar;
	assert_memory_equal(&got, &want, sizeof got);
	got.calendar = calendar;
	tqk_plan_clear(&got);
	assert_null(got.calendar);
	assert_int_equal(got.rev, 0);
	assert_string_equal(got.site, "");
	tqk_plan_clear(&got);           /* twice is harmless */
	tqk_plan_clear(NULL);

	/* Edges that pass: one-day windows, 00:00-24:00, an empty calendar,
	 * no keys, the widest archive parts. */
	want.apply_end = want.apply_start;
	want.confirm_end = want.confirm_start;
	want.opens = 0;
	want.closes = TQK_DAY_SECONDS;
	want.calendar = (char *)"";
	memset(&want.keys, 0, sizeof want.keys);
	want.n_institutions = 0;
	memset(want.institutions, 0, sizeof want.institutions);
	SET(want.county, "ABCDEF");
	want.year = 9999;
	want.site_no = 99;
	want.width = 6;
	want.rev = 0;
	obj = tqk_api_plan_encode(&want);
	char *text = tqk_json_dump(obj);
	assert_non_null(strstr(text, "\"opens\":\"00:00\",\"closes\":\"24:00\","
	                             "\"calendar\":\"\",\"keys\":[],\"institutions\":[],"
	                             "\"trees\":{}}"));
	free(text);
	assert_int_equal(tqk_api_plan_decode(obj, &got, &bad), TQK_OK);
	json_decref(obj);
	assert_string_equal(got.calendar, "");
	calendar = got.calendar;
	got.calendar = want.calendar;
	assert_memory_equal(&got, &want, sizeof got);
	got.calendar = calendar;
	tqk_plan_clear(&got);
}

static void plan_missing_members(void **state)
{
	(void)state;
	static const char *const members[] = {
		"rev", "site", "site_name", "county", "year", "site_no", "width", "apply_start",
		"apply_end", "confirm_start", "confirm_end", "opens", "closes", "calendar",
	};
	for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
		PLAN(members[i], NULL, TQK_E_JSON_TYPE, members[i]);
		PLAN(members[i], json_null(), TQK_E_JSON_TYPE, members[i]);
	}
	/* The first bad member in api.h's order is the one named. */
	json_t *doc = parse(plan_text);
	json_object_del(doc, "calendar");
	json_object_del(doc, "opens");
	json_object_del(doc, "rev");
	DOC(plan_decode, doc, TQK_E_JSON_TYPE, "rev");
	refuses_non_objects(plan_decode, "plan");
}

static void plan_wrong_types(void **state)
{
	(void)state;
	static const char *const integers[] = {"rev", "year", "site_no", "width"};
	for (size_t i = 0; i < 4; i++) {
		PLAN(integers[i], json_string("3"), TQK_E_JSON_TYPE, integers[i]);
		PLAN(integers[i], json_real(3.0), TQK_E_JSON_TYPE, integers[i]);
		PLAN(integers[i], json_true(), TQK_E_JSON_TYPE, integers[i]);
		PLAN(integers[i], json_array(), TQK_E_JSON_TYPE, integers[i]);
	}
	static const char *const strings[] = {
		"site", "site_name", "county", "apply_start", "apply_end", "confirm_start",
		"confirm_end", "opens", "closes", "calendar",
	};
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		PLAN(strings[i], json_integer(1), TQK_E_JSON_TYPE, strings[i]);
		PLAN(strings[i], json_false(), TQK_E_JSON_TYPE, strings[i]);
		PLAN(strings[i], json_object(), TQK_E_JSON_TYPE, strings[i]);
		/* U+0000 would cut the text short. */
		PLAN(strings[i], json_stringn("a\0b", 3), TQK_E_FIELD_VALUE, strings[i]);
	}
	PLAN("unknown", json_string("ignored"), TQK_OK, NULL);
}

static void plan_bad_values(void **state)
{
	(void)state;
	PLAN("rev", json_integer(-1), TQK_E_FIELD_VALUE, "rev");
	PLAN("rev", json_integer(0), TQK_OK, NULL);
	PLAN("site", json_string(""), TQK_E_FIELD_REQUIRED, "site");
	PLAN("site_name", json_string(""), TQK_OK, NULL);

	/* Dates. */
	static const char *const dates[] = {"apply_start", "apply_end", "confirm_start",
	                                    "confirm_end"};
	for (size_t i = 0; i < 4; i++) {
		PLAN(dates[i], json_string(""), TQK_E_DATE_FORMAT, dates[i]);
		PLAN(dates[i], json_string("2026-5-11"), TQK_E_DATE_FORMAT, dates[i]);
		PLAN(dates[i], json_string("2026-05-11 "), TQK_E_DATE_FORMAT, dates[i]);
		PLAN(dates[i], json_string("2026/05/11"), TQK_E_DATE_FORMAT, dates[i]);
		PLAN(dates[i], json_string("2026-02-30"), TQK_E_DATE_INVALID, dates[i]);
		PLAN(dates[i], json_string("2026-13-01"), TQK_E_DATE_INVALID, dates[i]);
	}
	PLAN("apply_start", json_string("2026-05-01"), TQK_E_PERIOD, "apply_end");
	PLAN("apply_end", json_string("2026-02-28"), TQK_E_PERIOD, "apply_end");
	PLAN("apply_end", json_string("2026-03-01"), TQK_OK, NULL);
	PLAN("apply_end", json_string("2027-01-01"), TQK_OK, NULL);
	PLAN("confirm_start", json_string("2026-05-30"), TQK_E_PERIOD, "confirm_end");
	PLAN("confirm_end", json_string("2025-12-31"), TQK_E_PERIOD, "confirm_end");
	PLAN("confirm_end", json_string("2026-05-11"), TQK_OK, NULL);
	/* The two windows are independent of each other. */
	PLAN("confirm_start", json_string("2020-01-01"), TQK_OK, NULL);

	/* Hours. */
	static const char *const clocks[] = {"opens", "closes"};
	for (size_t i = 0; i < 2; i++) {
		PLAN(clocks[i], json_string("8:30"), TQK_E_TIME_FORMAT, clocks[i]);
		PLAN(clocks[i], json_string("08:30:00"), TQK_E_TIME_FORMAT, clocks[i]);
		PLAN(clocks[i], json_string("08-30"), TQK_E_TIME_FORMAT, clocks[i]);
		PLAN(clocks[i], json_string("08:60"), TQK_E_TIME_FORMAT, clocks[i]);
		PLAN(clocks[i], json_string("24:01"), TQK_E_TIME_FORMAT, clocks[i]);
		PLAN(clocks[i], json_string("25:00"), TQK_E_TIME_FORMAT, clocks[i]);
		PLAN(clocks[i], json_string(""), TQK_E_TIME_FORMAT, clocks[i]);
	}
	PLAN("opens", json_string("17:30"), TQK_E_HOURS, "closes");
	PLAN("opens", json_string("17:31"), TQK_E_HOURS, "closes");
	PLAN("opens", json_string("17:29"), TQK_OK, NULL);
	PLAN("closes", json_string("08:00"), TQK_E_HOURS, "closes");
	PLAN("closes", json_string("24:00"), TQK_OK, NULL);
	PLAN("opens", json_string("00:00"), TQK_OK, NULL);

	/* The archive number's parts. */
	PLAN("county", json_string(""), TQK_E_ARCHIVE_COUNTY, "county");
	PLAN("county", json_string("C"), TQK_E_ARCHIVE_COUNTY, "county");
	PLAN("county", json_string("csx"), TQK_E_ARCHIVE_COUNTY, "county");
	PLAN("county", json_string("CS1"), TQK_E_ARCHIVE_COUNTY, "county");
	PLAN("county", json_string("CS"), TQK_OK, NULL);
	PLAN("county", json_string("ABCDEF"), TQK_OK, NULL);
	PLAN("county", json_string("ABCDEFG"), TQK_E_ARCHIVE_COUNTY, "county");
	PLAN("year", json_integer(1992), TQK_E_ARCHIVE_YEAR, "year");
	PLAN("year", json_integer(1993), TQK_OK, NULL);
	PLAN("year", json_integer(10000), TQK_E_ARCHIVE_YEAR, "year");
	/* Values an int cannot hold do not wrap into a valid one. */
	PLAN("year", json_integer((json_int_t)1 << 32 | 2026), TQK_E_ARCHIVE_YEAR, "year");
	PLAN("year", json_integer(INT64_MIN), TQK_E_ARCHIVE_YEAR, "year");
	PLAN("site_no", json_integer(0), TQK_E_ARCHIVE_SITE, "site_no");
	PLAN("site_no", json_integer(99), TQK_OK, NULL);
	PLAN("site_no", json_integer(100), TQK_E_ARCHIVE_SITE, "site_no");
	PLAN("site_no", json_integer(-1), TQK_E_ARCHIVE_SITE, "site_no");
	PLAN("site_no", json_integer((json_int_t)1 << 32 | 1), TQK_E_ARCHIVE_SITE, "site_no");
	PLAN("width", json_integer(0), TQK_E_ARCHIVE_WIDTH, "width");
	PLAN("width", json_integer(1), TQK_OK, NULL);
	PLAN("width", json_integer(6), TQK_OK, NULL);
	PLAN("width", json_integer(7), TQK_E_ARCHIVE_WIDTH, "width");
	PLAN("width", json_integer((json_int_t)1 << 32 | 3), TQK_E_ARCHIVE_WIDTH, "width");
	/* The calendar's text is not read here: any text passes. */
	PLAN("calendar", json_string("not a calendar at all"), TQK_OK, NULL);
}

static void plan_strings_over_their_caps(void **state)
{
	(void)state;
	PLAN("site", str_n(TQK_CODE_CAP - 1, 'S'), TQK_OK, NULL);
	PLAN("site", str_n(TQK_CODE_CAP, 'S'), TQK_E_TOO_LONG, "site");
	PLAN("site_name", str_n(TQK_TEXT_CAP - 1, 'n'), TQK_OK, NULL);
	PLAN("site_name", str_n(TQK_TEXT_CAP, 'n'), TQK_E_TOO_LONG, "site_name");
	PLAN("title", str_n(TQK_TEXT_CAP - 1, 't'), TQK_OK, NULL);
	PLAN("title", str_n(TQK_TEXT_CAP, 't'), TQK_E_TOO_LONG, "title");
	PLAN("title", json_string("2026\n长沙"), TQK_E_FIELD_VALUE, "title");
	PLAN("title", NULL, TQK_OK, NULL);
	PLAN("county", str_n(8, 'C'), TQK_E_TOO_LONG, "county");
	PLAN("county", str_n(100000, 'C'), TQK_E_TOO_LONG, "county");
	PLAN("calendar", str_n(TQK_API_CALENDAR_MAX, '#'), TQK_OK, NULL);
	PLAN("calendar", str_n(TQK_API_CALENDAR_MAX + 1, '#'), TQK_E_TOO_LONG, "calendar");
}

/* A plan that never passed its checks still encodes, the same way every
 * time: what cannot be written reads as "". */
static void any_plan_encodes(void **state)
{
	(void)state;
	tqk_plan p;
	memset(&p, 0, sizeof p);
	assert_dumps_as(tqk_api_plan_encode(&p),
	                "{\"rev\":0,\"site\":\"\",\"site_name\":\"\",\"title\":\"\",\"county\":\"\",\"year\":0,"
	                "\"site_no\":0,\"width\":0,\"apply_start\":\"\",\"apply_end\":\"\","
	                "\"confirm_start\":\"\",\"confirm_end\":\"\",\"opens\":\"00:00\","
	                "\"closes\":\"00:00\",\"calendar\":\"\",\"keys\":[],\"institutions\":[],"
	                "\"trees\":{}}");
	p = plan_sample();
	p.apply_start = DATE(2026, 2, 29);
	p.opens = 8 * 3600 + 1;             /* not a whole minute */
	p.closes = TQK_DAY_SECONDS + 60;    /* past the end of the day */
	memset(p.site, 'x', sizeof p.site); /* not terminated */
	p.site_name[0] = '\xff';            /* not UTF-8 */
	char *text = dump_and_drop(tqk_api_plan_encode(&p));
	char site[sizeof p.site + 12];
	snprintf(site, sizeof site, "\"site\":\"%.*s\",", (int)sizeof p.site, p.site);
	assert_non_null(strstr(text, site));
	assert_non_null(strstr(text, "\"site_name\":\"\xEF\xBF\xBD"));
	assert_non_null(strstr(text, "\"apply_start\":\"\","));
	assert_non_null(strstr(text, "\"opens\":\"\",\"closes\":\"\","));
	free(text);
	p.opens = -60;
	text = dump_and_drop(tqk_api_plan_encode(&p));
	assert_non_null(strstr(text, "\"opens\":\"\","));
	free(text);
	/* A key set past its cap writes its first TQK_KEYSET_MAX keys; a kid
	 * that is not terminated is cut at its array. */
	p = plan_sample();
	p.keys.n = TQK_KEYSET_MAX + 5;
	memset(p.keys.keys[0].kid, 'k', sizeof p.keys.keys[0].kid);
	json_t *obj = tqk_api_plan_encode(&p);
	assert_non_null(obj);
	json_t *keys = json_object_get(obj, "keys");
	assert_int_equal(json_array_size(keys), TQK_KEYSET_MAX);
	assert_int_equal(strlen(json_string_value(json_object_get(json_array_get(keys, 0), "kid"))),
	                 sizeof p.keys.keys[0].kid);
	json_decref(obj);
}

/* The plan's "institutions": absent or empty (none), valid (in order), and
 * every way a list or an item can be wrong. */
static void plan_institutions(void **state)
{
	(void)state;
	PLAN("institutions", NULL, TQK_OK, NULL);
	PLAN("institutions", json_array(), TQK_OK, NULL);
	json_t *doc = parse(plan_text);
	tqk_plan p;
	assert_int_equal(tqk_api_plan_decode(doc, &p, NULL), TQK_OK);
	json_decref(doc);
	assert_int_equal(p.n_institutions, 2);
	assert_string_equal(p.institutions[1].name, "浏阳市教育局");
	assert_int_equal(tqk_date_to_day(p.institutions[1].apply_end), DAY(2026, 4, 30));
	tqk_plan_clear(&p);

	json_t *list = json_array();
	for (int i = 0; i <= TQK_INSTITUTIONS_MAX; i++) {
		char name[32];
		snprintf(name, sizeof name, "第%d教育局", i);
		if (i == TQK_INSTITUTIONS_MAX)
			PLAN("institutions", json_deep_copy(list), TQK_OK, NULL);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "name", name, "apply_start",
		                                      "2026-03-01", "apply_end", "2026-03-01"));
	}
	PLAN("institutions", list, TQK_E_TOO_LONG, "institutions");
	PLAN("institutions", json_object(), TQK_E_JSON_TYPE, "institutions");
	PLAN("institutions", json_pack("[s]", "长沙县教育局"), TQK_E_JSON_TYPE, "institutions");
	PLAN("institutions", json_pack("[{s:s, s:s}]", "name", "长沙县教育局", "apply_start",
	                               "2026-03-01"), TQK_E_JSON_TYPE, "institutions");
	PLAN("institutions", json_pack("[{s:s, s:s, s:s}]", "name", "", "apply_start", "2026-03-01",
	                               "apply_end", "2026-03-02"), TQK_E_FIELD_REQUIRED,
	     "institutions");
	PLAN("institutions", json_pack("[{s:s, s:s, s:s}]", "name", "长沙县教育局", "apply_start",
	                               "2026-03-02", "apply_end", "2026-03-01"), TQK_E_PERIOD,
	     "institutions");
	PLAN("institutions", json_pack("[{s:s, s:s, s:s}]", "name", "长沙县教育局", "apply_start",
	                               "2026-02-30", "apply_end", "2026-03-01"), TQK_E_DATE_INVALID,
	     "institutions");
	PLAN("institutions", json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}]",
	                               "name", "长沙县教育局", "apply_start", "2026-03-01",
	                               "apply_end", "2026-03-02", "name", "长沙县教育局",
	                               "apply_start", "2026-04-01", "apply_end", "2026-04-02"),
	     TQK_E_FIELD_VALUE, "institutions");
	char name[300];
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	PLAN("institutions", json_pack("[{s:s, s:s, s:s}]", "name", name, "apply_start",
	                               "2026-03-01", "apply_end", "2026-03-02"), TQK_E_TOO_LONG,
	     "institutions");
}

/* The plan's "trees": absent or empty (none), a valid tree of each kind
 * copied and encoded again, and every way one can be wrong. */
static void plan_trees(void **state)
{
	(void)state;
	PLAN("trees", NULL, TQK_OK, NULL);
	PLAN("trees", json_object(), TQK_OK, NULL);
	static const char nations[] = "tqk-tree 1 nations\n01 汉族\n02 蒙古族\n";
	json_t *doc = parse(plan_text);
	json_object_set_new(doc, "trees", json_pack("{s:s}", "nations", nations));
	tqk_plan p;
	assert_int_equal(tqk_api_plan_decode(doc, &p, NULL), TQK_OK);
	json_decref(doc);
	assert_null(p.trees[0]);
	assert_non_null(p.trees[3]);
	assert_string_equal(p.trees[3], nations);
	json_t *again = tqk_api_plan_encode(&p);
	assert_string_equal(json_string_value(json_object_get(json_object_get(again, "trees"),
	                                                      "nations")), nations);
	json_decref(again);
	tqk_plan_clear(&p);
	assert_null(p.trees[3]);

	PLAN("trees", json_string(nations), TQK_E_JSON_TYPE, "trees");
	PLAN("trees", json_pack("{s:i}", "nations", 1), TQK_E_JSON_TYPE, "trees");
	PLAN("trees", json_pack("{s:s}", "cities", nations), TQK_E_FIELD_VALUE, "trees");
	/* its kind is not the member's, or it does not parse */
	PLAN("trees", json_pack("{s:s}", "titles", nations), TQK_E_FIELD_VALUE, "trees");
	PLAN("trees", json_pack("{s:s}", "nations", "tqk-tree 1 nations\n\t\t深\n"),
	     TQK_E_FIELD_VALUE, "trees");
	/* one valid, one not: nothing is kept (and nothing leaks) */
	PLAN("trees", json_pack("{s:s, s:s}", "nations", nations, "titles", "not a tree"),
	     TQK_E_FIELD_VALUE, "trees");
	char *big = malloc(TQK_TREE_MAX_BYTES + 2);
	assert_non_null(big);
	memset(big, '#', TQK_TREE_MAX_BYTES + 1);
	big[TQK_TREE_MAX_BYTES + 1] = '\0';
	PLAN("trees", json_pack("{s:s}", "nations", big), TQK_E_TOO_LONG, "trees");
	free(big);
}

/* The plan's "keys": absent or empty (no keys), valid (in order), and
 * every way a list or an item can be wrong. */
static void plan_keys(void **state)
{
	(void)state;
	/* Absent: a server older than keys. */
	PLAN("keys", NULL, TQK_OK, NULL);
	json_t *doc = parse(plan_text);
	json_object_del(doc, "keys");
	tqk_plan p;
	assert_int_equal(tqk_api_plan_decode(doc, &p, NULL), TQK_OK);
	assert_int_equal(p.keys.n, 0);
	tqk_plan_clear(&p);
	json_decref(doc);
	PLAN("keys", json_array(), TQK_OK, NULL);
	/* Valid: kept in the server's order, each key decoded. */
	doc = parse(plan_text);
	assert_int_equal(tqk_api_plan_decode(doc, &p, NULL), TQK_OK);
	json_decref(doc);
	assert_int_equal(p.keys.n, 2);
	assert_string_equal(p.keys.keys[0].kid, KID1);
	assert_string_equal(p.keys.keys[1].kid, KID2);
	char text[TQK_PUBKEY_TEXT_LEN + 1];
	tqk_pubkey_format(p.keys.keys[1].key, text);
	assert_string_equal(text, PUB2);
	tqk_plan_clear(&p);
	assert_int_equal(p.keys.n, 0);

	/* Up to TQK_KEYSET_MAX; one more is too long. */
	json_t *list = json_array();
	for (int i = 0; i <= TQK_KEYSET_MAX; i++) {
		char kid[16];
		snprintf(kid, sizeof kid, "k%d", i);
		if (i == TQK_KEYSET_MAX)
			PLAN("keys", json_deep_copy(list), TQK_OK, NULL);
		json_array_append_new(list, json_pack("{s:s, s:s}", "kid", kid, "public", PUB1));
	}
	PLAN("keys", list, TQK_E_TOO_LONG, "keys");

	/* Not a list, or items that are not objects of two strings. */
	PLAN("keys", json_null(), TQK_E_JSON_TYPE, "keys");
	PLAN("keys", json_object(), TQK_E_JSON_TYPE, "keys");
	PLAN("keys", json_string(KEYS_JSON), TQK_E_JSON_TYPE, "keys");
	PLAN("keys", json_pack("[s]", PUB1), TQK_E_JSON_TYPE, "keys");
	PLAN("keys", json_pack("[{s:s}]", "kid", KID1), TQK_E_JSON_TYPE, "keys");
	PLAN("keys", json_pack("[{s:s}]", "public", PUB1), TQK_E_JSON_TYPE, "keys");
	PLAN("keys", json_pack("[{s:i, s:s}]", "kid", 1, "public", PUB1), TQK_E_JSON_TYPE, "keys");
	PLAN("keys", json_pack("[{s:s, s:n}]", "kid", KID1, "public"), TQK_E_JSON_TYPE, "keys");
	/* Other members of an item are ignored. */
	PLAN("keys", json_pack("[{s:s, s:s, s:s}]", "kid", KID1, "public", PUB1, "note", "x"), TQK_OK,
	     NULL);

	/* A bad kid: empty, too long, other characters, a NUL inside. */
	static const char *const bad_kids[] = {"", "abcdefghij-_01234", "k 1", "k.1", "钥匙"};
	for (size_t i = 0; i < sizeof bad_kids / sizeof bad_kids[0]; i++)
		PLAN("keys", json_pack("[{s:s, s:s}]", "kid", bad_kids[i], "public", PUB1),
		     TQK_E_FIELD_VALUE, "keys");
	PLAN("keys", json_pack("[{s:s#, s:s}]", "kid", "k1\0x", 4, "public", PUB1), TQK_E_FIELD_VALUE,
	     "keys");
	PLAN("keys", json_pack("[{s:s, s:s}]", "kid", "abcdefghij-_0123", "public", PUB1), TQK_OK,
	     NULL);
	/* A kid twice, even with another key. */
	PLAN("keys", json_pack("[{s:s, s:s}, {s:s, s:s}]", "kid", KID1, "public", PUB1, "kid", KID1,
	                       "public", PUB2), TQK_E_FIELD_VALUE, "keys");
	/* Bad base64url: short, long, padded, standard base64's characters. */
	static const char *const bad_keys[] = {
		"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMb",
		"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbgA",
		"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=",
		"A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg",
		"A6EHv+POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg",
		"A6EHv POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg",
		"",
		/* Not canonical: the last character's unused bits set ('g' is
		 * the canonical one for these bytes). */
		"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbh",
		"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbj",
	};
	for (size_t i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++)
		PLAN("keys", json_pack("[{s:s, s:s}]", "kid", KID1, "public", bad_keys[i]),
		     TQK_E_FIELD_VALUE, "keys");
	/* The first bad item fails the whole list. */
	PLAN("keys", json_pack("[{s:s, s:s}, {s:s, s:s}]", "kid", KID1, "public", PUB1, "kid", KID2,
	                       "public", bad_keys[7]), TQK_E_FIELD_VALUE, "keys");
	/* The keys come last: an earlier bad member is the one named. */
	doc = parse(plan_text);
	json_object_set_new(doc, "keys", json_integer(1));
	json_object_set_new(doc, "rev", json_integer(-1));
	DOC(plan_decode, doc, TQK_E_FIELD_VALUE, "rev");
}

/* ---- GET /v1/clerks ---- */

static void clerk_round_trip(void **state)
{
	(void)state;
	tqk_clerk want = clerk_sample();
	assert_dumps_as(tqk_api_clerk_encode(&want), clerk_text);
	json_t *obj = parse(clerk_text);
	tqk_clerk got;
	memset(&got, 0xA5, sizeof got);
	assert_int_equal(tqk_api_clerk_decode(obj, &got, NULL), TQK_OK);
	assert_memory_equal(&got, &want, sizeof got);
	json_decref(obj);
	want.active = false;
	memset(want.name, 0, sizeof want.name);   /* buffers compare whole */
	obj = tqk_api_clerk_encode(&want);
	assert_int_equal(tqk_api_clerk_decode(obj, &got, NULL), TQK_OK);
	assert_memory_equal(&got, &want, sizeof got);
	json_decref(obj);
}

static void clerk_errors(void **state)
{
	(void)state;
	refuses_non_objects(clerk_decode, "clerk");
	static const char *const members[] = {"id", "name", "pin_hash", "active"};
	for (size_t i = 0; i < 4; i++) {
		CLERK(members[i], NULL, TQK_E_JSON_TYPE, members[i]);
		CLERK(members[i], json_null(), TQK_E_JSON_TYPE, members[i]);
		CLERK(members[i], json_integer(1), TQK_E_JSON_TYPE, members[i]);
		CLERK(members[i], json_array(), TQK_E_JSON_TYPE, members[i]);
	}
	for (size_t i = 0; i < 3; i++) {
		CLERK(members[i], json_true(), TQK_E_JSON_TYPE, members[i]);
		CLERK(members[i], json_stringn("a\0b", 3), TQK_E_FIELD_VALUE, members[i]);
	}
	CLERK("active", json_string("true"), TQK_E_JSON_TYPE, "active");
	CLERK("active", json_false(), TQK_OK, NULL);
	CLERK("id", json_string(""), TQK_E_FIELD_REQUIRED, "id");
	CLERK("id", str_n(TQK_CODE_CAP - 1, 'C'), TQK_OK, NULL);
	CLERK("id", str_n(TQK_CODE_CAP, 'C'), TQK_E_TOO_LONG, "id");
	CLERK("name", str_n(TQK_NAME_CAP - 1, 'n'), TQK_OK, NULL);
	CLERK("name", str_n(TQK_NAME_CAP, 'n'), TQK_E_TOO_LONG, "name");
	CLERK("pin_hash", str_n(TQK_PIN_HASH_CAP - 1, 'h'), TQK_OK, NULL);
	CLERK("pin_hash", str_n(TQK_PIN_HASH_CAP, 'h'), TQK_E_TOO_LONG, "pin_hash");
	CLERK("pin", json_string("1234"), TQK_OK, NULL);    /* unknown: ignored */
}

/* ---- GET /v1/updates ---- */

static void update_round_trip(void **state)
{
	(void)state;
	tqk_update want = update_sample();
	assert_dumps_as(tqk_api_update_encode(&want), update_text);
	json_t *obj = parse(update_text);
	tqk_update got;
	memset(&got, 0xA5, sizeof got);
	assert_int_equal(tqk_api_update_decode(obj, &got, NULL), TQK_OK);
	assert_memory_equal(&got, &want, sizeof got);
	json_decref(obj);

	/* A message alone: no "state" member at all. */
	want.state = TQK_ST_NONE;
	want.seq = 0;
	assert_dumps_as(tqk_api_update_encode(&want),
	                "{\"seq\":0,\"reg_no\":\"R2026000123\","
	                "\"message\":\"请于5月29日前补交材料\",\"at\":1779240600}");
	obj = tqk_api_update_encode(&want);
	memset(&got, 0xA5, sizeof got);
	assert_int_equal(tqk_api_update_decode(obj, &got, NULL), TQK_OK);
	assert_int_equal(got.state, TQK_ST_NONE);
	assert_memory_equal(&got, &want, sizeof got);
	json_decref(obj);

	/* Every state with an empty message. */
	memset(want.message, 0, sizeof want.message);   /* buffers compare whole */
	for (int s = 1; s < TQK_ST_COUNT; s++) {
		want.state = (tqk_state)s;
		obj = tqk_api_update_encode(&want);
		assert_int_equal(tqk_api_update_decode(obj, &got, NULL), TQK_OK);
		assert_memory_equal(&got, &want, sizeof got);
		json_decref(obj);
	}
}

static void update_errors(void **state)
{
	(void)state;
	refuses_non_objects(update_decode, "update");
	static const char *const required[] = {"seq", "reg_no", "message", "at"};
	for (size_t i = 0; i < 4; i++) {
		UPDATE(required[i], NULL, TQK_E_JSON_TYPE, required[i]);
		UPDATE(required[i], json_null(), TQK_E_JSON_TYPE, required[i]);
		UPDATE(required[i], json_object(), TQK_E_JSON_TYPE, required[i]);
	}
	UPDATE("seq", json_string("42"), TQK_E_JSON_TYPE, "seq");
	UPDATE("seq", json_real(42.0), TQK_E_JSON_TYPE, "seq");
	UPDATE("seq", json_integer(-1), TQK_E_FIELD_VALUE, "seq");
	UPDATE("seq", json_integer(0), TQK_OK, NULL);
	UPDATE("at", json_string("2026-05-20 09:30"), TQK_E_JSON_TYPE, "at");
	UPDATE("at", json_integer(0), TQK_E_FIELD_VALUE, "at");
	UPDATE("at", json_integer(-5), TQK_E_FIELD_VALUE, "at");
	UPDATE("reg_no", json_integer(1), TQK_E_JSON_TYPE, "reg_no");
	UPDATE("reg_no", json_string(""), TQK_E_FIELD_REQUIRED, "reg_no");
	UPDATE("reg_no", json_stringn("R\0", 2), TQK_E_FIELD_VALUE, "reg_no");
	UPDATE("reg_no", str_n(TQK_CODE_CAP - 1, 'R'), TQK_OK, NULL);
	UPDATE("reg_no", str_n(TQK_CODE_CAP, 'R'), TQK_E_TOO_LONG, "reg_no");
	UPDATE("message", json_true(), TQK_E_JSON_TYPE, "message");
	UPDATE("message", json_string(""), TQK_OK, NULL);
	UPDATE("message", str_n(TQK_MSG_CAP - 1, 'm'), TQK_OK, NULL);
	UPDATE("message", str_n(TQK_MSG_CAP, 'm'), TQK_E_TOO_LONG, "message");

	/* state: absent is a message alone; present, a real state's code. */
	UPDATE("state", NULL, TQK_OK, NULL);
	UPDATE("state", json_null(), TQK_E_JSON_TYPE, "state");
	UPDATE("state", json_integer(3), TQK_E_JSON_TYPE, "state");
	UPDATE("state", json_array(), TQK_E_JSON_TYPE, "state");
	UPDATE("state", json_string("none"), TQK_E_STATE_UNKNOWN, "state");
	UPDATE("state", json_string(""), TQK_E_STATE_UNKNOWN, "state");
	UPDATE("state", json_string("Confirmed"), TQK_E_STATE_UNKNOWN, "state");
	UPDATE("state", json_string("3"), TQK_E_STATE_UNKNOWN, "state");
	UPDATE("state", json_stringn("passed\0x", 8), TQK_E_FIELD_VALUE, "state");
	UPDATE("state", json_string("passed"), TQK_OK, NULL);
	UPDATE("extra", json_integer(1), TQK_OK, NULL);
}

/* ---- pages ---- */

static void page_round_trip(void **state)
{
	(void)state;
	json_t *items = json_array();
	json_array_append_new(items, json_pack("{s:i}", "seq", 1));
	json_array_append_new(items, json_pack("{s:i}", "seq", 2));
	/* The encoder takes the reference to items: the sanitizer would see a leak. */
	json_t *obj = tqk_api_page_encode("c42", true, "updates", items);
	char *text = tqk_json_dump(obj);
	assert_string_equal(text, page_text);
	free(text);

	const char *cursor = NULL, *bad = "untouched";
	bool more = false;
	const json_t *got = NULL;
	assert_int_equal(tqk_api_page_decode(obj, "updates", &cursor, &more, &got, &bad), TQK_OK);
	assert_string_equal(cursor, "c42");
	assert_true(more);
	assert_ptr_equal(got, items);       /* borrowed, not copied */
	assert_int_equal(json_array_size(got), 2);
	assert_string_equal(bad, "untouched");
	json_decref(obj);

	/* No cursor yet, the last page, the applications' name. */
	assert_dumps_as(tqk_api_page_encode(NULL, false, "applications", json_array()),
	                "{\"cursor\":\"\",\"more\":false,\"applications\":[]}");
	obj = tqk_api_page_encode("", false, "applications", json_array());
	assert_int_equal(tqk_api_page_decode(obj, "applications", &cursor, &more, &got, NULL),
	                 TQK_OK);
	assert_string_equal(cursor, "");
	assert_false(more);
	assert_int_equal(json_array_size(got), 0);
	json_decref(obj);
	/* items NULL (its allocation failed): no page. */
	assert_null(tqk_api_page_encode("c", true, "updates", NULL));
}

static void page_errors(void **state)
{
	(void)state;
	refuses_non_objects(page_decode, "page");
	PAGE("cursor", NULL, TQK_E_JSON_TYPE, "cursor");
	PAGE("cursor", json_null(), TQK_E_JSON_TYPE, "cursor");
	PAGE("cursor", json_integer(42), TQK_E_JSON_TYPE, "cursor");
	PAGE("cursor", json_stringn("c\0d", 3), TQK_E_FIELD_VALUE, "cursor");
	PAGE("cursor", str_n(TQK_JSON_CURSOR_MAX, 'c'), TQK_OK, NULL);
	PAGE("cursor", str_n(TQK_JSON_CURSOR_MAX + 1, 'c'), TQK_E_TOO_LONG, "cursor");
	PAGE("more", NULL, TQK_E_JSON_TYPE, "more");
	PAGE("more", json_null(), TQK_E_JSON_TYPE, "more");
	PAGE("more", json_string("true"), TQK_E_JSON_TYPE, "more");
	PAGE("more", json_integer(1), TQK_E_JSON_TYPE, "more");
	PAGE("more", json_false(), TQK_OK, NULL);
	PAGE("updates", NULL, TQK_E_JSON_TYPE, "updates");
	PAGE("updates", json_null(), TQK_E_JSON_TYPE, "updates");
	PAGE("updates", json_object(), TQK_E_JSON_TYPE, "updates");
	PAGE("updates", json_array(), TQK_OK, NULL);
	PAGE("applications", json_array(), TQK_OK, NULL);   /* another list: ignored */

	/* At most TQK_API_PAGE_MAX items (their content is not read here). */
	json_t *list = json_array();
	for (int i = 0; i < TQK_API_PAGE_MAX; i++)
		assert_int_equal(json_array_append_new(list, json_integer(i)), 0);
	PAGE("updates", json_incref(list), TQK_OK, NULL);
	assert_int_equal(json_array_append_new(list, json_integer(-1)), 0);
	PAGE("updates", list, TQK_E_TOO_LONG, "updates");

	/* The items' name is the caller's: "applications" is not "updates". */
	json_t *obj = parse(page_text);
	const char *cursor = NULL, *bad = NULL;
	bool more = false;
	const json_t *items = NULL;
	assert_int_equal(tqk_api_page_decode(obj, "applications", &cursor, &more, &items, &bad),
	                 TQK_E_JSON_TYPE);
	assert_string_equal(bad, "applications");
	assert_null(cursor);
	assert_null(items);
	json_decref(obj);
}

/* ---- POST /v1/confirmations ---- */

static void status_codes(void **state)
{
	(void)state;
	assert_string_equal(tqk_upload_status_code(TQK_UPLOAD_STORED), "stored");
	assert_string_equal(tqk_upload_status_code(TQK_UPLOAD_DUPLICATE), "duplicate");
	assert_string_equal(tqk_upload_status_code(TQK_UPLOAD_CONFLICT), "conflict");
	assert_string_equal(tqk_upload_status_code(TQK_UPLOAD_REJECTED), "rejected");
	assert_string_equal(tqk_upload_status_code((tqk_upload_status)0), "");
	assert_string_equal(tqk_upload_status_code((tqk_upload_status)5), "");
	assert_string_equal(tqk_upload_status_code((tqk_upload_status)-1), "");
}

static void results_round_trip(void **state)
{
	(void)state;
	tqk_upload_result want[4];
	results_sample(want);
	assert_dumps_as(tqk_api_results_encode(want, 4), results_text);

	json_t *obj = parse(results_text);
	tqk_upload_result got[5];
	memset(got, 0xA5, sizeof got);
	size_t n = 0;
	const char *bad = "untouched";
	assert_int_equal(tqk_api_results_decode(obj, got, 5, &n, &bad), TQK_OK);
	assert_int_equal(n, 4);
	assert_memory_equal(got, want, sizeof want);
	/* Nothing beyond the results decoded. */
	unsigned char pattern[sizeof got[4]];
	memset(pattern, 0xA5, sizeof pattern);
	assert_memory_equal(&got[4], pattern, sizeof pattern);
	assert_string_equal(bad, "untouched");
	/* Exactly as many as the room. */
	assert_int_equal(tqk_api_results_decode(obj, got, 4, &n, NULL), TQK_OK);
	assert_int_equal(n, 4);
	json_decref(obj);

	/* Stored and duplicate results carry no error: it is not written. */
	SET(want[0].error, "ignored");
	SET(want[0].message, "ignored");
	char *text = dump_and_drop(tqk_api_results_encode(want, 1));
	assert_string_equal(text, "{\"results\":[{\"uuid\":\"" UUID1 "\",\"status\":\"stored\"}]}");
	free(text);

	/* No results: an empty list, also with no room at all. */
	assert_dumps_as(tqk_api_results_encode(NULL, 0), "{\"results\":[]}");
	obj = parse("{\"results\":[]}");
	n = 99;
	assert_int_equal(tqk_api_results_decode(obj, NULL, 0, &n, NULL), TQK_OK);
	assert_int_equal(n, 0);
	json_decref(obj);
}

static void results_errors(void **state)
{
	(void)state;
	refuses_non_objects(results_decode, "results");
	DOC(results_decode, json_object(), TQK_E_JSON_TYPE, "results");
	DOC(results_decode, json_pack("{s:n}", "results"), TQK_E_JSON_TYPE, "results");
	DOC(results_decode, json_pack("{s:{}}", "results"), TQK_E_JSON_TYPE, "results");
	DOC(results_decode, json_pack("{s:[s]}", "results", UUID1), TQK_E_JSON_TYPE, "results");
	DOC(results_decode, json_pack("{s:[n]}", "results"), TQK_E_JSON_TYPE, "results");

	for (int i = 0; i < 4; i++) {
		RESULT(i, "uuid", NULL, TQK_E_JSON_TYPE, "uuid");
		RESULT(i, "uuid", json_null(), TQK_E_JSON_TYPE, "uuid");
		RESULT(i, "uuid", json_integer(1), TQK_E_JSON_TYPE, "uuid");
		RESULT(i, "uuid", json_string(""), TQK_E_UUID, "uuid");
		RESULT(i, "uuid", json_string("0B1E3F8A-2C4D-4E5F-8A9B-0C1D2E3F4A5B"), TQK_E_UUID,
		       "uuid");
		RESULT(i, "uuid", json_string("0b1e3f8a-2c4d-1e5f-8a9b-0c1d2e3f4a5b"), TQK_E_UUID,
		       "uuid");
		RESULT(i, "uuid", json_string(UUID1 "0"), TQK_E_TOO_LONG, "uuid");
		RESULT(i, "status", NULL, TQK_E_JSON_TYPE, "status");
		RESULT(i, "status", json_null(), TQK_E_JSON_TYPE, "status");
		RESULT(i, "status", json_integer(1), TQK_E_JSON_TYPE, "status");
		RESULT(i, "status", json_string(""), TQK_E_FIELD_VALUE, "status");
		RESULT(i, "status", json_string("ok"), TQK_E_FIELD_VALUE, "status");
		RESULT(i, "status", json_string("Stored"), TQK_E_FIELD_VALUE, "status");
		RESULT(i, "status", json_stringn("stored\0", 7), TQK_E_FIELD_VALUE, "status");
		RESULT(i, "other", json_true(), TQK_OK, NULL);
	}
	/* Conflict and rejected: error and message are required and capped. */
	for (int i = 2; i < 4; i++) {
		RESULT(i, "error", NULL, TQK_E_JSON_TYPE, "error");
		RESULT(i, "error", json_null(), TQK_E_JSON_TYPE, "error");
		RESULT(i, "error", json_integer(1), TQK_E_JSON_TYPE, "error");
		RESULT(i, "message", NULL, TQK_E_JSON_TYPE, "message");
		RESULT(i, "message", json_false(), TQK_E_JSON_TYPE, "message");
		RESULT(i, "error", str_n(63, 'e'), TQK_OK, NULL);
		RESULT(i, "error", str_n(64, 'e'), TQK_E_TOO_LONG, "error");
		RESULT(i, "message", str_n(255, 'm'), TQK_OK, NULL);
		RESULT(i, "message", str_n(256, 'm'), TQK_E_TOO_LONG, "message");
		RESULT(i, "message", json_string(""), TQK_OK, NULL);
	}
	/* Stored and duplicate: neither, not even empty. */
	for (int i = 0; i < 2; i++) {
		RESULT(i, "error", json_string(""), TQK_E_JSON_TYPE, "error");
		RESULT(i, "error", json_string("store.exists"), TQK_E_JSON_TYPE, "error");
		RESULT(i, "message", json_string("x"), TQK_E_JSON_TYPE, "message");
	}
	/* A status change moves the requirement along. */
	RESULT(0, "status", json_string("rejected"), TQK_E_JSON_TYPE, "error");
	RESULT(2, "status", json_string("stored"), TQK_E_JSON_TYPE, "error");
}

static void results_over_the_room(void **state)
{
	(void)state;
	json_t *obj = parse(results_text);
	tqk_upload_result r[3], before[3];
	memset(r, 0xA5, sizeof r);
	memcpy(before, r, sizeof before);
	size_t n = 7;
	const char *bad = NULL;
	assert_int_equal(tqk_api_results_decode(obj, r, 3, &n, &bad), TQK_E_TOO_LONG);
	assert_string_equal(bad, "results");
	assert_memory_equal(r, before, sizeof r);
	assert_int_equal(n, 7);
	assert_int_equal(tqk_api_results_decode(obj, NULL, 0, &n, &bad), TQK_E_TOO_LONG);
	json_decref(obj);

	/* Never more than a batch, whatever the room. */
	size_t cap = TQK_API_BATCH_MAX + 1;
	tqk_upload_result *many = calloc(cap, sizeof *many);
	assert_non_null(many);
	json_t *list = json_array();
	for (size_t i = 0; i < TQK_API_BATCH_MAX; i++)
		json_array_append_new(list, json_pack("{s:s,s:s}", "uuid", UUID1, "status",
		                                       "stored"));
	obj = json_pack("{s:O}", "results", list);
	assert_int_equal(tqk_api_results_decode(obj, many, cap, &n, NULL), TQK_OK);
	assert_int_equal(n, TQK_API_BATCH_MAX);
	json_decref(obj);
	json_array_append_new(list, json_pack("{s:s,s:s}", "uuid", UUID1, "status", "stored"));
	obj = json_pack("{s:o}", "results", list);
	n = 7;
	assert_int_equal(tqk_api_results_decode(obj, many, cap, &n, &bad), TQK_E_TOO_LONG);
	assert_string_equal(bad, "results");
	assert_int_equal(n, 7);
	json_decref(obj);
	free(many);
}

/* A bad result after good ones: nothing of the good ones is written. */
static void results_all_or_nothing(void **state)
{
	(void)state;
	RESULT(3, "uuid", json_string("not-a-uuid"), TQK_E_UUID, "uuid");
	RESULT(3, "status", json_string("lost"), TQK_E_FIELD_VALUE, "status");
	json_t *obj = parse(results_text);
	json_array_append_new(json_object_get(obj, "results"), json_integer(5));
	tqk_upload_result r[8], before[8];
	memset(r, 0x5A, sizeof r);
	memcpy(before, r, sizeof before);
	size_t n = 3;
	const char *bad = NULL;
	assert_int_equal(tqk_api_results_decode(obj, r, 8, &n, &bad), TQK_E_JSON_TYPE);
	assert_string_equal(bad, "results");
	assert_memory_equal(r, before, sizeof r);
	assert_int_equal(n, 3);
	json_decref(obj);
}

/* ---- errors ---- */

static void error_documents(void **state)
{
	(void)state;
	assert_dumps_as(tqk_api_error_encode(TQK_E_ID_CHECKSUM),
	                "{\"error\":\"id.checksum\","
	                "\"message\":\"the ID number's check character is wrong; "
	                "check every digit\"}");
	assert_dumps_as(tqk_api_error_encode(TQK_E_UUID),
	                "{\"error\":\"record.uuid\","
	                "\"message\":\"a record id (uuid) is malformed\"}");
	/* Every error, and values out of range, in the same shape. */
	for (int e = 0; e <= TQK_E_COUNT + 1; e++) {
		json_t *obj = tqk_api_error_encode((tqk_err)e);
		assert_non_null(obj);
		assert_int_equal(json_object_size(obj), 2);
		char want[128];
		snprintf(want, sizeof want, "%s.%s", tqk_err_domain((tqk_err)e),
		         tqk_err_code((tqk_err)e));
		assert_string_equal(json_string_value(json_object_get(obj, "error")), want);
		assert_string_equal(json_string_value(json_object_get(obj, "message")),
		                    tqk_strerror((tqk_err)e, TQK_LANG_EN));
		/* The name fits an upload result's error. */
		tqk_upload_result r;
		assert_true(strlen(want) < sizeof r.error);
		json_decref(obj);
	}
	assert_dumps_as(tqk_api_error_encode(TQK_E_COUNT),
	                "{\"error\":\"general.unknown\",\"message\":\"unknown error\"}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(time_round_trip),
		cmocka_unit_test(time_errors),
		cmocka_unit_test(plan_encodes_exactly),
		cmocka_unit_test(plan_round_trip),
		cmocka_unit_test(plan_missing_members),
		cmocka_unit_test(plan_wrong_types),
		cmocka_unit_test(plan_bad_values),
		cmocka_unit_test(plan_strings_over_their_caps),
		cmocka_unit_test(any_plan_encodes),
		cmocka_unit_test(plan_institutions),
		cmocka_unit_test(plan_trees),
		cmocka_unit_test(plan_keys),
		cmocka_unit_test(clerk_round_trip),
		cmocka_unit_test(clerk_errors),
		cmocka_unit_test(update_round_trip),
		cmocka_unit_test(update_errors),
		cmocka_unit_test(page_round_trip),
		cmocka_unit_test(page_errors),
		cmocka_unit_test(status_codes),
		cmocka_unit_test(results_round_trip),
		cmocka_unit_test(results_errors),
		cmocka_unit_test(results_over_the_room),
		cmocka_unit_test(results_all_or_nothing),
		cmocka_unit_test(error_documents),
	};
	return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
