/* Which release tarball fits this machine. */
#ifndef NODUS_PLATFORM_H
#define NODUS_PLATFORM_H
#include <stddef.h>

/* "linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64" ... from uname,
 * or NODUS_PLATFORM when set (e.g. "linux-x64-musl" with a mirror of
 * unofficial builds). Returns 0, or -1 with err saying what to do. */
int platform_detect(char *out, size_t n, const char *mirror, char *err, size_t errlen);
/* 1 when the C library is musl (Alpine): nodejs.org has no builds for it. */
int platform_is_musl(void);
#endif
