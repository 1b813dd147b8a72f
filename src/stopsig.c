#include "stopsig.h"

#include <stddef.h>

static void stop_set(sigset_t *s)
{
    sigemptyset(s);
    sigaddset(s, SIGINT);
    sigaddset(s, SIGTERM);
    sigaddset(s, SIGHUP);
}

void stopsig_block(sigset_t *old)
{
    sigset_t block;
    stop_set(&block);
    sigprocmask(SIG_BLOCK, &block, old);
}

int stopsig_pending(void)
{
    sigset_t set;
    return sigpending(&set) == 0 &&
           (sigismember(&set, SIGINT) == 1 || sigismember(&set, SIGTERM) == 1 || sigismember(&set, SIGHUP) == 1);
}
