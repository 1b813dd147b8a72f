#!/usr/bin/env bats
# Hostile tarballs one step past 11-install-evil: links that escape through
# other links, hard links to symlinks and directories, decompression bombs
# behind a good signature, entry floods, loose modes, a tarball that claims
# .nodus-meta, read-only directories (releases v69-v79 of `mkmirror.py
# --hostile`, see its header). A refused install changes nothing in
# versions/ (which holds a good v20.18.0), leaves nothing in tmp/ (lock
# files included), and nothing in versions/ resolves outside it.

load ../lib/common
load ../lib/install

gpg_() {
    gpg --batch --quiet --no-tty --no-auto-check-trustdb --pinentry-mode loopback --passphrase '' "$@"
}

setup_file() {
    setup_mirror --hostile --versions v20.18.0 --platforms "$(node_platform)"
    seed_home 20.18.0
    # v74's SHASUMS256.txt is signed by a key nodus is given: the bomb sits
    # behind a good signature, as when only the tarball is swapped.
    GNUPGHOME=$(mktemp -d "${TMPDIR:-/tmp}/nodus-gpg.XXXXXX")
    export GNUPGHOME
    KEYS=$BATS_FILE_TMPDIR/keys
    mkdir -p "$KEYS"
    gpg_ --quick-gen-key 'Nodus Hostile Test <hostile@nodus.invalid>' ed25519 sign never
    gpg_ --armor --export hostile@nodus.invalid >"$KEYS/hostile.asc"
    gpg_ --clearsign -o "$MIRROR_DIR/v74.0.0/SHASUMS256.txt.asc" "$MIRROR_DIR/v74.0.0/SHASUMS256.txt"
    [ -s "$KEYS/hostile.asc" ] && [ -s "$MIRROR_DIR/v74.0.0/SHASUMS256.txt.asc" ]
    export KEYS
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
    use_seed
    snapshot_versions
}

teardown() {
    if [ -n "${NOBODY_DIR:-}" ]; then
        chmod -R u+rwx "$NOBODY_DIR" 2>/dev/null || true
        rm -rf "$NOBODY_DIR"
    fi
}

# links_outside DIR: print every symlink under DIR that resolves outside it.
links_outside() {
    python3 - "$1" <<'EOF'
import os, sys
root = os.path.realpath(sys.argv[1])
for dp, dn, fn in os.walk(root):
    for n in dn + fn:
        p = os.path.join(dp, n)
        if os.path.islink(p):
            r = os.path.realpath(p)
            if r != root and not r.startswith(root + os.sep):
                print("%s -> %s" % (os.path.relpath(p, root), r))
EOF
}

# tmp_left: what tmp/ holds besides shims.lock (the one lock that is kept:
# it is taken by every reshim, not once per version).
tmp_left() {
    [ -d "$NODUS_HOME/tmp" ] || return 0
    ls -A "$NODUS_HOME/tmp" | grep -vx 'shims\.lock' || true
}

# no_leftovers: tmp/ holds no staging, no trash and no per-version lock
# file, and nothing in versions/ resolves outside it.
no_leftovers() {
    if [ -n "$(tmp_left)" ]; then
        echo "left in tmp/: $(tmp_left)" >&2
        return 1
    fi
    local out
    out=$(links_outside "$NODUS_HOME/versions")
    [ -z "$out" ] || {
        echo "links outside versions/: $out" >&2
        return 1
    }
}

# bad_install CODE ERE SPEC [ULIMIT_KB]: `nodus install SPEC` fails with
# CODE and an error matching ERE, and changes nothing. With ULIMIT_KB, the
# install runs under `ulimit -f` with SIGXFSZ ignored (a small disk:
# writing more fails with EFBIG).
bad_install() {
    if [ -n "${4:-}" ]; then
        run --separate-stderr bash -c "trap '' XFSZ; ulimit -f \"\$1\" && exec nodus install \"\$2\"" _ "$4" "$3"
    else
        run --separate-stderr nodus install "$3"
    fi
    expect_error "$1" "$2"
    [ -z "$output" ]
    assert_clean_failure
    [ "$("$NODUS_HOME/versions/v20.18.0/bin/node" -v)" = v20.18.0 ]
    no_leftovers
}

@test "v79: a symlink whose target climbs through another symlink (up -> ../../.., then esc -> a/b/c/up/../../../etc)" {
    bad_install 5 "entry 'node-v79.0.0-[a-z0-9-]+/esc' is a symlink whose target passes through the symlink 'a/b/c/up'" 79.0.0
}

@test "v78: the same links in the other order: the link it passes through comes after it" {
    bad_install 5 "entry 'node-v78.0.0-[a-z0-9-]+/a/b/c/up' is a symlink where an earlier symlink's target goes on through" 78.0.0
}

@test "v77: a hard link to a symlink, landing two levels higher" {
    bad_install 5 "entry 'node-v77.0.0-[a-z0-9-]+/esc' is a hard link to the symlink 'lib/x/y/deep'" 77.0.0
}

@test "v76: a hard link to a directory is named as that" {
    bad_install 5 "entry 'node-v76.0.0-[a-z0-9-]+/bin/dirlink' is a hard link to a directory \('lib'\)" 76.0.0
    [[ $stderr != *"free space"* ]]
}

@test "v69: a directory replaced by a symlink that a link's target goes through" {
    bad_install 5 "entry 'node-v69.0.0-[a-z0-9-]+/p/q' (replaces an earlier directory|is a symlink where an earlier)" 69.0.0
}

@test "v71: an entry named .nodus-meta is refused, as that" {
    bad_install 5 "entry 'node-v71.0.0-[a-z0-9-]+/\.nodus-meta/?' has the name nodus keeps its own record" 71.0.0
}

@test "v75: no group- or world-writable, set-id or sticky mode is installed" {
    run --separate-stderr nodus install 75.0.0
    [ "$status" -eq 0 ]
    local v=$NODUS_HOME/versions/v75.0.0
    [ "$(stat -c %a "$v/bin/ww")" = 755 ]
    [ "$(stat -c %a "$v/lib/gw")" = 644 ]
    [ "$(stat -c %a "$v/share/open")" = 755 ]
    [ "$(stat -c %a "$v/share/open/f")" = 644 ]
    [ "$(stat -c %a "$v/bin/suid")" = 755 ]
    [ -z "$(find "$v" ! -type l -perm /7022 -printf '%m %p\n')" ]
    no_leftovers
}

@test "v74, v73: on a small disk, a bomb behind a good signature is a checksum mismatch; only a verified release is blamed on the disk" {
    unset NODUS_ALLOW_UNSIGNED
    export NODUS_KEYS_DIR=$KEYS
    bad_install 5 "checksum mismatch for $(tarball_name v74.0.0)" 74.0.0 8192
    [[ $stderr != *"free space"* ]]
    # The signature was checked: the bomb got as far as the extraction.
    [ "$(requests_matching 'SHASUMS256\.txt\.asc 200')" -ge 1 ]
    [ "$(requests_matching "$(tarball_path v74.0.0) 200")" -ge 1 ]
    # v73 is the same bomb with its right checksum: now the disk is the cause.
    export NODUS_ALLOW_UNSIGNED=1
    bad_install 6 "cannot extract 'lib/bomb\.bin' .*File too large.*check the free space" 73.0.0 8192
}

@test "v74: a bomb past a lowered max_extract_bytes: the extraction stops at the cap, the mismatch is reported" {
    # The cap stops the extraction before the 8 MiB the disk has room for.
    export NODUS_MAX_EXTRACT_BYTES=4194304 NODUS_KEYS_DIR=$KEYS
    bad_install 5 "checksum mismatch for $(tarball_name v74.0.0)" 74.0.0 8192
    [[ $stderr != *"free space"* ]]
}

@test "v73: a bomb whose checksum is right: the cap (its setting named) stops it" {
    export NODUS_MAX_EXTRACT_BYTES=4194304
    bad_install 1 "entry 'node-v73.0.0-[a-z0-9-]+/lib/bomb\.bin' would make the release larger than 4194304 bytes \(the cap is max_extract_bytes in the config, or NODUS_MAX_EXTRACT_BYTES\)" 73.0.0
    # In the config file, the same.
    unset NODUS_MAX_EXTRACT_BYTES
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf 'max_extract_bytes: 4194304\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    bad_install 1 "larger than 4194304 bytes \(the cap is max_extract_bytes" 73.0.0
}

@test "v72: a flood of entries past max_extract_entries" {
    export NODUS_MAX_EXTRACT_ENTRIES=1000
    bad_install 1 "is one entry more than the 1000 a release may have \(the cap is max_extract_entries in the config, or NODUS_MAX_EXTRACT_ENTRIES\)" 72.0.0
    unset NODUS_MAX_EXTRACT_ENTRIES
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf 'max_extract_entries: 1000\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    bad_install 1 "one entry more than the 1000" 72.0.0
    # Under the default cap, the same release installs.
    rm "$XDG_CONFIG_HOME/nodus/config.yaml"
    run --separate-stderr nodus install 72.0.0
    [ "$status" -eq 0 ]
    [ "$(find "$NODUS_HOME/versions/v72.0.0/lib/many" -type f | wc -l)" -eq 3000 ]
}

@test "no lock file stays behind in tmp/, after installs, failures and uninstalls" {
    run nodus install 75.0.0
    [ "$status" -eq 0 ]
    run nodus install 76.0.0
    [ "$status" -ne 0 ]
    run nodus uninstall 75.0.0
    [ "$status" -eq 0 ]
    no_leftovers
}

# as_user CMD...: run CMD as a user other than root (nobody when we are
# root), with this test's environment.
as_user() {
    if [ "$(id -u)" -ne 0 ]; then
        "$@"
    else
        setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups -- "$@"
    fi
}

@test "v70: read-only directories: a non-root user uninstalls them, and doctor's fix for leftovers works" {
    if [ "$(id -u)" -eq 0 ]; then
        command -v setpriv >/dev/null || skip "running as root without setpriv: cannot test as another user"
        id nobody >/dev/null 2>&1 || skip "running as root and there is no user nobody"
    fi
    # A home the other user owns, on a path it can reach.
    NOBODY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/nodus-nobody.XXXXXX")
    chmod 755 "$NOBODY_DIR"
    export HOME=$NOBODY_DIR/home NODUS_HOME=$NOBODY_DIR/home/nodus XDG_CACHE_HOME=$NOBODY_DIR/home/.cache \
        XDG_CONFIG_HOME=$NOBODY_DIR/home/.config
    mkdir -p "$HOME"
    [ "$(id -u)" -ne 0 ] || chown -R nobody "$NOBODY_DIR"
    cd "$NOBODY_DIR"
    run --separate-stderr as_user nodus install 70.0.0
    [ "$status" -eq 0 ]
    [ "$(stat -c %a "$NODUS_HOME/versions/v70.0.0/lib/ro")" = 555 ]
    [ "$(stat -c %a "$NODUS_HOME/versions/v70.0.0/lib/ro/sub")" = 555 ]
    run --separate-stderr as_user nodus uninstall 70.0.0
    [ "$status" -eq 0 ]
    [[ $stderr != *"could not delete"* ]]
    [ ! -e "$NODUS_HOME/versions/v70.0.0" ]
    [ -z "$(tmp_left)" ]
    # What a killed uninstall leaves: doctor names it, and its fix works.
    run --separate-stderr as_user nodus install 70.0.0
    [ "$status" -eq 0 ]
    local trash=$NODUS_HOME/tmp/trash-v70.0.0-999999999-AbC123
    as_user mkdir "$trash"
    as_user mv "$NODUS_HOME/versions/v70.0.0" "$trash/v70.0.0"
    run --separate-stderr as_user nodus doctor --json
    local fix
    fix=$(printf '%s' "$output" | python3 -c 'import json, sys
for c in json.load(sys.stdin):
    if c["check"] == "staging":
        print(c.get("fix") or "")')
    [[ $fix == "remove them: "* ]]
    fix=${fix#remove them: }
    fix=${fix% (the next install also does)}
    run as_user sh -c "$fix"
    [ "$status" -eq 0 ]
    [ ! -e "$trash" ]
}
