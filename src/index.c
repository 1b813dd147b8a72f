#include "index.h"
#include "fsutil.h"
#include "strutil.h"

#include "minijson.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* An LTS codename as Node.js names them (Argon ... Jod, Krypton): a letter,
 * then letters, digits, '-', '_' or '.', at most 31 characters. */
static int valid_codename(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 31 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return 0;
    }
    return 1;
}

/* Strict UTF-8 (what jansson required of the index before). */
int index_utf8_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t k;
        uint32_t v, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            k = 2, v = c & 0x1f, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 3, v = c & 0x0f, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 4, v = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (n - i < k)
            return 0;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return 0;
            v = (v << 6) | (s[i + j] & 0x3f);
        }
        if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
            return 0;
        i += k;
    }
    return 1;
}

typedef struct {
    const mj_doc *doc;
    release_index *ix;
    size_t pool_used;
    char *err;
    size_t errlen;
} parse_state;

/* Copy string token t into the arena. Returns it, or NULL with err set. */
static char *take_string(parse_state *ps, uint32_t t, size_t entry, const char *key)
{
    release_index *ix = ps->ix;
    char *dst = ix->arena + ix->arena_len;
    size_t raw = ps->doc->tok[t].len;
    size_t n = mj_str_copy(ps->doc, t, dst, raw + 1);
    if (strlen(dst) != n || !index_utf8_ok((const unsigned char *)dst, n)) {
        str_fmt(ps->err, ps->errlen, "entry %zu has a \"%s\" with a NUL or invalid UTF-8", entry + 1, key);
        return NULL;
    }
    ix->arena_len += n + 1;
    return dst;
}

static const char *const STRING_KEYS[] = {"version", "date", "npm", "v8", "uv", "zlib", "openssl", "modules", "lts",
                                          NULL};

static char **string_field(index_entry *e, int k)
{
    char **f[] = {&e->version, &e->date, &e->npm, &e->v8, &e->uv, &e->zlib, &e->openssl, &e->modules, &e->lts};
    return f[k];
}

static int parse_files(parse_state *ps, uint32_t arr, index_entry *e, size_t i)
{
    const mj_doc *d = ps->doc;
    e->files = ps->ix->pool + ps->pool_used;
    uint32_t t = mj_first(d, arr);
    for (uint32_t k = 0; k < mj_count(d, arr); k++, t = mj_next(d, t)) {
        if (mj_type(d, t) != MJ_STRING)
            continue; /* as before: only the names are kept */
        char *f = take_string(ps, t, i, "files");
        if (!f)
            return -1;
        e->files[e->nfiles++] = f;
    }
    ps->pool_used += e->nfiles + 1; /* and the NULL after them */
    return 0;
}

static int parse_entry(parse_state *ps, uint32_t obj, index_entry *e, size_t i)
{
    const mj_doc *d = ps->doc;
    unsigned seen = 0;
    uint32_t key = mj_first(d, obj);
    for (uint32_t m = 0; m < mj_count(d, obj); m++, key = mj_next(d, key + 1)) {
        uint32_t val = key + 1;
        int k = 0;
        while (STRING_KEYS[k] && !mj_str_eq(d, key, STRING_KEYS[k]))
            k++;
        int which = STRING_KEYS[k] ? k : mj_str_eq(d, key, "files") ? 9 : mj_str_eq(d, key, "security") ? 10 : -1;
        if (which < 0)
            continue;
        if (seen & (1u << which)) {
            /* jansson refused duplicate keys; an index that says two
             * things of one release is not what it claims. */
            str_fmt(ps->err, ps->errlen, "invalid JSON: entry %zu has the key \"%s\" twice", i + 1,
                    which < 9 ? STRING_KEYS[which] : which == 9 ? "files" : "security");
            return -1;
        }
        seen |= 1u << which;
        if (which == 10) {
            e->security = mj_type(d, val) == MJ_TRUE;
        } else if (which == 9) {
            if (mj_type(d, val) == MJ_ARRAY && parse_files(ps, val, e, i))
                return -1;
        } else if (mj_type(d, val) == MJ_STRING) {
            /* Other types mean "missing" (lts: false is "not LTS"). */
            if (!(*string_field(e, which) = take_string(ps, val, i, STRING_KEYS[which])))
                return -1;
        }
    }
    return 0;
}

/* How many file names and how many bytes of strings at most: the arena
 * and the pool are allocated once, at their final size. */
static void count_files(const mj_doc *d, uint32_t root, size_t *names)
{
    *names = 0;
    uint32_t obj = mj_first(d, root);
    for (uint32_t i = 0; i < mj_count(d, root); i++, obj = mj_next(d, obj)) {
        /* Every "files" member, not only the last: a repeated key is
         * refused only after the first one was taken. */
        uint32_t key = mj_first(d, obj);
        for (uint32_t m = 0; m < mj_count(d, obj); m++, key = mj_next(d, key + 1))
            if (mj_str_eq(d, key, "files") && mj_type(d, key + 1) == MJ_ARRAY)
                *names += mj_count(d, key + 1) + 1;
    }
}

int index_finish(release_index *ix, char *err, size_t errlen)
{
    for (size_t i = 0; i < ix->n; i++) {
        index_entry *e = &ix->entries[i];
        if (!e->version || semver_parse(e->version, &e->v)) {
            str_fmt(err, errlen, "entry %zu has no valid \"version\"", i + 1);
            return -1;
        }
        if (e->lts && !valid_codename(e->lts)) {
            /* It becomes a line of the lts file and a word users type after
             * "lts/": a space, a newline or 200 bytes there is a broken index. */
            str_fmt(err, errlen, "entry %zu (%s) has an invalid \"lts\" codename", i + 1, e->version);
            return -1;
        }
        if (vlist_add(&ix->list, &e->v, e->lts, i)) {
            str_fmt(err, errlen, "out of memory");
            return -1;
        }
    }
    vlist_sort_desc(&ix->list);
    if (lts_from_vlist(&ix->list, &ix->lts)) {
        str_fmt(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

static int fill(const mj_doc *d, release_index *out, char *err, size_t errlen)
{
    uint32_t root = 0;
    if (mj_type(d, root) != MJ_ARRAY) {
        str_fmt(err, errlen, "expected a list of releases");
        return -1;
    }
    size_t n = mj_count(d, root), names;
    count_files(d, root, &names);
    out->entries = calloc(n ? n : 1, sizeof *out->entries);
    out->pool = calloc(names ? names : 1, sizeof *out->pool);
    out->arena = malloc(d->len + 1); /* decoded strings never outgrow their JSON text */
    out->owned[0] = out->arena;
    out->owned[1] = out->pool;
    if (!out->entries || !out->pool || !out->arena) {
        str_fmt(err, errlen, "out of memory");
        return -1;
    }
    parse_state ps = {d, out, 0, err, errlen};
    uint32_t obj = mj_first(d, root);
    for (size_t i = 0; i < n; i++, obj = mj_next(d, obj)) {
        if (mj_type(d, obj) != MJ_OBJECT) {
            str_fmt(err, errlen, "entry %zu is not an object", i + 1);
            return -1;
        }
        out->n++;
        if (parse_entry(&ps, obj, &out->entries[i], i))
            return -1;
    }
    out->pool_len = ps.pool_used;
    return 0;
}

int index_parse(const char *json, size_t len, release_index *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (errlen)
        err[0] = '\0'; /* the out-of-memory fallback below tests it */
    /* minijson keeps one small token per value and no tree of objects:
     * jansson needed 2.1 GB for a 63 MiB index. */
    mj_doc d;
    mj_error je;
    if (mj_parse(&d, json, len, &je)) {
        str_fmt(err, errlen, "invalid JSON at line %lu, column %lu: %s", je.line, je.column, je.what);
        mj_free(&d);
        return -1;
    }
    int rc = fill(&d, out, err, errlen);
    mj_free(&d); /* the tokens go before the list is built */
    if (rc == 0)
        rc = index_finish(out, err, errlen);
    if (rc) {
        if (!err[0])
            str_fmt(err, errlen, "out of memory");
        index_free(out);
    }
    return rc;
}

void index_free(release_index *ix)
{
    free(ix->entries);
    free(ix->owned[0]);
    free(ix->owned[1]);
    vlist_free(&ix->list);
    lts_free(&ix->lts);
    memset(ix, 0, sizeof *ix);
}

int index_has_platform(const index_entry *e, const char *platform)
{
    char want[80];
    /* The index names macOS tarballs "osx-<arch>-tar". */
    if (str_starts(platform, "darwin-") ? str_fmt(want, sizeof want, "osx-%s-tar", platform + 7)
                                        : str_copy(want, sizeof want, platform))
        return 0; /* too long to be a platform: it matches no file, rather than a cut one */
    for (size_t i = 0; i < e->nfiles; i++)
        if (strcmp(e->files[i], want) == 0)
            return 1;
    return 0;
}


int index_parse_file(const char *path, release_index *out)
{
    size_t len;
    char err[256];
    char *text = fs_read_file(path, INDEX_MAX, &len);
    if (!text)
        return -1;
    int r = index_parse(text, len, out, err, sizeof err);
    free(text);
    return r;
}
