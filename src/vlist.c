#include "vlist.h"
#include "platform_compat.h"
#include "readfile.h"
#include "strutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int vlist_add(vlist_t *l, const semver_t *v, const char *lts, size_t index)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        vent_t *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return -1;
        l->items = items;
        l->cap = cap;
    }
    vent_t *e = &l->items[l->n++];
    e->v = *v;
    /* A codename too long to keep is dropped (the release counts as not
     * LTS), never cut: two cut names could become one line. */
    if (str_copy(e->lts, sizeof e->lts, lts ? lts : ""))
        e->lts[0] = '\0';
    str_lower(e->lts);
    e->index = index;
    return 0;
}

static int cmp_desc(const void *a, const void *b)
{
    return semver_cmp(&((const vent_t *)b)->v, &((const vent_t *)a)->v);
}

void vlist_sort_desc(vlist_t *l)
{
    if (l->n > 1)
        qsort(l->items, l->n, sizeof *l->items, cmp_desc);
}

void vlist_free(vlist_t *l)
{
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

int vlist_installed(const char *versions_dir, vlist_t *out)
{
    DIR *d = opendir(versions_dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        semver_t v;
        char canon[SEMVER_PRE_MAX + 64];
        struct stat st;
        /* Only names that nodus itself gives: "v" + a full version, exactly
         * as it formats them ("vv1.2.3", "v1.2.3+b", "v1.2.3 " are not), and
         * only directories (as the exact-version lookup requires). */
        if (de->d_name[0] != 'v' || semver_parse(de->d_name, &v) != 0)
            continue;
        semver_format(&v, canon, sizeof canon);
        if (strcmp(de->d_name + 1, canon) != 0)
            continue;
        if (!compat_dirent_is_dir(de) &&
            (fstatat(dirfd(d), de->d_name, &st, 0) != 0 || !S_ISDIR(st.st_mode)))
            continue;
        if (vlist_add(out, &v, "", 0)) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    vlist_sort_desc(out);
    return 0;
}

static lts_line *lts_push(lts_table *t, size_t *cap)
{
    if (t->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        lts_line *lines = realloc(t->lines, ncap * sizeof *lines);
        if (!lines)
            return NULL;
        t->lines = lines;
        *cap = ncap;
    }
    lts_line *line = &t->lines[t->n++];
    memset(line, 0, sizeof *line);
    return line;
}

int lts_from_vlist(const vlist_t *l, lts_table *out)
{
    size_t cap = 0;
    out->lines = NULL;
    out->n = 0;
    for (size_t i = 0; i < l->n; i++) {
        const vent_t *e = &l->items[i];
        if (!e->lts[0])
            continue;
        lts_line *line = (lts_line *)lts_find(out, e->lts);
        if (!line) {
            line = lts_push(out, &cap);
            if (!line)
                return -1;
            str_copy(line->name, sizeof line->name, e->lts);
            line->major = e->v.major;
            line->first = e->v;
        } else if (line->major == e->v.major && semver_cmp(&e->v, &line->first) < 0) {
            line->first = e->v;
        }
    }
    return 0;
}

/* One line per LTS codename; index_fetch.c writes it. */
#define LTS_FILE_CAP (1u << 20)

int lts_load(const char *path, lts_table *out)
{
    size_t cap = 0;
    out->lines = NULL;
    out->n = 0;
    int code;
    FILE *f = rf_fopen(path, LTS_FILE_CAP, 0, &code, NULL);
    if (!f)
        return code == RF_MISSING ? 0 : -1;
    char buf[256];
    while (fgets(buf, sizeof buf, f)) {
        char name[64], first[128];
        unsigned long major;
        semver_t v;
        if (sscanf(buf, "%63s %lu %127s", name, &major, first) != 3 || semver_parse(first, &v))
            continue;
        lts_line *line = lts_push(out, &cap);
        if (!line) {
            fclose(f);
            return -1;
        }
        str_copy(line->name, sizeof line->name, name);
        str_lower(line->name);
        line->major = major;
        line->first = v;
    }
    fclose(f);
    return 0;
}

char *lts_format(const lts_table *t)
{
    size_t cap = 64 + t->n * (sizeof(lts_line) + 64);
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t len = 0;
    s[0] = '\0';
    for (size_t i = 0; i < t->n; i++) {
        char ver[SEMVER_PRE_MAX + 64];
        semver_format(&t->lines[i].first, ver, sizeof ver);
        int w = snprintf(s + len, cap - len, "%s %lu %s\n", t->lines[i].name, t->lines[i].major, ver);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
    return s;
}

void lts_free(lts_table *t)
{
    free(t->lines);
    t->lines = NULL;
    t->n = 0;
}

const lts_line *lts_line_of(const lts_table *t, const semver_t *v)
{
    if (v->pre[0])
        return NULL;
    for (size_t i = 0; i < t->n; i++)
        if (t->lines[i].major == v->major && semver_cmp(v, &t->lines[i].first) >= 0)
            return &t->lines[i];
    return NULL;
}

const lts_line *lts_find(const lts_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (str_ieq(t->lines[i].name, name))
            return &t->lines[i];
    return NULL;
}
