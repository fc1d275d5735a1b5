/*
 * hid_build.h - the scan being collected, shared by the decoders of hid.c
 * and the wedge detector of hid_wedge.c (internal to src/dev).
 *
 * Bytes are added up to TQK_SCAN_MAX; past the cap the scan is marked over
 * and nothing more is kept, so it can only end as TQK_E_TOO_LONG.
 */
#ifndef TQK_DEV_HID_BUILD_H
#define TQK_DEV_HID_BUILD_H

#include <string.h>

#include "dev/hid.h"

static inline void hid_build_reset(tqk_hid_build *b)
{
	b->len = 0;
	b->over = false;
	b->bad = TQK_OK;
	b->sym[0] = '\0';
}

static inline void hid_build_add(tqk_hid_build *b, const void *s, size_t n)
{
	if (b->over || n == 0)
		return;
	if (n > TQK_SCAN_MAX - b->len) {
		b->over = true;
		return;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
}

/* Nothing collected: no byte, no overflow, nothing spoilt. */
static inline bool hid_build_empty(const tqk_hid_build *b)
{
	return b->len == 0 && !b->over && b->bad == TQK_OK;
}

/* Writes b as an ended scan from src into *s (text only when it is good)
 * and resets b. */
static inline void hid_build_finish(tqk_hid_build *b, tqk_hid_source src, tqk_hid_scan *s)
{
	s->err = b->over ? TQK_E_TOO_LONG : b->bad;
	s->source = src;
	memcpy(s->sym, b->sym, sizeof s->sym);
	s->len = s->err == TQK_OK ? b->len : 0;
	memcpy(s->text, b->buf, s->len);
	s->text[s->len] = '\0';
	hid_build_reset(b);
}

#endif
