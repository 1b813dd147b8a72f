/* nodus reshim */
#include "cmd.h"
#include "msg.h"
#include "shims.h"

int cmd_reshim(nodus_ctx *ctx, int argc, char **argv)
{
    if (argc > 0)
        return cmd_bad_option("reshim", argv[0]);
    char err[1024];
    if (shims_refresh(ctx, err, sizeof err)) {
        msg_err("%s", err);
        return EXIT_IO;
    }
    return 0;
}
