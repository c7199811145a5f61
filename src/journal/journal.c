/* journal.c: the public calls of libsixmm-journal. They put intents on the
 * storage layer as the machine's records (sixmm_intent_encode), with the
 * done flag from sixmm_intent_is_done(), and decode every record they read,
 * so a torn or foreign record is an error, never an intent. */
#include <sixmm/journal.h>

#include <stdlib.h>

#include "store.h"

/* The public limits are the storage layer's. */
typedef char id_max_is_the_store_s[SIXMM_JOURNAL_ID_MAX == STORE_ID_MAX ? 1 : -1];
typedef char not_found_is_the_store_s[SIXMM_JOURNAL_NOT_FOUND == STORE_NOT_FOUND ? 1 : -1];
typedef char a_record_fits[SIXMM_INTENT_RECORD_MAX <= STORE_RECORD_MAX ? 1 : -1];

int sixmm_journal_open_timeout(const char *path, uint32_t busy_timeout_ms, sixmm_journal **out)
{
    if (!out)
        return -1;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return -1;
    return sixmm__store_open(*out, path, busy_timeout_ms);
}

int sixmm_journal_open(const char *path, sixmm_journal **out)
{
    return sixmm_journal_open_timeout(path, SIXMM_JOURNAL_BUSY_TIMEOUT_MS, out);
}

void sixmm_journal_close(sixmm_journal *j)
{
    if (!j)
        return;
    sixmm__store_close(j);
    free(j);
}

const char *sixmm_journal_errmsg(const sixmm_journal *j)
{
    return j ? j->err : "out of memory";
}

/* A handle whose open failed has no statements: every call is refused. */
static int usable(sixmm_journal *j)
{
    if (j->db && j->put)
        return 1;
    if (!j->err[0])
        sixmm__store_fail(j, "not open");
    return 0;
}

int sixmm_journal_put(sixmm_journal *j, const char *client_order_id, const sixmm_intent *it)
{
    unsigned char record[SIXMM_INTENT_RECORD_MAX];
    if (!j || !usable(j))
        return -1;
    size_t n = it ? sixmm_intent_encode(it, record, sizeof record) : 0;
    if (n == 0)
        return sixmm__store_fail(j, "%s: not an intent (it does not encode)",
                                 client_order_id ? client_order_id : "(null)");
    return sixmm__store_put(j, client_order_id, record, n, sixmm_intent_is_done(it));
}

static int decode(sixmm_journal *j, const store_row *row, sixmm_intent *it)
{
    if (sixmm_intent_decode(it, row->record, row->len) != 0)
        return sixmm__store_fail(j, "%s: the stored record is torn or foreign (%zu bytes that "
                                 "do not decode); it is left as it is", row->id, row->len);
    return 0;
}

int sixmm_journal_get(sixmm_journal *j, const char *client_order_id, sixmm_intent *it)
{
    store_row row;
    sixmm_intent read;
    if (!j || !usable(j))
        return -1;
    if (!it)
        return sixmm__store_fail(j, "no intent to read into");
    int rc = sixmm__store_get(j, client_order_id, &row);
    if (rc != 0)
        return rc;
    if (decode(j, &row, &read) != 0)
        return -1;
    *it = read;
    return 0;
}

struct walk {
    sixmm_journal *j;
    int (*each)(void *ctx, const char *id, const sixmm_intent *it);
    void *ctx;
};

static int each_row(void *ctx, const store_row *row)
{
    struct walk *w = ctx;
    sixmm_intent it;
    if (decode(w->j, row, &it) != 0)
        return -1;
    return w->each(w->ctx, row->id, &it) != 0;
}

int sixmm_journal_pending(sixmm_journal *j,
                          int (*each)(void *ctx, const char *id, const sixmm_intent *it),
                          void *ctx)
{
    if (!j || !usable(j))
        return -1;
    if (!each)
        return sixmm__store_fail(j, "no callback for the pending records");
    struct walk w = {j, each, ctx};
    return sixmm__store_pending(j, each_row, &w);
}
