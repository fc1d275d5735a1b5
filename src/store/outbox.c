/*
 * outbox.c - the upload queue: counting, claiming a batch, recording the
 * server's answers for a batch (one transaction, one audit row per record;
 * the single-row answers go the same way), listing rows by state, an
 * administrator's requeue of a quarantined row, and rescheduling rows that
 * a clock running ahead put off. Each answer and each requeue is audited in
 * the same transaction that records it.
 */
#include "store/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/internal.h"
#include "store/walkin.h"

static const char *const state_codes[TQK_OUTBOX_STATES] = {"pending", "sending", "acked", "rejected"};

const char *tqk_outbox_state_code(tqk_outbox_state st)
{
	return (unsigned)st < TQK_OUTBOX_STATES ? state_codes[st] : "";
}

void tqk_outbox_item_clear(tqk_outbox_item *item)
{
	if (item == NULL)
		return;
	free(item->payload);
	memset(item, 0, sizeof *item);
}

tqk_err tqk_store_outbox_counts(tqk_store *s, tqk_outbox_counts *out)
{
	*out = (tqk_outbox_counts){0};
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT state, count(*), min(created) FROM outbox GROUP BY state",
	                              &err);
	if (st == NULL)
		return err;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int state = sqlite3_column_int(st, 0);
		if (state < 0 || state >= TQK_OUTBOX_STATES)
			continue;
		out->n[state] = (size_t)sqlite3_column_int64(st, 1);
		if (state == TQK_OUTBOX_PENDING)
			out->oldest_pending = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TQK_OK : store_err(s, rc);
}

#define ITEM_COLS "uuid, kind, payload, state, attempts, created, next_attempt, last_error"

static tqk_err read_item(sqlite3_stmt *st, tqk_outbox_item *it)
{
	memset(it, 0, sizeof *it);
	store_column_text(st, 0, it->uuid, sizeof it->uuid);
	store_column_text(st, 1, it->kind, sizeof it->kind);
	const char *p = (const char *)sqlite3_column_text(st, 2);
	it->payload = strdup(p != NULL ? p : "");
	if (it->payload == NULL)
		return TQK_E_NOMEM;
	it->state = (tqk_outbox_state)sqlite3_column_int(st, 3);
	it->attempts = sqlite3_column_int(st, 4);
	it->created = sqlite3_column_int64(st, 5);
	it->next_attempt = sqlite3_column_int64(st, 6);
	store_column_text(st, 7, it->last_error, sizeof it->last_error);
	return TQK_OK;
}

static tqk_err claim_in_txn(tqk_store *s, tqk_time now, size_t max, tqk_outbox_item *items,
                            size_t *n)
{
	tqk_err err;
	/* Pending rows that are due, and rows whose sender's lease ran out;
	 * but not a confirmation or change of a walk-in the server does not have yet
	 * (it would refuse the number): that waits for the walk-in's ack. */
	sqlite3_stmt *st = store_stmt(s, "SELECT " ITEM_COLS " FROM outbox WHERE state IN (0, 1)"
	                                 " AND next_attempt <= ?1 AND NOT EXISTS (SELECT 1"
	                                 " FROM (SELECT uuid, reg_no FROM confirmations"
	                                 " UNION ALL SELECT uuid, reg_no FROM changes) c"
	                                 " JOIN walkins w ON w.provisional = c.reg_no"
	                                 " JOIN outbox o ON o.uuid = w.uuid"
	                                 " WHERE c.uuid = outbox.uuid AND o.state <> 2)"
	                                 " ORDER BY id LIMIT ?2", &err);
	if (st == NULL)
		return err;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	int rc;
	while (err == TQK_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		err = read_item(st, &items[*n]);
		items[*n].state = TQK_OUTBOX_SENDING;
		(*n)++;
	}
	sqlite3_reset(st);
	if (err == TQK_OK && rc != SQLITE_DONE)
		err = store_err(s, rc);
	sqlite3_stmt *up = err == TQK_OK ? store_stmt(s, "UPDATE outbox SET state = 1,"
	                                              " next_attempt = ?2 WHERE uuid = ?1", &err) : NULL;
	for (size_t i = 0; up != NULL && err == TQK_OK && i < *n; i++) {
		items[i].next_attempt = now + TQK_OUTBOX_LEASE;
		store_bind_text(up, 1, items[i].uuid);
		sqlite3_bind_int64(up, 2, items[i].next_attempt);
		err = store_step_done(s, up);
	}
	return err;
}

tqk_err tqk_store_outbox_claim(tqk_store *s, tqk_time now, size_t max, tqk_outbox_item *items,
                               size_t *n)
{
	*n = 0;
	tqk_err err = store_begin(s);
	if (err != TQK_OK)
		return err;
	err = store_end(s, claim_in_txn(s, now, max, items, n));
	if (err != TQK_OK) {
		for (size_t i = 0; i < *n; i++)
			tqk_outbox_item_clear(&items[i]);
		*n = 0;
	}
	return err;
}

/* Moves a->uuid from sending to a->state with its audit row, inside the
 * caller's transaction; *moved tells whether the row was sending. */
static tqk_err answer_one(tqk_store *s, const tqk_outbox_answer *given, tqk_time now, bool *moved)
{
	*moved = false;
	tqk_err err;
	tqk_outbox_answer mapped = *given;
	const tqk_outbox_answer *a = &mapped;
	char why[TQK_OUTBOX_ERROR_CAP];
	/* A walk-in's official number goes in with its answer; one that
	 * cannot be taken makes the row rejected, to be looked at, rather than
	 * failing the whole batch over and over. */
	if (given->official != NULL && given->state == TQK_OUTBOX_ACKED) {
		err = tqk_store_walkin_map(s, given->uuid, given->official, now);
		if (err == TQK_E_STORE_CONFLICT || err == TQK_E_FIELD_VALUE ||
		    err == TQK_E_STORE_NOT_FOUND) {
			snprintf(why, sizeof why, "%s.%s: official number %.64s", tqk_err_domain(err),
			         tqk_err_code(err), given->official);
			mapped.state = TQK_OUTBOX_REJECTED;
			mapped.error = why;
		} else if (err != TQK_OK) {
			return err;
		}
	}
	sqlite3_stmt *st = store_stmt(s,
		"UPDATE outbox SET state = ?2, last_error = ?3,"
		" attempts = attempts + 1, next_attempt = ?5,"
		" done_at = CASE WHEN ?2 IN (2, 3) THEN ?4 END"
		" WHERE uuid = ?1 AND state = 1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, a->uuid);
	sqlite3_bind_int(st, 2, a->state);
	store_bind_text(st, 3, a->error);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, a->state == TQK_OUTBOX_PENDING ? a->next_attempt : now);
	if ((err = store_step_done(s, st)) != TQK_OK || sqlite3_changes(s->db) != 1)
		return err;
	*moved = true;
	return store_audit_add(s, now, "server", a->state == TQK_OUTBOX_ACKED ? "upload.acked"
	                       : a->state == TQK_OUTBOX_REJECTED ? "upload.rejected" : "upload.retry",
	                       a->uuid, a->error != NULL ? a->error : "");
}

tqk_err tqk_store_outbox_answer(tqk_store *s, const tqk_outbox_answer *answers, size_t n,
                                tqk_time now, bool *answered)
{
	for (size_t i = 0; i < n; i++) {
		const tqk_outbox_answer *a = &answers[i];
		if (answered != NULL)
			answered[i] = false;
		if (a->state != TQK_OUTBOX_ACKED && a->state != TQK_OUTBOX_REJECTED &&
		    a->state != TQK_OUTBOX_PENDING)
			return TQK_E_ARG;
		if (a->error != NULL && strnlen(a->error, TQK_OUTBOX_ERROR_CAP) >= TQK_OUTBOX_ERROR_CAP)
			return TQK_E_TOO_LONG;
	}
	if (n == 0)
		return TQK_OK;
	tqk_err err = store_begin(s);
	if (err != TQK_OK)
		return err;
	for (size_t i = 0; err == TQK_OK && i < n; i++) {
		bool moved = false;
		err = answer_one(s, &answers[i], now, &moved);
		if (answered != NULL)
			answered[i] = moved;
	}
	err = store_end(s, err);
	if (err != TQK_OK && answered != NULL)
		memset(answered, 0, n * sizeof *answered);
	return err;
}

/* One answer: TQK_E_STORE_OUTBOX when the row was not sending. */
static tqk_err finish(tqk_store *s, const char *uuid, tqk_outbox_state state, const char *error,
                      tqk_time now, tqk_time next_attempt)
{
	tqk_outbox_answer a = {.uuid = uuid, .state = state, .error = error,
	                       .next_attempt = next_attempt};
	bool moved = false;
	tqk_err err = tqk_store_outbox_answer(s, &a, 1, now, &moved);
	return err == TQK_OK && !moved ? TQK_E_STORE_OUTBOX : err;
}

tqk_err tqk_store_outbox_acked(tqk_store *s, const char *uuid, tqk_time now)
{
	return finish(s, uuid, TQK_OUTBOX_ACKED, NULL, now, now);
}

tqk_err tqk_store_outbox_retry(tqk_store *s, const char *uuid, const char *error, tqk_time now,
                               tqk_time next_attempt)
{
	return finish(s, uuid, TQK_OUTBOX_PENDING, error, now, next_attempt);
}

tqk_err tqk_store_outbox_rejected(tqk_store *s, const char *uuid, const char *error, tqk_time now)
{
	return finish(s, uuid, TQK_OUTBOX_REJECTED, error, now, now);
}

tqk_err tqk_store_outbox_get(tqk_store *s, const char *uuid, tqk_outbox_item *out)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT " ITEM_COLS " FROM outbox WHERE uuid = ?1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, uuid);
	int rc = sqlite3_step(st);
	err = rc == SQLITE_ROW ? read_item(st, out)
	    : rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : store_err(s, rc);
	sqlite3_reset(st);
	return err;
}

tqk_err tqk_store_outbox_list(tqk_store *s, tqk_outbox_state state, const char *after,
                              tqk_outbox_item *items, size_t cap, size_t *n, bool *more)
{
	*n = 0;
	*more = false;
	if ((unsigned)state >= TQK_OUTBOX_STATES)
		return TQK_E_ARG;
	tqk_err err;
	int64_t from = 0;
	if (after != NULL && after[0] != '\0' &&
	    (err = store_int(s, "SELECT ifnull((SELECT id FROM outbox WHERE uuid = ?1), -1)", after,
	                     NULL, &from)) != TQK_OK)
		return err;
	if (from < 0)
		return TQK_E_STORE_NOT_FOUND;
	sqlite3_stmt *st = store_stmt(s, "SELECT uuid, kind, state, attempts, created, next_attempt,"
	                                 " last_error FROM outbox WHERE state = ?1 AND id > ?2"
	                                 " ORDER BY id LIMIT ?3", &err);
	if (st == NULL)
		return err;
	sqlite3_bind_int(st, 1, state);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)cap + 1);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			*more = true;
			break;
		}
		tqk_outbox_item *it = &items[(*n)++];
		memset(it, 0, sizeof *it);
		store_column_text(st, 0, it->uuid, sizeof it->uuid);
		store_column_text(st, 1, it->kind, sizeof it->kind);
		it->state = (tqk_outbox_state)sqlite3_column_int(st, 2);
		it->attempts = sqlite3_column_int(st, 3);
		it->created = sqlite3_column_int64(st, 4);
		it->next_attempt = sqlite3_column_int64(st, 5);
		store_column_text(st, 6, it->last_error, sizeof it->last_error);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*n = 0;
		*more = false;
		return store_err(s, rc);
	}
	return TQK_OK;
}

tqk_err tqk_store_outbox_requeue(tqk_store *s, const char *uuid, tqk_time now)
{
	tqk_err err = store_begin(s);
	if (err != TQK_OK)
		return err;
	int64_t state = -1;
	err = store_int(s, "SELECT ifnull((SELECT state FROM outbox WHERE uuid = ?1), -1)", uuid, NULL,
	                &state);
	if (err == TQK_OK && state < 0)
		err = TQK_E_STORE_NOT_FOUND;
	else if (err == TQK_OK && state != TQK_OUTBOX_REJECTED)
		err = TQK_E_STORE_OUTBOX;
	sqlite3_stmt *st = err == TQK_OK ? store_stmt(s, "UPDATE outbox SET state = 0, next_attempt = ?2,"
	                                              " done_at = NULL WHERE uuid = ?1 AND state = 3",
	                                              &err) : NULL;
	if (st != NULL) {
		store_bind_text(st, 1, uuid);
		sqlite3_bind_int64(st, 2, now);
		err = store_step_done(s, st);
	}
	if (err == TQK_OK)
		err = store_audit_add(s, now, "admin", "upload.requeue", uuid, "");
	return store_end(s, err);
}

tqk_err tqk_store_outbox_reschedule(tqk_store *s, tqk_time now, int64_t horizon, size_t *n)
{
	*n = 0;
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "UPDATE outbox SET next_attempt = ?1"
	                                 " WHERE state IN (0, 1) AND next_attempt > ?1 + ?2", &err);
	if (st == NULL)
		return err;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, horizon);
	if ((err = store_step_done(s, st)) == TQK_OK)
		*n = (size_t)sqlite3_changes(s->db);
	return err;
}
