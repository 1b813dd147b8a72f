/* nodus config: not yet written. */
#include "cmd.h"
#include "msg.h"

int cmd_config(nodus_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    msg_err("'config' is not available yet");
    return EXIT_FAIL;
}
