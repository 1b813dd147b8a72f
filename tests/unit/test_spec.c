/* Version specs: parsing every kind, and picking from a version list with
 * an LTS table (spec.h, vlist.h). */
#include "spec.h"
#include "tap.h"
#include "vlist.h"

#include <stdlib.h>

static spec_t S;
static char E[512];

static int parse(const char *s)
{
    spec_free(&S);
    E[0] = '\0';
    return spec_parse(s, &S, E, sizeof E);
}

static int err_has(const char *needle)
{
    int yes = strstr(E, needle) != NULL;
    if (!yes)
        printf("#   error was '%s', wanted it to contain '%s'\n", E, needle);
    return yes;
}

/* The spec's exact version as "X.Y.Z", or "" when the range is not exact. */
static const char *exact_of(const spec_t *s)
{
    static char buf[SEMVER_PRE_MAX + 64];
    semver_t v;
    buf[0] = '\0';
    if (s->kind == SPEC_RANGE && s->range && semver_range_exact(s->range, &v))
        semver_format(&v, buf, sizeof buf);
    return buf;
}

static void test_parse_versions(void)
{
    is_int(parse("22.11.0"), 0, "exact version parses");
    is_int(S.kind, SPEC_RANGE, "exact version is a range");
    is_str(S.text, "22.11.0", "exact version text kept");
    is_str(exact_of(&S), "22.11.0", "exact version is exact");

    is_int(parse("v22.11.0"), 0, "exact version with v parses");
    is_int(S.kind, SPEC_RANGE, "v-version is a range");
    is_str(S.text, "v22.11.0", "v-version text kept as given");
    is_str(exact_of(&S), "22.11.0", "v-version is exact 22.11.0");

    is_int(parse("  v20.9.0 \t\n"), 0, "padded version parses");
    is_str(S.text, "v20.9.0", "text is trimmed");

    is_int(parse("22"), 0, "major partial parses");
    is_int(S.kind, SPEC_RANGE, "major partial is a range");
    is_str(exact_of(&S), "", "major partial is not exact");

    is_int(parse("22.11"), 0, "major.minor partial parses");
    is_int(S.kind, SPEC_RANGE, "major.minor partial is a range");
    is_str(exact_of(&S), "", "major.minor partial is not exact");

    is_int(parse("24.0.0-rc.1"), 0, "prerelease version parses");
    is_str(exact_of(&S), "24.0.0-rc.1", "prerelease version is exact");

    const char *ranges[] = {"^20.1", ">=18 <21", "20.x || 22.x", "1.2.3 - 2", "~1.2", "*", "x", "<=16",
                            ">=v18.0.0", "=22.11.0"};
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
        int r = parse(ranges[i]);
        ok(r == 0 && S.kind == SPEC_RANGE && S.range, "range '%s' is SPEC_RANGE", ranges[i]);
    }
    parse("=22.11.0");
    is_str(exact_of(&S), "22.11.0", "'=22.11.0' is exact");
}

static void test_parse_lts(void)
{
    is_int(parse("lts"), 0, "lts parses");
    is_int(S.kind, SPEC_LTS_ANY, "lts is LTS_ANY");
    is_int(parse("lts/*"), 0, "lts/* parses");
    is_int(S.kind, SPEC_LTS_ANY, "lts/* is LTS_ANY");
    is_int(parse("LTS/*"), 0, "LTS/* parses");
    is_int(S.kind, SPEC_LTS_ANY, "LTS/* is LTS_ANY");
    ok(S.range == NULL, "an lts spec has no range");

    is_int(parse("lts/iron"), 0, "lts/iron parses");
    is_int(S.kind, SPEC_LTS_NAME, "lts/iron is LTS_NAME");
    is_str(S.name, "iron", "lts/iron name");
    is_int(parse("lts/Iron"), 0, "lts/Iron parses");
    is_str(S.name, "iron", "lts/Iron name lower-cased");
    is_int(parse("LTS/HYDROGEN"), 0, "LTS/HYDROGEN parses");
    is_int(S.kind, SPEC_LTS_NAME, "LTS/HYDROGEN is LTS_NAME");
    is_str(S.name, "hydrogen", "LTS/HYDROGEN name lower-cased");
    is_str(S.text, "LTS/HYDROGEN", "text keeps the case given");

    is_int(parse("lts/-1"), 0, "lts/-1 parses");
    is_int(S.kind, SPEC_LTS_BACK, "lts/-1 is LTS_BACK");
    is_int(S.back, 1, "lts/-1 back 1");
    is_int(parse("lts/-12"), 0, "lts/-12 parses");
    is_int(S.back, 12, "lts/-12 back 12");
    is_int(parse("lts/-0"), 0, "lts/-0 parses");
    is_int(S.kind, SPEC_LTS_BACK, "lts/-0 is LTS_BACK");
    is_int(S.back, 0, "lts/-0 back 0");

    const char *bad[] = {"lts/-", "lts/-x", "lts/-1x", "lts/--1", "lts/- 1", "lts/iron!", "lts/1abc",
                         "lts/-1001", "lts/ir on", "lts/iron/x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int r = parse(bad[i]);
        char want[128];
        snprintf(want, sizeof want, "'%s' is not a valid lts spec", bad[i]);
        ok(r == -1 && err_has(want) && err_has("lts/<codename>") && err_has("lts/-N"),
           "'%s' is rejected with the lts error", bad[i]);
    }
}

static void test_parse_keywords(void)
{
    const char *latest[] = {"latest", "current", "node", "stable", "Latest", "NODE", " current "};
    for (size_t i = 0; i < sizeof latest / sizeof *latest; i++) {
        int r = parse(latest[i]);
        ok(r == 0 && S.kind == SPEC_LATEST, "'%s' is SPEC_LATEST", latest[i]);
    }
    is_int(parse("system"), 0, "system parses");
    is_int(S.kind, SPEC_SYSTEM, "system is SPEC_SYSTEM");
    is_int(parse("System"), 0, "System parses");
    is_int(S.kind, SPEC_SYSTEM, "System is SPEC_SYSTEM");

    is_int(parse("myproject"), 0, "an alias name parses");
    is_int(S.kind, SPEC_ALIAS, "myproject is SPEC_ALIAS");
    is_str(S.name, "myproject", "alias name");
    is_int(parse("work-app_2.x"), 0, "alias with - _ . digits parses");
    is_int(S.kind, SPEC_ALIAS, "work-app_2.x is SPEC_ALIAS");
    is_str(S.name, "work-app_2.x", "alias name with punctuation");
    is_int(parse("default"), 0, "default parses");
    is_int(S.kind, SPEC_ALIAS, "default is an alias");
    is_int(parse("MyAlias"), 0, "mixed-case alias parses");
    is_str(S.name, "MyAlias", "alias name keeps its case");
    is_int(parse("iron"), 0, "a bare codename parses");
    is_int(S.kind, SPEC_ALIAS, "a bare codename is an alias, not lts");
}

static void test_parse_invalid(void)
{
    const char *bad[] = {"foo bar", "@22", "22.11.0.1", "22abc", "!", "1.2.3 || foo", "v22.11.0/x", "lts\\iron"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int r = parse(bad[i]);
        char want[128];
        snprintf(want, sizeof want, "'%s' is not a version spec", bad[i]);
        ok(r == -1 && err_has(want) && err_has("lts/*") && err_has("latest or system"),
           "'%s' is rejected with the spec error", bad[i]);
        ok(S.range == NULL, "no range left behind for '%s'", bad[i]);
    }

    char longname[80];
    memset(longname, 'a', 70);
    longname[70] = '\0';
    ok(parse(longname) == -1 && err_has("is not a version spec"), "a 70-letter alias name is rejected");

    char huge[400];
    memset(huge, '1', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    ok(parse(huge) == -1 && err_has("the version spec is 399 bytes long; at most 255"), "a 399-character spec is too long");

    ok(parse("") == -1 && err_has("the version spec is empty"), "an empty spec is an error, not '*'");
    ok(parse(" \t ") == -1 && err_has("the version spec is empty"), "a blank spec is an error");

    /* spec_free twice is harmless. */
    parse("^20");
    spec_free(&S);
    spec_free(&S);
    ok(S.range == NULL, "spec_free clears the range");
}

/* ---- lists ---- */

static void add(vlist_t *l, const char *ver, const char *lts)
{
    semver_t v;
    if (semver_parse(ver, &v) != 0) {
        printf("# bad test version %s\n", ver);
        abort();
    }
    if (vlist_add(l, &v, lts, l->n) != 0)
        abort();
}

static const char *vname_at(const vlist_t *l, long i)
{
    static char buf[SEMVER_PRE_MAX + 64];
    if (i < 0)
        return "(none)";
    spec_vname(&l->items[i].v, buf, sizeof buf);
    return buf;
}

static void test_sort(void)
{
    vlist_t l = {0};
    const char *in[] = {"1.0.0", "0.9.9", "1.0.0-alpha", "10.0.0", "1.0.0-beta.11", "1.0.0-rc.1",
                        "1.0.0-alpha.1", "2.0.0", "1.0.0-beta.2", "1.10.0", "1.2.0"};
    const char *want[] = {"v10.0.0", "v2.0.0", "v1.10.0", "v1.2.0", "v1.0.0", "v1.0.0-rc.1", "v1.0.0-beta.11",
                          "v1.0.0-beta.2", "v1.0.0-alpha.1", "v1.0.0-alpha", "v0.9.9"};
    for (size_t i = 0; i < sizeof in / sizeof *in; i++)
        add(&l, in[i], i == 3 ? "SomeName" : NULL);
    vlist_sort_desc(&l);
    is_int(l.n, 11, "sorted list keeps every entry");
    for (size_t i = 0; i < l.n; i++)
        is_str(vname_at(&l, (long)i), want[i], "sorted position %zu", i);
    is_int(l.items[0].index, 3, "sorting carries the caller's index with the entry");
    is_str(l.items[0].lts, "somename", "vlist_add lower-cases the codename");
    is_str(l.items[1].lts, "", "a NULL codename is stored as empty");
    vlist_free(&l);
    ok(l.items == NULL && l.n == 0, "vlist_free empties the list");

    vlist_t one = {0};
    add(&one, "3.0.0", "");
    vlist_sort_desc(&one);
    is_str(vname_at(&one, 0), "v3.0.0", "a one-entry list sorts");
    vlist_free(&one);
}

/* A list shaped like the index: LTS codenames only from a major's LTS start. */
static void build_list(vlist_t *l)
{
    add(l, "16.20.2", "Gallium");
    add(l, "24.0.0-rc.1", "");
    add(l, "23.1.0", "");
    add(l, "22.11.0", "Jod");
    add(l, "22.10.0", "");
    add(l, "22.0.0", "");
    add(l, "22.0.0-rc.2", "");
    add(l, "23.0.0", "");
    add(l, "20.18.0", "Iron");
    add(l, "20.9.0", "Iron");
    add(l, "20.8.1", "");
    add(l, "20.0.0", "");
    add(l, "18.20.4", "Hydrogen");
    add(l, "18.12.0", "Hydrogen");
    add(l, "18.11.0", "");
    add(l, "0.12.18", "");
    vlist_sort_desc(l);
}

static const char *pick(const char *spec, const vlist_t *l, const lts_table *t)
{
    if (parse(spec) != 0) {
        printf("#   parse of '%s' failed: %s\n", spec, E);
        return "(parse error)";
    }
    return vname_at(l, spec_pick(&S, l, t));
}

static void test_pick(void)
{
    vlist_t l = {0};
    lts_table t = {0};
    build_list(&l);
    is_int(lts_from_vlist(&l, &t), 0, "lts table derived");
    is_int(t.n, 4, "four LTS lines in the list");
    is_str(t.lines[0].name, "jod", "newest line first: jod");
    is_int(t.lines[0].major, 22, "jod is major 22");
    is_str(t.lines[1].name, "iron", "then iron");
    is_str(t.lines[3].name, "gallium", "gallium last");
    char fv[64];
    semver_format(&t.lines[1].first, fv, sizeof fv);
    is_str(fv, "20.9.0", "iron's first LTS release is 20.9.0, not 20.0.0");
    semver_format(&t.lines[2].first, fv, sizeof fv);
    is_str(fv, "18.12.0", "hydrogen's first LTS release is 18.12.0");

    is_str(pick("22.11.0", &l, &t), "v22.11.0", "exact picks itself");
    is_str(pick("v20.9.0", &l, &t), "v20.9.0", "exact with v picks itself");
    is_str(pick("20.9.1", &l, &t), "(none)", "exact not in the list: -1");
    is_str(pick("22", &l, &t), "v22.11.0", "partial 22: highest 22.x");
    is_str(pick("20", &l, &t), "v20.18.0", "partial 20: highest 20.x");
    is_str(pick("22.0", &l, &t), "v22.0.0", "partial 22.0: 22.0.0, not its rc");
    is_str(pick("24", &l, &t), "(none)", "partial 24 does not match 24.0.0-rc.1");
    is_str(pick("24.0", &l, &t), "(none)", "partial 24.0 does not match a prerelease");
    is_str(pick("18.11", &l, &t), "v18.11.0", "partial 18.11");
    is_str(pick("^20.1", &l, &t), "v20.18.0", "caret range");
    is_str(pick(">=18 <21", &l, &t), "v20.18.0", "comparator set");
    is_str(pick("20.x || 22.x", &l, &t), "v22.11.0", "union of x-ranges");
    is_str(pick("<18", &l, &t), "v16.20.2", "less-than");
    is_str(pick("~18.12", &l, &t), "v18.12.0", "tilde");
    is_str(pick("0.12", &l, &t), "v0.12.18", "0.x partial");
    is_str(pick(">=24.0.0-rc.0", &l, &t), "v24.0.0-rc.1", "a prerelease comparator admits its own tuple's rc");
    is_str(pick(">=30", &l, &t), "(none)", "range above everything: -1");

    is_str(pick("latest", &l, &t), "v23.1.0", "latest skips the 24 prerelease");
    is_str(pick("node", &l, &t), "v23.1.0", "node is latest");
    is_str(pick("stable", &l, &t), "v23.1.0", "stable is latest");

    is_str(pick("lts/*", &l, &t), "v22.11.0", "lts/*: newest LTS line's newest");
    is_str(pick("lts", &l, &t), "v22.11.0", "lts: same as lts/*");
    is_str(pick("lts/iron", &l, &t), "v20.18.0", "lts/iron");
    is_str(pick("lts/HYDROGEN", &l, &t), "v18.20.4", "lts/HYDROGEN any case");
    is_str(pick("lts/gallium", &l, &t), "v16.20.2", "lts/gallium");
    is_str(pick("lts/-1", &l, &t), "v20.18.0", "lts/-1: the line before jod");
    is_str(pick("lts/-2", &l, &t), "v18.20.4", "lts/-2");
    is_str(pick("lts/-3", &l, &t), "v16.20.2", "lts/-3");
    is_str(pick("lts/-4", &l, &t), "(none)", "lts/-4: past the oldest line");
    is_str(pick("lts/-0", &l, &t), "v22.11.0", "lts/-0 is the newest line");
    is_str(pick("lts/argon", &l, &t), "(none)", "unknown codename: -1");
    is_str(pick("system", &l, &t), "(none)", "system never matches");
    is_str(pick("myalias", &l, &t), "(none)", "an alias never matches");

    /* spec_matches: the line's early, non-LTS releases are excluded. */
    parse("lts/iron");
    const vent_t *e2080 = NULL, *e2090 = NULL, *e2210 = NULL, *e2211 = NULL, *rc = NULL;
    for (size_t i = 0; i < l.n; i++) {
        char b[64];
        semver_format(&l.items[i].v, b, sizeof b);
        if (!strcmp(b, "20.8.1")) e2080 = &l.items[i];
        if (!strcmp(b, "20.9.0")) e2090 = &l.items[i];
        if (!strcmp(b, "22.10.0")) e2210 = &l.items[i];
        if (!strcmp(b, "22.11.0")) e2211 = &l.items[i];
        if (!strcmp(b, "22.0.0-rc.2")) rc = &l.items[i];
    }
    ok(e2080 && e2090 && e2210 && e2211 && rc, "test entries found");
    if (!(e2080 && e2090 && e2210 && e2211 && rc))
        return;
    is_int(spec_matches(&S, e2080, &l, &t), 0, "20.8.1 is not iron (before its LTS start)");
    is_int(spec_matches(&S, e2090, &l, &t), 1, "20.9.0 is iron");
    is_int(spec_matches(&S, e2211, &l, &t), 0, "22.11.0 is not iron");
    parse("lts/*");
    is_int(spec_matches(&S, e2210, &l, &t), 0, "22.10.0 is not LTS");
    is_int(spec_matches(&S, e2211, &l, &t), 1, "22.11.0 is lts/*");
    parse("22");
    is_int(spec_matches(&S, rc, &l, &t), 0, "partial 22 does not match 22.0.0-rc.2");
    is_int(spec_matches(&S, e2210, &l, &t), 1, "partial 22 matches 22.10.0");
    parse("latest");
    is_int(spec_matches(&S, rc, &l, &t), 0, "latest does not match a prerelease");
    is_int(spec_matches(&S, e2080, &l, &t), 1, "latest matches any release");

    /* LTS specs come from the table, not the entries' own codenames:
     * installed versions carry none. */
    vlist_t inst = {0};
    add(&inst, "22.12.0", "");
    add(&inst, "22.10.0", "");
    add(&inst, "20.18.0", "");
    add(&inst, "20.1.0", "");
    vlist_sort_desc(&inst);
    is_str(pick("lts/*", &inst, &t), "v22.12.0", "lts/* from the table: 22.12.0 (newer than the index)");
    is_str(pick("lts/jod", &inst, &t), "v22.12.0", "lts/jod from the table");
    is_str(pick("lts/-1", &inst, &t), "v20.18.0", "lts/-1 from the table");
    lts_table empty = {0};
    is_str(pick("lts/*", &inst, &empty), "(none)", "no table: lts/* matches nothing");
    is_str(pick("lts/iron", &inst, &empty), "(none)", "no table: lts/iron matches nothing");
    is_str(pick("22", &inst, &empty), "v22.12.0", "no table: partial still works");
    vlist_t none = {0};
    is_str(pick("latest", &none, &t), "(none)", "empty list: -1");
    vlist_free(&inst);
    /* The newest line not installed: lts/(star) is the newest installed LTS. */
    vlist_t older = {0};
    add(&older, "23.1.0", "");
    add(&older, "22.10.0", "");
    add(&older, "20.18.0", "");
    add(&older, "20.1.0", "");
    vlist_sort_desc(&older);
    is_str(pick("lts/*", &older, &t), "v20.18.0", "lts/* without the newest line: the newest installed LTS");
    vlist_free(&older);

    /* lts_line_of / lts_find */
    semver_t v;
    semver_parse("20.10.0", &v);
    const lts_line *ln = lts_line_of(&t, &v);
    is_str(ln ? ln->name : NULL, "iron", "lts_line_of 20.10.0 is iron");
    semver_parse("20.8.1", &v);
    ok(lts_line_of(&t, &v) == NULL, "lts_line_of 20.8.1 is none");
    semver_parse("22.12.0-rc.1", &v);
    ok(lts_line_of(&t, &v) == NULL, "lts_line_of a prerelease is none");
    ln = lts_find(&t, "JOD");
    ok(ln && ln->major == 22, "lts_find is case-insensitive");
    ok(lts_find(&t, "argon") == NULL, "lts_find unknown is NULL");

    lts_free(&t);
    vlist_free(&l);
}

static void test_vname(void)
{
    semver_t v;
    char buf[SEMVER_PRE_MAX + 64];
    semver_parse("22.11.0", &v);
    spec_vname(&v, buf, sizeof buf);
    is_str(buf, "v22.11.0", "spec_vname release");
    semver_parse("v24.0.0-rc.1+build.5", &v);
    spec_vname(&v, buf, sizeof buf);
    is_str(buf, "v24.0.0-rc.1", "spec_vname prerelease, build dropped");
}

int main(void)
{
    test_parse_versions();
    test_parse_lts();
    test_parse_keywords();
    test_parse_invalid();
    test_sort();
    test_pick();
    test_vname();
    spec_free(&S);
    return tap_done();
}
