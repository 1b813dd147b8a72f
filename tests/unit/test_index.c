/* The release index: the real snapshot (index.tab, turned into index.json
 * text here), the setup-node subset, malformed input, the LTS table and
 * its file, platforms. */
#include "index.h"
#include "spec.h"
#include "tap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

static char E[512];

static int err_has(const char *needle)
{
    int yes = strstr(E, needle) != NULL;
    if (!yes)
        printf("#   error was '%s', wanted it to contain '%s'\n", E, needle);
    return yes;
}

/* ---- a growing text buffer ---- */

typedef struct {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns)
            abort();
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

/* A JSON string literal for s[0..n). */
static void sb_jstr(sbuf *b, const char *s, size_t n)
{
    sb_putn(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            sb_putn(b, "\\", 1);
        sb_putn(b, s + i, 1);
    }
    sb_putn(b, "\"", 1);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sbuf b = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_putn(&b, chunk, got);
    fclose(f);
    *len = b.len;
    return b.s;
}

static const char *fixture(const char *name)
{
    static char buf[4096];
    const char *dir = getenv("NODUS_FIXTURES");
    snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "tests/fixtures", name);
    return buf;
}

/* index.tab -> index.json. Columns: version date files npm v8 uv zlib
 * openssl modules lts security. "-" is an absent field, except that lts
 * and security become false; files is a comma-separated list. */
static char *tab_to_json(const char *tab, size_t len, size_t *rows)
{
    enum { NCOL = 11 };
    static const char *const cols[NCOL] = {"version", "date", "files", "npm", "v8", "uv",
                                           "zlib", "openssl", "modules", "lts", "security"};
    sbuf b = {0};
    sb_puts(&b, "[");
    *rows = 0;
    int header = 1;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(tab + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - tab) : len;
        const char *line = tab + pos;
        size_t ll = end - pos;
        pos = end + 1;
        if (ll == 0)
            continue;
        if (header) {
            header = 0;
            continue;
        }
        const char *f[NCOL];
        size_t fl[NCOL];
        size_t nf = 0;
        for (size_t i = 0, start = 0; i <= ll && nf < NCOL; i++) {
            if (i == ll || line[i] == '\t') {
                f[nf] = line + start;
                fl[nf++] = i - start;
                start = i + 1;
            }
        }
        if (nf != NCOL)
            return NULL;
        sb_puts(&b, *rows ? ",\n{" : "\n{");
        int first = 1;
        for (size_t c = 0; c < NCOL; c++) {
            int dash = fl[c] == 1 && f[c][0] == '-';
            if (dash && c != 9 && c != 10)
                continue;
            if (!first)
                sb_puts(&b, ",");
            first = 0;
            sb_jstr(&b, cols[c], strlen(cols[c]));
            sb_puts(&b, ":");
            if (c == 2) {
                sb_puts(&b, "[");
                for (size_t i = 0, start = 0; i <= fl[c]; i++) {
                    if (i == fl[c] || f[c][i] == ',') {
                        if (start)
                            sb_puts(&b, ",");
                        sb_jstr(&b, f[c] + start, i - start);
                        start = i + 1;
                    }
                }
                sb_puts(&b, "]");
            } else if (c == 9 || c == 10) {
                if (dash)
                    sb_puts(&b, "false");
                else if (c == 10)
                    sb_puts(&b, fl[c] == 4 && !memcmp(f[c], "true", 4) ? "true" : "false");
                else
                    sb_jstr(&b, f[c], fl[c]);
            } else {
                sb_jstr(&b, f[c], fl[c]);
            }
        }
        sb_puts(&b, "}");
        (*rows)++;
    }
    sb_puts(&b, "\n]\n");
    return b.s;
}

static const index_entry *find(const release_index *ix, const char *version)
{
    for (size_t i = 0; i < ix->n; i++)
        if (strcmp(ix->entries[i].version, version) == 0)
            return &ix->entries[i];
    return NULL;
}

static int has_file(const index_entry *e, const char *name)
{
    for (size_t i = 0; i < e->nfiles; i++)
        if (strcmp(e->files[i], name) == 0)
            return 1;
    return 0;
}

static const char *first_of(const lts_line *l)
{
    static char buf[SEMVER_PRE_MAX + 64];
    semver_format(&l->first, buf, sizeof buf);
    return buf;
}

static const char *top_version(const release_index *ix, size_t pos)
{
    if (pos >= ix->list.n)
        return "(none)";
    return ix->entries[ix->list.items[pos].index].version;
}

static const char *pick(const release_index *ix, const char *text)
{
    spec_t s;
    char err[256];
    if (spec_parse(text, &s, err, sizeof err))
        return "(parse error)";
    long i = spec_pick(&s, &ix->list, &ix->lts);
    spec_free(&s);
    return i < 0 ? "(none)" : ix->entries[ix->list.items[i].index].version;
}

static void test_snapshot(release_index *ix)
{
    size_t len, rows = 0;
    char *tab = read_all(fixture("nodejs-dist-index.tab"), &len);
    ok(tab != NULL, "read index.tab");
    if (!tab)
        return;
    char *json = tab_to_json(tab, len, &rows);
    free(tab);
    ok(json != NULL, "index.tab converted to JSON");
    if (!json)
        return;
    is_int(rows, 759, "759 rows in index.tab");
    E[0] = '\0';
    int r = index_parse(json, strlen(json), ix, E, sizeof E);
    free(json);
    is_int(r, 0, "the snapshot parses");
    if (r) {
        printf("#   %s\n", E);
        return;
    }
    is_int(ix->n, 759, "759 entries");
    is_int(ix->list.n, 759, "759 entries in the sorted list");
    is_str(top_version(ix, 0), "v23.1.0", "newest is v23.1.0");
    is_str(top_version(ix, 1), "v23.0.0", "then v23.0.0");
    is_str(top_version(ix, 2), "v22.11.0", "then v22.11.0");
    is_str(top_version(ix, ix->list.n - 1), "v0.1.14", "oldest is v0.1.14");
    is_str(ix->entries[0].version, "v23.1.0", "entries keep the file's order");

    int sorted = 1;
    for (size_t i = 1; i < ix->list.n; i++)
        if (semver_cmp(&ix->list.items[i - 1].v, &ix->list.items[i].v) <= 0)
            sorted = 0;
    ok(sorted, "list strictly newest first");

    const index_entry *e = find(ix, "v22.11.0");
    ok(e != NULL, "v22.11.0 present");
    if (e) {
        is_str(e->lts, "Jod", "v22.11.0 lts Jod");
        is_str(e->date, "2024-10-29", "v22.11.0 date");
        is_str(e->npm, "10.9.0", "v22.11.0 npm");
        is_str(e->v8, "12.4.254.21", "v22.11.0 v8");
        is_str(e->uv, "1.48.0", "v22.11.0 uv");
        is_str(e->zlib, "1.3.0.1-motley", "v22.11.0 zlib");
        is_str(e->openssl, "3.0.15+quic", "v22.11.0 openssl");
        is_str(e->modules, "127", "v22.11.0 modules");
        is_int(e->security, 0, "v22.11.0 not a security release");
        is_int(e->nfiles, 21, "v22.11.0 lists 21 files");
        ok(has_file(e, "linux-x64"), "v22.11.0 files include linux-x64");
        ok(has_file(e, "win-x86-zip"), "v22.11.0 files include the last one, win-x86-zip");
        ok(e->files[e->nfiles] == NULL, "files is NULL-terminated");
        is_int(e->v.major, 22, "parsed version major");
        is_int(e->v.minor, 11, "parsed version minor");
        is_int(index_has_platform(e, "linux-x64"), 1, "v22.11.0 has linux-x64");
        is_int(index_has_platform(e, "linux-arm64"), 1, "v22.11.0 has linux-arm64");
        is_int(index_has_platform(e, "darwin-arm64"), 1, "darwin-arm64 -> osx-arm64-tar");
        is_int(index_has_platform(e, "darwin-x64"), 1, "darwin-x64 -> osx-x64-tar");
        is_int(index_has_platform(e, "linux-riscv64"), 0, "no linux-riscv64");
        is_int(index_has_platform(e, "linux"), 0, "a prefix is not a platform");
        is_int(index_has_platform(e, "osx-arm64"), 0, "osx-arm64 alone is not listed");
    }
    e = find(ix, "v23.1.0");
    ok(e && e->lts == NULL, "v23.1.0 is not LTS (lts false -> NULL)");
    ok(e && !has_file(e, "win-x86-zip"), "v23.1.0 has no 32-bit windows build");

    e = find(ix, "v0.1.14");
    ok(e != NULL, "v0.1.14 present");
    if (e) {
        is_str(e->date, "2011-08-26", "v0.1.14 date");
        ok(e->npm == NULL, "v0.1.14 has no npm");
        ok(e->uv == NULL && e->openssl == NULL && e->modules == NULL, "v0.1.14 absent fields are NULL");
        is_str(e->v8, "1.3.15.0", "v0.1.14 v8");
        is_int(e->nfiles, 1, "v0.1.14 lists one file");
        is_str(e->files[0], "src", "v0.1.14 file is src");
        is_int(index_has_platform(e, "linux-x64"), 0, "v0.1.14 has no linux-x64");
    }
    e = find(ix, "v0.6.21");
    ok(e && index_has_platform(e, "darwin-x64") == 0, "v0.6.21 has osx-x64-pkg only: no darwin-x64 tarball");
    e = find(ix, "v0.12.18");
    ok(e && index_has_platform(e, "darwin-x64") == 1, "v0.12.18 has osx-x64-tar");
    e = find(ix, "v22.4.1");
    ok(e && e->security == 1, "v22.4.1 is a security release");

    size_t nlts = 0, nsec = 0, nnpm = 0;
    for (size_t i = 0; i < ix->n; i++) {
        nlts += ix->entries[i].lts != NULL;
        nsec += ix->entries[i].security != 0;
        nnpm += ix->entries[i].npm == NULL;
    }
    is_int(nlts, 234, "234 LTS releases");
    is_int(nsec, 116, "116 security releases");
    is_int(nnpm, 78, "78 releases without npm");

    static const struct {
        const char *name;
        unsigned long major;
        const char *first;
    } want[] = {{"jod", 22, "22.11.0"},      {"iron", 20, "20.9.0"},   {"hydrogen", 18, "18.12.0"},
                {"gallium", 16, "16.13.0"},  {"fermium", 14, "14.15.0"}, {"erbium", 12, "12.13.0"},
                {"dubnium", 10, "10.13.0"},  {"carbon", 8, "8.9.0"},    {"boron", 6, "6.9.0"},
                {"argon", 4, "4.2.0"}};
    is_int(ix->lts.n, 10, "ten LTS lines");
    for (size_t i = 0; i < 10 && i < ix->lts.n; i++) {
        const lts_line *l = &ix->lts.lines[i];
        ok(strcmp(l->name, want[i].name) == 0 && l->major == want[i].major && strcmp(first_of(l), want[i].first) == 0,
           "lts line %zu: %s %lu %s (got %s %lu %s)", i, want[i].name, want[i].major, want[i].first, l->name, l->major,
           first_of(l));
    }

    is_str(pick(ix, "lts/*"), "v22.11.0", "index: lts/* is v22.11.0");
    is_str(pick(ix, "lts/-1"), "v20.18.0", "index: lts/-1 is v20.18.0");
    is_str(pick(ix, "lts/argon"), "v4.9.1", "index: lts/argon is v4.9.1");
    is_str(pick(ix, "lts/Hydrogen"), "v18.20.4", "index: lts/Hydrogen is v18.20.4");
    is_str(pick(ix, "latest"), "v23.1.0", "index: latest");
    is_str(pick(ix, "20.8"), "v20.8.1", "index: 20.8 (pre-LTS iron)");
    is_str(pick(ix, "0.10"), "v0.10.48", "index: 0.10");
    is_str(pick(ix, "lts/krypton"), "(none)", "index: unknown codename");
}

static void test_lts_file(const release_index *ix)
{
    char *text = lts_format(&ix->lts);
    ok(text != NULL, "lts_format");
    if (!text)
        return;
    ok(strncmp(text, "jod 22 22.11.0\niron 20 20.9.0\n", 30) == 0, "lts_format starts with jod then iron");
    ok(strstr(text, "\nargon 4 4.2.0\n") != NULL, "lts_format ends with argon");
    char path[] = "/tmp/nodus-test-lts-XXXXXX";
    int fd = mkstemp(path);
    ok(fd >= 0, "temp file");
    if (fd < 0) {
        free(text);
        return;
    }
    ssize_t w = write(fd, text, strlen(text));
    close(fd);
    is_int(w, (long)strlen(text), "wrote lts file");
    lts_table t;
    is_int(lts_load(path, &t), 0, "lts_load");
    is_int(t.n, ix->lts.n, "round trip keeps every line");
    int same = t.n == ix->lts.n;
    for (size_t i = 0; same && i < t.n; i++)
        same = strcmp(t.lines[i].name, ix->lts.lines[i].name) == 0 && t.lines[i].major == ix->lts.lines[i].major &&
               semver_cmp(&t.lines[i].first, &ix->lts.lines[i].first) == 0;
    ok(same, "round trip keeps names, majors and first versions in order");
    lts_free(&t);
    free(text);

    /* Junk lines are skipped; names are lower-cased. */
    FILE *f = fopen(path, "w");
    fputs("Jod 22 22.11.0\ngarbage\niron x 20.9.0\n\nhydrogen 18 not-a-version\nIRON 20 v20.9.0\n", f);
    fclose(f);
    is_int(lts_load(path, &t), 0, "lts_load with junk");
    is_int(t.n, 2, "junk lines skipped");
    if (t.n == 2) {
        is_str(t.lines[0].name, "jod", "name lower-cased");
        is_str(t.lines[1].name, "iron", "second line iron");
        is_str(first_of(&t.lines[1]), "20.9.0", "v-prefixed first version accepted");
    }
    lts_free(&t);
    unlink(path);
    is_int(lts_load(path, &t), 0, "a missing lts file is an empty table");
    is_int(t.n, 0, "missing lts file: no lines");
    lts_free(&t);

    lts_table empty = {0};
    text = lts_format(&empty);
    is_str(text, "", "an empty table formats as empty text");
    free(text);
}

static void test_subset(void)
{
    size_t len;
    char *json = read_all(fixture("nodejs-dist-index.setup-node-subset.json"), &len);
    ok(json != NULL, "read the setup-node subset");
    if (!json)
        return;
    release_index ix;
    E[0] = '\0';
    int r = index_parse(json, len, &ix, E, sizeof E);
    free(json);
    is_int(r, 0, "the subset parses");
    if (r)
        return;
    is_int(ix.n, 23, "23 entries");
    is_str(top_version(&ix, 0), "v14.1.0", "subset newest v14.1.0");
    is_str(top_version(&ix, 22), "v0.12.17", "subset oldest v0.12.17");
    const index_entry *e = find(&ix, "v14.1.0");
    ok(e && e->lts == NULL && e->security == 0, "v14.1.0: lts false, security false");
    e = find(&ix, "v8.17.0");
    ok(e && e->security == 1, "v8.17.0: security true");
    is_str(e ? e->lts : NULL, "Carbon", "v8.17.0: lts Carbon");
    e = find(&ix, "v0.12.17");
    ok(e && e->security == 1 && e->lts == NULL, "v0.12.17: security true, not LTS");
    is_str(e ? e->npm : NULL, "2.15.1", "v0.12.17 npm");
    size_t nsec = 0;
    for (size_t i = 0; i < ix.n; i++)
        nsec += ix.entries[i].security;
    is_int(nsec, 5, "five security releases in the subset");
    is_int(ix.lts.n, 5, "five LTS lines in the subset");
    const lts_line *l = lts_find(&ix.lts, "erbium");
    ok(l && l->major == 12 && strcmp(first_of(l), "12.16.2") == 0, "subset erbium first is its oldest listed, 12.16.2");
    is_str(ix.lts.n ? ix.lts.lines[0].name : NULL, "erbium", "subset newest line erbium");
    is_str(ix.lts.n ? ix.lts.lines[ix.lts.n - 1].name : NULL, "argon", "subset oldest line argon");
    index_free(&ix);
    ok(ix.entries == NULL && ix.n == 0 && ix.list.n == 0 && ix.lts.n == 0, "index_free clears everything");
}

static int parse_str(const char *json, release_index *ix)
{
    E[0] = '\0';
    return index_parse(json, strlen(json), ix, E, sizeof E);
}

static void test_fields(void)
{
    release_index ix;
    int r = parse_str("[{\"version\":\"v1.2.3\"}]", &ix);
    is_int(r, 0, "an entry with only a version");
    if (r == 0) {
        const index_entry *e = &ix.entries[0];
        ok(e->date == NULL && e->files == NULL && e->nfiles == 0 && e->npm == NULL && e->v8 == NULL &&
               e->uv == NULL && e->zlib == NULL && e->openssl == NULL && e->modules == NULL && e->lts == NULL &&
               e->security == 0,
           "every other field absent");
        is_int(index_has_platform(e, "linux-x64"), 0, "no files: no platform");
        is_int(ix.lts.n, 0, "no LTS lines");
        index_free(&ix);
    }

    r = parse_str("[{\"version\":\"v1.2.3\",\"date\":null,\"files\":null,\"npm\":null,\"v8\":null,\"uv\":null,"
                  "\"zlib\":null,\"openssl\":null,\"modules\":null,\"lts\":null,\"security\":null}]",
                  &ix);
    is_int(r, 0, "every field null");
    if (r == 0) {
        const index_entry *e = &ix.entries[0];
        ok(e->date == NULL && e->nfiles == 0 && e->npm == NULL && e->lts == NULL && e->security == 0,
           "null fields read as absent");
        is_str(e->version, "v1.2.3", "version kept");
        index_free(&ix);
    }

    r = parse_str("[{\"version\":\"v2.0.0\",\"files\":[\"linux-x64\",5,null,\"src\"],\"lts\":\"Test\","
                  "\"security\":true,\"extra\":{\"a\":[1]}},{\"version\":\"1.0.0\",\"lts\":false}]",
                  &ix);
    is_int(r, 0, "non-string files skipped, unknown keys ignored, version without v");
    if (r == 0) {
        is_int(ix.entries[0].nfiles, 2, "two string files kept");
        is_str(ix.entries[0].files[1], "src", "second file src");
        is_str(ix.entries[0].lts, "Test", "lts codename as written");
        is_int(ix.entries[0].security, 1, "security true");
        is_str(ix.lts.n ? ix.lts.lines[0].name : NULL, "test", "lts line from a lone entry, lower case");
        is_str(top_version(&ix, 1), "1.0.0", "version without v listed as written");
        index_free(&ix);
    }

    r = parse_str("[]", &ix);
    ok(r == 0 && ix.n == 0 && ix.list.n == 0, "an empty list parses to no entries");
    if (r == 0)
        index_free(&ix);
}

static void test_errors(void)
{
    release_index ix;
    ok(parse_str("[{\"version\":\"v1.0.0\"", &ix) == -1 && err_has("invalid JSON"), "truncated JSON");
    ok(ix.entries == NULL && ix.n == 0, "nothing left after an error");
    ok(parse_str("", &ix) == -1 && err_has("invalid JSON"), "empty text");
    ok(parse_str("[{\"version\":\"v1.0.0\",}]", &ix) == -1 && err_has("line 1"), "trailing comma, with a position");
    ok(parse_str("{\"version\":\"v1.0.0\"}", &ix) == -1 && err_has("expected a list of releases"), "an object");
    ok(parse_str("\"v1.0.0\"", &ix) == -1 && E[0] != '\0', "a bare string: an error with a message");
    ok(parse_str("[{\"version\":\"v1.0.0\"},7]", &ix) == -1 && err_has("entry 2 is not an object"),
       "a number in the list");
    ok(parse_str("[{\"date\":\"2024-01-01\"}]", &ix) == -1 && err_has("entry 1 has no valid \"version\""),
       "an entry without version");
    ok(parse_str("[{\"version\":\"v1.0.0\"},{\"version\":\"banana\"}]", &ix) == -1 &&
           err_has("entry 2 has no valid \"version\""),
       "a bad version");
    ok(parse_str("[{\"version\":\"v1.0\"}]", &ix) == -1 && err_has("entry 1 has no valid"), "a partial version");
    ok(parse_str("[{\"version\":22}]", &ix) == -1 && err_has("entry 1 has no valid"), "a numeric version");
    ok(parse_str("[{\"version\":null}]", &ix) == -1 && err_has("entry 1 has no valid"), "a null version");
    ok(parse_str("[{\"version\":\"v1.0.0\",\"npm\":\"1\"},{\"version\":\"v1.0.1\",\"version\":\"v2.0.0\"}]", &ix) ==
           -1 && err_has("invalid JSON"),
       "a duplicate key");
    ok(parse_str("[{\"version\":\"v1.0.0\"}] x", &ix) == -1 && err_has("invalid JSON"), "trailing garbage");
    ok(parse_str("[{\"version\":\"v1.0.0\",\"files\":[\"a\",\"b\",\"c\",\"d\"],\"files\":[]}]", &ix) == -1 &&
           err_has("\"files\" twice"),
       "a repeated files list, the longer first");
    ok(parse_str("[{\"version\":\"v1.0.0\",\"date\":\"a\\u0000b\"}]", &ix) == -1 && err_has("a NUL or invalid UTF-8"),
       "an escaped NUL in a field");
    ok(parse_str("[{\"version\":\"v1.0.0\",\"date\":\"\xff\"}]", &ix) == -1 && err_has("a NUL or invalid UTF-8"),
       "invalid UTF-8 in a field");
    ok(parse_str("[{\"version\":\"v1.0.0\",\"date\":\"\\u001b]0;X\\u0007\"}]", &ix) == 0 &&
           strcmp(ix.entries[0].date, "\x1b]0;X\x07") == 0,
       "control characters are kept (they are made visible when shown)");
    index_free(&ix);
    static const char nul[] = "[{\"version\":\"v1.0.0\"}]\0junk";
    ok(index_parse(nul, sizeof nul - 1, &ix, E, sizeof E) == -1, "a NUL byte after the list");

    ok(index_parse_file("/nonexistent/nodus/index.json", &ix) == -1, "index_parse_file: missing file");
    is_int(index_parse_file(fixture("nodejs-dist-index.setup-node-subset.json"), &ix), 0, "index_parse_file: subset");
    is_int(ix.n, 23, "index_parse_file: 23 entries");
    index_free(&ix);
}

int main(void)
{
    release_index ix;
    memset(&ix, 0, sizeof ix);
    test_snapshot(&ix);
    test_lts_file(&ix);
    index_free(&ix);
    test_subset();
    test_fields();
    test_errors();
    return tap_done();
}
