#include "shared.h"
#include "strutil.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int shared_next(const char **cur, char *dir, size_t n)
{
    while (*cur && **cur) {
        const char *s = *cur, *colon = strchr(s, ':');
        size_t len = colon ? (size_t)(colon - s) : strlen(s);
        *cur = colon ? colon + 1 : s + len;
        if (len == 0 || s[0] != '/' || len >= n)
            continue;
        memcpy(dir, s, len);
        dir[len] = '\0';
        while (len > 1 && dir[len - 1] == '/')
            dir[--len] = '\0';
        return 1;
    }
    return 0;
}

int shared_trusted(const char *dir, char *why, size_t n)
{
    struct stat st;
    const char *bad = NULL;
    if (stat(dir, &st) != 0)
        bad = errno == ENOENT ? "it does not exist" : "it cannot be read";
    else if (!S_ISDIR(st.st_mode))
        bad = "it is not a directory";
    else if (st.st_uid != 0 && st.st_uid != getuid())
        bad = "it belongs to another user";
    else if (st.st_mode & (S_IWGRP | S_IWOTH))
        bad = "others can write it";
    if (bad && why)
        str_copy(why, n, bad);
    return bad == NULL;
}
