/*
 * linereader.h: a bounded line reader. Input is read in 64 KiB blocks and
 * split into lines of at most ERRINFO_MAX_LINE bytes, so memory stays
 * bounded whatever the input. It can also copy every byte it consumes to a
 * stream unchanged ("copy-through"), in large writes.
 */
#ifndef SIXMM_CLI_LINEREADER_H
#define SIXMM_CLI_LINEREADER_H

#include <stddef.h>
#include <stdio.h>

/* The longest input line (and the longest JSON value) the readers accept. */
#define ERRINFO_MAX_LINE ((size_t)1 << 20)

enum { ERRINFO_LR_LINE, ERRINFO_LR_LONG, ERRINFO_LR_EOF, ERRINFO_LR_IOERR };

struct errinfo_lr {
    FILE *in;
    void (*before_read)(void *);   /* called before every read that may block */
    void *ctx;                     /* its argument */
    FILE *copy;              /* copy-through target, or NULL */
    int fd;                  /* fileno(in), or -1 to use fread */
    size_t pos, end, copy_from;
    int eof, err;
    unsigned long lineno;
    const char *data;        /* the current line (no '\n') */
    size_t len;
    int had_newline;
    char *buf;               /* holds a line that spans blocks */
    size_t cap;
    char block[1 << 16];
};

/* before_read(ctx), when not NULL, is called before every read that may
 * block, so that output waiting in buffers reaches a pipe first (a
 * `tail -f` stays live). NULL when out of memory. */
struct errinfo_lr *errinfo_lr_open(FILE *in, void (*before_read)(void *), void *ctx,
                                   FILE *copy);
/* The next line: ERRINFO_LR_LINE, or ERRINFO_LR_LONG when it is longer than
 * ERRINFO_MAX_LINE (data then holds its first ERRINFO_MAX_LINE bytes and the
 * rest is still unread, see errinfo_lr_skip_rest), or ERRINFO_LR_EOF, or
 * ERRINFO_LR_IOERR (err says why). */
int errinfo_lr_next(struct errinfo_lr *r);
/* Consume the rest of an overlong line, copying it to `copy` too when that
 * is not NULL. Returns 0, or -1 on a read error. */
int errinfo_lr_skip_rest(struct errinfo_lr *r, FILE *copy);
/* Write what was consumed and is not yet copied to the copy-through target. */
void errinfo_lr_copy_flush(struct errinfo_lr *r);
void errinfo_lr_close(struct errinfo_lr *r);

#endif
