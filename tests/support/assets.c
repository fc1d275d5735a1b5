/*
 * assets.c - loading shipped data files inside a cmocka test.
 */
#include "test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "support/assets.h"

tqk_calendar *test_load_shipped_calendar(void)
{
	const char *dir = getenv("TQK_ASSETS");
	if (dir == NULL || dir[0] == '\0')
		fail_msg("TQK_ASSETS is not set: set it to the project's assets directory, "
		         "e.g. TQK_ASSETS=$PWD/assets (make check sets it)");
	char path[4096];
	if (snprintf(path, sizeof path, "%s/calendar/cn.cal", dir) >= (int)sizeof path)
		fail_msg("TQK_ASSETS is too long");
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s (TQK_ASSETS=%s): %s", path, dir, strerror(errno));
	char *buf = malloc(TQK_CAL_MAX_BYTES + 1);
	assert_non_null(buf);
	size_t len = fread(buf, 1, TQK_CAL_MAX_BYTES + 1, f);
	fclose(f);
	tqk_calendar *cal = NULL;
	int line = -1;
	tqk_err err = tqk_calendar_parse(buf, len, &cal, &line);
	free(buf);
	if (err != TQK_OK)
		fail_msg("%s:%d: %s", path, line, tqk_err_code(err));
	assert_non_null(cal);
	return cal;
}
