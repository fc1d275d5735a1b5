/*
 * samlink.c - request, reply, retry and resynchronisation (see samlink.h).
 *
 * One attempt: drop what is waiting, reset the decoder, send the frame,
 * then feed whatever arrives to the decoder until a reply frame completes
 * or the attempt's time is up. A damaged frame does not end the attempt at
 * once (the decoder rescans its bytes: a real reply may sit inside), but
 * after one the attempt waits only until the line is quiet. A reply of the
 * wrong shape is skipped and the attempt goes on waiting for the right one.
 */
#include "dev/samlink.h"

#include <assert.h>
#include <string.h>

#include "dev/devsys.h"

/* The line is quiet after this long without a byte. */
#define QUIET_MS 40
/* Resynchronising waits at most this long for the line to be quiet. */
#define DRAIN_MAX_MS 600
/* Bytes asked of the transport per read. */
#define CHUNK 512

void tqk_samlink_init(tqk_samlink *l, tqk_transport *t, int retries)
{
	assert(l != NULL && t != NULL && retries >= 0);
	memset(l, 0, offsetof(tqk_samlink, dec));
	l->t = t;
	l->retries = retries;
	tqk_sam_decoder_init(&l->dec);
	l->body_len = 0;
}

/* Waits until nothing has come for QUIET_MS (at most DRAIN_MAX_MS), then
 * drops everything received. */
static void resync(tqk_samlink *l)
{
	uint8_t buf[CHUNK];
	long long end = tqk_dev_now_ms() + DRAIN_MAX_MS;
	for (;;) {
		long long left = end - tqk_dev_now_ms();
		if (left <= 0)
			break;
		size_t got = 0;
		if (tqk_transport_read(l->t, buf, sizeof buf, (int)(left < QUIET_MS ? left : QUIET_MS),
		                       &got) != TQK_OK)
			break; /* quiet (or gone: the next write says so) */
	}
	tqk_transport_flush(l->t);
	tqk_sam_decoder_init(&l->dec);
	l->dirty = false;
	l->stats.resyncs++;
}

/*
 * Feeds buf[0..n) to the decoder. Returns true when a reply that fits came
 * (in l->body and *reply), or a status saying the reader received our
 * request damaged (*err = TQK_E_SAM_STATUS). Otherwise notes in *damaged
 * and *stale what was dropped.
 */
static bool feed(tqk_samlink *l, const uint8_t *buf, size_t n, tqk_samlink_fits fits,
                 tqk_sam_reply *reply, tqk_err *err, tqk_err *damaged, bool *stale)
{
	size_t pos = 0;
	for (;;) {
		size_t used = 0, len = 0;
		const uint8_t *body = NULL;
		tqk_err d = tqk_sam_decode(&l->dec, buf + pos, n - pos, &used, &body, &len);
		pos += used;
		if (d != TQK_OK) {
			/* call again: the dropped frame's bytes are rescanned */
			*damaged = d;
			l->stats.bad++;
			continue;
		}
		if (body == NULL)
			return false;
		memcpy(l->body, body, len);
		l->body_len = len;
		if (tqk_sam_reply_parse(l->body, len, reply) != TQK_OK) {
			*damaged = TQK_E_SAM_FRAME;
			l->stats.bad++;
			continue;
		}
		l->last_sw = reply->sw3;
		if (reply->sw3 == TQK_SAM_SW_CHECKSUM || reply->sw3 == TQK_SAM_SW_LENGTH) {
			*err = TQK_E_SAM_STATUS;
			return true;
		}
		if (fits != NULL && !fits(reply)) {
			*stale = true;
			l->stats.bad++;
			continue;
		}
		*err = TQK_OK;
		return true;
	}
}

static tqk_err attempt(tqk_samlink *l, const uint8_t *frame, size_t flen, int timeout_ms,
                       tqk_samlink_fits fits, tqk_sam_reply *reply)
{
	tqk_transport_flush(l->t);
	tqk_sam_decoder_init(&l->dec);
	tqk_err err = tqk_transport_write(l->t, frame, flen, timeout_ms);
	if (err != TQK_OK)
		return err;

	long long deadline = tqk_dev_now_ms() + timeout_ms;
	tqk_err damaged = TQK_OK;
	bool stale = false;
	uint8_t buf[CHUNK];
	for (;;) {
		long long left = deadline - tqk_dev_now_ms();
		if (damaged != TQK_OK && left > QUIET_MS)
			left = QUIET_MS;
		if (left <= 0)
			break;
		size_t got = 0;
		err = tqk_transport_read(l->t, buf, sizeof buf, (int)left, &got);
		if (err == TQK_E_DEV_TIMEOUT)
			break;
		if (err != TQK_OK)
			return err;
		if (feed(l, buf, got, fits, reply, &err, &damaged, &stale))
			return err;
	}
	if (damaged != TQK_OK)
		return damaged;
	return stale ? TQK_E_SAM_REPLY : TQK_E_DEV_TIMEOUT;
}

tqk_err tqk_samlink_call(tqk_samlink *l, uint8_t cmd, uint8_t para, int timeout_ms,
                         tqk_samlink_fits fits, tqk_sam_reply *reply)
{
	assert(l != NULL && reply != NULL && timeout_ms > 0);
	uint8_t frame[TQK_SAM_HEADER_LEN + 3];
	size_t flen = tqk_sam_encode_request(cmd, para, NULL, 0, frame, sizeof frame);
	assert(flen == sizeof frame);

	tqk_err last = TQK_E_DEV_TIMEOUT;
	for (int a = 0; a <= l->retries; a++) {
		if (a > 0)
			l->stats.retries++;
		if (l->dirty)
			resync(l);
		l->stats.requests++;
		tqk_err err = attempt(l, frame, flen, timeout_ms, fits, reply);
		if (err == TQK_OK || err == TQK_E_DEV_GONE)
			return err;
		if (err == TQK_E_DEV_TIMEOUT)
			l->stats.timeouts++;
		l->dirty = true;
		last = err;
	}
	return last;
}
