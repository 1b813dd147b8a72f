/* Native OpenPGP signature verification for SHASUMS256.txt.asc (cleartext
 * signed) and SHASUMS256.txt.sig (detached), so that nodus never needs gpg.
 *
 * Scope: v4 keys and v4 signatures (RFC 4880), RSA (algorithms 1 and 3,
 * 2048-8192 bits) and Ed25519 (legacy EdDSA, algorithm 22 with the Ed25519
 * curve OID, and the RFC 9580 algorithm 27 in v4 packets). Digests:
 * SHA-1 (reported as weak), SHA-224/256/384/512, SHA3-256/512.
 * Signature types 0x00 (binary) and 0x01 (canonical text).
 *
 * Policy is the caller's: like gpgv, a cryptographically good signature by a
 * key that had expired (or was revoked) is reported as PGP_OK, and the result
 * says so; the caller decides whether to accept it.
 *
 * Ownership: a keyring owns its keys; results hold no pointers into the
 * keyring (hash_name points to a static string). Nothing here keeps a
 * pointer to the caller's buffers after a call returns. */
#ifndef NODUS_PGP_H
#define NODUS_PGP_H
#include <stddef.h>

typedef struct pgp_keyring pgp_keyring;

/* An empty keyring, or NULL when out of memory. */
pgp_keyring *pgp_keyring_new(void);
void pgp_keyring_free(pgp_keyring *kr);

/* Add every key (primary key with its user IDs and subkeys) in an armored or
 * binary key block. Self-signatures and subkey bindings are verified while
 * loading; a subkey whose binding does not verify is not used. A key whose
 * primary fingerprint is already in the ring is skipped (the first copy
 * wins). Returns the number of primary keys added (keys with algorithms we
 * cannot verify with count too: they make "unsupported" answers possible),
 * or -1 with err filled (lower case, no trailing period). */
int pgp_keyring_add(pgp_keyring *kr, const unsigned char *buf, size_t len,
                    char *err, size_t errlen);

/* Load every regular *.asc and *.gpg file in dir, in name order. Returns the
 * number of keys added, or -1 when the directory cannot be read or a file is
 * not a key block (err names the file). */
int pgp_keyring_add_dir(pgp_keyring *kr, const char *dir, char *err, size_t errlen);

/* Number of primary keys in the ring. */
int pgp_keyring_count(const pgp_keyring *kr);

typedef enum {
    PGP_OK = 0,
    PGP_BAD_SIGNATURE, /* a key we have says the signature does not match */
    PGP_UNKNOWN_KEY,   /* no key in the ring made this signature */
    PGP_MALFORMED,     /* not parseable as what was asked for */
    PGP_UNSUPPORTED    /* well-formed, but a version/algorithm we do not do */
} pgp_status;

typedef struct {
    char primary_fpr[41];   /* 40 upper-case hex digits of the primary key, "" if unknown */
    char signing_fpr[41];   /* of the key (primary or subkey) that signed */
    char keyid[17];         /* issuer key ID (16 hex), from the signature */
    char uid[160];          /* the primary key's primary user ID (UTF-8,
                               control characters replaced by '?') */
    long long sig_created;  /* unix time, from subpacket 2 */
    long long sig_expires;  /* unix time; 0 = never (subpacket 3) */
    long long key_created;  /* of the signing (sub)key */
    long long key_expires;  /* unix time the signing key stops being valid:
                               the earlier of its own and its primary's
                               expiry; 0 = never */
    int key_expired_at_signing; /* sig_created >= key_expires (key_expires != 0) */
    int key_revoked;        /* the signing key or its primary carries a valid revocation */
    int weak_hash;          /* the signature digest is SHA-1 */
    const char *hash_name;  /* "SHA256" etc. (static), NULL if unknown */
    int sig_type;           /* 0x00 binary, 0x01 text */
    char detail[256];       /* lower-case human explanation when not PGP_OK */
} pgp_result;

/* Short lower-case name of a status ("ok", "bad signature", ...). */
const char *pgp_status_name(pgp_status st);

/* Verify a cleartext-signed message (RFC 4880 section 7). On PGP_OK, *text is
 * a malloc'd copy (caller frees) of exactly the signed text: dash-escapes
 * removed, trailing spaces and tabs removed from each line (they are not
 * signed), LF line endings and a newline after every line; NUL-terminated,
 * *textlen excludes the NUL. On any other status *text is NULL.
 * res may be NULL; text/textlen may be NULL when the caller needs no text. */
pgp_status pgp_verify_clearsigned(const pgp_keyring *kr, const char *asc, size_t len,
                                  char **text, size_t *textlen, pgp_result *res);

/* Verify a detached signature (binary packets, or an armored "PGP SIGNATURE"
 * block, text before it allowed) over data. For a text (0x01) signature
 * every line ending becomes CRLF; trailing blanks are dropped per line as
 * RFC 2440 and gpg do, and the RFC 4880 form that keeps them is accepted
 * too. When several signatures are present, one good one is enough.
 * res may be NULL. */
pgp_status pgp_verify_detached(const pgp_keyring *kr,
                               const unsigned char *data, size_t len,
                               const unsigned char *sig, size_t siglen,
                               pgp_result *res);

#endif
