/*
 * pdfcheck.c - pdftotext, pdfinfo, pdftoppm and zbar for the print tests
 * (pdfcheck.h).
 */
#include "pdfcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zbar.h>

#include "proc.h"

/* Runs argv and keeps its stdout in *out (NULL: dropped); 0 when it exits 0. */
static int run(char *const argv[], char **out)
{
	proc_result r;
	if (proc_run(argv, NULL, NULL, &r) != 0)
		return -1;
	int ok = r.status == 0 ? 0 : -1;
	if (ok == 0 && out != NULL) {
		*out = r.out;
		r.out = NULL;
	}
	proc_result_free(&r);
	return ok;
}

int pdf_text(const char *pdf, bool raw, char **out)
{
	char *argv[] = {"/usr/bin/pdftotext", raw ? "-raw" : "-layout", "-enc", "UTF-8",
	                (char *)pdf, "-", NULL};
	return run(argv, out);
}

char *pdf_squash(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(n + 1);
	if (o == NULL)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
			continue;
		if (c == 0xe3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0x80) {
			i += 2;
			continue;
		}
		o[k++] = (char)c;
	}
	o[k] = '\0';
	return o;
}

const char *pdf_lacks(const char *pdf, const char *const *want, size_t n)
{
	char *text = NULL;
	if (pdf_text(pdf, true, &text) != 0)
		return n > 0 ? want[0] : "";
	char *flat = pdf_squash(text);
	free(text);
	const char *missing = flat == NULL && n > 0 ? want[0] : NULL;
	for (size_t i = 0; flat != NULL && missing == NULL && i < n; i++)
		if (strstr(flat, want[i]) == NULL)
			missing = want[i];
	free(flat);
	return missing;
}

/* The text after "key:" on its line in s, as a number. */
static int field_num(const char *s, const char *key, double *v)
{
	const char *p = strstr(s, key);
	if (p == NULL)
		return -1;
	p += strlen(key);
	char *end;
	*v = strtod(p, &end);
	return end == p ? -1 : 0;
}

int pdf_info(const char *pdf, int *pages, double *w_pt, double *h_pt)
{
	char *argv[] = {"/usr/bin/pdfinfo", (char *)pdf, NULL};
	char *out = NULL;
	if (run(argv, &out) != 0)
		return -1;
	double n = 0;
	int rc = field_num(out, "Pages:", &n);
	const char *size = strstr(out, "Page size:");
	char *end = NULL;
	if (rc == 0 && size != NULL) {
		*w_pt = strtod(size + strlen("Page size:"), &end);
		const char *x = strstr(end, "x");
		rc = x != NULL ? 0 : -1;
		if (rc == 0)
			*h_pt = strtod(x + 1, &end);
	} else {
		rc = -1;
	}
	*pages = (int)n;
	free(out);
	return rc;
}

int pdf_raster(const char *pdf, const char *dir, int dpi, tqk_image *out)
{
	char res[16], root[4096], png[4100];
	snprintf(res, sizeof res, "%d", dpi);
	snprintf(root, sizeof root, "%s/page", dir);
	snprintf(png, sizeof png, "%s.png", root);
	char *argv[] = {"/usr/bin/pdftoppm", "-r", res, "-gray", "-png", "-singlefile",
	                (char *)pdf, root, NULL};
	if (run(argv, NULL) != 0)
		return -1;
	tqk_err err = tqk_image_load(png, out);
	remove(png);
	return err == TQK_OK ? 0 : -1;
}

int pdf_decode(const tqk_image *img, bool qr, char *out, size_t cap, size_t *len)
{
	zbar_image_scanner_t *zs = zbar_image_scanner_create();
	if (zs == NULL)
		return -1;
	zbar_symbol_type_t want = qr ? ZBAR_QRCODE : ZBAR_CODE128;
	zbar_image_scanner_set_config(zs, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(zs, want, ZBAR_CFG_ENABLE, 1);
	if (qr)
		zbar_image_scanner_set_config(zs, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
	zbar_image_t *zi = zbar_image_create();
	zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zi, (unsigned)img->w, (unsigned)img->h);
	zbar_image_set_data(zi, img->px, (unsigned long)img->w * (unsigned long)img->h, NULL);
	int rc = -1;
	if (zbar_scan_image(zs, zi) > 0) {
		for (const zbar_symbol_t *s = zbar_image_first_symbol(zi); s != NULL;
		     s = zbar_symbol_next(s)) {
			if (zbar_symbol_get_type(s) != want)
				continue;
			size_t n = zbar_symbol_get_data_length(s);
			if (n < cap) {
				memcpy(out, zbar_symbol_get_data(s), n);
				out[n] = '\0';
				*len = n;
				rc = 0;
			}
			break;
		}
	}
	zbar_image_destroy(zi);
	zbar_image_scanner_destroy(zs);
	return rc;
}
