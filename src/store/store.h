/*
 * store.h - the kiosk's durable local store: one SQLite file.
 *
 * Everything the kiosk knows lives here: this site's configuration, the
 * applications downloaded from the county server, the confirmations made at
 * the counter, the queue of records to upload, and a hash-chained audit
 * trail. The file is opened in WAL mode with synchronous=FULL, foreign keys
 * on and a busy timeout; it is created 0600; its schema is migrated forward
 * at open, and quick_check must pass before anything else happens.
 *
 * A tqk_store is one connection: use it from one thread at a time. Threads
 * and processes that need the store at once open their own (WAL lets one
 * writer and many readers work together). The calls for each kind of record
 * are declared in their own headers: apps.h, confirm.h, outbox.h, audit.h,
 * backup.h, purge.h, plan.h, clerks.h, updates.h.
 *
 * SQLite's failures come back as TQK_E_STORE_FULL / _IO / _READONLY / _BUSY /
 * _CORRUPT / _INTERNAL; tqk_store_detail() gives SQLite's own words for the
 * administrator. A failed call leaves nothing of itself behind.
 */
#ifndef TQK_STORE_STORE_H
#define TQK_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/application.h"
#include "core/archive.h"
#include "core/date.h"
#include "core/err.h"

#define TQK_STORE_VERSION 8             /* the schema this program writes */
#define TQK_STORE_BUSY_MS_DEFAULT 5000
#define TQK_STORE_DETAIL_CAP 256

typedef struct tqk_store tqk_store;

typedef struct tqk_store_options {
	bool create;            /* create the file (mode 0600) when missing */
	bool readonly;          /* no migration, no writes */
	int busy_ms;            /* how long to wait for another writer; 0: default */
	const char *vfs;        /* an SQLite VFS name; NULL: the default (tests inject faults) */
} tqk_store_options;

/*
 * Opens (or with opt->create, creates) the store at path, runs quick_check
 * and migrates it to TQK_STORE_VERSION. opt may be NULL (open an existing
 * store read-write). Fails with TQK_E_STORE_MISSING, _OPEN, _CORRUPT (offer
 * a backup: backup.h), _VERSION, or any store error; *out is NULL then and
 * detail (when not NULL) says what SQLite or the system said.
 */
tqk_err tqk_store_open(const char *path, const tqk_store_options *opt, tqk_store **out,
                       char detail[TQK_STORE_DETAIL_CAP]) TQK_MUST_CHECK;
/* Closes the connection; NULL is a no-op. */
void tqk_store_free(tqk_store *s);

/* SQLite's message for the last failure ("" when none): for administrators;
 * it never holds personal data (values are bound, never spliced into SQL). */
const char *tqk_store_detail(const tqk_store *s);

/* The schema version of the open file (TQK_STORE_VERSION after open). */
int tqk_store_version(tqk_store *s);

/*
 * integrity_check (full) or quick_check; TQK_E_STORE_CORRUPT with SQLite's
 * first complaint in tqk_store_detail() when the file is damaged.
 */
tqk_err tqk_store_check(tqk_store *s, bool full) TQK_MUST_CHECK;

/*
 * Copies committed pages from the WAL back into the database file (a
 * PASSIVE checkpoint: it never waits for another reader or writer). Commits
 * do not checkpoint until the WAL holds TQK_STORE_WAL_BACKSTOP pages, so
 * that a confirmation never pays for the ones before it: call this when the
 * counter is idle (after a confirmation is shown, or from a timer).
 */
#define TQK_STORE_WAL_BACKSTOP 10000    /* pages (~40 MB): the commit-time checkpoint */
tqk_err tqk_store_checkpoint(tqk_store *s) TQK_MUST_CHECK;

/* How much the store holds. */
typedef struct tqk_store_counts {
	long long applications;     /* every one, purged included */
	long long purged;           /* of those, personal data removed */
	long long confirmations;    /* corrections included */
} tqk_store_counts;

tqk_err tqk_store_count(tqk_store *s, tqk_store_counts *out) TQK_MUST_CHECK;

/*
 * Caps the file at pages pages (PRAGMA max_page_count) for this connection:
 * a quota that makes a full disk happen early and cleanly. Returns the cap
 * in effect (SQLite never lowers it below the current size) in *out.
 */
tqk_err tqk_store_limit_pages(tqk_store *s, long pages, long *out) TQK_MUST_CHECK;

/* This kiosk's place: written once by `tqkioskctl db init`. */
typedef struct tqk_site {
	char site[TQK_CODE_CAP];        /* the confirmation site's code */
	char kiosk[TQK_CODE_CAP];       /* this kiosk's id */
	char county[TQK_ARCHIVE_COUNTY_MAX + 1];   /* pinyin initials, e.g. "CSX" */
	int year;                       /* the registration year on archive numbers */
	int site_no;                    /* the site's number on archive numbers, 1..99 */
	int width;                      /* digits of the personal serial */
	/* This kiosk's block of the site's serials, first..last: kiosks of one
	 * site get disjoint blocks, so that an archive number is unique per
	 * site though each kiosk allocates offline (SPEC §3). 0..0 when set
	 * means the whole range, 1..10^width - 1 (a site with one kiosk);
	 * tqk_store_site_get always reads the stored block. */
	unsigned serial_first, serial_last;
} tqk_site;

/*
 * Sets this kiosk's site. Once a confirmation exists, the site code, county,
 * year, site number and first serial can no longer change, the width cannot
 * shrink and the last serial cannot go down (TQK_E_STORE_SITE): archive
 * numbers already written on bags must stay unique. Checks the values with
 * tqk_archive_check (TQK_E_ARCHIVE_*), the codes (TQK_E_FIELD_VALUE) and the
 * block: 1 <= first <= last <= 10^width - 1, or 0..0 (TQK_E_ARCHIVE_SERIAL
 * otherwise). While no confirmation exists, the next serial is first.
 */
tqk_err tqk_store_site_set(tqk_store *s, const tqk_site *site, tqk_time now) TQK_MUST_CHECK;
/* TQK_E_STORE_NOT_SETUP before the first tqk_store_site_set. */
tqk_err tqk_store_site_get(tqk_store *s, tqk_site *out) TQK_MUST_CHECK;

/* Small named values (the delta cursor, the plan's dates). Keys and values
 * are at most TQK_STORE_SETTING_CAP - 1 bytes. A missing key reads as
 * TQK_E_STORE_NOT_FOUND. */
#define TQK_STORE_SETTING_CAP 257
/* "demo" or "production": what the kiosk made of the store at its first
 * start (a store is one or the other for good); records of a demo's store
 * are marked as a demo's. */
#define TQK_STORE_MODE_SETTING "kiosk.mode"
tqk_err tqk_store_setting_get(tqk_store *s, const char *key, char *buf,
                              size_t cap) TQK_MUST_CHECK;
tqk_err tqk_store_setting_set(tqk_store *s, const char *key, const char *value) TQK_MUST_CHECK;

#endif
