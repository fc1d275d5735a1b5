/*
 * roster.h - the rows of the rosters (花名册, core/roster.h) from the
 * kiosk's store: every application with a current confirmation, as it
 * stands after the site's corrections, under the number people see (a
 * walk-in's official number once it came). print/roster.h writes them.
 */
#ifndef TQK_OUTPUT_ROSTER_H
#define TQK_OUTPUT_ROSTER_H

#include <stddef.h>

#include "core/err.h"
#include "core/roster.h"
#include "store/store.h"

/*
 * The rows into a malloc'd array *rows (the caller frees it; NULL when
 * there are none), their count into *n. Confirmations that fill no bag are
 * included: tqk_roster_book_new leaves them out. Fails with TQK_E_NOMEM or
 * the store's failures (*rows NULL, *n 0 then).
 */
tqk_err tqk_output_roster_rows(tqk_store *s, tqk_roster_row **rows, size_t *n) TQK_MUST_CHECK;

#endif
