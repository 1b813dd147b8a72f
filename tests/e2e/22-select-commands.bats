#!/usr/bin/env bats
# The commands around version selection: current, which, exec, pin, and
# use through the shell integration of `nodus init` (bash, zsh, fish).
# Installed: v22.11.0, v20.18.0, v18.20.4; the mirror also has v23.x.

bats_require_minimum_version 1.5.0

load ../lib/common
load ../lib/shims

setup_file() {
    setup_mirror && make_home_template 22.11.0 20.18.0 18.20.4
}

teardown_file() {
    teardown_mirror
}

setup() {
    home_from_template
}

# json_get FILE KEY: print a top-level value of the JSON in FILE
# ("None" for null, "True"/"False" for booleans).
json_get() {
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

@test "current: the version on stdout, what chose it on stderr" {
    project p .nvmrc '# iron\n20\n'
    cd p
    run --separate-stderr nodus current
    [ "$status" -eq 0 ]
    [ "$output" = v20.18.0 ]
    [ "$stderr" = "chosen by $PWD/.nvmrc (asks for 20)" ]
    mkdir -p a/b/c && cd a/b/c
    run --separate-stderr nodus current
    [ "$output" = v20.18.0 ]
    [[ $stderr == *"/p/.nvmrc"* ]]
}

@test "current names package.json's field, NODUS_VERSION and the default" {
    project p package.json '{"engines": {"node": ">=18 <19"}}'
    run --separate-stderr bash -c 'cd p && nodus current'
    [ "$status" -eq 0 ]
    [ "$output" = v18.20.4 ]
    [ "$stderr" = "chosen by $PWD/p/package.json, engines.node (asks for >=18 <19)" ]
    NODUS_VERSION=22 run --separate-stderr nodus current
    [ "$output" = v22.11.0 ]
    [ "$stderr" = "chosen by NODUS_VERSION (asks for 22)" ]
    nodus default 20 2>/dev/null
    run --separate-stderr nodus current
    [ "$output" = v20.18.0 ]
    [ "$stderr" = "chosen by the default, $NODUS_HOME/default (asks for 20)" ]
}

@test "current --json parses, with the version and where it came from" {
    project p .tool-versions 'nodejs 21.7.3 18.20.4\n'
    cd p
    nodus current --json >out.json
    [ "$(json_get out.json version)" = v18.20.4 ]
    [ "$(json_get out.json spec)" = 18.20.4 ]
    [ "$(json_get out.json source)" = file ]
    [ "$(json_get out.json origin)" = "$PWD/.tool-versions" ]
    [ "$(json_get out.json installed)" = True ]
    printf '{"devEngines": {"runtime": {"name": "node", "version": "^22"}}}' >package.json
    rm .tool-versions
    nodus current --json >out.json
    [ "$(json_get out.json version)" = v22.11.0 ]
    [ "$(json_get out.json field)" = devEngines.runtime ]
}

@test "current when the version is missing, or nothing is chosen: exit 7" {
    project p .nvmrc '19\n'
    run --separate-stderr bash -c 'cd p && nodus current'
    [ "$status" -eq 7 ]
    [ -z "$output" ]
    [ "$stderr" = "nodus: node 19 is not installed (asked for by $PWD/p/.nvmrc); run 'nodus install'" ]
    run --separate-stderr bash -c 'cd p && nodus current --json'
    [ "$status" -eq 7 ]
    printf '%s\n' "$output" >out.json
    [ "$(json_get out.json version)" = None ]
    [ "$(json_get out.json installed)" = False ]
    [[ $(json_get out.json error) == *"node 19 is not installed"* ]]
    run --separate-stderr nodus current
    [ "$status" -eq 7 ]
    [[ $stderr == "nodus: no version is selected here"* ]]
}

@test "current and the shim agree, also after a malformed file" {
    project top .node-version '18\n'
    project top/app package.json '{"engines": '
    cd top/app
    run --separate-stderr nodus current
    [ "$status" -eq 0 ]
    [ "$output" = v18.20.4 ]
    [[ $stderr == *"nodus: warning: ignoring $PWD/package.json"* ]]
    run --separate-stderr "$SHIMS/node" --version
    [ "$output" = v18.20.4 ]
}

@test "which: the real path the shim would run" {
    project p .nvmrc '20\n'
    cd p
    run --separate-stderr nodus which npm
    [ "$status" -eq 0 ]
    [ "$output" = "$NODUS_HOME/versions/v20.18.0/bin/npm" ]
    [ -x "$output" ]
    run --separate-stderr nodus which
    [ "$output" = "$NODUS_HOME/versions/v20.18.0/bin/node" ]
    run --separate-stderr nodus which corepack --json
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" >out.json
    [ "$(json_get out.json path)" = "$NODUS_HOME/versions/v20.18.0/bin/corepack" ]
    [ "$(json_get out.json version)" = v20.18.0 ]
    [ "$(json_get out.json command)" = corepack ]
    NODUS_VERSION=18 run --separate-stderr nodus which npx
    [ "$output" = "$NODUS_HOME/versions/v18.20.4/bin/npx" ]
    run --separate-stderr nodus which no-such-tool
    [ "$status" -ne 0 ]
    [[ $stderr == *"no-such-tool is not part of node v20.18.0"* ]]
}

@test "which with system: the node on PATH outside the shims" {
    mkdir -p sysbin
    printf '#!/bin/sh\necho system\n' >sysbin/node
    chmod 755 sysbin/node
    export PATH=$SHIMS:$PWD/sysbin:$PATH
    NODUS_VERSION=system run --separate-stderr nodus which node
    [ "$status" -eq 0 ]
    [ "$output" = "$PWD/sysbin/node" ]
}

@test "exec without --: nodus's global options after COMMAND belong to the command" {
    run --separate-stderr nodus exec 20 sh -c 'echo "$*"' x --json --quiet --offline
    [ "$status" -eq 0 ]
    [ "$output" = "--json --quiet --offline" ]
    # Before COMMAND they are nodus's own.
    run --separate-stderr nodus --quiet exec 20 node --version
    [ "$output" = v20.18.0 ]
}

@test "exec SPEC -- CMD: runs one command under that version" {
    project p .nvmrc '18\n'
    cd p
    run --separate-stderr nodus exec 20 -- node --version
    [ "$status" -eq 0 ]
    [ "$output" = v20.18.0 ]
    # Without "--" too; the exit status comes back.
    run --separate-stderr nodus exec 22 node -e 'process.exit(5)'
    [ "$status" -eq 5 ]
    # Shims inside the command agree with it (NODUS_VERSION is set).
    run --separate-stderr env PATH="$SHIMS:$PATH" nodus exec 22 -- sh -c 'echo "$NODUS_VERSION"; node --version; npm prefix -g'
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' v22.11.0 v22.11.0 "$NODUS_HOME/versions/v22.11.0")" ]
    # The version file is untouched and still rules outside.
    run --separate-stderr "$SHIMS/node" --version
    [ "$output" = v18.20.4 ]
}

@test "exec of a missing version: exit 7 and the way out" {
    run --separate-stderr nodus exec 23 -- node --version
    [ "$status" -eq 7 ]
    [ -z "$output" ]
    [[ $stderr == *"node 23 is not installed"*"nodus exec --install 23"* ]]
    [ ! -e "$NODUS_HOME/versions/v23.1.0" ]
    run -127 --separate-stderr nodus exec 20 -- no-such-command-here
    [[ $stderr == *"cannot run no-such-command-here"* ]]
}

@test "exec --install installs a missing version first" {
    run --separate-stderr nodus exec --install 23 -- node --version
    [ "$status" -eq 0 ]
    [ "$output" = v23.1.0 ]
    [ -x "$NODUS_HOME/versions/v23.1.0/bin/node" ]
    [ "$(requests_matching "^GET /v23.1.0/$(tarball_name v23.1.0 tar.xz) 200 ")" -eq 1 ] ||
        [ "$(requests_matching "^GET /v23.1.0/$(tarball_name v23.1.0 tar.gz) 200 ")" -eq 1 ]
    # Its shims are there, and a second run downloads nothing.
    [ -L "$SHIMS/node" ]
    reset_log
    run --separate-stderr nodus exec --install 23 -- node --version
    [ "$output" = v23.1.0 ]
    [ "$(requests_matching '\.tar\.')" -eq 0 ]
}

@test "pin: writes .node-version in a directory without a version file" {
    mkdir proj && cd proj
    run --separate-stderr nodus pin 20
    [ "$status" -eq 0 ]
    [ "$(cat .node-version)" = 20 ]
    [ ! -e .nvmrc ]
    run --separate-stderr "$SHIMS/node" --version
    [ "$output" = v20.18.0 ]
    nodus pin 18.20.4 2>/dev/null
    [ "$(cat .node-version)" = 18.20.4 ]
    [ "$(find . -mindepth 1 | wc -l)" -eq 1 ]
}

@test "pin: updates an existing .nvmrc, keeping its comments and other lines" {
    mkdir proj && cd proj
    printf '# this project runs on hydrogen\nnode_options=--max-old-space-size=4096\n18\n\n# see CONTRIBUTING\n' >.nvmrc
    run --separate-stderr nodus pin 20
    [ "$status" -eq 0 ]
    [[ $stderr == *".nvmrc"* ]]
    [ ! -e .node-version ]
    [ "$(cat .nvmrc)" = "$(printf '# this project runs on hydrogen\nnode_options=--max-old-space-size=4096\n20\n\n# see CONTRIBUTING')" ]
    run --separate-stderr "$SHIMS/node" --version
    [ "$output" = v20.18.0 ]
    # A CRLF file stays CRLF (no mixed line endings after a pin).
    printf '\xEF\xBB\xBF# c\r\n22\r\n' >.nvmrc
    nodus pin 18 2>/dev/null
    run --separate-stderr "$SHIMS/node" --version
    [ "$output" = v18.20.4 ]
    [ "$(sed 's/^\xEF\xBB\xBF//' .nvmrc | od -An -c | tr -d ' \n')" = '#c\r\n18\r\n' ]
}

@test "pin: updates the nodejs line of .tool-versions" {
    mkdir proj && cd proj
    printf 'python 3.12.1\nnodejs 18.20.4\nruby 3.3.0\n' >.tool-versions
    nodus pin 22 2>/dev/null
    [ "$(cat .tool-versions)" = "$(printf 'python 3.12.1\nnodejs 22\nruby 3.3.0')" ]
    run --separate-stderr "$SHIMS/node" --version
    [ "$output" = v22.11.0 ]
}

@test "pin: with both a node and a nodejs line, edits the nodejs line (the one that is read)" {
    mkdir proj && cd proj
    printf 'node 18.20.4\n# the real one:\nnodejs 20.18.0\n' >.tool-versions
    nodus pin 22 2>/dev/null
    [ "$(cat .tool-versions)" = "$(printf 'node 18.20.4\n# the real one:\nnodejs 22')" ]
    run --separate-stderr "$SHIMS/node" --version
    [ "$output" = v22.11.0 ]
}

@test "use in bash through init: this shell only" {
    project p .nvmrc '20\n'
    cd p
    run --separate-stderr bash --norc --noprofile -c '
        eval "$(nodus init bash)" || exit 90
        [ "$(command -v node)" = "$NODUS_HOME/shims/node" ] || exit 91
        node --version
        nodus use 18 || exit 92
        node --version
        echo "NODUS_VERSION=$NODUS_VERSION"
        bash -c "node --version"
        nodus use 19; echo "status=$?"
        node --version
        nodus use || exit 93
        node --version'
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' v20.18.0 v18.20.4 NODUS_VERSION=v18.20.4 v18.20.4 status=7 v18.20.4 v20.18.0)" ]
    [[ $stderr == *"now using node v18.20.4 in this shell"* ]]
    [[ $stderr == *"node 19 is not installed"* ]]
    # Another shell, started afresh, still follows the .nvmrc.
    run --separate-stderr bash --norc --noprofile -c 'eval "$(nodus init bash)"; node --version'
    [ "$output" = v20.18.0 ]
}

@test "init bash twice does not put the shims on PATH twice" {
    run --separate-stderr bash --norc --noprofile -c '
        eval "$(nodus init bash)"; eval "$(nodus init bash)"
        printf "%s\n" "$PATH" | tr : "\n" | grep -cx "$NODUS_HOME/shims"'
    [ "$status" -eq 0 ]
    [ "$output" = 1 ]
}

@test "use in zsh through init" {
    command -v zsh >/dev/null || skip "zsh is not installed"
    project p .nvmrc '20\n'
    cd p
    run --separate-stderr zsh -f -c '
        eval "$(nodus init zsh)" || exit 90
        node --version
        nodus use 22 || exit 92
        node --version
        zsh -f -c "node --version"
        nodus use
        node --version'
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' v20.18.0 v22.11.0 v22.11.0 v20.18.0)" ]
}

@test "use in fish through init" {
    command -v fish >/dev/null || skip "fish is not installed"
    project p .nvmrc '20\n'
    cd p
    run --separate-stderr fish --no-config -c '
        nodus init fish | source; or exit 90
        node --version
        nodus use 18; or exit 92
        node --version
        echo "NODUS_VERSION=$NODUS_VERSION"
        nodus use 19; echo "status=$status"
        nodus use
        node --version'
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' v20.18.0 v18.20.4 NODUS_VERSION=v18.20.4 status=7 v20.18.0)" ]
}

@test "use without the shell function explains what to add, exit 2" {
    run --separate-stderr nodus use 20
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [[ $stderr == *'eval "$(nodus init bash)"'* ]]
    [[ $stderr == *"nodus init fish | source"* ]]
    [[ $stderr == *"nodus exec"* ]]
}
