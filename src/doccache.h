/* The cache of fetched documents (the release index, the release schedule,
 * the vulnerability database): each is a file in the cache directory with
 * a .meta beside it recording the URL it came from, its validators (ETag,
 * Last-Modified) and when it was fetched. Reading needs libc only, so the
 * front binary's local commands read the cache; fetching is docfetch.h
 * (nodus-core, libcurl). */
#ifndef NODUS_DOCCACHE_H
#define NODUS_DOCCACHE_H
#include <stddef.h>
#include <time.h>
#include "paths.h"

typedef struct {
    char url[2048];
    char etag[256];
    char last_modified[128];
    time_t fetched;
} doc_meta;

/* Returns 0, or -1 when the file cannot be read (m zeroed). */
int doc_meta_read(const char *path, doc_meta *m);
/* Atomically. Returns 0 or -1 (also when a field would not fit). */
int doc_meta_write(const char *path, const doc_meta *m);

/* The cached copy of the document leaf (e.g. "vulns.json", meta
 * "vulns.meta") when it was fetched from url: 0 with its path (and the
 * meta in m, which may be NULL), or -1. */
int doc_cached(const nodus_paths *p, const char *leaf, const char *meta_leaf, const char *url, char *path,
               size_t n, doc_meta *m);
#endif
