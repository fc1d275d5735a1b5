/*
 * calendar.c - parsing calendar files and answering "is this a working day".
 *
 * The parsed calendar is one allocation: a sorted array of listed days (each
 * with its kind and the index of its name) looked up by binary search, the
 * names, and the years declared complete.
 */
#include "core/calendar.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

struct entry {
	tqk_day day;
	int line;           /* where it was listed, for duplicate errors */
	uint16_t name;      /* index into names; 0 is "" */
	uint8_t kind;       /* tqk_day_kind */
};

struct tqk_calendar {
	size_t ndays;
	struct entry days[TQK_CAL_MAX_DAYS];
	size_t nnames;
	char names[TQK_CAL_MAX_NAMES + 1][TQK_CAL_MAX_NAME + 1];    /* [0] is "" */
	size_t nyears;
	int years[TQK_CAL_MAX_YEARS];
};

static const char header[] = "tqk-calendar 1";

static bool is_blank_byte(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits the first word off [*s, *s + *len): returns its length and leaves
 * the trimmed remainder in *s, *len. */
static size_t next_word(const char **s, size_t *len)
{
	size_t n = 0;
	while (n < *len && !is_blank_byte((*s)[n]))
		n++;
	const char *rest = *s + n;
	size_t rest_len = *len - n;
	tqk_text_trim(&rest, &rest_len);
	*s = rest;
	*len = rest_len;
	return n;
}

static bool word_is(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

static tqk_err parse_year(tqk_calendar *cal, const char *w, size_t n, size_t rest_len)
{
	int year = n == 4 && rest_len == 0 ? tqk_decimal(w, 4) : -1;
	if (year < TQK_YEAR_MIN)
		return TQK_E_CAL_SYNTAX;
	if (tqk_calendar_covers(cal, year))
		return TQK_E_CAL_DUPLICATE;
	if (cal->nyears == TQK_CAL_MAX_YEARS)
		return TQK_E_CAL_FULL;
	cal->years[cal->nyears++] = year;
	return TQK_OK;
}

/* "DATE" or "DATE..DATE" into first and last day. */
static tqk_err parse_range(const char *w, size_t n, tqk_day *first, tqk_day *last)
{
	tqk_date a, b;
	tqk_err err;
	if (n == 10) {
		if ((err = tqk_date_parse(w, 10, &a)) != TQK_OK)
			return err;
		b = a;
	} else if (n == 22 && w[10] == '.' && w[11] == '.') {
		if ((err = tqk_date_parse(w, 10, &a)) != TQK_OK ||
		    (err = tqk_date_parse(w + 12, 10, &b)) != TQK_OK)
			return err;
	} else {
		return TQK_E_DATE_FORMAT;
	}
	*first = tqk_date_to_day(a);
	*last = tqk_date_to_day(b);
	if (*last < *first || *last - *first >= TQK_CAL_MAX_RANGE)
		return TQK_E_CAL_RANGE;
	return TQK_OK;
}

static tqk_err parse_days(tqk_calendar *cal, tqk_day_kind kind, const char *w, size_t n,
                          const char *name, size_t name_len, int line)
{
	tqk_day first, last;
	tqk_err err = parse_range(w, n, &first, &last);
	if (err != TQK_OK)
		return err;
	if (name_len > TQK_CAL_MAX_NAME)
		return TQK_E_TOO_LONG;

	uint16_t name_index = 0;
	if (name_len > 0) {
		if (cal->nnames > TQK_CAL_MAX_NAMES)
			return TQK_E_CAL_FULL;
		name_index = (uint16_t)cal->nnames++;
		memcpy(cal->names[name_index], name, name_len);
		cal->names[name_index][name_len] = '\0';
	}
	for (tqk_day d = first; d <= last; d++) {
		if (kind == TQK_DAY_WORKDAY && tqk_day_weekday(d) < 6)
			return TQK_E_CAL_WORKDAY;
		if (cal->ndays == TQK_CAL_MAX_DAYS)
			return TQK_E_CAL_FULL;
		cal->days[cal->ndays++] = (struct entry){d, line, name_index, (uint8_t)kind};
	}
	return TQK_OK;
}

/* One line with its comment and outer blanks removed, not empty. */
static tqk_err parse_line(tqk_calendar *cal, const char *s, size_t len, int line)
{
	const char *kw = s;
	size_t kw_len = next_word(&s, &len);
	const char *arg = s;
	size_t arg_len = next_word(&s, &len);

	if (word_is(kw, kw_len, "year"))
		return parse_year(cal, arg, arg_len, len);
	if (word_is(kw, kw_len, "holiday"))
		return parse_days(cal, TQK_DAY_HOLIDAY, arg, arg_len, s, len, line);
	if (word_is(kw, kw_len, "workday"))
		return parse_days(cal, TQK_DAY_WORKDAY, arg, arg_len, s, len, line);
	return TQK_E_CAL_SYNTAX;
}

static int by_day(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

static int by_day_then_line(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = by_day(a, b);
	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* Sorts the days listed so far and returns the first line, in file order,
 * that lists a day an earlier line listed too; 0 when there is none. */
static int first_duplicate(tqk_calendar *cal)
{
	qsort(cal->days, cal->ndays, sizeof cal->days[0], by_day_then_line);
	int first = 0;
	for (size_t i = 1; i < cal->ndays; i++)
		if (cal->days[i].day == cal->days[i - 1].day &&
		    (first == 0 || cal->days[i].line < first))
			first = cal->days[i].line;
	return first;
}

/* Parses line after line until the end or the first error, whose line
 * number it leaves in *err_line. */
static tqk_err parse_lines(tqk_calendar *cal, const char *text, size_t len, int *err_line)
{
	bool have_header = false;
	int line = 0;
	size_t pos = 0, n;
	const char *s;
	tqk_text_line_kind k;
	while ((k = tqk_text_line(text, len, &pos, TQK_CAL_MAX_LINE, &s, &n)) != TQK_TEXT_LINE_END) {
		*err_line = ++line;
		if (k != TQK_TEXT_LINE_OK)
			return k == TQK_TEXT_LINE_LONG ? TQK_E_TOO_LONG : TQK_E_UTF8;
		tqk_text_trim(&s, &n);
		if (n == 0)
			continue;
		if (!have_header) {
			if (!word_is(s, n, header))
				return TQK_E_CAL_HEADER;
			have_header = true;
			continue;
		}
		tqk_err err = parse_line(cal, s, n, line);
		if (err != TQK_OK)
			return err;
	}
	*err_line = 0;
	return have_header ? TQK_OK : TQK_E_CAL_HEADER;
}

/* The first error in file order: a day listed twice before the line that
 * stopped the parse is reported rather than that line. */
static tqk_err parse_text(tqk_calendar *cal, const char *text, size_t len, int *err_line)
{
	tqk_err err = parse_lines(cal, text, len, err_line);
	int dup = first_duplicate(cal);
	if (dup != 0 && (err == TQK_OK || dup < *err_line)) {
		*err_line = dup;
		return TQK_E_CAL_DUPLICATE;
	}
	return err;
}

tqk_err tqk_calendar_parse(const char *text, size_t len, tqk_calendar **out, int *err_line)
{
	assert(text != NULL || len == 0);
	assert(out != NULL);
	int line_sink;
	if (err_line == NULL)
		err_line = &line_sink;
	*out = NULL;
	*err_line = 0;
	if (len > TQK_CAL_MAX_BYTES)
		return TQK_E_TOO_LONG;

	tqk_calendar *cal = calloc(1, sizeof *cal);
	if (cal == NULL)
		return TQK_E_NOMEM;
	cal->nnames = 1;        /* names[0] is the empty name */
	tqk_err err = parse_text(cal, text, len, err_line);
	if (err != TQK_OK) {
		free(cal);
		return err;
	}
	*out = cal;
	return TQK_OK;
}

void tqk_calendar_free(tqk_calendar *cal)
{
	free(cal);
}

static const struct entry *find(const tqk_calendar *cal, tqk_day d)
{
	if (cal == NULL)
		return NULL;
	struct entry key = {.day = d};
	return bsearch(&key, cal->days, cal->ndays, sizeof cal->days[0], by_day);
}

tqk_day_kind tqk_calendar_lookup(const tqk_calendar *cal, tqk_day d, const char **name)
{
	const struct entry *e = find(cal, d);
	if (name != NULL)
		*name = e != NULL ? cal->names[e->name] : NULL;
	return e != NULL ? (tqk_day_kind)e->kind : TQK_DAY_REGULAR;
}

bool tqk_calendar_is_workday(const tqk_calendar *cal, tqk_day d)
{
	switch (tqk_calendar_lookup(cal, d, NULL)) {
	case TQK_DAY_HOLIDAY:
		return false;
	case TQK_DAY_WORKDAY:
		return true;
	default:
		return tqk_day_weekday(d) <= 5;
	}
}

bool tqk_calendar_covers(const tqk_calendar *cal, int year)
{
	if (cal == NULL)
		return false;
	for (size_t i = 0; i < cal->nyears; i++)
		if (cal->years[i] == year)
			return true;
	return false;
}

size_t tqk_calendar_size(const tqk_calendar *cal)
{
	return cal != NULL ? cal->ndays : 0;
}
