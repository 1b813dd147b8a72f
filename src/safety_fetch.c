/* The schedule and the vulnerability database through the document cache.
 * nodus-core only: fetching needs libcurl. */
#include "safety.h"
#include "docfetch.h"

#include <string.h>

static int parse_schedule(const char *data, size_t len, const char *name, void *out, char *err, size_t errlen)
{
    return schedule_parse(data, len, name, out, err, errlen);
}

static int parse_vulns(const char *data, size_t len, const char *name, void *out, char *err, size_t errlen)
{
    return vulns_parse(data, len, name, out, err, errlen);
}

static const doc_kind schedule_doc = {
    .leaf = SCHEDULE_DOC,
    .meta_leaf = SCHEDULE_META,
    .what = "release schedule",
    .hint = "NODUS_SCHEDULE_URL or the schedule_url setting",
    .max = SCHEDULE_MAX,
    .parse = parse_schedule,
};

static const doc_kind vulns_doc = {
    .leaf = VULNS_DOC,
    .meta_leaf = VULNS_META,
    .what = "vulnerability database",
    .hint = "NODUS_VULNS_URL or the vulns_url setting",
    .max = VULNS_MAX,
    .parse = parse_vulns,
};

void safety_refresh(const nodus_ctx *ctx, safety_data *d)
{
    memset(d, 0, sizeof *d);
    d->today = date_today();
    if (!safety_url_off(ctx->schedule_url))
        d->have_sched = doc_load(ctx, &schedule_doc, ctx->schedule_url, 1, &d->sched) == 0;
    if (!safety_url_off(ctx->vulns_url))
        d->have_db = doc_load(ctx, &vulns_doc, ctx->vulns_url, 1, &d->db) == 0;
}
