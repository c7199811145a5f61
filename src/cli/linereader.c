/* linereader.c: see linereader.h. */
#define _POSIX_C_SOURCE 200809L

#include "linereader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct errinfo_lr *errinfo_lr_open(FILE *in, void (*before_read)(void *), void *ctx,
                                   FILE *copy)
{
    struct errinfo_lr *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->in = in;
    r->before_read = before_read;
    r->ctx = ctx;
    r->copy = copy;
    r->fd = fileno(in);
    return r;
}

void errinfo_lr_close(struct errinfo_lr *r)
{
    if (r) {
        free(r->buf);
        free(r);
    }
}

void errinfo_lr_copy_flush(struct errinfo_lr *r)
{
    if (r->copy && r->pos > r->copy_from)
        fwrite(r->block + r->copy_from, 1, r->pos - r->copy_from, r->copy);
    r->copy_from = r->pos;
}

static int lr_fill(struct errinfo_lr *r)
{
    ssize_t n;
    if (r->eof || r->err)
        return 0;
    errinfo_lr_copy_flush(r);
    if (r->before_read)
        r->before_read(r->ctx);
    /* read(2) returns what a pipe has, where fread would wait for a full
     * block: `tail -f app.log | 6mm-errinfo --annotate` stays live. */
    if (r->fd >= 0) {
        do
            n = read(r->fd, r->block, sizeof r->block);
        while (n < 0 && errno == EINTR);
    } else {
        n = (ssize_t)fread(r->block, 1, sizeof r->block, r->in);
        if (n == 0 && ferror(r->in))
            n = -1;
    }
    if (n < 0) {
        r->err = errno ? errno : EIO;
        return 0;
    }
    if (n == 0) {
        r->eof = 1;
        return 0;
    }
    r->pos = 0;
    r->copy_from = 0;
    r->end = (size_t)n;
    return 1;
}

static int lr_append(struct errinfo_lr *r, const char *p, size_t n)
{
    if (r->len + n > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        char *b;
        while (cap < r->len + n)
            cap *= 2;
        if (cap > ERRINFO_MAX_LINE)
            cap = ERRINFO_MAX_LINE;
        if (!(b = realloc(r->buf, cap)))
            return -1;
        r->buf = b;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, p, n);
    r->len += n;
    return 0;
}

int errinfo_lr_next(struct errinfo_lr *r)
{
    int spanning = 0;

    r->len = 0;
    r->had_newline = 0;
    for (;;) {
        const char *start, *nl;
        size_t avail, take;

        if (r->pos == r->end && !lr_fill(r)) {
            if (r->err)
                return ERRINFO_LR_IOERR;
            if (!spanning)
                return ERRINFO_LR_EOF;
            r->data = r->buf;
            r->lineno++;
            return ERRINFO_LR_LINE;
        }
        start = r->block + r->pos;
        avail = r->end - r->pos;
        nl = memchr(start, '\n', avail);
        take = nl ? (size_t)(nl - start) : avail;
        if (!spanning && nl && take <= ERRINFO_MAX_LINE) {
            /* The whole line is in the block: no copy. */
            r->data = start;
            r->len = take;
            r->pos += take + 1;
            r->had_newline = 1;
            r->lineno++;
            return ERRINFO_LR_LINE;
        }
        if (r->len + take > ERRINFO_MAX_LINE) {
            size_t room = ERRINFO_MAX_LINE - r->len;
            if (lr_append(r, start, room) != 0) {
                r->err = ENOMEM;
                return ERRINFO_LR_IOERR;
            }
            r->pos += room;
            r->data = r->buf;
            r->lineno++;
            return ERRINFO_LR_LONG;
        }
        if (lr_append(r, start, take) != 0) {
            r->err = ENOMEM;
            return ERRINFO_LR_IOERR;
        }
        spanning = 1;
        r->pos += take;
        if (nl) {
            r->pos++;
            r->had_newline = 1;
            r->data = r->buf;
            r->lineno++;
            return ERRINFO_LR_LINE;
        }
    }
}

int errinfo_lr_skip_rest(struct errinfo_lr *r, FILE *copy)
{
    for (;;) {
        const char *start, *nl;
        size_t take;
        if (r->pos == r->end && !lr_fill(r))
            return r->err ? -1 : 0;
        start = r->block + r->pos;
        nl = memchr(start, '\n', r->end - r->pos);
        take = nl ? (size_t)(nl - start) + 1 : r->end - r->pos;
        if (copy)
            fwrite(start, 1, take, copy);
        r->pos += take;
        if (nl) {
            r->had_newline = 1;
            return 0;
        }
    }
}
