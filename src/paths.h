/* Every filesystem path nodus uses is built here, so that the layout is
 * written down once (see DESIGN "On disk" and man/nodus.1 FILES). libc only.
 *
 *   $NODUS_HOME (default ${XDG_DATA_HOME:-~/.local/share}/nodus)
 *     versions/vX.Y.Z/            an installed release; .nodus-meta inside
 *     shims/                      node npm npx corepack + global package bins
 *     aliases/NAME                a spec per alias
 *     default                     the global default spec
 *     lts                         LTS lines from the last index ("name major first")
 *     projects                    version files nodus has seen choose a version
 *     tmp/                        staging, locks, trash (same filesystem)
 *     init.bash, init.zsh, init.fish  what 'nodus init SHELL' prints, to source
 *   ${XDG_CACHE_HOME:-~/.cache}/nodus/   index.json + index.meta, downloads/
 *   ${XDG_CONFIG_HOME:-~/.config}/nodus/config.yaml
 * With HOME unset (or not absolute) and NODUS_HOME set, the cache and config
 * directories default to $NODUS_HOME/cache and $NODUS_HOME/config; with
 * neither, paths_init fails with a message saying what to set.
 *
 * Builders return 0, or -1 when the result would not fit in PATH_MAX. */
#ifndef NODUS_PATHS_H
#define NODUS_PATHS_H
#include <limits.h>
#include <stddef.h>

typedef struct {
    char home[PATH_MAX];   /* data root */
    char cache[PATH_MAX];  /* cache root */
    char config[PATH_MAX]; /* config directory */
    char shared[PATH_MAX]; /* NODUS_SHARED_DIRS: read-only versions directories (shared.h) */
} nodus_paths;

/* Fill from the environment. On failure err says what to set. */
int paths_init(nodus_paths *p, char *err, size_t errlen);

int path_versions(const nodus_paths *p, char *buf, size_t n);
/* vname is a directory name such as "v22.11.0". */
int path_version(const nodus_paths *p, const char *vname, char *buf, size_t n);
int path_version_bin(const nodus_paths *p, const char *vname, char *buf, size_t n);
int path_version_meta(const nodus_paths *p, const char *vname, char *buf, size_t n);
int path_shims(const nodus_paths *p, char *buf, size_t n);
int path_shim(const nodus_paths *p, const char *cmd, char *buf, size_t n);
int path_aliases(const nodus_paths *p, char *buf, size_t n);
int path_alias(const nodus_paths *p, const char *name, char *buf, size_t n);
int path_default(const nodus_paths *p, char *buf, size_t n);
int path_lts(const nodus_paths *p, char *buf, size_t n);
int path_tmp(const nodus_paths *p, char *buf, size_t n);
/* tmp/NAME.lock */
int path_lock(const nodus_paths *p, const char *name, char *buf, size_t n);
int path_index_cache(const nodus_paths *p, char *buf, size_t n);
int path_index_meta(const nodus_paths *p, char *buf, size_t n);
/* A fetched document in the cache directory: schedule.json, vulns.json and
 * their .meta files (see doccache.h). */
int path_cache_doc(const nodus_paths *p, const char *leaf, char *buf, size_t n);
/* projects: the version files nodus has seen choose a version (projects.h). */
int path_projects(const nodus_paths *p, char *buf, size_t n);
/* The compact form of the cached index (index_cache.c), beside it. */
int path_index_compact(const nodus_paths *p, char *buf, size_t n);
int path_downloads(const nodus_paths *p, char *buf, size_t n);
/* Link and decoder rates measured by installs (archive_format: auto). */
int path_rates(const nodus_paths *p, char *buf, size_t n);
int path_config_file(const nodus_paths *p, char *buf, size_t n);
/* init.SHELL: what 'nodus init SHELL' prints, for a startup file to source. */
int path_init_file(const nodus_paths *p, const char *shell, char *buf, size_t n);

/* Staging and trash directories under tmp/, as mkdtemp templates:
 * tmp/stage-<vname>-<pid>-XXXXXX and tmp/trash-<vname>-<pid>-XXXXXX. The pid
 * lets 'doctor' and the next install tell a dead owner's leftovers. */
int path_stage_template(const nodus_paths *p, const char *vname, long pid, char *buf, size_t n);
int path_trash_template(const nodus_paths *p, const char *vname, long pid, char *buf, size_t n);

/* Inside a Node.js release directory: the header that names its version. */
#define NODE_VERSION_HEADER "include/node/node_version.h"

/* Other version managers, for 'nodus import' and 'nodus doctor'. Their
 * directories, each from its own environment variable or default:
 *   nvm    ${NVM_DIR:-~/.nvm}                 versions/node/vX.Y.Z/, alias/default
 *   fnm    ${FNM_DIR:-${XDG_DATA_HOME:-~/.local/share}/fnm, else ~/.fnm}
 *                                             node-versions/vX.Y.Z/installation/, aliases/default
 *   n      ${N_PREFIX:-/usr/local}            n/versions/node/X.Y.Z/, bin/ (the active one)
 *   volta  ${VOLTA_HOME:-~/.volta}            tools/image/node/X.Y.Z/, tools/user/platform.json, bin/
 *   asdf   ${ASDF_DATA_DIR:-~/.asdf}          shims/
 *   mise   ${MISE_DATA_DIR:-${XDG_DATA_HOME:-~/.local/share}/mise}  shims/ */
typedef enum { MGR_NVM, MGR_FNM, MGR_N, MGR_VOLTA, MGR_ASDF, MGR_MISE, MGR_COUNT } mgr_id;

/* "nvm", "fnm", "n", "volta", "asdf", "mise". */
const char *mgr_name(mgr_id m);
/* The manager's root; *from_env (may be NULL) is set to 1 when its
 * environment variable chose it. Returns 0 or -1 (HOME unset, too long). */
int path_mgr_root(mgr_id m, char *buf, size_t n, int *from_env);
/* Where its Node.js versions are, one directory entry per version (nvm,
 * fnm, n, volta); -1 for the others. */
int path_mgr_versions(mgr_id m, char *buf, size_t n);
/* The release directory of one entry of that directory (fnm adds
 * "/installation"). */
int path_mgr_release(mgr_id m, const char *entry, char *buf, size_t n);
/* The file that names its default version: nvm alias/default, fnm
 * aliases/default (a symlink), volta tools/user/platform.json, n the
 * active install's include/node/node_version.h. */
int path_mgr_default(mgr_id m, char *buf, size_t n);
/* A named alias of nvm (alias/NAME, a file holding a spec) or fnm
 * (aliases/NAME, a symlink to a version's directory); -1 for the others. */
int path_mgr_alias(mgr_id m, const char *name, char *buf, size_t n);
/* The directory it puts on PATH for node, when it has a fixed one: n and
 * volta bin/, asdf and mise shims/; -1 for nvm and fnm (per shell). */
int path_mgr_bin(mgr_id m, char *buf, size_t n);

/* The name of the metadata file inside a version directory. */
#define NODUS_META_NAME ".nodus-meta"

#endif
