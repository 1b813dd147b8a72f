/* nodus doctor: not yet written. */
#include "cmd.h"
#include "msg.h"

int cmd_doctor(nodus_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    msg_err("'doctor' is not available yet");
    return EXIT_FAIL;
}
