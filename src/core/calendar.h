/*
 * calendar.h - working days: Monday to Friday, minus public holidays, plus
 * make-up working days (调休上班), as the State Council announces each year.
 *
 * The calendar is text, so that an administrator can read and diff it and
 * the county server can ship a newer one in the plan:
 *
 *     # comments run from '#' to the end of the line
 *     tqk-calendar 1                       first line that is not blank
 *     year 2026                            2026's arrangement is complete here
 *     holiday 2026-10-01..2026-10-07 国庆节  a day or a range (at most 31 days)
 *     workday 2026-10-10 国庆节调休           must fall on a Saturday or Sunday
 *
 * The whole file is UTF-8, comments included. A name (optional, at most 64
 * bytes) is what the closed screen shows. No day may be listed twice. The
 * error reported is the first in file order. Days of a year without a "year" line
 * follow the weekday rule, and tqk_calendar_covers() tells callers to warn.
 */
#ifndef TQK_CORE_CALENDAR_H
#define TQK_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/err.h"

#define TQK_CAL_MAX_BYTES (256 * 1024)
#define TQK_CAL_MAX_LINE 256            /* bytes, without the newline */
#define TQK_CAL_MAX_DAYS 4096           /* listed days, ranges expanded */
#define TQK_CAL_MAX_NAMES 512           /* lines that give a name */
#define TQK_CAL_MAX_NAME 64
#define TQK_CAL_MAX_RANGE 31
#define TQK_CAL_MAX_YEARS 64

typedef struct tqk_calendar tqk_calendar;

typedef enum tqk_day_kind {
	TQK_DAY_REGULAR = 0,    /* not listed: the weekday decides */
	TQK_DAY_HOLIDAY,        /* listed holiday: closed */
	TQK_DAY_WORKDAY         /* listed make-up working day: open */
} tqk_day_kind;

/*
 * Parses text (len bytes) into a new calendar in *out. On failure *out is
 * NULL, *err_line (when not NULL) is the 1-based line at fault (0 when the
 * whole text is), and the result is one of TQK_E_TOO_LONG (text or a line
 * over its cap, or a name over 64 bytes), TQK_E_UTF8, TQK_E_CAL_HEADER,
 * TQK_E_CAL_SYNTAX, TQK_E_DATE_FORMAT, TQK_E_DATE_INVALID, TQK_E_CAL_RANGE,
 * TQK_E_CAL_WORKDAY, TQK_E_CAL_DUPLICATE, TQK_E_CAL_FULL or TQK_E_NOMEM.
 */
tqk_err tqk_calendar_parse(const char *text, size_t len, tqk_calendar **out,
                           int *err_line) TQK_MUST_CHECK;

void tqk_calendar_free(tqk_calendar *cal);      /* NULL is a no-op */

/* The listed kind of day d and, for a listed day, its name ("" if none). A
 * NULL calendar lists nothing. */
tqk_day_kind tqk_calendar_lookup(const tqk_calendar *cal, tqk_day d, const char **name);

/* True when d is a working day: a listed make-up day, or Monday to Friday
 * and not a listed holiday. A NULL calendar means Monday to Friday. */
bool tqk_calendar_is_workday(const tqk_calendar *cal, tqk_day d);

/* True when the calendar declares year's arrangement complete ("year" line). */
bool tqk_calendar_covers(const tqk_calendar *cal, int year);

/* Number of listed days (ranges expanded). */
size_t tqk_calendar_size(const tqk_calendar *cal);

#endif
