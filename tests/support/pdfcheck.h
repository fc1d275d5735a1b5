/*
 * pdfcheck.h - what the print tests ask of a PDF, through poppler-utils and
 * libzbar: its text (pdftotext), its pages and page size (pdfinfo), a page
 * rendered to grey pixels (pdftoppm, read back with dev/image.h), and the
 * barcodes in those pixels (zbar's image scanner; QR in binary mode, so a
 * UTF-8 payload comes back byte for byte).
 *
 * The programs run through proc_run with an argv, never a shell. Plain C
 * without cmocka; functions return 0, or -1 when a program cannot run,
 * fails, or says something unexpected.
 */
#ifndef TQK_TEST_PDFCHECK_H
#define TQK_TEST_PDFCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "dev/image.h"

/* The text of pdf into *out (malloc'd, NUL-terminated, caller frees):
 * pdftotext -layout, or -raw (content-stream order: a cell's wrapped lines
 * stay together) when raw. */
int pdf_text(const char *pdf, bool raw, char **out);

/* s without ASCII white space and U+3000 (malloc'd; NULL when out of
 * memory): how texts are compared once pdftotext has broken lines. */
char *pdf_squash(const char *s);

/* The first of want[0..n) that the PDF's text (-raw, squashed) lacks; NULL
 * when it holds them all. The text that cannot be read lacks everything:
 * then want[0] (or "" when n is 0). */
const char *pdf_lacks(const char *pdf, const char *const *want, size_t n);

/* The number of pages and the first page's size in points (pdfinfo). */
int pdf_info(const char *pdf, int *pages, double *w_pt, double *h_pt);

/* The first page at dpi, grey (pdftoppm -gray -png), written as dir/page.png
 * and read back into *out (close it with tqk_image_close). */
int pdf_raster(const char *pdf, const char *dir, int dpi, tqk_image *out);

/* The first symbol of the kind asked for (QR, else Code 128) in img: its
 * bytes into out (cap bytes, NUL-terminated), its length into *len.
 * -1 when there is none or it does not fit. */
int pdf_decode(const tqk_image *img, bool qr, char *out, size_t cap, size_t *len);

#endif
