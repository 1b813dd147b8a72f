/* Pure helpers of versions.c and paths.c used by alias, prune, doctor and
 * import. */
#include "paths.h"
#include "tap.h"
#include "versions.h"

#include <stdlib.h>

static char E[256];

static int name_ok(const char *n)
{
    return versions_alias_name_check(n, E, sizeof E) == 0;
}

static void test_alias_names(void)
{
    ok(name_ok("work"), "work");
    ok(name_ok("my-app_2.x"), "letters, digits, - _ .");
    ok(name_ok("default"), "default (the default file)");
    ok(name_ok("iron"), "a codename without lts/ is a name");
    ok(!name_ok(""), "empty");
    ok(!name_ok("2work"), "starts with a digit");
    ok(!name_ok("a/b"), "slash");
    ok(!name_ok("../x"), "dot-dot");
    ok(!name_ok(".hidden"), "leading dot");
    ok(!name_ok("a b"), "space");
    ok(!name_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "64 characters");
    ok(name_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "63 characters");
    const char *specs[] = {"lts", "LTS", "latest", "current", "node", "stable", "system", "x", "X", "v22", NULL};
    for (int i = 0; specs[i]; i++)
        ok(!name_ok(specs[i]), "'%s' means a version already", specs[i]);
    ok(strstr(E, "already means a version") != NULL, "the reason says so: %s", E);
}

static void test_tmp_owner(void)
{
    long pid = 0;
    is_int(versions_tmp_owner("stage-v22.11.0-1234-AbC123", &pid), 1, "stage dir");
    is_int(pid, 1234, "its pid");
    is_int(versions_tmp_owner("trash-v20.18.0-99-zzzzzz", &pid), 1, "trash dir");
    is_int(pid, 99, "its pid");
    is_int(versions_tmp_owner("stage-v24.0.0-rc.1-4321-Q1w2E3", &pid), 1, "prerelease with '-'");
    is_int(pid, 4321, "its pid");
    is_int(versions_tmp_owner("install-v22.11.0.lock", &pid), 0, "a lock");
    is_int(versions_tmp_owner("stage-v22.11.0-AbC123", &pid), 0, "no pid");
    is_int(versions_tmp_owner("stage-v22.11.0-12-AbC12", &pid), 0, "suffix not 6 characters");
    is_int(versions_tmp_owner("stage--12-AbC123", &pid), 0, "no version");
    is_int(versions_tmp_owner("other-v1.0.0-12-AbC123", &pid), 0, "another prefix");
}

static void test_mgr_paths(void)
{
    char b[4096];
    setenv("HOME", "/home/u", 1);
    unsetenv("NVM_DIR");
    unsetenv("VOLTA_HOME");
    unsetenv("N_PREFIX");
    unsetenv("XDG_DATA_HOME");
    setenv("FNM_DIR", "/opt/fnm", 1);
    ok(path_mgr_versions(MGR_NVM, b, sizeof b) == 0 && strcmp(b, "/home/u/.nvm/versions/node") == 0, "nvm: %s", b);
    ok(path_mgr_release(MGR_FNM, "v22.11.0", b, sizeof b) == 0 &&
       strcmp(b, "/opt/fnm/node-versions/v22.11.0/installation") == 0, "fnm release: %s", b);
    ok(path_mgr_default(MGR_FNM, b, sizeof b) == 0 && strcmp(b, "/opt/fnm/aliases/default") == 0, "fnm default: %s", b);
    ok(path_mgr_release(MGR_N, "22.11.0", b, sizeof b) == 0 &&
       strcmp(b, "/usr/local/n/versions/node/22.11.0") == 0, "n: %s", b);
    ok(path_mgr_default(MGR_VOLTA, b, sizeof b) == 0 &&
       strcmp(b, "/home/u/.volta/tools/user/platform.json") == 0, "volta default: %s", b);
    setenv("NVM_DIR", "relative/nvm", 1);
    ok(path_mgr_root(MGR_NVM, b, sizeof b, NULL) == 0 && strcmp(b, "/home/u/.nvm") == 0,
       "a relative NVM_DIR is ignored: %s", b);
    int env = 0;
    setenv("N_PREFIX", "/opt/n", 1);
    ok(path_mgr_bin(MGR_N, b, sizeof b) == 0 && strcmp(b, "/opt/n/bin") == 0, "n bin: %s", b);
    ok(path_mgr_root(MGR_N, b, sizeof b, &env) == 0 && env == 1, "N_PREFIX counts as from the environment");
    ok(path_mgr_versions(MGR_ASDF, b, sizeof b) == -1, "asdf has no versions directory nodus imports");
    ok(path_mgr_alias(MGR_NVM, "lts/iron", b, sizeof b) == 0 && strcmp(b, "/home/u/.nvm/alias/lts/iron") == 0,
       "nvm alias: %s", b);
}

int main(void)
{
    test_alias_names();
    test_tmp_owner();
    test_mgr_paths();
    return tap_done();
}
