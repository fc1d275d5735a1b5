/*
 * srv_roster.c - the rosters' rows from the county server's stored
 * confirmations, and `admin roster`, which writes them (srv_roster.h).
 *
 * Two passes over the records (srv_apps_confirmations, in the order
 * received): the first keeps of each record only what says which one is
 * current (its uuid, the uuid it supersedes, its application, whether it
 * is a demo's); the second decodes only the current ones, with the
 * server's copy of their application, into rows.
 */
#include "srv_roster.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/text.h"
#include "print/roster.h"
#include "proto/json.h"
#include "srv_admin.h"
#include "srv_apps.h"

/* What the first pass keeps of one record. */
typedef struct rec {
	char uuid[TQK_UUID_CAP];
	char supersedes[TQK_UUID_CAP];      /* "" when it corrects nothing */
	char reg_no[TQK_CODE_CAP];          /* its application's (official) number */
	size_t order;                       /* as received */
	bool demo;                          /* time source "demo" */
	bool superseded;                    /* another record names it */
} rec;

/* The state of a pass; the scratch values are here, not on the stack. */
typedef struct pass {
	tqk_date today;
	tqk_err err;                        /* why the pass stopped */
	char bad[TQK_CODE_CAP];             /* the application of a record that does not decode */
	tqk_confirmation c;
	tqk_application a;
	/* first pass */
	rec *recs;
	size_t n_recs, cap_recs;
	/* second pass */
	const char **sel;                   /* the current records' uuids, sorted */
	size_t n_sel;
	tqk_roster_row *rows;               /* n_sel of them */
	size_t n_rows;
} pass;

/* Records a record that does not decode; returns 1 (stop). */
static int corrupt(pass *p, const srv_conf_row *row)
{
	p->err = TQK_E_STORE_CORRUPT;
	snprintf(p->bad, sizeof p->bad, "%s", row->reg_no);
	return 1;
}

/* First pass: keeps what row says about currency. Returns 0 to go on, 1
 * (with p->err) to stop. */
static int learn(void *ctx, const srv_conf_row *row)
{
	pass *p = ctx;
	if (p->n_recs == SRV_ROSTER_RECORDS_MAX) {
		p->err = TQK_E_TOO_LONG;
		return 1;
	}
	if (p->n_recs == p->cap_recs) {
		size_t cap = p->cap_recs == 0 ? 256 : 2 * p->cap_recs;
		if (cap > SRV_ROSTER_RECORDS_MAX)
			cap = SRV_ROSTER_RECORDS_MAX;
		rec *v = realloc(p->recs, cap * sizeof *v);
		if (v == NULL) {
			p->err = TQK_E_NOMEM;
			return 1;
		}
		p->recs = v;
		p->cap_recs = cap;
	}
	const char *bad = NULL;
	if (tqk_json_confirmation_decode(row->record, p->today, &p->c, &bad) != TQK_OK)
		return corrupt(p, row);
	rec *r = &p->recs[p->n_recs];
	snprintf(r->uuid, sizeof r->uuid, "%s", row->uuid);
	snprintf(r->supersedes, sizeof r->supersedes, "%s", p->c.supersedes);
	snprintf(r->reg_no, sizeof r->reg_no, "%s", row->reg_no);
	r->order = p->n_recs;
	r->demo = p->c.time_source == TQK_TIME_DEMO;
	r->superseded = false;
	p->n_recs++;
	return 0;
}

/* Orders strings held through pointers. */
static int by_text(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Orders records by application, then as received. */
static int by_app(const void *x, const void *y)
{
	const rec *a = *(const rec *const *)x, *b = *(const rec *const *)y;
	int d = strcmp(a->reg_no, b->reg_no);
	if (d != 0)
		return d;
	return a->order < b->order ? -1 : a->order > b->order;
}

/*
 * From the first pass's records: marks the superseded ones and puts into
 * p->sel (sorted) the uuid of each application's current record - the last
 * received that nothing supersedes; should every record of an application
 * be superseded (a cycle no kiosk makes), its last received - leaving out
 * applications whose current record is a demo's unless demo. Returns
 * TQK_OK or TQK_E_NOMEM.
 */
static tqk_err choose(pass *p, bool demo)
{
	size_t n = p->n_recs;
	const char **named = calloc(n, sizeof *named);
	rec **order = calloc(n, sizeof *order);
	p->sel = calloc(n, sizeof *p->sel);
	if (named == NULL || order == NULL || p->sel == NULL) {
		free(named);
		free(order);
		return TQK_E_NOMEM;
	}
	size_t n_named = 0;
	for (size_t i = 0; i < n; i++)
		if (p->recs[i].supersedes[0] != '\0')
			named[n_named++] = p->recs[i].supersedes;
	qsort(named, n_named, sizeof *named, by_text);
	for (size_t i = 0; i < n; i++) {
		const char *key = p->recs[i].uuid;
		p->recs[i].superseded = bsearch(&key, named, n_named, sizeof *named, by_text) != NULL;
		order[i] = &p->recs[i];
	}
	qsort(order, n, sizeof *order, by_app);
	for (size_t i = 0; i < n;) {
		size_t end = i;
		const rec *current = NULL;
		while (end < n && strcmp(order[end]->reg_no, order[i]->reg_no) == 0) {
			if (!order[end]->superseded)
				current = order[end];
			end++;
		}
		if (current == NULL)
			current = order[end - 1];
		if (demo || !current->demo)
			p->sel[p->n_sel++] = current->uuid;
		i = end;
	}
	qsort(p->sel, p->n_sel, sizeof *p->sel, by_text);
	free(named);
	free(order);
	return TQK_OK;
}

/* Second pass: a current record and its application into the next row.
 * Returns 0 to go on, 1 (with p->err) to stop. */
static int gather(void *ctx, const srv_conf_row *row)
{
	pass *p = ctx;
	const char *key = row->uuid;
	if (p->n_rows == p->n_sel || bsearch(&key, p->sel, p->n_sel, sizeof *p->sel, by_text) == NULL)
		return 0;
	const char *bad = NULL;
	if (tqk_json_confirmation_decode(row->record, p->today, &p->c, &bad) != TQK_OK ||
	    tqk_json_application_decode(row->application, p->today, &p->a, &bad) != TQK_OK)
		return corrupt(p, row);
	tqk_roster_row *r = &p->rows[p->n_rows++];
	tqk_roster_row_from(&p->a, &p->c, r);
	/* The bag is the confirming site's, and so are its archive numbers. */
	snprintf(r->site, sizeof r->site, "%s", row->site);
	return 0;
}

tqk_err srv_roster_rows(srv_db *db, const char *site, bool demo, tqk_date today,
                        tqk_roster_row **rows, size_t *n, char *bad, size_t cap)
{
	*rows = NULL;
	*n = 0;
	if (bad != NULL && cap > 0)
		bad[0] = '\0';
	pass *p = calloc(1, sizeof *p);
	if (p == NULL)
		return TQK_E_NOMEM;
	p->today = today;
	tqk_err err = srv_apps_confirmations(db, site, learn, p);
	if (err == TQK_OK)
		err = p->err;
	if (err == TQK_OK && p->n_recs > 0)
		err = choose(p, demo);
	if (err == TQK_OK && p->n_sel > 0) {
		p->rows = calloc(p->n_sel, sizeof *p->rows);
		err = p->rows == NULL ? TQK_E_NOMEM : srv_apps_confirmations(db, site, gather, p);
		if (err == TQK_OK)
			err = p->err;
	}
	if (err == TQK_E_STORE_CORRUPT && bad != NULL && cap > 0)
		snprintf(bad, cap, "%s", p->bad);
	if (err == TQK_OK && p->n_rows > 0) {
		*rows = p->rows;
		*n = p->n_rows;
	} else {
		free(p->rows);
	}
	free(p->recs);
	free(p->sel);
	free(p);
	return err;
}

/* ---- admin roster ---- */

/* A read transaction (BEGIN DEFERRED): both passes see one snapshot while
 * a running server goes on writing (WAL). Ended with srv_db_end. */
static tqk_err read_begin(srv_db *db)
{
	tqk_err err;
	sqlite3_stmt *st = srv_db_stmt(db, "BEGIN DEFERRED", &err);
	return st != NULL ? srv_db_done(db, st) : err;
}

/* Prints what was written: key=value lines, or one JSON object. Returns
 * the exit status (2 when out of memory). */
static int report(cli *c, bool as_json, const char *dir, const tqk_roster_book *book,
                  const tqk_roster_files *files)
{
	size_t schools = 0;
	for (size_t i = 0; i < book->n_sites; i++)
		schools += book->sites[i].n_schools;
	if (!as_json) {
		printf("dir=%s\nsites=%zu\nrows=%zu\nschools=%zu\nfiles=%zu\n", dir, book->n_sites,
		       book->n_rows, schools, files->n);
		for (size_t i = 0; i < files->n; i++)
			printf("file=%s\n", files->path[i]);
		return CLI_OK;
	}
	json_t *list = json_array();
	for (size_t i = 0; list != NULL && i < files->n; i++)
		if (json_array_append_new(list, json_string(files->path[i])) != 0) {
			json_decref(list);
			list = NULL;
		}
	json_t *o = list == NULL ? NULL
		: json_pack("{s:s, s:I, s:I, s:I, s:o}", "dir", dir, "sites", (json_int_t)book->n_sites,
		            "rows", (json_int_t)book->n_rows, "schools", (json_int_t)schools, "files",
		            list);
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (text == NULL)
		return cli_fail(c, TQK_E_NOMEM, NULL, NULL);
	printf("%s\n", text);
	free(text);
	return CLI_OK;
}

/*
 * The names of the book's sites from the sites table into a malloc'd array
 * *names (one per site of the book, at least one element), and the year of
 * the first into *year (left alone when there is none). Returns TQK_OK,
 * TQK_E_NOMEM or the store's error.
 */
static tqk_err site_names(srv_db *db, const tqk_roster_book *book, tqk_roster_site_name **names,
                          int *year)
{
	*names = calloc(book->n_sites > 0 ? book->n_sites : 1, sizeof **names);
	if (*names == NULL)
		return TQK_E_NOMEM;
	for (size_t i = 0; i < book->n_sites; i++) {
		srv_site s;
		tqk_err err = srv_db_site_get(db, book->sites[i].code, &s);
		if (err != TQK_OK)
			return err;
		snprintf((*names)[i].code, sizeof (*names)[i].code, "%s", s.code);
		snprintf((*names)[i].name, sizeof (*names)[i].name, "%s", s.name);
		if (i == 0)
			*year = s.year;
	}
	return TQK_OK;
}

int srv_admin_roster(cli *c, srv_db *db, int argc, char **argv)
{
	const char *out = NULL, *site = NULL, *title = NULL;
	bool demo = false, as_json = false;
	const cli_opt opts[] = {
		{"--out", &out, NULL}, {"--site", &site, NULL}, {"--title", &title, NULL},
		{"--demo", NULL, &demo}, {"--json", NULL, &as_json}, {NULL, NULL, NULL},
	};
	int rc = cli_args(c, argc, argv, opts, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	if (out == NULL)
		return cli_usage(c, "--out", "请用 --out 给出已存在的目录",
		                 "give an existing directory with --out");
	if (title != NULL && (title[0] == '\0' || !tqk_utf8_valid(title, strlen(title)) ||
	                      strpbrk(title, "\r\n\t") != NULL))
		return cli_fail(c, TQK_E_FIELD_VALUE, "--title", "one line of UTF-8");
	struct stat st;
	if (stat(out, &st) != 0 || !S_ISDIR(st.st_mode)) {
		rc = cli_fail(c, TQK_E_PRINT_IO, out, NULL);
		cli_say(c, "--out 须为已存在的目录", "--out must be an existing directory");
		return rc;
	}
	int year = 0;
	tqk_err err;
	if (site != NULL) {
		srv_site s;
		if ((err = srv_db_site_get(db, site, &s)) != TQK_OK)
			return srv_admin_db_fail(c, db, err, site);
		year = s.year;
	}

	tqk_roster_row *rows = NULL;
	size_t n = 0, bad = 0;
	char which[TQK_CODE_CAP] = "";
	if ((err = read_begin(db)) == TQK_OK)
		err = srv_roster_rows(db, site, demo, tqk_time_date(c->now), &rows, &n, which,
		                      sizeof which);
	err = srv_db_end(db, err);
	if (err != TQK_OK) {
		free(rows);
		return srv_admin_db_fail(c, db, err, which[0] != '\0' ? which : "roster");
	}

	tqk_roster_book *book = NULL;
	tqk_roster_site_name *names = NULL;
	tqk_roster_files files = {0, NULL};
	char deftitle[128], detail[96];
	err = tqk_roster_book_new(rows, n, &book, &bad);
	if (err != TQK_OK) {
		snprintf(detail, sizeof detail, "registration %s", bad < n ? rows[bad].reg_no : "-");
		free(rows);
		return cli_fail(c, err, "roster", detail);
	}
	free(rows);
	int first_year = year;
	err = site_names(db, book, &names, &first_year);
	if (site == NULL)
		year = first_year;
	if (err != TQK_OK) {
		rc = srv_admin_db_fail(c, db, err, "roster");
	} else {
		snprintf(deftitle, sizeof deftitle, "%d年教师资格定期注册申请花名册", year);
		err = tqk_roster_write(book, out, title != NULL ? title : deftitle, names, book->n_sites,
		                       &files);
		rc = err == TQK_OK ? report(c, as_json, out, book, &files) : cli_fail(c, err, out, NULL);
	}
	tqk_roster_files_close(&files);
	free(names);
	tqk_roster_book_free(book);
	return rc;
}
