#!/usr/bin/env bats
# End of life and known vulnerabilities: the release schedule and the
# vulnerability database served by the test mirror (the real snapshots in
# tests/fixtures), fetched through the same cache as index.json (TTL, 304,
# stale with a warning, --offline), never by the shim; what ls, ls-remote,
# current, the status screen and install say with them.

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
    CACHE=$XDG_CACHE_HOME/nodus
}

data_requests() {
    requests_matching "^GET /data/${1:-[a-z]+}\.json ${2:-[0-9]+} "
}

# Fill the data cache the way a core command does.
fetch_data() {
    run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    [ -s "$CACHE/schedule.json" ] && [ -s "$CACHE/vulns.json" ]
}

# ------------------------------------------------------------- fetching

@test "ls-remote fetches both documents once, caches them with their URL, reuses them within the TTL" {
    fetch_data
    [ "$(data_requests schedule 200)" -eq 1 ]
    [ "$(data_requests vulns 200)" -eq 1 ]
    grep -qx "url=$NODUS_VULNS_URL" "$CACHE/vulns.meta"
    grep -q '^etag="' "$CACHE/vulns.meta"
    cmp "$CACHE/vulns.json" "$MIRROR_DIR/data/vulns.json"
    # The prose-free copy the local commands read, and 'cache clear' removes all.
    [ -s "$CACHE/vulns.slim.json" ]
    [ "$(stat -c %s "$CACHE/vulns.slim.json")" -lt 40000 ]
    nodus --quiet ls >/dev/null
    run --separate-stderr nodus ls-remote 20
    [ "$status" -eq 0 ]
    [ "$(data_requests)" -eq 2 ]
    nodus cache clear
    [ ! -e "$CACHE/vulns.slim.json" ] && [ ! -e "$CACHE/vulns.json" ] && [ ! -e "$CACHE/schedule.meta" ]
}

@test "after the TTL: a conditional request, a 304 keeps the cache" {
    fetch_data
    NODUS_INDEX_TTL=0 run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    [ "$(data_requests vulns 304)" -eq 1 ]
    [ "$(data_requests schedule 304)" -eq 1 ]
    grep -q 'inm="' <<<"$(grep '^GET /data/vulns.json 304' "$MIRROR_LOG")"
    [ -z "$stderr" ]
}

@test "the network fails after the TTL: the stale cache with a warning, and the verdict still shown" {
    fetch_data
    set_faults '[{"match": "/data/*", "fault": "status:500"}]'
    NODUS_INDEX_TTL=0 run --separate-stderr nodus install 20.18.0
    [ "$status" -eq 0 ]
    grep -q 'using the cached vulnerability database' <<<"$stderr"
    grep -q 'using the cached release schedule' <<<"$stderr"
    grep -q 'v20.18.0 is end of life since 2026-04-30 and has 20 known vulnerabilities' <<<"$stderr"
}

@test "no cache and no network: a warning, and the command itself still works" {
    set_faults '[{"match": "/data/*", "fault": "close"}]'
    run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == v22.11.0* ]]
    grep -q 'nodus: warning: .*going on without the vulnerability database' <<<"$stderr"
    [ ! -e "$CACHE/vulns.json" ]
    # The advice names the setting each URL came from, not the mirror's.
    grep -q "vulns.json: .*check the network and NODUS_VULNS_URL (vulns_url)" <<<"$stderr"
    grep -q "schedule.json: .*check the network and NODUS_SCHEDULE_URL (schedule_url)" <<<"$stderr"
    ! grep -q "NODUS_MIRROR" <<<"$stderr"
}

@test "--offline never asks for the data; it uses the cache, and says when there is none" {
    NODUS_VULNS_URL=off NODUS_SCHEDULE_URL=off nodus ls-remote 22 >/dev/null
    reset_log
    run --separate-stderr nodus --offline ls-remote 22
    [ "$status" -eq 0 ]
    grep -q 'no cached vulnerability database for .*without --offline' <<<"$stderr"
    [ "$(data_requests)" -eq 0 ]
    fetch_data
    reset_log
    NODUS_INDEX_TTL=0 run --separate-stderr nodus --offline ls-remote 20
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "$(data_requests)" -eq 0 ]
    grep -q '^v20.18.0 .*eol since 2026-04-30' <<<"$output"
}

@test "a malformed or hostile document is a warning naming it, never a crash, and is not cached" {
    printf '{"1": {"vulnerable": ">=>1"}}' >"$MIRROR_DIR/data/vulns.json"
    printf '{"v22": {"end": "2027-02-30"}}' >"$MIRROR_DIR/data/schedule.json"
    run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    grep -q "warning: $NODUS_VULNS_URL: entry \"1\" has no valid \"vulnerable\" range; check NODUS_VULNS_URL" <<<"$stderr"
    grep -q "warning: $NODUS_SCHEDULE_URL: \"v22\" has a \"end\" that is not a YYYY-MM-DD date" <<<"$stderr"
    [ ! -e "$CACHE/vulns.json" ] && [ ! -e "$CACHE/schedule.json" ]
    # HTML instead of JSON, and a body without end.
    set_faults '[{"match": "/data/vulns.json", "fault": "html-200"}, {"match": "/data/schedule.json", "fault": "huge"}]'
    run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    grep -q "warning: .*$NODUS_VULNS_URL: the server sent an HTML page.*going on without the vulnerability database" <<<"$stderr"
    grep -q "warning: .*$NODUS_SCHEDULE_URL is larger than .*going on without the release schedule" <<<"$stderr"
    [ ! -e "$CACHE/vulns.json" ] && [ ! -e "$CACHE/schedule.json" ]
    # JSON of the wrong shape, and a valid document in a valid cache kept
    # when the next answer is bad (the stale copy, with a warning).
    printf '[1, 2]' >"$MIRROR_DIR/data/vulns.json"
    clear_faults
    run --separate-stderr nodus ls-remote 22
    grep -q "warning: $NODUS_VULNS_URL: not a vulnerability database" <<<"$stderr"
}

@test "a cached document that went bad: local commands warn naming the file" {
    fetch_data
    printf '{"1": ' >"$CACHE/vulns.json"
    run --separate-stderr nodus ls
    [ "$status" -eq 0 ]
    grep -q "warning: $CACHE/vulns.json: not valid JSON" <<<"$stderr"
    # The schedule still counts.
    grep -q 'v20.18.0 .*eol 2026-04-30' <<<"$output"
}

@test "the data URLs come from the config file too, and 'off' turns a document off" {
    run --separate-stderr nodus config set vulns_url "ftp://x/y"
    [ "$status" -ne 0 ]
    grep -q "must be an http:// or https:// URL with a host (or off)" <<<"$stderr"
    unset NODUS_VULNS_URL NODUS_SCHEDULE_URL
    nodus config set vulns_url "$MIRROR_URL/data/vulns.json"
    nodus config set schedule_url off
    fetch_data 2>/dev/null || true
    [ "$(data_requests vulns)" -eq 1 ]
    [ "$(data_requests schedule)" -eq 0 ]
    [ -s "$CACHE/vulns.json" ] && [ ! -e "$CACHE/schedule.json" ]
}

@test "the shim never fetches the data and never warns" {
    run --separate-stderr nodus default 20.18.0
    [ "$status" -eq 0 ]
    reset_log
    run --separate-stderr "$NODUS_HOME/shims/node" --version
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "$(data_requests)" -eq 0 ]
    [ ! -e "$CACHE/vulns.json" ]
}

# ------------------------------------------------------------ showing it

@test "ls: support status and vulnerabilities per version; --json has the fields" {
    fetch_data
    run --separate-stderr nodus ls
    [ "$status" -eq 0 ]
    grep -q '^  v22.11.0 .*lts/jod .*maintenance, 19 vulns (high)' <<<"$output"
    grep -q '^  v20.18.0 .*lts/iron .*eol 2026-04-30, 20 vulns (high)' <<<"$output"
    NODUS_NOW=2024-12-01 run --separate-stderr nodus --json ls
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
rows = {r["version"]: r for r in json.load(sys.stdin)}
a, b = rows["v22.11.0"], rows["v20.18.0"]
assert a["support"] == "active-lts" and a["support_end"] == "2027-04-30", a
assert a["vulnerabilities"] == 19 and a["severity"] == "high" and a["fixed_in"] == "v22.22.2", a
assert "CVE-2025-23083" in a["cves"], a
assert b["support"] == "maintenance" and b["vulnerabilities"] == 20, b
' <<<"$output"
}

@test "current and the status screen: one line when the active version is unsafe, none when it is not" {
    fetch_data
    nodus default 20.18.0
    NODUS_NOW=2025-01-01 run --separate-stderr nodus current
    [ "$status" -eq 0 ]
    [ "$output" = v20.18.0 ]
    grep -qx 'nodus: warning: v20.18.0 has 20 known vulnerabilities (8 high, e.g. CVE-2025-23083); v20.20.2 fixes them: nodus upgrade 20' <<<"$stderr"
    # Judged once per version, day and data (a prompt may run current often).
    [ -s "$CACHE/verdicts" ]
    run --separate-stderr nodus current
    grep -q 'warning: v20.18.0 is end of life since 2026-04-30 and has 20' <<<"$stderr"
    run --separate-stderr nodus
    [ "$status" -eq 0 ]
    grep -q 'v20.18.0 is end of life since 2026-04-30' <<<"$output"
    run --separate-stderr nodus --quiet current
    [ -z "$stderr" ]
    run --separate-stderr nodus --json current
    python3 -c '
import json, sys
o = json.load(sys.stdin)
assert o["version"] == "v20.18.0" and o["support"] == "eol" and o["vulnerabilities"] == 20, o
' <<<"$output"
    # A database that names nothing and a supported line: nothing to say.
    printf '{}' >"$MIRROR_DIR/data/vulns.json"
    NODUS_INDEX_TTL=0 fetch_data
    nodus default 22.11.0
    NODUS_NOW=2024-12-01 run --separate-stderr nodus current
    [ "$status" -eq 0 ]
    ! grep -q warning <<<"$stderr" || false
}

@test "install warns about an unsafe version, names the nearest fix, and still installs it" {
    NODUS_NOW=2025-01-01 run --separate-stderr nodus install 18.20.4
    [ "$status" -eq 0 ]
    [ -d "$NODUS_HOME/versions/v18.20.4" ]
    grep -q 'warning: v18.20.4 has 2 known vulnerabilities (2 medium, e.g. CVE-2025-23084); v18.20.6 fixes them: nodus install 18.20.6' <<<"$stderr"
    # The mirror's own release is named when it has one: v23.1.0 has no
    # fixed 23.x here, v22.10.0 is fixed by nothing the mirror has either.
    NODUS_NOW=2024-12-01 run --separate-stderr nodus install 22.10.0
    [ "$status" -eq 0 ]
    grep -q 'warning: v22.10.0 has 19 known vulnerabilities' <<<"$stderr"
    # End of life alone is enough.
    NODUS_NOW=2025-06-01 run --separate-stderr nodus install 18.20.4
    grep -q 'warning: v18.20.4 is end of life since 2025-04-30 and has 2' <<<"$stderr"
}

@test "ls-remote: each line's support status on its newest release, security releases marked" {
    run --separate-stderr nodus ls-remote
    [ "$status" -eq 0 ]
    grep -q '^v22.11.0 .*lts/jod .*maintenance until 2027-04-30' <<<"$output"
    grep -q '^v18.20.4 .*lts/hydrogen .*eol since 2025-04-30 .*security' <<<"$output"
    ! grep -q '^v22.10.0 .*until' <<<"$output" || false
    run --separate-stderr nodus --json ls-remote 18
    python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert rows[0]["version"] == "v18.20.4" and rows[0]["security"] is True and rows[0]["support"] == "eol", rows[0]
' <<<"$output"
}
