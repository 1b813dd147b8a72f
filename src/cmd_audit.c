/* nodus audit [SPEC...|DIR...] [--json] [--fail-on=eol,vulnerable|none]
 *             [--severity=LEVEL]
 *
 * Every version in scope judged against the release schedule and the
 * vulnerability database (fetched like the index; cached copies with
 * --offline). With no argument the scope is every installed version, the
 * default, and every project nodus has seen choose a version (projects.h).
 * A DIR argument is a tree scanned for version files (node_modules, .git
 * and other hidden directories skipped, links not followed); any other
 * argument is a spec. A spec is judged as the installed version it
 * resolves to, else as the release 'nodus install' would pick.
 *
 * Exit status: 0 when nothing in scope fails, EXIT_AUDIT when something is
 * end of life or vulnerable (what counts: --fail-on, --severity),
 * EXIT_NETWORK when there is no data at all to judge with. */
#include "cmd.h"
#include "index.h"
#include "msg.h"
#include "projects.h"
#include "safety.h"
#include "strutil.h"
#include "versions.h"
#include "vfile.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define AUDIT_DIRS_MAX 100000
#define AUDIT_DEPTH_MAX 32

typedef struct {
    nodus_ctx *ctx;
    safety_data sd;
    vlist_t inst;
    lts_table lts;
    release_index ix;
    int ix_state; /* 0 not tried, 1 loaded, -1 failed */
    int fail_eol, fail_vuln;
    severity_t min_sev;
    json_t *arr;
    size_t items, failing, dirs;
    char seen[64][128]; /* versions whose sentence was printed */
    size_t nseen;
} audit_run;

static int fails(const audit_run *a, const verdict_t *vd)
{
    if (a->fail_eol && vd->support == SUP_EOL)
        return 1;
    if (!a->fail_vuln)
        return 0;
    for (size_t i = 0; i < vd->nvulns; i++)
        if (vd->hits[i]->severity >= a->min_sev)
            return 1;
    return 0;
}

/* The version a spec means here: installed, else what install would pick. */
static int pick(audit_run *a, const char *text, semver_t *out, int *installed)
{
    spec_t s;
    char err[256];
    if (spec_parse(text, &s, err, sizeof err))
        return -1;
    long at = spec_pick(&s, &a->inst, &a->lts);
    if (at >= 0) {
        *out = a->inst.items[at].v;
        *installed = 1;
        spec_free(&s);
        return 0;
    }
    if (a->ix_state == 0) {
        int q = a->ctx->quiet;
        a->ctx->quiet = 1;
        a->ix_state = index_load(a->ctx, &a->ix) == 0 ? 1 : -1;
        a->ctx->quiet = q;
    }
    at = a->ix_state > 0 ? spec_pick(&s, &a->ix.list, &a->ix.lts) : -1;
    spec_free(&s);
    if (at < 0)
        return -1;
    *out = a->ix.list.items[at].v;
    *installed = 0;
    return 0;
}

static void report(audit_run *a, const char *kind, const char *where, const char *spec)
{
    semver_t v;
    int installed = 0;
    char vname[128] = "";
    int found = pick(a, spec, &v, &installed) == 0;
    verdict_t vd = {0};
    if (found) {
        spec_vname(&v, vname, sizeof vname);
        safety_judge(&a->sd, &v, &vd);
    }
    int bad = found && fails(a, &vd);
    a->items++;
    a->failing += (size_t)bad;
    if (a->arr) {
        json_t *o = json_pack("{s:s, s:s?, s:s, s:s?, s:b, s:b}", "kind", kind, "where", where, "spec", spec,
                              "version", found ? vname : NULL, "installed", installed, "fails", bad);
        if (found)
            verdict_json(&a->sd, &vd, o);
        json_array_append_new(a->arr, o);
    } else {
        char col[96] = "", what[PATH_MAX + 300];
        if (found)
            verdict_short(&vd, col, sizeof col);
        if (where)
            str_fmt(what, sizeof what, "%s (%s)", where, spec);
        else
            str_fmt(what, sizeof what, "%s%s%s", kind, strcmp(kind, "installed") ? " " : "",
                    strcmp(kind, "installed") ? spec : "");
        printf("%s %-10s %-34s %s\n", bad ? "!" : " ", found ? vname : "-", col[0] ? col : found ? "ok" : "no match",
               what);
    }
    if (found && bad && !a->arr && !a->ctx->quiet) {
        int seen = 0;
        for (size_t i = 0; i < a->nseen; i++)
            seen |= strcmp(a->seen[i], vname) == 0;
        if (!seen && a->nseen < 64)
            str_copy(a->seen[a->nseen++], sizeof a->seen[0], vname);
        if (!seen) {
            char line[1024];
            verdict_sentence(&vd, line, sizeof line);
            msg_note("  %s", line);
        }
    }
    verdict_free(&vd);
}

/* The first version file of one directory, in resolution order. */
static void audit_file_in(audit_run *a, const char *dir)
{
    for (int k = 0; k < VF_COUNT; k++) {
        char path[PATH_MAX], err[256];
        vfile_result vf;
        if (str_fmt(path, sizeof path, "%s/%s", dir, vfile_names[k]))
            return;
        int r = vfile_read(path, (vfile_kind)k, a->ctx->no_engines ? VF_NO_ENGINES : 0, &vf, err, sizeof err);
        if (r == VF_MALFORMED) {
            msg_warn("%s: %s; not audited", path, err);
            return;
        }
        if (r == VF_FOUND) {
            report(a, "project", path, vf.specs[0]);
            return;
        }
    }
}

static int strcmp_ptr(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void scan(audit_run *a, const char *dir, int depth)
{
    if (depth > AUDIT_DEPTH_MAX || a->dirs >= AUDIT_DIRS_MAX) {
        if (a->dirs == AUDIT_DIRS_MAX || depth == AUDIT_DEPTH_MAX + 1)
            msg_warn("%s: deeper or larger than audit looks (%d levels, %d directories); not all of it audited",
                     dir, AUDIT_DEPTH_MAX, AUDIT_DIRS_MAX);
        a->dirs++;
        return;
    }
    a->dirs++;
    audit_file_in(a, dir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char **subs = NULL;
    size_t n = 0, cap = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "node_modules") == 0)
            continue;
        char sub[PATH_MAX];
        struct stat st;
        if (str_fmt(sub, sizeof sub, "%s/%s", dir, de->d_name) || lstat(sub, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (n == cap) {
            char **ns = realloc(subs, (cap = cap ? cap * 2 : 16) * sizeof *subs);
            if (!ns)
                break;
            subs = ns;
        }
        if (!(subs[n] = strdup(sub)))
            break;
        n++;
    }
    closedir(d);
    /* Sorted, so the report reads the same on every run. */
    if (n)
        qsort(subs, n, sizeof *subs, strcmp_ptr);
    for (size_t i = 0; i < n; i++) {
        scan(a, subs[i], depth + 1);
        free(subs[i]);
    }
    free(subs);
}

static int parse_fail_on(audit_run *a, const char *v)
{
    a->fail_eol = a->fail_vuln = 0;
    if (strcmp(v, "none") == 0)
        return 0;
    char buf[64];
    if (str_copy(buf, sizeof buf, v))
        return -1;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (strcmp(tok, "eol") == 0)
            a->fail_eol = 1;
        else if (strcmp(tok, "vulnerable") == 0)
            a->fail_vuln = 1;
        else
            return -1;
    }
    return 0;
}

static int parse_severity(audit_run *a, const char *v)
{
    for (int i = SEV_UNKNOWN; i <= SEV_CRITICAL; i++)
        if (strcmp(v, severity_text((severity_t)i)) == 0) {
            a->min_sev = (severity_t)i;
            return 0;
        }
    return -1;
}

static void audit_everything(audit_run *a)
{
    for (size_t i = 0; i < a->inst.n; i++) {
        char vname[128];
        spec_vname(&a->inst.items[i].v, vname, sizeof vname);
        report(a, "installed", NULL, vname);
    }
    res_request req;
    if (resolve_default_request(&a->ctx->paths, &req))
        report(a, "default", NULL, req.vf.specs[0]);
    char **list;
    size_t n;
    if (projects_list(&a->ctx->paths, &list, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char err[256];
            vfile_result vf;
            const char *base = strrchr(list[i], '/') + 1;
            int kind = -1;
            for (int k = 0; k < VF_COUNT; k++)
                if (strcmp(base, vfile_names[k]) == 0)
                    kind = k;
            if (kind >= 0 && vfile_read(list[i], (vfile_kind)kind, a->ctx->no_engines ? VF_NO_ENGINES : 0, &vf,
                                        err, sizeof err) == VF_FOUND)
                report(a, "project", list[i], vf.specs[0]);
        }
        projects_free(list, n);
    }
}

int cmd_audit(nodus_ctx *ctx, int argc, char **argv)
{
    audit_run a = {.ctx = ctx, .fail_eol = 1, .fail_vuln = 1, .min_sev = SEV_UNKNOWN};
    int nargs = 0;
    for (int i = 0; i < argc; i++) {
        int fo = strcmp(argv[i], "--fail-on") == 0, sv = strcmp(argv[i], "--severity") == 0;
        if (fo || str_starts(argv[i], "--fail-on=")) {
            const char *v = fo ? (i + 1 < argc ? argv[++i] : "") : argv[i] + 10;
            if (parse_fail_on(&a, v)) {
                msg_err("--fail-on takes eol, vulnerable, both (eol,vulnerable) or none, not '%s'", v);
                return EXIT_USAGE;
            }
        } else if (sv || str_starts(argv[i], "--severity=")) {
            const char *v = sv ? (i + 1 < argc ? argv[++i] : "") : argv[i] + 11;
            if (parse_severity(&a, v)) {
                msg_err("--severity takes low, medium, high or critical, not '%s'", v);
                return EXIT_USAGE;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cmd_bad_option("audit", argv[i]);
        } else {
            argv[nargs++] = argv[i]; /* what to audit, options and their values left out */
        }
    }
    safety_refresh(ctx, &a.sd);
    if (!a.sd.have_sched && !a.sd.have_db) {
        msg_err("no release schedule and no vulnerability database to audit with; check the network, "
                "NODUS_SCHEDULE_URL and NODUS_VULNS_URL (or run once without --offline)");
        return EXIT_NETWORK;
    }
    int rc = versions_installed(ctx, &a.inst);
    if (rc) {
        safety_free(&a.sd);
        return rc;
    }
    versions_lts(ctx, &a.lts);
    a.arr = ctx->json ? json_array() : NULL;
    if (nargs == 0)
        audit_everything(&a);
    for (int i = 0; i < nargs; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            char real[PATH_MAX];
            scan(&a, realpath(argv[i], real) ? real : argv[i], 0);
        } else {
            report(&a, "spec", NULL, argv[i]);
        }
    }
    if (a.arr) {
        json_dumpf(a.arr, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(a.arr);
    } else if (!ctx->quiet) {
        if (!a.sd.have_db)
            msg_warn("no vulnerability database: only end of life was checked");
        if (!a.sd.have_sched)
            msg_warn("no release schedule: end of life was not checked");
        msg_note("%zu checked, %zu failing (%s%s%s)", a.items, a.failing, a.fail_eol ? "end of life" : "",
                 a.fail_eol && a.fail_vuln ? ", " : "", a.fail_vuln ? "vulnerable" : "");
    }
    if (a.ix_state > 0)
        index_free(&a.ix);
    lts_free(&a.lts);
    vlist_free(&a.inst);
    safety_free(&a.sd);
    return a.failing ? EXIT_AUDIT : 0;
}
