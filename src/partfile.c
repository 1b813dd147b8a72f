#include "partfile.h"
#include "fsutil.h"
#include "strutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether the file behind fd has this SHA-256 (lower-case hex). */
static int digest_is(int fd, const char *sha256)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char buf[65536], d[EVP_MAX_MD_SIZE];
    unsigned dn = 0;
    char hex[65] = "";
    off_t off = 0;
    ssize_t n = -1;
    if (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        while ((n = pread(fd, buf, sizeof buf, off)) > 0) {
            EVP_DigestUpdate(md, buf, (size_t)n);
            off += n;
        }
        if (n == 0 && EVP_DigestFinal_ex(md, d, &dn) && dn == 32)
            for (unsigned i = 0; i < dn; i++)
                snprintf(hex + 2 * i, 3, "%02x", d[i]);
    }
    EVP_MD_CTX_free(md);
    return n == 0 && strcmp(hex, sha256) == 0;
}

void partfile_open(partfile *pf, const char *dir, const char *sha256)
{
    memset(pf, 0, sizeof *pf);
    pf->fd = -1;
    struct stat st;
    if (strlen(sha256) != 64 || strspn(sha256, "0123456789abcdef") != 64 || fs_mkdir_p(dir) != 0 ||
        str_fmt(pf->path, sizeof pf->path, "%s/%s", dir, sha256) != 0)
        return;
    /* O_NONBLOCK: a FIFO planted in the cache must not hang the install. */
    pf->fd = open(pf->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (pf->fd >= 0) {
        /* Checked before use: a cache edited or damaged on disk (or a CI
         * cache restored from elsewhere) is fetched again instead of
         * failing the install. */
        if (fstat(pf->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && digest_is(pf->fd, sha256)) {
            pf->size = pf->kept = (uint64_t)st.st_size;
            pf->complete = 1;
            futimens(pf->fd, NULL); /* used now: the last to go when the cache is trimmed */
            return;
        }
        close(pf->fd);
        pf->fd = -1;
        if (lstat(pf->path, &st) == 0 && S_ISREG(st.st_mode))
            unlink(pf->path);
    }
    if (str_fmt(pf->path, sizeof pf->path, "%s/%s.part", dir, sha256) != 0)
        return;
    pf->fd = open(pf->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (pf->fd < 0)
        return;
    if (fstat(pf->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        partfile_discard(pf);
        return;
    }
    pf->size = pf->kept = (uint64_t)st.st_size;
}

ssize_t partfile_replay(partfile *pf, void *buf, size_t n)
{
    if (pf->fd < 0 || pf->replayed >= pf->kept)
        return 0;
    uint64_t left = pf->kept - pf->replayed;
    ssize_t r = pread(pf->fd, buf, left < n ? (size_t)left : n, (off_t)pf->replayed);
    if (r <= 0) {
        /* The kept bytes cannot be read back: nothing replayed past here
         * can be trusted to continue the download, so stop as if at end. */
        pf->kept = pf->replayed;
        return 0;
    }
    pf->replayed += (uint64_t)r;
    return r;
}

void partfile_append(partfile *pf, const void *data, size_t n)
{
    const char *p = data;
    if (pf->fd < 0 || pf->complete)
        return;
    while (n) {
        ssize_t w = pwrite(pf->fd, p, n, (off_t)pf->size);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            partfile_discard(pf); /* disk full or the like: keep nothing */
            return;
        }
        pf->size += (uint64_t)w;
        p += w;
        n -= (size_t)w;
    }
}

void partfile_keep(partfile *pf)
{
    if (pf->fd >= 0)
        close(pf->fd);
    pf->fd = -1;
}

void partfile_complete(partfile *pf)
{
    size_t n = strlen(pf->path);
    if (pf->fd < 0 || pf->complete || n < 5 || strcmp(pf->path + n - 5, ".part") != 0) {
        partfile_keep(pf);
        return;
    }
    char done[PATH_MAX];
    str_fmt(done, sizeof done, "%.*s", (int)(n - 5), pf->path);
    if (fsync(pf->fd) != 0 || rename(pf->path, done) != 0)
        unlink(pf->path);
    partfile_keep(pf);
}

void partfile_discard(partfile *pf)
{
    if (pf->fd >= 0)
        close(pf->fd);
    pf->fd = -1;
    if (pf->path[0])
        unlink(pf->path);
}

/* A file of the cache: <sha256> or <sha256>.part, nothing else. */
static int cache_name(const char *name)
{
    size_t n = strlen(name);
    return (n == 64 || (n == 69 && strcmp(name + 64, ".part") == 0)) && strspn(name, "0123456789abcdef") == 64;
}

typedef struct {
    char name[70];
    unsigned long long size;
    time_t mtime;
} cached_file;

static int older_first(const void *a, const void *b)
{
    const cached_file *x = a, *y = b;
    return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

void partfile_trim(const partfile *pf, unsigned long long max)
{
    char dir[PATH_MAX], keep[70];
    const char *slash = strrchr(pf->path, '/');
    if (!slash || str_fmt(dir, sizeof dir, "%.*s", (int)(slash - pf->path), pf->path) ||
        str_fmt(keep, sizeof keep, "%.64s", slash + 1))
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    cached_file *files = NULL;
    size_t n = 0, cap = 0;
    unsigned long long total = 0;
    struct dirent *de;
    struct stat st;
    while ((de = readdir(d)) != NULL) {
        if (!cache_name(de->d_name) || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        if (n == cap) {
            size_t c = cap ? cap * 2 : 32;
            cached_file *f = realloc(files, c * sizeof *f);
            if (!f)
                break; /* trimmed by what was listed so far */
            files = f;
            cap = c;
        }
        str_copy(files[n].name, sizeof files[n].name, de->d_name);
        files[n].size = (unsigned long long)st.st_size;
        files[n].mtime = st.st_mtime;
        total += files[n].size;
        n++;
    }
    qsort(files, n, sizeof *files, older_first);
    /* The oldest go first; the download just kept goes last, and only
     * when it alone is over the budget (0: keep nothing). */
    for (int pass = 0; pass < 2 && total > max; pass++)
        for (size_t i = 0; i < n && total > max; i++) {
            int mine = strncmp(files[i].name, keep, 64) == 0;
            if (mine != pass || files[i].size == 0)
                continue;
            if (unlinkat(dirfd(d), files[i].name, 0) == 0)
                total -= files[i].size;
            files[i].size = 0;
        }
    free(files);
    closedir(d);
}
