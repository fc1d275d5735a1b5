/*
 * archive.h - archive numbers (档案序号) written on the archive bag.
 *
 * county pinyin initials (2-6 capitals) + first-registration year (4 digits)
 * + confirmation-site number (2 digits) + personal serial (width digits,
 * default 3), e.g. CSX + 2024 + 01 + 007 = "CSX202401007" (seed, first text,
 * 1(1)). Serials are allocated per site by the store; this file only writes
 * and reads the number.
 */
#ifndef TQK_CORE_ARCHIVE_H
#define TQK_CORE_ARCHIVE_H

#include <stddef.h>

#include "core/err.h"

#define TQK_ARCHIVE_COUNTY_MIN 2
#define TQK_ARCHIVE_COUNTY_MAX 6
#define TQK_ARCHIVE_WIDTH_DEFAULT 3
#define TQK_ARCHIVE_WIDTH_MAX 6
#define TQK_ARCHIVE_SITE_MAX 99
/* Longest number plus terminator. */
#define TQK_ARCHIVE_BUFLEN (TQK_ARCHIVE_COUNTY_MAX + 4 + 2 + TQK_ARCHIVE_WIDTH_MAX + 1)

typedef struct tqk_archive {
	char county[TQK_ARCHIVE_COUNTY_MAX + 1];
	int year;           /* 1993..9999 */
	int site;           /* 1..99 */
	unsigned serial;    /* 1..10^width - 1 */
} tqk_archive;

/* Checks every field against width (1..6); the first failing field's error. */
tqk_err tqk_archive_check(const tqk_archive *a, int width) TQK_MUST_CHECK;

/* Writes the number and its terminator into buf (TQK_ARCHIVE_BUFLEN bytes). */
tqk_err tqk_archive_format(const tqk_archive *a, int width,
                           char buf[TQK_ARCHIVE_BUFLEN]) TQK_MUST_CHECK;

/*
 * Reads s (len bytes) written with the given serial width. Returns
 * TQK_E_ARCHIVE_FORMAT unless it is 2-6 capitals followed by exactly
 * 6 + width digits, or the field's own error for a value out of range.
 */
tqk_err tqk_archive_parse(const char *s, size_t len, int width, tqk_archive *out) TQK_MUST_CHECK;

#endif
