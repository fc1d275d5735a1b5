/*
 * hid.h - what a USB barcode scanner sends, turned into scans: pure code,
 * no I/O, hard caps everywhere (the scanner driver, scanner.h, does the USB).
 *
 * A scanner speaks one of two HID dialects:
 *
 *  - keyboard ("wedge", the factory default): it types the code as key
 *    presses in boot-keyboard reports, 8 bytes each:
 *
 *      byte  0      modifiers: bit 0 left Ctrl, 1 left Shift, 2 left Alt,
 *                   3 left GUI, 4..7 the same on the right (Shift 0x20)
 *      byte  1      reserved
 *      bytes 2..7   usage IDs of the keys held (page 0x07), 0 = none;
 *                   all six 0x01 (ErrorRollOver) when too many are held
 *
 *    and ends the code with Enter (or Tab). tqk_hid_kbd turns reports into
 *    text for a US layout: a key counts once, in the report where it first
 *    appears, not while it is held; releasing and pressing it again makes a
 *    second character ("11"). Caps Lock toggles the case of letters, as on
 *    a keyboard. Keys that type nothing of a US layout (non-US keys, F-keys,
 *    arrows, Ctrl/Alt/GUI chords, Escape, Backspace) spoil the scan: it ends
 *    with TQK_E_SCAN_CHARS and no text.
 *
 *  - HID point of sale (usage page 0x8C, switched on in the scanner's
 *    menu): the decoded bytes arrive as they are, in a report whose layout
 *    the report descriptor tells (HID POS Usage Tables 1.02). The usual one:
 *
 *      byte  0      report ID (2)
 *      byte  1      Byte Count (Generic Desktop 0x3B): data bytes used
 *      bytes 2..4   Symbology Identifier 1..3 (0x8C:FB..FD), AIM "]Q1"
 *      bytes 5..60  Decoded Data (0x8C:FE), 56 bytes, NUL padded
 *      ...          vendor bytes
 *      bit   504    Decode Data Continued (0x8C:FF): more reports follow
 *
 *    tqk_hid_desc_parse finds those fields wherever the descriptor puts
 *    them; tqk_hid_pos joins continued reports into one scan. Without a
 *    Byte Count the trailing NUL bytes of the data are padding.
 *
 * A scan holds at most TQK_SCAN_MAX bytes (core/scan.h); a longer one ends
 * with TQK_E_TOO_LONG and no text. Classifying the text is core's job
 * (tqk_scan_classify).
 *
 * When the scanner cannot be claimed its keys reach the kiosk's window as
 * ordinary key events; tqk_wedge tells such a burst, faster than anyone
 * types and ending in Enter, from a person typing.
 *
 * All decoder state lives in caller-allocated structs (_init, no free); the
 * same inputs always give the same outputs.
 */
#ifndef TQK_DEV_HID_H
#define TQK_DEV_HID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/scan.h"

#define TQK_HID_DESC_MAX   4096   /* bytes of a report descriptor */
#define TQK_HID_REPORT_MAX 1024   /* bytes of one report, its ID included */
#define TQK_HID_KEYS_MAX   16     /* key slots of a keyboard report */
#define TQK_HID_ENDED_MAX  4      /* scans ended and not taken yet */

/* What ends a keyboard scan (bits; 0: only tqk_hid_kbd_flush does). */
enum {
	TQK_HID_END_ENTER = 1u << 0,   /* Enter, and Enter on the keypad */
	TQK_HID_END_TAB = 1u << 1,
	TQK_HID_END_DEFAULT = TQK_HID_END_ENTER | TQK_HID_END_TAB,
};

typedef enum tqk_hid_source {
	TQK_HID_SRC_NONE = 0,
	TQK_HID_SRC_KEYBOARD,          /* boot-keyboard reports over USB */
	TQK_HID_SRC_POS,               /* HID POS reports over USB */
	TQK_HID_SRC_WEDGE,             /* a key burst seen by the kiosk's window */
} tqk_hid_source;

/* "hid-keyboard", "hid-pos", "wedge", "none". */
const char *tqk_hid_source_code(tqk_hid_source s);

/* One ended scan; a plain value. */
typedef struct tqk_hid_scan {
	/* TQK_OK; TQK_E_TOO_LONG (over TQK_SCAN_MAX bytes), TQK_E_SCAN_CHARS
	 * (a key that types nothing of a US layout), TQK_E_HID_REPORT (a POS
	 * scan whose continuation never came). text is "" unless TQK_OK. */
	tqk_err err;
	tqk_hid_source source;
	char sym[4];                   /* POS: the AIM symbology identifier
	                                  ("]C0", "]Q1") when the scanner sends
	                                  one, printable ASCII; "" otherwise */
	size_t len;                    /* bytes in text, 1..TQK_SCAN_MAX */
	char text[TQK_SCAN_MAX + 1];   /* len bytes, then a NUL (POS data may
	                                  hold NUL bytes too: trust len) */
} tqk_hid_scan;

/* ---- internals the decoders share (caller-allocated, do not touch) ---- */

typedef struct tqk_hid_build {     /* the scan being collected */
	size_t len;
	bool over;                     /* more than TQK_SCAN_MAX bytes came */
	tqk_err bad;                   /* TQK_E_SCAN_CHARS once spoilt */
	char sym[4];
	char buf[TQK_SCAN_MAX];
} tqk_hid_build;

typedef struct tqk_hid_queue {     /* ended scans, oldest first */
	size_t head, n;
	size_t dropped;                /* ended while the queue was full */
	tqk_hid_scan s[TQK_HID_ENDED_MAX];
} tqk_hid_queue;

/* ---- report descriptors -------------------------------------------------- */

/* Where a keyboard report keeps its modifiers and keys. Offsets are bytes
 * from the start of the report as it arrives (its ID byte included). */
typedef struct tqk_hid_kbd_layout {
	uint8_t report_id;             /* 0: the reports carry no ID */
	size_t report_len;             /* bytes of the whole report */
	bool has_mods;
	size_t mod_off;                /* the 8 modifier bits (0xE0..0xE7) */
	size_t keys_off, keys_n;       /* the key array: keys_n bytes, 1..16 */
} tqk_hid_kbd_layout;

/* The boot protocol's layout: no ID, 8 bytes, modifiers at 0, keys 2..7. */
extern const tqk_hid_kbd_layout tqk_hid_boot_layout;

/* Where a POS scanned-data report keeps its fields (offsets as above). */
typedef struct tqk_hid_pos_layout {
	uint8_t report_id;             /* 0: the reports carry no ID */
	size_t report_len;
	size_t data_off, data_len;     /* Decoded Data, data_len >= 1 bytes */
	size_t count_off, count_size;  /* Byte Count: 1 or 2 bytes (little
	                                  endian); count_size 0 when absent */
	size_t sym_off, sym_len;       /* Symbology Identifier 1.., 0..3 bytes */
	bool has_more;
	size_t more_bit;               /* Decode Data Continued: bit offset */
} tqk_hid_pos_layout;

typedef enum tqk_hid_kind {
	TQK_HID_OTHER = 0,             /* a mouse, a touch screen, ... */
	TQK_HID_KEYBOARD,              /* a keyboard (or keypad) application */
	TQK_HID_POS,                   /* a bar code scanner with decoded data */
} tqk_hid_kind;

/* What a report descriptor says; a plain value. */
typedef struct tqk_hid_desc {
	bool report_ids;               /* reports start with an ID byte */
	bool kbd_app;                  /* an application collection Keyboard
	                                  or Keypad (Generic Desktop 6 or 7) */
	bool kbd_found;                /* ... whose input report is usable: */
	tqk_hid_kbd_layout kbd;
	bool pos_app;                  /* an application collection on the
	                                  Bar Code Scanner page (0x8C) */
	bool pos_found;                /* ... with Decoded Data in an input: */
	tqk_hid_pos_layout pos;
} tqk_hid_desc;

/*
 * Parses the report descriptor d[0..len) into *out (zeroed first): short
 * items with their global state (usage page, report size, count and ID,
 * push and pop) and local state (usages, usage ranges), collections, and
 * the bit layout of every input report. Fails with TQK_E_TOO_LONG over
 * TQK_HID_DESC_MAX bytes and TQK_E_HID_DESC for a descriptor that is
 * malformed or beyond what a scanner needs: a truncated item, a long item,
 * a reserved item type, push deeper than 8 or pop without push,
 * collections deeper than 16 or unbalanced, an End Collection or main item
 * where none may be (a reserved tag), a usage range without both ends, upside
 * down or across pages, a delimiter, more than 64 usages for one main item, a report ID of 0 or reports with and
 * without IDs, a report size over 256 bits, a report count over 8192, a
 * report over TQK_HID_REPORT_MAX bytes. *where (may be NULL) gets the byte
 * offset of the offending item (len for an unexpected end); out is zeroed.
 */
tqk_err tqk_hid_desc_parse(const uint8_t *d, size_t len, tqk_hid_desc *out,
                           size_t *where) TQK_MUST_CHECK;

/* POS when a scanned-data report was found, else KEYBOARD when the
 * descriptor has a keyboard application, else OTHER. */
tqk_hid_kind tqk_hid_desc_kind(const tqk_hid_desc *d);

/* ---- keyboard reports ---------------------------------------------------- */

typedef struct tqk_hid_kbd {
	unsigned ends;                 /* TQK_HID_END_* */
	bool caps;                     /* Caps Lock toggled on */
	size_t n_held;
	uint8_t held[TQK_HID_KEYS_MAX];/* keys of the last report taken */
	tqk_hid_build cur;
	tqk_hid_queue done;
} tqk_hid_kbd;

/* A decoder with nothing held, Caps Lock off, ended by ends (unknown bits
 * are ignored). */
void tqk_hid_kbd_init(tqk_hid_kbd *k, unsigned ends);

/*
 * Takes one report r[0..len) laid out as lay (tqk_hid_boot_layout for boot
 * protocol). Keys new in this report are typed in the order of the array;
 * a terminator ends the scan in progress (an empty one is no scan) and
 * queues it for tqk_hid_kbd_take. Returns TQK_OK also for reports it
 * ignores: another report ID, or ErrorRollOver/POSTFail/ErrorUndefined
 * (0x01..0x03) in a key slot (the keys held are then unknown: nothing is
 * typed and the last report's keys stay held). Fails with TQK_E_HID_REPORT,
 * changing nothing, when len is 0, over TQK_HID_REPORT_MAX, or too short
 * for the layout's fields.
 */
tqk_err tqk_hid_kbd_report(tqk_hid_kbd *k, const tqk_hid_kbd_layout *lay, const uint8_t *r,
                           size_t len) TQK_MUST_CHECK;

/* Moves the oldest ended scan into *out; false when none is queued. Take
 * after every report: at most TQK_HID_ENDED_MAX wait, later ones are
 * dropped (and counted in done.dropped). */
bool tqk_hid_kbd_take(tqk_hid_kbd *k, tqk_hid_scan *out);

/* Ends the scan in progress as a terminator would (a scanner without a
 * suffix, after a pause); nothing when no key was typed. */
void tqk_hid_kbd_flush(tqk_hid_kbd *k);

/* True when keys were typed and no terminator came yet. */
bool tqk_hid_kbd_pending(const tqk_hid_kbd *k);

/* The character usage u types on a US layout with shift (and caps) as
 * given, or 0 when it types none (terminators included). For tests and
 * the fuzz target. */
char tqk_hid_usage_char(uint8_t u, bool shift, bool caps);

/* The other way round, for simulators and tests: the usage (0x04..0x38)
 * and shift that type the printable ASCII character c; false when no key
 * of a US layout does. */
bool tqk_hid_char_usage(char c, uint8_t *usage, bool *shift);

/* ---- POS reports --------------------------------------------------------- */

typedef struct tqk_hid_pos {
	bool open;                     /* a report said "continued" */
	tqk_hid_build cur;
	tqk_hid_queue done;
} tqk_hid_pos;

void tqk_hid_pos_init(tqk_hid_pos *p);

/*
 * Takes one input report r[0..len) laid out as lay. Its data (Byte Count
 * bytes of Decoded Data, or the data up to its trailing NULs) is added to
 * the scan in progress; unless Decode Data Continued is set, the scan ends
 * and is queued (an empty one is no scan). Reports with another ID are
 * ignored (TQK_OK). Fails with TQK_E_HID_REPORT when len is 0, over
 * TQK_HID_REPORT_MAX or short of the layout, or the Byte Count exceeds the
 * data field; a continued scan in progress is then dropped.
 */
tqk_err tqk_hid_pos_report(tqk_hid_pos *p, const tqk_hid_pos_layout *lay, const uint8_t *r,
                           size_t len) TQK_MUST_CHECK;

bool tqk_hid_pos_take(tqk_hid_pos *p, tqk_hid_scan *out);

/* A continued scan whose rest never came: ends it with TQK_E_HID_REPORT. */
void tqk_hid_pos_flush(tqk_hid_pos *p);

bool tqk_hid_pos_pending(const tqk_hid_pos *p);

/* ---- the keyboard-wedge detector ----------------------------------------- */

/*
 * Fed the kiosk's key events in order, each with the time it arrived (a
 * monotonic clock in ms): printable ASCII (from text input), '\r' for
 * Enter, '\t' for Tab, and any other byte for every other key or for the
 * bytes of non-ASCII text. Printable characters each at most max_gap_ms
 * after the one before make a burst; a burst of at least min_len
 * characters followed within max_gap_ms by a terminator is a scan. All
 * else is typing, handed back to be passed on in the original order: a
 * burst that ends otherwise (a pause, a slow or missing Enter, another
 * key) is passed on once it ended; any other byte is passed on at once,
 * after what was waiting. So a character typed by a person reaches the
 * screen max_gap_ms late at most (when tqk_wedge_tick is called often).
 * A burst over TQK_SCAN_MAX characters is no typing: it ends, however it
 * ends, as a scan with TQK_E_TOO_LONG.
 */
#define TQK_WEDGE_GAP_DEFAULT 40       /* ms between a scanner's keys, at most */
#define TQK_WEDGE_MIN_DEFAULT 4        /* characters of a scan, at least */
#define TQK_WEDGE_GAP_MAX 1000
#define TQK_WEDGE_PASS_CAP (TQK_SCAN_MAX + 1)

typedef struct tqk_wedge_opts {
	unsigned max_gap_ms;           /* 1..TQK_WEDGE_GAP_MAX */
	size_t min_len;                /* 1..TQK_SCAN_MAX */
	unsigned ends;                 /* TQK_HID_END_*, not 0 */
} tqk_wedge_opts;

typedef struct tqk_wedge {
	tqk_wedge_opts o;
	uint64_t last_ms;              /* time of the burst's last character */
	tqk_hid_build run;             /* the burst so far */
} tqk_wedge;

/* What one call hands back: bytes to pass on (in order, '\r' for Enter,
 * '\t' for Tab) and at most one scan. */
typedef struct tqk_wedge_out {
	size_t pass_len;
	char pass[TQK_WEDGE_PASS_CAP];
	bool scanned;
	tqk_hid_scan scan;             /* source TQK_HID_SRC_WEDGE */
} tqk_wedge_out;

/* Defaults: 40 ms, 4 characters, Enter or Tab. */
tqk_wedge_opts tqk_wedge_opts_default(void);

/* A detector with nothing buffered. TQK_E_ARG for options out of range
 * (w is then initialised with the defaults). opts NULL: the defaults. */
tqk_err tqk_wedge_init(tqk_wedge *w, const tqk_wedge_opts *opts) TQK_MUST_CHECK;

/* One key event c at now_ms; *out is overwritten. Time that runs
 * backwards ends the burst as a pause does. */
void tqk_wedge_key(tqk_wedge *w, uint64_t now_ms, unsigned char c, tqk_wedge_out *out);

/* No key at now_ms: a burst whose last character is over max_gap_ms old
 * has ended (passed on, or a TQK_E_TOO_LONG scan). *out is overwritten. */
void tqk_wedge_tick(tqk_wedge *w, uint64_t now_ms, tqk_wedge_out *out);

#endif
