/* Shared, read-only version directories: NODUS_SHARED_DIRS, a
 * colon-separated list of directories laid out like $NODUS_HOME/versions
 * (a machine-wide /opt/nodus that root installed or a container image
 * baked in). nodus reads them beside the user's own versions, after them,
 * and never writes them. A directory that someone other than root or the
 * user could write is not used: whoever can write it could put any program
 * behind `node`. libc only (the shim uses it). */
#ifndef NODUS_SHARED_H
#define NODUS_SHARED_H
#include <stddef.h>

/* The next entry of the list at *cur (advanced): 1 with the directory in
 * dir, 0 at the end. Empty and relative entries are skipped, and so are
 * entries that do not fit in n (never cut short). */
int shared_next(const char **cur, char *dir, size_t n);
/* Whether dir may be used: a directory owned by root or this user and not
 * writable by group or others. Returns 1, or 0 with why ("writable by
 * others", ...) when why is not NULL. */
int shared_trusted(const char *dir, char *why, size_t n);
#endif
