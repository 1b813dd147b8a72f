/* `nodus` alone: the first screen a newcomer sees. What is installed, what
 * is active in this directory and why, and the two ways to start: the LTS
 * line (what most projects should use) or the Current line (the newest
 * features). Short on purpose; 'nodus help' has the rest. stdout:
 *
 *   nodus 0.1.0 - a Node.js version manager
 *
 *   installed:   v22.11.0 (lts/jod), v20.18.0 (lts/iron)     or "nothing yet"
 *   active here: v22.11.0, chosen by the default, /h/default (asks for 22)
 *
 *   install Node.js:
 *     nodus install --lts      Long Term Support: what most projects should use
 *     nodus install --latest   Current: the newest features, supported for a shorter time
 *
 *   more: 'nodus help' lists every command; 'nodus doctor' checks your setup
 *
 * plus one line when the shims are not on PATH yet, and one that names the
 * problem when config.yaml cannot be read. */
#include "cmd.h"
#include "msg.h"
#include "resolve.h"
#include "safety.h"
#include "strutil.h"
#include "versions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_MAX 5

static void show_installed(const nodus_ctx *ctx, const vlist_t *l)
{
    printf("installed:   ");
    if (l->n == 0) {
        printf("nothing yet\n");
        return;
    }
    for (size_t i = 0; i < l->n && i < SHOW_MAX; i++) {
        char vname[128], codename[64];
        spec_vname(&l->items[i].v, vname, sizeof vname);
        versions_meta(ctx, vname, "lts", codename, sizeof codename);
        printf("%s%s", i ? ", " : "", vname);
        if (codename[0])
            printf(" (lts/%s)", codename);
    }
    if (l->n > SHOW_MAX)
        printf(", and %zu more ('nodus ls')", l->n - SHOW_MAX);
    putchar('\n');
}

/* One line when the active version is end of life or vulnerable. */
static void show_safety(const nodus_ctx *ctx, const char *vname)
{
    semver_t v;
    safety_data sd;
    if (semver_parse(vname, &v) || !safety_load_cached(ctx, 0, &sd))
        return;
    verdict_t vd;
    safety_judge(&sd, &v, &vd);
    if (verdict_flagged(&vd)) {
        char line[1024];
        verdict_sentence(&vd, line, sizeof line);
        printf("             %s\n", line);
    }
    verdict_free(&vd);
    safety_free(&sd);
}

static void show_active(const nodus_ctx *ctx)
{
    res_request req;
    resolution res;
    char err[1024];
    printf("active here: ");
    if (!versions_request(ctx, 0, &req)) {
        printf("nothing (no version file here or above, and no default)\n");
        return;
    }
    int r = resolve_installed(&ctx->paths, &req, &res, err, sizeof err);
    char from[PATH_MAX + 32];
    resolve_describe(&req, from, sizeof from);
    if (r == RES_OK) {
        printf("%s, chosen by %s%s%s (asks for %s)\n", res.vname, from, req.vf.field[0] ? ", " : "", req.vf.field,
               req.vf.specs[res.spec_index]);
        show_safety(ctx, res.vname);
    }
    else if (r == RES_SYSTEM)
        printf("system (the node on PATH outside nodus), chosen by %s\n", from);
    else
        printf("nothing: %s\n", err);
}

/* Whether the shims directory is on PATH. */
static int shims_on_path(const nodus_ctx *ctx)
{
    char shims[PATH_MAX];
    const char *path = getenv("PATH");
    if (!path || path_shims(&ctx->paths, shims, sizeof shims))
        return 0;
    for (const char *p = path;;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (path_entry_is(p, len, shims))
            return 1;
        if (!end)
            return 0;
        p = end + 1;
    }
}

int cmd_status(nodus_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    vlist_t l;
    int rc = versions_installed(ctx, &l);
    if (rc)
        return rc;
    printf("nodus %s - a Node.js version manager\n\n", NODUS_VERSION_STR);
    show_installed(ctx, &l);
    show_active(ctx);
    if (ctx->config_error[0])
        printf("config:      broken, so the default settings apply: %s\n", ctx->config_error);
    printf("\ninstall Node.js:\n"
           "  nodus install --lts      Long Term Support: what most projects should use\n"
           "  nodus install --latest   Current: the newest features, supported for a shorter time\n");
    if (!shims_on_path(ctx)) {
        char hint[512];
        cmd_setup_hint(hint, sizeof hint);
        printf("\nto run node through nodus, %s\n", hint);
    }
    printf("\nmore: 'nodus help' lists every command; 'nodus doctor' checks your setup\n");
    vlist_free(&l);
    return 0;
}
