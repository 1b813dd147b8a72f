#!/usr/bin/env bats
# The release index: cached, reused within NODUS_INDEX_TTL, revalidated with
# a conditional request after it, --offline, and an index that cannot be
# had or cannot be read.

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror
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
    INDEX=$MIRROR_DIR/index.json
}

teardown() {
    mirror_restore
}

index_requests() {
    requests_matching "^GET /index.json ${1:-[0-9]+} "
}

# ------------------------------------------------------------------ cache

@test "a second command within the TTL does not ask for index.json again" {
    run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    [ "$(index_requests 200)" -eq 1 ]
    [ -s "$XDG_CACHE_HOME/nodus/index.json" ]
    run --separate-stderr nodus ls-remote --lts
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "v22.11.0 "* ]]
    run --separate-stderr nodus install 22
    [ "$status" -eq 0 ]
    [ -d "$NODUS_HOME/versions/v22.11.0" ]
    [ "$(index_requests)" -eq 1 ]
}

@test "with NODUS_INDEX_TTL=0 the index is revalidated: a conditional request answered 304" {
    run --separate-stderr nodus ls-remote
    [ "$status" -eq 0 ]
    local first=$output
    reset_log
    NODUS_INDEX_TTL=0 run --separate-stderr nodus ls-remote
    [ "$status" -eq 0 ]
    [ "$output" = "$first" ]
    [ "$(requests_matching '^GET /index.json ')" -eq 1 ]
    # The ETag the server sent the first time comes back in If-None-Match.
    [ "$(requests_matching '^GET /index.json 304 range=- inm="[0-9a-f]+" ')" -eq 1 ]
    # A 304 renews the cache: within the TTL again, no request at all.
    reset_log
    run --separate-stderr nodus ls-remote 20
    [ "$status" -eq 0 ]
    [ "$(requests_matching .)" -eq 0 ]
}

@test "after the TTL a changed index.json is fetched again (200) and used" {
    run --separate-stderr nodus ls-remote
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == v23.1.0* ]]
    mirror_save "$INDEX"
    # The same index without the v23 releases.
    python3 - "$INDEX" <<'EOF'
import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if not r["version"].startswith("v23.")]
open(sys.argv[1], "w").write(json.dumps(rows))
EOF
    reset_log
    NODUS_INDEX_TTL=0 run --separate-stderr nodus ls-remote
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == v22.11.0* ]]
    [ "$(requests_matching '^GET /index.json 200 range=- inm="')" -eq 1 ]
    # The cache now holds the new index.
    run --separate-stderr nodus --offline ls-remote
    [[ ${lines[0]} == v22.11.0* ]]
}

@test "--offline makes no request and works from the cache, even a stale one" {
    run --separate-stderr nodus ls-remote
    [ "$status" -eq 0 ]
    reset_log
    NODUS_INDEX_TTL=0 run --separate-stderr nodus --offline ls-remote 20
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "v20.18.0 "* ]]
    # An install of what is already there needs only the index.
    run --separate-stderr nodus install 20 --offline
    [ "$status" -eq 0 ]
    [[ $stderr == *"already installed"* ]]
    [ "$(requests_matching .)" -eq 0 ]
}

@test "--offline without a cached index fails clearly" {
    # Bad input: --offline with nothing cached.
    run --separate-stderr nodus --offline ls-remote
    expect_error 4 'no cached release index.*without --offline'
    [ -z "$output" ]
    run --separate-stderr nodus --offline install 22
    expect_error 4 'no cached release index'
    assert_clean_failure
    [ "$(requests_matching .)" -eq 0 ]
}

@test "--offline install of a release that is not downloaded fails clearly" {
    # Bad input: --offline with the index cached but the release not.
    run --separate-stderr nodus ls-remote
    [ "$status" -eq 0 ]
    reset_log
    run --separate-stderr nodus --offline install 22
    expect_error 4 'offline'
    assert_clean_failure
    [ "$(requests_matching .)" -eq 0 ]
}

# ------------------------------------------------------- a broken index

# Bad input: HTTP 500 for index.json (fault status:500), no cache.
@test "HTTP 500 for index.json, nothing cached: a network error after the retries" {
    set_faults '[{"match": "/index.json", "fault": "status:500"}]'
    run --separate-stderr nodus install 22
    expect_error 4 'index.json: the server answered HTTP 500'
    assert_clean_failure
    # The first try and NODUS_RETRIES=2 more.
    [ "$(index_requests 500)" -eq 3 ]
    [ "$(requests_matching 'SHASUMS|\.tar\.')" -eq 0 ]
    run --separate-stderr nodus ls-remote
    expect_error 4 'HTTP 500'
}

# Bad input, recovered from: HTTP 500 for index.json with a stale cache.
@test "HTTP 500 for index.json with a stale cache: a warning, and the cache is used" {
    run --separate-stderr nodus ls-remote
    [ "$status" -eq 0 ]
    set_faults '[{"match": "/index.json", "fault": "status:500"}]'
    NODUS_INDEX_TTL=0 run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "v22.11.0 "* ]]
    [[ $stderr == "nodus: warning: "*"HTTP 500"*cached* ]]
}

# Bad input, recovered from: 503 for index.json once.
@test "503 for index.json once, then the index: the retry succeeds" {
    set_faults '[{"match": "/index.json", "fault": "status:503", "count": 1}]'
    run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    [ "$(index_requests 503)" -eq 1 ]
    [ "$(index_requests 200)" -eq 1 ]
}

# Bad input: malformed index.json (written into $MIRROR_DIR/index.json here).
@test "malformed index.json: garbage, truncated JSON, not a list, entries without a usable version" {
    mirror_save "$INDEX"
    local bad
    for bad in 'this is not JSON <html>' \
        "$(head -c 5000 "$BATS_TEST_TMPDIR/mirror-orig$INDEX")" \
        '{"version": "v22.11.0"}' \
        '["v22.11.0"]' \
        '[{"date": "2024-10-29", "files": ["linux-x64"], "lts": false}]' \
        '[{"version": "banana", "lts": false}]'; do
        printf '%s' "$bad" >"$INDEX"
        rm -rf "$XDG_CACHE_HOME/nodus"
        reset_log
        run --separate-stderr nodus install 22
        expect_error 4 'release index .*is not valid'
        assert_clean_failure
        [ "$(requests_matching 'SHASUMS|\.tar\.')" -eq 0 ]
        # A broken index is not cached.
        [ ! -s "$XDG_CACHE_HOME/nodus/index.json" ]
    done
}

# Bad input, recovered from: malformed index.json with a cached good one.
@test "malformed index.json with a good cache: a warning, and the cache is used" {
    run --separate-stderr nodus ls-remote
    [ "$status" -eq 0 ]
    mirror_save "$INDEX"
    printf 'garbage' >"$INDEX"
    NODUS_INDEX_TTL=0 run --separate-stderr nodus install 22
    [ "$status" -eq 0 ]
    [[ $stderr == *"nodus: warning: "*"not valid"* ]]
    [ -d "$NODUS_HOME/versions/v22.11.0" ]
}

@test "an endless index.json is cut off at a size limit" {
    # Bad input: a body without end (fault huge); nodus must not eat the memory.
    set_faults '[{"match": "/index.json", "fault": "huge"}]'
    run --separate-stderr nodus ls-remote
    expect_error 4 'larger than'
    assert_clean_failure
}
