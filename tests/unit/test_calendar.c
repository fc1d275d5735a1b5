/*
 * test_calendar.c - the text format of holiday calendars (calendar.h): the
 * header, comments, blank lines and CRLF, holiday and workday lines with their
 * names, every error with the line it names and every cap, the lookups
 * (kind, name, working day, covered years, size) - and the shipped
 * assets/calendar/cn.cal checked day by day against the State Council's
 * notices for 2024, 2025 and 2026. The shipped file is found through
 * TQK_ASSETS, the assets directory (make check sets it).
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/calendar.h"
#include "core/date.h"
#include "support/assets.h"

/* *out is set to this before a parse that must fail, to see it reset. */
static char not_a_calendar;

/* Parses len bytes of text that must be a valid calendar. */
static tqk_calendar *parse_ok_n(const char *text, size_t len)
{
	tqk_calendar *cal = NULL;
	int line = -1;
	tqk_err err = tqk_calendar_parse(text, len, &cal, &line);
	if (err != TQK_OK)
		fail_msg("rejected with %s at line %d:\n%.*s", tqk_err_code(err), line,
		         (int)(len < 400 ? len : 400), text);
	assert_non_null(cal);
	assert_int_equal(line, 0);
	return cal;
}

/* Parses a string literal that must be a valid calendar. */
static tqk_calendar *parse_ok(const char *text)
{
	return parse_ok_n(text, strlen(text));
}

/* Parses len bytes that must fail with want at want_line, leaving *out NULL. */
static void parse_fails_n(const char *text, size_t len, tqk_err want, int want_line)
{
	tqk_calendar *cal = (tqk_calendar *)(void *)&not_a_calendar;
	int line = -1;
	tqk_err err = tqk_calendar_parse(text, len, &cal, &line);
	if (err == TQK_OK)
		tqk_calendar_free(cal);
	if (err != want || line != want_line)
		fail_msg("got %s at line %d, want %s at line %d:\n%.*s", tqk_err_code(err), line,
		         tqk_err_code(want), want_line, (int)(len < 400 ? len : 400),
		         text != NULL ? text : "");
	if (cal != NULL)
		fail_msg("*out is not NULL after %s", tqk_err_code(err));
}

static void parse_fails(const char *text, tqk_err want, int want_line)
{
	parse_fails_n(text, strlen(text), want, want_line);
}

/* Asserts the listed kind and name of day s. */
static void expect_listed(const tqk_calendar *cal, const char *s, tqk_day_kind kind,
                          const char *name)
{
	const char *got = NULL;
	tqk_day_kind k = tqk_calendar_lookup(cal, test_day(s), &got);
	if (k != kind)
		fail_msg("%s: kind %d, want %d", s, (int)k, (int)kind);
	if (kind == TQK_DAY_REGULAR)
		return;
	if (got == NULL || strcmp(got, name) != 0)
		fail_msg("%s: name \"%s\", want \"%s\"", s, got != NULL ? got : "(null)", name);
}

/* ---- the header ---- */

static void header_is_the_first_meaningful_line(void **state)
{
	(void)state;
	tqk_calendar *cal = parse_ok("tqk-calendar 1\n");
	assert_int_equal(tqk_calendar_size(cal), 0);
	tqk_calendar_free(cal);
	/* Without a final newline, after blank and comment lines, with outer
	 * blanks and a comment of its own. */
	tqk_calendar_free(parse_ok("tqk-calendar 1"));
	tqk_calendar_free(parse_ok("\n# the calendar\n\n  \t\n\ttqk-calendar 1  # v1\nyear 2026\n"));
}

static void header_is_required(void **state)
{
	(void)state;
	/* No header at all: the whole text is at fault (line 0). */
	parse_fails_n(NULL, 0, TQK_E_CAL_HEADER, 0);
	parse_fails("", TQK_E_CAL_HEADER, 0);
	parse_fails("\n\n   \n", TQK_E_CAL_HEADER, 0);
	parse_fails("# only a comment\n# and another\n", TQK_E_CAL_HEADER, 0);
	/* Another first line: that line is at fault. */
	parse_fails("tqk-calendar 2\n", TQK_E_CAL_HEADER, 1);
	parse_fails("tqk-calendar\n", TQK_E_CAL_HEADER, 1);
	parse_fails("tqk-calendar 1 extra\n", TQK_E_CAL_HEADER, 1);
	parse_fails("tqk-calendar  1\n", TQK_E_CAL_HEADER, 1);
	parse_fails("tqk-calendar 10\n", TQK_E_CAL_HEADER, 1);
	parse_fails("TQK-CALENDAR 1\n", TQK_E_CAL_HEADER, 1);
	parse_fails("# header below\n\nyear 2026\ntqk-calendar 1\n", TQK_E_CAL_HEADER, 3);
	parse_fails("\nholiday 2026-10-01 国庆节\n", TQK_E_CAL_HEADER, 2);
	/* Only the first such line is the header; a second one is no keyword. */
	parse_fails("tqk-calendar 1\ntqk-calendar 1\n", TQK_E_CAL_SYNTAX, 2);
}

/* ---- comments, blank lines, CRLF ---- */

static void comments_blank_lines_and_crlf_are_allowed(void **state)
{
	(void)state;
	const char *text =
		"# heading comment\r\n"
		"tqk-calendar 1\r\n"
		"\r\n"
		"   # indented comment\r\n"
		"year 2026   # trailing comment\r\n"
		"\t\r\n"
		"holiday 2026-10-01..2026-10-03 国庆节 # comment after the name\r\n"
		"workday\t2026-10-10\t国庆节调休\r\n"
		"holiday 2026-11-02#no blank before the comment\r\n"
		"holiday 2026-11-03 Two Words\r\n";
	tqk_calendar *cal = parse_ok(text);
	assert_int_equal(tqk_calendar_size(cal), 6);
	assert_true(tqk_calendar_covers(cal, 2026));
	expect_listed(cal, "2026-10-01", TQK_DAY_HOLIDAY, "国庆节");
	expect_listed(cal, "2026-10-03", TQK_DAY_HOLIDAY, "国庆节");
	expect_listed(cal, "2026-10-10", TQK_DAY_WORKDAY, "国庆节调休");
	expect_listed(cal, "2026-11-02", TQK_DAY_HOLIDAY, "");
	/* A name is the rest of the line, inner blanks kept, CR dropped. */
	expect_listed(cal, "2026-11-03", TQK_DAY_HOLIDAY, "Two Words");
	tqk_calendar_free(cal);

	/* Line numbers count blank, comment and CRLF lines alike. */
	parse_fails("tqk-calendar 1\r\n\r\n# x\r\nholiday 2026-02-30\r\n", TQK_E_DATE_INVALID, 4);
}

/* ---- holidays ---- */

static void holiday_is_a_day_or_a_range(void **state)
{
	(void)state;
	tqk_calendar *cal = parse_ok(
		"tqk-calendar 1\n"
		"holiday 2026-06-19 端午节\n"
		"holiday 2026-02-15..2026-02-23 春节\n"
		"holiday 2026-12-31..2026-12-31\n");
	assert_int_equal(tqk_calendar_size(cal), 1 + 9 + 1);
	expect_listed(cal, "2026-06-19", TQK_DAY_HOLIDAY, "端午节");
	expect_listed(cal, "2026-06-18", TQK_DAY_REGULAR, NULL);
	expect_listed(cal, "2026-06-20", TQK_DAY_REGULAR, NULL);
	for (tqk_day d = test_day("2026-02-15"); d <= test_day("2026-02-23"); d++) {
		const char *name = NULL;
		assert_int_equal(tqk_calendar_lookup(cal, d, &name), TQK_DAY_HOLIDAY);
		assert_string_equal(name, "春节");
	}
	expect_listed(cal, "2026-02-14", TQK_DAY_REGULAR, NULL);
	expect_listed(cal, "2026-02-24", TQK_DAY_REGULAR, NULL);
	expect_listed(cal, "2026-12-31", TQK_DAY_HOLIDAY, "");
	expect_listed(cal, "2027-01-01", TQK_DAY_REGULAR, NULL);
	tqk_calendar_free(cal);
}

static void range_is_at_most_31_days(void **state)
{
	(void)state;
	/* 31 days, across a month and a year boundary. */
	tqk_calendar *cal = parse_ok("tqk-calendar 1\nholiday 2026-12-15..2027-01-14 long\n");
	assert_int_equal(tqk_calendar_size(cal), 31);
	expect_listed(cal, "2026-12-15", TQK_DAY_HOLIDAY, "long");
	expect_listed(cal, "2027-01-14", TQK_DAY_HOLIDAY, "long");
	expect_listed(cal, "2027-01-15", TQK_DAY_REGULAR, NULL);
	tqk_calendar_free(cal);
	cal = parse_ok("tqk-calendar 1\nholiday 2026-01-01..2026-01-31\n");
	assert_int_equal(tqk_calendar_size(cal), 31);
	tqk_calendar_free(cal);

	/* 32 days. */
	parse_fails("tqk-calendar 1\n\nholiday 2026-12-15..2027-01-15\n", TQK_E_CAL_RANGE, 3);
	parse_fails("tqk-calendar 1\nholiday 2026-01-01..2026-02-01\n", TQK_E_CAL_RANGE, 2);
	/* Far more, even a whole year: still a range error, nothing listed. */
	parse_fails("tqk-calendar 1\nholiday 2026-01-01..2026-12-31\n", TQK_E_CAL_RANGE, 2);
	/* The end before the start. */
	parse_fails("tqk-calendar 1\nyear 2026\nholiday 2026-10-07..2026-10-01\n", TQK_E_CAL_RANGE, 3);
	parse_fails("tqk-calendar 1\nholiday 2027-01-01..2026-12-31\n", TQK_E_CAL_RANGE, 2);
}

/* ---- make-up working days ---- */

static void workday_must_fall_on_saturday_or_sunday(void **state)
{
	(void)state;
	tqk_calendar *cal = parse_ok(
		"tqk-calendar 1\n"
		"workday 2026-10-10 国庆节调休\n"            /* Saturday */
		"workday 2026-09-20 国庆节调休\n"            /* Sunday */
		"workday 2026-11-28..2026-11-29\n");        /* Saturday and Sunday */
	assert_int_equal(tqk_calendar_size(cal), 4);
	expect_listed(cal, "2026-10-10", TQK_DAY_WORKDAY, "国庆节调休");
	expect_listed(cal, "2026-09-20", TQK_DAY_WORKDAY, "国庆节调休");
	expect_listed(cal, "2026-11-28", TQK_DAY_WORKDAY, "");
	expect_listed(cal, "2026-11-29", TQK_DAY_WORKDAY, "");
	tqk_calendar_free(cal);

	/* Monday ... Friday. */
	static const char *const weekdays[] = {
		"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27",
	};
	for (size_t i = 0; i < sizeof weekdays / sizeof weekdays[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "tqk-calendar 1\n# x\nworkday %s\n", weekdays[i]);
		parse_fails(text, TQK_E_CAL_WORKDAY, 3);
	}
	/* A range that reaches a weekday: Friday..Saturday, Sunday..Monday. */
	parse_fails("tqk-calendar 1\nworkday 2026-11-27..2026-11-28\n", TQK_E_CAL_WORKDAY, 2);
	parse_fails("tqk-calendar 1\nworkday 2026-11-29..2026-11-30\n", TQK_E_CAL_WORKDAY, 2);
	/* A holiday may fall on any day, weekends included. */
	cal = parse_ok("tqk-calendar 1\nholiday 2026-11-23..2026-11-29\n");
	assert_int_equal(tqk_calendar_size(cal), 7);
	tqk_calendar_free(cal);
}

/* ---- no day listed twice ---- */

static void day_listed_twice_is_a_duplicate_at_the_later_line(void **state)
{
	(void)state;
	/* A holiday twice. */
	parse_fails("tqk-calendar 1\nholiday 2026-10-01 A\n# x\n\nholiday 2026-10-01 B\n",
	            TQK_E_CAL_DUPLICATE, 5);
	/* A holiday, then the same day as a make-up day, and the other way round. */
	parse_fails("tqk-calendar 1\nholiday 2026-10-10\nworkday 2026-10-10\n",
	            TQK_E_CAL_DUPLICATE, 3);
	parse_fails("tqk-calendar 1\nworkday 2026-10-10\n\nholiday 2026-10-08..2026-10-12\n",
	            TQK_E_CAL_DUPLICATE, 4);
	/* Overlapping ranges, the later line holding the earlier days. */
	parse_fails("tqk-calendar 1\nholiday 2026-10-05..2026-10-09\nholiday 2026-10-01..2026-10-05\n",
	            TQK_E_CAL_DUPLICATE, 3);
	parse_fails("tqk-calendar 1\nholiday 2026-10-01..2026-10-05\nholiday 2026-10-03..2026-10-09\n",
	            TQK_E_CAL_DUPLICATE, 3);
	/* A range around a day listed alone much earlier. */
	parse_fails("tqk-calendar 1\nholiday 2026-10-04\nholiday 2026-05-01\nholiday 2026-06-19\n"
	            "holiday 2026-10-01..2026-10-07\n",
	            TQK_E_CAL_DUPLICATE, 5);
	/* The same day written in a range of one. */
	parse_fails("tqk-calendar 1\nholiday 2026-10-04..2026-10-04\nholiday 2026-10-04\n",
	            TQK_E_CAL_DUPLICATE, 3);

	/* Two days listed twice: the first repeating line in the file is named. */
	parse_fails("tqk-calendar 1\nholiday 2026-10-05\nholiday 2026-10-01\n"
	            "holiday 2026-10-01\nholiday 2026-10-05\n",
	            TQK_E_CAL_DUPLICATE, 4);
	/* A duplicate before a line that stops the parse is the first error... */
	parse_fails("tqk-calendar 1\nholiday 2026-10-01\nholiday 2026-10-01\nbogus\n",
	            TQK_E_CAL_DUPLICATE, 3);
	/* ...and one after it is never reached. */
	parse_fails("tqk-calendar 1\nholiday 2026-10-01\nbogus\nholiday 2026-10-01\n",
	            TQK_E_CAL_SYNTAX, 3);

	/* Ranges that touch without overlapping are fine. */
	tqk_calendar *cal = parse_ok(
		"tqk-calendar 1\nholiday 2026-10-01..2026-10-05\nholiday 2026-10-06..2026-10-07\n"
		"workday 2026-10-10\n");
	assert_int_equal(tqk_calendar_size(cal), 8);
	tqk_calendar_free(cal);
}

/* ---- dates ---- */

static void bad_dates_are_reported_at_their_line(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		tqk_err err;
	} cases[] = {
		{"holiday 2026-02-29", TQK_E_DATE_INVALID},
		{"holiday 2026-13-01", TQK_E_DATE_INVALID},
		{"holiday 2026-04-31 x", TQK_E_DATE_INVALID},
		{"holiday 2026-00-10", TQK_E_DATE_INVALID},
		{"holiday 0000-01-01", TQK_E_DATE_INVALID},
		{"holiday 2026-10-01..2026-10-32", TQK_E_DATE_INVALID},
		{"holiday 2026-02-30..2026-03-01", TQK_E_DATE_INVALID},
		{"workday 2026-02-29", TQK_E_DATE_INVALID},
		{"holiday 2026-1-01", TQK_E_DATE_FORMAT},
		{"holiday 2026/10/01", TQK_E_DATE_FORMAT},
		{"holiday 26-10-01", TQK_E_DATE_FORMAT},
		{"holiday 2026-10-0a", TQK_E_DATE_FORMAT},
		{"holiday 2026-10-01国庆节", TQK_E_DATE_FORMAT},
		{"holiday 2026-10-01..", TQK_E_DATE_FORMAT},
		{"holiday 2026-10-01...2026-10-03", TQK_E_DATE_FORMAT},
		{"holiday 2026-10-01-2026-10-03", TQK_E_DATE_FORMAT},
		{"holiday 2026-10-01..2026-10-3", TQK_E_DATE_FORMAT},
		{"holiday 2026-10-01~~2026-10-03", TQK_E_DATE_FORMAT},
		{"holiday 2026-10-01..2026-13-01x", TQK_E_DATE_FORMAT},
		{"workday 2026.10.10", TQK_E_DATE_FORMAT},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[256];
		snprintf(text, sizeof text,
		         "tqk-calendar 1\n# dates\nyear 2026\n\nholiday 2026-06-19\n%s\nholiday 2026-06-20\n",
		         cases[i].line);
		parse_fails(text, cases[i].err, 6);
	}
	/* A holiday or workday line without any date is no date. */
	tqk_calendar *cal = (tqk_calendar *)(void *)&not_a_calendar;
	const char *no_date = "tqk-calendar 1\nholiday\n";
	assert_int_not_equal(tqk_calendar_parse(no_date, strlen(no_date), &cal, NULL), TQK_OK);
	assert_null(cal);
}

/* ---- keywords and years ---- */

static void unknown_keyword_is_a_syntax_error(void **state)
{
	(void)state;
	parse_fails("tqk-calendar 1\nholidays 2026-10-01\n", TQK_E_CAL_SYNTAX, 2);
	parse_fails("tqk-calendar 1\n\nHoliday 2026-10-01\n", TQK_E_CAL_SYNTAX, 3);
	parse_fails("tqk-calendar 1\nvacation 2026-10-01\n", TQK_E_CAL_SYNTAX, 2);
	parse_fails("tqk-calendar 1\nyear 2026\n2026-10-01 holiday\n", TQK_E_CAL_SYNTAX, 3);
	parse_fails("tqk-calendar 1\nyears 2026\n", TQK_E_CAL_SYNTAX, 2);
}

static void year_line_is_year_and_four_digits(void **state)
{
	(void)state;
	tqk_calendar *cal = parse_ok("tqk-calendar 1\nyear 2026\nyear\t2025  # both\nyear 0001\n");
	assert_true(tqk_calendar_covers(cal, 2026));
	assert_true(tqk_calendar_covers(cal, 2025));
	assert_true(tqk_calendar_covers(cal, 1));
	assert_false(tqk_calendar_covers(cal, 2024));
	assert_false(tqk_calendar_covers(cal, 2027));
	assert_int_equal(tqk_calendar_size(cal), 0);
	tqk_calendar_free(cal);

	static const char *const bad[] = {
		"year 2026 junk", "year 2026 2027", "year 26", "year 20260", "year 2o26",
		"year", "year -2026", "year +026", "year 2026-01-01", "year 0000", "year ２０２６",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "tqk-calendar 1\nyear 2025\n%s\n", bad[i]);
		parse_fails(text, TQK_E_CAL_SYNTAX, 3);
	}
	/* Declared twice. */
	parse_fails("tqk-calendar 1\nyear 2026\nyear 2025\n\nyear 2026\n", TQK_E_CAL_DUPLICATE, 5);
}

static void covered_years_are_only_the_declared_ones(void **state)
{
	(void)state;
	/* Listing days of a year does not declare it complete. */
	tqk_calendar *cal = parse_ok("tqk-calendar 1\nyear 2025\nholiday 2026-10-01..2026-10-07\n");
	assert_true(tqk_calendar_covers(cal, 2025));
	assert_false(tqk_calendar_covers(cal, 2026));
	tqk_calendar_free(cal);
	assert_false(tqk_calendar_covers(NULL, 2026));
}

/* ---- names ---- */

static void name_is_at_most_64_bytes(void **state)
{
	(void)state;
	char name[80], text[160];

	/* 64 bytes of ASCII. */
	memset(name, 'n', 64);
	name[64] = '\0';
	snprintf(text, sizeof text, "tqk-calendar 1\nholiday 2026-10-01 %s\n", name);
	tqk_calendar *cal = parse_ok(text);
	expect_listed(cal, "2026-10-01", TQK_DAY_HOLIDAY, name);
	tqk_calendar_free(cal);
	/* 65 bytes. */
	memset(name, 'n', 65);
	name[65] = '\0';
	snprintf(text, sizeof text, "tqk-calendar 1\n\nworkday 2026-10-10 %s\n", name);
	parse_fails(text, TQK_E_TOO_LONG, 3);

	/* Bytes, not characters: 21 Chinese characters (63 bytes) and one more
	 * byte is 64; 22 characters (66 bytes) is too long. */
	name[0] = '\0';
	for (int i = 0; i < 21; i++)
		strcat(name, "节");
	strcat(name, "x");
	assert_int_equal(strlen(name), 64);
	snprintf(text, sizeof text, "tqk-calendar 1\nworkday 2026-10-10 %s\n", name);
	cal = parse_ok(text);
	expect_listed(cal, "2026-10-10", TQK_DAY_WORKDAY, name);
	tqk_calendar_free(cal);
	name[63] = '\0';
	strcat(name, "节");
	assert_int_equal(strlen(name), 66);
	snprintf(text, sizeof text, "tqk-calendar 1\nholiday 2026-10-01..2026-10-07 %s\n", name);
	parse_fails(text, TQK_E_TOO_LONG, 2);

	/* Trailing blanks and comments are not part of the name. */
	memset(name, 'n', 64);
	name[64] = '\0';
	snprintf(text, sizeof text, "tqk-calendar 1\nholiday 2026-10-01 %s   \t# note\n", name);
	cal = parse_ok(text);
	expect_listed(cal, "2026-10-01", TQK_DAY_HOLIDAY, name);
	tqk_calendar_free(cal);
}

static void invalid_utf8_is_rejected(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"\xff",                 /* never valid */
		"国\xe5\xba",          /* truncated sequence */
		"\xc0\xaf",             /* overlong '/' */
		"\xed\xa0\x80",         /* surrogate U+D800 */
		"\xf4\x90\x80\x80",     /* above U+10FFFF */
		"\x80",                 /* lone continuation byte */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "tqk-calendar 1\nyear 2026\nholiday 2026-10-01 %s\n", bad[i]);
		parse_fails(text, TQK_E_UTF8, 3);
	}
	parse_fails("tqk-calendar 1\n\xfe\xfe 2026-10-01\n", TQK_E_UTF8, 2);
	/* The whole file is UTF-8, comments included. */
	parse_fails("tqk-calendar 1\nholiday 2026-10-01 # caf\xe9\n", TQK_E_UTF8, 2);
	parse_fails("# \xb9\xfa\xc7\xec (GBK)\ntqk-calendar 1\n", TQK_E_UTF8, 1);
	/* Four-byte characters are valid UTF-8. */
	tqk_calendar *cal = parse_ok("tqk-calendar 1\nholiday 2026-10-01 \xf0\x9f\x8e\x89\n");
	expect_listed(cal, "2026-10-01", TQK_DAY_HOLIDAY, "\xf0\x9f\x8e\x89");
	tqk_calendar_free(cal);
}

/* ---- caps ---- */

static void line_is_at_most_256_bytes(void **state)
{
	(void)state;
	char text[512];
	const char *head = "tqk-calendar 1\n";
	size_t h = strlen(head);

	/* A comment line of exactly 256 bytes, then a holiday. */
	memcpy(text, head, h);
	text[h] = '#';
	memset(text + h + 1, 'c', 255);
	strcpy(text + h + 256, "\nholiday 2026-10-01\n");
	tqk_calendar *cal = parse_ok(text);
	assert_int_equal(tqk_calendar_size(cal), 1);
	tqk_calendar_free(cal);

	/* The same with CRLF: the CR belongs to the line ending, not the line. */
	strcpy(text + h + 256, "\r\nholiday 2026-10-01\r\n");
	cal = parse_ok(text);
	assert_int_equal(tqk_calendar_size(cal), 1);
	tqk_calendar_free(cal);

	/* 256 bytes as the last line, without a newline. */
	text[h + 256] = '\0';
	tqk_calendar_free(parse_ok(text));

	/* 257 bytes, even of comment or blanks. */
	memset(text + h + 1, 'c', 256);
	strcpy(text + h + 257, "\nholiday 2026-10-01\n");
	parse_fails(text, TQK_E_TOO_LONG, 2);
	memset(text + h, ' ', 257);
	parse_fails(text, TQK_E_TOO_LONG, 2);
	/* A holiday line whose long name makes it 257 bytes. */
	int n = snprintf(text, sizeof text, "tqk-calendar 1\nyear 2026\nholiday 2026-10-01 ");
	memset(text + n, 'n', 257 - 19);
	strcpy(text + n + 257 - 19, "\n");
	parse_fails(text, TQK_E_TOO_LONG, 3);
	/* A header line over the cap. */
	memset(text, ' ', 300);
	strcpy(text + 300, "tqk-calendar 1\n");
	parse_fails(text, TQK_E_TOO_LONG, 1);
}

static void text_is_at_most_max_bytes(void **state)
{
	(void)state;
	char *text = malloc(TQK_CAL_MAX_BYTES + 2);
	assert_non_null(text);
	const char *head = "tqk-calendar 1\nholiday 2026-10-01\n";
	size_t h = strlen(head);
	memcpy(text, head, h);
	memset(text + h, '\n', TQK_CAL_MAX_BYTES + 2 - h);

	/* Exactly the cap. */
	tqk_calendar *cal = parse_ok_n(text, TQK_CAL_MAX_BYTES);
	assert_int_equal(tqk_calendar_size(cal), 1);
	tqk_calendar_free(cal);
	/* One byte more: the whole text is at fault. */
	parse_fails_n(text, TQK_CAL_MAX_BYTES + 1, TQK_E_TOO_LONG, 0);
	free(text);
}

/* Text with the header and count listed days: 31-day holiday ranges from
 * 2000-01-01 on, one line each, no names. Returns its length. */
static size_t build_days(char *text, size_t cap, int count)
{
	size_t len = (size_t)snprintf(text, cap, "tqk-calendar 1\n");
	tqk_day d = test_day("2000-01-01");
	while (count > 0) {
		int n = count < TQK_CAL_MAX_RANGE ? count : TQK_CAL_MAX_RANGE;
		char a[TQK_DATE_BUFLEN], b[TQK_DATE_BUFLEN];
		tqk_date_format(tqk_day_to_date(d), a);
		tqk_date_format(tqk_day_to_date(d + n - 1), b);
		len += (size_t)snprintf(text + len, cap - len, "holiday %s..%s\n", a, b);
		assert_true(len < cap);
		d += n;
		count -= n;
	}
	return len;
}

static void listed_days_are_at_most_max_days(void **state)
{
	(void)state;
	size_t cap = 64 * 1024;
	char *text = malloc(cap);
	assert_non_null(text);

	size_t len = build_days(text, cap, TQK_CAL_MAX_DAYS);
	tqk_calendar *cal = parse_ok_n(text, len);
	assert_int_equal(tqk_calendar_size(cal), TQK_CAL_MAX_DAYS);
	tqk_day last = test_day("2000-01-01") + TQK_CAL_MAX_DAYS - 1;
	assert_int_equal(tqk_calendar_lookup(cal, last, NULL), TQK_DAY_HOLIDAY);
	assert_int_equal(tqk_calendar_lookup(cal, last + 1, NULL), TQK_DAY_REGULAR);
	assert_int_equal(tqk_calendar_lookup(cal, test_day("2000-01-01"), NULL), TQK_DAY_HOLIDAY);
	tqk_calendar_free(cal);

	/* One day more, on a line of its own: that line is full. */
	int lines = 1 + (TQK_CAL_MAX_DAYS + TQK_CAL_MAX_RANGE - 1) / TQK_CAL_MAX_RANGE;
	len += (size_t)snprintf(text + len, cap - len, "holiday 2030-01-01\n");
	parse_fails_n(text, len, TQK_E_CAL_FULL, lines + 1);

	/* One day more within the last range. */
	len = build_days(text, cap, TQK_CAL_MAX_DAYS + 1);
	parse_fails_n(text, len, TQK_E_CAL_FULL,
	              1 + (TQK_CAL_MAX_DAYS + 1 + TQK_CAL_MAX_RANGE - 1) / TQK_CAL_MAX_RANGE);
	free(text);
}

/* TQK_CAL_MAX_NAMES lines may each carry a name; one more is full. */
static void named_lines_are_at_most_max_names(void **state)
{
	(void)state;
	size_t cap = 64 * 1024;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t len = (size_t)snprintf(text, cap, "tqk-calendar 1\n");
	tqk_day d = test_day("2000-01-01");
	for (int i = 0; i <= TQK_CAL_MAX_NAMES; i++, d++) {
		char a[TQK_DATE_BUFLEN];
		tqk_date_format(tqk_day_to_date(d), a);
		len += (size_t)snprintf(text + len, cap - len, "holiday %s 假%d\n", a, i);
		assert_true(len < cap);
		if (i == TQK_CAL_MAX_NAMES - 1) {
			tqk_calendar *cal = parse_ok_n(text, len);
			const char *name = NULL;
			assert_int_equal(tqk_calendar_lookup(cal, d, &name), TQK_DAY_HOLIDAY);
			char want[16];
			snprintf(want, sizeof want, "假%d", i);
			assert_string_equal(name, want);
			tqk_calendar_free(cal);
		}
	}
	parse_fails_n(text, len, TQK_E_CAL_FULL, TQK_CAL_MAX_NAMES + 2);
	free(text);
}

static void declared_years_are_at_most_max_years(void **state)
{
	(void)state;
	char text[2048];
	size_t len = (size_t)snprintf(text, sizeof text, "tqk-calendar 1\n");
	for (int i = 0; i < TQK_CAL_MAX_YEARS; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "year %d\n", 2000 + i);
	tqk_calendar *cal = parse_ok_n(text, len);
	assert_true(tqk_calendar_covers(cal, 2000));
	assert_true(tqk_calendar_covers(cal, 2000 + TQK_CAL_MAX_YEARS - 1));
	assert_false(tqk_calendar_covers(cal, 2000 + TQK_CAL_MAX_YEARS));
	tqk_calendar_free(cal);
	len += (size_t)snprintf(text + len, sizeof text - len, "year %d\n", 2000 + TQK_CAL_MAX_YEARS);
	parse_fails_n(text, len, TQK_E_CAL_FULL, TQK_CAL_MAX_YEARS + 2);
}

/* ---- lookups ---- */

static void lookup_gives_kind_and_name(void **state)
{
	(void)state;
	tqk_calendar *cal = parse_ok(
		"tqk-calendar 1\n"
		"holiday 2026-10-01..2026-10-02 国庆节\n"
		"holiday 2026-10-03\n"
		"workday 2026-10-10\n"
		"workday 2026-09-20 国庆节调休\n");
	expect_listed(cal, "2026-10-01", TQK_DAY_HOLIDAY, "国庆节");
	expect_listed(cal, "2026-10-02", TQK_DAY_HOLIDAY, "国庆节");
	expect_listed(cal, "2026-10-03", TQK_DAY_HOLIDAY, "");
	expect_listed(cal, "2026-10-10", TQK_DAY_WORKDAY, "");
	expect_listed(cal, "2026-09-20", TQK_DAY_WORKDAY, "国庆节调休");
	expect_listed(cal, "2026-10-04", TQK_DAY_REGULAR, NULL);
	expect_listed(cal, "2026-09-30", TQK_DAY_REGULAR, NULL);
	/* The name pointer is optional. */
	assert_int_equal(tqk_calendar_lookup(cal, test_day("2026-10-01"), NULL), TQK_DAY_HOLIDAY);
	assert_int_equal(tqk_calendar_lookup(cal, test_day("2026-10-10"), NULL), TQK_DAY_WORKDAY);
	tqk_calendar_free(cal);

	/* A NULL calendar lists nothing. */
	assert_int_equal(tqk_calendar_lookup(NULL, test_day("2026-10-01"), NULL), TQK_DAY_REGULAR);
}

static void working_days_are_weekdays_minus_holidays_plus_make_up_days(void **state)
{
	(void)state;
	tqk_calendar *cal = parse_ok(
		"tqk-calendar 1\n"
		"holiday 2026-11-25 weekday holiday\n"      /* Wednesday */
		"holiday 2026-11-29 weekend holiday\n"      /* Sunday */
		"workday 2026-11-28 make-up\n");            /* Saturday */
	/* Monday 2026-11-23 to Sunday 2026-12-06. */
	static const bool expect[14] = {
		true, true, false, true, true, true, false,
		true, true, true, true, true, false, false,
	};
	tqk_day mon = test_day("2026-11-23");
	for (int i = 0; i < 14; i++)
		if (tqk_calendar_is_workday(cal, mon + i) != expect[i])
			fail_msg("2026-11-23 + %d: %d", i, !expect[i]);
	tqk_calendar_free(cal);
}

static void null_calendar_is_monday_to_friday(void **state)
{
	(void)state;
	tqk_day mon = test_day("2026-09-28");     /* the National Day week */
	for (int i = 0; i < 21; i++) {
		bool want = tqk_day_weekday(mon + i) <= 5;
		if (tqk_calendar_is_workday(NULL, mon + i) != want)
			fail_msg("2026-09-28 + %d", i);
	}
	assert_true(tqk_calendar_is_workday(NULL, test_day("2026-10-01")));
	assert_false(tqk_calendar_is_workday(NULL, test_day("2026-10-10")));
	assert_int_equal(tqk_calendar_size(NULL), 0);
}

static void size_counts_every_listed_day(void **state)
{
	(void)state;
	tqk_calendar *cal = parse_ok(
		"tqk-calendar 1\nyear 2026\nholiday 2026-02-15..2026-02-23\nworkday 2026-02-14\n"
		"workday 2026-02-28\nholiday 2026-06-19\n");
	assert_int_equal(tqk_calendar_size(cal), 9 + 1 + 1 + 1);
	tqk_calendar_free(cal);
}

static void free_null_is_a_no_op(void **state)
{
	(void)state;
	tqk_calendar_free(NULL);
	/* err_line is optional. */
	tqk_calendar *cal = NULL;
	const char *good = "tqk-calendar 1\nyear 2026\n";
	assert_int_equal(tqk_calendar_parse(good, strlen(good), &cal, NULL), TQK_OK);
	assert_true(tqk_calendar_covers(cal, 2026));
	tqk_calendar_free(cal);
	cal = (tqk_calendar *)(void *)&not_a_calendar;
	const char *bad = "tqk-calendar 9\n";
	assert_int_equal(tqk_calendar_parse(bad, strlen(bad), &cal, NULL), TQK_E_CAL_HEADER);
	assert_null(cal);
}

/* ---- the shipped calendar ---- */

static void shipped_calendar_parses_and_covers_2024_to_2026(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	assert_true(tqk_calendar_covers(cal, 2024));
	assert_true(tqk_calendar_covers(cal, 2025));
	assert_true(tqk_calendar_covers(cal, 2026));
	assert_false(tqk_calendar_covers(cal, 2023));
	assert_false(tqk_calendar_covers(cal, 2027));
	assert_true(tqk_calendar_size(cal) > 0);
	tqk_calendar_free(cal);
}

static void shipped_calendar_has_the_known_days(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	expect_listed(cal, "2026-10-01", TQK_DAY_HOLIDAY, "国庆节");
	expect_listed(cal, "2026-10-07", TQK_DAY_HOLIDAY, "国庆节");
	expect_listed(cal, "2026-10-08", TQK_DAY_REGULAR, NULL);
	expect_listed(cal, "2026-10-10", TQK_DAY_WORKDAY, "国庆节调休");
	assert_int_equal(tqk_day_weekday(test_day("2026-10-10")), 6);
	assert_true(tqk_calendar_is_workday(cal, test_day("2026-10-10")));

	/* Spring Festival 2026: 2/15-2/23 off, Saturdays 2/14 and 2/28 on. */
	expect_listed(cal, "2026-02-14", TQK_DAY_WORKDAY, "春节调休");
	expect_listed(cal, "2026-02-28", TQK_DAY_WORKDAY, "春节调休");
	assert_true(tqk_calendar_is_workday(cal, test_day("2026-02-14")));
	assert_true(tqk_calendar_is_workday(cal, test_day("2026-02-28")));
	for (tqk_day d = test_day("2026-02-15"); d <= test_day("2026-02-23"); d++) {
		const char *name = NULL;
		assert_int_equal(tqk_calendar_lookup(cal, d, &name), TQK_DAY_HOLIDAY);
		assert_string_equal(name, "春节");
		assert_false(tqk_calendar_is_workday(cal, d));
	}
	assert_true(tqk_calendar_is_workday(cal, test_day("2026-02-24")));

	/* 2025-01-26 is a Sunday and a working day. */
	assert_int_equal(tqk_day_weekday(test_day("2025-01-26")), 7);
	expect_listed(cal, "2025-01-26", TQK_DAY_WORKDAY, "春节调休");
	assert_true(tqk_calendar_is_workday(cal, test_day("2025-01-26")));
	/* 2024: Spring Festival, and the Dragon Boat Festival on a Monday. */
	expect_listed(cal, "2024-02-10", TQK_DAY_HOLIDAY, "春节");
	assert_int_equal(tqk_day_weekday(test_day("2024-06-10")), 1);
	expect_listed(cal, "2024-06-10", TQK_DAY_HOLIDAY, "端午节");
	assert_false(tqk_calendar_is_workday(cal, test_day("2024-06-10")));
	/* An ordinary Monday. */
	assert_int_equal(tqk_day_weekday(test_day("2026-11-30")), 1);
	expect_listed(cal, "2026-11-30", TQK_DAY_REGULAR, NULL);
	assert_true(tqk_calendar_is_workday(cal, test_day("2026-11-30")));
	tqk_calendar_free(cal);
}

/* One year's arrangement as the State Council's notice gives it. */
struct notice {
	int year;
	const char *holidays[8][2];     /* first and last day off */
	const char *workdays[9];        /* make-up working days */
	int total;                      /* working days in the year */
};

/* 国办发明电〔2023〕7号, 〔2024〕12号 and the notice of 2025-11-04. */
static const struct notice notices[] = {
	{2024,
	 {{"2024-01-01", "2024-01-01"}, {"2024-02-10", "2024-02-17"}, {"2024-04-04", "2024-04-06"},
	  {"2024-05-01", "2024-05-05"}, {"2024-06-10", "2024-06-10"}, {"2024-09-15", "2024-09-17"},
	  {"2024-10-01", "2024-10-07"}},
	 {"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
	  "2024-09-29", "2024-10-12"},
	 251},
	{2025,
	 {{"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"}, {"2025-04-04", "2025-04-06"},
	  {"2025-05-01", "2025-05-05"}, {"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"}},
	 {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
	 248},
	{2026,
	 {{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
	  {"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
	  {"2026-10-01", "2026-10-07"}},
	 {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
	 248},
};

static bool notice_workday(const struct notice *n, tqk_day d)
{
	for (size_t i = 0; i < 9 && n->workdays[i] != NULL; i++)
		if (test_day(n->workdays[i]) == d)
			return true;
	for (size_t i = 0; i < 8 && n->holidays[i][0] != NULL; i++)
		if (d >= test_day(n->holidays[i][0]) && d <= test_day(n->holidays[i][1]))
			return false;
	return tqk_day_weekday(d) <= 5;
}

/* Every day of 2024, 2025 and 2026 is a working day in cn.cal exactly when
 * the State Council's notice makes it one. */
static void shipped_calendar_matches_the_state_council_notices(void **state)
{
	(void)state;
	tqk_calendar *cal = test_load_shipped_calendar();
	for (size_t i = 0; i < sizeof notices / sizeof notices[0]; i++) {
		const struct notice *n = &notices[i];
		tqk_day first = tqk_date_to_day(DATE(n->year, 1, 1));
		tqk_day last = tqk_date_to_day(DATE(n->year, 12, 31));
		int workdays = 0;
		for (tqk_day d = first; d <= last; d++) {
			bool want = notice_workday(n, d);
			workdays += want;
			if (tqk_calendar_is_workday(cal, d) != want) {
				char buf[TQK_DATE_BUFLEN];
				tqk_date_format(tqk_day_to_date(d), buf);
				fail_msg("%s: cn.cal says %s, the notice %s", buf,
				         want ? "closed" : "open", want ? "open" : "closed");
			}
		}
		/* The table itself: 251 working days in 2024, 248 in 2025 and 2026. */
		assert_int_equal(workdays, n->total);
	}
	tqk_calendar_free(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_is_the_first_meaningful_line),
		cmocka_unit_test(header_is_required),
		cmocka_unit_test(comments_blank_lines_and_crlf_are_allowed),
		cmocka_unit_test(holiday_is_a_day_or_a_range),
		cmocka_unit_test(range_is_at_most_31_days),
		cmocka_unit_test(workday_must_fall_on_saturday_or_sunday),
		cmocka_unit_test(day_listed_twice_is_a_duplicate_at_the_later_line),
		cmocka_unit_test(bad_dates_are_reported_at_their_line),
		cmocka_unit_test(unknown_keyword_is_a_syntax_error),
		cmocka_unit_test(year_line_is_year_and_four_digits),
		cmocka_unit_test(covered_years_are_only_the_declared_ones),
		cmocka_unit_test(name_is_at_most_64_bytes),
		cmocka_unit_test(invalid_utf8_is_rejected),
		cmocka_unit_test(line_is_at_most_256_bytes),
		cmocka_unit_test(text_is_at_most_max_bytes),
		cmocka_unit_test(listed_days_are_at_most_max_days),
		cmocka_unit_test(named_lines_are_at_most_max_names),
		cmocka_unit_test(declared_years_are_at_most_max_years),
		cmocka_unit_test(lookup_gives_kind_and_name),
		cmocka_unit_test(working_days_are_weekdays_minus_holidays_plus_make_up_days),
		cmocka_unit_test(null_calendar_is_monday_to_friday),
		cmocka_unit_test(size_counts_every_listed_day),
		cmocka_unit_test(free_null_is_a_no_op),
		cmocka_unit_test(shipped_calendar_parses_and_covers_2024_to_2026),
		cmocka_unit_test(shipped_calendar_has_the_known_days),
		cmocka_unit_test(shipped_calendar_matches_the_state_council_notices),
	};
	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
