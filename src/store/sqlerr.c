/*
 * sqlerr.c - SQLite's result codes as tqk_err.
 */
#include "store/sqlerr.h"

#include <sqlite3.h>

tqk_err tqk_sqlite_err(int rc)
{
	if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
		return TQK_OK;
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return TQK_E_STORE_FULL;
	case SQLITE_IOERR:
		return TQK_E_STORE_IO;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return TQK_E_STORE_READONLY;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return TQK_E_STORE_BUSY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return TQK_E_STORE_CORRUPT;
	case SQLITE_CANTOPEN:
		return TQK_E_STORE_OPEN;
	case SQLITE_NOMEM:
		return TQK_E_NOMEM;
	default:
		return TQK_E_STORE_INTERNAL;
	}
}
