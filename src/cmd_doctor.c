/* nodus doctor [--json]: check the setup; for each problem, what to do.
 *
 * Every check has a name, a status (ok, warn, fail), a message and, for
 * problems, a fix. The checks, in order:
 *
 *   config       config.yaml parses and has only known keys
 *   signatures   installs require a signature: warn for verify_signatures
 *                false or allow_unsigned true (config or environment)
 *   shims        the shims directory exists
 *   shim-binary  nodus-shim is found next to nodus
 *   shim-links   every shim is a link to that nodus-shim; node is there
 *   path         the shims are on PATH, before every other node
 *   nodus-path   this nodus is on PATH, and no other nodus before it
 *   versions     each versions/ entry is a complete version (bin/node, .nodus-meta)
 *   default      a default is set and resolves to an installed version
 *   aliases      every alias resolves to an installed version
 *   index-cache  the cached release index parses
 *   staging      no leftovers of killed installs or uninstalls in tmp/
 *   locks        no lock in tmp/ is held (a held one names its process)
 *   nvm fnm volta n asdf mise
 *                another manager: fail when its node comes before the
 *                shims on PATH, warn when it is installed
 *   system-node  no node outside any manager comes before the shims
 *
 * Human output (stdout): "STATUS  CHECK  MESSAGE" aligned, and an
 * indented "fix: ..." line under each problem; then a summary line.
 * --json: an array of {"check", "status", "message", "fix"} objects (fix is
 * null when the status is ok). Exit status 1 when any check fails, else 0
 * (warnings do not change it). */
#include "cmd.h"
#include "fsutil.h"
#include "homecheck.h"
#include "index.h"
#include "msg.h"
#include "nodedir.h"
#include "resolve.h"
#include "shims.h"
#include "strutil.h"
#include "versions.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/sysmacros.h> /* major(), minor(); sys/types.h has them elsewhere */
#endif
#include <unistd.h>

typedef enum { ST_OK, ST_WARN, ST_FAIL } status_t;

static const char *const status_names[] = {"ok", "warn", "fail"};

typedef struct {
    char check[16];
    status_t status;
    char message[2048];
    char fix[1024];
} result_t;

#define MAX_RESULTS 32
#define MAX_BEFORE 16

typedef struct {
    result_t r[MAX_RESULTS];
    size_t n;
    /* PATH directories holding a node, before the shims (all of them when
     * the shims are not on PATH), and the first node after them. */
    char before[MAX_BEFORE][PATH_MAX];
    int before_owner[MAX_BEFORE]; /* mgr_id, or -1 for none (a system node) */
    size_t nbefore;
    char after[PATH_MAX];
    char shims[PATH_MAX];
    char shim_bin[PATH_MAX];
} report_t;

static result_t *add(report_t *rep, const char *check, status_t st, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static result_t *add(report_t *rep, const char *check, status_t st, const char *fix, const char *fmt, ...)
{
    static result_t overflow;
    result_t *r = rep->n < MAX_RESULTS ? &rep->r[rep->n++] : &overflow;
    memset(r, 0, sizeof *r);
    str_copy(r->check, sizeof r->check, check);
    r->status = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
    str_copy(r->fix, sizeof r->fix, st == ST_OK || !fix ? "" : fix);
    return r;
}

/* Append ", item" (or "item") to a message, with "..." once it is full. */
static void append_item(char *buf, size_t n, const char *item)
{
    size_t len = strlen(buf);
    if (len + 8 >= n)
        return;
    if (snprintf(buf + len, n - len, "%s%s", len ? ", " : "", item) >= (int)(n - len))
        str_copy(buf + n - 5, 5, "...");
}

/* A directory's entries in name order, so the output is the same on
 * every filesystem. */
typedef struct {
    struct dirent **list;
    int n, i;
} sorted_dir;

static int sdir_open(sorted_dir *s, const char *path)
{
    s->i = 0;
    s->n = scandir(path, &s->list, NULL, alphasort);
    return s->n < 0 ? -1 : 0;
}

static struct dirent *sdir_next(sorted_dir *s)
{
    return s->i < s->n ? s->list[s->i++] : NULL;
}

static void sdir_close(sorted_dir *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->list[i]);
    free(s->list);
}

void cmd_setup_hint(char *buf, size_t n)
{
    const char *sh = getenv("SHELL");
    const char *base = sh && strrchr(sh, '/') ? strrchr(sh, '/') + 1 : sh ? sh : "";
    if (strcmp(base, "zsh") == 0)
        str_fmt(buf, n, "add 'eval \"$(nodus init zsh)\"' at the end of ~/.zshrc and open a new shell");
    else if (strcmp(base, "fish") == 0)
        str_fmt(buf, n, "add 'nodus init fish | source' at the end of ~/.config/fish/config.fish and open a new shell");
    else
        str_fmt(buf, n, "add 'eval \"$(nodus init bash)\"' at the end of ~/.bashrc and open a new shell");
}

/* ---- configuration ---- */

static void check_config(const nodus_ctx *ctx, report_t *rep)
{
    if (ctx->config_error[0]) {
        char fix[1024];
        str_fmt(fix, sizeof fix, "correct %s at the place named (see 'nodus help config' for the keys)",
                ctx->config_file);
        add(rep, "config", ST_FAIL, fix, "%s", ctx->config_error);
    } else if (fs_exists(ctx->config_file)) {
        add(rep, "config", ST_OK, NULL, "%s is valid", ctx->config_file);
    } else {
        add(rep, "config", ST_OK, NULL, "no config file (%s); the defaults apply", ctx->config_file);
    }
}

/* ---- trust ---- */

/* What weakens the check of downloads, and where it is set. */
static void check_signatures(const nodus_ctx *ctx, report_t *rep)
{
    const char *venv = getenv("NODUS_VERIFY_SIGNATURES"), *aenv = getenv("NODUS_ALLOW_UNSIGNED");
    int env_off = str_bool(venv) == 0, env_allow = str_bool(aenv) == 1;
    if (ctx->no_verify || env_off) {
        add(rep, "signatures", ST_WARN,
            env_off ? "unset NODUS_VERIFY_SIGNATURES" : "run 'nodus config unset verify_signatures'",
            "verify_signatures is false (%s): installs do not check that a Node.js release key signed the "
            "checksums", env_off ? "NODUS_VERIFY_SIGNATURES" : "config");
    } else if (ctx->allow_unsigned || env_allow) {
        add(rep, "signatures", ST_WARN,
            env_allow ? "unset NODUS_ALLOW_UNSIGNED, unless the mirror publishes no signatures"
                      : "run 'nodus config unset allow_unsigned', unless the mirror publishes no signatures",
            "allow_unsigned is true (%s): a mirror that publishes no signature is trusted on its word",
            env_allow ? "NODUS_ALLOW_UNSIGNED" : "config");
    } else {
        add(rep, "signatures", ST_OK, NULL, "installs require checksums signed by a release key");
    }
}

/* ---- whose the home is (homecheck.h): the one check doctor reports
 * instead of refusing to run ---- */

static void check_home(const nodus_ctx *ctx, report_t *rep)
{
    char err[PATH_MAX + 512];
    if (home_check(&ctx->paths, err, sizeof err))
        add(rep, "home", ST_FAIL, "the change the message names; until then every other command refuses to run",
            "%s", err);
    else
        add(rep, "home", ST_OK, NULL, "%s belongs to you (or root) and only you may write it", ctx->paths.home);
}

/* ---- shims ---- */

static void check_shims(const nodus_ctx *ctx, report_t *rep, size_t nversions)
{
    int have_dir = fs_is_dir(rep->shims);
    /* Before the first install there are no shims yet, and nothing for
     * them to run: a warning, not a failure. */
    status_t missing = nversions ? ST_FAIL : ST_WARN;
    const char *missing_fix = nversions ? "run 'nodus reshim'" : "install a version: 'nodus install --lts'";
    if (have_dir)
        add(rep, "shims", ST_OK, NULL, "%s exists", rep->shims);
    else
        add(rep, "shims", missing, missing_fix, "the shims directory %s does not exist%s", rep->shims,
            nversions ? "" : " yet");

    if (shims_binary(ctx, rep->shim_bin, sizeof rep->shim_bin) == 0) {
        add(rep, "shim-binary", ST_OK, NULL, "%s", rep->shim_bin);
    } else {
        rep->shim_bin[0] = '\0';
        add(rep, "shim-binary", ST_FAIL, "reinstall nodus (nodus-shim belongs beside it or in ../libexec/nodus)",
            "cannot find nodus-shim next to nodus (in %s or %s/../libexec/nodus)", ctx->self_dir, ctx->self_dir);
    }

    if (!have_dir) {
        add(rep, "shim-links", missing, missing_fix, "there are no shims%s", nversions ? "" : " yet");
        return;
    }
    sorted_dir d;
    if (sdir_open(&d, rep->shims)) {
        add(rep, "shim-links", ST_FAIL, "check the permissions of the shims directory", "cannot read %s: %s",
            rep->shims, strerror(errno));
        return;
    }
    char wrong[1536] = "", others[512] = "";
    size_t good = 0, nwrong = 0;
    int have_node = 0;
    struct dirent *de;
    while ((de = sdir_next(&d)) != NULL) {
        char path[PATH_MAX], target[PATH_MAX], item[PATH_MAX + 64];
        struct stat st;
        if (de->d_name[0] == '.' || str_fmt(path, sizeof path, "%s/%s", rep->shims, de->d_name) ||
            lstat(path, &st) != 0)
            continue;
        if (!S_ISLNK(st.st_mode)) {
            append_item(others, sizeof others, de->d_name);
            continue;
        }
        ssize_t n = readlink(path, target, sizeof target - 1);
        target[n > 0 ? n : 0] = '\0';
        if (rep->shim_bin[0] && strcmp(target, rep->shim_bin) == 0) {
            good++;
            have_node |= strcmp(de->d_name, "node") == 0;
            continue;
        }
        nwrong++;
        str_fmt(item, sizeof item, "%s -> %s%s", de->d_name, target, access(path, X_OK) ? " (missing)" : "");
        append_item(wrong, sizeof wrong, item);
    }
    sdir_close(&d);
    if (nwrong)
        add(rep, "shim-links", ST_FAIL, "run 'nodus reshim'", "%zu shim%s not point at %s: %s", nwrong,
            nwrong == 1 ? " does" : "s do", rep->shim_bin[0] ? rep->shim_bin : "nodus-shim", wrong);
    else if (nversions && !have_node)
        add(rep, "shim-links", ST_FAIL, "run 'nodus reshim'", "there is no node shim in %s", rep->shims);
    else if (others[0])
        add(rep, "shim-links", ST_WARN, "move files you put there elsewhere: 'nodus reshim' manages this directory",
            "%zu shims are right, but %s %s not a shim", good, others, strchr(others, ',') ? "are" : "is");
    else
        add(rep, "shim-links", ST_OK, NULL, "%zu shims, all pointing at nodus-shim", good);
}

/* ---- PATH and other managers ---- */

/* Whether dir is root or below it. */
static int under(const char *dir, const char *root)
{
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    return rl > 0 && strncmp(dir, root, rl) == 0 && (dir[rl] == '/' || dir[rl] == '\0');
}

/* Which manager a PATH directory with a node belongs to, or -1. */
static int owner_of(const char *dir)
{
    for (int m = 0; m < MGR_COUNT; m++) {
        char root[PATH_MAX], bin[PATH_MAX];
        int from_env;
        if (path_mgr_root((mgr_id)m, root, sizeof root, &from_env) != 0)
            continue;
        if (m == MGR_N) {
            /* n's bin/ is the prefix's, often /usr/local/bin: n's only when
             * n keeps versions under that prefix. */
            char vers[PATH_MAX];
            if (path_mgr_bin(MGR_N, bin, sizeof bin) == 0 && path_entry_is(dir, strlen(dir), bin) &&
                path_mgr_versions(MGR_N, vers, sizeof vers) == 0 && fs_is_dir(vers))
                return m;
            continue;
        }
        if (under(dir, root))
            return m;
    }
    const char *mp = getenv("FNM_MULTISHELL_PATH");
    if (strstr(dir, "fnm_multishells") || (mp && mp[0] == '/' && under(dir, mp)))
        return MGR_FNM;
    if (strstr(dir, "/.nvm/"))
        return MGR_NVM;
    if (strstr(dir, "/.volta/"))
        return MGR_VOLTA;
    if (strstr(dir, "/.asdf/"))
        return MGR_ASDF;
    if (strstr(dir, "/mise/"))
        return MGR_MISE;
    return -1;
}

static int is_shims_entry(const char *entry, size_t len, const char *shims, const struct stat *sst)
{
    if (path_entry_is(entry, len, shims))
        return 1;
    char dir[PATH_MAX];
    struct stat st;
    return sst->st_ino && str_fmt(dir, sizeof dir, "%.*s", (int)len, entry) == 0 && stat(dir, &st) == 0 &&
           st.st_dev == sst->st_dev && st.st_ino == sst->st_ino;
}

static void check_path(report_t *rep)
{
    const char *path = getenv("PATH");
    struct stat sst = {0}, self = {0};
    stat(rep->shims, &sst);
    if (rep->shim_bin[0])
        stat(rep->shim_bin, &self);
    int found = 0;
    /* The same node reached twice (/bin -> /usr/bin) counts once. */
    struct stat seen[MAX_BEFORE];
    size_t nseen = 0;
    for (const char *p = path ? path : ""; *p;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char dir[PATH_MAX], node[PATH_MAX];
        struct stat nst;
        int dup = 0;
        if (len && !found && is_shims_entry(p, len, rep->shims, &sst)) {
            found = 1;
        } else if (len && str_fmt(dir, sizeof dir, "%.*s", (int)len, p) == 0 &&
                   str_fmt(node, sizeof node, "%s/node", dir) == 0 && access(node, X_OK) == 0 &&
                   stat(node, &nst) == 0 && !(self.st_ino && resolve_same_file(node, &self))) {
            for (size_t i = 0; i < nseen; i++)
                dup |= seen[i].st_dev == nst.st_dev && seen[i].st_ino == nst.st_ino;
            if (!dup && nseen < MAX_BEFORE)
                seen[nseen++] = nst;
            if (dup) {
                /* already counted */
            } else if (!found && rep->nbefore < MAX_BEFORE) {
                str_copy(rep->before[rep->nbefore], PATH_MAX, dir);
                rep->before_owner[rep->nbefore++] = owner_of(dir);
            } else if (found && !rep->after[0]) {
                str_copy(rep->after, sizeof rep->after, node);
            }
        }
        if (!end)
            break;
        p = end + 1;
    }
    char hint[512], list[1536] = "";
    cmd_setup_hint(hint, sizeof hint);
    if (!found) {
        add(rep, "path", ST_FAIL, hint, "the shims directory %s is not on PATH, so 'node' does not go through nodus",
            rep->shims);
        return;
    }
    if (rep->nbefore == 0) {
        add(rep, "path", ST_OK, NULL, "%s is on PATH, before any other node", rep->shims);
        return;
    }
    for (size_t i = 0; i < rep->nbefore; i++) {
        char item[PATH_MAX + 32];
        str_fmt(item, sizeof item, "%s (%s)", rep->before[i],
                rep->before_owner[i] >= 0 ? mgr_name((mgr_id)rep->before_owner[i]) : "system");
        append_item(list, sizeof list, item);
    }
    char fix[1024];
    str_fmt(fix, sizeof fix, "put %s first on PATH: load nodus's setup after the other tools' in your shell's "
            "startup file (%s)", rep->shims, hint);
    add(rep, "path", ST_FAIL, fix, "another node comes before the shims on PATH: %s", list);
}

/* An executable NAME somewhere on PATH. */
static int on_path(const char *name)
{
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char cand[PATH_MAX];
        if (len && str_fmt(cand, sizeof cand, "%.*s/%s", (int)len, p, name) == 0 && access(cand, X_OK) == 0)
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

/* Whether manager m is installed, and where (for the message). */
static int mgr_present(mgr_id m, char *where, size_t n)
{
    char root[PATH_MAX], sub[PATH_MAX];
    int from_env = 0;
    if (path_mgr_root(m, root, sizeof root, &from_env) != 0)
        return 0;
    switch (m) {
    case MGR_NVM:
        str_fmt(where, n, "%s%s", root, from_env ? " (NVM_DIR)" : "");
        return from_env || fs_is_dir(root);
    case MGR_FNM: {
        const char *mp = getenv("FNM_MULTISHELL_PATH");
        str_fmt(where, n, "%s%s", root, from_env ? " (FNM_DIR)" : mp && *mp ? " (FNM_MULTISHELL_PATH is set)" : "");
        return from_env || (mp && *mp) || on_path("fnm") ||
               (path_mgr_versions(m, sub, sizeof sub) == 0 && fs_is_dir(sub));
    }
    case MGR_VOLTA:
        str_fmt(where, n, "%s%s", root, from_env ? " (VOLTA_HOME)" : "");
        if (from_env)
            return 1;
        if (path_mgr_bin(m, sub, sizeof sub) == 0) {
            const char *path = getenv("PATH");
            for (const char *p = path ? path : ""; *p;) {
                const char *end = strchr(p, ':');
                size_t len = end ? (size_t)(end - p) : strlen(p);
                if (path_entry_is(p, len, sub))
                    return 1;
                if (!end)
                    break;
                p = end + 1;
            }
        }
        return 0;
    case MGR_N:
        str_fmt(where, n, "%s%s", root, from_env ? " (N_PREFIX)" : "");
        return from_env || (path_mgr_versions(m, sub, sizeof sub) == 0 && fs_is_dir(sub));
    case MGR_ASDF:
    case MGR_MISE: {
        /* Harmless unless it provides node. */
        char node[PATH_MAX];
        str_fmt(where, n, "%s", root);
        return path_mgr_bin(m, sub, sizeof sub) == 0 && str_fmt(node, sizeof node, "%s/node", sub) == 0 &&
               fs_exists(node);
    }
    default:
        return 0;
    }
}

static void check_managers(report_t *rep)
{
    static const mgr_id order[] = {MGR_NVM, MGR_FNM, MGR_VOLTA, MGR_N, MGR_ASDF, MGR_MISE};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        mgr_id m = order[k];
        const char *name = mgr_name(m);
        char where[PATH_MAX + 64], fix[1024];
        int importable = m == MGR_NVM || m == MGR_FNM || m == MGR_VOLTA || m == MGR_N;
        const char *shadow = NULL;
        for (size_t i = 0; i < rep->nbefore && !shadow; i++)
            if (rep->before_owner[i] == (int)m)
                shadow = rep->before[i];
        int present = mgr_present(m, where, sizeof where);
        if (shadow) {
            if (importable)
                str_fmt(fix, sizeof fix, "run 'nodus import %s' to keep its versions, then remove its setup from your "
                        "shell's startup file (or load nodus's after it)", name);
            else
                str_fmt(fix, sizeof fix, "remove %s's setup from your shell's startup file, or load nodus's after it",
                        name);
            add(rep, name, ST_FAIL, fix, "%s's node (%s) comes before the nodus shims on PATH", name, shadow);
        } else if (present) {
            if (importable)
                str_fmt(fix, sizeof fix, "run 'nodus import %s' to adopt its versions; then remove its setup from your "
                        "shell's startup file", name);
            else
                str_fmt(fix, sizeof fix, "keep its shims after nodus's on PATH, or remove its nodejs plugin");
            add(rep, name, ST_WARN, fix, "%s is installed (%s)", name, where);
        } else {
            add(rep, name, ST_OK, NULL, "not found");
        }
    }
    char list[1536] = "";
    for (size_t i = 0; i < rep->nbefore; i++)
        if (rep->before_owner[i] < 0) {
            char node[PATH_MAX + 8];
            str_fmt(node, sizeof node, "%s/node", rep->before[i]);
            append_item(list, sizeof list, node);
        }
    if (list[0])
        add(rep, "system-node", ST_FAIL,
            "put the nodus shims first on PATH (a system node stays reachable with 'nodus use system')",
            "%s %s before the nodus shims on PATH", list, strchr(list, ',') ? "come" : "comes");
    else if (rep->after[0])
        add(rep, "system-node", ST_OK, NULL, "%s comes after the shims (reachable as 'system')", rep->after);
    else
        add(rep, "system-node", ST_OK, NULL, "no node outside nodus on PATH");
}

/* ---- installed versions, default, aliases ---- */

static void check_versions(const nodus_ctx *ctx, report_t *rep, size_t *count)
{
    char vdir[PATH_MAX];
    *count = 0;
    if (path_versions(&ctx->paths, vdir, sizeof vdir))
        return;
    sorted_dir d;
    if (sdir_open(&d, vdir)) {
        if (errno == ENOENT)
            add(rep, "versions", ST_OK, NULL, "no versions installed yet");
        else
            add(rep, "versions", ST_FAIL, "check the permissions of NODUS_HOME", "cannot read %s: %s", vdir,
                strerror(errno));
        return;
    }
    char broken[1536] = "", stray[768] = "", fixes[1024] = "";
    struct dirent *de;
    while ((de = sdir_next(&d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char path[PATH_MAX], sub[PATH_MAX], item[PATH_MAX];
        semver_t v;
        struct stat st;
        if (str_fmt(path, sizeof path, "%s/%s", vdir, de->d_name))
            continue;
        if (de->d_name[0] != 'v' || semver_parse(de->d_name, &v) != 0) {
            append_item(stray, sizeof stray, de->d_name);
            continue;
        }
        const char *why = NULL;
        if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            why = "not a directory";
        else if (str_fmt(sub, sizeof sub, "%s/bin/node", path) || lstat(sub, &st) != 0)
            why = "no bin/node";
        else if (!S_ISREG(st.st_mode) || !(st.st_mode & S_IXUSR))
            why = "bin/node is not an executable file";
        else if (str_fmt(sub, sizeof sub, "%s/%s", path, NODUS_META_NAME) || !fs_exists(sub))
            why = "no " NODUS_META_NAME;
        if (!why) {
            (*count)++;
            continue;
        }
        str_fmt(item, sizeof item, "%s (%s)", de->d_name, why);
        append_item(broken, sizeof broken, item);
        str_fmt(item, sizeof item, "'nodus uninstall %s && nodus install %s'", de->d_name, de->d_name);
        append_item(fixes, sizeof fixes, item);
    }
    sdir_close(&d);
    if (broken[0]) {
        char fix[1280];
        str_fmt(fix, sizeof fix, "reinstall: %s", fixes);
        add(rep, "versions", ST_FAIL, fix, "incomplete versions in %s: %s", vdir, broken);
    } else if (stray[0]) {
        char fix[1024];
        str_fmt(fix, sizeof fix, "move them out of %s: only nodus puts versions there", vdir);
        add(rep, "versions", ST_WARN, fix, "%zu versions are complete, but %s does not belong in %s", *count, stray,
            vdir);
    } else {
        add(rep, "versions", ST_OK, NULL, "%zu version%s installed, all complete", *count, *count == 1 ? "" : "s");
    }
}

static void check_default(const nodus_ctx *ctx, report_t *rep)
{
    char path[PATH_MAX], spec[SPEC_TEXT_MAX], vname[128], err[1024], fix[1024];
    if (path_default(&ctx->paths, path, sizeof path) || read_spec_file(path, spec, sizeof spec)) {
        add(rep, "default", ST_WARN, "run 'nodus default lts/*' (or any version)",
            "no default is set: outside projects with a version file, node has no version to run");
        return;
    }
    int r = versions_resolve(ctx, spec, vname, sizeof vname, err, sizeof err);
    if (r == RES_OK) {
        add(rep, "default", ST_OK, NULL, "%s (%s)", spec, vname);
    } else if (r == RES_SYSTEM) {
        add(rep, "default", ST_OK, NULL, "system (the node on PATH after the shims)");
    } else if (r == RES_NOT_INSTALLED) {
        str_fmt(fix, sizeof fix, "run 'nodus install %s', or choose an installed one with 'nodus default'", spec);
        add(rep, "default", ST_FAIL, fix, "the default is %s, and no installed version matches it", spec);
    } else {
        add(rep, "default", ST_FAIL, "set it again with 'nodus default SPEC'", "%s", err);
    }
}

static void check_aliases(const nodus_ctx *ctx, report_t *rep)
{
    alias_ent *as;
    size_t n;
    if (versions_aliases(ctx, &as, &n)) {
        add(rep, "aliases", ST_FAIL, "check the permissions of NODUS_HOME/aliases", "cannot read the aliases: %s",
            strerror(errno));
        return;
    }
    char bad[1536] = "";
    for (size_t i = 0; i < n; i++) {
        char vname[128], err[1024], item[SPEC_TEXT_MAX + 96];
        int r = versions_resolve(ctx, as[i].spec, vname, sizeof vname, err, sizeof err);
        if (r == RES_OK || r == RES_SYSTEM)
            continue;
        str_fmt(item, sizeof item, "%s -> %s (%s)", as[i].name, as[i].spec,
                r == RES_NOT_INSTALLED ? "not installed" : "broken");
        append_item(bad, sizeof bad, item);
    }
    if (bad[0])
        add(rep, "aliases", ST_WARN, "install what they ask for, or change them with 'nodus alias NAME SPEC' or "
            "'nodus unalias NAME'", "some aliases match no installed version: %s", bad);
    else
        add(rep, "aliases", ST_OK, NULL, n ? "%zu alias%s, all installed" : "no aliases", n, n == 1 ? "" : "es");
    free(as);
}

static void check_index(const nodus_ctx *ctx, report_t *rep)
{
    char path[PATH_MAX];
    if (path_index_cache(&ctx->paths, path, sizeof path))
        return;
    if (!fs_exists(path)) {
        add(rep, "index-cache", ST_OK, NULL, "no release index cached yet (fetched when first needed)");
        return;
    }
    release_index ix;
    if (index_parse_file(path, &ix) != 0) {
        add(rep, "index-cache", ST_FAIL, "run 'nodus cache clear' (the next command fetches it again)",
            "%s is not a valid release index", path);
        return;
    }
    add(rep, "index-cache", ST_OK, NULL, "%s: %zu releases", path, ix.n);
    index_free(&ix);
}

/* ---- tmp/: leftovers and locks ---- */

/* The pid holding an flock on st's file, from /proc/locks; 0 if unknown. */
static long lock_holder(const struct stat *st)
{
    FILE *f = fopen("/proc/locks", "re");
    if (!f)
        return 0;
    char line[512];
    long pid = 0;
    while (!pid && fgets(line, sizeof line, f)) {
        char kind[32], adv[32], rw[32];
        unsigned maj, min;
        unsigned long long ino;
        long p;
        /* "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; waiters have "->". */
        const char *colon = strchr(line, ':');
        if (!colon || strstr(line, "->"))
            continue;
        if (sscanf(colon + 1, "%31s %31s %31s %ld %x:%x:%llu", kind, adv, rw, &p, &maj, &min, &ino) == 7 &&
            strcmp(kind, "FLOCK") == 0 && ino == (unsigned long long)st->st_ino && maj == major(st->st_dev) &&
            min == minor(st->st_dev))
            pid = p;
    }
    fclose(f);
    return pid;
}

static void check_tmp(const nodus_ctx *ctx, report_t *rep)
{
    char tmp[PATH_MAX];
    if (path_tmp(&ctx->paths, tmp, sizeof tmp))
        return;
    sorted_dir d;
    if (sdir_open(&d, tmp)) {
        add(rep, "staging", ST_OK, NULL, "no leftovers in %s", tmp);
        add(rep, "locks", ST_OK, NULL, "no locks held");
        return;
    }
    char stale[1536] = "", stale_paths[1024] = "", running[512] = "", held[1536] = "";
    size_t nlocks = 0;
    struct dirent *de;
    while ((de = sdir_next(&d)) != NULL) {
        char path[PATH_MAX], item[PATH_MAX + 96];
        long pid;
        if (de->d_name[0] == '.' || str_fmt(path, sizeof path, "%s/%s", tmp, de->d_name))
            continue;
        if (versions_tmp_owner(de->d_name, &pid)) {
            if (versions_pid_alive(pid)) {
                str_fmt(item, sizeof item, "%s (pid %ld is running)", de->d_name, pid);
                append_item(running, sizeof running, item);
            } else {
                str_fmt(item, sizeof item, "%s (pid %ld is gone)", de->d_name, pid);
                append_item(stale, sizeof stale, item);
                append_item(stale_paths, sizeof stale_paths, path);
            }
            continue;
        }
        size_t nl = strlen(de->d_name);
        if (nl <= 5 || strcmp(de->d_name + nl - 5, ".lock") != 0)
            continue;
        nlocks++;
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
            continue;
        struct stat st;
        if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK && fstat(fd, &st) == 0) {
            long holder = lock_holder(&st);
            char comm[64] = "";
            char cpath[64];
            if (holder > 0 && str_fmt(cpath, sizeof cpath, "/proc/%ld/comm", holder) == 0) {
                FILE *cf = fopen(cpath, "re");
                if (cf) {
                    if (fgets(comm, sizeof comm, cf))
                        comm[strcspn(comm, "\n")] = '\0';
                    fclose(cf);
                }
            }
            if (holder > 0)
                str_fmt(item, sizeof item, "%s (held by pid %ld%s%s)", de->d_name, holder, comm[0] ? ", " : "",
                        comm);
            else
                str_fmt(item, sizeof item, "%s (held)", de->d_name);
            append_item(held, sizeof held, item);
        }
        close(fd);
    }
    sdir_close(&d);
    if (stale[0]) {
        char fix[2200];
        /* chmod first: a tarball's read-only directories would stop rm. */
        str_fmt(fix, sizeof fix, "remove them: chmod -R u+rwx %s && rm -rf %s (the next install also does)",
                stale_paths, stale_paths);
        add(rep, "staging", ST_WARN, fix, "left behind by killed installs or uninstalls: %s", stale);
    } else if (running[0]) {
        add(rep, "staging", ST_OK, NULL, "in progress: %s", running);
    } else {
        add(rep, "staging", ST_OK, NULL, "no leftovers in %s", tmp);
    }
    if (held[0])
        add(rep, "locks", ST_WARN, "wait for that process to finish; if it is not a nodus, it holds the lock by "
            "mistake: end it", "held: %s", held);
    else
        add(rep, "locks", ST_OK, NULL, "%zu lock file%s, none held", nlocks, nlocks == 1 ? "" : "s");
}

/* ---- nodus itself ---- */

/* The shell function from 'nodus init' runs nodus by its absolute path,
 * but scripts, other shells and the hints nodus prints need it on PATH. */
static void check_self_path(const nodus_ctx *ctx, report_t *rep)
{
    char self[PATH_MAX], first[PATH_MAX] = "";
    struct stat me;
    if (str_fmt(self, sizeof self, "%s/nodus", ctx->self_dir) || stat(self, &me) != 0) {
        add(rep, "nodus-path", ST_WARN, "reinstall nodus", "cannot tell where this nodus is (%s)", ctx->self_dir);
        return;
    }
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p && !first[0];) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char cand[PATH_MAX];
        if (len && str_fmt(cand, sizeof cand, "%.*s/nodus", (int)len, p) == 0 && access(cand, X_OK) == 0)
            str_copy(first, sizeof first, cand);
        if (!end)
            break;
        p = end + 1;
    }
    char fix[PATH_MAX + 128];
    str_fmt(fix, sizeof fix, "add %s to PATH in ~/.profile: export PATH=\"%s:$PATH\"", ctx->self_dir, ctx->self_dir);
    if (!first[0])
        add(rep, "nodus-path", ST_WARN, fix,
            "nodus (%s) is not on PATH: the shell function works, but scripts and other shells cannot run 'nodus'",
            self);
    else if (!resolve_same_file(first, &me))
        add(rep, "nodus-path", ST_WARN, fix, "another nodus comes first on PATH: %s, not this one (%s)", first, self);
    else
        add(rep, "nodus-path", ST_OK, NULL, "%s is on PATH", first);
}

/* ---- output ---- */

static int print_human(const nodus_ctx *ctx, const report_t *rep)
{
    static const char *const colors[] = {"\033[32m", "\033[33m", "\033[31m"};
    size_t width = 0, counts[3] = {0, 0, 0};
    for (size_t i = 0; i < rep->n; i++)
        if (strlen(rep->r[i].check) > width)
            width = strlen(rep->r[i].check);
    for (size_t i = 0; i < rep->n; i++) {
        const result_t *r = &rep->r[i];
        counts[r->status]++;
        const char *on = ctx->color ? colors[r->status] : "", *off = ctx->color ? "\033[0m" : "";
        printf("%s%-4s%s  %-*s  %s\n", on, status_names[r->status], off, (int)width, r->check, r->message);
        if (r->fix[0])
            printf("%-4s  %-*s  fix: %s\n", "", (int)width, "", r->fix);
    }
    printf("%zu checks: %zu ok, %zu warning%s, %zu failed\n", rep->n, counts[ST_OK], counts[ST_WARN],
           counts[ST_WARN] == 1 ? "" : "s", counts[ST_FAIL]);
    return counts[ST_FAIL] ? EXIT_FAIL : 0;
}

static int print_json(const report_t *rep)
{
    json_t *arr = json_array();
    int failed = 0;
    for (size_t i = 0; i < rep->n; i++) {
        const result_t *r = &rep->r[i];
        failed |= r->status == ST_FAIL;
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?}", "check", r->check, "status",
                                             status_names[r->status], "message", r->message, "fix",
                                             r->fix[0] ? r->fix : NULL));
    }
    json_dumpf(arr, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(arr);
    return failed ? EXIT_FAIL : 0;
}

int cmd_doctor(nodus_ctx *ctx, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        return cmd_bad_option("doctor", argv[i]);
    report_t *rep = calloc(1, sizeof *rep);
    if (!rep) {
        msg_err("out of memory");
        return EXIT_FAIL;
    }
    if (path_shims(&ctx->paths, rep->shims, sizeof rep->shims)) {
        free(rep);
        msg_err("NODUS_HOME is too long");
        return EXIT_FAIL;
    }
    size_t nversions = 0;
    char vdir[PATH_MAX];
    vlist_t l = {0};
    if (path_versions(&ctx->paths, vdir, sizeof vdir) == 0 && vlist_installed(vdir, &l) == 0)
        nversions = l.n;
    vlist_free(&l);

    check_config(ctx, rep);
    check_signatures(ctx, rep);
    check_home(ctx, rep);
    check_shims(ctx, rep, nversions);
    check_path(rep);
    check_self_path(ctx, rep);
    check_versions(ctx, rep, &nversions);
    check_default(ctx, rep);
    check_aliases(ctx, rep);
    check_index(ctx, rep);
    check_tmp(ctx, rep);
    check_managers(rep);

    int rc = ctx->json ? print_json(rep) : print_human(ctx, rep);
    free(rep);
    return rc;
}
