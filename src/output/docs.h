/*
 * docs.h - the printed documents of one application, gathered from the
 * kiosk's store (print/docs.h holds the documents and lays them out):
 *
 *  - the form: the application as stored, under the number people see
 *    (a walk-in's official number once the county gave it), with the
 *    county's signed QR payload when it verifies with the plan's keys and
 *    is the form's own;
 *  - the cover and the receipt: the current confirmation with its archive
 *    number, the plan's title, site and hours.
 *
 * Nothing here draws or prints; the documents are plain values a caller
 * hands to tqk_print_* (on the kiosk, in its print thread).
 */
#ifndef TQK_OUTPUT_DOCS_H
#define TQK_OUTPUT_DOCS_H

#include "core/date.h"
#include "core/err.h"
#include "print/docs.h"
#include "store/store.h"

/*
 * The form of the application reg_no (either number of a walk-in), printed
 * at now. Fails with TQK_E_STORE_NOT_FOUND for an unknown or purged
 * application, or the store's failures; *out is zeroed then. A payload that
 * does not verify (a key the plan no longer has, fields corrected since it
 * was signed) is left out: the form says to print it again after a sync.
 */
tqk_err tqk_output_form(tqk_store *s, const char *reg_no, tqk_time now,
                        tqk_form_doc *out) TQK_MUST_CHECK;

/* The archive-bag cover of reg_no: TQK_E_PRINT_UNCONFIRMED before the
 * site's conclusion, TQK_E_PRINT_NO_BAG for 网报未受理, and the errors of
 * tqk_output_form. */
tqk_err tqk_output_cover(tqk_store *s, const char *reg_no, tqk_cover_doc *out) TQK_MUST_CHECK;

/* The teacher's receipt of reg_no, printed at now: TQK_E_PRINT_UNCONFIRMED
 * before the site's conclusion, and the errors of tqk_output_form. */
tqk_err tqk_output_receipt(tqk_store *s, const char *reg_no, tqk_time now,
                           tqk_receipt_doc *out) TQK_MUST_CHECK;

#endif
