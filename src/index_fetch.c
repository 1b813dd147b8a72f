/* Fetching the release index: from the cache when fresh, else from the
 * mirror with a conditional request; the stale cache when the network
 * fails. Part of nodus-core (needs libcurl). */
#include "index.h"
#include "fsutil.h"
#include "http.h"
#include "msg.h"
#include "readfile.h"
#include "strutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char url[2048];
    char etag[256];
    char last_modified[128];
    time_t fetched;
} cache_meta;

static int meta_read(const char *path, cache_meta *m)
{
    memset(m, 0, sizeof *m);
    int code;
    FILE *f = rf_fopen(path, 64 * 1024, 0, &code, NULL);
    if (!f)
        return -1;
    char line[2300];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        /* A value that does not fit is dropped, never cut (a cut url
         * or validator would match the wrong thing): the index is then
         * fetched again. */
        if (str_starts(line, "url=") && str_copy(m->url, sizeof m->url, line + 4))
            m->url[0] = '\0';
        else if (str_starts(line, "etag=") && str_copy(m->etag, sizeof m->etag, line + 5))
            m->etag[0] = '\0';
        else if (str_starts(line, "last_modified=") && str_copy(m->last_modified, sizeof m->last_modified, line + 14))
            m->last_modified[0] = '\0';
        else if (str_starts(line, "fetched="))
            m->fetched = (time_t)strtoll(line + 8, NULL, 10);
    }
    fclose(f);
    return 0;
}

static int meta_write(const char *path, const cache_meta *m)
{
    char buf[3000];
    int n = snprintf(buf, sizeof buf, "url=%s\netag=%s\nlast_modified=%s\nfetched=%lld\n", m->url, m->etag,
                     m->last_modified, (long long)m->fetched);
    if (n < 0 || (size_t)n >= sizeof buf)
        return -1;
    return fs_write_atomic(path, buf, (size_t)n, 0644);
}

/* Save the LTS lines where the shim can read them without the index. */
static void write_lts_file(const nodus_ctx *ctx, const release_index *ix)
{
    char path[PATH_MAX];
    char *text = lts_format(&ix->lts);
    if (!text)
        return;
    if (path_lts(&ctx->paths, path, sizeof path) == 0 && fs_mkdir_p(ctx->paths.home) == 0) {
        size_t len = 0;
        char *old = fs_read_file(path, 1 << 20, &len);
        if (!old || strcmp(old, text) != 0)
            fs_write_atomic(path, text, strlen(text), 0644);
        free(old);
    }
    free(text);
}

static int use_stale(const nodus_ctx *ctx, const char *cache, release_index *out, const char *why)
{
    if (index_parse_file(cache, out) == 0) {
        msg_warn("%s; using the cached release index", why);
        write_lts_file(ctx, out);
        return 0;
    }
    msg_err("%s", why);
    return EXIT_NETWORK;
}

static int fetch_index(const nodus_ctx *ctx, const char *url, const char *cache, const char *metap,
                       cache_meta *m, int have_cache, release_index *out)
{
    membuf body = {0};
    http_meta hm;
    char err[2048] = "";
    int r = http_get(ctx, url, have_cache ? m->etag : NULL, have_cache ? m->last_modified : NULL, INDEX_MAX,
                     &body, &hm, err, sizeof err);
    if (r != 0)
        return have_cache ? use_stale(ctx, cache, out, err) : (msg_err("%s", err), EXIT_NETWORK);
    if (hm.status == 304 && have_cache && index_parse_file(cache, out) == 0) {
        m->fetched = time(NULL);
        meta_write(metap, m);
        write_lts_file(ctx, out);
        return 0;
    }
    char perr[512] = "";
    if (hm.status != 200 || index_parse(body.data ? body.data : "", body.len, out, perr, sizeof perr)) {
        char why[1024];
        str_fmt(why, sizeof why, "the release index from %s is not valid (%s); check NODUS_MIRROR", url,
                perr[0] ? perr : "unexpected answer");
        membuf_free(&body);
        return have_cache ? use_stale(ctx, cache, out, why) : (msg_err("%s", why), EXIT_NETWORK);
    }
    cache_meta nm = {0};
    str_copy(nm.url, sizeof nm.url, url);
    str_copy(nm.etag, sizeof nm.etag, hm.etag);
    str_copy(nm.last_modified, sizeof nm.last_modified, hm.last_modified);
    nm.fetched = time(NULL);
    /* The cache is a convenience: failing to write it must not fail the command. */
    if (fs_mkdir_p(ctx->paths.cache) != 0 || fs_write_atomic(cache, body.data, body.len, 0644) != 0 ||
        meta_write(metap, &nm) != 0)
        msg_warn("cannot write the index cache in %s: %s", ctx->paths.cache, strerror(errno));
    membuf_free(&body);
    write_lts_file(ctx, out);
    return 0;
}

int index_load(const nodus_ctx *ctx, release_index *out)
{
    char url[2048], cache[PATH_MAX], metap[PATH_MAX];
    if (url_join(url, sizeof url, ctx->mirror, "index.json") || path_index_cache(&ctx->paths, cache, sizeof cache) ||
        path_index_meta(&ctx->paths, metap, sizeof metap)) {
        msg_err("the mirror URL or the cache path is too long");
        return EXIT_FAIL;
    }
    cache_meta m;
    int have_cache = meta_read(metap, &m) == 0 && strcmp(m.url, url) == 0 && fs_exists(cache);
    if (ctx->offline) {
        if (have_cache && index_parse_file(cache, out) == 0)
            return 0;
        msg_err("no cached release index for %s; run once without --offline", ctx->mirror);
        return EXIT_NETWORK;
    }
    time_t now = time(NULL);
    if (have_cache && now >= m.fetched && now - m.fetched < ctx->index_ttl && index_parse_file(cache, out) == 0)
        return 0;
    return fetch_index(ctx, url, cache, metap, &m, have_cache, out);
}
