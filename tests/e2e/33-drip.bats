#!/usr/bin/env bats
# A server that drips: one byte every 0.4 s never trips the stall timeout
# (it restarts at every byte). A minimum rate over a window
# (NODUS_MIN_RATE, NODUS_MIN_RATE_TIME) and one deadline for the small
# documents (NODUS_DOC_TIMEOUT) end ls-remote, install and a shim with
# auto_install. The limits are lowered here so that the tests are quick;
# every command runs under timeout(1) so that a hang is a failure, not a
# hung suite.

bats_require_minimum_version 1.5.0

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror --pad 262144 --platforms "$(node_platform)" --versions v22.11.0,v20.18.0
    seed_home 20.18.0
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    use_seed
    snapshot_versions
    export NODUS_RETRIES=0 NODUS_STALL_TIMEOUT=30 NODUS_INDEX_TTL=0
    export NODUS_MIN_RATE=100 NODUS_MIN_RATE_TIME=2
    TARBALL=$(tarball_path v22.11.0)
    TARBALL_SIZE=$(wc -c <"$MIRROR_DIR$TARBALL" | tr -d ' ')
}

now_s() {
    date +%s
}

@test "fault drip: the status line and headers come one byte at a time" {
    set_faults '[{"match": "/index.json", "fault": "drip:0.2"}]'
    run python3 - "$MIRROR_PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /index.json HTTP/1.1\r\nHost: x\r\n\r\n")
got, end = b"", time.monotonic() + 2
while time.monotonic() < end:
    s.settimeout(max(0.01, end - time.monotonic()))
    try:
        got += s.recv(100)
    except socket.timeout:
        break
print(repr(got))
assert got.startswith(b"HTTP/1.1") and 5 <= len(got) < 16, got
PY
    echo "$output"; [ "$status" -eq 0 ]
}

@test "ls-remote: an index dripped byte by byte (headers too) ends with the minimum rate" {
    set_faults '[{"match": "/index.json", "fault": "drip:0.4"}]'
    t0=$(now_s)
    run --separate-stderr timeout 40 nodus ls-remote
    [ "$status" -ne 124 ] || { echo "ls-remote hung"; false; }
    expect_error 4 "cannot download .*/index.json: the server sent .* bytes a second over 2 seconds, less than the minimum of 100 \(NODUS_MIN_RATE, NODUS_MIN_RATE_TIME\)"
    [ $(($(now_s) - t0)) -lt 15 ]
}

@test "ls-remote: a body dripped at 2 bytes a second ends with the minimum rate" {
    set_faults '[{"match": "/index.json", "fault": "slow:2"}]'
    run --separate-stderr timeout 40 nodus ls-remote
    [ "$status" -ne 124 ] || { echo "ls-remote hung"; false; }
    expect_error 4 "bytes a second over 2 seconds, less than the minimum of 100"
}

@test "ls-remote: a stale cache is used when the mirror drips" {
    nodus ls-remote > /dev/null
    # A new index on the mirror: the conditional request gets no 304.
    printf '\n' >> "$MIRROR_DIR/index.json"
    set_faults '[{"match": "/index.json", "fault": "drip:0.4"}]'
    run --separate-stderr timeout 40 nodus ls-remote 22
    [ "$status" -eq 0 ]
    [[ $stderr == *"less than the minimum of 100"*"using the cached release index"* ]]
    [[ $output == v22.11.0* ]]
}

@test "the small documents have one deadline, however fast the bytes come" {
    # 285 KB at 40 KB/s: well above the minimum rate, but 7 seconds.
    set_faults '[{"match": "/index.json", "fault": "slow:40000"}]'
    export NODUS_DOC_TIMEOUT=2 NODUS_RETRIES=3
    t0=$(now_s)
    run --separate-stderr timeout 40 nodus ls-remote
    expect_error 4 "cannot download .*/index.json: it did not arrive within 2 seconds \(NODUS_DOC_TIMEOUT\)"
    [ $(($(now_s) - t0)) -lt 6 ]
    # SHASUMS256.txt too.
    clear_faults
    nodus ls-remote > /dev/null
    set_faults '[{"match": "*/SHASUMS256.txt", "fault": "drip:0.1"}]'
    export NODUS_MIN_RATE=0
    run --separate-stderr timeout 40 nodus install 22.11.0
    expect_error 4 "SHASUMS256.txt: it did not arrive within 2 seconds \(NODUS_DOC_TIMEOUT\)"
    assert_clean_failure
}

@test "install: a tarball dripped at 2 bytes a second ends, and nothing is left" {
    nodus ls-remote > /dev/null
    set_faults "[{\"match\": \"*.tar.*\", \"fault\": \"slow:2\"}]"
    run --separate-stderr timeout 40 nodus install 22.11.0
    [ "$status" -ne 124 ] || { echo "install hung"; false; }
    expect_error 4 "node-v22.11.0-.*: the server sent .* bytes a second over 2 seconds, less than the minimum of 100"
    assert_clean_failure
}

@test "install: a slow but real link passes the lowered minimum" {
    nodus ls-remote > /dev/null
    # About 3 s for the tarball at 100 times the minimum rate.
    set_faults "[{\"match\": \"*.tar.*\", \"fault\": \"slow:$((TARBALL_SIZE / 3))\"}]"
    export NODUS_MIN_RATE=$((TARBALL_SIZE / 300)) NODUS_MIN_RATE_TIME=1
    run --separate-stderr timeout 60 nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ "$("$NODUS_HOME/versions/v22.11.0/bin/node" -v)" = v22.11.0 ]
}

@test "a shim with auto_install does not hang on a dripping mirror" {
    nodus reshim
    printf '22.11.0\n' > .node-version
    set_faults '[{"match": "/index.json", "fault": "drip:0.4"}]'
    NODUS_AUTO_INSTALL=1 run --separate-stderr timeout 40 "$NODUS_HOME/shims/node" --version
    [ "$status" -ne 124 ] || { echo "the shim hung"; false; }
    [ "$status" -ne 0 ]
    [[ $stderr == *"less than the minimum of 100"* ]]
    [ ! -e "$NODUS_HOME/versions/v22.11.0" ]
}
