/*
 * jsonscan.h: the flat-object JSON scanner of --response, one function.
 *
 * Most lines of a stream are small bodies such as
 * {"code":1003,"message":"Invalid token","data":null}. errinfo_json_scan()
 * reads those without building a tree. It accepts only texts that RFC 8259
 * accepts and that jansson (json_loadb with JSON_DECODE_ANY | JSON_ALLOW_NUL)
 * reads to the very same values; for anything else it answers "not sure"
 * and the caller asks jansson, which then decides and reports. The
 * differential fuzz harness tests/fuzz/fuzz_jsonscan.c holds it to that.
 */
#ifndef SIXMM_CLI_JSONSCAN_H
#define SIXMM_CLI_JSONSCAN_H

#include <stddef.h>
#include <stdint.h>

/* Lines up to this length only. */
#define ERRINFO_SCAN_MAX 4096

struct errinfo_scan {
    int has_code;              /* "code" is an integer, or a string holding one */
    int64_t code;
    const char *message;       /* decoded; NULL when absent or not a string */
    size_t message_len;
    const char *request_id;    /* decoded; NULL when absent or not a string */
    size_t request_id_len;
    char text[ERRINFO_SCAN_MAX];   /* decoded strings that held escapes */
};

/* p[0..n) must be valid UTF-8 without NUL bytes. Returns 1 and fills *s when
 * it is one JSON object, with blanks around it, that the scanner reads
 * exactly as jansson would; returns 0 when it is not sure (an escape in a
 * key, an exponent of more than two digits, an integer of more than 18 digits, nesting deeper than
 * 16, a repeated "code", "message" or "requestId", a "code" that is not an
 * integer, a code in a string or null, a lone surrogate, a line longer
 * than ERRINFO_SCAN_MAX, or anything that is not valid JSON). */
int errinfo_json_scan(const char *p, size_t n, struct errinfo_scan *s);

#endif
