/*
 * The layout of the generated tables (build/generated/src/catalog.c,
 * advice_rules.c and the gperf lookups), shared by the generated code and
 * the hand-written files of src/lib/. Internal: nothing here is exported,
 * and none of it is part of the ABI.
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
    uint16_t max_resends;    /* retry classes */
    uint32_t base_ms, cap_ms; /* domains: backoff policy */
};

struct sixmm__block {
    int32_t first, last;
    uint16_t entry;
    uint8_t domain;
};

/* What gperf's %pic %struct-type tables hold: an offset into gperf's own
 * string pool, then for each domain the entry that the text names there
 * (its index + 1), or 0. One text can name entries in several domains. */
struct sixmm__slot {
    int name;
    uint16_t entry[SIXMM_DOMAIN_COUNT];
};

/* One rule of the retry advisor (advice_rules.c, generated from the spec's
 * retry classes and situations): the decision for one situation and one
 * idempotence, all but the resend limit and the wait itself. */
struct sixmm__rule {
    uint8_t action;     /* sixmm_retry */
    uint8_t resend;     /* a resend is advised (while attempt <= max_resends) */
    uint8_t wait_first; /* the first resend already waits; else from the second */
    uint16_t reason;    /* offset into sixmm__reasons */
};

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
/* The Chinese doc links: offsets into sixmm__doc_zh_data, 0 for none. */
struct sixmm__doc_zh_layout;
extern const struct sixmm__doc_zh_layout sixmm__doc_zh_data;
extern const uint16_t sixmm__doc_zh[SIXMM__ENTRY_TOTAL];
extern const struct sixmm__block sixmm__blocks[SIXMM__BLOCK_COUNT + 1];

/* The gperf lookups (names.c, messages.c, idents.c, each its own
 * translation unit): the slot whose whole key equals str[0..len), or NULL. */
const struct sixmm__slot *sixmm__name_slot(const char *str, size_t len);
const struct sixmm__slot *sixmm__message_slot(const char *str, size_t len);
const struct sixmm__slot *sixmm__id_slot(const char *str, size_t len);

#if defined(__GNUC__) && __GNUC__ >= 4
#  pragma GCC visibility pop
#endif

#endif
