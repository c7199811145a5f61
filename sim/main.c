/* sixmm-sim: a deterministic simulation of many clients placing orders
 * against a faulty 6MM-like server, to show that a client following the
 * library never executes an order twice, never leaves one unresolved and
 * never exceeds the documented quota, and how hand-written loops fail.
 * See sim/README.md and docs/PROOF.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "report.h"
#include "sim.h"

/* The server's texts come from the catalog, not from a second copy here. */
static void load_messages(sim_world *w)
{
    static const char *const names[] = {NULL, "MSG_SUCCESS", "MSG_TIMESTAMP_OUT_OF_WINDOW",
                                        "MSG_SIGNATURE_REPLAY"};
    for (size_t i = 1; i < sizeof names / sizeof names[0]; i++) {
        const sixmm_entry *e = sixmm_lookup_name(SIXMM_DOMAIN_REST, names[i], strlen(names[i]));
        if (!e)
            sim_fatal("the catalog lacks a message the server sends");
        w->msg_text[i] = sixmm_entry_key(e);
        w->msg_len[i] = strlen(w->msg_text[i]);
    }
}

int main(int argc, char **argv)
{
    static sim_world w;
    int rc = sim_config_parse(&w.cfg, argc, argv);
    if (rc != 0)
        return rc == 1 ? 0 : 2;
    sim_rng_seed(&w.rng, w.cfg.seed);
    w.now = SIM_EPOCH_MS;
    load_messages(&w);
    w.nprocs = w.cfg.clients * w.cfg.processes;
    if (w.nprocs / w.cfg.processes != w.cfg.clients)
        sim_fatal("too many processes");
    w.procs = calloc(w.nprocs, sizeof *w.procs);
    w.server = calloc(w.cfg.clients, sizeof *w.server);
    w.intents = calloc((size_t)w.cfg.intents, sizeof *w.intents);
    w.ledger = calloc((size_t)w.cfg.intents, sizeof *w.ledger);
    if (w.cfg.shared != SHARED_NONE) {
        w.shared_agent = calloc(w.cfg.clients, sizeof *w.shared_agent);
        w.turn_until = calloc(2 * (size_t)w.cfg.clients, sizeof *w.turn_until);
    }
    if (w.cfg.replay_memory_s)
        w.seen_at = calloc((size_t)w.cfg.intents * SIM_MAX_SIGS, sizeof *w.seen_at);
    if (!w.procs || !w.server || !w.intents || !w.ledger
        || (w.cfg.shared != SHARED_NONE && (!w.shared_agent || !w.turn_until)) || (w.cfg.replay_memory_s && !w.seen_at)
        || sim_heap_init(&w.q, 4 * (size_t)w.nprocs + 1024) != 0)
        sim_fatal("out of memory");
    sim_server_init(&w);
    sim_client_init(&w);
    sim_loop_run(&w);
    sim_report r;
    if (sim_report_build(&w, &r) != 0)
        sim_fatal("out of memory");
    sim_report_print(&w, &r, stdout);
    if (fflush(stdout) != 0)
        sim_fatal("cannot write the report");
    int broken = w.cfg.check && sim_report_broken(&r, &w, stderr);
    sim_heap_free(&w.q);
    free(w.procs);
    free(w.shared_agent);
    free(w.turn_until);
    free(w.seen_at);
    free(w.slots);
    free(w.free_slots);
    free(w.server);
    free(w.intents);
    free(w.ledger);
    return broken ? 1 : 0;
}
