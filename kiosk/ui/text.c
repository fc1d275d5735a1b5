/*
 * text.c - text for the kiosk UI: measuring, one-line drawing through the
 * string cache, and paragraphs wrapped within a width. A line may break at a
 * space (the space is dropped), at a newline, and before or after any
 * character from U+2E80 up (CJK), except before closing punctuation such as
 * "，。" and after opening punctuation such as "（《". A word wider than the
 * width is broken between characters. Drawing is clipped to the rectangle.
 */
#include "ui/internal.h"

#include <string.h>

/* Closing punctuation that must not begin a line. */
static bool no_break_before(uint32_t cp)
{
	static const uint32_t closing[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F,
	                                   0xFF01, 0xFF09, 0x300D, 0x300F, 0x300B, 0x3009, 0x3011,
	                                   0x201D, 0x2019, 0x2026, 0xFF05};
	for (size_t i = 0; i < sizeof closing / sizeof closing[0]; i++)
		if (cp == closing[i])
			return true;
	return cp == ',' || cp == '.' || cp == ')' || cp == ':' || cp == ';' || cp == '!' || cp == '?';
}

/* Opening punctuation that must not end a line. */
static bool no_break_after(uint32_t cp)
{
	static const uint32_t opening[] = {0xFF08, 0x300C, 0x300E, 0x300A, 0x3008, 0x3010, 0x201C,
	                                   0x2018};
	for (size_t i = 0; i < sizeof opening / sizeof opening[0]; i++)
		if (cp == opening[i])
			return true;
	return cp == '(';
}

static bool cjk(uint32_t cp)
{
	return cp >= 0x2E80;
}

int tqk_ui_line_h(const tqk_ui *ui, tqk_font f)
{
	int skip = TTF_FontLineSkip(ui->font[f]);
	int h = TTF_FontHeight(ui->font[f]);
	return skip > h ? skip : h;
}

int tqk_ui_text_width(tqk_ui *ui, tqk_font f, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	char buf[TQK_UI_TEXT_CAP];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	int w = 0, h = 0;
	if (TTF_SizeUTF8(ui->font[f], buf, &w, &h) != 0)
		return 0;
	return w;
}

int tqk_ui_text_line(tqk_ui *ui, int x, int y, tqk_font f, tqk_color c, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	int w = 0, h = 0;
	bool owned = false;
	SDL_Texture *tex =
	    tqk_ui_cache_get(&ui->cache, ui->r, ui->font[f], (int)f, c, s, len, &w, &h, &owned);
	if (!tex)
		return 0;
	SDL_Rect dst = {x, y, w, h};
	SDL_RenderCopy(ui->r, tex, NULL, &dst);
	if (owned)
		SDL_DestroyTexture(tex);
	return w;
}

/*
 * The line that starts at pos: it ends at *end (exclusive), the next one
 * starts at *next (past a dropped space or newline). Always advances.
 */
static void break_line(tqk_ui *ui, tqk_font f, const char *s, size_t len, size_t pos, int width,
                       size_t *end, size_t *next)
{
	size_t cand_end = 0, cand_next = 0;
	bool cand = false;
	uint32_t prev = 0;
	size_t i = pos;
	while (i < len) {
		uint32_t cp = 0;
		size_t n = tqk_ui_utf8_next(s + i, len - i, &cp);
		if (cp == '\n') {
			*end = i;
			*next = i + n;
			return;
		}
		if (cp == ' ') {
			/* The space may hang past the width: it is dropped at a break. */
			cand = true;
			cand_end = i;
			cand_next = i + n;
			prev = cp;
			i += n;
			continue;
		}
		if (i > pos && prev != ' ' && (cjk(cp) || cjk(prev)) && !no_break_before(cp) &&
		    !no_break_after(prev)) {
			cand = true;
			cand_end = i;
			cand_next = i;
		}
		if (i > pos && tqk_ui_text_width(ui, f, s + pos, i + n - pos) > width) {
			if (cand && cand_end > pos) {
				*end = cand_end;
				*next = cand_next;
			} else if (cand) {   /* only spaces before: drop them */
				*end = i;
				*next = i;
			} else {
				*end = i;
				*next = i;
			}
			return;
		}
		prev = cp;
		i += n;
	}
	*end = len;
	*next = len;
}

int tqk_ui_text_layout(tqk_ui *ui, tqk_rect r, tqk_font f, tqk_color c, tqk_align a,
                       const char *utf8, size_t len, bool draw)
{
	if (!utf8 || len == 0)
		return 0;
	if (len >= TQK_UI_TEXT_CAP) {   /* cut at a character boundary */
		len = TQK_UI_TEXT_CAP - 1;
		while (len > 0 && ((unsigned char)utf8[len] & 0xC0u) == 0x80u)
			len--;
	}
	tqk_ui_clip saved;
	if (draw)
		tqk_ui_clip_push(ui, r, &saved);
	int lh = tqk_ui_line_h(ui, f);
	int y = 0;
	size_t pos = 0;
	while (pos < len) {
		size_t end = len, next = len;
		break_line(ui, f, utf8, len, pos, r.w, &end, &next);
		if (draw && y < r.h && end > pos) {
			int x = 0;
			if (a != TQK_ALIGN_LEFT) {
				int w = tqk_ui_text_width(ui, f, utf8 + pos, end - pos);
				x = a == TQK_ALIGN_CENTER ? (r.w - w) / 2 : r.w - w;
			}
			tqk_ui_text_line(ui, r.x + x, r.y + y, f, c, utf8 + pos, end - pos);
		}
		y += lh;
		pos = next;
	}
	if (draw)
		tqk_ui_clip_pop(ui, &saved);
	return y;
}

int tqk_ui_text(tqk_ui *ui, tqk_rect r, tqk_font f, tqk_color c, tqk_align a, const char *utf8)
{
	if (!utf8)
		return 0;
	return tqk_ui_text_layout(ui, r, f, c, a, utf8, strlen(utf8), true);
}

void tqk_ui_measure(tqk_ui *ui, tqk_font f, const char *utf8, int *w, int *h)
{
	int tw = utf8 ? tqk_ui_text_width(ui, f, utf8, strlen(utf8)) : 0;
	if (w)
		*w = tw;
	if (h)
		*h = tqk_ui_line_h(ui, f);
}

void tqk_ui_label(tqk_ui *ui, tqk_rect r, tqk_font f, tqk_color c, const char *s)
{
	if (!s || !*s)
		return;
	size_t len = strlen(s);
	int pad = 8;
	tqk_rect in = {r.x + pad, r.y, r.w - 2 * pad, r.h};
	int h = tqk_ui_text_layout(ui, in, f, c, TQK_ALIGN_CENTER, s, len, false);
	if (h < r.h) {
		in.y = r.y + (r.h - h) / 2;
		in.h = h;
	}
	tqk_ui_text_layout(ui, in, f, c, TQK_ALIGN_CENTER, s, len, true);
}
