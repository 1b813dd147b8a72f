#!/usr/bin/env bats
# Output people and scripts can rely on: results on stdout, messages on
# stderr, a failed write to stdout is an error, colour only on a terminal
# and never with NO_COLOR, --json that a real parser reads.

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror --platforms "$(node_platform)" --versions v22.11.0,v20.18.0
    seed_home 22.11.0 20.18.0
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    use_seed
    nodus default 22 2>/dev/null
}

# Bad input: stdout is a full disk (/dev/full) for each command that prints results.
@test "a failed write to stdout is an error, not a silent success" {
    [ -w /dev/full ] || skip "/dev/full is not available"
    for cmd in "ls" "ls --json" "current" "which" "default" "ls-remote" "help"; do
        run --separate-stderr sh -c "nodus $cmd > /dev/full"
        [ "$status" -ne 0 ] || { echo "nodus $cmd exited 0 on /dev/full"; false; }
        [[ $stderr == *"nodus: cannot write the output"* ]] || { echo "$cmd: $stderr"; false; }
    done
}

@test "results go to stdout, messages to stderr" {
    run --separate-stderr nodus current
    [ "$status" -eq 0 ]
    [ "$output" = v22.11.0 ]
    [[ $stderr == "chosen by the default"* ]]
    run --separate-stderr nodus ls
    [[ ${lines[0]} =~ ^\*\ v22\.11\.0\ +lts/jod\ +default$ ]]
    [ -z "$stderr" ]
}

@test "ls marks the active and the default version, newest first, with LTS codenames" {
    printf '20\n' > .node-version
    run --separate-stderr nodus ls
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 2 ]
    [[ ${lines[0]} =~ ^\ \ v22\.11\.0\ +lts/jod\ +default$ ]]
    [[ ${lines[1]} =~ ^\*\ v20\.18\.0\ +lts/iron$ ]]
}

@test "colour only on a terminal, never with NO_COLOR" {
    command -v script >/dev/null || skip "script(1) is not installed"
    run script -qec "nodus ls" /dev/null
    [[ $output == *$'\033['* ]]
    NO_COLOR=1 run script -qec "nodus ls" /dev/null
    [[ $output != *$'\033['* ]]
    run --separate-stderr nodus ls
    [[ $output != *$'\033['* ]]
}

@test "--json output of ls, ls-remote, current, which and doctor parses with a real JSON parser" {
    for cmd in "ls" "ls-remote 22" "current" "which npm" "doctor"; do
        run --separate-stderr nodus --json $cmd
        printf '%s' "$output" | python3 -c 'import json,sys; json.load(sys.stdin)' ||
            { echo "nodus --json $cmd: not JSON: $output"; false; }
    done
    run --separate-stderr nodus ls --json
    printf '%s' "$output" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert [r["version"] for r in rows] == ["v22.11.0", "v20.18.0"], rows
assert rows[0]["default"] is True and rows[0]["lts"] == "jod", rows
assert set(rows[0]) == {"version", "lts", "default", "active", "support", "support_end",
                        "vulnerabilities", "severity", "cves", "fixed_in"}, rows'
    run --separate-stderr nodus current --json
    printf '%s' "$output" | python3 -c '
import json, sys
o = json.load(sys.stdin)
assert o["version"] == "v22.11.0" and o["source"] == "default" and o["installed"] is True, o'
}
