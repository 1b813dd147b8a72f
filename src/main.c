/* nodus: the CLI. Parses the global options, builds the context, and hands
 * the rest of the command line to the command in the table. */
#include "cmd.h"
#include "ctx.h"
#include "homecheck.h"
#ifndef NODUS_LIGHT
#include "http.h"
#endif
#include "msg.h"
#include "suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Global options may appear anywhere before "--" (for exec: before the
 * command, which starts at the second word after "exec"); they are
 * removed from argv so that commands see only their own. */
static int take_global(nodus_ctx *ctx, int *argc, char **argv)
{
    int out = 1, words = 0, is_exec = 0;
    int passthrough = 0;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (!passthrough && strcmp(a, "--") == 0)
            passthrough = 1;
        if (!passthrough && a[0] != '-') {
            if (words == 0)
                is_exec = strcmp(a, "exec") == 0;
            else if (is_exec && words == 2)
                passthrough = 1;
            words++;
        }
        if (passthrough) {
            argv[out++] = argv[i];
            continue;
        }
        if (strcmp(a, "--offline") == 0)
            ctx->offline = 1;
        else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
            ctx->quiet = 1;
        else if (strcmp(a, "--verbose") == 0)
            ctx->verbose = 1;
        else if (strcmp(a, "--json") == 0)
            ctx->json = 1;
        else if (strcmp(a, "--no-color") == 0)
            ctx->color = 0;
        else
            argv[out++] = argv[i];
    }
    argv[out] = NULL;
    *argc = out;
    return 0;
}

/* Everything after the global options: which command runs, and with
 * what. Every way out returns here, so main cleans up in one place. */
static int dispatch(nodus_ctx *ctx, int argc, char **argv)
{
    if (argc < 2)
        return cmd_status(ctx, 0, NULL);
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
        name = "version";
    else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        name = "help";
    else if (strcmp(name, "list") == 0)
        name = "ls";
    else if (strcmp(name, "list-remote") == 0)
        name = "ls-remote";
    const cmd_def *c = cmd_find(name);
    if (!c)
        return suggest_unknown_command(name);
    /* "nodus CMD --help" is "nodus help CMD". */
    for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
        if ((strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) &&
            !(strcmp(name, "exec") == 0 && i > 3)) {
            char *hargs[] = {(char *)c->name, NULL};
            return cmd_help(ctx, 1, hargs);
        }
    /* A broken config stops commands that would act on settings they
     * cannot read (the mirror, the signature checks: install, ls-remote,
     * and any command not named here), but not the local ones, which go
     * on with the defaults as the shim does. */
    if (ctx->config_error[0]) {
        static const char *const local_cmds[] = {"config", "doctor", "help",    "version", "init",  "ls",
                                                 "current", "use",   "which",   "exec",    "default", "pin",
                                                 "alias",  "unalias", "reshim", "cache",   "uninstall", "import",
                                                 NULL};
        int local = 0;
        for (int i = 0; local_cmds[i]; i++)
            local |= strcmp(name, local_cmds[i]) == 0;
        if (!local) {
            msg_err("%s", ctx->config_error);
            return EXIT_BAD_FILE;
        }
        msg_warn("%s; going on with the default settings", ctx->config_error);
    }
    char home_err[PATH_MAX + 512];
    if (!home_check_exempt(name) && home_check(&ctx->paths, home_err, sizeof home_err)) {
        msg_err("%s", home_err);
        return EXIT_FAIL;
    }
#ifndef NODUS_LIGHT
    if (http_global_init()) {
        msg_err("cannot initialise libcurl");
        return EXIT_FAIL;
    }
    int rc = c->fn(ctx, argc - 2, argv + 2);
    http_global_cleanup();
    return rc;
#else
    return c->fn(ctx, argc - 2, argv + 2);
#endif
}

int main(int argc, char **argv)
{
    nodus_ctx ctx;
    int rc = ctx_init(&ctx, argv[0]);
    if (rc)
        return rc;
    char **orig = calloc((size_t)argc + 1, sizeof *orig);
    if (!orig) {
        msg_err("out of memory");
        return EXIT_FAIL;
    }
    memcpy(orig, argv, (size_t)argc * sizeof *orig);
    ctx.argv = orig;
    take_global(&ctx, &argc, argv);
    rc = dispatch(&ctx, argc, argv);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        msg_err("cannot write the output: the output stream failed (disk full or closed pipe?)");
        rc = rc ? rc : EXIT_IO;
    }
    free(orig);
    return rc;
}
