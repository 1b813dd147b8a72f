#include "nodedir.h"
#include "fsutil.h"
#include "paths.h"
#include "platform_compat.h"
#include "strutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER_MAX (1u << 20)

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static int is_ident(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* One line: "#define NAME VALUE". Sets name/value spans; 0 when it is not a
 * define with a value. */
static int define_line(const char *p, const char *end, const char **name, size_t *nlen, const char **val,
                       size_t *vlen)
{
    while (p < end && is_space(*p))
        p++;
    if (p == end || *p != '#')
        return 0;
    p++;
    while (p < end && is_space(*p))
        p++;
    if (end - p < 6 || strncmp(p, "define", 6) != 0 || (end - p > 6 && !is_space(p[6])))
        return 0;
    p += 6;
    while (p < end && is_space(*p))
        p++;
    *name = p;
    while (p < end && is_ident(*p))
        p++;
    *nlen = (size_t)(p - *name);
    if (*nlen == 0 || p == end || !is_space(*p))
        return 0;
    while (p < end && is_space(*p))
        p++;
    *val = p;
    while (p < end && !is_space(*p) && *p != '/')
        p++;
    *vlen = (size_t)(p - *val);
    /* Only blanks or a comment may follow the value. */
    while (p < end && is_space(*p))
        p++;
    if (p < end && !(end - p >= 2 && p[0] == '/' && (p[1] == '/' || p[1] == '*')))
        return 0;
    return *vlen > 0;
}

static int plain_number(const char *s, size_t n, unsigned long *out)
{
    if (n == 0 || n > 9 || (n > 1 && s[0] == '0'))
        return -1;
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    *out = v;
    return 0;
}

int nodedir_header_version(const char *text, semver_t *out)
{
    static const char *const names[3] = {"NODE_MAJOR_VERSION", "NODE_MINOR_VERSION", "NODE_PATCH_VERSION"};
    unsigned long vals[3];
    int have[3] = {0, 0, 0};
    memset(out, 0, sizeof *out);
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        const char *e = end;
        if (e > line && e[-1] == '\r')
            e--;
        const char *name, *val;
        size_t nlen, vlen;
        if (define_line(line, e, &name, &nlen, &val, &vlen)) {
            for (int i = 0; i < 3; i++) {
                if (have[i] || nlen != strlen(names[i]) || strncmp(name, names[i], nlen) != 0)
                    continue;
                if (plain_number(val, vlen, &vals[i]))
                    return -1;
                have[i] = 1;
            }
        }
        line = *end ? end + 1 : end;
    }
    if (!have[0] || !have[1] || !have[2])
        return -1;
    out->major = vals[0];
    out->minor = vals[1];
    out->patch = vals[2];
    return 0;
}

int nodedir_check(const char *dir, const semver_t *want, char *why, size_t n)
{
    char path[PATH_MAX];
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        str_fmt(why, n, "it is not a directory");
        return -1;
    }
    if (str_fmt(path, sizeof path, "%s/bin/node", dir) || lstat(path, &st) != 0) {
        str_fmt(why, n, "bin/node is missing");
        return -1;
    }
    if (!S_ISREG(st.st_mode) || !(st.st_mode & S_IXUSR)) {
        str_fmt(why, n, "bin/node is not an executable file");
        return -1;
    }
    if (str_fmt(path, sizeof path, "%s/%s", dir, NODE_VERSION_HEADER)) {
        str_fmt(why, n, "the path is too long");
        return -1;
    }
    char *text = fs_read_file(path, HEADER_MAX, NULL);
    if (!text) {
        str_fmt(why, n, "%s is missing", NODE_VERSION_HEADER);
        return -1;
    }
    semver_t got;
    int r = nodedir_header_version(text, &got);
    free(text);
    if (r) {
        str_fmt(why, n, "%s does not define the version", NODE_VERSION_HEADER);
        return -1;
    }
    if (got.major != want->major || got.minor != want->minor || got.patch != want->patch) {
        str_fmt(why, n, "%s says %lu.%lu.%lu", NODE_VERSION_HEADER, got.major, got.minor, got.patch);
        return -1;
    }
    return 0;
}

/* ---- clone ---- */

typedef struct {
    const char *src_root, *final_root;
    size_t src_len;
    int no_links; /* link(2) failed with EXDEV: do not try again */
    nodedir_stats *st;
    char *err;
    size_t errlen;
} clone_ctx;

static int fail(clone_ctx *c, const char *what, const char *path)
{
    str_fmt(c->err, c->errlen, "cannot %s %s: %s", what, path, strerror(errno));
    return -1;
}


static int copy_file(clone_ctx *c, const char *src, const char *dst, const struct stat *sst)
{
    int in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0)
        return fail(c, "read", src);
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        return fail(c, "create", dst);
    }
    static char buf[1 << 17];
    int rc = 0;
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = fail(c, "read", src);
            break;
        }
        if (r == 0)
            break;
        if (fs_write_all(out, buf, (size_t)r)) {
            rc = fail(c, "write", dst);
            break;
        }
    }
    struct timespec times[2] = {COMPAT_ST_ATIM(sst), COMPAT_ST_MTIM(sst)};
    if (rc == 0 && (fchmod(out, sst->st_mode & 0777) != 0 || futimens(out, times) != 0))
        rc = fail(c, "set the mode of", dst);
    close(in);
    if (close(out) != 0 && rc == 0)
        rc = fail(c, "write", dst);
    if (rc == 0)
        c->st->copied++;
    return rc;
}

static int clone_file(clone_ctx *c, const char *src, const char *dst, const struct stat *sst)
{
    /* A set-id file would keep its bits through a link: copy it instead,
     * without them. */
    if (!c->no_links && !(sst->st_mode & (S_ISUID | S_ISGID))) {
        if (link(src, dst) == 0) {
            c->st->linked++;
            return 0;
        }
        if (errno == EXDEV)
            c->no_links = 1;
        else if (errno == EEXIST)
            return fail(c, "create", dst);
    }
    return copy_file(c, src, dst, sst);
}

static int clone_symlink(clone_ctx *c, const char *src, const char *dst)
{
    char target[PATH_MAX], moved[PATH_MAX];
    ssize_t n = readlink(src, target, sizeof target - 1);
    if (n < 0)
        return fail(c, "read the link", src);
    target[n] = '\0';
    const char *use = target;
    if (target[0] == '/' && strncmp(target, c->src_root, c->src_len) == 0 &&
        (target[c->src_len] == '/' || target[c->src_len] == '\0') &&
        str_fmt(moved, sizeof moved, "%s%s", c->final_root, target + c->src_len) == 0)
        use = moved;
    if (symlink(use, dst) != 0)
        return fail(c, "create the link", dst);
    c->st->symlinks++;
    return 0;
}

static int clone_dir(clone_ctx *c, const char *src, const char *dst, const struct stat *sst, int depth)
{
    if (depth > 64) {
        errno = ELOOP;
        return fail(c, "copy", src);
    }
    if (depth > 0 && mkdir(dst, 0700) != 0)
        return fail(c, "create", dst);
    DIR *d = opendir(src);
    if (!d)
        return fail(c, "read", src);
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char s[PATH_MAX], t[PATH_MAX];
        struct stat est;
        if (str_fmt(s, sizeof s, "%s/%s", src, de->d_name) || str_fmt(t, sizeof t, "%s/%s", dst, de->d_name)) {
            errno = ENAMETOOLONG;
            rc = fail(c, "copy", s);
        } else if (lstat(s, &est) != 0) {
            rc = fail(c, "read", s);
        } else if (S_ISDIR(est.st_mode)) {
            rc = clone_dir(c, s, t, &est, depth + 1);
        } else if (S_ISREG(est.st_mode)) {
            rc = clone_file(c, s, t, &est);
        } else if (S_ISLNK(est.st_mode)) {
            rc = clone_symlink(c, s, t);
        } else {
            c->st->skipped++;
        }
    }
    if (rc == 0 && errno != 0)
        rc = fail(c, "read", src);
    closedir(d);
    /* The directory's own mode last, so a read-only one could be filled;
     * the owner keeps write access so nodus can remove it later. */
    struct timespec times[2] = {COMPAT_ST_ATIM(sst), COMPAT_ST_MTIM(sst)};
    if (rc == 0 && (chmod(dst, (sst->st_mode & 0777) | 0700) != 0 || utimensat(AT_FDCWD, dst, times, 0) != 0))
        rc = fail(c, "set the mode of", dst);
    return rc;
}

int nodedir_clone(const char *src, const char *dst, const char *final, nodedir_stats *st, char *err, size_t errlen)
{
    memset(st, 0, sizeof *st);
    clone_ctx c = {.src_root = src, .final_root = final, .src_len = strlen(src), .st = st, .err = err,
                   .errlen = errlen};
    struct stat sst;
    if (stat(src, &sst) != 0)
        return fail(&c, "read", src);
    if (!S_ISDIR(sst.st_mode)) {
        errno = ENOTDIR;
        return fail(&c, "copy", src);
    }
    return clone_dir(&c, src, dst, &sst, 0);
}

/* ---- where the symlinks of a tree lead ---- */

#define LINK_HOPS 40 /* the kernel's limit too: past it, ELOOP */

typedef struct {
    int root;
    char *why;
    size_t n;
} links_ctx;

/* Follow the symlink at rel (relative to c->root) on disk. 0 when it stays
 * inside (or its resolution fails, which reaches nothing), -1 when a ".."
 * climbs above the root or a link is absolute. */
static int link_inside(links_ctx *c, const char *rel)
{
    char cur[PATH_MAX], rest[2 * PATH_MAX], target[PATH_MAX], via[PATH_MAX] = "";
    const char *slash = strrchr(rel, '/');
    size_t len = slash ? (size_t)(slash - rel) : 0;
    memcpy(cur, rel, len);
    cur[len] = '\0';
    ssize_t tl = readlinkat(c->root, rel, target, sizeof target - 1);
    if (tl < 0)
        return 0;
    target[tl] = '\0';
    if (str_copy(rest, sizeof rest, target))
        return 0;
    int hops = 0;
    for (size_t pos = 0; rest[pos];) {
        char *p = rest + pos;
        char *e = strchr(p, '/');
        size_t cl = e ? (size_t)(e - p) : strlen(p);
        size_t next = e ? (size_t)(e - rest) + 1 : (size_t)(p - rest) + cl;
        if ((pos == 0 && p[0] == '/') || (cl == 2 && p[0] == '.' && p[1] == '.' && len == 0)) {
            str_fmt(c->why, c->n, "'%s' resolves outside the version directory%s%s%s", rel, via[0] ? " (through '" : "",
                    via, via[0] ? "')" : "");
            return -1;
        }
        if (cl == 2 && p[0] == '.' && p[1] == '.') {
            while (len > 0 && cur[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
            cur[len] = '\0';
        } else if (cl > 0 && !(cl == 1 && p[0] == '.')) {
            size_t before = len;
            if (len + cl + 2 > sizeof cur)
                return 0;
            if (len)
                cur[len++] = '/';
            memcpy(cur + len, p, cl);
            len += cl;
            cur[len] = '\0';
            struct stat st;
            if (fstatat(c->root, cur, &st, AT_SYMLINK_NOFOLLOW) != 0)
                return 0;
            if (S_ISLNK(st.st_mode)) {
                if (++hops > LINK_HOPS)
                    return 0;
                tl = readlinkat(c->root, cur, target, sizeof target - 1);
                if (tl < 0)
                    return 0;
                target[tl] = '\0';
                str_copy(via, sizeof via, cur);
                len = before;
                cur[len] = '\0';
                /* The link's target takes its place in what is left. */
                char tail[2 * PATH_MAX];
                if (str_copy(tail, sizeof tail, rest + next) ||
                    str_fmt(rest, sizeof rest, "%s%s%s", target, tail[0] ? "/" : "", tail))
                    return 0;
                if (rest[0] == '/') {
                    str_fmt(c->why, c->n, "'%s' resolves outside the version directory (through '%s')", rel, via);
                    return -1;
                }
                pos = 0;
                continue;
            }
            if (!S_ISDIR(st.st_mode) && e)
                return 0;
        }
        pos = next;
    }
    return 0;
}

static int links_walk(links_ctx *c, const char *rel, int depth)
{
    /* What cannot be walked is refused, never passed unseen. */
    if (depth > 256) {
        str_fmt(c->why, c->n, "%s is nested more than 256 directories deep", rel);
        return -1;
    }
    int fd = rel[0] ? openat(c->root, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    : openat(c->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        str_fmt(c->why, c->n, "cannot read the directory %s: %s", rel[0] ? rel : ".", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char path[PATH_MAX];
        /* A path too long to check, or an entry that cannot be examined,
         * is refused rather than skipped: the check must see every link. */
        if (str_fmt(path, sizeof path, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name)) {
            str_fmt(c->why, c->n, "a path under %s is too long to check", rel[0] ? rel : ".");
            rc = -1;
            break;
        }
        /* d_type is not POSIX: one fstatat per entry, once per install. */
        struct stat st;
        if (fstatat(c->root, path, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            str_fmt(c->why, c->n, "cannot examine %s: %s", path, strerror(errno));
            rc = -1;
            break;
        }
        if (S_ISLNK(st.st_mode))
            rc = link_inside(c, path);
        else if (S_ISDIR(st.st_mode))
            rc = links_walk(c, path, depth + 1);
    }
    closedir(d);
    return rc;
}

int nodedir_links_inside(const char *root, char *why, size_t n)
{
    links_ctx c = {.root = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), .why = why, .n = n};
    if (c.root < 0) {
        str_fmt(why, n, "cannot read %s: %s", root, strerror(errno));
        return -1;
    }
    int rc = links_walk(&c, "", 0);
    close(c.root);
    return rc;
}
