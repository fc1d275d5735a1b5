/*
 * screens.h - the kiosk's screens: each draws one frame of its part of the
 * view (view.h) with the widgets of ui.h and returns what the user asked
 * for. The screen set is the const table tqk_screens, indexed by
 * tqk_screen; app.c calls the current one every frame it redraws.
 *
 * Layout: 1280x800 and larger; the chrome takes the top TQK_TOP and the
 * bottom TQK_BOTTOM pixels, a screen draws in between.
 */
#ifndef TQK_KIOSK_SCREENS_H
#define TQK_KIOSK_SCREENS_H

#include "ui/ui.h"
#include "view.h"

#define TQK_TOP 88
#define TQK_BOTTOM 64
#define TQK_MARGIN 32

typedef tqk_action (*tqk_screen_fn)(tqk_ui *ui, tqk_view *v, int w, int h);

typedef struct tqk_screen_def {
	const char *code;               /* "idle", "status", ...: logs and tests */
	tqk_screen_fn frame;
	bool personal;                  /* shows personal data: cleared on leaving */
} tqk_screen_def;

extern const tqk_screen_def tqk_screens[TQK_SCR_COUNT];

/* The chrome around every screen: site, time, 演示模式, the upload
 * indicator, the language switch; home adds a 返回首页 button. */
tqk_action tqk_chrome_draw(tqk_ui *ui, const tqk_chrome *c, int w, int h, bool home);

/* The passing notice, drawn over the screen after it (app.c). */
void tqk_chrome_notice(tqk_ui *ui, const tqk_chrome *c, int w, int h);
/* What the last print did (v->text, in its colour) in r; nothing when "". */
void tqk_print_line(tqk_ui *ui, const tqk_view_print *v, tqk_rect r);
/* A print button: disabled while a document is under way; true when pressed. */
bool tqk_print_button(tqk_ui *ui, const tqk_view_print *v, const char *id, tqk_rect r,
                      const char *label);

/* The area a screen draws in. */
tqk_rect tqk_body(int w, int h);

tqk_action tqk_scr_idle(tqk_ui *ui, tqk_view *v, int w, int h);
tqk_action tqk_scr_closed(tqk_ui *ui, tqk_view *v, int w, int h);
tqk_action tqk_scr_status(tqk_ui *ui, tqk_view *v, int w, int h);
tqk_action tqk_scr_login(tqk_ui *ui, tqk_view *v, int w, int h);
tqk_action tqk_scr_list(tqk_ui *ui, tqk_view *v, int w, int h);
tqk_action tqk_scr_sync(tqk_ui *ui, tqk_view *v, int w, int h);
tqk_action tqk_scr_admin(tqk_ui *ui, tqk_view *v, int w, int h);
tqk_action tqk_scr_verify(tqk_ui *ui, tqk_view *v, int w, int h);
tqk_action tqk_scr_done(tqk_ui *ui, tqk_view *v, int w, int h);
tqk_action tqk_scr_walkin(tqk_ui *ui, tqk_view *v, int w, int h);

/* The first non-NONE of two actions. */
static inline tqk_action tqk_act_or(tqk_action a, tqk_action b)
{
	return a.kind != TQK_ACT_NONE ? a : b;
}

static inline tqk_action tqk_act(tqk_action_kind k, int arg)
{
	return (tqk_action){k, arg};
}

#endif
