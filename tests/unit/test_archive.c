/*
 * test_archive.c - archive numbers (档案序号): county capitals (2-6) + year
 * (1993..9999) + site (01..99) + serial (1..10^width-1, width 1..6). Checks
 * each field's bounds and the order they are checked in, formatting with
 * zero padding, strict parsing with its documented errors, round trips for
 * many combinations, and an output left alone when parsing fails.
 */
#include "test.h"

#include "core/archive.h"

#include <stdio.h>

static tqk_archive arc(const char *county, int year, int site, unsigned serial)
{
	tqk_archive a;
	memset(&a, 0, sizeof a);
	size_t n = strlen(county);
	assert_true(n <= sizeof a.county);
	memcpy(a.county, county, n);     /* 7 letters fill it unterminated */
	a.year = year;
	a.site = site;
	a.serial = serial;
	return a;
}

static unsigned pow10u(int w)
{
	unsigned p = 1;
	while (w-- > 0)
		p *= 10;
	return p;
}

static void check_is(tqk_archive a, int width, tqk_err want)
{
	tqk_err got = tqk_archive_check(&a, width);
	if (got != want)
		fail_msg("check %.7s %d %d %u width %d: got %s, want %s", a.county, a.year,
		         a.site, a.serial, width, tqk_err_code(got), tqk_err_code(want));
	/* format agrees with check. */
	char buf[TQK_ARCHIVE_BUFLEN];
	got = tqk_archive_format(&a, width, buf);
	if (got != want)
		fail_msg("format %.7s %d %d %u width %d: got %s, want %s", a.county, a.year,
		         a.site, a.serial, width, tqk_err_code(got), tqk_err_code(want));
}

static void parse_is(const char *s, int width, tqk_err want)
{
	tqk_archive out;
	tqk_err got = tqk_archive_parse(s, strlen(s), width, &out);
	if (got != want)
		fail_msg("parse \"%s\" width %d: got %s, want %s", s, width,
		         tqk_err_code(got), tqk_err_code(want));
}

static void seed_example(void **state)
{
	(void)state;
	tqk_archive a = arc("CSX", 2024, 1, 7);
	char buf[TQK_ARCHIVE_BUFLEN];
	assert_int_equal(tqk_archive_format(&a, TQK_ARCHIVE_WIDTH_DEFAULT, buf), TQK_OK);
	assert_string_equal(buf, "CSX202401007");
	assert_int_equal(TQK_ARCHIVE_WIDTH_DEFAULT, 3);

	tqk_archive b;
	memset(&b, 0x77, sizeof b);
	assert_int_equal(tqk_archive_parse("CSX202401007", 12, 3, &b), TQK_OK);
	assert_string_equal(b.county, "CSX");
	assert_int_equal(b.year, 2024);
	assert_int_equal(b.site, 1);
	assert_int_equal(b.serial, 7);
	/* The county is terminated and padded with zeros. */
	for (size_t i = 3; i < sizeof b.county; i++)
		assert_int_equal(b.county[i], '\0');
}

static void width_from_1_to_6(void **state)
{
	(void)state;
	const char *want[] = {
		NULL, "CSX2024011", "CSX20240101", "CSX202401001", "CSX2024010001",
		"CSX20240100001", "CSX202401000001",
	};
	for (int w = 1; w <= TQK_ARCHIVE_WIDTH_MAX; w++) {
		tqk_archive a = arc("CSX", 2024, 1, 1);
		char buf[TQK_ARCHIVE_BUFLEN];
		assert_int_equal(tqk_archive_format(&a, w, buf), TQK_OK);
		assert_string_equal(buf, want[w]);
		assert_int_equal(strlen(buf), 3 + 4 + 2 + (size_t)w);
	}
	const int bad[] = {0, 7, -1, 100};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		check_is(arc("CSX", 2024, 1, 1), bad[i], TQK_E_ARCHIVE_WIDTH);
		parse_is("CSX2024011", bad[i], TQK_E_ARCHIVE_WIDTH);
		parse_is("CSX202401000001", bad[i], TQK_E_ARCHIVE_WIDTH);
		parse_is("CSX20240101234567", bad[i], TQK_E_ARCHIVE_WIDTH);
	}
	assert_int_equal(TQK_ARCHIVE_WIDTH_MAX, 6);
}

static void serial_fits_width(void **state)
{
	(void)state;
	for (int w = 1; w <= TQK_ARCHIVE_WIDTH_MAX; w++) {
		unsigned top = pow10u(w) - 1;
		check_is(arc("CSX", 2024, 1, 1), w, TQK_OK);
		check_is(arc("CSX", 2024, 1, top), w, TQK_OK);
		check_is(arc("CSX", 2024, 1, 0), w, TQK_E_ARCHIVE_SERIAL);
		check_is(arc("CSX", 2024, 1, top + 1), w, TQK_E_ARCHIVE_SERIAL);
		check_is(arc("CSX", 2024, 1, 4294967295u), w, TQK_E_ARCHIVE_SERIAL);

		/* The largest serial is all nines, exactly width digits. */
		tqk_archive a = arc("CSX", 2024, 1, top);
		char buf[TQK_ARCHIVE_BUFLEN], want[TQK_ARCHIVE_BUFLEN];
		assert_int_equal(tqk_archive_format(&a, w, buf), TQK_OK);
		memcpy(want, "CSX202401", 9);
		memset(want + 9, '9', (size_t)w);
		want[9 + w] = '\0';
		assert_string_equal(buf, want);

		/* Serial 0 parses to the serial error, not a format error. */
		memset(want + 9, '0', (size_t)w);
		parse_is(want, w, TQK_E_ARCHIVE_SERIAL);
	}
}

static void county_is_2_to_6_capitals(void **state)
{
	(void)state;
	check_is(arc("AB", 2024, 1, 7), 3, TQK_OK);
	check_is(arc("ABCDEF", 2024, 1, 7), 3, TQK_OK);
	check_is(arc("ZZZZ", 2024, 1, 7), 3, TQK_OK);
	check_is(arc("", 2024, 1, 7), 3, TQK_E_ARCHIVE_COUNTY);
	check_is(arc("A", 2024, 1, 7), 3, TQK_E_ARCHIVE_COUNTY);
	check_is(arc("ABCDEFG", 2024, 1, 7), 3, TQK_E_ARCHIVE_COUNTY);
	const char *bad[] = {"csx", "Csx", "CSx", "cSX", "CS1", "1CS", "C X", "C-X",
	                     "CS@", "CS[", "\xC3\x84X", "AB\tC"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		check_is(arc(bad[i], 2024, 1, 7), 3, TQK_E_ARCHIVE_COUNTY);

	/* The longest number fits the buffer exactly. */
	assert_int_equal(TQK_ARCHIVE_BUFLEN, 6 + 4 + 2 + 6 + 1);
	tqk_archive a = arc("ABCDEF", 9999, 99, 999999);
	char buf[TQK_ARCHIVE_BUFLEN];
	assert_int_equal(tqk_archive_format(&a, 6, buf), TQK_OK);
	assert_string_equal(buf, "ABCDEF999999999999");
}

static void site_from_1_to_99(void **state)
{
	(void)state;
	check_is(arc("CSX", 2024, 1, 7), 3, TQK_OK);
	check_is(arc("CSX", 2024, 99, 7), 3, TQK_OK);
	check_is(arc("CSX", 2024, 0, 7), 3, TQK_E_ARCHIVE_SITE);
	check_is(arc("CSX", 2024, 100, 7), 3, TQK_E_ARCHIVE_SITE);
	check_is(arc("CSX", 2024, -1, 7), 3, TQK_E_ARCHIVE_SITE);
	tqk_archive a = arc("CSX", 2024, 99, 7);
	char buf[TQK_ARCHIVE_BUFLEN];
	assert_int_equal(tqk_archive_format(&a, 3, buf), TQK_OK);
	assert_string_equal(buf, "CSX202499007");
	a.site = 10;
	assert_int_equal(tqk_archive_format(&a, 3, buf), TQK_OK);
	assert_string_equal(buf, "CSX202410007");
	parse_is("CSX202400007", 3, TQK_E_ARCHIVE_SITE);
}

static void year_from_1993_to_9999(void **state)
{
	(void)state;
	check_is(arc("CSX", 1993, 1, 7), 3, TQK_OK);
	check_is(arc("CSX", 9999, 1, 7), 3, TQK_OK);
	check_is(arc("CSX", 1992, 1, 7), 3, TQK_E_ARCHIVE_YEAR);
	check_is(arc("CSX", 10000, 1, 7), 3, TQK_E_ARCHIVE_YEAR);
	check_is(arc("CSX", 0, 1, 7), 3, TQK_E_ARCHIVE_YEAR);
	check_is(arc("CSX", -2024, 1, 7), 3, TQK_E_ARCHIVE_YEAR);
	parse_is("CSX199201007", 3, TQK_E_ARCHIVE_YEAR);
	parse_is("CSX000001007", 3, TQK_E_ARCHIVE_YEAR);
	tqk_archive out;
	assert_int_equal(tqk_archive_parse("CSX199301007", 12, 3, &out), TQK_OK);
	assert_int_equal(out.year, 1993);
	assert_int_equal(tqk_archive_parse("CSX999901007", 12, 3, &out), TQK_OK);
	assert_int_equal(out.year, 9999);
}

static void first_failing_field_wins(void **state)
{
	(void)state;
	/* Order: width, county, year, site, serial. */
	check_is(arc("c", 1, 0, 0), 0, TQK_E_ARCHIVE_WIDTH);
	check_is(arc("c", 1, 0, 0), 3, TQK_E_ARCHIVE_COUNTY);
	check_is(arc("CSX", 1, 0, 0), 3, TQK_E_ARCHIVE_YEAR);
	check_is(arc("CSX", 2024, 0, 0), 3, TQK_E_ARCHIVE_SITE);
	check_is(arc("CSX", 2024, 1, 0), 3, TQK_E_ARCHIVE_SERIAL);
	parse_is("CSX199200000", 3, TQK_E_ARCHIVE_YEAR);
	parse_is("CSX202400000", 3, TQK_E_ARCHIVE_SITE);
	parse_is("CSX199200000", 9, TQK_E_ARCHIVE_WIDTH);
}

static void parse_round_trips_format(void **state)
{
	(void)state;
	const char *counties[] = {"AB", "CSX", "HNCS", "ABCDE", "ZZZZZZ"};
	const int years[] = {1993, 2000, 2024, 2099, 9999};
	const int sites[] = {1, 2, 9, 10, 42, 99};
	int n = 0;
	for (int w = 1; w <= TQK_ARCHIVE_WIDTH_MAX; w++) {
		unsigned top = pow10u(w) - 1;
		const unsigned serials[] = {1, 7, top / 2 + 1, top - 1, top};
		for (size_t c = 0; c < sizeof counties / sizeof counties[0]; c++)
			for (size_t y = 0; y < sizeof years / sizeof years[0]; y++)
				for (size_t s = 0; s < sizeof sites / sizeof sites[0]; s++)
					for (size_t k = 0; k < sizeof serials / sizeof serials[0]; k++) {
						tqk_archive a = arc(counties[c], years[y], sites[s], serials[k]);
						char buf[TQK_ARCHIVE_BUFLEN];
						assert_int_equal(tqk_archive_format(&a, w, buf), TQK_OK);
						size_t len = strlen(buf);
						assert_int_equal(len, strlen(counties[c]) + 6 + (size_t)w);

						/* The fields, zero-padded, in order. */
						char want[64];
						snprintf(want, sizeof want, "%s%04d%02d%0*u", counties[c],
						         years[y], sites[s], w, serials[k]);
						assert_string_equal(buf, want);

						tqk_archive b;
						memset(&b, 0x33, sizeof b);
						tqk_err err = tqk_archive_parse(buf, len, w, &b);
						if (err != TQK_OK)
							fail_msg("\"%s\" width %d: %s", buf, w, tqk_err_code(err));
						assert_string_equal(b.county, counties[c]);
						assert_int_equal(b.year, years[y]);
						assert_int_equal(b.site, sites[s]);
						assert_int_equal(b.serial, serials[k]);

						char again[TQK_ARCHIVE_BUFLEN];
						assert_int_equal(tqk_archive_format(&b, w, again), TQK_OK);
						assert_string_equal(again, buf);

						/* Read with any other width it has the wrong length. */
						for (int other = 1; other <= TQK_ARCHIVE_WIDTH_MAX; other++)
							if (other != w) {
								tqk_archive o;
								assert_int_equal(tqk_archive_parse(buf, len, other, &o),
								                 TQK_E_ARCHIVE_FORMAT);
							}
						n++;
					}
	}
	assert_int_equal(n, 6 * 5 * 5 * 6 * 5);
}

static void parse_rejects_malformed(void **state)
{
	(void)state;
	const char *bad[] = {
		"",                     /* empty */
		"CSX",                  /* no digits */
		"202401007",            /* no county */
		"C202401007",           /* one letter */
		"ABCDEFG202401007",     /* seven letters */
		"ABCDEFGH20240100",     /* letters eat the length */
		"CSX20240100",          /* a digit short */
		"CSX2024010070",        /* a digit too many */
		"CSX24010007",          /* two-digit year, longer serial */
		"csx202401007",         /* lower case */
		"Csx202401007",
		"CSx202401007",
		"cSX202401007",
		"CSX2024O1007",         /* letter O for zero */
		"CSX20240100A",         /* letter after digits */
		"CS2X0240100",          /* digit inside the county */
		"CSX202401007A",
		"CSX202401007X",
		" CSX202401007",        /* spaces */
		"CSX202401007 ",
		"CSX 202401007",
		"CSX2024 01007",
		"CSX2024-1007",         /* signs */
		"CSX+02401007",
		"CSX20240100\xe7",        /* a byte above 0x7F */
		"\xEF\xBC\xA3SX202401007",   /* full-width C */
		"CSX２０２４01007",          /* full-width digits */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parse_is(bad[i], 3, TQK_E_ARCHIVE_FORMAT);
	/* The total length must match the width. */
	parse_is("CSX202401007", 1, TQK_E_ARCHIVE_FORMAT);
	parse_is("CSX202401007", 2, TQK_E_ARCHIVE_FORMAT);
	parse_is("CSX202401007", 4, TQK_E_ARCHIVE_FORMAT);
	parse_is("CSX202401007", 6, TQK_E_ARCHIVE_FORMAT);
	parse_is("CSX20240107", 2, TQK_OK);
	parse_is("CSX2024010007", 4, TQK_OK);
	/* A NUL inside the length is a bad character. */
	tqk_archive out;
	assert_int_equal(tqk_archive_parse("CSX2024\0001007", 12, 3, &out), TQK_E_ARCHIVE_FORMAT);
	/* Only len bytes are read. */
	assert_int_equal(tqk_archive_parse("CSX202401007XYZ", 12, 3, &out), TQK_OK);
	assert_int_equal(out.serial, 7);
	assert_int_equal(tqk_archive_parse("CSX2024010079", 12, 3, &out), TQK_OK);
	assert_int_equal(out.serial, 7);
	assert_int_equal(tqk_archive_parse("CSX202401007", 11, 3, &out), TQK_E_ARCHIVE_FORMAT);
}

static void parse_leaves_out_alone_on_failure(void **state)
{
	(void)state;
	const struct {
		const char *s;
		int width;
		tqk_err err;
	} bad[] = {
		{"CSX202401007", 0, TQK_E_ARCHIVE_WIDTH},
		{"CSX202401007", 7, TQK_E_ARCHIVE_WIDTH},
		{"csx202401007", 3, TQK_E_ARCHIVE_FORMAT},
		{"CSX20240100", 3, TQK_E_ARCHIVE_FORMAT},
		{"CSX199201007", 3, TQK_E_ARCHIVE_YEAR},
		{"CSX202400007", 3, TQK_E_ARCHIVE_SITE},
		{"CSX202401000", 3, TQK_E_ARCHIVE_SERIAL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_archive out, before;
		memset(&out, 0xC3, sizeof out);
		memcpy(&before, &out, sizeof out);
		assert_int_equal(tqk_archive_parse(bad[i].s, strlen(bad[i].s), bad[i].width, &out),
		                 bad[i].err);
		assert_memory_equal(&out, &before, sizeof out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_example),
		cmocka_unit_test(width_from_1_to_6),
		cmocka_unit_test(serial_fits_width),
		cmocka_unit_test(county_is_2_to_6_capitals),
		cmocka_unit_test(site_from_1_to_99),
		cmocka_unit_test(year_from_1993_to_9999),
		cmocka_unit_test(first_failing_field_wins),
		cmocka_unit_test(parse_round_trips_format),
		cmocka_unit_test(parse_rejects_malformed),
		cmocka_unit_test(parse_leaves_out_alone_on_failure),
	};
	return cmocka_run_group_tests_name("archive", tests, NULL, NULL);
}
