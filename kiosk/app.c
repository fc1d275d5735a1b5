/*
 * app.c - the kiosk's life cycle and loop (app.h): SDL with the video
 * driver asked for, the font, the store, the sync worker and the devices;
 * events in, actions carried out, a frame drawn only when one is due.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "app_internal.h"
#include "i18n.h"
#include "screens/screens.h"
#include "sync/config.h"

static void say(char *err, size_t cap, tqk_lang L, const char *what, const char *detail)
{
	snprintf(err, cap, "%s%s%s", tqk_tr(L, what), detail != NULL ? ": " : "",
	         detail != NULL ? detail : "");
}

static bool open_sdl(tqk_app *a, char *err, size_t cap)
{
	tqk_lang L = a->o.lang;
	if (a->o.video_driver == NULL || a->o.video_driver[0] == '\0') {
		say(err, cap, L, "No video driver configured (wayland, x11, kmsdrm or dummy)", NULL);
		return false;
	}
	/* Explicitly: without it SDL silently falls back to offscreen. */
	SDL_SetHint(SDL_HINT_VIDEODRIVER, a->o.video_driver);
	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
	SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		say(err, cap, L, "The display cannot be opened", SDL_GetError());
		return false;
	}
	const char *got = SDL_GetCurrentVideoDriver();
	if (got == NULL || strcmp(got, a->o.video_driver) != 0) {
		say(err, cap, L, "The video driver is not the one configured", got);
		return false;
	}
	Uint32 flags = SDL_WINDOW_SHOWN;
	int w = a->o.width, h = a->o.height;
	if (w <= 0 || h <= 0) {
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
		w = 1280;
		h = 800;
	}
	a->win = SDL_CreateWindow("tqkiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
	if (a->win == NULL) {
		say(err, cap, L, "The window cannot be made", SDL_GetError());
		return false;
	}
	bool soft = strcmp(a->o.video_driver, "dummy") == 0;
	a->ren = SDL_CreateRenderer(a->win, -1, soft ? SDL_RENDERER_SOFTWARE : 0);
	if (a->ren == NULL && !soft)
		a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
	if (a->ren == NULL) {
		say(err, cap, L, "The renderer cannot be made", SDL_GetError());
		return false;
	}
	char font[TQK_UI_FONT_PATH_CAP];
	int index = 0;
	if (!tqk_ui_font_find(font, &index)) {
		say(err, cap, L, "No Chinese font found (install fonts-wqy-microhei)", NULL);
		return false;
	}
	a->ui = tqk_ui_new(a->ren, font, index);
	if (a->ui == NULL) {
		say(err, cap, L, "The font cannot be opened", font);
		return false;
	}
	a->ev_base = SDL_RegisterEvents(TQK_EV_COUNT);
	if (a->ev_base == (Uint32)-1) {
		say(err, cap, L, "SDL has no user events left", NULL);
		return false;
	}
	return true;
}

/* A store is a demo's or a production kiosk's for good, from the first
 * start on it: demo records never sit among real ones. */
static bool check_mode(tqk_app *a, char *err, size_t cap)
{
	const char *mode = a->o.demo ? "demo" : "production";
	char have[TQK_STORE_SETTING_CAP] = "";
	tqk_err e = tqk_store_setting_get(a->store, TQK_STORE_MODE_SETTING, have, sizeof have);
	if (e == TQK_E_STORE_NOT_FOUND)
		e = tqk_store_setting_set(a->store, TQK_STORE_MODE_SETTING, mode);
	else if (e == TQK_OK && strcmp(have, mode) != 0) {
		const char *why =
			a->o.demo ? N_("This store holds real records: a demo needs a store of its own")
			          : N_("This store holds a demo's records: start with --demo, or use another store");
		say(err, cap, a->o.lang, why, a->o.db_path);
		return false;
	}
	if (e != TQK_OK) {
		snprintf(err, cap, "%s: %s", a->o.db_path, tqk_strerror(e, a->o.lang));
		return false;
	}
	return true;
}

static bool open_store(tqk_app *a, char *err, size_t cap)
{
	char detail[TQK_STORE_DETAIL_CAP] = "";
	tqk_err e = tqk_store_open(a->o.db_path, NULL, &a->store, detail);
	if (e != TQK_OK) {
		snprintf(err, cap, "%s: %s %s", a->o.db_path, tqk_strerror(e, a->o.lang), detail);
		return false;
	}
	tqk_site site;
	e = tqk_store_site_get(a->store, &site);
	if (e != TQK_OK) {
		snprintf(err, cap, "%s: %s", a->o.db_path, tqk_strerror(e, a->o.lang));
		return false;
	}
	return check_mode(a, err, cap);
}

/* On the worker's thread: a round ended; the loop refreshes what it shows. */
static void round_done(void *ctx)
{
	const tqk_app *a = ctx;
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = a->ev_base + TQK_EV_SYNC;
	(void)SDL_PushEvent(&e);
}

/* The print thread, saving into print_dir, else prints/ beside the store
 * (made when missing, the kiosk's alone: the copies hold personal data). */
static bool open_print(tqk_app *a, char *err, size_t cap)
{
	char dir[TQK_DELIVER_PATH_CAP];
	if (a->o.print_dir != NULL) {
		snprintf(dir, sizeof dir, "%s", a->o.print_dir);
	} else {
		const char *slash = strrchr(a->o.db_path, '/');
		int n = slash != NULL ? (int)(slash - a->o.db_path) : 1;
		snprintf(dir, sizeof dir, "%.*s/prints", n, slash != NULL ? a->o.db_path : ".");
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			snprintf(err, cap, "%s: %s", dir, strerror(errno));
			return false;
		}
	}
	tqk_printing_opts po = {a->o.printer, a->o.print_server, dir, (tqk_paper)a->o.paper};
	char why[256];
	a->print = tqk_printing_new(&po, a->ev_base + TQK_EV_PRINT, why, sizeof why);
	if (a->print == NULL)
		snprintf(err, cap, "%s", why);
	return a->print != NULL;
}

static bool open_sync(tqk_app *a, char *err, size_t cap)
{
	if (a->o.sync_config == NULL)
		return true;
	tqk_sync_config cfg;
	char detail[256] = "";
	tqk_err e = tqk_sync_config_load(a->o.sync_config, &cfg, detail, sizeof detail);
	if (e == TQK_OK)
		e = tqk_sync_start(a->o.db_path, &cfg, &a->sync);
	sodium_memzero(&cfg, sizeof cfg);
	if (e != TQK_OK) {
		snprintf(err, cap, "%s: %s %s", a->o.sync_config, tqk_strerror(e, a->o.lang), detail);
		return false;
	}
	tqk_sync_on_round(a->sync, round_done, a);
	return true;
}

tqk_app *tqk_app_new(const tqk_app_opts *opts, char *err, size_t cap)
{
	tqk_app *a = calloc(1, sizeof *a);
	if (a == NULL) {
		snprintf(err, cap, "%s", tqk_strerror(TQK_E_NOMEM, opts->lang));
		return NULL;
	}
	a->o = *opts;
	a->clerk = -1;
	a->view.chrome.lang = opts->lang;
	a->view.chrome.demo = opts->demo;
	a->view.login.selected = -1;
	if (!tqk_i18n_init(opts->locale_dir)) {
		say(err, cap, opts->lang, "The Chinese catalogue (tqkiosk.mo) is missing", opts->locale_dir);
		tqk_app_free(a);
		return NULL;
	}
	if (!open_sdl(a, err, cap) || !open_store(a, err, cap)) {
		tqk_app_free(a);
		return NULL;
	}
	a->demo_mono0 = SDL_GetTicks64();
	tqk_app_walkin_discard(a);
	if (!tqk_app_walkin_load(a, err, cap)) {
		tqk_app_free(a);
		return NULL;
	}
	tqk_app_wedge_init(a);
	tqk_app_load_plan(a);
	/* The devices and the worker last: their events need the rest. */
	tqk_err e = tqk_devices_start(opts->reader, opts->scanner, opts->camera, a->ev_base, &a->dev);
	if (e != TQK_OK) {
		snprintf(err, cap, "%s %s %s: %s", opts->reader != NULL ? opts->reader : "",
		         opts->scanner != NULL ? opts->scanner : "",
		         opts->camera != NULL ? opts->camera : "", tqk_strerror(e, opts->lang));
		tqk_app_free(a);
		return NULL;
	}
	if (!open_print(a, err, cap) || !open_sync(a, err, cap)) {
		tqk_app_free(a);
		return NULL;
	}
	a->screen = tqk_app_rest(a);
	a->dirty = true;
	return a;
}

void tqk_app_free(tqk_app *a)
{
	if (a == NULL)
		return;
	tqk_devices_stop(a->dev);
	tqk_printing_free(a->print);
	tqk_sync_stop(a->sync);
	tqk_store_free(a->store);
	tqk_calendar_free(a->cal);
	tqk_app_walkin_free(a);
	tqk_ui_free(a->ui);
	if (a->ren != NULL)
		SDL_DestroyRenderer(a->ren);
	if (a->win != NULL)
		SDL_DestroyWindow(a->win);
	/* Drop the events still queued with their heap data. */
	if (a->ev_base != 0 && a->ev_base != (Uint32)-1) {
		SDL_Event e;
		while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, a->ev_base, a->ev_base + TQK_EV_COUNT - 1) == 1)
			free(e.user.data1);
	}
	SDL_Quit();
	sodium_memzero(a, sizeof *a);
	free(a);
}

void tqk_app_go(tqk_app *a, tqk_screen s)
{
	/* Leaving a screen with personal data forgets it; the card of a
	 * teacher found without an application goes with them into the
	 * walk-in, and no further. */
	if (tqk_screens[a->screen].personal && a->screen != s) {
		memset(&a->view.status, 0, sizeof a->view.status);
		memset(a->view.list.search, 0, sizeof a->view.list.search);
		if (a->screen == TQK_SCR_WALKIN)
			tqk_app_walkin_discard(a);
		else if (s != TQK_SCR_WALKIN) {
			sodium_memzero(&a->wcard, sizeof a->wcard);
			a->have_wcard = false;
		}
	}
	memset(a->view.login.pin, 0, sizeof a->view.login.pin);
	memset(a->view.admin.pin, 0, sizeof a->view.admin.pin);
	/* What a print did is said on the screen that asked, and there only. */
	if (s != a->screen)
		memset(&a->view.print, 0, sizeof a->view.print);
	if (s != TQK_SCR_ADMIN)
		a->view.admin.unlocked = false;
	a->screen = s;
	a->shown_at = tqk_app_now(a, NULL);
	a->dirty = true;
}

static void act(tqk_app *a, tqk_action x)
{
	switch (x.kind) {
	case TQK_ACT_NONE:
		return;
	case TQK_ACT_REDRAW:
		break;
	case TQK_ACT_LANG:
		a->view.chrome.lang = a->view.chrome.lang == TQK_LANG_EN ? TQK_LANG_ZH : TQK_LANG_EN;
		break;
	case TQK_ACT_HOME:
		tqk_app_go(a, a->clerk >= 0 ? TQK_SCR_LIST : tqk_app_rest(a));
		break;
	case TQK_ACT_CLERK:
		tqk_app_login_open(a);
		break;
	case TQK_ACT_LOGIN_PICK:
		tqk_app_login_pick(a, x.arg);
		break;
	case TQK_ACT_LOGIN:
		tqk_app_login(a);
		break;
	case TQK_ACT_LOGOUT:
		tqk_app_logout(a);
		break;
	case TQK_ACT_LIST_SEARCH:
		tqk_app_list_load(a, 1);
		break;
	case TQK_ACT_LIST_FILTER:
		a->view.list.filter = (tqk_state)x.arg;
		tqk_app_list_load(a, 1);
		break;
	case TQK_ACT_LIST_NEXT:
		tqk_app_list_load(a, a->view.list.page_no + 1);
		break;
	case TQK_ACT_LIST_FIRST:
		tqk_app_list_load(a, 1);
		break;
	case TQK_ACT_LIST_OPEN:
		tqk_app_list_open(a, x.arg);
		break;
	case TQK_ACT_SYNC:
		tqk_app_fill_sync(a);
		tqk_app_go(a, TQK_SCR_SYNC);
		break;
	case TQK_ACT_SYNC_NOW:
		tqk_app_sync_now(a);
		break;
	case TQK_ACT_ADMIN:
		memset(&a->view.admin, 0, sizeof a->view.admin);
		tqk_app_go(a, TQK_SCR_ADMIN);
		break;
	case TQK_ACT_ADMIN_UNLOCK:
		tqk_app_admin_unlock(a);
		break;
	case TQK_ACT_EDIT:
		tqk_app_verify_edit(a, x.arg);
		break;
	case TQK_ACT_EDIT_OK:
		tqk_app_verify_edit_ok(a);
		break;
	case TQK_ACT_EDIT_CANCEL:
		a->view.verify.editing = -1;
		break;
	case TQK_ACT_MARKS:
		tqk_app_verify_marks(a);
		break;
	case TQK_ACT_CONFIRM:
		tqk_app_verify_confirm(a);
		break;
	case TQK_ACT_BACK:
		tqk_app_list_load(a, a->view.list.page_no > 0 ? a->view.list.page_no : 1);
		tqk_app_go(a, TQK_SCR_LIST);
		break;
	case TQK_ACT_PRINT:
		tqk_app_print(a, x.arg);
		break;
	default:
		tqk_app_walkin_act(a, x);
		break;
	}
	a->dirty = true;
}

/* One frame of the current screen, not yet presented. */
static void draw(tqk_app *a)
{
	int w = 0, h = 0;
	SDL_GetRendererOutputSize(a->ren, &w, &h);
	tqk_app_chrome(a);
	tqk_ui_begin(a->ui, w, h);
	tqk_action x = tqk_screens[a->screen].frame(a->ui, &a->view, w, h);
	tqk_chrome_notice(a->ui, &a->view.chrome, w, h);
	bool touched = tqk_ui_touched(a->ui);
	/* A widget that changed after it was drawn (a keypad key into the
	 * field above it) needs one more frame. */
	bool again = tqk_ui_dirty(a->ui);
	tqk_ui_end(a->ui);
	a->frames++;
	a->dirty = again;
	if (touched)
		a->shown_at = tqk_app_now(a, NULL);
	if (x.kind != TQK_ACT_NONE) {
		act(a, x);
		a->dirty = true;        /* the action's outcome is drawn next */
	}
}

/* After the worker's rounds: a new plan may have come (its hours, period
 * and keys), the counts changed. Rounds the event missed (one that ended
 * before the app listened) are caught by the tick. */
static void synced(tqk_app *a)
{
	tqk_sync_status st;
	tqk_sync_get_status(a->sync, &st);
	if (st.rounds == a->sync_rounds)
		return;
	a->sync_rounds = st.rounds;
	tqk_app_load_plan(a);
	if (a->screen == TQK_SCR_SYNC)
		tqk_app_fill_sync(a);
	a->dirty = true;
}

static void user_event(tqk_app *a, const SDL_Event *e)
{
	switch ((tqk_app_event)(e->type - a->ev_base)) {
	case TQK_EV_CARD:
		if (a->screen == TQK_SCR_WALKIN)
			tqk_app_walkin_card(a, e->user.data1);
		else
			tqk_app_look_card(a, e->user.data1);
		break;
	case TQK_EV_SCAN:
		tqk_app_look_scan(a, e->user.data1);
		break;
	case TQK_EV_CARD_FAILED: {
		char line[256];
		snprintf(line, sizeof line, "%s%s", tqk_tr(a->view.chrome.lang, "The card could not be read: "),
		         (const char *)e->user.data1);
		tqk_app_notice(a, true, line);
		break;
	}
	case TQK_EV_SYNC:
		synced(a);
		break;
	case TQK_EV_PRINT:
		tqk_app_print_update(a);
		break;
	case TQK_EV_CARD_STATE:
		if (a->screen == TQK_SCR_ADMIN && a->view.admin.unlocked)
			tqk_app_fill_admin(a);
		break;
	case TQK_EV_COUNT:
		break;
	}
	free(e->user.data1);
	a->dirty = true;
}

static void handle(tqk_app *a, const SDL_Event *e)
{
	if (e->type == SDL_QUIT) {
		a->quit = true;
		return;
	}
	if (e->type >= a->ev_base && e->type < a->ev_base + TQK_EV_COUNT) {
		user_event(a, e);
		return;
	}
	if (e->type == SDL_WINDOWEVENT) {
		a->dirty = true;
		return;
	}
	if ((e->type == SDL_TEXTINPUT || e->type == SDL_KEYDOWN) && tqk_app_wedge_event(a, e))
		return;
	if (tqk_ui_event(a->ui, e))
		a->dirty = true;
}

/* The timers: the minute on the clock, the countdown, idle timeouts, the
 * window opening or closing. */
static void tick(tqk_app *a)
{
	if (a->sync != NULL)
		synced(a);
	tqk_time now = tqk_app_now(a, NULL);
	int minute = (int)(now / 60);
	if (minute != a->minute) {
		a->minute = minute;
		a->dirty = true;
		if (a->screen == TQK_SCR_IDLE || a->screen == TQK_SCR_CLOSED) {
			tqk_screen rest = tqk_app_rest(a);
			if (rest != a->screen)
				tqk_app_go(a, rest);
		}
	}
	if (a->notice_until != 0 && now >= a->notice_until) {
		a->notice_until = 0;
		a->view.chrome.notice[0] = '\0';
		a->dirty = true;
	}
	if (a->screen == TQK_SCR_LOGIN && a->view.login.locked_left > 0) {
		tqk_app_login_refresh(a);      /* the lock's countdown */
		a->dirty = true;
	}
	long idle = (long)(now - a->shown_at);
	if (a->screen == TQK_SCR_WALKIN) {
		tqk_app_walkin_tick(a, idle);
	} else if (a->screen == TQK_SCR_STATUS) {
		int left = TQK_STATUS_SECONDS - (int)idle;
		if (left != a->view.status.seconds_left)
			a->dirty = true;
		a->view.status.seconds_left = left > 0 ? left : 0;
		if (left <= 0)
			tqk_app_go(a, a->clerk >= 0 ? TQK_SCR_LIST : tqk_app_rest(a));
	} else if (a->clerk >= 0 && idle >= TQK_CLERK_IDLE_SECONDS) {
		tqk_app_logout(a);
		tqk_app_notice(a, false, tqk_tr(a->view.chrome.lang, "The clerk's session was locked."));
	} else if ((a->screen == TQK_SCR_SYNC || a->screen == TQK_SCR_ADMIN ||
	            a->screen == TQK_SCR_LOGIN) && idle >= TQK_CLERK_IDLE_SECONDS) {
		tqk_app_go(a, tqk_app_rest(a));
	}
}

/* Draws frames while one is due (an action's outcome is one more). */
static void redraw(tqk_app *a)
{
	for (int i = 0; i < 4 && a->dirty; i++) {
		draw(a);
		SDL_RenderPresent(a->ren);
	}
}

bool tqk_app_pump(tqk_app *a, int wait_ms)
{
	SDL_Event e;
	int gap = tqk_app_wedge_tick(a);
	if (gap >= 0 && gap < wait_ms)
		wait_ms = gap;
	if (SDL_WaitEventTimeout(&e, wait_ms)) {
		handle(a, &e);
		while (!a->quit && SDL_PollEvent(&e))
			handle(a, &e);
	}
	(void)tqk_app_wedge_tick(a);
	tick(a);
	redraw(a);
	return !a->quit;
}

void tqk_app_run(tqk_app *a)
{
	/* Wake at the next full second at the latest: the clock and timers. */
	while (tqk_app_pump(a, 1000 - (int)(SDL_GetTicks64() % 1000)))
		;
}

static void post(tqk_app *a, tqk_app_event kind, void *data)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = a->ev_base + kind;
	e.user.data1 = data;
	if (SDL_PushEvent(&e) != 1)
		free(data);
}

void tqk_app_post_scan(tqk_app *a, const char *text)
{
	char *copy = strdup(text);
	if (copy != NULL)
		post(a, TQK_EV_SCAN, copy);
}

void tqk_app_post_card(tqk_app *a, const tqk_idcard *card)
{
	tqk_idcard *copy = malloc(sizeof *copy);
	if (copy == NULL)
		return;
	*copy = *card;
	post(a, TQK_EV_CARD, copy);
}

bool tqk_app_shot(tqk_app *a, const char *name)
{
	draw(a);
	const char *dir = getenv("TQK_SHOTS");
	if (dir == NULL || dir[0] == '\0')
		dir = ".";
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return false;
	char path[1200];
	int n = snprintf(path, sizeof path, "%s/%s.png", dir, name);
	if (n < 0 || (size_t)n >= sizeof path)
		return false;
	bool ok = tqk_ui_screenshot(a->ui, path);
	SDL_RenderPresent(a->ren);
	return ok;
}

tqk_screen tqk_app_screen(const tqk_app *a)
{
	return a->screen;
}

const tqk_view *tqk_app_view(const tqk_app *a)
{
	return &a->view;
}

unsigned long tqk_app_frames(const tqk_app *a)
{
	return a->frames;
}
