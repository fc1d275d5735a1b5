/*
 * audit.h - the append-only audit trail, chained by SHA-256.
 *
 * Every change the kiosk makes for a person (a confirmation, an import, an
 * upload's outcome, a purge, a restore) appends one row: when, who (kiosk and
 * clerk ids, or "admin"), what, on which record, and a short detail. No
 * personal data goes in: records are named by uuid or archive number.
 *
 * Row n stores hash_n = SHA-256(hash_{n-1} || row n's content), with
 * hash_0 = 32 zero bytes, and the content is length-prefixed so that no two
 * different rows serialise alike. Removing, changing or reordering any row
 * breaks the chain at that row; the verifier names it.
 */
#ifndef TQK_STORE_AUDIT_H
#define TQK_STORE_AUDIT_H

#include <stdint.h>

#include "core/date.h"
#include "store/store.h"

#define TQK_AUDIT_TEXT_CAP 257

/* Appends one row in its own transaction (the store's own writes append
 * theirs inside the transaction they audit). Texts are capped at
 * TQK_AUDIT_TEXT_CAP - 1 bytes (TQK_E_TOO_LONG). */
tqk_err tqk_store_audit_append(tqk_store *s, tqk_time at, const char *actor, const char *action,
                               const char *subject, const char *detail) TQK_MUST_CHECK;

typedef struct tqk_audit_report {
	int64_t rows;           /* rows checked */
	int64_t first_bad;      /* seq of the first row that does not verify; 0: none */
	const char *why;        /* what is wrong with it (English, static) */
} tqk_audit_report;

/* Walks the whole chain. TQK_OK when it verifies; TQK_E_STORE_AUDIT with
 * the report filled when it does not. */
tqk_err tqk_store_audit_verify(tqk_store *s, tqk_audit_report *out) TQK_MUST_CHECK;

#endif
