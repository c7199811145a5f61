/*
 * 6mm-errinfo: look 6MM error codes, names and messages up.
 *
 * Exit status: 0 when every query was answered from the catalog (exact or
 * range), 1 when one fell back to class or unknown, 2 for usage errors.
 */
#include <sixmm/errinfo.h>

#include <stdio.h>
#include <string.h>

static void print_card(const sixmm_entry *e, sixmm_match m, const char *query)
{
    static const char *const fields[] = {"description", "retry", "remediation"};
    size_t i, n;

    if (!e) {
        printf("%s: unknown 6MM error (match: unknown)\n", query);
        printf("  No catalog entry and no known block. Treat the outcome as unknown.\n");
        return;
    }
    printf("%s  %s  [%s]\n", sixmm_entry_key(e), sixmm_entry_name(e),
           sixmm_domain_name(sixmm_entry_domain(e)));
    printf("  match:        %s\n", sixmm_match_name(m));
    printf("  description:  %s\n", sixmm_entry_description(e, SIXMM_LANG_EN));
    printf("  category:     %s\n", sixmm_category_name(sixmm_entry_category(e)));
    printf("  retry:        %s: %s\n", sixmm_retry_name(sixmm_entry_retry(e)),
           sixmm_retry_advice(sixmm_entry_retry(e), SIXMM_LANG_EN));
    if (sixmm_entry_http_status(e))
        printf("  http:         %d\n", sixmm_entry_http_status(e));
    printf("  remediation:  %s\n", sixmm_entry_remediation(e, SIXMM_LANG_EN));
    n = sixmm_entry_related_count(e);
    for (i = 0; i < n; i++)
        printf("  %s  %s\n", sixmm_entry_kind(e) == SIXMM_KIND_MESSAGE ? "code:        " : "message:     ",
               sixmm_entry_key(sixmm_entry_related(e, i)));
    printf("  doc:          %s\n", sixmm_entry_doc_url(e));
    for (i = 0; i < 3; i++)
        printf("  %-13s %s: %s\n", i == 0 ? "provenance:" : "", fields[i],
               sixmm_entry_source(e, (sixmm_field)i) == SIXMM_SOURCE_DOCUMENTED
                   ? "documented" : "inferred");
}

/* Resolve one query. Returns the exit status it contributes (0, 1 or 2). */
static int query(const char *arg)
{
    sixmm_domain d = SIXMM_DOMAIN_REST;
    const char *key = arg, *colon = strchr(arg, ':');
    const sixmm_entry *e;
    sixmm_match m = SIXMM_MATCH_EXACT;
    int64_t code;
    size_t len;

    if (colon && sixmm_domain_parse(arg, (size_t)(colon - arg), &d) == 0)
        key = colon + 1;
    len = strlen(key);
    if (len == 0) {
        fprintf(stderr, "6mm-errinfo: empty query\n");
        return 2;
    }
    if (sixmm_parse_code(key, len, &code) == 0) {
        e = sixmm_lookup(d, code, &m);
    } else if (strspn(key, "+-0123456789 ") == len) {
        fprintf(stderr, "6mm-errinfo: '%s' is not a code this tool can represent\n", key);
        return 2;
    } else if (!(e = sixmm_lookup_name(d, key, len)) &&
               !(e = sixmm_lookup_message(d, key, len)) &&
               !(e = sixmm_lookup_id(d, key, len))) {
        m = SIXMM_MATCH_UNKNOWN;
    }
    print_card(e, m, arg);
    return m == SIXMM_MATCH_EXACT || m == SIXMM_MATCH_RANGE ? 0 : 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: 6mm-errinfo [DOMAIN:]QUERY...\n"
            "QUERY is a code (3107), a name (TOKEN_EXPIRED, any case), a server message\n"
            "(\"Timestamp outside of tolerance window\") or a widget identifier.\n"
            "DOMAIN is rest (default), agent or widget, e.g. agent:6905.\n"
            "Exit status: 0 found, 1 fell back to class or unknown, 2 usage error.\n");
}

int main(int argc, char **argv)
{
    int i, status = 0;

    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("6mm-errinfo %s (catalog %s, sha256 %s)\n", SIXMM_CLI_VERSION,
                   sixmm_catalog_version(), sixmm_catalog_digest());
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0' && (argv[i][1] < '0' || argv[i][1] > '9')) {
            fprintf(stderr, "6mm-errinfo: unknown option '%s' (try --help)\n", argv[i]);
            return 2;
        }
    }
    for (i = 1; i < argc; i++) {
        int s = query(argv[i]);
        if (s == 2)
            return 2;
        if (s > status)
            status = s;
        if (i + 1 < argc)
            putchar('\n');
    }
    return status;
}
