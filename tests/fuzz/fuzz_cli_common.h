/*
 * Shared by fuzz_response.c and fuzz_annotate.c: options from the first input
 * byte, and checks on what the CLI readers wrote.
 *
 * Byte 0: bit 0 --json, bit 1 --lang zh, bit 2 --idempotent, bits 3-4 the
 * domain (3 means rest, as if --domain was not given), bits 5-7 --http from
 * {none, 0, 200, 401, 429, 500, 503, 999}.
 */
#ifndef SIXMM_FUZZ_CLI_COMMON_H
#define SIXMM_FUZZ_CLI_COMMON_H

#define _POSIX_C_SOURCE 200809L

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "annotate.h"
#include "opts.h"
#include "response.h"
#include "stream.h"
#include "fuzz.h"

static inline FILE *fuzz_null(void)
{
    static FILE *devnull;
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    FUZZ_CHECK(devnull != NULL);
    return devnull;
}

static inline void fuzz_opts(struct errinfo_opts *o, uint8_t cfg)
{
    static const int http[] = {-1, 0, 200, 401, 429, 500, 503, 999};
    errinfo_opts_init(o);
    o->json = cfg & 1;
    o->lang = cfg & 2 ? SIXMM_LANG_ZH : SIXMM_LANG_EN;
    o->idempotent = (cfg & 4) != 0;
    if ((cfg >> 3 & 3) < 3) {
        o->domain_set = 1;
        o->domain = (sixmm_domain)(cfg >> 3 & 3);
    }
    o->http_status = http[cfg >> 5];
    o->seed_set = 1;   /* reproducible runs */
    o->seed = cfg;
    o->err = fuzz_null();
}

/* Run a reader over data[0..n) through a read-only memory stream, capturing
 * what it writes in a malloc'd buffer (*out, *out_len). Returns its status. */
static inline int fuzz_run(int (*reader)(struct errinfo_stream *, FILE *),
                    const struct errinfo_opts *o, const uint8_t *data, size_t n,
                    char **out, size_t *out_len)
{
    /* fmemopen of a zero-length buffer fails; an empty input is one byte
     * that the stream never yields. */
    static const char empty[1] = {0};
    FILE *in = fmemopen(n ? (void *)(uintptr_t)data : (void *)(uintptr_t)empty, n ? n : 1, "r");
    FILE *mem;
    int rc;

    FUZZ_CHECK(in != NULL);
    if (!n)
        (void)fgetc(in);
    *out = NULL;
    *out_len = 0;
    mem = open_memstream(out, out_len);
    FUZZ_CHECK(mem != NULL);
    {
        struct errinfo_stream st;
        errinfo_stream_init(&st, mem, o);
        rc = reader(&st, in);
    }
    fclose(in);
    fclose(mem);
    FUZZ_CHECK(rc == 0 || rc == 1 || rc == 2);
    return rc;
}

/* In --json mode every output line is one complete JSON document. */
static inline void fuzz_check_json_lines(const char *out, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(out + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - out) : len;
        json_error_t err;
        json_t *doc;
        if (end > i) {
            doc = json_loadb(out + i, end - i, JSON_ALLOW_NUL, &err);
            if (!doc)
                fprintf(stderr, "bad JSON output line: %s: %.*s\n", err.text,
                        (int)(end - i > 300 ? 300 : end - i), out + i);
            FUZZ_CHECK(doc != NULL);
            FUZZ_CHECK(json_is_object(doc));
            json_decref(doc);
        }
        i = end + 1;
    }
}

/* Text the tool writes itself must never carry raw control characters (a
 * log line could otherwise drive the user's terminal). */
static inline void fuzz_check_no_controls(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            fprintf(stderr, "raw control byte 0x%02x at output offset %zu\n", c, i);
        FUZZ_CHECK(!((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F));
    }
}

#endif
