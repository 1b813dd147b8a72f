#!/usr/bin/env bats
# nodus audit: installed versions, the default, the projects nodus has seen
# (pin, install), and trees scanned for version files, judged against the
# release schedule and vulnerability database the test mirror serves;
# documented exit codes (0, 9, 4) and flags that choose what fails.

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror
    seed_home 20.18.0 22.11.0
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    use_seed
    serve_safety_data
}

# A database that names nothing (only the schedule then decides).
empty_db() {
    printf '{}' >"$MIRROR_DIR/data/vulns.json"
}

# A project tree: a 22 app, an 18 service with .nvmrc, a package.json
# library with engines, one file in node_modules and one in .git that must
# be skipped, and a link to outside that must not be followed.
make_tree() {
    local t=$NODUS_TEST_WORK/repo
    mkdir -p "$t/app" "$t/svc" "$t/lib" "$t/node_modules/dep" "$t/.git/x" "$BATS_TEST_TMPDIR/outside"
    echo 22.11.0 >"$t/app/.node-version"
    echo 'lts/hydrogen # the old one' >"$t/svc/.nvmrc"
    echo '{"engines": {"node": "^22.11"}}' >"$t/lib/package.json"
    echo 16 >"$t/node_modules/dep/.node-version"
    echo 16 >"$t/.git/x/.node-version"
    echo 16 >"$BATS_TEST_TMPDIR/outside/.node-version"
    ln -s "$BATS_TEST_TMPDIR/outside" "$t/link"
    printf '%s\n' "$t"
}

@test "audit DIR: every version file of the tree, skipping node_modules, .git and links; exit 9 when one fails" {
    nodus --quiet ls-remote 18 >/dev/null # the LTS table, for lts/hydrogen
    t=$(make_tree)
    NODUS_NOW=2024-12-01 run --separate-stderr nodus audit "$t"
    [ "$status" -eq 9 ]
    [ "${#lines[@]}" -eq 3 ]
    grep -q "^! v22.11.0 .*$t/app/.node-version (22.11.0)" <<<"$output"
    grep -q "^! v18.20.4 .*$t/svc/.nvmrc (lts/hydrogen)" <<<"$output"
    grep -q "$t/lib/package.json" <<<"$output"
    ! grep -q 'node_modules\|\.git\|link' <<<"$output" || false
    grep -q '3 checked, 3 failing' <<<"$stderr"
    # One sentence per failing version.
    [ "$(grep -c 'v22.11.0 has 19 known vulnerabilities' <<<"$stderr")" -eq 1 ]
}

@test "audit exit codes follow --fail-on and --severity" {
    t=$(make_tree)
    rm -r "$t/svc"
    run --separate-stderr nodus audit --fail-on=none "$t"
    [ "$status" -eq 0 ]
    # 22 is maintained on this date: only its vulnerabilities can fail it.
    run --separate-stderr nodus audit --fail-on=eol "$t"
    [ "$status" -eq 0 ]
    run --separate-stderr nodus audit --fail-on vulnerable --severity critical "$t"
    [ "$status" -eq 0 ]
    run --separate-stderr nodus audit --fail-on=vulnerable --severity=high "$t"
    [ "$status" -eq 9 ]
    empty_db
    NODUS_INDEX_TTL=0 run --separate-stderr nodus audit "$t"
    [ "$status" -eq 0 ]
    grep -q '2 checked, 0 failing' <<<"$stderr"
    run --separate-stderr nodus audit --fail-on=sometimes "$t"
    expect_error 2 'fail-on takes'
    run --separate-stderr nodus audit --severity=dire "$t"
    expect_error 2 'severity takes'
}

@test "audit . in CI: the project's own version file, end of life with an empty database" {
    empty_db
    echo 18.20.4 >.node-version
    run --separate-stderr nodus audit .
    [ "$status" -eq 9 ]
    grep -q '^! v18.20.4 .*eol 2025-04-30' <<<"$output"
    grep -q 'v18.20.4 is end of life since 2025-04-30' <<<"$stderr"
    NODUS_NOW=2025-04-30 run --separate-stderr nodus audit .
    [ "$status" -eq 0 ]
}

@test "audit with no argument: installed versions, the default and the projects pin and install have met" {
    nodus default 22.11.0
    mkdir -p p1 p2
    (cd p1 && nodus --quiet pin 20.18.0)
    (cd p2 && echo 18.20.4 >.nvmrc && nodus --quiet install)
    grep -qx "$NODUS_TEST_WORK/p1/.node-version" "$NODUS_HOME/projects"
    [ "$(head -1 "$NODUS_HOME/projects")" = "$NODUS_TEST_WORK/p2/.nvmrc" ]
    run --separate-stderr nodus --json audit
    [ "$status" -eq 9 ]
    python3 -c '
import json, sys
rows = json.load(sys.stdin)
kinds = [(r["kind"], r["version"]) for r in rows]
assert ("installed", "v20.18.0") in kinds and ("installed", "v22.11.0") in kinds, kinds
assert ("default", "v22.11.0") in kinds, kinds
p = {r["where"]: r for r in rows if r["kind"] == "project"}
assert len(p) == 2, p
one = [r for w, r in p.items() if w.endswith("/p1/.node-version")][0]
assert one["version"] == "v20.18.0" and one["support"] == "eol" and one["fails"] is True, one
assert one["vulnerabilities"] == 20 and "CVE-2025-23083" in one["cves"], one
' <<<"$output"
    # A project that is gone drops out of the registry when it is next written.
    rm -r p1
    (cd p2 && nodus --quiet pin 18.20.4)
    ! grep -q p1 "$NODUS_HOME/projects" || false
}

@test "audit SPEC: an installed version, or the release install would pick" {
    empty_db
    run --separate-stderr nodus audit 22 23.1.0
    [ "$status" -eq 9 ]
    grep -q '^  v22.11.0 .*maintenance' <<<"$output"
    grep -q '^! v23.1.0 .*eol 2025-06-01' <<<"$output"
    run --separate-stderr nodus audit 99
    [ "$status" -eq 0 ]
    grep -q 'no match' <<<"$output"
}

@test "audit without any data is an error (exit 4), never a silent pass" {
    run --separate-stderr nodus --offline audit
    expect_error 4 'no release schedule and no vulnerability database'
    NODUS_VULNS_URL=off NODUS_SCHEDULE_URL=off run --separate-stderr nodus audit
    expect_error 4
}

@test "the projects registry is bounded and skips what it cannot hold" {
    for i in $(seq 1 210); do
        mkdir -p "d$i" && echo 22 >"d$i/.node-version"
    done
    for i in $(seq 1 210); do
        printf '%s\n' "$NODUS_TEST_WORK/d$i/.node-version"
    done >"$NODUS_HOME/projects"
    (cd d5 && nodus --quiet pin 22)
    [ "$(wc -l <"$NODUS_HOME/projects")" -eq 200 ]
    [ "$(head -1 "$NODUS_HOME/projects")" = "$NODUS_TEST_WORK/d5/.node-version" ]
    [ "$(grep -c '/d5/' "$NODUS_HOME/projects")" -eq 1 ]
}
