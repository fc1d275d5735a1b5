/*
 * ctl.h - what the subcommands of tqkioskctl share.
 *
 * Results go to stdout as key=value lines, or as one JSON object with
 * --json; human messages go to stderr in the chosen language. Exit status:
 * 0 valid / open, 1 invalid / closed, 2 usage or environment error.
 */
#ifndef TQK_CTL_H
#define TQK_CTL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/err.h"
#include "store/store.h"

enum { CTL_OK = 0, CTL_NO = 1, CTL_USAGE = 2 };

typedef struct ctl {
	tqk_lang lang;
	bool json;
	struct json_t *obj;         /* the JSON object being built (--json) */
	tqk_time now;               /* the wall clock, read once at start */
} ctl;

typedef int (*ctl_command)(ctl *c, int argc, char **argv);

/* Result fields, in the order given. */
void out_str(ctl *c, const char *key, const char *value);
void out_int(ctl *c, const char *key, long long value);
void out_bool(ctl *c, const char *key, bool value);
/* Writes the JSON object (--json); key=value lines are written as they come. */
void out_flush(ctl *c);

/* A message for a person on stderr, in the language of c. */
void ctl_say(const ctl *c, const char *zh, const char *en);
/* "tqkioskctl: " + the message of err (+ ": detail" when detail is set). */
void ctl_error(const ctl *c, tqk_err err, const char *detail);
/* A usage error about subject (may be NULL): the message, then the pointer
 * to --help; returns CTL_USAGE. */
int ctl_usage(const ctl *c, const char *subject, const char *zh, const char *en);

/*
 * Option scanning for subcommands. ctl_opt() matches argv[*i] against name;
 * a value comes from "--name=value" or the next argument. Returns true and
 * advances *i on a match; on a missing value it sets *value to NULL.
 */
bool ctl_opt(int argc, char **argv, int *i, const char *name, const char **value);
/* An option a subcommand takes: "--name VALUE" or "--name=VALUE". */
typedef struct ctl_optspec {
	const char *name;
	const char **value;
} ctl_optspec;

/*
 * Scans a subcommand's arguments: options from opts (terminated by a NULL
 * name), at most one positional argument into *positional (NULL: none
 * allowed). Returns CTL_OK, or CTL_USAGE after saying what is wrong.
 */
int ctl_args(const ctl *c, int argc, char **argv, const ctl_optspec *opts,
             const char **positional);
/* Strict decimal within [min, max]. */
bool ctl_parse_int(const char *s, long min, long max, long *out);
/* Today's local date into *out, or the date override gives when it is not
 * NULL ("YYYY-MM-DD"). Returns CTL_OK, or CTL_USAGE after saying why. */
int ctl_today(const ctl *c, const char *override, tqk_date *out);

/* Reads a whole file of at most cap bytes into a NUL-terminated buffer
 * (caller frees). Returns false and says why on stderr. */
bool ctl_read_file(const ctl *c, const char *path, size_t cap, char **out, size_t *len);
/* Finds assets/<rel>: $TQK_ASSETS, then <exe>/../share/tqkiosk, then an
 * assets/ directory above the executable (a build tree). */
bool ctl_asset_path(const char *rel, char *buf, size_t cap);

/*
 * The local store (cmd_db.c, cmd_data.c).
 *
 * ctl_db_path() gives --db's value, else $TQK_DB, else NULL after a usage
 * message. ctl_fail() reports err: error=<domain>.<code> on stdout and
 * "tqkioskctl: subject: message (detail)" on stderr (subject and detail may
 * be NULL; neither may hold personal data); it returns ctl_exit(err).
 * ctl_exit() is CTL_USAGE when the store, the disk or the setup is at fault
 * and CTL_NO when the input or the request is. ctl_store_fail() is
 * ctl_fail() with SQLite's words (tqk_store_detail) for the store's own
 * failures.
 */
const char *ctl_db_path(const ctl *c, const char *db);
int ctl_exit(tqk_err err);
int ctl_fail(ctl *c, tqk_err err, const char *subject, const char *detail);
int ctl_store_fail(ctl *c, const tqk_store *s, tqk_err err, const char *subject);
/*
 * Opens the store at path, read-only unless write (create implies write),
 * and reports a failure with ctl_fail(); on a damaged store it also names
 * the newest good backup and the command that restores it
 * (ctl_offer_backup). Returns TQK_OK or the failure.
 */
tqk_err ctl_store_open(ctl *c, const char *path, bool write, bool create, tqk_store **out);
/* backup=<newest good backup of path's default directory> (or "none") and
 * restore=<the tqkioskctl command that restores it>, also said on stderr. */
void ctl_offer_backup(ctl *c, const char *path);

int cmd_id(ctl *c, int argc, char **argv);
int cmd_cert(ctl *c, int argc, char **argv);
int cmd_window(ctl *c, int argc, char **argv);
int cmd_archive(ctl *c, int argc, char **argv);
int cmd_db(ctl *c, int argc, char **argv);
int cmd_queue(ctl *c, int argc, char **argv);
int cmd_audit(ctl *c, int argc, char **argv);
int cmd_purge(ctl *c, int argc, char **argv);
int cmd_import(ctl *c, int argc, char **argv);
int cmd_find(ctl *c, int argc, char **argv);
int cmd_confirm(ctl *c, int argc, char **argv);
int cmd_sync(ctl *c, int argc, char **argv);
int cmd_retry(ctl *c, int argc, char **argv);
/* Devices and barcodes: cmd_device.c, cmd_scan.c, cmd_payload.c. */
int cmd_read_id(ctl *c, int argc, char **argv);
int cmd_scan_image(ctl *c, int argc, char **argv);
int cmd_payload(ctl *c, int argc, char **argv);
int cmd_pin_hash(ctl *c, int argc, char **argv);
/* Printed documents and rosters: cmd_print.c, cmd_roster.c. */
int cmd_print(ctl *c, int argc, char **argv);
int cmd_roster(ctl *c, int argc, char **argv);

#endif
