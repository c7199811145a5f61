/*
 * utf8.c: see utf8.h. Every byte of every input passes here, so runs of
 * ASCII are skipped eight bytes at a time (ascii_run): with the byte loop
 * alone, --annotate misses its target of 2x grep -c (docs/PERFORMANCE.md).
 * The rest is the plain decoder. tests/fuzz/fuzz_utf8.c compares the result
 * with a byte-at-a-time check.
 */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* Length of the UTF-8 sequence that starts at s[0..n), or 0 when it is
 * invalid or a NUL byte. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len, i;
    unsigned long cp;

    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* How many bytes from p[0..n) on, in steps of eight, are ASCII without a
 * NUL byte: a word has neither when no byte has its top bit set and no byte
 * is zero ((v - 0x01..01) & ~v & 0x80..80 is nonzero exactly when some byte
 * of v is zero). */
static size_t ascii_run(const unsigned char *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    while (n - i >= 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        if ((v & highs) || ((v - ones) & ~v & highs))
            break;
        i += 8;
    }
    return i;
}

size_t errinfo_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, k;

    while (i < n) {
        i += ascii_run(p + i, n - i);
        if (i == n)
            break;
        /* ASCII runs are the common case: no decoder for them. */
        if (p[i] >= 0x01 && p[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_seq(p + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}
