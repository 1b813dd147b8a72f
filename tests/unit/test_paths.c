/* paths.h: the data, cache and config roots from the environment, and
 * every path built from them. */
#include "paths.h"
#include "tap.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static nodus_paths P;
static char E[512];
static char B[PATH_MAX];

static void clear_env(void)
{
    static const char *const vars[] = {"NODUS_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
                                       "HOME",       "NVM_DIR",       "FNM_DIR",        "N_PREFIX",
                                       "VOLTA_HOME", "ASDF_DATA_DIR", "MISE_DATA_DIR"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        unsetenv(vars[i]);
}

static int init(void)
{
    memset(&P, 0, sizeof P);
    E[0] = '\0';
    return paths_init(&P, E, sizeof E);
}

static int err_has(const char *needle)
{
    int yes = strstr(E, needle) != NULL;
    if (!yes)
        printf("#   error was '%s', wanted it to contain '%s'\n", E, needle);
    return yes;
}

static void test_init(void)
{
    clear_env();
    setenv("HOME", "/home/u", 1);
    is_int(init(), 0, "HOME only");
    is_str(P.home, "/home/u/.local/share/nodus", "HOME only: data root");
    is_str(P.cache, "/home/u/.cache/nodus", "HOME only: cache root");
    is_str(P.config, "/home/u/.config/nodus", "HOME only: config root");

    setenv("XDG_DATA_HOME", "/xdg/data", 1);
    setenv("XDG_CACHE_HOME", "/xdg/cache", 1);
    setenv("XDG_CONFIG_HOME", "/xdg/config", 1);
    is_int(init(), 0, "XDG variables");
    is_str(P.home, "/xdg/data/nodus", "XDG_DATA_HOME: data root");
    is_str(P.cache, "/xdg/cache/nodus", "XDG_CACHE_HOME: cache root");
    is_str(P.config, "/xdg/config/nodus", "XDG_CONFIG_HOME: config root");

    setenv("NODUS_HOME", "/opt/nodus", 1);
    is_int(init(), 0, "NODUS_HOME");
    is_str(P.home, "/opt/nodus", "NODUS_HOME wins over XDG_DATA_HOME");
    is_str(P.cache, "/xdg/cache/nodus", "NODUS_HOME leaves the cache alone");
    is_str(P.config, "/xdg/config/nodus", "NODUS_HOME leaves the config alone");

    /* Relative XDG values are ignored, as the XDG spec says. */
    unsetenv("NODUS_HOME");
    setenv("XDG_DATA_HOME", "rel/data", 1);
    setenv("XDG_CACHE_HOME", "rel/cache", 1);
    setenv("XDG_CONFIG_HOME", "", 1);
    is_int(init(), 0, "relative XDG values");
    is_str(P.home, "/home/u/.local/share/nodus", "relative XDG_DATA_HOME ignored");
    is_str(P.cache, "/home/u/.cache/nodus", "relative XDG_CACHE_HOME ignored");
    is_str(P.config, "/home/u/.config/nodus", "empty XDG_CONFIG_HOME ignored");

    /* A relative NODUS_HOME is a mistake worth an error; an empty one is unset. */
    setenv("NODUS_HOME", "rel/nodus", 1);
    ok(init() == -1 && err_has("NODUS_HOME must be an absolute path"), "relative NODUS_HOME: error");
    setenv("NODUS_HOME", "", 1);
    is_int(init(), 0, "empty NODUS_HOME");
    is_str(P.home, "/home/u/.local/share/nodus", "empty NODUS_HOME ignored");

    /* HOME unset, or relative. */
    clear_env();
    ok(init() == -1 && err_has("HOME is not set to an absolute path") && err_has("set NODUS_HOME"),
       "no HOME, no NODUS_HOME: error names what to set");
    setenv("HOME", "relative/home", 1);
    ok(init() == -1 && err_has("HOME is not set to an absolute path"), "relative HOME: error");
    unsetenv("HOME");
    setenv("NODUS_HOME", "/n", 1);
    is_int(init(), 0, "NODUS_HOME alone is enough without HOME");
    is_str(P.home, "/n", "no HOME: data root is NODUS_HOME");
    is_str(P.cache, "/n/cache", "no HOME: cache under NODUS_HOME");
    is_str(P.config, "/n/config", "no HOME: config under NODUS_HOME");
    setenv("XDG_CACHE_HOME", "/c", 1);
    setenv("XDG_CONFIG_HOME", "/g", 1);
    is_int(init(), 0, "NODUS_HOME + XDG cache + XDG config, no HOME");
    is_str(P.cache, "/c/nodus", "no HOME: XDG_CACHE_HOME still wins");
    is_str(P.config, "/g/nodus", "no HOME: XDG_CONFIG_HOME still wins");
    setenv("NODUS_HOME", "n-rel", 1);
    ok(init() == -1 && err_has("NODUS_HOME must be an absolute path"), "no HOME, relative NODUS_HOME: error");
    unsetenv("NODUS_HOME");
    ok(init() == -1 && err_has("HOME is not set"), "no HOME, XDG cache and config but no data root: error");

    /* Too long. */
    static char longv[PATH_MAX + 64];
    longv[0] = '/';
    memset(longv + 1, 'x', sizeof longv - 2);
    longv[sizeof longv - 1] = '\0';
    clear_env();
    setenv("HOME", "/home/u", 1);
    setenv("NODUS_HOME", longv, 1);
    ok(init() == -1 && err_has("NODUS_HOME is too long"), "NODUS_HOME too long");
    unsetenv("NODUS_HOME");
    setenv("XDG_DATA_HOME", longv, 1);
    ok(init() == -1 && err_has("XDG_DATA_HOME is too long"), "XDG_DATA_HOME too long");
    unsetenv("XDG_DATA_HOME");
    setenv("XDG_CONFIG_HOME", longv, 1);
    ok(init() == -1 && err_has("XDG_CONFIG_HOME is too long"), "XDG_CONFIG_HOME too long");
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", longv, 1);
    ok(init() == -1 && err_has("HOME is too long"), "HOME too long");
    /* Just fits: PATH_MAX - 1 bytes in all. */
    longv[PATH_MAX - 1] = '\0';
    setenv("NODUS_HOME", longv, 1);
    setenv("XDG_CACHE_HOME", "/c", 1);
    setenv("XDG_CONFIG_HOME", "/g", 1);
    is_int(init(), 0, "NODUS_HOME of PATH_MAX - 1 bytes fits");
    is_int(strlen(P.home), PATH_MAX - 1, "and is kept whole");
    is_int(path_versions(&P, B, sizeof B), -1, "but nothing fits under it");
    is_int(path_version(&P, "v1.0.0", B, sizeof B), -1, "path_version too long");
    is_int(path_config_file(&P, B, sizeof B), 0, "the config is elsewhere and fits");
    unsetenv("HOME");
    unsetenv("XDG_CACHE_HOME");
    ok(init() == -1 && err_has("NODUS_HOME is too long"), "no HOME: the cache under a PATH_MAX NODUS_HOME does not fit");
    longv[PATH_MAX - 1] = 'x';
}

static void test_builders(void)
{
    clear_env();
    setenv("HOME", "/home/u", 1);
    setenv("NODUS_HOME", "/h", 1);
    setenv("XDG_CACHE_HOME", "/c", 1);
    setenv("XDG_CONFIG_HOME", "/g", 1);
    is_int(init(), 0, "paths for the builders");

#define CHECK(call, want)                                   \
    do {                                                    \
        B[0] = '\0';                                        \
        int r_ = (call);                                    \
        ok(r_ == 0 && strcmp(B, (want)) == 0, "%s", #call); \
        if (r_ || strcmp(B, (want)))                        \
            printf("#   got %d '%s', want '%s'\n", r_, B, (want)); \
    } while (0)

    CHECK(path_versions(&P, B, sizeof B), "/h/versions");
    CHECK(path_version(&P, "v22.11.0", B, sizeof B), "/h/versions/v22.11.0");
    CHECK(path_version_bin(&P, "v22.11.0", B, sizeof B), "/h/versions/v22.11.0/bin");
    CHECK(path_version_meta(&P, "v22.11.0", B, sizeof B), "/h/versions/v22.11.0/.nodus-meta");
    CHECK(path_shims(&P, B, sizeof B), "/h/shims");
    CHECK(path_shim(&P, "npx", B, sizeof B), "/h/shims/npx");
    CHECK(path_aliases(&P, B, sizeof B), "/h/aliases");
    CHECK(path_alias(&P, "work", B, sizeof B), "/h/aliases/work");
    CHECK(path_default(&P, B, sizeof B), "/h/default");
    CHECK(path_lts(&P, B, sizeof B), "/h/lts");
    CHECK(path_tmp(&P, B, sizeof B), "/h/tmp");
    CHECK(path_lock(&P, "install-v22.11.0", B, sizeof B), "/h/tmp/install-v22.11.0.lock");
    CHECK(path_index_cache(&P, B, sizeof B), "/c/nodus/index.json");
    CHECK(path_index_meta(&P, B, sizeof B), "/c/nodus/index.meta");
    CHECK(path_downloads(&P, B, sizeof B), "/c/nodus/downloads");
    CHECK(path_config_file(&P, B, sizeof B), "/g/nodus/config.yaml");
    CHECK(path_stage_template(&P, "v22.11.0", 4242, B, sizeof B), "/h/tmp/stage-v22.11.0-4242-XXXXXX");
    CHECK(path_trash_template(&P, "v20.9.0", 7, B, sizeof B), "/h/tmp/trash-v20.9.0-7-XXXXXX");

    /* A buffer one byte short fails; exactly enough succeeds. */
    char small[12];
    is_int(path_versions(&P, small, sizeof small), 0, "'/h/versions' fits in 12 bytes");
    is_str(small, "/h/versions", "small buffer content");
    is_int(path_versions(&P, small, 11), -1, "'/h/versions' does not fit in 11 bytes");
    is_int(path_shim(&P, "node", small, sizeof small), -1, "path_shim too long for 12 bytes");
    is_int(path_default(&P, small, 5), -1, "path_default too long for 5 bytes");
    is_int(path_stage_template(&P, "v22.11.0", 1, small, sizeof small), -1, "stage template too long");

    static char longname[PATH_MAX];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    is_int(path_alias(&P, longname, B, sizeof B), -1, "an alias name of PATH_MAX bytes is too long");
    is_int(path_version_bin(&P, longname + 10, B, sizeof B), -1, "a huge version name is too long");
    is_int(path_lock(&P, longname, B, sizeof B), -1, "a huge lock name is too long");

    is_str(NODE_VERSION_HEADER, "include/node/node_version.h", "the version header path");
}

static void test_mgr(void)
{
    char tmpl[] = "/tmp/nodus-test-paths-XXXXXX";
    char *root = mkdtemp(tmpl);
    ok(root != NULL, "temp home");
    if (!root)
        return;
    char home[PATH_MAX], want[PATH_MAX * 2];
    snprintf(home, sizeof home, "%s", root);
    clear_env();
    setenv("HOME", home, 1);
    int from_env = -1;

    is_str(mgr_name(MGR_NVM), "nvm", "mgr_name nvm");
    is_str(mgr_name(MGR_FNM), "fnm", "mgr_name fnm");
    is_str(mgr_name(MGR_N), "n", "mgr_name n");
    is_str(mgr_name(MGR_VOLTA), "volta", "mgr_name volta");
    is_str(mgr_name(MGR_ASDF), "asdf", "mgr_name asdf");
    is_str(mgr_name(MGR_MISE), "mise", "mgr_name mise");
    is_str(mgr_name(MGR_COUNT), "?", "mgr_name out of range");

    snprintf(want, sizeof want, "%s/.nvm", home);
    ok(path_mgr_root(MGR_NVM, B, sizeof B, &from_env) == 0 && !strcmp(B, want) && from_env == 0, "nvm default root");
    setenv("NVM_DIR", "/nvm", 1);
    ok(path_mgr_root(MGR_NVM, B, sizeof B, &from_env) == 0 && !strcmp(B, "/nvm") && from_env == 1, "NVM_DIR");
    setenv("NVM_DIR", "nvm-rel", 1);
    ok(path_mgr_root(MGR_NVM, B, sizeof B, &from_env) == 0 && !strcmp(B, want) && from_env == 0,
       "relative NVM_DIR ignored");
    unsetenv("NVM_DIR");
    snprintf(want, sizeof want, "%s/.nvm/versions/node", home);
    CHECK(path_mgr_versions(MGR_NVM, B, sizeof B), want);
    snprintf(want, sizeof want, "%s/.nvm/versions/node/v20.1.0", home);
    CHECK(path_mgr_release(MGR_NVM, "v20.1.0", B, sizeof B), want);
    snprintf(want, sizeof want, "%s/.nvm/alias/default", home);
    CHECK(path_mgr_default(MGR_NVM, B, sizeof B), want);
    is_int(path_mgr_bin(MGR_NVM, B, sizeof B), -1, "nvm has no fixed bin");

    /* fnm: the XDG directory, unless only ~/.fnm exists. */
    snprintf(want, sizeof want, "%s/.local/share/fnm", home);
    CHECK(path_mgr_root(MGR_FNM, B, sizeof B, NULL), want);
    char dotfnm[PATH_MAX + 8];
    snprintf(dotfnm, sizeof dotfnm, "%s/.fnm", home);
    ok(mkdir(dotfnm, 0755) == 0, "make ~/.fnm");
    CHECK(path_mgr_root(MGR_FNM, B, sizeof B, NULL), dotfnm);
    char xdgfnm[PATH_MAX + 32];
    snprintf(xdgfnm, sizeof xdgfnm, "%s/.local", home);
    mkdir(xdgfnm, 0755);
    snprintf(xdgfnm, sizeof xdgfnm, "%s/.local/share", home);
    mkdir(xdgfnm, 0755);
    snprintf(xdgfnm, sizeof xdgfnm, "%s/.local/share/fnm", home);
    ok(mkdir(xdgfnm, 0755) == 0, "make the XDG fnm directory");
    CHECK(path_mgr_root(MGR_FNM, B, sizeof B, NULL), xdgfnm);
    snprintf(want, sizeof want, "%s/node-versions/v20.1.0/installation", xdgfnm);
    CHECK(path_mgr_release(MGR_FNM, "v20.1.0", B, sizeof B), want);
    snprintf(want, sizeof want, "%s/aliases/default", xdgfnm);
    CHECK(path_mgr_default(MGR_FNM, B, sizeof B), want);
    setenv("XDG_DATA_HOME", "/xdg", 1);
    CHECK(path_mgr_root(MGR_FNM, B, sizeof B, NULL), dotfnm);
    setenv("FNM_DIR", "/fnm", 1);
    ok(path_mgr_root(MGR_FNM, B, sizeof B, &from_env) == 0 && !strcmp(B, "/fnm") && from_env == 1, "FNM_DIR");
    rmdir(dotfnm);
    rmdir(xdgfnm);
    snprintf(xdgfnm, sizeof xdgfnm, "%s/.local/share", home);
    rmdir(xdgfnm);
    snprintf(xdgfnm, sizeof xdgfnm, "%s/.local", home);
    rmdir(xdgfnm);
    unsetenv("FNM_DIR");
    CHECK(path_mgr_root(MGR_FNM, B, sizeof B, NULL), "/xdg/fnm");

    CHECK(path_mgr_root(MGR_N, B, sizeof B, NULL), "/usr/local");
    CHECK(path_mgr_versions(MGR_N, B, sizeof B), "/usr/local/n/versions/node");
    CHECK(path_mgr_default(MGR_N, B, sizeof B), "/usr/local/include/node/node_version.h");
    CHECK(path_mgr_bin(MGR_N, B, sizeof B), "/usr/local/bin");
    setenv("N_PREFIX", "/np", 1);
    CHECK(path_mgr_release(MGR_N, "20.1.0", B, sizeof B), "/np/n/versions/node/20.1.0");

    snprintf(want, sizeof want, "%s/.volta/tools/image/node", home);
    CHECK(path_mgr_versions(MGR_VOLTA, B, sizeof B), want);
    snprintf(want, sizeof want, "%s/.volta/tools/user/platform.json", home);
    CHECK(path_mgr_default(MGR_VOLTA, B, sizeof B), want);
    setenv("VOLTA_HOME", "/v", 1);
    CHECK(path_mgr_bin(MGR_VOLTA, B, sizeof B), "/v/bin");

    snprintf(want, sizeof want, "%s/.asdf/shims", home);
    CHECK(path_mgr_bin(MGR_ASDF, B, sizeof B), want);
    is_int(path_mgr_versions(MGR_ASDF, B, sizeof B), -1, "asdf has no versions directory for import");
    is_int(path_mgr_default(MGR_ASDF, B, sizeof B), -1, "asdf has no default file");
    CHECK(path_mgr_bin(MGR_MISE, B, sizeof B), "/xdg/mise/shims");
    setenv("MISE_DATA_DIR", "/m", 1);
    CHECK(path_mgr_bin(MGR_MISE, B, sizeof B), "/m/shims");

    snprintf(want, sizeof want, "%s/.nvm/alias/lts/iron", home);
    CHECK(path_mgr_alias(MGR_NVM, "lts/iron", B, sizeof B), want);
    CHECK(path_mgr_alias(MGR_FNM, "work", B, sizeof B), "/xdg/fnm/aliases/work");
    is_int(path_mgr_alias(MGR_VOLTA, "x", B, sizeof B), -1, "volta has no aliases");

    unsetenv("VOLTA_HOME");
    unsetenv("HOME");
    is_int(path_mgr_root(MGR_NVM, B, sizeof B, NULL), -1, "nvm without HOME: -1");
    is_int(path_mgr_versions(MGR_VOLTA, B, sizeof B), -1, "volta without HOME: -1");
    is_int(path_mgr_root(MGR_COUNT, B, sizeof B, NULL), -1, "unknown manager: -1");
    rmdir(root);
}

int main(void)
{
    test_init();
    test_builders();
    test_mgr();
    return tap_done();
}
