/*
 * barcode.h - the printed documents' barcodes as vector shapes (internal to
 * src/print): Code 128 encoded by zint and drawn as one filled rectangle a
 * bar from the symbol's row of modules, and QR encoded by libqrencode in
 * 8-bit mode at level M (UTF-8 travels byte for byte) and drawn as filled
 * squares with a quiet zone of 4 modules. Nothing is rasterised, so the
 * symbols stay sharp at any printer's resolution.
 *
 * Sizes keep the symbols scannable: a Code 128 module is never narrower
 * than TQK_C128_MODULE_MIN, a QR module never smaller than
 * TQK_QR_MODULE_MIN; a symbol that does not fit its box at that size is
 * refused rather than drawn smaller.
 */
#ifndef TQK_PRINT_BARCODE_H
#define TQK_PRINT_BARCODE_H

#include <stddef.h>

#include <cairo.h>

#include "core/err.h"
#include "print/layout.h"

#define TQK_C128_MODULE_MIN 0.25    /* mm */
#define TQK_C128_QUIET 10           /* modules of quiet zone each side */
#define TQK_C128_DATA_MAX 64        /* bytes a Code 128 here may carry */
#define TQK_QR_MODULE_MIN 0.5       /* mm */
#define TQK_QR_QUIET 4              /* modules of quiet zone each side */
#define TQK_QR_DATA_MAX 1024        /* bytes a QR here may carry */

/*
 * Draws n bytes of data as Code 128 in b: bars b.h high, the module as wide
 * as b allows (with the quiet zones inside b) up to max_module mm, placed
 * as align says. The width the symbol takes with its quiet zones goes to
 * *used (may be NULL). Fails with TQK_E_PRINT_BARCODE for data Code 128 is
 * not used for here (empty, longer than TQK_C128_DATA_MAX, or any byte
 * outside printable ASCII 0x20..0x7e: what a scanner types back) or that
 * zint refuses, TQK_E_PRINT_FIT when b is too narrow at
 * TQK_C128_MODULE_MIN, TQK_E_NOMEM; nothing is drawn then.
 */
tqk_err tqk_code128_draw(cairo_t *cr, const char *data, size_t n, tqk_box b, double max_module,
                         tqk_align align, double *used) TQK_MUST_CHECK;

/*
 * Draws n bytes (1..TQK_QR_DATA_MAX) of data as a QR code at level M,
 * quiet zone included, as a square centred in b, the module as large as b
 * allows up to max_module mm. Fails with TQK_E_PRINT_BARCODE when
 * libqrencode refuses the data, TQK_E_PRINT_FIT when b is too small at
 * TQK_QR_MODULE_MIN; nothing is drawn then.
 */
tqk_err tqk_qr_draw(cairo_t *cr, const char *data, size_t n, tqk_box b,
                    double max_module) TQK_MUST_CHECK;

#endif
