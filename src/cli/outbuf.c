/* outbuf.c: see outbuf.h. */
#define _POSIX_C_SOURCE 200809L

#include "outbuf.h"

#include <errno.h>
#include <stdint.h>
#include <sys/uio.h>

void errinfo_obuf_init(struct errinfo_obuf *b, FILE *out)
{
    b->out = out;
    b->bad = 0;
    b->len = 0;
    b->nref = 0;
    b->ascii = 0;
}

void errinfo_obuf_write(struct errinfo_obuf *b, const char *s, size_t n)
{
    errinfo_obuf_flush(b);
    if (n <= sizeof b->buf) {
        memcpy(b->buf, s, n);
        b->len = n;
    } else if (fwrite(s, 1, n, b->out) != n) {
        b->bad = 1;
    }
}

void errinfo_obuf_ref(struct errinfo_obuf *b, const char *s, size_t n)
{
    if (b->nref == ERRINFO_OBUF_REFS)
        errinfo_obuf_flush(b);
    b->ref[b->nref].at = b->len;
    b->ref[b->nref].p = s;
    b->ref[b->nref].n = n;
    b->nref++;
}

/* All of iov[0..cnt) to fd, across partial writes. */
static int write_all(int fd, struct iovec *iov, int cnt)
{
    while (cnt > 0) {
        ssize_t w = writev(fd, iov, cnt);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        while (cnt > 0 && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            cnt--;
        }
        if (cnt > 0) {
            iov->iov_base = (char *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
    return 0;
}

int errinfo_obuf_flush(struct errinfo_obuf *b)
{
    struct iovec iov[2 * ERRINFO_OBUF_REFS + 1];
    size_t i, pos = 0;
    int cnt = 0, fd;

    if (!b->nref) {
        if (b->len && fwrite(b->buf, 1, b->len, b->out) != b->len)
            b->bad = 1;
        b->len = 0;
        return b->bad ? -1 : 0;
    }
    for (i = 0; i < b->nref; i++) {
        if (b->ref[i].at > pos) {
            iov[cnt].iov_base = b->buf + pos;
            iov[cnt++].iov_len = b->ref[i].at - pos;
            pos = b->ref[i].at;
        }
        iov[cnt].iov_base = (void *)(uintptr_t)b->ref[i].p;
        iov[cnt++].iov_len = b->ref[i].n;
    }
    if (b->len > pos) {
        iov[cnt].iov_base = b->buf + pos;
        iov[cnt++].iov_len = b->len - pos;
    }
    /* What stdio holds goes first; a stream without a descriptor (a memory
     * stream) takes the pieces one by one. */
    if (fflush(b->out) != 0) {
        b->bad = 1;
    } else if ((fd = fileno(b->out)) >= 0) {
        if (write_all(fd, iov, cnt) != 0)
            b->bad = 1;
    } else {
        for (i = 0; i < (size_t)cnt; i++)
            if (fwrite(iov[i].iov_base, 1, iov[i].iov_len, b->out) != iov[i].iov_len)
                b->bad = 1;
    }
    b->len = 0;
    b->nref = 0;
    return b->bad ? -1 : 0;
}

void errinfo_ob_s(struct errinfo_obuf *b, const char *s)
{
    if (!s)
        s = "(null)";
    errinfo_obuf_put(b, s, strlen(s));
}

void errinfo_ob_u(struct errinfo_obuf *b, unsigned long long v)
{
    char d[24];
    size_t i = sizeof d;
    do
        d[--i] = (char)('0' + v % 10);
    while (v /= 10);
    errinfo_obuf_put(b, d + i, sizeof d - i);
}

void errinfo_ob_i(struct errinfo_obuf *b, long long v)
{
    if (v >= 0) {
        errinfo_ob_u(b, (unsigned long long)v);
    } else {
        ERRINFO_OB_LIT(b, "-");
        errinfo_ob_u(b, 0ull - (unsigned long long)v);
    }
}

void errinfo_ob_clean(struct errinfo_obuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0, cap = n > 200 ? 200 : n;
    while (cap < n && cap > 0 && ((unsigned char)s[cap] & 0xC0) == 0x80)
        cap--;   /* do not split a UTF-8 sequence */
    for (i = 0; i < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || (b->ascii && c >= 0x80)) {
            char esc[4];
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[c >> 4];
            esc[3] = hex[c & 15];
            errinfo_obuf_put(b, s + run, i - run);
            errinfo_obuf_put(b, esc, 4);
            run = i + 1;
        }
    }
    errinfo_obuf_put(b, s + run, cap - run);
    if (cap < n)
        ERRINFO_OB_LIT(b, "...");
}

void errinfo_fput_clean(FILE *out, const char *s, int ascii)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7F || (ascii && c >= 0x80))
            fprintf(out, "\\x%02x", (unsigned)c);
        else
            fputc(c, out);
    }
}

void errinfo_ob_json_string(struct errinfo_obuf *b, const char *s, size_t n)
{
    errinfo_obuf_put(b, "\"", 1);
    errinfo_ob_json_chars(b, s, n);
    errinfo_obuf_put(b, "\"", 1);
}

void errinfo_ob_json_chars(struct errinfo_obuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i, run = 0;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6];
        size_t k = 2;

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        errinfo_obuf_put(b, s + run, i - run);
        run = i + 1;
        esc[0] = '\\';
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            k = 6;
        }
        errinfo_obuf_put(b, esc, k);
    }
    errinfo_obuf_put(b, s + run, n - run);
}
