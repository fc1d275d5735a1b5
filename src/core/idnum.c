/*
 * idnum.c - ID number validation, 15-to-18 conversion and derived fields.
 */
#include "core/idnum.h"

#include <assert.h>
#include <string.h>

#include "core/region.h"
#include "core/text.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

char tqk_id_check_char(const char digits17[17])
{
	static const char map[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
	int sum = 0, weight = 1;
	/* Walk from the last digit (weight 2^1 mod 11) to the first (2^17). */
	for (int i = 16; i >= 0; i--) {
		weight = weight * 2 % 11;
		sum += (digits17[i] - '0') * weight;
	}
	return map[sum % 11];
}

/* Length and characters only; see the header. */
tqk_err tqk_id_normalize(const char *s, size_t len, char out[TQK_ID_LEN + 1])
{
	assert(s != NULL && out != NULL);
	if (len != TQK_ID_LEN && len != TQK_ID_OLD_LEN)
		return TQK_E_ID_LENGTH;
	for (size_t i = 0; i < len; i++) {
		bool last = i == TQK_ID_LEN - 1;
		if (!is_digit(s[i]) && !(last && (s[i] == 'X' || s[i] == 'x')))
			return TQK_E_ID_CHARS;
	}
	if (len == TQK_ID_LEN) {
		memcpy(out, s, TQK_ID_LEN);
		if (out[17] == 'x')
			out[17] = 'X';
	} else {
		memcpy(out, s, 6);
		out[6] = '1';
		out[7] = '9';
		memcpy(out + 8, s + 6, 9);
		out[17] = tqk_id_check_char(out);
	}
	out[TQK_ID_LEN] = '\0';
	return TQK_OK;
}

tqk_err tqk_id_parse(const char *s, size_t len, tqk_date today, tqk_idnum *out)
{
	assert(s != NULL && out != NULL && tqk_date_valid(today));
	char id[TQK_ID_LEN + 1];
	tqk_err err = tqk_id_normalize(s, len, id);
	if (err != TQK_OK)
		return err;
	if (!tqk_province_known(tqk_decimal(id, 2)))
		return TQK_E_ID_REGION;

	tqk_date birth = {tqk_decimal(id + 6, 4), tqk_decimal(id + 10, 2), tqk_decimal(id + 12, 2)};
	if (!tqk_date_valid(birth) || birth.year < TQK_ID_BIRTH_YEAR_MIN ||
	    tqk_date_to_day(birth) > tqk_date_to_day(today))
		return TQK_E_ID_DATE;
	/* A converted number got its check character from us. */
	if (len == TQK_ID_LEN && tqk_id_check_char(id) != id[17])
		return TQK_E_ID_CHECKSUM;

	memcpy(out->id, id, sizeof id);
	memcpy(out->region, id, 6);
	out->region[6] = '\0';
	out->province = tqk_decimal(id, 2);
	out->birth = birth;
	out->gender = (id[16] - '0') % 2 ? TQK_GENDER_MALE : TQK_GENDER_FEMALE;
	out->converted = len == TQK_ID_OLD_LEN;
	return TQK_OK;
}

const char *tqk_gender_name(tqk_gender g, tqk_lang lang)
{
	static const char *names[3][TQK_LANG_COUNT] = {
		{"未知", "unknown"}, {"男", "male"}, {"女", "female"}};
	if ((unsigned)g > TQK_GENDER_FEMALE)
		g = TQK_GENDER_UNKNOWN;
	return names[g][tqk_lang_or_default(lang)];
}

const char *tqk_gender_code(tqk_gender g)
{
	return tqk_gender_name(g, TQK_LANG_EN);
}
