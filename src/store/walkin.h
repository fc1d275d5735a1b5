/*
 * walkin.h - walk-in applications made at this kiosk (SPEC §6), kept under
 * a provisional registration number until the county server gives the
 * official one.
 *
 * tqk_store_walkin_add commits the application, its walk-in row and its
 * upload in one transaction: once it returns TQK_OK the application is
 * there whatever happens next, and the outbox carries it to the server
 * (kind "application": {"provisional", the application's members,
 * "password_hash", and "demo": true from a demo kiosk's store,
 * TQK_STORE_MODE_SETTING}; the password itself is never stored). The provisional
 * number (core/walkin.h: "W" site "-" kiosk "-" serial) is unique across
 * kiosks and never reused: serials only go up.
 *
 * The server's answer maps the provisional number to the official one
 * (tqk_store_walkin_map, done by the sync worker in the transaction that
 * records the upload's answer). The application stays stored under its
 * provisional number, which confirmations made before the mapping name;
 * the official number is how people see it from then on, a look-up by
 * either number finds it (tqk_store_app_get), and the server's copy,
 * downloaded under the official number, updates the same row. A copy
 * that came down before the number did (the upload's reply was lost, the
 * round's download was not) is folded into the walk-in's row when the
 * number arrives.
 */
#ifndef TQK_STORE_WALKIN_H
#define TQK_STORE_WALKIN_H

#include <stdbool.h>

#include "core/application.h"
#include "core/date.h"
#include "core/uuid.h"
#include "store/store.h"

#define TQK_WALKIN_KIND "application"     /* the outbox kind of a walk-in */
#define TQK_PASSWORD_HASH_CAP 128         /* libsodium's crypto_pwhash_STRBYTES */

/*
 * Stores the walk-in application a (checked with tqk_application_check;
 * its reg_no is ignored, its site must be this kiosk's: TQK_E_STORE_SITE)
 * with password_hash (an argon2id string from crypto_pwhash_str:
 * TQK_E_FIELD_VALUE otherwise) and queues its upload, at now, in one
 * transaction. The number it got goes into reg_no (TQK_CODE_CAP bytes).
 * An application of the same certificate number already stored here is
 * TQK_E_WALKIN_EXISTS (the teacher has applied: show that one).
 * Fails with TQK_E_STORE_NOT_SETUP before db init, TQK_E_WALKIN_SERIALS
 * when the provisional serials (1..999999) are used up.
 */
tqk_err tqk_store_walkin_add(tqk_store *s, const tqk_application *a, const char *password_hash,
                             tqk_time now, char reg_no[TQK_CODE_CAP]) TQK_MUST_CHECK;

/* What the store knows of a walk-in. */
typedef struct tqk_walkin_row {
	char provisional[TQK_CODE_CAP];
	char official[TQK_CODE_CAP];    /* "" until mapped */
	char uuid[TQK_UUID_CAP];        /* its outbox row's */
	tqk_time created, mapped_at;
} tqk_walkin_row;

/* The walk-in whose provisional or official number reg_no is;
 * TQK_E_STORE_NOT_FOUND for any other application. */
tqk_err tqk_store_walkin_get(tqk_store *s, const char *reg_no, tqk_walkin_row *out) TQK_MUST_CHECK;

/*
 * Records that the walk-in of the outbox row uuid has the official number
 * official, inside the caller's transaction or in one of its own (store.h
 * users call it outside one). The same mapping again is a no-op; another
 * official number for a mapped walk-in, or one another application holds,
 * is TQK_E_STORE_CONFLICT; an unknown uuid TQK_E_STORE_NOT_FOUND; an
 * official number that is not a code TQK_E_FIELD_VALUE.
 */
tqk_err tqk_store_walkin_map(tqk_store *s, const char *uuid, const char *official,
                             tqk_time now) TQK_MUST_CHECK;

/* The number to show people for reg_no: the official one once mapped,
 * otherwise reg_no itself (into out, TQK_CODE_CAP bytes). */
tqk_err tqk_store_shown_number(tqk_store *s, const char *reg_no,
                               char out[TQK_CODE_CAP]) TQK_MUST_CHECK;

#endif
