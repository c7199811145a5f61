/*
 * annotate.c: --annotate. Lines are copied through by the line reader in
 * large writes; only a line with a hit costs a record.
 */
#include "annotate.h"
#include "linereader.h"
#include "logline.h"
#include "record.h"
#include "utf8.h"

#include <string.h>

static const char *where(const struct errinfo_stream *s)
{
    return s->name ? s->name : "annotate";
}

/* With a name, the line reader does not copy: each line gets its prefix. */
static void copy_named(struct errinfo_stream *s, const struct errinfo_lr *r)
{
    fputs(s->name, s->out);
    fputc(':', s->out);
    fwrite(r->data, 1, r->len, s->out);
}

/* One line on stderr for a line that is not text; it is copied all the
 * same. */
static void report_bad_byte(const struct errinfo_stream *s, const struct errinfo_lr *r,
                            size_t bad)
{
    if (r->data[bad] == '\0')
        fprintf(s->o->err, "6mm-errinfo: %s: line %lu, byte %zu: NUL byte: this is binary data, "
                           "not text; copied without annotation\n", where(s), r->lineno, bad + 1);
    else
        fprintf(s->o->err, "6mm-errinfo: %s: line %lu, byte %zu: invalid UTF-8 (byte 0x%02x); "
                           "copied without annotation\n", where(s), r->lineno, bad + 1,
                (unsigned)(unsigned char)r->data[bad]);
}

int errinfo_annotate(struct errinfo_stream *s, FILE *in)
{
    const struct errinfo_opts *o = s->o;
    const int copy_through = !o->json && !s->name;
    struct errinfo_lr *r = errinfo_lr_open(in, errinfo_stream_before_read, s,
                                           copy_through ? s->out : NULL);
    unsigned long bad_lines = 0;
    int status = 0;

    if (!r) {
        fprintf(o->err, "6mm-errinfo: out of memory\n");
        return 2;
    }
    for (;;) {
        int k = errinfo_lr_next(r);
        size_t bad;
        struct errinfo_hit hit;
        struct errinfo_record rec;
        struct errinfo_obuf *ob = &s->ob;

        if (k == ERRINFO_LR_EOF)
            break;
        if (k == ERRINFO_LR_IOERR) {
            fprintf(o->err, "6mm-errinfo: %s: read error after line %lu: %s\n", where(s),
                    r->lineno, strerror(r->err));
            status = 2;
            break;
        }
        if (k == ERRINFO_LR_LONG) {
            if (!o->json && s->name)
                copy_named(s, r);
            if (errinfo_lr_skip_rest(r, !o->json && s->name ? s->out : NULL) != 0) {
                fprintf(o->err, "6mm-errinfo: %s: read error in line %lu: %s\n", where(s),
                        r->lineno, strerror(r->err));
                status = 2;
                break;
            }
            fprintf(o->err, "6mm-errinfo: %s: line %lu is longer than %zu bytes "
                            "(1 MiB); copied without annotation\n",
                    where(s), r->lineno, ERRINFO_MAX_LINE);
            bad_lines++;
            status = 2;
            continue;
        }
        if (!o->json && s->name) {
            copy_named(s, r);
            if (r->had_newline)
                fputc('\n', s->out);
        }
        if ((bad = errinfo_utf8_valid(r->data, r->len)) != r->len) {
            report_bad_byte(s, r, bad);
            bad_lines++;
            status = 2;
            continue;
        }
        if (!errinfo_find_body(r->data, r->len, &hit))
            continue;
        memset(&rec, 0, sizeof rec);
        rec.mode = "annotate";
        rec.line = r->lineno;
        rec.has_code = 1;
        rec.code = hit.code;
        rec.message = hit.message;
        rec.message_len = hit.message_len;
        rec.request_id = hit.request_id;
        rec.request_id_len = hit.request_id_len;
        errinfo_record_classify(&rec, s);
        if (o->json) {
            /* Nothing else is written: records wait in the buffer. */
            if (errinfo_record_json(ob, &rec, s) != 0) {
                fprintf(o->err, "6mm-errinfo: %s: line %lu: out of memory\n", where(s),
                        r->lineno);
                status = 2;
                break;
            }
        } else {
            /* The lines before it are copied first, so the note follows its
             * line; the note is handed over before the next copy. */
            errinfo_lr_copy_flush(r);
            if (!r->had_newline)
                ERRINFO_OB_LIT(ob, "\n");   /* the last line had none */
            errinfo_record_note(ob, &rec, s);
            errinfo_obuf_flush(ob);
        }
        s->records++;
    }
    errinfo_lr_copy_flush(r);
    errinfo_lr_close(r);
    errinfo_stream_flush(s);
    if (bad_lines)
        fprintf(o->err, "6mm-errinfo: %s: %lu bad line%s copied without annotation\n",
                where(s), bad_lines, bad_lines == 1 ? "" : "s");
    return status;
}
