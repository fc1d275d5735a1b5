/*
 * admin.c - the administrator's screen behind the admin PIN: the devices'
 * states (reader, scanner, camera, printer), the version and a summary of
 * the configuration, and the language.
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"

tqk_action tqk_scr_admin(tqk_ui *ui, tqk_view *v, int w, int h)
{
	tqk_action a = tqk_chrome_draw(ui, &v->chrome, w, h, true);
	tqk_rect b = tqk_body(w, h);
	tqk_lang L = v->chrome.lang;
	tqk_view_admin *d = &v->admin;
	tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w, 48}, TQK_FONT_TITLE, TQK_C_TEXT, TQK_ALIGN_LEFT,
	            tqk_tr(L, "Administration"));
	if (!d->unlocked) {
		int x = b.x + b.w / 2 + 16, kw = b.w / 2 - 16;
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 64, b.w / 2 - 32, 80}, TQK_FONT_BODY, TQK_C_TEXT,
		            TQK_ALIGN_LEFT, tqk_tr(L, "Enter the admin PIN."));
		if (d->message[0] != '\0')
			tqk_ui_text(ui, (tqk_rect){b.x, b.y + 150, b.w / 2 - 32, 80}, TQK_FONT_BODY,
			            TQK_C_BAD, TQK_ALIGN_LEFT, d->message);
		if (tqk_ui_field(ui, "admin.pin", (tqk_rect){x, b.y + 56, kw, TQK_UI_BUTTON_H}, d->pin,
		                 sizeof d->pin, TQK_FIELD_SECRET | TQK_FIELD_DIGITS, tqk_tr(L, "PIN")))
			a = tqk_act(TQK_ACT_ADMIN_UNLOCK, 0);
		if (tqk_ui_keypad(ui, (tqk_rect){x, b.y + 140, kw, b.h - 140}, tqk_tr(L, "OK"),
		                  tqk_tr(L, "Delete")))
			a = tqk_act(TQK_ACT_ADMIN_UNLOCK, 0);
		return a;
	}
	int y = b.y + 64;
	for (size_t i = 0; i < d->n; i++) {
		tqk_ui_text(ui, (tqk_rect){b.x, y, 320, 40}, TQK_FONT_BODY, TQK_C_MUTED, TQK_ALIGN_LEFT,
		            d->lines[i][0]);
		y += tqk_ui_text(ui, (tqk_rect){b.x + 330, y, b.w - 330, 60}, TQK_FONT_BODY, TQK_C_TEXT,
		                 TQK_ALIGN_LEFT, d->lines[i][1]) + 6;
	}
	if (tqk_ui_button(ui, "admin.lang", (tqk_rect){b.x, b.y + b.h - TQK_UI_BUTTON_H, 300,
	                                               TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, L == TQK_LANG_EN ? "界面语言：中文" : "Language: English"))
		a = tqk_act(TQK_ACT_LANG, 0);
	if (tqk_ui_button(ui, "admin.sync", (tqk_rect){b.x + 320, b.y + b.h - TQK_UI_BUTTON_H, 300,
	                                               TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, tqk_tr(L, "Upload status")))
		a = tqk_act(TQK_ACT_SYNC, 0);
	return a;
}
