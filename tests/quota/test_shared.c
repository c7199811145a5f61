/*
 * sixmm_throttle_open_shared(): one throttle in a file that many processes
 * map. First the region's checks (created once, attached after; foreign
 * files, other versions, sizes and numbers refused and left untouched), then
 * the throttle's guarantees from 8 processes x 4 threads over a simulated
 * clock in shared memory, then processes killed with SIGKILL while they hold
 * leases: their slots come back after the lease, and the others finish.
 *
 * The simulated clock and the turn log live in an anonymous shared mapping
 * made before the fork; each process opens the region file itself, as a
 * real client does. The checks on the log are test_throttle's: sends in any
 * window of W ms <= burst + ceil(rate W / 1000), slots held <= concurrency
 * at every moment, no turn asked after a feedback starts inside its hold,
 * and every thread gets all its turns. A holder counts while the clock is
 * before its lease's end (start + lease), killed or not: a lease may be
 * reclaimed only from then on, and any thread may push the clock past the
 * end of another's call.
 */
#define _DEFAULT_SOURCE

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sixmm/errinfo.h>

#include "run_suite.h"

#define PROCS   8
#define THREADS 4
#define WORKERS (PROCS * THREADS)
#define TURNS_PER_WORKER 40
#define VICTIM_TURNS (4 * TURNS_PER_WORKER)
#define MAX_TURNS (WORKERS * VICTIM_TURNS)

/* The spec's lease (spec/errors.yaml, policy lease; REST's for custom numbers). */
#define LEASE_MS 30000u

static char region_path[256];

static void fresh_path(const char *name)
{
    const char *dir = getenv("TMPDIR");
    snprintf(region_path, sizeof region_path, "%s/sixmm-%s-%ld.quota", dir && *dir ? dir : "/tmp",
             name, (long)getpid());
    unlink(region_path);
}

static sixmm_throttle *open_agent(void)
{
    sixmm_throttle *t = NULL;
    ck_assert_int_eq(sixmm_throttle_open_shared(region_path, SIXMM_DOMAIN_AGENT, &t),
                     SIXMM_SHARED_OK);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* ---- The region ---------------------------------------------------------- */

START_TEST(created_once_then_attached_with_the_same_state)
{
    sixmm_throttle *a, *b;
    uint32_t ticket, other;

    fresh_path("attach");
    a = open_agent();
    b = open_agent();
    ck_assert_ptr_ne(a, b); /* two mappings of one region */
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(a, 1000, &ticket), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(b, 1000, &other), 0);
    /* The Agent quota's 2 slots are both taken, seen from either mapping. */
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(a, 1000, &other), SIXMM_THROTTLE_BUSY);
    sixmm_throttle_release_lease(b, ticket, 1000);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(a, 1000, &other), SIXMM_THROTTLE_BUSY);
    ck_assert_int_eq(sixmm_throttle_close_shared(a), SIXMM_SHARED_OK);
    ck_assert_int_eq(sixmm_throttle_close_shared(b), SIXMM_SHARED_OK);
    /* Closed and opened again: the state is still there (both slots taken). */
    a = open_agent();
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(a, 1000, &other), SIXMM_THROTTLE_BUSY);
    ck_assert_int_eq(sixmm_throttle_close_shared(a), SIXMM_SHARED_OK);
    unlink(region_path);
}
END_TEST

static void write_file(const void *bytes, size_t n)
{
    FILE *f = fopen(region_path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

static long file_size(void)
{
    struct stat st;
    ck_assert_int_eq(stat(region_path, &st), 0);
    return (long)st.st_size;
}

/* Open must fail with `want` and leave the file as it was. */
static void refused(int want)
{
    static unsigned char before[4096], after[4096];
    sixmm_throttle *t = (sixmm_throttle *)&t;
    FILE *f;
    size_t n, m;
    int rc;

    f = fopen(region_path, "rb");
    n = f ? fread(before, 1, sizeof before, f) : 0;
    if (f)
        fclose(f);
    rc = sixmm_throttle_open_shared(region_path, SIXMM_DOMAIN_AGENT, &t);
    ck_assert_msg(rc == want, "open gave %d (%s), not %d", rc, sixmm_shared_strerror(rc), want);
    ck_assert_ptr_null(t);
    ck_assert_str_ne(sixmm_shared_strerror(rc), "");
    f = fopen(region_path, "rb");
    ck_assert_ptr_nonnull(f);
    m = fread(after, 1, sizeof after, f);
    fclose(f);
    ck_assert_uint_eq(m, n);
    ck_assert_int_eq(memcmp(before, after, n), 0);
}

/* Byte offsets of the header fields (throttle_shared.c's layout). */
#define AT_VERSION 8
#define AT_SIZE    16
#define AT_RATE    24

static void patch_u32(long at, uint32_t v)
{
    FILE *f = fopen(region_path, "r+b");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, at, SEEK_SET), 0);
    ck_assert_uint_eq(fwrite(&v, sizeof v, 1, f), 1);
    fclose(f);
}

START_TEST(foreign_files_other_versions_sizes_and_numbers_are_refused)
{
    static const char text[] = "a file that is not a throttle region, of some length\n";
    static unsigned char zeros[100];
    sixmm_throttle *t;
    long size;

    fresh_path("refuse");
    write_file(text, sizeof text);
    refused(SIXMM_SHARED_E_FOREIGN);
    /* A short file, and zeros of another length, are not regions either. */
    write_file("6MM", 3);
    refused(SIXMM_SHARED_E_FOREIGN);
    write_file(zeros, sizeof zeros);
    refused(SIXMM_SHARED_E_FOREIGN);

    /* A region made with other numbers: the custom 3/s instead of 2/s. */
    unlink(region_path);
    ck_assert_int_eq(sixmm_throttle_open_shared_custom(region_path, 3, 4, 2, &t), SIXMM_SHARED_OK);
    ck_assert_int_eq(sixmm_throttle_close_shared(t), SIXMM_SHARED_OK);
    refused(SIXMM_SHARED_E_NUMBERS);
    /* The Agent's numbers with REST's lease is the same region... */
    unlink(region_path);
    ck_assert_int_eq(sixmm_throttle_open_shared_custom(region_path, 2, 4, 2, &t), SIXMM_SHARED_OK);
    ck_assert_int_eq(sixmm_throttle_close_shared(t), SIXMM_SHARED_OK);
    t = open_agent();
    ck_assert_int_eq(sixmm_throttle_close_shared(t), SIXMM_SHARED_OK);
    /* ...but not with another burst or concurrency. */
    ck_assert_int_eq(sixmm_throttle_open_shared_custom(region_path, 2, 5, 2, &t),
                     SIXMM_SHARED_E_NUMBERS);
    ck_assert_int_eq(sixmm_throttle_open_shared_custom(region_path, 2, 4, 3, &t),
                     SIXMM_SHARED_E_NUMBERS);

    /* Another layout version, a recorded size that is not ours, a file cut
     * short or grown. */
    size = file_size();
    patch_u32(AT_VERSION, 2);
    refused(SIXMM_SHARED_E_VERSION);
    patch_u32(AT_VERSION, 1);
    patch_u32(AT_SIZE, (uint32_t)size + 8);
    refused(SIXMM_SHARED_E_SIZE);
    patch_u32(AT_SIZE, (uint32_t)size);
    ck_assert_int_eq(truncate(region_path, size - 8), 0);
    refused(SIXMM_SHARED_E_SIZE);
    ck_assert_int_eq(truncate(region_path, size + 4096), 0);
    refused(SIXMM_SHARED_E_SIZE);
    ck_assert_int_eq(truncate(region_path, size), 0);
    patch_u32(AT_RATE, 7);
    refused(SIXMM_SHARED_E_NUMBERS);
    patch_u32(AT_RATE, 2);
    t = open_agent();
    ck_assert_int_eq(sixmm_throttle_close_shared(t), SIXMM_SHARED_OK);
    unlink(region_path);
}
END_TEST

START_TEST(bad_arguments_are_refused)
{
    sixmm_throttle *t = (sixmm_throttle *)&t, local;

    fresh_path("args");
    ck_assert_int_eq(sixmm_throttle_open_shared(NULL, SIXMM_DOMAIN_AGENT, &t),
                     SIXMM_SHARED_E_ARGUMENT);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(sixmm_throttle_open_shared(region_path, SIXMM_DOMAIN_AGENT, NULL),
                     SIXMM_SHARED_E_ARGUMENT);
    /* REST documents no quota. */
    ck_assert_int_eq(sixmm_throttle_open_shared(region_path, SIXMM_DOMAIN_REST, &t),
                     SIXMM_SHARED_E_ARGUMENT);
    ck_assert_int_eq(sixmm_throttle_open_shared_custom(region_path, 0, 1, 1, &t),
                     SIXMM_SHARED_E_ARGUMENT);
    ck_assert_int_eq(access(region_path, F_OK), -1); /* nothing was created */
    ck_assert_int_eq(sixmm_throttle_open_shared("/nonexistent-dir/x.quota", SIXMM_DOMAIN_AGENT,
                                                &t),
                     SIXMM_SHARED_E_SYSTEM);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_int_eq(sixmm_throttle_close_shared(NULL), SIXMM_SHARED_E_ARGUMENT);
    ck_assert_int_eq(sixmm_throttle_init(&local, SIXMM_DOMAIN_AGENT), 0);
    ck_assert_int_eq(sixmm_throttle_close_shared(&local), SIXMM_SHARED_E_ARGUMENT);
    ck_assert_str_eq(sixmm_shared_strerror(1), "");
}
END_TEST

/* ---- 8 processes x 4 threads over a simulated clock ---------------------- */

struct turn {
    int worker;
    uint64_t start;
    uint32_t wait;
    uint64_t ticket_before, ticket_after, hold_seen;
};

struct world {
    uint32_t rate, burst, concurrency;
    int feedback, custom;
    uint64_t call_ms, step_ms;
    atomic_uint_fast64_t clock, tickets, hold_end;
    atomic_int paused;              /* the parent stops the clock while it kills */
    atomic_int turns, max_held, holding;
    atomic_uint_fast64_t lease_end[WORKERS]; /* 0: the worker holds no lease */
    atomic_int calls[WORKERS];
    atomic_int hold_forever[PROCS]; /* the process's threads keep their leases */
    atomic_int until_killed[PROCS]; /* the process's threads never stop */
    struct turn log[MAX_TURNS];
};

static struct world *w;

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void advance_to(uint64_t until, uint64_t *rng)
{
    uint64_t now = atomic_load(&w->clock);
    while (now < until) {
        uint64_t step = 1 + xorshift(rng) % w->step_ms;
        uint64_t next = until - now < step ? until : now + step;
        if (!atomic_load(&w->paused) && atomic_compare_exchange_weak(&w->clock, &now, next))
            now = next;
        else
            now = atomic_load(&w->clock);
        sched_yield();
    }
}

/* The leases that still run at `now`, besides the caller's own. */
static int held_at(uint64_t now, int self)
{
    int i, n = 0;
    for (i = 0; i < WORKERS; i++)
        n += i != self && atomic_load(&w->lease_end[i]) > now;
    return n;
}

struct worker_arg {
    sixmm_throttle *t;
    int proc, self;
};

static void *worker(void *arg)
{
    const struct worker_arg *a = arg;
    uint64_t rng = 0x9E3779B97F4A7C15u * (uint64_t)(a->self + 1);
    long busy = 0;
    int turns = atomic_load(&w->until_killed[a->proc]) ? VICTIM_TURNS : TURNS_PER_WORKER;

    while (atomic_load(&w->calls[a->self]) < turns && busy < 2000000) {
        uint64_t lag = a->self % 3 == 2 ? xorshift(&rng) % 4 : 0, now, before, hold;
        uint32_t wait, ticket;
        int n, held, seen;

        hold = atomic_load(&w->hold_end);
        now = atomic_load(&w->clock);
        now = now > lag ? now - lag : 0;
        before = atomic_fetch_add(&w->tickets, 1);
        wait = sixmm_throttle_acquire_lease(a->t, now, &ticket);
        if (wait == SIXMM_THROTTLE_BUSY && atomic_load(&w->hold_forever[a->proc])) {
            /* A holder to be killed waits for a slot without moving the
             * clock, so that the slots taken are the first ones. */
            sched_yield();
            continue;
        }
        if (wait == SIXMM_THROTTLE_BUSY) {
            busy++;
            advance_to(atomic_load(&w->clock) + 1 + xorshift(&rng) % 10, &rng);
            continue;
        }
        busy = 0;
        atomic_fetch_add(&w->calls[a->self], 1);
        /* At the clock after the acquire: every lease reclaimed so far
         * ended at or before it. */
        held = held_at(atomic_load(&w->clock), a->self) + 1;
        seen = atomic_load(&w->max_held);
        while (held > seen && !atomic_compare_exchange_weak(&w->max_held, &seen, held))
            ;
        atomic_store(&w->lease_end[a->self], now + wait + LEASE_MS);
        n = atomic_fetch_add(&w->turns, 1);
        if (n < MAX_TURNS) {
            w->log[n].worker = a->self;
            w->log[n].start = now + wait;
            w->log[n].wait = wait;
            w->log[n].ticket_before = before;
            w->log[n].ticket_after = atomic_fetch_add(&w->tickets, 1);
            w->log[n].hold_seen = hold;
        }
        if (atomic_load(&w->hold_forever[a->proc])) {
            /* A holder about to be killed: it keeps its lease until then. */
            atomic_fetch_add(&w->holding, 1);
            for (;;)
                pause();
        }
        advance_to(now + wait, &rng);
        advance_to(atomic_load(&w->clock) + xorshift(&rng) % w->call_ms, &rng);
        if (w->feedback && a->self % THREADS == 0 && atomic_load(&w->calls[a->self]) % 10 == 9) {
            sixmm_advice adv;
            uint64_t end, cur;
            memset(&adv, 0, sizeof adv);
            adv.action = SIXMM_RETRY_BACKOFF;
            adv.resend = 1;
            adv.delay_ms = (uint32_t)(1 + xorshift(&rng) % 3000);
            now = atomic_load(&w->clock);
            sixmm_throttle_feedback(a->t, &adv, now);
            end = now + adv.delay_ms;
            cur = atomic_load(&w->hold_end);
            while (end > cur && !atomic_compare_exchange_weak(&w->hold_end, &cur, end))
                ;
        }
        atomic_store(&w->lease_end[a->self], 0);
        sixmm_throttle_release_lease(a->t, ticket, atomic_load(&w->clock));
    }
    /* A process to be killed that got all its turns takes one more slot
     * and keeps it until it is killed. */
    if (atomic_load(&w->until_killed[a->proc])) {
        uint32_t ticket;
        while (sixmm_throttle_acquire_lease(a->t, atomic_load(&w->clock), &ticket) ==
               SIXMM_THROTTLE_BUSY)
            advance_to(atomic_load(&w->clock) + 1, &rng);
        atomic_store(&w->lease_end[a->self], atomic_load(&w->clock) + LEASE_MS);
        for (;;)
            pause();
    }
    return NULL;
}

/* One process: opens the region itself, runs its threads, closes it. */
static void process_main(int proc)
{
    pthread_t th[THREADS];
    struct worker_arg args[THREADS];
    sixmm_throttle *t = NULL;
    int i, rc;

    rc = w->custom ? sixmm_throttle_open_shared_custom(region_path, w->rate, w->burst,
                                                       w->concurrency, &t)
                   : sixmm_throttle_open_shared(region_path, SIXMM_DOMAIN_AGENT, &t);
    if (rc != SIXMM_SHARED_OK)
        _exit(10);
    for (i = 0; i < THREADS; i++) {
        args[i].t = t;
        args[i].proc = proc;
        args[i].self = proc * THREADS + i;
        if (pthread_create(&th[i], NULL, worker, &args[i]) != 0)
            _exit(11);
    }
    for (i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    _exit(sixmm_throttle_close_shared(t) == SIXMM_SHARED_OK ? 0 : 12);
}

static void new_world(uint32_t rate, uint32_t burst, uint32_t concurrency, int custom,
                      uint64_t call_ms, uint64_t step_ms, int feedback)
{
    if (!w) {
        void *m = mmap(NULL, sizeof *w, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        ck_assert_ptr_ne(m, MAP_FAILED);
        w = m;
    }
    memset(w, 0, sizeof *w);
    w->rate = rate;
    w->burst = burst;
    w->concurrency = concurrency;
    w->custom = custom;
    w->call_ms = call_ms;
    w->step_ms = step_ms;
    w->feedback = feedback;
    atomic_store(&w->clock, 1000000);
}

static pid_t spawn(int proc)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        process_main(proc);
    return pid;
}

static void reap(pid_t pid, int killed)
{
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    if (killed)
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    else
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "a process ended with status %d", status);
}

static int by_start(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int logged(void)
{
    int n = atomic_load(&w->turns);
    ck_assert_int_le(n, MAX_TURNS);
    return n;
}

static void check_window_bound(void)
{
    static uint64_t starts[MAX_TURNS];
    int i, j, n = logged();

    for (i = 0; i < n; i++)
        starts[i] = w->log[i].start;
    qsort(starts, (size_t)n, sizeof starts[0], by_start);
    for (i = 0; i < n; i++)
        for (j = i; j < n && starts[j] - starts[i] <= 60000; j++) {
            uint64_t span = starts[j] - starts[i];
            uint64_t bound = w->burst + (w->rate * span + 999) / 1000;
            ck_assert_msg((uint64_t)(j - i + 1) <= bound, "%d sends within %llu ms; the bound is %llu",
                          j - i + 1, (unsigned long long)span, (unsigned long long)bound);
        }
}

static void check_every_worker_done(int first_proc)
{
    int i;
    for (i = first_proc * THREADS; i < WORKERS; i++)
        ck_assert_msg(atomic_load(&w->calls[i]) == TURNS_PER_WORKER, "worker %d made %d calls of %d",
                      i, atomic_load(&w->calls[i]), TURNS_PER_WORKER);
}

static void run_all(void)
{
    pid_t pids[PROCS];
    int p;

    for (p = 0; p < PROCS; p++)
        pids[p] = spawn(p);
    for (p = 0; p < PROCS; p++)
        reap(pids[p], 0);
}

START_TEST(eight_processes_agent_quota)
{
    fresh_path("agent");
    new_world(2, 4, 2, 0, 40, 100, 0);
    run_all();
    ck_assert_int_eq(logged(), WORKERS * TURNS_PER_WORKER);
    check_window_bound();
    ck_assert_int_eq(atomic_load(&w->max_held), 2);
    check_every_worker_done(0);
    unlink(region_path);
}
END_TEST

START_TEST(eight_processes_fast_rate_many_slots)
{
    fresh_path("fast");
    new_world(100, 3, 6, 1, 5, 3, 0);
    run_all();
    check_window_bound();
    ck_assert_int_le(atomic_load(&w->max_held), 6);
    ck_assert_int_gt(atomic_load(&w->max_held), 2);
    check_every_worker_done(0);
    unlink(region_path);
}
END_TEST

START_TEST(eight_processes_with_feedback_respect_every_hold)
{
    int i, n, after_hold = 0;

    fresh_path("feedback");
    new_world(20, 3, 4, 1, 20, 20, 1);
    run_all();
    n = logged();
    check_window_bound();
    ck_assert_int_le(atomic_load(&w->max_held), 4);
    for (i = 0; i < n; i++) {
        ck_assert_msg(w->log[i].start >= w->log[i].hold_seen,
                      "a turn asked after a feedback starts at %llu, inside the hold to %llu",
                      (unsigned long long)w->log[i].start, (unsigned long long)w->log[i].hold_seen);
        after_hold += w->log[i].hold_seen > 0;
    }
    ck_assert_int_gt(after_hold, n / 10);
    check_every_worker_done(0);
    unlink(region_path);
}
END_TEST

/* ---- Holders killed with SIGKILL ----------------------------------------- */

static void stop_clock(void)
{
    atomic_store(&w->paused, 1);
}

static void kill_process(pid_t pid)
{
    ck_assert_int_eq(kill(pid, SIGKILL), 0);
    reap(pid, 1);
}

/* Leases of process p's workers still running at the clock. */
static int leases_of(int p)
{
    int i, n = 0;
    uint64_t now = atomic_load(&w->clock);
    for (i = p * THREADS; i < (p + 1) * THREADS; i++)
        n += atomic_load(&w->lease_end[i]) > now;
    return n;
}

/* Processes 0-2 take every slot and are killed holding them; processes 3-7
 * then find every slot taken until the leases end, and finish. */
START_TEST(holders_of_every_slot_killed_their_leases_expire)
{
    pid_t pids[PROCS];
    uint64_t killed_at, first = UINT64_MAX, earliest = UINT64_MAX;
    int p, i, n, victims_turns;

    fresh_path("killall");
    new_world(100, 10, 6, 1, 5, 50, 0);
    for (p = 0; p < 3; p++)
        atomic_store(&w->hold_forever[p], 1);
    for (p = 0; p < 3; p++)
        pids[p] = spawn(p);
    while (atomic_load(&w->holding) < 6)
        usleep(1000);
    stop_clock();
    killed_at = atomic_load(&w->clock);
    for (p = 0; p < 3; p++)
        kill_process(pids[p]);
    victims_turns = logged();
    ck_assert_int_eq(victims_turns, 6);
    atomic_store(&w->paused, 0);
    for (p = 3; p < PROCS; p++)
        pids[p] = spawn(p);
    for (p = 3; p < PROCS; p++)
        reap(pids[p], 0);
    check_every_worker_done(3);
    n = logged();
    for (i = 0; i < victims_turns; i++)
        earliest = w->log[i].start < earliest ? w->log[i].start : earliest;
    for (i = victims_turns; i < n; i++)
        first = w->log[i].start < first ? w->log[i].start : first;
    /* No slot came back before a lease ended, and every one came back. */
    ck_assert_uint_ge(first, earliest + LEASE_MS);
    ck_assert_int_le(atomic_load(&w->max_held), 6);
    check_window_bound();
    printf("killall: 6 leases held by 3 killed processes at %llu ms; the first of 5 x 4 "
           "survivors started at %llu ms (+%llu); %d survivor turns, at most %d slots held\n",
           (unsigned long long)killed_at, (unsigned long long)first,
           (unsigned long long)(first - killed_at), n - victims_turns, atomic_load(&w->max_held));
    unlink(region_path);
}
END_TEST

/* All 8 processes run; three of them run (up to VICTIM_TURNS each, then
 * wait) until they are killed, at random moments, holding whatever they hold. The others finish, and the calls
 * never hold more than the slots. */
START_TEST(holders_killed_mid_run_do_not_wedge_the_others)
{
    pid_t pids[PROCS];
    struct timespec ts;
    int p, held_at_kill = 0;
    uint64_t seed = (uint64_t)getpid();

    fresh_path("killsome");
    new_world(50, 5, 4, 1, 300, 30, 0);
    for (p = 0; p < 3; p++)
        atomic_store(&w->until_killed[p], 1);
    for (p = 0; p < PROCS; p++)
        pids[p] = spawn(p);
    for (p = 0; p < 3; p++) {
        ts.tv_sec = 0;
        ts.tv_nsec = (long)(20000000 + xorshift(&seed) % 80000000);
        nanosleep(&ts, NULL);
        stop_clock();
        held_at_kill += leases_of(p);
        kill_process(pids[p]);
        atomic_store(&w->paused, 0);
    }
    for (p = 3; p < PROCS; p++)
        reap(pids[p], 0);
    check_every_worker_done(3);
    ck_assert_int_le(atomic_load(&w->max_held), 4);
    check_window_bound();
    printf("killsome: 3 of 8 processes killed mid-run, one after the other, holding %d leases "
           "between them; the other 5 x 4 "
           "finished; at most %d live slots held; clock at %llu ms\n",
           held_at_kill, atomic_load(&w->max_held), (unsigned long long)atomic_load(&w->clock));
    unlink(region_path);
}
END_TEST

static Suite *shared_suite(void)
{
    Suite *s = suite_create("shared");
    TCase *region = tcase_create("region");
    TCase *procs = tcase_create("processes");
    TCase *kills = tcase_create("kills");

    tcase_add_test(region, created_once_then_attached_with_the_same_state);
    tcase_add_test(region, foreign_files_other_versions_sizes_and_numbers_are_refused);
    tcase_add_test(region, bad_arguments_are_refused);
    tcase_add_test(procs, eight_processes_agent_quota);
    tcase_add_test(procs, eight_processes_fast_rate_many_slots);
    tcase_add_test(procs, eight_processes_with_feedback_respect_every_hold);
    tcase_add_test(kills, holders_of_every_slot_killed_their_leases_expire);
    tcase_add_test(kills, holders_killed_mid_run_do_not_wedge_the_others);
    tcase_set_timeout(procs, 300);
    tcase_set_timeout(kills, 300);
    suite_add_tcase(s, region);
    suite_add_tcase(s, procs);
    suite_add_tcase(s, kills);
    return s;
}

int main(void)
{
    return run_suite(shared_suite());
}
