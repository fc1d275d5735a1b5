/*
 * idcard.h - the data of a resident identity card (二代身份证) as its reader
 * returns it: the 256-byte text block decoded into a plain struct, and back.
 *
 * The text block (in a 30 01 reply, sam.h) is UCS-2 little-endian, every
 * field padded on the right with spaces (20 00) to its fixed width:
 *
 *   offset  bytes  chars  field
 *   0       30     15     name (姓名)
 *   30      2      1      gender (性别): '1' male, '2' female (GB 2261)
 *   32      4      2      nation (民族): two digits of GB 3304 (nation.h)
 *   36      16     8      birth date (出生): YYYYMMDD
 *   52      70     35     address (住址)
 *   122     36     18     ID number (公民身份号码)
 *   158     30     15     issuing authority (签发机关)
 *   188     16     8      valid from (有效期起始): YYYYMMDD
 *   204     16     8      valid to (有效期截止): YYYYMMDD, or 长期 (long-term)
 *                         followed by six spaces
 *   220     36     18     reserved (spaces)
 *
 * The appended address of a card whose holder moved (the 30 03 reply's data)
 * is up to 70 bytes of the same encoding. The photo is 1024 bytes in a
 * proprietary wavelet format that is stored as it is and never decoded.
 *
 * Decoding is strict: a lone surrogate, a control character, a field that
 * is blank, a date that does not exist, an unknown gender or nation code,
 * an ID number that core rejects, or a birth date or gender that disagrees
 * with the ID number makes the card TQK_E_CARD_DATA, with the field at
 * fault reported. No allocation.
 */
#ifndef TQK_DEV_IDCARD_H
#define TQK_DEV_IDCARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "core/idnum.h"

#define TQK_IDCARD_TEXT_LEN    256
#define TQK_IDCARD_PHOTO_LEN   1024
#define TQK_IDCARD_NEWADDR_MAX 70      /* bytes of an appended address, at most */

/* Byte offsets and lengths within the text block (table above). */
enum {
	TQK_IDCARD_OFF_NAME = 0,        TQK_IDCARD_LEN_NAME = 30,
	TQK_IDCARD_OFF_GENDER = 30,     TQK_IDCARD_LEN_GENDER = 2,
	TQK_IDCARD_OFF_NATION = 32,     TQK_IDCARD_LEN_NATION = 4,
	TQK_IDCARD_OFF_BIRTH = 36,      TQK_IDCARD_LEN_BIRTH = 16,
	TQK_IDCARD_OFF_ADDRESS = 52,    TQK_IDCARD_LEN_ADDRESS = 70,
	TQK_IDCARD_OFF_ID = 122,        TQK_IDCARD_LEN_ID = 36,
	TQK_IDCARD_OFF_AUTHORITY = 158, TQK_IDCARD_LEN_AUTHORITY = 30,
	TQK_IDCARD_OFF_FROM = 188,      TQK_IDCARD_LEN_FROM = 16,
	TQK_IDCARD_OFF_TO = 204,        TQK_IDCARD_LEN_TO = 16,
	TQK_IDCARD_OFF_RESERVED = 220,  TQK_IDCARD_LEN_RESERVED = 36,
};

/* UTF-8 capacities, NUL included: a UCS-2 character takes at most 3 bytes. */
#define TQK_IDCARD_NAME_CAP      (15 * 3 + 1)
#define TQK_IDCARD_ADDRESS_CAP   (35 * 3 + 1)
#define TQK_IDCARD_AUTHORITY_CAP (15 * 3 + 1)
/* "YYYY-MM-DD" or "长期", NUL included. */
#define TQK_IDCARD_DATE_BUFLEN   TQK_DATE_BUFLEN

/* The long-term validity as the card writes it. */
#define TQK_IDCARD_LONG_TERM "长期"

/* One card; a plain value the caller owns. Strings are UTF-8 without the
 * padding. */
typedef struct tqk_idcard {
	char name[TQK_IDCARD_NAME_CAP];
	tqk_gender gender;                   /* male or female */
	int nation;                          /* GB 3304 code (nation.h) */
	tqk_date birth;
	char address[TQK_IDCARD_ADDRESS_CAP];
	char id[TQK_ID_LEN + 1];             /* 18 characters, X upper case */
	char authority[TQK_IDCARD_AUTHORITY_CAP];
	tqk_date valid_from;
	tqk_date valid_to;                   /* {0, 0, 0} when long_term */
	bool long_term;                      /* valid to 长期 */
	char new_address[TQK_IDCARD_ADDRESS_CAP]; /* appended address; "" when none */
	size_t photo_len;                    /* TQK_IDCARD_PHOTO_LEN, or 0 when not read */
	uint8_t photo[TQK_IDCARD_PHOTO_LEN];
} tqk_idcard;

/* Which field a decoding or encoding failure is about. */
typedef enum tqk_idcard_field {
	TQK_IDCARD_F_NONE = 0,   /* the block as a whole (wrong length) */
	TQK_IDCARD_F_NAME,
	TQK_IDCARD_F_GENDER,
	TQK_IDCARD_F_NATION,
	TQK_IDCARD_F_BIRTH,
	TQK_IDCARD_F_ADDRESS,
	TQK_IDCARD_F_ID,
	TQK_IDCARD_F_AUTHORITY,
	TQK_IDCARD_F_VALID_FROM,
	TQK_IDCARD_F_VALID_TO,
	TQK_IDCARD_F_NEW_ADDRESS,
	TQK_IDCARD_F_PHOTO,
	TQK_IDCARD_F_COUNT
} tqk_idcard_field;

/* What was wrong, for logs and the admin screen: the field, and the finer
 * cause (TQK_E_UTF8 for a surrogate or control character, TQK_E_ID_* from
 * tqk_id_parse, TQK_E_DATE_INVALID, TQK_E_TOO_LONG, TQK_E_FIELD_REQUIRED for
 * a blank field, TQK_E_FIELD_VALUE for a bad code or a disagreement). */
typedef struct tqk_idcard_problem {
	tqk_idcard_field field;
	tqk_err cause;
} tqk_idcard_problem;

/*
 * Decodes the text block text[0..len) into *out, checking the ID number
 * against today (a birth date after today is wrong). *out is cleared first
 * (no photo, no appended address), and cleared again on failure so that no
 * part of a refused card stays behind.
 * Fails with TQK_E_CARD_DATA, and then sets *why when it is not NULL.
 */
tqk_err tqk_idcard_decode(const uint8_t *text, size_t len, tqk_date today, tqk_idcard *out,
                          tqk_idcard_problem *why) TQK_MUST_CHECK;

/* Copies the photo (exactly TQK_IDCARD_PHOTO_LEN bytes) into card.
 * TQK_E_CARD_DATA (field photo) for any other length. */
tqk_err tqk_idcard_set_photo(tqk_idcard *card, const uint8_t *photo, size_t len) TQK_MUST_CHECK;

/* Decodes an appended address (the 30 03 reply's data, 0..70 bytes) into
 * card->new_address; "" when it is blank. TQK_E_CARD_DATA (field
 * new_address) as for the text block. */
tqk_err tqk_idcard_decode_new_address(const uint8_t *data, size_t len, tqk_idcard *card,
                                      tqk_idcard_problem *why) TQK_MUST_CHECK;

/*
 * The inverse, for the simulator and tests: writes card's fields into
 * out[0..256), padded with spaces (the reserved area too). Checks only that
 * each field can be written: valid UTF-8 of characters U+0020..U+FFFD
 * outside the surrogates (TQK_E_UTF8), within its width (TQK_E_TOO_LONG),
 * a known gender and nation code (TQK_E_FIELD_VALUE), existing dates
 * (TQK_E_DATE_INVALID). It does not check that the card makes sense, so that
 * tests can write cards that decoding refuses. *why as above.
 */
tqk_err tqk_idcard_encode(const tqk_idcard *card, uint8_t out[TQK_IDCARD_TEXT_LEN],
                          tqk_idcard_problem *why) TQK_MUST_CHECK;

/* card->new_address as a 30 03 reply's data into out[0..cap), its length
 * (even, at most 70, no padding) into *len. TQK_E_UTF8, TQK_E_TOO_LONG. */
tqk_err tqk_idcard_encode_new_address(const tqk_idcard *card, uint8_t *out, size_t cap,
                                      size_t *len) TQK_MUST_CHECK;

/* "YYYY-MM-DD", or 长期 for a long-term card, into buf. */
void tqk_idcard_valid_to_format(const tqk_idcard *card, char buf[TQK_IDCARD_DATE_BUFLEN]);

/* The gender as the card prints it: "男" / "女" ("未知" otherwise). */
const char *tqk_idcard_gender_text(tqk_gender g);

/* The nation's short name as the card prints it ("汉"); "" for an unknown
 * code. */
const char *tqk_idcard_nation_text(int nation);

/* The field's name in lang ("住址" / "address"); never NULL. */
const char *tqk_idcard_field_name(tqk_idcard_field f, tqk_lang lang);

#endif
