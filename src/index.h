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

/* The strings of every entry live in one arena and the files lists in one
 * pointer pool, both owned by the index: a release costs two allocations
 * in all, not thirty (a 63 MiB index holds 170,000 of them). */
typedef struct {
    index_entry *entries;
    size_t n;
    vlist_t list;    /* the entries newest first; item.index points back */
    lts_table lts;   /* LTS lines, newest first */
    char *arena;     /* every string of every entry, NUL-terminated */
    size_t arena_len;/* bytes of arena in use */
    char **pool;     /* every entry's files list (each NULL-terminated) */
    size_t pool_len;
    void *owned[2];  /* what index_free releases besides entries and list */
} release_index;

/* Parse index.json text. Returns 0, or -1 with err. Entries with an
 * unparseable version are an error: the file is not what it claims. */
int index_parse(const char *json, size_t len, release_index *out, char *err, size_t errlen);
void index_free(release_index *ix);
/* Parse a file (the cache). Returns 0 or -1. */
int index_parse_file(const char *path, release_index *out);
/* The list and LTS table of entries already filled (by index_parse or the
 * compact cache): checks each version and codename. 0, or -1 with err. */
int index_finish(release_index *ix, char *err, size_t errlen);
/* Whether s[0..n) is strict UTF-8 (NULs allowed). */
int index_utf8_ok(const unsigned char *s, size_t n);

/* (index_cache.c) The compact cache: the parsed index written once,
 * atomically, after it was fetched (cache/index.bin), so that a later
 * command reads it in one go instead of parsing 64 MiB of JSON again. It
 * records which index.json it was made from (size, mtime, inode) and is
 * used only while that file is unchanged.
 *
 * The cached index as it is now: from the compact cache when it matches
 * index.json, else parsed from index.json (and the compact cache written
 * for the next command). Returns 0 or -1. */
int index_read_cached(const nodus_paths *p, release_index *out);
/* Write the compact cache of ix, just parsed from index.json as it is
 * now. Failing only costs the next command a parse. */
void index_write_compact(const nodus_paths *p, const release_index *ix);

#define INDEX_MAX (64u << 20) /* the real file is ~300 KiB */

/* (index_fetch.c, nodus-core only) Load the index for ctx: from the cache when fresh, else from the mirror
 * (conditional request; a 304 keeps the cache; a network failure falls back
 * to the stale cache with a warning). Writes the LTS-lines file. Returns 0
 * or an exit status (message printed). */
int index_load(const nodus_ctx *ctx, release_index *out);

/* Whether an entry lists a file for the platform ("linux-x64"). */
int index_has_platform(const index_entry *e, const char *platform);

#endif
