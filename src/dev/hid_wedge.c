/*
 * hid_wedge.c - the keyboard-wedge detector (hid.h): a scanner that the
 * kiosk could not claim types into the kiosk's window like a keyboard, only
 * much faster; this tells its bursts from a person's typing by the time
 * between keys, and hands typing back unchanged and in order.
 */
#include "dev/hid.h"
#include "dev/hid_build.h"

#include <assert.h>

tqk_wedge_opts tqk_wedge_opts_default(void)
{
	return (tqk_wedge_opts){
		.max_gap_ms = TQK_WEDGE_GAP_DEFAULT,
		.min_len = TQK_WEDGE_MIN_DEFAULT,
		.ends = TQK_HID_END_DEFAULT,
	};
}

tqk_err tqk_wedge_init(tqk_wedge *w, const tqk_wedge_opts *opts)
{
	tqk_wedge_opts o = opts != NULL ? *opts : tqk_wedge_opts_default();
	tqk_err err = TQK_OK;
	if (o.max_gap_ms == 0 || o.max_gap_ms > TQK_WEDGE_GAP_MAX || o.min_len == 0 ||
	    o.min_len > TQK_SCAN_MAX || o.ends == 0 || (o.ends & ~(unsigned)TQK_HID_END_DEFAULT)) {
		o = tqk_wedge_opts_default();
		err = TQK_E_ARG;
	}
	w->o = o;
	w->last_ms = 0;
	hid_build_reset(&w->run);
	return err;
}

static void out_clear(tqk_wedge_out *out)
{
	out->pass_len = 0;
	out->scanned = false;
	out->scan.err = TQK_OK;
	out->scan.source = TQK_HID_SRC_NONE;
	out->scan.sym[0] = '\0';
	out->scan.len = 0;
	out->scan.text[0] = '\0';
}

static void pass(tqk_wedge_out *out, const char *s, size_t n)
{
	assert(n <= TQK_WEDGE_PASS_CAP - out->pass_len);
	memcpy(out->pass + out->pass_len, s, n);
	out->pass_len += n;
}

static void scan(tqk_wedge *w, tqk_wedge_out *out)
{
	hid_build_finish(&w->run, TQK_HID_SRC_WEDGE, &out->scan);
	out->scanned = true;
}

/* The burst is over without a terminator: typing, unless it overflowed. */
static void burst_over(tqk_wedge *w, tqk_wedge_out *out)
{
	if (w->run.over) {
		scan(w, out);
		return;
	}
	pass(out, w->run.buf, w->run.len);
	hid_build_reset(&w->run);
}

/* A burst is going on and now is within its gap. */
static bool in_burst(const tqk_wedge *w, uint64_t now)
{
	return !hid_build_empty(&w->run) && now >= w->last_ms &&
	       now - w->last_ms <= w->o.max_gap_ms;
}

void tqk_wedge_key(tqk_wedge *w, uint64_t now_ms, unsigned char c, tqk_wedge_out *out)
{
	out_clear(out);
	bool burst = in_burst(w, now_ms);
	if (c >= 0x20 && c < 0x7F) {
		if (!burst && !hid_build_empty(&w->run))
			burst_over(w, out);
		hid_build_add(&w->run, &c, 1);
		w->last_ms = now_ms;
		return;
	}
	bool end = (c == '\r' && (w->o.ends & TQK_HID_END_ENTER)) ||
	           (c == '\t' && (w->o.ends & TQK_HID_END_TAB));
	if (end && burst && (w->run.over || w->run.len >= w->o.min_len)) {
		scan(w, out);
		return;
	}
	if (!hid_build_empty(&w->run))
		burst_over(w, out);
	pass(out, (const char *)&c, 1);
}

void tqk_wedge_tick(tqk_wedge *w, uint64_t now_ms, tqk_wedge_out *out)
{
	out_clear(out);
	if (!hid_build_empty(&w->run) && !in_burst(w, now_ms))
		burst_over(w, out);
}
