#include "schedule.h"
#include "fsutil.h"
#include "jsondoc.h"
#include "strutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int date_parse(const char *s, int *ymd)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return -1;
    *ymd = y * 10000 + m * 100 + d;
    return 0;
}

void date_format(int ymd, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* Computed, not asked of gmtime_r: glibc's first gmtime_r reads the
 * local zone file (/etc/localtime: an open, two fstats, two reads), for
 * nothing, on every `nodus current`. Days since 1970-01-01 are counted
 * from 0000-03-01 instead, in 400-year eras of 146,097 days, with the
 * year starting in March so that the leap day is the last day of it. */
int date_of_time(long long t)
{
    long long days = (t >= 0 ? t : t - 86399) / 86400 + 719468; /* 1970-01-01 is day 719,468 of the count */
    long long era = (days >= 0 ? days : days - 146096) / 146097;
    long long doe = days - era * 146097;                                 /* day of the era, 0..146096 */
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* year of the era, 0..399 */
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             /* day of the year from March 1 */
    long long mp = (5 * doy + 2) / 153;                                  /* month from March, 0..11 */
    long long d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    long long y = yoe + era * 400 + (m <= 2);
    return (int)(y * 10000 + m * 100 + d);
}

int date_today(void)
{
    int ymd;
    const char *now = getenv("NODUS_NOW");
    if (now && date_parse(now, &ymd) == 0)
        return ymd;
    return date_of_time((long long)time(NULL));
}

/* "v22" or "v0.12" (what the schedule uses as keys). */
static int parse_key(const char *k, sched_line *l)
{
    if (k[0] != 'v' || k[1] < '0' || k[1] > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long a = strtoul(k + 1, &end, 10);
    if (errno || a > 1000000)
        return -1;
    l->major = a;
    l->minor = 0;
    if (*end == '\0')
        return a == 0 ? -1 : 0; /* "v0" alone names no line */
    if (*end != '.' || a != 0 || end[1] < '0' || end[1] > '9')
        return -1;
    const char *m = end + 1;
    unsigned long b = strtoul(m, &end, 10);
    if (errno || *end || b > 1000000)
        return -1;
    l->minor = b;
    return 0;
}

static int opt_date(json_t *obj, const char *field, int *out, const char *name, const char *key, char *err,
                    size_t errlen)
{
    json_t *v = json_object_get(obj, field);
    *out = 0;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v) || date_parse(json_string_value(v), out)) {
        str_fmt(err, errlen, "%s: \"%s\" has a \"%s\" that is not a YYYY-MM-DD date", name, key, field);
        return -1;
    }
    return 0;
}

static int parse_line(json_t *obj, const char *key, sched_line *l, const char *name, char *err, size_t errlen)
{
    memset(l, 0, sizeof *l);
    if (parse_key(key, l)) {
        str_fmt(err, errlen, "%s: \"%.40s\" does not name a release line (like \"v22\" or \"v0.12\")", name, key);
        return -1;
    }
    if (!json_is_object(obj)) {
        str_fmt(err, errlen, "%s: \"%s\" is not an object", name, key);
        return -1;
    }
    if (opt_date(obj, "start", &l->start, name, key, err, errlen) ||
        opt_date(obj, "lts", &l->lts, name, key, err, errlen) ||
        opt_date(obj, "maintenance", &l->maintenance, name, key, err, errlen) ||
        opt_date(obj, "end", &l->end, name, key, err, errlen))
        return -1;
    if (!l->end) {
        /* Without an end date nothing can be said about support. */
        str_fmt(err, errlen, "%s: \"%s\" has no \"end\" date", name, key);
        return -1;
    }
    json_t *cn = json_object_get(obj, "codename");
    if (json_is_string(cn)) {
        const char *c = json_string_value(cn);
        size_t n = strlen(c);
        int okname = n < sizeof l->codename;
        for (size_t i = 0; okname && i < n; i++)
            okname = (c[i] >= 'a' && c[i] <= 'z') || (c[i] >= 'A' && c[i] <= 'Z') || (c[i] >= '0' && c[i] <= '9') ||
                     c[i] == '-' || c[i] == '_';
        if (!okname) {
            str_fmt(err, errlen, "%s: \"%s\" has a codename that is not a plain word", name, key);
            return -1;
        }
        str_copy(l->codename, sizeof l->codename, c);
    }
    return 0;
}

int schedule_parse(const char *json, size_t len, const char *name, schedule_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    json_t *root = jsondoc_object(json, len, name, 1, 1000,
                                  "a release schedule (expected an object of release lines)", err, errlen);
    if (!root)
        return -1;
    out->lines = calloc(json_object_size(root), sizeof *out->lines);
    if (!out->lines) {
        str_fmt(err, errlen, "%s: out of memory", name);
        json_decref(root);
        return -1;
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val) {
        int bad = parse_line(val, key, &out->lines[out->n], name, err, errlen);
        if (!bad && schedule_line_of(out, &(semver_t){.major = out->lines[out->n].major,
                                                       .minor = out->lines[out->n].minor})) {
            str_fmt(err, errlen, "%s: the line \"%s\" is there twice", name, key);
            bad = 1;
        }
        if (bad) {
            json_decref(root);
            schedule_free(out);
            return -1;
        }
        out->n++;
    }
    json_decref(root);
    return 0;
}

int schedule_parse_file(const char *path, schedule_t *out, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = fs_read_doc(path, SCHEDULE_MAX, &len, err, errlen);
    if (!text) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    int rc = schedule_parse(text, len, path, out, err, errlen);
    free(text);
    return rc;
}

void schedule_free(schedule_t *s)
{
    free(s->lines);
    s->lines = NULL;
    s->n = 0;
}

const sched_line *schedule_line_of(const schedule_t *s, const semver_t *v)
{
    for (size_t i = 0; i < s->n; i++) {
        const sched_line *l = &s->lines[i];
        if (l->major == v->major && (v->major != 0 || l->minor == v->minor))
            return l;
    }
    return NULL;
}

support_t schedule_status(const sched_line *l, int today)
{
    if (!l)
        return SUP_UNKNOWN;
    if (today > l->end)
        return SUP_EOL;
    if (l->start && today < l->start)
        return SUP_PLANNED;
    if (l->maintenance && today >= l->maintenance)
        return SUP_MAINTENANCE;
    if (l->lts && today >= l->lts)
        return SUP_ACTIVE_LTS;
    return SUP_CURRENT;
}

const char *support_text(support_t s)
{
    switch (s) {
    case SUP_PLANNED:
        return "not released yet";
    case SUP_CURRENT:
        return "current";
    case SUP_ACTIVE_LTS:
        return "active LTS";
    case SUP_MAINTENANCE:
        return "maintenance";
    case SUP_EOL:
        return "end of life";
    default:
        return "unknown";
    }
}

const char *support_key(support_t s)
{
    switch (s) {
    case SUP_PLANNED:
        return "planned";
    case SUP_CURRENT:
        return "current";
    case SUP_ACTIVE_LTS:
        return "active-lts";
    case SUP_MAINTENANCE:
        return "maintenance";
    case SUP_EOL:
        return "eol";
    default:
        return "unknown";
    }
}
