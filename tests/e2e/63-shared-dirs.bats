#!/usr/bin/env bats
# Shared, read-only versions directories (NODUS_SHARED_DIRS, shared_dirs):
# read beside the user's own versions, after them, never written; a
# directory others could write is not used.

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror
    # What root would have installed into /opt/nodus: v20.18.0 and v18.20.4.
    local h=$BATS_FILE_TMPDIR/builder
    mkdir -p "$h"
    (
        export HOME=$h NODUS_HOME=$h/nodus XDG_CACHE_HOME=$h/cache XDG_CONFIG_HOME=$h/config \
            NODUS_MIRROR=$MIRROR_URL NODUS_ALLOW_UNSIGNED=1 NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
        unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy NODUS_SHARED_DIRS
        "$NODUS_BUILD/nodus" install -q 20.18.0 18.20.4
    )
    SHARED_TEMPLATE=$h/nodus/versions
    export SHARED_TEMPLATE
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    SHARED=$BATS_TEST_TMPDIR/opt/nodus
    mkdir -p "$(dirname "$SHARED")"
    cp -pR "$SHARED_TEMPLATE" "$SHARED"
    chmod 755 "$SHARED" "$(dirname "$SHARED")"
    export NODUS_SHARED_DIRS=$BATS_TEST_TMPDIR/missing:relative/dir:$SHARED
    nodus reshim 2>/dev/null
}

# tree_state: every path under $SHARED with its mode and size.
tree_state() {
    (cd "$SHARED" && find . -printf '%p %m %s %T@\n' | LC_ALL=C sort)
}

@test "a shared version is listed as shared and used by current, which, exec and the shim" {
    nodus install -q 22.11.0
    run --separate-stderr nodus ls
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == *v22.11.0* ]] && [[ ${lines[0]} != *shared* ]]
    [[ ${lines[1]} == *v20.18.0*"shared ($SHARED)" ]]
    [[ ${lines[2]} == *v18.20.4*"shared ($SHARED)" ]]
    run -0 nodus ls --json
    [ "$(printf '%s' "$output" | python3 -c 'import json,sys; print([r.get("shared","") for r in json.load(sys.stdin)])')" = "['', '$SHARED', '$SHARED']" ]
    echo 20 >.nvmrc
    run --separate-stderr nodus current
    [ "$status" -eq 0 ]
    [ "$output" = v20.18.0 ]
    [[ $stderr == *"shared, read-only: $SHARED/v20.18.0"* ]]
    run -0 nodus which node
    [ "$output" = "$SHARED/v20.18.0/bin/node" ]
    run -0 "$NODUS_HOME/shims/node" --version
    [ "$output" = v20.18.0 ]
    run -0 nodus exec 18 -- node --version
    [ "$output" = v18.20.4 ]
}

@test "the user's own version wins over a shared one, and shared dirs are read only when needed" {
    echo 20 >.nvmrc
    nodus install -q 20.18.0
    run -0 nodus which node
    [ "$output" = "$NODUS_HOME/versions/v20.18.0/bin/node" ]
    run -0 "$NODUS_HOME/shims/node" --version
    [ "$output" = v20.18.0 ]
    # Satisfied by the user's versions: the shim does not look at shared dirs.
    if command -v strace >/dev/null; then
        strace -f -e trace=openat,open,stat,newfstatat,statx -o "$BATS_TEST_TMPDIR/trace" "$NODUS_HOME/shims/node" --version
        ! grep -q "$SHARED" "$BATS_TEST_TMPDIR/trace"
    fi
    # Not shown twice in ls.
    [ "$(nodus ls | grep -c v20.18.0)" -eq 1 ]
}

@test "uninstall refuses a shared version and changes nothing there" {
    local before
    before=$(tree_state)
    run --separate-stderr nodus uninstall 20.18.0
    [ "$status" -eq 2 ]
    [[ $stderr == "nodus: node v20.18.0 is a shared version ($SHARED/v20.18.0)"*"not this user's to remove"* ]]
    [ "$(tree_state)" = "$before" ]
    # Installing the same version puts it in the user's own NODUS_HOME.
    run -0 nodus install 20.18.0
    [ -x "$NODUS_HOME/versions/v20.18.0/bin/node" ]
    [ "$(tree_state)" = "$before" ]
    run --separate-stderr nodus uninstall 20.18.0
    [ "$status" -eq 0 ]
    [ "$(tree_state)" = "$before" ]
}

@test "a shared directory that group or others can write is not used, and ls says why" {
    chmod 775 "$SHARED"
    echo 20 >.nvmrc
    run --separate-stderr nodus ls
    [[ $stderr == *"not using the shared directory $SHARED: others can write it"* ]]
    [[ $output != *v20.18.0* ]]
    run --separate-stderr "$NODUS_HOME/shims/node" --version
    [ "$status" -ne 0 ]
    [[ $stderr == *"node 20 is not installed"* ]]
    chmod 757 "$SHARED"
    run --separate-stderr nodus which node
    [ "$status" -ne 0 ]
    if [ "$(id -u)" -eq 0 ]; then
        chmod 755 "$SHARED"
        chown 12345 "$SHARED"
        run --separate-stderr nodus ls
        [[ $stderr == *"$SHARED: it belongs to another user"* ]]
        run --separate-stderr nodus which node
        [ "$status" -ne 0 ]
    fi
}

@test "shared_dirs in config.yaml: the CLI and the shim agree; NODUS_SHARED_DIRS wins over it" {
    unset NODUS_SHARED_DIRS
    printf 'shared_dirs: %s\n' "$SHARED" >"$XDG_CONFIG_HOME/nodus/config.yaml" 2>/dev/null ||
        { mkdir -p "$XDG_CONFIG_HOME/nodus" && printf 'shared_dirs: %s\n' "$SHARED" >"$XDG_CONFIG_HOME/nodus/config.yaml"; }
    echo 18 >.nvmrc
    nodus reshim
    run -0 nodus which node
    [ "$output" = "$SHARED/v18.20.4/bin/node" ]
    run -0 "$NODUS_HOME/shims/node" --version
    [ "$output" = v18.20.4 ]
    run -0 nodus config get shared_dirs
    [ "$output" = "$SHARED" ]
    NODUS_SHARED_DIRS=$BATS_TEST_TMPDIR/elsewhere run --separate-stderr "$NODUS_HOME/shims/node" --version
    [ "$status" -ne 0 ]
    NODUS_SHARED_DIRS=$BATS_TEST_TMPDIR/elsewhere run --separate-stderr nodus which node
    [ "$status" -ne 0 ]
}

@test "a shared_dirs value too long to hold is refused by config set and in the file, never cut or dropped" {
    unset NODUS_SHARED_DIRS
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    local long
    long=$SHARED:$(printf '/x%.0s' $(seq 600)) # 1,200 bytes and more
    printf 'shared_dirs: %s\n' "$SHARED" >"$XDG_CONFIG_HOME/nodus/config.yaml"
    cp "$XDG_CONFIG_HOME/nodus/config.yaml" "$BATS_TEST_TMPDIR/before"
    run --separate-stderr nodus config set shared_dirs "$long"
    expect_error 2 "the value of 'shared_dirs' is [0-9]+ bytes long; at most 1023 are allowed"
    cmp "$XDG_CONFIG_HOME/nodus/config.yaml" "$BATS_TEST_TMPDIR/before"
    # Written by hand: each command that reads the setting says so, with
    # file, line and column, instead of running without the shared versions.
    printf 'shared_dirs: %s\n' "$long" >"$XDG_CONFIG_HOME/nodus/config.yaml"
    echo 18 >.nvmrc
    run --separate-stderr nodus which node
    [ "$status" -ne 0 ]
    [[ $stderr == *"config.yaml:1:"*"the value of 'shared_dirs' is"*"bytes long; at most 1023 are allowed"* ]]
    # The shim does not use what the CLI refuses: no shared v18 for it either.
    nodus reshim 2>/dev/null || true
    run --separate-stderr "$NODUS_HOME/shims/node" --version
    [ "$status" -ne 0 ]
    [[ $output != v18.20.4 ]]
}
