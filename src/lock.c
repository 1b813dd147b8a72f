#include "lock.h"
#include "fsutil.h"
#include "msg.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

int lock_take(const nodus_paths *p, const char *name, int quiet)
{
    char tmp[PATH_MAX], path[PATH_MAX];
    if (path_tmp(p, tmp, sizeof tmp) || path_lock(p, name, path, sizeof path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (fs_mkdir_p(tmp))
        return -1;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return fd;
    if (errno != EWOULDBLOCK) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (!quiet)
        msg_note("waiting for another nodus to finish with %s...", name);
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
    }
    return fd;
}

void lock_release(int fd)
{
    if (fd >= 0)
        close(fd);
}
