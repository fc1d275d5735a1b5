/*
 * test_confirmation.c - the site's confirmation as a value: tqk_confirmation_check
 * member by member (each failure names the right member, the first bad one
 * when several are), the conclusion against the marks (built by hand and
 * with tqk_marks_prefill), the corrections (unknown field, one field twice,
 * an invalid new value, more than TQK_CORRECTIONS_MAX), the time and its
 * source, and the codes of marks, conclusions and time sources.
 */
#include "test.h"

#include <stdbool.h>

#include "core/application.h"
#include "core/confirmation.h"
#include "core/materials.h"

#define TODAY DATE(2026, 5, 20)
#define UUID1 "0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5b"
#define UUID2 "9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a"
#define ID_A "360426199101010071"
#define ID_C "11010519491231002X"

/* A complete confirmation: every material present, no police certificate. */
static tqk_confirmation sample(void)
{
	tqk_confirmation c;
	memset(&c, 0, sizeof c);
	strcpy(c.uuid, UUID1);
	strcpy(c.reg_no, "R2026000123");
	strcpy(c.site, "CSX01");
	strcpy(c.kiosk, "K1");
	strcpy(c.clerk, "C007");
	for (int m = 0; m < TQK_MAT_COUNT; m++)
		c.marks.mark[m] = TQK_MARK_HAS;
	c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_NA;
	c.conclusion = TQK_CONC_COMPLETE;
	c.at = test_at("2026-05-20 09:30");
	c.time_source = TQK_TIME_LOCAL;
	return c;
}

static void check_at(int line, const tqk_confirmation *c, tqk_err want, const char *where)
{
	const char *bad = "untouched";
	tqk_err got = tqk_confirmation_check(c, TODAY, &bad);
	if (got != want)
		fail_msg("line %d: got %s (at %s), want %s", line, tqk_err_code(got), bad,
		         tqk_err_code(want));
	if (want == TQK_OK)
		assert_string_equal(bad, "untouched");
	else if (strcmp(bad, where) != 0)
		fail_msg("line %d: %s named \"%s\", want \"%s\"", line, tqk_err_code(got), bad, where);
}

#define want_check(c, want, where) check_at(__LINE__, (c), (want), (where))
/* Starts from the sample, applies change, checks. */
#define CASE(change, want, where) do { \
		c = sample(); \
		change; \
		want_check(&c, (want), (where)); \
	} while (0)

static void sample_is_valid(void **state)
{
	(void)state;
	tqk_confirmation c = sample(), before = c;
	want_check(&c, TQK_OK, NULL);
	assert_memory_equal(&c, &before, sizeof c);
	assert_int_equal(tqk_confirmation_check(&c, TODAY, NULL), TQK_OK);
	/* The store makes the uuid: an empty one is fine. */
	CASE(c.uuid[0] = '\0', TQK_OK, NULL);
	/* Every time source will do. */
	CASE(c.time_source = TQK_TIME_ANCHORED, TQK_OK, NULL);
	CASE(c.time_source = TQK_TIME_SERVER, TQK_OK, NULL);
	/* The archive number is the store's business. */
	CASE(strcpy(c.archive_no, "\x01\xff"), TQK_OK, NULL);
}

static void ids_are_checked(void **state)
{
	(void)state;
	tqk_confirmation c;
	CASE(strcpy(c.uuid, "not-a-uuid"), TQK_E_UUID, "uuid");
	CASE(strcpy(c.uuid, "0B1E3F8A-2C4D-4E5F-8A9B-0C1D2E3F4A5B"), TQK_E_UUID, "uuid");
	CASE(c.uuid[14] = '1', TQK_E_UUID, "uuid");
	CASE(memset(c.uuid, 'a', sizeof c.uuid), TQK_E_UUID, "uuid");
	CASE(strcpy(c.supersedes, UUID2), TQK_OK, NULL);
	CASE(strcpy(c.supersedes, UUID1), TQK_E_UUID, "supersedes");   /* itself */
	CASE(strcpy(c.supersedes, "x"), TQK_E_UUID, "supersedes");
	CASE((c.uuid[0] = '\0', strcpy(c.supersedes, UUID2)), TQK_OK, NULL);
	static const char *const bad_codes[] = {"", "a b", "a.b", "长沙", "a\n"};
	for (size_t i = 0; i < sizeof bad_codes / sizeof bad_codes[0]; i++) {
		CASE(strcpy(c.reg_no, bad_codes[i]), TQK_E_FIELD_VALUE, "reg_no");
		CASE(strcpy(c.site, bad_codes[i]), TQK_E_FIELD_VALUE, "site");
		CASE(strcpy(c.kiosk, bad_codes[i]), TQK_E_FIELD_VALUE, "kiosk");
		CASE(strcpy(c.clerk, bad_codes[i]), TQK_E_FIELD_VALUE, "clerk");
	}
	CASE(memset(c.reg_no, 'r', sizeof c.reg_no), TQK_E_FIELD_VALUE, "reg_no");
	CASE(memset(c.clerk, 'c', sizeof c.clerk), TQK_E_FIELD_VALUE, "clerk");
	CASE(strcpy(c.clerk, "12345678901234567890123456789012"), TQK_OK, NULL);
}

static void texts_time_and_source_are_checked(void **state)
{
	(void)state;
	tqk_confirmation c;
	CASE(strcpy(c.remark, "\xff"), TQK_E_UTF8, "remark");
	CASE(memset(c.remark, 'r', sizeof c.remark), TQK_E_TOO_LONG, "remark");
	CASE(strcpy(c.message, "\xe5\xbc"), TQK_E_UTF8, "message");
	CASE(memset(c.message, 'm', sizeof c.message), TQK_E_TOO_LONG, "message");
	CASE(strcpy(c.message, "请于5月25日前补交。\n谢谢"), TQK_OK, NULL);
	CASE(c.time_source = TQK_TIME_UNSET, TQK_E_TIME_SOURCE, "time_source");
	CASE(c.time_source = (tqk_time_source)5, TQK_E_TIME_SOURCE, "time_source");
	CASE(c.time_source = (tqk_time_source)-1, TQK_E_TIME_SOURCE, "time_source");
	CASE(c.at = 0, TQK_E_ARG, "at");
	CASE(c.at = -1, TQK_E_ARG, "at");
	CASE(c.at = 1, TQK_OK, NULL);
	/* The first bad member is named. */
	CASE((strcpy(c.uuid, "x"), c.at = 0), TQK_E_UUID, "uuid");
	CASE((strcpy(c.kiosk, ""), strcpy(c.remark, "\xff")), TQK_E_FIELD_VALUE, "kiosk");
	CASE((c.time_source = 0, c.at = 0), TQK_E_TIME_SOURCE, "time_source");
}

static void conclusion_must_follow_the_marks(void **state)
{
	(void)state;
	tqk_confirmation c;
	CASE(c.marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS, TQK_E_MAT_CONCLUSION, "conclusion");
	CASE((c.marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS, c.conclusion = TQK_CONC_INCOMPLETE),
	     TQK_OK, NULL);
	CASE(c.conclusion = TQK_CONC_INCOMPLETE, TQK_E_MAT_CONCLUSION, "conclusion");
	CASE(c.conclusion = TQK_CONC_NONE, TQK_E_MAT_CONCLUSION, "conclusion");
	CASE(c.conclusion = (tqk_conclusion)4, TQK_E_MAT_CONCLUSION, "conclusion");
	CASE(c.marks.mark[TQK_MAT_FORM] = TQK_MARK_UNSET, TQK_E_MAT_UNMARKED, "marks");
	CASE(c.marks.mark[TQK_MAT_ETHICS] = TQK_MARK_NA, TQK_E_MAT_MARK, "marks");
	CASE(c.marks.mark[TQK_MAT_ETHICS] = (tqk_mark)9, TQK_E_MAT_MARK, "marks");
	CASE(c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_HAS, TQK_E_MAT_POLICE, "marks");
	CASE(c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_UNSET, TQK_OK, NULL);
	CASE(c.police_required = true, TQK_E_MAT_POLICE, "marks");
	CASE((c.police_required = true, c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_HAS), TQK_OK, NULL);
	CASE((c.police_required = true, c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_LACKS,
	      c.conclusion = TQK_CONC_INCOMPLETE), TQK_OK, NULL);
	/* A missing "other conditions" item needs a message saying what to bring. */
	CASE((c.marks.mark[TQK_MAT_OTHER] = TQK_MARK_LACKS, c.conclusion = TQK_CONC_INCOMPLETE),
	     TQK_E_MAT_MESSAGE, "message");
	CASE((c.marks.mark[TQK_MAT_OTHER] = TQK_MARK_LACKS, c.conclusion = TQK_CONC_INCOMPLETE,
	      strcpy(c.message, " \u3000")), TQK_E_MAT_MESSAGE, "message");
	CASE((c.marks.mark[TQK_MAT_OTHER] = TQK_MARK_LACKS, c.conclusion = TQK_CONC_INCOMPLETE,
	      strcpy(c.message, "请补交普通话证书复印件")), TQK_OK, NULL);
	/* 网报未受理 needs a reason and ignores the marks. */
	CASE(c.conclusion = TQK_CONC_NOT_ACCEPTED, TQK_E_MAT_REASON, "remark");
	CASE((c.conclusion = TQK_CONC_NOT_ACCEPTED, strcpy(c.remark, "\u3000")), TQK_E_MAT_REASON,
	     "remark");
	CASE((c.conclusion = TQK_CONC_NOT_ACCEPTED, strcpy(c.remark, "重复报名"),
	      memset(&c.marks, 0, sizeof c.marks)), TQK_OK, NULL);
}

static void conclusion_with_prefilled_marks(void **state)
{
	(void)state;
	/* Second registration, teaching above the certificate's stage, and the
	 * name on the certificate differs: qualification match lacks, the police
	 * certificate is needed. */
	tqk_case k = {
		.card_name = "张三", .card_id = ID_A, .cert_name = "张叁", .cert_id = ID_A,
		.registration = TQK_REG_SECOND,
		.qualification = TQK_STAGE_PRIMARY, .post = TQK_STAGE_JUNIOR,
	};
	tqk_confirmation c = sample();
	tqk_marks_prefill(&k, &c.marks);
	c.police_required = tqk_police_required(&k);
	assert_true(c.police_required);
	want_check(&c, TQK_E_MAT_UNMARKED, "marks");
	for (int m = 0; m < TQK_MAT_COUNT; m++)
		if (c.marks.mark[m] == TQK_MARK_UNSET)
			c.marks.mark[m] = TQK_MARK_HAS;
	assert_int_equal(c.marks.mark[TQK_MAT_QUAL_MATCH], TQK_MARK_LACKS);
	want_check(&c, TQK_E_MAT_CONCLUSION, "conclusion");
	c.conclusion = TQK_CONC_INCOMPLETE;
	want_check(&c, TQK_OK, NULL);
	c.police_required = false;
	want_check(&c, TQK_E_MAT_POLICE, "marks");

	/* Same person everywhere, first registration: NA and has. */
	k.cert_name = "张三";
	k.registration = TQK_REG_FIRST;
	tqk_marks_prefill(&k, &c.marks);
	c.police_required = tqk_police_required(&k);
	for (int m = 0; m < TQK_MAT_COUNT; m++)
		if (c.marks.mark[m] == TQK_MARK_UNSET)
			c.marks.mark[m] = TQK_MARK_HAS;
	assert_int_equal(c.marks.mark[TQK_MAT_POLICE], TQK_MARK_NA);
	c.conclusion = TQK_CONC_COMPLETE;
	want_check(&c, TQK_OK, NULL);
}

static void add(tqk_confirmation *c, tqk_field f, const char *old_value, const char *new_value)
{
	assert_true(c->n_corrections < TQK_CORRECTIONS_MAX);
	tqk_correction *k = &c->corrections[c->n_corrections];
	k->field = f;
	strcpy(k->old_value, old_value);
	strcpy(k->new_value, new_value);
	c->n_corrections++;
}

static void corrections_are_checked(void **state)
{
	(void)state;
	tqk_confirmation c;
	CASE(add(&c, TQK_F_NAME, "张叁", "张三"), TQK_OK, NULL);
	CASE(add(&c, TQK_F_ID_NUMBER, "360426910101007", ID_A), TQK_OK, NULL);
	CASE(add(&c, TQK_F_CERT_ID, "", "360426910101007"), TQK_OK, NULL);     /* 15 digits */
	CASE(add(&c, TQK_F_SITE, "CSX02", "CSX01"), TQK_OK, NULL);
	CASE(add(&c, TQK_F_QUALIFICATION, "primary", "初中"), TQK_OK, NULL);
	CASE(add(&c, TQK_F_EMAIL, "a@b.cn", ""), TQK_OK, NULL);                 /* optional */
	/* The old value may be anything the application held, even invalid. */
	CASE(add(&c, TQK_F_ID_NUMBER, "360426199101010072", ID_A), TQK_OK, NULL);

	CASE(add(&c, TQK_F_COUNT, "", "x"), TQK_E_FIELD_UNKNOWN, "corrections");
	CASE(add(&c, (tqk_field)-1, "", "x"), TQK_E_FIELD_UNKNOWN, "corrections");
	CASE((add(&c, TQK_F_NAME, "a", "张三"), add(&c, TQK_F_SCHOOL, "", "一中"),
	      add(&c, TQK_F_NAME, "b", "李四")), TQK_E_CORRECTIONS, "name");
	CASE(add(&c, TQK_F_ID_NUMBER, ID_A, "123"), TQK_E_ID_LENGTH, "id_number");
	CASE(add(&c, TQK_F_ID_NUMBER, ID_A, "360426199101010072"), TQK_E_ID_CHECKSUM, "id_number");
	CASE(add(&c, TQK_F_NAME, "张叁", ""), TQK_E_FIELD_REQUIRED, "name");
	CASE(add(&c, TQK_F_SITE, "CSX02", "CS X"), TQK_E_FIELD_VALUE, "site");
	CASE(add(&c, TQK_F_CERT_NO, "", "19920000000000001"), TQK_E_CERT_YEAR, "cert_no");
	CASE(add(&c, TQK_F_WORK_START, "", "2026-05-21"), TQK_E_FIELD_VALUE, "work_start");
	CASE(add(&c, TQK_F_POST, "", "university"), TQK_E_STAGE_UNKNOWN, "post");
	CASE(add(&c, TQK_F_SCHOOL_AREA, "", "城镇"), TQK_E_FIELD_VALUE, "school_area");
	CASE(add(&c, TQK_F_TITLE, "\xff", "一级"), TQK_E_UTF8, "title");
	CASE((add(&c, TQK_F_TITLE, "", "一级"),
	      memset(c.corrections[0].old_value, 'o', TQK_TEXT_CAP)), TQK_E_TOO_LONG, "title");
	CASE((add(&c, TQK_F_NAME, "", "ok"), add(&c, TQK_F_TITLE, "", "a\x01")),
	     TQK_E_FIELD_VALUE, "title");
	/* Corrections come after the conclusion in the order of the checks. */
	CASE((add(&c, TQK_F_ID_NUMBER, ID_A, "1"), c.conclusion = TQK_CONC_NONE),
	     TQK_E_MAT_CONCLUSION, "conclusion");
}

/* A valid new value for each field but the last three. */
static const char *const new_values[TQK_F_COUNT] = {
	[TQK_F_NAME] = "张三", [TQK_F_ID_NUMBER] = ID_A, [TQK_F_NATION] = "汉族",
	[TQK_F_CERT_NO] = "20104301420000123", [TQK_F_CERT_NAME] = "张三", [TQK_F_CERT_ID] = ID_C,
	[TQK_F_QUALIFICATION] = "senior", [TQK_F_CERT_SUBJECT] = "语文",
	[TQK_F_CERT_AUTHORITY] = "长沙市教育局", [TQK_F_CERT_ISSUED] = "2010-07-01",
	[TQK_F_INSTITUTION] = "长沙县教育局", [TQK_F_SITE] = "CSX01", [TQK_F_POST] = "junior",
	[TQK_F_POST_SUBJECT] = "语文", [TQK_F_SCHOOL] = "一中", [TQK_F_SCHOOL_AREA] = "rural",
};

static void at_most_sixteen_corrections(void **state)
{
	(void)state;
	assert_int_equal(TQK_CORRECTIONS_MAX, 16);
	tqk_confirmation c = sample();
	for (int f = 0; f < TQK_CORRECTIONS_MAX; f++)
		add(&c, (tqk_field)f, "", new_values[f]);
	want_check(&c, TQK_OK, NULL);
	c.n_corrections = TQK_CORRECTIONS_MAX + 1;
	want_check(&c, TQK_E_CORRECTIONS, "corrections");
	c.n_corrections = (size_t)-1;
	want_check(&c, TQK_E_CORRECTIONS, "corrections");
	c.n_corrections = 0;
	want_check(&c, TQK_OK, NULL);
}

/* ---- codes ---- */

static void time_source_codes(void **state)
{
	(void)state;
	static const char *const codes[] = {"", "local", "anchored", "server", "demo"};
	for (int s = TQK_TIME_UNSET; s <= TQK_TIME_DEMO; s++)
		assert_string_equal(tqk_time_source_code((tqk_time_source)s), codes[s]);
	assert_string_equal(tqk_time_source_code((tqk_time_source)5), "");
	assert_string_equal(tqk_time_source_code((tqk_time_source)-1), "");
	for (int s = TQK_TIME_LOCAL; s <= TQK_TIME_DEMO; s++) {
		tqk_time_source got = TQK_TIME_UNSET;
		assert_int_equal(tqk_time_source_parse(codes[s], &got), TQK_OK);
		assert_int_equal(got, s);
	}
	static const char *const bad[] = {"", "Local", "local ", "none", "unset", "ntp", "Demo"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_time_source got = TQK_TIME_SERVER;
		assert_int_equal(tqk_time_source_parse(bad[i], &got), TQK_E_TIME_SOURCE);
		assert_int_equal(got, TQK_TIME_SERVER);
	}
	tqk_time_source got = TQK_TIME_SERVER;
	assert_int_equal(tqk_time_source_parse(NULL, &got), TQK_E_TIME_SOURCE);
	assert_int_equal(got, TQK_TIME_SERVER);
}

static void mark_codes(void **state)
{
	(void)state;
	static const char *const codes[] = {"", "has", "lacks", "na"};
	for (int m = TQK_MARK_UNSET; m <= TQK_MARK_NA; m++)
		assert_string_equal(tqk_mark_code((tqk_mark)m), codes[m]);
	assert_string_equal(tqk_mark_code((tqk_mark)4), "");
	assert_string_equal(tqk_mark_code((tqk_mark)-1), "");
	for (int m = TQK_MARK_HAS; m <= TQK_MARK_NA; m++) {
		tqk_mark got = TQK_MARK_UNSET;
		assert_int_equal(tqk_mark_parse(codes[m], &got), TQK_OK);
		assert_int_equal(got, m);
	}
	static const char *const bad[] = {"", "HAS", "has ", "yes", "具备", "unset"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_mark got = TQK_MARK_NA;
		assert_int_equal(tqk_mark_parse(bad[i], &got), TQK_E_MAT_MARK);
		assert_int_equal(got, TQK_MARK_NA);
	}
	tqk_mark got = TQK_MARK_NA;
	assert_int_equal(tqk_mark_parse(NULL, &got), TQK_E_MAT_MARK);
}

static void conclusion_codes(void **state)
{
	(void)state;
	static const char *const codes[] = {"none", "complete", "incomplete", "not_accepted"};
	for (int k = TQK_CONC_COMPLETE; k <= TQK_CONC_NOT_ACCEPTED; k++) {
		assert_string_equal(tqk_conclusion_code((tqk_conclusion)k), codes[k]);
		tqk_conclusion got = TQK_CONC_NONE;
		assert_int_equal(tqk_conclusion_parse(codes[k], &got), TQK_OK);
		assert_int_equal(got, k);
	}
	static const char *const bad[] = {"none", "", "Complete", "材料齐全", "not accepted"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_conclusion got = TQK_CONC_COMPLETE;
		assert_int_equal(tqk_conclusion_parse(bad[i], &got), TQK_E_MAT_CONCLUSION);
		assert_int_equal(got, TQK_CONC_COMPLETE);
	}
	tqk_conclusion got = TQK_CONC_COMPLETE;
	assert_int_equal(tqk_conclusion_parse(NULL, &got), TQK_E_MAT_CONCLUSION);
	assert_true(tqk_conclusion_bagged(TQK_CONC_COMPLETE));
	assert_true(tqk_conclusion_bagged(TQK_CONC_INCOMPLETE));
	assert_false(tqk_conclusion_bagged(TQK_CONC_NOT_ACCEPTED));
	assert_false(tqk_conclusion_bagged(TQK_CONC_NONE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sample_is_valid),
		cmocka_unit_test(ids_are_checked),
		cmocka_unit_test(texts_time_and_source_are_checked),
		cmocka_unit_test(conclusion_must_follow_the_marks),
		cmocka_unit_test(conclusion_with_prefilled_marks),
		cmocka_unit_test(corrections_are_checked),
		cmocka_unit_test(at_most_sixteen_corrections),
		cmocka_unit_test(time_source_codes),
		cmocka_unit_test(mark_codes),
		cmocka_unit_test(conclusion_codes),
	};
	return cmocka_run_group_tests_name("confirmation", tests, NULL, NULL);
}
