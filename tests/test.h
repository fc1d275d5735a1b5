/*
 * test.h - what every test file includes: cmocka with its prerequisites in
 * the order it needs them, and small helpers shared by the tests.
 */
#ifndef TQK_TEST_H
#define TQK_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"

/* A valid date from literals, e.g. DATE(2026, 11, 27). */
#define DATE(y, m, d) ((tqk_date){(y), (m), (d)})
/* The day number of a date given by literals. */
#define DAY(y, m, d) tqk_date_to_day(DATE((y), (m), (d)))

/* The day number of a string literal that must be a valid "YYYY-MM-DD". */
static inline tqk_day test_day(const char *s)
{
	tqk_date d = {0, 0, 0};
	if (tqk_date_parse(s, strlen(s), &d) != TQK_OK)
		fail_msg("bad date literal \"%s\" in the test", s);
	return tqk_date_to_day(d);
}

/* Parses a string literal that must be a valid local "YYYY-MM-DD HH:MM[:SS]". */
static inline tqk_time test_at(const char *s)
{
	tqk_time t = 0;
	assert_int_equal(tqk_local_parse(s, strlen(s), &t), TQK_OK);
	return t;
}

#endif
