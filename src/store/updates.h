/*
 * updates.h - the registration institution's decisions and messages
 * (GET /v1/updates, proto/api.h) applied to the applications in the local
 * store, page by page, each page with its delta cursor in one transaction,
 * so that a download broken off resumes after the last page applied.
 *
 * An update changes an application's state only where the institution may
 * make that move from the state the kiosk holds (tqk_state_transition with
 * TQK_ACTOR_INSTITUTION); one that does not apply (an unknown or purged
 * registration number, a move not allowed from the local state) is skipped
 * and counted, never an error: the server's next download of the
 * application (a newer revision) brings the row as the server has it. The
 * revision is left alone for that reason. As with the applications
 * download (apps.h, kept_state), an application whose local confirmation
 * is not uploaded yet keeps its local state and message: the server decided
 * on a view that lacks it.
 */
#ifndef TQK_STORE_UPDATES_H
#define TQK_STORE_UPDATES_H

#include <stddef.h>

#include "core/date.h"
#include "proto/api.h"
#include "store/apps.h"
#include "store/store.h"

typedef struct tqk_update_stats {
	size_t applied;         /* a state and its message, or a message alone */
	size_t kept;            /* a local confirmation waits for upload: not applied */
	size_t skipped;         /* did not apply: unknown, purged, or not allowed */
} tqk_update_stats;

/*
 * Applies updates[0..n-1] in order, and stores cursor (NULL: keep the
 * stored one) as the updates cursor, in one transaction with an audit row
 * "updates.apply" when any applied. An update that applies sets the state
 * (unless it carries none: TQK_ST_NONE) and replaces the institution's
 * message (inst_message) with its own. Checked first, nothing written on a
 * failure, *bad_index (when not NULL) naming the update: TQK_E_TOO_LONG for
 * a cursor over TQK_STORE_CURSOR_CAP - 1 bytes or more than TQK_API_PAGE_MAX
 * updates, TQK_E_STATE_UNKNOWN for a state out of range, the errors of
 * tqk_message_check for the message. Otherwise the store's failures, with
 * *stats zeroed.
 */
tqk_err tqk_store_updates_apply(tqk_store *s, const tqk_update *updates, size_t n,
                                const char *cursor, tqk_time now, tqk_update_stats *stats,
                                size_t *bad_index) TQK_MUST_CHECK;

/* The stored updates cursor; "" before the first page. Fails only with the
 * store's failures. */
tqk_err tqk_store_updates_cursor(tqk_store *s, char buf[TQK_STORE_CURSOR_CAP]) TQK_MUST_CHECK;

#endif
