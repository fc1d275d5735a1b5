/*
 * scan.c - classifying a scanned string by its shape and checking it with
 * the validator of that shape (scan.h).
 */
#include "core/scan.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "core/application.h"
#include "core/certnum.h"
#include "core/idnum.h"

const char *tqk_scan_kind_code(tqk_scan_kind k)
{
	switch (k) {
	case TQK_SCAN_CERT:
		return "cert";
	case TQK_SCAN_ID:
		return "id";
	case TQK_SCAN_PAYLOAD:
		return "payload";
	case TQK_SCAN_REG:
		return "reg";
	default:
		return "none";
	}
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!digit(s[i]))
			return false;
	return true;
}

/* "TQ" + 1..3 digits + '|' at the start of s. */
static bool payload_shape(const char *s, size_t n)
{
	if (n < 4 || s[0] != 'T' || s[1] != 'Q')
		return false;
	size_t i = 2;
	while (i < n && i < 5 && digit(s[i]))   /* s[2..4]: at most 3 digits */
		i++;
	return i > 2 && i < n && s[i] == '|';
}

/* Sets out's text to the n bytes at s. */
static void set_text(tqk_scan *out, const char *s, size_t n)
{
	assert(n < sizeof out->text);
	memcpy(out->text, s, n);
	out->text[n] = '\0';
	out->len = n;
}

tqk_err tqk_scan_classify(const char *s, size_t len, tqk_date today, tqk_scan *out)
{
	assert(out != NULL && (s != NULL || len == 0));
	memset(out, 0, sizeof *out);
	if (len > TQK_SCAN_MAX)
		return TQK_E_TOO_LONG;
	while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == '\n' || s[len - 1] == '\t' ||
	                   s[len - 1] == ' '))
		len--;
	if (len == 0)
		return TQK_E_SCAN_UNKNOWN;

	if (payload_shape(s, len)) {
		out->kind = TQK_SCAN_PAYLOAD;
		tqk_payload p;
		tqk_err err = tqk_payload_parse(s, len, &p, NULL);
		if (err == TQK_OK)
			set_text(out, s, len);  /* parse caps len at TQK_PAYLOAD_MAX */
		return err;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return TQK_E_SCAN_CHARS;

	if ((len == TQK_CERT_LEN || len == TQK_CERT_OLD_LEN) && all_digits(s, len)) {
		out->kind = TQK_SCAN_CERT;
		tqk_certnum c;
		tqk_err err = tqk_cert_parse(s, len, today.year, &c);
		if (err == TQK_OK)
			set_text(out, c.cert, TQK_CERT_LEN);
		return err;
	}
	if (len == TQK_ID_LEN && all_digits(s, TQK_ID_LEN - 1) &&
	    (digit(s[17]) || s[17] == 'X' || s[17] == 'x')) {
		out->kind = TQK_SCAN_ID;
		tqk_idnum id;
		tqk_err err = tqk_id_parse(s, len, today, &id);
		if (err == TQK_OK)
			set_text(out, id.id, TQK_ID_LEN);
		return err;
	}
	char code[TQK_CODE_CAP];
	if (len < sizeof code) {
		memcpy(code, s, len);
		code[len] = '\0';
		if (tqk_code_valid(code)) {
			out->kind = TQK_SCAN_REG;
			set_text(out, s, len);
			return TQK_OK;
		}
	}
	return TQK_E_SCAN_UNKNOWN;
}
