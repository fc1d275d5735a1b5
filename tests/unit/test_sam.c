/*
 * test_sam.c - the SAM frame codec (src/dev/sam.h).
 *
 * The request frames of DESIGN.md §3 and well-known replies byte for byte;
 * encoding limits; the incremental decoder against a whole-buffer reference
 * model (find the first preamble, check LEN, check the XOR, and after a bad
 * frame scan again from its LEN bytes) over random streams of good frames,
 * damaged frames, garbage and false preambles, fed one byte at a time, in
 * every fixed chunk size and in random splits; length caps; every status
 * code's text and meaning; the card-data layouts of 30 01 and 30 10.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "dev/sam.h"

/* ---- frames of DESIGN.md §3 ---- */

static void expect_request(uint8_t cmd, uint8_t para, const uint8_t *want, size_t n)
{
	uint8_t out[32];
	assert_int_equal(tqk_sam_encode_request(cmd, para, NULL, 0, out, sizeof out), n);
	assert_memory_equal(out, want, n);
}

static void request_frames(void **state)
{
	(void)state;
#define REQ(cmd, para, chk)                                                                 \
	expect_request(cmd, para,                                                              \
	               (const uint8_t[]){0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, cmd, para, chk}, \
	               10)
	REQ(0x10, 0xFF, 0xEC); /* reset */
	REQ(0x11, 0xFF, 0xED); /* status */
	REQ(0x12, 0xFF, 0xEE); /* SAM id */
	REQ(0x20, 0x01, 0x22); /* find */
	REQ(0x20, 0x02, 0x21); /* select */
	REQ(0x30, 0x01, 0x32); /* read text + photo */
	REQ(0x30, 0x03, 0x30); /* appended address */
	REQ(0x30, 0x10, 0x23); /* read with fingerprint */
	REQ(0x60, 0x00, 0x63); /* baud 9600 .. */
	REQ(0x60, 0x01, 0x62);
	REQ(0x60, 0x02, 0x61);
	REQ(0x60, 0x03, 0x60);
	REQ(0x60, 0x04, 0x67);
#undef REQ
	/* With data: LEN counts it. */
	uint8_t out[32];
	const uint8_t data[] = {0x01, 0x02};
	const uint8_t want[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x05, 0x60, 0x04, 0x01, 0x02,
	                        0x05 ^ 0x60 ^ 0x04 ^ 0x01 ^ 0x02};
	assert_int_equal(tqk_sam_encode_request(0x60, 0x04, data, 2, out, sizeof out), sizeof want);
	assert_memory_equal(out, want, sizeof want);
}

static void reply_frames(void **state)
{
	(void)state;
	uint8_t out[64];
	const uint8_t four[4] = {0}, eight[8] = {0};
	/* find: card found, with its four data bytes */
	const uint8_t found[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00, 0x00, 0x9F,
	                         0x00, 0x00, 0x00, 0x00, 0x97};
	assert_int_equal(tqk_sam_encode_reply(0x9F, four, 4, out, sizeof out), sizeof found);
	assert_memory_equal(out, found, sizeof found);
	/* find: no card */
	const uint8_t none[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x80, 0x84};
	assert_int_equal(tqk_sam_encode_reply(0x80, NULL, 0, out, sizeof out), sizeof none);
	assert_memory_equal(out, none, sizeof none);
	/* select: success with eight bytes */
	const uint8_t sel[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x0C, 0x00, 0x00, 0x90,
	                       0, 0, 0, 0, 0, 0, 0, 0, 0x9C};
	assert_int_equal(tqk_sam_encode_reply(0x90, eight, 8, out, sizeof out), sizeof sel);
	assert_memory_equal(out, sel, sizeof sel);
	/* no content */
	const uint8_t empty[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x91, 0x95};
	assert_int_equal(tqk_sam_encode_reply(0x91, NULL, 0, out, sizeof out), sizeof empty);
	assert_memory_equal(out, empty, sizeof empty);

	/* A 30 01 reply: LEN 0x0508 = 3 + 4 + 256 + 1024 + 1. */
	static uint8_t data[4 + 256 + 1024], frame[TQK_SAM_FRAME_MAX];
	data[0] = 0x01, data[1] = 0x00, data[2] = 0x04, data[3] = 0x00;
	for (size_t i = 4; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 31 + 7);
	size_t n = tqk_sam_encode_reply(0x90, data, sizeof data, frame, sizeof frame);
	assert_int_equal(n, 7 + 0x0508);
	assert_int_equal(frame[5], 0x05);
	assert_int_equal(frame[6], 0x08);
	uint8_t x = 0;
	for (size_t i = 5; i < n - 1; i++)
		x ^= frame[i];
	assert_int_equal(frame[n - 1], x);
	assert_int_equal(tqk_sam_checksum(frame + 5, n - 6), x);
	assert_int_equal(tqk_sam_checksum(NULL, 0), 0);
}

static void encode_limits(void **state)
{
	(void)state;
	static uint8_t data[TQK_SAM_BODY_MAX], out[TQK_SAM_FRAME_MAX + 1];
	/* The largest bodies fit exactly into TQK_SAM_FRAME_MAX. */
	assert_int_equal(tqk_sam_encode_request(1, 2, data, TQK_SAM_BODY_MAX - 2, out, sizeof out),
	                 TQK_SAM_FRAME_MAX);
	assert_int_equal(tqk_sam_encode_reply(0x90, data, TQK_SAM_BODY_MAX - 3, out, sizeof out),
	                 TQK_SAM_FRAME_MAX);
	/* One more byte is refused, as is a frame that does not fit the buffer. */
	assert_int_equal(tqk_sam_encode_request(1, 2, data, TQK_SAM_BODY_MAX - 1, out, sizeof out), 0);
	assert_int_equal(tqk_sam_encode_reply(0x90, data, TQK_SAM_BODY_MAX - 2, out, sizeof out), 0);
	assert_int_equal(tqk_sam_encode_request(0x20, 0x01, NULL, 0, out, 9), 0);
	assert_int_equal(tqk_sam_encode_reply(0x90, NULL, 0, out, 10), 0);
	assert_int_equal(tqk_sam_encode_reply(0x90, NULL, 0, out, 11), 11);
	assert_int_equal(tqk_sam_encode_request(0x20, 0x01, NULL, 0, NULL, 0), 0);
}

/* ---- the decoder against a reference model ---- */

typedef struct dec_event {
	tqk_err err;        /* TQK_OK: a frame */
	size_t len;
	uint32_t hash;      /* FNV-1a of the body */
} dec_event;

#define EV_MAX 4096

typedef struct dec_log {
	dec_event ev[EV_MAX];
	size_t n;
} dec_log;

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void log_add(dec_log *log, tqk_err err, const uint8_t *body, size_t len)
{
	assert_true(log->n < EV_MAX);
	log->ev[log->n++] = (dec_event){err, len, body != NULL ? fnv(body, len) : 0};
}

/* The reference: whole buffer, same rules, no state. */
static void reference(const uint8_t *b, size_t n, dec_log *log)
{
	log->n = 0;
	size_t p = 0;
	for (;;) {
		size_t q = p;
		while (q + 5 <= n && memcmp(b + q, tqk_sam_preamble, 5) != 0)
			q++;
		if (q + 5 > n)
			return;
		size_t h = q + 5;
		if (h + 2 > n)
			return;
		size_t lenv = (size_t)b[h] << 8 | b[h + 1];
		if (lenv < 3 || lenv > TQK_SAM_BODY_MAX + 1) {
			log_add(log, TQK_E_SAM_FRAME, NULL, 0);
			p = h;
			continue;
		}
		size_t end = h + 2 + lenv;
		if (end > n)
			return;
		if (tqk_sam_checksum(b + h, lenv + 1) != b[end - 1]) {
			log_add(log, TQK_E_SAM_CHECKSUM, NULL, 0);
			p = h;
			continue;
		}
		log_add(log, TQK_OK, b + h + 2, lenv - 1);
		p = end;
	}
}

static uint32_t rng_next(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/*
 * Feeds b[0..n) in pieces: piece k has size chunk (> 0), or, with chunk 0,
 * a random size 1..max_rand. Logs what the decoder returns.
 */
static void incremental(const uint8_t *b, size_t n, size_t chunk, size_t max_rand,
                        uint32_t seed, dec_log *log)
{
	static tqk_sam_decoder d;
	tqk_sam_decoder_init(&d);
	log->n = 0;
	size_t pos = 0;
	uint32_t s = seed | 1;
	while (pos < n) {
		size_t piece = chunk > 0 ? chunk : 1 + rng_next(&s) % max_rand;
		if (piece > n - pos)
			piece = n - pos;
		const uint8_t *in = b + pos;
		size_t left = piece;
		for (;;) {
			size_t used = 99999;
			const uint8_t *body = (const uint8_t *)1;
			size_t len = 99999;
			tqk_err err = tqk_sam_decode(&d, in, left, &used, &body, &len);
			assert_true(used <= left);
			in += used;
			left -= used;
			if (err != TQK_OK) {
				assert_null(body);
				log_add(log, err, NULL, 0);
				continue; /* call again, even with nothing left */
			}
			if (body == NULL) {
				assert_int_equal(left, 0);
				break;
			}
			assert_true(len >= 2 && len <= TQK_SAM_BODY_MAX);
			log_add(log, TQK_OK, body, len);
		}
		pos += piece;
	}
}

static void logs_equal(const dec_log *a, const dec_log *b, const char *what)
{
	if (a->n != b->n)
		fail_msg("%s: %zu events, the reference has %zu", what, a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		if (a->ev[i].err != b->ev[i].err || a->ev[i].len != b->ev[i].len ||
		    a->ev[i].hash != b->ev[i].hash)
			fail_msg("%s: event %zu differs (err %d/%d, len %zu/%zu)", what, i, a->ev[i].err,
			         b->ev[i].err, a->ev[i].len, b->ev[i].len);
}

/* Appends one piece of a random stream to buf: a good frame, a damaged one,
 * garbage (with AA and preamble fragments), a false preamble, a bad LEN. */
static size_t random_piece(uint32_t *s, uint8_t *buf, size_t cap)
{
	static uint8_t data[TQK_SAM_BODY_MAX];
	uint8_t frame[TQK_SAM_FRAME_MAX];
	size_t n = 0;
	unsigned kind = rng_next(s) % 8;
	size_t dlen = rng_next(s) % 4 == 0 ? rng_next(s) % (TQK_SAM_BODY_MAX - 2)
	                                    : rng_next(s) % 40;
	for (size_t i = 0; i < dlen; i++)
		data[i] = (uint8_t)(rng_next(s) % 5 == 0 ? 0xAA : rng_next(s));
	switch (kind) {
	case 0:
	case 1:
	case 2:
		n = tqk_sam_encode_request((uint8_t)rng_next(s), (uint8_t)rng_next(s), data, dlen,
		                           frame, sizeof frame);
		break;
	case 3: /* damaged: one byte after the preamble changed */
		n = tqk_sam_encode_reply((uint8_t)rng_next(s), data, dlen > 0 ? dlen - 1 : 0, frame,
		                         sizeof frame);
		frame[5 + rng_next(s) % (n - 5)] ^= (uint8_t)(1 + rng_next(s) % 255);
		break;
	case 4: { /* garbage */
		n = rng_next(s) % 24;
		for (size_t i = 0; i < n; i++) {
			unsigned r = rng_next(s) % 6;
			frame[i] = r < 2 ? 0xAA : r == 2 ? 0x96 : r == 3 ? 0x69 : (uint8_t)rng_next(s);
		}
		break;
	}
	case 5: /* a false preamble with a small LEN, swallowing what follows */
		memcpy(frame, tqk_sam_preamble, 5);
		frame[5] = 0;
		frame[6] = (uint8_t)(3 + rng_next(s) % 20);
		n = 7;
		break;
	case 6: /* a LEN beyond the cap, or below 3 */
		memcpy(frame, tqk_sam_preamble, 5);
		if (rng_next(s) % 2) {
			frame[5] = 0xFF, frame[6] = (uint8_t)rng_next(s);
		} else {
			frame[5] = 0, frame[6] = (uint8_t)(rng_next(s) % 3);
		}
		n = 7;
		break;
	default: /* a cut-off frame */
		n = tqk_sam_encode_request(0x30, 0x01, data, dlen, frame, sizeof frame);
		n = 5 + rng_next(s) % (n - 5);
		break;
	}
	if (n > cap)
		n = 0;
	memcpy(buf, frame, n);
	return n;
}

#define STREAM_CAP (256 * 1024)

static void decoder_matches_reference(void **state)
{
	(void)state;
	static uint8_t stream[STREAM_CAP];
	static dec_log want, got;
	uint32_t s = 0x5A17u;
	size_t frames_seen = 0, errors_seen = 0;
	for (int round = 0; round < 60; round++) {
		size_t n = 0;
		int pieces = 1 + (int)(rng_next(&s) % 60);
		for (int k = 0; k < pieces; k++)
			n += random_piece(&s, stream + n, STREAM_CAP - n);
		reference(stream, n, &want);
		for (size_t i = 0; i < want.n; i++)
			*(want.ev[i].err == TQK_OK ? &frames_seen : &errors_seen) += 1;
		char what[64];
		snprintf(what, sizeof what, "round %d, whole", round);
		incremental(stream, n, n > 0 ? n : 1, 0, 0, &got);
		logs_equal(&got, &want, what);
		for (size_t chunk = 1; chunk <= 9; chunk++) {
			snprintf(what, sizeof what, "round %d, chunks of %zu", round, chunk);
			incremental(stream, n, chunk, 0, 0, &got);
			logs_equal(&got, &want, what);
		}
		for (uint32_t seed = 1; seed <= 6; seed++) {
			snprintf(what, sizeof what, "round %d, random split %u", round, seed);
			incremental(stream, n, 0, seed * 97, seed * 7919 + (uint32_t)round, &got);
			logs_equal(&got, &want, what);
		}
	}
	/* The streams did exercise both outcomes. */
	assert_true(frames_seen > 300);
	assert_true(errors_seen > 200);
}

/* Decodes the whole of b one byte at a time into log. */
static void bytewise(const uint8_t *b, size_t n, dec_log *log)
{
	incremental(b, n, 1, 0, 0, log);
}

static void garbage_between_frames(void **state)
{
	(void)state;
	uint8_t b[256];
	size_t n = 0;
	const uint8_t junk1[] = {0x00, 0xAA, 0xAA, 0x96, 0xAA, 0xAA, 0xAA, 0xAA, 0x96, 0x00, 0x69};
	memcpy(b + n, junk1, sizeof junk1);
	n += sizeof junk1;
	n += tqk_sam_encode_request(0x20, 0x01, NULL, 0, b + n, sizeof b - n);
	const uint8_t junk2[] = {0xFF, 0xAA, 0xAA, 0xAA, 0x96};
	memcpy(b + n, junk2, sizeof junk2);
	n += sizeof junk2;
	/* AA AA AA AA 96 69: four AA before 96 69 still make a preamble */
	b[n++] = 0xAA;
	n += tqk_sam_encode_reply(0x9F, (const uint8_t[]){0, 0, 0, 0}, 4, b + n, sizeof b - n);
	static dec_log log;
	bytewise(b, n, &log);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.ev[0].err, TQK_OK);
	assert_int_equal(log.ev[0].len, 2);
	assert_int_equal(log.ev[1].err, TQK_OK);
	assert_int_equal(log.ev[1].len, 7);

	/* The garbage is counted as skipped. */
	static tqk_sam_decoder d;
	tqk_sam_decoder_init(&d);
	size_t used = 0, len = 0;
	const uint8_t *body = NULL;
	assert_int_equal(tqk_sam_decode(&d, b, n, &used, &body, &len), TQK_OK);
	assert_non_null(body);
	assert_int_equal(d.skipped, sizeof junk1);
	assert_memory_equal(body, "\x20\x01", 2);
}

static void false_preamble_swallows_frame_start(void **state)
{
	(void)state;
	/* A false header announces 6 bytes; the real frame's first 6 fill it and
	 * its checksum fails; the real frame is found on the rescan. */
	uint8_t b[64];
	size_t n = 0;
	memcpy(b, tqk_sam_preamble, 5);
	b[5] = 0x00;
	b[6] = 0x06;
	n = 7;
	size_t real = tqk_sam_encode_request(0x30, 0x01, NULL, 0, b + n, sizeof b - n);
	n += real;
	/* The false frame's would-be checksum byte is real[5]: make sure it is
	 * wrong for the false frame, so that the test means what it says. */
	assert_int_not_equal(tqk_sam_checksum(b + 5, 7), b[12]);

	static dec_log log;
	bytewise(b, n, &log);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.ev[0].err, TQK_E_SAM_CHECKSUM);
	assert_int_equal(log.ev[1].err, TQK_OK);
	assert_int_equal(log.ev[1].hash, fnv((const uint8_t *)"\x30\x01", 2));

	/* The same in one call: the error first, then (calling again with the
	 * rest, even when nothing is left) the frame. */
	static tqk_sam_decoder d;
	tqk_sam_decoder_init(&d);
	size_t used = 0, len = 0;
	const uint8_t *body = NULL;
	assert_int_equal(tqk_sam_decode(&d, b, n, &used, &body, &len), TQK_E_SAM_CHECKSUM);
	assert_null(body);
	size_t rest = n - used;
	assert_int_equal(tqk_sam_decode(&d, b + used, rest, &used, &body, &len), TQK_OK);
	assert_non_null(body);
	assert_int_equal(len, 2);
	assert_memory_equal(body, "\x30\x01", 2);
}

static void length_caps(void **state)
{
	(void)state;
	static tqk_sam_decoder d;
	uint8_t hdr[7];
	memcpy(hdr, tqk_sam_preamble, 5);
	const struct {
		uint16_t len;
		tqk_err err;
	} cases[] = {
		{0x0000, TQK_E_SAM_FRAME},
		{0x0001, TQK_E_SAM_FRAME},
		{0x0002, TQK_E_SAM_FRAME},
		{TQK_SAM_BODY_MAX + 2, TQK_E_SAM_FRAME},
		{0xFFFF, TQK_E_SAM_FRAME},
		{0x0003, TQK_OK},
		{TQK_SAM_BODY_MAX + 1, TQK_OK},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tqk_sam_decoder_init(&d);
		hdr[5] = (uint8_t)(cases[i].len >> 8);
		hdr[6] = (uint8_t)cases[i].len;
		size_t used = 0, len = 0;
		const uint8_t *body = NULL;
		/* Refused at the header, before any body byte is buffered. */
		assert_int_equal(tqk_sam_decode(&d, hdr, sizeof hdr, &used, &body, &len), cases[i].err);
		assert_null(body);
	}
	/* The longest body decodes. */
	static uint8_t data[TQK_SAM_BODY_MAX - 2], frame[TQK_SAM_FRAME_MAX];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i ^ 0x5A);
	size_t n = tqk_sam_encode_request(0x11, 0x22, data, sizeof data, frame, sizeof frame);
	assert_int_equal(n, TQK_SAM_FRAME_MAX);
	tqk_sam_decoder_init(&d);
	size_t used = 0, len = 0;
	const uint8_t *body = NULL;
	assert_int_equal(tqk_sam_decode(&d, frame, n, &used, &body, &len), TQK_OK);
	assert_int_equal(used, n);
	assert_int_equal(len, TQK_SAM_BODY_MAX);
	assert_memory_equal(body + 2, data, sizeof data);
}

static void bad_checksums(void **state)
{
	(void)state;
	uint8_t frame[64];
	const uint8_t data[] = {1, 2, 3, 4, 5, 6};
	size_t n = tqk_sam_encode_reply(0x90, data, sizeof data, frame, sizeof frame);
	/* Any change to a byte after LEN is a checksum error (single errors in
	 * LEN may also shift the frame's end: the model says what then). */
	for (size_t i = 7; i < n; i++) {
		for (unsigned bit = 0; bit < 8; bit++) {
			uint8_t b[64];
			memcpy(b, frame, n);
			b[i] ^= (uint8_t)(1u << bit);
			static dec_log log;
			bytewise(b, n, &log);
			assert_int_equal(log.n, 1);
			assert_int_equal(log.ev[0].err, TQK_E_SAM_CHECKSUM);
		}
	}
	/* After a bad frame the next good one decodes. */
	uint8_t b[128];
	memcpy(b, frame, n);
	b[n - 1] ^= 0xFF;
	size_t m = n + tqk_sam_encode_reply(0x91, NULL, 0, b + n, sizeof b - n);
	static dec_log log;
	bytewise(b, m, &log);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.ev[0].err, TQK_E_SAM_CHECKSUM);
	assert_int_equal(log.ev[1].err, TQK_OK);
	assert_int_equal(log.ev[1].hash, fnv((const uint8_t *)"\x00\x00\x91", 3));
}

static void round_trips(void **state)
{
	(void)state;
	static uint8_t data[TQK_SAM_BODY_MAX], frame[TQK_SAM_FRAME_MAX];
	static tqk_sam_decoder d;
	uint32_t s = 99;
	for (int k = 0; k < 300; k++) {
		size_t len = k < 4 ? (size_t)k : rng_next(&s) % (TQK_SAM_BODY_MAX - 3);
		for (size_t i = 0; i < len; i++)
			data[i] = (uint8_t)rng_next(&s);
		bool reply = k % 2 == 0;
		uint8_t a = (uint8_t)rng_next(&s), b = (uint8_t)rng_next(&s);
		size_t n = reply ? tqk_sam_encode_reply(a, data, len, frame, sizeof frame)
		                 : tqk_sam_encode_request(a, b, data, len, frame, sizeof frame);
		assert_int_equal(n, TQK_SAM_HEADER_LEN + (reply ? 3 : 2) + len + 1);
		tqk_sam_decoder_init(&d);
		size_t used = 0, blen = 0;
		const uint8_t *body = NULL;
		assert_int_equal(tqk_sam_decode(&d, frame, n, &used, &body, &blen), TQK_OK);
		assert_int_equal(used, n);
		if (reply) {
			tqk_sam_reply r;
			assert_int_equal(tqk_sam_reply_parse(body, blen, &r), TQK_OK);
			assert_int_equal(r.sw1, 0);
			assert_int_equal(r.sw2, 0);
			assert_int_equal(r.sw3, a);
			assert_int_equal(r.len, len);
			if (len > 0)
				assert_memory_equal(r.data, data, len);
			/* and back to the same bytes */
			static uint8_t again[TQK_SAM_FRAME_MAX];
			assert_int_equal(tqk_sam_encode_reply(r.sw3, r.data, r.len, again, sizeof again), n);
			assert_memory_equal(again, frame, n);
		} else {
			tqk_sam_request r;
			assert_int_equal(tqk_sam_request_parse(body, blen, &r), TQK_OK);
			assert_int_equal(r.cmd, a);
			assert_int_equal(r.para, b);
			assert_int_equal(r.len, len);
			if (len > 0)
				assert_memory_equal(r.data, data, len);
		}
	}
	/* Bodies too short for their kind. */
	tqk_sam_reply r;
	tqk_sam_request q;
	assert_int_equal(tqk_sam_reply_parse((const uint8_t *)"\x00\x00", 2, &r), TQK_E_SAM_FRAME);
	assert_int_equal(tqk_sam_request_parse((const uint8_t *)"\x20", 1, &q), TQK_E_SAM_FRAME);
	assert_int_equal(tqk_sam_reply_parse(NULL, 0, &r), TQK_E_SAM_FRAME);
}

/* ---- statuses ---- */

static void statuses(void **state)
{
	(void)state;
	static const struct {
		uint8_t sw;
		tqk_err err;
		const char *zh;
	} table[] = {
		{0x90, TQK_OK, "操作成功"},
		{0x9F, TQK_OK, "找到身份证"},
		{0x10, TQK_E_SAM_STATUS, "读卡器收到的数据校验和错误"},
		{0x11, TQK_E_SAM_STATUS, "读卡器收到的数据长度错误"},
		{0x21, TQK_E_SAM_STATUS, "读卡器收到的命令有误"},
		{0x24, TQK_E_SAM_STATUS, "读卡器发生无法识别的错误"},
		{0x31, TQK_E_SAM_STATUS, "身份证认证读卡器失败"},
		{0x32, TQK_E_SAM_STATUS, "读卡器认证身份证失败"},
		{0x33, TQK_E_SAM_STATUS, "身份证信息验证错误"},
		{0x40, TQK_E_SAM_STATUS, "无法识别的卡类型，请放置二代身份证"},
		{0x41, TQK_E_CARD_REMOVED, "读身份证失败，请放稳后重试"},
		{0x47, TQK_E_SAM_STATUS, "读卡器取随机数失败"},
		{0x60, TQK_E_SAM_STATUS, "读卡器安全模块自检失败"},
		{0x66, TQK_E_SAM_STATUS, "读卡器安全模块未经授权"},
		{0x80, TQK_E_CARD_NONE, "未找到身份证"},
		{0x81, TQK_E_CARD_REMOVED, "选取身份证失败，请放稳后重试"},
		{0x91, TQK_E_CARD_NONE, "身份证中此项无内容"},
	};
	const size_t n = sizeof table / sizeof table[0];
	for (size_t i = 0; i < n; i++) {
		assert_true(tqk_sam_status_known(table[i].sw));
		assert_int_equal(tqk_sam_status_err(table[i].sw), table[i].err);
		assert_string_equal(tqk_sam_status_text(table[i].sw, TQK_LANG_ZH), table[i].zh);
		assert_string_equal(tqk_sam_status_text(table[i].sw, (tqk_lang)42), table[i].zh);
		const char *en = tqk_sam_status_text(table[i].sw, TQK_LANG_EN);
		assert_true(strlen(en) > 5);
		for (const char *p = en; *p != '\0'; p++)
			assert_true((unsigned char)*p < 0x80); /* English is ASCII */
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(en, tqk_sam_status_text(table[j].sw, TQK_LANG_EN));
			assert_string_not_equal(table[i].zh, table[j].zh);
		}
	}
	assert_string_equal(tqk_sam_status_text(0x9F, TQK_LANG_EN), "card found");
	assert_string_equal(tqk_sam_status_text(0x80, TQK_LANG_EN), "no card found");
	/* Every other byte: unknown, an error status, a generic text. */
	size_t known = 0;
	for (unsigned sw = 0; sw < 256; sw++) {
		if (tqk_sam_status_known((uint8_t)sw)) {
			known++;
			continue;
		}
		assert_int_equal(tqk_sam_status_err((uint8_t)sw), TQK_E_SAM_STATUS);
		assert_string_equal(tqk_sam_status_text((uint8_t)sw, TQK_LANG_ZH), "读卡器返回未知状态");
		assert_string_equal(tqk_sam_status_text((uint8_t)sw, TQK_LANG_EN), "unknown reader status");
	}
	assert_int_equal(known, n);
}

/* ---- card data ---- */

static void card_data_layouts(void **state)
{
	(void)state;
	static uint8_t d[6 + 256 + 1024 + 1024];
	tqk_sam_card_data cd;

	/* 30 01: text length, photo length, text, photo. */
	d[0] = 0x01, d[1] = 0x00, d[2] = 0x04, d[3] = 0x00;
	for (size_t i = 4; i < 4 + 256 + 1024; i++)
		d[i] = (uint8_t)i;
	assert_int_equal(tqk_sam_card_data_parse(d, 4 + 256 + 1024, false, &cd), TQK_OK);
	assert_ptr_equal(cd.text, d + 4);
	assert_int_equal(cd.text_len, 256);
	assert_ptr_equal(cd.photo, d + 260);
	assert_int_equal(cd.photo_len, 1024);
	assert_null(cd.finger);
	assert_int_equal(cd.finger_len, 0);
	/* lengths that do not add up, a text block that is not 256 bytes, too short */
	assert_int_equal(tqk_sam_card_data_parse(d, 4 + 256 + 1023, false, &cd), TQK_E_SAM_FRAME);
	assert_int_equal(tqk_sam_card_data_parse(d, 4 + 256 + 1025, false, &cd), TQK_E_SAM_FRAME);
	assert_int_equal(tqk_sam_card_data_parse(d, 3, false, &cd), TQK_E_SAM_FRAME);
	assert_int_equal(tqk_sam_card_data_parse(NULL, 0, false, &cd), TQK_E_SAM_FRAME);
	d[1] = 0x02; /* text 0x0102 */
	assert_int_equal(tqk_sam_card_data_parse(d, 4 + 0x102 + 1024, false, &cd), TQK_E_SAM_FRAME);
	d[1] = 0x00;
	/* A card without a photo still parses here; the driver wants 1024. */
	d[2] = 0x00, d[3] = 0x00;
	assert_int_equal(tqk_sam_card_data_parse(d, 4 + 256, false, &cd), TQK_OK);
	assert_int_equal(cd.photo_len, 0);

	/* 30 10: a third length (fingerprint) and the fingerprint after the photo. */
	d[0] = 0x01, d[1] = 0x00, d[2] = 0x04, d[3] = 0x00, d[4] = 0x04, d[5] = 0x00;
	assert_int_equal(tqk_sam_card_data_parse(d, sizeof d, true, &cd), TQK_OK);
	assert_ptr_equal(cd.text, d + 6);
	assert_ptr_equal(cd.photo, d + 6 + 256);
	assert_ptr_equal(cd.finger, d + 6 + 256 + 1024);
	assert_int_equal(cd.finger_len, 1024);
	assert_int_equal(tqk_sam_card_data_parse(d, sizeof d - 1, true, &cd), TQK_E_SAM_FRAME);
	/* Without a fingerprint (length 0). */
	d[4] = 0x00, d[5] = 0x00;
	assert_int_equal(tqk_sam_card_data_parse(d, 6 + 256 + 1024, true, &cd), TQK_OK);
	assert_non_null(cd.finger);
	assert_int_equal(cd.finger_len, 0);
	/* Read as a 30 01 reply, a 30 10 reply does not add up. */
	assert_int_equal(tqk_sam_card_data_parse(d, 6 + 256 + 1024, false, &cd), TQK_E_SAM_FRAME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_frames),
		cmocka_unit_test(reply_frames),
		cmocka_unit_test(encode_limits),
		cmocka_unit_test(decoder_matches_reference),
		cmocka_unit_test(garbage_between_frames),
		cmocka_unit_test(false_preamble_swallows_frame_start),
		cmocka_unit_test(length_caps),
		cmocka_unit_test(bad_checksums),
		cmocka_unit_test(round_trips),
		cmocka_unit_test(statuses),
		cmocka_unit_test(card_data_layouts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
