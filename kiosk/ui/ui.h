/*
 * ui.h - the kiosk's immediate-mode widgets over SDL2 and SDL2_ttf.
 *
 * A frame is tqk_ui_begin, any number of widget calls, tqk_ui_end. A widget
 * call both draws the widget and reports what the user did to it since the
 * last frame (a button returns true on the frame its press was released
 * inside it; a field takes the text typed while it has focus). Nothing is
 * retained between frames but the interaction state: which widget is
 * pressed (active), which field has focus, and its caret. Widgets are told
 * apart by an id string unique on the screen (hashed, not kept).
 *
 * Input arrives through tqk_ui_event: mouse buttons and motion, touch
 * (SDL_FINGERDOWN/MOTION/UP, normalised coordinates scaled to the output
 * size; a touch is handled like the left mouse button), keys (Backspace,
 * Delete, Left, Right, Home, End, Return, Tab), SDL_TEXTINPUT, and the
 * system input method's SDL_TEXTEDITING (its composition is shown in the
 * focused field until SDL_TEXTINPUT commits it).
 * tqk_ui_event returns true when the event concerns the UI, so the caller
 * knows that a redraw is due. The app redraws only then, or when its own
 * state changed: an idle kiosk draws nothing. Several taps within one frame
 * all count, but the widgets see them in drawing order, not in the order
 * they came; typed text goes to the field focused when the field is drawn.
 * A frame after each batch of events keeps both exact in practice.
 *
 * Sizes: the layout is designed for 1280x800 (the widgets' rectangles come
 * from the caller); buttons should be at least TQK_UI_BUTTON_H tall. Text
 * is drawn with the CJK font found through fontconfig (tqk_ui_font_find),
 * in four sizes; rendered strings are cached by (size, colour, text), so a
 * redraw of the same screen renders no glyphs again.
 *
 * A tqk_ui belongs to the thread that owns SDL.
 */
#ifndef TQK_KIOSK_UI_H
#define TQK_KIOSK_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "ui/pinyin.h"

#define TQK_UI_BUTTON_H 64        /* px: the smallest button height at 1280x800 */
#define TQK_UI_FONT_PATH_CAP 1024
#define TQK_UI_FIELD_CAP 256      /* bytes of a field's text, NUL included */

typedef struct tqk_ui tqk_ui;

typedef struct tqk_rect {
	int x, y, w, h;
} tqk_rect;

/* 0xRRGGBBAA. */
typedef uint32_t tqk_color;

/* The palette every screen uses (high contrast, readable in a bright hall). */
#define TQK_C_BG      0xF4F6F8FFu    /* screen background */
#define TQK_C_PANEL   0xFFFFFFFFu    /* cards and panels */
#define TQK_C_TEXT    0x1F2933FFu
#define TQK_C_MUTED   0x5F6B7AFFu
#define TQK_C_PRIMARY 0x1565C0FFu    /* the main button, headings */
#define TQK_C_OK      0x2E7D32FFu    /* 具备, saved */
#define TQK_C_WARN    0xE65100FFu    /* mismatch, attention */
#define TQK_C_BAD     0xC62828FFu    /* 不具备, refusals */
#define TQK_C_DEMO    0xAD1457FFu    /* the 演示模式 banner */

typedef enum tqk_font {
	TQK_FONT_SMALL = 0,   /* 20 px: footers, hints */
	TQK_FONT_BODY,        /* 26 px: most text, buttons */
	TQK_FONT_TITLE,       /* 36 px: screen titles */
	TQK_FONT_HUGE,        /* 96 px: the archive number on the Done screen */
	TQK_FONT_COUNT
} tqk_font;

typedef enum tqk_align {
	TQK_ALIGN_LEFT = 0,
	TQK_ALIGN_CENTER,
	TQK_ALIGN_RIGHT
} tqk_align;

typedef enum tqk_button_style {
	TQK_BTN_NORMAL = 0,   /* white with a border */
	TQK_BTN_PRIMARY,      /* filled with TQK_C_PRIMARY, white text */
	TQK_BTN_DANGER,       /* filled with TQK_C_BAD */
	TQK_BTN_DISABLED      /* drawn greyed, never returns true */
} tqk_button_style;

/*
 * The path and face index of a font that covers Simplified Chinese, found
 * through fontconfig ("sans:lang=zh-cn"); false when fontconfig finds none
 * that has the glyphs of "确认" (a fallback face without CJK would draw
 * boxes: refusing is better).
 */
bool tqk_ui_font_find(char path[TQK_UI_FONT_PATH_CAP], int *index);

/*
 * A UI drawing with renderer r (owned by the caller) in the font at path,
 * face index. NULL when the font cannot be opened (TTF_Init is done here
 * and undone by tqk_ui_free).
 */
tqk_ui *tqk_ui_new(SDL_Renderer *r, const char *font_path, int index);
void tqk_ui_free(tqk_ui *ui);   /* NULL is a no-op */

/* Feeds one SDL event; true when it concerns the UI (redraw). */
bool tqk_ui_event(tqk_ui *ui, const SDL_Event *e);

/* A frame over an output of w x h pixels: begin clears to TQK_C_BG; end
 * forgets this frame's clicks and typed text (not the pointer's state). */
void tqk_ui_begin(tqk_ui *ui, int w, int h);
void tqk_ui_end(tqk_ui *ui);

/* Whether any pointer press or key arrived since the last frame (the
 * screens' idle timers restart on it). */
bool tqk_ui_touched(const tqk_ui *ui);

/* Whether a widget changed after it was drawn in this frame (an on-screen
 * key edited a field drawn above it; the toggle's second half changed the
 * first): call before tqk_ui_end; when true the caller draws one more frame
 * (no event will come to ask for it). */
bool tqk_ui_dirty(const tqk_ui *ui);

/* The string cache, for tests and diagnostics: the strings rendered with
 * SDL_ttf so far (a redraw of the same screen adds none), and the entries
 * held now (at most 256). */
size_t tqk_ui_cache_renders(const tqk_ui *ui);
size_t tqk_ui_cache_size(const tqk_ui *ui);

/* Drawing. */
void tqk_ui_fill(tqk_ui *ui, tqk_rect r, tqk_color c);
void tqk_ui_frame(tqk_ui *ui, tqk_rect r, tqk_color c, int thickness);
/* Text wrapped at r's width (at spaces or between CJK characters), clipped
 * to r; returns the height it took. NULL or "" draws nothing. */
int tqk_ui_text(tqk_ui *ui, tqk_rect r, tqk_font f, tqk_color c, tqk_align a, const char *utf8);
/* The width and height of utf8 on one line in font f. */
void tqk_ui_measure(tqk_ui *ui, tqk_font f, const char *utf8, int *w, int *h);

/* Widgets. */
bool tqk_ui_button(tqk_ui *ui, const char *id, tqk_rect r, tqk_button_style s,
                   const char *label);
/* A 具备 / 不具备 pair: *value is 1 (yes), 2 (no) or 0 (neither yet);
 * returns true when a touch changed it. The labels are the caller's.
 * Touching the half already chosen takes the choice back (0). */
bool tqk_ui_toggle(tqk_ui *ui, const char *id, tqk_rect r, const char *yes, const char *no,
                   int *value);
/* A row of a list: its text in columns (cols[0..n), widths in px), selected
 * drawn highlighted; true when touched. */
bool tqk_ui_row(tqk_ui *ui, const char *id, tqk_rect r, const char *const *cols,
                const int *widths, size_t n, bool selected);

/* Field flags. */
enum {
	TQK_FIELD_SECRET = 1,     /* drawn as dots (PINs, passwords) */
	TQK_FIELD_DIGITS = 2,     /* accepts 0-9 only */
	TQK_FIELD_UPPER = 4       /* letters upper-cased (ID numbers' X) */
};
/*
 * A one-line text field holding buf (cap bytes, UTF-8). Touching it gives
 * it focus (and starts SDL text input); the focused field takes typed text,
 * keypad and keyboard keys, moves its caret with the arrows, Home and End,
 * and deletes with Backspace and Delete, always by whole UTF-8 characters
 * and never beyond cap - 1 bytes (cap is at most TQK_UI_FIELD_CAP: a larger
 * buffer is used up to that). Typed text and keys arriving with no field
 * focused are dropped; Tab moves the focus to the next field drawn. Returns
 * true on the frame Return was pressed in it. hint is drawn muted while buf
 * is empty.
 */
bool tqk_ui_field(tqk_ui *ui, const char *id, tqk_rect r, char *buf, size_t cap, unsigned flags,
                  const char *hint);
/* Gives the field id focus (e.g. the PIN field when the login screen opens). */
void tqk_ui_focus(tqk_ui *ui, const char *id);

/* The on-screen numeric keypad (0-9, 退格, 确定): its keys go to the focused
 * field; returns true on the frame 确定 (ok_label) was touched. */
bool tqk_ui_keypad(tqk_ui *ui, tqk_rect r, const char *ok_label, const char *back_label);
/* The on-screen keyboard: rows 1-0, Q-P, A-L, Z-M (the ID card's X among
 * them), then back_label, space and ok_label. Letters are upper case only,
 * so there is no shift. Keys go to the focused field; true on ok. One
 * keypad and one keyboard per screen (their keys' ids are fixed). */
bool tqk_ui_keyboard(tqk_ui *ui, tqk_rect r, const char *ok_label, const char *back_label);

/* The words of the pinyin keyboard, in the teacher's language (the kiosk
 * takes them from tqk_ime_labels in kiosk/ime_labels.h). */
typedef struct tqk_ui_ime_labels {
	const char *ok;            /* 确定 */
	const char *back;          /* 退格 */
	const char *chinese;       /* 中: the mode key's pinyin half */
	const char *english;       /* 英: its letters half */
	const char *hint;          /* the candidate bar in 中 mode with nothing pending */
	const char *unavailable;   /* the candidate bar when the pinyin engine cannot start */
} tqk_ui_ime_labels;

#define TQK_UI_CANDS_H 64   /* px: the candidate bar's height, its buttons' too */

/*
 * The on-screen keyboard with pinyin input, for names and school names: in
 * r from the top, the candidate bar (TQK_UI_CANDS_H), then the keys of
 * tqk_ui_keyboard with an apostrophe after M and the last row back, 中/英,
 * space, ok. It starts in 中 mode, where letters build the pending pinyin
 * (shown at the bar's left; the engine starts on the first letter), the
 * bar offers its candidates as buttons (paged with ◀ ▶, the first one
 * filled), a touched candidate goes into the focused field at the caret
 * (the pinyin it did not stand for stays pending), back deletes pending
 * pinyin first, space and ok take the first candidate (the raw letters when
 * there is none), and the digits wait until nothing is pending. The 中/英
 * key, the focus moving to another field and a frame without this keyboard
 * drop the pending pinyin. In 英 mode (and in 中 mode when the engine could
 * not start: the bar says labels->unavailable) letters go into the field as
 * tqk_ui_keyboard types them. Returns true on the frame ok was touched with
 * nothing pending. Its keys' ids are its own ("ki/..."); one per screen.
 */
bool tqk_ui_keyboard_ime(tqk_ui *ui, tqk_rect r, const tqk_ui_ime_labels *labels);

/* The libpinyin data directory of the pinyin keyboard (NULL or "": the
 * built-in default, tqk_pinyin_default_dir); an engine already started is
 * closed, and the next letter starts one over dir. */
void tqk_ui_pinyin_dir(tqk_ui *ui, const char *dir);
/* The pinyin keyboard's engine: NULL until the first letter typed in 中
 * mode started it (for tests and diagnostics; the ui owns it). */
tqk_pinyin *tqk_ui_pinyin(tqk_ui *ui);
/* Where the last frame drew the button of candidate i (tqk_pinyin_candidate
 * of that engine) in *r; false when i was not on the page shown. */
bool tqk_ui_candidate_rect(const tqk_ui *ui, size_t i, tqk_rect *r);

/*
 * The frame drawn so far as an RGBA PNG at path (SDL_RenderReadPixels, then
 * SDL2_image's IMG_SavePNG): call before presenting. false on failure.
 */
bool tqk_ui_screenshot(tqk_ui *ui, const char *path);

#endif
