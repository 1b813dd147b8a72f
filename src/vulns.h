/* The Security WG's database of vulnerabilities in Node.js core
 * (vuln/core/index.json): an object keyed by id, each entry with "cve" (a
 * list), "vulnerable" and "patched" (node-semver ranges), "severity",
 * "description", "ref". Parsed with jansson; the shim never reads it.
 *
 * A version is affected by an entry when it satisfies "vulnerable" and not
 * "patched" (node-semver, as npm judges it). The database stops naming a
 * line once it is past its end of life, so "not affected" says nothing
 * about an end-of-life line: read it with the schedule (safety.h). */
#ifndef NODUS_VULNS_H
#define NODUS_VULNS_H
#include <stddef.h>
#include "semver.h"

typedef enum { SEV_UNKNOWN = 0, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL } severity_t;

#define VULN_CVE_MAX 32 /* "CVE-2025-23083" */

typedef struct {
    char id[16];                  /* the database's key: "147" */
    unsigned long idnum;          /* for ordering; ids that are not numbers sort last */
    char (*cves)[VULN_CVE_MAX];   /* well-formed CVE ids only */
    size_t ncves;
    semver_range_t *vulnerable, *patched; /* patched NULL: no fix */
    char *patched_text;           /* where fixed releases are named */
    severity_t severity;
    char *description;            /* as given: show it through a sanitiser */
    char *ref;
} vuln_entry;

typedef struct {
    vuln_entry *entries; /* ordered by id */
    size_t n;
} vulndb_t;

#define VULNS_MAX (16u << 20) /* the real file is ~120 KiB */
#define VULNS_ENTRIES_MAX 100000

/* Parse the database. name (a file or URL) starts every error. An entry
 * whose ranges node-semver would not accept makes the whole file an error:
 * skipping it would under-report. Returns 0, or -1 with err. */
int vulns_parse(const char *json, size_t len, const char *name, vulndb_t *out, char *err, size_t errlen);
int vulns_parse_file(const char *path, vulndb_t *out, char *err, size_t errlen);
void vulns_free(vulndb_t *db);

int vuln_affects(const vuln_entry *e, const semver_t *v);
/* "low", "medium", "high", "critical", "unknown". */
const char *severity_text(severity_t s);
#endif
