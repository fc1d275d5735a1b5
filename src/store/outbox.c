/*
 * outbox.c - the upload queue: counting, claiming a batch, and recording the
 * server's answer for each record. Each answer is audited in the same
 * transaction that records it.
 */
#include "store/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/internal.h"

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
	/* Pending rows that are due, and rows whose sender's lease ran out. */
	sqlite3_stmt *st = store_stmt(s, "SELECT " ITEM_COLS " FROM outbox WHERE state IN (0, 1)"
	                                 " AND next_attempt <= ?1 ORDER BY id LIMIT ?2", &err);
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

/* Moves uuid from sending to state, with the audit row, in one transaction. */
static tqk_err finish(tqk_store *s, const char *uuid, tqk_outbox_state state, const char *error,
                      tqk_time at, tqk_time next_attempt)
{
	if (error != NULL && strnlen(error, TQK_OUTBOX_ERROR_CAP) >= TQK_OUTBOX_ERROR_CAP)
		return TQK_E_TOO_LONG;
	tqk_err err = store_begin(s);
	if (err != TQK_OK)
		return err;
	sqlite3_stmt *st = store_stmt(s,
		"UPDATE outbox SET state = ?2, last_error = ?3,"
		" attempts = attempts + 1, next_attempt = ?5,"
		" done_at = CASE WHEN ?2 IN (2, 3) THEN ?4 END"
		" WHERE uuid = ?1 AND state = 1", &err);
	if (st != NULL) {
		store_bind_text(st, 1, uuid);
		sqlite3_bind_int(st, 2, state);
		store_bind_text(st, 3, error);
		sqlite3_bind_int64(st, 4, at);
		sqlite3_bind_int64(st, 5, next_attempt);
		err = store_step_done(s, st);
	}
	if (err == TQK_OK && sqlite3_changes(s->db) != 1)
		err = TQK_E_STORE_OUTBOX;
	if (err == TQK_OK)
		err = store_audit_add(s, at, "server", state == TQK_OUTBOX_ACKED ? "upload.acked"
		                      : state == TQK_OUTBOX_REJECTED ? "upload.rejected" : "upload.retry",
		                      uuid, error != NULL ? error : "");
	return store_end(s, err);
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
