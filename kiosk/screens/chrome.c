/*
 * chrome.c - the strip around every screen (screens.h): the site's name,
 * the date and time, the opening hours, 演示模式 in demo mode, the upload
 * indicator (pending records, offline), the language switch, the clerk
 * logged in, and a passing notice.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "screens.h"

const tqk_screen_def tqk_screens[TQK_SCR_COUNT] = {
	[TQK_SCR_IDLE] = {"idle", tqk_scr_idle, false},
	[TQK_SCR_CLOSED] = {"closed", tqk_scr_closed, false},
	[TQK_SCR_STATUS] = {"status", tqk_scr_status, true},
	[TQK_SCR_LOGIN] = {"login", tqk_scr_login, false},
	[TQK_SCR_LIST] = {"list", tqk_scr_list, true},
	[TQK_SCR_SYNC] = {"sync", tqk_scr_sync, true},
	[TQK_SCR_ADMIN] = {"admin", tqk_scr_admin, false},
	[TQK_SCR_VERIFY] = {"verify", tqk_scr_verify, true},
	[TQK_SCR_DONE] = {"done", tqk_scr_done, true},
	[TQK_SCR_WALKIN] = {"walkin", tqk_scr_walkin, true},
};

tqk_rect tqk_body(int w, int h)
{
	return (tqk_rect){TQK_MARGIN, TQK_TOP + 16, w - 2 * TQK_MARGIN, h - TQK_TOP - TQK_BOTTOM - 32};
}

tqk_action tqk_chrome_draw(tqk_ui *ui, const tqk_chrome *c, int w, int h, bool home)
{
	tqk_lang L = c->lang;
	tqk_action act = {TQK_ACT_NONE, 0};
	tqk_ui_fill(ui, (tqk_rect){0, 0, w, TQK_TOP}, TQK_C_PRIMARY);
	tqk_ui_text(ui, (tqk_rect){TQK_MARGIN, 10, w / 2, 44}, TQK_FONT_TITLE, TQK_C_PANEL,
	            TQK_ALIGN_LEFT, c->site_name);
	char line[160];
	snprintf(line, sizeof line, "%s  %s %s", c->now, tqk_tr(L, "Opening hours"), c->hours);
	tqk_ui_text(ui, (tqk_rect){TQK_MARGIN, 54, w / 2, 30}, TQK_FONT_SMALL, TQK_C_PANEL,
	            TQK_ALIGN_LEFT, line);
	if (c->demo) {
		tqk_rect d = {w / 2 - 110, 18, 220, 52};
		tqk_ui_fill(ui, d, TQK_C_DEMO);
		tqk_ui_text(ui, (tqk_rect){d.x, d.y + 10, d.w, 36}, TQK_FONT_BODY, TQK_C_PANEL,
		            TQK_ALIGN_CENTER, tqk_tr(L, "DEMO MODE"));
	}
	/* The language switch names the other language in its own words. */
	if (tqk_ui_button(ui, "chrome.lang", (tqk_rect){w - TQK_MARGIN - 150, 12, 150, TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, L == TQK_LANG_EN ? "中文" : "English"))
		act = tqk_act(TQK_ACT_LANG, 0);
	if (home && tqk_ui_button(ui, "chrome.home",
	                          (tqk_rect){w - TQK_MARGIN - 330, 12, 170, TQK_UI_BUTTON_H},
	                          TQK_BTN_NORMAL, tqk_tr(L, "Home")))
		act = tqk_act(TQK_ACT_HOME, 0);

	/* The footer: uploads, the clerk, the notice. */
	int fy = h - TQK_BOTTOM;
	tqk_ui_fill(ui, (tqk_rect){0, fy, w, TQK_BOTTOM}, TQK_C_PANEL);
	if (c->online)
		snprintf(line, sizeof line, "%s %ld", tqk_tr(L, "Waiting for upload:"), c->pending);
	else
		snprintf(line, sizeof line, "%s %ld · %s", tqk_tr(L, "Waiting for upload:"), c->pending,
		         tqk_tr(L, "offline"));
	if (c->rejected > 0) {
		size_t n = strlen(line);
		snprintf(line + n, sizeof line - n, " · %s %ld", tqk_tr(L, "refused:"), c->rejected);
	}
	tqk_color ind = c->rejected > 0 ? TQK_C_BAD : c->online ? TQK_C_OK : TQK_C_WARN;
	tqk_ui_fill(ui, (tqk_rect){TQK_MARGIN, fy + 24, 16, 16}, ind);
	tqk_ui_text(ui, (tqk_rect){TQK_MARGIN + 28, fy + 18, 520, 30}, TQK_FONT_SMALL, TQK_C_MUTED,
	            TQK_ALIGN_LEFT, line);
	if (c->clerk[0] != '\0') {
		snprintf(line, sizeof line, "%s %s", tqk_tr(L, "Clerk:"), c->clerk);
		tqk_ui_text(ui, (tqk_rect){w - TQK_MARGIN - 360, fy + 18, 360, 30}, TQK_FONT_SMALL,
		            TQK_C_MUTED, TQK_ALIGN_RIGHT, line);
	}
	return act;
}

void tqk_chrome_notice(tqk_ui *ui, const tqk_chrome *c, int w, int h)
{
	if (c->notice[0] == '\0')
		return;
	/* Over the footer, which has no buttons: it hides nothing one touches. */
	tqk_rect n = {0, h - TQK_BOTTOM, w, TQK_BOTTOM};
	tqk_ui_fill(ui, n, c->notice_bad ? TQK_C_BAD : TQK_C_OK);
	int lh = 0;
	tqk_ui_measure(ui, TQK_FONT_BODY, "", NULL, &lh);
	tqk_ui_text(ui, (tqk_rect){n.x + 16, n.y + (n.h - lh) / 2, n.w - 32, lh}, TQK_FONT_BODY,
	            TQK_C_PANEL, TQK_ALIGN_CENTER, c->notice);
}

void tqk_print_line(tqk_ui *ui, const tqk_view_print *v, tqk_rect r)
{
	if (v->text[0] != '\0')
		tqk_ui_text(ui, r, TQK_FONT_SMALL, v->colour, TQK_ALIGN_LEFT, v->text);
}

bool tqk_print_button(tqk_ui *ui, const tqk_view_print *v, const char *id, tqk_rect r,
                      const char *label)
{
	return tqk_ui_button(ui, id, r, v->busy ? TQK_BTN_DISABLED : TQK_BTN_NORMAL, label) &&
	       !v->busy;
}
