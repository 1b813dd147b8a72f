/* Advisory locks (flock) on files under $NODUS_HOME/tmp. The kernel drops
 * them when a process dies, so a SIGKILLed install never leaves a lock that
 * blocks the next one. */
#ifndef NODUS_LOCK_H
#define NODUS_LOCK_H
#include "paths.h"

/* Take the lock NAME, waiting for it (a note on stderr when it is held by
 * someone else). Returns an fd to pass to lock_release or lock_drop, or -1
 * (errno). The fd is locked and its file is the one at the lock's path:
 * a lock file that lock_drop removed while we waited on it is let go, and
 * the path opened again. */
int lock_take(const nodus_paths *p, const char *name, int quiet);
/* Release the lock, keeping its file (locks taken often, like "shims"). */
void lock_release(int fd);
/* Release the lock and remove its file (per-version locks, which would
 * otherwise pile up in tmp/, one per version ever tried). The file is
 * unlinked while still held, so whoever waits on it notices (lock_take). */
void lock_drop(const nodus_paths *p, const char *name, int fd);
#endif
