#include "partfile.h"
#include "fsutil.h"
#include "strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void partfile_open(partfile *pf, const char *dir, const char *sha256)
{
    memset(pf, 0, sizeof *pf);
    pf->fd = -1;
    struct stat st;
    if (strlen(sha256) != 64 || fs_mkdir_p(dir) != 0 ||
        str_fmt(pf->path, sizeof pf->path, "%s/%s.part", dir, sha256) != 0)
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
    if (pf->fd < 0)
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

void partfile_discard(partfile *pf)
{
    if (pf->fd >= 0)
        close(pf->fd);
    pf->fd = -1;
    if (pf->path[0])
        unlink(pf->path);
}
