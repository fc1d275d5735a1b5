/*
 * region.h - province-level administrative division codes (GB/T 2260).
 *
 * The first two digits of an ID number name the province-level division
 * where it was issued. 81/82 are Hong Kong and Macau, 71 Taiwan, and 83 the
 * residence permits of Taiwan residents on the mainland.
 */
#ifndef TQK_CORE_REGION_H
#define TQK_CORE_REGION_H

#include <stdbool.h>

#include "core/err.h"

/* True when code (10..99) names a province-level division. */
bool tqk_province_known(int code);

/* The division's short name ("湖南省" / "Hunan"), or NULL for an unknown code. */
const char *tqk_province_name(int code, tqk_lang lang);

#endif
