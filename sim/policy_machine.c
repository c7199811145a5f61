/* policy_machine.c: `ours` is the order machine with its defaults, driven
 * the way docs/ADVISOR.md says: a loop over sixmm_intent_next() with a
 * switch, and no retry logic here. `trusting` is the same machine with
 * SIXMM_INTENT_TRUST_SINGLE_DELIVERY. The record is written after
 * sixmm_intent_sending() and before the bytes go out; after a crash the
 * intent comes back from that record alone (decode, then restart). */
#include "policy.h"

#include <string.h>

#include "sim_spec.h"

static sixmm_domain domain_of(const sim_intent *in)
{
    return in->kind == REQ_AGENT ? SIXMM_DOMAIN_AGENT : SIXMM_DOMAIN_REST;
}

static void must(int rc, const char *what)
{
    if (rc != 0)
        sim_fatal(what);
}

static void start(sim_port *p, sim_intent *in)
{
    (void)p;
    in->inited = 0;
}

/* The machine starts at the server time of its process's clock, which
 * needs a sample first. */
static int init(sim_port *p, sim_intent *in)
{
    int64_t now;
    if (sixmm_clock_read(p->clock, p->mono, &now, NULL) != 0)
        return -1;
    sixmm_intent *it = &p->slot->it;
    must(sixmm_intent_init(it, domain_of(in),
                           in->kind == REQ_AGENT ? SIXMM_INTENT_READ : SIXMM_INTENT_PLACE, now, 0),
         "sixmm_intent_init refused an intent");
    if (p->cfg->policy == POLICY_TRUSTING)
        must(sixmm_intent_set_flags(it, SIXMM_INTENT_TRUST_SINGLE_DELIVERY),
             "sixmm_intent_set_flags refused its flag");
    in->deadline = now + SIM_LIFETIME_MS;
    in->inited = 1;
    return 0;
}

static sim_order_status status_of(sixmm_status s)
{
    switch (s) {
    case SIXMM_STATUS_FILLED: return OS_FILLED;
    case SIXMM_STATUS_REJECTED: return OS_REJECTED;
    case SIXMM_STATUS_PENDING: return OS_PENDING;
    case SIXMM_STATUS_PARTIALLY_FILLED: return OS_PARTIAL;
    default: return OS_NONE;
    }
}

static sim_step next(sim_port *p, sim_intent *in)
{
    sim_step s = {.todo = DO_SYNC};
    if (!in->inited && init(p, in) != 0)
        return s;
    sixmm_next nx;
    sixmm_intent *it = &p->slot->it;
    must(sixmm_intent_next(it, p->clock, p->throttle, p->budget, p->mono, sim_rng_u32(p->rng), &nx),
         "sixmm_intent_next refused its intent");
    switch (nx.todo) {
    case SIXMM_TODO_SEND: s.todo = DO_SEND; s.sign_ms = nx.sign_ms; s.holds = 1; break;
    case SIXMM_TODO_QUERY: s.todo = DO_QUERY; s.sign_ms = nx.sign_ms; s.holds = 1; break;
    case SIXMM_TODO_SYNC: s.todo = DO_SYNC; break;
    case SIXMM_TODO_WAIT:
        s.todo = DO_WAIT;
        s.wait_ms = nx.wait_ms;
        /* Waiting for its turn, it already holds the slot. */
        s.holds = nx.why == SIXMM_INTENT_REASON_WAIT_TURN;
        break;
    case SIXMM_TODO_DONE:
        s.todo = DO_DONE;
        s.result = nx.outcome == SIXMM_OUTCOME_ACCEPTED ? ST_EXECUTED : ST_REJECTED;
        s.status = status_of(sixmm_intent_status(it));
        break;
    case SIXMM_TODO_ESCALATE:
    default:
        s.todo = DO_ESCALATE;
        s.reason = nx.reason;
        break;
    }
    return s;
}

static void sending(sim_port *p, sim_intent *in, sim_req_kind kind, int64_t signed_at)
{
    (void)in;
    sim_slot *sl = p->slot;
    if (kind == REQ_QUERY) {
        must(sixmm_intent_querying(&sl->it, signed_at), "sixmm_intent_querying did not fit");
        return;
    }
    must(sixmm_intent_sending(&sl->it, signed_at), "sixmm_intent_sending did not fit");
    sl->rec_len = sixmm_intent_encode(&sl->it, sl->rec, sizeof sl->rec);
    if (sl->rec_len == 0)
        sim_fatal("sixmm_intent_encode wrote nothing");
}

static const char *const wire_status[] = {
    [OS_NONE] = "", [OS_FILLED] = "FILLED", [OS_REJECTED] = "REJECTED",
    [OS_PENDING] = "PENDING", [OS_PARTIAL] = "PARTIALLY_FILLED",
};

static void answered(sim_port *p, sim_intent *in, sim_req_kind kind, const sim_outcome *o)
{
    (void)in;
    sixmm_intent *it = &p->slot->it;
    if (kind == REQ_QUERY) {
        sixmm_found f = o->timed_out || o->not_sent || !o->has_code ? SIXMM_FOUND_QUERY_FAILED
                      : o->code == 0 ? SIXMM_FOUND_FINAL
                      : o->code == SIXMM_E_ORDER_NOT_FOUND ? SIXMM_FOUND_NONE
                      : SIXMM_FOUND_QUERY_FAILED;
        const char *st = f == SIXMM_FOUND_FINAL ? wire_status[o->status] : "";
        must(sixmm_intent_found(it, f, st, strlen(st)), "sixmm_intent_found did not fit");
        return;
    }
    if (o->not_sent) {
        must(sixmm_intent_not_sent(it), "sixmm_intent_not_sent did not fit");
        return;
    }
    sixmm_call call;
    memset(&call, 0, sizeof call);
    if (!o->timed_out) {
        call.http_status = o->http;
        call.has_code = o->has_code;
        call.code = o->code;
        call.message = p->msg_text[o->msg];
        call.message_len = p->msg_len[o->msg];
    }
    must(sixmm_intent_answer(it, &call, p->mono), "sixmm_intent_answer did not fit");
}

/* Only the record survived: the intent is what it says, and any send it
 * recorded may still be in flight. An intent with no record never sent. */
static void restart(sim_port *p, sim_intent *in)
{
    sim_slot *sl = p->slot;
    if (sl->rec_len == 0) {
        in->inited = 0;
        return;
    }
    memset(&sl->it, 0xA5, sizeof sl->it);
    must(sixmm_intent_decode(&sl->it, sl->rec, sl->rec_len), "the journal's record did not decode");
    must(sixmm_intent_restart(&sl->it), "sixmm_intent_restart did not fit");
}

const sim_policy_ops *sim_policy_machine(void)
{
    static const sim_policy_ops ops = {1, start, next, sending, answered, restart};
    return &ops;
}
