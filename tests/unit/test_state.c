/*
 * test_state.c - application states: the national system's labels for the
 * six states the applicant sees plus 网报未受理 and the institution's final
 * results, their stable codes, the whole transition table (every from, to and
 * actor against the table written out below from state.h), and what the
 * applicant may still edit before the confirmation period or the application
 * window ends.
 */
#include "test.h"

#include "core/err.h"
#include "core/state.h"
#include "core/window.h"

#define FIRST_STATE TQK_ST_SUBMITTED
#define LAST_STATE TQK_ST_FAILED

/* The seed's wording (second text, 5; fourth text, 3) and SPEC §4. The seed
 * file has its full-width punctuation flattened to ASCII; the national system
 * and SPEC §4 write the comma full-width, as here. */
static const char *const zh_labels[TQK_ST_COUNT] = {
	[TQK_ST_SUBMITTED] = "信息提交成功，等待现场确认",
	[TQK_ST_SITE_INCOMPLETE] = "经审核材料不全，请向确认机构提交补齐",
	[TQK_ST_CONFIRMED] = "信息已确认，待审批",
	[TQK_ST_WRONG_INSTITUTION] = "经审核您选错了注册机构。请更正",
	[TQK_ST_INST_INCOMPLETE] = "经审核材料不全，请向注册机构提交补齐",
	[TQK_ST_NOT_ELIGIBLE] = "您不属于注册对象",
	[TQK_ST_NOT_ACCEPTED] = "网报未受理",
	[TQK_ST_PASSED] = "注册合格",
	[TQK_ST_DEFERRED] = "暂缓注册",
	[TQK_ST_FAILED] = "注册不合格",
};

static void labels_are_the_national_wording(void **state)
{
	(void)state;
	for (int s = FIRST_STATE; s <= LAST_STATE; s++) {
		const char *got = tqk_state_label((tqk_state)s, TQK_LANG_ZH);
		assert_non_null(got);
		if (strcmp(got, zh_labels[s]) != 0)
			fail_msg("state %d: \"%s\", expected \"%s\"", s, got, zh_labels[s]);
	}
}

static void english_labels_are_present_and_distinct(void **state)
{
	(void)state;
	for (int s = FIRST_STATE; s <= LAST_STATE; s++) {
		const char *a = tqk_state_label((tqk_state)s, TQK_LANG_EN);
		assert_non_null(a);
		if (a[0] == '\0')
			fail_msg("state %d has an empty English label", s);
		if (strcmp(a, tqk_state_label((tqk_state)s, TQK_LANG_ZH)) == 0)
			fail_msg("state %d: English label is the Chinese one", s);
		for (int t = FIRST_STATE; t < s; t++)
			if (strcmp(a, tqk_state_label((tqk_state)t, TQK_LANG_EN)) == 0)
				fail_msg("states %d and %d share the label \"%s\"", t, s, a);
	}
}

/* The applicant is told what to do next in both languages, and no two
 * states give the same advice. */
static void every_state_tells_the_next_step(void **state)
{
	(void)state;
	for (int lang = 0; lang < TQK_LANG_COUNT; lang++)
		for (int s = FIRST_STATE; s <= LAST_STATE; s++) {
			const char *a = tqk_state_next_step((tqk_state)s, (tqk_lang)lang);
			assert_non_null(a);
			if (a[0] == '\0')
				fail_msg("state %d, lang %d: no next step", s, lang);
			for (int t = FIRST_STATE; t < s; t++)
				if (strcmp(a, tqk_state_next_step((tqk_state)t, (tqk_lang)lang)) == 0)
					fail_msg("states %d and %d give the same next step", t, s);
		}
}

static void codes_round_trip(void **state)
{
	(void)state;
	assert_string_equal(tqk_state_code(TQK_ST_NONE), "none");
	assert_string_equal(tqk_state_code(TQK_ST_SUBMITTED), "submitted");
	assert_string_equal(tqk_state_code(TQK_ST_SITE_INCOMPLETE), "site_incomplete");
	for (int s = FIRST_STATE; s <= LAST_STATE; s++) {
		const char *code = tqk_state_code((tqk_state)s);
		assert_non_null(code);
		if (code[0] == '\0')
			fail_msg("state %d has an empty code", s);
		for (const char *p = code; *p != '\0'; p++)
			if ((unsigned char)*p >= 0x80 || *p == ' ')
				fail_msg("state %d: code \"%s\" is not plain ASCII", s, code);
		for (int t = FIRST_STATE; t < s; t++)
			if (strcmp(code, tqk_state_code((tqk_state)t)) == 0)
				fail_msg("states %d and %d share the code \"%s\"", t, s, code);
		tqk_state back = TQK_ST_NONE;
		assert_int_equal(tqk_state_from_code(code, &back), TQK_OK);
		if ((int)back != s)
			fail_msg("code \"%s\" came back as state %d, not %d", code, back, s);
	}
}

static void unknown_codes_are_rejected(void **state)
{
	(void)state;
	const char *bad[] = {
		"", "bogus", "Submitted", "SUBMITTED", " submitted", "submitted ",
		"submitte", "submittedx", "1", "信息已确认，待审批", "none",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_state out = TQK_ST_NONE;
		if (tqk_state_from_code(bad[i], &out) != TQK_E_STATE_UNKNOWN)
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

static void valid_and_final_states(void **state)
{
	(void)state;
	assert_false(tqk_state_valid(TQK_ST_NONE));
	assert_false(tqk_state_valid(TQK_ST_COUNT));
	assert_false(tqk_state_valid((tqk_state)-1));
	for (int s = FIRST_STATE; s <= LAST_STATE; s++) {
		assert_true(tqk_state_valid((tqk_state)s));
		bool final = s == TQK_ST_NOT_ELIGIBLE || s == TQK_ST_PASSED ||
		             s == TQK_ST_DEFERRED || s == TQK_ST_FAILED;
		if (tqk_state_final((tqk_state)s) != final)
			fail_msg("state %d: final is %d, expected %d", s,
			         tqk_state_final((tqk_state)s), final);
	}
	assert_false(tqk_state_final(TQK_ST_NONE));
}

/*
 * Who may move an application from row to column, written out from the
 * comment in state.h:
 *   applicant     (new) -> 1; 4 -> 1
 *   site          1, 2, 3, 7 -> 2, 3, 7
 *   institution   1, 2, 3, 5 -> 4, 6; 3 -> 5; 3, 5 -> 8, 9, 10
 * A = applicant, S = site, I = institution, . = nobody.
 */
static const char *const who_may[TQK_ST_COUNT] = {
	/*                           to: 1234567890 */
	[TQK_ST_NONE] =                 "A.........",
	[TQK_ST_SUBMITTED] =            ".SSI.IS...",
	[TQK_ST_SITE_INCOMPLETE] =      ".SSI.IS...",
	[TQK_ST_CONFIRMED] =            ".SSIIISIII",
	[TQK_ST_WRONG_INSTITUTION] =    "A.........",
	[TQK_ST_INST_INCOMPLETE] =      "...I.I.III",
	[TQK_ST_NOT_ELIGIBLE] =         "..........",
	[TQK_ST_NOT_ACCEPTED] =         ".SS...S...",
	[TQK_ST_PASSED] =               "..........",
	[TQK_ST_DEFERRED] =             "..........",
	[TQK_ST_FAILED] =               "..........",
};

static const struct {
	tqk_actor actor;
	char letter;
	const char *name;
} actors[] = {
	{TQK_ACTOR_APPLICANT, 'A', "applicant"},
	{TQK_ACTOR_SITE, 'S', "site"},
	{TQK_ACTOR_INSTITUTION, 'I', "institution"},
};

static void transition_table(void **state)
{
	(void)state;
	int allowed = 0;
	for (int from = TQK_ST_NONE; from <= LAST_STATE; from++)
		for (int to = FIRST_STATE; to <= LAST_STATE; to++) {
			char cell = who_may[from][to - 1];
			for (size_t a = 0; a < sizeof actors / sizeof actors[0]; a++) {
				tqk_err want = cell == actors[a].letter ? TQK_OK
				             : cell != '.' ? TQK_E_STATE_ACTOR
				             : TQK_E_STATE_TRANSITION;
				tqk_err got = tqk_state_transition((tqk_state)from, (tqk_state)to,
				                                   actors[a].actor);
				if (got != want)
					fail_msg("%d -> %d by %s: %s, expected %s", from, to,
					         actors[a].name, tqk_err_code(got), tqk_err_code(want));
				allowed += got == TQK_OK;
			}
		}
	/* 2 applicant moves, 4 x 3 site moves, 4 x 2 + 1 + 2 x 3 institution moves. */
	assert_int_equal(allowed, 2 + 12 + 15);
}

static void final_states_have_no_way_out(void **state)
{
	(void)state;
	const tqk_state finals[] = {TQK_ST_NOT_ELIGIBLE, TQK_ST_PASSED, TQK_ST_DEFERRED,
	                            TQK_ST_FAILED};
	for (size_t f = 0; f < sizeof finals / sizeof finals[0]; f++) {
		assert_true(tqk_state_final(finals[f]));
		for (int to = FIRST_STATE; to <= LAST_STATE; to++)
			for (size_t a = 0; a < sizeof actors / sizeof actors[0]; a++)
				if (tqk_state_transition(finals[f], (tqk_state)to, actors[a].actor) !=
				    TQK_E_STATE_TRANSITION)
					fail_msg("final state %d can move to %d", finals[f], to);
	}
}

/* A state outside 1..10 (and "not submitted" as a destination) is unknown,
 * whoever asks, before any question of who may. */
static void out_of_range_states_are_unknown(void **state)
{
	(void)state;
	const tqk_state bad_from[] = {TQK_ST_COUNT, (tqk_state)(TQK_ST_COUNT + 1),
	                              (tqk_state)-1, (tqk_state)1000};
	const tqk_state bad_to[] = {TQK_ST_NONE, TQK_ST_COUNT, (tqk_state)(TQK_ST_COUNT + 1),
	                            (tqk_state)-1, (tqk_state)1000};
	for (size_t a = 0; a < sizeof actors / sizeof actors[0]; a++) {
		tqk_actor who = actors[a].actor;
		for (size_t i = 0; i < sizeof bad_from / sizeof bad_from[0]; i++) {
			for (int to = FIRST_STATE; to <= LAST_STATE; to++)
				if (tqk_state_transition(bad_from[i], (tqk_state)to, who) !=
				    TQK_E_STATE_UNKNOWN)
					fail_msg("from %d to %d by %s not unknown", bad_from[i], to,
					         actors[a].name);
			assert_int_equal(tqk_state_transition(bad_from[i], bad_to[1], who),
			                 TQK_E_STATE_UNKNOWN);
		}
		for (size_t i = 0; i < sizeof bad_to / sizeof bad_to[0]; i++)
			for (int from = TQK_ST_NONE; from <= LAST_STATE; from++)
				if (tqk_state_transition((tqk_state)from, bad_to[i], who) !=
				    TQK_E_STATE_UNKNOWN)
					fail_msg("from %d to %d by %s not unknown", from, bad_to[i],
					         actors[a].name);
	}
}

/* State 1: everything until the confirmation period ends; the end instant
 * itself is already too late. The application window does not matter. */
static void submitted_edits_all_before_confirm_end(void **state)
{
	(void)state;
	tqk_time end = test_at("2026-12-04 17:30");
	tqk_time apply_end = test_at("2026-11-20 17:30");   /* already over */
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, end - 86400, end, apply_end),
	                 TQK_EDIT_ALL);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, end - 1, end, apply_end),
	                 TQK_EDIT_ALL);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, end, end, apply_end),
	                 TQK_EDIT_NONE);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, end + 1, end, apply_end),
	                 TQK_EDIT_NONE);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, end + 86400 * 30, end,
	                                          TQK_TIME_NONE),
	                 TQK_EDIT_NONE);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, end - 1, end, TQK_TIME_NONE),
	                 TQK_EDIT_ALL);
}

/* State 4: only the institution, until the application window closes; the
 * confirmation period does not matter. */
static void wrong_institution_edits_institution_before_apply_end(void **state)
{
	(void)state;
	tqk_time end = test_at("2026-11-25 17:30");
	tqk_time confirm_end = test_at("2026-11-01 17:30");  /* already over */
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_WRONG_INSTITUTION, end - 3600,
	                                          confirm_end, end),
	                 TQK_EDIT_INSTITUTION);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_WRONG_INSTITUTION, end - 1,
	                                          confirm_end, end),
	                 TQK_EDIT_INSTITUTION);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_WRONG_INSTITUTION, end, confirm_end, end),
	                 TQK_EDIT_NONE);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_WRONG_INSTITUTION, end + 1,
	                                          confirm_end, end),
	                 TQK_EDIT_NONE);
	/* Still in the confirmation period but past the window: nothing. */
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_WRONG_INSTITUTION, end + 1,
	                                          end + 86400, end),
	                 TQK_EDIT_NONE);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_WRONG_INSTITUTION, end - 1,
	                                          TQK_TIME_NONE, end),
	                 TQK_EDIT_INSTITUTION);
}

/* After the site's conclusion (or in any state other than 1 and 4) the
 * applicant can only view, however far away both ends are. */
static void other_states_are_view_only(void **state)
{
	(void)state;
	tqk_time now = test_at("2026-11-02 09:00");
	tqk_time later = test_at("2027-06-30 17:30");
	for (int s = TQK_ST_NONE; s <= LAST_STATE; s++) {
		if (s == TQK_ST_SUBMITTED || s == TQK_ST_WRONG_INSTITUTION)
			continue;
		if (tqk_state_applicant_edit((tqk_state)s, now, later, later) != TQK_EDIT_NONE)
			fail_msg("state %d lets the applicant edit", s);
	}
}

/* An end that is not known allows nothing, even at the earliest instant. */
static void unknown_ends_allow_nothing(void **state)
{
	(void)state;
	const tqk_time nows[] = {test_at("2026-11-02 09:00"), 0, INT64_MIN + 1};
	for (size_t i = 0; i < sizeof nows / sizeof nows[0]; i++) {
		assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, nows[i], TQK_TIME_NONE,
		                                          TQK_TIME_NONE),
		                 TQK_EDIT_NONE);
		assert_int_equal(tqk_state_applicant_edit(TQK_ST_WRONG_INSTITUTION, nows[i],
		                                          TQK_TIME_NONE, TQK_TIME_NONE),
		                 TQK_EDIT_NONE);
	}
	/* Even "now" equal to the sentinel. */
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, TQK_TIME_NONE, TQK_TIME_NONE,
	                                          TQK_TIME_NONE),
	                 TQK_EDIT_NONE);
}

/* confirm_end comes from the site's period: the closing time of its last
 * day. An unset period gives no end, hence no editing. */
static void confirm_end_from_the_period(void **state)
{
	(void)state;
	tqk_hours h = tqk_hours_default();
	tqk_period p = {true, DAY(2026, 11, 30), DAY(2026, 12, 4)};
	tqk_time end = tqk_period_end(&p, &h);
	assert_int_equal(end, test_at("2026-12-04 17:30"));
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, test_at("2026-12-04 17:29:59"),
	                                          end, TQK_TIME_NONE),
	                 TQK_EDIT_ALL);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, test_at("2026-12-04 17:30:00"),
	                                          end, TQK_TIME_NONE),
	                 TQK_EDIT_NONE);
	/* Before the period begins the applicant may still edit. */
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, test_at("2026-11-20 10:00"),
	                                          end, TQK_TIME_NONE),
	                 TQK_EDIT_ALL);

	tqk_period unset = {false, 0, 0};
	tqk_time none = tqk_period_end(&unset, &h);
	assert_true(none == TQK_TIME_NONE);
	assert_int_equal(tqk_state_applicant_edit(TQK_ST_SUBMITTED, test_at("2026-11-20 10:00"),
	                                          none, TQK_TIME_NONE),
	                 TQK_EDIT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(labels_are_the_national_wording),
		cmocka_unit_test(english_labels_are_present_and_distinct),
		cmocka_unit_test(every_state_tells_the_next_step),
		cmocka_unit_test(codes_round_trip),
		cmocka_unit_test(unknown_codes_are_rejected),
		cmocka_unit_test(valid_and_final_states),
		cmocka_unit_test(transition_table),
		cmocka_unit_test(final_states_have_no_way_out),
		cmocka_unit_test(out_of_range_states_are_unknown),
		cmocka_unit_test(submitted_edits_all_before_confirm_end),
		cmocka_unit_test(wrong_institution_edits_institution_before_apply_end),
		cmocka_unit_test(other_states_are_view_only),
		cmocka_unit_test(unknown_ends_allow_nothing),
		cmocka_unit_test(confirm_end_from_the_period),
	};
	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
