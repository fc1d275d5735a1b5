/*
 * test_materials.c - what a teacher hands in and the site's conclusion: the
 * checklist and its archive-bag order (fourth text, 10), the police-
 * certificate rule (needed only when the certificate's name or ID number
 * differs from the card, compared the way people write them), the
 * qualification-match rule (first text, 4(5)), the marks the rules prefill,
 * the conclusion the marks give and the checks on the clerk's choice, the
 * state each conclusion leads to, and the message naming what is missing,
 * including its truncation into small buffers.
 */
#include "test.h"

#include "core/err.h"
#include "core/materials.h"
#include "core/stage.h"
#include "core/state.h"
#include "core/text.h"

/* GB 11643's own example, and its 15-digit form from before 1999. */
#define ID18 "11010519491231002X"
#define ID15 "110105491231002"
/* Another valid person. */
#define ID_OTHER "110105194912310038"

static bool ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static bool has_non_ascii(const char *s)
{
	return !ascii(s);
}

/* ---- the checklist ---- */

static void checklist_has_every_material(void **state)
{
	(void)state;
	for (int m = 0; m < TQK_MAT_COUNT; m++) {
		const tqk_material_info *mi = tqk_material_get((tqk_material)m);
		assert_non_null(mi);
		assert_non_null(mi->code);
		if (mi->code[0] == '\0' || !ascii(mi->code))
			fail_msg("material %d: code \"%s\"", m, mi->code);
		for (int lang = 0; lang < TQK_LANG_COUNT; lang++) {
			if (mi->name[lang] == NULL || mi->name[lang][0] == '\0')
				fail_msg("material %s: no name in lang %d", mi->code, lang);
			if (mi->requires[lang] == NULL || mi->requires[lang][0] == '\0')
				fail_msg("material %s: no requirement in lang %d", mi->code, lang);
		}
		if (!has_non_ascii(mi->name[TQK_LANG_ZH]) || !has_non_ascii(mi->requires[TQK_LANG_ZH]))
			fail_msg("material %s: Chinese text is all ASCII", mi->code);
		if (!ascii(mi->name[TQK_LANG_EN]) || !ascii(mi->requires[TQK_LANG_EN]))
			fail_msg("material %s: English text is not ASCII", mi->code);
		for (int n = 0; n < m; n++) {
			const tqk_material_info *other = tqk_material_get((tqk_material)n);
			if (strcmp(mi->code, other->code) == 0)
				fail_msg("materials %d and %d share the code \"%s\"", n, m, mi->code);
			for (int lang = 0; lang < TQK_LANG_COUNT; lang++)
				if (strcmp(mi->name[lang], other->name[lang]) == 0)
					fail_msg("materials %s and %s share a name", other->code, mi->code);
		}
	}
	assert_string_equal(tqk_material_get(TQK_MAT_FORM)->code, "form");
	assert_string_equal(tqk_material_get(TQK_MAT_POLICE)->code, "police");
	/* The credit form is the province-recognised training proof (first text, 4(3)). */
	assert_non_null(strstr(tqk_material_get(TQK_MAT_CREDIT)->name[TQK_LANG_ZH], "学分登记表"));
	assert_non_null(strstr(tqk_material_get(TQK_MAT_POLICE)->name[TQK_LANG_ZH], "公安机关"));
}

/* The archive bag's order (fourth text, 10 ①-⑧, then the credit form);
 * the two rule items are not documents and are not bagged. */
static void bag_order_follows_the_archive_bag(void **state)
{
	(void)state;
	static const int want[TQK_MAT_COUNT] = {
		[TQK_MAT_FORM] = 1, [TQK_MAT_CERT] = 2, [TQK_MAT_EMPLOYMENT] = 3,
		[TQK_MAT_ANNUAL] = 4, [TQK_MAT_ETHICS] = 5, [TQK_MAT_HEALTH] = 6,
		[TQK_MAT_ID_COPY] = 7, [TQK_MAT_POLICE] = 8, [TQK_MAT_CREDIT] = 9,
		[TQK_MAT_QUAL_MATCH] = 0, [TQK_MAT_OTHER] = 0,
	};
	unsigned seen = 0;
	for (int m = 0; m < TQK_MAT_COUNT; m++) {
		int order = tqk_material_get((tqk_material)m)->bag_order;
		if (order != want[m])
			fail_msg("%s: bag order %d, expected %d", tqk_material_get((tqk_material)m)->code,
			         order, want[m]);
		if (order != 0) {
			assert_true(order >= 1 && order <= 9);
			assert_false(seen & (1u << order));
			seen |= 1u << order;
		}
	}
	assert_int_equal(seen, 0x3FEu);     /* 1..9, each once */
}

/* ---- the police-certificate rule ---- */

static tqk_case person(const char *cert_name, const char *cert_id)
{
	return (tqk_case){
		.card_name = "张三", .card_id = ID18,
		.cert_name = cert_name, .cert_id = cert_id,
		.registration = TQK_REG_FIRST,
		.qualification = TQK_STAGE_JUNIOR, .post = TQK_STAGE_JUNIOR,
	};
}

static void police_not_needed_when_name_and_id_agree(void **state)
{
	(void)state;
	tqk_case c = person("张三", ID18);
	assert_false(tqk_police_required(&c));
}

static void police_needed_when_the_name_differs(void **state)
{
	(void)state;
	const char *names[] = {"张山", "李三", "张三丰", "张", "三张"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		tqk_case c = person(names[i], ID18);
		if (!tqk_police_required(&c))
			fail_msg("\"%s\" taken as \"张三\"", names[i]);
		/* Only the name is on the certificate. */
		c.cert_id = NULL;
		if (!tqk_police_required(&c))
			fail_msg("\"%s\" taken as \"张三\" (no certificate ID)", names[i]);
	}
}

static void police_needed_when_the_id_differs(void **state)
{
	(void)state;
	const char *ids[] = {
		ID_OTHER,
		"110105194912310021",       /* same 17 digits, another check character */
		"110105491231003",          /* ID_OTHER's old 15 digits */
		"11010519491231002",        /* 17 characters: no ID number */
		"1101051949123100X2",       /* X not last: no ID number */
	};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		tqk_case c = person("张三", ids[i]);
		if (!tqk_police_required(&c))
			fail_msg("\"%s\" taken as " ID18, ids[i]);
		c.cert_name = NULL;
		if (!tqk_police_required(&c))
			fail_msg("\"%s\" taken as " ID18 " (no certificate name)", ids[i]);
	}
	/* Both differ. */
	tqk_case c = person("李四", ID_OTHER);
	assert_true(tqk_police_required(&c));
}

/* An old 15-digit number is the same person once converted (third text, 6). */
static void old_15_digit_id_is_the_same_person(void **state)
{
	(void)state;
	tqk_case c = person("张三", ID15);
	assert_false(tqk_police_required(&c));
	/* And the other way round, should the card carry it. */
	c = (tqk_case){.card_name = "张三", .card_id = ID15, .cert_name = "张三", .cert_id = ID18,
	               .registration = TQK_REG_FIRST};
	assert_false(tqk_police_required(&c));
}

/* A field left empty on the certificate is "not given", not a difference. */
static void blank_certificate_fields_are_not_given(void **state)
{
	(void)state;
	const char *blank[] = {"", " ", "\u3000", " \t"};
	for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
		tqk_case c = person(blank[i], ID18);
		assert_false(tqk_police_required(&c));
		c = person("张三", blank[i]);
		assert_false(tqk_police_required(&c));
		c = person(blank[i], ID_OTHER);
		assert_true(tqk_police_required(&c));
	}
}

static void lowercase_x_is_the_same(void **state)
{
	(void)state;
	tqk_case c = person("张三", "11010519491231002x");
	assert_false(tqk_police_required(&c));
	c.card_id = "11010519491231002x";
	c.cert_id = ID18;
	assert_false(tqk_police_required(&c));
	c.cert_id = ID15;
	assert_false(tqk_police_required(&c));
}

/* Spaces around a name or a number, ASCII or the ideographic U+3000, are
 * ignored. */
static void surrounding_spaces_are_ignored(void **state)
{
	(void)state;
	const char *names[] = {" 张三", "张三 ", "\t张三\n", "\u3000张三", "张三\u3000",
	                       "\u3000 张三 \u3000"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		tqk_case c = person(names[i], ID18);
		if (tqk_police_required(&c))
			fail_msg("name \"%s\" taken as different", names[i]);
	}
	const char *ids[] = {" " ID18, ID18 " ", "\u3000" ID18 "\u3000", " " ID15 "\u3000"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		tqk_case c = person("张三", ids[i]);
		if (tqk_police_required(&c))
			fail_msg("ID \"%s\" taken as different", ids[i]);
	}
	tqk_case c = person("张三", ID18);
	c.card_name = "\u3000张三 ";
	c.card_id = " " ID18;
	assert_false(tqk_police_required(&c));
}

/* The middle dot of a transcribed minority name is typed many ways. */
static void middle_dot_variants_are_one_name(void **state)
{
	(void)state;
	const char *variants[] = {
		"阿依古丽.买买提",         /* full stop */
		"阿依古丽\u2022买买提",    /* bullet */
		"阿依古丽\u30FB买买提",    /* katakana middle dot */
		"阿依古丽\uFF0E买买提",    /* full-width full stop */
		"阿依古丽\u00B7买买提",    /* the middle dot itself */
	};
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		tqk_case c = person(variants[i], ID18);
		c.card_name = "阿依古丽·买买提";
		if (tqk_police_required(&c))
			fail_msg("\"%s\" taken as another name", variants[i]);
	}
	/* A missing dot or another name is still a difference. */
	tqk_case c = person("阿依古丽买买提", ID18);
	c.card_name = "阿依古丽·买买提";
	assert_true(tqk_police_required(&c));
	c.cert_name = "阿依古丽·吐尔逊";
	assert_true(tqk_police_required(&c));
}

static void null_certificate_fields_mean_same(void **state)
{
	(void)state;
	tqk_case c = person(NULL, NULL);
	assert_false(tqk_police_required(&c));
	c = person(NULL, ID18);
	assert_false(tqk_police_required(&c));
	c = person("张三", NULL);
	assert_false(tqk_police_required(&c));
}

/* ---- the qualification-match rule ---- */

#define K TQK_STAGE_KINDERGARTEN
#define P TQK_STAGE_PRIMARY
#define J TQK_STAGE_JUNIOR
#define S TQK_STAGE_SENIOR
#define V TQK_STAGE_VOCATIONAL
#define VP TQK_STAGE_VOC_PRACTICE

/* First registration: any formal certificate is 具备 whatever the post,
 * 高段低聘 or 低段高聘 alike. */
static void first_registration_any_certificate_has(void **state)
{
	(void)state;
	for (int q = K; q <= VP; q++)
		for (int p = K; p <= VP; p++)
			if (tqk_qual_match_mark(TQK_REG_FIRST, (tqk_stage)q, (tqk_stage)p) != TQK_MARK_HAS)
				fail_msg("first registration, %s certificate, %s post: not 具备",
				         tqk_stage_code((tqk_stage)q), tqk_stage_code((tqk_stage)p));
	assert_int_equal(tqk_qual_match_mark(TQK_REG_FIRST, K, S), TQK_MARK_HAS);
	assert_int_equal(tqk_qual_match_mark(TQK_REG_FIRST, VP, J), TQK_MARK_HAS);
}

static void no_certificate_lacks(void **state)
{
	(void)state;
	for (int p = K; p <= VP; p++) {
		assert_int_equal(tqk_qual_match_mark(TQK_REG_FIRST, TQK_STAGE_NONE, (tqk_stage)p),
		                 TQK_MARK_LACKS);
		assert_int_equal(tqk_qual_match_mark(TQK_REG_SECOND, TQK_STAGE_NONE, (tqk_stage)p),
		                 TQK_MARK_LACKS);
	}
}

/*
 * Second registration: 具备 when the certificate covers the post, 不具备
 * when the teacher teaches above it (低段高聘). has[qual][post], K..VP:
 */
static const char *const second_has[TQK_STAGE_COUNT] = {
	/*     post: KPJSVX */
	[K] =       "1.....",
	[P] =       "11....",
	[J] =       "111...",
	[S] =       "111111",
	[V] =       "111111",
	[VP] =      ".....1",
};

static void second_registration_post_above_lacks(void **state)
{
	(void)state;
	for (int q = K; q <= VP; q++)
		for (int p = K; p <= VP; p++) {
			tqk_mark want = second_has[q][p - K] == '1' ? TQK_MARK_HAS : TQK_MARK_LACKS;
			tqk_mark got = tqk_qual_match_mark(TQK_REG_SECOND, (tqk_stage)q, (tqk_stage)p);
			if (got != want)
				fail_msg("second registration, %s certificate, %s post: %d, expected %d",
				         tqk_stage_code((tqk_stage)q), tqk_stage_code((tqk_stage)p), got,
				         want);
		}
	assert_int_equal(tqk_qual_match_mark(TQK_REG_SECOND, J, J), TQK_MARK_HAS);
	assert_int_equal(tqk_qual_match_mark(TQK_REG_SECOND, S, P), TQK_MARK_HAS);
	assert_int_equal(tqk_qual_match_mark(TQK_REG_SECOND, P, J), TQK_MARK_LACKS);
	assert_int_equal(tqk_qual_match_mark(TQK_REG_SECOND, S, V), TQK_MARK_HAS);
	assert_int_equal(tqk_qual_match_mark(TQK_REG_SECOND, V, S), TQK_MARK_HAS);
	assert_int_equal(tqk_qual_match_mark(TQK_REG_SECOND, VP, V), TQK_MARK_LACKS);
	assert_int_equal(tqk_qual_match_mark(TQK_REG_SECOND, VP, VP), TQK_MARK_HAS);
	assert_int_equal(tqk_qual_match_mark(TQK_REG_SECOND, V, VP), TQK_MARK_HAS);
}

/* ---- prefill ---- */

static void prefill_marks_only_what_the_rules_decide(void **state)
{
	(void)state;
	tqk_marks m;
	/* Same person, second registration, teaching above the certificate. */
	memset(&m, 0x5A, sizeof m);
	tqk_case c = person("张三", ID15);
	c.registration = TQK_REG_SECOND;
	c.qualification = P;
	c.post = J;
	tqk_marks_prefill(&c, &m);
	for (int i = 0; i < TQK_MAT_COUNT; i++) {
		tqk_mark want = i == TQK_MAT_POLICE ? TQK_MARK_NA
		              : i == TQK_MAT_QUAL_MATCH ? TQK_MARK_LACKS : TQK_MARK_UNSET;
		if (m.mark[i] != want)
			fail_msg("%s prefilled %d, expected %d", tqk_material_get((tqk_material)i)->code,
			         m.mark[i], want);
	}

	/* Name changed, first registration: police left for the clerk, match 具备. */
	memset(&m, 0x5A, sizeof m);
	c = person("张珊", ID18);
	c.qualification = P;
	c.post = S;
	tqk_marks_prefill(&c, &m);
	for (int i = 0; i < TQK_MAT_COUNT; i++) {
		tqk_mark want = i == TQK_MAT_QUAL_MATCH ? TQK_MARK_HAS : TQK_MARK_UNSET;
		if (m.mark[i] != want)
			fail_msg("%s prefilled %d, expected %d", tqk_material_get((tqk_material)i)->code,
			         m.mark[i], want);
	}

	/* No certificate at all. */
	c = person(NULL, NULL);
	c.qualification = TQK_STAGE_NONE;
	tqk_marks_prefill(&c, &m);
	assert_int_equal(m.mark[TQK_MAT_QUAL_MATCH], TQK_MARK_LACKS);
	assert_int_equal(m.mark[TQK_MAT_POLICE], TQK_MARK_NA);
}

/* ---- the conclusion the marks give ---- */

static tqk_marks all(tqk_mark k, bool police_required)
{
	tqk_marks m;
	for (int i = 0; i < TQK_MAT_COUNT; i++)
		m.mark[i] = k;
	m.mark[TQK_MAT_POLICE] = police_required ? k : TQK_MARK_NA;
	return m;
}

static void all_present_is_complete(void **state)
{
	(void)state;
	for (int req = 0; req <= 1; req++) {
		tqk_marks m = all(TQK_MARK_HAS, req);
		tqk_conclusion c = TQK_CONC_NONE;
		uint32_t missing = 0xFFFFFFFFu;
		assert_int_equal(tqk_conclusion_derive(&m, req, &c, &missing), TQK_OK);
		assert_int_equal(c, TQK_CONC_COMPLETE);
		assert_int_equal(missing, 0);
	}
	/* Police not needed and left unset is fine too. */
	tqk_marks m = all(TQK_MARK_HAS, false);
	m.mark[TQK_MAT_POLICE] = TQK_MARK_UNSET;
	tqk_conclusion c = TQK_CONC_NONE;
	uint32_t missing = 0xFFFFFFFFu;
	assert_int_equal(tqk_conclusion_derive(&m, false, &c, &missing), TQK_OK);
	assert_int_equal(c, TQK_CONC_COMPLETE);
	assert_int_equal(missing, 0);
}

static void one_missing_is_incomplete_with_that_bit(void **state)
{
	(void)state;
	for (int req = 0; req <= 1; req++)
		for (int i = 0; i < TQK_MAT_COUNT; i++) {
			if (i == TQK_MAT_POLICE && !req)
				continue;
			tqk_marks m = all(TQK_MARK_HAS, req);
			m.mark[i] = TQK_MARK_LACKS;
			tqk_conclusion c = TQK_CONC_NONE;
			uint32_t missing = 0;
			assert_int_equal(tqk_conclusion_derive(&m, req, &c, &missing), TQK_OK);
			assert_int_equal(c, TQK_CONC_INCOMPLETE);
			if (missing != TQK_MAT_BIT(i))
				fail_msg("%s missing gave mask 0x%x", tqk_material_get((tqk_material)i)->code,
				         missing);
		}
	/* Two missing: both bits, nothing else. */
	tqk_marks m = all(TQK_MARK_HAS, true);
	m.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
	m.mark[TQK_MAT_POLICE] = TQK_MARK_LACKS;
	tqk_conclusion c = TQK_CONC_NONE;
	uint32_t missing = 0;
	assert_int_equal(tqk_conclusion_derive(&m, true, &c, &missing), TQK_OK);
	assert_int_equal(c, TQK_CONC_INCOMPLETE);
	assert_int_equal(missing, TQK_MAT_BIT(TQK_MAT_HEALTH) | TQK_MAT_BIT(TQK_MAT_POLICE));
}

static void unset_is_unmarked(void **state)
{
	(void)state;
	for (int req = 0; req <= 1; req++)
		for (int i = 0; i < TQK_MAT_COUNT; i++) {
			if (i == TQK_MAT_POLICE && !req)
				continue;
			tqk_marks m = all(TQK_MARK_HAS, req);
			m.mark[i] = TQK_MARK_UNSET;
			tqk_conclusion c = TQK_CONC_NONE;
			uint32_t missing = 0;
			if (tqk_conclusion_derive(&m, req, &c, &missing) != TQK_E_MAT_UNMARKED)
				fail_msg("%s unset, police %s: not unmarked",
				         tqk_material_get((tqk_material)i)->code,
				         req ? "required" : "not required");
		}
	tqk_marks m = {{TQK_MARK_UNSET}};
	tqk_conclusion c = TQK_CONC_NONE;
	assert_int_equal(tqk_conclusion_derive(&m, false, &c, NULL), TQK_E_MAT_UNMARKED);
}

/* The police item follows the rule: NA exactly when it is not needed. */
static void police_mark_must_follow_the_rule(void **state)
{
	(void)state;
	tqk_conclusion c = TQK_CONC_NONE;
	uint32_t missing = 0;
	tqk_marks m = all(TQK_MARK_HAS, true);
	m.mark[TQK_MAT_POLICE] = TQK_MARK_NA;
	assert_int_equal(tqk_conclusion_derive(&m, true, &c, &missing), TQK_E_MAT_POLICE);

	m = all(TQK_MARK_HAS, false);
	m.mark[TQK_MAT_POLICE] = TQK_MARK_HAS;
	assert_int_equal(tqk_conclusion_derive(&m, false, &c, &missing), TQK_E_MAT_POLICE);
	m.mark[TQK_MAT_POLICE] = TQK_MARK_LACKS;
	assert_int_equal(tqk_conclusion_derive(&m, false, &c, &missing), TQK_E_MAT_POLICE);
	m.mark[TQK_MAT_POLICE] = TQK_MARK_NA;
	assert_int_equal(tqk_conclusion_derive(&m, false, &c, &missing), TQK_OK);
	m.mark[TQK_MAT_POLICE] = TQK_MARK_UNSET;
	assert_int_equal(tqk_conclusion_derive(&m, false, &c, &missing), TQK_OK);
}

static void not_applicable_only_for_police(void **state)
{
	(void)state;
	for (int req = 0; req <= 1; req++)
		for (int i = 0; i < TQK_MAT_COUNT; i++) {
			if (i == TQK_MAT_POLICE)
				continue;
			tqk_marks m = all(TQK_MARK_HAS, req);
			m.mark[i] = TQK_MARK_NA;
			tqk_conclusion c = TQK_CONC_NONE;
			uint32_t missing = 0;
			if (tqk_conclusion_derive(&m, req, &c, &missing) != TQK_E_MAT_MARK)
				fail_msg("%s accepted as not applicable",
				         tqk_material_get((tqk_material)i)->code);
		}
}

static void out_of_range_marks_are_rejected(void **state)
{
	(void)state;
	const tqk_mark bad[] = {(tqk_mark)(TQK_MARK_NA + 1), (tqk_mark)99, (tqk_mark)-1};
	for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++)
		for (int req = 0; req <= 1; req++)
			for (int i = 0; i < TQK_MAT_COUNT; i++) {
				tqk_marks m = all(TQK_MARK_HAS, req);
				m.mark[i] = bad[b];
				tqk_conclusion c = TQK_CONC_NONE;
				uint32_t missing = 0;
				if (tqk_conclusion_derive(&m, req, &c, &missing) != TQK_E_MAT_MARK)
					fail_msg("mark %d on %s (police %s) accepted", bad[b],
					         tqk_material_get((tqk_material)i)->code,
					         req ? "required" : "not required");
			}
}

/* ---- checking the clerk's conclusion ---- */

static void chosen_conclusion_must_match_the_marks(void **state)
{
	(void)state;
	tqk_marks m = all(TQK_MARK_HAS, false);
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_COMPLETE, NULL, NULL), TQK_OK);
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_INCOMPLETE, NULL, "请补齐"),
	                 TQK_E_MAT_CONCLUSION);

	m.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_INCOMPLETE, NULL, NULL), TQK_OK);
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_COMPLETE, NULL, NULL),
	                 TQK_E_MAT_CONCLUSION);

	/* Marks that do not conclude anything are reported as such. */
	m.mark[TQK_MAT_ETHICS] = TQK_MARK_UNSET;
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_INCOMPLETE, NULL, NULL),
	                 TQK_E_MAT_UNMARKED);
	m = all(TQK_MARK_HAS, true);
	m.mark[TQK_MAT_POLICE] = TQK_MARK_NA;
	assert_int_equal(tqk_conclusion_check(&m, true, TQK_CONC_COMPLETE, NULL, NULL),
	                 TQK_E_MAT_POLICE);
}

static void none_is_not_a_conclusion(void **state)
{
	(void)state;
	tqk_marks m = all(TQK_MARK_HAS, false);
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_NONE, "原因", "留言"),
	                 TQK_E_MAT_CONCLUSION);
	m.mark[TQK_MAT_FORM] = TQK_MARK_LACKS;
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_NONE, "原因", "留言"),
	                 TQK_E_MAT_CONCLUSION);
}

/* 网报未受理 needs a reason in the remark (fourth text, 3); blanks are no
 * reason; the marks do not matter. */
static void not_accepted_needs_a_reason(void **state)
{
	(void)state;
	tqk_marks m = {{TQK_MARK_UNSET}};       /* nothing marked */
	const char *blank[] = {NULL, "", " ", "   ", "\t\n", "\u3000", "\u3000\u3000", " \u3000 \r\n"};
	for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++)
		if (tqk_conclusion_check(&m, false, TQK_CONC_NOT_ACCEPTED, blank[i], "留言") !=
		    TQK_E_MAT_REASON)
			fail_msg("blank reason %zu accepted", i);
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_NOT_ACCEPTED,
	                                      "重复注册，保留报名号 2024001", NULL),
	                 TQK_OK);
	assert_int_equal(tqk_conclusion_check(&m, true, TQK_CONC_NOT_ACCEPTED, "\u3000重复\u3000",
	                                      NULL),
	                 TQK_OK);
	/* Marks that would be rejected otherwise. */
	tqk_marks bad = all(TQK_MARK_NA, true);
	assert_int_equal(tqk_conclusion_check(&bad, true, TQK_CONC_NOT_ACCEPTED, "重复", NULL),
	                 TQK_OK);
	tqk_marks lacking = all(TQK_MARK_LACKS, true);
	assert_int_equal(tqk_conclusion_check(&lacking, true, TQK_CONC_NOT_ACCEPTED, "重复", NULL),
	                 TQK_OK);
}

/* A missing "other conditions" item needs a message saying what to bring
 * (first text, 4(6)); other missing items do not. */
static void missing_other_conditions_needs_a_message(void **state)
{
	(void)state;
	tqk_marks m = all(TQK_MARK_HAS, false);
	m.mark[TQK_MAT_OTHER] = TQK_MARK_LACKS;
	const char *blank[] = {NULL, "", "  ", "\u3000", "\u3000 \t"};
	for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++)
		if (tqk_conclusion_check(&m, false, TQK_CONC_INCOMPLETE, "原因", blank[i]) !=
		    TQK_E_MAT_MESSAGE)
			fail_msg("blank message %zu accepted", i);
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_INCOMPLETE, NULL,
	                                      "请补交继续教育证明"),
	                 TQK_OK);

	m = all(TQK_MARK_HAS, false);
	m.mark[TQK_MAT_CREDIT] = TQK_MARK_LACKS;
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_INCOMPLETE, NULL, NULL), TQK_OK);
	assert_int_equal(tqk_conclusion_check(&m, false, TQK_CONC_INCOMPLETE, NULL, "\u3000"),
	                 TQK_OK);
}

static void conclusions_lead_to_states(void **state)
{
	(void)state;
	assert_int_equal(tqk_conclusion_state(TQK_CONC_NONE), TQK_ST_SUBMITTED);
	assert_int_equal(tqk_conclusion_state(TQK_CONC_COMPLETE), TQK_ST_CONFIRMED);
	assert_int_equal(tqk_conclusion_state(TQK_CONC_INCOMPLETE), TQK_ST_SITE_INCOMPLETE);
	assert_int_equal(tqk_conclusion_state(TQK_CONC_NOT_ACCEPTED), TQK_ST_NOT_ACCEPTED);
	/* And the site may make each of those moves from state 1. */
	const tqk_conclusion all_c[] = {TQK_CONC_COMPLETE, TQK_CONC_INCOMPLETE,
	                                TQK_CONC_NOT_ACCEPTED};
	for (size_t i = 0; i < sizeof all_c / sizeof all_c[0]; i++)
		assert_int_equal(tqk_state_transition(TQK_ST_SUBMITTED,
		                                      tqk_conclusion_state(all_c[i]), TQK_ACTOR_SITE),
		                 TQK_OK);
}

static void conclusion_names_and_codes(void **state)
{
	(void)state;
	assert_string_equal(tqk_conclusion_name(TQK_CONC_COMPLETE, TQK_LANG_ZH), "材料齐全");
	assert_string_equal(tqk_conclusion_name(TQK_CONC_INCOMPLETE, TQK_LANG_ZH), "材料不齐全");
	assert_string_equal(tqk_conclusion_name(TQK_CONC_NOT_ACCEPTED, TQK_LANG_ZH), "网报未受理");
	const tqk_conclusion cs[] = {TQK_CONC_COMPLETE, TQK_CONC_INCOMPLETE, TQK_CONC_NOT_ACCEPTED};
	for (size_t i = 0; i < 3; i++) {
		const char *en = tqk_conclusion_name(cs[i], TQK_LANG_EN);
		const char *code = tqk_conclusion_code(cs[i]);
		assert_true(en[0] != '\0' && ascii(en));
		assert_true(code[0] != '\0' && ascii(code));
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(en, tqk_conclusion_name(cs[j], TQK_LANG_EN));
			assert_string_not_equal(code, tqk_conclusion_code(cs[j]));
		}
	}
}

/* ---- the missing-materials message ---- */

#define HEALTH_ID (TQK_MAT_BIT(TQK_MAT_HEALTH) | TQK_MAT_BIT(TQK_MAT_ID_COPY))

static void missing_message_in_chinese(void **state)
{
	(void)state;
	char buf[512];
	const char *one = "请补齐以下材料：身心健康证明。";
	assert_int_equal(tqk_missing_message(TQK_MAT_BIT(TQK_MAT_HEALTH), TQK_LANG_ZH, buf,
	                                     sizeof buf),
	                 strlen(one));
	assert_string_equal(buf, one);
	/* The example in materials.h, in checklist order. */
	const char *two = "请补齐以下材料：身心健康证明；身份证复印件。";
	assert_int_equal(tqk_missing_message(HEALTH_ID, TQK_LANG_ZH, buf, sizeof buf), strlen(two));
	assert_string_equal(buf, two);
	/* Checklist order, not bit-value order in the caller's head. */
	const char *order = "请补齐以下材料：教师资格定期注册申请表（一式两份）；公安机关证明材料复印件。";
	assert_int_equal(tqk_missing_message(TQK_MAT_BIT(TQK_MAT_POLICE) | TQK_MAT_BIT(TQK_MAT_FORM),
	                                     TQK_LANG_ZH, buf, sizeof buf),
	                 strlen(order));
	assert_string_equal(buf, order);
}

static void missing_message_in_english(void **state)
{
	(void)state;
	char buf[512];
	const char *one = "Please bring the following: Certificate of physical and mental health.";
	assert_int_equal(tqk_missing_message(TQK_MAT_BIT(TQK_MAT_HEALTH), TQK_LANG_EN, buf,
	                                     sizeof buf),
	                 strlen(one));
	assert_string_equal(buf, one);
	const char *two = "Please bring the following: Certificate of physical and mental health; "
	                  "Copy of the ID card.";
	assert_int_equal(tqk_missing_message(HEALTH_ID, TQK_LANG_EN, buf, sizeof buf), strlen(two));
	assert_string_equal(buf, two);
}

static void nothing_missing_is_an_empty_message(void **state)
{
	(void)state;
	for (int lang = 0; lang < TQK_LANG_COUNT; lang++) {
		char buf[16];
		memset(buf, 'Z', sizeof buf);
		assert_int_equal(tqk_missing_message(0, (tqk_lang)lang, buf, sizeof buf), 0);
		assert_string_equal(buf, "");
		memset(buf, 'Z', sizeof buf);
		assert_int_equal(tqk_missing_message(0, (tqk_lang)lang, buf, 1), 0);
		assert_int_equal(buf[0], '\0');
		assert_int_equal(buf[1], 'Z');
	}
}

/* For every cap from 0 to the full length and one more: the return value is
 * the full length, nothing is written at or past cap, the text is terminated
 * within cap, is a prefix of the full message and is valid UTF-8. */
static void check_truncation(uint32_t missing, tqk_lang lang)
{
	char full[1024];
	size_t n = tqk_missing_message(missing, lang, full, sizeof full);
	assert_true(n > 0 && n < sizeof full);
	assert_int_equal(strlen(full), n);
	assert_int_equal(tqk_missing_message(missing, lang, NULL, 0), n);

	for (size_t cap = 0; cap <= n + 1; cap++) {
		char buf[1024 + 8];
		memset(buf, 0x7E, sizeof buf);
		size_t got = tqk_missing_message(missing, lang, buf, cap);
		if (got != n)
			fail_msg("cap %zu: returned %zu, not %zu", cap, got, n);
		for (size_t i = cap; i < sizeof buf; i++)
			if (buf[i] != 0x7E)
				fail_msg("cap %zu: wrote byte %zu", cap, i);
		if (cap == 0)
			continue;
		size_t len = strnlen(buf, cap);
		if (len == cap)
			fail_msg("cap %zu: not terminated", cap);
		if (memcmp(buf, full, len) != 0)
			fail_msg("cap %zu: \"%s\" is not a prefix of the message", cap, buf);
		if (!tqk_utf8_valid(buf, len))
			fail_msg("cap %zu: cut a character: \"%s\"", cap, buf);
		if (cap > n && len != n)
			fail_msg("cap %zu: the whole message fits but got %zu bytes", cap, len);
	}
}

static void missing_message_truncates_whole_characters(void **state)
{
	(void)state;
	uint32_t every = 0;
	for (int i = 0; i < TQK_MAT_COUNT; i++)
		every |= TQK_MAT_BIT(i);
	const uint32_t masks[] = {TQK_MAT_BIT(TQK_MAT_HEALTH), HEALTH_ID, every};
	for (int lang = 0; lang < TQK_LANG_COUNT; lang++)
		for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++)
			check_truncation(masks[i], (tqk_lang)lang);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checklist_has_every_material),
		cmocka_unit_test(bag_order_follows_the_archive_bag),
		cmocka_unit_test(police_not_needed_when_name_and_id_agree),
		cmocka_unit_test(blank_certificate_fields_are_not_given),
		cmocka_unit_test(police_needed_when_the_name_differs),
		cmocka_unit_test(police_needed_when_the_id_differs),
		cmocka_unit_test(old_15_digit_id_is_the_same_person),
		cmocka_unit_test(lowercase_x_is_the_same),
		cmocka_unit_test(surrounding_spaces_are_ignored),
		cmocka_unit_test(middle_dot_variants_are_one_name),
		cmocka_unit_test(null_certificate_fields_mean_same),
		cmocka_unit_test(first_registration_any_certificate_has),
		cmocka_unit_test(no_certificate_lacks),
		cmocka_unit_test(second_registration_post_above_lacks),
		cmocka_unit_test(prefill_marks_only_what_the_rules_decide),
		cmocka_unit_test(all_present_is_complete),
		cmocka_unit_test(one_missing_is_incomplete_with_that_bit),
		cmocka_unit_test(unset_is_unmarked),
		cmocka_unit_test(police_mark_must_follow_the_rule),
		cmocka_unit_test(not_applicable_only_for_police),
		cmocka_unit_test(out_of_range_marks_are_rejected),
		cmocka_unit_test(chosen_conclusion_must_match_the_marks),
		cmocka_unit_test(none_is_not_a_conclusion),
		cmocka_unit_test(not_accepted_needs_a_reason),
		cmocka_unit_test(missing_other_conditions_needs_a_message),
		cmocka_unit_test(conclusions_lead_to_states),
		cmocka_unit_test(conclusion_names_and_codes),
		cmocka_unit_test(missing_message_in_chinese),
		cmocka_unit_test(missing_message_in_english),
		cmocka_unit_test(nothing_missing_is_an_empty_message),
		cmocka_unit_test(missing_message_truncates_whole_characters),
	};
	return cmocka_run_group_tests_name("materials", tests, NULL, NULL);
}
