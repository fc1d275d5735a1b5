/*
 * county.h - a real county server (tq-county, path in $TQK_COUNTY) for the
 * sync tests: started on a fresh database in a scratch directory, on a free
 * loopback port, provisioned with a site, a kiosk, a clerk, a plan and demo
 * applications, stopped cleanly (SIGTERM, exit status 0) or killed
 * (SIGKILL), and started again on the same port.
 *
 * Also: `tq-county admin` with its output captured, and the server's test
 * faults (POST /test/fault, only with --test-faults).
 *
 * The server's stdout goes to DIR/server.out (read for the "listening" line)
 * and its stderr is appended to DIR/server.log, which county_dump_log()
 * prints when a test wants to show what the server said.
 *
 * Plain C without cmocka: functions return 0 on success and -1 on failure
 * with the reason in c->why, so benchmarks and threads use them too. One
 * county may be driven from several threads only if they take turns.
 */
#ifndef TQK_TEST_COUNTY_H
#define TQK_TEST_COUNTY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "store/store.h"
#include "support/proc.h"
#include "sync/config.h"

#define COUNTY_SECRET_HEX 65            /* 64 hex digits + NUL */

typedef struct county {
	char bin[1200];                 /* tq-county */
	char dir[512];                  /* scratch directory (the caller's) */
	char db[600];                   /* DIR/county.db */
	bool faults;                    /* started with --test-faults */
	char tls_cert[600], tls_key[600]; /* PEM files for --tls-cert/--tls-key; "" for plain http */
	pid_t pid;                      /* the running server; -1 when none */
	int port;                       /* its port (kept across restarts) */
	int exit_status;                /* how the last server ended: status or 128 + signal */
	unsigned starts;                /* servers started so far */
	char why[512];                  /* what went wrong last */
} county;

/* Milliseconds a server may take to say "listening", and to exit on SIGTERM. */
#define COUNTY_START_MS 10000
#define COUNTY_STOP_MS 10000

/*
 * Fills c for a server whose files live in dir (which must exist) and starts
 * it on 127.0.0.1:0 (a free port, read back from its "listening" line), with
 * --test-faults when faults. The binary is $TQK_COUNTY, else bin/tq-county
 * of the build this program belongs to. c->pid and c->port are set on
 * success.
 */
int county_start(county *c, const char *dir, bool faults);

/* The same over TLS: `serve --tls-cert cert --tls-key key` (PEM files; kept
 * for restarts). The url is then https://127.0.0.1:PORT, which county_url
 * and county_fault (plain http) do not speak. */
int county_start_tls(county *c, const char *dir, const char *cert, const char *key);

/*
 * Starts the server again on c->port, retrying for a few seconds while the
 * port is still taken. The previous server must have ended (county_stop,
 * county_kill, or died by itself: county_reap).
 */
int county_restart(county *c);

/* SIGTERM, then waits up to COUNTY_STOP_MS; 0 only when it exited with
 * status 0 (otherwise it is killed, and why says how it ended). */
int county_stop(county *c);

/* SIGKILL and wait. */
void county_kill(county *c);

/* Whether the server has ended by itself (reaping it; exit_status tells how). */
bool county_reap(county *c);

/* Restarts the server if it has ended by itself; 0 when it is running. */
int county_ensure_up(county *c);

/*
 * Site site (county CSX, year 2026, site number 1, serial width width) with
 * kiosk kiosk, whose secret goes into secret; clerk C007 (PIN 1234); a plan
 * whose application window is 2026-03-01..2026-04-30 and whose confirmation
 * period 2026-05-01..2026-12-31 takes in FIXTURE_NOW and today; and apps
 * demo applications generated with seed. Works whether the server runs or
 * not.
 */
int county_provision(county *c, const char *site, const char *kiosk, int width, size_t apps,
                     unsigned seed, char secret[COUNTY_SECRET_HEX]);

/* Adds another kiosk to a site; its secret into secret. */
int county_kiosk_add(county *c, const char *site, const char *kiosk,
                     char secret[COUNTY_SECRET_HEX]);

/*
 * Runs `tq-county admin --db DB` followed by the NULL-terminated arguments,
 * capturing its output in *out (proc_result_free it). Returns the exit
 * status, or -1 when the program could not run.
 */
int county_admin(county *c, proc_result *out, ...) __attribute__((sentinel));

/* The same, requiring exit status 0; -1 (why says why, with stderr) otherwise. */
int county_admin_ok(county *c, proc_result *out, ...) __attribute__((sentinel));

/* The number after "key=" in `admin stats`; -1 when it cannot be read. */
long county_stat(county *c, const char *key);

/*
 * The server's confirmations (`admin confirmations list`): the uuid of each
 * line into uuids (malloc'd array of malloc'd strings, county_free_lines), their
 * number in *n. Also checks that no uuid appears twice: *dups counts repeats.
 */
int county_confirmation_uuids(county *c, char ***uuids, size_t *n, size_t *dups);
void county_free_lines(char **lines, size_t n);

/* POST /test/fault {"fault": name, "count": count, "ms": ms} to the server
 * (not through any proxy); "none" clears. */
int county_fault(county *c, const char *name, int count, int ms);

/* Prints the last max bytes of the server's stderr (DIR/server.log) to stderr. */
void county_dump_log(const county *c, size_t max);

/* "http://127.0.0.1:PORT" for port. */
void county_url(int port, char *buf, size_t cap);

/* ---- the kiosk's side of it ---- */

/*
 * A sync configuration for kiosk (secret: 64 hex digits) talking to
 * 127.0.0.1:port, with short timeouts for tests: connect 1 s, total
 * timeout_s, backoff cap 2 s, batch records per upload (0: the default).
 */
int county_kiosk_config(tqk_sync_config *cfg, int port, const char *kiosk, const char *secret,
                        int timeout_s, int batch);

/* A new, empty kiosk store at path with site S01 (county CSX, year 2026,
 * site number 1, serial width width) and kiosk kiosk; NULL on failure (with
 * a message on stderr). Its applications are to come from the server. */
tqk_store *county_kiosk_store(const char *path, const char *kiosk, int width);
/* The same with the kiosk's block of the site's serials, first..last (0..0:
 * all of them): kiosks of one site take disjoint blocks. */
tqk_store *county_kiosk_store_serials(const char *path, const char *kiosk, int width,
                                      unsigned first, unsigned last);

/* The registration number of the first application in the kiosk store that
 * is still submitted (so a confirmation may be committed on it); -1 when
 * there is none. */
int county_kiosk_submitted(tqk_store *s, char reg_no[TQK_CODE_CAP]);

#endif
