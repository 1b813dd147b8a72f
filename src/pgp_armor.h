/* OpenPGP ASCII armor (RFC 4880 section 6) and the cleartext signature
 * framework (section 7). Internal to the pgp module: these functions only
 * reshape bytes; nothing here decides whether a signature is good. */
#ifndef NODUS_PGP_ARMOR_H
#define NODUS_PGP_ARMOR_H
#include <stddef.h>

/* The CRC-24 of RFC 4880 section 6.1. */
unsigned long pgp_crc24(const unsigned char *p, size_t n);

/* Decode the next armor block that starts at a line beginning at or after
 * *pos. On success returns 1, stores the block's label (what follows
 * "BEGIN PGP ", e.g. "SIGNATURE" or "PUBLIC KEY BLOCK") in label, the decoded
 * bytes in *out (malloc'd, caller frees; never NULL on success, even when
 * empty) and moves *pos past the END line. Returns 0 when there is no
 * further BEGIN line, -1 when the block is malformed (err says why). */
int pgp_armor_next(const char *buf, size_t len, size_t *pos,
                   char *label, size_t labellen,
                   unsigned char **out, size_t *outlen,
                   char *err, size_t errlen);

/* A cleartext-signed message, split into what was signed and where the
 * signature is. */
typedef struct {
    unsigned char *canon; /* the signed text as the signer hashed it: lines
                             without trailing blanks, joined by CRLF, no line
                             ending after the last line (malloc'd) */
    size_t canon_len;
    char *text;           /* the same lines joined by LF, with a final LF
                             (malloc'd, NUL-terminated) */
    size_t text_len;
    int has_hash_header;  /* at least one "Hash:" header was present */
    char hashes[128];     /* the names it listed, upper case, comma-separated */
    size_t sig_off;       /* offset of the "-----BEGIN PGP SIGNATURE-----" line */
} pgp_cleartext;

/* Split a cleartext-signed message. Returns 0, or -1 with err filled when the
 * framing is malformed. On success release with pgp_cleartext_free. */
int pgp_cleartext_parse(const char *buf, size_t len, pgp_cleartext *ct,
                        char *err, size_t errlen);
void pgp_cleartext_free(pgp_cleartext *ct);

#endif
