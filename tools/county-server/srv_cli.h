/*
 * srv_cli.h - what the commands of tq-county share: the language of
 * messages, output, failures and exit statuses, option scanning, files and
 * the shipped assets.
 *
 * Results go to stdout as key=value lines; messages for people go to stderr
 * in Chinese, or English with --lang en. A failure prints
 * error=<domain>.<code> on stdout. Exit status: 0 done, 1 refused (the input
 * or the request), 2 usage or environment (a database that cannot be
 * opened, a missing file).
 */
#ifndef TQK_SRV_CLI_H
#define TQK_SRV_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/err.h"

enum { CLI_OK = 0, CLI_NO = 1, CLI_USAGE = 2 };

typedef struct cli {
	tqk_lang lang;
	tqk_time now;               /* the wall clock, read once at start */
} cli;

/* "tq-county: " + the message in c's language, on stderr. */
void cli_say(const cli *c, const char *zh, const char *en);
/* A usage error about subject (may be NULL); returns CLI_USAGE. */
int cli_usage(const cli *c, const char *subject, const char *zh, const char *en);
/* CLI_USAGE when the database, the disk or a file is at fault, CLI_NO when
 * the input or the request is. */
int cli_exit(tqk_err err);
/* error=<domain>.<code> on stdout, "tq-county: subject: message (detail)"
 * on stderr (subject and detail may be NULL); returns cli_exit(err). */
int cli_fail(const cli *c, tqk_err err, const char *subject, const char *detail);

/* One option of a command: "--name VALUE", "--name=VALUE", or a flag. */
typedef struct cli_opt {
	const char *name;
	const char **value;         /* for an option with a value */
	bool *flag;                 /* for a flag (value NULL) */
} cli_opt;

/*
 * Scans argv[0..argc) against opts (ended by a NULL name) and at most npos
 * positional arguments into pos[]. Returns CLI_OK, or CLI_USAGE after saying
 * what is wrong (unknown option, missing value, too many arguments).
 */
int cli_args(const cli *c, int argc, char **argv, const cli_opt *opts, const char **pos,
             int npos);
/* Strict decimal within [min, max] into *out; false otherwise. */
bool cli_int(const char *s, long min, long max, long *out);
/* Reads a whole file of at most cap bytes into a NUL-terminated buffer
 * (caller frees). Returns false after saying why on stderr. */
bool cli_read_file(const cli *c, const char *path, size_t cap, char **out, size_t *len);
/* Finds assets/<rel>: $TQK_ASSETS, then <exe>/../share/tqkiosk, then an
 * assets/ directory above the executable (a build tree). Returns whether a
 * readable file was found (its path in buf). */
bool cli_asset_path(const char *rel, char *buf, size_t cap);

#endif
