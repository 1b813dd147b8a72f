#include "visible.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char HEX[] = "0123456789abcdef";

/* A code point a terminal may act on or that reorders the text after it. */
static int cp_hidden(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* One strict UTF-8 sequence at s (no overlong forms, no surrogates, nothing
 * above U+10FFFF). Returns its length, or 0 when s does not start one. */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t need;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 2, v = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3, v = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return need;
}

/* The next unit of s: how many bytes it takes (returned) and how it is
 * shown (*out points either into s or into buf, *outlen bytes). */
static size_t unit(const unsigned char *s, size_t len, char buf[8], const char **out, size_t *outlen)
{
    unsigned char c = s[0];
    if (c >= 0x20 && c < 0x7f) {
        *out = (const char *)s;
        *outlen = 1;
        return 1;
    }
    uint32_t cp = 0;
    size_t k = c >= 0x80 ? utf8_seq(s, len, &cp) : 0;
    if (k && !cp_hidden(cp)) {
        *out = (const char *)s;
        *outlen = k;
        return k;
    }
    if (k) {
        buf[0] = '\\', buf[1] = 'u';
        for (int i = 0; i < 4; i++)
            buf[2 + i] = HEX[(cp >> (12 - 4 * i)) & 0xf];
        *out = buf;
        *outlen = 6;
        return k;
    }
    buf[0] = '\\', buf[1] = 'x', buf[2] = HEX[c >> 4], buf[3] = HEX[c & 0xf];
    *out = buf;
    *outlen = 4;
    return 1;
}

int vis_clean(const char *s, size_t len)
{
    return vis_len(s, len) == len;
}

size_t vis_len(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t total = 0;
    char buf[8];
    const char *o;
    size_t ol;
    for (size_t i = 0; i < len;) {
        i += unit(p + i, len - i, buf, &o, &ol);
        total += ol;
    }
    return total;
}

/* Append the visible form of s[from..to) to dst at *at. The caller has
 * made sure it fits. */
static void put_range(char *dst, size_t *at, const unsigned char *s, size_t from, size_t to)
{
    char buf[8];
    const char *o;
    size_t ol;
    for (size_t i = from; i < to;) {
        i += unit(s + i, to - i, buf, &o, &ol);
        memcpy(dst + *at, o, ol);
        *at += ol;
    }
}

static size_t fmt_dec(char *out, size_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

char *vis_mem(char *dst, size_t n, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t at = 0;
    if (n == 0)
        return dst;
    size_t total = vis_len(s, len);
    if (total < n) {
        put_range(dst, &at, p, 0, len);
        dst[at] = '\0';
        return dst;
    }
    /* "...[" digits " bytes left out]...": 26 bytes with up to 20 digits. */
    static const char pre[] = "...[", post[] = " bytes left out]...";
    size_t marker = sizeof pre - 1 + sizeof post - 1 + 20;
    if (n < marker + 8) {
        dst[0] = '\0';
        return dst;
    }
    size_t budget = n - 1 - marker, head_budget = budget / 2, tail_budget = budget - head_budget;
    /* Head: whole units while they fit. Tail: the first unit from which
     * the rest fits. Both are found walking forwards, so a UTF-8 sequence
     * is never entered from its end. */
    char buf[8];
    const char *o;
    size_t ol, head_end = 0, shown = 0, tail_start = len, before = 0;
    int head_done = 0, tail_found = 0;
    for (size_t i = 0; i < len;) {
        size_t used = unit(p + i, len - i, buf, &o, &ol);
        if (!head_done) {
            if (shown + ol <= head_budget) {
                shown += ol;
                head_end = i + used;
            } else {
                head_done = 1;
            }
        }
        if (!tail_found && i >= head_end && total - before <= tail_budget) {
            tail_start = i;
            tail_found = 1;
        }
        before += ol;
        i += used;
    }
    put_range(dst, &at, p, 0, head_end);
    memcpy(dst + at, pre, sizeof pre - 1);
    at += sizeof pre - 1;
    at += fmt_dec(dst + at, tail_start - head_end);
    memcpy(dst + at, post, sizeof post - 1);
    at += sizeof post - 1;
    put_range(dst, &at, p, tail_start, len);
    dst[at] = '\0';
    return dst;
}

char *vis_str(char *dst, size_t n, const char *s)
{
    return vis_mem(dst, n, s ? s : "", s ? strlen(s) : 0);
}

int vis_fputs(const char *s, FILE *f)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    char buf[8];
    const char *o;
    size_t ol;
    for (size_t i = 0; i < len;) {
        /* Runs of plain text go out in one write. */
        size_t run = i;
        while (run < len && p[run] >= 0x20 && p[run] < 0x7f)
            run++;
        if (run > i && fwrite(p + i, 1, run - i, f) != run - i)
            return EOF;
        i = run;
        if (i >= len)
            break;
        i += unit(p + i, len - i, buf, &o, &ol);
        if (fwrite(o, 1, ol, f) != ol)
            return EOF;
    }
    return 0;
}

int vis_printf(FILE *f, const char *fmt, ...)
{
    size_t fl = strlen(fmt);
    int nl = fl && fmt[fl - 1] == '\n';
    /* Two passes of vsnprintf: vasprintf is not POSIX. */
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text)
        vsnprintf(text, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    if (!text)
        return EOF;
    if (nl)
        text[n - 1] = '\0';
    int r = vis_fputs(text, f);
    free(text);
    if (r == 0 && nl && fputc('\n', f) == EOF)
        r = EOF;
    return r;
}
