/* Support status and known vulnerabilities over the real snapshots in
 * tests/fixtures (nodejs-release-schedule.json, 2026-07-02, and
 * nodejs-security-wg-vuln-core-index.json, 2026-04-08).
 *
 * The expected CVE lists and fixes were computed once with npm's semver
 * (7.x), not with nodus's own range code:
 *
 *   mkdir /tmp/sv && cd /tmp/sv && npm install semver@7
 *   cat > table.js <<'JS'
 *   const semver = require('semver'), fs = require('fs');
 *   const db = JSON.parse(fs.readFileSync(process.argv[2]));
 *   const ids = Object.keys(db).sort((a, b) => a - b);
 *   const hits = v => ids.filter(k => semver.satisfies(v, db[k].vulnerable) &&
 *                                     !semver.satisfies(v, db[k].patched));
 *   const named = [...new Set(ids.flatMap(k => db[k].patched.match(/\d+\.\d+\.\d+/g) || []))]
 *                 .sort(semver.compare);
 *   for (const v of process.argv.slice(3)) {
 *     const fix = named.find(c => semver.major(c) === semver.major(v) && semver.gt(c, v) &&
 *                                 hits(c).length === 0);
 *     console.log(v, hits(v).join(',') || '-', fix || '-');
 *   }
 *   JS
 *   node table.js .../nodejs-security-wg-vuln-core-index.json 18.20.8 20.18.0 ...
 *
 * (ids: the database's keys; fix: the first release of the line, among those
 * the "patched" ranges name, that no entry affects.) The support statuses
 * follow from the schedule's dates: a line is end of life the day after its
 * "end". */
#include "safety.h"
#include "fsutil.h"
#include "tap.h"

#include <stdlib.h>
#include <time.h>

static const struct {
    const char *version, *ids, *fix;
} TABLE[] = {
    {"18.20.8", "-", "-"},
    {"20.18.0", "147,148,149,151,152,153,154,156,157,158,159,160,161,163,164,167,168,169,170,171", "20.20.2"},
    {"20.20.2", "-", "-"},
    {"22.11.0", "147,148,149,151,152,154,156,157,158,159,160,161,163,164,167,168,169,170,171", "22.22.2"},
    {"22.23.3", "-", "-"},
    {"18.20.4", "148,149", "18.20.6"},
    {"20.17.0", "147,148,149,151,152,153,154,156,157,158,159,160,161,163,164,167,168,169,170,171", "20.20.2"},
    {"23.1.0", "147,148,149,152", "23.11.1"},
    {"16.0.0", "79,80,83,84,85,86,88,89,90,91,92,93,94,95,96,97,98,99,100,102,103,104,105,106,107,108,112,115,116,"
               "117,118,121,122", "16.20.2"},
    {"0.10.30", "8,54", "-"},
};

static const struct {
    const char *version;
    int date;
    support_t want;
} STATUS[] = {
    {"18.20.8", 20241201, SUP_MAINTENANCE}, {"20.18.0", 20241201, SUP_MAINTENANCE},
    {"20.20.2", 20241201, SUP_MAINTENANCE}, {"22.11.0", 20241201, SUP_ACTIVE_LTS},
    {"22.23.3", 20241201, SUP_ACTIVE_LTS},  {"18.20.8", 20250430, SUP_MAINTENANCE},
    {"18.20.8", 20250501, SUP_EOL},         {"18.20.8", 20261126, SUP_EOL},
    {"20.18.0", 20261126, SUP_EOL},         {"20.20.2", 20261126, SUP_EOL},
    {"22.11.0", 20261126, SUP_MAINTENANCE}, {"22.23.3", 20261126, SUP_MAINTENANCE},
    {"22.11.0", 20241028, SUP_CURRENT},     {"23.1.0", 20241201, SUP_CURRENT},
    {"23.1.0", 20250401, SUP_MAINTENANCE},  {"26.0.0", 20260601, SUP_CURRENT},
    {"27.0.0", 20261126, SUP_PLANNED},      {"0.12.18", 20160101, SUP_CURRENT},
    {"0.12.18", 20170101, SUP_EOL},         {"99.0.0", 20261126, SUP_UNKNOWN},
};

static char *fixture(const char *name, size_t *len)
{
    const char *dir = getenv("NODUS_FIXTURES") ? getenv("NODUS_FIXTURES") : "tests/fixtures";
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *t = fs_read_file(path, 1 << 24, len);
    if (!t) {
        printf("Bail out! cannot read %s\n", path);
        exit(1);
    }
    return t;
}

static void ids_of(const verdict_t *vd, char *buf, size_t n)
{
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < vd->nvulns; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? "," : "", vd->hits[i]->id);
    if (!vd->nvulns)
        snprintf(buf, n, "-");
}

static void test_real(void)
{
    size_t sl, vl;
    char *st = fixture("nodejs-release-schedule.json", &sl), *vt = fixture("nodejs-security-wg-vuln-core-index.json", &vl);
    safety_data d = {0};
    char err[1024] = "";
    ok(schedule_parse(st, sl, "schedule.json", &d.sched, err, sizeof err) == 0, "the real schedule parses (%s)", err);
    ok(vulns_parse(vt, vl, "index.json", &d.db, err, sizeof err) == 0, "the real database parses (%s)", err);
    d.have_sched = d.have_db = 1;
    is_int(d.db.n, 171, "171 entries");
    is_str(d.db.entries[0].id, "1", "ordered by id: first");
    is_str(d.db.entries[170].id, "171", "ordered by id: last");
    const sched_line *l18 = schedule_line_of(&d.sched, &(semver_t){.major = 18});
    ok(l18 && l18->end == 20250430 && strcmp(l18->codename, "Hydrogen") == 0, "v18: end 2025-04-30, Hydrogen");
    const sched_line *l26 = schedule_line_of(&d.sched, &(semver_t){.major = 26});
    ok(l26 && l26->codename[0] == '\0', "v26: no codename yet");

    for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++) {
        semver_t v;
        semver_parse(TABLE[i].version, &v);
        d.today = 20261126;
        verdict_t vd;
        safety_judge(&d, &v, &vd);
        char ids[1024], fix[64] = "-";
        ids_of(&vd, ids, sizeof ids);
        is_str(ids, TABLE[i].ids, "v%s: entries as npm's semver says", TABLE[i].version);
        if (vd.fix_state > 0)
            semver_format(&vd.fix, fix, sizeof fix);
        is_str(fix, TABLE[i].fix, "v%s: first fixed release", TABLE[i].version);
        verdict_free(&vd);
    }
    for (size_t i = 0; i < sizeof STATUS / sizeof STATUS[0]; i++) {
        semver_t v;
        semver_parse(STATUS[i].version, &v);
        d.today = STATUS[i].date;
        verdict_t vd;
        safety_judge(&d, &v, &vd);
        is_str(support_key(vd.support), support_key(STATUS[i].want), "v%s on %d", STATUS[i].version, STATUS[i].date);
        verdict_free(&vd);
    }

    /* What people read. */
    semver_t v;
    verdict_t vd;
    char line[1024];
    d.today = 20250101;
    semver_parse("20.18.0", &v);
    safety_judge(&d, &v, &vd);
    verdict_sentence(&vd, line, sizeof line);
    is_str(line, "v20.18.0 has 20 known vulnerabilities (8 high, e.g. CVE-2025-23083); v20.20.2 fixes them: "
           "nodus upgrade 20", "vulnerable, supported");
    verdict_short(&vd, line, sizeof line);
    is_str(line, "maintenance, 20 vulns (high)", "short form");
    ok(vd.worst == SEV_HIGH && vd.nworst == 8, "worst: high, 8 of them");
    verdict_free(&vd);

    /* The end-of-life rule: the database names nothing for v18.20.8, yet
     * it is unsupported after 2025-04-30. */
    d.today = 20261126;
    semver_parse("18.20.8", &v);
    safety_judge(&d, &v, &vd);
    ok(verdict_flagged(&vd) && vd.nvulns == 0, "v18.20.8: flagged with no entries");
    verdict_sentence(&vd, line, sizeof line);
    ok(strstr(line, "v18.20.8 is end of life since 2025-04-30") && strstr(line, "nodus install --lts"),
       "end-of-life sentence: %s", line);
    verdict_short(&vd, line, sizeof line);
    is_str(line, "eol 2025-04-30", "short eol");
    verdict_free(&vd);

    semver_parse("20.18.0", &v);
    safety_judge(&d, &v, &vd);
    verdict_sentence(&vd, line, sizeof line);
    ok(strstr(line, "end of life since 2026-04-30 and has 20 known") && strstr(line, "v20.20.2 fixes those"),
       "eol + vulnerable: %s", line);
    verdict_free(&vd);

    semver_parse("22.23.3", &v);
    safety_judge(&d, &v, &vd);
    verdict_sentence(&vd, line, sizeof line);
    ok(!verdict_flagged(&vd) && line[0] == '\0', "v22.23.3 on 2026-11-26: nothing to say");
    verdict_free(&vd);

    /* No data: nothing is claimed. */
    safety_data none = {0};
    safety_judge(&none, &v, &vd);
    ok(vd.support == SUP_UNKNOWN && vd.nvulns == 0 && !verdict_flagged(&vd), "no data, no verdict");
    verdict_free(&vd);

    safety_free(&d);
    free(st);
    free(vt);
}

static int sched_err(const char *json, const char *needle)
{
    schedule_t s;
    char err[512] = "";
    int rc = schedule_parse(json, strlen(json), "/c/schedule.json", &s, err, sizeof err);
    schedule_free(&s);
    int good = rc == -1 && strstr(err, "/c/schedule.json") && strstr(err, needle);
    if (!good)
        printf("#   error was '%s'\n", err);
    return good;
}

static int vulns_err(const char *json, const char *needle)
{
    vulndb_t db;
    char err[512] = "";
    int rc = vulns_parse(json, strlen(json), "/c/vulns.json", &db, err, sizeof err);
    vulns_free(&db);
    int good = rc == -1 && strstr(err, "/c/vulns.json") && strstr(err, needle);
    if (!good)
        printf("#   error was '%s'\n", err);
    return good;
}

static void test_malformed(void)
{
    ok(sched_err("", "not valid JSON"), "schedule: empty");
    ok(sched_err("[]", "not a release schedule"), "schedule: a list");
    ok(sched_err("{\"v22\": 3}", "not an object"), "schedule: line not an object");
    ok(sched_err("{\"x22\": {\"end\": \"2027-04-30\"}}", "does not name a release line"), "schedule: bad key");
    ok(sched_err("{\"v0\": {\"end\": \"2027-04-30\"}}", "does not name"), "schedule: v0");
    ok(sched_err("{\"v22\": {\"start\": \"2024-04-24\"}}", "no \"end\""), "schedule: no end");
    ok(sched_err("{\"v22\": {\"end\": \"2027-02-30\"}}", "not a YYYY-MM-DD"), "schedule: impossible date");
    ok(sched_err("{\"v22\": {\"end\": \"2027-4-30\"}}", "not a YYYY-MM-DD"), "schedule: short date");
    ok(sched_err("{\"v22\": {\"end\": 20270430}}", "not a YYYY-MM-DD"), "schedule: number date");
    ok(sched_err("{\"v22\": {\"end\": \"2027-04-30\", \"codename\": \"J\\u001b[31m\"}}", "codename"),
       "schedule: control characters in a codename");
    ok(sched_err("{\"v22\": {\"end\": \"2027-04-30\"}, \"v022\": {\"end\": \"2027-04-30\"}}", "twice"),
       "schedule: one line twice");
    ok(sched_err("{\"v22\": {\"end\": \"2027-04-30\"}, \"v22\": {\"end\": \"2028-04-30\"}}", "not valid JSON"),
       "schedule: duplicate key");
    ok(sched_err("{\"v99999999999999999999\": {\"end\": \"2027-04-30\"}}", "does not name"), "schedule: huge major");

    ok(vulns_err("nope", "not valid JSON"), "vulns: not JSON");
    ok(vulns_err("[1]", "not a vulnerability database"), "vulns: a list");
    ok(vulns_err("{\"1\": []}", "not an object"), "vulns: entry not an object");
    ok(vulns_err("{\"1\": {\"patched\": \"^1.0.0\"}}", "\"vulnerable\""), "vulns: no vulnerable range");
    ok(vulns_err("{\"1\": {\"vulnerable\": \">=>1\"}}", "\"vulnerable\""), "vulns: bad vulnerable range");
    ok(vulns_err("{\"1\": {\"vulnerable\": \"1.x\", \"patched\": \"^^1\"}}", "\"patched\""), "vulns: bad patched");
    ok(vulns_err("{\"1\": {\"vulnerable\": \"1.x\", \"cve\": \"CVE-2020-1\"}}", "not a list"), "vulns: cve a string");
    ok(vulns_err("{\"12345678901234567890\": {\"vulnerable\": \"1.x\"}}", "short id"), "vulns: long id");

    /* Accepted, but nothing unsafe comes through. */
    const char *odd = "{\"7\": {\"vulnerable\": \"1.x\", \"patched\": \"\", \"severity\": \"HIGH\", "
                      "\"cve\": [\"CVE-2020-1234\", \"\\u001b[2J\", 5, \"CVE-2020-12x4\"]}}";
    vulndb_t db;
    char err[256];
    ok(vulns_parse(odd, strlen(odd), "x", &db, err, sizeof err) == 0, "odd entry accepted");
    ok(db.n == 1 && db.entries[0].ncves == 1 && strcmp(db.entries[0].cves[0], "CVE-2020-1234") == 0,
       "only well-formed CVE ids kept");
    ok(db.entries[0].severity == SEV_HIGH && db.entries[0].patched == NULL, "severity any case; empty patched: no fix");
    semver_t v;
    semver_parse("1.2.3", &v);
    ok(vuln_affects(&db.entries[0], &v), "an entry with no fix affects its whole range");
    vulns_free(&db);
}

static void test_dates(void)
{
    int d = 0;
    ok(date_parse("2024-02-29", &d) == 0 && d == 20240229, "leap day");
    ok(date_parse("2023-02-29", &d) == -1, "no leap day in 2023");
    ok(date_parse("1900-03-01", &d) == -1 && date_parse("2024-13-01", &d) == -1, "out of range");
    ok(date_parse("2024-01-01x", &d) == -1 && date_parse("２024-01-01", &d) == -1, "junk");
    setenv("NODUS_NOW", "2025-05-01", 1);
    is_int(date_today(), 20250501, "NODUS_NOW sets today");
    /* date_of_time against gmtime_r, every day from 1901 to 2200 at
     * three times of day, and the edges of the epoch. */
    int bad = 0;
    for (long long t = -2147483648LL; t < 7258118400LL && bad < 3; t += 86400 / 3 + 7) {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        int want = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
        if (date_of_time(t) != want) {
            printf("# date_of_time(%lld) = %d, gmtime_r says %d\n", t, date_of_time(t), want);
            bad++;
        }
    }
    ok(bad == 0, "date_of_time agrees with gmtime_r from 1901 to 2200");
    is_int(date_of_time(0), 19700101, "the epoch");
    is_int(date_of_time(-1), 19691231, "a second before it");
    is_int(date_of_time(951782400), 20000229, "2000-02-29 (a leap day of a year divisible by 400)");
    is_int(date_of_time(4107542400LL), 21000301, "2100 has no leap day");
    setenv("NODUS_NOW", "tomorrow", 1);
    ok(date_today() > 20250000, "a bad NODUS_NOW is ignored");
    unsetenv("NODUS_NOW");
}

int main(void)
{
    test_real();
    test_malformed();
    test_dates();
    return tap_done();
}
