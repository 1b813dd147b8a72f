/* platform.h: which release a machine gets, from facts the tests pass in
 * (uname's sysname and machine, Rosetta's sysctl, the loaders on disk). */
#include "ctx.h"
#include "platform.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define OTHER_MIRROR "http://127.0.0.1:8080/musl"

static char OUT[64], ERR[512];

/* libc: 'g' nodus is linked with glibc, 'm' with musl, 's' static (the
 * loaders on disk decide). */
static int detect(const char *sys, const char *mach, int translated, char libc, int musl_loader,
                  int glibc_loader, const char *forced, const char *mirror)
{
    platform_facts f;
    memset(&f, 0, sizeof f);
    snprintf(f.sysname, sizeof f.sysname, "%s", sys);
    snprintf(f.machine, sizeof f.machine, "%s", mach);
    f.translated = translated;
    f.self_glibc = libc == 'g';
    f.self_musl = libc == 'm';
    f.musl_loader = musl_loader;
    f.glibc_loader = glibc_loader;
    OUT[0] = ERR[0] = '\0';
    return platform_from_facts(&f, forced, mirror, OUT, sizeof OUT, ERR, sizeof ERR);
}

static void test_each_platform(void)
{
    static const struct {
        const char *sys, *mach;
        int translated;
        const char *want;
    } cases[] = {
        {"Darwin", "x86_64", 0, "darwin-x64"},
        {"Darwin", "arm64", 0, "darwin-arm64"},
        {"Darwin", "x86_64", 1, "darwin-arm64"}, /* an x64 nodus under Rosetta 2 */
        {"Darwin", "arm64", 1, "darwin-arm64"},
        {"Linux", "x86_64", 0, "linux-x64"},
        {"Linux", "amd64", 0, "linux-x64"},
        {"Linux", "aarch64", 0, "linux-arm64"},
        {"Linux", "armv7l", 0, "linux-armv7l"},
        {"Linux", "ppc64le", 0, "linux-ppc64le"},
        {"Linux", "s390x", 0, "linux-s390x"},
        {"Linux", "x86_64", 1, "linux-x64"}, /* translation is a macOS fact */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int r = detect(cases[i].sys, cases[i].mach, cases[i].translated, 'g', 0, 1, NULL, DEFAULT_MIRROR);
        is_int(r, 0, "%s %s%s detects", cases[i].sys, cases[i].mach, cases[i].translated ? " (translated)" : "");
        is_str(OUT, cases[i].want, "%s %s%s is %s", cases[i].sys, cases[i].mach,
               cases[i].translated ? " (translated)" : "", cases[i].want);
    }
}

static void test_unknown(void)
{
    is_int(detect("Linux", "riscv64", 0, 's', 0, 1, NULL, DEFAULT_MIRROR), -1, "riscv64 has no official build");
    ok(strstr(ERR, "riscv64") && strstr(ERR, "NODUS_PLATFORM"), "the error names the machine and the way out: %s",
       ERR);
    is_int(detect("Linux", "i686", 0, 's', 0, 1, NULL, DEFAULT_MIRROR), -1, "32-bit x86 has no build");
    is_int(detect("FreeBSD", "amd64", 0, 's', 0, 0, NULL, DEFAULT_MIRROR), -1, "FreeBSD has no official build");
    ok(strstr(ERR, "FreeBSD") != NULL, "the error names the system: %s", ERR);
    is_int(detect("", "", 0, 's', 0, 0, NULL, DEFAULT_MIRROR), -1, "empty facts are refused");
    is_int(detect("FreeBSD", "amd64", 0, 's', 0, 0, "linux-x64", DEFAULT_MIRROR), 0, "NODUS_PLATFORM wins anywhere");
    is_str(OUT, "linux-x64", "as given");
}

static void test_musl(void)
{
    /* Alpine: nodus built against musl. */
    is_int(detect("Linux", "x86_64", 0, 'm', 1, 0, NULL, DEFAULT_MIRROR), -1, "musl with the official mirror is refused");
    ok(strstr(ERR, "musl") && strstr(ERR, "export NODUS_MIRROR=https://unofficial-builds.nodejs.org/download/release"),
       "and pointed at the unofficial musl builds: %s", ERR);
    is_int(detect("Linux", "x86_64", 0, 'm', 1, 0, NULL, OTHER_MIRROR), 0, "musl with another mirror");
    is_str(OUT, "linux-x64-musl", "gets the x64 musl build");
    is_int(detect("Linux", "aarch64", 0, 'm', 1, 0, NULL, OTHER_MIRROR), 0, "arm64 musl");
    is_str(OUT, "linux-arm64-musl", "gets the arm64 musl build");
    /* Alpine with gcompat (a glibc loader name): still musl. */
    is_int(detect("Linux", "x86_64", 0, 'm', 1, 1, NULL, OTHER_MIRROR), 0, "musl nodus beside gcompat's loader");
    is_str(OUT, "linux-x64-musl", "is a musl system whatever loaders lie around");
    /* Debian with musl-tools: musl's loader beside glibc's, nodus on glibc. */
    is_int(detect("Linux", "x86_64", 0, 'g', 1, 1, NULL, DEFAULT_MIRROR), 0, "musl's loader beside glibc's");
    is_str(OUT, "linux-x64", "is a glibc system");
    is_int(detect("Linux", "x86_64", 0, 'g', 1, 0, NULL, DEFAULT_MIRROR), 0, "a glibc nodus with only musl's loader");
    is_str(OUT, "linux-x64", "runs glibc programs, so is glibc");
    /* A static nodus: the loaders decide. */
    is_int(detect("Linux", "x86_64", 0, 's', 1, 0, NULL, OTHER_MIRROR), 0, "static, musl's loader alone");
    is_str(OUT, "linux-x64-musl", "is musl");
    is_int(detect("Linux", "x86_64", 0, 's', 1, 1, NULL, OTHER_MIRROR), 0, "static, both loaders");
    is_str(OUT, "linux-x64", "is glibc");
    is_int(detect("Linux", "x86_64", 0, 's', 0, 0, NULL, OTHER_MIRROR), 0, "static, no loader at all");
    is_str(OUT, "linux-x64", "is taken for glibc");
    is_int(detect("Linux", "x86_64", 0, 'm', 1, 0, "linux-x64-musl", DEFAULT_MIRROR), 0,
           "NODUS_PLATFORM on musl skips the mirror check");
    is_int(detect("Darwin", "arm64", 0, 'm', 1, 0, NULL, DEFAULT_MIRROR), 0, "a musl loader means nothing on macOS");
    is_str(OUT, "darwin-arm64", "darwin-arm64");
    char longp[128];
    memset(longp, 'x', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    is_int(detect("Linux", "x86_64", 0, 's', 0, 1, longp, DEFAULT_MIRROR), -1, "an over-long NODUS_PLATFORM is refused");
}

/* The README promises the musl message word for word. */
static void test_readme_promise(void)
{
    const char *fx = getenv("NODUS_FIXTURES");
    char path[4096];
    snprintf(path, sizeof path, "%s/../../README.md", fx ? fx : "tests/fixtures");
    FILE *f = fopen(path, "r");
    ok(f != NULL, "README.md is readable (%s)", path);
    if (!f)
        return;
    static char text[1 << 18];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    detect("Linux", "x86_64", 0, 'm', 1, 0, NULL, DEFAULT_MIRROR);
    ok(ERR[0] && strstr(text, ERR) != NULL, "README.md quotes the musl message: %s", ERR);
}

static void touch(const char *root, const char *rel)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    char *slash = strrchr(p, '/');
    *slash = '\0';
    mkdir(p, 0755);
    *slash = '/';
    int fd = open(p, O_WRONLY | O_CREAT, 0644);
    if (fd >= 0)
        close(fd);
}

static void test_loaders_on_disk(void)
{
    char root[] = "/tmp/nodus-platform-XXXXXX";
    if (!mkdtemp(root)) {
        printf("Bail out! mkdtemp: %s\n", strerror(errno));
        exit(1);
    }
    ok(!platform_root_has(root, "lib/ld-musl-*.so.1"), "an empty root has no musl loader");
    touch(root, "lib/ld-musl-x86_64.so.1");
    ok(platform_root_has(root, "lib/ld-musl-*.so.1"), "lib/ld-musl-x86_64.so.1 is musl's loader");
    char slashed[sizeof root + 1];
    snprintf(slashed, sizeof slashed, "%s/", root);
    ok(platform_root_has(slashed, "lib/ld-musl-*.so.1"), "a root with a trailing slash too");
    ok(!platform_root_has(root, "lib*/ld-linux*.so.*"), "no glibc loader yet");
    touch(root, "lib64/ld-linux-x86-64.so.2");
    ok(platform_root_has(root, "lib*/ld-linux*.so.*"), "lib64/ld-linux-x86-64.so.2 is glibc's");
    touch(root, "lib/ld64.so.2");
    ok(platform_root_has(root, "lib*/ld64.so.*"), "lib/ld64.so.2 (ppc64le, s390x) is glibc's");
    char cmd[sizeof root + 16];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    ok(system(cmd) == 0, "clean up");

    /* This machine, read for real: what uname says, and a C library
     * that matches the one this test is linked with. */
    platform_facts f;
    struct utsname u;
    is_int(platform_read_facts(&f, "/"), 0, "this machine's facts are read");
    ok(uname(&u) == 0 && strcmp(f.sysname, u.sysname) == 0 && strcmp(f.machine, u.machine) == 0,
       "sysname and machine are uname's (%s %s)", f.sysname, f.machine);
#if defined(__linux__) && defined(__GLIBC__)
    is_int(platform_facts_musl(&f), 0, "a glibc build on a glibc system is not musl");
#elif defined(__linux__)
    is_int(platform_facts_musl(&f), 1, "a musl build is on musl");
#endif
}

int main(void)
{
    test_each_platform();
    test_unknown();
    test_musl();
    test_readme_promise();
    test_loaders_on_disk();
    return tap_done();
}
