/*
 * transport_fault.h - a transport that misbehaves on purpose, for tests.
 *
 * Wraps a real transport (a pty, a USB device under umockdev) and, driven by
 * a seeded plan, splits reads into short pieces, delays them, slips garbage
 * bytes in front of what the device sent, fails writes, or hangs up after a
 * number of bytes. The same seed gives the same misbehaviour, so a failing
 * run can be replayed.
 */
#ifndef TQK_DEV_TRANSPORT_FAULT_H
#define TQK_DEV_TRANSPORT_FAULT_H

#include <stddef.h>
#include <stdint.h>

#include "dev/transport.h"

typedef struct tqk_fault_plan {
	uint32_t seed;             /* for the random choices below */
	size_t max_chunk;          /* each read returns 1..max_chunk bytes (0: as many as asked) */
	int delay_ms;              /* sleep this long before each read that returns bytes */
	unsigned garbage_every;    /* every n-th read returns 1..garbage_max random bytes
	                              before the device's (0: never) */
	size_t garbage_max;        /* default 8 */
	uint64_t hangup_after;     /* after this many bytes read in total, the device is
	                              gone: reads and writes fail with TQK_E_DEV_GONE (0: never) */
	unsigned fail_write_every; /* every n-th write fails with TQK_E_DEV_IO (0: never) */
} tqk_fault_plan;

/*
 * Wraps inner (owned from now on, also on failure) in the faults of plan
 * (copied). TQK_E_NOMEM.
 */
tqk_err tqk_fault_wrap(tqk_transport *inner, const tqk_fault_plan *plan,
                       tqk_transport **out) TQK_MUST_CHECK;

/* Bytes of garbage the wrapper has slipped in so far (t must come from
 * tqk_fault_wrap). */
uint64_t tqk_fault_garbage_sent(const tqk_transport *t);

#endif
