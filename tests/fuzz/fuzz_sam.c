/*
 * fuzz_sam.c - libFuzzer target for the SAM frame decoder, the card-data
 * layouts and the ID card's text block.
 *
 * The input is a byte stream; its first four bytes also seed the chunking.
 * Invariants beyond "no crash, no leak, no UB":
 *   - the decoder never consumes more than it is given;
 *   - fed in random pieces it returns exactly what it returns for the whole
 *     stream at once (frames and errors, in order);
 *   - every frame it returns is canonical: encoding its body again gives a
 *     frame (preamble, LEN, body, XOR) that occurs in the input, so its
 *     length and checksum were right;
 *   - a text block that decodes encodes to one that decodes to the same
 *     card; the same for an appended address.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dev/idcard.h"
#include "dev/sam.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EV_MAX 1024

typedef struct ev {
	tqk_err err;
	size_t len;
	uint32_t hash;
} ev;

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static bool occurs(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
	if (m > n)
		return false;
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

static void same_card(const tqk_idcard *a, const tqk_idcard *b)
{
	assert(strcmp(a->name, b->name) == 0 && strcmp(a->address, b->address) == 0);
	assert(strcmp(a->id, b->id) == 0 && strcmp(a->authority, b->authority) == 0);
	assert(a->gender == b->gender && a->nation == b->nation && a->long_term == b->long_term);
	assert(tqk_date_to_day(a->birth) == tqk_date_to_day(b->birth));
	assert(tqk_date_to_day(a->valid_from) == tqk_date_to_day(b->valid_from));
	assert(a->long_term || tqk_date_to_day(a->valid_to) == tqk_date_to_day(b->valid_to));
}

static void text_block(const uint8_t *text, size_t len)
{
	static const tqk_date today = {2026, 5, 20};
	static tqk_idcard card, again;
	tqk_idcard_problem why;
	if (tqk_idcard_decode(text, len, today, &card, &why) != TQK_OK) {
		assert(why.field < TQK_IDCARD_F_COUNT && why.cause != TQK_OK);
		assert(card.name[0] == '\0'); /* nothing left behind */
		return;
	}
	uint8_t block[TQK_IDCARD_TEXT_LEN];
	assert(tqk_idcard_encode(&card, block, NULL) == TQK_OK);
	assert(tqk_idcard_decode(block, sizeof block, today, &again, NULL) == TQK_OK);
	same_card(&card, &again);
}

static void new_address(const uint8_t *data, size_t len)
{
	static tqk_idcard card, again;
	memset(&card, 0, sizeof card);
	if (tqk_idcard_decode_new_address(data, len, &card, NULL) != TQK_OK) {
		assert(card.new_address[0] == '\0');
		return;
	}
	uint8_t buf[TQK_IDCARD_NEWADDR_MAX];
	size_t n = 0;
	assert(tqk_idcard_encode_new_address(&card, buf, sizeof buf, &n) == TQK_OK);
	assert(tqk_idcard_decode_new_address(buf, n, &again, NULL) == TQK_OK);
	assert(strcmp(card.new_address, again.new_address) == 0);
}

/* A decoded body: canonical in the input, and its parts parsed. */
static void body_checks(const uint8_t *in, size_t n, const uint8_t *body, size_t len)
{
	static uint8_t frame[TQK_SAM_FRAME_MAX];
	assert(len >= 2 && len <= TQK_SAM_BODY_MAX);
	size_t f = tqk_sam_encode_request(body[0], body[1], body + 2, len - 2, frame, sizeof frame);
	assert(f == TQK_SAM_HEADER_LEN + len + 1);
	assert(occurs(in, n, frame, f));

	tqk_sam_reply r;
	if (tqk_sam_reply_parse(body, len, &r) != TQK_OK) {
		assert(len < 3);
		return;
	}
	assert(r.len == len - 3 && r.data == body + 3);
	tqk_sam_card_data cd;
	for (int finger = 0; finger <= 1; finger++) {
		if (tqk_sam_card_data_parse(r.data, r.len, finger, &cd) != TQK_OK)
			continue;
		assert(cd.text_len == TQK_IDCARD_TEXT_LEN);
		assert(cd.photo + cd.photo_len <= r.data + r.len);
		assert(cd.text + cd.text_len <= r.data + r.len);
		text_block(cd.text, cd.text_len);
	}
	if (r.len <= TQK_IDCARD_NEWADDR_MAX + 2)
		new_address(r.data, r.len);
	(void)tqk_sam_status_text(r.sw3, TQK_LANG_EN);
	(void)tqk_sam_status_err(r.sw3);
}

/* Decodes in[0..n) in pieces (sizes from the seed; 0: all at once). */
static size_t run(const uint8_t *in, size_t n, uint32_t seed, ev *out, bool check)
{
	static tqk_sam_decoder d;
	tqk_sam_decoder_init(&d);
	size_t nev = 0, pos = 0;
	uint32_t x = seed | 1;
	while (pos < n) {
		size_t piece = n - pos;
		if (seed != 0) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			size_t p = 1 + x % 97;
			if (p < piece)
				piece = p;
		}
		const uint8_t *at = in + pos;
		size_t left = piece;
		for (;;) {
			size_t used = 0, len = 0;
			const uint8_t *body = NULL;
			tqk_err err = tqk_sam_decode(&d, at, left, &used, &body, &len);
			assert(used <= left);
			at += used;
			left -= used;
			if (err == TQK_OK && body == NULL) {
				assert(left == 0);
				break;
			}
			assert(err == TQK_OK || err == TQK_E_SAM_CHECKSUM || err == TQK_E_SAM_FRAME);
			assert(err == TQK_OK || body == NULL);
			if (check && err == TQK_OK)
				body_checks(in, n, body, len);
			if (nev < EV_MAX)
				out[nev++] = (ev){err, len, body != NULL ? fnv(body, len) : 0};
		}
		pos += piece;
	}
	return nev;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ev whole[EV_MAX], pieces[EV_MAX];
	uint32_t seed = 0;
	for (size_t i = 0; i < 4 && i < size; i++)
		seed = seed << 8 | data[i];
	size_t a = run(data, size, 0, whole, true);
	size_t b = run(data, size, seed != 0 ? seed : 7, pieces, false);
	assert(a == b);
	for (size_t i = 0; i < a; i++)
		assert(whole[i].err == pieces[i].err && whole[i].len == pieces[i].len &&
		       whole[i].hash == pieces[i].hash);

	/* The input as a text block and as an appended address, too. */
	if (size >= TQK_IDCARD_TEXT_LEN)
		text_block(data + size - TQK_IDCARD_TEXT_LEN, TQK_IDCARD_TEXT_LEN);
	new_address(data, size < TQK_IDCARD_NEWADDR_MAX + 4 ? size : TQK_IDCARD_NEWADDR_MAX + 4);
	return 0;
}
