#include "paths.h"
#include "strutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* An environment variable counts only when set to an absolute path: the XDG
 * spec says relative values are to be ignored, and a relative NODUS_HOME
 * would change meaning with every cd. */
static const char *abs_env(const char *name)
{
    const char *v = getenv(name);
    return (v && v[0] == '/') ? v : NULL;
}

/* nodus_home_leaf: with no usable HOME but NODUS_HOME set (a service, a
 * container run with `env -i`), the directory is NODUS_HOME/<leaf> instead
 * of failing: NODUS_HOME alone is enough to run nodus and its shims. */
static int xdg_dir(char *out, size_t n, const char *xdg_var, const char *home_rel,
                   const char *leaf, const char *nodus_home_leaf, char *err, size_t errlen)
{
    const char *base = abs_env(xdg_var);
    if (base)
        return str_fmt(out, n, "%s/%s", base, leaf) ? (str_fmt(err, errlen, "%s is too long", xdg_var), -1) : 0;
    const char *home = abs_env("HOME");
    if (!home && nodus_home_leaf && abs_env("NODUS_HOME"))
        return str_fmt(out, n, "%s/%s", abs_env("NODUS_HOME"), nodus_home_leaf)
                   ? (str_fmt(err, errlen, "NODUS_HOME is too long"), -1) : 0;
    if (!home) {
        str_fmt(err, errlen, "HOME is not set to an absolute path, so nodus has nowhere to keep its files; "
                "set HOME, or set NODUS_HOME to an absolute path");
        return -1;
    }
    if (str_fmt(out, n, "%s/%s/%s", home, home_rel, leaf)) {
        str_fmt(err, errlen, "HOME is too long");
        return -1;
    }
    return 0;
}

int paths_init(nodus_paths *p, char *err, size_t errlen)
{
    const char *home = abs_env("NODUS_HOME");
    if (home) {
        if (str_copy(p->home, sizeof p->home, home)) {
            str_fmt(err, errlen, "NODUS_HOME is too long");
            return -1;
        }
    } else if (getenv("NODUS_HOME") && getenv("NODUS_HOME")[0]) {
        str_fmt(err, errlen, "NODUS_HOME must be an absolute path");
        return -1;
    } else if (xdg_dir(p->home, sizeof p->home, "XDG_DATA_HOME", ".local/share", "nodus", NULL, err, errlen)) {
        return -1;
    }
    if (xdg_dir(p->cache, sizeof p->cache, "XDG_CACHE_HOME", ".cache", "nodus", "cache", err, errlen))
        return -1;
    if (xdg_dir(p->config, sizeof p->config, "XDG_CONFIG_HOME", ".config", "nodus", "config", err, errlen))
        return -1;
    const char *shared = getenv("NODUS_SHARED_DIRS");
    if (str_copy(p->shared, sizeof p->shared, shared ? shared : "")) {
        str_fmt(err, errlen, "NODUS_SHARED_DIRS is too long");
        return -1;
    }
    return 0;
}

static int join(char *buf, size_t n, const char *a, const char *b)
{
    return str_fmt(buf, n, "%s/%s", a, b);
}

int path_versions(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->home, "versions"); }
int path_shims(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->home, "shims"); }
int path_aliases(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->home, "aliases"); }
int path_default(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->home, "default"); }
int path_lts(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->home, "lts"); }
int path_tmp(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->home, "tmp"); }
int path_index_cache(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->cache, "index.json"); }
int path_index_meta(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->cache, "index.meta"); }
int path_cache_doc(const nodus_paths *p, const char *leaf, char *buf, size_t n) { return join(buf, n, p->cache, leaf); }
int path_projects(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->home, "projects"); }
int path_index_compact(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->cache, "index.bin"); }
int path_downloads(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->cache, "downloads"); }
int path_rates(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->cache, "rates"); }
int path_config_file(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->config, "config.yaml"); }
int path_init_file(const nodus_paths *p, const char *shell, char *buf, size_t n)
{
    return str_fmt(buf, n, "%s/init.%s", p->home, shell);
}

int path_version(const nodus_paths *p, const char *vname, char *buf, size_t n)
{
    return str_fmt(buf, n, "%s/versions/%s", p->home, vname);
}

int path_version_bin(const nodus_paths *p, const char *vname, char *buf, size_t n)
{
    if (strncmp(vname, "path:", 5) == 0) /* .tool-versions path:DIR (resolve.c) */
        return str_fmt(buf, n, "%s/bin", vname + 5);
    return str_fmt(buf, n, "%s/versions/%s/bin", p->home, vname);
}

int path_version_meta(const nodus_paths *p, const char *vname, char *buf, size_t n)
{
    return str_fmt(buf, n, "%s/versions/%s/%s", p->home, vname, NODUS_META_NAME);
}

int path_shim(const nodus_paths *p, const char *cmd, char *buf, size_t n)
{
    return str_fmt(buf, n, "%s/shims/%s", p->home, cmd);
}

int path_alias(const nodus_paths *p, const char *name, char *buf, size_t n)
{
    return str_fmt(buf, n, "%s/aliases/%s", p->home, name);
}

int path_lock(const nodus_paths *p, const char *name, char *buf, size_t n)
{
    return str_fmt(buf, n, "%s/tmp/%s.lock", p->home, name);
}

int path_stage_template(const nodus_paths *p, const char *vname, long pid, char *buf, size_t n)
{
    return str_fmt(buf, n, "%s/tmp/stage-%s-%ld-XXXXXX", p->home, vname, pid);
}

int path_trash_template(const nodus_paths *p, const char *vname, long pid, char *buf, size_t n)
{
    return str_fmt(buf, n, "%s/tmp/trash-%s-%ld-XXXXXX", p->home, vname, pid);
}

static const char *const mgr_names[MGR_COUNT] = {"nvm", "fnm", "n", "volta", "asdf", "mise"};

const char *mgr_name(mgr_id m)
{
    return (unsigned)m < MGR_COUNT ? mgr_names[m] : "?";
}

/* $HOME/rel, or -1 without an absolute HOME. */
static int home_rel(char *buf, size_t n, const char *rel)
{
    const char *home = abs_env("HOME");
    return home ? str_fmt(buf, n, "%s/%s", home, rel) : -1;
}

/* ${XDG_DATA_HOME:-~/.local/share}/leaf */
static int data_rel(char *buf, size_t n, const char *leaf)
{
    const char *xdg = abs_env("XDG_DATA_HOME");
    if (xdg)
        return str_fmt(buf, n, "%s/%s", xdg, leaf);
    char rel[64];
    return str_fmt(rel, sizeof rel, ".local/share/%s", leaf) ? -1 : home_rel(buf, n, rel);
}

int path_mgr_root(mgr_id m, char *buf, size_t n, int *from_env)
{
    static const char *const vars[MGR_COUNT] = {"NVM_DIR", "FNM_DIR", "N_PREFIX", "VOLTA_HOME", "ASDF_DATA_DIR",
                                                "MISE_DATA_DIR"};
    if (from_env)
        *from_env = 0;
    if ((unsigned)m >= MGR_COUNT)
        return -1;
    const char *env = abs_env(vars[m]);
    if (env) {
        if (from_env)
            *from_env = 1;
        return str_copy(buf, n, env);
    }
    struct stat st;
    switch (m) {
    case MGR_NVM:
        return home_rel(buf, n, ".nvm");
    case MGR_FNM:
        /* fnm moved from ~/.fnm to the XDG data directory; it still uses
         * ~/.fnm when that exists and the new one does not. */
        if (data_rel(buf, n, "fnm") == 0 && stat(buf, &st) == 0)
            return 0;
        if (home_rel(buf, n, ".fnm") == 0 && stat(buf, &st) == 0)
            return 0;
        return data_rel(buf, n, "fnm");
    case MGR_N:
        return str_copy(buf, n, "/usr/local");
    case MGR_VOLTA:
        return home_rel(buf, n, ".volta");
    case MGR_ASDF:
        return home_rel(buf, n, ".asdf");
    case MGR_MISE:
        return data_rel(buf, n, "mise");
    default:
        return -1;
    }
}

static int mgr_join(mgr_id m, const char *rel, char *buf, size_t n)
{
    char root[PATH_MAX];
    if (path_mgr_root(m, root, sizeof root, NULL))
        return -1;
    return str_fmt(buf, n, "%s/%s", root, rel);
}

int path_mgr_versions(mgr_id m, char *buf, size_t n)
{
    switch (m) {
    case MGR_NVM:
        return mgr_join(m, "versions/node", buf, n);
    case MGR_FNM:
        return mgr_join(m, "node-versions", buf, n);
    case MGR_N:
        return mgr_join(m, "n/versions/node", buf, n);
    case MGR_VOLTA:
        return mgr_join(m, "tools/image/node", buf, n);
    default:
        return -1;
    }
}

int path_mgr_release(mgr_id m, const char *entry, char *buf, size_t n)
{
    char dir[PATH_MAX];
    if (path_mgr_versions(m, dir, sizeof dir))
        return -1;
    return str_fmt(buf, n, "%s/%s%s", dir, entry, m == MGR_FNM ? "/installation" : "");
}

int path_mgr_alias(mgr_id m, const char *name, char *buf, size_t n)
{
    char rel[PATH_MAX];
    if (m != MGR_NVM && m != MGR_FNM)
        return -1;
    if (str_fmt(rel, sizeof rel, "%s/%s", m == MGR_NVM ? "alias" : "aliases", name))
        return -1;
    return mgr_join(m, rel, buf, n);
}

int path_mgr_default(mgr_id m, char *buf, size_t n)
{
    switch (m) {
    case MGR_NVM:
    case MGR_FNM:
        return path_mgr_alias(m, "default", buf, n);
    case MGR_N:
        return mgr_join(m, NODE_VERSION_HEADER, buf, n);
    case MGR_VOLTA:
        return mgr_join(m, "tools/user/platform.json", buf, n);
    default:
        return -1;
    }
}

int path_mgr_bin(mgr_id m, char *buf, size_t n)
{
    switch (m) {
    case MGR_N:
    case MGR_VOLTA:
        return mgr_join(m, "bin", buf, n);
    case MGR_ASDF:
    case MGR_MISE:
        return mgr_join(m, "shims", buf, n);
    default:
        return -1;
    }
}
