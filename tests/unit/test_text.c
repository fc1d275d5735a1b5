/*
 * test_text.c - UTF-8 helpers: well-formedness (no overlongs, surrogates,
 * code points above U+10FFFF, truncated sequences or stray continuation
 * bytes) checked against the Unicode table of well-formed sequences, the
 * decoder's return values and advances, trimming and blankness with ASCII
 * spaces and U+3000, and the comparison of personal names that ignores outer
 * spaces and takes the middle-dot variants as one.
 */
#include "test.h"

#include "core/text.h"

/* Byte range of a string literal, embedded NULs included. */
#define LIT(s) (s), (sizeof(s) - 1)

/* Well-formed UTF-8 per the Unicode Standard, table 3-7, written out
 * independently of the code under test. */
static bool ref_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		unsigned char lo = 0x80, hi = 0xBF;
		size_t n;
		if (c <= 0x7F) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
		} else if (c == 0xE0) {
			n = 3, lo = 0xA0;
		} else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
			n = 3;
		} else if (c == 0xED) {
			n = 3, hi = 0x9F;
		} else if (c == 0xF0) {
			n = 4, lo = 0x90;
		} else if (c >= 0xF1 && c <= 0xF3) {
			n = 4;
		} else if (c == 0xF4) {
			n = 4, hi = 0x8F;
		} else {
			return false;
		}
		if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k < n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return false;
		i += n;
	}
	return true;
}

/* The UTF-8 encoding of cp into buf; returns its length. */
static size_t encode(uint32_t cp, unsigned char buf[4])
{
	if (cp < 0x80) {
		buf[0] = (unsigned char)cp;
		return 1;
	} else if (cp < 0x800) {
		buf[0] = (unsigned char)(0xC0 | cp >> 6);
		buf[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		buf[0] = (unsigned char)(0xE0 | cp >> 12);
		buf[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		buf[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (unsigned char)(0xF0 | cp >> 18);
	buf[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	buf[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	buf[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static void decimal_reads_exactly_n_digits(void **state)
{
	(void)state;
	assert_int_equal(tqk_decimal("2026", 4), 2026);
	assert_int_equal(tqk_decimal("0007", 4), 7);
	assert_int_equal(tqk_decimal("20261", 4), 2026);      /* only n bytes */
	assert_int_equal(tqk_decimal("999999999", 9), 999999999);
	assert_int_equal(tqk_decimal("9", 1), 9);
	assert_int_equal(tqk_decimal("20a6", 4), -1);
	assert_int_equal(tqk_decimal("-123", 4), -1);
	assert_int_equal(tqk_decimal(" 123", 4), -1);
	assert_int_equal(tqk_decimal("\xef\xbc\x91", 3), -1); /* full-width 1 */
}

static void utf8_valid_accepts_well_formed(void **state)
{
	(void)state;
	assert_true(tqk_utf8_valid("", 0));
	assert_true(tqk_utf8_valid(LIT("hello, world")));
	assert_true(tqk_utf8_valid(LIT("张三")));
	assert_true(tqk_utf8_valid(LIT("教师资格证书定期注册")));
	assert_true(tqk_utf8_valid(LIT("\xF0\x9F\x98\x80")));              /* U+1F600 */
	assert_true(tqk_utf8_valid(LIT("a张\xF0\x9F\x98\x80z")));
	assert_true(tqk_utf8_valid(LIT("\0a\0")));                         /* NUL is a character */
	/* The edges of each length. */
	assert_true(tqk_utf8_valid(LIT("\x7F")));
	assert_true(tqk_utf8_valid(LIT("\xC2\x80")));                      /* U+0080 */
	assert_true(tqk_utf8_valid(LIT("\xDF\xBF")));                      /* U+07FF */
	assert_true(tqk_utf8_valid(LIT("\xE0\xA0\x80")));                  /* U+0800 */
	assert_true(tqk_utf8_valid(LIT("\xED\x9F\xBF")));                  /* U+D7FF */
	assert_true(tqk_utf8_valid(LIT("\xEE\x80\x80")));                  /* U+E000 */
	assert_true(tqk_utf8_valid(LIT("\xEF\xBF\xBF")));                  /* U+FFFF */
	assert_true(tqk_utf8_valid(LIT("\xF0\x90\x80\x80")));              /* U+10000 */
	assert_true(tqk_utf8_valid(LIT("\xF4\x8F\xBF\xBF")));              /* U+10FFFF */
	/* Only len bytes are read. */
	assert_true(tqk_utf8_valid("a\x80", 1));
	assert_true(tqk_utf8_valid("张\xFF", 3));
}

static void utf8_valid_rejects_malformed(void **state)
{
	(void)state;
	/* Overlong forms. */
	assert_false(tqk_utf8_valid(LIT("\xC0\x80")));
	assert_false(tqk_utf8_valid(LIT("\xC1\xBF")));
	assert_false(tqk_utf8_valid(LIT("\xE0\x80\x80")));
	assert_false(tqk_utf8_valid(LIT("\xE0\x9F\xBF")));
	assert_false(tqk_utf8_valid(LIT("\xF0\x80\x80\x80")));
	assert_false(tqk_utf8_valid(LIT("\xF0\x8F\xBF\xBF")));
	assert_false(tqk_utf8_valid(LIT("\xC0\xAF")));                     /* overlong '/' */
	/* Surrogates. */
	assert_false(tqk_utf8_valid(LIT("\xED\xA0\x80")));                 /* U+D800 */
	assert_false(tqk_utf8_valid(LIT("\xED\xBF\xBF")));                 /* U+DFFF */
	assert_false(tqk_utf8_valid(LIT("\xED\xA0\xBD\xED\xB8\x80")));     /* a CESU pair */
	/* Above U+10FFFF and bytes never used. */
	assert_false(tqk_utf8_valid(LIT("\xF4\x90\x80\x80")));
	assert_false(tqk_utf8_valid(LIT("\xF5\x80\x80\x80")));
	assert_false(tqk_utf8_valid(LIT("\xF7\xBF\xBF\xBF")));
	assert_false(tqk_utf8_valid(LIT("\xF8\x88\x80\x80\x80")));
	assert_false(tqk_utf8_valid(LIT("\xFE")));
	assert_false(tqk_utf8_valid(LIT("\xFF")));
	/* Truncated sequences, at the end and before other text. */
	assert_false(tqk_utf8_valid(LIT("\xC3")));
	assert_false(tqk_utf8_valid(LIT("\xE4\xB8")));
	assert_false(tqk_utf8_valid(LIT("\xF0\x9F\x98")));
	assert_false(tqk_utf8_valid(LIT("ab\xE4\xB8")));
	assert_false(tqk_utf8_valid(LIT("\xE4\xB8" "a")));
	assert_false(tqk_utf8_valid(LIT("\xF0\x9F\x98" "abc")));
	assert_false(tqk_utf8_valid("张", 2));
	assert_false(tqk_utf8_valid("\xF0\x9F\x98\x80", 3));
	/* Lone continuation bytes. */
	assert_false(tqk_utf8_valid(LIT("\x80")));
	assert_false(tqk_utf8_valid(LIT("\xBF")));
	assert_false(tqk_utf8_valid(LIT("abc\x80")));
	assert_false(tqk_utf8_valid(LIT("\x80" "abc")));
	assert_false(tqk_utf8_valid(LIT("张\xAD")));
	/* One bad byte in good text. */
	assert_false(tqk_utf8_valid(LIT("教师\xFF资格")));
}

/* Every sequence of up to three bytes, and every four-byte sequence with a
 * 4-byte lead and telling trail bytes, against table 3-7. */
static void utf8_valid_matches_the_unicode_table(void **state)
{
	(void)state;
	unsigned char b[4];
	for (unsigned x = 0; x < 256; x++) {
		b[0] = (unsigned char)x;
		if (tqk_utf8_valid((const char *)b, 1) != ref_valid(b, 1))
			fail_msg("%02X", x);
		for (unsigned y = 0; y < 256; y++) {
			b[1] = (unsigned char)y;
			if (tqk_utf8_valid((const char *)b, 2) != ref_valid(b, 2))
				fail_msg("%02X %02X", x, y);
			for (unsigned z = 0; z < 256; z++) {
				b[2] = (unsigned char)z;
				if (tqk_utf8_valid((const char *)b, 3) != ref_valid(b, 3))
					fail_msg("%02X %02X %02X", x, y, z);
			}
		}
	}
	const unsigned char trail[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
	for (unsigned x = 0xF0; x < 0x100; x++)
		for (unsigned y = 0; y < 256; y++)
			for (size_t i = 0; i < sizeof trail; i++)
				for (size_t j = 0; j < sizeof trail; j++) {
					b[0] = (unsigned char)x;
					b[1] = (unsigned char)y;
					b[2] = trail[i];
					b[3] = trail[j];
					if (tqk_utf8_valid((const char *)b, 4) != ref_valid(b, 4))
						fail_msg("%02X %02X %02X %02X", x, y, b[2], b[3]);
				}
}

static void utf8_next_decodes_and_advances(void **state)
{
	(void)state;
	size_t pos = 0;
	assert_int_equal(tqk_utf8_next(LIT("A"), &pos), 0x41);
	assert_int_equal(pos, 1);
	pos = 0;
	assert_int_equal(tqk_utf8_next(LIT("\0"), &pos), 0);
	assert_int_equal(pos, 1);
	pos = 0;
	assert_int_equal(tqk_utf8_next(LIT("\xC3\xA9"), &pos), 0xE9);      /* é */
	assert_int_equal(pos, 2);
	pos = 0;
	assert_int_equal(tqk_utf8_next(LIT("\xC2\xB7"), &pos), 0xB7);      /* · */
	assert_int_equal(pos, 2);
	pos = 0;
	assert_int_equal(tqk_utf8_next(LIT("中"), &pos), 0x4E2D);
	assert_int_equal(pos, 3);
	pos = 0;
	assert_int_equal(tqk_utf8_next(LIT("\xE3\x80\x80"), &pos), 0x3000);
	assert_int_equal(pos, 3);
	pos = 0;
	assert_int_equal(tqk_utf8_next(LIT("\xF0\x9F\x98\x80"), &pos), 0x1F600);
	assert_int_equal(pos, 4);
	pos = 0;
	assert_int_equal(tqk_utf8_next(LIT("\xF4\x8F\xBF\xBF"), &pos), 0x10FFFF);
	assert_int_equal(pos, 4);

	/* Walking a mixed string from the middle positions. */
	const char s[] = "a中\xF0\x9F\x98\x80z";
	const int32_t want_cp[] = {'a', 0x4E2D, 0x1F600, 'z'};
	const size_t want_pos[] = {1, 4, 8, 9};
	pos = 0;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(tqk_utf8_next(s, sizeof s - 1, &pos), want_cp[i]);
		assert_int_equal(pos, want_pos[i]);
	}

	/* Every code point decodes from its encoding, surrogates excepted. */
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		unsigned char buf[5] = {0, 0, 0, 0, 0x80};
		size_t n = encode(cp, buf);
		pos = 0;
		int32_t got = tqk_utf8_next((const char *)buf, n, &pos);
		bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
		if (surrogate ? got != -1 || pos != 1 : got != (int32_t)cp || pos != n)
			fail_msg("U+%04X: got %d, advanced %zu", (unsigned)cp, (int)got, pos);
	}
}

static void utf8_next_malformed_returns_minus_one_and_advances_one(void **state)
{
	(void)state;
	const struct {
		const char *s;
		size_t len;
	} bad[] = {
		{LIT("\x80")}, {LIT("\xBF")}, {LIT("\xC0\x80")}, {LIT("\xC1\xBF")},
		{LIT("\xE0\x80\x80")}, {LIT("\xED\xA0\x80")}, {LIT("\xF4\x90\x80\x80")},
		{LIT("\xF5\x80\x80\x80")}, {LIT("\xF8\x80\x80\x80\x80")}, {LIT("\xFF")},
		{LIT("\xC3")}, {LIT("\xE4\xB8")}, {LIT("\xF0\x9F\x98")},
		{LIT("\xE4" "AB")}, {LIT("\xE4\xB8" "A")}, {LIT("\xC3\xC3\xA9")},
		{"\xE4\xB8\xAD", 2},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t pos = 0;
		int32_t got = tqk_utf8_next(bad[i].s, bad[i].len, &pos);
		if (got != -1 || pos != 1)
			fail_msg("case %zu: got %d, advanced %zu", i, (int)got, pos);
	}
	/* After a bad lead byte, decoding resumes with what follows. */
	const char s[] = "\xE4" "A\xC3\xC3\xA9";
	size_t pos = 0;
	assert_int_equal(tqk_utf8_next(s, sizeof s - 1, &pos), -1);
	assert_int_equal(pos, 1);
	assert_int_equal(tqk_utf8_next(s, sizeof s - 1, &pos), 'A');
	assert_int_equal(pos, 2);
	assert_int_equal(tqk_utf8_next(s, sizeof s - 1, &pos), -1);
	assert_int_equal(pos, 3);
	assert_int_equal(tqk_utf8_next(s, sizeof s - 1, &pos), 0xE9);
	assert_int_equal(pos, 5);
	/* A truncated sequence at the end: one byte at a time. */
	const char t[] = "x\xF0\x9F\x98";
	pos = 1;
	assert_int_equal(tqk_utf8_next(t, sizeof t - 1, &pos), -1);
	assert_int_equal(pos, 2);
	assert_int_equal(tqk_utf8_next(t, sizeof t - 1, &pos), -1);
	assert_int_equal(pos, 3);
	assert_int_equal(tqk_utf8_next(t, sizeof t - 1, &pos), -1);
	assert_int_equal(pos, 4);
}

/* Trims s and expects exactly want (an inner range of s). */
static void expect_trim(const char *s, size_t len, size_t skip, const char *want, size_t wlen)
{
	const char *p = s;
	size_t n = len;
	tqk_text_trim(&p, &n);
	/* Where an empty result points is not part of the contract. */
	if (wlen == 0 && n == 0 && p >= s && p <= s + len)
		return;
	if (p != s + skip || n != wlen || memcmp(p, want, wlen) != 0)
		fail_msg("trim \"%.*s\": got offset %td length %zu, want offset %zu length %zu",
		         (int)len, s, p - s, n, skip, wlen);
}

static void trim_drops_outer_spaces_only(void **state)
{
	(void)state;
	expect_trim(LIT("abc"), 0, LIT("abc"));
	expect_trim(LIT("  abc  "), 2, LIT("abc"));
	expect_trim(LIT("\t\r\n abc \n\r\t"), 4, LIT("abc"));
	expect_trim(LIT("\xE3\x80\x80" "abc" "\xE3\x80\x80"), 3, LIT("abc"));
	expect_trim(LIT("\xE3\x80\x80\xE3\x80\x80张三\xE3\x80\x80\xE3\x80\x80"), 6, LIT("张三"));
	expect_trim(LIT(" \xE3\x80\x80\t张 三\xE3\x80\x80 \n"), 5, LIT("张 三"));
	expect_trim(LIT("\xE3\x80\x80 \xE3\x80\x80x\r\xE3\x80\x80\r"), 7, LIT("x"));
	/* Inner spaces stay. */
	expect_trim(LIT("a b\xE3\x80\x80" "c\td"), 0, LIT("a b\xE3\x80\x80" "c\td"));
	expect_trim(LIT("  a  b  "), 2, LIT("a  b"));
	/* Nothing left. */
	expect_trim(LIT(""), 0, LIT(""));
	expect_trim(LIT("   "), 3, LIT(""));
	expect_trim(LIT(" \t\r\n\xE3\x80\x80 "), 8, LIT(""));
	/* Other characters are not spaces: NBSP, en quad (E2 80 80), U+3001,
	 * vertical tab, form feed, NUL. */
	expect_trim(LIT("\xC2\xA0" "a\xC2\xA0"), 0, LIT("\xC2\xA0" "a\xC2\xA0"));
	expect_trim(LIT("\xE2\x80\x80" "a\xE2\x80\x80"), 0, LIT("\xE2\x80\x80" "a\xE2\x80\x80"));
	expect_trim(LIT("\xE3\x80\x81" "a\xE3\x80\x81"), 0, LIT("\xE3\x80\x81" "a\xE3\x80\x81"));
	expect_trim(LIT("\va\f"), 0, LIT("\va\f"));
	expect_trim(LIT("\0a\0"), 0, LIT("\0a\0"));
	/* A character ending in 80 80 that is not U+3000 stays (U+4E00 is E4 B8 80,
	 * U+1F000 is F0 9F 80 80). */
	expect_trim(LIT(" 一"), 1, LIT("一"));
	expect_trim(LIT("a\xF0\x9F\x80\x80 "), 0, LIT("a\xF0\x9F\x80\x80"));
	/* Only len bytes are looked at. */
	expect_trim(" ab cd ", 4, 1, "ab", 2);
}

static void blank_is_empty_or_spaces(void **state)
{
	(void)state;
	assert_true(tqk_text_blank("", 0));
	assert_true(tqk_text_blank(LIT(" ")));
	assert_true(tqk_text_blank(LIT("   ")));
	assert_true(tqk_text_blank(LIT("\t\r\n")));
	assert_true(tqk_text_blank(LIT("\xE3\x80\x80")));
	assert_true(tqk_text_blank(LIT(" \xE3\x80\x80\t\xE3\x80\x80\n")));
	assert_true(tqk_text_blank("   x", 3));
	assert_false(tqk_text_blank(LIT("a")));
	assert_false(tqk_text_blank(LIT(" a ")));
	assert_false(tqk_text_blank(LIT("\xE3\x80\x80张\xE3\x80\x80")));
	assert_false(tqk_text_blank(LIT("\xC2\xA0")));
	assert_false(tqk_text_blank(LIT(".")));
	assert_false(tqk_text_blank(LIT("\0")));
	assert_false(tqk_text_blank(LIT("\v")));
	assert_false(tqk_text_blank(LIT("\xE3\x80")));                  /* a broken U+3000 */
	assert_false(tqk_text_blank(LIT("\x80\x80")));
}

static bool names(const char *a, const char *b)
{
	return tqk_name_equal(a, strlen(a), b, strlen(b));
}

static void name_equal_ignores_outer_spaces(void **state)
{
	(void)state;
	assert_true(names("张三", "张三"));
	assert_true(names(" 张三 ", "张三"));
	assert_true(names("张三", "\t张三\r\n"));
	assert_true(names("\xE3\x80\x80张三\xE3\x80\x80", " 张三"));
	assert_true(names("", ""));
	assert_true(names("  ", "\xE3\x80\x80"));
	/* Inner spaces count. */
	assert_false(names("张 三", "张三"));
	assert_false(names("张\xE3\x80\x80三", "张 三"));
	assert_false(names("Li Ming", "LiMing"));
	assert_false(names("", "张"));
	assert_false(names(" ", "张"));
}

static void name_equal_takes_middle_dots_as_one(void **state)
{
	(void)state;
	const char *dots[] = {
		"\xC2\xB7",         /* U+00B7 middle dot */
		".",                /* full stop */
		"\xE2\x80\xA2",     /* U+2022 bullet */
		"\xE3\x83\xBB",     /* U+30FB katakana middle dot */
		"\xEF\xBC\x8E",     /* U+FF0E full-width full stop */
		"\xE2\x80\xA7",     /* U+2027 hyphenation point */
		"\xEF\xBD\xA5",     /* U+FF65 half-width katakana middle dot */
		"\xCE\x87",         /* U+0387 Greek ano teleia */
		"\xE2\x88\x99",     /* U+2219 bullet operator */
		"\xE2\x8B\x85",     /* U+22C5 dot operator */
	};
	const size_t ndots = sizeof dots / sizeof dots[0];
	for (size_t i = 0; i < ndots; i++)
		for (size_t j = 0; j < ndots; j++) {
			char a[64], b[64];
			size_t alen = 0, blen = 0;
			/* 阿沛<dot>阿旺晋美 */
			memcpy(a, "阿沛", 6);
			alen = 6;
			memcpy(a + alen, dots[i], strlen(dots[i]));
			alen += strlen(dots[i]);
			memcpy(a + alen, "阿旺晋美", 12);
			alen += 12;
			memcpy(b, " 阿沛", 7);
			blen = 7;
			memcpy(b + blen, dots[j], strlen(dots[j]));
			blen += strlen(dots[j]);
			memcpy(b + blen, "阿旺晋美 ", 13);
			blen += 13;
			if (!tqk_name_equal(a, alen, b, blen))
				fail_msg("dots %zu and %zu differ", i, j);
			/* A dot is not nothing, and two dots are not one. */
			assert_false(tqk_name_equal(a, alen, "阿沛阿旺晋美", 18));
			char c[64];
			memcpy(c, a, alen);
			memcpy(c + 6 + strlen(dots[i]), dots[j], strlen(dots[j]));
			memcpy(c + 6 + strlen(dots[i]) + strlen(dots[j]), "阿旺晋美", 12);
			size_t clen = alen + strlen(dots[j]);
			assert_false(tqk_name_equal(a, alen, c, clen));
			assert_false(tqk_name_equal(c, clen, b, blen));
		}
	/* Dots at the ends count too. */
	assert_true(names("·张", ".张"));
	assert_true(names("张·", "张\xEF\xBD\xA5"));
	/* Other punctuation is not a middle dot. */
	const char *not_dots[] = {"-", ",", "\xE3\x80\x82", "\xE2\x80\x94", " ", "\xC2\xB8", "_"};
	for (size_t i = 0; i < sizeof not_dots / sizeof not_dots[0]; i++) {
		char a[32];
		size_t n = strlen(not_dots[i]);
		memcpy(a, "阿沛", 6);
		memcpy(a + 6, not_dots[i], n);
		memcpy(a + 6 + n, "阿旺", 6);
		if (tqk_name_equal(a, 12 + n, LIT("阿沛·阿旺")))
			fail_msg("\"%s\" was taken for a middle dot", not_dots[i]);
	}
}

static void name_equal_tells_different_names_apart(void **state)
{
	(void)state;
	assert_false(names("张三", "张四"));
	assert_false(names("张三", "李三"));
	assert_false(names("王小明", "王晓明"));
	/* A prefix is not the name, either way round. */
	assert_false(names("张三", "张三丰"));
	assert_false(names("张三丰", "张三"));
	assert_false(names("阿沛", "阿沛·"));
	assert_false(names("阿沛·", "阿沛"));
	assert_false(names("Ann", "Anne"));
	/* Invalid bytes compare as themselves: equal only to the same byte. */
	assert_true(tqk_name_equal(LIT("a\x80"), LIT("a\x80")));
	assert_false(tqk_name_equal(LIT("a\x80"), LIT("a\x81")));
	assert_false(tqk_name_equal(LIT("\xFF"), LIT("\xFE")));
	assert_false(tqk_name_equal(LIT("\xE4\xB8"), LIT("\xE4\xB9")));
	assert_false(tqk_name_equal(LIT("\xC3"), LIT("\xC3\xA9")));
	assert_false(tqk_name_equal(LIT("a\x80"), LIT("a")));
	assert_false(tqk_name_equal(LIT("a\xFF"), LIT("a?")));
	assert_false(tqk_name_equal(LIT("\xC0\xAE"), LIT(".")));       /* overlong '.' */
	assert_false(tqk_name_equal(LIT("\xC0\xAE"), LIT("\xC2\xB7")));
	assert_false(tqk_name_equal(LIT("\x80"), LIT("\xC2\x80")));
	/* Only the given lengths count. */
	assert_true(tqk_name_equal("张三丰", 6, "张三", 6));
	assert_false(tqk_name_equal("张三丰", 9, "张三丰", 6));
}

/* Lines of a text file: LF and CRLF, a last line without a newline, the
 * comment cut, and the two refusals. */
static void lines_of_a_file(void **state)
{
	(void)state;
	static const char text[] = "一 # c\r\ntwo\n\nlast";
	size_t pos = 0, n = 0;
	const char *s = NULL;
	assert_int_equal(tqk_text_line(text, sizeof text - 1, &pos, 64, &s, &n), TQK_TEXT_LINE_OK);
	assert_int_equal(n, strlen("一 "));
	assert_memory_equal(s, "一 ", n);
	assert_int_equal(tqk_text_line(text, sizeof text - 1, &pos, 64, &s, &n), TQK_TEXT_LINE_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(s, "two", 3);
	assert_int_equal(tqk_text_line(text, sizeof text - 1, &pos, 64, &s, &n), TQK_TEXT_LINE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(tqk_text_line(text, sizeof text - 1, &pos, 64, &s, &n), TQK_TEXT_LINE_OK);
	assert_memory_equal(s, "last", 4);
	assert_int_equal(n, 4);
	assert_int_equal(tqk_text_line(text, sizeof text - 1, &pos, 64, &s, &n), TQK_TEXT_LINE_END);
	/* exactly max, then one more; a comment counts before it is cut */
	pos = 0;
	assert_int_equal(tqk_text_line("abcd\n", 5, &pos, 4, &s, &n), TQK_TEXT_LINE_OK);
	pos = 0;
	assert_int_equal(tqk_text_line("ab#cd\n", 6, &pos, 4, &s, &n), TQK_TEXT_LINE_LONG);
	assert_int_equal(pos, 6);                  /* past it all the same */
	pos = 0;
	assert_int_equal(tqk_text_line("a\xff\n", 3, &pos, 4, &s, &n), TQK_TEXT_LINE_UTF8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decimal_reads_exactly_n_digits),
		cmocka_unit_test(utf8_valid_accepts_well_formed),
		cmocka_unit_test(utf8_valid_rejects_malformed),
		cmocka_unit_test(utf8_valid_matches_the_unicode_table),
		cmocka_unit_test(utf8_next_decodes_and_advances),
		cmocka_unit_test(utf8_next_malformed_returns_minus_one_and_advances_one),
		cmocka_unit_test(trim_drops_outer_spaces_only),
		cmocka_unit_test(blank_is_empty_or_spaces),
		cmocka_unit_test(name_equal_ignores_outer_spaces),
		cmocka_unit_test(name_equal_takes_middle_dots_as_one),
		cmocka_unit_test(name_equal_tells_different_names_apart),
		cmocka_unit_test(lines_of_a_file),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
