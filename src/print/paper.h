/*
 * paper.h - the paper sizes documents are laid out for (SPEC §9): A4
 * (210x297 mm, the default), GB/ISO B5 (176x250 mm; not JIS B5, which is
 * 182x257) and 16K (184x260 mm; the "大16开" of 195x270 is not this one).
 */
#ifndef TQK_PRINT_PAPER_H
#define TQK_PRINT_PAPER_H

#include <stdbool.h>

#include "core/err.h"

typedef enum tqk_paper {
	TQK_PAPER_A4 = 0,
	TQK_PAPER_B5,
	TQK_PAPER_16K,
	TQK_PAPER_COUNT
} tqk_paper;

/* "a4", "b5", "16k"; NULL when p is out of range. */
const char *tqk_paper_code(tqk_paper p);
/* The code, in either case; TQK_E_PRINT_PAPER for anything else. */
tqk_err tqk_paper_parse(const char *s, tqk_paper *out) TQK_MUST_CHECK;
/* Width and height in millimetres (portrait); false when p is out of range. */
bool tqk_paper_mm(tqk_paper p, double *w, double *h);

#endif
