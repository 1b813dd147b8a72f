/* nodus ls-remote [SPEC] [--lts] [--json]: the mirror's releases, newest
 * first, one per line with the version first; releases the index marks as
 * security releases say "security", and with the release schedule, the
 * newest release of each line says the line's support status. */
#include "cmd.h"
#include "index.h"
#include "jsonout.h"
#include "msg.h"
#include "safety.h"
#include "strutil.h"
#include "versions.h"
#include "visible.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static json_t *entry_json(const index_entry *e, const char *lts, int installed)
{
    json_t *files = json_array();
    for (size_t i = 0; i < e->nfiles; i++)
        json_array_append_new(files, json_string(e->files[i]));
    return json_pack("{s:s, s:s?, s:s?, s:b, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:b}", "version", e->version,
                     "date", e->date, "lts", lts, "security", e->security, "npm", e->npm, "v8", e->v8, "uv", e->uv,
                     "zlib", e->zlib, "openssl", e->openssl, "modules", e->modules, "files", files, "installed",
                     installed);
}

static int is_installed(const vlist_t *inst, const semver_t *v)
{
    for (size_t i = 0; i < inst->n; i++)
        if (semver_cmp(&inst->items[i].v, v) == 0)
            return 1;
    return 0;
}

int cmd_ls_remote(nodus_ctx *ctx, int argc, char **argv)
{
    const char *filter = NULL;
    int lts_only = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--lts") == 0)
            lts_only = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cmd_bad_option("ls-remote", argv[i]);
        else
            filter = argv[i];
    }
    spec_t s = {0};
    int rc = filter ? versions_spec(ctx, filter, &s) : 0;
    if (rc)
        return rc;
    release_index ix;
    rc = index_load(ctx, &ix);
    if (rc) {
        spec_free(&s);
        return rc;
    }
    vlist_t inst = {0};
    versions_installed(ctx, &inst);
    safety_data sd;
    safety_refresh(ctx, &sd);
    /* The Current line: the newest major, when it is not (yet) LTS. */
    unsigned long current_major = ix.list.n ? ix.list.items[0].v.major : 0;
    int current_is_lts = ix.lts.n && ix.lts.lines[0].major == current_major;
    /* One element at a time: a tree of every release would cost many
     * times the index's size. */
    json_list arr;
    if (ctx->json)
        json_list_begin(&arr, stdout);
    size_t shown = 0;
    for (size_t i = 0; i < ix.list.n; i++) {
        const vent_t *ve = &ix.list.items[i];
        const lts_line *line = lts_line_of(&ix.lts, &ve->v);
        if ((lts_only && !line) || (filter && !spec_matches(&s, ve, &ix.list, &ix.lts)))
            continue;
        const index_entry *e = &ix.entries[ve->index];
        int inst_here = is_installed(&inst, &ve->v);
        shown++;
        verdict_t vd;
        safety_judge(&sd, &ve->v, &vd);
        if (ctx->json) {
            json_t *o = entry_json(e, line ? line->name : NULL, inst_here);
            verdict_json(&sd, &vd, o);
            json_list_item(&arr, o);
            verdict_free(&vd);
            continue;
        }
        /* The line's status once, on its newest release. */
        char status[64] = "";
        int newest_of_line = i == 0 || ix.list.items[i - 1].v.major != ve->v.major ||
                             (ve->v.major == 0 && ix.list.items[i - 1].v.minor != ve->v.minor);
        if (sd.have_sched && newest_of_line && vd.support != SUP_UNKNOWN) {
            char end[16];
            date_format(vd.end, end, sizeof end);
            if (vd.support == SUP_EOL)
                str_fmt(status, sizeof status, "eol since %s", end);
            else
                str_fmt(status, sizeof status, "%s until %s", support_text(vd.support), end);
        }
        verdict_free(&vd);
        char tag[64] = "";
        if (line)
            str_fmt(tag, sizeof tag, "lts/%s", line->name);
        else if (!current_is_lts && ve->v.major == current_major && !ve->v.pre[0])
            str_copy(tag, sizeof tag, "current");
        /* The version and date come from the mirror: shown made visible
         * (a date of "\x1b]0;...\x07" must not retitle the terminal). */
        char ver[VIS_SHORT], date[VIS_SHORT], row[2 * VIS_SHORT + 128];
        vis_str(ver, sizeof ver, e->version);
        vis_str(date, sizeof date, e->date);
        if (sd.have_sched)
            str_fmt(row, sizeof row, "%-10s %-10s %-14s %-28s %-8s %s", ver, date, tag,
                    status, e->security ? "security" : "", inst_here ? "installed" : "");
        else
            str_fmt(row, sizeof row, "%-10s %-10s %-14s %-8s %s", ver, date, tag,
                    e->security ? "security" : "", inst_here ? "installed" : "");
        str_trim(row);
        puts(row);
    }
    if (ctx->json) {
        json_list_end(&arr);
    } else if (shown == 0) {
        msg_err("no release matches '%s'%s", filter ? filter : "*", lts_only ? " among LTS releases" : "");
        rc = EXIT_NOT_FOUND;
    }
    safety_free(&sd);
    vlist_free(&inst);
    index_free(&ix);
    spec_free(&s);
    return rc;
}
