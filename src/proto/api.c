/*
 * api.c - the county API's documents other than applications and
 * confirmations (api.h): the server's time, the plan, clerks, updates, pages
 * of downloads, upload results and errors, to and from JSON with jansson.
 *
 * Decoders read the members in the order api.h lists them, so the first bad
 * member is always the same one for the same document, and build the result
 * in a local that is copied out only when everything passed. Members they do
 * not know are ignored (the server may add some), except that an upload
 * result that was stored or a duplicate must not carry "error" or "message".
 * Beyond the checks api.h names: counters ("rev", "seq") must not be
 * negative and instants ("now", "at") must be after the epoch
 * (TQK_E_FIELD_VALUE); the ids a record is known by (the plan's "site", a
 * clerk's "id", an update's "reg_no") must not be empty
 * (TQK_E_FIELD_REQUIRED).
 *
 * Encoders write every member in that same fixed order, so the same record
 * always gives the same bytes; what a record that never passed the checks
 * holds and JSON cannot say (a date that does not exist, hours that are not
 * whole minutes of one day) is written as "". tqk_api_page_encode takes the
 * reference to items, as json_object_set_new does, also when it fails.
 */
#include "proto/api.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/archive.h"
#include "core/tree.h"
#include "proto/json.h"
#include "proto/json_util.h"

/* ---- decoding helpers ---- */

/* The integer member key of obj into *out; TQK_E_JSON_TYPE when it is
 * missing or not an integer, TQK_E_FIELD_VALUE when below min. */
static tqk_err get_integer(const json_t *obj, const char *key, int64_t min, int64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v))
		return TQK_E_JSON_TYPE;
	json_int_t i = json_integer_value(v);
	if (i < min)
		return TQK_E_FIELD_VALUE;
	*out = i;
	return TQK_OK;
}

/* The same as an int; a value an int cannot hold becomes -1 (out of every
 * range the archive check allows) rather than wrapping into one. */
static tqk_err get_int(const json_t *obj, const char *key, int *out)
{
	int64_t i;
	tqk_err err = get_integer(obj, key, INT64_MIN, &i);
	if (err == TQK_OK)
		*out = i >= INT_MIN && i <= INT_MAX ? (int)i : -1;
	return err;
}

static tqk_err get_bool(const json_t *obj, const char *key, bool *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!json_is_boolean(v))
		return TQK_E_JSON_TYPE;
	*out = json_is_true(v);
	return TQK_OK;
}

/* A required "YYYY-MM-DD" member. */
static tqk_err get_date(const json_t *obj, const char *key, tqk_date *out)
{
	const char *s;
	size_t n;
	tqk_err err = ju_get_string(obj, key, JU_REQUIRED, &s, &n);
	return err != TQK_OK ? err : tqk_date_parse(s, n, out);
}

/* A required "HH:MM" member, in seconds of the day. */
static tqk_err get_clock(const json_t *obj, const char *key, int32_t *out)
{
	const char *s;
	size_t n;
	tqk_err err = ju_get_string(obj, key, JU_REQUIRED, &s, &n);
	return err != TQK_OK ? err : tqk_clock_parse(s, n, out);
}

static tqk_err is_object(const json_t *obj)
{
	return json_is_object(obj) ? TQK_OK : TQK_E_JSON_TYPE;
}

/* TQK_E_JSON_TYPE when obj has a member key. */
static tqk_err absent(const json_t *obj, const char *key)
{
	return json_object_get(obj, key) == NULL ? TQK_OK : TQK_E_JSON_TYPE;
}

/* Date a comes no later than date b. */
static bool date_le(tqk_date a, tqk_date b)
{
	if (a.year != b.year)
		return a.year < b.year;
	if (a.month != b.month)
		return a.month < b.month;
	return a.day <= b.day;
}

/* Names the member at fault in *bad (when asked) and returns err. */
static tqk_err fail(tqk_err err, const char *where, const char **bad)
{
	if (bad != NULL)
		*bad = where;
	return err;
}

/* ---- encoding helpers ---- */

/* "YYYY-MM-DD", or "" for a date that does not exist. */
static json_t *date_text(tqk_date d)
{
	if (!tqk_date_valid(d))
		return json_string("");
	char buf[TQK_DATE_BUFLEN];
	tqk_date_format(d, buf);
	return json_string(buf);
}

/* "HH:MM" for whole minutes in 00:00..24:00, "" for anything else. */
static json_t *clock_text(int32_t sec)
{
	char buf[TQK_CLOCK_BUFLEN] = "";
	if (sec % 60 == 0)
		tqk_clock_format(sec, buf);
	return json_string(buf);
}

/* ---- GET /v1/time ---- */

json_t *tqk_api_time_encode(tqk_time now)
{
	json_t *o = json_object();
	bool ok = ju_put(o, "now", json_integer(now));
	return ju_finish(o, ok);
}

tqk_err tqk_api_time_decode(const json_t *obj, tqk_time *now, const char **bad)
{
	assert(now != NULL);
	int64_t t;
	tqk_err err = is_object(obj);
	if (err != TQK_OK)
		return fail(err, "time", bad);
	if ((err = get_integer(obj, "now", 1, &t)) != TQK_OK)
		return fail(err, "now", bad);
	*now = t;
	return TQK_OK;
}

/* ---- GET /v1/plan ---- */

const char *const tqk_plan_tree_kinds[TQK_PLAN_TREES] = {
	"authorities", "titles", "qualifications", "nations",
};

void tqk_plan_clear(tqk_plan *p)
{
	if (p == NULL)
		return;
	free(p->calendar);
	for (int i = 0; i < TQK_PLAN_TREES; i++)
		free(p->trees[i]);
	memset(p, 0, sizeof *p);
}

/* Whether text (len bytes) is a tree of kind. */
static bool tree_of_kind(const char *text, size_t len, const char *kind)
{
	tqk_tree *t = NULL;
	bool ok = len <= TQK_TREE_MAX_BYTES && tqk_tree_parse(text, len, &t, NULL) == TQK_OK &&
	          strcmp(tqk_tree_kind(t), kind) == 0;
	tqk_tree_free(t);
	return ok;
}

/* The plan's "trees" (NULL: absent) into p->trees, copied; on failure
 * what was copied is freed. */
static tqk_err plan_trees(const json_t *obj, tqk_plan *p)
{
	if (obj == NULL)
		return TQK_OK;
	if (!json_is_object(obj))
		return TQK_E_JSON_TYPE;
	const char *key;
	const json_t *val;
	tqk_err err = TQK_OK;
	json_object_foreach((json_t *)obj, key, val) {
		int k = 0;
		while (k < TQK_PLAN_TREES && strcmp(key, tqk_plan_tree_kinds[k]) != 0)
			k++;
		const char *text = json_string_value(val);
		size_t len = json_string_length(val);
		if (k == TQK_PLAN_TREES || p->trees[k] != NULL)
			err = TQK_E_FIELD_VALUE;
		else if (text == NULL)
			err = TQK_E_JSON_TYPE;
		else if (len > TQK_TREE_MAX_BYTES)
			err = TQK_E_TOO_LONG;
		else if (!tree_of_kind(text, len, key))
			err = TQK_E_FIELD_VALUE;
		else if ((p->trees[k] = strdup(text)) == NULL)
			err = TQK_E_NOMEM;
		if (err != TQK_OK)
			break;
	}
	if (err != TQK_OK)
		for (int i = 0; i < TQK_PLAN_TREES; i++) {
			free(p->trees[i]);
			p->trees[i] = NULL;
		}
	return err;
}

json_t *tqk_api_plan_encode(const tqk_plan *p)
{
	json_t *o = json_object();
	bool ok = ju_put(o, "rev", json_integer(p->rev));
	ok &= ju_put(o, "site", ju_text(p->site, sizeof p->site));
	ok &= ju_put(o, "site_name", ju_text(p->site_name, sizeof p->site_name));
	ok &= ju_put(o, "title", ju_text(p->title, sizeof p->title));
	ok &= ju_put(o, "county", ju_text(p->county, sizeof p->county));
	ok &= ju_put(o, "year", json_integer(p->year));
	ok &= ju_put(o, "site_no", json_integer(p->site_no));
	ok &= ju_put(o, "width", json_integer(p->width));
	ok &= ju_put(o, "apply_start", date_text(p->apply_start));
	ok &= ju_put(o, "apply_end", date_text(p->apply_end));
	ok &= ju_put(o, "confirm_start", date_text(p->confirm_start));
	ok &= ju_put(o, "confirm_end", date_text(p->confirm_end));
	ok &= ju_put(o, "opens", clock_text(p->opens));
	ok &= ju_put(o, "closes", clock_text(p->closes));
	ok &= ju_put(o, "calendar", p->calendar != NULL
	             ? ju_text(p->calendar, strlen(p->calendar) + 1) : json_string(""));
	json_t *keys = json_array();
	ok &= keys != NULL;
	size_t nkeys = p->keys.n < TQK_KEYSET_MAX ? p->keys.n : TQK_KEYSET_MAX;
	for (size_t i = 0; ok && i < nkeys; i++) {
		char pub[TQK_PUBKEY_TEXT_LEN + 1];
		tqk_pubkey_format(p->keys.keys[i].key, pub);
		json_t *k = json_object();
		bool kok = ju_put(k, "kid", ju_text(p->keys.keys[i].kid, sizeof p->keys.keys[i].kid));
		kok &= ju_put(k, "public", json_string(pub));
		k = ju_finish(k, kok);
		ok &= k != NULL && json_array_append_new(keys, k) == 0;
	}
	ok &= ju_put(o, "keys", keys);
	ok &= ju_put(o, "institutions", tqk_api_institutions_encode(p->institutions,
	                                                             p->n_institutions));
	json_t *trees = json_object();
	ok &= trees != NULL;
	for (int i = 0; ok && i < TQK_PLAN_TREES; i++)
		if (p->trees[i] != NULL)
			ok &= ju_put(trees, tqk_plan_tree_kinds[i], json_string(p->trees[i]));
	ok &= ju_put(o, "trees", trees);
	return ju_finish(o, ok);
}

json_t *tqk_api_institutions_encode(const tqk_institution *v, size_t n)
{
	json_t *list = json_array();
	bool ok = list != NULL;
	for (size_t i = 0; ok && i < n && i < TQK_INSTITUTIONS_MAX; i++) {
		json_t *k = json_object();
		bool kok = ju_put(k, "name", ju_text(v[i].name, sizeof v[i].name));
		kok &= ju_put(k, "apply_start", date_text(v[i].apply_start));
		kok &= ju_put(k, "apply_end", date_text(v[i].apply_end));
		k = ju_finish(k, kok);
		ok &= k != NULL && json_array_append_new(list, k) == 0;
	}
	return ju_finish(list, ok);
}

/* The member the archive check's error is about. */
static const char *archive_member(tqk_err err)
{
	switch (err) {
	case TQK_E_ARCHIVE_COUNTY:
		return "county";
	case TQK_E_ARCHIVE_YEAR:
		return "year";
	case TQK_E_ARCHIVE_SITE:
		return "site_no";
	default:
		return "width";
	}
}

/* The plan's "keys" (NULL: absent, no keys) into *out. */
static tqk_err plan_keys(const json_t *list, tqk_keyset *out)
{
	memset(out, 0, sizeof *out);
	if (list == NULL)
		return TQK_OK;
	if (!json_is_array(list))
		return TQK_E_JSON_TYPE;
	if (json_array_size(list) > TQK_KEYSET_MAX)
		return TQK_E_TOO_LONG;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *item = json_array_get(list, i);
		const char *kid, *pub;
		size_t kid_len, pub_len;
		tqk_err err = is_object(item);
		if (err == TQK_OK)
			err = ju_get_string(item, "kid", JU_REQUIRED, &kid, &kid_len);
		if (err == TQK_OK)
			err = ju_get_string(item, "public", JU_REQUIRED, &pub, &pub_len);
		if (err != TQK_OK)
			return err;
		uint8_t key[TQK_PUBKEY_LEN];
		if (kid_len > TQK_KID_MAX || tqk_pubkey_parse(pub, pub_len, key) != TQK_OK)
			return TQK_E_FIELD_VALUE;
		if ((err = tqk_keyset_add(out, kid, key)) != TQK_OK)
			return err;     /* a bad or repeated kid; the count was checked */
	}
	return TQK_OK;
}

tqk_err tqk_api_institutions_decode(const json_t *list, tqk_institution *out, size_t *n)
{
	*n = 0;
	if (list == NULL)
		return TQK_OK;
	if (!json_is_array(list))
		return TQK_E_JSON_TYPE;
	if (json_array_size(list) > TQK_INSTITUTIONS_MAX)
		return TQK_E_TOO_LONG;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *item = json_array_get(list, i);
		tqk_institution *in = &out[i];
		tqk_err err = is_object(item);
		if (err == TQK_OK)
			err = ju_copy_string(item, "name", JU_REQUIRED, in->name, sizeof in->name);
		if (err == TQK_OK)
			err = get_date(item, "apply_start", &in->apply_start);
		if (err == TQK_OK)
			err = get_date(item, "apply_end", &in->apply_end);
		if (err != TQK_OK)
			return err;
		*n = i + 1;
	}
	return tqk_institutions_check(out, *n);
}

/* TQK_OK for UTF-8 text without control characters (one line). */
static tqk_err one_line(const char *s)
{
	size_t n = strlen(s);
	if (!tqk_utf8_valid(s, n))
		return TQK_E_UTF8;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return TQK_E_FIELD_VALUE;
	return TQK_OK;
}

/* Every member but the calendar's copy; its text into *calendar. */
static tqk_err plan_members(const json_t *obj, tqk_plan *p, const char **calendar,
                            size_t *calendar_len, const char **where)
{
	tqk_err err;
	JU_TRY("plan", is_object(obj));
	JU_TRY("rev", get_integer(obj, "rev", 0, &p->rev));
	JU_TRY("site", ju_copy_string(obj, "site", JU_REQUIRED, p->site, sizeof p->site));
	JU_TRY("site", p->site[0] != '\0' ? TQK_OK : TQK_E_FIELD_REQUIRED);
	JU_TRY("site_name", ju_copy_string(obj, "site_name", JU_REQUIRED, p->site_name,
	                                   sizeof p->site_name));
	JU_TRY("title", ju_copy_string(obj, "title", JU_OPTIONAL, p->title, sizeof p->title));
	JU_TRY("title", one_line(p->title));
	JU_TRY("county", ju_copy_string(obj, "county", JU_REQUIRED, p->county, sizeof p->county));
	JU_TRY("year", get_int(obj, "year", &p->year));
	JU_TRY("site_no", get_int(obj, "site_no", &p->site_no));
	JU_TRY("width", get_int(obj, "width", &p->width));

	/* The archive number's parts, as a number with the first serial. */
	tqk_archive a;
	memset(&a, 0, sizeof a);
	size_t county_len = strlen(p->county);
	if (county_len >= sizeof a.county)
		JU_TRY("county", TQK_E_ARCHIVE_COUNTY);
	memcpy(a.county, p->county, county_len + 1);
	a.year = p->year;
	a.site = p->site_no;
	a.serial = 1;
	err = tqk_archive_check(&a, p->width);
	JU_TRY(archive_member(err), err);

	JU_TRY("apply_start", get_date(obj, "apply_start", &p->apply_start));
	JU_TRY("apply_end", get_date(obj, "apply_end", &p->apply_end));
	JU_TRY("apply_end", date_le(p->apply_start, p->apply_end) ? TQK_OK : TQK_E_PERIOD);
	JU_TRY("confirm_start", get_date(obj, "confirm_start", &p->confirm_start));
	JU_TRY("confirm_end", get_date(obj, "confirm_end", &p->confirm_end));
	JU_TRY("confirm_end", date_le(p->confirm_start, p->confirm_end) ? TQK_OK : TQK_E_PERIOD);
	JU_TRY("opens", get_clock(obj, "opens", &p->opens));
	JU_TRY("closes", get_clock(obj, "closes", &p->closes));
	JU_TRY("closes", p->opens < p->closes ? TQK_OK : TQK_E_HOURS);

	JU_TRY("calendar", ju_get_string(obj, "calendar", JU_REQUIRED, calendar, calendar_len));
	JU_TRY("calendar", *calendar_len <= TQK_API_CALENDAR_MAX ? TQK_OK : TQK_E_TOO_LONG);
	JU_TRY("keys", plan_keys(json_object_get(obj, "keys"), &p->keys));
	JU_TRY("institutions", tqk_api_institutions_decode(json_object_get(obj, "institutions"),
	                                                   p->institutions, &p->n_institutions));
	return TQK_OK;
}

tqk_err tqk_api_plan_decode(const json_t *obj, tqk_plan *out, const char **bad)
{
	assert(out != NULL);
	tqk_plan p;
	memset(&p, 0, sizeof p);
	const char *where = NULL, *calendar;
	size_t calendar_len;
	tqk_err err = plan_members(obj, &p, &calendar, &calendar_len, &where);
	if (err != TQK_OK)
		return fail(err, where, bad);
	if ((err = plan_trees(json_object_get(obj, "trees"), &p)) != TQK_OK)
		return fail(err, "trees", bad);
	p.calendar = malloc(calendar_len + 1);
	if (p.calendar == NULL) {
		tqk_plan_clear(&p);
		return fail(TQK_E_NOMEM, "calendar", bad);
	}
	memcpy(p.calendar, calendar, calendar_len + 1);
	memcpy(out, &p, sizeof p);
	return TQK_OK;
}

/* ---- GET /v1/clerks ---- */

json_t *tqk_api_clerk_encode(const tqk_clerk *c)
{
	json_t *o = json_object();
	bool ok = ju_put(o, "id", ju_text(c->id, sizeof c->id));
	ok &= ju_put(o, "name", ju_text(c->name, sizeof c->name));
	ok &= ju_put(o, "pin_hash", ju_text(c->pin_hash, sizeof c->pin_hash));
	ok &= ju_put(o, "active", json_boolean(c->active));
	return ju_finish(o, ok);
}

static tqk_err clerk_members(const json_t *obj, tqk_clerk *c, const char **where)
{
	tqk_err err;
	JU_TRY("clerk", is_object(obj));
	JU_TRY("id", ju_copy_string(obj, "id", JU_REQUIRED, c->id, sizeof c->id));
	JU_TRY("id", c->id[0] != '\0' ? TQK_OK : TQK_E_FIELD_REQUIRED);
	JU_TRY("name", ju_copy_string(obj, "name", JU_REQUIRED, c->name, sizeof c->name));
	JU_TRY("pin_hash", ju_copy_string(obj, "pin_hash", JU_REQUIRED, c->pin_hash,
	                                  sizeof c->pin_hash));
	JU_TRY("active", get_bool(obj, "active", &c->active));
	return TQK_OK;
}

tqk_err tqk_api_clerk_decode(const json_t *obj, tqk_clerk *out, const char **bad)
{
	assert(out != NULL);
	tqk_clerk c;
	memset(&c, 0, sizeof c);
	const char *where = NULL;
	tqk_err err = clerk_members(obj, &c, &where);
	if (err != TQK_OK)
		return fail(err, where, bad);
	memcpy(out, &c, sizeof c);
	return TQK_OK;
}

/* ---- GET /v1/updates ---- */

json_t *tqk_api_update_encode(const tqk_update *u)
{
	json_t *o = json_object();
	bool ok = ju_put(o, "seq", json_integer(u->seq));
	ok &= ju_put(o, "reg_no", ju_text(u->reg_no, sizeof u->reg_no));
	if (u->state != TQK_ST_NONE)
		ok &= ju_put(o, "state", json_string(tqk_state_code(u->state)));
	ok &= ju_put(o, "message", ju_text(u->message, sizeof u->message));
	ok &= ju_put(o, "at", json_integer(u->at));
	return ju_finish(o, ok);
}

static tqk_err update_members(const json_t *obj, tqk_update *u, const char **where)
{
	tqk_err err;
	const char *s;
	size_t n;
	JU_TRY("update", is_object(obj));
	JU_TRY("seq", get_integer(obj, "seq", 0, &u->seq));
	JU_TRY("reg_no", ju_copy_string(obj, "reg_no", JU_REQUIRED, u->reg_no, sizeof u->reg_no));
	JU_TRY("reg_no", u->reg_no[0] != '\0' ? TQK_OK : TQK_E_FIELD_REQUIRED);
	u->state = TQK_ST_NONE;
	if (json_object_get(obj, "state") != NULL) {
		JU_TRY("state", ju_get_string(obj, "state", JU_REQUIRED, &s, &n));
		JU_TRY("state", tqk_state_from_code(s, &u->state));
	}
	JU_TRY("message", ju_copy_string(obj, "message", JU_REQUIRED, u->message,
	                                 sizeof u->message));
	JU_TRY("at", get_integer(obj, "at", 1, &u->at));
	return TQK_OK;
}

tqk_err tqk_api_update_decode(const json_t *obj, tqk_update *out, const char **bad)
{
	assert(out != NULL);
	tqk_update u;
	memset(&u, 0, sizeof u);
	const char *where = NULL;
	tqk_err err = update_members(obj, &u, &where);
	if (err != TQK_OK)
		return fail(err, where, bad);
	memcpy(out, &u, sizeof u);
	return TQK_OK;
}

/* ---- a page of a download ---- */

/* Takes the reference to items, also when it fails (like json_object_set_new). */
json_t *tqk_api_page_encode(const char *cursor, bool more, const char *items_name, json_t *items)
{
	assert(items_name != NULL);
	json_t *o = json_object();
	bool ok = ju_put(o, "cursor", json_string(cursor != NULL ? cursor : ""));
	ok &= ju_put(o, "more", json_boolean(more));
	ok &= ju_put(o, items_name, items);
	return ju_finish(o, ok);
}

tqk_err tqk_api_page_decode(const json_t *obj, const char *items_name, const char **cursor,
                            bool *more, const json_t **items, const char **bad)
{
	assert(items_name != NULL && cursor != NULL && more != NULL && items != NULL);
	const char *c;
	size_t n;
	bool m;
	tqk_err err = is_object(obj);
	if (err != TQK_OK)
		return fail(err, "page", bad);
	if ((err = ju_get_string(obj, "cursor", JU_REQUIRED, &c, &n)) != TQK_OK)
		return fail(err, "cursor", bad);
	if (n > TQK_JSON_CURSOR_MAX)
		return fail(TQK_E_TOO_LONG, "cursor", bad);
	if ((err = get_bool(obj, "more", &m)) != TQK_OK)
		return fail(err, "more", bad);
	const json_t *list = json_object_get(obj, items_name);
	if (!json_is_array(list))
		return fail(TQK_E_JSON_TYPE, items_name, bad);
	if (json_array_size(list) > TQK_API_PAGE_MAX)
		return fail(TQK_E_TOO_LONG, items_name, bad);
	*cursor = c;
	*more = m;
	*items = list;
	return TQK_OK;
}

/* ---- POST /v1/confirmations ---- */

static const char *const status_codes[] = {
	[TQK_UPLOAD_STORED] = "stored",
	[TQK_UPLOAD_DUPLICATE] = "duplicate",
	[TQK_UPLOAD_CONFLICT] = "conflict",
	[TQK_UPLOAD_REJECTED] = "rejected",
};

#define STATUS_END ((int)(sizeof status_codes / sizeof status_codes[0]))

const char *tqk_upload_status_code(tqk_upload_status s)
{
	return (int)s >= TQK_UPLOAD_STORED && (int)s < STATUS_END ? status_codes[s] : "";
}

/* Whether a result of status s carries an error and a message. */
static bool explained(tqk_upload_status s)
{
	return s == TQK_UPLOAD_CONFLICT || s == TQK_UPLOAD_REJECTED;
}

json_t *tqk_api_results_encode(const tqk_upload_result *r, size_t n)
{
	assert(r != NULL || n == 0);
	json_t *o = json_object();
	json_t *list = json_array();
	bool ok = list != NULL;
	for (size_t i = 0; i < n && ok; i++) {
		json_t *item = json_object();
		ok &= ju_put(item, "uuid", ju_text(r[i].uuid, sizeof r[i].uuid));
		ok &= ju_put(item, "status", json_string(tqk_upload_status_code(r[i].status)));
		if (explained(r[i].status)) {
			ok &= ju_put(item, "error", ju_text(r[i].error, sizeof r[i].error));
			ok &= ju_put(item, "message", ju_text(r[i].message, sizeof r[i].message));
		}
		ok &= json_array_append_new(list, item) == 0;
	}
	ok &= ju_put(o, "results", list);
	return ju_finish(o, ok);
}

/* One result: a confirmation's (keyed by uuid) or a walk-in's (keyed by
 * its provisional number, with the official one unless rejected). */
static tqk_err result_members(const json_t *obj, bool walkin, tqk_upload_result *r,
                              const char **where)
{
	tqk_err err;
	const char *s;
	size_t n;
	JU_TRY("results", is_object(obj));
	if (walkin) {
		JU_TRY("provisional", ju_copy_string(obj, "provisional", JU_REQUIRED, r->provisional,
		                                     sizeof r->provisional));
		JU_TRY("provisional", tqk_code_valid(r->provisional) ? TQK_OK : TQK_E_FIELD_VALUE);
	} else {
		JU_TRY("uuid", ju_copy_string(obj, "uuid", JU_REQUIRED, r->uuid, sizeof r->uuid));
		JU_TRY("uuid", tqk_uuid_valid(r->uuid) ? TQK_OK : TQK_E_UUID);
	}
	JU_TRY("status", ju_get_string(obj, "status", JU_REQUIRED, &s, &n));
	int i = TQK_UPLOAD_STORED;
	while (i < STATUS_END && strcmp(s, status_codes[i]) != 0)
		i++;
	JU_TRY("status", i < STATUS_END && !(walkin && i == TQK_UPLOAD_CONFLICT)
	                 ? TQK_OK : TQK_E_FIELD_VALUE);
	r->status = (tqk_upload_status)i;
	if (walkin && !explained(r->status)) {
		JU_TRY("reg_no", ju_copy_string(obj, "reg_no", JU_REQUIRED, r->reg_no,
		                                sizeof r->reg_no));
		JU_TRY("reg_no", tqk_code_valid(r->reg_no) && strcmp(r->reg_no, r->provisional) != 0
		                 ? TQK_OK : TQK_E_FIELD_VALUE);
	} else if (walkin) {
		JU_TRY("reg_no", absent(obj, "reg_no"));
	}
	if (explained(r->status)) {
		JU_TRY("error", ju_copy_string(obj, "error", JU_REQUIRED, r->error,
		                               sizeof r->error));
		JU_TRY("message", ju_copy_string(obj, "message", JU_REQUIRED, r->message,
		                                 sizeof r->message));
	} else {
		/* Neither, not even empty: "only when rejected or in conflict". */
		JU_TRY("error", absent(obj, "error"));
		JU_TRY("message", absent(obj, "message"));
	}
	return TQK_OK;
}

/* Checks every result first, then copies them out: out stays untouched
 * unless all of them pass, with no buffer of the whole list. */
static tqk_err results_decode(const json_t *obj, bool walkin, tqk_upload_result *out, size_t cap,
                              size_t *n, const char **bad)
{
	assert(n != NULL && (out != NULL || cap == 0));
	tqk_err err = is_object(obj);
	if (err != TQK_OK)
		return fail(err, "results", bad);
	const json_t *list = json_object_get(obj, "results");
	if (!json_is_array(list))
		return fail(TQK_E_JSON_TYPE, "results", bad);
	size_t count = json_array_size(list);
	if (count > cap || count > TQK_API_BATCH_MAX)
		return fail(TQK_E_TOO_LONG, "results", bad);
	for (size_t i = 0; i < count; i++) {
		tqk_upload_result r;
		memset(&r, 0, sizeof r);
		const char *where = NULL;
		if ((err = result_members(json_array_get(list, i), walkin, &r, &where)) != TQK_OK)
			return fail(err, where, bad);
	}
	for (size_t i = 0; i < count; i++) {
		const char *where;
		memset(&out[i], 0, sizeof out[i]);
		err = result_members(json_array_get(list, i), walkin, &out[i], &where);
		assert(err == TQK_OK);
	}
	*n = count;
	return TQK_OK;
}

tqk_err tqk_api_results_decode(const json_t *obj, tqk_upload_result *out, size_t cap, size_t *n,
                               const char **bad)
{
	return results_decode(obj, false, out, cap, n, bad);
}

tqk_err tqk_api_walkin_results_decode(const json_t *obj, tqk_upload_result *out, size_t cap,
                                      size_t *n, const char **bad)
{
	return results_decode(obj, true, out, cap, n, bad);
}

/* ---- errors ---- */

json_t *tqk_api_error_encode(tqk_err err)
{
	const char *domain = tqk_err_domain(err), *code = tqk_err_code(err);
	size_t dn = strlen(domain), cn = strlen(code);
	char name[64];
	if (dn + 1 + cn >= sizeof name)
		return NULL;    /* no such name: the table holds short ones */
	memcpy(name, domain, dn);
	name[dn] = '.';
	memcpy(name + dn + 1, code, cn + 1);
	json_t *o = json_object();
	bool ok = ju_put(o, "error", json_string(name));
	ok &= ju_put(o, "message", json_string(tqk_strerror(err, TQK_LANG_EN)));
	return ju_finish(o, ok);
}
