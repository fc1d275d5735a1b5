/*
 * cmd_roster.c - tqkioskctl roster --out DIR [--title TITLE] [--db FILE]:
 * this site's rosters (花名册) as A3 workbooks (core/roster.h,
 * print/roster.h), from the applications confirmed in the local store.
 *
 * DIR must exist; the files go into DIR/<site name>/, replacing those of
 * an earlier run, all or none. Prints dir=, rows= (the teachers on the rosters),
 * schools=, files= and one file=PATH line each (--json: "files": [...]).
 * The title defaults to "<year>年教师资格定期注册申请花名册", the year of the
 * plan (else of the site's archive numbers).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "output/roster.h"
#include "print/roster.h"
#include "store/plan.h"

/* The site's code, name and year: the plan's, else the site's setup. */
static tqk_err site_facts(tqk_store *s, tqk_roster_site_name *name, int *year)
{
	tqk_plan p;
	tqk_err err = tqk_store_plan_get(s, &p);
	if (err == TQK_OK) {
		memcpy(name->code, p.site, sizeof name->code);
		memcpy(name->name, p.site_name, sizeof name->name);
		*year = p.year;
		tqk_plan_clear(&p);
		return TQK_OK;
	}
	if (err != TQK_E_STORE_NOT_FOUND)
		return err;
	tqk_site site;
	if ((err = tqk_store_site_get(s, &site)) != TQK_OK)
		return err;
	memcpy(name->code, site.site, sizeof name->code);
	snprintf(name->name, sizeof name->name, "%s", site.site);
	*year = site.year;
	return TQK_OK;
}

/* The book of rows written under dir; prints what was written. */
static tqk_err write_book(ctl *c, const tqk_roster_row *rows, size_t n, const char *dir,
                          const char *title, const tqk_roster_site_name *name, size_t *bad)
{
	tqk_roster_book *book = NULL;
	tqk_err err = tqk_roster_book_new(rows, n, &book, bad);
	if (err != TQK_OK)
		return err;
	tqk_roster_files files = {0, NULL};
	err = tqk_roster_write(book, dir, title, name, 1, &files);
	if (err == TQK_OK) {
		size_t schools = 0;
		for (size_t i = 0; i < book->n_sites; i++)
			schools += book->sites[i].n_schools;
		out_str(c, "dir", dir);
		out_int(c, "rows", (long long)book->n_rows);
		out_int(c, "schools", (long long)schools);
		out_int(c, "files", (long long)files.n);
		json_t *list = c->json ? json_array() : NULL;
		for (size_t i = 0; i < files.n; i++) {
			if (list != NULL)
				json_array_append_new(list, json_string(files.path[i]));
			else
				out_str(c, "file", files.path[i]);
		}
		if (list != NULL)
			json_object_set_new(c->obj, "files", list);
	}
	tqk_roster_files_close(&files);
	tqk_roster_book_free(book);
	return err;
}

int cmd_roster(ctl *c, int argc, char **argv)
{
	const char *db = NULL, *out = NULL, *title = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {"--out", &out}, {"--title", &title}, {NULL, NULL}};
	int rc = ctl_args(c, argc, argv, opts, NULL);
	const char *path = rc == CTL_OK ? ctl_db_path(c, db) : NULL;
	if (path == NULL)
		return CTL_USAGE;
	if (out == NULL)
		return ctl_usage(c, "--out", "请用 --out 给出已存在的目录", "give an existing directory with --out");
	tqk_store *s;
	tqk_err err = ctl_store_open(c, path, false, false, &s);
	if (err != TQK_OK)
		return ctl_exit(err);

	tqk_roster_site_name name;
	memset(&name, 0, sizeof name);
	int year = 0;
	tqk_roster_row *rows = NULL;
	size_t n = 0, bad = 0;
	err = site_facts(s, &name, &year);
	if (err == TQK_OK)
		err = tqk_output_roster_rows(s, &rows, &n);
	if (err != TQK_OK) {
		rc = ctl_store_fail(c, s, err, "roster");
		tqk_store_free(s);
		return rc;
	}
	tqk_store_free(s);
	char deftitle[128];
	snprintf(deftitle, sizeof deftitle, "%d年教师资格定期注册申请花名册", year);
	err = write_book(c, rows, n, out, title != NULL ? title : deftitle, &name, &bad);
	if (err == TQK_OK) {
		rc = CTL_OK;
	} else {
		char detail[96];
		snprintf(detail, sizeof detail, "registration %s", bad < n ? rows[bad].reg_no : "-");
		bool data = err == TQK_E_FIELD_REQUIRED || err == TQK_E_STAGE_UNKNOWN;
		rc = ctl_fail(c, err, data ? "roster" : out, data ? detail : NULL);
	}
	free(rows);
	return rc;
}
