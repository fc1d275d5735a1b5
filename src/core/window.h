/*
 * window.h - when the kiosk accepts confirmations and walk-in applications.
 *
 * Open on working days (see calendar.h) from the opening to the closing time
 * of day, 08:30-17:30 by default, within the site's confirmation period when
 * one is set (SPEC §7; seed, fifth text, 1-2). The opening instant is open
 * and the closing instant is closed: [08:30:00, 17:30:00). All times are
 * local, Asia/Shanghai (see date.h).
 */
#ifndef TQK_CORE_WINDOW_H
#define TQK_CORE_WINDOW_H

#include <stdbool.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/err.h"

#define TQK_OPEN_DEFAULT (8 * 3600 + 30 * 60)      /* 08:30 */
#define TQK_CLOSE_DEFAULT (17 * 3600 + 30 * 60)    /* 17:30 */
#define TQK_TIME_NONE INT64_MIN                    /* "no such instant" */
#define TQK_WINDOW_SEARCH_DAYS 3660                /* how far next_open looks */

typedef struct tqk_hours {
	int32_t open;       /* seconds of the day */
	int32_t close;
} tqk_hours;

/* The site's confirmation period, both days included. */
typedef struct tqk_period {
	bool set;           /* false: no limit */
	tqk_day first;
	tqk_day last;
} tqk_period;

typedef enum tqk_closed_reason {
	TQK_OPEN = 0,
	TQK_CLOSED_WEEKEND,
	TQK_CLOSED_HOLIDAY,
	TQK_CLOSED_BEFORE_HOURS,    /* a working day, before opening time */
	TQK_CLOSED_AFTER_HOURS,     /* a working day, after closing time */
	TQK_CLOSED_BEFORE_PERIOD,   /* the confirmation period has not begun */
	TQK_CLOSED_AFTER_PERIOD     /* the confirmation period is over */
} tqk_closed_reason;

typedef struct tqk_window {
	bool open;
	tqk_closed_reason reason;
	const char *holiday;    /* the holiday's name when reason is HOLIDAY (may be "") */
	tqk_time closes;        /* when open: today's closing instant */
	tqk_time next_open;     /* when closed: the next opening, or TQK_TIME_NONE */
} tqk_window;

/* Default hours: 08:30-17:30. */
tqk_hours tqk_hours_default(void);

/* TQK_E_HOURS unless 0 <= open < close <= 24:00. */
tqk_err tqk_hours_check(const tqk_hours *h) TQK_MUST_CHECK;
/* Parses "HH:MM-HH:MM". */
tqk_err tqk_hours_parse(const char *s, size_t len, tqk_hours *out) TQK_MUST_CHECK;
/* Parses "YYYY-MM-DD..YYYY-MM-DD" (TQK_E_PERIOD when first > last). */
tqk_err tqk_period_parse(const char *s, size_t len, tqk_period *out) TQK_MUST_CHECK;

/*
 * The state of the window at instant t under calendar cal (NULL: Monday to
 * Friday), hours h and period p (NULL: no limit). Fails only with
 * TQK_E_HOURS or TQK_E_PERIOD for inconsistent arguments.
 */
tqk_err tqk_window_at(const tqk_calendar *cal, const tqk_hours *h, const tqk_period *p,
                      tqk_time t, tqk_window *out) TQK_MUST_CHECK;

/* The instant the period ends: closing time on its last day; TQK_TIME_NONE
 * for an unset period. Before it, applicants may still edit (state.h). */
tqk_time tqk_period_end(const tqk_period *p, const tqk_hours *h);

/* "weekend", "holiday", ... for reason; "open" for TQK_OPEN. */
const char *tqk_closed_code(tqk_closed_reason r);
/* A sentence for the closed screen ("今天是法定节假日" / ...). */
const char *tqk_closed_text(tqk_closed_reason r, tqk_lang lang);

#endif
