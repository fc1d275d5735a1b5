/*
 * ui.c - the kiosk UI's context and its touchable widgets: creation (fonts
 * at the four sizes), the frame (begin clears, end forgets the frame's
 * input), rectangles, the press-and-release logic every widget shares,
 * buttons, the yes/no toggle, list rows, and screenshots of the frame.
 */
#include "ui/internal.h"

#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

static const int font_px[TQK_FONT_COUNT] = {20, 26, 36, 96};

uint32_t tqk_ui_id_part(uint32_t h, const char *part)
{
	for (const unsigned char *p = (const unsigned char *)part; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h ? h : 1;
}

uint32_t tqk_ui_id(const char *id)
{
	return tqk_ui_id_part(2166136261u, id ? id : "");
}

tqk_ui *tqk_ui_new(SDL_Renderer *r, const char *font_path, int index)
{
	if (!r || !font_path)
		return NULL;
	if (TTF_Init() != 0)
		return NULL;
	tqk_ui *ui = calloc(1, sizeof *ui);
	if (!ui) {
		TTF_Quit();
		return NULL;
	}
	ui->r = r;
	for (int f = 0; f < TQK_FONT_COUNT; f++) {
		ui->font[f] = TTF_OpenFontIndex(font_path, font_px[f], index);
		if (!ui->font[f]) {
			tqk_ui_free(ui);
			return NULL;
		}
		TTF_SetFontHinting(ui->font[f], TTF_HINTING_LIGHT);
	}
	if (SDL_GetRendererOutputSize(r, &ui->w, &ui->h) != 0)
		ui->w = ui->h = 0;
	return ui;
}

void tqk_ui_free(tqk_ui *ui)
{
	if (!ui)
		return;
	tqk_ui_ime_close(ui);
	tqk_ui_cache_clear(&ui->cache);
	for (int f = 0; f < TQK_FONT_COUNT; f++)
		if (ui->font[f])
			TTF_CloseFont(ui->font[f]);
	free(ui);
	TTF_Quit();
}

size_t tqk_ui_cache_renders(const tqk_ui *ui)
{
	return ui->cache.renders;
}

size_t tqk_ui_cache_size(const tqk_ui *ui)
{
	return ui->cache.count;
}

bool tqk_ui_dirty(const tqk_ui *ui)
{
	return ui->dirty;
}

void tqk_ui_set_color(tqk_ui *ui, tqk_color c)
{
	SDL_SetRenderDrawColor(ui->r, (Uint8)(c >> 24), (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c);
	SDL_SetRenderDrawBlendMode(ui->r, (c & 0xFFu) == 0xFFu ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
}

tqk_color tqk_ui_darken(tqk_color c, int num, int den)
{
	uint32_t out = c & 0xFFu;
	for (int shift = 8; shift < 32; shift += 8) {
		uint32_t v = (c >> shift) & 0xFFu;
		out |= ((v * (uint32_t)num / (uint32_t)den) & 0xFFu) << shift;
	}
	return out;
}

void tqk_ui_begin(tqk_ui *ui, int w, int h)
{
	ui->w = w;
	ui->h = h;
	ui->dirty = false;
	ui->first_field = 0;
	ui->focus_buf = NULL;
	/* The release of a press begun in an earlier frame ends it. */
	ui->released_id = 0;
	if (ui->released_old) {
		ui->released_id = ui->active;
		ui->active = 0;
	}
	SDL_RenderSetClipRect(ui->r, NULL);
	tqk_ui_set_color(ui, TQK_C_BG);
	SDL_RenderClear(ui->r);
}

void tqk_ui_end(tqk_ui *ui)
{
	/* Tab from the last field drawn wraps to the first. */
	if (ui->tab_pending && ui->first_field) {
		ui->focus = ui->first_field;
		ui->caret_to_end = true;
		ui->dirty = true;
	}
	ui->tab_pending = false;
	/* The pinyin keyboard left the screen: its pending pinyin goes. */
	if (!ui->ime_drawn)
		tqk_ui_ime_drop(ui);
	ui->ime_drawn = false;
	/* A press that no widget took, or a release no widget claimed. */
	if (!ui->down)
		ui->active = 0;
	ui->pressed = ui->released_old = false;
	ui->ntaps = 0;
	ui->released_id = 0;
	ui->touched = false;
	ui->nops = ui->op_next = 0;
	ui->focus_buf = NULL;
}

bool tqk_ui_touched(const tqk_ui *ui)
{
	return ui->touched;
}

void tqk_ui_fill(tqk_ui *ui, tqk_rect r, tqk_color c)
{
	SDL_Rect s = {r.x, r.y, r.w, r.h};
	tqk_ui_set_color(ui, c);
	SDL_RenderFillRect(ui->r, &s);
}

void tqk_ui_frame(tqk_ui *ui, tqk_rect r, tqk_color c, int t)
{
	if (t <= 0)
		return;
	if (2 * t >= r.w || 2 * t >= r.h) {
		tqk_ui_fill(ui, r, c);
		return;
	}
	tqk_ui_fill(ui, (tqk_rect){r.x, r.y, r.w, t}, c);
	tqk_ui_fill(ui, (tqk_rect){r.x, r.y + r.h - t, r.w, t}, c);
	tqk_ui_fill(ui, (tqk_rect){r.x, r.y + t, t, r.h - 2 * t}, c);
	tqk_ui_fill(ui, (tqk_rect){r.x + r.w - t, r.y + t, t, r.h - 2 * t}, c);
}

bool tqk_ui_pressed_in(const tqk_ui *ui, tqk_rect r, int *x, int *y)
{
	bool in = false;
	for (size_t i = 0; i < ui->ntaps; i++) {
		if (tqk_ui_inside(r, ui->taps[i].px, ui->taps[i].py)) {
			in = true;
			*x = ui->taps[i].px;
			*y = ui->taps[i].py;
		}
	}
	if (ui->pressed && tqk_ui_inside(r, ui->px, ui->py)) {
		in = true;
		*x = ui->px;
		*y = ui->py;
	}
	return in;
}

bool tqk_ui_clickable(tqk_ui *ui, uint32_t id, tqk_rect r, bool disabled, bool *held)
{
	bool click = false;
	if (ui->released_id == id) {   /* an older press released this frame */
		click = tqk_ui_inside(r, ui->rx, ui->ry);
		ui->released_id = 0;
	}
	for (size_t i = 0; i < ui->ntaps; i++) {   /* pressed and released this frame */
		const tqk_ui_tap *t = &ui->taps[i];
		if (tqk_ui_inside(r, t->px, t->py) && tqk_ui_inside(r, t->rx, t->ry))
			click = true;
	}
	if (ui->pressed && tqk_ui_inside(r, ui->px, ui->py))
		ui->active = id;
	if (disabled) {
		click = false;
		if (ui->active == id)
			ui->active = 0;
	}
	*held = ui->active == id && ui->down && tqk_ui_inside(r, ui->mx, ui->my);
	return click;
}

void tqk_ui_clip_push(tqk_ui *ui, tqk_rect r, tqk_ui_clip *saved)
{
	saved->on = SDL_RenderIsClipEnabled(ui->r);
	SDL_RenderGetClipRect(ui->r, &saved->r);
	SDL_Rect clip = {r.x, r.y, r.w > 0 ? r.w : 0, r.h > 0 ? r.h : 0};
	if (saved->on && !SDL_IntersectRect(&clip, &saved->r, &clip))
		clip.w = clip.h = 0;
	/* An empty clip rectangle would mean "no clipping" to SDL: keep one pixel off screen. */
	if (clip.w == 0 || clip.h == 0)
		clip = (SDL_Rect){-2, -2, 1, 1};
	SDL_RenderSetClipRect(ui->r, &clip);
}

void tqk_ui_clip_pop(tqk_ui *ui, const tqk_ui_clip *saved)
{
	SDL_RenderSetClipRect(ui->r, saved->on ? &saved->r : NULL);
}

bool tqk_ui_button(tqk_ui *ui, const char *id, tqk_rect r, tqk_button_style s, const char *label)
{
	return tqk_ui_button_font(ui, tqk_ui_id(id), r, s, label, TQK_FONT_BODY);
}

bool tqk_ui_button_font(tqk_ui *ui, uint32_t id, tqk_rect r, tqk_button_style s, const char *label,
                        tqk_font f)
{
	bool held = false;
	bool click = tqk_ui_clickable(ui, id, r, s == TQK_BTN_DISABLED, &held);
	tqk_color fill, text, border;
	switch (s) {
	case TQK_BTN_PRIMARY:
		fill = TQK_C_PRIMARY;
		text = 0xFFFFFFFFu;
		border = fill;
		break;
	case TQK_BTN_DANGER:
		fill = TQK_C_BAD;
		text = 0xFFFFFFFFu;
		border = fill;
		break;
	case TQK_BTN_DISABLED:
		fill = 0xE4E7EBFFu;
		text = 0x9AA5B1FFu;
		border = 0xCBD2D9FFu;
		break;
	default:
		fill = TQK_C_PANEL;
		text = TQK_C_TEXT;
		border = 0x9AA5B1FFu;
		break;
	}
	if (held)
		fill = tqk_ui_darken(fill, 3, 4);
	tqk_ui_fill(ui, r, fill);
	tqk_ui_frame(ui, r, border, 2);
	tqk_ui_label(ui, r, f, text, label);
	return click;
}

bool tqk_ui_toggle(tqk_ui *ui, const char *id, tqk_rect r, const char *yes, const char *no,
                   int *value)
{
	uint32_t base = tqk_ui_id(id);
	int half = r.w / 2;
	tqk_rect part[2] = {{r.x, r.y, half, r.h}, {r.x + half, r.y, r.w - half, r.h}};
	const char *label[2] = {yes, no};
	const tqk_color on[2] = {TQK_C_OK, TQK_C_BAD};
	bool changed = false;
	for (int i = 0; i < 2; i++) {
		int before = *value;
		bool held = false;
		if (tqk_ui_clickable(ui, tqk_ui_id_part(base, i == 0 ? "/yes" : "/no"), part[i], false,
		                     &held)) {
			/* Touching the chosen half again takes the choice back. */
			*value = *value == i + 1 ? 0 : i + 1;
			changed = true;
			/* The first half was drawn with the value the second changed. */
			if (i == 1 && before == 1)
				ui->dirty = true;
		}
		bool chosen = *value == i + 1;
		tqk_color fill = chosen ? on[i] : TQK_C_PANEL;
		if (held)
			fill = tqk_ui_darken(fill, 3, 4);
		tqk_ui_fill(ui, part[i], fill);
		tqk_ui_frame(ui, part[i], chosen ? on[i] : 0x9AA5B1FFu, 2);
		tqk_ui_label(ui, part[i], TQK_FONT_BODY, chosen ? 0xFFFFFFFFu : TQK_C_TEXT, label[i]);
	}
	return changed;
}

bool tqk_ui_row(tqk_ui *ui, const char *id, tqk_rect r, const char *const *cols,
                const int *widths, size_t n, bool selected)
{
	bool held = false;
	bool click = tqk_ui_clickable(ui, tqk_ui_id(id), r, false, &held);
	tqk_color fill = selected ? 0xE3EEFBFFu : TQK_C_PANEL;
	if (held)
		fill = tqk_ui_darken(fill, 7, 8);
	tqk_ui_fill(ui, r, fill);
	tqk_ui_fill(ui, (tqk_rect){r.x, r.y + r.h - 1, r.w, 1}, 0xD9DEE4FFu);
	if (selected)
		tqk_ui_fill(ui, (tqk_rect){r.x, r.y, 6, r.h}, TQK_C_PRIMARY);
	int lh = tqk_ui_line_h(ui, TQK_FONT_BODY);
	int x = r.x + 16;
	for (size_t i = 0; i < n && x < r.x + r.w; i++) {
		int w = widths[i];
		if (x + w > r.x + r.w)
			w = r.x + r.w - x;
		if (cols[i] && w > 8) {
			/* One line per cell, clipped: a row keeps its height. */
			tqk_rect cell = {x, r.y + (r.h - lh) / 2, w - 8, lh};
			tqk_ui_text_layout(ui, cell, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT, cols[i],
			                   strlen(cols[i]), true);
		}
		x += widths[i];
	}
	return click;
}

bool tqk_ui_screenshot(tqk_ui *ui, const char *path)
{
	int w = 0, h = 0;
	if (!path || SDL_GetRendererOutputSize(ui->r, &w, &h) != 0 || w <= 0 || h <= 0)
		return false;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
	if (!s)
		return false;
	tqk_ui_clip saved;
	saved.on = SDL_RenderIsClipEnabled(ui->r);
	SDL_RenderGetClipRect(ui->r, &saved.r);
	SDL_RenderSetClipRect(ui->r, NULL);
	bool ok = SDL_RenderReadPixels(ui->r, NULL, SDL_PIXELFORMAT_RGBA32, s->pixels, s->pitch) == 0 &&
	          IMG_SavePNG(s, path) == 0;
	tqk_ui_clip_pop(ui, &saved);
	SDL_FreeSurface(s);
	return ok;
}
