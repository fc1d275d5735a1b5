/*
 * sync.c - the upload status (for the clerk and the administrator): what
 * waits, what the server refused and why, the last successful sync, the
 * trusted clock; "sync now" retries everything, the refused included.
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"

tqk_action tqk_scr_sync(tqk_ui *ui, tqk_view *v, int w, int h)
{
	tqk_action a = tqk_chrome_draw(ui, &v->chrome, w, h, true);
	tqk_rect b = tqk_body(w, h);
	tqk_lang L = v->chrome.lang;
	const tqk_view_sync *s = &v->sync;
	char line[512];
	tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w, 48}, TQK_FONT_TITLE, TQK_C_TEXT, TQK_ALIGN_LEFT,
	            tqk_tr(L, "Upload status"));
	int y = b.y + 60;
	snprintf(line, sizeof line, "%s %ld", tqk_tr(L, "Waiting for upload:"), s->pending);
	y += tqk_ui_text(ui, (tqk_rect){b.x, y, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT, line);
	snprintf(line, sizeof line, "%s %s", tqk_tr(L, "Last successful sync:"),
	         s->last_ok[0] != '\0' ? s->last_ok : tqk_tr(L, "never"));
	y += tqk_ui_text(ui, (tqk_rect){b.x, y, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT, line);
	snprintf(line, sizeof line, "%s %s", tqk_tr(L, "Clock:"), s->clock);
	y += tqk_ui_text(ui, (tqk_rect){b.x, y, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT, line);
	if (s->detail[0] != '\0') {
		snprintf(line, sizeof line, "%s %s", tqk_tr(L, "Last problem:"), s->detail);
		y += tqk_ui_text(ui, (tqk_rect){b.x, y, b.w, 64}, TQK_FONT_SMALL, TQK_C_WARN,
		                 TQK_ALIGN_LEFT, line);
	}
	y += 12;
	snprintf(line, sizeof line, "%s %ld", tqk_tr(L, "Refused by the server:"), s->rejected);
	y += tqk_ui_text(ui, (tqk_rect){b.x, y, b.w, 40}, TQK_FONT_BODY,
	                 s->rejected > 0 ? TQK_C_BAD : TQK_C_TEXT, TQK_ALIGN_LEFT, line);
	for (size_t i = 0; i < s->n_rejected; i++) {
		snprintf(line, sizeof line, "%s  %s", s->rejected_reg[i], s->rejected_why[i]);
		y += tqk_ui_text(ui, (tqk_rect){b.x + 24, y, b.w - 24, 36}, TQK_FONT_SMALL, TQK_C_TEXT,
		                 TQK_ALIGN_LEFT, line);
	}
	if (tqk_ui_button(ui, "sync.now", (tqk_rect){b.x, b.y + b.h - TQK_UI_BUTTON_H, 320,
	                                             TQK_UI_BUTTON_H},
	                  TQK_BTN_PRIMARY, tqk_tr(L, "Sync now (retry refused)")))
		a = tqk_act(TQK_ACT_SYNC_NOW, 0);
	return a;
}
