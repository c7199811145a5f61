/* tempdir.c: see tempdir.h. */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */

#include "tempdir.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

void tempdir_make(tempdir *t)
{
    snprintf(t->dir, sizeof t->dir, "journal-test-XXXXXX");
    if (!mkdtemp(t->dir)) {
        perror("mkdtemp");
        abort();
    }
}

void tempdir_path(const tempdir *t, const char *name, char *out, size_t len)
{
    snprintf(out, len, "%s/%s", t->dir, name);
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tempdir_remove(tempdir *t)
{
    if (t->dir[0] && nftw(t->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
        perror(t->dir);
    t->dir[0] = '\0';
}
