/*
 * worker.h - the sync worker: the kiosk's queue up, the county's data down.
 *
 * A round: read the server's time and anchor the trusted clock; upload the
 * outbox in batches (a row is acked only from the server's result for its
 * uuid: stored or duplicate; conflict and rejected quarantine it as
 * rejected, with the reason, never blocking the rest, a conflict's reason
 * starting "conflict: "; anything else puts the batch back with backoff;
 * each batch's results are recorded in one transaction); download the plan, the clerks, the applications
 * and the updates by their persisted cursors, page by page, each page stored
 * with its cursor in one transaction so a broken download resumes where it
 * stopped.
 *
 * The worker runs rounds on its own thread with its own store connection.
 * After a failure it waits with exponential backoff and full jitter (1 s
 * doubling up to the config's cap); while the server cannot be reached at
 * all (the round's first request, GET /v1/time, fails) the waits stop
 * doubling at TQK_SYNC_PROBE_MAX seconds: such a probe costs nothing, and
 * the queue then goes within seconds of the network's return.
 * tqk_sync_wake() (a new commit, a clerk's "sync now", a network that came
 * back) starts the next round at once. After a round that went through it
 * waits TQK_SYNC_INTERVAL seconds, or until woken.
 *
 * Rows put back after a failed upload: when the network or the signature
 * failed (not the records' fault) they are due again at once, so that the
 * first round after the network returns sends them; when the server
 * answered the batch with an error status or a reply it could not have
 * meant, each row waits min(cap, 2^attempts s) with full jitter, so that a
 * batch the server chokes on never holds back the rows behind it.
 */
#ifndef TQK_SYNC_WORKER_H
#define TQK_SYNC_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "sync/client.h"
#include "store/store.h"
#include "sync/clock.h"

typedef struct tqk_round_stats {
	size_t uploaded;        /* stored + duplicate: now acked */
	size_t duplicates;      /* of those, the server had already */
	size_t rejected;        /* quarantined (rejected or conflict) */
	size_t retried;         /* put back for a later attempt */
	size_t applications;    /* downloaded and stored */
	size_t updates;         /* decisions and messages applied */
	size_t clerks;
	bool plan;              /* a new plan was stored */
	tqk_time server_time;   /* 0 when the server was not reached */
	bool clock_jump;        /* the wall clock strayed from the trusted time (audited) */
	char detail[256];       /* on a failure: what failed, for the administrator;
	                         * never personal data */
} tqk_round_stats;

#define TQK_SYNC_INTERVAL 60            /* seconds between rounds that went through */
#define TQK_SYNC_PROBE_MAX 8            /* seconds: the backoff's cap while unreachable */
#define TQK_SYNC_PAGE 500               /* applications or updates asked for per page */
#define TQK_SYNC_PAGES_MAX 2000         /* pages of one download in one round */
#define TQK_SYNC_CLOCK_SETTING "clock.state"

/*
 * One full round now, on the caller's thread, with store s and client c,
 * batches and backoff of the defaults (tqk_sync_config_defaults). Returns
 * TQK_OK when everything went through; otherwise the first failure (what
 * went through stays done), with stats->detail saying what failed: the
 * client's failures (client.h), the store's, and a download the store
 * refuses (e.g. TQK_E_STORE_SITE for another site's plan). A failed
 * download does not keep the others from running, unless the network, the
 * signature or the store failed. The trusted clock is loaded from and saved
 * to the store's setting TQK_SYNC_CLOCK_SETTING; the store is checkpointed
 * when the round leaves nothing to upload.
 */
tqk_err tqk_sync_round(tqk_store *s, tqk_client *c, const tqk_clock_source *src,
                       tqk_round_stats *stats) TQK_MUST_CHECK;
/* The same with cfg's batch size and backoff cap. */
tqk_err tqk_sync_round_with(tqk_store *s, tqk_client *c, const tqk_clock_source *src,
                            const tqk_sync_config *cfg, tqk_round_stats *stats) TQK_MUST_CHECK;

typedef struct tqk_sync tqk_sync;

/*
 * Starts the worker thread on db_path with cfg: it opens its own store
 * connection and a libcurl client at once, so that their failures come back
 * here (the store's: TQK_E_STORE_*, with the detail lost; the transport's),
 * or TQK_E_NOMEM; the first round starts at once.
 */
tqk_err tqk_sync_start(const char *db_path, const tqk_sync_config *cfg, tqk_sync **out) TQK_MUST_CHECK;
/* The same over transport t (its ownership moves here, also on failure)
 * and the clocks of src (which must outlive the worker): for tests and
 * fault injection. */
tqk_err tqk_sync_start_with(const char *db_path, const tqk_sync_config *cfg, tqk_http_transport t,
                            const tqk_clock_source *src, tqk_sync **out) TQK_MUST_CHECK;
/* Calls fn(ctx) on the worker's thread after every round (fn NULL: none),
 * outside the worker's lock: fn must be quick and thread-safe (the kiosk
 * posts an SDL event to its loop). Set it right after the start; a round
 * that ended before is not reported. NULL w is a no-op. */
void tqk_sync_on_round(tqk_sync *w, void (*fn)(void *ctx), void *ctx);

/* Starts the next round at once (thread-safe, from any thread); a wake
 * during a round starts another right after it. NULL is a no-op. */
void tqk_sync_wake(tqk_sync *w);
/* Stops after the current request, joins the thread; NULL is a no-op. */
void tqk_sync_stop(tqk_sync *w);

/* How the worker is doing, for a status line (thread-safe). */
typedef struct tqk_sync_status {
	unsigned long rounds;           /* rounds finished */
	unsigned failures;              /* rounds failed in a row (0: the last went through) */
	tqk_err last_err;               /* the last round's result */
	tqk_round_stats last;           /* the last round's figures and detail */
} tqk_sync_status;
void tqk_sync_get_status(tqk_sync *w, tqk_sync_status *out);

#endif
