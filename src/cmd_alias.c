/* nodus alias: not yet written. */
#include "cmd.h"
#include "msg.h"

int cmd_alias(nodus_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    msg_err("'alias' is not available yet");
    return EXIT_FAIL;
}
