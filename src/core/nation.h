/*
 * nation.h - the nation (民族) codes of GB 3304 as the ID card holds them.
 *
 * The card stores two digits: 01..56 for the 56 ethnic groups in the
 * standard's order (01 汉 ... 56 基诺), 97 其他 (other) and 98 外国血统中国籍
 * 人士 (Chinese citizens of foreign origin). The card prints the short name
 * ("汉", "蒙古"); forms and the national system write the full one with 族
 * ("汉族", "蒙古族"); 97 and 98 have no 族. English names are the usual
 * ethnonyms (Han, Mongol, Hui, Tibetan, ...).
 *
 * A constant table: no allocation, no state.
 */
#ifndef TQK_CORE_NATION_H
#define TQK_CORE_NATION_H

#include <stddef.h>

#include "core/err.h"

#define TQK_NATION_COUNT 58        /* 56 groups + 97 + 98 */
#define TQK_NATION_OTHER 97
#define TQK_NATION_FOREIGN 98

typedef struct tqk_nation {
	int code;           /* 1..56, 97, 98 */
	const char *digits; /* the code as the card writes it: "01" */
	const char *zh;     /* as on the card: "汉" */
	const char *zh_full;/* as on forms: "汉族" ("其他" for 97) */
	const char *en;     /* "Han" */
} tqk_nation;

/* The entry for code, or NULL when GB 3304 has no such code. */
const tqk_nation *tqk_nation_by_code(int code);

/* The entry for exactly two ASCII digits at s (len bytes, e.g. "05"), or
 * NULL for anything else (other lengths, signs, spaces, unknown codes). */
const tqk_nation *tqk_nation_by_digits(const char *s, size_t len);

/*
 * The entry whose name s (len bytes of UTF-8, outer spaces ignored) is:
 * the short name as on the card ("回"), the full name ("回族") or the
 * English name in any case ("hui"). NULL when none matches.
 */
const tqk_nation *tqk_nation_by_name(const char *s, size_t len);

/* Entry i (0 <= i < TQK_NATION_COUNT) in code order, for pick lists;
 * NULL beyond. */
const tqk_nation *tqk_nation_at(size_t i);

/* The name to show a person in lang: the full Chinese name, or English. */
const char *tqk_nation_name(const tqk_nation *n, tqk_lang lang);

#endif
