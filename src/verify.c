#include "verify.h"
#include "http.h"
#include "msg.h"
#include "pgp.h"
#include "strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHASUMS_MAX (1u << 20)

/* The shipped keys (nodus-core installed in libexec/nodus:
 * ../../share/nodus/keys; build tree: ../share/keys), then the user's: NODUS_KEYS_DIR and config keys_dir. */
static pgp_keyring *load_keys(const nodus_ctx *ctx)
{
    pgp_keyring *kr = pgp_keyring_new();
    if (!kr)
        return NULL;
    static const char *const rel[] = {"../../share/nodus/keys", "../share/nodus/keys", "../share/keys", NULL};
    char dir[PATH_MAX], err[512];
    for (int i = 0; rel[i]; i++)
        if (str_fmt(dir, sizeof dir, "%s/%s", ctx->self_dir, rel[i]) == 0 &&
            pgp_keyring_add_dir(kr, dir, err, sizeof err) > 0)
            break;
    const char *extra[] = {getenv("NODUS_KEYS_DIR"), ctx->keys_dir};
    for (int i = 0; i < 2; i++)
        if (extra[i] && extra[i][0] && pgp_keyring_add_dir(kr, extra[i], err, sizeof err) < 0)
            msg_warn("cannot load the keys in %s: %s", extra[i], err);
    return kr;
}

typedef enum { GOT, MISSING, FAILED } fetch_result;

static fetch_result fetch(const nodus_ctx *ctx, const char *vname, const char *file, membuf *out, int *rc)
{
    char url[2048], path[256], err[2048];
    http_meta m;
    str_fmt(path, sizeof path, "%s/%s", vname, file);
    if (url_join(url, sizeof url, ctx->mirror, path)) {
        msg_err("the mirror URL is too long");
        *rc = EXIT_FAIL;
        return FAILED;
    }
    *rc = http_get(ctx, url, NULL, NULL, SHASUMS_MAX, out, &m, err, sizeof err);
    if (*rc == 0)
        return GOT;
    if (m.status == 404 || m.status == 410)
        return MISSING;
    msg_err("%s", err);
    return FAILED;
}

/* A signature from a revoked key proves nothing: its owner withdrew it. */
static pgp_status check_revoked(pgp_status st, pgp_result *r)
{
    if (st == PGP_OK && r->key_revoked) {
        str_fmt(r->detail, sizeof r->detail, "the signing key %s has been revoked by its owner", r->primary_fpr);
        return PGP_BAD_SIGNATURE;
    }
    return st;
}

static void describe_signer(const pgp_result *r, verify_info *info)
{
    str_fmt(info->signer, sizeof info->signer, "%s (%s)", r->uid[0] ? r->uid : "unknown", r->primary_fpr);
    info->key_expired = r->key_expired_at_signing;
    info->weak_hash = r->weak_hash;
}

static int signature_failed(const char *vname, const char *file, pgp_status st, const pgp_result *r)
{
    switch (st) {
    case PGP_BAD_SIGNATURE:
        msg_err("the signature on %s of node %s does not verify (%s): the checksums were altered or the mirror "
                "is compromised; nothing was installed", file, vname, r->detail[0] ? r->detail : "bad signature");
        break;
    case PGP_UNKNOWN_KEY:
        msg_err("%s of node %s is signed by a key nodus does not know (key id %s); if you trust it, put its "
                "public key (.asc) in a directory and set keys_dir in the config (or NODUS_KEYS_DIR)",
                file, vname, r->keyid[0] ? r->keyid : "unknown");
        break;
    default:
        msg_err("cannot check the signature %s of node %s: %s (%s); nothing was installed", file, vname,
                pgp_status_name(st), r->detail);
    }
    return EXIT_VERIFY;
}

static int parse_sums(const char *text, size_t len, const char *vname, shasums_t *out)
{
    char err[512];
    if (shasums_parse(text, len, out, err, sizeof err) == 0)
        return 0;
    msg_err("SHASUMS256.txt of node %s is malformed (%s); the mirror may be broken, check NODUS_MIRROR", vname, err);
    return EXIT_VERIFY;
}

static int allow_unsigned(const nodus_ctx *ctx)
{
    const char *e = getenv("NODUS_ALLOW_UNSIGNED");
    return ctx->allow_unsigned || str_bool(e) == 1;
}

int verify_fetch_shasums(const nodus_ctx *ctx, const char *vname, shasums_t *out, verify_info *info)
{
    membuf asc = {0}, plain = {0}, sig = {0};
    int rc = 0;
    memset(info, 0, sizeof *info);
    const char *off = getenv("NODUS_VERIFY_SIGNATURES");
    int checking = !ctx->no_verify && str_bool(off) != 0;
    fetch_result fa = checking ? fetch(ctx, vname, "SHASUMS256.txt.asc", &asc, &rc) : MISSING;
    if (fa == FAILED)
        return rc;
    pgp_keyring *kr = fa == GOT ? load_keys(ctx) : NULL;
    if (fa == GOT) {
        pgp_result r;
        char *text = NULL;
        size_t tlen = 0;
        pgp_status st = kr ? pgp_verify_clearsigned(kr, asc.data, asc.len, &text, &tlen, &r) : PGP_MALFORMED;
        st = check_revoked(st, &r);
        if (st != PGP_OK)
            rc = signature_failed(vname, "SHASUMS256.txt.asc", st, &r);
        else {
            info->signature = 1;
            describe_signer(&r, info);
            rc = parse_sums(text, tlen, vname, out);
        }
        free(text);
        goto done;
    }
    fetch_result fp = fetch(ctx, vname, "SHASUMS256.txt", &plain, &rc);
    if (fp != GOT) {
        if (rc == 0)
            rc = EXIT_NETWORK;
        if (fp == MISSING) /* FAILED has said why already */
            msg_err("the mirror has no SHASUMS256.txt for node %s; check NODUS_MIRROR and the version", vname);
        goto done;
    }
    fetch_result fs = checking ? fetch(ctx, vname, "SHASUMS256.txt.sig", &sig, &rc) : MISSING;
    if (fs == FAILED)
        goto done;
    if (fs == GOT) {
        kr = load_keys(ctx);
        pgp_result r;
        pgp_status st = kr ? pgp_verify_detached(kr, (const unsigned char *)plain.data, plain.len,
                                                 (const unsigned char *)sig.data, sig.len, &r)
                           : PGP_MALFORMED;
        st = check_revoked(st, &r);
        if (st != PGP_OK) {
            rc = signature_failed(vname, "SHASUMS256.txt.sig", st, &r);
            goto done;
        }
        info->signature = 1;
        describe_signer(&r, info);
    } else if (!checking) {
        info->signature = -1;
        msg_warn("signatures are not checked (verify_signatures: false or NODUS_VERIFY_SIGNATURES=0): the "
                 "checksums of node %s were not verified against a signature", vname);
    } else if (!allow_unsigned(ctx)) {
        msg_err("the mirror publishes no signature for node %s (no SHASUMS256.txt.asc or .sig), so its checksums "
                "cannot be trusted; for a mirror known to be unsigned, run with --allow-unsigned, set "
                "NODUS_ALLOW_UNSIGNED=1 or set allow_unsigned: true in the config", vname);
        rc = EXIT_VERIFY;
        goto done;
    } else {
        /* Allowed, but never silently: the download is then only as good
         * as the mirror that served it. */
        msg_warn("the mirror publishes no signature for node %s: its checksums were not verified against a "
                 "signature (unsigned mirrors are allowed here)", vname);
    }
    rc = parse_sums(plain.data, plain.len, vname, out);
done:
    pgp_keyring_free(kr);
    membuf_free(&asc);
    membuf_free(&plain);
    membuf_free(&sig);
    return rc;
}

void shasums_files_free(shasums_files *f)
{
    membuf_free(&f->asc);
    membuf_free(&f->plain);
    membuf_free(&f->sig);
    f->has_asc = f->has_plain = f->has_sig = 0;
}

int verify_fetch_files(const nodus_ctx *ctx, const char *vname, shasums_files *f)
{
    static const char *const names[3] = {"SHASUMS256.txt.asc", "SHASUMS256.txt", "SHASUMS256.txt.sig"};
    membuf *bufs[3] = {&f->asc, &f->plain, &f->sig};
    int *has[3] = {&f->has_asc, &f->has_plain, &f->has_sig};
    for (int i = 0; i < 3; i++) {
        int rc = 0;
        fetch_result r = fetch(ctx, vname, names[i], bufs[i], &rc);
        if (r == FAILED)
            return rc;
        *has[i] = r == GOT;
    }
    if (!f->has_asc && !f->has_plain) {
        msg_err("the mirror has no SHASUMS256.txt for node %s; check NODUS_MIRROR and the version", vname);
        return EXIT_NOT_FOUND;
    }
    return 0;
}

/* The clearsigned text and SHASUMS256.txt say the same (the signed text
 * may lack the last line's newline, as gpg leaves it). */
static int same_text(const char *a, size_t alen, const char *b, size_t blen)
{
    while (alen && a[alen - 1] == '\n')
        alen--;
    while (blen && b[blen - 1] == '\n')
        blen--;
    return alen == blen && memcmp(a, b, alen) == 0;
}

static int check_detached(pgp_keyring *kr, const char *vname, const shasums_files *f, verify_info *info)
{
    pgp_result r;
    pgp_status st = kr ? pgp_verify_detached(kr, (const unsigned char *)f->plain.data, f->plain.len,
                                             (const unsigned char *)f->sig.data, f->sig.len, &r)
                       : PGP_MALFORMED;
    st = check_revoked(st, &r);
    if (st != PGP_OK)
        return signature_failed(vname, "SHASUMS256.txt.sig", st, &r);
    if (info->signature != 1) {
        info->signature = 1;
        describe_signer(&r, info);
    }
    return 0;
}

int verify_files(const nodus_ctx *ctx, const char *vname, const shasums_files *f, shasums_t *out,
                 verify_info *info)
{
    memset(info, 0, sizeof *info);
    int checking = !ctx->no_verify && str_bool(getenv("NODUS_VERIFY_SIGNATURES")) != 0;
    if (!checking) {
        info->signature = -1;
        if (!f->has_plain) {
            msg_err("node %s has only a clearsigned SHASUMS256.txt.asc, which is not read with signature "
                    "checking off", vname);
            return EXIT_VERIFY;
        }
        return parse_sums(f->plain.data, f->plain.len, vname, out);
    }
    int rc = 0;
    pgp_keyring *kr = f->has_asc || f->has_sig ? load_keys(ctx) : NULL;
    if (f->has_asc) {
        pgp_result r;
        char *text = NULL;
        size_t tlen = 0;
        pgp_status st = kr ? pgp_verify_clearsigned(kr, f->asc.data, f->asc.len, &text, &tlen, &r) : PGP_MALFORMED;
        st = check_revoked(st, &r);
        if (st != PGP_OK) {
            rc = signature_failed(vname, "SHASUMS256.txt.asc", st, &r);
        } else {
            info->signature = 1;
            describe_signer(&r, info);
            if (f->has_plain && !same_text(text, tlen, f->plain.data, f->plain.len)) {
                if (f->has_sig)
                    rc = check_detached(kr, vname, f, info);
                else {
                    msg_err("SHASUMS256.txt of node %s is not the text its signed SHASUMS256.txt.asc holds; the "
                            "mirror is broken or compromised", vname);
                    rc = EXIT_VERIFY;
                }
            }
            if (rc == 0)
                rc = parse_sums(text, tlen, vname, out);
        }
        free(text);
    } else if (!f->has_plain) {
        msg_err("the mirror has no SHASUMS256.txt for node %s; check NODUS_MIRROR and the version", vname);
        rc = EXIT_NOT_FOUND;
    } else if (f->has_sig) {
        rc = check_detached(kr, vname, f, info);
        if (rc == 0)
            rc = parse_sums(f->plain.data, f->plain.len, vname, out);
    } else if (!allow_unsigned(ctx)) {
        msg_err("the mirror publishes no signature for node %s (no SHASUMS256.txt.asc or .sig), so its checksums "
                "cannot be trusted; for a mirror known to be unsigned, run with --allow-unsigned or set "
                "allow_unsigned: true in the config", vname);
        rc = EXIT_VERIFY;
    } else {
        rc = parse_sums(f->plain.data, f->plain.len, vname, out);
    }
    pgp_keyring_free(kr);
    return rc;
}
