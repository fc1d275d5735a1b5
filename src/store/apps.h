/*
 * apps.h - applications in the local store: the server's download, look-ups
 * by ID number, registration number and certificate number, and the clerk's
 * list of this site's applications, 50 a page.
 */
#ifndef TQK_STORE_APPS_H
#define TQK_STORE_APPS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/application.h"
#include "core/date.h"
#include "store/store.h"

#define TQK_STORE_CURSOR_CAP 129        /* the server's delta cursor */

typedef struct tqk_import_stats {
	size_t inserted, updated, unchanged;
	size_t kept_state;      /* newer from the server, but a local confirmation
	                         * is not uploaded yet: the local state stands */
	size_t duplicates;      /* applications given whose ID number has another
	                         * registration number too (fourth text, 3) */
} tqk_import_stats;

/*
 * Stores n applications from the server in one transaction, together with
 * the delta cursor (NULL: keep the stored one). A row is replaced only when
 * the incoming revision is newer, so an import is idempotent. Each is checked
 * with tqk_application_check (today being now's date) first; on a bad one nothing is stored and
 * *bad_index (when not NULL) tells which.
 */
tqk_err tqk_store_apps_put(tqk_store *s, const tqk_application *apps, size_t n,
                           const char *cursor, tqk_time now, tqk_import_stats *stats,
                           size_t *bad_index) TQK_MUST_CHECK;

/* The stored delta cursor; "" before the first download. */
tqk_err tqk_store_apps_cursor(tqk_store *s, char buf[TQK_STORE_CURSOR_CAP]) TQK_MUST_CHECK;

/* One application by registration number; TQK_E_STORE_NOT_FOUND. */
tqk_err tqk_store_app_get(tqk_store *s, const char *reg_no, tqk_application *out) TQK_MUST_CHECK;

/*
 * Every application with this ID number (normalised, 18 characters) or
 * certificate number (17 digits), in registration-number order: up to cap
 * into out, the total in *n. More than one registration number for one ID
 * number is a duplicate registration (fourth text, 3). None: *n = 0, TQK_OK.
 */
tqk_err tqk_store_find_id(tqk_store *s, const char *id_number, tqk_application *out,
                          size_t cap, size_t *n) TQK_MUST_CHECK;
tqk_err tqk_store_find_cert(tqk_store *s, const char *cert_no, tqk_application *out,
                            size_t cap, size_t *n) TQK_MUST_CHECK;

#define TQK_PAGE_SIZE 50

/* One line of the clerk's list. */
typedef struct tqk_app_row {
	char reg_no[TQK_CODE_CAP];
	char name[TQK_NAME_CAP];
	char id_number[TQK_ID_LEN + 1];
	char cert_no[TQK_CERT_LEN + 1];
	char school[TQK_TEXT_CAP];
	tqk_stage qualification;
	tqk_state state;
} tqk_app_row;

/* Where a page ends; pass it back to get the next one. Opaque to callers. */
typedef struct tqk_page_key {
	unsigned query;                 /* a hash of the state and search it belongs to */
	char key[TQK_NAME_CAP];
	char reg_no[TQK_CODE_CAP];
} tqk_page_key;

typedef struct tqk_page {
	tqk_app_row rows[TQK_PAGE_SIZE];
	size_t n;
	bool more;                      /* there is a next page */
	tqk_page_key next;              /* valid when more */
} tqk_page;

/*
 * A page of this site's applications (not purged) after *after (NULL: the
 * first page). state TQK_ST_NONE lists every state. search (NULL or blank:
 * none) is read as an ID number when it is one (15 or 18 characters),
 * otherwise as the start of a registration number when it holds only
 * digits and letters, otherwise as the start of a name. Pages are ordered by
 * registration number (by name when searching names) and found by key, so
 * the 2,000th page costs what the first does. TQK_E_ARG when after belongs
 * to another search; TQK_E_TOO_LONG for a search beyond a name's cap.
 */
tqk_err tqk_store_page(tqk_store *s, tqk_state state, const char *search,
                       const tqk_page_key *after, tqk_page *out) TQK_MUST_CHECK;

#endif
