/*
 * fuzz_numbers.c - libFuzzer target for every small parser in core: ID and
 * certificate numbers, archive numbers, dates, times, hours, periods, stage
 * and state codes, and the UTF-8 helpers.
 *
 * Beyond "no crash": what parses must format back to a form that parses to
 * the same value (ID and certificate numbers, archive numbers, dates).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/archive.h"
#include "core/certnum.h"
#include "core/idnum.h"
#include "core/text.h"
#include "core/window.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void numbers(const char *s, size_t n)
{
	const tqk_date today = {2026, 11, 29};
	tqk_idnum id;
	if (tqk_id_parse(s, n, today, &id) == TQK_OK) {
		tqk_idnum again;
		assert(tqk_id_parse(id.id, TQK_ID_LEN, today, &again) == TQK_OK);
		assert(strcmp(id.id, again.id) == 0 && id.gender == again.gender);
		assert(tqk_id_check_char(id.id) == id.id[17]);
	}
	tqk_certnum cert;
	if (tqk_cert_parse(s, n, today.year, &cert) == TQK_OK) {
		tqk_certnum again;
		assert(tqk_cert_parse(cert.cert, TQK_CERT_LEN, today.year, &again) == TQK_OK);
		assert(strcmp(cert.cert, again.cert) == 0 && cert.year == again.year);
	}
	for (int width = 1; width <= TQK_ARCHIVE_WIDTH_MAX; width++) {
		tqk_archive a;
		char buf[TQK_ARCHIVE_BUFLEN];
		if (tqk_archive_parse(s, n, width, &a) == TQK_OK) {
			assert(tqk_archive_format(&a, width, buf) == TQK_OK);
			assert(strlen(buf) == n && memcmp(buf, s, n) == 0);
		}
	}
}

static void times(const char *s, size_t n)
{
	tqk_date d;
	if (tqk_date_parse(s, n, &d) == TQK_OK) {
		char buf[TQK_DATE_BUFLEN];
		tqk_date_format(d, buf);
		assert(n == 10 && memcmp(buf, s, 10) == 0);
		tqk_date back = tqk_day_to_date(tqk_date_to_day(d));
		assert(back.year == d.year && back.month == d.month && back.day == d.day);
	}
	tqk_time t;
	if (tqk_local_parse(s, n, &t) == TQK_OK) {
		char buf[TQK_MINUTE_BUFLEN];
		tqk_local_format(t, buf);
		assert(memcmp(buf, s, 16) == 0);
	}
	tqk_hours h;
	if (tqk_hours_parse(s, n, &h) == TQK_OK)
		assert(tqk_hours_check(&h) == TQK_OK);
	tqk_period p;
	if (tqk_period_parse(s, n, &p) == TQK_OK)
		assert(p.set && p.first <= p.last);
}

static void text(const char *s, size_t n)
{
	bool valid = tqk_utf8_valid(s, n);
	size_t pos = 0;
	bool all = true;
	while (pos < n) {
		size_t before = pos;
		if (tqk_utf8_next(s, n, &pos) < 0)
			all = false;
		assert(pos > before && pos <= n);
	}
	assert(all == valid);
	const char *t = s;
	size_t tn = n;
	tqk_text_trim(&t, &tn);
	assert(t >= s && t + tn <= s + n);
	assert(tqk_text_blank(s, n) == (tn == 0));
	size_t half = n / 2;
	assert(tqk_name_equal(s, half, s + half, n - half) ==
	       tqk_name_equal(s + half, n - half, s, half));
	assert(tqk_name_equal(s, n, s, n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	numbers(s, size);
	times(s, size);
	text(s, size);
	return 0;
}
