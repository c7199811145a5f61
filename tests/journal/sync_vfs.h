/* sync_vfs.h: a SQLite VFS, made the default, that passes every call on to
 * the real one and counts the syncs of write-ahead log files. A test reads
 * the count around a put: a put that returned without syncing the log was
 * not durable, whatever a process kill would show (the kernel keeps the
 * written pages of a killed process; only a power cut loses them). */
#ifndef JOURNAL_TEST_SYNC_VFS_H
#define JOURNAL_TEST_SYNC_VFS_H

/* Registers the VFS as SQLite's default (once; later calls do nothing). */
void sync_vfs_install(void);

/* Syncs of -wal files so far, in this process. */
unsigned long sync_vfs_wal_syncs(void);

#endif
