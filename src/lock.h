/* Advisory locks (flock) on files under $NODUS_HOME/tmp. The kernel drops
 * them when a process dies, so a SIGKILLed install never leaves a lock that
 * blocks the next one. */
#ifndef NODUS_LOCK_H
#define NODUS_LOCK_H
#include "paths.h"

/* Take the lock NAME, waiting for it (a note on stderr when it is held by
 * someone else). Returns an fd to pass to lock_release, or -1 (errno). */
int lock_take(const nodus_paths *p, const char *name, int quiet);
void lock_release(int fd);
#endif
