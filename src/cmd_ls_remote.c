/* nodus ls-remote [SPEC] [--lts] [--json]: the mirror's releases, newest
 * first, one per line with the version first. */
#include "cmd.h"
#include "index.h"
#include "jsonout.h"
#include "msg.h"
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
        if (ctx->json) {
            json_list_item(&arr, entry_json(e, line ? line->name : NULL, inst_here));
            continue;
        }
        char tag[64] = "";
        if (line)
            str_fmt(tag, sizeof tag, "lts/%s", line->name);
        else if (!current_is_lts && ve->v.major == current_major && !ve->v.pre[0])
            str_copy(tag, sizeof tag, "current");
        /* The version and date come from the mirror: shown made visible
         * (a date of "\x1b]0;...\x07" must not retitle the terminal). */
        char ver[VIS_SHORT], date[VIS_SHORT], row[2 * VIS_SHORT + 96];
        str_fmt(row, sizeof row, "%-10s %-10s %-14s %s", vis_str(ver, sizeof ver, e->version),
                vis_str(date, sizeof date, e->date), tag, inst_here ? "installed" : "");
        str_trim(row);
        puts(row);
    }
    if (ctx->json) {
        json_list_end(&arr);
    } else if (shown == 0) {
        msg_err("no release matches '%s'%s", filter ? filter : "*", lts_only ? " among LTS releases" : "");
        rc = EXIT_NOT_FOUND;
    }
    vlist_free(&inst);
    index_free(&ix);
    spec_free(&s);
    return rc;
}
