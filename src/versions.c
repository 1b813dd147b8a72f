#include "versions.h"
#include "msg.h"
#include "resolve.h"
#include "shims.h"
#include "strutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int versions_installed(const nodus_ctx *ctx, vlist_t *out)
{
    char dir[PATH_MAX];
    memset(out, 0, sizeof *out);
    if (path_versions(&ctx->paths, dir, sizeof dir) || vlist_installed(dir, out)) {
        msg_err("cannot read %s: %s", dir, strerror(errno));
        return EXIT_IO;
    }
    return 0;
}

void versions_lts(const nodus_ctx *ctx, lts_table *out)
{
    char path[PATH_MAX];
    memset(out, 0, sizeof *out);
    if (path_lts(&ctx->paths, path, sizeof path) == 0)
        lts_load(path, out);
}

void versions_meta(const nodus_ctx *ctx, const char *vname, const char *key, char *buf, size_t n)
{
    char path[PATH_MAX], line[4096];
    size_t kl = strlen(key);
    buf[0] = '\0';
    if (path_version_meta(&ctx->paths, vname, path, sizeof path))
        return;
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, kl) == 0 && line[kl] == '=') {
            line[strcspn(line, "\n")] = '\0';
            str_copy(buf, n, line + kl + 1);
            break;
        }
    }
    fclose(f);
}

int versions_spec(const nodus_ctx *ctx, const char *text, spec_t *out)
{
    char err[512];
    if (resolve_alias(&ctx->paths, text, out, err, sizeof err)) {
        msg_err("%s", err);
        return EXIT_USAGE;
    }
    return 0;
}

const index_entry *versions_pick_remote(const nodus_ctx *ctx, const release_index *ix, const spec_t *s, int *rc)
{
    if (s->kind == SPEC_SYSTEM) {
        msg_err("'system' is the node outside nodus; it cannot be installed with nodus");
        *rc = EXIT_USAGE;
        return NULL;
    }
    const index_entry *without_build = NULL;
    for (size_t i = 0; i < ix->list.n; i++) {
        const vent_t *e = &ix->list.items[i];
        if (!spec_matches(s, e, &ix->list, &ix->lts))
            continue;
        const index_entry *ie = &ix->entries[e->index];
        if (ie->nfiles == 0 || index_has_platform(ie, ctx->platform))
            return ie;
        if (!without_build)
            without_build = ie;
    }
    if (without_build)
        msg_err("no release matching '%s' has a %s build (%s is the newest match, without one); "
                "choose another version", s->text, ctx->platform, without_build->version);
    else if (s->kind == SPEC_LTS_NAME)
        msg_err("there is no LTS line named '%s' in the release index; see 'nodus ls-remote --lts'", s->name);
    else
        msg_err("no release matches '%s'; see 'nodus ls-remote' for what there is", s->text);
    *rc = EXIT_NOT_FOUND;
    return NULL;
}

void versions_reshim(const nodus_ctx *ctx)
{
    char err[1024];
    if (shims_refresh(ctx, err, sizeof err))
        msg_warn("%s", err);
}
