/*
 * change.c - a teacher's changes of their own application (change.h): which
 * fields, the diff of two versions, the checks and applying them.
 */
#include "core/change.h"

#include <string.h>

bool tqk_change_field_allowed(tqk_field f)
{
	switch (f) {
	case TQK_F_NATION:
	case TQK_F_QUALIFICATION:
	case TQK_F_CERT_SUBJECT:
	case TQK_F_CERT_AUTHORITY:
	case TQK_F_CERT_ISSUED:
	case TQK_F_INSTITUTION:
	case TQK_F_POST:
	case TQK_F_POST_SUBJECT:
	case TQK_F_SCHOOL:
	case TQK_F_SCHOOL_AREA:
	case TQK_F_TITLE:
	case TQK_F_WORK_START:
	case TQK_F_EMAIL:
		return true;
	default:
		return false;
	}
}

tqk_err tqk_change_check(const tqk_change *e, tqk_date today, const char **bad)
{
	const char *where = NULL;
	tqk_err err = TQK_OK;
#define FAIL(w, x) do { where = (w); err = (x); goto out; } while (0)
	if (e->uuid[0] != '\0' && !tqk_uuid_valid(e->uuid))
		FAIL("uuid", TQK_E_UUID);
	if (!tqk_code_valid(e->reg_no))
		FAIL("reg_no", TQK_E_FIELD_VALUE);
	if (!tqk_code_valid(e->site))
		FAIL("site", TQK_E_FIELD_VALUE);
	if (!tqk_code_valid(e->kiosk))
		FAIL("kiosk", TQK_E_FIELD_VALUE);
	if (e->n_corrections == 0)
		FAIL("corrections", TQK_E_FIELD_REQUIRED);
	if ((err = tqk_corrections_check(e->corrections, e->n_corrections, today, &where)) != TQK_OK)
		goto out;
	for (size_t i = 0; i < e->n_corrections; i++)
		if (!tqk_change_field_allowed(e->corrections[i].field))
			FAIL(tqk_field_get_info(e->corrections[i].field)->code, TQK_E_FIELD_UNKNOWN);
	if (!tqk_time_source_valid(e->time_source))
		FAIL("time_source", TQK_E_TIME_SOURCE);
	if (e->at <= 0)
		FAIL("at", TQK_E_ARG);
#undef FAIL
	return TQK_OK;
out:
	if (bad != NULL)
		*bad = where;
	return err;
}

void tqk_change_diff(const tqk_application *before, const tqk_application *after, tqk_change *out)
{
	out->n_corrections = 0;
	for (int f = 0; f < TQK_F_COUNT && out->n_corrections < TQK_CORRECTIONS_MAX; f++) {
		if (!tqk_change_field_allowed((tqk_field)f))
			continue;
		tqk_correction *k = &out->corrections[out->n_corrections];
		tqk_field_text(before, (tqk_field)f, k->old_value, sizeof k->old_value);
		tqk_field_text(after, (tqk_field)f, k->new_value, sizeof k->new_value);
		if (strcmp(k->old_value, k->new_value) == 0)
			continue;
		k->field = (tqk_field)f;
		out->n_corrections++;
	}
}

tqk_err tqk_change_apply(tqk_application *a, const tqk_change *e, tqk_date today, const char **bad)
{
	const char *dummy;
	if (bad == NULL)
		bad = &dummy;
	*bad = "state";
	if (a->state != TQK_ST_SUBMITTED || a->purged)
		return TQK_E_WALKIN_READONLY;
	tqk_application next = *a;
	for (size_t i = 0; i < e->n_corrections && i < TQK_CORRECTIONS_MAX; i++) {
		const tqk_correction *k = &e->corrections[i];
		char now[TQK_TEXT_CAP];
		tqk_field_text(&next, k->field, now, sizeof now);
		*bad = tqk_field_get_info(k->field) != NULL ? tqk_field_get_info(k->field)->code
		                                             : "corrections";
		if (!tqk_change_field_allowed(k->field))
			return TQK_E_FIELD_UNKNOWN;
		if (strcmp(now, k->old_value) != 0)
			return TQK_E_STORE_STALE;
		tqk_err err = tqk_field_set(&next, k->field, k->new_value, today);
		if (err != TQK_OK)
			return err;
	}
	*a = next;
	*bad = NULL;
	return TQK_OK;
}
