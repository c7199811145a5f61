/*
 * retry.pml: one order intent, placed through the library's retry loop,
 * against a network that loses, duplicates and delays messages and a server
 * that enforces the signature window and the replay rule but does not
 * deduplicate clientOrderId. Checked by spin (model/check.sh):
 *
 *   safe   [] (executed <= 1)      the order is never executed twice
 *   live   <> resolved             under weak fairness, the client ends:
 *                                  it knows the order executed, or it
 *                                  escalates to an operator
 *
 * The spec's numbers (WINDOW_MS, LAG_MS, QUERIES) come from the generated
 * constants.pml, included before this file. Time is counted in ticks of
 * TICK_MS, and the window, the lag and the clock error are rounded up to
 * whole ticks: the server is never stricter than the spec, the client
 * never waits less.
 *
 * Two deliberately broken clients show that each claim can fail
 * (check.sh expects spin to find the violation):
 *   -DBROKEN  resends on "not found" at once, before the window has closed:
 *             a double execution (safe fails);
 *   -DSTUCK   never times out, so a lost answer leaves it waiting for ever
 *             (live fails);
 *   -DLATE_NOW judges "not found" by the clock read when the answer arrives,
 *             not when the query was made (safe fails).
 */

#define TICK_MS 5000
#define CEIL_TICKS(ms) (((ms) + TICK_MS - 1) / TICK_MS)
#define W CEIL_TICKS(WINDOW_MS)
#define L CEIL_TICKS(LAG_MS)
/* The client's clock may be off by up to E either way after a sync (a
 * model bound, like the simulator's --clock-error-ms default). */
#define E CEIL_TICKS(200)
/* Signatures the client may make: the first send and one resend, where the
 * rule under test acts (a later resend repeats the same step). */
#define SENDS 2
/* The clock stops here; every wait of the loop fits before it. */
#define MAXT (SENDS * (2 * E + W + L + 1) + 2)

#define NONE 255

byte now = 0;              /* server time, ticks */
byte executed = 0;         /* how often the server executed the order */
byte exec_at = NONE;       /* server time of the first execution */
bool seen[SENDS];          /* signatures the server accepted */
bool resolved = false;

/* Requests on the wire: (signature, signed timestamp). Capacity 2 lets a
 * delayed original and a copy or a resend be in flight together; a request
 * waits there while the clock runs, which is how the network delays it. */
chan wire = [2] of { byte, byte };
/* Answers: (signature, outcome). An answer that finds no room is lost. */
mtype = { OK, ERR5001, REPLAY, OUTSIDE };
chan answers = [2] of { byte, mtype };

ltl safe { [] (executed <= 1) }
ltl live { <> resolved }

active proctype clock()
{
    do
    :: now < MAXT -> now++
    :: else -> break
    od
}

#define ANSWER(s, what) if :: nfull(answers) -> answers!s, what :: full(answers) -> skip fi

/* The network's faults happen where the server takes a request off the
 * wire: it may be lost, or copied once (a copy is later delivered as if it
 * were new). Then the server's rules. It keeps serving after the client
 * has resolved, since a delayed request may still arrive. */
active proctype server()
{
    byte s, t;
    bool copied = false;
    do
    :: atomic { wire?s, t ->
        if
        :: skip                                       /* lost */
        :: !copied -> copied = true; wire!s, t        /* copied; this copy is lost */
        :: (now > t + W || t > now + W) -> ANSWER(s, OUTSIDE)
        :: (now <= t + W && t <= now + W) ->
            if
            :: seen[s] -> ANSWER(s, REPLAY)
            :: !seen[s] ->
                seen[s] = true;
                if
                :: ANSWER(s, ERR5001)                 /* 5001 before execution */
                :: executed++;
                   if
                   :: exec_at == NONE -> exec_at = now
                   :: exec_at != NONE -> skip
                   fi;
                   if
                   :: ANSWER(s, OK)
                   :: ANSWER(s, ERR5001)              /* 5001 after execution */
                   :: skip                            /* answer lost */
                   fi
                fi
            fi
        fi }
    :: resolved && empty(wire) -> break
    od
}

/* RESEND is safe once the client's clock, less its error, has passed the
 * latest signing time plus window plus lag (sixmm_reconcile's rule); the
 * client's clock reads now + err - E, so that is now + err - 2E. */
#define WINDOW_CLOSED (now + err >= signed_at + W + L + 2 * E)

active proctype client()
{
    byte sig = 0;          /* signature of the latest send */
    byte signed_at;        /* its timestamp, by the client's clock */
    byte q;                /* status queries so far */
    byte s;
    mtype got;
    byte err;              /* the client's clock reads now + err - E */
    if
    :: err = 0
    :: err = 2 * E
    fi;

send:
    atomic { signed_at = now + err - E; wire!sig, signed_at };
    /* This send's answer, or a timeout (at any moment). */
    do
    :: atomic { answers?s, got ->
        if
        :: s != sig -> s = 0; got = 0                  /* late answer to an older send */
        :: s == sig && got == OK -> goto done
        :: s == sig && got == OUTSIDE -> err = E; goto resend   /* resync_clock */
        :: s == sig && (got == ERR5001 || got == REPLAY) -> break   /* reconcile */
        fi }
#ifndef STUCK
    :: true -> break                                   /* timed out */
#endif
    od;
    s = 0; got = 0;

    /* Reconcile: status queries by clientOrderId; each answer is judged at
     * the time the query was made (one atomic step). */
    q = 1;
query:
    atomic {
        if
        :: exec_at != NONE && now >= exec_at + L -> goto done   /* FINAL */
        :: true -> goto next_query                              /* QUERY_FAILED */
        :: exec_at == NONE || now < exec_at + L ->              /* not found (may lag) */
#if defined(BROKEN)
            goto resend
#elif defined(LATE_NOW)
            goto judge_late
#else
            if
            :: WINDOW_CLOSED -> goto resend
            :: else -> goto poll
            fi
#endif
        fi
    };
#ifdef LATE_NOW
judge_late:
    /* The rule applied with the clock read after the answer arrived. */
    if
    :: WINDOW_CLOSED -> goto resend
    :: else -> goto poll
    fi;
#endif
poll:
    /* POLL: the delay reaches the instant; where the model's clock stops
     * first, the client escalates (the end of the model's time). */
    if
    :: WINDOW_CLOSED -> skip
    :: now == MAXT && !WINDOW_CLOSED -> goto escalate
    fi;
next_query:
    q++;
    if
    :: q > QUERIES -> goto escalate
    :: else -> goto query
    fi;

resend:
    sig++;
    if
    :: sig >= SENDS -> goto escalate
    :: else -> goto send
    fi;

escalate:
done:
    resolved = true
}
