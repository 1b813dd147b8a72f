#include "fsutil.h"
#include "readfile.h"
#include "strutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    if (str_copy(buf, sizeof buf, path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return -1;
    return fs_is_dir(buf) ? 0 : (errno = ENOTDIR, -1);
}

/* Removes entries relative to an open directory so that a concurrent
 * symlink swap cannot redirect the deletion outside the tree. */
static int rm_at(int dirfd, const char *name)
{
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT) ? 0 : -1;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    /* A directory its owner may not read or write (a tarball's 0555 or
     * 0000) keeps its entries, even from its owner, until it may. */
    if (fd < 0 && errno == EACCES && fchmodat(dirfd, name, 0700, 0) == 0)
        fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if ((st.st_mode & S_IRWXU) != S_IRWXU)
        fchmod(fd, (st.st_mode & 07777) | S_IRWXU);
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (rm_at(fd, de->d_name) != 0)
            rc = -1;
    }
    closedir(d);
    if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

int fs_rm_rf(const char *path)
{
    return rm_at(AT_FDCWD, path);
}

int fs_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

int fs_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
    char tmp[PATH_MAX], dir[PATH_MAX];
    if (str_fmt(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) || str_copy(dir, sizeof dir, path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    int saved;
    if (fchmod(fd, mode) != 0 || fs_write_all(fd, data, len) != 0 || fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    fs_sync_dir(slash ? dir : ".");
    return 0;
fail:
    saved = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    errno = saved;
    return -1;
}

char *fs_read_file(const char *path, size_t max, size_t *len)
{
    char *buf = NULL;
    const char *kind = NULL;
    int r = rf_read_at(AT_FDCWD, path, max, 0, &buf, len, &kind);
    if (r == RF_OK)
        return buf;
    if (r == RF_NOTFILE)
        errno = kind && strcmp(kind, "a directory") == 0 ? EISDIR : EINVAL;
    else if (r == RF_TOOBIG)
        errno = EFBIG;
    return NULL;
}

char *fs_read_doc(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    char *text = fs_read_file(path, max, len);
    if (!text)
        str_fmt(err, errlen, "%s: cannot read: %s", path, errno == EFBIG ? "too large" : strerror(errno));
    return text;
}

int fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}
