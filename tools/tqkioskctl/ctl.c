/*
 * ctl.c - output, messages, option scanning and file helpers of tqkioskctl.
 */
#include "ctl.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
