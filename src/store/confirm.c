/*
 * confirm.c - one confirmation, one transaction: the record, its
 * corrections, the application's new state, the archive serial, the upload
 * queue entry and the audit row.
 */
#include "store/confirm.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/json.h"
#include "store/apps.h"
#include "store/audit.h"
#include "store/internal.h"

/* Marks are stored as one digit per material, in tqk_material order. */
static void marks_text(const tqk_marks *m, char out[TQK_MAT_COUNT + 1])
{
	for (int i = 0; i < TQK_MAT_COUNT; i++)
		out[i] = (char)('0' + m->mark[i]);
	out[TQK_MAT_COUNT] = '\0';
}

static void marks_read(const char *text, tqk_marks *m)
{
	size_t n = text != NULL ? strlen(text) : 0;
	for (size_t i = 0; i < TQK_MAT_COUNT; i++)
		m->mark[i] = i < n && text[i] >= '0' && text[i] <= '3' ? (tqk_mark)(text[i] - '0')
		                                                          : TQK_MARK_UNSET;
}

/*
 * Puts the corrections in the form's order (tqk_field order). The store
 * keeps them by field, not in the order given, so this is the one order in
 * which the caller's copy, the queued payload and every later read agree.
 */
static void corrections_sort(tqk_confirmation *c)
{
	size_t n = c->n_corrections < TQK_CORRECTIONS_MAX ? c->n_corrections : TQK_CORRECTIONS_MAX;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && c->corrections[j - 1].field > c->corrections[j].field; j--) {
			tqk_correction t = c->corrections[j];
			c->corrections[j] = c->corrections[j - 1];
			c->corrections[j - 1] = t;
		}
}

/* The confirmation c supersedes: it must be of the same application and
 * current. Its archive number goes to *archive_no. */
static tqk_err check_supersedes(tqk_store *s, const tqk_confirmation *c,
                                char archive_no[TQK_ARCHIVE_BUFLEN])
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT reg_no, archive_no,"
		" EXISTS (SELECT 1 FROM confirmations d WHERE d.supersedes = c.uuid)"
		" FROM confirmations c WHERE uuid = ?1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, c->supersedes);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *reg = (const char *)sqlite3_column_text(st, 0);
		if (reg == NULL || strcmp(reg, c->reg_no) != 0 || sqlite3_column_int(st, 2) != 0)
			err = TQK_E_STORE_SUPERSEDE;
		store_column_text(st, 1, archive_no, TQK_ARCHIVE_BUFLEN);
	} else {
		err = rc == SQLITE_DONE ? TQK_E_STORE_SUPERSEDE : store_err(s, rc);
	}
	sqlite3_reset(st);
	return err;
}

/* TQK_E_STORE_EXISTS when uuid names a stored record or queue entry;
 * TQK_E_STORE_CONFIRMED when reg_no is given and has a confirmation. */
static tqk_err check_new(tqk_store *s, const char *uuid, const char *reg_no)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT EXISTS (SELECT 1 FROM confirmations WHERE uuid = ?1)"
		" OR EXISTS (SELECT 1 FROM outbox WHERE uuid = ?1),"
		" EXISTS (SELECT 1 FROM confirmations WHERE reg_no = ?2)", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, uuid);
	store_bind_text(st, 2, reg_no);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		err = sqlite3_column_int(st, 0) ? TQK_E_STORE_EXISTS
		    : sqlite3_column_int(st, 1) ? TQK_E_STORE_CONFIRMED : TQK_OK;
	else
		err = store_err(s, rc);
	sqlite3_reset(st);
	return err;
}

/* The next archive serial of this kiosk's block of the site's serials,
 * formatted into c->archive_no, its value in *serial. TQK_E_STORE_SERIALS
 * once the block is used up (the counter moved, but the caller's
 * transaction rolls back), TQK_E_STORE_NOT_SETUP without a counter. */
static tqk_err allocate_serial(tqk_store *s, const tqk_site *site, tqk_confirmation *c,
                               unsigned *serial)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s,
		"UPDATE serials SET next = next + 1 WHERE site = ?1 RETURNING next - 1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, site->site);
	int rc = sqlite3_step(st);
	sqlite3_int64 next = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return rc == SQLITE_ROW ? TQK_E_STORE_INTERNAL : store_err(s, rc);
	if (next == 0)
		return TQK_E_STORE_NOT_SETUP;

	tqk_archive a = {.year = site->year, .site = site->site_no, .serial = (unsigned)next};
	memcpy(a.county, site->county, sizeof a.county);
	if (next < site->serial_first || next > site->serial_last ||
	    tqk_archive_format(&a, site->width, c->archive_no) != TQK_OK)
		return TQK_E_STORE_SERIALS;
	*serial = (unsigned)next;
	return TQK_OK;
}

static tqk_err insert_record(tqk_store *s, const tqk_confirmation *c, unsigned serial)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s,
		"INSERT INTO confirmations(uuid, supersedes, reg_no, site, kiosk, clerk, marks,"
		" police_required, conclusion, remark, message, archive_no, serial, at, time_source)"
		" VALUES (?1, NULLIF(?2, ''), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
		" NULLIF(?13, 0), ?14, ?15)", &err);
	if (st == NULL)
		return err;
	char marks[TQK_MAT_COUNT + 1];
	marks_text(&c->marks, marks);
	store_bind_text(st, 1, c->uuid);
	store_bind_text(st, 2, c->supersedes);
	store_bind_text(st, 3, c->reg_no);
	store_bind_text(st, 4, c->site);
	store_bind_text(st, 5, c->kiosk);
	store_bind_text(st, 6, c->clerk);
	store_bind_text(st, 7, marks);
	sqlite3_bind_int(st, 8, c->police_required);
	store_bind_text(st, 9, tqk_conclusion_code(c->conclusion));
	store_bind_text(st, 10, c->remark);
	store_bind_text(st, 11, c->message);
	store_bind_text(st, 12, c->archive_no);
	sqlite3_bind_int64(st, 13, serial);
	sqlite3_bind_int64(st, 14, c->at);
	store_bind_text(st, 15, tqk_time_source_code(c->time_source));
	if ((err = store_step_done(s, st)) != TQK_OK)
		return err;

	sqlite3_int64 seq = sqlite3_last_insert_rowid(s->db);
	st = store_stmt(s, "INSERT INTO corrections(seq, field, old_value, new_value)"
	                   " VALUES (?1, ?2, ?3, ?4)", &err);
	for (size_t i = 0; st != NULL && err == TQK_OK && i < c->n_corrections; i++) {
		const tqk_correction *k = &c->corrections[i];
		sqlite3_bind_int64(st, 1, seq);
		store_bind_text(st, 2, tqk_field_get_info(k->field)->code);
		store_bind_text(st, 3, k->old_value);
		store_bind_text(st, 4, k->new_value);
		err = store_step_done(s, st);
	}
	return err;
}

static tqk_err enqueue(tqk_store *s, const tqk_confirmation *c)
{
	json_t *obj = tqk_json_confirmation_encode(c);
	char *payload = obj != NULL ? tqk_json_dump(obj) : NULL;
	json_decref(obj);
	if (payload == NULL)
		return TQK_E_NOMEM;
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s,
		"INSERT INTO outbox(uuid, kind, payload, created, next_attempt)"
		" VALUES (?1, ?2, ?3, ?4, ?4)", &err);
	if (st != NULL) {
		store_bind_text(st, 1, c->uuid);
		store_bind_text(st, 2, c->supersedes[0] != '\0' ? "correction" : "confirmation");
		sqlite3_bind_text(st, 3, payload, -1, free);
		payload = NULL;
		sqlite3_bind_int64(st, 4, c->at);
		err = store_step_done(s, st);
		sqlite3_clear_bindings(st);
	}
	free(payload);
	return err;
}

/* Whether c asks for exactly what stored holds (the archive number aside:
 * the store chose it). Both encode to the same JSON then. */
static tqk_err same_record(const tqk_confirmation *stored, const tqk_confirmation *c, bool *out)
{
	tqk_confirmation asked = *c;
	memcpy(asked.archive_no, stored->archive_no, sizeof asked.archive_no);
	json_t *a = tqk_json_confirmation_encode(stored), *b = tqk_json_confirmation_encode(&asked);
	char *ja = a != NULL ? tqk_json_dump(a) : NULL, *jb = b != NULL ? tqk_json_dump(b) : NULL;
	json_decref(a);
	json_decref(b);
	tqk_err err = ja != NULL && jb != NULL ? TQK_OK : TQK_E_NOMEM;
	*out = err == TQK_OK && strcmp(ja, jb) == 0;
	free(ja);
	free(jb);
	return err;
}

/* Everything between BEGIN and COMMIT; c is the caller's copy to fill. */
static tqk_err confirm_in_txn(tqk_store *s, const tqk_site *site, tqk_confirmation *c,
                              tqk_date today)
{
	/* A retry of a confirmation that is stored already, whose first answer
	 * was lost (a crash, or an I/O error at COMMIT after the WAL frames were
	 * written): the same record is the same success; another record under
	 * its uuid is refused. */
	tqk_confirmation stored;
	tqk_err err = tqk_store_confirmation_get(s, c->uuid, &stored);
	if (err == TQK_OK) {
		bool same = false;
		if ((err = same_record(&stored, c, &same)) == TQK_OK && !same)
			err = TQK_E_STORE_EXISTS;
		if (err == TQK_OK)
			*c = stored;
		return err;
	}
	if (err != TQK_E_STORE_NOT_FOUND)
		return err;

	tqk_application app;
	if ((err = tqk_store_app_get(s, c->reg_no, &app)) != TQK_OK)
		return err;
	if (app.purged)
		return TQK_E_STORE_NOT_FOUND;
	if ((err = check_new(s, c->uuid, c->supersedes[0] == '\0' ? c->reg_no : "")) != TQK_OK)
		return err;
	c->archive_no[0] = '\0';
	if (c->supersedes[0] != '\0' && (err = check_supersedes(s, c, c->archive_no)) != TQK_OK)
		return err;

	tqk_state to = tqk_conclusion_state(c->conclusion);
	if ((err = tqk_state_transition(app.state, to, TQK_ACTOR_SITE)) != TQK_OK)
		return err;
	for (size_t i = 0; i < c->n_corrections; i++) {
		const tqk_correction *k = &c->corrections[i];
		char now[TQK_TEXT_CAP];
		tqk_field_text(&app, k->field, now, sizeof now);
		if (strcmp(now, k->old_value) != 0)
			return TQK_E_STORE_STALE;
		if ((err = tqk_field_set(&app, k->field, k->new_value, today)) != TQK_OK)
			return err;
	}
	if (strcmp(app.site, site->site) != 0)
		return TQK_E_STORE_SITE;
	app.state = to;
	memcpy(app.site_message, c->message, sizeof app.site_message);
	memcpy(app.remark, c->remark, sizeof app.remark);

	unsigned serial = 0;
	if (c->archive_no[0] == '\0' && tqk_conclusion_bagged(c->conclusion) &&
	    (err = allocate_serial(s, site, c, &serial)) != TQK_OK)
		return err;
	if ((err = insert_record(s, c, serial)) != TQK_OK ||
	    (err = c->n_corrections == 0 ? store_app_conclude(s, &app)
	                                 : store_app_write(s, &app, false)) != TQK_OK ||
	    (err = enqueue(s, c)) != TQK_OK)
		return err;

	char actor[2 * TQK_CODE_CAP], detail[TQK_AUDIT_TEXT_CAP];
	snprintf(actor, sizeof actor, "%s/%s", c->kiosk, c->clerk);
	snprintf(detail, sizeof detail, "conclusion=%s archive=%s corrections=%zu%s%s%s",
	         tqk_conclusion_code(c->conclusion), c->archive_no[0] ? c->archive_no : "-",
	         c->n_corrections, c->supersedes[0] ? " supersedes=" : "", c->supersedes,
	         c->time_source == TQK_TIME_DEMO ? " demo" : "");
	return store_audit_add(s, c->at, actor, c->supersedes[0] ? "correct" : "confirm", c->uuid,
	                       detail);
}

void tqk_store_new_uuid(char out[TQK_UUID_CAP])
{
	uint8_t random[16];
	randombytes_buf(random, sizeof random);
	tqk_uuid_format(random, out);
}

tqk_err tqk_store_confirm(tqk_store *s, tqk_confirmation *c)
{
	tqk_site site;
	tqk_err err = tqk_store_site_get(s, &site);
	if (err != TQK_OK)
		return err;
	tqk_confirmation work = *c;
	if (work.site[0] == '\0')
		memcpy(work.site, site.site, sizeof work.site);
	if (work.kiosk[0] == '\0')
		memcpy(work.kiosk, site.kiosk, sizeof work.kiosk);
	if (work.uuid[0] == '\0')
		tqk_store_new_uuid(work.uuid);
	if ((err = tqk_confirmation_check(&work, tqk_time_date(work.at), NULL)) != TQK_OK)
		return err;
	corrections_sort(&work);
	if (strcmp(work.site, site.site) != 0 || strcmp(work.kiosk, site.kiosk) != 0)
		return TQK_E_STORE_SITE;

	if ((err = store_begin(s)) != TQK_OK)
		return err;
	err = store_end(s, confirm_in_txn(s, &site, &work, tqk_time_date(work.at)));
	if (err == TQK_OK)
		*c = work;
	return err;
}

/* Reads a confirmation row selected with CONF_COLS, and its corrections. */
#define CONF_COLS "seq, uuid, ifnull(supersedes, ''), reg_no, site, kiosk, clerk, marks," \
	" police_required, conclusion, remark, message, archive_no, at, time_source"

static tqk_err read_conf(tqk_store *s, sqlite3_stmt *st, tqk_confirmation *c)
{
	memset(c, 0, sizeof *c);
	sqlite3_int64 seq = sqlite3_column_int64(st, 0);
	store_column_text(st, 1, c->uuid, sizeof c->uuid);
	store_column_text(st, 2, c->supersedes, sizeof c->supersedes);
	store_column_text(st, 3, c->reg_no, sizeof c->reg_no);
	store_column_text(st, 4, c->site, sizeof c->site);
	store_column_text(st, 5, c->kiosk, sizeof c->kiosk);
	store_column_text(st, 6, c->clerk, sizeof c->clerk);
	marks_read((const char *)sqlite3_column_text(st, 7), &c->marks);
	c->police_required = sqlite3_column_int(st, 8) != 0;
	if (tqk_conclusion_parse((const char *)sqlite3_column_text(st, 9), &c->conclusion) != TQK_OK)
		c->conclusion = TQK_CONC_NONE;
	store_column_text(st, 10, c->remark, sizeof c->remark);
	store_column_text(st, 11, c->message, sizeof c->message);
	store_column_text(st, 12, c->archive_no, sizeof c->archive_no);
	c->at = sqlite3_column_int64(st, 13);
	if (tqk_time_source_parse((const char *)sqlite3_column_text(st, 14), &c->time_source) != TQK_OK)
		c->time_source = TQK_TIME_UNSET;

	tqk_err err;
	sqlite3_stmt *k = store_stmt(s, "SELECT field, old_value, new_value FROM corrections"
	                                " WHERE seq = ?1", &err);
	if (k == NULL)
		return err;
	sqlite3_bind_int64(k, 1, seq);
	int rc;
	while ((rc = sqlite3_step(k)) == SQLITE_ROW && c->n_corrections < TQK_CORRECTIONS_MAX) {
		tqk_correction *x = &c->corrections[c->n_corrections];
		if (tqk_field_from_code((const char *)sqlite3_column_text(k, 0), &x->field) != TQK_OK)
			continue;
		store_column_text(k, 1, x->old_value, sizeof x->old_value);
		store_column_text(k, 2, x->new_value, sizeof x->new_value);
		c->n_corrections++;
	}
	sqlite3_reset(k);
	corrections_sort(c);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? TQK_OK : store_err(s, rc);
}

static tqk_err get_one(tqk_store *s, const char *sql, const char *key, tqk_confirmation *out)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, sql, &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	/* read_conf runs another statement: this one stays on its row. */
	err = rc == SQLITE_ROW ? read_conf(s, st, out)
	    : rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : store_err(s, rc);
	sqlite3_reset(st);
	return err;
}

tqk_err tqk_store_confirmation_get(tqk_store *s, const char *uuid, tqk_confirmation *out)
{
	return get_one(s, "SELECT " CONF_COLS " FROM confirmations WHERE uuid = ?1", uuid, out);
}

tqk_err tqk_store_confirmation_current(tqk_store *s, const char *reg_no, tqk_confirmation *out)
{
	return get_one(s, "SELECT " CONF_COLS " FROM confirmations c WHERE reg_no = ?1"
	                  " AND NOT EXISTS (SELECT 1 FROM confirmations d WHERE d.supersedes = c.uuid)",
	               reg_no, out);
}

tqk_err tqk_store_confirmed(tqk_store *s, char (**out)[TQK_CODE_CAP], size_t *n)
{
	*out = NULL;
	*n = 0;
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT DISTINCT c.reg_no FROM confirmations c"
	                                 " JOIN applications a ON a.reg_no = c.reg_no"
	                                 " WHERE a.purged = 0 ORDER BY c.reg_no", &err);
	if (st == NULL)
		return err;
	err = TQK_OK;
	char (*v)[TQK_CODE_CAP] = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			size_t ncap = cap == 0 ? 64 : 2 * cap;
			void *nv = realloc(v, ncap * sizeof *v);
			if (nv == NULL) {
				err = TQK_E_NOMEM;
				break;
			}
			v = nv;
			cap = ncap;
		}
		store_column_text(st, 0, v[len++], TQK_CODE_CAP);
	}
	if (err == TQK_OK && rc != SQLITE_DONE)
		err = store_err(s, rc);
	sqlite3_reset(st);
	if (err != TQK_OK) {
		free(v);
		return err;
	}
	*out = v;
	*n = len;
	return TQK_OK;
}
