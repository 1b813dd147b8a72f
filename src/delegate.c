/* Handing a command to nodus-core, the build of nodus that links libcurl,
 * libarchive and OpenSSL. It sits beside nodus (build tree) or in
 * ../libexec/nodus (installed), like nodus-shim. */
#include "cmd.h"
#include "msg.h"
#include "strutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int core_path(const nodus_ctx *ctx, char *out, size_t n)
{
    if (ctx_program(ctx, "NODUS_CORE_BIN", "nodus-core", out, n) == 0)
        return 0;
    msg_err("cannot find nodus-core next to nodus (in %s or ../libexec/nodus); reinstall nodus", ctx->self_dir);
    return -1;
}

int cmd_delegate(nodus_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char core[PATH_MAX];
    if (core_path(ctx, core, sizeof core))
        return EXIT_FAIL;
    execv(core, ctx->argv);
    msg_err("cannot run %s: %s", core, strerror(errno));
    return EXIT_FAIL;
}

int cmd_run_core(nodus_ctx *ctx, char *const *args)
{
    char core[PATH_MAX];
    if (core_path(ctx, core, sizeof core))
        return EXIT_FAIL;
    pid_t pid = fork();
    if (pid < 0) {
        msg_err("cannot start nodus-core: %s", strerror(errno));
        return EXIT_FAIL;
    }
    if (pid == 0) {
        execv(core, args);
        _exit(EXIT_FAIL);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return EXIT_FAIL;
    return WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_FAIL;
}
