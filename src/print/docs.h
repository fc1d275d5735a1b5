/*
 * docs.h - the three documents that leave the kiosk on paper (SPEC §9), as
 * plain values, and the functions that lay each out as a one-page PDF
 * (cairo + pango, the font found by fontconfig for Chinese):
 *
 *  - the application form (教师资格定期注册申请表): every field of the
 *    application, the registration number as a Code 128 barcode, the signed
 *    QR payload (core/payload.h) and the 承诺 paragraph with a signature line;
 *  - the archive-bag cover (档案袋封面): the archive number large and as a
 *    barcode, the title, name, work unit, site, registration number,
 *    qualification type and subject, and the bag's contents in their order
 *    (seed, first text, 1 and 2);
 *  - the teacher's receipt (回执): the conclusion, the archive number, what
 *    is missing and where to bring it, and the messages.
 *
 * Each is laid out for its paper size (A4, B5 176x250 mm, 16K 184x260 mm):
 * a text that does not fit its cell is set smaller, then wrapped, and only
 * when it still does not fit does the renderer give up (TQK_E_PRINT_FIT):
 * nothing is ever drawn over a rule or cut off silently.
 *
 * The documents are official Chinese forms and are printed in Chinese.
 * The models hold copies (no pointers), so a caller fills one from the store
 * and hands it to a worker thread as it is. Rendering depends on core only.
 */
#ifndef TQK_PRINT_DOCS_H
#define TQK_PRINT_DOCS_H

#include <stdbool.h>

#include "core/application.h"
#include "core/archive.h"
#include "core/date.h"
#include "core/err.h"
#include "core/materials.h"
#include "core/payload.h"
#include "print/paper.h"

/* The application form. */
typedef struct tqk_form_doc {
	tqk_application app;                /* every field; reg_no is what the barcode carries */
	/* The signed QR payload, or "" when there is none yet (a walk-in whose
	 * official number has not come back from the county): the QR's place
	 * then says that the form is to be printed again after the next sync. */
	char payload[TQK_PAYLOAD_CAP];
	bool provisional;                   /* reg_no is a provisional walk-in number */
	char site_name[TQK_TEXT_CAP];       /* the chosen confirmation point's name */
	tqk_time printed;                   /* when it is printed (the footer) */
} tqk_form_doc;

/* The archive-bag cover (seed, first text, 1(1)-(7) and 2). */
typedef struct tqk_cover_doc {
	char archive_no[TQK_ARCHIVE_BUFLEN];/* large, and as a Code 128 barcode */
	char title[TQK_TEXT_CAP];           /* e.g. "2024、长沙" */
	char name[TQK_NAME_CAP];            /* as on the ID card */
	char school[TQK_TEXT_CAP];          /* work unit */
	char site_name[TQK_TEXT_CAP];
	char reg_no[TQK_CODE_CAP];
	tqk_stage qualification;            /* as corrected (first text, 1(7)) */
	char subject[TQK_TEXT_CAP];
	/* The contents in bag order (tqk_material_info.bag_order), each with its
	 * mark: not-applicable items are left out, missing ones say 缺. */
	tqk_marks marks;
} tqk_cover_doc;

/* The teacher's receipt. */
typedef struct tqk_receipt_doc {
	char reg_no[TQK_CODE_CAP];
	char name[TQK_NAME_CAP];
	char id_number[TQK_ID_LEN + 1];     /* printed masked: first 6 and last 4 */
	tqk_conclusion conclusion;
	char archive_no[TQK_ARCHIVE_BUFLEN];/* "" when none (网报未受理) */
	tqk_marks marks;                    /* the missing items are listed */
	char site_name[TQK_TEXT_CAP];       /* where to bring what is missing */
	tqk_date bring_by;                  /* the last day of the site's period; 0: not known */
	char hours[16];                     /* e.g. "08:30–17:30"; "" when not known */
	char remark[TQK_MSG_CAP];           /* why it was not accepted */
	char site_message[TQK_MSG_CAP];
	char inst_message[TQK_MSG_CAP];
	tqk_time at;                        /* when the site concluded */
	tqk_time printed;
} tqk_receipt_doc;

/*
 * Writes the document as a one-page PDF of paper p to path (replaced
 * atomically: written to a temporary file beside it, then renamed).
 * Fails with TQK_E_PRINT_PAPER, TQK_E_PRINT_FIT (with *bad, when not NULL,
 * naming the field that does not fit), TQK_E_PRINT_BARCODE,
 * TQK_E_PRINT_RENDER or TQK_E_PRINT_IO; nothing is left at path then
 * (a document already there stays as it was). *bad names an application
 * field by its code (tqk_field_info.code) or a model's member by its name
 * ("reg_no", "payload", "site_name", "archive_no", "title", "remark",
 * "site_message", ...); it points to static text. TQK_E_PRINT_BARCODE is
 * for a registration or archive number that is empty or holds anything but
 * printable ASCII (Code 128 carries what a scanner types back).
 */
tqk_err tqk_print_form(const tqk_form_doc *d, tqk_paper p, const char *path,
                       const char **bad) TQK_MUST_CHECK;
tqk_err tqk_print_cover(const tqk_cover_doc *d, tqk_paper p, const char *path,
                        const char **bad) TQK_MUST_CHECK;
tqk_err tqk_print_receipt(const tqk_receipt_doc *d, tqk_paper p, const char *path,
                          const char **bad) TQK_MUST_CHECK;

#endif
