/*
 * uuid.c - formatting and checking version-4 uuids.
 */
#include "core/uuid.h"

#include <string.h>

static const char hex[] = "0123456789abcdef";

void tqk_uuid_format(const uint8_t random[16], char out[TQK_UUID_CAP])
{
	uint8_t b[16];
	memcpy(b, random, sizeof b);
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);     /* version 4 */
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);     /* variant 1 */
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0f];
	}
	out[o] = '\0';
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool tqk_uuid_valid(const char *s)
{
	if (s == NULL || strnlen(s, TQK_UUID_CAP) != TQK_UUID_LEN)
		return false;
	for (int i = 0; i < TQK_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !is_hex(s[i]))
			return false;
	}
	return s[14] == '4' && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}
