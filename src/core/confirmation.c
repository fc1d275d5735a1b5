/*
 * confirmation.c - checks on a confirmation, and the codes its members are
 * written with in JSON and in the store.
 */
#include "core/confirmation.h"

#include <string.h>

#include "core/text.h"

static const char *const sources[] = {"", "local", "anchored", "server", "demo"};
static const char *const marks[] = {"", "has", "lacks", "na"};

const char *tqk_time_source_code(tqk_time_source s)
{
	return (unsigned)s < sizeof sources / sizeof sources[0] ? sources[s] : "";
}

static int find(const char *const *names, int n, const char *s)
{
	for (int i = 1; s != NULL && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return 0;
}

bool tqk_time_source_valid(tqk_time_source s)
{
	return s >= TQK_TIME_LOCAL && s <= TQK_TIME_DEMO;
}

tqk_err tqk_time_source_parse(const char *s, tqk_time_source *out)
{
	int i = find(sources, (int)(sizeof sources / sizeof sources[0]), s);
	if (i == 0)
		return TQK_E_TIME_SOURCE;
	*out = (tqk_time_source)i;
	return TQK_OK;
}

const char *tqk_mark_code(tqk_mark m)
{
	return (unsigned)m < sizeof marks / sizeof marks[0] ? marks[m] : "";
}

tqk_err tqk_mark_parse(const char *s, tqk_mark *out)
{
	int i = find(marks, (int)(sizeof marks / sizeof marks[0]), s);
	if (i == 0)
		return TQK_E_MAT_MARK;
	*out = (tqk_mark)i;
	return TQK_OK;
}

tqk_err tqk_conclusion_parse(const char *s, tqk_conclusion *out)
{
	for (int c = TQK_CONC_COMPLETE; s != NULL && c <= TQK_CONC_NOT_ACCEPTED; c++)
		if (strcmp(s, tqk_conclusion_code((tqk_conclusion)c)) == 0) {
			*out = (tqk_conclusion)c;
			return TQK_OK;
		}
	return TQK_E_MAT_CONCLUSION;
}

bool tqk_conclusion_bagged(tqk_conclusion c)
{
	return c == TQK_CONC_COMPLETE || c == TQK_CONC_INCOMPLETE;
}

tqk_err tqk_corrections_check(const tqk_correction *v, size_t n_corr, tqk_date today,
                              const char **bad)
{
	const char *where;
	tqk_err err = TQK_OK;
#define FAIL(w, e) do { where = (w); err = (e); goto out; } while (0)
	if (n_corr > TQK_CORRECTIONS_MAX)
		FAIL("corrections", TQK_E_CORRECTIONS);
	unsigned seen = 0;
	for (size_t i = 0; i < n_corr; i++) {
		const tqk_correction *k = &v[i];
		const tqk_field_info *fi = tqk_field_get_info(k->field);
		if (fi == NULL)
			FAIL("corrections", TQK_E_FIELD_UNKNOWN);
		if (seen & (1u << k->field))
			FAIL(fi->code, TQK_E_CORRECTIONS);
		seen |= 1u << k->field;
		size_t n = strnlen(k->old_value, sizeof k->old_value);
		if (n >= sizeof k->old_value)
			FAIL(fi->code, TQK_E_TOO_LONG);
		if (!tqk_utf8_valid(k->old_value, n))
			FAIL(fi->code, TQK_E_UTF8);
		tqk_application scratch = {0};
		if ((err = tqk_field_set(&scratch, k->field, k->new_value, today)) != TQK_OK)
			FAIL(fi->code, err);
	}
#undef FAIL
	return TQK_OK;
out:
	if (bad != NULL)
		*bad = where;
	return err;
}

tqk_err tqk_confirmation_check(const tqk_confirmation *c, tqk_date today, const char **bad)
{
	const char *where;
	tqk_err err = TQK_OK;
#define FAIL(w, e) do { where = (w); err = (e); goto out; } while (0)
	if (c->uuid[0] != '\0' && !tqk_uuid_valid(c->uuid))
		FAIL("uuid", TQK_E_UUID);
	if (c->supersedes[0] != '\0' &&
	    (!tqk_uuid_valid(c->supersedes) || strcmp(c->supersedes, c->uuid) == 0))
		FAIL("supersedes", TQK_E_UUID);
	if (!tqk_code_valid(c->reg_no))
		FAIL("reg_no", TQK_E_FIELD_VALUE);
	if (!tqk_code_valid(c->site))
		FAIL("site", TQK_E_FIELD_VALUE);
	if (!tqk_code_valid(c->kiosk))
		FAIL("kiosk", TQK_E_FIELD_VALUE);
	if (!tqk_code_valid(c->clerk))
		FAIL("clerk", TQK_E_FIELD_VALUE);
	if ((err = tqk_message_check(c->remark)) != TQK_OK)
		FAIL("remark", err);
	if ((err = tqk_message_check(c->message)) != TQK_OK)
		FAIL("message", err);
	if ((err = tqk_conclusion_check(&c->marks, c->police_required, c->conclusion,
	                                c->remark, c->message)) != TQK_OK)
		FAIL(err == TQK_E_MAT_REASON ? "remark" : err == TQK_E_MAT_MESSAGE ? "message"
		     : err == TQK_E_MAT_CONCLUSION ? "conclusion" : "marks", err);

	if ((err = tqk_corrections_check(c->corrections, c->n_corrections, today, &where)) != TQK_OK)
		goto out;
	if (!tqk_time_source_valid(c->time_source))
		FAIL("time_source", TQK_E_TIME_SOURCE);
	if (c->at <= 0)
		FAIL("at", TQK_E_ARG);
#undef FAIL
	return TQK_OK;
out:
	if (bad != NULL)
		*bad = where;
	return err;
}
