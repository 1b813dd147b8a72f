#!/usr/bin/env bats
# Faults end to end, beyond 12-install-faults.bats (which has: wrong bytes,
# 404s, truncation on every try and once with a resume, an HTML page for
# the tarball, 503 then success for the tarball, two installs racing, and
# SIGKILL): a slow drip, a stall, a reset mid-body, a wrong Content-Length,
# a redirect loop, an endless body, HTML and 5xx answers for the small
# files, backoff; then the local side: a full disk, a read-only NODUS_HOME,
# an unwritable cache, HOME unset. The redirect from https to http is in
# 32-https.bats (it needs the TLS server).
#
# Every test ends in a success that is verified, or in an error line
# "nodus: ..." with versions/ as it was, nothing partial, no staging left.

load ../lib/common
load ../lib/install

setup_file() {
    # The same mirror as 12-install-faults.bats (built once per run): each
    # tarball carries 256 KiB of incompressible padding.
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

tarball_requests() {
    requests_matching "^GET $TARBALL ${1:-[0-9]+} "
}

installed_ok() {
    assert_no_partial
    assert_no_staging
    [ "$("$NODUS_HOME/versions/v22.11.0/bin/node" -v)" = v22.11.0 ]
    [ "$(meta_value v22.11.0 sha256)" = "$(mirror_sha256 v22.11.0)" ]
    cmp "$NODUS_HOME/versions/v22.11.0/lib/padding.bin" \
        <(tar -xJOf "$MIRROR_DIR$TARBALL" "node-v22.11.0-$(node_platform)/lib/padding.bin")
}

now_ms() {
    date +%s%3N
}

# ------------------------------------------------------------- the network

@test "a slow drip (fault slow) completes: slow but steady is not a stall" {
    # About a second for the tarball, with a stall timeout of one second:
    # bytes keep coming, so the watch never fires.
    set_faults "[{\"match\": \"*.tar.*\", \"fault\": \"slow:$TARBALL_SIZE\"}]"
    export NODUS_STALL_TIMEOUT=1
    local t0=$(now_ms)
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ $(($(now_ms) - t0)) -ge 800 ]
    [ "$(tarball_requests)" -eq 1 ]
    installed_ok
}

@test "a stall (fault stall: 1 KiB, then nothing): the stall timeout fires with a clear error" {
    set_faults '[{"match": "*.tar.*", "fault": "stall"}]'
    export NODUS_STALL_TIMEOUT=2 NODUS_RETRIES=0
    local t0=$(now_ms) took
    run --separate-stderr nodus install 22.11.0
    took=$(($(now_ms) - t0))
    expect_error 4 "cannot download .*$TARBALL: the server sent nothing for 2 seconds \(NODUS_STALL_TIMEOUT\)"
    assert_clean_failure
    # From the last byte, not after curl's averaging window.
    [ "$took" -ge 1900 ]
    [ "$took" -lt 5000 ]
    [ "$(tarball_requests)" -eq 1 ]
}

@test "a stall of index.json: the same timeout, the same kind of error" {
    set_faults '[{"match": "/index.json", "fault": "stall"}]'
    export NODUS_STALL_TIMEOUT=1 NODUS_RETRIES=0
    run --separate-stderr nodus install 22.11.0
    expect_error 4 "index.json: the server sent nothing for 1 seconds"
    assert_clean_failure
    [ ! -e "$XDG_CACHE_HOME/nodus/index.json" ]
}

@test "a reset mid-body (TCP RST) on every try: a network error after the retries, resumed each time" {
    set_faults '[{"match": "*.tar.*", "fault": "reset"}]'
    run --separate-stderr nodus install 22.11.0
    expect_error 4 "cannot download .*$TARBALL: .*(reset|Recv failure)"
    assert_clean_failure
    [ "$(tarball_requests)" -eq 3 ]
    [ "$(tarball_requests '200 range=-')" -eq 1 ]
    [ "$(tarball_requests '206 range=bytes=[1-9][0-9]*-')" -eq 2 ]
}

@test "a reset mid-body once: the next try resumes with a Range request and the install is verified" {
    set_faults '[{"match": "*.tar.*", "fault": "reset", "count": 1}]'
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ "$(tarball_requests)" -eq 2 ]
    [ "$(tarball_requests '200 range=-')" -eq 1 ]
    # Resumed from what had arrived (up to half: the RST may drop the rest).
    local from
    from=$(sed -n "s|^GET $TARBALL 206 range=bytes=\([0-9]*\)-.*|\1|p" "$MIRROR_LOG")
    [ "$from" -gt 0 ]
    [ "$from" -le $((TARBALL_SIZE / 2)) ]
    installed_ok
}

@test "a Content-Length larger than the body: the resume finds the file complete (416) and the digest decides" {
    set_faults '[{"match": "*.tar.*", "fault": "wrong-length"}]'
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ "$(tarball_requests '200 range=-')" -eq 1 ]
    [ "$(tarball_requests "416 range=bytes=$TARBALL_SIZE-")" -eq 1 ]
    installed_ok
}

@test "a Content-Length larger than the body, no retries: a clear network error, nothing installed" {
    set_faults '[{"match": "*.tar.*", "fault": "wrong-length"}]'
    export NODUS_RETRIES=0
    run --separate-stderr nodus install 22.11.0
    expect_error 4 "cannot download .*$TARBALL: .*bytes remaining"
    assert_clean_failure
}

@test "a redirect loop: stopped after 10 redirects, not retried, a clear error" {
    set_faults '[{"match": "*.tar.*", "fault": "redirect-loop"}]'
    run --separate-stderr nodus install 22.11.0
    expect_error 4 "cannot download .*$TARBALL: the server keeps redirecting \(a redirect loop\?\)"
    assert_clean_failure
    [ "$(tarball_requests 302)" -eq 11 ]
}

@test "a redirect loop for index.json: the same error, no cache written" {
    set_faults '[{"match": "/index.json", "fault": "redirect-loop"}]'
    run --separate-stderr nodus ls-remote
    expect_error 4 "index.json: the server keeps redirecting"
    [ -z "$output" ]
    [ ! -e "$XDG_CACHE_HOME/nodus/index.json" ]
}

@test "an endless body (fault huge, no Content-Length): cut off at the cap (NODUS_MAX_DOWNLOAD)" {
    local fault
    for fault in huge huge-chunked; do
        set_faults "[{\"match\": \"*.tar.*\", \"fault\": \"$fault\"}]"
        reset_log
        local t0=$(now_ms)
        NODUS_MAX_DOWNLOAD=2000000 run --separate-stderr nodus install 22.11.0
        expect_error 4 "cannot download .*$TARBALL: the server sent more than 2000000 bytes, more than any Node.js release"
        assert_clean_failure
        [ "$(tarball_requests)" -eq 1 ] # not retried
        [ $(($(now_ms) - t0)) -lt 10000 ]
    done
}

@test "an endless SHASUMS256.txt: cut off at 1 MiB" {
    set_faults '[{"match": "*/SHASUMS256.txt", "fault": "huge"}]'
    run --separate-stderr nodus install 22.11.0
    expect_error 4 'SHASUMS256.txt is larger than 1048576 bytes'
    assert_clean_failure
    [ "$(tarball_requests)" -eq 0 ]
}

@test "an HTML page with status 200 instead of SHASUMS256.txt or index.json: said so, nothing cached or installed" {
    set_faults '[{"match": "*/SHASUMS256.txt", "fault": "html-200"}]'
    run --separate-stderr nodus install 22.11.0
    expect_error 4 "SHASUMS256.txt: the server sent an HTML page instead of the file"
    assert_clean_failure
    [ "$(tarball_requests)" -eq 0 ]

    set_faults '[{"match": "/index.json", "fault": "html-200"}]'
    rm -rf "$XDG_CACHE_HOME/nodus"
    run --separate-stderr nodus install 22.11.0
    expect_error 4 "index.json: the server sent an HTML page instead of the file"
    assert_clean_failure
    [ ! -e "$XDG_CACHE_HOME/nodus/index.json" ]
}

@test "503 twice for index.json, 429 once for SHASUMS256.txt, then success; the retries back off" {
    set_faults '[{"match": "/index.json", "fault": "status:503", "count": 2},
                 {"match": "*/SHASUMS256.txt", "fault": "status:429", "count": 1}]'
    export NODUS_RETRY_DELAY_MS=200
    local t0=$(now_ms)
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    # 200 ms, 400 ms (doubling) for the index, 200 ms for SHASUMS256.txt.
    [ $(($(now_ms) - t0)) -ge 800 ]
    [ "$(requests_matching '^GET /index.json 503 ')" -eq 2 ]
    [ "$(requests_matching '^GET /index.json 200 ')" -eq 1 ]
    [ "$(requests_matching '^GET /v22.11.0/SHASUMS256.txt 429 ')" -eq 1 ]
    installed_ok
}

@test "a mirror that stays down (503) with a cached index: the install fails cleanly, the cache is kept" {
    run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    local cache=$XDG_CACHE_HOME/nodus/index.json sum
    sum=$(sha256_of "$cache")
    set_faults '[{"match": "*", "fault": "status:503"}]'
    NODUS_INDEX_TTL=0 run --separate-stderr nodus install 22.11.0
    expect_error 4 'HTTP 503'
    assert_clean_failure
    [ "$(sha256_of "$cache")" = "$sum" ]
}

# ------------------------------------------------------------- local side

# Run "$@" with the file size limit at 128 KiB and SIGXFSZ ignored, so a
# write past it fails with EFBIG, as on a full disk.
with_fsize_limit() {
    (
        trap '' XFSZ
        ulimit -f 128
        "$@"
    )
}

@test "a full disk (RLIMIT_FSIZE: writes fail with EFBIG): a clear error, nothing half-installed, cache and default intact" {
    nodus default 20.18.0
    run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    local sum
    sum=$(sha256_of "$XDG_CACHE_HOME/nodus/index.json")
    run --separate-stderr with_fsize_limit nodus install 22.11.0
    expect_error 6 "cannot extract 'lib/padding.bin' into $NODUS_HOME/tmp: .*File too large.*free space.*nothing was installed"
    assert_clean_failure
    [ "$(cat "$NODUS_HOME/default")" = 20.18.0 ]
    [ "$(sha256_of "$XDG_CACHE_HOME/nodus/index.json")" = "$sum" ]
    # Afterwards, with room again, the same install works.
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    installed_ok
}

# can_mount: whether this test run may mount a tmpfs in a private mount
# namespace (root with CAP_SYS_ADMIN; not in every container).
can_mount() {
    [ "$(id -u)" -eq 0 ] &&
        unshare -m sh -c 'mount -t tmpfs -o size=64k nodus-probe "$1"' sh "$BATS_TEST_TMPDIR" 2>/dev/null
}

# can_bind_ro: whether a read-only bind mount in a private namespace works.
can_bind_ro() {
    [ "$(id -u)" -eq 0 ] &&
        unshare -m sh -c 'mount --bind -o ro "$1" "$1" && ! touch "$1/.probe"' sh "$BATS_TEST_TMPDIR" 2>/dev/null
}

@test "a full disk for real (NODUS_HOME on a 256 KiB tmpfs): ENOSPC, a clear error, nothing half-installed" {
    can_mount || skip "needs root allowed to mount a tmpfs in a private mount namespace (unshare -m)"
    local out=$BATS_TEST_TMPDIR/inside
    mkdir -p "$out"
    # Everything happens inside the namespace; what it saw is written out.
    run --separate-stderr unshare -m sh -c '
        mount -t tmpfs -o size=256k,mode=0755 nodus-test "$NODUS_HOME" || exit 99
        mkdir -p "$NODUS_HOME/versions"
        nodus install 22.11.0
        rc=$?
        ls -A "$NODUS_HOME/versions" >"$1/versions"
        ls -A "$NODUS_HOME/tmp" >"$1/tmp"
        exit $rc' sh "$out"
    [ "$status" -ne 99 ]
    expect_error 6 "cannot extract .* into $NODUS_HOME/tmp: .*No space left on device.*nothing was installed"
    [ ! -s "$out/versions" ]
    [ -z "$(grep -v '\.lock$' "$out/tmp")" ]
    # The tmpfs hid NODUS_HOME; the real one is untouched.
    assert_versions_same
}

# readonly_run DIR CMD...: run CMD while DIR is read-only. Not root: chmod.
# Root (chmod does not stop root): a read-only bind mount in a private mount
# namespace, seen by CMD only. Returns 97 when neither is possible.
readonly_run() {
    local dir=$1
    shift
    if [ "$(id -u)" -ne 0 ]; then
        chmod -R a-w "$dir"
        local rc=0
        "$@" || rc=$?
        chmod -R u+w "$dir"
        return "$rc"
    fi
    can_bind_ro || return 97
    unshare -m sh -c 'd=$1; shift; mount --bind -o ro "$d" "$d" || exit 97; exec "$@"' sh "$dir" "$@"
}

readonly_possible() {
    [ "$(id -u)" -ne 0 ] || can_bind_ro
}

@test "a read-only NODUS_HOME: install, uninstall and default fail clearly and change nothing; the shims still run" {
    readonly_possible || skip "running as root without a read-only bind mount: chmod cannot make a directory read-only for root"
    nodus default 20.18.0
    nodus reshim >/dev/null 2>&1 || true
    run --separate-stderr readonly_run "$NODUS_HOME" nodus install 22.11.0
    expect_error 6 '(Read-only file system|Permission denied)'
    [[ ${stderr_lines[${#stderr_lines[@]} - 1]} == *"$NODUS_HOME"* ]]
    assert_clean_failure
    run --separate-stderr readonly_run "$NODUS_HOME" nodus uninstall 20.18.0
    [ "$status" -ne 0 ]
    [[ ${stderr_lines[${#stderr_lines[@]} - 1]} == "nodus: "*(Read-only\ file\ system|Permission\ denied)* ]]
    run --separate-stderr readonly_run "$NODUS_HOME" nodus default 22
    [ "$status" -ne 0 ]
    [[ ${stderr_lines[${#stderr_lines[@]} - 1]} == "nodus: "*(Read-only\ file\ system|Permission\ denied)* ]]
    assert_versions_same
    [ "$(cat "$NODUS_HOME/default")" = 20.18.0 ]
    # Reading still works.
    run --separate-stderr readonly_run "$NODUS_HOME" nodus ls
    [ "$status" -eq 0 ]
    [[ $output == *v20.18.0* ]]
    run --separate-stderr readonly_run "$NODUS_HOME" "$NODUS_HOME/shims/node" -v
    [ "$status" -eq 0 ]
    [ "$output" = v20.18.0 ]
}

@test "an unwritable cache: the install still works (with a warning), and nothing is cached" {
    # A file where the cache directory should be stops root too.
    rm -rf "$XDG_CACHE_HOME"
    printf 'not a directory\n' >"$XDG_CACHE_HOME"
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [[ $stderr == *"nodus: warning: cannot write the release index cache"* ]]
    installed_ok
    [ "$(cat "$XDG_CACHE_HOME")" = "not a directory" ]
    # And offline there is no cache to use: a clear error.
    run --separate-stderr nodus --offline ls-remote
    [ "$status" -ne 0 ]
    [[ ${stderr_lines[${#stderr_lines[@]} - 1]} == "nodus: "*offline* ]]
}

@test "a read-only cache directory: the same (warning, install works)" {
    readonly_possible || skip "running as root without a read-only bind mount: chmod cannot make a directory read-only for root"
    mkdir -p "$XDG_CACHE_HOME/nodus"
    run --separate-stderr readonly_run "$XDG_CACHE_HOME" nodus install 22.11.0
    [ "$status" -eq 0 ]
    [[ $stderr == *"nodus: warning: cannot write the release index cache"* ]]
    installed_ok
    [ -z "$(ls -A "$XDG_CACHE_HOME/nodus")" ]
}

@test "HOME unset: with NODUS_HOME set everything works (cache under NODUS_HOME); with nothing set, a clear error" {
    run --separate-stderr env -u HOME -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME nodus install 22.11.0
    [ "$status" -eq 0 ]
    installed_ok
    [ -f "$NODUS_HOME/cache/index.json" ]
    run --separate-stderr env -u HOME -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME \
        NODUS_VERSION=22.11.0 nodus exec 22.11.0 -- node -v
    [ "$status" -eq 0 ]
    [ "$output" = v22.11.0 ]

    # Nothing at all: no HOME, no NODUS_HOME, no XDG directories.
    local before
    before=$(ls -A)
    run --separate-stderr env -u HOME -u NODUS_HOME -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME \
        nodus install 22.11.0
    expect_error 1 'HOME is not set to an absolute path.*set HOME, or set NODUS_HOME'
    [ "$(ls -A)" = "$before" ]
    # A relative HOME counts as unset.
    run --separate-stderr env -u NODUS_HOME -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME \
        HOME=relative/home nodus ls
    expect_error 1 'HOME is not set to an absolute path'
    [ ! -e relative ]
}
