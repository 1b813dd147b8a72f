/* nodus init [bash|zsh|fish]: the shell setup, printed for eval. The shims
 * go first on PATH; a `nodus` shell function lets `nodus use` change
 * NODUS_VERSION in the running shell. */
#include "cmd.h"
#include "fsutil.h"
#include "msg.h"
#include "strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *shell_from_env(void)
{
    const char *sh = getenv("SHELL");
    const char *base = sh ? strrchr(sh, '/') : NULL;
    base = base ? base + 1 : sh;
    return base && *base ? base : "bash";
}

/* Completion file shipped beside the binary (installed or in the tree). */
static int completion_file(const nodus_ctx *ctx, const char *shell, char *out, size_t n)
{
    static const char *const rel[][2] = {
        {"bash", "share/bash-completion/completions/nodus"}, {"bash", "completions/nodus.bash"},
        {"zsh", "share/zsh/site-functions/_nodus"},          {"zsh", "completions/_nodus"},
        {"fish", "share/fish/vendor_completions.d/nodus.fish"}, {"fish", "completions/nodus.fish"},
    };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char cand[PATH_MAX];
        if (strcmp(rel[i][0], shell) == 0 && str_fmt(cand, sizeof cand, "%s/../%s", ctx->self_dir, rel[i][1]) == 0 &&
            fs_exists(cand) && realpath(cand, out) && !strchr(out, '\''))
            return 0;
    }
    (void)n;
    return -1;
}

static void init_posix(const nodus_ctx *ctx, const char *shell, const char *shims)
{
    char comp[PATH_MAX];
    printf("# nodus shell setup (%s)\n", shell);
    /* Move the shims to the front even when they are already on PATH
     * (behind another manager's directory, say); POSIX expansions only. */
    printf("__nodus_p=\":$PATH:\"\n"
           "while [ \"${__nodus_p#*':%s:'}\" != \"$__nodus_p\" ]; do\n"
           "  __nodus_p=\"${__nodus_p%%%%':%s:'*}:${__nodus_p#*':%s:'}\"\n"
           "done\n"
           "__nodus_p=\"${__nodus_p#:}\"\n"
           "export PATH='%s'\"${__nodus_p:+:}${__nodus_p%%:}\"\n"
           "unset __nodus_p\n",
           shims, shims, shims, shims);
    printf("export NODUS_SHELL=%s\n", shell);
    printf("nodus() {\n"
           "  if [ \"${1-}\" = use ]; then\n"
           "    shift\n"
           "    local __nodus_env\n"
           "    __nodus_env=\"$(command nodus use --shell %s \"$@\")\" || return $?\n"
           "    eval \"$__nodus_env\"\n"
           "  else\n"
           "    command nodus \"$@\"\n"
           "  fi\n"
           "}\n",
           shell);
    if (completion_file(ctx, shell, comp, sizeof comp) == 0) {
        if (strcmp(shell, "zsh") == 0)
            printf("if (( $+functions[compdef] )); then source '%s'; compdef _nodus nodus; fi\n", comp);
        else
            printf("[ -r '%s' ] && . '%s'\n", comp, comp);
    }
}

static void init_fish(const nodus_ctx *ctx, const char *shims)
{
    char comp[PATH_MAX];
    printf("# nodus shell setup (fish)\n");
    printf("set -gx PATH '%s' (string match -v -- '%s' $PATH)\n", shims, shims);
    printf("set -gx NODUS_SHELL fish\n");
    printf("function nodus\n"
           "  if test (count $argv) -ge 1; and test \"$argv[1]\" = use\n"
           "    set -l __nodus_env (command nodus use --shell fish $argv[2..-1]); or return $status\n"
           "    for __l in $__nodus_env; eval $__l; end\n"
           "  else\n"
           "    command nodus $argv\n"
           "  end\n"
           "end\n");
    if (completion_file(ctx, "fish", comp, sizeof comp) == 0)
        printf("source '%s'\n", comp);
}

int cmd_init(nodus_ctx *ctx, int argc, char **argv)
{
    const char *shell = argc > 0 ? argv[0] : shell_from_env();
    if (argc > 1 || (shell[0] == '-' && shell[1]))
        return cmd_bad_option("init", argc > 1 ? argv[1] : shell);
    char shims[PATH_MAX];
    path_shims(&ctx->paths, shims, sizeof shims);
    if (strchr(shims, '\'')) {
        msg_err("the shims directory %s contains a quote; set NODUS_HOME to a plainer path", shims);
        return EXIT_FAIL;
    }
    if (strcmp(shell, "bash") == 0 || strcmp(shell, "zsh") == 0 || strcmp(shell, "sh") == 0)
        init_posix(ctx, shell, shims);
    else if (strcmp(shell, "fish") == 0)
        init_fish(ctx, shims);
    else {
        msg_err("nodus has no setup for the shell '%s'; use bash, zsh or fish", shell);
        return EXIT_USAGE;
    }
    return 0;
}
