/*
 * test_idreader.c - the ID-card reader driver against the real simulator
 * (tq-idreader-sim, $TQK_IDSIM) over a real pty, and over the fault wrapper.
 *
 * Every demo card is read field by field and photo byte by byte; a card is
 * read once and must leave first (one missed find is not leaving); and the
 * driver goes through every fault mode of the simulator: no card, the card
 * removed during the read, bad checksums (once, and for good), slow and
 * split replies, every SAM status on every step, garbage before the frames,
 * a hang-up before and during a read and the re-plug (a new pty behind a
 * stable link, as udev makes them). The fault wrapper adds short reads,
 * delays, garbage inside the stream, failed writes and a hang-up, around
 * the same pty. The demo cards' ID numbers are checked by core, and the tty
 * is exclusive only while the driver holds it.
 */
#include "test.h"

#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/idnum.h"
#include "core/nation.h"
#include "core/region.h"
#include "dev/devsys.h"
#include "dev/idreader.h"
#include "dev/sam.h"
#include "dev/transport_fault.h"
#include "support/fixture.h"
#include "support/idevents.h"
#include "support/idsim.h"

static const tqk_date today = {2026, 5, 20};

/* Quick timings, so that a test of retries takes fractions of a second,
 * with room for a loaded machine (sanitizers, parallel builds). */
static const tqk_idreader_opts quick = {
	.timeout_ms = 400,
	.read_timeout_ms = 3000,
	.retries = 2,
	.find_every_ms = 20,
	.backoff_min_ms = 30,
	.backoff_max_ms = 120,
};

/* The simulator and a reader on its pty, with the reader open (READY). */
typedef struct rig {
	idsim *sim;
	tqk_idreader *r;
	tqk_idreader_event ev;
} rig;

static void rig_up(rig *g, const char *const *args, const tqk_idreader_opts *opts)
{
	g->sim = idsim_start(args);
	assert_int_equal(tqk_idreader_new(idsim_address(g->sim), opts, &g->r), TQK_OK);
	assert_int_equal(tqk_idreader_get_state(g->r, NULL, NULL), TQK_IDREADER_ABSENT);
	idev_expect_state(g->r, today, TQK_IDREADER_READY, TQK_OK, &g->ev);
}

static void rig_down(rig *g)
{
	tqk_idreader_free(g->r);
	assert_int_equal(idsim_stop(g->sim), 0);
}

/* Places card n, expects it read, takes it away again. */
static void read_card_n(rig *g, int n)
{
	char cmd[32];
	snprintf(cmd, sizeof cmd, "place %d", n);
	idsim_ok(g->sim, cmd);
	idev_expect(g->r, today, TQK_IDREADER_EV_CARD, &g->ev);
	assert_int_equal(g->ev.state, TQK_IDREADER_CARD);
}

static void take_away(rig *g)
{
	idsim_ok(g->sim, "remove");
	idev_expect(g->r, today, TQK_IDREADER_EV_CARD_LEFT, &g->ev);
	assert_int_equal(g->ev.state, TQK_IDREADER_READY);
}

/* ---- the demo cards --------------------------------------------------------- */

static json_t *demo_cards(void)
{
	const char *dir = getenv("TQK_ASSETS");
	if (dir == NULL)
		fail_msg("TQK_ASSETS is not set: run through `make check`");
	char path[1024];
	snprintf(path, sizeof path, "%s/demo/idcards.json", dir);
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err);
	if (root == NULL)
		fail_msg("%s: %s", path, err.text);
	json_t *cards = json_object_get(root, "cards");
	assert_true(json_is_array(cards));
	json_incref(cards);
	json_decref(root);
	return cards;
}

static const char *member(json_t *card, const char *key)
{
	json_t *v = json_object_get(card, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void demo_cards_are_valid(void **state)
{
	(void)state;
	json_t *cards = demo_cards();
	size_t n = json_array_size(cards);
	assert_true(n >= 6);
	bool long_term = false, new_address = false, minority = false, x_check = false;
	bool address35 = false, short_name = false, long_name = false;
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(cards, i);
		const char *id = member(c, "id");
		tqk_idnum num;
		assert_int_equal(tqk_id_parse(id, strlen(id), today, &num), TQK_OK);
		assert_string_equal(num.id, id);
		assert_true(tqk_province_known(num.province));
		/* the card's birth date and gender agree with the number */
		char birth[TQK_DATE_BUFLEN];
		tqk_date_format(num.birth, birth);
		assert_string_equal(birth, member(c, "birth"));
		assert_string_equal(num.gender == TQK_GENDER_MALE ? "男" : "女", member(c, "gender"));
		size_t chars = 0;
		for (const char *p = member(c, "name"); *p != '\0'; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		short_name |= chars == 2;
		long_name |= chars == 4;
		size_t achars = 0;
		for (const char *p = member(c, "address"); *p != '\0'; p++)
			achars += ((unsigned char)*p & 0xC0) != 0x80;
		address35 |= achars == 35;
		long_term |= strcmp(member(c, "valid_to"), "长期") == 0;
		new_address |= member(c, "new_address") != NULL;
		const tqk_nation *nat = tqk_nation_by_name(member(c, "nation"), strlen(member(c, "nation")));
		assert_non_null(nat);
		minority |= nat->code != 1;
		x_check |= id[17] == 'X';
	}
	assert_true(short_name && long_name && address35 && long_term && new_address && minority &&
	            x_check);
	json_decref(cards);
}

/* The card in the event is demo card i of the file, field by field. */
static void card_matches(const tqk_idcard *card, json_t *c)
{
	assert_string_equal(card->name, member(c, "name"));
	assert_string_equal(card->address, member(c, "address"));
	assert_string_equal(card->id, member(c, "id"));
	assert_string_equal(card->authority, member(c, "authority"));
	const char *na = member(c, "new_address");
	assert_string_equal(card->new_address, na != NULL ? na : "");
	assert_string_equal(tqk_idcard_gender_text(card->gender), member(c, "gender"));
	const char *nation = member(c, "nation");
	assert_int_equal(card->nation, tqk_nation_by_name(nation, strlen(nation))->code);
	char d[TQK_IDCARD_DATE_BUFLEN];
	tqk_date_format(card->birth, d);
	assert_string_equal(d, member(c, "birth"));
	tqk_date_format(card->valid_from, d);
	assert_string_equal(d, member(c, "valid_from"));
	tqk_idcard_valid_to_format(card, d);
	assert_string_equal(d, member(c, "valid_to"));
	assert_int_equal(card->photo_len, TQK_IDCARD_PHOTO_LEN);
	uint8_t photo[TQK_IDCARD_PHOTO_LEN];
	idsim_photo(card->id, photo);
	assert_memory_equal(card->photo, photo, sizeof photo);
}

static void reads_every_demo_card(void **state)
{
	(void)state;
	rig g;
	rig_up(&g, NULL, &quick);
	json_t *cards = demo_cards();
	for (size_t i = 0; i < json_array_size(cards); i++) {
		read_card_n(&g, (int)i + 1);
		card_matches(&g.ev.card, json_array_get(cards, i));
		take_away(&g);
	}
	/* find, select, read and (every card) the appended address, nothing else */
	assert_int_equal(idsim_stat(g.sim, "read"), json_array_size(cards));
	assert_int_equal(idsim_stat(g.sim, "newaddr"), json_array_size(cards));
	assert_int_equal(idsim_stat(g.sim, "other"), 0);
	assert_int_equal(idsim_stat(g.sim, "damaged"), 0);
	json_decref(cards);
	rig_down(&g);
}

static void card_is_read_once(void **state)
{
	(void)state;
	rig g;
	rig_up(&g, (const char *[]){"--card", "1", NULL}, &quick);
	idev_expect(g.r, today, TQK_IDREADER_EV_CARD, &g.ev);
	assert_string_equal(g.ev.card.name, "张伟");
	/* It stays: finds go on, the card is not read again. */
	unsigned long finds = idsim_stat(g.sim, "find");
	idev_expect_quiet(g.r, today, 500);
	assert_true(idsim_stat(g.sim, "find") > finds + 5);
	assert_int_equal(idsim_stat(g.sim, "read"), 1);
	assert_int_equal(tqk_idreader_get_state(g.r, NULL, NULL), TQK_IDREADER_CARD);
	/* One find that misses it is not leaving. */
	idsim_ok(g.sim, "fault status 80 find 1");
	idev_expect_quiet(g.r, today, 300);
	assert_int_equal(idsim_stat(g.sim, "read"), 1);
	/* Taken away and put back: read again. */
	take_away(&g);
	read_card_n(&g, 1);
	assert_int_equal(idsim_stat(g.sim, "read"), 2);
	/* Another card placed right after: it left first (two finds), then read. */
	idsim_ok(g.sim, "remove");
	idev_expect(g.r, today, TQK_IDREADER_EV_CARD_LEFT, &g.ev);
	read_card_n(&g, 3);
	assert_true(g.ev.card.long_term);
	rig_down(&g);
}

static void no_card(void **state)
{
	(void)state;
	rig g;
	rig_up(&g, NULL, &quick);
	idev_expect_quiet(g.r, today, 300);
	assert_int_equal(tqk_idreader_get_state(g.r, NULL, NULL), TQK_IDREADER_READY);
	assert_int_equal(idsim_stat(g.sim, "select"), 0);
	/* A card the reader cannot see. */
	idsim_ok(g.sim, "fault nocard");
	idsim_ok(g.sim, "place 2");
	idev_expect_quiet(g.r, today, 300);
	idsim_ok(g.sim, "fault nocard off");
	idev_expect(g.r, today, TQK_IDREADER_EV_CARD, &g.ev);
	assert_string_equal(g.ev.card.name, "欧阳晓燕");
	rig_down(&g);
}

static void card_removed_mid_read(void **state)
{
	(void)state;
	rig g;
	rig_up(&g, NULL, &quick);
	idsim_ok(g.sim, "fault removed");
	idsim_ok(g.sim, "place 1");
	idev_expect(g.r, today, TQK_IDREADER_EV_CARD_FAILED, &g.ev);
	assert_int_equal(g.ev.err, TQK_E_CARD_REMOVED);
	assert_int_equal(g.ev.state, TQK_IDREADER_CARD);
	assert_string_equal(g.ev.card.name, ""); /* no card data in a failure */
	idev_expect(g.r, today, TQK_IDREADER_EV_CARD_LEFT, &g.ev);
	read_card_n(&g, 1);

	/* Moved but still there (41 on the read): tried again while it stays. */
	take_away(&g);
	idsim_ok(g.sim, "fault status 41 read 1");
	idsim_ok(g.sim, "place 1");
	idev_expect(g.r, today, TQK_IDREADER_EV_CARD_FAILED, &g.ev);
	assert_int_equal(g.ev.err, TQK_E_CARD_REMOVED);
	idev_expect(g.r, today, TQK_IDREADER_EV_CARD, &g.ev);
	/* ... but not for ever: after retries + 1 failures it must leave. */
	take_away(&g);
	idsim_ok(g.sim, "fault status 41 read");
	idsim_ok(g.sim, "place 1");
	for (int i = 0; i <= quick.retries; i++) {
		idev_expect(g.r, today, TQK_IDREADER_EV_CARD_FAILED, &g.ev);
		assert_int_equal(g.ev.err, TQK_E_CARD_REMOVED);
	}
	unsigned long reads = idsim_stat(g.sim, "read");
	idev_expect_quiet(g.r, today, 300);
	assert_int_equal(idsim_stat(g.sim, "read"), reads);
	idsim_ok(g.sim, "fault none");
	take_away(&g);
	read_card_n(&g, 1);
	rig_down(&g);
}

static void bad_checksums(void **state)
{
	(void)state;
	rig g;
	rig_up(&g, NULL, &quick);
	tqk_samlink_stats st;
	/* One damaged reply: retried, nobody notices. */
	idsim_ok(g.sim, "fault checksum 1");
	read_card_n(&g, 2);
	tqk_idreader_stats(g.r, &st, NULL);
	assert_true(st.bad >= 1 && st.retries >= 1 && st.resyncs >= 1);
	take_away(&g);
	/* Every reply damaged: the reader is failing, with that reason... */
	idsim_ok(g.sim, "fault checksum");
	idev_expect_state(g.r, today, TQK_IDREADER_ERROR, TQK_E_SAM_CHECKSUM, &g.ev);
	uint8_t sw = 1;
	tqk_err why;
	assert_int_equal(tqk_idreader_get_state(g.r, &why, &sw), TQK_IDREADER_ERROR);
	assert_int_equal(why, TQK_E_SAM_CHECKSUM);
	assert_int_equal(sw, 0);
	idev_expect_quiet(g.r, today, 200); /* said once, not on every find */
	/* ... until the line is good again. */
	idsim_ok(g.sim, "fault none");
	idev_expect_state(g.r, today, TQK_IDREADER_READY, TQK_OK, &g.ev);
	/* A card on a failing line is read once the line recovers. */
	idsim_ok(g.sim, "fault checksum 3");
	idsim_ok(g.sim, "place 4");
	idev_expect_state(g.r, today, TQK_IDREADER_ERROR, TQK_E_SAM_CHECKSUM, &g.ev);
	idev_expect(g.r, today, TQK_IDREADER_EV_CARD, &g.ev);
	assert_string_equal(g.ev.card.new_address, "江苏省南京市鼓楼区中山北路一百号");
	rig_down(&g);
}

static void slow_replies(void **state)
{
	(void)state;
	tqk_idreader_opts o = quick;
	o.timeout_ms = 250; /* "slow 1000" outlasts three attempts and their resyncs */
	rig g;
	rig_up(&g, NULL, &o);
	/* Slower than usual but within the timeout. */
	idsim_ok(g.sim, "fault slow 120");
	long long t0 = tqk_dev_now_ms();
	read_card_n(&g, 5);
	assert_true(tqk_dev_now_ms() - t0 >= 4 * 120); /* find, select, read, new address */
	assert_int_equal(g.ev.card.nation, 3);
	take_away(&g);
	/* Slower than the timeout: no reply in time, then the late replies are
	 * not taken for answers once it is fast again. */
	idsim_ok(g.sim, "fault slow 1000");
	idev_expect_state(g.r, today, TQK_IDREADER_ERROR, TQK_E_DEV_TIMEOUT, &g.ev);
	idsim_ok(g.sim, "fault slow 0");
	idev_expect_state(g.r, today, TQK_IDREADER_READY, TQK_OK, &g.ev);
	read_card_n(&g, 6);
	assert_string_equal(g.ev.card.id, "15010219751003049X");
	rig_down(&g);
}

static void split_replies(void **state)
{
	(void)state;
	tqk_idreader_opts o = quick;
	o.read_timeout_ms = 3000;
	rig g;
	rig_up(&g, NULL, &o);
	json_t *cards = demo_cards();
	/* A byte at a time, then a few bytes at a time, a millisecond apart. */
	const char *modes[] = {"fault split 1 0", "fault split 7 1", "fault split 64 3"};
	for (size_t i = 0; i < 3; i++) {
		idsim_ok(g.sim, modes[i]);
		read_card_n(&g, 2);
		card_matches(&g.ev.card, json_array_get(cards, 1));
		take_away(&g);
	}
	json_decref(cards);
	rig_down(&g);
}

static void garbage_before_frames(void **state)
{
	(void)state;
	rig g;
	rig_up(&g, (const char *[]){"--fault", "garbage 37", "--seed", "5", NULL}, &quick);
	read_card_n(&g, 7);
	assert_string_equal(g.ev.card.name, "阿依古丽·买买提");
	take_away(&g);
	/* Garbage and trickling together. */
	idsim_ok(g.sim, "fault split 5 0");
	idsim_ok(g.sim, "fault garbage 200");
	read_card_n(&g, 3);
	tqk_samlink_stats st;
	tqk_idreader_stats(g.r, &st, NULL);
	assert_int_equal(st.retries, 0); /* garbage is skipped, not retried */
	rig_down(&g);
}

/* What a status on some step makes of a card. */
enum { GOES_ERROR, FAILS_MOVED, FAILS_CARD, READS };

static int class_of(uint8_t sw)
{
	switch (sw) {
	case 0x41: case 0x80: case 0x81:
		return FAILS_MOVED;
	case 0x31: case 0x32: case 0x33: case 0x40: case 0x91:
		return FAILS_CARD;
	case 0x10: case 0x11: /* our request arrived damaged: sent again */
		return READS;
	default:
		return GOES_ERROR;
	}
}

static void every_status_on_every_step(void **state)
{
	(void)state;
	rig g;
	rig_up(&g, NULL, &quick);
	static const uint8_t sws[] = {0x10, 0x11, 0x21, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47,
	                              0x60, 0x66, 0x80, 0x81, 0x91, 0x00, 0x55, 0xFF};
	static const char *const steps[] = {"select", "read"};
	for (size_t s = 0; s < 2; s++) {
		for (size_t i = 0; i < sizeof sws / sizeof sws[0]; i++) {
			char cmd[64];
			snprintf(cmd, sizeof cmd, "fault status %02x %s 1", sws[i], steps[s]);
			idsim_ok(g.sim, cmd);
			idsim_ok(g.sim, "place 1");
			switch (class_of(sws[i])) {
			case GOES_ERROR:
				idev_expect_state(g.r, today, TQK_IDREADER_ERROR, TQK_E_SAM_STATUS,
				                  &g.ev);
				assert_int_equal(g.ev.sw, sws[i]);
				assert_string_equal(tqk_idreader_reason_text(g.ev.err, g.ev.sw, TQK_LANG_ZH),
				                    tqk_sam_status_text(sws[i], TQK_LANG_ZH));
				/* once it answers again */
				idev_expect(g.r, today, TQK_IDREADER_EV_CARD, &g.ev);
				break;
			case FAILS_MOVED:
				idev_expect(g.r, today, TQK_IDREADER_EV_CARD_FAILED, &g.ev);
				assert_int_equal(g.ev.err, TQK_E_CARD_REMOVED);
				/* still there: again */
				idev_expect(g.r, today, TQK_IDREADER_EV_CARD, &g.ev);
				break;
			case FAILS_CARD:
				idev_expect(g.r, today, TQK_IDREADER_EV_CARD_FAILED, &g.ev);
				assert_int_equal(g.ev.err, TQK_E_SAM_STATUS);
				assert_int_equal(g.ev.sw, sws[i]);
				idev_expect_quiet(g.r, today, 150); /* it must leave first */
				break;
			default:
				idev_expect(g.r, today, TQK_IDREADER_EV_CARD, &g.ev);
				break;
			}
			take_away(&g);
		}
	}
	/* On find: the reader is failing until it answers properly again. */
	idsim_ok(g.sim, "fault status 60 find");
	idev_expect_state(g.r, today, TQK_IDREADER_ERROR, TQK_E_SAM_STATUS, &g.ev);
	assert_int_equal(g.ev.sw, 0x60);
	idsim_ok(g.sim, "fault status 66 find");
	idev_expect_state(g.r, today, TQK_IDREADER_ERROR, TQK_E_SAM_STATUS, &g.ev);
	assert_int_equal(g.ev.sw, 0x66);
	idsim_ok(g.sim, "fault status off");
	idev_expect_state(g.r, today, TQK_IDREADER_READY, TQK_OK, &g.ev);
	/* On the appended address: 91 (none) and 21 (a reader without 30 03)
	 * mean no appended address; a card fault fails the card. */
	idsim_ok(g.sim, "fault status 91 newaddr");
	read_card_n(&g, 4);
	assert_string_equal(g.ev.card.new_address, "");
	take_away(&g);
	idsim_ok(g.sim, "fault status 21 newaddr");
	read_card_n(&g, 4);
	assert_string_equal(g.ev.card.new_address, "");
	take_away(&g);
	idsim_ok(g.sim, "fault status 33 newaddr");
	idsim_ok(g.sim, "place 4");
	idev_expect(g.r, today, TQK_IDREADER_EV_CARD_FAILED, &g.ev);
	assert_int_equal(g.ev.err, TQK_E_SAM_STATUS);
	assert_int_equal(g.ev.sw, 0x33);
	assert_string_equal(g.ev.card.new_address, "");
	rig_down(&g);
}

static void bad_card_data(void **state)
{
	(void)state;
	char dir[256], path[320];
	fixture_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/cards.json", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	/* The ID number says 1985-03-12; the card says the 13th. */
	fputs("{\"cards\": [{\"name\": \"赵六\", \"gender\": \"男\", \"nation\": \"01\","
	      " \"birth\": \"1985-03-13\", \"address\": \"湖南省长沙市\","
	      " \"id\": \"430104198503121232\", \"authority\": \"长沙市公安局\","
	      " \"valid_from\": \"2015-06-01\", \"valid_to\": \"2035-06-01\"}]}\n", f);
	fclose(f);
	rig g;
	rig_up(&g, (const char *[]){"--cards", path, "--card", "1", NULL}, &quick);
	idev_expect(g.r, today, TQK_IDREADER_EV_CARD_FAILED, &g.ev);
	assert_int_equal(g.ev.err, TQK_E_CARD_DATA);
	assert_int_equal(g.ev.problem.field, TQK_IDCARD_F_BIRTH);
	assert_int_equal(g.ev.problem.cause, TQK_E_FIELD_VALUE);
	assert_string_equal(g.ev.card.name, "");
	idev_expect_quiet(g.r, today, 300);
	assert_int_equal(idsim_stat(g.sim, "read"), 1);
	take_away(&g);
	rig_down(&g);
	fixture_rmdir(dir);
}

/* ---- hang-up and re-plug ---------------------------------------------------------- */

static void hangup_and_replug(void **state)
{
	(void)state;
	char dir[256], link[320], address[340];
	fixture_tmpdir(dir, sizeof dir);
	snprintf(link, sizeof link, "%s/ttyREADER", dir);
	snprintf(address, sizeof address, "tty:%s", link);
	idsim *sim = idsim_start((const char *[]){"--link", link, NULL});
	tqk_idreader *r = NULL;
	assert_int_equal(tqk_idreader_new(address, &quick, &r), TQK_OK);
	tqk_idreader_event ev;
	idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);
	idsim_ok(sim, "place 1");
	idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);

	/* Unplugged with the card on it: gone, then not there at all. */
	idsim_ok(sim, "hangup");
	idev_expect_state(r, today, TQK_IDREADER_ABSENT, TQK_E_DEV_GONE, &ev);
	idev_expect_state(r, today, TQK_IDREADER_ABSENT, TQK_E_DEV_NOT_FOUND, &ev);
	idev_expect_quiet(r, today, 300); /* retried quietly, with a back-off */
	unsigned opens = 0;
	tqk_idreader_stats(r, NULL, &opens);
	assert_int_equal(opens, 1);
	/* Plugged in again (another pty behind the same link): no restart. */
	char old[256];
	snprintf(old, sizeof old, "%s", idsim_path(sim));
	idsim_ok(sim, "plug");
	idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);
	/* The card lying on it is a new card for a reader just plugged in. */
	idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);
	assert_string_equal(ev.card.name, "张伟");
	tqk_idreader_stats(r, NULL, &opens);
	assert_int_equal(opens, 2);
	/* And again, several times. */
	for (int i = 0; i < 3; i++) {
		idsim_ok(sim, "hangup");
		idev_expect_state(r, today, TQK_IDREADER_ABSENT, TQK_E_DEV_GONE, &ev);
		idsim_ok(sim, "plug");
		idev_next(r, today, 4000, &ev);
		if (ev.kind == TQK_IDREADER_EV_STATE && ev.err == TQK_E_DEV_NOT_FOUND)
			idev_next(r, today, 4000, &ev);
		assert_int_equal(ev.kind, TQK_IDREADER_EV_STATE);
		assert_int_equal(ev.state, TQK_IDREADER_READY);
		idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);
	}
	tqk_idreader_free(r);
	assert_int_equal(idsim_stop(sim), 0);
	fixture_rmdir(dir);
}

typedef struct later {
	idsim *sim;
	int after_ms;
	const char *cmd;
} later;

static void *send_later(void *arg)
{
	later *l = arg;
	tqk_dev_sleep_ms(l->after_ms);
	idsim_ok(l->sim, l->cmd);
	return NULL;
}

static void hangup_during_read(void **state)
{
	(void)state;
	char dir[256], link[320], address[340];
	fixture_tmpdir(dir, sizeof dir);
	snprintf(link, sizeof link, "%s/ttyREADER", dir);
	snprintf(address, sizeof address, "tty:%s", link);
	idsim *sim = idsim_start((const char *[]){"--link", link, "--fault", "slow 150", NULL});
	tqk_idreader *r = NULL;
	assert_int_equal(tqk_idreader_new(address, &quick, &r), TQK_OK);
	tqk_idreader_event ev;
	idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);
	/* While the driver waits for the slow reply to the read, the reader is
	 * pulled out (from another thread: the driver is blocked in poll). */
	idev_expect_quiet(r, today, 100);
	idsim_ok(sim, "place 2");
	later l = {sim, 320, "hangup"}; /* some way into find, select, read */
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, send_later, &l), 0);
	idev_next(r, today, 4000, &ev);
	pthread_join(th, NULL);
	assert_int_equal(ev.kind, TQK_IDREADER_EV_STATE);
	assert_int_equal(ev.state, TQK_IDREADER_ABSENT);
	assert_int_equal(ev.err, TQK_E_DEV_GONE);
	assert_string_equal(ev.card.name, "");
	idsim_ok(sim, "fault none");
	idsim_ok(sim, "plug");
	idev_next(r, today, 4000, &ev);
	if (ev.kind == TQK_IDREADER_EV_STATE && ev.err == TQK_E_DEV_NOT_FOUND)
		idev_next(r, today, 4000, &ev);
	assert_int_equal(ev.state, TQK_IDREADER_READY);
	idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);
	assert_string_equal(ev.card.name, "欧阳晓燕");
	tqk_idreader_free(r);
	assert_int_equal(idsim_stop(sim), 0);
	fixture_rmdir(dir);
}

/* ---- the fault wrapper ------------------------------------------------------------ */

typedef struct wrapped {
	const char *address;
	tqk_fault_plan plan;
	unsigned opened;
} wrapped;

static tqk_err open_wrapped(void *user, tqk_transport **out)
{
	wrapped *w = user;
	tqk_transport *t = NULL;
	tqk_err err = tqk_transport_open(w->address, &t);
	if (err != TQK_OK)
		return err;
	w->opened++;
	w->plan.seed++;
	return tqk_fault_wrap(t, &w->plan, out);
}

static void through_the_fault_wrapper(void **state)
{
	(void)state;
	idsim *sim = idsim_start(NULL);
	json_t *cards = demo_cards();
	const tqk_fault_plan plans[] = {
		{.seed = 1, .max_chunk = 1},                  /* a byte per read */
		{.seed = 2, .max_chunk = 5, .delay_ms = 1},   /* short and late */
		{.seed = 3, .garbage_every = 3},              /* garbage in the stream */
		{.seed = 4, .fail_write_every = 3},           /* failed writes */
	};
	for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++) {
		wrapped w = {idsim_address(sim), plans[i], 0};
		tqk_idreader_opts o = quick;
		o.read_timeout_ms = 4000;
		o.retries = 4;
		tqk_idreader *r = NULL;
		assert_int_equal(tqk_idreader_new_opener(open_wrapped, &w, &o, &r), TQK_OK);
		tqk_idreader_event ev;
		idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);
		char cmd[32];
		for (int k = 1; k <= 2; k++) {
			snprintf(cmd, sizeof cmd, "place %d", k);
			idsim_ok(sim, cmd);
			idev_next(r, today, 8000, &ev);
			if (ev.kind == TQK_IDREADER_EV_STATE && ev.state == TQK_IDREADER_ERROR)
				/* a stretch of bad luck, then the card */
				idev_next(r, today, 8000, &ev);
			if (ev.kind != TQK_IDREADER_EV_CARD)
				fail_msg("plan %zu: event %s (%s)", i, idev_kind_name(ev.kind),
				         tqk_err_code(ev.err));
			card_matches(&ev.card, json_array_get(cards, (size_t)k - 1));
			idsim_ok(sim, "remove");
			do
				idev_next(r, today, 8000, &ev);
			while (ev.kind == TQK_IDREADER_EV_STATE);
			assert_int_equal(ev.kind, TQK_IDREADER_EV_CARD_LEFT);
		}
		tqk_idreader_free(r);
	}

	/* A cable that fails after 40 bytes, every time it is plugged in: the
	 * driver re-opens through the opener each time; then a good one. */
	wrapped w = {idsim_address(sim), {.seed = 9, .hangup_after = 40}, 0};
	tqk_idreader *r = NULL;
	assert_int_equal(tqk_idreader_new_opener(open_wrapped, &w, &quick, &r), TQK_OK);
	tqk_idreader_event ev;
	for (int k = 0; k < 3; k++) {
		idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);
		idev_expect_state(r, today, TQK_IDREADER_ABSENT, TQK_E_DEV_GONE, &ev);
	}
	assert_int_equal(w.opened, 3);
	w.plan.hangup_after = 0; /* taken by the next open */
	idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);
	idsim_ok(sim, "place 3");
	idev_expect(r, today, TQK_IDREADER_EV_CARD, &ev);
	card_matches(&ev.card, json_array_get(cards, 2));
	idsim_ok(sim, "remove");
	tqk_idreader_free(r);

	/* A reader over a given transport is never re-opened. */
	tqk_transport *t = NULL, *f = NULL;
	assert_int_equal(tqk_transport_open(idsim_address(sim), &t), TQK_OK);
	tqk_fault_plan once = {.seed = 5, .hangup_after = 40};
	assert_int_equal(tqk_fault_wrap(t, &once, &f), TQK_OK);
	assert_int_equal(tqk_idreader_new_transport(f, &quick, &r), TQK_OK);
	idev_expect_state(r, today, TQK_IDREADER_READY, TQK_OK, &ev);
	idsim_ok(sim, "place 1");
	idev_expect_state(r, today, TQK_IDREADER_ABSENT, TQK_E_DEV_GONE, &ev);
	idev_expect_quiet(r, today, 300);
	unsigned opens = 0;
	tqk_idreader_stats(r, NULL, &opens);
	assert_int_equal(opens, 1);
	tqk_idreader_free(r);

	json_decref(cards);
	assert_int_equal(idsim_stop(sim), 0);
}

/* The tty is exclusive while the driver has it open, and not after: with
 * the simulator (or anything else) still holding it, a later open without
 * CAP_SYS_ADMIN would otherwise be refused as busy. */
static void tty_exclusive_only_while_open(void **state)
{
	(void)state;
	idsim *sim = idsim_start(NULL);
	int fd = open(idsim_path(sim), O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(fd >= 0);
	int excl = -1;
	assert_int_equal(ioctl(fd, TIOCGEXCL, &excl), 0);
	assert_int_equal(excl, 0);
	tqk_transport *t = NULL;
	assert_int_equal(tqk_transport_open(idsim_address(sim), &t), TQK_OK);
	assert_int_equal(ioctl(fd, TIOCGEXCL, &excl), 0);
	assert_int_equal(excl, 1);
	tqk_transport_close(t);
	assert_int_equal(ioctl(fd, TIOCGEXCL, &excl), 0);
	assert_int_equal(excl, 0);
	close(fd);
	assert_int_equal(idsim_stop(sim), 0);
}

static void addresses_and_names(void **state)
{
	(void)state;
	tqk_idreader *r = (tqk_idreader *)&r;
	assert_int_equal(tqk_idreader_new("serial:/dev/ttyS0", NULL, &r), TQK_E_DEV_SPEC);
	assert_null(r);
	assert_int_equal(tqk_idreader_new(NULL, NULL, &r), TQK_E_DEV_SPEC);
	char longer[TQK_DEV_SPEC_CAP + 4];
	memset(longer, 'a', sizeof longer - 1);
	memcpy(longer, "tty:/", 5);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(tqk_idreader_new(longer, NULL, &r), TQK_E_DEV_SPEC);
	/* A well-formed address of nothing: absent, with the reason. */
	assert_int_equal(tqk_idreader_new("tty:/dev/tqk-no-such-reader", &quick, &r), TQK_OK);
	tqk_idreader_event ev;
	tqk_idreader_poll(r, 0, today, &ev);
	assert_int_equal(ev.kind, TQK_IDREADER_EV_STATE);
	assert_int_equal(ev.state, TQK_IDREADER_ABSENT);
	assert_int_equal(ev.err, TQK_E_DEV_NOT_FOUND);
	tqk_idreader_poll(r, 100, today, &ev);
	assert_int_equal(ev.kind, TQK_IDREADER_EV_NONE);
	assert_int_equal(ev.state, TQK_IDREADER_ABSENT);
	tqk_idreader_free(r);
	tqk_idreader_free(NULL);
	assert_int_equal(tqk_idreader_new("tty:/dev/null?baud=12", &quick, &r), TQK_OK);
	tqk_idreader_poll(r, 0, today, &ev);
	assert_int_equal(ev.err, TQK_E_DEV_SPEC);
	tqk_idreader_free(r);

	static const char *const codes[] = {"absent", "ready", "card", "error"};
	for (int s = 0; s < TQK_IDREADER_STATE_COUNT; s++) {
		assert_string_equal(tqk_idreader_state_code((tqk_idreader_state)s), codes[s]);
		assert_true(strlen(tqk_idreader_state_text((tqk_idreader_state)s, TQK_LANG_ZH)) > 6);
		assert_true(strlen(tqk_idreader_state_text((tqk_idreader_state)s, TQK_LANG_EN)) > 6);
	}
	assert_string_equal(tqk_idreader_state_code(TQK_IDREADER_STATE_COUNT), "unknown");
	assert_string_equal(tqk_idreader_reason_text(TQK_E_SAM_STATUS, 0x66, TQK_LANG_EN),
	                    "the reader's security module is not authorised");
	assert_string_equal(tqk_idreader_reason_text(TQK_E_DEV_GONE, 0, TQK_LANG_ZH),
	                    tqk_strerror(TQK_E_DEV_GONE, TQK_LANG_ZH));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(demo_cards_are_valid),
		cmocka_unit_test(reads_every_demo_card),
		cmocka_unit_test(card_is_read_once),
		cmocka_unit_test(no_card),
		cmocka_unit_test(card_removed_mid_read),
		cmocka_unit_test(bad_checksums),
		cmocka_unit_test(slow_replies),
		cmocka_unit_test(split_replies),
		cmocka_unit_test(garbage_before_frames),
		cmocka_unit_test(every_status_on_every_step),
		cmocka_unit_test(bad_card_data),
		cmocka_unit_test(hangup_and_replug),
		cmocka_unit_test(hangup_during_read),
		cmocka_unit_test(through_the_fault_wrapper),
		cmocka_unit_test(tty_exclusive_only_while_open),
		cmocka_unit_test(addresses_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
