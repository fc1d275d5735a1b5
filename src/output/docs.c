/*
 * docs.c - the printed documents of one application, gathered from the
 * store (docs.h).
 */
#include "output/docs.h"

#include <stdio.h>
#include <string.h>

#include "core/confirmation.h"
#include "core/payload.h"
#include "core/walkin.h"
#include "store/apps.h"
#include "store/confirm.h"
#include "store/plan.h"
#include "store/walkin.h"

/* The parts of the plan the documents show; zeroed when there is none. */
typedef struct plan_facts {
	char site[TQK_CODE_CAP];
	char site_name[TQK_TEXT_CAP];
	char title[TQK_TEXT_CAP];
	int year;
	tqk_date confirm_end;
	int32_t opens, closes;
	tqk_keyset keys;
} plan_facts;

static tqk_err plan_facts_get(tqk_store *s, plan_facts *out)
{
	memset(out, 0, sizeof *out);
	tqk_plan p;
	tqk_err err = tqk_store_plan_get(s, &p);
	if (err == TQK_E_STORE_NOT_FOUND)
		return TQK_OK;
	if (err != TQK_OK)
		return err;
	memcpy(out->site, p.site, sizeof out->site);
	memcpy(out->site_name, p.site_name, sizeof out->site_name);
	memcpy(out->title, p.title, sizeof out->title);
	out->year = p.year;
	out->confirm_end = p.confirm_end;
	out->opens = p.opens;
	out->closes = p.closes;
	out->keys = p.keys;
	tqk_plan_clear(&p);
	return TQK_OK;
}

/* The name of site: the plan's when it is the plan's site, else the code. */
static void site_name(const plan_facts *pf, const char *site, char out[TQK_TEXT_CAP])
{
	snprintf(out, TQK_TEXT_CAP, "%s",
	         pf->site_name[0] != '\0' && strcmp(site, pf->site) == 0 ? pf->site_name : site);
}

/* The application under the number people see, its provisional flag, and
 * the number it is stored under (which its confirmations name). */
static tqk_err app_shown(tqk_store *s, const char *reg_no, tqk_application *a, bool *provisional,
                         char stored[TQK_CODE_CAP])
{
	tqk_err err = tqk_store_app_get(s, reg_no, a);
	if (err == TQK_OK && a->purged)
		err = TQK_E_STORE_NOT_FOUND;
	if (err != TQK_OK)
		return err;
	memcpy(stored, a->reg_no, TQK_CODE_CAP);
	tqk_walkin_row w;
	err = tqk_store_walkin_get(s, a->reg_no, &w);
	*provisional = false;
	if (err == TQK_OK) {
		if (w.official[0] != '\0')
			memcpy(a->reg_no, w.official, sizeof a->reg_no);
		else
			*provisional = true;
		return TQK_OK;
	}
	return err == TQK_E_STORE_NOT_FOUND ? TQK_OK : err;
}

/* True when payload verifies with keys and names a's numbers and name. */
static bool payload_fits(const char *payload, const tqk_keyset *keys, const tqk_application *a)
{
	tqk_payload p;
	return payload[0] != '\0' &&
	       tqk_payload_verify(payload, strlen(payload), keys, &p) == TQK_OK &&
	       strcmp(p.reg_no, a->reg_no) == 0 && strcmp(p.id_number, a->id_number) == 0 &&
	       strcmp(p.cert_no, a->cert_no) == 0 && strcmp(p.name, a->name) == 0;
}

tqk_err tqk_output_form(tqk_store *s, const char *reg_no, tqk_time now, tqk_form_doc *out)
{
	memset(out, 0, sizeof *out);
	plan_facts pf;
	char stored[TQK_CODE_CAP];
	tqk_err err = plan_facts_get(s, &pf);
	if (err == TQK_OK)
		err = app_shown(s, reg_no, &out->app, &out->provisional, stored);
	if (err != TQK_OK) {
		memset(out, 0, sizeof *out);
		return err;
	}
	if (payload_fits(out->app.payload, &pf.keys, &out->app))
		memcpy(out->payload, out->app.payload, sizeof out->payload);
	site_name(&pf, out->app.site, out->site_name);
	out->printed = now;
	return TQK_OK;
}

/* The application (as shown) and its current confirmation, which must be
 * a conclusion; the plan's facts. */
static tqk_err concluded(tqk_store *s, const char *reg_no, tqk_application *a,
                         tqk_confirmation *c, plan_facts *pf)
{
	bool provisional;
	char stored[TQK_CODE_CAP];
	tqk_err err = plan_facts_get(s, pf);
	if (err == TQK_OK)
		err = app_shown(s, reg_no, a, &provisional, stored);
	if (err != TQK_OK)
		return err;
	err = tqk_store_confirmation_current(s, stored, c);
	if (err == TQK_E_STORE_NOT_FOUND || (err == TQK_OK && c->conclusion == TQK_CONC_NONE))
		return TQK_E_PRINT_UNCONFIRMED;
	return err;
}

tqk_err tqk_output_cover(tqk_store *s, const char *reg_no, tqk_cover_doc *out)
{
	memset(out, 0, sizeof *out);
	tqk_application a;
	tqk_confirmation c;
	plan_facts pf;
	tqk_err err = concluded(s, reg_no, &a, &c, &pf);
	if (err == TQK_OK && (!tqk_conclusion_bagged(c.conclusion) || c.archive_no[0] == '\0'))
		err = TQK_E_PRINT_NO_BAG;
	if (err != TQK_OK)
		return err;
	memcpy(out->archive_no, c.archive_no, sizeof out->archive_no);
	if (pf.title[0] != '\0')
		memcpy(out->title, pf.title, sizeof out->title);
	else if (pf.year > 0)
		snprintf(out->title, sizeof out->title, "%d", pf.year);
	memcpy(out->name, a.name, sizeof out->name);
	memcpy(out->school, a.school, sizeof out->school);
	site_name(&pf, c.site, out->site_name);
	memcpy(out->reg_no, a.reg_no, sizeof out->reg_no);
	out->qualification = a.qualification;
	snprintf(out->subject, sizeof out->subject, "%s", tqk_walkin_cert_subject(&a));
	out->marks = c.marks;
	return TQK_OK;
}

tqk_err tqk_output_receipt(tqk_store *s, const char *reg_no, tqk_time now, tqk_receipt_doc *out)
{
	memset(out, 0, sizeof *out);
	tqk_application a;
	tqk_confirmation c;
	plan_facts pf;
	tqk_err err = concluded(s, reg_no, &a, &c, &pf);
	if (err != TQK_OK)
		return err;
	memcpy(out->reg_no, a.reg_no, sizeof out->reg_no);
	memcpy(out->name, a.name, sizeof out->name);
	memcpy(out->id_number, a.id_number, sizeof out->id_number);
	out->conclusion = c.conclusion;
	memcpy(out->archive_no, c.archive_no, sizeof out->archive_no);
	out->marks = c.marks;
	site_name(&pf, c.site, out->site_name);
	out->bring_by = pf.confirm_end;
	if (pf.closes > pf.opens) {
		char o[TQK_CLOCK_BUFLEN], e[TQK_CLOCK_BUFLEN];
		tqk_clock_format(pf.opens, o);
		tqk_clock_format(pf.closes, e);
		snprintf(out->hours, sizeof out->hours, "%s–%s", o, e);
	}
	memcpy(out->remark, c.remark, sizeof out->remark);
	memcpy(out->site_message, c.message[0] != '\0' ? c.message : a.site_message,
	       sizeof out->site_message);
	memcpy(out->inst_message, a.inst_message, sizeof out->inst_message);
	out->at = c.at;
	out->printed = now;
	return TQK_OK;
}
