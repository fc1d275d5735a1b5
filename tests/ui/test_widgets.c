/*
 * test_widgets.c - the kiosk's widgets (kiosk/ui/ui.h) headless: SDL's dummy
 * video driver, a 1280x800 software renderer and the CJK font fontconfig
 * finds. Events go through tqk_ui_event as SDL would deliver them, frames
 * run, and the test checks what the widgets report: clicks (mouse and
 * finger), the toggle, fields (focus, UTF-8 editing, caps, flags, Return,
 * Tab), the keypad, wrapping and measuring, the string cache, and a
 * screenshot written to $TQK_SHOTS/widgets.png for a person to look at.
 * Then Chinese input: the pinyin engine over the bundled libpinyin data
 * (candidates, choosing, caps, errors, and that nothing it is given stays
 * on disk or in its ranking), the pinyin keyboard (typing a name, back,
 * space and ok, paging, 英 mode, the focus moving, no data), the system
 * input method's composition (SDL_TEXTEDITING, then SDL_TEXTINPUT), and a
 * screenshot of the keyboard with candidates in $TQK_SHOTS/pinyin.png.
 */
#include "test.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#include "i18n.h"
#include "ime_labels.h"
#include "ui/pinyin.h"
#include "ui/ui.h"

#define W 1280
#define H 800

typedef struct fixture {
	SDL_Window *win;
	SDL_Renderer *r;
	tqk_ui *ui;
} fixture;

static int group_setup(void **state)
{
	(void)state;
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	return SDL_Init(SDL_INIT_VIDEO) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	SDL_Quit();
	return 0;
}

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	fx->win = SDL_CreateWindow("test", 0, 0, W, H, 0);
	if (!fx->win)
		return -1;
	fx->r = SDL_CreateRenderer(fx->win, -1, SDL_RENDERER_SOFTWARE);
	if (!fx->r)
		return -1;
	char path[TQK_UI_FONT_PATH_CAP];
	int index = -1;
	if (!tqk_ui_font_find(path, &index))
		return -1;
	fx->ui = tqk_ui_new(fx->r, path, index);
	if (!fx->ui)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	tqk_ui_free(fx->ui);
	SDL_DestroyRenderer(fx->r);
	SDL_DestroyWindow(fx->win);
	free(fx);
	return 0;
}

/* Events as SDL delivers them. */
static void mouse(tqk_ui *ui, Uint32 type, int x, int y)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = type;
	e.button.which = 0;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
	e.button.x = x;
	e.button.y = y;
	assert_true(tqk_ui_event(ui, &e));
}

static void finger(tqk_ui *ui, Uint32 type, int x, int y)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = type;
	e.tfinger.touchId = 1;
	e.tfinger.fingerId = 7;
	e.tfinger.x = (float)x / W;
	e.tfinger.y = (float)y / H;
	assert_true(tqk_ui_event(ui, &e));
}

static void tap(tqk_ui *ui, int x, int y)
{
	mouse(ui, SDL_MOUSEBUTTONDOWN, x, y);
	mouse(ui, SDL_MOUSEBUTTONUP, x, y);
}

static void text_input(tqk_ui *ui, const char *s)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = SDL_TEXTINPUT;
	snprintf(e.text.text, sizeof e.text.text, "%s", s);
	assert_true(tqk_ui_event(ui, &e));
}

static void key(tqk_ui *ui, SDL_Keycode k)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = SDL_KEYDOWN;
	e.key.state = SDL_PRESSED;
	e.key.keysym.sym = k;
	assert_true(tqk_ui_event(ui, &e));
}

/* Whether s is well-formed UTF-8 (no character cut). */
static bool utf8_ok(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		int n = *u < 0x80 ? 1 : (*u & 0xE0) == 0xC0 ? 2 : (*u & 0xF0) == 0xE0 ? 3 : (*u & 0xF8) == 0xF0 ? 4 : 0;
		if (n == 0)
			return false;
		for (int i = 1; i < n; i++)
			if ((u[i] & 0xC0) != 0x80)
				return false;
		u += n;
	}
	return true;
}

/* The colour of one pixel of the frame drawn so far (0xRRGGBBAA). */
static uint32_t pixel(SDL_Renderer *r, int x, int y)
{
	uint8_t px[4] = {0, 0, 0, 0};
	SDL_Rect one = {x, y, 1, 1};
	assert_int_equal(SDL_RenderReadPixels(r, &one, SDL_PIXELFORMAT_RGBA32, px, 4), 0);
	return (uint32_t)px[0] << 24 | (uint32_t)px[1] << 16 | (uint32_t)px[2] << 8 | px[3];
}

static const tqk_rect BTN = {100, 100, 300, 80};

/* One frame with one button; its result. */
static bool button_frame(tqk_ui *ui, tqk_button_style s)
{
	tqk_ui_begin(ui, W, H);
	bool b = tqk_ui_button(ui, "ok", BTN, s, "确认");
	tqk_ui_end(ui);
	return b;
}

static void button_clicks(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	assert_false(button_frame(ui, TQK_BTN_PRIMARY));

	/* Press and release inside, within one frame: true once. */
	tap(ui, 200, 140);
	assert_true(button_frame(ui, TQK_BTN_PRIMARY));
	assert_false(button_frame(ui, TQK_BTN_PRIMARY));

	/* Press, a frame drawn pressed (darker), then release inside. */
	tqk_ui_begin(ui, W, H);
	tqk_ui_button(ui, "ok", BTN, TQK_BTN_PRIMARY, "确认");
	uint32_t idle = pixel(fx->r, 110, 110);
	tqk_ui_end(ui);
	assert_int_equal(idle, TQK_C_PRIMARY);
	mouse(ui, SDL_MOUSEBUTTONDOWN, 200, 140);
	tqk_ui_begin(ui, W, H);
	assert_false(tqk_ui_button(ui, "ok", BTN, TQK_BTN_PRIMARY, "确认"));
	uint32_t held = pixel(fx->r, 110, 110);
	tqk_ui_end(ui);
	assert_true(held != idle);
	assert_true((held >> 8 & 0xFF) < (idle >> 8 & 0xFF));   /* darker blue */
	mouse(ui, SDL_MOUSEBUTTONUP, 210, 150);
	assert_true(button_frame(ui, TQK_BTN_PRIMARY));
	assert_false(button_frame(ui, TQK_BTN_PRIMARY));

	/* Press inside, release outside: nothing. */
	mouse(ui, SDL_MOUSEBUTTONDOWN, 200, 140);
	assert_false(button_frame(ui, TQK_BTN_PRIMARY));
	mouse(ui, SDL_MOUSEBUTTONUP, 600, 500);
	assert_false(button_frame(ui, TQK_BTN_PRIMARY));
	/* ... also within one frame. */
	mouse(ui, SDL_MOUSEBUTTONDOWN, 200, 140);
	mouse(ui, SDL_MOUSEBUTTONUP, 600, 500);
	assert_false(button_frame(ui, TQK_BTN_PRIMARY));
	/* Press outside, release inside: nothing either. */
	mouse(ui, SDL_MOUSEBUTTONDOWN, 600, 500);
	mouse(ui, SDL_MOUSEBUTTONUP, 200, 140);
	assert_false(button_frame(ui, TQK_BTN_PRIMARY));

	/* Disabled: never. */
	tap(ui, 200, 140);
	assert_false(button_frame(ui, TQK_BTN_DISABLED));
	assert_false(button_frame(ui, TQK_BTN_DISABLED));

	/* A finger tap works like a click, in one frame or across two. */
	finger(ui, SDL_FINGERDOWN, 250, 130);
	finger(ui, SDL_FINGERUP, 252, 131);
	assert_true(button_frame(ui, TQK_BTN_NORMAL));
	assert_false(button_frame(ui, TQK_BTN_NORMAL));
	finger(ui, SDL_FINGERDOWN, 250, 130);
	assert_false(button_frame(ui, TQK_BTN_NORMAL));
	finger(ui, SDL_FINGERUP, 250, 130);
	assert_true(button_frame(ui, TQK_BTN_NORMAL));
	/* A finger released outside: nothing. */
	finger(ui, SDL_FINGERDOWN, 250, 130);
	finger(ui, SDL_FINGERUP, 900, 700);
	assert_false(button_frame(ui, TQK_BTN_NORMAL));

	/* The release of one press, then a new press, in one frame: the first
	 * press clicks, the second is held. */
	mouse(ui, SDL_MOUSEBUTTONDOWN, 200, 140);
	assert_false(button_frame(ui, TQK_BTN_NORMAL));
	mouse(ui, SDL_MOUSEBUTTONUP, 200, 140);
	mouse(ui, SDL_MOUSEBUTTONDOWN, 200, 140);
	assert_true(button_frame(ui, TQK_BTN_NORMAL));
	mouse(ui, SDL_MOUSEBUTTONUP, 200, 140);
	assert_true(button_frame(ui, TQK_BTN_NORMAL));
	assert_false(button_frame(ui, TQK_BTN_NORMAL));

	/* touched: a press or key since the last frame. */
	assert_false(tqk_ui_touched(ui));
	mouse(ui, SDL_MOUSEBUTTONDOWN, 5, 5);
	assert_true(tqk_ui_touched(ui));
	mouse(ui, SDL_MOUSEBUTTONUP, 5, 5);
	button_frame(ui, TQK_BTN_NORMAL);
	assert_false(tqk_ui_touched(ui));
}

static const tqk_rect TOG = {100, 300, 400, 80};

static bool toggle_frame(tqk_ui *ui, int *v)
{
	tqk_ui_begin(ui, W, H);
	bool c = tqk_ui_toggle(ui, "t", TOG, "具备", "不具备", v);
	tqk_ui_end(ui);
	return c;
}

static void toggle_cycles(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	int v = 0;
	assert_false(toggle_frame(ui, &v));
	assert_int_equal(v, 0);
	tap(ui, 150, 340);                      /* yes */
	assert_true(toggle_frame(ui, &v));
	assert_int_equal(v, 1);
	tqk_ui_begin(ui, W, H);
	tqk_ui_toggle(ui, "t", TOG, "具备", "不具备", &v);
	assert_int_equal(pixel(fx->r, 110, 310), TQK_C_OK);
	assert_int_equal(pixel(fx->r, 310, 310), TQK_C_PANEL);
	tqk_ui_end(ui);
	tap(ui, 450, 340);                      /* no */
	assert_true(toggle_frame(ui, &v));
	assert_int_equal(v, 2);
	tqk_ui_begin(ui, W, H);
	tqk_ui_toggle(ui, "t", TOG, "具备", "不具备", &v);
	assert_int_equal(pixel(fx->r, 110, 310), TQK_C_PANEL);
	assert_int_equal(pixel(fx->r, 310, 310), TQK_C_BAD);
	tqk_ui_end(ui);
	tap(ui, 450, 340);                      /* no again: back to neither */
	assert_true(toggle_frame(ui, &v));
	assert_int_equal(v, 0);
	tap(ui, 150, 340);
	assert_true(toggle_frame(ui, &v));
	assert_int_equal(v, 1);
	assert_false(toggle_frame(ui, &v));     /* no touch, no change */
	tap(ui, 800, 340);                      /* outside */
	assert_false(toggle_frame(ui, &v));
	assert_int_equal(v, 1);
}

static const tqk_rect F1 = {100, 100, 500, 64};
static const tqk_rect F2 = {100, 200, 500, 64};

/* One frame with two fields; whether field 1 reported Return. */
static bool fields_frame(tqk_ui *ui, char *a, size_t acap, unsigned aflags, char *b, size_t bcap,
                         unsigned bflags)
{
	tqk_ui_begin(ui, W, H);
	bool ret = tqk_ui_field(ui, "a", F1, a, acap, aflags, "姓名");
	tqk_ui_field(ui, "b", F2, b, bcap, bflags, "身份证号");
	tqk_ui_end(ui);
	return ret;
}

static void field_edits(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char a[TQK_UI_FIELD_CAP] = "", b[TQK_UI_FIELD_CAP] = "";

	/* Typing with no field focused goes nowhere. */
	text_input(ui, "x");
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, 0);
	assert_string_equal(a, "");

	tap(ui, 300, 130);                      /* focus a */
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, 0);
	text_input(ui, "张三");
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, 0);
	assert_string_equal(a, "张三");
	assert_string_equal(b, "");
	key(ui, SDLK_BACKSPACE);
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, 0);
	assert_string_equal(a, "张");
	/* Caret moves by characters: Home, then insert before, Delete after. */
	text_input(ui, "三");
	key(ui, SDLK_LEFT);
	text_input(ui, "李");
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, 0);
	assert_string_equal(a, "张李三");
	key(ui, SDLK_HOME);
	key(ui, SDLK_DELETE);
	key(ui, SDLK_END);
	text_input(ui, "A");
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, 0);
	assert_string_equal(a, "李三A");
	key(ui, SDLK_BACKSPACE);
	key(ui, SDLK_BACKSPACE);
	key(ui, SDLK_BACKSPACE);
	key(ui, SDLK_BACKSPACE);                /* one too many: harmless */
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, 0);
	assert_string_equal(a, "");

	/* Return is reported once. */
	key(ui, SDLK_RETURN);
	assert_true(fields_frame(ui, a, sizeof a, 0, b, sizeof b, 0));
	assert_false(fields_frame(ui, a, sizeof a, 0, b, sizeof b, 0));

	/* The cap: 8 bytes hold 7, never a cut character. */
	char small[8] = "";
	text_input(ui, "张三李四");
	fields_frame(ui, small, sizeof small, 0, b, sizeof b, 0);
	assert_string_equal(small, "张三");
	text_input(ui, "ab");
	fields_frame(ui, small, sizeof small, 0, b, sizeof b, 0);
	assert_string_equal(small, "张三a");
	for (int i = 0; i < 5; i++)
		text_input(ui, "李");
	fields_frame(ui, small, sizeof small, 0, b, sizeof b, 0);
	assert_true(strlen(small) <= 7);
	assert_true(utf8_ok(small));
	key(ui, SDLK_BACKSPACE);
	text_input(ui, "四");
	fields_frame(ui, small, sizeof small, 0, b, sizeof b, 0);
	assert_string_equal(small, "张三");   /* 3 more bytes do not fit after 6 */

	/* Tab moves to b, which is DIGITS | UPPER... digits only drops letters. */
	key(ui, SDLK_TAB);
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, TQK_FIELD_DIGITS);
	text_input(ui, "12ab3中4");
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, TQK_FIELD_DIGITS);
	assert_string_equal(b, "1234");
	assert_string_equal(a, "");

	/* UPPER: the ID number's x. Focus by finger. */
	memset(b, 0, sizeof b);
	finger(ui, SDL_FINGERDOWN, 300, 230);
	finger(ui, SDL_FINGERUP, 300, 230);
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, TQK_FIELD_UPPER);
	text_input(ui, "44011320141005001x");
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, TQK_FIELD_UPPER);
	assert_string_equal(b, "44011320141005001X");

	/* Focus moves back to a by touch; typed text follows it. */
	tap(ui, 300, 130);
	text_input(ui, "王");
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, TQK_FIELD_UPPER);
	assert_string_equal(a, "王");
	assert_string_equal(b, "44011320141005001X");

	/* tqk_ui_focus gives focus by id, the caret at the end. */
	tqk_ui_focus(ui, "b");
	key(ui, SDLK_BACKSPACE);
	fields_frame(ui, a, sizeof a, 0, b, sizeof b, TQK_FIELD_UPPER);
	assert_string_equal(b, "44011320141005001");
	assert_true(SDL_IsTextInputActive());
}

static const tqk_rect PAD = {800, 200, 400, 4 * 80 + 3 * 8};

/* The centre of keypad key (col, row) in PAD (keys 128 x 80, gaps 8). */
static void pad_key(tqk_ui *ui, int col, int row)
{
	finger(ui, SDL_FINGERDOWN, PAD.x + col * 136 + 64, PAD.y + row * 88 + 40);
	finger(ui, SDL_FINGERUP, PAD.x + col * 136 + 64, PAD.y + row * 88 + 40);
}

static bool pad_frame(tqk_ui *ui, char *pin, size_t cap, bool *dirty)
{
	tqk_ui_begin(ui, W, H);
	tqk_ui_field(ui, "pin", F1, pin, cap, TQK_FIELD_DIGITS | TQK_FIELD_SECRET, "PIN");
	bool ok = tqk_ui_keypad(ui, PAD, "确定", "退格");
	if (dirty)
		*dirty = tqk_ui_dirty(ui);
	tqk_ui_end(ui);
	return ok;
}

static void keypad_keys(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char pin[7] = "";
	tqk_ui_focus(ui, "pin");
	bool dirty = false;
	assert_false(pad_frame(ui, pin, sizeof pin, &dirty));
	assert_false(dirty);
	pad_key(ui, 0, 0);                       /* 1 */
	assert_false(pad_frame(ui, pin, sizeof pin, &dirty));
	assert_true(dirty);                      /* the field above was drawn before the key */
	pad_key(ui, 1, 0);                       /* 2 */
	assert_false(pad_frame(ui, pin, sizeof pin, NULL));
	pad_key(ui, 2, 0);                       /* 3 */
	assert_false(pad_frame(ui, pin, sizeof pin, NULL));
	pad_key(ui, 0, 3);                       /* back */
	assert_false(pad_frame(ui, pin, sizeof pin, NULL));
	pad_key(ui, 0, 1);                       /* 4 */
	assert_false(pad_frame(ui, pin, sizeof pin, NULL));
	assert_string_equal(pin, "124");
	pad_key(ui, 2, 3);                       /* ok */
	assert_true(pad_frame(ui, pin, sizeof pin, NULL));
	assert_false(pad_frame(ui, pin, sizeof pin, NULL));
	assert_string_equal(pin, "124");
	/* 0 and the cap (6 digits). */
	for (int i = 0; i < 5; i++) {
		pad_key(ui, 1, 3);
		pad_frame(ui, pin, sizeof pin, NULL);
	}
	assert_string_equal(pin, "124000");
	/* Keys are at least 64 px tall in this rect. */
	assert_true((PAD.h - 3 * 8) / 4 >= TQK_UI_BUTTON_H);
}

static void keyboard_keys(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char id[19] = "";
	const tqk_rect kb = {40, 360, 1200, 5 * 72 + 4 * 8};
	/* Keys are 112 x 72, gaps 8: the Z row (7 keys) is centred. */
	const int kw = (1200 - 9 * 8) / 10, kh = 72;
	tqk_ui_focus(ui, "id");
	int zx0 = kb.x + (kb.w - (7 * kw + 6 * 8)) / 2;
	struct { int x, y; } taps[] = {
		{kb.x + 3 * (kw + 8) + kw / 2, kb.y + kh / 2},           /* 4 */
		{zx0 + 1 * (kw + 8) + kw / 2, kb.y + 3 * (kh + 8) + kh / 2},   /* X */
		{kb.x + 2 * (kw + 8) + 10, kb.y + 4 * (kh + 8) + kh / 2},      /* space */
		{kb.x + 10, kb.y + 4 * (kh + 8) + kh / 2},                     /* back */
		{kb.x + kw / 2, kb.y + 1 * (kh + 8) + kh / 2},                 /* Q: dropped, DIGITS? no */
	};
	for (size_t i = 0; i < sizeof taps / sizeof taps[0]; i++) {
		tap(ui, taps[i].x, taps[i].y);
		tqk_ui_begin(ui, W, H);
		tqk_ui_field(ui, "id", F1, id, sizeof id, TQK_FIELD_UPPER, NULL);
		assert_false(tqk_ui_keyboard(ui, kb, "确定", "退格"));
		tqk_ui_end(ui);
	}
	assert_string_equal(id, "4XQ");
	tap(ui, kb.x + kb.w - 20, kb.y + 4 * (kh + 8) + kh / 2);         /* ok */
	tqk_ui_begin(ui, W, H);
	tqk_ui_field(ui, "id", F1, id, sizeof id, TQK_FIELD_UPPER, NULL);
	assert_true(tqk_ui_keyboard(ui, kb, "确定", "退格"));
	tqk_ui_end(ui);
}

static void text_wraps(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	int w = -1, h = -1;
	tqk_ui_measure(ui, TQK_FONT_BODY, "", &w, &h);
	assert_int_equal(w, 0);
	assert_true(h > 0);
	int line = h;
	tqk_ui_measure(ui, TQK_FONT_BODY, "确认", &w, &h);
	assert_true(w >= 2 * 20 && w <= 2 * 30);
	int big = 0;
	tqk_ui_measure(ui, TQK_FONT_HUGE, "确认", &big, NULL);
	assert_true(big > 3 * w);

	const char *zh = "请将身份证放在读卡区，确认信息无误后点击下一步继续办理。";
	tqk_ui_begin(ui, W, H);
	int one = tqk_ui_text(ui, (tqk_rect){0, 0, W, 200}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT, zh);
	int narrow = tqk_ui_text(ui, (tqk_rect){0, 300, 200, 400}, TQK_FONT_BODY, TQK_C_TEXT,
	                         TQK_ALIGN_LEFT, zh);
	int en = tqk_ui_text(ui, (tqk_rect){0, 0, 150, 300}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_CENTER,
	                     "hello world of kiosks");
	int two = tqk_ui_text(ui, (tqk_rect){0, 0, W, 300}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_RIGHT,
	                      "第一行\n第二行");
	int none = tqk_ui_text(ui, (tqk_rect){0, 0, W, 300}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT, "");
	int null = tqk_ui_text(ui, (tqk_rect){0, 0, W, 300}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT, NULL);
	tqk_ui_end(ui);
	assert_int_equal(one, line);
	assert_true(narrow > line);
	/* 28 characters of about 26 px in 200 px: 7 to 8 a line, 4 or 5 lines. */
	assert_true(narrow >= 4 * line && narrow <= 5 * line);
	assert_true(en >= 2 * line);
	assert_int_equal(two, 2 * line);
	assert_int_equal(none, 0);
	assert_int_equal(null, 0);
}

/* A screen with a bit of everything. */
static void demo_screen(tqk_ui *ui, char *name, char *pin, int *v)
{
	tqk_ui_begin(ui, W, H);
	tqk_ui_fill(ui, (tqk_rect){0, 0, W, 72}, TQK_C_DEMO);
	tqk_ui_text(ui, (tqk_rect){0, 12, W, 60}, TQK_FONT_TITLE, 0xFFFFFFFFu, TQK_ALIGN_CENTER,
	            "演示模式 · 入学资格审核");
	tqk_ui_fill(ui, (tqk_rect){40, 100, 700, 660}, TQK_C_PANEL);
	tqk_ui_frame(ui, (tqk_rect){40, 100, 700, 660}, 0xD9DEE4FFu, 1);
	tqk_ui_text(ui, (tqk_rect){60, 112, 660, 100}, TQK_FONT_BODY, TQK_C_TEXT, TQK_ALIGN_LEFT,
	            "请将身份证放在读卡区，确认信息无误后点击“下一步”继续办理。Place the ID card on the reader.");
	tqk_ui_field(ui, "name", (tqk_rect){60, 200, 660, 64}, name, TQK_UI_FIELD_CAP, 0, "姓名");
	tqk_ui_field(ui, "pin", (tqk_rect){60, 280, 660, 64}, pin, 7, TQK_FIELD_SECRET | TQK_FIELD_DIGITS,
	             "PIN");
	tqk_ui_field(ui, "empty", (tqk_rect){60, 360, 660, 64}, (char[8]){0}, 8, 0, "身份证号（选填）");
	tqk_ui_toggle(ui, "t", (tqk_rect){60, 440, 660, 72}, "具备", "不具备", v);
	const char *cols[] = {"2026-0042", "张三", "已保存"};
	const int widths[] = {200, 200, 200};
	tqk_ui_row(ui, "r1", (tqk_rect){60, 530, 660, 56}, cols, widths, 3, true);
	const char *cols2[] = {"2026-0043", "李四四四四四四四四四四四四四", "待审核"};
	tqk_ui_row(ui, "r2", (tqk_rect){60, 586, 660, 56}, cols2, widths, 3, false);
	tqk_ui_button(ui, "back", (tqk_rect){60, 670, 200, 72}, TQK_BTN_NORMAL, "返回");
	tqk_ui_button(ui, "no", (tqk_rect){280, 670, 200, 72}, TQK_BTN_DANGER, "不具备");
	tqk_ui_button(ui, "dis", (tqk_rect){500, 670, 220, 72}, TQK_BTN_DISABLED, "下一步");
	tqk_ui_keypad(ui, (tqk_rect){780, 100, 460, 4 * 96 + 3 * 8}, "确定", "退格");
	tqk_ui_button(ui, "go", (tqk_rect){780, 520, 460, 96}, TQK_BTN_PRIMARY, "确认并提交");
	tqk_ui_text(ui, (tqk_rect){780, 640, 460, 40}, TQK_FONT_SMALL, TQK_C_MUTED, TQK_ALIGN_RIGHT,
	            "档案号");
	tqk_ui_text(ui, (tqk_rect){780, 660, 460, 120}, TQK_FONT_HUGE, TQK_C_PRIMARY, TQK_ALIGN_RIGHT,
	            "0042");
}

static void cache_holds(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char name[TQK_UI_FIELD_CAP] = "张三", pin[7] = "1234";
	int v = 1;
	demo_screen(ui, name, pin, &v);
	tqk_ui_end(ui);
	size_t first = tqk_ui_cache_renders(ui);
	size_t held = tqk_ui_cache_size(ui);
	assert_true(first > 10);
	demo_screen(ui, name, pin, &v);
	tqk_ui_end(ui);
	demo_screen(ui, name, pin, &v);
	tqk_ui_end(ui);
	assert_int_equal(tqk_ui_cache_renders(ui), first);
	assert_int_equal(tqk_ui_cache_size(ui), held);

	/* 400 distinct strings: the cache stays at 256, evicting the oldest. */
	tqk_ui_begin(ui, W, H);
	for (int i = 0; i < 400; i++) {
		char s[16];
		snprintf(s, sizeof s, "第%d项", i);
		tqk_ui_text(ui, (tqk_rect){0, 0, W, 40}, TQK_FONT_SMALL, TQK_C_TEXT, TQK_ALIGN_LEFT, s);
	}
	tqk_ui_end(ui);
	assert_int_equal(tqk_ui_cache_size(ui), 256);
	size_t after = tqk_ui_cache_renders(ui);
	/* The most recent string is still there; the first was evicted. */
	tqk_ui_begin(ui, W, H);
	tqk_ui_text(ui, (tqk_rect){0, 0, W, 40}, TQK_FONT_SMALL, TQK_C_TEXT, TQK_ALIGN_LEFT, "第399项");
	assert_int_equal(tqk_ui_cache_renders(ui), after);
	tqk_ui_text(ui, (tqk_rect){0, 0, W, 40}, TQK_FONT_SMALL, TQK_C_TEXT, TQK_ALIGN_LEFT, "第0项");
	assert_int_equal(tqk_ui_cache_renders(ui), after + 1);
	tqk_ui_end(ui);
}

/* The directory for screenshots: $TQK_SHOTS, else $TMPDIR/tqk-shots. */
static void shots_dir(char *dir, size_t cap)
{
	const char *env = getenv("TQK_SHOTS");
	const char *tmp = getenv("TMPDIR");
	if (env && *env)
		snprintf(dir, cap, "%s", env);
	else
		snprintf(dir, cap, "%s/tqk-shots", tmp && *tmp ? tmp : "/tmp");
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		fail_msg("cannot create %s", dir);
}

static void screenshot_png(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char dir[1024];
	shots_dir(dir, sizeof dir);
	char path[1100];
	snprintf(path, sizeof path, "%s/widgets.png", dir);
	remove(path);

	char name[TQK_UI_FIELD_CAP] = "", pin[7] = "";
	int v = 0;
	demo_screen(ui, name, pin, &v);
	tqk_ui_end(ui);
	tqk_ui_focus(ui, "name");
	text_input(ui, "张三丰");
	tap(ui, 100, 470);                         /* the toggle's yes half */
	mouse(ui, SDL_MOUSEBUTTONDOWN, 900, 600);  /* hold the primary button */
	demo_screen(ui, name, pin, &v);
	tqk_ui_end(ui);
	memcpy(pin, "1234", 5);
	demo_screen(ui, name, pin, &v);
	assert_string_equal(name, "张三丰");
	assert_int_equal(v, 1);
	assert_true(tqk_ui_screenshot(ui, path));
	tqk_ui_end(ui);

	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 1000);
	SDL_Surface *back = IMG_Load(path);
	assert_non_null(back);
	assert_int_equal(back->w, W);
	assert_int_equal(back->h, H);
	SDL_FreeSurface(back);
	print_message("# screenshot: %s\n", path);
}

/* Milliseconds since the SDL performance counter read t0. */
static double ms_since(Uint64 t0)
{
	return (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

/* The index of text among p's candidates, or -1. */
static long cand_index(const tqk_pinyin *p, const char *text)
{
	for (size_t i = 0; i < tqk_pinyin_count(p); i++)
		if (strcmp(tqk_pinyin_candidate(p, i), text) == 0)
			return (long)i;
	return -1;
}

/* Chooses the candidate text of p's pending pinyin; the rest stays. */
static void choose_text(tqk_pinyin *p, const char *text)
{
	long i = cand_index(p, text);
	if (i < 0)
		fail_msg("%s is not among the candidates of %s", text, tqk_pinyin_pending(p));
	char got[TQK_PINYIN_TEXT_CAP];
	assert_int_equal(tqk_pinyin_choose(p, (size_t)i, got, sizeof got), TQK_OK);
	assert_string_equal(got, text);
}

static void pinyin_engine(void **state)
{
	(void)state;
	tqk_pinyin *p = NULL;
	Uint64 t0 = SDL_GetPerformanceCounter();
	assert_int_equal(tqk_pinyin_new(NULL, &p), TQK_OK);
	double made = ms_since(t0);
	assert_non_null(p);
	struct stat st;
	assert_int_equal(stat(tqk_pinyin_user_dir(p), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_string_equal(tqk_pinyin_pending(p), "");
	assert_int_equal(tqk_pinyin_count(p), 0);
	assert_null(tqk_pinyin_candidate(p, 0));

	t0 = SDL_GetPerformanceCounter();
	assert_int_equal(tqk_pinyin_feed(p, "zhang"), TQK_OK);
	double first = ms_since(t0);
	print_message("# pinyin: engine made in %.1f ms, its first lookup (zhang) in %.1f ms\n", made,
	              first);
	assert_string_equal(tqk_pinyin_pending(p), "zhang");
	size_t n = tqk_pinyin_count(p);
	assert_true(n >= 10 && n <= TQK_PINYIN_CANDS);
	for (size_t i = 0; i < n; i++) {
		const char *c = tqk_pinyin_candidate(p, i);
		assert_non_null(c);
		assert_true(c[0] != '\0' && utf8_ok(c));
	}
	/* The surname among the first few (the data ranks 章 and 张 first). */
	long zhang = cand_index(p, "张");
	assert_true(zhang >= 0 && zhang < 5);
	choose_text(p, "张");
	assert_string_equal(tqk_pinyin_pending(p), "");
	assert_int_equal(tqk_pinyin_count(p), 0);

	/* zhangwei: the name as one word; 张 alone leaves wei pending. */
	assert_int_equal(tqk_pinyin_feed(p, "zhangwei"), TQK_OK);
	assert_true(cand_index(p, "张伟") >= 0);
	choose_text(p, "张");
	assert_string_equal(tqk_pinyin_pending(p), "wei");
	assert_true(tqk_pinyin_count(p) > 0);
	choose_text(p, "伟");
	assert_string_equal(tqk_pinyin_pending(p), "");
	assert_int_equal(tqk_pinyin_feed(p, "zhangwei"), TQK_OK);
	choose_text(p, "张伟");
	assert_string_equal(tqk_pinyin_pending(p), "");
	/* A syllable break goes with the syllable before it. */
	assert_int_equal(tqk_pinyin_feed(p, "zhang'wei"), TQK_OK);
	choose_text(p, "张");
	assert_string_equal(tqk_pinyin_pending(p), "wei");
	/* Split where that reads better: xian is 西安 too, xi'an first of all. */
	assert_int_equal(tqk_pinyin_feed(p, "xian"), TQK_OK);
	assert_true(cand_index(p, "西安") >= 0);
	assert_int_equal(tqk_pinyin_feed(p, "xi'an"), TQK_OK);
	assert_string_equal(tqk_pinyin_candidate(p, 0), "西安");

	/* Errors change nothing. */
	assert_int_equal(tqk_pinyin_feed(p, "wei"), TQK_OK);
	size_t wei = tqk_pinyin_count(p);
	assert_int_equal(tqk_pinyin_feed(p, "Zhang"), TQK_E_ARG);
	assert_int_equal(tqk_pinyin_feed(p, "zhang1"), TQK_E_ARG);
	assert_int_equal(tqk_pinyin_feed(p, "zhang wei"), TQK_E_ARG);
	assert_int_equal(tqk_pinyin_feed(p, "张"), TQK_E_ARG);
	char longer[TQK_PINYIN_CAP + 2];
	memset(longer, 'a', TQK_PINYIN_CAP + 1);
	longer[TQK_PINYIN_CAP + 1] = '\0';
	assert_int_equal(tqk_pinyin_feed(p, longer), TQK_E_TOO_LONG);
	assert_string_equal(tqk_pinyin_pending(p), "wei");
	assert_int_equal(tqk_pinyin_count(p), wei);
	assert_int_equal(tqk_pinyin_choose(p, wei, (char[8]){0}, 8), TQK_E_ARG);
	/* The cap itself is fine; its sentence does not fit a small buffer. */
	longer[TQK_PINYIN_CAP] = '\0';
	assert_int_equal(tqk_pinyin_feed(p, longer), TQK_OK);
	assert_true(tqk_pinyin_count(p) > 0);
	size_t big = strlen(tqk_pinyin_candidate(p, 0));
	assert_true(big > 3 && big < TQK_PINYIN_TEXT_CAP);
	char small[4];
	assert_int_equal(tqk_pinyin_choose(p, 0, small, sizeof small), TQK_E_TOO_LONG);
	assert_string_equal(tqk_pinyin_pending(p), longer);
	/* Pinyin libpinyin cannot read stays pending without candidates. */
	assert_int_equal(tqk_pinyin_feed(p, "v"), TQK_OK);
	assert_string_equal(tqk_pinyin_pending(p), "v");
	assert_int_equal(tqk_pinyin_count(p), 0);
	assert_int_equal(tqk_pinyin_choose(p, 0, small, sizeof small), TQK_E_ARG);
	assert_int_equal(tqk_pinyin_feed(p, ""), TQK_OK);
	assert_int_equal(tqk_pinyin_count(p), 0);
	assert_int_equal(tqk_pinyin_feed(p, "xian"), TQK_OK);
	tqk_pinyin_reset(p);
	assert_string_equal(tqk_pinyin_pending(p), "");
	assert_int_equal(tqk_pinyin_count(p), 0);

	/* Free removes the user directory. */
	char dir[TQK_PINYIN_DIR_CAP];
	snprintf(dir, sizeof dir, "%s", tqk_pinyin_user_dir(p));
	tqk_pinyin_free(p);
	errno = 0;
	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(errno, ENOENT);
	tqk_pinyin_free(NULL);

	/* A data directory without libpinyin's data, or too long a path. */
	tqk_pinyin *bad = NULL;
	assert_int_equal(tqk_pinyin_new("/nonexistent/libpinyin/data", &bad), TQK_E_CONFIG);
	assert_null(bad);
	char huge[TQK_PINYIN_DIR_CAP + 8];
	memset(huge, 'd', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	assert_int_equal(tqk_pinyin_new(huge, &bad), TQK_E_TOO_LONG);
	assert_null(bad);
	assert_true(strstr(tqk_pinyin_default_dir(), "libpinyin") != NULL);
}

#define RANKED 20

/* The first RANKED candidates of pinyin, copied. */
static void ranking(tqk_pinyin *p, const char *pinyin, char out[RANKED][TQK_PINYIN_TEXT_CAP])
{
	assert_int_equal(tqk_pinyin_feed(p, pinyin), TQK_OK);
	assert_true(tqk_pinyin_count(p) >= RANKED);
	for (size_t i = 0; i < RANKED; i++)
		snprintf(out[i], TQK_PINYIN_TEXT_CAP, "%s", tqk_pinyin_candidate(p, i));
}

/* The entries of dir but . and .., each checked by check (NULL: none). */
static int entries(const char *dir, void (*check)(const char *dir, const char *name))
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (check)
			check(dir, e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

/* Only the empty user.conf the engine writes itself. */
static void only_empty_conf(const char *dir, const char *name)
{
	char path[TQK_PINYIN_DIR_CAP + 64];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	if (strcmp(name, "user.conf") != 0 || st.st_size != 0)
		fail_msg("the engine's user directory holds %s (%lld bytes)", name, (long long)st.st_size);
}

static void pinyin_keeps_nothing(void **state)
{
	(void)state;
	/* A TMPDIR of the test's own, to see everything the engine leaves. */
	const char *base = getenv("TMPDIR");
	char tmp[512], saved[512] = "";
	bool had = base && *base;
	if (had)
		snprintf(saved, sizeof saved, "%s", base);
	snprintf(tmp, sizeof tmp, "%s/tqk-pinyin-test.XXXXXX", had ? saved : "/tmp");
	assert_non_null(mkdtemp(tmp));
	assert_int_equal(setenv("TMPDIR", tmp, 1), 0);

	tqk_pinyin *p = NULL;
	assert_int_equal(tqk_pinyin_new(NULL, &p), TQK_OK);
	assert_int_equal(strncmp(tqk_pinyin_user_dir(p), tmp, strlen(tmp)), 0);
	static char before[RANKED][TQK_PINYIN_TEXT_CAP], after[RANKED][TQK_PINYIN_TEXT_CAP];
	ranking(p, "zhang", before);
	/* A teacher choosing a rare reading again and again, and names. */
	for (int k = 0; k < 20; k++) {
		assert_int_equal(tqk_pinyin_feed(p, "zhang"), TQK_OK);
		choose_text(p, before[RANKED - 1]);
		assert_int_equal(tqk_pinyin_feed(p, "zhangwei"), TQK_OK);
		choose_text(p, "张伟");
		assert_int_equal(tqk_pinyin_feed(p, "wangxiaoming"), TQK_OK);
		choose_text(p, "王晓明");
	}
	/* Nothing learnt: the same ranking within the session... */
	ranking(p, "zhang", after);
	for (size_t i = 0; i < RANKED; i++)
		assert_string_equal(after[i], before[i]);
	/* ... nothing written but the engine's own empty user.conf ... */
	assert_int_equal(entries(tqk_pinyin_user_dir(p), only_empty_conf), 1);
	tqk_pinyin_free(p);
	/* ... and nothing under TMPDIR after free. */
	assert_int_equal(entries(tmp, NULL), 0);

	/* The next engine (the next teacher) starts from the same ranking. */
	assert_int_equal(tqk_pinyin_new(NULL, &p), TQK_OK);
	ranking(p, "zhang", after);
	for (size_t i = 0; i < RANKED; i++)
		assert_string_equal(after[i], before[i]);
	tqk_pinyin_free(p);
	assert_int_equal(entries(tmp, NULL), 0);

	assert_int_equal(rmdir(tmp), 0);
	if (had)
		assert_int_equal(setenv("TMPDIR", saved, 1), 0);
	else
		assert_int_equal(unsetenv("TMPDIR"), 0);
}

/* The pinyin keyboard under two fields: keys 112 x 72 with gaps of 8 below
 * the candidate bar, as in KB_KEYS. */
static const tqk_rect KB = {40, 300, 1200, TQK_UI_CANDS_H + 8 + 5 * 72 + 4 * 8};
static const tqk_rect KB_KEYS = {40, 300 + TQK_UI_CANDS_H + 8, 1200, 5 * 72 + 4 * 8};
#define KW 112
#define KH 72

static const tqk_ui_ime_labels LABELS = {"确定", "退格", "中", "英", "请输入拼音", "拼音输入不可用"};

/* Frames of field a, the keyboard and field b (or the keyboard first, then
 * the fields), while the UI says a frame is due; true when ok was reported. */
static bool ime_frames(tqk_ui *ui, char *a, char *b, bool keyboard_first)
{
	bool ok = false;
	for (int i = 0; i < 4; i++) {
		tqk_ui_begin(ui, W, H);
		if (keyboard_first)
			ok |= tqk_ui_keyboard_ime(ui, KB, &LABELS);
		tqk_ui_field(ui, "a", F1, a, TQK_UI_FIELD_CAP, 0, "姓名");
		tqk_ui_field(ui, "b", F2, b, TQK_UI_FIELD_CAP, 0, "学校");
		if (!keyboard_first)
			ok |= tqk_ui_keyboard_ime(ui, KB, &LABELS);
		bool again = tqk_ui_dirty(ui);
		tqk_ui_end(ui);
		if (!again)
			return ok;
	}
	fail_msg("the keyboard asks for frames without end");
	return ok;
}

static bool ime_frame(tqk_ui *ui, char *a, char *b)
{
	return ime_frames(ui, a, b, false);
}

static void touch(tqk_ui *ui, int x, int y)
{
	finger(ui, SDL_FINGERDOWN, x, y);
	finger(ui, SDL_FINGERUP, x, y);
}

/* Touches the key of c (a digit, a letter in either case, or '), then a frame. */
static bool ime_key(tqk_ui *ui, char *a, char *b, char c)
{
	static const char *const rows[] = {"1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM'"};
	char up = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	for (int row = 0; row < 4; row++) {
		const char *at = strchr(rows[row], up);
		if (!at)
			continue;
		int n = (int)strlen(rows[row]);
		int x0 = KB_KEYS.x + (KB_KEYS.w - (n * KW + (n - 1) * 8)) / 2;
		touch(ui, x0 + (int)(at - rows[row]) * (KW + 8) + KW / 2,
		      KB_KEYS.y + row * (KH + 8) + KH / 2);
		return ime_frame(ui, a, b);
	}
	fail_msg("no key for %c", c);
	return false;
}

static void ime_type(tqk_ui *ui, char *a, char *b, const char *keys)
{
	for (const char *k = keys; *k; k++)
		ime_key(ui, a, b, *k);
}

/* The last row: back (2 keys wide), 中/英 (2), space (3), ok (3). */
enum { K_BACK, K_MODE, K_SPACE, K_OK };
static bool ime_special(tqk_ui *ui, char *a, char *b, int which)
{
	static const int centre[] = {116, 2 * 120 + 116, 4 * 120 + 176, 7 * 120 + 180};
	touch(ui, KB_KEYS.x + centre[which], KB_KEYS.y + 4 * (KH + 8) + KH / 2);
	return ime_frame(ui, a, b);
}

/* ◀ and ▶ at the bar's right end. */
static void ime_arrow(tqk_ui *ui, char *a, char *b, bool next)
{
	int x = next ? KB.x + KB.w - 72 / 2 : KB.x + KB.w - 2 * 72 - 8 + 72 / 2;
	touch(ui, x, KB.y + TQK_UI_CANDS_H / 2);
	ime_frame(ui, a, b);
}

/* Touches candidate i, paging on with ▶ until its page is shown. */
static void ime_pick(tqk_ui *ui, char *a, char *b, size_t i)
{
	tqk_rect r;
	for (int page = 0; !tqk_ui_candidate_rect(ui, i, &r); page++) {
		if (page > 40)
			fail_msg("candidate %zu is on no page", i);
		ime_arrow(ui, a, b, true);
	}
	assert_true(r.h >= 56 && r.w >= 56);
	touch(ui, r.x + r.w / 2, r.y + r.h / 2);
	ime_frame(ui, a, b);
}

/* Touches the candidate whose text is text. */
static void ime_pick_text(tqk_ui *ui, char *a, char *b, const char *text)
{
	long i = cand_index(tqk_ui_pinyin(ui), text);
	if (i < 0)
		fail_msg("%s is not among the candidates of %s", text,
		         tqk_pinyin_pending(tqk_ui_pinyin(ui)));
	ime_pick(ui, a, b, (size_t)i);
}

static const char *pending_of(tqk_ui *ui)
{
	return tqk_ui_pinyin(ui) ? tqk_pinyin_pending(tqk_ui_pinyin(ui)) : "";
}

static void ime_types_a_name(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char a[TQK_UI_FIELD_CAP] = "", b[TQK_UI_FIELD_CAP] = "";
	touch(ui, 300, 130);                     /* focus a */
	ime_frame(ui, a, b);
	assert_null(tqk_ui_pinyin(ui));          /* started on the first letter, not before */
	ime_type(ui, a, b, "zhang");
	assert_non_null(tqk_ui_pinyin(ui));
	assert_string_equal(pending_of(ui), "zhang");
	assert_string_equal(a, "");              /* pending pinyin is not in the field */
	ime_pick_text(ui, a, b, "张");
	assert_string_equal(a, "张");
	assert_string_equal(pending_of(ui), "");
	ime_type(ui, a, b, "wei");
	ime_pick_text(ui, a, b, "伟");
	assert_string_equal(a, "张伟");
	/* At the caret, not at the end. */
	key(ui, SDLK_LEFT);
	ime_type(ui, a, b, "xiao");
	ime_pick_text(ui, a, b, "小");
	assert_string_equal(a, "张小伟");
	/* Part of the pinyin: the rest stays pending, then its word. */
	key(ui, SDLK_END);
	ime_type(ui, a, b, "zhangwei");
	ime_pick_text(ui, a, b, "张");
	assert_string_equal(a, "张小伟张");
	assert_string_equal(pending_of(ui), "wei");
	ime_pick_text(ui, a, b, "伟");
	assert_string_equal(a, "张小伟张伟");
	/* A school name in field b, a word at a time. */
	touch(ui, 300, 230);
	ime_frame(ui, a, b);
	ime_type(ui, a, b, "beijingshi");
	ime_pick_text(ui, a, b, "北京市");
	ime_type(ui, a, b, "xuexiao");
	ime_pick_text(ui, a, b, "学校");
	assert_string_equal(b, "北京市学校");
	assert_string_equal(a, "张小伟张伟");
}

static void ime_back_space_ok(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char a[TQK_UI_FIELD_CAP] = "张三", b[TQK_UI_FIELD_CAP] = "";
	tqk_ui_focus(ui, "a");
	ime_frame(ui, a, b);
	/* Back edits the pending pinyin first, then the field. */
	ime_type(ui, a, b, "zhan");
	ime_special(ui, a, b, K_BACK);
	assert_string_equal(pending_of(ui), "zha");
	assert_string_equal(a, "张三");
	for (int i = 0; i < 3; i++)
		ime_special(ui, a, b, K_BACK);
	assert_string_equal(pending_of(ui), "");
	assert_string_equal(a, "张三");
	ime_special(ui, a, b, K_BACK);
	assert_string_equal(a, "张");

	/* The digits wait while pinyin is pending. */
	ime_type(ui, a, b, "wei");
	char first[TQK_PINYIN_TEXT_CAP], want[2 * TQK_PINYIN_TEXT_CAP + 16];
	snprintf(first, sizeof first, "%s", tqk_pinyin_candidate(tqk_ui_pinyin(ui), 0));
	ime_key(ui, a, b, '1');
	assert_string_equal(a, "张");
	assert_string_equal(pending_of(ui), "wei");
	/* Space takes the first candidate, then types a space. */
	ime_special(ui, a, b, K_SPACE);
	snprintf(want, sizeof want, "张%s", first);
	assert_string_equal(a, want);
	assert_string_equal(pending_of(ui), "");
	ime_special(ui, a, b, K_SPACE);
	snprintf(want, sizeof want, "张%s ", first);
	assert_string_equal(a, want);
	ime_special(ui, a, b, K_BACK);
	/* Ok takes the first candidate without being reported; then it is. */
	ime_type(ui, a, b, "ming");
	char second[TQK_PINYIN_TEXT_CAP];
	snprintf(second, sizeof second, "%s", tqk_pinyin_candidate(tqk_ui_pinyin(ui), 0));
	assert_false(ime_special(ui, a, b, K_OK));
	snprintf(want, sizeof want, "张%s%s", first, second);
	assert_string_equal(a, want);
	assert_true(ime_special(ui, a, b, K_OK));
	/* Pinyin without candidates: space types its letters. */
	ime_type(ui, a, b, "v");
	assert_int_equal(tqk_pinyin_count(tqk_ui_pinyin(ui)), 0);
	ime_special(ui, a, b, K_SPACE);
	assert_string_equal(pending_of(ui), "");
	ime_key(ui, a, b, '1');
	snprintf(want, sizeof want, "张%s%sv1", first, second);
	assert_string_equal(a, want);

	/* A word longer than one queued edit, into a field drawn after the
	 * keyboard: all of it, whole characters. */
	memset(a, 0, sizeof a);
	const char *twelve = "aaaaaaaaaaaa";
	for (const char *k = twelve; *k; k++) {
		touch(ui, KB_KEYS.x + (KB_KEYS.w - (9 * KW + 8 * 8)) / 2 + KW / 2,
		      KB_KEYS.y + 2 * (KH + 8) + KH / 2);   /* A */
		ime_frames(ui, a, b, true);
	}
	assert_string_equal(pending_of(ui), twelve);
	snprintf(first, sizeof first, "%s", tqk_pinyin_candidate(tqk_ui_pinyin(ui), 0));
	assert_true(strlen(first) > 31);
	touch(ui, KB_KEYS.x + 7 * 120 + 180, KB_KEYS.y + 4 * (KH + 8) + KH / 2);   /* ok */
	assert_false(ime_frames(ui, a, b, true));
	assert_string_equal(a, first);
	assert_true(utf8_ok(a));
}

static void ime_pages(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char a[TQK_UI_FIELD_CAP] = "", b[TQK_UI_FIELD_CAP] = "";
	tqk_ui_focus(ui, "a");
	ime_frame(ui, a, b);
	ime_type(ui, a, b, "zh");
	tqk_pinyin *p = tqk_ui_pinyin(ui);
	size_t count = tqk_pinyin_count(p);
	assert_true(count > 40);
	tqk_rect r;
	assert_true(tqk_ui_candidate_rect(ui, 0, &r));
	assert_true(r.h >= 56);
	size_t k = 1;
	while (tqk_ui_candidate_rect(ui, k, &r))
		k++;
	assert_true(k > 3 && k < count);          /* the first page */
	/* ◀ on the first page does nothing. */
	ime_arrow(ui, a, b, false);
	assert_true(tqk_ui_candidate_rect(ui, 0, &r));
	/* ▶: the second page starts where the first ended. */
	ime_arrow(ui, a, b, true);
	assert_false(tqk_ui_candidate_rect(ui, 0, &r));
	assert_false(tqk_ui_candidate_rect(ui, k - 1, &r));
	assert_true(tqk_ui_candidate_rect(ui, k, &r));
	size_t k2 = k + 1;
	while (tqk_ui_candidate_rect(ui, k2, &r))
		k2++;
	ime_arrow(ui, a, b, true);
	assert_true(tqk_ui_candidate_rect(ui, k2, &r));
	/* ◀ goes back page by page. */
	ime_arrow(ui, a, b, false);
	assert_true(tqk_ui_candidate_rect(ui, k, &r));
	assert_false(tqk_ui_candidate_rect(ui, k2, &r));
	/* A candidate of the second page goes in. */
	char want[TQK_PINYIN_TEXT_CAP];
	snprintf(want, sizeof want, "%s", tqk_pinyin_candidate(p, k));
	ime_pick(ui, a, b, k);
	assert_string_equal(a, want);
	assert_string_equal(pending_of(ui), "");
	/* Another letter brings the first page back. */
	ime_type(ui, a, b, "zh");
	ime_arrow(ui, a, b, true);
	assert_false(tqk_ui_candidate_rect(ui, 0, &r));
	ime_type(ui, a, b, "a");
	assert_string_equal(pending_of(ui), "zha");
	assert_true(tqk_ui_candidate_rect(ui, 0, &r));
	/* The last page: ▶ does nothing more. */
	size_t last = tqk_pinyin_count(p) - 1;
	for (int page = 0; !tqk_ui_candidate_rect(ui, last, &r); page++) {
		assert_true(page < 100);
		ime_arrow(ui, a, b, true);
	}
	ime_arrow(ui, a, b, true);
	assert_true(tqk_ui_candidate_rect(ui, last, &r));
}

static void ime_english_and_focus(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char a[TQK_UI_FIELD_CAP] = "", b[TQK_UI_FIELD_CAP] = "";
	tqk_ui_focus(ui, "a");
	ime_frame(ui, a, b);
	ime_type(ui, a, b, "zh");
	assert_string_equal(pending_of(ui), "zh");
	/* 英 drops the pending pinyin; letters then go in as on tqk_ui_keyboard. */
	ime_special(ui, a, b, K_MODE);
	assert_string_equal(pending_of(ui), "");
	assert_string_equal(a, "");
	ime_type(ui, a, b, "li1'");
	assert_string_equal(a, "LI1'");
	ime_special(ui, a, b, K_BACK);
	ime_special(ui, a, b, K_SPACE);
	assert_string_equal(a, "LI1 ");
	assert_true(ime_special(ui, a, b, K_OK));   /* nothing pending: ok is reported */
	assert_string_equal(pending_of(ui), "");
	/* Back to 中. */
	ime_special(ui, a, b, K_MODE);
	ime_type(ui, a, b, "li");
	assert_string_equal(pending_of(ui), "li");
	assert_string_equal(a, "LI1 ");
	/* Leaving the field drops the pending pinyin. */
	touch(ui, 300, 230);
	ime_frame(ui, a, b);
	assert_string_equal(pending_of(ui), "");
	ime_type(ui, a, b, "wang");
	ime_pick_text(ui, a, b, "王");
	assert_string_equal(b, "王");
	assert_string_equal(a, "LI1 ");
	/* So does a frame without the keyboard (the screen changed). */
	ime_type(ui, a, b, "li");
	assert_string_equal(pending_of(ui), "li");
	tqk_ui_begin(ui, W, H);
	tqk_ui_field(ui, "b", F2, b, sizeof b, 0, NULL);
	tqk_ui_end(ui);
	assert_string_equal(pending_of(ui), "");
	ime_frame(ui, a, b);
	ime_special(ui, a, b, K_BACK);
	assert_string_equal(b, "");
}

/* How many pixels of the rectangle are about c (each channel within tol). */
static int pixels_near(SDL_Renderer *r, tqk_rect area, uint32_t c, int tol)
{
	int n = 0;
	size_t len = (size_t)area.w * (size_t)area.h * 4;
	uint8_t *px = malloc(len);
	assert_non_null(px);
	SDL_Rect s = {area.x, area.y, area.w, area.h};
	assert_int_equal(SDL_RenderReadPixels(r, &s, SDL_PIXELFORMAT_RGBA32, px, area.w * 4), 0);
	for (size_t i = 0; i < len; i += 4) {
		int d0 = abs((int)px[i] - (int)(c >> 24 & 0xFF));
		int d1 = abs((int)px[i + 1] - (int)(c >> 16 & 0xFF));
		int d2 = abs((int)px[i + 2] - (int)(c >> 8 & 0xFF));
		if (d0 <= tol && d1 <= tol && d2 <= tol)
			n++;
	}
	free(px);
	return n;
}

static void ime_engine_missing(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char a[TQK_UI_FIELD_CAP] = "", b[TQK_UI_FIELD_CAP] = "";
	tqk_ui_pinyin_dir(ui, "/nonexistent/libpinyin/data");
	tqk_ui_focus(ui, "a");
	ime_frame(ui, a, b);
	/* Letters are typed as they are, and the bar says why. */
	ime_type(ui, a, b, "li");
	assert_null(tqk_ui_pinyin(ui));
	assert_string_equal(a, "LI");
	tqk_ui_begin(ui, W, H);
	tqk_ui_keyboard_ime(ui, KB, &LABELS);
	assert_true(pixels_near(fx->r, (tqk_rect){KB.x, KB.y, KB.w, TQK_UI_CANDS_H}, TQK_C_WARN, 8) > 20);
	tqk_ui_end(ui);
	/* The default data again: pinyin. */
	tqk_ui_pinyin_dir(ui, NULL);
	ime_type(ui, a, b, "li");
	assert_string_equal(pending_of(ui), "li");
	assert_string_equal(a, "LI");
}

static void editing(tqk_ui *ui, const char *s, int start)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = SDL_TEXTEDITING;
	snprintf(e.edit.text, sizeof e.edit.text, "%s", s);
	e.edit.start = start;
	e.edit.length = 0;
	assert_true(tqk_ui_event(ui, &e));
}

/* A frame of the two fields; the pixels of the primary colour on the row
 * where field f (F1 or F2) underlines a composition (the caret crosses it:
 * 2 when f has focus). */
static int underline_in(fixture *fx, char *a, char *b, tqk_rect f)
{
	int lh = 0;
	tqk_ui_measure(fx->ui, TQK_FONT_BODY, "", NULL, &lh);
	int row = f.y + (f.h - lh) / 2 + lh - 3;
	tqk_ui_begin(fx->ui, W, H);
	tqk_ui_field(fx->ui, "a", F1, a, TQK_UI_FIELD_CAP, 0, NULL);
	tqk_ui_field(fx->ui, "b", F2, b, TQK_UI_FIELD_CAP, 0, NULL);
	int n = pixels_near(fx->r, (tqk_rect){f.x + 12, row, f.w - 24, 1}, TQK_C_PRIMARY, 0);
	tqk_ui_end(fx->ui);
	return n;
}

static int underline_frame(fixture *fx, char *a, char *b)
{
	return underline_in(fx, a, b, F1);
}

static void text_editing_composes(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char a[TQK_UI_FIELD_CAP] = "王", b[TQK_UI_FIELD_CAP] = "";
	tqk_ui_focus(ui, "a");
	assert_true(underline_frame(fx, a, b) <= 2);
	/* The composition is shown, underlined, but not in the text. */
	editing(ui, "xiao", 4);
	assert_true(underline_frame(fx, a, b) > 20);
	assert_string_equal(a, "王");
	editing(ui, "xiaoming", 8);
	int longer = underline_frame(fx, a, b);
	assert_string_equal(a, "王");
	/* SDL_TEXTINPUT commits (the input method sends it after its last
	 * SDL_TEXTEDITING, or with an empty one before). */
	text_input(ui, "小明");
	assert_true(longer > 40);
	assert_true(underline_frame(fx, a, b) <= 2);
	assert_string_equal(a, "王小明");
	/* Within one frame: composing, committing, composing the next. */
	editing(ui, "hong", 4);
	text_input(ui, "红");
	editing(ui, "li", 2);
	assert_true(underline_frame(fx, a, b) > 10);
	assert_string_equal(a, "王小明红");
	/* An empty composition cancels it: nothing goes in. */
	editing(ui, "", 0);
	assert_true(underline_frame(fx, a, b) <= 2);
	assert_string_equal(a, "王小明红");
	/* At the caret, not at the end. */
	key(ui, SDLK_HOME);
	editing(ui, "ou", 2);
	underline_frame(fx, a, b);
	text_input(ui, "欧");
	underline_frame(fx, a, b);
	assert_string_equal(a, "欧王小明红");
	/* The focus moving ends the composition; the commit goes where the focus is. */
	editing(ui, "zhang", 5);
	assert_true(underline_frame(fx, a, b) > 20);
	touch(ui, 300, 230);
	underline_frame(fx, a, b);
	assert_true(underline_frame(fx, a, b) <= 2);
	text_input(ui, "张");
	underline_frame(fx, a, b);
	assert_string_equal(a, "欧王小明红");
	assert_string_equal(b, "张");
	/* SDL_TEXTEDITING_EXT (SDL_HINT_IME_SUPPORT_EXTENDED_TEXT) as well. */
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = SDL_TEXTEDITING_EXT;
	char ext[] = "zhongguorenminjiefangjunzongyiyuan";   /* over SDL_TEXTEDITING's 32 bytes */
	e.editExt.text = ext;
	e.editExt.start = 3;
	assert_true(tqk_ui_event(ui, &e));
	assert_true(underline_in(fx, a, b, F2) > 300);   /* all 34 letters */
	assert_string_equal(b, "张");
	tqk_ui_focus(ui, "a");
	underline_frame(fx, a, b);
	assert_true(underline_in(fx, a, b, F2) == 0);    /* another field: gone */
	assert_string_equal(b, "张");
}

static void pinyin_screenshot(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	/* The kiosk's own words, from the built catalogue when the tests have it. */
	const char *locale = getenv("TQK_LOCALE");
	if (locale && *locale)
		assert_true(tqk_i18n_init(locale));
	tqk_ui_ime_labels l = tqk_ime_labels(TQK_LANG_ZH);
	if (locale && *locale) {
		assert_string_equal(l.chinese, "中");
		assert_string_equal(l.english, "英");
		assert_string_equal(l.ok, "确定");
	}
	char dir[1024], path[1100];
	shots_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/pinyin.png", dir);
	remove(path);

	char name[TQK_UI_FIELD_CAP] = "张", school[TQK_UI_FIELD_CAP] = "北京市第一中学";
	tqk_ui_focus(ui, "a");
	const char *keys = "wei";
	for (const char *k = keys; *k; k++) {
		for (int f = 0; f < 3; f++) {
			tqk_ui_begin(ui, W, H);
			tqk_ui_keyboard_ime(ui, KB, &l);
			tqk_ui_end(ui);
		}
		ime_key(ui, name, school, *k);
	}
	assert_string_equal(pending_of(ui), "wei");
	tqk_ui_begin(ui, W, H);
	tqk_ui_fill(ui, (tqk_rect){0, 0, W, 72}, TQK_C_PRIMARY);
	tqk_ui_text(ui, (tqk_rect){0, 14, W, 60}, TQK_FONT_TITLE, 0xFFFFFFFFu, TQK_ALIGN_CENTER,
	            "填写姓名与工作单位");
	tqk_ui_text(ui, (tqk_rect){F1.x + F1.w + 24, F1.y + 16, 400, 40}, TQK_FONT_BODY, TQK_C_MUTED,
	            TQK_ALIGN_LEFT, "姓名");
	tqk_ui_text(ui, (tqk_rect){F2.x + F2.w + 24, F2.y + 16, 400, 40}, TQK_FONT_BODY, TQK_C_MUTED,
	            TQK_ALIGN_LEFT, "工作单位");
	tqk_ui_field(ui, "a", F1, name, sizeof name, 0, "姓名");
	tqk_ui_field(ui, "b", F2, school, sizeof school, 0, "工作单位");
	tqk_ui_keyboard_ime(ui, KB, &l);
	tqk_rect c0;
	assert_true(tqk_ui_candidate_rect(ui, 0, &c0));
	assert_int_equal(pixel(fx->r, c0.x + 4, c0.y + 4), TQK_C_PRIMARY);   /* the first, filled */
	/* Chinese glyphs in the candidates: dark pixels inside the second one. */
	tqk_rect c1;
	assert_true(tqk_ui_candidate_rect(ui, 1, &c1));
	assert_true(pixels_near(fx->r, (tqk_rect){c1.x + 4, c1.y + 4, c1.w - 8, c1.h - 8}, TQK_C_TEXT,
	                        40) > 30);
	assert_true(tqk_ui_screenshot(ui, path));
	tqk_ui_end(ui);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 1000);
	print_message("# screenshot: %s\n", path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(button_clicks, setup, teardown),
		cmocka_unit_test_setup_teardown(toggle_cycles, setup, teardown),
		cmocka_unit_test_setup_teardown(field_edits, setup, teardown),
		cmocka_unit_test_setup_teardown(keypad_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(keyboard_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(text_wraps, setup, teardown),
		cmocka_unit_test_setup_teardown(cache_holds, setup, teardown),
		cmocka_unit_test_setup_teardown(screenshot_png, setup, teardown),
		cmocka_unit_test(pinyin_engine),
		cmocka_unit_test(pinyin_keeps_nothing),
		cmocka_unit_test_setup_teardown(ime_types_a_name, setup, teardown),
		cmocka_unit_test_setup_teardown(ime_back_space_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(ime_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(ime_english_and_focus, setup, teardown),
		cmocka_unit_test_setup_teardown(ime_engine_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(text_editing_composes, setup, teardown),
		cmocka_unit_test_setup_teardown(pinyin_screenshot, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
