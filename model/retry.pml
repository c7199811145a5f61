/*
 * retry.pml: one order intent run by the order machine, against a network
 * that loses, delays, reorders and copies requests, and a server whose
 * checks may run in any order the docs allow. Checked by spin
 * (model/check.sh, which lists the modes and what each must give).
 *
 * The client is the caller's loop: it asks what to do, does it, and reports
 * what happened. What the machine does with each report is not written
 * here: every transition is a row of machine_table.h, the table that
 * model/table_check.c checks against the C machine. This file holds the
 * world around it (time, clock readings, the network, the server, the
 * journal and a crash) and the rule that tells the two "not found" events
 * apart, which table_check.c checks at its boundary.
 *
 * The spec's numbers (WINDOW_MS, LAG_MS, QUERIES, SENDS_CAP, QUERIES_CAP,
 * SYNC_LIMIT_MS) come from the generated constants.pml, included before
 * this file. Time is counted in ticks of TICK_MS, and the window, the lag
 * and the clock bound are rounded up to whole ticks: the server is never
 * stricter than the spec, and the client never waits less.
 *
 * Time advances only while something may still depend on it: until every
 * request sent can no longer execute and the rule can have been met for the
 * latest one. Past that the clock stops, so no run ends because the model's
 * time ran out, and a client that waits for nothing in particular waits for
 * ever (the liveness check catches it).
 *
 * Variants that must fail (check.sh expects the violation):
 *   -DTRUST          the opt-in flag SIXMM_INTENT_TRUST_SINGLE_DELIVERY (the
 *                    F_TRUST rows: resend at once on a refusal), with copies
 *   -DNO_LIFETIME    the machine ignores its lifetime
 *   -DFORGET_RESTART after a crash the caller starts the intent afresh
 *   -DCLOCK_BEYOND   the clock's real error exceeds the bound it reports
 *   -DEARLY          "not found" resends at once, before the window closed
 *   -DLATE_NOW       "not found" judged by the clock read after the answer
 *   -DSTUCK          the caller never times out a request
 * and -DNO_COPIES, with -DTRUST, the network the flag assumes: it holds.
 */
#include "machine_table.h"

#define TICK_MS 5000
#define CEIL_TICKS(ms) (((ms) + TICK_MS - 1) / TICK_MS)
#define W CEIL_TICKS(WINDOW_MS)
#define L CEIL_TICKS(LAG_MS)
/* The bound on the clock's error: the machine asks for SYNC before it signs
 * or queries with a larger one (the spec's sync limit). */
#define E CEIL_TICKS(SYNC_LIMIT_MS)
/* The error the clock really has: within its bound, or one tick beyond. */
#ifdef CLOCK_BEYOND
#define E_REAL (E + 1)
#else
#define E_REAL E
#endif
/* Signatures the model lets the machine make: the spec's cap, or fewer to
 * keep the search small (the rule under test acts at the first resend; a
 * later one repeats the same step). */
#ifndef MODEL_SENDS
#define MODEL_SENDS 2
#endif
#if SENDS_CAP < MODEL_SENDS
#define SENDS SENDS_CAP
#else
#define SENDS MODEL_SENDS
#endif
/* Status queries per intent: the spec's count per round and per intent, or
 * fewer to keep the search small. */
#ifndef MODEL_QUERIES
#define MODEL_QUERIES 3
#endif
#if MODEL_QUERIES < QUERIES && MODEL_QUERIES < QUERIES_CAP
#define MQUERIES MODEL_QUERIES
#elif QUERIES < QUERIES_CAP
#define MQUERIES QUERIES
#else
#define MQUERIES QUERIES_CAP
#endif
/* The intent's lifetime: a model figure, short enough that a resend after
 * a reconcile can fall on either side of it. */
#define LIFE (W + L + 2 * E)
/* Network copies of a request per run (a proxy or a transport replay). */
#ifdef NO_COPIES
#define COPIES 0
#else
#define COPIES 1
#endif
#define NEVER (-1)

#ifdef TRUST
#define MACHINE F_TRUST
#else
#define MACHINE F_DEFAULT
#endif

short now = 0;             /* server time, ticks */
short horizon = 0;         /* the clock stops here (see above) */
byte executed = 0;         /* how often the server executed the order */
short exec_at = NEVER;     /* server time of the first execution */
bool seen[SENDS];          /* signatures in the server's replay record */
byte copies = 0;           /* network copies made so far */
byte st = ST_READY;         /* the machine's state (machine_table.h) */
byte sends = 0;            /* signatures made; the latest is sends - 1 */
bool stale = false;        /* a signature was made after the lifetime */

/* Requests on the wire, one channel per signature so that the server may
 * take them in any order: the signed timestamp (the client's clock). */
chan wire[SENDS] = [2] of { short };
/* The answer to the latest request, on its way to the client. Answers to
 * older requests are dropped: their exchanges have ended (timed out), so
 * the caller never reports them; one that finds no room is lost. */
mtype = { OK, UNKNOWN, REFUSAL, OUTSIDE, REPLAY };
chan answers = [1] of { mtype };

#define TERMINAL (st == ST_ACCEPTED || st == ST_EXPIRED || st == ST_ESCALATED)

ltl safe { [] (executed <= 1 && !stale &&
               (st != ST_ACCEPTED || executed == 1) &&
               (st != ST_EXPIRED || executed == 0)) }
ltl live { <> (st == ST_ACCEPTED || st == ST_EXPIRED || st == ST_ESCALATED) }

/* The machine: apply the row of the table for this state and event. The
 * C machine refuses an event with no row (-1, nothing changes); the model's
 * caller reports only events that fit, so such an event is a model error. */
#define ROW(f, s, e, n) :: (((f) == F_BOTH || (f) == MACHINE) && st == (s) && ev == (e)) -> st = (n)
inline step(ev)
{
    if
    MACHINE_TABLE
    :: else -> assert(false)
    fi
}
#undef ROW

/* A reading of the client's clock: off from server time by up to E_REAL,
 * either way, afresh at every reading (drift, a resync). */
inline read_clock(c)
{
    if
    :: c = now - E_REAL
    :: c = now + E_REAL
    fi
}

active proctype clock()
{
end:
    do
    :: atomic { now < horizon -> now++ }
    od
}

#define ANSWER(s, what) if :: (s) + 1 == sends && nfull(answers) -> answers!what :: (s) + 1 != sends || full(answers) -> skip fi
#define INSIDE(t) (now <= (t) + W && (t) <= now + W)

/* One arrival of signature s, signed at t. The checks (signature, window,
 * replay record, rate limit, token) may run in any order, so a refusal may
 * come before or after the replay record is written, inside the window or
 * outside it; a signature is recorded no later than when it executes. */
inline serve(s, t)
{
    if
    :: skip                                            /* lost before the server */
    :: ANSWER(s, REFUSAL)                              /* 5002, 429/5003, 1002 */
    :: seen[s] = true; ANSWER(s, REFUSAL)              /* ... after the replay record */
    :: !INSIDE(t) -> ANSWER(s, OUTSIDE)
    :: INSIDE(t) && seen[s] -> ANSWER(s, REPLAY)
    :: INSIDE(t) && !seen[s] ->
        seen[s] = true;
        if
        :: ANSWER(s, UNKNOWN)                          /* 5001 before executing */
        :: executed++;
           if
           :: exec_at == NEVER -> exec_at = now
           :: else -> skip
           fi;
           if
           :: ANSWER(s, OK)
           :: ANSWER(s, UNKNOWN)                       /* 5001 after executing */
           :: skip                                     /* the answer is lost */
           fi
        fi
    fi
}

#define TAKE(k) :: atomic { wire[k]?t -> serve(k, t) }

/* It keeps serving after the client has finished, since a delayed request or
 * a copy may still arrive. */
active proctype server()
{
    short t;
end:
    do
    TAKE(0)
#if SENDS > 1
    TAKE(1)
#endif
#if SENDS > 2
    TAKE(2)
#endif
#if SENDS > 3
    TAKE(3)
#endif
    od
}

/* "Not found" is final once the query, handed out at q by a clock with
 * error bound E, is past the latest signature's window and lag:
 * q - E >= signed + W + L (sixmm_reconcile's rule, as the machine applies
 * it to the QUERY step's sign_ms). */
#define CLOSED(q) ((q) - E >= last + W + L)
/* The machine's lifetime test: the estimate plus its error is past it. */
#define LATE(c) ((c) + E > born + LIFE)

/* The caller's loop: it asks the machine for the next step, does it, and
 * reports what happened. A SEND is reported sending() at once, and a QUERY
 * querying() and what it found in the same step (the server reads the order
 * at the earliest moment, when the query is signed): a crash between them
 * restarts from the same record as a crash just before. */
active proctype client()
{
    byte queries = 0;
    byte ev;
    short born, last = 0, c;
    mtype got;
    bool out = false;      /* sending() reported, the bytes not yet out */
    bool proof = false;    /* WAIT until the proof instant before querying */
    bool crashed = false;  /* at most one crash per run */
    /* The record in the journal, written after sending() and before the
     * bytes go out (and at the start). */
    byte r_st, r_sends, r_queries;
    short r_last;
#ifdef LATE_NOW
    bool missing = false;  /* a query found nothing, not yet judged */
#endif

    atomic {
        read_clock(born);
        r_st = st; r_sends = sends; r_queries = queries; r_last = last
    };
    do
    :: atomic { st == ST_READY ->
        /* next(): the lifetime first, then the cap of sends */
        read_clock(c);
        if
#ifndef NO_LIFETIME
        :: LATE(c) -> ev = EV_NEXT_LATE
        :: !LATE(c) && sends >= SENDS -> ev = EV_NEXT_CAP
        :: !LATE(c) && sends < SENDS -> ev = EV_NEXT
#else
        :: sends >= SENDS -> ev = EV_NEXT_CAP
        :: sends < SENDS -> ev = EV_NEXT
#endif
        fi;
        step(ev);
        if
        :: st == ST_SEND ->
            /* SEND, signed with c: sending(c), the record, then the bytes */
            ev = EV_SENDING;
            step(ev);
            last = c;
            sends++;
            stale = stale || c > born + LIFE;
            out = true;
            do                                         /* a new exchange */
            :: answers?_
            :: empty(answers) -> break
            od;
            /* every copy of it is outside the window, and the rule can
             * have been met, before the clock stops */
            horizon = now + W + L + E + 2 * E_REAL + 1;
            r_st = st; r_sends = sends; r_queries = queries; r_last = last
        :: else -> skip
        fi;
        ev = 0; c = 0 }
    :: atomic { st == ST_SENT && out ->
        out = false;
        wire[sends - 1]!last;
        if
        :: copies < COPIES -> copies++; wire[sends - 1]!last
        :: else -> skip
        fi }
    :: atomic { st == ST_SENT && out -> out = false; ev = EV_NOT_SENT; step(ev); ev = 0 }
    :: atomic { st == ST_SENT && !out && nempty(answers) -> answers?got;
        if
        :: got == OK -> ev = EV_ANSWER_OK
        :: got == UNKNOWN -> ev = EV_ANSWER_UNKNOWN
        :: got == REFUSAL -> ev = EV_ANSWER_REFUSAL
        :: got == OUTSIDE -> ev = EV_ANSWER_OUTSIDE
        :: got == REPLAY -> ev = EV_ANSWER_REPLAY
        fi;
        step(ev);
        proof = false;
        got = 0; ev = 0 }
#ifndef STUCK
    :: atomic { st == ST_SENT && !out ->                /* timed out */
        ev = EV_ANSWER_UNKNOWN; step(ev); proof = false; ev = 0 }
#endif
    :: atomic { st == ST_RECONCILE ->
        /* next(): the proof wait, then the cap of queries */
        read_clock(c);
        if
        :: proof && !CLOSED(c) -> skip                 /* WAIT */
        :: !proof || CLOSED(c) ->
            if
            :: queries >= MQUERIES -> ev = EV_NEXT_CAP
            :: queries < MQUERIES -> ev = EV_NEXT
            fi;
            step(ev);
            proof = false
        fi;
        if
        :: st == ST_QUERY ->
            /* QUERY, signed with c */
            queries++;
            ev = EV_QUERYING;
            step(ev);
            /* what the server finds: an execution is visible after at most
             * the lag */
            if
            :: exec_at != NEVER && now >= exec_at -> ev = EV_FOUND
            :: ev = EV_QUERY_FAILED
            :: exec_at == NEVER || now < exec_at + L ->
#if defined(EARLY)
                ev = EV_NOT_FOUND_CLOSED
#elif defined(LATE_NOW)
                missing = true
#else
                if
                :: CLOSED(c) -> ev = EV_NOT_FOUND_CLOSED
                :: else -> ev = EV_NOT_FOUND_OPEN
                fi
#endif
            fi;
#ifdef LATE_NOW
            if
            :: !missing -> step(ev)
            :: else -> skip
            fi
#else
            step(ev);
            proof = (ev == EV_NOT_FOUND_OPEN)
#endif
        :: else -> skip
        fi;
        ev = 0; c = 0 }
#ifdef LATE_NOW
    :: atomic { st == ST_QUERIED && missing ->
        /* the rule applied with the clock read after the answer arrived */
        missing = false;
        read_clock(c);
        if
        :: CLOSED(c) -> ev = EV_NOT_FOUND_CLOSED
        :: else -> ev = EV_NOT_FOUND_OPEN
        fi;
        step(ev);
        proof = (ev == EV_NOT_FOUND_OPEN);
        ev = 0; c = 0 }
#endif
    :: atomic { !crashed && !TERMINAL ->
        /* The process dies: what it had not written is gone, and so are
         * the answers on their way to it. The new one reads the record. */
        crashed = true;
        out = false;
        proof = false;
#ifdef LATE_NOW
        missing = false;
#endif
        do
        :: answers?_
        :: empty(answers) -> break
        od;
        sends = r_sends; queries = r_queries; last = r_last;
#ifdef FORGET_RESTART
        st = ST_READY;                                 /* placed as new */
        read_clock(born)
#else
        st = r_st;
        ev = EV_RESTART;
        step(ev);
        ev = 0;
#endif
        r_st = 0; r_sends = 0; r_queries = 0; r_last = 0
        }
    :: TERMINAL -> break
    od
}
