/* nodus alias [NAME [SPEC]]: named specs, usable wherever a spec is.
 * An alias is $NODUS_HOME/aliases/NAME holding the spec as typed (so
 * "lts/(star)" keeps following new LTS releases). "default" is the default file
 * itself: 'nodus alias default 22' is 'nodus default 22', as in nvm.
 *
 *   nodus alias              every alias, one per line: NAME -> SPEC (VERSION)
 *   nodus alias NAME         that line for one alias
 *   nodus alias NAME SPEC    set it (written atomically) */
#include "cmd.h"
#include "fsutil.h"
#include "msg.h"
#include "resolve.h"
#include "strutil.h"
#include "versions.h"
#include "visible.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIAS_DEPTH 8

static int alias_file(const nodus_ctx *ctx, const char *name, char *buf, size_t n)
{
    return strcmp(name, "default") == 0 ? path_default(&ctx->paths, buf, n) : path_alias(&ctx->paths, name, buf, n);
}

/* "v22.11.0", "system", or "not installed" / "broken: ..." for a spec. */
static int describe(const nodus_ctx *ctx, const char *spec, char *buf, size_t n)
{
    char vname[128], err[1024];
    int r = versions_resolve(ctx, spec, vname, sizeof vname, err, sizeof err);
    if (r == RES_OK)
        str_copy(buf, n, vname);
    else if (r == RES_SYSTEM)
        str_copy(buf, n, "system");
    else if (r == RES_NOT_INSTALLED)
        str_copy(buf, n, "not installed");
    else
        str_copy(buf, n, "broken");
    return r;
}

static void print_line(const nodus_ctx *ctx, const char *name, const char *spec, json_t *arr)
{
    char what[160];
    int r = describe(ctx, spec, what, sizeof what);
    if (arr) {
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s?}", "name", name, "spec", spec, "version",
                                             r == RES_OK || r == RES_SYSTEM ? what : NULL));
        return;
    }
    /* Alias files are plain text anyone may have written. */
    char vn[VIS_SHORT], vs[VIS_SHORT];
    printf("%s -> %s (%s)\n", vis_str(vn, sizeof vn, name), vis_str(vs, sizeof vs, spec), what);
}

static int list_aliases(const nodus_ctx *ctx)
{
    alias_ent *as;
    size_t n;
    if (versions_aliases(ctx, &as, &n)) {
        msg_err("cannot read the aliases in %s: %s", ctx->paths.home, strerror(errno));
        return EXIT_IO;
    }
    json_t *arr = ctx->json ? json_array() : NULL;
    char path[PATH_MAX], def[SPEC_TEXT_MAX];
    if (path_default(&ctx->paths, path, sizeof path) == 0 && read_spec_file(path, def, sizeof def) == 0)
        print_line(ctx, "default", def, arr);
    for (size_t i = 0; i < n; i++)
        print_line(ctx, as[i].name, as[i].spec, arr);
    if (arr) {
        json_dumpf(arr, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(arr);
    } else if (n == 0 && !ctx->quiet) {
        msg_note("no aliases; set one with 'nodus alias NAME SPEC' (e.g. nodus alias work 20)");
    }
    free(as);
    return 0;
}

static int show_alias(const nodus_ctx *ctx, const char *name)
{
    char path[PATH_MAX], spec[SPEC_TEXT_MAX], why[256];
    if (versions_alias_name_check(name, why, sizeof why)) {
        msg_err("%s", why);
        return EXIT_USAGE;
    }
    if (alias_file(ctx, name, path, sizeof path) || read_spec_file(path, spec, sizeof spec)) {
        if (strcmp(name, "default") == 0)
            msg_err("no default is set; set one with 'nodus default lts/*' (or any version)");
        else
            msg_err("there is no alias named '%s'; see 'nodus alias' for the ones there are", name);
        return EXIT_NOT_FOUND;
    }
    json_t *arr = ctx->json ? json_array() : NULL;
    print_line(ctx, name, spec, arr);
    if (arr) {
        json_t *one = json_incref(json_array_get(arr, 0));
        json_dumpf(one, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(one);
        json_decref(arr);
    }
    return 0;
}

/* The spec must be a spec; when it names another alias, that alias must
 * exist and must not lead back to the one being set. */
static int check_target(const nodus_ctx *ctx, const char *name, const char *text, spec_t *out)
{
    char err[512], cur[SPEC_TEXT_MAX];
    if (spec_parse(text, out, err, sizeof err)) {
        msg_err("%s", err);
        return EXIT_USAGE;
    }
    str_copy(cur, sizeof cur, out->text);
    for (int depth = 0; depth < ALIAS_DEPTH; depth++) {
        spec_t s;
        if (spec_parse(cur, &s, err, sizeof err)) {
            msg_err("'%s' leads to an alias with a bad spec: %s", text, err);
            return EXIT_USAGE;
        }
        int is_alias = s.kind == SPEC_ALIAS;
        char next[64], path[PATH_MAX];
        str_copy(next, sizeof next, s.name);
        spec_free(&s);
        if (!is_alias)
            return 0;
        if (strcmp(next, name) == 0) {
            msg_err("alias '%s' cannot refer to itself (through '%s'); give it a version", name, text);
            return EXIT_USAGE;
        }
        if (alias_file(ctx, next, path, sizeof path) || read_spec_file(path, cur, sizeof cur)) {
            msg_err("'%s' is neither a version spec nor an alias; use a version (22.11.0, 22), a range "
                    "(^20.1), lts/*, lts/<codename>, latest, system, or an alias from 'nodus alias'", next);
            return EXIT_USAGE;
        }
    }
    msg_err("'%s' goes through more than %d aliases; point '%s' at a version", text, ALIAS_DEPTH, name);
    return EXIT_USAGE;
}

static int set_alias(const nodus_ctx *ctx, const char *name, const char *text)
{
    char why[256], path[PATH_MAX], dir[PATH_MAX], line[SPEC_TEXT_MAX + 2];
    if (versions_alias_name_check(name, why, sizeof why)) {
        msg_err("%s", why);
        return EXIT_USAGE;
    }
    spec_t s;
    int rc = check_target(ctx, name, text, &s);
    if (rc)
        return rc;
    str_fmt(line, sizeof line, "%s\n", s.text);
    char spec[SPEC_TEXT_MAX];
    str_copy(spec, sizeof spec, s.text);
    spec_free(&s);
    int is_default = strcmp(name, "default") == 0;
    if (is_default ? str_copy(dir, sizeof dir, ctx->paths.home) : path_aliases(&ctx->paths, dir, sizeof dir)) {
        msg_err("NODUS_HOME is too long");
        return EXIT_FAIL;
    }
    if (alias_file(ctx, name, path, sizeof path) || fs_mkdir_p(dir) ||
        fs_write_atomic(path, line, strlen(line), 0644)) {
        msg_err("cannot write %s: %s; check that %s is writable", path, strerror(errno), dir);
        return EXIT_IO;
    }
    if (ctx->quiet)
        return 0;
    char what[160];
    int r = describe(ctx, spec, what, sizeof what);
    const char *label = is_default ? "default" : "alias";
    if (r == RES_OK || r == RES_SYSTEM)
        msg_note("%s %s -> %s (now %s)", label, name, spec, what);
    else
        msg_warn("%s %s -> %s, which is not installed yet; run 'nodus install %s'", label, name, spec, spec);
    return 0;
}

int cmd_alias(nodus_ctx *ctx, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1])
            return cmd_bad_option("alias", argv[i]);
    if (argc == 0)
        return list_aliases(ctx);
    if (argc == 1)
        return show_alias(ctx, argv[0]);
    if (argc > 2) {
        msg_err("'alias' takes a name and one spec; quote a range with spaces, e.g. nodus alias work '>=20 <23'");
        return EXIT_USAGE;
    }
    return set_alias(ctx, argv[0], argv[1]);
}
