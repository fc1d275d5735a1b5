/*
 * printing.h - the kiosk's print thread (SPEC §9). A document (print/docs.h)
 * handed to it is laid out as a PDF in a private spool directory, sent to
 * the configured CUPS queue and followed until the printer is done with it
 * (print/printer.h); without a printer, or when the job fails, the PDF is
 * saved in the administrator's directory instead and the screen says where
 * (print/deliver.h). The spool copy is removed once the document is printed
 * or saved: it holds personal data. The form is printed in two copies (一式
 * 两份), the cover and the receipt in one.
 *
 * The loop learns of every change through one user event and reads the
 * state with tqk_printing_state. One document at a time: a second one is
 * refused until the first is printed, saved or failed. A printer that
 * stops (out of paper) or a job not printed within two minutes does not
 * hold the next document up: a copy is saved, and the job stays queued.
 */
#ifndef TQK_KIOSK_PRINTING_H
#define TQK_KIOSK_PRINTING_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "print/deliver.h"
#include "print/docs.h"
#include "print/printer.h"
#include "view.h"

typedef struct tqk_printing_opts {
	const char *queue;      /* the CUPS queue; NULL: none, documents are saved */
	const char *server;     /* the CUPS server, host[:port]; NULL: CUPS's default */
	const char *save_dir;   /* where documents are saved (must exist, the kiosk's own) */
	tqk_paper paper;        /* every document's paper */
} tqk_printing_opts;

/* One document to print. */
typedef struct tqk_print_job {
	tqk_doc doc;
	union {
		tqk_form_doc form;
		tqk_cover_doc cover;
		tqk_receipt_doc receipt;
	} u;
} tqk_print_job;

typedef enum tqk_print_phase {
	TQK_PRINT_IDLE = 0,     /* nothing printed yet */
	TQK_PRINT_MAKING,       /* being laid out and sent */
	TQK_PRINT_AT_PRINTER,   /* a job at the printer: see job */
	TQK_PRINT_DONE,         /* printed */
	TQK_PRINT_SAVED,        /* saved at path instead; err says why */
	TQK_PRINT_FAILED        /* neither printed nor saved: err (and bad) say why */
} tqk_print_phase;

typedef struct tqk_print_state {
	unsigned long seq;      /* the document's number, 1, 2...; 0 before the first */
	tqk_doc doc;
	tqk_print_phase phase;
	tqk_job_state job;      /* AT_PRINTER: the job's state */
	char reason[TQK_PRINT_REASON_CAP];  /* the printer's words, "" when none */
	char path[TQK_DELIVER_PATH_CAP];    /* SAVED: the copy */
	tqk_err err;            /* SAVED / FAILED: why */
	bool still_queued;      /* SAVED: the job also waits at the printer (stopped, slow) */
	const char *bad;        /* FAILED with TQK_E_PRINT_FIT: the field (static) */
} tqk_print_state;

/*
 * Starts the thread. event is the user event it pushes (no data) after
 * every change. A queue CUPS cannot be reached for now is tried again for
 * every document. Fails (NULL, err said in English, cap bytes) when the
 * spool directory or the thread cannot be made.
 */
typedef struct tqk_printing tqk_printing;
tqk_printing *tqk_printing_new(const tqk_printing_opts *o, Uint32 event, char *err, size_t cap);
/* Stops the thread (a job already at the printer stays there); NULL is a no-op. */
void tqk_printing_free(tqk_printing *p);

/* Hands job (copied) to the thread: false when one is under way. */
bool tqk_printing_submit(tqk_printing *p, const tqk_print_job *job);
/* The last document's state, now. */
void tqk_printing_state(tqk_printing *p, tqk_print_state *out);
/* "printer queue at server", "no printer: saved in DIR", for the admin. */
void tqk_printing_describe(const tqk_printing *p, tqk_lang lang, char *out, size_t cap);

#endif
