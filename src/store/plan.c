/*
 * plan.c - the county's plan for this site in the store: checked, kept only
 * when its revision is newer, and read back.
 *
 * Dates are stored as "YYYY-MM-DD" text, hours as seconds after local
 * midnight and public keys as their base64url text, so that the rows read
 * plainly in the sqlite3 shell.
 */
#include "store/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/archive.h"
#include "core/calendar.h"
#include "core/payload.h"
#include "core/text.h"
#include "core/tree.h"
#include "store/audit.h"
#include "store/internal.h"

/* True when the array text of cap bytes holds a terminated string. */
static bool fits(const char *text, size_t cap)
{
	return strnlen(text, cap) < cap;
}

/* The first of the plan's periods that is wrong: its error, TQK_OK when
 * both are valid dates in order. */
static tqk_err check_period(tqk_date start, tqk_date end)
{
	if (!tqk_date_valid(start) || !tqk_date_valid(end))
		return TQK_E_DATE_INVALID;
	return tqk_date_to_day(start) <= tqk_date_to_day(end) ? TQK_OK : TQK_E_PERIOD;
}

/* Checks p as plan.h says: TQK_OK, or the first failure. */
static tqk_err check_plan(const tqk_plan *p)
{
	if (p->rev < 0)
		return TQK_E_ARG;
	if (!fits(p->site, sizeof p->site) || !fits(p->site_name, sizeof p->site_name) ||
	    !fits(p->title, sizeof p->title) || !fits(p->county, sizeof p->county))
		return TQK_E_TOO_LONG;
	if (!tqk_code_valid(p->site))
		return TQK_E_ARG;
	if (!tqk_utf8_valid(p->site_name, strlen(p->site_name)) ||
	    !tqk_utf8_valid(p->title, strlen(p->title)))
		return TQK_E_UTF8;
	tqk_archive a = {.year = p->year, .site = p->site_no, .serial = 1};
	if (strlen(p->county) >= sizeof a.county)
		return TQK_E_ARCHIVE_COUNTY;
	memcpy(a.county, p->county, strlen(p->county) + 1);
	tqk_err err = tqk_archive_check(&a, p->width);
	if (err == TQK_OK)
		err = check_period(p->apply_start, p->apply_end);
	if (err == TQK_OK)
		err = check_period(p->confirm_start, p->confirm_end);
	if (err != TQK_OK)
		return err;
	if (p->opens < 0 || p->opens >= p->closes || p->closes > TQK_DAY_SECONDS)
		return TQK_E_HOURS;
	if (!tqk_keyset_valid(&p->keys))
		return TQK_E_FIELD_VALUE;
	if ((err = tqk_institutions_check(p->institutions, p->n_institutions)) != TQK_OK)
		return err;
	for (int i = 0; i < TQK_PLAN_TREES; i++) {
		if (p->trees[i] == NULL)
			continue;
		tqk_tree *t = NULL;
		size_t n = strnlen(p->trees[i], TQK_TREE_MAX_BYTES + 1);
		err = n > TQK_TREE_MAX_BYTES ? TQK_E_TOO_LONG : tqk_tree_parse(p->trees[i], n, &t, NULL);
		bool kind = err == TQK_OK && strcmp(tqk_tree_kind(t), tqk_plan_tree_kinds[i]) == 0;
		tqk_tree_free(t);
		if (err != TQK_OK)
			return err;
		if (!kind)
			return TQK_E_FIELD_VALUE;
	}
	const char *cal = p->calendar != NULL ? p->calendar : "";
	size_t len = strnlen(cal, TQK_API_CALENDAR_MAX + 1);
	if (len > TQK_API_CALENDAR_MAX)
		return TQK_E_TOO_LONG;
	if (len == 0)
		return TQK_OK;
	tqk_calendar *parsed = NULL;
	err = tqk_calendar_parse(cal, len, &parsed, NULL);
	tqk_calendar_free(parsed);
	return err;
}

tqk_err tqk_store_plan_rev(tqk_store *s, int64_t *rev)
{
	return store_int(s, "SELECT ifnull((SELECT rev FROM plan WHERE one = 1), -1)", NULL, NULL,
	                 rev);
}

/* Replaces the stored keys with ks, inside the caller's transaction.
 * Fails with the store's failures. */
static tqk_err write_keys(tqk_store *s, const tqk_keyset *ks)
{
	tqk_err err = store_exec(s, "DELETE FROM plan_keys");
	for (size_t i = 0; err == TQK_OK && i < ks->n; i++) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO plan_keys(kid, public, ord)"
		                                 " VALUES (?1, ?2, ?3)", &err);
		if (st == NULL)
			break;
		char pub[TQK_PUBKEY_TEXT_LEN + 1];
		tqk_pubkey_format(ks->keys[i].key, pub);
		store_bind_text(st, 1, ks->keys[i].kid);
		sqlite3_bind_text(st, 2, pub, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		err = store_step_done(s, st);
	}
	return err;
}

/* Replaces the stored institutions with p's, inside the caller's
 * transaction. */
static tqk_err write_institutions(tqk_store *s, const tqk_plan *p)
{
	tqk_err err = store_exec(s, "DELETE FROM plan_institutions");
	for (size_t i = 0; err == TQK_OK && i < p->n_institutions; i++) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO plan_institutions(name, apply_start,"
		                                 " apply_end, ord) VALUES (?1, ?2, ?3, ?4)", &err);
		if (st == NULL)
			break;
		char d[2][TQK_DATE_BUFLEN];
		tqk_date_format(p->institutions[i].apply_start, d[0]);
		tqk_date_format(p->institutions[i].apply_end, d[1]);
		store_bind_text(st, 1, p->institutions[i].name);
		sqlite3_bind_text(st, 2, d[0], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, d[1], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
		err = store_step_done(s, st);
	}
	return err;
}

/* Replaces the stored trees with p's, inside the caller's transaction. */
static tqk_err write_trees(tqk_store *s, const tqk_plan *p)
{
	tqk_err err = store_exec(s, "DELETE FROM plan_trees");
	for (int i = 0; err == TQK_OK && i < TQK_PLAN_TREES; i++) {
		if (p->trees[i] == NULL)
			continue;
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO plan_trees(kind, text) VALUES (?1, ?2)",
		                              &err);
		if (st == NULL)
			break;
		store_bind_text(st, 1, tqk_plan_tree_kinds[i]);
		store_bind_text(st, 2, p->trees[i]);
		err = store_step_done(s, st);
	}
	return err;
}

/* Writes p as the one plan row, its keys, the period-end setting and the audit row,
 * inside the caller's transaction. Fails with the store's failures. */
static tqk_err write_plan(tqk_store *s, const tqk_plan *p, tqk_time now)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s,
		"INSERT OR REPLACE INTO plan(one, rev, site, site_name, county, year, site_no, width,"
		" apply_start, apply_end, confirm_start, confirm_end, opens, closes, calendar, stored_at,"
		" title) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
		&err);
	if (st == NULL)
		return err;
	char dates[4][TQK_DATE_BUFLEN];
	tqk_date_format(p->apply_start, dates[0]);
	tqk_date_format(p->apply_end, dates[1]);
	tqk_date_format(p->confirm_start, dates[2]);
	tqk_date_format(p->confirm_end, dates[3]);
	sqlite3_bind_int64(st, 1, p->rev);
	store_bind_text(st, 2, p->site);
	store_bind_text(st, 3, p->site_name);
	store_bind_text(st, 4, p->county);
	sqlite3_bind_int(st, 5, p->year);
	sqlite3_bind_int(st, 6, p->site_no);
	sqlite3_bind_int(st, 7, p->width);
	for (int i = 0; i < 4; i++)
		store_bind_text(st, 8 + i, dates[i]);
	sqlite3_bind_int(st, 12, p->opens);
	sqlite3_bind_int(st, 13, p->closes);
	store_bind_text(st, 14, p->calendar);
	sqlite3_bind_int64(st, 15, now);
	store_bind_text(st, 16, p->title);
	err = store_step_done(s, st);
	if (err == TQK_OK)
		err = write_keys(s, &p->keys);
	if (err == TQK_OK)
		err = write_institutions(s, p);
	if (err == TQK_OK)
		err = write_trees(s, p);
	if (err == TQK_OK)
		err = store_setting_put(s, TQK_PLAN_PERIOD_END_SETTING, dates[3]);
	if (err == TQK_OK) {
		char rev[32];
		snprintf(rev, sizeof rev, "rev=%lld", (long long)p->rev);
		err = store_audit_add(s, now, "server", "plan.store", p->site, rev);
	}
	return err;
}

tqk_err tqk_store_plan_put(tqk_store *s, const tqk_plan *p, tqk_time now, bool *stored)
{
	*stored = false;
	tqk_err err = check_plan(p);
	if (err != TQK_OK)
		return err;
	if ((err = store_begin(s)) != TQK_OK)
		return err;
	tqk_site site;
	tqk_err got = tqk_store_site_get(s, &site);
	if (got == TQK_OK && strcmp(site.site, p->site) != 0)
		err = TQK_E_STORE_SITE;
	else if (got != TQK_OK && got != TQK_E_STORE_NOT_SETUP)
		err = got;
	int64_t rev = -1;
	if (err == TQK_OK)
		err = tqk_store_plan_rev(s, &rev);
	bool newer = err == TQK_OK && p->rev > rev;
	if (newer)
		err = write_plan(s, p, now);
	err = store_end(s, err);
	*stored = err == TQK_OK && newer;
	return err;
}

/* Column i, a stored "YYYY-MM-DD", into *out; TQK_E_STORE_CORRUPT (with
 * the detail set) when it is not a date. */
static tqk_err column_date(tqk_store *s, sqlite3_stmt *st, int i, tqk_date *out)
{
	const char *text = (const char *)sqlite3_column_text(st, i);
	tqk_err err = text != NULL ? tqk_date_parse(text, strlen(text), out) : TQK_E_DATE_FORMAT;
	if (err != TQK_OK) {
		snprintf(s->detail, sizeof s->detail, "plan: column %d is not a date", i);
		err = TQK_E_STORE_CORRUPT;
	}
	return err;
}

/* The stored keys, in order, into *out (zeroed first); TQK_E_STORE_CORRUPT
 * (with the detail set) for a row that does not make a valid key, or the
 * store's failures (out emptied again). */
static tqk_err read_keys(tqk_store *s, tqk_keyset *out)
{
	memset(out, 0, sizeof *out);
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT kid, public FROM plan_keys ORDER BY ord", &err);
	if (st == NULL)
		return err;
	int rc = SQLITE_DONE;
	while (err == TQK_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kid = (const char *)sqlite3_column_text(st, 0);
		const char *pub = (const char *)sqlite3_column_text(st, 1);
		uint8_t key[TQK_PUBKEY_LEN];
		if (kid == NULL || pub == NULL ||
		    tqk_pubkey_parse(pub, (size_t)sqlite3_column_bytes(st, 1), key) != TQK_OK ||
		    tqk_keyset_add(out, kid, key) != TQK_OK) {
			snprintf(s->detail, sizeof s->detail, "plan_keys: a key that does not parse");
			err = TQK_E_STORE_CORRUPT;
		}
	}
	if (err == TQK_OK && rc != SQLITE_DONE)
		err = store_err(s, rc);
	sqlite3_reset(st);
	if (err != TQK_OK)
		memset(out, 0, sizeof *out);
	return err;
}

/* The stored institutions, in order, into out; TQK_E_STORE_CORRUPT for a
 * date that does not parse. */
static tqk_err read_institutions(tqk_store *s, tqk_plan *out)
{
	out->n_institutions = 0;
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT name, apply_start, apply_end FROM plan_institutions"
	                                 " ORDER BY ord LIMIT ?1", &err);
	if (st == NULL)
		return err;
	sqlite3_bind_int(st, 1, TQK_INSTITUTIONS_MAX);
	int rc = SQLITE_DONE;
	while (err == TQK_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		tqk_institution *in = &out->institutions[out->n_institutions++];
		store_column_text(st, 0, in->name, sizeof in->name);
		err = column_date(s, st, 1, &in->apply_start);
		if (err == TQK_OK)
			err = column_date(s, st, 2, &in->apply_end);
	}
	if (err == TQK_OK && rc != SQLITE_DONE)
		err = store_err(s, rc);
	sqlite3_reset(st);
	return err;
}

/* The stored trees into out (malloc'd). */
static tqk_err read_trees(tqk_store *s, tqk_plan *out)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT kind, text FROM plan_trees", &err);
	if (st == NULL)
		return err;
	int rc = SQLITE_DONE;
	while (err == TQK_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		const char *text = (const char *)sqlite3_column_text(st, 1);
		for (int i = 0; kind != NULL && text != NULL && i < TQK_PLAN_TREES; i++)
			if (strcmp(kind, tqk_plan_tree_kinds[i]) == 0 && out->trees[i] == NULL &&
			    (out->trees[i] = strdup(text)) == NULL)
				err = TQK_E_NOMEM;
	}
	if (err == TQK_OK && rc != SQLITE_DONE)
		err = store_err(s, rc);
	sqlite3_reset(st);
	return err;
}

tqk_err tqk_store_plan_get(tqk_store *s, tqk_plan *out)
{
	memset(out, 0, sizeof *out);
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT rev, site, site_name, county, year, site_no, width, apply_start, apply_end,"
		" confirm_start, confirm_end, opens, closes, calendar, title FROM plan WHERE one = 1", &err);
	if (st == NULL)
		return err;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->rev = sqlite3_column_int64(st, 0);
		store_column_text(st, 1, out->site, sizeof out->site);
		store_column_text(st, 2, out->site_name, sizeof out->site_name);
		store_column_text(st, 3, out->county, sizeof out->county);
		out->year = sqlite3_column_int(st, 4);
		out->site_no = sqlite3_column_int(st, 5);
		out->width = sqlite3_column_int(st, 6);
		err = column_date(s, st, 7, &out->apply_start);
		if (err == TQK_OK)
			err = column_date(s, st, 8, &out->apply_end);
		if (err == TQK_OK)
			err = column_date(s, st, 9, &out->confirm_start);
		if (err == TQK_OK)
			err = column_date(s, st, 10, &out->confirm_end);
		out->opens = sqlite3_column_int(st, 11);
		out->closes = sqlite3_column_int(st, 12);
		store_column_text(st, 14, out->title, sizeof out->title);
		const char *cal = (const char *)sqlite3_column_text(st, 13);
		size_t len = cal != NULL ? (size_t)sqlite3_column_bytes(st, 13) : 0;
		if (err == TQK_OK && (out->calendar = malloc(len + 1)) == NULL)
			err = TQK_E_NOMEM;
		if (err == TQK_OK) {
			if (len > 0)
				memcpy(out->calendar, cal, len);
			out->calendar[len] = '\0';
		}
	} else {
		err = rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : store_err(s, rc);
	}
	sqlite3_reset(st);
	if (err == TQK_OK)
		err = read_keys(s, &out->keys);
	if (err == TQK_OK)
		err = read_institutions(s, out);
	if (err == TQK_OK)
		err = read_trees(s, out);
	if (err != TQK_OK)
		tqk_plan_clear(out);
	return err;
}

tqk_err tqk_store_plan_keys(tqk_store *s, tqk_keyset *out)
{
	memset(out, 0, sizeof *out);
	int64_t rev;
	tqk_err err = tqk_store_plan_rev(s, &rev);
	if (err == TQK_OK && rev < 0)
		err = TQK_E_STORE_NOT_FOUND;
	if (err == TQK_OK)
		err = read_keys(s, out);
	return err;
}
