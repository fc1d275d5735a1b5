/*
 * confirm.h - committing the site's confirmations.
 *
 * tqk_store_confirm() is the heart of the kiosk's promise: in ONE SQLite
 * transaction it appends the confirmation (with its corrections), applies
 * the corrections and the new state to the application, allocates the
 * archive serial, queues the record for upload and appends the audit row;
 * it returns only after the commit is durable (WAL, synchronous=FULL).
 * Either all of it is in the file, or none of it.
 *
 * Confirmations are append-only (the schema's triggers refuse updates and
 * deletes). A correction is a new confirmation whose `supersedes` names the
 * current one; it keeps the archive number of the bag it corrects.
 */
#ifndef TQK_STORE_CONFIRM_H
#define TQK_STORE_CONFIRM_H

#include <stddef.h>

#include "core/confirmation.h"
#include "core/date.h"
#include "store/store.h"

/*
 * Commits c, checked as of the day of c->at. Fills in what the store
 * decides: the uuid (when empty), the site and kiosk (when empty, from
 * tqk_store_site_get) and the archive number; the corrections come back in
 * the form's order (tqk_field order), the order in which they are queued and
 * read back. The application must be stored, of this site (or corrected to
 * it), and in a state from which the site may conclude.
 *
 * Retrying is safe and is how a caller learns the outcome: give the record
 * a uuid before the first try (tqk_store_new_uuid) and, after any failure,
 * commit the same struct again. If the first try did reach the disk, the
 * retry returns TQK_OK with the stored record (its archive number) and
 * writes nothing. This matters after TQK_E_STORE_IO: when the fsync at
 * COMMIT fails, SQLite has written the WAL frames already, and a crash
 * before the next commit brings the record back on the next open.
 *
 * Fails, leaving nothing visible behind, with: the errors of
 * tqk_confirmation_check; TQK_E_STORE_NOT_SETUP; TQK_E_STORE_SITE (another
 * site or kiosk); TQK_E_STORE_NOT_FOUND (no such application);
 * TQK_E_STORE_EXISTS (the uuid holds another record);
 * TQK_E_STORE_CONFIRMED (confirmed already: supersede instead);
 * TQK_E_STORE_SUPERSEDE; TQK_E_STORE_STALE (a correction's old value is not
 * the stored one); TQK_E_STATE_*; TQK_E_STORE_SERIALS; and the SQLite
 * failures (FULL, IO, READONLY, BUSY...). c is untouched on failure.
 */
tqk_err tqk_store_confirm(tqk_store *s, tqk_confirmation *c) TQK_MUST_CHECK;

/* A fresh random uuid (libsodium) for a record about to be made. */
void tqk_store_new_uuid(char out[TQK_UUID_CAP]);

/* The confirmation with this uuid; TQK_E_STORE_NOT_FOUND. */
tqk_err tqk_store_confirmation_get(tqk_store *s, const char *uuid,
                                   tqk_confirmation *out) TQK_MUST_CHECK;

/*
 * The registration numbers of the applications with a confirmation, as
 * they are stored (a walk-in's under its provisional number), purged ones
 * left out, in order: into a malloc'd array *out (the caller frees it;
 * NULL when there are none), their count into *n. What the rosters list.
 * Fails with TQK_E_NOMEM or the store's failures (*out NULL, *n 0 then).
 */
tqk_err tqk_store_confirmed(tqk_store *s, char (**out)[TQK_CODE_CAP], size_t *n) TQK_MUST_CHECK;

/* The current confirmation of an application (the one nothing supersedes);
 * TQK_E_STORE_NOT_FOUND when it has none. */
tqk_err tqk_store_confirmation_current(tqk_store *s, const char *reg_no,
                                       tqk_confirmation *out) TQK_MUST_CHECK;

#endif
