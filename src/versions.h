/* Operations on installed versions shared by several commands. */
#ifndef NODUS_VERSIONS_H
#define NODUS_VERSIONS_H
#include <stddef.h>
#include "ctx.h"
#include "index.h"
#include "resolve.h"
#include "spec.h"
#include "vlist.h"

/* Steps 1-3 of the resolution for the working directory, with ctx's
 * settings (engines_node). Malformed version files are warned about when
 * warn is set and ctx is not quiet. Returns 1 when something asks. */
int versions_request(const nodus_ctx *ctx, int warn, res_request *out);
/* Installed versions, newest first. Returns 0 or an exit status (printed). */
int versions_installed(const nodus_ctx *ctx, vlist_t *out);
/* The LTS lines the last index fetch saved (empty when never fetched). */
void versions_lts(const nodus_ctx *ctx, lts_table *out);
/* One key of a version's metadata file ("lts", "sha256"...); "" if none. */
void versions_meta(const nodus_ctx *ctx, const char *vname, const char *key, char *buf, size_t n);
/* Parse a spec, expanding aliases. Returns 0 or an exit status (printed). */
int versions_spec(const nodus_ctx *ctx, const char *text, spec_t *out);
/* The best release in the index for a spec on this platform, or NULL
 * (message printed, *rc set). */
const index_entry *versions_pick_remote(const nodus_ctx *ctx, const release_index *ix, const spec_t *s, int *rc);
/* Refresh the shims; errors are warnings here (the install itself worked). */
void versions_reshim(const nodus_ctx *ctx);

/* Remove an installed version ("v22.11.0"): under the lock install uses
 * (install-<vname>), one rename into tmp/trash-<vname>-<pid>-XXXXXX, so no
 * half-removed version is ever visible, then deletion. Returns 0 or an
 * exit status (message printed). Does not reshim. */
int versions_remove(const nodus_ctx *ctx, const char *vname);

/* What a spec resolves to among the installed versions, aliases expanded:
 * RES_OK with vname, RES_SYSTEM, or another RES_ value with err (resolve.h). */
int versions_resolve(const nodus_ctx *ctx, const char *spec, char *vname, size_t n, char *err, size_t errlen);

/* Whether NAME can be an alias: [A-Za-z][A-Za-z0-9._-]*, at most 63
 * characters, and not something that already means a version (lts, latest,
 * node, system, x, v22...). "default" is accepted: it names the default
 * file. Returns 0, or -1 with err saying why not. */
int versions_alias_name_check(const char *name, char *err, size_t errlen);

/* One alias: $NODUS_HOME/aliases/NAME holding a spec. */
typedef struct {
    char name[64];
    char spec[SPEC_TEXT_MAX];
} alias_ent;
/* Every alias with a valid name and a readable spec, sorted by name (the
 * default is not among them). Returns 0 with *out malloc'd (free it), or
 * -1 when the directory cannot be read (a missing one is no aliases). */
int versions_aliases(const nodus_ctx *ctx, alias_ent **out, size_t *n);

/* A directory entry of tmp/ that an install, import or uninstall owns:
 * "stage-<vname>-<pid>-XXXXXX" or "trash-<vname>-<pid>-XXXXXX". Returns 1
 * with *pid, or 0 for other names (locks, anything else). */
int versions_tmp_owner(const char *name, long *pid);
/* Whether a process with this pid exists (also when it is someone else's). */
int versions_pid_alive(long pid);
#endif
