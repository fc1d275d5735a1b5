/*
 * test_window.c - the opening window (window.h; SPEC §7; seed, fifth text,
 * 1-2): open on working days from 08:30 to 17:30, the opening instant open
 * and the closing instant closed, under the shipped calendar
 * (assets/calendar/cn.cal, found through TQK_ASSETS) with its holidays and
 * make-up days; the reason for being closed and the next opening, within
 * the site's confirmation period; custom hours; parsing hours and periods;
 * the end of the period; the codes and texts of every reason.
 */
#include "test.h"

#include "core/calendar.h"
#include "core/date.h"
#include "core/window.h"
#include "support/assets.h"

/* Parses a string literal that must be a valid calendar. */
static tqk_calendar *parse_cal(const char *text)
{
	tqk_calendar *cal = NULL;
	int line = -1;
	tqk_err err = tqk_calendar_parse(text, strlen(text), &cal, &line);
	if (err != TQK_OK)
		fail_msg("calendar rejected with %s at line %d", tqk_err_code(err), line);
	return cal;
}

/* A period from "YYYY-MM-DD..YYYY-MM-DD" that must parse. */
static tqk_period period(const char *s)
{
	tqk_period p = {false, 0, 0};
	tqk_err err = tqk_period_parse(s, strlen(s), &p);
	if (err != TQK_OK)
		fail_msg("period \"%s\" rejected with %s", s, tqk_err_code(err));
	return p;
}

/* Hours from "HH:MM-HH:MM" that must parse. */
static tqk_hours hours(const char *s)
{
	tqk_hours h = {-1, -1};
	tqk_err err = tqk_hours_parse(s, strlen(s), &h);
	if (err != TQK_OK)
		fail_msg("hours \"%s\" rejected with %s", s, tqk_err_code(err));
	return h;
}

/* "YYYY-MM-DD HH:MM" for an instant, "none" for TQK_TIME_NONE. */
static const char *show(tqk_time t, char buf[TQK_MINUTE_BUFLEN])
{
	if (t == TQK_TIME_NONE)
		return "none";
	tqk_local_format(t, buf);
	return buf;
}

/* The window at a local instant; the call must succeed. */
static tqk_window window(const tqk_calendar *cal, const tqk_hours *h, const tqk_period *p,
                         const char *when)
{
	tqk_window w;
	memset(&w, 0xa5, sizeof w);
	tqk_err err = tqk_window_at(cal, h, p, test_at(when), &w);
	if (err != TQK_OK)
		fail_msg("%s: %s", when, tqk_err_code(err));
	return w;
}

/* Asserts the window is open at when and closes at closes. */
static void expect_open(const tqk_calendar *cal, const tqk_hours *h, const tqk_period *p,
                        const char *when, const char *closes)
{
	tqk_window w = window(cal, h, p, when);
	char buf[TQK_MINUTE_BUFLEN];
	if (!w.open || w.reason != TQK_OPEN)
		fail_msg("%s: closed (%s), want open", when, tqk_closed_code(w.reason));
	if (strcmp(show(w.closes, buf), closes) != 0)
		fail_msg("%s: closes %s, want %s", when, show(w.closes, buf), closes);
}

/* Asserts the window is closed at when for reason and opens next at
 * next_open ("none" for no next opening). Returns the window. */
static tqk_window expect_closed(const tqk_calendar *cal, const tqk_hours *h,
                                const tqk_period *p, const char *when,
                                tqk_closed_reason reason, const char *next_open)
{
	tqk_window w = window(cal, h, p, when);
	char buf[TQK_MINUTE_BUFLEN];
	if (w.open)
		fail_msg("%s: open, want closed (%s)", when, tqk_closed_code(reason));
	if (w.reason != reason)
		fail_msg("%s: closed (%s), want closed (%s)", when, tqk_closed_code(w.reason),
		         tqk_closed_code(reason));
	if (strcmp(show(w.next_open, buf), next_open) != 0)
		fail_msg("%s: next opening %s, want %s", when, show(w.next_open, buf), next_open);
	return w;
}

/* ---- hours of a working day ---- */

static void open_from_0830_to_1730_on_a_working_day(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = tqk_hours_default();
	/* Friday 2026-11-27. */
	expect_open(cal, &h, NULL, "2026-11-27 08:30:00", "2026-11-27 17:30");
	expect_open(cal, &h, NULL, "2026-11-27 08:30:01", "2026-11-27 17:30");
	expect_open(cal, &h, NULL, "2026-11-27 12:00", "2026-11-27 17:30");
	expect_open(cal, &h, NULL, "2026-11-27 17:29", "2026-11-27 17:30");
	expect_open(cal, &h, NULL, "2026-11-27 17:29:59", "2026-11-27 17:30");
	/* The closing instant exactly. */
	tqk_window w = window(cal, &h, NULL, "2026-11-27 17:29:59");
	assert_int_equal(w.closes, test_at("2026-11-27 17:30:00"));
	/* An ordinary Monday. */
	expect_open(cal, &h, NULL, "2026-11-30 09:15", "2026-11-30 17:30");
	tqk_calendar_free(cal);
}

static void closing_instant_is_closed_until_the_next_working_day(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = tqk_hours_default();
	tqk_window w = expect_closed(cal, &h, NULL, "2026-11-27 17:30:00", TQK_CLOSED_AFTER_HOURS,
	                             "2026-11-30 08:30");
	assert_int_equal(w.next_open, test_at("2026-11-30 08:30:00"));
	expect_closed(cal, &h, NULL, "2026-11-27 17:30:01", TQK_CLOSED_AFTER_HOURS,
	              "2026-11-30 08:30");
	expect_closed(cal, &h, NULL, "2026-11-27 23:59:59", TQK_CLOSED_AFTER_HOURS,
	              "2026-11-30 08:30");
	/* Midweek: the next morning. */
	expect_closed(cal, &h, NULL, "2026-11-25 17:30", TQK_CLOSED_AFTER_HOURS,
	              "2026-11-26 08:30");
	tqk_calendar_free(cal);
}

static void before_opening_time_opens_the_same_day(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = tqk_hours_default();
	tqk_window w = expect_closed(cal, &h, NULL, "2026-11-27 08:29:59",
	                             TQK_CLOSED_BEFORE_HOURS, "2026-11-27 08:30");
	assert_int_equal(w.next_open, test_at("2026-11-27 08:30:00"));
	expect_closed(cal, &h, NULL, "2026-11-27 00:00", TQK_CLOSED_BEFORE_HOURS,
	              "2026-11-27 08:30");
	expect_closed(cal, &h, NULL, "2026-11-30 08:00", TQK_CLOSED_BEFORE_HOURS,
	              "2026-11-30 08:30");
	tqk_calendar_free(cal);
}

/* ---- weekends, holidays, make-up days ---- */

static void weekend_is_closed_until_monday(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = tqk_hours_default();
	/* Saturday and Sunday, whatever the time of day. */
	expect_closed(cal, &h, NULL, "2026-11-28 00:00", TQK_CLOSED_WEEKEND, "2026-11-30 08:30");
	expect_closed(cal, &h, NULL, "2026-11-28 10:00", TQK_CLOSED_WEEKEND, "2026-11-30 08:30");
	expect_closed(cal, &h, NULL, "2026-11-29 08:30", TQK_CLOSED_WEEKEND, "2026-11-30 08:30");
	expect_closed(cal, &h, NULL, "2026-11-29 23:59:59", TQK_CLOSED_WEEKEND,
	              "2026-11-30 08:30");
	tqk_calendar_free(cal);
}

static void holiday_is_closed_with_its_name_until_after_the_holiday(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = tqk_hours_default();

	/* National Day 2026: 10/1-10/7 off. */
	tqk_window w = expect_closed(cal, &h, NULL, "2026-10-01 10:00", TQK_CLOSED_HOLIDAY,
	                             "2026-10-08 08:30");
	assert_non_null(w.holiday);
	assert_string_equal(w.holiday, "国庆节");
	/* A Saturday within the holiday is a holiday, not a weekend. */
	w = expect_closed(cal, &h, NULL, "2026-10-03 10:00", TQK_CLOSED_HOLIDAY, "2026-10-08 08:30");
	assert_string_equal(w.holiday, "国庆节");
	/* Within opening hours or not, a holiday is a holiday. */
	expect_closed(cal, &h, NULL, "2026-10-07 08:00", TQK_CLOSED_HOLIDAY, "2026-10-08 08:30");
	expect_closed(cal, &h, NULL, "2026-10-07 17:30", TQK_CLOSED_HOLIDAY, "2026-10-08 08:30");
	/* The evening before. */
	expect_closed(cal, &h, NULL, "2026-09-30 17:30", TQK_CLOSED_AFTER_HOURS,
	              "2026-10-08 08:30");

	/* Spring Festival 2026: 2/15-2/23 off, Saturday 2/14 on. */
	w = expect_closed(cal, &h, NULL, "2026-02-16 09:00", TQK_CLOSED_HOLIDAY, "2026-02-24 08:30");
	assert_string_equal(w.holiday, "春节");
	expect_closed(cal, &h, NULL, "2026-02-23 16:00", TQK_CLOSED_HOLIDAY, "2026-02-24 08:30");
	expect_open(cal, &h, NULL, "2026-02-14 10:00", "2026-02-14 17:30");
	expect_closed(cal, &h, NULL, "2026-02-14 17:30", TQK_CLOSED_AFTER_HOURS,
	              "2026-02-24 08:30");
	/* Friday evening before a make-up Saturday: open again on Saturday. */
	expect_closed(cal, &h, NULL, "2026-02-13 17:30", TQK_CLOSED_AFTER_HOURS,
	              "2026-02-14 08:30");

	/* A holiday on a Monday in 2024. */
	w = expect_closed(cal, &h, NULL, "2024-06-10 09:00", TQK_CLOSED_HOLIDAY, "2024-06-11 08:30");
	assert_string_equal(w.holiday, "端午节");
	tqk_calendar_free(cal);
}

static void unnamed_holiday_has_an_empty_name(void **state)
{
	(void)state;
	tqk_calendar *cal = parse_cal("tqk-calendar 1\nholiday 2026-11-26..2026-11-27\n");
	tqk_hours h = tqk_hours_default();
	tqk_window w = expect_closed(cal, &h, NULL, "2026-11-27 10:00", TQK_CLOSED_HOLIDAY,
	                             "2026-11-30 08:30");
	assert_non_null(w.holiday);
	assert_string_equal(w.holiday, "");
	tqk_calendar_free(cal);
}

static void make_up_saturday_is_open(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = tqk_hours_default();
	assert_int_equal(tqk_day_weekday(test_day("2026-10-10")), 6);
	expect_open(cal, &h, NULL, "2026-10-10 08:30", "2026-10-10 17:30");
	expect_open(cal, &h, NULL, "2026-10-10 17:29:59", "2026-10-10 17:30");
	/* Its hours are a working day's hours. */
	expect_closed(cal, &h, NULL, "2026-10-10 08:29:59", TQK_CLOSED_BEFORE_HOURS,
	              "2026-10-10 08:30");
	expect_closed(cal, &h, NULL, "2026-10-10 17:30", TQK_CLOSED_AFTER_HOURS,
	              "2026-10-12 08:30");
	/* The Friday before opens next on that Saturday, not on Monday. */
	expect_closed(cal, &h, NULL, "2026-10-09 17:30", TQK_CLOSED_AFTER_HOURS,
	              "2026-10-10 08:30");
	/* A make-up Sunday too (2025-01-26). */
	expect_open(cal, &h, NULL, "2025-01-26 11:00", "2025-01-26 17:30");
	/* And the ordinary Sunday after the make-up Saturday is closed. */
	expect_closed(cal, &h, NULL, "2026-10-11 10:00", TQK_CLOSED_WEEKEND, "2026-10-12 08:30");
	tqk_calendar_free(cal);
}

static void null_calendar_means_monday_to_friday(void **state)
{
	(void)state;
	tqk_hours h = tqk_hours_default();
	/* National Day is an ordinary Thursday, 10-10 an ordinary Saturday. */
	expect_open(NULL, &h, NULL, "2026-10-01 10:00", "2026-10-01 17:30");
	expect_closed(NULL, &h, NULL, "2026-10-10 10:00", TQK_CLOSED_WEEKEND, "2026-10-12 08:30");
	expect_closed(NULL, &h, NULL, "2026-09-30 17:30", TQK_CLOSED_AFTER_HOURS,
	              "2026-10-01 08:30");
	expect_closed(NULL, &h, NULL, "2026-11-27 17:30", TQK_CLOSED_AFTER_HOURS,
	              "2026-11-30 08:30");
}

/* ---- the confirmation period ---- */

static void before_the_period_opens_on_its_first_working_day(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = tqk_hours_default();
	tqk_period p = period("2026-11-02..2026-11-27");        /* Monday..Friday */

	/* Any time before: a working day, a weekend, the evening before. */
	expect_closed(cal, &h, &p, "2026-10-30 10:00", TQK_CLOSED_BEFORE_PERIOD, "2026-11-02 08:30");
	expect_closed(cal, &h, &p, "2026-11-01 10:00", TQK_CLOSED_BEFORE_PERIOD, "2026-11-02 08:30");
	expect_closed(cal, &h, &p, "2026-11-01 23:59:59", TQK_CLOSED_BEFORE_PERIOD,
	              "2026-11-02 08:30");
	/* On a holiday before the period, the period is the reason. */
	expect_closed(cal, &h, &p, "2026-10-01 10:00", TQK_CLOSED_BEFORE_PERIOD, "2026-11-02 08:30");
	/* On the first day, before opening time: the hours are the reason. */
	expect_closed(cal, &h, &p, "2026-11-02 08:29:59", TQK_CLOSED_BEFORE_HOURS,
	              "2026-11-02 08:30");
	expect_open(cal, &h, &p, "2026-11-02 08:30", "2026-11-02 17:30");

	/* A period that begins on a Saturday opens on the Monday after. */
	p = period("2026-11-28..2026-12-11");
	expect_closed(cal, &h, &p, "2026-11-20 10:00", TQK_CLOSED_BEFORE_PERIOD, "2026-11-30 08:30");
	expect_closed(cal, &h, &p, "2026-11-28 10:00", TQK_CLOSED_WEEKEND, "2026-11-30 08:30");
	/* One that begins on a holiday opens after it. */
	p = period("2026-10-01..2026-10-31");
	expect_closed(cal, &h, &p, "2026-09-30 10:00", TQK_CLOSED_BEFORE_PERIOD, "2026-10-08 08:30");
	/* One that begins on a make-up Saturday opens on it. */
	p = period("2026-10-10..2026-10-31");
	expect_closed(cal, &h, &p, "2026-10-09 10:00", TQK_CLOSED_BEFORE_PERIOD, "2026-10-10 08:30");
	tqk_calendar_free(cal);
}

static void after_the_period_never_opens_again(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = tqk_hours_default();
	tqk_period p = period("2026-11-02..2026-11-27");

	/* The last day: open to its closing time, then over. */
	expect_open(cal, &h, &p, "2026-11-27 17:29", "2026-11-27 17:30");
	expect_open(cal, &h, &p, "2026-11-27 17:29:59", "2026-11-27 17:30");
	expect_closed(cal, &h, &p, "2026-11-27 08:00", TQK_CLOSED_BEFORE_HOURS, "2026-11-27 08:30");
	expect_closed(cal, &h, &p, "2026-11-27 17:30", TQK_CLOSED_AFTER_HOURS, "none");
	/* Any later day, a working Monday included. */
	expect_closed(cal, &h, &p, "2026-11-28 00:00", TQK_CLOSED_AFTER_PERIOD, "none");
	expect_closed(cal, &h, &p, "2026-11-30 10:00", TQK_CLOSED_AFTER_PERIOD, "none");
	expect_closed(cal, &h, &p, "2027-03-01 10:00", TQK_CLOSED_AFTER_PERIOD, "none");
	/* Within the period, the evening before the last day. */
	expect_closed(cal, &h, &p, "2026-11-26 17:30", TQK_CLOSED_AFTER_HOURS, "2026-11-27 08:30");

	/* A period ending on a Saturday: Friday evening has no next opening. */
	p = period("2026-11-23..2026-11-28");
	expect_closed(cal, &h, &p, "2026-11-27 17:30", TQK_CLOSED_AFTER_HOURS, "none");
	expect_closed(cal, &h, &p, "2026-11-28 10:00", TQK_CLOSED_WEEKEND, "none");
	/* A period ending within a holiday. */
	p = period("2026-09-21..2026-10-05");
	expect_closed(cal, &h, &p, "2026-09-30 17:30", TQK_CLOSED_AFTER_HOURS, "none");
	expect_closed(cal, &h, &p, "2026-10-02 10:00", TQK_CLOSED_HOLIDAY, "none");
	tqk_calendar_free(cal);
}

static void period_of_one_day(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = tqk_hours_default();
	tqk_period p = period("2026-11-27..2026-11-27");
	assert_true(p.set);
	assert_int_equal(p.first, p.last);
	expect_closed(cal, &h, &p, "2026-11-26 12:00", TQK_CLOSED_BEFORE_PERIOD, "2026-11-27 08:30");
	expect_closed(cal, &h, &p, "2026-11-27 08:29:59", TQK_CLOSED_BEFORE_HOURS,
	              "2026-11-27 08:30");
	expect_open(cal, &h, &p, "2026-11-27 08:30", "2026-11-27 17:30");
	expect_open(cal, &h, &p, "2026-11-27 17:29:59", "2026-11-27 17:30");
	expect_closed(cal, &h, &p, "2026-11-27 17:30", TQK_CLOSED_AFTER_HOURS, "none");
	expect_closed(cal, &h, &p, "2026-11-28 12:00", TQK_CLOSED_AFTER_PERIOD, "none");

	/* One day that is no working day: never opens. */
	p = period("2026-11-28..2026-11-28");
	expect_closed(cal, &h, &p, "2026-11-27 12:00", TQK_CLOSED_BEFORE_PERIOD, "none");
	expect_closed(cal, &h, &p, "2026-11-28 12:00", TQK_CLOSED_WEEKEND, "none");
	tqk_calendar_free(cal);
}

static void unset_period_is_no_limit(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = tqk_hours_default();
	/* Days left over in an unset period mean nothing, even first > last. */
	tqk_period p = {false, test_day("2026-12-01"), test_day("2026-01-01")};
	expect_open(cal, &h, &p, "2026-11-27 10:00", "2026-11-27 17:30");
	expect_closed(cal, &h, &p, "2026-11-27 17:30", TQK_CLOSED_AFTER_HOURS, "2026-11-30 08:30");
	expect_open(cal, &h, &p, "2030-06-03 10:00", "2030-06-03 17:30");
	tqk_calendar_free(cal);
}

/* ---- hours ---- */

static void custom_hours_are_kept(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	tqk_hours h = hours("09:00-17:00");
	assert_int_equal(h.open, 9 * 3600);
	assert_int_equal(h.close, 17 * 3600);
	expect_closed(cal, &h, NULL, "2026-11-27 08:59:59", TQK_CLOSED_BEFORE_HOURS,
	              "2026-11-27 09:00");
	expect_open(cal, &h, NULL, "2026-11-27 09:00", "2026-11-27 17:00");
	expect_open(cal, &h, NULL, "2026-11-27 16:59:59", "2026-11-27 17:00");
	expect_closed(cal, &h, NULL, "2026-11-27 17:00", TQK_CLOSED_AFTER_HOURS, "2026-11-30 09:00");
	expect_closed(cal, &h, NULL, "2026-10-01 12:00", TQK_CLOSED_HOLIDAY, "2026-10-08 09:00");

	/* All day: open from midnight to midnight, closing at the next midnight. */
	h = hours("00:00-24:00");
	assert_int_equal(h.open, 0);
	assert_int_equal(h.close, 86400);
	expect_open(cal, &h, NULL, "2026-11-27 00:00", "2026-11-28 00:00");
	expect_open(cal, &h, NULL, "2026-11-27 23:59:59", "2026-11-28 00:00");
	expect_closed(cal, &h, NULL, "2026-11-28 00:00", TQK_CLOSED_WEEKEND, "2026-11-30 00:00");

	/* A period ends at its last day's closing time under these hours too. */
	tqk_period p = period("2026-11-23..2026-11-27");
	h = hours("09:00-17:00");
	expect_closed(cal, &h, &p, "2026-11-27 17:00", TQK_CLOSED_AFTER_HOURS, "none");
	tqk_calendar_free(cal);
}

static void hours_parse_rejects_bad_hours(void **state)
{
	(void)state;
	tqk_hours h = tqk_hours_default();
	assert_int_equal(h.open, TQK_OPEN_DEFAULT);
	assert_int_equal(h.close, TQK_CLOSE_DEFAULT);
	assert_int_equal(TQK_OPEN_DEFAULT, 8 * 3600 + 30 * 60);
	assert_int_equal(TQK_CLOSE_DEFAULT, 17 * 3600 + 30 * 60);
	h = hours("08:30-17:30");
	assert_int_equal(h.open, TQK_OPEN_DEFAULT);
	assert_int_equal(h.close, TQK_CLOSE_DEFAULT);
	h = hours("23:59-24:00");
	assert_int_equal(h.close - h.open, 60);

	/* Opening not before closing. */
	static const char *const inverted[] = {
		"17:30-08:30", "08:30-08:30", "24:00-24:00", "12:01-12:00",
	};
	for (size_t i = 0; i < sizeof inverted / sizeof inverted[0]; i++) {
		tqk_hours out = {1, 2};
		if (tqk_hours_parse(inverted[i], strlen(inverted[i]), &out) != TQK_E_HOURS)
			fail_msg("\"%s\" is not TQK_E_HOURS", inverted[i]);
	}
	/* Not HH:MM-HH:MM with valid clock times. */
	static const char *const malformed[] = {
		"08:30-24:01", "08:30-25:00", "08:60-17:30", "8:30-17:30", "08:30-17:3",
		"08:30 17:30", "08:30~17:30", "08:30-17:30 ", " 08:30-17:30", "0830-1730",
		"08.30-17.30", "08:30", "", "08:30--17:30", "ab:cd-ef:gh",
	};
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		tqk_hours out = {1, 2};
		if (tqk_hours_parse(malformed[i], strlen(malformed[i]), &out) != TQK_E_TIME_FORMAT)
			fail_msg("\"%s\" is not TQK_E_TIME_FORMAT", malformed[i]);
	}

	/* The check itself: 0 <= open < close <= 24:00. */
	assert_int_equal(tqk_hours_check(&(tqk_hours){0, 86400}), TQK_OK);
	assert_int_equal(tqk_hours_check(&(tqk_hours){86399, 86400}), TQK_OK);
	assert_int_equal(tqk_hours_check(&(tqk_hours){-1, 3600}), TQK_E_HOURS);
	assert_int_equal(tqk_hours_check(&(tqk_hours){0, 86401}), TQK_E_HOURS);
	assert_int_equal(tqk_hours_check(&(tqk_hours){3600, 3600}), TQK_E_HOURS);
	assert_int_equal(tqk_hours_check(&(tqk_hours){7200, 3600}), TQK_E_HOURS);
}

/* ---- periods ---- */

static void period_parse_takes_first_and_last_day(void **state)
{
	(void)state;
	tqk_period p = period("2026-11-02..2026-11-27");
	assert_true(p.set);
	assert_int_equal(p.first, test_day("2026-11-02"));
	assert_int_equal(p.last, test_day("2026-11-27"));
	/* Across a year, and longer than any holiday range. */
	p = period("2026-12-01..2027-06-30");
	assert_int_equal(p.first, test_day("2026-12-01"));
	assert_int_equal(p.last, test_day("2027-06-30"));

	static const struct {
		const char *s;
		tqk_err err;
	} bad[] = {
		{"2026-11-27..2026-11-02", TQK_E_PERIOD},
		{"2027-01-01..2026-12-31", TQK_E_PERIOD},
		{"2026-11-02-2026-11-27", TQK_E_DATE_FORMAT},
		{"2026-11-02...2026-11-27", TQK_E_DATE_FORMAT},
		{"2026-11-02..2026-11-2", TQK_E_DATE_FORMAT},
		{"2026-11-02..", TQK_E_DATE_FORMAT},
		{"2026-11-02", TQK_E_DATE_FORMAT},
		{"2026-11-02 .. 2026-11-27", TQK_E_DATE_FORMAT},
		{"2026/11/02..2026/11/27", TQK_E_DATE_FORMAT},
		{"2026-11-02..2026-11-27 ", TQK_E_DATE_FORMAT},
		{"", TQK_E_DATE_FORMAT},
		{"2026-02-30..2026-03-01", TQK_E_DATE_INVALID},
		{"2026-11-02..2026-11-31", TQK_E_DATE_INVALID},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_period out = {false, 0, 0};
		tqk_err err = tqk_period_parse(bad[i].s, strlen(bad[i].s), &out);
		if (err != bad[i].err)
			fail_msg("\"%s\": %s, want %s", bad[i].s, tqk_err_code(err),
			         tqk_err_code(bad[i].err));
	}
}

static void window_rejects_inconsistent_hours_and_period(void **state)
{
	(void)state;
	tqk_window w;
	tqk_time t = test_at("2026-11-27 10:00");
	tqk_hours h = tqk_hours_default();
	static const tqk_hours bad_hours[] = {
		{30600, 30600}, {63000, 30600}, {-1, 63000}, {30600, 86401},
	};
	for (size_t i = 0; i < sizeof bad_hours / sizeof bad_hours[0]; i++)
		assert_int_equal(tqk_window_at(NULL, &bad_hours[i], NULL, t, &w), TQK_E_HOURS);

	tqk_period p = {true, test_day("2026-11-27"), test_day("2026-11-26")};
	assert_int_equal(tqk_window_at(NULL, &h, &p, t, &w), TQK_E_PERIOD);
	/* The same days are fine in the right order. */
	p = (tqk_period){true, test_day("2026-11-26"), test_day("2026-11-27")};
	assert_int_equal(tqk_window_at(NULL, &h, &p, t, &w), TQK_OK);
	assert_true(w.open);
}

static void period_ends_at_closing_time_on_its_last_day(void **state)
{
	(void)state;
	char buf[TQK_MINUTE_BUFLEN];
	tqk_hours h = tqk_hours_default();
	tqk_period p = period("2026-11-02..2026-11-27");
	assert_string_equal(show(tqk_period_end(&p, &h), buf), "2026-11-27 17:30");
	assert_int_equal(tqk_period_end(&p, &h), test_at("2026-11-27 17:30:00"));
	h = hours("09:00-17:00");
	assert_string_equal(show(tqk_period_end(&p, &h), buf), "2026-11-27 17:00");
	h = hours("00:00-24:00");
	assert_string_equal(show(tqk_period_end(&p, &h), buf), "2026-11-28 00:00");
	/* The last day counts even when it is no working day. */
	p = period("2026-11-23..2026-11-28");
	h = tqk_hours_default();
	assert_string_equal(show(tqk_period_end(&p, &h), buf), "2026-11-28 17:30");

	/* No period, no end. */
	p = (tqk_period){false, test_day("2026-11-02"), test_day("2026-11-27")};
	assert_true(tqk_period_end(&p, &h) == TQK_TIME_NONE);
	assert_true(tqk_period_end(NULL, &h) == TQK_TIME_NONE);
}

/* ---- reasons ---- */

static void every_reason_has_a_code_and_a_text_in_both_languages(void **state)
{
	(void)state;
	static const struct {
		tqk_closed_reason r;
		const char *code;
	} reasons[] = {
		{TQK_OPEN, "open"},
		{TQK_CLOSED_WEEKEND, "weekend"},
		{TQK_CLOSED_HOLIDAY, "holiday"},
		{TQK_CLOSED_BEFORE_HOURS, "before_hours"},
		{TQK_CLOSED_AFTER_HOURS, "after_hours"},
		{TQK_CLOSED_BEFORE_PERIOD, "before_period"},
		{TQK_CLOSED_AFTER_PERIOD, "after_period"},
	};
	size_t n = sizeof reasons / sizeof reasons[0];
	assert_int_equal(n, TQK_CLOSED_AFTER_PERIOD + 1);
	for (size_t i = 0; i < n; i++) {
		const char *code = tqk_closed_code(reasons[i].r);
		assert_non_null(code);
		assert_string_equal(code, reasons[i].code);
		const char *zh = tqk_closed_text(reasons[i].r, TQK_LANG_ZH);
		const char *en = tqk_closed_text(reasons[i].r, TQK_LANG_EN);
		assert_non_null(zh);
		assert_non_null(en);
		assert_true(zh[0] != '\0');
		assert_true(en[0] != '\0');
		assert_string_not_equal(zh, en);
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(code, tqk_closed_code(reasons[j].r));
			assert_string_not_equal(zh, tqk_closed_text(reasons[j].r, TQK_LANG_ZH));
			assert_string_not_equal(en, tqk_closed_text(reasons[j].r, TQK_LANG_EN));
		}
	}
	/* The Chinese text is Chinese: it holds bytes beyond ASCII. */
	const char *zh = tqk_closed_text(TQK_CLOSED_HOLIDAY, TQK_LANG_ZH);
	bool non_ascii = false;
	for (const char *c = zh; *c != '\0'; c++)
		non_ascii |= (unsigned char)*c >= 0x80;
	assert_true(non_ascii);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_from_0830_to_1730_on_a_working_day),
		cmocka_unit_test(closing_instant_is_closed_until_the_next_working_day),
		cmocka_unit_test(before_opening_time_opens_the_same_day),
		cmocka_unit_test(weekend_is_closed_until_monday),
		cmocka_unit_test(holiday_is_closed_with_its_name_until_after_the_holiday),
		cmocka_unit_test(unnamed_holiday_has_an_empty_name),
		cmocka_unit_test(make_up_saturday_is_open),
		cmocka_unit_test(null_calendar_means_monday_to_friday),
		cmocka_unit_test(before_the_period_opens_on_its_first_working_day),
		cmocka_unit_test(after_the_period_never_opens_again),
		cmocka_unit_test(period_of_one_day),
		cmocka_unit_test(unset_period_is_no_limit),
		cmocka_unit_test(custom_hours_are_kept),
		cmocka_unit_test(hours_parse_rejects_bad_hours),
		cmocka_unit_test(period_parse_takes_first_and_last_day),
		cmocka_unit_test(window_rejects_inconsistent_hours_and_period),
		cmocka_unit_test(period_ends_at_closing_time_on_its_last_day),
		cmocka_unit_test(every_reason_has_a_code_and_a_text_in_both_languages),
	};
	return cmocka_run_group_tests_name("window", tests, NULL, NULL);
}
