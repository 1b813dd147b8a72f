/* nodus install [SPEC...] [--lts] [--latest] [--jobs N] */

#include "cmd.h"
#include "globalpkgs.h"
#include "install.h"
#include "msg.h"
#include "parallel.h"
#include "platform.h"
#include "projects.h"
#include "resolve.h"
#include "safety.h"
#include "strutil.h"
#include "versions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Versions one command installs at the most. */
#define INSTALL_MAX_SPECS 64

/* No spec on the command line: the project's version file decides, and
 * with none, the user is told what the two choices mean. */
static int spec_from_project(nodus_ctx *ctx, char *out, size_t n)
{
    res_request req;
    if (versions_request(ctx, 1, &req) &&
        req.source != REQ_DEFAULT) {
        char from[PATH_MAX + 32];
        resolve_describe(&req, from, sizeof from);
        if (!ctx->quiet)
            msg_note("using %s from %s", req.vf.specs[0], from);
        if (req.source == REQ_FILE)
            projects_note(&ctx->paths, req.origin); /* for 'nodus audit' */
        return str_copy(out, n, req.vf.specs[0]);
    }
    msg_err("which version? no version file (.node-version, .nvmrc, .tool-versions, package.json) is here.\n"
            "  nodus install --lts      the LTS release: long-term support, what most projects should use\n"
            "  nodus install --latest   the Current release: the newest features, supported for a shorter time\n"
            "  nodus install 22         a release line (or 22.11.0, ^20.1, lts/iron)");
    return -1;
}

/* Installing a version that is end of life or has known vulnerabilities
 * goes ahead (people reproduce old bugs) with one line that says so and
 * names the nearest release that fixes it. */
static void warn_unsafe(const nodus_ctx *ctx, const release_index *ix, safety_data *sd, int *sd_loaded,
                        const index_entry *e)
{
    if (ctx->quiet)
        return;
    if (!*sd_loaded) {
        safety_refresh(ctx, sd);
        *sd_loaded = 1;
    }
    verdict_t vd;
    safety_judge(sd, &e->v, &vd);
    if (verdict_flagged(&vd)) {
        char line[1024];
        verdict_fix_from(sd, &vd, &ix->list.items[0].v, ix->list.n, sizeof ix->list.items[0]);
        verdict_sentence_install(&vd, line, sizeof line);
        msg_warn("%s", line);
    }
    verdict_free(&vd);
}

/* A spec to the release it names on the mirror (the index loaded once,
 * on first need), with the warning for an unsafe one. */
static const index_entry *pick_one(nodus_ctx *ctx, release_index *ix, int *loaded, const char *text,
                                   safety_data *sd, int *sd_loaded, int *rc)
{
    spec_t s;
    if ((*rc = versions_spec(ctx, text, &s)) != 0)
        return NULL;
    if (!*loaded) {
        if ((*rc = index_load(ctx, ix)) != 0) {
            spec_free(&s);
            return NULL;
        }
        *loaded = 1;
    }
    const index_entry *e = versions_pick_remote(ctx, ix, &s, rc);
    spec_free(&s);
    if (e)
        warn_unsafe(ctx, ix, sd, sd_loaded, e);
    return e;
}

/* Installs one picked release and says how it went; 0 also when it was
 * there already. */
static int install_picked(const nodus_ctx *ctx, const release_index *ix, const index_entry *e, int *installed)
{
    const lts_line *line = lts_line_of(&ix->lts, &e->v);
    int rc = install_release(ctx, e, line ? line->name : NULL);
    if (rc == INSTALL_ALREADY) {
        if (!ctx->quiet)
            msg_note("node %s is already installed", e->version);
        return 0;
    }
    if (rc == INSTALL_DONE) {
        *installed = 1;
        if (!ctx->quiet && line)
            msg_note("installed node %s (lts/%s)", e->version, line->name);
        else if (!ctx->quiet)
            msg_note("installed node %s", e->version);
    }
    return rc;
}

typedef struct {
    const release_index *ix;
    const index_entry **picked;
} install_jobs;

static int install_job(nodus_ctx *ctx, size_t i, void *arg)
{
    const install_jobs *w = arg;
    int installed = 0;
    return install_picked(ctx, w->ix, w->picked[i], &installed);
}

/* Every spec picked first (so a typo fails before anything downloads and
 * one release named twice is installed once), then the releases installed
 * side by side, jobs at a time, each as a single install would be. */
static int install_many(nodus_ctx *ctx, release_index *ix, int *loaded, const char *const *specs, int n,
                        int jobs, int *installed, safety_data *sd, int *sd_loaded)
{
    const index_entry *picked[INSTALL_MAX_SPECS];
    const char *labels[INSTALL_MAX_SPECS];
    int status[INSTALL_MAX_SPECS];
    int job_of[INSTALL_MAX_SPECS]; /* spec i: its job, or -1 - the status of a spec that named nothing */
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        int r = 0;
        const index_entry *e = pick_one(ctx, ix, loaded, specs[i], sd, sd_loaded, &r);
        if (!e) {
            job_of[i] = -1 - r;
            continue;
        }
        size_t j = 0;
        while (j < k && picked[j] != e)
            j++;
        if (j == k)
            picked[k++] = e;
        job_of[i] = (int)j;
    }
    for (size_t i = 0; i < k; i++)
        labels[i] = picked[i]->version;
    install_jobs w = {ix, picked};
    if (k == 1)
        status[0] = install_picked(ctx, ix, picked[0], installed);
    else if (k > 1)
        par_run(ctx, k, jobs, labels, install_job, &w, status);
    for (size_t i = 0; k > 1 && i < k; i++)
        *installed |= status[i] == 0;
    /* The status of the first spec, in the order given, that failed: as
     * when they are installed in turn. */
    for (int i = 0; i < n; i++) {
        int s = job_of[i] < 0 ? -1 - job_of[i] : status[job_of[i]];
        if (s)
            return s;
    }
    return 0;
}

/* --reinstall-packages-from OLD: OLD's global packages into the version
 * spec now resolves to (just installed), with its own npm. */
static int reinstall_from(const nodus_ctx *ctx, const char *from, const char *spec)
{
    char oldv[128], newv[128], err[1024];
    if (versions_resolve(ctx, from, oldv, sizeof oldv, err, sizeof err) != RES_OK) {
        msg_err("--reinstall-packages-from %s: %s", from, err);
        return EXIT_NOT_INSTALLED;
    }
    if (versions_resolve(ctx, spec, newv, sizeof newv, err, sizeof err) != RES_OK) {
        msg_err("%s", err);
        return EXIT_NOT_INSTALLED;
    }
    if (strcmp(oldv, newv) == 0) {
        msg_err("--reinstall-packages-from %s names the version being installed (%s)", from, newv);
        return EXIT_USAGE;
    }
    gpkg *pk;
    size_t n;
    int rc = gpkgs_list(ctx, oldv, &pk, &n);
    if (rc)
        return rc;
    size_t failed = gpkgs_install(ctx, newv, pk, n);
    free(pk);
    if (failed) {
        msg_err("%zu of %zu global packages of %s could not be installed into %s (see above)", failed, n, oldv, newv);
        return EXIT_FAIL;
    }
    if (!ctx->quiet)
        msg_note("installed %zu global package%s of %s into %s", n, n == 1 ? "" : "s", oldv, newv);
    return 0;
}

int cmd_install(nodus_ctx *ctx, int argc, char **argv)
{
    const char *specs[INSTALL_MAX_SPECS];
    const char *from = NULL;
    int n = 0, jobs = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--reinstall-packages-from") == 0 || str_starts(a, "--reinstall-packages-from=")) {
            from = a[25] == '=' ? a + 26 : i + 1 < argc ? argv[++i] : NULL;
            if (!from || !*from) {
                msg_err("--reinstall-packages-from needs an installed version: --reinstall-packages-from 20");
                return EXIT_USAGE;
            }
            continue;
        }
        if (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0 || str_starts(a, "--jobs=")) {
            const char *v = a[1] == 'j' ? (i + 1 < argc ? argv[++i] : NULL) : a[6] == '=' ? a + 7 : i + 1 < argc ? argv[++i] : NULL;
            char *end = NULL;
            long j = v ? strtol(v, &end, 10) : 0;
            if (!v || !*v || *end || j < 1 || j > PAR_MAX_JOBS) {
                msg_err("--jobs takes how many versions to install at once, 1 to %d: --jobs 2", PAR_MAX_JOBS);
                return EXIT_USAGE;
            }
            jobs = (int)j;
            continue;
        }
        if (strcmp(a, "--lts") == 0)
            a = "lts/*";
        else if (strcmp(a, "--latest") == 0)
            a = "latest";
        else if (strcmp(a, "--allow-unsigned") == 0) {
            ctx->allow_unsigned = 1;
            continue;
        }
        else if (a[0] == '-' && a[1])
            return cmd_bad_option("install", a);
        if (!a[0] || strspn(a, " \t") == strlen(a)) {
            msg_err("an empty version spec; name one, e.g. nodus install --lts or nodus install 22");
            return EXIT_USAGE;
        }
        if (n == INSTALL_MAX_SPECS) {
            msg_err("too many versions at once; install at most %d per command", INSTALL_MAX_SPECS);
            return EXIT_USAGE;
        }
        specs[n++] = a;
    }
    char perr[512], project[VFILE_SPEC_MAX];
    if (platform_detect(ctx->platform, sizeof ctx->platform, ctx->mirror, perr, sizeof perr)) {
        msg_err("%s", perr);
        return EXIT_FAIL;
    }
    if (n == 0) {
        if (spec_from_project(ctx, project, sizeof project))
            return EXIT_USAGE;
        specs[n++] = project;
    }
    release_index ix = {0};
    int loaded = 0, installed = 0, rc = 0, sd_loaded = 0;
    safety_data sd = {0};
    if (!jobs)
        jobs = par_default_jobs();
    if (n > 1 && jobs > 1) {
        rc = install_many(ctx, &ix, &loaded, specs, n, jobs, &installed, &sd, &sd_loaded);
    } else {
        for (int i = 0; i < n; i++) {
            int r = 0;
            const index_entry *e = pick_one(ctx, &ix, &loaded, specs[i], &sd, &sd_loaded, &r);
            if (e)
                r = install_picked(ctx, &ix, e, &installed);
            if (r && !rc)
                rc = r;
        }
    }
    if (from && rc == 0 && n != 1) {
        msg_err("--reinstall-packages-from goes with exactly one version to install");
        rc = EXIT_USAGE;
    } else if (from && rc == 0) {
        rc = reinstall_from(ctx, from, specs[0]);
        installed = 1;
    }
    if (installed)
        versions_reshim(ctx);
    if (loaded)
        index_free(&ix);
    safety_free(&sd);
    return rc;
}
