/*
 * xlsxread.h - enough of an xlsx reader for the tests of the rosters: a
 * member of the zip read through `unzip -p` (spawned with argv, no shell),
 * the archive checked with `unzip -tq`, and a tolerant reader of the
 * shared strings and of one sheet's cells (no libxml2: the files are
 * libxlsxwriter's, whose XML is regular).
 */
#ifndef TQK_TEST_XLSXREAD_H
#define TQK_TEST_XLSXREAD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct xlsx_cell {
	int row, col;           /* 0-based, from the r="B3" reference */
	bool is_string;         /* t="s" (shared), "str" or "inlineStr" */
	bool has_value;         /* a <v> or inline text; false for a styled blank */
	char *text;             /* the string, or the <v> text of a number; "" for a blank */
} xlsx_cell;

typedef struct xlsx_sheet {
	size_t n;
	xlsx_cell *cells;
	int rows;               /* one past the last row that has a cell */
} xlsx_sheet;

/* The member's bytes (NUL-terminated; the caller frees) into *out.
 * Returns 0, or -1 when unzip cannot run or fails (no such member). */
int xlsx_member(const char *file, const char *member, char **out);

/* Whether `unzip -tq file` finds the archive sound. */
bool xlsx_zip_ok(const char *file);

/* Loads xl/worksheets/sheet<number>.xml of file with its shared strings
 * resolved. Returns 0 or -1; free with xlsx_sheet_free. */
int xlsx_sheet_load(const char *file, int number, xlsx_sheet *out);
void xlsx_sheet_free(xlsx_sheet *s);

/* The cell at (row, col), or NULL when the sheet has none there. */
const xlsx_cell *xlsx_sheet_cell(const xlsx_sheet *s, int row, int col);
/* Its text, "" when there is no cell. */
const char *xlsx_sheet_text(const xlsx_sheet *s, int row, int col);

/* XML text with the five entities and numeric references decoded, into
 * a new string (caller frees); NULL when out of memory. */
char *xlsx_unescape(const char *s, size_t n);

#endif
