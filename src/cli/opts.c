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
    o->err = stderr;
}

int errinfo_match_status(sixmm_match m)
{
    return m == SIXMM_MATCH_EXACT || m == SIXMM_MATCH_RANGE ? 0 : 1;
}
