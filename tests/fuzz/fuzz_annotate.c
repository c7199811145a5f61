/*
 * Fuzz the CLI's log annotator, errinfo_annotate() (6mm-errinfo --annotate),
 * and the line finder under it, errinfo_find_body(), on arbitrary
 * bytes.
 *
 * Byte 0 picks the options (fuzz_cli_common.h); the rest is the log text.
 * Properties: no crash, leak or undefined behaviour; the status is 0, 1 or 2;
 * without --json every input line comes out unchanged and in order (the
 * annotations only add lines); with --json every output line is a JSON
 * object; errinfo_find_body() on an exact-size buffer (no terminator)
 * reports a hit inside the buffer with a non-zero code.
 */
#include "fuzz_cli_common.h"
#include "logline.h"

static void check_hit(const char *buf, size_t len)
{
    struct errinfo_hit hit;
    memset(&hit, 0xA5, sizeof hit);
    if (!errinfo_find_body(buf, len, &hit))
        return;
    FUZZ_CHECK(hit.offset < len);
    FUZZ_CHECK(hit.code != 0);
    if (hit.message)
        FUZZ_CHECK(hit.message >= buf && hit.message_len <= len &&
                   (size_t)(hit.message - buf) <= len - hit.message_len);
    if (hit.request_id)
        FUZZ_CHECK(hit.request_id >= buf && hit.request_id_len <= len &&
                   (size_t)(hit.request_id - buf) <= len - hit.request_id_len);
}

/* Every input line must appear, in order, among the output lines. */
static void check_copied(const uint8_t *in, size_t n, const char *out, size_t len)
{
    size_t i = 0, j = 0;
    while (i < n) {
        const uint8_t *nl = memchr(in + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - in) : n, k = end - i;
        int found = 0;
        while (j < len) {
            const char *onl = memchr(out + j, '\n', len - j);
            size_t oend = onl ? (size_t)(onl - out) : len;
            if (oend - j == k && memcmp(out + j, in + i, k) == 0)
                found = 1;
            j = oend + 1;
            if (found)
                break;
        }
        if (!found)
            fprintf(stderr, "input line at offset %zu was not copied through\n", i);
        FUZZ_CHECK(found);
        i = end + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct errinfo_opts o;
    char *out, *copy;
    size_t len, n;

    if (size < 1)
        return 0;
    fuzz_opts(&o, data[0]);
    n = size - 1;
    fuzz_run(errinfo_annotate, &o, data + 1, n, &out, &len);
    if (o.json)
        fuzz_check_json_lines(out, len);
    else
        check_copied(data + 1, n, out, len);
    free(out);

    /* The classifier alone, on an exact-size copy: ASan sees any over-read. */
    copy = malloc(n ? n : 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, data + 1, n);
    check_hit(copy, n);
    free(copy);
    return 0;
}
