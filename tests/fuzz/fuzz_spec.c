/* libFuzzer target for version specs and node-semver ranges (src/spec.c,
 * src/semver.c): what a user types and what every version file holds.
 *
 * Each input is one spec (it is cut at the first NUL, as a C string would
 * be). Beyond "no crash", it checks what must always hold:
 *   - a version that parses formats back to text that parses to the same
 *     version, and compares equal to itself;
 *   - a range that parses is answered for a list of versions, and a range
 *     that semver_range_exact calls exact is satisfied by that version;
 *   - spec_pick returns a position in the list or -1.
 * Build and run with `make fuzz` (see the Makefile). */
#include "semver.h"
#include "spec.h"
#include "vlist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vlist_t list;
static lts_table lts;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const struct {
        const char *v, *lts;
    } rows[] = {
        {"23.1.0", NULL},        {"23.0.0", NULL},          {"22.11.0", "jod"},
        {"22.10.0", NULL},       {"20.18.0", "iron"},       {"20.17.0", "iron"},
        {"18.20.4", "hydrogen"}, {"24.0.0-rc.1", NULL},     {"0.10.48", NULL},
        {"1.2.3-alpha.1", NULL}, {"4294967295.0.0", NULL},
    };
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        semver_t v;
        if (semver_parse(rows[i].v, &v) == 0)
            vlist_add(&list, &v, rows[i].lts, i);
    }
    vlist_sort_desc(&list);
    lts_from_vlist(&list, &lts);
    return 0;
}

static void check_version(const char *s)
{
    semver_t v, w;
    char buf[SEMVER_PRE_MAX + 96];
    if (semver_parse(s, &v) != 0)
        return;
    if (semver_cmp(&v, &v) != 0)
        abort();
    int n = semver_format(&v, buf, sizeof buf);
    if (n < 0 || (size_t)n >= sizeof buf)
        abort(); /* a parsed version always fits */
    if (semver_parse(buf, &w) != 0 || semver_cmp(&v, &w) != 0 || strcmp(v.pre, w.pre) != 0)
        abort(); /* format and parse disagree */
    spec_vname(&v, buf, sizeof buf);
    if (buf[0] != 'v')
        abort();
}

static void check_range(const char *s)
{
    semver_range_t *r = semver_range_parse(s);
    if (!r)
        return;
    for (size_t i = 0; i < list.n; i++)
        (void)semver_range_satisfies(r, &list.items[i].v);
    semver_t exact;
    if (semver_range_exact(r, &exact) && !semver_range_satisfies(r, &exact))
        abort(); /* an exact range must accept its own version */
    semver_range_free(r);
}

static void check_spec(const char *s)
{
    spec_t sp;
    char err[512];
    if (spec_parse(s, &sp, err, sizeof err) != 0) {
        if (!memchr(err, '\0', sizeof err) || !err[0])
            abort(); /* a failure always says why */
        return;
    }
    long at = spec_pick(&sp, &list, &lts);
    if (at < -1 || at >= (long)list.n)
        abort();
    if (at >= 0 && !spec_matches(&sp, &list.items[at], &list, &lts))
        abort();
    spec_free(&sp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    check_version(s);
    check_range(s);
    check_spec(s);
    /* Two versions split at the first '\n' must compare antisymmetrically. */
    char *nl = strchr(s, '\n');
    if (nl) {
        semver_t a, b;
        *nl = '\0';
        if (semver_parse(s, &a) == 0 && semver_parse(nl + 1, &b) == 0) {
            int ab = semver_cmp(&a, &b), ba = semver_cmp(&b, &a);
            if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0))
                abort();
        }
    }
    free(s);
    return 0;
}
