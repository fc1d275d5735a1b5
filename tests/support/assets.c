/*
 * assets.c - loading shipped data files inside a cmocka test.
 */
#include "test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "support/assets.h"

/* Reads assets/<rel> into a new buffer of at most max bytes and one more
 * (so that a file over its cap shows); its path goes to path. */
static char *read_asset(const char *rel, size_t max, size_t *len, char *path, size_t path_cap)
{
	const char *dir = getenv("TQK_ASSETS");
	if (dir == NULL || dir[0] == '\0')
		fail_msg("TQK_ASSETS is not set: set it to the project's assets directory, "
		         "e.g. TQK_ASSETS=$PWD/assets (make check sets it)");
	if (snprintf(path, path_cap, "%s/%s", dir, rel) >= (int)path_cap)
		fail_msg("TQK_ASSETS is too long");
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s (TQK_ASSETS=%s): %s", path, dir, strerror(errno));
	char *buf = malloc(max + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, max + 1, f);
	fclose(f);
	return buf;
}

tqk_calendar *test_load_shipped_calendar(void)
{
	char path[4096];
	size_t len = 0;
	char *buf = read_asset("calendar/cn.cal", TQK_CAL_MAX_BYTES, &len, path, sizeof path);
	tqk_calendar *cal = NULL;
	int line = -1;
	tqk_err err = tqk_calendar_parse(buf, len, &cal, &line);
	free(buf);
	if (err != TQK_OK)
		fail_msg("%s:%d: %s", path, line, tqk_err_code(err));
	assert_non_null(cal);
	return cal;
}

tqk_tree *test_load_shipped_tree(const char *rel)
{
	char path[4096];
	size_t len = 0;
	char *buf = read_asset(rel, TQK_TREE_MAX_BYTES, &len, path, sizeof path);
	tqk_tree *tree = NULL;
	int line = -1;
	tqk_err err = tqk_tree_parse(buf, len, &tree, &line);
	free(buf);
	if (err != TQK_OK)
		fail_msg("%s:%d: %s (%s)", path, line, tqk_err_code(err),
		         tqk_strerror(err, TQK_LANG_EN));
	assert_non_null(tree);
	return tree;
}
