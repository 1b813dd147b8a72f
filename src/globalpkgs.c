#include "globalpkgs.h"
#include "fsutil.h"
#include "msg.h"
#include "semver.h"
#include "strutil.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* One part of an npm package name: lower case, digits, '-', '.', '_', '~',
 * not starting with '.' or '_' (npm's rules for new packages). */
static int name_part_ok(const char *s, size_t n)
{
    if (n == 0 || s[0] == '.' || s[0] == '_')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~'))
            return 0;
    }
    return 1;
}

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 214)
        return 0;
    if (name[0] != '@')
        return name_part_ok(name, n);
    const char *slash = strchr(name, '/');
    return slash && name_part_ok(name + 1, (size_t)(slash - name - 1)) &&
           name_part_ok(slash + 1, strlen(slash + 1));
}

static int add_pkg(const char *dir, const char *name, gpkg **out, size_t *n, size_t *cap)
{
    char pj[PATH_MAX];
    if (str_fmt(pj, sizeof pj, "%s/%s/package.json", dir, name))
        return 0;
    size_t len = 0;
    char *text = fs_read_file(pj, 1u << 20, &len);
    json_t *root = text ? json_loadb(text, len, 0, NULL) : NULL;
    free(text);
    json_t *v = json_object_get(root, "version");
    semver_t sv;
    int good = name_ok(name) && json_is_string(v) && semver_parse(json_string_value(v), &sv) == 0;
    if (!good) {
        msg_warn("%s/%s: not a package npm can install again by name and version; skipped", dir, name);
        json_decref(root);
        return 0;
    }
    if (*n == *cap) {
        gpkg *np = realloc(*out, (*cap = *cap ? *cap * 2 : 16) * sizeof **out);
        if (!np) {
            json_decref(root);
            return -1;
        }
        *out = np;
    }
    str_copy((*out)[*n].name, sizeof (*out)[*n].name, name);
    semver_format(&sv, (*out)[*n].version, sizeof (*out)[*n].version);
    (*n)++;
    json_decref(root);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const gpkg *)a)->name, ((const gpkg *)b)->name);
}

static int scan_dir(const char *dir, const char *scope, gpkg **out, size_t *n, size_t *cap)
{
    char path[PATH_MAX];
    if (str_fmt(path, sizeof path, "%s%s%s", dir, scope ? "/" : "", scope ? scope : ""))
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        const char *e = de->d_name;
        if (e[0] == '.' || (!scope && (strcmp(e, "npm") == 0 || strcmp(e, "corepack") == 0)))
            continue;
        char name[PATH_MAX];
        if (!scope && e[0] == '@') {
            rc = scan_dir(dir, e, out, n, cap);
            continue;
        }
        if (str_fmt(name, sizeof name, "%s%s%s", scope ? scope : "", scope ? "/" : "", e))
            continue;
        rc = add_pkg(dir, name, out, n, cap);
    }
    closedir(d);
    return rc;
}

int gpkgs_list(const nodus_ctx *ctx, const char *vname, gpkg **out, size_t *n)
{
    char vdir[PATH_MAX], dir[PATH_MAX];
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (path_version(&ctx->paths, vname, vdir, sizeof vdir) || str_fmt(dir, sizeof dir, "%s/lib/node_modules", vdir)) {
        msg_err("the path of %s is too long", vname);
        return EXIT_FAIL;
    }
    if (scan_dir(dir, NULL, out, n, &cap)) {
        msg_err("out of memory");
        free(*out);
        *out = NULL;
        *n = 0;
        return EXIT_FAIL;
    }
    if (*n)
        qsort(*out, *n, sizeof **out, by_name);
    return 0;
}

/* Run versions/<vname>/bin/npm install -g SPEC with that bin/ first on
 * PATH (real npm starts with '#!/usr/bin/env node'). Output goes to our
 * stderr: stdout is for what nodus prints. */
static int run_npm(const char *bindir, const char *spec)
{
    char npm[PATH_MAX], path[PATH_MAX * 2];
    const char *old = getenv("PATH");
    if (str_fmt(npm, sizeof npm, "%s/npm", bindir) || str_fmt(path, sizeof path, "%s:%s", bindir, old ? old : "/usr/bin:/bin"))
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(STDERR_FILENO, STDOUT_FILENO);
        setenv("PATH", path, 1);
        /* Globals go to this version's own prefix, whatever the user's npm config says. */
        unsetenv("npm_config_prefix");
        unsetenv("NPM_CONFIG_PREFIX");
        char *const args[] = {npm, "install", "-g", (char *)spec, NULL};
        execv(npm, args);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

size_t gpkgs_install(const nodus_ctx *ctx, const char *vname, const gpkg *p, size_t n)
{
    char bindir[PATH_MAX];
    if (path_version_bin(&ctx->paths, vname, bindir, sizeof bindir))
        return n;
    size_t failed = 0;
    fflush(stdout);
    for (size_t i = 0; i < n; i++) {
        char spec[sizeof p->name + sizeof p->version + 2];
        str_fmt(spec, sizeof spec, "%s@%s", p[i].name, p[i].version);
        if (!ctx->quiet)
            msg_note("installing %s into %s", spec, vname);
        if (run_npm(bindir, spec) != 0) {
            msg_warn("npm could not install %s into %s; install it by hand: nodus exec %s -- npm install -g %s",
                     spec, vname, vname + 1, spec);
            failed++;
        }
    }
    return failed;
}
