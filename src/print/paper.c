/*
 * paper.c - the paper sizes documents are laid out for (paper.h).
 */
#include <stddef.h>
#include <strings.h>

#include "print/paper.h"

static const struct {
	const char *code;
	double w, h;            /* millimetres, portrait */
} papers[TQK_PAPER_COUNT] = {
	[TQK_PAPER_A4] = {"a4", 210.0, 297.0},
	[TQK_PAPER_B5] = {"b5", 176.0, 250.0},
	[TQK_PAPER_16K] = {"16k", 184.0, 260.0},
};

const char *tqk_paper_code(tqk_paper p)
{
	return (unsigned)p < TQK_PAPER_COUNT ? papers[p].code : NULL;
}

tqk_err tqk_paper_parse(const char *s, tqk_paper *out)
{
	for (int p = 0; s != NULL && p < TQK_PAPER_COUNT; p++) {
		if (strcasecmp(s, papers[p].code) == 0) {
			*out = (tqk_paper)p;
			return TQK_OK;
		}
	}
	return TQK_E_PRINT_PAPER;
}

bool tqk_paper_mm(tqk_paper p, double *w, double *h)
{
	if ((unsigned)p >= TQK_PAPER_COUNT)
		return false;
	*w = papers[p].w;
	*h = papers[p].h;
	return true;
}
