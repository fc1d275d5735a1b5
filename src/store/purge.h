/*
 * purge.h - data minimisation: forgetting personal data the kiosk no longer
 * needs.
 *
 * Once the retention period after the site's confirmation period is over,
 * the personal fields of every application whose records the server has
 * acknowledged (nothing pending, sending or rejected) are emptied, and so
 * are the corrections, remarks and messages of its confirmations. What is
 * left (registration numbers, states, marks, archive numbers) keeps the
 * counts and the audit trail whole. The database runs with secure_delete, and
 * the WAL is checkpointed and truncated afterwards, so the old bytes do not
 * linger in the file.
 */
#ifndef TQK_STORE_PURGE_H
#define TQK_STORE_PURGE_H

#include <stddef.h>

#include "core/date.h"
#include "store/store.h"

#define TQK_RETENTION_DAYS_DEFAULT 30

typedef struct tqk_purge_stats {
	size_t applications;    /* applications emptied now */
	size_t confirmations;   /* confirmations emptied now */
	size_t held;            /* applications kept because a record is not acknowledged */
	tqk_day due;            /* the first day a purge removes anything */
} tqk_purge_stats;

/*
 * Purges when today is after period_end + retention_days; before that it
 * changes nothing and reports when it will (stats->due). One transaction.
 */
tqk_err tqk_store_purge(tqk_store *s, tqk_day period_end, int retention_days, tqk_day today,
                        tqk_time now, tqk_purge_stats *stats) TQK_MUST_CHECK;

#endif
