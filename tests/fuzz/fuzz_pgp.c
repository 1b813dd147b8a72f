/* libFuzzer target for the OpenPGP code: every input is tried as an armor
 * stream, as a key block, as a cleartext-signed message and as a detached
 * signature, because the real files an attacker controls (a mirror's
 * SHASUMS256.txt.asc / .sig) reach all of these parsers.
 *
 * The release keys and one real signed text are loaded once, so that inputs
 * close to real signatures get as far as the public-key check. Run from the
 * repository root, or set NODUS_KEYS and NODUS_FIXTURES.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       tests/fuzz/fuzz_pgp.c src/pgp*.c -lcrypto -o /tmp/fuzz_pgp
 *   cp -r tests/fuzz/corpus/pgp /tmp/corpus && /tmp/fuzz_pgp /tmp/corpus */
#include "pgp.h"
#include "pgp_armor.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pgp_keyring *ring;   /* the real release keys */
static char *doc, *signed_msg;
static size_t doclen, signed_len;

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    *len = 0;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL)
        *len = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[256], path[4096];
    const char *keys = getenv("NODUS_KEYS"), *fix = getenv("NODUS_FIXTURES");
    (void)argc;
    (void)argv;
    ring = pgp_keyring_new();
    if (pgp_keyring_add_dir(ring, keys ? keys : "share/keys", err, sizeof err) < 0)
        fprintf(stderr, "fuzz_pgp: no release keys (%s); coverage will be shallow\n", err);
    snprintf(path, sizeof path, "%s/shasums/v24.19.0/SHASUMS256.txt", fix ? fix : "tests/fixtures");
    doc = read_all(path, &doclen);
    snprintf(path, sizeof path, "%s/shasums/v24.19.0/SHASUMS256.txt.asc", fix ? fix : "tests/fixtures");
    signed_msg = read_all(path, &signed_len);
    return 0;
}

static void fuzz_armor(const uint8_t *data, size_t size)
{
    size_t pos = 0;
    char label[64], err[128];
    for (int i = 0; i < 8; i++) {
        unsigned char *out = NULL;
        size_t outlen = 0;
        int rc = pgp_armor_next((const char *)data, size, &pos, label, sizeof label, &out, &outlen,
                                err, sizeof err);
        free(out);
        if (rc <= 0)
            break;
    }
}

/* A fuzzed key block, then the real signed message checked against it, so
 * mutated keys reach the verification code too. */
static void fuzz_keys(const uint8_t *data, size_t size)
{
    char err[256];
    pgp_result r;
    pgp_keyring *kr = pgp_keyring_new();
    if (pgp_keyring_add(kr, data, size, err, sizeof err) > 0 && signed_msg)
        pgp_verify_clearsigned(kr, signed_msg, signed_len, NULL, NULL, &r);
    pgp_keyring_free(kr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = NULL;
    size_t textlen = 0;
    pgp_result r;
    fuzz_armor(data, size);
    fuzz_keys(data, size);
    if (pgp_verify_clearsigned(ring, (const char *)data, size, &text, &textlen, &r) == PGP_OK &&
        (!text || strlen(text) > textlen))
        abort(); /* the text must be NUL-terminated at textlen */
    free(text);
    pgp_verify_detached(ring, (const unsigned char *)(doc ? doc : ""), doclen, data, size, &r);
    return 0;
}
