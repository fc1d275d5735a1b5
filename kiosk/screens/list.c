/*
 * list.c - the clerk's list of this site's applications (核对网络填报数据):
 * 50 a page, a search by name, ID number or registration number, a filter
 * by state, duplicates marked.
 */
#include <stdio.h>

#include "core/state.h"
#include "i18n.h"
#include "screens.h"

/* The filters offered: every state, then those a clerk looks for, with
 * names short enough for a button. */
static const struct {
	tqk_state state;
	const char *label;
} filters[] = {
	{TQK_ST_NONE, N_("All")},
	{TQK_ST_SUBMITTED, N_("Waiting")},
	{TQK_ST_SITE_INCOMPLETE, N_("Incomplete")},
	{TQK_ST_CONFIRMED, N_("Confirmed")},
	{TQK_ST_NOT_ACCEPTED, N_("Not accepted")},
};

/* A state in a list cell: the short names of the filters where there is
 * one, the full label otherwise. */
static const char *short_state(tqk_state st, tqk_lang L)
{
	for (size_t i = 1; i < sizeof filters / sizeof filters[0]; i++)
		if (filters[i].state == st)
			return tqk_tr(L, filters[i].label);
	return tqk_state_label(st, L);
}

#define ROW_H 44

tqk_action tqk_scr_list(tqk_ui *ui, tqk_view *v, int w, int h)
{
	tqk_action a = tqk_chrome_draw(ui, &v->chrome, w, h, false);
	tqk_rect b = tqk_body(w, h);
	tqk_lang L = v->chrome.lang;
	tqk_view_list *l = &v->list;
	if (tqk_ui_field(ui, "list.search", (tqk_rect){b.x, b.y, 420, TQK_UI_BUTTON_H}, l->search,
	                 sizeof l->search, 0, tqk_tr(L, "Name, ID number or registration number")))
		a = tqk_act(TQK_ACT_LIST_SEARCH, 0);
	if (tqk_ui_button(ui, "list.go", (tqk_rect){b.x + 432, b.y, 120, TQK_UI_BUTTON_H},
	                  TQK_BTN_PRIMARY, tqk_tr(L, "Search")))
		a = tqk_act(TQK_ACT_LIST_SEARCH, 0);
	int fx = b.x + 572;
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		char id[48];
		snprintf(id, sizeof id, "list.filter.%zu", i);
		int fw = (b.x + b.w - fx - 4 * 8) / 5;
		if (tqk_ui_button(ui, id, (tqk_rect){fx + (int)i * (fw + 8), b.y, fw, TQK_UI_BUTTON_H},
		                  l->filter == filters[i].state ? TQK_BTN_PRIMARY : TQK_BTN_NORMAL,
		                  tqk_tr(L, filters[i].label)))
			a = tqk_act(TQK_ACT_LIST_FILTER, (int)filters[i].state);
	}
	/* The rows of the page (up to 50): as many as fit, scrolled with the
	 * arrows at the right. */
	static const int widths[] = {230, 150, 300, 330, 146};
	const char *head[] = {tqk_tr(L, "Registration no."), tqk_tr(L, "Name"),
	                      tqk_tr(L, "ID number"), tqk_tr(L, "School"), tqk_tr(L, "State")};
	int y = b.y + TQK_UI_BUTTON_H + 12;
	int lw = b.w - 72;
	tqk_ui_row(ui, "list.head", (tqk_rect){b.x, y, lw, 40}, head, widths, 5, false);
	y += 44;
	int top = y, rows = (b.y + b.h - TQK_UI_BUTTON_H - 12 - y) / (ROW_H + 4);
	const tqk_page *p = l->page;
	int n = p != NULL ? (int)p->n : 0;
	if (l->scroll > n - rows)
		l->scroll = n - rows;
	if (l->scroll < 0)
		l->scroll = 0;
	for (int i = l->scroll; i < n && i < l->scroll + rows; i++) {
		const tqk_app_row *r = &p->rows[i];
		char name[TQK_NAME_CAP + 32], id[48];
		snprintf(name, sizeof name, "%s%s", r->name, l->dup[i] ? tqk_tr(L, " (duplicate)") : "");
		const char *cols[] = {r->reg_no, name, r->id_number, r->school, short_state(r->state, L)};
		snprintf(id, sizeof id, "list.row.%d", i);
		if (tqk_ui_row(ui, id, (tqk_rect){b.x, y, lw, ROW_H}, cols, widths, 5, l->dup[i]))
			a = tqk_act(TQK_ACT_LIST_OPEN, i);
		y += ROW_H + 4;
	}
	int sh = (rows * (ROW_H + 4) - 8) / 2;
	if (tqk_ui_button(ui, "list.up", (tqk_rect){b.x + b.w - 64, top, 64, sh},
	                  l->scroll > 0 ? TQK_BTN_NORMAL : TQK_BTN_DISABLED, "▲")) {
		l->scroll -= rows;
		a = tqk_act_or(a, tqk_act(TQK_ACT_REDRAW, 0));
	}
	if (tqk_ui_button(ui, "list.down", (tqk_rect){b.x + b.w - 64, top + sh + 8, 64, sh},
	                  l->scroll + rows < n ? TQK_BTN_NORMAL : TQK_BTN_DISABLED, "▼")) {
		l->scroll += rows;
		a = tqk_act_or(a, tqk_act(TQK_ACT_REDRAW, 0));
	}
	if (p == NULL || p->n == 0)
		tqk_ui_text(ui, (tqk_rect){b.x, y + 20, b.w, 40}, TQK_FONT_BODY, TQK_C_MUTED,
		            TQK_ALIGN_CENTER, tqk_tr(L, "No applications match."));
	int by = b.y + b.h - TQK_UI_BUTTON_H;
	char line[128];
	snprintf(line, sizeof line, tqk_tr(L, "Page %d"), l->page_no);
	tqk_ui_text(ui, (tqk_rect){b.x, by + 18, 200, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT, line);
	if (tqk_ui_button(ui, "list.first", (tqk_rect){b.x + 200, by, 200, TQK_UI_BUTTON_H},
	                  l->page_no > 1 ? TQK_BTN_NORMAL : TQK_BTN_DISABLED, tqk_tr(L, "First page")))
		a = tqk_act(TQK_ACT_LIST_FIRST, 0);
	if (tqk_ui_button(ui, "list.next", (tqk_rect){b.x + 420, by, 200, TQK_UI_BUTTON_H},
	                  p != NULL && p->more ? TQK_BTN_NORMAL : TQK_BTN_DISABLED,
	                  tqk_tr(L, "Next page")))
		a = tqk_act(TQK_ACT_LIST_NEXT, 0);
	if (tqk_ui_button(ui, "list.sync", (tqk_rect){b.x + b.w - 460, by, 220, TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, tqk_tr(L, "Upload status")))
		a = tqk_act(TQK_ACT_SYNC, 0);
	if (tqk_ui_button(ui, "list.logout", (tqk_rect){b.x + b.w - 220, by, 220, TQK_UI_BUTTON_H},
	                  TQK_BTN_DANGER, tqk_tr(L, "Log out")))
		a = tqk_act(TQK_ACT_LOGOUT, 0);
	if (l->message[0] != '\0')
		tqk_ui_text(ui, (tqk_rect){b.x + 640, by + 18, b.w - 1120, 40}, TQK_FONT_SMALL, TQK_C_BAD,
		            TQK_ALIGN_LEFT, l->message);
	return a;
}
