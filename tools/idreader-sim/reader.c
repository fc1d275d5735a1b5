/*
 * reader.c - the simulated SAM reader (see reader.h).
 */
#include "reader.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The SAM module's id, as 12 FF returns it (16 bytes). */
static const uint8_t sam_id[16] = {0x05, 0x01, 0x20, 0x26, 0x05, 0x20, 0x00, 0x01,
                                   0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0};

void sim_faults_clear(sim_faults *f)
{
	memset(f, 0, sizeof *f);
	f->status_sw = -1;
	f->status_on = SIM_REQ_READ;
	f->split_ms = 2;
}

void sim_reader_init(sim_reader *r, const sim_cards *cards, uint32_t seed)
{
	memset(r, 0, sizeof *r);
	r->cards = cards;
	r->placed = -1;
	r->rng = seed != 0 ? seed : 1;
	sim_faults_clear(&r->f);
}

void sim_reader_place(sim_reader *r, int i)
{
	assert(i >= -1 && (i < 0 || (size_t)i < r->cards->n));
	r->placed = i;
	r->found = r->selected = false;
}

static uint32_t next(sim_reader *r)
{
	uint32_t x = r->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return r->rng = x;
}

static sim_req kind_of(const tqk_sam_request *q)
{
	if (q->cmd == TQK_SAM_CMD_CARD && q->para == TQK_SAM_PARA_FIND)
		return SIM_REQ_FIND;
	if (q->cmd == TQK_SAM_CMD_CARD && q->para == TQK_SAM_PARA_SELECT)
		return SIM_REQ_SELECT;
	if (q->cmd == TQK_SAM_CMD_READ && (q->para == TQK_SAM_PARA_BASE || q->para == TQK_SAM_PARA_FINGER))
		return SIM_REQ_READ;
	if (q->cmd == TQK_SAM_CMD_READ && q->para == TQK_SAM_PARA_NEWADDR)
		return SIM_REQ_NEWADDR;
	return SIM_REQ_OTHER;
}

/* Takes one use of a fault that lasts count times. */
static bool use(unsigned *count)
{
	if (*count == 0)
		return false;
	if (*count != SIM_ALWAYS)
		(*count)--;
	return true;
}

/* The reply's status and data for a request that decoded. */
static uint8_t respond(sim_reader *r, const tqk_sam_request *q, sim_req kind, uint8_t *data,
                       size_t *len)
{
	*len = 0;
	const sim_card *c = r->placed >= 0 ? &r->cards->card[r->placed] : NULL;
	if (r->f.status_sw >= 0 && (r->f.status_on == SIM_REQ_ANY || r->f.status_on == kind) &&
	    use(&r->f.status_count))
		return (uint8_t)r->f.status_sw;
	switch (kind) {
	case SIM_REQ_FIND:
		r->found = c != NULL && !r->f.nocard;
		r->selected = false;
		if (!r->found)
			return TQK_SAM_SW_FIND_FAILED;
		memset(data, 0, 4);
		*len = 4;
		return TQK_SAM_SW_FIND_OK;
	case SIM_REQ_SELECT:
		r->selected = r->found && c != NULL && !r->f.nocard;
		if (!r->selected)
			return TQK_SAM_SW_SELECT_FAILED;
		memset(data, 0, 8);
		*len = 8;
		return TQK_SAM_SW_OK;
	case SIM_REQ_READ: {
		if (c != NULL && r->selected && r->f.removed) {
			/* the card leaves while it is being read */
			r->f.removed = false;
			sim_reader_place(r, -1);
			return TQK_SAM_SW_READ_FAILED;
		}
		if (c == NULL || !r->selected)
			return TQK_SAM_SW_READ_FAILED;
		bool finger = q->para == TQK_SAM_PARA_FINGER;
		size_t n = 0;
		data[n++] = 0x01, data[n++] = 0x00;             /* text 256 */
		data[n++] = 0x04, data[n++] = 0x00;             /* photo 1024 */
		if (finger)
			data[n++] = 0x00, data[n++] = 0x00;     /* no fingerprint */
		memcpy(data + n, c->text, TQK_IDCARD_TEXT_LEN);
		n += TQK_IDCARD_TEXT_LEN;
		memcpy(data + n, c->card.photo, TQK_IDCARD_PHOTO_LEN);
		n += TQK_IDCARD_PHOTO_LEN;
		*len = n;
		r->reads_ok++;
		return TQK_SAM_SW_OK;
	}
	case SIM_REQ_NEWADDR:
		if (c == NULL || !r->selected)
			return TQK_SAM_SW_READ_FAILED;
		if (c->new_address_len == 0)
			return TQK_SAM_SW_NO_CONTENT;
		memcpy(data, c->new_address, c->new_address_len);
		*len = c->new_address_len;
		return TQK_SAM_SW_OK;
	default:
		break;
	}
	if (q->para == TQK_SAM_PARA_ANY && q->len == 0) {
		if (q->cmd == TQK_SAM_CMD_RESET || q->cmd == TQK_SAM_CMD_STATUS)
			return TQK_SAM_SW_OK;
		if (q->cmd == TQK_SAM_CMD_SAMID) {
			memcpy(data, sam_id, sizeof sam_id);
			*len = sizeof sam_id;
			return TQK_SAM_SW_OK;
		}
	}
	if (q->cmd == TQK_SAM_CMD_BAUD && q->para <= 0x04 && q->len == 0)
		return TQK_SAM_SW_OK;
	return TQK_SAM_SW_COMMAND;
}

void sim_reader_answer(sim_reader *r, const uint8_t *body, size_t len, tqk_err damage,
                       sim_reply *out)
{
	uint8_t data[8 + TQK_IDCARD_TEXT_LEN + TQK_IDCARD_PHOTO_LEN];
	size_t dlen = 0;
	uint8_t sw;
	tqk_sam_request q;
	if (damage != TQK_OK || tqk_sam_request_parse(body, len, &q) != TQK_OK) {
		r->damaged++;
		sw = damage == TQK_E_SAM_CHECKSUM ? TQK_SAM_SW_CHECKSUM : TQK_SAM_SW_LENGTH;
	} else {
		sim_req kind = kind_of(&q);
		r->served[kind]++;
		sw = respond(r, &q, kind, data, &dlen);
	}

	size_t g = r->f.garbage < SIM_GARBAGE_MAX ? r->f.garbage : SIM_GARBAGE_MAX;
	for (size_t i = 0; i < g; i++) {
		/* no 0xAA: garbage that cannot start a false preamble */
		uint8_t b = (uint8_t)(next(r) >> 24);
		out->bytes[i] = b == 0xAA ? 0x55 : b;
	}
	size_t n = tqk_sam_encode_reply(sw, data, dlen, out->bytes + g, sizeof out->bytes - g);
	assert(n > 0);
	if (use(&r->f.checksum))
		out->bytes[g + n - 1] ^= 0x5A;
	out->len = g + n;
	out->delay_ms = r->f.slow_ms;
	out->piece = r->f.split;
	out->piece_ms = r->f.split_ms;
}

/* ---- fault words ---- */

/* Decimal digits up to max. */
static bool number(const char *s, unsigned long max, unsigned long *out)
{
	if (s == NULL || *s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return false;
	*out = v;
	return true;
}

/* A status byte in hex, as statuses are written: "31", "9f", "0x41". */
static bool hex_byte(const char *s, unsigned long *out)
{
	if (s == NULL)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	size_t n = strlen(s);
	if (n < 1 || n > 2 || strspn(s, "0123456789abcdefABCDEF") != n)
		return false;
	*out = strtoul(s, NULL, 16);
	return true;
}

static bool is(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

/* "off" or nothing (the fault on) for a fault without a value. */
static bool on_off(int argc, char **argv, bool *on)
{
	if (argc == 1)
		*on = true;
	else if (argc == 2 && is(argv[1], "off"))
		*on = false;
	else
		return false;
	return true;
}

/* The count of checksum and status faults: N, "off", or nothing (always). */
static bool count(const char *s, unsigned *out)
{
	unsigned long v;
	if (s == NULL)
		*out = SIM_ALWAYS;
	else if (is(s, "off"))
		*out = 0;
	else if (number(s, 1000000, &v))
		*out = (unsigned)v;
	else
		return false;
	return true;
}

bool sim_fault_parse(sim_faults *f, int argc, char **argv)
{
	if (argc < 1)
		return false;
	sim_faults g = *f;
	const char *mode = argv[0];
	unsigned long v = 0, ms = 0;
	bool ok;
	if (is(mode, "none")) {
		ok = argc == 1;
		sim_faults_clear(&g);
	} else if (is(mode, "nocard")) {
		ok = on_off(argc, argv, &g.nocard);
	} else if (is(mode, "removed")) {
		ok = on_off(argc, argv, &g.removed);
	} else if (is(mode, "checksum")) {
		ok = argc <= 2 && count(argc == 2 ? argv[1] : NULL, &g.checksum);
	} else if (is(mode, "slow")) {
		ok = argc == 2 && number(argv[1], 60000, &v);
		g.slow_ms = (int)v;
	} else if (is(mode, "split")) {
		ok = (argc == 2 || argc == 3) && number(argv[1], 4096, &v) &&
		     (argc == 2 || number(argv[2], 1000, &ms));
		g.split = v;
		g.split_ms = argc == 3 ? (int)ms : 2;
	} else if (is(mode, "garbage")) {
		ok = argc == 2 && number(argv[1], SIM_GARBAGE_MAX, &v);
		g.garbage = v;
	} else if (is(mode, "status")) {
		static const char *const on[] = {"find", "select", "read", "newaddr"};
		g.status_on = SIM_REQ_READ;
		if (argc == 2 && is(argv[1], "off")) {
			g.status_sw = -1;
			ok = true;
		} else {
			ok = argc >= 2 && argc <= 4 && hex_byte(argv[1], &v);
			g.status_sw = (int)v;
			if (ok && argc >= 3) {
				ok = is(argv[2], "any");
				g.status_on = SIM_REQ_ANY;
				for (size_t i = 0; i < sizeof on / sizeof on[0]; i++)
					if (is(argv[2], on[i])) {
						g.status_on = (sim_req)i;
						ok = true;
					}
			}
			ok = ok && count(argc == 4 ? argv[3] : NULL, &g.status_count);
		}
	} else {
		ok = false;
	}
	if (ok)
		*f = g;
	return ok;
}
