/* nodus current [--json]: the active version and what chose it. The
 * version goes to stdout; the reason to stderr (or all of it in --json). */
#include "cmd.h"
#include "jsonout.h"
#include "msg.h"
#include "resolve.h"
#include "safety.h"
#include "strutil.h"
#include "versions.h"
#include "visible.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *source_name(req_source s)
{
    switch (s) {
    case REQ_ENV:
        return "env";
    case REQ_FILE:
        return "file";
    case REQ_DEFAULT:
        return "default";
    case REQ_ARG:
        return "argument";
    default:
        return "none";
    }
}

/* The active version against the cached schedule and database: one line
 * on stderr when it is end of life or vulnerable (JSON: the fields). */
static void judge_active(const nodus_ctx *ctx, const char *vname, json_t *o)
{
    semver_t v;
    safety_data sd;
    if (!o) {
        char line[1024];
        if (!ctx->quiet && safety_sentence_memo(ctx, vname, line, sizeof line) == 0 && line[0])
            msg_warn("%s", line);
        return;
    }
    if (semver_parse(vname, &v) || (!safety_load_cached(ctx, !ctx->quiet && !o, &sd) && !o))
        return;
    verdict_t vd;
    safety_judge(&sd, &v, &vd);
    if (o) {
        verdict_json(&sd, &vd, o);
    } else if (!ctx->quiet && verdict_flagged(&vd)) {
        char line[1024];
        verdict_sentence(&vd, line, sizeof line);
        msg_warn("%s", line);
    }
    verdict_free(&vd);
    safety_free(&sd);
}

int cmd_current(nodus_ctx *ctx, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        return cmd_bad_option("current", argv[i]);
    res_request req;
    resolution res = {0};
    char err[1024] = "";
    int found = versions_request(ctx, 1, &req);
    int r = found ? resolve_installed(&ctx->paths, &req, &res, err, sizeof err) : RES_NOT_INSTALLED;
    if (!found)
        str_copy(err, sizeof err, "no version is selected here: no NODUS_VERSION, no version file from here up, "
                 "and no default; run 'nodus default lts/*' or add a .node-version file");
    if (ctx->json) {
        json_t *o = json_pack("{s:s?, s:s?, s:s, s:s?, s:s?, s:b}", "version",
                              r == RES_OK ? res.vname : r == RES_SYSTEM ? "system" : NULL, "spec",
                              found ? req.vf.specs[res.spec_index] : NULL, "source", source_name(req.source),
                              "origin", found ? req.origin : NULL, "field", req.vf.field[0] ? req.vf.field : NULL,
                              "installed", r == RES_OK || r == RES_SYSTEM);
        if (r != RES_OK && r != RES_SYSTEM)
            json_object_set_new(o, "error", json_string(err));
        if (r == RES_OK)
            judge_active(ctx, res.vname, o);
        if (r == RES_OK && res.shared)
            json_object_set_new(o, "shared", json_string(res.dir));
        json_print(stdout, o);
        json_decref(o);
    } else if (r == RES_OK || r == RES_SYSTEM) {
        vis_fputs(r == RES_OK ? res.vname : "system", stdout);
        putchar('\n');
        if (!ctx->quiet) {
            char from[PATH_MAX + 32];
            resolve_describe(&req, from, sizeof from);
            msg_note("chosen by %s%s%s (asks for %s)", from, req.vf.field[0] ? ", " : "", req.vf.field,
                     req.vf.specs[res.spec_index]);
            if (r == RES_OK && res.shared)
                msg_note("shared, read-only: %s", res.dir);
        }
        if (r == RES_OK)
            judge_active(ctx, res.vname, NULL);
    } else {
        msg_err("%s", err);
    }
    if (r == RES_OK || r == RES_SYSTEM)
        return 0;
    return resolve_exit_status(r, &req);
}
