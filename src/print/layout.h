/*
 * layout.h - what the three printed documents share (internal to
 * src/print): one page of a PDF for a paper size, written atomically; text
 * set into a cell that is first set smaller, then wrapped, and refused with
 * TQK_E_PRINT_FIT when it still does not fit; ruled cells and tick boxes.
 *
 * Every length here is in millimetres from the page's top-left corner (the
 * cairo context is scaled so that one user unit is one millimetre); font
 * sizes are in points. The font is the one fontconfig gives for "WenQuanYi
 * Micro Hei, sans" with Chinese as the language, embedded and subset by
 * cairo.
 */
#ifndef TQK_PRINT_LAYOUT_H
#define TQK_PRINT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <cairo.h>

#include "core/err.h"
#include "print/paper.h"

#define TQK_LAYOUT_TEXT_MAX 8192    /* bytes one cell may be given */
#define TQK_RULE_THIN 0.2           /* mm: the rules between cells */
#define TQK_RULE_THICK 0.5          /* mm: a table's outer border */

typedef struct tqk_page tqk_page;

/* A rectangle on the page, mm. */
typedef struct tqk_box {
	double x, y, w, h;
} tqk_box;

typedef enum tqk_align {
	TQK_ALIGN_LEFT = 0,
	TQK_ALIGN_CENTER,
	TQK_ALIGN_RIGHT
} tqk_align;

/* A text of n bytes, not necessarily NUL-terminated (a model's member). */
typedef struct tqk_str {
	const char *s;
	size_t n;
} tqk_str;

/* The text in s up to its first NUL, at most cap bytes (sizeof a member,
 * an array that may be full). */
static inline tqk_str tqk_str_of(const char *s, size_t cap)
{
	return (tqk_str){s, strnlen(s, cap)};
}

/* A NUL-terminated string as a tqk_str. */
static inline tqk_str tqk_str_z(const char *s)
{
	return (tqk_str){s, strlen(s)};
}

/* How a text is set. */
typedef struct tqk_style {
	double pt;          /* the size it is set at when it fits */
	double min_pt;      /* the smallest size it may be set at */
	tqk_align align;
	bool bold;
	bool top;           /* set at the top of the box, not centred */
} tqk_style;

/*
 * Starts a one-page PDF of paper p that will replace path: a temporary file
 * beside path (path + ".XXXXXX", mode 0600: the documents hold personal
 * data) is opened now. title goes into the PDF's metadata. Returns
 * TQK_E_PRINT_PAPER for an unknown paper, TQK_E_PRINT_IO when the temporary
 * file cannot be made (no such directory, no permission, a path longer than
 * PATH_MAX), TQK_E_PRINT_RENDER when cairo or pango cannot start, and
 * TQK_E_NOMEM; *out is NULL then and nothing is left behind. The caller
 * ends the page with tqk_page_finish or tqk_page_free.
 */
tqk_err tqk_page_new(tqk_paper p, const char *path, const char *title,
                     tqk_page **out) TQK_MUST_CHECK;

/* The page's size in mm. */
double tqk_page_w(const tqk_page *pg);
double tqk_page_h(const tqk_page *pg);

/* The page's cairo context (user units are mm); owned by pg. */
cairo_t *tqk_page_cairo(tqk_page *pg);

/*
 * Finishes the PDF, flushes it to disk and renames it over path. Frees pg
 * in every case. TQK_E_PRINT_RENDER when cairo reports an error,
 * TQK_E_PRINT_IO when writing, syncing or renaming fails; the temporary
 * file is removed then and path is left as it was.
 */
tqk_err tqk_page_finish(tqk_page *pg) TQK_MUST_CHECK;

/* Abandons the page: the temporary file is removed. NULL is a no-op. */
void tqk_page_free(tqk_page *pg);

/*
 * Sets n bytes of UTF-8 text (no NUL needed; line breaks start new lines)
 * into b, vertically centred (at the top with st->top): on one line at st->pt, else on one line at a
 * size down to 80 % of it (not below st->min_pt), else wrapped at the box's
 * width at a size from st->pt down to st->min_pt, in steps of 0.25 pt. An
 * empty text draws nothing. Fails with TQK_E_PRINT_FIT when the text does
 * not fit even wrapped at st->min_pt (or is longer than
 * TQK_LAYOUT_TEXT_MAX), TQK_E_PRINT_RENDER when it is not UTF-8; *bad (when
 * bad is not NULL) is set to field then, and nothing is drawn.
 */
tqk_err tqk_text(tqk_page *pg, tqk_box b, const char *s, size_t n, const tqk_style *st,
                 const char *field, const char **bad) TQK_MUST_CHECK;

/* A document's title in b: bold, centred, at pt (down to 70 % of it). */
tqk_err tqk_title(tqk_page *pg, tqk_box b, const char *title, double pt,
                  const char **bad) TQK_MUST_CHECK;

/* tqk_text of t inset by pad mm on the left and right and pad / 2 at the
 * top and bottom. */
tqk_err tqk_text_in(tqk_page *pg, tqk_box b, double pad, tqk_str t, const tqk_style *st,
                    const char *field, const char **bad) TQK_MUST_CHECK;
/* A ruled cell: b stroked with a thin rule, then tqk_text_in (on failure
 * the rule is drawn, the text is not: the caller abandons the page). */
tqk_err tqk_cell(tqk_page *pg, tqk_box b, double pad, tqk_str t, const tqk_style *st,
                 const char *field, const char **bad) TQK_MUST_CHECK;

/* Strokes the rectangle b with a line width mm wide. */
void tqk_rule_box(tqk_page *pg, tqk_box b, double width);
/* Strokes a line from (x0, y0) to (x1, y1). */
void tqk_rule_line(tqk_page *pg, double x0, double y0, double x1, double y1, double width);
/* A square tick box in b (its side the smaller of b's sides), ticked or empty. */
void tqk_tick_box(tqk_page *pg, tqk_box b, bool ticked);

/* b shrunk by dx on the left and right and dy at the top and bottom. */
tqk_box tqk_box_inset(tqk_box b, double dx, double dy);

#endif
