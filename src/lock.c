#include "lock.h"
#include "fsutil.h"
#include "msg.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether fd is still the file at path (lock_drop unlinks lock files). */
static int still_there(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int lock_fd(int fd, int quiet, const char *name, int *noted)
{
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno != EWOULDBLOCK)
        return -1;
    if (!quiet && !*noted) {
        msg_note("waiting for another nodus to finish with %s...", name);
        *noted = 1;
    }
    while (flock(fd, LOCK_EX) != 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

int lock_take(const nodus_paths *p, const char *name, int quiet)
{
    char tmp[PATH_MAX], path[PATH_MAX];
    if (path_tmp(p, tmp, sizeof tmp) || path_lock(p, name, path, sizeof path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (fs_mkdir_p(tmp))
        return -1;
    int noted = 0;
    for (;;) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
            return -1;
        if (lock_fd(fd, quiet, name, &noted) != 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (still_there(fd, path))
            return fd;
        close(fd); /* dropped while we waited: take the new one */
    }
}

void lock_release(int fd)
{
    if (fd >= 0)
        close(fd);
}

void lock_drop(const nodus_paths *p, const char *name, int fd)
{
    char path[PATH_MAX];
    if (fd < 0)
        return;
    if (path_lock(p, name, path, sizeof path) == 0 && still_there(fd, path))
        unlink(path);
    close(fd);
}
