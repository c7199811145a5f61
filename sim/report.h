/* report.h: the run's results, as the proof defines them. */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stdio.h>

#include "sim.h"

typedef struct sim_report {
    uint64_t intents, executed, duplicates, unresolved, escalated, rejected, misreported, stale;
    uint64_t p50_ms, p99_ms;
} sim_report;

/* Tallies the ledger against what the clients believe. Returns -1 when
 * memory runs out. */
int sim_report_build(const sim_world *w, sim_report *r);
void sim_report_print(const sim_world *w, const sim_report *r, FILE *out);
/* The invariants --check enforces; prints each broken one on err, and
 * each escalation rule with its count. */
int sim_report_broken(const sim_report *r, const sim_world *w, FILE *err);

#endif
