/* Operations on installed versions shared by several commands. */
#ifndef NODUS_VERSIONS_H
#define NODUS_VERSIONS_H
#include <stddef.h>
#include "ctx.h"
#include "index.h"
#include "spec.h"
#include "vlist.h"

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
#endif
