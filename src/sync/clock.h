/*
 * clock.h - the kiosk's trusted clock (SPEC §7).
 *
 * The kiosk does not trust its wall clock blindly. At every sync it anchors
 * the server's time to the monotonic clock of this boot (the boot id tells
 * boots apart); the trusted time is then anchor + monotonic time elapsed. A
 * wall clock that strays more than TQK_CLOCK_JUMP seconds from it is a jump,
 * reported once per jump. Without an anchor for this boot (a reboot with no
 * network) the wall clock is used, but never earlier than the last trusted
 * time ever seen. Every reading says which source stood behind it
 * (tqk_time_source, core/confirmation.h).
 *
 * The clock's state is a plain value that the caller persists (the store's
 * settings): read with tqk_clock_load, written back after each change.
 * Sources of time come through a table of functions so tests can drive them.
 */
#ifndef TQK_SYNC_CLOCK_H
#define TQK_SYNC_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/confirmation.h"
#include "core/date.h"

#define TQK_CLOCK_JUMP 120          /* seconds of disagreement that make a jump */
#define TQK_BOOT_ID_CAP 40

typedef struct tqk_clock_source {
	int64_t (*monotonic_ms)(void *ctx);     /* CLOCK_MONOTONIC (or BOOTTIME) */
	tqk_time (*wall)(void *ctx);            /* CLOCK_REALTIME */
	void (*boot_id)(void *ctx, char out[TQK_BOOT_ID_CAP]);  /* /proc/sys/kernel/random/boot_id */
	void *ctx;
} tqk_clock_source;

/* The system's clocks. */
extern const tqk_clock_source tqk_clock_system;

typedef struct tqk_clock {
	char boot_id[TQK_BOOT_ID_CAP];  /* the boot the anchor belongs to; "" none */
	tqk_time anchor_time;           /* the server's time at the anchor */
	int64_t anchor_mono_ms;         /* the monotonic clock then */
	tqk_time last_trusted;          /* the latest trusted time ever read */
	bool jumped;                    /* a jump is being reported (until it ends) */
} tqk_clock;

/* Anchors the server's time now. The server's time also becomes
 * last_trusted (it is the authority, even over a wall clock that ran
 * ahead); without a boot id from src nothing is anchored, since a later
 * boot could not be told from this one. */
void tqk_clock_anchor(tqk_clock *c, const tqk_clock_source *src, tqk_time server_now);

/*
 * The time now and its source: TQK_TIME_ANCHORED with an anchor of this
 * boot; otherwise TQK_TIME_LOCAL, max(wall, last_trusted). Updates
 * last_trusted. *jump (when not NULL) is set when the wall clock has just
 * started to disagree by more than TQK_CLOCK_JUMP (once per jump).
 */
tqk_time tqk_clock_now(tqk_clock *c, const tqk_clock_source *src, tqk_time_source *source,
                       bool *jump);

/* The state as one settings value and back: "boot anchor mono last jumped",
 * single spaces, "-" for no boot id, plain decimals, jumped 0 or 1 (it is
 * saved so that a jump is reported once even when the clock is loaded and
 * saved around every round). tqk_clock_load returns false, leaving *out
 * untouched, for anything else. */
#define TQK_CLOCK_TEXT_CAP 128
void tqk_clock_save(const tqk_clock *c, char out[TQK_CLOCK_TEXT_CAP]);
bool tqk_clock_load(const char *text, tqk_clock *out);

#endif
