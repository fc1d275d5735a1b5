/*
 * test_usb_reader.c - the ID-card reader driver over libusb, with the
 * split-pipe layout of VID:PID 0400:C35A, under umockdev.
 *
 * mock_usbfs plays the USB device; a small SAM responder on its OUT
 * callback plays the reader: it joins what the host writes (the header on
 * 0x02, the body on 0x06) into frames, answers find / select / read /
 * appended address for the card the test placed, and queues the reply's
 * header on 0x81 and the rest on 0x85 (or everything on one pipe for the
 * one-pipe layout). The test checks the bytes on each pipe, reads cards in
 * big and tiny packets with garbage on the header pipe and a damaged reply,
 * unplugs the device in the middle of a transfer (a body IN transfer in
 * flight) and while idle, plugs it in again, and checks that a kernel
 * driver is detached and given back.
 */
#include "test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/idnum.h"
#include "dev/devsys.h"
#include "dev/idcard.h"
#include "dev/idreader.h"
#include "dev/sam.h"
#include "dev/transport.h"
#include "mock_usbfs.h"
#include "support/idevents.h"
#include "support/idsim.h"

static const tqk_date today = {2026, 5, 20};

/* Short pauses; generous timeouts, since each mocked packet is a round trip
 * through umockdev (a 1295-byte reply in 1-byte packets takes a while on a
 * loaded machine). */
static const tqk_idreader_opts quick = {
	.timeout_ms = 1000,
	.read_timeout_ms = 10000,
	.retries = 2,
	.find_every_ms = 20,
	.backoff_min_ms = 30,
	.backoff_max_ms = 120,
};

/* The C35A reader: vendor class, bulk pipes 0x02 + 0x06 out, 0x81 + 0x85 in. */
static const mock_usb_dev c35a = {
	.vid = 0x0400, .pid = 0xC35A, .iface = 0, .iface_class = 0xFF,
	.ep = {{0x02, 2, 64}, {0x06, 2, 64}, {0x81, 2, 64}, {0x85, 2, 64}}, .n_ep = 4,
};

/* ---- the responder -------------------------------------------------------------- */

typedef struct card {
	tqk_idcard c;
	uint8_t text[TQK_IDCARD_TEXT_LEN];
	uint8_t newaddr[TQK_IDCARD_NEWADDR_MAX];
	size_t newaddr_len;
} card;

typedef struct responder {
	pthread_mutex_t lock;
	tqk_sam_decoder dec;
	uint8_t in_hdr, in_body;      /* where replies go (equal: one pipe) */
	const card *placed;
	bool found, selected;
	size_t chunk;                 /* IN packets of the body pipe */
	size_t garbage;               /* bytes before each header */
	unsigned bad_checksums;       /* replies to damage */
	bool withhold_read_body;      /* the next 30 01 reply: header only */
	unsigned reads;               /* 30 01 answered */
	unsigned requests;
} responder;

static void make_card(card *k, const char *name, tqk_gender g, const char *digits17,
                      const char *newaddr)
{
	memset(k, 0, sizeof *k);
	tqk_idcard *c = &k->c;
	snprintf(c->name, sizeof c->name, "%s", name);
	c->gender = g;
	c->nation = 1;
	memcpy(c->id, digits17, 17);
	c->id[17] = tqk_id_check_char(digits17);
	c->birth = (tqk_date){(digits17[6] - '0') * 1000 + (digits17[7] - '0') * 100 +
	                          (digits17[8] - '0') * 10 + (digits17[9] - '0'),
	                      (digits17[10] - '0') * 10 + (digits17[11] - '0'),
	                      (digits17[12] - '0') * 10 + (digits17[13] - '0')};
	snprintf(c->address, sizeof c->address, "浙江省杭州市西湖区文三路一百号");
	snprintf(c->authority, sizeof c->authority, "杭州市公安局西湖区分局");
	c->valid_from = DATE(2016, 9, 1);
	c->valid_to = DATE(2036, 9, 1);
	snprintf(c->new_address, sizeof c->new_address, "%s", newaddr);
	assert_int_equal(tqk_idcard_encode(c, k->text, NULL), TQK_OK);
	assert_int_equal(tqk_idcard_encode_new_address(c, k->newaddr, sizeof k->newaddr,
	                                               &k->newaddr_len), TQK_OK);
	idsim_photo(c->id, c->photo);
	c->photo_len = TQK_IDCARD_PHOTO_LEN;
}

/* The reply's status and data. Lock held. */
static uint8_t respond(responder *p, const tqk_sam_request *q, uint8_t *data, size_t *len)
{
	*len = 0;
	if (q->cmd == 0x20 && q->para == 0x01) {
		p->found = p->placed != NULL;
		p->selected = false;
		if (!p->found)
			return 0x80;
		memset(data, 0, 4);
		*len = 4;
		return 0x9F;
	}
	if (q->cmd == 0x20 && q->para == 0x02) {
		p->selected = p->found && p->placed != NULL;
		if (!p->selected)
			return 0x81;
		memset(data, 0, 8);
		*len = 8;
		return 0x90;
	}
	if (q->cmd == 0x30 && q->para == 0x01) {
		if (!p->selected)
			return 0x41;
		data[0] = 0x01, data[1] = 0x00, data[2] = 0x04, data[3] = 0x00;
		memcpy(data + 4, p->placed->text, TQK_IDCARD_TEXT_LEN);
		memcpy(data + 4 + TQK_IDCARD_TEXT_LEN, p->placed->c.photo, TQK_IDCARD_PHOTO_LEN);
		*len = 4 + TQK_IDCARD_TEXT_LEN + TQK_IDCARD_PHOTO_LEN;
		p->reads++;
		return 0x90;
	}
	if (q->cmd == 0x30 && q->para == 0x03) {
		if (!p->selected)
			return 0x41;
		if (p->placed->newaddr_len == 0)
			return 0x91;
		memcpy(data, p->placed->newaddr, p->placed->newaddr_len);
		*len = p->placed->newaddr_len;
		return 0x90;
	}
	return 0x21;
}

/* Queues a reply frame on the IN pipes. Lock held. */
static void send_reply(responder *p, mock_usb *m, uint8_t sw, const uint8_t *data, size_t len,
                       bool withhold_body)
{
	static uint8_t frame[TQK_SAM_FRAME_MAX];
	size_t n = tqk_sam_encode_reply(sw, data, len, frame, sizeof frame);
	assert_true(n > 0);
	if (p->bad_checksums > 0) {
		p->bad_checksums--;
		frame[n - 1] ^= 0x77;
	}
	size_t chunk = p->chunk > 0 ? p->chunk : 64;
	if (p->in_hdr == p->in_body) {
		mock_usb_push_in_chunked(m, p->in_body, frame, n, chunk);
		return;
	}
	/* The body first: it must be there when the host asks for it. */
	if (!withhold_body)
		mock_usb_push_in_chunked(m, p->in_body, frame + 7, n - 7, chunk);
	uint8_t hdr[16 + 7];
	size_t g = p->garbage < 16 ? p->garbage : 16;
	for (size_t i = 0; i < g; i++)
		hdr[i] = (uint8_t)(0x11 * (i + 1));
	memcpy(hdr + g, frame, 7);
	mock_usb_push_in(m, p->in_hdr, hdr, g + 7);
}

static void on_out(mock_usb *m, void *user, uint8_t ep, const uint8_t *data, size_t len)
{
	(void)ep;
	responder *p = user;
	pthread_mutex_lock(&p->lock);
	size_t pos = 0;
	for (;;) {
		size_t used = 0, blen = 0;
		const uint8_t *body = NULL;
		tqk_err err = tqk_sam_decode(&p->dec, data + pos, len - pos, &used, &body, &blen);
		pos += used;
		if (err != TQK_OK) {
			send_reply(p, m, 0x10, NULL, 0, false);
			continue;
		}
		if (body == NULL)
			break;
		tqk_sam_request q;
		static uint8_t out[8 + TQK_IDCARD_TEXT_LEN + TQK_IDCARD_PHOTO_LEN];
		size_t olen = 0;
		assert_int_equal(tqk_sam_request_parse(body, blen, &q), TQK_OK);
		p->requests++;
		uint8_t sw = respond(p, &q, out, &olen);
		bool withhold = q.cmd == 0x30 && q.para == 0x01 && p->withhold_read_body;
		if (withhold)
			p->withhold_read_body = false;
		send_reply(p, m, sw, out, olen, withhold);
	}
	pthread_mutex_unlock(&p->lock);
}

static responder *responder_new(mock_usb *m, uint8_t in_hdr, uint8_t in_body)
{
	responder *p = calloc(1, sizeof *p);
	assert_non_null(p);
	pthread_mutex_init(&p->lock, NULL);
	tqk_sam_decoder_init(&p->dec);
	p->in_hdr = in_hdr;
	p->in_body = in_body;
	mock_usb_on_out(m, on_out, p);
	return p;
}

static void responder_free(mock_usb *m, responder *p)
{
	mock_usb_on_out(m, NULL, NULL);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* Changes the responder under its lock. */
#define WITH(p, stmt)                      \
	do {                               \
		pthread_mutex_lock(&(p)->lock);   \
		stmt;                      \
		pthread_mutex_unlock(&(p)->lock); \
	} while (0)

static void same_card(const tqk_idcard *got, const card *want)
{
	assert_string_equal(got->name, want->c.name);
	assert_string_equal(got->id, want->c.id);
	assert_string_equal(got->address, want->c.address);
	assert_string_equal(got->authority, want->c.authority);
	assert_string_equal(got->new_address, want->c.new_address);
	assert_int_equal(got->gender, want->c.gender);
	assert_int_equal(tqk_date_to_day(got->birth), tqk_date_to_day(want->c.birth));
	assert_int_equal(got->photo_len, TQK_IDCARD_PHOTO_LEN);
	assert_memory_equal(got->photo, want->c.photo, TQK_IDCARD_PHOTO_LEN);
}

/* ---- tests -------------------------------------------------------------------------- */

/* The raw transport: a frame split across the OUT pipes, a reply joined
 * from the IN pipes, a timeout, unplug and replug (what test_usb_try.c
 * tried out). */
static void transport_split_pipes(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	mock_usb_plug(m, &c35a);
	tqk_transport *tp = NULL;
	assert_int_equal(tqk_transport_open("usb:0400:c35a", &tp), TQK_OK);
	assert_string_equal(tp->ops->name, "usb");
	assert_true(mock_usb_claimed(m, 0));
	const uint8_t find[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22};
	assert_int_equal(tqk_transport_write(tp, find, sizeof find, 500), TQK_OK);
	uint8_t b[64];
	assert_int_equal(mock_usb_out_take(m, 0x02, b, sizeof b), 7);
	assert_memory_equal(b, find, 7);
	assert_int_equal(mock_usb_out_take(m, 0x06, b, sizeof b), 3);
	assert_memory_equal(b, find + 7, 3);
	/* A 0x9F reply: header on 0x81, the rest on 0x85 (in two packets). */
	const uint8_t found[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00, 0x00, 0x9F,
	                         0x00, 0x00, 0x00, 0x00, 0x97};
	mock_usb_push_in(m, 0x85, found + 7, 3);
	mock_usb_push_in(m, 0x85, found + 10, 5);
	mock_usb_push_in(m, 0x81, found, 7);
	size_t got = 0, tot = 0;
	while (tot < sizeof found) {
		assert_int_equal(tqk_transport_read(tp, b + tot, sizeof b - tot, 500, &got), TQK_OK);
		tot += got;
	}
	assert_int_equal(tot, sizeof found);
	assert_memory_equal(b, found, sizeof found);
	long long t0 = tqk_dev_now_ms();
	assert_int_equal(tqk_transport_read(tp, b, sizeof b, 80, &got), TQK_E_DEV_TIMEOUT);
	assert_true(tqk_dev_now_ms() - t0 >= 70);
	/* A header whose body never comes is dropped by a flush. */
	mock_usb_push_in(m, 0x81, found, 7);
	assert_int_equal(tqk_transport_read(tp, b, sizeof b, 500, &got), TQK_OK);
	tqk_transport_flush(tp);
	mock_usb_unplug(m);
	assert_int_equal(tqk_transport_read(tp, b, sizeof b, 50, &got), TQK_E_DEV_GONE);
	assert_int_equal(tqk_transport_write(tp, find, sizeof find, 50), TQK_E_DEV_GONE);
	tqk_transport_close(tp);
	assert_int_equal(tqk_transport_open("usb:0400:c35a", &tp), TQK_E_DEV_NOT_FOUND);
	mock_usb_plug(m, &c35a);
	assert_int_equal(tqk_transport_open("usb:0400:c35a", &tp), TQK_OK);
	tqk_transport_close(tp);
	/* Another vid:pid, an address that does not parse. */
	assert_int_equal(tqk_transport_open("usb:0400:c35b", &tp), TQK_E_DEV_NOT_FOUND);
	assert_int_equal(tqk_transport_open("usb:0400:c35a?out=81", &tp), TQK_E_DEV_SPEC);
	mock_usb_free(m);
}

static void reads_cards(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	responder *p = responder_new(m, 0x81, 0x85);
	card a, b;
	make_card(&a, "钱学森", TQK_GENDER_MALE, "33010619861224153", "");
	make_card(&b, "林徽因", TQK_GENDER_FEMALE, "33010619900603162", "浙江省杭州市上城区南山路一号");
	mock_usb_plug(m, &c35a);
	tqk_idreader *r = NULL;
	assert_int_equal(tqk_idreader_new("usb:0400:c35a", &quick, &r), TQK_OK);
	tqk_idreader_event ev;
	idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);
	idev_expect_quiet(r, today, 100);

	/* The host's frames: every header on 0x02, every body on 0x06. */
	static uint8_t hdrs[64 * 1024], bodies[64 * 1024];
	size_t nh = mock_usb_out_take(m, 0x02, hdrs, sizeof hdrs);
	size_t nb = mock_usb_out_take(m, 0x06, bodies, sizeof bodies);
	assert_true(nh >= 7 && nh % 7 == 0);
	assert_int_equal(nb, nh / 7 * 3);
	for (size_t i = 0; i < nh; i += 7)
		assert_memory_equal(hdrs + i, "\xAA\xAA\xAA\x96\x69\x00\x03", 7);
	assert_memory_equal(bodies, "\x20\x01\x22", 3);

	WITH(p, p->placed = &a);
	idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);
	same_card(&ev.card, &a);
	idev_expect_quiet(r, today, 200);
	assert_int_equal(p->reads, 1);
	WITH(p, p->placed = NULL);
	idev_expect(r, today, TQK_IDREADER_EV_CARD_LEFT, &ev);

	/* Tiny packets, garbage on the header pipe, ZLP-free odd sizes. */
	const size_t chunks[] = {1, 3, 7, 63, 64, 512};
	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		WITH(p, (p->chunk = chunks[i], p->garbage = i * 2, p->placed = &b));
		idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);
		same_card(&ev.card, &b);
		WITH(p, p->placed = NULL);
		idev_expect(r, today, TQK_IDREADER_EV_CARD_LEFT, &ev);
	}
	/* A damaged reply is retried. */
	WITH(p, (p->chunk = 64, p->garbage = 0, p->bad_checksums = 2, p->placed = &a));
	idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);
	same_card(&ev.card, &a);
	tqk_samlink_stats st;
	tqk_idreader_stats(r, &st, NULL);
	assert_true(st.bad >= 2 && st.retries >= 2);

	tqk_idreader_free(r);
	responder_free(m, p);
	mock_usb_free(m);
}

static void unplug_mid_transfer_and_replug(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	responder *p = responder_new(m, 0x81, 0x85);
	card a;
	make_card(&a, "钱学森", TQK_GENDER_MALE, "33010619861224153", "浙江省杭州市上城区南山路一号");
	mock_usb_plug(m, &c35a);
	tqk_idreader *r = NULL;
	assert_int_equal(tqk_idreader_new("usb:0400:c35a", &quick, &r), TQK_OK);
	tqk_idreader_event ev;
	idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);

	/* The read's header comes, its body does not: the cable goes while the
	 * host's IN transfer on 0x85 is waiting. */
	WITH(p, (p->withhold_read_body = true, p->placed = &a));
	mock_usb_unplug_on_starved_in(m, 0x85);
	idev_expect_state(r, today, TQK_IDREADER_ABSENT, TQK_E_DEV_GONE, &ev);
	assert_string_equal(ev.card.name, "");
	assert_int_equal(p->reads, 1);
	idev_expect_state(r, today, TQK_IDREADER_ABSENT, TQK_E_DEV_NOT_FOUND, &ev);
	idev_expect_quiet(r, today, 200);

	/* Plugged in again: a new device number, no restart. */
	WITH(p, tqk_sam_decoder_init(&p->dec));
	mock_usb_plug(m, &c35a);
	idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);
	idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);
	same_card(&ev.card, &a);
	assert_int_equal(mock_usb_plug_count(m), 2);

	/* Unplugged while idle, between finds. */
	mock_usb_unplug(m);
	idev_expect_state(r, today, TQK_IDREADER_ABSENT, TQK_E_DEV_GONE, &ev);
	WITH(p, (tqk_sam_decoder_init(&p->dec), p->placed = NULL));
	mock_usb_plug(m, &c35a);
	idev_next(r, today, 4000, &ev);
	if (ev.kind == TQK_IDREADER_EV_STATE && ev.err == TQK_E_DEV_NOT_FOUND)
		idev_next(r, today, 4000, &ev);
	assert_int_equal(ev.kind, TQK_IDREADER_EV_STATE);
	assert_int_equal(ev.state, TQK_IDREADER_READY);
	unsigned opens = 0;
	tqk_idreader_stats(r, NULL, &opens);
	assert_int_equal(opens, 3);
	WITH(p, p->placed = &a);
	idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);

	tqk_idreader_free(r);
	responder_free(m, p);
	mock_usb_free(m);
}

static void kernel_driver_and_layouts(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	card a;
	make_card(&a, "钱学森", TQK_GENDER_MALE, "33010619861224153", "");

	/* One bulk pipe each way, the interface bound to a kernel driver: it is
	 * detached while we read and given back afterwards. */
	mock_usb_dev one = {
		.vid = 0x0400, .pid = 0xC35A, .iface = 1, .iface_class = 0xFF, .kernel_driver = true,
		.ep = {{0x01, 2, 64}, {0x82, 2, 64}}, .n_ep = 2,
	};
	responder *p = responder_new(m, 0x82, 0x82);
	mock_usb_plug(m, &one);
	assert_true(mock_usb_driver_bound(m, 1));
	tqk_idreader *r = NULL;
	assert_int_equal(tqk_idreader_new("usb:0400:c35a?out=01&in=82&iface=1", &quick, &r), TQK_OK);
	tqk_idreader_event ev;
	idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);
	assert_true(mock_usb_claimed(m, 1));
	assert_false(mock_usb_driver_bound(m, 1));
	WITH(p, p->placed = &a);
	idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);
	same_card(&ev.card, &a);
	uint8_t out[64];
	assert_true(mock_usb_out_take(m, 0x01, out, sizeof out) >= 10);
	assert_memory_equal(out, "\xAA\xAA\xAA\x96\x69\x00\x03\x20\x01\x22", 10);
	tqk_idreader_free(r);
	assert_false(mock_usb_claimed(m, 1));
	assert_true(mock_usb_driver_bound(m, 1));
	mock_usb_unplug(m);
	responder_free(m, p);

	/* The split-pipe address on a device without 0x85: not this reader. */
	mock_usb_dev short_of_one = c35a;
	short_of_one.n_ep = 3;
	mock_usb_plug(m, &short_of_one);
	assert_int_equal(tqk_idreader_new("usb:0400:c35a", &quick, &r), TQK_OK);
	tqk_idreader_poll(r, 0, today, &ev);
	assert_int_equal(ev.kind, TQK_IDREADER_EV_STATE);
	assert_int_equal(ev.state, TQK_IDREADER_ABSENT);
	assert_int_equal(ev.err, TQK_E_DEV_NOT_FOUND);
	assert_false(mock_usb_claimed(m, 0));
	tqk_idreader_free(r);
	mock_usb_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transport_split_pipes),
		cmocka_unit_test(reads_cards),
		cmocka_unit_test(unplug_mid_transfer_and_replug),
		cmocka_unit_test(kernel_driver_and_layouts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
