/*
 * test_hid.c - the pure HID code of the barcode scanner (dev/hid.h):
 * boot-keyboard reports to text (shift, Caps Lock, rollover, ErrorRollOver,
 * terminators, the length cap, keys outside a US layout), report
 * descriptors (a real boot keyboard, POS scanners in several layouts,
 * malformed ones), POS reports (continued scans, Byte Count, padding), and
 * the keyboard-wedge detector with injected times.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/scan.h"
#include "dev/hid.h"
#include "support/signedqr.h"

/* ---- helpers ------------------------------------------------------------- */

#define SHIFT 0x02
#define RSHIFT 0x20
#define ENTER 0x28
#define TAB 0x2B

static void boot(tqk_hid_kbd *k, uint8_t mods, const uint8_t *keys, size_t n)
{
	uint8_t r[8] = {mods, 0, 0, 0, 0, 0, 0, 0};
	assert_true(n <= 6);
	if (n > 0)
		memcpy(r + 2, keys, n);
	assert_int_equal(tqk_hid_kbd_report(k, &tqk_hid_boot_layout, r, sizeof r), TQK_OK);
}

#define PRESS(k, mods, ...)                                                              \
	do {                                                                             \
		const uint8_t keys_[] = {__VA_ARGS__};                                   \
		boot((k), (mods), keys_, sizeof keys_);                                  \
	} while (0)
#define RELEASE(k) boot((k), 0, NULL, 0)

/* Types s the way scanners do: each key pressed in one report, released in
 * the next; then the terminator. */
static void type(tqk_hid_kbd *k, const char *s, size_t n, uint8_t end)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t u = 0;
		bool shift = false;
		if (!tqk_hid_char_usage(s[i], &u, &shift))
			fail_msg("no key types 0x%02x", (unsigned char)s[i]);
		PRESS(k, shift ? SHIFT : 0, u);
		RELEASE(k);
	}
	if (end != 0) {
		PRESS(k, 0, end);
		RELEASE(k);
	}
}

static tqk_hid_scan take_one(tqk_hid_kbd *k)
{
	tqk_hid_scan s;
	if (!tqk_hid_kbd_take(k, &s))
		fail_msg("no scan ended");
	return s;
}

static void expect_text(tqk_hid_kbd *k, const char *want)
{
	tqk_hid_scan s = take_one(k);
	assert_int_equal(s.err, TQK_OK);
	assert_int_equal(s.source, TQK_HID_SRC_KEYBOARD);
	assert_int_equal(s.len, strlen(want));
	assert_string_equal(s.text, want);
}

static void expect_err(tqk_hid_kbd *k, tqk_err err)
{
	tqk_hid_scan s = take_one(k);
	assert_int_equal(s.err, err);
	assert_int_equal(s.len, 0);
	assert_string_equal(s.text, "");
}

static void expect_none(tqk_hid_kbd *k)
{
	tqk_hid_scan s;
	assert_false(tqk_hid_kbd_take(k, &s));
}

/* ---- keyboard reports ---------------------------------------------------- */

static void us_table(void **state)
{
	(void)state;
	static const struct {
		uint8_t u;
		bool shift;
		char c;
	} v[] = {
		{0x04, false, 'a'}, {0x04, true, 'A'}, {0x1D, false, 'z'}, {0x1E, false, '1'},
		{0x1E, true, '!'},  {0x26, false, '9'}, {0x27, false, '0'}, {0x27, true, ')'},
		{0x2C, false, ' '}, {0x2D, false, '-'}, {0x2D, true, '_'}, {0x2E, true, '+'},
		{0x31, false, '\\'}, {0x31, true, '|'}, {0x33, true, ':'}, {0x34, true, '"'},
		{0x35, true, '~'},  {0x38, true, '?'},  {0x54, false, '/'}, {0x59, false, '1'},
		{0x62, true, '0'},  {0x63, false, '.'}, {0x67, false, '='},
		{ENTER, false, 0},  {TAB, false, 0},    {0x29, false, 0},   {0x2A, false, 0},
		{0x32, false, 0},   {0x64, false, 0},   {0x3A, false, 0},   {0x87, false, 0},
		{0x58, false, 0},   {0x00, false, 0},   {0xE1, false, 0},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		assert_int_equal(tqk_hid_usage_char(v[i].u, v[i].shift, false), v[i].c);
	/* Caps Lock changes letters only, and Shift undoes it */
	assert_int_equal(tqk_hid_usage_char(0x04, false, true), 'A');
	assert_int_equal(tqk_hid_usage_char(0x04, true, true), 'a');
	assert_int_equal(tqk_hid_usage_char(0x1E, false, true), '1');
	/* and back: every printable ASCII character has its key */
	for (int c = 0x20; c < 0x7F; c++) {
		uint8_t u = 0;
		bool shift = false;
		assert_true(tqk_hid_char_usage((char)c, &u, &shift));
		assert_int_equal(tqk_hid_usage_char(u, shift, false), c);
	}
	uint8_t u = 0;
	bool shift = false;
	assert_true(tqk_hid_char_usage('|', &u, &shift));
	assert_true(u == 0x31 && shift);
	assert_true(tqk_hid_char_usage('7', &u, &shift));
	assert_true(u == 0x24 && !shift);
	assert_false(tqk_hid_char_usage('\t', &u, &shift));
	assert_false(tqk_hid_char_usage('\0', &u, &shift));
	assert_false(tqk_hid_char_usage((char)0xE5, &u, &shift));
	assert_string_equal(tqk_hid_source_code(TQK_HID_SRC_POS), "hid-pos");
	assert_string_equal(tqk_hid_source_code(TQK_HID_SRC_KEYBOARD), "hid-keyboard");
	assert_string_equal(tqk_hid_source_code(TQK_HID_SRC_WEDGE), "wedge");
}

static void shift_left_and_right(void **state)
{
	(void)state;
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	PRESS(&k, SHIFT, 0x04);        /* A */
	RELEASE(&k);
	PRESS(&k, 0, 0x05);            /* b */
	RELEASE(&k);
	PRESS(&k, RSHIFT, 0x1E);       /* ! */
	RELEASE(&k);
	PRESS(&k, SHIFT | RSHIFT, 0x31); /* | */
	RELEASE(&k);
	PRESS(&k, 0, 0x1E);            /* 1 */
	assert_true(tqk_hid_kbd_pending(&k));
	PRESS(&k, 0, 0x1E, ENTER);     /* 1 still held, Enter new */
	RELEASE(&k);
	assert_false(tqk_hid_kbd_pending(&k));
	expect_text(&k, "Ab!|1");
	expect_none(&k);
}

static void scans_of_our_barcodes(void **state)
{
	(void)state;
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	const char *cert = "20143601234567890";
	type(&k, cert, strlen(cert), ENTER);
	expect_text(&k, cert);
	const char *reg = "20260315000123";
	type(&k, reg, strlen(reg), TAB);
	expect_text(&k, reg);

	/* a signed form payload with an ASCII name, as a keyboard scanner can type */
	sq_form form;
	assert_int_equal(sq_make(&form, "Li Hua", reg), 0);
	const char *payload = form.text;
	size_t len = form.len;
	assert_non_null(memchr(payload, '|', len));
	type(&k, payload, len, ENTER);
	tqk_hid_scan s = take_one(&k);
	assert_int_equal(s.err, TQK_OK);
	assert_int_equal(s.len, len);
	assert_memory_equal(s.text, payload, len);
	tqk_scan c;
	assert_int_equal(tqk_scan_classify(s.text, s.len, DATE(2026, 3, 20), &c), TQK_OK);
	assert_int_equal(c.kind, TQK_SCAN_PAYLOAD);
	expect_none(&k);
}

static void rollover(void **state)
{
	(void)state;
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	/* two keys new in one report: both, in array order */
	PRESS(&k, 0, 0x04, 0x05);
	RELEASE(&k);
	/* a key held across reports counts once; the next one overlaps it */
	PRESS(&k, 0, 0x06);
	PRESS(&k, 0, 0x06, 0x07);
	PRESS(&k, 0, 0x07);
	PRESS(&k, 0, 0x07, 0x06); /* c pressed again while d is held */
	RELEASE(&k);
	/* release and press again: "11"; held without release: one "2" */
	PRESS(&k, 0, 0x1E);
	RELEASE(&k);
	PRESS(&k, 0, 0x1E);
	RELEASE(&k);
	PRESS(&k, 0, 0x1F);
	PRESS(&k, 0, 0x1F);
	PRESS(&k, 0, 0x1F);
	/* a key listed twice in one report counts once */
	PRESS(&k, 0, 0x20, 0x20);
	PRESS(&k, 0, ENTER);
	RELEASE(&k);
	expect_text(&k, "abcdc1123");
}

static void error_rollover_ignored(void **state)
{
	(void)state;
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	PRESS(&k, 0, 0x04);
	PRESS(&k, 0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01); /* too many keys down */
	/* a stays held (from before the phantom report), b is new */
	PRESS(&k, 0, 0x04, 0x05);
	RELEASE(&k);
	PRESS(&k, 0, 0x02, 0x06); /* POSTFail: the report says nothing */
	PRESS(&k, 0, 0x03);
	PRESS(&k, 0, ENTER);
	RELEASE(&k);
	expect_text(&k, "ab");
	expect_none(&k);
}

static void terminators(void **state)
{
	(void)state;
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	type(&k, "123", 3, ENTER);
	type(&k, "456", 3, TAB);
	type(&k, "789", 3, 0x58); /* keypad Enter */
	expect_text(&k, "123");
	expect_text(&k, "456");
	expect_text(&k, "789");
	/* Enter with nothing typed is no scan */
	PRESS(&k, 0, ENTER);
	RELEASE(&k);
	expect_none(&k);
	/* two scans ended in one report */
	PRESS(&k, 0, 0x1E, ENTER, 0x1F, TAB);
	RELEASE(&k);
	expect_text(&k, "1");
	expect_text(&k, "2");

	/* Enter only: a Tab inside spoils the scan */
	tqk_hid_kbd_init(&k, TQK_HID_END_ENTER);
	type(&k, "12", 2, TAB);
	type(&k, "3", 1, ENTER);
	expect_err(&k, TQK_E_SCAN_CHARS);
	type(&k, "45", 2, ENTER);
	expect_text(&k, "45");

	/* no terminator: only a flush ends a scan */
	tqk_hid_kbd_init(&k, 0);
	type(&k, "99", 2, 0);
	expect_none(&k);
	tqk_hid_kbd_flush(&k);
	expect_text(&k, "99");
	tqk_hid_kbd_flush(&k);
	expect_none(&k);
}

static void caps_lock(void **state)
{
	(void)state;
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	PRESS(&k, 0, 0x39); /* Caps Lock on */
	RELEASE(&k);
	PRESS(&k, 0, 0x04);
	RELEASE(&k);
	PRESS(&k, SHIFT, 0x05);
	RELEASE(&k);
	PRESS(&k, 0, 0x1E);
	RELEASE(&k);
	PRESS(&k, 0, 0x39); /* off again */
	RELEASE(&k);
	PRESS(&k, 0, 0x06);
	PRESS(&k, 0, ENTER);
	RELEASE(&k);
	expect_text(&k, "Ab1c");
	/* Num Lock and Scroll Lock type nothing and spoil nothing */
	PRESS(&k, 0, 0x53);
	PRESS(&k, 0, 0x47);
	PRESS(&k, 0, 0x59);
	PRESS(&k, 0, ENTER);
	expect_text(&k, "1");
}

static void length_cap(void **state)
{
	(void)state;
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	char s[TQK_SCAN_MAX + 2];
	for (size_t i = 0; i < sizeof s; i++)
		s[i] = (char)('0' + i % 10);
	type(&k, s, TQK_SCAN_MAX, ENTER);
	tqk_hid_scan got = take_one(&k);
	assert_int_equal(got.err, TQK_OK);
	assert_int_equal(got.len, TQK_SCAN_MAX);
	assert_memory_equal(got.text, s, TQK_SCAN_MAX);
	assert_int_equal(got.text[TQK_SCAN_MAX], '\0');

	type(&k, s, TQK_SCAN_MAX + 1, ENTER);
	expect_err(&k, TQK_E_TOO_LONG);
	type(&k, "42", 2, ENTER); /* the next scan is whole again */
	expect_text(&k, "42");
}

static void keys_outside_us_layout(void **state)
{
	(void)state;
	static const uint8_t bad[] = {0x32, 0x64, 0x3A, 0x29, 0x2A, 0x4F, 0x87, 0x90};
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	for (size_t i = 0; i < sizeof bad; i++) {
		type(&k, "12", 2, 0);
		PRESS(&k, 0, bad[i]);
		RELEASE(&k);
		type(&k, "3", 1, ENTER);
		expect_err(&k, TQK_E_SCAN_CHARS);
	}
	/* Ctrl, Alt and GUI chords type no character */
	static const uint8_t chords[] = {0x01, 0x04, 0x08, 0x10, 0x40, 0x80};
	for (size_t i = 0; i < sizeof chords; i++) {
		PRESS(&k, chords[i], 0x04);
		RELEASE(&k);
		PRESS(&k, 0, ENTER);
		expect_err(&k, TQK_E_SCAN_CHARS);
	}
	/* Shift held as a key in the array works like the modifier bit */
	PRESS(&k, 0, 0xE1, 0x04);
	PRESS(&k, 0, ENTER);
	expect_text(&k, "A");
	expect_none(&k);
}

static void bad_reports_change_nothing(void **state)
{
	(void)state;
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	PRESS(&k, 0, 0x04);
	uint8_t r[TQK_HID_REPORT_MAX + 1] = {0, 0, 0x04, 0x05};
	assert_int_equal(tqk_hid_kbd_report(&k, &tqk_hid_boot_layout, r, 0), TQK_E_HID_REPORT);
	assert_int_equal(tqk_hid_kbd_report(&k, &tqk_hid_boot_layout, r, 7), TQK_E_HID_REPORT);
	assert_int_equal(tqk_hid_kbd_report(&k, &tqk_hid_boot_layout, r, sizeof r),
	                 TQK_E_HID_REPORT);
	/* longer than 8 is fine (the layout's bytes are there) */
	assert_int_equal(tqk_hid_kbd_report(&k, &tqk_hid_boot_layout, r, 16), TQK_OK);
	PRESS(&k, 0, ENTER);
	expect_text(&k, "ab");

	/* a layout with a report ID ignores other reports */
	const tqk_hid_kbd_layout lay = {.report_id = 1, .report_len = 9, .has_mods = true,
	                                .mod_off = 1, .keys_off = 3, .keys_n = 6};
	const uint8_t mine[9] = {1, SHIFT, 0, 0x04}, other[9] = {2, 0, 0, 0x05},
	              none[9] = {1}, end[9] = {1, 0, 0, ENTER};
	assert_int_equal(tqk_hid_kbd_report(&k, &lay, mine, 9), TQK_OK);
	assert_int_equal(tqk_hid_kbd_report(&k, &lay, other, 9), TQK_OK);
	assert_int_equal(tqk_hid_kbd_report(&k, &lay, none, 9), TQK_OK);
	assert_int_equal(tqk_hid_kbd_report(&k, &lay, end, 9), TQK_OK);
	expect_text(&k, "A");
}

static void queue_is_bounded(void **state)
{
	(void)state;
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	for (int i = 0; i < TQK_HID_ENDED_MAX + 2; i++)
		type(&k, "7", 1, ENTER);
	assert_int_equal(k.done.dropped, 2);
	for (int i = 0; i < TQK_HID_ENDED_MAX; i++)
		expect_text(&k, "7");
	expect_none(&k);
}

/* ---- report descriptors -------------------------------------------------- */

/* The boot keyboard of HID 1.11 appendix B.1 (what keyboard scanners send). */
static const uint8_t boot_kbd[] = {
	0x05, 0x01, 0x09, 0x06, 0xA1, 0x01,             /* Generic Desktop, Keyboard, App */
	0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7,             /* Keys E0..E7 */
	0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08,
	0x81, 0x02,                                     /* Input: modifiers */
	0x95, 0x01, 0x75, 0x08, 0x81, 0x01,             /* Input: reserved byte */
	0x95, 0x05, 0x75, 0x01, 0x05, 0x08, 0x19, 0x01, 0x29, 0x05,
	0x91, 0x02,                                     /* Output: LEDs */
	0x95, 0x01, 0x75, 0x03, 0x91, 0x01,             /* Output: padding */
	0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65,
	0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, /* Input: 6 keys (array) */
	0xC0,
};

/* A keyboard scanner with report IDs: keyboard (1) and consumer keys (2). */
static const uint8_t kbd_with_ids[] = {
	0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x85, 0x01,
	0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01,
	0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
	0x75, 0x08, 0x95, 0x01, 0x81, 0x03,
	0x75, 0x08, 0x95, 0x06, 0x15, 0x00, 0x26, 0xFF, 0x00,
	0x05, 0x07, 0x19, 0x00, 0x2A, 0xFF, 0x00, 0x81, 0x00,
	0xC0,
	0x05, 0x0C, 0x09, 0x01, 0xA1, 0x01, 0x85, 0x02,
	0x15, 0x00, 0x26, 0xFF, 0x03, 0x19, 0x00, 0x2A, 0xFF, 0x03,
	0x75, 0x10, 0x95, 0x01, 0x81, 0x00, 0xC0,
};

/* POS layout A (Access-IS, Honeywell and others): ID 2, Byte Count, AIM
 * symbology, 56 data bytes, 2 vendor bytes, then Decode Data Continued. */
static const uint8_t pos_a[] = {
	0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01,             /* Bar Code Scanner, App */
	0x09, 0x12, 0xA1, 0x02,                         /* Scanned Data Report, Logical */
	0x85, 0x02, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08,
	0x95, 0x01, 0x05, 0x01, 0x09, 0x3B, 0x81, 0x02, /* Byte Count */
	0x95, 0x03, 0x05, 0x8C, 0x09, 0xFB, 0x09, 0xFC, 0x09, 0xFD,
	0x81, 0x02,                                     /* Symbology Identifier 1..3 */
	0x95, 0x38, 0x09, 0xFE, 0x82, 0x02, 0x01,       /* Decoded Data, buffered bytes */
	0x06, 0x66, 0xFF, 0x95, 0x02, 0x09, 0x01, 0x09, 0x02,
	0x81, 0x02,                                     /* vendor bytes */
	0x05, 0x8C, 0x25, 0x01, 0x75, 0x01, 0x95, 0x01, 0x09, 0xFF,
	0x81, 0x02,                                     /* Decode Data Continued */
	0x75, 0x07, 0x81, 0x03,                         /* padding */
	0xC0,
	0x09, 0x14, 0xA1, 0x02,                         /* Trigger Report (output) */
	0x85, 0x04, 0x75, 0x08, 0x95, 0x01, 0x09, 0x00, 0x91, 0x02,
	0xC0,
	0xC0,
};

/* POS layout B: no report IDs, no Byte Count, no symbology; the
 * continuation bit first, 63 data bytes (Var, one usage repeated). */
static const uint8_t pos_b[] = {
	0x05, 0x8C, 0x09, 0x03, 0xA1, 0x01,
	0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x01, 0x09, 0xFF, 0x81, 0x02,
	0x95, 0x07, 0x81, 0x01,
	0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x3F, 0x09, 0xFE, 0x81, 0x02,
	0xC0,
};

/* POS layout C: extended (4-byte) usages, a usage range FB..FE for the
 * symbology and the data in one item, a 16-bit Byte Count after the data,
 * push and pop around it, and a keyboard application beside it. */
static const uint8_t pos_c[] = {
	0x0B, 0x02, 0x00, 0x8C, 0x00, 0xA1, 0x01,       /* Usage 0x8C:02, App */
	0x85, 0x07, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x23,
	0x1B, 0xFB, 0x00, 0x8C, 0x00, 0x2B, 0xFE, 0x00, 0x8C, 0x00,
	0x81, 0x02,                                     /* sym 3 + data 32 */
	0xA4,                                           /* Push */
	0x05, 0x01, 0x75, 0x10, 0x95, 0x01, 0x27, 0xFF, 0xFF, 0x00, 0x00,
	0x09, 0x3B, 0x81, 0x02,                         /* Byte Count, 16 bits */
	0xB4,                                           /* Pop: 8-bit fields again */
	0x95, 0x01, 0x81, 0x03,                         /* one constant byte */
	0xC0,
	0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x85, 0x01,
	0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
	0x95, 0x06, 0x75, 0x08, 0x25, 0x65, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00,
	0xC0,
};

/* A mouse: no keyboard, no scanner. */
static const uint8_t mouse[] = {
	0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0x09, 0x01, 0xA1, 0x00,
	0x05, 0x09, 0x19, 0x01, 0x29, 0x03, 0x15, 0x00, 0x25, 0x01, 0x95, 0x03, 0x75, 0x01,
	0x81, 0x02, 0x95, 0x01, 0x75, 0x05, 0x81, 0x01,
	0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x15, 0x81, 0x25, 0x7F, 0x75, 0x08, 0x95, 0x02,
	0x81, 0x06, 0xC0, 0xC0,
};

static void desc_boot_keyboard(void **state)
{
	(void)state;
	tqk_hid_desc d;
	assert_int_equal(tqk_hid_desc_parse(boot_kbd, sizeof boot_kbd, &d, NULL), TQK_OK);
	assert_int_equal(tqk_hid_desc_kind(&d), TQK_HID_KEYBOARD);
	assert_true(d.kbd_app && d.kbd_found);
	assert_false(d.pos_app || d.pos_found || d.report_ids);
	assert_int_equal(d.kbd.report_id, 0);
	assert_int_equal(d.kbd.report_len, tqk_hid_boot_layout.report_len);
	assert_true(d.kbd.has_mods);
	assert_int_equal(d.kbd.mod_off, tqk_hid_boot_layout.mod_off);
	assert_int_equal(d.kbd.keys_off, tqk_hid_boot_layout.keys_off);
	assert_int_equal(d.kbd.keys_n, tqk_hid_boot_layout.keys_n);

	assert_int_equal(tqk_hid_desc_parse(kbd_with_ids, sizeof kbd_with_ids, &d, NULL), TQK_OK);
	assert_int_equal(tqk_hid_desc_kind(&d), TQK_HID_KEYBOARD);
	assert_true(d.report_ids && d.kbd_found && d.kbd.has_mods);
	assert_int_equal(d.kbd.report_id, 1);
	assert_int_equal(d.kbd.mod_off, 1);
	assert_int_equal(d.kbd.keys_off, 3);
	assert_int_equal(d.kbd.keys_n, 6);
	assert_int_equal(d.kbd.report_len, 9);

	/* and the layout found decodes such reports */
	tqk_hid_kbd k;
	tqk_hid_kbd_init(&k, TQK_HID_END_DEFAULT);
	const uint8_t r1[9] = {1, RSHIFT, 0, 0x31}, r2[9] = {1}, r3[9] = {1, 0, 0, ENTER};
	const uint8_t consumer[3] = {2, 0xE9, 0x00};
	assert_int_equal(tqk_hid_kbd_report(&k, &d.kbd, r1, 9), TQK_OK);
	assert_int_equal(tqk_hid_kbd_report(&k, &d.kbd, consumer, 3), TQK_OK);
	assert_int_equal(tqk_hid_kbd_report(&k, &d.kbd, r2, 9), TQK_OK);
	assert_int_equal(tqk_hid_kbd_report(&k, &d.kbd, r3, 9), TQK_OK);
	expect_text(&k, "|");

	assert_int_equal(tqk_hid_desc_parse(mouse, sizeof mouse, &d, NULL), TQK_OK);
	assert_int_equal(tqk_hid_desc_kind(&d), TQK_HID_OTHER);
	assert_false(d.kbd_app || d.pos_app);
}

static void desc_pos_layouts(void **state)
{
	(void)state;
	tqk_hid_desc d;
	assert_int_equal(tqk_hid_desc_parse(pos_a, sizeof pos_a, &d, NULL), TQK_OK);
	assert_int_equal(tqk_hid_desc_kind(&d), TQK_HID_POS);
	assert_true(d.pos_app && d.pos_found && d.report_ids);
	assert_false(d.kbd_app);
	assert_int_equal(d.pos.report_id, 2);
	assert_int_equal(d.pos.report_len, 64);
	assert_int_equal(d.pos.count_off, 1);
	assert_int_equal(d.pos.count_size, 1);
	assert_int_equal(d.pos.sym_off, 2);
	assert_int_equal(d.pos.sym_len, 3);
	assert_int_equal(d.pos.data_off, 5);
	assert_int_equal(d.pos.data_len, 56);
	assert_true(d.pos.has_more);
	assert_int_equal(d.pos.more_bit, 63 * 8);

	assert_int_equal(tqk_hid_desc_parse(pos_b, sizeof pos_b, &d, NULL), TQK_OK);
	assert_int_equal(tqk_hid_desc_kind(&d), TQK_HID_POS);
	assert_false(d.report_ids);
	assert_int_equal(d.pos.report_id, 0);
	assert_int_equal(d.pos.report_len, 64);
	assert_int_equal(d.pos.data_off, 1);
	assert_int_equal(d.pos.data_len, 63);
	assert_int_equal(d.pos.count_size, 0);
	assert_int_equal(d.pos.sym_len, 0);
	assert_true(d.pos.has_more);
	assert_int_equal(d.pos.more_bit, 0);

	assert_int_equal(tqk_hid_desc_parse(pos_c, sizeof pos_c, &d, NULL), TQK_OK);
	assert_int_equal(tqk_hid_desc_kind(&d), TQK_HID_POS);
	assert_true(d.pos_found && d.kbd_app && d.kbd_found);
	assert_int_equal(d.pos.report_id, 7);
	assert_int_equal(d.pos.sym_off, 1);
	assert_int_equal(d.pos.sym_len, 3);
	assert_int_equal(d.pos.data_off, 4);
	assert_int_equal(d.pos.data_len, 32);
	assert_int_equal(d.pos.count_off, 36);
	assert_int_equal(d.pos.count_size, 2);
	assert_false(d.pos.has_more);
	assert_int_equal(d.pos.report_len, 1 + 35 + 2 + 1);
	assert_int_equal(d.kbd.report_id, 1);
	assert_int_equal(d.kbd.mod_off, 1);
	assert_int_equal(d.kbd.keys_off, 2);
}

/* Parses d expecting TQK_E_HID_DESC at offset where. */
static void refused(const uint8_t *d, size_t len, size_t where)
{
	tqk_hid_desc out;
	memset(&out, 0xA5, sizeof out);
	size_t at = 12345;
	assert_int_equal(tqk_hid_desc_parse(d, len, &out, &at), TQK_E_HID_DESC);
	assert_int_equal(at, where);
	assert_int_equal(tqk_hid_desc_kind(&out), TQK_HID_OTHER);
	assert_false(out.kbd_found || out.pos_found || out.report_ids);
}

static void desc_malformed(void **state)
{
	(void)state;
	/* truncated: once the application collection is open, every proper
	 * prefix ends inside an item or with a collection open */
	for (size_t n = 5; n < sizeof pos_a; n++) {
		tqk_hid_desc d;
		assert_int_equal(tqk_hid_desc_parse(pos_a, n, &d, NULL), TQK_E_HID_DESC);
	}
	const uint8_t cut[] = {0x05, 0x01, 0x26, 0xFF};
	refused(cut, sizeof cut, sizeof cut);
	const uint8_t long_item[] = {0x05, 0x8C, 0xFE, 0x02, 0x10, 0xAA, 0xBB};
	refused(long_item, sizeof long_item, 2);
	const uint8_t reserved[] = {0x05, 0x01, 0x0C};
	refused(reserved, sizeof reserved, 2);
	uint8_t push[16];
	for (size_t i = 0; i < 9; i++)
		push[i] = 0xA4;
	refused(push, 9, 8);
	const uint8_t pop[] = {0xA4, 0xB4, 0xB4};
	refused(pop, sizeof pop, 2);
	const uint8_t count[] = {0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x96, 0x01, 0x20, 0xC0};
	refused(count, sizeof count, 6);
	const uint8_t big[] = {0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x75, 0x08, 0x96, 0x01,
	                       0x04, 0x09, 0xFE, 0x81, 0x02, 0xC0}; /* 1025 bytes */
	refused(big, sizeof big, 13);
	const uint8_t size[] = {0x76, 0x01, 0x01};
	refused(size, sizeof size, 0);
	const uint8_t id0[] = {0x85, 0x00};
	refused(id0, sizeof id0, 0);
	const uint8_t mixed[] = {0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x75, 0x08, 0x95, 0x01,
	                         0x81, 0x01, 0x85, 0x01, 0x81, 0x01, 0xC0};
	refused(mixed, sizeof mixed, 12);
	const uint8_t open[] = {0x05, 0x01, 0x09, 0x06, 0xA1, 0x01};
	refused(open, sizeof open, sizeof open);
	const uint8_t extra_end[] = {0xA1, 0x01, 0xC0, 0xC0};
	refused(extra_end, sizeof extra_end, 3);
	uint8_t deep[2 * 17];
	for (size_t i = 0; i < 17; i++)
		deep[2 * i] = 0xA1, deep[2 * i + 1] = 0x02;
	refused(deep, sizeof deep, 32);
	const uint8_t half_range[] = {0x05, 0x07, 0x19, 0x00, 0x75, 0x08, 0x95, 0x01, 0x81, 0x00};
	refused(half_range, sizeof half_range, 8);
	const uint8_t upside_down[] = {0x05, 0x07, 0x19, 0x10, 0x29, 0x01};
	refused(upside_down, sizeof upside_down, 4);
	const uint8_t delimiter[] = {0xA9, 0x01};
	refused(delimiter, sizeof delimiter, 0);
	uint8_t many[2 * 65];
	for (size_t i = 0; i < 65; i++)
		many[2 * i] = 0x09, many[2 * i + 1] = (uint8_t)i;
	refused(many, sizeof many, 128);

	/* main item tag 0 is reserved */
	static uint8_t huge[TQK_HID_DESC_MAX + 1];
	refused(huge, 8, 0);
	/* the longest descriptor taken: push and pop, 2048 times */
	for (size_t i = 0; i < sizeof huge; i++)
		huge[i] = i % 2 == 0 ? 0xA4 : 0xB4;
	tqk_hid_desc d;
	assert_int_equal(tqk_hid_desc_parse(huge, sizeof huge, &d, NULL), TQK_E_TOO_LONG);
	assert_int_equal(tqk_hid_desc_parse(huge, TQK_HID_DESC_MAX, &d, NULL), TQK_OK);
	assert_int_equal(tqk_hid_desc_kind(&d), TQK_HID_OTHER);
	assert_int_equal(tqk_hid_desc_parse(huge, 0, &d, NULL), TQK_OK);
}

/* ---- POS reports --------------------------------------------------------- */

static tqk_hid_desc parse_ok(const uint8_t *d, size_t len)
{
	tqk_hid_desc out;
	assert_int_equal(tqk_hid_desc_parse(d, len, &out, NULL), TQK_OK);
	assert_true(out.pos_found);
	return out;
}

/* A layout-A report: count bytes of data, the AIM id, the continued bit. */
static void report_a(uint8_t r[64], const char *sym, const void *data, size_t n, bool more)
{
	memset(r, 0, 64);
	r[0] = 2;
	r[1] = (uint8_t)n;
	memcpy(r + 2, sym, 3);
	memcpy(r + 5, data, n);
	r[61] = 0x73;           /* a vendor's symbology byte */
	r[63] = more ? 1 : 0;
}

static void pos_single_reports(void **state)
{
	(void)state;
	tqk_hid_desc d = parse_ok(pos_a, sizeof pos_a);
	tqk_hid_pos p;
	tqk_hid_pos_init(&p);
	uint8_t r[64];
	const char *cert = "20143601234567890";
	report_a(r, "]C0", cert, strlen(cert), false);
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
	tqk_hid_scan s;
	assert_true(tqk_hid_pos_take(&p, &s));
	assert_int_equal(s.err, TQK_OK);
	assert_int_equal(s.source, TQK_HID_SRC_POS);
	assert_string_equal(s.sym, "]C0");
	assert_int_equal(s.len, 17);
	assert_string_equal(s.text, cert);
	assert_false(tqk_hid_pos_take(&p, &s));

	/* an empty report (what some scanners send after each code): no scan */
	report_a(r, "\0\0\0", "", 0, false);
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
	assert_false(tqk_hid_pos_take(&p, &s));
	/* another report ID: not ours */
	report_a(r, "]C0", "123", 3, false);
	r[0] = 4;
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
	assert_false(tqk_hid_pos_take(&p, &s));

	/* the Byte Count says which bytes count, NULs included */
	report_a(r, "]E0", "12\0" "45", 5, false);
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
	assert_true(tqk_hid_pos_take(&p, &s));
	assert_int_equal(s.len, 5);
	assert_memory_equal(s.text, "12\0" "45", 6);

	/* malformed: too short, a count beyond the data field */
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, 40), TQK_E_HID_REPORT);
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, 0), TQK_E_HID_REPORT);
	r[1] = 57;
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_E_HID_REPORT);
	assert_false(tqk_hid_pos_take(&p, &s));
}

static void pos_continued(void **state)
{
	(void)state;
	tqk_hid_desc d = parse_ok(pos_a, sizeof pos_a);
	tqk_hid_pos p;
	tqk_hid_pos_init(&p);
	/* a payload with a UTF-8 name, which only POS and the camera can carry */
	char text[200], sig[61];
	memset(sig, 'A', 60);
	sig[60] = '\0';
	int n = snprintf(text, sizeof text, "TQ1|20260315000123|360426199101010071|"
	                 "20143601234567890|李华|202603150930|k1a2b3c4d|%s", sig);
	assert_true(n > 112 && n < 168);
	uint8_t r[64];
	tqk_hid_scan s;
	size_t at = 0;
	while (at < (size_t)n) {
		size_t part = (size_t)n - at < 56 ? (size_t)n - at : 56;
		report_a(r, at == 0 ? "]Q1" : "]Q9", text + at, part, at + part < (size_t)n);
		assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
		at += part;
		if (at < (size_t)n) {
			assert_true(tqk_hid_pos_pending(&p));
			assert_false(tqk_hid_pos_take(&p, &s));
		}
	}
	assert_false(tqk_hid_pos_pending(&p));
	assert_true(tqk_hid_pos_take(&p, &s));
	assert_int_equal(s.err, TQK_OK);
	assert_string_equal(s.sym, "]Q1"); /* the first report's */
	assert_int_equal(s.len, (size_t)n);
	assert_memory_equal(s.text, text, (size_t)n);

	/* a continuation that never comes: flushed as a broken scan */
	report_a(r, "]Q1", text, 56, true);
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
	tqk_hid_pos_flush(&p);
	assert_true(tqk_hid_pos_take(&p, &s));
	assert_int_equal(s.err, TQK_E_HID_REPORT);
	assert_int_equal(s.len, 0);
	tqk_hid_pos_flush(&p);
	assert_false(tqk_hid_pos_take(&p, &s));

	/* a malformed report in the middle drops the scan */
	report_a(r, "]Q1", text, 56, true);
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, 10), TQK_E_HID_REPORT);
	assert_false(tqk_hid_pos_pending(&p));
	report_a(r, "]Q1", "0123", 4, false);
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
	assert_true(tqk_hid_pos_take(&p, &s));
	assert_string_equal(s.text, "0123");

	/* over the cap: ten full reports are 560 bytes */
	for (int i = 0; i < 10; i++) {
		report_a(r, "]Q1", text, 56, i < 9);
		assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
	}
	assert_true(tqk_hid_pos_take(&p, &s));
	assert_int_equal(s.err, TQK_E_TOO_LONG);
	assert_int_equal(s.len, 0);
}

static void pos_padding_and_wide_count(void **state)
{
	(void)state;
	tqk_hid_desc d = parse_ok(pos_b, sizeof pos_b);
	tqk_hid_pos p;
	tqk_hid_pos_init(&p);
	uint8_t r[64] = {1};
	memcpy(r + 1, "R2026", 5); /* continued, NUL padded */
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
	memset(r, 0, sizeof r);
	memcpy(r + 1, "0315", 4);
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, r, sizeof r), TQK_OK);
	tqk_hid_scan s;
	assert_true(tqk_hid_pos_take(&p, &s));
	assert_string_equal(s.text, "R20260315");
	assert_string_equal(s.sym, "");

	d = parse_ok(pos_c, sizeof pos_c);
	uint8_t c[39] = {7, ']', 'C', '0'};
	memcpy(c + 4, "20260315000123", 14);
	c[36] = 14;
	c[37] = 0;
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, c, sizeof c), TQK_OK);
	assert_true(tqk_hid_pos_take(&p, &s));
	assert_string_equal(s.text, "20260315000123");
	assert_string_equal(s.sym, "]C0");
	c[37] = 1; /* 270 bytes claimed in a 32-byte field */
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, c, sizeof c), TQK_E_HID_REPORT);
	/* a symbology identifier that is not printable is left out */
	c[37] = 0;
	c[2] = 0x01;
	assert_int_equal(tqk_hid_pos_report(&p, &d.pos, c, sizeof c), TQK_OK);
	assert_true(tqk_hid_pos_take(&p, &s));
	assert_string_equal(s.sym, "");
}

/* ---- the wedge detector -------------------------------------------------- */

/* What came out so far: passed-on bytes, and scans as "[text]" or "[!code]". */
typedef struct wedge_log {
	char pass[4096];
	size_t pass_len;
	char scans[4096];
	size_t scans_len;
	int n_scans;
} wedge_log;

static void log_out(wedge_log *l, const tqk_wedge_out *o)
{
	assert_true(o->pass_len <= TQK_WEDGE_PASS_CAP);
	assert_true(l->pass_len + o->pass_len <= sizeof l->pass);
	memcpy(l->pass + l->pass_len, o->pass, o->pass_len);
	l->pass_len += o->pass_len;
	if (o->scanned) {
		assert_int_equal(o->scan.source, TQK_HID_SRC_WEDGE);
		assert_true(o->scan.len <= TQK_SCAN_MAX);
		int n = o->scan.err == TQK_OK
		                ? snprintf(l->scans + l->scans_len, sizeof l->scans - l->scans_len,
		                           "[%s]", o->scan.text)
		                : snprintf(l->scans + l->scans_len, sizeof l->scans - l->scans_len,
		                           "[!%s]", tqk_err_code(o->scan.err));
		assert_true(n > 0 && (size_t)n < sizeof l->scans - l->scans_len);
		l->scans_len += (size_t)n;
		l->n_scans++;
	} else {
		assert_int_equal(o->scan.len, 0);
	}
}

/* Feeds s, one byte every gap ms from *t, and ticks at the end. */
static void feed(tqk_wedge *w, wedge_log *l, uint64_t *t, const char *s, unsigned gap)
{
	tqk_wedge_out o;
	for (; *s != '\0'; s++) {
		*t += gap;
		tqk_wedge_key(w, *t, (unsigned char)*s, &o);
		log_out(l, &o);
	}
}

static void tick(tqk_wedge *w, wedge_log *l, uint64_t t)
{
	tqk_wedge_out o;
	tqk_wedge_tick(w, t, &o);
	log_out(l, &o);
}

static void wedge_fast_burst_is_a_scan(void **state)
{
	(void)state;
	tqk_wedge w;
	assert_int_equal(tqk_wedge_init(&w, NULL), TQK_OK);
	wedge_log l = {0};
	uint64_t t = 1000;
	feed(&w, &l, &t, "20143601234567890\r", 8);
	assert_int_equal(l.pass_len, 0);
	assert_string_equal(l.scans, "[20143601234567890]");
	/* held back while it could still be a scan: nothing passes mid-burst */
	feed(&w, &l, &t, "TQ1|R1|x", 5);
	tick(&w, &l, t + 10);
	assert_int_equal(l.pass_len, 0);
	feed(&w, &l, &t, "\t", 30); /* Tab within the gap ends it too */
	assert_string_equal(l.scans, "[20143601234567890][TQ1|R1|x]");
	tick(&w, &l, t + 1000);
	assert_int_equal(l.pass_len, 0);
}

static void wedge_slow_typing_passes(void **state)
{
	(void)state;
	tqk_wedge w;
	assert_int_equal(tqk_wedge_init(&w, NULL), TQK_OK);
	wedge_log l = {0};
	uint64_t t = 0;
	tqk_wedge_out o;
	tqk_wedge_key(&w, t += 150, 'a', &o);
	log_out(&l, &o);
	assert_int_equal(l.pass_len, 0);              /* could start a burst */
	tick(&w, &l, t + 20);
	assert_int_equal(l.pass_len, 0);
	tick(&w, &l, t + 41);                          /* the gap is over */
	assert_int_equal(l.pass_len, 1);
	feed(&w, &l, &t, "bc1234\r", 150);
	tick(&w, &l, t + 500);
	assert_int_equal(l.pass_len, 8);
	assert_memory_equal(l.pass, "abc1234\r", 8);
	assert_int_equal(l.n_scans, 0);
}

static void wedge_bursts_that_are_not_scans(void **state)
{
	(void)state;
	tqk_wedge w;
	assert_int_equal(tqk_wedge_init(&w, NULL), TQK_OK);
	wedge_log l = {0};
	uint64_t t = 0;
	/* a fast burst without Enter: typing once the pause shows it ended */
	feed(&w, &l, &t, "12345", 5);
	tick(&w, &l, t + 100);
	/* too short for a scan (a quick "ok" and Enter) */
	feed(&w, &l, &t, "ok\r", 10);
	/* Enter too late after a burst */
	feed(&w, &l, &t, "67890", 5);
	t += 200;
	tqk_wedge_out o;
	tqk_wedge_key(&w, t, '\r', &o);
	log_out(&l, &o);
	/* another key inside a burst ends it: the burst, then the key */
	feed(&w, &l, &t, "abcde\b", 5);
	/* the bytes of non-ASCII text, all at the same time */
	feed(&w, &l, &t, "\xe5\xbc\xa0", 0);
	tick(&w, &l, t + 100);
	const char want[] = "12345ok\r67890\rabcde\b\xe5\xbc\xa0";
	assert_int_equal(l.pass_len, sizeof want - 1);
	assert_memory_equal(l.pass, want, sizeof want - 1);
	assert_int_equal(l.n_scans, 0);

	/* Tab is ordinary when only Enter ends scans */
	tqk_wedge_opts opts = tqk_wedge_opts_default();
	opts.ends = TQK_HID_END_ENTER;
	assert_int_equal(tqk_wedge_init(&w, &opts), TQK_OK);
	wedge_log m = {0};
	feed(&w, &m, &t, "12345\t", 5);
	assert_memory_equal(m.pass, "12345\t", 6);
	assert_int_equal(m.n_scans, 0);
}

static void wedge_mixed(void **state)
{
	(void)state;
	tqk_wedge w;
	tqk_wedge_opts opts = {.max_gap_ms = 30, .min_len = 6, .ends = TQK_HID_END_DEFAULT};
	assert_int_equal(tqk_wedge_init(&w, &opts), TQK_OK);
	wedge_log l = {0};
	uint64_t t = 0;
	feed(&w, &l, &t, "zh", 200);                  /* a person */
	t += 300;
	feed(&w, &l, &t, "20260315000123\r", 4);       /* the scanner */
	feed(&w, &l, &t, "ang", 180);                  /* the person again */
	t += 300;
	feed(&w, &l, &t, "12345\r", 3);                /* too short for min_len 6 */
	feed(&w, &l, &t, "123456\r", 31);              /* each key just too slow */
	t += 500;
	tqk_wedge_out o;
	tqk_wedge_key(&w, t, 'x', &o);                 /* time that runs backwards */
	log_out(&l, &o);
	tqk_wedge_key(&w, t - 100, 'y', &o);
	log_out(&l, &o);
	tick(&w, &l, t + 1000);
	assert_string_equal(l.scans, "[20260315000123]");
	const char want[] = "zhang12345\r123456\rxy";
	assert_int_equal(l.pass_len, sizeof want - 1);
	assert_memory_equal(l.pass, want, sizeof want - 1);
}

static void wedge_length_cap(void **state)
{
	(void)state;
	tqk_wedge w;
	assert_int_equal(tqk_wedge_init(&w, NULL), TQK_OK);
	char s[TQK_SCAN_MAX + 3];
	for (size_t i = 0; i < TQK_SCAN_MAX + 1; i++)
		s[i] = (char)('a' + i % 26);
	s[TQK_SCAN_MAX + 1] = '\r';
	s[TQK_SCAN_MAX + 2] = '\0';
	wedge_log l = {0};
	uint64_t t = 0;
	feed(&w, &l, &t, s, 2);
	assert_string_equal(l.scans, "[!too_long]");
	s[TQK_SCAN_MAX + 1] = '\0'; /* no Enter: still not typing */
	feed(&w, &l, &t, s, 2);
	tick(&w, &l, t + 100);
	assert_string_equal(l.scans, "[!too_long][!too_long]");
	assert_int_equal(l.pass_len, 0);
	/* exactly the cap is a scan */
	s[TQK_SCAN_MAX] = '\r';
	s[TQK_SCAN_MAX + 1] = '\0';
	wedge_log m = {0};
	t += 1000;
	feed(&w, &m, &t, s, 2);
	assert_int_equal(m.n_scans, 1);
	assert_int_equal(strlen(m.scans), TQK_SCAN_MAX + 2);

	tqk_wedge_opts bad[] = {
		{0, 4, TQK_HID_END_DEFAULT},
		{TQK_WEDGE_GAP_MAX + 1, 4, TQK_HID_END_DEFAULT},
		{40, 0, TQK_HID_END_DEFAULT},
		{40, TQK_SCAN_MAX + 1, TQK_HID_END_DEFAULT},
		{40, 4, 0},
		{40, 4, 8},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(tqk_wedge_init(&w, &bad[i]), TQK_E_ARG);
		assert_int_equal(w.o.max_gap_ms, TQK_WEDGE_GAP_DEFAULT);
	}
}

/* Whatever the input, every byte comes out once and in order: passed on,
 * or inside a scan followed by the terminator that ended it. */
static void wedge_keeps_every_byte(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789|TQab\r\t\b";
	uint32_t seed = 12345;
	for (int round = 0; round < 200; round++) {
		tqk_wedge w;
		tqk_wedge_opts opts = {.max_gap_ms = 1 + round % 60, .min_len = 1 + round % 7,
		                       .ends = 1 + round % 3};
		assert_int_equal(tqk_wedge_init(&w, &opts), TQK_OK);
		char in[300], out[700];
		size_t n_in = 0, n_out = 0;
		uint64_t t = 0;
		for (int i = 0; i < 250; i++) {
			seed = seed * 1103515245u + 12345u;
			char c = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
			t += (seed >> 8) % 90;
			in[n_in++] = c;
			tqk_wedge_out o;
			tqk_wedge_key(&w, t, (unsigned char)c, &o);
			memcpy(out + n_out, o.pass, o.pass_len);
			n_out += o.pass_len;
			if (o.scanned) {
				assert_int_equal(o.scan.err, TQK_OK);
				assert_true(o.scan.len >= opts.min_len);
				memcpy(out + n_out, o.scan.text, o.scan.len);
				n_out += o.scan.len;
				out[n_out++] = c;
			}
			if ((seed >> 4) % 5 == 0) {
				tqk_wedge_tick(&w, t + (seed >> 12) % 80, &o);
				assert_false(o.scanned);
				memcpy(out + n_out, o.pass, o.pass_len);
				n_out += o.pass_len;
			}
		}
		tqk_wedge_out o;
		tqk_wedge_tick(&w, t + 1000, &o);
		memcpy(out + n_out, o.pass, o.pass_len);
		n_out += o.pass_len;
		assert_int_equal(n_out, n_in);
		assert_memory_equal(out, in, n_in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(us_table),
		cmocka_unit_test(shift_left_and_right),
		cmocka_unit_test(scans_of_our_barcodes),
		cmocka_unit_test(rollover),
		cmocka_unit_test(error_rollover_ignored),
		cmocka_unit_test(terminators),
		cmocka_unit_test(caps_lock),
		cmocka_unit_test(length_cap),
		cmocka_unit_test(keys_outside_us_layout),
		cmocka_unit_test(bad_reports_change_nothing),
		cmocka_unit_test(queue_is_bounded),
		cmocka_unit_test(desc_boot_keyboard),
		cmocka_unit_test(desc_pos_layouts),
		cmocka_unit_test(desc_malformed),
		cmocka_unit_test(pos_single_reports),
		cmocka_unit_test(pos_continued),
		cmocka_unit_test(pos_padding_and_wide_count),
		cmocka_unit_test(wedge_fast_burst_is_a_scan),
		cmocka_unit_test(wedge_slow_typing_passes),
		cmocka_unit_test(wedge_bursts_that_are_not_scans),
		cmocka_unit_test(wedge_mixed),
		cmocka_unit_test(wedge_length_cap),
		cmocka_unit_test(wedge_keeps_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
