/*
 * sqlfile.c - owner-only SQLite files in WAL mode, and SQLite's result
 * codes as tqk_err.
 */
#include "store/sqlfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

tqk_err tqk_sqlite_file(const char *path, bool create, bool tighten, char *detail, size_t cap)
{
	struct stat sb;
	if (stat(path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode)) {
			snprintf(detail, cap, "%s is not a regular file", path);
			return TQK_E_STORE_OPEN;
		}
		if ((sb.st_mode & 077) != 0 && tighten && chmod(path, sb.st_mode & 0700) != 0) {
			snprintf(detail, cap, "chmod: %s", strerror(errno));
			return TQK_E_STORE_OPEN;
		}
		return TQK_OK;
	}
	if (errno != ENOENT || !create) {
		int e = errno;
		snprintf(detail, cap, "%s: %s", path, strerror(e));
		return e == ENOENT ? TQK_E_STORE_MISSING : TQK_E_STORE_OPEN;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(detail, cap, "%s: %s", path, strerror(errno));
		return TQK_E_STORE_OPEN;
	}
	close(fd);
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return TQK_OK;
}

tqk_err tqk_sqlite_wal(sqlite3 *db, char *detail, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	tqk_err err = TQK_OK;
	if (rc == SQLITE_ROW) {
		const char *mode = (const char *)sqlite3_column_text(st, 0);
		if (mode == NULL || strcmp(mode, "wal") != 0) {
			snprintf(detail, cap, "journal_mode is %s, not wal", mode != NULL ? mode : "?");
			err = TQK_E_STORE_OPEN;
		}
	} else {
		snprintf(detail, cap, "%s (SQLite %d)", sqlite3_errmsg(db), rc);
		err = tqk_sqlite_err(rc);
	}
	sqlite3_finalize(st);
	return err;
}
