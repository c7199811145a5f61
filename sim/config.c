/* config.c: the command line of sixmm-sim. Every number has one option;
 * --faults picks a preset first, and later options override single rates.
 * The option table also prints the run's "config" object, so every knob is
 * in --help and in --json. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sim_spec.h"

static const char *const policy_names[SIM_POLICIES] = {"ours", "retry-all", "retry-5xx", "never",
                                                       "trusting"};
static const char *const order_names[SIM_ORDERS] = {"replay-first", "limit-first",
                                                    "window-first", "accepted-only"};
static const char *const shared_names[] = {"none", "memory", "redis"};
static const char *const preset_names[] = {"none", "default", "heavy"};

const char *sim_policy_name(sim_policy p) { return policy_names[p]; }
const char *sim_order_name(sim_order o) { return order_names[o]; }
const char *sim_shared_name(sim_shared s) { return shared_names[s]; }

enum kind { U32, U64, PROB, REAL, FLAG, POLICY, ORDER, SHARED };
struct option {
    const char *name;
    enum kind kind;
    size_t off;
    const char *help;
};
#define OPT(name, kind, field, help) {name, kind, offsetof(sim_config, field), help}
static const struct option options[] = {
    OPT("--policy", POLICY, policy, "ours|retry-all|retry-5xx|never|trusting"),
    OPT("--server-order", ORDER, order,
        "replay-first|limit-first|window-first|accepted-only: the server's check order"),
    OPT("--shared-quota", SHARED, shared, "none|memory|redis: how a client's processes share its quota"),
    OPT("--processes", U32, processes, "processes per client, sharing one merchant quota"),
    OPT("--seed", U64, seed, "PRNG seed; the same seed gives the same output"),
    OPT("--intents", U64, intents, "order intents to run"),
    OPT("--trace", U64, trace, "print the events of intent N-1 on stderr (0: none)"),
    OPT("--clients", U32, clients, "merchants (each with its own quota and processes)"),
    OPT("--rate", REAL, intents_per_s, "new intents per second per client"),
    OPT("--agent-share", PROB, agent_share, "fraction of intents that are Agent queries"),
    OPT("--timeout-ms", U32, timeout_ms, "client request timeout (on its monotonic clock)"),
    OPT("--latency-min-ms", U32, latency_min_ms, "one-way network latency, least"),
    OPT("--latency-max-ms", U32, latency_max_ms, "one-way network latency, most"),
    OPT("--sync-error-ms", U32, sync_error_ms,
        "one leg of a /v1/time exchange takes up to this much longer (asymmetry)"),
    OPT("--drift-ppm", U32, drift_ppm, "each client's monotonic clock runs off by up to this"),
    OPT("--sync-every-s", U32, sync_every_s, "the baselines re-measure their clock offset this often"),
    OPT("--replay-memory-s", U32, replay_memory_s,
        "the server forgets a seen signature after this long (0: never)"),
    OPT("--lag-correlated", FLAG, lag_correlated,
        "the query lag rises toward --query-lag-ms during outages and fault bursts"),
    OPT("--redis-rtt-ms", U32, redis_rtt_ms, "the modelled Redis round trip"),
    OPT("--redis-fail", PROB, redis_fail, "a Redis call fails or times out (local share rate/N)"),
    OPT("--rest-rate", U32, rest_rate, "server REST limit per client, requests/s (answers 5003/429)"),
    OPT("--rest-burst", U32, rest_burst, "server REST limit burst"),
    OPT("--lose-request", PROB, f.lose_request, "request lost before the server"),
    OPT("--connect-fail", PROB, f.connect_fail, "connection fails, no byte sent (the client knows)"),
    OPT("--lose-response", PROB, f.lose_response, "response lost after the server answered"),
    OPT("--delay", PROB, f.delay, "request held in the network up to --delay-max-ms"),
    OPT("--delay-max-ms", U32, f.delay_max_ms, "longest network delay (may exceed the window)"),
    OPT("--duplicate", PROB, f.duplicate, "the transport delivers an identical second copy"),
    OPT("--duplicate-gap-ms", U32, f.duplicate_gap_ms, "a copy lands up to this long after the first"),
    OPT("--5001-after", PROB, f.err5001_after, "order executes, answer 5001"),
    OPT("--5001-before", PROB, f.err5001_before, "answer 5001, nothing executed"),
    OPT("--5002", PROB, f.err5002, "answer 5002 (Agent 6904), nothing executed"),
    OPT("--clock-step", PROB, f.clock_step, "per request: the client's system clock steps"),
    OPT("--clock-step-ms", U32, f.clock_step_ms, "size of a system clock step (0: just past the window)"),
    OPT("--query-fail", PROB, f.query_fail, "status query answers 5001"),
    OPT("--query-lag-ms", U32, f.query_lag_ms, "executions stay invisible to queries up to this long"),
    OPT("--reject", PROB, f.reject, "an executed order ends REJECTED"),
    OPT("--pending", PROB, f.pending, "an executed order stays PENDING"),
    OPT("--partial", PROB, f.partial, "an executed order stays PARTIALLY_FILLED"),
    OPT("--token-life-s", U32, f.token_life_s, "access token lifetime, 0 = never expires (1002)"),
    OPT("--token-wave-at-s", U32, f.token_wave_at_s, "every token expires at this virtual second (0: no)"),
    OPT("--outage-s", U32, f.outage_s, "server unreachable for this many seconds"),
    OPT("--outage-at-s", U32, f.outage_at_s, "outage start, virtual seconds"),
    OPT("--crash", PROB, f.crash, "per client event: the client process dies"),
    OPT("--restart-max-s", U32, f.restart_max_s, "a crashed process restarts within this long"),
    OPT("--json", FLAG, json, "one JSON object instead of the text report"),
    OPT("--check", FLAG, check, "exit 1 on duplicates, unresolved, misreported, stale or quota violations"),
};
#define NOPTIONS (sizeof options / sizeof options[0])

static void preset(sim_faults *f, const char *name)
{
    /* The default preset is "a bad day"; heavy is five times worse; none
     * leaves only latency and the server's own rules. */
    double k = strcmp(name, "heavy") == 0 ? 5 : strcmp(name, "default") == 0 ? 1 : 0;
    memset(f, 0, sizeof *f);
    f->lose_request = 0.004 * k;
    f->connect_fail = 0.002 * k;
    f->lose_response = 0.004 * k;
    f->delay = 0.004 * k;
    f->duplicate = 0.001 * k;
    f->err5001_after = 0.002 * k;
    f->err5001_before = 0.002 * k;
    f->err5002 = 0.005 * k;
    f->clock_step = 0.0002 * k;
    f->query_fail = 0.01 * k;
    f->reject = 0.002 * k;
    f->pending = 0.002 * k;
    f->partial = 0.002 * k;
    f->duplicate_gap_ms = 1000;
    f->delay_max_ms = 2 * SIM_REST_WINDOW_MS;
    f->query_lag_ms = k > 0 ? SIM_REST_LAG_MS : 0;
    f->token_life_s = k == 5 ? 60 : k == 1 ? 300 : 0;
    f->outage_at_s = 10;
    f->restart_max_s = 30;
}

static void defaults(sim_config *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 1;
    c->intents = 20000;
    c->clients = 50;
    c->processes = 1;
    c->intents_per_s = 5;
    c->agent_share = 0.1;
    c->timeout_ms = 3000;
    c->latency_min_ms = 5;
    c->latency_max_ms = 40;
    c->sync_error_ms = 0;
    c->drift_ppm = SIM_CLOCK_DRIFT_PPM;
    c->sync_every_s = 60;
    c->redis_rtt_ms = 1;
    c->rest_rate = 20;
    c->rest_burst = 20;
    c->faults_name = "default";
    preset(&c->f, "default");
}

static void usage(FILE *out)
{
    fputs("usage: sixmm-sim [--faults none|default|heavy] [OPTION [N]]...\n"
          "  --faults           a preset of fault rates; later options override it\n", out);
    for (size_t i = 0; i < NOPTIONS; i++)
        fprintf(out, "  %-18s %s\n", options[i].name, options[i].help);
}

static int bad(const char *what, const char *arg)
{
    fprintf(stderr, "sixmm-sim: %s: %s (see --help)\n", what, arg ? arg : "(missing)");
    return 2;
}

static int pick(const char *const *names, size_t n, const char *text, int *out)
{
    for (size_t i = 0; text && i < n; i++) {
        if (!strcmp(text, names[i])) {
            *out = (int)i;
            return 0;
        }
    }
    return -1;
}

static int set_value(sim_config *c, const struct option *o, const char *text)
{
    char *end;
    void *field = (char *)c + o->off;
    int pos;
    errno = 0;
    switch (o->kind) {
    case POLICY:
        if (pick(policy_names, SIM_POLICIES, text, &pos) != 0)
            return -1;
        c->policy = (sim_policy)pos;
        return 0;
    case ORDER:
        if (pick(order_names, SIM_ORDERS, text, &pos) != 0)
            return -1;
        c->order = (sim_order)pos;
        return 0;
    case SHARED:
        if (pick(shared_names, 3, text, &pos) != 0)
            return -1;
        c->shared = (sim_shared)pos;
        return 0;
    case U32:
    case U64: {
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
    case PROB:
    case REAL: {
        double v = strtod(text, &end);
        if (!text[0] || *end || errno || !isfinite(v) || v < 0 || (o->kind == PROB && v > 1))
            return -1;
        *(double *)field = v;
        return 0;
    }
    case FLAG:
        break;
    }
    return -1;
}

int sim_config_parse(sim_config *c, int argc, char **argv)
{
    defaults(c);
    /* The preset first, wherever it stands, so that single rates override it. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--faults") != 0)
            continue;
        const char *p = i + 1 < argc ? argv[i + 1] : NULL;
        int k;
        if (pick(preset_names, 3, p, &k) != 0)
            return bad("--faults wants none, default or heavy", p);
        preset(&c->f, p);
        c->faults_name = preset_names[k];
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 1;
        }
        if (!strcmp(a, "--faults")) { i++; continue; }
        size_t k = 0;
        while (k < NOPTIONS && strcmp(a, options[k].name))
            k++;
        if (k == NOPTIONS)
            return bad("unknown option", a);
        if (options[k].kind == FLAG) {
            *(int *)((char *)c + options[k].off) = 1;
            continue;
        }
        if (!v || set_value(c, &options[k], v) != 0)
            return bad(a, v ? v : "a value is missing");
        i++;
    }
    if (c->clients == 0 || c->intents == 0 || c->intents > UINT32_MAX || c->processes == 0)
        return bad("--clients, --processes and --intents must be at least 1 (intents at most 2^32-1)",
                   "0");
    if (c->intents_per_s <= 0)
        return bad("--rate must be above 0", "0");
    if (c->latency_min_ms > c->latency_max_ms)
        return bad("--latency-min-ms is above --latency-max-ms", "");
    if (c->rest_rate == 0 || c->rest_burst == 0 || c->timeout_ms == 0)
        return bad("--rest-rate, --rest-burst and --timeout-ms must be at least 1", "0");
    return 0;
}

void sim_config_json(const sim_config *c, FILE *out)
{
    fprintf(out, "\"faults\": \"%s\"", c->faults_name);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option *o = &options[i];
        const void *field = (const char *)c + o->off;
        fprintf(out, ", \"%s\": ", o->name + 2);
        switch (o->kind) {
        case POLICY: fprintf(out, "\"%s\"", policy_names[c->policy]); break;
        case ORDER: fprintf(out, "\"%s\"", order_names[c->order]); break;
        case SHARED: fprintf(out, "\"%s\"", shared_names[c->shared]); break;
        case U32: fprintf(out, "%lu", (unsigned long)*(const uint32_t *)field); break;
        case U64: fprintf(out, "%llu", (unsigned long long)*(const uint64_t *)field); break;
        case PROB:
        case REAL: fprintf(out, "%.6g", *(const double *)field); break;
        case FLAG: fputs(*(const int *)field ? "true" : "false", out); break;
        }
    }
}
