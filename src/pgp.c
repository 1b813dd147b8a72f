/* OpenPGP packets, keys and signature verification (RFC 4880, with the
 * Ed25519 parts of RFC 4880bis/RFC 9580), on OpenSSL 3 EVP.
 *
 * Everything parses a caller's buffer through a bounds-checked cursor; no
 * length read from the input is trusted before it is checked against what
 * is left. Keys are turned into EVP_PKEYs once, when the keyring is loaded,
 * after their self-signatures have been checked, so verifying a file costs
 * one digest and one public-key operation. */
#include "pgp.h"
#include "readfile.h"
#include "pgp_armor.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h> /* RSA_PKCS1_PADDING only; no RSA_* calls */

enum {
    TAG_SIG = 2,
    TAG_PUBKEY = 6,
    TAG_UID = 13,
    TAG_PUBSUB = 14,
    TAG_UATTR = 17,
};

enum {
    ALG_RSA = 1,
    ALG_RSA_E = 2,
    ALG_RSA_S = 3,
    ALG_EDDSA = 22,   /* legacy EdDSA with a curve OID (gpg's ed25519) */
    ALG_ED25519 = 27, /* RFC 9580 native Ed25519 */
};

enum {
    SIG_BINARY = 0x00,
    SIG_TEXT = 0x01,
    SIG_CERT_FIRST = 0x10,
    SIG_CERT_LAST = 0x13,
    SIG_SUBKEY_BIND = 0x18,
    SIG_PRIMARY_BIND = 0x19,
    SIG_DIRECT = 0x1F,
    SIG_KEY_REVOKE = 0x20,
    SIG_SUBKEY_REVOKE = 0x28,
    SIG_CERT_REVOKE = 0x30,
};

#define KEYFLAG_SIGN 0x02
#define RSA_MIN_BITS 2048
#define RSA_MAX_BITS 8192
#define MAX_SIGS_CHECKED 16     /* a signature file has one or two */
#define MAX_KEYFILE (4u << 20)  /* the biggest real key block is ~100 KiB */

/* 1.3.6.1.4.1.11591.15.1, the Ed25519 curve in legacy EdDSA keys. */
static const unsigned char OID_ED25519[] = {0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01};

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

static void hex_upper(const unsigned char *p, size_t n, char *out)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

/* ------------------------------------------------------------------ */
/* Bounds-checked reading                                              */

typedef struct {
    const unsigned char *p;
    size_t n;
} cur_t;

static int cur_bytes(cur_t *c, size_t n, const unsigned char **out)
{
    if (c->n < n)
        return -1;
    if (out)
        *out = c->p;
    c->p += n;
    c->n -= n;
    return 0;
}

static int cur_be(cur_t *c, size_t n, unsigned long *v)
{
    const unsigned char *p;
    if (cur_bytes(c, n, &p) < 0)
        return -1;
    *v = 0;
    for (size_t i = 0; i < n; i++)
        *v = (*v << 8) | p[i];
    return 0;
}

static int cur_u8(cur_t *c, unsigned *v)
{
    unsigned long x;
    if (cur_be(c, 1, &x) < 0)
        return -1;
    *v = (unsigned)x;
    return 0;
}

static unsigned long be32(const unsigned char *p)
{
    return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
           ((unsigned long)p[2] << 8) | p[3];
}

/* ------------------------------------------------------------------ */
/* Packet framing (RFC 4880 4.2)                                       */

typedef struct {
    int tag;
    const unsigned char *body; /* NULL for a partial-length packet: only data
                                  packets use those, and we skip them */
    size_t len;
} pgp_pkt;

/* A new-format length; partial lengths set *partial. */
static int new_len(cur_t *c, size_t *len, int *partial)
{
    unsigned o1, o2;
    unsigned long v;
    *partial = 0;
    if (cur_u8(c, &o1) < 0)
        return -1;
    if (o1 < 192) {
        *len = o1;
    } else if (o1 < 224) {
        if (cur_u8(c, &o2) < 0)
            return -1;
        *len = ((size_t)(o1 - 192) << 8) + o2 + 192;
    } else if (o1 == 255) {
        if (cur_be(c, 4, &v) < 0)
            return -1;
        *len = v;
    } else {
        *len = (size_t)1 << (o1 & 0x1F);
        *partial = 1;
    }
    return 0;
}

/* Walk the chunks of a partial-length body to the end of the packet. */
static int skip_partial(cur_t *c, size_t first)
{
    size_t len = first;
    int partial = 1;
    while (partial) {
        if (cur_bytes(c, len, NULL) < 0)
            return -1;
        if (new_len(c, &len, &partial) < 0)
            return -1;
    }
    return cur_bytes(c, len, NULL);
}

static int old_len(cur_t *c, unsigned ltype, size_t *len)
{
    static const size_t width[3] = {1, 2, 4};
    unsigned long v;
    if (ltype == 3) { /* indeterminate: to the end of the input */
        *len = c->n;
        return 0;
    }
    if (cur_be(c, width[ltype], &v) < 0)
        return -1;
    *len = v;
    return 0;
}

/* The next packet. Returns 1, 0 at the end, -1 when the framing is broken. */
static int pkt_next(cur_t *c, pgp_pkt *pkt)
{
    unsigned ctb;
    size_t len;
    int partial = 0;
    if (c->n == 0)
        return 0;
    if (cur_u8(c, &ctb) < 0 || !(ctb & 0x80))
        return -1;
    if (ctb & 0x40) {
        pkt->tag = (int)(ctb & 0x3F);
        if (new_len(c, &len, &partial) < 0)
            return -1;
    } else {
        pkt->tag = (int)((ctb >> 2) & 0x0F);
        if (old_len(c, ctb & 3, &len) < 0)
            return -1;
    }
    if (partial) {
        pkt->body = NULL;
        pkt->len = 0;
        return skip_partial(c, len) < 0 ? -1 : 1;
    }
    pkt->len = len;
    return cur_bytes(c, len, &pkt->body) < 0 ? -1 : 1;
}

/* Check that a whole buffer is well-framed packets; count those of tag. */
static int count_packets(const unsigned char *buf, size_t len, int tag)
{
    cur_t c = {buf, len};
    pgp_pkt pkt;
    int rc, n = 0;
    while ((rc = pkt_next(&c, &pkt)) > 0)
        n += pkt.tag == tag;
    return rc < 0 ? -1 : n;
}

/* An MPI (RFC 4880 3.2), returned without leading zero bytes. */
static int read_mpi(cur_t *c, const unsigned char **p, size_t *n)
{
    unsigned long bits;
    if (cur_be(c, 2, &bits) < 0 || cur_bytes(c, (bits + 7) / 8, p) < 0)
        return -1;
    *n = (bits + 7) / 8;
    while (*n && **p == 0) {
        (*p)++;
        (*n)--;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Hash algorithms (RFC 4880 9.4, RFC 9580 9.5)                        */

typedef struct {
    int id;
    const char *name; /* as in the cleartext "Hash:" header */
    const EVP_MD *(*md)(void);
    int weak;
} hash_alg;

static const hash_alg HASHES[] = {
    {2, "SHA1", EVP_sha1, 1},
    {8, "SHA256", EVP_sha256, 0},
    {9, "SHA384", EVP_sha384, 0},
    {10, "SHA512", EVP_sha512, 0},
    {11, "SHA224", EVP_sha224, 0},
    {12, "SHA3-256", EVP_sha3_256, 0},
    {14, "SHA3-512", EVP_sha3_512, 0},
};

static const hash_alg *hash_by_id(int id)
{
    for (size_t i = 0; i < sizeof HASHES / sizeof HASHES[0]; i++)
        if (HASHES[i].id == id)
            return &HASHES[i];
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Signature packets (RFC 4880 5.2.3)                                  */

typedef struct {
    int type, pkalgo, hashalgo;
    const unsigned char *hashed; /* version through the hashed subpackets */
    size_t hashed_len;
    unsigned char left16[2];
    const unsigned char *m1, *m2; /* RSA: m1; EdDSA: r, s; algo 27: m1 = R||S */
    size_t m1n, m2n;
    int has_created;
    long long created;
    long long sig_expiry;  /* seconds after creation, 0 = never */
    int has_key_expiry;
    long long key_expiry;  /* seconds after key creation, 0 = never */
    int has_fpr, has_id, has_flags, primary_uid, unknown_critical;
    unsigned char issuer_fpr[20], issuer_id[8];
    unsigned flags;
    const unsigned char *embedded; /* subpacket 32, a signature packet body */
    size_t embedded_len;
} pgp_sig;

/* Subpacket types whose meaning we either use or know to be irrelevant to
 * verification; a critical subpacket outside this set makes the signature
 * unusable (RFC 4880 5.2.3.1). */
static int subpacket_understood(unsigned type)
{
    static const unsigned char known[] = {2, 3, 4, 7, 9, 11, 12, 16, 21, 22, 23,
                                          24, 25, 26, 27, 28, 30, 32, 33};
    for (size_t i = 0; i < sizeof known; i++)
        if (known[i] == type)
            return 1;
    return 0;
}

/* One subpacket. Facts that change what a signature means (times, flags)
 * count only in the hashed area; issuer hints and the embedded back-signature
 * are self-authenticating and may be in either. */
static int apply_subpacket(pgp_sig *s, unsigned type, int critical, const unsigned char *d,
                           size_t n, int hashed)
{
    if (hashed && critical && !subpacket_understood(type))
        s->unknown_critical = 1;
    if (type == 16 && n == 8) {
        memcpy(s->issuer_id, d, 8);
        s->has_id = 1;
    } else if (type == 33 && n == 21 && d[0] == 4) {
        memcpy(s->issuer_fpr, d + 1, 20);
        s->has_fpr = 1;
    } else if (type == 32) {
        s->embedded = d;
        s->embedded_len = n;
    }
    if (!hashed)
        return 0;
    if ((type == 2 || type == 3 || type == 9) && n != 4)
        return -1;
    if (type == 2) {
        s->created = (long long)be32(d);
        s->has_created = 1;
    } else if (type == 3) {
        s->sig_expiry = (long long)be32(d);
    } else if (type == 9) {
        s->key_expiry = (long long)be32(d);
        s->has_key_expiry = 1;
    } else if (type == 27 && n >= 1) {
        s->flags = d[0];
        s->has_flags = 1;
    } else if (type == 25 && n >= 1) {
        s->primary_uid = d[0] != 0;
    }
    return 0;
}

/* A subpacket area (RFC 4880 5.2.3.1). */
static int parse_subpackets(pgp_sig *s, const unsigned char *p, size_t n, int hashed)
{
    cur_t c = {p, n};
    while (c.n > 0) {
        unsigned o1, o2;
        unsigned long len;
        const unsigned char *d;
        if (cur_u8(&c, &o1) < 0)
            return -1;
        if (o1 < 192) {
            len = o1;
        } else if (o1 < 255) {
            if (cur_u8(&c, &o2) < 0)
                return -1;
            len = ((unsigned long)(o1 - 192) << 8) + o2 + 192;
        } else if (cur_be(&c, 4, &len) < 0) {
            return -1;
        }
        if (len == 0 || cur_bytes(&c, len, &d) < 0)
            return -1;
        if (apply_subpacket(s, d[0] & 0x7F, d[0] & 0x80, d + 1, len - 1, hashed) < 0)
            return -1;
    }
    return 0;
}

/* The algorithm-specific signature values. */
static int parse_sig_values(pgp_sig *s, cur_t *c)
{
    switch (s->pkalgo) {
    case ALG_RSA:
    case ALG_RSA_S:
        return read_mpi(c, &s->m1, &s->m1n);
    case ALG_EDDSA:
        if (read_mpi(c, &s->m1, &s->m1n) < 0)
            return -1;
        return read_mpi(c, &s->m2, &s->m2n);
    case ALG_ED25519:
        s->m1n = 64;
        return cur_bytes(c, 64, &s->m1);
    default:
        cur_bytes(c, c->n, NULL); /* unknown layout: not ours to judge */
        return 0;
    }
}

/* A signature packet body. Returns PGP_OK, PGP_MALFORMED or PGP_UNSUPPORTED
 * (not version 4), with detail filled. */
static pgp_status parse_sig(const unsigned char *b, size_t n, pgp_sig *s,
                            char *detail, size_t dlen)
{
    cur_t c = {b, n};
    unsigned v, type, pk, ha;
    unsigned long hlen, ulen;
    const unsigned char *hp, *up, *l16;
    memset(s, 0, sizeof *s);
    if (cur_u8(&c, &v) < 0)
        goto bad;
    if (v != 4) {
        set_err(detail, dlen, "version %u signatures are not supported", v);
        return PGP_UNSUPPORTED;
    }
    if (cur_u8(&c, &type) < 0 || cur_u8(&c, &pk) < 0 || cur_u8(&c, &ha) < 0 ||
        cur_be(&c, 2, &hlen) < 0 || cur_bytes(&c, hlen, &hp) < 0 ||
        cur_be(&c, 2, &ulen) < 0 || cur_bytes(&c, ulen, &up) < 0 ||
        cur_bytes(&c, 2, &l16) < 0)
        goto bad;
    s->type = (int)type;
    s->pkalgo = (int)pk;
    s->hashalgo = (int)ha;
    s->hashed = b;
    s->hashed_len = 6 + hlen;
    memcpy(s->left16, l16, 2);
    if (parse_subpackets(s, hp, hlen, 1) < 0 || parse_subpackets(s, up, ulen, 0) < 0 ||
        parse_sig_values(s, &c) < 0 || c.n != 0)
        goto bad;
    return PGP_OK;
bad:
    set_err(detail, dlen, "corrupt signature packet");
    return PGP_MALFORMED;
}

/* ------------------------------------------------------------------ */
/* Digests over the signed material (RFC 4880 5.2.4)                   */

static EVP_MD_CTX *digest_begin(const pgp_sig *s)
{
    const hash_alg *h = hash_by_id(s->hashalgo);
    EVP_MD_CTX *c = h ? EVP_MD_CTX_new() : NULL;
    if (c && EVP_DigestInit_ex(c, h->md(), NULL) != 1) {
        EVP_MD_CTX_free(c);
        c = NULL;
    }
    return c;
}

static void put_len(EVP_MD_CTX *c, unsigned char lead, size_t n, size_t width)
{
    unsigned char b[5];
    b[0] = lead;
    for (size_t i = 0; i < width; i++)
        b[1 + i] = (unsigned char)(n >> (8 * (width - 1 - i)));
    EVP_DigestUpdate(c, b, 1 + width);
}

/* A key as it is hashed: 0x99, two-octet length, the packet body. */
static void hash_key_packet(EVP_MD_CTX *c, const unsigned char *body, size_t n)
{
    put_len(c, 0x99, n, 2);
    EVP_DigestUpdate(c, body, n);
}

/* A user ID as it is hashed in a certification: 0xB4, four-octet length. */
static void hash_uid(EVP_MD_CTX *c, const unsigned char *uid, size_t n)
{
    put_len(c, 0xB4, n, 4);
    EVP_DigestUpdate(c, uid, n);
}

/* Append the signature's own hashed part and the v4 trailer, then finish.
 * Frees c. Returns the digest length, 0 on failure. */
static unsigned digest_finish(EVP_MD_CTX *c, const pgp_sig *s, unsigned char *md)
{
    unsigned mdlen = 0;
    EVP_DigestUpdate(c, s->hashed, s->hashed_len);
    put_len(c, 0x04, 0, 0);
    put_len(c, 0xFF, s->hashed_len, 4);
    if (EVP_DigestFinal_ex(c, md, &mdlen) != 1)
        mdlen = 0;
    EVP_MD_CTX_free(c);
    return mdlen;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

typedef struct {
    unsigned char fpr[20];
    int algo;
    EVP_PKEY *pkey;      /* NULL when we cannot verify with this key */
    const char *why;     /* why pkey is NULL */
    long long created;
    long long expires;   /* absolute; 0 = never */
    long long bind_time; /* creation of the self-signature in force */
    int revoked, can_sign;
    int usable;          /* primary: has a valid self-signature;
                            subkey: has a valid binding signature */
    int is_sub;
    size_t primary;      /* index of its primary (itself for a primary) */
    char uid[160];       /* primaries only */
} pgp_key;

struct pgp_keyring {
    pgp_key *keys;
    size_t n, cap;
    int nprimary;
};

pgp_keyring *pgp_keyring_new(void)
{
    return calloc(1, sizeof(pgp_keyring));
}

static void keyring_truncate(pgp_keyring *kr, size_t n)
{
    while (kr->n > n) {
        pgp_key *k = &kr->keys[--kr->n];
        if (!k->is_sub)
            kr->nprimary--;
        EVP_PKEY_free(k->pkey);
    }
}

void pgp_keyring_free(pgp_keyring *kr)
{
    if (!kr)
        return;
    keyring_truncate(kr, 0);
    free(kr->keys);
    free(kr);
}

int pgp_keyring_count(const pgp_keyring *kr)
{
    return kr ? kr->nprimary : 0;
}

/* Room for one more key; the index is returned, -1 when out of memory.
 * Callers hold indexes, never pointers, across this call. */
static long keyring_push(pgp_keyring *kr)
{
    if (kr->n == kr->cap) {
        size_t cap = kr->cap ? kr->cap * 2 : 32;
        pgp_key *k = realloc(kr->keys, cap * sizeof *k);
        if (!k)
            return -1;
        kr->keys = k;
        kr->cap = cap;
    }
    memset(&kr->keys[kr->n], 0, sizeof kr->keys[0]);
    return (long)kr->n++;
}

static EVP_PKEY *pkey_fromdata(const char *type, const OSSL_PARAM *params)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, (OSSL_PARAM *)params) != 1)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    return pkey;
}

static EVP_PKEY *build_rsa(const unsigned char *n, size_t nn, const unsigned char *e, size_t en)
{
    EVP_PKEY *pkey = NULL;
    BIGNUM *bn = BN_bin2bn(n, (int)nn, NULL), *be = BN_bin2bn(e, (int)en, NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    if (bn && be && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) &&
        (params = OSSL_PARAM_BLD_to_param(bld)) != NULL)
        pkey = pkey_fromdata("RSA", params);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
    return pkey;
}

static EVP_PKEY *build_ed25519(const unsigned char *pub32)
{
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub32, 32);
    params[1] = OSSL_PARAM_construct_end();
    return pkey_fromdata("ED25519", params);
}

static size_t bit_length(const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0;
    size_t bits = n * 8;
    for (unsigned char top = p[0]; !(top & 0x80); top <<= 1)
        bits--;
    return bits;
}

static int load_rsa(pgp_key *k, cur_t *c)
{
    const unsigned char *n, *e;
    size_t nn, en;
    if (read_mpi(c, &n, &nn) < 0 || read_mpi(c, &e, &en) < 0)
        return -1;
    size_t bits = bit_length(n, nn);
    if (k->algo == ALG_RSA_E)
        k->why = "an encryption-only rsa key";
    else if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS)
        k->why = bits < RSA_MIN_BITS ? "an rsa key below 2048 bits" : "an rsa key above 8192 bits";
    else if (!(k->pkey = build_rsa(n, nn, e, en)))
        k->why = "an rsa key openssl rejects";
    return 0;
}

/* Legacy EdDSA: curve OID, then the point as an MPI of 0x40 || 32 octets. */
static int load_eddsa(pgp_key *k, cur_t *c)
{
    unsigned oidlen;
    const unsigned char *oid, *q;
    size_t qn;
    if (cur_u8(c, &oidlen) < 0 || cur_bytes(c, oidlen, &oid) < 0 || read_mpi(c, &q, &qn) < 0)
        return -1;
    if (oidlen != sizeof OID_ED25519 || memcmp(oid, OID_ED25519, oidlen) != 0)
        k->why = "an eddsa key on a curve other than ed25519";
    else if (qn != 33 || q[0] != 0x40)
        k->why = "an ed25519 key with an unknown point encoding";
    else if (!(k->pkey = build_ed25519(q + 1)))
        k->why = "an ed25519 key openssl rejects";
    return 0;
}

static int load_key_material(pgp_key *k, cur_t *c)
{
    const unsigned char *q;
    switch (k->algo) {
    case ALG_RSA:
    case ALG_RSA_E:
    case ALG_RSA_S:
        return load_rsa(k, c);
    case ALG_EDDSA:
        return load_eddsa(k, c);
    case ALG_ED25519:
        if (cur_bytes(c, 32, &q) < 0)
            return -1;
        if (!(k->pkey = build_ed25519(q)))
            k->why = "an ed25519 key openssl rejects";
        return 0;
    default:
        k->why = "an unsupported public-key algorithm";
        return 0;
    }
}

/* A v4 public key or subkey packet. Returns 0, 1 when it is another version
 * (skipped: v3 keys are obsolete, v5/v6 are not in scope), -1 when corrupt. */
static int parse_pubkey(const unsigned char *b, size_t n, pgp_key *k)
{
    cur_t c = {b, n};
    unsigned v, algo;
    unsigned long created;
    unsigned int mdlen = 0;
    if (cur_u8(&c, &v) < 0)
        return -1;
    if (v != 4)
        return 1;
    if (n > 0xFFFF || cur_be(&c, 4, &created) < 0 || cur_u8(&c, &algo) < 0)
        return -1;
    k->created = (long long)created;
    k->algo = (int)algo;
    /* v4 fingerprint: SHA-1 over the packet as it is hashed in signatures. */
    EVP_MD_CTX *mc = EVP_MD_CTX_new();
    int ok = mc && EVP_DigestInit_ex(mc, EVP_sha1(), NULL) == 1;
    if (ok) {
        hash_key_packet(mc, b, n);
        ok = EVP_DigestFinal_ex(mc, k->fpr, &mdlen) == 1 && mdlen == 20;
    }
    EVP_MD_CTX_free(mc);
    if (!ok)
        return -1;
    return load_key_material(k, &c);
}

/* ------------------------------------------------------------------ */
/* Public-key verification                                             */

static int rsa_verify(EVP_PKEY *pkey, const pgp_sig *s, const unsigned char *md, size_t mdlen)
{
    unsigned char sig[RSA_MAX_BITS / 8];
    int klen = EVP_PKEY_get_size(pkey);
    const hash_alg *h = hash_by_id(s->hashalgo);
    if (!h || klen <= 0 || (size_t)klen > sizeof sig || s->m1n > (size_t)klen)
        return 0;
    /* The MPI drops leading zeros; PKCS#1 wants the modulus' length. */
    memset(sig, 0, (size_t)klen);
    memcpy(sig + (size_t)klen - s->m1n, s->m1, s->m1n);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
    int ok = ctx && EVP_PKEY_verify_init(ctx) == 1 &&
             EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
             EVP_PKEY_CTX_set_signature_md(ctx, h->md()) > 0 &&
             EVP_PKEY_verify(ctx, sig, (size_t)klen, md, mdlen) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

/* OpenPGP EdDSA signs the digest: the digest is the Ed25519 message. */
static int ed_verify(EVP_PKEY *pkey, const unsigned char *sig64, const unsigned char *md, size_t mdlen)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestVerifyInit(c, NULL, NULL, NULL, pkey) == 1 &&
             EVP_DigestVerify(c, sig64, 64, md, mdlen) == 1;
    EVP_MD_CTX_free(c);
    return ok;
}

/* Legacy EdDSA stores R and S as MPIs, which drop leading zeros. */
static int eddsa_verify(EVP_PKEY *pkey, const pgp_sig *s, const unsigned char *md, size_t mdlen)
{
    unsigned char sig[64] = {0};
    if (s->m1n > 32 || s->m2n > 32)
        return 0;
    memcpy(sig + 32 - s->m1n, s->m1, s->m1n);
    memcpy(sig + 64 - s->m2n, s->m2, s->m2n);
    return ed_verify(pkey, sig, md, mdlen);
}

static int is_rsa(int algo)
{
    return algo == ALG_RSA || algo == ALG_RSA_S || algo == ALG_RSA_E;
}

/* Does s, over a digest md, verify under key k? */
static int sig_crypto_ok(const pgp_key *k, const pgp_sig *s, const unsigned char *md, size_t mdlen)
{
    int ok = 0;
    if (!k->pkey || mdlen < 2 || memcmp(md, s->left16, 2) != 0)
        return 0;
    if (is_rsa(k->algo) && (s->pkalgo == ALG_RSA || s->pkalgo == ALG_RSA_S))
        ok = rsa_verify(k->pkey, s, md, mdlen);
    else if (k->algo == ALG_EDDSA && s->pkalgo == ALG_EDDSA)
        ok = eddsa_verify(k->pkey, s, md, mdlen);
    else if (k->algo == ALG_ED25519 && s->pkalgo == ALG_ED25519)
        ok = ed_verify(k->pkey, s->m1, md, mdlen);
    ERR_clear_error(); /* a failed verify leaves errors we do not report */
    return ok;
}

/* ------------------------------------------------------------------ */
/* Loading key blocks (RFC 4880 11.1)                                  */

/* What the self-signatures of one user ID say. */
typedef struct {
    const unsigned char *uid;
    size_t len;
    int have;              /* a valid self-certification */
    long long cert_time;
    int primary_flag;
    int has_key_expiry;
    long long key_expiry;
    int has_flags;
    unsigned flags;
    int have_rev;
    long long rev_time;
} uid_state;

enum { IN_KEY, IN_UID, IN_UATTR, IN_SUBKEY };

typedef struct {
    pgp_keyring *kr;
    long prim, sub;                   /* indexes, -1 none (or being skipped) */
    const unsigned char *pbody, *sbody;
    size_t plen, slen;
    int where;
    uid_state cur, best;              /* the user ID being read; the best so far */
    uid_state direct;                 /* newest valid direct-key signature */
    int seen, added;
} kb_state;

/* Was s issued by key k (or does it not say)? */
static int issued_by(const pgp_sig *s, const pgp_key *k)
{
    if (s->has_fpr)
        return memcmp(s->issuer_fpr, k->fpr, 20) == 0;
    if (s->has_id)
        return memcmp(s->issuer_id, k->fpr + 12, 8) == 0;
    return 1;
}

/* Only signatures we can fully evaluate take part in self-certification. */
static int self_sig_acceptable(const pgp_sig *s)
{
    return s->has_created && !s->unknown_critical && hash_by_id(s->hashalgo);
}

/* Verify a signature by the current primary over the primary key plus an
 * optional user ID or subkey. signer is the key that must have made it. */
static int verify_key_sig(const kb_state *st, const pgp_sig *s, long signer,
                          const unsigned char *uid, size_t uidlen,
                          const unsigned char *subkey, size_t sublen)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    const pgp_key *k = &st->kr->keys[signer];
    if (!self_sig_acceptable(s) || !issued_by(s, k) || !k->pkey)
        return 0;
    EVP_MD_CTX *c = digest_begin(s);
    if (!c)
        return 0;
    hash_key_packet(c, st->pbody, st->plen);
    if (uid)
        hash_uid(c, uid, uidlen);
    if (subkey)
        hash_key_packet(c, subkey, sublen);
    unsigned mdlen = digest_finish(c, s, md);
    return mdlen && sig_crypto_ok(k, s, md, mdlen);
}

/* The newest valid certification of a user ID is the one in force. */
static void on_uid_sig(kb_state *st, const pgp_sig *s)
{
    uid_state *u = &st->cur;
    int cert = s->type >= SIG_CERT_FIRST && s->type <= SIG_CERT_LAST;
    if (!cert && s->type != SIG_CERT_REVOKE)
        return;
    if (!verify_key_sig(st, s, st->prim, u->uid, u->len, NULL, 0))
        return;
    if (!cert) {
        if (!u->have_rev || s->created > u->rev_time)
            u->rev_time = s->created;
        u->have_rev = 1;
        return;
    }
    if (u->have && s->created < u->cert_time)
        return;
    u->have = 1;
    u->cert_time = s->created;
    u->primary_flag = s->primary_uid;
    u->has_key_expiry = s->has_key_expiry;
    u->key_expiry = s->key_expiry;
    u->has_flags = s->has_flags;
    u->flags = s->flags;
}

/* Close the current user ID: gpg's rule for the primary user ID is the one
 * flagged primary, else the one with the newest self-signature. */
static void commit_uid(kb_state *st)
{
    uid_state *u = &st->cur, *b = &st->best;
    int usable = st->where == IN_UID && u->have && !(u->have_rev && u->rev_time >= u->cert_time);
    if (usable && (!b->have || u->primary_flag > b->primary_flag ||
                   (u->primary_flag == b->primary_flag && u->cert_time > b->cert_time)))
        *b = *u;
    memset(u, 0, sizeof *u);
}

/* Signatures right after the primary key: direct-key and key revocation. */
static void on_key_sig(kb_state *st, const pgp_sig *s)
{
    if (s->type != SIG_DIRECT && s->type != SIG_KEY_REVOKE)
        return;
    if (!verify_key_sig(st, s, st->prim, NULL, 0, NULL, 0))
        return;
    if (s->type == SIG_KEY_REVOKE) {
        st->kr->keys[st->prim].revoked = 1;
        return;
    }
    if (st->direct.have && s->created < st->direct.cert_time)
        return;
    st->direct.have = 1;
    st->direct.cert_time = s->created;
    st->direct.has_key_expiry = s->has_key_expiry;
    st->direct.key_expiry = s->key_expiry;
    st->direct.has_flags = s->has_flags;
    st->direct.flags = s->flags;
}

/* The primary-key binding (0x19) embedded in a signing subkey's binding
 * proves the subkey's owner agreed. Checked when present; a bad one
 * voids the binding. */
static int back_sig_ok(const kb_state *st, const pgp_sig *bind)
{
    pgp_sig e;
    char ignore[8];
    if (!bind->embedded)
        return 1;
    if (parse_sig(bind->embedded, bind->embedded_len, &e, ignore, sizeof ignore) != PGP_OK ||
        e.type != SIG_PRIMARY_BIND)
        return 0;
    return verify_key_sig(st, &e, st->sub, NULL, 0, st->sbody, st->slen);
}

static long long abs_expiry(long long created, int has, long long rel)
{
    return has && rel > 0 ? created + rel : 0;
}

/* Subkey binding and revocation signatures, made by the primary. */
static void on_subkey_sig(kb_state *st, const pgp_sig *s)
{
    if (st->sub < 0 || (s->type != SIG_SUBKEY_BIND && s->type != SIG_SUBKEY_REVOKE))
        return;
    if (!verify_key_sig(st, s, st->prim, NULL, 0, st->sbody, st->slen))
        return;
    pgp_key *k = &st->kr->keys[st->sub];
    if (s->type == SIG_SUBKEY_REVOKE) {
        k->revoked = 1;
        return;
    }
    if (k->usable && s->created < k->bind_time)
        return;
    if (!back_sig_ok(st, s))
        return;
    k = &st->kr->keys[st->sub];
    k->usable = 1;
    k->bind_time = s->created;
    k->expires = abs_expiry(k->created, s->has_key_expiry, s->key_expiry);
    k->can_sign = s->has_flags ? (s->flags & KEYFLAG_SIGN) != 0 : 1;
}

/* Copy a user ID for display: control characters would let a key's owner
 * write to the user's terminal, and a cut must not split a UTF-8 sequence. */
static void copy_uid(char *dst, size_t dstlen, const unsigned char *p, size_t n)
{
    if (n > dstlen - 1) {
        n = dstlen - 1;
        while (n > 0 && (p[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = (p[i] < 0x20 || p[i] == 0x7F) ? '?' : (char)p[i];
    dst[n] = '\0';
}

/* The primary is complete: settle its user ID, expiry and usage from the
 * self-signatures in force. Without any valid self-signature the key is not
 * used (gpg does not accept such keys either). */
static void finish_primary(kb_state *st)
{
    commit_uid(st);
    if (st->prim < 0)
        return;
    pgp_key *k = &st->kr->keys[st->prim];
    const uid_state *src = st->best.have ? &st->best : st->direct.have ? &st->direct : NULL;
    if (st->best.have)
        copy_uid(k->uid, sizeof k->uid, st->best.uid, st->best.len);
    if (src) {
        k->usable = 1;
        k->bind_time = src->cert_time;
        k->expires = abs_expiry(k->created, src->has_key_expiry, src->key_expiry);
        k->can_sign = src->has_flags ? (src->flags & KEYFLAG_SIGN) != 0 : 1;
    }
    st->prim = -1;
    st->sub = -1;
}

static int have_primary(const pgp_keyring *kr, const unsigned char *fpr)
{
    for (size_t i = 0; i < kr->n; i++)
        if (!kr->keys[i].is_sub && memcmp(kr->keys[i].fpr, fpr, 20) == 0)
            return 1;
    return 0;
}

/* Parse a key packet into a new ring entry. Returns the index, -1 when the
 * packet is skipped, -2 on error. */
static long add_key_packet(kb_state *st, const pgp_pkt *p, int is_sub)
{
    pgp_key tmp;
    memset(&tmp, 0, sizeof tmp);
    int rc = parse_pubkey(p->body, p->len, &tmp);
    if (rc < 0)
        return -2;
    if (rc > 0 || (!is_sub && have_primary(st->kr, tmp.fpr))) {
        EVP_PKEY_free(tmp.pkey);
        return -1;
    }
    long i = keyring_push(st->kr);
    if (i < 0) {
        EVP_PKEY_free(tmp.pkey);
        return -2;
    }
    tmp.is_sub = is_sub;
    tmp.primary = is_sub ? (size_t)st->prim : (size_t)i;
    st->kr->keys[i] = tmp;
    if (!is_sub)
        st->kr->nprimary++;
    return i;
}

static int on_primary_packet(kb_state *st, const pgp_pkt *p)
{
    finish_primary(st);
    st->seen++;
    memset(&st->best, 0, sizeof st->best);
    memset(&st->direct, 0, sizeof st->direct);
    st->where = IN_KEY;
    long i = add_key_packet(st, p, 0);
    if (i == -2)
        return -1;
    st->prim = i;
    st->pbody = p->body;
    st->plen = p->len;
    st->added += i >= 0;
    return 0;
}

static int on_subkey_packet(kb_state *st, const pgp_pkt *p)
{
    commit_uid(st);
    st->where = IN_SUBKEY;
    st->sub = -1;
    if (st->prim < 0)
        return 0;
    long i = add_key_packet(st, p, 1);
    if (i == -2)
        return -1;
    st->sub = i;
    st->sbody = p->body;
    st->slen = p->len;
    return 0;
}

static void on_sig_packet(kb_state *st, const pgp_pkt *p)
{
    pgp_sig s;
    char ignore[8];
    if (st->prim < 0 || parse_sig(p->body, p->len, &s, ignore, sizeof ignore) != PGP_OK)
        return; /* a third party's odd signature must not stop the load */
    if (st->where == IN_KEY)
        on_key_sig(st, &s);
    else if (st->where == IN_UID)
        on_uid_sig(st, &s);
    else if (st->where == IN_SUBKEY)
        on_subkey_sig(st, &s);
}

static int key_packet(kb_state *st, const pgp_pkt *p)
{
    switch (p->tag) {
    case TAG_PUBKEY:
        return on_primary_packet(st, p);
    case TAG_PUBSUB:
        return on_subkey_packet(st, p);
    case TAG_UID:
        commit_uid(st);
        st->where = IN_UID;
        st->cur.uid = p->body;
        st->cur.len = p->len;
        return 0;
    case TAG_UATTR:
        commit_uid(st);
        st->where = IN_UATTR;
        return 0;
    case TAG_SIG:
        on_sig_packet(st, p);
        return 0;
    default:
        return 0; /* trust packets, markers, secret parts: not ours */
    }
}

/* Key packets with partial lengths do not exist in valid data. */
static int key_block_tag(int tag)
{
    return tag == TAG_PUBKEY || tag == TAG_PUBSUB || tag == TAG_UID || tag == TAG_SIG;
}

/* Add the keys in one binary key block. Returns keys added or -1. */
static int add_binary(pgp_keyring *kr, const unsigned char *buf, size_t len, int *seen,
                      char *err, size_t errlen)
{
    kb_state st;
    cur_t c = {buf, len};
    pgp_pkt p;
    int rc;
    memset(&st, 0, sizeof st);
    st.kr = kr;
    st.prim = st.sub = -1;
    while ((rc = pkt_next(&c, &p)) > 0) {
        if (!p.body && key_block_tag(p.tag)) {
            rc = -1;
            break;
        }
        if (key_packet(&st, &p) < 0) {
            set_err(err, errlen, "corrupt or unusable key packet");
            return -1;
        }
    }
    if (rc < 0) {
        set_err(err, errlen, "corrupt packet in key block");
        return -1;
    }
    finish_primary(&st);
    *seen += st.seen;
    return st.added;
}

static int add_armored(pgp_keyring *kr, const unsigned char *buf, size_t len, int *seen,
                       char *err, size_t errlen)
{
    size_t pos = 0;
    int total = 0, blocks = 0;
    for (;;) {
        char label[64];
        unsigned char *bin;
        size_t binlen;
        int rc = pgp_armor_next((const char *)buf, len, &pos, label, sizeof label, &bin,
                                &binlen, err, errlen);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        if (strcmp(label, "PUBLIC KEY BLOCK") == 0) {
            blocks++;
            int n = add_binary(kr, bin, binlen, seen, err, errlen);
            if (n < 0) {
                free(bin);
                return -1;
            }
            total += n;
        }
        free(bin);
    }
    if (blocks == 0) {
        set_err(err, errlen, "no public key block in armor");
        return -1;
    }
    return total;
}

/* OpenPGP packets start with a byte that has the top bit set; armor is text
 * and may have a preamble (key files downloaded from web pages often do). */
static int looks_binary(const unsigned char *buf, size_t len)
{
    return len > 0 && (buf[0] & 0x80);
}

int pgp_keyring_add(pgp_keyring *kr, const unsigned char *buf, size_t len,
                    char *err, size_t errlen)
{
    int seen = 0, n;
    size_t before = kr->n;
    if (looks_binary(buf, len))
        n = add_binary(kr, buf, len, &seen, err, errlen);
    else
        n = add_armored(kr, buf, len, &seen, err, errlen);
    if (n >= 0 && seen == 0) {
        set_err(err, errlen, "no public key found");
        n = -1;
    }
    if (n < 0)
        keyring_truncate(kr, before); /* all of a file or nothing */
    return n;
}

/* Read a whole small file (never a FIFO or device: readfile.h). Returns
 * 0, or -1 with errno set. */
static int slurp(const char *path, unsigned char **buf, size_t *len)
{
    char *text = NULL;
    int r = rf_read_at(AT_FDCWD, path, MAX_KEYFILE, 0, &text, len, NULL);
    *buf = (unsigned char *)text;
    if (r == RF_OK)
        return 0;
    if (r == RF_NOTFILE || r == RF_TOOBIG)
        errno = EINVAL;
    return -1;
}

static int key_file_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 4 &&
           (strcmp(name + n - 4, ".asc") == 0 || strcmp(name + n - 4, ".gpg") == 0);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The key file names in dir, sorted, as a malloc'd array of malloc'd names. */
static char **list_key_files(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    if (!d)
        return NULL;
    while ((de = readdir(d)) != NULL) {
        if (!key_file_name(de->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        if (!(names[n] = strdup(de->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (n == 0 && !names)
        names = malloc(sizeof *names); /* an empty directory is not an error */
    if (names)
        qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    return names;
}

static int add_key_file(pgp_keyring *kr, const char *dir, const char *name,
                        char *err, size_t errlen)
{
    char path[4096], why[200];
    unsigned char *buf;
    size_t len;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        set_err(err, errlen, "%s/%s: the path is too long", dir, name); /* another file, were it cut */
        return -1;
    }
    if (slurp(path, &buf, &len) < 0) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int n = pgp_keyring_add(kr, buf, len, why, sizeof why);
    free(buf);
    if (n < 0)
        set_err(err, errlen, "%s: %s", path, why);
    return n;
}

int pgp_keyring_add_dir(pgp_keyring *kr, const char *dir, char *err, size_t errlen)
{
    size_t count = 0;
    size_t before = kr->n;
    char **names;
    int total = 0;
    errno = 0;
    names = list_key_files(dir, &count);
    if (!names) {
        set_err(err, errlen, "%s: %s", dir, strerror(errno ? errno : ENOMEM));
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        int n = total < 0 ? 0 : add_key_file(kr, dir, names[i], err, errlen);
        total = n < 0 ? -1 : total + n;
        free(names[i]);
    }
    free(names);
    if (total < 0)
        keyring_truncate(kr, before); /* all of the directory or nothing */
    return total;
}

/* ------------------------------------------------------------------ */
/* Document signatures                                                 */

typedef struct {
    const unsigned char *data;
    size_t len;
    int cleartext;          /* data is already the canonical signed text */
    int has_hash_header;
    const char *hashes;     /* cleartext "Hash:" names, comma-separated */
} doc_t;

const char *pgp_status_name(pgp_status st)
{
    switch (st) {
    case PGP_OK: return "ok";
    case PGP_BAD_SIGNATURE: return "bad signature";
    case PGP_UNKNOWN_KEY: return "unknown key";
    case PGP_MALFORMED: return "malformed";
    case PGP_UNSUPPORTED: return "unsupported";
    }
    return "unknown status";
}

/* Lower is more conclusive; used to pick one answer among several. */
static int status_rank(pgp_status st)
{
    static const int rank[] = {0, 1, 3, 4, 2}; /* ok, bad, unknown, malformed, unsupported */
    return (unsigned)st < sizeof rank / sizeof rank[0] ? rank[st] : 5;
}

/* Canonical text for a detached 0x01 signature: every line ending becomes
 * CRLF. strip_ws also drops trailing spaces and tabs per line, as RFC 2440
 * and gpg's default text mode do; RFC 4880 itself does not, so both forms
 * are tried. */
static void hash_text(EVP_MD_CTX *c, const unsigned char *p, size_t n, int strip_ws)
{
    while (n > 0) {
        const unsigned char *nl = memchr(p, '\n', n);
        size_t ll = nl ? (size_t)(nl - p) : n, keep = ll;
        if (nl && keep > 0 && p[keep - 1] == '\r')
            keep--;
        while (strip_ws && keep > 0 && (p[keep - 1] == ' ' || p[keep - 1] == '\t' || p[keep - 1] == '\r'))
            keep--;
        EVP_DigestUpdate(c, p, keep);
        if (nl)
            EVP_DigestUpdate(c, "\r\n", 2);
        p += ll + (nl ? 1 : 0);
        n -= ll + (nl ? 1 : 0);
    }
}

static int doc_digest(const doc_t *d, const pgp_sig *s, int variant, unsigned char *md, unsigned *mdlen)
{
    EVP_MD_CTX *c = digest_begin(s);
    if (!c)
        return -1;
    if (d->cleartext || s->type == SIG_BINARY)
        EVP_DigestUpdate(c, d->data, d->len);
    else
        hash_text(c, d->data, d->len, variant == 0);
    *mdlen = digest_finish(c, s, md);
    return *mdlen ? 0 : -1;
}

static int doc_sig_ok(const pgp_key *k, const doc_t *d, const pgp_sig *s)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen;
    int variants = (!d->cleartext && s->type == SIG_TEXT) ? 2 : 1;
    for (int v = 0; v < variants; v++)
        if (doc_digest(d, s, v, md, &mdlen) == 0 && sig_crypto_ok(k, s, md, mdlen))
            return 1;
    return 0;
}

static int name_in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0)
            return 1;
        p += len + (comma ? 1 : 0);
    }
    return 0;
}

static void fill_sig_result(const pgp_sig *s, pgp_result *r)
{
    const hash_alg *h = hash_by_id(s->hashalgo);
    if (s->has_id)
        hex_upper(s->issuer_id, 8, r->keyid);
    else if (s->has_fpr)
        hex_upper(s->issuer_fpr + 12, 8, r->keyid);
    r->sig_created = s->created;
    r->sig_expires = s->sig_expiry ? s->created + s->sig_expiry : 0;
    r->hash_name = h ? h->name : NULL;
    r->weak_hash = h ? h->weak : 0;
    r->sig_type = s->type;
}

/* What a signature must be before any key is looked at. */
static pgp_status check_sig_form(const pgp_sig *s, const doc_t *d, pgp_result *r)
{
    const hash_alg *h = hash_by_id(s->hashalgo);
    char *det = r->detail;
    size_t dl = sizeof r->detail;
    if (s->type != SIG_BINARY && s->type != SIG_TEXT) {
        set_err(det, dl, "signature type 0x%02x is not a document signature", s->type);
        return PGP_UNSUPPORTED;
    }
    if (!h) {
        set_err(det, dl, "digest algorithm %d is not supported", s->hashalgo);
        return PGP_UNSUPPORTED;
    }
    if (s->unknown_critical) {
        set_err(det, dl, "signature has a critical subpacket we do not understand");
        return PGP_UNSUPPORTED;
    }
    if (!s->has_created) {
        set_err(det, dl, "signature has no creation time");
        return PGP_MALFORMED;
    }
    if (d->has_hash_header && !name_in_list(d->hashes, h->name)) {
        set_err(det, dl, "signature digest %s is not announced in the hash header", h->name);
        return PGP_MALFORMED;
    }
    return PGP_OK;
}

static void fill_key_result(const pgp_keyring *kr, const pgp_key *k, const pgp_sig *s,
                            pgp_result *r)
{
    const pgp_key *p = &kr->keys[k->primary];
    hex_upper(p->fpr, 20, r->primary_fpr);
    hex_upper(k->fpr, 20, r->signing_fpr);
    snprintf(r->uid, sizeof r->uid, "%s", p->uid);
    r->key_created = k->created;
    r->key_expires = k->expires;
    if (p->expires && (!r->key_expires || p->expires < r->key_expires))
        r->key_expires = p->expires; /* a subkey dies with its primary */
    r->key_expired_at_signing = r->key_expires && s->created >= r->key_expires;
    r->key_revoked = k->revoked || p->revoked;
}

/* Verify s against one candidate key; r gets the key's details. */
static pgp_status check_with_key(const pgp_keyring *kr, const pgp_key *k, const doc_t *d,
                                 const pgp_sig *s, pgp_result *r)
{
    char *det = r->detail;
    size_t dl = sizeof r->detail;
    fill_key_result(kr, k, s, r);
    if (!k->pkey) {
        set_err(det, dl, "key %s is %s", r->signing_fpr, k->why ? k->why : "unusable");
        return PGP_UNSUPPORTED;
    }
    if (!k->usable || !kr->keys[k->primary].usable) {
        set_err(det, dl, "key %s has no valid self-signature or binding", r->signing_fpr);
        return PGP_UNKNOWN_KEY;
    }
    if (!k->can_sign) {
        set_err(det, dl, "key %s is not allowed to sign data", r->signing_fpr);
        return PGP_BAD_SIGNATURE;
    }
    if (k->created > s->created) {
        set_err(det, dl, "key %s is newer than the signature", r->signing_fpr);
        return PGP_BAD_SIGNATURE;
    }
    if (!doc_sig_ok(k, d, s)) {
        set_err(det, dl, "bad signature from key %s", r->signing_fpr);
        return PGP_BAD_SIGNATURE;
    }
    r->detail[0] = '\0';
    return PGP_OK;
}

static int key_matches(const pgp_key *k, const pgp_sig *s)
{
    if (s->has_fpr)
        return memcmp(k->fpr, s->issuer_fpr, 20) == 0;
    return s->has_id && memcmp(k->fpr + 12, s->issuer_id, 8) == 0;
}

/* Try every key that matches the issuer (key IDs can collide). */
static pgp_status check_with_keys(const pgp_keyring *kr, const doc_t *d, const pgp_sig *s,
                                  pgp_result *r)
{
    pgp_status best = PGP_UNKNOWN_KEY;
    pgp_result base = *r, tmp;
    int found = 0;
    for (size_t i = 0; kr && i < kr->n; i++) {
        if (!key_matches(&kr->keys[i], s))
            continue;
        tmp = base;
        pgp_status st = check_with_key(kr, &kr->keys[i], d, s, &tmp);
        if (!found || status_rank(st) < status_rank(best)) {
            best = st;
            *r = tmp;
        }
        found = 1;
        if (st == PGP_OK)
            break;
    }
    if (!found && s->has_fpr) {
        char fpr[41];
        hex_upper(s->issuer_fpr, 20, fpr);
        set_err(r->detail, sizeof r->detail, "no public key with fingerprint %s", fpr);
    } else if (!found) {
        set_err(r->detail, sizeof r->detail, "no public key for signer key id %s",
                r->keyid[0] ? r->keyid : "(none given)");
    }
    return best;
}

static pgp_status check_one_sig(const pgp_keyring *kr, const pgp_pkt *p, const doc_t *d,
                                pgp_result *r)
{
    pgp_sig s;
    pgp_status st;
    if (!p->body) {
        set_err(r->detail, sizeof r->detail, "signature packet with a partial length");
        return PGP_MALFORMED;
    }
    st = parse_sig(p->body, p->len, &s, r->detail, sizeof r->detail);
    if (st != PGP_OK)
        return st;
    fill_sig_result(&s, r);
    st = check_sig_form(&s, d, r);
    if (st != PGP_OK)
        return st;
    return check_with_keys(kr, d, &s, r);
}

/* Verify the signature packets in buf over d: good if any one is good,
 * otherwise the most telling failure. */
static pgp_status verify_packets(const pgp_keyring *kr, const unsigned char *buf, size_t len,
                                 const doc_t *d, pgp_result *res)
{
    int nsig = count_packets(buf, len, TAG_SIG);
    if (nsig <= 0) {
        set_err(res->detail, sizeof res->detail, "%s",
                nsig < 0 ? "corrupt signature packets" : "no signature packet found");
        return PGP_MALFORMED;
    }
    cur_t c = {buf, len};
    pgp_pkt p;
    pgp_status best = PGP_MALFORMED;
    pgp_result tmp;
    int checked = 0;
    while (checked < MAX_SIGS_CHECKED && pkt_next(&c, &p) > 0) {
        if (p.tag != TAG_SIG)
            continue;
        memset(&tmp, 0, sizeof tmp);
        pgp_status st = check_one_sig(kr, &p, d, &tmp);
        if (checked++ == 0 || status_rank(st) < status_rank(best)) {
            best = st;
            *res = tmp;
        }
        if (st == PGP_OK)
            break;
    }
    return best;
}

/* Dearmor a "PGP SIGNATURE" block starting at or after pos. */
static pgp_status dearmor_sig(const char *buf, size_t len, size_t pos, unsigned char **bin,
                              size_t *binlen, pgp_result *res)
{
    char label[64], why[128];
    int rc = pgp_armor_next(buf, len, &pos, label, sizeof label, bin, binlen, why, sizeof why);
    if (rc <= 0 || strcmp(label, "SIGNATURE") != 0) {
        set_err(res->detail, sizeof res->detail, "%s",
                rc < 0 ? why : rc == 0 ? "no signature armor found" : "armor is not a signature");
        free(*bin);
        *bin = NULL;
        return PGP_MALFORMED;
    }
    return PGP_OK;
}

pgp_status pgp_verify_clearsigned(const pgp_keyring *kr, const char *asc, size_t len,
                                  char **text, size_t *textlen, pgp_result *res)
{
    pgp_result local;
    pgp_cleartext ct;
    unsigned char *bin = NULL;
    size_t binlen = 0;
    pgp_status st;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if (text)
        *text = NULL;
    if (textlen)
        *textlen = 0;
    if (pgp_cleartext_parse(asc, len, &ct, res->detail, sizeof res->detail) < 0)
        return PGP_MALFORMED;
    st = dearmor_sig(asc, len, ct.sig_off, &bin, &binlen, res);
    if (st == PGP_OK) {
        doc_t d = {ct.canon, ct.canon_len, 1, ct.has_hash_header, ct.hashes};
        st = verify_packets(kr, bin, binlen, &d, res);
    }
    if (st == PGP_OK && text) {
        *text = ct.text; /* hand over: ownership passes to the caller */
        if (textlen)
            *textlen = ct.text_len;
        ct.text = NULL;
    }
    free(bin);
    pgp_cleartext_free(&ct);
    return st;
}

pgp_status pgp_verify_detached(const pgp_keyring *kr,
                               const unsigned char *data, size_t len,
                               const unsigned char *sig, size_t siglen,
                               pgp_result *res)
{
    pgp_result local;
    unsigned char *bin = NULL;
    size_t binlen = siglen;
    const unsigned char *pk = sig;
    pgp_status st;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if (!looks_binary(sig, siglen)) {
        st = dearmor_sig((const char *)sig, siglen, 0, &bin, &binlen, res);
        if (st != PGP_OK)
            return st;
        pk = bin;
    }
    doc_t d = {data, len, 0, 0, ""};
    st = verify_packets(kr, pk, binlen, &d, res);
    free(bin);
    return st;
}
