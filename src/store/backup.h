/*
 * backup.h - online backups of the store, and restoring one.
 *
 * A backup is a consistent copy made with SQLite's backup API while the
 * kiosk keeps working; it is written under a temporary name, checked with
 * quick_check, synced, and renamed into place as
 * tqkiosk-YYYYMMDD-HHMMSS.db (Beijing time), so a crash never leaves a
 * half backup under a good name. Only the newest `keep` are kept.
 */
#ifndef TQK_STORE_BACKUP_H
#define TQK_STORE_BACKUP_H

#include <stddef.h>

#include "core/date.h"
#include "store/store.h"

#define TQK_BACKUP_KEEP_DEFAULT 7
#define TQK_BACKUP_PATH_CAP 4096

/* The default backup directory for a store: "<db path>.backups". */
tqk_err tqk_backup_dir_default(const char *db_path, char *buf, size_t cap) TQK_MUST_CHECK;

/*
 * Backs s up into dir (created 0700 when missing), named after now, then
 * removes the oldest backups beyond keep (>= 1). The new file's path goes
 * to path (when not NULL).
 */
tqk_err tqk_store_backup(tqk_store *s, const char *dir, int keep, tqk_time now,
                         char *path, size_t cap) TQK_MUST_CHECK;

/* The newest backup in dir that passes integrity_check (what a restore
 * demands); TQK_E_STORE_NO_BACKUP. */
tqk_err tqk_backup_newest_good(const char *dir, char *path, size_t cap) TQK_MUST_CHECK;

/*
 * Replaces the store at db_path with the backup at backup_path, which must
 * pass integrity_check (TQK_E_STORE_CORRUPT). The damaged file and its WAL
 * are kept beside it as "<db>.damaged-YYYYMMDD-HHMMSS"; that name goes to
 * damaged (when not NULL; "" when there was no file). Nothing may have the
 * store open meanwhile.
 */
tqk_err tqk_store_restore(const char *db_path, const char *backup_path, tqk_time now,
                          char damaged[TQK_BACKUP_PATH_CAP]) TQK_MUST_CHECK;

#endif
