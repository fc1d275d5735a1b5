/*
 * sqlfile.h - what every SQLite file of the project needs, shared by the
 * kiosk's store and the county server's database: the file created
 * owner-only, WAL mode checked, and SQLite's result codes as tqk_err.
 */
#ifndef TQK_STORE_SQLFILE_H
#define TQK_STORE_SQLFILE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/*
 * TQK_OK for SQLITE_OK, _ROW and _DONE; TQK_E_STORE_FULL, _IO, _READONLY
 * (also for SQLITE_PERM), _BUSY (also SQLITE_LOCKED), _CORRUPT (also
 * SQLITE_NOTADB), _OPEN, TQK_E_NOMEM; TQK_E_STORE_INTERNAL for anything
 * else. Extended codes map as their primary code.
 */
tqk_err tqk_sqlite_err(int rc);

/*
 * Gets path ready for SQLite: with create, a missing file is made mode 0600
 * and its directory synced, so the new name survives a power cut; with
 * tighten, an existing file readable by others is made owner-only (SQLite
 * gives its -wal and -shm files the main file's mode). TQK_E_STORE_MISSING
 * (missing and not create) or TQK_E_STORE_OPEN, with the reason in detail.
 */
tqk_err tqk_sqlite_file(const char *path, bool create, bool tighten, char *detail,
                        size_t cap) TQK_MUST_CHECK;

/* Switches db to WAL and checks that SQLite agreed; TQK_E_STORE_OPEN (or
 * SQLite's error) with the reason in detail otherwise. */
tqk_err tqk_sqlite_wal(sqlite3 *db, char *detail, size_t cap) TQK_MUST_CHECK;

#endif
