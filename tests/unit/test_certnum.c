/*
 * test_certnum.c - teacher-qualification certificate numbers: 17 digits
 * taken as they are, 15 digits given "19" in front, the issue year held to
 * 1993..current_year (both ends inclusive), the length, character and year
 * errors in that order, and an output left alone on failure.
 */
#include "test.h"

#include "core/certnum.h"

#define THIS_YEAR 2026

static tqk_err parse(const char *s, int current_year, tqk_certnum *out)
{
	return tqk_cert_parse(s, strlen(s), current_year, out);
}

static void expect_err(const char *s, size_t len, int current_year, tqk_err want)
{
	tqk_certnum out;
	tqk_err got = tqk_cert_parse(s, len, current_year, &out);
	if (got != want)
		fail_msg("\"%.*s\" (%zu bytes, year %d): got %s, want %s", (int)len, s, len,
		         current_year, tqk_err_code(got), tqk_err_code(want));
}

static void seventeen_digits_as_given(void **state)
{
	(void)state;
	tqk_certnum c;
	assert_int_equal(parse("20234300012345678", THIS_YEAR, &c), TQK_OK);
	assert_string_equal(c.cert, "20234300012345678");
	assert_int_equal(c.year, 2023);
	assert_false(c.converted);

	assert_int_equal(parse("19981100000000001", THIS_YEAR, &c), TQK_OK);
	assert_string_equal(c.cert, "19981100000000001");
	assert_int_equal(c.year, 1998);
	assert_false(c.converted);

	/* Only len bytes are read. */
	assert_int_equal(tqk_cert_parse("2010123456789012399", 17, THIS_YEAR, &c), TQK_OK);
	assert_string_equal(c.cert, "20101234567890123");
	assert_int_equal(c.year, 2010);
}

static void fifteen_digits_get_19_in_front(void **state)
{
	(void)state;
	tqk_certnum c;
	assert_int_equal(parse("981234567890123", THIS_YEAR, &c), TQK_OK);
	assert_string_equal(c.cert, "19981234567890123");
	assert_int_equal(c.year, 1998);
	assert_true(c.converted);

	assert_int_equal(parse("930000000000001", THIS_YEAR, &c), TQK_OK);
	assert_string_equal(c.cert, "19930000000000001");
	assert_int_equal(c.year, 1993);
	assert_true(c.converted);

	assert_int_equal(parse("999999999999999", THIS_YEAR, &c), TQK_OK);
	assert_string_equal(c.cert, "19999999999999999");
	assert_int_equal(c.year, 1999);

	/* The converted number equals the same certificate entered in full. */
	tqk_certnum full;
	assert_int_equal(parse("19981234567890123", THIS_YEAR, &full), TQK_OK);
	assert_int_equal(parse("981234567890123", THIS_YEAR, &c), TQK_OK);
	assert_string_equal(c.cert, full.cert);
	assert_int_equal(c.year, full.year);
	assert_true(c.converted != full.converted);

	/* A 15-digit number is always of the 1900s: "20..." means 1920. */
	assert_int_equal(parse("201234567890123", THIS_YEAR, &c), TQK_E_CERT_YEAR);
}

static void old_number_before_1993_rejected(void **state)
{
	(void)state;
	for (int yy = 0; yy <= 99; yy++) {
		char s[16];
		s[0] = (char)('0' + yy / 10);
		s[1] = (char)('0' + yy % 10);
		memcpy(s + 2, "4300000000001", 14);
		tqk_certnum c;
		tqk_err got = parse(s, THIS_YEAR, &c);
		tqk_err want = 1900 + yy >= 1993 ? TQK_OK : TQK_E_CERT_YEAR;
		if (got != want)
			fail_msg("%s: got %s, want %s", s, tqk_err_code(got), tqk_err_code(want));
		if (got == TQK_OK)
			assert_int_equal(c.year, 1900 + yy);
	}
	expect_err("920000000000001", 15, THIS_YEAR, TQK_E_CERT_YEAR);
	expect_err("000000000000000", 15, THIS_YEAR, TQK_E_CERT_YEAR);
	/* ... and after the current year, when that is in the 1990s. */
	expect_err("960000000000001", 15, 1995, TQK_E_CERT_YEAR);
	tqk_certnum c;
	assert_int_equal(parse("950000000000001", 1995, &c), TQK_OK);
}

static void year_within_1993_and_current_year(void **state)
{
	(void)state;
	for (int year = 1000; year <= 9999; year++) {
		char s[18];
		int y = year;
		for (int i = 3; i >= 0; i--, y /= 10)
			s[i] = (char)('0' + y % 10);
		memcpy(s + 4, "1100000000007", 14);
		tqk_certnum c;
		tqk_err got = parse(s, THIS_YEAR, &c);
		tqk_err want = year >= 1993 && year <= THIS_YEAR ? TQK_OK : TQK_E_CERT_YEAR;
		if (got != want)
			fail_msg("%s: got %s, want %s", s, tqk_err_code(got), tqk_err_code(want));
		if (got == TQK_OK)
			assert_int_equal(c.year, year);
	}
	expect_err("19921100000000007", 17, THIS_YEAR, TQK_E_CERT_YEAR);
	expect_err("20271100000000007", 17, THIS_YEAR, TQK_E_CERT_YEAR);
	expect_err("00001100000000007", 17, THIS_YEAR, TQK_E_CERT_YEAR);
	tqk_certnum c;
	assert_int_equal(parse("19931100000000007", THIS_YEAR, &c), TQK_OK);
	assert_int_equal(c.year, 1993);
	assert_int_equal(parse("20261100000000007", THIS_YEAR, &c), TQK_OK);
	assert_int_equal(c.year, 2026);
	/* The upper bound is the argument, not a constant or the clock. */
	assert_int_equal(parse("20271100000000007", 2027, &c), TQK_OK);
	expect_err("20281100000000007", 17, 2027, TQK_E_CERT_YEAR);
	expect_err("20261100000000007", 17, 2025, TQK_E_CERT_YEAR);
	assert_int_equal(parse("19931100000000007", 1993, &c), TQK_OK);
	expect_err("19941100000000007", 17, 1993, TQK_E_CERT_YEAR);
	/* The lower bound does not move with the argument. */
	expect_err("19921100000000007", 17, 2100, TQK_E_CERT_YEAR);
}

static void length_is_15_or_17(void **state)
{
	(void)state;
	const char *digits = "2023430001234567820234300012345678";
	for (size_t len = 0; len <= 34; len++) {
		tqk_certnum c;
		tqk_err got = tqk_cert_parse(digits, len, THIS_YEAR, &c);
		if (len == 15 || len == 17) {
			assert_int_not_equal(got, TQK_E_CERT_LENGTH);
		} else if (got != TQK_E_CERT_LENGTH) {
			fail_msg("%zu digits: got %s", len, tqk_err_code(got));
		}
	}
	expect_err("", 0, THIS_YEAR, TQK_E_CERT_LENGTH);
	expect_err("20234300012345", 14, THIS_YEAR, TQK_E_CERT_LENGTH);
	expect_err("2023430001234567", 16, THIS_YEAR, TQK_E_CERT_LENGTH);
	expect_err("202343000123456789", 18, THIS_YEAR, TQK_E_CERT_LENGTH);
	/* 18 digits are an ID number, not a certificate. */
	expect_err("360426199101010071", 18, THIS_YEAR, TQK_E_CERT_LENGTH);
	/* Length comes before characters and year. */
	expect_err("ABCDEFGHIJKLMNOP", 16, THIS_YEAR, TQK_E_CERT_LENGTH);
	expect_err("1900000000000000", 16, THIS_YEAR, TQK_E_CERT_LENGTH);
}

static void digits_only(void **state)
{
	(void)state;
	/* A non-digit in each place of 17 and of 15. */
	const char bad[] = {'A', 'x', 'X', ' ', '-', '.', '/', ':', '\0', '\t'};
	for (int i = 0; i < 17; i++)
		for (size_t k = 0; k < sizeof bad; k++) {
			char s[18];
			memcpy(s, "20234300012345678", 18);
			s[i] = bad[k];
			expect_err(s, 17, THIS_YEAR, TQK_E_CERT_CHARS);
			if (i < 15) {
				memcpy(s, "981234567890123", 16);
				s[i] = bad[k];
				expect_err(s, 15, THIS_YEAR, TQK_E_CERT_CHARS);
			}
		}
	/* Bytes above 0x7F, e.g. a full-width digit (3 bytes of UTF-8). */
	expect_err("20234300012345６", 17, THIS_YEAR, TQK_E_CERT_CHARS);
	expect_err("９８１２３", 15, THIS_YEAR, TQK_E_CERT_CHARS);
	expect_err("2023430001234567\xff", 17, THIS_YEAR, TQK_E_CERT_CHARS);
	/* Characters come before the year. */
	expect_err("1992430001234567A", 17, THIS_YEAR, TQK_E_CERT_CHARS);
	expect_err("19X3430001234567", 17, THIS_YEAR, TQK_E_CERT_CHARS);
	expect_err("92123456789012A", 15, THIS_YEAR, TQK_E_CERT_CHARS);
}

static void out_untouched_on_failure(void **state)
{
	(void)state;
	const struct {
		const char *s;
		tqk_err err;
	} bad[] = {
		{"", TQK_E_CERT_LENGTH},
		{"2023430001234567", TQK_E_CERT_LENGTH},
		{"2023430001234567A", TQK_E_CERT_CHARS},
		{"98123456789012A", TQK_E_CERT_CHARS},
		{"19921100000000007", TQK_E_CERT_YEAR},
		{"20271100000000007", TQK_E_CERT_YEAR},
		{"921234567890123", TQK_E_CERT_YEAR},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_certnum out, before;
		memset(&out, 0x5A, sizeof out);
		memcpy(&before, &out, sizeof out);
		assert_int_equal(parse(bad[i].s, THIS_YEAR, &out), bad[i].err);
		assert_memory_equal(&out, &before, sizeof out);
	}
	/* A success writes a terminated number over whatever was there. */
	tqk_certnum out;
	memset(&out, 0x5A, sizeof out);
	assert_int_equal(parse("981234567890123", THIS_YEAR, &out), TQK_OK);
	assert_int_equal(out.cert[TQK_CERT_LEN], '\0');
	assert_int_equal(strlen(out.cert), TQK_CERT_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seventeen_digits_as_given),
		cmocka_unit_test(fifteen_digits_get_19_in_front),
		cmocka_unit_test(old_number_before_1993_rejected),
		cmocka_unit_test(year_within_1993_and_current_year),
		cmocka_unit_test(length_is_15_or_17),
		cmocka_unit_test(digits_only),
		cmocka_unit_test(out_untouched_on_failure),
	};
	return cmocka_run_group_tests_name("certnum", tests, NULL, NULL);
}
