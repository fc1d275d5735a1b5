/*
 * updates.c - the institution's decisions and messages applied to the
 * stored applications, a page at a time with its cursor.
 */
#include "store/updates.h"

#include <stdio.h>
#include <string.h>

#include "core/application.h"
#include "core/state.h"
#include "store/audit.h"
#include "store/internal.h"

#define CURSOR_SETTING "updates.cursor"

/* Checks one update as updates.h says: TQK_OK or the failure. */
static tqk_err check_update(const tqk_update *u)
{
	if (strnlen(u->reg_no, sizeof u->reg_no) >= sizeof u->reg_no)
		return TQK_E_TOO_LONG;
	if (u->state != TQK_ST_NONE && !tqk_state_valid(u->state))
		return TQK_E_STATE_UNKNOWN;
	if (strnlen(u->message, sizeof u->message) >= sizeof u->message)
		return TQK_E_TOO_LONG;
	return tqk_message_check(u->message);
}

/* Applies u inside the caller's transaction, counting it in *stats. Fails
 * only with the store's failures. */
static tqk_err apply_one(tqk_store *s, const tqk_update *u, tqk_update_stats *stats)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT state, purged FROM applications WHERE reg_no = ?1",
	                              &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, u->reg_no);
	int rc = sqlite3_step(st);
	tqk_state from = rc == SQLITE_ROW ? (tqk_state)sqlite3_column_int(st, 0) : TQK_ST_NONE;
	bool purged = rc == SQLITE_ROW && sqlite3_column_int(st, 1) != 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_err(s, rc);
	if (rc == SQLITE_DONE || purged) {
		stats->skipped++;
		return TQK_OK;
	}
	if (u->state != TQK_ST_NONE && u->state != from &&
	    tqk_state_transition(from, u->state, TQK_ACTOR_INSTITUTION) != TQK_OK) {
		stats->skipped++;
		return TQK_OK;
	}
	int64_t waiting = 0;
	if ((err = store_app_upload_waiting(s, u->reg_no, &waiting)) != TQK_OK)
		return err;
	if (waiting) {
		stats->kept++;
		return TQK_OK;
	}
	st = store_stmt(s, "UPDATE applications SET state = ?2, inst_message = ?3 WHERE reg_no = ?1",
	                &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, u->reg_no);
	sqlite3_bind_int(st, 2, u->state != TQK_ST_NONE ? u->state : from);
	store_bind_text(st, 3, u->message);
	if ((err = store_step_done(s, st)) == TQK_OK)
		stats->applied++;
	return err;
}

tqk_err tqk_store_updates_apply(tqk_store *s, const tqk_update *updates, size_t n,
                                const char *cursor, tqk_time now, tqk_update_stats *stats,
                                size_t *bad_index)
{
	*stats = (tqk_update_stats){0};
	if (n > TQK_API_PAGE_MAX)
		return TQK_E_TOO_LONG;
	if (cursor != NULL && strnlen(cursor, TQK_STORE_CURSOR_CAP) >= TQK_STORE_CURSOR_CAP)
		return TQK_E_TOO_LONG;
	for (size_t i = 0; i < n; i++) {
		tqk_err err = check_update(&updates[i]);
		if (err != TQK_OK) {
			if (bad_index != NULL)
				*bad_index = i;
			return err;
		}
	}
	tqk_err err = store_begin(s);
	if (err != TQK_OK)
		return err;
	for (size_t i = 0; i < n && err == TQK_OK; i++)
		err = apply_one(s, &updates[i], stats);
	if (err == TQK_OK && cursor != NULL)
		err = store_setting_put(s, CURSOR_SETTING, cursor);
	if (err == TQK_OK && stats->applied > 0) {
		char detail[TQK_AUDIT_TEXT_CAP];
		snprintf(detail, sizeof detail, "applied=%zu kept=%zu skipped=%zu", stats->applied,
		         stats->kept, stats->skipped);
		err = store_audit_add(s, now, "server", "updates.apply", cursor != NULL ? cursor : "",
		                      detail);
	}
	err = store_end(s, err);
	if (err != TQK_OK)
		*stats = (tqk_update_stats){0};
	return err;
}

tqk_err tqk_store_updates_cursor(tqk_store *s, char buf[TQK_STORE_CURSOR_CAP])
{
	tqk_err err = tqk_store_setting_get(s, CURSOR_SETTING, buf, TQK_STORE_CURSOR_CAP);
	if (err == TQK_E_STORE_NOT_FOUND) {
		buf[0] = '\0';
		return TQK_OK;
	}
	return err;
}
