/* nodus uninstall SPEC...: a version disappears with one rename into
 * tmp/ (so no half-removed version is ever visible), then is deleted
 * (versions_remove, shared with prune). */
#include "cmd.h"
#include "msg.h"
#include "resolve.h"
#include "strutil.h"
#include "versions.h"

#include <stdio.h>
#include <string.h>

/* The version the default resolves to now, in vname ("" when none). */
static void default_version(const nodus_ctx *ctx, char *vname, size_t n, char *spec, size_t sn)
{
    res_request req;
    resolution res;
    char err[1024];
    vname[0] = spec[0] = '\0';
    if (resolve_default_request(&ctx->paths, &req) &&
        resolve_installed(&ctx->paths, &req, &res, err, sizeof err) == RES_OK) {
        str_copy(vname, n, res.vname);
        str_copy(spec, sn, req.vf.specs[0]);
    }
}

/* Removing what the default stands for changes every directory without a
 * version file: say so, and what the default means now. */
static void warn_default(const nodus_ctx *ctx, const char *spec)
{
    char now[VFILE_SPEC_MAX + 64], nspec[VFILE_SPEC_MAX];
    default_version(ctx, now, sizeof now, nspec, sizeof nspec);
    if (now[0])
        msg_warn("that was the version the default (%s) resolved to; it now resolves to %s", spec, now);
    else
        msg_warn("that was the version the default (%s) resolved to, and no installed version matches it now; "
                 "set another with 'nodus default SPEC'", spec);
}

static int uninstall_one(const nodus_ctx *ctx, const char *text)
{
    spec_t s;
    int rc = versions_spec(ctx, text, &s);
    if (rc)
        return rc;
    vlist_t l;
    lts_table lts;
    if ((rc = versions_installed(ctx, &l))) {
        spec_free(&s);
        return rc;
    }
    versions_lts(ctx, &lts);
    size_t matches = 0, first = 0;
    semver_t exact;
    int is_exact = s.kind == SPEC_RANGE && semver_range_exact(s.range, &exact);
    for (size_t i = 0; i < l.n; i++)
        if (spec_matches(&s, &l.items[i], &l, &lts) && (!is_exact || semver_cmp(&exact, &l.items[i].v) == 0))
            if (matches++ == 0)
                first = i;
    char vname[128];
    res_request req;
    resolution res;
    char err[1024];
    if (matches == 0 && ctx->paths.shared[0]) {
        resolve_arg_request(text, &req);
        if (resolve_installed(&ctx->paths, &req, &res, err, sizeof err) == RES_OK && res.shared) {
            msg_err("node %s is a shared version (%s): nodus only reads shared directories, so it is not this "
                    "user's to remove; whoever installed it there (often root) removes it", res.vname, res.dir);
            rc = EXIT_USAGE;
            matches = (size_t)-1;
        }
    }
    if (matches == (size_t)-1) {
        /* refused above */
    } else if (matches == 0) {
        msg_err("no installed version matches '%s'; see 'nodus ls'", s.text);
        rc = EXIT_NOT_INSTALLED;
    } else if (matches > 1) {
        msg_err("'%s' matches %zu installed versions; name one exactly (see 'nodus ls %s')", s.text, matches, s.text);
        rc = EXIT_USAGE;
    } else {
        char def[VFILE_SPEC_MAX + 64], dspec[VFILE_SPEC_MAX];
        spec_vname(&l.items[first].v, vname, sizeof vname);
        default_version(ctx, def, sizeof def, dspec, sizeof dspec);
        rc = versions_remove(ctx, vname);
        if (rc == 0 && !ctx->quiet)
            msg_note("uninstalled node %s", vname);
        if (rc == 0 && strcmp(def, vname) == 0)
            warn_default(ctx, dspec);
    }
    vlist_free(&l);
    lts_free(&lts);
    spec_free(&s);
    return rc;
}

int cmd_uninstall(nodus_ctx *ctx, int argc, char **argv)
{
    int rc = 0, n = 0;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            return cmd_bad_option("uninstall", argv[i]);
    }
    for (int i = 0; i < argc; i++) {
        int r = uninstall_one(ctx, argv[i]);
        if (r == 0)
            n++;
        else if (!rc)
            rc = r;
    }
    if (argc == 0) {
        msg_err("which version? usage: nodus uninstall SPEC... (see 'nodus ls')");
        return EXIT_USAGE;
    }
    if (n)
        versions_reshim(ctx);
    return rc;
}
