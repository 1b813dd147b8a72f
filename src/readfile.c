#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *type_name(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISLNK(m))
        return "a symbolic link";
    return "not a regular file";
}

/* rf_open_at, handing back the size fstat saw (one fstat per file: the
 * shim reads version files on every call). */
static int open_checked(int dirfd, const char *path, size_t cap, unsigned flags, const char **kind, size_t *size)
{
    int oflags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
    if (flags & RF_NOFOLLOW)
        oflags |= O_NOFOLLOW;
    int fd = openat(dirfd, path, oflags);
    if (fd < 0) {
        if (errno == ELOOP && (flags & RF_NOFOLLOW)) {
            if (kind)
                *kind = "a symbolic link";
            return RF_NOTFILE;
        }
        if (errno == ENXIO) { /* a socket, or a FIFO nobody writes to on some systems */
            if (kind)
                *kind = "a socket or device";
            return RF_NOTFILE;
        }
        return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? RF_MISSING : RF_ERROR;
    }
    struct stat st;
    int r = RF_OK;
    if (fstat(fd, &st) != 0)
        r = RF_ERROR;
    else if (!S_ISREG(st.st_mode)) {
        if (kind)
            *kind = type_name(st.st_mode);
        r = RF_NOTFILE;
    } else if ((unsigned long long)st.st_size > (unsigned long long)cap)
        r = RF_TOOBIG;
    if (r != RF_OK) {
        int e = errno;
        close(fd);
        errno = e;
        return r;
    }
    if (size)
        *size = (size_t)st.st_size;
    return fd;
}

int rf_open_at(int dirfd, const char *path, size_t cap, unsigned flags, const char **kind)
{
    return open_checked(dirfd, path, cap, flags, kind, NULL);
}

int rf_read_at(int dirfd, const char *path, size_t cap, unsigned flags, char **bufp, size_t *lenp,
               const char **kind)
{
    *bufp = NULL;
    if (lenp)
        *lenp = 0;
    size_t hint = 0, size = 256, len = 0;
    int fd = open_checked(dirfd, path, cap, flags, kind, &hint);
    if (fd < 0)
        return fd;
    if (hint + 1 > size)
        size = hint + 1;
    if (size > cap + 1)
        size = cap + 1;
    char *buf = malloc(size + 1);
    int r = buf ? RF_OK : RF_ERROR;
    /* st_size is a hint only: the file may grow while it is read, so the
     * cap is enforced on what is read, one byte past it telling. */
    while (r == RF_OK) {
        if (len == size) {
            if (size > cap) {
                r = RF_TOOBIG;
                break;
            }
            size_t nsize = size * 2 > cap + 1 ? cap + 1 : size * 2;
            char *nb = realloc(buf, nsize + 1);
            if (!nb) {
                r = RF_ERROR;
                break;
            }
            buf = nb;
            size = nsize;
        }
        ssize_t n = read(fd, buf + len, size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            r = RF_ERROR;
        else if (n == 0)
            break;
        else
            len += (size_t)n;
    }
    if (r == RF_OK && len > cap)
        r = RF_TOOBIG;
    int e = errno;
    close(fd);
    if (r != RF_OK) {
        free(buf);
        errno = e ? e : ENOMEM;
        return r;
    }
    buf[len] = '\0';
    *bufp = buf;
    if (lenp)
        *lenp = len;
    return RF_OK;
}

int rf_read_small(const char *path, char *buf, size_t n, unsigned flags, const char **kind)
{
    if (n == 0)
        return RF_TOOBIG;
    buf[0] = '\0';
    int fd = rf_open_at(AT_FDCWD, path, n - 1, flags, kind);
    if (fd < 0)
        return fd;
    size_t len = 0;
    int r = RF_OK;
    char extra;
    while (r == RF_OK) {
        ssize_t got = len < n - 1 ? read(fd, buf + len, n - 1 - len) : read(fd, &extra, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            r = RF_ERROR;
        else if (got == 0)
            break;
        else if (len == n - 1)
            r = RF_TOOBIG; /* it grew past the size fstat reported */
        else
            len += (size_t)got;
    }
    int e = errno;
    close(fd);
    buf[r == RF_OK ? len : 0] = '\0';
    errno = e;
    return r;
}

FILE *rf_fopen(const char *path, size_t cap, unsigned flags, int *code, const char **kind)
{
    int fd = rf_open_at(AT_FDCWD, path, cap, flags, kind);
    if (fd < 0) {
        *code = fd;
        return NULL;
    }
    FILE *f = fdopen(fd, "r");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
        *code = RF_ERROR;
    }
    return f;
}

const char *rf_why(int code, const char *kind, size_t cap, char *buf, size_t n)
{
    int e = errno;
    switch (code) {
    case RF_NOTFILE:
        snprintf(buf, n, "it is %s, not a regular file", kind ? kind : "not a regular file");
        break;
    case RF_TOOBIG:
        snprintf(buf, n, "it is larger than %zu bytes", cap);
        break;
    default:
        snprintf(buf, n, "%s", strerror(e));
        break;
    }
    return buf;
}
