/* The resolution order (resolve.h) over a real directory tree in a temp
 * directory, with NODUS_HOME inside it. */
#include "fsutil.h"
#include "resolve.h"
#include "tap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char ROOT[PATH_MAX];
static nodus_paths P;
static res_request REQ;
static resolution RES;
static char E[1024];

/* ---- the warn callback ---- */

typedef struct {
    int calls;
    char path[PATH_MAX];
    char why[256];
} warned;
static warned W;

static void on_warn(void *ud, const char *path, const char *why)
{
    warned *w = ud;
    w->calls++;
    snprintf(w->path, sizeof w->path, "%s", path);
    snprintf(w->why, sizeof w->why, "%s", why);
}

/* ---- the tree ---- */

static const char *at(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *at(const char *fmt, ...)
{
    static char bufs[8][2 * PATH_MAX + 2];
    static int next;
    char rel[PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rel, sizeof rel, fmt, ap);
    va_end(ap);
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", ROOT, rel);
    return b;
}

static void mkdirs(const char *rel)
{
    if (fs_mkdir_p(at("%s", rel)) != 0) {
        printf("# mkdir %s: %s\n", rel, strerror(errno));
        abort();
    }
}

static void put(const char *rel, const char *text)
{
    FILE *f = fopen(at("%s", rel), "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        printf("# write %s failed\n", rel);
        abort();
    }
}

static void rm(const char *rel)
{
    if (unlink(at("%s", rel)) != 0) {
        printf("# unlink %s: %s\n", rel, strerror(errno));
        abort();
    }
}

static int req(const char *cwd_rel)
{
    memset(&W, 0, sizeof W);
    return resolve_request(&P, cwd_rel ? at("%s", cwd_rel) : NULL, 0, on_warn, &W, &REQ);
}

static int installed(const char *spec_in_env)
{
    setenv("NODUS_VERSION", spec_in_env, 1);
    req("empty");
    unsetenv("NODUS_VERSION");
    E[0] = '\0';
    return resolve_installed(&P, &REQ, &RES, E, sizeof E);
}

static int installed_req(void)
{
    E[0] = '\0';
    return resolve_installed(&P, &REQ, &RES, E, sizeof E);
}

static int err_is(const char *want)
{
    int yes = strcmp(E, want) == 0;
    if (!yes)
        printf("#   error was '%s'\n#   wanted    '%s'\n", E, want);
    return yes;
}

static int err_has(const char *needle)
{
    int yes = strstr(E, needle) != NULL;
    if (!yes)
        printf("#   error was '%s', wanted it to contain '%s'\n", E, needle);
    return yes;
}

static void setup(void)
{
    char tmpl[] = "/tmp/nodus-test-resolve-XXXXXX";
    if (!mkdtemp(tmpl))
        abort();
    /* The physical path, so that paths built here match what getcwd says. */
    if (!realpath(tmpl, ROOT))
        abort();
    unsetenv("NODUS_VERSION");
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_CACHE_HOME");
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", ROOT, 1);
    setenv("NODUS_HOME", at("home"), 1);
    char err[256];
    if (paths_init(&P, err, sizeof err)) {
        printf("# paths_init: %s\n", err);
        abort();
    }
    mkdirs("home/versions");
    mkdirs("home/aliases");
    mkdirs("proj/a/b/c");
    mkdirs("order");
    mkdirs("empty/deep");
}

static void test_env(void)
{
    put("proj/.nvmrc", "18\n");
    setenv("NODUS_VERSION", " 20.9.0 ", 1);
    is_int(req("proj"), 1, "NODUS_VERSION: found");
    is_int(REQ.source, REQ_ENV, "NODUS_VERSION wins over .nvmrc");
    is_str(REQ.origin, "NODUS_VERSION", "origin NODUS_VERSION");
    is_int(REQ.vf.n, 1, "one spec");
    is_str(REQ.vf.specs[0], "20.9.0", "NODUS_VERSION trimmed");
    setenv("NODUS_VERSION", "", 1);
    req("proj");
    is_int(REQ.source, REQ_FILE, "an empty NODUS_VERSION is ignored");
    unsetenv("NODUS_VERSION");
}

static void test_nearest(void)
{
    put("proj/a/b/.node-version", "20\n");
    is_int(req("proj/a/b/c"), 1, "found from proj/a/b/c");
    is_int(REQ.source, REQ_FILE, "source is a file");
    is_str(REQ.origin, at("proj/a/b/.node-version"), "nearest directory wins");
    is_int(REQ.kind, VF_NODE_VERSION, "kind .node-version");
    is_str(REQ.vf.specs[0], "20", "spec from .node-version");
    req("proj/a");
    is_str(REQ.origin, at("proj/.nvmrc"), "from proj/a: proj/.nvmrc");
    is_int(REQ.kind, VF_NVMRC, "kind .nvmrc");
    is_str(REQ.vf.specs[0], "18", "spec from .nvmrc");
    req("proj/a/b");
    is_str(REQ.origin, at("proj/a/b/.node-version"), "the working directory itself counts");
    char trailing[PATH_MAX + 8];
    snprintf(trailing, sizeof trailing, "%s/", at("proj/a"));
    resolve_request(&P, trailing, 0, NULL, NULL, &REQ);
    is_str(REQ.origin, at("proj/.nvmrc"), "a trailing slash on cwd is fine (NULL warn callback)");

    /* A directory named .nvmrc is not a file. */
    mkdirs("proj/a/.nvmrc");
    req("proj/a");
    is_str(REQ.origin, at("proj/.nvmrc"), "a directory named .nvmrc is passed over");
    is_int(W.calls, 0, "without a warning");
}

static void test_order(void)
{
    put("order/.node-version", "16.20.2\n");
    put("order/.nvmrc", "18\n");
    put("order/.tool-versions", "ruby 3.3.0\nnodejs 20.9.0\n");
    put("order/package.json", "{\"engines\":{\"node\":\">=22\"}}\n");
    req("order");
    ok(REQ.kind == VF_NODE_VERSION && !strcmp(REQ.vf.specs[0], "16.20.2"), ".node-version first");
    rm("order/.node-version");
    req("order");
    ok(REQ.kind == VF_NVMRC && !strcmp(REQ.vf.specs[0], "18"), "then .nvmrc");
    is_str(REQ.origin, at("order/.nvmrc"), "origin .nvmrc");
    rm("order/.nvmrc");
    req("order");
    ok(REQ.kind == VF_TOOL_VERSIONS && !strcmp(REQ.vf.specs[0], "20.9.0"), "then .tool-versions");
    is_str(REQ.origin, at("order/.tool-versions"), "origin .tool-versions");
    rm("order/.tool-versions");
    req("order");
    ok(REQ.kind == VF_PACKAGE_JSON && !strcmp(REQ.vf.specs[0], ">=22"), "then package.json");
    is_str(REQ.vf.field, "engines.node", "package.json field engines.node");
    is_str(REQ.origin, at("order/package.json"), "origin package.json");
    rm("order/package.json");

    /* A .tool-versions without node, and a package.json without node
     * fields, are not version files: the search goes on upward. */
    mkdirs("proj/x/y");
    put("proj/x/package.json", "{\"name\":\"x\",\"version\":\"1.0.0\"}\n");
    put("proj/x/y/.tool-versions", "python 3.12.0\n");
    is_int(req("proj/x/y"), 1, "found above");
    is_str(REQ.origin, at("proj/.nvmrc"), "package.json without node fields and .tool-versions without node skipped");
    is_int(W.calls, 0, "no warning for them");
}

static void test_malformed(void)
{
    mkdirs("proj/m");
    put("proj/m/.nvmrc", "18\n20\n");
    put("proj/m/package.json", "{\"volta\":{\"node\":\"20.18.0\"}}");
    is_int(req("proj/m"), 1, "malformed .nvmrc: something still found");
    is_int(W.calls, 1, "warned once");
    is_str(W.path, at("proj/m/.nvmrc"), "warned about proj/m/.nvmrc");
    ok(W.why[0] != '\0', "with a reason");
    ok(REQ.kind == VF_PACKAGE_JSON && !strcmp(REQ.vf.specs[0], "20.18.0"), "the next file in the same directory");
    is_str(REQ.vf.field, "volta.node", "from volta.node");

    put("proj/m/package.json", "{\"engines\": {\"node\": ");
    is_int(req("proj/m"), 1, "two malformed files: still found above");
    is_int(W.calls, 2, "warned twice");
    is_str(W.path, at("proj/m/package.json"), "the last warning is about package.json");
    is_str(REQ.origin, at("proj/.nvmrc"), "resolution moved on to proj/.nvmrc");
    is_str(REQ.vf.specs[0], "18", "with its spec");
    is_int(REQ.vf.n, 1, "and only its spec");

    put("proj/m/.node-version", "# only a comment\n");
    req("proj/m/");
    is_int(W.calls, 3, "a .node-version with no version warns too");
    is_int(REQ.source, REQ_FILE, "and resolution still succeeds");
    rm("proj/m/.node-version");
    rm("proj/m/.nvmrc");
    rm("proj/m/package.json");
    put("proj/m/.nvmrc", "\x01\x02\x7f binary\n");
    req("proj/m");
    ok(W.calls == 1 && !strcmp(W.path, at("proj/m/.nvmrc")), "binary junk: warned");
    rm("proj/m/.nvmrc");
}

static void test_default(void)
{
    is_int(req("empty/deep"), 0, "nothing asks for a version");
    is_int(REQ.source, REQ_NONE, "source none");
    is_int(REQ.vf.n, 0, "no spec");
    char d[PATH_MAX];
    resolve_describe(&REQ, d, sizeof d);
    is_str(d, "nothing", "describe: nothing");

    put("home/default", "  lts/*  \r\nignored second line\n");
    is_int(req("empty/deep"), 1, "the default applies");
    is_int(REQ.source, REQ_DEFAULT, "source default");
    is_str(REQ.origin, at("home/default"), "origin the default file");
    is_str(REQ.vf.specs[0], "lts/*", "default spec: first line, trimmed");
    resolve_describe(&REQ, d, sizeof d);
    char want[PATH_MAX + 32];
    snprintf(want, sizeof want, "the default, %s", at("home/default"));
    is_str(d, want, "describe: the default");

    req("proj/a/b/c");
    is_int(REQ.source, REQ_FILE, "a version file beats the default");

    put("home/default", "\n");
    is_int(req("empty/deep"), 0, "an empty default file is no default");
    rm("home/default");
}

static void test_logical_cwd(void)
{
    char old[PATH_MAX];
    if (!getcwd(old, sizeof old))
        abort();
    const char *oldpwd = getenv("PWD");
    char savedpwd[PATH_MAX];
    snprintf(savedpwd, sizeof savedpwd, "%s", oldpwd ? oldpwd : "");

    mkdirs("t");
    mkdirs("lp");
    put("lp/.nvmrc", "16\n");
    ok(symlink(at("t"), at("lp/in")) == 0, "symlink lp/in -> t");
    ok(chdir(at("lp/in")) == 0, "cd lp/in");
    setenv("PWD", at("lp/in"), 1);
    is_int(resolve_request(&P, NULL, 0, NULL, NULL, &REQ), 1, "logical PWD: found");
    is_str(REQ.origin, at("lp/.nvmrc"), "walking up the logical path finds lp/.nvmrc");
    setenv("PWD", at("proj"), 1);
    is_int(resolve_request(&P, NULL, 0, NULL, NULL, &REQ), 0, "a PWD naming another directory is not trusted");
    unsetenv("PWD");
    is_int(resolve_request(&P, NULL, 0, NULL, NULL, &REQ), 0, "no PWD: the physical path (t) has nothing");
    if (chdir(old) != 0)
        abort();
    if (savedpwd[0])
        setenv("PWD", savedpwd, 1);
}

static void install_versions(void)
{
    const char *v[] = {"v22.11.0", "v22.10.0", "v20.18.0", "v20.9.0", "v20.8.1", "v18.20.4", "v24.0.0-rc.1"};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "home/versions/%s", v[i]);
        mkdirs(rel);
    }
    /* Things in versions/ that are not installs. */
    mkdirs("home/versions/notaversion");
    mkdirs("home/versions/23.0.0");
    mkdirs("home/versions/v23.1");
    put("home/versions/v99.0.0", "a stray file\n");
    mkdirs("home/versions/vv98.0.0");
    mkdirs("home/versions/v97.0.0 ");
    mkdirs("home/versions/v96.0.0+build");
    mkdirs("home/versions/=v95.0.0");
}

static void test_installed(void)
{
    install_versions();

    is_int(installed("22.11.0"), RES_OK, "exact installed");
    is_str(RES.vname, "v22.11.0", "exact: vname");
    is_str(RES.spec, "22.11.0", "exact: spec");
    is_int(RES.spec_index, 0, "exact: first spec");
    is_int(installed("v20.9.0"), RES_OK, "exact with v");
    is_str(RES.vname, "v20.9.0", "exact with v: vname");
    is_int(installed("=v18.20.4"), RES_OK, "exact with =v");
    is_str(RES.vname, "v18.20.4", "exact with =v: vname");
    is_int(installed("22"), RES_OK, "partial 22");
    is_str(RES.vname, "v22.11.0", "partial 22 picks the highest");
    is_int(installed("20"), RES_OK, "partial 20");
    is_str(RES.vname, "v20.18.0", "partial 20 picks 20.18.0");
    is_int(installed("20.8"), RES_OK, "partial 20.8");
    is_str(RES.vname, "v20.8.1", "partial 20.8 picks 20.8.1");
    is_int(installed(">=18 <20"), RES_OK, "range");
    is_str(RES.vname, "v18.20.4", "range picks 18.20.4");
    is_int(installed("^20.9 || ^18"), RES_OK, "union");
    is_str(RES.vname, "v20.18.0", "union picks 20.18.0");
    is_int(installed("latest"), RES_OK, "latest");
    is_str(RES.vname, "v22.11.0", "latest is the highest release, not 24.0.0-rc.1");
    is_int(installed("24"), RES_NOT_INSTALLED, "partial 24 does not pick a prerelease");
    is_int(installed("24.0.0-rc.1"), RES_OK, "the prerelease asked for exactly");
    is_str(RES.vname, "v24.0.0-rc.1", "prerelease vname");

    /* versions/ entries that nodus did not make are not installs. */
    is_int(installed("23"), RES_NOT_INSTALLED, "'23.0.0' without v and 'v23.1' are not installs");
    is_int(installed("99"), RES_NOT_INSTALLED, "a regular file named v99.0.0 is not an install");
    is_int(installed("99.0.0"), RES_NOT_INSTALLED, "nor is it one for an exact spec");
    is_int(installed("98"), RES_NOT_INSTALLED, "'vv98.0.0' is not an install");
    is_int(installed("97"), RES_NOT_INSTALLED, "'v97.0.0 ' is not an install");
    is_int(installed("96"), RES_NOT_INSTALLED, "'v96.0.0+build' is not an install");
    is_int(installed("95"), RES_NOT_INSTALLED, "'=v95.0.0' is not an install");
    is_int(installed("*"), RES_OK, "'*' picks from real installs only");
    is_str(RES.vname, "v22.11.0", "'*' picks v22.11.0");

    /* Not installed: the message names the version and who asked. */
    put("proj/.nvmrc", "21.0.0\n");
    req("proj/a");
    is_int(installed_req(), RES_NOT_INSTALLED, "not installed (file)");
    char want[PATH_MAX + 256];
    snprintf(want, sizeof want, "node 21.0.0 is not installed (asked for by %s); run 'nodus install'",
             at("proj/.nvmrc"));
    ok(err_is(want), "not installed: the message names the version and the file");
    is_int(installed("21"), RES_NOT_INSTALLED, "not installed (env)");
    ok(err_is("node 21 is not installed (asked for by NODUS_VERSION); run 'nodus install 21'"),
       "not installed: NODUS_VERSION and what to run");
    resolve_arg_request("lts/gallium", &REQ);
    is_int(installed_req(), RES_NOT_INSTALLED, "not installed (argument)");
    ok(err_is("node lts/gallium is not installed (asked for by the command line); run 'nodus install lts/gallium'"),
       "not installed: the command line");

    is_int(installed("system"), RES_SYSTEM, "system");
    is_str(RES.spec, "system", "system: spec");
    is_int(installed("System"), RES_SYSTEM, "System, any case");

    is_int(installed("foo bar"), RES_BAD_SPEC, "a bad spec");
    ok(err_has("'foo bar' is not a version spec") && err_has("(asked for by NODUS_VERSION)"),
       "a bad spec: the spec error, and who asked");
    is_int(installed("nosuchalias"), RES_BAD_SPEC, "an unknown alias");
    ok(err_has("'nosuchalias' is not a version spec or an alias"), "an unknown alias: message");

    /* A versions directory that cannot be read (here: not a directory). */
    ok(rename(at("home/versions"), at("home/versions.real")) == 0, "move versions/ aside");
    put("home/versions", "not a directory\n");
    is_int(installed("22"), RES_ERROR, "unreadable versions/: an error");
    ok(err_has("cannot read the versions directory under ") && err_has(at("home")), "unreadable versions/: message");
    is_int(installed("22.11.0"), RES_NOT_INSTALLED, "unreadable versions/: an exact spec is simply not installed");
    rm("home/versions");
    ok(rename(at("home/versions.real"), at("home/versions")) == 0, "versions/ back");
}

static void test_tool_versions(void)
{
    mkdirs("tv");
    put("tv/.tool-versions", "# pinned\nnodejs 21.0.0 20.9.0 system\n");
    req("tv");
    is_int(REQ.vf.n, 3, ".tool-versions: three specs");
    is_int(installed_req(), RES_OK, "fallback: the second is installed");
    is_str(RES.vname, "v20.9.0", "fallback picks 20.9.0");
    is_int(RES.spec_index, 1, "the second spec was used");
    is_str(RES.spec, "20.9.0", "spec text of the fallback");

    put("tv/.tool-versions", "nodejs 21.0.0 system\n");
    req("tv");
    is_int(installed_req(), RES_SYSTEM, "fallback to system");
    is_int(RES.spec_index, 1, "system was the second spec");

    put("tv/.tool-versions", "nodejs 21.0.0 19.0.0\n");
    req("tv");
    is_int(installed_req(), RES_NOT_INSTALLED, "no fallback installed");
    char want[PATH_MAX + 256];
    snprintf(want, sizeof want, "node 21.0.0 is not installed (asked for by %s); run 'nodus install'",
             at("tv/.tool-versions"));
    ok(err_is(want), "the message names the first spec");

    put("tv/.tool-versions", "nodejs ???? 22\n");
    req("tv");
    is_int(installed_req(), RES_OK, "a bad first spec falls back");
    is_str(RES.vname, "v22.11.0", "to 22");

    put("tv/.tool-versions", "node 22.10.0\n");
    req("tv");
    ok(installed_req() == RES_OK && !strcmp(RES.vname, "v22.10.0"), "a 'node' line");
}

static void test_aliases(void)
{
    put("home/aliases/work", "20\n");
    is_int(installed("work"), RES_OK, "an alias");
    is_str(RES.vname, "v20.18.0", "alias work -> 20 -> v20.18.0");
    is_str(RES.spec, "20", "the spec after expansion");

    put("home/aliases/outer", "inner");
    put("home/aliases/inner", "work");
    is_int(installed("outer"), RES_OK, "a chain of aliases");
    is_str(RES.vname, "v20.18.0", "outer -> inner -> work -> 20");

    put("home/default", "18\n");
    is_int(installed("default"), RES_OK, "'default' is an alias for the default file");
    is_str(RES.vname, "v18.20.4", "default -> 18");
    rm("home/default");
    is_int(installed("default"), RES_BAD_SPEC, "no default file: 'default' is unknown");

    put("home/aliases/loop1", "loop2\n");
    put("home/aliases/loop2", "loop1\n");
    is_int(installed("loop1"), RES_BAD_SPEC, "an alias loop is an error");
    ok(err_has("refers to itself"), "an alias loop: message");
    put("home/aliases/self", "self");
    is_int(installed("self"), RES_BAD_SPEC, "an alias naming itself");

    put("home/aliases/broken", "not a spec at all\n");
    is_int(installed("broken"), RES_BAD_SPEC, "an alias holding a bad spec");
    ok(err_has("'not a spec at all' is not a version spec"), "the bad spec is named");

    spec_t s;
    is_int(resolve_alias(&P, "work", &s, E, sizeof E), 0, "resolve_alias");
    ok(s.kind == SPEC_RANGE && !strcmp(s.text, "20"), "resolve_alias: work -> range 20");
    spec_free(&s);
    is_int(resolve_alias(&P, "lts/iron", &s, E, sizeof E), 0, "resolve_alias on a non-alias");
    ok(s.kind == SPEC_LTS_NAME && !strcmp(s.name, "iron"), "resolve_alias leaves lts/iron alone");
    spec_free(&s);
}

static void test_lts(void)
{
    is_int(installed("lts/*"), RES_NOT_INSTALLED, "no lts file: lts/* matches nothing");
    put("home/lts", "jod 22 22.11.0\niron 20 20.9.0\nhydrogen 18 18.12.0\ngallium 16 16.13.0\n");
    is_int(installed("lts/*"), RES_OK, "lts/*");
    is_str(RES.vname, "v22.11.0", "lts/* -> v22.11.0");
    is_int(installed("lts"), RES_OK, "lts");
    is_str(RES.vname, "v22.11.0", "lts -> v22.11.0");
    is_int(installed("lts/iron"), RES_OK, "lts/iron");
    is_str(RES.vname, "v20.18.0", "lts/iron -> v20.18.0");
    is_int(installed("LTS/Iron"), RES_OK, "LTS/Iron");
    is_int(installed("lts/-1"), RES_OK, "lts/-1");
    is_str(RES.vname, "v20.18.0", "lts/-1 -> v20.18.0");
    is_int(installed("lts/-2"), RES_OK, "lts/-2");
    is_str(RES.vname, "v18.20.4", "lts/-2 -> v18.20.4");
    is_int(installed("lts/-3"), RES_NOT_INSTALLED, "lts/-3 (gallium) not installed");
    is_int(installed("lts/gallium"), RES_NOT_INSTALLED, "lts/gallium not installed");
    is_int(installed("lts/argon"), RES_NOT_INSTALLED, "an unknown codename");

    /* Only iron's LTS releases: remove 20.18.0 and 20.9.0, keep 20.8.1. */
    rmdir(at("home/versions/v20.18.0"));
    rmdir(at("home/versions/v20.9.0"));
    is_int(installed("lts/iron"), RES_NOT_INSTALLED, "20.8.1 (before iron's LTS start) is not lts/iron");
    is_int(installed("20"), RES_OK, "but it is 20");
    is_str(RES.vname, "v20.8.1", "20 -> v20.8.1");
    mkdirs("home/versions/v20.18.0");
    put("home/aliases/mylts", "lts/iron\n");
    is_int(installed("mylts"), RES_OK, "an alias to an lts line");
    is_str(RES.vname, "v20.18.0", "mylts -> lts/iron -> v20.18.0");
}

static void test_helpers(void)
{
    char buf[64];
    put("spec1", "  20.9.0  \r\nsecond\n");
    ok(read_spec_file(at("spec1"), buf, sizeof buf) == 0 && !strcmp(buf, "20.9.0"), "read_spec_file: first line");
    put("spec2", "lts/*");
    ok(read_spec_file(at("spec2"), buf, sizeof buf) == 0 && !strcmp(buf, "lts/*"), "read_spec_file: no newline");
    put("spec3", "   \n22\n");
    is_int(read_spec_file(at("spec3"), buf, sizeof buf), -1, "read_spec_file: a blank first line is empty");
    put("spec4", "");
    is_int(read_spec_file(at("spec4"), buf, sizeof buf), -1, "read_spec_file: empty file");
    is_int(read_spec_file(at("nosuch"), buf, sizeof buf), -1, "read_spec_file: missing");
    is_int(read_spec_file(at("proj"), buf, sizeof buf), -1, "read_spec_file: a directory");
    char tiny[4];
    put("spec5", "22.11.0\n");
    ok(read_spec_file(at("spec5"), tiny, sizeof tiny) == -1 && !strcmp(tiny, ""),
       "read_spec_file: a spec longer than the buffer is refused, never cut");

    resolve_arg_request("22", &REQ);
    ok(REQ.source == REQ_ARG && REQ.vf.n == 1 && !strcmp(REQ.vf.specs[0], "22"), "resolve_arg_request");
    resolve_describe(&REQ, buf, sizeof buf);
    is_str(buf, "the command line", "describe: the command line");
    setenv("NODUS_VERSION", "22", 1);
    req("empty");
    unsetenv("NODUS_VERSION");
    resolve_describe(&REQ, buf, sizeof buf);
    is_str(buf, "NODUS_VERSION", "describe: NODUS_VERSION");
    req("proj");
    char d[PATH_MAX];
    resolve_describe(&REQ, d, sizeof d);
    is_str(d, at("proj/.nvmrc"), "describe: the file");

    is_int(path_entry_is("/a/b", 4, "/a/b"), 1, "path_entry_is: same");
    is_int(path_entry_is("/a/b//:x", 6, "/a/b"), 1, "path_entry_is: trailing slashes");
    is_int(path_entry_is("/a/bc", 5, "/a/b"), 0, "path_entry_is: longer");
    is_int(path_entry_is("/a/b:/c", 3, "/a/b"), 0, "path_entry_is: shorter");
    is_int(path_entry_is("/", 1, "/"), 1, "path_entry_is: root");

    /* system: the next node on PATH outside the shims directory. */
    mkdirs("sys/shims");
    mkdirs("sys/noexec");
    mkdirs("sys/bin1");
    mkdirs("sys/bin2");
    put("sys/shims/node", "#!/bin/sh\n");
    put("sys/noexec/node", "#!/bin/sh\n");
    put("sys/bin1/node", "#!/bin/sh\n");
    put("sys/bin2/node", "#!/bin/sh\n");
    chmod(at("sys/shims/node"), 0755);
    chmod(at("sys/bin1/node"), 0755);
    chmod(at("sys/bin2/node"), 0755);
    char path[4 * PATH_MAX];
    snprintf(path, sizeof path, "%s/:%s::%s:%s", at("sys/shims"), at("sys/noexec"), at("sys/bin1"), at("sys/bin2"));
    const char *oldpath = getenv("PATH");
    char saved[8192];
    snprintf(saved, sizeof saved, "%s", oldpath ? oldpath : "/usr/bin:/bin");
    setenv("PATH", path, 1);
    char out[PATH_MAX];
    int r = resolve_system_cmd("node", at("sys/shims"), NULL, out, sizeof out);
    ok(r == 0 && !strcmp(out, at("sys/bin1/node")), "system: skips the shims and a non-executable node");
    struct stat self;
    stat(at("sys/bin1/node"), &self);
    ok(resolve_same_file(at("sys/bin1/node"), &self), "resolve_same_file: same");
    ok(!resolve_same_file(at("sys/bin2/node"), &self), "resolve_same_file: different");
    ok(!resolve_same_file(at("sys/nosuch"), &self), "resolve_same_file: missing");
    r = resolve_system_cmd("node", at("sys/shims"), &self, out, sizeof out);
    ok(r == 0 && !strcmp(out, at("sys/bin2/node")), "system: skips the shim binary itself reached elsewhere");
    r = resolve_system_cmd("npm", at("sys/shims"), NULL, out, sizeof out);
    is_int(r, -1, "system: no npm anywhere");
    snprintf(path, sizeof path, "%s", at("sys/shims"));
    setenv("PATH", path, 1);
    is_int(resolve_system_cmd("node", at("sys/shims"), NULL, out, sizeof out), -1, "system: only the shims on PATH");
    unsetenv("PATH");
    is_int(resolve_system_cmd("node", at("sys/shims"), NULL, out, sizeof out), -1, "system: no PATH");
    setenv("PATH", saved, 1);
}

int main(void)
{
    setup();
    test_env();
    test_nearest();
    test_order();
    test_malformed();
    test_default();
    test_logical_cwd();
    test_installed();
    test_tool_versions();
    test_aliases();
    test_lts();
    test_helpers();
    fs_rm_rf(ROOT);
    return tap_done();
}
