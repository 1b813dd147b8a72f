/* "Is my Node safe?": a version judged against the release schedule and
 * the vulnerability database, both read from the cache (the CLI front
 * binary reads them; only nodus-core fetches them; the shim never does).
 *
 * Two separate facts, both reported: a line past its end date is
 * unsupported whatever the database says (the database stops naming lines
 * after their end), and a version the database names is vulnerable. */
#ifndef NODUS_SAFETY_H
#define NODUS_SAFETY_H
#include <stddef.h>
#include "ctx.h"
#include "schedule.h"
#include "vulns.h"

typedef struct {
    schedule_t sched;
    vulndb_t db;
    int have_sched, have_db;
    int today; /* yyyymmdd */
} safety_data;

typedef struct {
    semver_t v;
    support_t support;
    int end;                        /* the line's end date, 0 if unknown */
    char codename[32];
    size_t nvulns;
    const vuln_entry **hits;        /* into the database, in id order */
    severity_t worst;
    size_t nworst;                  /* how many of the worst severity */
    const char *worst_cve;          /* the first CVE of the worst severity, or NULL */
    int fix_state;                  /* 0: nothing to fix, 1: fix holds a release that fixes all, -1: none in the line */
    semver_t fix;
} verdict_t;

/* Document names in the cache directory (same cache as index.json). */
#define SCHEDULE_DOC "schedule.json"
#define SCHEDULE_META "schedule.meta"
#define VULNS_DOC "vulns.json"
#define VULNS_META "vulns.meta"
/* The database without the prose (overview, description...): what the
 * local commands read, so that 'nodus current' parses a fifth of the text.
 * Derived by nodus-core from vulns.json; same format, same parser. */
#define VULNS_SLIM "vulns.slim.json"
#define DEFAULT_SCHEDULE_URL "https://raw.githubusercontent.com/nodejs/Release/main/schedule.json"
#define DEFAULT_VULNS_URL "https://raw.githubusercontent.com/nodejs/security-wg/main/vuln/core/index.json"

/* Whether a was modified after b (the slim copy is only trusted when it
 * was written after the document it comes from). */
struct stat;
int safety_newer(const struct stat *a, const struct stat *b);

/* Whether a data URL setting turns the data off ("off"). */
int safety_url_off(const char *url);

/* Read what the cache holds for ctx's URLs (never the network). A missing
 * document is no data, silently; a bad one is a warning naming the file
 * when warn is set. Returns 1 when there is any data. */
int safety_load_cached(const nodus_ctx *ctx, int warn, safety_data *d);
void safety_free(safety_data *d);

void safety_judge(const safety_data *d, const semver_t *v, verdict_t *out);
void verdict_free(verdict_t *vd);
/* End of life, or known vulnerabilities. */
int verdict_flagged(const verdict_t *vd);
/* One line for people: what is wrong and what to run, e.g.
 * "v20.18.0 has 20 known vulnerabilities (7 high, e.g. CVE-2025-23083);
 *  v20.20.2 fixes them: nodus upgrade 20". "" when nothing is wrong. */
void verdict_sentence(const verdict_t *vd, char *buf, size_t n);
/* The same for 'nodus install': the fix is named as "nodus install X.Y.Z". */
void verdict_sentence_install(const verdict_t *vd, char *buf, size_t n);
/* The nearest fixed release among releases (any order): the lowest of the
 * version's line above it that no entry affects. When there is one, it
 * becomes vd's fix (the mirror's, rather than the one the database names).
 * Returns 1 when found. */
int verdict_fix_from(const safety_data *d, verdict_t *vd, const semver_t *releases, size_t n, size_t stride);
/* A short column for lists: "eol 2025-04-30", "20 vulns (high)". */
void verdict_short(const verdict_t *vd, char *buf, size_t n);
/* "v22" or "v0.12": the line (for 'nodus upgrade 22'). */
void safety_line_name(const semver_t *v, char *buf, size_t n);


/* The verdict's fields for --json output into obj (a jansson object):
 * "support" (support_key, null without a schedule), "support_end" (the
 * line's end date or null), "vulnerabilities" (count, null without a
 * database), "severity" (the worst, or null), "cves" (list), "fixed_in"
 * (the first release that fixes them all, or null). */
struct json_t;
void verdict_json(const safety_data *d, const verdict_t *vd, struct json_t *obj);

/* The sentence for the version vname today ("" when nothing is wrong),
 * for 'nodus current', which a prompt may run at every command: judged
 * once per version, day and data, and remembered in the cache directory
 * (verdicts, keyed by the data files' size and mtime), since parsing the
 * database costs 40 times what current does without it. Returns 0, or -1
 * when there is no data. */
int safety_sentence_memo(const nodus_ctx *ctx, const char *vname, char *line, size_t n);

/* (safety_fetch.c, nodus-core only) Bring the schedule and the database up
 * to date through the document cache (doc_load: TTL, conditional request,
 * stale with a warning, cache only with --offline) and read them into d.
 * Never fails the caller: what cannot be had is a warning and no data. */
void safety_refresh(const nodus_ctx *ctx, safety_data *d);
#endif
