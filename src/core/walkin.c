/*
 * walkin.c - the walk-in application's step rules (walkin.h). Every field
 * is checked through tqk_field_set, the same checks the store, JSON and the
 * clerk's corrections use; this file adds what only the walk-in asks:
 * which fields each step requires, the notice's three seconds, the terms,
 * the known certificate, the institution's window, the password and the
 * work start date.
 */
#include "core/walkin.h"

#include <stdio.h>
#include <string.h>

#include "core/nation.h"
#include "core/text.h"

void tqk_walkin_start(tqk_walkin *w, const char *site, uint64_t now_ms)
{
	tqk_walkin_wipe(w);
	w->step = TQK_WI_NOTICE;
	w->notice_since_ms = now_ms;
	w->a.registration = TQK_REG_FIRST;
	w->a.state = TQK_ST_SUBMITTED;
	if (site != NULL && tqk_code_valid(site))
		snprintf(w->a.site, sizeof w->a.site, "%s", site);
}

void tqk_walkin_wipe(tqk_walkin *w)
{
	/* volatile: the password must not survive an optimised-out memset */
	volatile unsigned char *p = (volatile unsigned char *)w;
	for (size_t i = 0; i < sizeof *w; i++)
		p[i] = 0;
}

bool tqk_walkin_notice_ready(const tqk_walkin *w, uint64_t now_ms)
{
	return now_ms >= w->notice_since_ms && now_ms - w->notice_since_ms >= TQK_WALKIN_NOTICE_MS;
}

/* Field f of the draft, present and valid as that field. */
static tqk_err need(const tqk_walkin *w, tqk_field f, tqk_date today, const char **bad)
{
	char text[TQK_TEXT_CAP];
	tqk_field_text(&w->a, f, text, sizeof text);
	tqk_application scratch = w->a;
	tqk_err e = text[0] == '\0' ? TQK_E_FIELD_REQUIRED : tqk_field_set(&scratch, f, text, today);
	if (e != TQK_OK)
		*bad = tqk_field_get_info(f)->code;
	return e;
}

#define NEED(f) do { \
		if ((e = need(w, (f), today, bad)) != TQK_OK) \
			return e; \
	} while (0)

const char *tqk_walkin_cert_subject(const tqk_application *a)
{
	return a->cert_subject[0] != '\0' ? a->cert_subject : a->post_subject;
}

tqk_err tqk_walkin_institution(const char *name, const tqk_institution *insts, size_t n,
                               tqk_date today, tqk_date *when)
{
	for (size_t i = 0; name != NULL && i < n; i++) {
		if (strcmp(insts[i].name, name) != 0)
			continue;
		tqk_day d = tqk_date_to_day(today);
		if (d < tqk_date_to_day(insts[i].apply_start)) {
			*when = insts[i].apply_start;
			return TQK_E_WALKIN_NOT_OPEN;
		}
		if (d > tqk_date_to_day(insts[i].apply_end)) {
			*when = insts[i].apply_end;
			return TQK_E_WALKIN_CLOSED;
		}
		return TQK_OK;
	}
	return TQK_E_WALKIN_NO_PLAN;
}

tqk_err tqk_institutions_check(const tqk_institution *v, size_t n)
{
	if (n > TQK_INSTITUTIONS_MAX)
		return TQK_E_TOO_LONG;
	for (size_t i = 0; i < n; i++) {
		size_t len = strnlen(v[i].name, sizeof v[i].name);
		if (len == 0)
			return TQK_E_FIELD_REQUIRED;
		if (len >= sizeof v[i].name)
			return TQK_E_TOO_LONG;
		if (!tqk_utf8_valid(v[i].name, len))
			return TQK_E_UTF8;
		if (!tqk_date_valid(v[i].apply_start) || !tqk_date_valid(v[i].apply_end))
			return TQK_E_DATE_INVALID;
		if (tqk_date_to_day(v[i].apply_start) > tqk_date_to_day(v[i].apply_end))
			return TQK_E_PERIOD;
		for (size_t j = 0; j < i; j++)
			if (strcmp(v[i].name, v[j].name) == 0)
				return TQK_E_FIELD_VALUE;
	}
	return TQK_OK;
}

/* 8..64 bytes of printable ASCII with at least one letter and one digit. */
static bool password_ok(const char *p)
{
	size_t n = strnlen(p, TQK_PASSWORD_CAP);
	bool letter = false, digit = false;
	if (n < TQK_PASSWORD_MIN || n >= TQK_PASSWORD_CAP)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x21 || c > 0x7e)
			return false;
		letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		digit |= c >= '0' && c <= '9';
	}
	return letter && digit;
}

/* Step 4: the certificate's data, the institution, what is taught now. */
static tqk_err check_cert(const tqk_walkin *w, const tqk_institution *insts, size_t n,
                          tqk_date today, const char **bad)
{
	tqk_err e;
	/* No institution to choose from: none has a registration plan. */
	if (n == 0 && w->a.institution[0] == '\0') {
		*bad = tqk_field_get_info(TQK_F_INSTITUTION)->code;
		return TQK_E_WALKIN_NO_PLAN;
	}
	static const tqk_field fields[] = {
		TQK_F_QUALIFICATION, TQK_F_CERT_AUTHORITY, TQK_F_NAME, TQK_F_NATION,
		TQK_F_CERT_ISSUED, TQK_F_INSTITUTION, TQK_F_POST, TQK_F_POST_SUBJECT,
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		NEED(fields[i]);
	if (w->a.cert_subject[0] != '\0')
		NEED(TQK_F_CERT_SUBJECT);
	if (tqk_nation_by_name(w->a.nation, strlen(w->a.nation)) == NULL) {
		*bad = tqk_field_get_info(TQK_F_NATION)->code;
		return TQK_E_FIELD_VALUE;
	}
	tqk_date issued;
	if (tqk_date_parse(w->a.cert_issued, strlen(w->a.cert_issued), &issued) != TQK_OK ||
	    tqk_date_to_day(issued) > tqk_date_to_day(today) ||
	    tqk_date_to_day(issued) < tqk_date_to_day(w->birth)) {
		*bad = tqk_field_get_info(TQK_F_CERT_ISSUED)->code;
		return TQK_E_FIELD_VALUE;
	}
	tqk_date when;
	e = tqk_walkin_institution(w->a.institution, insts, n, today, &when);
	if (e != TQK_OK)
		*bad = tqk_field_get_info(TQK_F_INSTITUTION)->code;
	return e;
}

/* Step 7: every login and work field. */
static tqk_err check_account(const tqk_walkin *w, tqk_date today, const char **bad)
{
	tqk_err e;
	NEED(TQK_F_EMAIL);
	if (!w->change && !password_ok(w->password)) {
		*bad = "password";
		return TQK_E_PASSWORD_WEAK;
	}
	if (!w->change && strcmp(w->password, w->password2) != 0) {
		*bad = "password2";
		return TQK_E_PASSWORD_MISMATCH;
	}
	NEED(TQK_F_WORK_START);
	tqk_date start;
	tqk_date adult = w->birth;
	adult.year += TQK_WALKIN_WORK_AGE;
	if (adult.month == 2 && adult.day == 29)
		adult.day = 28;
	if (tqk_date_parse(w->a.work_start, strlen(w->a.work_start), &start) != TQK_OK ||
	    tqk_date_to_day(start) > tqk_date_to_day(today) ||
	    tqk_date_to_day(start) < tqk_date_to_day(adult)) {
		*bad = tqk_field_get_info(TQK_F_WORK_START)->code;
		return TQK_E_FIELD_VALUE;
	}
	NEED(TQK_F_TITLE);
	NEED(TQK_F_SCHOOL);
	NEED(TQK_F_SCHOOL_AREA);
	return TQK_OK;
}

tqk_err tqk_walkin_check(const tqk_walkin *w, uint64_t now_ms, const tqk_institution *insts,
                         size_t n, tqk_date today, const char **bad)
{
	const char *dummy;
	if (bad == NULL)
		bad = &dummy;
	*bad = NULL;
	tqk_err e;
	switch (w->step) {
	case TQK_WI_NOTICE:
		if (!tqk_walkin_notice_ready(w, now_ms)) {
			*bad = "notice";
			return TQK_E_WALKIN_NOTICE;
		}
		return TQK_OK;
	case TQK_WI_TERMS:
		if (!w->terms_accepted) {
			*bad = "terms";
			return TQK_E_WALKIN_TERMS;
		}
		return TQK_OK;
	case TQK_WI_IDS:
		NEED(TQK_F_CERT_NO);
		NEED(TQK_F_ID_NUMBER);
		return TQK_OK;
	case TQK_WI_CERT:
		return check_cert(w, insts, n, today, bad);
	case TQK_WI_SITE:
		NEED(TQK_F_SITE);
		return TQK_OK;
	case TQK_WI_SITE_NOTES:
		return TQK_OK;
	case TQK_WI_ACCOUNT:
		return check_account(w, today, bad);
	case TQK_WI_DONE:
		break;
	}
	*bad = "step";
	return TQK_E_ARG;
}

tqk_err tqk_walkin_next(tqk_walkin *w, uint64_t now_ms, const tqk_institution *insts, size_t n,
                        tqk_date today, const char **bad)
{
	tqk_err e = tqk_walkin_check(w, now_ms, insts, n, today, bad);
	if (e == TQK_OK)
		w->step++;
	return e;
}

void tqk_walkin_back(tqk_walkin *w, uint64_t now_ms)
{
	if (w->step <= TQK_WI_NOTICE || w->step >= TQK_WI_DONE ||
	    (w->change && w->step <= TQK_WI_CERT))
		return;
	w->step--;
	if (w->step == TQK_WI_NOTICE)
		w->notice_since_ms = now_ms;
}

tqk_err tqk_walkin_ids(tqk_walkin *w, const char *cert_no, const char *id_number,
                       const tqk_application *known, tqk_date today, const char **bad)
{
	const char *dummy;
	if (bad == NULL)
		bad = &dummy;
	*bad = NULL;
	tqk_application a = w->a;
	tqk_err e = tqk_field_set(&a, TQK_F_CERT_NO, cert_no != NULL ? cert_no : "", today);
	if (e != TQK_OK) {
		*bad = tqk_field_get_info(TQK_F_CERT_NO)->code;
		return e;
	}
	e = tqk_field_set(&a, TQK_F_ID_NUMBER, id_number != NULL ? id_number : "", today);
	tqk_idnum id;
	if (e == TQK_OK)
		e = tqk_id_parse(a.id_number, strlen(a.id_number), today, &id);
	if (e != TQK_OK) {
		*bad = tqk_field_get_info(TQK_F_ID_NUMBER)->code;
		return e;
	}
	if (known != NULL) {
		char theirs[TQK_ID_LEN + 1];
		const char *kid = known->cert_id[0] != '\0' ? known->cert_id : known->id_number;
		if (tqk_id_normalize(kid, strlen(kid), theirs) != TQK_OK ||
		    strcmp(theirs, a.id_number) != 0) {
			*bad = tqk_field_get_info(TQK_F_ID_NUMBER)->code;
			return TQK_E_WALKIN_CERT_ID;
		}
		/* The certificate's own data, as the system has it. */
		snprintf(a.cert_name, sizeof a.cert_name, "%s", known->cert_name);
		a.qualification = known->qualification;
		snprintf(a.cert_subject, sizeof a.cert_subject, "%s", known->cert_subject);
		snprintf(a.cert_authority, sizeof a.cert_authority, "%s", known->cert_authority);
		snprintf(a.cert_issued, sizeof a.cert_issued, "%s", known->cert_issued);
		if (a.name[0] == '\0')
			snprintf(a.name, sizeof a.name, "%s", known->name);
		if (a.nation[0] == '\0')
			snprintf(a.nation, sizeof a.nation, "%s", known->nation);
		a.registration = TQK_REG_SECOND;
	}
	snprintf(a.cert_id, sizeof a.cert_id, "%s", a.id_number);
	w->a = a;
	w->cert_known = known != NULL;
	w->gender = id.gender;
	w->birth = id.birth;
	return TQK_OK;
}

tqk_walkin_idle tqk_walkin_idle_state(int64_t idle_s)
{
	if (idle_s >= TQK_WALKIN_IDLE_S)
		return TQK_WI_IDLE_DISCARD;
	return idle_s >= TQK_WALKIN_IDLE_WARN_S ? TQK_WI_IDLE_WARN : TQK_WI_IDLE_NONE;
}

tqk_err tqk_walkin_provisional(const char *site, const char *kiosk, uint32_t serial,
                               char out[TQK_CODE_CAP])
{
	out[0] = '\0';
	if (site == NULL || kiosk == NULL || !tqk_code_valid(site) || !tqk_code_valid(kiosk) ||
	    serial < 1 || serial > 999999)
		return TQK_E_ARG;
	char buf[3 * TQK_CODE_CAP];
	int n = snprintf(buf, sizeof buf, "W%s-%s-%06u", site, kiosk, (unsigned)serial);
	if (n < 0 || (size_t)n >= TQK_CODE_CAP)
		return TQK_E_TOO_LONG;
	memcpy(out, buf, (size_t)n + 1);
	return TQK_OK;
}

bool tqk_walkin_is_provisional(const char *reg_no)
{
	/* W, site, '-', kiosk, '-', six digits: official numbers are digits only. */
	if (reg_no == NULL || reg_no[0] != 'W' || !tqk_code_valid(reg_no))
		return false;
	size_t n = strlen(reg_no);
	if (n < 1 + 1 + 1 + 1 + 1 + 6 || reg_no[n - 7] != '-')
		return false;
	for (size_t i = n - 6; i < n; i++)
		if (reg_no[i] < '0' || reg_no[i] > '9')
			return false;
	const char *dash = strchr(reg_no + 1, '-');
	return dash > reg_no + 1 && dash < reg_no + n - 8;
}
