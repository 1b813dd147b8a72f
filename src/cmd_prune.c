/* nodus prune [--dry-run]: remove the installed versions nothing refers
 * to. A version is kept when it is what one of these resolves to now:
 *
 *   - the default;
 *   - an alias;
 *   - this directory: NODUS_VERSION, or the nearest version file from the
 *     working directory up.
 *
 * Nothing else counts (not the newest of a line, not other projects'
 * version files: nodus cannot know them). A range keeps only the version
 * it picks (the default "22" keeps the newest 22.x). Versions go the way
 * 'uninstall' removes them (versions_remove), then the shims are redone. */
#include "cmd.h"
#include "msg.h"
#include "resolve.h"
#include "strutil.h"
#include "versions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEP_MAX 256

typedef struct {
    char vname[128];
    char why[PATH_MAX + 160];
} keep_ent;

typedef struct {
    keep_ent items[KEEP_MAX];
    size_t n;
    int lts_unknown; /* an LTS spec refers, and no LTS lines are known */
    int bad;         /* a reference could not be read */
} keep_set;

static int spec_is_lts(const nodus_ctx *ctx, const char *text)
{
    spec_t s;
    char err[512];
    if (resolve_alias(&ctx->paths, text, &s, err, sizeof err))
        return 0;
    int lts = s.kind == SPEC_LTS_ANY || s.kind == SPEC_LTS_BACK || s.kind == SPEC_LTS_NAME;
    spec_free(&s);
    return lts;
}

static void keep(keep_set *k, const char *vname, const char *why)
{
    if (k->n < KEEP_MAX) {
        str_copy(k->items[k->n].vname, sizeof k->items[k->n].vname, vname);
        str_copy(k->items[k->n].why, sizeof k->items[k->n].why, why);
        k->n++;
    }
}

static const char *kept_why(const keep_set *k, const char *vname)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->items[i].vname, vname) == 0)
            return k->items[i].why;
    return NULL;
}

/* One reference: the spec it asks for and how to name it in messages. */
static void refer(const nodus_ctx *ctx, keep_set *k, const lts_table *lts, const char *spec, const char *who)
{
    char vname[128], err[1024], why[PATH_MAX + 160];
    int r = versions_resolve(ctx, spec, vname, sizeof vname, err, sizeof err);
    if (r == RES_OK) {
        str_fmt(why, sizeof why, "%s, %s", who, spec);
        keep(k, vname, why);
    } else if (r == RES_BAD_SPEC || r == RES_ERROR) {
        msg_err("cannot tell what %s refers to: %s", who, err);
        k->bad = 1;
    } else if (r == RES_NOT_INSTALLED && lts->n == 0 && spec_is_lts(ctx, spec)) {
        k->lts_unknown = 1;
    }
}

static int collect(const nodus_ctx *ctx, keep_set *k, const lts_table *lts)
{
    char path[PATH_MAX], spec[SPEC_TEXT_MAX], who[PATH_MAX + 64];
    if (path_default(&ctx->paths, path, sizeof path) == 0 && read_spec_file(path, spec, sizeof spec) == 0)
        refer(ctx, k, lts, spec, "the default");
    alias_ent *as;
    size_t n;
    if (versions_aliases(ctx, &as, &n)) {
        msg_err("cannot read the aliases in %s; nothing was removed", ctx->paths.home);
        return EXIT_IO;
    }
    for (size_t i = 0; i < n; i++) {
        str_fmt(who, sizeof who, "alias %s", as[i].name);
        refer(ctx, k, lts, as[i].spec, who);
    }
    free(as);
    res_request req;
    if (versions_request(ctx, 1, &req) &&
        (req.source == REQ_ENV || req.source == REQ_FILE)) {
        resolution res;
        char err[1024];
        if (resolve_installed(&ctx->paths, &req, &res, err, sizeof err) == RES_OK) {
            str_fmt(who, sizeof who, "%s, %s", req.source == REQ_ENV ? "NODUS_VERSION" : req.origin, res.spec);
            keep(k, res.vname, who);
        } else if (lts->n == 0 && spec_is_lts(ctx, req.vf.specs[0])) {
            k->lts_unknown = 1;
        }
    }
    if (k->bad) {
        msg_err("nothing was removed; fix the spec above (see 'nodus alias' and 'nodus default') and prune again");
        return EXIT_BAD_FILE;
    }
    if (k->lts_unknown) {
        msg_err("an LTS spec (lts/...) refers to versions, but nodus does not know the LTS lines yet, so it cannot "
                "tell which versions to keep; nothing was removed; run 'nodus ls-remote --lts' once, then prune again");
        return EXIT_FAIL;
    }
    return 0;
}

int cmd_prune(nodus_ctx *ctx, int argc, char **argv)
{
    int dry = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "-n") == 0)
            dry = 1;
        else if (argv[i][0] == '-')
            return cmd_bad_option("prune", argv[i]);
        else {
            msg_err("'prune' takes no versions; to remove one, use 'nodus uninstall %s'", argv[i]);
            return EXIT_USAGE;
        }
    }
    vlist_t l;
    lts_table lts;
    int rc = versions_installed(ctx, &l);
    if (rc)
        return rc;
    versions_lts(ctx, &lts);
    keep_set *k = calloc(1, sizeof *k);
    if (!k) {
        msg_err("out of memory");
        rc = EXIT_FAIL;
        goto out;
    }
    if (l.n == 0) {
        if (!ctx->quiet)
            msg_note("no versions installed; nothing to prune");
        goto out;
    }
    if ((rc = collect(ctx, k, &lts)))
        goto out;
    size_t removed = 0;
    for (size_t i = 0; i < l.n; i++) {
        char vname[128];
        spec_vname(&l.items[i].v, vname, sizeof vname);
        const char *why = kept_why(k, vname);
        if (why) {
            if (!ctx->quiet)
                msg_note("keeping %s (%s)", vname, why);
            continue;
        }
        if (dry) {
            printf("would remove %s\n", vname);
            removed++;
            continue;
        }
        int r = versions_remove(ctx, vname);
        if (r) {
            rc = rc ? rc : r;
            continue;
        }
        printf("removed %s\n", vname);
        fflush(stdout);
        removed++;
    }
    if (removed == 0 && !ctx->quiet)
        msg_note("nothing to prune: every installed version is in use");
    if (removed && !dry)
        versions_reshim(ctx);
out:
    free(k);
    vlist_free(&l);
    lts_free(&lts);
    return rc;
}
