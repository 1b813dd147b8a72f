#include "vulns.h"
#include "fsutil.h"
#include "jsondoc.h"
#include "strutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *severity_text(severity_t s)
{
    static const char *const names[] = {"unknown", "low", "medium", "high", "critical"};
    return (unsigned)s <= SEV_CRITICAL ? names[s] : "unknown";
}

static severity_t severity_of(json_t *v)
{
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    for (int i = SEV_LOW; i <= SEV_CRITICAL; i++)
        if (str_ieq(s, severity_text((severity_t)i)))
            return (severity_t)i;
    return SEV_UNKNOWN;
}

/* CVE-YYYY-NNNN...: anything else is not shown as a CVE (the text comes
 * from outside and ends up on terminals). */
static int valid_cve(const char *s)
{
    size_t n = strlen(s);
    if (n < 13 || n >= VULN_CVE_MAX || strncmp(s, "CVE-", 4) != 0 || s[8] != '-')
        return 0;
    for (size_t i = 4; i < n; i++)
        if (i != 8 && (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

static char *opt_string(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static void entry_free(vuln_entry *e)
{
    free(e->cves);
    semver_range_free(e->vulnerable);
    semver_range_free(e->patched);
    free(e->patched_text);
    free(e->description);
    free(e->ref);
    memset(e, 0, sizeof *e);
}

/* A range as the database writes it; "" (or absent) for "patched" means
 * no fix, not node-semver's "any version". */
static int range_field(json_t *obj, const char *field, int empty_is_none, semver_range_t **out)
{
    json_t *v = json_object_get(obj, field);
    *out = NULL;
    if (!v || json_is_null(v))
        return empty_is_none ? 0 : -1;
    if (!json_is_string(v) || json_string_length(v) > 4096)
        return -1;
    const char *s = json_string_value(v);
    size_t blank = strspn(s, " \t");
    if (s[blank] == '\0')
        return empty_is_none ? 0 : -1;
    *out = semver_range_parse(s);
    return *out ? 0 : -1;
}

static int parse_entry(const char *key, json_t *obj, vuln_entry *e, const char *name, char *err, size_t errlen)
{
    memset(e, 0, sizeof *e);
    if (str_copy(e->id, sizeof e->id, key) || !*key) {
        str_fmt(err, errlen, "%s: the entry id \"%.20s\" is not a short id", name, key);
        return -1;
    }
    char *end;
    errno = 0;
    e->idnum = strtoul(key, &end, 10);
    if (*end || errno || key[0] < '0' || key[0] > '9')
        e->idnum = (unsigned long)-1;
    if (!json_is_object(obj)) {
        str_fmt(err, errlen, "%s: entry \"%s\" is not an object", name, e->id);
        return -1;
    }
    if (range_field(obj, "vulnerable", 0, &e->vulnerable)) {
        str_fmt(err, errlen, "%s: entry \"%s\" has no valid \"vulnerable\" range", name, e->id);
        return -1;
    }
    if (range_field(obj, "patched", 1, &e->patched)) {
        str_fmt(err, errlen, "%s: entry \"%s\" has a \"patched\" range that is not valid", name, e->id);
        return -1;
    }
    if (e->patched && !(e->patched_text = opt_string(obj, "patched"))) {
        str_fmt(err, errlen, "%s: out of memory", name);
        return -1;
    }
    json_t *cve = json_object_get(obj, "cve");
    if (cve && !json_is_array(cve) && !json_is_null(cve)) {
        str_fmt(err, errlen, "%s: entry \"%s\" has a \"cve\" that is not a list", name, e->id);
        return -1;
    }
    size_t nc = json_is_array(cve) ? json_array_size(cve) : 0;
    if (nc > 1000) {
        str_fmt(err, errlen, "%s: entry \"%s\" lists too many CVEs", name, e->id);
        return -1;
    }
    if (nc && !(e->cves = calloc(nc, sizeof *e->cves))) {
        str_fmt(err, errlen, "%s: out of memory", name);
        return -1;
    }
    for (size_t i = 0; i < nc; i++) {
        json_t *c = json_array_get(cve, i);
        if (json_is_string(c) && valid_cve(json_string_value(c)))
            str_copy(e->cves[e->ncves++], VULN_CVE_MAX, json_string_value(c));
    }
    e->severity = severity_of(json_object_get(obj, "severity"));
    e->description = opt_string(obj, "description");
    e->ref = opt_string(obj, "ref");
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const vuln_entry *x = a, *y = b;
    if (x->idnum != y->idnum)
        return x->idnum < y->idnum ? -1 : 1;
    return strcmp(x->id, y->id);
}

int vulns_parse(const char *json, size_t len, const char *name, vulndb_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    json_t *root = jsondoc_object(json, len, name, 0, VULNS_ENTRIES_MAX,
                                  "a vulnerability database (expected an object of entries)", err, errlen);
    if (!root)
        return -1;
    size_t n = json_object_size(root);
    out->entries = calloc(n ? n : 1, sizeof *out->entries);
    if (!out->entries) {
        str_fmt(err, errlen, "%s: out of memory", name);
        json_decref(root);
        return -1;
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val) {
        if (parse_entry(key, val, &out->entries[out->n], name, err, errlen)) {
            entry_free(&out->entries[out->n]);
            json_decref(root);
            vulns_free(out);
            return -1;
        }
        out->n++;
    }
    json_decref(root);
    qsort(out->entries, out->n, sizeof *out->entries, by_id);
    return 0;
}

int vulns_parse_file(const char *path, vulndb_t *out, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = fs_read_doc(path, VULNS_MAX, &len, err, errlen);
    if (!text) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    int rc = vulns_parse(text, len, path, out, err, errlen);
    free(text);
    return rc;
}

void vulns_free(vulndb_t *db)
{
    for (size_t i = 0; i < db->n; i++)
        entry_free(&db->entries[i]);
    free(db->entries);
    db->entries = NULL;
    db->n = 0;
}

int vuln_affects(const vuln_entry *e, const semver_t *v)
{
    return semver_range_satisfies(e->vulnerable, v) && !(e->patched && semver_range_satisfies(e->patched, v));
}
