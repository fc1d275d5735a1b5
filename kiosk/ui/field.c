/*
 * field.c - the one-line text field and its focus: a touch gives a field
 * focus (and starts SDL text input), the focused field applies the frame's
 * edits in order (typed text, the editing keys, the on-screen keys), always
 * by whole UTF-8 characters and within its cap, and draws its text scrolled
 * so that the caret (a 2 px bar) stays visible. The system input method's
 * composition is drawn at the caret, underlined, without entering the text;
 * the field tells SDL where it is so that the method's own window can
 * stand beside it.
 */
#include "ui/internal.h"

#include <string.h>

#define PAD 12
#define DOT "\xE2\x80\xA2"   /* U+2022, what a secret field shows per character */

static void take_focus(tqk_ui *ui, uint32_t id)
{
	if (ui->focus != id) {
		ui->focus = id;
		ui->caret_to_end = true;
		ui->scroll = 0;
		/* What was being composed belonged to the field left. */
		tqk_ui_ime_drop(ui);
		if (ui->compose[0] != '\0') {
			ui->compose[0] = '\0';
			ui->compose_cursor = 0;
			SDL_ClearComposition();
		}
	}
	if (!SDL_IsTextInputActive())
		SDL_StartTextInput();
}

void tqk_ui_focus(tqk_ui *ui, const char *id)
{
	take_focus(ui, tqk_ui_id(id));
	ui->caret_to_end = true;
}

/* Inserts text at the caret, character by character, filtered by flags;
 * stops at the first character that does not fit in cap - 1 bytes. */
static void insert(tqk_ui *ui, char *buf, size_t cap, unsigned flags, const char *text)
{
	size_t len = strlen(buf);
	size_t tlen = strlen(text);
	for (size_t i = 0; i < tlen;) {
		uint32_t cp = 0;
		size_t n = tqk_ui_utf8_next(text + i, tlen - i, &cp);
		char c[4];
		memcpy(c, text + i, n);
		i += n;
		if (cp < 0x20 || cp == 0x7F || (cp == 0xFFFD && n == 1))
			continue;   /* controls and malformed bytes */
		if ((flags & TQK_FIELD_DIGITS) && !(cp >= '0' && cp <= '9'))
			continue;
		if ((flags & TQK_FIELD_UPPER) && cp >= 'a' && cp <= 'z')
			c[0] = (char)(c[0] - 'a' + 'A');
		if (len + n > cap - 1)
			break;
		memmove(buf + ui->caret + n, buf + ui->caret, len - ui->caret + 1);
		memcpy(buf + ui->caret, c, n);
		ui->caret += n;
		len += n;
	}
}

/* Applies one edit; true for Return. */
static bool apply(tqk_ui *ui, char *buf, size_t cap, unsigned flags, tqk_ui_op_kind kind,
                  const char *text)
{
	size_t len = strlen(buf);
	uint32_t cp = 0;
	switch (kind) {
	case TQK_UI_OP_TEXT:
		insert(ui, buf, cap, flags, text);
		break;
	case TQK_UI_OP_BACK:
		if (ui->caret > 0) {
			size_t p = tqk_ui_utf8_prev(buf, ui->caret);
			memmove(buf + p, buf + ui->caret, len - ui->caret + 1);
			ui->caret = p;
		}
		break;
	case TQK_UI_OP_DELETE:
		if (ui->caret < len) {
			size_t n = tqk_ui_utf8_next(buf + ui->caret, len - ui->caret, &cp);
			memmove(buf + ui->caret, buf + ui->caret + n, len - ui->caret - n + 1);
		}
		break;
	case TQK_UI_OP_LEFT:
		ui->caret = tqk_ui_utf8_prev(buf, ui->caret);
		break;
	case TQK_UI_OP_RIGHT:
		if (ui->caret < len)
			ui->caret += tqk_ui_utf8_next(buf + ui->caret, len - ui->caret, &cp);
		break;
	case TQK_UI_OP_HOME:
		ui->caret = 0;
		break;
	case TQK_UI_OP_END:
		ui->caret = len;
		break;
	case TQK_UI_OP_RETURN:
		return true;
	case TQK_UI_OP_TAB:
		break;   /* the caller moves the focus */
	}
	return false;
}

void tqk_ui_edit(tqk_ui *ui, tqk_ui_op_kind kind, const char *text)
{
	if (!ui->focus)
		return;
	if (ui->focus_buf) {
		apply(ui, ui->focus_buf, ui->focus_cap, ui->focus_flags, kind, text ? text : "");
		ui->dirty = true;
		return;
	}
	tqk_ui_push_op(ui, kind, text);
}

/* The text shown (dots for a secret field) and the caret's offset in it. */
static size_t shown(const char *buf, size_t caret, unsigned flags, char *out, size_t outcap,
                    size_t *caret_out)
{
	size_t len = strlen(buf);
	if (!(flags & TQK_FIELD_SECRET)) {
		size_t n = len < outcap - 1 ? len : outcap - 1;
		memcpy(out, buf, n);
		out[n] = '\0';
		*caret_out = caret < n ? caret : n;
		return n;
	}
	size_t o = 0;
	*caret_out = 0;
	for (size_t i = 0; i < len && o + 3 < outcap;) {
		uint32_t cp = 0;
		if (i == caret)
			*caret_out = o;
		i += tqk_ui_utf8_next(buf + i, len - i, &cp);
		memcpy(out + o, DOT, 3);
		o += 3;
		if (i == caret)
			*caret_out = o;
	}
	out[o] = '\0';
	return o;
}

/* The character boundary of buf nearest to px pixels from the text's start. */
static size_t caret_at(tqk_ui *ui, const char *buf, unsigned flags, int px)
{
	char disp[TQK_UI_FIELD_CAP * 3];
	size_t len = strlen(buf), best = 0;
	int best_d = px < 0 ? -px : px;
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		i += tqk_ui_utf8_next(buf + i, len - i, &cp);
		size_t dc = 0;
		size_t dn = shown(buf, i, flags, disp, sizeof disp, &dc);
		(void)dn;
		int d = tqk_ui_text_width(ui, TQK_FONT_BODY, disp, dc) - px;
		if (d < 0)
			d = -d;
		if (d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

bool tqk_ui_field(tqk_ui *ui, const char *id, tqk_rect r, char *buf, size_t cap, unsigned flags,
                  const char *hint)
{
	uint32_t fid = tqk_ui_id(id);
	if (cap > TQK_UI_FIELD_CAP)
		cap = TQK_UI_FIELD_CAP;
	if (cap == 0)
		return false;
	tqk_rect in = {r.x + PAD, r.y, r.w - 2 * PAD, r.h};
	if (!ui->first_field)
		ui->first_field = fid;
	if (ui->tab_pending && ui->focus != fid) {
		ui->tab_pending = false;
		take_focus(ui, fid);
		ui->dirty = true;
	}
	bool was_focused = ui->focus == fid;
	int tx = 0, ty0 = 0;
	bool touched = tqk_ui_pressed_in(ui, r, &tx, &ty0);
	if (touched)
		take_focus(ui, fid);

	/* The caller's text, cut to cap at a character boundary if it overran. */
	size_t len = strnlen(buf, cap);
	if (len > cap - 1) {
		len = cap - 1;
		while (len > 0 && ((unsigned char)buf[len] & 0xC0u) == 0x80u)
			len--;
		buf[len] = '\0';
	}
	bool ret = false;
	if (ui->focus == fid) {
		if (ui->caret_to_end) {
			ui->caret = len;
			ui->caret_to_end = false;
		} else if (was_focused && touched) {
			ui->caret = caret_at(ui, buf, flags, tx - in.x + ui->scroll);
		}
		if (ui->caret > len)
			ui->caret = len;
		while (ui->caret > 0 && ((unsigned char)buf[ui->caret] & 0xC0u) == 0x80u)
			ui->caret--;
		for (; ui->op_next < ui->nops; ui->op_next++) {
			const tqk_ui_op *op = &ui->ops[ui->op_next];
			if (op->kind == TQK_UI_OP_TAB) {
				ui->tab_pending = true;
				ui->op_next++;
				break;
			}
			if (apply(ui, buf, cap, flags, op->kind, op->text))
				ret = true;
		}
		ui->focus_buf = buf;
		ui->focus_cap = cap;
		ui->focus_flags = flags;
	}

	bool focused = ui->focus == fid && !ui->tab_pending;
	tqk_ui_fill(ui, r, TQK_C_PANEL);
	tqk_ui_frame(ui, r, focused ? TQK_C_PRIMARY : 0x9AA5B1FFu, focused ? 3 : 2);
	int lh = tqk_ui_line_h(ui, TQK_FONT_BODY);
	int ty = r.y + (r.h - lh) / 2;
	tqk_ui_clip saved;
	tqk_ui_clip_push(ui, in, &saved);
	if (!buf[0]) {
		if (hint && !focused)
			tqk_ui_text_line(ui, in.x, ty, TQK_FONT_BODY, TQK_C_MUTED, hint, strlen(hint));
		else if (hint)
			tqk_ui_text_line(ui, in.x + 4, ty, TQK_FONT_BODY, TQK_C_MUTED, hint, strlen(hint));
	}
	char disp[TQK_UI_FIELD_CAP * 3 + TQK_UI_COMPOSE_CAP];
	size_t dcaret = 0;
	size_t dlen = shown(buf, focused ? ui->caret : 0, flags, disp, sizeof disp, &dcaret);
	/* The composition, inserted at the caret (never in a secret field);
	 * the caret goes where the input method's cursor is within it. */
	size_t cstart = dcaret, cend = dcaret;
	if (focused && ui->compose[0] != '\0' && !(flags & TQK_FIELD_SECRET)) {
		size_t n = strlen(ui->compose);
		memmove(disp + dcaret + n, disp + dcaret, dlen - dcaret + 1);
		memcpy(disp + dcaret, ui->compose, n);
		dlen += n;
		cend = dcaret + n;
		size_t at = 0;
		for (size_t k = 0; k < ui->compose_cursor && at < n; k++) {
			uint32_t cp = 0;
			at += tqk_ui_utf8_next(ui->compose + at, n - at, &cp);
		}
		dcaret += at;
	}
	int scroll = 0;
	int cx = 0;
	if (focused) {
		cx = tqk_ui_text_width(ui, TQK_FONT_BODY, disp, dcaret);
		scroll = ui->scroll;
		if (cx - scroll > in.w - 2)
			scroll = cx - in.w + 2;
		if (cx < scroll)
			scroll = cx;
		if (scroll < 0)
			scroll = 0;
		ui->scroll = scroll;
	}
	tqk_ui_text_line(ui, in.x - scroll, ty, TQK_FONT_BODY, TQK_C_TEXT, disp, dlen);
	if (cend > cstart) {   /* the composition's underline */
		int ux = tqk_ui_text_width(ui, TQK_FONT_BODY, disp, cstart);
		int uw = tqk_ui_text_width(ui, TQK_FONT_BODY, disp, cend) - ux;
		tqk_ui_fill(ui, (tqk_rect){in.x + ux - scroll, ty + lh - 3, uw, 2}, TQK_C_PRIMARY);
	}
	if (focused)
		tqk_ui_fill(ui, (tqk_rect){in.x + cx - scroll, ty + 2, 2, lh - 4}, TQK_C_PRIMARY);
	tqk_ui_clip_pop(ui, &saved);
	if (focused) {
		/* Where the system input method may put its candidate window. */
		SDL_Rect ir = {r.x, r.y, r.w, r.h};
		if (!SDL_RectEquals(&ir, &ui->input_rect)) {
			ui->input_rect = ir;
			SDL_SetTextInputRect(&ir);
		}
	}
	return ret;
}
