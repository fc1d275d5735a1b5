/*
 * hid.c - keyboard and POS input reports into scans (hid.h): the US key
 * table, rollover, terminators, continued POS reports, and the bounded
 * queue of ended scans both decoders fill.
 */
#include "dev/hid.h"
#include "dev/hid_build.h"

#include <assert.h>
#include <string.h>

const tqk_hid_kbd_layout tqk_hid_boot_layout = {
	.report_id = 0, .report_len = 8,
	.has_mods = true, .mod_off = 0,
	.keys_off = 2, .keys_n = 6,
};

const char *tqk_hid_source_code(tqk_hid_source s)
{
	switch (s) {
	case TQK_HID_SRC_KEYBOARD:
		return "hid-keyboard";
	case TQK_HID_SRC_POS:
		return "hid-pos";
	case TQK_HID_SRC_WEDGE:
		return "wedge";
	default:
		return "none";
	}
}

/* ---- the queue of ended scans -------------------------------------------- */

/* Ends the scan in b into q (nothing when b is empty) and resets b. */
static void build_end(tqk_hid_build *b, tqk_hid_source src, tqk_hid_queue *q)
{
	if (hid_build_empty(b))
		return;
	if (q->n == TQK_HID_ENDED_MAX) {
		q->dropped++;
		hid_build_reset(b);
		return;
	}
	hid_build_finish(b, src, &q->s[(q->head + q->n) % TQK_HID_ENDED_MAX]);
	q->n++;
}

static bool queue_take(tqk_hid_queue *q, tqk_hid_scan *out)
{
	if (q->n == 0)
		return false;
	*out = q->s[q->head];
	q->head = (q->head + 1) % TQK_HID_ENDED_MAX;
	q->n--;
	return true;
}

static void queue_init(tqk_hid_queue *q)
{
	q->head = q->n = q->dropped = 0;
}

/* ---- the US layout ----------------------------------------------------- */

enum {
	U_ROLLOVER = 0x01, U_UNDEFINED = 0x03,
	U_A = 0x04, U_Z = 0x1D,
	U_1 = 0x1E, U_ENTER = 0x28, U_TAB = 0x2B, U_SLASH = 0x38,
	U_CAPS = 0x39, U_SCROLL = 0x47, U_NUM = 0x53,
	U_KP_SLASH = 0x54, U_KP_ENTER = 0x58, U_KP_DOT = 0x63, U_KP_EQUAL = 0x67,
	U_LCTRL = 0xE0, U_RGUI = 0xE7,
};

/* Modifier bits: Shift, and the chords that type no character. */
#define MOD_SHIFT 0x22u
#define MOD_CHORD 0xDDu

/* Usages 0x1E..0x38 without and with Shift; 0 where no character (Enter,
 * Escape, Backspace, Tab, Non-US # and ~). */
#define ROW_LEN (U_SLASH - U_1 + 1)
static const char rows[2][ROW_LEN] = {
	"1234567890\0\0\0\0 -=[]\\\0;'`,./",
	"!@#$%^&*()\0\0\0\0 _+{}|\0:\"~<>?",
};
/* Keypad 0x54..0x63 (Num Lock assumed on; Shift changes nothing). */
static const char keypad[U_KP_DOT - U_KP_SLASH + 1] = "/*-+\0" "1234567890.";

char tqk_hid_usage_char(uint8_t u, bool shift, bool caps)
{
	if (u >= U_A && u <= U_Z)
		return (char)((shift != caps ? 'A' : 'a') + (u - U_A));
	if (u >= U_1 && u <= U_SLASH)
		return rows[shift ? 1 : 0][u - U_1];
	if (u >= U_KP_SLASH && u <= U_KP_DOT)
		return keypad[u - U_KP_SLASH];
	if (u == U_KP_EQUAL)
		return '=';
	return '\0';
}

bool tqk_hid_char_usage(char c, uint8_t *usage, bool *shift)
{
	for (int sh = 0; sh < 2; sh++)
		for (unsigned u = U_A; u <= U_SLASH; u++)
			if (c != '\0' && tqk_hid_usage_char((uint8_t)u, sh == 1, false) == c) {
				*usage = (uint8_t)u;
				*shift = sh == 1;
				return true;
			}
	return false;
}

/* ---- keyboard reports ---------------------------------------------------- */

void tqk_hid_kbd_init(tqk_hid_kbd *k, unsigned ends)
{
	k->ends = ends & TQK_HID_END_DEFAULT;
	k->caps = false;
	k->n_held = 0;
	hid_build_reset(&k->cur);
	queue_init(&k->done);
}

static bool held_before(const tqk_hid_kbd *k, uint8_t u)
{
	for (size_t i = 0; i < k->n_held; i++)
		if (k->held[i] == u)
			return true;
	return false;
}

/* One key that was not held before, with the modifiers of its report. */
static void press(tqk_hid_kbd *k, uint8_t u, unsigned mods)
{
	if (u == U_ENTER || u == U_KP_ENTER || u == U_TAB) {
		unsigned end = u == U_TAB ? TQK_HID_END_TAB : TQK_HID_END_ENTER;
		if (k->ends & end)
			build_end(&k->cur, TQK_HID_SRC_KEYBOARD, &k->done);
		else
			k->cur.bad = TQK_E_SCAN_CHARS;
		return;
	}
	if (u == U_CAPS) {
		k->caps = !k->caps;
		return;
	}
	if (u == U_NUM || u == U_SCROLL || (u >= U_LCTRL && u <= U_RGUI))
		return;
	char c = tqk_hid_usage_char(u, (mods & MOD_SHIFT) != 0, k->caps);
	if (c == '\0' || (mods & MOD_CHORD) != 0) {
		k->cur.bad = TQK_E_SCAN_CHARS;
		return;
	}
	hid_build_add(&k->cur, &c, 1);
}

tqk_err tqk_hid_kbd_report(tqk_hid_kbd *k, const tqk_hid_kbd_layout *lay, const uint8_t *r,
                           size_t len)
{
	assert(lay->keys_n >= 1 && lay->keys_n <= TQK_HID_KEYS_MAX);
	if (len == 0 || len > TQK_HID_REPORT_MAX)
		return TQK_E_HID_REPORT;
	if (lay->report_id != 0 && r[0] != lay->report_id)
		return TQK_OK;
	if (len < lay->keys_off + lay->keys_n || (lay->has_mods && len <= lay->mod_off))
		return TQK_E_HID_REPORT;

	const uint8_t *keys = r + lay->keys_off;
	unsigned mods = lay->has_mods ? r[lay->mod_off] : 0;
	for (size_t i = 0; i < lay->keys_n; i++) {
		if (keys[i] >= U_ROLLOVER && keys[i] <= U_UNDEFINED)
			return TQK_OK; /* phantom state: which keys are down is unknown */
		if (keys[i] >= U_LCTRL && keys[i] <= U_RGUI)
			mods |= 1u << (keys[i] - U_LCTRL);
	}

	uint8_t now[TQK_HID_KEYS_MAX];
	size_t n_now = 0;
	for (size_t i = 0; i < lay->keys_n; i++) {
		uint8_t u = keys[i];
		bool dup = u == 0;
		for (size_t j = 0; j < n_now && !dup; j++)
			dup = now[j] == u;
		if (dup)
			continue;
		now[n_now++] = u;
		if (!held_before(k, u))
			press(k, u, mods);
	}
	memcpy(k->held, now, n_now);
	k->n_held = n_now;
	return TQK_OK;
}

bool tqk_hid_kbd_take(tqk_hid_kbd *k, tqk_hid_scan *out)
{
	return queue_take(&k->done, out);
}

void tqk_hid_kbd_flush(tqk_hid_kbd *k)
{
	build_end(&k->cur, TQK_HID_SRC_KEYBOARD, &k->done);
}

bool tqk_hid_kbd_pending(const tqk_hid_kbd *k)
{
	return !hid_build_empty(&k->cur);
}

/* ---- POS reports --------------------------------------------------------- */

void tqk_hid_pos_init(tqk_hid_pos *p)
{
	p->open = false;
	hid_build_reset(&p->cur);
	queue_init(&p->done);
}

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

tqk_err tqk_hid_pos_report(tqk_hid_pos *p, const tqk_hid_pos_layout *lay, const uint8_t *r,
                           size_t len)
{
	assert(lay->data_len >= 1 && lay->count_size <= 2 && lay->sym_len <= 3);
	if (len == 0 || len > TQK_HID_REPORT_MAX)
		return TQK_E_HID_REPORT;
	if (lay->report_id != 0 && r[0] != lay->report_id)
		return TQK_OK;
	size_t need = lay->data_off + lay->data_len;
	need = max_size(need, lay->count_off + lay->count_size);
	need = max_size(need, lay->sym_off + lay->sym_len);
	if (lay->has_more)
		need = max_size(need, lay->more_bit / 8 + 1);
	size_t n = lay->data_len;
	if (len >= need && lay->count_size > 0) {
		n = r[lay->count_off];
		if (lay->count_size == 2)
			n |= (size_t)r[lay->count_off + 1] << 8;
	}
	if (len < need || n > lay->data_len) {
		p->open = false;
		hid_build_reset(&p->cur);
		return TQK_E_HID_REPORT;
	}
	const uint8_t *data = r + lay->data_off;
	if (lay->count_size == 0)
		while (n > 0 && data[n - 1] == 0)
			n--;
	if (!p->open && lay->sym_len > 0) {
		const uint8_t *sym = r + lay->sym_off;
		size_t i = 0;
		while (i < lay->sym_len && sym[i] > 0x20 && sym[i] < 0x7F)
			i++;
		if (i == lay->sym_len) {
			memcpy(p->cur.sym, sym, i);
			p->cur.sym[i] = '\0';
		}
	}
	hid_build_add(&p->cur, data, n);
	p->open = lay->has_more && (r[lay->more_bit / 8] >> (lay->more_bit % 8) & 1u) != 0;
	if (!p->open)
		build_end(&p->cur, TQK_HID_SRC_POS, &p->done);
	return TQK_OK;
}

bool tqk_hid_pos_take(tqk_hid_pos *p, tqk_hid_scan *out)
{
	return queue_take(&p->done, out);
}

void tqk_hid_pos_flush(tqk_hid_pos *p)
{
	if (!p->open)
		return;
	p->open = false;
	p->cur.over = false;
	p->cur.bad = TQK_E_HID_REPORT;
	build_end(&p->cur, TQK_HID_SRC_POS, &p->done);
}

bool tqk_hid_pos_pending(const tqk_hid_pos *p)
{
	return p->open;
}
