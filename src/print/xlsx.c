/*
 * xlsx.c - one roster as one workbook with libxlsxwriter (roster.h,
 * tqk_roster_xlsx): the sheet's rows, formats, column widths and page
 * setup for A3 landscape.
 */
#include "print/roster.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#define SHEET_NAME "花名册"
#define FONT "宋体"
#define ROW_TITLE 0
#define ROW_CAPTION 1
#define ROW_HEADER 2
#define ROW_FIRST 3
#define CELL_CAP TQK_TEXT_CAP

/* Column widths in Excel's character units, wide enough for the longest
 * usual value (an 18-character ID number, a 17-digit certificate number,
 * a date) and wrapping the free texts. */
static const double widths[TQK_RC_COUNT] = {
	[TQK_RC_SERIAL] = 6,
	[TQK_RC_ARCHIVE] = 15,
	[TQK_RC_NAME] = 9,
	[TQK_RC_GENDER] = 5,
	[TQK_RC_BIRTH] = 11.5,
	[TQK_RC_ID] = 20,
	[TQK_RC_NATION] = 7,
	[TQK_RC_QUALIFICATION] = 16,
	[TQK_RC_SUBJECT] = 10,
	[TQK_RC_CERT_NO] = 19,
	[TQK_RC_AUTHORITY] = 16,
	[TQK_RC_ISSUED] = 11.5,
	[TQK_RC_REGISTRATION] = 9,
	[TQK_RC_POST] = 12,
	[TQK_RC_POST_SUBJECT] = 10,
	[TQK_RC_TITLE] = 12,
	[TQK_RC_WORK_START] = 11.5,
	[TQK_RC_AREA] = 8,
	[TQK_RC_REG_NO] = 16,
	[TQK_RC_CONCLUSION] = 11,
	[TQK_RC_CONFIRMED] = 11.5,
	[TQK_RC_REMARK] = 30,
};

/* The columns of short fixed-width values, centred; the others wrap. */
static bool centred(tqk_roster_col c)
{
	switch (c) {
	case TQK_RC_SERIAL: case TQK_RC_ARCHIVE: case TQK_RC_GENDER: case TQK_RC_BIRTH:
	case TQK_RC_ID: case TQK_RC_NATION: case TQK_RC_CERT_NO: case TQK_RC_ISSUED:
	case TQK_RC_REGISTRATION: case TQK_RC_WORK_START: case TQK_RC_AREA:
	case TQK_RC_REG_NO: case TQK_RC_CONCLUSION: case TQK_RC_CONFIRMED:
		return true;
	default:
		return false;
	}
}

/* Control characters other than the line break would make the sheet's XML
 * invalid: each becomes a space. */
static void clean(char *s)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && *s != '\n') || *s == 0x7f)
			*s = ' ';
}

static const char *part_title(tqk_roster kind)
{
	return kind == TQK_ROSTER_SENIOR ? "（高中、中职）" : "（初中、小学、幼儿园）";
}

struct formats {
	lxw_format *title, *caption, *header, *centre, *text;
};

static lxw_format *base(lxw_workbook *wb, double size)
{
	lxw_format *f = workbook_add_format(wb);
	if (f != NULL) {
		format_set_font_name(f, FONT);
		format_set_font_size(f, size);
		format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	}
	return f;
}

static bool make_formats(lxw_workbook *wb, struct formats *f)
{
	f->title = base(wb, 16);
	f->caption = base(wb, 11);
	f->header = base(wb, 10);
	f->centre = base(wb, 10);
	f->text = base(wb, 10);
	if (f->title == NULL || f->caption == NULL || f->header == NULL || f->centre == NULL ||
	    f->text == NULL)
		return false;
	format_set_bold(f->title);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	format_set_align(f->caption, LXW_ALIGN_LEFT);
	format_set_bold(f->header);
	format_set_align(f->header, LXW_ALIGN_CENTER);
	format_set_text_wrap(f->header);
	format_set_bg_color(f->header, 0xD9D9D9);
	format_set_border(f->header, LXW_BORDER_THIN);
	format_set_align(f->centre, LXW_ALIGN_CENTER);
	format_set_text_wrap(f->centre);
	format_set_border(f->centre, LXW_BORDER_THIN);
	format_set_text_wrap(f->text);
	format_set_border(f->text, LXW_BORDER_THIN);
	return true;
}

/* Titles, header and page setup; any libxlsxwriter failure as false. */
static bool write_head(lxw_worksheet *ws, const struct formats *f, const char *title,
                       const char *caption)
{
	lxw_error e = LXW_NO_ERROR;
	const lxw_col_t last = TQK_RC_COUNT - 1;
	for (int c = 0; c < TQK_RC_COUNT && e == LXW_NO_ERROR; c++)
		e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
	if (e == LXW_NO_ERROR)
		e = worksheet_set_row(ws, ROW_TITLE, 30, NULL);
	if (e == LXW_NO_ERROR)
		e = worksheet_merge_range(ws, ROW_TITLE, 0, ROW_TITLE, last, title, f->title);
	if (e == LXW_NO_ERROR)
		e = worksheet_set_row(ws, ROW_CAPTION, 20, NULL);
	if (e == LXW_NO_ERROR)
		e = worksheet_merge_range(ws, ROW_CAPTION, 0, ROW_CAPTION, last, caption, f->caption);
	if (e == LXW_NO_ERROR)
		e = worksheet_set_row(ws, ROW_HEADER, 30, NULL);
	for (int c = 0; c < TQK_RC_COUNT && e == LXW_NO_ERROR; c++)
		e = worksheet_write_string(ws, ROW_HEADER, (lxw_col_t)c,
		                           tqk_roster_col_name((tqk_roster_col)c), f->header);
	if (e == LXW_NO_ERROR)
		e = worksheet_repeat_rows(ws, ROW_TITLE, ROW_HEADER);
	if (e == LXW_NO_ERROR)
		e = worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
	if (e != LXW_NO_ERROR)
		return false;
	worksheet_freeze_panes(ws, ROW_FIRST, 0);
	worksheet_set_paper(ws, 8);                 /* A3 */
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);           /* the width on one page, as many pages as needed */
	worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.7);
	worksheet_center_horizontally(ws);
	return true;
}

static bool write_rows(lxw_worksheet *ws, const struct formats *f, const tqk_roster_list *l)
{
	char cell[CELL_CAP];
	for (size_t i = 0; i < l->n; i++) {
		lxw_row_t r = (lxw_row_t)(ROW_FIRST + i);
		lxw_error e = worksheet_write_number(ws, r, TQK_RC_SERIAL,
		                                     (double)l->first + (double)i, f->centre);
		for (int c = TQK_RC_SERIAL + 1; c < TQK_RC_COUNT && e == LXW_NO_ERROR; c++) {
			tqk_roster_cell(l->rows[i], (tqk_roster_col)c, cell, sizeof cell);
			clean(cell);
			lxw_format *fmt = centred((tqk_roster_col)c) ? f->centre : f->text;
			e = cell[0] != '\0' ? worksheet_write_string(ws, r, (lxw_col_t)c, cell, fmt)
			                    : worksheet_write_blank(ws, r, (lxw_col_t)c, fmt);
		}
		if (e != LXW_NO_ERROR)
			return false;
	}
	return true;
}

tqk_err tqk_roster_xlsx(const tqk_roster_list *l, const char *path, const char *title,
                        const char *caption)
{
	char head[TQK_ROSTER_CAPTION_CAP], line[TQK_ROSTER_CAPTION_CAP];
	if (l == NULL || path == NULL || title == NULL || caption == NULL)
		return TQK_E_ARG;
	if ((size_t)snprintf(head, sizeof head, "%s%s", title, part_title(l->kind)) >= sizeof head)
		return TQK_E_TOO_LONG;
	if ((size_t)snprintf(line, sizeof line, "%s", caption) >= sizeof line)
		return TQK_E_TOO_LONG;
	clean(head);
	clean(line);

	lxw_workbook *wb = workbook_new(path);
	if (wb == NULL)
		return TQK_E_PRINT_RENDER;
	struct formats f;
	lxw_worksheet *ws = workbook_add_worksheet(wb, SHEET_NAME);
	bool ok = ws != NULL && make_formats(wb, &f) && write_head(ws, &f, head, line) &&
	          write_rows(ws, &f, l);
	lxw_error e = workbook_close(wb);           /* frees wb whatever happened */
	tqk_err err = TQK_OK;
	if (e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE ||
	    e == LXW_ERROR_ZIP_FILE_OPERATION || e == LXW_ERROR_ZIP_CLOSE)
		err = TQK_E_PRINT_IO;
	else if (!ok || e != LXW_NO_ERROR)
		err = TQK_E_PRINT_RENDER;
	if (err != TQK_OK)
		unlink(path);
	return err;
}
