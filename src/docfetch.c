#include "docfetch.h"
#include "doccache.h"
#include "fsutil.h"
#include "http.h"
#include "msg.h"
#include "strutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const nodus_ctx *ctx;
    const doc_kind *k;
    const char *url;
    int optional;
    char path[PATH_MAX], metap[PATH_MAX];
    doc_meta m;
    int have_cache;
    void *out;
} doc_job;

static int parse_cache(doc_job *j, char *err, size_t errlen)
{
    if (j->k->load_cached) {
        if (j->k->load_cached(j->ctx, j->out) == 0)
            return 0;
        str_fmt(err, errlen, "%s: cannot read the cached %s", j->path, j->k->what);
        return -1;
    }
    size_t len = 0;
    char *text = fs_read_doc(j->path, j->k->max, &len, err, errlen);
    if (!text)
        return -1;
    int rc = j->k->parse(text, len, j->path, j->out, err, errlen);
    free(text);
    return rc;
}

static int fail(doc_job *j, const char *why)
{
    if (j->optional)
        msg_warn("%s; going on without the %s", why, j->k->what);
    else
        msg_err("%s", why);
    return EXIT_NETWORK;
}

static int use_stale(doc_job *j, const char *why)
{
    char err[1024];
    if (parse_cache(j, err, sizeof err) == 0) {
        msg_warn("%s; using the cached %s", why, j->k->what);
        return 0;
    }
    return fail(j, why);
}

static int fetch(doc_job *j)
{
    membuf body = {0};
    http_meta hm;
    char err[2048] = "";
    int r = http_get(j->ctx, j->url, j->have_cache ? j->m.etag : NULL, j->have_cache ? j->m.last_modified : NULL,
                     j->k->max, &body, &hm, err, sizeof err);
    if (r != 0)
        return j->have_cache ? use_stale(j, err) : fail(j, err);
    char perr[1024] = "";
    if (hm.status == 304 && j->have_cache && parse_cache(j, perr, sizeof perr) == 0) {
        j->m.fetched = time(NULL);
        doc_meta_write(j->metap, &j->m);
        return 0;
    }
    perr[0] = '\0';
    if (hm.status != 200 ||
        j->k->parse(body.data ? body.data : "", body.len, j->url, j->out, perr, sizeof perr)) {
        char why[1500];
        if (perr[0])
            str_fmt(why, sizeof why, "%s; check %s", perr, j->k->hint);
        else
            str_fmt(why, sizeof why, "the %s from %s is not valid (unexpected answer); check %s", j->k->what, j->url,
                    j->k->hint);
        membuf_free(&body);
        return j->have_cache ? use_stale(j, why) : fail(j, why);
    }
    doc_meta nm = {0};
    str_copy(nm.url, sizeof nm.url, j->url);
    str_copy(nm.etag, sizeof nm.etag, hm.etag);
    str_copy(nm.last_modified, sizeof nm.last_modified, hm.last_modified);
    nm.fetched = time(NULL);
    /* The cache is a convenience: failing to write it must not fail the command. */
    if (fs_mkdir_p(j->ctx->paths.cache) != 0 || fs_write_atomic(j->path, body.data, body.len, 0644) != 0 ||
        doc_meta_write(j->metap, &nm) != 0)
        msg_warn("cannot write the %s cache in %s: %s", j->k->what, j->ctx->paths.cache, strerror(errno));
    else if (j->k->stored)
        j->k->stored(j->ctx, j->out);
    membuf_free(&body);
    return 0;
}

int doc_load(const nodus_ctx *ctx, const doc_kind *kind, const char *url, int optional, void *out)
{
    doc_job j = {.ctx = ctx, .k = kind, .url = url, .optional = optional, .out = out};
    if (path_cache_doc(&ctx->paths, kind->leaf, j.path, sizeof j.path) ||
        path_cache_doc(&ctx->paths, kind->meta_leaf, j.metap, sizeof j.metap)) {
        msg_err("the cache path is too long; check XDG_CACHE_HOME");
        return EXIT_FAIL;
    }
    j.have_cache = doc_cached(&ctx->paths, kind->leaf, kind->meta_leaf, url, j.path, sizeof j.path, &j.m) == 0;
    char err[1024];
    if (ctx->offline) {
        if (j.have_cache && parse_cache(&j, err, sizeof err) == 0)
            return 0;
        char why[1500];
        str_fmt(why, sizeof why, "no cached %s for %s; run once without --offline", kind->what, url);
        return fail(&j, why);
    }
    time_t now = time(NULL);
    if (j.have_cache && now >= j.m.fetched && now - j.m.fetched < ctx->index_ttl &&
        parse_cache(&j, err, sizeof err) == 0)
        return 0;
    return fetch(&j);
}
