/* Versions and node-semver ranges; see semver.h.
 *
 * node-semver does not parse ranges with a grammar: it rewrites the range
 * text with a chain of regular expressions (strip build metadata, expand a
 * hyphen range, drop the blank after an operator, after '~' and after '^',
 * then desugar each token's caret, tilde, x-range and star) and only then
 * reads what is left as primitive comparators. Odd inputs are accepted or
 * rejected by the accidents of that chain ("> =1.2" is fine, ">= =1.2.3" is
 * not, "v1.2.3 - 2" is fine, "v 1.2.3 - 2" is not). To agree with npm on
 * every such input this file replays the same rewrites on plain strings,
 * with a small hand-written matcher standing in for each regular expression,
 * and parses comparators only at the end.
 *
 * Known, deliberate differences: only ASCII whitespace counts as whitespace
 * (JavaScript's \s also takes U+00A0 and friends), and a prerelease longer
 * than SEMVER_PRE_MAX - 1 characters is invalid rather than accepted. */
#include "semver.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* node-semver rejects any version number above Number.MAX_SAFE_INTEGER. */
#define NUM_MAX 9007199254740991UL
_Static_assert(ULONG_MAX >= NUM_MAX, "unsigned long must hold 2^53 - 1");

/* node-semver's MAX_LENGTH: longer version strings are invalid. */
#define VERSION_MAX_LEN 256

enum { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };

typedef struct {
    int op;
    semver_t v;
} comp_t;

/* One side of '||': every comparator must hold. No comparators = any. */
typedef struct {
    comp_t *c;
    size_t n, cap;
} cset_t;

struct semver_range {
    cset_t *sets;
    size_t n, cap;
    int any; /* some set is "any": node-semver then keeps only that set */
};

/* ---- character classes (locale-free on purpose) ---- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* [0-9A-Za-z-]: what prerelease and build identifiers are made of. */
static int is_idch(char c) { return is_digit(c) || is_alpha(c) || c == '-'; }

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

/* ---- a growable string, for the rewrite chain ---- */

typedef struct {
    char *p;
    size_t len, cap;
    int oom;
} sbuf_t;

static void sb_putn(sbuf_t *b, const char *s, size_t n) {
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sbuf_t *b, const char *s) { sb_putn(b, s, strlen(s)); }

static void sb_putc(sbuf_t *b, char c) { sb_putn(b, &c, 1); }

/* Hands over the string (never NULL unless out of memory). */
static char *sb_take(sbuf_t *b) {
    sb_putn(b, "", 0); /* an untouched buffer still yields "" */
    if (b->oom) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

/* Writes the decimal digit string s[0..n) plus one. Done on the digits
 * rather than on a number so that an overlong component still produces an
 * (invalid, too large) version, as JavaScript's `+M + 1` does. */
static void sb_put_inc(sbuf_t *b, const char *s, size_t n) {
    size_t nines = 0;
    while (nines < n && s[n - 1 - nines] == '9')
        nines++;
    if (nines == n) {
        sb_putc(b, '1');
    } else {
        sb_putn(b, s, n - nines - 1);
        sb_putc(b, (char)(s[n - nines - 1] + 1));
    }
    for (size_t i = 0; i < nines; i++)
        sb_putc(b, '0');
}

/* ---- token matchers, one per node-semver regular expression ---- */

/* Length of the run of identifier characters at s. */
static size_t id_run(const char *s) {
    size_t n = 0;
    while (is_idch(s[n]))
        n++;
    return n;
}

/* NUMERICIDENTIFIER, 0|[1-9]\d*. For "007" it matches only the "0": the
 * caller's next step then fails on the '0' that follows, as the regex does. */
static size_t num_id(const char *s) {
    if (s[0] == '0')
        return 1;
    size_t n = 0;
    while (is_digit(s[n]))
        n++;
    return n;
}

/* PRERELEASEIDENTIFIER: a run holding any non-digit is taken whole (the
 * non-numeric branch), an all-digit run is read as a NUMERICIDENTIFIER, so
 * "01" is not an identifier. */
static size_t pre_id(const char *s) {
    size_t n = id_run(s);
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return n;
    return n ? num_id(s) : 0;
}

/* XRANGEIDENTIFIER: a number, or a wildcard x, X or *. */
static size_t x_id(const char *s) {
    if (s[0] == 'x' || s[0] == 'X' || s[0] == '*')
        return 1;
    return num_id(s);
}

/* ID(\.ID)*: identifiers joined by dots; a trailing dot is not taken. */
static size_t dotted(const char *s, size_t (*id)(const char *)) {
    size_t n = id(s), k;
    if (!n)
        return 0;
    while (s[n] == '.' && (k = id(s + n + 1)) > 0)
        n += 1 + k;
    return n;
}

/* BUILD, \+ID(\.ID)*, including the '+'. */
static size_t build_len(const char *s) {
    size_t k;
    return s[0] == '+' && (k = dotted(s + 1, id_run)) > 0 ? 1 + k : 0;
}

static size_t digits(const char *s) {
    size_t n = 0;
    while (is_digit(s[n]))
        n++;
    return n;
}

/* [v=\s]*, the junk node-semver tolerates in front of a range version. */
static size_t skip_vq(const char *s) {
    size_t n = 0;
    while (s[n] == 'v' || s[n] == '=' || s[n] == ' ')
        n++;
    return n;
}

/* LOOSEPLAIN: only used to find where the operator trim may act, so it just
 * measures; the strict parse happens later. In loose mode the hyphen before
 * a prerelease is optional, and as '-' is itself an identifier character
 * both readings end at the same place. */
static size_t loose_plain(const char *s) {
    size_t n = skip_vq(s), d;
    for (int i = 0; i < 3; i++) {
        if (i) {
            if (s[n] != '.')
                return 0;
            n++;
        }
        if (!(d = digits(s + n)))
            return 0;
        n += d;
    }
    n += dotted(s + n, id_run);
    return n + build_len(s + n);
}

/* A match of XRANGEPLAIN: [v=\s]*X(.X(.X(-PRE)?(+BUILD)?)?)? */
typedef struct {
    const char *s;
    size_t len;            /* whole match, [v=\s]* included */
    const char *part[3];   /* major, minor, patch; NULL when absent */
    size_t plen[3];
    const char *pre;       /* without the '-'; NULL when absent */
    size_t prelen;
} xrp_t;

static void xrp_pre(const char *s, size_t *n, xrp_t *x) {
    size_t k;
    if (s[*n] == '-' && (k = dotted(s + *n + 1, pre_id)) > 0) {
        x->pre = s + *n + 1;
        x->prelen = k;
        *n += 1 + k;
    }
    *n += build_len(s + *n);
}

/* Returns the length matched at s (0: none). Greedy, which is what the
 * regex yields wherever it is used: nothing after it could be satisfied by
 * backing off, since every shorter match ends inside the same token. */
static size_t xrange_plain(const char *s, xrp_t *x) {
    memset(x, 0, sizeof *x);
    size_t n = skip_vq(s), k;
    for (int i = 0; i < 3; i++) {
        size_t at = n + (i ? 1 : 0);
        if ((i && s[n] != '.') || !(k = x_id(s + at)))
            break;
        x->part[i] = s + at;
        x->plen[i] = k;
        n = at + k;
    }
    if (!x->part[0])
        return 0;
    if (x->part[2])
        xrp_pre(s, &n, x);
    x->s = s;
    x->len = n;
    return n;
}

/* node-semver's isX(): absent, x, X or *. */
static int is_x(const xrp_t *x, int i) {
    if (!x->part[i])
        return 1;
    char c = x->part[i][0];
    return x->plen[i] == 1 && (c == 'x' || c == 'X' || c == '*');
}

static int is_zero(const xrp_t *x, int i) {
    return x->plen[i] == 1 && x->part[i][0] == '0';
}

static void put_part(sbuf_t *b, const xrp_t *x, int i) {
    sb_putn(b, x->part[i], x->plen[i]);
}

static void put_part_inc(sbuf_t *b, const xrp_t *x, int i) {
    sb_put_inc(b, x->part[i], x->plen[i]);
}

/* ">=M.m.p[-pre]" for a fully spelled version. */
static void put_lower_full(sbuf_t *b, const xrp_t *x) {
    sb_puts(b, ">=");
    put_part(b, x, 0);
    sb_putc(b, '.');
    put_part(b, x, 1);
    sb_putc(b, '.');
    put_part(b, x, 2);
    if (x->pre) {
        sb_putc(b, '-');
        sb_putn(b, x->pre, x->prelen);
    }
}

/* "<(M+1).0.0-0": the -0 keeps prereleases of the next major out. */
static void put_below_next_major(sbuf_t *b, const xrp_t *x) {
    sb_putc(b, '<');
    put_part_inc(b, x, 0);
    sb_puts(b, ".0.0-0");
}

/* "<M.(m+1).0-0" */
static void put_below_next_minor(sbuf_t *b, const xrp_t *x) {
    sb_putc(b, '<');
    put_part(b, x, 0);
    sb_putc(b, '.');
    put_part_inc(b, x, 1);
    sb_puts(b, ".0-0");
}

/* "<M.m.(p+1)-0" */
static void put_below_next_patch(sbuf_t *b, const xrp_t *x) {
    sb_putc(b, '<');
    put_part(b, x, 0);
    sb_putc(b, '.');
    put_part(b, x, 1);
    sb_putc(b, '.');
    put_part_inc(b, x, 2);
    sb_puts(b, "-0");
}

/* ">=M.0.0" or ">=M.m.0": the floor of a partial version. */
static void put_floor(sbuf_t *b, const xrp_t *x, int with_minor) {
    sb_puts(b, ">=");
    put_part(b, x, 0);
    if (with_minor) {
        sb_putc(b, '.');
        put_part(b, x, 1);
        sb_puts(b, ".0");
    } else {
        sb_puts(b, ".0.0");
    }
}

/* ---- stage 1: whitespace, build metadata, hyphen ranges ---- */

/* Trim and collapse every whitespace run to one blank, as the Range
 * constructor does before anything else; the later matchers rely on it. */
static char *normalize_space(const char *s) {
    sbuf_t b = {0};
    while (is_space(*s))
        s++;
    while (*s) {
        if (!is_space(*s)) {
            sb_putc(&b, *s++);
            continue;
        }
        while (is_space(*s))
            s++;
        if (*s)
            sb_putc(&b, ' ');
    }
    return sb_take(&b);
}

/* Build metadata anywhere in a comparator set is dropped up front, so that
 * "1.2.3+b" and even "1.2+b" read as if it were never there. A '+' not
 * followed by an identifier stays, and later makes the range invalid. */
static char *strip_build(const char *s) {
    sbuf_t b = {0};
    size_t k;
    while (*s) {
        if ((k = build_len(s)) > 0)
            s += k;
        else
            sb_putc(&b, *s++);
    }
    return sb_take(&b);
}

/* HYPHENRANGE: ^\s?(XRANGEPLAIN) - (XRANGEPLAIN)\s?$ over the whole set. */
static int hyphen_match(const char *s, xrp_t *from, xrp_t *to) {
    const char *p = s + (*s == ' ');
    size_t n = xrange_plain(p, from);
    if (!n || strncmp(p + n, " - ", 3) != 0)
        return 0;
    p += n + 3;
    if (!(n = xrange_plain(p, to)))
        return 0;
    p += n;
    p += (*p == ' ');
    return *p == '\0';
}

/* Lower end of "A - B". A complete A is pasted verbatim after ">=", [v=]
 * junk and all, which is why "v1.2.3 - 2" works and "=1.2.3 - 2" does not. */
static void put_hyphen_from(sbuf_t *b, const xrp_t *x) {
    if (is_x(x, 0))
        return;
    if (is_x(x, 1) || is_x(x, 2)) {
        put_floor(b, x, !is_x(x, 1));
        return;
    }
    sb_puts(b, ">=");
    sb_putn(b, x->s, x->len);
}

/* Upper end of "A - B": a partial B includes all of its own versions. */
static void put_hyphen_to(sbuf_t *b, const xrp_t *x) {
    if (is_x(x, 0))
        return;
    if (is_x(x, 1)) {
        put_below_next_major(b, x);
    } else if (is_x(x, 2)) {
        put_below_next_minor(b, x);
    } else if (x->pre) {
        sb_puts(b, "<=");
        put_part(b, x, 0);
        sb_putc(b, '.');
        put_part(b, x, 1);
        sb_putc(b, '.');
        put_part(b, x, 2);
        sb_putc(b, '-');
        sb_putn(b, x->pre, x->prelen);
    } else {
        sb_puts(b, "<=");
        sb_putn(b, x->s, x->len);
    }
}

static char *hyphen_replace(const char *s) {
    xrp_t from, to;
    if (!hyphen_match(s, &from, &to))
        return strdup(s);
    sbuf_t b = {0};
    put_hyphen_from(&b, &from);
    if (b.len)
        sb_putc(&b, ' '); /* `${from} ${to}`.trim() */
    put_hyphen_to(&b, &to);
    if (b.len && b.p[b.len - 1] == ' ')
        b.p[--b.len] = '\0';
    return sb_take(&b);
}

/* ---- stage 2: the blank after an operator, '~' or '^' ---- */

/* One attempt of COMPARATORTRIM, (\s?)((?:<|>)?=?)\s?(LOOSEPLAIN|
 * XRANGEPLAIN), at s, trying the optional pieces in the regex's own order.
 * Returns the match length (0: none) and sets *gap to the offset of the
 * blank the rewrite drops, or -1. The length matters: the global rewrite
 * resumes scanning right after it. */
static size_t optrim_match(const char *s, long *gap) {
    xrp_t x;
    for (int s1 = (s[0] == ' '); s1 >= 0; s1--) {
        const char *a = s + s1;
        for (int lt = (*a == '<' || *a == '>'); lt >= 0; lt--) {
            const char *b = a + lt;
            for (int eq = (*b == '='); eq >= 0; eq--) {
                const char *c = b + eq;
                for (int s2 = (*c == ' '); s2 >= 0; s2--) {
                    const char *d = c + s2;
                    size_t n = loose_plain(d);
                    if (!n)
                        n = xrange_plain(d, &x);
                    if (n) {
                        *gap = s2 ? (long)(c - s) : -1;
                        return (size_t)(d - s) + n;
                    }
                }
            }
        }
    }
    return 0;
}

/* "> 1.2.3" -> ">1.2.3" (and, by the same token, "> =1.2" -> ">=1.2"). */
static char *operator_trim(const char *s) {
    sbuf_t b = {0};
    size_t i = 0, n;
    long gap;
    while (s[i]) {
        if (!(n = optrim_match(s + i, &gap))) {
            /* Every attempt that starts inside a run of [v= ] tests the
             * same spot, the run's end, except one starting on its last
             * character (a blank there may be followed by '<'). So one
             * failure inside a run stands for all but that last start,
             * which keeps "vvvv..." linear rather than quadratic. */
            size_t run = skip_vq(s + i);
            size_t next = i + (run > 1 ? run - 1 : 1);
            sb_putn(&b, s + i, next - i);
            i = next;
            continue;
        }
        for (size_t k = 0; k < n; k++)
            if ((long)k != gap)
                sb_putc(&b, s[i + k]);
        i += n;
    }
    return sb_take(&b);
}

/* TILDETRIM and CARETTRIM: "~ 1", "~> 1" -> "~1" and "^ 1" -> "^1". */
static char *lone_trim(const char *s, char op) {
    sbuf_t b = {0};
    while (*s) {
        size_t skip = 0;
        if (*s == op && s[1] == ' ')
            skip = 2;
        else if (op == '~' && *s == '~' && s[1] == '>' && s[2] == ' ')
            skip = 3;
        if (skip) {
            sb_putc(&b, op);
            s += skip;
        } else {
            sb_putc(&b, *s++);
        }
    }
    return sb_take(&b);
}

/* ---- stage 3: per-token desugaring ---- */

/* ^1.2.3 := >=1.2.3 <2.0.0-0, ^0.2.3 := >=0.2.3 <0.3.0-0,
 * ^0.0.3 := >=0.0.3 <0.0.4-0, ^1.2 := >=1.2.0 <2.0.0-0,
 * ^0.0 := >=0.0.0 <0.1.0-0, ^1 := >=1.0.0 <2.0.0-0, ^x := any. */
static void put_caret(sbuf_t *b, const xrp_t *x) {
    if (is_x(x, 0))
        return;
    if (is_x(x, 1) || is_x(x, 2)) {
        put_floor(b, x, !is_x(x, 1));
        sb_putc(b, ' ');
        if (!is_x(x, 1) && is_zero(x, 0))
            put_below_next_minor(b, x);
        else
            put_below_next_major(b, x);
        return;
    }
    put_lower_full(b, x);
    sb_putc(b, ' ');
    if (!is_zero(x, 0))
        put_below_next_major(b, x);
    else if (!is_zero(x, 1))
        put_below_next_minor(b, x);
    else
        put_below_next_patch(b, x);
}

/* ~1.2.3 := >=1.2.3 <1.3.0-0, ~1.2 := >=1.2.0 <1.3.0-0,
 * ~1 := >=1.0.0 <2.0.0-0, ~x := any. */
static void put_tilde(sbuf_t *b, const xrp_t *x) {
    if (is_x(x, 0))
        return;
    if (is_x(x, 1)) {
        put_floor(b, x, 0);
        sb_putc(b, ' ');
        put_below_next_major(b, x);
        return;
    }
    if (is_x(x, 2))
        put_floor(b, x, 1);
    else
        put_lower_full(b, x);
    sb_putc(b, ' ');
    put_below_next_minor(b, x);
}

/* node-semver leaves "x.1" and "1.x.2" alone (they then fail to parse):
 * a wildcard may only be followed by wildcards. */
static int bad_x_order(const xrp_t *x) {
    return (is_x(x, 0) && !is_x(x, 1)) ||
           (is_x(x, 1) && x->part[2] && !is_x(x, 2));
}

/* An operator with a partial version: >1.2 := >=1.3.0, >=1.2 := >=1.2.0,
 * <1.2 := <1.2.0-0, <=1.2 := <1.3.0-0. */
static void put_op_partial(sbuf_t *b, const char *op, const xrp_t *x) {
    int xm = is_x(x, 1);
    int up = !strcmp(op, ">") || !strcmp(op, "<=");
    sb_puts(b, op[0] == '>' ? ">=" : "<");
    if (up && xm)
        put_part_inc(b, x, 0);
    else
        put_part(b, x, 0);
    sb_putc(b, '.');
    if (xm)
        sb_putc(b, '0');
    else if (up)
        put_part_inc(b, x, 1);
    else
        put_part(b, x, 1);
    sb_puts(b, op[0] == '<' ? ".0-0" : ".0");
}

/* X-ranges: 1.2.x := >=1.2.0 <1.3.0-0, 1 := >=1.0.0 <2.0.0-0, * := any,
 * <x := nothing. A token without wildcards is passed through. */
static void put_xrange(sbuf_t *b, const char *tok, const char *op,
                       const xrp_t *x) {
    int xm = is_x(x, 1), xp = xm || is_x(x, 2);
    if (bad_x_order(x) || !xp) {
        sb_puts(b, tok);
        return;
    }
    if (!strcmp(op, "="))
        op = "";
    if (is_x(x, 0))
        sb_puts(b, !strcmp(op, "<") || !strcmp(op, ">") ? "<0.0.0-0" : "*");
    else if (*op)
        put_op_partial(b, op, x);
    else {
        put_floor(b, x, !xm);
        sb_putc(b, ' ');
        if (xm)
            put_below_next_major(b, x);
        else
            put_below_next_minor(b, x);
    }
}

/* Leftmost match of STAR, (<|>)?=?\s?\*, removed once. This is how "*",
 * ">=*" end up meaning "any" and, by accident, how "1.2.3*" means 1.2.3. */
static void remove_star(char *s) {
    for (size_t i = 0; s[i]; i++) {
        size_t j = i;
        j += (s[j] == '<' || s[j] == '>');
        j += (s[j] == '=');
        j += (s[j] == ' ');
        if (s[j] == '*') {
            memmove(s + i, s + j + 1, strlen(s + j + 1) + 1);
            return;
        }
    }
}

/* The (<|>)?=? in front of an x-range; greedy, as the regex takes it. */
static size_t gtlt_len(const char *s) {
    size_t n = (s[0] == '<' || s[0] == '>');
    return n + (s[n] == '=');
}

/* XRANGEPLAIN filling all of s: the token forms are anchored regexes. */
static int xrange_whole(const char *s, xrp_t *x) {
    size_t k = xrange_plain(s, x);
    return k && s[k] == '\0';
}

/* node-semver's parseComparator: caret, else tilde, else x-range, then the
 * star removal. Later steps leave an earlier step's output unchanged (it is
 * all plain numbers), so the first form that matches decides. */
static char *desugar(const char *tok) {
    sbuf_t b = {0};
    size_t off = gtlt_len(tok);
    xrp_t x;
    if (tok[0] == '^' && xrange_whole(tok + 1, &x)) {
        put_caret(&b, &x);
    } else if (tok[0] == '~' && xrange_whole(tok + 1 + (tok[1] == '>'), &x)) {
        put_tilde(&b, &x); /* "~>" is an old spelling of '~' */
    } else if (xrange_whole(tok + off, &x)) {
        char op[3] = {0};
        memcpy(op, tok, off);
        put_xrange(&b, tok, op, &x);
    } else {
        sb_puts(&b, tok);
    }
    char *out = sb_take(&b);
    if (out)
        remove_star(out);
    return out;
}

/* ---- stage 4: primitive comparators ---- */

/* A number that node-semver would still accept (<= MAX_SAFE_INTEGER). */
static int to_num(const char *s, size_t n, unsigned long *out) {
    unsigned long v = 0;
    if (n > 16)
        return -1;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned long)(s[i] - '0');
    if (v > NUM_MAX)
        return -1;
    *out = v;
    return 0;
}

/* MAJOR.MINOR.PATCH[-PRE][+BUILD] filling exactly [s, s+n); strict, so no
 * leading zeros and no empty identifiers. */
static int parse_plain(const char *s, size_t n, int allow_build, semver_t *v) {
    unsigned long *num[3] = {&v->major, &v->minor, &v->patch};
    size_t i = 0, k;
    for (int part = 0; part < 3; part++) {
        if (part && s[i++] != '.')
            return -1;
        if (!(k = num_id(s + i)) || to_num(s + i, k, num[part]))
            return -1;
        i += k;
    }
    v->pre[0] = '\0';
    if (s[i] == '-') {
        if (!(k = dotted(s + i + 1, pre_id)) || k >= SEMVER_PRE_MAX)
            return -1;
        memcpy(v->pre, s + i + 1, k);
        v->pre[k] = '\0';
        i += 1 + k;
    }
    if (allow_build)
        i += build_len(s + i);
    return i == n ? 0 : -1;
}

/* COMPARATOR: an operator then a full version; "=" means the same as none. */
static int parse_comparator(const char *s, comp_t *c) {
    size_t n = gtlt_len(s);
    if (n == 2)
        c->op = s[0] == '<' ? OP_LE : OP_GE;
    else if (n == 1 && s[0] != '=')
        c->op = s[0] == '<' ? OP_LT : OP_GT;
    else
        c->op = OP_EQ;
    s += n;
    size_t len = strlen(s);
    if (len > VERSION_MAX_LEN)
        return -1;
    if (*s == 'v')
        s++, len--;
    return parse_plain(s, len, 0, &c->v);
}

static int set_push(cset_t *set, const comp_t *c) {
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 4;
        comp_t *nc = realloc(set->c, cap * sizeof *nc);
        if (!nc)
            return -1;
        set->c = nc;
        set->cap = cap;
    }
    set->c[set->n++] = *c;
    return 0;
}

/* Reads the blank-separated comparators of one desugared token. ">=0.0.0"
 * counts as "any", as node-semver's replaceGTE0 makes it. */
static int add_comparators(cset_t *set, char *s) {
    for (char *tok = s; tok;) {
        char *sp = strchr(tok, ' ');
        if (sp)
            *sp = '\0';
        comp_t c;
        if (*tok && strcmp(tok, ">=0.0.0") != 0) {
            if (parse_comparator(tok, &c) || set_push(set, &c))
                return -1;
        }
        tok = sp ? sp + 1 : NULL;
    }
    return 0;
}

/* Runs s through one rewrite and frees it; NULL in, NULL out. */
static char *stage(char *s, char *(*fn)(const char *)) {
    if (!s)
        return NULL;
    char *out = fn(s);
    free(s);
    return out;
}

static char *tilde_trim(const char *s) { return lone_trim(s, '~'); }

static char *caret_trim(const char *s) { return lone_trim(s, '^'); }

/* One side of '||', already trimmed. */
static int parse_set(const char *part, cset_t *set) {
    char *s = strip_build(part);
    s = stage(s, hyphen_replace);
    s = stage(s, operator_trim);
    s = stage(s, tilde_trim);
    s = stage(s, caret_trim);
    if (!s)
        return -1;
    int rc = 0;
    for (char *tok = s; tok && !rc;) {
        char *sp = strchr(tok, ' ');
        if (sp)
            *sp = '\0';
        char *d = desugar(tok);
        rc = d ? add_comparators(set, d) : -1;
        free(d);
        tok = sp ? sp + 1 : NULL;
    }
    free(s);
    return rc;
}

static int range_push(semver_range_t *r, const cset_t *set) {
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        cset_t *ns = realloc(r->sets, cap * sizeof *ns);
        if (!ns)
            return -1;
        r->sets = ns;
        r->cap = cap;
    }
    r->sets[r->n++] = *set;
    if (set->n == 0)
        r->any = 1;
    return 0;
}

/* Parses s[0..n), trimming the blanks node-semver trims around '||'. */
static int add_part(semver_range_t *r, const char *s, size_t n) {
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    char *part = strndup(s, n);
    cset_t set = {0};
    if (!part || parse_set(part, &set) || range_push(r, &set)) {
        free(part);
        free(set.c);
        return -1;
    }
    free(part);
    return 0;
}

semver_range_t *semver_range_parse(const char *s) {
    if (!s)
        return NULL;
    semver_range_t *r = calloc(1, sizeof *r);
    char *norm = normalize_space(s);
    if (!r || !norm) {
        free(r);
        free(norm);
        return NULL;
    }
    for (const char *p = norm;;) {
        const char *bar = strstr(p, "||");
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (add_part(r, p, n)) {
            free(norm);
            semver_range_free(r);
            return NULL;
        }
        if (!bar)
            break;
        p = bar + 2;
    }
    free(norm);
    return r;
}

void semver_range_free(semver_range_t *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->sets[i].c);
    free(r->sets);
    free(r);
}

/* ---- versions ---- */

int semver_parse(const char *s, semver_t *out) {
    semver_t v;
    if (!s || !out)
        return -1;
    while (is_space(*s))
        s++;
    while (*s == '=' || *s == 'v') /* what clean() strips */
        s++;
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        n--;
    if (n > VERSION_MAX_LEN)
        return -1;
    char buf[VERSION_MAX_LEN + 1];
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (parse_plain(buf, n, 1, &v))
        return -1;
    *out = v;
    return 0;
}

static int all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return n > 0;
}

/* Numeric identifiers of any length, compared by value. */
static int cmp_numeric(const char *a, size_t an, const char *b, size_t bn) {
    while (an > 1 && *a == '0')
        a++, an--;
    while (bn > 1 && *b == '0')
        b++, bn--;
    if (an != bn)
        return an < bn ? -1 : 1;
    int d = memcmp(a, b, an);
    return (d > 0) - (d < 0);
}

/* node-semver's compareIdentifiers: numbers sort below words. */
static int cmp_ident(const char *a, size_t an, const char *b, size_t bn) {
    int anum = all_digits(a, an), bnum = all_digits(b, bn);
    if (anum && bnum)
        return cmp_numeric(a, an, b, bn);
    if (anum != bnum)
        return anum ? -1 : 1;
    int d = memcmp(a, b, an < bn ? an : bn);
    if (d)
        return d < 0 ? -1 : 1;
    return (an > bn) - (an < bn);
}

/* A release sorts above its prereleases; a longer identifier list sorts
 * above a prefix of it. */
static int cmp_pre(const char *a, const char *b) {
    if (!*a || !*b)
        return (!*a) - (!*b);
    for (;;) {
        size_t an = strcspn(a, "."), bn = strcspn(b, ".");
        int d = cmp_ident(a, an, b, bn);
        if (d)
            return d;
        a += an, b += bn;
        if (!*a || !*b)
            return (*a != '\0') - (*b != '\0');
        a++, b++;
    }
}

static int cmp_ul(unsigned long a, unsigned long b) { return (a > b) - (a < b); }

int semver_cmp(const semver_t *a, const semver_t *b) {
    int d = cmp_ul(a->major, b->major);
    if (!d)
        d = cmp_ul(a->minor, b->minor);
    if (!d)
        d = cmp_ul(a->patch, b->patch);
    return d ? d : cmp_pre(a->pre, b->pre);
}

int semver_format(const semver_t *v, char *buf, size_t n) {
    return snprintf(buf, n, "%lu.%lu.%lu%s%s", v->major, v->minor, v->patch,
                    v->pre[0] ? "-" : "", v->pre);
}

/* ---- matching ---- */

static int comp_test(const comp_t *c, const semver_t *v) {
    int d = semver_cmp(v, &c->v);
    switch (c->op) {
    case OP_LT: return d < 0;
    case OP_LE: return d <= 0;
    case OP_GT: return d > 0;
    case OP_GE: return d >= 0;
    default: return d == 0;
    }
}

static int same_tuple(const semver_t *a, const semver_t *b) {
    return a->major == b->major && a->minor == b->minor && a->patch == b->patch;
}

/* A prerelease passes only where the set names a prerelease of the same
 * major.minor.patch: ">=1.2.3-beta" admits 1.2.3-rc but not 1.2.4-rc, so a
 * range never drifts onto unstable versions nobody asked for. */
static int set_test(const cset_t *set, const semver_t *v) {
    for (size_t i = 0; i < set->n; i++)
        if (!comp_test(&set->c[i], v))
            return 0;
    if (!v->pre[0])
        return 1;
    for (size_t i = 0; i < set->n; i++)
        if (set->c[i].v.pre[0] && same_tuple(&set->c[i].v, v))
            return 1;
    return 0;
}

int semver_range_satisfies(const semver_range_t *r, const semver_t *v) {
    if (!r || !v)
        return 0;
    /* node-semver collapses "A || *" to "*" alone, which admits no
     * prerelease, even one that A would have admitted. */
    if (r->any)
        return v->pre[0] == '\0';
    for (size_t i = 0; i < r->n; i++)
        if (set_test(&r->sets[i], v))
            return 1;
    return 0;
}

static const comp_t *find_op(const cset_t *set, int op, const semver_t *want) {
    for (size_t i = 0; i < set->n; i++)
        if (set->c[i].op == op && (!want || !semver_cmp(&set->c[i].v, want)))
            return &set->c[i];
    return NULL;
}

/* The version a set pins down, by "=V" or by ">=V <=V" (what "V - V" reads
 * as); NULL when it has no such pin. With want, only a pin on want counts. */
static const semver_t *set_pin(const cset_t *set, const semver_t *want) {
    const comp_t *c = find_op(set, OP_EQ, want);
    if (c)
        return &c->v;
    for (size_t i = 0; i < set->n; i++) {
        const semver_t *v = &set->c[i].v;
        if (set->c[i].op == OP_GE && (!want || !semver_cmp(v, want)) &&
            find_op(set, OP_LE, v))
            return v;
    }
    return NULL;
}

/* Exact when every set pins the same version (so none can match anything
 * else) and that version does satisfy the range. */
int semver_range_exact(const semver_range_t *r, semver_t *out) {
    if (!r || r->any || r->n == 0)
        return 0;
    const semver_t *pin = set_pin(&r->sets[0], NULL);
    if (!pin)
        return 0;
    semver_t v = *pin;
    for (size_t i = 1; i < r->n; i++)
        if (!set_pin(&r->sets[i], &v))
            return 0;
    if (!semver_range_satisfies(r, &v))
        return 0;
    if (out)
        *out = v;
    return 1;
}
