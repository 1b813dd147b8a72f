#include "resolve.h"
#include "homecheck.h"
#include "msg.h"
#include "platform_compat.h"
#include "readfile.h"
#include "shared.h"
#include "strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#if NODUS_LINUX_FAST
#include <sys/syscall.h>
#endif
#include <unistd.h>

#define ALIAS_DEPTH 8

/* Shells keep the logical directory in PWD; walking up from it (rather
 * than from getcwd's physical path) finds the version file of the project
 * the user cd'ed into through a symlink, as nvm and fnm do. PWD is trusted
 * only when it names the same directory as ".". */
static int logical_cwd(char *buf, size_t n, int *physical)
{
    const char *pwd = getenv("PWD");
    struct stat a, b;
    if (!getcwd(buf, n))
        return -1;
    *physical = 1;
    if (!pwd || pwd[0] != '/' || strcmp(pwd, buf) == 0)
        return 0;
    if (stat(pwd, &a) == 0 && stat(".", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
        str_copy(buf, n, pwd) == 0)
        *physical = 0; /* reached through a symlink: walk the names, not ".." */
    return 0;
}

/* Drop the last component: "/a/b" -> "/a", "/a" -> "/". Returns 0 when
 * dir was already the root. */
static int parent_dir(char *dir)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        dir[--len] = '\0';
    if (len <= 1)
        return 0;
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    return 1;
}

/* The bit of vfile_names a directory entry's name is, or 0. */
static int name_bit(const char *name)
{
    for (int k = 0; k < VF_COUNT; k++)
        if (name[0] == vfile_names[k][0] && strcmp(name, vfile_names[k]) == 0)
            return 1 << k;
    return 0;
}

#if NODUS_LINUX_FAST
/* Which of the version-file names a directory holds, from one getdents64
 * call: for the directories a project tree is made of, one read instead of
 * four failed opens. Returns a bit mask (bit k: vfile_names[k] may be
 * there), or -1 when the directory was too large to be read in one call
 * (then every name is tried). */
static int present_names(int dfd)
{
    char buf[8192] __attribute__((aligned(8)));
    long n = syscall(SYS_getdents64, dfd, buf, sizeof buf);
    if (n < 0 || (size_t)n > sizeof buf - 512)
        return -1; /* a short read means the directory is exhausted */
    int mask = 0;
    for (long off = 0; off < n;) {
        const struct linux_dirent64_view {
            unsigned long long ino;
            long long off;
            unsigned short reclen;
            unsigned char type;
            char name[];
        } *d = (const void *)(buf + off);
        mask |= name_bit(d->name);
        if (d->reclen == 0)
            break;
        off += d->reclen;
    }
    return mask;
}
#else
/* The same from readdir on a duplicate of dfd (closedir closes what
 * fdopendir was given; dfd stays open for the lookups). As with one
 * getdents64 call, a large directory is not read to its end: after
 * PRESENT_MAX entries every name is tried instead. */
#define PRESENT_MAX 256
static int present_names(int dfd)
{
    int lfd = dup(dfd);
    DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
    if (!d) {
        if (lfd >= 0)
            close(lfd);
        return -1;
    }
    int mask = 0, seen = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL && ++seen <= PRESENT_MAX)
        mask |= name_bit(de->d_name);
    if (de || errno != 0)
        mask = -1;
    closedir(d);
    return mask;
}
#endif

/* A directory we may search but not list (mode --x) is still searched:
 * then by name (compat_open_search_dir), as present_names cannot read it. */
static int open_dir(int at, const char *name)
{
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return fd >= 0 ? fd : compat_open_search_dir(at, name);
}

static int try_dir(int dfd, const char *dir, unsigned vflags, res_warn_fn warn, void *ud, res_request *out)
{
    int found = 0, mask = present_names(dfd);
    for (int k = 0; k < VF_COUNT && !found && mask != 0; k++) {
        if (mask > 0 && !(mask & (1 << k)))
            continue;
        char err[256];
        int r = vfile_read_at(dfd, vfile_names[k], (vfile_kind)k, vflags, &out->vf, err, sizeof err);
        if (r == VF_NONE)
            continue;
        char path[PATH_MAX];
        const char *sep = (dir[0] == '/' && dir[1] == '\0') ? "" : "/";
        if (str_fmt(path, sizeof path, "%s%s%s", dir, sep, vfile_names[k]))
            str_fmt(path, sizeof path, "%s in a directory too deep to name", vfile_names[k]);
        if (r == VF_FOUND) {
            out->source = REQ_FILE;
            out->kind = (vfile_kind)k;
            str_copy(out->origin, sizeof out->origin, path);
            found = 1;
        } else if (warn) {
            warn(ud, path, err);
        }
    }
    return found;
}

/* The working directory has no name getcwd can return (deeper than
 * PATH_MAX, or removed): walk up from "." through ".." by descriptor, and
 * name what is found relative to it ("../../.nvmrc"). When the walk cannot
 * reach the root, say so: the default must not be chosen silently. */
static int walk_unnamed(unsigned vflags, res_warn_fn warn, void *ud, res_request *out)
{
    char rel[PATH_MAX] = ".", why[256] = "";
    size_t depth = 0;
    int dfd = open_dir(AT_FDCWD, "."), found = 0;
    if (dfd < 0)
        str_fmt(why, sizeof why, "cannot open the working directory: %s", strerror(errno));
    while (dfd >= 0) {
        struct stat here, up;
        if (try_dir(dfd, rel, vflags, warn, ud, out)) {
            found = 1;
            break;
        }
        int next = open_dir(dfd, "..");
        if (next < 0 || fstat(dfd, &here) != 0 || fstat(next, &up) != 0) {
            str_fmt(why, sizeof why, "cannot open the directory %zu levels above the working directory: %s",
                    depth + 1, strerror(errno));
            if (next >= 0)
                close(next);
            break;
        }
        close(dfd);
        dfd = next;
        if (here.st_dev == up.st_dev && here.st_ino == up.st_ino)
            break; /* ".." of the root is the root */
        depth++;
        size_t len = strlen(rel);
        if (depth == 1)
            str_copy(rel, sizeof rel, "..");
        else if (len + 4 < sizeof rel && rel[0] == '.')
            memcpy(rel + len, "/..", 4);
        else
            str_fmt(rel, sizeof rel, "(%zu directories above the working directory)", depth);
    }
    if (dfd >= 0)
        close(dfd);
    if (!found && why[0] && warn && !(warn == resolve_warn_print && ud && *(const int *)ud))
        msg_warn("the search for version files stopped: %s; only NODUS_VERSION and the default apply", why);
    return found;
}

int resolve_request(const nodus_paths *p, const char *cwd, unsigned vflags,
                    res_warn_fn warn, void *ud, res_request *out)
{
    memset(out, 0, sizeof *out);
    const char *env = getenv("NODUS_VERSION");
    if (env && env[0]) {
        out->source = REQ_ENV;
        str_copy(out->origin, sizeof out->origin, "NODUS_VERSION");
        out->vf.n = 1;
        if (str_copy(out->vf.specs[0], sizeof out->vf.specs[0], env) != 0) {
            out->vf.specs[0][0] = '\0';
            out->too_long = strlen(env); /* refused by resolve_installed, never cut */
            return 1;
        }
        str_trim(out->vf.specs[0]);
        if (out->vf.specs[0][0])
            return 1;
        memset(out, 0, sizeof *out); /* blank counts as unset, not as "any version" */
    }
    char dir[PATH_MAX];
    int physical = 0;
    if (cwd ? str_copy(dir, sizeof dir, cwd) == 0 : logical_cwd(dir, sizeof dir, &physical) == 0) {
        /* Without symlinks in the way, each parent is opened through ".."
         * of the last one: one lookup instead of the whole path again. */
        int dfd = open_dir(AT_FDCWD, dir);
        for (;;) {
            if (dfd >= 0 && try_dir(dfd, dir, vflags, warn, ud, out)) {
                close(dfd);
                return 1;
            }
            if (!parent_dir(dir))
                break;
            int next = physical && dfd >= 0 ? open_dir(dfd, "..") : open_dir(AT_FDCWD, dir);
            if (dfd >= 0)
                close(dfd);
            dfd = next;
        }
        if (dfd >= 0)
            close(dfd);
    }
    else if (!cwd && walk_unnamed(vflags, warn, ud, out))
        return 1;
    return resolve_default_request(p, out);
}

int resolve_default_request(const nodus_paths *p, res_request *out)
{
    memset(out, 0, sizeof *out);
    if (path_default(p, out->origin, sizeof out->origin) == 0 &&
        read_spec_file(out->origin, out->vf.specs[0], sizeof out->vf.specs[0]) == 0) {
        out->source = REQ_DEFAULT;
        out->vf.n = 1;
        return 1;
    }
    memset(out, 0, sizeof *out);
    return 0;
}

void resolve_warn_print(void *quiet, const char *path, const char *why)
{
    if (!quiet || !*(const int *)quiet)
        msg_warn("ignoring %s: %s; fix or remove it", path, why);
}

/* A spec file (default, alias) is a line; more than this is not one. */
#define SPEC_FILE_CAP 4096

int read_spec_file(const char *path, char *buf, size_t n)
{
    char text[SPEC_FILE_CAP + 1], why[128];
    const char *kind = NULL;
    int r = rf_read_small(path, text, sizeof text, 0, &kind);
    buf[0] = '\0';
    if (r == RF_MISSING)
        return -1;
    if (r != RF_OK) {
        msg_warn("ignoring %s: %s; remove it or write a version spec in it", path,
                 rf_why(r, kind, SPEC_FILE_CAP, why, sizeof why));
        return -1;
    }
    text[strcspn(text, "\r\n")] = '\0';
    str_trim(text);
    if (str_copy(buf, n, text) != 0) {
        buf[0] = '\0';
        msg_warn("ignoring %s: its spec is longer than %zu bytes; write a shorter one", path, n - 1);
        return -1;
    }
    return buf[0] ? 0 : -1;
}

int resolve_alias(const nodus_paths *p, const char *text, spec_t *out, char *err, size_t errlen)
{
    char cur[SPEC_TEXT_MAX];
    if (str_copy(cur, sizeof cur, text) != 0) {
        str_fmt(err, errlen, "the version spec is %zu bytes long; at most %d are allowed", strlen(text),
                SPEC_TEXT_MAX - 1);
        return -1;
    }
    for (int depth = 0; depth < ALIAS_DEPTH; depth++) {
        if (spec_parse(cur, out, err, errlen))
            return -1;
        if (out->kind != SPEC_ALIAS)
            return 0;
        char path[PATH_MAX], name[64];
        str_copy(name, sizeof name, out->name);
        int ok = strcmp(name, "default") == 0 ? path_default(p, path, sizeof path)
                                              : path_alias(p, name, path, sizeof path);
        if (ok != 0 || read_spec_file(path, cur, sizeof cur) != 0) {
            str_fmt(err, errlen, "'%s' is not a version spec or an alias; use a version (22.11.0, 22), "
                    "a range (^20.1), lts/*, lts/<codename>, latest or system", name);
            return -1;
        }
    }
    str_fmt(err, errlen, "alias '%s' refers to itself through other aliases; fix it with 'nodus alias'", text);
    return -1;
}

void resolve_describe(const res_request *req, char *buf, size_t n)
{
    switch (req->source) {
    case REQ_ENV:
        str_fmt(buf, n, "NODUS_VERSION");
        break;
    case REQ_FILE:
        str_fmt(buf, n, "%s", req->origin);
        break;
    case REQ_DEFAULT:
        str_fmt(buf, n, "the default, %s", req->origin);
        break;
    case REQ_ARG:
        str_fmt(buf, n, "the command line");
        break;
    default:
        str_fmt(buf, n, "nothing");
    }
}

/* Exact versions are looked up with one stat instead of a directory scan:
 * the common pinned case stays a handful of syscalls. */
static int exact_installed(const char *vdir, const spec_t *s, char *vname, size_t n, struct stat *st)
{
    semver_t v;
    if (s->kind != SPEC_RANGE || !semver_range_exact(s->range, &v))
        return -1;
    char dir[PATH_MAX];
    spec_vname(&v, vname, n);
    if (str_fmt(dir, sizeof dir, "%s/%s", vdir, vname) == 0 && stat(dir, st) == 0 && S_ISDIR(st->st_mode))
        return 1;
    return 0;
}

/* The newest version in the versions directory vdir that s accepts: 1 with
 * vname and the stat of its directory, 0 when nothing there matches, -1
 * when vdir cannot be read. */
static int pick_in(const nodus_paths *p, const char *vdir, const spec_t *s, char *vname, size_t n, struct stat *st)
{
    int ex = exact_installed(vdir, s, vname, n, st);
    if (ex >= 0)
        return ex;
    char ltsp[PATH_MAX];
    vlist_t l = {0};
    lts_table lts = {0};
    if (vlist_installed(vdir, &l))
        return -1;
    if (s->kind == SPEC_LTS_ANY || s->kind == SPEC_LTS_BACK || s->kind == SPEC_LTS_NAME) {
        if (path_lts(p, ltsp, sizeof ltsp) == 0)
            lts_load(ltsp, &lts);
    }
    long i = spec_pick(s, &l, &lts);
    if (i >= 0)
        spec_vname(&l.items[i].v, vname, n);
    vlist_free(&l);
    lts_free(&lts);
    /* The one stat a range costs: the directory about to be run from is
     * judged like the exact version's (homecheck.h). */
    char dir[PATH_MAX];
    if (i >= 0 && (str_fmt(dir, sizeof dir, "%s/%s", vdir, vname) != 0 || stat(dir, st) != 0))
        return 0;
    return i >= 0;
}

/* The user's own versions first; the shared directories (shared.h) only
 * when none of them satisfies s, so a shim whose spec the user's versions
 * satisfy does no more work than before. */
static int pick_installed(const nodus_paths *p, const spec_t *s, resolution *out, struct stat *st)
{
    char vdir[PATH_MAX];
    if (path_versions(p, vdir, sizeof vdir))
        return -1;
    int r = pick_in(p, vdir, s, out->vname, sizeof out->vname, st);
    if (r == 1) {
        out->shared = 0;
        return str_fmt(out->dir, sizeof out->dir, "%s/%s", vdir, out->vname) ? -1 : 1;
    }
    if (r < 0)
        return r;
    const char *cur = p->shared;
    char sdir[PATH_MAX];
    while (shared_next(&cur, sdir, sizeof sdir))
        if (shared_trusted(sdir, NULL, 0) && pick_in(p, sdir, s, out->vname, sizeof out->vname, st) == 1 &&
            str_fmt(out->dir, sizeof out->dir, "%s/%s", sdir, out->vname) == 0) {
            out->shared = 1;
            return 1;
        }
    return 0;
}

/* .tool-versions "path:DIR" (asdf): a node built or unpacked elsewhere. DIR
 * must be absolute (a relative one would run what a cloned repository
 * brings), hold bin/node, and pass the same ownership test as NODUS_HOME.
 * Returns RES_OK, RES_NOT_INSTALLED (no bin/node: the next spec is tried)
 * or RES_BAD_SPEC/RES_UNSAFE with why. */
static int path_spec(const char *dir, char *vname, size_t n, char *why, size_t whylen)
{
    char node[PATH_MAX], bin[PATH_MAX];
    struct stat st;
    if (dir[0] != '/') {
        str_fmt(why, whylen, "'path:%s' is not an absolute directory; write path:/full/path/to/node-dir", dir);
        return RES_BAD_SPEC;
    }
    if (str_fmt(bin, sizeof bin, "%s/bin", dir) || str_fmt(node, sizeof node, "%s/bin/node", dir) ||
        str_fmt(vname, n, "path:%s", dir)) {
        str_fmt(why, whylen, "the directory of 'path:%s' is too long", dir);
        return RES_BAD_SPEC;
    }
    if (access(node, X_OK) != 0)
        return RES_NOT_INSTALLED;
    if (stat(dir, &st) != 0 || home_judge(dir, &st, why, whylen) || stat(bin, &st) != 0 ||
        home_judge(bin, &st, why, whylen))
        return RES_UNSAFE;
    return RES_OK;
}

int resolve_installed(const nodus_paths *p, const res_request *req,
                      resolution *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int first_err = RES_NOT_INSTALLED;
    char first_msg[PATH_MAX + 512] = "";
    char from[PATH_MAX + 32];
    resolve_describe(req, from, sizeof from);
    if (req->too_long) {
        str_fmt(err, errlen, "the version spec from %s is %zu bytes long; at most %d are allowed", from,
                req->too_long, VFILE_SPEC_MAX - 1);
        return RES_BAD_SPEC;
    }
    for (int i = 0; i < req->vf.n; i++) {
        spec_t s;
        char why[PATH_MAX + 400];
        struct stat st;
        if (req->source == REQ_FILE && req->kind == VF_TOOL_VERSIONS && str_starts(req->vf.specs[i], "path:")) {
            int r = path_spec(req->vf.specs[i] + 5, out->vname, sizeof out->vname, why, sizeof why);
            out->spec_index = i;
            str_copy(out->spec, sizeof out->spec, req->vf.specs[i]);
            if (r == RES_OK) {
                out->shared = 0;
                return str_copy(out->dir, sizeof out->dir, req->vf.specs[i] + 5) ? RES_BAD_SPEC : RES_OK;
            }
            if (r == RES_UNSAFE) {
                str_fmt(err, errlen, "%s (asked for by %s)", why, from);
                return RES_UNSAFE;
            }
            if (r == RES_BAD_SPEC && i == 0) {
                first_err = RES_BAD_SPEC;
                str_copy(first_msg, sizeof first_msg, why);
            }
            continue;
        }
        if (resolve_alias(p, req->vf.specs[i], &s, why, sizeof why)) {
            if (i == 0) {
                first_err = RES_BAD_SPEC;
                str_copy(first_msg, sizeof first_msg, why);
            }
            continue;
        }
        out->spec_index = i;
        str_copy(out->spec, sizeof out->spec, s.text);
        if (s.kind == SPEC_SYSTEM) {
            spec_free(&s);
            return RES_SYSTEM;
        }
        int r = pick_installed(p, &s, out, &st);
        spec_free(&s);
        if (r == 1) {
            if (home_judge(out->dir, &st, why, sizeof why)) {
                str_fmt(err, errlen, "%s", why);
                return RES_UNSAFE;
            }
            return RES_OK;
        }
        if (r < 0) {
            str_fmt(err, errlen, "cannot read the versions directory under %s: %s", p->home, strerror(errno));
            return RES_ERROR;
        }
    }
    if (first_err == RES_BAD_SPEC)
        str_fmt(err, errlen, "%s (asked for by %s)", first_msg, from);
    else
        str_fmt(err, errlen, "node %s is not installed (asked for by %s); run 'nodus install%s%s'",
                req->vf.specs[0], from, req->source == REQ_FILE ? "" : " ",
                req->source == REQ_FILE ? "" : req->vf.specs[0]);
    return first_err;
}

int resolve_same_file(const char *path, const struct stat *st)
{
    struct stat o;
    return stat(path, &o) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino;
}

int path_entry_is(const char *entry, size_t len, const char *dir)
{
    size_t dl = strlen(dir);
    while (len > 1 && entry[len - 1] == '/')
        len--;
    return len == dl && strncmp(entry, dir, len) == 0;
}

/* The child's PATH: the version's bin/ right after the shims directory when
 * the shims are on PATH, else first. Keeping the shims ahead means a nested
 * `node` run after a cd into another project is resolved again for that
 * project, while everything without a shim still comes from the version. */
int resolve_child_path(const char *bin, const char *shims)
{
    const char *old = getenv("PATH");
    if (!old)
        old = "";
    size_t cap = strlen(old) + strlen(bin) + strlen(shims) + 4;
    char *np = malloc(cap);
    if (!np)
        return -1;
    int shims_on_path = 0;
    size_t len = 0;
    np[0] = '\0';
    for (const char *p = old;;) {
        const char *end = strchr(p, ':');
        size_t el = end ? (size_t)(end - p) : strlen(p);
        if (path_entry_is(p, el, shims))
            shims_on_path = 1;
        else if (el && !path_entry_is(p, el, bin)) {
            np[len] = ':';
            memcpy(np + len + 1, p, el);
            len += el + 1;
            np[len] = '\0';
        }
        if (!end)
            break;
        p = end + 1;
    }
    char *full = malloc(cap + 1);
    if (!full) {
        free(np);
        return -1;
    }
    snprintf(full, cap + 1, "%s%s%s%s", shims_on_path ? shims : "", shims_on_path ? ":" : "", bin, np);
    int r = setenv("PATH", full, 1);
    free(np);
    free(full);
    return r;
}

/* Shims that handed a `system` call on: "dev.ino" entries separated by
 * ':' in NODUS_SHIM_SEEN. Two separate nodus-shim copies on PATH (two
 * nodus installs) would otherwise exec each other for ever. */
static void seen_key(const struct stat *st, char *key, size_t n)
{
    snprintf(key, n, "%lu.%lu", (unsigned long)st->st_dev, (unsigned long)st->st_ino);
}

/* Whether the ':'-separated list holds key as a whole entry. */
static int seen_has(const char *seen, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = seen; p && (p = strstr(p, key)) != NULL; p += kl)
        if ((p == seen || p[-1] == ':') && (p[kl] == ':' || p[kl] == '\0'))
            return 1;
    return 0;
}

static int seen_before(const char *path)
{
    const char *seen = getenv("NODUS_SHIM_SEEN");
    struct stat st;
    char key[64];
    if (!seen || !*seen || stat(path, &st) != 0)
        return 0;
    seen_key(&st, key, sizeof key);
    return seen_has(seen, key);
}

int resolve_mark_seen(const struct stat *self)
{
    char key[64];
    const char *old = getenv("NODUS_SHIM_SEEN");
    seen_key(self, key, sizeof key);
    if (seen_has(old, key))
        return 0;
    size_t n = (old ? strlen(old) : 0) + strlen(key) + 2;
    char *v = malloc(n);
    if (!v)
        return -1;
    snprintf(v, n, "%s%s%s", old && *old ? old : "", old && *old ? ":" : "", key);
    int r = setenv("NODUS_SHIM_SEEN", v, 1);
    free(v);
    return r;
}

int resolve_system_cmd(const char *cmd, const char *shims, const struct stat *self, char *out, size_t n)
{
    const char *path = getenv("PATH");
    if (!path)
        return -1;
    for (const char *p = path;;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len && !path_entry_is(p, len, shims) && str_fmt(out, n, "%.*s/%s", (int)len, p, cmd) == 0 &&
            access(out, X_OK) == 0 && !(self && self->st_ino && resolve_same_file(out, self)) && !seen_before(out))
            return 0;
        if (!end)
            return -1;
        p = end + 1;
    }
}

void resolve_arg_request(const char *spec, res_request *out)
{
    memset(out, 0, sizeof *out);
    out->source = REQ_ARG;
    out->vf.n = 1;
    if (str_copy(out->vf.specs[0], sizeof out->vf.specs[0], spec) != 0) {
        out->vf.specs[0][0] = '\0';
        out->too_long = strlen(spec);
    }
    str_copy(out->origin, sizeof out->origin, "the command line");
}

int resolve_exit_status(int r, const res_request *req)
{
    switch (r) {
    case RES_OK:
    case RES_SYSTEM:
        return EXIT_OK;
    case RES_NOT_INSTALLED:
        return EXIT_NOT_INSTALLED;
    case RES_BAD_SPEC:
        return req->source == REQ_FILE || req->source == REQ_DEFAULT ? EXIT_BAD_FILE : EXIT_USAGE;
    default:
        return EXIT_FAIL;
    }
}
