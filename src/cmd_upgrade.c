/* nodus upgrade [SPEC...] [--dry-run] [--keep]: move each installed release
 * line (or those the specs name) to its newest release.
 *
 * For a line whose newest installed version OLD is older than the newest
 * release NEW: install NEW; check that NEW's node runs; install OLD's
 * global npm packages into NEW with NEW's npm; point the default and the
 * aliases that name OLD exactly at NEW (a range follows by itself); then
 * remove OLD, unless --keep, a project nodus has seen pins OLD exactly, or
 * a package could not be moved. Each step is atomic and OLD goes last, so
 * an upgrade interrupted anywhere loses nothing: running it again
 * finishes it. */
#include "cmd.h"
#include "fsutil.h"
#include "globalpkgs.h"
#include "index.h"
#include "install.h"
#include "msg.h"
#include "platform.h"
#include "projects.h"
#include "resolve.h"
#include "strutil.h"
#include "versions.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    nodus_ctx *ctx;
    int dry_run, keep;
    release_index ix;
    int changed;
} upgrade_run;

static int same_line(const semver_t *a, const semver_t *b)
{
    return a->major == b->major && (a->major != 0 || a->minor == b->minor);
}

static int names_exactly(const char *spec, const semver_t *v)
{
    semver_t s;
    return semver_parse(spec, &s) == 0 && semver_cmp(&s, v) == 0;
}

/* The first project version file that pins v exactly, or "". */
static void pinned_by(const nodus_ctx *ctx, const semver_t *v, char *out, size_t n)
{
    char **list;
    size_t k;
    out[0] = '\0';
    if (projects_list(&ctx->paths, &list, &k))
        return;
    for (size_t i = 0; i < k && !out[0]; i++) {
        const char *base = strrchr(list[i], '/') + 1;
        for (int kind = 0; kind < VF_COUNT; kind++) {
            vfile_result vf;
            char err[256];
            if (strcmp(base, vfile_names[kind]) == 0 &&
                vfile_read(list[i], (vfile_kind)kind, ctx->no_engines ? VF_NO_ENGINES : 0, &vf, err, sizeof err) ==
                    VF_FOUND &&
                names_exactly(vf.specs[0], v))
                str_copy(out, n, list[i]);
        }
    }
    projects_free(list, k);
}

/* Whether versions/<vname>/bin/node runs and says it is vname. */
static int node_works(const nodus_ctx *ctx, const char *vname)
{
    char node[PATH_MAX];
    int fds[2];
    if (path_version_bin(&ctx->paths, vname, node, sizeof node) || strlen(node) + 6 > sizeof node || pipe(fds))
        return 0;
    strcat(node, "/node");
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return 0;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        char *const args[] = {node, "--version", NULL};
        execv(node, args);
        _exit(127);
    }
    close(fds[1]);
    char buf[128];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof buf - 1 && ((r = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0 || (r < 0 && errno == EINTR)))
        got += r > 0 ? (size_t)r : 0;
    close(fds[0]);
    buf[got] = '\0';
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    buf[strcspn(buf, "\r\n")] = '\0';
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 && strcmp(buf, vname) == 0;
}

static int rewrite_spec_file(const char *path, const char *text)
{
    char line[256];
    return str_fmt(line, sizeof line, "%s\n", text) || fs_write_atomic(path, line, strlen(line), 0644);
}

/* The default and the aliases that name old exactly now name new. */
static void move_references(upgrade_run *u, const semver_t *old, const char *new_vname)
{
    char path[PATH_MAX], spec[256];
    if (path_default(&u->ctx->paths, path, sizeof path) == 0 && read_spec_file(path, spec, sizeof spec) == 0 &&
        names_exactly(spec, old)) {
        if (u->dry_run)
            printf("  default: %s -> %s\n", spec, new_vname + 1);
        else if (rewrite_spec_file(path, new_vname + 1))
            msg_warn("cannot update the default (%s): %s", path, strerror(errno));
    }
    alias_ent *al;
    size_t n;
    if (versions_aliases(u->ctx, &al, &n) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (!names_exactly(al[i].spec, old))
            continue;
        if (u->dry_run)
            printf("  alias %s: %s -> %s\n", al[i].name, al[i].spec, new_vname + 1);
        else if (path_alias(&u->ctx->paths, al[i].name, path, sizeof path) || rewrite_spec_file(path, new_vname + 1))
            msg_warn("cannot update the alias %s: %s", al[i].name, strerror(errno));
    }
    free(al);
}

static int upgrade_line(upgrade_run *u, const semver_t *oldv)
{
    nodus_ctx *ctx = u->ctx;
    char old[128], line[32], err[256];
    spec_vname(oldv, old, sizeof old);
    if (oldv->major == 0)
        str_fmt(line, sizeof line, "0.%lu", oldv->minor);
    else
        str_fmt(line, sizeof line, "%lu", oldv->major);
    spec_t s;
    if (spec_parse(line, &s, err, sizeof err))
        return EXIT_FAIL;
    int rc = 0;
    const index_entry *e = versions_pick_remote(ctx, &u->ix, &s, &rc);
    spec_free(&s);
    if (!e)
        return rc;
    if (semver_cmp(&e->v, oldv) <= 0) {
        if (!ctx->quiet)
            msg_note("%s is the newest release of %s", old, line);
        return 0;
    }
    char new_vname[128], pin[PATH_MAX];
    spec_vname(&e->v, new_vname, sizeof new_vname);
    gpkg *pk = NULL;
    size_t npk = 0;
    if ((rc = gpkgs_list(ctx, old, &pk, &npk)))
        return rc;
    pinned_by(ctx, oldv, pin, sizeof pin);
    printf("%s %s: %s -> %s\n", u->dry_run ? "would upgrade" : "upgrade", line, old, new_vname);
    if (u->dry_run) {
        for (size_t i = 0; i < npk; i++)
            printf("  package: %s@%s\n", pk[i].name, pk[i].version);
        move_references(u, oldv, new_vname);
        if (u->keep || pin[0])
            printf("  keep %s (%s%s)\n", old, pin[0] ? "pinned by " : "--keep", pin);
        else
            printf("  remove %s\n", old);
        free(pk);
        return 0;
    }
    const lts_line *ll = lts_line_of(&u->ix.lts, &e->v);
    rc = install_release(ctx, e, ll ? ll->name : NULL);
    if (rc != INSTALL_DONE && rc != INSTALL_ALREADY) {
        msg_err("%s was not upgraded: installing %s failed; %s is untouched", old, new_vname, old);
        free(pk);
        return rc;
    }
    u->changed = 1;
    if (!node_works(ctx, new_vname)) {
        msg_err("%s does not run here (its 'node --version' failed); %s and everything pointing at it are "
                "untouched; run 'nodus doctor'", new_vname, old);
        free(pk);
        return EXIT_FAIL;
    }
    size_t failed = gpkgs_install(ctx, new_vname, pk, npk);
    free(pk);
    if (failed) {
        msg_err("%zu global package%s could not be installed into %s; %s, the default and the aliases are kept "
                "as they were, so nothing is lost (run 'nodus upgrade %s' again once they can be)", failed,
                failed == 1 ? "" : "s", new_vname, old, line);
        return EXIT_FAIL;
    }
    move_references(u, oldv, new_vname);
    if (u->keep || pin[0]) {
        if (!ctx->quiet)
            msg_note("kept %s (%s%s)", old, pin[0] ? "pinned by " : "--keep", pin);
        return 0;
    }
    rc = versions_remove(ctx, old);
    if (rc == 0)
        printf("  removed %s\n", old);
    return rc;
}

int cmd_upgrade(nodus_ctx *ctx, int argc, char **argv)
{
    upgrade_run u = {.ctx = ctx};
    const char *specs[64];
    int ns = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "-n") == 0)
            u.dry_run = 1;
        else if (strcmp(argv[i], "--keep") == 0)
            u.keep = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cmd_bad_option("upgrade", argv[i]);
        else if (ns == 64) {
            msg_err("too many specs at once; at most 64");
            return EXIT_USAGE;
        } else
            specs[ns++] = argv[i];
    }
    char perr[512];
    if (platform_detect(ctx->platform, sizeof ctx->platform, ctx->mirror, perr, sizeof perr)) {
        msg_err("%s", perr);
        return EXIT_FAIL;
    }
    vlist_t inst;
    lts_table lts;
    int rc = versions_installed(ctx, &inst);
    if (rc)
        return rc;
    versions_lts(ctx, &lts);
    /* Which lines: every installed one, or those a spec matches. */
    char *want = calloc(inst.n ? inst.n : 1, 1);
    for (int k = 0; k < ns && want && rc == 0; k++) {
        spec_t s;
        if ((rc = versions_spec(ctx, specs[k], &s)))
            break;
        int any = 0;
        for (size_t i = 0; i < inst.n; i++)
            if (spec_matches(&s, &inst.items[i], &inst, &lts))
                want[i] = 1, any = 1;
        spec_free(&s);
        if (!any) {
            msg_err("no installed version matches '%s'; see 'nodus ls'", specs[k]);
            rc = EXIT_NOT_INSTALLED;
        }
    }
    if (!want)
        rc = EXIT_FAIL;
    if (rc == 0 && inst.n == 0 && !ctx->quiet)
        msg_note("nothing is installed; run 'nodus install --lts'");
    if (rc == 0 && inst.n)
        rc = index_load(ctx, &u.ix);
    int loaded = rc == 0 && inst.n;
    for (size_t i = 0; loaded && i < inst.n; i++) {
        /* The newest installed version of each line: the list is newest first. */
        if (i > 0 && same_line(&inst.items[i - 1].v, &inst.items[i].v))
            continue;
        int chosen = ns == 0;
        for (size_t j = i; !chosen && j < inst.n && same_line(&inst.items[j].v, &inst.items[i].v); j++)
            chosen = want[j];
        if (!chosen)
            continue;
        int r = upgrade_line(&u, &inst.items[i].v);
        if (r && !rc)
            rc = r;
    }
    if (u.changed)
        versions_reshim(ctx);
    if (loaded)
        index_free(&u.ix);
    free(want);
    lts_free(&lts);
    vlist_free(&inst);
    return rc;
}
