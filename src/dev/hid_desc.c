/*
 * hid_desc.c - the HID report-descriptor parser (hid.h): items into the
 * bit layout of input reports, and from it where a keyboard keeps its keys
 * and a POS scanner its decoded data.
 *
 * A descriptor is a list of items, each a prefix byte (bits 0-1 size 0, 1,
 * 2 or 4 bytes; 2-3 type main, global, local; 4-7 tag) and its data, little
 * endian. Globals (usage page, report size, count, ID) persist until
 * changed or popped; locals (usages) belong to the next main item. Every
 * Input, Output or Feature item appends report size x report count bits to
 * the report of the current ID in its direction.
 *
 * The walk is done twice: the first finds the first input report with a
 * key array and the first with Decoded Data; the second collects, within
 * those two reports only, the fields that go with them (modifiers, Byte
 * Count, symbology, continuation), wherever the descriptor declares them.
 * Every loop is bounded by the caps, so a hostile descriptor costs at most
 * a few hundred thousand steps.
 */
#include "dev/hid.h"

#include <string.h>

#define PUSH_MAX   8
#define COLL_MAX   16
#define USAGES_MAX 64
#define SIZE_MAX_BITS 256
#define COUNT_MAX  8192
#define NO_ID      (-1)

enum { DIR_IN, DIR_OUT, DIR_FEATURE, DIR_COUNT };

/* Usages as page << 16 | id. */
#define U(page, id) ((uint32_t)(page) << 16 | (uint32_t)(id))
#define PAGE_DESKTOP  0x01u
#define PAGE_KEYS     0x07u
#define PAGE_BARCODE  0x8Cu
#define U_KEYBOARD    U(PAGE_DESKTOP, 0x06)
#define U_KEYPAD      U(PAGE_DESKTOP, 0x07)
#define U_BYTE_COUNT  U(PAGE_DESKTOP, 0x3B)
#define U_MOD_FIRST   U(PAGE_KEYS, 0xE0)
#define U_SYM1        U(PAGE_BARCODE, 0xFB)
#define U_DATA        U(PAGE_BARCODE, 0xFE)
#define U_MORE        U(PAGE_BARCODE, 0xFF)

typedef struct globals {
	uint32_t page, size, count;
	unsigned id;
} globals;

typedef struct range {
	uint32_t lo, hi;
} range;

typedef struct walk {
	const uint8_t *d;
	size_t len, pos;

	globals g;
	globals stack[PUSH_MAX];
	size_t sp;

	range usages[USAGES_MAX];
	size_t n_usages;
	bool have_min, have_max;
	uint32_t min, max;

	size_t depth;
	uint32_t coll_usage[COLL_MAX];
	uint8_t coll_type[COLL_MAX];

	bool ids_used, no_id_used;
	uint32_t bits[DIR_COUNT][256];

	/* pass 1 finds these (NO_ID: none yet); pass 2 has them fixed */
	int kbd_id, pos_id;
	bool second;
	tqk_hid_desc *out;
} walk;

/* ---- usage lists --------------------------------------------------------- */

/* Elements in the list (a range counts hi - lo + 1). */
static uint64_t list_total(const walk *w)
{
	uint64_t t = 0;
	for (size_t i = 0; i < w->n_usages; i++)
		t += (uint64_t)(w->usages[i].hi - w->usages[i].lo) + 1;
	return t;
}

/* The usage of element i of a variable field: the i-th of the list, the
 * last one for every element beyond it; 0 when the list is empty. */
static uint32_t usage_at(const walk *w, uint64_t i)
{
	if (w->n_usages == 0)
		return 0;
	for (size_t k = 0; k < w->n_usages; k++) {
		uint64_t n = (uint64_t)(w->usages[k].hi - w->usages[k].lo) + 1;
		if (i < n)
			return w->usages[k].lo + (uint32_t)i;
		i -= n;
	}
	return w->usages[w->n_usages - 1].hi;
}

/* The first element of count with usage u, or -1. */
static long first_with(const walk *w, uint32_t u, uint32_t count)
{
	uint64_t base = 0;
	for (size_t k = 0; k < w->n_usages; k++) {
		const range *r = &w->usages[k];
		if (u >= r->lo && u <= r->hi) {
			uint64_t i = base + (u - r->lo);
			return i < count ? (long)i : -1;
		}
		base += (uint64_t)(r->hi - r->lo) + 1;
	}
	return -1;
}

/* How many elements from first on all have usage u. */
static uint32_t run_of(const walk *w, uint32_t u, long first, uint32_t count)
{
	uint64_t total = list_total(w);
	uint32_t n = 1;
	for (uint64_t j = (uint64_t)first + 1; j < count; j++, n++) {
		if (j >= total) /* all the rest repeat the last usage, which is u */
			return count - (uint32_t)first;
		if (usage_at(w, j) != u)
			break;
	}
	return n;
}

static bool list_has_page(const walk *w, uint32_t page)
{
	for (size_t k = 0; k < w->n_usages; k++)
		if ((w->usages[k].lo >> 16) <= page && (w->usages[k].hi >> 16) >= page)
			return true;
	return false;
}

static bool add_usage(walk *w, uint32_t lo, uint32_t hi)
{
	if (w->n_usages == USAGES_MAX || lo > hi)
		return false;
	w->usages[w->n_usages++] = (range){lo, hi};
	return true;
}

static void clear_locals(walk *w)
{
	w->n_usages = 0;
	w->have_min = w->have_max = false;
}

/* The application collection the current item is in: the outermost. */
static uint32_t application(const walk *w)
{
	for (size_t i = 0; i < w->depth; i++)
		if (w->coll_type[i] == 1)
			return w->coll_usage[i];
	return 0;
}

/* ---- the fields a scanner needs ----------------------------------------- */

/* A keyboard input field at bit offset at (of the report as it arrives). */
static void keyboard_field(walk *w, uint32_t flags, uint64_t at)
{
	tqk_hid_desc *o = w->out;
	tqk_hid_kbd_layout *k = &o->kbd;
	bool var = (flags & 0x02u) != 0;
	int id = (int)w->g.id;
	if (!var && w->g.size == 8 && at % 8 == 0 && w->g.count >= 1 &&
	    w->g.count <= TQK_HID_KEYS_MAX && list_has_page(w, PAGE_KEYS)) {
		if (!w->second && w->kbd_id == NO_ID)
			w->kbd_id = id;
		if (w->second && id == w->kbd_id && !o->kbd_found) {
			o->kbd_found = true;
			k->report_id = (uint8_t)id;
			k->keys_off = (size_t)(at / 8);
			k->keys_n = w->g.count;
		}
		return;
	}
	if (!w->second || id != w->kbd_id || !var || w->g.size != 1 || k->has_mods)
		return;
	long i = first_with(w, U_MOD_FIRST, w->g.count);
	if (i < 0 || (uint64_t)i + 8 > w->g.count || (at + (uint64_t)i) % 8 != 0)
		return;
	for (uint32_t j = 1; j < 8; j++)
		if (usage_at(w, (uint64_t)i + j) != U_MOD_FIRST + j)
			return;
	k->has_mods = true;
	k->mod_off = (size_t)((at + (uint64_t)i) / 8);
}

/* A POS input field at bit offset at; only variable and buffered-bytes
 * fields carry data (an array's usages are the values it may report). */
static void pos_field(walk *w, uint32_t flags, uint64_t at)
{
	if ((flags & 0x102u) == 0)
		return;
	tqk_hid_desc *o = w->out;
	tqk_hid_pos_layout *p = &o->pos;
	uint32_t size = w->g.size, count = w->g.count;
	int id = (int)w->g.id;
	bool bytes = size == 8 && at % 8 == 0;
	long i = first_with(w, U_DATA, count);
	if (bytes && i >= 0) {
		if (!w->second && w->pos_id == NO_ID)
			w->pos_id = id;
		if (w->second && id == w->pos_id && !o->pos_found) {
			o->pos_found = true;
			p->report_id = (uint8_t)id;
			p->data_off = (size_t)(at / 8) + (size_t)i;
			p->data_len = run_of(w, U_DATA, i, count);
		}
	}
	if (!w->second || id != w->pos_id)
		return;
	i = first_with(w, U_BYTE_COUNT, count);
	if (i >= 0 && p->count_size == 0 && (size == 8 || size == 16) &&
	    (at + (uint64_t)i * size) % 8 == 0) {
		p->count_size = size / 8;
		p->count_off = (size_t)((at + (uint64_t)i * size) / 8);
	}
	i = first_with(w, U_SYM1, count);
	if (i >= 0 && bytes && p->sym_len == 0) {
		p->sym_off = (size_t)(at / 8) + (size_t)i;
		p->sym_len = 1;
		while (p->sym_len < 3 && (uint64_t)i + p->sym_len < count &&
		       usage_at(w, (uint64_t)i + p->sym_len) == U_SYM1 + p->sym_len)
			p->sym_len++;
	}
	i = first_with(w, U_MORE, count);
	if (i >= 0 && !p->has_more) {
		p->has_more = true;
		p->more_bit = (size_t)(at + (uint64_t)i * size);
	}
}

/* ---- items --------------------------------------------------------------- */

static bool main_data(walk *w, unsigned dir, uint32_t flags)
{
	if (w->have_min || w->have_max)
		return false; /* half a usage range */
	uint64_t n = (uint64_t)w->g.size * w->g.count;
	unsigned id = w->g.id;
	if (n > 0 && id == 0)
		w->no_id_used = true;
	if (w->ids_used && w->no_id_used)
		return false;
	uint64_t off = w->bits[dir][id];
	uint64_t end = off + n;
	if ((end + 7) / 8 + (id != 0) > TQK_HID_REPORT_MAX)
		return false;
	w->bits[dir][id] = (uint32_t)end;
	uint64_t at = off + (id != 0 ? 8 : 0);
	if (dir == DIR_IN && (flags & 0x01u) == 0 && n > 0) {
		uint32_t app = application(w);
		if (app == U_KEYBOARD || app == U_KEYPAD)
			keyboard_field(w, flags, at);
		else if ((app >> 16) == PAGE_BARCODE)
			pos_field(w, flags, at);
	}
	clear_locals(w);
	return true;
}

static bool main_item(walk *w, unsigned tag, uint32_t data)
{
	switch (tag) {
	case 0x8:
		return main_data(w, DIR_IN, data);
	case 0x9:
		return main_data(w, DIR_OUT, data);
	case 0xB:
		return main_data(w, DIR_FEATURE, data);
	case 0xA: /* Collection */
		if (w->depth == COLL_MAX || w->have_min || w->have_max)
			return false;
		w->coll_type[w->depth] = (uint8_t)data;
		w->coll_usage[w->depth] = w->n_usages > 0 ? w->usages[0].lo : 0;
		w->depth++;
		if (w->depth == 1 && data == 1) {
			uint32_t u = w->coll_usage[0];
			if (u == U_KEYBOARD || u == U_KEYPAD)
				w->out->kbd_app = true;
			else if ((u >> 16) == PAGE_BARCODE)
				w->out->pos_app = true;
		}
		clear_locals(w);
		return true;
	case 0xC: /* End Collection */
		if (w->depth == 0)
			return false;
		w->depth--;
		clear_locals(w);
		return true;
	default:
		return false;
	}
}

static bool global_item(walk *w, unsigned tag, uint32_t data)
{
	switch (tag) {
	case 0x0: /* Usage Page */
		if (data > 0xFFFF)
			return false;
		w->g.page = data;
		return true;
	case 0x1: case 0x2: case 0x3: case 0x4: case 0x5: case 0x6:
		return true; /* logical and physical extents, units: not needed */
	case 0x7:
		if (data > SIZE_MAX_BITS)
			return false;
		w->g.size = data;
		return true;
	case 0x8:
		if (data == 0 || data > 255)
			return false;
		w->g.id = data;
		w->ids_used = true;
		w->out->report_ids = true;
		return !w->no_id_used;
	case 0x9:
		if (data > COUNT_MAX)
			return false;
		w->g.count = data;
		return true;
	case 0xA:
		if (w->sp == PUSH_MAX)
			return false;
		w->stack[w->sp++] = w->g;
		return true;
	case 0xB:
		if (w->sp == 0)
			return false;
		w->g = w->stack[--w->sp];
		return true;
	default:
		return false;
	}
}

static bool local_item(walk *w, unsigned tag, uint32_t data, unsigned size)
{
	/* a 4-byte usage names its page; a shorter one takes the current page */
	uint32_t u = size == 4 ? data : U(w->g.page, data);
	switch (tag) {
	case 0x0:
		return add_usage(w, u, u);
	case 0x1:
	case 0x2:
		if (tag == 0x1 ? w->have_min : w->have_max)
			return false;
		if (tag == 0x1) {
			w->have_min = true;
			w->min = u;
		} else {
			w->have_max = true;
			w->max = u;
		}
		if (!w->have_min || !w->have_max)
			return true;
		w->have_min = w->have_max = false;
		return (w->min >> 16) == (w->max >> 16) && add_usage(w, w->min, w->max);
	case 0x3: case 0x4: case 0x5: case 0x7: case 0x8: case 0x9:
		return true; /* designators and strings: not needed */
	default:
		return false; /* delimiters and reserved tags */
	}
}

static bool run(walk *w, size_t *where)
{
	w->pos = 0;
	while (w->pos < w->len) {
		size_t at = w->pos;
		uint8_t b = w->d[at];
		unsigned size = b & 3u, type = (b >> 2) & 3u, tag = b >> 4;
		if (size == 3)
			size = 4;
		if (b == 0xFE || type == 3 || size > w->len - at - 1) {
			*where = b == 0xFE || type == 3 ? at : w->len;
			return false;
		}
		uint32_t data = 0;
		for (unsigned i = 0; i < size; i++)
			data |= (uint32_t)w->d[at + 1 + i] << (8 * i);
		w->pos = at + 1 + size;
		bool ok = type == 0   ? main_item(w, tag, data)
		          : type == 1 ? global_item(w, tag, data)
		                      : local_item(w, tag, data, size);
		if (!ok) {
			*where = at;
			return false;
		}
	}
	if (w->depth != 0) {
		*where = w->len;
		return false;
	}
	return true;
}

static size_t report_bytes(const walk *w, int id)
{
	return (w->bits[DIR_IN][id] + 7) / 8 + (id != 0);
}

tqk_err tqk_hid_desc_parse(const uint8_t *d, size_t len, tqk_hid_desc *out, size_t *where)
{
	size_t spare;
	if (where == NULL)
		where = &spare;
	*where = 0;
	memset(out, 0, sizeof *out);
	if (len > TQK_HID_DESC_MAX)
		return TQK_E_TOO_LONG;
	walk w = {.d = d, .len = len, .kbd_id = NO_ID, .pos_id = NO_ID, .out = out};
	bool ok = run(&w, where);
	if (ok && (w.kbd_id != NO_ID || w.pos_id != NO_ID)) {
		/* the same items again, now collecting the two reports' fields */
		w = (walk){.d = d, .len = len, .kbd_id = w.kbd_id, .pos_id = w.pos_id,
		           .second = true, .out = out};
		ok = run(&w, where);
	}
	if (!ok) {
		memset(out, 0, sizeof *out);
		return TQK_E_HID_DESC;
	}
	if (out->kbd_found)
		out->kbd.report_len = report_bytes(&w, w.kbd_id);
	if (out->pos_found)
		out->pos.report_len = report_bytes(&w, w.pos_id);
	return TQK_OK;
}

tqk_hid_kind tqk_hid_desc_kind(const tqk_hid_desc *d)
{
	if (d->pos_found)
		return TQK_HID_POS;
	if (d->kbd_app)
		return TQK_HID_KEYBOARD;
	return TQK_HID_OTHER;
}
