/* tempdir.c: see tempdir.h. */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */

#include "tempdir.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

static char base[256];

static void make(char *dir)
{
    if (!mkdtemp(dir)) {
        perror(dir);
        abort();
    }
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    if (dir[0] && nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
        perror(dir);
}

void tempdir_base_make(void)
{
    snprintf(base, sizeof base, "journal-test-XXXXXX");
    make(base);
}

void tempdir_base_remove(void)
{
    remove_tree(base);
    base[0] = '\0';
}

void tempdir_make(tempdir *t)
{
    if (!base[0])
        abort();   /* main() did not make the base */
    snprintf(t->dir, sizeof t->dir, "%s/t-XXXXXX", base);
    make(t->dir);
}

void tempdir_remove(tempdir *t)
{
    remove_tree(t->dir);
    t->dir[0] = '\0';
}

void tempdir_path(const tempdir *t, const char *name, char *out, size_t len)
{
    snprintf(out, len, "%s/%s", t->dir, name);
}
