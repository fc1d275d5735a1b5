/*
 * app_internal.h - the app's state, shared by the files that make it up:
 * app.c (life cycle, the loop, events, drawing), app_look.c (a teacher's
 * status from a card or a scan), app_clerk.c (login, lockout, the list),
 * app_misc.c (sync and admin screens, the clock, the chrome), app_verify.c
 * (the clerk's verification and its commit), app_walkin.c (the walk-in
 * application's wizard), app_print.c (the print buttons), wedge.c (the
 * keyboard-wedge scanner).
 */
#ifndef TQK_KIOSK_APP_INTERNAL_H
#define TQK_KIOSK_APP_INTERNAL_H

#include <SDL.h>

#include "app.h"
#include "devices.h"
#include "printing.h"
#include "core/calendar.h"
#include "core/lockout.h"
#include "core/scan.h"
#include "core/tree.h"
#include "core/walkin.h"
#include "core/window.h"
#include "dev/hid.h"
#include "dev/idcard.h"
#include "proto/api.h"
#include "store/store.h"
#include "sync/clock.h"
#include "sync/worker.h"
#include "ui/ui.h"

#define TQK_STATUS_SECONDS 60       /* the teacher's status clears itself */
#define TQK_CLERK_IDLE_SECONDS 120  /* a clerk's session locks */
#define TQK_NOTICE_SECONDS 5
#define TQK_WI_TREES 4              /* authorities, titles, qualifications, nations */
#define TQK_WI_TEXTS 4              /* notice and terms, zh and en */

#ifndef TQK_VERSION
#define TQK_VERSION "0.6"             /* the kiosk's version, shown to the admin */
#endif

struct tqk_app {
	tqk_app_opts o;
	SDL_Window *win;
	SDL_Renderer *ren;
	tqk_ui *ui;
	Uint32 ev_base;                 /* the first of TQK_EV_COUNT user events */
	tqk_store *store;
	tqk_sync *sync;
	tqk_devices *dev;
	tqk_printing *print;            /* the print thread (app_print.c) */
	tqk_screen print_screen;        /* the screen whose print button was pressed */
	unsigned long print_seq;        /* its document's number */
	tqk_print_state print_state;
	tqk_calendar *cal;              /* the plan's holiday calendar (NULL: weekdays) */
	tqk_hours hours;
	tqk_period period;
	char site_name[TQK_TEXT_CAP];
	char site_code[TQK_CODE_CAP];   /* this kiosk's site */
	tqk_keyset keys;                /* the plan's payload keys */

	unsigned long sync_rounds;      /* the worker's rounds seen by the loop */
	uint64_t demo_mono0;            /* demo clock: SDL ticks at demo_start */

	tqk_screen screen;
	tqk_view view;
	bool dirty, quit;
	unsigned long frames;
	int minute;                     /* the minute last drawn: the clock redraws */
	tqk_time shown_at;              /* when a personal screen last saw a touch */
	tqk_time notice_until;

	/* The clerk. */
	tqk_clerk clerks[TQK_VIEW_CLERKS];
	tqk_lockout locks[TQK_VIEW_CLERKS];
	int clerk;                      /* logged in: index into clerks, -1 none */

	/* The verification under way (app_verify.c). */
	tqk_application vapp;           /* the application, corrections applied */
	tqk_confirmation conf;          /* what will be committed; its uuid is fixed */
	tqk_idcard card;                /* the last card read while a clerk works */
	bool have_card;
	char cert_scanned[TQK_CERT_LEN + 1];

	tqk_wedge wedge;                /* the keyboard-wedge scanner (wedge.c) */

	tqk_page page;
	tqk_page_key page_keys[64];     /* where each page after the first starts */

	/* The plan's registration institutions and confirmation period's end. */
	tqk_institution insts[TQK_INSTITUTIONS_MAX];
	size_t n_insts;
	tqk_date confirm_end;

	/* The walk-in application under way (app_walkin.c). */
	tqk_walkin wi;
	tqk_tree *trees[TQK_WI_TREES];  /* the hierarchies of assets/walkin */
	tqk_tree *ptrees[TQK_WI_TREES]; /* the plan's, used instead when there */
	char *ptexts[TQK_WI_TREES];     /* their text, to tell a change */
	char *texts[TQK_WI_TEXTS];      /* the notice and the terms, in each language */
	const tqk_tree_node *pick_node; /* the picker's level (NULL: a flat list) */
	size_t pick_page;
	tqk_idcard wcard;               /* the card of the teacher applying */
	bool have_wcard;
	tqk_application wbefore;        /* a change: the application as it was */
};

/* app_walkin.c */
/* Loads the hierarchies and texts from assets_dir; false with err said. */
bool tqk_app_walkin_load(tqk_app *a, char *err, size_t cap);
void tqk_app_walkin_free(tqk_app *a);
/* Takes the plan's hierarchies (NULL: none of that kind), unless the wizard
 * is open (its picker holds nodes): then at a later call. */
void tqk_app_walkin_trees(tqk_app *a, char *const texts[TQK_WI_TREES]);
void tqk_app_walkin_start(tqk_app *a);
void tqk_app_walkin_act(tqk_app *a, tqk_action x);
/* The wizard over application i of the status screen, to change it. */
void tqk_app_walkin_change(tqk_app *a, int i);
/* A code scanned while the wizard is open (NULL: not one of ours). */
void tqk_app_walkin_scan(tqk_app *a, const tqk_scan *sc);
/* A card read while the wizard is open (its ID number for step 3). */
void tqk_app_walkin_card(tqk_app *a, const tqk_idcard *card);
/* The countdowns: the notice's 3 s, the idle warning and discard. */
void tqk_app_walkin_tick(tqk_app *a, long idle);
/* Wipes the draft (also what the view shows of it). */
void tqk_app_walkin_discard(tqk_app *a);

/* app_print.c */
/* The print button: TQK_PRINT_ARG(document, the screen's application). */
void tqk_app_print(tqk_app *a, int arg);
/* The print thread said something (TQK_EV_PRINT). */
void tqk_app_print_update(tqk_app *a);

/* app_misc.c */
tqk_time tqk_app_now(tqk_app *a, tqk_time_source *src);
void tqk_app_load_plan(tqk_app *a);
void tqk_app_chrome(tqk_app *a);
void tqk_app_notice(tqk_app *a, bool bad, const char *text);
void tqk_app_fill_sync(tqk_app *a);
void tqk_app_fill_admin(tqk_app *a);
void tqk_app_admin_unlock(tqk_app *a);
void tqk_app_sync_now(tqk_app *a);
/* The screen to rest on: idle or closed, by the window now. */
tqk_screen tqk_app_rest(tqk_app *a);
void tqk_app_go(tqk_app *a, tqk_screen s);

/* app_look.c */
void tqk_app_look_card(tqk_app *a, const tqk_idcard *card);
void tqk_app_look_scan(tqk_app *a, const char *text);
/* The status of one registration number and its teacher's others. */
void tqk_app_look_reg(tqk_app *a, const char *reg_no);
/* The materials a submitted application must bring, in bag order, by the
 * seed's rules (the police certificate only when the card's name or
 * number differs from the certificate's). */
size_t tqk_app_to_bring(const tqk_application *app, const char *card_name, tqk_lang L,
                        const char *out[TQK_MAT_COUNT]);

/* app_clerk.c */
void tqk_app_login_open(tqk_app *a);
void tqk_app_login_pick(tqk_app *a, int i);
void tqk_app_login(tqk_app *a);
/* The chosen clerk's lock and tries left, now. */
void tqk_app_login_refresh(tqk_app *a);
void tqk_app_logout(tqk_app *a);
void tqk_app_list_load(tqk_app *a, int page_no);
void tqk_app_list_open(tqk_app *a, int row);

/* wedge.c: key and text events through the scanner detector first. */
void tqk_app_wedge_init(tqk_app *a);
/* true when the event was taken (it reaches the widgets later, or was a scan). */
bool tqk_app_wedge_event(tqk_app *a, const SDL_Event *e);
/* Ends a burst that paused; the ms the loop may sleep at most (-1: any). */
int tqk_app_wedge_tick(tqk_app *a);

/* app_verify.c */
void tqk_app_verify_open(tqk_app *a, const char *reg_no);
void tqk_app_verify_card(tqk_app *a, const tqk_idcard *card);
void tqk_app_verify_cert(tqk_app *a, const char *cert_no);
void tqk_app_verify_edit(tqk_app *a, int row);
void tqk_app_verify_edit_ok(tqk_app *a);
void tqk_app_verify_marks(tqk_app *a);
void tqk_app_verify_confirm(tqk_app *a);

#endif
