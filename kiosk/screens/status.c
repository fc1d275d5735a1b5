/*
 * status.c - the teacher's status after an ID card or a barcode: name,
 * each registration number with its state in plain words, the messages of
 * the site and the institution, the exact materials to bring, what to do
 * next. It clears itself (app.c counts the seconds it shows).
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"

static int app_block(tqk_ui *ui, tqk_lang L, const tqk_view_app *a, tqk_rect r)
{
	int y = r.y;
	char line[512];
	snprintf(line, sizeof line, "%s %s", tqk_tr(L, "Registration number:"), a->reg_no);
	y += tqk_ui_text(ui, (tqk_rect){r.x, y, r.w, 40}, TQK_FONT_BODY, TQK_C_MUTED, TQK_ALIGN_LEFT, line);
	y += tqk_ui_text(ui, (tqk_rect){r.x, y, r.w, 96}, TQK_FONT_TITLE, TQK_C_PRIMARY, TQK_ALIGN_LEFT,
	                 a->state) + 4;
	if (a->next[0] != '\0')
		y += tqk_ui_text(ui, (tqk_rect){r.x, y, r.w, 80}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT,
		                 a->next) + 8;
	const char *msgs[3][2] = {{N_("Message from the site:"), a->site_message},
	                          {N_("Message from the registration institution:"), a->inst_message},
	                          {N_("Remark:"), a->remark}};
	for (int i = 0; i < 3; i++) {
		if (msgs[i][1][0] == '\0')
			continue;
		snprintf(line, sizeof line, "%s %s", tqk_tr(L, msgs[i][0]), msgs[i][1]);
		y += tqk_ui_text(ui, (tqk_rect){r.x, y, r.w, 90}, TQK_FONT_BODY, TQK_C_WARN, TQK_ALIGN_LEFT,
		                 line) + 4;
	}
	if (a->n_bring > 0) {
		y += tqk_ui_text(ui, (tqk_rect){r.x, y, r.w, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT,
		                 tqk_tr(L, "Bring these materials:")) + 2;
		for (size_t i = 0; i < a->n_bring; i++) {
			snprintf(line, sizeof line, "%zu. %s", i + 1, a->bring[i]);
			y += tqk_ui_text(ui, (tqk_rect){r.x + 24, y, r.w - 24, 60}, TQK_FONT_SMALL, TQK_C_TEXT,
			                 TQK_ALIGN_LEFT, line);
		}
	}
	return y - r.y;
}

tqk_action tqk_scr_status(tqk_ui *ui, tqk_view *v, int w, int h)
{
	tqk_action a = tqk_chrome_draw(ui, &v->chrome, w, h, true);
	tqk_rect b = tqk_body(w, h);
	tqk_lang L = v->chrome.lang;
	const tqk_view_status *s = &v->status;
	char line[256];
	if (s->n_apps == 0) {
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 40, b.w, 56}, TQK_FONT_TITLE, TQK_C_BAD,
		            TQK_ALIGN_CENTER, tqk_tr(L, "No application found"));
		snprintf(line, sizeof line, "%s %s", tqk_tr(L, "Looked up:"), s->looked_up);
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 110, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT,
		            TQK_ALIGN_CENTER, line);
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 160, b.w, 80}, TQK_FONT_BODY, TQK_C_MUTED,
		            TQK_ALIGN_CENTER,
		            s->can_apply ? tqk_tr(L, "You have not applied yet: you can apply here now.")
		                         : tqk_tr(L, "Please ask the clerk at the counter."));
		if (s->can_apply &&
		    tqk_ui_button(ui, "status.apply", (tqk_rect){b.x + (b.w - 360) / 2, b.y + 260, 360,
		                                                 TQK_UI_BUTTON_H},
		                  TQK_BTN_PRIMARY, tqk_tr(L, "Apply here")))
			a = tqk_act(TQK_ACT_WALKIN, 0);
	} else {
		snprintf(line, sizeof line, "%s  %s", s->name, s->id_masked);
		tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w, 48}, TQK_FONT_TITLE, TQK_C_TEXT, TQK_ALIGN_LEFT,
		            line);
		int y = b.y + 56;
		if (s->duplicate) {
			y += tqk_ui_text(ui, (tqk_rect){b.x, y, b.w, 64}, TQK_FONT_BODY, TQK_C_BAD,
			                 TQK_ALIGN_LEFT,
			                 tqk_tr(L, "You have more than one registration number: the clerk "
			                           "will accept only one.")) + 8;
		}
		int col = s->n_apps > 1 ? (b.w - 32) / 2 : b.w;
		for (size_t i = 0; i < s->n_apps && i < 2; i++) {
			tqk_rect r = {b.x + (int)i * (col + 32), y, col, b.y + b.h - y - 40};
			tqk_ui_fill(ui, r, TQK_C_PANEL);
			app_block(ui, L, &s->apps[i], (tqk_rect){r.x + 16, r.y + 12, r.w - 32, r.h - 24});
			char id[32];
			snprintf(id, sizeof id, "status.change.%zu", i);
			if (s->apps[i].can_change &&
			    tqk_ui_button(ui, id, (tqk_rect){r.x + r.w - 316, r.y + r.h - 80, 300,
			                                     TQK_UI_BUTTON_H},
			                  TQK_BTN_PRIMARY, tqk_tr(L, "Change my application")))
				a = tqk_act(TQK_ACT_WI_CHANGE, (int)i);
			tqk_rect pb = {r.x + 16, r.y + r.h - 80, 220, TQK_UI_BUTTON_H};
			snprintf(id, sizeof id, "status.form.%zu", i);
			if (s->apps[i].can_print &&
			    tqk_print_button(ui, &v->print, id, pb, tqk_tr(L, "Print my form")))
				a = tqk_act(TQK_ACT_PRINT, TQK_PRINT_ARG(TQK_DOC_FORM, (int)i));
			snprintf(id, sizeof id, "status.receipt.%zu", i);
			pb.x += pb.w + 16;
			if (s->apps[i].can_print && s->apps[i].concluded &&
			    tqk_print_button(ui, &v->print, id, pb, tqk_tr(L, "Print my receipt")))
				a = tqk_act(TQK_ACT_PRINT, TQK_PRINT_ARG(TQK_DOC_RECEIPT, (int)i));
		}
	}
	tqk_print_line(ui, &v->print, (tqk_rect){b.x, b.y + b.h - 36, b.w - 260, 36});
	snprintf(line, sizeof line, tqk_tr(L, "This screen clears itself in %d s."), s->seconds_left);
	tqk_ui_text(ui, (tqk_rect){b.x, b.y + b.h - 28, b.w, 28}, TQK_FONT_SMALL, TQK_C_MUTED,
	            TQK_ALIGN_RIGHT, line);
	return a;
}
