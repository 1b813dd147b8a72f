/* nodus exec [--install] SPEC -- COMMAND [ARG...]: one command under a
 * version. NODUS_VERSION is set for the child so that every shim it runs
 * agrees with it, and PATH is arranged as a shim arranges it. */
#include "cmd.h"
#include "msg.h"
#include "resolve.h"
#include "strutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Installing needs nodus-core (libcurl, libarchive, OpenSSL). */
static int install_spec(nodus_ctx *ctx, const char *text)
{
    char *args[] = {"nodus-core", "install", (char *)text, ctx->offline ? "--offline" : NULL, NULL};
    return cmd_run_core(ctx, args);
}

int cmd_exec(nodus_ctx *ctx, int argc, char **argv)
{
    int do_install = 0, i = 0;
    const char *spec = NULL;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "--install") == 0)
            do_install = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cmd_bad_option("exec", argv[i]);
        else if (!spec)
            spec = argv[i];
        else
            break; /* the command starts here, without "--" */
    }
    if (!spec || i >= argc) {
        msg_err("usage: nodus exec [--install] SPEC -- COMMAND [ARG...]");
        return EXIT_USAGE;
    }
    res_request req;
    resolution res;
    char err[1024];
    resolve_arg_request(spec, &req);
    int r = resolve_installed(&ctx->paths, &req, &res, err, sizeof err);
    if (r == RES_NOT_INSTALLED && do_install) {
        int rc = install_spec(ctx, spec);
        if (rc)
            return rc;
        r = resolve_installed(&ctx->paths, &req, &res, err, sizeof err);
    }
    if (r == RES_NOT_INSTALLED) {
        msg_err("node %s is not installed; run 'nodus install %s', or 'nodus exec --install %s -- ...'", spec, spec, spec);
        return EXIT_NOT_INSTALLED;
    }
    if (r != RES_OK && r != RES_SYSTEM) {
        msg_err("%s", err);
        return EXIT_USAGE;
    }
    char bin[PATH_MAX], shims[PATH_MAX];
    if (setenv("NODUS_VERSION", r == RES_OK ? res.vname : "system", 1) ||
        (r == RES_OK && (str_fmt(bin, sizeof bin, "%s/bin", res.dir) ||
                         path_shims(&ctx->paths, shims, sizeof shims) || resolve_child_path(bin, shims)))) {
        msg_err("cannot set up the environment for %s", argv[i]);
        return EXIT_FAIL;
    }
    fflush(stdout);
    execvp(argv[i], argv + i);
    msg_err("cannot run %s: %s", argv[i], strerror(errno));
    return errno == ENOENT ? EXIT_SHIM_NOTFOUND : EXIT_SHIM_NOEXEC;
}
