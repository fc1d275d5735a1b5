/*
 * idevents.h - waiting for the ID-card reader driver's events in a cmocka
 * test, whatever plays the reader (the simulator on a pty, or a USB device
 * under umockdev).
 *
 * Each call polls the driver (tqk_idreader_poll, 50 ms at a time, checking
 * cards against today) until an event comes or the time is up, and fails
 * the running test with the event's kind, the driver's state and error
 * when it is not the one wanted. Events the test does not take are not
 * kept: whatever comes first is what is checked. The calls are macros so
 * that a failure names the line of the test (as cmocka's assert_* do).
 */
#ifndef TQK_TEST_IDEVENTS_H
#define TQK_TEST_IDEVENTS_H

#include "core/date.h"
#include "dev/idreader.h"

/* How long idev_expect and idev_expect_state wait: generous for a loaded
 * machine (sanitizers, many umockdev round trips); only a failing test
 * waits this out. */
#define IDEV_WAIT_MS 15000

/* "none", "card", "card_failed", "card_left", "state"; "?" for others. */
const char *idev_kind_name(tqk_idreader_kind k);

/* The first event other than NONE within max_ms into *ev; fails the test
 * when none comes. */
#define idev_next(r, today, max_ms, ev) \
	idev_next_at(__FILE__, __LINE__, (r), (today), (max_ms), (ev))

/* The next event (within IDEV_WAIT_MS) into *ev; it must be of kind. */
#define idev_expect(r, today, kind, ev) \
	idev_expect_at(__FILE__, __LINE__, (r), (today), (kind), (ev))

/* The same for a STATE event, which must say state and err. */
#define idev_expect_state(r, today, state, err, ev) \
	idev_expect_state_at(__FILE__, __LINE__, (r), (today), (state), (err), (ev))

/* No event at all for ms. */
#define idev_expect_quiet(r, today, ms) \
	idev_expect_quiet_at(__FILE__, __LINE__, (r), (today), (ms))

/* Behind the macros: the same, with the place of the check first. */
void idev_next_at(const char *file, int line, tqk_idreader *r, tqk_date today, int max_ms,
                  tqk_idreader_event *ev);
void idev_expect_at(const char *file, int line, tqk_idreader *r, tqk_date today,
                    tqk_idreader_kind kind, tqk_idreader_event *ev);
void idev_expect_state_at(const char *file, int line, tqk_idreader *r, tqk_date today,
                          tqk_idreader_state state, tqk_err err, tqk_idreader_event *ev);
void idev_expect_quiet_at(const char *file, int line, tqk_idreader *r, tqk_date today, int ms);

#endif
