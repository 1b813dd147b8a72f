#!/usr/bin/env bats
# The first hour of a newcomer (issue 8): the shell setup by absolute path
# and as a sourced file, zsh's compinit in either order, make check's tool
# check, default --unset, "did you mean", a bad config.yaml, and what is
# said about an unsigned mirror.

bats_require_minimum_version 1.5.0

load ../lib/common

setup_file() {
    setup_mirror
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    # A PATH without nodus: the shell function must not need it.
    SYSPATH=/usr/local/bin:/usr/bin:/bin
}

# ------------------------------------------------------------ init

@test "init: the function runs nodus by its absolute path (bash, zsh, fish), with nodus not on PATH" {
    run -0 --separate-stderr env PATH="$SYSPATH" bash --norc --noprofile -c \
        "eval \"\$('$NODUS_BUILD/nodus' init bash)\"; command -v nodus; nodus version"
    [ "${lines[0]}" = nodus ] # the function, not a file
    [ "${lines[1]}" = "nodus $("$NODUS_BUILD/nodus" version | cut -d' ' -f2)" ]
    if command -v zsh >/dev/null; then
        run -0 env PATH="$SYSPATH" zsh -f -c "eval \"\$('$NODUS_BUILD/nodus' init zsh)\"; nodus version"
        [[ $output == "nodus "* ]]
    fi
    if command -v fish >/dev/null; then
        run -0 env PATH="$SYSPATH" fish --no-config -c "'$NODUS_BUILD/nodus' init fish | source; nodus version"
        [[ $output == "nodus "* ]]
    fi
    # The path printed is the binary's own, resolved.
    run -0 nodus init bash
    [[ $output == *"'$(cd "$NODUS_BUILD" && pwd -P)/nodus' \"\$@\""* ]]
}

@test "init: the code is kept in \$NODUS_HOME/init.SHELL; sourcing it starts no process" {
    for sh in bash zsh fish; do
        run -0 nodus init "$sh"
        [ -f "$NODUS_HOME/init.$sh" ]
    done
    [ ! -e "$NODUS_HOME/init.sh" ] || false
    # The file holds what eval would run (behind the freshness check).
    local body
    body=$(nodus init bash | sed 1d)
    grep -qF -- "$body" "$NODUS_HOME/init.bash"
    # Sourced with nodus off PATH: the function, the shims first, use works.
    mkdir -p "$NODUS_HOME/versions/v20.1.0/bin"
    printf '#!/bin/sh\necho v20.1.0\n' >"$NODUS_HOME/versions/v20.1.0/bin/node"
    chmod +x "$NODUS_HOME/versions/v20.1.0/bin/node"
    touch "$NODUS_HOME/versions/v20.1.0/.nodus-meta"
    nodus reshim
    run -0 --separate-stderr env PATH="$SYSPATH" bash --norc --noprofile -c "
        . '$NODUS_HOME/init.bash'
        [ \"\${PATH%%:*}\" = '$NODUS_HOME/shims' ] || exit 91
        nodus use 20 || exit 92
        node --version"
    [ "$output" = v20.1.0 ]
    # No process is started by sourcing it (bash's own builtins only).
    if command -v strace >/dev/null; then
        run -0 strace -f -e trace=execve -o "$BATS_TEST_TMPDIR/trace" \
            env PATH="$SYSPATH" bash --norc --noprofile -c ". '$NODUS_HOME/init.bash'"
        [ "$(grep 'execve(' "$BATS_TEST_TMPDIR/trace" | grep -c ' = 0$')" -eq 2 ] # env, bash
    fi
    # And the file is not rewritten when nothing changed.
    local before
    before=$(stat -c %Y.%i "$NODUS_HOME/init.bash")
    nodus init bash >/dev/null
    [ "$(stat -c %Y.%i "$NODUS_HOME/init.bash")" = "$before" ]
}

@test "init: the sourced file rewrites itself once when nodus is newer, and then sources the new code" {
    local bin=$BATS_TEST_TMPDIR/bin
    mkdir -p "$bin"
    cp "$NODUS_BUILD/nodus" "$bin/nodus"
    ln -s "$NODUS_BUILD/nodus-core" "$NODUS_BUILD/nodus-shim" "$bin/"
    "$bin/nodus" init bash >/dev/null
    # An older file that names this nodus, as an upgrade leaves it.
    sed -i 's/^export NODUS_SHELL=bash$/export NODUS_SHELL=old/' "$NODUS_HOME/init.bash"
    touch -d '2020-01-01' "$NODUS_HOME/init.bash"
    run -0 env PATH="$SYSPATH" bash --norc --noprofile -c ". '$NODUS_HOME/init.bash'; echo \$NODUS_SHELL"
    [ "$output" = bash ]
    ! grep -q NODUS_SHELL=old "$NODUS_HOME/init.bash"
    [ "$NODUS_HOME/init.bash" -nt "$bin/nodus" ]
    # The same text but older than nodus (a reinstall): its time moves on,
    # so later shells start no process.
    touch -d '2020-01-01' "$NODUS_HOME/init.bash"
    env PATH="$SYSPATH" bash --norc --noprofile -c ". '$NODUS_HOME/init.bash'"
    [ "$NODUS_HOME/init.bash" -nt "$bin/nodus" ]
    # A nodus "from the future" does not make the file loop on itself.
    touch -d '2999-01-01' "$bin/nodus"
    run -0 timeout 20 env PATH="$SYSPATH" bash --norc --noprofile -c ". '$NODUS_HOME/init.bash'; echo \$NODUS_SHELL"
    [ "$output" = bash ]
}

@test "init zsh: the completion works with compinit after the setup, and before it" {
    command -v zsh >/dev/null || skip "zsh is not installed"
    local zd=$BATS_TEST_TMPDIR/zdot
    mkdir -p "$zd"
    echo 'unsetopt global_rcs' >"$zd/.zshenv"
    run -0 env ZDOTDIR="$zd" PATH="$SYSPATH" zsh -c "eval \"\$('$NODUS_BUILD/nodus' init zsh)\"
        autoload -Uz compinit; compinit -u -d '$zd/dump1'; print -r -- \$_comps[nodus]"
    [ "$output" = _nodus ]
    nodus init zsh >/dev/null
    run -0 env ZDOTDIR="$zd" PATH="$SYSPATH" zsh -c ". '$NODUS_HOME/init.zsh'
        autoload -Uz compinit; compinit -u -d '$zd/dump2'; print -r -- \$_comps[nodus]"
    [ "$output" = _nodus ]
    run -0 env ZDOTDIR="$zd" PATH="$SYSPATH" zsh -c "autoload -Uz compinit; compinit -u -d '$zd/dump3'
        . '$NODUS_HOME/init.zsh'; print -r -- \$_comps[nodus]"
    [ "$output" = _nodus ]
    # Twice does not put the directory on fpath twice.
    run -0 env ZDOTDIR="$zd" zsh -c ". '$NODUS_HOME/init.zsh'; . '$NODUS_HOME/init.zsh'
        print -rl -- \$fpath | grep -c '$NODUS_SRC_DIR/completions'"
    [ "$output" = 1 ]
}

@test "init fish: the completion loads from the sourced file" {
    command -v fish >/dev/null || skip "fish is not installed"
    nodus init fish >/dev/null
    run -0 env PATH="$SYSPATH" fish --no-config -c "source '$NODUS_HOME/init.fish'; complete -C 'nodus ls-'"
    [ "$(printf '%s\n' "${lines[@]}" | cut -f1)" = ls-remote ]
}
