/* nodus version / --version */
#include "cmd.h"

#include <stdio.h>

int cmd_version(nodus_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    printf("nodus %s\n", NODUS_VERSION_STR);
    return 0;
}
