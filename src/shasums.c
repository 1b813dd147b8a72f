#include "shasums.h"
#include "strutil.h"

#include <stdlib.h>
#include <string.h>

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A file name as the release tooling writes it: no spaces, no control
 * characters. Real files list Windows builds in subdirectories
 * ("win-x64/node.exe"), so a relative path is allowed, but no empty, "."
 * or ".." component. */
static int valid_name(const char *s, size_t len)
{
    if (len == 0 || len > 255)
        return 0;
    size_t seg = 0; /* start of the current path component */
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '/') {
            size_t sl = i - seg;
            if (sl == 0 || (sl == 1 && s[seg] == '.') || (sl == 2 && s[seg] == '.' && s[seg + 1] == '.'))
                return 0;
            seg = i + 1;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == '\\' || c == 0x7f)
            return 0;
    }
    return 1;
}

static int parse_line(const char *line, size_t len, shasum_line *out, const char **why)
{
    if (len < 67) {
        *why = "too short for a sha256 line";
        return -1;
    }
    for (int i = 0; i < 64; i++)
        if (!is_hex(line[i])) {
            *why = "the digest is not 64 hexadecimal digits";
            return -1;
        }
    /* "  name" (text mode) or " *name" (binary mode), as sha256sum writes. */
    if (line[64] != ' ' || (line[65] != ' ' && line[65] != '*')) {
        *why = "expected two spaces between digest and file name";
        return -1;
    }
    if (!valid_name(line + 66, len - 66)) {
        *why = "the file name is not valid";
        return -1;
    }
    for (int i = 0; i < 64; i++)
        out->hex[i] = (char)((line[i] >= 'A' && line[i] <= 'F') ? line[i] - 'A' + 'a' : line[i]);
    out->hex[64] = '\0';
    out->name = strndup(line + 66, len - 66);
    if (!out->name) {
        *why = "out of memory";
        return -1;
    }
    return 0;
}

int shasums_parse(const char *text, size_t len, shasums_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0, lineno = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t l = end - pos;
        lineno++;
        if (l && text[pos + l - 1] == '\r')
            l--;
        if (l > 0) {
            if (out->n == cap) {
                cap = cap ? cap * 2 : 16;
                shasum_line *nlines = realloc(out->lines, cap * sizeof *nlines);
                if (!nlines) {
                    str_fmt(err, errlen, "out of memory");
                    shasums_free(out);
                    return -1;
                }
                out->lines = nlines;
            }
            const char *why = NULL;
            if (memchr(text + pos, '\0', l) || parse_line(text + pos, l, &out->lines[out->n], &why)) {
                str_fmt(err, errlen, "line %zu: %s", lineno, why ? why : "contains a NUL byte");
                shasums_free(out);
                return -1;
            }
            out->n++;
        }
        pos = end + 1;
    }
    if (out->n == 0) {
        str_fmt(err, errlen, "no checksum lines");
        return -1;
    }
    return 0;
}

const char *shasums_find(const shasums_t *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->lines[i].name, name) == 0)
            return s->lines[i].hex;
    return NULL;
}

void shasums_free(shasums_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->lines[i].name);
    free(s->lines);
    s->lines = NULL;
    s->n = 0;
}
