/*
 * json_util.h - the small helpers that json.c and api.c share for reading
 * and writing JSON members with jansson: strict, capped string reads and
 * copies, text that always encodes, and building an object member by member
 * with one check for running out of memory at the end. Internal to
 * src/proto: nothing outside it includes this file.
 */
#ifndef TQK_PROTO_JSON_UTIL_H
#define TQK_PROTO_JSON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/err.h"
#include "core/text.h"

/* ---- decoding ---- */

enum ju_presence {
	JU_REQUIRED,    /* present and not null */
	JU_OPTIONAL,    /* may be left out or null: reads as "" */
	JU_ABSENT_OK    /* may be left out (reads as ""), not null */
};

/* The string member key of obj into *s (owned by obj), "" when it may be
 * and is left out. A string holding U+0000 would be cut short: refused. */
static inline tqk_err ju_get_string(const json_t *obj, const char *key, enum ju_presence p,
                                    const char **s, size_t *len)
{
	const json_t *v = json_object_get(obj, key);
	if (v == NULL || (p == JU_OPTIONAL && json_is_null(v))) {
		*s = "";
		*len = 0;
		return p == JU_REQUIRED ? TQK_E_JSON_TYPE : TQK_OK;
	}
	if (!json_is_string(v))
		return TQK_E_JSON_TYPE;
	*s = json_string_value(v);
	*len = json_string_length(v);
	return memchr(*s, '\0', *len) == NULL ? TQK_OK : TQK_E_FIELD_VALUE;
}

/* The same into buf (cap bytes); TQK_E_TOO_LONG when it does not fit. */
static inline tqk_err ju_copy_string(const json_t *obj, const char *key, enum ju_presence p,
                                     char *buf, size_t cap)
{
	const char *s;
	size_t n;
	tqk_err err = ju_get_string(obj, key, p, &s, &n);
	if (err != TQK_OK)
		return err;
	if (n >= cap)
		return TQK_E_TOO_LONG;
	memcpy(buf, s, n + 1);
	return TQK_OK;
}

/* Evaluates call; on failure names member w in *where and returns the
 * error. Needs a local tqk_err err and a const char **where in scope. */
#define JU_TRY(w, call) do { \
		if ((err = (call)) != TQK_OK) { \
			*where = (w); \
			return err; \
		} \
	} while (0)

/* ---- encoding ---- */

/*
 * A JSON string of the text in s (at most cap bytes, terminated or not).
 * Records that passed their checks hold UTF-8; in any other, each byte that
 * is not becomes U+FFFD, so that every record encodes.
 */
static inline json_t *ju_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (tqk_utf8_valid(s, n))
		return json_stringn(s, n);
	char *fixed = malloc(3 * n + 1);
	if (fixed == NULL)
		return NULL;
	size_t pos = 0, len = 0;
	while (pos < n) {
		size_t start = pos;
		if (tqk_utf8_next(s, n, &pos) < 0) {
			memcpy(fixed + len, "\xEF\xBF\xBD", 3);
			len += 3;
		} else {
			memcpy(fixed + len, s + start, pos - start);
			len += pos - start;
		}
	}
	json_t *v = json_stringn(fixed, len);
	free(fixed);
	return v;
}

/* Adds value under key; false when value is NULL (out of memory). */
static inline bool ju_put(json_t *obj, const char *key, json_t *value)
{
	return json_object_set_new(obj, key, value) == 0;
}

/* The encoded object, or NULL (and obj released) when a put failed. */
static inline json_t *ju_finish(json_t *obj, bool ok)
{
	if (!ok) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

#endif
