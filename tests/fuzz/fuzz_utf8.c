/*
 * Differential harness for the CLI's UTF-8 check, errinfo_utf8_valid()
 * (src/cli/utf8.c, which skips ASCII runs a word at a time), against the
 * plain way: a byte-at-a-time decoder written from RFC 3629's table here.
 * Both must give the same length of the valid prefix, on every alignment.
 */
#include <string.h>

#include "fuzz.h"
#include "utf8.h"

/* RFC 3629, section 4: the well-formed sequences, byte by byte. */
static size_t plain_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        unsigned char lo = 0x80, hi = 0xBF;
        size_t len, k;
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        else
            return i;
        if (n - i < len)
            return i;
        for (k = 1; k < len; k++) {
            unsigned char b = s[i + k];
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
                return i;
        }
        i += len;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t shift;
    /* Every alignment of the word loads: copy at offsets 0 to 7. */
    for (shift = 0; shift < 8; shift++) {
        char *buf = malloc(size + shift + 1);
        FUZZ_CHECK(buf != NULL);
        memcpy(buf + shift, data, size);
        FUZZ_CHECK(errinfo_utf8_valid(buf + shift, size) == plain_valid(data, size));
        free(buf);
    }
    return 0;
}
