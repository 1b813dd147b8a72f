/* ASCII armor and the cleartext signature framework (RFC 4880 sections 6
 * and 7). Everything works on a caller's buffer line by line; a line is the
 * bytes up to '\n', and trailing '\r', spaces and tabs never matter to the
 * armor grammar, so files with CRLF endings read the same as LF ones. */
#include "pgp_armor.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARMOR_BEGIN "-----BEGIN PGP "
#define ARMOR_END "-----END PGP "
#define ARMOR_DASHES "-----"

typedef struct {
    const char *p;
    size_t n; /* without the '\n' */
} line_t;

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

unsigned long pgp_crc24(const unsigned char *p, size_t n)
{
    unsigned long crc = 0xB704CEUL;
    for (size_t i = 0; i < n; i++) {
        crc ^= (unsigned long)p[i] << 16;
        for (int b = 0; b < 8; b++) {
            crc <<= 1;
            if (crc & 0x1000000UL)
                crc ^= 0x1864CFBUL;
        }
    }
    return crc & 0xFFFFFFUL;
}

/* The next line at *pos; 0 at the end of the buffer. */
static int next_line(const char *buf, size_t len, size_t *pos, line_t *ln)
{
    if (*pos >= len)
        return 0;
    const char *start = buf + *pos;
    const char *nl = memchr(start, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - start) : len - *pos;
    ln->p = start;
    ln->n = n;
    *pos += n + (nl ? 1 : 0);
    return 1;
}

/* Length without trailing blanks: RFC 4880 has them ignored everywhere in
 * armor, and they are not part of signed cleartext. */
static size_t rtrim_len(const char *p, size_t n)
{
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    return n;
}

static int line_is(const line_t *ln, const char *s)
{
    size_t n = rtrim_len(ln->p, ln->n);
    return n == strlen(s) && memcmp(ln->p, s, n) == 0;
}

static int line_starts(const line_t *ln, const char *s)
{
    size_t n = strlen(s);
    return ln->n >= n && memcmp(ln->p, s, n) == 0;
}

/* "-----BEGIN PGP <label>-----" or "-----END PGP <label>-----": copy the
 * label out. Returns 1 on a match. */
static int armor_line_label(const line_t *ln, const char *prefix, char *label, size_t labellen)
{
    size_t n = rtrim_len(ln->p, ln->n), pl = strlen(prefix), dl = strlen(ARMOR_DASHES);
    if (n < pl + dl + 1 || memcmp(ln->p, prefix, pl) != 0 ||
        memcmp(ln->p + n - dl, ARMOR_DASHES, dl) != 0)
        return 0;
    size_t ll = n - pl - dl;
    if (ll + 1 > labellen)
        return 0;
    for (size_t i = 0; i < ll; i++)
        if (!isprint((unsigned char)ln->p[pl + i]))
            return 0;
    memcpy(label, ln->p + pl, ll);
    label[ll] = '\0';
    return 1;
}

/* Incremental base64 decoding; the output buffer is sized by the caller to
 * at least 3/4 of all input fed. */
typedef struct {
    unsigned char *out;
    size_t n;
    unsigned long acc;
    int bits;
    size_t chars; /* data characters seen, for the final-group check */
    int pad;      /* '=' seen: only more '=' may follow */
} b64_state;

static int b64_val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static int b64_feed(b64_state *st, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '=') {
            st->pad = 1;
            continue;
        }
        int v = b64_val((unsigned char)p[i]);
        if (v < 0 || st->pad)
            return -1;
        st->acc = ((st->acc << 6) | (unsigned long)v) & 0xFFFFFFUL;
        st->bits += 6;
        st->chars++;
        if (st->bits >= 8) {
            st->bits -= 8;
            st->out[st->n++] = (unsigned char)(st->acc >> st->bits);
        }
    }
    return 0;
}

/* A lone character in the last group carries less than a byte: corrupt. */
static int b64_finish(const b64_state *st)
{
    return st->chars % 4 == 1 ? -1 : 0;
}

/* The "=XXXX" checksum line: four base64 characters, 24 bits. */
static int parse_crc_line(const line_t *ln, unsigned long *crc)
{
    size_t n = rtrim_len(ln->p, ln->n);
    if (n != 5 || ln->p[0] != '=')
        return -1;
    unsigned long v = 0;
    for (size_t i = 1; i < 5; i++) {
        int d = b64_val((unsigned char)ln->p[i]);
        if (d < 0)
            return -1;
        v = (v << 6) | (unsigned long)d;
    }
    *crc = v;
    return 0;
}

/* A header line is "Key: value" (RFC 4880 6.2); gpg also writes "Key:" with
 * an empty value. Base64 can contain neither ':' nor ' '. */
static int is_header_line(const line_t *ln)
{
    size_t n = rtrim_len(ln->p, ln->n);
    const char *colon = memchr(ln->p, ':', n);
    return colon && colon > ln->p && (colon + 1 == ln->p + n || colon[1] == ' ');
}

/* Skip armor headers. Leaves *pos at the first body line. A missing blank
 * line after the headers is tolerated: some writers omit it when there are
 * no headers, and a base64 line can never look like a header. */
static int skip_armor_headers(const char *buf, size_t len, size_t *pos)
{
    line_t ln;
    size_t at = *pos;
    while (next_line(buf, len, &at, &ln)) {
        if (rtrim_len(ln.p, ln.n) == 0) {
            *pos = at;
            return 0;
        }
        if (!is_header_line(&ln))
            return 0; /* *pos still points at this line: it is body */
        *pos = at;
    }
    return -1;
}

typedef struct {
    b64_state b64;
    int have_crc;
    unsigned long crc;
} armor_body;

/* Read base64 lines up to the END line. Returns 0, or -1 with err. */
static int read_armor_body(const char *buf, size_t len, size_t *pos, const char *label,
                           armor_body *ab, char *err, size_t errlen)
{
    line_t ln;
    char endlabel[64];
    while (next_line(buf, len, pos, &ln)) {
        size_t n = rtrim_len(ln.p, ln.n);
        if (line_starts(&ln, ARMOR_END)) {
            if (!armor_line_label(&ln, ARMOR_END, endlabel, sizeof endlabel) ||
                strcmp(endlabel, label) != 0) {
                set_err(err, errlen, "armor end line does not match its begin line");
                return -1;
            }
            return 0;
        }
        if (n == 0)
            continue;
        if (ab->have_crc) {
            set_err(err, errlen, "data after the armor checksum");
            return -1;
        }
        if (ln.p[0] == '=') {
            if (parse_crc_line(&ln, &ab->crc) < 0) {
                set_err(err, errlen, "bad armor checksum line");
                return -1;
            }
            ab->have_crc = 1;
            continue;
        }
        if (b64_feed(&ab->b64, ln.p, n) < 0) {
            set_err(err, errlen, "invalid base64 in armor");
            return -1;
        }
    }
    set_err(err, errlen, "armor is truncated (no end line)");
    return -1;
}

/* Find the next BEGIN line; 1 found (label filled, *pos after it), 0 none. */
static int find_armor_begin(const char *buf, size_t len, size_t *pos, char *label, size_t labellen)
{
    line_t ln;
    while (next_line(buf, len, pos, &ln))
        if (line_starts(&ln, ARMOR_BEGIN) && armor_line_label(&ln, ARMOR_BEGIN, label, labellen))
            return 1;
    return 0;
}

int pgp_armor_next(const char *buf, size_t len, size_t *pos,
                   char *label, size_t labellen,
                   unsigned char **out, size_t *outlen,
                   char *err, size_t errlen)
{
    char lab[64];
    *out = NULL;
    *outlen = 0;
    if (!find_armor_begin(buf, len, pos, lab, sizeof lab))
        return 0;
    if (skip_armor_headers(buf, len, pos) < 0) {
        set_err(err, errlen, "armor is truncated (no end line)");
        return -1;
    }
    armor_body ab;
    memset(&ab, 0, sizeof ab);
    /* Base64 shrinks: the rest of the input bounds the output. */
    ab.b64.out = malloc((len - *pos) / 4 * 3 + 4);
    if (!ab.b64.out) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    if (read_armor_body(buf, len, pos, lab, &ab, err, errlen) < 0)
        goto fail;
    if (b64_finish(&ab.b64) < 0) {
        set_err(err, errlen, "invalid base64 in armor");
        goto fail;
    }
    if (ab.have_crc && pgp_crc24(ab.b64.out, ab.b64.n) != ab.crc) {
        set_err(err, errlen, "armor checksum mismatch (the block is corrupt)");
        goto fail;
    }
    if (label)
        snprintf(label, labellen, "%s", lab);
    *out = ab.b64.out;
    *outlen = ab.b64.n;
    return 1;
fail:
    free(ab.b64.out);
    return -1;
}

/* Append the names in a "Hash:" header value to ct->hashes, upper-cased and
 * comma-separated; names that do not fit are dropped (they could only make
 * the later check stricter). */
static void add_hash_names(pgp_cleartext *ct, const char *p, size_t n)
{
    size_t used = strlen(ct->hashes);
    if (used > 0 && used + 2 < sizeof ct->hashes)
        ct->hashes[used++] = ',';
    for (size_t i = 0; i < n && used + 2 < sizeof ct->hashes; i++)
        if (p[i] != ' ' && p[i] != '\t')
            ct->hashes[used++] = (char)toupper((unsigned char)p[i]);
    ct->hashes[used] = '\0';
}

/* The cleartext headers: only "Hash:" is defined (RFC 4880 7). Anything else
 * (such as gpg's NotDashEscaped) would change how the body is read, so it is
 * refused rather than ignored. */
static int parse_clear_headers(const char *buf, size_t len, size_t *pos, pgp_cleartext *ct,
                               char *err, size_t errlen)
{
    line_t ln;
    while (next_line(buf, len, pos, &ln)) {
        size_t n = rtrim_len(ln.p, ln.n);
        if (n == 0)
            return 0;
        if (n >= 5 && memcmp(ln.p, "Hash:", 5) == 0) {
            ct->has_hash_header = 1;
            add_hash_names(ct, ln.p + 5, n - 5);
            continue;
        }
        set_err(err, errlen, "unexpected header line in signed message");
        return -1;
    }
    set_err(err, errlen, "signed message is truncated (no text)");
    return -1;
}

/* Add one body line to both outputs. */
static void clear_add_line(pgp_cleartext *ct, const char *p, size_t n, int first)
{
    if (!first) {
        ct->canon[ct->canon_len++] = '\r';
        ct->canon[ct->canon_len++] = '\n';
        ct->text[ct->text_len++] = '\n';
    }
    memcpy(ct->canon + ct->canon_len, p, n);
    memcpy(ct->text + ct->text_len, p, n);
    ct->canon_len += n;
    ct->text_len += n;
}

/* The dash-escaped body, up to the signature's BEGIN line. */
static int parse_clear_body(const char *buf, size_t len, size_t *pos, pgp_cleartext *ct,
                            char *err, size_t errlen)
{
    line_t ln;
    int first = 1;
    size_t start = *pos;
    while (next_line(buf, len, pos, &ln)) {
        if (line_is(&ln, "-----BEGIN PGP SIGNATURE-----")) {
            ct->sig_off = start;
            return 0;
        }
        const char *p = ln.p;
        size_t n = ln.n;
        if (n >= 2 && p[0] == '-' && p[1] == ' ') {
            p += 2;
            n -= 2;
        } else if (line_starts(&ln, ARMOR_BEGIN) || line_starts(&ln, ARMOR_END)) {
            /* An unescaped armor line inside the text is either a broken
             * signer or an attempt to confuse where the text ends. */
            set_err(err, errlen, "unescaped armor line in signed text");
            return -1;
        }
        clear_add_line(ct, p, rtrim_len(p, n), first);
        first = 0;
        start = *pos;
    }
    set_err(err, errlen, "signed message has no signature");
    return -1;
}

int pgp_cleartext_parse(const char *buf, size_t len, pgp_cleartext *ct,
                        char *err, size_t errlen)
{
    line_t ln;
    size_t pos = 0;
    memset(ct, 0, sizeof *ct);
    int found = 0;
    while (!found && next_line(buf, len, &pos, &ln))
        found = line_is(&ln, "-----BEGIN PGP SIGNED MESSAGE-----");
    if (!found) {
        set_err(err, errlen, "not a signed message (no begin line)");
        return -1;
    }
    if (parse_clear_headers(buf, len, &pos, ct, err, errlen) < 0)
        return -1;
    /* CRLF joins can at most double the size; one extra for the final LF. */
    ct->canon = malloc(2 * (len - pos) + 2);
    ct->text = malloc(len - pos + 2);
    if (!ct->canon || !ct->text) {
        set_err(err, errlen, "out of memory");
        pgp_cleartext_free(ct);
        return -1;
    }
    if (parse_clear_body(buf, len, &pos, ct, err, errlen) < 0) {
        pgp_cleartext_free(ct);
        return -1;
    }
    /* The signed text ends without a line ending; a file has one. When the
     * last signed line is empty (the signer kept the file's final newline
     * by leaving a blank line before the signature), the LF is there. */
    if (ct->text_len > 0 && ct->text[ct->text_len - 1] != '\n')
        ct->text[ct->text_len++] = '\n';
    ct->text[ct->text_len] = '\0';
    return 0;
}

void pgp_cleartext_free(pgp_cleartext *ct)
{
    free(ct->canon);
    free(ct->text);
    ct->canon = NULL;
    ct->text = NULL;
    ct->canon_len = ct->text_len = 0;
}
