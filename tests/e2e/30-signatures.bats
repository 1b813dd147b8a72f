#!/usr/bin/env bats
# Release signatures end to end: the generated mirror's SHASUMS256.txt is
# signed here with gpg keys made for this file (gpg runs in the tests only;
# nodus verifies natively), and nodus must install only what a key it knows
# signed. The real Node.js signatures and keys are checked by the unit tests
# (tests/unit/test_pgp.c, every file in tests/fixtures/shasums and
# shasums-badsig), so they are not repeated here.
#
# Keys (made in setup_file, in a throwaway GNUPGHOME):
#   REL  RSA 2048, signs; its public key is in $KEYS (NODUS_KEYS_DIR)
#   SUB  Ed25519 certify-only primary with an Ed25519 signing subkey; in $KEYS
#   OLD  Ed25519, made in 2020 with a one-year expiry, signed in 2020; in $KEYS
#   STR  a stranger: Ed25519, its public key only in $OTHER_KEYS

load ../lib/common
load ../lib/install

VERSION=v22.11.0

gpg_() {
    gpg --batch --quiet --no-tty --no-auto-check-trustdb --pinentry-mode loopback --passphrase '' "$@"
}

# fpr_of EMAIL pub|sub: the fingerprint of the primary key, or of its last subkey.
fpr_of() {
    gpg --batch --with-colons --list-keys "$1" 2>/dev/null |
        awk -F: -v want="$2" '$1 == "pub" { k = "pub" } $1 == "sub" { k = "sub" }
                              $1 == "fpr" && k == want { f = $10 } END { print f }'
}

setup_file() {
    setup_mirror
    GNUPGHOME=$(mktemp -d "${TMPDIR:-/tmp}/nodus-gpg.XXXXXX")
    export GNUPGHOME
    KEYS=$BATS_FILE_TMPDIR/keys
    OTHER_KEYS=$BATS_FILE_TMPDIR/other-keys
    mkdir -p "$KEYS" "$OTHER_KEYS"
    gpg_ --quick-gen-key 'Nodus Release Test <rel@nodus.invalid>' rsa2048 sign never
    gpg_ --quick-gen-key 'Nodus Subkey Test <sub@nodus.invalid>' ed25519 cert never
    gpg_ --quick-gen-key 'Nodus Stranger <str@nodus.invalid>' ed25519 sign never
    gpg_ --faked-system-time 20200101T000000 --quick-gen-key 'Nodus Old Key <old@nodus.invalid>' ed25519 sign 1y
    REL_FPR=$(fpr_of rel@nodus.invalid pub)
    SUB_FPR=$(fpr_of sub@nodus.invalid pub)
    STR_FPR=$(fpr_of str@nodus.invalid pub)
    OLD_FPR=$(fpr_of old@nodus.invalid pub)
    gpg_ --quick-add-key "$SUB_FPR" ed25519 sign never
    SUB_SIGNING_FPR=$(fpr_of sub@nodus.invalid sub)
    gpg_ --armor --export "$REL_FPR" >"$KEYS/rel.asc"
    gpg_ --armor --export "$SUB_FPR" >"$KEYS/sub.asc"
    gpg_ --armor --export "$OLD_FPR" >"$KEYS/old.asc"
    gpg_ --armor --export "$STR_FPR" >"$OTHER_KEYS/stranger.asc"
    local f
    for f in "$REL_FPR" "$SUB_FPR" "$SUB_SIGNING_FPR" "$STR_FPR" "$OLD_FPR"; do
        [ ${#f} -eq 40 ] || {
            echo "setup_file: gpg did not make the test keys" >&2
            return 1
        }
    done
    export KEYS OTHER_KEYS REL_FPR SUB_FPR SUB_SIGNING_FPR STR_FPR OLD_FPR
}

teardown_file() {
    if [ -n "${GNUPGHOME:-}" ]; then
        gpgconf --kill gpg-agent >/dev/null 2>&1 || true
        rm -rf "$GNUPGHOME"
    fi
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    # The generated mirror is unsigned, so fresh_home allows that; these
    # tests are about the default, which does not.
    unset NODUS_ALLOW_UNSIGNED
    export NODUS_KEYS_DIR=$KEYS
    SUMS=$MIRROR_DIR/$VERSION/SHASUMS256.txt
    mirror_save "$SUMS"
    # (An install makes versions/ before it fetches anything; an empty
    # versions/ is no change.)
    mkdir -p "$NODUS_HOME/versions"
    snapshot_versions
}

teardown() {
    rm -f "$SUMS.asc" "$SUMS.sig"
    mirror_restore
}

# clearsign FPR: publish SHASUMS256.txt.asc signed by that (sub)key.
clearsign() {
    gpg_ -u "$1!" --digest-algo SHA256 --clearsign -o "$SUMS.asc.tmp" "$SUMS"
    mv -f "$SUMS.asc.tmp" "$SUMS.asc"
}

# detach_sign FPR: publish a binary SHASUMS256.txt.sig, as nodejs.org does.
detach_sign() {
    gpg_ -u "$1!" --digest-algo SHA256 --detach-sign -o "$SUMS.sig.tmp" "$SUMS"
    mv -f "$SUMS.sig.tmp" "$SUMS.sig"
}

# flip_first_digit FILE SUFFIX: change the first hex digit of the line
# ending in SUFFIX.
flip_first_digit() {
    python3 - "$1" "$2" <<'EOF'
import sys
path, suffix = sys.argv[1], sys.argv[2]
lines = open(path).read().split("\n")
for i, line in enumerate(lines):
    if line.endswith(suffix) and len(line) > 66:
        lines[i] = ("1" if line[0] != "1" else "2") + line[1:]
        break
else:
    sys.exit("no line ends in " + suffix)
open(path, "w").write("\n".join(lines))
EOF
}

tarball_requests() {
    requests_matching "^GET $(tarball_path $VERSION) "
}

installed_verified() {
    assert_no_partial
    assert_no_staging
    [ "$("$NODUS_HOME/versions/$VERSION/bin/node" -v)" = "$VERSION" ]
    [ "$(meta_value $VERSION sha256)" = "$(mirror_sha256 $VERSION)" ]
    [ "$(meta_value $VERSION signature)" = verified ]
}

# refused CODE ERE: the install failed with CODE and an error matching ERE,
# nothing changed, and no tarball was even requested.
refused() {
    expect_error "$1" "$2"
    [ -z "$output" ]
    assert_clean_failure
    [ "$(tarball_requests)" -eq 0 ]
}

# --------------------------------------------------------------- clearsigned

@test "a clearsigned SHASUMS256.txt.asc from a known key: installed, signature=verified in .nodus-meta" {
    clearsign "$REL_FPR"
    run --separate-stderr nodus install "$VERSION"
    [ "$status" -eq 0 ]
    installed_verified
    [[ $(meta_value $VERSION signer) == *"Nodus Release Test <rel@nodus.invalid>"*"$REL_FPR"* ]]
    # The .asc carries the checksums itself: the plain file is not fetched.
    [ "$(requests_matching "^GET /$VERSION/SHASUMS256.txt.asc 200 ")" -eq 1 ]
    [ "$(requests_matching "^GET /$VERSION/SHASUMS256.txt ")" -eq 0 ]
    [ "$(tarball_requests)" -eq 1 ]
}

@test "the signed text altered after signing: bad signature, exit 5, nothing downloaded or installed" {
    clearsign "$REL_FPR"
    # One hex digit of a line for another file: any change at all must fail.
    flip_first_digit "$SUMS.asc" "headers.tar.gz"
    [ "$(grep -c 'headers\.tar\.gz$' "$SUMS.asc")" -eq 1 ]
    ! grep -qxF "$(grep 'headers\.tar\.gz$' "$SUMS.asc")" "$SUMS" || false
    run --separate-stderr nodus install "$VERSION"
    refused 5 "the signature on SHASUMS256.txt.asc of node $VERSION does not verify.*nothing was installed"
}

@test "a checksum swapped for another file's in the signed text: bad signature" {
    clearsign "$REL_FPR"
    # An attacker's goal: make the tarball line carry a digest they like.
    local evil
    evil=$(sed -n '/headers\.tar\.xz$/ s/ .*//p' "$SUMS")
    sed -i "/$(tarball_name $VERSION)\$/ s/^[0-9a-f]\{64\}/$evil/" "$SUMS.asc"
    grep -q "^$evil  $(tarball_name $VERSION)\$" "$SUMS.asc"
    run --separate-stderr nodus install "$VERSION"
    refused 5 'does not verify'
}

@test "signed by a key nodus does not know: the error names the key and says how to add it; adding it works" {
    clearsign "$STR_FPR"
    run --separate-stderr nodus install "$VERSION"
    refused 5 "signed by a key nodus does not know \(key id ${STR_FPR:24}\).*public key.*keys_dir.*NODUS_KEYS_DIR"
    # What the message says to do: a directory of keys in the config.
    run --separate-stderr nodus config set keys_dir "$OTHER_KEYS"
    [ "$status" -eq 0 ]
    run --separate-stderr nodus install "$VERSION"
    [ "$status" -eq 0 ]
    installed_verified
    [[ $(meta_value $VERSION signer) == *"$STR_FPR"* ]]
}

@test "a signing subkey bound to a known primary key: verified, the signer named by its primary key" {
    clearsign "$SUB_SIGNING_FPR"
    run --separate-stderr nodus install "$VERSION"
    [ "$status" -eq 0 ]
    installed_verified
    [[ $(meta_value $VERSION signer) == *"Nodus Subkey Test <sub@nodus.invalid>"*"$SUB_FPR"* ]]
}

@test "a key that has expired since it signed is accepted (gpgv's policy)" {
    gpg_ --faked-system-time 20200601T000000 -u "$OLD_FPR!" --digest-algo SHA256 --clearsign -o "$SUMS.asc" "$SUMS"
    run --separate-stderr nodus install "$VERSION"
    [ "$status" -eq 0 ]
    installed_verified
    [[ $(meta_value $VERSION signer) == *"$OLD_FPR"* ]]
}

@test "an .asc that is not an OpenPGP message at all is refused" {
    printf 'this is not a signature\n' >"$SUMS.asc"
    run --separate-stderr nodus install "$VERSION"
    refused 5 "SHASUMS256.txt.asc of node $VERSION"
}

# ------------------------------------------------------------------ detached

@test "a detached SHASUMS256.txt.sig (no .asc): installed and verified" {
    detach_sign "$REL_FPR"
    run --separate-stderr nodus install "$VERSION"
    [ "$status" -eq 0 ]
    installed_verified
    [[ $(meta_value $VERSION signer) == *"$REL_FPR"* ]]
    [ "$(requests_matching "^GET /$VERSION/SHASUMS256.txt.asc 404 ")" -eq 1 ]
    [ "$(requests_matching "^GET /$VERSION/SHASUMS256.txt 200 ")" -eq 1 ]
    [ "$(requests_matching "^GET /$VERSION/SHASUMS256.txt.sig 200 ")" -eq 1 ]
}

@test "a detached signature made by a signing subkey: verified" {
    detach_sign "$SUB_SIGNING_FPR"
    run --separate-stderr nodus install "$VERSION"
    [ "$status" -eq 0 ]
    installed_verified
    [[ $(meta_value $VERSION signer) == *"$SUB_FPR"* ]]
}

@test "SHASUMS256.txt altered after its detached signature was made: bad signature, nothing installed" {
    detach_sign "$REL_FPR"
    printf '%064d  %s\n' 0 "node-$VERSION-evil.tar.xz" >>"$SUMS"
    run --separate-stderr nodus install "$VERSION"
    refused 5 "the signature on SHASUMS256.txt.sig of node $VERSION does not verify"
}

@test "a detached signature by an unknown key: the unknown-key error" {
    detach_sign "$STR_FPR"
    run --separate-stderr nodus install "$VERSION"
    refused 5 "SHASUMS256.txt.sig of node $VERSION is signed by a key nodus does not know \(key id ${STR_FPR:24}\)"
}

# ------------------------------------------------------------ no signature

@test "no signature on the mirror and no allow flag: the missing-signature error, exit 5, nothing downloaded" {
    run --separate-stderr nodus install "$VERSION"
    refused 5 "publishes no signature for node $VERSION.*--allow-unsigned.*allow_unsigned: true"
    # Both forms were looked for before giving up.
    [ "$(requests_matching "^GET /$VERSION/SHASUMS256.txt.asc 404 ")" -eq 1 ]
    [ "$(requests_matching "^GET /$VERSION/SHASUMS256.txt.sig 404 ")" -eq 1 ]
    # NODUS_ALLOW_UNSIGNED=0 does not allow it either.
    NODUS_ALLOW_UNSIGNED=0 run --separate-stderr nodus install "$VERSION"
    refused 5 'publishes no signature'
}

@test "unsigned, allowed by --allow-unsigned, NODUS_ALLOW_UNSIGNED=1 or allow_unsigned: true: installed, signature=none" {
    local how
    for how in flag env config; do
        rm -rf "$NODUS_HOME" "$XDG_CONFIG_HOME/nodus"
        case $how in
        flag) run --separate-stderr nodus install --allow-unsigned "$VERSION" ;;
        env) NODUS_ALLOW_UNSIGNED=1 run --separate-stderr nodus install "$VERSION" ;;
        config)
            nodus config set allow_unsigned true
            run --separate-stderr nodus install "$VERSION"
            ;;
        esac
        [ "$status" -eq 0 ]
        assert_no_partial
        [ "$(meta_value $VERSION signature)" = none ]
        [ "$(meta_value $VERSION sha256)" = "$(mirror_sha256 $VERSION)" ]
    done
}

@test "--allow-unsigned does not excuse a bad signature" {
    clearsign "$REL_FPR"
    sed -i "s/  node-$VERSION-headers.tar.gz\$/  node-$VERSION-headers.tar.bz2/" "$SUMS.asc"
    run --separate-stderr nodus install --allow-unsigned "$VERSION"
    refused 5 'does not verify'
    detach_sign "$STR_FPR"
    rm -f "$SUMS.asc"
    NODUS_ALLOW_UNSIGNED=1 run --separate-stderr nodus install "$VERSION"
    refused 5 'does not know'
}

@test "the .asc cannot be fetched (HTTP 500 on every try): an error, never a fallback to the unsigned file" {
    clearsign "$REL_FPR"
    set_faults '[{"match": "*/SHASUMS256.txt.asc", "fault": "status:500"}]'
    run --separate-stderr nodus install --allow-unsigned "$VERSION"
    refused 4 "SHASUMS256.txt.asc: the server answered HTTP 500"
    [ "$(requests_matching "^GET /$VERSION/SHASUMS256.txt ")" -eq 0 ]
}

# --------------------------------------------------------------- revoked and weak

# Bad input: the checksums are signed by a key whose owner has revoked it
# since (the revocation is in the key nodus was given).
@test "a signature by a revoked key is refused, nothing installed" {
    gpg_ --quick-gen-key 'Nodus Revoked <rev@nodus.invalid>' ed25519 sign never
    local fpr
    fpr=$(fpr_of rev@nodus.invalid pub)
    clearsign "$fpr"
    # gpg writes a revocation certificate for every new key, guarded by a
    # ':' before its armor line; importing it unguarded revokes the key.
    sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$fpr.rev" >"$BATS_TEST_TMPDIR/rev.asc"
    gpg_ --import "$BATS_TEST_TMPDIR/rev.asc"
    local keys=$BATS_TEST_TMPDIR/revkeys
    mkdir -p "$keys"
    gpg_ --armor --export "$fpr" >"$keys/revoked.asc"
    NODUS_KEYS_DIR=$keys run --separate-stderr nodus install $VERSION
    refused 5 "does not verify \\(the signing key $fpr has been revoked by its owner\\)"
}

# Old releases are signed with SHA-1: accepted, with a warning that says so.
@test "a SHA-1 signature verifies, with a warning about the weak hash" {
    gpg_ -u "$REL_FPR!" --digest-algo SHA1 --clearsign -o "$SUMS.asc" "$SUMS"
    run --separate-stderr nodus install $VERSION
    [ "$status" -eq 0 ]
    [[ $stderr == *"nodus: warning: the checksums of node $VERSION are signed with SHA-1, a weak hash"* ]]
    installed_verified
    [ "$(meta_value $VERSION signature_sha1)" = 1 ]
}
