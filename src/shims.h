/* The shims directory: one symlink to nodus-shim per command that any
 * installed version provides (node, npm, npx, corepack and the binaries of
 * global packages). */
#ifndef NODUS_SHIMS_H
#define NODUS_SHIMS_H
#include <stddef.h>
#include "ctx.h"

/* Where nodus-shim is, relative to the nodus binary. Returns 0 or -1. */
int shims_binary(const nodus_ctx *ctx, char *out, size_t n);
/* Make shims/ hold exactly the wanted links; each change is a rename, so
 * a shim never disappears while it is replaced. Returns 0, or -1 with err. */
int shims_refresh(const nodus_ctx *ctx, char *err, size_t errlen);
#endif
