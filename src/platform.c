#include "platform.h"
#include "ctx.h"
#include "strutil.h"

#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif

int platform_root_has(const char *root, const char *rel)
{
    char pat[4096];
    const char *sep = root[0] && root[strlen(root) - 1] == '/' ? "" : "/";
    if (str_fmt(pat, sizeof pat, "%s%s%s", root, sep, rel))
        return 0;
    glob_t g;
    int has = glob(pat, 0, NULL, &g) == 0 && g.gl_pathc > 0;
    globfree(&g);
    return has;
}

int platform_facts_musl(const platform_facts *f)
{
    if (f->self_glibc || f->self_musl)
        return !f->self_glibc;
    return f->musl_loader && !f->glibc_loader;
}

int platform_is_musl(void)
{
    platform_facts f;
    return platform_read_facts(&f, "/") == 0 && platform_facts_musl(&f);
}

/* 1 when this process is an x86_64 program translated by Rosetta 2; the
 * sysctl does not exist on Intel Macs (and before macOS 11): 0 then. */
static int rosetta_translated(void)
{
#if defined(__APPLE__)
    int v = 0;
    size_t len = sizeof v;
    return sysctlbyname("sysctl.proc_translated", &v, &len, NULL, 0) == 0 && v == 1;
#else
    return 0;
#endif
}

int platform_read_facts(platform_facts *f, const char *root)
{
    memset(f, 0, sizeof *f);
    struct utsname u;
    if (uname(&u) != 0)
        return -1;
    /* utsname fields are at most 65 bytes on Linux but larger elsewhere:
     * a name that does not fit matches no known system anyway. */
    str_copy(f->sysname, sizeof f->sysname, u.sysname);
    str_copy(f->machine, sizeof f->machine, u.machine);
    if (strcmp(f->sysname, "Darwin") == 0)
        f->translated = rosetta_translated();
    else if (strcmp(f->sysname, "Linux") == 0) {
#if defined(__GLIBC__)
        f->self_glibc = 1;
#else
        f->self_musl = 1; /* musl defines no macro of its own */
#endif
        f->musl_loader = platform_root_has(root, "lib/ld-musl-*.so.1");
        f->glibc_loader = platform_root_has(root, "lib*/ld-linux*.so.*") || platform_root_has(root, "lib*/ld64.so.*");
    }
    return 0;
}

static const char *node_arch(const char *machine)
{
    static const char *const map[][2] = {
        {"x86_64", "x64"},   {"amd64", "x64"},     {"aarch64", "arm64"}, {"arm64", "arm64"},
        {"armv7l", "armv7l"}, {"ppc64le", "ppc64le"}, {"s390x", "s390x"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(machine, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

int platform_from_facts(const platform_facts *f, const char *forced, const char *mirror, char *out, size_t n,
                        char *err, size_t errlen)
{
    if (forced && *forced)
        return str_copy(out, n, forced) ? (str_fmt(err, errlen, "NODUS_PLATFORM is too long"), -1) : 0;
    const char *os = strcmp(f->sysname, "Linux") == 0 ? "linux" : strcmp(f->sysname, "Darwin") == 0 ? "darwin" : NULL;
    const char *arch = node_arch(f->machine);
    if (!os || !arch) {
        str_fmt(err, errlen, "Node.js publishes no builds for %s on %s; set NODUS_PLATFORM if your mirror has one",
                f->sysname, f->machine);
        return -1;
    }
    /* An x86_64 nodus under Rosetta still installs the native build: node
     * itself then runs at full speed, not translated. */
    if (strcmp(os, "darwin") == 0 && f->translated && strcmp(arch, "x64") == 0)
        arch = "arm64";
    if (strcmp(os, "linux") == 0 && platform_facts_musl(f)) {
        if (strcmp(mirror, DEFAULT_MIRROR) == 0) {
            str_fmt(err, errlen, "this system uses musl libc, and nodejs.org publishes no musl builds; "
                    "use the unofficial builds: export NODUS_MIRROR=https://unofficial-builds.nodejs.org/download/release");
            return -1;
        }
        return str_fmt(out, n, "linux-%s-musl", arch);
    }
    return str_fmt(out, n, "%s-%s", os, arch);
}

int platform_detect(char *out, size_t n, const char *mirror, char *err, size_t errlen)
{
    const char *forced = getenv("NODUS_PLATFORM");
    platform_facts f;
    memset(&f, 0, sizeof f);
    if ((!forced || !*forced) && platform_read_facts(&f, "/") != 0) {
        str_fmt(err, errlen, "cannot tell which system this is (uname failed); set NODUS_PLATFORM, e.g. linux-x64");
        return -1;
    }
    return platform_from_facts(&f, forced, mirror, out, n, err, errlen);
}
