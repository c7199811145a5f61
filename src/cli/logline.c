/* logline.c: see logline.h. */
#include "logline.h"

#include <sixmm/errinfo.h>

#include <string.h>

/* Find `"key"` (or `\"key\"`, for a body logged inside a JSON string)
 * followed by a colon in p[0..end). Returns the position after the colon
 * and blanks, or NULL; *escaped tells which form matched. */
static const char *find_key(const char *begin, const char *end, const char *key, int *escaped)
{
    size_t klen = strlen(key);
    const char *p = begin;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p)), *after;
        if (!q)
            return NULL;
        p = q + 1;
        if ((size_t)(end - p) < klen + 1 || memcmp(p, key, klen) != 0)
            continue;
        after = p + klen;
        *escaped = 0;
        if (*after == '\\' && q > begin && q[-1] == '\\') {
            *escaped = 1;
            after++;
            if (after >= end)
                return NULL;
        }
        if (*after != '"')
            continue;
        after++;
        while (after < end && (*after == ' ' || *after == '\t'))
            after++;
        if (after >= end || *after != ':')
            continue;
        after++;
        while (after < end && (*after == ' ' || *after == '\t'))
            after++;
        return after;
    }
    return NULL;
}

/* A string value at p: sets *s and *n (still escaped) and returns 1. */
static int string_value(const char *p, const char *end, int escaped, const char **s, size_t *n)
{
    const char *q;
    if (escaped) {
        if (end - p < 2 || p[0] != '\\' || p[1] != '"')
            return 0;
        p += 2;
    } else {
        if (p >= end || *p != '"')
            return 0;
        p++;
    }
    for (q = p; q < end; q++) {
        if (*q == '\\') {
            if (escaped && q + 1 < end && q[1] == '"') {
                *s = p;
                *n = (size_t)(q - p);
                return 1;
            }
            q++;
            continue;
        }
        if (*q == '"' && !escaped) {
            *s = p;
            *n = (size_t)(q - p);
            return 1;
        }
    }
    return 0;
}

int errinfo_find_body(const char *buf, size_t len, struct errinfo_hit *hit)
{
    const char *end = buf + len, *p = buf, *v;
    int escaped;

    while ((v = find_key(p, end, "code", &escaped)) != NULL) {
        const char *d = v;
        int64_t code;
        int quoted = 0;
        size_t nd;

        p = v;
        if (escaped && end - d >= 2 && d[0] == '\\' && d[1] == '"')
            d += 2, quoted = 1;
        else if (!escaped && d < end && *d == '"')
            d++, quoted = 1;
        nd = (d < end && *d == '-') ? 1 : 0;
        while (d + nd < end && d[nd] >= '0' && d[nd] <= '9' && nd < 20)
            nd++;
        if (nd == 0 || (d + nd < end && d[nd] >= '0' && d[nd] <= '9'))
            continue;
        if (quoted && (d + nd >= end || (d[nd] != '"' && d[nd] != '\\')))
            continue;
        if (sixmm_parse_code(d, nd, &code) != 0 || code == 0)
            continue;   /* junk, overflow, or a success body */
        memset(hit, 0, sizeof *hit);
        hit->offset = (size_t)(v - buf);
        hit->code = code;
        if ((v = find_key(buf, end, "message", &escaped)) != NULL)
            string_value(v, end, escaped, &hit->message, &hit->message_len);
        if ((v = find_key(buf, end, "requestId", &escaped)) != NULL)
            string_value(v, end, escaped, &hit->request_id, &hit->request_id_len);
        return 1;
    }
    return 0;
}
