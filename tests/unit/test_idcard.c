/*
 * test_idcard.c - the ID card's 256-byte text block (src/dev/idcard.h).
 *
 * The layout byte for byte (offsets, UCS-2LE, space padding, 长期), round
 * trips of every field at its full width, padding trimmed on both sides, and
 * every refusal: surrogates, control characters, NUL padding, characters
 * beyond the BMP, over-long fields, blank fields, dates that do not exist or
 * are malformed, a validity that ends before it starts, unknown gender and
 * nation codes, ID numbers that core rejects or that disagree with the
 * card's birth date or gender; the appended address and the photo.
 */
#include "test.h"

#include <stdio.h>

#include "core/idnum.h"
#include "dev/idcard.h"

static const tqk_date today = {2026, 5, 20};

/* An 18-character ID number from 17 digits and its computed check. */
static void id_of(const char *digits17, char out[TQK_ID_LEN + 1])
{
	memcpy(out, digits17, 17);
	out[17] = tqk_id_check_char(digits17);
	out[18] = '\0';
}

static void set(char *dst, size_t cap, const char *s)
{
	assert_true(strlen(s) < cap);
	memcpy(dst, s, strlen(s) + 1);
}

/* A valid card: 张伟, male, Han, born 1985-03-12 in Changsha. */
static void sample(tqk_idcard *c)
{
	memset(c, 0, sizeof *c);
	set(c->name, sizeof c->name, "张伟");
	c->gender = TQK_GENDER_MALE;
	c->nation = 1;
	c->birth = DATE(1985, 3, 12);
	set(c->address, sizeof c->address, "湖南省长沙市岳麓区麓山南路932号");
	id_of("43010419850312123", c->id);
	set(c->authority, sizeof c->authority, "长沙市公安局岳麓分局");
	c->valid_from = DATE(2015, 6, 1);
	c->valid_to = DATE(2035, 6, 1);
}

static void encode(const tqk_idcard *c, uint8_t block[TQK_IDCARD_TEXT_LEN])
{
	tqk_idcard_problem why = {0};
	if (tqk_idcard_encode(c, block, &why) != TQK_OK)
		fail_msg("encode failed at field %d (%s)", why.field, tqk_err_code(why.cause));
}

/* Writes UCS-2LE units into block at off, padding to len bytes with spaces. */
static void put_units(uint8_t *block, size_t off, size_t len, const uint16_t *u, size_t n)
{
	for (size_t i = 0; i < len; i += 2) {
		uint16_t v = i / 2 < n ? u[i / 2] : 0x0020;
		block[off + i] = (uint8_t)(v & 0xFF);
		block[off + i + 1] = (uint8_t)(v >> 8);
	}
}

/* Writes ASCII s into a field of block (as UCS-2LE, padded). */
static void put_ascii(uint8_t *block, size_t off, size_t len, const char *s)
{
	uint16_t u[64];
	size_t n = strlen(s);
	assert_true(n < 64);
	for (size_t i = 0; i < n; i++)
		u[i] = (uint8_t)s[i];
	put_units(block, off, len, u, n);
}

static void expect_refused(const uint8_t *block, tqk_idcard_field field, tqk_err cause)
{
	tqk_idcard out;
	tqk_idcard_problem why = {TQK_IDCARD_F_COUNT, TQK_OK};
	assert_int_equal(tqk_idcard_decode(block, TQK_IDCARD_TEXT_LEN, today, &out, &why),
	                 TQK_E_CARD_DATA);
	if (why.field != field || why.cause != cause)
		fail_msg("refused at field %d for %s; wanted field %d for %s", why.field,
		         tqk_err_code(why.cause), field, tqk_err_code(cause));
	/* Nothing of the card is left behind on failure. */
	assert_string_equal(out.name, "");
	assert_int_equal(out.photo_len, 0);
}

static void layout_bytes(void **state)
{
	(void)state;
	tqk_idcard c;
	sample(&c);
	c.long_term = true;
	uint8_t b[TQK_IDCARD_TEXT_LEN];
	encode(&c, b);
	/* name 张伟 = U+5F20 U+4F1F, then 13 spaces */
	const uint8_t name[] = {0x20, 0x5F, 0x1F, 0x4F, 0x20, 0x00, 0x20, 0x00};
	assert_memory_equal(b + 0, name, sizeof name);
	for (size_t i = 4; i < 30; i += 2) {
		assert_int_equal(b[i], 0x20);
		assert_int_equal(b[i + 1], 0x00);
	}
	assert_memory_equal(b + 30, "1\0", 2);            /* gender */
	assert_memory_equal(b + 32, "0\0" "1\0", 4);      /* nation 01 */
	assert_memory_equal(b + 36, "1\0" "9\0" "8\0" "5\0" "0\0" "3\0" "1\0" "2\0", 16);
	assert_int_equal(b[52], 0x56); /* 湖 U+6E56 */
	assert_int_equal(b[53], 0x6E);
	assert_memory_equal(b + 122, "4\0" "3\0" "0\0" "1\0", 8);
	assert_int_equal(b[122 + 34], (uint8_t)c.id[17]);
	assert_memory_equal(b + 188, "2\0" "0\0" "1\0" "5\0" "0\0" "6\0" "0\0" "1\0", 16);
	/* valid to 长期 = U+957F U+671F, then six spaces */
	const uint8_t lt[] = {0x7F, 0x95, 0x1F, 0x67, 0x20, 0, 0x20, 0, 0x20, 0, 0x20, 0, 0x20, 0,
	                      0x20, 0};
	assert_memory_equal(b + 204, lt, sizeof lt);
	/* the reserved area is spaces */
	for (size_t i = 220; i < 256; i += 2) {
		assert_int_equal(b[i], 0x20);
		assert_int_equal(b[i + 1], 0x00);
	}
}

static void round_trip_every_field(void **state)
{
	(void)state;
	tqk_idcard c, d;
	sample(&c);
	/* Every text field at its full width. */
	set(c.name, sizeof c.name, "阿卜杜热合曼·买买提明·阿不都"); /* 15 characters */
	set(c.address, sizeof c.address,
	    "新疆维吾尔自治区乌鲁木齐市天山区解放南路街道办事处幸福路社区一巷三号楼");
	set(c.authority, sizeof c.authority, "新疆乌鲁木齐市公安局天山区分局");
	assert_int_equal(strlen(c.name), 15 * 3 - 2); /* · is two bytes */
	assert_int_equal(strlen(c.address), 35 * 3);
	assert_int_equal(strlen(c.authority), 15 * 3);
	c.nation = 5;
	id_of("65010219850312123", c.id);
	uint8_t b[TQK_IDCARD_TEXT_LEN];
	encode(&c, b);
	tqk_idcard_problem why;
	assert_int_equal(tqk_idcard_decode(b, sizeof b, today, &d, &why), TQK_OK);
	assert_string_equal(d.name, c.name);
	assert_int_equal(d.gender, TQK_GENDER_MALE);
	assert_int_equal(d.nation, 5);
	assert_int_equal(d.birth.year, 1985);
	assert_int_equal(d.birth.month, 3);
	assert_int_equal(d.birth.day, 12);
	assert_string_equal(d.address, c.address);
	assert_string_equal(d.id, c.id);
	assert_string_equal(d.authority, c.authority);
	assert_int_equal(tqk_date_to_day(d.valid_from), DAY(2015, 6, 1));
	assert_int_equal(tqk_date_to_day(d.valid_to), DAY(2035, 6, 1));
	assert_false(d.long_term);
	assert_string_equal(d.new_address, "");
	assert_int_equal(d.photo_len, 0);
	char buf[TQK_IDCARD_DATE_BUFLEN];
	tqk_idcard_valid_to_format(&d, buf);
	assert_string_equal(buf, "2035-06-01");
	/* Encoding the decoded card gives the same bytes. */
	uint8_t again[TQK_IDCARD_TEXT_LEN];
	encode(&d, again);
	assert_memory_equal(again, b, sizeof b);

	/* A woman, long-term validity, an old-style X. */
	sample(&c);
	set(c.name, sizeof c.name, "欧阳晓");
	c.gender = TQK_GENDER_FEMALE;
	c.birth = DATE(1949, 12, 31);
	set(c.id, sizeof c.id, "11010519491231002X");
	c.long_term = true;
	c.valid_from = DATE(2010, 1, 5);
	encode(&c, b);
	assert_int_equal(tqk_idcard_decode(b, sizeof b, today, &d, &why), TQK_OK);
	assert_true(d.long_term);
	assert_int_equal(d.gender, TQK_GENDER_FEMALE);
	assert_string_equal(d.id, "11010519491231002X");
	assert_int_equal(d.valid_to.year, 0);
	tqk_idcard_valid_to_format(&d, buf);
	assert_string_equal(buf, "长期");
	/* A lower-case x on the card is read as X. */
	b[TQK_IDCARD_OFF_ID + 34] = 'x';
	assert_int_equal(tqk_idcard_decode(b, sizeof b, today, &d, &why), TQK_OK);
	assert_string_equal(d.id, "11010519491231002X");

	/* Whatever the reserved area holds is ignored. */
	for (size_t i = TQK_IDCARD_OFF_RESERVED; i < TQK_IDCARD_TEXT_LEN; i++)
		b[i] = 0xFF;
	assert_int_equal(tqk_idcard_decode(b, sizeof b, today, &d, &why), TQK_OK);
}

static void padding_trimmed(void **state)
{
	(void)state;
	tqk_idcard c, d;
	sample(&c);
	uint8_t b[TQK_IDCARD_TEXT_LEN];
	encode(&c, b);
	/* "  王 五 " with leading spaces and an ideographic space at the end:
	 * outer spaces go, the inner one stays. */
	const uint16_t name[] = {0x0020, 0x0020, 0x738B, 0x0020, 0x4E94, 0x3000};
	put_units(b, TQK_IDCARD_OFF_NAME, TQK_IDCARD_LEN_NAME, name, 6);
	/* The authority with a leading ideographic space. */
	const uint16_t auth[] = {0x3000, 0x5317, 0x4EAC};
	put_units(b, TQK_IDCARD_OFF_AUTHORITY, TQK_IDCARD_LEN_AUTHORITY, auth, 3);
	tqk_idcard_problem why;
	assert_int_equal(tqk_idcard_decode(b, sizeof b, today, &d, &why), TQK_OK);
	assert_string_equal(d.name, "王 五");
	assert_string_equal(d.authority, "北京");
}

static void refused_characters(void **state)
{
	(void)state;
	tqk_idcard c;
	sample(&c);
	uint8_t good[TQK_IDCARD_TEXT_LEN], b[TQK_IDCARD_TEXT_LEN];
	encode(&c, good);
	static const uint16_t bad[] = {
		0xD800, 0xDBFF, 0xDC00, 0xDFFF,  /* lone surrogates */
		0x0000, 0x0001, 0x0009, 0x000A, 0x000D, 0x001F, /* controls, NUL */
		0x007F, 0x0085, 0x009F,          /* DEL and C1 controls */
		0xFFFE, 0xFFFF,                  /* non-characters */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(b, good, sizeof b);
		const uint16_t name[] = {0x5F20, bad[i]};
		put_units(b, TQK_IDCARD_OFF_NAME, TQK_IDCARD_LEN_NAME, name, 2);
		expect_refused(b, TQK_IDCARD_F_NAME, TQK_E_UTF8);
		/* the same in the address, at its last character */
		memcpy(b, good, sizeof b);
		b[TQK_IDCARD_OFF_ADDRESS + 68] = (uint8_t)(bad[i] & 0xFF);
		b[TQK_IDCARD_OFF_ADDRESS + 69] = (uint8_t)(bad[i] >> 8);
		expect_refused(b, TQK_IDCARD_F_ADDRESS, TQK_E_UTF8);
	}
	/* A surrogate pair is refused too: the card holds UCS-2, not UTF-16. */
	memcpy(b, good, sizeof b);
	const uint16_t pair[] = {0xD83D, 0xDE00};
	put_units(b, TQK_IDCARD_OFF_AUTHORITY, TQK_IDCARD_LEN_AUTHORITY, pair, 2);
	expect_refused(b, TQK_IDCARD_F_AUTHORITY, TQK_E_UTF8);
	/* A field padded with NUL instead of spaces. */
	memcpy(b, good, sizeof b);
	memset(b + TQK_IDCARD_OFF_NAME + 4, 0, TQK_IDCARD_LEN_NAME - 4);
	expect_refused(b, TQK_IDCARD_F_NAME, TQK_E_UTF8);

	/* Encoding refuses what decoding would. */
	tqk_idcard_problem why;
	const char *bad_utf8[] = {"\xF0\x9F\x98\x80", "\xED\xA0\x80", "\xC3", "a\x01", "\x7F",
	                          "\xC2\x85", "\xEF\xBF\xBE"};
	for (size_t i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; i++) {
		sample(&c);
		set(c.address, sizeof c.address, bad_utf8[i]);
		assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_E_UTF8);
		assert_int_equal(why.field, TQK_IDCARD_F_ADDRESS);
		assert_int_equal(why.cause, TQK_E_UTF8);
	}
}

static void widths(void **state)
{
	(void)state;
	tqk_idcard c;
	uint8_t b[TQK_IDCARD_TEXT_LEN];
	tqk_idcard_problem why;
	/* One character too many for each text field. */
	sample(&c);
	set(c.name, sizeof c.name, "abcdefghijklmnop"); /* 16 */
	assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_E_TOO_LONG);
	assert_int_equal(why.field, TQK_IDCARD_F_NAME);
	sample(&c);
	set(c.address, sizeof c.address, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"); /* 36 */
	assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_E_TOO_LONG);
	assert_int_equal(why.field, TQK_IDCARD_F_ADDRESS);
	set(c.address, sizeof c.address, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"); /* 35 */
	assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_OK);
	sample(&c);
	set(c.authority, sizeof c.authority, "一二三四五六七八九十一二三四五");
	assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_OK);
	set(c.authority, sizeof c.authority, "abcdefghijklmnop");
	assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_E_TOO_LONG);
	assert_int_equal(why.field, TQK_IDCARD_F_AUTHORITY);
	/* Unknown gender and nation codes, dates that do not exist. */
	sample(&c);
	c.gender = TQK_GENDER_UNKNOWN;
	assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_E_FIELD_VALUE);
	assert_int_equal(why.field, TQK_IDCARD_F_GENDER);
	sample(&c);
	c.nation = 57;
	assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_E_FIELD_VALUE);
	assert_int_equal(why.field, TQK_IDCARD_F_NATION);
	sample(&c);
	c.valid_from = DATE(2015, 2, 29);
	assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_E_DATE_INVALID);
	assert_int_equal(why.field, TQK_IDCARD_F_VALID_FROM);
	sample(&c);
	c.birth = DATE(1985, 13, 1);
	assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_E_DATE_INVALID);
	assert_int_equal(why.field, TQK_IDCARD_F_BIRTH);
	sample(&c);
	c.valid_to = DATE(0, 0, 0);
	assert_int_equal(tqk_idcard_encode(&c, b, &why), TQK_E_DATE_INVALID);
	assert_int_equal(why.field, TQK_IDCARD_F_VALID_TO);
	/* A block of the wrong length. */
	sample(&c);
	encode(&c, b);
	tqk_idcard d;
	why.field = TQK_IDCARD_F_COUNT;
	assert_int_equal(tqk_idcard_decode(b, 255, today, &d, &why), TQK_E_CARD_DATA);
	assert_int_equal(why.field, TQK_IDCARD_F_NONE);
	assert_int_equal(tqk_idcard_decode(NULL, 0, today, &d, NULL), TQK_E_CARD_DATA);
}

static void bad_dates_and_codes(void **state)
{
	(void)state;
	tqk_idcard c;
	sample(&c);
	uint8_t good[TQK_IDCARD_TEXT_LEN], b[TQK_IDCARD_TEXT_LEN];
	encode(&c, good);
	static const struct {
		size_t off, len;
		const char *text;
		tqk_idcard_field field;
		tqk_err cause;
	} cases[] = {
		{TQK_IDCARD_OFF_BIRTH, TQK_IDCARD_LEN_BIRTH, "19850230", TQK_IDCARD_F_BIRTH, TQK_E_DATE_INVALID},
		{TQK_IDCARD_OFF_BIRTH, TQK_IDCARD_LEN_BIRTH, "19851301", TQK_IDCARD_F_BIRTH, TQK_E_DATE_INVALID},
		{TQK_IDCARD_OFF_BIRTH, TQK_IDCARD_LEN_BIRTH, "1985031", TQK_IDCARD_F_BIRTH, TQK_E_DATE_FORMAT},
		{TQK_IDCARD_OFF_BIRTH, TQK_IDCARD_LEN_BIRTH, "1985-3-1", TQK_IDCARD_F_BIRTH, TQK_E_DATE_FORMAT},
		{TQK_IDCARD_OFF_BIRTH, TQK_IDCARD_LEN_BIRTH, "1985O312", TQK_IDCARD_F_BIRTH, TQK_E_DATE_FORMAT},
		{TQK_IDCARD_OFF_BIRTH, TQK_IDCARD_LEN_BIRTH, "", TQK_IDCARD_F_BIRTH, TQK_E_FIELD_REQUIRED},
		/* the card's birth date is a real day but not the ID number's */
		{TQK_IDCARD_OFF_BIRTH, TQK_IDCARD_LEN_BIRTH, "19850313", TQK_IDCARD_F_BIRTH, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_FROM, TQK_IDCARD_LEN_FROM, "20150631", TQK_IDCARD_F_VALID_FROM, TQK_E_DATE_INVALID},
		{TQK_IDCARD_OFF_TO, TQK_IDCARD_LEN_TO, "20350229", TQK_IDCARD_F_VALID_TO, TQK_E_DATE_INVALID},
		{TQK_IDCARD_OFF_TO, TQK_IDCARD_LEN_TO, "", TQK_IDCARD_F_VALID_TO, TQK_E_FIELD_REQUIRED},
		{TQK_IDCARD_OFF_TO, TQK_IDCARD_LEN_TO, "long", TQK_IDCARD_F_VALID_TO, TQK_E_DATE_FORMAT},
		/* a validity that ends before (or when) it starts */
		{TQK_IDCARD_OFF_TO, TQK_IDCARD_LEN_TO, "20150531", TQK_IDCARD_F_VALID_TO, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_TO, TQK_IDCARD_LEN_TO, "20150601", TQK_IDCARD_F_VALID_TO, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_GENDER, TQK_IDCARD_LEN_GENDER, "0", TQK_IDCARD_F_GENDER, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_GENDER, TQK_IDCARD_LEN_GENDER, "9", TQK_IDCARD_F_GENDER, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_GENDER, TQK_IDCARD_LEN_GENDER, "", TQK_IDCARD_F_GENDER, TQK_E_FIELD_REQUIRED},
		/* a woman's code on a man's ID number */
		{TQK_IDCARD_OFF_GENDER, TQK_IDCARD_LEN_GENDER, "2", TQK_IDCARD_F_GENDER, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_NATION, TQK_IDCARD_LEN_NATION, "00", TQK_IDCARD_F_NATION, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_NATION, TQK_IDCARD_LEN_NATION, "57", TQK_IDCARD_F_NATION, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_NATION, TQK_IDCARD_LEN_NATION, "96", TQK_IDCARD_F_NATION, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_NATION, TQK_IDCARD_LEN_NATION, "99", TQK_IDCARD_F_NATION, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_NATION, TQK_IDCARD_LEN_NATION, "1", TQK_IDCARD_F_NATION, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_NATION, TQK_IDCARD_LEN_NATION, "+1", TQK_IDCARD_F_NATION, TQK_E_FIELD_VALUE},
		{TQK_IDCARD_OFF_NATION, TQK_IDCARD_LEN_NATION, "", TQK_IDCARD_F_NATION, TQK_E_FIELD_REQUIRED},
		{TQK_IDCARD_OFF_NAME, TQK_IDCARD_LEN_NAME, "", TQK_IDCARD_F_NAME, TQK_E_FIELD_REQUIRED},
		{TQK_IDCARD_OFF_ADDRESS, TQK_IDCARD_LEN_ADDRESS, "", TQK_IDCARD_F_ADDRESS, TQK_E_FIELD_REQUIRED},
		{TQK_IDCARD_OFF_AUTHORITY, TQK_IDCARD_LEN_AUTHORITY, "", TQK_IDCARD_F_AUTHORITY, TQK_E_FIELD_REQUIRED},
		{TQK_IDCARD_OFF_ID, TQK_IDCARD_LEN_ID, "", TQK_IDCARD_F_ID, TQK_E_FIELD_REQUIRED},
		/* ID numbers core refuses */
		{TQK_IDCARD_OFF_ID, TQK_IDCARD_LEN_ID, "430104850312123", TQK_IDCARD_F_ID, TQK_E_ID_LENGTH},
		{TQK_IDCARD_OFF_ID, TQK_IDCARD_LEN_ID, "43010419850312123A", TQK_IDCARD_F_ID, TQK_E_ID_CHARS},
		{TQK_IDCARD_OFF_ID, TQK_IDCARD_LEN_ID, "99010419850312123X", TQK_IDCARD_F_ID, TQK_E_ID_REGION},
		{TQK_IDCARD_OFF_ID, TQK_IDCARD_LEN_ID, "36042619910102009X", TQK_IDCARD_F_ID, TQK_E_ID_CHECKSUM},
		{TQK_IDCARD_OFF_ID, TQK_IDCARD_LEN_ID, "360426199113010079", TQK_IDCARD_F_ID, TQK_E_ID_DATE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memcpy(b, good, sizeof b);
		put_ascii(b, cases[i].off, cases[i].len, cases[i].text);
		expect_refused(b, cases[i].field, cases[i].cause);
	}
	/* A full-width digit is no digit. */
	memcpy(b, good, sizeof b);
	const uint16_t fw[] = {'1', '9', '8', '5', '0', '3', '1', 0xFF12};
	put_units(b, TQK_IDCARD_OFF_BIRTH, TQK_IDCARD_LEN_BIRTH, fw, 8);
	expect_refused(b, TQK_IDCARD_F_BIRTH, TQK_E_DATE_FORMAT);

	/* A birth date after today, in the ID number and on the card alike. */
	sample(&c);
	c.birth = DATE(2026, 5, 21);
	id_of("43010420260521123", c.id);
	encode(&c, b);
	expect_refused(b, TQK_IDCARD_F_ID, TQK_E_ID_DATE);
	tqk_idcard d;
	assert_int_equal(tqk_idcard_decode(b, sizeof b, DATE(2026, 5, 21), &d, NULL), TQK_OK);
	/* A card that tqk_idcard_encode writes but decoding refuses: a woman's
	 * gender on a man's number. */
	sample(&c);
	c.gender = TQK_GENDER_FEMALE;
	encode(&c, b);
	expect_refused(b, TQK_IDCARD_F_GENDER, TQK_E_FIELD_VALUE);
}

static void new_address_and_photo(void **state)
{
	(void)state;
	tqk_idcard c;
	sample(&c);
	uint8_t buf[TQK_IDCARD_NEWADDR_MAX + 8];
	size_t len = 99;
	/* 35 characters: the most there is room for. */
	set(c.new_address, sizeof c.new_address,
	    "广东省深圳市南山区粤海街道科技园社区科苑路十五号科兴科学园Ａ栋一单元四");
	assert_int_equal(tqk_idcard_encode_new_address(&c, buf, sizeof buf, &len), TQK_OK);
	assert_int_equal(len, 70);
	tqk_idcard d;
	sample(&d);
	tqk_idcard_problem why;
	assert_int_equal(tqk_idcard_decode_new_address(buf, len, &d, &why), TQK_OK);
	assert_string_equal(d.new_address, c.new_address);
	/* Short ones are not padded on the wire; padded ones are trimmed. */
	set(c.new_address, sizeof c.new_address, "北京市朝阳区");
	assert_int_equal(tqk_idcard_encode_new_address(&c, buf, sizeof buf, &len), TQK_OK);
	assert_int_equal(len, 12);
	assert_int_equal(tqk_idcard_encode_new_address(&c, buf, 11, &len), TQK_E_TOO_LONG);
	assert_int_equal(tqk_idcard_encode_new_address(&c, buf, sizeof buf, &len), TQK_OK);
	buf[12] = 0x20, buf[13] = 0x00;
	assert_int_equal(tqk_idcard_decode_new_address(buf, 14, &d, &why), TQK_OK);
	assert_string_equal(d.new_address, "北京市朝阳区");
	/* Blank or empty: no appended address. */
	assert_int_equal(tqk_idcard_decode_new_address(buf + 12, 2, &d, &why), TQK_OK);
	assert_string_equal(d.new_address, "");
	assert_int_equal(tqk_idcard_decode_new_address(NULL, 0, &d, &why), TQK_OK);
	assert_string_equal(d.new_address, "");
	set(c.new_address, sizeof c.new_address, "");
	assert_int_equal(tqk_idcard_encode_new_address(&c, buf, sizeof buf, &len), TQK_OK);
	assert_int_equal(len, 0);
	/* Too long, odd length, a surrogate, malformed UTF-8 to encode. */
	uint8_t big[72];
	put_ascii(big, 0, sizeof big, "");
	assert_int_equal(tqk_idcard_decode_new_address(big, 72, &d, &why), TQK_E_CARD_DATA);
	assert_int_equal(why.field, TQK_IDCARD_F_NEW_ADDRESS);
	assert_int_equal(why.cause, TQK_E_TOO_LONG);
	assert_int_equal(tqk_idcard_decode_new_address(big, 5, &d, &why), TQK_E_CARD_DATA);
	assert_int_equal(why.cause, TQK_E_UTF8);
	big[0] = 0x00, big[1] = 0xDC;
	assert_int_equal(tqk_idcard_decode_new_address(big, 4, &d, &why), TQK_E_CARD_DATA);
	assert_int_equal(why.cause, TQK_E_UTF8);
	assert_string_equal(d.new_address, "");
	set(c.new_address, sizeof c.new_address, "\xE5\x8C");
	assert_int_equal(tqk_idcard_encode_new_address(&c, buf, sizeof buf, &len), TQK_E_UTF8);
	set(c.new_address, sizeof c.new_address, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"); /* 36 */
	assert_int_equal(tqk_idcard_encode_new_address(&c, buf, sizeof buf, &len), TQK_E_TOO_LONG);

	/* The photo is kept byte for byte, and must be 1024 bytes. */
	uint8_t photo[TQK_IDCARD_PHOTO_LEN + 1];
	for (size_t i = 0; i < sizeof photo; i++)
		photo[i] = (uint8_t)(i * 13 + 1);
	assert_int_equal(tqk_idcard_set_photo(&d, photo, TQK_IDCARD_PHOTO_LEN), TQK_OK);
	assert_int_equal(d.photo_len, TQK_IDCARD_PHOTO_LEN);
	assert_memory_equal(d.photo, photo, TQK_IDCARD_PHOTO_LEN);
	assert_int_equal(tqk_idcard_set_photo(&d, photo, TQK_IDCARD_PHOTO_LEN - 1), TQK_E_CARD_DATA);
	assert_int_equal(tqk_idcard_set_photo(&d, photo, TQK_IDCARD_PHOTO_LEN + 1), TQK_E_CARD_DATA);
	assert_int_equal(tqk_idcard_set_photo(&d, NULL, 0), TQK_E_CARD_DATA);
}

static void names_of_things(void **state)
{
	(void)state;
	assert_string_equal(tqk_idcard_gender_text(TQK_GENDER_MALE), "男");
	assert_string_equal(tqk_idcard_gender_text(TQK_GENDER_FEMALE), "女");
	assert_string_equal(tqk_idcard_gender_text(TQK_GENDER_UNKNOWN), "未知");
	assert_string_equal(tqk_idcard_nation_text(1), "汉");
	assert_string_equal(tqk_idcard_nation_text(2), "蒙古");
	assert_string_equal(tqk_idcard_nation_text(98), "外国血统中国籍人士");
	assert_string_equal(tqk_idcard_nation_text(0), "");
	assert_string_equal(tqk_idcard_nation_text(57), "");
	assert_string_equal(tqk_idcard_field_name(TQK_IDCARD_F_ADDRESS, TQK_LANG_ZH), "住址");
	assert_string_equal(tqk_idcard_field_name(TQK_IDCARD_F_ADDRESS, TQK_LANG_EN), "address");
	assert_string_equal(tqk_idcard_field_name(TQK_IDCARD_F_ID, TQK_LANG_ZH), "公民身份号码");
	for (int f = 0; f < TQK_IDCARD_F_COUNT; f++)
		for (int l = 0; l < TQK_LANG_COUNT; l++) {
			const char *s = tqk_idcard_field_name((tqk_idcard_field)f, (tqk_lang)l);
			assert_true(strlen(s) > 1);
			for (int g = 0; g < f; g++)
				assert_string_not_equal(s, tqk_idcard_field_name((tqk_idcard_field)g, (tqk_lang)l));
		}
	assert_string_equal(tqk_idcard_field_name(TQK_IDCARD_F_COUNT, TQK_LANG_EN), "card data");
	assert_string_equal(tqk_idcard_field_name((tqk_idcard_field)-1, TQK_LANG_ZH), "身份证数据");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_bytes),
		cmocka_unit_test(round_trip_every_field),
		cmocka_unit_test(padding_trimmed),
		cmocka_unit_test(refused_characters),
		cmocka_unit_test(widths),
		cmocka_unit_test(bad_dates_and_codes),
		cmocka_unit_test(new_address_and_photo),
		cmocka_unit_test(names_of_things),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
