/* nodus unalias NAME...: remove aliases. "default" removes the default
 * (as 'nvm unalias default' does). Aliases and the default that pointed at
 * a removed alias are named in a warning: they no longer resolve. */
#include "cmd.h"
#include "msg.h"
#include "resolve.h"
#include "strutil.h"
#include "versions.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void warn_dangling(const nodus_ctx *ctx, const char *gone)
{
    alias_ent *as;
    size_t n;
    char path[PATH_MAX], def[SPEC_TEXT_MAX];
    if (path_default(&ctx->paths, path, sizeof path) == 0 && read_spec_file(path, def, sizeof def) == 0 &&
        strcmp(def, gone) == 0)
        msg_warn("the default is '%s', which is gone now; set it with 'nodus default SPEC'", gone);
    if (versions_aliases(ctx, &as, &n))
        return;
    for (size_t i = 0; i < n; i++)
        if (strcmp(as[i].spec, gone) == 0)
            msg_warn("alias '%s' refers to '%s', which is gone now; set it with 'nodus alias %s SPEC'", as[i].name,
                     gone, as[i].name);
    free(as);
}

static int unalias_one(const nodus_ctx *ctx, const char *name)
{
    char why[256], path[PATH_MAX];
    if (versions_alias_name_check(name, why, sizeof why)) {
        msg_err("%s", why);
        return EXIT_USAGE;
    }
    int is_default = strcmp(name, "default") == 0;
    if (is_default ? path_default(&ctx->paths, path, sizeof path) : path_alias(&ctx->paths, name, path, sizeof path)) {
        msg_err("NODUS_HOME is too long");
        return EXIT_FAIL;
    }
    if (unlink(path) != 0) {
        if (errno == ENOENT && is_default)
            msg_err("no default is set; nothing to remove");
        else if (errno == ENOENT)
            msg_err("there is no alias named '%s'; see 'nodus alias' for the ones there are", name);
        else
            msg_err("cannot remove %s: %s", path, strerror(errno));
        return errno == ENOENT ? EXIT_NOT_FOUND : EXIT_IO;
    }
    if (!ctx->quiet)
        msg_note("removed %s %s", is_default ? "the default," : "alias", name);
    warn_dangling(ctx, name);
    return 0;
}

int cmd_unalias(nodus_ctx *ctx, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1])
            return cmd_bad_option("unalias", argv[i]);
    if (argc == 0) {
        msg_err("which alias? usage: nodus unalias NAME... (see 'nodus alias')");
        return EXIT_USAGE;
    }
    int rc = 0;
    for (int i = 0; i < argc; i++) {
        int r = unalias_one(ctx, argv[i]);
        if (r && !rc)
            rc = r;
    }
    return rc;
}
