/*
 * cupsd.h - a private CUPS scheduler for the printing tests: /usr/sbin/cupsd
 * run in the foreground as a child, with every file it reads or writes under
 * one mkdtemp directory (its ServerRoot, state, cache, spool, temp, logs and
 * a ServerBin of its own), listening on a free loopback port only, without
 * browsing, sharing, a web interface or authentication. The machine's own
 * CUPS (/etc/cups, /run/cups) is never touched.
 *
 * Its ServerBin's backend/ holds "testfile", a shell script acting as a CUPS
 * backend (mode 0700, so cupsd runs it as root): for a device URI
 * "testfile:/some/path" it writes the job's document (from the file named in
 * argv[6], or stdin) to /some/path; "testfile:fail" says "ERROR: tqk test
 * backend fails" and exits 1 (CUPS_BACKEND_FAILED), "testfile:stop" says
 * "ERROR: tqk test backend stops" and exits 4 (CUPS_BACKEND_STOP).
 *
 * The child gets SIGKILL should the test process die first. Plain C without
 * cmocka: failures return NULL or -1 and say why.
 */
#ifndef TQK_TEST_CUPSD_H
#define TQK_TEST_CUPSD_H

#include <stdbool.h>
#include <stddef.h>

#define TEST_CUPSD_BIN "/usr/sbin/cupsd"
#define TEST_LPADMIN_BIN "/usr/sbin/lpadmin"

typedef struct test_cupsd test_cupsd;

/* Writes the configuration and starts cupsd, waiting (up to 15 s) until it
 * accepts connections. Returns the handle, or NULL with why (cap bytes)
 * saying why cupsd cannot run here; nothing is left behind then. */
test_cupsd *test_cupsd_start(char *why, size_t cap);

/* "127.0.0.1:PORT": the server to give libcups. */
const char *test_cupsd_server(const test_cupsd *d);

/* The scratch directory (for files the backend writes). */
const char *test_cupsd_dir(const test_cupsd *d);

/* Adds and enables a raw queue `name` whose device URI is
 * "testfile:" target; abort_job sets printer-error-policy=abort-job (a
 * failing backend then aborts the job instead of stopping the queue).
 * Returns 0, or -1 after printing what lpadmin said. */
int test_cupsd_add_queue(test_cupsd *d, const char *name, const char *target, bool abort_job);

/* Stops the scheduler (SIGTERM, then SIGKILL after 5 s) and reaps it; the
 * directory stays. A second call does nothing. */
void test_cupsd_stop(test_cupsd *d);

/* Prints the tail of cupsd's error log to stderr (for a failing test). */
void test_cupsd_dump_log(const test_cupsd *d);

/* Stops it and removes the directory; NULL is a no-op. */
void test_cupsd_free(test_cupsd *d);

#endif
