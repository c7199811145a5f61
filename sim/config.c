/* config.c: the command line of sixmm-sim. Every number has one option;
 * --faults picks a preset first, and later options override single rates. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_spec.h"

static const char *const policy_names[] = {"ours", "retry-all", "retry-5xx", "never"};

const char *sim_policy_name(sim_policy p) { return policy_names[p]; }

enum kind { U32, U64, PROB, REAL };
struct option {
    const char *name;
    enum kind kind;
    size_t off;
    const char *help;
};
#define OPT(name, kind, field, help) {name, kind, offsetof(sim_config, field), help}
static const struct option options[] = {
    OPT("--seed", U64, seed, "PRNG seed; the same seed gives the same output"),
    OPT("--intents", U64, intents, "order intents to run"),
    OPT("--trace", U64, trace, "print the events of intent N-1 on stderr (0: none)"),
    OPT("--clients", U32, clients, "concurrent clients (each with its own throttle, budget, clock)"),
    OPT("--rate", REAL, intents_per_s, "new intents per second per client"),
    OPT("--agent-share", PROB, agent_share, "fraction of intents that are Agent queries"),
    OPT("--timeout-ms", U32, timeout_ms, "client request timeout"),
    OPT("--latency-min-ms", U32, latency_min_ms, "one-way network latency, least"),
    OPT("--latency-max-ms", U32, latency_max_ms, "one-way network latency, most"),
    OPT("--sync-error-ms", U32, sync_error_ms, "how far the clock offset is off after a sync"),
    OPT("--clock-error-ms", U32, clock_error_ms, "the offset error bound ours passes to reconcile"),
    OPT("--sync-every-s", U32, sync_every_s, "each client re-measures its clock offset this often"),
    OPT("--rest-rate", U32, rest_rate, "server REST limit per client, requests/s (answers 5003/429)"),
    OPT("--rest-burst", U32, rest_burst, "server REST limit burst"),
    OPT("--lose-request", PROB, f.lose_request, "request lost before the server"),
    OPT("--lose-response", PROB, f.lose_response, "response lost after the server answered"),
    OPT("--delay", PROB, f.delay, "request held in the network up to --delay-max-ms"),
    OPT("--delay-max-ms", U32, f.delay_max_ms, "longest network delay (may exceed the window)"),
    OPT("--duplicate", PROB, f.duplicate, "network delivers a place request twice"),
    OPT("--5001-after", PROB, f.err5001_after, "order executes, answer 5001"),
    OPT("--5001-before", PROB, f.err5001_before, "answer 5001, nothing executed"),
    OPT("--5002", PROB, f.err5002, "answer 5002 (Agent 6904), nothing executed"),
    OPT("--drift", PROB, f.drift, "per request: the client's clock steps past the window"),
    OPT("--skew-ms", U32, f.skew_ms, "drift steps by exactly this much instead (may go unnoticed)"),
    OPT("--query-fail", PROB, f.query_fail, "status query answers 5001"),
    OPT("--query-lag-ms", U32, f.query_lag_ms, "executions stay invisible to queries up to this long"),
    OPT("--token-life-s", U32, f.token_life_s, "access token lifetime, 0 = never expires (1002)"),
    OPT("--outage-s", U32, f.outage_s, "server unreachable for this many seconds"),
    OPT("--outage-at-s", U32, f.outage_at_s, "outage start, virtual seconds"),
};
#define NOPTIONS (sizeof options / sizeof options[0])

static void preset(sim_faults *f, const char *name)
{
    /* The default preset is "a bad day"; heavy is five times worse; none
     * leaves only latency and the server's own rules. */
    double k = strcmp(name, "heavy") == 0 ? 5 : strcmp(name, "default") == 0 ? 1 : 0;
    f->lose_request = 0.004 * k;
    f->lose_response = 0.004 * k;
    f->delay = 0.004 * k;
    f->duplicate = 0.001 * k;
    f->err5001_after = 0.002 * k;
    f->err5001_before = 0.002 * k;
    f->err5002 = 0.005 * k;
    f->drift = 0.0002 * k;
    f->query_fail = 0.01 * k;
    f->delay_max_ms = 2 * SIM_REST_WINDOW_MS;
    f->query_lag_ms = k > 0 ? SIM_REST_LAG_MS : 0;
    f->token_life_s = k == 5 ? 60 : k == 1 ? 300 : 0;
    f->outage_s = 0;
    f->outage_at_s = 10;
}

static void defaults(sim_config *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 1;
    c->intents = 20000;
    c->clients = 50;
    c->policy = POLICY_OURS;
    c->intents_per_s = 5;
    c->agent_share = 0.1;
    c->timeout_ms = 3000;
    c->latency_min_ms = 5;
    c->latency_max_ms = 40;
    c->sync_error_ms = 200;
    c->clock_error_ms = 200;
    c->sync_every_s = 60;
    c->rest_rate = 20;
    c->rest_burst = 20;
    preset(&c->f, "default");
}

static void usage(FILE *out)
{
    fputs("usage: sixmm-sim [--policy ours|retry-all|retry-5xx|never] "
          "[--faults none|default|heavy] [--json] [--check] [OPTION N]...\n"
          "  --json   one JSON object instead of the text report\n"
          "  --check  exit 1 when the run has duplicates, unresolved intents,\n"
          "           misreported outcomes or quota violations\n"
          "  --now-at-answer  ours passes reconcile the time the query's answer\n"
          "           arrived instead of the time the query was signed (unsafe)\n", out);
    for (size_t i = 0; i < NOPTIONS; i++)
        fprintf(out, "  %-17s %s\n", options[i].name, options[i].help);
}

static int bad(const char *what, const char *arg)
{
    fprintf(stderr, "sixmm-sim: %s: %s (see --help)\n", what, arg ? arg : "(missing)");
    return 2;
}

static int set_number(sim_config *c, const struct option *o, const char *text)
{
    char *end;
    void *field = (char *)c + o->off;
    errno = 0;
    if (o->kind == U32 || o->kind == U64) {
        if (!text[0] || text[0] == '-')
            return -1;
        unsigned long long v = strtoull(text, &end, 10);
        if (*end || errno || (o->kind == U32 && v > UINT32_MAX))
            return -1;
        if (o->kind == U32)
            *(uint32_t *)field = (uint32_t)v;
        else
            *(uint64_t *)field = v;
        return 0;
    }
    double v = strtod(text, &end);
    if (!text[0] || *end || errno || !isfinite(v) || v < 0 || (o->kind == PROB && v > 1))
        return -1;
    *(double *)field = v;
    return 0;
}

int sim_config_parse(sim_config *c, int argc, char **argv)
{
    defaults(c);
    /* The preset first, wherever it stands, so that single rates override it. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--faults") != 0)
            continue;
        const char *p = i + 1 < argc ? argv[i + 1] : NULL;
        if (!p || (strcmp(p, "none") && strcmp(p, "default") && strcmp(p, "heavy")))
            return bad("--faults wants none, default or heavy", p);
        preset(&c->f, p);
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 1;
        }
        if (!strcmp(a, "--json")) { c->json = 1; continue; }
        if (!strcmp(a, "--check")) { c->check = 1; continue; }
        if (!strcmp(a, "--now-at-answer")) { c->now_at_answer = 1; continue; }
        if (!strcmp(a, "--faults")) { i++; continue; }
        if (!strcmp(a, "--policy")) {
            size_t p = 0;
            while (p < 4 && (!v || strcmp(v, policy_names[p])))
                p++;
            if (p == 4)
                return bad("--policy wants ours, retry-all, retry-5xx or never", v);
            c->policy = (sim_policy)p;
            i++;
            continue;
        }
        size_t k = 0;
        while (k < NOPTIONS && strcmp(a, options[k].name))
            k++;
        if (k == NOPTIONS)
            return bad("unknown option", a);
        if (!v || set_number(c, &options[k], v) != 0)
            return bad(a, v ? v : "a number is missing");
        i++;
    }
    if (c->clients == 0 || c->intents == 0 || c->intents > UINT32_MAX)
        return bad("--clients and --intents must be at least 1 (intents at most 2^32-1)", "0");
    if (c->intents_per_s <= 0)
        return bad("--rate must be above 0", "0");
    if (c->latency_min_ms > c->latency_max_ms)
        return bad("--latency-min-ms is above --latency-max-ms", "");
    if (c->rest_rate == 0 || c->rest_burst == 0 || c->timeout_ms == 0)
        return bad("--rest-rate, --rest-burst and --timeout-ms must be at least 1", "0");
    return 0;
}
