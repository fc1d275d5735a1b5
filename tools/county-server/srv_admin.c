/*
 * srv_admin.c - `tq-county admin --db FILE ...`: the institution's
 * commands. Each command that changes something runs in one transaction:
 * it happens whole or not at all. The rosters (`roster`) are srv_roster.h's.
 */
#include "srv_admin.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/archive.h"
#include "core/calendar.h"
#include "core/state.h"
#include "core/text.h"
#include "core/tree.h"
#include "proto/json.h"
#include "proto/sign.h"
#include "srv_apps.h"
#include "srv_db.h"
#include "srv_demo.h"
#include "srv_payload.h"
#include "srv_roster.h"

typedef int (*admin_cmd)(cli *c, srv_db *db, int argc, char **argv);

int srv_admin_db_fail(cli *c, srv_db *db, tqk_err err, const char *subject)
{
	bool store = err >= TQK_E_STORE_OPEN && err <= TQK_E_STORE_INTERNAL;
	return cli_fail(c, err, subject, store ? srv_db_detail(db) : NULL);
}

/* A required option that is missing: a usage error. */
static int missing(cli *c, const char *name)
{
	return cli_usage(c, name, "缺少此选项", "this option is required");
}

/* ---- site add ---- */

/* `site add`: a site and its archive parts; the same values again change
 * nothing. Returns the exit status: 1 for bad values or other values under
 * a taken code (store.exists), 2 for usage. */
static int site_add(cli *c, srv_db *db, int argc, char **argv)
{
	const char *code = NULL, *name = NULL, *county = NULL, *year = NULL, *no = NULL, *width = NULL;
	const cli_opt opts[] = {
		{"--site", &code, NULL}, {"--name", &name, NULL}, {"--county", &county, NULL},
		{"--year", &year, NULL}, {"--site-no", &no, NULL}, {"--width", &width, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_args(c, argc, argv, opts, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	const char *need[] = {code, name, county, year, no};
	const char *names[] = {"--site", "--name", "--county", "--year", "--site-no"};
	for (int i = 0; i < 5; i++)
		if (need[i] == NULL)
			return missing(c, names[i]);
	srv_site s;
	memset(&s, 0, sizeof s);
	long y, n, w = TQK_ARCHIVE_WIDTH_DEFAULT;
	if (!tqk_code_valid(code))
		return cli_fail(c, TQK_E_FIELD_VALUE, "--site", NULL);
	size_t nlen = strlen(name);
	if (nlen == 0 || nlen >= sizeof s.name || !tqk_utf8_valid(name, nlen) ||
	    tqk_text_blank(name, nlen))
		return cli_fail(c, nlen >= sizeof s.name ? TQK_E_TOO_LONG : TQK_E_FIELD_VALUE, "--name",
		                NULL);
	if (strlen(county) >= sizeof s.county)
		return cli_fail(c, TQK_E_ARCHIVE_COUNTY, "--county", NULL);
	if (!cli_int(year, 0, 9999, &y))
		return cli_fail(c, TQK_E_ARCHIVE_YEAR, "--year", NULL);
	if (!cli_int(no, 0, 999, &n))
		return cli_fail(c, TQK_E_ARCHIVE_SITE, "--site-no", NULL);
	if (width != NULL && !cli_int(width, 0, 99, &w))
		return cli_fail(c, TQK_E_ARCHIVE_WIDTH, "--width", NULL);
	tqk_archive a = {.year = (int)y, .site = (int)n, .serial = 1};
	snprintf(a.county, sizeof a.county, "%s", county);
	tqk_err err = tqk_archive_check(&a, (int)w);
	if (err != TQK_OK)
		return cli_fail(c, err, NULL, NULL);
	snprintf(s.code, sizeof s.code, "%s", code);
	snprintf(s.name, sizeof s.name, "%s", name);
	snprintf(s.county, sizeof s.county, "%s", county);
	s.year = (int)y;
	s.site_no = (int)n;
	s.width = (int)w;

	srv_site old;
	bool created = false;
	if ((err = srv_db_begin(db)) == TQK_OK) {
		err = srv_db_site_get(db, code, &old);
		if (err == TQK_E_STORE_NOT_FOUND) {
			err = srv_db_site_add(db, &s);
			created = true;
		} else if (err == TQK_OK && (strcmp(old.name, s.name) != 0 ||
		                             strcmp(old.county, s.county) != 0 || old.year != s.year ||
		                             old.site_no != s.site_no || old.width != s.width)) {
			err = TQK_E_STORE_EXISTS;
		}
		err = srv_db_end(db, err);
	}
	if (err == TQK_E_STORE_EXISTS) {
		cli_fail(c, err, code, NULL);
		cli_say(c, "该确认点代码已存在，或其县代码、年度、确认点序号已被另一确认点使用",
		        "the site code exists with other values, or another site has this county, year"
		        " and site number");
		return CLI_NO;
	}
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, code);
	printf("site=%s\ncreated=%s\n", s.code, created ? "true" : "false");
	return CLI_OK;
}

/* ---- kiosk add / disable ---- */

/* "A..B": archive serials with 1 <= A <= B (the site's width bounds B). */
static bool parse_serials(const char *s, unsigned *lo, unsigned *hi)
{
	const char *dots = strstr(s, "..");
	char a[16];
	long x, y;
	if (dots == NULL || (size_t)(dots - s) >= sizeof a)
		return false;
	memcpy(a, s, (size_t)(dots - s));
	a[dots - s] = '\0';
	if (!cli_int(a, 1, 999999, &x) || !cli_int(dots + 2, 1, 999999, &y) || x > y)
		return false;
	*lo = (unsigned)x;
	*hi = (unsigned)y;
	return true;
}

/* `kiosk add`: a kiosk with a fresh random 32-byte secret, printed once,
 * and the block of archive serials it may use (--serials A..B, within the
 * site's width) when given. Returns the exit status: 1 for a taken id, an
 * unknown site or serials the site's numbers cannot hold. */
static int kiosk_add(cli *c, srv_db *db, int argc, char **argv)
{
	const char *site = NULL, *id = NULL, *serials = NULL;
	const cli_opt opts[] = {{"--site", &site, NULL}, {"--kiosk", &id, NULL},
	                        {"--serials", &serials, NULL}, {NULL, NULL, NULL}};
	int rc = cli_args(c, argc, argv, opts, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	if (site == NULL)
		return missing(c, "--site");
	if (id == NULL)
		return missing(c, "--kiosk");
	if (!tqk_code_valid(id))
		return cli_fail(c, TQK_E_FIELD_VALUE, "--kiosk", NULL);
	srv_kiosk k;
	memset(&k, 0, sizeof k);
	if (serials != NULL && !parse_serials(serials, &k.serial_lo, &k.serial_hi))
		return cli_fail(c, TQK_E_ARCHIVE_SERIAL, "--serials", "A..B, 1 <= A <= B");
	snprintf(k.id, sizeof k.id, "%s", id);
	snprintf(k.site, sizeof k.site, "%s", site);
	randombytes_buf(k.secret, sizeof k.secret);
	srv_site s;
	bool too_wide = false;
	tqk_err err = srv_db_begin(db);
	if (err == TQK_OK) {
		err = srv_db_site_get(db, site, &s);
		if (err == TQK_OK && k.serial_hi != 0) {
			unsigned max = 1;
			for (int i = 0; i < s.width; i++)
				max *= 10;
			too_wide = k.serial_hi > max - 1;
		}
		if (err == TQK_OK && !too_wide)
			err = srv_db_kiosk_add(db, &k);
		err = srv_db_end(db, too_wide ? TQK_E_ARCHIVE_SERIAL : err);
	}
	if (err != TQK_OK) {
		sodium_memzero(k.secret, sizeof k.secret);
		if (too_wide) {
			char why[64];
			snprintf(why, sizeof why, "site %s has %d-digit serials", site, s.width);
			return cli_fail(c, err, "--serials", why);
		}
		return srv_admin_db_fail(c, db, err, err == TQK_E_STORE_NOT_FOUND ? site : id);
	}
	char hex[TQK_SIGN_KEY_HEX];
	tqk_hex_encode(k.secret, sizeof k.secret, hex);
	printf("kiosk=%s\nsite=%s\nsecret=%s\n", k.id, k.site, hex);
	if (k.serial_hi != 0)
		printf("serials=%u..%u\n", k.serial_lo, k.serial_hi);
	sodium_memzero(k.secret, sizeof k.secret);
	sodium_memzero(hex, sizeof hex);
	cli_say(c, "密钥只显示这一次：请写入自助机的 kiosk.conf（[kiosk] secret =），文件权限 0600",
	        "the secret is shown this once: put it in the kiosk's kiosk.conf ([kiosk] secret =),"
	        " mode 0600");
	if (k.serial_hi != 0)
		cli_say(c, "请用 tqkioskctl db init --serials 把同一档案序号段交给该自助机",
		        "give the kiosk the same serials with tqkioskctl db init --serials");
	return CLI_OK;
}

/* `kiosk disable`: the kiosk's requests are refused from now on. Returns the
 * exit status; store.not_found (1) for an unknown kiosk. */
static int kiosk_disable(cli *c, srv_db *db, int argc, char **argv)
{
	const char *id = NULL;
	const cli_opt opts[] = {{"--kiosk", &id, NULL}, {NULL, NULL, NULL}};
	int rc = cli_args(c, argc, argv, opts, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	if (id == NULL)
		return missing(c, "--kiosk");
	tqk_err err = srv_db_begin(db);
	if (err == TQK_OK)
		err = srv_db_end(db, srv_db_kiosk_disable(db, id));
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, id);
	printf("kiosk=%s\nactive=false\n", id);
	return CLI_OK;
}

/* ---- clerk add ---- */

/* 4 to 8 ASCII digits. */
static bool pin_valid(const char *pin)
{
	size_t n = strlen(pin);
	if (n < 4 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return false;
	return true;
}

/* `clerk add`: the clerk with the PIN hashed (argon2id). Returns the exit
 * status: 1 for a bad id, name or PIN or an unknown site, 2 for usage. */
static int clerk_add(cli *c, srv_db *db, int argc, char **argv)
{
	const char *site = NULL, *id = NULL, *name = NULL, *pin_opt = NULL;
	const cli_opt opts[] = {
		{"--site", &site, NULL}, {"--clerk", &id, NULL}, {"--name", &name, NULL},
		{"--pin", &pin_opt, NULL}, {NULL, NULL, NULL},
	};
	int rc = cli_args(c, argc, argv, opts, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	if (site == NULL)
		return missing(c, "--site");
	if (id == NULL)
		return missing(c, "--clerk");
	if (name == NULL)
		return missing(c, "--name");
	tqk_clerk k;
	memset(&k, 0, sizeof k);
	size_t nlen = strlen(name);
	if (!tqk_code_valid(id))
		return cli_fail(c, TQK_E_FIELD_VALUE, "--clerk", NULL);
	if (nlen == 0 || nlen >= sizeof k.name || !tqk_utf8_valid(name, nlen) ||
	    tqk_text_blank(name, nlen))
		return cli_fail(c, nlen >= sizeof k.name ? TQK_E_TOO_LONG : TQK_E_FIELD_VALUE, "--name",
		                NULL);
	char pin[16] = "";
	if (pin_opt != NULL) {
		if (strlen(pin_opt) >= sizeof pin)
			return cli_fail(c, TQK_E_FIELD_VALUE, "--pin", NULL);
		snprintf(pin, sizeof pin, "%s", pin_opt);
	} else if (fgets(pin, sizeof pin, stdin) != NULL) {
		pin[strcspn(pin, "\r\n")] = '\0';
	}
	if (!pin_valid(pin)) {
		sodium_memzero(pin, sizeof pin);
		cli_fail(c, TQK_E_FIELD_VALUE, "PIN", NULL);
		cli_say(c, "PIN 应为 4 至 8 位数字（--pin 或标准输入的一行）",
		        "the PIN is 4 to 8 digits (--pin, or one line on stdin)");
		return CLI_NO;
	}
	snprintf(k.id, sizeof k.id, "%s", id);
	snprintf(k.name, sizeof k.name, "%s", name);
	k.active = true;
	int hashed = crypto_pwhash_str(k.pin_hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sodium_memzero(pin, sizeof pin);
	if (hashed != 0)
		return cli_fail(c, TQK_E_NOMEM, "argon2id", NULL);
	tqk_err err = srv_db_begin(db);
	if (err == TQK_OK)
		err = srv_db_end(db, srv_db_clerk_put(db, site, &k));
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, site);
	printf("clerk=%s\nsite=%s\n", k.id, site);
	return CLI_OK;
}

/* ---- plan set ---- */

/* "YYYY-MM-DD..YYYY-MM-DD" with start <= end. */
static bool parse_range(const char *s, tqk_date *from, tqk_date *to)
{
	const char *dots = strstr(s, "..");
	return dots != NULL && tqk_date_parse(s, (size_t)(dots - s), from) == TQK_OK &&
	       tqk_date_parse(dots + 2, strlen(dots + 2), to) == TQK_OK &&
	       tqk_date_to_day(*from) <= tqk_date_to_day(*to);
}

/* "NAME=YYYY-MM-DD..YYYY-MM-DD;NAME=..." into p's institutions, checked
 * with tqk_institutions_check. */
static tqk_err parse_institutions(const char *s, tqk_plan *p)
{
	p->n_institutions = 0;
	while (*s != '\0') {
		const char *end = strchr(s, ';');
		size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
		const char *eq = memchr(s, '=', len);
		if (p->n_institutions == TQK_INSTITUTIONS_MAX)
			return TQK_E_TOO_LONG;
		tqk_institution *in = &p->institutions[p->n_institutions];
		char range[2 * TQK_DATE_BUFLEN + 4];
		size_t nlen = eq != NULL ? (size_t)(eq - s) : 0, rlen = eq != NULL ? len - nlen - 1 : 0;
		if (eq == NULL || nlen >= sizeof in->name || rlen >= sizeof range)
			return TQK_E_FIELD_VALUE;
		memcpy(in->name, s, nlen);
		in->name[nlen] = '\0';
		memcpy(range, eq + 1, rlen);
		range[rlen] = '\0';
		if (!parse_range(range, &in->apply_start, &in->apply_end))
			return TQK_E_PERIOD;
		p->n_institutions++;
		s += len + (end != NULL);
	}
	return tqk_institutions_check(p->institutions, p->n_institutions);
}

/* `plan set`: the site's plan with its calendar (checked by parsing it).
 * Returns the exit status: 1 for bad dates, hours, calendar or site, 2 for
 * usage or an unreadable calendar file. */
static int plan_set(cli *c, srv_db *db, int argc, char **argv)
{
	const char *site = NULL, *apply = NULL, *confirm = NULL, *hours = "08:30-17:30", *cal = NULL;
	const char *insts = NULL, *title = "";
	const cli_opt opts[] = {
		{"--site", &site, NULL}, {"--apply", &apply, NULL}, {"--confirm", &confirm, NULL},
		{"--hours", &hours, NULL}, {"--calendar", &cal, NULL},
		{"--institutions", &insts, NULL}, {"--title", &title, NULL}, {NULL, NULL, NULL},
	};
	int rc = cli_args(c, argc, argv, opts, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	if (site == NULL)
		return missing(c, "--site");
	if (apply == NULL)
		return missing(c, "--apply");
	if (confirm == NULL)
		return missing(c, "--confirm");
	tqk_plan p;
	memset(&p, 0, sizeof p);
	if (!parse_range(apply, &p.apply_start, &p.apply_end))
		return cli_fail(c, TQK_E_PERIOD, "--apply", "YYYY-MM-DD..YYYY-MM-DD");
	if (!parse_range(confirm, &p.confirm_start, &p.confirm_end))
		return cli_fail(c, TQK_E_PERIOD, "--confirm", "YYYY-MM-DD..YYYY-MM-DD");
	const char *dash = strchr(hours, '-');
	if (dash == NULL || tqk_clock_parse(hours, (size_t)(dash - hours), &p.opens) != TQK_OK ||
	    tqk_clock_parse(dash + 1, strlen(dash + 1), &p.closes) != TQK_OK || p.opens >= p.closes)
		return cli_fail(c, TQK_E_HOURS, "--hours", "HH:MM-HH:MM");
	tqk_err err = insts != NULL ? parse_institutions(insts, &p) : TQK_OK;
	if (err != TQK_OK)
		return cli_fail(c, err, "--institutions", "NAME=YYYY-MM-DD..YYYY-MM-DD;...");
	if (strlen(title) >= sizeof p.title || !tqk_utf8_valid(title, strlen(title)) ||
	    strpbrk(title, "\r\n\t") != NULL)
		return cli_fail(c, TQK_E_FIELD_VALUE, "--title", "one line of at most 256 bytes, e.g. 2026、长沙");
	memcpy(p.title, title, strlen(title) + 1);

	char path[4096];
	if (cal == NULL) {
		if (!cli_asset_path("calendar/cn.cal", path, sizeof path))
			return cli_usage(c, "--calendar", "找不到 calendar/cn.cal，请用 --calendar 给出",
			                 "calendar/cn.cal not found: give --calendar FILE");
		cal = path;
	}
	size_t len;
	if (!cli_read_file(c, cal, TQK_API_CALENDAR_MAX, &p.calendar, &len))
		return CLI_USAGE;
	tqk_calendar *parsed = NULL;
	int line = 0;
	err = tqk_calendar_parse(p.calendar, len, &parsed, &line);
	tqk_calendar_free(parsed);
	if (err != TQK_OK) {
		char where[32];
		snprintf(where, sizeof where, "line %d", line);
		tqk_plan_clear(&p);
		return cli_fail(c, err, cal, where);
	}

	srv_site s;
	bool changed = false;
	if ((err = srv_db_begin(db)) == TQK_OK) {
		err = srv_db_site_get(db, site, &s);
		if (err == TQK_OK) {
			snprintf(p.site, sizeof p.site, "%s", s.code);
			err = srv_db_plan_put(db, &p, &changed);
		}
		err = srv_db_end(db, err);
	}
	int64_t rev = p.rev;
	tqk_plan_clear(&p);
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, site);
	printf("site=%s\nrev=%" PRId64 "\nchanged=%s\n", site, rev, changed ? "true" : "false");
	return CLI_OK;
}

/* ---- apps import / demo ---- */

typedef struct put_stats {
	long inserted, updated, unchanged;
} put_stats;

/* Counts one srv_apps_put outcome; cannot fail. */
static void count_put(put_stats *st, srv_put how)
{
	if (how == SRV_PUT_INSERTED)
		st->inserted++;
	else if (how == SRV_PUT_UPDATED)
		st->updated++;
	else
		st->unchanged++;
}

/* The date of --today, or the wall clock's. Returns false after a usage
 * message. */
static bool today_of(cli *c, const char *opt, tqk_date *out)
{
	if (opt == NULL) {
		*out = tqk_time_date(c->now);
		return true;
	}
	if (tqk_date_parse(opt, strlen(opt), out) == TQK_OK)
		return true;
	cli_usage(c, "--today", "应为 YYYY-MM-DD", "must be YYYY-MM-DD");
	return false;
}

/* `apps import FILE.json`: all applications checked, then stored in one
 * transaction. Returns the exit status: 1 when any is bad (nothing stored),
 * 2 for an unreadable file or database. */
static int apps_import(cli *c, srv_db *db, int argc, char **argv)
{
	const char *file = NULL, *today_opt = NULL;
	const cli_opt opts[] = {{"--today", &today_opt, NULL}, {NULL, NULL, NULL}};
	int rc = cli_args(c, argc, argv, opts, &file, 1);
	if (rc != CLI_OK)
		return rc;
	tqk_date today;
	if (file == NULL)
		return cli_usage(c, NULL, "请给出要导入的 JSON 文件", "give the JSON file to import");
	if (!today_of(c, today_opt, &today))
		return CLI_USAGE;
	char *text;
	size_t len;
	if (!cli_read_file(c, file, TQK_JSON_DOC_MAX, &text, &len))
		return CLI_USAGE;
	json_t *doc = NULL;
	char detail[128];
	tqk_err err = tqk_json_parse(text, len, &doc, detail, sizeof detail);
	free(text);
	if (err != TQK_OK)
		return cli_fail(c, err, file, detail);
	json_t *list = json_object_get(doc, "applications");
	if (!json_is_array(list)) {
		json_decref(doc);
		return cli_fail(c, TQK_E_JSON_TYPE, file, "applications");
	}
	size_t n = json_array_size(list);
	tqk_application *apps = calloc(n > 0 ? n : 1, sizeof *apps);
	if (apps == NULL) {
		json_decref(doc);
		return cli_fail(c, TQK_E_NOMEM, file, NULL);
	}
	/* Everything is checked before anything is stored. */
	for (size_t i = 0; i < n; i++) {
		const char *bad = NULL;
		err = tqk_json_application_decode(json_array_get(list, i), today, &apps[i], &bad);
		if (err != TQK_OK) {
			char where[96];
			snprintf(where, sizeof where, "applications[%zu]: %s", i, bad != NULL ? bad : "?");
			json_decref(doc);
			free(apps);
			cli_fail(c, err, file, where);
			printf("index=%zu\nmember=%s\n", i, bad != NULL ? bad : "");
			cli_say(c, "未导入任何申请", "nothing was imported");
			return CLI_NO;
		}
	}
	json_decref(doc);
	put_stats st = {0};
	size_t failed_at = 0;
	if ((err = srv_db_begin(db)) == TQK_OK) {
		for (size_t i = 0; err == TQK_OK && i < n; i++) {
			srv_put how;
			if ((err = srv_apps_put(db, &apps[i], &how)) == TQK_OK)
				count_put(&st, how);
			else
				failed_at = i;
		}
		err = srv_db_end(db, err);
	}
	if (err != TQK_OK) {
		char subject[96];
		snprintf(subject, sizeof subject, "applications[%zu] (%s)", failed_at,
		         n > 0 ? apps[failed_at].site : "");
		free(apps);
		srv_admin_db_fail(c, db, err, subject);
		cli_say(c, "未导入任何申请", "nothing was imported");
		return cli_exit(err);
	}
	free(apps);
	printf("applications=%zu\ninserted=%ld\nupdated=%ld\nunchanged=%ld\n", n, st.inserted,
	       st.updated, st.unchanged);
	return CLI_OK;
}

/* `apps demo`: the demo set (srv_demo.h) stored in one transaction, with a
 * signing key for the forms' QR payloads when the county has none yet (so
 * that the demo's forms can be printed and verified). Returns the exit
 * status: 1 for an unknown site, 2 for usage. */
static int apps_demo(cli *c, srv_db *db, int argc, char **argv)
{
	const char *site = NULL, *count = NULL, *seed = "1", *dups = "0";
	const cli_opt opts[] = {
		{"--site", &site, NULL}, {"--count", &count, NULL}, {"--seed", &seed, NULL},
		{"--duplicates", &dups, NULL}, {NULL, NULL, NULL},
	};
	int rc = cli_args(c, argc, argv, opts, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	if (site == NULL)
		return missing(c, "--site");
	if (count == NULL)
		return missing(c, "--count");
	long n, s, d;
	if (!cli_int(count, 1, SRV_DEMO_MAX, &n))
		return cli_usage(c, "--count", "应为 1 至 1000000", "must be 1 to 1000000");
	if (!cli_int(seed, 0, 999999999, &s))
		return cli_usage(c, "--seed", "应为 0 至 999999999", "must be 0 to 999999999");
	if (!cli_int(dups, 0, n / 2, &d))
		return cli_usage(c, "--duplicates", "应为 0 至 --count 的一半",
		                 "must be 0 to half of --count");
	put_stats st = {0};
	srv_site ss;
	srv_key key = {.kid = ""};
	size_t nkeys = 0;
	tqk_err err = srv_db_begin(db);
	if (err == TQK_OK) {
		err = srv_db_site_get(db, site, &ss);
		if (err == TQK_OK)
			err = srv_db_keys(db, NULL, 0, &nkeys);
		if (err == TQK_OK && nkeys == 0)
			err = srv_db_key_new(db, c->now, &key);
		srv_demo demo = {.site = site, .year = ss.year, .count = (unsigned)n,
		                 .duplicates = (unsigned)d, .seed = (uint64_t)s,
		                 .today = tqk_time_date(c->now)};
		for (long i = 0; err == TQK_OK && i < n; i++) {
			tqk_application a;
			srv_put how;
			srv_demo_app(&demo, (unsigned)i, &a);
			const char *bad = NULL;
			if ((err = tqk_application_check(&a, demo.today, &bad)) != TQK_OK) {
				fprintf(stderr, "tq-county: demo application %ld: %s\n", i,
				        bad != NULL ? bad : "?");
				break;
			}
			if ((err = srv_apps_put(db, &a, &how)) == TQK_OK)
				count_put(&st, how);
		}
		err = srv_db_end(db, err);
	}
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, site);
	printf("applications=%ld\ninserted=%ld\nupdated=%ld\nunchanged=%ld\nduplicates=%ld\n", n,
	       st.inserted, st.updated, st.unchanged, d);
	if (key.kid[0] != '\0') {
		printf("key=%s\n", key.kid);
		cli_say(c, "已生成申请表二维码的签名密钥（admin key list 可查看）",
		        "made a signing key for the forms' QR payloads (see admin key list)");
	}
	return CLI_OK;
}

/* ---- decide / message ---- */

/* The states the institution decides (SPEC §4 4-6 and the final results). */
static bool institution_state(tqk_state s)
{
	return s == TQK_ST_WRONG_INSTITUTION || s == TQK_ST_INST_INCOMPLETE ||
	       s == TQK_ST_NOT_ELIGIBLE || s == TQK_ST_PASSED || s == TQK_ST_DEFERRED ||
	       s == TQK_ST_FAILED;
}

/* Records a decision (state) and/or a message on reg_no as one update.
 * Returns the exit status: 1 when refused (state, message, unknown reg_no). */
static int record_update(cli *c, srv_db *db, const char *reg_no, tqk_state state,
                         const char *message)
{
	int64_t seq = 0;
	tqk_err err = srv_db_begin(db);
	if (err == TQK_OK)
		err = srv_db_end(db, srv_apps_decide(db, reg_no, state, message, c->now, &seq));
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, reg_no);
	printf("reg_no=%s\n", reg_no);
	if (state != TQK_ST_NONE)
		printf("state=%s\nstate_label=%s\n", tqk_state_code(state),
		       tqk_state_label(state, c->lang));
	printf("seq=%" PRId64 "\n", seq);
	return CLI_OK;
}

/* `decide REG_NO --state CODE [--message TEXT]`. Returns the exit status:
 * 2 for a state the institution does not decide, 1 when refused. */
static int decide(cli *c, srv_db *db, int argc, char **argv)
{
	const char *reg_no = NULL, *state = NULL, *message = "";
	const cli_opt opts[] = {{"--state", &state, NULL}, {"--message", &message, NULL},
	                        {NULL, NULL, NULL}};
	int rc = cli_args(c, argc, argv, opts, &reg_no, 1);
	if (rc != CLI_OK)
		return rc;
	if (reg_no == NULL)
		return cli_usage(c, NULL, "请给出报名号", "give the registration number");
	if (state == NULL)
		return missing(c, "--state");
	tqk_state s;
	if (tqk_state_from_code(state, &s) != TQK_OK || !institution_state(s))
		return cli_usage(c, "--state",
		                 "应为 wrong_institution、institution_incomplete、not_eligible、passed、"
		                 "deferred 或 failed",
		                 "must be wrong_institution, institution_incomplete, not_eligible, passed,"
		                 " deferred or failed");
	return record_update(c, db, reg_no, s, message);
}

/* `message REG_NO --message TEXT`. Returns the exit status (1 when refused). */
static int message(cli *c, srv_db *db, int argc, char **argv)
{
	const char *reg_no = NULL, *text = NULL;
	const cli_opt opts[] = {{"--message", &text, NULL}, {NULL, NULL, NULL}};
	int rc = cli_args(c, argc, argv, opts, &reg_no, 1);
	if (rc != CLI_OK)
		return rc;
	if (reg_no == NULL)
		return cli_usage(c, NULL, "请给出报名号", "give the registration number");
	if (text == NULL || text[0] == '\0')
		return missing(c, "--message");
	return record_update(c, db, reg_no, TQK_ST_NONE, text);
}

/* ---- confirmations list / export ---- */

/* Writes one confirmation as a list line; returns 0 (go on). */
static int list_row(void *ctx, const srv_conf_row *row)
{
	(void)ctx;
	char at[TQK_MINUTE_BUFLEN];
	tqk_local_format(row->at, at);
	printf("%s %s %s %s %s %.10sT%s\n", row->uuid, row->reg_no, row->conclusion,
	       row->archive_no[0] != '\0' ? row->archive_no : "-", row->kiosk, at, at + 11);
	return 0;
}

/* A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
static void csv_field(const char *s, bool last)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") != NULL) {
		putchar('"');
		for (const char *p = s; *p != '\0'; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	fputs(last ? "\r\n" : ",", stdout);
}

static const char *member(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v != NULL ? v : "";
}

static const char *const csv_header[] = {
	"uuid", "supersedes", "reg_no", "name", "id_number", "school", "site", "kiosk", "clerk",
	"conclusion", "archive_no", "date", "time", "time_source", "corrections", "remark", "message",
	"received",
};

/* Writes one confirmation as a CSV line; returns 0 (go on). */
static int csv_row(void *ctx, const srv_conf_row *row)
{
	(void)ctx;
	char at[TQK_MINUTE_BUFLEN], received[TQK_MINUTE_BUFLEN], date[TQK_DATE_BUFLEN], n[16];
	tqk_local_format(row->at, at);
	tqk_local_format(row->received, received);
	snprintf(date, sizeof date, "%.10s", at);
	received[10] = '\0';
	snprintf(n, sizeof n, "%zu", json_array_size(json_object_get(row->record, "corrections")));
	const char *fields[] = {
		row->uuid, member(row->record, "supersedes"), row->reg_no,
		member(row->application, "name"), member(row->application, "id_number"),
		member(row->application, "school"), row->site, row->kiosk, member(row->record, "clerk"),
		row->conclusion, row->archive_no, date, at + 11, member(row->record, "time_source"), n,
		member(row->record, "remark"), member(row->record, "message"), received,
	};
	size_t k = sizeof fields / sizeof fields[0];
	for (size_t i = 0; i < k; i++)
		csv_field(fields[i], i + 1 == k);
	return 0;
}

/* Appends one record to the array ctx; returns non-zero (stop) when out of
 * memory. */
static int json_row(void *ctx, const srv_conf_row *row)
{
	return json_array_append(ctx, (json_t *)row->record) != 0;
}

/* `confirmations list` and `confirmations export`. Returns the exit status:
 * 1 for an unknown site, 2 for usage or a database failure. */
static int confirmations(cli *c, srv_db *db, int argc, char **argv, bool export)
{
	const char *site = NULL, *format = NULL;
	const cli_opt opts[] = {{"--site", &site, NULL}, {"--format", &format, NULL},
	                        {NULL, NULL, NULL}};
	int rc = cli_args(c, argc, argv, opts, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	if (export && format == NULL)
		return missing(c, "--format");
	if (export && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
		return cli_usage(c, "--format", "应为 json 或 csv", "must be json or csv");
	if (!export && format != NULL)
		return cli_usage(c, "--format", "仅用于 export", "only for export");
	srv_site s;
	tqk_err err;
	if (site != NULL && (err = srv_db_site_get(db, site, &s)) != TQK_OK)
		return srv_admin_db_fail(c, db, err, site);
	if (!export)
		err = srv_apps_confirmations(db, site, list_row, NULL);
	else if (strcmp(format, "csv") == 0) {
		size_t k = sizeof csv_header / sizeof csv_header[0];
		for (size_t i = 0; i < k; i++)
			csv_field(csv_header[i], i + 1 == k);
		err = srv_apps_confirmations(db, site, csv_row, NULL);
	} else {
		json_t *list = json_array();
		if (list == NULL)
			return cli_fail(c, TQK_E_NOMEM, NULL, NULL);
		err = srv_apps_confirmations(db, site, json_row, list);
		json_t *doc = json_pack("{s:o}", "confirmations", list);
		char *text = err == TQK_OK && doc != NULL
			? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		json_decref(doc);
		if (err == TQK_OK && text == NULL)
			err = TQK_E_NOMEM;
		if (text != NULL)
			printf("%s\n", text);
		free(text);
	}
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, site);
	return CLI_OK;
}

/* `confirmations list [--site S]`; returns the exit status. */
static int confirmations_list(cli *c, srv_db *db, int argc, char **argv)
{
	return confirmations(c, db, argc, argv, false);
}

/* `confirmations export [--site S] --format json|csv`; returns the exit
 * status. */
static int confirmations_export(cli *c, srv_db *db, int argc, char **argv)
{
	return confirmations(c, db, argc, argv, true);
}

/* ---- stats ---- */

/* `stats`: the row counts. Returns the exit status (2 when the database
 * fails). */
static int stats(cli *c, srv_db *db, int argc, char **argv)
{
	int rc = cli_args(c, argc, argv, (const cli_opt[]){{NULL, NULL, NULL}}, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	srv_counts n;
	tqk_err err = srv_db_count(db, &n);
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, NULL);
	printf("sites=%" PRId64 "\nkiosks=%" PRId64 "\nclerks=%" PRId64 "\napplications=%" PRId64
	       "\nconfirmations=%" PRId64 "\nupdates=%" PRId64 "\nnonces=%" PRId64 "\n",
	       n.sites, n.kiosks, n.clerks, n.applications, n.confirmations, n.updates, n.nonces);
	return CLI_OK;
}

/* ---- tree set ---- */

/* `tree set KIND FILE`: the county's own hierarchy of a kind for the
 * walk-in (authorities, titles, qualifications, nations), checked by
 * parsing it; every plan carries it from then on. Returns 1 for an unknown
 * kind or a file that is no such tree, 2 for usage or an unreadable file. */
static int tree_set(cli *c, srv_db *db, int argc, char **argv)
{
	const char *pos[2] = {NULL, NULL};
	const cli_opt opts[] = {{NULL, NULL, NULL}};
	int rc = cli_args(c, argc, argv, opts, pos, 2);
	if (rc != CLI_OK)
		return rc;
	if (pos[0] == NULL || pos[1] == NULL)
		return cli_usage(c, "tree set", "用法：tree set 种类 文件", "usage: tree set KIND FILE");
	int k = 0;
	while (k < TQK_PLAN_TREES && strcmp(pos[0], tqk_plan_tree_kinds[k]) != 0)
		k++;
	if (k == TQK_PLAN_TREES)
		return cli_fail(c, TQK_E_FIELD_VALUE, pos[0],
		                "authorities, titles, qualifications, nations");
	char *text = NULL;
	size_t len = 0;
	if (!cli_read_file(c, pos[1], TQK_TREE_MAX_BYTES, &text, &len))
		return CLI_USAGE;
	tqk_tree *t = NULL;
	int line = 0;
	tqk_err err = tqk_tree_parse(text, len, &t, &line);
	bool kind = err == TQK_OK && strcmp(tqk_tree_kind(t), pos[0]) == 0;
	size_t nodes = t != NULL ? tqk_tree_size(t) : 0;
	tqk_tree_free(t);
	if (err == TQK_OK && !kind)
		err = TQK_E_TREE_HEADER;
	if (err != TQK_OK) {
		char where[32];
		snprintf(where, sizeof where, "line %d", line);
		free(text);
		return cli_fail(c, err, pos[1], where);
	}
	bool changed = false;
	if ((err = srv_db_begin(db)) == TQK_OK)
		err = srv_db_end(db, srv_db_tree_put(db, pos[0], text, &changed));
	free(text);
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, pos[0]);
	printf("kind=%s\nnodes=%zu\nchanged=%s\n", pos[0], nodes, changed ? "true" : "false");
	return CLI_OK;
}

/* ---- dispatch ---- */

static const struct {
	const char *noun, *verb;        /* verb NULL: the noun alone is the command */
	admin_cmd run;
	bool create;                    /* may create the database */
} commands[] = {
	{"site", "add", site_add, true},
	{"kiosk", "add", kiosk_add, false},
	{"kiosk", "disable", kiosk_disable, false},
	{"clerk", "add", clerk_add, false},
	{"plan", "set", plan_set, false},
	{"tree", "set", tree_set, false},
	{"apps", "import", apps_import, false},
	{"apps", "demo", apps_demo, false},
	{"decide", NULL, decide, false},
	{"message", NULL, message, false},
	{"confirmations", "list", confirmations_list, false},
	{"confirmations", "export", confirmations_export, false},
	{"stats", NULL, stats, false},
	{"key", "new", srv_admin_key_new, false},
	{"key", "list", srv_admin_key_list, false},
	{"payload", NULL, srv_admin_payload, false},
	{"roster", NULL, srv_admin_roster, false},
};

int srv_admin_main(cli *c, int argc, char **argv)
{
	/* --db may stand anywhere; take it out first. */
	const char *db_path = NULL;
	int rest = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "--db", "缺少值", "needs a value");
			db_path = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			db_path = argv[i] + 5;
		} else {
			argv[rest++] = argv[i];
		}
	}
	if (db_path == NULL || db_path[0] == '\0')
		return cli_usage(c, "--db", "请给出服务器数据库文件", "give the server's database file");
	if (rest == 0)
		return cli_usage(c, "admin", "缺少命令", "a command is missing");
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(argv[0], commands[k].noun) != 0)
			continue;
		int skip = 1;
		if (commands[k].verb != NULL) {
			if (rest < 2 || strcmp(argv[1], commands[k].verb) != 0)
				continue;
			skip = 2;
		}
		srv_db *db = NULL;
		char detail[SRV_DB_DETAIL_CAP];
		tqk_err err = srv_db_open(db_path, commands[k].create, &db, detail, sizeof detail);
		if (err != TQK_OK) {
			cli_fail(c, err, db_path, detail);
			if (err == TQK_E_STORE_MISSING)
				cli_say(c, "数据库不存在：先用 site add 创建确认点（或 serve 启动服务器）",
				        "no database there: create a site first with site add (or start serve)");
			return cli_exit(err);
		}
		int rc = commands[k].run(c, db, rest - skip, argv + skip);
		fflush(stdout);
		srv_db_close(db);
		return rc;
	}
	return cli_usage(c, argv[0], "未知的 admin 命令", "unknown admin command");
}
