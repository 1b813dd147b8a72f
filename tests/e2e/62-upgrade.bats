#!/usr/bin/env bats
# nodus upgrade: a line moved to its newest release with its global npm
# packages (the fake npm of the test mirror installs NAME@VERSION from
# $FAKE_NPM_REGISTRY), the default and exact aliases moved, the old version
# removed unless kept or pinned; failures and interruptions lose nothing.
# nodus install NEW --reinstall-packages-from OLD.

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror
    seed_home 20.17.0 22.10.0
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    use_seed
    export FAKE_NPM_REGISTRY=$BATS_TEST_TMPDIR/registry
    mkdir -p "$FAKE_NPM_REGISTRY/hello@1.2.3/bin"
    printf '{"name": "hello", "version": "1.2.3", "bin": {"hello": "bin/hello.sh"}}\n' \
        >"$FAKE_NPM_REGISTRY/hello@1.2.3/package.json"
    printf '#!/bin/sh\necho hello 1.2.3\n' >"$FAKE_NPM_REGISTRY/hello@1.2.3/bin/hello.sh"
    # A global package in v20.17.0, installed by its own npm.
    "$NODUS_HOME/versions/v20.17.0/bin/npm" install -g "$FAKE_NPM_REGISTRY/hello@1.2.3" >/dev/null
    nodus --quiet default 20.17.0
    nodus --quiet alias work 20.17.0
    nodus --quiet alias twenty 20
}

@test "upgrade --dry-run prints the plan and changes nothing" {
    snapshot_versions
    run --separate-stderr nodus upgrade 20 --dry-run
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "would upgrade 20: v20.17.0 -> v20.18.0" ]
    grep -qx '  package: hello@1.2.3' <<<"$output"
    grep -qx '  default: 20.17.0 -> 20.18.0' <<<"$output"
    grep -qx '  alias work: 20.17.0 -> 20.18.0' <<<"$output"
    ! grep -q 'alias twenty' <<<"$output" || false
    grep -qx '  remove v20.17.0' <<<"$output"
    assert_versions_same
    [ "$(cat "$NODUS_HOME/default")" = 20.17.0 ]
}

@test "upgrade 20: new release, packages, default and exact aliases moved, old removed" {
    run --separate-stderr nodus upgrade 20
    [ "$status" -eq 0 ]
    [ -d "$NODUS_HOME/versions/v20.18.0" ] && [ ! -e "$NODUS_HOME/versions/v20.17.0" ]
    [ -f "$NODUS_HOME/versions/v20.18.0/lib/node_modules/hello/package.json" ]
    [ "$(cat "$NODUS_HOME/default")" = 20.18.0 ]
    [ "$(cat "$NODUS_HOME/aliases/work")" = 20.18.0 ]
    [ "$(cat "$NODUS_HOME/aliases/twenty")" = 20 ]
    # The line 22 was not named: untouched.
    [ -d "$NODUS_HOME/versions/v22.10.0" ] && [ ! -e "$NODUS_HOME/versions/v22.11.0" ]
    # The package's command works through its shim, from the new version.
    run --separate-stderr "$NODUS_HOME/shims/hello"
    [ "$status" -eq 0 ]
    [ "$output" = "hello 1.2.3" ]
    # Again: nothing to do.
    run --separate-stderr nodus upgrade 20
    [ "$status" -eq 0 ]
    grep -q 'v20.18.0 is the newest release of 20' <<<"$stderr"
}

@test "upgrade with no spec: every installed line" {
    run --separate-stderr nodus upgrade
    [ "$status" -eq 0 ]
    ls "$NODUS_HOME/versions" >"$BATS_TEST_TMPDIR/got"
    printf 'v20.18.0\nv22.11.0\n' | diff - "$BATS_TEST_TMPDIR/got"
}

@test "--keep, and a project that pins the old version exactly, keep it" {
    run --separate-stderr nodus upgrade 20 --keep
    [ "$status" -eq 0 ]
    [ -d "$NODUS_HOME/versions/v20.17.0" ] && [ -d "$NODUS_HOME/versions/v20.18.0" ]
    nodus --quiet uninstall 20.18.0
    mkdir proj && (cd proj && nodus --quiet pin 20.17.0)
    run --separate-stderr nodus upgrade 20
    [ "$status" -eq 0 ]
    [ -d "$NODUS_HOME/versions/v20.17.0" ] && [ -d "$NODUS_HOME/versions/v20.18.0" ]
    grep -q "kept v20.17.0 (pinned by $NODUS_TEST_WORK/proj/.node-version)" <<<"$stderr"
}

@test "a package npm cannot install: reported by name, old version, default and aliases kept" {
    rm -r "$FAKE_NPM_REGISTRY/hello@1.2.3"
    run --separate-stderr nodus upgrade 20
    [ "$status" -eq 1 ]
    grep -q 'npm could not install hello@1.2.3 into v20.18.0' <<<"$stderr"
    grep -q 'nodus: 1 global package could not be installed into v20.18.0; v20.17.0, the default and the aliases are kept' <<<"$stderr"
    [ -d "$NODUS_HOME/versions/v20.17.0/lib/node_modules/hello" ]
    [ "$(cat "$NODUS_HOME/default")" = 20.17.0 ]
    [ "$(cat "$NODUS_HOME/aliases/work")" = 20.17.0 ]
}

@test "an upgrade killed during the download loses nothing, and running it again finishes it" {
    set_faults "[{\"match\": \"/v20.18.0/*.tar.*\", \"fault\": \"slow:20000\"}]"
    nodus upgrade 20 >"$BATS_TEST_TMPDIR/out" 2>&1 &
    local pid=$!
    wait_for grep -q 'GET /v20.18.0/node-v20.18.0' "$MIRROR_LOG"
    sleep 0.3
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" || true
    [ -d "$NODUS_HOME/versions/v20.17.0/lib/node_modules/hello" ]
    [ ! -e "$NODUS_HOME/versions/v20.18.0" ]
    [ "$(cat "$NODUS_HOME/default")" = 20.17.0 ]
    run --separate-stderr "$NODUS_HOME/shims/node" --version
    [ "$output" = v20.17.0 ]
    clear_faults
    run --separate-stderr nodus upgrade 20
    [ "$status" -eq 0 ]
    [ ! -e "$NODUS_HOME/versions/v20.17.0" ]
    [ "$(cat "$NODUS_HOME/default")" = 20.18.0 ]
}

@test "install NEW --reinstall-packages-from OLD" {
    run --separate-stderr nodus install 20.18.0 --reinstall-packages-from 20.17.0
    [ "$status" -eq 0 ]
    [ -f "$NODUS_HOME/versions/v20.18.0/lib/node_modules/hello/package.json" ]
    [ -d "$NODUS_HOME/versions/v20.17.0" ]
    grep -q 'installed 1 global package of v20.17.0 into v20.18.0' <<<"$stderr"
    run --separate-stderr nodus install 22 --reinstall-packages-from 16
    expect_error 7 'reinstall-packages-from 16'
    run --separate-stderr nodus install 22 --reinstall-packages-from
    expect_error 2
}

@test "a package directory with a hostile name is skipped, never passed to npm" {
    mkdir -p "$NODUS_HOME/versions/v20.17.0/lib/node_modules/--prefix=evil"
    printf '{"name": "x", "version": "1.0.0"}' >"$NODUS_HOME/versions/v20.17.0/lib/node_modules/--prefix=evil/package.json"
    run --separate-stderr nodus upgrade 20 --dry-run
    [ "$status" -eq 0 ]
    grep -q 'prefix=evil: not a package npm can install again' <<<"$stderr"
    ! grep -q 'evil' <<<"$output" || false
}
