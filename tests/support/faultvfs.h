/*
 * faultvfs.h - an SQLite VFS for tests that makes a chosen write, sync or
 * truncate fail.
 *
 * faultvfs_register() adds a VFS named FAULTVFS_NAME that passes everything
 * to the default "unix" VFS and counts the xWrite, xSync and xTruncate calls
 * made on every file opened through it (the database, its WAL, journals).
 * Armed, it fails the n-th call of one kind (or, sticky, that call and every
 * later one) with the given result code without doing it: a failed write
 * writes nothing, a failed sync leaves the written data in the page cache
 * (as a real failed fsync may), a failed truncate leaves the size alone.
 * Open a store with tqk_store_options.vfs = FAULTVFS_NAME to use it.
 *
 * The counters are plain globals: drive it from one thread at a time.
 */
#ifndef TQK_TEST_FAULTVFS_H
#define TQK_TEST_FAULTVFS_H

#include <stdbool.h>

#define FAULTVFS_NAME "tqk-fault"

typedef enum faultvfs_op {
	FAULTVFS_WRITE = 0,
	FAULTVFS_SYNC,
	FAULTVFS_TRUNCATE,
	FAULTVFS_OPS
} faultvfs_op;

/* Registers the VFS (not as the default); later calls do nothing. Returns
 * an SQLite result code. */
int faultvfs_register(void);

/* Zeroes the counters and fails call number n (1-based) of kind op with rc
 * (e.g. SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_FULL); when sticky,
 * every later call of that kind fails too. */
void faultvfs_arm(faultvfs_op op, long n, int rc, bool sticky);

/* Stops failing; the counters keep counting. */
void faultvfs_disarm(void);

/* Calls of kind op since the last faultvfs_arm (or since registering). */
long faultvfs_calls(faultvfs_op op);

/* How many calls failed since the last faultvfs_arm. */
long faultvfs_fired(void);

#endif
