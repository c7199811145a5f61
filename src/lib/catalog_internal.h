/*
 * The layout of the generated tables (build/generated/src/catalog.c), shared
 * by the generated code and the hand-written lookups. Internal: nothing here
 * is exported, and none of it is part of the ABI.
 */
#ifndef SIXMM_CATALOG_INTERNAL_H
#define SIXMM_CATALOG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <sixmm/errinfo.h>

#include "catalog_sizes.h"

/* Every text is an offset into sixmm__pool, never a pointer, so the tables
 * need no relocations when the shared library is loaded. */
struct sixmm_entry {
    int32_t first, last;
    uint32_t name, key;
    uint32_t description[2];  /* by sixmm_lang */
    uint32_t remediation[2];
    uint32_t troubleshooting[2];
    uint32_t doc;
    uint32_t source[3];       /* by sixmm_field: URL or reasoning */
    uint16_t related_first;
    uint8_t related_count;
    uint16_t http;
    uint8_t domain, kind, category, retry;
    uint8_t documented;       /* bit (1 << sixmm_field) set when documented */
};

/* A domain, category or retry class: a name and two texts (a domain's are
 * its title and URL), plus the numbers that belong to it. */
struct sixmm__named {
    uint32_t name;
    uint32_t text[2];         /* en, zh; a domain's are its title and URL */
    uint16_t max_attempts;    /* retry classes */
    uint32_t base_ms, cap_ms; /* domains: backoff policy */
};

struct sixmm__block {
    int32_t first, last;
    uint16_t entry;
    uint8_t domain;
};

/* What gperf's %pic %struct-type tables hold: an offset into gperf's own
 * string pool, the entry index and the row of the padded key table. */
struct sixmm__slot {
    int name;
    unsigned short entry;
    unsigned short key;
};

/* A row of a padded key table: the folded key, zero-padded to whole 8-byte
 * words, so that it is compared a word at a time with no tail handling. */
typedef union { char text[8 * SIXMM__NAME_WORDS]; uint64_t w[SIXMM__NAME_WORDS]; } sixmm__name_key;
typedef union { char text[8 * SIXMM__MESSAGE_WORDS]; uint64_t w[SIXMM__MESSAGE_WORDS]; }
    sixmm__message_key;
typedef union { char text[8 * SIXMM__ID_WORDS]; uint64_t w[SIXMM__ID_WORDS]; } sixmm__id_key;

/* Internal symbols are hidden in their declarations too, so that the
 * compiler addresses them relative to the code, never through the GOT (a
 * GOT slot would need a load-time relocation). */
#if defined(__GNUC__) && __GNUC__ >= 4
#  pragma GCC visibility push(hidden)
#endif

/* The string pool: a struct of char arrays (see catalog.c), used only
 * through its address, so reading a text costs no pointer load and the
 * shared library carries no relocation for it. */
struct sixmm__pool_layout;
extern const struct sixmm__pool_layout sixmm__pool_data;
#define sixmm__pool ((const char *)&sixmm__pool_data)
extern const char sixmm__catalog_version[];
extern const char sixmm__catalog_digest[];
extern const struct sixmm__named sixmm__domains[SIXMM_DOMAIN_COUNT];
extern const struct sixmm__named sixmm__categories[SIXMM_CATEGORY_COUNT];
extern const struct sixmm__named sixmm__retries[SIXMM_RETRY_COUNT];
extern const struct sixmm_entry sixmm__entries[SIXMM__ENTRY_TOTAL];
extern const uint16_t sixmm__related[];
extern const struct sixmm__block sixmm__blocks[SIXMM__BLOCK_COUNT + 1];
extern const sixmm__name_key sixmm__name_keys[];
extern const sixmm__message_key sixmm__message_keys[];
extern const sixmm__id_key sixmm__id_keys[];

/* For sixmm_classify() (advice.c), defined in errinfo.c: the same answer as
 * sixmm_lookup_message(), then, in the widget domain, sixmm_lookup_id(), but
 * hidden, so that the shared library calls it directly rather than through
 * the PLT. */
const sixmm_entry *sixmm__lookup_message_or_id(sixmm_domain domain, const char *text,
                                               size_t len);

/* The gperf lookups (names.c, messages.c, idents.c). The library compiles
 * them inside errinfo.c, which declares them static itself (so that they
 * inline into the public lookups) and defines SIXMM__GPERF_INCLUDED; these
 * declarations serve a gperf output compiled on its own (the hardening
 * round-trip tests build each generated file). */
#ifndef SIXMM__GPERF_INCLUDED
const struct sixmm__slot *sixmm__name_slot(const char *str, size_t len);
const struct sixmm__slot *sixmm__message_slot(const char *str, size_t len);
const struct sixmm__slot *sixmm__id_slot(const char *str, size_t len);
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#  pragma GCC visibility pop
#endif

/* The code index, sixmm__code_slot(), is generated into code_index.h; its
 * tables are defined in catalog.c. */
#include "code_index.h"

/* A code in no index: the class block that holds it, if any. */
static inline const sixmm_entry *sixmm__class_fallback(sixmm_domain domain, int64_t code)
{
    const struct sixmm__block *b;
    for (b = sixmm__blocks; b->domain != 255; b++)
        if (b->domain == (unsigned)domain && code >= b->first && code <= b->last)
            return &sixmm__entries[b->entry];
    return NULL;
}

/* The body of sixmm_lookup(), inlined into it and into sixmm_classify(). */
static inline const sixmm_entry *sixmm__lookup_code(sixmm_domain domain, int64_t code,
                                                    sixmm_match *match)
{
    /* One slot gives both the match kind and the entry. */
    unsigned slot = sixmm__code_slot((unsigned)domain, code);
    unsigned index = slot & SIXMM__SLOT_INDEX_MASK;
    sixmm_match m = (sixmm_match)(slot >> SIXMM__SLOT_SHIFT);
    const sixmm_entry *e = NULL;

    if (__builtin_expect(index != 0, 1)) {
        e = &sixmm__entries[index - 1];
    } else if ((unsigned)domain >= 64u || !((SIXMM__BLOCKS_INDEXED >> (unsigned)domain) & 1u)) {
        /* A miss in a domain whose blocks do not all fit in its index: the
         * code may still lie in a block. (Elsewhere a miss is unknown.) */
        e = sixmm__class_fallback(domain, code);
        m = e ? SIXMM_MATCH_CLASS : SIXMM_MATCH_UNKNOWN;
    }
    if (match)
        *match = m;
    return e;
}

#endif
