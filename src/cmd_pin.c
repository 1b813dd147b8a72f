/* nodus pin SPEC: this project. Updates the version file the current
 * directory already has (.node-version, .nvmrc, .tool-versions), keeping
 * its other lines, or writes .node-version. Atomically, either way. */
#include "cmd.h"
#include "fsutil.h"
#include "msg.h"
#include "projects.h"
#include "readfile.h"
#include "resolve.h"
#include "strutil.h"
#include "versions.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIN_MAX (64 * 1024)

typedef struct {
    char *data;
    size_t len, cap;
} text_t;

static int text_add(text_t *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *d = realloc(t->data, cap);
        if (!d)
            return -1;
        t->data = d;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
    return 0;
}

/* Whether a line (comment already cut) holds the version value. */
static int is_value_line(const char *line, size_t n, vfile_kind kind, int has_nodejs)
{
    while (n && isspace((unsigned char)line[n - 1]))
        n--;
    while (n && isspace((unsigned char)*line))
        line++, n--;
    if (!n)
        return 0;
    if (kind == VF_TOOL_VERSIONS)
        /* The reader prefers a nodejs line; pin edits the line it reads. */
        return (n > 7 && strncmp(line, "nodejs", 6) == 0 && isspace((unsigned char)line[6])) ||
               (!has_nodejs && n > 5 && strncmp(line, "node", 4) == 0 && isspace((unsigned char)line[4]));
    if (kind == VF_NVMRC) {
        size_t k = 0;
        while (k < n && (isalnum((unsigned char)line[k]) || line[k] == '_' || line[k] == '.' || line[k] == '-'))
            k++;
        if (k > 0 && k < n && line[k] == '=' && isalpha((unsigned char)line[0]))
            return 0; /* key=value, which nvm ignores */
    }
    return 1;
}

/* The line starting at pos: *end is just past its '\n' (or len), and the
 * result is its length before any '#' comment. */
static size_t line_at(const char *text, size_t len, size_t pos, size_t *end)
{
    const char *nl = memchr(text + pos, '\n', len - pos);
    *end = nl ? (size_t)(nl - text) + 1 : len;
    const char *hash = memchr(text + pos, '#', *end - pos);
    return (hash ? (size_t)(hash - text) : *end) - pos;
}

static int has_nodejs_line(const char *text, size_t len)
{
    for (size_t pos = 0, end; pos < len; pos = end)
        if (is_value_line(text + pos, line_at(text, len, pos, &end), VF_TOOL_VERSIONS, 1))
            return 1;
    return 0;
}

/* The file with its value line replaced (or the value added). */
static int rewrite(const char *old, size_t len, vfile_kind kind, const char *spec, text_t *out)
{
    char newline[VFILE_SPEC_MAX + 16];
    str_fmt(newline, sizeof newline, kind == VF_TOOL_VERSIONS ? "nodejs %s\n" : "%s\n", spec);
    int done = 0, has_nodejs = kind == VF_TOOL_VERSIONS && has_nodejs_line(old, len);
    size_t pos = 0;
    if (len >= 3 && memcmp(old, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len) {
        size_t end, vlen = line_at(old, len, pos, &end);
        const char *nl = old[end - 1] == '\n' ? old + end - 1 : NULL;
        int value = !done && is_value_line(old + pos, vlen, kind, has_nodejs);
        /* A CRLF file keeps CRLF on the line that changes. */
        if (value && nl && end - pos >= 2 && old[end - 2] == '\r')
            str_fmt(newline, sizeof newline, kind == VF_TOOL_VERSIONS ? "nodejs %s\r\n" : "%s\r\n", spec);
        if (value ? text_add(out, newline, strlen(newline)) : text_add(out, old + pos, end - pos))
            return -1;
        if (!value && !nl && text_add(out, "\n", 1))
            return -1;
        done |= value;
        pos = end;
    }
    return done ? 0 : text_add(out, newline, strlen(newline));
}

int cmd_pin(nodus_ctx *ctx, int argc, char **argv)
{
    if (argc != 1 || (argv[0][0] == '-' && argv[0][1])) {
        if (argc == 1)
            return cmd_bad_option("pin", argv[0]);
        msg_err("usage: nodus pin SPEC (e.g. nodus pin 22, nodus pin lts/iron)");
        return EXIT_USAGE;
    }
    spec_t s;
    int rc = versions_spec(ctx, argv[0], &s);
    if (rc)
        return rc;
    spec_free(&s);
    if (strchr(argv[0], '\n') || strchr(argv[0], '#')) {
        msg_err("a version spec cannot contain a newline or '#'");
        return EXIT_USAGE;
    }
    static const vfile_kind kinds[] = {VF_NODE_VERSION, VF_NVMRC, VF_TOOL_VERSIONS};
    vfile_kind kind = VF_NODE_VERSION;
    char *old = NULL;
    size_t len = 0;
    for (int i = 0; i < 3 && !old; i++) {
        const char *type = NULL;
        char why[128];
        int r = rf_read_at(AT_FDCWD, vfile_names[kinds[i]], PIN_MAX, 0, &old, &len, &type);
        if (r == RF_OK)
            kind = kinds[i];
        else if (r != RF_MISSING)
            msg_warn("ignoring %s: %s", vfile_names[kinds[i]], rf_why(r, type, PIN_MAX, why, sizeof why));
    }
    text_t out = {0};
    if (old ? rewrite(old, len, kind, argv[0], &out) : text_add(&out, argv[0], strlen(argv[0])) || text_add(&out, "\n", 1)) {
        free(old);
        free(out.data);
        msg_err("out of memory");
        return EXIT_FAIL;
    }
    free(old);
    if (fs_write_atomic(vfile_names[kind], out.data, out.len, 0644)) {
        msg_err("cannot write %s: %s", vfile_names[kind], strerror(errno));
        free(out.data);
        return EXIT_IO;
    }
    free(out.data);
    projects_note(&ctx->paths, vfile_names[kind]); /* for 'nodus audit'; losing the note loses nothing */
    if (!ctx->quiet)
        msg_note("pinned this project to %s in %s", argv[0], vfile_names[kind]);
    return 0;
}
