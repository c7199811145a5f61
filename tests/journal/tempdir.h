/* tempdir.h: fresh directories for a test program's journal files. The
 * program makes one base directory under the working directory (the build
 * tree: a real file system, where fsync means what it says) before its
 * tests run, and removes it with everything in it afterwards, so a test
 * that fails (check ends its process at once) leaves nothing behind. */
#ifndef JOURNAL_TEST_TEMPDIR_H
#define JOURNAL_TEST_TEMPDIR_H

#include <stddef.h>

typedef struct tempdir {
    char dir[512];
} tempdir;

/* The base directory, made once by main() before the tests run, and
 * removed with everything in it by main() after them. Abort on failure. */
void tempdir_base_make(void);
void tempdir_base_remove(void);

/* A fresh directory inside the base; removes it with its files. */
void tempdir_make(tempdir *t);
void tempdir_remove(tempdir *t);

/* dir/name into out. */
void tempdir_path(const tempdir *t, const char *name, char *out, size_t len);

#endif
