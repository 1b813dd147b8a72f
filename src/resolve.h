/* The one order in which a version is chosen, shared by the shim and every
 * CLI command (DESIGN "Choosing the version"). libc only.
 *
 *   1. NODUS_VERSION
 *   2. the nearest directory, from the working directory up, with a version
 *      file (.node-version, .nvmrc, .tool-versions, package.json)
 *   3. the default ($NODUS_HOME/default)
 *   4. nothing: the caller says how to choose one. */
#ifndef NODUS_RESOLVE_H
#define NODUS_RESOLVE_H
#include <limits.h>
#include <stddef.h>
#include "paths.h"
#include "spec.h"
#include "vfile.h"
#include "vlist.h"

typedef enum { REQ_NONE = 0, REQ_ENV, REQ_FILE, REQ_DEFAULT, REQ_ARG } req_source;

typedef struct {
    req_source source;
    char origin[PATH_MAX]; /* "NODUS_VERSION", the version file, or the default file */
    vfile_kind kind;       /* REQ_FILE: which kind of file */
    vfile_result vf;       /* the spec(s) asked for; later ones are fallbacks */
    size_t too_long;       /* the length of a spec that did not fit: refused, never cut */
} res_request;

/* Called for a version file that is present but malformed; resolution moves
 * on past it. May be NULL. */
typedef void (*res_warn_fn)(void *ud, const char *path, const char *why);

/* Steps 1-3 from directory cwd (NULL: the working directory). Returns 1
 * when something asks for a version, 0 when nothing does. */
int resolve_request(const nodus_paths *p, const char *cwd, unsigned vflags,
                    res_warn_fn warn, void *ud, res_request *out);

/* Step 3 alone: the default file as a request. Returns 1, or 0 when no
 * default is set. */
int resolve_default_request(const nodus_paths *p, res_request *out);

/* A res_warn_fn that prints "nodus: warning: ignoring FILE: WHY" on stderr;
 * ud is NULL, or points to an int that silences it when non-zero. */
void resolve_warn_print(void *quiet, const char *path, const char *why);

/* Results of resolve_installed. */
enum { RES_OK = 0, RES_SYSTEM = 1, RES_NOT_INSTALLED = -2, RES_BAD_SPEC = -3, RES_ERROR = -1,
       RES_UNSAFE = -4 /* the version's directory belongs to another user (homecheck.h) */ };

typedef struct {
    int spec_index;           /* which of req->vf.specs was used */
    char spec[SPEC_TEXT_MAX]; /* its text, after alias expansion */
    char vname[VFILE_SPEC_MAX + 64]; /* "v22.11.0", or "path:DIR" from .tool-versions (RES_OK) */
    char dir[PATH_MAX];       /* its directory: under $NODUS_HOME/versions, or a shared one (RES_OK) */
    int shared;               /* dir is in a shared directory (NODUS_SHARED_DIRS), never written */
} resolution;

/* Turn a request into an installed version. RES_OK fills out->vname;
 * RES_SYSTEM means "the node on PATH outside the shims"; on errors err holds
 * a full sentence for the user (without the "nodus: " prefix). */
int resolve_installed(const nodus_paths *p, const res_request *req,
                      resolution *out, char *err, size_t errlen);

/* Expand aliases ("default" and $NODUS_HOME/aliases/NAME), up to a fixed
 * depth, into a spec that is not an alias. Returns 0, or -1 with err. */
int resolve_alias(const nodus_paths *p, const char *text, spec_t *out, char *err, size_t errlen);

/* Read the first line of a small text file (default, alias) into buf.
 * Returns 0, or -1 when missing/unreadable/empty. */
int read_spec_file(const char *path, char *buf, size_t n);

/* Describe where a request came from, for messages: "/p/.nvmrc",
 * "NODUS_VERSION", "the default (/h/default)". */
void resolve_describe(const res_request *req, char *buf, size_t n);

/* `system`: the next cmd on PATH that is neither in the shims directory
 * nor the file self (the shim binary, reached through another directory;
 * NULL to skip that test). Returns 0 with the path in out, or -1. */
struct stat;
int resolve_system_cmd(const char *cmd, const char *shims, const struct stat *self, char *out, size_t n);
/* Before a shim execs a `system` command: remember this shim binary in
 * NODUS_SHIM_SEEN so that no shim in the chain picks it as "system". */
int resolve_mark_seen(const struct stat *self);
/* Set PATH for a program about to run under a version whose bin/ is bin:
 * the shims directory first when it is on PATH (so a nested `node` after
 * a cd is resolved again, and `npm -g` goes through the npm shim), then
 * bin, then the rest without duplicates. Returns 0, or -1 (out of memory). */
int resolve_child_path(const char *bin, const char *shims);
/* Whether path names the same file as st. */
int resolve_same_file(const char *path, const struct stat *st);
/* Whether a PATH entry (entry, len) is dir, ignoring trailing slashes. */
int path_entry_is(const char *entry, size_t len, const char *dir);

/* The exit status for a resolve_installed result: 7 not installed, 8 a
 * version file (or the default) names no valid spec, 2 a bad spec given by
 * the user, 1 anything else. */
int resolve_exit_status(int r, const res_request *req);

/* A request for one spec given on the command line. */
void resolve_arg_request(const char *spec, res_request *out);

#endif
