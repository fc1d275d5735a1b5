/*
 * srv_apps.h - the server's applications and everything that changes them:
 * imports, walk-in applications from kiosks, confirmations uploaded by
 * kiosks, and the institution's decisions and messages (updates).
 *
 * Every change to an application gives it a new seq from the one monotonic
 * counter (srv_db_next_seq) and stores it with rev = seq, so a kiosk paging
 * by "seq > cursor" sees every change once. Callers hold the database lock
 * and run each call inside their transaction (srv_db_begin / srv_db_end):
 * nothing here commits.
 */
#ifndef TQK_SRV_APPS_H
#define TQK_SRV_APPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/application.h"
#include "core/confirmation.h"
#include "core/err.h"
#include "proto/api.h"
#include "srv_db.h"

typedef enum srv_put {
	SRV_PUT_INSERTED = 1,
	SRV_PUT_UPDATED,        /* it differed: stored with a new seq */
	SRV_PUT_UNCHANGED
} srv_put;

/*
 * Stores a checked application under its reg_no (a->rev is ignored and set
 * to the new seq). Its site must exist: TQK_E_STORE_SITE otherwise. Returns
 * TQK_OK with *how, or the store's error.
 */
tqk_err srv_apps_put(srv_db *db, tqk_application *a, srv_put *how) TQK_MUST_CHECK;

/* The application reg_no (decoded with today) and its seq.
 * TQK_E_STORE_NOT_FOUND when none; TQK_E_STORE_CORRUPT when the stored
 * document does not decode. */
tqk_err srv_apps_get(srv_db *db, const char *reg_no, tqk_date today, tqk_application *out,
                     int64_t *seq) TQK_MUST_CHECK;

/*
 * A page of site's applications with seq > since, in seq order, at most
 * limit: *items a new JSON array of their documents, *last the seq of the
 * last one (since when none), *more whether others follow. Returns TQK_OK,
 * TQK_E_NOMEM or the store's error.
 */
tqk_err srv_apps_page(srv_db *db, const char *site, int64_t since, size_t limit, json_t **items,
                      int64_t *last, bool *more) TQK_MUST_CHECK;

/*
 * The institution's decision (state, or TQK_ST_NONE for a message alone)
 * and message on application reg_no, at time now: the state must be one the
 * institution may move it to from its current one (tqk_state_transition),
 * the message valid (tqk_message_check), and one of the two given. Creates
 * an update for the application's site and bumps the application.
 * Returns TQK_OK and the update's seq, TQK_E_STORE_NOT_FOUND, the state or
 * message error, TQK_E_ARG when both are empty, or the store's error.
 */
tqk_err srv_apps_decide(srv_db *db, const char *reg_no, tqk_state state, const char *message,
                        tqk_time now, int64_t *seq) TQK_MUST_CHECK;

/* A page of site's updates with seq > since, as srv_apps_page. */
tqk_err srv_apps_updates_page(srv_db *db, const char *site, int64_t since, size_t limit,
                              json_t **items, int64_t *last, bool *more) TQK_MUST_CHECK;

/*
 * One uploaded confirmation record from kiosk of site, received at now
 * (today bounds its dates): fills *r with stored, duplicate (same uuid, same
 * canonical content), conflict (same uuid, other content: not overwritten)
 * or rejected (error and message say why). A stored record is applied to
 * its application (state, site message, remark, corrections) which gets a
 * new seq. Its reg_no may also be a provisional number of a walk-in
 * application of the site. An archive number is unique per site: one that
 * a record of another application of the site holds is rejected
 * "archive.taken", and one whose serial is outside the serials given to
 * the record's kiosk (if any) "archive.range"; nothing is stored for them.
 * A demo kiosk's record (time source "demo") is rejected "record.demo"
 * unless demo is set (a server run for demonstrations).
 * Returns TQK_OK whenever *r says what happened;
 * any other value is a store failure that must abort the whole batch.
 */
tqk_err srv_apps_confirm(srv_db *db, const char *site, const json_t *record, bool demo,
                         tqk_date today, tqk_time now, tqk_upload_result *r) TQK_MUST_CHECK;

/*
 * One teacher's change (core/change.h) from kiosk of site, decoded with the
 * server's date: the same uuid again is a duplicate (the same record) or a
 * conflict; it is rejected when it does not decode, is a demo's on a server
 * that is not a demo server, names another site or kiosk, an unknown
 * application or one of another site, or when the application no longer
 * takes it (walkin.readonly: past state 1; store.stale: a value changed
 * meanwhile); nothing is stored then. Otherwise the application gets the
 * change and a new seq. Returns TQK_OK whenever *r says what happened.
 */
tqk_err srv_apps_change(srv_db *db, const char *site, const char *kiosk, const json_t *record,
                        bool demo, tqk_date today, tqk_time now,
                        tqk_upload_result *r) TQK_MUST_CHECK;

/* The result of one walk-in application. */
typedef struct srv_walkin_result {
	char provisional[TQK_CODE_CAP];
	tqk_upload_status status;           /* stored, duplicate or rejected */
	char reg_no[TQK_CODE_CAP];          /* the official number, when not rejected */
	char error[64];
	char message[256];
} srv_walkin_result;

/*
 * One walk-in application {"provisional": CODE, ...application members}
 * from kiosk of site (the members reg_no, state and rev may be left out:
 * they default to the provisional number, "submitted" and 0). A provisional
 * number seen before for the site is a duplicate and gets the number it got
 * then; a new one gets an official registration number: the site's year,
 * "9", and nine digits from a counter. A "password_hash" member (the
 * teacher's login: an argon2id string, else rejected) is kept in logins,
 * at now, never in the application's document. One with "demo": true is
 * rejected "record.demo" unless demo is set. Returns TQK_OK whenever *r
 * says what happened, any other value is a store failure.
 */
#define SRV_PASSWORD_HASH_CAP 128
tqk_err srv_apps_walkin(srv_db *db, const char *site, const char *kiosk, const json_t *item,
                        bool demo, tqk_date today, tqk_time now,
                        srv_walkin_result *r) TQK_MUST_CHECK;

/* One stored confirmation, as the admin lists and exports them. */
typedef struct srv_conf_row {
	const char *uuid, *reg_no, *site, *kiosk, *conclusion, *archive_no;
	tqk_time at, received;
	const json_t *record;               /* the record (json.h) */
	const json_t *application;          /* the server's copy of its application */
} srv_conf_row;

/* Calls fn for every stored confirmation (of site, or all when site is
 * NULL) in the order received; stops at fn's first non-zero return.
 * Returns TQK_OK or the store's error. */
tqk_err srv_apps_confirmations(srv_db *db, const char *site,
                               int (*fn)(void *ctx, const srv_conf_row *row),
                               void *ctx) TQK_MUST_CHECK;

#endif
