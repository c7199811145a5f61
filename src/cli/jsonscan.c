/* jsonscan.c: see jsonscan.h. */
#include "jsonscan.h"

#include <sixmm/errinfo.h>

#include <string.h>

#define SCAN_DEPTH 16

static const char *ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p;
}

static int hex4(const char *p, const char *end, unsigned *v)
{
    int i;
    *v = 0;
    if (end - p < 4)
        return 0;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
        if (d == 16)
            return 0;
        *v = *v << 4 | d;
    }
    return 1;
}

static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A string at p (its opening quote). Returns the position after the closing
 * quote, or NULL. *s, *n: its text, decoded into `dec` when it holds escapes
 * and dec is not NULL; with dec NULL, escapes are checked only. *escaped
 * tells whether it held any. */
static const char *string(const char *p, const char *end, char *dec, const char **s,
                          size_t *n, int *escaped)
{
    const char *q, *start = ++p;
    size_t o;

    /* The common string has no escape: find its end without copying. */
    for (q = p; q < end; q++) {
        unsigned char c = (unsigned char)*q;
        if (c == '"') {
            *s = start;
            *n = (size_t)(q - start);
            *escaped = 0;
            return q + 1;
        }
        if (c == '\\' || c < 0x20)
            break;
    }
    if (q >= end || (unsigned char)*q < 0x20)
        return NULL;
    *escaped = 1;
    o = (size_t)(q - start);
    if (dec)
        memcpy(dec, start, o);
    for (; q < end; q++) {
        unsigned char c = (unsigned char)*q;
        if (c == '"') {
            *s = dec ? dec : start;
            *n = dec ? o : (size_t)(q - start);
            return q + 1;
        }
        if (c < 0x20)
            return NULL;
        if (c != '\\') {
            if (dec)
                dec[o++] = (char)c;
            continue;
        }
        if (++q >= end)
            return NULL;
        switch (*q) {
        case '"': case '\\': case '/': c = (unsigned char)*q; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u': {
            unsigned u, lo;
            unsigned long cp;
            if (!hex4(q + 1, end, &u))
                return NULL;
            q += 4;
            if (u >= 0xDC00 && u <= 0xDFFF)
                return NULL;   /* a lone low surrogate */
            cp = u;
            if (u >= 0xD800 && u <= 0xDBFF) {
                if (end - q < 7 || q[1] != '\\' || q[2] != 'u' || !hex4(q + 3, end, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return NULL;   /* a lone high surrogate */
                q += 6;
                cp = 0x10000 + ((unsigned long)(u - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (dec)
                o += put_utf8(dec + o, cp);
            continue;
        }
        default:
            return NULL;
        }
        if (dec)
            dec[o++] = (char)c;
    }
    return NULL;
}

/* A number as RFC 8259 writes it; *is_int tells whether it has neither a
 * fraction nor an exponent, and *v holds its value then (at most 18 digits,
 * so it cannot overflow). An exponent has at most two digits: with at most
 * 18 digits before the point, such a real stays far inside a double's
 * range, where jansson reads it too (beyond that jansson may report an
 * overflow, so the scanner is not sure). */
static const char *number(const char *p, const char *end, int *is_int, int64_t *v)
{
    int neg = 0;
    size_t digits = 0;
    int64_t x = 0;

    if (p < end && *p == '-')
        neg = 1, p++;
    if (p >= end || *p < '0' || *p > '9')
        return NULL;
    if (*p == '0') {
        p++;
        if (p < end && *p >= '0' && *p <= '9')
            return NULL;   /* a leading zero: invalid */
    } else {
        while (p < end && *p >= '0' && *p <= '9') {
            if (++digits > 18)
                return NULL;
            x = x * 10 + (*p++ - '0');
        }
    }
    *is_int = 1;
    if (p < end && *p == '.') {
        *is_int = 0;
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return NULL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char *digits_at;
        *is_int = 0;
        if (++p < end && (*p == '+' || *p == '-'))
            p++;
        digits_at = p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        if (p == digits_at || p - digits_at > 2)
            return NULL;
    }
    *v = neg ? -x : x;
    return p;
}

enum { T_STRING = 1, T_INT, T_REAL, T_NULL, T_BOOL, T_NESTED };

struct value {
    int type;
    const char *s;
    size_t n;
    int escaped;
    int64_t v;
};

/* Any value at p; returns the position after it. Strings are decoded into
 * dec when it is not NULL. */
static const char *value(const char *p, const char *end, int depth, char *dec, struct value *x)
{
    if (p >= end)
        return NULL;
    switch (*p) {
    case '"':
        x->type = T_STRING;
        return string(p, end, dec, &x->s, &x->n, &x->escaped);
    case 't':
        x->type = T_BOOL;
        return end - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
    case 'f':
        x->type = T_BOOL;
        return end - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL;
    case 'n':
        x->type = T_NULL;
        return end - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
    case '{':
    case '[': {
        const char close = *p == '{' ? '}' : ']';
        const int object = *p == '{';
        struct value k;

        x->type = T_NESTED;
        if (depth >= SCAN_DEPTH)
            return NULL;
        p = ws(p + 1, end);
        if (p < end && *p == close)
            return p + 1;
        for (;;) {
            if (object) {
                if (p >= end || *p != '"' || !(p = string(p, end, NULL, &k.s, &k.n, &k.escaped)))
                    return NULL;
                p = ws(p, end);
                if (p >= end || *p != ':')
                    return NULL;
                p = ws(p + 1, end);
            }
            if (!(p = value(p, end, depth + 1, NULL, &k)))
                return NULL;
            p = ws(p, end);
            if (p < end && *p == close)
                return p + 1;
            if (p >= end || *p != ',')
                return NULL;
            p = ws(p + 1, end);
        }
    }
    default: {
        int is_int = 0;
        p = number(p, end, &is_int, &x->v);
        x->type = is_int ? T_INT : T_REAL;
        return p;
    }
    }
}

int errinfo_json_scan(const char *p, size_t n, struct errinfo_scan *s)
{
    const char *end = p + n;
    int seen_code = 0, seen_message = 0, seen_id = 0;
    size_t used = 0;

    if (n > ERRINFO_SCAN_MAX)
        return 0;
    s->has_code = 0;
    s->code = 0;
    s->message = s->request_id = NULL;
    s->message_len = s->request_id_len = 0;
    p = ws(p, end);
    if (p >= end || *p != '{')
        return 0;
    p = ws(p + 1, end);
    if (p < end && *p == '}') {
        p++;
    } else {
        for (;;) {
            struct value k, v;
            int key = 0;   /* 1 code, 2 message, 3 requestId */
            if (p >= end || *p != '"' || !(p = string(p, end, NULL, &k.s, &k.n, &k.escaped)) ||
                k.escaped)
                return 0;
            if (k.n == 4 && memcmp(k.s, "code", 4) == 0)
                key = 1;
            else if (k.n == 7 && memcmp(k.s, "message", 7) == 0)
                key = 2;
            else if (k.n == 9 && memcmp(k.s, "requestId", 9) == 0)
                key = 3;
            p = ws(p, end);
            if (p >= end || *p != ':')
                return 0;
            p = ws(p + 1, end);
            /* A decoded string is never longer than its text, and the texts
             * of the two decoded members fit in the line together. */
            if (!(p = value(p, end, 1, key >= 2 ? s->text + used : NULL, &v)))
                return 0;
            if (key == 1) {
                if (seen_code++)
                    return 0;
                if (v.type == T_INT) {
                    s->has_code = 1;
                    s->code = v.v;
                } else if (v.type == T_STRING && !v.escaped) {
                    if (sixmm_parse_code(v.s, v.n, &s->code) != 0)
                        return 0;   /* jansson's way reports it */
                    s->has_code = 1;
                } else if (v.type != T_NULL) {
                    return 0;
                }
            } else if (key == 2) {
                if (seen_message++)
                    return 0;
                if (v.type == T_STRING) {
                    s->message = v.s;
                    s->message_len = v.n;
                    if (v.escaped)
                        used += v.n;
                }
            } else if (key == 3) {
                if (seen_id++)
                    return 0;
                if (v.type == T_STRING) {
                    s->request_id = v.s;
                    s->request_id_len = v.n;
                    if (v.escaped)
                        used += v.n;
                }
            }
            p = ws(p, end);
            if (p < end && *p == '}') {
                p++;
                break;
            }
            if (p >= end || *p != ',')
                return 0;
            p = ws(p + 1, end);
        }
    }
    return ws(p, end) == end;
}
