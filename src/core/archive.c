/*
 * archive.c - formatting and parsing archive numbers.
 */
#include "core/archive.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/certnum.h"
#include "core/text.h"

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static unsigned max_serial(int width)
{
	unsigned m = 1;
	for (int i = 0; i < width; i++)
		m *= 10;
	return m - 1;
}

tqk_err tqk_archive_check(const tqk_archive *a, int width)
{
	assert(a != NULL);
	if (width < 1 || width > TQK_ARCHIVE_WIDTH_MAX)
		return TQK_E_ARCHIVE_WIDTH;
	size_t n = strnlen(a->county, sizeof a->county);
	if (n < TQK_ARCHIVE_COUNTY_MIN || n > TQK_ARCHIVE_COUNTY_MAX)
		return TQK_E_ARCHIVE_COUNTY;
	for (size_t i = 0; i < n; i++)
		if (!is_upper(a->county[i]))
			return TQK_E_ARCHIVE_COUNTY;
	if (a->year < TQK_CERT_YEAR_MIN || a->year > 9999)
		return TQK_E_ARCHIVE_YEAR;
	if (a->site < 1 || a->site > TQK_ARCHIVE_SITE_MAX)
		return TQK_E_ARCHIVE_SITE;
	if (a->serial < 1 || a->serial > max_serial(width))
		return TQK_E_ARCHIVE_SERIAL;
	return TQK_OK;
}

tqk_err tqk_archive_format(const tqk_archive *a, int width, char buf[TQK_ARCHIVE_BUFLEN])
{
	tqk_err err = tqk_archive_check(a, width);
	if (err != TQK_OK)
		return err;
	snprintf(buf, TQK_ARCHIVE_BUFLEN, "%s%04d%02d%0*u", a->county, a->year,
	         a->site, width, a->serial);
	return TQK_OK;
}

tqk_err tqk_archive_parse(const char *s, size_t len, int width, tqk_archive *out)
{
	assert(s != NULL && out != NULL);
	if (width < 1 || width > TQK_ARCHIVE_WIDTH_MAX)
		return TQK_E_ARCHIVE_WIDTH;
	size_t letters = 0;
	while (letters < len && is_upper(s[letters]))
		letters++;
	if (letters < TQK_ARCHIVE_COUNTY_MIN || letters > TQK_ARCHIVE_COUNTY_MAX ||
	    len - letters != (size_t)(6 + width))
		return TQK_E_ARCHIVE_FORMAT;
	const char *digits = s + letters;
	int year = tqk_decimal(digits, 4);
	int site = tqk_decimal(digits + 4, 2);
	int serial = tqk_decimal(digits + 6, (size_t)width);
	if (year < 0 || site < 0 || serial < 0)
		return TQK_E_ARCHIVE_FORMAT;

	tqk_archive a;
	memset(&a, 0, sizeof a);
	memcpy(a.county, s, letters);
	a.year = year;
	a.site = site;
	a.serial = (unsigned)serial;
	tqk_err err = tqk_archive_check(&a, width);
	if (err != TQK_OK)
		return err;
	*out = a;
	return TQK_OK;
}
