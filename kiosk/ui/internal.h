/*
 * internal.h - what the files of kiosk/ui share and no screen may see: the
 * tqk_ui context itself, the per-frame input it collects from events, the
 * string cache's interface, the text layout entry point, UTF-8 stepping and
 * the id hash. Only the files of kiosk/ui include it; screens include ui.h.
 */
#ifndef TQK_KIOSK_UI_INTERNAL_H
#define TQK_KIOSK_UI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "ui/cache.h"
#include "ui/pinyin.h"
#include "ui/ui.h"

#define TQK_UI_OPS_CAP 64       /* edit operations (typed text, keys) kept per frame */
#define TQK_UI_OP_TEXT_CAP 32   /* bytes of one SDL_TEXTINPUT, NUL included (SDL's own cap) */
#define TQK_UI_TEXT_CAP 4096    /* bytes of one string handed to tqk_ui_text; longer is cut */
#define TQK_UI_COMPOSE_CAP 256  /* bytes of the system input method's composition, NUL included */
#define TQK_UI_IME_SHOWN_CAP 32 /* candidate buttons on one page, at most */

/* One edit for the focused field, in the order it arrived. */
typedef enum tqk_ui_op_kind {
	TQK_UI_OP_TEXT = 0,     /* insert text */
	TQK_UI_OP_BACK,         /* delete the character before the caret */
	TQK_UI_OP_DELETE,       /* delete the character after the caret */
	TQK_UI_OP_LEFT,
	TQK_UI_OP_RIGHT,
	TQK_UI_OP_HOME,
	TQK_UI_OP_END,
	TQK_UI_OP_RETURN,
	TQK_UI_OP_TAB
} tqk_ui_op_kind;

#define TQK_UI_TAPS_CAP 16      /* taps (press and release) kept per frame */

/* A press and its release, both within one frame. */
typedef struct tqk_ui_tap {
	int px, py, rx, ry;
} tqk_ui_tap;

typedef struct tqk_ui_op {
	tqk_ui_op_kind kind;
	char text[TQK_UI_OP_TEXT_CAP];   /* TQK_UI_OP_TEXT only, NUL-terminated */
} tqk_ui_op;

struct tqk_ui {
	SDL_Renderer *r;
	TTF_Font *font[TQK_FONT_COUNT];
	tqk_ui_cache cache;
	int w, h;                  /* this frame's output size */

	/* The pointer (mouse or the first finger down). */
	int mx, my;
	bool down;
	bool finger;               /* the pointer is a finger, finger_id is tracked */
	SDL_FingerID finger_id;

	/* This frame's pointer events (since the last tqk_ui_end): the taps
	 * begun and ended in it, the press still held, and the release of a
	 * press begun in an earlier frame. */
	tqk_ui_tap taps[TQK_UI_TAPS_CAP];
	size_t ntaps;
	bool pressed;              /* a press of this frame is held: px, py */
	int px, py;
	bool released_old;         /* the press of an earlier frame ended at rx, ry */
	int rx, ry;
	bool touched;              /* any press or key */

	uint32_t active;           /* the widget held down, 0 for none */
	uint32_t released_id;      /* the widget an older press of which ends this frame */

	/* The focused field. */
	uint32_t focus;
	size_t caret;              /* byte offset into its text */
	bool caret_to_end;         /* focus just moved: the caret goes to the end when drawn */
	bool tab_pending;          /* Tab in the focused field: the next field drawn takes focus */
	uint32_t first_field;      /* the first field drawn this frame (Tab wraps to it) */
	/* The focused field's buffer as drawn this frame (valid until tqk_ui_end),
	 * so that keypad keys drawn after it edit it at once. */
	char *focus_buf;
	size_t focus_cap;
	unsigned focus_flags;
	int scroll;                /* px of the focused field's text scrolled out on the left */
	bool dirty;                /* a widget changed after it was drawn: draw again */

	tqk_ui_op ops[TQK_UI_OPS_CAP];
	size_t nops;
	size_t op_next;            /* the first edit not yet applied */

	/* The system input method's composition (SDL_TEXTEDITING): shown in
	 * the focused field at its caret, not part of its text; SDL_TEXTINPUT
	 * (the commit) or a change of focus ends it. */
	char compose[TQK_UI_COMPOSE_CAP];
	size_t compose_cursor;     /* characters into the composition */
	SDL_Rect input_rect;       /* what SDL_SetTextInputRect was last given */

	/* The on-screen keyboard's pinyin input (ime.c). */
	tqk_pinyin *pinyin;        /* made on the first letter typed in 中 mode */
	bool pinyin_failed;        /* it could not be made: 中 mode types letters */
	char pinyin_dir[TQK_PINYIN_DIR_CAP];   /* its data directory, "" for the default */
	bool ime_english;          /* the keyboard is in 英 mode (it starts in 中) */
	bool ime_drawn;            /* the pinyin keyboard was drawn this frame */
	uint32_t ime_field;        /* the field the pending pinyin is for */
	size_t ime_page;           /* the first candidate shown */
	size_t ime_pages[TQK_PINYIN_CANDS];   /* the first candidates of the pages before */
	size_t ime_npages;
	/* Where this frame's page of candidates was drawn: candidates
	 * ime_shown_first .. + ime_nshown (tqk_ui_candidate_rect). */
	tqk_rect ime_shown[TQK_UI_IME_SHOWN_CAP];
	size_t ime_shown_first, ime_nshown;
};

/* FNV-1a (32 bits) of an id string, never 0 (0 means "no widget"). */
uint32_t tqk_ui_id(const char *id);
/* The same hash continued with a suffix: the parts of one widget. */
uint32_t tqk_ui_id_part(uint32_t id, const char *part);

static inline bool tqk_ui_inside(tqk_rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/*
 * The press-and-release logic every touchable widget shares: takes a press
 * inside r (unless disabled), reports true on the frame the press that began
 * on this widget was released inside r. *held is true while the widget is
 * pressed and the pointer is inside it (drawn darker).
 */
bool tqk_ui_clickable(tqk_ui *ui, uint32_t id, tqk_rect r, bool disabled, bool *held);

/* Whether a press of this frame landed inside r (fields take focus on
 * press); where the last such press was in *x, *y. */
bool tqk_ui_pressed_in(const tqk_ui *ui, tqk_rect r, int *x, int *y);

/* Clipping to r within the clip already set; pop restores what push saved. */
typedef struct tqk_ui_clip {
	SDL_Rect r;
	bool on;
} tqk_ui_clip;
void tqk_ui_clip_push(tqk_ui *ui, tqk_rect r, tqk_ui_clip *saved);
void tqk_ui_clip_pop(tqk_ui *ui, const tqk_ui_clip *saved);

/* A button drawn with its label in font f (the keypads use larger digits). */
bool tqk_ui_button_font(tqk_ui *ui, uint32_t id, tqk_rect r, tqk_button_style s, const char *label,
                        tqk_font f);

/* Draw colour. */
void tqk_ui_set_color(tqk_ui *ui, tqk_color c);
/* c made darker by num/den (e.g. 4/5). */
tqk_color tqk_ui_darken(tqk_color c, int num, int den);

/*
 * Lays out utf8 (len bytes) wrapped at width w in font f; draws it in r with
 * colour c and alignment a when draw is true (clipped to r); returns the
 * height taken.
 */
int tqk_ui_text_layout(tqk_ui *ui, tqk_rect r, tqk_font f, tqk_color c, tqk_align a,
                       const char *utf8, size_t len, bool draw);
/* Draws one line (len bytes, no wrapping) with its top-left at x, y; returns
 * its width. Clipping is the caller's. */
int tqk_ui_text_line(tqk_ui *ui, int x, int y, tqk_font f, tqk_color c, const char *s, size_t len);
/* The width of s (len bytes) on one line in f. */
int tqk_ui_text_width(tqk_ui *ui, tqk_font f, const char *s, size_t len);
/* The line height of f. */
int tqk_ui_line_h(const tqk_ui *ui, tqk_font f);

/* A label centred in r, wrapped when it does not fit one line, clipped to r. */
void tqk_ui_label(tqk_ui *ui, tqk_rect r, tqk_font f, tqk_color c, const char *s);

/* Queues an edit for the field drawn next this frame (input.c); text
 * longer than one edit holds is queued as several, cut between characters.
 * Dropped when the frame's queue is full, as a full key buffer drops keys. */
void tqk_ui_push_op(tqk_ui *ui, tqk_ui_op_kind kind, const char *text);
/* One edit to the focused field (the on-screen keys): applied at once when
 * the field was drawn already this frame (the frame is then dirty), else
 * queued for it. Nothing when no field has focus. */
void tqk_ui_edit(tqk_ui *ui, tqk_ui_op_kind kind, const char *text);

/* Drops the on-screen keyboard's pending pinyin (focus moved, 英 mode, the
 * keyboard left the screen); nothing when none is pending. */
void tqk_ui_ime_drop(tqk_ui *ui);
/* Frees the pinyin engine (tqk_ui_free). */
void tqk_ui_ime_close(tqk_ui *ui);

/*
 * UTF-8 stepping. next: the length (1..4) of the character at s (n > 0 bytes
 * left), its code point in *cp; a malformed byte counts as one character
 * U+FFFD. prev: the offset of the character that ends at pos (0 at 0).
 */
size_t tqk_ui_utf8_next(const char *s, size_t n, uint32_t *cp);
size_t tqk_ui_utf8_prev(const char *s, size_t pos);

#endif
