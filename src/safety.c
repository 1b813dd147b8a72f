#include "safety.h"
#include "doccache.h"
#include "fsutil.h"
#include "msg.h"
#include "strutil.h"

#include <jansson.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

int safety_url_off(const char *url)
{
    return !url || !*url || strcmp(url, "off") == 0;
}

int safety_newer(const struct stat *a, const struct stat *b)
{
    return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
           (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec > b->st_mtim.tv_nsec);
}

int safety_load_cached(const nodus_ctx *ctx, int warn, safety_data *d)
{
    memset(d, 0, sizeof *d);
    d->today = date_today();
    char path[PATH_MAX], err[1024];
    if (!safety_url_off(ctx->schedule_url) &&
        doc_cached(&ctx->paths, SCHEDULE_DOC, SCHEDULE_META, ctx->schedule_url, path, sizeof path, NULL) == 0) {
        if (schedule_parse_file(path, &d->sched, err, sizeof err) == 0)
            d->have_sched = 1;
        else if (warn)
            msg_warn("%s; the next 'nodus install' or 'nodus audit' fetches it again", err);
    }
    if (!safety_url_off(ctx->vulns_url) &&
        doc_cached(&ctx->paths, VULNS_DOC, VULNS_META, ctx->vulns_url, path, sizeof path, NULL) == 0) {
        char slim[PATH_MAX];
        struct stat full_st, slim_st;
        if (path_cache_doc(&ctx->paths, VULNS_SLIM, slim, sizeof slim) == 0 && stat(path, &full_st) == 0 &&
            stat(slim, &slim_st) == 0 && safety_newer(&slim_st, &full_st) &&
            vulns_parse_file(slim, &d->db, err, sizeof err) == 0)
            d->have_db = 1;
        else if (vulns_parse_file(path, &d->db, err, sizeof err) == 0)
            d->have_db = 1;
        else if (warn)
            msg_warn("%s; the next 'nodus install' or 'nodus audit' fetches it again", err);
    }
    return d->have_sched || d->have_db;
}

void safety_free(safety_data *d)
{
    schedule_free(&d->sched);
    vulns_free(&d->db);
    d->have_sched = d->have_db = 0;
}

static int same_line(const semver_t *a, const semver_t *b)
{
    return a->major == b->major && (a->major != 0 || a->minor == b->minor);
}

/* The lowest release after cur in cur's line that an entry's "patched"
 * range accepts, among the versions that range names (the database writes
 * each fix as "^20.20.2" or ">= 20.20.2", so the first fixed release is
 * spelled out). Returns 0 with *out, or -1 when the line has no fix. */
static int entry_fix(const vuln_entry *e, const semver_t *cur, semver_t *out)
{
    if (!e->patched || !e->patched_text)
        return -1;
    int found = 0;
    const char *p = e->patched_text;
    while (*p) {
        if (*p < '0' || *p > '9' || (p > e->patched_text && (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))) {
            p++;
            continue;
        }
        char tok[64];
        size_t k = 0;
        while (k + 1 < sizeof tok && ((p[k] >= '0' && p[k] <= '9') || p[k] == '.'))
            k++;
        memcpy(tok, p, k);
        tok[k] = '\0';
        p += k;
        semver_t c;
        if (semver_parse(tok, &c) || !same_line(&c, cur) || semver_cmp(&c, cur) <= 0 ||
            !semver_range_satisfies(e->patched, &c))
            continue;
        if (!found || semver_cmp(&c, out) < 0)
            *out = c;
        found = 1;
    }
    return found ? 0 : -1;
}

/* Follow fixes until a release no entry affects: each round moves to the
 * highest of the first fixes of what still affects it. */
static int find_fix(const vulndb_t *db, const semver_t *v, semver_t *out)
{
    semver_t cur = *v;
    for (int round = 0; round < 64; round++) {
        int any = 0;
        semver_t next = cur;
        for (size_t i = 0; i < db->n; i++) {
            if (!vuln_affects(&db->entries[i], &cur))
                continue;
            semver_t f;
            if (entry_fix(&db->entries[i], &cur, &f))
                return -1;
            if (!any || semver_cmp(&f, &next) > 0)
                next = f;
            any = 1;
        }
        if (!any) {
            *out = cur;
            return 0;
        }
        cur = next;
    }
    return -1;
}

void safety_judge(const safety_data *d, const semver_t *v, verdict_t *out)
{
    memset(out, 0, sizeof *out);
    out->v = *v;
    if (d->have_sched) {
        const sched_line *l = schedule_line_of(&d->sched, v);
        out->support = schedule_status(l, d->today);
        if (l) {
            out->end = l->end;
            str_copy(out->codename, sizeof out->codename, l->codename);
        }
    }
    if (!d->have_db)
        return;
    for (size_t i = 0; i < d->db.n; i++)
        if (vuln_affects(&d->db.entries[i], v))
            out->nvulns++;
    if (!out->nvulns)
        return;
    out->hits = calloc(out->nvulns, sizeof *out->hits);
    size_t k = 0;
    for (size_t i = 0; out->hits && i < d->db.n; i++) {
        const vuln_entry *e = &d->db.entries[i];
        if (!vuln_affects(e, v))
            continue;
        out->hits[k++] = e;
        if (k == 1 || e->severity > out->worst) {
            out->worst = e->severity;
            out->nworst = 0;
            out->worst_cve = NULL;
        }
        if (e->severity == out->worst) {
            out->nworst++;
            if (!out->worst_cve && e->ncves)
                out->worst_cve = e->cves[0];
        }
    }
    if (!out->hits)
        out->nvulns = 0;
    out->fix_state = find_fix(&d->db, v, &out->fix) == 0 ? 1 : -1;
}

void verdict_free(verdict_t *vd)
{
    free(vd->hits);
    vd->hits = NULL;
}

int verdict_flagged(const verdict_t *vd)
{
    return vd->support == SUP_EOL || vd->nvulns > 0;
}

void safety_line_name(const semver_t *v, char *buf, size_t n)
{
    if (v->major == 0)
        snprintf(buf, n, "0.%lu", v->minor);
    else
        snprintf(buf, n, "%lu", v->major);
}

static void vulns_phrase(const verdict_t *vd, char *buf, size_t n)
{
    char eg[64] = "";
    if (vd->worst_cve)
        str_fmt(eg, sizeof eg, ", e.g. %s", vd->worst_cve);
    str_fmt(buf, n, "%zu known vulnerabilit%s (%zu %s%s)", vd->nvulns, vd->nvulns == 1 ? "y" : "ies", vd->nworst,
            severity_text(vd->worst), eg);
}

static void sentence(const verdict_t *vd, int installing, char *buf, size_t n)
{
    char ver[128], fix[128], line[32], vp[192], end[16];
    buf[0] = '\0';
    if (!verdict_flagged(vd))
        return;
    ver[0] = 'v';
    semver_format(&vd->v, ver + 1, sizeof ver - 1);
    fix[0] = 'v';
    semver_format(&vd->fix, fix + 1, sizeof fix - 1);
    safety_line_name(&vd->v, line, sizeof line);
    date_format(vd->end, end, sizeof end);
    if (vd->nvulns)
        vulns_phrase(vd, vp, sizeof vp);
    if (vd->support == SUP_EOL && vd->nvulns)
        str_fmt(buf, n, "%s is end of life since %s and has %s; %s%s only a supported line gets new fixes: "
                "nodus install --lts", ver, end, vp, vd->fix_state > 0 ? fix : "",
                vd->fix_state > 0 ? " fixes those, but" : "");
    else if (vd->support == SUP_EOL)
        str_fmt(buf, n, "%s is end of life since %s: it gets no security fixes, and vulnerabilities found "
                "since then are not listed for it; move to a supported line: nodus install --lts", ver, end);
    else if (vd->fix_state > 0 && installing)
        str_fmt(buf, n, "%s has %s; %s fixes them: nodus install %s", ver, vp, fix, fix + 1);
    else if (vd->fix_state > 0)
        str_fmt(buf, n, "%s has %s; %s fixes them: nodus upgrade %s", ver, vp, fix, line);
    else
        str_fmt(buf, n, "%s has %s; no release of %s fixes them yet", ver, vp, line);
}

void verdict_sentence(const verdict_t *vd, char *buf, size_t n)
{
    sentence(vd, 0, buf, n);
}

void verdict_sentence_install(const verdict_t *vd, char *buf, size_t n)
{
    sentence(vd, 1, buf, n);
}

static int affected(const vulndb_t *db, const semver_t *v)
{
    for (size_t i = 0; i < db->n; i++)
        if (vuln_affects(&db->entries[i], v))
            return 1;
    return 0;
}

int verdict_fix_from(const safety_data *d, verdict_t *vd, const semver_t *releases, size_t n, size_t stride)
{
    if (!vd->nvulns)
        return 0;
    const semver_t *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const semver_t *c = (const semver_t *)(const void *)((const char *)releases + i * stride);
        if (!same_line(c, &vd->v) || semver_cmp(c, &vd->v) <= 0 || c->pre[0] || (best && semver_cmp(c, best) >= 0))
            continue;
        if (!affected(&d->db, c))
            best = c;
    }
    if (!best)
        return 0;
    vd->fix = *best;
    vd->fix_state = 1;
    return 1;
}

void verdict_short(const verdict_t *vd, char *buf, size_t n)
{
    char end[16];
    char vp[64] = "";
    if (vd->nvulns)
        str_fmt(vp, sizeof vp, "%zu vuln%s (%s)", vd->nvulns, vd->nvulns == 1 ? "" : "s", severity_text(vd->worst));
    if (vd->support == SUP_EOL) {
        date_format(vd->end, end, sizeof end);
        str_fmt(buf, n, "eol %s%s%s", end, vp[0] ? ", " : "", vp);
    } else {
        str_fmt(buf, n, "%s%s%s", vd->support != SUP_UNKNOWN ? support_text(vd->support) : "",
                vd->support != SUP_UNKNOWN && vp[0] ? ", " : "", vp);
    }
}

void verdict_json(const safety_data *d, const verdict_t *vd, json_t *o)
{
    char end[16], fix[128];
    date_format(vd->end, end, sizeof end);
    fix[0] = 'v';
    semver_format(&vd->fix, fix + 1, sizeof fix - 1);
    json_object_set_new(o, "support", d->have_sched ? json_string(support_key(vd->support)) : json_null());
    json_object_set_new(o, "support_end", d->have_sched && vd->end ? json_string(end) : json_null());
    json_object_set_new(o, "vulnerabilities", d->have_db ? json_integer((json_int_t)vd->nvulns) : json_null());
    json_object_set_new(o, "severity", vd->nvulns ? json_string(severity_text(vd->worst)) : json_null());
    json_t *cves = json_array();
    for (size_t i = 0; i < vd->nvulns; i++)
        for (size_t k = 0; k < vd->hits[i]->ncves; k++)
            json_array_append_new(cves, json_string(vd->hits[i]->cves[k]));
    json_object_set_new(o, "cves", cves);
    json_object_set_new(o, "fixed_in", vd->nvulns && vd->fix_state > 0 ? json_string(fix) : json_null());
}

#define VERDICTS "verdicts"
#define VERDICTS_MAX 32

/* What the judgement depends on: the URLs in use, each data file's size
 * and mtime, and the day. */
static int memo_key(const nodus_ctx *ctx, char *key, size_t n)
{
    static const char *const docs[] = {SCHEDULE_DOC, SCHEDULE_META, VULNS_DOC, VULNS_META, VULNS_SLIM};
    size_t used = 0;
    int any = 0;
    if (str_fmt(key, n, "%d|%d|%d", date_today(), safety_url_off(ctx->schedule_url), safety_url_off(ctx->vulns_url)))
        return -1;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        char path[PATH_MAX];
        struct stat st;
        used = strlen(key);
        if (path_cache_doc(&ctx->paths, docs[i], path, sizeof path))
            return -1;
        if (stat(path, &st) != 0) {
            if (str_fmt(key + used, n - used, "|-"))
                return -1;
            continue;
        }
        any = 1;
        if (str_fmt(key + used, n - used, "|%lld.%09ld:%lld", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                    (long long)st.st_size))
            return -1;
    }
    return any ? 0 : -1;
}

int safety_sentence_memo(const nodus_ctx *ctx, const char *vname, char *line, size_t n)
{
    char key[512], path[PATH_MAX];
    line[0] = '\0';
    if (safety_url_off(ctx->schedule_url) && safety_url_off(ctx->vulns_url))
        return -1;
    if (memo_key(ctx, key, sizeof key) || path_cache_doc(&ctx->paths, VERDICTS, path, sizeof path))
        return -1;
    size_t len = 0;
    char *text = fs_read_file(path, 64 * 1024, &len);
    /* "KEY\n" then "vname\tsentence" lines; another key: all of it is stale. */
    size_t kl = strlen(key);
    int fresh = text && len > kl && strncmp(text, key, kl) == 0 && text[kl] == '\n';
    size_t vl = strlen(vname), lines = 0;
    for (char *p = fresh ? text + kl + 1 : NULL; p && *p; lines++) {
        char *end = strchr(p, '\n');
        if (!end)
            break;
        if (strncmp(p, vname, vl) == 0 && p[vl] == '\t') {
            *end = '\0';
            int rc = str_copy(line, n, p + vl + 1) ? -1 : 0;
            free(text);
            return rc;
        }
        p = end + 1;
    }
    safety_data sd;
    semver_t v;
    if (semver_parse(vname, &v) || !safety_load_cached(ctx, 1, &sd)) {
        free(text);
        return -1;
    }
    verdict_t vd;
    safety_judge(&sd, &v, &vd);
    verdict_sentence(&vd, line, n);
    verdict_free(&vd);
    safety_free(&sd);
    /* Remember it: the old lines when they are for the same data, at most
     * VERDICTS_MAX of them. Failing only costs time next run. */
    size_t cap = kl + vl + strlen(line) + 3 + (fresh ? len : 0);
    char *out = malloc(cap + 1);
    if (out) {
        int w = snprintf(out, cap + 1, "%s\n%s\t%s\n", key, vname, line);
        size_t used = w > 0 ? (size_t)w : 0;
        if (fresh && lines < VERDICTS_MAX) {
            size_t rest = len - kl - 1;
            memcpy(out + used, text + kl + 1, rest);
            used += rest;
        }
        fs_write_atomic(path, out, used, 0644);
        free(out);
    }
    free(text);
    return 0;
}
