/* A tiny strict JSON reader; see minijson.h for the format and contract. */
#include "minijson.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const unsigned char *s;
    size_t len, pos;
    mj_doc *doc;
    mj_error *err;
    uint32_t depth;
    uint32_t stack[MJ_MAX_DEPTH]; /* open containers, innermost last */
} parser;

/* Line and column of a byte offset, computed only when reporting an error
 * so that the happy path never counts lines. */
static void locate(const unsigned char *s, size_t len, size_t off,
                   unsigned long *line, unsigned long *col)
{
    unsigned long l = 1, c = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        unsigned char b = s[i];
        if (b == '\r' && i + 1 < len && s[i + 1] == '\n')
            continue; /* CRLF is one line end: the LF counts it */
        if (b == '\n' || b == '\r') {
            l++;
            c = 1;
        } else if ((b & 0xC0) != 0x80) {
            c++; /* UTF-8 continuation bytes do not move the column */
        }
    }
    *line = l;
    *col = c;
}

__attribute__((format(printf, 3, 4)))
static int fail(parser *p, size_t at, const char *fmt, ...)
{
    if (p->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err->what, sizeof p->err->what, fmt, ap);
        va_end(ap);
        p->err->offset = at;
        locate(p->s, p->len, at, &p->err->line, &p->err->column);
    }
    return -1;
}

/* Say what an unexpected byte is in words a person who wrote the file
 * recognises: the usual mistakes (comments, single quotes) get named. */
static int fail_unexpected(parser *p, size_t at)
{
    unsigned char c = p->s[at];
    if (c == '/')
        return fail(p, at, "comments are not allowed in JSON");
    if (c == '\'')
        return fail(p, at, "strings must use double quotes");
    if (c >= 0x20 && c < 0x7f)
        return fail(p, at, "unexpected character '%c'", c);
    if (c < 0x20 || c == 0x7f)
        return fail(p, at, "unexpected control character 0x%02x", c);
    return fail(p, at, "unexpected byte 0x%02x", c);
}

/* Every token consumes at least one byte of text, so len + 1 tokens always
 * suffice; doubling from a size guessed from the text keeps allocations few. */
static int grow(parser *p)
{
    mj_doc *d = p->doc;
    size_t limit = p->len + 1;
    size_t ncap = d->cap ? (size_t)d->cap * 2 : p->len / 16 + 16;
    if (ncap > limit)
        ncap = limit;
    if (ncap <= d->cap)
        return fail(p, p->pos, "too many values");
    mj_token *t = realloc(d->tok, ncap * sizeof *t);
    if (!t)
        return fail(p, p->pos, "out of memory");
    d->tok = t;
    d->cap = (uint32_t)ncap;
    return 0;
}

static uint32_t new_token(parser *p, mj_type_t type, size_t start, size_t len)
{
    mj_doc *d = p->doc;
    if (d->ntok == d->cap && grow(p) < 0)
        return MJ_NONE;
    uint32_t i = d->ntok++;
    mj_token *t = &d->tok[i];
    t->start = (uint32_t)start;
    t->len = (uint32_t)len;
    t->end = i + 1;
    t->count = 0;
    t->type = (uint8_t)type;
    t->escaped = 0;
    return i;
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        p->pos++;
    }
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Validate the escape at s[i] == '\\'; return the index after it, or 0. */
static size_t check_escape(parser *p, size_t i, size_t open)
{
    if (i + 1 >= p->len) {
        fail(p, open, "unterminated string");
        return 0;
    }
    unsigned char e = p->s[i + 1];
    if (e != '\0' && strchr("\"\\/bfnrt", e))
        return i + 2;
    if (e != 'u') {
        if (e > 0x20 && e < 0x7f)
            fail(p, i, "invalid escape '\\%c' in a string", e);
        else
            fail(p, i, "invalid escape in a string");
        return 0;
    }
    for (size_t k = 2; k < 6; k++) {
        if (i + k >= p->len) {
            fail(p, open, "unterminated string");
            return 0;
        }
        if (!is_hex(p->s[i + k])) {
            fail(p, i, "invalid \\u escape (expected 4 hex digits)");
            return 0;
        }
    }
    return i + 6;
}

/* A string starting at the '"' at p->pos, used for both keys and values. */
static int scan_string(parser *p)
{
    size_t open = p->pos, i = open + 1;
    int escaped = 0;
    for (;;) {
        if (i >= p->len)
            return fail(p, open, "unterminated string");
        unsigned char c = p->s[i];
        if (c == '"')
            break;
        if (c < 0x20)
            return fail(p, i, "control character 0x%02x in a string (escape it)", c);
        if (c == '\\') {
            escaped = 1;
            i = check_escape(p, i, open);
            if (!i)
                return -1;
        } else {
            i++;
        }
    }
    uint32_t t = new_token(p, MJ_STRING, open + 1, i - open - 1);
    if (t == MJ_NONE)
        return -1;
    p->doc->tok[t].escaped = (uint8_t)escaped;
    p->pos = i + 1;
    return 0;
}

static size_t scan_digits(parser *p, size_t i)
{
    while (i < p->len && is_digit(p->s[i]))
        i++;
    return i;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and nothing looser. */
static int scan_number(parser *p)
{
    size_t start = p->pos, i = start;
    if (p->s[i] == '-')
        i++;
    if (i >= p->len)
        return fail(p, i, "unexpected end of input in a number");
    if (p->s[i] == '0') {
        i++;
        if (i < p->len && is_digit(p->s[i]))
            return fail(p, i, "leading zeros are not allowed in a number");
    } else if (is_digit(p->s[i])) {
        i = scan_digits(p, i);
    } else {
        return fail(p, i, "expected a digit after '-'");
    }
    if (i < p->len && p->s[i] == '.') {
        size_t d = scan_digits(p, i + 1);
        if (d == i + 1)
            return fail(p, d, "expected a digit after '.'");
        i = d;
    }
    if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->len && (p->s[i] == '+' || p->s[i] == '-'))
            i++;
        size_t d = scan_digits(p, i);
        if (d == i)
            return fail(p, d, "expected a digit in the exponent");
        i = d;
    }
    if (new_token(p, MJ_NUMBER, start, i - start) == MJ_NONE)
        return -1;
    p->pos = i;
    return 0;
}

static int scan_literal(parser *p, const char *word, mj_type_t type)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return fail(p, p->pos, "invalid literal (expected '%s')", word);
    if (new_token(p, type, p->pos, n) == MJ_NONE)
        return -1;
    p->pos += n;
    return 0;
}

static char closer_of(const parser *p, uint32_t container)
{
    return p->doc->tok[container].type == MJ_OBJECT ? '}' : ']';
}

static void close_container(parser *p, uint32_t c)
{
    mj_token *t = &p->doc->tok[c];
    t->end = p->doc->ntok;
    t->len = (uint32_t)(p->pos - t->start);
    p->depth--;
}

enum { V_DONE = 0, V_OPENED = 1 };

/* '{' or '[' at p->pos. An empty container is complete at once. */
static int open_container(parser *p, mj_type_t type)
{
    if (p->depth == MJ_MAX_DEPTH)
        return fail(p, p->pos, "nesting deeper than %d levels", MJ_MAX_DEPTH);
    uint32_t t = new_token(p, type, p->pos, 1);
    if (t == MJ_NONE)
        return -1;
    p->stack[p->depth++] = t;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == closer_of(p, t)) {
        p->pos++;
        close_container(p, t);
        return V_DONE;
    }
    return V_OPENED;
}

/* One value: a scalar (V_DONE) or the opening of a container (V_OPENED,
 * or V_DONE when it was empty). */
static int value(parser *p)
{
    skip_ws(p);
    if (p->pos >= p->len)
        return fail(p, p->len, "unexpected end of input (expected a value)");
    unsigned char c = p->s[p->pos];
    int r;
    switch (c) {
    case '{': return open_container(p, MJ_OBJECT);
    case '[': return open_container(p, MJ_ARRAY);
    case '"': r = scan_string(p); break;
    case 't': r = scan_literal(p, "true", MJ_TRUE); break;
    case 'f': r = scan_literal(p, "false", MJ_FALSE); break;
    case 'n': r = scan_literal(p, "null", MJ_NULL); break;
    default:
        if (c == '-' || is_digit(c))
            r = scan_number(p);
        else
            r = fail_unexpected(p, p->pos);
        break;
    }
    return r < 0 ? -1 : V_DONE;
}

/* `"key" :` inside an object, after '{' or ','. */
static int member_key(parser *p)
{
    skip_ws(p);
    if (p->pos >= p->len)
        return fail(p, p->len, "unexpected end of input (expected a key)");
    unsigned char c = p->s[p->pos];
    if (c == '}')
        return fail(p, p->pos, "trailing comma before '}'");
    if (c != '"') {
        if (c == '\'' || c == '/')
            return fail_unexpected(p, p->pos);
        return fail(p, p->pos, "expected a key in double quotes");
    }
    if (scan_string(p) < 0)
        return -1;
    skip_ws(p);
    if (p->pos >= p->len)
        return fail(p, p->len, "unexpected end of input (expected ':')");
    if (p->s[p->pos] != ':')
        return fail(p, p->pos, "expected ':' after a key");
    p->pos++;
    return 0;
}

/* After a complete value: close what ends here, then either finish the
 * document (0) or stand before the next value (1). */
static int after_value(parser *p)
{
    for (;;) {
        if (p->depth == 0) {
            skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == '/')
                return fail_unexpected(p, p->pos);
            if (p->pos < p->len)
                return fail(p, p->pos, "unexpected data after the top-level value");
            return 0;
        }
        uint32_t top = p->stack[p->depth - 1];
        char closer = closer_of(p, top);
        p->doc->tok[top].count++;
        skip_ws(p);
        if (p->pos >= p->len)
            return fail(p, p->len, "unexpected end of input (expected ',' or '%c')", closer);
        unsigned char c = p->s[p->pos];
        if (c == (unsigned char)closer) {
            p->pos++;
            close_container(p, top);
            continue;
        }
        if (c == '/')
            return fail_unexpected(p, p->pos);
        if (c != ',')
            return fail(p, p->pos, "expected ',' or '%c'", closer);
        p->pos++;
        if (closer == '}')
            return member_key(p) < 0 ? -1 : 1;
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ']')
            return fail(p, p->pos, "trailing comma before ']'");
        return 1;
    }
}

static int run(parser *p)
{
    for (;;) {
        int r = value(p);
        if (r < 0)
            return -1;
        if (r == V_OPENED) {
            uint32_t top = p->stack[p->depth - 1];
            if (p->doc->tok[top].type == MJ_OBJECT && member_key(p) < 0)
                return -1;
            continue;
        }
        r = after_value(p);
        if (r <= 0)
            return r;
    }
}

int mj_parse(mj_doc *doc, const char *text, size_t len, mj_error *err)
{
    static const char empty[1] = "";
    if (!text)
        len = 0;
    memset(doc, 0, sizeof *doc);
    doc->text = text ? text : empty;
    doc->len = len;
    if (err)
        memset(err, 0, sizeof *err);

    /* The parser is ~2 KiB (its container stack): fine on any stack. */
    parser p;
    p.s = (const unsigned char *)doc->text;
    p.len = len;
    p.pos = 0;
    p.doc = doc;
    p.err = err;
    p.depth = 0;

    if (len >= UINT32_MAX) {
        p.len = 0; /* nothing to locate */
        fail(&p, 0, "text too large (4 GiB or more)");
        return -1;
    }
    if (run(&p) < 0) {
        mj_free(doc);
        return -1;
    }
    return 0;
}

void mj_free(mj_doc *doc)
{
    if (!doc)
        return;
    free(doc->tok);
    doc->tok = NULL;
    doc->ntok = doc->cap = 0;
}

static const mj_token *token(const mj_doc *doc, uint32_t i)
{
    if (!doc || !doc->tok || i == MJ_NONE || i >= doc->ntok)
        return NULL;
    return &doc->tok[i];
}

mj_type_t mj_type(const mj_doc *doc, uint32_t i)
{
    const mj_token *t = token(doc, i);
    return t ? (mj_type_t)t->type : MJ_INVALID;
}

uint32_t mj_count(const mj_doc *doc, uint32_t i)
{
    const mj_token *t = token(doc, i);
    return t ? t->count : 0;
}

uint32_t mj_first(const mj_doc *doc, uint32_t i)
{
    const mj_token *t = token(doc, i);
    if (!t || (t->type != MJ_ARRAY && t->type != MJ_OBJECT) || t->count == 0)
        return MJ_NONE;
    return i + 1;
}

uint32_t mj_next(const mj_doc *doc, uint32_t i)
{
    const mj_token *t = token(doc, i);
    if (!t || t->end >= doc->ntok)
        return MJ_NONE;
    return t->end;
}

uint32_t mj_get(const mj_doc *doc, uint32_t obj, const char *key)
{
    const mj_token *t = token(doc, obj);
    if (!t || t->type != MJ_OBJECT)
        return MJ_NONE;
    uint32_t found = MJ_NONE, k = obj + 1;
    /* Scan every member, not just to the first match: JSON.parse keeps the
     * last of repeated keys, and npm reads package.json with it. */
    for (uint32_t m = 0; m < t->count; m++) {
        if (mj_str_eq(doc, k, key))
            found = k + 1;
        k = doc->tok[k + 1].end;
    }
    return found;
}

static unsigned hex4(const char *s)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned char c = (unsigned char)s[k];
        unsigned d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        v = v << 4 | d;
    }
    return v;
}

static size_t put_utf8(unsigned cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | cp >> 18);
    out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The code point of the \u escape at raw[*i] (just after "\u"), joining a
 * surrogate pair when one follows; a lone half becomes U+FFFD. */
static unsigned decode_u(const char *raw, size_t len, size_t *i)
{
    unsigned cp = hex4(raw + *i);
    *i += 4;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return 0xFFFD;
    if (cp < 0xD800 || cp > 0xDBFF)
        return cp;
    if (*i + 6 <= len && raw[*i] == '\\' && raw[*i + 1] == 'u') {
        unsigned lo = hex4(raw + *i + 2);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            *i += 6;
            return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
    }
    return 0xFFFD;
}

/* Decode the unit (a byte or an escape) at raw[*i] of already validated
 * string text into out; returns the bytes written. */
static size_t decode_unit(const char *raw, size_t len, size_t *i, unsigned char out[4])
{
    unsigned char c = (unsigned char)raw[*i];
    if (c != '\\') {
        out[0] = c;
        (*i)++;
        return 1;
    }
    char e = raw[*i + 1];
    *i += 2;
    switch (e) {
    case 'b': out[0] = '\b'; return 1;
    case 'f': out[0] = '\f'; return 1;
    case 'n': out[0] = '\n'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'u': return put_utf8(decode_u(raw, len, i), out);
    default: out[0] = (unsigned char)e; return 1; /* " \ / */
    }
}

int mj_str_eq(const mj_doc *doc, uint32_t i, const char *s)
{
    const mj_token *t = token(doc, i);
    if (!t || t->type != MJ_STRING || !s)
        return 0;
    const char *raw = doc->text + t->start;
    size_t slen = strlen(s);
    if (!t->escaped)
        return t->len == slen && memcmp(raw, s, slen) == 0;
    size_t k = 0, j = 0;
    while (j < t->len) {
        unsigned char u[4];
        size_t n = decode_unit(raw, t->len, &j, u);
        if (n > slen - k || memcmp(u, s + k, n) != 0)
            return 0;
        k += n;
    }
    return k == slen;
}

size_t mj_str_copy(const mj_doc *doc, uint32_t i, char *dst, size_t n)
{
    const mj_token *t = token(doc, i);
    if (n)
        dst[0] = '\0';
    if (!t || t->type != MJ_STRING)
        return 0;
    const char *raw = doc->text + t->start;
    if (!t->escaped) {
        if (n) {
            size_t m = t->len < n ? t->len : n - 1;
            memcpy(dst, raw, m);
            dst[m] = '\0';
        }
        return t->len;
    }
    size_t out = 0, j = 0;
    while (j < t->len) {
        unsigned char u[4];
        size_t m = decode_unit(raw, t->len, &j, u);
        for (size_t k = 0; k < m; k++, out++)
            if (out + 1 < n)
                dst[out] = (char)u[k];
    }
    if (n)
        dst[out < n ? out : n - 1] = '\0';
    return out;
}
