/*
 * barcode.c - Code 128 through zint and QR through libqrencode, drawn as
 * vector rectangles (barcode.h).
 *
 * zint 2.11 packs a symbol's row of modules eight to a byte, the lowest bit
 * first (encoded_data[row][x >> 3] bit x & 7); a QR module from libqrencode
 * is dark when bit 0 of its byte is set. Runs of dark modules in a row
 * become one rectangle each, all filled as one path so that touching
 * modules leave no seam.
 */
#include "print/barcode.h"

#include <stdbool.h>
#include <string.h>

#include <qrencode.h>
#include <zint.h>

static bool zint_dark(const struct zint_symbol *sym, int row, int x)
{
	return (sym->encoded_data[row][x >> 3] >> (x & 7)) & 1;
}

tqk_err tqk_code128_draw(cairo_t *cr, const char *data, size_t n, tqk_box b, double max_module,
                         tqk_align align, double *used)
{
	if (n == 0 || n > TQK_C128_DATA_MAX)
		return TQK_E_PRINT_BARCODE;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)data[i] < 0x20 || (unsigned char)data[i] > 0x7e)
			return TQK_E_PRINT_BARCODE;
	struct zint_symbol *sym = ZBarcode_Create();
	if (sym == NULL)
		return TQK_E_NOMEM;
	sym->symbology = BARCODE_CODE128;
	sym->input_mode = DATA_MODE;
	int rc = ZBarcode_Encode(sym, (const unsigned char *)data, (int)n);
	if (rc >= ZINT_ERROR || sym->rows < 1 || sym->width < 1) {
		ZBarcode_Delete(sym);
		return TQK_E_PRINT_BARCODE;
	}
	int cols = sym->width;
	double module = b.w / (cols + 2 * TQK_C128_QUIET);
	if (module > max_module)
		module = max_module;
	if (module < TQK_C128_MODULE_MIN) {
		ZBarcode_Delete(sym);
		return TQK_E_PRINT_FIT;
	}
	double total = module * (cols + 2 * TQK_C128_QUIET);
	double x0 = b.x;
	if (align == TQK_ALIGN_CENTER)
		x0 += (b.w - total) / 2;
	else if (align == TQK_ALIGN_RIGHT)
		x0 += b.w - total;
	x0 += module * TQK_C128_QUIET;
	cairo_new_path(cr);
	for (int x = 0; x < cols;) {
		if (!zint_dark(sym, 0, x)) {
			x++;
			continue;
		}
		int start = x;
		while (x < cols && zint_dark(sym, 0, x))
			x++;
		cairo_rectangle(cr, x0 + start * module, b.y, (x - start) * module, b.h);
	}
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
	cairo_fill(cr);
	ZBarcode_Delete(sym);
	if (used != NULL)
		*used = total;
	return TQK_OK;
}

tqk_err tqk_qr_draw(cairo_t *cr, const char *data, size_t n, tqk_box b, double max_module)
{
	if (n == 0 || n > TQK_QR_DATA_MAX)
		return TQK_E_PRINT_BARCODE;
	QRcode *q = QRcode_encodeData((int)n, (const unsigned char *)data, 0, QR_ECLEVEL_M);
	if (q == NULL)
		return TQK_E_PRINT_BARCODE;
	int dim = q->width;
	double side = b.w < b.h ? b.w : b.h;
	double module = side / (dim + 2 * TQK_QR_QUIET);
	if (module > max_module)
		module = max_module;
	if (module < TQK_QR_MODULE_MIN) {
		QRcode_free(q);
		return TQK_E_PRINT_FIT;
	}
	double total = module * (dim + 2 * TQK_QR_QUIET);
	double x0 = b.x + (b.w - total) / 2 + module * TQK_QR_QUIET;
	double y0 = b.y + (b.h - total) / 2 + module * TQK_QR_QUIET;
	cairo_new_path(cr);
	for (int y = 0; y < dim; y++) {
		const unsigned char *row = q->data + (size_t)y * (size_t)dim;
		for (int x = 0; x < dim;) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int start = x;
			while (x < dim && (row[x] & 1))
				x++;
			cairo_rectangle(cr, x0 + start * module, y0 + y * module, (x - start) * module,
			                module);
		}
	}
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
	cairo_fill(cr);
	QRcode_free(q);
	return TQK_OK;
}
