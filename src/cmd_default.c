/* nodus default [SPEC | --unset]: show, set or remove the version used
 * where no version file and no NODUS_VERSION decide. The file is replaced
 * atomically. */
#include "cmd.h"
#include "fsutil.h"
#include "msg.h"
#include "resolve.h"
#include "strutil.h"
#include "versions.h"
#include "visible.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int show_default(const nodus_ctx *ctx)
{
    char err[1024];
    res_request req;
    if (!resolve_default_request(&ctx->paths, &req)) {
        msg_err("no default is set; set one with 'nodus default lts/*' (or any version)");
        return EXIT_NOT_FOUND;
    }
    const char *spec = req.vf.specs[0];
    resolution res;
    int r = resolve_installed(&ctx->paths, &req, &res, err, sizeof err);
    /* The default file is text on disk: shown made visible. */
    char shown[VIS_SHORT];
    vis_str(shown, sizeof shown, spec);
    if (r == RES_OK && strcmp(res.vname + 1, spec) != 0 && strcmp(res.vname, spec) != 0)
        printf("%s (%s)\n", shown, res.vname);
    else
        printf("%s\n", shown);
    if (r != RES_OK && r != RES_SYSTEM && !ctx->quiet)
        msg_warn("%s", err);
    return 0;
}

/* --unset: remove the file; with no default, the version files and
 * NODUS_VERSION alone decide. Removing none is not an error. */
static int unset_default(const nodus_ctx *ctx)
{
    char path[PATH_MAX];
    if (path_default(&ctx->paths, path, sizeof path)) {
        msg_err("NODUS_HOME is too long");
        return EXIT_FAIL;
    }
    int gone = unlink(path) == 0;
    if (!gone && errno != ENOENT) {
        msg_err("cannot remove the default %s: %s; check that %s is writable", path, strerror(errno),
                ctx->paths.home);
        return EXIT_IO;
    }
    if (!ctx->quiet)
        msg_note(gone ? "default unset" : "no default was set");
    return 0;
}

int cmd_default(nodus_ctx *ctx, int argc, char **argv)
{
    if (argc == 0)
        return show_default(ctx);
    if (strcmp(argv[0], "--unset") == 0) {
        if (argc > 1) {
            msg_err("'default --unset' takes nothing more; see 'nodus help default'");
            return EXIT_USAGE;
        }
        return unset_default(ctx);
    }
    if (argv[0][0] == '-' && argv[0][1])
        return cmd_bad_option("default", argv[0]);
    if (argc > 1) {
        msg_err("'default' takes one version spec; quote a range with spaces, e.g. nodus default '>=20 <23'");
        return EXIT_USAGE;
    }
    spec_t s;
    int rc = versions_spec(ctx, argv[0], &s);
    if (rc)
        return rc;
    char path[PATH_MAX], text[SPEC_TEXT_MAX + 2], typed[SPEC_TEXT_MAX];
    /* Store what the user typed (not the alias expansion): an LTS spec keeps
     * following new LTS releases, and an alias name keeps following the
     * alias. versions_spec has checked that it resolves to a spec. */
    str_copy(typed, sizeof typed, argv[0]);
    str_fmt(text, sizeof text, "%s\n", str_trim(typed));
    spec_free(&s);
    if (path_default(&ctx->paths, path, sizeof path) || fs_mkdir_p(ctx->paths.home) ||
        fs_write_atomic(path, text, strlen(text), 0644)) {
        msg_err("cannot write the default to %s: %s; check that it is writable", ctx->paths.home, strerror(errno));
        return EXIT_IO;
    }
    res_request req;
    resolution res;
    resolve_default_request(&ctx->paths, &req); /* what was just written */
    char err[1024];
    int r = resolve_installed(&ctx->paths, &req, &res, err, sizeof err);
    if (!ctx->quiet) {
        if (r == RES_OK)
            msg_note("default set to %s (now %s)", argv[0], res.vname);
        else if (r == RES_SYSTEM)
            msg_note("default set to system");
        else
            msg_warn("default set to %s, which is not installed yet; run 'nodus install %s'", argv[0], argv[0]);
    }
    return 0;
}
