/*
 * reconcile.c: --reconcile over sixmm_reconcile(). The wait of a poll may
 * carry jitter: the text gives its range (the answers for the random inputs
 * 0 and UINT32_MAX), the JSON one drawn value and the range. The names and
 * texts of found states and steps are the spec's (sixmm_found_name(),
 * sixmm_step_name(), sixmm_step_text()).
 */
#include "reconcile.h"
#include "errinfo_json.h"
#include "outbuf.h"
#include "stream.h"

#include <string.h>

int errinfo_reconcile(FILE *out, const struct errinfo_opts *o)
{
    sixmm_reconcile_in in;
    sixmm_reconcile_out r, lo, hi;
    struct errinfo_stream st;
    const char *domain = sixmm_domain_name(o->domain);
    const char *found = sixmm_found_name((sixmm_found)o->found);
    int rc;

    memset(&in, 0, sizeof in);
    in.domain = o->domain;
    in.found = (sixmm_found)o->found;
    in.signed_at_ms = o->signed_at_ms;
    in.now_ms = o->now_ms;
    in.clock_error_ms = o->clock_error_ms;
    in.attempt = o->attempt;
    errinfo_stream_init(&st, out, o);
    sixmm_reconcile(&in, errinfo_stream_random(&st), &r);
    sixmm_reconcile(&in, 0, &lo);
    sixmm_reconcile(&in, UINT32_MAX, &hi);
    if (o->json) {
        struct errinfo_obuf *b = &st.ob;
        ERRINFO_OB_LIT(b, "{\"schema_version\":");
        errinfo_ob_u(b, ERRINFO_JSON_SCHEMA_VERSION);
        ERRINFO_OB_LIT(b, ",\"mode\":\"reconcile\",\"domain\":");
        errinfo_ob_json_string(b, domain, strlen(domain));
        ERRINFO_OB_LIT(b, ",\"found\":");
        errinfo_ob_json_string(b, found, strlen(found));
        ERRINFO_OB_LIT(b, ",\"signed_at_ms\":");
        errinfo_ob_u(b, o->signed_at_ms);
        ERRINFO_OB_LIT(b, ",\"now_ms\":");
        errinfo_ob_u(b, o->now_ms);
        ERRINFO_OB_LIT(b, ",\"clock_error_ms\":");
        if (o->clock_error_ms == SIXMM_CLOCK_ERROR_UNKNOWN)
            ERRINFO_OB_LIT(b, "null");
        else
            errinfo_ob_u(b, o->clock_error_ms);
        ERRINFO_OB_LIT(b, ",\"attempt\":");
        errinfo_ob_u(b, o->attempt);
        ERRINFO_OB_LIT(b, ",\"step\":");
        errinfo_ob_json_string(b, sixmm_step_name(r.step), strlen(sixmm_step_name(r.step)));
        ERRINFO_OB_LIT(b, ",\"delay_ms\":");
        errinfo_ob_u(b, r.delay_ms);
        ERRINFO_OB_LIT(b, ",\"delay_min_ms\":");
        errinfo_ob_u(b, lo.delay_ms);
        ERRINFO_OB_LIT(b, ",\"delay_max_ms\":");
        errinfo_ob_u(b, hi.delay_ms);
        ERRINFO_OB_LIT(b, ",\"reason\":");
        errinfo_ob_json_string(b, r.reason, strlen(r.reason));
        ERRINFO_OB_LIT(b, "}\n");
        rc = errinfo_stream_flush(&st);
    } else {
        char error[64];
        if (o->clock_error_ms == SIXMM_CLOCK_ERROR_UNKNOWN)
            snprintf(error, sizeof error, "not known (the signature window stands in)");
        else
            snprintf(error, sizeof error, "%lu ms", (unsigned long)o->clock_error_ms);
        fprintf(out, "reconcile [%s]: found %s, signed at %llu ms, now %llu ms, clock error "
                     "%s, attempt %u\n", domain, found,
                (unsigned long long)o->signed_at_ms, (unsigned long long)o->now_ms, error,
                o->attempt);
        fprintf(out, "  step:         %s\n", sixmm_step_name(r.step));
        if (r.step == SIXMM_STEP_POLL && lo.delay_ms == hi.delay_ms)
            fprintf(out, "  wait:         %lu ms, then %s\n", (unsigned long)r.delay_ms,
                    sixmm_step_text(r.step, o->lang));
        else if (r.step == SIXMM_STEP_POLL)
            fprintf(out, "  wait:         %lu%s%lu ms (jitter), then %s\n",
                    (unsigned long)lo.delay_ms, errinfo_dash(o), (unsigned long)hi.delay_ms,
                    sixmm_step_text(r.step, o->lang));
        else
            fprintf(out, "  next:         %s\n", sixmm_step_text(r.step, o->lang));
        fprintf(out, "  reason:       %s\n", r.reason);
        rc = 0;
    }
    if (rc != 0)
        return 2;
    return r.step == SIXMM_STEP_ESCALATE ? 1 : 0;
}
