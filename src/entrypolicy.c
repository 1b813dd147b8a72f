#include "entrypolicy.h"
#include "paths.h"
#include "strutil.h"

#include <string.h>

/* Strip "./" prefixes and duplicate slashes; reject "..", absolute paths
 * and empty components that would otherwise be normalised away. */
static int clean_rel(const char *in, char *out, size_t n)
{
    if (in[0] == '/')
        return -1;
    size_t len = 0;
    const char *p = in;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t cl = e ? (size_t)(e - p) : strlen(p);
        if (cl == 2 && p[0] == '.' && p[1] == '.')
            return -1;
        if (cl > 0 && !(cl == 1 && p[0] == '.')) {
            if (len + cl + 2 > n)
                return -1;
            if (len)
                out[len++] = '/';
            memcpy(out + len, p, cl);
            len += cl;
        }
        if (!e)
            break;
        p = e + 1;
    }
    out[len] = '\0';
    return 0;
}

/* A symlink at rel pointing to target stays inside the root when resolving
 * it lexically never climbs above the root. Later entries cannot redirect
 * it: every path component is checked the same way, and libarchive refuses
 * to write through symlinks (ARCHIVE_EXTRACT_SECURE_SYMLINKS). */
static int symlink_inside(const char *rel, const char *target)
{
    if (target[0] == '/' || target[0] == '\0')
        return 0;
    int depth = 0;
    for (const char *p = rel; (p = strchr(p, '/')) != NULL; p++)
        depth++; /* the directory holding the link */
    for (const char *p = target; *p;) {
        const char *e = strchr(p, '/');
        size_t cl = e ? (size_t)(e - p) : strlen(p);
        if (cl == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0)
                return 0;
        } else if (cl > 0 && !(cl == 1 && p[0] == '.')) {
            depth++;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return 1;
}

/* Removes "top/" from a cleaned path; 1 when path is top itself. */
static int strip_top(const char *top, const char *clean, char *rel, size_t n, const char **why)
{
    size_t tl = strlen(top);
    if (strncmp(clean, top, tl) != 0 || (clean[tl] != '/' && clean[tl] != '\0')) {
        *why = "is outside the release's top directory";
        return -1;
    }
    if (clean[tl] == '\0')
        return 1;
    if (str_copy(rel, n, clean + tl + 1)) {
        *why = "has a path that is too long";
        return -1;
    }
    return 0;
}

int entry_check(const char *top, const char *path, ent_type type, const char *link,
                char *rel, size_t reln, char *link_rel, size_t linkn, const char **why)
{
    char clean[4096];
    if (path[0] == '/') {
        *why = "has an absolute path";
        return ENT_REJECT;
    }
    if (clean_rel(path, clean, sizeof clean)) {
        *why = "has a '..' component or an unusable path";
        return ENT_REJECT;
    }
    if (type == ENT_OTHER) {
        *why = "is not a file, directory or link (device, fifo or socket)";
        return ENT_REJECT;
    }
    int s = strip_top(top, clean, rel, reln, why);
    if (s < 0)
        return ENT_REJECT;
    if (s == 1)
        return type == ENT_DIR ? ENT_SKIP : (*why = "replaces the top directory", ENT_REJECT);
    if (strcmp(rel, NODUS_META_NAME) == 0) {
        *why = "has the name nodus keeps its own record of the install in (" NODUS_META_NAME ")";
        return ENT_REJECT;
    }
    if (type == ENT_SYMLINK && (!link || !symlink_inside(rel, link))) {
        *why = "is a symlink that points outside the version directory";
        return ENT_REJECT;
    }
    if (type == ENT_HARDLINK) {
        char lclean[4096];
        if (!link || link[0] == '/' || clean_rel(link, lclean, sizeof lclean) ||
            strip_top(top, lclean, link_rel, linkn, why) != 0) {
            *why = "is a hard link to something outside the version directory";
            return ENT_REJECT;
        }
    }
    return ENT_ACCEPT;
}

unsigned entry_perm(unsigned perm)
{
    return perm & 0755;
}

/* How many bytes c takes when shown. */
static size_t shown_len(unsigned char c)
{
    return c < 0x20 || c == 0x7f ? 4 : 1;
}

static size_t show_char(unsigned char c, char *out)
{
    static const char hex[] = "0123456789abcdef";
    if (shown_len(c) == 1) {
        out[0] = (char)c;
        return 1;
    }
    out[0] = '\\';
    out[1] = 'x';
    out[2] = hex[c >> 4];
    out[3] = hex[c & 15];
    return 4;
}

const char *entry_shown(const char *name, char *buf, size_t n)
{
    size_t total = 0, len = strlen(name);
    for (size_t i = 0; i < len; i++)
        total += shown_len((unsigned char)name[i]);
    size_t o = 0;
    if (total < n) {
        for (size_t i = 0; i < len; i++)
            o += show_char((unsigned char)name[i], buf + o);
        buf[o] = '\0';
        return buf;
    }
    /* Head and tail, each at most half of what is left after "...". */
    size_t half = (n - 4) / 2, head = 0, tail = len, used = 0;
    while (head < len && used + shown_len((unsigned char)name[head]) <= half)
        used += shown_len((unsigned char)name[head++]);
    used = 0;
    while (tail > head && used + shown_len((unsigned char)name[tail - 1]) <= half)
        used += shown_len((unsigned char)name[--tail]);
    for (size_t i = 0; i < head; i++)
        o += show_char((unsigned char)name[i], buf + o);
    memcpy(buf + o, "...", 3);
    o += 3;
    for (size_t i = tail; i < len; i++)
        o += show_char((unsigned char)name[i], buf + o);
    buf[o] = '\0';
    return buf;
}
