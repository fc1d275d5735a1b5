/*
 * text.c - UTF-8 decoding, trimming, lines of text files and name comparison.
 */
#include "core/text.h"

#include <assert.h>
#include <string.h>

int tqk_decimal(const char *s, size_t n)
{
	assert(n >= 1 && n <= 9);
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int32_t tqk_utf8_next(const char *s, size_t len, size_t *pos)
{
	assert(*pos < len);
	const unsigned char *p = (const unsigned char *)s + *pos;
	size_t left = len - *pos;
	unsigned char c = p[0];
	int32_t cp, min;
	size_t n;

	if (c < 0x80) {
		*pos += 1;
		return c;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, cp = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, cp = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, cp = c & 0x07, min = 0x10000;
	} else {
		*pos += 1;
		return -1;
	}
	if (left < n) {
		*pos += 1;
		return -1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*pos += 1;
			return -1;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*pos += 1;
		return -1;
	}
	*pos += n;
	return cp;
}

bool tqk_utf8_valid(const char *s, size_t len)
{
	size_t pos = 0;
	while (pos < len)
		if (tqk_utf8_next(s, len, &pos) < 0)
			return false;
	return true;
}

static bool is_space(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000;
}

void tqk_text_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;
	/* Leading: decode forward. */
	for (;;) {
		size_t pos = 0;
		if (n == 0 || !is_space(tqk_utf8_next(p, n, &pos)))
			break;
		p += pos;
		n -= pos;
	}
	/* Trailing: U+3000 is E3 80 80; everything else is one byte. */
	for (;;) {
		if (n >= 1 && is_space((unsigned char)p[n - 1]))
			n -= 1;
		else if (n >= 3 && (unsigned char)p[n - 3] == 0xE3 &&
		         (unsigned char)p[n - 2] == 0x80 && (unsigned char)p[n - 1] == 0x80)
			n -= 3;
		else
			break;
	}
	*s = p;
	*len = n;
}

bool tqk_text_blank(const char *s, size_t len)
{
	tqk_text_trim(&s, &len);
	return len == 0;
}

tqk_text_line_kind tqk_text_line(const char *text, size_t len, size_t *pos, size_t max,
                                 const char **line, size_t *n)
{
	if (*pos >= len)
		return TQK_TEXT_LINE_END;
	const char *s = text + *pos;
	const char *nl = memchr(s, '\n', len - *pos);
	size_t k = nl != NULL ? (size_t)(nl - s) : len - *pos;
	*pos += k + 1;
	if (nl != NULL && k > 0 && s[k - 1] == '\r')
		k--;
	*line = s;
	*n = k;
	if (k > max)
		return TQK_TEXT_LINE_LONG;
	if (!tqk_utf8_valid(s, k))
		return TQK_TEXT_LINE_UTF8;
	const char *hash = memchr(s, '#', k);
	if (hash != NULL)
		*n = (size_t)(hash - s);
	return TQK_TEXT_LINE_OK;
}

static int32_t fold_dot(int32_t cp)
{
	switch (cp) {
	case '.': case 0x0387: case 0x2022: case 0x2027: case 0x2219: case 0x22C5:
	case 0x30FB: case 0xFF0E: case 0xFF65:
		return 0x00B7;
	default:
		return cp;
	}
}

/* The next unit of a name to compare: a folded code point, or for a
 * malformed byte a negative value unique to that byte. */
static int32_t name_unit(const char *s, size_t len, size_t *pos)
{
	size_t start = *pos;
	int32_t cp = tqk_utf8_next(s, len, pos);
	return cp < 0 ? -1 - (unsigned char)s[start] : fold_dot(cp);
}

bool tqk_name_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	tqk_text_trim(&a, &alen);
	tqk_text_trim(&b, &blen);
	size_t i = 0, j = 0;
	while (i < alen && j < blen)
		if (name_unit(a, alen, &i) != name_unit(b, blen, &j))
			return false;
	return i == alen && j == blen;
}
