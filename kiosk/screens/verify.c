/*
 * verify.c - the clerk's verification of one application, in three tabs:
 * the comparison (the application against the ID card and the scanned
 * certificate, every mismatch highlighted, any row corrected with old ->
 * new recorded), the materials (具备 / 不具备, prefilled by the seed's
 * rules with the reason shown), and the conclusion (材料齐全 / 材料不齐全 /
 * 网报未受理 with a reason, a message to the applicant, confirm).
 */
#include <stdio.h>

#include "i18n.h"
#include "ime_labels.h"
#include "screens.h"

static tqk_action compare(tqk_ui *ui, tqk_view_verify *v, tqk_lang L, tqk_rect b)
{
	tqk_action a = {TQK_ACT_NONE, 0};
	int y = b.y;
	static const int widths[] = {200, 420, 420};
	const char *head[] = {tqk_tr(L, "Item"), tqk_tr(L, "Application"),
	                      tqk_tr(L, "ID card / certificate")};
	tqk_ui_row(ui, "verify.head", (tqk_rect){b.x, y, b.w - 150, 40}, head, widths, 3, false);
	y += 44;
	for (size_t i = 0; i < v->n_rows; i++) {
		tqk_view_compare *r = &v->rows[i];
		char app[TQK_TEXT_CAP + 16], id[48];
		snprintf(app, sizeof app, "%s%s", r->app, r->corrected ? tqk_tr(L, " (corrected)") : "");
		const char *cols[] = {r->label, app, r->other};
		snprintf(id, sizeof id, "verify.row.%zu", i);
		tqk_rect rr = {b.x, y, b.w - 150, 48};
		tqk_ui_row(ui, id, rr, cols, widths, 3, false);
		if (r->mismatch)
			tqk_ui_frame(ui, rr, TQK_C_WARN, 3);
		snprintf(id, sizeof id, "verify.edit.%zu", i);
		if (tqk_ui_button(ui, id, (tqk_rect){b.x + b.w - 140, y - 4, 140, 56}, TQK_BTN_NORMAL,
		                  tqk_tr(L, "Correct")))
			a = tqk_act(TQK_ACT_EDIT, (int)i);
		y += 58;
	}
	y += 4;
	y += tqk_ui_text(ui, (tqk_rect){b.x, y, b.w, 36}, TQK_FONT_SMALL, TQK_C_MUTED, TQK_ALIGN_LEFT,
	                 v->card_note);
	if (v->duplicate[0] != '\0')
		tqk_ui_text(ui, (tqk_rect){b.x, y, b.w, 36}, TQK_FONT_SMALL, TQK_C_BAD, TQK_ALIGN_LEFT,
		            v->duplicate);
	return a;
}

static tqk_action edit_box(tqk_ui *ui, tqk_view_verify *v, tqk_lang L, tqk_rect b)
{
	tqk_action a = {TQK_ACT_NONE, 0};
	const tqk_view_compare *r = &v->rows[v->editing];
	char line[TQK_TEXT_CAP + 64];
	snprintf(line, sizeof line, "%s %s: %s", tqk_tr(L, "Correct"), r->label, r->app);
	tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT, line);
	if (tqk_ui_field(ui, "verify.edit", (tqk_rect){b.x, b.y + 48, b.w - 440, TQK_UI_BUTTON_H},
	                 v->edit, sizeof v->edit, 0, tqk_tr(L, "New value")))
		a = tqk_act(TQK_ACT_EDIT_OK, 0);
	if (tqk_ui_button(ui, "verify.edit.ok", (tqk_rect){b.x + b.w - 420, b.y + 48, 200,
	                                                   TQK_UI_BUTTON_H},
	                  TQK_BTN_PRIMARY, tqk_tr(L, "Save correction")))
		a = tqk_act(TQK_ACT_EDIT_OK, 0);
	if (tqk_ui_button(ui, "verify.edit.cancel", (tqk_rect){b.x + b.w - 200, b.y + 48, 200,
	                                                       TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, tqk_tr(L, "Cancel")))
		a = tqk_act(TQK_ACT_EDIT_CANCEL, 0);
	if (v->error[0] != '\0')
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 120, b.w, 36}, TQK_FONT_SMALL, TQK_C_BAD,
		            TQK_ALIGN_LEFT, v->error);
	/* Numbers, dates and codes on the letter keyboard; names and the
	 * other texts with pinyin. */
	tqk_rect k = {b.x, b.y + 160, b.w, b.h - 160};
	bool plain = r->field == TQK_F_ID_NUMBER || r->field == TQK_F_CERT_NO ||
	             r->field == TQK_F_CERT_ID || r->field == TQK_F_CERT_ISSUED ||
	             r->field == TQK_F_WORK_START || r->field == TQK_F_EMAIL ||
	             r->field == TQK_F_SITE || r->field == TQK_F_QUALIFICATION ||
	             r->field == TQK_F_POST || r->field == TQK_F_SCHOOL_AREA;
	tqk_ui_ime_labels ime = tqk_ime_labels(L);
	if (plain ? tqk_ui_keyboard(ui, k, tqk_tr(L, "OK"), tqk_tr(L, "Delete"))
	          : tqk_ui_keyboard_ime(ui, k, &ime))
		a = tqk_act(TQK_ACT_EDIT_OK, 0);
	return a;
}

#define TOGGLE_W 200     /* a material's 具备 / 不具备 pair */

static tqk_action materials(tqk_ui *ui, tqk_view_verify *v, tqk_lang L, tqk_rect b)
{
	tqk_action a = {TQK_ACT_NONE, 0};
	int col = (b.w - 24) / 2, y0 = b.y, row = 0;
	for (int m = 0; m < TQK_MAT_COUNT; m++) {
		int x = b.x + (row % 2) * (col + 24), y = y0 + (row / 2) * 92;
		row++;
		tqk_ui_fill(ui, (tqk_rect){x, y, col, 84}, TQK_C_PANEL);
		/* The name on up to two lines, the rule (or why the rules set
		 * it) on the lines the name leaves. */
		int tw = col - 28 - TOGGLE_W, lh = 0;
		tqk_ui_measure(ui, TQK_FONT_SMALL, "", NULL, &lh);
		int nh = tqk_ui_text(ui, (tqk_rect){x + 8, y + 2, tw, 2 * lh}, TQK_FONT_SMALL, TQK_C_TEXT,
		                     TQK_ALIGN_LEFT, v->mat_name[m]);
		nh = nh < 2 * lh ? nh : 2 * lh;
		const char *note = v->mat_note[m] != NULL ? v->mat_note[m] : v->mat_rule[m];
		tqk_ui_text(ui, (tqk_rect){x + 8, y + 2 + nh, tw, (80 - nh) / lh * lh}, TQK_FONT_SMALL,
		            v->mat_note[m] != NULL ? TQK_C_PRIMARY : TQK_C_MUTED, TQK_ALIGN_LEFT, note);
		tqk_rect t = {x + col - TOGGLE_W - 8, y + 10, TOGGLE_W, TQK_UI_BUTTON_H};
		if (v->na[m]) {
			tqk_ui_text(ui, (tqk_rect){t.x, t.y + 16, t.w, 36}, TQK_FONT_BODY, TQK_C_MUTED,
			            TQK_ALIGN_CENTER, tqk_tr(L, "Not needed"));
			continue;
		}
		char id[48];
		snprintf(id, sizeof id, "verify.mat.%d", m);
		if (tqk_ui_toggle(ui, id, t, tqk_tr(L, "Has"), tqk_tr(L, "Lacks"), &v->marks[m]))
			a = tqk_act(TQK_ACT_MARKS, 0);
	}
	return a;
}

static tqk_action conclude(tqk_ui *ui, tqk_view_verify *v, tqk_lang L, tqk_rect b)
{
	tqk_action a = {TQK_ACT_NONE, 0};
	tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT,
	            v->derived);
	static const tqk_conclusion choices[] = {TQK_CONC_COMPLETE, TQK_CONC_INCOMPLETE,
	                                         TQK_CONC_NOT_ACCEPTED};
	static const char *const labels[] = {N_("Materials complete"), N_("Materials incomplete"),
	                                     N_("Not accepted (e.g. duplicate)")};
	int bw = (b.w - 32) / 3;
	for (int i = 0; i < 3; i++) {
		char id[48];
		snprintf(id, sizeof id, "verify.conc.%d", i);
		if (tqk_ui_button(ui, id, (tqk_rect){b.x + i * (bw + 16), b.y + 48, bw, TQK_UI_BUTTON_H},
		                  v->conclusion == (int)choices[i] ? TQK_BTN_PRIMARY : TQK_BTN_NORMAL,
		                  tqk_tr(L, labels[i]))) {
			v->conclusion = (int)choices[i];
			a = tqk_act(TQK_ACT_REDRAW, 0);
		}
	}
	int y = b.y + 128;
	tqk_ui_text(ui, (tqk_rect){b.x, y, 300, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT,
	            tqk_tr(L, "Reason (not accepted):"));
	(void)tqk_ui_field(ui, "verify.remark", (tqk_rect){b.x + 300, y - 12, b.w - 300, TQK_UI_BUTTON_H},
	                   v->remark, sizeof v->remark, 0, tqk_tr(L, "e.g. duplicate registration"));
	y += 72;
	tqk_ui_text(ui, (tqk_rect){b.x, y, 300, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT,
	            tqk_tr(L, "Message to the applicant:"));
	(void)tqk_ui_field(ui, "verify.message", (tqk_rect){b.x + 300, y - 12, b.w - 300,
	                                                    TQK_UI_BUTTON_H},
	                   v->message, sizeof v->message, 0, tqk_tr(L, "shown at the kiosk and online"));
	y += 72;
	if (v->error[0] != '\0')
		y += tqk_ui_text(ui, (tqk_rect){b.x, y, b.w, 64}, TQK_FONT_BODY, TQK_C_BAD, TQK_ALIGN_LEFT,
		                 v->error);
	if (tqk_ui_button(ui, "verify.confirm", (tqk_rect){b.x + b.w - 320, b.y + b.h - TQK_UI_BUTTON_H,
	                                                   320, TQK_UI_BUTTON_H},
	                  v->conclusion != TQK_CONC_NONE ? TQK_BTN_PRIMARY : TQK_BTN_DISABLED,
	                  tqk_tr(L, "Confirm and save")))
		a = tqk_act(TQK_ACT_CONFIRM, 0);
	return a;
}

tqk_action tqk_scr_verify(tqk_ui *ui, tqk_view *vw, int w, int h)
{
	tqk_action a = tqk_chrome_draw(ui, &vw->chrome, w, h, false);
	tqk_rect b = tqk_body(w, h);
	tqk_lang L = vw->chrome.lang;
	tqk_view_verify *v = &vw->verify;
	char line[256];
	snprintf(line, sizeof line, "%s  %s", v->name, v->reg_no);
	tqk_ui_text(ui, (tqk_rect){b.x, b.y + 12, 420, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT,
	            line);
	static const char *const tabs[] = {N_("Compare"), N_("Materials"), N_("Conclusion")};
	for (int i = 0; i < 3; i++) {
		char id[48];
		snprintf(id, sizeof id, "verify.tab.%d", i);
		if (tqk_ui_button(ui, id, (tqk_rect){b.x + 440 + i * 196, b.y, 180, TQK_UI_BUTTON_H},
		                  v->tab == i ? TQK_BTN_PRIMARY : TQK_BTN_NORMAL, tqk_tr(L, tabs[i]))) {
			v->tab = i;
			v->editing = -1;
			a = tqk_act(TQK_ACT_REDRAW, 0);
		}
	}
	if (tqk_ui_button(ui, "verify.back", (tqk_rect){b.x + b.w - 150, b.y, 150, TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, tqk_tr(L, "Back")))
		a = tqk_act(TQK_ACT_BACK, 0);
	tqk_rect in = {b.x, b.y + TQK_UI_BUTTON_H + 16, b.w, b.h - TQK_UI_BUTTON_H - 16};
	tqk_action t;
	if (v->editing >= 0)
		t = edit_box(ui, v, L, in);
	else if (v->tab == TQK_VERIFY_MATERIALS)
		t = materials(ui, v, L, in);
	else if (v->tab == TQK_VERIFY_CONCLUDE)
		t = conclude(ui, v, L, in);
	else
		t = compare(ui, v, L, in);
	return tqk_act_or(t, a);
}

tqk_action tqk_scr_done(tqk_ui *ui, tqk_view *vw, int w, int h)
{
	tqk_action a = tqk_chrome_draw(ui, &vw->chrome, w, h, false);
	tqk_rect b = tqk_body(w, h);
	tqk_lang L = vw->chrome.lang;
	const tqk_view_done *d = &vw->done;
	char line[256];
	snprintf(line, sizeof line, "%s · %s  %s", tqk_tr(L, "Saved"), d->name, d->reg_no);
	tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w, 48}, TQK_FONT_TITLE, TQK_C_OK, TQK_ALIGN_CENTER, line);
	tqk_ui_text(ui, (tqk_rect){b.x, b.y + 56, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_CENTER,
	            d->conclusion);
	if (d->archive_no[0] != '\0') {
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 100, b.w, 32}, TQK_FONT_SMALL, TQK_C_MUTED,
		            TQK_ALIGN_CENTER, tqk_tr(L, "Archive number (write it on the bag):"));
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 130, b.w, 120}, TQK_FONT_HUGE, TQK_C_PRIMARY,
		            TQK_ALIGN_CENTER, d->archive_no);
	}
	tqk_ui_text(ui, (tqk_rect){b.x + 100, b.y + 260, b.w - 200, 120}, TQK_FONT_BODY, TQK_C_TEXT,
	            TQK_ALIGN_CENTER, d->next_steps);
	int by = b.y + b.h - TQK_UI_BUTTON_H;
	tqk_print_line(ui, &vw->print, (tqk_rect){b.x, by - 72, b.w, 64});
	if (d->archive_no[0] != '\0' &&
	    tqk_print_button(ui, &vw->print, "done.cover", (tqk_rect){b.x, by, 360, TQK_UI_BUTTON_H},
	                     tqk_tr(L, "Print bag cover")))
		a = tqk_act(TQK_ACT_PRINT, TQK_PRINT_ARG(TQK_DOC_COVER, 0));
	if (tqk_print_button(ui, &vw->print, "done.receipt",
	                     (tqk_rect){b.x + 380, by, 360, TQK_UI_BUTTON_H},
	                     tqk_tr(L, "Print receipt")))
		a = tqk_act(TQK_ACT_PRINT, TQK_PRINT_ARG(TQK_DOC_RECEIPT, 0));
	if (tqk_ui_button(ui, "done.next", (tqk_rect){b.x + b.w - 300, by, 300, TQK_UI_BUTTON_H},
	                  TQK_BTN_PRIMARY, tqk_tr(L, "Next applicant")))
		a = tqk_act(TQK_ACT_BACK, 0);
	return a;
}
