/*
 * transport_fault.c - the misbehaving transport of transport_fault.h.
 *
 * Every read first asks the inner transport for bytes (so the timing of the
 * real device is kept), then applies the plan: garbage in front, a short
 * piece of what arrived (the rest is kept for the next read), a delay, and
 * a hang-up once the byte budget is spent. Writes pass through unless the
 * plan fails them. A small xorshift generator seeded from the plan makes
 * every run of one seed identical.
 */
#include "dev/transport_fault.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dev/devsys.h"

#define PENDING_CAP 8192

typedef struct fault {
	tqk_transport base;
	tqk_transport *inner;
	tqk_fault_plan plan;
	uint32_t rng;
	unsigned reads, writes;
	uint64_t delivered;      /* bytes handed to the caller */
	uint64_t garbage;        /* garbage bytes among them */
	bool gone;
	uint8_t pending[PENDING_CAP]; /* device bytes read but not handed out */
	size_t pending_len;
} fault;

static uint32_t next(fault *f)
{
	uint32_t x = f->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return f->rng = x;
}

/* A number in 1..max (max >= 1). */
static size_t pick(fault *f, size_t max)
{
	return 1 + next(f) % max;
}

/* Hands n bytes to the caller, hanging up when the budget runs out. */
static size_t deliver(fault *f, size_t n)
{
	if (f->plan.hangup_after > 0) {
		uint64_t left = f->plan.hangup_after - f->delivered;
		if (n >= left) {
			n = (size_t)left;
			f->gone = true;
		}
	}
	f->delivered += n;
	return n;
}

static tqk_err fault_read(tqk_transport *t, uint8_t *buf, size_t cap,
                          int timeout_ms, size_t *got)
{
	fault *f = (fault *)t;
	*got = 0;
	if (f->gone)
		return TQK_E_DEV_GONE;
	if (cap == 0)
		return TQK_E_ARG;

	if (f->pending_len == 0) {
		size_t n = 0;
		tqk_err err = tqk_transport_read(f->inner, f->pending, sizeof f->pending,
		                                 timeout_ms, &n);
		if (err != TQK_OK)
			return err;
		f->pending_len = n;
	}
	f->reads++;
	tqk_dev_sleep_ms(f->plan.delay_ms);

	size_t out = 0;
	if (f->plan.garbage_every > 0 && f->reads % f->plan.garbage_every == 0) {
		size_t max = f->plan.garbage_max > 0 ? f->plan.garbage_max : 8;
		size_t g = pick(f, max);
		if (g > cap)
			g = cap;
		for (size_t i = 0; i < g; i++)
			buf[i] = (uint8_t)next(f);
		out = g;
		f->garbage += g;
	}
	size_t n = f->pending_len;
	if (f->plan.max_chunk > 0) {
		size_t chunk = pick(f, f->plan.max_chunk);
		if (n > chunk)
			n = chunk;
	}
	if (n > cap - out)
		n = cap - out;
	memcpy(buf + out, f->pending, n);
	memmove(f->pending, f->pending + n, f->pending_len - n);
	f->pending_len -= n;
	out += n;

	*got = deliver(f, out);
	if (*got == 0 && f->gone)
		return TQK_E_DEV_GONE;
	return TQK_OK;
}

static tqk_err fault_write(tqk_transport *t, const uint8_t *buf, size_t len,
                           int timeout_ms)
{
	fault *f = (fault *)t;
	if (f->gone)
		return TQK_E_DEV_GONE;
	f->writes++;
	if (f->plan.fail_write_every > 0 && f->writes % f->plan.fail_write_every == 0)
		return TQK_E_DEV_IO;
	return tqk_transport_write(f->inner, buf, len, timeout_ms);
}

static void fault_flush(tqk_transport *t)
{
	fault *f = (fault *)t;
	f->pending_len = 0;
	if (!f->gone)
		tqk_transport_flush(f->inner);
}

static void fault_close(tqk_transport *t)
{
	fault *f = (fault *)t;
	tqk_transport_close(f->inner);
	free(f);
}

static const tqk_transport_ops fault_ops = {
	.name = "fault",
	.read = fault_read,
	.write = fault_write,
	.flush = fault_flush,
	.close = fault_close,
};

tqk_err tqk_fault_wrap(tqk_transport *inner, const tqk_fault_plan *plan,
                       tqk_transport **out)
{
	*out = NULL;
	fault *f = calloc(1, sizeof *f);
	if (f == NULL) {
		tqk_transport_close(inner);
		return TQK_E_NOMEM;
	}
	f->base.ops = &fault_ops;
	f->inner = inner;
	f->plan = *plan;
	f->rng = plan->seed != 0 ? plan->seed : 0x9E3779B9u;
	*out = &f->base;
	return TQK_OK;
}

uint64_t tqk_fault_garbage_sent(const tqk_transport *t)
{
	return ((const fault *)t)->garbage;
}
