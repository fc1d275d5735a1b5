/*
 * fuzz_hid.c - libFuzzer target for the barcode scanner's pure HID code
 * (dev/hid.h): the report-descriptor parser, the keyboard and POS report
 * decoders, and the keyboard-wedge detector.
 *
 * Input: two bytes giving the descriptor's length L, L bytes of report
 * descriptor, then reports, each a length byte and that many bytes. The
 * reports go to the keyboard decoder (boot layout and, when the descriptor
 * gave one, its own) and to the POS decoder (the descriptor's layout, and
 * the common report-2 layout). The whole input is also a wedge session:
 * byte pairs of key and milliseconds since the previous key.
 *
 * Beyond "no crash": a parsed layout lies within its report and the caps;
 * no scan exceeds TQK_SCAN_MAX, a failed scan has no text, keyboard text
 * is printable ASCII; the wedge passes every byte on once and in order
 * unless a burst overflowed; and a second run gives the same results.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dev/hid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUT_MAX 4096

/* FNV-1a over everything the decoders put out, for the determinism check. */
static void mix(uint64_t *h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ b[i]) * 0x100000001b3ull;
}

static void check_scan(const tqk_hid_scan *s, tqk_hid_source src, uint64_t *h)
{
	assert(s->source == src);
	assert(s->len <= TQK_SCAN_MAX);
	assert(s->text[s->len] == '\0');
	assert(s->err == TQK_OK || s->err == TQK_E_TOO_LONG || s->err == TQK_E_SCAN_CHARS ||
	       s->err == TQK_E_HID_REPORT);
	assert(s->err == TQK_OK ? s->len > 0 : s->len == 0);
	size_t sym = strnlen(s->sym, sizeof s->sym);
	assert(sym < sizeof s->sym);
	for (size_t i = 0; i < sym; i++)
		assert(s->sym[i] > 0x20 && s->sym[i] < 0x7F);
	if (src != TQK_HID_SRC_POS)
		for (size_t i = 0; i < s->len; i++)
			assert(s->text[i] >= 0x20 && s->text[i] < 0x7F);
	mix(h, &s->err, sizeof s->err);
	mix(h, s->text, s->len);
	mix(h, s->sym, sym);
}

static void check_layouts(const tqk_hid_desc *d)
{
	if (d->kbd_found) {
		const tqk_hid_kbd_layout *k = &d->kbd;
		assert(d->kbd_app);
		assert(k->keys_n >= 1 && k->keys_n <= TQK_HID_KEYS_MAX);
		assert(k->report_len <= TQK_HID_REPORT_MAX);
		assert(k->keys_off + k->keys_n <= k->report_len);
		assert(!k->has_mods || k->mod_off < k->report_len);
		assert((k->report_id != 0) == d->report_ids);
	}
	if (d->pos_found) {
		const tqk_hid_pos_layout *p = &d->pos;
		assert(d->pos_app);
		assert(p->data_len >= 1 && p->report_len <= TQK_HID_REPORT_MAX);
		assert(p->data_off + p->data_len <= p->report_len);
		assert(p->count_size <= 2 && p->count_off + p->count_size <= p->report_len);
		assert(p->sym_len <= 3 && p->sym_off + p->sym_len <= p->report_len);
		assert(!p->has_more || p->more_bit / 8 < p->report_len);
		assert((p->report_id != 0) == d->report_ids);
	}
	assert(tqk_hid_desc_kind(d) != TQK_HID_POS || d->pos_found);
}

static void drain_kbd(tqk_hid_kbd *k, uint64_t *h)
{
	tqk_hid_scan s;
	while (tqk_hid_kbd_take(k, &s))
		check_scan(&s, TQK_HID_SRC_KEYBOARD, h);
}

static void drain_pos(tqk_hid_pos *p, uint64_t *h)
{
	tqk_hid_scan s;
	while (tqk_hid_pos_take(p, &s))
		check_scan(&s, TQK_HID_SRC_POS, h);
}

static const tqk_hid_pos_layout common_pos = {
	.report_id = 2, .report_len = 64, .data_off = 5, .data_len = 56,
	.count_off = 1, .count_size = 1, .sym_off = 2, .sym_len = 3,
	.has_more = true, .more_bit = 63 * 8,
};

static void reports(const tqk_hid_desc *d, const uint8_t *r, size_t n, uint64_t *h)
{
	tqk_hid_kbd boot, own;
	tqk_hid_pos pos, common;
	tqk_hid_kbd_init(&boot, TQK_HID_END_DEFAULT);
	tqk_hid_kbd_init(&own, TQK_HID_END_ENTER);
	tqk_hid_pos_init(&pos);
	tqk_hid_pos_init(&common);
	while (n > 0) {
		size_t len = r[0] < n - 1 ? r[0] : n - 1;
		const uint8_t *rep = r + 1;
		tqk_err e = tqk_hid_kbd_report(&boot, &tqk_hid_boot_layout, rep, len);
		assert(e == TQK_OK || e == TQK_E_HID_REPORT);
		mix(h, &e, sizeof e);
		drain_kbd(&boot, h);
		if (d->kbd_found) {
			e = tqk_hid_kbd_report(&own, &d->kbd, rep, len);
			assert(e == TQK_OK || e == TQK_E_HID_REPORT);
			drain_kbd(&own, h);
		}
		if (d->pos_found) {
			e = tqk_hid_pos_report(&pos, &d->pos, rep, len);
			assert(e == TQK_OK || e == TQK_E_HID_REPORT);
			drain_pos(&pos, h);
		}
		e = tqk_hid_pos_report(&common, &common_pos, rep, len);
		assert(e == TQK_OK || e == TQK_E_HID_REPORT);
		mix(h, &e, sizeof e);
		drain_pos(&common, h);
		r += 1 + len;
		n -= 1 + len;
	}
	tqk_hid_kbd_flush(&boot);
	drain_kbd(&boot, h);
	tqk_hid_pos_flush(&common);
	drain_pos(&common, h);
	assert(!tqk_hid_pos_pending(&common) && !tqk_hid_kbd_pending(&boot));
}

static void wedge(const uint8_t *data, size_t size, uint64_t *h)
{
	tqk_wedge w;
	tqk_wedge_out o;
	char in[OUT_MAX], out[OUT_MAX + TQK_SCAN_MAX + 2];
	tqk_wedge_opts opts = {
		.max_gap_ms = size > 0 ? 1u + data[0] % 100 : 40,
		.min_len = size > 1 ? 1u + data[1] % 20 : 4,
		.ends = size > 2 ? 1u + data[2] % 3 : TQK_HID_END_DEFAULT,
	};
	int rc = tqk_wedge_init(&w, &opts);
	assert(rc == TQK_OK);
	size_t n_in = 0, n_out = 0;
	bool overflow = false;
	uint64_t t = 1000000;
	for (size_t i = 0; i + 1 < size && n_in < OUT_MAX; i += 2) {
		unsigned char c = data[i];
		if (data[i + 1] == 0xFF) {
			t -= 50; /* a clock that steps back */
			tqk_wedge_tick(&w, t, &o);
		} else {
			t += data[i + 1];
			if (data[i + 1] >= 0xF0) {
				tqk_wedge_tick(&w, t, &o);
			} else {
				in[n_in++] = (char)c;
				tqk_wedge_key(&w, t, c, &o);
			}
		}
		assert(o.pass_len <= TQK_WEDGE_PASS_CAP);
		memcpy(out + n_out, o.pass, o.pass_len);
		n_out += o.pass_len;
		mix(h, o.pass, o.pass_len);
		if (o.scanned) {
			check_scan(&o.scan, TQK_HID_SRC_WEDGE, h);
			assert(o.scan.err == TQK_OK || o.scan.err == TQK_E_TOO_LONG);
			if (o.scan.err != TQK_OK) {
				overflow = true;
			} else {
				assert(o.scan.len >= opts.min_len);
				memcpy(out + n_out, o.scan.text, o.scan.len);
				n_out += o.scan.len;
				out[n_out++] = (char)c; /* the terminator */
			}
		}
		assert(n_out <= n_in);
	}
	tqk_wedge_tick(&w, t + 100000, &o);
	memcpy(out + n_out, o.pass, o.pass_len);
	n_out += o.pass_len;
	if (o.scanned)
		overflow = true;
	if (!overflow) {
		assert(n_out == n_in);
		assert(memcmp(out, in, n_in) == 0);
	}
}

static uint64_t run(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ull;
	tqk_hid_desc whole, d;
	tqk_err e = tqk_hid_desc_parse(data, size, &whole, NULL);
	assert(e == TQK_OK || e == TQK_E_HID_DESC || e == TQK_E_TOO_LONG);
	if (e == TQK_OK)
		check_layouts(&whole);
	mix(&h, &e, sizeof e);

	size_t len = size >= 2 ? (size_t)(data[0] | data[1] << 8) : 0;
	if (len > size - (size >= 2 ? 2 : size))
		len = size >= 2 ? size - 2 : 0;
	const uint8_t *desc = data + (size >= 2 ? 2 : size);
	size_t where = 0;
	e = tqk_hid_desc_parse(desc, len, &d, &where);
	assert(where <= len);
	if (e == TQK_OK) {
		check_layouts(&d);
		mix(&h, &d, sizeof d);
	} else {
		assert(!d.kbd_found && !d.pos_found);
	}
	reports(&d, desc + len, (size_t)(data + size - (desc + len)), &h);
	wedge(data, size, &h);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t a = run(data, size);
	uint64_t b = run(data, size);
	assert(a == b);
	return 0;
}
