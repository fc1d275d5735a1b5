/*
 * test_store_outbox.c - the upload queue in the local store
 * (store/outbox.h): the counts per state and the oldest pending record, a
 * batch claimed oldest first up to its size and only when due, the server's
 * three answers (acked, retry with a later next attempt, rejected) with
 * their attempt counts and errors, refusals of answers to rows that are not
 * being sent, a rejected record that never blocks the rest, rows left
 * "sending" by a crash claimed again once their lease runs out (and not
 * disturbed by reopening the store), the audit row each answer
 * adds to a chain that still verifies, and a batch of answers recorded in
 * one transaction (rows not sending left alone, a bad answer recording
 * nothing). The queue is filled the way the kiosk
 * fills it: by committing confirmations.
 */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/confirmation.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/rawdb.h"

#define T0 FIXTURE_NOW
#define UUID_UNKNOWN "0b6e3d52-3f0e-4c4a-9d8e-5a1c2b3d4e5f"
#define QUEUED 4        /* confirmations queued by fill() */

struct env {
	char dir[512];
	char path[600];
	tqk_store *s;
	tqk_confirmation c[QUEUED];     /* c[i] of application i at T0 + 60 i */
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/kiosk.db", e->dir);
	assert_int_equal(fixture_store(e->path, QUEUED, 0, &e->s), TQK_OK);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	tqk_store_free(e->s);
	fixture_rmdir(e->dir);
	free(e);
	return 0;
}

/* Queues n confirmations, one a minute from T0. */
static void fill(struct env *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tqk_application a;
		fixture_app((unsigned)i, FIXTURE_SITE, &a);
		fixture_confirmation(a.reg_no, &e->c[i]);
		e->c[i].at = T0 + 60 * (tqk_time)i;
		assert_int_equal(tqk_store_confirm(e->s, &e->c[i]), TQK_OK);
	}
}

/* ---- helpers on the queue ---- */

static tqk_outbox_counts counts(struct env *e)
{
	tqk_outbox_counts c;
	assert_int_equal(tqk_store_outbox_counts(e->s, &c), TQK_OK);
	return c;
}

static void assert_counts(struct env *e, size_t pending, size_t sending, size_t acked,
                          size_t rejected)
{
	tqk_outbox_counts c = counts(e);
	assert_int_equal(c.n[TQK_OUTBOX_PENDING], pending);
	assert_int_equal(c.n[TQK_OUTBOX_SENDING], sending);
	assert_int_equal(c.n[TQK_OUTBOX_ACKED], acked);
	assert_int_equal(c.n[TQK_OUTBOX_REJECTED], rejected);
}

/*
 * Claims up to max at now and checks that exactly the confirmations listed
 * in want (indices into e->c, -1 terminated) come back, in that order.
 */
static void claim_expect(struct env *e, tqk_time now, size_t max, const int *want)
{
	tqk_outbox_item items[16];
	assert_true(max <= 16);
	size_t n = 99;
	assert_int_equal(tqk_store_outbox_claim(e->s, now, max, items, &n), TQK_OK);
	size_t k = 0;
	while (want[k] >= 0)
		k++;
	if (n != k)
		fail_msg("claim at +%lld max %zu: %zu rows, expected %zu", (long long)(now - T0), max,
		         n, k);
	for (size_t i = 0; i < n; i++) {
		const tqk_confirmation *c = &e->c[want[i]];
		assert_string_equal(items[i].uuid, c->uuid);
		assert_string_equal(items[i].kind, "confirmation");
		assert_int_equal(items[i].state, TQK_OUTBOX_SENDING);
		assert_int_equal(items[i].created, c->at);
		assert_non_null(items[i].payload);
		assert_non_null(strstr(items[i].payload, c->uuid));
		/* The claimed copy is the stored row, now sending. */
		tqk_outbox_item stored;
		assert_int_equal(tqk_store_outbox_get(e->s, c->uuid, &stored), TQK_OK);
		assert_int_equal(stored.state, TQK_OUTBOX_SENDING);
		assert_string_equal(stored.payload, items[i].payload);
		assert_int_equal(stored.attempts, items[i].attempts);
		tqk_outbox_item_clear(&stored);
		tqk_outbox_item_clear(&items[i]);
	}
}

static tqk_outbox_item get(struct env *e, int i)
{
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, e->c[i].uuid, &it), TQK_OK);
	return it;
}

static const int NONE[] = {-1};

/* ---- tests ---- */

static void state_codes(void **state)
{
	(void)state;
	assert_string_equal(tqk_outbox_state_code(TQK_OUTBOX_PENDING), "pending");
	assert_string_equal(tqk_outbox_state_code(TQK_OUTBOX_SENDING), "sending");
	assert_string_equal(tqk_outbox_state_code(TQK_OUTBOX_ACKED), "acked");
	assert_string_equal(tqk_outbox_state_code(TQK_OUTBOX_REJECTED), "rejected");
	assert_string_equal(tqk_outbox_state_code(TQK_OUTBOX_STATES), "");
	assert_string_equal(tqk_outbox_state_code((tqk_outbox_state)-1), "");
}

static void counts_per_state_and_oldest_pending(void **state)
{
	struct env *e = *state;
	assert_counts(e, 0, 0, 0, 0);
	assert_int_equal(counts(e).oldest_pending, 0);

	fill(e, QUEUED);
	assert_counts(e, 4, 0, 0, 0);
	assert_int_equal(counts(e).oldest_pending, T0);

	claim_expect(e, T0 + 60, 2, (const int[]){0, 1, -1});
	assert_counts(e, 2, 2, 0, 0);
	/* The oldest pending is now the third one. */
	assert_int_equal(counts(e).oldest_pending, T0 + 120);

	assert_int_equal(tqk_store_outbox_acked(e->s, e->c[0].uuid, T0 + 200), TQK_OK);
	assert_int_equal(tqk_store_outbox_rejected(e->s, e->c[1].uuid, "bad record", T0 + 200),
	                 TQK_OK);
	assert_counts(e, 2, 0, 1, 1);
	assert_int_equal(counts(e).oldest_pending, T0 + 120);

	/* A retried row is pending again, with its creation time. */
	claim_expect(e, T0 + 300, 1, (const int[]){2, -1});
	assert_int_equal(counts(e).oldest_pending, T0 + 180);
	assert_int_equal(tqk_store_outbox_retry(e->s, e->c[2].uuid, "timeout", T0 + 301, T0 + 900),
	                 TQK_OK);
	assert_counts(e, 2, 0, 1, 1);
	assert_int_equal(counts(e).oldest_pending, T0 + 120);

	claim_expect(e, T0 + 900, 5, (const int[]){2, 3, -1});
	assert_counts(e, 0, 2, 1, 1);
	assert_int_equal(counts(e).oldest_pending, 0);
}

static void claim_marks_sending_oldest_first_up_to_max(void **state)
{
	struct env *e = *state;
	fill(e, QUEUED);
	/* Nothing when asked for nothing. */
	claim_expect(e, T0 + 600, 0, NONE);
	assert_counts(e, 4, 0, 0, 0);

	claim_expect(e, T0 + 600, 2, (const int[]){0, 1, -1});
	claim_expect(e, T0 + 600, 1, (const int[]){2, -1});
	claim_expect(e, T0 + 600, 10, (const int[]){3, -1});
	/* Rows being sent are never claimed twice. */
	claim_expect(e, T0 + 600, 10, NONE);
	assert_counts(e, 0, 4, 0, 0);
	for (int i = 0; i < QUEUED; i++) {
		tqk_outbox_item it = get(e, i);
		assert_int_equal(it.state, TQK_OUTBOX_SENDING);
		assert_int_equal(it.attempts, 0);       /* a claim is not an attempt */
		tqk_outbox_item_clear(&it);
	}
}

static void claim_respects_next_attempt(void **state)
{
	struct env *e = *state;
	fill(e, QUEUED);
	/* Before the first record: nothing is due. */
	claim_expect(e, T0 - 1, 10, NONE);
	/* At T0 + 90 the records of T0 and T0 + 60 are due, not the later ones. */
	claim_expect(e, T0 + 90, 10, (const int[]){0, 1, -1});
	claim_expect(e, T0 + 119, 10, NONE);
	claim_expect(e, T0 + 120, 10, (const int[]){2, -1});
	claim_expect(e, T0 + 179, 10, NONE);
	assert_counts(e, 1, 3, 0, 0);
	claim_expect(e, T0 + 180, 10, (const int[]){3, -1});
}

static void acked_is_final(void **state)
{
	struct env *e = *state;
	fill(e, 1);
	claim_expect(e, T0, 1, (const int[]){0, -1});
	assert_int_equal(tqk_store_outbox_acked(e->s, e->c[0].uuid, T0 + 30), TQK_OK);
	tqk_outbox_item it = get(e, 0);
	assert_int_equal(it.state, TQK_OUTBOX_ACKED);
	assert_int_equal(it.attempts, 1);
	assert_int_equal(it.created, T0);
	assert_string_equal(it.last_error, "");
	tqk_outbox_item_clear(&it);
	assert_int_equal(raw_int(e->path, "SELECT done_at FROM outbox WHERE uuid = ?1", e->c[0].uuid),
	                 T0 + 30);
	assert_counts(e, 0, 0, 1, 0);
	/* Acknowledged rows are never claimed again. */
	claim_expect(e, T0 + 86400, 10, NONE);
}

static void retry_counts_attempts_and_waits(void **state)
{
	struct env *e = *state;
	fill(e, 2);
	claim_expect(e, T0, 1, (const int[]){0, -1});
	assert_int_equal(tqk_store_outbox_retry(e->s, e->c[0].uuid, "connect: timed out", T0 + 10,
	                                        T0 + 310), TQK_OK);
	tqk_outbox_item it = get(e, 0);
	assert_int_equal(it.state, TQK_OUTBOX_PENDING);
	assert_int_equal(it.attempts, 1);
	assert_int_equal(it.next_attempt, T0 + 310);
	assert_string_equal(it.last_error, "connect: timed out");
	tqk_outbox_item_clear(&it);
	assert_int_equal(raw_int(e->path, "SELECT done_at FROM outbox WHERE uuid = ?1", e->c[0].uuid),
	                 RAW_NULL);

	/* Not before its next attempt: the younger record goes first. */
	claim_expect(e, T0 + 309, 10, (const int[]){1, -1});
	claim_expect(e, T0 + 310, 10, (const int[]){0, -1});
	assert_int_equal(tqk_store_outbox_retry(e->s, e->c[0].uuid, "HTTP 503", T0 + 311, T0 + 900),
	                 TQK_OK);
	it = get(e, 0);
	assert_int_equal(it.attempts, 2);
	assert_string_equal(it.last_error, "HTTP 503");
	assert_int_equal(it.next_attempt, T0 + 900);
	tqk_outbox_item_clear(&it);

	/* A next attempt in the past is due at once; c[1]'s lease ran out at
	 * T0 + 609 without an answer, so it goes again too. */
	claim_expect(e, T0 + 900, 10, (const int[]){0, 1, -1});
	assert_int_equal(tqk_store_outbox_retry(e->s, e->c[0].uuid, "reset", T0 + 901, T0), TQK_OK);
	claim_expect(e, T0 + 901, 10, (const int[]){0, -1});
	assert_int_equal(tqk_store_outbox_acked(e->s, e->c[0].uuid, T0 + 902), TQK_OK);
	it = get(e, 0);
	assert_int_equal(it.state, TQK_OUTBOX_ACKED);
	/* Three retries and the successful upload: four attempts. */
	assert_int_equal(it.attempts, 4);
	tqk_outbox_item_clear(&it);
}

static void rejected_never_blocks_the_others(void **state)
{
	struct env *e = *state;
	fill(e, 3);
	claim_expect(e, T0 + 200, 1, (const int[]){0, -1});
	assert_int_equal(tqk_store_outbox_rejected(e->s, e->c[0].uuid, "schema: unknown member",
	                                           T0 + 201), TQK_OK);
	tqk_outbox_item it = get(e, 0);
	assert_int_equal(it.state, TQK_OUTBOX_REJECTED);
	assert_int_equal(it.attempts, 1);
	assert_string_equal(it.last_error, "schema: unknown member");
	tqk_outbox_item_clear(&it);
	assert_int_equal(raw_int(e->path, "SELECT done_at FROM outbox WHERE uuid = ?1", e->c[0].uuid),
	                 T0 + 201);

	/* The oldest is poisoned; the others go, now and much later (c[1]
	 * again, its lease long run out), and it never comes back. */
	claim_expect(e, T0 + 200, 1, (const int[]){1, -1});
	claim_expect(e, T0 + 86400 * 30, 10, (const int[]){1, 2, -1});
	claim_expect(e, T0 + 86400 * 30, 10, NONE);
	assert_counts(e, 0, 2, 0, 1);
}

static void answer_to_a_row_not_sending_is_refused(void **state)
{
	struct env *e = *state;
	fill(e, 3);
	claim_expect(e, T0 + 200, 2, (const int[]){0, 1, -1});
	assert_int_equal(tqk_store_outbox_acked(e->s, e->c[0].uuid, T0 + 201), TQK_OK);
	assert_int_equal(tqk_store_outbox_rejected(e->s, e->c[1].uuid, "refused", T0 + 201), TQK_OK);
	char *before = raw_dump(e->path);
	long long rows = raw_audit_rows(e->path);

	/* c[2] is pending, c[0] acked, c[1] rejected, and one row does not exist. */
	const char *uuids[] = {e->c[2].uuid, e->c[0].uuid, e->c[1].uuid, UUID_UNKNOWN};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(tqk_store_outbox_acked(e->s, uuids[i], T0 + 300), TQK_E_STORE_OUTBOX);
		assert_int_equal(tqk_store_outbox_retry(e->s, uuids[i], "x", T0 + 300, T0 + 400),
		                 TQK_E_STORE_OUTBOX);
		assert_int_equal(tqk_store_outbox_rejected(e->s, uuids[i], "x", T0 + 300),
		                 TQK_E_STORE_OUTBOX);
	}
	raw_expect_unchanged(e->path, before);
	assert_int_equal(raw_audit_rows(e->path), rows);
	assert_counts(e, 1, 0, 1, 1);
	raw_verify_chain(e->s, e->path);
}

static void too_long_error_is_refused(void **state)
{
	struct env *e = *state;
	fill(e, 1);
	claim_expect(e, T0, 1, (const int[]){0, -1});
	/* TQK_OUTBOX_ERROR_CAP bytes: one more than the cap allows. */
	char error[TQK_OUTBOX_ERROR_CAP + 1];
	memset(error, 'e', TQK_OUTBOX_ERROR_CAP);
	error[TQK_OUTBOX_ERROR_CAP] = '\0';
	char *before = raw_dump(e->path);
	assert_int_equal(tqk_store_outbox_retry(e->s, e->c[0].uuid, error, T0 + 1, T0 + 60),
	                 TQK_E_TOO_LONG);
	assert_int_equal(tqk_store_outbox_rejected(e->s, e->c[0].uuid, error, T0 + 1),
	                 TQK_E_TOO_LONG);
	/* Far beyond it. */
	char *huge = malloc(1 << 16);
	assert_non_null(huge);
	memset(huge, 'h', (1 << 16) - 1);
	huge[(1 << 16) - 1] = '\0';
	assert_int_equal(tqk_store_outbox_retry(e->s, e->c[0].uuid, huge, T0 + 1, T0 + 60),
	                 TQK_E_TOO_LONG);
	free(huge);
	raw_expect_unchanged(e->path, before);
	tqk_outbox_item it = get(e, 0);
	assert_int_equal(it.state, TQK_OUTBOX_SENDING);
	assert_int_equal(it.attempts, 0);
	tqk_outbox_item_clear(&it);

	/* The longest allowed error is kept whole. */
	error[TQK_OUTBOX_ERROR_CAP - 1] = '\0';
	assert_int_equal(tqk_store_outbox_rejected(e->s, e->c[0].uuid, error, T0 + 2), TQK_OK);
	it = get(e, 0);
	assert_int_equal(strlen(it.last_error), TQK_OUTBOX_ERROR_CAP - 1);
	assert_string_equal(it.last_error, error);
	tqk_outbox_item_clear(&it);
	raw_verify_chain(e->s, e->path);
}

static void sending_rows_are_claimed_again_after_their_lease(void **state)
{
	struct env *e = *state;
	fill(e, 3);
	claim_expect(e, T0 + 200, 2, (const int[]){0, 1, -1});
	assert_int_equal(tqk_store_outbox_retry(e->s, e->c[0].uuid, "timeout", T0 + 201, T0 + 500),
	                 TQK_OK);
	claim_expect(e, T0 + 500, 1, (const int[]){0, -1});
	assert_counts(e, 1, 2, 0, 0);

	/* The kiosk dies with two rows on their way. Reopening changes nothing:
	 * another program (tqkioskctl) may open the store during an upload. */
	tqk_store_free(e->s);
	e->s = NULL;
	assert_int_equal(tqk_store_open(e->path, NULL, &e->s, NULL), TQK_OK);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM outbox WHERE state = 1", NULL), 2);
	assert_counts(e, 1, 2, 0, 0);
	tqk_outbox_item it = get(e, 0);
	assert_int_equal(it.state, TQK_OUTBOX_SENDING);
	assert_int_equal(it.next_attempt, T0 + 500 + TQK_OUTBOX_LEASE);
	assert_int_equal(it.attempts, 1);       /* what was counted stays counted */
	assert_string_equal(it.last_error, "timeout");
	tqk_outbox_item_clear(&it);

	/* Within the leases only the pending row goes; once they run out, all
	 * go again, oldest first, with the same uuid (the idempotency key). */
	_Static_assert(TQK_OUTBOX_LEASE == 300, "the times below assume a 300 s lease");
	claim_expect(e, T0 + 499, 10, (const int[]){2, -1});       /* c[2] until +799 */
	claim_expect(e, T0 + 500, 10, (const int[]){1, -1});       /* c[1]: +200 + 300 */
	claim_expect(e, T0 + 798, 10, NONE);
	claim_expect(e, T0 + 799, 10, (const int[]){2, -1});
	claim_expect(e, T0 + 800, 10, (const int[]){0, 1, -1});    /* c[0]: +500 + 300 */
	for (int i = 0; i < 3; i++)
		assert_int_equal(tqk_store_outbox_acked(e->s, e->c[i].uuid, T0 + 900), TQK_OK);
	assert_counts(e, 0, 0, 3, 0);
	raw_verify_chain(e->s, e->path);
}

static void get_unknown_is_not_found(void **state)
{
	struct env *e = *state;
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, UUID_UNKNOWN, &it), TQK_E_STORE_NOT_FOUND);
	fill(e, 1);
	assert_int_equal(tqk_store_outbox_get(e->s, UUID_UNKNOWN, &it), TQK_E_STORE_NOT_FOUND);
	assert_int_equal(tqk_store_outbox_get(e->s, "", &it), TQK_E_STORE_NOT_FOUND);
	it = get(e, 0);
	assert_string_equal(it.uuid, e->c[0].uuid);
	tqk_outbox_item_clear(&it);
	/* Cleared items hold nothing and clear again safely. */
	assert_null(it.payload);
	tqk_outbox_item_clear(&it);
	tqk_outbox_item_clear(NULL);
}

static void each_answer_is_audited(void **state)
{
	struct env *e = *state;
	fill(e, 3);
	claim_expect(e, T0 + 200, 3, (const int[]){0, 1, 2, -1});
	struct {
		int i;
		const char *action, *detail;
	} const want[] = {
		{0, "upload.acked", ""},
		{1, "upload.retry", "HTTP 502"},
		{2, "upload.rejected", "reg_no unknown"},
	};
	for (size_t k = 0; k < 3; k++) {
		long long rows = raw_audit_rows(e->path);
		const char *uuid = e->c[want[k].i].uuid;
		tqk_err err = k == 0 ? tqk_store_outbox_acked(e->s, uuid, T0 + 300)
		            : k == 1 ? tqk_store_outbox_retry(e->s, uuid, want[k].detail, T0 + 300, T0 + 900)
		            : tqk_store_outbox_rejected(e->s, uuid, want[k].detail, T0 + 300);
		assert_int_equal(err, TQK_OK);
		assert_int_equal(raw_audit_rows(e->path), rows + 1);
		char text[300];
		assert_true(raw_text(e->path, "SELECT action FROM audit ORDER BY seq DESC LIMIT 1",
		                     NULL, text, sizeof text));
		assert_string_equal(text, want[k].action);
		assert_true(raw_text(e->path, "SELECT subject FROM audit ORDER BY seq DESC LIMIT 1",
		                     NULL, text, sizeof text));
		assert_string_equal(text, uuid);
		assert_true(raw_text(e->path, "SELECT detail FROM audit ORDER BY seq DESC LIMIT 1",
		                     NULL, text, sizeof text));
		assert_string_equal(text, want[k].detail);
		assert_true(raw_text(e->path, "SELECT actor FROM audit ORDER BY seq DESC LIMIT 1",
		                     NULL, text, sizeof text));
		assert_string_equal(text, "server");
		assert_int_equal(raw_int(e->path, "SELECT at FROM audit ORDER BY seq DESC LIMIT 1", NULL),
		                 T0 + 300);
		raw_verify_chain(e->s, e->path);
	}
	/* A claim is not an answer: no audit row. */
	long long rows = raw_audit_rows(e->path);
	claim_expect(e, T0 + 900, 3, (const int[]){1, -1});
	assert_int_equal(raw_audit_rows(e->path), rows);
}

/*
 * One batch of answers is one transaction: every row moves, each with its
 * own audit row in order; a row not sending is left alone and reported; a
 * bad answer anywhere records nothing.
 */
static void batch_of_answers_in_one_transaction(void **state)
{
	struct env *e = *state;
	fill(e, 4);
	claim_expect(e, T0 + 200, 3, (const int[]){0, 1, 2, -1});
	long long rows = raw_audit_rows(e->path);
	char *before = raw_dump(e->path);

	/* Refused before anything is written: a bad state, a too long error. */
	char longer[TQK_OUTBOX_ERROR_CAP + 1];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	tqk_outbox_answer bad[] = {
		{.uuid = e->c[0].uuid, .state = TQK_OUTBOX_ACKED},
		{.uuid = e->c[1].uuid, .state = TQK_OUTBOX_SENDING},
	};
	bool moved[4] = {true, true, true, true};
	assert_int_equal(tqk_store_outbox_answer(e->s, bad, 2, T0 + 300, moved), TQK_E_ARG);
	assert_false(moved[0]);
	bad[1] = (tqk_outbox_answer){.uuid = e->c[1].uuid, .state = TQK_OUTBOX_REJECTED,
	                             .error = longer};
	assert_int_equal(tqk_store_outbox_answer(e->s, bad, 2, T0 + 300, moved), TQK_E_TOO_LONG);
	raw_expect_unchanged(e->path, before);

	/* Row 3 was never claimed: it is not sending, so it stays as it is. */
	const tqk_outbox_answer a[] = {
		{.uuid = e->c[0].uuid, .state = TQK_OUTBOX_ACKED},
		{.uuid = e->c[1].uuid, .state = TQK_OUTBOX_PENDING, .error = "HTTP 502",
		 .next_attempt = T0 + 900},
		{.uuid = e->c[3].uuid, .state = TQK_OUTBOX_ACKED},
		{.uuid = e->c[2].uuid, .state = TQK_OUTBOX_REJECTED,
		 .error = "conflict: store.exists: other content"},
	};
	assert_int_equal(tqk_store_outbox_answer(e->s, a, 4, T0 + 300, moved), TQK_OK);
	assert_true(moved[0] && moved[1] && !moved[2] && moved[3]);
	assert_counts(e, 2, 0, 1, 1);
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, e->c[1].uuid, &it), TQK_OK);
	assert_int_equal(it.state, TQK_OUTBOX_PENDING);
	assert_int_equal(it.attempts, 1);
	assert_int_equal(it.next_attempt, T0 + 900);
	assert_string_equal(it.last_error, "HTTP 502");
	tqk_outbox_item_clear(&it);
	assert_int_equal(tqk_store_outbox_get(e->s, e->c[2].uuid, &it), TQK_OK);
	assert_int_equal(it.state, TQK_OUTBOX_REJECTED);
	assert_string_equal(it.last_error, "conflict: store.exists: other content");
	tqk_outbox_item_clear(&it);
	assert_int_equal(tqk_store_outbox_get(e->s, e->c[3].uuid, &it), TQK_OK);
	assert_int_equal(it.state, TQK_OUTBOX_PENDING);
	assert_int_equal(it.attempts, 0);
	tqk_outbox_item_clear(&it);

	/* One audit row per row moved, in the answers' order. */
	assert_int_equal(raw_audit_rows(e->path), rows + 3);
	char text[600];
	assert_true(raw_text(e->path, "SELECT group_concat(action || ' ' || subject, ',') FROM"
	                     " (SELECT * FROM (SELECT * FROM audit ORDER BY seq DESC LIMIT 3) ORDER BY seq)",
	                     NULL, text, sizeof text));
	char want[600];
	snprintf(want, sizeof want, "upload.acked %s,upload.retry %s,upload.rejected %s",
	         e->c[0].uuid, e->c[1].uuid, e->c[2].uuid);
	assert_string_equal(text, want);
	raw_verify_chain(e->s, e->path);

	/* Nothing to answer is no transaction at all. */
	assert_int_equal(tqk_store_outbox_answer(e->s, a, 0, T0 + 400, NULL), TQK_OK);
	assert_int_equal(raw_audit_rows(e->path), rows + 3);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(state_codes),
		T(counts_per_state_and_oldest_pending),
		T(claim_marks_sending_oldest_first_up_to_max),
		T(claim_respects_next_attempt),
		T(acked_is_final),
		T(retry_counts_attempts_and_waits),
		T(rejected_never_blocks_the_others),
		T(answer_to_a_row_not_sending_is_refused),
		T(too_long_error_is_refused),
		T(sending_rows_are_claimed_again_after_their_lease),
		T(get_unknown_is_not_found),
		T(each_answer_is_audited),
		T(batch_of_answers_in_one_transaction),
	};
#undef T
	return cmocka_run_group_tests_name("store_outbox", tests, NULL, NULL);
}
