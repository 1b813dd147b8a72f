/* nodus use [SPEC]: this shell only. The shell function that `nodus init`
 * defines runs `nodus use --shell SHELL SPEC` and evaluates what it
 * prints; run directly, use explains what to add to the shell's rc file. */
#include "cmd.h"
#include "msg.h"
#include "resolve.h"
#include "strutil.h"

#include <stdio.h>
#include <string.h>

/* Single-quote for sh and fish alike: specs never hold a quote (checked). */
static int print_set(const char *shell, const char *value)
{
    if (strchr(value, '\'') || strchr(value, '\\')) {
        msg_err("the version spec must not contain quotes or backslashes");
        return EXIT_USAGE;
    }
    if (strcmp(shell, "fish") == 0)
        printf("set -gx NODUS_VERSION '%s'\n", value);
    else
        printf("export NODUS_VERSION='%s'\n", value);
    return 0;
}

int cmd_use(nodus_ctx *ctx, int argc, char **argv)
{
    const char *shell = NULL, *spec = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--shell") == 0 && i + 1 < argc)
            shell = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1])
            return cmd_bad_option("use", argv[i]);
        else
            spec = argv[i];
    }
    if (!shell) {
        msg_err("'nodus use' changes the version of the running shell, which needs nodus's shell function; "
                "add this line to your ~/.bashrc (or ~/.zshrc), then open a new shell:\n"
                "  eval \"$(nodus init bash)\"\n"
                "for fish, add to ~/.config/fish/config.fish:  nodus init fish | source\n"
                "to run one command under a version instead: nodus exec SPEC -- COMMAND");
        return EXIT_USAGE;
    }
    if (!spec) {
        /* Back to whatever the directory's version files say. */
        puts(strcmp(shell, "fish") == 0 ? "set -e NODUS_VERSION" : "unset NODUS_VERSION");
        if (!ctx->quiet)
            msg_note("now following version files and the default again");
        return 0;
    }
    res_request req;
    resolution res;
    char err[1024];
    resolve_arg_request(spec, &req);
    int r = resolve_installed(&ctx->paths, &req, &res, err, sizeof err);
    if (r == RES_SYSTEM)
        return print_set(shell, "system");
    if (r != RES_OK) {
        if (r == RES_NOT_INSTALLED)
            msg_err("node %s is not installed; run 'nodus install %s' first", spec, spec);
        else
            msg_err("%s", err);
        return r == RES_NOT_INSTALLED ? EXIT_NOT_INSTALLED : EXIT_USAGE;
    }
    if (!ctx->quiet)
        msg_note("now using node %s in this shell", res.vname);
    return print_set(shell, res.vname);
}
