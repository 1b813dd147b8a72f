/* Every filesystem path nodus uses is built here, so that the layout is
 * written down once (see DESIGN "On disk" and man/nodus.1 FILES). libc only.
 *
 *   $NODUS_HOME (default ${XDG_DATA_HOME:-~/.local/share}/nodus)
 *     versions/vX.Y.Z/            an installed release; .nodus-meta inside
 *     shims/                      node npm npx corepack + global package bins
 *     aliases/NAME                a spec per alias
 *     default                     the global default spec
 *     lts                         LTS lines from the last index ("name major first")
 *     tmp/                        staging, locks, trash (same filesystem)
 *   ${XDG_CACHE_HOME:-~/.cache}/nodus/   index.json + index.meta, downloads/
 *   ${XDG_CONFIG_HOME:-~/.config}/nodus/config.yaml
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
int path_downloads(const nodus_paths *p, char *buf, size_t n);
int path_config_file(const nodus_paths *p, char *buf, size_t n);

/* The name of the metadata file inside a version directory. */
#define NODUS_META_NAME ".nodus-meta"

#endif
