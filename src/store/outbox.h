/*
 * outbox.h - the queue of records waiting to be uploaded to the county server.
 *
 * One row per record (confirmation, correction, walk-in application), keyed
 * by the record's uuid, which is the idempotency key of the upload. A row is
 * pending until a batch claims it (sending); the server's answer makes it
 * acked, or rejected (a poisoned record, kept aside so it never blocks the
 * rest), or pending again with a later next-attempt time.
 *
 * A confirmation or a teacher's change of a walk-in (walkin.h) is not claimed before the
 * walk-in itself is acked: the server knows its number only from then on.
 *
 * A claim is a lease: a row stays sending for TQK_OUTBOX_LEASE seconds, and
 * a later claim takes it again once the lease has run out (its sender
 * crashed or hung). Nothing is reset when a store is opened, so an
 * administrator's command never disturbs an upload in flight; the server
 * answers a repeated uuid without storing it twice.
 */
#ifndef TQK_STORE_OUTBOX_H
#define TQK_STORE_OUTBOX_H

#include <stdbool.h>
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

/* The server's answer for one claimed row. */
typedef struct tqk_outbox_answer {
	const char *uuid;
	/* ACKED: the server stored it (or had it already); REJECTED: refused
	 * for good, kept aside; PENDING: it did not get through, try again at
	 * next_attempt. */
	tqk_outbox_state state;
	const char *error;              /* why (no personal data); NULL: "" */
	tqk_time next_attempt;          /* PENDING only */
	/* ACKED walk-ins (store/walkin.h): the official number the server gave,
	 * recorded in the same transaction; NULL otherwise. One the store
	 * cannot take (another application holds it, the walk-in has another)
	 * makes the row REJECTED with an error saying so. */
	const char *official;
} tqk_outbox_answer;

/*
 * Records n answers in ONE transaction: each row that is sending moves to
 * its answer's state with one more attempt, its error as last_error, and
 * one audit row of its own ("upload.acked", "upload.rejected" or
 * "upload.retry", the error as detail), all at now. A row that is not
 * sending (another uploader's answer came first) is left alone, without an
 * audit row: answered[i] (when answered is not NULL) tells which rows
 * moved. Fails, recording nothing, with TQK_E_ARG for a state other than
 * those three, TQK_E_TOO_LONG for an error of TQK_OUTBOX_ERROR_CAP bytes or
 * more, or the store's failures.
 */
tqk_err tqk_store_outbox_answer(tqk_store *s, const tqk_outbox_answer *answers, size_t n,
                                tqk_time now, bool *answered) TQK_MUST_CHECK;

/* The three answers below are tqk_store_outbox_answer() for one row; they
 * fail with TQK_E_STORE_OUTBOX unless the row is sending. */

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

/*
 * The rows in state st, oldest first, after the row with uuid after (NULL
 * or "": from the first): up to cap into items, without their payloads
 * (payload is NULL: a listing must not spread personal data), *n filled,
 * *more telling whether rows follow (pass items[*n - 1].uuid as after for
 * the next page). TQK_E_ARG for a state out of range, TQK_E_STORE_NOT_FOUND
 * for an after that is no row; otherwise the store's failures.
 */
tqk_err tqk_store_outbox_list(tqk_store *s, tqk_outbox_state st, const char *after,
                              tqk_outbox_item *items, size_t cap, size_t *n,
                              bool *more) TQK_MUST_CHECK;

/*
 * An administrator sends a quarantined row again: rejected -> pending, due
 * at now (its attempts and last error kept), with an audit row
 * "upload.requeue" in the same transaction. TQK_E_STORE_NOT_FOUND for an
 * unknown uuid, TQK_E_STORE_OUTBOX for a row that is not rejected;
 * otherwise the store's failures.
 */
tqk_err tqk_store_outbox_requeue(tqk_store *s, const char *uuid, tqk_time now) TQK_MUST_CHECK;

/*
 * Rows waiting (pending, or sending under a lease) whose next attempt lies
 * more than horizon seconds after now were scheduled by a clock that ran
 * ahead (a kiosk that booted without network and a wrong wall clock); they
 * become due at now, so that they never wait for that clock to come true.
 * The uploader calls it once its clock is anchored to the server's. How
 * many rows changed goes to *n. Fails only with the store's failures.
 */
tqk_err tqk_store_outbox_reschedule(tqk_store *s, tqk_time now, int64_t horizon,
                                    size_t *n) TQK_MUST_CHECK;

#endif
