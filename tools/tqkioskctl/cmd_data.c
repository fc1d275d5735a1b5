/*
 * cmd_data.c - tqkioskctl import | find | confirm: the records in the local
 * store.
 *
 * import loads the county server's download (an import file, json.h). Every
 * application is decoded and checked before anything is stored, so one bad
 * application stores nothing; then they go in by batches, the delta cursor
 * with the last batch. Should the store fail halfway (a full disk), the
 * batches before it stay and the cursor does not move: importing the file
 * again completes it, since a row is only ever replaced by a newer revision.
 *
 * find takes an ID number, a certificate number or a registration number,
 * shows the applications the store holds with their current confirmation,
 * and warns of a duplicate registration: one ID number with several
 * registration numbers (fourth text, 3).
 *
 * confirm commits one confirmation read from a JSON file (json.h), as the
 * counter would; a failure names the member at fault.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idnum.h"
#include "ctl.h"
#include "proto/json.h"
#include "store/apps.h"
#include "store/confirm.h"

#define IMPORT_BATCH 1000
#define CONFIRMATION_MAX (1u << 20)     /* bytes in a confirmation file */

/* Reads and parses the JSON file into *root. Returns the exit status. */
static int load_json(ctl *c, const char *file, size_t cap, json_t **root)
{
	char *text;
	size_t len;
	if (!ctl_read_file(c, file, cap, &text, &len))
		return CTL_USAGE;
	char detail[256];
	tqk_err err = tqk_json_parse(text, len, root, detail, sizeof detail);
	free(text);
	return err == TQK_OK ? CTL_OK : ctl_fail(c, err, file, detail);
}

/* ---- import ---- */

/* --today D: check as of D, and date the store's writes on D too (at the
 * same time of day), so that the store's own checks agree. */
static int today_opt(ctl *c, const char *value, tqk_date *today)
{
	tqk_day real = tqk_date_to_day(tqk_time_date(c->now));
	int rc = ctl_today(c, value, today);
	if (rc == CTL_OK)
		c->now += (tqk_time)(tqk_date_to_day(*today) - real) * 86400;
	return rc;
}

/* {"cursor": "..." | null, "applications": [...]}; *bad names the member
 * at fault. A null cursor keeps the stored one. */
static tqk_err import_shape(const json_t *root, const char **cursor, const json_t **list,
                            const char **bad)
{
	*bad = "import file";
	if (!json_is_object(root))
		return TQK_E_JSON_TYPE;
	const json_t *cur = json_object_get(root, "cursor");
	*bad = "cursor";
	*cursor = NULL;
	if (!json_is_null(cur)) {
		if (!json_is_string(cur) || strlen(json_string_value(cur)) != json_string_length(cur))
			return TQK_E_JSON_TYPE;
		if (json_string_length(cur) > TQK_JSON_CURSOR_MAX)
			return TQK_E_TOO_LONG;
		*cursor = json_string_value(cur);
	}
	*bad = "applications";
	*list = json_object_get(root, "applications");
	return json_is_array(*list) ? TQK_OK : TQK_E_JSON_TYPE;
}

/* Says which application is bad and why (never its values); the exit status. */
static int bad_application(ctl *c, const char *file, size_t i, const json_t *obj, tqk_err err,
                           const char *member)
{
	const char *reg = json_string_value(json_object_get(obj, "reg_no"));
	bool known = reg != NULL && tqk_code_valid(reg);
	if (member == NULL)
		member = "application";
	char subject[4200];
	snprintf(subject, sizeof subject, "%s: applications[%zu]%s%s%s: %s", file, i,
	         known ? " (reg_no " : "", known ? reg : "", known ? ")" : "", member);
	int rc = ctl_fail(c, err, subject, NULL);
	out_int(c, "index", (long long)i);
	if (known)
		out_str(c, "reg_no", reg);
	out_str(c, "member", member);
	ctl_say(c, "未导入任何记录", "nothing was imported");
	return rc;
}

/* Decodes applications [from, from + k) of list into batch. Returns the
 * exit status. */
static int decode(ctl *c, const char *file, const json_t *list, size_t from, size_t k,
                  tqk_date today, tqk_application *batch)
{
	for (size_t j = 0; j < k; j++) {
		const json_t *obj = json_array_get(list, from + j);
		const char *bad = NULL;
		tqk_err err = tqk_json_application_decode(obj, today, &batch[j], &bad);
		if (err != TQK_OK)
			return bad_application(c, file, from + j, obj, err, bad);
	}
	return CTL_OK;
}

static void add_stats(tqk_import_stats *sum, const tqk_import_stats *st)
{
	sum->inserted += st->inserted;
	sum->updated += st->updated;
	sum->unchanged += st->unchanged;
	sum->kept_state += st->kept_state;
	sum->duplicates += st->duplicates;
}

/* Stores the n applications of list in batches. Returns the exit status. */
static int store_all(ctl *c, tqk_store *s, const char *file, const json_t *list, size_t n,
                     const char *cursor, tqk_date today, tqk_application *batch,
                     tqk_import_stats *sum)
{
	size_t done = 0;
	do {        /* at least once: an empty download still moves the cursor */
		size_t k = n - done < IMPORT_BATCH ? n - done : IMPORT_BATCH;
		int rc = decode(c, file, list, done, k, today, batch);
		if (rc != CTL_OK)
			return rc;
		tqk_import_stats st;
		size_t bad = SIZE_MAX;
		tqk_err err = tqk_store_apps_put(s, batch, k, done + k == n ? cursor : NULL, c->now,
		                                 &st, &bad);
		if (err != TQK_OK && bad != SIZE_MAX)
			return bad_application(c, file, done + bad, json_array_get(list, done + bad), err,
			                       NULL);
		if (err != TQK_OK) {
			rc = ctl_store_fail(c, s, err, file);
			if (done > 0)
				fprintf(stderr, c->lang == TQK_LANG_EN
					? "the first %zu applications were stored; import the file again once "
					  "the problem is solved\n"
					: "前 %zu 份申请已保存；问题解决后重新导入同一文件即可\n", done);
			return rc;
		}
		add_stats(sum, &st);
		done += k;
	} while (done < n);
	return CTL_OK;
}

int cmd_import(ctl *c, int argc, char **argv)
{
	const char *db = NULL, *today_s = NULL, *file = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {"--today", &today_s}, {NULL, NULL}};
	int rc = ctl_args(c, argc, argv, opts, &file);
	const char *path = rc == CTL_OK ? ctl_db_path(c, db) : NULL;
	tqk_date today;
	if (path == NULL || today_opt(c, today_s, &today) != CTL_OK)
		return CTL_USAGE;
	if (file == NULL)
		return ctl_usage(c, "import", "请给出导入文件（JSON）", "give the import file (JSON)");
	json_t *root;
	if ((rc = load_json(c, file, TQK_JSON_DOC_MAX, &root)) != CTL_OK)
		return rc;

	const char *cursor = NULL, *bad = NULL;
	const json_t *list = NULL;
	tqk_err err = import_shape(root, &cursor, &list, &bad);
	tqk_application *batch = NULL;
	if (err != TQK_OK)
		rc = ctl_fail(c, err, file, bad);
	else if ((batch = malloc(IMPORT_BATCH * sizeof *batch)) == NULL)
		rc = ctl_fail(c, TQK_E_NOMEM, NULL, NULL);
	size_t n = json_array_size(list);
	/* Everything is checked before anything is stored. */
	for (size_t i = 0; rc == CTL_OK && i < n; i += IMPORT_BATCH)
		rc = decode(c, file, list, i, n - i < IMPORT_BATCH ? n - i : IMPORT_BATCH, today, batch);
	tqk_store *s = NULL;
	if (rc == CTL_OK)
		rc = ctl_exit(ctl_store_open(c, path, true, false, &s));
	tqk_import_stats sum = {0};
	if (rc == CTL_OK)
		rc = store_all(c, s, file, list, n, cursor, today, batch, &sum);
	tqk_store_free(s);
	free(batch);
	if (rc == CTL_OK) {
		out_int(c, "applications", (long long)n);
		out_int(c, "inserted", (long long)sum.inserted);
		out_int(c, "updated", (long long)sum.updated);
		out_int(c, "unchanged", (long long)sum.unchanged);
		out_int(c, "kept", (long long)sum.kept_state);
		out_int(c, "duplicates", (long long)sum.duplicates);
		if (cursor != NULL)
			out_str(c, "cursor", cursor);
		if (sum.kept_state > 0)
			fprintf(stderr, c->lang == TQK_LANG_EN
				? "%zu application(s) keep their local state until their confirmation is uploaded\n"
				: "%zu 份申请的本地确认尚未上传，暂保留本地状态\n", sum.kept_state);
		if (sum.duplicates > 0)
			fprintf(stderr, c->lang == TQK_LANG_EN
				? "warning: %zu application(s) share their ID number with another registration "
				  "number (duplicate registration); tqkioskctl find shows them\n"
				: "注意：%zu 份申请的身份证号码另有报名号（重复报名），可用 tqkioskctl find 查看\n",
				sum.duplicates);
	}
	json_decref(root);
	return rc;
}

/* ---- find ---- */

enum by { BY_ID, BY_CERT, BY_REG };
static const char *const by_code[] = {"id", "cert", "reg_no"};

/* What arg is: an ID number (15 or 18 characters), else a certificate
 * number (17 digits), else a registration number; key gets its stored form. */
static enum by classify(const char *arg, char key[TQK_CODE_CAP])
{
	size_t n = strlen(arg);
	if ((n == TQK_ID_LEN || n == TQK_ID_OLD_LEN) && tqk_id_normalize(arg, n, key) == TQK_OK)
		return BY_ID;
	snprintf(key, TQK_CODE_CAP, "%s", arg);
	return n == TQK_CERT_LEN && strspn(arg, "0123456789") == n ? BY_CERT : BY_REG;
}

/* Every application with the ID number or certificate number key, into
 * *out (caller frees), their number in *n. */
static tqk_err find_all(tqk_store *s, enum by by, const char *key, tqk_application **out,
                        size_t *n)
{
	tqk_err (*find)(tqk_store *, const char *, tqk_application *, size_t, size_t *) =
		by == BY_ID ? tqk_store_find_id : tqk_store_find_cert;
	*out = NULL;
	*n = 0;
	size_t total = 0, got = 0;
	tqk_err err = find(s, key, NULL, 0, &total);
	if (err != TQK_OK || total == 0)
		return err;
	if ((*out = calloc(total, sizeof **out)) == NULL)
		return TQK_E_NOMEM;
	err = find(s, key, *out, total, &got);
	*n = got < total ? got : total;     /* a writer may have added one meanwhile */
	return err;
}

/* One application's main fields and its current confirmation. */
static tqk_err print_app(ctl *c, tqk_store *s, const tqk_application *a)
{
	out_str(c, "reg_no", a->reg_no);
	out_str(c, "name", a->name);
	out_str(c, "id_number", a->id_number);
	out_str(c, "cert_no", a->cert_no);
	out_str(c, "state", tqk_state_code(a->state));
	out_str(c, "state_label", tqk_state_label(a->state, c->lang));
	out_str(c, "site", a->site);
	out_str(c, "school", a->school);
	if (a->purged)
		out_bool(c, "purged", true);
	tqk_confirmation k;
	tqk_err err = tqk_store_confirmation_current(s, a->reg_no, &k);
	if (err == TQK_OK) {
		out_str(c, "confirmation", k.uuid);
		out_str(c, "conclusion", tqk_conclusion_code(k.conclusion));
		out_str(c, "archive_no", k.archive_no);
	}
	return err == TQK_E_STORE_NOT_FOUND ? TQK_OK : err;
}

/* The applications one after another: as key=value lines, each starting
 * with reg_no=; with --json, an array "applications" of objects. */
static tqk_err print_apps(ctl *c, tqk_store *s, const tqk_application *apps, size_t n)
{
	json_t *list = c->json ? json_array() : NULL;
	tqk_err err = TQK_OK;
	for (size_t i = 0; i < n && err == TQK_OK; i++) {
		json_t *outer = c->obj;     /* out_* fill a fresh object for this one */
		c->obj = NULL;
		err = print_app(c, s, &apps[i]);
		if (c->json) {
			json_array_append_new(list, c->obj != NULL ? c->obj : json_object());
			c->obj = outer;
		}
	}
	if (c->json) {
		if (c->obj == NULL)
			c->obj = json_object();
		json_object_set_new(c->obj, "applications", list);
	}
	return err;
}

/* The warning for one ID number with several registration numbers. */
static void warn_duplicates(const ctl *c, const tqk_application *apps, size_t n)
{
	bool en = c->lang == TQK_LANG_EN;
	char regs[1024] = "";
	size_t len = 0;
	const char *sep = en ? ", " : "、";
	for (size_t i = 0; i < n && len < sizeof regs; i++)
		len += (size_t)snprintf(regs + len, sizeof regs - len, "%s%s", i > 0 ? sep : "",
		                        apps[i].reg_no);
	fprintf(stderr, en ? "warning: duplicate registration: this ID number has %zu registration "
	                     "numbers (%s). At confirmation choose \"not accepted\" for the ones not "
	                     "wanted and give the reason in the remark.\n"
	                   : "注意：重复报名：该身份证号码有 %zu 个报名号（%s）。确认时对不要的报名号选"
	                     "“网报未受理”，并在备注栏说明原因。\n", n, regs);
}

int cmd_find(ctl *c, int argc, char **argv)
{
	const char *db = NULL, *arg = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {NULL, NULL}};
	int rc = ctl_args(c, argc, argv, opts, &arg);
	const char *path = rc == CTL_OK ? ctl_db_path(c, db) : NULL;
	if (path == NULL)
		return CTL_USAGE;
	if (arg == NULL)
		return ctl_usage(c, "find", "请给出身份证号码、证书号码或报名号",
		                 "give an ID number, a certificate number or a registration number");
	char key[TQK_CODE_CAP];
	enum by by = classify(arg, key);
	tqk_store *s;
	tqk_err err = ctl_store_open(c, path, false, false, &s);
	if (err != TQK_OK)
		return ctl_exit(err);

	tqk_application *apps = NULL, *same_id = NULL;
	size_t n = 0, n_id = 0;
	if (by != BY_REG) {
		err = find_all(s, by, key, &apps, &n);
	} else if ((apps = malloc(sizeof *apps)) == NULL) {
		err = TQK_E_NOMEM;
	} else if ((err = tqk_store_app_get(s, key, apps)) == TQK_OK) {
		n = 1;
	} else if (err == TQK_E_STORE_NOT_FOUND) {
		err = TQK_OK;
	}
	/* A duplicate registration: the ID number has other registration numbers. */
	if (err == TQK_OK && n > 0 && !apps[0].purged && by != BY_ID)
		err = find_all(s, BY_ID, apps[0].id_number, &same_id, &n_id);

	if (err == TQK_OK) {
		out_str(c, "by", by_code[by]);
		out_int(c, "found", (long long)n);
		const tqk_application *dup = by == BY_ID ? apps : same_id;
		size_t n_dup = by == BY_ID ? n : n_id;
		if (n_dup > 1) {
			out_int(c, "duplicates", (long long)n_dup);
			warn_duplicates(c, dup, n_dup);
		}
		err = print_apps(c, s, apps, n);
	}
	if (err != TQK_OK) {
		rc = ctl_store_fail(c, s, err, "find");
	} else if (n == 0) {
		ctl_say(c, "未找到该身份证号码、证书号码或报名号的申请",
		        "no application has this ID number, certificate number or registration number");
		rc = CTL_NO;
	}
	free(apps);
	free(same_id);
	tqk_store_free(s);
	return rc;
}

/* ---- confirm ---- */

/* The member of a confirmation that a refusal of the store points at. */
static const char *store_member(tqk_err err)
{
	switch (err) {
	case TQK_E_STORE_NOT_FOUND:
		return "reg_no";
	case TQK_E_STORE_EXISTS:
		return "uuid";
	case TQK_E_STORE_CONFIRMED:
	case TQK_E_STORE_SUPERSEDE:
		return "supersedes";
	case TQK_E_STORE_STALE:
		return "corrections";
	case TQK_E_STORE_SITE:
		return "site";
	case TQK_E_STATE_UNKNOWN:
	case TQK_E_STATE_TRANSITION:
	case TQK_E_STATE_ACTOR:
		return "conclusion";
	default:
		return NULL;
	}
}

int cmd_confirm(ctl *c, int argc, char **argv)
{
	const char *db = NULL, *file = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {NULL, NULL}};
	int rc = ctl_args(c, argc, argv, opts, &file);
	const char *path = rc == CTL_OK ? ctl_db_path(c, db) : NULL;
	if (path == NULL)
		return CTL_USAGE;
	if (file == NULL)
		return ctl_usage(c, "confirm", "请给出确认记录文件（JSON）",
		                 "give the confirmation file (JSON)");
	json_t *root;
	if ((rc = load_json(c, file, CONFIRMATION_MAX, &root)) != CTL_OK)
		return rc;
	tqk_confirmation k;
	const char *member = NULL;
	tqk_err err = tqk_json_confirmation_decode(root, tqk_time_date(c->now), &k, &member);
	json_decref(root);
	tqk_store *s = NULL;
	char subject[4200];
	if (err != TQK_OK) {
		snprintf(subject, sizeof subject, "%s: %s", file, member != NULL ? member : "confirmation");
		rc = ctl_fail(c, err, subject, NULL);
	} else if ((err = ctl_store_open(c, path, true, false, &s)) != TQK_OK) {
		return ctl_exit(err);
	} else if ((err = tqk_store_confirm(s, &k)) != TQK_OK) {
		member = store_member(err);
		snprintf(subject, sizeof subject, "%s%s%s", k.reg_no, member != NULL ? ": " : "",
		         member != NULL ? member : "");
		rc = ctl_store_fail(c, s, err, subject);
		if (err == TQK_E_STORE_CONFIRMED)
			ctl_say(c, "更正时请在 supersedes 中填写当前确认记录的 uuid（tqkioskctl find 可查）",
			        "to correct it, set supersedes to the current confirmation's uuid "
			        "(tqkioskctl find shows it)");
	}
	tqk_store_free(s);
	if (err != TQK_OK) {
		if (member != NULL)
			out_str(c, "member", member);
		return rc;
	}
	out_str(c, "uuid", k.uuid);
	out_str(c, "reg_no", k.reg_no);
	if (k.supersedes[0] != '\0')
		out_str(c, "supersedes", k.supersedes);
	out_str(c, "conclusion", tqk_conclusion_code(k.conclusion));
	out_str(c, "archive_no", k.archive_no);
	tqk_state state = tqk_conclusion_state(k.conclusion);
	out_str(c, "state", tqk_state_code(state));
	out_str(c, "state_label", tqk_state_label(state, c->lang));
	return CTL_OK;
}
