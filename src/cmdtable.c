#include "cmd.h"
#include "msg.h"
#include "suggest.h"

#include <stdio.h>
#include <string.h>

/* Commands that need libcurl, libarchive or OpenSSL live in nodus-core;
 * the nodus front binary hands them over with cmd_delegate, so that the
 * commands people and prompts run often (current, which, use, ls) start
 * without loading those libraries (about 8 ms per start, measured). */
#ifdef NODUS_LIGHT
#define CORE(fn) cmd_delegate
#else
#define CORE(fn) fn
#endif

const cmd_def nodus_commands[] = {
    {"install", CORE(cmd_install), "install [SPEC...] [--lts] [--latest] [--jobs N]", "download, verify and install Node.js releases"},
    {"uninstall", cmd_uninstall, "uninstall SPEC...", "remove installed versions"},
    {"ls", cmd_ls, "ls [SPEC] [--json]", "list installed versions, newest first"},
    {"ls-remote", CORE(cmd_ls_remote), "ls-remote [SPEC] [--lts] [--json]", "list the mirror's releases, newest first"},
    {"use", cmd_use, "use SPEC", "use a version in this shell (needs 'nodus init')"},
    {"pin", cmd_pin, "pin SPEC", "pin this project to a version (writes .node-version)"},
    {"default", cmd_default, "default [SPEC|--unset]", "show, set or unset the version used everywhere else"},
    {"current", cmd_current, "current [--json]", "the active version and what chose it"},
    {"which", cmd_which, "which [COMMAND] [--json]", "the real executable a shim would run"},
    {"exec", cmd_exec, "exec [--install] SPEC -- COMMAND [ARG...]", "run one command under a version"},
    {"init", cmd_init, "init [bash|zsh|fish]", "print the shell setup: shims on PATH, 'use', completion"},
    {"reshim", cmd_reshim, "reshim", "recreate the shims for every installed version"},
    {"alias", cmd_alias, "alias [NAME [SPEC]]", "list, show or set a named alias for a spec"},
    {"unalias", cmd_unalias, "unalias NAME...", "remove aliases"},
    {"prune", cmd_prune, "prune [--dry-run]", "remove versions that no default, alias or pin refers to"},
    {"cache", cmd_cache, "cache dir|clear", "show or clear the download and index cache"},
    {"config", cmd_config, "config list|get KEY|set KEY VALUE", "read and change config.yaml"},
    {"doctor", cmd_doctor, "doctor [--json]", "check the setup and say how to fix what is wrong"},
    {"import", cmd_import, "import [nvm|fnm|n|volta...] [--dry-run]", "adopt versions other managers installed"},
    {"mirror", CORE(cmd_mirror), "mirror DIR [SPEC...] [--platform P...]", "copy releases, verified, into a mirror directory for a fleet"},
    {"help", cmd_help, "help [COMMAND]", "show help for nodus or one command"},
    {"version", cmd_version, "version", "print the version of nodus"},
    {"audit", CORE(cmd_audit), "audit [SPEC...|DIR...] [--json] [--fail-on WHAT] [--severity LEVEL]", "check versions and projects for end of life and known vulnerabilities"},
    {"upgrade", CORE(cmd_upgrade), "upgrade [SPEC...] [--dry-run] [--keep]", "move installed release lines to their newest release, global packages included"},
    {NULL, NULL, NULL, NULL},
};

const cmd_def *cmd_find(const char *name)
{
    for (const cmd_def *c = nodus_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int cmd_bad_option(const char *cmd, const char *opt)
{
    suggest_t s;
    suggest_init(&s, opt);
    suggest_add_options(&s, cmd);
    const char *near = opt[0] == '-' ? suggest_result(&s) : NULL;
    if (near)
        msg_err("'%s' does not take the option '%s'; did you mean '%s'? see 'nodus help %s'", cmd, opt, near, cmd);
    else
        msg_err("'%s' does not take the option '%s'; see 'nodus help %s'", cmd, opt, cmd);
    return EXIT_USAGE;
}

void cmd_print_usage(const cmd_def *c)
{
    printf("usage: nodus %s\n\n%s\n", c->usage, c->summary);
}
