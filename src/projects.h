/* The projects nodus has seen choose a version: the version files that
 * 'pin' wrote and that 'install' (with no spec) read, newest first, in
 * $NODUS_HOME/projects, one absolute path per line. 'nodus audit' checks
 * them. Bounded (PROJECTS_MAX, the oldest drop off) and written
 * atomically; a file that is gone is dropped when next written. */
#ifndef NODUS_PROJECTS_H
#define NODUS_PROJECTS_H
#include <stddef.h>
#include "paths.h"

#define PROJECTS_MAX 200

/* Put the version file at path (made absolute) first. Failing only loses
 * the note: it returns -1 and the caller goes on. */
int projects_note(const nodus_paths *p, const char *path);
/* The registry, newest first: *out is a malloc'd array of malloc'd paths
 * (free with projects_free). Returns 0 (a missing file is none) or -1. */
int projects_list(const nodus_paths *p, char ***out, size_t *n);
void projects_free(char **list, size_t n);
#endif
