/*
 * printing.c - the kiosk's print thread (printing.h): one document at a
 * time, laid out, delivered and followed until the printer is done.
 */
#include "printing.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POLL_MS 300                 /* between looks at a job at the printer */
#define FOLLOW_MS (2 * 60 * 1000)   /* how long a job is followed before a copy is saved */
#define LOST_POLLS 10               /* looks that fail in a row: the server is gone */

struct tqk_printing {
	char queue[256], server[256], save_dir[TQK_DELIVER_PATH_CAP];
	tqk_paper paper;
	Uint32 event;
	char spool[256];                /* the private spool directory (0700) */
	SDL_Thread *thread;
	SDL_mutex *lock;
	SDL_cond *wake;
	atomic_bool stop;
	/* under lock: */
	bool pending;                   /* job waits for the thread */
	bool busy;                      /* a document is under way */
	tqk_print_job job;
	tqk_print_state state;
	/* the thread's own: the document it works on */
	tqk_print_job work;
};

static const char *const doc_codes[TQK_DOC_COUNT] = {"form", "cover", "receipt"};

static void post(tqk_printing *p)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = p->event;
	(void)SDL_PushEvent(&e);
}

/* Publishes st as the state and tells the loop; done ends the document. */
static void publish(tqk_printing *p, const tqk_print_state *st, bool done)
{
	SDL_LockMutex(p->lock);
	p->state = *st;
	if (done)
		p->busy = false;
	SDL_UnlockMutex(p->lock);
	post(p);
}

/* Lays job out as a PDF at path; *bad names a field that does not fit. */
static tqk_err render(const tqk_printing *p, const tqk_print_job *job, const char *path,
                      const char **bad)
{
	switch (job->doc) {
	case TQK_DOC_FORM:
		return tqk_print_form(&job->u.form, p->paper, path, bad);
	case TQK_DOC_COVER:
		return tqk_print_cover(&job->u.cover, p->paper, path, bad);
	default:
		return tqk_print_receipt(&job->u.receipt, p->paper, path, bad);
	}
}

/* The saved copy's name: the kind and the number the document shows. */
static void base_name(const tqk_print_job *job, char *out, size_t cap)
{
	const char *no = job->doc == TQK_DOC_FORM ? job->u.form.app.reg_no
	               : job->doc == TQK_DOC_COVER ? job->u.cover.archive_no
	               : job->u.receipt.reg_no;
	snprintf(out, cap, "%s-%s", doc_codes[job->doc], no);
}

/* Sleeps ms unless asked to stop; false when asked. */
static bool nap(tqk_printing *p, int ms)
{
	for (int t = 0; t < ms; t += 50) {
		if (atomic_load(&p->stop))
			return false;
		SDL_Delay(50);
	}
	return !atomic_load(&p->stop);
}

/*
 * Follows job id at printer until it is final: DONE when completed. A job
 * that failed (aborted, canceled), a printer that stopped (out of paper, a
 * jam), a server that no longer answers and a job still not printed after
 * FOLLOW_MS all end the document with a copy saved, so that the next one
 * need not wait; a job still queued stays queued (still_queued) and prints
 * when the printer is back.
 */
static void follow(tqk_printing *p, tqk_printer *printer, int id, const char *pdf,
                   const char *base, tqk_print_state *st)
{
	tqk_job_status js = {TQK_JOB_PENDING, ""};
	int lost = 0;
	for (int waited = 0; waited < FOLLOW_MS && nap(p, POLL_MS); waited += POLL_MS) {
		tqk_job_status now;
		if (tqk_printer_state(printer, id, &now) != TQK_OK) {
			if (++lost == LOST_POLLS)
				break;
			continue;       /* the server went away for a moment: look again */
		}
		lost = 0;
		if (now.state != js.state || strcmp(now.reason, js.reason) != 0) {
			js = now;
			st->job = js.state;
			memcpy(st->reason, js.reason, sizeof st->reason);
			publish(p, st, false);
		}
		if (tqk_job_state_final(js.state) || js.state == TQK_JOB_STOPPED)
			break;
	}
	if (js.state == TQK_JOB_COMPLETED) {
		st->phase = TQK_PRINT_DONE;
		return;
	}
	char detail[TQK_PRINT_DETAIL_CAP];
	st->err = TQK_E_PRINT_FAILED;
	st->still_queued = !tqk_job_state_final(js.state);
	st->phase = tqk_deliver_save(p->save_dir, pdf, base, st->path, detail) == TQK_OK
	          ? TQK_PRINT_SAVED : TQK_PRINT_FAILED;
}

/* One document, from layout to its end. */
static void run_job(tqk_printing *p, const tqk_print_job *job, unsigned long seq)
{
	tqk_print_state st;
	memset(&st, 0, sizeof st);
	st.seq = seq;
	st.doc = job->doc;
	st.phase = TQK_PRINT_MAKING;
	publish(p, &st, false);

	char pdf[sizeof p->spool + 32], base[96], title[TQK_PRINT_TITLE_CAP];
	snprintf(pdf, sizeof pdf, "%s/%lu.pdf", p->spool, seq);
	base_name(job, base, sizeof base);
	snprintf(title, sizeof title, "tqkiosk %s %lu", doc_codes[job->doc], seq);
	const char *bad = NULL;
	st.err = render(p, job, pdf, &bad);
	if (st.err != TQK_OK) {
		st.phase = TQK_PRINT_FAILED;
		st.bad = bad;
		publish(p, &st, true);
		return;
	}
	tqk_printer *printer = NULL;
	tqk_err perr = TQK_E_PRINT_NO_PRINTER;
	if (p->queue[0] != '\0') {
		tqk_cups_config cfg = {p->server[0] != '\0' ? p->server : NULL, p->queue, false};
		perr = tqk_printer_cups_new(&cfg, &printer, NULL);
	}
	/* The form goes in two copies (seed, first text, 2(1): 一式两份). */
	tqk_deliver_req req = {pdf, p->save_dir, base, title, job->doc == TQK_DOC_FORM ? 2 : 1};
	tqk_delivery d;
	tqk_err err = tqk_deliver(printer, &req, &d);
	if (err != TQK_OK) {
		st.phase = TQK_PRINT_FAILED;
		st.err = err;
	} else if (d.kind == TQK_DELIVERY_SAVED) {
		st.phase = TQK_PRINT_SAVED;
		st.err = printer == NULL ? perr : d.why;
		memcpy(st.path, d.path, sizeof st.path);
	} else {
		st.phase = TQK_PRINT_AT_PRINTER;
		st.job = TQK_JOB_PENDING;
		publish(p, &st, false);
		follow(p, printer, d.job, pdf, base, &st);
	}
	tqk_printer_free(printer);
	unlink(pdf);
	publish(p, &st, true);
}

static int thread_main(void *arg)
{
	tqk_printing *p = arg;
	for (;;) {
		SDL_LockMutex(p->lock);
		while (!p->pending && !atomic_load(&p->stop))
			SDL_CondWait(p->wake, p->lock);
		bool go = p->pending && !atomic_load(&p->stop);
		unsigned long seq = p->state.seq;
		if (go)
			p->work = p->job;
		sodium_memzero(&p->job, sizeof p->job);
		p->pending = false;
		SDL_UnlockMutex(p->lock);
		if (!go)
			break;
		run_job(p, &p->work, seq);
		sodium_memzero(&p->work, sizeof p->work);
	}
	return 0;
}

tqk_printing *tqk_printing_new(const tqk_printing_opts *o, Uint32 event, char *err, size_t cap)
{
	tqk_printing *p = calloc(1, sizeof *p);
	if (p == NULL) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	snprintf(p->queue, sizeof p->queue, "%s", o->queue != NULL ? o->queue : "");
	snprintf(p->server, sizeof p->server, "%s", o->server != NULL ? o->server : "");
	snprintf(p->save_dir, sizeof p->save_dir, "%s", o->save_dir != NULL ? o->save_dir : "");
	p->paper = o->paper;
	p->event = event;
	const char *tmp = getenv("TMPDIR");
	snprintf(p->spool, sizeof p->spool, "%s/tqkiosk-print.XXXXXX",
	         tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	atomic_init(&p->stop, false);
	if (mkdtemp(p->spool) == NULL) {
		snprintf(err, cap, "the print spool %s cannot be made", p->spool);
		free(p);
		return NULL;
	}
	p->lock = SDL_CreateMutex();
	p->wake = SDL_CreateCond();
	p->thread = p->lock != NULL && p->wake != NULL
	          ? SDL_CreateThread(thread_main, "printing", p) : NULL;
	if (p->thread == NULL) {
		snprintf(err, cap, "the print thread cannot start: %s", SDL_GetError());
		tqk_printing_free(p);
		return NULL;
	}
	return p;
}

void tqk_printing_free(tqk_printing *p)
{
	if (p == NULL)
		return;
	atomic_store(&p->stop, true);
	if (p->thread != NULL) {
		SDL_LockMutex(p->lock);
		SDL_CondSignal(p->wake);
		SDL_UnlockMutex(p->lock);
		SDL_WaitThread(p->thread, NULL);
	}
	SDL_DestroyCond(p->wake);
	SDL_DestroyMutex(p->lock);
	rmdir(p->spool);
	sodium_memzero(p, sizeof *p);
	free(p);
}

bool tqk_printing_submit(tqk_printing *p, const tqk_print_job *job)
{
	SDL_LockMutex(p->lock);
	bool ok = !p->busy;
	if (ok) {
		p->job = *job;
		p->pending = p->busy = true;
		p->state.seq++;
		p->state.doc = job->doc;
		p->state.phase = TQK_PRINT_MAKING;
		SDL_CondSignal(p->wake);
	}
	SDL_UnlockMutex(p->lock);
	return ok;
}

void tqk_printing_state(tqk_printing *p, tqk_print_state *out)
{
	SDL_LockMutex(p->lock);
	*out = p->state;
	SDL_UnlockMutex(p->lock);
}

void tqk_printing_describe(const tqk_printing *p, tqk_lang lang, char *out, size_t cap)
{
	bool en = lang == TQK_LANG_EN;
	if (p->queue[0] == '\0')
		snprintf(out, cap, en ? "no printer: documents are saved in %s" : "未配置打印机：文档保存在 %s",
		         p->save_dir);
	else
		snprintf(out, cap, en ? "CUPS queue %s at %s (saved in %s when printing fails)"
		                      : "CUPS 打印队列 %s（%s），打印失败时保存在 %s",
		         p->queue, p->server[0] != '\0' ? p->server : (en ? "the default server" : "默认服务器"),
		         p->save_dir);
}
