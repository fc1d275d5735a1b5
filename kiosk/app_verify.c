/*
 * app_verify.c - the clerk's verification of one application and its
 * commit (SPEC §5): the comparison with the ID card on the reader and the
 * scanned certificate, corrections checked by core and recorded old ->
 * new, the materials prefilled by the seed's rules, the conclusion checked
 * by core, then tqk_store_confirm in one transaction after the window
 * check. "Saved" shows only after the commit returned.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app_internal.h"
#include "core/stage.h"
#include "core/state.h"
#include "i18n.h"
#include "store/apps.h"
#include "store/confirm.h"

/* The rows compared: the card's name and number, the certificate's. */
static const tqk_field compared[] = {TQK_F_NAME,      TQK_F_ID_NUMBER,     TQK_F_CERT_NO,
                                     TQK_F_CERT_NAME, TQK_F_CERT_ID,       TQK_F_QUALIFICATION,
                                     TQK_F_SCHOOL,    TQK_F_INSTITUTION};

/* The corrected application: the stored one with the corrections applied. */
static void fill_rows(tqk_app *a)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_view_verify *v = &a->view.verify;
	const tqk_application *p = &a->vapp;
	v->n_rows = 0;
	for (size_t i = 0; i < sizeof compared / sizeof compared[0]; i++) {
		tqk_view_compare *r = &v->rows[v->n_rows++];
		tqk_field f = compared[i];
		r->field = f;
		r->label = tqk_field_get_info(f)->label[L];
		tqk_field_text(p, f, r->app, sizeof r->app);
		if (f == TQK_F_QUALIFICATION)
			snprintf(r->app, sizeof r->app, "%s", tqk_stage_qual_name(p->qualification, L));
		r->other[0] = '\0';
		if (a->have_card && (f == TQK_F_NAME || f == TQK_F_CERT_NAME))
			snprintf(r->other, sizeof r->other, "%s", a->card.name);
		if (a->have_card && (f == TQK_F_ID_NUMBER || f == TQK_F_CERT_ID))
			snprintf(r->other, sizeof r->other, "%s", a->card.id);
		if (f == TQK_F_CERT_NO)
			snprintf(r->other, sizeof r->other, "%s", a->cert_scanned);
		r->mismatch = r->other[0] != '\0' && r->app[0] != '\0' && strcmp(r->app, r->other) != 0;
		r->corrected = false;
		for (size_t k = 0; k < a->conf.n_corrections; k++)
			r->corrected |= a->conf.corrections[k].field == f;
	}
	snprintf(v->card_note, sizeof v->card_note, "%s",
	         a->have_card ? tqk_tr(L, "ID card read: the card is right where it differs.")
	                      : tqk_tr(L, "Put the ID card on the reader to compare; scan the "
	                                  "certificate's barcode."));
}

/* The rules' marks, keeping what the clerk set by hand. */
static void prefill(tqk_app *a, bool keep)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_view_verify *v = &a->view.verify;
	/* Without a card the application's own name and number stand in. */
	tqk_case c = tqk_application_case(&a->vapp, a->have_card ? a->card.name : a->vapp.name,
	                                  a->have_card ? a->card.id : a->vapp.id_number);
	tqk_marks m;
	tqk_marks_prefill(&c, &m);
	a->conf.police_required = tqk_police_required(&c);
	for (int i = 0; i < TQK_MAT_COUNT; i++) {
		const tqk_material_info *mi = tqk_material_get((tqk_material)i);
		v->mat_name[i] = mi->name[L];
		v->mat_rule[i] = mi->requires[L];
		v->mat_note[i] = NULL;
		v->na[i] = m.mark[i] == TQK_MARK_NA;
		if (m.mark[i] != TQK_MARK_UNSET) {
			v->marks[i] = m.mark[i] == TQK_MARK_HAS ? 1 : m.mark[i] == TQK_MARK_LACKS ? 2 : 0;
			if (i == TQK_MAT_QUAL_MATCH)
				v->mat_note[i] = m.mark[i] == TQK_MARK_HAS
				                         ? tqk_tr(L, "Rule: a formal certificate matches the post.")
				                         : tqk_tr(L, "Rule: the post is above the certificate's stage.");
			if (i == TQK_MAT_POLICE)
				v->mat_note[i] = tqk_tr(L, "Needed only when the certificate's name or ID "
				                           "number differs from the card.");
		} else if (!keep) {
			v->marks[i] = 0;
		}
		if (i == TQK_MAT_POLICE && a->conf.police_required)
			v->mat_note[i] = tqk_tr(L, "Needed: the certificate's name or ID number differs "
			                           "from the card.");
	}
}

void tqk_app_verify_marks(tqk_app *a)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_view_verify *v = &a->view.verify;
	tqk_marks m;
	for (int i = 0; i < TQK_MAT_COUNT; i++)
		m.mark[i] = v->na[i] ? TQK_MARK_NA
		            : v->marks[i] == 1 ? TQK_MARK_HAS
		            : v->marks[i] == 2 ? TQK_MARK_LACKS : TQK_MARK_UNSET;
	a->conf.marks = m;
	tqk_conclusion c = TQK_CONC_NONE;
	uint32_t missing = 0;
	tqk_err e = tqk_conclusion_derive(&m, a->conf.police_required, &c, &missing);
	if (e != TQK_OK) {
		snprintf(v->derived, sizeof v->derived, "%s", tqk_strerror(e, L));
		return;
	}
	char miss[200] = "";
	if (missing != 0)
		(void)tqk_missing_message(missing, L, miss, sizeof miss);
	snprintf(v->derived, sizeof v->derived, "%s %s %s", tqk_tr(L, "The marks give:"),
	         tqk_conclusion_name(c, L), miss);
	if (v->conclusion != TQK_CONC_NOT_ACCEPTED)
		v->conclusion = (int)c;
}

void tqk_app_verify_open(tqk_app *a, const char *reg_no)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_application apps[TQK_VIEW_APPS];
	tqk_err e = tqk_store_app_get(a->store, reg_no, &a->vapp);
	if (e != TQK_OK) {
		tqk_app_notice(a, true, tqk_strerror(e, L));
		return;
	}
	tqk_view_verify *v = &a->view.verify;
	memset(v, 0, sizeof *v);
	memset(&a->conf, 0, sizeof a->conf);
	v->editing = -1;
	snprintf(v->reg_no, sizeof v->reg_no, "%s", a->vapp.reg_no);
	snprintf(v->name, sizeof v->name, "%s", a->vapp.name);
	tqk_store_new_uuid(a->conf.uuid);
	snprintf(a->conf.reg_no, sizeof a->conf.reg_no, "%s", a->vapp.reg_no);
	snprintf(a->conf.clerk, sizeof a->conf.clerk, "%s", a->clerks[a->clerk].id);
	/* A card read for someone else does not count. */
	if (a->have_card && strcmp(a->card.id, a->vapp.id_number) != 0)
		a->have_card = false;
	a->cert_scanned[0] = '\0';
	/* Another registration number for the same ID number: a duplicate. */
	size_t n = 0;
	if (tqk_store_find_id(a->store, a->vapp.id_number, apps, TQK_VIEW_APPS, &n) == TQK_OK && n > 1) {
		size_t len = (size_t)snprintf(v->duplicate, sizeof v->duplicate, "%s",
		                              tqk_tr(L, "Duplicate registration; other numbers:"));
		for (size_t i = 0; i < n && i < TQK_VIEW_APPS && len < sizeof v->duplicate; i++)
			if (strcmp(apps[i].reg_no, a->vapp.reg_no) != 0)
				len += (size_t)snprintf(v->duplicate + len, sizeof v->duplicate - len, " %s",
				                        apps[i].reg_no);
		snprintf(v->remark, sizeof v->remark, "%s", tqk_tr(L, "Duplicate registration"));
	}
	sodium_memzero(apps, sizeof apps);
	fill_rows(a);
	prefill(a, false);
	tqk_app_verify_marks(a);
	tqk_app_go(a, TQK_SCR_VERIFY);
}

void tqk_app_verify_card(tqk_app *a, const tqk_idcard *card)
{
	a->card = *card;
	a->have_card = true;
	fill_rows(a);
	prefill(a, true);
	tqk_app_verify_marks(a);
}

void tqk_app_verify_cert(tqk_app *a, const char *cert_no)
{
	snprintf(a->cert_scanned, sizeof a->cert_scanned, "%.*s", (int)sizeof a->cert_scanned - 1,
	         cert_no);
	fill_rows(a);
	tqk_view_verify *v = &a->view.verify;
	if (v->rows[2].mismatch)
		tqk_app_notice(a, true, tqk_tr(a->view.chrome.lang,
		                               "The scanned certificate is not the one in the application."));
	else
		tqk_app_notice(a, false, tqk_tr(a->view.chrome.lang, "Certificate number matches."));
}

void tqk_app_verify_edit(tqk_app *a, int row)
{
	tqk_view_verify *v = &a->view.verify;
	if (row < 0 || (size_t)row >= v->n_rows)
		return;
	v->editing = row;
	v->error[0] = '\0';
	/* Start from what the card says when it differs, else the current value. */
	const tqk_view_compare *r = &v->rows[row];
	snprintf(v->edit, sizeof v->edit, "%.*s", (int)sizeof v->edit - 1,
	         r->mismatch ? r->other : r->app);
	if (r->field == TQK_F_QUALIFICATION)
		tqk_field_text(&a->vapp, r->field, v->edit, sizeof v->edit);
	tqk_ui_focus(a->ui, "verify.edit");
}

void tqk_app_verify_edit_ok(tqk_app *a)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_view_verify *v = &a->view.verify;
	if (v->editing < 0)
		return;
	tqk_field f = v->rows[v->editing].field;
	tqk_application next = a->vapp;
	tqk_err e = tqk_field_set(&next, f, v->edit, tqk_time_date(tqk_app_now(a, NULL)));
	if (e != TQK_OK) {
		snprintf(v->error, sizeof v->error, "%s", tqk_strerror(e, L));
		return;
	}
	char old[TQK_TEXT_CAP], now[TQK_TEXT_CAP];
	tqk_field_text(&a->vapp, f, old, sizeof old);
	tqk_field_text(&next, f, now, sizeof now);
	/* One correction per field: the first old value, the last new one. */
	size_t k = 0;
	while (k < a->conf.n_corrections && a->conf.corrections[k].field != f)
		k++;
	if (k == a->conf.n_corrections) {
		if (strcmp(old, now) == 0) {
			v->editing = -1;
			return;
		}
		if (k == TQK_CORRECTIONS_MAX) {
			snprintf(v->error, sizeof v->error, "%s", tqk_strerror(TQK_E_TOO_LONG, L));
			return;
		}
		a->conf.corrections[k].field = f;
		snprintf(a->conf.corrections[k].old_value, TQK_TEXT_CAP, "%s", old);
		a->conf.n_corrections++;
	}
	snprintf(a->conf.corrections[k].new_value, TQK_TEXT_CAP, "%s", now);
	if (strcmp(a->conf.corrections[k].old_value, now) == 0) {
		/* Corrected back: no correction at all. */
		a->conf.corrections[k] = a->conf.corrections[--a->conf.n_corrections];
	}
	a->vapp = next;
	v->editing = -1;
	fill_rows(a);
	prefill(a, true);
	tqk_app_verify_marks(a);
}

void tqk_app_verify_confirm(tqk_app *a)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_view_verify *v = &a->view.verify;
	v->error[0] = '\0';
	tqk_app_verify_marks(a);
	tqk_time_source src = TQK_TIME_UNSET;
	tqk_time now = tqk_app_now(a, &src);
	/* Writes only inside the window (SPEC §7). */
	tqk_window w;
	if (tqk_window_at(a->cal, &a->hours, &a->period, now, &w) != TQK_OK || !w.open) {
		snprintf(v->error, sizeof v->error, "%s: %s", tqk_tr(L, "Not saved"),
		         tqk_closed_text(w.reason, L));
		return;
	}
	tqk_conclusion c = (tqk_conclusion)v->conclusion;
	tqk_err e = tqk_conclusion_check(&a->conf.marks, a->conf.police_required, c, v->remark,
	                                 v->message);
	if (e != TQK_OK) {
		snprintf(v->error, sizeof v->error, "%s", tqk_strerror(e, L));
		return;
	}
	a->conf.conclusion = c;
	snprintf(a->conf.remark, sizeof a->conf.remark, "%s", c == TQK_CONC_NOT_ACCEPTED ? v->remark : "");
	snprintf(a->conf.message, sizeof a->conf.message, "%s", v->message);
	a->conf.at = now;
	a->conf.time_source = src;
	/* The same uuid on every try: a retry after a failure never doubles. */
	tqk_confirmation done = a->conf;
	e = tqk_store_confirm(a->store, &done);
	if (e != TQK_OK) {
		snprintf(v->error, sizeof v->error, "%s: %s %s", tqk_tr(L, "Not saved"),
		         tqk_strerror(e, L), tqk_store_detail(a->store));
		return;
	}
	tqk_sync_wake(a->sync);
	tqk_view_done *d = &a->view.done;
	memset(d, 0, sizeof *d);
	snprintf(d->archive_no, sizeof d->archive_no, "%s", done.archive_no);
	snprintf(d->conclusion, sizeof d->conclusion, "%s", tqk_conclusion_name(c, L));
	snprintf(d->reg_no, sizeof d->reg_no, "%s", done.reg_no);
	snprintf(d->name, sizeof d->name, "%s", a->vapp.name);
	uint32_t missing = 0;
	tqk_conclusion derived;
	if (c == TQK_CONC_INCOMPLETE &&
	    tqk_conclusion_derive(&done.marks, done.police_required, &derived, &missing) == TQK_OK)
		(void)tqk_missing_message(missing, L, d->next_steps, sizeof d->next_steps);
	else if (c == TQK_CONC_COMPLETE)
		snprintf(d->next_steps, sizeof d->next_steps, "%s", tqk_state_next_step(TQK_ST_CONFIRMED, L));
	else
		snprintf(d->next_steps, sizeof d->next_steps, "%.*s", (int)sizeof d->next_steps - 1, done.remark);
	a->have_card = false;
	sodium_memzero(&a->card, sizeof a->card);
	tqk_app_go(a, TQK_SCR_DONE);
}
