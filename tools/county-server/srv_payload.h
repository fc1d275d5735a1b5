/*
 * srv_payload.h - the county's signing keys and the signed QR payloads of
 * printed application forms (core/payload.h): `tq-county admin key new`,
 * `admin key list` and `admin payload REG_NO`, and the signing itself for
 * whatever else prints a form.
 *
 * The keys live in the server's database (srv_db.h, signing_keys); every
 * plan publishes the active key and the most recently retired ones
 * (srv_db_keyset), so that kiosks verify forms offline after their next
 * sync.
 */
#ifndef TQK_SRV_PAYLOAD_H
#define TQK_SRV_PAYLOAD_H

#include <stddef.h>

#include <jansson.h>

#include "core/application.h"
#include "core/payload.h"
#include "srv_cli.h"
#include "srv_db.h"

/*
 * The signed payload of application a, issued at now, with the active key:
 * into out (TQK_PAYLOAD_CAP bytes, NUL-terminated), its length into *len
 * (may be NULL), the key's kid into kid (may be NULL). Fails with
 * TQK_E_PAYLOAD_NO_KEY when there is no active key, TQK_E_PAYLOAD_FORMAT
 * when a's fields cannot go into a payload (tqk_payload_sign: e.g. a name
 * with '|' or over 96 bytes), or the store's error; out is "" then. The
 * secret key is wiped before returning.
 */
tqk_err srv_payload_sign(srv_db *db, const tqk_application *a, tqk_time now,
                         char out[TQK_PAYLOAD_CAP], size_t *len, char kid[TQK_KID_CAP]) TQK_MUST_CHECK;

/*
 * Gives every application of items (a JSON array of json.h documents, as a
 * download page holds them) its signed payload, issued at now, in a member
 * "payload", with the active key read once: so that the kiosk can print the
 * form with its QR code (application.h). Without an active key nothing is
 * added and TQK_OK is returned: the forms print without a QR code until
 * `key new`. An application whose fields cannot go into a payload (e.g. a
 * name with '|') is left without one. Fails only with the store's error.
 */
tqk_err srv_payload_attach(srv_db *db, json_t *items, tqk_time now) TQK_MUST_CHECK;

/* The admin commands, as srv_admin.c's table runs them (argv after the
 * command's words). Each returns the exit status (srv_cli.h). */
int srv_admin_key_new(cli *c, srv_db *db, int argc, char **argv);
int srv_admin_key_list(cli *c, srv_db *db, int argc, char **argv);
int srv_admin_payload(cli *c, srv_db *db, int argc, char **argv);

#endif
