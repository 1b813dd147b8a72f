/* nodus which [COMMAND] [--json]: the real executable the shim would run
 * here. */
#include "cmd.h"
#include "jsonout.h"
#include "msg.h"
#include "resolve.h"
#include "shims.h"
#include "strutil.h"
#include "versions.h"
#include "visible.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cmd_which(nodus_ctx *ctx, int argc, char **argv)
{
    const char *cmd = "node";
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            return cmd_bad_option("which", argv[i]);
        cmd = argv[i];
    }
    if (!cmd[0] || strspn(cmd, " \t") == strlen(cmd)) {
        msg_err("usage: nodus which [COMMAND] (the command name is empty)");
        return EXIT_USAGE;
    }
    if (strchr(cmd, '/')) {
        msg_err("'%s' is a path, not a command name", cmd);
        return EXIT_USAGE;
    }
    res_request req;
    resolution res;
    char err[1024], path[PATH_MAX] = "", shims[PATH_MAX], shimbin[PATH_MAX];
    if (!versions_request(ctx, 0, &req)) {
        msg_err("no version is selected here; run 'nodus default lts/*' or add a .node-version file");
        return EXIT_NOT_INSTALLED;
    }
    int r = resolve_installed(&ctx->paths, &req, &res, err, sizeof err);
    if (r == RES_SYSTEM) {
        struct stat self = {0};
        if (shims_binary(ctx, shimbin, sizeof shimbin) == 0)
            stat(shimbin, &self);
        path_shims(&ctx->paths, shims, sizeof shims);
        if (resolve_system_cmd(cmd, shims, &self, path, sizeof path)) {
            msg_err("'system' is selected, but there is no %s on PATH outside the shims", cmd);
            return EXIT_NOT_FOUND;
        }
    } else if (r == RES_OK) {
        char bin[PATH_MAX];
        str_fmt(bin, sizeof bin, "%s/bin", res.dir);
        if (str_fmt(path, sizeof path, "%s/%s", bin, cmd) || access(path, X_OK) != 0) {
            msg_err("%s is not part of node %s", cmd, res.vname);
            return EXIT_NOT_FOUND;
        }
    } else {
        msg_err("%s", err);
        return resolve_exit_status(r, &req);
    }
    if (ctx->json) {
        json_t *o = json_pack("{s:s, s:s, s:s}", "command", cmd, "path", path, "version",
                              r == RES_OK ? res.vname : "system");
        json_print(stdout, o);
        json_decref(o);
    } else {
        /* NODUS_HOME and PATH are outside text too. */
        vis_fputs(path, stdout);
        putchar('\n');
    }
    return 0;
}
