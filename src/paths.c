#include "paths.h"
#include "strutil.h"

#include <stdlib.h>
#include <string.h>

/* An environment variable counts only when set to an absolute path: the XDG
 * spec says relative values are to be ignored, and a relative NODUS_HOME
 * would change meaning with every cd. */
static const char *abs_env(const char *name)
{
    const char *v = getenv(name);
    return (v && v[0] == '/') ? v : NULL;
}

static int xdg_dir(char *out, size_t n, const char *xdg_var, const char *home_rel,
                   const char *leaf, char *err, size_t errlen)
{
    const char *base = abs_env(xdg_var);
    if (base)
        return str_fmt(out, n, "%s/%s", base, leaf) ? (str_fmt(err, errlen, "%s is too long", xdg_var), -1) : 0;
    const char *home = abs_env("HOME");
    if (!home) {
        str_fmt(err, errlen, "HOME is not set to an absolute path; set HOME, or set NODUS_HOME and %s", xdg_var);
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
    } else if (xdg_dir(p->home, sizeof p->home, "XDG_DATA_HOME", ".local/share", "nodus", err, errlen)) {
        return -1;
    }
    if (xdg_dir(p->cache, sizeof p->cache, "XDG_CACHE_HOME", ".cache", "nodus", err, errlen))
        return -1;
    if (xdg_dir(p->config, sizeof p->config, "XDG_CONFIG_HOME", ".config", "nodus", err, errlen))
        return -1;
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
int path_downloads(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->cache, "downloads"); }
int path_config_file(const nodus_paths *p, char *buf, size_t n) { return join(buf, n, p->config, "config.yaml"); }

int path_version(const nodus_paths *p, const char *vname, char *buf, size_t n)
{
    return str_fmt(buf, n, "%s/versions/%s", p->home, vname);
}

int path_version_bin(const nodus_paths *p, const char *vname, char *buf, size_t n)
{
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
