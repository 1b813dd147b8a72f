/* nodus help [COMMAND] */
#include "cmd.h"
#include "msg.h"

#include <stdio.h>
#include <string.h>

static void overview(void)
{
    printf("nodus %s - a Node.js version manager\n\nusage: nodus [--offline] [--quiet] [--json] COMMAND [ARGS]\n\n"
           "commands:\n", NODUS_VERSION_STR);
    for (const cmd_def *c = nodus_commands; c->name; c++)
        printf("  %-10s %s\n", c->name, c->summary);
    printf("\nversion specs: 22.11.0, 22, ^20.1, '>=18 <21', lts/*, lts/iron, lts/-1, latest, system\n"
           "get started:   nodus install --lts && nodus default lts/*\n"
           "see 'nodus help COMMAND' or 'man nodus' for more.\n");
}

int cmd_help(nodus_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc == 0) {
        overview();
        return 0;
    }
    const cmd_def *c = cmd_find(argv[0]);
    if (!c) {
        msg_err("'%s' is not a nodus command; see 'nodus help'", argv[0]);
        return EXIT_USAGE;
    }
    cmd_print_usage(c);
    return 0;
}
