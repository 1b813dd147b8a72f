/* The Release WG schedule (schedule.json): per release line its start,
 * LTS, maintenance and end dates, and the LTS codename. Parsed with
 * jansson; the shim never reads it. A version's support status comes from
 * its line's dates against today's date. */
#ifndef NODUS_SCHEDULE_H
#define NODUS_SCHEDULE_H
#include <stddef.h>
#include "semver.h"

/* Dates are yyyymmdd as an int (20250430); 0 means absent. */
typedef enum {
    SUP_UNKNOWN = 0,  /* the schedule has no line for the version */
    SUP_PLANNED,      /* the line has not started yet */
    SUP_CURRENT,      /* started, not LTS yet (or never: odd lines) */
    SUP_ACTIVE_LTS,
    SUP_MAINTENANCE,
    SUP_EOL           /* past its end date: no more fixes of any kind */
} support_t;

typedef struct {
    unsigned long major, minor; /* "v0.12": 0 and 12; "v22": 22 (minor unused) */
    int start, lts, maintenance, end;
    char codename[32];          /* "" when the line has none (yet) */
} sched_line;

typedef struct {
    sched_line *lines;
    size_t n;
} schedule_t;

#define SCHEDULE_MAX (4u << 20) /* the real file is ~3 KiB */

/* Parse schedule.json text. name (a file or URL) starts every error, so a
 * bad file is named. Returns 0, or -1 with err. */
int schedule_parse(const char *json, size_t len, const char *name, schedule_t *out, char *err, size_t errlen);
int schedule_parse_file(const char *path, schedule_t *out, char *err, size_t errlen);
void schedule_free(schedule_t *s);

/* The line a version belongs to (v0.x by major.minor, later by major), or NULL. */
const sched_line *schedule_line_of(const schedule_t *s, const semver_t *v);
/* Status of a line on a day (yyyymmdd); a line is end of life the day after
 * its end date. */
support_t schedule_status(const sched_line *l, int today);
/* "current", "active LTS", "maintenance", "end of life", ... for people. */
const char *support_text(support_t s);
/* "current", "active-lts", "maintenance", "eol", "planned", "unknown": JSON. */
const char *support_key(support_t s);

/* "2025-04-30" into 20250430; a real calendar date from 1970 to 9999 only.
 * Returns 0 or -1. */
int date_parse(const char *s, int *ymd);
/* 20250430 into "2025-04-30" (buf at least 11 bytes). */
void date_format(int ymd, char *buf, size_t n);
/* The UTC date of t (seconds since 1970-01-01) as yyyymmdd. */
int date_of_time(long long t);
/* Today (UTC) as yyyymmdd, or the date in NODUS_NOW (YYYY-MM-DD; for the
 * tests). A bad NODUS_NOW is ignored: the real date is used. */
int date_today(void);
#endif
