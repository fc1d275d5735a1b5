/*
 * clock.c - the trusted clock (clock.h): the system's clocks as a source,
 * anchoring, readings with their source and jump detection, and the state
 * as one line of text for the store's settings.
 *
 * A reading is anchor_time + whole seconds of monotonic time since the
 * anchor when the anchor belongs to this boot, otherwise the wall clock;
 * either way never earlier than last_trusted, which every reading and every
 * anchor moves on. A jump is the wall clock standing more than
 * TQK_CLOCK_JUMP seconds away from the reading; `jumped` remembers that it
 * has been reported and is cleared once the two agree again, and it is part
 * of the saved text so that a worker that loads and saves the clock around
 * every round reports a jump once, not once per round.
 */
#include "sync/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the system's clocks ---- */

/* Milliseconds of CLOCK_BOOTTIME (it goes on during a suspend), or of
 * CLOCK_MONOTONIC where the kernel has no BOOTTIME; 0 if neither reads. */
static int64_t system_monotonic_ms(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0 && clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whole seconds of CLOCK_REALTIME; 0 if it does not read. */
static tqk_time system_wall(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (tqk_time)ts.tv_sec;
}

/* Whether c may stand in a boot id (the kernel writes a lower-case uuid). */
static bool boot_id_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
}

/* The kernel's boot id into out: at most TQK_BOOT_ID_CAP - 1 characters of
 * lower-case hex and '-', the newline dropped; "" when the file cannot be
 * read or holds anything else. */
static void system_boot_id(void *ctx, char out[TQK_BOOT_ID_CAP])
{
	(void)ctx;
	out[0] = '\0';
	int fd;
	do
		fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return;
	char buf[TQK_BOOT_ID_CAP + 1];
	size_t n = 0;
	while (n < sizeof buf) {
		ssize_t r = read(fd, buf + n, sizeof buf - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n == 0 || n >= TQK_BOOT_ID_CAP)
		return;
	for (size_t i = 0; i < n; i++)
		if (!boot_id_char(buf[i]))
			return;
	memcpy(out, buf, n);
	out[n] = '\0';
}

const tqk_clock_source tqk_clock_system = {
	.monotonic_ms = system_monotonic_ms,
	.wall = system_wall,
	.boot_id = system_boot_id,
	.ctx = NULL,
};

/* ---- anchoring and reading ---- */

void tqk_clock_anchor(tqk_clock *c, const tqk_clock_source *src, tqk_time server_now)
{
	char boot[TQK_BOOT_ID_CAP];
	src->boot_id(src->ctx, boot);
	boot[TQK_BOOT_ID_CAP - 1] = '\0';
	if (boot[0] == '\0') {
		/* Without a boot id a later boot could not be told from this
		 * one: no anchor, but the server's time still counts. */
		c->boot_id[0] = '\0';
		c->anchor_time = 0;
		c->anchor_mono_ms = 0;
	} else {
		memcpy(c->boot_id, boot, sizeof boot);
		c->anchor_time = server_now;
		c->anchor_mono_ms = src->monotonic_ms(src->ctx);
	}
	/* The server is the authority: its time replaces what a wrong wall
	 * clock may have pushed last_trusted to. */
	c->last_trusted = server_now;
}

tqk_time tqk_clock_now(tqk_clock *c, const tqk_clock_source *src, tqk_time_source *source,
                       bool *jump)
{
	char boot[TQK_BOOT_ID_CAP];
	src->boot_id(src->ctx, boot);
	boot[TQK_BOOT_ID_CAP - 1] = '\0';
	tqk_time wall = src->wall(src->ctx), t;
	tqk_time_source from;
	if (boot[0] != '\0' && strcmp(boot, c->boot_id) == 0) {
		int64_t elapsed;
		if (__builtin_sub_overflow(src->monotonic_ms(src->ctx), c->anchor_mono_ms, &elapsed) ||
		    elapsed < 0)
			elapsed = 0;
		if (__builtin_add_overflow(c->anchor_time, elapsed / 1000, &t))
			t = INT64_MAX;
		from = TQK_TIME_ANCHORED;
	} else {
		t = wall;
		from = TQK_TIME_LOCAL;
	}
	if (t < c->last_trusted)
		t = c->last_trusted;
	c->last_trusted = t;

	/* Unsigned: the distance of any two int64 values fits. */
	uint64_t off = wall > t ? (uint64_t)wall - (uint64_t)t : (uint64_t)t - (uint64_t)wall;
	bool started = false;
	if (off > TQK_CLOCK_JUMP) {
		started = !c->jumped;
		c->jumped = true;
	} else {
		c->jumped = false;
	}
	if (source != NULL)
		*source = from;
	if (jump != NULL)
		*jump = started;
	return t;
}

/* ---- the state as text: "boot anchor mono last jumped" ---- */

void tqk_clock_save(const tqk_clock *c, char out[TQK_CLOCK_TEXT_CAP])
{
	char boot[TQK_BOOT_ID_CAP];
	size_t n = strnlen(c->boot_id, TQK_BOOT_ID_CAP - 1);
	memcpy(boot, c->boot_id, n);
	boot[n] = '\0';
	snprintf(out, TQK_CLOCK_TEXT_CAP, "%s %lld %lld %lld %d", n > 0 ? boot : "-",
	         (long long)c->anchor_time, (long long)c->anchor_mono_ms,
	         (long long)c->last_trusted, c->jumped ? 1 : 0);
}

/* Reads a decimal number of 1..18 digits (no sign) at *s into *out and
 * moves *s past it. Returns false when there is none. */
static bool read_number(const char **s, int64_t *out)
{
	int64_t v = 0;
	size_t n = 0;
	const char *p = *s;
	while (p[n] >= '0' && p[n] <= '9') {
		if (n == 18)
			return false;
		v = v * 10 + (p[n] - '0');
		n++;
	}
	if (n == 0 || (n > 1 && p[0] == '0'))
		return false;
	*out = v;
	*s = p + n;
	return true;
}

bool tqk_clock_load(const char *text, tqk_clock *out)
{
	tqk_clock c;
	memset(&c, 0, sizeof c);
	if (text == NULL || strnlen(text, TQK_CLOCK_TEXT_CAP) >= TQK_CLOCK_TEXT_CAP)
		return false;
	const char *s = text;
	size_t n = strcspn(s, " ");
	if (n == 0 || n >= TQK_BOOT_ID_CAP)
		return false;
	if (!(n == 1 && s[0] == '-')) {
		for (size_t i = 0; i < n; i++)
			if (!boot_id_char(s[i]))
				return false;
		memcpy(c.boot_id, s, n);
		c.boot_id[n] = '\0';
	}
	s += n;
	int64_t v[4];
	for (size_t i = 0; i < 4; i++) {
		if (*s++ != ' ' || !read_number(&s, &v[i]))
			return false;
	}
	if (*s != '\0' || v[3] > 1)
		return false;
	c.anchor_time = v[0];
	c.anchor_mono_ms = v[1];
	c.last_trusted = v[2];
	c.jumped = v[3] == 1;
	*out = c;
	return true;
}
