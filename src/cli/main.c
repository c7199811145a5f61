/*
 * 6mm-errinfo: explain 6MM error codes, names, messages and responses.
 *
 * This file only parses the command line, with the option table that is
 * generated from codegen/cli.yaml (as are --help, the man page and the bash
 * completion), opens the inputs and dispatches to sixmm_cli_core.
 *
 * Exit status: 0 when every query was answered from the catalog (exact or
 * range), 1 when one fell back to class or unknown, 2 for usage or input
 * errors.
 */
#define _POSIX_C_SOURCE 200809L

#include "annotate.h"
#include "opts.h"
#include "list.h"
#include "query.h"
#include "reconcile.h"
#include "response.h"
#include "stream.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"

#ifndef SIXMM_CLI_VERSION
#  error "SIXMM_CLI_VERSION must be defined by the build"
#endif

static const char *prog = "6mm-errinfo";

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try --help)\n");
    return 2;
}

static int find_long(const char *name, size_t len)
{
    int i;
    for (i = 0; i < CLI_OPT_COUNT; i++)
        if (strlen(cli_options[i].long_name) == len &&
            memcmp(cli_options[i].long_name, name, len) == 0)
            return i;
    return -1;
}

static int find_short(char c)
{
    int i;
    for (i = 0; i < CLI_OPT_COUNT; i++)
        if (cli_options[i].short_name == c)
            return i;
    return -1;
}

/* Parse a decimal integer in [lo, hi]; 0 on success. */
static int parse_int(const char *s, long lo, long hi, long *out)
{
    int64_t v;
    if (sixmm_parse_code(s, strlen(s), &v) != 0 || v < lo || v > hi)
        return -1;
    *out = (long)v;
    return 0;
}

static const char *category_name(int i)
{
    return sixmm_category_name((sixmm_category)i);
}

static const char *retry_name(int i)
{
    return sixmm_retry_name((sixmm_retry)i);
}

static const char *found_name(int i)
{
    return sixmm_found_name((sixmm_found)i);
}

/* "a, b, c": the n names that name(i) gives. */
static void names(char *buf, size_t size, int n, const char *(*name)(int))
{
    size_t used = 0;
    int i;
    buf[0] = '\0';
    for (i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", name(i));
}

struct cmdline {
    struct errinfo_opts o;
    int seen[CLI_OPT_COUNT];
    char **pos;             /* positional arguments */
    size_t npos;
};

/* --category and --retry: a name of the spec's list. */
static int apply_filter(struct errinfo_opts *o, int id, const char *val)
{
    char known[512];
    int i;

    if (id == CLI_OPT_CATEGORY) {
        for (i = 0; i < SIXMM_CATEGORY_COUNT; i++)
            if (strcmp(val, sixmm_category_name((sixmm_category)i)) == 0)
                break;
        if (i == SIXMM_CATEGORY_COUNT) {
            names(known, sizeof known, SIXMM_CATEGORY_COUNT, category_name);
            return usage_error("unknown category '%s'; known: %s", val, known);
        }
        o->category = i;
        return 0;
    }
    for (i = 0; i < SIXMM_RETRY_COUNT; i++)
        if (strcmp(val, sixmm_retry_name((sixmm_retry)i)) == 0)
            break;
    if (i == SIXMM_RETRY_COUNT) {
        names(known, sizeof known, SIXMM_RETRY_COUNT, retry_name);
        return usage_error("unknown retry class '%s'; known: %s", val, known);
    }
    o->retry = i;
    return 0;
}

/* The options of --reconcile. */
static int apply_reconcile(struct errinfo_opts *o, int id, const char *val)
{
    long v;
    int64_t ms;

    switch (id) {
    case CLI_OPT_FOUND: {
        sixmm_found f;
        if (sixmm_found_parse(val, strlen(val), &f) != 0) {
            char known[128];
            names(known, sizeof known, SIXMM_FOUND_COUNT, found_name);
            return usage_error("unknown --found '%s'; known: %s", val, known);
        }
        o->found = (int)f;
        return 0;
    }
    case CLI_OPT_CLOCK_ERROR:
        if (parse_int(val, 0, 86400000L, &v) != 0)
            return usage_error("--clock-error takes milliseconds from 0 to 86400000, not '%s'",
                               val);
        o->clock_error_ms = (uint32_t)v;
        return 0;
    default:   /* --signed-at, --now */
        if (sixmm_parse_code(val, strlen(val), &ms) != 0 || ms < 0)
            return usage_error("--%s takes a time in milliseconds from 0 to %lld, not '%s'",
                               cli_options[id].long_name, (long long)INT64_MAX, val);
        if (id == CLI_OPT_NOW)
            o->now_ms = (uint64_t)ms, o->now_set = 1;
        else
            o->signed_at_ms = (uint64_t)ms, o->signed_at_set = 1;
        return 0;
    }
}

static int apply(struct cmdline *c, int id, const char *val)
{
    struct errinfo_opts *o = &c->o;
    long v;

    c->seen[id] = 1;
    switch (id) {
    case CLI_OPT_DOMAIN: {
        char why[128];
        if (errinfo_parse_domain(val, strlen(val), &o->domain, why, sizeof why) != 0)
            return usage_error("%s", why);
        o->domain_set = 1;
        break;
    }
    case CLI_OPT_CATEGORY:
    case CLI_OPT_RETRY:
        return apply_filter(o, id, val);
    case CLI_OPT_HTTP:
        if (parse_int(val, 0, 599, &v) != 0 || (v > 0 && v < 100))
            return usage_error("--http takes 0 (a timeout) or a status from 100 to 599, "
                               "not '%s'", val);
        o->http_status = (int)v;
        break;
    case CLI_OPT_ATTEMPT:
        if (parse_int(val, 1, 1000000, &v) != 0)
            return usage_error("--attempt takes a number from 1 to 1000000, not '%s'", val);
        o->attempt = (unsigned)v;
        break;
    case CLI_OPT_LANG:
        if (strcmp(val, "en") == 0)
            o->lang = SIXMM_LANG_EN;
        else if (strcmp(val, "zh") == 0)
            o->lang = SIXMM_LANG_ZH;
        else
            return usage_error("--lang takes en or zh, not '%s'", val);
        break;
    case CLI_OPT_IDEMPOTENT:
        o->idempotent = 1;
        break;
    case CLI_OPT_NOT_IDEMPOTENT:
        o->idempotent = 0;
        break;
    case CLI_OPT_JSON:
        o->json = 1;
        break;
    case CLI_OPT_FULL:
        o->full = 1;
        break;
    case CLI_OPT_FOUND:
    case CLI_OPT_SIGNED_AT:
    case CLI_OPT_NOW:
    case CLI_OPT_CLOCK_ERROR:
        return apply_reconcile(o, id, val);
    case CLI_OPT_SEED: {
        int64_t seed;
        if (sixmm_parse_code(val, strlen(val), &seed) != 0 || seed < 0)
            return usage_error("--seed takes a number from 0 to %lld, not '%s'",
                               (long long)INT64_MAX, val);
        o->seed = (uint64_t)seed;
        o->seed_set = 1;
        break;
    }
    default:   /* modes and --help/--version: only seen[] matters */
        break;
    }
    return 0;
}

static int parse(struct cmdline *c, int argc, char **argv)
{
    int i, only_positional = 0;

    for (i = 1; i < argc; i++) {
        char *a = argv[i];
        int id, rc;

        if (only_positional || a[0] != '-' || a[1] == '\0' || (a[1] >= '0' && a[1] <= '9')) {
            /* "-" and negative codes are arguments, not options. */
            c->pos[c->npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_positional = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            const char *val = NULL;
            id = find_long(name, eq ? (size_t)(eq - name) : strlen(name));
            if (id < 0)
                return usage_error("unknown option '%s'", a);
            if (cli_options[id].arg) {
                if (eq)
                    val = eq + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else
                    return usage_error("option '--%s' needs an argument %s",
                                       cli_options[id].long_name, cli_options[id].arg);
            } else if (eq) {
                return usage_error("option '--%s' takes no argument",
                                   cli_options[id].long_name);
            }
            if ((rc = apply(c, id, val)) != 0)
                return rc;
            continue;
        }
        /* A cluster of short options: -jl, -dagent, -d agent. */
        for (a++; *a; a++) {
            char opt[3] = {'-', *a, '\0'};
            const char *val = NULL;
            id = find_short(*a);
            if (id < 0)
                return usage_error("unknown option '%s'", opt);
            if (cli_options[id].arg) {
                if (a[1])
                    val = a + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else
                    return usage_error("option '%s' needs an argument %s", opt,
                                       cli_options[id].arg);
            }
            if ((rc = apply(c, id, val)) != 0)
                return rc;
            if (val)
                break;
        }
    }
    return 0;
}

static const char *opt_name(int id)
{
    return cli_options[id].long_name;
}

/* Options that only make sense in some modes are refused elsewhere, so a
 * typo such as "6mm-errinfo --retry backoff 5002" is not silently ignored. */
static int check_applies(const struct cmdline *c, int mode)
{
    /* Each option, and the modes it goes with (the first is named in the
     * error; a list is padded by repeating its last mode). */
    static const struct { int opt; int modes[3]; } rules[] = {
        {CLI_OPT_CATEGORY, {CLI_OPT_LIST, CLI_OPT_SEARCH, CLI_OPT_SEARCH}},
        {CLI_OPT_RETRY, {CLI_OPT_LIST, CLI_OPT_SEARCH, CLI_OPT_SEARCH}},
        {CLI_OPT_HTTP, {CLI_OPT_LIST, CLI_OPT_RESPONSE, CLI_OPT_ANNOTATE}},
        {CLI_OPT_IDEMPOTENT, {CLI_OPT_RESPONSE, CLI_OPT_ANNOTATE, CLI_OPT_ANNOTATE}},
        {CLI_OPT_NOT_IDEMPOTENT, {CLI_OPT_RESPONSE, CLI_OPT_ANNOTATE, CLI_OPT_ANNOTATE}},
        {CLI_OPT_ATTEMPT, {CLI_OPT_RESPONSE, CLI_OPT_ANNOTATE, CLI_OPT_RECONCILE}},
        {CLI_OPT_SEED, {CLI_OPT_RESPONSE, CLI_OPT_ANNOTATE, CLI_OPT_RECONCILE}},
        {CLI_OPT_FULL, {CLI_OPT_RESPONSE, CLI_OPT_ANNOTATE, CLI_OPT_ANNOTATE}},
        {CLI_OPT_FOUND, {CLI_OPT_RECONCILE, CLI_OPT_RECONCILE, CLI_OPT_RECONCILE}},
        {CLI_OPT_SIGNED_AT, {CLI_OPT_RECONCILE, CLI_OPT_RECONCILE, CLI_OPT_RECONCILE}},
        {CLI_OPT_NOW, {CLI_OPT_RECONCILE, CLI_OPT_RECONCILE, CLI_OPT_RECONCILE}},
        {CLI_OPT_CLOCK_ERROR, {CLI_OPT_RECONCILE, CLI_OPT_RECONCILE, CLI_OPT_RECONCILE}},
    };
    size_t r;
    for (r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        const int *m = rules[r].modes;
        if (c->seen[rules[r].opt] && mode != m[0] && mode != m[1] && mode != m[2])
            return usage_error("--%s does not apply here; it goes with --%s", opt_name(rules[r].opt),
                               opt_name(m[0]));
    }
    return 0;
}

static int finish(int status)
{
    /* errno is meaningful only when this fflush fails; an earlier failed
     * write leaves just the stream's error flag. */
    int err = fflush(stdout) != 0 ? errno : 0;
    if (err || ferror(stdout)) {
        if (err)
            fprintf(stderr, "%s: write error on standard output: %s\n", prog, strerror(err));
        else
            fprintf(stderr, "%s: write error on standard output\n", prog);
        return 2;
    }
    return status;
}

/* --response or --annotate over the files in order (none: standard input),
 * as one run. Returns the worst status. */
static int run_stream(const struct errinfo_opts *o, int mode, char *const *pos, size_t npos)
{
    static char outbuf[1 << 16];
    static char dash[] = "-";
    static char *const stdin_only[] = {dash};
    char *const *files = npos ? pos : stdin_only;
    size_t nfiles = npos ? npos : 1, i;
    struct errinfo_stream st;
    int status = 0, rc;

    /* Streams are written in large blocks; the readers flush before they
     * wait for more input, so a pipe still sees output promptly. */
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    errinfo_stream_init(&st, stdout, o);
    for (i = 0; i < nfiles; i++) {
        const int is_stdin = strcmp(files[i], "-") == 0;
        FILE *in = is_stdin ? stdin : fopen(files[i], "rb");
        if (!in) {
            fflush(stdout);
            fprintf(stderr, "%s: cannot open '%s': %s\n", prog, files[i], strerror(errno));
            status = 2;
            continue;
        }
        st.name = nfiles > 1 ? (is_stdin ? "(standard input)" : files[i]) : NULL;
        rc = mode == CLI_OPT_RESPONSE ? errinfo_read_responses(&st, in) : errinfo_annotate(&st, in);
        if (!is_stdin)
            fclose(in);
        if (rc > status)
            status = rc;
    }
    return status;
}

int main(int argc, char **argv)
{
    static const int modes[] = {CLI_OPT_LIST, CLI_OPT_SEARCH, CLI_OPT_RESPONSE, CLI_OPT_ANNOTATE,
                                CLI_OPT_RECONCILE};
    /* Static, so the positional list stays reachable until exit. */
    static struct cmdline c;
    size_t k;
    int rc, mode = CLI_OPT_COUNT;   /* CLI_OPT_COUNT: queries */

    memset(&c, 0, sizeof c);
    errinfo_opts_init(&c.o);
    /* argv itself holds the strings; only the list of positionals is new. */
    if (!(c.pos = malloc(sizeof *c.pos * (size_t)(argc > 0 ? argc : 1)))) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 2;
    }
    if ((rc = parse(&c, argc, argv)) != 0)
        return rc;
    if (c.seen[CLI_OPT_HELP]) {
        const char *const *h;
        for (h = cli_help; *h; h++)
            fputs(*h, stdout);
        return finish(0);
    }
    if (c.seen[CLI_OPT_VERSION])
        return finish(errinfo_version(stdout, &c.o, SIXMM_CLI_VERSION));
    for (k = 0; k < sizeof modes / sizeof modes[0]; k++) {
        if (!c.seen[modes[k]])
            continue;
        if (mode != CLI_OPT_COUNT)
            return usage_error("--%s and --%s cannot be combined", opt_name(mode),
                               opt_name(modes[k]));
        mode = modes[k];
    }
    if ((rc = check_applies(&c, mode)) != 0)
        return rc;
    /* Text follows the locale's character set: outside UTF-8 it is ASCII,
     * and Chinese text gives way to English. JSON is UTF-8 by definition. */
    setlocale(LC_CTYPE, "");
    c.o.ascii = strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
    if (c.o.ascii && !c.o.json && c.o.lang == SIXMM_LANG_ZH) {
        fprintf(stderr, "%s: the locale's character set is %s, not UTF-8: the text is in "
                        "English (use a UTF-8 locale, or --json)\n", prog, nl_langinfo(CODESET));
        c.o.lang = SIXMM_LANG_EN;
    }

    switch (mode) {
    case CLI_OPT_LIST:
        if (c.npos)
            return usage_error("--list takes no arguments, but got '%s'", c.pos[0]);
        return finish(errinfo_list(stdout, &c.o));
    case CLI_OPT_SEARCH:
        return finish(errinfo_search(stdout, &c.o, c.pos, c.npos));
    case CLI_OPT_RECONCILE:
        if (c.npos)
            return usage_error("--reconcile takes no arguments, but got '%s'", c.pos[0]);
        if (c.o.found < 0 || !c.o.signed_at_set || !c.o.now_set)
            return usage_error("--reconcile needs --found, --signed-at and --now");
        return finish(errinfo_reconcile(stdout, &c.o));
    case CLI_OPT_RESPONSE:
    case CLI_OPT_ANNOTATE:
        return finish(run_stream(&c.o, mode, c.pos, c.npos));
    default:
        if (!c.npos) {
            fprintf(stderr, "usage: %s [OPTION]... [DOMAIN:]QUERY...\n"
                            "%s: nothing to look up (try --help)\n", prog, prog);
            return 2;
        }
        return finish(errinfo_query(stdout, &c.o, c.pos, c.npos));
    }
}
