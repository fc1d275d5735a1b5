/*
 * apps.c - applications in the store: the download, look-ups and the
 * clerk's list.
 *
 * The columns of applications carry the tqk_field codes, in tqk_field order
 * after reg_no, so one loop over the fields binds and reads them all.
 */
#include "store/apps.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "store/audit.h"
#include "store/internal.h"

_Static_assert(TQK_F_COUNT == 19, "the column lists below name every tqk_field");

#define FIELD_COLS \
	"name, id_number, nation, cert_no, cert_name, cert_id, qualification, cert_subject," \
	" cert_authority, cert_issued, institution, site, post, post_subject, school," \
	" school_area, title, work_start, email"
#define APP_COLS "reg_no, " FIELD_COLS ", registration, state, site_message, inst_message," \
	" remark, rev, purged, payload"
enum {
	COL_FIELD0 = 1,
	COL_REGISTRATION = COL_FIELD0 + TQK_F_COUNT,
	COL_STATE, COL_SITE_MESSAGE, COL_INST_MESSAGE, COL_REMARK, COL_REV, COL_PURGED, COL_PAYLOAD
};

/* Reads a row selected with APP_COLS. */
static void read_app(sqlite3_stmt *st, tqk_application *a)
{
	memset(a, 0, sizeof *a);
	store_column_text(st, 0, a->reg_no, sizeof a->reg_no);
	for (int f = 0; f < TQK_F_COUNT; f++) {
		const char *v = (const char *)sqlite3_column_text(st, COL_FIELD0 + f);
		tqk_field_restore(a, (tqk_field)f, v != NULL ? v : "");
	}
	a->registration = (tqk_registration)sqlite3_column_int(st, COL_REGISTRATION);
	a->state = (tqk_state)sqlite3_column_int(st, COL_STATE);
	store_column_text(st, COL_SITE_MESSAGE, a->site_message, sizeof a->site_message);
	store_column_text(st, COL_INST_MESSAGE, a->inst_message, sizeof a->inst_message);
	store_column_text(st, COL_REMARK, a->remark, sizeof a->remark);
	a->rev = sqlite3_column_int64(st, COL_REV);
	a->purged = sqlite3_column_int(st, COL_PURGED) != 0;
	store_column_text(st, COL_PAYLOAD, a->payload, sizeof a->payload);
}

/* Binds a's values to parameters 1..COL_PAYLOAD + 1, in APP_COLS order. */
static void bind_app(sqlite3_stmt *st, const tqk_application *a)
{
	store_bind_text(st, 1, a->reg_no);
	for (int f = 0; f < TQK_F_COUNT; f++) {
		char text[TQK_TEXT_CAP];
		tqk_field_text(a, (tqk_field)f, text, sizeof text);
		sqlite3_bind_text(st, 1 + COL_FIELD0 + f, text, -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_int(st, 1 + COL_REGISTRATION, a->registration);
	sqlite3_bind_int(st, 1 + COL_STATE, a->state);
	store_bind_text(st, 1 + COL_SITE_MESSAGE, a->site_message);
	store_bind_text(st, 1 + COL_INST_MESSAGE, a->inst_message);
	store_bind_text(st, 1 + COL_REMARK, a->remark);
	sqlite3_bind_int64(st, 1 + COL_REV, a->rev);
	sqlite3_bind_int(st, 1 + COL_PURGED, a->purged);
	store_bind_text(st, 1 + COL_PAYLOAD, a->payload);
}

tqk_err store_app_write(tqk_store *s, const tqk_application *a, bool insert)
{
	tqk_err err;
	sqlite3_stmt *st = insert
		? store_stmt(s, "INSERT INTO applications(" APP_COLS ") VALUES (?1, ?2, ?3, ?4, ?5,"
		                " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
		                " ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)", &err)
		: store_stmt(s, "UPDATE applications SET name = ?2, id_number = ?3, nation = ?4,"
		                " cert_no = ?5, cert_name = ?6, cert_id = ?7, qualification = ?8,"
		                " cert_subject = ?9, cert_authority = ?10, cert_issued = ?11,"
		                " institution = ?12, site = ?13, post = ?14, post_subject = ?15,"
		                " school = ?16, school_area = ?17, title = ?18, work_start = ?19,"
		                " email = ?20, registration = ?21, state = ?22, site_message = ?23,"
		                " inst_message = ?24, remark = ?25, rev = ?26, purged = ?27, payload = ?28"
		                " WHERE reg_no = ?1", &err);
	if (st == NULL)
		return err;
	bind_app(st, a);
	if ((err = store_step_done(s, st)) == TQK_OK && !insert && sqlite3_changes(s->db) != 1)
		err = TQK_E_STORE_NOT_FOUND;
	return err;
}

tqk_err store_app_conclude(tqk_store *s, const tqk_application *a)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "UPDATE applications SET state = ?2, site_message = ?3,"
	                                 " remark = ?4 WHERE reg_no = ?1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, a->reg_no);
	sqlite3_bind_int(st, 2, a->state);
	store_bind_text(st, 3, a->site_message);
	store_bind_text(st, 4, a->remark);
	if ((err = store_step_done(s, st)) == TQK_OK && sqlite3_changes(s->db) != 1)
		err = TQK_E_STORE_NOT_FOUND;
	return err;
}

tqk_err tqk_store_app_get(tqk_store *s, const char *reg_no, tqk_application *out)
{
	tqk_err err;
	/* A walk-in is found by its official number too (walkin.h). */
	sqlite3_stmt *st = store_stmt(s, "SELECT " APP_COLS " FROM applications WHERE reg_no = ?1"
	                                 " OR reg_no = (SELECT provisional FROM walkins"
	                                 " WHERE official = ?1) LIMIT 1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, reg_no);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_app(st, out);
	else
		err = rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : store_err(s, rc);
	sqlite3_reset(st);
	return err;
}

tqk_err store_app_upload_waiting(tqk_store *s, const char *reg_no, int64_t *out)
{
	return store_int(s, "SELECT EXISTS (SELECT 1 FROM (SELECT uuid, reg_no FROM confirmations"
	                    " UNION ALL SELECT uuid, reg_no FROM changes) c JOIN outbox o"
	                    " ON o.uuid = c.uuid WHERE c.reg_no = ?1 AND o.state IN (0, 1))",
	                 reg_no, NULL, out);
}

/* Stores one application: inserted, replaced when newer, or left alone. */
/* a as this store keeps it: a walk-in's official number is stored under
 * its provisional one (walkin.h). */
static tqk_err local_copy(tqk_store *s, const tqk_application *a, tqk_application *out)
{
	*out = *a;
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT provisional FROM walkins WHERE official = ?1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, a->reg_no);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_column_text(st, 0, out->reg_no, sizeof out->reg_no);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? TQK_OK : store_err(s, rc);
}

static tqk_err put_one(tqk_store *s, const tqk_application *given, tqk_import_stats *stats)
{
	tqk_application local;
	tqk_err err = local_copy(s, given, &local);
	if (err != TQK_OK)
		return err;
	const tqk_application *a = &local;
	sqlite3_stmt *st = store_stmt(s, "SELECT rev FROM applications WHERE reg_no = ?1", &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, a->reg_no);
	int rc = sqlite3_step(st);
	bool exists = rc == SQLITE_ROW;
	int64_t rev = exists ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_err(s, rc);

	if (exists) {
		int64_t waiting = 0;
		if (a->rev <= rev) {
			stats->unchanged++;
			return TQK_OK;
		}
		if ((err = store_app_upload_waiting(s, a->reg_no, &waiting)) != TQK_OK)
			return err;
		if (waiting) {
			/* The server has not seen our confirmation yet; once it
			 * has, it sends the application again, newer still. */
			stats->kept_state++;
			return TQK_OK;
		}
		stats->updated++;
		return store_app_write(s, a, false);
	}
	stats->inserted++;
	return store_app_write(s, a, true);
}

/* Whether another application shares the ID number of a. */
static tqk_err is_duplicate(tqk_store *s, const tqk_application *a, int64_t *out)
{
	tqk_application local;
	tqk_err err = local_copy(s, a, &local);
	if (err != TQK_OK)
		return err;
	return store_int(s, "SELECT EXISTS (SELECT 1 FROM applications WHERE id_number = ?1"
	                    " AND reg_no <> ?2 AND purged = 0)", local.id_number, local.reg_no, out);
}

tqk_err tqk_store_apps_put(tqk_store *s, const tqk_application *apps, size_t n, const char *cursor,
                           tqk_time now, tqk_import_stats *stats, size_t *bad_index)
{
	*stats = (tqk_import_stats){0};
	tqk_date today = tqk_time_date(now);
	for (size_t i = 0; i < n; i++) {
		tqk_err err = tqk_application_check(&apps[i], today, NULL);
		if (err != TQK_OK) {
			if (bad_index != NULL)
				*bad_index = i;
			return err;
		}
	}
	if (cursor != NULL && strnlen(cursor, TQK_STORE_CURSOR_CAP) >= TQK_STORE_CURSOR_CAP)
		return TQK_E_TOO_LONG;

	tqk_err err = store_begin(s);
	if (err != TQK_OK)
		return err;
	for (size_t i = 0; i < n && err == TQK_OK; i++)
		err = put_one(s, &apps[i], stats);
	/* Counted once the whole batch is in: of two registrations of one
	 * person that arrive together, the first is a duplicate too. */
	for (size_t i = 0; i < n && err == TQK_OK; i++) {
		int64_t dup = 0;
		err = is_duplicate(s, &apps[i], &dup);
		stats->duplicates += dup;
	}
	if (err == TQK_OK && cursor != NULL)
		err = store_setting_put(s, "apps.cursor", cursor);
	if (err == TQK_OK && stats->inserted + stats->updated > 0) {
		char detail[TQK_AUDIT_TEXT_CAP];
		snprintf(detail, sizeof detail, "inserted=%zu updated=%zu unchanged=%zu kept=%zu",
		         stats->inserted, stats->updated, stats->unchanged, stats->kept_state);
		err = store_audit_add(s, now, "server",
		                      "apps.import", cursor != NULL ? cursor : "", detail);
	}
	err = store_end(s, err);
	if (err != TQK_OK)
		*stats = (tqk_import_stats){0};
	return err;
}

tqk_err tqk_store_apps_cursor(tqk_store *s, char buf[TQK_STORE_CURSOR_CAP])
{
	tqk_err err = tqk_store_setting_get(s, "apps.cursor", buf, TQK_STORE_CURSOR_CAP);
	if (err == TQK_E_STORE_NOT_FOUND) {
		buf[0] = '\0';
		return TQK_OK;
	}
	return err;
}

/* Every application where the column equals value (sql selects APP_COLS
 * with ?1 = value, ordered by reg_no). */
static tqk_err find(tqk_store *s, const char *sql, const char *value, tqk_application *out,
                    size_t cap, size_t *n)
{
	*n = 0;
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, sql, &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, value);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n < cap)
			read_app(st, &out[*n]);
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TQK_OK : store_err(s, rc);
}

tqk_err tqk_store_find_id(tqk_store *s, const char *id_number, tqk_application *out, size_t cap,
                          size_t *n)
{
	return find(s, "SELECT " APP_COLS " FROM applications WHERE id_number = ?1 AND purged = 0"
	               " ORDER BY reg_no", id_number, out, cap, n);
}

tqk_err tqk_store_find_cert(tqk_store *s, const char *cert_no, tqk_application *out, size_t cap,
                            size_t *n)
{
	return find(s, "SELECT " APP_COLS " FROM applications WHERE cert_no = ?1 AND purged = 0"
	               " ORDER BY reg_no", cert_no, out, cap, n);
}

/* ---- the clerk's list ---- */

#define ROW_COLS "reg_no, name, id_number, cert_no, school, qualification, state"
#define PAGE_FROM " FROM applications WHERE site = ?1 AND purged = 0 "
#define PAGE_LIMIT " LIMIT 51"      /* one more than a page tells whether more follow */

/*
 * Every query binds ?1 site, ?2 the last reg_no, ?3 the state (0: any),
 * ?4 the search's value or prefix (for a registration-number prefix past
 * the first page: the last reg_no, so that a deep page starts its index
 * range where the previous page ended), ?5 the first string after every
 * prefixed one, ?6 the last name.
 */
static const char sql_all[] = "SELECT " ROW_COLS PAGE_FROM
	"AND reg_no > ?2 ORDER BY reg_no" PAGE_LIMIT;
static const char sql_state[] = "SELECT " ROW_COLS PAGE_FROM
	"AND state = ?3 AND reg_no > ?2 ORDER BY reg_no" PAGE_LIMIT;
static const char sql_reg[] = "SELECT " ROW_COLS PAGE_FROM
	"AND reg_no >= ?4 AND reg_no < ?5 AND reg_no > ?2 AND (?3 = 0 OR state = ?3)"
	" ORDER BY reg_no" PAGE_LIMIT;
/* Without statistics the planner would rather walk the list in order than
 * look the ID number up and sort its few rows. */
static const char sql_id[] = "SELECT " ROW_COLS " FROM applications INDEXED BY applications_id"
	" WHERE id_number = ?4 AND site = ?1 AND purged = 0 AND reg_no > ?2"
	" AND (?3 = 0 OR state = ?3) ORDER BY reg_no" PAGE_LIMIT;
static const char sql_name[] = "SELECT " ROW_COLS PAGE_FROM
	"AND (name, reg_no) > (?6, ?2) AND name < ?5 AND (?3 = 0 OR state = ?3)"
	" ORDER BY name, reg_no" PAGE_LIMIT;

enum search_kind { SEARCH_NONE, SEARCH_ID, SEARCH_REG, SEARCH_NAME };

struct search {
	enum search_kind kind;
	char lo[TQK_NAME_CAP];          /* the exact value, or the prefix */
	char hi[TQK_NAME_CAP];          /* the first string after every prefixed one */
};

static tqk_err read_search(const char *text, struct search *out)
{
	*out = (struct search){SEARCH_NONE, "", ""};
	if (text == NULL)
		return TQK_OK;
	size_t n = strnlen(text, TQK_MSG_CAP);
	tqk_text_trim(&text, &n);
	if (n == 0)
		return TQK_OK;
	if (n >= sizeof out->lo)
		return TQK_E_TOO_LONG;
	if (!tqk_utf8_valid(text, n))
		return TQK_E_UTF8;
	memcpy(out->lo, text, n);
	out->lo[n] = '\0';
	if ((n == TQK_ID_LEN || n == TQK_ID_OLD_LEN) &&
	    tqk_id_normalize(text, n, out->lo) == TQK_OK) {
		out->kind = SEARCH_ID;
		return TQK_OK;
	}
	out->kind = tqk_code_valid(out->lo) ? SEARCH_REG : SEARCH_NAME;
	/* Every string that starts with lo sorts below lo with its last byte
	 * raised by one (UTF-8 never holds 0xff, so the byte never wraps). */
	memcpy(out->hi, out->lo, n + 1);
	out->hi[n - 1] = (char)((unsigned char)out->hi[n - 1] + 1);
	return TQK_OK;
}

static unsigned query_hash(tqk_state state, const struct search *q)
{
	unsigned h = 2166136261u;
	h = (h ^ (unsigned)state) * 16777619u;
	h = (h ^ (unsigned)q->kind) * 16777619u;
	for (const char *p = q->lo; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

tqk_err tqk_store_page(tqk_store *s, tqk_state state, const char *search, const tqk_page_key *after,
                       tqk_page *out)
{
	out->n = 0;
	out->more = false;
	if (state != TQK_ST_NONE && !tqk_state_valid(state))
		return TQK_E_STATE_UNKNOWN;
	struct search q;
	tqk_err err = read_search(search, &q);
	if (err != TQK_OK)
		return err;
	unsigned hash = query_hash(state, &q);
	if (after != NULL && after->query != hash)
		return TQK_E_ARG;
	tqk_site site;
	if ((err = tqk_store_site_get(s, &site)) != TQK_OK)
		return err;

	const char *sql = q.kind == SEARCH_ID ? sql_id : q.kind == SEARCH_REG ? sql_reg
	                : q.kind == SEARCH_NAME ? sql_name : state != TQK_ST_NONE ? sql_state : sql_all;
	sqlite3_stmt *st = store_stmt(s, sql, &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, site.site);
	store_bind_text(st, 2, after != NULL ? after->reg_no : "");
	sqlite3_bind_int(st, 3, state);
	store_bind_text(st, 4, after != NULL && q.kind == SEARCH_REG ? after->reg_no : q.lo);
	store_bind_text(st, 5, q.hi);
	/* The first page of a name search starts at (prefix, ""): the row value
	 * is then the index range's only lower bound, at any depth. */
	store_bind_text(st, 6, after != NULL ? after->key : q.lo);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == TQK_PAGE_SIZE) {
			out->more = true;
			break;
		}
		tqk_app_row *r = &out->rows[out->n++];
		store_column_text(st, 0, r->reg_no, sizeof r->reg_no);
		store_column_text(st, 1, r->name, sizeof r->name);
		store_column_text(st, 2, r->id_number, sizeof r->id_number);
		store_column_text(st, 3, r->cert_no, sizeof r->cert_no);
		store_column_text(st, 4, r->school, sizeof r->school);
		const char *qual = (const char *)sqlite3_column_text(st, 5);
		if (qual == NULL || qual[0] == '\0' || tqk_stage_parse(qual, &r->qualification) != TQK_OK)
			r->qualification = TQK_STAGE_NONE;
		r->state = (tqk_state)sqlite3_column_int(st, 6);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		out->n = 0;
		return store_err(s, rc);
	}
	if (out->more) {
		const tqk_app_row *last = &out->rows[out->n - 1];
		out->next = (tqk_page_key){.query = hash};
		memcpy(out->next.reg_no, last->reg_no, sizeof last->reg_no);
		if (q.kind == SEARCH_NAME)
			memcpy(out->next.key, last->name, sizeof last->name);
	}
	return TQK_OK;
}
