/* Fetching the release index: from the cache when fresh, else from the
 * mirror with a conditional request; the stale cache when the network
 * fails (the document cache, docfetch.c). Part of nodus-core (needs
 * libcurl). */
#include "index.h"
#include "docfetch.h"
#include "fsutil.h"
#include "http.h"
#include "msg.h"
#include "readfile.h"
#include "strutil.h"

#include <stdlib.h>
#include <string.h>

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

static int parse_index(const char *data, size_t len, const char *name, void *out, char *err, size_t errlen)
{
    char perr[512] = "";
    if (index_parse(data, len, out, perr, sizeof perr) == 0)
        return 0;
    str_fmt(err, errlen, "the release index from %s is not valid (%s)", name, perr[0] ? perr : "unexpected answer");
    return -1;
}

/* The compact form (index_write_compact) saves local commands from parsing
 * the JSON again; it is trusted only while it matches index.json. */
static int load_compact(const nodus_ctx *ctx, void *out) { return index_read_cached(&ctx->paths, out); }
static void store_compact(const nodus_ctx *ctx, const void *out) { index_write_compact(&ctx->paths, out); }

static const doc_kind index_doc = {
    .leaf = "index.json",
    .meta_leaf = "index.meta",
    .what = "release index",
    .hint = "NODUS_MIRROR",
    .max = INDEX_MAX,
    .parse = parse_index,
    .load_cached = load_compact,
    .stored = store_compact,
};

int index_load(const nodus_ctx *ctx, release_index *out)
{
    char url[2048];
    if (url_join(url, sizeof url, ctx->mirror, "index.json")) {
        msg_err("the mirror URL is too long; check NODUS_MIRROR");
        return EXIT_FAIL;
    }
    int rc = doc_load(ctx, &index_doc, url, 0, out);
    if (rc == 0)
        write_lts_file(ctx, out);
    return rc;
}
