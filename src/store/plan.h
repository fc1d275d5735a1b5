/*
 * plan.h - the county's plan for this site in the local store: the
 * application window, the confirmation period, the opening hours and the
 * holiday calendar (the server's GET /v1/plan, proto/api.h), and the
 * county's public keys that verify the QR payloads of printed forms
 * (core/payload.h). The kiosk's opening window is computed from it, the
 * purge reads the end of the confirmation period from it, and a scanned
 * form is verified offline with its keys.
 *
 * The store holds one plan, the one with the highest revision it has seen:
 * an older or equal revision never replaces it, so downloading the same plan
 * every round changes nothing and writes nothing.
 */
#ifndef TQK_STORE_PLAN_H
#define TQK_STORE_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "proto/api.h"
#include "store/store.h"

/* The setting that carries the plan's confirm_end ("YYYY-MM-DD") for the
 * purge (tqkioskctl purge reads it). */
#define TQK_PLAN_PERIOD_END_SETTING "plan.period_end"

/*
 * Stores p when no plan is stored yet or p->rev is higher than the stored
 * one's, in one transaction with the setting TQK_PLAN_PERIOD_END_SETTING and
 * an audit row "plan.store"; *stored tells whether it did (false and TQK_OK
 * for a revision that is not newer). p is checked first and nothing is
 * written when it fails: TQK_E_ARG for a negative revision or an empty
 * site, TQK_E_TOO_LONG for a text over its cap or a calendar over
 * TQK_API_CALENDAR_MAX bytes, TQK_E_DATE_INVALID for a date that does not
 * exist, TQK_E_PERIOD for a start after its end, TQK_E_HOURS unless
 * 0 <= opens < closes <= 24:00, the calendar's own errors
 * (tqk_calendar_parse) for a calendar text that does not parse,
 * TQK_E_FIELD_VALUE for a key set that is not tqk_keyset_valid, and
 * TQK_E_STORE_SITE for a plan of another site than this kiosk's (when the
 * site is set up). Otherwise only the store's failures. The keys are
 * replaced with the plan, in the same transaction.
 */
tqk_err tqk_store_plan_put(tqk_store *s, const tqk_plan *p, tqk_time now,
                           bool *stored) TQK_MUST_CHECK;

/*
 * The stored plan into *out, its keys included; out->calendar is malloc'd
 * (never NULL: "" for no calendar), to be released with tqk_plan_clear() or
 * free(). Fails with TQK_E_STORE_NOT_FOUND before the first plan,
 * TQK_E_NOMEM, TQK_E_STORE_CORRUPT for a stored key that does not parse, or
 * the store's failures; *out is zeroed then.
 */
tqk_err tqk_store_plan_get(tqk_store *s, tqk_plan *out) TQK_MUST_CHECK;

/*
 * The public keys of the stored plan, in the server's order, into *out (an
 * empty set when the plan has none). Fails with TQK_E_STORE_NOT_FOUND
 * before the first plan, TQK_E_STORE_CORRUPT for a stored key that does not
 * parse, or the store's failures; *out is empty then.
 */
tqk_err tqk_store_plan_keys(tqk_store *s, tqk_keyset *out) TQK_MUST_CHECK;

/* The stored plan's revision, -1 when none is stored. Fails only with the
 * store's failures. */
tqk_err tqk_store_plan_rev(tqk_store *s, int64_t *rev) TQK_MUST_CHECK;

#endif
