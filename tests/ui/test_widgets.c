/*
 * test_widgets.c - the kiosk's widgets (kiosk/ui/ui.h) headless: SDL's dummy
 * video driver, a 1280x800 software renderer and the CJK font fontconfig
 * finds. Events go through tqk_ui_event as SDL would deliver them, frames
 * run, and the test checks what the widgets report: clicks (mouse and
 * finger), the toggle, fields (focus, UTF-8 editing, caps, flags, Return,
 * Tab), the keypad, wrapping and measuring, the string cache, and a
 * screenshot written to $TQK_SHOTS/widgets.png for a person to look at.
 */
#include "test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <SDL.h>
#include <SDL_image.h>

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

static void screenshot_png(void **state)
{
	fixture *fx = *state;
	tqk_ui *ui = fx->ui;
	char dir[1024];
	const char *env = getenv("TQK_SHOTS");
	if (env && *env) {
		snprintf(dir, sizeof dir, "%s", env);
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			fail_msg("cannot create %s", dir);
	} else {
		const char *tmp = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%s/tqk-shots", tmp && *tmp ? tmp : "/tmp");
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			fail_msg("cannot create %s", dir);
	}
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
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
