/* Fetching a cached document (doccache.h): from the cache while it is
 * younger than the TTL, else from its URL with a conditional request (a
 * 304 keeps the cache), the stale cache with a warning when the network or
 * the answer fails, only the cache with --offline. One mechanism for the
 * release index, the release schedule and the vulnerability database.
 * nodus-core only (libcurl). */
#ifndef NODUS_DOCFETCH_H
#define NODUS_DOCFETCH_H
#include <stddef.h>
#include "ctx.h"

typedef struct {
    const char *leaf, *meta_leaf; /* "vulns.json", "vulns.meta" in the cache directory */
    const char *what;             /* "vulnerability database", for messages */
    const char *hint;             /* what to check when it fails: "NODUS_VULNS_URL or vulns_url" */
    size_t max;                   /* largest body accepted */
    /* Parse a body (name: the URL or file it came from) into out.
     * Returns 0, or -1 with err a sentence that names name. */
    int (*parse)(const char *data, size_t len, const char *name, void *out, char *err, size_t errlen);
    /* Optional: read the cached copy some faster way than parse (the
     * release index keeps a compact form beside it). Returns 0 or -1. */
    int (*load_cached)(const nodus_ctx *ctx, void *out);
    /* Optional: called once a fresh copy is parsed and written to the cache. */
    void (*stored)(const nodus_ctx *ctx, const void *out);
} doc_kind;

/* Load kind from url into out. optional: a failure is a warning (the
 * caller goes on without the document) instead of an error. Returns 0, or
 * an exit status (message printed). */
int doc_load(const nodus_ctx *ctx, const doc_kind *kind, const char *url, int optional, void *out);
#endif
