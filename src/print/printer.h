/*
 * printer.h - a printer the kiosk sends finished PDFs to (SPEC §9), as an
 * opaque handle in front of a backend: a table of four function pointers
 * (submit, state, cancel, free) and the backend's own context, the way
 * SQLite puts a file behind sqlite3_io_methods. The real backend talks to a
 * CUPS server (cups.c, tqk_printer_cups_new); tests put one of their own
 * behind the same table to inject faults.
 *
 * The handle checks what is common to every backend before it calls one:
 * the job title is short plain ASCII (letters, digits, blank, '.', '_', '-')
 * because it leaves the machine - CUPS sends it to the print server, which
 * shows and logs it - so it must never carry a name or an ID number: pass a
 * document kind and a number, e.g. "tqkiosk cover 7". It also keeps the
 * backend's last failure as a bounded, one-line detail text for the log and
 * the screen (tqk_printer_detail).
 *
 * A handle is used by one thread at a time.
 */
#ifndef TQK_PRINT_PRINTER_H
#define TQK_PRINT_PRINTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* Hard caps, bytes with the terminating NUL. */
#define TQK_PRINT_TITLE_CAP 64     /* a job title */
#define TQK_PRINT_REASON_CAP 256   /* the printer's message about a job */
#define TQK_PRINT_DETAIL_CAP 256   /* a backend's failure detail */
#define TQK_PRINT_COPIES_MAX 99

/* Where a job is, as IPP's job-state says (RFC 8011 5.3.7), except that
 * STOPPED also covers a job waiting on a stopped printer (CUPS keeps such a
 * job "pending" with the reason "printer-stopped"). */
typedef enum tqk_job_state {
	TQK_JOB_PENDING = 0, /* queued */
	TQK_JOB_HELD,        /* held until released */
	TQK_JOB_PROCESSING,  /* printing */
	TQK_JOB_STOPPED,     /* the printer stopped; the job waits */
	TQK_JOB_COMPLETED,   /* printed */
	TQK_JOB_CANCELED,
	TQK_JOB_ABORTED,     /* the printer or server gave up on it */
	TQK_JOB_STATE_COUNT
} tqk_job_state;

/* A job's state and the printer's words about it (printer-state-message or
 * job-printer-state-message): UTF-8, one line, cut at a character boundary,
 * "" when the printer said nothing. */
typedef struct tqk_job_status {
	tqk_job_state state;
	char reason[TQK_PRINT_REASON_CAP];
} tqk_job_status;

/*
 * A backend. Every op gets the ctx given to tqk_printer_new and a detail
 * buffer of TQK_PRINT_DETAIL_CAP bytes, empty on entry, into which it may
 * write a NUL-terminated text saying why it failed (no personal data).
 *
 * submit: send the PDF at pdf_path (which the backend only reads) as one job
 *         of `copies` copies under `title`; store the job id (> 0) in *job.
 *         TQK_E_PRINT_NO_PRINTER when the queue does not exist,
 *         TQK_E_PRINT_FAILED when the server cannot be reached or refuses,
 *         TQK_E_PRINT_IO when the PDF cannot be read.
 * state:  the job's current state into *out (TQK_E_PRINT_FAILED when it
 *         cannot be asked).
 * cancel: cancel the job (TQK_E_PRINT_FAILED when refused).
 * free:   release ctx; called once by tqk_printer_free (may be NULL).
 */
typedef struct tqk_printer_ops {
	tqk_err (*submit)(void *ctx, const char *pdf_path, const char *title, int copies,
	                  int *job, char *detail);
	tqk_err (*state)(void *ctx, int job, tqk_job_status *out, char *detail);
	tqk_err (*cancel)(void *ctx, int job, char *detail);
	void (*free)(void *ctx);
} tqk_printer_ops;

typedef struct tqk_printer tqk_printer;

/*
 * A printer over ops (which must outlive it; submit, state and cancel are
 * required) and ctx, which the printer owns from now on: on success
 * tqk_printer_free releases it through ops->free; on failure (TQK_E_NOMEM)
 * ops->free(ctx) has already been called. *out is the new handle.
 */
tqk_err tqk_printer_new(const tqk_printer_ops *ops, void *ctx, tqk_printer **out) TQK_MUST_CHECK;

/* Releases p and its backend; NULL is a no-op. */
void tqk_printer_free(tqk_printer *p);

/*
 * Submits the PDF at pdf_path as one job. title: see the top of this file
 * (TQK_E_ARG when empty, too long or not of the allowed characters);
 * copies 1..TQK_PRINT_COPIES_MAX (TQK_E_ARG otherwise). *job is the job id.
 * Other failures are the backend's (see tqk_printer_ops.submit); the detail
 * is then kept (tqk_printer_detail).
 */
tqk_err tqk_printer_submit(tqk_printer *p, const char *pdf_path, const char *title, int copies,
                           int *job) TQK_MUST_CHECK;

/* The state of job (an id submit returned, > 0; TQK_E_ARG otherwise). */
tqk_err tqk_printer_state(tqk_printer *p, int job, tqk_job_status *out) TQK_MUST_CHECK;

/* Cancels job (> 0; TQK_E_ARG otherwise). */
tqk_err tqk_printer_cancel(tqk_printer *p, int job) TQK_MUST_CHECK;

/* The detail of the last failed call, "" after a success. Owned by p, valid
 * until its next call. */
const char *tqk_printer_detail(const tqk_printer *p);

/* True when title is a job title the handle accepts (see the top). */
bool tqk_print_title_ok(const char *title);

/* True when a job in state s will not change any more (completed, canceled,
 * aborted). */
bool tqk_job_state_final(tqk_job_state s);

/* The state's name for the screen, e.g. "正在打印" / "printing"; never NULL
 * ("?" out of range). */
const char *tqk_job_state_name(tqk_job_state s, tqk_lang lang);

/* A stable machine code: "pending", "held", "processing", "stopped",
 * "completed", "canceled", "aborted"; "?" out of range. */
const char *tqk_job_state_code(tqk_job_state s);

/* Copies src into dst (cap bytes, cap > 0) as one line of UTF-8: control
 * characters become blanks, invalid bytes '?', and it is cut at a character
 * boundary. For backends that pass on text from a server. Returns dst. */
char *tqk_print_clean_text(char *dst, size_t cap, const char *src);

/*
 * The CUPS backend (cups.c). server: "host", "host:port", "[v6addr]:port"
 * or a socket path; NULL or "" means the default (cupsServer(), ippPort()).
 * Encryption is what CUPS's configuration says; certificates are always
 * verified as CUPS does. queue: the destination's name (1..127 bytes of
 * letters, digits, '_', '-', '.'; TQK_E_ARG otherwise). hold: every job is
 * submitted with job-hold-until=indefinite and waits until an operator
 * releases it.
 *
 * Connects and checks that the queue exists: TQK_E_PRINT_NO_PRINTER when the
 * server does not know it, TQK_E_PRINT_FAILED when the server cannot be
 * reached or refuses; detail (TQK_PRINT_DETAIL_CAP bytes, may be NULL) then
 * says why (cupsLastErrorString()). *out is the new printer.
 */
typedef struct tqk_cups_config {
	const char *server;
	const char *queue;
	bool hold;
} tqk_cups_config;

tqk_err tqk_printer_cups_new(const tqk_cups_config *cfg, tqk_printer **out,
                             char *detail) TQK_MUST_CHECK;

#endif
