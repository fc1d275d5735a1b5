/*
 * idsim.h - the ID-card reader simulator (tq-idreader-sim) run by a test.
 *
 * Starts $TQK_IDSIM with its control channel on a pipe, reads the pty path
 * it prints first, and sends it commands one at a time, waiting for each
 * answer line, so that a test knows the simulator did what it was told
 * before the driver polls again. The child gets SIGTERM if the test dies.
 * Every failure fails the running cmocka test.
 */
#ifndef TQK_TEST_IDSIM_H
#define TQK_TEST_IDSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dev/idcard.h"

typedef struct idsim idsim;

/* The simulator's path ($TQK_IDSIM); fails the test when it is unset. */
const char *idsim_bin(void);

/* Starts the simulator with the options args (NULL-terminated; may be NULL)
 * and waits for its "pty PATH" line. */
idsim *idsim_start(const char *const *args);

/* The current pty (it changes after "plug"), and "tty:" + it. */
const char *idsim_path(const idsim *s);
const char *idsim_address(const idsim *s);

/*
 * Sends one command line and waits up to 5 s for its answer ("ok ...",
 * "error ...", "stats ..."), which goes into reply (cap bytes) when reply is
 * not NULL. A "pty PATH" line on the way updates the path. Returns true for
 * an answer that does not begin with "error".
 */
bool idsim_cmd(idsim *s, const char *cmd, char *reply, size_t cap);

/* The same, failing the test unless the answer begins with "ok". */
void idsim_ok(idsim *s, const char *cmd);

/* One counter of the "stats" answer ("find", "read", "reads_ok", ...). */
unsigned long idsim_stat(idsim *s, const char *name);

/* The child's pid (for signals). */
int idsim_pid(const idsim *s);

/* Takes the next answer line (one the simulator sent by itself, after
 * SIGUSR1) and fails the test unless it is line. */
void idsim_expect(idsim *s, const char *line);

/* Tells it to quit and waits; returns its exit status. NULL: no-op (0). */
int idsim_stop(idsim *s);

/* Waits up to max_ms for it to end by itself (--once), without telling it
 * to quit; returns its exit status, or fails the test (and kills it). */
int idsim_wait(idsim *s, int max_ms);

/* The photo the simulator makes for an ID number (cards.h's algorithm,
 * written again here so that the test checks the simulator). */
void idsim_photo(const char *id, uint8_t out[TQK_IDCARD_PHOTO_LEN]);

#endif
