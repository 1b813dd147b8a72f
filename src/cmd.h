/* The command table: one function per subcommand, each in its own
 * cmd_<name>.c file. */
#ifndef NODUS_CMD_H
#define NODUS_CMD_H
#include "ctx.h"

typedef int (*cmd_fn)(nodus_ctx *ctx, int argc, char **argv);

typedef struct {
    const char *name;
    cmd_fn fn;
    const char *usage;   /* "install [SPEC...] [--lts]" */
    const char *summary; /* one line */
} cmd_def;

extern const cmd_def nodus_commands[];
const cmd_def *cmd_find(const char *name);

int cmd_install(nodus_ctx *ctx, int argc, char **argv);
int cmd_uninstall(nodus_ctx *ctx, int argc, char **argv);
int cmd_ls(nodus_ctx *ctx, int argc, char **argv);
int cmd_ls_remote(nodus_ctx *ctx, int argc, char **argv);
int cmd_default(nodus_ctx *ctx, int argc, char **argv);
int cmd_use(nodus_ctx *ctx, int argc, char **argv);
int cmd_pin(nodus_ctx *ctx, int argc, char **argv);
int cmd_current(nodus_ctx *ctx, int argc, char **argv);
int cmd_which(nodus_ctx *ctx, int argc, char **argv);
int cmd_exec(nodus_ctx *ctx, int argc, char **argv);
int cmd_init(nodus_ctx *ctx, int argc, char **argv);
int cmd_reshim(nodus_ctx *ctx, int argc, char **argv);
int cmd_alias(nodus_ctx *ctx, int argc, char **argv);
int cmd_unalias(nodus_ctx *ctx, int argc, char **argv);
int cmd_prune(nodus_ctx *ctx, int argc, char **argv);
int cmd_cache(nodus_ctx *ctx, int argc, char **argv);
int cmd_config(nodus_ctx *ctx, int argc, char **argv);
int cmd_doctor(nodus_ctx *ctx, int argc, char **argv);
int cmd_import(nodus_ctx *ctx, int argc, char **argv);
int cmd_mirror(nodus_ctx *ctx, int argc, char **argv);
int cmd_help(nodus_ctx *ctx, int argc, char **argv);
int cmd_version(nodus_ctx *ctx, int argc, char **argv);
int cmd_audit(nodus_ctx *ctx, int argc, char **argv);
int cmd_upgrade(nodus_ctx *ctx, int argc, char **argv);

/* nodus front binary: run the same command line in nodus-core. */
int cmd_delegate(nodus_ctx *ctx, int argc, char **argv);
/* Run nodus-core with these arguments as a child and wait; its status. */
int cmd_run_core(nodus_ctx *ctx, char *const *args);

/* `nodus` with no arguments: what is installed, what is active here and
 * why, and how to install the LTS or the Current release. */
int cmd_status(nodus_ctx *ctx, int argc, char **argv);
/* What to add to which startup file so the shims are on PATH, for the
 * shell in SHELL ("add 'eval "$(nodus init bash)"' at the end of ..."). */
void cmd_setup_hint(char *buf, size_t n);

/* Shared by commands: an option a command does not know. */
int cmd_bad_option(const char *cmd, const char *opt);
/* The options the help text of cmd describes ({f:...} in its items), as
 * space-separated words in buf (empty when none). */
void cmd_help_options(const char *cmd, char *buf, size_t n);
/* Print help for one command to stdout. */
void cmd_print_usage(const cmd_def *c);
#endif
