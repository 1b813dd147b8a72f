/* Authentic checksums: SHASUMS256.txt for a release, verified against the
 * Node.js release keys with its OpenPGP signature (SHASUMS256.txt.asc,
 * clearsigned, or SHASUMS256.txt.sig, detached), natively. Part of
 * nodus-core. */
#ifndef NODUS_VERIFY_H
#define NODUS_VERIFY_H
#include "ctx.h"
#include "shasums.h"

typedef struct {
    int signature;          /* 1 verified, 0 none (allowed by allow_unsigned), -1 checking off */
    char signer[200];       /* "Name <mail> (FPR)" */
    int key_expired;        /* signed after the key's stated expiry (accepted, as gpgv does) */
    int weak_hash;          /* SHA-1 signature (old releases) */
} verify_info;

/* Fetch and verify. Returns 0, or an exit status with the message printed. */
int verify_fetch_shasums(const nodus_ctx *ctx, const char *vname, shasums_t *out, verify_info *info);
#endif
