/*
 * fuzz_calendar.c - libFuzzer target for the calendar parser and the window.
 *
 * Any input must parse or fail cleanly (no crash, no leak, no sanitizer
 * report); a calendar that parses must answer consistently for every day it
 * could list, and the window must stay consistent with it.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/window.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tqk_calendar *cal = NULL;
	int line = -1;
	tqk_err err = tqk_calendar_parse((const char *)data, size, &cal, &line);
	if (err != TQK_OK) {
		assert(cal == NULL);
		assert(line >= 0);
		return 0;
	}
	assert(line == 0);

	/* Every listed day lies in years 1..9999; walk a span around 2026 and
	 * check that the two views of a day agree. */
	tqk_hours h = tqk_hours_default();
	tqk_day from = tqk_date_to_day((tqk_date){2023, 12, 1});
	for (tqk_day d = from; d < from + 1200; d += 7) {
		const char *name = NULL;
		tqk_day_kind k = tqk_calendar_lookup(cal, d, &name);
		bool work = tqk_calendar_is_workday(cal, d);
		assert(k != TQK_DAY_HOLIDAY || !work);
		assert(k != TQK_DAY_WORKDAY || work);
		assert((k == TQK_DAY_REGULAR) == (name == NULL));

		tqk_window w;
		tqk_time noon = tqk_local_to_time(d, 12 * 3600);
		if (tqk_window_at(cal, &h, NULL, noon, &w) != TQK_OK)
			__builtin_trap();
		assert(w.open == work);
		assert(w.open || w.next_open == TQK_TIME_NONE || w.next_open > noon);
	}
	tqk_calendar_free(cal);
	return 0;
}
