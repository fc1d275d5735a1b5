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
 * session locking after two minutes idle.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include <SDL.h>
#include <sodium.h>

#include "app.h"
#include "core/state.h"
#include "dev/idcard.h"
#include "store/clerks.h"
#include "store/plan.h"
#include "support/fixture.h"

#define PIN "2468"
#define W 1280
#define H 800

typedef struct env {
	char dir[512], db[600];
	tqk_time now;
	tqk_app_clock clock;
	tqk_app *app;
} env;

static tqk_time env_now(void *ctx, tqk_time_source *src)
{
	*src = TQK_TIME_ANCHORED;
	return ((env *)ctx)->now;
}

static void open_app(env *e)
{
	const char *locale = getenv("TQK_LOCALE");
	tqk_app_opts o = {
		.db_path = e->db, .locale_dir = locale != NULL ? locale : "build/locale",
		.video_driver = "dummy", .width = W, .height = H, .lang = TQK_LANG_ZH,
		.clock = &e->clock,
	};
	char err[1024] = "";
	e->app = tqk_app_new(&o, err, sizeof err);
	if (e->app == NULL)
		fail_msg("tqk_app_new: %s", err);
}

static int setup(void **state)
{
	env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
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
	tqk_store_free(s);
	e->now = FIXTURE_NOW;
	e->clock = (tqk_app_clock){env_now, e};
	open_app(e);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;
	tqk_app_free(e->app);
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
	/* The next page holds the other 10. */
	tap(e, 32 + 420 + 100, IDLE_BUTTONS_Y);
	assert_int_equal(v->list.page_no, 2);
	assert_int_equal(v->list.page->n, 10);
	/* A card on the reader searches the list for its teacher. */
	tqk_idcard card;
	card_of(12, &card);
	tqk_app_post_card(e->app, &card);
	settle(e);
	assert_int_equal(tqk_app_screen(e->app), TQK_SCR_LIST);
	assert_int_equal(v->list.page->n, 1);
	assert_string_equal(v->list.page->rows[0].id_number, card.id);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
