/* Lists of versions (installed or remote) and the table of LTS lines.
 * libc only: the shim lists installed versions with it. */
#ifndef NODUS_VLIST_H
#define NODUS_VLIST_H
#include <stddef.h>
#include "semver.h"

typedef struct {
    semver_t v;
    char lts[32]; /* lower-case LTS codename from the index, "" if not LTS or unknown */
    size_t index; /* caller's own position (e.g. into an index_entry array) */
} vent_t;

typedef struct {
    vent_t *items;
    size_t n, cap;
} vlist_t;

/* Append; returns 0 or -1 on allocation failure. */
int vlist_add(vlist_t *l, const semver_t *v, const char *lts, size_t index);
/* Newest first. */
void vlist_sort_desc(vlist_t *l);
void vlist_free(vlist_t *l);

/* Installed versions: every directory "vX.Y.Z" in versions_dir. Anything
 * else there is ignored. Returns 0, or -1 when the directory cannot be read
 * (a missing directory is an empty list). Sorted newest first. */
int vlist_installed(const char *versions_dir, vlist_t *out);

/* One LTS line: a codename and the major it belongs to, with the first
 * version of that major that was LTS (a major's early releases are not). */
typedef struct {
    char name[32]; /* lower case */
    unsigned long major;
    semver_t first;
} lts_line;

typedef struct {
    lts_line *lines; /* newest line first */
    size_t n;
} lts_table;

/* Derive the LTS lines from a list that carries codenames (the index). */
int lts_from_vlist(const vlist_t *l, lts_table *out);
/* The "lts" file: one line per LTS line, "name major first-version". */
int lts_load(const char *path, lts_table *out);
/* Text for lts_load; the caller writes it atomically. Returns malloc'd text. */
char *lts_format(const lts_table *t);
void lts_free(lts_table *t);
/* The line a version belongs to, or NULL. */
const lts_line *lts_line_of(const lts_table *t, const semver_t *v);
const lts_line *lts_find(const lts_table *t, const char *name);

#endif
