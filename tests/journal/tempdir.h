/* tempdir.h: a fresh directory for one test's journal files, made under the
 * working directory (the build tree: a real file system, where fsync means
 * what it says) and removed with everything in it. */
#ifndef JOURNAL_TEST_TEMPDIR_H
#define JOURNAL_TEST_TEMPDIR_H

#include <stddef.h>

typedef struct tempdir {
    char dir[256];
} tempdir;

/* Makes the directory; aborts the test program when it cannot. */
void tempdir_make(tempdir *t);

/* dir/name into out. */
void tempdir_path(const tempdir *t, const char *name, char *out, size_t len);

/* Removes the directory and every file in it. */
void tempdir_remove(tempdir *t);

#endif
