#include "shims.h"
#include "fsutil.h"
#include "lock.h"
#include "strutil.h"
#include "vlist.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const core_cmds[] = {"node", "npm", "npx", "corepack", NULL};

int shims_binary(const nodus_ctx *ctx, char *out, size_t n)
{
    return ctx_program(ctx, "NODUS_SHIM_BIN", "nodus-shim", out, n);
}

typedef struct {
    char **names;
    size_t n, cap;
} nameset;

static int set_has(const nameset *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0)
            return 1;
    return 0;
}

static int set_add(nameset *s, const char *name)
{
    if (set_has(s, name))
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        char **nn = realloc(s->names, cap * sizeof *nn);
        if (!nn)
            return -1;
        s->names = nn;
        s->cap = cap;
    }
    return (s->names[s->n] = strdup(name)) ? (s->n++, 0) : -1;
}

static void set_free(nameset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->names[i]);
    free(s->names);
}

static int usable_name(const char *n)
{
    return n[0] && n[0] != '.' && !strchr(n, '/') && strcmp(n, "nodus") != 0 && strcmp(n, "nodus-shim") != 0;
}

static int collect(const nodus_ctx *ctx, nameset *want)
{
    for (int i = 0; core_cmds[i]; i++)
        if (set_add(want, core_cmds[i]))
            return -1;
    char vdir[PATH_MAX];
    vlist_t l = {0};
    if (path_versions(&ctx->paths, vdir, sizeof vdir) || vlist_installed(vdir, &l))
        return -1;
    for (size_t i = 0; i < l.n; i++) {
        char vname[SEMVER_PRE_MAX + 64], bin[PATH_MAX];
        vname[0] = 'v';
        semver_format(&l.items[i].v, vname + 1, sizeof vname - 1);
        if (path_version_bin(&ctx->paths, vname, bin, sizeof bin))
            continue;
        DIR *d = opendir(bin);
        if (!d)
            continue;
        struct dirent *de;
        while ((de = readdir(d)) != NULL)
            if (usable_name(de->d_name) && set_add(want, de->d_name)) {
                closedir(d);
                vlist_free(&l);
                return -1;
            }
        closedir(d);
    }
    vlist_free(&l);
    return 0;
}

static int link_one(const char *shims, const char *name, const char *target)
{
    char path[PATH_MAX], tmp[PATH_MAX], cur[PATH_MAX];
    if (str_fmt(path, sizeof path, "%s/%s", shims, name) ||
        str_fmt(tmp, sizeof tmp, "%s/.%s.tmp-%ld", shims, name, (long)getpid()))
        return -1;
    ssize_t n = readlink(path, cur, sizeof cur - 1);
    if (n > 0) {
        cur[n] = '\0';
        if (strcmp(cur, target) == 0)
            return 0;
    }
    unlink(tmp);
    if (symlink(target, tmp) != 0)
        return -1;
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static void remove_stale(const char *shims, const nameset *want, const char *target)
{
    DIR *d = opendir(shims);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char path[PATH_MAX], cur[PATH_MAX];
        if (de->d_name[0] == '.' || set_has(want, de->d_name))
            continue;
        if (str_fmt(path, sizeof path, "%s/%s", shims, de->d_name))
            continue;
        ssize_t n = readlink(path, cur, sizeof cur - 1);
        /* Only our own links go; anything else the user put there stays. */
        if (n > 0 && (cur[n] = '\0', strcmp(cur, target) == 0))
            unlink(path);
    }
    closedir(d);
}

int shims_refresh(const nodus_ctx *ctx, char *err, size_t errlen)
{
    char target[PATH_MAX], shims[PATH_MAX];
    err[0] = '\0';
    if (shims_binary(ctx, target, sizeof target)) {
        str_fmt(err, errlen, "cannot find nodus-shim next to nodus (in %s or ../libexec/nodus); reinstall nodus",
                ctx->self_dir);
        return -1;
    }
    if (path_shims(&ctx->paths, shims, sizeof shims) || fs_mkdir_p(shims)) {
        str_fmt(err, errlen, "cannot create the shims directory %s: %s", shims, strerror(errno));
        return -1;
    }
    int lk = lock_take(&ctx->paths, "shims", 1);
    nameset want = {0};
    int rc = collect(ctx, &want);
    for (size_t i = 0; rc == 0 && i < want.n; i++)
        if (link_one(shims, want.names[i], target)) {
            str_fmt(err, errlen, "cannot create the shim %s/%s: %s", shims, want.names[i], strerror(errno));
            rc = -1;
        }
    if (rc == 0)
        remove_stale(shims, &want, target);
    else if (!err[0])
        str_fmt(err, errlen, "cannot list the installed versions: %s", strerror(errno));
    set_free(&want);
    lock_release(lk);
    return rc;
}
