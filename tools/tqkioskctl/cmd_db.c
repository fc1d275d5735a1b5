/*
 * cmd_db.c - tqkioskctl db init | check | backup | restore, queue, audit
 * verify and purge: setting up, inspecting and looking after the kiosk's
 * local store.
 *
 * Every command takes --db PATH (default $TQK_DB). Commands that only look
 * open the store read-only, so that they never disturb a running kiosk.
 * queue --rejected lists the records the county server refused (uuid, kind,
 * attempts, last error, created; never their content), which wait for an
 * administrator's `tqkioskctl retry UUID`.
 * check exits 1 when the file is damaged (and names the newest good backup
 * with the command that restores it) or the audit chain is broken.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/archive.h"
#include "ctl.h"
#include "store/audit.h"
#include "store/backup.h"
#include "store/outbox.h"
#include "store/purge.h"

/* Removes every "--name" from argv; true when there was one. */
static bool take_flag(int *argc, char **argv, const char *name)
{
	bool found = false;
	int n = 0;
	for (int i = 0; i < *argc; i++) {
		if (strcmp(argv[i], name) == 0)
			found = true;
		else
			argv[n++] = argv[i];
	}
	*argc = n;
	return found;
}

/* Scans a command's arguments (opts must hold "--db") and finds the store's
 * path; NULL after a usage message. */
static const char *db_args(const ctl *c, int argc, char **argv, const ctl_optspec *opts,
                           const char **positional, const char *const *db)
{
	if (ctl_args(c, argc, argv, opts, positional) != CTL_OK)
		return NULL;
	return ctl_db_path(c, *db);
}

/* An integer option in [min, max], def when absent; false after a usage
 * message when malformed. */
static bool int_opt(const ctl *c, const char *name, const char *value, long min, long max,
                    long def, long *out)
{
	*out = def;
	if (value == NULL || ctl_parse_int(value, min, max, out))
		return true;
	char range[64];
	snprintf(range, sizeof range, "%s %ld..%ld", name, min, max);
	ctl_usage(c, range, "须为此范围内的整数", "must be a whole number in this range");
	return false;
}

/* Copies s into buf of cap bytes; false when it does not fit. */
static bool fits(char *buf, size_t cap, const char *s)
{
	return (size_t)snprintf(buf, cap, "%s", s) < cap;
}

/* ---- db init ---- */

static bool same_site(const tqk_site *a, const tqk_site *b)
{
	return strcmp(a->site, b->site) == 0 && strcmp(a->kiosk, b->kiosk) == 0 &&
	       strcmp(a->county, b->county) == 0 && a->year == b->year &&
	       a->site_no == b->site_no && a->width == b->width &&
	       a->serial_first == b->serial_first && a->serial_last == b->serial_last;
}

/* The largest serial of width digits (1..6): 10^width - 1. */
static unsigned width_max(int width)
{
	unsigned max = 1;
	while (width-- > 0)
		max *= 10;
	return max - 1;
}

/* Reads "A..B" (decimal serials, A >= 1) into *first and *last; false when
 * it is not of that form. Whether the block fits the width is the store's
 * check. */
static bool parse_serials(const char *text, unsigned *first, unsigned *last)
{
	const char *dots = strstr(text, "..");
	if (dots == NULL || dots == text || (size_t)(dots - text) >= 16)
		return false;
	char a[16];
	memcpy(a, text, (size_t)(dots - text));
	a[dots - text] = '\0';
	long x, y;
	if (!ctl_parse_int(a, 1, 999999, &x) || !ctl_parse_int(dots + 2, 1, 999999, &y))
		return false;
	*first = (unsigned)x;
	*last = (unsigned)y;
	return true;
}

static int db_init(ctl *c, int argc, char **argv)
{
	const char *db = NULL, *code = NULL, *kiosk = NULL, *county = NULL, *year_s = NULL;
	const char *no_s = NULL, *width_s = NULL, *serials_s = NULL;
	const ctl_optspec opts[] = {
		{"--db", &db}, {"--site", &code}, {"--kiosk", &kiosk}, {"--county", &county},
		{"--year", &year_s}, {"--site-no", &no_s}, {"--width", &width_s},
		{"--serials", &serials_s}, {NULL, NULL},
	};
	const char *path = db_args(c, argc, argv, opts, NULL, &db);
	if (path == NULL)
		return CTL_USAGE;
	if (code == NULL || kiosk == NULL || county == NULL || year_s == NULL || no_s == NULL)
		return ctl_usage(c, "db init", "需要 --site、--kiosk、--county、--year 和 --site-no",
		                 "needs --site, --kiosk, --county, --year and --site-no");
	long year, no, width;
	if (!int_opt(c, "--year", year_s, 0, 9999, 0, &year) ||
	    !int_opt(c, "--site-no", no_s, 0, 999, 0, &no) ||
	    !int_opt(c, "--width", width_s, 1, TQK_ARCHIVE_WIDTH_MAX, TQK_ARCHIVE_WIDTH_DEFAULT,
	             &width))
		return CTL_USAGE;
	tqk_site site = {.year = (int)year, .site_no = (int)no, .width = (int)width};
	if (serials_s != NULL && !parse_serials(serials_s, &site.serial_first, &site.serial_last))
		return ctl_usage(c, "--serials", "须为 起..止，如 1..499",
		                 "must be FIRST..LAST, e.g. 1..499");
	if (!fits(site.site, sizeof site.site, code) || !fits(site.kiosk, sizeof site.kiosk, kiosk))
		return ctl_fail(c, TQK_E_FIELD_VALUE, "--site / --kiosk", NULL);
	if (!fits(site.county, sizeof site.county, county))
		return ctl_fail(c, TQK_E_ARCHIVE_COUNTY, "--county", NULL);

	bool existed = access(path, F_OK) == 0;
	tqk_store *s;
	tqk_err err = ctl_store_open(c, path, true, true, &s);
	if (err != TQK_OK)
		return ctl_exit(err);
	tqk_site old;
	bool had = tqk_store_site_get(s, &old) == TQK_OK;
	/* Without --serials: the whole range for a new site; a block given
	 * earlier is kept (widening it to the whole range could make two kiosks
	 * of the site write the same archive number). */
	if (serials_s == NULL) {
		bool whole = !had || (old.serial_first == 1 && old.serial_last == width_max(old.width));
		site.serial_first = whole ? 1 : old.serial_first;
		site.serial_last = whole ? width_max(site.width) : old.serial_last;
	}
	bool same = had && same_site(&old, &site);
	if (!same && (err = tqk_store_site_set(s, &site, c->now)) != TQK_OK) {
		int rc = ctl_store_fail(c, s, err, "db init");
		if (err == TQK_E_STORE_SITE)
			ctl_say(c, "已有确认记录：确认点代码、县、年度、确认点序号和本机序号段的起点不能再改，"
			           "序号位数和序号段的终点不能减少（档案序号必须保持唯一）",
			        "confirmations exist: the site code, county, year, site number and the "
			        "start of this kiosk's serials can no longer change, nor the serial width "
			        "or the end of the serials shrink (archive numbers must stay unique)");
		tqk_store_free(s);
		return rc;
	}
	out_str(c, "db", path);
	out_bool(c, "created", !existed);
	out_bool(c, "changed", !same);
	out_int(c, "version", tqk_store_version(s));
	out_str(c, "site", site.site);
	out_str(c, "kiosk", site.kiosk);
	out_str(c, "county", site.county);
	out_int(c, "year", site.year);
	out_int(c, "site_no", site.site_no);
	out_int(c, "width", site.width);
	char block[32];
	snprintf(block, sizeof block, "%u..%u", site.serial_first, site.serial_last);
	out_str(c, "serials", block);
	tqk_store_free(s);
	return CTL_OK;
}

/* ---- what check, queue and audit verify report ---- */

/* The upload queue: one count per state under prefix + its code, and the
 * oldest pending record's time. */
static tqk_err report_queue(ctl *c, tqk_store *s, const char *prefix)
{
	tqk_outbox_counts q;
	tqk_err err = tqk_store_outbox_counts(s, &q);
	if (err != TQK_OK)
		return err;
	char key[64], when[TQK_MINUTE_BUFLEN];
	for (int st = 0; st < TQK_OUTBOX_STATES; st++) {
		snprintf(key, sizeof key, "%s%s", prefix, tqk_outbox_state_code((tqk_outbox_state)st));
		out_int(c, key, (long long)q.n[st]);
	}
	if (q.n[TQK_OUTBOX_PENDING] > 0)
		tqk_local_format(q.oldest_pending, when);
	snprintf(key, sizeof key, "%soldest_pending", prefix);
	out_str(c, key, q.n[TQK_OUTBOX_PENDING] > 0 ? when : "none");
	if (q.n[TQK_OUTBOX_REJECTED] > 0)
		fprintf(stderr, c->lang == TQK_LANG_EN
			? "warning: the county server refused %zu record(s) for good; they wait for "
			  "the administrator\n"
			: "注意：有 %zu 条记录被县服务器拒收，需要管理员处理\n", q.n[TQK_OUTBOX_REJECTED]);
	return TQK_OK;
}

/* The audit chain: audit_rows, audit=ok|broken and where it breaks.
 * Returns the exit status. */
static int report_audit(ctl *c, tqk_store *s)
{
	tqk_audit_report r;
	tqk_err err = tqk_store_audit_verify(s, &r);
	if (err != TQK_OK && err != TQK_E_STORE_AUDIT)
		return ctl_store_fail(c, s, err, "audit");
	out_int(c, "audit_rows", r.rows);
	out_str(c, "audit", err == TQK_OK ? "ok" : "broken");
	if (err == TQK_OK)
		return CTL_OK;
	out_int(c, "audit_first_bad", r.first_bad);
	out_str(c, "audit_why", r.why);
	char row[64];
	snprintf(row, sizeof row, c->lang == TQK_LANG_EN ? "audit row %lld" : "审计记录第 %lld 行",
	         (long long)r.first_bad);
	return ctl_fail(c, err, row, r.why);
}

/* ---- db check ---- */

static int db_check(ctl *c, int argc, char **argv)
{
	bool full = take_flag(&argc, argv, "--full");
	const char *db = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {NULL, NULL}};
	const char *path = db_args(c, argc, argv, opts, NULL, &db);
	if (path == NULL)
		return CTL_USAGE;
	out_str(c, "db", path);
	out_str(c, "check", full ? "full" : "quick");
	tqk_store *s;
	tqk_err err = ctl_store_open(c, path, false, false, &s);     /* runs quick_check */
	if (err != TQK_OK)
		return err == TQK_E_STORE_CORRUPT ? CTL_NO : ctl_exit(err);
	if (full && (err = tqk_store_check(s, true)) != TQK_OK) {
		int rc = ctl_store_fail(c, s, err, path);
		tqk_store_free(s);
		if (err != TQK_E_STORE_CORRUPT)
			return rc;
		ctl_offer_backup(c, path);
		return CTL_NO;
	}
	out_str(c, "result", "ok");
	out_int(c, "version", tqk_store_version(s));
	tqk_site site;
	out_str(c, "site", tqk_store_site_get(s, &site) == TQK_OK ? site.site : "none");
	tqk_store_counts n;
	int rc = CTL_OK;
	if ((err = tqk_store_count(s, &n)) != TQK_OK) {
		rc = ctl_store_fail(c, s, err, "count");
	} else {
		out_int(c, "applications", n.applications);
		out_int(c, "purged", n.purged);
		out_int(c, "confirmations", n.confirmations);
	}
	if (rc == CTL_OK && (err = report_queue(c, s, "outbox_")) != TQK_OK)
		rc = ctl_store_fail(c, s, err, "outbox");
	if (rc == CTL_OK)
		rc = report_audit(c, s);
	if (rc == CTL_OK)
		ctl_say(c, "本地数据库完好", "the local database is sound");
	tqk_store_free(s);
	return rc;
}

/* ---- db backup ---- */

static int db_backup(ctl *c, int argc, char **argv)
{
	const char *db = NULL, *dir = NULL, *keep_s = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {"--dir", &dir}, {"--keep", &keep_s}, {NULL, NULL}};
	const char *path = db_args(c, argc, argv, opts, NULL, &db);
	long keep;
	if (path == NULL || !int_opt(c, "--keep", keep_s, 1, 10000, TQK_BACKUP_KEEP_DEFAULT, &keep))
		return CTL_USAGE;
	char dir_buf[TQK_BACKUP_PATH_CAP], file[TQK_BACKUP_PATH_CAP];
	tqk_err err;
	if (dir == NULL) {
		if ((err = tqk_backup_dir_default(path, dir_buf, sizeof dir_buf)) != TQK_OK)
			return ctl_fail(c, err, path, NULL);
		dir = dir_buf;
	}
	tqk_store *s;
	if ((err = ctl_store_open(c, path, false, false, &s)) != TQK_OK)
		return ctl_exit(err);
	int rc = CTL_OK;
	if ((err = tqk_store_backup(s, dir, (int)keep, c->now, file, sizeof file)) != TQK_OK) {
		rc = ctl_store_fail(c, s, err, dir);
	} else {
		out_str(c, "backup", file);
		out_int(c, "keep", keep);
	}
	tqk_store_free(s);
	return rc;
}

/* ---- db restore ---- */

static int db_restore(ctl *c, int argc, char **argv)
{
	const char *db = NULL, *file = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {NULL, NULL}};
	const char *path = db_args(c, argc, argv, opts, &file, &db);
	if (path == NULL)
		return CTL_USAGE;
	if (file == NULL)
		return ctl_usage(c, "db restore", "请给出要恢复的备份文件", "give the backup file to restore");
	if (access(file, R_OK) != 0) {
		fprintf(stderr, "tqkioskctl: %s: %s\n", file, strerror(errno));
		return CTL_USAGE;
	}
	char damaged[TQK_BACKUP_PATH_CAP];
	tqk_err err = tqk_store_restore(path, file, c->now, damaged);
	if (err == TQK_E_STORE_CORRUPT) {   /* the backup itself */
		ctl_fail(c, err, file, NULL);
		return CTL_NO;
	}
	if (err != TQK_OK)
		return ctl_fail(c, err, path, NULL);
	out_str(c, "db", path);
	out_str(c, "restored", file);
	if (damaged[0] != '\0') {
		out_str(c, "damaged", damaged);
		fprintf(stderr, c->lang == TQK_LANG_EN ? "the damaged file was kept as %s\n"
		                                       : "损坏的文件已保留为 %s\n", damaged);
	}
	return CTL_OK;
}

int cmd_db(ctl *c, int argc, char **argv)
{
	static const struct {
		const char *name;
		ctl_command run;
	} subs[] = {
		{"init", db_init}, {"check", db_check}, {"backup", db_backup}, {"restore", db_restore},
	};
	for (size_t k = 0; argc > 0 && k < sizeof subs / sizeof subs[0]; k++)
		if (strcmp(argv[0], subs[k].name) == 0)
			return subs[k].run(c, argc - 1, argv + 1);
	return ctl_usage(c, argc > 0 ? argv[0] : "db", "应为 db init、db check、db backup 或 db restore",
	                 "takes db init, db check, db backup or db restore");
}

/* ---- queue, audit verify ---- */

/* Opens the store read-only for a command that takes only --db. */
static int look(ctl *c, int argc, char **argv, tqk_store **s)
{
	const char *db = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {NULL, NULL}};
	const char *path = db_args(c, argc, argv, opts, NULL, &db);
	if (path == NULL)
		return CTL_USAGE;
	return ctl_exit(ctl_store_open(c, path, false, false, s));
}

/* One quarantined row: uuid first, so that key=value readers can split the
 * list at each uuid=. */
static void print_rejected(ctl *c, const tqk_outbox_item *it)
{
	char when[TQK_MINUTE_BUFLEN];
	tqk_local_format(it->created, when);
	out_str(c, "uuid", it->uuid);
	out_str(c, "kind", it->kind);
	out_int(c, "attempts", it->attempts);
	out_str(c, "last_error", it->last_error);
	out_str(c, "created", when);
}

#define REJECTED_PAGE 100

/* rejected=N, then every rejected row oldest first (with --json an array
 * "records"), then a hint on stderr. */
static tqk_err list_rejected(ctl *c, tqk_store *s)
{
	tqk_outbox_counts q;
	tqk_err err = tqk_store_outbox_counts(s, &q);
	if (err != TQK_OK)
		return err;
	out_int(c, "rejected", (long long)q.n[TQK_OUTBOX_REJECTED]);
	json_t *list = c->json ? json_array() : NULL;
	tqk_outbox_item items[REJECTED_PAGE];
	char after[TQK_UUID_CAP] = "";
	bool more = true;
	while (err == TQK_OK && more) {
		size_t n = 0;
		err = tqk_store_outbox_list(s, TQK_OUTBOX_REJECTED, after, items, REJECTED_PAGE, &n,
		                            &more);
		for (size_t i = 0; err == TQK_OK && i < n; i++) {
			json_t *outer = c->obj;     /* out_* fill a fresh object for this one */
			if (c->json)
				c->obj = NULL;
			print_rejected(c, &items[i]);
			if (c->json) {
				json_array_append_new(list, c->obj != NULL ? c->obj : json_object());
				c->obj = outer;
			}
		}
		if (n > 0)
			memcpy(after, items[n - 1].uuid, sizeof after);
	}
	if (c->json) {
		if (c->obj == NULL)
			c->obj = json_object();
		json_object_set_new(c->obj, "records", list);
	}
	if (err == TQK_OK && q.n[TQK_OUTBOX_REJECTED] > 0)
		ctl_say(c, "这些记录被县服务器拒收，不会自动重传；核实原因后可用 tqkioskctl retry UUID 重新上传",
		        "the county server refused these records and they are not sent again on their "
		        "own; once the cause is settled, send one again with tqkioskctl retry UUID");
	return err;
}

int cmd_queue(ctl *c, int argc, char **argv)
{
	bool rejected = take_flag(&argc, argv, "--rejected");
	tqk_store *s;
	int rc = look(c, argc, argv, &s);
	if (rc != CTL_OK)
		return rc;
	tqk_err err = rejected ? list_rejected(c, s) : report_queue(c, s, "");
	rc = err != TQK_OK ? ctl_store_fail(c, s, err, "outbox") : CTL_OK;
	tqk_store_free(s);
	return rc;
}

int cmd_audit(ctl *c, int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "verify") != 0)
		return ctl_usage(c, argc > 0 ? argv[0] : "audit", "应为 audit verify", "takes audit verify");
	tqk_store *s;
	int rc = look(c, argc - 1, argv + 1, &s);
	if (rc != CTL_OK)
		return rc;
	rc = report_audit(c, s);
	tqk_store_free(s);
	return rc;
}

/* ---- purge ---- */

#define PERIOD_END_SETTING "plan.period_end"

/* The end of the site's confirmation period: --period-end, else the plan's
 * setting. Returns the exit status (CTL_OK when *out is set). */
static int period_end(ctl *c, tqk_store *s, const char *opt, tqk_day *out)
{
	char buf[TQK_STORE_SETTING_CAP];
	const char *text = opt, *from = "--period-end";
	tqk_err err;
	if (text == NULL) {
		err = tqk_store_setting_get(s, PERIOD_END_SETTING, buf, sizeof buf);
		if (err == TQK_E_STORE_NOT_FOUND)
			return ctl_usage(c, "purge", "不知道确认期何时结束：本地数据库中没有计划的结束日期"
			                 "（" PERIOD_END_SETTING "），请用 --period-end YYYY-MM-DD 给出",
			                 "the end of the confirmation period is unknown: the store holds no "
			                 "plan end date (" PERIOD_END_SETTING "); "
			                 "give --period-end YYYY-MM-DD");
		if (err != TQK_OK)
			return ctl_store_fail(c, s, err, PERIOD_END_SETTING);
		text = buf;
		from = PERIOD_END_SETTING;
	}
	tqk_date d;
	if ((err = tqk_date_parse(text, strlen(text), &d)) != TQK_OK) {
		ctl_error(c, err, from);
		return opt != NULL ? CTL_USAGE : CTL_NO;
	}
	*out = tqk_date_to_day(d);
	return CTL_OK;
}

int cmd_purge(ctl *c, int argc, char **argv)
{
	const char *db = NULL, *end_s = NULL, *days_s = NULL;
	const ctl_optspec opts[] = {
		{"--db", &db}, {"--period-end", &end_s}, {"--retention", &days_s}, {NULL, NULL},
	};
	const char *path = db_args(c, argc, argv, opts, NULL, &db);
	long days;
	if (path == NULL ||
	    !int_opt(c, "--retention", days_s, 0, 3650, TQK_RETENTION_DAYS_DEFAULT, &days))
		return CTL_USAGE;
	tqk_store *s;
	tqk_err err = ctl_store_open(c, path, true, false, &s);
	if (err != TQK_OK)
		return ctl_exit(err);
	tqk_day end = 0;
	int rc = period_end(c, s, end_s, &end);
	tqk_purge_stats st;
	tqk_day today = tqk_date_to_day(tqk_time_date(c->now));
	if (rc == CTL_OK && (err = tqk_store_purge(s, end, (int)days, today, c->now, &st)) != TQK_OK)
		rc = ctl_store_fail(c, s, err, "purge");
	tqk_store_free(s);
	if (rc != CTL_OK)
		return rc;

	bool en = c->lang == TQK_LANG_EN;
	char end_text[TQK_DATE_BUFLEN], due[TQK_DATE_BUFLEN];
	tqk_date_format(tqk_day_to_date(end), end_text);
	tqk_date_format(tqk_day_to_date(st.due), due);
	out_str(c, "period_end", end_text);
	out_int(c, "retention", days);
	out_str(c, "due", due);
	out_bool(c, "purged", today >= st.due);
	if (today < st.due) {
		fprintf(stderr, en ? "not due yet: personal data can be purged from %s\n"
		                   : "尚未到期：%s 起才能清除个人信息\n", due);
		return CTL_OK;
	}
	out_int(c, "applications", (long long)st.applications);
	out_int(c, "confirmations", (long long)st.confirmations);
	out_int(c, "held", (long long)st.held);
	fprintf(stderr, en ? "personal data removed from %zu application(s) and %zu confirmation(s)\n"
	                   : "已清除 %zu 份申请和 %zu 条确认记录中的个人信息\n",
	        st.applications, st.confirmations);
	if (st.held > 0)
		fprintf(stderr, en ? "%zu application(s) kept: their records are not yet acknowledged by "
		                     "the county server\n"
		                   : "%zu 份申请暂未清除：其记录尚未被县服务器确认接收\n", st.held);
	return CTL_OK;
}
