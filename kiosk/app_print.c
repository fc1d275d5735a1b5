/*
 * app_print.c - the print buttons (SPEC §9): the clerk's Done screen (the
 * archive-bag cover and the receipt), the teacher's status screen (the form
 * and the receipt) and the walk-in's last step (the form). The document is
 * gathered from the store here (output/docs.h), handed to the print thread
 * (printing.h), and what the thread reports is written under the buttons of
 * the screen that asked, in the screen's language.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app_internal.h"
#include "i18n.h"
#include "output/docs.h"

static const char *const doc_names[TQK_DOC_COUNT] = {
	N_("Application form"), N_("Archive-bag cover"), N_("Receipt"),
};

/* The registration number the screen's i-th document is of; "" when none. */
static const char *reg_of(const tqk_app *a, int i)
{
	switch (a->screen) {
	case TQK_SCR_DONE:
		return a->view.done.reg_no;
	case TQK_SCR_STATUS:
		return i >= 0 && (size_t)i < a->view.status.n_apps ? a->view.status.apps[i].reg_no : "";
	case TQK_SCR_WALKIN:
		return a->wi.a.reg_no[0] != '\0' ? a->wi.a.reg_no : a->wbefore.reg_no;
	default:
		return "";
	}
}

static void say(tqk_app *a, uint32_t colour, bool busy, const char *text)
{
	tqk_view_print *v = &a->view.print;
	snprintf(v->text, sizeof v->text, "%s", text);
	v->colour = colour;
	v->busy = busy;
	a->dirty = true;
}

void tqk_app_print(tqk_app *a, int arg)
{
	if (a->print == NULL || arg < 0)
		return;
	tqk_lang L = a->view.chrome.lang;
	tqk_doc doc = (tqk_doc)(arg % TQK_DOC_COUNT);
	const char *reg = reg_of(a, arg / TQK_DOC_COUNT);
	if (reg[0] == '\0')
		return;
	tqk_print_job *job = calloc(1, sizeof *job);
	if (job == NULL) {
		say(a, TQK_C_BAD, false, tqk_strerror(TQK_E_NOMEM, L));
		return;
	}
	job->doc = doc;
	tqk_time now = tqk_app_now(a, NULL);
	tqk_err err = doc == TQK_DOC_FORM ? tqk_output_form(a->store, reg, now, &job->u.form)
	            : doc == TQK_DOC_COVER ? tqk_output_cover(a->store, reg, &job->u.cover)
	            : tqk_output_receipt(a->store, reg, now, &job->u.receipt);
	char line[2048];
	if (err != TQK_OK) {
		snprintf(line, sizeof line, "%s: %s", tqk_tr(L, doc_names[doc]), tqk_strerror(err, L));
		say(a, TQK_C_BAD, false, line);
	} else if (!tqk_printing_submit(a->print, job)) {
		say(a, TQK_C_WARN, true, tqk_tr(L, "Another document is being printed: please wait."));
	} else {
		a->print_screen = a->screen;
		tqk_printing_state(a->print, &a->print_state);
		a->print_seq = a->print_state.seq;
		snprintf(line, sizeof line, "%s: %s", tqk_tr(L, doc_names[doc]),
		         tqk_tr(L, "preparing the document…"));
		say(a, TQK_C_MUTED, true, line);
	}
	sodium_memzero(job, sizeof *job);
	free(job);
}

void tqk_app_print_update(tqk_app *a)
{
	if (a->print == NULL)
		return;
	tqk_print_state st;
	tqk_printing_state(a->print, &st);
	/* Only the screen that asked shows it, and only its own document. */
	if (st.seq != a->print_seq || a->screen != a->print_screen || a->print_seq == 0)
		return;
	tqk_lang L = a->view.chrome.lang;
	const char *what = tqk_tr(L, doc_names[st.doc < TQK_DOC_COUNT ? st.doc : 0]);
	char line[2048];
	switch (st.phase) {
	case TQK_PRINT_IDLE:
	case TQK_PRINT_MAKING:
		snprintf(line, sizeof line, "%s: %s", what, tqk_tr(L, "preparing the document…"));
		say(a, TQK_C_MUTED, true, line);
		break;
	case TQK_PRINT_AT_PRINTER:
		snprintf(line, sizeof line, "%s: %s%s%s", what, tqk_job_state_name(st.job, L),
		         st.reason[0] != '\0' ? " · " : "", st.reason);
		say(a, st.job == TQK_JOB_STOPPED ? TQK_C_WARN : TQK_C_MUTED, true, line);
		break;
	case TQK_PRINT_DONE:
		snprintf(line, sizeof line, "%s: %s", what, tqk_tr(L, "printed. Please take it from the printer."));
		say(a, TQK_C_OK, false, line);
		break;
	case TQK_PRINT_SAVED: {
		char why[TQK_PRINT_REASON_CAP + 128];
		snprintf(why, sizeof why, "%s%s%s",
		         st.still_queued ? tqk_job_state_name(st.job, L) : tqk_strerror(st.err, L),
		         st.reason[0] != '\0' ? ": " : "", st.reason);
		if (st.still_queued)
			/* TRANSLATORS: the document, the printer's state, the saved file */
			snprintf(line, sizeof line, tqk_tr(L, "%s is still waiting at the printer (%s). "
			                                      "A copy is saved as %s"),
			         what, why, st.path);
		else
			/* TRANSLATORS: the document, why it was not printed, the saved file */
			snprintf(line, sizeof line, tqk_tr(L, "%s was not printed (%s). It is saved as %s"),
			         what, why, st.path);
		say(a, TQK_C_WARN, false, line);
		break;
	}
	case TQK_PRINT_FAILED:
		snprintf(line, sizeof line, "%s: %s%s%s", what, tqk_strerror(st.err, L),
		         st.bad != NULL ? " · " : "", st.bad != NULL ? st.bad : "");
		say(a, TQK_C_BAD, false, line);
		break;
	}
}
