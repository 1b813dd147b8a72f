#include "homecheck.h"
#include "strutil.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/auxv.h>
#endif

/* The effective uid without a system call where the kernel hands it over
 * (the shim runs this on every call). */
static uid_t my_euid(void)
{
#ifdef __linux__
    errno = 0;
    unsigned long v = getauxval(AT_EUID);
    if (v != 0 || errno != ENOENT)
        return (uid_t)v;
#endif
    return geteuid();
}

int home_judge(const char *path, const struct stat *st, char *err, size_t errlen)
{
    uid_t me = my_euid();
    if (st->st_uid != me && st->st_uid != 0) {
        str_fmt(err, errlen, "refusing to use %s: it belongs to user %lu, not to you (%lu) or root, so a program "
                "planted there would run as you; use a NODUS_HOME of your own, or make it yours (chown -R %lu %s)",
                path, (unsigned long)st->st_uid, (unsigned long)me, (unsigned long)me, path);
        return -1;
    }
    if (st->st_mode & (S_IWGRP | S_IWOTH)) {
        str_fmt(err, errlen, "refusing to use %s: it is writable by %s (mode %04o), so a program planted there "
                "would run as you; fix it with 'chmod go-w %s'",
                path, (st->st_mode & S_IWOTH) ? "others" : "its group", (unsigned)(st->st_mode & 07777), path);
        return -1;
    }
    return 0;
}

int home_check(const nodus_paths *p, char *err, size_t errlen)
{
    char path[PATH_MAX];
    struct stat st;
    int (*const parts[])(const nodus_paths *, char *, size_t) = {path_versions, path_shims, path_default};
    if (stat(p->home, &st) == 0 && home_judge(p->home, &st, err, errlen))
        return -1;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i](p, path, sizeof path) == 0 && stat(path, &st) == 0 && home_judge(path, &st, err, errlen))
            return -1;
    return 0;
}

int home_check_exempt(const char *cmd)
{
    static const char *const names[] = {"help", "version", "init", "config", "doctor", NULL};
    for (int i = 0; names[i]; i++)
        if (strcmp(cmd, names[i]) == 0)
            return 1;
    return 0;
}
