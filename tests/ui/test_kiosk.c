/*
 * test_kiosk.c - the kiosk headless (SDL_VIDEODRIVER=dummy), driven as a
 * teacher and a clerk would drive it: touches at the places the screens
 * draw their buttons, typed text, an ID card and scanned strings posted as
 * the devices post them, and a clock the test moves. The checks are on the
 * app's screen and view and on the store; screenshots are saved at named
 * points into $TQK_SHOTS for people to look at.
 *
 * Walks: idle; teacher status by ID card and its clearing after 60 s
 * without a touch; status by a scanned registration number and a refused
 * scan; the window closed (and look-ups still working); clerk login with
 * the right PIN, the list of this site's applications; five wrong PINs
 * locking the clerk for five minutes, surviving a restart; the clerk's
 * session locking after two minutes idle; the teacher's status from a form
 * held up to the camera (a directory of frames), and the camera's line on
 * the admin screen.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <SDL.h>
#include <sodium.h>

#include "app.h"
#include "ui/ui.h"
#include "core/idnum.h"
#include "core/payload.h"
#include "core/state.h"
#include "core/walkin.h"
#include "core/window.h"
#include "dev/idcard.h"
#include "store/apps.h"
#include "store/clerks.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/plan.h"
#include "store/walkin.h"
#include "support/county.h"
#include "support/cupsd.h"
#include "support/fixture.h"
#include "support/idsim.h"
#include "support/imgfile.h"
#include "support/pdfcheck.h"
#include "support/scene.h"

#define PIN "2468"
#define ADMIN_PIN "97531"
#define DUP_REG "20269999000009"
#define W 1280
#define H 800

typedef struct env {
	char dir[512], db[600];
	char sync_conf[600];            /* "" offline */
	const char *reader;             /* the reader's address, NULL none */
	char camera[600];               /* the camera's address, "" none */
	idsim *sim;
	county srv;
	tqk_time now;
	tqk_app_clock clock;
	bool demo;                      /* the app in demo mode */
	test_cupsd *cupsd;              /* a private CUPS scheduler, NULL none */
	char printer[64];               /* the CUPS queue the app prints to, "" none */
	char admin_hash[crypto_pwhash_STRBYTES];
	tqk_app *app;
} env;

static tqk_time env_now(void *ctx, tqk_time_source *src)
{
	*src = TQK_TIME_ANCHORED;
	return ((env *)ctx)->now;
}

/* The app on e's store, in lang; NULL with err said when it refuses. */
static tqk_app *try_open(env *e, tqk_lang lang, char *err, size_t cap)
{
	const char *locale = getenv("TQK_LOCALE");
	tqk_app_opts o = {
		.db_path = e->db, .locale_dir = locale != NULL ? locale : "build/locale",
		.assets_dir = getenv("TQK_ASSETS") != NULL ? getenv("TQK_ASSETS") : "assets",
		.video_driver = "dummy", .width = W, .height = H, .lang = lang,
		.clock = &e->clock, .admin_pin_hash = e->admin_hash,
		.sync_config = e->sync_conf[0] != '\0' ? e->sync_conf : NULL,
		.reader = e->reader, .camera = e->camera[0] != '\0' ? e->camera : NULL,
		.demo = e->demo,
		.printer = e->printer[0] != '\0' ? e->printer : NULL,
		.print_server = e->cupsd != NULL ? test_cupsd_server(e->cupsd) : NULL,
	};
	return tqk_app_new(&o, err, cap);
}

static void open_app(env *e)
{
	char err[1024] = "";
	e->app = try_open(e, TQK_LANG_ZH, err, sizeof err);
	if (e->app == NULL)
		fail_msg("tqk_app_new: %s", err);
}

static int setup_store(void **state);
static const tqk_view_print *print_settled(env *e);
static void pdf_holds(const char *path, const char *const *want, size_t n);

/* With the reader simulator on a pty serving the cards of applications 30
 * and 31 (from a cards file written here). */
static int setup_reader(void **state)
{
	env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	char cards[600];
	snprintf(cards, sizeof cards, "%s/cards.json", e->dir);
	FILE *f = fopen(cards, "w");
	assert_non_null(f);
	fputs("{\"cards\": [", f);
	for (unsigned i = 30; i <= 31; i++) {
		tqk_application a;
		fixture_app(i, FIXTURE_SITE, &a);
		tqk_idnum id;
		assert_int_equal(tqk_id_parse(a.id_number, strlen(a.id_number), DATE(2026, 5, 20), &id),
		                 TQK_OK);
		fprintf(f, "%s{\"name\": \"%s\", \"gender\": \"%s\", \"nation\": \"汉\", "
		        "\"birth\": \"%04d-%02d-%02d\", \"address\": \"湖南省长沙县星沙街道\", "
		        "\"id\": \"%s\", \"authority\": \"长沙县公安局\", \"valid_from\": "
		        "\"2016-01-01\", \"valid_to\": \"长期\"}",
		        i > 30 ? ", " : "", a.name, id.gender == TQK_GENDER_MALE ? "男" : "女",
		        id.birth.year, id.birth.month, id.birth.day, a.id_number);
	}
	fputs("]}\n", f);
	assert_int_equal(fclose(f), 0);
	const char *args[] = {"--cards", cards, NULL};
	e->sim = idsim_start(args);
	e->reader = idsim_address(e->sim);
	*state = e;
	return setup_store(state);
}

/* The application whose form the camera sees. */
#define CAMERA_APP 40

/* With a camera that is a directory of frames: one PGM of a scene with the
 * Code 128 of application CAMERA_APP's registration number, as a form
 * held up in front of a busy background. */
static int setup_camera(void **state)
{
	env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	char frames[560], path[600];
	snprintf(frames, sizeof frames, "%s/frames", e->dir);
	assert_int_equal(mkdir(frames, 0700), 0);
	tqk_application a;
	fixture_app(CAMERA_APP, FIXTURE_SITE, &a);
	sc_spec spec = sc_spec_default(SC_CODE128);
	spec.w = 640;
	spec.h = 480;
	spec.module_lo = 3.0;
	spec.module_hi = 3.5;
	spec.linear = a.reg_no;
	bc_frame *f = NULL;
	sc_code c[2];
	size_t n = 0;
	assert_int_equal(sc_make(&spec, 7, &f, c, &n), 0);
	assert_int_equal(n, 1);
	snprintf(path, sizeof path, "%s/frame-0001.pgm", frames);
	assert_int_equal(imgfile_pgm(path, f->px, f->w, f->h), 0);
	bc_frame_free(f);
	snprintf(e->camera, sizeof e->camera, "dir:%s", frames);
	*state = e;
	return setup_store(state);
}

static int setup(void **state)
{
	env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	*state = e;
	return setup_store(state);
}

/* A kiosk in demo mode (on the test's clock) on a store of its own. */
static int setup_demo(void **state)
{
	env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	e->demo = true;
	*state = e;
	return setup_store(state);
}

static int setup_store(void **state)
{
	env *e = *state;
	snprintf(e->db, sizeof e->db, "%s/kiosk.db", e->dir);
	tqk_store *s = NULL;
	assert_int_equal(fixture_store(e->db, 60, 0, &s), TQK_OK);
	tqk_plan p = fixture_plan(1, NULL);
	bool stored = false;
	assert_int_equal(tqk_store_plan_put(s, &p, FIXTURE_NOW, &stored), TQK_OK);
	tqk_clerk c = {.id = FIXTURE_CLERK, .name = "王老师", .active = true};
	assert_int_equal(crypto_pwhash_str_alg(c.pin_hash, PIN, strlen(PIN), crypto_pwhash_OPSLIMIT_MIN,
	                                       crypto_pwhash_MEMLIMIT_MIN,
	                                       crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_int_equal(tqk_store_clerks_replace(s, &c, 1, FIXTURE_NOW, NULL, NULL), TQK_OK);
	/* Application 9's teacher registered twice: DUP_REG has its ID number. */
	tqk_application dup;
	fixture_app(9, FIXTURE_SITE, &dup);
	snprintf(dup.reg_no, sizeof dup.reg_no, "%s", DUP_REG);
	tqk_import_stats st;
	assert_int_equal(tqk_store_apps_put(s, &dup, 1, NULL, FIXTURE_NOW, &st, NULL), TQK_OK);
	tqk_store_free(s);
	assert_int_equal(crypto_pwhash_str_alg(e->admin_hash, ADMIN_PIN, strlen(ADMIN_PIN),
	                                       crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
	                                       crypto_pwhash_ALG_ARGON2ID13), 0);
	e->now = FIXTURE_NOW;
	e->clock = (tqk_app_clock){env_now, e};
	open_app(e);
	return 0;
}

/* Online: a real county server (tq-county serve) with site S01, kiosk K01,
 * clerk C007 (PIN 1234) and 5 applications; the kiosk starts with an empty
 * store and a sync configuration, and gets everything from its worker. */
static int setup_online(void **state)
{
	env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	*state = e;
	e->srv.pid = -1;
	fixture_tmpdir(e->dir, sizeof e->dir);
	char secret[COUNTY_SECRET_HEX];
	if (county_start(&e->srv, e->dir, false) != 0 ||
	    county_provision(&e->srv, "S01", "K01", 3, 5, 1, secret) != 0)
		fail_msg("county: %s", e->srv.why);
	snprintf(e->db, sizeof e->db, "%s/kiosk.db", e->dir);
	tqk_store *s = county_kiosk_store(e->db, "K01", 3);
	assert_non_null(s);
	tqk_store_free(s);
	snprintf(e->sync_conf, sizeof e->sync_conf, "%s/kiosk.conf", e->dir);
	char url[128];
	county_url(e->srv.port, url, sizeof url);
	FILE *f = fopen(e->sync_conf, "w");
	assert_non_null(f);
	fprintf(f, "[server]\nurl = %s\nconnect_timeout = 1\ntimeout = 5\n[kiosk]\nid = K01\n"
	        "secret = %s\n[sync]\nbackoff_cap = 2\n", url, secret);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(e->sync_conf, 0600), 0);
	e->now = FIXTURE_NOW;
	e->clock = (tqk_app_clock){env_now, e};
	open_app(e);
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;
	tqk_app_free(e->app);
	if (e->srv.pid > 0)
		(void)county_stop(&e->srv);
	(void)idsim_stop(e->sim);
	test_cupsd_free(e->cupsd);
	fixture_rmdir(e->dir);
	free(e);
	return 0;
}

/* Handles what is queued and draws; twice, so that an action's outcome is
 * on screen. */
static void settle(env *e)
{
	for (int i = 0; i < 2; i++)
		assert_true(tqk_app_pump(e->app, 10));
}

static void push(const SDL_Event *ev)
{
	SDL_Event copy = *ev;
	assert_int_equal(SDL_PushEvent(&copy), 1);
}

/* A touch (the left mouse button) at x, y: down, a frame, up, a frame. */
static void tap(env *e, int x, int y)
{
	SDL_Event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = SDL_MOUSEBUTTONDOWN;
	ev.button.button = SDL_BUTTON_LEFT;
	ev.button.state = SDL_PRESSED;
	ev.button.x = x;
	ev.button.y = y;
	push(&ev);
	settle(e);
	ev.type = SDL_MOUSEBUTTONUP;
	ev.button.state = SDL_RELEASED;
	push(&ev);
	settle(e);
}

static void type(env *e, const char *text)
{
	SDL_Event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = SDL_TEXTINPUT;
	snprintf(ev.text.text, sizeof ev.text.text, "%s", text);
	push(&ev);
	settle(e);
}

static void key(env *e, SDL_Keycode k)
{
	SDL_Event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = SDL_KEYDOWN;
	ev.key.state = SDL_PRESSED;
	ev.key.keysym.sym = k;
	ev.key.keysym.scancode = SDL_GetScancodeFromKey(k);
	push(&ev);
	settle(e);
}

static void shot(env *e, const char *name)
{
	assert_true(tqk_app_shot(e->app, name));
}

static void card_of(unsigned i, tqk_idcard *card)
{
	tqk_application a;
	fixture_app(i, FIXTURE_SITE, &a);
	memset(card, 0, sizeof *card);
	snprintf(card->name, sizeof card->name, "%.*s", (int)sizeof card->name - 1, a.name);
	snprintf(card->id, sizeof card->id, "%s", a.id_number);
}

/* Where the screens put their buttons at 1280x800 (screens.h: the body
 * starts at y 104, ends at 720; the bottom row of buttons at y 656). */
#define IDLE_CLERK_X 100
#define IDLE_BUTTONS_Y 680
#define LOGIN_CLERK0_X 100
#define LOGIN_CLERK0_Y 200

static void login(env *e, const char *pin)
{
	if (tqk_app_screen(e->app) != TQK_SCR_LOGIN) {
		tap(e, IDLE_CLERK_X, IDLE_BUTTONS_Y);
		assert_int_equal(tqk_app_screen(e->app), TQK_SCR_LOGIN);
		tap(e, LOGIN_CLERK0_X, LOGIN_CLERK0_Y);
		assert_int_equal(tqk_app_view(e->app)->login.selected, 0);
	}
	type(e, pin);
	key(e, SDLK_RETURN);
}

static void idle_then_status_by_card(void **state)
{
	env *e = *state;
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	const tqk_view *v = tqk_app_view(e->app);
	assert_string_equal(v->chrome.site_name, "长沙县星沙确认点");
	assert_true(v->chrome.open);
	shot(e, "01-idle");

	tqk_idcard card;
	card_of(3, &card);
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	assert_string_equal(v->status.name, card.name);
	assert_int_equal(v->status.n_apps, 1);
	assert_string_equal(v->status.apps[0].state, tqk_state_label(TQK_ST_SUBMITTED, TQK_LANG_ZH));
	/* Waiting for the site: the whole bag, without the police certificate
	 * (the certificate's name and number are the card's). */
	assert_true(v->status.apps[0].n_bring >= 7);
	for (size_t i = 0; i < v->status.apps[0].n_bring; i++)
		assert_null(strstr(v->status.apps[0].bring[i], "公安"));
	/* The ID number is shown masked. */
	assert_non_null(strchr(v->status.id_masked, '*'));
	shot(e, "02-status-card");

	/* 59 s without a touch: still there; 61 s: gone, and its data too. */
	e->now += 59;
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	e->now += 2;
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	assert_string_equal(v->status.name, "");
	assert_int_equal(v->status.n_apps, 0);
}

static void status_by_scan_and_refusals(void **state)
{
	env *e = *state;
	settle(e);
	tqk_application a;
	fixture_app(5, FIXTURE_SITE, &a);
	tqk_app_post_scan(e->app, a.reg_no);
	settle(e);
	const tqk_view *v = tqk_app_view(e->app);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	assert_string_equal(v->status.apps[0].reg_no, a.reg_no);
	/* A scanned number shows the status but prints nothing: the form's
	 * personal data goes on paper only for the card's holder. */
	assert_false(v->status.apps[0].can_print);
	/* The certificate's barcode finds it too. */
	tqk_app_post_scan(e->app, a.cert_no);
	settle(e);
	assert_string_equal(v->status.apps[0].reg_no, a.reg_no);
	/* Not one of ours: refused with a reason, nothing else changes. */
	tqk_app_post_scan(e->app, "hello, world");
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	assert_true(v->chrome.notice_bad);
	assert_true(v->chrome.notice[0] != '\0');
	shot(e, "03-status-refused-scan");
	/* An unknown registration number: "not found", nothing shown. */
	tqk_app_post_scan(e->app, "20269999999999");
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	assert_int_equal(v->status.n_apps, 0);
	shot(e, "04-status-not-found");
	/* A keyboard-wedge scanner types the form's number and Enter at
	 * once: a scan, not typing. */
	tqk_application b;
	fixture_app(6, FIXTURE_SITE, &b);
	SDL_Event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = SDL_TEXTINPUT;
	assert_true(strlen(b.reg_no) < sizeof ev.text.text);
	memcpy(ev.text.text, b.reg_no, strlen(b.reg_no) + 1);
	push(&ev);
	memset(&ev, 0, sizeof ev);
	ev.type = SDL_KEYDOWN;
	ev.key.keysym.sym = SDLK_RETURN;
	push(&ev);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	assert_int_equal(v->status.n_apps, 1);
	assert_string_equal(v->status.apps[0].reg_no, b.reg_no);
	/* 返回首页 (Home) at the top right clears it. */
	tap(e, W - 32 - 330 + 80, 40);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	assert_int_equal(v->status.n_apps, 0);
}

static void closed_window(void **state)
{
	env *e = *state;
	settle(e);
	/* 17:31 the same day: closed, opens tomorrow at 08:30. */
	e->now = test_at("2026-05-20 17:31");
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_CLOSED);
	const tqk_view *v = tqk_app_view(e->app);
	assert_string_equal(v->closed.next_open, "2026-05-21 08:30");
	shot(e, "05-closed");
	/* Look-ups still work. */
	tqk_idcard card;
	card_of(7, &card);
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	e->now += 61;
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_CLOSED);
	/* Saturday: closed until Monday. */
	e->now = test_at("2026-05-23 10:00");
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_CLOSED);
	assert_string_equal(v->closed.next_open, "2026-05-25 08:30");
	/* Monday morning: open again. */
	e->now = test_at("2026-05-25 08:30");
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
}

static void clerk_login_and_list(void **state)
{
	env *e = *state;
	settle(e);
	login(e, PIN);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_LIST);
	const tqk_view *v = tqk_app_view(e->app);
	assert_string_equal(v->chrome.clerk, "王老师");
	assert_non_null(v->list.page);
	assert_int_equal(v->list.page->n, 50);
	assert_true(v->list.page->more);
	shot(e, "06-list");
	/* The page holds 50; the arrow shows the rows below. */
	int first = v->list.scroll;
	tap(e, W - 32 - 32, 500);
	assert_true(v->list.scroll > first);
	shot(e, "06b-list-scrolled");
	/* The next page holds the other 11 (60 and a duplicate). */
	tap(e, 32 + 420 + 100, IDLE_BUTTONS_Y);
	assert_int_equal(v->list.page_no, 2);
	assert_int_equal(v->list.page->n, 11);
	/* A card on the reader finds its teacher and opens the verification. */
	tqk_idcard card;
	card_of(12, &card);
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_VERIFY);
	assert_string_equal(v->list.page->rows[0].id_number, card.id);
	assert_string_equal(v->verify.name, card.name);
	/* Two minutes without a touch lock the session. */
	e->now += 121;
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	assert_string_equal(v->chrome.clerk, "");
	assert_null(v->list.page);
}

static void wrong_pin_lockout(void **state)
{
	env *e = *state;
	settle(e);
	for (int i = 0; i < 4; i++) {
		login(e, "1111");
		assert_int_equal(tqk_app_screen(e->app), TQK_SCR_LOGIN);
		assert_int_equal(tqk_app_view(e->app)->login.locked_left, 0);
		assert_int_equal(tqk_app_view(e->app)->login.tries_left, 4 - i);
	}
	login(e, "1111");
	assert_true(tqk_app_view(e->app)->login.locked_left > 0);
	shot(e, "07-login-locked");
	/* The right PIN is refused while locked, also after a restart. */
	tqk_app_free(e->app);
	open_app(e);
	settle(e);
	login(e, PIN);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_LOGIN);
	assert_true(tqk_app_view(e->app)->login.locked_left > 0);
	/* Five minutes later it works. */
	e->now += 301;
	tap(e, LOGIN_CLERK0_X, LOGIN_CLERK0_Y);
	login(e, PIN);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_LIST);
}

static void english(void **state)
{
	env *e = *state;
	settle(e);
	/* The language switch at the top right. */
	tap(e, W - 32 - 75, 40);
	assert_int_equal(tqk_app_view(e->app)->chrome.lang, TQK_LANG_EN);
	shot(e, "08-idle-en");
	tap(e, W - 32 - 75, 40);
	assert_int_equal(tqk_app_view(e->app)->chrome.lang, TQK_LANG_ZH);
}


/* ---- the clerk's verification ---- */

/* The body's layout at 1280x800 (screens.h, verify.c). */
#define TAB_Y 136
#define TAB_X(i) (32 + 440 + (i) * 196 + 90)
#define IN_Y 184
#define CONFIRM_X (32 + 1216 - 160)
#define CONFIRM_Y 688

static tqk_store *peek(env *e)
{
	tqk_store *s = NULL;
	tqk_store_options o = {.readonly = true};
	assert_int_equal(tqk_store_open(e->db, &o, &s, NULL), TQK_OK);
	return s;
}

/* Taps 具备 (yes) or 不具备 on material m's toggle. */
static void mark(env *e, int m, bool yes)
{
	int x = 32 + (m % 2) * (596 + 24), y = IN_Y + (m / 2) * 92;
	int tx = x + 596 - 208;    /* the pair: 200 px, 8 from the cell's right */
	tap(e, yes ? tx + 50 : tx + 150, y + 42);
}

/* Every material not yet marked gets 具备, but those in lacks 不具备. */
static void mark_all(env *e, uint32_t lacks)
{
	tap(e, TAB_X(1), TAB_Y);
	const tqk_view *v = tqk_app_view(e->app);
	for (int m = 0; m < TQK_MAT_COUNT; m++) {
		if (v->verify.na[m])
			continue;
		bool yes = (lacks & TQK_MAT_BIT(m)) == 0;
		if (v->verify.marks[m] != (yes ? 1 : 2)) {
			if (v->verify.marks[m] != 0)
				mark(e, m, v->verify.marks[m] == 1);   /* clear it first */
			mark(e, m, yes);
		}
		assert_int_equal(v->verify.marks[m], yes ? 1 : 2);
	}
}

static void open_verify(env *e, unsigned i, tqk_application *a)
{
	fixture_app(i, FIXTURE_SITE, a);
	login(e, PIN);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_LIST);
	tqk_app_post_scan(e->app, a->reg_no);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_VERIFY);
	assert_string_equal(tqk_app_view(e->app)->verify.reg_no, a->reg_no);
}

static void confirm_complete_by_barcode(void **state)
{
	env *e = *state;
	/* A minute before closing time (the clerk works without a pause). */
	e->now = test_at("2026-05-20 17:29");
	settle(e);
	tqk_application a;
	open_verify(e, 20, &a);
	const tqk_view *v = tqk_app_view(e->app);
	/* The card on the reader and the certificate's barcode: no mismatch. */
	tqk_idcard card;
	card_of(20, &card);
	tqk_app_post_card(e->app, &card);
	settle(e);
	tqk_app_post_scan(e->app, a.cert_no);
	settle(e);
	for (size_t i = 0; i < v->verify.n_rows; i++)
		assert_false(v->verify.rows[i].mismatch);
	shot(e, "10-verify-compare");
	mark_all(e, 0);
	shot(e, "11-verify-materials");
	tap(e, TAB_X(2), TAB_Y);
	assert_int_equal(v->verify.conclusion, TQK_CONC_COMPLETE);
	/* After hours the commit is refused and nothing is written. */
	tqk_time ok = e->now;
	e->now = test_at("2026-05-20 17:30:05");
	tap(e, CONFIRM_X, CONFIRM_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_VERIFY);
	assert_non_null(strstr(v->verify.error, tqk_closed_text(TQK_CLOSED_AFTER_HOURS, TQK_LANG_ZH)));
	tqk_store *s = peek(e);
	tqk_confirmation c;
	assert_int_equal(tqk_store_confirmation_current(s, a.reg_no, &c), TQK_E_STORE_NOT_FOUND);
	tqk_store_free(s);
	shot(e, "12-verify-refused-closed");
	e->now = ok;
	tap(e, CONFIRM_X, CONFIRM_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_DONE);
	assert_string_equal(v->done.archive_no, "CSX202601001");
	shot(e, "13-done");
	/* Committed and queued. */
	s = peek(e);
	assert_int_equal(tqk_store_confirmation_current(s, a.reg_no, &c), TQK_OK);
	assert_int_equal(c.conclusion, TQK_CONC_COMPLETE);
	assert_string_equal(c.archive_no, "CSX202601001");
	assert_string_equal(c.clerk, FIXTURE_CLERK);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(s, a.reg_no, &got), TQK_OK);
	assert_int_equal(got.state, TQK_ST_CONFIRMED);
	tqk_outbox_counts n;
	assert_int_equal(tqk_store_outbox_counts(s, &n), TQK_OK);
	assert_int_equal(n.n[TQK_OUTBOX_PENDING], 1);
	tqk_store_free(s);
	/* The next applicant: back to the list. */
	tap(e, 32 + 1216 - 150, CONFIRM_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_LIST);
}

/* Demo mode: 演示模式 on the screen, the confirmation and its audit row
 * marked as a demo's (time source "demo"), and the store a demo's for
 * good: the production kiosk refuses to start on it. */
static void demo_records_marked(void **state)
{
	env *e = *state;
	settle(e);
	const tqk_view *v = tqk_app_view(e->app);
	assert_true(v->chrome.demo);
	tqk_application a;
	open_verify(e, 22, &a);
	mark_all(e, 0);
	tap(e, TAB_X(2), TAB_Y);
	tap(e, CONFIRM_X, CONFIRM_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_DONE);
	shot(e, "30-demo-done");
	tqk_store *s = peek(e);
	tqk_confirmation c;
	assert_int_equal(tqk_store_confirmation_current(s, a.reg_no, &c), TQK_OK);
	assert_int_equal(c.time_source, TQK_TIME_DEMO);
	tqk_store_free(s);

	tqk_app_free(e->app);
	e->demo = false;
	char err[1024] = "";
	e->app = try_open(e, TQK_LANG_ZH, err, sizeof err);
	assert_null(e->app);
	assert_non_null(strstr(err, "演示"));
	/* and the demo itself starts on it again */
	e->demo = true;
	open_app(e);
}

/* A production store (opened once by setup) refuses a demo. */
static void demo_refuses_production_store(void **state)
{
	env *e = *state;
	tqk_app_free(e->app);
	e->demo = true;
	char err[1024] = "";
	e->app = try_open(e, TQK_LANG_EN, err, sizeof err);
	assert_null(e->app);
	assert_non_null(strstr(err, "real records"));
	e->demo = false;
	open_app(e);
}

static void confirm_incomplete_with_message(void **state)
{
	env *e = *state;
	settle(e);
	tqk_application a;
	open_verify(e, 21, &a);
	const tqk_view *v = tqk_app_view(e->app);
	mark_all(e, TQK_MAT_BIT(TQK_MAT_HEALTH));
	tap(e, TAB_X(2), TAB_Y);
	assert_int_equal(v->verify.conclusion, TQK_CONC_INCOMPLETE);
	/* The message field, then the text typed (a physical keyboard's IME). */
	tap(e, 32 + 300 + 200, IN_Y + 128 + 72 + 20);
	type(e, "请补交身心健康证明");
	assert_string_equal(v->verify.message, "请补交身心健康证明");
	shot(e, "14-verify-incomplete");
	tap(e, CONFIRM_X, CONFIRM_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_DONE);
	assert_non_null(strstr(v->done.next_steps, "身心健康证明"));
	tqk_store *s = peek(e);
	tqk_confirmation c;
	assert_int_equal(tqk_store_confirmation_current(s, a.reg_no, &c), TQK_OK);
	assert_int_equal(c.conclusion, TQK_CONC_INCOMPLETE);
	assert_string_equal(c.message, "请补交身心健康证明");
	assert_int_equal(c.marks.mark[TQK_MAT_HEALTH], TQK_MARK_LACKS);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(s, a.reg_no, &got), TQK_OK);
	assert_int_equal(got.state, TQK_ST_SITE_INCOMPLETE);
	tqk_store_free(s);
	/* The teacher's card now shows what to bring. */
	tap(e, 32 + 1216 - 150, CONFIRM_Y);
	tap(e, 32 + 1216 - 110, CONFIRM_Y);     /* log out */
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	tqk_idcard card;
	card_of(21, &card);
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	assert_int_equal(v->status.apps[0].n_bring, 1);
	assert_non_null(strstr(v->status.apps[0].bring[0], "身心健康"));
	assert_string_equal(v->status.apps[0].site_message, "请补交身心健康证明");
	shot(e, "15-status-incomplete");
}

static void duplicate_not_accepted(void **state)
{
	env *e = *state;
	settle(e);
	login(e, PIN);
	tqk_app_post_scan(e->app, DUP_REG);
	settle(e);
	const tqk_view *v = tqk_app_view(e->app);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_VERIFY);
	assert_true(v->verify.duplicate[0] != '\0');
	assert_true(v->verify.remark[0] != '\0');
	shot(e, "16-verify-duplicate");
	tap(e, TAB_X(2), TAB_Y);
	tap(e, 32 + 2 * 410 + 197, IN_Y + 48 + 32);
	assert_int_equal(v->verify.conclusion, TQK_CONC_NOT_ACCEPTED);
	tap(e, CONFIRM_X, CONFIRM_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_DONE);
	tqk_store *s = peek(e);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(s, DUP_REG, &got), TQK_OK);
	assert_int_equal(got.state, TQK_ST_NOT_ACCEPTED);
	tqk_confirmation c;
	assert_int_equal(tqk_store_confirmation_current(s, DUP_REG, &c), TQK_OK);
	assert_true(c.remark[0] != '\0');
	/* No archive number for a bag that is not made. */
	assert_string_equal(c.archive_no, "");
	tqk_store_free(s);
}

static void correction_recorded(void **state)
{
	env *e = *state;
	settle(e);
	tqk_application a;
	open_verify(e, 22, &a);
	const tqk_view *v = tqk_app_view(e->app);
	/* The card says another name: a mismatch, corrected from the card. */
	tqk_idcard card;
	card_of(22, &card);
	snprintf(card.name, sizeof card.name, "%s", "欧阳明");
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_true(v->verify.rows[0].mismatch);
	shot(e, "17-verify-mismatch");
	tap(e, 32 + 1216 - 70, IN_Y + 44 + 24);          /* 修改 on the first row */
	assert_int_equal(v->verify.editing, 0);
	assert_string_equal(v->verify.edit, "欧阳明");
	tap(e, 32 + 1216 - 420 + 100, IN_Y + 48 + 32);   /* 保存修改 */
	assert_int_equal(v->verify.editing, -1);
	assert_false(v->verify.rows[0].mismatch);
	assert_true(v->verify.rows[0].corrected);
	/* The certificate's name now differs from the card: police certificate. */
	tap(e, TAB_X(1), TAB_Y);
	assert_false(v->verify.na[TQK_MAT_POLICE]);
	mark_all(e, 0);
	tap(e, TAB_X(2), TAB_Y);
	tap(e, CONFIRM_X, CONFIRM_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_DONE);
	tqk_store *s = peek(e);
	tqk_confirmation c;
	assert_int_equal(tqk_store_confirmation_current(s, a.reg_no, &c), TQK_OK);
	assert_int_equal(c.n_corrections, 1);
	assert_int_equal(c.corrections[0].field, TQK_F_NAME);
	assert_string_equal(c.corrections[0].old_value, a.name);
	assert_string_equal(c.corrections[0].new_value, "欧阳明");
	assert_true(c.police_required);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(s, a.reg_no, &got), TQK_OK);
	assert_string_equal(got.name, "欧阳明");
	tqk_store_free(s);
}

static void admin_and_sync_screens(void **state)
{
	env *e = *state;
	settle(e);
	const tqk_view *v = tqk_app_view(e->app);
	/* The upload status: nothing waits, no server configured. */
	tap(e, 446, IDLE_BUTTONS_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_SYNC);
	assert_int_equal(v->sync.pending, 0);
	assert_true(v->sync.detail[0] != '\0');
	shot(e, "18-sync");
	tap(e, W - 32 - 330 + 80, 40);                  /* 返回首页 */
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	/* The admin screen: shut until the admin PIN. */
	tap(e, 1148, IDLE_BUTTONS_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_ADMIN);
	assert_false(v->admin.unlocked);
	tap(e, 900, IN_Y);                               /* the PIN field */
	type(e, "0000");
	key(e, SDLK_RETURN);
	assert_false(v->admin.unlocked);
	assert_true(v->admin.message[0] != '\0');
	assert_string_equal(v->admin.pin, "");           /* never kept */
	type(e, ADMIN_PIN);
	key(e, SDLK_RETURN);
	assert_true(v->admin.unlocked);
	assert_true(v->admin.n >= 8);
	shot(e, "19-admin");
	/* Leaving locks it again. */
	tap(e, W - 32 - 330 + 80, 40);
	tap(e, 1148, IDLE_BUTTONS_Y);
	assert_false(v->admin.unlocked);
}

/* Pumps until cond holds or 30 s pass. */
#define PUMP_UNTIL(e, cond)                                                    \
	do {                                                                   \
		for (int t_ = 0; t_ < 3000 && !(cond); t_++)                   \
			assert_true(tqk_app_pump((e)->app, 10));               \
		assert_true(cond);                                             \
	} while (0)

static void online_confirmation_uploads(void **state)
{
	env *e = *state;
	const tqk_view *v = tqk_app_view(e->app);
	/* The worker's first round brings the plan, the clerk and the
	 * applications, and says so to the loop. */
	PUMP_UNTIL(e, v->chrome.online);
	assert_string_equal(v->chrome.site_name, tqk_app_view(e->app)->chrome.site_name);
	tqk_store *s = peek(e);
	char reg[TQK_CODE_CAP];
	assert_int_equal(county_kiosk_submitted(s, reg), 0);
	tqk_store_free(s);
	login(e, "1234");
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_LIST);
	assert_int_equal(v->list.page->n, 5);
	tqk_app_post_scan(e->app, reg);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_VERIFY);
	mark_all(e, 0);
	tap(e, TAB_X(2), TAB_Y);
	tap(e, CONFIRM_X, CONFIRM_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_DONE);
	/* Committed, then uploaded by the worker the commit woke. */
	PUMP_UNTIL(e, v->chrome.pending == 0 && v->chrome.online);
	char **uuids = NULL;
	size_t n = 0, dups = 0;
	assert_int_equal(county_confirmation_uuids(&e->srv, &uuids, &n, &dups), 0);
	assert_int_equal(n, 1);
	assert_int_equal(dups, 0);
	county_free_lines(uuids, n);
	shot(e, "20-done-uploaded");
}

static void card_through_the_reader(void **state)
{
	env *e = *state;
	settle(e);
	const tqk_view *v = tqk_app_view(e->app);
	tqk_application a;
	fixture_app(30, FIXTURE_SITE, &a);
	/* A card on the simulated reader, read over the pty by the reader's
	 * thread, arrives as the teacher's status. */
	idsim_ok(e->sim, "place 1");
	PUMP_UNTIL(e, tqk_app_screen(e->app) == TQK_SCR_STATUS);
	assert_string_equal(v->status.name, a.name);
	assert_string_equal(v->status.apps[0].reg_no, a.reg_no);
	shot(e, "21-status-from-reader");
	/* The same card left on the reader is not read again; taken off and
	 * another put on, that one is. */
	tap(e, W - 32 - 330 + 80, 40);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	for (int i = 0; i < 50; i++)
		assert_true(tqk_app_pump(e->app, 10));
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	idsim_ok(e->sim, "remove");
	for (int i = 0; i < 50; i++)    /* a hand takes longer than a few polls */
		assert_true(tqk_app_pump(e->app, 10));
	idsim_ok(e->sim, "place 2");
	fixture_app(31, FIXTURE_SITE, &a);
	PUMP_UNTIL(e, tqk_app_screen(e->app) == TQK_SCR_STATUS);
	assert_string_equal(v->status.apps[0].reg_no, a.reg_no);
}

static void status_by_camera(void **state)
{
	env *e = *state;
	const tqk_view *v = tqk_app_view(e->app);
	tqk_application a;
	fixture_app(CAMERA_APP, FIXTURE_SITE, &a);
	/* The camera's thread decodes the frame and posts it as a scan. */
	PUMP_UNTIL(e, tqk_app_screen(e->app) == TQK_SCR_STATUS);
	assert_string_equal(v->status.name, a.name);
	assert_int_equal(v->status.n_apps, 1);
	assert_string_equal(v->status.apps[0].reg_no, a.reg_no);
	shot(e, "22-status-by-camera");
	/* Home: the form is still in view (the frame comes round every
	 * 100 ms), and a code that never left is not scanned again. */
	tap(e, W - 32 - 330 + 80, 40);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	for (int i = 0; i < 50; i++)
		assert_true(tqk_app_pump(e->app, 10));
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	/* The admin screen says what the camera is. */
	tap(e, 1148, IDLE_BUTTONS_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_ADMIN);
	tap(e, 900, IN_Y);
	type(e, ADMIN_PIN);
	key(e, SDLK_RETURN);
	assert_true(v->admin.unlocked);
	bool found = false;
	for (size_t i = 0; i < v->admin.n; i++)
		if (strcmp(v->admin.lines[i][0], "摄像头") == 0) {
			assert_string_equal(v->admin.lines[i][1], "工作正常（目录中的图像帧）");
			found = true;
		}
	assert_true(found);
	shot(e, "23-admin-camera");
}

/* ---- the walk-in application (issue 7) ---- */

/* Where the wizard draws (screens/walkin.c at 1280x800): its rows in two
 * columns from y 160, 72 apart, the value button 204 px in; the picker's
 * options in four columns from y 208; back and next at the bottom. */
#define WI_ROW_X(i) (32 + ((i) % 2) * (592 + 32) + 204 + 194)
#define WI_ROW_Y(i) (160 + ((i) / 2) * 72 + 32)
#define WI_NEXT_X (32 + 1216 - 100)
#define WI_BACK_X (32 + 1216 - 2 * 200 - 24 + 100)
#define WI_BTN_Y 688
#define WI_TERMS_X 200
#define WI_TERMS_Y 608

static const tqk_view_walkin *wv(env *e)
{
	return &tqk_app_view(e->app)->walkin;
}

static void wi_next(env *e)
{
	tap(e, WI_NEXT_X, WI_BTN_Y);
}

/* Taps row i of the step and, for a picker, the options named (a level
 * each), paging until each is on screen. */
static void wi_pick(env *e, int i, const char *const *names, size_t n)
{
	tap(e, WI_ROW_X(i), WI_ROW_Y(i));
	for (size_t k = 0; k < n; k++) {
		assert_true(wv(e)->picking >= 0);
		for (int page = 0; page < 20; page++) {
			size_t j = 0;
			while (j < wv(e)->n_opts && strcmp(wv(e)->opts[j], names[k]) != 0)
				j++;
			if (j < wv(e)->n_opts) {
				tap(e, 32 + (int)(j % 4) * (295 + 12) + 140, 208 + (int)(j / 4) * 72 + 32);
				break;
			}
			if (!wv(e)->pick_more)
				fail_msg("no option %s", names[k]);
			tap(e, 32 + 1216 - 100, WI_BTN_Y);     /* next page */
		}
	}
	if (wv(e)->picking != -1) {
		shot(e, "failed-pick");
		fail_msg("picking %s (row %d) left the picker open at %s", names[n - 1], i,
		         wv(e)->pick_path);
	}
}

#define PICK(e, i, ...) do { \
		const char *const names_[] = {__VA_ARGS__}; \
		wi_pick((e), (i), names_, sizeof names_ / sizeof names_[0]); \
	} while (0)

/* Types text as a person would: a few characters at a time, slower than
 * a scanner, so that the keyboard-wedge detector passes it on as typing. */
static void type_slowly(env *e, const char *text)
{
	size_t n = strlen(text);
	for (size_t i = 0; i < n;) {
		char chunk[16];
		size_t k = 0;
		if ((unsigned char)text[i] >= 0x80) {    /* non-ASCII is never a scan */
			while (i + k < n && k + 4 < sizeof chunk)
				k++;
			while (i + k < n && ((unsigned char)text[i + k] & 0xC0u) == 0x80u)
				k--;
		} else {
			while (i + k < n && k < 6 && (unsigned char)text[i + k] < 0x80)
				k++;
		}
		memcpy(chunk, text + i, k);
		chunk[k] = '\0';
		type(e, chunk);
		SDL_Delay(60);
		settle(e);
		i += k;
	}
}

/* Taps row i and types text into its editor, then Return. */
static void wi_type(env *e, int i, const char *text)
{
	tap(e, WI_ROW_X(i), WI_ROW_Y(i));
	assert_true(wv(e)->editing >= 0);
	tap(e, 32 + 1216 - 640 + 100, 160 + 44 + 32);  /* clear what was there */
	assert_string_equal(wv(e)->edit, "");
	type_slowly(e, text);
	key(e, SDLK_RETURN);
}

/* The idle screen's "apply here", through the notice (3 s on the test's
 * clock) and the terms, to step 3. */
static void wi_to_ids(env *e)
{
	settle(e);
	tap(e, 568 + 150, IDLE_BUTTONS_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_WALKIN);
	assert_int_equal(wv(e)->step, TQK_WI_NOTICE);
	shot(e, "40-walkin-notice");
	wi_next(e);                             /* too early: nothing */
	assert_int_equal(wv(e)->step, TQK_WI_NOTICE);
	e->now += 2;
	settle(e);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_NOTICE);
	e->now += 1;
	settle(e);
	assert_int_equal(wv(e)->notice_left, 0);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_TERMS);
	wi_next(e);                             /* not accepted: refused, said */
	assert_int_equal(wv(e)->step, TQK_WI_TERMS);
	assert_string_not_equal(wv(e)->error, "");
	tap(e, WI_TERMS_X, WI_TERMS_Y);
	assert_true(wv(e)->terms);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_IDS);
}

/* Step 4 filled for a primary-school maths teacher of 长沙县. */
static void wi_cert_step(env *e)
{
	PICK(e, 0, "小学教师资格");
	PICK(e, 1, "湖南省", "长沙市", "长沙县教育局");
	PICK(e, 2, "数学");
	wi_type(e, 3, "20120701");
	PICK(e, 5, "汉族");
	PICK(e, 6, "长沙县教育局");
	PICK(e, 7, "小学");
	PICK(e, 8, "数学");
}

static void wi_account_step(env *e)
{
	wi_type(e, 0, "LI.NA@EXAMPLE.CN");
	wi_type(e, 1, "20120901");
	wi_type(e, 2, "XINGSHA2026");
	PICK(e, 3, "中小学教师", "二级教师");
	wi_type(e, 4, "XINGSHA2026");
	wi_type(e, 5, "长沙县星沙实验小学");
	PICK(e, 6, "城镇");
}

/* The card on the reader: the ID number and name are the card's; the
 * whole way to step 8, committed with its upload before step 8 shows. */
static void walkin_with_card(void **state)
{
	env *e = *state;
	wi_to_ids(e);
	tqk_idcard card;
	card_of(200, &card);
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_true(wv(e)->fixed[TQK_WIT_ID_NUMBER]);
	assert_string_equal(wv(e)->value[TQK_WIT_ID_NUMBER], card.id);
	tqk_application a;
	fixture_app(200, FIXTURE_SITE, &a);
	wi_type(e, 0, a.cert_no);
	shot(e, "41-walkin-ids");
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_CERT);
	assert_true(wv(e)->fixed[TQK_WIT_NAME]);
	assert_string_equal(wv(e)->value[TQK_WIT_NAME], card.name);
	assert_string_not_equal(wv(e)->derived, "");
	wi_cert_step(e);
	assert_string_equal(wv(e)->choice[TQK_WIC_AUTHORITY], "长沙县教育局");
	shot(e, "42-walkin-cert");
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_SITE);
	assert_string_equal(wv(e)->site, "长沙县星沙确认点");
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_SITE_NOTES);
	assert_non_null(strstr(wv(e)->notes, "2026-05-18"));
	shot(e, "43-walkin-notes");
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_ACCOUNT);
	wi_account_step(e);
	assert_null(strstr(wv(e)->value[TQK_WIT_PASSWORD], "XINGSHA"));
	shot(e, "44-walkin-account");
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_DONE);
	shot(e, "45-walkin-done");
	const char *reg = NULL;
	for (size_t i = 0; i < wv(e)->n_rows; i++)
		if (strncmp(wv(e)->rows[i][1], "WS01-K01-", 9) == 0)
			reg = wv(e)->rows[i][1];
	assert_non_null(reg);
	/* The form to sign: under the provisional number, without a QR code
	 * until the county has the application. */
	tap(e, 32 + 1216 - 2 * 200 - 24 + 100, WI_BTN_Y);
	const tqk_view_print *pv = print_settled(e);
	char form[900];
	snprintf(form, sizeof form, "%s/prints/form-%s.pdf", e->dir, reg);
	assert_non_null(strstr(pv->text, form));
	shot(e, "46-walkin-form-saved");
	const char *want[] = {reg, "临时报名号", "二维码待联网后生成", card.name, "长沙县星沙实验小学"};
	pdf_holds(form, want, 5);

	tqk_store *s = peek(e);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(s, reg, &got), TQK_OK);
	assert_string_equal(got.name, card.name);
	assert_string_equal(got.id_number, card.id);
	assert_string_equal(got.cert_authority, "长沙县教育局");
	assert_string_equal(got.title, "二级教师");
	assert_string_equal(got.school, "长沙县星沙实验小学");
	assert_int_equal(got.school_area, TQK_AREA_URBAN);
	assert_int_equal(got.state, TQK_ST_SUBMITTED);
	tqk_outbox_counts n;
	assert_int_equal(tqk_store_outbox_counts(s, &n), TQK_OK);
	assert_int_equal(n.n[TQK_OUTBOX_PENDING], 1);
	tqk_store_free(s);
	/* Finish: back to idle, nothing of it left on screen. */
	wi_next(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	assert_int_equal(wv(e)->step, 0);
	assert_string_equal(wv(e)->value[TQK_WIT_NAME], "");
}

/* No card: the ID number typed; a wrong check character said and the step
 * kept. A certificate the store knows under another ID number blocks. */
static void walkin_typed_and_blocked(void **state)
{
	env *e = *state;
	wi_to_ids(e);
	tqk_application known, mine;
	fixture_app(5, FIXTURE_SITE, &known);
	fixture_app(201, FIXTURE_SITE, &mine);
	char wrong[TQK_ID_LEN + 1];
	snprintf(wrong, sizeof wrong, "%s", mine.id_number);
	wrong[17] = wrong[17] == '0' ? '1' : '0';
	wi_type(e, 1, wrong);                   /* refused in the editor */
	assert_true(wv(e)->editing >= 0);
	assert_string_not_equal(wv(e)->error, "");
	tap(e, 32 + 1216 - 100, 160 + 44 + 32); /* the editor's cancel */
	assert_int_equal(wv(e)->editing, -1);
	wi_type(e, 1, mine.id_number);
	assert_false(wv(e)->fixed[TQK_WIT_ID_NUMBER]);
	wi_type(e, 0, known.cert_no);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_IDS);
	assert_non_null(strstr(wv(e)->error, tqk_strerror(TQK_E_WALKIN_CERT_ID, TQK_LANG_ZH)));
	shot(e, "46-walkin-blocked");
	/* Its own teacher has applied already: told so, not a second time. */
	wi_type(e, 1, known.id_number);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_IDS);
	if (strstr(wv(e)->error, tqk_strerror(TQK_E_WALKIN_EXISTS, TQK_LANG_ZH)) == NULL)
		fail_msg("said \"%s\" (ID %s)", wv(e)->error, wv(e)->value[TQK_WIT_ID_NUMBER]);
	/* A new certificate goes on, with the typed ID number's birth date. */
	wi_type(e, 1, mine.id_number);
	wi_type(e, 0, mine.cert_no);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_CERT);
	assert_false(wv(e)->fixed[TQK_WIT_NAME]);
}

/* Step 4's refusals: what is missing is named; an institution without a
 * plan, or outside its window, with the date; back and forward keep
 * everything. */
static void walkin_refusals_and_back(void **state)
{
	env *e = *state;
	wi_to_ids(e);
	tqk_application mine;
	fixture_app(202, FIXTURE_SITE, &mine);
	wi_type(e, 1, mine.id_number);
	wi_type(e, 0, mine.cert_no);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_CERT);
	wi_next(e);                             /* nothing filled in */
	assert_int_equal(wv(e)->step, TQK_WI_CERT);
	assert_non_null(strstr(wv(e)->error, "资格种类"));
	/* a name is typed with the pinyin keyboard; a number without it */
	tap(e, WI_ROW_X(4), WI_ROW_Y(4));
	assert_true(wv(e)->edit_chinese);
	shot(e, "46b-walkin-name-pinyin");
	tap(e, 32 + 1216 - 100, 160 + 44 + 32);         /* cancel */
	tap(e, WI_ROW_X(3), WI_ROW_Y(3));
	assert_false(wv(e)->edit_chinese);
	assert_true(wv(e)->edit_keypad);
	tap(e, 32 + 1216 - 100, 160 + 44 + 32);
	wi_type(e, 4, mine.name);
	wi_cert_step(e);
	/* not open yet: 浏阳市教育局 opens 2026-06-01; closed: 宁乡市 */
	PICK(e, 6, "浏阳市教育局");
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_CERT);
	assert_non_null(strstr(wv(e)->error, "2026-06-01"));
	shot(e, "47-walkin-not-open");
	PICK(e, 6, "宁乡市教育局");
	wi_next(e);
	assert_non_null(strstr(wv(e)->error, "2026-04-30"));
	PICK(e, 6, "长沙县教育局");
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_SITE);
	/* back to step 3 and forward again: everything is still there */
	tap(e, WI_BACK_X, WI_BTN_Y);
	tap(e, WI_BACK_X, WI_BTN_Y);
	assert_int_equal(wv(e)->step, TQK_WI_IDS);
	assert_string_equal(wv(e)->value[TQK_WIT_CERT_NO], mine.cert_no);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_CERT);
	assert_string_equal(wv(e)->choice[TQK_WIC_AUTHORITY], "长沙县教育局");
	assert_string_equal(wv(e)->value[TQK_WIT_ISSUED], "2012-07-01");
	assert_string_equal(wv(e)->value[TQK_WIT_NAME], mine.name);
	wi_next(e);
	wi_next(e);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_ACCOUNT);
	wi_next(e);                             /* step 7, nothing filled in */
	assert_int_equal(wv(e)->step, TQK_WI_ACCOUNT);
	assert_non_null(strstr(wv(e)->error, "电子邮箱"));
	wi_account_step(e);
	wi_type(e, 4, "XINGSHA2025");           /* the second password differs */
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_ACCOUNT);
	assert_non_null(strstr(wv(e)->error, tqk_strerror(TQK_E_PASSWORD_MISMATCH, TQK_LANG_ZH)));
	/* nothing was stored */
	tqk_store *s = peek(e);
	tqk_outbox_counts n;
	assert_int_equal(tqk_store_outbox_counts(s, &n), TQK_OK);
	assert_int_equal(n.n[TQK_OUTBOX_PENDING], 0);
	tqk_store_free(s);
}

/* A plan without institutions: nothing to choose, and "next" says the
 * institution has no registration plan. */
static void walkin_no_plan(void **state)
{
	env *e = *state;
	tqk_app_free(e->app);
	e->app = NULL;
	tqk_store *s = NULL;
	assert_int_equal(tqk_store_open(e->db, NULL, &s, NULL), TQK_OK);
	tqk_plan p = fixture_plan(2, NULL);
	p.n_institutions = 0;
	bool stored = false;
	assert_int_equal(tqk_store_plan_put(s, &p, FIXTURE_NOW, &stored), TQK_OK);
	assert_true(stored);
	tqk_store_free(s);
	open_app(e);
	wi_to_ids(e);
	tqk_application mine;
	fixture_app(204, FIXTURE_SITE, &mine);
	wi_type(e, 1, mine.id_number);
	wi_type(e, 0, mine.cert_no);
	wi_next(e);
	wi_type(e, 4, mine.name);
	PICK(e, 0, "小学教师资格");
	PICK(e, 1, "湖南省", "长沙市", "长沙县教育局");
	PICK(e, 2, "数学");
	wi_type(e, 3, "20120701");
	PICK(e, 5, "汉族");
	PICK(e, 7, "小学");
	PICK(e, 8, "数学");
	tap(e, WI_ROW_X(6), WI_ROW_Y(6));       /* the institutions: none */
	assert_int_equal(wv(e)->picking, TQK_WIC_INSTITUTION);
	assert_int_equal(wv(e)->n_opts, 0);
	shot(e, "47b-walkin-no-institutions");
	tap(e, 132, WI_BTN_Y);                  /* the picker's cancel */
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_CERT);
	assert_non_null(strstr(wv(e)->error, tqk_strerror(TQK_E_WALKIN_NO_PLAN, TQK_LANG_ZH)));
}

/* The county's own hierarchy, come with the plan, is the one offered. */
static void walkin_county_trees(void **state)
{
	env *e = *state;
	tqk_app_free(e->app);
	e->app = NULL;
	tqk_store *s = NULL;
	assert_int_equal(tqk_store_open(e->db, NULL, &s, NULL), TQK_OK);
	tqk_plan p = fixture_plan(2, NULL);
	p.trees[0] = (char *)"tqk-tree 1 authorities\n湖南省\n\t湖南省教育厅\n\t长沙市\n"
	                     "\t\t长沙县教育局\n\t\t星沙新区教育局\n";
	bool stored = false;
	assert_int_equal(tqk_store_plan_put(s, &p, FIXTURE_NOW, &stored), TQK_OK);
	tqk_store_free(s);
	open_app(e);
	wi_to_ids(e);
	tqk_application mine;
	fixture_app(205, FIXTURE_SITE, &mine);
	wi_type(e, 1, mine.id_number);
	wi_type(e, 0, mine.cert_no);
	wi_next(e);
	tap(e, WI_ROW_X(1), WI_ROW_Y(1));
	assert_int_equal(wv(e)->n_opts, 1);         /* one province only */
	assert_string_equal(wv(e)->opts[0], "湖南省");
	tap(e, 132, WI_BTN_Y);
	PICK(e, 1, "湖南省", "长沙市", "星沙新区教育局");
	shot(e, "47c-walkin-county-tree");
	assert_string_equal(wv(e)->choice[TQK_WIC_AUTHORITY], "星沙新区教育局");
}

/* A teacher whose application still waits changes it at the kiosk, with
 * their ID card: steps 4-7, no password, only what differs recorded and
 * queued. After the confirmation period the button is gone. */
static void teacher_changes_application(void **state)
{
	env *e = *state;
	settle(e);
	tqk_idcard card;
	card_of(3, &card);
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	assert_true(tqk_app_view(e->app)->status.apps[0].can_change);
	shot(e, "50-status-change-button");
	tap(e, 32 + 1216 - 316 + 150, 104 + 616 - 40 - 80 + 32);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_WALKIN);
	assert_int_equal(wv(e)->step, TQK_WI_CERT);
	assert_true(wv(e)->change);
	assert_true(wv(e)->fixed[TQK_WIT_NAME]);
	tap(e, WI_BACK_X, WI_BTN_Y);                /* no going back before step 4 */
	assert_int_equal(wv(e)->step, TQK_WI_CERT);
	wi_next(e);
	wi_next(e);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_ACCOUNT);
	wi_next(e);                                 /* nothing changed: said */
	assert_int_equal(wv(e)->step, TQK_WI_ACCOUNT);
	assert_string_not_equal(wv(e)->error, "");
	wi_type(e, 3, "长沙县星沙实验小学");           /* the school row of a change */
	shot(e, "51-change-account");
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_DONE);
	assert_int_equal(wv(e)->n_rows, 1);
	assert_non_null(strstr(wv(e)->rows[0][1], "→ 长沙县星沙实验小学"));
	shot(e, "52-change-done");
	tqk_application a;
	fixture_app(3, FIXTURE_SITE, &a);
	tqk_store *s = peek(e);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(s, a.reg_no, &got), TQK_OK);
	assert_string_equal(got.school, "长沙县星沙实验小学");
	tqk_outbox_counts n;
	assert_int_equal(tqk_store_outbox_counts(s, &n), TQK_OK);
	assert_int_equal(n.n[TQK_OUTBOX_PENDING], 1);
	tqk_store_free(s);
	wi_next(e);
	/* the confirmation period over (2026-05-29): view only */
	e->now = test_at("2026-05-30 10:00");
	settle(e);
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_false(tqk_app_view(e->app)->status.apps[0].can_change);
}

/* Left alone: warned at 150 s, discarded at 180 s; leaving asks first. */
static void walkin_idle_and_leave(void **state)
{
	env *e = *state;
	wi_to_ids(e);
	tqk_application mine;
	fixture_app(203, FIXTURE_SITE, &mine);
	wi_type(e, 0, mine.cert_no);
	e->now += 149;
	settle(e);
	assert_int_equal(wv(e)->idle_left, 0);
	e->now += 1;
	settle(e);
	assert_int_equal(wv(e)->idle_left, 30);
	shot(e, "48-walkin-idle-warning");
	e->now += 30;
	settle(e);
	assert_int_not_equal(tqk_app_screen(e->app), TQK_SCR_WALKIN);
	assert_string_equal(wv(e)->value[TQK_WIT_CERT_NO], "");
	/* Cancel asks; "go on" keeps it, "discard" drops it. */
	wi_to_ids(e);
	wi_type(e, 0, mine.cert_no);
	tap(e, 132, WI_BTN_Y);
	assert_true(wv(e)->leaving);
	tap(e, 32 + 608 + 20 + 150, 104 + 200 + 32);   /* go on */
	assert_false(wv(e)->leaving);
	assert_string_equal(wv(e)->value[TQK_WIT_CERT_NO], mine.cert_no);
	tap(e, 132, WI_BTN_Y);
	tap(e, 32 + 608 - 320 + 150, 104 + 200 + 32);  /* discard */
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_IDLE);
	assert_string_equal(wv(e)->value[TQK_WIT_CERT_NO], "");
}

/* Offline at first: the walk-in is stored under a provisional number;
 * the worker brings it to the county server, which gives the official
 * number, and the teacher's card shows that one from then on. */
static void walkin_offline_then_official(void **state)
{
	env *e = *state;
	/* the first round brings the plan with its institution */
	PUMP_UNTIL(e, tqk_app_view(e->app)->chrome.online);
	settle(e);
	wi_to_ids(e);
	tqk_idcard card;
	card_of(210, &card);
	tqk_app_post_card(e->app, &card);
	settle(e);
	tqk_application a;
	fixture_app(210, "S01", &a);
	wi_type(e, 0, a.cert_no);
	wi_next(e);
	wi_cert_step(e);
	wi_next(e);
	wi_next(e);
	wi_next(e);
	wi_account_step(e);
	wi_next(e);
	assert_int_equal(wv(e)->step, TQK_WI_DONE);
	char reg[TQK_CODE_CAP] = "";
	for (size_t i = 0; i < wv(e)->n_rows; i++)
		if (strncmp(wv(e)->rows[i][1], "WS01-K01-", 9) == 0)
			snprintf(reg, sizeof reg, "%s", wv(e)->rows[i][1]);
	assert_string_not_equal(reg, "");
	wi_next(e);
	/* the worker uploads it; the card then shows the official number */
	tqk_walkin_row w;
	memset(&w, 0, sizeof w);
	for (int t = 0; t < 3000 && w.official[0] == '\0'; t++) {
		assert_true(tqk_app_pump(e->app, 10));
		tqk_store *s = peek(e);
		assert_int_equal(tqk_store_walkin_get(s, reg, &w), TQK_OK);
		tqk_store_free(s);
	}
	assert_memory_equal(w.official, "20269", 5);
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	assert_string_equal(tqk_app_view(e->app)->status.apps[0].reg_no, w.official);
	shot(e, "49-walkin-official-number");

	/* The county's copy comes down with its form signed for the official
	 * number: the form printed now carries the QR code, which verifies. */
	tqk_application got;
	memset(&got, 0, sizeof got);
	tqk_keyset keys;
	for (int t = 0; t < 3000 && got.payload[0] == '\0'; t++) {
		assert_true(tqk_app_pump(e->app, 10));
		tqk_store *s = peek(e);
		assert_int_equal(tqk_store_app_get(s, reg, &got), TQK_OK);
		assert_int_equal(tqk_store_plan_keys(s, &keys), TQK_OK);
		tqk_store_free(s);
	}
	assert_string_not_equal(got.payload, "");
	tqk_app_post_card(e->app, &card);
	settle(e);
	tap(e, 32 + 16 + 110, 104 + 616 - 40 - 80 + TQK_UI_BUTTON_H / 2);
	const tqk_view_print *pv = print_settled(e);
	char form[900];
	snprintf(form, sizeof form, "%s/prints/form-%s.pdf", e->dir, w.official);
	assert_non_null(strstr(pv->text, form));
	tqk_image img;
	assert_int_equal(pdf_raster(form, e->dir, 200, &img), 0);
	char qr[TQK_PAYLOAD_CAP];
	size_t len = 0;
	assert_int_equal(pdf_decode(&img, true, qr, sizeof qr, &len), 0);
	tqk_image_close(&img);
	tqk_payload p;
	assert_int_equal(tqk_payload_verify(qr, len, &keys, &p), TQK_OK);
	assert_string_equal(p.reg_no, w.official);
	assert_string_equal(p.id_number, card.id);
}

/* ---- printing ---- */

/* Pumps the loop until the print line says something other than "being
 * made" (the print thread's events arrive), at most 20 s. */
static const tqk_view_print *print_settled(env *e)
{
	const tqk_view_print *pv = &tqk_app_view(e->app)->print;
	for (int i = 0; i < 2000 && (pv->busy || pv->text[0] == '\0'); i++)
		assert_true(tqk_app_pump(e->app, 10));
	settle(e);
	assert_false(pv->busy);
	return pv;
}

/* The PDF at path is one page holding every string of want (squashed). */
static void pdf_holds(const char *path, const char *const *want, size_t n)
{
	int pages = 0;
	double w = 0, h = 0;
	assert_int_equal(pdf_info(path, &pages, &w, &h), 0);
	assert_int_equal(pages, 1);
	const char *missing = pdf_lacks(path, want, n);
	if (missing != NULL)
		fail_msg("%s: \"%s\" is not in the text", path, missing);
}

/* Confirms application i with materials lacks missing; ends on Done. */
static void conclude(env *e, unsigned i, uint32_t lacks, tqk_application *a)
{
	open_verify(e, i, a);
	mark_all(e, lacks);
	tap(e, TAB_X(2), TAB_Y);
	tap(e, CONFIRM_X, CONFIRM_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_DONE);
}

#define COVER_X (32 + 180)
#define RECEIPT_X (32 + 380 + 180)

/* No printer configured: the cover and the receipt are saved beside the
 * store, and the Done screen says where. */
static void print_without_a_printer_saves(void **state)
{
	env *e = *state;
	tqk_application a;
	conclude(e, 24, TQK_MAT_BIT(TQK_MAT_HEALTH), &a);
	const tqk_view *v = tqk_app_view(e->app);
	char archive[32];
	snprintf(archive, sizeof archive, "%s", v->done.archive_no);
	tap(e, COVER_X, CONFIRM_Y);
	const tqk_view_print *pv = print_settled(e);
	char path[900];
	snprintf(path, sizeof path, "%s/prints/cover-%s.pdf", e->dir, archive);
	assert_non_null(strstr(pv->text, "已保存为"));
	assert_non_null(strstr(pv->text, path));
	shot(e, "60-done-cover-saved");
	const char *cover[] = {archive, a.name, "2026", "身心健康证明"};
	pdf_holds(path, cover, 4);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	tap(e, RECEIPT_X, CONFIRM_Y);
	pv = print_settled(e);
	snprintf(path, sizeof path, "%s/prints/receipt-%s.pdf", e->dir, a.reg_no);
	assert_non_null(strstr(pv->text, path));
	const char *receipt[] = {a.reg_no, "材料不齐全", "身心健康证明", "长沙县星沙确认点"};
	pdf_holds(path, receipt, 4);
	/* Leaving the screen forgets what was said. */
	tap(e, 32 + 1216 - 150, CONFIRM_Y);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_LIST);
	assert_string_equal(v->print.text, "");
}

/* A private CUPS scheduler with a queue whose backend writes the job's
 * document to a file: skipped, saying why, where cupsd cannot run. */
static int setup_cups(void **state)
{
	env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	char why[512] = "";
	e->cupsd = test_cupsd_start(why, sizeof why);
	if (e->cupsd != NULL) {
		char out[700];
		snprintf(out, sizeof out, "%s/printed.pdf", test_cupsd_dir(e->cupsd));
		if (test_cupsd_add_queue(e->cupsd, "tq", out, false) != 0 ||
		    test_cupsd_add_queue(e->cupsd, "tqfail", "fail", true) != 0 ||
		    test_cupsd_add_queue(e->cupsd, "tqstop", "stop", false) != 0) {
			test_cupsd_free(e->cupsd);
			e->cupsd = NULL;
			snprintf(why, sizeof why, "lpadmin failed");
		}
	}
	if (e->cupsd == NULL)
		fprintf(stderr, "no private cupsd: %s\n", why);
	snprintf(e->printer, sizeof e->printer, "tq");
	*state = e;
	return setup_store(state);
}

/* Printed through CUPS: the job is followed to its end and the document
 * reaches the printer byte for byte; a job that fails is saved instead. */
static void print_through_cups(void **state)
{
	env *e = *state;
	if (e->cupsd == NULL)
		skip();
	tqk_application a;
	conclude(e, 25, 0, &a);
	tap(e, RECEIPT_X, CONFIRM_Y);
	const tqk_view_print *pv = print_settled(e);
	assert_non_null(strstr(pv->text, "已打印"));
	assert_int_equal(pv->colour, TQK_C_OK);
	shot(e, "61-done-printed");
	char out[700];
	snprintf(out, sizeof out, "%s/printed.pdf", test_cupsd_dir(e->cupsd));
	const char *receipt[] = {a.reg_no, "材料齐全"};
	pdf_holds(out, receipt, 2);

	/* The queue whose printer fails: the copy is saved, the screen says so. */
	tqk_app_free(e->app);
	snprintf(e->printer, sizeof e->printer, "tqfail");
	open_app(e);
	tqk_application b;
	conclude(e, 26, 0, &b);
	tap(e, COVER_X, CONFIRM_Y);
	pv = print_settled(e);
	assert_non_null(strstr(pv->text, "未能打印"));
	assert_non_null(strstr(pv->text, "/prints/cover-"));
	shot(e, "62-done-print-failed-saved");

	/* A printer that stops (out of paper): the job stays queued, a copy is
	 * saved, and the next document need not wait. */
	tqk_app_free(e->app);
	snprintf(e->printer, sizeof e->printer, "tqstop");
	open_app(e);
	tqk_application c;
	conclude(e, 28, 0, &c);
	tap(e, RECEIPT_X, CONFIRM_Y);
	pv = print_settled(e);
	assert_non_null(strstr(pv->text, "仍在打印机队列中"));
	assert_non_null(strstr(pv->text, "/prints/receipt-"));
	assert_int_equal(pv->colour, TQK_C_WARN);
	shot(e, "64-done-printer-stopped");
}

/* The teacher's own status screen prints the form and, once the site has
 * concluded, the receipt. */
static void status_prints_form_and_receipt(void **state)
{
	env *e = *state;
	tqk_application a;
	fixture_app(27, FIXTURE_SITE, &a);
	tqk_store *s = NULL;
	assert_int_equal(tqk_store_open(e->db, NULL, &s, NULL), TQK_OK);
	tqk_confirmation c;
	fixture_confirmation(a.reg_no, &c);
	tqk_err err = tqk_store_confirm(s, &c);
	if (err != TQK_OK)
		fail_msg("confirm: %s (%s)", tqk_err_code(err), tqk_store_detail(s));
	tqk_store_free(s);
	tqk_idcard card;
	card_of(27, &card);
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_STATUS);
	const tqk_view *v = tqk_app_view(e->app);
	assert_true(v->status.apps[0].can_print);
	assert_true(v->status.apps[0].concluded);
	shot(e, "63-status-print-buttons");
	/* the block's buttons: form at its left, receipt beside it (status.c) */
	tqk_rect b = {32, 104, 1216, 616};
	int by = b.y + b.h - 40 - 80 + TQK_UI_BUTTON_H / 2;
	tap(e, b.x + 16 + 110, by);
	const tqk_view_print *pv = print_settled(e);
	char path[900];
	snprintf(path, sizeof path, "%s/prints/form-%s.pdf", e->dir, a.reg_no);
	assert_non_null(strstr(pv->text, path));
	const char *form[] = {a.reg_no, a.name, a.id_number, "教师资格定期注册申请表"};
	pdf_holds(path, form, 4);
	tap(e, b.x + 16 + 220 + 16 + 110, by);
	pv = print_settled(e);
	snprintf(path, sizeof path, "%s/prints/receipt-%s.pdf", e->dir, a.reg_no);
	assert_non_null(strstr(pv->text, path));
}

int main(void)
{
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(idle_then_status_by_card, setup, teardown),
		cmocka_unit_test_setup_teardown(status_by_scan_and_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(closed_window, setup, teardown),
		cmocka_unit_test_setup_teardown(clerk_login_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_pin_lockout, setup, teardown),
		cmocka_unit_test_setup_teardown(english, setup, teardown),
		cmocka_unit_test_setup_teardown(confirm_complete_by_barcode, setup, teardown),
		cmocka_unit_test_setup_teardown(print_without_a_printer_saves, setup, teardown),
		cmocka_unit_test_setup_teardown(print_through_cups, setup_cups, teardown),
		cmocka_unit_test_setup_teardown(status_prints_form_and_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(confirm_incomplete_with_message, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_not_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(correction_recorded, setup, teardown),
		cmocka_unit_test_setup_teardown(admin_and_sync_screens, setup, teardown),
		cmocka_unit_test_setup_teardown(online_confirmation_uploads, setup_online, teardown),
		cmocka_unit_test_setup_teardown(card_through_the_reader, setup_reader, teardown),
		cmocka_unit_test_setup_teardown(status_by_camera, setup_camera, teardown),
		cmocka_unit_test_setup_teardown(demo_records_marked, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(demo_refuses_production_store, setup, teardown),
		cmocka_unit_test_setup_teardown(walkin_with_card, setup, teardown),
		cmocka_unit_test_setup_teardown(walkin_typed_and_blocked, setup, teardown),
		cmocka_unit_test_setup_teardown(walkin_refusals_and_back, setup, teardown),
		cmocka_unit_test_setup_teardown(walkin_no_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(walkin_county_trees, setup, teardown),
		cmocka_unit_test_setup_teardown(walkin_idle_and_leave, setup, teardown),
		cmocka_unit_test_setup_teardown(teacher_changes_application, setup, teardown),
		cmocka_unit_test_setup_teardown(walkin_offline_then_official, setup_online, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
