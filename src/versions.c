#include "versions.h"
#include "fsutil.h"
#include "lock.h"
#include "msg.h"
#include "readfile.h"
#include "resolve.h"
#include "shims.h"
#include "strutil.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int versions_request(const nodus_ctx *ctx, int warn, res_request *out)
{
    int quiet = ctx->quiet || ctx->json;
    return resolve_request(&ctx->paths, NULL, ctx->no_engines ? VF_NO_ENGINES : 0,
                           warn ? resolve_warn_print : NULL, &quiet, out);
}

int versions_installed(const nodus_ctx *ctx, vlist_t *out)
{
    char dir[PATH_MAX];
    memset(out, 0, sizeof *out);
    if (path_versions(&ctx->paths, dir, sizeof dir) || vlist_installed(dir, out)) {
        msg_err("cannot read %s: %s", dir, strerror(errno));
        return EXIT_IO;
    }
    return 0;
}

void versions_lts(const nodus_ctx *ctx, lts_table *out)
{
    char path[PATH_MAX];
    memset(out, 0, sizeof *out);
    if (path_lts(&ctx->paths, path, sizeof path) == 0)
        lts_load(path, out);
}

/* .nodus-meta is a few short lines that nodus wrote itself. */
#define META_CAP (64u * 1024u)

void versions_meta(const nodus_ctx *ctx, const char *vname, const char *key, char *buf, size_t n)
{
    char path[PATH_MAX], line[4096];
    size_t kl = strlen(key);
    buf[0] = '\0';
    if (path_version_meta(&ctx->paths, vname, path, sizeof path))
        return;
    int code;
    FILE *f = rf_fopen(path, META_CAP, RF_NOFOLLOW, &code, NULL);
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, kl) == 0 && line[kl] == '=') {
            line[strcspn(line, "\n")] = '\0';
            if (str_copy(buf, n, line + kl + 1))
                buf[0] = '\0'; /* shown as unknown rather than cut */
            break;
        }
    }
    fclose(f);
}

int versions_spec(const nodus_ctx *ctx, const char *text, spec_t *out)
{
    char err[512];
    if (resolve_alias(&ctx->paths, text, out, err, sizeof err)) {
        msg_err("%s", err);
        return EXIT_USAGE;
    }
    return 0;
}

const index_entry *versions_pick_remote(const nodus_ctx *ctx, const release_index *ix, const spec_t *s, int *rc)
{
    if (s->kind == SPEC_SYSTEM) {
        msg_err("'system' is the node outside nodus; it cannot be installed with nodus");
        *rc = EXIT_USAGE;
        return NULL;
    }
    const index_entry *without_build = NULL;
    for (size_t i = 0; i < ix->list.n; i++) {
        const vent_t *e = &ix->list.items[i];
        if (!spec_matches(s, e, &ix->list, &ix->lts))
            continue;
        const index_entry *ie = &ix->entries[e->index];
        if (ie->nfiles == 0 || index_has_platform(ie, ctx->platform))
            return ie;
        if (!without_build)
            without_build = ie;
    }
    if (without_build)
        msg_err("no release matching '%s' has a %s build (%s is the newest match, without one); "
                "choose another version", s->text, ctx->platform, without_build->version);
    else if (s->kind == SPEC_LTS_NAME)
        msg_err("there is no LTS line named '%s' in the release index; see 'nodus ls-remote --lts'", s->name);
    else
        msg_err("no release matches '%s'; see 'nodus ls-remote' for what there is", s->text);
    *rc = EXIT_NOT_FOUND;
    return NULL;
}

void versions_reshim(const nodus_ctx *ctx)
{
    char err[1024];
    if (shims_refresh(ctx, err, sizeof err))
        msg_warn("%s", err);
}

int versions_remove(const nodus_ctx *ctx, const char *vname)
{
    char dir[PATH_MAX], tmp[PATH_MAX], trash[PATH_MAX], inside[PATH_MAX], lockname[160];
    if (str_fmt(lockname, sizeof lockname, "install-%s", vname) ||
        path_version(&ctx->paths, vname, dir, sizeof dir) || path_tmp(&ctx->paths, tmp, sizeof tmp) ||
        path_trash_template(&ctx->paths, vname, (long)getpid(), trash, sizeof trash)) {
        msg_err("cannot remove %s: NODUS_HOME is too long", vname);
        return EXIT_FAIL;
    }
    int lk = lock_take(&ctx->paths, lockname, ctx->quiet);
    if (lk < 0 || fs_mkdir_p(tmp) || !mkdtemp(trash)) {
        msg_err("cannot prepare removing %s: %s; check that %s is writable", vname, strerror(errno), ctx->paths.home);
        lock_drop(&ctx->paths, lockname, lk);
        return EXIT_IO;
    }
    int rc = 0;
    if (str_fmt(inside, sizeof inside, "%s/%s", trash, vname) || rename(dir, inside) != 0) {
        if (errno == ENOENT) {
            /* Listed a moment ago, gone now that we hold the lock. */
            msg_err("node %s is not installed any more (another nodus uninstalled it meanwhile)", vname);
            rc = EXIT_NOT_INSTALLED;
        } else {
            msg_err("cannot remove %s: %s", dir, strerror(errno));
            rc = EXIT_IO;
        }
    }
    lock_drop(&ctx->paths, lockname, lk);
    if (fs_rm_rf(trash) != 0)
        msg_warn("could not delete all of %s; 'nodus doctor' will find it", trash);
    return rc;
}

int versions_resolve(const nodus_ctx *ctx, const char *spec, char *vname, size_t n, char *err, size_t errlen)
{
    res_request req;
    resolution res;
    resolve_arg_request(spec, &req);
    int r = resolve_installed(&ctx->paths, &req, &res, err, errlen);
    if (r == RES_OK)
        str_copy(vname, n, res.vname);
    else
        vname[0] = '\0';
    return r;
}

int versions_alias_name_check(const char *name, char *err, size_t errlen)
{
    size_t len = strlen(name);
    int chars_ok = len > 0 && len < 64 && ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'));
    for (size_t i = 1; chars_ok && i < len; i++) {
        char c = name[i];
        chars_ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                   c == '_' || c == '-';
    }
    if (!chars_ok) {
        str_fmt(err, errlen, "'%s' cannot be an alias name; use a letter, then letters, digits, '.', '_' or '-' "
                "(at most 63)", name);
        return -1;
    }
    if (strcmp(name, "default") == 0)
        return 0;
    spec_t s;
    char why[256];
    int parsed = spec_parse(name, &s, why, sizeof why) == 0;
    int is_alias = parsed && s.kind == SPEC_ALIAS;
    if (parsed)
        spec_free(&s);
    if (is_alias)
        return 0;
    str_fmt(err, errlen, "'%s' already means a version (it is a version spec); choose another alias name", name);
    return -1;
}

int versions_tmp_owner(const char *name, long *pid)
{
    const char *rest;
    if (str_starts(name, "stage-"))
        rest = name + 6;
    else if (str_starts(name, "trash-"))
        rest = name + 6;
    else
        return 0;
    /* <vname>-<pid>-XXXXXX: the pid is the second field from the end, so a
     * prerelease vname with '-' in it still parses. */
    const char *last = strrchr(rest, '-');
    if (!last || last == rest || strlen(last + 1) != 6)
        return 0;
    const char *p = last;
    while (p > rest && p[-1] >= '0' && p[-1] <= '9')
        p--;
    if (p == last || p == rest || p[-1] != '-' || p - 1 == rest)
        return 0;
    char *end;
    long v = strtol(p, &end, 10);
    if (end != last || v <= 0)
        return 0;
    *pid = v;
    return 1;
}

int versions_pid_alive(long pid)
{
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

static int alias_cmp(const void *a, const void *b)
{
    return strcmp(((const alias_ent *)a)->name, ((const alias_ent *)b)->name);
}

int versions_aliases(const nodus_ctx *ctx, alias_ent **out, size_t *n)
{
    char dir[PATH_MAX], path[PATH_MAX], why[256];
    *out = NULL;
    *n = 0;
    if (path_aliases(&ctx->paths, dir, sizeof dir))
        return -1;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        /* fs_write_atomic's temporary files are NAME.tmp-XXXXXX. */
        if (strstr(de->d_name, ".tmp-") || strcmp(de->d_name, "default") == 0 ||
            versions_alias_name_check(de->d_name, why, sizeof why) != 0)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            alias_ent *na = realloc(*out, ncap * sizeof *na);
            if (!na) {
                closedir(d);
                free(*out);
                *out = NULL;
                *n = 0;
                errno = ENOMEM;
                return -1;
            }
            *out = na;
            cap = ncap;
        }
        alias_ent *a = &(*out)[*n];
        str_copy(a->name, sizeof a->name, de->d_name);
        if (path_alias(&ctx->paths, a->name, path, sizeof path) == 0 &&
            read_spec_file(path, a->spec, sizeof a->spec) == 0)
            (*n)++;
    }
    closedir(d);
    if (*n > 1)
        qsort(*out, *n, sizeof **out, alias_cmp);
    return 0;
}
