/* Node.js release directories that nodus did not unpack itself (what
 * 'nodus import' adopts) and the checks 'nodus doctor' makes on
 * versions/: is this really the release it claims to be? */
#ifndef NODUS_NODEDIR_H
#define NODUS_NODEDIR_H
#include <stddef.h>
#include "semver.h"

/* The version that node_version.h text defines: NODE_MAJOR_VERSION,
 * NODE_MINOR_VERSION and NODE_PATCH_VERSION, each a "#define NAME number"
 * line (whitespace between the tokens as C allows; the first definition of
 * each counts). Returns 0, or -1 when one of the three is missing or is not
 * a plain decimal number. The prerelease is left empty. */
int nodedir_header_version(const char *text, semver_t *out);

/* Whether dir is a release of version want: bin/node is a regular
 * executable file (not a symlink) and include/node/node_version.h names
 * the same major.minor.patch. Returns 0, or -1 with why ("bin/node is
 * missing", "include/node/node_version.h says 22.11.1"). */
int nodedir_check(const char *dir, const semver_t *want, char *why, size_t n);

/* Statistics of nodedir_clone. */
typedef struct {
    unsigned long linked;   /* regular files hard-linked */
    unsigned long copied;   /* regular files copied */
    unsigned long symlinks; /* symlinks recreated */
    unsigned long skipped;  /* devices, FIFOs, sockets: left out */
} nodedir_stats;

/* Copy the tree src into dst, an empty directory that exists: directories are
 * created, regular files hard-linked with link(2) where the filesystem
 * allows it and copied otherwise (mode without set-id bits, and times,
 * kept), symlinks recreated as symlinks. A symlink whose absolute target
 * lies inside src is pointed at the same place under final (the path the
 * tree will have once renamed), so the copy never leads back into the
 * other tool's directory. dst gets src's mode (and keeps owner rwx).
 * Returns 0, or -1 with err. On failure dst may be partly written: the
 * caller removes it. */
int nodedir_clone(const char *src, const char *dst, const char *final, nodedir_stats *st, char *err, size_t errlen);

/* Whether every symlink in the tree root resolves inside root, as the
 * kernel would resolve it: component by component on disk, following the
 * links it meets (a name that does not exist, or a file used as a
 * directory, ends the walk: nothing is reached then). The last check of an
 * extracted release before it is renamed into versions/. Returns 0, or -1
 * with why ("'esc' resolves outside the version directory (through
 * 'a/b/c/up')"). */
int nodedir_links_inside(const char *root, char *why, size_t n);

#endif
