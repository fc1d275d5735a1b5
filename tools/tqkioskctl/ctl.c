/*
 * ctl.c - output, messages, option scanning and file helpers of tqkioskctl,
 * and opening the local store with its failures reported alike everywhere.
 */
#include "ctl.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/backup.h"

static json_t *object(ctl *c)
{
	if (c->obj == NULL)
		c->obj = json_object();
	return c->obj;
}

void out_str(ctl *c, const char *key, const char *value)
{
	if (c->json)
		json_object_set_new(object(c), key, json_string(value));
	else
		printf("%s=%s\n", key, value);
}

void out_int(ctl *c, const char *key, long long value)
{
	if (c->json)
		json_object_set_new(object(c), key, json_integer(value));
	else
		printf("%s=%lld\n", key, value);
}

void out_bool(ctl *c, const char *key, bool value)
{
	if (c->json)
		json_object_set_new(object(c), key, json_boolean(value));
	else
		printf("%s=%s\n", key, value ? "true" : "false");
}

void out_flush(ctl *c)
{
	if (c->json) {
		char *s = json_dumps(object(c), JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s != NULL)
			printf("%s\n", s);
		free(s);
		json_decref(c->obj);
		c->obj = NULL;
	}
	fflush(stdout);
}

void ctl_say(const ctl *c, const char *zh, const char *en)
{
	fprintf(stderr, "%s\n", c->lang == TQK_LANG_EN ? en : zh);
}

void ctl_error(const ctl *c, tqk_err err, const char *detail)
{
	if (detail != NULL)
		fprintf(stderr, "tqkioskctl: %s: %s\n", detail, tqk_strerror(err, c->lang));
	else
		fprintf(stderr, "tqkioskctl: %s\n", tqk_strerror(err, c->lang));
}

int ctl_usage(const ctl *c, const char *subject, const char *zh, const char *en)
{
	fprintf(stderr, "tqkioskctl: %s%s%s\n", subject != NULL ? subject : "",
	        subject != NULL ? ": " : "", c->lang == TQK_LANG_EN ? en : zh);
	ctl_say(c, "用法见 tqkioskctl --help", "see tqkioskctl --help");
	return CTL_USAGE;
}

bool ctl_opt(int argc, char **argv, int *i, const char *name, const char **value)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n) != 0)
		return false;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return true;
	}
	if (arg[n] != '\0')
		return false;
	*value = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}

int ctl_args(const ctl *c, int argc, char **argv, const ctl_optspec *opts,
             const char **positional)
{
	for (int i = 0; i < argc; i++) {
		const ctl_optspec *o = opts;
		while (o->name != NULL && !ctl_opt(argc, argv, &i, o->name, o->value))
			o++;
		if (o->name != NULL) {
			if (*o->value == NULL) {
				return ctl_usage(c, o->name, "缺少取值", "needs a value");
			}
		} else if (strncmp(argv[i], "--", 2) == 0) {
			return ctl_usage(c, argv[i], "未知选项", "unknown option");
		} else if (positional != NULL && *positional == NULL) {
			*positional = argv[i];
		} else {
			return ctl_usage(c, argv[i], "多余的参数", "unexpected argument");
		}
	}
	return CTL_OK;
}

bool ctl_parse_int(const char *s, long min, long max, long *out)
{
	if (s == NULL || *s == '\0')
		return false;
	for (const char *p = s; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	errno = 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

int ctl_today(const ctl *c, const char *override, tqk_date *out)
{
	if (override == NULL) {
		*out = tqk_time_date(c->now);
		return CTL_OK;
	}
	tqk_err err = tqk_date_parse(override, strlen(override), out);
	if (err != TQK_OK) {
		ctl_error(c, err, "--today");
		return CTL_USAGE;
	}
	return CTL_OK;
}

bool ctl_read_file(const ctl *c, const char *path, size_t cap, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "tqkioskctl: %s: %s\n", path, strerror(errno));
		return false;
	}
	char *buf = malloc(cap + 2);
	size_t n = buf != NULL ? fread(buf, 1, cap + 1, f) : 0;
	bool failed = buf == NULL || ferror(f);
	fclose(f);
	if (failed || n > cap) {
		free(buf);
		ctl_error(c, failed ? TQK_E_NOMEM : TQK_E_TOO_LONG, path);
		return false;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return true;
}

static bool readable(const char *path)
{
	return access(path, R_OK) == 0;
}

bool ctl_asset_path(const char *rel, char *buf, size_t cap)
{
	const char *env = getenv("TQK_ASSETS");
	if (env != NULL && *env != '\0')
		return (size_t)snprintf(buf, cap, "%s/%s", env, rel) < cap && readable(buf);

	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash == NULL)
		return false;
	*slash = '\0';                          /* the executable's directory */

	if ((size_t)snprintf(buf, cap, "%s/../share/tqkiosk/%s", exe, rel) < cap && readable(buf))
		return true;
	/* A build tree: build/bin or build/san/bin below the source. */
	for (int up = 0; up < 4; up++) {
		if ((size_t)snprintf(buf, cap, "%s/assets/%s", exe, rel) < cap && readable(buf))
			return true;
		if ((slash = strrchr(exe, '/')) == NULL)
			break;
		*slash = '\0';
	}
	return false;
}

/* ---- the local store ---- */

const char *ctl_db_path(const ctl *c, const char *db)
{
	if (db == NULL || *db == '\0')
		db = getenv("TQK_DB");
	if (db == NULL || *db == '\0') {
		ctl_usage(c, "--db", "请用 --db 给出本地数据库文件，或设置环境变量 TQK_DB",
		          "give the local database with --db PATH, or set TQK_DB");
		return NULL;
	}
	return db;
}

int ctl_exit(tqk_err err)
{
	switch (err) {
	case TQK_OK:
		return CTL_OK;
	case TQK_E_NOMEM:
	case TQK_E_STORE_OPEN:
	case TQK_E_STORE_MISSING:
	case TQK_E_STORE_CORRUPT:
	case TQK_E_STORE_VERSION:
	case TQK_E_STORE_FULL:
	case TQK_E_STORE_IO:
	case TQK_E_STORE_READONLY:
	case TQK_E_STORE_BUSY:
	case TQK_E_STORE_INTERNAL:
	case TQK_E_STORE_NOT_SETUP:
	case TQK_E_PRINT_IO:        /* the output cannot be written: the environment's fault */
	case TQK_E_PRINT_RENDER:
		return CTL_USAGE;
	default:
		return CTL_NO;
	}
}

int ctl_fail(ctl *c, tqk_err err, const char *subject, const char *detail)
{
	char code[64];
	snprintf(code, sizeof code, "%s.%s", tqk_err_domain(err), tqk_err_code(err));
	out_str(c, "error", code);
	fprintf(stderr, "tqkioskctl: %s%s%s", subject != NULL ? subject : "",
	        subject != NULL ? ": " : "", tqk_strerror(err, c->lang));
	if (detail != NULL && *detail != '\0') {
		fputs(" (", stderr);
		for (const char *p = detail; *p != '\0'; p++)    /* SQLite's words may span lines */
			fputc(*p == '\n' ? ' ' : *p, stderr);
		fputc(')', stderr);
	}
	fputc('\n', stderr);
	return ctl_exit(err);
}

int ctl_store_fail(ctl *c, const tqk_store *s, tqk_err err, const char *subject)
{
	/* Only SQLite's failures leave words in the detail. */
	bool sqlite = err == TQK_E_STORE_CORRUPT || ctl_exit(err) == CTL_USAGE;
	return ctl_fail(c, err, subject, sqlite ? tqk_store_detail(s) : NULL);
}

/* s as one word for a POSIX shell: quoted unless it is plainly safe. */
static void shell_word(const char *s, char *buf, size_t cap)
{
	if (*s != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                            "0123456789_./-=+:,@%") == strlen(s)) {
		snprintf(buf, cap, "%s", s);
		return;
	}
	size_t n = 0;
	buf[n++] = '\'';
	for (; *s != '\0' && n + 5 < cap; s++) {
		if (*s == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *s;
		}
	}
	buf[n++] = '\'';
	buf[n] = '\0';
}

void ctl_offer_backup(ctl *c, const char *path)
{
	bool en = c->lang == TQK_LANG_EN;
	char dir[TQK_BACKUP_PATH_CAP], file[TQK_BACKUP_PATH_CAP];
	tqk_err err = tqk_backup_dir_default(path, dir, sizeof dir);
	if (err == TQK_OK)
		err = tqk_backup_newest_good(dir, file, sizeof file);
	if (err != TQK_OK) {
		out_str(c, "backup", "none");
		fprintf(stderr, en ? "no good backup in %s\n" : "%s 中没有完好的备份\n", dir);
		return;
	}
	char qpath[2 * TQK_BACKUP_PATH_CAP], qfile[2 * TQK_BACKUP_PATH_CAP];
	char cmd[5 * TQK_BACKUP_PATH_CAP];
	shell_word(path, qpath, sizeof qpath);
	shell_word(file, qfile, sizeof qfile);
	snprintf(cmd, sizeof cmd, "tqkioskctl db restore --db %s %s", qpath, qfile);
	out_str(c, "backup", file);
	out_str(c, "restore", cmd);
	fprintf(stderr, en ? "newest good backup: %s\nto restore it, stop the kiosk and run:\n  %s\n"
	                   : "最新的完好备份：%s\n恢复方法：先停止自助机程序，再执行\n  %s\n", file, cmd);
}

tqk_err ctl_store_open(ctl *c, const char *path, bool write, bool create, tqk_store **out)
{
	tqk_store_options opt = {.create = create, .readonly = !write && !create};
	char detail[TQK_STORE_DETAIL_CAP] = "";
	tqk_err err = tqk_store_open(path, &opt, out, detail);
	/* A file of an older schema must be migrated, which takes a writer. */
	if (err == TQK_E_STORE_READONLY && opt.readonly) {
		opt.readonly = false;
		err = tqk_store_open(path, &opt, out, detail);
	}
	if (err != TQK_OK) {
		ctl_fail(c, err, path, detail);
		if (err == TQK_E_STORE_CORRUPT)
			ctl_offer_backup(c, path);
	}
	return err;
}
