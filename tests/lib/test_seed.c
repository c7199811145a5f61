/*
 * Every row of the upstream pages (copied into spec/upstream/ with their
 * URLs) must be in the catalog, in the same order and with the same text.
 */
#include <sixmm/errinfo.h>

#include "run_suite.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 64
#define MAX_CELL 512

struct row {
    char cell[3][MAX_CELL];
    int ncells;
};

struct table {
    struct row rows[MAX_ROWS];
    int nrows;
};

static void trim(char *s)
{
    size_t n = strlen(s), i = 0;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    while (s[i] == ' ')
        i++;
    memmove(s, s + i, n - i + 1);
}

/* Read the Markdown table that follows the heading whose line contains
 * `marker` (an h2 id, or any text for a page with one table). */
static void read_table(const char *file, const char *marker, struct table *t)
{
    char path[1024], line[2048];
    FILE *f;
    int in_section = 0, seen_separator = 0;

    snprintf(path, sizeof path, "%s/spec/upstream/%s", SIXMM_SOURCE_DIR, file);
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    t->nrows = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, marker)) {
            in_section = 1;
            continue;
        }
        if (!in_section)
            continue;
        if (line[0] != '|') {
            if (seen_separator)
                break;
            continue;
        }
        if (strstr(line, "| ---") || strstr(line, "|---")) {
            seen_separator = 1;
            continue;
        }
        if (!seen_separator)
            continue; /* the header row */
        {
            struct row *r = &t->rows[t->nrows++];
            char *p = line + 1, *bar;
            ck_assert_int_le(t->nrows, MAX_ROWS);
            r->ncells = 0;
            while ((bar = strchr(p, '|')) != NULL && r->ncells < 3) {
                size_t n = (size_t)(bar - p);
                ck_assert_uint_lt(n, MAX_CELL);
                memcpy(r->cell[r->ncells], p, n);
                r->cell[r->ncells][n] = '\0';
                trim(r->cell[r->ncells]);
                r->ncells++;
                p = bar + 1;
            }
        }
    }
    fclose(f);
    ck_assert_msg(t->nrows > 0, "no table after '%s' in %s", marker, file);
}

/* "`1001`" -> 1001 and 1001; "`3100` - `3112`" -> 3100 and 3112. */
static void parse_code_cell(const char *cell, long *first, long *last)
{
    ck_assert_msg(sscanf(cell, "`%ld` - `%ld`", first, last) == 2 ||
                      (sscanf(cell, "`%ld`", first) == 1 && (*last = *first, 1)),
                  "not a code cell: %s", cell);
}

static size_t entries_of(sixmm_domain d, int want_codes, int want_trouble, sixmm_lang lang,
                         const sixmm_entry **out)
{
    size_t i, n = 0;
    for (i = 0; i < sixmm_entry_count(); i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        sixmm_kind k = sixmm_entry_kind(e);
        if (sixmm_entry_domain(e) != d)
            continue;
        if (want_codes && k != SIXMM_KIND_CODE && k != SIXMM_KIND_RANGE)
            continue;
        if (want_trouble && !sixmm_entry_troubleshooting(e, lang)[0])
            continue;
        out[n++] = e;
    }
    return n;
}

static void check_common_codes(const char *file, sixmm_lang lang)
{
    static struct table t;
    const sixmm_entry *ours[MAX_ROWS];
    size_t n;
    int i;

    read_table(file, "id=\"common-error-codes\"", &t);
    n = entries_of(SIXMM_DOMAIN_REST, 1, 0, lang, ours);
    ck_assert_int_eq((int)n, t.nrows);
    for (i = 0; i < t.nrows; i++) {
        long first, last;
        sixmm_match m;
        parse_code_cell(t.rows[i].cell[0], &first, &last);
        ck_assert_ptr_eq(sixmm_lookup(SIXMM_DOMAIN_REST, first, &m), ours[i]);
        ck_assert_int_eq(m, first == last ? SIXMM_MATCH_EXACT : SIXMM_MATCH_RANGE);
        ck_assert_int_eq(sixmm_entry_code_last(ours[i]), last);
        ck_assert_str_eq(sixmm_entry_description(ours[i], lang), t.rows[i].cell[1]);
        ck_assert_int_eq(sixmm_entry_source(ours[i], SIXMM_FIELD_DESCRIPTION),
                         SIXMM_SOURCE_DOCUMENTED);
    }
}

static void check_troubleshooting(const char *file, sixmm_lang lang)
{
    static struct table t;
    const sixmm_entry *ours[MAX_ROWS];
    size_t n;
    int i;

    read_table(file, "id=\"troubleshooting\"", &t);
    n = entries_of(SIXMM_DOMAIN_REST, 0, 1, lang, ours);
    ck_assert_int_eq((int)n, t.nrows);
    for (i = 0; i < t.nrows; i++) {
        long code;
        ck_assert_str_eq(sixmm_entry_troubleshooting(ours[i], lang), t.rows[i].cell[0]);
        ck_assert_str_eq(sixmm_entry_remediation(ours[i], lang), t.rows[i].cell[1]);
        ck_assert_int_eq(sixmm_entry_source(ours[i], SIXMM_FIELD_REMEDIATION),
                         SIXMM_SOURCE_DOCUMENTED);
        /* A row that starts with a code belongs to that code's entry; the
         * others are keyed by a message. */
        if (sscanf(t.rows[i].cell[0], "`%ld`", &code) == 1)
            ck_assert_ptr_eq(sixmm_lookup(SIXMM_DOMAIN_REST, code, NULL), ours[i]);
        else
            ck_assert_int_eq(sixmm_entry_kind(ours[i]), SIXMM_KIND_MESSAGE);
    }
}

START_TEST(english_code_rows_match_in_order_and_text)
{
    check_common_codes("error-codes-and-troubleshooting.en.md", SIXMM_LANG_EN);
}
END_TEST

START_TEST(english_troubleshooting_rows_match_in_order_and_text)
{
    check_troubleshooting("error-codes-and-troubleshooting.en.md", SIXMM_LANG_EN);
}
END_TEST

START_TEST(chinese_code_rows_match_in_order_and_text)
{
    check_common_codes("error-codes-and-troubleshooting.zh.mdx", SIXMM_LANG_ZH);
}
END_TEST

START_TEST(chinese_troubleshooting_rows_match_in_order_and_text)
{
    check_troubleshooting("error-codes-and-troubleshooting.zh.mdx", SIXMM_LANG_ZH);
}
END_TEST

START_TEST(agent_rows_match_in_order_and_text)
{
    static struct table t;
    const sixmm_entry *ours[MAX_ROWS];
    size_t n;
    int i;

    read_table("agent-api-errors.md", "Errors and recovery", &t);
    n = entries_of(SIXMM_DOMAIN_AGENT, 1, 0, SIXMM_LANG_EN, ours);
    ck_assert_int_eq((int)n, t.nrows);
    for (i = 0; i < t.nrows; i++) {
        long first, last;
        parse_code_cell(t.rows[i].cell[0], &first, &last);
        ck_assert_ptr_eq(sixmm_lookup(SIXMM_DOMAIN_AGENT, first, NULL), ours[i]);
        ck_assert_str_eq(sixmm_entry_description(ours[i], SIXMM_LANG_EN), t.rows[i].cell[1]);
        ck_assert_str_eq(sixmm_entry_remediation(ours[i], SIXMM_LANG_EN), t.rows[i].cell[2]);
    }
}
END_TEST

START_TEST(documented_auth_and_rate_limit_statuses)
{
    static const long auth[] = {1001, 1002, 1003, 1004, 1006};
    size_t i;
    for (i = 0; i < sizeof auth / sizeof auth[0]; i++)
        ck_assert_int_eq(sixmm_entry_http_status(sixmm_lookup(SIXMM_DOMAIN_REST, auth[i], NULL)), 401);
    ck_assert_int_eq(sixmm_entry_http_status(sixmm_lookup(SIXMM_DOMAIN_REST, 5003, NULL)), 429);
    ck_assert_int_eq(sixmm_entry_http_status(sixmm_lookup(SIXMM_DOMAIN_REST, 5001, NULL)), 0);
}
END_TEST

static Suite *seed_suite(void)
{
    Suite *s = suite_create("seed");
    TCase *en = tcase_create("english");
    TCase *zh = tcase_create("chinese");
    TCase *agent = tcase_create("agent");

    tcase_add_test(en, english_code_rows_match_in_order_and_text);
    tcase_add_test(en, english_troubleshooting_rows_match_in_order_and_text);
    tcase_add_test(en, documented_auth_and_rate_limit_statuses);
    suite_add_tcase(s, en);
    tcase_add_test(zh, chinese_code_rows_match_in_order_and_text);
    tcase_add_test(zh, chinese_troubleshooting_rows_match_in_order_and_text);
    suite_add_tcase(s, zh);
    tcase_add_test(agent, agent_rows_match_in_order_and_text);
    suite_add_tcase(s, agent);
    return s;
}

int main(void)
{
    return run_suite(seed_suite());
}
