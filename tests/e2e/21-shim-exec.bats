#!/usr/bin/env bats
# How the shim runs things: every way of reaching it (symlink, hard link, a
# chain of symlinks), argv, exit status and signals passed through, the
# child's PATH, 126/127, the recursion guard, and global npm packages
# getting (and losing) their own shims.  Installed: v22.11.0, v20.18.0.

bats_require_minimum_version 1.5.0

load ../lib/common
load ../lib/shims

setup_file() {
    setup_mirror && make_home_template 22.11.0 20.18.0
}

teardown_file() {
    teardown_mirror
}

setup() {
    home_from_template
    shims_first
    printf '20\n' >.nvmrc
    V20=$NODUS_HOME/versions/v20.18.0
}

# A program that shows how it was called: argc, each argument bracketed,
# then exits with $ARGDUMP_EXIT (or kills itself with $ARGDUMP_SIGNAL).
ARGDUMP='#!/bin/sh
printf "argc=%s\n" "$#"
for a in "$@"; do printf "[%s]\n" "$a"; done
if [ -n "${ARGDUMP_SIGNAL-}" ]; then kill -s "$ARGDUMP_SIGNAL" $$; fi
exit "${ARGDUMP_EXIT:-0}"'

@test "a shim reached through a symlink elsewhere works" {
    mkdir -p elsewhere
    ln -s "$SHIMS/node" elsewhere/node
    run --separate-stderr elsewhere/node --version
    [ "$status" -eq 0 ]
    [ "$output" = v20.18.0 ]
    # Straight to the binary, under the name node.
    ln -s "$NODUS_BUILD/nodus-shim" elsewhere/npx
    run --separate-stderr elsewhere/npx --version
    [ "$status" -eq 0 ]
    [ -n "$output" ]
}

@test "a shim reached through a chain of symlinks works" {
    mkdir -p c1 c2 c3
    ln -s "$SHIMS/node" c3/node
    ln -s ../c3/node c2/node
    ln -s "$PWD/c2/node" c1/node
    run --separate-stderr c1/node --version
    [ "$status" -eq 0 ]
    [ "$output" = v20.18.0 ]
    # and on PATH, ahead of the shims.
    PATH=$PWD/c1:$PATH run --separate-stderr node --version
    [ "$status" -eq 0 ]
    [ "$output" = v20.18.0 ]
}

@test "hard-linked shims work, in the shims directory and elsewhere" {
    # A hard link needs the same filesystem: link a private copy.
    mkdir -p hl
    cp "$NODUS_BUILD/nodus-shim" hl/nodus-shim
    ln hl/nodus-shim hl/node
    ln hl/nodus-shim hl/npm
    [ "$(stat -c %h hl/nodus-shim)" -eq 3 ]
    run --separate-stderr hl/node --version
    [ "$status" -eq 0 ]
    [ "$output" = v20.18.0 ]
    run --separate-stderr hl/npm prefix -g
    [ "$status" -eq 0 ]
    [ "$output" = "$V20" ]
    # Replace the node symlink in shims/ with a hard link.
    cp "$NODUS_BUILD/nodus-shim" "$NODUS_HOME/shim-binary"
    rm "$SHIMS/node"
    ln "$NODUS_HOME/shim-binary" "$SHIMS/node"
    [ ! -L "$SHIMS/node" ]
    run --separate-stderr node --version
    [ "$status" -eq 0 ]
    [ "$output" = v20.18.0 ]
    run --separate-stderr node -p process.env.PATH
    [ "${output%%:*}" = "$SHIMS" ]
}

@test "arguments are passed through unchanged" {
    custom_bin v20.18.0 argdump "$ARGDUMP"
    [ -L "$SHIMS/argdump" ]
    run --separate-stderr argdump "two words" "" '*' "it's" 'a"b' '$HOME' --version -- $'new\nline'
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' 'argc=9' '[two words]' '[]' '[*]' "[it's]" '[a"b]' '[$HOME]' '[--version]' '[--]' '[new' 'line]')" ]
    run --separate-stderr argdump
    [ "$output" = argc=0 ]
    # The fake node sees its arguments too.
    run --separate-stderr node some-script.js --flag "x y"
    [ "$output" = "node v20.18.0 some-script.js --flag x y" ]
}

@test "the exit status is passed through" {
    custom_bin v20.18.0 argdump "$ARGDUMP"
    local code
    for code in 0 1 3 42 125 126 127 255; do
        ARGDUMP_EXIT=$code run "-$code" --separate-stderr argdump
        [ -z "$stderr" ]
    done
    run --separate-stderr node -e 'process.exit(9)'
    [ "$status" -eq 9 ]
}

@test "a signal that kills the child is passed through (exec, not spawn)" {
    custom_bin v20.18.0 argdump "$ARGDUMP"
    ARGDUMP_SIGNAL=TERM run --separate-stderr argdump
    [ "$status" -eq 143 ]
    ARGDUMP_SIGNAL=KILL run --separate-stderr argdump
    [ "$status" -eq 137 ]
    # The program runs as the shim's own process.
    custom_bin v20.18.0 showpid '#!/bin/sh
echo $$'
    run --separate-stderr bash -c 'showpid & echo $!; wait'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "${lines[1]}" ]
}

@test "the child's PATH: the shims, then the version's bin, then the rest" {
    local rest=$NODUS_BUILD:/usr/local/bin:/usr/bin:/bin
    PATH=$SHIMS:$rest run --separate-stderr node -p process.env.PATH
    [ "$status" -eq 0 ]
    [ "$output" = "$SHIMS:$V20/bin:$rest" ]
    # Already on PATH: moved to the front, not repeated.
    PATH=/usr/bin:$SHIMS:$V20/bin:/bin run --separate-stderr "$SHIMS/node" -p process.env.PATH
    [ "$output" = "$SHIMS:$V20/bin:/usr/bin:/bin" ]
    # Written with a trailing slash, the shims directory is still seen.
    PATH=$SHIMS/:/usr/bin:/bin run --separate-stderr node -p process.env.PATH
    [ "$output" = "$SHIMS:$V20/bin:/usr/bin:/bin" ]
    # Shims not on PATH (called by path): the version's bin first.
    PATH=/usr/bin:/bin run --separate-stderr "$SHIMS/node" -p process.env.PATH
    [ "$output" = "$V20/bin:/usr/bin:/bin" ]
    # Everything else in the environment is passed through.
    NODUS_TEST_MARK='a b' run --separate-stderr node -p process.env.NODUS_TEST_MARK
    [ "$output" = "a b" ]
}

@test "a command the chosen version lacks: names it and the version, 127" {
    custom_bin v20.18.0 argdump "$ARGDUMP"
    project v22 .nvmrc '22\n'
    run -127 --separate-stderr bash -c 'cd v22 && argdump'
    [ -z "$output" ]
    [ "$stderr" = "nodus: argdump is not part of node v22.11.0 (chosen by $PWD/v22/.nvmrc), and there is no other argdump on PATH; installed versions that have it: v20.18.0; install it, or choose another version" ]
}

@test "a command that cannot be executed: 126" {
    printf 'not a program\n' >"$V20/bin/noexec"
    chmod 644 "$V20/bin/noexec"
    nodus reshim
    [ -L "$SHIMS/noexec" ]
    run --separate-stderr noexec
    [ "$status" -eq 126 ]
    [[ $stderr == "nodus: cannot run $V20/bin/noexec: Permission denied" ]]
}

@test "the shim never runs itself: a version whose bin holds a shim" {
    ln -s "$NODUS_BUILD/nodus-shim" "$V20/bin/loopy"
    nodus reshim
    run --separate-stderr loopy
    [ "$status" -eq 126 ]
    [[ $stderr == "nodus: loopy in node v20.18.0 is a nodus shim itself"* ]]
    # The same when it is the node binary itself.
    rm "$V20/bin/node"
    ln -s "$SHIMS/node" "$V20/bin/node"
    run --separate-stderr timeout 10 node --version
    [ "$status" -eq 126 ]
    [[ $stderr == *"is a nodus shim itself"* ]]
}

@test "nodus-shim run under its own name explains itself, exit 2" {
    run --separate-stderr "$NODUS_BUILD/nodus-shim" --version
    [ "$status" -eq 2 ]
    [[ $stderr == "nodus: nodus-shim runs as a shim"* ]]
}

@test "reshim: one shim per bin entry of every version; stale ones go, others stay" {
    custom_bin v22.11.0 only22 "$ARGDUMP"
    custom_bin v20.18.0 only20 "$ARGDUMP"
    [ -L "$SHIMS/only22" ]
    [ -L "$SHIMS/only20" ]
    printf '#!/bin/sh\necho mine\n' >"$SHIMS/users-own"
    chmod 755 "$SHIMS/users-own"
    rm "$NODUS_HOME/versions/v22.11.0/bin/only22"
    run nodus reshim
    [ "$status" -eq 0 ]
    [ ! -e "$SHIMS/only22" ] && [ ! -L "$SHIMS/only22" ]
    [ -L "$SHIMS/only20" ]
    [ "$(users-own)" = mine ]
    # The four core shims stay even if no version has the command.
    [ -L "$SHIMS/corepack" ]
}

@test "npm install -g of a local package: its binary gets a shim; uninstall -g removes it" {
    mkdir -p pkg/bin
    printf '%s\n' '{"name": "hello-nodus", "version": "1.2.3", "bin": {"hello-nodus": "bin/hello.js"}}' >pkg/package.json
    printf '#!/usr/bin/env node\n' >pkg/bin/hello.js
    [ ! -e "$SHIMS/hello-nodus" ]
    run --separate-stderr npm install -g ./pkg
    [ "$status" -eq 0 ]
    [ "$output" = "added 1 package in 10ms" ]
    [ -e "$V20/lib/node_modules/hello-nodus/package.json" ]
    [ -L "$SHIMS/hello-nodus" ]
    [ "$(readlink -f "$SHIMS/hello-nodus")" = "$(readlink -f "$NODUS_BUILD/nodus-shim")" ]
    # It runs through the new shim, under node 20 (its #! finds node on the
    # PATH the shim set up).
    hash -r
    run --separate-stderr hello-nodus one "two three"
    [ "$status" -eq 0 ]
    [ "$output" = "node v20.18.0 $V20/bin/hello-nodus one two three" ]
    run --separate-stderr nodus which hello-nodus
    [ "$output" = "$V20/bin/hello-nodus" ]
    # Where node 22 is chosen, the package is not installed.
    project v22 .nvmrc '22\n'
    run -127 --separate-stderr bash -c 'cd v22 && hello-nodus'
    [[ $stderr == *"hello-nodus is not part of node v22.11.0"* ]]
    # Uninstall: the shim goes.
    run --separate-stderr npm uninstall -g hello-nodus
    [ "$status" -eq 0 ]
    [ "$output" = "removed 1 package in 10ms" ]
    [ ! -e "$SHIMS/hello-nodus" ] && [ ! -L "$SHIMS/hello-nodus" ]
    hash -r
    run -127 hello-nodus
    for c in node npm npx corepack; do [ -L "$SHIMS/$c" ]; done
}

@test "nodus exec 20 -- npm install -g: npm runs through its shim, so the package's binary gets a shim" {
    mkdir -p pkg
    printf '%s\n' '{"name": "exec-tool", "bin": {"exec-tool": "run.sh"}}' >pkg/package.json
    printf '#!/bin/sh\necho exec tool ok\n' >pkg/run.sh
    project v22 .nvmrc '22\n'
    # From a directory that asks for 22: exec's version wins for the child.
    run --separate-stderr bash -c 'cd v22 && nodus exec 20 -- npm install -g ../pkg'
    [ "$status" -eq 0 ]
    [ -e "$V20/lib/node_modules/exec-tool/package.json" ]
    [ -L "$SHIMS/exec-tool" ]
    # The child's PATH: the shims, then node 20's bin/.
    run --separate-stderr nodus exec 20 -- sh -c 'echo "$PATH"'
    [[ $output == "$SHIMS:$V20/bin:"* ]]
}

@test "installed layout (bin/nodus, libexec/nodus/nodus-shim): shims and npm -g reshim work" {
    local prefix=$BATS_TEST_TMPDIR/prefix
    mkdir -p "$prefix/bin" "$prefix/libexec/nodus"
    cp "$NODUS_BUILD/nodus" "$prefix/bin/nodus"
    cp "$NODUS_BUILD/nodus-shim" "$NODUS_BUILD/nodus-core" "$prefix/libexec/nodus/"
    export PATH=$SHIMS:$prefix/bin:$PATH
    run --separate-stderr "$prefix/bin/nodus" reshim
    [ "$status" -eq 0 ]
    [ "$(readlink "$SHIMS/node")" = "$prefix/libexec/nodus/nodus-shim" ]
    run --separate-stderr node --version
    [ "$output" = v20.18.0 ]
    mkdir -p pkg
    printf '%s\n' '{"name": "layout-tool", "bin": {"layout-tool": "run.sh"}}' >pkg/package.json
    printf '#!/bin/sh\necho layout ok\n' >pkg/run.sh
    run --separate-stderr npm install -g ./pkg
    [ "$status" -eq 0 ]
    [[ $stderr != *"could not find the nodus program"* ]]
    [ "$(readlink "$SHIMS/layout-tool")" = "$prefix/libexec/nodus/nodus-shim" ]
    run --separate-stderr layout-tool
    [ "$output" = "layout ok" ]
}

@test "only a global npm change runs reshim: other npm calls are exec'd directly" {
    # A bin entry that appeared behind nodus's back.
    printf '#!/bin/sh\necho sneaky\n' >"$V20/bin/sneaky"
    chmod 755 "$V20/bin/sneaky"
    printf '%s\n' '{"name": "p", "scripts": {"test": "echo testing"}}' >package.json
    run --separate-stderr npm test
    [ "$status" -eq 0 ]
    [ "$output" = testing ]
    run --separate-stderr npm --version
    [ "$status" -eq 0 ]
    [ ! -e "$SHIMS/sneaky" ]
    # A failing global install: npm's status comes back, and the shims are
    # refreshed all the same.
    run --separate-stderr npm install -g ./does-not-exist
    [ "$status" -eq 1 ]
    [[ $stderr == "npm error "* ]]
    [ -L "$SHIMS/sneaky" ]
}
