/*
 * test_stage.c - school stages and qualification types: their Chinese and
 * English names and stable codes, parsing of codes, full names and the short
 * forms people write (初中, 高中, 中职 ...), which certificate covers which
 * post (the whole matrix, after 教师资格条例 art. 5 as stage.h states it), and
 * which of a school's two rosters (花名册) each qualification type goes on.
 */
#include "test.h"

#include "core/err.h"
#include "core/stage.h"

#define K TQK_STAGE_KINDERGARTEN
#define P TQK_STAGE_PRIMARY
#define J TQK_STAGE_JUNIOR
#define S TQK_STAGE_SENIOR
#define V TQK_STAGE_VOCATIONAL
#define VP TQK_STAGE_VOC_PRACTICE

static const struct {
	tqk_stage stage;
	const char *code;
	const char *zh;         /* stage name */
	const char *zh_qual;    /* qualification type */
	const char *short_form; /* what people write */
} stages[] = {
	{K, "kindergarten", "幼儿园", "幼儿园教师资格", "幼儿园"},
	{P, "primary", "小学", "小学教师资格", "小学"},
	{J, "junior", "初级中学", "初级中学教师资格", "初中"},
	{S, "senior", "高级中学", "高级中学教师资格", "高中"},
	{V, "vocational", "中等职业学校", "中等职业学校教师资格", "中职"},
	{VP, "voc_practice", "中等职业学校实习指导", "中等职业学校实习指导教师资格",
	 "中职实习指导"},
};
#define NSTAGES (sizeof stages / sizeof stages[0])

static bool ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static void chinese_names_of_every_stage(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSTAGES; i++) {
		assert_string_equal(tqk_stage_name(stages[i].stage, TQK_LANG_ZH), stages[i].zh);
		assert_string_equal(tqk_stage_qual_name(stages[i].stage, TQK_LANG_ZH),
		                    stages[i].zh_qual);
	}
}

/* English names: present, plain ASCII, distinct, and the qualification name
 * says it is a qualification. */
static void english_names_of_every_stage(void **state)
{
	(void)state;
	assert_string_equal(tqk_stage_name(J, TQK_LANG_EN), "junior secondary school");
	for (size_t i = 0; i < NSTAGES; i++) {
		const char *name = tqk_stage_name(stages[i].stage, TQK_LANG_EN);
		const char *qual = tqk_stage_qual_name(stages[i].stage, TQK_LANG_EN);
		assert_non_null(name);
		assert_non_null(qual);
		if (name[0] == '\0' || !ascii(name))
			fail_msg("stage %s: bad English name \"%s\"", stages[i].code, name);
		if (strstr(qual, "qualification") == NULL || !ascii(qual))
			fail_msg("stage %s: bad English qualification \"%s\"", stages[i].code, qual);
		for (size_t j = 0; j < i; j++) {
			if (strcmp(name, tqk_stage_name(stages[j].stage, TQK_LANG_EN)) == 0)
				fail_msg("%s and %s share the name \"%s\"", stages[j].code,
				         stages[i].code, name);
			if (strcmp(qual, tqk_stage_qual_name(stages[j].stage, TQK_LANG_EN)) == 0)
				fail_msg("%s and %s share the qualification \"%s\"", stages[j].code,
				         stages[i].code, qual);
		}
	}
}

static void codes_of_every_stage(void **state)
{
	(void)state;
	assert_string_equal(tqk_stage_code(TQK_STAGE_NONE), "none");
	for (size_t i = 0; i < NSTAGES; i++)
		assert_string_equal(tqk_stage_code(stages[i].stage), stages[i].code);
}

/* The code, the stage name and the qualification name all parse back. */
static void parse_accepts_codes_and_chinese_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSTAGES; i++) {
		const char *forms[] = {stages[i].code, stages[i].zh, stages[i].zh_qual,
		                       tqk_stage_code(stages[i].stage),
		                       tqk_stage_name(stages[i].stage, TQK_LANG_ZH),
		                       tqk_stage_qual_name(stages[i].stage, TQK_LANG_ZH)};
		for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
			tqk_stage out = TQK_STAGE_NONE;
			if (tqk_stage_parse(forms[f], &out) != TQK_OK || out != stages[i].stage)
				fail_msg("\"%s\" did not parse as %s", forms[f], stages[i].code);
		}
	}
}

static void parse_accepts_short_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSTAGES; i++) {
		tqk_stage out = TQK_STAGE_NONE;
		assert_int_equal(tqk_stage_parse(stages[i].short_form, &out), TQK_OK);
		if (out != stages[i].stage)
			fail_msg("\"%s\" parsed as %d, not %s", stages[i].short_form, out,
			         stages[i].code);
	}
}

static void parse_rejects_unknown(void **state)
{
	(void)state;
	const char *bad[] = {
		"", "大学", "高等学校", "中学", "职高", "Junior", "JUNIOR", " junior", "junior ",
		"初中 ", "初级", "中等职业", "实习指导", "中职实习", "高中教师", "voc-practice",
		"kindergarten\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_stage out = TQK_STAGE_NONE;
		if (tqk_stage_parse(bad[i], &out) != TQK_E_STAGE_UNKNOWN)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	tqk_stage out = TQK_STAGE_NONE;
	assert_int_equal(tqk_stage_parse(NULL, &out), TQK_E_STAGE_UNKNOWN);
	/* "none" (no certificate) reads back as written. */
	out = TQK_STAGE_SENIOR;
	assert_int_equal(tqk_stage_parse("none", &out), TQK_OK);
	assert_int_equal(out, TQK_STAGE_NONE);
}

/*
 * covers[qual][post], written out from stage.h: a qualification covers its
 * own stage and every lower one (幼儿园 < 小学 < 初中 < 高中); 高中 and 中职
 * are one level and valid for each other, and as that level they also cover a
 * practical-training post; 实习指导 covers only 实习指导 posts; NONE nothing.
 */
static const char *const covers[TQK_STAGE_COUNT] = {
	/*        post:  0KPJSVX */
	[TQK_STAGE_NONE] = ".......",
	[K] =              ".1.....",
	[P] =              ".11....",
	[J] =              ".111...",
	[S] =              ".111111",
	[V] =              ".111111",
	[VP] =             "......1",
};

static void coverage_matrix(void **state)
{
	(void)state;
	for (int q = TQK_STAGE_NONE; q < TQK_STAGE_COUNT; q++)
		for (int p = TQK_STAGE_NONE; p < TQK_STAGE_COUNT; p++) {
			bool want = covers[q][p] == '1';
			bool got = tqk_stage_covers((tqk_stage)q, (tqk_stage)p);
			if (got != want)
				fail_msg("%s qualification for a %s post: %d, expected %d",
				         tqk_stage_code((tqk_stage)q), tqk_stage_code((tqk_stage)p),
				         got, want);
		}
}

/* The cases people ask about, spelled out. */
static void coverage_cases_by_name(void **state)
{
	(void)state;
	assert_true(tqk_stage_covers(S, V));        /* 高中 valid at 中职 */
	assert_true(tqk_stage_covers(V, S));        /* and back */
	assert_true(tqk_stage_covers(S, K));        /* 高段低聘 */
	assert_false(tqk_stage_covers(K, P));       /* 低段高聘 */
	assert_false(tqk_stage_covers(J, S));
	assert_false(tqk_stage_covers(VP, V));      /* 实习指导 only for its own posts */
	assert_false(tqk_stage_covers(VP, J));
	assert_true(tqk_stage_covers(VP, VP));
	assert_true(tqk_stage_covers(V, VP));
	assert_false(tqk_stage_covers(J, VP));
	assert_false(tqk_stage_covers(TQK_STAGE_NONE, K));
	assert_false(tqk_stage_covers(S, TQK_STAGE_NONE));
}

/* Fourth text, 5: 高中、中职 on one roster, 初中、小学、幼儿园 on the other;
 * 实习指导 is a 中职 qualification. */
static void roster_groups(void **state)
{
	(void)state;
	assert_int_equal(tqk_stage_roster(S), TQK_ROSTER_SENIOR);
	assert_int_equal(tqk_stage_roster(V), TQK_ROSTER_SENIOR);
	assert_int_equal(tqk_stage_roster(VP), TQK_ROSTER_SENIOR);
	assert_int_equal(tqk_stage_roster(J), TQK_ROSTER_BASIC);
	assert_int_equal(tqk_stage_roster(P), TQK_ROSTER_BASIC);
	assert_int_equal(tqk_stage_roster(K), TQK_ROSTER_BASIC);
	assert_int_equal(tqk_stage_roster(TQK_STAGE_NONE), TQK_ROSTER_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chinese_names_of_every_stage),
		cmocka_unit_test(english_names_of_every_stage),
		cmocka_unit_test(codes_of_every_stage),
		cmocka_unit_test(parse_accepts_codes_and_chinese_names),
		cmocka_unit_test(parse_accepts_short_forms),
		cmocka_unit_test(parse_rejects_unknown),
		cmocka_unit_test(coverage_matrix),
		cmocka_unit_test(coverage_cases_by_name),
		cmocka_unit_test(roster_groups),
	};
	return cmocka_run_group_tests_name("stage", tests, NULL, NULL);
}
