/*
 * utf8.c - stepping through UTF-8 by whole characters for the text layout
 * and the fields: the length and code point of the next character, the
 * start of the previous one. Malformed input never stalls a loop: a bad byte
 * is one character (U+FFFD).
 */
#include "ui/internal.h"

size_t tqk_ui_utf8_next(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;
	uint32_t c;
	if (u[0] < 0x80u) {
		*cp = u[0];
		return 1;
	} else if ((u[0] & 0xE0u) == 0xC0u) {
		len = 2;
		c = u[0] & 0x1Fu;
	} else if ((u[0] & 0xF0u) == 0xE0u) {
		len = 3;
		c = u[0] & 0x0Fu;
	} else if ((u[0] & 0xF8u) == 0xF0u) {
		len = 4;
		c = u[0] & 0x07u;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (len > n) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0u) != 0x80u) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3Fu);
	}
	*cp = c;
	return len;
}

size_t tqk_ui_utf8_prev(const char *s, size_t pos)
{
	if (pos == 0)
		return 0;
	size_t p = pos - 1;
	/* Back over at most three continuation bytes to a lead byte. */
	for (int k = 0; k < 3 && p > 0 && ((unsigned char)s[p] & 0xC0u) == 0x80u; k++)
		p--;
	uint32_t cp = 0;
	if (p + tqk_ui_utf8_next(s + p, pos - p, &cp) == pos)
		return p;
	return pos - 1;   /* malformed: one byte */
}
