/*
 * test_date.c - day numbers, weekdays, strict parsing and local time.
 */
#include "test.h"

#include "core/date.h"

static void leap_years(void **state)
{
	(void)state;
	assert_true(tqk_leap_year(2024));
	assert_true(tqk_leap_year(2000));
	assert_false(tqk_leap_year(1900));
	assert_false(tqk_leap_year(2100));
	assert_false(tqk_leap_year(2026));
	assert_int_equal(tqk_month_days(2024, 2), 29);
	assert_int_equal(tqk_month_days(2026, 2), 28);
	assert_int_equal(tqk_month_days(1900, 2), 28);
	assert_int_equal(tqk_month_days(2000, 2), 29);
	assert_int_equal(tqk_month_days(2026, 4), 30);
	assert_int_equal(tqk_month_days(2026, 12), 31);
	assert_int_equal(tqk_month_days(2026, 0), 0);
	assert_int_equal(tqk_month_days(2026, 13), 0);
}

static void validity(void **state)
{
	(void)state;
	assert_true(tqk_date_valid(DATE(2024, 2, 29)));
	assert_false(tqk_date_valid(DATE(2026, 2, 29)));
	assert_false(tqk_date_valid(DATE(2026, 4, 31)));
	assert_false(tqk_date_valid(DATE(2026, 0, 1)));
	assert_false(tqk_date_valid(DATE(2026, 1, 0)));
	assert_false(tqk_date_valid(DATE(0, 1, 1)));
	assert_false(tqk_date_valid(DATE(10000, 1, 1)));
	assert_true(tqk_date_valid(DATE(1, 1, 1)));
	assert_true(tqk_date_valid(DATE(9999, 12, 31)));
}

static void day_numbers(void **state)
{
	(void)state;
	assert_int_equal(DAY(1970, 1, 1), 0);
	assert_int_equal(DAY(1970, 1, 2), 1);
	assert_int_equal(DAY(1969, 12, 31), -1);
	assert_int_equal(DAY(2000, 3, 1), 11017);
	assert_int_equal(DAY(2026, 11, 29), 20786);
	assert_int_equal(DAY(2024, 3, 1) - DAY(2024, 2, 28), 2);
	assert_int_equal(DAY(2026, 3, 1) - DAY(2026, 2, 28), 1);
}

/* Every day from year 1 to 9999 converts to its number and back, and
 * consecutive days have consecutive numbers. */
static void round_trip_every_day(void **state)
{
	(void)state;
	tqk_day expect = DAY(1, 1, 1);
	for (int y = 1; y <= 9999; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= tqk_month_days(y, m); d++, expect++) {
				tqk_date date = DATE(y, m, d);
				tqk_day n = tqk_date_to_day(date);
				if (n != expect)
					fail_msg("%04d-%02d-%02d: %d != %d", y, m, d, n, expect);
				tqk_date back = tqk_day_to_date(n);
				if (back.year != y || back.month != m || back.day != d)
					fail_msg("day %d came back as %04d-%02d-%02d", n,
					         back.year, back.month, back.day);
			}
}

static void weekdays(void **state)
{
	(void)state;
	assert_int_equal(tqk_day_weekday(DAY(1970, 1, 1)), 4);     /* Thursday */
	assert_int_equal(tqk_day_weekday(DAY(2026, 11, 27)), 5);   /* Friday */
	assert_int_equal(tqk_day_weekday(DAY(2026, 11, 28)), 6);
	assert_int_equal(tqk_day_weekday(DAY(2026, 11, 29)), 7);   /* Sunday */
	assert_int_equal(tqk_day_weekday(DAY(2026, 11, 30)), 1);   /* Monday */
	assert_int_equal(tqk_day_weekday(DAY(1949, 10, 1)), 6);    /* Saturday */
	assert_int_equal(tqk_day_weekday(DAY(1969, 12, 31)), 3);   /* negative day */
}

static void parse_dates(void **state)
{
	(void)state;
	tqk_date d = DATE(1, 1, 1);
	assert_int_equal(tqk_date_parse("2024-02-29", 10, &d), TQK_OK);
	assert_int_equal(d.year, 2024);
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 29);

	assert_int_equal(tqk_date_parse("2026-02-29", 10, &d), TQK_E_DATE_INVALID);
	assert_int_equal(tqk_date_parse("2026-13-01", 10, &d), TQK_E_DATE_INVALID);
	assert_int_equal(tqk_date_parse("0000-01-01", 10, &d), TQK_E_DATE_INVALID);
	assert_int_equal(tqk_date_parse("2026-1-01", 9, &d), TQK_E_DATE_FORMAT);
	assert_int_equal(tqk_date_parse("2026/01/01", 10, &d), TQK_E_DATE_FORMAT);
	assert_int_equal(tqk_date_parse("2026-01-0a", 10, &d), TQK_E_DATE_FORMAT);
	assert_int_equal(tqk_date_parse("+026-01-01", 10, &d), TQK_E_DATE_FORMAT);
	assert_int_equal(tqk_date_parse("2026-01-01 ", 11, &d), TQK_E_DATE_FORMAT);
	/* Only len bytes are read: a longer buffer is fine. */
	assert_int_equal(tqk_date_parse("2026-01-01xyz", 10, &d), TQK_OK);
	/* Failure leaves the output alone. */
	assert_int_equal(d.year, 2026);
	assert_int_equal(tqk_date_parse("2026-02-30", 10, &d), TQK_E_DATE_INVALID);
	assert_int_equal(d.month, 1);
}

static void format_dates(void **state)
{
	(void)state;
	char buf[TQK_DATE_BUFLEN];
	tqk_date_format(DATE(2024, 2, 9), buf);
	assert_string_equal(buf, "2024-02-09");
	tqk_date_format(DATE(1, 1, 1), buf);
	assert_string_equal(buf, "0001-01-01");
}

static void local_time(void **state)
{
	(void)state;
	/* 2026-11-27 00:00 in Shanghai is 2026-11-26 16:00 UTC. */
	tqk_time t = 0;
	assert_int_equal(tqk_local_parse("2026-11-27 00:00", 16, &t), TQK_OK);
	assert_int_equal(t, (int64_t)DAY(2026, 11, 27) * 86400 - 8 * 3600);

	tqk_local l = tqk_time_to_local(t);
	assert_int_equal(l.day, DAY(2026, 11, 27));
	assert_int_equal(l.sec, 0);
	l = tqk_time_to_local(t - 1);
	assert_int_equal(l.day, DAY(2026, 11, 26));
	assert_int_equal(l.sec, 86399);
	/* The Unix epoch was 08:00 in Shanghai; one second before it, 07:59:59. */
	l = tqk_time_to_local(-1);
	assert_int_equal(l.day, 0);
	assert_int_equal(l.sec, 8 * 3600 - 1);
	l = tqk_time_to_local(-8 * 3600 - 1);
	assert_int_equal(l.day, -1);
	assert_int_equal(l.sec, 86399);

	assert_int_equal(tqk_local_parse("2026-11-27 17:29:59", 19, &t), TQK_OK);
	assert_int_equal(tqk_time_to_local(t).sec, 17 * 3600 + 29 * 60 + 59);
	char buf[TQK_MINUTE_BUFLEN];
	tqk_local_format(t, buf);
	assert_string_equal(buf, "2026-11-27 17:29");
	assert_int_equal(tqk_time_date(t).day, 27);
	assert_int_equal(tqk_local_to_time(DAY(2026, 11, 27), 17 * 3600 + 29 * 60 + 59), t);
}

static void bad_times(void **state)
{
	(void)state;
	tqk_time t = 42;
	const char *bad[] = {
		"2026-11-27 24:00", "2026-11-27 17:60", "2026-11-27T17:00", "2026-11-27 7:00",
		"2026-11-27 17:00:60", "2026-11-27 17:00:5", "2026-11-27 17:00 ", "2026-11-27",
		"2026-11-27 17-00", "2026-11-27 17:00-00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (tqk_local_parse(bad[i], strlen(bad[i]), &t) != TQK_E_TIME_FORMAT)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(tqk_local_parse("2026-02-30 10:00", 16, &t), TQK_E_DATE_INVALID);
	assert_int_equal(t, 42);
}

static void clock_of_day(void **state)
{
	(void)state;
	int32_t s = -1;
	assert_int_equal(tqk_clock_parse("08:30", 5, &s), TQK_OK);
	assert_int_equal(s, 8 * 3600 + 30 * 60);
	assert_int_equal(tqk_clock_parse("00:00", 5, &s), TQK_OK);
	assert_int_equal(s, 0);
	assert_int_equal(tqk_clock_parse("24:00", 5, &s), TQK_OK);
	assert_int_equal(s, 86400);
	assert_int_equal(tqk_clock_parse("24:01", 5, &s), TQK_E_TIME_FORMAT);
	assert_int_equal(tqk_clock_parse("25:00", 5, &s), TQK_E_TIME_FORMAT);
	assert_int_equal(tqk_clock_parse("08:60", 5, &s), TQK_E_TIME_FORMAT);
	assert_int_equal(tqk_clock_parse("8:30", 4, &s), TQK_E_TIME_FORMAT);
	assert_int_equal(tqk_clock_parse("08.30", 5, &s), TQK_E_TIME_FORMAT);

	/* and back: every whole minute of the day, seconds dropped */
	char buf[TQK_CLOCK_BUFLEN];
	for (int32_t sec = 0; sec <= 86400; sec += 60) {
		tqk_clock_format(sec, buf);
		assert_int_equal(tqk_clock_parse(buf, strlen(buf), &s), TQK_OK);
		assert_int_equal(s, sec);
	}
	tqk_clock_format(17 * 3600 + 30 * 60 + 59, buf);
	assert_string_equal(buf, "17:30");
	tqk_clock_format(-1, buf);
	assert_string_equal(buf, "");
	tqk_clock_format(86401, buf);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(leap_years),
		cmocka_unit_test(validity),
		cmocka_unit_test(day_numbers),
		cmocka_unit_test(round_trip_every_day),
		cmocka_unit_test(weekdays),
		cmocka_unit_test(parse_dates),
		cmocka_unit_test(format_dates),
		cmocka_unit_test(local_time),
		cmocka_unit_test(bad_times),
		cmocka_unit_test(clock_of_day),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
