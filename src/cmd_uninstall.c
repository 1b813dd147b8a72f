/* nodus uninstall SPEC...: a version disappears with one rename into
 * tmp/ (so no half-removed version is ever visible), then is deleted. */
#include "cmd.h"
#include "fsutil.h"
#include "install.h"
#include "lock.h"
#include "msg.h"
#include "strutil.h"
#include "versions.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int remove_version(const nodus_ctx *ctx, const char *vname)
{
    char dir[PATH_MAX], tmp[PATH_MAX], trash[PATH_MAX], lockname[160];
    str_fmt(lockname, sizeof lockname, "install-%s", vname);
    if (path_version(&ctx->paths, vname, dir, sizeof dir) || path_tmp(&ctx->paths, tmp, sizeof tmp) ||
        str_fmt(trash, sizeof trash, "%s/trash-%s-%ld-XXXXXX", tmp, vname, (long)getpid()))
        return EXIT_FAIL;
    int lk = lock_take(&ctx->paths, lockname, ctx->quiet);
    if (lk < 0 || !mkdtemp(trash)) {
        msg_err("cannot prepare removing %s: %s; check that %s is writable", vname, strerror(errno), ctx->paths.home);
        lock_release(lk);
        return EXIT_IO;
    }
    int rc = 0;
    char inside[PATH_MAX];
    str_fmt(inside, sizeof inside, "%s/%s", trash, vname);
    if (rename(dir, inside) != 0) {
        msg_err("cannot remove %s: %s", dir, strerror(errno));
        rc = EXIT_IO;
    }
    lock_release(lk);
    if (fs_rm_rf(trash) != 0)
        msg_warn("could not delete all of %s; 'nodus doctor' will find it", trash);
    return rc;
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
    if (matches == 0) {
        msg_err("no installed version matches '%s'; see 'nodus ls'", s.text);
        rc = EXIT_NOT_INSTALLED;
    } else if (matches > 1) {
        msg_err("'%s' matches %zu installed versions; name one exactly (see 'nodus ls %s')", s.text, matches, s.text);
        rc = EXIT_USAGE;
    } else {
        spec_vname(&l.items[first].v, vname, sizeof vname);
        rc = remove_version(ctx, vname);
        if (rc == 0 && !ctx->quiet)
            msg_note("uninstalled node %s", vname);
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
