/*
 * Differential harness for the CLI's flat-object JSON scanner,
 * errinfo_json_scan() (src/cli/jsonscan.c), against jansson, which --response
 * falls back to: the same bytes go to both, parsed as --response parses
 * (JSON_DECODE_ANY | JSON_ALLOW_NUL). Whenever the scanner accepts, jansson
 * must accept too (so the scanner never classifies a text that jansson, and
 * RFC 8259, reject) and give the same "code", "message" and "requestId" as
 * --response reads them. The scanner may answer "not sure" for any text; it
 * then goes to jansson, which decides.
 */
#include <jansson.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "fuzz.h"
#include "jsonscan.h"
#include "utf8.h"

static void same_text(const char *s, size_t n, json_t *v)
{
    if (!json_is_string(v)) {
        FUZZ_CHECK(s == NULL);
        return;
    }
    FUZZ_CHECK(s != NULL);
    FUZZ_CHECK(n == json_string_length(v));
    FUZZ_CHECK(memcmp(s, json_string_value(v), n) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct errinfo_scan sc;
    json_error_t err;
    json_t *root, *v;
    char *copy;
    int accepted;

    /* The scanner's input is a line that passed the UTF-8 check. */
    if (errinfo_utf8_valid((const char *)data, size) != size || memchr(data, '\n', size))
        return 0;
    /* An exact-size copy: ASan sees any read past the end. */
    copy = malloc(size ? size : 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, data, size);
    accepted = errinfo_json_scan(copy, size, &sc);
    root = json_loadb(copy, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (accepted) {
        if (!root)
            fprintf(stderr, "the scanner accepted what jansson rejects: %s\n", err.text);
        FUZZ_CHECK(root != NULL);
        FUZZ_CHECK(json_is_object(root));
        v = json_object_get(root, "code");
        if (json_is_integer(v)) {
            FUZZ_CHECK(sc.has_code && sc.code == (int64_t)json_integer_value(v));
        } else if (json_is_string(v)) {
            int64_t c;
            FUZZ_CHECK(sixmm_parse_code(json_string_value(v), json_string_length(v), &c) == 0);
            FUZZ_CHECK(sc.has_code && sc.code == c);
        } else {
            FUZZ_CHECK(!v || json_is_null(v));
            FUZZ_CHECK(!sc.has_code);
        }
        same_text(sc.message, sc.message_len, json_object_get(root, "message"));
        same_text(sc.request_id, sc.request_id_len, json_object_get(root, "requestId"));
    }
    json_decref(root);
    free(copy);
    return 0;
}
