/*
 * Fuzz the CLI's response reader, errinfo_read_responses() (6mm-errinfo
 * --response), on arbitrary bytes.
 *
 * Byte 0 picks the options (fuzz_cli_common.h); the rest is the input stream.
 * Properties: no crash, leak or undefined behaviour; the status is 0, 1 or 2;
 * with --json every output line is a JSON object; without it the output holds
 * no raw control characters, whatever the body's message or requestId.
 */
#include "fuzz_cli_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct errinfo_opts o;
    char *out;
    size_t len;

    if (size < 1)
        return 0;
    fuzz_opts(&o, data[0]);
    fuzz_run(errinfo_read_responses, &o, data + 1, size - 1, &out, &len);
    if (o.json)
        fuzz_check_json_lines(out, len);
    else
        fuzz_check_no_controls(out, len);
    free(out);
    return 0;
}
