/*
 * purge.c - emptying the personal data that the retention period no longer
 * covers. The personal columns are those tqk_field_info marks personal.
 */
#include "store/purge.h"

#include <stdio.h>
#include <string.h>

#include "core/application.h"
#include "store/audit.h"
#include "store/internal.h"

/* Applications whose records the server has not acknowledged are held. */
#define HELD "EXISTS (SELECT 1 FROM confirmations c JOIN outbox o ON o.uuid = c.uuid" \
	" WHERE c.reg_no = applications.reg_no AND o.state IN (0, 1, 3))"

/* Runs sql and adds the number of rows it changed to *changed (if not NULL). */
static tqk_err run(tqk_store *s, const char *sql, size_t *changed)
{
	tqk_err err = store_exec(s, sql);
	if (err == TQK_OK && changed != NULL)
		*changed += (size_t)sqlite3_changes(s->db);
	return err;
}

static tqk_err purge_in_txn(tqk_store *s, tqk_purge_stats *stats, tqk_time now)
{
	char sql[1024] = "UPDATE applications SET ";
	size_t n = strlen(sql);
	for (int f = 0; f < TQK_F_COUNT; f++) {
		const tqk_field_info *fi = tqk_field_get_info((tqk_field)f);
		if (fi->personal)
			n += (size_t)snprintf(sql + n, sizeof sql - n, "%s = '', ", fi->code);
	}
	snprintf(sql + n, sizeof sql - n, "site_message = '', inst_message = '', remark = '',"
	         " payload = '', purged = 1 WHERE purged = 0 AND NOT %s", HELD);

	int64_t held = 0;
	tqk_err err = store_int(s, "SELECT count(*) FROM applications WHERE purged = 0 AND " HELD,
	                        NULL, NULL, &held);
	stats->held = (size_t)held;
	if (err == TQK_OK)
		err = run(s, sql, &stats->applications);
	if (err == TQK_OK)
		err = run(s, "UPDATE confirmations SET remark = '', message = '', purged = 1"
		             " WHERE purged = 0 AND reg_no IN"
		             " (SELECT reg_no FROM applications WHERE purged = 1)", &stats->confirmations);
	if (err == TQK_OK)
		err = run(s, "UPDATE corrections SET old_value = '', new_value = ''"
		             " WHERE (old_value <> '' OR new_value <> '')"
		             " AND seq IN (SELECT seq FROM confirmations WHERE purged = 1)", NULL);
	/* The uploaded copies hold the same data. */
	if (err == TQK_OK)
		err = run(s, "UPDATE outbox SET payload = '{}' WHERE state = 2 AND payload <> '{}'"
		             " AND uuid IN (SELECT uuid FROM confirmations WHERE purged = 1)", NULL);
	if (err == TQK_OK && stats->applications + stats->confirmations > 0) {
		char detail[TQK_AUDIT_TEXT_CAP];
		snprintf(detail, sizeof detail, "applications=%zu confirmations=%zu held=%zu",
		         stats->applications, stats->confirmations, stats->held);
		err = store_audit_add(s, now, "admin", "purge", "", detail);
	}
	return err;
}

tqk_err tqk_store_purge(tqk_store *s, tqk_day period_end, int retention_days, tqk_day today,
                        tqk_time now, tqk_purge_stats *stats)
{
	*stats = (tqk_purge_stats){.due = period_end + (retention_days > 0 ? retention_days : 0) + 1};
	if (today < stats->due)
		return TQK_OK;
	tqk_err err = store_begin(s);
	if (err != TQK_OK)
		return err;
	if ((err = store_end(s, purge_in_txn(s, stats, now))) != TQK_OK) {
		tqk_day due = stats->due;
		*stats = (tqk_purge_stats){.due = due};
		return err;
	}
	/* secure_delete zeroed the old cells in the pages written; move them
	 * into the database file and empty the WAL that still holds copies. */
	return store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)");
}
