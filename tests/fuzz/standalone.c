/*
 * A main() for the fuzz harnesses when libFuzzer is not linked (gcc builds,
 * valgrind): runs LLVMFuzzerTestOneInput() once on every file named on the
 * command line, descending into directories. This is how the seed corpus and
 * tests/fuzz/regressions/ run as ordinary regression tests in every build.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path, unsigned long *count)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, got;

    if (!f) {
        perror(path);
        return 1;
    }
    do {
        if (len == cap) {
            unsigned char *nb;
            cap = cap ? cap * 2 : 4096;
            nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                fprintf(stderr, "%s: out of memory\n", path);
                return 1;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    {
        /* An exact-size copy, as libFuzzer gives: over-reads stay visible. */
        unsigned char *exact = malloc(len ? len : 1);
        if (!exact) {
            free(buf);
            return 1;
        }
        if (len)
            memcpy(exact, buf, len);
        free(buf);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    (*count)++;
    return 0;
}

static int run_path(const char *path, unsigned long *count)
{
    struct stat st;
    DIR *dir;
    struct dirent *de;
    int rc = 0;

    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path, count);
    if (!(dir = opendir(path))) {
        perror(path);
        return 1;
    }
    while ((de = readdir(dir)) != NULL) {
        size_t n = strlen(path) + strlen(de->d_name) + 2;
        char *child;
        if (de->d_name[0] == '.')
            continue;
        if (!(child = malloc(n))) {
            rc = 1;
            break;
        }
        snprintf(child, n, "%s/%s", path, de->d_name);
        rc |= run_path(child, count);
        free(child);
    }
    closedir(dir);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned long count = 0;
    int i, rc = 0;

    for (i = 1; i < argc; i++)
        if (argv[i][0] != '-') /* libFuzzer flags are ignored */
            rc |= run_path(argv[i], &count);
    printf("%s: %lu inputs, all properties held\n", argv[0], count);
    return rc || count == 0;
}
