/*
 * lockout.h - the clerks' PIN lockout (issue 6): five wrong PINs in a row
 * lock that clerk for five minutes; a right PIN, or the end of the lock,
 * starts the count afresh. Pure: the caller keeps one tqk_lockout per
 * clerk (and may persist it) and passes the time in.
 */
#ifndef TQK_CORE_LOCKOUT_H
#define TQK_CORE_LOCKOUT_H

#include <stdbool.h>

#include "core/date.h"

#define TQK_LOCKOUT_TRIES 5          /* wrong PINs that lock */
#define TQK_LOCKOUT_SECONDS 300      /* how long the lock holds */

typedef struct tqk_lockout {
	int failures;                /* wrong PINs in a row */
	tqk_time until;              /* locked before this instant; 0 when not locked */
} tqk_lockout;

/* Whether a PIN may be tried at now; a lock that has run out is cleared. */
bool tqk_lockout_may_try(tqk_lockout *l, tqk_time now);
/* Records the outcome of a try at now (the caller asked may_try first);
 * returns true when this wrong PIN set the lock. */
bool tqk_lockout_record(tqk_lockout *l, bool right, tqk_time now);
/* Seconds of the lock left at now (0 when not locked). */
long tqk_lockout_left(const tqk_lockout *l, tqk_time now);

#endif
