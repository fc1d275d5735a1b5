/*
 * text.h - small UTF-8 helpers for text typed by people or read from files.
 *
 * Strings here are byte ranges (pointer + length), never assumed to be
 * NUL-terminated. "Space" means ASCII space, tab, CR, LF and the ideographic
 * space U+3000 that Chinese input methods produce.
 */
#ifndef TQK_CORE_TEXT_H
#define TQK_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The value of exactly n (1..9) ASCII digits at s, or -1 if any byte is not
 * a digit. */
int tqk_decimal(const char *s, size_t n);

/* True when s is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool tqk_utf8_valid(const char *s, size_t len);

/* Decodes the code point at s[*pos] and advances *pos; returns -1 and advances
 * one byte on a malformed sequence. *pos < len is required. */
int32_t tqk_utf8_next(const char *s, size_t len, size_t *pos);

/* Narrows [*s, *s + *len) to drop leading and trailing spaces. */
void tqk_text_trim(const char **s, size_t *len);

/* True when s is empty or holds only spaces. */
bool tqk_text_blank(const char *s, size_t len);

/*
 * The next line of a text file, for the line-based formats (calendar.h,
 * tree.h): from *pos, its bytes up to the newline (LF, or CRLF: the CR is
 * the newline's) into *line and *n, the '#' comment cut off; *pos moves past
 * it. Returns TQK_TEXT_LINE_END at the end of text, TQK_TEXT_LINE_LONG for
 * a line over max bytes (before the cut), TQK_TEXT_LINE_UTF8 for one that
 * is not UTF-8, TQK_TEXT_LINE_OK otherwise.
 */
typedef enum tqk_text_line_kind {
	TQK_TEXT_LINE_OK = 0,
	TQK_TEXT_LINE_END,
	TQK_TEXT_LINE_LONG,
	TQK_TEXT_LINE_UTF8
} tqk_text_line_kind;
tqk_text_line_kind tqk_text_line(const char *text, size_t len, size_t *pos, size_t max,
                                 const char **line, size_t *n);

/* Compares two personal names as people write them: outer spaces ignored
 * and the middle dots of transcribed names (· • ・ ． . and look-alikes
 * input methods produce) taken as one. */
bool tqk_name_equal(const char *a, size_t alen, const char *b, size_t blen);

#endif
