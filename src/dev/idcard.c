/*
 * idcard.c - the ID card's text block: UCS-2LE fields to UTF-8 and back,
 * with the checks idcard.h lists.
 */
#include "dev/idcard.h"

#include <assert.h>
#include <string.h>

#include "core/nation.h"
#include "core/text.h"

/* Where each field lives; indexed by tqk_idcard_field. */
static const struct {
	size_t off, len;
	const char *name[TQK_LANG_COUNT];
} fields[TQK_IDCARD_F_COUNT] = {
	[TQK_IDCARD_F_NONE] = {0, 0, {"身份证数据", "card data"}},
	[TQK_IDCARD_F_NAME] = {TQK_IDCARD_OFF_NAME, TQK_IDCARD_LEN_NAME, {"姓名", "name"}},
	[TQK_IDCARD_F_GENDER] = {TQK_IDCARD_OFF_GENDER, TQK_IDCARD_LEN_GENDER, {"性别", "gender"}},
	[TQK_IDCARD_F_NATION] = {TQK_IDCARD_OFF_NATION, TQK_IDCARD_LEN_NATION, {"民族", "nation"}},
	[TQK_IDCARD_F_BIRTH] = {TQK_IDCARD_OFF_BIRTH, TQK_IDCARD_LEN_BIRTH, {"出生日期", "birth date"}},
	[TQK_IDCARD_F_ADDRESS] = {TQK_IDCARD_OFF_ADDRESS, TQK_IDCARD_LEN_ADDRESS, {"住址", "address"}},
	[TQK_IDCARD_F_ID] = {TQK_IDCARD_OFF_ID, TQK_IDCARD_LEN_ID, {"公民身份号码", "ID number"}},
	[TQK_IDCARD_F_AUTHORITY] = {TQK_IDCARD_OFF_AUTHORITY, TQK_IDCARD_LEN_AUTHORITY,
	                            {"签发机关", "issuing authority"}},
	[TQK_IDCARD_F_VALID_FROM] = {TQK_IDCARD_OFF_FROM, TQK_IDCARD_LEN_FROM,
	                             {"有效期起始日期", "valid from"}},
	[TQK_IDCARD_F_VALID_TO] = {TQK_IDCARD_OFF_TO, TQK_IDCARD_LEN_TO,
	                           {"有效期截止日期", "valid to"}},
	[TQK_IDCARD_F_NEW_ADDRESS] = {0, TQK_IDCARD_NEWADDR_MAX, {"追加住址", "appended address"}},
	[TQK_IDCARD_F_PHOTO] = {0, TQK_IDCARD_PHOTO_LEN, {"照片", "photo"}},
};

/* A character the card may hold: printable BMP, no surrogate, no
 * non-character. */
static bool card_char(uint32_t c)
{
	return c >= 0x20 && !(c >= 0x7F && c <= 0x9F) && !(c >= 0xD800 && c <= 0xDFFF) &&
	       c != 0xFFFE && c != 0xFFFF && c <= 0xFFFF;
}

static tqk_err fail(tqk_idcard_problem *why, tqk_idcard_field f, tqk_err cause, tqk_err ret)
{
	if (why != NULL) {
		why->field = f;
		why->cause = cause;
	}
	return ret;
}

/*
 * src[0..n) (UCS-2LE, n even) to UTF-8 in out[0..cap) with its NUL, the
 * outer spaces trimmed. TQK_E_UTF8 for a character card_char refuses.
 * cap must hold 3 bytes per character plus the NUL (asserted).
 */
static tqk_err ucs2_to_utf8(const uint8_t *src, size_t n, char *out, size_t cap)
{
	assert(n % 2 == 0 && cap >= n / 2 * 3 + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i += 2) {
		uint32_t c = (uint32_t)src[i] | (uint32_t)src[i + 1] << 8;
		if (!card_char(c))
			return TQK_E_UTF8;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xC0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[o++] = (char)(0xE0 | c >> 12);
			out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	const char *s = out;
	size_t len = o;
	tqk_text_trim(&s, &len);
	memmove(out, s, len);
	out[len] = '\0';
	return TQK_OK;
}

/*
 * UTF-8 s (NUL-terminated) into out[0..width) as UCS-2LE padded with
 * spaces; the characters written into *units when units is not NULL.
 * TQK_E_UTF8 for malformed text or a character card_char refuses,
 * TQK_E_TOO_LONG when it does not fit.
 */
static tqk_err utf8_to_ucs2(const char *s, uint8_t *out, size_t width, size_t *units)
{
	size_t len = strlen(s), pos = 0, o = 0;
	while (pos < len) {
		int32_t c = tqk_utf8_next(s, len, &pos);
		if (c < 0 || !card_char((uint32_t)c))
			return TQK_E_UTF8;
		if (o + 2 > width)
			return TQK_E_TOO_LONG;
		out[o++] = (uint8_t)(c & 0xFF);
		out[o++] = (uint8_t)(c >> 8);
	}
	if (units != NULL)
		*units = o / 2;
	for (; o + 1 < width; o += 2) {
		out[o] = 0x20;
		out[o + 1] = 0x00;
	}
	return TQK_OK;
}

/* A text field of the block into out (cap bytes); blank is refused. */
static tqk_err text_field(const uint8_t *block, tqk_idcard_field f, char *out, size_t cap,
                          tqk_idcard_problem *why)
{
	if (ucs2_to_utf8(block + fields[f].off, fields[f].len, out, cap) != TQK_OK)
		return fail(why, f, TQK_E_UTF8, TQK_E_CARD_DATA);
	if (out[0] == '\0')
		return fail(why, f, TQK_E_FIELD_REQUIRED, TQK_E_CARD_DATA);
	return TQK_OK;
}

/* A YYYYMMDD field into *d. */
static tqk_err date_field(const uint8_t *block, tqk_idcard_field f, tqk_date *d,
                          tqk_idcard_problem *why)
{
	char buf[8 * 3 + 1];
	tqk_err err = text_field(block, f, buf, sizeof buf, why);
	if (err != TQK_OK)
		return err;
	if (strlen(buf) != 8)
		return fail(why, f, TQK_E_DATE_FORMAT, TQK_E_CARD_DATA);
	int y = tqk_decimal(buf, 4), m = tqk_decimal(buf + 4, 2), day = tqk_decimal(buf + 6, 2);
	if (y < 0 || m < 0 || day < 0)
		return fail(why, f, TQK_E_DATE_FORMAT, TQK_E_CARD_DATA);
	tqk_date v = {y, m, day};
	if (!tqk_date_valid(v))
		return fail(why, f, TQK_E_DATE_INVALID, TQK_E_CARD_DATA);
	*d = v;
	return TQK_OK;
}

/* The fields of the block into *out (cleared); see tqk_idcard_decode. */
static tqk_err decode_fields(const uint8_t *text, size_t len, tqk_date today, tqk_idcard *out,
                             tqk_idcard_problem *why)
{
	if (len != TQK_IDCARD_TEXT_LEN)
		return fail(why, TQK_IDCARD_F_NONE, TQK_E_SAM_FRAME, TQK_E_CARD_DATA);

	tqk_err err;
	if ((err = text_field(text, TQK_IDCARD_F_NAME, out->name, sizeof out->name, why)) != TQK_OK)
		return err;

	char code[4 * 3 + 1];
	if ((err = text_field(text, TQK_IDCARD_F_GENDER, code, sizeof code, why)) != TQK_OK)
		return err;
	if (strcmp(code, "1") == 0)
		out->gender = TQK_GENDER_MALE;
	else if (strcmp(code, "2") == 0)
		out->gender = TQK_GENDER_FEMALE;
	else
		return fail(why, TQK_IDCARD_F_GENDER, TQK_E_FIELD_VALUE, TQK_E_CARD_DATA);

	if ((err = text_field(text, TQK_IDCARD_F_NATION, code, sizeof code, why)) != TQK_OK)
		return err;
	const tqk_nation *nation = tqk_nation_by_digits(code, strlen(code));
	if (nation == NULL)
		return fail(why, TQK_IDCARD_F_NATION, TQK_E_FIELD_VALUE, TQK_E_CARD_DATA);
	out->nation = nation->code;

	if ((err = date_field(text, TQK_IDCARD_F_BIRTH, &out->birth, why)) != TQK_OK)
		return err;
	if ((err = text_field(text, TQK_IDCARD_F_ADDRESS, out->address, sizeof out->address,
	                      why)) != TQK_OK)
		return err;

	char id[18 * 3 + 1];
	if ((err = text_field(text, TQK_IDCARD_F_ID, id, sizeof id, why)) != TQK_OK)
		return err;
	if (strlen(id) != TQK_ID_LEN)
		return fail(why, TQK_IDCARD_F_ID, TQK_E_ID_LENGTH, TQK_E_CARD_DATA);
	tqk_idnum idnum;
	if ((err = tqk_id_parse(id, TQK_ID_LEN, today, &idnum)) != TQK_OK)
		return fail(why, TQK_IDCARD_F_ID, err, TQK_E_CARD_DATA);
	memcpy(out->id, idnum.id, sizeof out->id);
	if (idnum.birth.year != out->birth.year || idnum.birth.month != out->birth.month ||
	    idnum.birth.day != out->birth.day)
		return fail(why, TQK_IDCARD_F_BIRTH, TQK_E_FIELD_VALUE, TQK_E_CARD_DATA);
	if (idnum.gender != out->gender)
		return fail(why, TQK_IDCARD_F_GENDER, TQK_E_FIELD_VALUE, TQK_E_CARD_DATA);

	if ((err = text_field(text, TQK_IDCARD_F_AUTHORITY, out->authority,
	                      sizeof out->authority, why)) != TQK_OK)
		return err;
	if ((err = date_field(text, TQK_IDCARD_F_VALID_FROM, &out->valid_from, why)) != TQK_OK)
		return err;

	char to[8 * 3 + 1];
	if ((err = text_field(text, TQK_IDCARD_F_VALID_TO, to, sizeof to, why)) != TQK_OK)
		return err;
	if (strcmp(to, TQK_IDCARD_LONG_TERM) == 0) {
		out->long_term = true;
	} else {
		if ((err = date_field(text, TQK_IDCARD_F_VALID_TO, &out->valid_to, why)) != TQK_OK)
			return err;
		if (tqk_date_to_day(out->valid_to) <= tqk_date_to_day(out->valid_from))
			return fail(why, TQK_IDCARD_F_VALID_TO, TQK_E_FIELD_VALUE, TQK_E_CARD_DATA);
	}
	/* The reserved area is not looked at: later cards may use it. */
	return TQK_OK;
}

tqk_err tqk_idcard_decode(const uint8_t *text, size_t len, tqk_date today, tqk_idcard *out,
                          tqk_idcard_problem *why)
{
	assert(out != NULL && (text != NULL || len == 0));
	memset(out, 0, sizeof *out);
	if (why != NULL) {
		why->field = TQK_IDCARD_F_NONE;
		why->cause = TQK_OK;
	}
	tqk_err err = decode_fields(text, len, today, out, why);
	if (err != TQK_OK)
		memset(out, 0, sizeof *out); /* no half a card (personal data) left behind */
	return err;
}

tqk_err tqk_idcard_set_photo(tqk_idcard *card, const uint8_t *photo, size_t len)
{
	assert(card != NULL && (photo != NULL || len == 0));
	if (len != TQK_IDCARD_PHOTO_LEN)
		return TQK_E_CARD_DATA;
	memcpy(card->photo, photo, len);
	card->photo_len = len;
	return TQK_OK;
}

tqk_err tqk_idcard_decode_new_address(const uint8_t *data, size_t len, tqk_idcard *card,
                                      tqk_idcard_problem *why)
{
	assert(card != NULL && (data != NULL || len == 0));
	card->new_address[0] = '\0';
	if (len > TQK_IDCARD_NEWADDR_MAX)
		return fail(why, TQK_IDCARD_F_NEW_ADDRESS, TQK_E_TOO_LONG, TQK_E_CARD_DATA);
	if (len % 2 != 0)
		return fail(why, TQK_IDCARD_F_NEW_ADDRESS, TQK_E_UTF8, TQK_E_CARD_DATA);
	char buf[TQK_IDCARD_ADDRESS_CAP];
	if (ucs2_to_utf8(data, len, buf, sizeof buf) != TQK_OK)
		return fail(why, TQK_IDCARD_F_NEW_ADDRESS, TQK_E_UTF8, TQK_E_CARD_DATA);
	memcpy(card->new_address, buf, strlen(buf) + 1);
	return TQK_OK;
}

/* A YYYYMMDD field from d. */
static tqk_err put_date(tqk_date d, uint8_t *block, tqk_idcard_field f, tqk_idcard_problem *why)
{
	if (!tqk_date_valid(d))
		return fail(why, f, TQK_E_DATE_INVALID, TQK_E_DATE_INVALID);
	char buf[TQK_DATE_BUFLEN], digits[9];
	tqk_date_format(d, buf);
	memcpy(digits, buf, 4);
	memcpy(digits + 4, buf + 5, 2);
	memcpy(digits + 6, buf + 8, 2);
	digits[8] = '\0';
	tqk_err err = utf8_to_ucs2(digits, block + fields[f].off, fields[f].len, NULL);
	return err == TQK_OK ? TQK_OK : fail(why, f, err, err);
}

static tqk_err put_text(const char *s, uint8_t *block, tqk_idcard_field f,
                        tqk_idcard_problem *why)
{
	tqk_err err = utf8_to_ucs2(s, block + fields[f].off, fields[f].len, NULL);
	return err == TQK_OK ? TQK_OK : fail(why, f, err, err);
}

tqk_err tqk_idcard_encode(const tqk_idcard *card, uint8_t out[TQK_IDCARD_TEXT_LEN],
                          tqk_idcard_problem *why)
{
	assert(card != NULL && out != NULL);
	for (size_t i = 0; i < TQK_IDCARD_TEXT_LEN; i += 2) {
		out[i] = 0x20;
		out[i + 1] = 0x00;
	}
	/* The struct's arrays are NUL-terminated by contract; a missing NUL is
	 * a programmer error. */
	assert(memchr(card->name, '\0', sizeof card->name) != NULL);
	assert(memchr(card->address, '\0', sizeof card->address) != NULL);
	assert(memchr(card->id, '\0', sizeof card->id) != NULL);
	assert(memchr(card->authority, '\0', sizeof card->authority) != NULL);

	tqk_err err;
	if ((err = put_text(card->name, out, TQK_IDCARD_F_NAME, why)) != TQK_OK)
		return err;
	const char *gender = card->gender == TQK_GENDER_MALE     ? "1"
	                     : card->gender == TQK_GENDER_FEMALE ? "2"
	                                                         : NULL;
	if (gender == NULL)
		return fail(why, TQK_IDCARD_F_GENDER, TQK_E_FIELD_VALUE, TQK_E_FIELD_VALUE);
	if ((err = put_text(gender, out, TQK_IDCARD_F_GENDER, why)) != TQK_OK)
		return err;
	const tqk_nation *nation = tqk_nation_by_code(card->nation);
	if (nation == NULL)
		return fail(why, TQK_IDCARD_F_NATION, TQK_E_FIELD_VALUE, TQK_E_FIELD_VALUE);
	if ((err = put_text(nation->digits, out, TQK_IDCARD_F_NATION, why)) != TQK_OK)
		return err;
	if ((err = put_date(card->birth, out, TQK_IDCARD_F_BIRTH, why)) != TQK_OK)
		return err;
	if ((err = put_text(card->address, out, TQK_IDCARD_F_ADDRESS, why)) != TQK_OK)
		return err;
	if ((err = put_text(card->id, out, TQK_IDCARD_F_ID, why)) != TQK_OK)
		return err;
	if ((err = put_text(card->authority, out, TQK_IDCARD_F_AUTHORITY, why)) != TQK_OK)
		return err;
	if ((err = put_date(card->valid_from, out, TQK_IDCARD_F_VALID_FROM, why)) != TQK_OK)
		return err;
	if (card->long_term)
		err = put_text(TQK_IDCARD_LONG_TERM, out, TQK_IDCARD_F_VALID_TO, why);
	else
		err = put_date(card->valid_to, out, TQK_IDCARD_F_VALID_TO, why);
	return err;
}

tqk_err tqk_idcard_encode_new_address(const tqk_idcard *card, uint8_t *out, size_t cap,
                                      size_t *len)
{
	assert(card != NULL && out != NULL && len != NULL);
	assert(memchr(card->new_address, '\0', sizeof card->new_address) != NULL);
	uint8_t buf[TQK_IDCARD_NEWADDR_MAX];
	size_t units = 0;
	tqk_err err = utf8_to_ucs2(card->new_address, buf, sizeof buf, &units);
	if (err != TQK_OK)
		return err;
	if (units * 2 > cap)
		return TQK_E_TOO_LONG;
	memcpy(out, buf, units * 2);
	*len = units * 2;
	return TQK_OK;
}

void tqk_idcard_valid_to_format(const tqk_idcard *card, char buf[TQK_IDCARD_DATE_BUFLEN])
{
	assert(card != NULL && buf != NULL);
	if (card->long_term) {
		memcpy(buf, TQK_IDCARD_LONG_TERM, sizeof TQK_IDCARD_LONG_TERM);
		return;
	}
	tqk_date_format(card->valid_to, buf);
}

const char *tqk_idcard_gender_text(tqk_gender g)
{
	return tqk_gender_name(g, TQK_LANG_ZH);
}

const char *tqk_idcard_nation_text(int nation)
{
	const tqk_nation *n = tqk_nation_by_code(nation);
	return n != NULL ? n->zh : "";
}

const char *tqk_idcard_field_name(tqk_idcard_field f, tqk_lang lang)
{
	if ((unsigned)f >= TQK_IDCARD_F_COUNT)
		f = TQK_IDCARD_F_NONE;
	return fields[f].name[tqk_lang_or_default(lang)];
}
