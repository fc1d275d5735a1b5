/*
 * certnum.c - certificate number validation and 15-to-17 conversion.
 */
#include "core/certnum.h"

#include <assert.h>
#include <string.h>

#include "core/text.h"

tqk_err tqk_cert_parse(const char *s, size_t len, int current_year, tqk_certnum *out)
{
	assert(s != NULL && out != NULL);
	if (len != TQK_CERT_LEN && len != TQK_CERT_OLD_LEN)
		return TQK_E_CERT_LENGTH;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return TQK_E_CERT_CHARS;

	char cert[TQK_CERT_LEN + 1];
	size_t prefix = TQK_CERT_LEN - len;        /* 0 or 2 */
	memcpy(cert, "19", prefix);
	memcpy(cert + prefix, s, len);
	cert[TQK_CERT_LEN] = '\0';

	int year = tqk_decimal(cert, 4);
	if (year < TQK_CERT_YEAR_MIN || year > current_year)
		return TQK_E_CERT_YEAR;

	memcpy(out->cert, cert, sizeof cert);
	out->year = year;
	out->converted = prefix != 0;
	return TQK_OK;
}
