/*
 * walkin.c - the walk-in application's screen: the step's title and
 * number, the step itself (a text to read, the terms to accept, rows of
 * typed fields and choices, a summary), "back" and "next" at the bottom,
 * and over it when asked the editor of one typed field (with the keypad or
 * the keyboard), the picker of one choice (a page of options, level by
 * level, with the levels chosen so far), or the question whether to
 * discard what was typed. What the rules say (which step, what is wrong)
 * is the view's; this only draws it.
 */
#include <stdio.h>

#include "core/walkin.h"
#include "i18n.h"
#include "ime_labels.h"
#include "screens.h"

#define ROW_H 72                /* a field or choice row, with its gap */
#define BTN_W 200

static const char *const step_titles[] = {
	"", N_("Read this first"), N_("Terms"), N_("Certificate and ID numbers"),
	N_("Certificate, institution and teaching"), N_("Confirmation site"),
	N_("The site's notes"), N_("Login and work"), N_("Done"),
};

static const char *const text_labels[TQK_WIT_COUNT] = {
	[TQK_WIT_CERT_NO] = N_("Certificate number"), [TQK_WIT_ID_NUMBER] = N_("ID number"),
	[TQK_WIT_NAME] = N_("Name"), [TQK_WIT_ISSUED] = N_("Issued on (YYYYMMDD)"),
	[TQK_WIT_EMAIL] = N_("Email"), [TQK_WIT_PASSWORD] = N_("Password"),
	[TQK_WIT_PASSWORD2] = N_("Password again"), [TQK_WIT_WORK_START] = N_("Working since (YYYYMMDD)"),
	[TQK_WIT_SCHOOL] = N_("School now"),
};

static const char *const choice_labels[TQK_WIC_COUNT] = {
	[TQK_WIC_QUALIFICATION] = N_("Qualification"),
	[TQK_WIC_AUTHORITY] = N_("Certifying authority"),
	[TQK_WIC_SUBJECT] = N_("Subject on the certificate"), [TQK_WIC_NATION] = N_("Ethnic group"),
	[TQK_WIC_INSTITUTION] = N_("Registration institution"),
	[TQK_WIC_POST] = N_("Stage taught now"), [TQK_WIC_POST_SUBJECT] = N_("Subject taught now"),
	[TQK_WIC_TITLE] = N_("Professional title"), [TQK_WIC_AREA] = N_("School location"),
};

/* One row: the label, the value as a button (a muted one when fixed). */
static bool field_row(tqk_ui *ui, const char *id, tqk_rect r, const char *label, const char *value,
                      bool fixed, tqk_lang L)
{
	tqk_ui_text(ui, (tqk_rect){r.x, r.y + 16, 200, r.h - 16}, TQK_FONT_SMALL, TQK_C_MUTED,
	            TQK_ALIGN_LEFT, label);
	tqk_rect b = {r.x + 204, r.y, r.w - 204, TQK_UI_BUTTON_H};
	if (fixed) {
		tqk_ui_fill(ui, b, TQK_C_PANEL);
		tqk_ui_text(ui, (tqk_rect){b.x + 12, b.y + 16, b.w - 24, 36}, TQK_FONT_BODY, TQK_C_MUTED,
		            TQK_ALIGN_LEFT, value);
		return false;
	}
	return tqk_ui_button(ui, id, b, TQK_BTN_NORMAL, value[0] != '\0' ? value : tqk_tr(L, "Touch to fill in"));
}

static tqk_action text_row(tqk_ui *ui, tqk_view_walkin *v, int which, tqk_rect r, tqk_lang L)
{
	char id[32];
	snprintf(id, sizeof id, "wi.text.%d", which);
	if (field_row(ui, id, r, tqk_tr(L, text_labels[which]), v->value[which], v->fixed[which], L))
		return tqk_act(TQK_ACT_WI_EDIT, which);
	return tqk_act(TQK_ACT_NONE, 0);
}

static tqk_action choice_row(tqk_ui *ui, tqk_view_walkin *v, int which, tqk_rect r, tqk_lang L)
{
	char id[32];
	snprintf(id, sizeof id, "wi.choice.%d", which);
	const char *value = v->choice_na[which] ? tqk_tr(L, "(none to choose)") : v->choice[which];
	if (field_row(ui, id, r, tqk_tr(L, choice_labels[which]), value,
	              v->choice_fixed[which] || v->choice_na[which], L))
		return tqk_act(TQK_ACT_WI_PICK, which);
	return tqk_act(TQK_ACT_NONE, 0);
}

/* Rows in two columns from the top of b: texts[] then choices[] in the
 * order given (a negative entry ends each list). */
static tqk_action rows(tqk_ui *ui, tqk_view_walkin *v, tqk_rect b, const int *items, size_t n,
                       tqk_lang L)
{
	tqk_action a = {TQK_ACT_NONE, 0};
	int col = (b.w - 32) / 2;
	for (size_t i = 0; i < n; i++) {
		tqk_rect r = {b.x + (int)(i % 2) * (col + 32), b.y + (int)(i / 2) * ROW_H, col, ROW_H - 8};
		int it = items[i];
		a = tqk_act_or(a, it < 100 ? text_row(ui, v, it, r, L) : choice_row(ui, v, it - 100, r, L));
	}
	return a;
}

#define C(x) (100 + (x))         /* a choice among rows()'s items */

/* Rows first..first+n of the view's label/value rows, one under another. */
static void summary(tqk_ui *ui, const tqk_view_walkin *v, size_t first, size_t n, tqk_rect b)
{
	for (size_t i = first; i < first + n && i < v->n_rows; i++) {
		int y = b.y + (int)(i - first) * 40;
		tqk_ui_text(ui, (tqk_rect){b.x, y, 240, 36}, TQK_FONT_SMALL, TQK_C_MUTED, TQK_ALIGN_LEFT,
		            v->rows[i][0]);
		tqk_ui_text(ui, (tqk_rect){b.x + 244, y - 2, b.w - 244, 36}, TQK_FONT_BODY, TQK_C_TEXT,
		            TQK_ALIGN_LEFT, v->rows[i][1]);
	}
}

static tqk_action step_body(tqk_ui *ui, tqk_view_walkin *v, tqk_rect b, tqk_lang L)
{
	tqk_action a = {TQK_ACT_NONE, 0};
	switch (v->step) {
	case TQK_WI_NOTICE:
	case TQK_WI_TERMS:
		tqk_ui_fill(ui, (tqk_rect){b.x, b.y, b.w, b.h - (v->step == TQK_WI_TERMS ? 80 : 0)},
		            TQK_C_PANEL);
		tqk_ui_text(ui, (tqk_rect){b.x + 16, b.y + 12, b.w - 32, b.h - 100}, TQK_FONT_SMALL,
		            TQK_C_TEXT, TQK_ALIGN_LEFT, v->text);
		if (v->step == TQK_WI_TERMS &&
		    tqk_ui_button(ui, "wi.terms", (tqk_rect){b.x, b.y + b.h - TQK_UI_BUTTON_H, 480,
		                                             TQK_UI_BUTTON_H},
		                  v->terms ? TQK_BTN_PRIMARY : TQK_BTN_NORMAL,
		                  v->terms ? tqk_tr(L, "✔ I accept these terms")
		                           : tqk_tr(L, "I accept these terms")))
			a = tqk_act(TQK_ACT_WI_TERMS, 0);
		break;
	case TQK_WI_IDS: {
		static const int items[] = {TQK_WIT_CERT_NO, TQK_WIT_ID_NUMBER};
		a = rows(ui, v, b, items, 2, L);
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + ROW_H + 8, b.w, 80}, TQK_FONT_SMALL, TQK_C_MUTED,
		            TQK_ALIGN_LEFT,
		            v->fixed[TQK_WIT_ID_NUMBER]
		            ? tqk_tr(L, "The ID number is your ID card's.")
		            : tqk_tr(L, "Put your ID card on the reader, or type the ID number. "
		                        "A 15-digit certificate number is typed with 19 in front."));
		break;
	}
	case TQK_WI_CERT: {
		static const int items[] = {
			C(TQK_WIC_QUALIFICATION), C(TQK_WIC_AUTHORITY), C(TQK_WIC_SUBJECT), TQK_WIT_ISSUED,
			TQK_WIT_NAME, C(TQK_WIC_NATION), C(TQK_WIC_INSTITUTION), C(TQK_WIC_POST),
			C(TQK_WIC_POST_SUBJECT),
		};
		a = rows(ui, v, b, items, sizeof items / sizeof items[0], L);
		char line[256];
		snprintf(line, sizeof line, "%s %s", tqk_tr(L, "From the ID number:"), v->derived);
		tqk_ui_text(ui, (tqk_rect){b.x + (b.w - 32) / 2 + 32, b.y + 4 * ROW_H + 16,
		                           (b.w - 32) / 2, 36}, TQK_FONT_SMALL, TQK_C_MUTED,
		            TQK_ALIGN_LEFT, line);
		break;
	}
	case TQK_WI_SITE:
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 8, b.w, 36}, TQK_FONT_SMALL, TQK_C_MUTED,
		            TQK_ALIGN_LEFT, tqk_tr(L, "You will confirm at this site:"));
		tqk_ui_button(ui, "wi.site", (tqk_rect){b.x, b.y + 48, 600, TQK_UI_BUTTON_H},
		              TQK_BTN_PRIMARY, v->site);
		break;
	case TQK_WI_SITE_NOTES:
		tqk_ui_fill(ui, b, TQK_C_PANEL);
		tqk_ui_text(ui, (tqk_rect){b.x + 16, b.y + 12, b.w - 32, b.h - 24}, TQK_FONT_BODY,
		            TQK_C_TEXT, TQK_ALIGN_LEFT, v->text);
		break;
	case TQK_WI_ACCOUNT: {
		static const int items[] = {
			TQK_WIT_EMAIL, TQK_WIT_WORK_START, TQK_WIT_PASSWORD, C(TQK_WIC_TITLE),
			TQK_WIT_PASSWORD2, TQK_WIT_SCHOOL, C(TQK_WIC_AREA),
		};
		/* a change keeps the login: no password rows */
		static const int change_items[] = {
			TQK_WIT_EMAIL, TQK_WIT_WORK_START, C(TQK_WIC_TITLE), TQK_WIT_SCHOOL,
			C(TQK_WIC_AREA),
		};
		a = v->change ? rows(ui, v, b, change_items, sizeof change_items / sizeof change_items[0], L)
		              : rows(ui, v, b, items, sizeof items / sizeof items[0], L);
		tqk_rect s = {b.x, b.y + 4 * ROW_H + 8, b.w, b.h - 4 * ROW_H - 8};
		tqk_ui_text(ui, (tqk_rect){s.x, s.y, s.w, 30}, TQK_FONT_SMALL, TQK_C_PRIMARY,
		            TQK_ALIGN_LEFT, tqk_tr(L, "Steps 1-4 (go back to change them):"));
		summary(ui, v, 0, 4, (tqk_rect){s.x, s.y + 34, s.w / 2 - 16, s.h - 34});
		summary(ui, v, 4, v->n_rows, (tqk_rect){s.x + s.w / 2, s.y + 34, s.w / 2, s.h - 34});
		break;
	}
	case TQK_WI_DONE:
		tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w, 48}, TQK_FONT_TITLE, TQK_C_OK, TQK_ALIGN_LEFT,
		            v->change ? tqk_tr(L, "Your changes are saved.")
		                      : tqk_tr(L, "Your application is saved."));
		summary(ui, v, 0, v->n_rows, (tqk_rect){b.x, b.y + 64, b.w, b.h - 64});
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 64 + (int)v->n_rows * 40 + 16, b.w, 80},
		            TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT,
		            v->change ? tqk_tr(L, "The changes go to the county server as soon as it "
		                                  "can be reached.")
		                      : tqk_tr(L, "Bring your materials to the confirmation site within "
		                                  "its confirmation period. The registration number "
		                                  "changes to the official one once the county server "
		                                  "has it."));
		break;
	default:
		break;
	}
	return a;
}

static tqk_action editor(tqk_ui *ui, tqk_view_walkin *v, tqk_rect b, tqk_lang L)
{
	tqk_action a = {TQK_ACT_NONE, 0};
	tqk_ui_fill(ui, b, TQK_C_BG);
	tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT,
	            tqk_tr(L, text_labels[v->editing]));
	if (tqk_ui_field(ui, "wi.edit", (tqk_rect){b.x, b.y + 44, b.w - 660, TQK_UI_BUTTON_H}, v->edit,
	                 sizeof v->edit, v->edit_flags, ""))
		a = tqk_act(TQK_ACT_WI_EDIT_OK, 0);
	if (tqk_ui_button(ui, "wi.edit.clear", (tqk_rect){b.x + b.w - 640, b.y + 44, BTN_W,
	                                                  TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, tqk_tr(L, "Clear")))
		a = tqk_act(TQK_ACT_WI_EDIT_CLEAR, 0);
	if (tqk_ui_button(ui, "wi.edit.ok", (tqk_rect){b.x + b.w - 420, b.y + 44, BTN_W,
	                                               TQK_UI_BUTTON_H}, TQK_BTN_PRIMARY, tqk_tr(L, "OK")))
		a = tqk_act(TQK_ACT_WI_EDIT_OK, 0);
	if (tqk_ui_button(ui, "wi.edit.cancel", (tqk_rect){b.x + b.w - BTN_W, b.y + 44, BTN_W,
	                                                   TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, tqk_tr(L, "Cancel")))
		a = tqk_act(TQK_ACT_WI_EDIT_CANCEL, 0);
	if (v->error[0] != '\0')
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 116, b.w, 36}, TQK_FONT_SMALL, TQK_C_BAD,
		            TQK_ALIGN_LEFT, v->error);
	tqk_rect k = {b.x, b.y + 156, b.w, b.h - 156};
	tqk_ui_ime_labels ime = tqk_ime_labels(L);
	bool ok = v->edit_keypad ? tqk_ui_keypad(ui, (tqk_rect){k.x + (k.w - 480) / 2, k.y, 480, k.h},
	                                         tqk_tr(L, "OK"), tqk_tr(L, "Delete"))
	          : v->edit_chinese ? tqk_ui_keyboard_ime(ui, k, &ime)
	                            : tqk_ui_keyboard(ui, k, tqk_tr(L, "OK"), tqk_tr(L, "Delete"));
	if (ok)
		a = tqk_act(TQK_ACT_WI_EDIT_OK, 0);
	return a;
}

static tqk_action picker(tqk_ui *ui, tqk_view_walkin *v, tqk_rect b, tqk_lang L)
{
	tqk_action a = {TQK_ACT_NONE, 0};
	tqk_ui_fill(ui, b, TQK_C_BG);
	char line[512];
	snprintf(line, sizeof line, "%s%s%s", tqk_tr(L, choice_labels[v->picking]),
	         v->pick_path[0] != '\0' ? ": " : "", v->pick_path);
	tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w, 40}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT, line);
	int cols = 4, gap = 12, cw = (b.w - (cols - 1) * gap) / cols;
	for (size_t i = 0; i < v->n_opts; i++) {
		char id[32];
		snprintf(id, sizeof id, "wi.opt.%zu", i);
		tqk_rect r = {b.x + (int)(i % (size_t)cols) * (cw + gap),
		              b.y + 48 + (int)(i / (size_t)cols) * (TQK_UI_BUTTON_H + 8), cw,
		              TQK_UI_BUTTON_H};
		if (tqk_ui_button(ui, id, r, TQK_BTN_NORMAL, v->opts[i]))
			a = tqk_act(TQK_ACT_WI_OPTION, (int)i);
	}
	if (v->n_opts == 0)
		tqk_ui_text(ui, (tqk_rect){b.x, b.y + 60, b.w, 40}, TQK_FONT_BODY, TQK_C_BAD,
		            TQK_ALIGN_LEFT, tqk_tr(L, "Nothing to choose from: ask the clerk."));
	int by = b.y + b.h - TQK_UI_BUTTON_H;
	if (tqk_ui_button(ui, "wi.pick.close", (tqk_rect){b.x, by, BTN_W, TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, tqk_tr(L, "Cancel")))
		a = tqk_act(TQK_ACT_WI_PICK_CLOSE, 0);
	if (tqk_ui_button(ui, "wi.pick.up", (tqk_rect){b.x + BTN_W + 24, by, BTN_W, TQK_UI_BUTTON_H},
	                  v->pick_up ? TQK_BTN_NORMAL : TQK_BTN_DISABLED, tqk_tr(L, "Level up")))
		a = tqk_act(TQK_ACT_WI_UP, 0);
	if (tqk_ui_button(ui, "wi.pick.less", (tqk_rect){b.x + b.w - 2 * BTN_W - 24, by, BTN_W,
	                                                 TQK_UI_BUTTON_H},
	                  v->pick_less ? TQK_BTN_NORMAL : TQK_BTN_DISABLED, tqk_tr(L, "◀ Previous")))
		a = tqk_act(TQK_ACT_WI_PAGE, -1);
	if (tqk_ui_button(ui, "wi.pick.more", (tqk_rect){b.x + b.w - BTN_W, by, BTN_W, TQK_UI_BUTTON_H},
	                  v->pick_more ? TQK_BTN_NORMAL : TQK_BTN_DISABLED, tqk_tr(L, "Next ▶")))
		a = tqk_act(TQK_ACT_WI_PAGE, 1);
	return a;
}

static tqk_action leaving(tqk_ui *ui, tqk_rect b, tqk_lang L)
{
	tqk_action a = {TQK_ACT_NONE, 0};
	tqk_ui_fill(ui, b, TQK_C_BG);
	tqk_ui_text(ui, (tqk_rect){b.x, b.y + 80, b.w, 48}, TQK_FONT_TITLE, TQK_C_BAD, TQK_ALIGN_CENTER,
	            tqk_tr(L, "Discard what you typed?"));
	int mid = b.x + b.w / 2;
	if (tqk_ui_button(ui, "wi.discard", (tqk_rect){mid - 320, b.y + 200, 300, TQK_UI_BUTTON_H},
	                  TQK_BTN_DANGER, tqk_tr(L, "Discard and leave")))
		a = tqk_act(TQK_ACT_WI_DISCARD, 0);
	if (tqk_ui_button(ui, "wi.stay", (tqk_rect){mid + 20, b.y + 200, 300, TQK_UI_BUTTON_H},
	                  TQK_BTN_PRIMARY, tqk_tr(L, "Go on")))
		a = tqk_act(TQK_ACT_WI_STAY, 0);
	return a;
}

tqk_action tqk_scr_walkin(tqk_ui *ui, tqk_view *vw, int w, int h)
{
	tqk_view_walkin *v = &vw->walkin;
	tqk_lang L = vw->chrome.lang;
	tqk_action a = tqk_chrome_draw(ui, &vw->chrome, w, h, false);
	tqk_rect b = tqk_body(w, h);
	if (v->leaving)
		return tqk_act_or(a, leaving(ui, b, L));
	char line[256];
	int step = v->step >= 1 && v->step <= TQK_WI_DONE ? v->step : 1;
	snprintf(line, sizeof line, tqk_tr(L, "Step %d of %d: %s"), step, TQK_WI_DONE,
	         tqk_tr(L, step_titles[step]));
	tqk_ui_text(ui, (tqk_rect){b.x, b.y, b.w, 44}, TQK_FONT_TITLE, TQK_C_PRIMARY, TQK_ALIGN_LEFT,
	            line);
	tqk_rect body = {b.x, b.y + 56, b.w, b.h - 56 - TQK_UI_BUTTON_H - 16};
	if (v->editing >= 0 && v->editing < TQK_WIT_COUNT)
		return tqk_act_or(a, editor(ui, v, (tqk_rect){b.x, b.y + 56, b.w, b.h - 56}, L));
	if (v->picking >= 0 && v->picking < TQK_WIC_COUNT)
		return tqk_act_or(a, picker(ui, v, (tqk_rect){b.x, b.y + 56, b.w, b.h - 56}, L));
	a = tqk_act_or(a, step_body(ui, v, body, L));

	int by = b.y + b.h - TQK_UI_BUTTON_H;
	if (v->error[0] != '\0')
		tqk_ui_text(ui, (tqk_rect){b.x + BTN_W + 24, by - 4, b.w - 3 * BTN_W - 72,
		                           TQK_UI_BUTTON_H + 8}, TQK_FONT_SMALL, TQK_C_BAD,
		            TQK_ALIGN_LEFT, v->error);
	else if (v->idle_left > 0) {
		snprintf(line, sizeof line, tqk_tr(L, "No touch for a while: what you typed goes in %d s."),
		         v->idle_left);
		tqk_ui_text(ui, (tqk_rect){b.x + BTN_W + 24, by, b.w - 3 * BTN_W - 72, TQK_UI_BUTTON_H},
		            TQK_FONT_SMALL, TQK_C_WARN, TQK_ALIGN_LEFT, line);
	}
	if (step < TQK_WI_DONE &&
	    tqk_ui_button(ui, "wi.leave", (tqk_rect){b.x, by, BTN_W, TQK_UI_BUTTON_H}, TQK_BTN_NORMAL,
	                  tqk_tr(L, "Cancel")))
		a = tqk_act(TQK_ACT_WI_LEAVE, 0);
	/* Step 8: the form, to sign and bring (SPEC §6). */
	if (step == TQK_WI_DONE) {
		tqk_print_line(ui, &vw->print, (tqk_rect){b.x, by - 4, b.w - 2 * BTN_W - 48,
		                                          TQK_UI_BUTTON_H + 8});
		if (tqk_print_button(ui, &vw->print, "wi.print",
		                     (tqk_rect){b.x + b.w - 2 * BTN_W - 24, by, BTN_W, TQK_UI_BUTTON_H},
		                     tqk_tr(L, "Print my form")))
			a = tqk_act(TQK_ACT_PRINT, TQK_PRINT_ARG(TQK_DOC_FORM, 0));
	}
	if (step > (v->change ? TQK_WI_CERT : TQK_WI_NOTICE) && step < TQK_WI_DONE &&
	    tqk_ui_button(ui, "wi.back", (tqk_rect){b.x + b.w - 2 * BTN_W - 24, by, BTN_W,
	                                            TQK_UI_BUTTON_H},
	                  TQK_BTN_NORMAL, tqk_tr(L, "Back")))
		a = tqk_act(TQK_ACT_WI_BACK, 0);
	const char *label = step == TQK_WI_ACCOUNT ? tqk_tr(L, v->change ? N_("Save changes") : N_("Submit"))
	                    : step == TQK_WI_DONE ? tqk_tr(L, "Finish") : tqk_tr(L, "Next");
	if (step == TQK_WI_NOTICE && v->notice_left > 0) {
		snprintf(line, sizeof line, "%s (%d)", label, v->notice_left);
		label = line;
	}
	/* The notice's "next" waits its 3 s; the terms' says why it refuses. */
	bool ready = !(step == TQK_WI_NOTICE && v->notice_left > 0);
	if (tqk_ui_button(ui, "wi.next", (tqk_rect){b.x + b.w - BTN_W, by, BTN_W, TQK_UI_BUTTON_H},
	                  ready ? TQK_BTN_PRIMARY : TQK_BTN_DISABLED, label))
		a = tqk_act(TQK_ACT_WI_NEXT, 0);
	return a;
}
