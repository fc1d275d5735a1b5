/*
 * idreader.h - the ID-card reader driver: polled, hot-pluggable, no threads.
 *
 * The driver talks to a SAM reader (sam.h) over a transport (transport.h)
 * and turns its answers into events. The caller (the kiosk's device thread,
 * or tqkioskctl read-id) calls tqk_idreader_poll() in a loop; each call
 * waits up to its timeout and returns one event:
 *
 *   NONE        nothing happened
 *   CARD        a card was read: its fields and photo are in the event
 *   CARD_FAILED a card is on the reader and could not be read: why (err,
 *               the reader's status sw, the field at fault)
 *   CARD_LEFT   the card that was read (or failed) left the reader
 *   STATE       the reader's state or its reason changed without a card
 *               event: plugged in, unplugged, failing, recovered
 *
 * and every event says the state after it: ABSENT (not plugged in or cannot
 * be opened; err says why), READY (no card), CARD (a card is on the reader)
 * or ERROR (the reader is there but failing: no reply, damaged replies, an
 * error status; err and sw say which). When the reader goes, its card goes
 * with it: ABSENT means no card.
 *
 * Reading a card is find (20 01), select (20 02), read text and photo
 * (30 01), and the appended address (30 03; status 91 means it has none).
 * A card is read once: while it stays on the reader nothing more happens;
 * it must leave (two finds in a row without it, so that one missed find
 * does not count) before it is read again. A card that fails for a reason
 * of its own (damaged data, a failed authentication) must leave too; a card
 * that was moved during the read (statuses 41, 80, 81) is tried again while
 * it stays, up to retries + 1 times. Failures of the line (no reply,
 * damaged replies) are retried per request and then make the state ERROR;
 * the card is tried again once the reader answers.
 *
 * Hot-plug: when the transport is gone (TQK_E_DEV_GONE) the driver closes
 * it and opens the address again on later polls, waiting backoff_min_ms
 * after a failure and doubling up to backoff_max_ms; a restart is never
 * needed. A reader built over a given transport has no address: once that
 * transport is gone it stays ABSENT.
 *
 * Personal data stays in the event the caller gets; the driver logs nothing.
 */
#ifndef TQK_DEV_IDREADER_H
#define TQK_DEV_IDREADER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "dev/idcard.h"
#include "dev/samlink.h"
#include "dev/transport.h"

typedef struct tqk_idreader tqk_idreader;

typedef enum tqk_idreader_state {
	TQK_IDREADER_ABSENT = 0,
	TQK_IDREADER_READY,
	TQK_IDREADER_CARD,
	TQK_IDREADER_ERROR,
	TQK_IDREADER_STATE_COUNT
} tqk_idreader_state;

typedef enum tqk_idreader_kind {
	TQK_IDREADER_EV_NONE = 0,
	TQK_IDREADER_EV_CARD,
	TQK_IDREADER_EV_CARD_FAILED,
	TQK_IDREADER_EV_CARD_LEFT,
	TQK_IDREADER_EV_STATE,
} tqk_idreader_kind;

/* Timings and limits; 0 in a field takes its default. */
typedef struct tqk_idreader_opts {
	int timeout_ms;      /* per attempt of find and select (default 1000) */
	int read_timeout_ms; /* per attempt of a read, which takes the card a while (3000) */
	int retries;         /* further attempts per request (default 2; -1 for none) */
	int find_every_ms;   /* pause between finds (default 150) */
	int backoff_min_ms;  /* first pause before re-opening (default 200) */
	int backoff_max_ms;  /* longest pause (default 2000) */
	bool no_new_address; /* do not ask for the appended address (30 03) */
} tqk_idreader_opts;

typedef struct tqk_idreader_event {
	tqk_idreader_kind kind;
	tqk_idreader_state state;    /* after the event */
	tqk_err err;                 /* CARD_FAILED, and STATE to ABSENT or ERROR */
	uint8_t sw;                  /* the reader's status when err is TQK_E_SAM_STATUS */
	tqk_idcard_problem problem;  /* when err is TQK_E_CARD_DATA */
	tqk_idcard card;             /* CARD only */
} tqk_idreader_event;

/* Opens the transport into *out; the driver's way to (re-)open a reader. */
typedef tqk_err (*tqk_idreader_open_fn)(void *user, tqk_transport **out);

/*
 * A reader at a device address ("tty:/dev/ttyUSB0", "usb:0400:c35a", see
 * transport.h; copied). Nothing is opened before the first poll. opts may be
 * NULL (defaults; copied). TQK_E_DEV_SPEC for an address longer than
 * TQK_DEV_SPEC_CAP or of an unknown scheme, TQK_E_NOMEM.
 */
tqk_err tqk_idreader_new(const char *address, const tqk_idreader_opts *opts,
                         tqk_idreader **out) TQK_MUST_CHECK;

/* A reader that (re-)opens its transport with open(user): a fault wrapper
 * around a real device, a mock. TQK_E_NOMEM. */
tqk_err tqk_idreader_new_opener(tqk_idreader_open_fn open, void *user,
                                const tqk_idreader_opts *opts,
                                tqk_idreader **out) TQK_MUST_CHECK;

/* A reader over t, owned from now on (also on failure), never re-opened.
 * TQK_E_NOMEM. */
tqk_err tqk_idreader_new_transport(tqk_transport *t, const tqk_idreader_opts *opts,
                                   tqk_idreader **out) TQK_MUST_CHECK;

/* Closes the transport and frees r; NULL is a no-op. */
void tqk_idreader_free(tqk_idreader *r);

/*
 * Works for up to timeout_ms (0: one step without waiting) and stores the
 * first event in *ev (NONE when none came). A card read that has begun is
 * finished even when that takes longer (each request is bounded by its
 * timeout and retries). today is the date the ID number is checked against.
 */
void tqk_idreader_poll(tqk_idreader *r, int timeout_ms, tqk_date today,
                       tqk_idreader_event *ev);

/* The current state, and its reason (TQK_OK when READY or CARD) and status
 * byte (for TQK_E_SAM_STATUS) when the pointers are not NULL. */
tqk_idreader_state tqk_idreader_get_state(const tqk_idreader *r, tqk_err *err, uint8_t *sw);

/* The link's counters (all zero while nothing is open), and how many times
 * the transport was opened so far. */
void tqk_idreader_stats(const tqk_idreader *r, tqk_samlink_stats *link, unsigned *opens);

/* "absent" / "ready" / "card" / "error". */
const char *tqk_idreader_state_code(tqk_idreader_state s);
/* What the state means for a person, in lang: "未连接身份证阅读器" ... */
const char *tqk_idreader_state_text(tqk_idreader_state s, tqk_lang lang);

/* The reason of an event or a state in lang, for a person: the status
 * table's text for TQK_E_SAM_STATUS, otherwise tqk_strerror. */
const char *tqk_idreader_reason_text(tqk_err err, uint8_t sw, tqk_lang lang);

#endif
