/* The release index (index.json): fetched from the mirror, cached with its
 * validators, revalidated with a conditional request once older than the
 * TTL, parsed into entries. */
#ifndef NODUS_INDEX_H
#define NODUS_INDEX_H
#include <stddef.h>
#include "ctx.h"
#include "semver.h"
#include "vlist.h"

typedef struct {
    char *version;   /* "v22.11.0" as in the index */
    semver_t v;
    char *date;      /* fields below are NULL when missing or null */
    char **files;    /* NULL-terminated */
    size_t nfiles;
    char *npm, *v8, *uv, *zlib, *openssl, *modules;
    char *lts;       /* codename, NULL when the release is not LTS */
    int security;
} index_entry;

typedef struct {
    index_entry *entries;
    size_t n;
    vlist_t list;    /* the entries newest first; item.index points back */
    lts_table lts;   /* LTS lines, newest first */
} release_index;

/* Parse index.json text. Returns 0, or -1 with err. Entries with an
 * unparseable version are an error: the file is not what it claims. */
int index_parse(const char *json, size_t len, release_index *out, char *err, size_t errlen);
void index_free(release_index *ix);
/* Parse a file (the cache). Returns 0 or -1. */
int index_parse_file(const char *path, release_index *out);

#define INDEX_MAX (64u << 20) /* the real file is ~300 KiB */

/* (index_fetch.c, nodus-core only) Load the index for ctx: from the cache when fresh, else from the mirror
 * (conditional request; a 304 keeps the cache; a network failure falls back
 * to the stale cache with a warning). Writes the LTS-lines file. Returns 0
 * or an exit status (message printed). */
int index_load(const nodus_ctx *ctx, release_index *out);

/* Whether an entry lists a file for the platform ("linux-x64"). */
int index_has_platform(const index_entry *e, const char *platform);

#endif
