/*
 * change.c - committing a teacher's change (change.h).
 */
#include "store/change.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "proto/json.h"
#include "store/apps.h"
#include "store/audit.h"
#include "store/confirm.h"

static tqk_err commit(tqk_store *s, tqk_change *c)
{
	tqk_site site;
	tqk_err err = tqk_store_site_get(s, &site);
	if (err != TQK_OK)
		return err;
	tqk_application a;
	if ((err = tqk_store_app_get(s, c->reg_no, &a)) != TQK_OK)
		return err;
	if (strcmp(a.site, site.site) != 0)
		return TQK_E_STORE_SITE;
	/* the stored key (a walk-in's provisional number) */
	snprintf(c->reg_no, sizeof c->reg_no, "%s", a.reg_no);
	snprintf(c->site, sizeof c->site, "%s", site.site);
	snprintf(c->kiosk, sizeof c->kiosk, "%s", site.kiosk);
	const char *bad = NULL;
	if ((err = tqk_change_apply(&a, c, tqk_time_date(c->at), &bad)) != TQK_OK ||
	    (err = store_app_write(s, &a, false)) != TQK_OK)
		return err;

	sqlite3_stmt *st = store_stmt(s, "INSERT INTO changes(uuid, reg_no, at) VALUES (?1, ?2, ?3)",
	                              &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, c->uuid);
	store_bind_text(st, 2, c->reg_no);
	sqlite3_bind_int64(st, 3, c->at);
	if ((err = store_step_done(s, st)) != TQK_OK)
		return sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY
		       ? TQK_E_STORE_EXISTS : err;

	json_t *o = tqk_json_change_encode(c);
	char *payload = o != NULL ? tqk_json_dump(o) : NULL;
	json_decref(o);
	if (payload == NULL)
		return TQK_E_NOMEM;
	st = store_stmt(s, "INSERT INTO outbox(uuid, kind, payload, created, next_attempt)"
	                   " VALUES (?1, '" TQK_CHANGE_KIND "', ?2, ?3, ?3)", &err);
	if (st == NULL) {
		free(payload);
		return err;
	}
	store_bind_text(st, 1, c->uuid);
	sqlite3_bind_text(st, 2, payload, -1, free);
	sqlite3_bind_int64(st, 3, c->at);
	err = store_step_done(s, st);
	sqlite3_clear_bindings(st);
	if (err != TQK_OK)
		return err;
	char actor[2 * TQK_CODE_CAP], detail[64];
	snprintf(actor, sizeof actor, "%s/teacher", site.kiosk);
	snprintf(detail, sizeof detail, "fields=%zu%s", c->n_corrections,
	         c->time_source == TQK_TIME_DEMO ? " demo" : "");
	return store_audit_add(s, c->at, actor, "change", c->reg_no, detail);
}

tqk_err tqk_store_change(tqk_store *s, tqk_change *c)
{
	if (c->uuid[0] == '\0')
		tqk_store_new_uuid(c->uuid);
	/* site and kiosk come from the store: give the check valid codes */
	tqk_change probe = *c;
	snprintf(probe.site, sizeof probe.site, "S");
	snprintf(probe.kiosk, sizeof probe.kiosk, "K");
	tqk_err err = tqk_change_check(&probe, tqk_time_date(c->at), NULL);
	if (err != TQK_OK)
		return err;
	if ((err = store_begin(s)) != TQK_OK)
		return err;
	return store_end(s, commit(s, c));
}
