/*
 * srv_apps.c - applications, confirmations, walk-ins and updates in the
 * county server's database. Applications are stored as their canonical
 * json.h document (tqk_json_application_encode, rev = seq); a confirmation
 * is stored as the canonical document of the decoded record with the
 * SHA-256 of that document, which is what "the same content" means.
 */
#include "srv_apps.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/archive.h"
#include "core/materials.h"
#include "core/state.h"
#include "proto/json.h"
#include "proto/sign.h"

/* ---- applications ---- */

/* The canonical document of a (with its rev), malloc'd; NULL when out of
 * memory. */
static char *app_doc(const tqk_application *a)
{
	json_t *o = tqk_json_application_encode(a);
	char *doc = o != NULL ? tqk_json_dump(o) : NULL;
	json_decref(o);
	return doc;
}

/* Reads the stored row of reg_no: its seq, site and document (malloc'd
 * into *doc, may be NULL). TQK_E_STORE_NOT_FOUND when none. */
static tqk_err app_row(srv_db *db, const char *reg_no, int64_t *seq, char site[TQK_CODE_CAP],
                       char **doc)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT seq, site, doc FROM applications WHERE reg_no = ?1",
	                               &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, reg_no);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		srv_db_column(st, 1, site, TQK_CODE_CAP);
		if (doc != NULL) {
			const char *d = (const char *)sqlite3_column_text(st, 2);
			*doc = strdup(d != NULL ? d : "");
			if (*doc == NULL) {
				sqlite3_reset(st);
				return TQK_E_NOMEM;
			}
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? TQK_OK : rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : srv_db_err(db, rc);
}

/* Decodes a stored document. TQK_E_STORE_CORRUPT when it does not. */
static tqk_err app_decode(const char *doc, tqk_date today, tqk_application *out)
{
	json_t *o = NULL;
	if (tqk_json_parse(doc, strlen(doc), &o, NULL, 0) != TQK_OK)
		return TQK_E_STORE_CORRUPT;
	const char *bad = NULL;
	tqk_err err = tqk_json_application_decode(o, today, out, &bad);
	json_decref(o);
	return err == TQK_OK ? TQK_OK : TQK_E_STORE_CORRUPT;
}

/* Writes a (new or existing reg_no) with a fresh seq; provisional and kiosk
 * only for a new walk-in (NULL otherwise). Returns TQK_OK or the error. */
static tqk_err app_write(srv_db *db, tqk_application *a, bool exists, const char *provisional,
                         const char *kiosk)
{
	int64_t seq;
	tqk_err err = srv_db_next_seq(db, &seq);
	if (err != TQK_OK)
		return err;
	a->rev = seq;
	char *doc = app_doc(a);
	if (doc == NULL)
		return TQK_E_NOMEM;
	sqlite3_stmt *st = exists
		? srv_db_stmt(db, "UPDATE applications SET site = ?2, seq = ?3, doc = ?4"
		                  " WHERE reg_no = ?1", &err)
		: srv_db_stmt(db, "INSERT INTO applications(reg_no, site, seq, doc, provisional, kiosk)"
		                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &err);
	if (st != NULL) {
		srv_db_bind(st, 1, a->reg_no);
		srv_db_bind(st, 2, a->site);
		sqlite3_bind_int64(st, 3, seq);
		sqlite3_bind_text(st, 4, doc, -1, SQLITE_STATIC);
		if (!exists) {
			if (provisional != NULL)
				srv_db_bind(st, 5, provisional);
			if (kiosk != NULL)
				srv_db_bind(st, 6, kiosk);
		}
		err = srv_db_done(db, st);
	}
	free(doc);
	return err;
}

/* TQK_OK when site exists, TQK_E_STORE_SITE when not, or the error. */
static tqk_err site_known(srv_db *db, const char *site)
{
	srv_site s;
	tqk_err err = srv_db_site_get(db, site, &s);
	return err == TQK_E_STORE_NOT_FOUND ? TQK_E_STORE_SITE : err;
}

tqk_err srv_apps_put(srv_db *db, tqk_application *a, srv_put *how)
{
	tqk_err err = site_known(db, a->site);
	if (err != TQK_OK)
		return err;
	int64_t seq = 0;
	char site[TQK_CODE_CAP];
	char *old = NULL;
	err = app_row(db, a->reg_no, &seq, site, &old);
	if (err == TQK_E_STORE_NOT_FOUND) {
		*how = SRV_PUT_INSERTED;
		return app_write(db, a, false, NULL, NULL);
	}
	if (err != TQK_OK)
		return err;
	a->rev = seq;
	char *doc = app_doc(a);
	bool same = doc != NULL && strcmp(doc, old) == 0;
	free(doc);
	free(old);
	if (same) {
		*how = SRV_PUT_UNCHANGED;
		return TQK_OK;
	}
	*how = SRV_PUT_UPDATED;
	return app_write(db, a, true, NULL, NULL);
}

tqk_err srv_apps_get(srv_db *db, const char *reg_no, tqk_date today, tqk_application *out,
                     int64_t *seq)
{
	char site[TQK_CODE_CAP], *doc = NULL;
	tqk_err err = app_row(db, reg_no, seq, site, &doc);
	if (err == TQK_OK)
		err = app_decode(doc, today, out);
	free(doc);
	return err;
}

/* A page of (seq, doc) rows from st (bound, selecting seq and a document,
 * limit + 1 rows): parsed documents into *items. */
static tqk_err page_of(srv_db *db, sqlite3_stmt *st, int64_t since, size_t limit,
                       json_t *(*item)(sqlite3_stmt *st), json_t **items, int64_t *last,
                       bool *more)
{
	json_t *list = json_array();
	if (list == NULL) {
		sqlite3_reset(st);
		return TQK_E_NOMEM;
	}
	*last = since;
	*more = false;
	int rc;
	tqk_err err = TQK_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (json_array_size(list) == limit) {
			*more = true;
			break;
		}
		json_t *o = item(st);
		if (o == NULL || json_array_append_new(list, o) != 0) {
			err = o == NULL ? TQK_E_STORE_CORRUPT : TQK_E_NOMEM;
			break;
		}
		*last = sqlite3_column_int64(st, 0);
	}
	if (err == TQK_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = srv_db_err(db, rc);
	sqlite3_reset(st);
	if (err != TQK_OK) {
		json_decref(list);
		return err;
	}
	*items = list;
	return TQK_OK;
}

/* The stored document in column 1, parsed; NULL when it does not parse. */
static json_t *doc_item(sqlite3_stmt *st)
{
	const char *doc = (const char *)sqlite3_column_text(st, 1);
	json_t *o = NULL;
	if (doc == NULL || tqk_json_parse(doc, strlen(doc), &o, NULL, 0) != TQK_OK)
		return NULL;
	return o;
}

tqk_err srv_apps_page(srv_db *db, const char *site, int64_t since, size_t limit, json_t **items,
                      int64_t *last, bool *more)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT seq, doc FROM applications"
	                                   " WHERE site = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, site);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit + 1);
	return page_of(db, st, since, limit, doc_item, items, last, more);
}

/* ---- updates ---- */

tqk_err srv_apps_decide(srv_db *db, const char *reg_no, tqk_state state, const char *message,
                        tqk_time now, int64_t *seq)
{
	if (message == NULL)
		message = "";
	if (state == TQK_ST_NONE && message[0] == '\0')
		return TQK_E_ARG;
	tqk_err err = tqk_message_check(message);
	if (err != TQK_OK)
		return err;
	tqk_application a;
	int64_t app_seq;
	if ((err = srv_apps_get(db, reg_no, tqk_time_date(now), &a, &app_seq)) != TQK_OK)
		return err;
	if (state != TQK_ST_NONE) {
		if ((err = tqk_state_transition(a.state, state, TQK_ACTOR_INSTITUTION)) != TQK_OK)
			return err;
		a.state = state;
	}
	if (message[0] != '\0')
		snprintf(a.inst_message, sizeof a.inst_message, "%s", message);
	if ((err = srv_db_next_seq(db, seq)) != TQK_OK)
		return err;
	sqlite3_stmt *st = srv_db_stmt(db, "INSERT INTO updates(seq, site, reg_no, state, message, at)"
	                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &err);
	if (st == NULL)
		return err;
	sqlite3_bind_int64(st, 1, *seq);
	srv_db_bind(st, 2, a.site);
	srv_db_bind(st, 3, a.reg_no);
	if (state != TQK_ST_NONE)
		srv_db_bind(st, 4, tqk_state_code(state));
	srv_db_bind(st, 5, message);
	sqlite3_bind_int64(st, 6, now);
	if ((err = srv_db_done(db, st)) != TQK_OK)
		return err;
	return app_write(db, &a, true, NULL, NULL);
}

/* An update row (seq, _, reg_no, state, message, at) as its JSON. */
static json_t *update_item(sqlite3_stmt *st)
{
	tqk_update u;
	memset(&u, 0, sizeof u);
	u.seq = sqlite3_column_int64(st, 0);
	srv_db_column(st, 2, u.reg_no, sizeof u.reg_no);
	const char *state = (const char *)sqlite3_column_text(st, 3);
	if (state != NULL && tqk_state_from_code(state, &u.state) != TQK_OK)
		return NULL;
	srv_db_column(st, 4, u.message, sizeof u.message);
	u.at = sqlite3_column_int64(st, 5);
	return tqk_api_update_encode(&u);
}

tqk_err srv_apps_updates_page(srv_db *db, const char *site, int64_t since, size_t limit,
                              json_t **items, int64_t *last, bool *more)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT seq, NULL, reg_no, state, message, at FROM updates"
	                                   " WHERE site = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3", &err);
	if (st == NULL)
		return err;
	srv_db_bind(st, 1, site);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit + 1);
	return page_of(db, st, since, limit, update_item, items, last, more);
}

/* ---- confirmations ---- */

/* Fills r as rejected with err, naming member (may be NULL). */
static void reject(char *error, size_t error_cap, char *message, size_t message_cap, tqk_err err,
                   const char *member)
{
	snprintf(error, error_cap, "%s.%s", tqk_err_domain(err), tqk_err_code(err));
	if (member != NULL)
		snprintf(message, message_cap, "%s: %s", member, tqk_strerror(err, TQK_LANG_EN));
	else
		snprintf(message, message_cap, "%s", tqk_strerror(err, TQK_LANG_EN));
}

/* The official reg_no that reg_no names for site: itself when it is an
 * application, else the application whose provisional number it is there.
 * TQK_E_STORE_NOT_FOUND when neither. */
static tqk_err resolve(srv_db *db, const char *site, const char *reg_no, char out[TQK_CODE_CAP])
{
	return srv_db_text(db, "SELECT reg_no FROM applications WHERE reg_no = ?2"
	                       " UNION ALL SELECT reg_no FROM applications"
	                       " WHERE site = ?1 AND provisional = ?2 LIMIT 1",
	                   site, reg_no, NULL, out, TQK_CODE_CAP);
}

/* The stored digest of uuid into digest; TQK_E_STORE_NOT_FOUND when none. */
/* A record's result before anything is known: rejected, under the
 * record's uuid when it has a usable one. */
static void result_of(const json_t *record, tqk_upload_result *r)
{
	memset(r, 0, sizeof *r);
	const json_t *u = json_is_object(record) ? json_object_get(record, "uuid") : NULL;
	if (json_is_string(u) && json_string_length(u) < sizeof r->uuid)
		snprintf(r->uuid, sizeof r->uuid, "%s", json_string_value(u));
	r->status = TQK_UPLOAD_REJECTED;
}

/* The canonical text of a record (obj, its reference taken: the decoded
 * record encoded again) and its SHA-256 in hex; NULL when out of memory. */
static char *canonical(json_t *obj, char digest[TQK_SIGN_HEX])
{
	char *doc = obj != NULL ? tqk_json_dump(obj) : NULL;
	json_decref(obj);
	if (doc == NULL)
		return NULL;
	uint8_t hash[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(hash, (const uint8_t *)doc, strlen(doc));
	tqk_hex_encode(hash, sizeof hash, digest);
	return doc;
}

/* A uuid stored before: a duplicate when the content is the same, else a
 * conflict that keeps the stored record. */
static void seen_before(tqk_upload_result *r, bool same)
{
	r->status = same ? TQK_UPLOAD_DUPLICATE : TQK_UPLOAD_CONFLICT;
	if (!same) {
		snprintf(r->error, sizeof r->error, "store.exists");
		snprintf(r->message, sizeof r->message,
		         "uuid: already stored with other content; the stored record is kept");
	}
}

static tqk_err stored_digest(srv_db *db, const char *uuid, char digest[TQK_SIGN_HEX])
{
	return srv_db_text(db, "SELECT digest FROM confirmations WHERE uuid = ?1", uuid, NULL, NULL,
	                   digest, TQK_SIGN_HEX);
}

/* The reg_no of another application (not reg_no) whose stored record at
 * site carries archive_no, into other; TQK_E_STORE_NOT_FOUND when none. */
static tqk_err archive_holder(srv_db *db, const char *site, const char *archive_no,
                              const char *reg_no, char other[TQK_CODE_CAP])
{
	return srv_db_text(db, "SELECT reg_no FROM confirmations WHERE site = ?1"
	                       " AND archive_no = ?2 AND archive_no <> '' AND reg_no <> ?3 LIMIT 1",
	                   site, archive_no, reg_no, other, TQK_CODE_CAP);
}

/*
 * Whether c's archive number may be stored for application reg_no at site:
 * when c's kiosk was given serials lo..hi, its serial (read with the site's
 * width) must lie within them ("archive.range", or the parse's own error);
 * and no record of another application at the site may hold the number
 * ("archive.taken"; the records of the same application, its corrections
 * among them, may). Fills r as rejected and sets *ok false when not.
 * Returns TQK_OK, or the store's error.
 */
static tqk_err archive_allowed(srv_db *db, const char *site, const tqk_confirmation *c,
                               const char *reg_no, tqk_upload_result *r, bool *ok)
{
	*ok = true;
	if (c->archive_no[0] == '\0')
		return TQK_OK;
	srv_kiosk k;
	tqk_err err = srv_db_kiosk_get(db, c->kiosk, &k);
	if (err != TQK_OK && err != TQK_E_STORE_NOT_FOUND)
		return err;
	if (err == TQK_OK && k.serial_hi != 0) {
		srv_site s;
		tqk_archive a;
		if ((err = srv_db_site_get(db, site, &s)) != TQK_OK)
			return err;
		err = tqk_archive_parse(c->archive_no, strlen(c->archive_no), s.width, &a);
		if (err != TQK_OK) {
			*ok = false;
			reject(r->error, sizeof r->error, r->message, sizeof r->message, err, "archive_no");
			return TQK_OK;
		}
		if (a.serial < k.serial_lo || a.serial > k.serial_hi) {
			*ok = false;
			snprintf(r->error, sizeof r->error, "archive.range");
			snprintf(r->message, sizeof r->message,
			         "archive_no: %s has serial %u, outside kiosk %s's serials %u..%u",
			         c->archive_no, a.serial, k.id, k.serial_lo, k.serial_hi);
			return TQK_OK;
		}
	}
	char other[TQK_CODE_CAP];
	err = archive_holder(db, site, c->archive_no, reg_no, other);
	if (err == TQK_E_STORE_NOT_FOUND)
		return TQK_OK;
	if (err != TQK_OK)
		return err;
	*ok = false;
	snprintf(r->error, sizeof r->error, "archive.taken");
	snprintf(r->message, sizeof r->message,
	         "archive_no: %s is already on the bag of application %s at this site",
	         c->archive_no, other);
	return TQK_OK;
}

/*
 * The confirmation applied to the server's copy of its application, as the
 * kiosk applies it to its own: corrections (without the kiosk's staleness
 * check: the site's correction is what counts), the conclusion's state when
 * the site may still set it (an institution's later decision stays), the
 * site's message and remark. Returns TQK_OK, or the error of a correction's
 * value (*bad names its field).
 */
static tqk_err apply(tqk_application *a, const tqk_confirmation *c, tqk_date today,
                     const char **bad)
{
	for (size_t i = 0; i < c->n_corrections; i++) {
		const tqk_correction *k = &c->corrections[i];
		tqk_err err = tqk_field_set(a, k->field, k->new_value, today);
		if (err != TQK_OK) {
			*bad = tqk_field_get_info(k->field)->code;
			return err;
		}
	}
	tqk_state to = tqk_conclusion_state(c->conclusion);
	if (a->state != to && tqk_state_transition(a->state, to, TQK_ACTOR_SITE) == TQK_OK)
		a->state = to;
	memcpy(a->site_message, c->message, sizeof a->site_message);
	memcpy(a->remark, c->remark, sizeof a->remark);
	return TQK_OK;
}

tqk_err srv_apps_confirm(srv_db *db, const char *site, const json_t *record, bool demo,
                         tqk_date today, tqk_time now, tqk_upload_result *r)
{
	result_of(record, r);

	tqk_confirmation c;
	const char *bad = NULL;
	tqk_err err = tqk_json_confirmation_decode(record, today, &c, &bad);
	if (err == TQK_OK && c.uuid[0] == '\0')
		err = TQK_E_UUID, bad = "uuid";
	if (err == TQK_OK && c.time_source == TQK_TIME_DEMO && !demo)
		err = TQK_E_DEMO_RECORD, bad = "time_source";
	if (err != TQK_OK) {
		reject(r->error, sizeof r->error, r->message, sizeof r->message, err, bad);
		return TQK_OK;
	}

	/* The canonical content: the decoded record encoded again. */
	char digest[TQK_SIGN_HEX], have[TQK_SIGN_HEX];
	char *doc = canonical(tqk_json_confirmation_encode(&c), digest);
	if (doc == NULL)
		return TQK_E_NOMEM;

	err = stored_digest(db, c.uuid, have);
	if (err == TQK_OK) {
		free(doc);
		seen_before(r, strcmp(have, digest) == 0);
		return TQK_OK;
	}
	if (err != TQK_E_STORE_NOT_FOUND)
		goto out;

	/* The record's own faults reject it; the store's abort the batch. */
#define REJECT(e, member) do { \
		reject(r->error, sizeof r->error, r->message, sizeof r->message, (e), (member)); \
		err = TQK_OK; \
		goto out; \
	} while (0)
	char reg_no[TQK_CODE_CAP], app_site[TQK_CODE_CAP], *app = NULL;
	int64_t seq;
	tqk_application a;
	err = resolve(db, site, c.reg_no, reg_no);
	if (err == TQK_E_STORE_NOT_FOUND)
		REJECT(err, "reg_no");
	if (err != TQK_OK || (err = app_row(db, reg_no, &seq, app_site, &app)) != TQK_OK)
		goto out;
	if (strcmp(app_site, site) != 0) {
		free(app);
		REJECT(TQK_E_STORE_SITE, "reg_no");
	}
	err = app_decode(app, today, &a);
	free(app);
	if (err != TQK_OK)
		REJECT(err, "reg_no");
	if ((err = apply(&a, &c, today, &bad)) != TQK_OK)
		REJECT(err, bad);
	if (strcmp(a.site, site) != 0 && (err = site_known(db, a.site)) != TQK_OK) {
		if (err == TQK_E_STORE_SITE)
			REJECT(err, "corrections");
		goto out;
	}
#undef REJECT
	bool ok;
	if ((err = archive_allowed(db, site, &c, reg_no, r, &ok)) != TQK_OK || !ok)
		goto out;

	sqlite3_stmt *st = srv_db_stmt(db, "INSERT INTO confirmations(uuid, reg_no, site, kiosk,"
	                                   " conclusion, archive_no, at, received, digest, doc)"
	                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", &err);
	if (st == NULL)
		goto out;
	srv_db_bind(st, 1, c.uuid);
	srv_db_bind(st, 2, reg_no);
	srv_db_bind(st, 3, site);
	srv_db_bind(st, 4, c.kiosk);
	srv_db_bind(st, 5, tqk_conclusion_code(c.conclusion));
	srv_db_bind(st, 6, c.archive_no);
	sqlite3_bind_int64(st, 7, c.at);
	sqlite3_bind_int64(st, 8, now);
	srv_db_bind(st, 9, digest);
	sqlite3_bind_text(st, 10, doc, -1, SQLITE_STATIC);
	if ((err = srv_db_done(db, st)) == TQK_OK && (err = app_write(db, &a, true, NULL, NULL)) == TQK_OK)
		r->status = TQK_UPLOAD_STORED;
out:
	free(doc);
	return err;
}

/* ---- teachers' changes ---- */

tqk_err srv_apps_change(srv_db *db, const char *site, const char *kiosk, const json_t *record,
                        bool demo, tqk_date today, tqk_time now, tqk_upload_result *r)
{
	result_of(record, r);
	tqk_change c;
	const char *bad = NULL;
	tqk_err err = tqk_json_change_decode(record, today, &c, &bad);
	if (err == TQK_OK && c.uuid[0] == '\0')
		err = TQK_E_UUID, bad = "uuid";
	if (err == TQK_OK && c.time_source == TQK_TIME_DEMO && !demo)
		err = TQK_E_DEMO_RECORD, bad = "time_source";
	if (err == TQK_OK && (strcmp(c.site, site) != 0 || strcmp(c.kiosk, kiosk) != 0))
		err = TQK_E_STORE_SITE, bad = "site";
	if (err != TQK_OK) {
		reject(r->error, sizeof r->error, r->message, sizeof r->message, err, bad);
		return TQK_OK;
	}
	char digest[TQK_SIGN_HEX], have[TQK_SIGN_HEX];
	char *doc = canonical(tqk_json_change_encode(&c), digest);
	if (doc == NULL)
		return TQK_E_NOMEM;
	err = srv_db_text(db, "SELECT digest FROM changes WHERE uuid = ?1", c.uuid, NULL, NULL, have,
	                  sizeof have);
	if (err == TQK_OK) {
		free(doc);
		seen_before(r, strcmp(have, digest) == 0);
		return TQK_OK;
	}
	if (err != TQK_E_STORE_NOT_FOUND)
		goto out;
	char reg_no[TQK_CODE_CAP], app_site[TQK_CODE_CAP], *app = NULL;
	int64_t seq;
	tqk_application a;
	err = resolve(db, site, c.reg_no, reg_no);
	if (err == TQK_E_STORE_NOT_FOUND) {
		reject(r->error, sizeof r->error, r->message, sizeof r->message, err, "reg_no");
		err = TQK_OK;
		goto out;
	}
	if (err != TQK_OK || (err = app_row(db, reg_no, &seq, app_site, &app)) != TQK_OK)
		goto out;
	err = strcmp(app_site, site) != 0 ? TQK_E_STORE_SITE : app_decode(app, today, &a);
	free(app);
	if (err == TQK_OK)
		err = tqk_change_apply(&a, &c, today, &bad);
	else
		bad = "reg_no";
	if (err == TQK_E_NOMEM)
		goto out;
	if (err != TQK_OK) {
		/* the record's own fault: changed meanwhile, no longer the teacher's */
		reject(r->error, sizeof r->error, r->message, sizeof r->message, err, bad);
		err = TQK_OK;
		goto out;
	}
	sqlite3_stmt *st = srv_db_stmt(db, "INSERT INTO changes(uuid, reg_no, site, kiosk, digest, doc,"
	                                   " received) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &err);
	if (st == NULL)
		goto out;
	srv_db_bind(st, 1, c.uuid);
	srv_db_bind(st, 2, reg_no);
	srv_db_bind(st, 3, site);
	srv_db_bind(st, 4, kiosk);
	srv_db_bind(st, 5, digest);
	sqlite3_bind_text(st, 6, doc, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, now);
	if ((err = srv_db_done(db, st)) == TQK_OK && (err = app_write(db, &a, true, NULL, NULL)) == TQK_OK)
		r->status = TQK_UPLOAD_STORED;
out:
	free(doc);
	return err;
}

/* ---- walk-in applications ---- */

/* The next free official number for a walk-in of a site of year. */
static tqk_err next_official(srv_db *db, int year, char out[TQK_CODE_CAP])
{
	for (int tries = 0; tries < 1000; tries++) {
		tqk_err err;
		sqlite3_stmt *st = srv_db_stmt(db, "UPDATE meta SET value = value + 1"
		                                   " WHERE key = 'walkin' RETURNING value", &err);
		if (st == NULL)
			return err;
		int rc = sqlite3_step(st);
		int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return srv_db_err(db, rc == SQLITE_DONE ? SQLITE_MISUSE : rc);
		if (n > 999999999)
			return TQK_E_STORE_SERIALS;
		snprintf(out, TQK_CODE_CAP, "%04d9%09" PRId64, year % 10000, n);
		int64_t seq;
		char site[TQK_CODE_CAP];
		err = app_row(db, out, &seq, site, NULL);
		if (err == TQK_E_STORE_NOT_FOUND)
			return TQK_OK;
		if (err != TQK_OK)
			return err;
	}
	return TQK_E_STORE_SERIALS;
}

/* The official number given to provisional at site; TQK_E_STORE_NOT_FOUND
 * when none. */
static tqk_err by_provisional(srv_db *db, const char *site, const char *provisional,
                              char out[TQK_CODE_CAP])
{
	return srv_db_text(db, "SELECT reg_no FROM applications WHERE site = ?1 AND provisional = ?2",
	                   site, provisional, NULL, out, TQK_CODE_CAP);
}

tqk_err srv_apps_walkin(srv_db *db, const char *site, const char *kiosk, const json_t *item,
                        bool demo, tqk_date today, tqk_time now, srv_walkin_result *r)
{
	memset(r, 0, sizeof *r);
	r->status = TQK_UPLOAD_REJECTED;
	const json_t *p = json_is_object(item) ? json_object_get(item, "provisional") : NULL;
	if (!json_is_string(p) || json_string_length(p) >= sizeof r->provisional ||
	    !tqk_code_valid(json_string_value(p))) {
		reject(r->error, sizeof r->error, r->message, sizeof r->message,
		       json_is_string(p) ? TQK_E_FIELD_VALUE : TQK_E_JSON_TYPE, "provisional");
		return TQK_OK;
	}
	snprintf(r->provisional, sizeof r->provisional, "%s", json_string_value(p));

	tqk_err err = by_provisional(db, site, r->provisional, r->reg_no);
	if (err == TQK_OK) {
		r->status = TQK_UPLOAD_DUPLICATE;
		return TQK_OK;
	}
	if (err != TQK_E_STORE_NOT_FOUND)
		return err;

	/* The login's password, as its argon2id hash only (optional: kiosks
	 * before walk-in logins sent none). */
	char hash[SRV_PASSWORD_HASH_CAP] = "";
	const json_t *h = json_object_get(item, "password_hash");
	if (h != NULL) {
		static const char argon[] = "$argon2id$";
		const char *v = json_string_value(h);
		if (v == NULL || json_string_length(h) >= sizeof hash ||
		    strncmp(v, argon, sizeof argon - 1) != 0) {
			reject(r->error, sizeof r->error, r->message, sizeof r->message,
			       v == NULL ? TQK_E_JSON_TYPE : TQK_E_FIELD_VALUE, "password_hash");
			r->reg_no[0] = '\0';
			return TQK_OK;
		}
		snprintf(hash, sizeof hash, "%s", v);
	}

	/* A demo kiosk's walk-in, only on a demo server. */
	if (json_is_true(json_object_get(item, "demo")) && !demo) {
		reject(r->error, sizeof r->error, r->message, sizeof r->message, TQK_E_DEMO_RECORD,
		       "demo");
		r->reg_no[0] = '\0';
		return TQK_OK;
	}

	json_t *copy = json_deep_copy(item);
	if (copy == NULL)
		return TQK_E_NOMEM;
	json_object_del(copy, "provisional");
	json_object_del(copy, "password_hash");
	json_object_del(copy, "demo");
	bool ok = true;
	if (json_object_get(copy, "reg_no") == NULL)
		ok &= json_object_set_new(copy, "reg_no", json_string(r->provisional)) == 0;
	if (json_object_get(copy, "state") == NULL)
		ok &= json_object_set_new(copy, "state", json_string("submitted")) == 0;
	if (json_object_get(copy, "rev") == NULL)
		ok &= json_object_set_new(copy, "rev", json_integer(0)) == 0;
	tqk_application a;
	const char *bad = NULL;
	err = ok ? tqk_json_application_decode(copy, today, &a, &bad) : TQK_E_NOMEM;
	json_decref(copy);
	if (err == TQK_E_NOMEM)
		return err;
	if (err == TQK_OK && strcmp(a.site, site) != 0)
		err = TQK_E_AUTH_SITE, bad = "site";
	if (err != TQK_OK) {
		reject(r->error, sizeof r->error, r->message, sizeof r->message, err, bad);
		r->reg_no[0] = '\0';
		return TQK_OK;
	}
	srv_site s;
	if ((err = srv_db_site_get(db, site, &s)) != TQK_OK ||
	    (err = next_official(db, s.year, a.reg_no)) != TQK_OK ||
	    (err = app_write(db, &a, false, r->provisional, kiosk)) != TQK_OK)
		return err;
	if (hash[0] != '\0') {
		sqlite3_stmt *st = srv_db_stmt(db, "INSERT INTO logins(reg_no, password_hash, set_at)"
		                                   " VALUES (?1, ?2, ?3)", &err);
		if (st == NULL)
			return err;
		srv_db_bind(st, 1, a.reg_no);
		srv_db_bind(st, 2, hash);
		sqlite3_bind_int64(st, 3, now);
		if ((err = srv_db_done(db, st)) != TQK_OK)
			return err;
	}
	memcpy(r->reg_no, a.reg_no, sizeof r->reg_no);
	r->status = TQK_UPLOAD_STORED;
	return TQK_OK;
}

/* ---- listing ---- */

tqk_err srv_apps_confirmations(srv_db *db, const char *site,
                               int (*fn)(void *ctx, const srv_conf_row *row), void *ctx)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "SELECT c.uuid, c.reg_no, c.site, c.kiosk, c.conclusion,"
	                                   " c.archive_no, c.at, c.received, c.doc, a.doc"
	                                   " FROM confirmations c JOIN applications a USING (reg_no)"
	                                   " WHERE ?1 IS NULL OR c.site = ?1 ORDER BY c.seq", &err);
	if (st == NULL)
		return err;
	if (site != NULL)
		srv_db_bind(st, 1, site);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		srv_conf_row row;
		const char **cols[] = {&row.uuid, &row.reg_no, &row.site, &row.kiosk, &row.conclusion,
		                       &row.archive_no};
		for (int i = 0; i < 6; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			*cols[i] = v != NULL ? v : "";
		}
		row.at = sqlite3_column_int64(st, 6);
		row.received = sqlite3_column_int64(st, 7);
		const char *rec = (const char *)sqlite3_column_text(st, 8);
		const char *app = (const char *)sqlite3_column_text(st, 9);
		json_t *jr = NULL, *ja = NULL;
		if (rec == NULL || app == NULL ||
		    tqk_json_parse(rec, strlen(rec), &jr, NULL, 0) != TQK_OK ||
		    tqk_json_parse(app, strlen(app), &ja, NULL, 0) != TQK_OK) {
			json_decref(jr);
			sqlite3_reset(st);
			return TQK_E_STORE_CORRUPT;
		}
		row.record = jr;
		row.application = ja;
		int stop = fn(ctx, &row);
		json_decref(jr);
		json_decref(ja);
		if (stop != 0) {
			sqlite3_reset(st);
			return TQK_OK;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TQK_OK : srv_db_err(db, rc);
}
