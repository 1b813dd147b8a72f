#!/usr/bin/env bats
# The shim built for another platform: the linux-arm64 shim under
# qemu-user (make check-arm64) or a musl shim (make check-musl-shim), run
# against versions that the native nodus installs from the test mirror.
#   NODUS_TESTS_CROSS_SHIM  the shim under test
#   NODUS_TESTS_CROSS_RUN   what runs it (e.g. "qemu-aarch64-static -L DIR");
#                           empty: the shim runs itself (musl, binfmt)
# The shim is started with argv[0] = the shim's name in $SHIMS, as the
# kernel would through a symlink, so that the version resolution, the
# directory walk (getdents64 there), the exec and the errors are the
# cross-built code's. Installed: v22.11.0, v20.18.0, v18.20.4.

bats_require_minimum_version 1.5.0

load ../lib/common
load ../lib/shims

setup_file() {
    [ -x "${NODUS_TESTS_CROSS_SHIM:?set NODUS_TESTS_CROSS_SHIM (make check-arm64 or check-musl-shim)}" ] || {
        echo "no shim at $NODUS_TESTS_CROSS_SHIM" >&2
        return 1
    }
    setup_mirror && make_home_template 22.11.0 20.18.0 18.20.4
}

teardown_file() {
    teardown_mirror
}

setup() {
    home_from_template
    shims_first
}

# xshim NAME ARG...: the shim under test, run as $SHIMS/NAME.
xshim() {
    local name=$1
    shift
    if [ -n "${NODUS_TESTS_CROSS_RUN:-}" ]; then
        # shellcheck disable=SC2086 # the runner is a command line
        $NODUS_TESTS_CROSS_RUN -0 "$SHIMS/$name" "$NODUS_TESTS_CROSS_SHIM" "$@"
    else
        (exec -a "$SHIMS/$name" "$NODUS_TESTS_CROSS_SHIM" "$@")
    fi
}

in_dir() {
    local dir=$1
    shift
    (cd "$dir" && "$@")
}

# node_in DIR EXPECTED: `node --version` through the shim under test.
node_in() {
    run --separate-stderr in_dir "$1" xshim node --version
    if [ "$status" -ne 0 ] || [ "$output" != "$2" ]; then
        echo "in $1: expected $2, got status $status, stdout '$output', stderr '$stderr'" >&2
        return 1
    fi
}

@test "the shim under test is not the native one" {
    [ "$(readlink -f "$NODUS_TESTS_CROSS_SHIM")" != "$(readlink -f "$NODUS_BUILD/nodus-shim")" ]
    run file -L "$NODUS_TESTS_CROSS_SHIM"
    [[ $output == *"statically linked"* ]]
    if [ -n "${NODUS_TESTS_CROSS_RUN:-}" ]; then
        [[ $output == *aarch64* ]]
    fi
}

@test "nothing selects a version: exit 7 and the advice" {
    run --separate-stderr xshim node --version
    [ "$status" -eq 7 ]
    [ -z "$output" ]
    [[ $stderr == "nodus: no node version is selected here;"* ]]
}

@test "each kind of version file, and the order within one directory" {
    project a .node-version '20\n'
    node_in a v20.18.0
    project b .nvmrc '# comment\r\nlts/*\r\n'
    project b/x .tool-versions 'python 3.12\nnodejs 18.20.4\n'
    node_in b/x v18.20.4
    project c package.json '{"engines": {"node": ">=19 <21"}}'
    node_in c v20.18.0
    project d package.json '{"engines": {"node": "18"}}'
    project d .nvmrc '22\n'
    node_in d v22.11.0
    project d .node-version '20\n'
    node_in d v20.18.0
}

@test "the nearest directory wins, from 10 levels deep" {
    local deep=root/1/2/3/4/5/6/7/8/9/10
    mkdir -p "$deep"
    project root .nvmrc '18\n'
    node_in "$deep" v18.20.4
    project root/1/2/3/4/5/6/7 .tool-versions 'python 3.12.1\n'
    project root/1/2/3/4 .node-version '20\n'
    node_in "$deep" v20.18.0
}

@test "a directory too large for one read is still searched" {
    mkdir -p big/sub
    local i
    for i in $(seq 1 600); do : >"big/file-with-a-rather-long-name-$i"; done
    project big .node-version '18\n'
    node_in big/sub v18.20.4
    node_in big v18.20.4
}

@test "NODUS_VERSION and the default" {
    project p .node-version '20\n'
    NODUS_VERSION=22 node_in p v22.11.0
    "$NODUS_BUILD/nodus" default 18 >/dev/null
    node_in . v18.20.4
    node_in p v20.18.0
}

@test "a version that is not installed: named, exit 7" {
    project p .node-version '21.7.3\n'
    run --separate-stderr in_dir p xshim node --version
    [ "$status" -eq 7 ]
    [[ $stderr == *21.7.3* ]]
    [[ $stderr == *p/.node-version* ]]
}

@test "npm runs the version's npm, with the shims then the version's bin on PATH" {
    project p .nvmrc '20\n'
    run --separate-stderr in_dir p xshim npm prefix -g
    [ "$status" -eq 0 ]
    [ "$output" = "$NODUS_HOME/versions/v20.18.0" ]
    run --separate-stderr in_dir p xshim node -p process.env.PATH
    [ "$status" -eq 0 ]
    [[ $output == "$SHIMS:$NODUS_HOME/versions/v20.18.0/bin:"* ]]
}

@test "a command the version lacks: exit 127" {
    project p .nvmrc '20\n'
    run -127 --separate-stderr in_dir p xshim no-such-tool
    [ "$status" -eq 127 ]
    [[ $stderr == *"no-such-tool is not part of node v20.18.0"* ]]
}

@test "system: the next node on PATH outside the shims" {
    mkdir -p sysbin
    printf '#!/bin/sh\necho "system node $*"\n' >sysbin/node
    chmod 755 sysbin/node
    export PATH=$SHIMS:$PWD/sysbin:$PATH
    NODUS_VERSION=system run --separate-stderr xshim node -e 1
    [ "$status" -eq 0 ]
    [ "$output" = "system node -e 1" ]
}

@test "run under its own name: explains itself, exit 2" {
    run --separate-stderr xshim nodus-shim --version
    [ "$status" -eq 2 ]
    [[ $stderr == "nodus: nodus-shim runs as a shim"* ]]
}
