/* The install pipeline: SHASUMS256.txt, then the tarball streamed from
 * libcurl through SHA-256 into libarchive in one pass, into a staging
 * directory under $NODUS_HOME/tmp; renamed into versions/ only when the
 * digest matches, under a per-version lock. */
#ifndef NODUS_INSTALL_H
#define NODUS_INSTALL_H
#include "ctx.h"
#include "index.h"

enum { INSTALL_DONE = 0, INSTALL_ALREADY = -100 };

/* Install one release of the index. Returns INSTALL_DONE, INSTALL_ALREADY,
 * or an exit status (the message has been printed). */
int install_release(const nodus_ctx *ctx, const index_entry *e, const char *lts_codename);

#endif
