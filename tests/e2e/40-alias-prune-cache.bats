#!/usr/bin/env bats
# alias / unalias, cache dir|clear, prune [--dry-run].
# Installed: v22.11.0, v22.10.0, v20.18.0, v20.17.0, v18.20.4.

bats_require_minimum_version 1.5.0

load ../lib/common
load ../lib/shims

setup_file() {
    setup_mirror && make_home_template 22.11.0 22.10.0 20.18.0 20.17.0 18.20.4
}

teardown_file() {
    teardown_mirror
}

setup() {
    home_from_template
}

installed() {
    (cd "$NODUS_HOME/versions" && ls -1d v* 2>/dev/null | sort -V | tr '\n' ' ')
}

# ---------------------------------------------------------------- alias

@test "alias NAME SPEC: written as typed; shown and listed with what it resolves to" {
    run --separate-stderr nodus alias work 20
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [ "$stderr" = "alias work -> 20 (now v20.18.0)" ]
    [ "$(cat "$NODUS_HOME/aliases/work")" = 20 ]
    nodus alias legacy '>=18 <19' 2>/dev/null
    nodus alias future 25 2>/dev/null
    nodus default 22 2>/dev/null
    run --separate-stderr nodus alias work
    [ "$status" -eq 0 ]
    [ "$output" = "work -> 20 (v20.18.0)" ]
    run --separate-stderr nodus alias
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' 'default -> 22 (v22.11.0)' 'future -> 25 (not installed)' \
        'legacy -> >=18 <19 (v18.20.4)' 'work -> 20 (v20.18.0)')" ]
    nodus alias --json >out.json
    python3 - <<'EOF'
import json
a = json.load(open("out.json"))
assert [x["name"] for x in a] == ["default", "future", "legacy", "work"], a
assert a[1]["version"] is None and a[1]["spec"] == "25", a[1]
assert a[3] == {"name": "work", "spec": "20", "version": "v20.18.0"}, a[3]
EOF
    # No temporary files of the atomic write are left.
    [ "$(ls -A "$NODUS_HOME/aliases" | tr '\n' ' ')" = "future legacy work " ]
}

@test "an alias works wherever a spec does: NODUS_VERSION, version files, exec, ls, default, uninstall" {
    nodus alias work 20.17 2>/dev/null
    NODUS_VERSION=work run --separate-stderr nodus current
    [ "$output" = v20.17.0 ]
    project p .node-version 'work\n'
    run --separate-stderr bash -c 'cd p && "$SHIMS/node" --version'
    [ "$status" -eq 0 ]
    [ "$output" = v20.17.0 ]
    run --separate-stderr nodus exec work -- node --version
    [ "$output" = v20.17.0 ]
    run --separate-stderr nodus ls work
    [[ $output == *v20.17.0* ]]
    [[ $output != *v20.18.0* ]]
    nodus default work 2>/dev/null
    run --separate-stderr nodus current
    [ "$output" = v20.17.0 ]
    # Re-pointing the alias moves everything that refers to it.
    nodus alias work 18 2>/dev/null
    run --separate-stderr nodus current
    [ "$output" = v18.20.4 ]
    # An alias of an alias.
    nodus alias old work 2>/dev/null
    NODUS_VERSION=old run --separate-stderr nodus current
    [ "$output" = v18.20.4 ]
    run --separate-stderr nodus uninstall old
    [ "$status" -eq 0 ]
    [ ! -e "$NODUS_HOME/versions/v18.20.4" ]
}

@test "alias refuses names that are specs or unsafe, bad specs, unknown aliases and cycles" {
    local name
    for name in lts latest node current stable system x v22 2work ../evil 'a/b' .hidden; do
        run --separate-stderr nodus alias "$name" 20
        [ "$status" -eq 2 ] || { echo "accepted $name" >&2; false; }
        [[ $stderr == "nodus: "* ]]
    done
    [ ! -e "$NODUS_HOME/evil" ]
    [ ! -e "$NODUS_HOME/aliases" ] || [ -z "$(ls -A "$NODUS_HOME/aliases")" ]
    run --separate-stderr nodus alias lts 20
    [[ $stderr == *"'lts' already means a version"* ]]
    run --separate-stderr nodus alias work '^^20'
    [ "$status" -eq 2 ]
    [[ $stderr == *"is not a version spec"* ]]
    run --separate-stderr nodus alias work nosuchalias
    [ "$status" -eq 2 ]
    [[ $stderr == *"'nosuchalias' is neither a version spec nor an alias"* ]]
    [ ! -e "$NODUS_HOME/aliases/work" ]
    nodus alias a 20 2>/dev/null
    nodus alias b a 2>/dev/null
    run --separate-stderr nodus alias a b
    [ "$status" -eq 2 ]
    [[ $stderr == *"cannot refer to itself"* ]]
    [ "$(cat "$NODUS_HOME/aliases/a")" = 20 ]
    run --separate-stderr nodus alias a a
    [ "$status" -eq 2 ]
    run --separate-stderr nodus alias a 20 extra
    [ "$status" -eq 2 ]
    run --separate-stderr nodus alias nosuch
    [ "$status" -eq 3 ]
    [[ $stderr == *"there is no alias named 'nosuch'"* ]]
}

@test "alias default SPEC sets the default, as 'nodus default' does" {
    run --separate-stderr nodus alias default 20
    [ "$status" -eq 0 ]
    [ "$(cat "$NODUS_HOME/default")" = 20 ]
    [ ! -e "$NODUS_HOME/aliases/default" ]
    run --separate-stderr nodus default
    [ "$output" = "20 (v20.18.0)" ]
    run --separate-stderr nodus alias default
    [ "$output" = "default -> 20 (v20.18.0)" ]
}

@test "unalias removes aliases, says which others dangle, and fails for unknown ones" {
    nodus alias work 20 2>/dev/null
    nodus alias other work 2>/dev/null
    nodus alias keep 22 2>/dev/null
    nodus default work 2>/dev/null
    run --separate-stderr nodus unalias work nosuch
    [ "$status" -eq 3 ]
    [ ! -e "$NODUS_HOME/aliases/work" ]
    [ -e "$NODUS_HOME/aliases/keep" ]
    [[ $stderr == *"removed alias work"* ]]
    [[ $stderr == *"warning: the default is 'work', which is gone now"* ]]
    [[ $stderr == *"warning: alias 'other' refers to 'work', which is gone now"* ]]
    [[ $stderr == *"nodus: there is no alias named 'nosuch'"* ]]
    run --separate-stderr nodus unalias default
    [ "$status" -eq 0 ]
    [ ! -e "$NODUS_HOME/default" ]
    run --separate-stderr nodus unalias
    [ "$status" -eq 2 ]
    run --separate-stderr nodus unalias ../../x
    [ "$status" -eq 2 ]
}

# ---------------------------------------------------------------- cache

@test "cache dir prints the cache directory" {
    run --separate-stderr nodus cache dir
    [ "$status" -eq 0 ]
    [ "$output" = "$XDG_CACHE_HOME/nodus" ]
    XDG_CACHE_HOME=/elsewhere/c run --separate-stderr nodus cache dir
    [ "$output" = /elsewhere/c/nodus ]
}

@test "cache clear removes the index and downloads, says how much, and nothing else" {
    local c=$XDG_CACHE_HOME/nodus
    [ -s "$c/index.json" ]
    mkdir -p "$c/downloads"
    head -c 3145728 /dev/zero >"$c/downloads/node-partial.tar.xz"
    echo keep >"$c/not-ours"
    snapshot_versions
    run --separate-stderr nodus cache clear
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [[ $stderr =~ ^freed\ 3\.[0-9]\ MiB\ from\ $c$ ]]
    [ ! -e "$c/index.json" ]
    [ ! -e "$c/index.meta" ]
    [ ! -e "$c/downloads" ]
    [ "$(cat "$c/not-ours")" = keep ]
    assert_versions_same
    run --separate-stderr nodus cache clear
    [ "$status" -eq 0 ]
    [ "$stderr" = "the cache is already empty ($c)" ]
    run --separate-stderr nodus cache
    [ "$status" -eq 2 ]
    run --separate-stderr nodus cache purge
    [ "$status" -eq 2 ]
    # The index comes back when it is needed.
    run --separate-stderr nodus ls-remote 22
    [ "$status" -eq 0 ]
    [ -s "$c/index.json" ]
}

# ---------------------------------------------------------------- prune

@test "prune --dry-run names what would go and removes nothing" {
    nodus default 22 2>/dev/null
    nodus alias old 20.17.0 2>/dev/null
    project p .node-version '18\n'
    cd p
    snapshot_versions
    run --separate-stderr nodus prune --dry-run
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' 'would remove v22.10.0' 'would remove v20.18.0')" ]
    [[ $stderr == *"keeping v22.11.0 (the default, 22)"* ]]
    [[ $stderr == *"keeping v20.17.0 (alias old, 20.17.0)"* ]]
    [[ $stderr == *"keeping v18.20.4 ($PWD/.node-version, 18)"* ]]
    assert_versions_same
}

@test "prune removes what nothing refers to, as uninstall does, and redoes the shims" {
    nodus default 22 2>/dev/null
    nodus alias old 20.17.0 2>/dev/null
    project p .node-version '18\n'
    custom_bin v22.10.0 only-in-22-10 'echo hi'
    [ -L "$SHIMS/only-in-22-10" ]
    run --separate-stderr bash -c 'cd p && nodus prune'
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' 'removed v22.10.0' 'removed v20.18.0')" ]
    [ "$(installed)" = "v18.20.4 v20.17.0 v22.11.0 " ]
    assert_no_partial
    assert_no_staging
    [ ! -e "$SHIMS/only-in-22-10" ]
    run --separate-stderr "$SHIMS/node" --version
    [ "$output" = v22.11.0 ]
    # Outside the project, 18 is no longer referred to.
    run --separate-stderr nodus prune
    [ "$output" = "removed v18.20.4" ]
    run --separate-stderr nodus prune
    [ -z "$output" ]
    [[ $stderr == *"nothing to prune"* ]]
    [ "$(installed)" = "v20.17.0 v22.11.0 " ]
}

@test "NODUS_VERSION keeps its version; a range keeps only what it picks" {
    nodus default 20 2>/dev/null
    NODUS_VERSION=22.10 run --separate-stderr nodus prune
    [ "$status" -eq 0 ]
    [ "$(installed)" = "v20.18.0 v22.10.0 " ]
}

@test "prune refuses when it cannot tell what a reference means" {
    snapshot_versions
    # lts/* without the LTS lines: which version is meant is unknown.
    nodus default 'lts/*' 2>/dev/null
    rm "$NODUS_HOME/lts"
    run --separate-stderr nodus prune
    [ "$status" -eq 1 ]
    [[ $stderr == *"nodus does not know the LTS lines yet"*"nothing was removed"* ]]
    assert_versions_same
    # An alias pointing at a missing alias.
    rm "$NODUS_HOME/default"
    mkdir -p "$NODUS_HOME/aliases"
    echo gone >"$NODUS_HOME/aliases/broken"
    run --separate-stderr nodus prune
    [ "$status" -eq 8 ]
    [[ $stderr == *"alias broken"* ]]
    assert_versions_same
    run --separate-stderr nodus prune extra
    [ "$status" -eq 2 ]
    run --separate-stderr nodus prune --force
    [ "$status" -eq 2 ]
}

@test "prune with lts/* and known LTS lines keeps the newest LTS" {
    nodus default 'lts/*' 2>/dev/null
    run --separate-stderr nodus prune
    [ "$status" -eq 0 ]
    [ "$(installed)" = "v22.11.0 " ]
}

@test "uninstall still works through the shared removal" {
    run --separate-stderr nodus uninstall 22.10.0
    [ "$status" -eq 0 ]
    [ ! -e "$NODUS_HOME/versions/v22.10.0" ]
    [ "$stderr" = "uninstalled node v22.10.0" ]
    assert_no_staging
}
