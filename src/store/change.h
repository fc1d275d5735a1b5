/*
 * change.h - a teacher's change of their own application at the kiosk
 * (core/change.h), committed like a confirmation: the changed application,
 * a row of its own, its upload (kind "change", the record's JSON) and an
 * audit row, in one transaction. The server applies it to its copy when it
 * still holds the values the change started from (POST /v1/changes).
 */
#ifndef TQK_STORE_CHANGE_H
#define TQK_STORE_CHANGE_H

#include "core/change.h"
#include "store/store.h"

#define TQK_CHANGE_KIND "change"          /* the outbox kind of a change */

/*
 * Commits c (its uuid made when empty, its site and kiosk this kiosk's) to
 * the application it names (a walk-in also by its official number): one of
 * this site's (TQK_E_STORE_SITE), that takes it (tqk_change_apply:
 * TQK_E_WALKIN_READONLY once it is no longer waiting for the site,
 * TQK_E_STORE_STALE when a value changed meanwhile). Checked first with
 * tqk_change_check; TQK_E_STORE_NOT_FOUND for an unknown application,
 * TQK_E_STORE_EXISTS for a uuid already stored. Nothing is written on
 * failure.
 */
tqk_err tqk_store_change(tqk_store *s, tqk_change *c) TQK_MUST_CHECK;

#endif
