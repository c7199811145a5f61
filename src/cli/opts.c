/* opts.c: see opts.h. */
#include "opts.h"

#include <string.h>

void errinfo_opts_init(struct errinfo_opts *o)
{
    memset(o, 0, sizeof *o);
    o->lang = SIXMM_LANG_EN;
    o->domain = SIXMM_DOMAIN_REST;
    o->category = -1;
    o->retry = -1;
    o->http_status = -1;
    o->attempt = 1;
    o->found = -1;
    o->clock_error_ms = SIXMM_CLOCK_ERROR_UNKNOWN;
    o->err = stderr;
}

int errinfo_match_status(sixmm_match m)
{
    return m == SIXMM_MATCH_EXACT || m == SIXMM_MATCH_RANGE || m == SIXMM_MATCH_DESCRIPTION ? 0
                                                                                          : 1;
}

int errinfo_parse_domain(const char *name, size_t len, sixmm_domain *out, char *buf,
                         size_t size)
{
    char lower[16];
    size_t i, used;
    int d;

    for (i = 0; i < len && i < sizeof lower; i++)
        lower[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] + ('a' - 'A')) : name[i];
    if (len <= sizeof lower && sixmm_domain_parse(lower, len, out) == 0)
        return 0;
    used = (size_t)snprintf(buf, size, "unknown domain '%.*s'; known:",
                            (int)(len > 40 ? 40 : len), name);
    for (d = 0; d < SIXMM_DOMAIN_COUNT && used < size; d++)
        used += (size_t)snprintf(buf + used, size - used, "%s %s", d ? "," : "",
                                 sixmm_domain_name((sixmm_domain)d));
    return -1;
}

const char *errinfo_dash(const struct errinfo_opts *o)
{
    return o->ascii ? "-" : "\xE2\x80\x93";
}
