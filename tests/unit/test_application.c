/*
 * test_application.c - the correctable fields of an application: the field
 * table and its codes, every field through tqk_field_set / tqk_field_text
 * (ID and certificate numbers normalised, dates not after today, email
 * shapes, stage codes and Chinese names, areas, site codes, required
 * fields, byte caps at cap-1 and cap, control characters, invalid UTF-8,
 * trimming including U+3000), a failed set leaving the record untouched,
 * tqk_application_check naming the first bad field, and tqk_code_valid.
 */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>

#include "core/application.h"
#include "core/idnum.h"
#include "core/stage.h"
#include "core/state.h"

#define TODAY DATE(2026, 5, 20)

#define ID_A "360426199101010071"
#define ID_A15 "360426910101007"
#define ID_B "44011320141005001X"
#define ID_C "11010519491231002X"
#define CERT "20104301420000123"

static tqk_err set(tqk_application *a, tqk_field f, const char *v)
{
	return tqk_field_set(a, f, v, TODAY);
}

/* The text form of field f (one static buffer: use before the next call). */
static const char *get(const tqk_application *a, tqk_field f)
{
	static char buf[TQK_TEXT_CAP];
	tqk_field_text(a, f, buf, sizeof buf);
	return buf;
}

static const char *code_of(tqk_field f)
{
	return tqk_field_get_info(f)->code;
}

/* s repeated n times into buf (cap bytes), terminated. */
static char *repeat(char *buf, size_t cap, const char *s, size_t n)
{
	size_t len = strlen(s), o = 0;
	assert_true(len * n < cap);
	for (size_t i = 0; i < n; i++, o += len)
		memcpy(buf + o, s, len);
	buf[o] = '\0';
	return buf;
}

static void expect_set(tqk_field f, const char *v, tqk_err want, const char *text)
{
	tqk_application a;
	memset(&a, 0, sizeof a);
	tqk_err got = set(&a, f, v);
	if (got != want)
		fail_msg("%s = \"%s\": got %s, want %s", code_of(f), v, tqk_err_code(got),
		         tqk_err_code(want));
	if (text != NULL && strcmp(get(&a, f), text) != 0)
		fail_msg("%s = \"%s\": stored \"%s\", want \"%s\"", code_of(f), v, get(&a, f), text);
}

#define OK(f, v, text) expect_set((f), (v), TQK_OK, (text))
#define BAD(f, v, err) expect_set((f), (v), (err), NULL)

/* A complete, valid application with every field set. */
static tqk_application sample(void)
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
		assert_int_equal(set(&a, (tqk_field)f, values[f]), TQK_OK);
	strcpy(a.reg_no, "R2026000123");
	a.registration = TQK_REG_SECOND;
	a.state = TQK_ST_SUBMITTED;
	a.rev = 7;
	return a;
}

/* ---- the table ---- */

static bool ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static void field_table_is_complete(void **state)
{
	(void)state;
	for (int f = 0; f < TQK_F_COUNT; f++) {
		const tqk_field_info *fi = tqk_field_get_info((tqk_field)f);
		assert_non_null(fi);
		assert_non_null(fi->code);
		if (fi->code[0] == '\0' || !ascii(fi->code))
			fail_msg("field %d: code \"%s\"", f, fi->code);
		if (fi->label[TQK_LANG_ZH] == NULL || ascii(fi->label[TQK_LANG_ZH]))
			fail_msg("field %s: no Chinese label", fi->code);
		if (fi->label[TQK_LANG_EN] == NULL || !ascii(fi->label[TQK_LANG_EN]) ||
		    fi->label[TQK_LANG_EN][0] == '\0')
			fail_msg("field %s: no English label", fi->code);
		for (int g = 0; g < f; g++)
			if (strcmp(fi->code, code_of((tqk_field)g)) == 0)
				fail_msg("fields %d and %d share \"%s\"", g, f, fi->code);
		bool want_required = f == TQK_F_NAME || f == TQK_F_ID_NUMBER || f == TQK_F_SITE;
		if (fi->required != want_required)
			fail_msg("field %s: required %d", fi->code, fi->required);
	}
	assert_null(tqk_field_get_info(TQK_F_COUNT));
	assert_null(tqk_field_get_info((tqk_field)-1));
	assert_true(tqk_field_get_info(TQK_F_NAME)->personal);
	assert_true(tqk_field_get_info(TQK_F_ID_NUMBER)->personal);
	assert_false(tqk_field_get_info(TQK_F_SITE)->personal);
}

static void field_from_code_for_every_code(void **state)
{
	(void)state;
	for (int f = 0; f < TQK_F_COUNT; f++) {
		tqk_field got = TQK_F_COUNT;
		assert_int_equal(tqk_field_from_code(code_of((tqk_field)f), &got), TQK_OK);
		assert_int_equal(got, f);
	}
	static const char *const unknown[] = {
		"", "Name", "name ", " name", "reg_no", "state", "rev", "id", "姓名", "email\n",
	};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		tqk_field got = TQK_F_COUNT;
		assert_int_equal(tqk_field_from_code(unknown[i], &got), TQK_E_FIELD_UNKNOWN);
		assert_int_equal(got, TQK_F_COUNT);
	}
	tqk_field got = TQK_F_COUNT;
	assert_int_equal(tqk_field_from_code(NULL, &got), TQK_E_FIELD_UNKNOWN);
	assert_int_equal(got, TQK_F_COUNT);
}

/* ---- ID and certificate numbers ---- */

static void id_numbers_are_normalised(void **state)
{
	(void)state;
	static const tqk_field ids[] = {TQK_F_ID_NUMBER, TQK_F_CERT_ID};
	for (size_t i = 0; i < 2; i++) {
		tqk_field f = ids[i];
		OK(f, ID_A, ID_A);
		OK(f, ID_B, ID_B);
		OK(f, ID_C, ID_C);
		OK(f, "44011320141005001x", ID_B);
		OK(f, ID_A15, ID_A);                    /* 15 digits -> 18 */
		OK(f, " " ID_A15 "\u3000", ID_A);
		BAD(f, "360426199101010072", TQK_E_ID_CHECKSUM);
		BAD(f, "36042619910101007", TQK_E_ID_LENGTH);
		BAD(f, "3604261991010100711", TQK_E_ID_LENGTH);
		BAD(f, "36042619910101007Y", TQK_E_ID_CHARS);
		BAD(f, "000426199101010071", TQK_E_ID_REGION);
		BAD(f, "360426 99101010071", TQK_E_ID_CHARS);
	}
	BAD(TQK_F_ID_NUMBER, "", TQK_E_FIELD_REQUIRED);
	OK(TQK_F_CERT_ID, "", "");
}

static void id_born_after_today_is_refused(void **state)
{
	(void)state;
	char today[TQK_ID_LEN + 1], tomorrow[TQK_ID_LEN + 1];
	memcpy(today, "36042620260520001", 17);
	today[17] = tqk_id_check_char(today);
	today[18] = '\0';
	memcpy(tomorrow, "36042620260521001", 17);
	tomorrow[17] = tqk_id_check_char(tomorrow);
	tomorrow[18] = '\0';
	OK(TQK_F_ID_NUMBER, today, today);
	BAD(TQK_F_ID_NUMBER, tomorrow, TQK_E_ID_DATE);
	BAD(TQK_F_CERT_ID, tomorrow, TQK_E_ID_DATE);
}

static void certificate_numbers(void **state)
{
	(void)state;
	OK(TQK_F_CERT_NO, CERT, CERT);
	OK(TQK_F_CERT_NO, "960123456789012", "19960123456789012");     /* "19" + 15 */
	OK(TQK_F_CERT_NO, "19930000000000001", "19930000000000001");
	OK(TQK_F_CERT_NO, "20260000000000001", "20260000000000001");   /* this year */
	OK(TQK_F_CERT_NO, "  " CERT " ", CERT);
	OK(TQK_F_CERT_NO, "", "");
	BAD(TQK_F_CERT_NO, "19920000000000001", TQK_E_CERT_YEAR);
	BAD(TQK_F_CERT_NO, "20270000000000001", TQK_E_CERT_YEAR);      /* next year */
	BAD(TQK_F_CERT_NO, "920123456789012", TQK_E_CERT_YEAR);
	BAD(TQK_F_CERT_NO, "2010430142000012", TQK_E_CERT_LENGTH);
	BAD(TQK_F_CERT_NO, "201043014200001234", TQK_E_CERT_LENGTH);
	BAD(TQK_F_CERT_NO, "2010430142000012X", TQK_E_CERT_CHARS);
}

/* ---- dates, emails, stages, areas, codes ---- */

static void dates_are_checked_and_not_after_today(void **state)
{
	(void)state;
	static const tqk_field dates[] = {TQK_F_CERT_ISSUED, TQK_F_WORK_START};
	for (size_t i = 0; i < 2; i++) {
		tqk_field f = dates[i];
		OK(f, "2010-07-01", "2010-07-01");
		OK(f, "2026-05-20", "2026-05-20");
		OK(f, " 2000-02-29 ", "2000-02-29");
		OK(f, "", "");
		BAD(f, "2026-05-21", TQK_E_FIELD_VALUE);
		BAD(f, "2030-01-01", TQK_E_FIELD_VALUE);
		BAD(f, "2010-7-1", TQK_E_DATE_FORMAT);
		BAD(f, "2010/07/01", TQK_E_DATE_FORMAT);
		BAD(f, "20100701", TQK_E_DATE_FORMAT);
		BAD(f, "2010-02-30", TQK_E_DATE_INVALID);
		BAD(f, "1900-02-29", TQK_E_DATE_INVALID);
	}
}

static void email_shapes(void **state)
{
	(void)state;
	OK(TQK_F_EMAIL, "zhangsan@example.cn", "zhangsan@example.cn");
	OK(TQK_F_EMAIL, "a@b.co", "a@b.co");
	OK(TQK_F_EMAIL, "li.si+reg@mail.school.edu.cn", "li.si+reg@mail.school.edu.cn");
	OK(TQK_F_EMAIL, " a@b.co ", "a@b.co");
	OK(TQK_F_EMAIL, "", "");
	static const char *const bad[] = {
		"a", "a.b.cn", "@b.cn", "a@", "a@b", "a@.cn", "a@b.", "a@@b.cn", "a@b@c.cn",
		"a b@c.cn", "a@b c.cn",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		BAD(TQK_F_EMAIL, bad[i], TQK_E_FIELD_VALUE);
	BAD(TQK_F_EMAIL, "a\t@b.cn", TQK_E_FIELD_VALUE);
}

static void stages_by_code_and_chinese_name(void **state)
{
	(void)state;
	static const tqk_field stages[] = {TQK_F_QUALIFICATION, TQK_F_POST};
	static const struct {
		const char *in, *code;
	} cases[] = {
		{"kindergarten", "kindergarten"}, {"primary", "primary"}, {"junior", "junior"},
		{"senior", "senior"}, {"vocational", "vocational"}, {"voc_practice", "voc_practice"},
		{"幼儿园", "kindergarten"}, {"小学", "primary"}, {"初级中学", "junior"},
		{"初中", "junior"}, {"高中", "senior"}, {"中职", "vocational"},
		{"中等职业学校", "vocational"}, {"中职实习指导", "voc_practice"},
		{"中等职业学校实习指导", "voc_practice"},
		{"高级中学教师资格", "senior"}, {"小学教师资格", "primary"},
		{"中等职业学校教师资格", "vocational"},
		{"中等职业学校实习指导教师资格", "voc_practice"},
		{" 初中\u3000", "junior"}, {"none", ""}, {"", ""},
	};
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
			OK(stages[i], cases[k].in, cases[k].code);
	for (size_t i = 0; i < 2; i++) {
		BAD(stages[i], "university", TQK_E_STAGE_UNKNOWN);
		BAD(stages[i], "Junior", TQK_E_STAGE_UNKNOWN);
		BAD(stages[i], "初 中", TQK_E_STAGE_UNKNOWN);
		char longer[200];
		BAD(stages[i], repeat(longer, sizeof longer, "初中", 30), TQK_E_STAGE_UNKNOWN);
	}
	/* The two stage fields are distinct. */
	tqk_application a;
	memset(&a, 0, sizeof a);
	assert_int_equal(set(&a, TQK_F_QUALIFICATION, "senior"), TQK_OK);
	assert_int_equal(set(&a, TQK_F_POST, "小学"), TQK_OK);
	assert_int_equal(a.qualification, TQK_STAGE_SENIOR);
	assert_int_equal(a.post, TQK_STAGE_PRIMARY);
	assert_int_equal(set(&a, TQK_F_POST, ""), TQK_OK);
	assert_int_equal(a.post, TQK_STAGE_NONE);
	assert_int_equal(a.qualification, TQK_STAGE_SENIOR);
}

static void school_area_codes(void **state)
{
	(void)state;
	OK(TQK_F_SCHOOL_AREA, "urban", "urban");
	OK(TQK_F_SCHOOL_AREA, "rural", "rural");
	OK(TQK_F_SCHOOL_AREA, " rural ", "rural");
	OK(TQK_F_SCHOOL_AREA, "", "");
	BAD(TQK_F_SCHOOL_AREA, "Urban", TQK_E_FIELD_VALUE);
	BAD(TQK_F_SCHOOL_AREA, "城镇", TQK_E_FIELD_VALUE);
	BAD(TQK_F_SCHOOL_AREA, "urbanx", TQK_E_FIELD_VALUE);
	BAD(TQK_F_SCHOOL_AREA, "urba", TQK_E_FIELD_VALUE);
	assert_string_equal(tqk_area_code(TQK_AREA_NONE), "");
	assert_string_equal(tqk_area_code(TQK_AREA_URBAN), "urban");
	assert_string_equal(tqk_area_code(TQK_AREA_RURAL), "rural");
	assert_string_equal(tqk_area_code((tqk_area)3), "");
	assert_string_equal(tqk_area_code((tqk_area)-1), "");
}

static void site_is_a_code(void **state)
{
	(void)state;
	char buf[64];
	OK(TQK_F_SITE, "CSX01", "CSX01");
	OK(TQK_F_SITE, "a-b_C-9", "a-b_C-9");
	OK(TQK_F_SITE, " CSX01 ", "CSX01");
	OK(TQK_F_SITE, repeat(buf, sizeof buf, "S", 32), buf);
	BAD(TQK_F_SITE, repeat(buf, sizeof buf, "S", 33), TQK_E_TOO_LONG);
	BAD(TQK_F_SITE, "CSX 01", TQK_E_FIELD_VALUE);
	BAD(TQK_F_SITE, "CSX.01", TQK_E_FIELD_VALUE);
	BAD(TQK_F_SITE, "长沙", TQK_E_FIELD_VALUE);
	BAD(TQK_F_SITE, "", TQK_E_FIELD_REQUIRED);
	BAD(TQK_F_SITE, "  ", TQK_E_FIELD_REQUIRED);
}

/* ---- text rules ---- */

static void required_fields_may_not_be_blank(void **state)
{
	(void)state;
	static const tqk_field required[] = {TQK_F_NAME, TQK_F_ID_NUMBER, TQK_F_SITE};
	static const char *const blanks[] = {"", " ", "\t\r\n", "\u3000", " \u3000 \u3000"};
	for (size_t i = 0; i < 3; i++)
		for (size_t k = 0; k < sizeof blanks / sizeof blanks[0]; k++)
			BAD(required[i], blanks[k], TQK_E_FIELD_REQUIRED);
	/* Every other field may be emptied. */
	tqk_application a = sample();
	for (int f = 0; f < TQK_F_COUNT; f++) {
		if (tqk_field_get_info((tqk_field)f)->required)
			continue;
		assert_int_equal(set(&a, (tqk_field)f, "\u3000"), TQK_OK);
		assert_string_equal(get(&a, (tqk_field)f), "");
	}
}

/* The free-text fields with their caps (buffer sizes, terminator included). */
static const struct {
	tqk_field f;
	size_t cap;
} texts[] = {
	{TQK_F_NAME, TQK_NAME_CAP}, {TQK_F_CERT_NAME, TQK_NAME_CAP},
	{TQK_F_NATION, TQK_TEXT_CAP}, {TQK_F_CERT_SUBJECT, TQK_TEXT_CAP},
	{TQK_F_CERT_AUTHORITY, TQK_TEXT_CAP}, {TQK_F_INSTITUTION, TQK_TEXT_CAP},
	{TQK_F_POST_SUBJECT, TQK_TEXT_CAP}, {TQK_F_SCHOOL, TQK_TEXT_CAP},
	{TQK_F_TITLE, TQK_TEXT_CAP},
};

static void text_caps_at_cap_minus_one_and_cap(void **state)
{
	(void)state;
	char buf[TQK_MSG_CAP + 8];
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		size_t cap = texts[i].cap;
		memset(buf, 'a', cap - 1);
		buf[cap - 1] = '\0';
		OK(texts[i].f, buf, buf);
		buf[cap - 1] = 'a';
		buf[cap] = '\0';
		BAD(texts[i].f, buf, TQK_E_TOO_LONG);
		/* Outer spaces do not count. */
		memset(buf, 'a', cap - 1);
		strcpy(buf + cap - 1, "   ");
		tqk_application a;
		memset(&a, 0, sizeof a);
		assert_int_equal(set(&a, texts[i].f, buf), TQK_OK);
		assert_int_equal(strlen(get(&a, texts[i].f)), cap - 1);
	}
	/* Chinese names: 32 characters of 3 bytes fill the 96 bytes. */
	OK(TQK_F_NAME, repeat(buf, sizeof buf, "张", 32), buf);
	BAD(TQK_F_NAME, repeat(buf, sizeof buf, "张", 33), TQK_E_TOO_LONG);
	/* The email cap: 256 bytes is the most. */
	memset(buf, 'a', 250);
	strcpy(buf + 250, "@b.cn");     /* 255 bytes */
	OK(TQK_F_EMAIL, buf, buf);
	memset(buf, 'a', 251);
	strcpy(buf + 251, "@b.cn");     /* 256 */
	OK(TQK_F_EMAIL, buf, buf);
	memset(buf, 'a', 252);
	strcpy(buf + 252, "@b.cn");     /* 257 */
	BAD(TQK_F_EMAIL, buf, TQK_E_TOO_LONG);
}

/* A value longer than any field holds is refused, however many of its bytes
 * are spaces: it is never cut short and then accepted. */
static void huge_values_are_refused_not_cut(void **state)
{
	(void)state;
	static char buf[4096];
	memset(buf, ' ', 1020);
	strcpy(buf + 1020, "ABCDEFGH");
	BAD(TQK_F_NATION, buf, TQK_E_TOO_LONG);
	BAD(TQK_F_NAME, buf, TQK_E_TOO_LONG);
	memset(buf, ' ', 1010);
	strcpy(buf + 1010, ID_A);
	BAD(TQK_F_ID_NUMBER, buf, TQK_E_TOO_LONG);
	memset(buf, ' ', 2000);
	buf[2000] = '\0';
	BAD(TQK_F_NATION, buf, TQK_E_TOO_LONG);
}

static void control_characters_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"张\t三", "张\n三", "张\r三", "a\x01", "\x1f" "a", "a\x7f" "b", "a\x1b[2J",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
			BAD(texts[i].f, bad[k], TQK_E_FIELD_VALUE);
	/* Printable punctuation and non-ASCII text are fine. */
	OK(TQK_F_NAME, "阿卜杜·热合曼", "阿卜杜·热合曼");
	OK(TQK_F_SCHOOL, "长沙县第一中学（初中部）", "长沙县第一中学（初中部）");
	OK(TQK_F_TITLE, "中小学一级 / 二级", "中小学一级 / 二级");
}

static void invalid_utf8_is_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"\xff", "a\xfe", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"张\xe5\xbc", "\x80", "\xe5\xbc\xa0\xe4",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
			BAD(texts[i].f, bad[k], TQK_E_UTF8);
	OK(TQK_F_NAME, "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");    /* U+1F600, 4 bytes */
}

static void outer_spaces_are_trimmed(void **state)
{
	(void)state;
	OK(TQK_F_NAME, "  张三 ", "张三");
	OK(TQK_F_NAME, "\u3000张三\u3000", "张三");
	OK(TQK_F_NAME, "\t李四\r\n", "李四");
	OK(TQK_F_NAME, "\u3000 \u3000Ma Li\u3000 ", "Ma Li");    /* inner space kept */
	OK(TQK_F_NAME, "张\u3000三", "张\u3000三");
	OK(TQK_F_SCHOOL, " 星沙中学 ", "星沙中学");
}

static void failed_set_leaves_the_record_untouched(void **state)
{
	(void)state;
	static const struct {
		tqk_field f;
		const char *v;
	} bad[] = {
		{TQK_F_NAME, ""}, {TQK_F_NAME, "\xff"}, {TQK_F_ID_NUMBER, "123"},
		{TQK_F_CERT_NO, "1"}, {TQK_F_CERT_ID, "360426199101010072"},
		{TQK_F_QUALIFICATION, "x"}, {TQK_F_POST, "x"}, {TQK_F_SCHOOL_AREA, "x"},
		{TQK_F_CERT_ISSUED, "2099-01-01"}, {TQK_F_WORK_START, "x"}, {TQK_F_SITE, "a b"},
		{TQK_F_EMAIL, "x"}, {TQK_F_SCHOOL, "\x01"},
	};
	tqk_application a = sample();
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_application before = a;
		assert_int_not_equal(set(&a, bad[i].f, bad[i].v), TQK_OK);
		if (memcmp(&before, &a, sizeof a) != 0)
			fail_msg("%s = \"%s\" changed the record", code_of(bad[i].f), bad[i].v);
	}
}

static void field_text_of_a_sample(void **state)
{
	(void)state;
	tqk_application a = sample();
	assert_string_equal(get(&a, TQK_F_NAME), "张三");
	assert_string_equal(get(&a, TQK_F_QUALIFICATION), "junior");
	assert_string_equal(get(&a, TQK_F_POST), "primary");
	assert_string_equal(get(&a, TQK_F_SCHOOL_AREA), "urban");
	assert_string_equal(get(&a, TQK_F_SITE), "CSX01");
	assert_string_equal(get(&a, TQK_F_CERT_ISSUED), "2010-07-01");
	/* Every text form sets back to the same record. */
	tqk_application b = a;
	for (int f = 0; f < TQK_F_COUNT; f++) {
		char text[TQK_TEXT_CAP];
		tqk_field_text(&a, (tqk_field)f, text, sizeof text);
		assert_int_equal(set(&b, (tqk_field)f, text), TQK_OK);
	}
	assert_memory_equal(&a, &b, sizeof a);
	/* A small buffer gets a terminated prefix. */
	char small[3];
	tqk_field_text(&a, TQK_F_SITE, small, sizeof small);
	assert_string_equal(small, "CS");
	tqk_field_text(&a, TQK_F_SITE, small, 1);
	assert_string_equal(small, "");
}

/* ---- the whole record ---- */

static void check_at(int line, const tqk_application *a, tqk_err want, const char *where)
{
	const char *bad = "untouched";
	tqk_err got = tqk_application_check(a, TODAY, &bad);
	if (got != want)
		fail_msg("line %d: got %s (at %s), want %s", line, tqk_err_code(got), bad,
		         tqk_err_code(want));
	if (want == TQK_OK)
		assert_string_equal(bad, "untouched");
	else if (strcmp(bad, where) != 0)
		fail_msg("line %d: %s named \"%s\", want \"%s\"", line, tqk_err_code(got), bad, where);
}

#define want_check(a, want, where) check_at(__LINE__, (a), (want), (where))

static void check_accepts_a_sample(void **state)
{
	(void)state;
	tqk_application a = sample();
	tqk_application before = a;
	want_check(&a, TQK_OK, NULL);
	assert_memory_equal(&a, &before, sizeof a);
	assert_int_equal(tqk_application_check(&a, TODAY, NULL), TQK_OK);
	/* Only the required fields set. */
	tqk_application m;
	memset(&m, 0, sizeof m);
	assert_int_equal(set(&m, TQK_F_NAME, "李四"), TQK_OK);
	assert_int_equal(set(&m, TQK_F_ID_NUMBER, ID_C), TQK_OK);
	assert_int_equal(set(&m, TQK_F_SITE, "S1"), TQK_OK);
	strcpy(m.reg_no, "1");
	m.registration = TQK_REG_FIRST;
	m.state = TQK_ST_FAILED;
	want_check(&m, TQK_OK, NULL);
}

static void check_names_each_bad_member(void **state)
{
	(void)state;
	tqk_application a;
#define CASE(change, err, where) do { a = sample(); change; want_check(&a, (err), (where)); } while (0)
	CASE(a.reg_no[0] = '\0', TQK_E_FIELD_VALUE, "reg_no");
	CASE(strcpy(a.reg_no, "R 1"), TQK_E_FIELD_VALUE, "reg_no");
	CASE(memset(a.reg_no, 'R', sizeof a.reg_no), TQK_E_FIELD_VALUE, "reg_no");
	CASE(a.name[0] = '\0', TQK_E_FIELD_REQUIRED, "name");
	CASE(memset(a.name, 'a', sizeof a.name), TQK_E_TOO_LONG, "name");
	CASE(strcpy(a.name, "a\x01"), TQK_E_FIELD_VALUE, "name");
	CASE(strcpy(a.id_number, "360426199101010072"), TQK_E_ID_CHECKSUM, "id_number");
	CASE(a.id_number[0] = '\0', TQK_E_FIELD_REQUIRED, "id_number");
	CASE(strcpy(a.nation, "\xff"), TQK_E_UTF8, "nation");
	CASE(strcpy(a.cert_no, "123"), TQK_E_CERT_LENGTH, "cert_no");
	CASE(strcpy(a.cert_name, "a\tb"), TQK_E_FIELD_VALUE, "cert_name");
	CASE(strcpy(a.cert_id, "1"), TQK_E_ID_LENGTH, "cert_id");
	CASE(a.qualification = TQK_STAGE_COUNT, TQK_E_STAGE_UNKNOWN, "qualification");
	CASE(a.qualification = (tqk_stage)-1, TQK_E_STAGE_UNKNOWN, "qualification");
	CASE(memset(a.cert_subject, 'x', sizeof a.cert_subject), TQK_E_TOO_LONG, "cert_subject");
	CASE(strcpy(a.cert_authority, "\x7f"), TQK_E_FIELD_VALUE, "cert_authority");
	CASE(strcpy(a.cert_issued, "2026-05-21"), TQK_E_FIELD_VALUE, "cert_issued");
	CASE(strcpy(a.institution, "\xc0\x80"), TQK_E_UTF8, "institution");
	CASE(strcpy(a.site, "a.b"), TQK_E_FIELD_VALUE, "site");
	CASE(a.post = TQK_STAGE_COUNT, TQK_E_STAGE_UNKNOWN, "post");
	CASE(strcpy(a.post_subject, "a\nb"), TQK_E_FIELD_VALUE, "post_subject");
	CASE(strcpy(a.school, "\x01"), TQK_E_FIELD_VALUE, "school");
	CASE(a.school_area = (tqk_area)3, TQK_E_FIELD_VALUE, "school_area");
	CASE(a.school_area = (tqk_area)-1, TQK_E_FIELD_VALUE, "school_area");
	CASE(strcpy(a.title, "\x02"), TQK_E_FIELD_VALUE, "title");
	CASE(strcpy(a.work_start, "2010-13-01"), TQK_E_DATE_INVALID, "work_start");
	CASE(strcpy(a.email, "no-at"), TQK_E_FIELD_VALUE, "email");
	CASE(a.registration = 0, TQK_E_FIELD_VALUE, "registration");
	CASE(a.registration = 3, TQK_E_FIELD_VALUE, "registration");
	CASE(a.state = TQK_ST_NONE, TQK_E_STATE_UNKNOWN, "state");
	CASE(a.state = TQK_ST_COUNT, TQK_E_STATE_UNKNOWN, "state");
	CASE(strcpy(a.site_message, "a\x01"), TQK_E_FIELD_VALUE, "site_message");
	CASE(strcpy(a.site_message, "a\rb"), TQK_E_FIELD_VALUE, "site_message");
	CASE(strcpy(a.inst_message, "\xff"), TQK_E_UTF8, "inst_message");
	CASE(memset(a.remark, 'r', sizeof a.remark), TQK_E_TOO_LONG, "remark");
	CASE(a.rev = -1, TQK_E_FIELD_VALUE, "rev");
	/* The first bad one, in the table's order, is named. */
	CASE((a.name[0] = '\0', strcpy(a.email, "x")), TQK_E_FIELD_REQUIRED, "name");
	CASE((a.qualification = TQK_STAGE_COUNT, strcpy(a.school, "\x01")), TQK_E_STAGE_UNKNOWN,
	     "qualification");
	CASE((strcpy(a.email, "x"), a.rev = -1), TQK_E_FIELD_VALUE, "email");
	/* Messages may hold line breaks; an empty one is fine. */
	CASE(strcpy(a.site_message, "第一行\n第二行"), TQK_OK, NULL);
	CASE(a.inst_message[0] = '\0', TQK_OK, NULL);
	CASE(a.rev = 0, TQK_OK, NULL);
#undef CASE
}

static void check_accepts_unnormalised_but_valid_text(void **state)
{
	(void)state;
	/* What tqk_field_set would accept passes, even before normalising. */
	tqk_application a = sample();
	strcpy(a.id_number, ID_A15);
	strcpy(a.cert_no, "960123456789012");
	want_check(&a, TQK_OK, NULL);
}

/* ---- codes ---- */

static void code_valid_edges(void **state)
{
	(void)state;
	char buf[64];
	assert_false(tqk_code_valid(""));
	assert_true(tqk_code_valid("a"));
	assert_true(tqk_code_valid("0"));
	assert_true(tqk_code_valid("-"));
	assert_true(tqk_code_valid("_"));
	assert_true(tqk_code_valid("AZaz09_-"));
	assert_true(tqk_code_valid(repeat(buf, sizeof buf, "x", 32)));
	assert_false(tqk_code_valid(repeat(buf, sizeof buf, "x", 33)));
	assert_false(tqk_code_valid(repeat(buf, sizeof buf, "x", 60)));
	static const char *const bad[] = {
		" a", "a ", "a b", "a.b", "a/b", "a+b", "a@b", "é", "a\x80", "张", "a\n", "a\t",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (tqk_code_valid(bad[i]))
			fail_msg("\"%s\" accepted", bad[i]);
}

static void application_case_reads_the_record(void **state)
{
	(void)state;
	tqk_application a = sample();
	tqk_case c = tqk_application_case(&a, "张三", ID_A);
	assert_string_equal(c.card_name, "张三");
	assert_string_equal(c.card_id, ID_A);
	assert_ptr_equal(c.cert_name, a.cert_name);
	assert_ptr_equal(c.cert_id, a.cert_id);
	assert_int_equal(c.registration, TQK_REG_SECOND);
	assert_int_equal(c.qualification, TQK_STAGE_JUNIOR);
	assert_int_equal(c.post, TQK_STAGE_PRIMARY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(field_table_is_complete),
		cmocka_unit_test(field_from_code_for_every_code),
		cmocka_unit_test(id_numbers_are_normalised),
		cmocka_unit_test(id_born_after_today_is_refused),
		cmocka_unit_test(certificate_numbers),
		cmocka_unit_test(dates_are_checked_and_not_after_today),
		cmocka_unit_test(email_shapes),
		cmocka_unit_test(stages_by_code_and_chinese_name),
		cmocka_unit_test(school_area_codes),
		cmocka_unit_test(site_is_a_code),
		cmocka_unit_test(required_fields_may_not_be_blank),
		cmocka_unit_test(text_caps_at_cap_minus_one_and_cap),
		cmocka_unit_test(huge_values_are_refused_not_cut),
		cmocka_unit_test(control_characters_are_refused),
		cmocka_unit_test(invalid_utf8_is_refused),
		cmocka_unit_test(outer_spaces_are_trimmed),
		cmocka_unit_test(failed_set_leaves_the_record_untouched),
		cmocka_unit_test(field_text_of_a_sample),
		cmocka_unit_test(check_accepts_a_sample),
		cmocka_unit_test(check_names_each_bad_member),
		cmocka_unit_test(check_accepts_unnormalised_but_valid_text),
		cmocka_unit_test(code_valid_edges),
		cmocka_unit_test(application_case_reads_the_record),
	};
	return cmocka_run_group_tests_name("application", tests, NULL, NULL);
}
