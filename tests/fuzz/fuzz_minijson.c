/* libFuzzer target for the strict JSON reader (src/minijson.c) that the
 * shim uses for package.json. The whole token tree is walked with the
 * public API, and its invariants checked:
 *   - token 0 is the top value and its end is the token count;
 *   - every container's children lie inside it, and stepping mj_next
 *     mj_count times from mj_first lands exactly on the container's end;
 *   - every token's text lies inside the input;
 *   - mj_str_copy's return value is the decoded length, whatever the
 *     buffer size, and it never writes past n.
 * The input is copied into an exact-size buffer so ASan sees over-reads. */
#include "minijson.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const mj_doc *d)
{
    for (uint32_t i = 0; i < d->ntok; i++) {
        const mj_token *t = &d->tok[i];
        if (t->end <= i || t->end > d->ntok)
            abort();
        if ((size_t)t->start + t->len > d->len)
            abort();
        mj_type_t ty = mj_type(d, i);
        if (ty == MJ_INVALID)
            abort();
        if (ty == MJ_ARRAY || ty == MJ_OBJECT) {
            uint32_t n = mj_count(d, i), c = mj_first(d, i);
            for (uint32_t k = 0; k < n; k++) {
                if (c == MJ_NONE || c <= i || c >= t->end)
                    abort();
                if (ty == MJ_OBJECT) {
                    if (mj_type(d, c) != MJ_STRING)
                        abort(); /* keys are strings */
                    char key[64];
                    mj_str_copy(d, c, key, sizeof key);
                    /* mj_get finds some member with that key (the last
                     * one) unless the key holds an escaped NUL or was cut. */
                    size_t kl = mj_str_copy(d, c, NULL, 0);
                    if (kl < sizeof key && strlen(key) == kl && mj_get(d, i, key) == MJ_NONE)
                        abort();
                    c = c + 1; /* the value */
                }
                c = mj_next(d, c);
            }
            if (n > 0 && c != t->end && !(c == MJ_NONE && t->end == d->ntok))
                abort();
        } else if (ty == MJ_STRING) {
            size_t full = mj_str_copy(d, i, NULL, 0);
            char *buf = malloc(full + 1);
            if (!buf)
                continue;
            if (mj_str_copy(d, i, buf, full + 1) != full || buf[full] != '\0')
                abort();
            char small[4];
            memset(small, 0x7f, sizeof small);
            if (mj_str_copy(d, i, small, 3) != full || small[3] != 0x7f)
                abort(); /* n bounds the write */
            if (full >= 3 ? strlen(small) > 2 : 0)
                abort();
            (void)mj_str_eq(d, i, buf);
            free(buf);
        }
    }
    if (d->ntok && d->tok[0].end != d->ntok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    mj_doc d;
    mj_error e;
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    memset(&d, 0, sizeof d);
    if (mj_parse(&d, buf, size, &e) == 0) {
        walk(&d);
        (void)mj_get(&d, mj_get(&d, 0, "engines"), "node");
    } else if (d.ntok != 0 || !memchr(e.what, '\0', sizeof e.what) || e.offset > size || e.line < 1 ||
               e.column < 1) {
        abort();
    }
    mj_free(&d);
    free(buf);
    return 0;
}
