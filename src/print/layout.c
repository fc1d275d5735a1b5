/*
 * layout.c - one page of a PDF written atomically, text fitted into cells,
 * rules and tick boxes (layout.h).
 *
 * The PDF goes through cairo's stream interface into a file descriptor of
 * our own, so that a full disk is seen as such: every write is checked, the
 * file is synced, and only then renamed over the target. Text goes through
 * one PangoLayout per page with metric hinting and glyph-position rounding
 * off (user units are millimetres, so rounding would move glyphs by whole
 * millimetres) and hyphen insertion off (a wrapped value must read back as
 * the value).
 */
#define _GNU_SOURCE
#include "print/layout.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "core/text.h"

#define MM_PER_PT (25.4 / 72.0)
#define PT_PER_MM (72.0 / 25.4)
#define FONT_FAMILY "WenQuanYi Micro Hei, sans"
#define SIZE_STEP 0.25              /* pt between the sizes tried */
#define SHRINK_FLOOR 0.8            /* one line is kept down to this share of the size */

struct tqk_page {
	double w, h;                    /* mm */
	int fd;
	bool write_failed;
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoLayout *layout;
	PangoFontDescription *font;
	char path[PATH_MAX];
	char tmp[PATH_MAX];
};

static cairo_status_t write_fd(void *closure, const unsigned char *data, unsigned int len)
{
	tqk_page *pg = closure;
	while (len > 0) {
		ssize_t n = write(pg->fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			pg->write_failed = true;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		data += n;
		len -= (unsigned)n;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* Pango set up for print: no metric hinting, unrounded glyph positions,
 * Chinese as the language (for the fallback fonts), no hyphens. */
static bool setup_pango(tqk_page *pg)
{
	pg->layout = pango_cairo_create_layout(pg->cr);
	pg->font = pango_font_description_from_string(FONT_FAMILY);
	if (pg->layout == NULL || pg->font == NULL)
		return false;
	PangoContext *ctx = pango_layout_get_context(pg->layout);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(ctx, FALSE);
	pango_context_set_language(ctx, pango_language_from_string("zh-cn"));
	pango_layout_context_changed(pg->layout);
	PangoAttrList *attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
	pango_layout_set_attributes(pg->layout, attrs);
	pango_attr_list_unref(attrs);
	pango_layout_set_wrap(pg->layout, PANGO_WRAP_WORD_CHAR);
	return true;
}

tqk_err tqk_page_new(tqk_paper p, const char *path, const char *title, tqk_page **out)
{
	*out = NULL;
	double w, h;
	if (!tqk_paper_mm(p, &w, &h))
		return TQK_E_PRINT_PAPER;
	if (path == NULL || path[0] == '\0')
		return TQK_E_PRINT_IO;
	tqk_page *pg = calloc(1, sizeof *pg);
	if (pg == NULL)
		return TQK_E_NOMEM;
	pg->w = w;
	pg->h = h;
	pg->fd = -1;
	int n1 = snprintf(pg->path, sizeof pg->path, "%s", path);
	int n2 = snprintf(pg->tmp, sizeof pg->tmp, "%s.XXXXXX", path);
	if (n1 < 0 || (size_t)n1 >= sizeof pg->path || n2 < 0 || (size_t)n2 >= sizeof pg->tmp) {
		free(pg);
		return TQK_E_PRINT_IO;
	}
	pg->fd = mkostemp(pg->tmp, O_CLOEXEC);
	if (pg->fd < 0) {
		free(pg);
		return TQK_E_PRINT_IO;
	}
	pg->surface = cairo_pdf_surface_create_for_stream(write_fd, pg, w * PT_PER_MM, h * PT_PER_MM);
	if (cairo_surface_status(pg->surface) != CAIRO_STATUS_SUCCESS) {
		tqk_page_free(pg);
		return TQK_E_PRINT_RENDER;
	}
	cairo_pdf_surface_set_metadata(pg->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(pg->surface, CAIRO_PDF_METADATA_CREATOR, "tqkiosk");
	pg->cr = cairo_create(pg->surface);
	if (cairo_status(pg->cr) != CAIRO_STATUS_SUCCESS) {
		tqk_page_free(pg);
		return TQK_E_PRINT_RENDER;
	}
	cairo_scale(pg->cr, PT_PER_MM, PT_PER_MM);
	cairo_set_source_rgb(pg->cr, 0, 0, 0);
	cairo_set_line_cap(pg->cr, CAIRO_LINE_CAP_SQUARE);
	if (!setup_pango(pg)) {
		tqk_page_free(pg);
		return TQK_E_PRINT_RENDER;
	}
	*out = pg;
	return TQK_OK;
}

double tqk_page_w(const tqk_page *pg)
{
	return pg->w;
}

double tqk_page_h(const tqk_page *pg)
{
	return pg->h;
}

cairo_t *tqk_page_cairo(tqk_page *pg)
{
	return pg->cr;
}

/* Releases cairo and pango; the file descriptor stays open. */
static void drop_drawing(tqk_page *pg)
{
	if (pg->font != NULL)
		pango_font_description_free(pg->font);
	if (pg->layout != NULL)
		g_object_unref(pg->layout);
	if (pg->cr != NULL)
		cairo_destroy(pg->cr);
	if (pg->surface != NULL)
		cairo_surface_destroy(pg->surface);
	pg->font = NULL;
	pg->layout = NULL;
	pg->cr = NULL;
	pg->surface = NULL;
}

void tqk_page_free(tqk_page *pg)
{
	if (pg == NULL)
		return;
	drop_drawing(pg);
	if (pg->fd >= 0) {
		close(pg->fd);
		unlink(pg->tmp);
	}
	free(pg);
}

tqk_err tqk_page_finish(tqk_page *pg)
{
	cairo_show_page(pg->cr);
	tqk_err err = cairo_status(pg->cr) == CAIRO_STATUS_SUCCESS ? TQK_OK : TQK_E_PRINT_RENDER;
	cairo_surface_finish(pg->surface);
	if (pg->write_failed)
		err = TQK_E_PRINT_IO;
	else if (err == TQK_OK && cairo_surface_status(pg->surface) != CAIRO_STATUS_SUCCESS)
		err = TQK_E_PRINT_RENDER;
	drop_drawing(pg);
	if (err == TQK_OK && fsync(pg->fd) != 0)
		err = TQK_E_PRINT_IO;
	int fd = pg->fd;
	pg->fd = -1;
	if (close(fd) != 0 && err == TQK_OK)
		err = TQK_E_PRINT_IO;
	if (err == TQK_OK && rename(pg->tmp, pg->path) != 0)
		err = TQK_E_PRINT_IO;
	if (err != TQK_OK)
		unlink(pg->tmp);
	free(pg);
	return err;
}

/* Lays s out at pt points, wrapped at wrap_mm (or not at all when <= 0);
 * its logical size in mm into *w and *h. */
static void measure(tqk_page *pg, const char *s, size_t n, double pt, bool bold,
                    double wrap_mm, double *w, double *h)
{
	pango_font_description_set_absolute_size(pg->font, pt * MM_PER_PT * PANGO_SCALE);
	pango_font_description_set_weight(pg->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(pg->layout, pg->font);
	pango_layout_set_width(pg->layout, wrap_mm > 0 ? (int)(wrap_mm * PANGO_SCALE) : -1);
	pango_layout_set_text(pg->layout, s, (int)n);
	int lw, lh;
	pango_layout_get_size(pg->layout, &lw, &lh);
	*w = (double)lw / PANGO_SCALE;
	*h = (double)lh / PANGO_SCALE;
}

/* Draws the layout as measure() left it, w x h mm, into b. */
static void draw_layout(tqk_page *pg, tqk_box b, double w, double h, bool wrapped,
                        tqk_align align, bool top)
{
	double x = b.x;
	if (wrapped) {
		pango_layout_set_alignment(pg->layout, align == TQK_ALIGN_CENTER ? PANGO_ALIGN_CENTER
		                           : align == TQK_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
		                           : PANGO_ALIGN_LEFT);
	} else {
		pango_layout_set_alignment(pg->layout, PANGO_ALIGN_LEFT);
		if (align == TQK_ALIGN_CENTER)
			x += (b.w - w) / 2;
		else if (align == TQK_ALIGN_RIGHT)
			x += b.w - w;
	}
	cairo_move_to(pg->cr, x, top ? b.y : b.y + (b.h - h) / 2);
	pango_cairo_show_layout(pg->cr, pg->layout);
	cairo_new_path(pg->cr);
}

tqk_err tqk_text(tqk_page *pg, tqk_box b, const char *s, size_t n, const tqk_style *st,
                 const char *field, const char **bad)
{
	if (n == 0)
		return TQK_OK;
	tqk_err fail = TQK_E_PRINT_FIT;
	if (n <= TQK_LAYOUT_TEXT_MAX && !tqk_utf8_valid(s, n))
		fail = TQK_E_PRINT_RENDER;
	else if (n <= TQK_LAYOUT_TEXT_MAX && b.w > 0 && b.h > 0) {
		double w, h;
		bool one_line = memchr(s, '\n', n) == NULL;
		double floor = st->pt * SHRINK_FLOOR;
		if (floor < st->min_pt)
			floor = st->min_pt;
		for (double pt = st->pt; one_line && pt >= floor - 1e-9; pt -= SIZE_STEP) {
			measure(pg, s, n, pt, st->bold, 0, &w, &h);
			if (w <= b.w && h <= b.h) {
				draw_layout(pg, b, w, h, false, st->align, st->top);
				return TQK_OK;
			}
		}
		for (double pt = st->pt; pt >= st->min_pt - 1e-9; pt -= SIZE_STEP) {
			measure(pg, s, n, pt, st->bold, b.w, &w, &h);
			if (w <= b.w + 1e-6 && h <= b.h) {
				draw_layout(pg, b, w, h, true, st->align, st->top);
				return TQK_OK;
			}
		}
	}
	if (bad != NULL)
		*bad = field;
	return fail;
}

tqk_err tqk_title(tqk_page *pg, tqk_box b, const char *title, double pt, const char **bad)
{
	tqk_style st = {pt, pt * 0.7, TQK_ALIGN_CENTER, true, false};
	return tqk_text(pg, b, title, strlen(title), &st, "label", bad);
}

tqk_err tqk_text_in(tqk_page *pg, tqk_box b, double pad, tqk_str t, const tqk_style *st,
                    const char *field, const char **bad)
{
	return tqk_text(pg, tqk_box_inset(b, pad, pad / 2), t.s, t.n, st, field, bad);
}

tqk_err tqk_cell(tqk_page *pg, tqk_box b, double pad, tqk_str t, const tqk_style *st,
                 const char *field, const char **bad)
{
	tqk_rule_box(pg, b, TQK_RULE_THIN);
	return tqk_text_in(pg, b, pad, t, st, field, bad);
}

void tqk_rule_box(tqk_page *pg, tqk_box b, double width)
{
	cairo_set_line_width(pg->cr, width);
	cairo_rectangle(pg->cr, b.x, b.y, b.w, b.h);
	cairo_stroke(pg->cr);
}

void tqk_rule_line(tqk_page *pg, double x0, double y0, double x1, double y1, double width)
{
	cairo_set_line_width(pg->cr, width);
	cairo_move_to(pg->cr, x0, y0);
	cairo_line_to(pg->cr, x1, y1);
	cairo_stroke(pg->cr);
}

void tqk_tick_box(tqk_page *pg, tqk_box b, bool ticked)
{
	double side = b.w < b.h ? b.w : b.h;
	double x = b.x + (b.w - side) / 2, y = b.y + (b.h - side) / 2;
	tqk_rule_box(pg, (tqk_box){x, y, side, side}, TQK_RULE_THIN * 1.5);
	if (!ticked)
		return;
	cairo_set_line_width(pg->cr, side * 0.12);
	cairo_set_line_join(pg->cr, CAIRO_LINE_JOIN_ROUND);
	cairo_move_to(pg->cr, x + side * 0.2, y + side * 0.52);
	cairo_line_to(pg->cr, x + side * 0.42, y + side * 0.75);
	cairo_line_to(pg->cr, x + side * 0.82, y + side * 0.25);
	cairo_stroke(pg->cr);
}

tqk_box tqk_box_inset(tqk_box b, double dx, double dy)
{
	return (tqk_box){b.x + dx, b.y + dy, b.w - 2 * dx, b.h - 2 * dy};
}
