/*
 * test_idnum.c - resident ID numbers (GB 11643): the public vectors of
 * DESIGN.md, each error code and the order the checks run in (length,
 * characters, province, birth date, check character), 15-to-18 conversion,
 * the MOD 11-2 check character against its weights, normalisation, the
 * derived gender, birth and region, and the province and gender names.
 */
#include "test.h"

#include "core/idnum.h"
#include "core/region.h"

#include <stdio.h>

#define TODAY DATE(2026, 11, 27)

/* ISO 7064 MOD 11-2 written out independently of the code under test:
 * weight of digit i (0-based) is 2^(17-i) mod 11. */
static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_map[11] = "10X98765432";

static char ref_check(const char *digits17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (digits17[i] - '0') * weights[i];
	return check_map[sum % 11];
}

/* out = the 17 digits of first17 plus their correct check character. */
static void make_id(char out[TQK_ID_LEN + 1], const char *first17)
{
	assert_int_equal(strlen(first17), 17);
	memcpy(out, first17, 17);
	out[17] = ref_check(first17);
	out[18] = '\0';
}

static tqk_err parse(const char *s, tqk_date today, tqk_idnum *out)
{
	return tqk_id_parse(s, strlen(s), today, out);
}

static void expect_err(const char *s, size_t len, tqk_date today, tqk_err want)
{
	tqk_idnum out;
	tqk_err got = tqk_id_parse(s, len, today, &out);
	if (got != want)
		fail_msg("\"%.*s\" (%zu bytes): got %s, want %s", (int)len, s, len,
		         tqk_err_code(got), tqk_err_code(want));
}

static void design_vectors_valid(void **state)
{
	(void)state;
	tqk_idnum id;

	assert_int_equal(parse("360426199101010071", TODAY, &id), TQK_OK);
	assert_string_equal(id.id, "360426199101010071");
	assert_string_equal(id.region, "360426");
	assert_int_equal(id.province, 36);
	assert_int_equal(id.birth.year, 1991);
	assert_int_equal(id.birth.month, 1);
	assert_int_equal(id.birth.day, 1);
	assert_int_equal(id.gender, TQK_GENDER_MALE);      /* 17th digit 7 */
	assert_false(id.converted);

	assert_int_equal(parse("44011320141005001X", TODAY, &id), TQK_OK);
	assert_string_equal(id.id, "44011320141005001X");
	assert_string_equal(id.region, "440113");
	assert_int_equal(id.province, 44);
	assert_int_equal(id.birth.year, 2014);
	assert_int_equal(id.birth.month, 10);
	assert_int_equal(id.birth.day, 5);
	assert_int_equal(id.gender, TQK_GENDER_MALE);      /* 17th digit 1 */
	assert_false(id.converted);

	assert_int_equal(parse("11010519491231002X", TODAY, &id), TQK_OK);
	assert_string_equal(id.id, "11010519491231002X");
	assert_string_equal(id.region, "110105");
	assert_int_equal(id.province, 11);
	assert_int_equal(id.birth.year, 1949);
	assert_int_equal(id.birth.month, 12);
	assert_int_equal(id.birth.day, 31);
	assert_int_equal(id.gender, TQK_GENDER_FEMALE);    /* 17th digit 2 */
	assert_false(id.converted);
}

static void design_vectors_invalid(void **state)
{
	(void)state;
	tqk_idnum id;
	/* 1991-01-02 exists; its check character is 3, not X. */
	assert_int_equal(parse("36042619910102009X", TODAY, &id), TQK_E_ID_CHECKSUM);
	/* Month 13, with the check character right for its 17 digits. */
	assert_int_equal(ref_check("360426199113010079"), '9');
	assert_int_equal(parse("360426199113010079", TODAY, &id), TQK_E_ID_DATE);
}

static void old_numbers_convert_to_18(void **state)
{
	(void)state;
	tqk_idnum id;

	assert_int_equal(parse("350303900203307", TODAY, &id), TQK_OK);
	assert_string_equal(id.id, "350303199002033073");
	assert_string_equal(id.region, "350303");
	assert_int_equal(id.province, 35);
	assert_int_equal(id.birth.year, 1990);
	assert_int_equal(id.birth.month, 2);
	assert_int_equal(id.birth.day, 3);
	assert_int_equal(id.gender, TQK_GENDER_MALE);
	assert_true(id.converted);

	assert_int_equal(parse("330502880702447", TODAY, &id), TQK_OK);
	assert_string_equal(id.id, "33050219880702447X");
	assert_string_equal(id.region, "330502");
	assert_int_equal(id.province, 33);
	assert_int_equal(id.birth.year, 1988);
	assert_int_equal(id.birth.month, 7);
	assert_int_equal(id.birth.day, 2);
	assert_true(id.converted);

	/* The last digit of an old number is the sequence's last: even, a woman. */
	char want[TQK_ID_LEN + 1];
	make_id(want, "11010519490101002");
	assert_int_equal(parse("110105490101002", TODAY, &id), TQK_OK);
	assert_string_equal(id.id, want);
	assert_int_equal(id.gender, TQK_GENDER_FEMALE);
	assert_int_equal(id.birth.year, 1949);
	assert_true(id.converted);

	/* The converted number is itself a valid 18-character number that is not
	 * marked converted. */
	tqk_idnum again;
	assert_int_equal(parse(want, TODAY, &again), TQK_OK);
	assert_string_equal(again.id, want);
	assert_false(again.converted);
}

static void length_is_15_or_18(void **state)
{
	(void)state;
	const char *digits = "36042619910101007136042619910101";
	for (size_t len = 0; len <= 32; len++) {
		tqk_idnum id;
		tqk_err got = tqk_id_parse(digits, len, TODAY, &id);
		if (len == 15 || len == 18)
			assert_int_not_equal(got, TQK_E_ID_LENGTH);
		else if (got != TQK_E_ID_LENGTH)
			fail_msg("%zu digits: got %s", len, tqk_err_code(got));
	}
	expect_err("", 0, TODAY, TQK_E_ID_LENGTH);
	expect_err("36042619910101007", 17, TODAY, TQK_E_ID_LENGTH);
	expect_err("3604261991010100711", 19, TODAY, TQK_E_ID_LENGTH);
	expect_err("35030390020330", 14, TODAY, TQK_E_ID_LENGTH);
	expect_err("3503039002033070", 16, TODAY, TQK_E_ID_LENGTH);
	/* Length is in bytes: 18 full-width digits are 54 bytes. */
	expect_err("３６０４２６１９９１０１０１００７１", 54, TODAY, TQK_E_ID_LENGTH);
	/* Length comes first: wrong length and wrong characters. */
	expect_err("ABCDEFGHIJKLMNOPQ", 17, TODAY, TQK_E_ID_LENGTH);
	/* Only len bytes are read. */
	tqk_idnum id;
	assert_int_equal(tqk_id_parse("360426199101010071junk", 18, TODAY, &id), TQK_OK);
	assert_string_equal(id.id, "360426199101010071");
}

static void chars_are_digits_and_final_x(void **state)
{
	(void)state;
	char s[TQK_ID_LEN + 1];
	/* A letter, or an X, anywhere but the last of 18 places. */
	for (int i = 0; i < 17; i++) {
		const char bad[] = {'X', 'x', 'A', ' ', '-', '\0', '/', ':'};
		for (size_t k = 0; k < sizeof bad; k++) {
			memcpy(s, "360426199101010071", 19);
			s[i] = bad[k];
			expect_err(s, 18, TODAY, TQK_E_ID_CHARS);
		}
	}
	/* The check place takes digits and X/x only. */
	const char *last = "AYZ* -\t";
	for (const char *c = last; *c; c++) {
		memcpy(s, "360426199101010071", 19);
		s[17] = *c;
		expect_err(s, 18, TODAY, TQK_E_ID_CHARS);
	}
	/* No X at all in an old number, not even last. */
	expect_err("35030390020330X", 15, TODAY, TQK_E_ID_CHARS);
	expect_err("35030390020330x", 15, TODAY, TQK_E_ID_CHARS);
	expect_err("3503039002033X7", 15, TODAY, TQK_E_ID_CHARS);
	/* Spaces are not trimmed here. */
	expect_err(" 36042619910101007", 18, TODAY, TQK_E_ID_CHARS);
	expect_err("36042619910101007 ", 18, TODAY, TQK_E_ID_CHARS);
	expect_err("360426 9910101007", 18, TODAY, TQK_E_ID_CHARS);
	expect_err("35030390020330 ", 15, TODAY, TQK_E_ID_CHARS);
	/* Full-width digits (UTF-8, 3 bytes each) at a right byte length. */
	expect_err("３５０３０", 15, TODAY, TQK_E_ID_CHARS);
	expect_err("３６０４２６", 18, TODAY, TQK_E_ID_CHARS);
	expect_err("360426199101010０", 18, TODAY, TQK_E_ID_CHARS);
	expect_err("350303900203３", 15, TODAY, TQK_E_ID_CHARS);
	/* Characters come before region, date and checksum. */
	expect_err("00042619911301007A", 18, TODAY, TQK_E_ID_CHARS);
	expect_err("00030390130330X", 15, TODAY, TQK_E_ID_CHARS);
}

/* Province-level codes per GB/T 2260, written out independently. */
static bool ref_province(int code)
{
	static const int known[] = {
		11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
		41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
		71, 81, 82, 83,
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (known[i] == code)
			return true;
	return false;
}

static void region_is_a_known_province(void **state)
{
	(void)state;
	int nknown = 0;
	for (int code = 0; code <= 99; code++) {
		char first17[18], s[TQK_ID_LEN + 1];
		snprintf(first17, sizeof first17, "%02d042619910101007", code);
		make_id(s, first17);
		tqk_idnum id;
		tqk_err got = parse(s, TODAY, &id);
		tqk_err want = ref_province(code) ? TQK_OK : TQK_E_ID_REGION;
		if (got != want)
			fail_msg("province %02d: got %s, want %s", code, tqk_err_code(got),
			         tqk_err_code(want));
		if (tqk_province_known(code) != ref_province(code))
			fail_msg("tqk_province_known(%d) is wrong", code);
		nknown += ref_province(code);

		/* The same for an old number. */
		char old[16];
		snprintf(old, sizeof old, "%02d0303900203307", code);
		got = parse(old, TODAY, &id);
		if (got != want)
			fail_msg("old province %02d: got %s", code, tqk_err_code(got));
	}
	assert_int_equal(nknown, 35);

	const char *unknown[] = {"00", "10", "20", "99", "16", "24", "30", "38", "40",
	                         "47", "49", "55", "60", "66", "70", "72", "80", "84", "90", "91"};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		char first17[18], s[TQK_ID_LEN + 1];
		memcpy(first17, unknown[i], 2);
		memcpy(first17 + 2, "042619910101007", 16);
		make_id(s, first17);
		expect_err(s, 18, TODAY, TQK_E_ID_REGION);
	}
	const char *known[] = {"81", "82", "83", "71", "11", "65", "43"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		char first17[18], s[TQK_ID_LEN + 1];
		memcpy(first17, known[i], 2);
		memcpy(first17 + 2, "000019910101007", 16);
		make_id(s, first17);
		tqk_idnum id;
		assert_int_equal(parse(s, TODAY, &id), TQK_OK);
		assert_memory_equal(id.region, known[i], 2);
		assert_string_equal(id.region + 2, "0000");
	}
	/* Region comes before the date and the checksum. */
	expect_err("000426199113010079", 18, TODAY, TQK_E_ID_REGION);
	expect_err("000426199101010070", 18, TODAY, TQK_E_ID_REGION);
	expect_err("000426901301307", 15, TODAY, TQK_E_ID_REGION);
	/* Only the first two digits matter. */
	char s[TQK_ID_LEN + 1];
	make_id(s, "43999919910101007");
	tqk_idnum id;
	assert_int_equal(parse(s, TODAY, &id), TQK_OK);
	assert_string_equal(id.region, "439999");
}

/* Parses 110105 + birth + sequence 003 + the right check character. */
static tqk_err parse_birth(const char *yyyymmdd, tqk_date today, tqk_idnum *out)
{
	char first17[18], s[TQK_ID_LEN + 1];
	memcpy(first17, "110105", 6);
	memcpy(first17 + 6, yyyymmdd, 8);
	memcpy(first17 + 14, "003", 4);
	make_id(s, first17);
	return parse(s, today, out);
}

static void expect_birth(const char *yyyymmdd, tqk_date today, tqk_err want)
{
	tqk_idnum id;
	tqk_err got = parse_birth(yyyymmdd, today, &id);
	if (got != want)
		fail_msg("birth %s (today %04d-%02d-%02d): got %s, want %s", yyyymmdd,
		         today.year, today.month, today.day, tqk_err_code(got), tqk_err_code(want));
	if (got == TQK_OK) {
		int v = 0;
		for (int i = 0; i < 8; i++)
			v = v * 10 + (yyyymmdd[i] - '0');
		assert_int_equal(id.birth.year, v / 10000);
		assert_int_equal(id.birth.month, v / 100 % 100);
		assert_int_equal(id.birth.day, v % 100);
	}
}

static void birth_date_exists_and_is_not_future(void **state)
{
	(void)state;
	/* Feb 29 only in leap years (every 4th, not 100th, but 400th). */
	expect_birth("20000229", TODAY, TQK_OK);
	expect_birth("19960229", TODAY, TQK_OK);
	expect_birth("20240229", TODAY, TQK_OK);
	expect_birth("19000229", TODAY, TQK_E_ID_DATE);
	expect_birth("20230229", TODAY, TQK_E_ID_DATE);
	expect_birth("19990229", TODAY, TQK_E_ID_DATE);
	expect_birth("20000230", TODAY, TQK_E_ID_DATE);
	/* Months and days in range. */
	expect_birth("19911301", TODAY, TQK_E_ID_DATE);
	expect_birth("19910001", TODAY, TQK_E_ID_DATE);
	expect_birth("19910100", TODAY, TQK_E_ID_DATE);
	expect_birth("19910132", TODAY, TQK_E_ID_DATE);
	expect_birth("19910431", TODAY, TQK_E_ID_DATE);
	expect_birth("19919901", TODAY, TQK_E_ID_DATE);
	expect_birth("19910131", TODAY, TQK_OK);
	expect_birth("19911231", TODAY, TQK_OK);
	expect_birth("19910430", TODAY, TQK_OK);
	/* Not before 1900. */
	expect_birth("18991231", TODAY, TQK_E_ID_DATE);
	expect_birth("00000101", TODAY, TQK_E_ID_DATE);
	expect_birth("10000101", TODAY, TQK_E_ID_DATE);
	expect_birth("19000101", TODAY, TQK_OK);
	/* Not after the today given: today itself is fine, tomorrow is not. */
	expect_birth("20261127", TODAY, TQK_OK);
	expect_birth("20261128", TODAY, TQK_E_ID_DATE);
	expect_birth("20261201", TODAY, TQK_E_ID_DATE);
	expect_birth("20270101", DATE(2026, 12, 31), TQK_E_ID_DATE);
	expect_birth("20261231", DATE(2026, 12, 31), TQK_OK);
	expect_birth("20240301", DATE(2024, 2, 29), TQK_E_ID_DATE);
	expect_birth("20240229", DATE(2024, 2, 29), TQK_OK);
	expect_birth("99991231", TODAY, TQK_E_ID_DATE);
	/* today is the argument, not the machine's clock. */
	expect_birth("19910101", DATE(1990, 12, 31), TQK_E_ID_DATE);
	expect_birth("19910101", DATE(1991, 1, 1), TQK_OK);
	expect_birth("20300615", DATE(2030, 6, 15), TQK_OK);

	/* Old numbers: the 1900s, the same rules. */
	tqk_idnum id;
	assert_int_equal(parse("110105960229003", TODAY, &id), TQK_OK);
	assert_int_equal(id.birth.year, 1996);
	expect_err("110105000229003", 15, TODAY, TQK_E_ID_DATE);    /* 1900 not leap */
	expect_err("110105970229003", 15, TODAY, TQK_E_ID_DATE);
	expect_err("110105911301003", 15, TODAY, TQK_E_ID_DATE);
	expect_err("110105910100003", 15, TODAY, TQK_E_ID_DATE);
	expect_err("110105900204003", 15, DATE(1990, 2, 3), TQK_E_ID_DATE);
	assert_int_equal(tqk_id_parse("110105900203003", 15, DATE(1990, 2, 3), &id), TQK_OK);
	/* Date comes before the checksum: a bad date with every check character. */
	const char *checks = "0123456789X";
	for (const char *c = checks; *c; c++) {
		char s[TQK_ID_LEN + 1];
		memcpy(s, "110105199102300030", 19);
		s[17] = *c;
		expect_err(s, 18, TODAY, TQK_E_ID_DATE);
	}
}

static void checksum_rejects_every_wrong_character(void **state)
{
	(void)state;
	const char *valid[] = {
		"360426199101010071", "44011320141005001X", "11010519491231002X",
		"350303199002033073", "33050219880702447X",
	};
	const char *checks = "0123456789Xx";
	for (size_t v = 0; v < sizeof valid / sizeof valid[0]; v++) {
		int ok = 0;
		for (const char *c = checks; *c; c++) {
			char s[TQK_ID_LEN + 1];
			memcpy(s, valid[v], 19);
			s[17] = *c;
			tqk_idnum id;
			tqk_err got = parse(s, TODAY, &id);
			bool right = *c == valid[v][17] || (*c == 'x' && valid[v][17] == 'X');
			if (right) {
				if (got != TQK_OK)
					fail_msg("%s: got %s", s, tqk_err_code(got));
				ok++;
			} else if (got != TQK_E_ID_CHECKSUM) {
				fail_msg("%s: got %s, want checksum", s, tqk_err_code(got));
			}
		}
		assert_int_equal(ok, valid[v][17] == 'X' ? 2 : 1);
	}

	/* Many computed numbers: exactly one check character fits each. */
	uint32_t seed = 12345;
	for (int n = 0; n < 2000; n++) {
		char first17[18];
		memcpy(first17, "4301021985", 10);
		for (int i = 10; i < 17; i++) {
			seed = seed * 1103515245u + 12345u;
			first17[i] = (char)('0' + (seed >> 16) % 10);
		}
		/* a valid month and day */
		first17[10] = '0';
		first17[11] = (char)('1' + (seed >> 8) % 9);
		first17[12] = '1';
		first17[17] = '\0';
		char s[TQK_ID_LEN + 1];
		memcpy(s, first17, 17);
		s[18] = '\0';
		int ok = 0;
		for (const char *c = "0123456789X"; *c; c++) {
			s[17] = *c;
			tqk_idnum id;
			tqk_err got = parse(s, TODAY, &id);
			if (got == TQK_OK) {
				ok++;
				assert_int_equal(*c, ref_check(first17));
			} else if (got != TQK_E_ID_CHECKSUM) {
				fail_msg("%s: got %s", s, tqk_err_code(got));
			}
		}
		assert_int_equal(ok, 1);
	}
}

static void lowercase_x_is_accepted_and_upper_cased(void **state)
{
	(void)state;
	tqk_idnum id;
	assert_int_equal(parse("44011320141005001x", TODAY, &id), TQK_OK);
	assert_string_equal(id.id, "44011320141005001X");
	assert_int_equal(parse("11010519491231002x", TODAY, &id), TQK_OK);
	assert_string_equal(id.id, "11010519491231002X");
	/* x where the check is a digit is a wrong check, not a wrong character. */
	expect_err("36042619910101007x", 18, TODAY, TQK_E_ID_CHECKSUM);
}

static void gender_from_17th_digit(void **state)
{
	(void)state;
	for (int d = 0; d <= 9; d++) {
		char first17[18], s[TQK_ID_LEN + 1];
		snprintf(first17, sizeof first17, "4301021985061500%d", d);
		make_id(s, first17);
		tqk_idnum id;
		assert_int_equal(parse(s, TODAY, &id), TQK_OK);
		assert_int_equal(id.gender, d % 2 ? TQK_GENDER_MALE : TQK_GENDER_FEMALE);

		/* The other sequence digits do not count. */
		snprintf(first17, sizeof first17, "430102198506159%d%d", 9 - d, d);
		make_id(s, first17);
		assert_int_equal(parse(s, TODAY, &id), TQK_OK);
		assert_int_equal(id.gender, d % 2 ? TQK_GENDER_MALE : TQK_GENDER_FEMALE);

		/* An old number: its last (15th) digit. */
		char old[16];
		snprintf(old, sizeof old, "4301028506159%d%d", 9 - d, d);
		assert_int_equal(parse(old, TODAY, &id), TQK_OK);
		assert_int_equal(id.gender, d % 2 ? TQK_GENDER_MALE : TQK_GENDER_FEMALE);
		assert_true(id.converted);
	}
}

static void out_untouched_on_failure(void **state)
{
	(void)state;
	const struct {
		const char *s;
		tqk_date today;
		tqk_err err;
	} bad[] = {
		{"", TODAY, TQK_E_ID_LENGTH},
		{"3604261991010100", TODAY, TQK_E_ID_LENGTH},
		{"36042619910101007Y", TODAY, TQK_E_ID_CHARS},
		{"000426199101010071", TODAY, TQK_E_ID_REGION},
		{"360426199113010079", TODAY, TQK_E_ID_DATE},
		{"110105900203003", DATE(1990, 2, 2), TQK_E_ID_DATE},
		{"36042619910102009X", TODAY, TQK_E_ID_CHECKSUM},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_idnum out, before;
		memset(&out, 0xA5, sizeof out);
		memcpy(&before, &out, sizeof out);
		assert_int_equal(parse(bad[i].s, bad[i].today, &out), bad[i].err);
		assert_memory_equal(&out, &before, sizeof out);
	}
	/* And a success overwrites every field. */
	tqk_idnum out;
	memset(&out, 0xA5, sizeof out);
	assert_int_equal(parse("11010519491231002X", TODAY, &out), TQK_OK);
	assert_int_equal(out.id[TQK_ID_LEN], '\0');
	assert_int_equal(out.region[6], '\0');
	assert_int_equal(out.converted, false);
}

static void check_char_follows_the_weights(void **state)
{
	(void)state;
	/* All zeros: sum 0 maps to 1. */
	assert_int_equal(tqk_id_check_char("00000000000000000"), '1');
	/* One 1 at place i: the sum is that place's weight alone. */
	for (int i = 0; i < 17; i++) {
		char d[18];
		memset(d, '0', 17);
		d[17] = '\0';
		d[i] = '1';
		char got = tqk_id_check_char(d);
		if (got != check_map[weights[i]])
			fail_msg("digit 1 at %d: got %c, want %c (weight %d)", i, got,
			         check_map[weights[i]], weights[i]);
		/* A 2 there doubles the weight. */
		d[i] = '2';
		assert_int_equal(tqk_id_check_char(d), check_map[(2 * weights[i]) % 11]);
	}
	/* Every remainder 0..10 maps as documented: 1 0 X 9 8 7 6 5 4 3 2.
	 * Weight of place 7 (0-based) is 1, so digit k there (rest 0) gives k;
	 * place 16 has weight 2: 5 there gives 10. */
	const char want[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
	for (int k = 0; k <= 9; k++) {
		char d[18] = "00000000000000000";
		d[7] = (char)('0' + k);
		assert_int_equal(tqk_id_check_char(d), want[k]);
	}
	assert_int_equal(tqk_id_check_char("00000000000000005"), want[10]);
	/* The public vectors. */
	assert_int_equal(tqk_id_check_char("36042619910101007"), '1');
	assert_int_equal(tqk_id_check_char("44011320141005001"), 'X');
	assert_int_equal(tqk_id_check_char("11010519491231002"), 'X');
	assert_int_equal(tqk_id_check_char("36042619910102009"), '3');
	assert_int_equal(tqk_id_check_char("35030319900203307"), '3');
	assert_int_equal(tqk_id_check_char("33050219880702447"), 'X');
	/* Pseudo-random digits against the reference. */
	uint32_t seed = 7;
	for (int n = 0; n < 5000; n++) {
		char d[18];
		for (int i = 0; i < 17; i++) {
			seed = seed * 1664525u + 1013904223u;
			d[i] = (char)('0' + (seed >> 24) % 10);
		}
		d[17] = '\0';
		if (tqk_id_check_char(d) != ref_check(d))
			fail_msg("%s: got %c, want %c", d, tqk_id_check_char(d), ref_check(d));
	}
	/* Only 17 digits are read. */
	assert_int_equal(tqk_id_check_char("36042619910101007999"), '1');
}

static void normalize_checks_only_length_and_chars(void **state)
{
	(void)state;
	char out[TQK_ID_LEN + 1];
	assert_int_equal(tqk_id_normalize("360426199101010071", 18, out), TQK_OK);
	assert_string_equal(out, "360426199101010071");
	assert_int_equal(tqk_id_normalize("44011320141005001x", 18, out), TQK_OK);
	assert_string_equal(out, "44011320141005001X");
	assert_int_equal(tqk_id_normalize("350303900203307", 15, out), TQK_OK);
	assert_string_equal(out, "350303199002033073");
	assert_int_equal(tqk_id_normalize("330502880702447", 15, out), TQK_OK);
	assert_string_equal(out, "33050219880702447X");
	/* A card and a certificate written differently compare equal. */
	char a[TQK_ID_LEN + 1], b[TQK_ID_LEN + 1];
	assert_int_equal(tqk_id_normalize("33050219880702447x", 18, a), TQK_OK);
	assert_int_equal(tqk_id_normalize("330502880702447", 15, b), TQK_OK);
	assert_string_equal(a, b);

	/* No region, date or checksum check. */
	assert_int_equal(tqk_id_normalize("36042619910102009X", 18, out), TQK_OK);
	assert_string_equal(out, "36042619910102009X");
	assert_int_equal(tqk_id_normalize("000000999913990000", 18, out), TQK_OK);
	assert_string_equal(out, "000000999913990000");
	assert_int_equal(tqk_id_normalize("000000991399000", 15, out), TQK_OK);
	char want[TQK_ID_LEN + 1];
	make_id(want, "00000019991399000");
	assert_string_equal(out, want);
	/* Only len bytes are read. */
	assert_int_equal(tqk_id_normalize("350303900203307999", 15, out), TQK_OK);
	assert_string_equal(out, "350303199002033073");

	/* Length and characters as in tqk_id_parse. */
	size_t lens[] = {0, 1, 14, 16, 17, 19};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
		assert_int_equal(tqk_id_normalize("36042619910101007100", lens[i], out),
		                 TQK_E_ID_LENGTH);
	assert_int_equal(tqk_id_normalize("36042619910101007A", 18, out), TQK_E_ID_CHARS);
	assert_int_equal(tqk_id_normalize("3604261991010100X1", 18, out), TQK_E_ID_CHARS);
	assert_int_equal(tqk_id_normalize("35030390020330X", 15, out), TQK_E_ID_CHARS);
	assert_int_equal(tqk_id_normalize(" 35030390020330", 15, out), TQK_E_ID_CHARS);
	assert_int_equal(tqk_id_normalize("３６０４２６", 18, out), TQK_E_ID_CHARS);
}

static void province_names(void **state)
{
	(void)state;
	assert_string_equal(tqk_province_name(43, TQK_LANG_ZH), "湖南省");
	assert_string_equal(tqk_province_name(43, TQK_LANG_EN), "Hunan");
	assert_string_equal(tqk_province_name(11, TQK_LANG_ZH), "北京市");
	assert_string_equal(tqk_province_name(11, TQK_LANG_EN), "Beijing");
	assert_string_equal(tqk_province_name(36, TQK_LANG_EN), "Jiangxi");
	assert_string_equal(tqk_province_name(61, TQK_LANG_EN), "Shaanxi");
	assert_string_equal(tqk_province_name(14, TQK_LANG_EN), "Shanxi");
	assert_string_equal(tqk_province_name(81, TQK_LANG_EN), "Hong Kong");
	assert_string_equal(tqk_province_name(82, TQK_LANG_EN), "Macau");
	assert_string_equal(tqk_province_name(71, TQK_LANG_ZH), "台湾省");
	assert_non_null(tqk_province_name(83, TQK_LANG_ZH));
	assert_non_null(tqk_province_name(83, TQK_LANG_EN));
	/* Every known code has a distinct name in each language. */
	for (int code = 0; code <= 100; code++)
		for (int lang = 0; lang < TQK_LANG_COUNT; lang++) {
			const char *name = tqk_province_name(code, (tqk_lang)lang);
			if (!ref_province(code)) {
				if (name != NULL)
					fail_msg("unknown code %d has a name \"%s\"", code, name);
				continue;
			}
			assert_non_null(name);
			assert_true(strlen(name) > 0);
			for (int other = 0; other < code; other++) {
				const char *o = tqk_province_name(other, (tqk_lang)lang);
				if (o != NULL && strcmp(o, name) == 0)
					fail_msg("codes %d and %d share the name \"%s\"", other, code, name);
			}
		}
	assert_null(tqk_province_name(-1, TQK_LANG_ZH));
	assert_null(tqk_province_name(1100, TQK_LANG_EN));
	assert_false(tqk_province_known(-11));
	assert_false(tqk_province_known(110));
}

static void gender_names_and_codes(void **state)
{
	(void)state;
	assert_string_equal(tqk_gender_name(TQK_GENDER_MALE, TQK_LANG_ZH), "男");
	assert_string_equal(tqk_gender_name(TQK_GENDER_FEMALE, TQK_LANG_ZH), "女");
	assert_string_equal(tqk_gender_name(TQK_GENDER_MALE, TQK_LANG_EN), "male");
	assert_string_equal(tqk_gender_name(TQK_GENDER_FEMALE, TQK_LANG_EN), "female");
	assert_string_not_equal(tqk_gender_name(TQK_GENDER_UNKNOWN, TQK_LANG_ZH), "男");
	assert_string_not_equal(tqk_gender_name(TQK_GENDER_UNKNOWN, TQK_LANG_ZH), "女");
	assert_string_equal(tqk_gender_name(TQK_GENDER_UNKNOWN, TQK_LANG_EN), "unknown");
	assert_string_equal(tqk_gender_code(TQK_GENDER_MALE), "male");
	assert_string_equal(tqk_gender_code(TQK_GENDER_FEMALE), "female");
	assert_string_equal(tqk_gender_code(TQK_GENDER_UNKNOWN), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(design_vectors_valid),
		cmocka_unit_test(design_vectors_invalid),
		cmocka_unit_test(old_numbers_convert_to_18),
		cmocka_unit_test(length_is_15_or_18),
		cmocka_unit_test(chars_are_digits_and_final_x),
		cmocka_unit_test(region_is_a_known_province),
		cmocka_unit_test(birth_date_exists_and_is_not_future),
		cmocka_unit_test(checksum_rejects_every_wrong_character),
		cmocka_unit_test(lowercase_x_is_accepted_and_upper_cased),
		cmocka_unit_test(gender_from_17th_digit),
		cmocka_unit_test(out_untouched_on_failure),
		cmocka_unit_test(check_char_follows_the_weights),
		cmocka_unit_test(normalize_checks_only_length_and_chars),
		cmocka_unit_test(province_names),
		cmocka_unit_test(gender_names_and_codes),
	};
	return cmocka_run_group_tests_name("idnum", tests, NULL, NULL);
}
