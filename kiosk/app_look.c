/*
 * app_look.c - where a teacher stands, from an ID card on the reader or a
 * scanned code: the applications found, each state in plain words, the
 * messages, and the exact materials to bring (SPEC §4, §5). A scan that
 * is not one of ours, or a form whose signature fails, is refused with the
 * reason and changes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "app_internal.h"
#include "core/materials.h"
#include "core/scan.h"
#include "core/state.h"
#include "i18n.h"
#include "store/apps.h"
#include "store/confirm.h"
#include "store/walkin.h"

/* The ID number with its middle hidden: the first 6 and the last 4. */
static void mask_id(const char *id, char out[TQK_ID_LEN + 1])
{
	size_t n = strlen(id);
	for (size_t i = 0; i < n && i < TQK_ID_LEN; i++)
		out[i] = i < 6 || i + 4 >= n ? id[i] : '*';
	out[n < TQK_ID_LEN ? n : TQK_ID_LEN] = '\0';
}

/* What this teacher must bring: for an application waiting for the site,
 * the whole bag (the police certificate only when the certificate's name or
 * ID number differs from the card's); after 材料不齐全, what the clerk
 * marked 不具备; nothing once the site has concluded otherwise. */
/* The names of the materials marks lack, in bag order; rules that are
 * not things to hand in are left out. */
static size_t lacking(const tqk_marks *marks, tqk_lang L, const char *out[TQK_MAT_COUNT])
{
	size_t n = 0;
	for (int order = 1; order <= TQK_MAT_COUNT; order++)
		for (int m = 0; m < TQK_MAT_COUNT; m++) {
			const tqk_material_info *mi = tqk_material_get((tqk_material)m);
			if (mi->bag_order == order && marks->mark[m] == TQK_MARK_LACKS && n < TQK_MAT_COUNT)
				out[n++] = mi->name[L];
		}
	return n;
}

size_t tqk_app_to_bring(const tqk_application *app, const char *card_name, tqk_lang L,
                        const char *out[TQK_MAT_COUNT])
{
	tqk_marks marks;
	memset(&marks, 0, sizeof marks);
	tqk_case c = {card_name != NULL ? card_name : app->name, app->id_number, app->cert_name,
	              app->cert_id, app->registration, app->qualification, app->post};
	tqk_marks_prefill(&c, &marks);
	for (int m = 0; m < TQK_MAT_COUNT; m++)
		if (marks.mark[m] == TQK_MARK_UNSET)
			marks.mark[m] = TQK_MARK_LACKS;
	return lacking(&marks, L, out);
}

static void bring(tqk_app *a, const tqk_application *app, const char *card_name,
                  tqk_view_app *v, tqk_lang L)
{
	if (app->state == TQK_ST_SUBMITTED) {
		v->n_bring = tqk_app_to_bring(app, card_name, L, v->bring);
	} else if (app->state == TQK_ST_SITE_INCOMPLETE) {
		tqk_confirmation c;
		if (tqk_store_confirmation_current(a->store, app->reg_no, &c) == TQK_OK)
			v->n_bring = lacking(&c.marks, L, v->bring);
	}
}

static void show(tqk_app *a, const tqk_application *apps, size_t n, const char *card_name,
                 const char *looked_up)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_view_status *s = &a->view.status;
	memset(s, 0, sizeof *s);
	snprintf(s->looked_up, sizeof s->looked_up, "%s", looked_up);
	if (n > 0) {
		snprintf(s->name, sizeof s->name, "%s", card_name != NULL ? card_name : apps[0].name);
		mask_id(apps[0].id_number, s->id_masked);
	}
	s->duplicate = n > 1;
	for (size_t i = 0; i < n && i < TQK_VIEW_APPS; i++) {
		const tqk_application *p = &apps[i];
		tqk_view_app *v = &s->apps[i];
		/* a walk-in's official number once the server gave it */
		if (tqk_store_shown_number(a->store, p->reg_no, v->reg_no) != TQK_OK)
			snprintf(v->reg_no, sizeof v->reg_no, "%s", p->reg_no);
		snprintf(v->state, sizeof v->state, "%s", tqk_state_label(p->state, L));
		snprintf(v->next, sizeof v->next, "%s", tqk_state_next_step(p->state, L));
		snprintf(v->site_message, sizeof v->site_message, "%s", p->site_message);
		snprintf(v->inst_message, sizeof v->inst_message, "%s", p->inst_message);
		snprintf(v->remark, sizeof v->remark, "%s", p->remark);
		bring(a, p, card_name, v, L);
		/* Paper with personal data only for the card's holder: a scanned
		 * or typed number shows the status, and prints nothing. */
		tqk_confirmation c;
		v->can_print = card_name != NULL;
		v->concluded = tqk_store_confirmation_current(a->store, p->reg_no, &c) == TQK_OK &&
		               c.conclusion != TQK_CONC_NONE;
		/* Changed by the teacher, whose card was read, while the site
		 * waits and its period runs, at this site, in its hours. */
		v->can_change = card_name != NULL && a->view.chrome.open &&
		                strcmp(p->site, a->site_code) == 0 &&
		                tqk_state_applicant_edit(p->state, tqk_app_now(a, NULL),
		                                         tqk_period_end(&a->period, &a->hours),
		                                         TQK_TIME_NONE) == TQK_EDIT_ALL;
		s->n_apps++;
	}
	s->seconds_left = TQK_STATUS_SECONDS;
	tqk_app_go(a, TQK_SCR_STATUS);
}

/* The store failed: say so and stay. */
static void store_failed(tqk_app *a, tqk_err e)
{
	tqk_app_notice(a, true, tqk_strerror(e, a->view.chrome.lang));
}

void tqk_app_look_card(tqk_app *a, const tqk_idcard *card)
{
	/* A clerk at work: the card goes into the verification, or finds
	 * the applicant in the list (opened at once when there is one). */
	if (a->clerk >= 0 && a->screen == TQK_SCR_VERIFY) {
		tqk_app_verify_card(a, card);
		return;
	}
	if (a->clerk >= 0 && a->screen == TQK_SCR_LIST) {
		a->card = *card;
		a->have_card = true;
		snprintf(a->view.list.search, sizeof a->view.list.search, "%s", card->id);
		tqk_app_list_load(a, 1);
		if (a->page.n == 1)
			tqk_app_verify_open(a, a->page.rows[0].reg_no);
		return;
	}
	tqk_application apps[TQK_VIEW_APPS];
	size_t n = 0;
	tqk_err e = tqk_store_find_id(a->store, card->id, apps, TQK_VIEW_APPS, &n);
	if (e != TQK_OK) {
		store_failed(a, e);
		return;
	}
	char masked[TQK_ID_LEN + 1];
	mask_id(card->id, masked);
	show(a, apps, n < TQK_VIEW_APPS ? n : TQK_VIEW_APPS, card->name, masked);
	memset(apps, 0, sizeof apps);
	/* Nothing found: the teacher may apply here, with this card; or
	 * change what they applied with. */
	if (n == 0 || a->view.status.apps[0].can_change || a->view.status.apps[1].can_change) {
		a->wcard = *card;
		a->have_wcard = true;
		a->view.status.can_apply = a->view.chrome.open;
	}
}

void tqk_app_look_scan(tqk_app *a, const char *text)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_scan sc;
	tqk_time now = tqk_app_now(a, NULL);
	tqk_err e = tqk_scan_classify(text, strlen(text), tqk_time_date(now), &sc);
	/* In the walk-in: a certificate's barcode fills its number, and
	 * nothing scanned takes the teacher away from what they typed. */
	if (a->screen == TQK_SCR_WALKIN) {
		tqk_app_walkin_scan(a, e == TQK_OK ? &sc : NULL);
		return;
	}
	if (e != TQK_OK) {
		tqk_app_notice(a, true, tqk_strerror(e, L));
		return;
	}
	if (a->clerk >= 0 && a->screen == TQK_SCR_VERIFY) {
		if (sc.kind == TQK_SCAN_CERT)
			tqk_app_verify_cert(a, sc.text);
		else
			tqk_app_notice(a, true, tqk_tr(L, "Scan the certificate's barcode here."));
		return;
	}
	char reg[TQK_CODE_CAP] = "";
	tqk_application apps[TQK_VIEW_APPS];
	size_t n = 0;
	switch (sc.kind) {
	case TQK_SCAN_PAYLOAD: {
		tqk_payload p;
		e = tqk_payload_verify(sc.text, sc.len, &a->keys, &p);
		if (e != TQK_OK) {
			tqk_app_notice(a, true, tqk_strerror(e, L));
			return;
		}
		snprintf(reg, sizeof reg, "%s", p.reg_no);
		break;
	}
	case TQK_SCAN_REG:
		snprintf(reg, sizeof reg, "%.*s", (int)sizeof reg - 1, sc.text);
		break;
	case TQK_SCAN_ID:
		e = tqk_store_find_id(a->store, sc.text, apps, TQK_VIEW_APPS, &n);
		break;
	case TQK_SCAN_CERT:
		e = tqk_store_find_cert(a->store, sc.text, apps, TQK_VIEW_APPS, &n);
		break;
	case TQK_SCAN_NONE:
		tqk_app_notice(a, true, tqk_tr(L, "This code is not a registration form or certificate."));
		return;
	}
	bool clerk_list = a->clerk >= 0 && a->screen == TQK_SCR_LIST;
	if (reg[0] != '\0' && !clerk_list) {
		tqk_app_look_reg(a, reg);
		return;
	}
	if (e != TQK_OK) {
		store_failed(a, e);
		return;
	}
	if (clerk_list) {
		snprintf(a->view.list.search, sizeof a->view.list.search, "%.*s",
		         (int)sizeof a->view.list.search - 1, reg[0] != '\0' ? reg : sc.text);
		tqk_app_list_load(a, 1);
		if (reg[0] != '\0' && a->page.n == 1)
			tqk_app_verify_open(a, reg);
		return;
	}
	char what[TQK_ID_LEN + 1];
	if (sc.kind == TQK_SCAN_ID)
		mask_id(sc.text, what);
	show(a, apps, n < TQK_VIEW_APPS ? n : TQK_VIEW_APPS, NULL, sc.kind == TQK_SCAN_ID ? what : sc.text);
	memset(apps, 0, sizeof apps);
}

void tqk_app_look_reg(tqk_app *a, const char *reg_no)
{
	tqk_application apps[TQK_VIEW_APPS];
	size_t n = 0;
	tqk_err e = tqk_store_app_get(a->store, reg_no, &apps[0]);
	if (e == TQK_OK) {
		char id[TQK_ID_LEN + 1];
		snprintf(id, sizeof id, "%s", apps[0].id_number);
		n = 1;
		size_t m = 0;
		if (tqk_store_find_id(a->store, id, apps, TQK_VIEW_APPS, &m) == TQK_OK && m > 0)
			n = m;
	} else if (e != TQK_E_STORE_NOT_FOUND) {
		store_failed(a, e);
		return;
	}
	show(a, apps, n < TQK_VIEW_APPS ? n : TQK_VIEW_APPS, NULL, reg_no);
	memset(apps, 0, sizeof apps);
}
