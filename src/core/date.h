/*
 * date.h - civil dates, day numbers and local time at the kiosk.
 *
 * Rules about days (birth dates, holidays, confirmation periods) work on
 * tqk_day, a count of days since 1970-01-01 in the proleptic Gregorian
 * calendar, which makes "the next day" and "the day of the week" arithmetic.
 * Instants are tqk_time, seconds since the Unix epoch.
 *
 * Local time is Asia/Shanghai. China has kept UTC+8 without daylight saving
 * since 1991 (before any certificate or registration this system handles), so
 * local time is a fixed offset: the rules stay pure functions with no tzdata.
 */
#ifndef TQK_CORE_DATE_H
#define TQK_CORE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TQK_UTC_OFFSET (8 * 3600)   /* Asia/Shanghai */
#define TQK_DAY_SECONDS 86400
#define TQK_YEAR_MIN 1
#define TQK_YEAR_MAX 9999

typedef int32_t tqk_day;            /* days since 1970-01-01 */
typedef int64_t tqk_time;           /* seconds since 1970-01-01 00:00 UTC */

typedef struct tqk_date {
	int year, month, day;
} tqk_date;

/* Local (Asia/Shanghai) day and second of that day, 0..86399. */
typedef struct tqk_local {
	tqk_day day;
	int32_t sec;
} tqk_local;

/* Length buffers must have for the formatters, terminator included. */
#define TQK_DATE_BUFLEN 11          /* YYYY-MM-DD */
#define TQK_MINUTE_BUFLEN 17        /* YYYY-MM-DD HH:MM */

/* True when d exists: year 1..9999, month 1..12, day within the month. */
bool tqk_date_valid(tqk_date d);
bool tqk_leap_year(int year);
int tqk_month_days(int year, int month);    /* 0 for a month out of range */

/* d must be valid (asserted). */
tqk_day tqk_date_to_day(tqk_date d);
/* n must lie within years 1..9999 (asserted). */
tqk_date tqk_day_to_date(tqk_day n);
/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int tqk_day_weekday(tqk_day n);

/* Parses exactly "YYYY-MM-DD" (len bytes, no more, no less).
 * TQK_E_DATE_FORMAT for the wrong shape, TQK_E_DATE_INVALID for no such day. */
tqk_err tqk_date_parse(const char *s, size_t len, tqk_date *out) TQK_MUST_CHECK;
/* Writes "YYYY-MM-DD" and its terminator into buf; d must be valid. */
void tqk_date_format(tqk_date d, char buf[TQK_DATE_BUFLEN]);

tqk_local tqk_time_to_local(tqk_time t);
tqk_time tqk_local_to_time(tqk_day day, int32_t sec);

/* Parses local "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" into an instant. */
tqk_err tqk_local_parse(const char *s, size_t len, tqk_time *out) TQK_MUST_CHECK;
/* Writes local "YYYY-MM-DD HH:MM" (seconds dropped). */
void tqk_local_format(tqk_time t, char buf[TQK_MINUTE_BUFLEN]);

/* Parses "HH:MM" (00:00..24:00) into seconds of the day. */
tqk_err tqk_clock_parse(const char *s, size_t len, int32_t *out_sec) TQK_MUST_CHECK;
/* Writes "HH:MM" of sec seconds of the day (0..24:00, seconds dropped);
 * "" for anything out of that range. */
#define TQK_CLOCK_BUFLEN 6
void tqk_clock_format(int32_t sec, char buf[TQK_CLOCK_BUFLEN]);

/* The local calendar date of instant t. */
tqk_date tqk_time_date(tqk_time t);

#endif
