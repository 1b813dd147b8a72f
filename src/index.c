#include "index.h"
#include "fsutil.h"
#include "strutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static char *opt_string(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

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

static int parse_files(json_t *arr, index_entry *e)
{
    if (!json_is_array(arr))
        return 0;
    size_t n = json_array_size(arr);
    e->files = calloc(n + 1, sizeof *e->files);
    if (!e->files)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_t *f = json_array_get(arr, i);
        if (json_is_string(f) && !(e->files[e->nfiles++] = strdup(json_string_value(f))))
            return -1;
    }
    return 0;
}

static int parse_entry(json_t *obj, index_entry *e, char *err, size_t errlen, size_t i)
{
    json_t *ver = json_object_get(obj, "version");
    if (!json_is_string(ver) || semver_parse(json_string_value(ver), &e->v)) {
        str_fmt(err, errlen, "entry %zu has no valid \"version\"", i + 1);
        return -1;
    }
    e->version = strdup(json_string_value(ver));
    e->date = opt_string(obj, "date");
    e->npm = opt_string(obj, "npm");
    e->v8 = opt_string(obj, "v8");
    e->uv = opt_string(obj, "uv");
    e->zlib = opt_string(obj, "zlib");
    e->openssl = opt_string(obj, "openssl");
    e->modules = opt_string(obj, "modules");
    e->lts = opt_string(obj, "lts"); /* false and null both mean "not LTS" */
    if (e->lts && !valid_codename(e->lts)) {
        /* It becomes a line of the lts file and a word users type after
         * "lts/": a space, a newline or 200 bytes there is a broken index. */
        str_fmt(err, errlen, "entry %zu (%s) has an invalid \"lts\" codename", i + 1, e->version ? e->version : "?");
        return -1;
    }
    e->security = json_is_true(json_object_get(obj, "security"));
    if (!e->version || parse_files(json_object_get(obj, "files"), e)) {
        str_fmt(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int index_parse(const char *json, size_t len, release_index *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (errlen)
        err[0] = '\0'; /* the out-of-memory fallback below tests it */
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        str_fmt(err, errlen, "invalid JSON at line %d, column %d: %s", je.line, je.column, je.text);
        return -1;
    }
    if (!json_is_array(root)) {
        json_decref(root);
        str_fmt(err, errlen, "expected a list of releases");
        return -1;
    }
    size_t n = json_array_size(root);
    out->entries = calloc(n ? n : 1, sizeof *out->entries);
    int rc = out->entries ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *obj = json_array_get(root, i);
        if (!json_is_object(obj)) {
            str_fmt(err, errlen, "entry %zu is not an object", i + 1);
            rc = -1;
            break;
        }
        out->n++;
        rc = parse_entry(obj, &out->entries[i], err, errlen, i);
        if (rc == 0 && vlist_add(&out->list, &out->entries[i].v, out->entries[i].lts, i))
            rc = -1;
    }
    json_decref(root);
    if (rc == 0) {
        vlist_sort_desc(&out->list);
        rc = lts_from_vlist(&out->list, &out->lts);
    }
    if (rc) {
        if (!err[0])
            str_fmt(err, errlen, "out of memory");
        index_free(out);
    }
    return rc;
}

static void entry_free(index_entry *e)
{
    free(e->version);
    free(e->date);
    for (size_t i = 0; i < e->nfiles; i++)
        free(e->files[i]);
    free(e->files);
    free(e->npm);
    free(e->v8);
    free(e->uv);
    free(e->zlib);
    free(e->openssl);
    free(e->modules);
    free(e->lts);
}

void index_free(release_index *ix)
{
    for (size_t i = 0; i < ix->n; i++)
        entry_free(&ix->entries[i]);
    free(ix->entries);
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
