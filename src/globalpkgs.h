/* The global npm packages of an installed version (its lib/node_modules,
 * npm and corepack aside) and installing them into another version with
 * that version's own npm: 'nodus upgrade' and 'nodus install NEW
 * --reinstall-packages-from OLD'. */
#ifndef NODUS_GLOBALPKGS_H
#define NODUS_GLOBALPKGS_H
#include <stddef.h>
#include "ctx.h"

typedef struct {
    char name[216];   /* "typescript", "@scope/tool" */
    char version[96]; /* "5.6.3" */
} gpkg;

/* The packages of versions/<vname>, sorted by name. An entry whose name or
 * version is not what npm would accept is skipped with a warning (it would
 * otherwise reach npm's command line). Returns 0 with *out malloc'd, or an
 * exit status (message printed). */
int gpkgs_list(const nodus_ctx *ctx, const char *vname, gpkg **out, size_t *n);
/* Install each as name@version with versions/<vname>/bin/npm -g, one at a
 * time, so that each failure is reported by name. Returns how many failed. */
size_t gpkgs_install(const nodus_ctx *ctx, const char *vname, const gpkg *p, size_t n);
#endif
