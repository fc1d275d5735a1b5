/*
 * ime.c - the on-screen keyboard with pinyin input (tqk_ui_keyboard_ime):
 * the candidate bar over the keys of tqk_ui_keyboard, the 中/英 mode key,
 * and the keyboard's share of the UI's state: the pinyin engine (started on
 * the first letter typed in 中 mode, closed with the UI), the field the
 * pending pinyin is for, and the candidate pages. The keys are drawn first
 * and the bar after them, so that the bar shows what the keys just did; a
 * change the keys above it were drawn without (a candidate taken, the
 * digits waking) marks the frame dirty, as the keypads do for their field.
 */
#include "ui/internal.h"

#include <stdio.h>
#include <string.h>

#define GAP 8
#define ARROW_W 72          /* px: ◀ and ▶ */
#define CAND_PAD 28         /* px: a candidate's text to its button's edges, both sides */
#define CAND_MIN_W 64       /* px: the narrowest candidate button */
#define PINYIN_MIN_W 96     /* px: the pending pinyin's box */

void tqk_ui_pinyin_dir(tqk_ui *ui, const char *dir)
{
	tqk_ui_ime_close(ui);
	ui->pinyin_failed = false;
	ui->pinyin_dir[0] = '\0';
	if (dir) {
		size_t n = strnlen(dir, sizeof ui->pinyin_dir);
		if (n < sizeof ui->pinyin_dir)
			memcpy(ui->pinyin_dir, dir, n + 1);
		else
			ui->pinyin_failed = true;   /* no such path can be opened */
	}
}

tqk_pinyin *tqk_ui_pinyin(tqk_ui *ui)
{
	return ui->pinyin;
}

bool tqk_ui_candidate_rect(const tqk_ui *ui, size_t i, tqk_rect *r)
{
	if (i < ui->ime_shown_first || i - ui->ime_shown_first >= ui->ime_nshown)
		return false;
	*r = ui->ime_shown[i - ui->ime_shown_first];
	return true;
}

void tqk_ui_ime_close(tqk_ui *ui)
{
	tqk_pinyin_free(ui->pinyin);
	ui->pinyin = NULL;
	ui->ime_field = 0;
	ui->ime_page = ui->ime_npages = 0;
	ui->ime_nshown = 0;
}

/* Whether pinyin is pending. */
static bool pending(const tqk_ui *ui)
{
	return ui->pinyin && tqk_pinyin_pending(ui->pinyin)[0] != '\0';
}

/* The candidates changed: back to their first page. */
static void first_page(tqk_ui *ui)
{
	ui->ime_page = ui->ime_npages = 0;
	ui->dirty = true;
}

void tqk_ui_ime_drop(tqk_ui *ui)
{
	if (!pending(ui))
		return;
	tqk_pinyin_reset(ui->pinyin);
	ui->ime_field = 0;
	first_page(ui);
}

/* The engine, started now if it is not yet; NULL when it cannot be (then
 * never tried again: 中 mode types letters). */
static tqk_pinyin *engine(tqk_ui *ui)
{
	if (ui->pinyin || ui->pinyin_failed)
		return ui->pinyin;
	tqk_pinyin *p = NULL;
	if (tqk_pinyin_new(ui->pinyin_dir[0] ? ui->pinyin_dir : NULL, &p) != TQK_OK) {
		ui->pinyin_failed = true;
		ui->dirty = true;   /* the bar says so */
		return NULL;
	}
	ui->pinyin = p;
	return p;
}

/* The pending pinyin becomes s. */
static void set_pinyin(tqk_ui *ui, const char *s)
{
	if (tqk_pinyin_feed(ui->pinyin, s) == TQK_OK)
		first_page(ui);
}

/* A letter key (upper case, as on the key) in 中 mode. */
static void letter(tqk_ui *ui, const char *key)
{
	if (!ui->focus)
		return;   /* no field to type for */
	tqk_pinyin *p = engine(ui);
	if (!p) {
		tqk_ui_edit(ui, TQK_UI_OP_TEXT, key);
		return;
	}
	const char *cur = tqk_pinyin_pending(p);
	size_t n = strlen(cur);
	if (n >= TQK_PINYIN_CAP)
		return;   /* the cap: more letters are dropped */
	char next[TQK_PINYIN_CAP + 1];
	memcpy(next, cur, n);
	next[n] = (char)(key[0] - 'A' + 'a');
	next[n + 1] = '\0';
	if (n == 0)
		ui->ime_field = ui->focus;
	set_pinyin(ui, next);
}

/* The apostrophe key in 中 mode: a syllable break within pending pinyin
 * (xi'an), else the character itself. */
static void apostrophe(tqk_ui *ui)
{
	if (!pending(ui)) {
		tqk_ui_edit(ui, TQK_UI_OP_TEXT, "'");
		return;
	}
	const char *cur = tqk_pinyin_pending(ui->pinyin);
	size_t n = strlen(cur);
	if (n >= TQK_PINYIN_CAP || cur[n - 1] == '\'')
		return;
	char next[TQK_PINYIN_CAP + 1];
	memcpy(next, cur, n);
	next[n] = '\'';
	next[n + 1] = '\0';
	set_pinyin(ui, next);
}

/* Back with pinyin pending: its last letter goes. */
static void unletter(tqk_ui *ui)
{
	const char *cur = tqk_pinyin_pending(ui->pinyin);
	size_t n = strlen(cur);
	char next[TQK_PINYIN_CAP + 1];
	memcpy(next, cur, n - 1);
	next[n - 1] = '\0';
	set_pinyin(ui, next);
	if (next[0] == '\0')
		ui->ime_field = 0;
}

/* Candidate i goes into the focused field; the rest of the pinyin stays. */
static void take(tqk_ui *ui, size_t i)
{
	char text[TQK_PINYIN_TEXT_CAP];
	if (tqk_pinyin_choose(ui->pinyin, i, text, sizeof text) != TQK_OK)
		return;
	tqk_ui_edit(ui, TQK_UI_OP_TEXT, text);
	if (!pending(ui))
		ui->ime_field = 0;
	first_page(ui);
}

/* Space or ok with pinyin pending: the first candidate, or the letters
 * themselves when the pinyin has none (a stray "v"). */
static void take_first(tqk_ui *ui)
{
	if (tqk_pinyin_count(ui->pinyin) > 0) {
		take(ui, 0);
		return;
	}
	tqk_ui_edit(ui, TQK_UI_OP_TEXT, tqk_pinyin_pending(ui->pinyin));
	tqk_ui_ime_drop(ui);
}

/* The 中/英 key: both names, the mode's in the primary colour. */
static bool mode_key(tqk_ui *ui, tqk_rect k, const tqk_ui_ime_labels *l)
{
	bool click = tqk_ui_button_font(ui, tqk_ui_id("ki/mode"), k, TQK_BTN_NORMAL, NULL,
	                                 TQK_FONT_BODY);
	const char *zh = l->chinese ? l->chinese : "";
	const char *en = l->english ? l->english : "";
	int wz = 0, ws = 0, we = 0, lh = 0;
	tqk_ui_measure(ui, TQK_FONT_BODY, zh, &wz, &lh);
	tqk_ui_measure(ui, TQK_FONT_BODY, " / ", &ws, NULL);
	tqk_ui_measure(ui, TQK_FONT_BODY, en, &we, NULL);
	int x = k.x + (k.w - (wz + ws + we)) / 2, y = k.y + (k.h - lh) / 2;
	tqk_ui_clip saved;
	tqk_ui_clip_push(ui, k, &saved);
	x += tqk_ui_text_line(ui, x, y, TQK_FONT_BODY, ui->ime_english ? TQK_C_MUTED : TQK_C_PRIMARY,
	                      zh, strlen(zh));
	x += tqk_ui_text_line(ui, x, y, TQK_FONT_BODY, TQK_C_MUTED, " / ", 3);
	tqk_ui_text_line(ui, x, y, TQK_FONT_BODY, ui->ime_english ? TQK_C_PRIMARY : TQK_C_MUTED, en,
	                 strlen(en));
	tqk_ui_clip_pop(ui, &saved);
	/* The mode's underline. */
	int ux = ui->ime_english ? x : k.x + (k.w - (wz + ws + we)) / 2;
	tqk_ui_fill(ui, (tqk_rect){ux, y + lh, ui->ime_english ? we : wz, 3}, TQK_C_PRIMARY);
	return click;
}

/* The keys (the rows of tqk_ui_keyboard, then back, 中/英, space, ok);
 * true on ok with nothing pending. */
static bool keys(tqk_ui *ui, tqk_rect r, const tqk_ui_ime_labels *l)
{
	static const char *const rows[] = {"1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM'"};
	int kw = (r.w - 9 * GAP) / 10;
	int kh = (r.h - 4 * GAP) / 5;
	uint32_t base = tqk_ui_id("ki/");
	bool chinese = !ui->ime_english && !ui->pinyin_failed;
	bool composing = chinese && pending(ui);
	for (int row = 0; row < 4; row++) {
		const char *ks = rows[row];
		int n = (int)strlen(ks);
		int width = n * kw + (n - 1) * GAP;
		int x0 = r.x + (r.w - width) / 2;
		for (int i = 0; i < n; i++) {
			char key[2] = {ks[i], '\0'};
			tqk_rect k = {x0 + i * (kw + GAP), r.y + row * (kh + GAP), kw, kh};
			/* The digits wait while pinyin is pending: they would land
			 * before the word it will become. */
			bool digit = row == 0;
			tqk_button_style st = digit && composing ? TQK_BTN_DISABLED : TQK_BTN_NORMAL;
			if (!tqk_ui_button_font(ui, tqk_ui_id_part(base, key), k, st, key, TQK_FONT_TITLE))
				continue;
			if (!chinese || digit)
				tqk_ui_edit(ui, TQK_UI_OP_TEXT, key);
			else if (key[0] == '\'')
				apostrophe(ui);
			else
				letter(ui, key);
			chinese = !ui->ime_english && !ui->pinyin_failed;
			composing = chinese && pending(ui);
		}
	}
	/* The last row: back (2 keys wide), 中/英 (2), space (3), ok (3). */
	int y = r.y + 4 * (kh + GAP);
	int unit = kw + GAP;
	tqk_rect back = {r.x, y, 2 * unit - GAP, kh};
	tqk_rect mode = {r.x + 2 * unit, y, 2 * unit - GAP, kh};
	tqk_rect space = {r.x + 4 * unit, y, 3 * unit - GAP, kh};
	tqk_rect okr = {r.x + 7 * unit, y, r.x + r.w - (r.x + 7 * unit), kh};
	bool ok = false;
	if (tqk_ui_button_font(ui, tqk_ui_id("ki/back"), back, TQK_BTN_NORMAL, l->back, TQK_FONT_BODY)) {
		if (pending(ui))
			unletter(ui);
		else
			tqk_ui_edit(ui, TQK_UI_OP_BACK, NULL);
	}
	if (mode_key(ui, mode, l)) {
		tqk_ui_ime_drop(ui);
		ui->ime_english = !ui->ime_english;
		ui->dirty = true;   /* the letters' meaning changed under the keys drawn */
	}
	if (tqk_ui_button_font(ui, tqk_ui_id("ki/space"), space, TQK_BTN_NORMAL, NULL, TQK_FONT_BODY)) {
		if (pending(ui))
			take_first(ui);
		else
			tqk_ui_edit(ui, TQK_UI_OP_TEXT, " ");
	}
	/* The space key's mark, as on tqk_ui_keyboard. */
	int bw = space.w / 3, bx = space.x + (space.w - bw) / 2, by = space.y + space.h * 2 / 3;
	tqk_ui_fill(ui, (tqk_rect){bx, by, bw, 3}, TQK_C_TEXT);
	tqk_ui_fill(ui, (tqk_rect){bx, by - 10, 3, 10}, TQK_C_TEXT);
	tqk_ui_fill(ui, (tqk_rect){bx + bw - 3, by - 10, 3, 10}, TQK_C_TEXT);
	if (tqk_ui_button_font(ui, tqk_ui_id("ki/ok"), okr, TQK_BTN_PRIMARY, l->ok, TQK_FONT_BODY)) {
		if (pending(ui))
			take_first(ui);
		else
			ok = true;
	}
	return ok;
}

/* The mark of ◀ (right false) or ▶ in r: a triangle (the font's own
 * glyphs are too small at the sizes that fit the bar). */
static void arrow(tqk_ui *ui, tqk_rect r, bool right, bool enabled)
{
	tqk_color c = enabled ? TQK_C_TEXT : 0x9AA5B1FFu;
	SDL_Color sc = {(Uint8)(c >> 24), (Uint8)(c >> 16), (Uint8)(c >> 8), 0xFF};
	float cx = (float)r.x + (float)r.w / 2.0f, cy = (float)r.y + (float)r.h / 2.0f;
	float hw = 9.0f, hh = 14.0f;   /* half the triangle's width and height */
	float tip = right ? cx + hw : cx - hw, back = right ? cx - hw : cx + hw;
	SDL_Vertex v[3] = {
		{{tip, cy}, sc, {0.0f, 0.0f}},
		{{back, cy - hh}, sc, {0.0f, 0.0f}},
		{{back, cy + hh}, sc, {0.0f, 0.0f}},
	};
	SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
	SDL_RenderGeometry(ui->r, NULL, v, 3, NULL, 0);
}

/* The width of candidate i's button. */
static int cand_w(tqk_ui *ui, size_t i)
{
	int w = 0;
	tqk_ui_measure(ui, TQK_FONT_TITLE, tqk_pinyin_candidate(ui->pinyin, i), &w, NULL);
	w += 2 * CAND_PAD;
	return w < CAND_MIN_W ? CAND_MIN_W : w;
}

/* The candidate bar in 中 mode: the pending pinyin, the candidates of this
 * page, ◀ and ▶. */
static void bar(tqk_ui *ui, tqk_rect b, const tqk_ui_ime_labels *l)
{
	tqk_ui_fill(ui, b, TQK_C_PANEL);
	tqk_ui_frame(ui, b, 0xCBD2D9FFu, 1);
	int lh = tqk_ui_line_h(ui, TQK_FONT_BODY);
	tqk_rect note = {b.x + 16, b.y + (b.h - lh) / 2, b.w - 32, lh};
	if (ui->pinyin_failed) {
		tqk_ui_text(ui, note, TQK_FONT_BODY, TQK_C_WARN, TQK_ALIGN_LEFT, l->unavailable);
		return;
	}
	if (!pending(ui)) {
		tqk_ui_text(ui, note, TQK_FONT_BODY, TQK_C_MUTED, TQK_ALIGN_LEFT, l->hint);
		return;
	}
	tqk_pinyin *p = ui->pinyin;
	const char *py = tqk_pinyin_pending(p);
	int pw = 0;
	tqk_ui_measure(ui, TQK_FONT_BODY, py, &pw, NULL);
	pw += 32;
	if (pw < PINYIN_MIN_W)
		pw = PINYIN_MIN_W;
	if (pw > b.w / 3)
		pw = b.w / 3;   /* a long pinyin shows its end */
	tqk_rect pr = {b.x, b.y, pw, b.h};
	tqk_ui_fill(ui, pr, 0xE3EEFBFFu);
	tqk_ui_clip saved;
	tqk_ui_clip_push(ui, (tqk_rect){pr.x + 12, pr.y, pr.w - 24, pr.h}, &saved);
	int full = 0;
	tqk_ui_measure(ui, TQK_FONT_BODY, py, &full, NULL);
	int px = full > pr.w - 24 ? pr.x + pr.w - 12 - full : pr.x + 16;
	tqk_ui_text_line(ui, px, pr.y + (pr.h - lh) / 2, TQK_FONT_BODY, TQK_C_PRIMARY, py, strlen(py));
	tqk_ui_clip_pop(ui, &saved);

	/* This page's candidates, as many as fit (at least one, clipped). */
	size_t count = tqk_pinyin_count(p);
	if (ui->ime_page >= count)
		ui->ime_page = ui->ime_npages = 0;
	int x = pr.x + pr.w + GAP;
	int end = b.x + b.w - 2 * (ARROW_W + GAP);
	size_t i = ui->ime_page;
	uint32_t base = tqk_ui_id("ki/cand/");
	ui->ime_shown_first = i;
	for (; i < count && i - ui->ime_page < TQK_UI_IME_SHOWN_CAP; i++) {
		int w = cand_w(ui, i);
		if (x + w > end) {
			if (i > ui->ime_page)
				break;
			w = end - x;
		}
		ui->ime_shown[ui->ime_nshown++] = (tqk_rect){x, b.y, w, b.h};
		char slot[8];
		snprintf(slot, sizeof slot, "%zu", i - ui->ime_page);
		tqk_rect c = {x, b.y, w, b.h};
		/* The first candidate is what space and ok take: drawn filled. */
		tqk_button_style st = i == 0 ? TQK_BTN_PRIMARY : TQK_BTN_NORMAL;
		if (tqk_ui_button_font(ui, tqk_ui_id_part(base, slot), c, st, tqk_pinyin_candidate(p, i),
		                       TQK_FONT_TITLE)) {
			take(ui, i);
			return;   /* the candidates are new: the next frame draws them */
		}
		x += w + GAP;
	}
	size_t next = i;
	tqk_rect prev_r = {b.x + b.w - 2 * ARROW_W - GAP, b.y, ARROW_W, b.h};
	tqk_rect next_r = {b.x + b.w - ARROW_W, b.y, ARROW_W, b.h};
	bool has_prev = ui->ime_npages > 0, has_next = next < count;
	if (tqk_ui_button_font(ui, tqk_ui_id("ki/prev"), prev_r,
	                       has_prev ? TQK_BTN_NORMAL : TQK_BTN_DISABLED, NULL, TQK_FONT_BODY)) {
		ui->ime_page = ui->ime_pages[--ui->ime_npages];
		ui->dirty = true;
	}
	arrow(ui, prev_r, false, has_prev);
	if (tqk_ui_button_font(ui, tqk_ui_id("ki/next"), next_r,
	                       has_next ? TQK_BTN_NORMAL : TQK_BTN_DISABLED, NULL, TQK_FONT_BODY) &&
	    ui->ime_npages < TQK_PINYIN_CANDS) {
		ui->ime_pages[ui->ime_npages++] = ui->ime_page;
		ui->ime_page = next;
		ui->dirty = true;
	}
	arrow(ui, next_r, true, has_next);
}

bool tqk_ui_keyboard_ime(tqk_ui *ui, tqk_rect r, const tqk_ui_ime_labels *labels)
{
	ui->ime_drawn = true;
	ui->ime_nshown = 0;
	/* The pending pinyin was for a field that no longer has focus. */
	if (pending(ui) && ui->focus != ui->ime_field)
		tqk_ui_ime_drop(ui);
	tqk_rect b = {r.x, r.y, r.w, TQK_UI_CANDS_H};
	tqk_rect k = {r.x, r.y + TQK_UI_CANDS_H + GAP, r.w, r.h - TQK_UI_CANDS_H - GAP};
	bool ok = keys(ui, k, labels);
	if (!ui->ime_english)
		bar(ui, b, labels);
	return ok;
}
