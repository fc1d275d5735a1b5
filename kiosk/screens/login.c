/*
 * login.c - the clerk's login: the clerks of this site as buttons, then the
 * PIN on the keypad. A locked clerk is told for how long.
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"

tqk_action tqk_scr_login(tqk_ui *ui, tqk_view *v, int w, int h)
{
	tqk_action a = tqk_chrome_draw(ui, &v->chrome, w, h, true);
	tqk_rect b = tqk_body(w, h);
	tqk_lang L = v->chrome.lang;
	tqk_view_login *g = &v->login;
	tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w / 2, 48}, TQK_FONT_TITLE, TQK_C_TEXT, TQK_ALIGN_LEFT,
	            tqk_tr(L, "Clerk login"));
	if (g->n == 0)
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 64, b.w / 2 - 32, 120}, TQK_FONT_BODY, TQK_C_BAD,
		            TQK_ALIGN_LEFT,
		            tqk_tr(L, "No clerk accounts yet: the kiosk gets them at its first sync."));
	/* The clerks, two columns of buttons on the left half. */
	int cw = (b.w / 2 - 48) / 2;
	for (size_t i = 0; i < g->n; i++) {
		char id[48];
		snprintf(id, sizeof id, "login.clerk.%zu", i);
		tqk_rect r = {b.x + (int)(i % 2) * (cw + 16), b.y + 64 + (int)(i / 2) * (TQK_UI_BUTTON_H + 12),
		              cw, TQK_UI_BUTTON_H};
		if (tqk_ui_button(ui, id, r, (int)i == g->selected ? TQK_BTN_PRIMARY : TQK_BTN_NORMAL,
		                  g->names[i]))
			a = tqk_act(TQK_ACT_LOGIN_PICK, (int)i);
	}
	/* The PIN and the keypad on the right half. */
	int x = b.x + b.w / 2 + 16, kw = b.w / 2 - 16;
	if (g->selected < 0) {
		tqk_ui_text(ui, (tqk_rect){x, b.y + 64, kw, 40}, TQK_FONT_BODY, TQK_C_MUTED, TQK_ALIGN_LEFT,
		            tqk_tr(L, "Choose your name first."));
		return a;
	}
	if (g->locked_left > 0) {
		char line[160];
		snprintf(line, sizeof line, tqk_tr(L, "Too many wrong PINs: locked for %ld min %ld s."),
		         g->locked_left / 60, g->locked_left % 60);
		tqk_ui_text(ui, (tqk_rect){x, b.y + 64, kw, 80}, TQK_FONT_BODY, TQK_C_BAD, TQK_ALIGN_LEFT,
		            line);
		return a;
	}
	if (tqk_ui_field(ui, "login.pin", (tqk_rect){x, b.y + 56, kw, TQK_UI_BUTTON_H}, g->pin,
	                 sizeof g->pin, TQK_FIELD_SECRET | TQK_FIELD_DIGITS, tqk_tr(L, "PIN")))
		a = tqk_act(TQK_ACT_LOGIN, 0);
	if (g->message[0] != '\0')
		tqk_ui_text(ui, (tqk_rect){x, b.y + 128, kw, 36}, TQK_FONT_SMALL, TQK_C_BAD, TQK_ALIGN_LEFT,
		            g->message);
	if (tqk_ui_keypad(ui, (tqk_rect){x, b.y + 168, kw, b.h - 168}, tqk_tr(L, "OK"),
	                  tqk_tr(L, "Delete")))
		a = tqk_act(TQK_ACT_LOGIN, 0);
	return a;
}
