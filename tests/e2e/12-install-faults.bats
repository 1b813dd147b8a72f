#!/usr/bin/env bats
# Installs while the mirror misbehaves (faults from tests/lib/mirror.py),
# installs that race each other, and an install killed half-way.  The
# releases here carry 256 KiB of incompressible padding, so a slow download
# takes long enough to be interrupted in the middle of extracting.

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
    TARBALL=$(tarball_path v22.11.0)
    TARBALL_SIZE=$(wc -c <"$MIRROR_DIR$TARBALL" | tr -d ' ')
}

# tarball_requests [STATUS]: GETs of the v22.11.0 tarball (with STATUS).
tarball_requests() {
    requests_matching "^GET $TARBALL ${1:-[0-9]+} "
}

# installed_ok: v22.11.0 is installed, complete and verified.
installed_ok() {
    assert_no_partial
    assert_no_staging
    [ "$("$NODUS_HOME/versions/v22.11.0/bin/node" -v)" = v22.11.0 ]
    [ "$(meta_value v22.11.0 sha256)" = "$(mirror_sha256 v22.11.0)" ]
    python3 - "$MIRROR_DIR$TARBALL" "node-v22.11.0-$(node_platform)/lib/padding.bin" \
        "$NODUS_HOME/versions/v22.11.0/lib/padding.bin" <<'EOF'
import sys, tarfile
with tarfile.open(sys.argv[1]) as tf:
    want = tf.extractfile(sys.argv[2]).read()
assert open(sys.argv[3], "rb").read() == want, "lib/padding.bin differs"
EOF
}

# ---------------------------------------------------------------- failures

# Bad input: tarball bytes that do not match (fault wrong-bytes).
@test "tarball bytes that do not match (fault wrong-bytes): checksum error" {
    set_faults '[{"match": "*.tar.*", "fault": "wrong-bytes"}]'
    run --separate-stderr nodus install 22.11.0
    expect_error 5 "checksum mismatch for $(tarball_name v22.11.0): expected $(mirror_sha256 v22.11.0)"
    assert_clean_failure
}

# Bad input: 404 for the tarball (fault status:404).
@test "404 for the tarball (fault status:404): not found, not retried" {
    set_faults '[{"match": "*.tar.*", "fault": "status:404"}]'
    run --separate-stderr nodus install 22.11.0
    expect_error 4 "cannot download .*$TARBALL: the server answered HTTP 404"
    assert_clean_failure
    [ "$(tarball_requests)" -eq 1 ]
}

# Bad input: 404 for SHASUMS256.txt.
@test "404 for SHASUMS256.txt: nothing is downloaded unverified" {
    set_faults '[{"match": "*/SHASUMS256.txt", "fault": "status:404"}]'
    run --separate-stderr nodus install 22.11.0
    expect_error 4 'SHASUMS256.txt'
    assert_clean_failure
    [ "$(tarball_requests)" -eq 0 ]
}

# Bad input: the connection closed mid-body on every try (fault truncate, no count).
@test "the server closes the connection mid-body on every try (fault truncate): network error after the retries" {
    set_faults '[{"match": "*.tar.*", "fault": "truncate"}]'
    run --separate-stderr nodus install 22.11.0
    expect_error 4 "cannot download .*$TARBALL"
    assert_clean_failure
    # The first try and NODUS_RETRIES=2 resumed ones, each from where the
    # previous one stopped.
    [ "$(tarball_requests)" -eq 3 ]
    [ "$(tarball_requests '200 range=-')" -eq 1 ]
    [ "$(tarball_requests "206 range=bytes=$((TARBALL_SIZE / 2))-")" -eq 1 ]
}

# Bad input: an HTML page with status 200 instead of the tarball (fault html-200).
@test "an HTML error page with status 200 instead of the tarball (fault html-200)" {
    set_faults '[{"match": "*.tar.*", "fault": "html-200"}]'
    run --separate-stderr nodus install 22.11.0
    expect_error 4 'HTML page'
    assert_clean_failure
}

# ------------------------------------------------------------- recoveries

# Bad input, recovered from: the first try closed mid-body (fault truncate, count 1).
@test "the first try is cut mid-body (fault truncate, count 1): the retry resumes with Range and the install is verified" {
    set_faults '[{"match": "*.tar.*", "fault": "truncate", "count": 1}]'
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ "$(tarball_requests)" -eq 2 ]
    [ "$(tarball_requests '200 range=-')" -eq 1 ]
    [ "$(tarball_requests "206 range=bytes=$((TARBALL_SIZE / 2))-")" -eq 1 ]
    installed_ok
}

# Bad input, recovered from: 503 for the tarball twice, 500 for SHASUMS256.txt once.
@test "503 twice, then the tarball (fault status:503, count 2); 500 once for SHASUMS256.txt: the install succeeds" {
    set_faults '[{"match": "*.tar.*", "fault": "status:503", "count": 2},
                 {"match": "*/SHASUMS256.txt", "fault": "status:500", "count": 1}]'
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ "$(tarball_requests 503)" -eq 2 ]
    [ "$(tarball_requests '200 range=-')" -eq 1 ]
    [ "$(requests_matching '^GET /v22.11.0/SHASUMS256.txt 500 ')" -eq 1 ]
    [ "$(requests_matching '^GET /v22.11.0/SHASUMS256.txt 200 ')" -eq 1 ]
    installed_ok
}

# -------------------------------------------------------------- concurrency

# Bad input: two installs of the same version at once (tarball served slowly).
@test "two installs of the same version at once: both exit 0, one download, one correct install" {
    # The tarball takes about a second, so the two overlap.
    set_faults "[{\"match\": \"*.tar.*\", \"fault\": \"slow:$((TARBALL_SIZE))\"}]"
    local a b ra=0 rb=0
    nodus install 22 >"$BATS_TEST_TMPDIR/a.out" 2>"$BATS_TEST_TMPDIR/a.err" 3>&- &
    a=$!
    nodus install 22 >"$BATS_TEST_TMPDIR/b.out" 2>"$BATS_TEST_TMPDIR/b.err" 3>&- &
    b=$!
    wait "$a" || ra=$?
    wait "$b" || rb=$?
    cat "$BATS_TEST_TMPDIR/a.err" "$BATS_TEST_TMPDIR/b.err" >&2
    [ "$ra" -eq 0 ]
    [ "$rb" -eq 0 ]
    [ "$(tarball_requests)" -eq 1 ]
    # One of them installed it; the other found it installed.
    [ "$(cat "$BATS_TEST_TMPDIR"/[ab].err | grep -c '^installed node v22.11.0')" -eq 1 ]
    [ "$(cat "$BATS_TEST_TMPDIR"/[ab].err | grep -c 'already installed')" -eq 1 ]
    # No error and no warning beyond the one about the unsigned test mirror.
    ! grep -h '^nodus: ' "$BATS_TEST_TMPDIR"/[ab].err | grep -v '^nodus: warning: the mirror publishes no signature' ||
        false
    [ "$(cd "$NODUS_HOME/versions" && ls -A | tr '\n' ' ')" = "v20.18.0 v22.11.0 " ]
    installed_ok
}

# ------------------------------------------------------------------ SIGKILL

# Bad input: an install killed with SIGKILL half-way through extracting.
@test "an install killed with SIGKILL half-way leaves nothing partial; the next install succeeds and cleans up" {
    rm -rf "$NODUS_HOME"
    # About three seconds for the whole tarball.
    set_faults "[{\"match\": \"*.tar.*\", \"fault\": \"slow:$((TARBALL_SIZE / 3))\"}]"
    # nodus execs nodus-core for install, so this pid becomes nodus-core's.
    nodus install 22 >"$BATS_TEST_TMPDIR/killed.out" 2>&1 3>&- &
    local pid=$!
    # Half-way: the download runs and files are being extracted into staging.
    wait_for eval '[ "$(tarball_requests 200)" -eq 1 ]'
    wait_for eval '[ -n "$(find "$NODUS_HOME/tmp" -path "*/stage-*" -type f 2>/dev/null)" ]'
    if [ -e "/proc/$pid/exe" ]; then
        [ "$(readlink "/proc/$pid/exe")" = "$(readlink -f "$NODUS_BUILD/nodus-core")" ]
    fi
    kill -KILL "$pid"
    local rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 137 ]
    # The staging directory is still there, but never visible as a version.
    [ -n "$(find "$NODUS_HOME/tmp" -maxdepth 1 -name 'stage-*')" ]
    run --separate-stderr nodus ls
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    assert_no_partial
    [ -z "$(ls -A "$NODUS_HOME/versions")" ]

    clear_faults
    run --separate-stderr nodus install 22
    [ "$status" -eq 0 ]
    installed_ok
    run --separate-stderr nodus ls
    [ "${#lines[@]}" -eq 1 ]
    [[ ${lines[0]} == *v22.11.0* ]]
}

# ------------------------------------------------------------------ SIGTERM / SIGINT

# Bad input: an install interrupted (SIGTERM, as a terminal's Ctrl-C or a
# service stop would) half-way through extracting.
@test "an install interrupted with SIGTERM removes its staging directory and dies of the signal" {
    set_faults "[{\"match\": \"*.tar.*\", \"fault\": \"slow:$((TARBALL_SIZE / 3))\"}]"
    nodus install 22 >"$BATS_TEST_TMPDIR/term.out" 2>&1 3>&- &
    local pid=$!
    wait_for eval '[ -n "$(find "$NODUS_HOME/tmp" -path "*/stage-*" -type f 2>/dev/null)" ]'
    kill -TERM "$pid"
    local rc=0
    wait "$pid" || rc=$?
    # Killed by SIGTERM (128 + 15) once nothing is left behind.
    [ "$rc" -eq 143 ]
    grep -q '^nodus: interrupted; nothing was installed$' "$BATS_TEST_TMPDIR/term.out"
    assert_clean_failure
}

# ------------------------------------------------------------------ resume across runs

# Bad input: the connection drops mid-body and no retry is allowed, so the
# command fails; the next install must continue where it stopped.
@test "a download cut short is kept and the next install resumes it with a Range request" {
    set_faults '[{"match": "*.tar.*", "fault": "truncate", "count": 1}]'
    NODUS_RETRIES=0 run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 4 ]
    assert_clean_failure
    local part=("$XDG_CACHE_HOME"/nodus/downloads/*.part)
    [ -s "${part[0]}" ]
    local kept
    kept=$(wc -c <"${part[0]}" | tr -d ' ')
    [ "$kept" -gt 0 ] && [ "$kept" -lt "$TARBALL_SIZE" ]
    reset_log
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [[ $stderr == *"resuming the download after the $kept bytes an earlier try kept"* ]]
    [ "$(requests_matching "^GET $TARBALL 206 range=bytes=$kept- ")" -eq 1 ]
    [ "$(requests_matching "^GET $TARBALL 200 ")" -eq 0 ]
    installed_ok
    # Installed: the part file became the whole download, kept by its digest.
    [ "$(ls -A "$XDG_CACHE_HOME/nodus/downloads")" = "$(mirror_sha256 v22.11.0)" ]
}

# Bad input: the kept bytes of an earlier try were corrupted on disk.
@test "kept bytes that turn out wrong fail the checksum once, are thrown away, and the next try starts over" {
    set_faults '[{"match": "*.tar.*", "fault": "truncate", "count": 1}]'
    NODUS_RETRIES=0 run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 4 ]
    local part=("$XDG_CACHE_HOME"/nodus/downloads/*.part)
    printf 'garbage!' | dd of="${part[0]}" bs=1 seek=100 conv=notrunc 2>/dev/null
    run --separate-stderr nodus install 22.11.0
    [ "$status" -ne 0 ]
    [[ $stderr == *"nodus: "* ]]
    assert_clean_failure
    [ ! -e "${part[0]}" ]
    reset_log
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ "$(requests_matching "^GET $TARBALL 200 range=- ")" -eq 1 ]
    installed_ok
}
