/*
 * outbuf.h: an output buffer for records. A record is put together here and
 * handed to stdio in one fwrite: a call into stdio for each piece costs more
 * than the pieces. Also the small writers that records are made of.
 */
#ifndef SIXMM_CLI_OUTBUF_H
#define SIXMM_CLI_OUTBUF_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A text that outlives the buffer (a kept entry text) is not copied: the
 * buffer notes where it goes and hands it to out with the rest (writev). */
#define ERRINFO_OBUF_REFS 256

struct errinfo_obuf {
    FILE *out;
    int bad;              /* a write to out failed */
    int ascii;            /* errinfo_ob_clean() writes ASCII only */
    size_t len;
    size_t nref;
    struct { size_t at; const char *p; size_t n; } ref[ERRINFO_OBUF_REFS];
    char buf[1 << 16];
};

void errinfo_obuf_init(struct errinfo_obuf *b, FILE *out);
/* Hand what is buffered to out. Returns 0, or -1 when any write of this
 * buffer failed. */
int errinfo_obuf_flush(struct errinfo_obuf *b);
/* Add s[0..n), which stays valid and unchanged until the next flush,
 * without copying it. */
void errinfo_obuf_ref(struct errinfo_obuf *b, const char *s, size_t n);
/* The slow side of errinfo_obuf_put: flush, then buffer or write s. */
void errinfo_obuf_write(struct errinfo_obuf *b, const char *s, size_t n);

static inline void errinfo_obuf_put(struct errinfo_obuf *b, const char *s, size_t n)
{
    if (n <= sizeof b->buf - b->len) {
        memcpy(b->buf + b->len, s, n);
        b->len += n;
    } else {
        errinfo_obuf_write(b, s, n);
    }
}

#define ERRINFO_OB_LIT(b, lit) errinfo_obuf_put((b), (lit), sizeof(lit) - 1)

/* A C string; "(null)" for NULL. */
void errinfo_ob_s(struct errinfo_obuf *b, const char *s);
void errinfo_ob_u(struct errinfo_obuf *b, unsigned long long v);
void errinfo_ob_i(struct errinfo_obuf *b, long long v);
/* Untrusted text on one output line: control characters (and, with
 * b->ascii, bytes above 0x7F) become \xHH and the text is cut after 200
 * bytes (on a UTF-8 boundary) with "...". */
void errinfo_ob_clean(struct errinfo_obuf *b, const char *s, size_t n);
/* The same on a stdio stream, uncut; with ascii, bytes above 0x7F become
 * \xHH too (a locale whose character set is not UTF-8). */
void errinfo_fput_clean(FILE *out, const char *s, int ascii);
/* A JSON string, byte for byte what json_dumps(..., JSON_COMPACT) writes:
 * jansson's escapes and no others. s[0..n) must be valid UTF-8 (NUL bytes
 * allowed, written as \u0000). */
void errinfo_ob_json_string(struct errinfo_obuf *b, const char *s, size_t n);
/* The same without the quotes. */
void errinfo_ob_json_chars(struct errinfo_obuf *b, const char *s, size_t n);

#endif
