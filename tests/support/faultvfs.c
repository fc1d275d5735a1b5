/*
 * faultvfs.c - a VFS shim over SQLite's "unix" VFS that counts writes, syncs
 * and truncates and fails the one it is told to.
 *
 * Each file opened through the shim is a struct fv_file followed, in the
 * same allocation (szOsFile), by the unix VFS's own file object; every method
 * forwards to that one after the fault check. The VFS methods that take no
 * file forward to "unix" with the unix VFS itself as argument, since some of
 * them read its pAppData.
 */
#include "faultvfs.h"

#include <sqlite3.h>
#include <stddef.h>

struct fv_file {
	sqlite3_file base;
	sqlite3_file *real;     /* right after this struct */
};

static sqlite3_vfs *root;   /* "unix" */

static struct {
	long calls[FAULTVFS_OPS];
	long fired;
	bool armed, sticky;
	faultvfs_op op;
	long n;
	int rc;
} fv;

/* Counts one call of op; the result code it must fail with, or SQLITE_OK. */
static int fault(faultvfs_op op)
{
	long k = ++fv.calls[op];
	if (!fv.armed || op != fv.op || k < fv.n || (k > fv.n && !fv.sticky))
		return SQLITE_OK;
	fv.fired++;
	return fv.rc;
}

void faultvfs_arm(faultvfs_op op, long n, int rc, bool sticky)
{
	for (int i = 0; i < FAULTVFS_OPS; i++)
		fv.calls[i] = 0;
	fv.fired = 0;
	fv.op = op;
	fv.n = n;
	fv.rc = rc;
	fv.sticky = sticky;
	fv.armed = true;
}

void faultvfs_disarm(void)
{
	fv.armed = false;
}

long faultvfs_calls(faultvfs_op op)
{
	return (unsigned)op < FAULTVFS_OPS ? fv.calls[op] : 0;
}

long faultvfs_fired(void)
{
	return fv.fired;
}

/* ---- the file ---- */

#define REAL(f) (((struct fv_file *)(f))->real)

static int fv_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int fv_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int fv_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	int rc = fault(FAULTVFS_WRITE);
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int fv_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	int rc = fault(FAULTVFS_TRUNCATE);
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int fv_sync(sqlite3_file *f, int flags)
{
	int rc = fault(FAULTVFS_SYNC);
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int fv_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int fv_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int fv_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int fv_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int fv_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int fv_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int fv_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

/* The shared-memory and mmap methods exist from io_methods versions 2 and
 * 3; the unix VFS has both. */
static int fv_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	if (REAL(f)->pMethods->iVersion < 2)
		return SQLITE_IOERR_SHMMAP;
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int fv_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void fv_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int fv_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag);
}

static int fv_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	if (REAL(f)->pMethods->iVersion < 3) {
		*pp = NULL;
		return SQLITE_OK;
	}
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int fv_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	if (REAL(f)->pMethods->iVersion < 3)
		return SQLITE_OK;
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fv_methods = {
	.iVersion = 3,
	.xClose = fv_close,
	.xRead = fv_read,
	.xWrite = fv_write,
	.xTruncate = fv_truncate,
	.xSync = fv_sync,
	.xFileSize = fv_file_size,
	.xLock = fv_lock,
	.xUnlock = fv_unlock,
	.xCheckReservedLock = fv_check_reserved,
	.xFileControl = fv_file_control,
	.xSectorSize = fv_sector_size,
	.xDeviceCharacteristics = fv_device,
	.xShmMap = fv_shm_map,
	.xShmLock = fv_shm_lock,
	.xShmBarrier = fv_shm_barrier,
	.xShmUnmap = fv_shm_unmap,
	.xFetch = fv_fetch,
	.xUnfetch = fv_unfetch,
};

/* ---- the VFS ---- */

static int fv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
	(void)vfs;
	struct fv_file *f = (struct fv_file *)file;
	f->real = (sqlite3_file *)(f + 1);
	int rc = root->xOpen(root, name, f->real, flags, out_flags);
	/* SQLite calls xClose exactly when pMethods is set, even after a
	 * failed open: mirror what the unix VFS left. */
	f->base.pMethods = f->real->pMethods != NULL ? &fv_methods : NULL;
	return rc;
}

static int fv_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return root->xDelete(root, name, sync_dir);
}

static int fv_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return root->xAccess(root, name, flags, out);
}

static int fv_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return root->xFullPathname(root, name, n, out);
}

static void *fv_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return root->xDlOpen(root, name);
}

static void fv_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	root->xDlError(root, n, msg);
}

static void (*fv_dl_sym(sqlite3_vfs *vfs, void *lib, const char *sym))(void)
{
	(void)vfs;
	return root->xDlSym(root, lib, sym);
}

static void fv_dl_close(sqlite3_vfs *vfs, void *lib)
{
	(void)vfs;
	root->xDlClose(root, lib);
}

static int fv_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return root->xRandomness(root, n, out);
}

static int fv_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return root->xSleep(root, us);
}

static int fv_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return root->xCurrentTime(root, out);
}

static int fv_last_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	return root->xGetLastError(root, n, msg);
}

static int fv_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return root->xCurrentTimeInt64(root, out);
}

static sqlite3_vfs fv_vfs = {
	.iVersion = 2,
	.zName = FAULTVFS_NAME,
	.xOpen = fv_open,
	.xDelete = fv_delete,
	.xAccess = fv_access,
	.xFullPathname = fv_full_pathname,
	.xDlOpen = fv_dl_open,
	.xDlError = fv_dl_error,
	.xDlSym = fv_dl_sym,
	.xDlClose = fv_dl_close,
	.xRandomness = fv_randomness,
	.xSleep = fv_sleep,
	.xCurrentTime = fv_current_time,
	.xGetLastError = fv_last_error,
	.xCurrentTimeInt64 = fv_current_time64,
};

int faultvfs_register(void)
{
	if (root != NULL)
		return SQLITE_OK;
	sqlite3_vfs *unix_vfs = sqlite3_vfs_find("unix");
	if (unix_vfs == NULL || unix_vfs->iVersion < 2)
		return SQLITE_ERROR;
	fv_vfs.szOsFile = (int)sizeof(struct fv_file) + unix_vfs->szOsFile;
	fv_vfs.mxPathname = unix_vfs->mxPathname;
	root = unix_vfs;
	int rc = sqlite3_vfs_register(&fv_vfs, 0);
	if (rc != SQLITE_OK)
		root = NULL;
	return rc;
}
