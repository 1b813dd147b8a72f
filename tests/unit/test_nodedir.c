/* node_version.h parsing and the release-directory check behind
 * 'nodus import'. */
#include "nodedir.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static semver_t V;

static int hv(const char *text)
{
    return nodedir_header_version(text, &V);
}

static void test_header(void)
{
    /* The shape of the real header (trimmed). */
    const char *real = "#ifndef SRC_NODE_VERSION_H_\n#define SRC_NODE_VERSION_H_\n\n"
                       "#define NODE_MAJOR_VERSION 22\n#define NODE_MINOR_VERSION 11\n#define NODE_PATCH_VERSION 0\n\n"
                       "#define NODE_VERSION_IS_LTS 1\n#define NODE_VERSION_LTS_CODENAME \"Jod\"\n"
                       "#define NODE_VERSION_IS_RELEASE 1\n"
                       "#define NODE_STRINGIFY(n) NODE_STRINGIFY_HELPER(n)\n#endif\n";
    is_int(hv(real), 0, "real header parses");
    ok(V.major == 22 && V.minor == 11 && V.patch == 0, "22.11.0 (got %lu.%lu.%lu)", V.major, V.minor, V.patch);

    is_int(hv("  #  define   NODE_MAJOR_VERSION\t18\r\n#define NODE_MINOR_VERSION 20 // minor\r\n"
              "#define NODE_PATCH_VERSION 4 /* patch */\r\n"), 0, "spaces, tabs, CRLF and comments");
    ok(V.major == 18 && V.minor == 20 && V.patch == 4, "18.20.4");

    is_int(hv("#define NODE_MAJOR_VERSION 22\n#define NODE_MINOR_VERSION 11\n"), -1, "patch missing");
    is_int(hv("#define NODE_MAJOR_VERSION 22\n#define NODE_MINOR_VERSION 11\n#define NODE_PATCH_VERSION x\n"), -1,
           "non-numeric patch");
    is_int(hv("#define NODE_MAJOR_VERSION 022\n#define NODE_MINOR_VERSION 1\n#define NODE_PATCH_VERSION 0\n"), -1,
           "leading zero refused");
    is_int(hv("#define NODE_MAJOR_VERSIONS 22\n#define NODE_MINOR_VERSION 1\n#define NODE_PATCH_VERSION 0\n"), -1,
           "a longer name is not the define");
    is_int(hv("// #define NODE_MAJOR_VERSION 22\n#define NODE_MINOR_VERSION 1\n#define NODE_PATCH_VERSION 0\n"), -1,
           "a commented-out define does not count");
    is_int(hv("#define NODE_MAJOR_VERSION 22 + 1\n#define NODE_MINOR_VERSION 1\n#define NODE_PATCH_VERSION 0\n"), -1,
           "an expression is not a plain number");
    is_int(hv("#define NODE_MAJOR_VERSION 20\n#define NODE_MAJOR_VERSION 21\n#define NODE_MINOR_VERSION 1\n"
              "#define NODE_PATCH_VERSION 0\n"), 0, "a repeated define parses");
    is_int(V.major, 20, "the first definition counts");
    is_int(hv(""), -1, "empty text");
}

static void put(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    chmod(path, mode);
}

static void test_check(void)
{
    char root[] = "/tmp/nodus-test-nodedir-XXXXXX", p[512], why[256];
    if (!mkdtemp(root)) {
        ok(0, "mkdtemp");
        return;
    }
    semver_t want = {.major = 20, .minor = 18, .patch = 0};
    snprintf(p, sizeof p, "%s/bin", root);
    mkdir(p, 0755);
    is_int(nodedir_check(root, &want, why, sizeof why), -1, "no bin/node: refused");
    is_str(why, "bin/node is missing", "why: missing");

    snprintf(p, sizeof p, "%s/bin/node", root);
    put(p, "#!/bin/sh\n", 0644);
    is_int(nodedir_check(root, &want, why, sizeof why), -1, "bin/node not executable: refused");
    is_str(why, "bin/node is not an executable file", "why: not executable");
    chmod(p, 0755);
    is_int(nodedir_check(root, &want, why, sizeof why), -1, "no header: refused");
    is_str(why, "include/node/node_version.h is missing", "why: header missing");

    snprintf(p, sizeof p, "%s/include", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/include/node", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/include/node/node_version.h", root);
    put(p, "#define NODE_MAJOR_VERSION 20\n#define NODE_MINOR_VERSION 18\n#define NODE_PATCH_VERSION 1\n", 0644);
    is_int(nodedir_check(root, &want, why, sizeof why), -1, "header of another version: refused");
    is_str(why, "include/node/node_version.h says 20.18.1", "why: names the header's version");
    put(p, "#define NODE_MAJOR_VERSION 20\n#define NODE_MINOR_VERSION 18\n#define NODE_PATCH_VERSION 0\n", 0644);
    is_int(nodedir_check(root, &want, why, sizeof why), 0, "a complete release passes");

    /* bin/node as a symlink to an executable is not a release's layout. */
    char real[512];
    snprintf(real, sizeof real, "%s/node-real", root);
    put(real, "#!/bin/sh\n", 0755);
    snprintf(p, sizeof p, "%s/bin/node", root);
    unlink(p);
    is_int(symlink(real, p), 0, "made bin/node a symlink");
    is_int(nodedir_check(root, &want, why, sizeof why), -1, "bin/node a symlink: refused");

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    ok(system(cmd) == 0, "cleanup");
}

/* One symlink at rel (relative to root) with text target; parents made. */
static void link_at(const char *root, const char *rel, const char *target)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    unlink(p);
    if (symlink(target, p) != 0)
        printf("# symlink %s: failed\n", p);
}

static int inside(const char *root, char *why, size_t n)
{
    why[0] = '\0';
    return nodedir_links_inside(root, why, n);
}

static void test_links_inside(void)
{
    char root[] = "/tmp/nodus-test-links-XXXXXX", why[1024], p[512];
    if (!mkdtemp(root)) {
        ok(0, "mkdtemp");
        return;
    }
    snprintf(p, sizeof p, "%s/lib", root);
    mkdir(p, 0755);
    link_at(root, "bin/npm", "../lib/node_modules/npm/bin/npm-cli.js"); /* dangling: fine */
    link_at(root, "bin/nodejs", "../bin/./npm");
    link_at(root, "a/b/c/up", "../../..");
    link_at(root, "loop1", "loop2");
    link_at(root, "loop2", "loop1");
    link_at(root, "deep", "a/b/c/up/lib");
    is_int(inside(root, why, sizeof why), 0, "links that stay inside, dangling ones and loops pass (%s)", why);

    link_at(root, "a/esc", "b/c/up/../../../etc/hostname");
    is_int(inside(root, why, sizeof why), -1, "'..' after a link that climbs: refused");
    ok(strstr(why, "'a/esc' resolves outside") && strstr(why, "through 'a/b/c/up'"), "why names both (%s)", why);
    snprintf(p, sizeof p, "%s/a/esc", root);
    unlink(p);

    link_at(root, "lib/x/y/hop", "../../../a/b/c/up/..");
    is_int(inside(root, why, sizeof why), -1, "a link whose target ends in a climbing link, then '..': refused");
    snprintf(p, sizeof p, "%s/lib/x/y/hop", root);
    unlink(p);

    link_at(root, "lib/abs", "/etc");
    is_int(inside(root, why, sizeof why), -1, "an absolute link: refused (%s)", why);
    snprintf(p, sizeof p, "%s/lib/abs", root);
    unlink(p);
    link_at(root, "lib/toabs", "../abs2");
    link_at(root, "abs2", "/");
    is_int(inside(root, why, sizeof why), -1, "a link to an absolute link: refused (%s)", why);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    ok(system(cmd) == 0, "cleanup");
}

int main(void)
{
    test_header();
    test_check();
    test_links_inside();
    return tap_done();
}
