/* report.c: see report.h. Every figure is an integer or a fixed-precision
 * ratio, so the same run prints the same bytes. */
#include "report.h"

#include <stdlib.h>

static int by_value(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static uint64_t rank(const uint32_t *v, size_t n, unsigned pct)
{
    if (n == 0)
        return 0;
    size_t k = (n * pct + 99) / 100;
    return v[k ? k - 1 : 0];
}

static unsigned execs_of(const sim_world *w, size_t i)
{
    const sim_intent *in = &w->intents[i];
    return in->kind == REQ_PLACE ? w->ledger[i].execs : in->state == ST_EXECUTED;
}

/* The client told its caller something the ledger contradicts: accepted
 * and never executed, refused (or expired) and executed, or a status the
 * order does not have. */
static int misreported(const sim_world *w, size_t i)
{
    const sim_intent *in = &w->intents[i];
    unsigned execs = execs_of(w, i);
    return (in->state == ST_EXECUTED && execs == 0) || (in->state == ST_REJECTED && execs > 0)
        || (in->state == ST_EXECUTED && in->kind == REQ_PLACE && in->status != OS_NONE
            && in->status != w->ledger[i].status);
}

static int unresolved(const sim_intent *in)
{
    return in->state == ST_ACTIVE || in->state == ST_ABANDONED;
}

int sim_report_build(const sim_world *w, sim_report *r)
{
    size_t n = (size_t)w->started, done = 0;
    uint32_t *times = malloc((n ? n : 1) * sizeof *times);
    if (!times)
        return -1;
    *r = (sim_report){.intents = n};
    for (size_t i = 0; i < n; i++) {
        const sim_intent *in = &w->intents[i];
        unsigned execs = execs_of(w, i);
        r->executed += execs > 0;
        r->duplicates += execs > 1;
        r->escalated += in->state == ST_ESCALATED;
        r->rejected += in->state == ST_REJECTED;
        r->unresolved += (uint64_t)unresolved(in);
        r->misreported += (uint64_t)misreported(w, i);
        r->stale += in->stale;
        if (!unresolved(in))
            times[done++] = (uint32_t)(in->end - in->start);
    }
    qsort(times, done, sizeof *times, by_value);
    r->p50_ms = rank(times, done, 50);
    r->p99_ms = rank(times, done, 99);
    free(times);
    return 0;
}

static void print_json_string(const char *s, FILE *out)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if ((unsigned char)*s >= 0x20)
            fputc(*s, out);
    }
    fputc('"', out);
}

/* Each escalation's rule, with how many intents it stopped. */
static void print_escalations(const sim_world *w, FILE *out)
{
    if (w->cfg.json)
        fputs(", \"escalations\": {", out);
    for (unsigned k = 0; k < SIM_REASONS && w->reasons[k]; k++) {
        if (w->cfg.json) {
            fputs(k ? ", " : "", out);
            print_json_string(w->reasons[k], out);
            fprintf(out, ": %llu", (unsigned long long)w->reason_count[k]);
        } else {
            fprintf(out, "%-20s %llu %s\n", "escalated by", (unsigned long long)w->reason_count[k],
                    w->reasons[k]);
        }
    }
    if (w->cfg.json)
        fputc('}', out);
}

void sim_report_print(const sim_world *w, const sim_report *r, FILE *out)
{
    const sim_stats *s = &w->st;
    uint64_t per_milli = r->intents ? (s->requests * 1000 + r->intents / 2) / r->intents : 0;
    const struct { const char *name; uint64_t value; int milli; } rows[] = {
        {"seed", w->cfg.seed, 0},
        {"intents", r->intents, 0},
        {"executed", r->executed, 0},
        {"duplicates", r->duplicates, 0},
        {"unresolved", r->unresolved, 0},
        {"escalated", r->escalated, 0},
        {"rejected", r->rejected, 0},
        {"misreported", r->misreported, 0},
        {"stale", r->stale, 0},
        {"crashes", s->crashes, 0},
        {"copies", s->copies, 0},
        {"requests", s->requests, 0},
        {"resends", s->resends, 0},
        {"requests_per_intent", per_milli, 1},
        {"quota_violations", s->quota_violations, 0},
        {"rate_limited", s->rate_limited, 0},
        {"budget_refusals", s->budget_refusals, 0},
        {"resolution_ms_p50", r->p50_ms, 0},
        {"resolution_ms_p99", r->p99_ms, 0},
        {"virtual_ms", w->now - SIM_EPOCH_MS, 0},
        {"events", s->events, 0},
    };
    const char *policy = sim_policy_name(w->cfg.policy);
    if (w->cfg.json)
        fprintf(out, "{\"policy\": \"%s\"", policy);
    else
        fprintf(out, "%-20s %s\n", "policy", policy);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        unsigned long long v = rows[i].value;
        if (w->cfg.json)
            fprintf(out, ", \"%s\": ", rows[i].name);
        else
            fprintf(out, "%-20s ", rows[i].name);
        if (rows[i].milli)
            fprintf(out, "%llu.%03llu", v / 1000, v % 1000);
        else
            fprintf(out, "%llu", v);
        if (!w->cfg.json)
            fputc('\n', out);
    }
    print_escalations(w, out);
    if (w->cfg.json) {
        fputs(", \"config\": {", out);
        sim_config_json(&w->cfg, out);
        fputs("}}\n", out);
    }
}

int sim_report_broken(const sim_report *r, const sim_world *w, FILE *err)
{
    int broken = 0;
    const struct { const char *name; uint64_t value; } inv[] = {
        {"duplicates", r->duplicates},
        {"unresolved", r->unresolved},
        {"misreported", r->misreported},
        {"stale", r->stale},
        {"quota_violations", w->st.quota_violations},
    };
    for (size_t i = 0; i < sizeof inv / sizeof inv[0]; i++) {
        if (inv[i].value) {
            fprintf(err, "sixmm-sim: invariant broken: %s = %llu (policy %s, seed %llu)\n",
                    inv[i].name, (unsigned long long)inv[i].value,
                    sim_policy_name(w->cfg.policy), (unsigned long long)w->cfg.seed);
            broken = 1;
        }
    }
    /* Escalations are allowed (an operator hears of each), each with its rule. */
    for (unsigned k = 0; k < SIM_REASONS && w->reasons[k]; k++)
        fprintf(err, "sixmm-sim: escalated %llu by: %s\n", (unsigned long long)w->reason_count[k],
                w->reasons[k]);
    /* Name a few offending intents, for --trace. */
    unsigned named = 0;
    for (uint64_t i = 0; broken && i < w->started && named < 5; i++) {
        const sim_intent *in = &w->intents[i];
        if (execs_of(w, i) > 1 || unresolved(in) || misreported(w, i) || in->stale) {
            fprintf(err, "sixmm-sim: see --trace %llu\n", (unsigned long long)i + 1);
            named++;
        }
    }
    return broken;
}
