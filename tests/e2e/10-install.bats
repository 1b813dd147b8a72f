#!/usr/bin/env bats
# nodus install / ls / ls-remote / uninstall / default against the generated
# mirror: the paths that should work.  The failure paths are in 11-13.

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
}

teardown() {
    mirror_restore
}

# installed: the names in versions/, sorted, on one line.
installed() {
    if [ -d "$NODUS_HOME/versions" ]; then
        (cd "$NODUS_HOME/versions" && ls -A | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
    fi
}

# index_versions [PYTHON-FILTER]: the versions of index.json whose row r
# passes the filter, newest first, one per line.
index_versions() {
    python3 - "$MIRROR_DIR/index.json" "${1:-True}" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
keep = [r for r in rows if eval(sys.argv[2], {"r": r})]
key = lambda r: tuple(int(x) for x in r["version"][1:].split("."))
for r in sorted(keep, key=key, reverse=True):
    print(r["version"])
EOF
}

@test "install an exact version: a complete tree, its metadata, one download, no staging left" {
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [[ $stderr == *"installed node v22.11.0"* ]]
    [ "$(installed)" = v22.11.0 ]
    local d=$NODUS_HOME/versions/v22.11.0
    [ "$("$d/bin/node" -v)" = v22.11.0 ]
    [ "$("$d/bin/node" -p process.versions.node)" = 22.11.0 ]
    # The whole release is there, links included, under the stripped top directory.
    [ "$(readlink "$d/bin/npm")" = ../lib/node_modules/npm/bin/npm-cli.js ]
    [ -x "$d/bin/npm" ]
    [ -f "$d/include/node/node.h" ]
    [ -f "$d/LICENSE" ]
    [ ! -e "$d/node-v22.11.0-$(node_platform)" ]
    # The metadata says what was installed and from where.
    [ "$(meta_value v22.11.0 sha256)" = "$(mirror_sha256 v22.11.0)" ]
    [ "$(meta_value v22.11.0 lts | tr '[:upper:]' '[:lower:]')" = jod ]
    [ "$(meta_value v22.11.0 url)" = "$MIRROR_URL$(tarball_path v22.11.0)" ]
    assert_no_partial
    assert_no_staging
    [ "$(requests_matching '^GET /v22.11.0/SHASUMS256.txt 200 ')" -eq 1 ]
    [ "$(requests_matching "^GET $(tarball_path v22.11.0) 200 ")" -eq 1 ]
    [ "$(requests_matching '(SHASUMS256.txt|\.tar\.xz) [45][0-9][0-9] ')" -eq 0 ]
}

@test "install v22.11.0 (with a v) names the same version; installing it again downloads nothing" {
    run --separate-stderr nodus install v22.11.0
    [ "$status" -eq 0 ]
    [ "$(installed)" = v22.11.0 ]
    snapshot_versions
    reset_log
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [[ $stderr == *"already installed"* ]]
    [ "$(requests_matching '\.tar\.')" -eq 0 ]
    [ "$(requests_matching 'SHASUMS')" -eq 0 ]
    assert_versions_same
}

@test "install a partial version: the newest release of that line" {
    local spec want
    for spec in 22:v22.11.0 20:v20.18.0 22.10:v22.10.0 v18:v18.20.4; do
        want=${spec#*:}
        run --separate-stderr nodus install "${spec%%:*}"
        [ "$status" -eq 0 ]
        [[ $stderr == *"installed node $want"* ]]
        [ "$("$NODUS_HOME/versions/$want/bin/node" -v)" = "$want" ]
    done
    [ "$(installed)" = "v18.20.4 v20.18.0 v22.10.0 v22.11.0" ]
    assert_no_partial
    assert_no_staging
}

@test "install lts/*, lts and --lts: the newest LTS release" {
    local spec
    for spec in 'lts/*' lts --lts; do
        rm -rf "$NODUS_HOME"
        run --separate-stderr nodus install "$spec"
        [ "$status" -eq 0 ]
        [ "$(installed)" = v22.11.0 ]
        [ "$(meta_value v22.11.0 lts | tr '[:upper:]' '[:lower:]')" = jod ]
    done
}

@test "install lts/<codename> in any case, and lts/-N" {
    local spec want
    for spec in lts/iron:v20.18.0 lts/IRON:v20.18.0 LTS/Iron:v20.18.0 lts/-1:v20.18.0 \
        lts/Hydrogen:v18.20.4 lts/-2:v18.20.4; do
        want=${spec#*:}
        rm -rf "$NODUS_HOME"
        run --separate-stderr nodus install "${spec%:*}"
        [ "$status" -eq 0 ]
        [ "$(installed)" = "$want" ]
    done
}

@test "install latest, current and node: the newest release" {
    local spec
    for spec in latest current node --latest; do
        rm -rf "$NODUS_HOME"
        run --separate-stderr nodus install "$spec"
        [ "$status" -eq 0 ]
        [ "$(installed)" = v23.1.0 ]
        [ "$("$NODUS_HOME/versions/v23.1.0/bin/node" -v)" = v23.1.0 ]
        [ -z "$(meta_value v23.1.0 lts)" ]
    done
}

@test "install several specs in one command" {
    run --separate-stderr nodus install 20 lts/-2 22.10.0
    [ "$status" -eq 0 ]
    [ "$(installed)" = "v18.20.4 v20.18.0 v22.10.0" ]
    # One index fetch for all three.
    [ "$(requests_matching '^GET /index.json ')" -eq 1 ]
}

@test "a real-format SHASUMS256.txt (Windows builds in subdirectories) is accepted" {
    # Real SHASUMS256.txt files list e.g. "win-x64/node.exe"; a parser that
    # takes those lines for malformed cannot install anything from nodejs.org.
    local sums=$MIRROR_DIR/v20.17.0/SHASUMS256.txt
    mirror_save "$sums"
    {
        cat "$BATS_TEST_TMPDIR/mirror-orig$sums"
        printf '%064d  win-x64/node.exe\n' 1
        printf '%064d  win-x86/node.lib\n' 2
    } | LC_ALL=C sort -k2 >"$sums"
    run --separate-stderr nodus install 20.17.0
    [ "$status" -eq 0 ]
    [ "$(installed)" = v20.17.0 ]
    [ "$(meta_value v20.17.0 sha256)" = "$(mirror_sha256 v20.17.0)" ]
}

@test "the .tar.gz is used when SHASUMS256.txt lists no .tar.xz" {
    local sums=$MIRROR_DIR/v20.17.0/SHASUMS256.txt
    mirror_save "$sums"
    grep -v '\.tar\.xz$' "$BATS_TEST_TMPDIR/mirror-orig$sums" >"$sums"
    run --separate-stderr nodus install 20.17.0
    [ "$status" -eq 0 ]
    [ "$(requests_matching "^GET $(tarball_path v20.17.0 tar.gz) 200 ")" -eq 1 ]
    [ "$(requests_matching '\.tar\.xz')" -eq 0 ]
    [ "$(meta_value v20.17.0 sha256)" = "$(mirror_sha256 v20.17.0 tar.gz)" ]
    [ "$("$NODUS_HOME/versions/v20.17.0/bin/node" -v)" = v20.17.0 ]
}

# ---------------------------------------------------------------- ls

@test "ls: installed versions newest first, the default marked" {
    run --separate-stderr nodus --quiet install 18.20.4 22.10.0 20.18.0 22.11.0
    [ "$status" -eq 0 ]
    run --separate-stderr nodus default 20
    [ "$status" -eq 0 ]
    run --separate-stderr nodus ls
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 4 ]
    [ "$(printf '%s\n' "${lines[@]}" | sed 's/^[* ] *//' | cut -d' ' -f1 | tr '\n' ' ')" = \
        "v22.11.0 v22.10.0 v20.18.0 v18.20.4 " ]
    [ "$(printf '%s\n' "${lines[@]}" | grep -c 'default$')" -eq 1 ]
    [[ ${lines[2]} == *v20.18.0*default ]]
    [[ ${lines[2]} == *lts/iron* ]]
    # With no version file, the default is also what is active.
    [[ ${lines[2]} == "*"* ]]
    [[ ${lines[0]} != "*"* ]]
    # A filter.
    run --separate-stderr nodus ls 22
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 2 ]
    [[ ${lines[0]} == *v22.11.0* ]]
    [[ ${lines[1]} == *v22.10.0* ]]
}

@test "ls --json is a JSON list, newest first, with the default flagged" {
    run --separate-stderr nodus --quiet install 20.18.0 22.11.0 22.10.0
    [ "$status" -eq 0 ]
    nodus --quiet default 22.10
    local how
    for how in "--json ls" "ls --json"; do
        # shellcheck disable=SC2086
        run --separate-stderr nodus $how
        [ "$status" -eq 0 ]
        python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert [r["version"] for r in rows] == ["v22.11.0", "v22.10.0", "v20.18.0"], rows
assert [r["default"] for r in rows] == [False, True, False], rows
assert rows[0]["lts"].lower() == "jod" and rows[2]["lts"].lower() == "iron", rows
assert rows[1]["lts"] is None, rows
' <<<"$output"
    done
}

@test "ls with nothing installed prints nothing on stdout and exits 0" {
    run --separate-stderr nodus ls
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    run --separate-stderr nodus --json ls
    [ "$status" -eq 0 ]
    python3 -c 'import json, sys; assert json.load(sys.stdin) == []' <<<"$output"
}

# ---------------------------------------------------------- ls-remote

@test "ls-remote: every release in the index, newest first, one per line, the version first" {
    run --separate-stderr nodus ls-remote
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 759 ]
    printf '%s\n' "${lines[@]}" | cut -d' ' -f1 >"$BATS_TEST_TMPDIR/got"
    index_versions >"$BATS_TEST_TMPDIR/want"
    diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
    [[ ${lines[0]} == "v23.1.0 "*current* ]]
    grep -q '^v22\.11\.0 .*lts/jod' <<<"$output"
    grep -q '^v0\.1\.14 ' <<<"$output"
}

@test "ls-remote --lts: only LTS releases, newest first" {
    run --separate-stderr nodus ls-remote --lts
    [ "$status" -eq 0 ]
    printf '%s\n' "${lines[@]}" | cut -d' ' -f1 >"$BATS_TEST_TMPDIR/got"
    index_versions 'r["lts"] is not False' >"$BATS_TEST_TMPDIR/want"
    diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
    [[ ${lines[0]} == "v22.11.0 "*lts/jod* ]]
    ! grep -q '^v23\.' <<<"$output" || false
    [ "$(grep -vc ' lts/' <<<"$output")" -eq 0 ]
}

@test "ls-remote SPEC: the matching releases only, newest first; installed ones marked" {
    nodus --quiet install 20.17.0
    run --separate-stderr nodus ls-remote 20
    [ "$status" -eq 0 ]
    printf '%s\n' "${lines[@]}" | cut -d' ' -f1 >"$BATS_TEST_TMPDIR/got"
    index_versions 'r["version"].startswith("v20.")' >"$BATS_TEST_TMPDIR/want"
    diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
    [ "$(grep -c installed <<<"$output")" -eq 1 ]
    grep -q '^v20\.17\.0 .*installed$' <<<"$output"

    run --separate-stderr nodus ls-remote lts/hydrogen
    [ "$status" -eq 0 ]
    printf '%s\n' "${lines[@]}" | cut -d' ' -f1 >"$BATS_TEST_TMPDIR/got"
    index_versions 'r["lts"] == "Hydrogen"' >"$BATS_TEST_TMPDIR/want"
    diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"

    # Jod became LTS with 22.11.0: the only LTS release of 22 in this index.
    run --separate-stderr nodus ls-remote 22 --lts
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ ${lines[0]} == "v22.11.0 "* ]]
}

@test "ls-remote --json: the index rows as JSON, newest first, installed ones flagged" {
    nodus --quiet install 20.18.0
    run --separate-stderr nodus --json ls-remote 20
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
rows = json.load(sys.stdin)
versions = [r["version"] for r in rows]
assert versions[0] == "v20.18.0" and all(v.startswith("v20.") for v in versions), versions
key = lambda v: tuple(int(x) for x in v[1:].split("."))
assert versions == sorted(versions, key=key, reverse=True), versions
assert [r["version"] for r in rows if r["installed"]] == ["v20.18.0"], rows
assert rows[0]["lts"].lower() == "iron" and rows[0]["date"] == "2024-10-03", rows[0]
assert "linux-x64" in rows[0]["files"], rows[0]
' <<<"$output"
}

# Bad input: a SPEC no release matches.
@test "ls-remote SPEC that matches nothing is an error" {
    run --separate-stderr nodus ls-remote 99
    expect_error 3 'no release matches'
    [ -z "$output" ]
}

# ----------------------------------------------------------- uninstall

@test "uninstall an exact version removes exactly it and leaves nothing behind" {
    nodus --quiet install 22.11.0 22.10.0
    run --separate-stderr nodus uninstall 22.11.0
    [ "$status" -eq 0 ]
    [[ $stderr == *"uninstalled node v22.11.0"* ]]
    [ "$(installed)" = v22.10.0 ]
    [ "$("$NODUS_HOME/versions/v22.10.0/bin/node" -v)" = v22.10.0 ]
    assert_no_staging
    run --separate-stderr nodus uninstall v22.10.0
    [ "$status" -eq 0 ]
    [ -z "$(installed)" ]
    assert_no_staging
    run --separate-stderr nodus ls
    [ -z "$output" ]
}

@test "uninstall a partial version that matches two installed ones is an error" {
    # Bad input: an ambiguous spec.
    nodus --quiet install 22.11.0 22.10.0
    snapshot_versions
    run --separate-stderr nodus uninstall 22
    expect_error 2 'matches 2 installed versions'
    assert_versions_same
    assert_no_staging
}

@test "uninstall a version that is not installed is an error" {
    # Bad input: nothing installed matches; no spec at all.
    nodus --quiet install 22.11.0
    snapshot_versions
    run --separate-stderr nodus uninstall 20
    expect_error 7 "no installed version matches '20'"
    run --separate-stderr nodus uninstall 22.10.0
    expect_error 7
    run --separate-stderr nodus uninstall
    expect_error 2
    assert_versions_same
}

# ------------------------------------------------------------- default

@test "default: unset is an error; set, then show it with what it resolves to" {
    run --separate-stderr nodus default
    expect_error 3 'no default is set'
    nodus --quiet install 20.18.0 22.11.0
    run --separate-stderr nodus default 20
    [ "$status" -eq 0 ]
    [ "$(cat "$NODUS_HOME/default")" = 20 ]
    run --separate-stderr nodus default
    [ "$status" -eq 0 ]
    [ "$output" = "20 (v20.18.0)" ]
    run --separate-stderr nodus default 'lts/*'
    [ "$status" -eq 0 ]
    run --separate-stderr nodus default
    [ "$output" = "lts/* (v22.11.0)" ]
    run --separate-stderr nodus default v22.11.0
    run --separate-stderr nodus default
    [ "$output" = v22.11.0 ]
    # A bad spec changes nothing.
    run --separate-stderr nodus default banana
    expect_error 2
    [ "$(cat "$NODUS_HOME/default")" = v22.11.0 ]
    # No temporary files are left beside it.
    [ "$(cd "$NODUS_HOME" && ls -A | grep -c '^default')" -eq 1 ]
}

@test "default is replaced atomically: a reader only ever sees a complete spec" {
    local i a b bad=0 seen reads=0
    nodus default 20.18.0
    (
        for ((i = 0; i < 40; i++)); do nodus --quiet default 20.18.0 || exit 1; done
    ) 3>&- &
    a=$!
    (
        for ((i = 0; i < 40; i++)); do nodus --quiet default 'lts/hydrogen' || exit 1; done
    ) 3>&- &
    b=$!
    while kill -0 "$a" 2>/dev/null || kill -0 "$b" 2>/dev/null; do
        seen=$(cat "$NODUS_HOME/default" 2>&1) || true
        reads=$((reads + 1))
        case $seen in
        20.18.0 | lts/hydrogen) ;;
        *)
            echo "the default file held: '$seen'" >&2
            bad=1
            ;;
        esac
    done
    wait "$a"
    wait "$b"
    [ "$reads" -ge 3 ]
    [ "$bad" -eq 0 ]
    [ "$(cd "$NODUS_HOME" && ls -A | grep -c '^default')" -eq 1 ]
}
