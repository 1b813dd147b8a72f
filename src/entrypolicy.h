/* What a release tarball may contain. Every entry must sit under the
 * release's top directory (which is stripped), with no absolute path and
 * no "..", and be a file, a directory, or a link that stays inside the
 * version directory. libarchive's secure-extraction flags are the second
 * line of defence; this is the first, and it names the offending entry. */
#ifndef NODUS_ENTRYPOLICY_H
#define NODUS_ENTRYPOLICY_H
#include <stddef.h>

typedef enum { ENT_FILE, ENT_DIR, ENT_SYMLINK, ENT_HARDLINK, ENT_OTHER } ent_type;

enum { ENT_ACCEPT = 0, ENT_SKIP = 1, ENT_REJECT = -1 };

/* path: the entry's name in the archive; top: the expected top directory
 * ("node-v22.11.0-linux-x64"); link: the symlink or hardlink target (NULL
 * otherwise). On ENT_ACCEPT, rel is the path inside the version directory
 * and, for a hardlink, link_rel its target inside it. On ENT_REJECT, *why
 * says what is wrong. ENT_SKIP is the top directory itself. */
int entry_check(const char *top, const char *path, ent_type type, const char *link,
                char *rel, size_t reln, char *link_rel, size_t linkn, const char **why);

/* The permission bits a tarball's entry is installed with: no set-id or
 * sticky bit, and nothing group or others may write, whatever the tarball
 * says (a writable file in a version directory is a binary anyone may
 * replace). */
unsigned entry_perm(unsigned perm);

/* An entry's name as an error message shows it: control characters as
 * \xNN, and a name longer than fits in buf (n >= 16) shortened in the
 * middle, so the reason after it is never cut off. Returns buf. */
const char *entry_shown(const char *name, char *buf, size_t n);
#endif
