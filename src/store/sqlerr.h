/*
 * sqlerr.h - SQLite's result codes as tqk_err: the one mapping shared by the
 * kiosk's store and the county server's own database.
 */
#ifndef TQK_STORE_SQLERR_H
#define TQK_STORE_SQLERR_H

#include "core/err.h"

/*
 * TQK_OK for SQLITE_OK, _ROW and _DONE; TQK_E_STORE_FULL, _IO, _READONLY
 * (also for SQLITE_PERM), _BUSY (also SQLITE_LOCKED), _CORRUPT (also
 * SQLITE_NOTADB), _OPEN, TQK_E_NOMEM; TQK_E_STORE_INTERNAL for anything
 * else. Extended codes map as their primary code.
 */
tqk_err tqk_sqlite_err(int rc);

#endif
