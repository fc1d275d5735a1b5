/*
 * test_walkin.c - the walk-in application's step rules (core/walkin.h):
 * the notice's three seconds on an injected millisecond clock, the terms,
 * the certificate and ID numbers (a known certificate under another ID
 * number blocks; one under this ID number prefills step 4), each required
 * field of steps 4, 5 and 7 named when missing or wrong, the institution's
 * plan and window, the password, the work start date, going back and
 * forward without losing anything, the idle rule and provisional numbers.
 */
#include "test.h"

#include "core/walkin.h"
#include "support/fixture.h"

#define TODAY DATE(2026, 5, 20)
#define T0 1000000u                     /* ms: when the notice came up */

static const tqk_institution insts[] = {
	{"长沙县教育局", {2026, 4, 1}, {2026, 6, 30}},
	{"浏阳市教育局", {2026, 6, 1}, {2026, 6, 30}},
	{"宁乡市教育局", {2026, 3, 1}, {2026, 4, 30}},
};
#define N_INSTS (sizeof insts / sizeof insts[0])

/* Expects the step's check to fail with err, naming bad. */
static void refused(const tqk_walkin *w, tqk_err err, const char *bad)
{
	const char *got = NULL;
	tqk_err e = tqk_walkin_check(w, T0 + 10000, insts, N_INSTS, TODAY, &got);
	if (e != err)
		fail_msg("step %d, %s: %s, want %s", w->step, bad, tqk_err_code(e), tqk_err_code(err));
	assert_non_null(got);
	assert_string_equal(got, bad);
}

static void next_ok(tqk_walkin *w)
{
	const char *bad = NULL;
	tqk_walkin_step at = w->step;
	tqk_err e = tqk_walkin_next(w, T0 + 10000, insts, N_INSTS, TODAY, &bad);
	if (e != TQK_OK)
		fail_msg("step %d: %s (%s)", at, tqk_err_code(e), bad != NULL ? bad : "-");
	assert_int_equal(w->step, at + 1);
}

/* A draft brought to step s with application 7's data typed in. */
static void draft_at(tqk_walkin *w, tqk_walkin_step s)
{
	tqk_application a;
	fixture_app(7, FIXTURE_SITE, &a);
	tqk_walkin_start(w, FIXTURE_SITE, T0);
	if (s == TQK_WI_NOTICE)
		return;
	next_ok(w);
	w->terms_accepted = true;
	if (s == TQK_WI_TERMS)
		return;
	next_ok(w);
	assert_int_equal(tqk_walkin_ids(w, a.cert_no, a.id_number, NULL, TODAY, NULL), TQK_OK);
	if (s == TQK_WI_IDS)
		return;
	next_ok(w);
	snprintf(w->a.name, sizeof w->a.name, "%s", a.name);
	snprintf(w->a.nation, sizeof w->a.nation, "%s", a.nation);
	w->a.qualification = TQK_STAGE_PRIMARY;
	snprintf(w->a.cert_subject, sizeof w->a.cert_subject, "数学");
	snprintf(w->a.cert_authority, sizeof w->a.cert_authority, "长沙县教育局");
	snprintf(w->a.cert_issued, sizeof w->a.cert_issued, "2012-07-01");
	snprintf(w->a.institution, sizeof w->a.institution, "长沙县教育局");
	w->a.post = TQK_STAGE_PRIMARY;
	snprintf(w->a.post_subject, sizeof w->a.post_subject, "数学");
	if (s == TQK_WI_CERT)
		return;
	next_ok(w);
	if (s == TQK_WI_SITE)
		return;
	next_ok(w);
	if (s == TQK_WI_SITE_NOTES)
		return;
	next_ok(w);
	snprintf(w->a.email, sizeof w->a.email, "li.na@example.cn");
	snprintf(w->password, sizeof w->password, "Xingsha2026");
	snprintf(w->password2, sizeof w->password2, "Xingsha2026");
	snprintf(w->a.work_start, sizeof w->a.work_start, "2012-09-01");
	snprintf(w->a.title, sizeof w->a.title, "二级教师");
	snprintf(w->a.school, sizeof w->a.school, "长沙县星沙实验小学");
	w->a.school_area = TQK_AREA_URBAN;
}

static void notice_three_seconds(void **state)
{
	(void)state;
	tqk_walkin w;
	tqk_walkin_start(&w, FIXTURE_SITE, T0);
	assert_int_equal(w.step, TQK_WI_NOTICE);
	assert_string_equal(w.a.site, FIXTURE_SITE);
	assert_false(tqk_walkin_notice_ready(&w, T0));
	assert_false(tqk_walkin_notice_ready(&w, T0 + 2999));
	const char *bad = NULL;
	assert_int_equal(tqk_walkin_next(&w, T0 + 2999, insts, N_INSTS, TODAY, &bad),
	                 TQK_E_WALKIN_NOTICE);
	assert_string_equal(bad, "notice");
	assert_int_equal(w.step, TQK_WI_NOTICE);
	/* a clock that went back never counts as time shown */
	assert_false(tqk_walkin_notice_ready(&w, T0 - 5000));
	assert_true(tqk_walkin_notice_ready(&w, T0 + 3000));
	assert_int_equal(tqk_walkin_next(&w, T0 + 3000, insts, N_INSTS, TODAY, &bad), TQK_OK);
	assert_int_equal(w.step, TQK_WI_TERMS);
	/* back to the notice: it is shown anew and counts again */
	tqk_walkin_back(&w, T0 + 60000);
	assert_int_equal(w.step, TQK_WI_NOTICE);
	assert_false(tqk_walkin_notice_ready(&w, T0 + 62999));
	assert_true(tqk_walkin_notice_ready(&w, T0 + 63000));
	tqk_walkin_back(&w, T0 + 70000);       /* the first step stays */
	assert_int_equal(w.step, TQK_WI_NOTICE);
}

static void terms_must_be_accepted(void **state)
{
	(void)state;
	tqk_walkin w;
	draft_at(&w, TQK_WI_TERMS);
	w.terms_accepted = false;
	refused(&w, TQK_E_WALKIN_TERMS, "terms");
	w.terms_accepted = true;
	next_ok(&w);
	assert_int_equal(w.step, TQK_WI_IDS);
}

static void ids_checked_and_derived(void **state)
{
	(void)state;
	tqk_walkin w;
	draft_at(&w, TQK_WI_TERMS);
	next_ok(&w);
	/* nothing typed yet */
	refused(&w, TQK_E_FIELD_REQUIRED, "cert_no");
	tqk_application a;
	fixture_app(7, FIXTURE_SITE, &a);
	const char *bad = NULL;
	/* a wrong check character: refused, the draft untouched */
	char wrong[TQK_ID_LEN + 1];
	snprintf(wrong, sizeof wrong, "%s", a.id_number);
	wrong[17] = wrong[17] == '0' ? '1' : '0';
	assert_int_equal(tqk_walkin_ids(&w, a.cert_no, wrong, NULL, TODAY, &bad), TQK_E_ID_CHECKSUM);
	assert_string_equal(bad, "id_number");
	assert_string_equal(w.a.id_number, "");
	assert_string_equal(w.a.cert_no, "");
	assert_int_equal(tqk_walkin_ids(&w, "12345", a.id_number, NULL, TODAY, &bad) != TQK_OK, 1);
	assert_string_equal(bad, "cert_no");
	/* a 15-digit ID number is converted; gender and birth come from it */
	assert_int_equal(tqk_walkin_ids(&w, a.cert_no, "430121800101001", NULL, TODAY, &bad), TQK_OK);
	assert_int_equal(strlen(w.a.id_number), 18);
	assert_memory_equal(w.a.id_number, "43012119800101001", 17);
	assert_int_equal(w.birth.year, 1980);
	assert_int_equal(w.birth.month, 1);
	assert_int_equal(w.birth.day, 1);
	assert_int_equal(w.gender, TQK_GENDER_MALE);
	assert_string_equal(w.a.cert_id, w.a.id_number);
	assert_false(w.cert_known);
	next_ok(&w);
	assert_int_equal(w.step, TQK_WI_CERT);
}

static void known_certificate(void **state)
{
	(void)state;
	tqk_walkin w;
	draft_at(&w, TQK_WI_IDS);
	tqk_application known, other;
	fixture_app(30, FIXTURE_SITE, &known);
	fixture_app(31, FIXTURE_SITE, &other);
	/* The certificate is the system's under another ID number: blocked. */
	const char *bad = NULL;
	char before[TQK_ID_LEN + 1];
	snprintf(before, sizeof before, "%s", w.a.id_number);
	assert_int_equal(tqk_walkin_ids(&w, known.cert_no, other.id_number, &known, TODAY, &bad),
	                 TQK_E_WALKIN_CERT_ID);
	assert_string_equal(bad, "id_number");
	assert_string_equal(w.a.id_number, before);
	assert_string_not_equal(tqk_strerror(TQK_E_WALKIN_CERT_ID, TQK_LANG_ZH), "");
	/* Under this ID number: step 4 comes prefilled with its data. */
	assert_int_equal(tqk_walkin_ids(&w, known.cert_no, known.id_number, &known, TODAY, &bad),
	                 TQK_OK);
	assert_true(w.cert_known);
	assert_int_equal(w.a.qualification, known.qualification);
	assert_string_equal(w.a.cert_authority, known.cert_authority);
	assert_string_equal(w.a.cert_issued, known.cert_issued);
	assert_string_equal(w.a.cert_subject, known.cert_subject);
	assert_int_equal(w.a.registration, TQK_REG_SECOND);
}

static void cert_step_fields(void **state)
{
	(void)state;
	tqk_walkin w;
	static const struct {
		size_t off, len;
		const char *bad;
	} texts[] = {
		{offsetof(tqk_application, cert_authority), TQK_TEXT_CAP, "cert_authority"},
		{offsetof(tqk_application, name), TQK_NAME_CAP, "name"},
		{offsetof(tqk_application, nation), TQK_TEXT_CAP, "nation"},
		{offsetof(tqk_application, cert_issued), TQK_DATE_BUFLEN, "cert_issued"},
		{offsetof(tqk_application, institution), TQK_TEXT_CAP, "institution"},
		{offsetof(tqk_application, post_subject), TQK_TEXT_CAP, "post_subject"},
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		draft_at(&w, TQK_WI_CERT);
		memset((char *)&w.a + texts[i].off, 0, texts[i].len);
		refused(&w, TQK_E_FIELD_REQUIRED, texts[i].bad);
	}
	draft_at(&w, TQK_WI_CERT);
	w.a.qualification = TQK_STAGE_NONE;
	refused(&w, TQK_E_FIELD_REQUIRED, "qualification");
	draft_at(&w, TQK_WI_CERT);
	w.a.post = TQK_STAGE_NONE;
	refused(&w, TQK_E_FIELD_REQUIRED, "post");
	/* not one of the 56 groups */
	draft_at(&w, TQK_WI_CERT);
	snprintf(w.a.nation, sizeof w.a.nation, "火星族");
	refused(&w, TQK_E_FIELD_VALUE, "nation");
	/* issued in the future, or before the teacher was born */
	draft_at(&w, TQK_WI_CERT);
	snprintf(w.a.cert_issued, sizeof w.a.cert_issued, "2026-05-21");
	refused(&w, TQK_E_FIELD_VALUE, "cert_issued");
	snprintf(w.a.cert_issued, sizeof w.a.cert_issued, "1969-12-31");
	refused(&w, TQK_E_FIELD_VALUE, "cert_issued");
	snprintf(w.a.cert_issued, sizeof w.a.cert_issued, "2026-05-20");
	next_ok(&w);
	/* A certificate without a subject takes the one taught now. */
	draft_at(&w, TQK_WI_CERT);
	w.a.cert_subject[0] = '\0';
	assert_string_equal(tqk_walkin_cert_subject(&w.a), "数学");
	next_ok(&w);
	assert_int_equal(w.step, TQK_WI_SITE);
}

static void institution_plan_and_window(void **state)
{
	(void)state;
	tqk_date when = {0, 0, 0};
	assert_int_equal(tqk_walkin_institution("长沙县教育局", insts, N_INSTS, TODAY, &when), TQK_OK);
	assert_int_equal(tqk_walkin_institution("长沙县教育局", insts, N_INSTS, DATE(2026, 4, 1), &when),
	                 TQK_OK);
	assert_int_equal(tqk_walkin_institution("长沙县教育局", insts, N_INSTS, DATE(2026, 6, 30),
	                                        &when), TQK_OK);
	assert_int_equal(tqk_walkin_institution("浏阳市教育局", insts, N_INSTS, TODAY, &when),
	                 TQK_E_WALKIN_NOT_OPEN);
	assert_int_equal(tqk_date_to_day(when), DAY(2026, 6, 1));
	assert_int_equal(tqk_walkin_institution("宁乡市教育局", insts, N_INSTS, TODAY, &when),
	                 TQK_E_WALKIN_CLOSED);
	assert_int_equal(tqk_date_to_day(when), DAY(2026, 4, 30));
	assert_int_equal(tqk_walkin_institution("望城区教育局", insts, N_INSTS, TODAY, &when),
	                 TQK_E_WALKIN_NO_PLAN);
	assert_int_equal(tqk_walkin_institution("长沙县教育局", NULL, 0, TODAY, &when),
	                 TQK_E_WALKIN_NO_PLAN);
	/* and the step refuses with the institution named */
	tqk_walkin w;
	draft_at(&w, TQK_WI_CERT);
	snprintf(w.a.institution, sizeof w.a.institution, "浏阳市教育局");
	refused(&w, TQK_E_WALKIN_NOT_OPEN, "institution");
	snprintf(w.a.institution, sizeof w.a.institution, "望城区教育局");
	refused(&w, TQK_E_WALKIN_NO_PLAN, "institution");
	/* a plan with no institutions at all: none has a plan, whatever else */
	w.a.institution[0] = '\0';
	w.a.name[0] = '\0';
	const char *bad = NULL;
	assert_int_equal(tqk_walkin_check(&w, T0, NULL, 0, TODAY, &bad), TQK_E_WALKIN_NO_PLAN);
	assert_string_equal(bad, "institution");
}

static void site_required(void **state)
{
	(void)state;
	tqk_walkin w;
	draft_at(&w, TQK_WI_SITE);
	assert_string_equal(w.a.site, FIXTURE_SITE);    /* this site, preselected */
	w.a.site[0] = '\0';
	refused(&w, TQK_E_FIELD_REQUIRED, "site");
	snprintf(w.a.site, sizeof w.a.site, "S 01");
	refused(&w, TQK_E_FIELD_VALUE, "site");
}

static void account_step_fields(void **state)
{
	(void)state;
	tqk_walkin w;
	draft_at(&w, TQK_WI_ACCOUNT);
	snprintf(w.a.email, sizeof w.a.email, "li.na@");
	refused(&w, TQK_E_FIELD_VALUE, "email");
	w.a.email[0] = '\0';
	refused(&w, TQK_E_FIELD_REQUIRED, "email");

	static const char *const weak[] = {"", "abc123", "abcdefgh", "12345678", "abcd 1234",
	                                   "密码abcd1234"};
	for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++) {
		draft_at(&w, TQK_WI_ACCOUNT);
		snprintf(w.password, sizeof w.password, "%s", weak[i]);
		snprintf(w.password2, sizeof w.password2, "%s", weak[i]);
		refused(&w, TQK_E_PASSWORD_WEAK, "password");
	}
	/* 64 characters is the most there is room for, and fine */
	draft_at(&w, TQK_WI_ACCOUNT);
	memset(w.password, 'a', 63);
	w.password[63] = '7';
	memcpy(w.password2, w.password, sizeof w.password);
	next_ok(&w);
	draft_at(&w, TQK_WI_ACCOUNT);
	snprintf(w.password2, sizeof w.password2, "Xingsha2025");
	refused(&w, TQK_E_PASSWORD_MISMATCH, "password2");

	draft_at(&w, TQK_WI_ACCOUNT);
	snprintf(w.a.work_start, sizeof w.a.work_start, "2026-05-21");   /* tomorrow */
	refused(&w, TQK_E_FIELD_VALUE, "work_start");
	/* born 1970-01-08 (application 7): not at work before 16 */
	snprintf(w.a.work_start, sizeof w.a.work_start, "1986-01-07");
	refused(&w, TQK_E_FIELD_VALUE, "work_start");
	snprintf(w.a.work_start, sizeof w.a.work_start, "1986-01-08");
	next_ok(&w);

	static const struct {
		size_t off, len;
		const char *bad;
	} texts[] = {
		{offsetof(tqk_application, work_start), TQK_DATE_BUFLEN, "work_start"},
		{offsetof(tqk_application, title), TQK_TEXT_CAP, "title"},
		{offsetof(tqk_application, school), TQK_TEXT_CAP, "school"},
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		draft_at(&w, TQK_WI_ACCOUNT);
		memset((char *)&w.a + texts[i].off, 0, texts[i].len);
		refused(&w, TQK_E_FIELD_REQUIRED, texts[i].bad);
	}
	draft_at(&w, TQK_WI_ACCOUNT);
	w.a.school_area = TQK_AREA_NONE;
	refused(&w, TQK_E_FIELD_REQUIRED, "school_area");
	w.a.school_area = TQK_AREA_RURAL;
	next_ok(&w);
	assert_int_equal(w.step, TQK_WI_DONE);
	/* done is the end */
	const char *bad = NULL;
	assert_int_equal(tqk_walkin_next(&w, T0, insts, N_INSTS, TODAY, &bad), TQK_E_ARG);
	tqk_walkin_back(&w, T0);
	assert_int_equal(w.step, TQK_WI_DONE);
}

static void back_and_forward_keep_everything(void **state)
{
	(void)state;
	tqk_walkin w;
	draft_at(&w, TQK_WI_ACCOUNT);
	tqk_walkin saved = w;
	for (int i = 0; i < 5; i++)
		tqk_walkin_back(&w, T0 + 20000);
	assert_int_equal(w.step, TQK_WI_TERMS);
	for (int i = 0; i < 5; i++)
		next_ok(&w);
	assert_int_equal(w.step, TQK_WI_ACCOUNT);
	assert_memory_equal(&w.a, &saved.a, sizeof w.a);
	assert_string_equal(w.password, saved.password);
	/* a change: steps 4 to 7, no password asked */
	w.change = true;
	w.password[0] = w.password2[0] = '\0';
	assert_int_equal(tqk_walkin_check(&w, T0, insts, N_INSTS, TODAY, NULL), TQK_OK);
	w.step = TQK_WI_CERT;
	tqk_walkin_back(&w, T0);
	assert_int_equal(w.step, TQK_WI_CERT);
	tqk_walkin_wipe(&w);
	static const tqk_walkin zero;
	assert_memory_equal(&w, &zero, sizeof w);
}

static void idle_rule(void **state)
{
	(void)state;
	assert_int_equal(tqk_walkin_idle_state(0), TQK_WI_IDLE_NONE);
	assert_int_equal(tqk_walkin_idle_state(TQK_WALKIN_IDLE_WARN_S - 1), TQK_WI_IDLE_NONE);
	assert_int_equal(tqk_walkin_idle_state(TQK_WALKIN_IDLE_WARN_S), TQK_WI_IDLE_WARN);
	assert_int_equal(tqk_walkin_idle_state(TQK_WALKIN_IDLE_S - 1), TQK_WI_IDLE_WARN);
	assert_int_equal(tqk_walkin_idle_state(TQK_WALKIN_IDLE_S), TQK_WI_IDLE_DISCARD);
	assert_int_equal(TQK_WALKIN_IDLE_S, 180);
}

static void provisional_numbers(void **state)
{
	(void)state;
	char no[TQK_CODE_CAP];
	assert_int_equal(tqk_walkin_provisional("S01", "K01", 42, no), TQK_OK);
	assert_string_equal(no, "WS01-K01-000042");
	assert_true(tqk_code_valid(no));
	assert_true(tqk_walkin_is_provisional(no));
	assert_int_equal(tqk_walkin_provisional("S01", "K02", 42, no), TQK_OK);
	assert_string_equal(no, "WS01-K02-000042");
	assert_int_equal(tqk_walkin_provisional("S01", "K01", 999999, no), TQK_OK);
	assert_int_equal(tqk_walkin_provisional("S01", "K01", 0, no), TQK_E_ARG);
	assert_string_equal(no, "");
	assert_int_equal(tqk_walkin_provisional("S01", "K01", 1000000, no), TQK_E_ARG);
	assert_int_equal(tqk_walkin_provisional("S 01", "K01", 1, no), TQK_E_ARG);
	assert_int_equal(tqk_walkin_provisional(NULL, "K01", 1, no), TQK_E_ARG);
	/* 1 + 12 + 1 + 11 + 1 + 6 = 32 fits; one more does not */
	assert_int_equal(tqk_walkin_provisional("S01234567890", "K0123456789", 1, no), TQK_OK);
	assert_int_equal(tqk_walkin_provisional("S012345678901", "K0123456789", 1, no),
	                 TQK_E_TOO_LONG);
	static const char *const not[] = {"20260000000007", "20269000000001", "WS01-000042",
	                                  "WS01-K01-00004x", "S01-K01-000042", "W-K01-000042", "WS01--000042",
	                                  "", NULL};
	for (size_t i = 0; i < sizeof not / sizeof not[0]; i++)
		assert_false(tqk_walkin_is_provisional(not[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(notice_three_seconds),
		cmocka_unit_test(terms_must_be_accepted),
		cmocka_unit_test(ids_checked_and_derived),
		cmocka_unit_test(known_certificate),
		cmocka_unit_test(cert_step_fields),
		cmocka_unit_test(institution_plan_and_window),
		cmocka_unit_test(site_required),
		cmocka_unit_test(account_step_fields),
		cmocka_unit_test(back_and_forward_keep_everything),
		cmocka_unit_test(idle_rule),
		cmocka_unit_test(provisional_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
