#!/usr/bin/env bats
# Hostile input from the local side (issue 9): a shim for a command only some
# versions have, files that are not files, a working directory deeper than
# PATH_MAX, empty and over-long specs, somebody else's NODUS_HOME,
# .tool-versions path:DIR, and an lts/* default that outlives its version.
# Every test builds the hostile input itself.  Installed: v22.11.0 (Jod),
# v20.18.0 (Iron), v18.20.4 (Hydrogen).

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
    shims_first
}

in_dir() {
    local dir=$1
    shift
    (cd "$dir" && "$@")
}

# ---- a command that only some versions have ----

@test "a shim whose command the version lacks runs the next one on PATH, with the caller's PATH" {
    custom_bin v20.18.0 tree '#!/bin/sh
echo "v20 tree $*"'
    mkdir -p sysbin
    printf '#!/bin/sh\necho "system tree $*"\necho "PATH=$PATH"\nexit 3\n' >sysbin/tree
    chmod 755 sysbin/tree
    export PATH=$PATH:$PWD/sysbin
    project v22 .nvmrc '22\n'
    project v20 .nvmrc '20\n'
    run -3 --separate-stderr in_dir v22 tree -a 'b c'
    [ "${lines[0]}" = "system tree -a b c" ]
    [ "${lines[1]}" = "PATH=$PATH" ] # as if the shim were not there
    [ -z "$stderr" ]
    run -0 --separate-stderr in_dir v20 tree x
    [ "$output" = "v20 tree x" ]
    # None on PATH: 127, and which versions have it.
    rm sysbin/tree
    run -127 --separate-stderr in_dir v22 tree
    [[ $stderr == *"tree is not part of node v22.11.0"*"no other tree on PATH"*"v20.18.0"* ]]
}

@test "two copies of nodus-shim stepping aside do not hand the call to each other for ever" {
    custom_bin v20.18.0 tree '#!/bin/sh
echo v20'
    mkdir -p copy1 copy2 sysbin
    cp "$NODUS_BUILD/nodus-shim" copy1/tree
    cp "$NODUS_BUILD/nodus-shim" copy2/tree
    printf '#!/bin/sh\necho system tree\n' >sysbin/tree
    chmod 755 sysbin/tree
    project v22 .nvmrc '22\n'
    export PATH=$PWD/copy1:$PWD/copy2:$PWD/sysbin:$PATH
    run -0 --separate-stderr in_dir v22 timeout 10 tree
    [ "$output" = "system tree" ]
    rm sysbin/tree
    run -127 --separate-stderr in_dir v22 timeout 10 tree
    [[ $stderr == *"tree is not part of node v22.11.0"* ]]
}

# ---- files that are not files ----

@test "a FIFO named .nvmrc: pin and the shim go on, with a warning" {
    mkfifo .nvmrc
    run -0 --separate-stderr timeout 10 nodus pin 20
    [[ $stderr == *"warning: ignoring .nvmrc: it is a FIFO, not a regular file"* ]]
    [ "$(cat .node-version)" = 20 ]
    rm .node-version
    nodus default 18
    run -0 --separate-stderr timeout 10 node --version
    [ "$output" = v18.20.4 ]
    [[ $stderr == *"ignoring $PWD/.nvmrc"*"FIFO"* ]]
}

@test "a FIFO at config.yaml hangs nothing, not even nodus version" {
    nodus default 20
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    mkfifo "$XDG_CONFIG_HOME/nodus/config.yaml"
    run -0 --separate-stderr timeout 10 nodus version
    [[ $stderr == *"config.yaml: cannot read: it is a FIFO, not a regular file"* ]]
    # A local command warns and goes on with the defaults (issue 8); one
    # that acts on the settings stops.
    run -0 --separate-stderr timeout 10 nodus current
    [ "$output" = v20.18.0 ]
    [[ $stderr == *"config.yaml: cannot read: it is a FIFO"* ]]
    run -8 --separate-stderr timeout 10 nodus ls-remote
    [[ $stderr == *"config.yaml: cannot read: it is a FIFO"* ]]
    run -0 --separate-stderr timeout 10 node --version
    [ "$output" = v20.18.0 ]
    [[ $stderr == *"ignoring $XDG_CONFIG_HOME/nodus/config.yaml: it is a FIFO"* ]]
    # A directory, a device and an oversize file at the same place.
    rm "$XDG_CONFIG_HOME/nodus/config.yaml"
    ln -s /dev/zero "$XDG_CONFIG_HOME/nodus/config.yaml"
    run -8 --separate-stderr timeout 10 nodus ls-remote
    [[ $stderr == *"it is a character device"* ]]
    rm "$XDG_CONFIG_HOME/nodus/config.yaml"
    head -c 2000000 /dev/zero | tr '\0' '#' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    run -8 --separate-stderr timeout 10 nodus ls-remote
    [[ $stderr == *"it is larger than 1048576 bytes"* ]]
}

@test "the default and an alias as a FIFO, a device, a directory or too big: a warning, never a hang" {
    local def=$NODUS_HOME/default
    for kind in fifo dev dir big; do
        rm -rf "$def"
        case $kind in
        fifo) mkfifo "$def" ;;
        dev) ln -s /dev/zero "$def" ;;
        dir) mkdir "$def" ;;
        big) head -c 5000 /dev/zero | tr '\0' ' ' >"$def" ;;
        esac
        run -7 --separate-stderr timeout 10 node --version
        [[ $stderr == *"warning: ignoring $def: "* ]]
        [[ $stderr == *"no node version is selected here"* ]]
    done
    nodus alias work 20
    rm "$NODUS_HOME/aliases/work" && mkfifo "$NODUS_HOME/aliases/work"
    run --separate-stderr timeout 10 nodus exec work -- node --version
    [ "$status" -ne 124 ] && [ "$status" -ne 0 ]
    [[ $stderr == *"ignoring $NODUS_HOME/aliases/work: it is a FIFO"* ]]
}

@test ".nodus-meta and the cached index as FIFOs hang neither ls nor ls-remote" {
    rm -f "$NODUS_HOME/versions/v20.18.0/.nodus-meta"
    mkfifo "$NODUS_HOME/versions/v20.18.0/.nodus-meta"
    run -0 --separate-stderr timeout 10 nodus ls
    [[ $output == *v20.18.0* ]]
    local ix
    ix=$(find "$XDG_CACHE_HOME/nodus" -name 'index.json' | head -1)
    [ -n "$ix" ]
    rm "$ix" && mkfifo "$ix"
    run --separate-stderr timeout 10 nodus ls-remote --offline
    [ "$status" -ne 124 ]
    [ "$status" -ne 0 ]
}

# ---- a working directory deeper than PATH_MAX ----

# deep N CMD...: make and enter N directories of 200 bytes' names one at a
# time (no path of them fits PATH_MAX), then run CMD there without PWD.
deep() {
    local n=$1
    shift
    python3 -c '
import os, sys
name = "d" * 200
for _ in range(int(sys.argv[1])):
    os.makedirs(name, exist_ok=True)
    os.chdir(name)
os.environ.pop("PWD", None)
os.execvp(sys.argv[2], sys.argv[2:])' "$n" "$@"
}

@test "a working directory deeper than PATH_MAX: its .node-version is found" {
    nodus default 22
    mkdir -p proj
    printf '18\n' >proj/.node-version
    cd proj
    run -0 --separate-stderr deep 25 node --version
    [ "$output" = v18.20.4 ]
    run -0 --separate-stderr deep 25 nodus current
    [ "$output" = v18.20.4 ]
    [[ $stderr == *"chosen by ../../"*"/.node-version"* ]]
    # Nothing above: the default, not a silent guess.
    rm .node-version
    run -0 --separate-stderr deep 25 node --version
    [ "$output" = v22.11.0 ]
}

# ---- empty and over-long specs ----

@test "an empty or blank spec or name is a usage error in every command" {
    nodus default 20
    local c
    for c in "uninstall" "default" "install" "pin" "ls" "ls-remote --offline" "alias work" "exec"; do
        for blank in "" "  "; do
            if [ "$c" = exec ]; then
                run -2 --separate-stderr nodus exec "$blank" -- node --version
            else
                # shellcheck disable=SC2086
                run -2 --separate-stderr nodus $c "$blank"
            fi
            [[ $stderr == "nodus: "* ]]
        done
    done
    run -2 --separate-stderr nodus use --shell bash ""
    run -2 --separate-stderr nodus alias "" 20
    run -2 --separate-stderr nodus unalias ""
    run -2 --separate-stderr nodus which ""
    # Nothing was removed and the default is what it was.
    [ -d "$NODUS_HOME/versions/v22.11.0" ] && [ -d "$NODUS_HOME/versions/v20.18.0" ] &&
        [ -d "$NODUS_HOME/versions/v18.20.4" ]
    [ "$(cat "$NODUS_HOME/default")" = 20 ]
}

@test "a spec longer than 255 bytes is refused, never cut, wherever it comes from" {
    # Cut at 255 bytes this would read '>=4.0.0' alone and pick v22.11.0.
    local long
    long=">=4.0.0$(printf '%300s' '') <4.9.2"
    run -2 --separate-stderr nodus exec "$long" -- node --version
    [[ $stderr == *"is 314 bytes long; at most 255"* ]]
    NODUS_VERSION=$long run -2 --separate-stderr node --version
    [[ $stderr == *"NODUS_VERSION is 314 bytes long"* ]]
    [ -z "$output" ]
    NODUS_VERSION=$long run -2 --separate-stderr nodus current
    run -2 --separate-stderr nodus default "$long"
    run -2 --separate-stderr nodus pin "$long"
    [ ! -e .node-version ]
    printf '%s\n' "$long" >.nvmrc
    nodus default 18
    run -0 --separate-stderr node --version
    [ "$output" = v18.20.4 ]
    [[ $stderr == *"ignoring $PWD/.nvmrc: the version is too long"* ]]
    printf '%s\n' "$long" >"$NODUS_HOME/default"
    rm .nvmrc
    run -7 --separate-stderr node --version
    [[ $stderr == *"ignoring $NODUS_HOME/default: its spec is longer than 255 bytes"* ]]
    # Settings: a cut mirror URL would be another URL.
    local url
    url="http://127.0.0.1:1/$(printf 'x%.0s' {1..2000})"
    NODUS_MIRROR=$url run -2 --separate-stderr nodus ls
    [[ $stderr == *"NODUS_MIRROR is 2019 bytes long; at most 1023"* ]]
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf 'mirror: %s\n' "$url" >"$XDG_CONFIG_HOME/nodus/config.yaml"
    run -8 --separate-stderr nodus ls-remote
    [[ $stderr == *"the value of 'mirror' is 2019 bytes long"* ]]
}

# ---- somebody else's NODUS_HOME ----

@test "a NODUS_HOME, versions/, shims/ or default of another user, or writable by others, is refused" {
    [ "$(id -u)" -eq 0 ] || skip "needs root to chown"
    nodus default 20
    local p
    for p in "$NODUS_HOME" "$NODUS_HOME/versions" "$NODUS_HOME/shims" "$NODUS_HOME/default"; do
        chown nobody "$p"
        run -1 --separate-stderr nodus ls
        [[ $stderr == "nodus: refusing to use $p: it belongs to user $(id -u nobody)"*"chown -R 0 $p"* ]]
        chown root "$p"
        chmod g+w "$p"
        run -1 --separate-stderr nodus current
        [[ $stderr == "nodus: refusing to use $p: it is writable by its group"*"chmod go-w $p"* ]]
        chmod go-w "$p"
    done
    run -0 nodus ls
    # doctor and help still run, to look at it; doctor names it.
    chmod o+w "$NODUS_HOME"
    run -0 --separate-stderr nodus help
    run --separate-stderr nodus doctor
    [ "$status" -ne 0 ]
    [[ $output$stderr == *"refusing to use $NODUS_HOME: it is writable by others"* ]]
    chmod o-w "$NODUS_HOME"
}

@test "a version planted by another user in a shared versions/ is not run by the shim" {
    [ "$(id -u)" -eq 0 ] || skip "needs root to chown"
    chmod 1777 "$NODUS_HOME/versions"
    local v=$NODUS_HOME/versions/v50.0.0
    mkdir -p "$v/bin"
    printf '#!/bin/sh\necho PLANTED\n' >"$v/bin/node"
    chmod 755 "$v/bin/node"
    chown -R nobody "$v"
    project p .nvmrc '50.0.0\n'
    run -1 --separate-stderr in_dir p node --version
    [[ $output != *PLANTED* ]]
    [[ $stderr == "nodus: refusing to use $v: it belongs to user $(id -u nobody)"* ]]
    # By a range, too.
    project q .nvmrc '>=50\n'
    run -1 --separate-stderr in_dir q node --version
    [[ $output != *PLANTED* ]]
    # And the CLI refuses the shared versions/ itself.
    run -1 --separate-stderr nodus ls
    [[ $stderr == *"refusing to use $NODUS_HOME/versions: it is writable by others"* ]]
}

# ---- .tool-versions path:DIR ----

@test ".tool-versions path:DIR runs DIR/bin/node; a relative, missing or foreign DIR does not" {
    mkdir -p mynode/bin
    printf '#!/bin/sh\necho "my node $*"\n' >mynode/bin/node
    chmod 755 mynode/bin/node
    project p .tool-versions "nodejs path:$PWD/mynode 20.18.0\n"
    run -0 --separate-stderr in_dir p node --version
    [ "$output" = "my node --version" ]
    run -0 --separate-stderr in_dir p nodus which
    [ "$output" = "$PWD/mynode/bin/node" ]
    run -0 --separate-stderr in_dir p nodus current
    [ "$output" = "path:$PWD/mynode" ]
    # No bin/node there: the next spec on the line.
    project q .tool-versions "nodejs path:$PWD/nothere 20.18.0\n"
    run -0 --separate-stderr in_dir q node --version
    [ "$output" = v20.18.0 ]
    # Relative: refused (it would run what a cloned repository brings).
    project r .tool-versions "nodejs path:mynode\n"
    run -8 --separate-stderr in_dir r node --version
    [[ $stderr == *"'path:mynode' is not an absolute directory"* ]]
    # Writable by others: refused like a loose NODUS_HOME.
    chmod o+w mynode/bin
    run -1 --separate-stderr in_dir p node --version
    [[ $stderr == *"refusing to use $PWD/mynode/bin: it is writable by others"* ]]
    [[ $output != *"my node"* ]]
}

# ---- lts/* as the default ----

@test "a default of lts/* follows the newest installed LTS, and uninstall says when it moves" {
    nodus default 'lts/*'
    run -0 --separate-stderr node --version
    [ "$output" = v22.11.0 ]
    run -0 --separate-stderr nodus uninstall 22.11.0
    [[ $stderr == *"uninstalled node v22.11.0"* ]]
    [[ $stderr == *"warning: that was the version the default (lts/*) resolved to; it now resolves to v20.18.0"* ]]
    run -0 --separate-stderr node --version
    [ "$output" = v20.18.0 ]
    # Removing something else says nothing about the default.
    run -0 --separate-stderr nodus uninstall 18.20.4
    [[ $stderr != *"default"* ]]
    run -0 --separate-stderr nodus uninstall 20.18.0
    [[ $stderr == *"no installed version matches it now"* ]]
}
