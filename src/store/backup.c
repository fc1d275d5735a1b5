/*
 * backup.c - online backups with rotation, finding the newest good one,
 * and restoring it in place of a damaged store.
 */
#include "store/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/audit.h"
#include "store/internal.h"

#define PREFIX "tqkiosk-"
#define SUFFIX ".db"
#define MAX_LISTED 1024

tqk_err tqk_backup_dir_default(const char *db_path, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%s.backups", db_path);
	return n < 0 || (size_t)n >= cap ? TQK_E_TOO_LONG : TQK_OK;
}

static void say(char *detail, const char *what, const char *path)
{
	/* A long path is cut short: the message is for a person. */
	if (detail != NULL && snprintf(detail, TQK_STORE_DETAIL_CAP, "%s %s: %s", what, path,
	                               strerror(errno)) < 0)
		detail[0] = '\0';
}

/* fsync of a file or directory by path; false on failure. */
static bool sync_path(const char *path, bool dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

/* Copies the main database of src into the file at path (which must not
 * exist; created 0600), with the journal mode given. */
static tqk_err copy_db(sqlite3 *src, const char *path, const char *journal, char *detail)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		say(detail, "create", path);
		return errno == ENOSPC ? TQK_E_STORE_FULL : TQK_E_STORE_OPEN;
	}
	close(fd);
	tqk_store dst = {0};
	int rc = sqlite3_open_v2(path, &dst.db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_backup *b = sqlite3_backup_init(dst.db, "main", src, "main");
		if (b == NULL) {
			rc = sqlite3_errcode(dst.db);
		} else {
			rc = sqlite3_backup_step(b, -1);
			int done = sqlite3_backup_finish(b);
			rc = rc == SQLITE_DONE ? done : rc;
		}
	}
	tqk_err err = store_err(&dst, rc);
	if (err == TQK_OK)
		err = store_exec(&dst, journal);
	if (err == TQK_OK)
		err = tqk_store_check(&dst, false);
	if (err != TQK_OK && detail != NULL)
		snprintf(detail, TQK_STORE_DETAIL_CAP, "%s", dst.detail);
	sqlite3_close(dst.db);
	if (err == TQK_OK && !sync_path(path, false)) {
		say(detail, "fsync", path);
		err = TQK_E_STORE_IO;
	}
	if (err != TQK_OK)
		unlink(path);
	return err;
}

/* Names sort by their stamp, then by the -N of a later backup within the
 * same second (none counts as 1): plain strcmp puts ".db" after "-2.db"
 * and "-10" before "-9". */
#define STAMP_LEN 15        /* YYYYMMDD-HHMMSS */
static long name_seq(const char *name)
{
	if (strlen(name) <= strlen(PREFIX) + STAMP_LEN)
		return 0;
	const char *p = name + strlen(PREFIX) + STAMP_LEN;
	return *p == '-' ? strtol(p + 1, NULL, 10) : 1;
}

static int by_name_desc(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int c = strncmp(y, x, strlen(PREFIX) + STAMP_LEN);
	if (c != 0)
		return c;
	long sx = name_seq(x), sy = name_seq(y);
	return sy != sx ? (sy > sx ? 1 : -1) : strcmp(y, x);
}

/* Whether name is one this module writes: PREFIX, YYYYMMDD-HHMMSS,
 * optionally -N, SUFFIX. Other files in the directory are left alone. */
static bool backup_name(const char *name)
{
	const char *p = name + strlen(PREFIX);
	if (strncmp(name, PREFIX, strlen(PREFIX)) != 0 || strlen(p) < STAMP_LEN + strlen(SUFFIX))
		return false;
	for (int i = 0; i < STAMP_LEN; i++)
		if (i == 8 ? p[i] != '-' : (p[i] < '0' || p[i] > '9'))
			return false;
	p += STAMP_LEN;
	if (*p == '-') {
		const char *digits = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == digits || p - digits > 3)
			return false;
	}
	return strcmp(p, SUFFIX) == 0;
}

/* The backups in dir, newest first (names sort by time); caller frees. */
static size_t list_backups(const char *dir, char ***out)
{
	*out = NULL;
	DIR *d = opendir(dir);
	if (d == NULL)
		return 0;
	char **names = calloc(MAX_LISTED, sizeof *names);
	size_t n = 0;
	struct dirent *e;
	while (names != NULL && n < MAX_LISTED && (e = readdir(d)) != NULL)
		if (backup_name(e->d_name) && (names[n] = strdup(e->d_name)) != NULL)
			n++;
	closedir(d);
	if (names != NULL)
		qsort(names, n, sizeof *names, by_name_desc);
	*out = names;
	return n;
}

static void free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* "YYYYMMDD-HHMMSS" in Beijing time. */
#define STAMP_CAP 32
static void stamp(tqk_time now, char out[STAMP_CAP])
{
	tqk_local l = tqk_time_to_local(now);
	tqk_date d = tqk_day_to_date(l.day);
	snprintf(out, STAMP_CAP, "%04d%02d%02d-%02d%02d%02d", d.year % 10000, d.month % 100, d.day % 100,
	         (l.sec / 3600) % 100, (l.sec / 60) % 60, l.sec % 60);
}

tqk_err tqk_store_backup(tqk_store *s, const char *dir, int keep, tqk_time now, char *path,
                         size_t cap)
{
	if (keep < 1)
		return TQK_E_ARG;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		say(s->detail, "mkdir", dir);
		return TQK_E_STORE_OPEN;
	}
	char when[STAMP_CAP], name[TQK_BACKUP_PATH_CAP], tmp[TQK_BACKUP_PATH_CAP];
	stamp(now, when);
	/* Two backups within one second get -2, -3...: never overwrite one. */
	for (int i = 1;; i++) {
		int n = i == 1 ? snprintf(name, sizeof name, "%s/" PREFIX "%s" SUFFIX, dir, when)
		               : snprintf(name, sizeof name, "%s/" PREFIX "%s-%d" SUFFIX, dir, when, i);
		if (n < 0 || (size_t)n >= sizeof name - 8)
			return TQK_E_TOO_LONG;
		if (access(name, F_OK) != 0 || i > 99)
			break;
	}
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", name) >= sizeof tmp)
		return TQK_E_TOO_LONG;
	unlink(tmp);        /* a leftover of a crash */
	tqk_err err = copy_db(s->db, tmp, "PRAGMA journal_mode = DELETE", s->detail);
	if (err != TQK_OK)
		return err;
	if (rename(tmp, name) != 0 || !sync_path(dir, true)) {
		say(s->detail, "rename", name);
		unlink(tmp);
		return TQK_E_STORE_IO;
	}
	if (path != NULL && (size_t)snprintf(path, cap, "%s", name) >= cap)
		err = TQK_E_TOO_LONG;

	/* Keep the new backup whatever its name says (a clock set back makes
	 * it sort below older ones), and the newest keep - 1 others. */
	const char *mine = name + strlen(dir) + 1;
	char **names;
	size_t n = list_backups(dir, &names);
	for (size_t i = 0, kept = 1; i < n; i++) {
		if (strcmp(names[i], mine) == 0)
			continue;
		if (kept < (size_t)keep) {
			kept++;
			continue;
		}
		char old[TQK_BACKUP_PATH_CAP];
		if ((size_t)snprintf(old, sizeof old, "%s/%s", dir, names[i]) < sizeof old)
			unlink(old);
	}
	free_list(names, n);
	return err;
}

tqk_err tqk_backup_newest_good(const char *dir, char *path, size_t cap)
{
	char **names;
	size_t n = list_backups(dir, &names);
	tqk_err err = TQK_E_STORE_NO_BACKUP;
	for (size_t i = 0; i < n && err == TQK_E_STORE_NO_BACKUP; i++) {
		char full[TQK_BACKUP_PATH_CAP];
		if ((size_t)snprintf(full, sizeof full, "%s/%s", dir, names[i]) >= sizeof full)
			continue;
		tqk_store *b = NULL;
		tqk_store_options ro = {.readonly = true};
		if (tqk_store_open(full, &ro, &b, NULL) == TQK_OK && tqk_store_check(b, true) == TQK_OK &&
		    (size_t)snprintf(path, cap, "%s", full) < cap)
			err = TQK_OK;
		tqk_store_free(b);
	}
	free_list(names, n);
	return err;
}

/* Moves path (and its -wal, -shm) aside to path.damaged-<when>; the new
 * name of the main file goes to moved ("" when there was none). */
static tqk_err move_aside(const char *path, const char *when, char moved[TQK_BACKUP_PATH_CAP])
{
	static const char *const ext[] = {"", "-wal", "-shm"};
	moved[0] = '\0';
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		char from[TQK_BACKUP_PATH_CAP], to[TQK_BACKUP_PATH_CAP];
		if ((size_t)snprintf(from, sizeof from, "%s%s", path, ext[i]) >= sizeof from ||
		    (size_t)snprintf(to, sizeof to, "%s.damaged-%s%s", path, when, ext[i]) >= sizeof to)
			return TQK_E_TOO_LONG;
		if (rename(from, to) == 0) {
			if (i == 0)
				memcpy(moved, to, strlen(to) + 1);
		} else if (errno != ENOENT) {
			return TQK_E_STORE_IO;
		}
	}
	return TQK_OK;
}

tqk_err tqk_store_restore(const char *db_path, const char *backup_path, tqk_time now,
                          char damaged[TQK_BACKUP_PATH_CAP])
{
	char moved[TQK_BACKUP_PATH_CAP] = "";
	tqk_store *b = NULL;
	tqk_store_options ro = {.readonly = true};
	tqk_err err = tqk_store_open(backup_path, &ro, &b, NULL);
	if (err == TQK_OK)
		err = tqk_store_check(b, true);
	char when[STAMP_CAP];
	stamp(now, when);
	if (err == TQK_OK)
		err = move_aside(db_path, when, moved);
	if (err == TQK_OK)
		err = copy_db(b->db, db_path, "PRAGMA journal_mode = WAL", NULL);
	tqk_store_free(b);
	if (damaged != NULL)
		memcpy(damaged, moved, strlen(moved) + 1);
	if (err != TQK_OK)
		return err;

	char dir[TQK_BACKUP_PATH_CAP];
	snprintf(dir, sizeof dir, "%s", db_path);
	char *slash = strrchr(dir, '/');
	if (slash != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	sync_path(slash != NULL ? dir : ".", true);

	/* The restored store carries the restore in its own audit trail. */
	tqk_store *s = NULL;
	if ((err = tqk_store_open(db_path, NULL, &s, NULL)) == TQK_OK) {
		const char *base = strrchr(backup_path, '/');
		err = tqk_store_audit_append(s, now, "admin", "restore", base ? base + 1 : backup_path,
		                             "");
	}
	tqk_store_free(s);
	return err;
}
