/*
 * expect.h - running the built tools from a cmocka test and checking what
 * they said.
 *
 * The CLI and integration tests run tqkioskctl ($TQK_CTL), tq-county
 * ($TQK_COUNTY) and tq-idreader-sim ($TQK_IDSIM, found by idsim.h's
 * idsim_bin) as programs (through proc.h) and check the exit status, stdout
 * (key=value lines, exact text or one JSON object) and stderr. Every check here fails the running test
 * with what it wanted and everything the program said: the exit status,
 * the whole of stdout and the whole of stderr. A tool's path comes from its
 * environment variable, which `make check` sets; a test run without it
 * fails with a message saying so.
 *
 * The proc_result a check is given stays the caller's (proc_result_free it)
 * except where a function says it frees it.
 */
#ifndef TQK_TEST_EXPECT_H
#define TQK_TEST_EXPECT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "support/proc.h"

/* Arguments a tool may be given by tool_run (not counting argv[0]). */
#define TOOL_ARGS_MAX 63

/* A NULL-terminated argument list of its arguments: TOOL_ARGS("id", x). */
#define TOOL_ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- the tools ---- */

/* The value of the environment variable var (the path of the tool what);
 * fails the test when it is unset or empty. */
const char *tool_path(const char *var, const char *what);

/* $TQK_CTL (tqkioskctl) and $TQK_COUNTY (tq-county), by tool_path. */
const char *ctl_bin(void);
const char *county_bin(void);

/*
 * Runs bin with args (NULL-terminated, at most TOOL_ARGS_MAX; none is
 * changed) with the names in env_unset removed from its environment and
 * then the "NAME=value" strings of env_set added (either may be NULL),
 * waits for it and captures its output into *r. Fails the test when the
 * program cannot be run or args are too many.
 */
void tool_run(proc_result *r, const char *bin, char *const env_set[], char *const env_unset[],
              const char *const args[]);

/* Runs tqkioskctl with args, with $TQK_DB and $TQK_CONFIG removed from its
 * environment (so that only what a test gives counts) before env_set (may
 * be NULL, and may set them again) is added. */
void ctl_run(proc_result *r, char *const env_set[], const char *const args[]);
#define CTL(r, ...) ctl_run((r), NULL, TOOL_ARGS(__VA_ARGS__))

/* Runs `tq-county admin --db db` followed by args. */
void admin_run(proc_result *r, const char *db, const char *const args[]);
#define ADMIN(r, db, ...) admin_run((r), (db), TOOL_ARGS(__VA_ARGS__))

/* ---- checks ----
 *
 * Each check is a macro, so that a failure names the line of the test that
 * made it (as cmocka's assert_* do); the functions behind them take that
 * place first.
 */

#define EXPECT_AT __FILE__, __LINE__

/* Fails the test with the message (printf format), then r's exit status,
 * stdout and stderr. Does not return. */
#define expect_fail(r, ...) expect_fail_at(EXPECT_AT, (r), __VA_ARGS__)

/* The exit status is status. */
#define expect_status(r, status) expect_status_at(EXPECT_AT, (r), (status))

/* stdout (stderr) holds needle somewhere; or, for the _no_ forms, nowhere. */
#define expect_out(r, needle) expect_has_at(EXPECT_AT, (r), false, true, (needle))
#define expect_err(r, needle) expect_has_at(EXPECT_AT, (r), true, true, (needle))
#define expect_no_out(r, needle) expect_has_at(EXPECT_AT, (r), false, false, (needle))
#define expect_no_err(r, needle) expect_has_at(EXPECT_AT, (r), true, false, (needle))

/* The exit status is status and stdout is exactly out (NULL: anything). */
#define expect_exact(r, status, out) expect_exact_at(EXPECT_AT, (r), (status), (out))

/* The exit status is status, stdout holds out and stderr holds err (each
 * unless NULL); then frees r. */
#define expect_done(r, status, out, err) expect_done_at(EXPECT_AT, (r), (status), (out), (err))

/* Runs tqkioskctl (tq-county admin on db) with the arguments and expects
 * as expect_done does (no check of stderr for ADMIN_EXPECT). */
#define CTL_EXPECT(status, out, err, ...) do { \
		proc_result r_; \
		CTL(&r_, __VA_ARGS__); \
		expect_done(&r_, (status), (out), (err)); \
	} while (0)
#define ADMIN_EXPECT(db, status, out, ...) do { \
		proc_result r_; \
		ADMIN(&r_, (db), __VA_ARGS__); \
		expect_done(&r_, (status), (out), NULL); \
	} while (0)

/* ---- key=value output ---- */

/*
 * The value of the nth (from 0) line of stdout that begins with "key=",
 * copied into buf (cap bytes), or NULL when there are not that many such
 * lines. Fails the test when the value does not fit.
 */
#define kv_find(r, key, nth, buf, cap) kv_find_at(EXPECT_AT, (r), (key), (nth), (buf), (cap))

/* The value of the first "key=" line into buf; fails the test without one. */
#define kv_get(r, key, buf, cap) kv_get_at(EXPECT_AT, (r), (key), (buf), (cap))

/* The first (nth) "key=" line has the value want; no line has the key. */
#define expect_kv(r, key, want) expect_kv_at(EXPECT_AT, (r), (key), 0, (want))
#define expect_kv_nth(r, key, nth, want) expect_kv_at(EXPECT_AT, (r), (key), (nth), (want))
#define expect_no_kv(r, key) expect_kv_at(EXPECT_AT, (r), (key), 0, NULL)

/* stdout read as one JSON object (the caller json_decrefs it); fails the
 * test when it is anything else. */
#define expect_json_object(r) expect_json_object_at(EXPECT_AT, (r))

/* ---- behind the macros ---- */

void expect_fail_at(const char *file, int line, const proc_result *r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));
void expect_status_at(const char *file, int line, const proc_result *r, int status);
/* stderr when on_err, else stdout; must hold needle when want, else not. */
void expect_has_at(const char *file, int line, const proc_result *r, bool on_err, bool want,
                   const char *needle);
void expect_exact_at(const char *file, int line, const proc_result *r, int status,
                     const char *out);
void expect_done_at(const char *file, int line, proc_result *r, int status, const char *out,
                    const char *err);
const char *kv_find_at(const char *file, int line, const proc_result *r, const char *key,
                       int nth, char *buf, size_t cap);
void kv_get_at(const char *file, int line, const proc_result *r, const char *key, char *buf,
               size_t cap);
/* want NULL: there is no such line. */
void expect_kv_at(const char *file, int line, const proc_result *r, const char *key, int nth,
                  const char *want);
json_t *expect_json_object_at(const char *file, int line, const proc_result *r);

#endif
