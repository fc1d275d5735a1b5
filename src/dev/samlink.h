/*
 * samlink.h - one SAM request and its reply over a transport.
 *
 * The reader answers every request with exactly one reply frame (sam.h),
 * which names neither the request nor a sequence number, so the link keeps
 * request and reply in step: before each request it drops whatever is
 * waiting (a reply that came too late, garbage), and after a timeout or a
 * bad frame it resynchronises: it waits until the line has been quiet for a
 * moment, discards everything, resets the decoder, and sends the request
 * again. A reply of the wrong shape for the request (the caller's "fits"
 * check) counts as a stale reply and is retried the same way, as is a reply
 * in which the reader says that it received our request damaged (status 10
 * or 11). Every other status goes back to the caller, which knows what it
 * means for the request.
 *
 * The link borrows the transport; it has no threads and no timers of its own
 * (each call blocks for at most (retries + 1) times its timeout plus the
 * resynchronisation waits).
 */
#ifndef TQK_DEV_SAMLINK_H
#define TQK_DEV_SAMLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "dev/sam.h"
#include "dev/transport.h"

/* Whether a reply's shape fits the request (status and data length). */
typedef bool (*tqk_samlink_fits)(const tqk_sam_reply *reply);

/* Counters for tests and the admin screen. */
typedef struct tqk_samlink_stats {
	unsigned long requests;  /* frames sent */
	unsigned long retries;   /* requests sent again */
	unsigned long timeouts;  /* attempts without a reply in time */
	unsigned long bad;       /* frames dropped: checksum, length, wrong shape */
	unsigned long resyncs;
} tqk_samlink_stats;

typedef struct tqk_samlink {
	tqk_transport *t;        /* borrowed */
	int retries;             /* attempts after the first */
	uint8_t last_sw;         /* SW3 of the last reply, 0 before any */
	tqk_samlink_stats stats;
	bool dirty;              /* resynchronise before the next request */
	tqk_sam_decoder dec;
	uint8_t body[TQK_SAM_BODY_MAX]; /* the last reply's body */
	size_t body_len;
} tqk_samlink;

/* Sets l up over t (borrowed) with retries further attempts per call. */
void tqk_samlink_init(tqk_samlink *l, tqk_transport *t, int retries);

/*
 * Sends cmd/para (no data) and waits up to timeout_ms for each attempt's
 * reply. On TQK_OK *reply holds the reply (its data points into l, valid
 * until the next call), whatever its status. Fails, after the retries, with
 * the last attempt's failure: TQK_E_DEV_TIMEOUT (no reply),
 * TQK_E_SAM_CHECKSUM or TQK_E_SAM_FRAME (damaged replies), TQK_E_SAM_REPLY
 * (replies that do not fit), TQK_E_SAM_STATUS (the reader kept receiving our
 * request damaged; l->last_sw says how), TQK_E_DEV_IO; and at once with
 * TQK_E_DEV_GONE when the transport is gone (no retry helps then).
 */
tqk_err tqk_samlink_call(tqk_samlink *l, uint8_t cmd, uint8_t para, int timeout_ms,
                         tqk_samlink_fits fits, tqk_sam_reply *reply) TQK_MUST_CHECK;

#endif
