/*
 * idreader.c - the ID-card reader's state machine (see idreader.h).
 *
 * Each step is either an attempt to open the transport (while it is closed)
 * or a find, followed by the whole read when a new card is there. Steps are
 * due at r->next_ms; poll() runs the steps that fall due before its deadline
 * and sleeps in between. The status bytes are sorted three ways: the card
 * was moved (41 read failed, 80 find failed, 81 select failed: try again
 * while it stays), the card itself is at fault (authentication, wrong card
 * type, no content: it must leave), or the reader is (every other status:
 * the state becomes ERROR and the card is tried again once it recovers).
 */
#include "dev/idreader.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "dev/devsys.h"

/* Finds in a row without the card before it counts as gone. */
#define LEAVE_FINDS 2
/* Find and select replies carry a few bytes at most (4 and 8). */
#define SHORT_REPLY_MAX 16

struct tqk_idreader {
	char address[TQK_DEV_SPEC_CAP];    /* "" for a given transport or opener */
	tqk_idreader_open_fn open;         /* NULL: never re-opened */
	void *user;
	tqk_transport *given;              /* not yet taken by the first open */
	tqk_idreader_opts o;

	tqk_transport *t;                  /* NULL while closed */
	tqk_samlink link;
	tqk_samlink_stats past;            /* counters of links closed before */
	unsigned opens;

	tqk_idreader_state state;
	tqk_err reason;
	uint8_t sw;

	long long next_ms;                 /* when the next step is due */
	int backoff_ms;                    /* before the next attempt to open */
	bool card_on;                      /* a card is (or was just) on the reader */
	bool latched;                      /* that card is done: not again until it leaves */
	int misses;                        /* finds in a row without the card */
	int moved;                         /* reads in a row failed by a moved card */
};

/* ---- set-up -------------------------------------------------------------- */

static int or_default(int v, int def)
{
	return v > 0 ? v : def;
}

static tqk_err make(const tqk_idreader_opts *opts, tqk_idreader **out)
{
	*out = NULL;
	tqk_idreader *r = calloc(1, sizeof *r);
	if (r == NULL)
		return TQK_E_NOMEM;
	tqk_idreader_opts o = opts != NULL ? *opts : (tqk_idreader_opts){0};
	o.timeout_ms = or_default(o.timeout_ms, 1000);
	o.read_timeout_ms = or_default(o.read_timeout_ms, 3000);
	o.retries = o.retries < 0 ? 0 : or_default(o.retries, 2);
	o.find_every_ms = or_default(o.find_every_ms, 150);
	o.backoff_min_ms = or_default(o.backoff_min_ms, 200);
	o.backoff_max_ms = or_default(o.backoff_max_ms, 2000);
	if (o.backoff_max_ms < o.backoff_min_ms)
		o.backoff_max_ms = o.backoff_min_ms;
	r->o = o;
	r->state = TQK_IDREADER_ABSENT;
	r->reason = TQK_OK;
	r->backoff_ms = o.backoff_min_ms;
	r->next_ms = 0; /* the first poll opens at once */
	*out = r;
	return TQK_OK;
}

static tqk_err open_address(void *user, tqk_transport **out)
{
	const tqk_idreader *r = user;
	return tqk_transport_open(r->address, out);
}

tqk_err tqk_idreader_new(const char *address, const tqk_idreader_opts *opts,
                         tqk_idreader **out)
{
	*out = NULL;
	if (address == NULL)
		return TQK_E_DEV_SPEC;
	size_t n = strnlen(address, TQK_DEV_SPEC_CAP);
	if (n >= TQK_DEV_SPEC_CAP ||
	    (strncmp(address, "tty:", 4) != 0 && strncmp(address, "usb:", 4) != 0))
		return TQK_E_DEV_SPEC;
	tqk_err err = make(opts, out);
	if (err != TQK_OK)
		return err;
	memcpy((*out)->address, address, n + 1);
	(*out)->open = open_address;
	(*out)->user = *out;
	return TQK_OK;
}

tqk_err tqk_idreader_new_opener(tqk_idreader_open_fn open, void *user,
                                const tqk_idreader_opts *opts, tqk_idreader **out)
{
	assert(open != NULL);
	tqk_err err = make(opts, out);
	if (err != TQK_OK)
		return err;
	(*out)->open = open;
	(*out)->user = user;
	return TQK_OK;
}

tqk_err tqk_idreader_new_transport(tqk_transport *t, const tqk_idreader_opts *opts,
                                   tqk_idreader **out)
{
	assert(t != NULL);
	tqk_err err = make(opts, out);
	if (err != TQK_OK) {
		tqk_transport_close(t);
		return err;
	}
	(*out)->given = t;
	return TQK_OK;
}

static void add_stats(tqk_samlink_stats *to, const tqk_samlink_stats *s)
{
	to->requests += s->requests;
	to->retries += s->retries;
	to->timeouts += s->timeouts;
	to->bad += s->bad;
	to->resyncs += s->resyncs;
}

static void close_transport(tqk_idreader *r)
{
	if (r->t == NULL)
		return;
	add_stats(&r->past, &r->link.stats);
	tqk_transport_close(r->t);
	r->t = NULL;
	memset(&r->link.stats, 0, sizeof r->link.stats);
}

void tqk_idreader_free(tqk_idreader *r)
{
	if (r == NULL)
		return;
	close_transport(r);
	tqk_transport_close(r->given);
	free(r);
}

/* ---- events -------------------------------------------------------------- */

/* Moves to state s for reason err (sw); true with a STATE event in *ev when
 * anything changed. */
static bool set_state(tqk_idreader *r, tqk_idreader_state s, tqk_err err, uint8_t sw,
                      tqk_idreader_event *ev)
{
	if (err != TQK_E_SAM_STATUS)
		sw = 0;
	if (r->state == s && r->reason == err && r->sw == sw)
		return false;
	r->state = s;
	r->reason = err;
	r->sw = sw;
	ev->kind = TQK_IDREADER_EV_STATE;
	return true;
}

/* A card event: the state becomes CARD (READY for CARD_LEFT). */
static bool card_event(tqk_idreader *r, tqk_idreader_kind kind, tqk_err err, uint8_t sw,
                       tqk_idreader_event *ev)
{
	r->state = kind == TQK_IDREADER_EV_CARD_LEFT ? TQK_IDREADER_READY : TQK_IDREADER_CARD;
	r->reason = TQK_OK;
	r->sw = 0;
	ev->kind = kind;
	ev->err = err;
	ev->sw = err == TQK_E_SAM_STATUS ? sw : 0;
	return true;
}

/* The transport is gone: close it, try again after the shortest pause. */
static bool gone(tqk_idreader *r, tqk_idreader_event *ev)
{
	close_transport(r);
	r->card_on = r->latched = false;
	r->misses = r->moved = 0;
	r->backoff_ms = r->o.backoff_min_ms;
	r->next_ms = tqk_dev_now_ms() + r->backoff_ms;
	return set_state(r, TQK_IDREADER_ABSENT, TQK_E_DEV_GONE, 0, ev);
}

/* ---- steps --------------------------------------------------------------- */

static bool open_step(tqk_idreader *r, tqk_idreader_event *ev)
{
	tqk_transport *t = NULL;
	tqk_err err;
	if (r->given != NULL) {
		t = r->given;
		r->given = NULL;
		err = TQK_OK;
	} else if (r->open != NULL) {
		err = r->open(r->user, &t);
	} else {
		r->next_ms = LLONG_MAX; /* nothing to open any more */
		return false;
	}
	long long now = tqk_dev_now_ms();
	if (err != TQK_OK) {
		r->next_ms = now + r->backoff_ms;
		r->backoff_ms = r->backoff_ms * 2 > r->o.backoff_max_ms ? r->o.backoff_max_ms
		                                                       : r->backoff_ms * 2;
		return set_state(r, TQK_IDREADER_ABSENT, err, 0, ev);
	}
	r->t = t;
	r->opens++;
	tqk_samlink_init(&r->link, t, r->o.retries);
	r->backoff_ms = r->o.backoff_min_ms;
	r->next_ms = now;
	return set_state(r, TQK_IDREADER_READY, TQK_OK, 0, ev);
}

/* The line failed during a request (after its retries). */
static bool link_failed(tqk_idreader *r, tqk_err err, tqk_idreader_event *ev)
{
	if (err == TQK_E_DEV_GONE)
		return gone(r, ev);
	return set_state(r, TQK_IDREADER_ERROR, err, r->link.last_sw, ev);
}

enum { SW_MOVED, SW_CARD, SW_READER };

static int sw_class(uint8_t sw)
{
	switch (sw) {
	case TQK_SAM_SW_READ_FAILED:
	case TQK_SAM_SW_FIND_FAILED:
	case TQK_SAM_SW_SELECT_FAILED:
		return SW_MOVED;
	case TQK_SAM_SW_AUTH1:
	case TQK_SAM_SW_AUTH2:
	case TQK_SAM_SW_AUTH3:
	case TQK_SAM_SW_WRONG_CARD:
	case TQK_SAM_SW_NO_CONTENT:
		return SW_CARD;
	default:
		return SW_READER;
	}
}

/* A status other than success while reading the card. */
static bool card_status(tqk_idreader *r, uint8_t sw, tqk_idreader_event *ev)
{
	switch (sw_class(sw)) {
	case SW_MOVED:
		if (++r->moved > r->o.retries)
			r->latched = true;
		return card_event(r, TQK_IDREADER_EV_CARD_FAILED, TQK_E_CARD_REMOVED, sw, ev);
	case SW_CARD:
		r->latched = true;
		return card_event(r, TQK_IDREADER_EV_CARD_FAILED, TQK_E_SAM_STATUS, sw, ev);
	default:
		return set_state(r, TQK_IDREADER_ERROR, TQK_E_SAM_STATUS, sw, ev);
	}
}

/* Data that does not decode: the card must leave. */
static bool card_data(tqk_idreader *r, const tqk_idcard_problem *why, tqk_idreader_event *ev)
{
	r->latched = true;
	ev->problem = *why;
	return card_event(r, TQK_IDREADER_EV_CARD_FAILED, TQK_E_CARD_DATA, 0, ev);
}

/* Reply shapes, to tell a reply from a late one to another request. */
static bool short_fits(const tqk_sam_reply *p, uint8_t ok)
{
	if (p->len > SHORT_REPLY_MAX)
		return false;
	if (p->sw3 == TQK_SAM_SW_OK || p->sw3 == TQK_SAM_SW_FIND_OK)
		return p->sw3 == ok;
	return true;
}

static bool fits_find(const tqk_sam_reply *p)
{
	return short_fits(p, TQK_SAM_SW_FIND_OK);
}

static bool fits_select(const tqk_sam_reply *p)
{
	return short_fits(p, TQK_SAM_SW_OK);
}

static bool fits_read(const tqk_sam_reply *p)
{
	tqk_sam_card_data cd;
	if (p->sw3 != TQK_SAM_SW_OK)
		return p->sw3 != TQK_SAM_SW_FIND_OK && p->len <= SHORT_REPLY_MAX;
	return tqk_sam_card_data_parse(p->data, p->len, false, &cd) == TQK_OK;
}

static bool fits_new_address(const tqk_sam_reply *p)
{
	if (p->sw3 != TQK_SAM_SW_OK)
		return p->sw3 != TQK_SAM_SW_FIND_OK && p->len <= SHORT_REPLY_MAX;
	return p->len <= TQK_IDCARD_NEWADDR_MAX && p->len % 2 == 0;
}

/* The appended address into ev->card; true when it ended the read with an
 * event (a failure). */
static bool read_new_address(tqk_idreader *r, tqk_idreader_event *ev)
{
	tqk_sam_reply p;
	tqk_err err = tqk_samlink_call(&r->link, TQK_SAM_CMD_READ, TQK_SAM_PARA_NEWADDR,
	                               r->o.timeout_ms, fits_new_address, &p);
	if (err != TQK_OK)
		return link_failed(r, err, ev);
	switch (p.sw3) {
	case TQK_SAM_SW_OK: {
		tqk_idcard_problem why;
		if (tqk_idcard_decode_new_address(p.data, p.len, &ev->card, &why) != TQK_OK)
			return card_data(r, &why, ev);
		return false;
	}
	case TQK_SAM_SW_NO_CONTENT: /* no appended address */
	case TQK_SAM_SW_COMMAND:    /* a reader that does not know 30 03 */
		return false;
	default:
		return card_status(r, p.sw3, ev);
	}
}

/* Select, read, decode: one event in every case but a failure of the line
 * that changes nothing. */
static bool read_card(tqk_idreader *r, tqk_date today, tqk_idreader_event *ev)
{
	r->card_on = true;
	tqk_sam_reply p;
	tqk_err err = tqk_samlink_call(&r->link, TQK_SAM_CMD_CARD, TQK_SAM_PARA_SELECT,
	                               r->o.timeout_ms, fits_select, &p);
	if (err != TQK_OK)
		return link_failed(r, err, ev);
	if (p.sw3 != TQK_SAM_SW_OK)
		return card_status(r, p.sw3, ev);

	err = tqk_samlink_call(&r->link, TQK_SAM_CMD_READ, TQK_SAM_PARA_BASE, r->o.read_timeout_ms,
	                       fits_read, &p);
	if (err != TQK_OK)
		return link_failed(r, err, ev);
	if (p.sw3 != TQK_SAM_SW_OK)
		return card_status(r, p.sw3, ev);
	tqk_sam_card_data cd;
	err = tqk_sam_card_data_parse(p.data, p.len, false, &cd);
	assert(err == TQK_OK); /* fits_read checked it */
	tqk_idcard_problem why;
	if (tqk_idcard_decode(cd.text, cd.text_len, today, &ev->card, &why) != TQK_OK)
		return card_data(r, &why, ev);
	if (tqk_idcard_set_photo(&ev->card, cd.photo, cd.photo_len) != TQK_OK) {
		why = (tqk_idcard_problem){TQK_IDCARD_F_PHOTO, TQK_E_SAM_FRAME};
		return card_data(r, &why, ev);
	}
	if (!r->o.no_new_address && read_new_address(r, ev))
		return true;
	r->latched = true;
	r->moved = 0;
	return card_event(r, TQK_IDREADER_EV_CARD, TQK_OK, 0, ev);
}

static bool find_step(tqk_idreader *r, tqk_date today, tqk_idreader_event *ev)
{
	tqk_sam_reply p;
	tqk_err err = tqk_samlink_call(&r->link, TQK_SAM_CMD_CARD, TQK_SAM_PARA_FIND,
	                               r->o.timeout_ms, fits_find, &p);
	bool got;
	if (err != TQK_OK) {
		got = link_failed(r, err, ev);
	} else if (p.sw3 == TQK_SAM_SW_FIND_OK) {
		r->misses = 0;
		got = r->latched ? set_state(r, TQK_IDREADER_CARD, TQK_OK, 0, ev)
		                 : read_card(r, today, ev);
	} else if (p.sw3 == TQK_SAM_SW_FIND_FAILED) {
		if (r->card_on && ++r->misses < LEAVE_FINDS) {
			got = false;
		} else if (r->card_on) {
			r->card_on = r->latched = false;
			r->misses = r->moved = 0;
			got = card_event(r, TQK_IDREADER_EV_CARD_LEFT, TQK_OK, 0, ev);
		} else {
			got = set_state(r, TQK_IDREADER_READY, TQK_OK, 0, ev);
		}
	} else {
		got = set_state(r, TQK_IDREADER_ERROR, TQK_E_SAM_STATUS, p.sw3, ev);
	}
	if (r->t != NULL)
		r->next_ms = tqk_dev_now_ms() + r->o.find_every_ms;
	return got;
}

/* ---- polling ------------------------------------------------------------- */

void tqk_idreader_poll(tqk_idreader *r, int timeout_ms, tqk_date today, tqk_idreader_event *ev)
{
	assert(r != NULL && ev != NULL);
	memset(ev, 0, sizeof *ev);
	long long deadline = tqk_dev_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	for (;;) {
		long long now = tqk_dev_now_ms();
		if (now >= r->next_ms) {
			bool got = r->t == NULL ? open_step(r, ev) : find_step(r, today, ev);
			if (got) {
				if (ev->kind != TQK_IDREADER_EV_CARD)
					memset(&ev->card, 0, sizeof ev->card);
				ev->state = r->state;
				if (ev->kind == TQK_IDREADER_EV_STATE) {
					ev->err = r->reason;
					ev->sw = r->sw;
				}
				return;
			}
			now = tqk_dev_now_ms();
		}
		if (now >= deadline)
			break;
		tqk_dev_sleep_ms((r->next_ms < deadline ? r->next_ms : deadline) - now);
	}
	ev->kind = TQK_IDREADER_EV_NONE;
	ev->state = r->state;
	ev->err = r->reason;
	ev->sw = r->sw;
}

/* ---- looking at it ----------------------------------------------------------- */

tqk_idreader_state tqk_idreader_get_state(const tqk_idreader *r, tqk_err *err, uint8_t *sw)
{
	if (err != NULL)
		*err = r->reason;
	if (sw != NULL)
		*sw = r->sw;
	return r->state;
}

void tqk_idreader_stats(const tqk_idreader *r, tqk_samlink_stats *link, unsigned *opens)
{
	if (link != NULL) {
		*link = r->past;
		if (r->t != NULL)
			add_stats(link, &r->link.stats);
	}
	if (opens != NULL)
		*opens = r->opens;
}

static const struct {
	const char *code;
	const char *text[TQK_LANG_COUNT];
} states[TQK_IDREADER_STATE_COUNT] = {
	[TQK_IDREADER_ABSENT] = {"absent", {"未连接身份证阅读器", "no ID-card reader connected"}},
	[TQK_IDREADER_READY] = {"ready", {"请将身份证放在阅读器上", "place the ID card on the reader"}},
	[TQK_IDREADER_CARD] = {"card", {"身份证已放在阅读器上", "an ID card is on the reader"}},
	[TQK_IDREADER_ERROR] = {"error", {"身份证阅读器工作异常", "the ID-card reader is failing"}},
};

const char *tqk_idreader_state_code(tqk_idreader_state s)
{
	return (unsigned)s < TQK_IDREADER_STATE_COUNT ? states[s].code : "unknown";
}

const char *tqk_idreader_state_text(tqk_idreader_state s, tqk_lang lang)
{
	if ((unsigned)s >= TQK_IDREADER_STATE_COUNT)
		s = TQK_IDREADER_ERROR;
	return states[s].text[tqk_lang_or_default(lang)];
}

const char *tqk_idreader_reason_text(tqk_err err, uint8_t sw, tqk_lang lang)
{
	return err == TQK_E_SAM_STATUS ? tqk_sam_status_text(sw, lang) : tqk_strerror(err, lang);
}
