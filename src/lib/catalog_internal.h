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
 * string pool and the entry index. */
struct sixmm__slot {
    int name;
    unsigned short entry;
};

extern const char *const sixmm__pool;
extern const char sixmm__catalog_version[];
extern const char sixmm__catalog_digest[];
extern const struct sixmm__named sixmm__domains[SIXMM_DOMAIN_COUNT];
extern const struct sixmm__named sixmm__categories[SIXMM_CATEGORY_COUNT];
extern const struct sixmm__named sixmm__retries[SIXMM_RETRY_COUNT];
extern const struct sixmm_entry sixmm__entries[SIXMM__ENTRY_TOTAL];
extern const uint16_t sixmm__related[];
extern const struct sixmm__block sixmm__blocks[SIXMM__BLOCK_COUNT + 1];

/* Entry index + 1 for a documented code or range member, else 0. */
unsigned sixmm__code_slot(unsigned domain, int64_t code);

const struct sixmm__slot *sixmm__name_slot(const char *str, size_t len);
const struct sixmm__slot *sixmm__message_slot(const char *str, size_t len);
const struct sixmm__slot *sixmm__id_slot(const char *str, size_t len);

#endif
