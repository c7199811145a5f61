/*
 * The key sets of the benchmark, drawn from the library's own entries with a
 * fixed seed, so that every run measures the same keys. Each set's mix is
 * recorded in `mixes` and printed with the figures.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Random numbers (fixed seed: every run uses the same keys). */

static uint64_t rng_state = 0x6d6d2d6572726e6full;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned rnd_below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench: out of memory\n");
        exit(2);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

struct code_key code_keys[NKEYS];
struct str_key name_keys[NKEYS], message_keys[NKEYS], id_keys[NKEYS];
int errno_keys[NKEYS];
sixmm_call call_keys[NKEYS];

struct mix mixes[8];
size_t nmixes;

static void add_mix(const char *what, const char *text)
{
    mixes[nmixes].what = what;
    snprintf(mixes[nmixes].text, sizeof mixes[nmixes].text, "%s", text);
    nmixes++;
}

/* Entries by kind, from the library's own iteration. */
static const sixmm_entry **codes_of_kind(sixmm_kind kind, sixmm_domain domain, size_t *n)
{
    size_t i, count = sixmm_entry_count(), k = 0;
    const sixmm_entry **out = xmalloc(count * sizeof *out);
    for (i = 0; i < count; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        if (sixmm_entry_kind(e) == kind && sixmm_entry_domain(e) == domain)
            out[k++] = e;
    }
    *n = k;
    return out;
}

struct block blocks[64];
size_t nblocks;

static void find_blocks(void)
{
    unsigned d;
    int64_t b;
    for (d = 0; d < SIXMM_DOMAIN_COUNT; d++)
        for (b = 0; b < 1000; b++) {
            sixmm_match m;
            const sixmm_entry *e = sixmm_lookup((sixmm_domain)d, b * 1000 + 999, &m);
            if (m == SIXMM_MATCH_CLASS && nblocks < sizeof blocks / sizeof blocks[0]) {
                blocks[nblocks].domain = (sixmm_domain)d;
                blocks[nblocks].first = sixmm_entry_code(e);
                blocks[nblocks].last = sixmm_entry_code_last(e);
                blocks[nblocks].entry = e;
                nblocks++;
            }
        }
}

static char *random_case(const char *s, int mode)
{
    char *t = xstrdup(s);
    size_t i;
    for (i = 0; t[i]; i++) {
        char c = t[i];
        int up = mode == 0 ? (int)(rnd() & 1) : mode == 1;
        if (up && c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        else if (!up && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        t[i] = c;
    }
    return t;
}

static void set_str(struct str_key *k, sixmm_domain d, char *s)
{
    k->domain = d;
    k->s = s;
    k->len = strlen(s);
}

void build_keys(void)
{
    size_t i, nrest, nagent, nrange, nmsg, nid;
    const sixmm_entry **rest = codes_of_kind(SIXMM_KIND_CODE, SIXMM_DOMAIN_REST, &nrest);
    const sixmm_entry **agent = codes_of_kind(SIXMM_KIND_CODE, SIXMM_DOMAIN_AGENT, &nagent);
    const sixmm_entry **ranges = codes_of_kind(SIXMM_KIND_RANGE, SIXMM_DOMAIN_REST, &nrange);
    size_t count = sixmm_entry_count();
    /* Realistic unknowns: what a server or a typo produces. */
    static const int64_t unknown_codes[] = {4001, 4040, 6000, 7002, 9999, -1, 100000, 500, 429,
                                            INT64_MAX, INT64_MIN, 42};
    static const char *const unknown_names[] = {"TOKEN_EXPIRES", "ORDER_NOT_FOUNDX", "TIMEOUT",
                                                "sixmm_e_nope", "NOT_A_NAME", "internal"};
    static const char *const unknown_messages[] = {
        "Internal server error", "Too many requests", "Order not found", "Invalid signature",
        "Bad Gateway", "Timestamp outside of tolerance windows", "invalid tokens",
        "Service temporarily unavailable, please retry later"};
    static const char *const unknown_ids[] = {"token_provider_mising", "network_error",
                                              "TOKEN_PROVIDER_MISSING", "auth_failed"};
    const sixmm_entry **all = xmalloc(count * sizeof *all);
    const sixmm_entry **msgs = xmalloc(count * sizeof *msgs);
    const sixmm_entry **ids = xmalloc(count * sizeof *ids);
    size_t nall = 0;

    find_blocks();
    nmsg = nid = 0;
    for (i = 0; i < count; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        all[nall++] = e;
        if (sixmm_entry_kind(e) == SIXMM_KIND_MESSAGE)
            msgs[nmsg++] = e;
        if (sixmm_entry_kind(e) == SIXMM_KIND_ID)
            ids[nid++] = e;
    }

    /* Codes: 70% documented REST codes, 10% range members, 5% Agent API codes
     * (two-level index), 8% class fallbacks, 7% unknown. */
    add_mix("code", "70% exact REST codes, 10% range members (3100-3112), 5% exact Agent "
                    "API codes, 8% class fallbacks (REST and Agent blocks), 7% unknown");
    for (i = 0; i < NKEYS; i++) {
        unsigned r = rnd_below(100);
        struct code_key *k = &code_keys[i];
        k->domain = SIXMM_DOMAIN_REST;
        if (r < 70) {
            k->code = sixmm_entry_code(rest[rnd_below((unsigned)nrest)]);
        } else if (r < 80) {
            const sixmm_entry *e = ranges[rnd_below((unsigned)nrange)];
            k->code = sixmm_entry_code(e) +
                      rnd_below((unsigned)(sixmm_entry_code_last(e) - sixmm_entry_code(e) + 1));
        } else if (r < 85) {
            k->domain = SIXMM_DOMAIN_AGENT;
            k->code = sixmm_entry_code(agent[rnd_below((unsigned)nagent)]);
        } else if (r < 93) {
            const struct block *b = &blocks[rnd_below((unsigned)nblocks)];
            int64_t c;
            do
                c = b->first + rnd_below((unsigned)(b->last - b->first + 1));
            while (sixmm_lookup(b->domain, c, NULL) != b->entry);
            k->domain = b->domain;
            k->code = c;
        } else {
            k->code = unknown_codes[rnd_below(sizeof unknown_codes / sizeof unknown_codes[0])];
        }
    }

    /* Names: 85% documented names (of every entry and block) in mixed case,
     * 5% with the C prefix SIXMM_E_, 10% unknown. */
    add_mix("name", "45% upper case, 15% lower case, 25% random mixed case, 5% with the "
                    "SIXMM_E_ prefix, 10% unknown; all domains");
    {
        const sixmm_entry **named = xmalloc((count + nblocks) * sizeof *named);
        size_t nnamed = 0;
        for (i = 0; i < nall; i++)
            named[nnamed++] = all[i];
        for (i = 0; i < nblocks; i++)
            named[nnamed++] = blocks[i].entry;
        for (i = 0; i < NKEYS; i++) {
            unsigned r = rnd_below(100);
            const sixmm_entry *e = named[rnd_below((unsigned)nnamed)];
            sixmm_domain d = sixmm_entry_domain(e);
            if (r < 45) {
                set_str(&name_keys[i], d, random_case(sixmm_entry_name(e), 1));
            } else if (r < 60) {
                set_str(&name_keys[i], d, random_case(sixmm_entry_name(e), 2));
            } else if (r < 85) {
                set_str(&name_keys[i], d, random_case(sixmm_entry_name(e), 0));
            } else if (r < 90) {
                char buf[128];
                snprintf(buf, sizeof buf, "%s%s", rnd() & 1 ? "SIXMM_E_" : "sixmm_e_",
                         sixmm_entry_name(e));
                set_str(&name_keys[i], d, random_case(buf, (rnd() & 1) ? 1 : 0));
            } else {
                set_str(&name_keys[i], (sixmm_domain)rnd_below(SIXMM_DOMAIN_COUNT),
                        xstrdup(unknown_names[rnd_below(sizeof unknown_names /
                                                        sizeof unknown_names[0])]));
            }
        }
        free(named);
    }

    /* Messages: 80% documented messages (as sent, or in another case), 20%
     * other server messages. */
    add_mix("message", "50% as documented, 30% in another case, 20% other server messages");
    for (i = 0; i < NKEYS; i++) {
        unsigned r = rnd_below(100);
        const sixmm_entry *e = msgs[rnd_below((unsigned)nmsg)];
        if (r < 50)
            set_str(&message_keys[i], sixmm_entry_domain(e), xstrdup(sixmm_entry_key(e)));
        else if (r < 80)
            set_str(&message_keys[i], sixmm_entry_domain(e),
                    random_case(sixmm_entry_key(e), (int)rnd_below(3)));
        else
            set_str(&message_keys[i], SIXMM_DOMAIN_REST,
                    xstrdup(unknown_messages[rnd_below(sizeof unknown_messages /
                                                       sizeof unknown_messages[0])]));
    }

    /* Widget identifiers: 85% documented, 15% unknown (typos, other case). */
    add_mix("id", "85% documented widget identifiers, 15% unknown (typos, wrong case)");
    for (i = 0; i < NKEYS; i++) {
        if (rnd_below(100) < 85) {
            const sixmm_entry *e = ids[rnd_below((unsigned)nid)];
            set_str(&id_keys[i], sixmm_entry_domain(e), xstrdup(sixmm_entry_key(e)));
        } else {
            set_str(&id_keys[i], SIXMM_DOMAIN_WIDGET,
                    xstrdup(unknown_ids[rnd_below(sizeof unknown_ids / sizeof unknown_ids[0])]));
        }
    }

    add_mix("strerror", "errno values 0-133, uniformly, plus 5% out of range");
    for (i = 0; i < NKEYS; i++)
        errno_keys[i] = rnd_below(100) < 95 ? (int)rnd_below(134) : 1000 + (int)rnd_below(50);

    /* What a trading client sees after a call. */
    add_mix("classify", "55% HTTP 200 with a documented code, 10% a documented message "
                        "with its code, 10% class or unknown codes, 15% HTTP-only failures "
                        "(401, 429, 500, 502, 503, 504), 5% timeouts, 5% success; "
                        "half idempotent, attempts 1-4");
    for (i = 0; i < NKEYS; i++) {
        sixmm_call *c = &call_keys[i];
        unsigned r = rnd_below(100);
        static const int http_only[] = {401, 429, 500, 502, 503, 504};
        memset(c, 0, sizeof *c);
        c->domain = code_keys[i].domain;
        c->idempotent = (int)(rnd() & 1);
        c->attempt = 1 + rnd_below(4);
        if (r < 55) {
            c->http_status = 200;
            c->has_code = 1;
            c->code = sixmm_entry_code(rest[rnd_below((unsigned)nrest)]);
            c->domain = SIXMM_DOMAIN_REST;
        } else if (r < 65) {
            const sixmm_entry *e = msgs[rnd_below((unsigned)nmsg)];
            c->domain = sixmm_entry_domain(e);
            c->http_status = 200;
            c->has_code = 1;
            c->code = sixmm_entry_related_count(e)
                          ? sixmm_entry_code(sixmm_entry_related(e, 0)) : 1003;
            c->message = sixmm_entry_key(e);
            c->message_len = strlen(c->message);
        } else if (r < 75) {
            c->http_status = 200;
            c->has_code = 1;
            c->code = code_keys[rnd_below(NKEYS)].code;
            if (rnd_below(2))
                c->code = blocks[0].first + 500 + rnd_below(400);
        } else if (r < 90) {
            c->http_status = http_only[rnd_below(sizeof http_only / sizeof http_only[0])];
        } else if (r < 95) {
            c->http_status = 0;
        } else {
            c->http_status = 200;
            c->has_code = 1;
            c->code = 0;
        }
    }
    free(rest);
    free(agent);
    free(ranges);
    free(all);
    free(msgs);
    free(ids);
}
