/* The schedule and the vulnerability database through the document cache.
 * nodus-core only: fetching needs libcurl. */
#include "safety.h"
#include "docfetch.h"
#include "fsutil.h"

#include <jansson.h>
#include <stdlib.h>

#include <string.h>
#include <sys/stat.h>

static int parse_schedule(const char *data, size_t len, const char *name, void *out, char *err, size_t errlen)
{
    return schedule_parse(data, len, name, out, err, errlen);
}

static int parse_vulns(const char *data, size_t len, const char *name, void *out, char *err, size_t errlen)
{
    return vulns_parse(data, len, name, out, err, errlen);
}

static const doc_kind schedule_doc = {
    .leaf = SCHEDULE_DOC,
    .meta_leaf = SCHEDULE_META,
    .what = "release schedule",
    .hint = "NODUS_SCHEDULE_URL or the schedule_url setting",
    .max = SCHEDULE_MAX,
    .parse = parse_schedule,
};

static const doc_kind vulns_doc = {
    .leaf = VULNS_DOC,
    .meta_leaf = VULNS_META,
    .what = "vulnerability database",
    .hint = "NODUS_VULNS_URL or the vulns_url setting",
    .max = VULNS_MAX,
    .parse = parse_vulns,
};

/* vulns.slim.json from vulns.json (already parsed, so valid): each entry
 * with only the fields the judgement reads. Failing only costs speed. */
static void write_slim(const nodus_ctx *ctx)
{
    static const char *const keep[] = {"cve", "vulnerable", "patched", "severity"};
    char full[PATH_MAX], slim[PATH_MAX];
    if (path_cache_doc(&ctx->paths, VULNS_DOC, full, sizeof full) ||
        path_cache_doc(&ctx->paths, VULNS_SLIM, slim, sizeof slim))
        return;
    struct stat fs, ss;
    if (stat(full, &fs) != 0 || (stat(slim, &ss) == 0 && safety_newer(&ss, &fs)))
        return;
    json_t *root = json_load_file(full, JSON_REJECT_DUPLICATES, NULL);
    json_t *out = json_object();
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val) {
        json_t *e = json_object();
        for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
            if (json_object_get(val, keep[i]))
                json_object_set(e, keep[i], json_object_get(val, keep[i]));
        json_object_set_new(out, key, e);
    }
    char *text = root ? json_dumps(out, JSON_COMPACT) : NULL;
    if (text)
        fs_write_atomic(slim, text, strlen(text), 0644);
    free(text);
    json_decref(out);
    json_decref(root);
}

void safety_refresh(const nodus_ctx *ctx, safety_data *d)
{
    memset(d, 0, sizeof *d);
    d->today = date_today();
    if (!safety_url_off(ctx->schedule_url))
        d->have_sched = doc_load(ctx, &schedule_doc, ctx->schedule_url, 1, &d->sched) == 0;
    if (!safety_url_off(ctx->vulns_url))
        d->have_db = doc_load(ctx, &vulns_doc, ctx->vulns_url, 1, &d->db) == 0;
    if (d->have_db)
        write_slim(ctx);
}
