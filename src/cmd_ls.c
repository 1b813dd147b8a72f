/* nodus ls [SPEC] [--json]: installed versions, newest first. */
#include "cmd.h"
#include "jsonout.h"
#include "msg.h"
#include "resolve.h"
#include "safety.h"
#include "shared.h"
#include "strutil.h"
#include "versions.h"
#include "visible.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* What the default and the current directory resolve to, for markers. */
static void markers(const nodus_ctx *ctx, char *def, size_t dn, char *active, size_t an)
{
    res_request req;
    resolution res;
    char err[1024];
    def[0] = active[0] = '\0';
    if (resolve_default_request(&ctx->paths, &req) &&
        resolve_installed(&ctx->paths, &req, &res, err, sizeof err) == RES_OK)
        str_copy(def, dn, res.vname);
    if (versions_request(ctx, 0, &req) &&
        resolve_installed(&ctx->paths, &req, &res, err, sizeof err) == RES_OK)
        str_copy(active, an, res.vname);
}

/* Versions of the shared directories (NODUS_SHARED_DIRS) that the user's
 * own do not shadow, marked as shared; a directory nodus will not use is
 * named with the reason. */
static void list_shared(const nodus_ctx *ctx, const vlist_t *own, const spec_t *s, int filter,
                        const lts_table *lts, const char *def, const char *active, json_t *arr)
{
    const char *cur = ctx->paths.shared;
    char dir[PATH_MAX], why[128];
    while (shared_next(&cur, dir, sizeof dir)) {
        vlist_t l = {0};
        /* A directory a machine lacks (a fleet-wide setting) is no news. */
        if (access(dir, F_OK) != 0 && errno == ENOENT)
            continue;
        if (!shared_trusted(dir, why, sizeof why)) {
            msg_warn("not using the shared directory %s: %s", dir, why);
            continue;
        }
        if (vlist_installed(dir, &l))
            continue;
        for (size_t i = 0; i < l.n; i++) {
            char vname[128];
            int mine = 0;
            for (size_t k = 0; k < own->n && !mine; k++)
                mine = semver_cmp(&own->items[k].v, &l.items[i].v) == 0;
            if (mine || (filter && !spec_matches(s, &l.items[i], &l, lts)))
                continue;
            spec_vname(&l.items[i].v, vname, sizeof vname);
            int is_def = strcmp(vname, def) == 0, is_act = strcmp(vname, active) == 0;
            if (arr) {
                json_array_append_new(arr, json_pack("{s:s, s:b, s:b, s:s}", "version", vname, "default", is_def,
                                                     "active", is_act, "shared", dir));
                continue;
            }
            printf("%s %-10s %-14s %s%sshared (%s)\n", is_act ? "*" : " ", vname, "", is_def ? "default" : "",
                   is_def ? " " : "", dir);
        }
        vlist_free(&l);
    }
}

int cmd_ls(nodus_ctx *ctx, int argc, char **argv)
{
    const char *filter = NULL;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            return cmd_bad_option("ls", argv[i]);
        filter = argv[i];
    }
    spec_t s = {0};
    int rc = filter ? versions_spec(ctx, filter, &s) : 0;
    if (rc)
        return rc;
    vlist_t l;
    lts_table lts;
    rc = versions_installed(ctx, &l);
    if (rc) {
        spec_free(&s);
        return rc;
    }
    versions_lts(ctx, &lts);
    char def[128], active[128];
    markers(ctx, def, sizeof def, active, sizeof active);
    safety_data sd;
    int have_data = safety_load_cached(ctx, !ctx->quiet, &sd);
    json_t *arr = ctx->json ? json_array() : NULL;
    for (size_t i = 0; i < l.n; i++) {
        if (filter && !spec_matches(&s, &l.items[i], &l, &lts))
            continue;
        char vname[128], codename[64];
        spec_vname(&l.items[i].v, vname, sizeof vname);
        versions_meta(ctx, vname, "lts", codename, sizeof codename);
        int is_def = strcmp(vname, def) == 0, is_act = strcmp(vname, active) == 0;
        verdict_t vd;
        safety_judge(&sd, &l.items[i].v, &vd);
        if (arr) {
            json_t *o = json_pack("{s:s, s:s?, s:b, s:b}", "version", vname, "lts", codename[0] ? codename : NULL,
                                  "default", is_def, "active", is_act);
            verdict_json(&sd, &vd, o);
            json_array_append_new(arr, o);
            verdict_free(&vd);
            continue;
        }
        char safe[96] = "";
        verdict_short(&vd, safe, sizeof safe);
        verdict_free(&vd);
        /* The codename is a field of .nodus-meta, written from the mirror's
         * index: shown made visible. */
        char col[VIS_SHORT + 8] = "", vis[VIS_SHORT];
        if (codename[0])
            str_fmt(col, sizeof col, "lts/%s", vis_str(vis, sizeof vis, codename));
        const char *on = ctx->color && is_act ? "\033[32m" : "", *off = ctx->color && is_act ? "\033[0m" : "";
        char row[VIS_SHORT + 256];
        /* The status column only when there is data, so that the rows of
         * a nodus without it stay as they were. */
        if (have_data)
            str_fmt(row, sizeof row, "%s %-10s %-14s %-32s %s", is_act ? "*" : " ", vname, col, safe,
                    is_def ? "default" : "");
        else
            str_fmt(row, sizeof row, "%s %-10s %-14s %s", is_act ? "*" : " ", vname, col, is_def ? "default" : "");
        size_t rl = strlen(row);
        while (rl && row[rl - 1] == ' ')
            row[--rl] = '\0';
        printf("%s%s%s\n", on, row, off);
    }
    list_shared(ctx, &l, &s, filter != NULL, &lts, def, active, arr);
    if (arr) {
        json_print(stdout, arr);
        json_decref(arr);
    } else if (l.n == 0 && !ctx->quiet) {
        msg_note("no versions installed; run 'nodus install --lts'");
    }
    safety_free(&sd);
    vlist_free(&l);
    lts_free(&lts);
    spec_free(&s);
    return 0;
}
