/* Version files: .node-version, .nvmrc, .tool-versions, package.json.
 * libc only: the shim reads these on every call. Pure parsers over a buffer,
 * plus one reader that applies the file-level rules (regular file only, size
 * cap, BOM, CRLF). */
#ifndef NODUS_VFILE_H
#define NODUS_VFILE_H
#include <stddef.h>

typedef enum {
    VF_NODE_VERSION = 0, /* .node-version */
    VF_NVMRC,            /* .nvmrc */
    VF_TOOL_VERSIONS,    /* .tool-versions */
    VF_PACKAGE_JSON,     /* package.json */
    VF_COUNT
} vfile_kind;

/* How each kind is read. Common to all: a UTF-8 BOM is skipped; LF, CRLF
 * and a lone CR end lines; the last line needs no newline; a NUL or another
 * control byte (other than tab, VT, FF, CR, LF) is VF_MALFORMED (binary).
 *
 * .nvmrc (as nvm reads it): '#' starts a comment anywhere on a line; lines
 *   are trimmed and blank ones dropped; `key=value` lines, where the key is
 *   an identifier [A-Za-z_][A-Za-z0-9_.-]*, are ignored (so `>=18` and
 *   `=18.1.0` stay versions), except that the key `node` is an error as in
 *   nvm; exactly one other line must remain and it is the spec, whole
 *   (`>=18 <21` is one spec). None, or two, is VF_MALFORMED.
 * .node-version: the first word of the first line that is neither blank
 *   nor a '#' comment. None is VF_MALFORMED.
 * .tool-versions (asdf, mise): the first `nodejs` line, else the first
 *   `node` line; its words after the tool name are the specs, preferred
 *   first, at most VFILE_MAX_SPECS (the rest dropped); `ref:...`,
 *   `path:...` and `system` are returned as written. No such line is
 *   VF_NONE; such a line with no version is VF_MALFORMED.
 * package.json (strict JSON, minijson.h; the top value must be an object):
 *   devEngines.runtime (an object or an array of objects; the first whose
 *   "name" is "node" and whose "version" is a non-blank string), then
 *   engines.node (unless VF_NO_ENGINES), then volta.node. A field of the
 *   wrong type, or a blank string, is passed over, not an error. No field
 *   is VF_NONE.
 * Every spec is trimmed; one longer than VFILE_SPEC_MAX - 1 is VF_MALFORMED. */

/* The file names, in the order one directory is searched. */
extern const char *const vfile_names[VF_COUNT];

/* Flags for vfile_parse / vfile_read. */
#define VF_NO_ENGINES 0x1u /* package.json: ignore engines.node */

#define VFILE_MAX_SPECS 8
#define VFILE_SPEC_MAX 256

/* How much vfile_read reads at most; a larger file is VF_MALFORMED ("too
 * large"), never read further. A dot file is a line or two, so 64 KiB is
 * generous; package.json grows in monorepos but nothing real nears 8 MiB. */
#define VFILE_TEXT_CAP (64u * 1024u)
#define VFILE_JSON_CAP (8u * 1024u * 1024u)

typedef struct {
    int n;                                     /* specs found, >= 1 when found */
    char specs[VFILE_MAX_SPECS][VFILE_SPEC_MAX]; /* first is preferred, the rest
                                                    are fallbacks (.tool-versions) */
    char field[32]; /* package.json: which field decided ("devEngines.runtime",
                       "engines.node", "volta.node"); "" otherwise */
} vfile_result;

enum { VF_MALFORMED = -1, VF_NONE = 0, VF_FOUND = 1 };

/* Parse the content of a version file. Returns VF_FOUND (out filled),
 * VF_NONE (a valid file that names no node version, e.g. a package.json
 * without engines), or VF_MALFORMED (err says why, in lower case, without
 * the file name). */
int vfile_parse(vfile_kind kind, const char *buf, size_t len, unsigned flags,
                vfile_result *out, char *err, size_t errlen);

/* Read and parse one file. Returns VF_FOUND, VF_NONE (also when the path is
 * missing or not a regular file: a directory named .nvmrc is not a file),
 * or VF_MALFORMED. */
int vfile_read(const char *path, vfile_kind kind, unsigned flags,
               vfile_result *out, char *err, size_t errlen);
/* The same, with path relative to the directory dirfd (AT_FDCWD allowed):
 * the resolver opens each directory once instead of resolving the whole
 * path again for each of the four names. */
int vfile_read_at(int dirfd, const char *path, vfile_kind kind, unsigned flags,
                  vfile_result *out, char *err, size_t errlen);

#endif
