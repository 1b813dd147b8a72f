#include "spec.h"
#include "strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.';
}

static int is_name(const char *s)
{
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (; *s; s++)
        if (!is_name_char(*s))
            return 0;
    return 1;
}

static int parse_lts(const char *rest, spec_t *out, char *err, size_t errlen)
{
    if (rest[0] == '\0' || strcmp(rest, "*") == 0) {
        out->kind = SPEC_LTS_ANY;
        return 0;
    }
    if (rest[0] == '-') {
        char *end;
        unsigned long n = strtoul(rest + 1, &end, 10);
        if (rest[1] < '0' || rest[1] > '9' || *end || n > 1000) {
            str_fmt(err, errlen, "'%s' is not a valid lts spec; use lts/*, lts/<codename> or lts/-N", out->text);
            return -1;
        }
        out->kind = SPEC_LTS_BACK;
        out->back = (unsigned)n;
        return 0;
    }
    if (!is_name(rest) || str_copy(out->name, sizeof out->name, rest)) {
        str_fmt(err, errlen, "'%s' is not a valid lts spec; use lts/*, lts/<codename> or lts/-N", out->text);
        return -1;
    }
    str_lower(out->name);
    out->kind = SPEC_LTS_NAME;
    return 0;
}

int spec_parse(const char *s, spec_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (str_copy(out->text, sizeof out->text, s)) {
        str_fmt(err, errlen, "the version spec is %zu bytes long; at most %d are allowed", strlen(s),
                SPEC_TEXT_MAX - 1);
        return -1;
    }
    str_trim(out->text);
    const char *t = out->text;
    if (!t[0]) {
        /* node-semver reads "" as "*"; here a blank spec is a mistake (an
         * unset variable in a script), never "any version". */
        str_fmt(err, errlen, "the version spec is empty; give one, e.g. 22, lts/* or ^20.1");
        return -1;
    }
    if (str_ieq(t, "lts"))
        return parse_lts("", out, err, errlen);
    if (strncasecmp(t, "lts/", 4) == 0)
        return parse_lts(t + 4, out, err, errlen);
    if (str_ieq(t, "latest") || str_ieq(t, "current") || str_ieq(t, "node") || str_ieq(t, "stable")) {
        out->kind = SPEC_LATEST;
        return 0;
    }
    if (str_ieq(t, "system")) {
        out->kind = SPEC_SYSTEM;
        return 0;
    }
    out->range = semver_range_parse(t);
    if (out->range) {
        out->kind = SPEC_RANGE;
        return 0;
    }
    if (is_name(t) && str_copy(out->name, sizeof out->name, t) == 0) {
        out->kind = SPEC_ALIAS;
        return 0;
    }
    str_fmt(err, errlen, "'%s' is not a version spec; use a version (22.11.0, 22), a range (^20.1), "
            "lts/*, lts/<codename>, lts/-N, latest or system", t);
    return -1;
}

void spec_free(spec_t *s)
{
    semver_range_free(s->range);
    s->range = NULL;
}

static const lts_line *spec_lts_line(const spec_t *s, const lts_table *lts)
{
    switch (s->kind) {
    case SPEC_LTS_ANY:
        return lts->n ? &lts->lines[0] : NULL;
    case SPEC_LTS_BACK:
        return s->back < lts->n ? &lts->lines[s->back] : NULL;
    case SPEC_LTS_NAME:
        return lts_find(lts, s->name);
    default:
        return NULL;
    }
}

static int matches_line(const lts_line *line, const semver_t *v)
{
    return line && !v->pre[0] && v->major == line->major && semver_cmp(v, &line->first) >= 0;
}

int spec_matches(const spec_t *s, const vent_t *e, const vlist_t *l, const lts_table *lts)
{
    (void)l;
    switch (s->kind) {
    case SPEC_RANGE:
        return semver_range_satisfies(s->range, &e->v);
    case SPEC_LATEST:
        return e->v.pre[0] == '\0';
    case SPEC_LTS_ANY:
    case SPEC_LTS_BACK:
    case SPEC_LTS_NAME:
        return matches_line(spec_lts_line(s, lts), &e->v);
    default:
        return 0;
    }
}

/* lts/(star) means the newest release of any LTS line in the list: for the
 * index that is the newest line's, but among installed versions the newest
 * line may be missing while an older one is there. */
static int any_lts_line(const vent_t *e, const lts_table *lts)
{
    for (size_t k = 0; k < lts->n; k++)
        if (matches_line(&lts->lines[k], &e->v))
            return 1;
    return 0;
}

long spec_pick(const spec_t *s, const vlist_t *l, const lts_table *lts)
{
    /* The list is newest first, so the first match is the highest. */
    if (s->kind == SPEC_LTS_ANY) {
        for (size_t i = 0; i < l->n; i++)
            if (any_lts_line(&l->items[i], lts))
                return (long)i;
        return -1;
    }
    for (size_t i = 0; i < l->n; i++)
        if (spec_matches(s, &l->items[i], l, lts))
            return (long)i;
    return -1;
}

void spec_vname(const semver_t *v, char *buf, size_t n)
{
    if (n < 2)
        return;
    buf[0] = 'v';
    semver_format(v, buf + 1, n - 1);
}
