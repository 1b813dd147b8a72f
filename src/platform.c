#include "platform.h"
#include "ctx.h"
#include "strutil.h"

#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

int platform_is_musl(void)
{
    /* A glibc-linked nodus proves the system runs glibc programs, whatever
     * else is installed: Debian's musl-tools puts /lib/ld-musl-*.so.1 on a
     * glibc system, and the official builds still run there. */
#ifdef __GLIBC__
    return 0;
#endif
    glob_t g;
    int musl = glob("/lib/ld-musl-*.so.1", 0, NULL, &g) == 0 && g.gl_pathc > 0;
    globfree(&g);
    return musl;
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

int platform_detect(char *out, size_t n, const char *mirror, char *err, size_t errlen)
{
    const char *forced = getenv("NODUS_PLATFORM");
    if (forced && *forced)
        return str_copy(out, n, forced) ? (str_fmt(err, errlen, "NODUS_PLATFORM is too long"), -1) : 0;
    struct utsname u;
    if (uname(&u) != 0) {
        str_fmt(err, errlen, "cannot tell which system this is (uname failed); set NODUS_PLATFORM, e.g. linux-x64");
        return -1;
    }
    const char *os = strcmp(u.sysname, "Linux") == 0 ? "linux" : strcmp(u.sysname, "Darwin") == 0 ? "darwin" : NULL;
    const char *arch = node_arch(u.machine);
    if (!os || !arch) {
        str_fmt(err, errlen, "Node.js publishes no builds for %s on %s; set NODUS_PLATFORM if your mirror has one",
                u.sysname, u.machine);
        return -1;
    }
    if (strcmp(os, "linux") == 0 && platform_is_musl()) {
        if (strcmp(mirror, DEFAULT_MIRROR) == 0) {
            str_fmt(err, errlen, "this system uses musl libc, and nodejs.org publishes no musl builds; "
                    "use the unofficial builds: export NODUS_MIRROR=https://unofficial-builds.nodejs.org/download/release");
            return -1;
        }
        return str_fmt(out, n, "linux-%s-musl", arch);
    }
    return str_fmt(out, n, "%s-%s", os, arch);
}
