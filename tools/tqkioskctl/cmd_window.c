/*
 * cmd_window.c - tqkioskctl window: is the kiosk open at a given time?
 *
 * Prints state=open with closes=, or state=closed with reason= and
 * next_open= ("none" when the period is over); holiday= names the holiday.
 * calendar_covers=false (and a warning) when the calendar lacks the year's
 * official arrangement, so Monday-Friday was assumed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/window.h"
#include "ctl.h"

#define DEFAULT_CALENDAR "calendar/cn.cal"

static bool load_calendar(const ctl *c, const char *path, tqk_calendar **out)
{
	char found[4096];
	if (path == NULL) {
		if (!ctl_asset_path(DEFAULT_CALENDAR, found, sizeof found)) {
			ctl_usage(c, DEFAULT_CALENDAR, "找不到默认日历文件；请用 --calendar 指定，或设置 TQK_ASSETS",
			          "default calendar not found; give --calendar or set TQK_ASSETS");
			return false;
		}
		path = found;
	}
	char *text;
	size_t len;
	if (!ctl_read_file(c, path, TQK_CAL_MAX_BYTES, &text, &len))
		return false;
	int line;
	tqk_err err = tqk_calendar_parse(text, len, out, &line);
	free(text);
	if (err != TQK_OK) {
		char where[4200];
		snprintf(where, sizeof where, line > 0 ? "%s:%d" : "%s", path, line);
		ctl_error(c, err, where);
		return false;
	}
	return true;
}

static void say_result(const ctl *c, const tqk_window *w)
{
	bool en = c->lang == TQK_LANG_EN;
	char when[TQK_MINUTE_BUFLEN];
	if (w->open) {
		tqk_local_format(w->closes, when);
		fprintf(stderr, en ? "open; closes at %s\n" : "正在开放，%s 关闭\n", when);
		return;
	}
	fprintf(stderr, en ? "closed: %s" : "未开放：%s", tqk_closed_text(w->reason, c->lang));
	if (w->holiday != NULL && *w->holiday != '\0')
		fprintf(stderr, en ? " (%s)" : "（%s）", w->holiday);
	if (w->next_open == TQK_TIME_NONE) {
		fputs(en ? "; no further opening in this period\n" : "。本确认期内不再开放\n", stderr);
		return;
	}
	tqk_local_format(w->next_open, when);
	fprintf(stderr, en ? "; opens next at %s\n" : "。下次开放：%s\n", when);
}

int cmd_window(ctl *c, int argc, char **argv)
{
	const char *at_s = NULL, *cal_path = NULL, *period_s = NULL, *hours_s = NULL;
	const ctl_optspec opts[] = {
		{"--at", &at_s}, {"--calendar", &cal_path}, {"--period", &period_s},
		{"--hours", &hours_s}, {NULL, NULL},
	};
	int rc = ctl_args(c, argc, argv, opts, NULL);
	if (rc != CTL_OK)
		return rc;

	tqk_time at = c->now;
	tqk_period period = {.set = false};
	tqk_hours hours = tqk_hours_default();
	tqk_err err;
	if (at_s != NULL && (err = tqk_local_parse(at_s, strlen(at_s), &at)) != TQK_OK) {
		ctl_error(c, err, "--at");
		return CTL_USAGE;
	}
	if (period_s != NULL &&
	    (err = tqk_period_parse(period_s, strlen(period_s), &period)) != TQK_OK) {
		ctl_error(c, err, "--period");
		return CTL_USAGE;
	}
	if (hours_s != NULL && (err = tqk_hours_parse(hours_s, strlen(hours_s), &hours)) != TQK_OK) {
		ctl_error(c, err, "--hours");
		return CTL_USAGE;
	}

	tqk_calendar *cal;
	if (!load_calendar(c, cal_path, &cal))
		return CTL_USAGE;
	tqk_window w;
	err = tqk_window_at(cal, &hours, &period, at, &w);
	if (err != TQK_OK) {        /* arguments were checked: cannot happen */
		tqk_calendar_free(cal);
		ctl_error(c, err, NULL);
		return CTL_USAGE;
	}

	char when[TQK_MINUTE_BUFLEN];
	out_str(c, "state", w.open ? "open" : "closed");
	if (w.open) {
		tqk_local_format(w.closes, when);
		out_str(c, "closes", when);
	} else {
		out_str(c, "reason", tqk_closed_code(w.reason));
		if (w.holiday != NULL && *w.holiday != '\0')
			out_str(c, "holiday", w.holiday);
		if (w.next_open != TQK_TIME_NONE)
			tqk_local_format(w.next_open, when);
		out_str(c, "next_open", w.next_open != TQK_TIME_NONE ? when : "none");
	}
	int year = tqk_time_date(at).year;
	bool covers = tqk_calendar_covers(cal, year);
	out_bool(c, "calendar_covers", covers);
	say_result(c, &w);
	tqk_calendar_free(cal);     /* w.holiday points into it */
	if (!covers) {
		fprintf(stderr, c->lang == TQK_LANG_EN
			? "warning: the calendar has no holiday arrangement for %d; Monday to Friday assumed\n"
			: "注意：日历中没有 %d 年的节假日安排，按周一至周五计算\n", year);
	}
	return w.open ? CTL_OK : CTL_NO;
}
