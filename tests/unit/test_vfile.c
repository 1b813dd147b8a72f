/* Version files and the JSON reader behind package.json. */
#include "minijson.h"
#include "tap.h"
#include "vfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static vfile_result R;
static char E[256];

static int parse_n(vfile_kind k, const char *s, size_t n, unsigned flags)
{
    return vfile_parse(k, s, n, flags, &R, E, sizeof E);
}

static int parse(vfile_kind k, const char *s)
{
    return parse_n(k, s, strlen(s), 0);
}

static int parse_f(vfile_kind k, const char *s, unsigned flags)
{
    return parse_n(k, s, strlen(s), flags);
}

static int err_has(const char *needle)
{
    int yes = strstr(E, needle) != NULL;
    if (!yes)
        printf("#   error was '%s', wanted it to contain '%s'\n", E, needle);
    return yes;
}

/* ---- .nvmrc ---- */

static void test_nvmrc(void)
{
    is_int(parse(VF_NVMRC, "20\n"), VF_FOUND, "nvmrc: plain major");
    is_str(R.specs[0], "20", "nvmrc: plain major value");
    is_int(R.n, 1, "nvmrc: one spec");
    is_str(R.field, "", "nvmrc: no field");

    parse(VF_NVMRC, "v20.11.1");
    is_str(R.specs[0], "v20.11.1", "nvmrc: no final newline");

    is_int(parse(VF_NVMRC, "\xEF\xBB\xBFv20.11.1\r\n"), VF_FOUND, "nvmrc: BOM + CRLF");
    is_str(R.specs[0], "v20.11.1", "nvmrc: BOM + CRLF value");

    parse(VF_NVMRC, "lts/iron\r");
    is_str(R.specs[0], "lts/iron", "nvmrc: lone CR line end");

    parse(VF_NVMRC, "\n\n  lts/*  \t\n\n");
    is_str(R.specs[0], "lts/*", "nvmrc: blank lines and padding");

    parse(VF_NVMRC, "# pick the latest\nnode # always\n");
    is_str(R.specs[0], "node", "nvmrc: comment lines and trailing comments");

    is_int(parse(VF_NVMRC, "# project settings\r\nfoo=bar\r\nnode_options = --max-old-space-size=4096\r\n"
                           "20.11.1\r\nlts.flag-x=1\r\n"),
           VF_FOUND, "nvmrc: key=value lines are ignored");
    is_str(R.specs[0], "20.11.1", "nvmrc: the bare value among key=value lines");

    parse(VF_NVMRC, ">=18 <21\n");
    is_str(R.specs[0], ">=18 <21", "nvmrc: a range with a space is one value");
    parse(VF_NVMRC, ">=18");
    is_str(R.specs[0], ">=18", "nvmrc: >=18 is a range, not key=value");
    parse(VF_NVMRC, "=18.1.0\n");
    is_str(R.specs[0], "=18.1.0", "nvmrc: =18.1.0 is a version, not key=value");
    parse(VF_NVMRC, "<=20 || 22.x\n");
    is_str(R.specs[0], "<=20 || 22.x", "nvmrc: <= range with ||");
    is_int(parse(VF_NVMRC, "foo bar=baz\n"), VF_FOUND, "nvmrc: a key with a space is not a key");
    is_str(R.specs[0], "foo bar=baz", "nvmrc: ... so the line is the value");

    parse(VF_NVMRC, "stable\n");
    is_str(R.specs[0], "stable", "nvmrc: stable");
    parse(VF_NVMRC, "system");
    is_str(R.specs[0], "system", "nvmrc: system");
    parse(VF_NVMRC, "# версия проекта\n22\n");
    is_str(R.specs[0], "22", "nvmrc: UTF-8 in a comment");

    is_int(parse(VF_NVMRC, "18\n20\n"), VF_MALFORMED, "nvmrc: two bare lines is an error");
    ok(err_has("more than one version in the file: '18' and '20'"), "nvmrc: two bare lines message");
    is_int(R.n, 0, "nvmrc: error leaves no spec");
    is_int(parse(VF_NVMRC, "18\r\n# x\r\nlts/*"), VF_MALFORMED, "nvmrc: two bare lines around a comment");

    is_int(parse(VF_NVMRC, ""), VF_MALFORMED, "nvmrc: empty file is an error");
    ok(err_has("empty"), "nvmrc: empty file message");
    is_int(parse(VF_NVMRC, "  \n\t\r\n"), VF_MALFORMED, "nvmrc: whitespace only is an error");
    is_int(parse(VF_NVMRC, "\xEF\xBB\xBF"), VF_MALFORMED, "nvmrc: a lone BOM is empty");
    is_int(parse(VF_NVMRC, "# only a comment\n"), VF_MALFORMED, "nvmrc: comments only");
    ok(err_has("no version in the file"), "nvmrc: comments only message");
    is_int(parse(VF_NVMRC, "foo=bar\nbaz=1\n"), VF_MALFORMED, "nvmrc: key=value only");
    is_int(parse(VF_NVMRC, "node=20\n20\n"), VF_MALFORMED, "nvmrc: key 'node' is reserved (nvm)");
    ok(err_has("reserved"), "nvmrc: reserved key message");

    is_int(parse_n(VF_NVMRC, "20\0junk\n", 8, 0), VF_MALFORMED, "nvmrc: NUL byte");
    ok(err_has("binary") && err_has("line 1, column 3"), "nvmrc: NUL byte message says where");
    is_int(parse(VF_NVMRC, "\x7f" "ELF\x02\x01\x01"), VF_MALFORMED, "nvmrc: binary junk");

    char big[400];
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    is_int(parse(VF_NVMRC, big), VF_MALFORMED, "nvmrc: a 399-byte spec is too long");
    ok(err_has("too long"), "nvmrc: too long message");
    big[VFILE_SPEC_MAX - 1] = '\0';
    is_int(parse(VF_NVMRC, big), VF_FOUND, "nvmrc: a 255-byte spec fits");
    is_int((long)strlen(R.specs[0]), VFILE_SPEC_MAX - 1, "nvmrc: ... whole");
}

/* ---- .node-version ---- */

static void test_node_version(void)
{
    is_int(parse(VF_NODE_VERSION, "20.11.1\n"), VF_FOUND, "node-version: plain");
    is_str(R.specs[0], "20.11.1", "node-version: plain value");
    parse(VF_NODE_VERSION, "\xEF\xBB\xBF" "22.11.0\r\n");
    is_str(R.specs[0], "22.11.0", "node-version: BOM + CRLF");
    parse(VF_NODE_VERSION, "\n\n   v18.0.0   extra words\nv20\n");
    is_str(R.specs[0], "v18.0.0", "node-version: first word of first non-empty line");
    parse(VF_NODE_VERSION, "# the LTS we deploy\r\n  # and more\r\nlts/hydrogen");
    is_str(R.specs[0], "lts/hydrogen", "node-version: comment lines skipped, no final newline");
    parse(VF_NODE_VERSION, ">=18 <21\n");
    is_str(R.specs[0], ">=18", "node-version: only the first word");
    parse(VF_NODE_VERSION, "lts/*\r");
    is_str(R.specs[0], "lts/*", "node-version: CR line end");
    parse(VF_NODE_VERSION, "22\t# inline\n");
    is_str(R.specs[0], "22", "node-version: trailing comment after a tab");
    is_int(parse(VF_NODE_VERSION, ""), VF_MALFORMED, "node-version: empty is an error");
    is_int(parse(VF_NODE_VERSION, " \r\n \n"), VF_MALFORMED, "node-version: whitespace only");
    is_int(parse(VF_NODE_VERSION, "# nothing\n"), VF_MALFORMED, "node-version: comment only");
    is_int(parse_n(VF_NODE_VERSION, "\0\0\0\0", 4, 0), VF_MALFORMED, "node-version: NULs");
}

/* ---- .tool-versions ---- */

static void test_tool_versions(void)
{
    is_int(parse(VF_TOOL_VERSIONS, "nodejs 20.11.1\n"), VF_FOUND, "tool-versions: nodejs");
    is_str(R.specs[0], "20.11.1", "tool-versions: nodejs value");
    is_int(R.n, 1, "tool-versions: one spec");

    parse(VF_TOOL_VERSIONS, "python 3.12.1\nnodejs 20.11.1 18.19.0   system\nruby 3.3.0\n");
    is_int(R.n, 3, "tool-versions: fallbacks counted");
    is_str(R.specs[0], "20.11.1", "tool-versions: preferred first");
    is_str(R.specs[1], "18.19.0", "tool-versions: first fallback");
    is_str(R.specs[2], "system", "tool-versions: system fallback as written");

    parse(VF_TOOL_VERSIONS, "node 20\nnodejs 22\n");
    is_str(R.specs[0], "22", "tool-versions: nodejs wins over an earlier node line");
    parse(VF_TOOL_VERSIONS, "node 20 # mise alias\r\n");
    is_str(R.specs[0], "20", "tool-versions: node line, CRLF, trailing comment");
    is_int(R.n, 1, "tool-versions: comment words are not fallbacks");
    parse(VF_TOOL_VERSIONS, "#nodejs 16\n\tnode\t18.0.0\r\n");
    is_str(R.specs[0], "18.0.0", "tool-versions: commented nodejs ignored, tabs");
    parse(VF_TOOL_VERSIONS, "\xEF\xBB\xBFnodejs ref:v1.0.2");
    is_str(R.specs[0], "ref:v1.0.2", "tool-versions: BOM, ref: as written, no newline");
    parse(VF_TOOL_VERSIONS, "nodejs path:/opt/node-20\n");
    is_str(R.specs[0], "path:/opt/node-20", "tool-versions: path: as written");

    parse(VF_TOOL_VERSIONS, "nodejs 1 2 3 4 5 6 7 8 9 10\n");
    is_int(R.n, VFILE_MAX_SPECS, "tool-versions: at most VFILE_MAX_SPECS");
    is_str(R.specs[VFILE_MAX_SPECS - 1], "8", "tool-versions: the last kept");

    is_int(parse(VF_TOOL_VERSIONS, "ruby 3.3.0\npython 3.12\n"), VF_NONE, "tool-versions: no node line");
    is_int(parse(VF_TOOL_VERSIONS, "nodejs-lts 20\nnodes 18\n"), VF_NONE, "tool-versions: only exact tool names");
    is_int(parse(VF_TOOL_VERSIONS, ""), VF_NONE, "tool-versions: empty file names no node");
    is_int(parse(VF_TOOL_VERSIONS, "nodejs\n"), VF_MALFORMED, "tool-versions: nodejs without a version");
    ok(err_has("nodejs line names no version"), "tool-versions: message");
    is_int(parse(VF_TOOL_VERSIONS, "nodejs \x01\n"), VF_MALFORMED, "tool-versions: control byte");
}

/* ---- package.json ---- */

static void test_package_fields(void)
{
    const char *all3 =
        "{\"engines\":{\"node\":\">=18\"},\"volta\":{\"node\":\"20.11.1\"},"
        "\"devEngines\":{\"runtime\":{\"name\":\"node\",\"version\":\"^22\",\"onFail\":\"error\"}}}";
    is_int(parse(VF_PACKAGE_JSON, all3), VF_FOUND, "pkg: all three fields");
    is_str(R.specs[0], "^22", "pkg: devEngines wins");
    is_str(R.field, "devEngines.runtime", "pkg: field says devEngines.runtime");
    parse_f(VF_PACKAGE_JSON, all3, VF_NO_ENGINES);
    is_str(R.field, "devEngines.runtime", "pkg: VF_NO_ENGINES keeps devEngines");

    parse(VF_PACKAGE_JSON, "{\"devEngines\":{\"runtime\":[{\"name\":\"bun\",\"version\":\"1.1\"},"
                           "{\"name\":\"node\",\"version\":\">=22.0.0\"}]}}");
    is_str(R.specs[0], ">=22.0.0", "pkg: devEngines array, node entry second");
    is_str(R.field, "devEngines.runtime", "pkg: devEngines array field");

    parse(VF_PACKAGE_JSON, "{\"devEngines\":{\"runtime\":{\"name\":\"deno\",\"version\":\"2\"}},"
                           "\"engines\":{\"node\":\"18\"}}");
    is_str(R.specs[0], "18", "pkg: devEngines for another runtime is passed over");
    is_str(R.field, "engines.node", "pkg: ... engines.node decides");

    is_int(parse(VF_PACKAGE_JSON, "{\"devEngines\":{\"runtime\":[{\"name\":\"deno\"}]}}"), VF_NONE,
           "pkg: devEngines array without node");
    parse(VF_PACKAGE_JSON, "{\"devEngines\":{\"runtime\":{\"name\":\"node\"}},\"volta\":{\"node\":\"20\"}}");
    is_str(R.field, "volta.node", "pkg: devEngines node entry without version is passed over");
    parse(VF_PACKAGE_JSON, "{\"devEngines\":{\"runtime\":\"node\"},\"engines\":{\"node\":\"16\"}}");
    is_str(R.field, "engines.node", "pkg: devEngines.runtime a string is passed over");

    parse(VF_PACKAGE_JSON, "{\"name\":\"x\",\"engines\":{\"npm\":\">=9\",\"node\":\"  >=18 <21 \"}}");
    is_str(R.specs[0], ">=18 <21", "pkg: engines only, trimmed");
    is_str(R.field, "engines.node", "pkg: engines only field");

    parse(VF_PACKAGE_JSON, "{\"volta\":{\"node\":\"20.11.1\",\"npm\":\"10.2.4\"}}");
    is_str(R.specs[0], "20.11.1", "pkg: volta only");
    is_str(R.field, "volta.node", "pkg: volta only field");

    const char *ev = "{\"engines\":{\"node\":\">=18\"},\"volta\":{\"node\":\"20.11.1\"}}";
    parse(VF_PACKAGE_JSON, ev);
    is_str(R.field, "engines.node", "pkg: engines before volta");
    parse_f(VF_PACKAGE_JSON, ev, VF_NO_ENGINES);
    is_str(R.field, "volta.node", "pkg: VF_NO_ENGINES skips engines.node");
    is_int(parse_f(VF_PACKAGE_JSON, "{\"engines\":{\"node\":\"18\"}}", VF_NO_ENGINES), VF_NONE,
           "pkg: VF_NO_ENGINES with engines only");

    is_int(parse(VF_PACKAGE_JSON, "{\"name\":\"x\",\"version\":\"1.0.0\"}"), VF_NONE, "pkg: no node field");
    is_int(parse(VF_PACKAGE_JSON, "{}"), VF_NONE, "pkg: empty object");
    is_int(parse(VF_PACKAGE_JSON, "{\"engines\":{\"node\":18}}"), VF_NONE, "pkg: engines.node a number");
    parse(VF_PACKAGE_JSON, "{\"engines\":{\"node\":18},\"volta\":{\"node\":\"20\"}}");
    is_str(R.field, "volta.node", "pkg: a wrong-typed field falls through");
    is_int(parse(VF_PACKAGE_JSON, "{\"engines\":[\"node\"]}"), VF_NONE, "pkg: engines an array");
    is_int(parse(VF_PACKAGE_JSON, "{\"engines\":{\"node\":\"  \"}}"), VF_NONE, "pkg: blank engines.node");
    parse(VF_PACKAGE_JSON, "{\"engines\":{\"node\":\"16\"},\"engines\":{\"node\":\"18\"}}");
    is_str(R.specs[0], "18", "pkg: a repeated key: the last wins, as JSON.parse");
    parse(VF_PACKAGE_JSON, "{\"\\u0065ngines\":{\"n\\u006fde\":\"\\u003e=18\"}}");
    is_str(R.specs[0], ">=18", "pkg: escaped keys and value decoded");
    parse(VF_PACKAGE_JSON, "\xEF\xBB\xBF{\r\n  \"engines\": {\r\n    \"node\": \"20\"\r\n  }\r\n}\r\n");
    is_str(R.specs[0], "20", "pkg: BOM and CRLF");

    is_int(parse(VF_PACKAGE_JSON, "[{\"engines\":{\"node\":\"18\"}}]"), VF_MALFORMED,
           "pkg: top-level array is an error");
    ok(err_has("not an object"), "pkg: top-level message");
    is_int(parse(VF_PACKAGE_JSON, "{\"engines\":{\"node\":\"a\\u0000b\"}}"), VF_MALFORMED,
           "pkg: escaped NUL in the version");
    char big[600];
    int n = snprintf(big, sizeof big, "{\"engines\":{\"node\":\"");
    memset(big + n, '1', 300);
    strcpy(big + n + 300, "\"}}");
    is_int(parse(VF_PACKAGE_JSON, big), VF_MALFORMED, "pkg: 300-byte version is too long");
    ok(err_has("engines.node value is too long"), "pkg: too long message names the field");
}

static void test_package_malformed(void)
{
    static const struct {
        const char *text, *what, *name;
    } bad[] = {
        {"{\"engines\":{\"node\":\"18\",}}", "trailing comma before '}'", "trailing comma in object"},
        {"{\"a\":[1,2,]}", "trailing comma before ']'", "trailing comma in array"},
        {"{// c\n\"a\":1}", "comments are not allowed", "line comment"},
        {"{\"a\":1 /* c */}", "comments are not allowed", "block comment"},
        {"{\"engines\":{\"node\":\"18}}", "unterminated string", "unterminated string"},
        {"{\"a\":\"\\x41\"}", "invalid escape '\\x'", "bad escape"},
        {"{\"a\":\"\\u12G4\"}", "invalid \\u escape", "bad \\u escape"},
        {"{'a':1}", "double quotes", "single quotes"},
        {"{a:1}", "expected a key in double quotes", "unquoted key"},
        {"{\"a\":\"tab\there\"}", "control character 0x09", "raw tab in a string"},
        {"{\"a\":01}", "leading zeros", "leading zero"},
        {"{\"a\":+1}", "unexpected character '+'", "plus sign"},
        {"{\"a\":1.}", "digit after '.'", "1."},
        {"{\"a\":.5}", "unexpected character '.'", ".5"},
        {"{\"a\":1e}", "exponent", "1e"},
        {"{\"a\":NaN}", "unexpected character 'N'", "NaN"},
        {"{\"a\":tru}", "expected 'true'", "truncated literal"},
        {"{\"a\" 1}", "expected ':'", "missing colon"},
        {"{\"a\":1 \"b\":2}", "expected ',' or '}'", "missing comma"},
        {"{\"a\":1}}", "after the top-level value", "data after the value"},
        {"{\"a\":1}\n// trailing\n", "comments are not allowed", "comment after the value"},
        {"{\"a\":1", "unexpected end of input", "unclosed object"},
        {"", "unexpected end of input", "empty file"},
        {"   \n", "unexpected end of input", "whitespace only"},
        {"{\"a\":[1,2}", "expected ',' or ']'", "mismatched bracket"},
        {"{,}", "expected a key", "lone comma"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r = parse(VF_PACKAGE_JSON, bad[i].text);
        ok(r == VF_MALFORMED && strncmp(E, "invalid JSON at line ", 21) == 0 && err_has(bad[i].what),
           "pkg malformed: %s", bad[i].name);
    }

    parse(VF_PACKAGE_JSON, "{\n  \"engines\": {\n    \"node\": \"18\",\n  }\n}\n");
    is_str(E, "invalid JSON at line 4, column 3: trailing comma before '}'", "pkg: line and column");
    parse(VF_PACKAGE_JSON, "{\r\n\"é\": 1, x}");
    is_str(E, "invalid JSON at line 2, column 9: expected a key in double quotes",
           "pkg: CRLF is one line; UTF-8 counts one column");
    is_int(parse_n(VF_PACKAGE_JSON, "{\"a\":\"\0\"}", 8, 0), VF_MALFORMED, "pkg: NUL in the file");
    ok(err_has("binary"), "pkg: NUL message");

    size_t deep = 100000;
    char *s = malloc(deep + 1);
    memset(s, '[', deep);
    s[deep] = '\0';
    is_int(parse(VF_PACKAGE_JSON, s), VF_MALFORMED, "pkg: 100000 '[' does not crash");
    ok(err_has("nesting deeper than 512"), "pkg: nesting message");
    for (size_t i = 0; i + 5 <= deep; i += 5)
        memcpy(s + i, "{\"a\":", 5);
    is_int(parse(VF_PACKAGE_JSON, s), VF_MALFORMED, "pkg: 20000 nested objects do not crash");
    free(s);
}

/* ---- minijson itself ---- */

static void test_minijson(void)
{
    mj_doc d;
    mj_error e;
    const char *t = "{\"a\":[1,-0.5e+3,true,false,null,{\"b\":\"c\"}],\"s\":\"\\ud83d\\ude00\\ud800x\\/\\n\"}";
    is_int(mj_parse(&d, t, strlen(t), &e), 0, "mj: parses");
    is_int(mj_type(&d, 0), MJ_OBJECT, "mj: top is an object");
    is_int(mj_count(&d, 0), 2, "mj: two members");
    uint32_t a = mj_get(&d, 0, "a");
    is_int(mj_type(&d, a), MJ_ARRAY, "mj: a is an array");
    is_int(mj_count(&d, a), 6, "mj: six elements");
    static const mj_type_t want[] = {MJ_NUMBER, MJ_NUMBER, MJ_TRUE, MJ_FALSE, MJ_NULL, MJ_OBJECT};
    int same = 1;
    uint32_t el = mj_first(&d, a);
    for (uint32_t k = 0; k < mj_count(&d, a); k++, el = mj_next(&d, el))
        same &= mj_type(&d, el) == want[k];
    ok(same, "mj: iteration sees every element's type in order");
    char buf[64];
    mj_str_copy(&d, mj_get(&d, mj_get(&d, a + 0, "x"), "y"), buf, sizeof buf);
    is_str(buf, "", "mj: chained misses give an empty copy");
    is_int(mj_get(&d, mj_get(&d, 0, "missing"), "b"), MJ_NONE, "mj: lookups chain through MJ_NONE");
    uint32_t s = mj_get(&d, 0, "s");
    size_t n = mj_str_copy(&d, s, buf, sizeof buf);
    is_str(buf, "\xF0\x9F\x98\x80\xEF\xBF\xBDx/\n", "mj: surrogate pair, lone surrogate, escapes");
    is_int(n, 10, "mj: decoded length");
    is_int(mj_str_copy(&d, s, buf, 3), 10, "mj: truncated copy still reports the full length");
    is_int(strlen(buf), 2, "mj: truncated copy is terminated");
    ok(mj_str_eq(&d, s, "\xF0\x9F\x98\x80\xEF\xBF\xBDx/\n"), "mj: str_eq decodes");
    ok(!mj_str_eq(&d, s, "\xF0\x9F\x98\x80"), "mj: str_eq wants the whole string");
    mj_free(&d);
    mj_free(&d);
    ok(d.tok == NULL, "mj: double free is safe");

    char deep[1100];
    memset(deep, '[', 512);
    memset(deep + 512, ']', 512);
    is_int(mj_parse(&d, deep, 1024, &e), 0, "mj: 512 levels is the limit, accepted");
    mj_free(&d);
    memset(deep, '[', 513);
    memset(deep + 513, ']', 513);
    is_int(mj_parse(&d, deep, 1026, &e), -1, "mj: 513 levels refused");
    is_int(mj_parse(&d, "  42 ", 5, &e), 0, "mj: a scalar top value is JSON");
    is_int(mj_type(&d, 0), MJ_NUMBER, "mj: ... a number");
    mj_free(&d);
    is_int(mj_parse(&d, NULL, 0, &e), -1, "mj: no text is an error, not a crash");
}

/* ---- files ---- */

static char dir[200];

static void path_of(char *p, size_t n, const char *name)
{
    snprintf(p, n, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *data, size_t len)
{
    char p[512];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        printf("Bail out! cannot write %s: %s\n", p, strerror(errno));
        exit(1);
    }
}

static int read_k(const char *name, vfile_kind k)
{
    char p[512];
    path_of(p, sizeof p, name);
    return vfile_read(p, k, 0, &R, E, sizeof E);
}

static void test_files(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/test_vfile.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        printf("Bail out! mkdtemp: %s\n", strerror(errno));
        exit(1);
    }
    char p[512];

    is_int(read_k(".nvmrc", VF_NVMRC), VF_NONE, "read: missing file");
    is_int(read_k("nofile/.nvmrc", VF_NVMRC), VF_NONE, "read: missing directory");

    write_file(".nvmrc", "v20.11.1\r\n", 10);
    is_int(read_k(".nvmrc", VF_NVMRC), VF_FOUND, "read: .nvmrc");
    is_str(R.specs[0], "v20.11.1", "read: .nvmrc value");
    is_int(read_k(".nvmrc/x", VF_NVMRC), VF_NONE, "read: a path through a file");

    path_of(p, sizeof p, "sub");
    mkdir(p, 0700);
    path_of(p, sizeof p, "sub/.nvmrc");
    mkdir(p, 0700);
    is_int(read_k("sub/.nvmrc", VF_NVMRC), VF_NONE, "read: a directory named .nvmrc");

    path_of(p, sizeof p, "fifo");
    if (mkfifo(p, 0600) == 0)
        is_int(read_k("fifo", VF_NODE_VERSION), VF_MALFORMED, "read: a FIFO does not block and is reported");
    else
        ok(1, "# SKIP mkfifo: %s", strerror(errno));

    char target[512];
    path_of(target, sizeof target, "nowhere");
    path_of(p, sizeof p, "dangling");
    if (symlink(target, p) == 0)
        is_int(read_k("dangling", VF_NVMRC), VF_NONE, "read: a dangling symlink");
    else
        ok(1, "# SKIP symlink: %s", strerror(errno));

    write_file("empty", "", 0);
    is_int(read_k("empty", VF_NVMRC), VF_MALFORMED, "read: empty .nvmrc is an error");

    size_t big = VFILE_TEXT_CAP + 4096;
    char *junk = malloc(big);
    memset(junk, '#', big);
    memcpy(junk, "20\n", 3);
    write_file("huge", junk, big);
    is_int(read_k("huge", VF_NVMRC), VF_MALFORMED, "read: a file over the cap");
    ok(err_has("too large") && err_has("bytes"), "read: over the cap message");
    write_file("atcap", junk, VFILE_TEXT_CAP);
    is_int(read_k("atcap", VF_NVMRC), VF_FOUND, "read: a file exactly at the cap is read");
    free(junk);

    /* A package.json near 1 MiB with the field at the very end. */
    size_t pj = 1u << 20, used = 0;
    char *pkg = malloc(pj + 64);
    used += (size_t)sprintf(pkg, "{\"pad\":[");
    while (used < pj - 40)
        used += (size_t)sprintf(pkg + used, "\"abcdefgh\",");
    used += (size_t)sprintf(pkg + used, "0],\"engines\":{\"node\":\"^20.11\"}}");
    write_file("package.json", pkg, used);
    is_int(read_k("package.json", VF_PACKAGE_JSON), VF_FOUND, "read: 1 MiB package.json");
    is_str(R.specs[0], "^20.11", "read: 1 MiB package.json value");
    free(pkg);

    path_of(p, sizeof p, "huge.json");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int sized = fd >= 0 && ftruncate(fd, (off_t)VFILE_JSON_CAP + 1) == 0;
    if (fd >= 0)
        close(fd);
    ok(sized, "read: made a sparse file one byte over the package.json cap");
    is_int(read_k("huge.json", VF_PACKAGE_JSON), VF_MALFORMED, "read: package.json over the cap");
    ok(err_has("too large"), "read: package.json over the cap message");

    /* /proc files say st_size 0 but have content: the size is only a hint. */
    if (access("/proc/self/comm", R_OK) == 0) {
        is_int(vfile_read("/proc/self/comm", VF_NODE_VERSION, 0, &R, E, sizeof E), VF_FOUND,
               "read: a file whose st_size is 0 is still read");
        ok(R.specs[0][0] != '\0', "read: ... and has content");
    } else {
        ok(1, "# SKIP no /proc");
        ok(1, "# SKIP no /proc");
    }

    static const char *const names[] = {".nvmrc", "nofile", ".nvmrc", "empty", "huge", "atcap",
                                        "package.json", "huge.json", "fifo", "dangling"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        path_of(p, sizeof p, names[i]);
        unlink(p);
    }
    path_of(p, sizeof p, "sub/.nvmrc");
    rmdir(p);
    path_of(p, sizeof p, "sub");
    rmdir(p);
    ok(rmdir(dir) == 0, "read: temp dir cleaned up");
}

int main(void)
{
    is_str(vfile_names[VF_NODE_VERSION], ".node-version", "names: .node-version first");
    is_str(vfile_names[VF_NVMRC], ".nvmrc", "names: .nvmrc second");
    is_str(vfile_names[VF_TOOL_VERSIONS], ".tool-versions", "names: .tool-versions third");
    is_str(vfile_names[VF_PACKAGE_JSON], "package.json", "names: package.json last");
    test_nvmrc();
    test_node_version();
    test_tool_versions();
    test_package_fields();
    test_package_malformed();
    test_minijson();
    test_files();
    return tap_done();
}
