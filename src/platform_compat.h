/* The one place where a Linux-only call meets its POSIX counterpart.
 *
 * NODUS_LINUX_FAST is 1 on Linux builds, and 0 everywhere else and in the
 * PORTABLE build (make PORTABLE=1: -D_POSIX_C_SOURCE=200809L
 * -D_XOPEN_SOURCE=700 -DNODUS_PORTABLE, no _GNU_SOURCE), which compiles on
 * Linux exactly the code macOS and the BSDs run, so the whole suite can
 * test it here. Call sites use the names below and stay free of #ifs;
 * what only one OS can tell (the running executable's path, a struct stat
 * field's name) is chosen by OS, since no POSIX call answers it. */
#ifndef NODUS_PLATFORM_COMPAT_H
#define NODUS_PLATFORM_COMPAT_H

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#if defined(__APPLE__)
#include <mach-o/dyld.h>
#include <stdlib.h>
#elif defined(__FreeBSD__)
#include <sys/sysctl.h>
#endif

#if defined(__linux__) && !defined(NODUS_PORTABLE)
#define NODUS_LINUX_FAST 1
#else
#define NODUS_LINUX_FAST 0
#endif

/* Open a directory only to look names up in it (openat relative to it),
 * for directories we may search but not list (mode --x). Linux: O_PATH;
 * POSIX 2008: O_SEARCH where the system has it (FreeBSD, musl); otherwise
 * -1 (EACCES), and such a directory is skipped, as on macOS. */
static inline int compat_open_search_dir(int at, const char *name)
{
#if NODUS_LINUX_FAST
    return openat(at, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
#elif defined(O_SEARCH)
    return openat(at, name, O_SEARCH | O_DIRECTORY | O_CLOEXEC);
#else
    (void)at;
    (void)name;
    return -1;
#endif
}

/* The 1-minute load average, or -1 when it cannot be had. getloadavg is
 * not POSIX (glibc, macOS and the BSDs have it outside strict mode): the
 * PORTABLE build takes the load as unknown, which archive_format auto
 * treats as an idle machine. */
#if NODUS_LINUX_FAST
#include <stdlib.h>
#endif
static inline double compat_loadavg(void)
{
#if NODUS_LINUX_FAST
    double load[1];
    return getloadavg(load, 1) == 1 ? load[0] : -1;
#else
    return -1;
#endif
}

/* 1 when readdir's entry is known to be a directory without a stat.
 * d_type is not POSIX (and a filesystem may leave it DT_UNKNOWN), so the
 * portable answer is 0: the caller then stats. */
static inline int compat_dirent_is_dir(const struct dirent *de)
{
#if NODUS_LINUX_FAST
    return de->d_type == DT_DIR;
#else
    (void)de;
    return 0;
#endif
}

/* struct stat's access and modification times as struct timespec. POSIX
 * 2008 names them st_atim/st_mtim; macOS keeps its own names. */
#if defined(__APPLE__)
#define COMPAT_ST_ATIM(st) ((st)->st_atimespec)
#define COMPAT_ST_MTIM(st) ((st)->st_mtimespec)
#else
#define COMPAT_ST_ATIM(st) ((st)->st_atim)
#define COMPAT_ST_MTIM(st) ((st)->st_mtim)
#endif

/* The absolute path of the running executable, NUL-terminated, into buf.
 * Returns its length, or -1. Linux (and the PORTABLE build on Linux):
 * /proc/self/exe; macOS: _NSGetExecutablePath, resolved; FreeBSD: the
 * kern.proc.pathname sysctl. */
static inline ssize_t compat_self_exe(char *buf, size_t n)
{
#if defined(__APPLE__)
    char raw[PATH_MAX];
    uint32_t len = sizeof raw;
    if (n < PATH_MAX || _NSGetExecutablePath(raw, &len) != 0 || !realpath(raw, buf))
        return -1;
    size_t l = 0;
    while (buf[l])
        l++;
    return (ssize_t)l;
#elif defined(__FreeBSD__)
    int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PATHNAME, -1};
    size_t len = n;
    if (sysctl(mib, 4, buf, &len, NULL, 0) != 0 || len == 0)
        return -1;
    return (ssize_t)len - 1;
#else
    if (n == 0)
        return -1;
    ssize_t got = readlink("/proc/self/exe", buf, n - 1);
    if (got <= 0 || (size_t)got >= n - 1)
        return -1; /* a path that may have been cut short is refused */
    buf[got] = '\0';
    return got;
#endif
}

/* stat of the running executable: on Linux one stat of /proc/self/exe
 * (the shim's path to exec stays a handful of syscalls). */
static inline int compat_stat_self(struct stat *st)
{
#if defined(__linux__)
    return stat("/proc/self/exe", st);
#else
    char self[PATH_MAX];
    return compat_self_exe(self, sizeof self) > 0 ? stat(self, st) : -1;
#endif
}

/* Make a finished tree durable before it is renamed into place (the
 * rename's own directory is synced by the caller). Linux: one syncfs on
 * the tree's filesystem; elsewhere an fsync of every file and directory
 * in it. Returns 0 or -1 (errno set); callers treat it as best effort. */
int compat_sync_tree(const char *dir);

/* n bytes of zeroed memory that a fork()ed child shares with its parent
 * (the progress of a parallel install), or NULL. MAP_ANONYMOUS is not in
 * POSIX 2008: the PORTABLE build maps /dev/zero, which every POSIX
 * system shares across fork the same way. Freed with compat_shared_free. */
void *compat_shared_alloc(size_t n);
void compat_shared_free(void *p, size_t n);

#endif
