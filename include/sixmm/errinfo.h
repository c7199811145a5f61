/*
 * sixmm/errinfo.h: the 6MM API error catalog, as a C library.
 *
 * Contract, for every function declared here:
 *  - The library owns every pointer it returns. Never free or modify one.
 *    Returned pointers stay valid for the life of the process.
 *  - No call allocates memory or takes a lock (except that
 *    sixmm_throttle_open_shared() maps a file and locks it while it sets up). The catalog is static const
 *    data, so the lookups need no init call. The retry loop's throttle and
 *    budget live in storage the caller owns, initialised once
 *    (sixmm_throttle_init(), sixmm_budget_init()) and then shared by threads
 *    through lock-free atomics. Every function is thread-safe and
 *    async-signal-safe.
 *  - A function that returns text never returns NULL; it returns "" when there
 *    is nothing to say.
 *  - Functions that take an entry accept NULL (what a failed lookup returns)
 *    and then answer "nothing known", never "success": only code 0 is
 *    success. For NULL the retry class is SIXMM_RETRY_RECONCILE (the outcome
 *    is unknown), the category SIXMM_CATEGORY_UNKNOWN, the code -1, the HTTP
 *    status 0, the source SIXMM_SOURCE_NONE, a count 0 and a text "". Each
 *    accessor below says what it returns for NULL.
 *  - The order machine's clock and intents live in caller-owned storage too
 *    (sixmm_clock_init(), sixmm_intent_init()); the clock is shared by
 *    threads, an intent is used by one thread at a time.
 *  - Strings are UTF-8. Chinese text falls back to English where upstream
 *    has none.
 *
 * The catalog itself (codes, names, texts, retry classes) is generated from
 * spec/errors.yaml into <sixmm/codes.h> and the library's tables.
 */
#ifndef SIXMM_ERRINFO_H
#define SIXMM_ERRINFO_H

#include <stddef.h>
#include <stdint.h>

#include <sixmm/codes.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SIXMM_API
#  if defined(_WIN32)
#    define SIXMM_API
#  elif defined(__GNUC__) && __GNUC__ >= 4
#    define SIXMM_API __attribute__((visibility("default")))
#  else
#    define SIXMM_API
#  endif
#endif

/** One catalog entry (an exact code, a range, a message or an identifier).
 *  Opaque: use the accessors, so the table can grow without an ABI break. */
typedef struct sixmm_entry sixmm_entry;

/** How a lookup found its answer. Callers must always check it. */
typedef enum sixmm_match {
    SIXMM_MATCH_EXACT = 0,   /* the key itself is documented */
    SIXMM_MATCH_RANGE = 1,   /* the code lies in a documented range */
    SIXMM_MATCH_CLASS = 2,   /* unknown code in a known block (1xxx, 2xxx, ...) */
    SIXMM_MATCH_UNKNOWN = 3, /* nothing known; the entry is NULL */
    SIXMM_MATCH_STATUS = 4,  /* sixmm_classify(): the HTTP status alone decided (no code,
                                or one no block knows); the entry is NULL */
    SIXMM_MATCH_DESCRIPTION = 5 /* sixmm_lookup_description(): the text is an entry's
                                   description, up to case and blanks */
} sixmm_match;

/** What kind of key an entry has. */
typedef enum sixmm_kind {
    SIXMM_KIND_CODE = 0,
    SIXMM_KIND_RANGE = 1,
    SIXMM_KIND_MESSAGE = 2,
    SIXMM_KIND_ID = 3,
    SIXMM_KIND_CLASS = 4     /* a block fallback, returned with SIXMM_MATCH_CLASS */
} sixmm_kind;

typedef enum sixmm_lang {
    SIXMM_LANG_EN = 0,
    SIXMM_LANG_ZH = 1
} sixmm_lang;

/** The fields that carry provenance. */
typedef enum sixmm_field {
    SIXMM_FIELD_DESCRIPTION = 0,
    SIXMM_FIELD_RETRY = 1,
    SIXMM_FIELD_REMEDIATION = 2
} sixmm_field;

/** Whether 6MM documents a field or we inferred it. */
typedef enum sixmm_source {
    SIXMM_SOURCE_NONE = 0,       /* no such entry or field */
    SIXMM_SOURCE_DOCUMENTED = 1,
    SIXMM_SOURCE_INFERRED = 2
} sixmm_source;

/* ---- Lookups ------------------------------------------------------------ */

/** Look a code up in a domain: exact, then range, then class (thousands
 *  block), else unknown. Stores the match kind in *match when match is not
 *  NULL. Returns NULL only with SIXMM_MATCH_UNKNOWN. */
SIXMM_API const sixmm_entry *sixmm_lookup(sixmm_domain domain, int64_t code,
                                          sixmm_match *match);

/** Parse the decimal text of a code (optional sign, surrounding ASCII
 *  blanks allowed) into *code. Returns 0 on success, -1 on junk, an empty
 *  string or overflow (then *code is untouched). */
SIXMM_API int sixmm_parse_code(const char *text, size_t len, int64_t *code);

/** sixmm_parse_code() then sixmm_lookup(). Text that is not a number gives
 *  NULL and SIXMM_MATCH_UNKNOWN. */
SIXMM_API const sixmm_entry *sixmm_lookup_text(sixmm_domain domain, const char *text,
                                               size_t len, sixmm_match *match);

/** Look a symbolic name up, ignoring ASCII case ("token_expired" finds
 *  TOKEN_EXPIRED; a leading "SIXMM_E_" is accepted). NULL when unknown. */
SIXMM_API const sixmm_entry *sixmm_lookup_name(sixmm_domain domain, const char *name,
                                               size_t len);

/** Look a server message text up, ignoring ASCII case. NULL when unknown. */
SIXMM_API const sixmm_entry *sixmm_lookup_message(sixmm_domain domain, const char *text,
                                                  size_t len);

/** Look an entry up by its description, in English or Chinese, ignoring
 *  ASCII case and every blank (spaces, tabs, line breaks). *count, when not
 *  NULL, is set to the number of entries of the domain with that
 *  description; the entry is returned only when there is exactly one, else
 *  NULL. A linear walk of the catalog, for text a person types. */
SIXMM_API const sixmm_entry *sixmm_lookup_description(sixmm_domain domain, const char *text,
                                                      size_t len, size_t *count);

/** Look a string identifier up (widget domain; exact case). NULL when
 *  unknown. */
SIXMM_API const sixmm_entry *sixmm_lookup_id(sixmm_domain domain, const char *id,
                                             size_t len);

/** A strerror()-style description of a code, in English. Never NULL: an
 *  unknown code gives the domain's "unknown error" text. */
SIXMM_API const char *sixmm_strerror(sixmm_domain domain, int64_t code);

/* ---- Iteration ---------------------------------------------------------- */

/** Number of documented entries (all domains, class fallbacks excluded). */
SIXMM_API size_t sixmm_entry_count(void);

/** The i-th entry in spec order, or NULL when i >= sixmm_entry_count(). */
SIXMM_API const sixmm_entry *sixmm_entry_at(size_t i);

/* ---- Accessors ---------------------------------------------------------- */

/** The entry's domain; SIXMM_DOMAIN_REST (the default domain) for NULL. */
SIXMM_API sixmm_domain sixmm_entry_domain(const sixmm_entry *e);
/** The kind of key; SIXMM_KIND_CODE for NULL. */
SIXMM_API sixmm_kind sixmm_entry_kind(const sixmm_entry *e);
/** First code of the entry (the code itself, a range's first, a block's
 *  first); 0 for messages and identifiers; -1 for NULL, so that a missing
 *  entry never reads as code 0, success. */
SIXMM_API int64_t sixmm_entry_code(const sixmm_entry *e);
/** Last code of a range or block; equals sixmm_entry_code() otherwise
 *  (-1 for NULL). */
SIXMM_API int64_t sixmm_entry_code_last(const sixmm_entry *e);
/** The symbolic name, e.g. "TOKEN_EXPIRED"; "" for NULL. */
SIXMM_API const char *sixmm_entry_name(const sixmm_entry *e);
/** The key as text: "1002", "3100-3112", the message or the identifier;
 *  "" for NULL. */
SIXMM_API const char *sixmm_entry_key(const sixmm_entry *e);
/** What happened; SIXMM_CATEGORY_UNKNOWN for NULL (never SUCCESS). */
SIXMM_API sixmm_category sixmm_entry_category(const sixmm_entry *e);
/** What to do before sending again; SIXMM_RETRY_RECONCILE for NULL: with
 *  no entry the outcome is unknown, so query the state before any resend. */
SIXMM_API sixmm_retry sixmm_entry_retry(const sixmm_entry *e);
/** The documented HTTP status, or 0 when upstream documents none (and for
 *  NULL). */
SIXMM_API int sixmm_entry_http_status(const sixmm_entry *e);
/** The description; "" for NULL. */
SIXMM_API const char *sixmm_entry_description(const sixmm_entry *e, sixmm_lang lang);
/** What to do; "" for NULL. */
SIXMM_API const char *sixmm_entry_remediation(const sixmm_entry *e, sixmm_lang lang);
/** The verbatim "Problem" cell of the upstream troubleshooting row, or "". */
SIXMM_API const char *sixmm_entry_troubleshooting(const sixmm_entry *e, sixmm_lang lang);
/** The doc link (URL with anchor); "" for NULL. */
SIXMM_API const char *sixmm_entry_doc_url(const sixmm_entry *e);
/** The doc link in a language: for SIXMM_LANG_ZH the Chinese twin of the
 *  page, at the same anchor, where upstream has one, else the English link;
 *  "" for NULL. */
SIXMM_API const char *sixmm_entry_doc_url_lang(const sixmm_entry *e, sixmm_lang lang);
/** Documented or inferred, for one field; SIXMM_SOURCE_NONE for NULL or a
 *  field out of range. */
SIXMM_API sixmm_source sixmm_entry_source(const sixmm_entry *e, sixmm_field field);
/** For a documented field the upstream URL (with anchor); for an inferred
 *  one the sentence of reasoning; "" for NULL or a field out of range. */
SIXMM_API const char *sixmm_entry_source_text(const sixmm_entry *e, sixmm_field field);
/** Related entries: for a code, the messages sent with it; for a message,
 *  the codes it goes with. 0 for NULL. */
SIXMM_API size_t sixmm_entry_related_count(const sixmm_entry *e);
/** The i-th related entry; NULL for NULL or i >= the count. */
SIXMM_API const sixmm_entry *sixmm_entry_related(const sixmm_entry *e, size_t i);

/* ---- Classifying a failed call (the retry advisor) ----------------------- */

/** What a client knows after a call. Zero-initialise it, then fill it in.
 *  Fields are only ever appended, at a major version. */
typedef struct sixmm_call {
    sixmm_domain domain;
    int http_status;      /* 0 when the connection failed or timed out */
    int has_code;         /* nonzero when the body carried a business `code` */
    int64_t code;
    const char *message;  /* the body's `message`, or NULL (widget: its error.code) */
    size_t message_len;   /* exact length of message; 0 means no message */
    int idempotent;       /* nonzero for queries; 0 for placing or cancelling
                             an order, a transfer */
    unsigned attempt;     /* 1 for the first attempt, 2 for the first resend */
} sixmm_call;

/** The decision for one failed (or successful) call. */
typedef struct sixmm_advice {
    sixmm_retry action;        /* what to do */
    const sixmm_entry *entry;  /* the catalog entry that decided, or NULL */
    sixmm_match match;         /* how entry was found; STATUS when the HTTP status decided */
    int resend;                /* nonzero: send again, after delay_ms and the action */
    uint32_t delay_ms;         /* suggested wait before that resend */
    const char *reason;        /* short static text for a log line; never NULL */
} sixmm_advice;

/** Classify a call into *out. `random` is any uniformly random 32-bit value
 *  (it drives the backoff jitter, so results are reproducible in tests).
 *  Returns 0, or -1 when call or out is NULL or the domain is invalid (then
 *  *out, when given, says not to resend). Never allocates. */
SIXMM_API int sixmm_classify(const sixmm_call *call, uint32_t random, sixmm_advice *out);

/** Exponential backoff with full jitter: a value in [0, min(cap, base * 2^(attempt-1))]
 *  chosen by `random`. Never overflows, whatever the attempt. */
SIXMM_API uint32_t sixmm_backoff_ms(uint32_t base_ms, uint32_t cap_ms, unsigned attempt,
                                    uint32_t random);

/** The spec's backoff policy for a domain. Returns 0, or -1 for a bad domain. */
SIXMM_API int sixmm_backoff_policy(sixmm_domain domain, uint32_t *base_ms, uint32_t *cap_ms);

/* ---- The retry loop: throttle, budget, reconcile -------------------------
 *
 * What a client does around sixmm_classify() (docs/ADVISOR.md): take a turn
 * from the throttle, send, release the turn's slot, classify, feed the
 * advice to the throttle and the budget, then resend, stop, or reconcile an
 * unknown outcome with sixmm_reconcile(). The throttle and the budget live in
 * storage the caller owns, shared by all threads of a client; they use C11
 * atomics inside, never a lock, and no call allocates. Time is always passed
 * in (monotonic milliseconds for the throttle, server time for reconcile);
 * calls from different threads may pass slightly different times, and a time
 * earlier than one seen before never moves a schedule backwards.
 */

/** A shared request throttle (GCRA: one turn per 1/rate s, bursts of up to
 *  `burst`, at most `concurrency` calls in flight). Opaque: initialise it
 *  with sixmm_throttle_init() or sixmm_throttle_init_custom() before any
 *  thread uses it. It holds no pointers (except one made by
 *  sixmm_throttle_init_ops()), so it may live in memory that several
 *  processes share (sixmm_throttle_open_shared()). */
typedef struct sixmm_throttle { uint64_t opaque[72]; } sixmm_throttle;

/** Up to this many slots, each slot of a throttle is its own word and may be
 *  leased (sixmm_throttle_acquire_lease()). With a larger concurrency the
 *  slots are only counted: a lease is then never reclaimed. */
#define SIXMM_THROTTLE_LEASE_SLOTS 64

/** The ticket of no lease: what sixmm_throttle_acquire_lease() stores when
 *  it took nothing; releasing it changes nothing. */
#define SIXMM_THROTTLE_NO_TICKET UINT32_MAX

/** What sixmm_throttle_acquire() returns when every concurrency slot is
 *  taken; it then took nothing. */
#define SIXMM_THROTTLE_BUSY UINT32_MAX

/** Initialise *t with the request quota the spec documents for the domain.
 *  Returns 0, or -1 when t is NULL or the domain documents no quota. */
SIXMM_API int sixmm_throttle_init(sixmm_throttle *t, sixmm_domain domain);

/** Initialise *t with rate_per_s turns per second, bursts of `burst` turns
 *  and `concurrency` slots. Returns 0, or -1 when t is NULL or a value is 0. */
SIXMM_API int sixmm_throttle_init_custom(sixmm_throttle *t, uint32_t rate_per_s,
                                         uint32_t burst, uint32_t concurrency);

/** Take the caller's turn and one slot. Returns the milliseconds to wait
 *  before sending (0: send now); the turn is the caller's, so it sends after
 *  that wait and does not ask again for the same call. Turns go out in the
 *  order callers ask. Returns SIXMM_THROTTLE_BUSY, taking nothing, when every
 *  slot is in use (or t is NULL or not initialised): ask again after a
 *  release or a short pause. A wait too long for 32 bits is capped at
 *  UINT32_MAX - 1 ms. */
SIXMM_API uint32_t sixmm_throttle_acquire(sixmm_throttle *t, uint64_t now_ms);

/** Free the slot of a call that has ended (whatever its outcome). A release
 *  without a slot taken is ignored. */
SIXMM_API void sixmm_throttle_release(sixmm_throttle *t, uint64_t now_ms);

/** sixmm_throttle_acquire(), with the slot taken as a lease: *ticket (not
 *  NULL) names it, slot and generation. A lease that is not released by
 *  start + the spec's lease length (start = now_ms + the returned wait) is
 *  reclaimed by later acquires, so a holder that died does not keep its
 *  slot. Returns the wait as sixmm_throttle_acquire() does; on
 *  SIXMM_THROTTLE_BUSY, *ticket is SIXMM_THROTTLE_NO_TICKET. */
SIXMM_API uint32_t sixmm_throttle_acquire_lease(sixmm_throttle *t, uint64_t now_ms,
                                                uint32_t *ticket);

/** Free the slot of a leased call that has ended. A ticket whose slot was
 *  already released or reclaimed (and maybe leased again) changes nothing,
 *  and so does SIXMM_THROTTLE_NO_TICKET. */
SIXMM_API void sixmm_throttle_release_lease(sixmm_throttle *t, uint32_t ticket,
                                            uint64_t now_ms);

/** Tell the throttle what a call's advice said: after `backoff` advice with
 *  a delay, every turn handed out from now on starts at now_ms + delay_ms or
 *  later, not only the resend of the call that got it. Other advice, and
 *  NULL, change nothing. */
SIXMM_API void sixmm_throttle_feedback(sixmm_throttle *t, const sixmm_advice *advice,
                                       uint64_t now_ms);

/** What sixmm_throttle_open_shared() returns. */
typedef enum sixmm_shared_status {
    SIXMM_SHARED_OK = 0,
    SIXMM_SHARED_E_ARGUMENT = -1, /* NULL path or out, a domain with no quota, a zero number */
    SIXMM_SHARED_E_SYSTEM = -2,   /* open, flock, ftruncate or mmap failed: errno says why */
    SIXMM_SHARED_E_FOREIGN = -3,  /* the file is not a throttle region */
    SIXMM_SHARED_E_VERSION = -4,  /* a region of another layout version */
    SIXMM_SHARED_E_SIZE = -5,     /* the file's size is not a region's */
    SIXMM_SHARED_E_NUMBERS = -6   /* a region made with other numbers */
} sixmm_shared_status;

/** One throttle for every process of a host: maps the file at `path`
 *  (MAP_SHARED), creating it (mode 0600) with the domain's quota and lease
 *  when it is empty, and stores the throttle in *out. A file that is not a
 *  region, or a region of another layout version, size, or other numbers
 *  (rate, burst, concurrency, lease) is refused and left as it is. Unlike
 *  the other calls, it maps memory and takes a file lock while it sets up.
 *  Pass monotonic milliseconds (CLOCK_MONOTONIC is one clock for all
 *  processes of a host); a region written under an earlier boot is reset.
 *  Returns SIXMM_SHARED_OK, or an error, with *out NULL. */
SIXMM_API int sixmm_throttle_open_shared(const char *path, sixmm_domain domain,
                                         sixmm_throttle **out);

/** sixmm_throttle_open_shared() with the numbers of
 *  sixmm_throttle_init_custom(). */
SIXMM_API int sixmm_throttle_open_shared_custom(const char *path, uint32_t rate_per_s,
                                                uint32_t burst, uint32_t concurrency,
                                                sixmm_throttle **out);

/** Unmap a throttle from sixmm_throttle_open_shared(); the file stays, with
 *  the quota's state, for the other processes. Returns SIXMM_SHARED_OK, or
 *  SIXMM_SHARED_E_ARGUMENT for NULL or a throttle that is not a region's. */
SIXMM_API int sixmm_throttle_close_shared(sixmm_throttle *t);

/** A sentence for a sixmm_shared_status; "" for other values. */
SIXMM_API const char *sixmm_shared_strerror(int status);

/** The quota numbers the spec gives for a domain (spec/errors.yaml, policy:
 *  quota, lease, store). Fields are only ever appended, at a major version. */
typedef struct sixmm_quota_policy {
    uint32_t rate_per_s, burst;
    uint32_t concurrency;       /* UINT32_MAX when the domain documents no limit */
    uint32_t lease_ms;          /* a leased slot's length */
    uint32_t store_timeout_ms;  /* a shared store (Redis) slower than this is away; 0: none given */
    uint32_t store_presence_ms; /* a host silent this long counts as away; 0: none given */
} sixmm_quota_policy;

/** Fill *out with the domain's quota. Returns 0, or -1 when out is NULL or
 *  the domain documents no quota. */
SIXMM_API int sixmm_quota_policy_get(sixmm_domain domain, sixmm_quota_policy *out);

/** Initialise *t with host `index`'s share of a quota split among `hosts`:
 *  one turn per hosts / rate_per_s s, burst / hosts turns of burst and
 *  concurrency / hosts slots (the remainders go to the first hosts), and
 *  the given lease. The shares of all hosts add up to the quota. A host
 *  whose share of the burst or of the slots is 0 gets a throttle that is
 *  always SIXMM_THROTTLE_BUSY. Returns 0, or -1 when t is NULL, a number is
 *  0 or index >= hosts. */
SIXMM_API int sixmm_throttle_init_share(sixmm_throttle *t, uint32_t rate_per_s, uint32_t burst,
                                        uint32_t concurrency, uint32_t lease_ms, uint32_t hosts,
                                        uint32_t index);

/** Another engine behind the throttle's calls (libsixmm-throttle-redis is
 *  one): acquire is sixmm_throttle_acquire_lease()'s contract, release is
 *  sixmm_throttle_release_lease()'s and feedback sixmm_throttle_feedback()'s
 *  (it gets every advice, not only backoff). Each must be thread-safe. */
typedef struct sixmm_quota_ops {
    uint32_t (*acquire)(void *ctx, uint64_t now_ms, uint32_t *ticket);
    void (*release)(void *ctx, uint32_t ticket, uint64_t now_ms);
    void (*feedback)(void *ctx, const sixmm_advice *advice, uint64_t now_ms);
} sixmm_quota_ops;

/** Initialise *t as a process-local throttle that forwards to `ops` with
 *  `ctx`; both must outlive it. Such a throttle hands out leases only:
 *  sixmm_throttle_acquire() answers SIXMM_THROTTLE_BUSY and
 *  sixmm_throttle_release() does nothing. Returns 0, or -1 when t or ops is
 *  NULL or a function of ops is NULL. */
SIXMM_API int sixmm_throttle_init_ops(sixmm_throttle *t, const sixmm_quota_ops *ops, void *ctx);

/** A retry budget shared by all the calls of a client (gRFC A6 retry
 *  throttling): a bucket of tokens that a success refills by the token ratio
 *  and an advised resend empties by one; at or below half full, resends are
 *  refused. With no success at all a client makes at most
 *  ceil(max_tokens / 2) resends (5 with the spec's numbers), however many
 *  calls and threads. Opaque; initialise it before use. */
typedef struct sixmm_budget { uint64_t opaque[4]; } sixmm_budget;

/** Initialise *b, full, with the spec's budget for the domain. Returns 0, or
 *  -1 when b is NULL or the domain is invalid. */
SIXMM_API int sixmm_budget_init(sixmm_budget *b, sixmm_domain domain);

/** Account for one classified call: success (action none) refills the
 *  bucket, an advised resend spends a token. When the bucket is at or below
 *  half, the resend is turned off (resend 0, delay 0, reason "retry budget
 *  exhausted: ...") and the call returns 1; otherwise it returns 0 and leaves
 *  the advice as it was. NULL arguments return 0 and change nothing. */
SIXMM_API int sixmm_budget_apply(sixmm_budget *b, sixmm_advice *advice);

/** A budget's state, in thousandths of a token (the spec's token ratio has
 *  three decimals, so every figure is exact). */
typedef struct sixmm_budget_state {
    uint64_t tokens_milli;    /* the tokens left */
    uint64_t max_milli;       /* the bucket's size: the spec's max_tokens */
    uint64_t refill_milli;    /* what a success adds: the spec's token_ratio */
    int resend;               /* nonzero: an advised resend would be granted now */
} sixmm_budget_state;

/** Read *b's state into *out, for a log line or a health check; other
 *  threads may change it the moment after. Returns 0, or -1 (writing
 *  nothing) when b or out is NULL. */
SIXMM_API int sixmm_budget_read(const sixmm_budget *b, sixmm_budget_state *out);

/* sixmm_found (what the status query by the original clientOrderId said),
 * sixmm_step (the next step of a reconcile) and their names and texts
 * (sixmm_found_name(), sixmm_step_text(), ...) come from the spec's enums:
 * <sixmm/codes.h> and <sixmm/enums.h>. */

/** A clock_error_ms that says "not known": sixmm_reconcile() then assumes the
 *  domain's signature window, the bound that holds when in doubt. The
 *  default of the CLI's --clock-error and of Python's reconcile(). */
#define SIXMM_CLOCK_ERROR_UNKNOWN UINT32_MAX

typedef struct sixmm_reconcile_in {
    sixmm_domain domain;
    sixmm_found found;        /* what the status query by the original clientOrderId said */
    uint64_t signed_at_ms;    /* timestamp the latest send was signed with (server time) */
    uint64_t now_ms;          /* current time, in server time, read when the status
                                 query was sent (not when its answer arrived) */
    uint32_t clock_error_ms;  /* how far the client's clock offset may be wrong: a true
                                 bound, or SIXMM_CLOCK_ERROR_UNKNOWN */
    unsigned attempt;         /* reconcile attempt, 1 for the first status query */
} sixmm_reconcile_in;

typedef struct sixmm_reconcile_out {
    sixmm_step step;
    uint32_t delay_ms;        /* POLL: wait this long, then query again */
    const char *reason;       /* static text, never NULL */
} sixmm_reconcile_out;

/** Decide the step after a status query. "Not found" resends only once the
 *  original can no longer execute: now_ms - clock_error_ms >= signed_at_ms +
 *  the signature window + the query's lag (spec policy); before that it
 *  polls with a delay that reaches that instant. Where the domain documents
 *  no window, "not found" never resends. Pending and failed queries poll with
 *  backoff (`random` drives its jitter) and escalate at the spec's query
 *  limit. Returns 0, or -1 when in or out is NULL or the domain or `found` is
 *  invalid (then *out, when given, says ESCALATE). */
SIXMM_API int sixmm_reconcile(const sixmm_reconcile_in *in, uint32_t random,
                              sixmm_reconcile_out *out);

/* ---- Names of the spec's other enums ------------------------------------
 * sixmm_<enum>_name(), _parse() and, where the spec gives them, _wire(),
 * _parse_wire(), _text(), _source_text() and the group, for the enums of
 * codes.h that the spec's `enums` section lists (intent_kind, todo,
 * outcome, group, status, alert, intent_reason). */
#include <sixmm/enums.h>

/* ---- The server clock ----------------------------------------------------
 *
 * An estimate of the server's clock with a TRUE bound on its error, from
 * GET /v1/time exchanges timed with a monotonic clock (CLOCK_MONOTONIC, never
 * the wall clock, so a step of the system clock changes nothing). The last
 * few samples are kept; a read uses the one with the smallest bound at that
 * moment. The bound of a sample read at monotonic time n is
 *     ceil((rtt + 1) / 2) + 2 + ceil(drift_ppm * (n + 1 - sent) / 10^6)  ms:
 * half the round trip (the server stamped somewhere inside it; +1 for the
 * whole-millisecond readings), 2 ms of rounding (the server's millisecond
 * and the reading of n), and the drift of the two clocks since the sample.
 * Shared by a client's threads: lock-free (a seqlock per sample slot; a
 * sample that finds every slot being written by other threads is dropped).
 */

/** Caller-owned storage of one clock; initialise it with sixmm_clock_init(). */
typedef struct sixmm_clock { uint64_t opaque[16]; } sixmm_clock;

/** Initialise *c with no sample. drift_ppm bounds how fast the monotonic
 *  clock and the server's clock drift apart; 0 selects the spec's bound
 *  (machine.drift). Returns 0, or -1 when c is NULL. Not thread-safe: call
 *  it before the threads share the clock. */
SIXMM_API int sixmm_clock_init(sixmm_clock *c, uint32_t drift_ppm);

/** Add one GET /v1/time exchange: monotonic ms before sending and after the
 *  answer, and the server's data.timestampMs. Replaces the kept sample with
 *  the largest bound, when the new one is smaller there. Returns 0, or -1
 *  when c is NULL or not initialised, or received < sent. */
SIXMM_API int sixmm_clock_sample(sixmm_clock *c, uint64_t mono_sent_ms, int64_t server_ms,
                                 uint64_t mono_received_ms);

/** The server time at monotonic time mono_now_ms, and a true bound on its
 *  error (capped at UINT32_MAX). Returns 0, or -1 (outputs untouched)
 *  before any sample, or when c is NULL or not initialised. Either output
 *  may be NULL. */
SIXMM_API int sixmm_clock_read(const sixmm_clock *c, uint64_t mono_now_ms, int64_t *server_ms,
                               uint32_t *error_ms);

/* ---- The order machine ---------------------------------------------------
 *
 * One intent (an order to place, a cancel, a transfer, a read) runs through
 * sixmm_intent_next(), which says what to do next; the caller does the I/O
 * and reports what happened with the events below. Inside, the machine
 * applies sixmm_classify(), the budget, the throttle, sixmm_reconcile()'s
 * numbers and the clock. Its state is plain data (no pointers) that the
 * caller writes to a journal with sixmm_intent_encode() after
 * sixmm_intent_sending() and before the bytes go out. docs/ADVISOR.md
 * shows the loop.
 *
 * The rules (docs/ADVISOR.md, "The rules"): a place, cancel or transfer is
 * signed a second time only after sixmm_intent_not_sent(), or after a
 * status query sent when every earlier signature could no longer execute
 * (signed + the window + the query lag + the clock error) answered that it
 * had not (not found; for a cancel, the order still open). A refusal alone
 * proves nothing about copies of the request (transports and proxies
 * replay), unless the caller opts in to SIXMM_INTENT_TRUST_SINGLE_DELIVERY.
 * REFUSED and EXPIRED are reported only once nothing executed and nothing
 * can; no SEND is signed after the lifetime; sends and queries are capped
 * (spec machine.sends, machine.queries) and end in ESCALATE.
 *
 * Choices made where the rules leave room, all in docs/ADVISOR.md:
 *  - a success answer ends a place; a cancel and a transfer then query
 *    until the status is final (a cancel is done when the order is closed
 *    or filled; code 0 of a transfer only says it was processed);
 *  - after any other answer to a write, the first status query goes out
 *    at once (after the answer's backoff), and polls follow the reconcile
 *    rules; a cancel that got 3005 thus queries at once;
 *  - a cancel whose order is found closed is ACCEPTED (with that status),
 *    found FILLED or not found is REFUSED;
 *  - a found status may be given after DONE ACCEPTED to record the final
 *    status; it never changes the outcome.
 * Each intent is used by one thread at a time; the clock, the throttle and
 * the budget are shared.
 */

/** Caller-owned storage of one intent: plain data, no pointers. */
typedef struct sixmm_intent { uint64_t opaque[24]; } sixmm_intent;

/** The largest record sixmm_intent_encode() writes, in bytes. */
#define SIXMM_INTENT_RECORD_MAX 256

/** Flag: the transport delivers each request at most once (no connection
 *  reuse for order paths, no proxy that retries, or a check that no replay
 *  happened). Then a refusal proves that nothing executed, and the machine
 *  resends or reports REFUSED at once. Off by default: the docs do not
 *  promise it. */
#define SIXMM_INTENT_TRUST_SINGLE_DELIVERY 1u

/** What sixmm_intent_next() says. */
typedef struct sixmm_next {
    sixmm_todo todo;
    int64_t sign_ms;          /* SEND and QUERY: the timestamp to sign with (server ms) */
    uint32_t wait_ms;         /* WAIT: ask again after this */
    sixmm_outcome outcome;    /* DONE: the result; UNKNOWN otherwise */
    sixmm_intent_reason why;  /* why, as a spec enum value (sixmm_intent_reason_text()) */
    const char *reason;       /* the same in English: static, never NULL */
    int alert;                /* a sixmm_alert: nonzero when this step is one to alert on */
    const char *alert_reason; /* sixmm_alert_text(alert, EN): "" when alert is 0 */
    sixmm_retry cause;        /* the retry class of the latest answer (NONE before any) */
    unsigned sends, queries;  /* sends and status queries so far: the log line's retry count */
} sixmm_next;

/** Start an intent at server time now_server_ms (from sixmm_clock_read()),
 *  with a lifetime after which no new signature is asked for (0: the
 *  spec's machine.lifetime). Returns 0, or -1 when it is NULL or the domain
 *  or kind is invalid. */
SIXMM_API int sixmm_intent_init(sixmm_intent *it, sixmm_domain domain, sixmm_intent_kind kind,
                                int64_t now_server_ms, uint32_t lifetime_ms);

/** Set flags (SIXMM_INTENT_TRUST_SINGLE_DELIVERY, or 0). Returns 0, or -1
 *  for NULL or an unknown flag. */
SIXMM_API int sixmm_intent_set_flags(sixmm_intent *it, unsigned flags);

/** Say what to do next into *out. The clock must be initialised; the
 *  throttle and the budget may be NULL (not used). SEND and QUERY: the
 *  throttle's turn and slot are taken; the next call after the event that
 *  ends the request releases the slot. `random` drives the backoff jitter.
 *  Asking again before the event repeats the same step. Returns 0, or -1
 *  when it, clock or out is NULL or *it is not an intent (then *out, when
 *  given, says ESCALATE with reason invalid). */
SIXMM_API int sixmm_intent_next(sixmm_intent *it, sixmm_clock *clock, sixmm_throttle *throttle,
                                sixmm_budget *budget, uint64_t mono_now_ms, uint32_t random,
                                sixmm_next *out);

/* The events. Each returns 0, or -1 when it does not fit the state (or an
 * argument is invalid); a -1 changes nothing. */

/** After SEND, just before the bytes go out, with the timestamp signed (at
 *  most the lifetime's end). Then write the record, then send. */
SIXMM_API int sixmm_intent_sending(sixmm_intent *it, int64_t signed_at_ms);
/** No byte of the request left the machine (connect or TLS failed), after
 *  sending(); or the SEND was not used at all, before it. */
SIXMM_API int sixmm_intent_not_sent(sixmm_intent *it);
/** The answer to the send (http_status 0: none arrived). Only its status,
 *  code and message are read; the machine sets domain, idempotent and
 *  attempt itself. */
SIXMM_API int sixmm_intent_answer(sixmm_intent *it, const sixmm_call *call,
                                  uint64_t mono_now_ms);
/** After QUERY, just before the status query goes out. */
SIXMM_API int sixmm_intent_querying(sixmm_intent *it, int64_t query_signed_at_ms);
/** What the status query by the original id said, with the status text as
 *  the server sent it ("NEW", "FILLED", "PROCESSING"...; may be empty).
 *  A found status also fits a DONE ACCEPTED intent: it records the status. */
SIXMM_API int sixmm_intent_found(sixmm_intent *it, sixmm_found found, const char *status,
                                 size_t status_len);
/** After the record was read back following a crash: any recorded send may
 *  still be in flight, so it is reconciled, never sent again at once. */
SIXMM_API int sixmm_intent_restart(sixmm_intent *it);

/** The outcome (UNKNOWN until DONE, and after ESCALATE); UNKNOWN for NULL. */
SIXMM_API sixmm_outcome sixmm_intent_outcome(const sixmm_intent *it);
/** The status a query found (or recorded); SIXMM_STATUS_UNKNOWN for NULL or
 *  none. A found REJECTED order is ACCEPTED with status REJECTED. */
SIXMM_API sixmm_status sixmm_intent_status(const sixmm_intent *it);
/** 1 when DONE or escalated (nothing more to do), else 0 (also for NULL). */
SIXMM_API int sixmm_intent_is_done(const sixmm_intent *it);

/** Write the record into buf: versioned, little-endian, with a checksum;
 *  server times only. Returns the bytes written (at most
 *  SIXMM_INTENT_RECORD_MAX), or 0 when len is too small or an argument is
 *  NULL. */
SIXMM_API size_t sixmm_intent_encode(const sixmm_intent *it, unsigned char *buf, size_t len);
/** Read a record. Returns 0, or -1 for a torn, foreign or corrupt record
 *  (then *it is untouched). Call sixmm_intent_restart() after a crash. */
SIXMM_API int sixmm_intent_decode(sixmm_intent *it, const unsigned char *buf, size_t len);

/* ---- Names of enum values ----------------------------------------------- */

/** "rest", "agent", "widget"; "" when out of range. */
SIXMM_API const char *sixmm_domain_name(sixmm_domain domain);
/** Parse a domain name (exact, lower case). Returns 0 and sets *out, or -1. */
SIXMM_API int sixmm_domain_parse(const char *name, size_t len, sixmm_domain *out);
/** "auth", "unknown", ...; "" when out of range. */
SIXMM_API const char *sixmm_category_name(sixmm_category category);
/** "backoff", "reconcile", ...; "" when out of range. */
SIXMM_API const char *sixmm_retry_name(sixmm_retry retry);
/** What a caller does for this retry class, in one or two sentences; ""
 *  when out of range. */
SIXMM_API const char *sixmm_retry_advice(sixmm_retry retry, sixmm_lang lang);
/** How many resends the policy allows for this class; 0 when out of range. */
SIXMM_API int sixmm_retry_max_resends(sixmm_retry retry);
/** "exact", "range", "class", "unknown", "status", "description"; "" when out of
 *  range. */
SIXMM_API const char *sixmm_match_name(sixmm_match match);
/** "code", "range", "message", "id", "class"; "" when out of range. */
SIXMM_API const char *sixmm_kind_name(sixmm_kind kind);

/* ---- Versions ----------------------------------------------------------- */

/** The library version, e.g. "0.2.0". */
SIXMM_API const char *sixmm_version(void);
/** The catalog version from spec/errors.yaml. */
SIXMM_API const char *sixmm_catalog_version(void);
/** The SHA-256 of spec/errors.yaml, in hex, so that a log can say exactly
 *  which catalog classified an error. */
SIXMM_API const char *sixmm_catalog_digest(void);

#ifdef __cplusplus
}
#endif

#endif /* SIXMM_ERRINFO_H */
