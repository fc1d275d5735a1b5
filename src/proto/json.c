/*
 * json.c - applications and confirmations to and from JSON with jansson.
 *
 * Decoders read every member they know in the order json.h lists them, so
 * the first bad member is always the same one for the same document; values
 * go through tqk_field_set and the record checks, and the result is built in
 * a local that is copied out only when everything passed. Encoders write
 * every member in that same fixed order (jansson keeps insertion order).
 *
 * Which members may be left out: in an application, the optional fields
 * and the three messages (also null); in a confirmation, the ids documented
 * "| null" (also null), "marks" (nothing marked), "corrections" (none) and
 * "remark" and "message" (empty). The rest, which identify the record or
 * state a decision, must be there.
 *
 * The member helpers (capped string reads, text that always encodes) live in
 * json_util.h, shared with api.c.
 */
#include "proto/json.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/materials.h"
#include "core/payload.h"
#include "core/state.h"
#include "core/text.h"
#include "proto/json_util.h"

tqk_err tqk_json_parse(const char *text, size_t len, json_t **out, char *detail,
                       size_t detail_cap)
{
	assert(out != NULL && (text != NULL || len == 0));
	if (detail != NULL && detail_cap > 0)
		detail[0] = '\0';
	if (len > TQK_JSON_DOC_MAX) {
		if (detail != NULL && detail_cap > 0)
			snprintf(detail, detail_cap, "%zu bytes, more than %u", len, TQK_JSON_DOC_MAX);
		return TQK_E_TOO_LONG;
	}
	json_error_t e;
	json_t *root = json_loadb(len > 0 ? text : "", len, JSON_REJECT_DUPLICATES, &e);
	if (root == NULL) {
		if (json_error_code(&e) == json_error_out_of_memory)
			return TQK_E_NOMEM;
		if (detail != NULL && detail_cap > 0) {
			/* jansson quotes the text near the fault ("... near 'x'"),
			 * which may be personal data: keep only what is wrong. */
			char *near = strstr(e.text, " near ");
			if (near != NULL)
				*near = '\0';
			snprintf(detail, detail_cap, "line %d, column %d: %s", e.line, e.column, e.text);
		}
		return TQK_E_JSON_SYNTAX;
	}
	*out = root;
	return TQK_OK;
}

/* ---- decoding ---- */

/* The i-th field in the order of json.h: the site first (after "reg_no"),
 * then the others in the table's order. */
static tqk_field field_at(int i)
{
	return i == 0 ? TQK_F_SITE : (tqk_field)(i - 1 + (i - 1 >= TQK_F_SITE));
}

/* An application's payload, when it has one, must parse and be its own:
 * its registration and ID numbers (the signature is checked where the
 * keys are, when the form is printed or scanned). */
static tqk_err form_payload_check(const tqk_application *a)
{
	tqk_payload p;
	if (a->payload[0] == '\0')
		return TQK_OK;
	tqk_err err = tqk_payload_parse(a->payload, strlen(a->payload), &p, NULL);
	if (err != TQK_OK || strcmp(p.reg_no, a->reg_no) != 0 ||
	    strcmp(p.id_number, a->id_number) != 0)
		return TQK_E_FIELD_VALUE;
	return TQK_OK;
}

static tqk_err application_members(const json_t *obj, tqk_date today, tqk_application *a,
                                   const char **where)
{
	tqk_err err;
	const char *s;
	size_t n;
	JU_TRY("application", json_is_object(obj) ? TQK_OK : TQK_E_JSON_TYPE);
	JU_TRY("reg_no", ju_copy_string(obj, "reg_no", JU_REQUIRED, a->reg_no, sizeof a->reg_no));
	for (int i = 0; i < TQK_F_COUNT; i++) {
		const tqk_field_info *fi = tqk_field_get_info(field_at(i));
		JU_TRY(fi->code, ju_get_string(obj, fi->code, fi->required ? JU_REQUIRED : JU_OPTIONAL,
		                               &s, &n));
		JU_TRY(fi->code, tqk_field_set(a, field_at(i), s, today));
	}

	JU_TRY("registration", ju_get_string(obj, "registration", JU_REQUIRED, &s, &n));
	if (strcmp(s, "first") == 0)
		a->registration = TQK_REG_FIRST;
	else if (strcmp(s, "second") == 0)
		a->registration = TQK_REG_SECOND;
	else
		JU_TRY("registration", TQK_E_FIELD_VALUE);
	JU_TRY("state", ju_get_string(obj, "state", JU_REQUIRED, &s, &n));
	JU_TRY("state", tqk_state_from_code(s, &a->state));

	JU_TRY("site_message", ju_copy_string(obj, "site_message", JU_OPTIONAL, a->site_message,
	                                      sizeof a->site_message));
	JU_TRY("inst_message", ju_copy_string(obj, "inst_message", JU_OPTIONAL, a->inst_message,
	                                      sizeof a->inst_message));
	JU_TRY("remark", ju_copy_string(obj, "remark", JU_OPTIONAL, a->remark, sizeof a->remark));
	const json_t *rev = json_object_get(obj, "rev");
	JU_TRY("rev", json_is_integer(rev) ? TQK_OK : TQK_E_JSON_TYPE);
	a->rev = json_integer_value(rev);   /* the check refuses a negative one */
	JU_TRY("payload", ju_copy_string(obj, "payload", JU_OPTIONAL, a->payload, sizeof a->payload));
	JU_TRY("payload", form_payload_check(a));
	return TQK_OK;
}

tqk_err tqk_json_application_decode(const json_t *obj, tqk_date today, tqk_application *out,
                                    const char **bad)
{
	tqk_application a;
	memset(&a, 0, sizeof a);
	const char *where = NULL;
	tqk_err err = application_members(obj, today, &a, &where);
	if (err == TQK_OK)
		err = tqk_application_check(&a, today, &where);
	if (err != TQK_OK) {
		if (bad != NULL)
			*bad = where;
		return err;
	}
	memcpy(out, &a, sizeof a);   /* padding too: records compare with memcmp */
	return TQK_OK;
}

/* The members of a confirmation, in the order of json.h. */
static const char *const confirmation_keys[] = {
	"uuid", "supersedes", "reg_no", "site", "kiosk", "clerk", "marks", "police_required",
	"corrections", "conclusion", "remark", "message", "archive_no", "at", "time_source",
};
static const char *const correction_keys[] = {"field", "old", "new"};

/* TQK_OK when every member of obj is one of keys[0..n). */
static tqk_err only_known(const json_t *obj, const char *const *keys, size_t n)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		size_t i = 0;
		while (i < n && strcmp(key, keys[i]) != 0)
			i++;
		if (i == n)
			return TQK_E_JSON_TYPE;
	}
	return TQK_OK;
}

static tqk_err marks_member(const json_t *obj, tqk_marks *m)
{
	const json_t *marks = json_object_get(obj, "marks");
	if (marks == NULL)
		return TQK_OK;
	if (!json_is_object(marks))
		return TQK_E_JSON_TYPE;
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)marks, key, v) {
		int i = 0;
		while (i < TQK_MAT_COUNT && strcmp(key, tqk_material_get((tqk_material)i)->code) != 0)
			i++;
		if (i == TQK_MAT_COUNT)
			return TQK_E_MAT_MARK;
		if (!json_is_string(v))
			return TQK_E_JSON_TYPE;
		if (strlen(json_string_value(v)) != json_string_length(v))
			return TQK_E_FIELD_VALUE;
		tqk_err err = tqk_mark_parse(json_string_value(v), &m->mark[i]);
		if (err != TQK_OK)
			return err;
	}
	return TQK_OK;
}

/* The "corrections" of obj as given, into v and *n: the checks of the
 * record judge the values. */
static tqk_err corrections_member(const json_t *obj, tqk_correction *v, size_t *count)
{
	const json_t *list = json_object_get(obj, "corrections");
	*count = 0;
	if (list == NULL)
		return TQK_OK;
	if (!json_is_array(list))
		return TQK_E_JSON_TYPE;
	if (json_array_size(list) > TQK_CORRECTIONS_MAX)
		return TQK_E_CORRECTIONS;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *k = json_array_get(list, i);
		tqk_correction *to = &v[i];
		const char *s;
		size_t n;
		tqk_err err;
		if (!json_is_object(k))
			return TQK_E_JSON_TYPE;
		if ((err = only_known(k, correction_keys, 3)) != TQK_OK ||
		    (err = ju_get_string(k, "field", JU_REQUIRED, &s, &n)) != TQK_OK ||
		    (err = tqk_field_from_code(s, &to->field)) != TQK_OK ||
		    (err = ju_copy_string(k, "old", JU_REQUIRED, to->old_value,
		                          sizeof to->old_value)) != TQK_OK ||
		    (err = ju_copy_string(k, "new", JU_REQUIRED, to->new_value,
		                          sizeof to->new_value)) != TQK_OK)
			return err;
	}
	*count = json_array_size(list);
	return TQK_OK;
}

/* A record's "at": seconds, or "YYYY-MM-DD HH:MM[:SS]" local time. */
static tqk_err at_member(const json_t *obj, tqk_time *out)
{
	const json_t *at = json_object_get(obj, "at");
	if (json_is_integer(at)) {
		*out = json_integer_value(at);     /* the checks refuse at <= 0 */
		return TQK_OK;
	}
	if (json_is_string(at))
		return tqk_local_parse(json_string_value(at), json_string_length(at), out);
	return TQK_E_JSON_TYPE;
}

static tqk_err confirmation_members(const json_t *obj, tqk_confirmation *c, const char **where)
{
	tqk_err err;
	const char *s;
	size_t n;
	JU_TRY("confirmation", json_is_object(obj) ? TQK_OK : TQK_E_JSON_TYPE);
	JU_TRY("uuid", ju_copy_string(obj, "uuid", JU_OPTIONAL, c->uuid, sizeof c->uuid));
	JU_TRY("supersedes", ju_copy_string(obj, "supersedes", JU_OPTIONAL, c->supersedes,
	                                    sizeof c->supersedes));
	JU_TRY("reg_no", ju_copy_string(obj, "reg_no", JU_REQUIRED, c->reg_no, sizeof c->reg_no));
	JU_TRY("site", ju_copy_string(obj, "site", JU_REQUIRED, c->site, sizeof c->site));
	JU_TRY("kiosk", ju_copy_string(obj, "kiosk", JU_REQUIRED, c->kiosk, sizeof c->kiosk));
	JU_TRY("clerk", ju_copy_string(obj, "clerk", JU_REQUIRED, c->clerk, sizeof c->clerk));
	JU_TRY("marks", marks_member(obj, &c->marks));
	const json_t *police = json_object_get(obj, "police_required");
	JU_TRY("police_required", json_is_boolean(police) ? TQK_OK : TQK_E_JSON_TYPE);
	c->police_required = json_is_true(police);
	JU_TRY("corrections", corrections_member(obj, c->corrections, &c->n_corrections));
	JU_TRY("conclusion", ju_get_string(obj, "conclusion", JU_REQUIRED, &s, &n));
	JU_TRY("conclusion", tqk_conclusion_parse(s, &c->conclusion));
	JU_TRY("remark", ju_copy_string(obj, "remark", JU_ABSENT_OK, c->remark, sizeof c->remark));
	JU_TRY("message", ju_copy_string(obj, "message", JU_ABSENT_OK, c->message,
	                                 sizeof c->message));
	JU_TRY("archive_no", ju_copy_string(obj, "archive_no", JU_OPTIONAL, c->archive_no,
	                                    sizeof c->archive_no));

	JU_TRY("at", at_member(obj, &c->at));
	JU_TRY("time_source", ju_get_string(obj, "time_source", JU_REQUIRED, &s, &n));
	JU_TRY("time_source", tqk_time_source_parse(s, &c->time_source));

	/* Last, so that a misspelt required member is reported by its name. */
	JU_TRY("unknown member", only_known(obj, confirmation_keys,
	                                    sizeof confirmation_keys / sizeof confirmation_keys[0]));
	return TQK_OK;
}

tqk_err tqk_json_confirmation_decode(const json_t *obj, tqk_date today, tqk_confirmation *out,
                                     const char **bad)
{
	tqk_confirmation c;
	memset(&c, 0, sizeof c);
	const char *where = NULL;
	tqk_err err = confirmation_members(obj, &c, &where);
	if (err == TQK_OK)
		err = tqk_confirmation_check(&c, today, &where);
	if (err != TQK_OK) {
		if (bad != NULL)
			*bad = where;
		return err;
	}
	memcpy(out, &c, sizeof c);
	return TQK_OK;
}

/* ---- encoding ---- */

json_t *tqk_json_application_encode(const tqk_application *a)
{
	json_t *o = json_object();
	bool ok = ju_put(o, "reg_no", ju_text(a->reg_no, sizeof a->reg_no));
	for (int i = 0; i < TQK_F_COUNT; i++) {
		char buf[TQK_TEXT_CAP];
		tqk_field_text(a, field_at(i), buf, sizeof buf);
		ok &= ju_put(o, tqk_field_get_info(field_at(i))->code, ju_text(buf, sizeof buf));
	}
	ok &= ju_put(o, "registration", json_string(a->registration == TQK_REG_FIRST ? "first"
	                                            : a->registration == TQK_REG_SECOND ? "second"
	                                            : ""));
	ok &= ju_put(o, "state", json_string(tqk_state_code(a->state)));
	ok &= ju_put(o, "site_message", ju_text(a->site_message, sizeof a->site_message));
	ok &= ju_put(o, "inst_message", ju_text(a->inst_message, sizeof a->inst_message));
	ok &= ju_put(o, "remark", ju_text(a->remark, sizeof a->remark));
	ok &= ju_put(o, "rev", json_integer(a->rev));
	if (a->payload[0] != '\0')
		ok &= ju_put(o, "payload", ju_text(a->payload, sizeof a->payload));
	return ju_finish(o, ok);
}

/* null for an empty id, else its text. */
static json_t *text_or_null(const char *s, size_t cap)
{
	return s[0] == '\0' ? json_null() : ju_text(s, cap);
}

static json_t *corrections_encode(const tqk_correction *v, size_t count)
{
	json_t *list = json_array();
	bool ok = list != NULL;
	size_t n = count < TQK_CORRECTIONS_MAX ? count : TQK_CORRECTIONS_MAX;
	for (size_t i = 0; ok && i < n; i++) {
		const tqk_correction *k = &v[i];
		const tqk_field_info *fi = tqk_field_get_info(k->field);
		json_t *item = json_object();
		ok &= ju_put(item, "field", json_string(fi != NULL ? fi->code : ""));
		ok &= ju_put(item, "old", ju_text(k->old_value, sizeof k->old_value));
		ok &= ju_put(item, "new", ju_text(k->new_value, sizeof k->new_value));
		ok &= json_array_append_new(list, item) == 0;
	}
	return ju_finish(list, ok);
}

json_t *tqk_json_confirmation_encode(const tqk_confirmation *c)
{
	json_t *o = json_object();
	bool ok = ju_put(o, "uuid", text_or_null(c->uuid, sizeof c->uuid));
	ok &= ju_put(o, "supersedes", text_or_null(c->supersedes, sizeof c->supersedes));
	ok &= ju_put(o, "reg_no", ju_text(c->reg_no, sizeof c->reg_no));
	ok &= ju_put(o, "site", ju_text(c->site, sizeof c->site));
	ok &= ju_put(o, "kiosk", ju_text(c->kiosk, sizeof c->kiosk));
	ok &= ju_put(o, "clerk", ju_text(c->clerk, sizeof c->clerk));

	json_t *marks = json_object();
	for (int m = 0; m < TQK_MAT_COUNT; m++)
		if (c->marks.mark[m] != TQK_MARK_UNSET)
			ok &= ju_put(marks, tqk_material_get((tqk_material)m)->code,
			             json_string(tqk_mark_code(c->marks.mark[m])));
	ok &= ju_put(o, "marks", marks);
	ok &= ju_put(o, "police_required", json_boolean(c->police_required));

	ok &= ju_put(o, "corrections", corrections_encode(c->corrections, c->n_corrections));

	bool concluded = c->conclusion >= TQK_CONC_COMPLETE && c->conclusion <= TQK_CONC_NOT_ACCEPTED;
	ok &= ju_put(o, "conclusion",
	             json_string(concluded ? tqk_conclusion_code(c->conclusion) : ""));
	ok &= ju_put(o, "remark", ju_text(c->remark, sizeof c->remark));
	ok &= ju_put(o, "message", ju_text(c->message, sizeof c->message));
	ok &= ju_put(o, "archive_no", text_or_null(c->archive_no, sizeof c->archive_no));
	ok &= ju_put(o, "at", json_integer(c->at));
	ok &= ju_put(o, "time_source", json_string(tqk_time_source_code(c->time_source)));
	return ju_finish(o, ok);
}

/* ---- a teacher's change ---- */

static const char *const change_keys[] = {
	"uuid", "reg_no", "site", "kiosk", "corrections", "at", "time_source",
};

static tqk_err change_members(const json_t *obj, tqk_change *c, const char **where)
{
	tqk_err err;
	const char *s;
	size_t n;
	JU_TRY("change", json_is_object(obj) ? TQK_OK : TQK_E_JSON_TYPE);
	JU_TRY("uuid", ju_copy_string(obj, "uuid", JU_OPTIONAL, c->uuid, sizeof c->uuid));
	JU_TRY("reg_no", ju_copy_string(obj, "reg_no", JU_REQUIRED, c->reg_no, sizeof c->reg_no));
	JU_TRY("site", ju_copy_string(obj, "site", JU_REQUIRED, c->site, sizeof c->site));
	JU_TRY("kiosk", ju_copy_string(obj, "kiosk", JU_REQUIRED, c->kiosk, sizeof c->kiosk));
	JU_TRY("corrections", corrections_member(obj, c->corrections, &c->n_corrections));
	JU_TRY("at", at_member(obj, &c->at));
	JU_TRY("time_source", ju_get_string(obj, "time_source", JU_REQUIRED, &s, &n));
	JU_TRY("time_source", tqk_time_source_parse(s, &c->time_source));
	JU_TRY("unknown member", only_known(obj, change_keys,
	                                    sizeof change_keys / sizeof change_keys[0]));
	return TQK_OK;
}

tqk_err tqk_json_change_decode(const json_t *obj, tqk_date today, tqk_change *out,
                               const char **bad)
{
	tqk_change c;
	memset(&c, 0, sizeof c);
	const char *where = NULL;
	tqk_err err = change_members(obj, &c, &where);
	if (err == TQK_OK)
		err = tqk_change_check(&c, today, &where);
	if (err != TQK_OK) {
		if (bad != NULL)
			*bad = where;
		return err;
	}
	memcpy(out, &c, sizeof c);
	return TQK_OK;
}

json_t *tqk_json_change_encode(const tqk_change *c)
{
	json_t *o = json_object();
	bool ok = ju_put(o, "uuid", text_or_null(c->uuid, sizeof c->uuid));
	ok &= ju_put(o, "reg_no", ju_text(c->reg_no, sizeof c->reg_no));
	ok &= ju_put(o, "site", ju_text(c->site, sizeof c->site));
	ok &= ju_put(o, "kiosk", ju_text(c->kiosk, sizeof c->kiosk));
	ok &= ju_put(o, "corrections", corrections_encode(c->corrections, c->n_corrections));
	ok &= ju_put(o, "at", json_integer(c->at));
	ok &= ju_put(o, "time_source", json_string(tqk_time_source_code(c->time_source)));
	return ju_finish(o, ok);
}

char *tqk_json_dump(const json_t *obj)
{
	return json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}
