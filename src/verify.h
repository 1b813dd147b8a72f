/* Authentic checksums: SHASUMS256.txt for a release, verified against the
 * Node.js release keys with its OpenPGP signature (SHASUMS256.txt.asc,
 * clearsigned, or SHASUMS256.txt.sig, detached), natively. Part of
 * nodus-core. */
#ifndef NODUS_VERIFY_H
#define NODUS_VERIFY_H
#include "ctx.h"
#include "http.h"
#include "shasums.h"

typedef struct {
    int signature;          /* 1 verified, 0 none (allowed by allow_unsigned), -1 checking off */
    char signer[200];       /* "Name <mail> (FPR)" */
    int key_expired;        /* signed after the key's stated expiry (accepted, as gpgv does) */
    int weak_hash;          /* SHA-1 signature (old releases) */
} verify_info;

/* Fetch and verify. Returns 0, or an exit status with the message printed. */
int verify_fetch_shasums(const nodus_ctx *ctx, const char *vname, shasums_t *out, verify_info *info);

/* A release's SHASUMS256.txt, .asc and .sig byte for byte, as a mirror
 * serves them ('nodus mirror' copies them, so that its clients check the
 * same signatures). has_*: the file exists (it may be empty). */
typedef struct {
    membuf asc, plain, sig;
    int has_asc, has_plain, has_sig;
} shasums_files;
void shasums_files_free(shasums_files *f);
/* Fetch all three from the mirror (a 404 leaves has_* 0). Returns 0, or an
 * exit status with the message printed. */
int verify_fetch_files(const nodus_ctx *ctx, const char *vname, shasums_files *f);
/* Verify files already in memory, as verify_fetch_shasums would; besides,
 * a SHASUMS256.txt beside a verified .asc must be the text it signs, or
 * carry its own verified .sig: nothing unverified is passed on. */
int verify_files(const nodus_ctx *ctx, const char *vname, const shasums_files *f, shasums_t *out,
                 verify_info *info);
#endif
