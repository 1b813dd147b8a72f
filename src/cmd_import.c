/* nodus import: not yet written. */
#include "cmd.h"
#include "msg.h"

int cmd_import(nodus_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    msg_err("'import' is not available yet");
    return EXIT_FAIL;
}
