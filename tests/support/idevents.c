/*
 * idevents.c - the ID-card reader driver's events, awaited and checked
 * inside a cmocka test (see idevents.h).
 */
#include "test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "dev/devsys.h"
#include "support/idevents.h"

/* Fails the test at file:line with the message (printf format). */
static void fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
static void fail_at(const char *file, int line, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	print_error("ERROR: %s\n", why);
	_fail(file, line);
	abort();        /* not reached: _fail leaves the test */
}

const char *idev_kind_name(tqk_idreader_kind k)
{
	static const char *const names[] = {"none", "card", "card_failed", "card_left", "state"};
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

void idev_next_at(const char *file, int line, tqk_idreader *r, tqk_date today, int max_ms,
                  tqk_idreader_event *ev)
{
	long long end = tqk_dev_now_ms() + max_ms;
	do {
		tqk_idreader_poll(r, 50, today, ev);
		if (ev->kind != TQK_IDREADER_EV_NONE)
			return;
	} while (tqk_dev_now_ms() < end);
	fail_at(file, line, "no event within %d ms (state %s, %s)", max_ms,
	        tqk_idreader_state_code(ev->state), tqk_err_code(ev->err));
}

void idev_expect_at(const char *file, int line, tqk_idreader *r, tqk_date today,
                    tqk_idreader_kind kind, tqk_idreader_event *ev)
{
	idev_next_at(file, line, r, today, IDEV_WAIT_MS, ev);
	if (ev->kind != kind)
		fail_at(file, line, "event %s (state %s, %s.%s, sw %02X), wanted %s",
		        idev_kind_name(ev->kind), tqk_idreader_state_code(ev->state),
		        tqk_err_domain(ev->err), tqk_err_code(ev->err), ev->sw,
		        idev_kind_name(kind));
}

void idev_expect_state_at(const char *file, int line, tqk_idreader *r, tqk_date today,
                          tqk_idreader_state state, tqk_err err, tqk_idreader_event *ev)
{
	idev_expect_at(file, line, r, today, TQK_IDREADER_EV_STATE, ev);
	if (ev->state != state || ev->err != err)
		fail_at(file, line, "state %s (%s), wanted %s (%s)",
		        tqk_idreader_state_code(ev->state), tqk_err_code(ev->err),
		        tqk_idreader_state_code(state), tqk_err_code(err));
}

void idev_expect_quiet_at(const char *file, int line, tqk_idreader *r, tqk_date today, int ms)
{
	long long end = tqk_dev_now_ms() + ms;
	while (tqk_dev_now_ms() < end) {
		tqk_idreader_event ev;
		tqk_idreader_poll(r, 50, today, &ev);
		if (ev.kind != TQK_IDREADER_EV_NONE)
			fail_at(file, line, "unexpected event %s (state %s, %s)",
			        idev_kind_name(ev.kind), tqk_idreader_state_code(ev.state),
			        tqk_err_code(ev.err));
	}
}
