/*
 * idle.c - the screens nobody is using: idle (how to begin) and closed
 * (outside the opening window: why, and when it opens next; a card or a
 * form's barcode still shows where the teacher stands).
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"

/* The two ways to begin, and the clerk's and the admin's doors. */
static tqk_action begin(tqk_ui *ui, tqk_view *v, tqk_rect b, int top)
{
	tqk_lang L = v->chrome.lang;
	int half = (b.w - 32) / 2;
	tqk_rect card = {b.x, top, half, 220}, form = {b.x + half + 32, top, half, 220};
	tqk_ui_fill(ui, card, TQK_C_PANEL);
	tqk_ui_fill(ui, form, TQK_C_PANEL);
	tqk_ui_text(ui, (tqk_rect){card.x + 24, card.y + 24, card.w - 48, 48}, TQK_FONT_TITLE,
	            TQK_C_PRIMARY, TQK_ALIGN_LEFT, tqk_tr(L, "Put your ID card on the reader"));
	tqk_ui_text(ui, (tqk_rect){card.x + 24, card.y + 90, card.w - 48, 120}, TQK_FONT_BODY,
	            TQK_C_TEXT, TQK_ALIGN_LEFT,
	            tqk_tr(L, "Your application, its state and the materials to bring appear here."));
	tqk_ui_text(ui, (tqk_rect){form.x + 24, form.y + 24, form.w - 48, 48}, TQK_FONT_TITLE,
	            TQK_C_PRIMARY, TQK_ALIGN_LEFT, tqk_tr(L, "Or scan your application form"));
	tqk_ui_text(ui, (tqk_rect){form.x + 24, form.y + 90, form.w - 48, 120}, TQK_FONT_BODY,
	            TQK_C_TEXT, TQK_ALIGN_LEFT,
	            tqk_tr(L, "Hold the barcode or the QR code of the printed form under the scanner."));
	tqk_action a = {TQK_ACT_NONE, 0};
	int by = b.y + b.h - TQK_UI_BUTTON_H;
	if (tqk_ui_button(ui, "idle.clerk", (tqk_rect){b.x, by, 260, TQK_UI_BUTTON_H}, TQK_BTN_NORMAL,
	                  tqk_tr(L, "Clerk")))
		a = tqk_act(TQK_ACT_CLERK, 0);
	if (tqk_ui_button(ui, "idle.sync", (tqk_rect){b.x + 284, by, 260, TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, tqk_tr(L, "Upload status")))
		a = tqk_act(TQK_ACT_SYNC, 0);
	if (v->chrome.open &&
	    tqk_ui_button(ui, "idle.walkin", (tqk_rect){b.x + 568, by, 300, TQK_UI_BUTTON_H},
	                  TQK_BTN_PRIMARY, tqk_tr(L, "Apply here (not applied online)")))
		a = tqk_act(TQK_ACT_WALKIN, 0);
	if (tqk_ui_button(ui, "idle.admin", (tqk_rect){b.x + b.w - 200, by, 200, TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, tqk_tr(L, "Admin")))
		a = tqk_act(TQK_ACT_ADMIN, 0);
	return a;
}

tqk_action tqk_scr_idle(tqk_ui *ui, tqk_view *v, int w, int h)
{
	tqk_action a = tqk_chrome_draw(ui, &v->chrome, w, h, false);
	tqk_rect b = tqk_body(w, h);
	tqk_lang L = v->chrome.lang;
	tqk_ui_text(ui, (tqk_rect){b.x, b.y + 8, b.w, 56}, TQK_FONT_TITLE, TQK_C_TEXT, TQK_ALIGN_CENTER,
	            tqk_tr(L, "Teacher qualification periodic registration: on-site confirmation"));
	return tqk_act_or(a, begin(ui, v, b, b.y + 110));
}

tqk_action tqk_scr_closed(tqk_ui *ui, tqk_view *v, int w, int h)
{
	tqk_action a = tqk_chrome_draw(ui, &v->chrome, w, h, false);
	tqk_rect b = tqk_body(w, h);
	tqk_lang L = v->chrome.lang;
	tqk_ui_text(ui, (tqk_rect){b.x, b.y + 8, b.w, 56}, TQK_FONT_TITLE, TQK_C_BAD, TQK_ALIGN_CENTER,
	            tqk_tr(L, "Confirmation is closed now"));
	char line[256];
	snprintf(line, sizeof line, "%s", v->closed.reason);
	tqk_ui_text(ui, (tqk_rect){b.x, b.y + 64, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_CENTER,
	            line);
	if (v->closed.next_open[0] != '\0')
		snprintf(line, sizeof line, "%s %s", tqk_tr(L, "Opens next:"), v->closed.next_open);
	else
		snprintf(line, sizeof line, "%s", tqk_tr(L, "No further opening in this confirmation period."));
	tqk_ui_text(ui, (tqk_rect){b.x, b.y + 104, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT,
	            TQK_ALIGN_CENTER, line);
	tqk_ui_text(ui, (tqk_rect){b.x, b.y + 150, b.w, 40}, TQK_FONT_SMALL, TQK_C_MUTED,
	            TQK_ALIGN_CENTER,
	            tqk_tr(L, "You can still look up your application with your ID card or form."));
	return tqk_act_or(a, begin(ui, v, b, b.y + 200));
}
