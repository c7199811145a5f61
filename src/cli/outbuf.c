/* outbuf.c: see outbuf.h. */
#include "outbuf.h"

void errinfo_obuf_init(struct errinfo_obuf *b, FILE *out)
{
    b->out = out;
    b->bad = 0;
    b->len = 0;
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

int errinfo_obuf_flush(struct errinfo_obuf *b)
{
    if (b->len && fwrite(b->buf, 1, b->len, b->out) != b->len)
        b->bad = 1;
    b->len = 0;
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
        if (c < 0x20 || c == 0x7F) {
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
