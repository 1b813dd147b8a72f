#include "platform_compat.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#if NODUS_LINUX_FAST

int compat_sync_tree(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int r = syncfs(fd);
    close(fd);
    return r;
}

#else

/* Without syncfs, each file and directory of the tree is synced by itself;
 * symlinks are not followed (their target may be outside the tree). The
 * first error is kept and the walk goes on, so as much as possible is
 * durable. */
static int sync_at(int at, const char *name, int depth)
{
    struct stat st;
    if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return -1;
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return 0;
    int fd = openat(at, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
    if (fd < 0)
        return -1;
    int rc = 0;
    if (S_ISDIR(st.st_mode) && depth < 256) {
        int lfd = dup(fd);
        DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
        if (!d) {
            if (lfd >= 0)
                close(lfd);
            rc = -1;
        } else {
            struct dirent *de;
            while ((de = readdir(d)) != NULL)
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 && sync_at(fd, de->d_name, depth + 1))
                    rc = -1;
            closedir(d);
        }
    }
    if (fsync(fd) != 0)
        rc = -1;
    close(fd);
    return rc;
}

int compat_sync_tree(const char *dir)
{
    return sync_at(AT_FDCWD, dir, 0);
}

#endif

void *compat_shared_alloc(size_t n)
{
    void *p;
#if NODUS_LINUX_FAST
    p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
#else
    int fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
#endif
    return p == MAP_FAILED ? NULL : p;
}

void compat_shared_free(void *p, size_t n)
{
    if (p)
        munmap(p, n);
}
