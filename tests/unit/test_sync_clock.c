/*
 * test_sync_clock.c - the trusted clock (sync/clock.h), driven by a fake
 * source of monotonic time, wall time and boot id: readings anchored on the
 * server's time, a reboot that falls back to the wall clock but never
 * earlier than the last trusted time, a wall-clock jump reported once and
 * again only after the clocks agreed in between, the saved text round trip
 * and its strict refusals, and the system's own clocks.
 */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>

#include "sync/clock.h"

#define BOOT_A "6f1b5a0e-3c2d-4e5f-8a9b-0c1d2e3f4a5b"
#define BOOT_B "a3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"
#define T0 ((tqk_time)1779240665)       /* 2026-05-20 09:31:05 Beijing time */

struct fake {
	int64_t mono_ms;
	tqk_time wall;
	char boot[TQK_BOOT_ID_CAP];
};

static int64_t fake_mono(void *ctx)
{
	return ((struct fake *)ctx)->mono_ms;
}

static tqk_time fake_wall(void *ctx)
{
	return ((struct fake *)ctx)->wall;
}

static void fake_boot(void *ctx, char out[TQK_BOOT_ID_CAP])
{
	memcpy(out, ((struct fake *)ctx)->boot, TQK_BOOT_ID_CAP);
}

/* A source over f. */
static tqk_clock_source source(struct fake *f)
{
	return (tqk_clock_source){fake_mono, fake_wall, fake_boot, f};
}

/* Reads the clock and checks time and source; returns whether a jump was
 * reported. */
static bool read_expect(tqk_clock *c, const tqk_clock_source *src, tqk_time want,
                        tqk_time_source want_src)
{
	tqk_time_source got_src = TQK_TIME_UNSET;
	bool jump = false;
	tqk_time t = tqk_clock_now(c, src, &got_src, &jump);
	assert_int_equal(t, want);
	assert_int_equal(got_src, want_src);
	return jump;
}

static void anchored_time_runs_on_the_monotonic_clock(void **state)
{
	(void)state;
	struct fake f = {.mono_ms = 5000, .wall = T0 - 30, .boot = BOOT_A};
	tqk_clock_source src = source(&f);
	tqk_clock c;
	memset(&c, 0, sizeof c);
	tqk_clock_anchor(&c, &src, T0);
	assert_string_equal(c.boot_id, BOOT_A);
	assert_int_equal(c.anchor_time, T0);
	assert_int_equal(c.anchor_mono_ms, 5000);
	assert_int_equal(c.last_trusted, T0);

	assert_false(read_expect(&c, &src, T0, TQK_TIME_ANCHORED));
	f.mono_ms += 999;       /* whole seconds only */
	assert_false(read_expect(&c, &src, T0, TQK_TIME_ANCHORED));
	f.mono_ms += 1;
	assert_false(read_expect(&c, &src, T0 + 1, TQK_TIME_ANCHORED));
	/* The wall clock does not move the trusted time. */
	f.mono_ms += 3600 * 1000;
	f.wall = T0 + 3601 + 60;
	assert_false(read_expect(&c, &src, T0 + 3601, TQK_TIME_ANCHORED));
	assert_int_equal(c.last_trusted, T0 + 3601);
	/* NULL for source and jump is allowed. */
	assert_int_equal(tqk_clock_now(&c, &src, NULL, NULL), T0 + 3601);
}

static void without_an_anchor_the_wall_clock_is_used(void **state)
{
	(void)state;
	struct fake f = {.mono_ms = 100, .wall = T0, .boot = BOOT_A};
	tqk_clock_source src = source(&f);
	tqk_clock c;
	memset(&c, 0, sizeof c);
	assert_false(read_expect(&c, &src, T0, TQK_TIME_LOCAL));
	assert_int_equal(c.last_trusted, T0);
	f.wall = T0 + 10;
	assert_false(read_expect(&c, &src, T0 + 10, TQK_TIME_LOCAL));
}

static void after_a_reboot_local_time_never_goes_back(void **state)
{
	(void)state;
	struct fake f = {.mono_ms = 1000, .wall = T0, .boot = BOOT_A};
	tqk_clock_source src = source(&f);
	tqk_clock c;
	memset(&c, 0, sizeof c);
	tqk_clock_anchor(&c, &src, T0);
	f.mono_ms += 600 * 1000;
	f.wall = T0 + 600;
	assert_false(read_expect(&c, &src, T0 + 600, TQK_TIME_ANCHORED));

	/* Reboot: another boot id, the monotonic clock from 0, and an RTC
	 * that lost a day. */
	memcpy(f.boot, BOOT_B, sizeof BOOT_B);
	f.mono_ms = 0;
	f.wall = T0 - 86400;
	bool jump = read_expect(&c, &src, T0 + 600, TQK_TIME_LOCAL);
	assert_true(jump);      /* the wall clock is a day behind what we trust */
	/* The time stays at last_trusted until the wall clock passes it. */
	f.wall = T0 + 300;
	assert_false(read_expect(&c, &src, T0 + 600, TQK_TIME_LOCAL));
	f.wall = T0 + 700;
	assert_false(read_expect(&c, &src, T0 + 700, TQK_TIME_LOCAL));
	assert_int_equal(c.last_trusted, T0 + 700);

	/* A sync anchors again on the new boot. */
	f.mono_ms = 20000;
	tqk_clock_anchor(&c, &src, T0 + 720);
	assert_string_equal(c.boot_id, BOOT_B);
	f.mono_ms += 5000;
	assert_false(read_expect(&c, &src, T0 + 725, TQK_TIME_ANCHORED));
}

static void a_jump_is_reported_once(void **state)
{
	(void)state;
	struct fake f = {.mono_ms = 0, .wall = T0, .boot = BOOT_A};
	tqk_clock_source src = source(&f);
	tqk_clock c;
	memset(&c, 0, sizeof c);
	tqk_clock_anchor(&c, &src, T0);

	/* Within TQK_CLOCK_JUMP either way: no jump. */
	f.wall = T0 + TQK_CLOCK_JUMP;
	assert_false(read_expect(&c, &src, T0, TQK_TIME_ANCHORED));
	f.wall = T0 - TQK_CLOCK_JUMP;
	assert_false(read_expect(&c, &src, T0, TQK_TIME_ANCHORED));
	assert_false(c.jumped);

	/* One second more: reported, then not again while it lasts. */
	f.wall = T0 + TQK_CLOCK_JUMP + 1;
	assert_true(read_expect(&c, &src, T0, TQK_TIME_ANCHORED));
	assert_true(c.jumped);
	f.mono_ms += 10000;
	f.wall += 10;
	assert_false(read_expect(&c, &src, T0 + 10, TQK_TIME_ANCHORED));
	f.wall = T0 - 3600;     /* jumps to the other side: still the same episode */
	assert_false(read_expect(&c, &src, T0 + 10, TQK_TIME_ANCHORED));

	/* The clocks agree again: the episode ends... */
	f.wall = T0 + 15;
	assert_false(read_expect(&c, &src, T0 + 10, TQK_TIME_ANCHORED));
	assert_false(c.jumped);
	/* ...and the next jump is reported again. */
	f.wall = T0 + 10 + 86400;
	assert_true(read_expect(&c, &src, T0 + 10, TQK_TIME_ANCHORED));

	/* The report survives a save and load (the worker keeps the clock in
	 * the store between rounds). */
	char text[TQK_CLOCK_TEXT_CAP];
	tqk_clock_save(&c, text);
	tqk_clock d;
	assert_true(tqk_clock_load(text, &d));
	assert_false(read_expect(&d, &src, T0 + 10, TQK_TIME_ANCHORED));
}

static void a_forward_jump_is_seen_against_the_anchor(void **state)
{
	(void)state;
	struct fake f = {.mono_ms = 0, .wall = T0, .boot = BOOT_A};
	tqk_clock_source src = source(&f);
	tqk_clock c;
	memset(&c, 0, sizeof c);
	tqk_clock_anchor(&c, &src, T0);
	f.mono_ms = 60000;
	f.wall = T0 + 60 + 3 * 3600;        /* someone set the clock 3 hours ahead */
	assert_true(read_expect(&c, &src, T0 + 60, TQK_TIME_ANCHORED));
}

static void the_server_replaces_a_last_trusted_time_from_a_wrong_clock(void **state)
{
	(void)state;
	struct fake f = {.mono_ms = 0, .wall = T0 + 86400 * 365, .boot = BOOT_A};
	tqk_clock_source src = source(&f);
	tqk_clock c;
	memset(&c, 0, sizeof c);
	/* A wall clock a year ahead, no anchor yet: local time follows it. */
	assert_false(read_expect(&c, &src, T0 + 86400 * 365, TQK_TIME_LOCAL));
	/* The server's time is the authority. */
	tqk_clock_anchor(&c, &src, T0);
	assert_int_equal(c.last_trusted, T0);
	assert_true(read_expect(&c, &src, T0, TQK_TIME_ANCHORED));
}

static void without_a_boot_id_nothing_is_anchored(void **state)
{
	(void)state;
	struct fake f = {.mono_ms = 1000, .wall = T0 - 5, .boot = ""};
	tqk_clock_source src = source(&f);
	tqk_clock c;
	memset(&c, 0, sizeof c);
	tqk_clock_anchor(&c, &src, T0);
	assert_string_equal(c.boot_id, "");
	assert_int_equal(c.last_trusted, T0);
	/* Local, but not earlier than the server's time just seen. */
	assert_false(read_expect(&c, &src, T0, TQK_TIME_LOCAL));
	f.wall = T0 + 50;
	assert_false(read_expect(&c, &src, T0 + 50, TQK_TIME_LOCAL));
}

static void a_monotonic_clock_that_goes_back_stays_at_the_anchor(void **state)
{
	(void)state;
	struct fake f = {.mono_ms = 50000, .wall = T0, .boot = BOOT_A};
	tqk_clock_source src = source(&f);
	tqk_clock c;
	memset(&c, 0, sizeof c);
	tqk_clock_anchor(&c, &src, T0);
	f.mono_ms = 1000;
	assert_false(read_expect(&c, &src, T0, TQK_TIME_ANCHORED));
	f.mono_ms = INT64_MIN;
	assert_false(read_expect(&c, &src, T0, TQK_TIME_ANCHORED));
}

static void saved_text_round_trips(void **state)
{
	(void)state;
	tqk_clock c, d;
	char text[TQK_CLOCK_TEXT_CAP];

	memset(&c, 0, sizeof c);
	tqk_clock_save(&c, text);
	assert_string_equal(text, "- 0 0 0 0");
	memset(&d, 0x5a, sizeof d);
	assert_true(tqk_clock_load(text, &d));
	assert_string_equal(d.boot_id, "");
	assert_int_equal(d.anchor_time, 0);
	assert_int_equal(d.anchor_mono_ms, 0);
	assert_int_equal(d.last_trusted, 0);
	assert_false(d.jumped);

	memcpy(c.boot_id, BOOT_A, sizeof BOOT_A);
	c.anchor_time = T0;
	c.anchor_mono_ms = 123456789;
	c.last_trusted = T0 + 77;
	c.jumped = true;
	tqk_clock_save(&c, text);
	assert_string_equal(text, BOOT_A " 1779240665 123456789 1779240742 1");
	assert_true(tqk_clock_load(text, &d));
	assert_string_equal(d.boot_id, BOOT_A);
	assert_int_equal(d.anchor_time, T0);
	assert_int_equal(d.anchor_mono_ms, 123456789);
	assert_int_equal(d.last_trusted, T0 + 77);
	assert_true(d.jumped);

	/* The largest numbers the format takes. */
	assert_true(tqk_clock_load("abc 999999999999999999 999999999999999999 1 0", &d));
	assert_int_equal(d.anchor_time, 999999999999999999LL);
}

static void bad_saved_text_is_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"-",
		"- 0 0 0",
		"- 0 0 0 0 0",
		"- 0 0 0 2",
		"- 0 0 0 0 ",
		" - 0 0 0 0",
		"-  0 0 0 0",
		"- 0\t0 0 0",
		"- -1 0 0 0",
		"- +1 0 0 0",
		"- 01 0 0 0",
		"- 1x 0 0 0",
		"- 1000000000000000000 0 0 0",      /* 19 digits */
		"6F1B5A0E-3C2D 0 0 0 0",            /* upper case */
		"boot_id 0 0 0 0",
		"0123456789012345678901234567890123456789 0 0 0 0",  /* 40 characters */
		"- 0 0 0 0\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_clock d;
		memset(&d, 0x5a, sizeof d);
		if (tqk_clock_load(bad[i], &d))
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_int_equal(d.anchor_time, (tqk_time)0x5a5a5a5a5a5a5a5aLL);   /* untouched */
	}
	tqk_clock d;
	assert_false(tqk_clock_load(NULL, &d));
	char huge[300];
	memset(huge, '1', sizeof huge - 1);
	huge[0] = '-';
	huge[1] = ' ';
	huge[sizeof huge - 1] = '\0';
	assert_false(tqk_clock_load(huge, &d));
}

static void the_system_source_reads_sane_values(void **state)
{
	(void)state;
	const tqk_clock_source *s = &tqk_clock_system;
	int64_t m1 = s->monotonic_ms(s->ctx);
	tqk_time w = s->wall(s->ctx);
	char boot[TQK_BOOT_ID_CAP], again[TQK_BOOT_ID_CAP];
	s->boot_id(s->ctx, boot);
	s->boot_id(s->ctx, again);
	int64_t m2 = s->monotonic_ms(s->ctx);
	assert_true(m1 > 0 && m2 >= m1);
	assert_true(w > T0 - 86400 * 365 * 10);
	/* Linux gives a uuid; where it does not, "" is the documented answer. */
	assert_true(strlen(boot) == 36 || boot[0] == '\0');
	assert_string_equal(boot, again);

	/* Anchored on the system clocks, a reading is the anchor plus the
	 * little time that passed. */
	tqk_clock c;
	memset(&c, 0, sizeof c);
	tqk_clock_anchor(&c, s, T0);
	tqk_time_source src;
	tqk_time t = tqk_clock_now(&c, s, &src, NULL);
	if (boot[0] != '\0') {
		assert_true(t >= T0 && t <= T0 + 2);
		assert_int_equal(src, TQK_TIME_ANCHORED);
	} else {
		assert_true(t >= T0);
		assert_int_equal(src, TQK_TIME_LOCAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(anchored_time_runs_on_the_monotonic_clock),
		cmocka_unit_test(without_an_anchor_the_wall_clock_is_used),
		cmocka_unit_test(after_a_reboot_local_time_never_goes_back),
		cmocka_unit_test(a_jump_is_reported_once),
		cmocka_unit_test(a_forward_jump_is_seen_against_the_anchor),
		cmocka_unit_test(the_server_replaces_a_last_trusted_time_from_a_wrong_clock),
		cmocka_unit_test(without_a_boot_id_nothing_is_anchored),
		cmocka_unit_test(a_monotonic_clock_that_goes_back_stays_at_the_anchor),
		cmocka_unit_test(saved_text_round_trips),
		cmocka_unit_test(bad_saved_text_is_refused),
		cmocka_unit_test(the_system_source_reads_sane_values),
	};
	return cmocka_run_group_tests_name("sync_clock", tests, NULL, NULL);
}
