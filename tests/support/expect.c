/*
 * expect.c - running the built tools and checking their output inside a
 * cmocka test (see expect.h).
 */
#include "test.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "support/expect.h"

const char *tool_path(const char *var, const char *what)
{
	const char *p = getenv(var);
	if (p == NULL || *p == '\0')
		fail_msg("%s is not set (the path of %s): run through `make check`", var, what);
	return p;
}

const char *ctl_bin(void)
{
	return tool_path("TQK_CTL", "tqkioskctl");
}

const char *county_bin(void)
{
	return tool_path("TQK_COUNTY", "tq-county");
}

void tool_run(proc_result *r, const char *bin, char *const env_set[], char *const env_unset[],
              const char *const args[])
{
	char *argv[TOOL_ARGS_MAX + 2];
	size_t n = 0;
	argv[n++] = (char *)bin;
	for (; *args != NULL; args++) {
		if (n > TOOL_ARGS_MAX)
			fail_msg("%s: more than %d arguments", bin, TOOL_ARGS_MAX);
		argv[n++] = (char *)*args;
	}
	argv[n] = NULL;
	if (proc_run(argv, env_set, env_unset, r) != 0)
		fail_msg("cannot run %s: %s", bin, strerror(errno));
}

void ctl_run(proc_result *r, char *const env_set[], const char *const args[])
{
	char *unset[] = {"TQK_DB", "TQK_CONFIG", NULL};
	tool_run(r, ctl_bin(), env_set, unset, args);
}

void admin_run(proc_result *r, const char *db, const char *const args[])
{
	const char *all[TOOL_ARGS_MAX + 1] = {"admin", "--db", db};
	size_t n = 3;
	for (; *args != NULL; args++) {
		if (n == TOOL_ARGS_MAX)
			fail_msg("tq-county admin: more than %d arguments", TOOL_ARGS_MAX);
		all[n++] = *args;
	}
	all[n] = NULL;
	tool_run(r, county_bin(), NULL, NULL, all);
}

/* ---- checks ---- */

void expect_fail_at(const char *file, int line, const proc_result *r, const char *fmt, ...)
{
	char why[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	print_error("ERROR: %s\nexit %d\nstdout:\n%s\nstderr:\n%s\n", why, r->status, r->out,
	            r->err);
	_fail(file, line);
	abort();        /* not reached: _fail leaves the test */
}

void expect_status_at(const char *file, int line, const proc_result *r, int status)
{
	if (r->status != status)
		expect_fail_at(file, line, r, "want exit %d", status);
}

void expect_has_at(const char *file, int line, const proc_result *r, bool on_err, bool want,
                   const char *needle)
{
	const char *name = on_err ? "stderr" : "stdout";
	bool has = strstr(on_err ? r->err : r->out, needle) != NULL;
	if (want && !has)
		expect_fail_at(file, line, r, "%s lacks \"%s\"", name, needle);
	if (!want && has)
		expect_fail_at(file, line, r, "%s must not hold \"%s\"", name, needle);
}

void expect_exact_at(const char *file, int line, const proc_result *r, int status,
                     const char *out)
{
	if (r->status != status || (out != NULL && strcmp(r->out, out) != 0))
		expect_fail_at(file, line, r, "want exit %d and stdout:\n%s", status,
		               out != NULL ? out : "(any)");
}

void expect_done_at(const char *file, int line, proc_result *r, int status, const char *out,
                    const char *err)
{
	expect_status_at(file, line, r, status);
	if (out != NULL)
		expect_has_at(file, line, r, false, true, out);
	if (err != NULL)
		expect_has_at(file, line, r, true, true, err);
	proc_result_free(r);
}

/* ---- key=value output ---- */

/* The value of the nth line of out that begins with "key=", its length
 * into *len; NULL when there are not that many. */
static const char *value_of(const char *out, const char *key, int nth, size_t *len)
{
	size_t n = strlen(key);
	for (const char *line = out; *line != '\0';) {
		const char *end = strchr(line, '\n');
		size_t line_len = end != NULL ? (size_t)(end - line) : strlen(line);
		if (line_len > n && strncmp(line, key, n) == 0 && line[n] == '=' && nth-- == 0) {
			*len = line_len - n - 1;
			return line + n + 1;
		}
		line += line_len + (end != NULL);
	}
	return NULL;
}

const char *kv_find_at(const char *file, int line, const proc_result *r, const char *key,
                       int nth, char *buf, size_t cap)
{
	size_t len = 0;
	const char *v = value_of(r->out, key, nth, &len);
	if (v == NULL)
		return NULL;
	if (len >= cap)
		expect_fail_at(file, line, r, "the value of %s= (#%d) is longer than %zu bytes",
		               key, nth, cap - 1);
	memcpy(buf, v, len);
	buf[len] = '\0';
	return buf;
}

void kv_get_at(const char *file, int line, const proc_result *r, const char *key, char *buf,
               size_t cap)
{
	if (kv_find_at(file, line, r, key, 0, buf, cap) == NULL)
		expect_fail_at(file, line, r, "no %s= line", key);
}

void expect_kv_at(const char *file, int line, const proc_result *r, const char *key, int nth,
                  const char *want)
{
	size_t len = 0;
	const char *v = value_of(r->out, key, nth, &len);
	if (want == NULL) {
		if (v != NULL)
			expect_fail_at(file, line, r, "%s= must not be there", key);
		return;
	}
	if (v == NULL)
		expect_fail_at(file, line, r, "want %s=%s (#%d), got (none)", key, want, nth);
	if (len != strlen(want) || memcmp(v, want, len) != 0)
		expect_fail_at(file, line, r, "want %s=%s (#%d), got %.*s", key, want, nth,
		               (int)len, v);
}

json_t *expect_json_object_at(const char *file, int line, const proc_result *r)
{
	json_error_t e;
	json_t *j = json_loads(r->out, 0, &e);
	if (!json_is_object(j))
		expect_fail_at(file, line, r, "stdout is not one JSON object (%s)",
		               j == NULL ? e.text : "another JSON value");
	return j;
}
