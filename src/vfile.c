/* Version files, read the way the tools that wrote them read them. See
 * vfile.h for the rules per kind. libc only: linked into the shim. */
#include "vfile.h"

#include "minijson.h"
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const vfile_names[VF_COUNT] = {
    ".node-version", ".nvmrc", ".tool-versions", "package.json",
};

/* Values quoted back in messages are cut here so one absurd line cannot
 * drown the message (or be cut mid-quote by a small err buffer). */
#define QUOTE_MAX 60

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return VF_MALFORMED;
}

static void result_init(vfile_result *out)
{
    out->n = 0;
    out->specs[0][0] = '\0';
    out->field[0] = '\0';
}

/* ---- text helpers: spans into the caller's buffer, never copied ---- */

typedef struct {
    const char *s;
    size_t n;
} span;

/* [[:space:]] as nvm's sed and asdf's shell see it. */
static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static span trim(span t)
{
    while (t.n && is_space((unsigned char)t.s[0])) {
        t.s++;
        t.n--;
    }
    while (t.n && is_space((unsigned char)t.s[t.n - 1]))
        t.n--;
    return t;
}

static int span_is(span t, const char *word)
{
    size_t n = strlen(word);
    return t.n == n && memcmp(t.s, word, n) == 0;
}

/* Next line of [*p, end): LF, CRLF and a lone CR (old Mac editors) all end
 * a line, and a last line without a newline still counts. */
static int next_line(const char **p, const char *end, span *line)
{
    const char *s = *p;
    if (s >= end)
        return 0;
    const char *e = s;
    while (e < end && *e != '\n' && *e != '\r')
        e++;
    line->s = s;
    line->n = (size_t)(e - s);
    if (e < end && *e == '\r')
        e++;
    if (e < end && *e == '\n' && (e == s + line->n || e[-1] == '\r'))
        e++;
    *p = e;
    return 1;
}

/* Everything from the first '#' on is a comment, anywhere on the line: nvm
 * deletes it with sed before looking at the line, and asdf does the same. */
static span strip_comment(span t)
{
    const char *h = memchr(t.s, '#', t.n);
    if (h)
        t.n = (size_t)(h - t.s);
    return t;
}

/* First whitespace-delimited word of t (t already trimmed on the left);
 * *rest gets what follows it. */
static span first_word(span t, span *rest)
{
    size_t k = 0;
    while (k < t.n && !is_space((unsigned char)t.s[k]))
        k++;
    span w = {t.s, k};
    if (rest) {
        rest->s = t.s + k;
        rest->n = t.n - k;
        *rest = trim(*rest);
    }
    return w;
}

static int store_spec(vfile_result *out, span v, char *err, size_t errlen)
{
    if (v.n > VFILE_SPEC_MAX - 1)
        return fail(err, errlen, "the version is too long (%zu bytes; at most %d)",
                    v.n, VFILE_SPEC_MAX - 1);
    memcpy(out->specs[out->n], v.s, v.n);
    out->specs[out->n][v.n] = '\0';
    out->n++;
    return VF_FOUND;
}

/* A version file is short text. A NUL or another control byte means a
 * binary file (or a corrupted one) sits under a version file's name; say so
 * rather than hand its bytes on as a version. */
static int check_binary(const char *buf, size_t len, char *err, size_t errlen)
{
    unsigned long line = 1, col = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c >= 0x20 && c != 0x7f) {
            if ((c & 0xC0) != 0x80)
                col++;
            continue;
        }
        if (c == '\n' || (c == '\r' && !(i + 1 < len && buf[i + 1] == '\n'))) {
            line++;
            col = 1;
        } else if (c == '\t' || c == '\v' || c == '\f' || c == '\r') {
            col++;
        } else if (c == 0) {
            return fail(err, errlen,
                        "the file contains binary data (a NUL byte at line %lu, column %lu)",
                        line, col);
        } else {
            return fail(err, errlen,
                        "the file contains binary data (byte 0x%02x at line %lu, column %lu)",
                        c, line, col);
        }
    }
    return VF_NONE;
}

/* ---- .nvmrc ---- */

static int is_key_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_key_char(unsigned char c)
{
    return is_key_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* nvm takes any `x=y` line as a key-value pair. Only an identifier counts
 * as a key here, because `>=18`, `<=20` and `=18.1.0` are ranges that nvm
 * would otherwise swallow as settings. */
static int split_key(span line, span *key)
{
    const char *eq = memchr(line.s, '=', line.n);
    if (!eq)
        return 0;
    span k = trim((span){line.s, (size_t)(eq - line.s)});
    if (!k.n || !is_key_start((unsigned char)k.s[0]))
        return 0;
    for (size_t i = 1; i < k.n; i++)
        if (!is_key_char((unsigned char)k.s[i]))
            return 0;
    *key = k;
    return 1;
}

static int parse_nvmrc(const char *buf, size_t len, vfile_result *out,
                       char *err, size_t errlen)
{
    const char *p = buf, *end = buf + len;
    span line, value = {NULL, 0};
    int have = 0, blank = 1;
    while (next_line(&p, end, &line)) {
        if (trim(line).n)
            blank = 0;
        line = trim(strip_comment(line));
        if (!line.n)
            continue;
        span key;
        if (split_key(line, &key)) {
            if (span_is(key, "node")) /* nvm reserves it; it is no way to set the version */
                return fail(err, errlen,
                            "the key 'node' is reserved; put the version on a line of its own");
            continue;
        }
        if (have)
            return fail(err, errlen, "more than one version in the file: '%.*s' and '%.*s'",
                        (int)(value.n > QUOTE_MAX ? QUOTE_MAX : value.n), value.s,
                        (int)(line.n > QUOTE_MAX ? QUOTE_MAX : line.n), line.s);
        value = line;
        have = 1;
    }
    if (!have)
        return fail(err, errlen, blank ? "the file is empty" : "no version in the file");
    return store_spec(out, value, err, errlen);
}

/* ---- .node-version ---- */

static int parse_node_version(const char *buf, size_t len, vfile_result *out,
                              char *err, size_t errlen)
{
    const char *p = buf, *end = buf + len;
    span line;
    int blank = 1;
    while (next_line(&p, end, &line)) {
        line = trim(line);
        if (!line.n)
            continue;
        blank = 0;
        if (line.s[0] == '#')
            continue;
        return store_spec(out, first_word(line, NULL), err, errlen);
    }
    return fail(err, errlen, blank ? "the file is empty" : "no version in the file");
}

/* ---- .tool-versions ---- */

static int parse_tool_versions(const char *buf, size_t len, vfile_result *out,
                               char *err, size_t errlen)
{
    const char *p = buf, *end = buf + len;
    span line, versions = {NULL, 0}, rest;
    const char *tool = NULL;
    while (next_line(&p, end, &line)) {
        line = trim(strip_comment(line));
        if (!line.n)
            continue;
        span name = first_word(line, &rest);
        if (span_is(name, "nodejs")) { /* asdf's plugin name wins over mise's alias */
            tool = "nodejs";
            versions = rest;
            break;
        }
        if (span_is(name, "node") && !tool) {
            tool = "node";
            versions = rest;
        }
    }
    if (!tool)
        return VF_NONE;
    while (versions.n && out->n < VFILE_MAX_SPECS) {
        span v = first_word(versions, &versions);
        if (store_spec(out, v, err, errlen) != VF_FOUND)
            return VF_MALFORMED;
    }
    if (!out->n)
        return fail(err, errlen, "the %s line names no version", tool);
    return VF_FOUND;
}

/* ---- package.json ---- */

/* Decoded, trimmed string value of token i into the result. VF_NONE when it
 * is not a string or is blank: such a field names no version, and the next
 * field in the order gets its turn. */
static int take_string(const mj_doc *doc, uint32_t i, const char *field,
                       vfile_result *out, char *err, size_t errlen)
{
    if (mj_type(doc, i) != MJ_STRING)
        return VF_NONE;
    char small[1024];
    size_t n = mj_str_copy(doc, i, NULL, 0);
    char *tmp = n < sizeof small ? small : malloc(n + 1);
    if (!tmp)
        return fail(err, errlen, "out of memory reading %s", field);
    mj_str_copy(doc, i, tmp, n + 1);
    int r;
    span v = trim((span){tmp, n});
    if (strlen(tmp) != n)
        r = fail(err, errlen, "the %s value contains a NUL character", field);
    else if (!v.n)
        r = VF_NONE;
    else if (v.n > VFILE_SPEC_MAX - 1)
        r = fail(err, errlen, "the %s value is too long (%zu bytes; at most %d)",
                 field, v.n, VFILE_SPEC_MAX - 1);
    else {
        r = store_spec(out, v, err, errlen);
        snprintf(out->field, sizeof out->field, "%s", field);
    }
    if (tmp != small)
        free(tmp);
    return r;
}

/* One devEngines.runtime entry: counts only when its name is "node". */
static int dev_engine_entry(const mj_doc *doc, uint32_t e, vfile_result *out,
                            char *err, size_t errlen)
{
    if (mj_type(doc, e) != MJ_OBJECT || !mj_str_eq(doc, mj_get(doc, e, "name"), "node"))
        return VF_NONE;
    return take_string(doc, mj_get(doc, e, "version"), "devEngines.runtime", out, err, errlen);
}

/* devEngines.runtime is one object or an array of them (one per runtime). */
static int from_dev_engines(const mj_doc *doc, vfile_result *out, char *err, size_t errlen)
{
    uint32_t rt = mj_get(doc, mj_get(doc, 0, "devEngines"), "runtime");
    if (mj_type(doc, rt) == MJ_OBJECT)
        return dev_engine_entry(doc, rt, out, err, errlen);
    if (mj_type(doc, rt) != MJ_ARRAY)
        return VF_NONE;
    uint32_t e = mj_first(doc, rt);
    for (uint32_t k = 0; k < mj_count(doc, rt); k++, e = mj_next(doc, e)) {
        int r = dev_engine_entry(doc, e, out, err, errlen);
        if (r != VF_NONE)
            return r;
    }
    return VF_NONE;
}

static int parse_package_json(const char *buf, size_t len, unsigned flags,
                              vfile_result *out, char *err, size_t errlen)
{
    mj_doc doc;
    mj_error je;
    if (mj_parse(&doc, buf, len, &je) < 0)
        return fail(err, errlen, "invalid JSON at line %lu, column %lu: %s",
                    je.line, je.column, je.what);
    int r = VF_NONE;
    if (mj_type(&doc, 0) != MJ_OBJECT)
        r = fail(err, errlen, "the top-level JSON value is not an object");
    if (r == VF_NONE)
        r = from_dev_engines(&doc, out, err, errlen);
    if (r == VF_NONE && !(flags & VF_NO_ENGINES))
        r = take_string(&doc, mj_get(&doc, mj_get(&doc, 0, "engines"), "node"),
                        "engines.node", out, err, errlen);
    if (r == VF_NONE)
        r = take_string(&doc, mj_get(&doc, mj_get(&doc, 0, "volta"), "node"),
                        "volta.node", out, err, errlen);
    mj_free(&doc);
    return r;
}

/* ---- entry points ---- */

int vfile_parse(vfile_kind kind, const char *buf, size_t len, unsigned flags,
                vfile_result *out, char *err, size_t errlen)
{
    result_init(out);
    if (err && errlen)
        err[0] = '\0';
    if (!buf) {
        buf = ""; /* arithmetic on a null pointer is undefined, even + 0 */
        len = 0;
    }
    /* A UTF-8 BOM, as Windows editors write it: every tool skips it. */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    if (check_binary(buf, len, err, errlen) != VF_NONE)
        return VF_MALFORMED;
    int r;
    switch (kind) {
    case VF_NODE_VERSION: r = parse_node_version(buf, len, out, err, errlen); break;
    case VF_NVMRC: r = parse_nvmrc(buf, len, out, err, errlen); break;
    case VF_TOOL_VERSIONS: r = parse_tool_versions(buf, len, out, err, errlen); break;
    case VF_PACKAGE_JSON: r = parse_package_json(buf, len, flags, out, err, errlen); break;
    default: r = fail(err, errlen, "unknown version file kind %d", (int)kind); break;
    }
    if (r != VF_FOUND)
        result_init(out); /* a half-filled result must not look found */
    return r;
}

int vfile_read(const char *path, vfile_kind kind, unsigned flags,
               vfile_result *out, char *err, size_t errlen)
{
    return vfile_read_at(AT_FDCWD, path, kind, flags, out, err, errlen);
}

int vfile_read_at(int dirfd, const char *path, vfile_kind kind, unsigned flags,
                  vfile_result *out, char *err, size_t errlen)
{
    result_init(out);
    if (err && errlen)
        err[0] = '\0';
    size_t cap = kind == VF_PACKAGE_JSON ? VFILE_JSON_CAP : VFILE_TEXT_CAP;
    char *buf = NULL, why[128];
    size_t len = 0;
    const char *type = NULL;
    int r = rf_read_at(dirfd, path, cap, 0, &buf, &len, &type);
    if (r == RF_MISSING)
        return VF_NONE; /* nothing there, or a dangling/looping link */
    if (r == RF_NOTFILE && type && strcmp(type, "a directory") == 0)
        return VF_NONE; /* a directory named .nvmrc is no version file */
    if (r == RF_TOOBIG)
        return fail(err, errlen, "the file is too large (more than %zu bytes) to be a version file", cap);
    if (r != RF_OK)
        return fail(err, errlen, "cannot read the file: %s", rf_why(r, type, cap, why, sizeof why));
    r = vfile_parse(kind, buf, len, flags, out, err, errlen);
    free(buf);
    return r;
}
