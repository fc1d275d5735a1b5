/*
 * date.c - Gregorian day arithmetic and strict date/time parsing.
 *
 * Day numbers come from counting whole 400-year cycles (146097 days each)
 * from 0000-03-01, which puts the leap day at the end of each counted year
 * and makes the month lengths a fixed pattern.
 */
#include "core/date.h"

#include <assert.h>

#include "core/text.h"

#define CYCLE_DAYS 146097          /* days in 400 Gregorian years */
#define EPOCH_SHIFT 719468         /* days from 0000-03-01 to 1970-01-01 */

bool tqk_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int tqk_month_days(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && tqk_leap_year(year))
		return 29;
	return days[month - 1];
}

bool tqk_date_valid(tqk_date d)
{
	return d.year >= TQK_YEAR_MIN && d.year <= TQK_YEAR_MAX &&
	       d.day >= 1 && d.day <= tqk_month_days(d.year, d.month);
}

/* Years counted from March: January and February belong to the year before. */
tqk_day tqk_date_to_day(tqk_date d)
{
	assert(tqk_date_valid(d));
	int y = d.year - (d.month <= 2);
	int cycle = y / 400;                       /* y >= 0 here */
	int year_of_cycle = y - cycle * 400;
	int march_month = d.month > 2 ? d.month - 3 : d.month + 9;
	int day_of_year = (153 * march_month + 2) / 5 + d.day - 1;
	int day_of_cycle = year_of_cycle * 365 + year_of_cycle / 4 -
	                   year_of_cycle / 100 + day_of_year;
	return (tqk_day)(cycle * CYCLE_DAYS + day_of_cycle - EPOCH_SHIFT);
}

tqk_date tqk_day_to_date(tqk_day n)
{
	int z = n + EPOCH_SHIFT;
	assert(z >= 306);                          /* 0001-01-01 */
	int cycle = z / CYCLE_DAYS;
	int day_of_cycle = z - cycle * CYCLE_DAYS;
	int year_of_cycle = (day_of_cycle - day_of_cycle / 1460 +
	                     day_of_cycle / 36524 - day_of_cycle / 146096) / 365;
	int day_of_year = day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 -
	                                  year_of_cycle / 100);
	int march_month = (5 * day_of_year + 2) / 153;
	tqk_date d;
	d.day = day_of_year - (153 * march_month + 2) / 5 + 1;
	d.month = march_month < 10 ? march_month + 3 : march_month - 9;
	d.year = year_of_cycle + cycle * 400 + (d.month <= 2);
	assert(d.year <= TQK_YEAR_MAX);
	return d;
}

int tqk_day_weekday(tqk_day n)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((n % 7 + 7) % 7);
	return (w + 3) % 7 + 1;
}

tqk_err tqk_date_parse(const char *s, size_t len, tqk_date *out)
{
	assert(s != NULL && out != NULL);
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return TQK_E_DATE_FORMAT;
	tqk_date d = {tqk_decimal(s, 4), tqk_decimal(s + 5, 2), tqk_decimal(s + 8, 2)};
	if (d.year < 0 || d.month < 0 || d.day < 0)
		return TQK_E_DATE_FORMAT;
	if (!tqk_date_valid(d))
		return TQK_E_DATE_INVALID;
	*out = d;
	return TQK_OK;
}

/* Writes v as exactly n decimal digits, zero-padded. */
static void put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
}

void tqk_date_format(tqk_date d, char buf[TQK_DATE_BUFLEN])
{
	assert(tqk_date_valid(d));
	put_digits(buf, d.year, 4);
	buf[4] = '-';
	put_digits(buf + 5, d.month, 2);
	buf[7] = '-';
	put_digits(buf + 8, d.day, 2);
	buf[10] = '\0';
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

tqk_local tqk_time_to_local(tqk_time t)
{
	int64_t local = t + TQK_UTC_OFFSET;
	int64_t day = floor_div(local, TQK_DAY_SECONDS);
	tqk_local l = {(tqk_day)day, (int32_t)(local - day * TQK_DAY_SECONDS)};
	return l;
}

tqk_time tqk_local_to_time(tqk_day day, int32_t sec)
{
	return (tqk_time)day * TQK_DAY_SECONDS + sec - TQK_UTC_OFFSET;
}

tqk_date tqk_time_date(tqk_time t)
{
	return tqk_day_to_date(tqk_time_to_local(t).day);
}

tqk_err tqk_clock_parse(const char *s, size_t len, int32_t *out_sec)
{
	assert(s != NULL && out_sec != NULL);
	if (len != 5 || s[2] != ':')
		return TQK_E_TIME_FORMAT;
	int h = tqk_decimal(s, 2), m = tqk_decimal(s + 3, 2);
	if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
		return TQK_E_TIME_FORMAT;
	*out_sec = h * 3600 + m * 60;
	return TQK_OK;
}

void tqk_clock_format(int32_t sec, char buf[TQK_CLOCK_BUFLEN])
{
	buf[0] = '\0';
	if (sec < 0 || sec > TQK_DAY_SECONDS)
		return;
	int h = sec / 3600, m = sec / 60 % 60;
	buf[0] = (char)('0' + h / 10);
	buf[1] = (char)('0' + h % 10);
	buf[2] = ':';
	buf[3] = (char)('0' + m / 10);
	buf[4] = (char)('0' + m % 10);
	buf[5] = '\0';
}

tqk_err tqk_local_parse(const char *s, size_t len, tqk_time *out)
{
	assert(s != NULL && out != NULL);
	if ((len != 16 && len != 19) || s[10] != ' ')
		return TQK_E_TIME_FORMAT;
	tqk_date d;
	tqk_err err = tqk_date_parse(s, 10, &d);
	if (err != TQK_OK)
		return err;
	int32_t sec;
	if (tqk_clock_parse(s + 11, 5, &sec) != TQK_OK || sec >= TQK_DAY_SECONDS)
		return TQK_E_TIME_FORMAT;
	if (len == 19) {
		int ss = s[16] == ':' ? tqk_decimal(s + 17, 2) : -1;
		if (ss < 0 || ss > 59)
			return TQK_E_TIME_FORMAT;
		sec += ss;
	}
	*out = tqk_local_to_time(tqk_date_to_day(d), sec);
	return TQK_OK;
}

void tqk_local_format(tqk_time t, char buf[TQK_MINUTE_BUFLEN])
{
	tqk_local l = tqk_time_to_local(t);
	tqk_date_format(tqk_day_to_date(l.day), buf);
	buf[10] = ' ';
	put_digits(buf + 11, l.sec / 3600, 2);
	buf[13] = ':';
	put_digits(buf + 14, l.sec / 60 % 60, 2);
	buf[16] = '\0';
}
