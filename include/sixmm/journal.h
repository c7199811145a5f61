/*
 * sixmm/journal.h: libsixmm-journal, a durable store of intent records by
 * client order id, over SQLite. Optional: built when SQLite is found.
 *
 * Contract, for every function declared here:
 *  - A journal is one SQLite file in WAL mode with synchronous=FULL. A put
 *    returns only once its record is durable: the write-ahead log has been
 *    synced. Write the record after sixmm_intent_sending() and before the
 *    request goes out; a crash then loses nothing that was sent.
 *  - Every call returns 0 on success and -1 on an error; the error's text is
 *    then in sixmm_journal_errmsg(). A corrupt, foreign, locked or
 *    unwritable journal is such an error, never a crash, and a record that
 *    does not decode is reported, never skipped.
 *  - A handle is used by one thread at a time. Threads and processes that
 *    share a journal each open their own handle on the same file; SQLite
 *    serialises their writes, and a writer waits for another up to the busy
 *    timeout.
 *  - Unlike libsixmm-errinfo, these calls allocate (SQLite does) and do I/O.
 *  - Text returned by the library is owned by the handle, valid until its
 *    next call, and never NULL.
 *
 * How to store the same records in a database of your own: docs/JOURNAL.md.
 */
#ifndef SIXMM_JOURNAL_H
#define SIXMM_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include <sixmm/errinfo.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An open journal. Opaque. */
typedef struct sixmm_journal sixmm_journal;

/** How long a call waits for another writer by default, in ms. */
#define SIXMM_JOURNAL_BUSY_TIMEOUT_MS 5000

/** The longest client order id a journal stores, in bytes. */
#define SIXMM_JOURNAL_ID_MAX 255

/** A get found no record under that id. */
#define SIXMM_JOURNAL_NOT_FOUND 1

/** Opens (or creates) the journal at path, checks its integrity and that it
 *  is a journal, with the default busy timeout. Returns 0, or -1 with the
 *  reason in sixmm_journal_errmsg(*out). *out is set in both cases (NULL only
 *  when memory ran out) and must be given to sixmm_journal_close(). */
SIXMM_API int sixmm_journal_open(const char *path, sixmm_journal **out);

/** sixmm_journal_open() with a busy timeout of busy_timeout_ms: how long
 *  every call of this handle waits for a lock another connection holds. */
SIXMM_API int sixmm_journal_open_timeout(const char *path, uint32_t busy_timeout_ms,
                                         sixmm_journal **out);

/** Closes the journal and frees the handle. NULL is ignored. */
SIXMM_API void sixmm_journal_close(sixmm_journal *j);

/** The last error of this handle, as one line naming the file; "" when the
 *  last call succeeded. For NULL: "out of memory". */
SIXMM_API const char *sixmm_journal_errmsg(const sixmm_journal *j);

/** Stores the record of it under client_order_id (1 to SIXMM_JOURNAL_ID_MAX
 *  bytes), replacing an earlier one. Returns 0 only once the record is
 *  durable; -1 when it is not stored (then the old record, if any, stays). */
SIXMM_API int sixmm_journal_put(sixmm_journal *j, const char *client_order_id,
                                const sixmm_intent *it);

/** Reads the record stored under client_order_id into *it. Returns 0,
 *  SIXMM_JOURNAL_NOT_FOUND when there is none, or -1 (a record that does not
 *  decode is an error; *it is then untouched). */
SIXMM_API int sixmm_journal_get(sixmm_journal *j, const char *client_order_id,
                                sixmm_intent *it);

/** Calls each(ctx, id, it) for every record whose intent is not done
 *  (sixmm_intent_is_done() false), in order of id. each may put records
 *  (each put is durable before it returns); a nonzero return stops the walk.
 *  Returns the number of records passed to each, or -1 (a record that does
 *  not decode stops the walk with an error naming its id). */
SIXMM_API int sixmm_journal_pending(sixmm_journal *j,
                                    int (*each)(void *ctx, const char *id,
                                                const sixmm_intent *it),
                                    void *ctx);

#ifdef __cplusplus
}
#endif

#endif
