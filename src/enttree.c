#include "enttree.h"
#include "strutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_NONE, K_DIR, K_FILE, K_LINK };

/* The names the tree remembers, in bytes: a real release has well under
 * 1 MiB of them; 100000 entries of 4 KiB names would hold 400 MiB. */
#define NAMES_MAX (64u << 20)
#define NO_ROOM "cannot be checked: the tarball's names take more than 64 MiB, or memory ran out"

typedef struct {
    char *path;          /* NULL: a free slot */
    unsigned char kind;  /* K_NONE: only named by a link's target so far */
    unsigned char passed; /* a symlink's target goes through this name */
} node;

struct ent_tree {
    node *slots;
    size_t cap, used; /* cap is a power of two; used <= cap / 2 */
    size_t names;     /* bytes of the paths held */
    uint64_t bytes, entries, max_bytes, max_entries;
};

ent_tree *ent_tree_new(uint64_t max_bytes, uint64_t max_entries)
{
    ent_tree *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cap = 1024;
    t->slots = calloc(t->cap, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return NULL;
    }
    t->max_bytes = max_bytes;
    t->max_entries = max_entries;
    return t;
}

void ent_tree_free(ent_tree *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].path);
    free(t->slots);
    free(t);
}

uint64_t ent_tree_bytes(const ent_tree *t)
{
    return t->bytes;
}

uint64_t ent_tree_entries(const ent_tree *t)
{
    return t->entries;
}

static size_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return (size_t)h;
}

/* The slot of path[0..n), or the free slot where it would go. */
static node *slot(node *slots, size_t cap, const char *path, size_t n)
{
    size_t i = hash(path, n) & (cap - 1);
    while (slots[i].path && (strncmp(slots[i].path, path, n) != 0 || slots[i].path[n] != '\0'))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static node *find(ent_tree *t, const char *path, size_t n)
{
    node *s = slot(t->slots, t->cap, path, n);
    return s->path ? s : NULL;
}

static int grow(ent_tree *t)
{
    size_t cap = t->cap * 2;
    node *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].path)
            *slot(slots, cap, t->slots[i].path, strlen(t->slots[i].path)) = t->slots[i];
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

/* The node of path[0..n), made (K_NONE) when missing; NULL without memory. */
static node *get(ent_tree *t, const char *path, size_t n)
{
    node *s = find(t, path, n);
    if (s)
        return s;
    if ((t->used + 1) * 2 > t->cap && grow(t))
        return NULL;
    if (t->names + n + 1 > NAMES_MAX)
        return NULL;
    s = slot(t->slots, t->cap, path, n);
    s->path = strndup(path, n);
    if (!s->path)
        return NULL;
    s->kind = K_NONE;
    s->passed = 0;
    t->used++;
    t->names += n + 1;
    return s;
}

static const char *kind_name(int k)
{
    return k == K_DIR ? "directory" : k == K_FILE ? "file" : k == K_LINK ? "symlink" : "name";
}

static int reject(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int reject(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return ENT_REJECT;
}

/* path[0..n) as a message shows it (entry_shown). */
static const char *shown(const char *path, size_t n, char *buf, size_t bn)
{
    char part[4096];
    if (n >= sizeof part)
        n = sizeof part - 1;
    memcpy(part, path, n);
    part[n] = '\0';
    return entry_shown(part, buf, bn);
}

/* Every directory above rel must be a directory of the tree (or not named
 * yet, and then it becomes one, as libarchive creates it). */
static int check_parents(ent_tree *t, const char *rel, char *why, size_t whyn)
{
    char sb[256];
    for (const char *p = rel; (p = strchr(p, '/')) != NULL; p++) {
        size_t n = (size_t)(p - rel);
        node *d = get(t, rel, n);
        if (!d)
            return reject(why, whyn, "%s", NO_ROOM);
        if (d->kind == K_LINK)
            return reject(why, whyn, "would be written through the symlink '%s'", shown(rel, n, sb, sizeof sb));
        if (d->kind == K_FILE)
            return reject(why, whyn, "is inside '%s', which is a file", shown(rel, n, sb, sizeof sb));
        d->kind = K_DIR;
    }
    return ENT_ACCEPT;
}

/* Walk the symlink's target from the link's directory. Each name the walk
 * goes through (a name followed by more of the path) must not be a symlink
 * of the tree, and is remembered so that none becomes one later: then the
 * lexical walk is the real one, and ".." can only climb real directories. */
static int walk_target(ent_tree *t, const char *rel, const char *target, char *why, size_t whyn)
{
    char cur[4096], sb[256];
    const char *slash = strrchr(rel, '/');
    size_t len = slash ? (size_t)(slash - rel) : 0;
    memcpy(cur, rel, len);
    for (const char *p = target; *p;) {
        const char *e = strchr(p, '/');
        size_t cl = e ? (size_t)(e - p) : strlen(p);
        const char *q = e;
        while (q && *q == '/')
            q++;
        int more = q && *q;
        if (cl == 2 && p[0] == '.' && p[1] == '.') {
            if (len == 0)
                return reject(why, whyn, "is a symlink that points outside the version directory");
            while (len > 0 && cur[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
        } else if (cl > 0 && !(cl == 1 && p[0] == '.')) {
            if (len + cl + 2 > sizeof cur)
                return reject(why, whyn, "is a symlink with a target that is too long");
            if (len)
                cur[len++] = '/';
            memcpy(cur + len, p, cl);
            len += cl;
            if (more) {
                node *d = get(t, cur, len);
                if (!d)
                    return reject(why, whyn, "%s", NO_ROOM);
                if (d->kind == K_LINK)
                    return reject(why, whyn, "is a symlink whose target passes through the symlink '%s'",
                                  shown(cur, len, sb, sizeof sb));
                d->passed = 1;
            }
        }
        if (!e)
            break;
        p = e + 1;
    }
    return ENT_ACCEPT;
}

static int check_caps(ent_tree *t, ent_type type, int64_t size, char *why, size_t whyn)
{
    if (t->entries >= t->max_entries) {
        str_fmt(why, whyn, "is one entry more than the %llu a release may have (the cap is max_extract_entries "
                "in the config, or NODUS_MAX_EXTRACT_ENTRIES)", (unsigned long long)t->max_entries);
        return ENT_CAPPED;
    }
    t->entries++;
    uint64_t sz = size > 0 ? (uint64_t)size : 0;
    if (type == ENT_DIR || type == ENT_SYMLINK)
        sz = 0;
    if (sz > t->max_bytes - t->bytes) {
        str_fmt(why, whyn, "would make the release larger than %llu bytes (the cap is max_extract_bytes in the "
                "config, or NODUS_MAX_EXTRACT_BYTES)", (unsigned long long)t->max_bytes);
        return ENT_CAPPED;
    }
    t->bytes += sz;
    return ENT_ACCEPT;
}

int ent_tree_add(ent_tree *t, const char *rel, ent_type type, const char *link, int64_t size, char *why,
                 size_t whyn)
{
    int r = check_caps(t, type, size, why, whyn);
    if (r != ENT_ACCEPT)
        return r;
    if ((r = check_parents(t, rel, why, whyn)) != ENT_ACCEPT)
        return r;
    size_t rl = strlen(rel);
    node *self = get(t, rel, rl);
    if (!self)
        return reject(why, whyn, "%s", NO_ROOM);
    if (self->kind != K_NONE && !(self->kind == K_DIR && type == ENT_DIR)) {
        str_fmt(why, whyn, "replaces an earlier %s of the same name", kind_name(self->kind));
        return ENT_REJECT;
    }
    switch (type) {
    case ENT_DIR:
        self->kind = K_DIR;
        return ENT_ACCEPT;
    case ENT_FILE:
        self->kind = K_FILE;
        return ENT_ACCEPT;
    case ENT_HARDLINK: {
        node *to = link ? find(t, link, strlen(link)) : NULL;
        int k = to ? to->kind : K_NONE;
        if (k == K_FILE) {
            self->kind = K_FILE;
            return ENT_ACCEPT;
        }
        char sb[256];
        const char *l = shown(link ? link : "", link ? strlen(link) : 0, sb, sizeof sb);
        if (k == K_DIR)
            return reject(why, whyn, "is a hard link to a directory ('%s'); hard links to directories are not "
                          "allowed", l);
        if (k == K_LINK)
            return reject(why, whyn, "is a hard link to the symlink '%s', which would point elsewhere from "
                          "another directory", l);
        return reject(why, whyn, "is a hard link to '%s', which is not a file that comes before it in the "
                      "tarball", l);
    }
    case ENT_SYMLINK:
        if (self->passed)
            return reject(why, whyn, "is a symlink where an earlier symlink's target goes on through a "
                          "directory of that name");
        self->kind = K_LINK;
        if (!link || !*link || link[0] == '/')
            return reject(why, whyn, "is a symlink that points outside the version directory");
        return walk_target(t, rel, link, why, whyn);
    default:
        return reject(why, whyn, "is not a file, directory or link (device, fifo or socket)");
    }
}
