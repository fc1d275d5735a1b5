/*
 * app.h - the kiosk application: one SDL window, the store, the sync
 * worker and the devices, and the screens between them.
 *
 * The thread that calls tqk_app_new owns SDL and everything here. The sync
 * worker and the device threads never touch the app: they post SDL user
 * events (TQK_EV_*), the one wake-up path, and the app's loop carries them
 * out. The app redraws only when something changed (an event that concerns
 * the UI, a new minute on the clock, a countdown on screen): an idle kiosk
 * sleeps in SDL_WaitEventTimeout.
 *
 * Time comes through one clock (tqk_app_clock): in production the trusted
 * clock of the sync worker (sync/clock.h); in demo mode a clock that starts
 * at the demo time given and runs with the monotonic clock; in tests
 * whatever the test injects. Only demo mode accepts a fake clock in the
 * production binary, and then every screen shows 演示模式.
 */
#ifndef TQK_KIOSK_APP_H
#define TQK_KIOSK_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/confirmation.h"
#include "core/date.h"
#include "core/err.h"
#include "view.h"

typedef struct tqk_app tqk_app;

/* The one clock of the app. */
typedef struct tqk_app_clock {
	tqk_time (*now)(void *ctx, tqk_time_source *source);
	void *ctx;
} tqk_app_clock;

typedef struct tqk_app_opts {
	const char *db_path;            /* the store, set up by `tqkioskctl db init` */
	const char *sync_config;        /* the county connection (sync/config.h); NULL: none */
	const char *reader;             /* the ID-card reader's address (dev/idreader.h); NULL: none */
	const char *scanner;            /* the USB scanner's (dev/scanner.h, e.g. usb:hid); NULL: the
	                                   keyboard wedge only */
	const char *camera;             /* the camera's: /dev/video0, or dir:PATH for a directory of
	                                   frames (devices.h); NULL: none */
	const char *locale_dir;         /* the catalogues; NULL: the installed ones */
	const char *assets_dir;         /* assets/ (the walk-in's trees and texts); NULL: installed */
	const char *video_driver;       /* "wayland", "x11", "kmsdrm", "dummy": required */
	int width, height;              /* windowed size; 0: full screen */
	tqk_lang lang;
	const char *admin_pin_hash;     /* argon2id string; NULL: the admin screen stays shut */
	const char *printer;            /* the CUPS queue; NULL: none, documents are saved */
	const char *print_server;       /* the CUPS server (host[:port]); NULL: CUPS's default */
	const char *print_dir;          /* where documents are saved; NULL: prints/ beside the store */
	int paper;                      /* a tqk_paper (print/paper.h): A4 when 0 */
	bool demo;                      /* demo mode: the fake clock below, records marked */
	tqk_time demo_start;            /* demo: the time the clock starts at */
	const tqk_app_clock *clock;     /* tests: the clock; NULL: trusted or demo */
} tqk_app_opts;

/* User events the app handles (registered with SDL_RegisterEvents). */
typedef enum tqk_app_event {
	TQK_EV_CARD = 0,                /* data1: a heap tqk_idcard, freed by the app */
	TQK_EV_CARD_STATE,              /* a device's state changed (the reader's, the scanner's,
	                                   the camera's) */
	TQK_EV_SCAN,                    /* data1: a heap NUL-terminated string (the scanner's or
	                                   the camera's) */
	TQK_EV_CARD_FAILED,             /* data1: a heap char[] saying why, for a person */
	TQK_EV_SYNC,                    /* the sync worker finished a round */
	TQK_EV_PRINT,                   /* the print thread's state changed */
	TQK_EV_COUNT
} tqk_app_event;

/*
 * Opens everything; on failure returns NULL with the reason in err (cap
 * bytes, in lang): a video driver that is missing or not the one asked
 * for, no CJK font, no catalogue, a store that will not open or is not set
 * up, a bad sync configuration.
 */
tqk_app *tqk_app_new(const tqk_app_opts *opts, char *err, size_t cap);
void tqk_app_free(tqk_app *app);   /* NULL is a no-op */

/* The loop until the window is closed (or SIGTERM: SDL_QUIT). */
void tqk_app_run(tqk_app *app);

/*
 * For tests and benchmarks: handles every event queued, waiting at most
 * wait_ms for the first, then redraws when due. Returns false once the app
 * was asked to quit.
 */
bool tqk_app_pump(tqk_app *app, int wait_ms);

/* Posts what a device would post: a scanned string, a card. */
void tqk_app_post_scan(tqk_app *app, const char *text);
struct tqk_idcard;
void tqk_app_post_card(tqk_app *app, const struct tqk_idcard *card);

/* Renders the current screen and saves it as dir/name.png (dir from
 * $TQK_SHOTS, else the current directory). */
bool tqk_app_shot(tqk_app *app, const char *name);

/* What tests look at. */
tqk_screen tqk_app_screen(const tqk_app *app);
const tqk_view *tqk_app_view(const tqk_app *app);
unsigned long tqk_app_frames(const tqk_app *app);   /* frames drawn so far */

#endif
