/*
 * srv_roster.h - the county's rosters (花名册, core/roster.h) from the
 * server's database: `tq-county admin roster --out DIR [--site S01]
 * [--title T] [--demo] [--json]` writes every site's rosters (or one
 * site's) as A3 workbooks (print/roster.h), one directory per site named
 * after the site.
 *
 * A roster row is an application that has a current confirmation - the
 * last one received of its records that no other record supersedes - as
 * the server's copy of it stands (the server applies every stored
 * confirmation's corrections to that copy, srv_apps.h), with that
 * confirmation. The row's site is the confirmation's: the site that filled
 * the bag and whose archive numbers it carries. Records of kiosks in demo
 * mode (time source "demo", stored only by `serve --demo`) are left out
 * unless asked for.
 */
#ifndef TQK_SRV_ROSTER_H
#define TQK_SRV_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/application.h"
#include "core/date.h"
#include "core/err.h"
#include "core/roster.h"
#include "srv_cli.h"
#include "srv_db.h"

/* Stored confirmation records one run reads at most (a correction is a
 * record of its own, so a few per row on a roster). */
#define SRV_ROSTER_RECORDS_MAX (4 * TQK_ROSTER_ROWS_MAX)

/*
 * The roster rows of site's confirmations (every site's when site is NULL),
 * the demo's records too when demo, decoded with today: into a malloc'd
 * array *rows (the caller frees it; NULL when there are none), their count
 * into *n, one per application. Rows whose conclusion fills no bag are
 * included (tqk_roster_book_new leaves them out). The caller runs this
 * inside one transaction, so that both passes over the records see the
 * same ones. Fails with TQK_E_TOO_LONG beyond SRV_ROSTER_RECORDS_MAX
 * records, TQK_E_STORE_CORRUPT when a stored record or application does
 * not decode (its registration number into bad, cap bytes, when bad is not
 * NULL), TQK_E_NOMEM, or the store's error; *rows is NULL and *n 0 then.
 */
tqk_err srv_roster_rows(srv_db *db, const char *site, bool demo, tqk_date today,
                        tqk_roster_row **rows, size_t *n, char *bad, size_t cap) TQK_MUST_CHECK;

/*
 * `admin roster` (argv after the word "roster"): DIR must exist; the files
 * go to DIR/<site name>/, replacing those of an earlier run, all or none.
 * Prints dir=, sites=, rows= (the teachers on the rosters), schools=,
 * files= and one file=PATH line each; with --json one object instead, the
 * paths in "files" (a failure prints error= as every admin command does). The title defaults to "<year>年教师资格定期注册申请花名册"
 * with the year of --site's site, else of the first site (by code) on the
 * rosters. Returns the exit status: 2 for usage, an output directory that
 * cannot be written (print.io) or a database failure; 1 for an unknown
 * site (store.not_found) or a row the rosters cannot hold.
 */
int srv_admin_roster(cli *c, srv_db *db, int argc, char **argv);

#endif
