/* The compact cache of the release index (index.h explains why). Layout,
 * in this machine's byte order (the order field tells another apart):
 *
 *   header    magic, order, counts, and the identity of index.json
 *   entries   nentries records: an arena offset per string field (NONE for
 *             a missing one), the first pool slot of the files list and
 *             its length, the security flag
 *   pool      npool arena offsets: each files list, then NONE
 *   arena     every string, NUL-terminated
 *
 * Reading checks every offset and length against the file before use: a
 * cache file that is cut short or scribbled on is parsed from JSON
 * again, never trusted. */
#include "index.h"
#include "fsutil.h"
#include "strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CIX_NONE UINT32_MAX
#define CIX_ORDER 0x01020304u
#define CIX_FIELDS 9 /* version date npm v8 uv zlib openssl modules lts */
#define CIX_MAX ((size_t)4 * INDEX_MAX)

static const char CIX_MAGIC[8] = {'N', 'O', 'D', 'U', 'S', 'I', 'X', '1'};

typedef struct {
    char magic[8];
    uint32_t order;
    uint32_t nentries;
    uint64_t npool;
    uint64_t arena_len;
    uint64_t src_size, src_mtime_s, src_mtime_ns, src_ino, src_dev;
} cix_header;

typedef struct {
    uint32_t str[CIX_FIELDS];
    uint32_t files;  /* first pool slot, CIX_NONE: no list */
    uint32_t nfiles;
    uint32_t security;
} cix_entry;

static char **field(index_entry *e, int k)
{
    char **f[CIX_FIELDS] = {&e->version, &e->date, &e->npm,     &e->v8, &e->uv,
                            &e->zlib,    &e->openssl, &e->modules, &e->lts};
    return f[k];
}

static void identity(const struct stat *st, cix_header *h)
{
    h->src_size = (uint64_t)st->st_size;
    h->src_mtime_s = (uint64_t)st->st_mtim.tv_sec;
    h->src_mtime_ns = (uint64_t)st->st_mtim.tv_nsec;
    h->src_ino = (uint64_t)st->st_ino;
    h->src_dev = (uint64_t)st->st_dev;
}

static uint32_t offset_of(const release_index *ix, const char *s)
{
    return s ? (uint32_t)(s - ix->arena) : CIX_NONE;
}

static int write_all(FILE *f, const void *p, size_t n)
{
    return fwrite(p, 1, n, f) == n ? 0 : -1;
}

/* Entries and pool are written a block at a time from the index itself:
 * no second copy of a 64 MiB index is built in memory. */
static int write_body(FILE *f, const release_index *ix)
{
    cix_entry buf[256];
    size_t nb = 0;
    uint32_t slot = 0;
    for (size_t i = 0; i < ix->n; i++) {
        const index_entry *e = &ix->entries[i];
        cix_entry *c = &buf[nb++];
        for (int k = 0; k < CIX_FIELDS; k++)
            c->str[k] = offset_of(ix, *field((index_entry *)e, k));
        c->files = e->files ? slot : CIX_NONE;
        c->nfiles = (uint32_t)e->nfiles;
        c->security = (uint32_t)e->security;
        if (e->files)
            slot += (uint32_t)e->nfiles + 1;
        if (nb == sizeof buf / sizeof buf[0] || i + 1 == ix->n) {
            if (write_all(f, buf, nb * sizeof buf[0]))
                return -1;
            nb = 0;
        }
    }
    uint32_t off[1024];
    size_t no = 0;
    for (size_t i = 0; i < ix->n; i++) {
        const index_entry *e = &ix->entries[i];
        if (!e->files)
            continue;
        for (size_t k = 0; k <= e->nfiles; k++) {
            off[no++] = k < e->nfiles ? offset_of(ix, e->files[k]) : CIX_NONE;
            if (no == sizeof off / sizeof off[0]) {
                if (write_all(f, off, no * sizeof off[0]))
                    return -1;
                no = 0;
            }
        }
    }
    if (no && write_all(f, off, no * sizeof off[0]))
        return -1;
    return write_all(f, ix->arena, ix->arena_len);
}

static size_t pool_slots(const release_index *ix)
{
    size_t n = 0;
    for (size_t i = 0; i < ix->n; i++)
        if (ix->entries[i].files)
            n += ix->entries[i].nfiles + 1;
    return n;
}

static void write_compact(const char *path, const release_index *ix, const struct stat *src)
{
    char tmp[PATH_MAX + 32];
    if (!ix->arena || ix->n > CIX_NONE || ix->arena_len >= CIX_NONE ||
        str_fmt(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid()))
        return;
    cix_header h = {0};
    memcpy(h.magic, CIX_MAGIC, sizeof h.magic);
    h.order = CIX_ORDER;
    h.nentries = (uint32_t)ix->n;
    h.npool = pool_slots(ix);
    h.arena_len = ix->arena_len;
    identity(src, &h);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(tmp);
        return;
    }
    int bad = write_all(f, &h, sizeof h) || write_body(f, ix) || fflush(f) != 0 || fsync(fd) != 0;
    if (fclose(f) != 0)
        bad = 1;
    if (bad || rename(tmp, path) != 0)
        unlink(tmp);
}

void index_write_compact(const nodus_paths *p, const release_index *ix)
{
    char json[PATH_MAX], bin[PATH_MAX];
    struct stat st;
    if (path_index_cache(p, json, sizeof json) || path_index_compact(p, bin, sizeof bin) || stat(json, &st) != 0)
        return;
    write_compact(bin, ix, &st);
}

/* Fill ix from a compact file's bytes (owned by ix from now on). */
static int load_compact(char *blob, size_t len, const struct stat *src, release_index *ix)
{
    cix_header h;
    if (len < sizeof h)
        return -1;
    memcpy(&h, blob, sizeof h);
    cix_header want = {0};
    identity(src, &want);
    if (memcmp(h.magic, CIX_MAGIC, sizeof h.magic) != 0 || h.order != CIX_ORDER || h.src_size != want.src_size ||
        h.src_mtime_s != want.src_mtime_s || h.src_mtime_ns != want.src_mtime_ns || h.src_ino != want.src_ino ||
        h.src_dev != want.src_dev)
        return -1;
    size_t rest = len - sizeof h;
    if (h.nentries > rest / sizeof(cix_entry))
        return -1;
    rest -= h.nentries * sizeof(cix_entry);
    if (h.npool > rest / sizeof(uint32_t))
        return -1;
    rest -= h.npool * sizeof(uint32_t);
    if (h.arena_len != rest || h.arena_len >= CIX_NONE || (h.arena_len && blob[len - 1] != '\0'))
        return -1;
    const char *ents = blob + sizeof h;
    const char *poolp = ents + h.nentries * sizeof(cix_entry);
    char *arena = blob + len - h.arena_len;
    if (!index_utf8_ok((const unsigned char *)arena, h.arena_len))
        return -1;
    ix->owned[0] = blob;
    ix->arena = arena;
    ix->arena_len = h.arena_len;
    ix->entries = calloc(h.nentries ? h.nentries : 1, sizeof *ix->entries);
    ix->pool = calloc(h.npool ? h.npool : 1, sizeof *ix->pool);
    ix->owned[1] = ix->pool;
    ix->pool_len = h.npool;
    if (!ix->entries || !ix->pool)
        return -1;
    for (uint64_t k = 0; k < h.npool; k++) {
        uint32_t o;
        memcpy(&o, poolp + k * sizeof o, sizeof o);
        if (o != CIX_NONE && o >= h.arena_len)
            return -1;
        ix->pool[k] = o == CIX_NONE ? NULL : arena + o;
    }
    for (uint32_t i = 0; i < h.nentries; i++) {
        cix_entry c;
        memcpy(&c, ents + (size_t)i * sizeof c, sizeof c);
        index_entry *e = &ix->entries[i];
        ix->n++;
        for (int k = 0; k < CIX_FIELDS; k++) {
            if (c.str[k] != CIX_NONE && c.str[k] >= h.arena_len)
                return -1;
            *field(e, k) = c.str[k] == CIX_NONE ? NULL : arena + c.str[k];
        }
        if (c.files != CIX_NONE) {
            /* The list and its NULL end lie inside the pool, with no NULL
             * before the end. */
            if (c.files > h.npool || c.nfiles >= h.npool - c.files || ix->pool[c.files + c.nfiles] != NULL)
                return -1;
            for (uint32_t k = 0; k < c.nfiles; k++)
                if (!ix->pool[c.files + k])
                    return -1;
            e->files = ix->pool + c.files;
            e->nfiles = c.nfiles;
        }
        e->security = c.security != 0;
    }
    char err[256];
    return index_finish(ix, err, sizeof err);
}

int index_read_cached(const nodus_paths *p, release_index *out)
{
    char json[PATH_MAX], bin[PATH_MAX];
    struct stat before, after;
    memset(out, 0, sizeof *out);
    if (path_index_cache(p, json, sizeof json) || path_index_compact(p, bin, sizeof bin) || stat(json, &before) != 0)
        return -1;
    size_t len;
    char *blob = fs_read_file(bin, CIX_MAX, &len);
    if (blob) {
        if (load_compact(blob, len, &before, out) == 0)
            return 0;
        if (!out->owned[0])
            free(blob);
        index_free(out);
    }
    if (index_parse_file(json, out) != 0)
        return -1;
    /* Written only when index.json did not change while it was read. */
    if (stat(json, &after) == 0 && after.st_ino == before.st_ino && after.st_size == before.st_size &&
        after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
        write_compact(bin, out, &before);
    return 0;
}
