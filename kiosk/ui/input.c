/*
 * input.c - SDL events into the UI's per-frame input: the pointer (left
 * mouse button, or the first finger down, its normalised coordinates scaled
 * to the renderer's output size; mouse events SDL synthesises from touch are
 * ignored so that a tap counts once), the editing keys and SDL_TEXTINPUT as
 * an ordered list of edits for the focused field, and the system input
 * method's composition (SDL_TEXTEDITING), kept until SDL_TEXTINPUT commits.
 */
#include "ui/internal.h"

#include <string.h>

void tqk_ui_push_op(tqk_ui *ui, tqk_ui_op_kind kind, const char *text)
{
	size_t len = text ? strlen(text) : 0;
	size_t at = 0;
	do {
		if (ui->nops >= TQK_UI_OPS_CAP)
			return;   /* more than a frame can hold: dropped, as a full key buffer does */
		tqk_ui_op *op = &ui->ops[ui->nops++];
		op->kind = kind;
		/* As much as one edit holds, cut between characters. */
		size_t n = len - at;
		if (n > sizeof op->text - 1) {
			n = sizeof op->text - 1;
			while (n > 0 && ((unsigned char)text[at + n] & 0xC0u) == 0x80u)
				n--;
			if (n == 0)
				n = sizeof op->text - 1;   /* not UTF-8: cut anywhere */
		}
		if (n > 0)
			memcpy(op->text, text + at, n);
		op->text[n] = '\0';
		at += n;
	} while (at < len);
}

/* The composition of the system input method becomes s (cursor characters
 * into it); "" ends it. Cut between characters to TQK_UI_COMPOSE_CAP. */
static void compose(tqk_ui *ui, const char *s, int cursor)
{
	size_t n = strnlen(s, sizeof ui->compose);
	if (n > sizeof ui->compose - 1) {
		n = sizeof ui->compose - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0u) == 0x80u)
			n--;
	}
	memcpy(ui->compose, s, n);
	ui->compose[n] = '\0';
	ui->compose_cursor = cursor > 0 ? (size_t)cursor : 0;
}

static void press(tqk_ui *ui, int x, int y)
{
	ui->mx = ui->px = x;
	ui->my = ui->py = y;
	ui->down = true;
	ui->pressed = true;
	ui->touched = true;
}

static void release(tqk_ui *ui, int x, int y)
{
	ui->mx = x;
	ui->my = y;
	ui->down = false;
	if (ui->pressed) {   /* a tap within this frame */
		ui->pressed = false;
		if (ui->ntaps < TQK_UI_TAPS_CAP)
			ui->taps[ui->ntaps++] = (tqk_ui_tap){ui->px, ui->py, x, y};
	} else if (!ui->released_old) {
		ui->released_old = true;
		ui->rx = x;
		ui->ry = y;
	}
}

static void finger_xy(tqk_ui *ui, const SDL_TouchFingerEvent *t, int *x, int *y)
{
	int w = 0, h = 0;
	if (SDL_GetRendererOutputSize(ui->r, &w, &h) != 0 || w <= 0 || h <= 0) {
		w = ui->w;
		h = ui->h;
	}
	*x = (int)(t->x * (float)w);
	*y = (int)(t->y * (float)h);
}

static bool key(tqk_ui *ui, SDL_Keycode k)
{
	tqk_ui_op_kind kind;
	switch (k) {
	case SDLK_BACKSPACE: kind = TQK_UI_OP_BACK; break;
	case SDLK_DELETE: kind = TQK_UI_OP_DELETE; break;
	case SDLK_LEFT: kind = TQK_UI_OP_LEFT; break;
	case SDLK_RIGHT: kind = TQK_UI_OP_RIGHT; break;
	case SDLK_HOME: kind = TQK_UI_OP_HOME; break;
	case SDLK_END: kind = TQK_UI_OP_END; break;
	case SDLK_RETURN:
	case SDLK_KP_ENTER: kind = TQK_UI_OP_RETURN; break;
	case SDLK_TAB: kind = TQK_UI_OP_TAB; break;
	default: return false;
	}
	tqk_ui_push_op(ui, kind, NULL);
	ui->touched = true;
	return true;
}

bool tqk_ui_event(tqk_ui *ui, const SDL_Event *e)
{
	int x = 0, y = 0;
	switch (e->type) {
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT || ui->finger)
			return false;
		press(ui, e->button.x, e->button.y);
		return true;
	case SDL_MOUSEBUTTONUP:
		if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT || ui->finger)
			return false;
		release(ui, e->button.x, e->button.y);
		return true;
	case SDL_MOUSEMOTION:
		if (e->motion.which == SDL_TOUCH_MOUSEID || ui->finger)
			return false;
		ui->mx = e->motion.x;
		ui->my = e->motion.y;
		return ui->down;   /* only a held widget's look depends on the pointer */
	case SDL_FINGERDOWN:
		if (ui->down)
			return false;   /* a second finger: ignored */
		ui->finger = true;
		ui->finger_id = e->tfinger.fingerId;
		finger_xy(ui, &e->tfinger, &x, &y);
		press(ui, x, y);
		return true;
	case SDL_FINGERMOTION:
		if (!ui->finger || e->tfinger.fingerId != ui->finger_id)
			return false;
		finger_xy(ui, &e->tfinger, &x, &y);
		ui->mx = x;
		ui->my = y;
		return true;
	case SDL_FINGERUP:
		if (!ui->finger || e->tfinger.fingerId != ui->finger_id)
			return false;
		finger_xy(ui, &e->tfinger, &x, &y);
		ui->finger = false;
		release(ui, x, y);
		return true;
	case SDL_KEYDOWN:
		return key(ui, e->key.keysym.sym);
	case SDL_TEXTINPUT:
		/* A commit of the input method ends its composition. */
		ui->compose[0] = '\0';
		ui->compose_cursor = 0;
		tqk_ui_push_op(ui, TQK_UI_OP_TEXT, e->text.text);
		ui->touched = true;
		return true;
	case SDL_TEXTEDITING:
		compose(ui, e->edit.text, e->edit.start);
		ui->touched = true;
		return true;
	case SDL_TEXTEDITING_EXT:
		/* With SDL_HINT_IME_SUPPORT_EXTENDED_TEXT: read here, freed by the
		 * caller with SDL_free as SDL says. */
		if (e->editExt.text)
			compose(ui, e->editExt.text, e->editExt.start);
		ui->touched = true;
		return true;
	case SDL_WINDOWEVENT:
		return e->window.event == SDL_WINDOWEVENT_EXPOSED ||
		       e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED;
	case SDL_RENDER_DEVICE_RESET:
		tqk_ui_cache_clear(&ui->cache);   /* every texture is gone */
		return true;
	case SDL_RENDER_TARGETS_RESET:
		return true;
	default:
		return false;
	}
}
