/* The signals that ask nodus to stop (SIGINT, SIGTERM, SIGHUP), held back
 * around work that must clean up after itself: an install's staging
 * directory, a mirror's temporary file, a parallel install's children.
 * The work checks stopsig_pending between two chunks and ends cleanly;
 * the signal is delivered when the old mask comes back. libc only. */
#ifndef NODUS_STOPSIG_H
#define NODUS_STOPSIG_H
#include <signal.h>

/* Block the three; the mask before is left in *old. */
void stopsig_block(sigset_t *old);
/* One of the three is pending (blocked, not yet delivered). */
int stopsig_pending(void);
#endif
