/* Somebody else's NODUS_HOME: a directory another user owns, or one that
 * group or others may write, lets them plant a binary that a shim then runs
 * as the caller. Like ssh with a loose ~/.ssh, nodus refuses such a home and
 * says how to fix it. Trees owned by root stay allowed (shared installs).
 * libc only: the shim judges the stat of the version directory it looked
 * up anyway. */
#ifndef NODUS_HOMECHECK_H
#define NODUS_HOMECHECK_H
#include <stddef.h>
#include <sys/stat.h>
#include "paths.h"

/* Whether st (of path) may be trusted: owned by the caller or root, and not
 * writable by group or others. Returns 0, or -1 with err naming the path,
 * the fault and the fix (no "nodus: " prefix). */
int home_judge(const char *path, const struct stat *st, char *err, size_t errlen);

/* NODUS_HOME, versions/, shims/ and default, those that exist. Returns 0,
 * or -1 with err as above. */
int home_check(const nodus_paths *p, char *err, size_t errlen);

/* Commands that run without the check: those that read no version from
 * the home (help, version, init, config) and doctor, which reports it. */
int home_check_exempt(const char *cmd);
#endif
