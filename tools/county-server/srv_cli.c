/*
 * srv_cli.c - messages, failures, option scanning and files for the
 * commands of tq-county.
 */
#include "srv_cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_say(const cli *c, const char *zh, const char *en)
{
	fprintf(stderr, "tq-county: %s\n", c->lang == TQK_LANG_EN ? en : zh);
}

int cli_usage(const cli *c, const char *subject, const char *zh, const char *en)
{
	if (subject != NULL)
		fprintf(stderr, "tq-county: %s: %s\n", subject, c->lang == TQK_LANG_EN ? en : zh);
	else
		cli_say(c, zh, en);
	cli_say(c, "用法见 tq-county --help", "see tq-county --help");
	return CLI_USAGE;
}

int cli_exit(tqk_err err)
{
	switch (err) {
	case TQK_OK:
		return CLI_OK;
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
	case TQK_E_CONFIG:
	case TQK_E_NET:
	case TQK_E_PRINT_IO:        /* an output that cannot be written: the environment's */
	case TQK_E_PRINT_RENDER:
		return CLI_USAGE;
	default:
		return CLI_NO;
	}
}

int cli_fail(const cli *c, tqk_err err, const char *subject, const char *detail)
{
	printf("error=%s.%s\n", tqk_err_domain(err), tqk_err_code(err));
	fflush(stdout);
	fprintf(stderr, "tq-county: ");
	if (subject != NULL)
		fprintf(stderr, "%s: ", subject);
	fputs(tqk_strerror(err, c->lang), stderr);
	if (detail != NULL && detail[0] != '\0')
		fprintf(stderr, " (%s)", detail);
	fputc('\n', stderr);
	return cli_exit(err);
}

int cli_args(const cli *c, int argc, char **argv, const cli_opt *opts, const char **pos,
             int npos)
{
	int got = 0;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
			if (got >= npos)
				return cli_usage(c, arg, "多余的参数", "unexpected argument");
			pos[got++] = arg;
			continue;
		}
		const cli_opt *o = opts;
		size_t n = strcspn(arg, "=");
		while (o->name != NULL && (strlen(o->name) != n || strncmp(o->name, arg, n) != 0))
			o++;
		if (o->name == NULL)
			return cli_usage(c, arg, "未知选项", "unknown option");
		if (o->value == NULL) {
			if (arg[n] == '=')
				return cli_usage(c, o->name, "该选项不带值", "takes no value");
			*o->flag = true;
		} else if (arg[n] == '=') {
			*o->value = arg + n + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			return cli_usage(c, o->name, "缺少值", "needs a value");
		}
	}
	return CLI_OK;
}

bool cli_int(const char *s, long min, long max, long *out)
{
	if (s == NULL || *s == '\0' || strlen(s) > 18)
		return false;
	long v = 0;
	bool neg = s[0] == '-';
	for (const char *p = s + neg; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max || (neg && s[1] == '\0'))
		return false;
	*out = v;
	return true;
}

bool cli_read_file(const cli *c, const char *path, size_t cap, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "tq-county: %s: %s\n", path, strerror(errno));
		return false;
	}
	char *buf = malloc(cap + 1);
	size_t n = buf != NULL ? fread(buf, 1, cap + 1, f) : 0;
	bool bad = buf == NULL || ferror(f);
	fclose(f);
	if (bad || n > cap) {
		free(buf);
		if (bad)
			fprintf(stderr, "tq-county: %s: %s\n", path, c->lang == TQK_LANG_EN
			        ? "cannot be read" : "无法读取");
		else
			fprintf(stderr, "tq-county: %s: %s %zu\n", path, c->lang == TQK_LANG_EN
			        ? "file larger than" : "文件超过上限（字节）", cap);
		return false;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return true;
}

/* Whether path can be read. */
static bool readable(const char *path)
{
	return access(path, R_OK) == 0;
}

bool cli_asset_path(const char *rel, char *buf, size_t cap)
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
	*slash = '\0';
	if ((size_t)snprintf(buf, cap, "%s/../share/tqkiosk/%s", exe, rel) < cap && readable(buf))
		return true;
	for (int up = 0; up < 4; up++) {
		if ((size_t)snprintf(buf, cap, "%s/assets/%s", exe, rel) < cap && readable(buf))
			return true;
		if ((slash = strrchr(exe, '/')) == NULL)
			break;
		*slash = '\0';
	}
	return false;
}
