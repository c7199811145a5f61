/* sync_vfs.c: see sync_vfs.h. Every method forwards to the real file; only
 * xSync counts. */
#include "sync_vfs.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

typedef struct shim_file {
    sqlite3_file base;
    int wal;
    sqlite3_file *real;   /* the real VFS's file, allocated right after */
} shim_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static unsigned long wal_syncs;

#define REAL(f) (((shim_file *)(f))->real)

static int s_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
    return rc;
}
static int s_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int s_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int s_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int s_sync(sqlite3_file *f, int flags)
{
    if (((shim_file *)f)->wal)
        __atomic_add_fetch(&wal_syncs, 1, __ATOMIC_SEQ_CST);
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int s_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int s_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int s_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int s_check(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int s_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int s_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int s_chars(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int s_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, p);
}
static int s_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}
static void s_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int s_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

/* Version 2: no memory-mapped I/O (xFetch), which the journal never turns on. */
static const sqlite3_io_methods shim_methods = {
    2, s_close, s_read, s_write, s_truncate, s_sync, s_size, s_lock, s_unlock, s_check,
    s_control, s_sector, s_chars, s_shm_map, s_shm_lock, s_shm_barrier, s_shm_unmap,
    NULL, NULL,
};

static int s_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    shim_file *s = (shim_file *)f;
    (void)vfs;
    memset(s, 0, sizeof *s);
    s->real = (sqlite3_file *)(s + 1);
    s->wal = (flags & SQLITE_OPEN_WAL) != 0;
    int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out);
    /* xClose is called even when xOpen fails, whenever pMethods is set. */
    s->base.pMethods = s->real->pMethods ? &shim_methods : NULL;
    return rc;
}

void sync_vfs_install(void)
{
    if (real_vfs)
        return;
    real_vfs = sqlite3_vfs_find(NULL);
    shim_vfs = *real_vfs;
    shim_vfs.szOsFile = (int)sizeof(shim_file) + real_vfs->szOsFile;
    shim_vfs.zName = "sync-counting";
    shim_vfs.xOpen = s_open;
    sqlite3_vfs_register(&shim_vfs, 1);
}

unsigned long sync_vfs_wal_syncs(void)
{
    return __atomic_load_n(&wal_syncs, __ATOMIC_SEQ_CST);
}
