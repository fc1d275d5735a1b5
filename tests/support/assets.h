/*
 * assets.h - the project's shipped data files, as tests load them.
 *
 * Files are found below $TQK_ASSETS (the assets/ directory), which
 * `make check` sets; a test fails with a clear message when it is unset.
 */
#ifndef TQK_TEST_ASSETS_H
#define TQK_TEST_ASSETS_H

#include "core/calendar.h"
#include "core/tree.h"

/* Parses assets/calendar/cn.cal; fails the running test on any error. */
tqk_calendar *test_load_shipped_calendar(void);

/* Parses the tree file at rel below the assets directory (e.g.
 * "walkin/titles.tree"); fails the running test on any error, naming the
 * file, the line and the error. */
tqk_tree *test_load_shipped_tree(const char *rel);

#endif
