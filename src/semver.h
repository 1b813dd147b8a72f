/* Versions and node-semver ranges. libc only: the shim is built from this.
 *
 * Semantics follow node-semver (the parser npm uses), with the default
 * options (loose = false, includePrerelease = false), except that a leading
 * 'v' or '=' and surrounding whitespace are accepted on versions as
 * node-semver's clean() does. */
#ifndef NODUS_SEMVER_H
#define NODUS_SEMVER_H
#include <stddef.h>

#define SEMVER_PRE_MAX 96

typedef struct {
    unsigned long major, minor, patch;
    char pre[SEMVER_PRE_MAX]; /* prerelease without the '-', "" if none; build metadata dropped */
} semver_t;

/* Parse a full version "1.2.3", "v1.2.3", "1.2.3-rc.1+build". Returns 0, or
 * -1 when s is not a complete version. */
int semver_parse(const char *s, semver_t *out);

/* <0, 0, >0 with node-semver's precedence (prerelease identifiers compared
 * numerically when both are numeric, a version without prerelease is higher). */
int semver_cmp(const semver_t *a, const semver_t *b);

/* "22.11.0" or "24.0.0-rc.1" (no leading v). Returns what snprintf returns. */
int semver_format(const semver_t *v, char *buf, size_t n);

/* A parsed range: a set (||) of comparator sets. Opaque; heap-owned. */
typedef struct semver_range semver_range_t;

/* Parse a node-semver range ("^20.1", ">=18 <21", "20.x || 22.x", "1.2.3 - 2",
 * "~1.2", "", "*", "22", "v22.11.0"). Returns NULL when the range is invalid.
 * The caller frees it with semver_range_free(). */
semver_range_t *semver_range_parse(const char *s);
void semver_range_free(semver_range_t *r);

/* node-semver satisfies(version, range) with default options. */
int semver_range_satisfies(const semver_range_t *r, const semver_t *v);

/* 1 when the range can only ever match one version (e.g. "22.11.0",
 * "=v22.11.0"), and then stores it in *out. */
int semver_range_exact(const semver_range_t *r, semver_t *out);

#endif
