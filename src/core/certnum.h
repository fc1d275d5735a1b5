/*
 * certnum.h - teacher-qualification certificate numbers.
 *
 * A certificate number has 17 digits and begins with the year it was issued.
 * Certificates issued before the 17-digit scheme carry 15 digits; they are
 * entered with "19" in front (seed, third text, 6; the fifth text allows
 * 15-17 digits while practising, which the system does not). Certificates
 * exist since the Teachers Law of 1993, so the year lies in 1993..this year.
 */
#ifndef TQK_CORE_CERTNUM_H
#define TQK_CORE_CERTNUM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define TQK_CERT_LEN 17
#define TQK_CERT_OLD_LEN 15
#define TQK_CERT_YEAR_MIN 1993

typedef struct tqk_certnum {
	char cert[TQK_CERT_LEN + 1];    /* normalised 17 digits */
	int year;                       /* the first four digits */
	bool converted;                 /* given with 15 digits */
} tqk_certnum;

/*
 * Validates s (len bytes) and fills out: TQK_E_CERT_LENGTH unless 15 or 17
 * bytes, TQK_E_CERT_CHARS unless all ASCII digits, TQK_E_CERT_YEAR unless the
 * year is within 1993..current_year. out is untouched on failure.
 */
tqk_err tqk_cert_parse(const char *s, size_t len, int current_year, tqk_certnum *out) TQK_MUST_CHECK;

#endif
