/*
 * cmd_scan.c - tqkioskctl scan-image FILE [--symbols LIST]: the barcodes in
 * an image file (PNG, PGM, PPM), through the camera's decoder in its
 * THOROUGH mode.
 *
 * Each symbol is one line TYPE:DATA, TYPE as ZBar names it (QR-Code,
 * CODE-128, EAN-13, CODE-39), top to bottom. A form's QR payload is printed
 * as it is (its name is UTF-8); other data is printed as it is too, except
 * control characters, backslashes and bytes that are not UTF-8, which are
 * written \xNN so that one symbol stays one line. With --json: {"count": N,
 * "symbols": [{"type", "data" (or "data_hex" when not UTF-8), "kind" (what
 * the kiosk takes it for: cert, id, payload, reg, none), "x", "y", "w",
 * "h"}]}. Exit status 0 when something was found, 1 when nothing was, 2 for
 * a usage error or a file that cannot be read as an image.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/scan.h"
#include "core/text.h"
#include "ctl.h"
#include "dev/image.h"
#include "dev/zscan.h"

/* What the kiosk would take data for: "payload", "cert", ... or "none". */
static tqk_scan_kind kind_of(const ctl *c, const tqk_zsym *s)
{
	tqk_scan scan;
	if (tqk_scan_classify(s->data, s->len, tqk_time_date(c->now), &scan) != TQK_OK)
		return TQK_SCAN_NONE;
	return scan.kind;
}

/* The length of the UTF-8 sequence at p (n bytes left), 0 when none. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] < 0x80 ? 1 : (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3
	           : (p[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	return tqk_utf8_valid((const char *)p, len) ? len : 0;
}

static void print_line(const tqk_zsym *s, tqk_scan_kind kind)
{
	fputs(s->name, stdout);
	fputc(':', stdout);
	if (kind == TQK_SCAN_PAYLOAD) {
		fwrite(s->data, 1, s->len, stdout);
	} else {
		const unsigned char *p = (const unsigned char *)s->data;
		for (size_t i = 0; i < s->len;) {
			size_t n = p[i] >= 0x20 && p[i] != 0x7f && p[i] != '\\' ? utf8_len(p + i, s->len - i)
			                                                         : 0;
			if (n == 0) {
				printf("\\x%02x", p[i]);
				i++;
			} else {
				fwrite(p + i, 1, n, stdout);
				i += n;
			}
		}
	}
	fputc('\n', stdout);
}

static json_t *symbol_json(const tqk_zsym *s, tqk_scan_kind kind)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string(s->name));
	if (tqk_utf8_valid(s->data, s->len)) {
		json_object_set_new(o, "data", json_stringn(s->data, s->len));
	} else {
		char hex[2 * TQK_ZSCAN_DATA_CAP + 1];
		for (size_t i = 0; i < s->len; i++)
			snprintf(hex + 2 * i, 3, "%02x", (unsigned char)s->data[i]);
		json_object_set_new(o, "data_hex", json_stringn(hex, 2 * s->len));
	}
	json_object_set_new(o, "kind", json_string(tqk_scan_kind_code(kind)));
	json_object_set_new(o, "x", json_integer(s->x));
	json_object_set_new(o, "y", json_integer(s->y));
	json_object_set_new(o, "w", json_integer(s->w));
	json_object_set_new(o, "h", json_integer(s->h));
	return o;
}

/* A file that is no image we can read: error=<domain>.<code>, the reason,
 * exit 2 (the input is not even a picture). */
static int unreadable(ctl *c, tqk_err err, const char *path)
{
	char code[64];
	snprintf(code, sizeof code, "%s.%s", tqk_err_domain(err), tqk_err_code(err));
	out_str(c, "error", code);
	ctl_error(c, err, path);
	return CTL_USAGE;
}

int cmd_scan_image(ctl *c, int argc, char **argv)
{
	const char *file = NULL, *symbols = NULL;
	const ctl_optspec opts[] = {{"--symbols", &symbols}, {NULL, NULL}};
	int rc = ctl_args(c, argc, argv, opts, &file);
	if (rc != CTL_OK)
		return rc;
	if (file == NULL)
		return ctl_usage(c, "scan-image", "请给出图像文件（PNG、PGM 或 PPM）",
		                 "give an image file (PNG, PGM or PPM)");
	tqk_zscan_opts zo = tqk_zscan_opts_default();
	zo.speed = TQK_ZSCAN_THOROUGH;
	if (symbols != NULL) {
		tqk_err err = tqk_zscan_symbols_parse(symbols, &zo.symbols);
		if (err != TQK_OK) {
			ctl_error(c, err, "--symbols");
			return ctl_usage(c, "--symbols", "可用：qr、code128、ean13、code39、all",
			                 "takes qr, code128, ean13, code39 or all");
		}
	}

	tqk_image img;
	tqk_err err = tqk_image_load(file, &img);
	if (err != TQK_OK)
		return unreadable(c, err, file);
	tqk_zscan *z = NULL;
	tqk_zscan_result *res = malloc(sizeof *res);
	err = res == NULL ? TQK_E_NOMEM : tqk_zscan_new(&zo, &z);
	if (err == TQK_OK)
		err = tqk_zscan_decode(z, img.px, img.w, img.h, (size_t)img.w, res);
	tqk_zscan_free(z);
	tqk_image_close(&img);
	if (err != TQK_OK) {
		free(res);
		return unreadable(c, err, file);
	}

	json_t *list = c->json ? json_array() : NULL;
	for (size_t i = 0; i < res->n; i++) {
		tqk_scan_kind kind = kind_of(c, &res->sym[i]);
		if (list != NULL)
			json_array_append_new(list, symbol_json(&res->sym[i], kind));
		else
			print_line(&res->sym[i], kind);
	}
	if (list != NULL) {
		out_int(c, "count", (long long)res->n);
		json_object_set_new(c->obj, "symbols", list);
	}
	if (res->rejected > 0) {
		fprintf(stderr, c->lang == TQK_LANG_EN ? "tqkioskctl: %zu symbol(s) left out: %s\n"
		                                       : "tqkioskctl: 有 %zu 个条码未输出：%s\n",
		        res->rejected, tqk_strerror(res->reject_err, c->lang));
	}
	rc = res->n > 0 ? CTL_OK : CTL_NO;
	if (res->n == 0)
		ctl_say(c, "图像中没有找到条码", "no barcode found in the image");
	free(res);
	return rc;
}
