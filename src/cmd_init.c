/* nodus init [bash|zsh|fish]: the shell setup, printed for eval. The shims
 * go first on PATH; a `nodus` shell function lets `nodus use` change
 * NODUS_VERSION in the running shell. The function calls the absolute path
 * of the nodus that printed it, so it works when nodus itself is not on
 * PATH (no ~/.profile, a non-login shell).
 *
 * The same code is also kept in $NODUS_HOME/init.SHELL, so that a startup
 * file can source it ('. ~/.local/share/nodus/init.bash') instead of
 * starting a process at every shell start. That file begins with a check
 * (shell builtins only) that rewrites it through this command when the
 * nodus binary is newer than the file, i.e. after an upgrade. */
#include "cmd.h"
#include "fsutil.h"
#include "msg.h"
#include "strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define INIT_FILE_MAX (64 * 1024)

static const char *shell_from_env(void)
{
    const char *sh = getenv("SHELL");
    const char *base = sh ? strrchr(sh, '/') : NULL;
    base = base ? base + 1 : sh;
    return base && *base ? base : "bash";
}

/* Completion file shipped beside the binary (installed or in the tree). */
static int completion_file(const nodus_ctx *ctx, const char *shell, char *out)
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
    return -1;
}

static void init_posix(FILE *o, const nodus_ctx *ctx, const char *shell, const char *shims, const char *self)
{
    char comp[PATH_MAX];
    /* Move the shims to the front even when they are already on PATH
     * (behind another manager's directory, say); POSIX expansions only. */
    fprintf(o,
            "__nodus_p=\":$PATH:\"\n"
            "while [ \"${__nodus_p#*':%s:'}\" != \"$__nodus_p\" ]; do\n"
            "  __nodus_p=\"${__nodus_p%%%%':%s:'*}:${__nodus_p#*':%s:'}\"\n"
            "done\n"
            "__nodus_p=\"${__nodus_p#:}\"\n"
            "export PATH='%s'\"${__nodus_p:+:}${__nodus_p%%:}\"\n"
            "unset __nodus_p\n",
            shims, shims, shims, shims);
    fprintf(o, "export NODUS_SHELL=%s\n", shell);
    fprintf(o,
            "nodus() {\n"
            "  if [ \"${1-}\" = use ]; then\n"
            "    shift\n"
            "    local __nodus_env\n"
            "    __nodus_env=\"$('%s' use --shell %s \"$@\")\" || return $?\n"
            "    eval \"$__nodus_env\"\n"
            "  else\n"
            "    '%s' \"$@\"\n"
            "  fi\n"
            "}\n",
            self, shell, self);
    if (completion_file(ctx, shell, comp) != 0)
        return;
    if (strcmp(shell, "zsh") == 0) {
        /* compinit may run before or after this: register now when it has
         * run, and put the file's directory on fpath for when it runs. */
        char *slash = strrchr(comp, '/');
        *slash = '\0';
        fprintf(o,
                "(( ${fpath[(Ie)%s]} )) || fpath=('%s' $fpath)\n"
                "if (( $+functions[compdef] )); then autoload -Uz _nodus; compdef _nodus nodus; fi\n",
                comp, comp);
    } else {
        /* Loaded at the first completion, not at every shell start. */
        fprintf(o,
                "__nodus_complete() {\n"
                "  unset -f __nodus_complete\n"
                "  . '%s' && _nodus \"$@\"\n"
                "}\n"
                "complete -F __nodus_complete nodus\n",
                comp);
    }
}

static void init_fish(FILE *o, const nodus_ctx *ctx, const char *shims, const char *self)
{
    char comp[PATH_MAX];
    fprintf(o, "set -gx PATH '%s' (string match -v -- '%s' $PATH)\n", shims, shims);
    fprintf(o, "set -gx NODUS_SHELL fish\n");
    fprintf(o,
            "function nodus\n"
            "  if test (count $argv) -ge 1; and test \"$argv[1]\" = use\n"
            "    set -l __nodus_env ('%s' use --shell fish $argv[2..-1]); or return $status\n"
            "    for __l in $__nodus_env; eval $__l; end\n"
            "  else\n"
            "    '%s' $argv\n"
            "  end\n"
            "end\n",
            self, self);
    /* fish loads nodus.fish from this path at the first completion. */
    if (completion_file(ctx, "fish", comp) == 0) {
        *strrchr(comp, '/') = '\0';
        fprintf(o, "if not contains -- '%s' $fish_complete_path\n  set -g fish_complete_path '%s' $fish_complete_path\nend\n",
                comp, comp);
    }
}

/* The file's version of the code: the same, behind a check that rewrites
 * the file and sources the new one when nodus is newer than it. The guard
 * variable stops a loop when the clock makes the new file look older. */
static void wrap_for_file(FILE *o, const char *shell, const char *self, const char *file, const char *body)
{
    fprintf(o, "# nodus shell setup (%s), written by '%s init %s'.\n"
               "# Source it from a startup file; it is rewritten when that nodus changes.\n",
            shell, self, shell);
    if (strcmp(shell, "fish") == 0)
        fprintf(o,
                "if test -z \"$__nodus_again\"; and test '%s' -nt '%s'; and '%s' init fish >/dev/null 2>&1\n"
                "  set -g __nodus_again 1\n"
                "  source '%s'\n"
                "  set -e __nodus_again\n"
                "else\n%send\n",
                self, file, self, file, body);
    else
        fprintf(o,
                "if [ -z \"${__nodus_again-}\" ] && [ '%s' -nt '%s' ] && '%s' init %s >/dev/null 2>&1; then\n"
                "  __nodus_again=1\n"
                "  . '%s'\n"
                "  unset __nodus_again\n"
                "else\n%sfi\n",
                self, file, self, shell, file, body);
}

static int older_than(const char *file, const char *self)
{
    struct stat f, s;
    if (stat(file, &f) != 0 || stat(self, &s) != 0)
        return 0;
    return f.st_mtim.tv_sec < s.st_mtim.tv_sec ||
           (f.st_mtim.tv_sec == s.st_mtim.tv_sec && f.st_mtim.tv_nsec <= s.st_mtim.tv_nsec);
}

/* Keep $NODUS_HOME/init.SHELL equal to text; written only when it differs,
 * so that the eval at every shell start costs no write. When it is the
 * same but older than nodus (a reinstall of the same build), its time is
 * brought forward, or every shell start would run this again. Best effort:
 * the printed code is what this command is for. */
static void refresh_file(const nodus_ctx *ctx, const char *file, const char *self, const char *text, size_t len)
{
    size_t old_len = 0;
    char *old = fs_read_file(file, INIT_FILE_MAX, &old_len);
    int same = old && old_len == len && memcmp(old, text, len) == 0;
    free(old);
    if (same) {
        if (older_than(file, self) && utimensat(AT_FDCWD, file, NULL, 0) != 0)
            msg_warn("cannot update the time of %s: %s", file, strerror(errno));
        return;
    }
    if (fs_mkdir_p(ctx->paths.home) == 0 && fs_write_atomic(file, text, len, 0644) != 0)
        msg_warn("cannot write %s (%s); the printed setup still works", file, strerror(errno));
}

static int build(const nodus_ctx *ctx, const char *shell, const char *shims, const char *self, char **body,
                 size_t *len)
{
    FILE *o = open_memstream(body, len);
    if (!o)
        return -1;
    if (strcmp(shell, "fish") == 0)
        init_fish(o, ctx, shims, self);
    else
        init_posix(o, ctx, shell, shims, self);
    return fclose(o) == 0 ? 0 : -1;
}

int cmd_init(nodus_ctx *ctx, int argc, char **argv)
{
    const char *shell = argc > 0 ? argv[0] : shell_from_env();
    if (argc > 1 || (shell[0] == '-' && shell[1]))
        return cmd_bad_option("init", argc > 1 ? argv[1] : shell);
    if (strcmp(shell, "bash") != 0 && strcmp(shell, "zsh") != 0 && strcmp(shell, "sh") != 0 &&
        strcmp(shell, "fish") != 0) {
        msg_err("nodus has no setup for the shell '%s'; use bash, zsh or fish", shell);
        return EXIT_USAGE;
    }
    char shims[PATH_MAX], self[PATH_MAX], file[PATH_MAX];
    path_shims(&ctx->paths, shims, sizeof shims);
    if (strchr(shims, '\'')) {
        msg_err("the shims directory %s contains a quote; set NODUS_HOME to a plainer path", shims);
        return EXIT_FAIL;
    }
    if (!ctx->self_dir[0] || str_fmt(self, sizeof self, "%s/nodus", ctx->self_dir) || strchr(self, '\'')) {
        msg_err("cannot tell where this nodus is (or its path has a quote); reinstall it under a plainer path");
        return EXIT_FAIL;
    }
    char *body = NULL, *text = NULL;
    size_t blen = 0, tlen = 0;
    int have_file = strcmp(shell, "sh") != 0 && path_init_file(&ctx->paths, shell, file, sizeof file) == 0 &&
                    !strchr(file, '\'');
    if (build(ctx, shell, shims, self, &body, &blen)) {
        free(body);
        msg_err("out of memory");
        return EXIT_FAIL;
    }
    printf("# nodus shell setup (%s)\n%s", shell, body);
    if (have_file) {
        FILE *o = open_memstream(&text, &tlen);
        if (o) {
            wrap_for_file(o, shell, self, file, body);
            if (fclose(o) == 0)
                refresh_file(ctx, file, self, text, tlen);
        }
        free(text);
    }
    free(body);
    return 0;
}
