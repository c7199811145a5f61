/* loop.c: see loop.h. */
#include "loop.h"

#include <stdio.h>

static void trace(const sim_world *w, const sim_event *e)
{
    static const char *const type[] = {"intent", "wake", "arrive", "response", "timeout",
                                       "restart"};
    static const char *const kind[] = {"place", "query", "agent", "time"};
    const sim_proc *p = &w->procs[w->intents[e->intent].proc];
    fprintf(stderr, "%10llu %-8s %-5s tag=%u sig=%u ts=%lld http=%d code=%d msg=%u status=%u"
            " clock_err=%lld life=%u execs=%u\n", (unsigned long long)(e->at - SIM_EPOCH_MS),
            type[e->type], kind[e->kind], e->send, e->sig, (long long)e->ts, e->http, e->code,
            e->msg, e->status, (long long)(sim_clock_estimate(&p->clock, w->now) - (int64_t)w->now),
            e->epoch, w->ledger[e->intent].execs);
}

void sim_loop_run(sim_world *w)
{
    sim_event e;
    while (sim_heap_pop(&w->q, &e) == 0) {
        w->now = e.at;
        w->st.events++;
        if (w->cfg.trace && e.type != EV_INTENT && e.type != EV_RESTART
            && e.intent == w->cfg.trace - 1)
            trace(w, &e);
        switch ((sim_event_type)e.type) {
        case EV_INTENT: sim_client_intent(w, &e); break;
        case EV_WAKE: sim_client_wake(w, &e); break;
        case EV_ARRIVE: sim_server_arrive(w, &e); break;
        case EV_RESPONSE: sim_client_response(w, &e); break;
        case EV_TIMEOUT: sim_client_timeout(w, &e); break;
        case EV_RESTART: sim_client_restart(w, &e); break;
        }
    }
}
