/*
 * assets.h - the project's shipped data files, as tests load them.
 *
 * Files are found below $TQK_ASSETS (the assets/ directory), which
 * `make check` sets; a test fails with a clear message when it is unset.
 */
#ifndef TQK_TEST_ASSETS_H
#define TQK_TEST_ASSETS_H

#include "core/calendar.h"

/* Parses assets/calendar/cn.cal; fails the running test on any error. */
tqk_calendar *test_load_shipped_calendar(void);

#endif
