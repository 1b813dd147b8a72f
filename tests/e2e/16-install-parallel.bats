#!/usr/bin/env bats
# nodus install with several versions: they download and unpack side by
# side (--jobs, default one a core up to 4), each in a child process that
# verifies and renames its own release, while the parent relays their
# messages a whole line at a time and draws one progress row each on a
# terminal. What one child does wrong must not touch the others; a signal
# must leave nothing behind.

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
    snapshot_versions
}

installed() {
    if [ -d "$NODUS_HOME/versions" ]; then
        (cd "$NODUS_HOME/versions" && ls -A | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
    fi
}

# line_of TEXT: the number of the first line of $stderr that holds TEXT.
line_of() {
    printf '%s\n' "$stderr" | grep -nF -- "$1" | head -1 | cut -d: -f1
}

@test "three versions at once: each installed whole, with its metadata, one download each, shims made" {
    run --separate-stderr nodus install 22.11.0 20.18.0 18.20.4 --jobs 3
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [ "$(installed)" = "v18.20.4 v20.18.0 v22.11.0" ]
    local v
    for v in v18.20.4 v20.18.0 v22.11.0; do
        [[ $stderr == *"installed node $v"* ]]
        [ "$("$NODUS_HOME/versions/$v/bin/node" -v)" = "$v" ]
        [ "$(meta_value "$v" sha256)" = "$(mirror_sha256 "$v")" ]
        [ "$(requests_matching "GET $(tarball_path "$v") 200")" -eq 1 ]
    done
    # Every relayed line is whole: a message, never two run together.
    ! printf '%s\n' "$stderr" | grep -vE '^(installing node v[0-9.]+ \(node-v[0-9.]+-[a-z0-9-]+\.tar\.xz\)|installed node v[0-9.]+( \(lts/[a-z]+\))?)$'
    [ -x "$NODUS_HOME/shims/node" ]
    assert_no_partial
    assert_no_staging
}

@test "the downloads overlap: a stalled release does not hold up the next one (and does with --jobs 1)" {
    export NODUS_STALL_TIMEOUT=3 NODUS_RETRIES=0
    set_faults "[{\"match\": \"$(tarball_path 22.11.0)\", \"fault\": \"stall\"}]"
    run --separate-stderr nodus install 22.11.0 20.18.0 --jobs 2
    [ "$status" -ne 0 ]
    [ "$(installed)" = v20.18.0 ]
    local ok bad
    ok=$(line_of "installed node v20.18.0")
    bad=$(line_of "nodus: cannot download")
    [ -n "$ok" ] && [ -n "$bad" ]
    [ "$ok" -lt "$bad" ] # v20 finished while v22 was still stalled
    assert_no_partial
    assert_no_staging

    # One at a time, in the order given: v22 fails first, then v20 installs.
    rm -rf "$NODUS_HOME/versions/v20.18.0"
    reset_log
    run --separate-stderr nodus install 22.11.0 20.18.0 --jobs 1
    [ "$status" -ne 0 ]
    [ "$(installed)" = v20.18.0 ]
    ok=$(line_of "installed node v20.18.0")
    bad=$(line_of "nodus: cannot download")
    [ "$bad" -lt "$ok" ]
}

@test "a release named twice is installed once, from one download" {
    run --separate-stderr nodus install 22.11.0 22 v22.11.0 20.18.0 -j 2
    [ "$status" -eq 0 ]
    [ "$(installed)" = "v20.18.0 v22.11.0" ]
    [ "$(requests_matching "GET $(tarball_path 22.11.0) 200")" -eq 1 ]
    [ "$(printf '%s\n' "$stderr" | grep -c "installed node v22.11.0")" -eq 1 ]
}

@test "a corrupt tarball fails its own install with the checksum error, and the others land" {
    set_faults "[{\"match\": \"$(tarball_path 20.18.0)\", \"fault\": \"wrong-bytes\"}]"
    run --separate-stderr nodus install 22.11.0 20.18.0 18.20.4 --jobs 2
    [ "$status" -eq 5 ] # EXIT_VERIFY, as for one install
    [[ $stderr == *"checksum mismatch for $(tarball_name 20.18.0)"* ]]
    [ "$(installed)" = "v18.20.4 v22.11.0" ]
    assert_no_partial
    assert_no_staging
}

@test "a spec that names nothing fails before anything downloads, and the rest still install" {
    run --separate-stderr nodus install 22.11.0 77 20.18.0 --jobs 2
    [ "$status" -ne 0 ]
    [[ $stderr == *"nodus: "*"77"* ]]
    [ "$(installed)" = "v20.18.0 v22.11.0" ]
    # Nothing was fetched before the specs were all picked.
    [ "$(line_of "77")" -lt "$(line_of "installing node")" ]
}

@test "the status is that of the first spec, in the order given, that failed (as in turn)" {
    set_faults "[{\"match\": \"$(tarball_path 22.11.0)\", \"fault\": \"wrong-bytes\"}]"
    run --separate-stderr nodus install 22.11.0 77 20.18.0 --jobs 2
    [ "$status" -eq 5 ] # 22.11.0's checksum error comes before 77's "no such release"
    run --separate-stderr nodus install 77 22.11.0 20.18.0 --jobs 2
    [ "$status" -eq 3 ]
    [ "$(installed)" = v20.18.0 ]
    # The same with --jobs 1, one at a time.
    rm -rf "$NODUS_HOME/versions/v20.18.0"
    run --separate-stderr nodus install 22.11.0 77 20.18.0 --jobs 1
    [ "$status" -eq 5 ]
    # Nothing to install at all: the picking error alone.
    run --separate-stderr nodus install 77 78 --jobs 2
    expect_error 3
}

@test "versions already there are said to be, and nothing is fetched for them" {
    nodus --quiet install 22.11.0
    reset_log
    run --separate-stderr nodus install 22.11.0 20.18.0 --jobs 2
    [ "$status" -eq 0 ]
    [[ $stderr == *"node v22.11.0 is already installed"* ]]
    [[ $stderr == *"installed node v20.18.0"* ]]
    [ "$(requests_matching "GET $(tarball_path 22.11.0)")" -eq 0 ]
}

@test "--jobs takes a whole number from 1 to 16; anything else is a usage error" {
    local bad
    for bad in 0 17 x 2x "" -1; do
        run --separate-stderr nodus install 22.11.0 20.18.0 --jobs "$bad"
        expect_error 2 "--jobs takes how many versions to install at once, 1 to 16"
    done
    run --separate-stderr nodus install 22.11.0 --jobs
    expect_error 2 "--jobs takes"
    [ "$(installed)" = "" ]
    [ "$(requests_matching "GET ")" -eq 0 ]
}

# interrupt SIGNAL GROUP: start a parallel install of two slow downloads,
# wait until both are in flight, send SIGNAL to the whole process group
# (GROUP=1: as Ctrl-C does) or to nodus alone, and wait for it.
interrupt() {
    set_faults "[{\"match\": \"*.tar.xz\", \"fault\": \"slow:20000\"}]"
    # A background job of a script starts with SIGINT ignored; a terminal's
    # Ctrl-C meets the default action, and a process group of its own.
    python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp(sys.argv[1], sys.argv[1:])' nodus install 22.11.0 20.18.0 --jobs 2 2>"$BATS_TEST_TMPDIR/err" &
    local pid=$! i
    for ((i = 0; i < 100; i++)); do
        [ "$(requests_matching "GET /v2[02].*tar.xz")" -ge 2 ] && break
        sleep 0.1
    done
    [ "$(requests_matching "GET /v2[02].*tar.xz")" -ge 2 ]
    sleep 0.3
    if [ "$2" = 1 ]; then kill "-$1" -- "-$pid"; else kill "-$1" "$pid"; fi
    local rc=0
    wait "$pid" || rc=$?
    echo "$rc" >"$BATS_TEST_TMPDIR/rc"
}

@test "Ctrl-C stops every download: nothing installed, nothing left in tmp/, the parent ends by the signal" {
    interrupt INT 1
    [ "$(cat "$BATS_TEST_TMPDIR/rc")" -eq 130 ]
    [ "$(grep -c "interrupted; nothing was installed" "$BATS_TEST_TMPDIR/err")" -eq 2 ]
    [ "$(installed)" = "" ]
    assert_no_partial
    assert_no_staging
    # No child outlives the parent.
    ! pgrep -f "install 22.11.0 20.18.0 --jobs 2" >/dev/null
}

@test "a SIGTERM to nodus alone is passed to the downloads, and they clean up too" {
    interrupt TERM 0
    [ "$(cat "$BATS_TEST_TMPDIR/rc")" -eq 143 ]
    [ "$(grep -c "interrupted; nothing was installed" "$BATS_TEST_TMPDIR/err")" -eq 2 ]
    [ "$(installed)" = "" ]
    assert_no_staging
}

@test "a download killed outright: the parent says which, the others land, the next install clears its staging" {
    set_faults "[{\"match\": \"$(tarball_path 22.11.0)\", \"fault\": \"slow:20000\"}]"
    nodus install 22.11.0 20.18.0 --jobs 2 2>"$BATS_TEST_TMPDIR/err" &
    local pid=$! i child=
    for ((i = 0; i < 100; i++)); do
        [ "$(requests_matching "GET $(tarball_path 22.11.0) 200")" -ge 1 ] && break
        sleep 0.1
    done
    # The child that holds the v22 download: the one with a staging directory for it.
    for ((i = 0; i < 100; i++)); do
        child=$(find "$NODUS_HOME/tmp" -maxdepth 1 -name 'stage-v22.11.0-*' 2>/dev/null |
            sed -n 's/.*stage-v22\.11\.0-\([0-9][0-9]*\)-.*/\1/p' | head -1)
        [ -n "$child" ] && break
        sleep 0.1
    done
    [ -n "$child" ]
    [ "$(ps -o ppid= -p "$child" | tr -d ' ')" = "$pid" ]
    kill -KILL "$child"
    local rc=0
    wait "$pid" || rc=$?
    [ "$rc" -ne 0 ]
    grep -q "^nodus: v22.11.0: stopped by signal 9$" "$BATS_TEST_TMPDIR/err"
    [ "$(installed)" = v20.18.0 ]
    assert_no_partial
    # Its staging directory outlived it (nobody was left to remove it);
    # the next install removes it, as after any crash.
    clear_faults
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ "$(installed)" = "v20.18.0 v22.11.0" ]
    assert_no_staging
}

@test "on a terminal: one progress row per download, cleared before each message and at the end" {
    command -v script >/dev/null || skip "script(1) is not installed"
    set_faults "[{\"match\": \"*.tar.xz\", \"fault\": \"slow:400000\"}]"
    run script -qec "nodus install 22.11.0 20.18.0 --jobs 2" "$BATS_TEST_TMPDIR/typescript"
    [ "$status" -eq 0 ]
    [ "$(installed)" = "v20.18.0 v22.11.0" ]
    local t=$BATS_TEST_TMPDIR/typescript
    python3 - "$t" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
row = re.compile(r"v2[02]\.\d+\.\d+ +\[[#.]{24}\] [0-9.]+ [KMG]?i?B / [0-9.]+ [KMG]?i?B\r?\n")
rows = list(row.finditer(data))
assert len(rows) >= 2, "no progress rows drawn"
assert any("v22.11.0" in m.group(0) for m in rows) and any("v20.18.0" in m.group(0) for m in rows), "a row per release"
clear = re.compile(r"\x1b\[(\d+)A\r\x1b\[J")
# Every message comes right after the rows were cleared (or before any row).
for msg in re.finditer(r"installed node v2[02]\.\d+\.\d+", data):
    before = data[:msg.start()]
    if row.search(before):
        assert clear.search(before[-40:]) or before.rstrip("\r\n").endswith("[J"), "a message written over the rows"
# Nothing of the rows is left at the end: the last row drawn is cleared after it.
last = rows[-1].end()
assert clear.search(data, last), "the rows were not cleared at the end"
EOF
}
