/*
 * outbox.h - the queue of records waiting to be uploaded to the county server.
 *
 * One row per record (confirmation, correction, walk-in application), keyed
 * by the record's uuid, which is the idempotency key of the upload. A row is
 * pending until a batch claims it (sending); the server's answer makes it
 * acked, or rejected (a poisoned record, kept aside so it never blocks the
 * rest), or pending again with a later next-attempt time.
 *
 * A claim is a lease: a row stays sending for TQK_OUTBOX_LEASE seconds, and
 * a later claim takes it again once the lease has run out (its sender
 * crashed or hung). Nothing is reset when a store is opened, so an
 * administrator's command never disturbs an upload in flight; the server
 * answers a repeated uuid without storing it twice.
 */
#ifndef TQK_STORE_OUTBOX_H
#define TQK_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/uuid.h"
#include "store/store.h"

typedef enum tqk_outbox_state {
	TQK_OUTBOX_PENDING = 0,
	TQK_OUTBOX_SENDING,
	TQK_OUTBOX_ACKED,
	TQK_OUTBOX_REJECTED,
	TQK_OUTBOX_STATES
} tqk_outbox_state;

const char *tqk_outbox_state_code(tqk_outbox_state st);   /* "pending", ... */

typedef struct tqk_outbox_counts {
	size_t n[TQK_OUTBOX_STATES];
	tqk_time oldest_pending;        /* creation time; 0 when none is pending */
} tqk_outbox_counts;

tqk_err tqk_store_outbox_counts(tqk_store *s, tqk_outbox_counts *out) TQK_MUST_CHECK;

#define TQK_OUTBOX_LEASE 300          /* seconds a claim lasts */
#define TQK_OUTBOX_KIND_CAP 24
#define TQK_OUTBOX_ERROR_CAP 257

typedef struct tqk_outbox_item {
	char uuid[TQK_UUID_CAP];
	char kind[TQK_OUTBOX_KIND_CAP];     /* "confirmation", ... */
	char *payload;                      /* JSON, owned: tqk_outbox_item_clear() */
	tqk_outbox_state state;
	int attempts;
	tqk_time created, next_attempt;
	char last_error[TQK_OUTBOX_ERROR_CAP];
} tqk_outbox_item;

void tqk_outbox_item_clear(tqk_outbox_item *item);

/*
 * Claims up to max rows (oldest first) that are pending and due at now, or
 * sending with their lease run out, and marks them sending until
 * now + TQK_OUTBOX_LEASE, in one transaction. *n tells how many were filled;
 * the caller clears each item.
 */
tqk_err tqk_store_outbox_claim(tqk_store *s, tqk_time now, size_t max, tqk_outbox_item *items,
                               size_t *n) TQK_MUST_CHECK;

/* The three answers below fail with TQK_E_STORE_OUTBOX unless the row is
 * sending; each appends an audit row in the same transaction. */

/* The server stored it (or had it already): sending -> acked. */
tqk_err tqk_store_outbox_acked(tqk_store *s, const char *uuid, tqk_time now) TQK_MUST_CHECK;
/* It did not get through: sending -> pending, one more attempt, next try at
 * next_attempt; error says why (no personal data). */
tqk_err tqk_store_outbox_retry(tqk_store *s, const char *uuid, const char *error,
                               tqk_time now, tqk_time next_attempt) TQK_MUST_CHECK;
/* The server refused it for good: sending -> rejected, error says why. */
tqk_err tqk_store_outbox_rejected(tqk_store *s, const char *uuid, const char *error,
                                  tqk_time now) TQK_MUST_CHECK;

/* One row by uuid (payload included); TQK_E_STORE_NOT_FOUND. */
tqk_err tqk_store_outbox_get(tqk_store *s, const char *uuid, tqk_outbox_item *out) TQK_MUST_CHECK;

#endif
