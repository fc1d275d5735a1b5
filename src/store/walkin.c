/*
 * walkin.c - walk-in applications under provisional numbers, and their
 * mapping to official ones (walkin.h).
 */
#include "store/walkin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/walkin.h"
#include "internal.h"
#include "proto/json.h"
#include "store/apps.h"
#include "store/audit.h"
#include "store/confirm.h"

/* The payload of the upload: the application under its provisional
 * number, with the password's hash beside it, and "demo": true from a
 * demo's store. */
static char *payload_of(const tqk_application *a, const char *hash, bool demo)
{
	json_t *o = tqk_json_application_encode(a);
	if (o == NULL)
		return NULL;
	char *text = NULL;
	if (json_object_set_new(o, "provisional", json_string(a->reg_no)) == 0 &&
	    json_object_set_new(o, "password_hash", json_string(hash)) == 0 &&
	    (!demo || json_object_set_new(o, "demo", json_true()) == 0))
		text = tqk_json_dump(o);
	json_decref(o);
	return text;
}

static bool hash_ok(const char *h)
{
	static const char prefix[] = "$argon2id$";
	return h != NULL && strncmp(h, prefix, sizeof prefix - 1) == 0 &&
	       strnlen(h, TQK_PASSWORD_HASH_CAP) < TQK_PASSWORD_HASH_CAP;
}

/* Inside the transaction: everything but the checks done before it. */
static tqk_err add(tqk_store *s, tqk_application *a, const char *hash, tqk_time now)
{
	tqk_site site;
	tqk_err err = tqk_store_site_get(s, &site);
	if (err != TQK_OK)
		return err;
	if (strcmp(a->site, site.site) != 0)
		return TQK_E_STORE_SITE;
	int64_t taken = 0;
	err = store_int(s, "SELECT EXISTS (SELECT 1 FROM applications WHERE cert_no = ?1"
	                   " AND purged = 0)", a->cert_no, NULL, &taken);
	if (err != TQK_OK)
		return err;
	if (taken)
		return TQK_E_WALKIN_EXISTS;
	int64_t serial = 0;
	if ((err = store_int(s, "SELECT COALESCE(MAX(serial), 0) + 1 FROM walkins", NULL, NULL,
	                     &serial)) != TQK_OK)
		return err;
	if (serial > 999999)
		return TQK_E_WALKIN_SERIALS;
	if ((err = tqk_walkin_provisional(site.site, site.kiosk, (uint32_t)serial, a->reg_no)) !=
	    TQK_OK)
		return err;
	a->state = TQK_ST_SUBMITTED;
	a->rev = 0;
	a->purged = false;
	if ((err = store_app_write(s, a, true)) != TQK_OK)
		return err;

	char uuid[TQK_UUID_CAP];
	tqk_store_new_uuid(uuid);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO walkins(provisional, serial, uuid, created)"
	                                 " VALUES (?1, ?2, ?3, ?4)", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, a->reg_no);
	sqlite3_bind_int64(st, 2, serial);
	store_bind_text(st, 3, uuid);
	sqlite3_bind_int64(st, 4, now);
	if ((err = store_step_done(s, st)) != TQK_OK)
		return err;

	char mode[TQK_STORE_SETTING_CAP] = "";
	err = tqk_store_setting_get(s, TQK_STORE_MODE_SETTING, mode, sizeof mode);
	if (err != TQK_OK && err != TQK_E_STORE_NOT_FOUND)
		return err;
	char *payload = payload_of(a, hash, strcmp(mode, "demo") == 0);
	if (payload == NULL)
		return TQK_E_NOMEM;
	st = store_stmt(s, "INSERT INTO outbox(uuid, kind, payload, created, next_attempt)"
	                   " VALUES (?1, '" TQK_WALKIN_KIND "', ?2, ?3, ?3)", &err);
	if (st == NULL) {
		free(payload);
		return err;
	}
	store_bind_text(st, 1, uuid);
	sqlite3_bind_text(st, 2, payload, -1, free);
	sqlite3_bind_int64(st, 3, now);
	err = store_step_done(s, st);
	sqlite3_clear_bindings(st);
	if (err != TQK_OK)
		return err;
	char actor[2 * TQK_CODE_CAP];
	snprintf(actor, sizeof actor, "%s/walk-in", site.kiosk);
	return store_audit_add(s, now, actor, "walkin", a->reg_no, uuid);
}

tqk_err tqk_store_walkin_add(tqk_store *s, const tqk_application *a, const char *password_hash,
                             tqk_time now, char reg_no[TQK_CODE_CAP])
{
	reg_no[0] = '\0';
	if (!hash_ok(password_hash))
		return TQK_E_FIELD_VALUE;
	tqk_application copy = *a;
	/* a placeholder number for the checks: the real one comes inside */
	snprintf(copy.reg_no, sizeof copy.reg_no, "W");
	copy.state = TQK_ST_SUBMITTED;
	tqk_err err = tqk_application_check(&copy, tqk_time_date(now), NULL);
	if (err != TQK_OK)
		return err;
	if ((err = store_begin(s)) != TQK_OK)
		return err;
	err = store_end(s, add(s, &copy, password_hash, now));
	if (err == TQK_OK)
		memcpy(reg_no, copy.reg_no, TQK_CODE_CAP);
	return err;
}

tqk_err tqk_store_walkin_get(tqk_store *s, const char *reg_no, tqk_walkin_row *out)
{
	memset(out, 0, sizeof *out);
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT provisional, COALESCE(official, ''), uuid, created,"
	                                 " COALESCE(mapped_at, 0) FROM walkins"
	                                 " WHERE provisional = ?1 OR official = ?1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, reg_no);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_column_text(st, 0, out->provisional, sizeof out->provisional);
		store_column_text(st, 1, out->official, sizeof out->official);
		store_column_text(st, 2, out->uuid, sizeof out->uuid);
		out->created = sqlite3_column_int64(st, 3);
		out->mapped_at = sqlite3_column_int64(st, 4);
	} else {
		err = rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : store_err(s, rc);
	}
	sqlite3_reset(st);
	return err;
}

/*
 * The server's copy of a walk-in can come down before its number does (a
 * round whose upload reply was lost still downloads): a row under the
 * official number with the walk-in's ID and certificate numbers and
 * nothing confirmed on it is that copy, and is folded into the walk-in's
 * row, which keeps the provisional key and takes the server's data.
 */
static tqk_err fold(tqk_store *s, const char *provisional, const char *official)
{
	int64_t copy = 0;
	tqk_err err = store_int(s, "SELECT EXISTS (SELECT 1 FROM applications o JOIN applications p"
	                           " ON p.reg_no = ?1 AND o.id_number = p.id_number"
	                           " AND o.cert_no = p.cert_no WHERE o.reg_no = ?2"
	                           " AND NOT EXISTS (SELECT 1 FROM confirmations"
	                           " WHERE reg_no = ?2))", provisional, official, &copy);
	if (err != TQK_OK || !copy)
		return err;
	tqk_application a;
	if ((err = tqk_store_app_get(s, official, &a)) != TQK_OK)
		return err;
	snprintf(a.reg_no, sizeof a.reg_no, "%s", provisional);
	if ((err = store_app_write(s, &a, false)) != TQK_OK)
		return err;
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM applications WHERE reg_no = ?1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, official);
	return store_step_done(s, st);
}

/* The mapping, inside a transaction. */
static tqk_err map(tqk_store *s, const char *uuid, const char *official, tqk_time now)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT provisional, COALESCE(official, '') FROM walkins"
	                                 " WHERE uuid = ?1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, uuid);
	char provisional[TQK_CODE_CAP] = "", have[TQK_CODE_CAP] = "";
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_column_text(st, 0, provisional, sizeof provisional);
		store_column_text(st, 1, have, sizeof have);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : store_err(s, rc);
	if (have[0] != '\0')
		return strcmp(have, official) == 0 ? TQK_OK : TQK_E_STORE_CONFLICT;
	if ((err = fold(s, provisional, official)) != TQK_OK)
		return err;
	/* No other application, nor another walk-in's mapping, may hold it. */
	int64_t held = 0;
	err = store_int(s, "SELECT EXISTS (SELECT 1 FROM applications WHERE reg_no = ?1)"
	                   " OR EXISTS (SELECT 1 FROM walkins WHERE official = ?1)",
	                official, NULL, &held);
	if (err != TQK_OK)
		return err;
	if (held)
		return TQK_E_STORE_CONFLICT;
	st = store_stmt(s, "UPDATE walkins SET official = ?2, mapped_at = ?3 WHERE uuid = ?1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, uuid);
	store_bind_text(st, 2, official);
	sqlite3_bind_int64(st, 3, now);
	if ((err = store_step_done(s, st)) != TQK_OK)
		return err;
	return store_audit_add(s, now, "server", "walkin.mapped", provisional, official);
}

tqk_err tqk_store_walkin_map(tqk_store *s, const char *uuid, const char *official, tqk_time now)
{
	if (official == NULL || !tqk_code_valid(official) || tqk_walkin_is_provisional(official))
		return TQK_E_FIELD_VALUE;
	if (!sqlite3_get_autocommit(s->db))
		return map(s, uuid, official, now);
	tqk_err err = store_begin(s);
	if (err != TQK_OK)
		return err;
	return store_end(s, map(s, uuid, official, now));
}

tqk_err tqk_store_shown_number(tqk_store *s, const char *reg_no, char out[TQK_CODE_CAP])
{
	tqk_walkin_row w;
	tqk_err err = tqk_store_walkin_get(s, reg_no, &w);
	if (err == TQK_E_STORE_NOT_FOUND || (err == TQK_OK && w.official[0] == '\0')) {
		snprintf(out, TQK_CODE_CAP, "%s", reg_no);
		return TQK_OK;
	}
	if (err == TQK_OK)
		memcpy(out, w.official, TQK_CODE_CAP);
	return err;
}
