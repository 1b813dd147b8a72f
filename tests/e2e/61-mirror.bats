#!/usr/bin/env bats
# nodus mirror: a subset of the official layout, made from the test mirror
# (signed here with a gpg key made for this file), served by a second
# tests/lib/mirror.py on 127.0.0.1, installed from with signatures verified.
#
#   v22.11.0  clearsigned (SHASUMS256.txt.asc) beside SHASUMS256.txt
#   v20.18.0  SHASUMS256.txt with a detached SHASUMS256.txt.sig

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror
    GNUPGHOME=$(mktemp -d "${TMPDIR:-/tmp}/nodus-gpg.XXXXXX")
    export GNUPGHOME
    KEYS=$BATS_FILE_TMPDIR/keys
    mkdir -p "$KEYS"
    local g=(gpg --batch --quiet --no-tty --pinentry-mode loopback --passphrase '')
    "${g[@]}" --quick-gen-key 'Nodus Mirror Test <mirror@nodus.invalid>' ed25519 sign never
    "${g[@]}" --armor --export mirror@nodus.invalid >"$KEYS/mirror.asc"
    "${g[@]}" --yes --clearsign -o "$MIRROR_DIR/v22.11.0/SHASUMS256.txt.asc" "$MIRROR_DIR/v22.11.0/SHASUMS256.txt"
    "${g[@]}" --yes --detach-sign -o "$MIRROR_DIR/v20.18.0/SHASUMS256.txt.sig" "$MIRROR_DIR/v20.18.0/SHASUMS256.txt"
    gpgconf --kill gpg-agent >/dev/null 2>&1 || true
    export KEYS
    PLAT=$(node_platform)
    OTHER=linux-arm64
    [ "$PLAT" != linux-arm64 ] || OTHER=linux-x64
    export PLAT OTHER
}

teardown_file() {
    [ -z "${GNUPGHOME:-}" ] || rm -rf "$GNUPGHOME"
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    unset NODUS_ALLOW_UNSIGNED
    export NODUS_KEYS_DIR=$KEYS
    M=$BATS_TEST_TMPDIR/fleet
    SERVE_PID=
}

teardown() {
    [ -z "$SERVE_PID" ] || kill "$SERVE_PID" 2>/dev/null || true
    mirror_restore
}

# serve DIR: a second server on 127.0.0.1 for DIR; sets SERVE_URL, SERVE_LOG.
serve() {
    local pf=$BATS_TEST_TMPDIR/serve.port i
    SERVE_LOG=$BATS_TEST_TMPDIR/serve.log
    : >"$SERVE_LOG"
    python3 "$NODUS_TESTS_LIB/mirror.py" --root "$1" --port-file "$pf" --log "$SERVE_LOG" \
        --exit-with-pid "$$" </dev/null >/dev/null 2>&1 3>&- &
    SERVE_PID=$!
    for ((i = 0; i < 100; i++)); do
        [ -s "$pf" ] && break
        sleep 0.1
    done
    [ -s "$pf" ]
    SERVE_URL=http://127.0.0.1:$(cat "$pf")
}

has_tmp() {
    ls -A "$M/v22.11.0" 2>/dev/null | grep -q '^\.nodus-tmp-'
}

# listed DIR: the versions DIR/index.json lists with their files.
listed() {
    python3 -c 'import json,sys
for r in json.load(open(sys.argv[1])): print(r["version"], ",".join(r["files"]))' "$1/index.json"
}

@test "mirror: signed SHASUMS copied byte for byte, tarballs for two platforms, an index of only that" {
    run --separate-stderr nodus mirror "$M" 22.11.0 20 --platform "$PLAT" --platform "$OTHER"
    echo "$stderr"
    [ "$status" -eq 0 ]
    local v f
    for v in v22.11.0 v20.18.0; do
        for f in SHASUMS256.txt SHASUMS256.txt.asc SHASUMS256.txt.sig; do
            if [ -e "$MIRROR_DIR/$v/$f" ]; then cmp "$MIRROR_DIR/$v/$f" "$M/$v/$f"; else [ ! -e "$M/$v/$f" ]; fi
        done
        for f in "$PLAT" "$OTHER"; do
            cmp "$MIRROR_DIR/$v/node-$v-$f.tar.xz" "$M/$v/node-$v-$f.tar.xz"
            cmp "$MIRROR_DIR/$v/node-$v-$f.tar.gz" "$M/$v/node-$v-$f.tar.gz"
        done
        # Nothing else: no headers, no other platform, no temporary file.
        [ "$(ls -A "$M/$v")" = "$( (cd "$MIRROR_DIR/$v" && ls SHASUMS*; printf '%s\n' \
            "node-$v-$PLAT.tar.gz" "node-$v-$PLAT.tar.xz" "node-$v-$OTHER.tar.gz" "node-$v-$OTHER.tar.xz") |
            LC_ALL=C sort)" ]
    done
    [ "$(ls -A "$M")" = "$(printf 'index.json\nindex.tab\nv20.18.0\nv22.11.0')" ]
    local want
    want=$(printf '%s\n' "$PLAT" "$OTHER" | sort | paste -sd, -)
    [ "$(listed "$M")" = "$(printf 'v22.11.0 %s\nv20.18.0 %s' "$want" "$want")" ]
    [ "$(head -1 "$M/index.tab" | cut -f1-3)" = "$(printf 'version\tdate\tfiles')" ]
    [ "$(sed -n 2p "$M/index.tab" | cut -f1,3)" = "$(printf 'v22.11.0\t%s' "$want")" ]
    [ "$(wc -l <"$M/index.tab")" -eq 3 ]
}

@test "install from the mirror made by nodus mirror, signatures verified; a rerun downloads nothing" {
    nodus mirror "$M" 22.11.0 20 --platform "$PLAT" 2>/dev/null
    serve "$M"
    NODUS_MIRROR=$SERVE_URL run --separate-stderr nodus install 22.11.0 20
    echo "$stderr"
    [ "$status" -eq 0 ]
    grep -qx 'signature=verified' "$NODUS_HOME/versions/v22.11.0/.nodus-meta"
    grep -qx 'signature=verified' "$NODUS_HOME/versions/v20.18.0/.nodus-meta"
    grep -q 'Nodus Mirror Test' "$NODUS_HOME/versions/v20.18.0/.nodus-meta"
    grep -q "GET /v22.11.0/SHASUMS256.txt.asc 200" "$SERVE_LOG"
    grep -q "GET /v20.18.0/SHASUMS256.txt.sig 200" "$SERVE_LOG"
    # A version the subset does not hold is not offered.
    NODUS_MIRROR=$SERVE_URL run --separate-stderr nodus install 18
    [ "$status" -ne 0 ]
    # Rerun: nothing downloaded (the index may be revalidated, nothing else).
    reset_log
    run --separate-stderr nodus mirror "$M" 22.11.0 20 --platform "$PLAT"
    echo "$stderr"
    [ "$status" -eq 0 ]
    [[ $stderr == *"0 files downloaded"* ]]
    [ "$(requests_matching '^GET /v')" -eq 0 ]
    [ "$(grep -vc '^GET /index.json ' "$MIRROR_LOG")" -eq 0 ]
    # Adding a platform fetches that platform's tarballs only.
    reset_log
    nodus mirror "$M" 22.11.0 --platform "$PLAT" --platform "$OTHER" 2>/dev/null
    [ "$(requests_matching '^GET /v22.11.0/')" -eq 2 ]
    [ "$(requests_matching "^GET /v22.11.0/node-v22.11.0-$OTHER\\.tar\\.(xz|gz) 200")" -eq 2 ]
}

@test "a tarball that does not match the signed checksums is not added, and not listed" {
    nodus mirror "$M" 20 --platform "$PLAT" 2>/dev/null
    local before
    before=$(cat "$M/index.json")
    set_faults '[{"match": "/v22.11.0/*.tar.xz", "fault": "wrong-bytes"}]'
    run --separate-stderr nodus mirror "$M" 22.11.0 --platform "$PLAT"
    [ "$status" -eq 5 ]
    [[ $stderr == *"checksum mismatch for node-v22.11.0-$PLAT.tar.xz"* ]]
    [ ! -e "$M/v22.11.0/node-v22.11.0-$PLAT.tar.xz" ]
    ! ls -A "$M/v22.11.0" | grep -q '^\.'
    # v22.11.0 has no tarball: it is not listed; v20 still is.
    [ "$(cat "$M/index.json")" = "$before" ]
    # Fixed upstream: the rerun completes it, and keeps v20 untouched.
    clear_faults
    reset_log
    nodus mirror "$M" 22.11.0 --platform "$PLAT" 2>/dev/null
    [ "$(listed "$M" | cut -d' ' -f1 | paste -sd' ' -)" = "v22.11.0 v20.18.0" ]
    [ "$(requests_matching '^GET /v20')" -eq 0 ]
}

@test "altered checksums (bad signature) are not copied; a local copy that no longer verifies is fetched again" {
    mirror_save "$MIRROR_DIR/v20.18.0/SHASUMS256.txt"
    sed -i '1s/^./0/' "$MIRROR_DIR/v20.18.0/SHASUMS256.txt"
    run --separate-stderr nodus mirror "$M" 20 --platform "$PLAT"
    [ "$status" -eq 5 ]
    [[ $stderr == *"does not verify"* ]]
    [ ! -e "$M/v20.18.0/SHASUMS256.txt" ]
    [ ! -e "$M/v20.18.0/SHASUMS256.txt.sig" ]
    [ "$(listed "$M")" = "" ]
    mirror_restore
    nodus mirror "$M" 20 --platform "$PLAT" 2>/dev/null
    # Someone edits the copy: the next run notices and replaces it.
    printf 'x' >>"$M/v20.18.0/SHASUMS256.txt"
    printf 'junk' >"$M/v20.18.0/node-v20.18.0-$PLAT.tar.gz"
    run --separate-stderr nodus mirror "$M" 20 --platform "$PLAT"
    echo "$stderr"
    [ "$status" -eq 0 ]
    [[ $stderr == *"does not verify; fetching them again"* ]]
    [[ $stderr == *"does not match its checksum; downloading it again"* ]]
    cmp "$MIRROR_DIR/v20.18.0/SHASUMS256.txt" "$M/v20.18.0/SHASUMS256.txt"
    cmp "$MIRROR_DIR/v20.18.0/node-v20.18.0-$PLAT.tar.gz" "$M/v20.18.0/node-v20.18.0-$PLAT.tar.gz"
}

@test "a run killed mid-download leaves the mirror as it was; the next run removes its leftovers" {
    nodus mirror "$M" 20 --platform "$PLAT" 2>/dev/null
    local before pid
    before=$(cat "$M/index.json")
    set_faults '[{"match": "/v22.11.0/*.tar.xz", "fault": "stall"}]'
    nodus mirror "$M" 22.11.0 --platform "$PLAT" 2>/dev/null &
    pid=$!
    wait_for has_tmp
    kill -KILL "$pid"
    wait "$pid" || true
    [ "$(cat "$M/index.json")" = "$before" ]
    [ ! -e "$M/v22.11.0/node-v22.11.0-$PLAT.tar.xz" ]
    clear_faults
    nodus mirror "$M" 22.11.0 --platform "$PLAT" 2>/dev/null
    ! ls -A "$M/v22.11.0" | grep -q '^\.'
    [ "$(listed "$M" | cut -d' ' -f1 | paste -sd' ' -)" = "v22.11.0 v20.18.0" ]
}

@test "mirror: usage errors" {
    run --separate-stderr nodus mirror
    [ "$status" -eq 2 ]
    [[ $stderr == *"usage: nodus mirror DIR"* ]]
    run --separate-stderr nodus mirror "$M" 22 --platform '../x'
    [ "$status" -eq 2 ]
    run --separate-stderr nodus mirror "$M" 22 --platform
    [ "$status" -eq 2 ]
    run --separate-stderr nodus mirror "$M" 22 --bogus
    [ "$status" -eq 2 ]
    [ ! -e "$M" ]
}
