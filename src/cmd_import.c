/* nodus import [nvm|fnm|n|volta...] [--dry-run]: adopt the versions other
 * managers installed, without downloading them again.
 *
 * Where each tool keeps them (paths.h, path_mgr_*):
 *   nvm    $NVM_DIR/versions/node/vX.Y.Z
 *   fnm    $FNM_DIR/node-versions/vX.Y.Z/installation
 *   n      $N_PREFIX/n/versions/node/X.Y.Z
 *   volta  $VOLTA_HOME/tools/image/node/X.Y.Z
 *
 * Each candidate must be a real release of the version its directory
 * names (nodedir_check: bin/node a regular executable, node_version.h
 * agreeing); others are skipped with a warning. A version nodus already
 * has is skipped. The tree is cloned into a staging directory under tmp/
 * (hard links where the filesystem allows, copies otherwise), given a
 * .nodus-meta (imported_from=, source=), and renamed into versions/ under
 * the same per-version lock as install. The first tool's default (nvm,
 * fnm, volta, n, in that order) becomes nodus's default, only when nodus
 * has none.
 *
 * stdout: "imported vX.Y.Z from TOOL (DIR)" per version ("would import"
 * with --dry-run), then "default set to SPEC (from TOOL)" ("would set the
 * default to ..."). Skips and refusals are notes and warnings on stderr. */
#include "cmd.h"
#include "fsutil.h"
#include "lock.h"
#include "platform_compat.h"
#include "msg.h"
#include "nodedir.h"
#include "resolve.h"
#include "strutil.h"
#include "versions.h"
#include "visible.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const mgr_id tools[] = {MGR_NVM, MGR_FNM, MGR_N, MGR_VOLTA};
#define NTOOLS (sizeof tools / sizeof tools[0])
/* Whose default wins when several have one. */
static const mgr_id default_order[] = {MGR_NVM, MGR_FNM, MGR_VOLTA, MGR_N};

#define SEEN_MAX 512

typedef struct {
    const nodus_ctx *ctx;
    int dry;
    lts_table lts;
    char seen[SEEN_MAX][SEMVER_PRE_MAX + 64]; /* imported (or would be) in this run */
    size_t nseen;
    size_t imported, refused, found;
    int rc;
} import_run;

static int seen(const import_run *run, const char *vname)
{
    for (size_t i = 0; i < run->nseen; i++)
        if (strcmp(run->seen[i], vname) == 0)
            return 1;
    return 0;
}

static void mark(import_run *run, const char *vname)
{
    if (run->nseen < SEEN_MAX)
        str_copy(run->seen[run->nseen++], sizeof run->seen[0], vname);
}

static int write_meta(const char *staging, const char *vname, const char *lts, mgr_id m, const char *src)
{
    char path[PATH_MAX], text[PATH_MAX + 512], when[64];
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    if (str_fmt(path, sizeof path, "%s/%s", staging, NODUS_META_NAME) ||
        str_fmt(text, sizeof text, "version=%s\nlts=%s\nimported_from=%s\nsource=%s\ninstalled=%s\n", vname,
                lts ? lts : "", mgr_name(m), src, when)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return fs_write_atomic(path, text, strlen(text), 0644);
}

/* Clone, describe, and rename into place; the caller holds the lock. */
static int adopt_locked(import_run *run, mgr_id m, const semver_t *v, const char *vname, const char *src,
                        const char *dest)
{
    const nodus_ctx *ctx = run->ctx;
    char staging[PATH_MAX], tmp[PATH_MAX], vdir[PATH_MAX], err[PATH_MAX + 256];
    if (path_tmp(&ctx->paths, tmp, sizeof tmp) || path_versions(&ctx->paths, vdir, sizeof vdir) ||
        path_stage_template(&ctx->paths, vname, (long)getpid(), staging, sizeof staging) || fs_mkdir_p(tmp) ||
        fs_mkdir_p(vdir) || !mkdtemp(staging)) {
        msg_err("cannot create a staging directory in %s: %s; check that it is writable", tmp, strerror(errno));
        return EXIT_IO;
    }
    nodedir_stats st;
    const lts_line *line = lts_line_of(&run->lts, v);
    int rc = 0;
    if (nodedir_clone(src, staging, dest, &st, err, sizeof err) != 0) {
        msg_err("cannot import %s from %s: %s; nothing was imported for it", vname, mgr_name(m), err);
        rc = EXIT_IO;
    } else if (write_meta(staging, vname, line ? line->name : NULL, m, src) != 0) {
        msg_err("cannot write the metadata of %s: %s", vname, strerror(errno));
        rc = EXIT_IO;
    }
    if (rc == 0) {
        compat_sync_tree(staging);
        if (rename(staging, dest) != 0) {
            msg_err("cannot move %s into place: %s", vname, strerror(errno));
            rc = EXIT_IO;
        } else {
            fs_sync_dir(vdir);
        }
    }
    if (rc)
        fs_rm_rf(staging);
    else if (!ctx->quiet && st.copied && st.linked == 0)
        msg_note("%s: copied (%lu files); hard links are not possible across filesystems", vname, st.copied);
    return rc;
}

static void consider(import_run *run, mgr_id m, const char *entry)
{
    const nodus_ctx *ctx = run->ctx;
    const char *tool = mgr_name(m);
    semver_t v;
    /* nvm and fnm name their directories vX.Y.Z, n and volta X.Y.Z. */
    if (semver_parse(entry, &v) != 0 || (entry[0] == 'v') != (m == MGR_NVM || m == MGR_FNM))
        return;
    char vname[SEMVER_PRE_MAX + 64], src[PATH_MAX], dest[PATH_MAX], why[PATH_MAX];
    spec_vname(&v, vname, sizeof vname);
    if (path_mgr_release(m, entry, src, sizeof src) || path_version(&ctx->paths, vname, dest, sizeof dest))
        return;
    run->found++;
    if (nodedir_check(src, &v, why, sizeof why) != 0) {
        msg_warn("%s: not importing %s from %s: %s, so it is not a complete Node.js release", tool, vname, src, why);
        run->refused++;
        return;
    }
    if (seen(run, vname) || fs_is_dir(dest)) {
        if (!ctx->quiet)
            msg_note("%s: %s is already installed in nodus; skipped", tool, vname);
        return;
    }
    if (run->dry) {
        vis_printf(stdout, "would import %s from %s (%s)\n", vname, tool, src);
        mark(run, vname);
        run->imported++;
        return;
    }
    char lockname[160];
    str_fmt(lockname, sizeof lockname, "install-%s", vname);
    int lk = lock_take(&ctx->paths, lockname, ctx->quiet);
    if (lk < 0) {
        msg_err("cannot lock %s for importing: %s; check that %s is writable", vname, strerror(errno),
                ctx->paths.home);
        run->rc = EXIT_IO;
        return;
    }
    int rc = 0;
    if (!fs_is_dir(dest)) /* an install may have finished while we waited */
        rc = adopt_locked(run, m, &v, vname, src, dest);
    lock_drop(&ctx->paths, lockname, lk);
    if (rc) {
        run->rc = rc;
        return;
    }
    vis_printf(stdout, "imported %s from %s (%s)\n", vname, tool, src);
    fflush(stdout);
    mark(run, vname);
    run->imported++;
}

static int cmp_names(const void *a, const void *b)
{
    semver_t x, y;
    const char *s = *(const char *const *)a, *t = *(const char *const *)b;
    if (semver_parse(s, &x) == 0 && semver_parse(t, &y) == 0)
        return semver_cmp(&x, &y);
    return strcmp(s, t);
}

/* Every version directory of one tool, oldest first. */
static void import_tool(import_run *run, mgr_id m, int named)
{
    char dir[PATH_MAX];
    if (path_mgr_versions(m, dir, sizeof dir) != 0) {
        if (named) {
            msg_err("cannot tell where %s keeps its versions: HOME is not set", mgr_name(m));
            run->rc = EXIT_NOT_FOUND;
        }
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        if (named) {
            static const char *const vars[] = {"NVM_DIR", "FNM_DIR", "N_PREFIX", "VOLTA_HOME"};
            msg_err("found no %s versions: %s %s; if %s lives elsewhere, set %s", mgr_name(m), dir,
                    errno == ENOENT ? "does not exist" : strerror(errno), mgr_name(m), vars[m]);
            run->rc = run->rc ? run->rc : EXIT_NOT_FOUND;
        }
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        if ((names[n] = strdup(de->d_name)) != NULL)
            n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        consider(run, m, names[i]);
        free(names[i]);
    }
    free(names);
}

/* ---- defaults ---- */

/* nvm: alias/default holds a spec; a name in it is another nvm alias. */
static int nvm_default(char *spec, size_t n)
{
    char path[PATH_MAX];
    if (path_mgr_default(MGR_NVM, path, sizeof path) || read_spec_file(path, spec, n))
        return -1;
    for (int depth = 0; depth < 8; depth++) {
        spec_t s;
        char err[256];
        if (spec_parse(spec, &s, err, sizeof err))
            return -1;
        int alias = s.kind == SPEC_ALIAS;
        char name[64];
        str_copy(name, sizeof name, s.name);
        spec_free(&s);
        if (!alias)
            return 0;
        if (path_mgr_alias(MGR_NVM, name, path, sizeof path) || read_spec_file(path, spec, n))
            return -1;
    }
    return -1;
}

/* fnm: aliases/default is a symlink to node-versions/vX.Y.Z/installation. */
static int fnm_default(char *spec, size_t n)
{
    char path[PATH_MAX], target[PATH_MAX];
    if (path_mgr_default(MGR_FNM, path, sizeof path))
        return -1;
    ssize_t len = readlink(path, target, sizeof target - 1);
    if (len <= 0)
        return -1;
    target[len] = '\0';
    while (len > 1 && target[len - 1] == '/')
        target[--len] = '\0';
    char *slash = strrchr(target, '/');
    if (slash && strcmp(slash + 1, "installation") == 0) {
        *slash = '\0';
        slash = strrchr(target, '/');
    }
    const char *last = slash ? slash + 1 : target;
    semver_t v;
    if (semver_parse(last, &v) != 0)
        return -1;
    return str_fmt(spec, n, "%lu.%lu.%lu", v.major, v.minor, v.patch);
}

/* volta: tools/user/platform.json {"node": {"runtime": "22.11.0", ...}}. */
static int volta_default(char *spec, size_t n)
{
    char path[PATH_MAX];
    if (path_mgr_default(MGR_VOLTA, path, sizeof path))
        return -1;
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        return -1;
    json_t *rt = json_object_get(json_object_get(root, "node"), "runtime");
    semver_t v;
    int rc = -1;
    if (json_is_string(rt) && semver_parse(json_string_value(rt), &v) == 0)
        rc = str_copy(spec, n, json_string_value(rt));
    json_decref(root);
    return rc;
}

/* n: the active install is copied into the prefix; its header names it.
 * Only a version n itself keeps counts (the prefix may be a system one). */
static int n_default(char *spec, size_t n)
{
    char path[PATH_MAX], entry[96], rel[PATH_MAX];
    if (path_mgr_default(MGR_N, path, sizeof path))
        return -1;
    char *text = fs_read_file(path, 1u << 20, NULL);
    semver_t v;
    int ok = text && nodedir_header_version(text, &v) == 0;
    free(text);
    if (!ok || str_fmt(entry, sizeof entry, "%lu.%lu.%lu", v.major, v.minor, v.patch) ||
        path_mgr_release(MGR_N, entry, rel, sizeof rel) || !fs_is_dir(rel))
        return -1;
    return str_copy(spec, n, entry);
}

static int tool_default(mgr_id m, char *spec, size_t n)
{
    switch (m) {
    case MGR_NVM:
        return nvm_default(spec, n);
    case MGR_FNM:
        return fnm_default(spec, n);
    case MGR_VOLTA:
        return volta_default(spec, n);
    case MGR_N:
        return n_default(spec, n);
    default:
        return -1;
    }
}

static void import_default(import_run *run, const int *selected)
{
    const nodus_ctx *ctx = run->ctx;
    char path[PATH_MAX], mine[SPEC_TEXT_MAX];
    if (path_default(&ctx->paths, path, sizeof path))
        return;
    int have = read_spec_file(path, mine, sizeof mine) == 0;
    for (size_t i = 0; i < sizeof default_order / sizeof default_order[0]; i++) {
        mgr_id m = default_order[i];
        char spec[SPEC_TEXT_MAX], err[512];
        spec_t s;
        if (!selected[m] || tool_default(m, spec, sizeof spec) != 0)
            continue;
        if (spec_parse(spec, &s, err, sizeof err) != 0)
            continue;
        spec_free(&s);
        if (have) {
            if (!ctx->quiet && strcmp(spec, mine) != 0)
                msg_note("keeping nodus's default (%s); %s's default is %s", mine, mgr_name(m), spec);
            return;
        }
        if (run->dry) {
            vis_printf(stdout, "would set the default to %s (from %s)\n", spec, mgr_name(m));
            return;
        }
        char line[SPEC_TEXT_MAX + 2];
        str_fmt(line, sizeof line, "%s\n", spec);
        if (fs_mkdir_p(ctx->paths.home) || fs_write_atomic(path, line, strlen(line), 0644)) {
            msg_err("cannot write the default to %s: %s", path, strerror(errno));
            run->rc = run->rc ? run->rc : EXIT_IO;
            return;
        }
        vis_printf(stdout, "default set to %s (from %s)\n", spec, mgr_name(m));
        char vname[128];
        if (versions_resolve(ctx, spec, vname, sizeof vname, err, sizeof err) != RES_OK && !ctx->quiet)
            msg_warn("no installed version matches the default %s yet; run 'nodus install %s'%s", spec, spec,
                     run->lts.n ? "" : " (for an lts/ spec, 'nodus ls-remote --lts' teaches nodus the LTS lines)");
        return;
    }
}

int cmd_import(nodus_ctx *ctx, int argc, char **argv)
{
    int selected[MGR_COUNT] = {0}, any = 0, dry = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "-n") == 0) {
            dry = 1;
            continue;
        }
        if (argv[i][0] == '-')
            return cmd_bad_option("import", argv[i]);
        size_t k = 0;
        while (k < NTOOLS && strcmp(argv[i], mgr_name(tools[k])) != 0)
            k++;
        if (k == NTOOLS) {
            msg_err("nodus cannot import from '%s'; it imports from nvm, fnm, n and volta", argv[i]);
            return EXIT_USAGE;
        }
        selected[tools[k]] = 1;
        any = 1;
    }
    import_run *run = calloc(1, sizeof *run);
    if (!run) {
        msg_err("out of memory");
        return EXIT_FAIL;
    }
    run->ctx = ctx;
    run->dry = dry;
    versions_lts(ctx, &run->lts);
    for (size_t k = 0; k < NTOOLS; k++) {
        if (any && !selected[tools[k]])
            continue;
        selected[tools[k]] = 1;
        import_tool(run, tools[k], any);
    }
    import_default(run, selected);
    if (run->found == 0 && !any && !ctx->quiet)
        msg_note("found no versions to import from nvm, fnm, n or volta (set NVM_DIR, FNM_DIR, N_PREFIX or "
                 "VOLTA_HOME if they live elsewhere)");
    else if (run->imported == 0 && run->found > 0 && !ctx->quiet)
        msg_note("nothing %simported: every version found is already in nodus or was refused",
                 dry ? "would be " : "");
    if (run->imported && !dry)
        versions_reshim(ctx);
    int rc = run->rc;
    lts_free(&run->lts);
    free(run);
    return rc;
}
