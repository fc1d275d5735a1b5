/*
 * idnum.h - resident identity card numbers (GB 11643-1999).
 *
 * An 18-character number is: region code (6 digits) + birth date YYYYMMDD
 * (8) + sequence (3, odd for men, even for women) + check character, the
 * ISO 7064 MOD 11-2 check over the first 17 digits (weights 2^(17-i) mod 11,
 * remainder 0..10 mapped to 1 0 X 9 8 7 6 5 4 3 2). A 15-digit number from
 * before 1999 is region (6) + birth YYMMDD (6, in the 1900s) + sequence (3);
 * it converts by inserting "19" before the year and appending the check.
 *
 * The parser is strict: no spaces, no full-width digits; lower-case x is
 * accepted and written as X. When a certificate and the ID card disagree, the
 * card is right (seed, third text, 6): callers compare normalised numbers.
 */
#ifndef TQK_CORE_IDNUM_H
#define TQK_CORE_IDNUM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/err.h"

#define TQK_ID_LEN 18
#define TQK_ID_OLD_LEN 15
#define TQK_ID_BIRTH_YEAR_MIN 1900    /* no teacher alive was born earlier */

typedef enum tqk_gender {
	TQK_GENDER_UNKNOWN = 0,
	TQK_GENDER_MALE = 1,
	TQK_GENDER_FEMALE = 2
} tqk_gender;

typedef struct tqk_idnum {
	char id[TQK_ID_LEN + 1];    /* normalised 18 characters */
	char region[7];             /* first six digits */
	int province;               /* first two digits (region.h) */
	tqk_date birth;
	tqk_gender gender;
	bool converted;             /* given as an old 15-digit number */
} tqk_idnum;

/*
 * Validates s (len bytes, not NUL-terminated) against today's date and
 * fills out. Checks run in this order and the first failure is returned:
 * TQK_E_ID_LENGTH (not 15 or 18), TQK_E_ID_CHARS, TQK_E_ID_REGION (unknown
 * province), TQK_E_ID_DATE (no such day, before 1900 or after today),
 * TQK_E_ID_CHECKSUM (18-digit numbers only). out is untouched on failure.
 */
tqk_err tqk_id_parse(const char *s, size_t len, tqk_date today, tqk_idnum *out) TQK_MUST_CHECK;

/* The check character ('0'..'9' or 'X') of 17 digits. */
char tqk_id_check_char(const char digits17[17]);

/*
 * Writes the comparable form of s into out: 18 characters with X upper-cased,
 * a 15-digit number converted. Only length and characters are checked (a
 * number may be compared before it is known to be valid); returns
 * TQK_E_ID_LENGTH or TQK_E_ID_CHARS otherwise.
 */
tqk_err tqk_id_normalize(const char *s, size_t len, char out[TQK_ID_LEN + 1]) TQK_MUST_CHECK;

const char *tqk_gender_name(tqk_gender g, tqk_lang lang);
/* "male" / "female" / "unknown" */
const char *tqk_gender_code(tqk_gender g);

#endif
