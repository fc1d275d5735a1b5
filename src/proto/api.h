/*
 * api.h - the county API's documents other than applications and
 * confirmations (json.h): the server's time, the plan, clerk accounts, the
 * institution's updates, pages of downloads, and the per-record results of an
 * upload. Shared by tq-county and the kiosk's sync worker; the HTTP side is
 * described in tools/county-server/API.md.
 *
 * Decoders are strict and bounded like json.h's: wrong types and missing
 * members are TQK_E_JSON_TYPE with *bad naming the member, over-long texts
 * TQK_E_TOO_LONG; nothing is written to the output on failure.
 */
#ifndef TQK_PROTO_API_H
#define TQK_PROTO_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/application.h"
#include "core/date.h"
#include "core/err.h"
#include "core/payload.h"
#include "core/state.h"
#include "core/uuid.h"
#include "core/walkin.h"

#define TQK_API_BATCH_MAX 500           /* records in one POST /v1/confirmations */
#define TQK_API_BODY_MAX (4u << 20)     /* bytes in any request or reply body */
#define TQK_API_PAGE_MAX 1000           /* applications or updates in one page */
#define TQK_API_CALENDAR_MAX (64u << 10)/* bytes of calendar text in a plan */

/* ---- GET /v1/time: {"now": <seconds since the epoch>} ---- */
json_t *tqk_api_time_encode(tqk_time now);
tqk_err tqk_api_time_decode(const json_t *obj, tqk_time *now, const char **bad) TQK_MUST_CHECK;

/* ---- GET /v1/plan ----
 * {"rev": n, "site": "S01", "site_name": "...", "title": "2026、长沙", "county": "CSX", "year": 2026,
 *  "site_no": 1, "width": 3, "apply_start": "YYYY-MM-DD", "apply_end": ...,
 *  "confirm_start": ..., "confirm_end": ..., "opens": "08:30", "closes": "17:30",
 *  "calendar": "<the text of a .cal file, core/calendar.h>",
 *  "keys": [{"kid": "k1a2b3c4d", "public": "<43 characters of base64url>"}, ...]}
 * title (optional: older servers leave it out) is at most 256 bytes of
 * UTF-8 on one line. keys are the county's Ed25519 public keys that verify the QR payloads of
 * printed forms (core/payload.h): the active one first, then the retired
 * ones still accepted; at most TQK_KEYSET_MAX. A plan without "keys" (from a
 * server older than them) decodes with none.
 * "trees": {"authorities": "<a .tree file, core/tree.h>", ...}: the county's
 * own hierarchies for the walk-in, each replacing the kiosk's shipped file
 * of that kind (tqk_plan_tree_kinds); absent ones are not replaced. Each
 * must parse, with the member's name as its kind. */
#define TQK_PLAN_TREES 4
extern const char *const tqk_plan_tree_kinds[TQK_PLAN_TREES];

typedef struct tqk_plan {
	int64_t rev;                        /* the server's revision of the plan */
	char site[TQK_CODE_CAP];
	char site_name[TQK_TEXT_CAP];
	/* the archive bags' title, e.g. "2024、长沙" (seed, first text, 1(2));
	 * "" when the county set none */
	char title[TQK_TEXT_CAP];
	char county[8];
	int year, site_no, width;           /* the archive number's parts */
	tqk_date apply_start, apply_end;    /* the online application window */
	tqk_date confirm_start, confirm_end;/* this site's confirmation period */
	int32_t opens, closes;              /* seconds after local midnight */
	char *calendar;                     /* owned; tqk_plan_clear() frees it */
	tqk_keyset keys;                    /* the form payloads' public keys */
	/* the registration institutions a walk-in may choose, with their
	 * application windows (core/walkin.h) */
	size_t n_institutions;
	tqk_institution institutions[TQK_INSTITUTIONS_MAX];
	char *trees[TQK_PLAN_TREES];        /* owned, by kind; NULL: not delivered */
} tqk_plan;

/* Frees the calendar and the trees and empties p. Clear a plan before decoding into it
 * again: the decoder overwrites *out without freeing. */
void tqk_plan_clear(tqk_plan *p);
/* A plan's "institutions": [{"name", "apply_start", "apply_end"}], at most
 * TQK_INSTITUTIONS_MAX, checked with tqk_institutions_check; NULL (absent)
 * decodes as none. The server keeps the list as this JSON too. */
json_t *tqk_api_institutions_encode(const tqk_institution *v, size_t n);
tqk_err tqk_api_institutions_decode(const json_t *list, tqk_institution *out,
                                    size_t *n) TQK_MUST_CHECK;
json_t *tqk_api_plan_encode(const tqk_plan *p);
/* Checks dates (start <= end), hours (opens < closes) and the archive parts
 * (tqk_archive_check); the calendar text is only length-checked here. The
 * keys: more than TQK_KEYSET_MAX is TQK_E_TOO_LONG, an item that is not an
 * object of two strings TQK_E_JSON_TYPE, a kid that is not tqk_kid_valid
 * or comes twice, or a public key that is not exactly 43 canonical
 * base64url characters, TQK_E_FIELD_VALUE (*bad is "keys" for them all). */
tqk_err tqk_api_plan_decode(const json_t *obj, tqk_plan *out, const char **bad) TQK_MUST_CHECK;

/* ---- GET /v1/clerks: {"clerks": [{"id", "name", "pin_hash", "active"}]} ----
 * pin_hash is libsodium's argon2id string (crypto_pwhash_str), so that a
 * kiosk can check a clerk's PIN offline; the PIN itself never travels. */
#define TQK_PIN_HASH_CAP 128
typedef struct tqk_clerk {
	char id[TQK_CODE_CAP];
	char name[TQK_NAME_CAP];
	char pin_hash[TQK_PIN_HASH_CAP];
	bool active;
} tqk_clerk;

json_t *tqk_api_clerk_encode(const tqk_clerk *c);
tqk_err tqk_api_clerk_decode(const json_t *obj, tqk_clerk *out, const char **bad) TQK_MUST_CHECK;

/* ---- GET /v1/updates: the institution's decisions and messages ----
 * {"seq": n, "reg_no": "...", "state": <tqk_state_code>, "message": "...", "at": <time>}
 * state may be absent (a message alone). */
typedef struct tqk_update {
	int64_t seq;                        /* the server's monotonic cursor */
	char reg_no[TQK_CODE_CAP];
	tqk_state state;                    /* TQK_ST_NONE: a message only */
	char message[TQK_MSG_CAP];
	tqk_time at;
} tqk_update;

json_t *tqk_api_update_encode(const tqk_update *u);
tqk_err tqk_api_update_decode(const json_t *obj, tqk_update *out, const char **bad) TQK_MUST_CHECK;

/* ---- a page of a download ----
 * {"cursor": "<opaque, at most 128 bytes>", "more": true|false, "<items>": [...]}
 * for GET /v1/applications (items "applications", json.h's format) and
 * GET /v1/updates (items "updates"). Reading the page's shape: *items is a
 * borrowed reference into obj. */
/* Takes over the reference to items, also when it fails (NULL: no memory). */
json_t *tqk_api_page_encode(const char *cursor, bool more, const char *items_name, json_t *items);
tqk_err tqk_api_page_decode(const json_t *obj, const char *items_name, const char **cursor,
                            bool *more, const json_t **items, const char **bad) TQK_MUST_CHECK;

/* ---- POST /v1/confirmations ----
 * request {"records": [<confirmation, json.h>, ... at most TQK_API_BATCH_MAX]}
 * reply   {"results": [{"uuid": "...", "status": "stored" | "duplicate" |
 *          "conflict" | "rejected", "error": "<domain.code>", "message": "..."}]}
 * one result per record, in the order sent; error and message only when
 * rejected or in conflict. */
typedef enum tqk_upload_status {
	TQK_UPLOAD_STORED = 1,      /* new: the server has it now */
	TQK_UPLOAD_DUPLICATE,       /* the server had it already (same uuid, same content) */
	TQK_UPLOAD_CONFLICT,        /* the same uuid with other content: not overwritten */
	TQK_UPLOAD_REJECTED         /* refused for good: the reason in error/message */
} tqk_upload_status;

typedef struct tqk_upload_result {
	char uuid[TQK_UUID_CAP];
	tqk_upload_status status;
	char error[64];             /* "domain.code" of a tqk_err, or "" */
	char message[256];
	/* walk-ins (below) */
	char provisional[TQK_CODE_CAP];
	char reg_no[TQK_CODE_CAP];  /* the official number, when not rejected */
} tqk_upload_result;

/* "stored", "duplicate", "conflict", "rejected"; "" for any other value. */
const char *tqk_upload_status_code(tqk_upload_status s);
json_t *tqk_api_results_encode(const tqk_upload_result *r, size_t n);
/* Up to cap results into out, their number in *n; more than cap is
 * TQK_E_TOO_LONG. */
tqk_err tqk_api_results_decode(const json_t *obj, tqk_upload_result *out, size_t cap, size_t *n,
                               const char **bad) TQK_MUST_CHECK;

/* ---- POST /v1/applications (walk-ins) ----
 * request {"applications": [{"provisional": "<code>", <application, json.h>,
 *          "password_hash": "<argon2id>"}, ... at most TQK_API_BATCH_MAX]}
 * reply   {"results": [{"provisional": "...", "status": "stored" |
 *          "duplicate" | "rejected", "reg_no": "<official>" unless rejected,
 *          "error", "message" only when rejected}]}
 * As tqk_api_results_decode, into provisional, status, reg_no (a code that
 * is not itself provisional), error and message. */
tqk_err tqk_api_walkin_results_decode(const json_t *obj, tqk_upload_result *out, size_t cap,
                                      size_t *n, const char **bad) TQK_MUST_CHECK;

/* ---- errors: {"error": "<domain.code>", "message": "<English text>"} ---- */
json_t *tqk_api_error_encode(tqk_err err);

#endif
