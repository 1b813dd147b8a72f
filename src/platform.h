/* Which release tarball fits this machine. */
#ifndef NODUS_PLATFORM_H
#define NODUS_PLATFORM_H
#include <stddef.h>

/* What the machine says about itself: everything platform detection
 * reads, gathered in one place so that tests can pass in any machine. */
typedef struct {
    char sysname[65];  /* uname -s: "Linux", "Darwin" */
    char machine[65];  /* uname -m: "x86_64", "aarch64", "arm64", "armv7l"... */
    int translated;    /* macOS: 1 when this x86_64 process runs under Rosetta 2
                        * (sysctl.proc_translated), so the machine is arm64 */
    /* Linux: which C library the node binaries will run on. */
    int self_glibc;    /* nodus itself runs on glibc: so does the system */
    int self_musl;     /* nodus itself is built against musl (an Alpine package) */
    int musl_loader;   /* musl's dynamic loader is there: lib/ld-musl-ARCH.so.1 */
    int glibc_loader;  /* glibc's is there: lib*\/ld-linux*.so.* or lib*\/ld64.so.* */
} platform_facts;

/* This machine's facts, from uname(2), sysctl and the dynamic loader's
 * file under root ("/" normally). Returns 0, or -1 when uname fails. */
int platform_read_facts(platform_facts *f, const char *root);
/* 1 when a file under root matches the glob pattern rel ("lib/ld-musl-*"). */
int platform_root_has(const char *root, const char *rel);
/* 1 when the facts say the C library is musl. A glibc-linked nodus proves
 * the system runs glibc programs whatever else is installed (Debian's
 * musl-tools puts musl's loader beside glibc's); a musl-linked one that
 * it is musl; otherwise (a static nodus) the loaders on disk decide. */
int platform_facts_musl(const platform_facts *f);
/* The platform name the facts ask for: "linux-x64", "darwin-arm64",
 * "linux-x64-musl" ... forced (NODUS_PLATFORM), when non-empty, wins.
 * A musl system with the official mirror gets an error that points at the
 * unofficial musl builds. Returns 0, or -1 with err saying what to do. */
int platform_from_facts(const platform_facts *f, const char *forced, const char *mirror, char *out, size_t n,
                        char *err, size_t errlen);
/* The same for this machine (NODUS_PLATFORM, then the facts). */
int platform_detect(char *out, size_t n, const char *mirror, char *err, size_t errlen);
/* 1 when the C library is musl (Alpine): nodejs.org has no builds for it. */
int platform_is_musl(void);
#endif
