/*
 * deliver.h - the policy "print, or else save" (SPEC §9; issue 8): a PDF
 * that is already rendered to a file goes to the configured printer, and
 * when there is no printer or the print server will not take the job, a
 * copy is saved in the directory the administrator configured, and the
 * caller learns which happened so that the screen can say so (the job's
 * number, or the file's place and why it was not printed).
 *
 * A saved copy holds personal data: it is created with O_EXCL and mode 0600
 * under a safe, unique name (the base name with anything but letters,
 * digits, '.', '_' and '-' replaced, then "-2", "-3"... when taken; an
 * existing file is never overwritten), written, fsync'ed, and its directory
 * fsync'ed. A copy that fails half way is removed again.
 */
#ifndef TQK_PRINT_DELIVER_H
#define TQK_PRINT_DELIVER_H

#include "core/err.h"
#include "print/printer.h"

#define TQK_DELIVER_PATH_CAP 1024  /* a saved copy's path, with the NUL */
#define TQK_DELIVER_BASE_MAX 64    /* bytes of the base name kept */
#define TQK_DELIVER_TRIES 999      /* name, name-2 ... name-999 */

typedef enum tqk_delivery_kind {
	TQK_DELIVERY_NONE = 0,    /* neither printed nor saved */
	TQK_DELIVERY_PRINTED,
	TQK_DELIVERY_SAVED
} tqk_delivery_kind;

/* What tqk_deliver did. */
typedef struct tqk_delivery {
	tqk_delivery_kind kind;
	int job;                               /* PRINTED: the print job's id */
	char path[TQK_DELIVER_PATH_CAP];       /* SAVED: the copy's path */
	/* SAVED or NONE: why it was not printed - TQK_E_PRINT_NO_PRINTER when no
	 * printer is configured or the server does not know it, or the error
	 * the printer's submit gave - and the printer's detail text. */
	tqk_err why;
	char print_detail[TQK_PRINT_DETAIL_CAP];
	/* NONE: why the copy could not be saved either. */
	char save_detail[TQK_PRINT_DETAIL_CAP];
} tqk_delivery;

/* What to deliver. Every string is the caller's and only read. */
typedef struct tqk_deliver_req {
	const char *pdf_path;   /* the rendered PDF */
	const char *save_dir;   /* where a copy goes when it is not printed */
	const char *base_name;  /* the copy's name without ".pdf", e.g. "cover-CSX202401007" */
	const char *title;      /* the job title, sent to the print server (printer.h) */
	int copies;             /* 1..TQK_PRINT_COPIES_MAX */
} tqk_deliver_req;

/*
 * Submits req->pdf_path to printer (NULL: none configured), or saves a copy
 * when there is none or submitting fails. Returns TQK_OK with out->kind
 * PRINTED or SAVED; TQK_E_ARG (nothing done) for a title or copies the
 * printer would refuse; TQK_E_PRINT_IO when it could neither print nor save,
 * with out->why and both details saying why. *out is always filled.
 *
 * A job that is accepted and fails later (tqk_printer_state says aborted) is
 * not seen here: the caller saves it then with tqk_deliver_save.
 */
tqk_err tqk_deliver(tqk_printer *printer, const tqk_deliver_req *req,
                    tqk_delivery *out) TQK_MUST_CHECK;

/*
 * Copies the file at pdf_path into save_dir as described at the top of this
 * file; path (TQK_DELIVER_PATH_CAP bytes) gets the copy's path. Returns
 * TQK_OK, or TQK_E_PRINT_IO with nothing left behind and detail
 * (TQK_PRINT_DETAIL_CAP bytes) saying why: the PDF cannot be read, the
 * directory is missing or not writable, no free name is left, or a write
 * or fsync failed.
 */
tqk_err tqk_deliver_save(const char *save_dir, const char *pdf_path, const char *base_name,
                         char *path, char *detail) TQK_MUST_CHECK;

#endif
