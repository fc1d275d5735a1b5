/*
 * window.c - the opening window: open now? closes when? opens next when?
 */
#include "core/window.h"

#include <assert.h>

tqk_hours tqk_hours_default(void)
{
	return (tqk_hours){TQK_OPEN_DEFAULT, TQK_CLOSE_DEFAULT};
}

tqk_err tqk_hours_check(const tqk_hours *h)
{
	assert(h != NULL);
	if (h->open < 0 || h->open >= h->close || h->close > TQK_DAY_SECONDS)
		return TQK_E_HOURS;
	return TQK_OK;
}

tqk_err tqk_hours_parse(const char *s, size_t len, tqk_hours *out)
{
	assert(s != NULL && out != NULL);
	tqk_hours h;
	if (len != 11 || s[5] != '-' || tqk_clock_parse(s, 5, &h.open) != TQK_OK ||
	    tqk_clock_parse(s + 6, 5, &h.close) != TQK_OK)
		return TQK_E_TIME_FORMAT;
	tqk_err err = tqk_hours_check(&h);
	if (err == TQK_OK)
		*out = h;
	return err;
}

tqk_err tqk_period_parse(const char *s, size_t len, tqk_period *out)
{
	assert(s != NULL && out != NULL);
	tqk_date a, b;
	tqk_err err;
	if (len != 22 || s[10] != '.' || s[11] != '.')
		return TQK_E_DATE_FORMAT;
	if ((err = tqk_date_parse(s, 10, &a)) != TQK_OK ||
	    (err = tqk_date_parse(s + 12, 10, &b)) != TQK_OK)
		return err;
	tqk_period p = {true, tqk_date_to_day(a), tqk_date_to_day(b)};
	if (p.first > p.last)
		return TQK_E_PERIOD;
	*out = p;
	return TQK_OK;
}

/* The first working day on or after from that lies within the period, or
 * false when there is none within the search horizon. */
static bool next_workday(const tqk_calendar *cal, const tqk_period *p, tqk_day from,
                         tqk_day *out)
{
	if (p != NULL && p->set && from < p->first)
		from = p->first;
	for (tqk_day d = from; d < from + TQK_WINDOW_SEARCH_DAYS; d++) {
		if (p != NULL && p->set && d > p->last)
			return false;
		if (tqk_calendar_is_workday(cal, d)) {
			*out = d;
			return true;
		}
	}
	return false;
}

tqk_err tqk_window_at(const tqk_calendar *cal, const tqk_hours *h, const tqk_period *p,
                      tqk_time t, tqk_window *out)
{
	assert(h != NULL && out != NULL);
	tqk_err err = tqk_hours_check(h);
	if (err != TQK_OK)
		return err;
	if (p != NULL && p->set && p->first > p->last)
		return TQK_E_PERIOD;

	tqk_local now = tqk_time_to_local(t);
	tqk_window w = {false, TQK_OPEN, NULL, TQK_TIME_NONE, TQK_TIME_NONE};
	tqk_day search_from = now.day + 1;   /* where to look for the next opening */
	const char *name = NULL;

	if (p != NULL && p->set && now.day < p->first) {
		w.reason = TQK_CLOSED_BEFORE_PERIOD;
		search_from = p->first;
	} else if (p != NULL && p->set && now.day > p->last) {
		w.reason = TQK_CLOSED_AFTER_PERIOD;
		search_from = now.day;      /* finds nothing: the period is over */
	} else if (tqk_calendar_lookup(cal, now.day, &name) == TQK_DAY_HOLIDAY) {
		w.reason = TQK_CLOSED_HOLIDAY;
		w.holiday = name;
	} else if (!tqk_calendar_is_workday(cal, now.day)) {
		w.reason = TQK_CLOSED_WEEKEND;
	} else if (now.sec < h->open) {
		w.reason = TQK_CLOSED_BEFORE_HOURS;
		search_from = now.day;
	} else if (now.sec >= h->close) {
		w.reason = TQK_CLOSED_AFTER_HOURS;
	} else {
		w.open = true;
		w.closes = tqk_local_to_time(now.day, h->close);
	}

	tqk_day next;
	if (!w.open && next_workday(cal, p, search_from, &next))
		w.next_open = tqk_local_to_time(next, h->open);
	*out = w;
	return TQK_OK;
}

tqk_time tqk_period_end(const tqk_period *p, const tqk_hours *h)
{
	assert(h != NULL);
	if (p == NULL || !p->set)
		return TQK_TIME_NONE;
	return tqk_local_to_time(p->last, h->close);
}

struct reason_info {
	const char *code;
	const char *text[TQK_LANG_COUNT];
};

static const struct reason_info reasons[] = {
	[TQK_OPEN] = {"open", {"正在开放", "open"}},
	[TQK_CLOSED_WEEKEND] = {"weekend",
		{"周六、周日不开放", "closed on Saturdays and Sundays"}},
	[TQK_CLOSED_HOLIDAY] = {"holiday",
		{"法定节假日不开放", "closed on public holidays"}},
	[TQK_CLOSED_BEFORE_HOURS] = {"before_hours",
		{"尚未到今天的开放时间", "not yet open today"}},
	[TQK_CLOSED_AFTER_HOURS] = {"after_hours",
		{"今天的开放时间已结束", "closed for today"}},
	[TQK_CLOSED_BEFORE_PERIOD] = {"before_period",
		{"本确认点的现场确认尚未开始", "on-site confirmation at this site has not begun"}},
	[TQK_CLOSED_AFTER_PERIOD] = {"after_period",
		{"本确认点的现场确认已经结束", "on-site confirmation at this site is over"}},
};

const char *tqk_closed_code(tqk_closed_reason r)
{
	assert((unsigned)r < sizeof reasons / sizeof reasons[0]);
	return reasons[r].code;
}

const char *tqk_closed_text(tqk_closed_reason r, tqk_lang lang)
{
	assert((unsigned)r < sizeof reasons / sizeof reasons[0]);
	return reasons[r].text[tqk_lang_or_default(lang)];
}
