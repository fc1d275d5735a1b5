/*
 * worker.c - the sync worker (worker.h): one round of uploads and
 * downloads, and the thread that runs rounds with backoff and wakes.
 *
 * A round reads the server's time first: it anchors the trusted clock, and
 * it is the probe that tells whether the server can be reached at all, so a
 * kiosk without network spends one short request per round. Uploads come
 * next (the records the kiosk promised to deliver), then the downloads in
 * the order the kiosk needs them: the plan, the clerks, the applications,
 * the institution's updates.
 *
 * Texts written into the outbox's last_error and the round's detail come
 * from the client's detail and the server's error codes, which never hold
 * personal data (client.h).
 */
#include "sync/worker.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/apps.h"
#include "store/change.h"
#include "store/audit.h"
#include "store/clerks.h"
#include "store/outbox.h"
#include "store/plan.h"
#include "store/updates.h"
#include "store/walkin.h"

/* ---- small helpers ---- */

/* Copies src into dst of cap bytes, cut at a UTF-8 character boundary. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* "domain.code" of err, then ": " and more when more is not empty, into
 * dst of cap bytes (cut at a character boundary). */
static void err_text(char *dst, size_t cap, tqk_err err, const char *more)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s.%s%s%s", tqk_err_domain(err), tqk_err_code(err),
	         more != NULL && more[0] != '\0' ? ": " : "", more != NULL ? more : "");
	copy_cut(dst, cap, buf);
}

/* The network, the server's identity or the kiosk's key failed: not the
 * records' fault, and no later request of this round can go through. */
static bool unreachable(tqk_err err)
{
	return err == TQK_E_NET || err == TQK_E_NET_TIMEOUT || err == TQK_E_NET_TLS ||
	       err == TQK_E_AUTH_MISSING || err == TQK_E_AUTH_KIOSK || err == TQK_E_AUTH_SIGNATURE ||
	       err == TQK_E_AUTH_STALE || err == TQK_E_AUTH_REPLAY;
}

/* The store itself failed (SQLite, memory): nothing more can be recorded. */
static bool store_broken(tqk_err err)
{
	switch (err) {
	case TQK_E_NOMEM:
	case TQK_E_STORE_OPEN:
	case TQK_E_STORE_CORRUPT:
	case TQK_E_STORE_FULL:
	case TQK_E_STORE_IO:
	case TQK_E_STORE_READONLY:
	case TQK_E_STORE_BUSY:
	case TQK_E_STORE_INTERNAL:
		return true;
	default:
		return false;
	}
}

/* A delay of full jitter under min(cap, 2^exp) seconds, in milliseconds. */
static int64_t jitter_ms(unsigned exp, int cap)
{
	int64_t ceiling = exp >= 30 ? (int64_t)cap : (int64_t)1 << exp;
	if (ceiling > cap)
		ceiling = cap;
	if (ceiling < 1)
		ceiling = 1;
	return (int64_t)randombytes_uniform((uint32_t)(ceiling * 1000 + 1));
}

/* ---- one round ---- */

struct round {
	tqk_store *s;
	tqk_client *c;
	const tqk_clock_source *src;
	size_t batch;
	int cap;                        /* the backoff cap, seconds */
	const atomic_bool *stop;        /* NULL: never asked to stop */
	tqk_clock clk;
	tqk_round_stats *stats;
	tqk_err first;                  /* the round's first failure */
};

/* Whether tqk_sync_stop() asked the round to end (between requests). */
static bool stopping(const struct round *r)
{
	return r->stop != NULL && atomic_load(r->stop);
}

/* Remembers err as the round's failure when it is the first; what is its
 * detail for the administrator (the code itself is the round's result).
 * Returns err. */
static tqk_err failed(struct round *r, tqk_err err, const char *what)
{
	if (err != TQK_OK && r->first == TQK_OK) {
		r->first = err;
		copy_cut(r->stats->detail, sizeof r->stats->detail, what != NULL ? what : "");
	}
	return err;
}

/* failed() with the client's detail (client.h: no personal data). */
static tqk_err client_failed(struct round *r, tqk_err err)
{
	return failed(r, err, tqk_client_detail(r->c));
}

/* failed() with what, and SQLite's words when the store itself failed. */
static tqk_err store_failed(struct round *r, tqk_err err, const char *what)
{
	char buf[512];
	const char *d = tqk_store_detail(r->s);
	snprintf(buf, sizeof buf, "%s%s%s", what, d[0] != '\0' ? ": " : "", d);
	return failed(r, err, store_broken(err) ? buf : what);
}

/* The trusted time now into *now; a wall clock that has just jumped is
 * audited. Fails only when that audit row cannot be written. */
static tqk_err now_of(struct round *r, tqk_time *now)
{
	bool jump = false;
	tqk_time_source source;
	*now = tqk_clock_now(&r->clk, r->src, &source, &jump);
	if (!jump)
		return TQK_OK;
	r->stats->clock_jump = true;
	char detail[TQK_AUDIT_TEXT_CAP];
	snprintf(detail, sizeof detail, "wall=%lld trusted=%lld source=%s",
	         (long long)r->src->wall(r->src->ctx), (long long)*now, tqk_time_source_code(source));
	tqk_err err = tqk_store_audit_append(r->s, *now, "kiosk", "clock.jump", "", detail);
	return err != TQK_OK ? store_failed(r, err, "audit clock.jump") : TQK_OK;
}

/* Reads the trusted clock's state from the store; a missing or unreadable
 * one starts afresh (no anchor). Fails only with the store's failures. */
static tqk_err load_clock(struct round *r)
{
	char text[TQK_STORE_SETTING_CAP];
	memset(&r->clk, 0, sizeof r->clk);
	tqk_err err = tqk_store_setting_get(r->s, TQK_SYNC_CLOCK_SETTING, text, sizeof text);
	if (err == TQK_OK && !tqk_clock_load(text, &r->clk))
		memset(&r->clk, 0, sizeof r->clk);     /* unreadable: start afresh */
	if (err == TQK_E_STORE_NOT_FOUND || err == TQK_E_TOO_LONG)
		err = TQK_OK;
	return err != TQK_OK ? store_failed(r, err, "read " TQK_SYNC_CLOCK_SETTING) : TQK_OK;
}

/* Writes the trusted clock's state back. Fails with the store's failures. */
static tqk_err save_clock(struct round *r)
{
	char text[TQK_CLOCK_TEXT_CAP];
	tqk_clock_save(&r->clk, text);
	tqk_err err = tqk_store_setting_set(r->s, TQK_SYNC_CLOCK_SETTING, text);
	return err != TQK_OK ? store_failed(r, err, "write " TQK_SYNC_CLOCK_SETTING) : TQK_OK;
}

/* ---- uploads ---- */

/* What one batch's answers are written with: per claimed row, its answer,
 * its error text and whether the store moved it (r->batch of each). */
struct answers {
	tqk_outbox_answer *a;
	char (*text)[TQK_OUTBOX_ERROR_CAP];
	bool *moved;
};

/* Puts items[0..n-1] back after why, in one transaction: due at once when
 * the records are not at fault, otherwise after a jittered backoff on their
 * attempts. Returns the store's failure (the rows then stay sending until
 * their lease runs out), TQK_OK otherwise. */
static tqk_err put_back(struct round *r, const tqk_outbox_item *items, size_t n, tqk_err why,
                        tqk_time now, struct answers *ans)
{
	err_text(ans->text[0], sizeof ans->text[0], why, tqk_client_detail(r->c));
	for (size_t i = 0; i < n; i++) {
		tqk_time next = now;
		if (!unreachable(why))
			next += (jitter_ms((unsigned)items[i].attempts + 1, r->cap) + 999) / 1000;
		ans->a[i] = (tqk_outbox_answer){.uuid = items[i].uuid, .state = TQK_OUTBOX_PENDING,
		                                .error = ans->text[0], .next_attempt = next};
	}
	tqk_err err = tqk_store_outbox_answer(r->s, ans->a, n, now, ans->moved);
	for (size_t i = 0; err == TQK_OK && i < n; i++)
		r->stats->retried += ans->moved[i];
	return err;
}

/* The server's result for one claimed row as the store's answer into *a,
 * its error text in text (a conflict's starts with "conflict: ", so that
 * an administrator tells it from a rejection). */
static void answer_of(struct round *r, const tqk_outbox_item *it, const tqk_upload_result *res,
                      tqk_time now, tqk_outbox_answer *a, char text[TQK_OUTBOX_ERROR_CAP])
{
	*a = (tqk_outbox_answer){.uuid = it->uuid, .state = TQK_OUTBOX_ACKED, .error = text};
	text[0] = '\0';
	switch (res->status) {
	case TQK_UPLOAD_STORED:
	case TQK_UPLOAD_DUPLICATE:
		/* a walk-in's official number goes in with the answer */
		if (res->reg_no[0] != '\0')
			a->official = res->reg_no;
		break;
	case TQK_UPLOAD_CONFLICT:
	case TQK_UPLOAD_REJECTED: {
		char buf[512];
		bool conflict = res->status == TQK_UPLOAD_CONFLICT;
		const char *code = res->error[0] != '\0' ? res->error : tqk_upload_status_code(res->status);
		snprintf(buf, sizeof buf, "%s%s%s%s",
		         conflict && strcmp(code, "conflict") != 0 ? "conflict: " : "", code,
		         res->message[0] != '\0' ? ": " : "", res->message);
		copy_cut(text, TQK_OUTBOX_ERROR_CAP, buf);
		a->state = TQK_OUTBOX_REJECTED;
		break;
	}
	default:
		/* client.c never hands out another status; keep the row. */
		snprintf(text, TQK_OUTBOX_ERROR_CAP, "net.reply: unknown result");
		a->state = TQK_OUTBOX_PENDING;
		a->next_attempt = now + r->cap;
		break;
	}
}

/* Records the server's results for k claimed rows in one transaction and
 * counts them. A row no longer sending (another uploader's lease took it
 * and answered it; the server's idempotency made that harmless) is not
 * counted. Fails with the store's failures (the rows stay sending: their
 * lease brings them back). */
static tqk_err record_results(struct round *r, const tqk_outbox_item *items,
                              const tqk_upload_result *results, size_t k, tqk_time now,
                              struct answers *ans)
{
	for (size_t i = 0; i < k; i++)
		answer_of(r, &items[i], &results[i], now, &ans->a[i], ans->text[i]);
	tqk_err err = tqk_store_outbox_answer(r->s, ans->a, k, now, ans->moved);
	for (size_t i = 0; err == TQK_OK && i < k; i++) {
		if (!ans->moved[i])
			continue;
		if (ans->a[i].state == TQK_OUTBOX_ACKED) {
			r->stats->uploaded++;
			r->stats->duplicates += results[i].status == TQK_UPLOAD_DUPLICATE;
		} else if (ans->a[i].state == TQK_OUTBOX_REJECTED) {
			r->stats->rejected++;
		} else {
			r->stats->retried++;
		}
	}
	return err;
}

/*
 * Sends the n claimed rows, in parts when the batch would make a body over
 * the API's cap, and records each part's results in one transaction. A
 * failed request puts back every row not yet answered and ends the upload
 * with its failure.
 */
/* How one kind of outbox row goes to the server. */
typedef tqk_err (*upload_fn)(tqk_client *c, tqk_time now, const char *const *payloads, size_t n,
                             tqk_upload_result *results);

static tqk_err send_claimed(struct round *r, upload_fn send, tqk_outbox_item *items, size_t n,
                            const char **payloads, tqk_upload_result *results, tqk_time now,
                            struct answers *ans)
{
	size_t from = 0, part = n;
	while (from < n) {
		size_t k = n - from < part ? n - from : part;
		for (size_t i = 0; i < k; i++)
			payloads[i] = items[from + i].payload;
		tqk_err err = send(r->c, now, payloads, k, results);
		if (err == TQK_E_TOO_LONG && k > 1) {
			part = k / 2;
			continue;
		}
		if (err != TQK_OK) {
			client_failed(r, err);
			tqk_err kept = put_back(r, items + from, n - from, err, now, ans);
			if (kept != TQK_OK)
				store_failed(r, kept, "outbox retry");
			return err;
		}
		if ((err = record_results(r, items + from, results, k, now, ans)) != TQK_OK)
			return store_failed(r, err, "outbox result");
		from += k;
	}
	return TQK_OK;
}

/* Claims and sends batches until nothing is due. Returns the first failure
 * (the client's or the store's; TQK_E_NOMEM). */
static tqk_err upload(struct round *r)
{
	tqk_outbox_item *items = calloc(r->batch, sizeof *items);
	const char **payloads = calloc(r->batch, sizeof *payloads);
	tqk_upload_result *results = calloc(r->batch, sizeof *results);
	struct answers ans = {
		.a = calloc(r->batch, sizeof *ans.a),
		.text = calloc(r->batch, sizeof *ans.text),
		.moved = calloc(r->batch, sizeof *ans.moved),
	};
	tqk_err err = TQK_OK;
	if (items == NULL || payloads == NULL || results == NULL || ans.a == NULL ||
	    ans.text == NULL || ans.moved == NULL)
		err = failed(r, TQK_E_NOMEM, "upload buffers");
	while (err == TQK_OK && !stopping(r)) {
		tqk_time now;
		if ((err = now_of(r, &now)) != TQK_OK)
			break;
		size_t n = 0;
		if ((err = tqk_store_outbox_claim(r->s, now, r->batch, items, &n)) != TQK_OK) {
			store_failed(r, err, "outbox claim");
			break;
		}
		if (n == 0)
			break;
		/* Walk-ins first, then changes, then confirmations, each kind to
		 * its own call. A walk-in's confirmations and changes are claimed
		 * only once the walk-in is acked (outbox.h). */
		static const struct {
			const char *kind;       /* NULL: every other kind */
			upload_fn send;
		} order[] = {
			{TQK_WALKIN_KIND, tqk_client_upload_walkins},
			{TQK_CHANGE_KIND, tqk_client_upload_changes},
			{NULL, tqk_client_upload},
		};
		size_t done = 0;
		for (size_t o = 0; err == TQK_OK && o < sizeof order / sizeof order[0]; o++) {
			size_t w = done;
			for (size_t i = done; i < n; i++) {
				if (order[o].kind != NULL && strcmp(items[i].kind, order[o].kind) != 0)
					continue;
				tqk_outbox_item t = items[i];
				memmove(&items[w + 1], &items[w], (i - w) * sizeof *items);
				items[w++] = t;
			}
			err = send_claimed(r, order[o].send, items + done, w - done, payloads, results,
			                   now, &ans);
			done = w;
		}
		if (err != TQK_OK && done < n) {
			/* what a failure held back waits with what failed */
			tqk_err kept = put_back(r, items + done, n - done, err, now, &ans);
			if (kept != TQK_OK)
				store_failed(r, kept, "outbox retry");
		}
		for (size_t i = 0; i < n; i++)
			tqk_outbox_item_clear(&items[i]);
	}
	free(ans.moved);
	free(ans.text);
	free(ans.a);
	free(results);
	free(payloads);
	free(items);
	return err;
}

/* ---- downloads ---- */

/* GET /v1/plan, stored when newer. Fails with the client's failures, or
 * the store's refusal (plan.h). */
static tqk_err download_plan(struct round *r)
{
	tqk_time now;
	tqk_err err = now_of(r, &now);
	if (err != TQK_OK)
		return err;
	tqk_plan p;
	memset(&p, 0, sizeof p);
	if ((err = tqk_client_plan(r->c, now, &p)) != TQK_OK)
		return client_failed(r, err);
	bool stored = false;
	err = tqk_store_plan_put(r->s, &p, now, &stored);
	tqk_plan_clear(&p);
	if (err != TQK_OK)
		return store_failed(r, err, "GET /v1/plan: not stored");
	r->stats->plan = stored;
	return TQK_OK;
}

/* GET /v1/clerks, replacing the stored list. Fails with the client's
 * failures, or the store's refusal (clerks.h). */
static tqk_err download_clerks(struct round *r)
{
	tqk_time now;
	tqk_err err = now_of(r, &now);
	if (err != TQK_OK)
		return err;
	tqk_clerk *list = NULL;
	size_t n = 0, bad = 0;
	if ((err = tqk_client_clerks(r->c, now, &list, &n)) != TQK_OK)
		return client_failed(r, err);
	err = tqk_store_clerks_replace(r->s, list, n, now, NULL, &bad);
	sodium_memzero(list, n * sizeof *list);
	free(list);
	if (err != TQK_OK) {
		char what[64];
		snprintf(what, sizeof what, "GET /v1/clerks: clerk %zu not stored", bad);
		return store_failed(r, err, what);
	}
	r->stats->clerks = n;
	return TQK_OK;
}

/* One page of a download into the store: n items with the page's cursor.
 * *count gets what it adds to the round's figure. */
typedef tqk_err (*page_fetch)(struct round *r, tqk_time now, const char *cursor, void **items,
                              size_t *n, char next[TQK_JSON_CURSOR_MAX + 1], bool *more);
typedef tqk_err (*page_store)(struct round *r, tqk_time now, void *items, size_t n,
                              const char *cursor, size_t *count, size_t *bad);

/* page_fetch and page_store for the applications and the updates. */
static tqk_err fetch_apps(struct round *r, tqk_time now, const char *cursor, void **items,
                          size_t *n, char next[TQK_JSON_CURSOR_MAX + 1], bool *more)
{
	tqk_application *apps = NULL;
	tqk_err err = tqk_client_applications(r->c, now, cursor, TQK_SYNC_PAGE, &apps, n, next, more);
	*items = apps;
	return err;
}

static tqk_err store_apps(struct round *r, tqk_time now, void *items, size_t n, const char *cursor,
                          size_t *count, size_t *bad)
{
	tqk_import_stats st;
	tqk_err err = tqk_store_apps_put(r->s, items, n, cursor, now, &st, bad);
	*count = n;
	return err;
}

static tqk_err fetch_updates(struct round *r, tqk_time now, const char *cursor, void **items,
                             size_t *n, char next[TQK_JSON_CURSOR_MAX + 1], bool *more)
{
	tqk_update *ups = NULL;
	tqk_err err = tqk_client_updates(r->c, now, cursor, TQK_SYNC_PAGE, &ups, n, next, more);
	*items = ups;
	return err;
}

static tqk_err store_updates(struct round *r, tqk_time now, void *items, size_t n,
                             const char *cursor, size_t *count, size_t *bad)
{
	tqk_update_stats st;
	tqk_err err = tqk_store_updates_apply(r->s, items, n, cursor, now, &st, bad);
	*count = st.applied;
	return err;
}

/*
 * Pages from the stored cursor until the server says no more follow (or
 * TQK_SYNC_PAGES_MAX pages: the next round goes on); each page is stored
 * with its own cursor in one transaction, so a download broken off resumes
 * after the last page stored. *total adds up the pages' figures. Returns the
 * client's or the store's first failure.
 */
static tqk_err download_pages(struct round *r, const char *name, const char *cursor0,
                              page_fetch fetch, page_store put, size_t item_size, size_t *total)
{
	char cursor[TQK_STORE_CURSOR_CAP], next[TQK_JSON_CURSOR_MAX + 1];
	copy_cut(cursor, sizeof cursor, cursor0);
	for (int page = 0; page < TQK_SYNC_PAGES_MAX; page++) {
		if (stopping(r))
			return TQK_OK;
		tqk_time now;
		tqk_err err = now_of(r, &now);
		if (err != TQK_OK)
			return err;
		void *items = NULL;
		size_t n = 0, count = 0, bad = 0;
		bool more = false;
		if ((err = fetch(r, now, cursor, &items, &n, next, &more)) != TQK_OK)
			return client_failed(r, err);
		/* An empty page at the same cursor changes nothing: no write. */
		if (n > 0 || strcmp(next, cursor) != 0)
			err = put(r, now, items, n, next, &count, &bad);
		sodium_memzero(items, n * item_size);
		free(items);
		if (err != TQK_OK) {
			char what[320];
			snprintf(what, sizeof what, "%s: item %zu of the page after \"%s\" not stored", name,
			         bad, cursor);
			return store_failed(r, err, what);
		}
		*total += count;
		if (!more)
			return TQK_OK;
		copy_cut(cursor, sizeof cursor, next);
	}
	return TQK_OK;
}

/* GET /v1/applications from the stored cursor (download_pages). */
static tqk_err download_apps(struct round *r)
{
	char cursor[TQK_STORE_CURSOR_CAP];
	tqk_err err = tqk_store_apps_cursor(r->s, cursor);
	if (err != TQK_OK)
		return store_failed(r, err, "read apps.cursor");
	return download_pages(r, "GET /v1/applications", cursor, fetch_apps, store_apps,
	                      sizeof(tqk_application), &r->stats->applications);
}

/* GET /v1/updates from the stored cursor (download_pages). */
static tqk_err download_updates(struct round *r)
{
	char cursor[TQK_STORE_CURSOR_CAP];
	tqk_err err = tqk_store_updates_cursor(r->s, cursor);
	if (err != TQK_OK)
		return store_failed(r, err, "read updates.cursor");
	return download_pages(r, "GET /v1/updates", cursor, fetch_updates, store_updates,
	                      sizeof(tqk_update), &r->stats->updates);
}

/* ---- the round ---- */

/* Checkpoints when nothing waits for upload: the counter is idle. */
static void checkpoint_if_idle(struct round *r)
{
	tqk_outbox_counts q;
	if (tqk_store_outbox_counts(r->s, &q) != TQK_OK ||
	    q.n[TQK_OUTBOX_PENDING] + q.n[TQK_OUTBOX_SENDING] > 0)
		return;
	if (tqk_store_checkpoint(r->s) != TQK_OK) {
		/* A reader in the way: the next idle round tries again. */
	}
}

/* One round (worker.h): returns its first failure, with the detail in
 * r->stats. */
static tqk_err run_round(struct round *r)
{
	memset(r->stats, 0, sizeof *r->stats);
	r->first = TQK_OK;
	tqk_err err = load_clock(r);
	if (err != TQK_OK)
		return err;

	tqk_time server_now;
	if ((err = tqk_client_time(r->c, &server_now)) != TQK_OK)
		return client_failed(r, err);
	tqk_clock_anchor(&r->clk, r->src, server_now);
	r->stats->server_time = server_now;
	tqk_time now;
	if ((err = now_of(r, &now)) != TQK_OK || (err = save_clock(r)) != TQK_OK)
		return err;

	/* Rows a clock running ahead scheduled beyond any backoff or lease. */
	size_t moved;
	int64_t horizon = r->cap > TQK_OUTBOX_LEASE ? r->cap : TQK_OUTBOX_LEASE;
	if ((err = tqk_store_outbox_reschedule(r->s, now, horizon, &moved)) != TQK_OK)
		return store_failed(r, err, "outbox reschedule");

	err = upload(r);
	static tqk_err (*const downloads[])(struct round *) = {
		download_plan, download_clerks, download_apps, download_updates,
	};
	for (size_t i = 0; i < sizeof downloads / sizeof downloads[0]; i++) {
		if (err != TQK_OK && (unreachable(err) || store_broken(err)))
			break;
		if (stopping(r))
			break;
		err = downloads[i](r);
	}
	if (r->first == TQK_OK || !store_broken(r->first)) {
		tqk_err saved = save_clock(r);
		if (saved == TQK_OK)
			checkpoint_if_idle(r);
	}
	return r->first;
}

tqk_err tqk_sync_round_with(tqk_store *s, tqk_client *c, const tqk_clock_source *src,
                            const tqk_sync_config *cfg, tqk_round_stats *stats)
{
	struct round r = {
		.s = s, .c = c, .src = src, .stats = stats,
		.batch = cfg->batch >= 1 && cfg->batch <= TQK_API_BATCH_MAX ? (size_t)cfg->batch : 200,
		.cap = cfg->backoff_cap >= 1 ? cfg->backoff_cap : 300,
	};
	if (sodium_init() < 0) {
		memset(stats, 0, sizeof *stats);
		return TQK_E_NOMEM;
	}
	return run_round(&r);
}

tqk_err tqk_sync_round(tqk_store *s, tqk_client *c, const tqk_clock_source *src,
                       tqk_round_stats *stats)
{
	tqk_sync_config cfg;
	tqk_sync_config_defaults(&cfg);
	return tqk_sync_round_with(s, c, src, &cfg, stats);
}

/* ---- the thread ---- */

struct tqk_sync {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;              /* on CLOCK_MONOTONIC */
	bool wake;                      /* a round is wanted at once */
	bool quit;
	atomic_bool stop;               /* read by a round between requests */
	tqk_store *s;
	tqk_client *c;
	const tqk_clock_source *src;
	tqk_sync_config cfg;
	tqk_sync_status status;
	void (*on_round)(void *ctx);    /* tqk_sync_on_round, under mu */
	void *on_round_ctx;
};

/* Waits ms milliseconds, or until woken or stopped; with mu held. */
static void wait_ms(tqk_sync *w, int64_t ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)(ms / 1000);
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (!w->wake && !w->quit)
		if (pthread_cond_timedwait(&w->cv, &w->mu, &until) == ETIMEDOUT)
			break;
}

/* The worker thread: rounds, then a wait (interval or backoff) that a
 * wake or a stop cuts short, until stopped. */
static void *worker_main(void *arg)
{
	tqk_sync *w = arg;
	pthread_mutex_lock(&w->mu);
	while (!w->quit) {
		w->wake = false;
		pthread_mutex_unlock(&w->mu);

		tqk_round_stats stats;
		struct round r = {
			.s = w->s, .c = w->c, .src = w->src, .stats = &stats, .stop = &w->stop,
			.batch = (size_t)w->cfg.batch, .cap = w->cfg.backoff_cap,
		};
		tqk_err err = run_round(&r);

		pthread_mutex_lock(&w->mu);
		w->status.rounds++;
		w->status.last_err = err;
		w->status.last = stats;
		w->status.failures = err == TQK_OK ? 0 : w->status.failures + 1;
		if (w->quit)
			break;
		void (*fn)(void *) = w->on_round;
		void *ctx = w->on_round_ctx;
		if (fn != NULL) {
			pthread_mutex_unlock(&w->mu);
			fn(ctx);
			pthread_mutex_lock(&w->mu);
			if (w->quit)
				break;
		}
		/* A server out of reach costs nothing to ask again (its
		 * connection fails at once): probe often, so that the
		 * records go within seconds of its return. A server that
		 * answers but fails gets the full backoff. */
		int cap = w->cfg.backoff_cap;
		if (err != TQK_OK && stats.server_time == 0 && cap > TQK_SYNC_PROBE_MAX)
			cap = TQK_SYNC_PROBE_MAX;
		wait_ms(w, err == TQK_OK ? (int64_t)TQK_SYNC_INTERVAL * 1000
		                         : jitter_ms(w->status.failures - 1, cap));
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

void tqk_sync_on_round(tqk_sync *w, void (*fn)(void *ctx), void *ctx)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->on_round = fn;
	w->on_round_ctx = ctx;
	pthread_mutex_unlock(&w->mu);
}

tqk_err tqk_sync_start_with(const char *db_path, const tqk_sync_config *cfg, tqk_http_transport t,
                            const tqk_clock_source *src, tqk_sync **out)
{
	*out = NULL;
	tqk_sync *w = calloc(1, sizeof *w);
	if (w == NULL || sodium_init() < 0) {
		free(w);
		if (t.free != NULL)
			t.free(t.ctx);
		return TQK_E_NOMEM;
	}
	w->cfg = *cfg;
	if (w->cfg.batch < 1 || w->cfg.batch > TQK_API_BATCH_MAX)
		w->cfg.batch = 200;
	if (w->cfg.backoff_cap < 1)
		w->cfg.backoff_cap = 300;
	w->src = src;
	atomic_init(&w->stop, false);
	tqk_err err = tqk_client_new(&w->cfg, t, &w->c);
	if (err == TQK_OK)
		err = tqk_store_open(db_path, NULL, &w->s, NULL);

	pthread_condattr_t ca;
	bool sync_made = false;
	if (err == TQK_OK) {
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		sync_made = pthread_mutex_init(&w->mu, NULL) == 0;
		if (sync_made && pthread_cond_init(&w->cv, &ca) != 0) {
			pthread_mutex_destroy(&w->mu);
			sync_made = false;
		}
		pthread_condattr_destroy(&ca);
		if (!sync_made)
			err = TQK_E_NOMEM;
	}
	if (err == TQK_OK && pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		err = TQK_E_NOMEM;
	}
	if (err != TQK_OK) {
		tqk_store_free(w->s);
		tqk_client_free(w->c);
		sodium_memzero(&w->cfg, sizeof w->cfg);
		free(w);
		return err;
	}
	*out = w;
	return TQK_OK;
}

tqk_err tqk_sync_start(const char *db_path, const tqk_sync_config *cfg, tqk_sync **out)
{
	*out = NULL;
	tqk_http_transport t;
	tqk_err err = tqk_http_curl(cfg, &t);
	if (err != TQK_OK)
		return err;
	return tqk_sync_start_with(db_path, cfg, t, &tqk_clock_system, out);
}

void tqk_sync_wake(tqk_sync *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->wake = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void tqk_sync_stop(tqk_sync *w)
{
	if (w == NULL)
		return;
	atomic_store(&w->stop, true);
	pthread_mutex_lock(&w->mu);
	w->quit = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	tqk_store_free(w->s);
	tqk_client_free(w->c);
	sodium_memzero(&w->cfg, sizeof w->cfg);
	free(w);
}

void tqk_sync_get_status(tqk_sync *w, tqk_sync_status *out)
{
	pthread_mutex_lock(&w->mu);
	*out = w->status;
	pthread_mutex_unlock(&w->mu);
}
