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

# ------------------------------------------------------------ make check's tools

# hide_tool TOOL: a directory with every tool .ci/check-tools asks for,
# and make and sh, except TOOL; its path in $HIDDEN.
hide_tool() {
    HIDDEN=$BATS_TEST_TMPDIR/path-without-$1
    mkdir -p "$HIDDEN"
    local t
    for t in sh make cc pkg-config prove bats python3 curl xz gpg openssl mandoc man groff zsh fish unshare script; do
        [ "$t" = "$1" ] && continue
        if command -v "$t" >/dev/null; then ln -sf "$(command -v "$t")" "$HIDDEN/$t"; fi
    done
}

@test "make check names a missing tool and its package in one line, before building anything" {
    local t
    for t in bats mandoc man zsh; do
        hide_tool "$t"
        run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL PATH="$HIDDEN" make -C "$NODUS_SRC_DIR" --no-print-directory check
        [ "$status" -ne 0 ]
        [[ $output == *"nodus: make check needs $t: run ./setup.sh or apt-get install "* ]]
        [[ $output != *open3* ]]
        [[ $output != *"cc "* ]] # nothing was compiled
    done
    hide_tool bats
    run env PATH="$HIDDEN" "$NODUS_SRC_DIR/.ci/check-tools"
    [ "$status" -eq 1 ]
    [ "$output" = "nodus: make check needs bats: run ./setup.sh or apt-get install bats" ]
    run -0 "$NODUS_SRC_DIR/.ci/check-tools"
    [ -z "$output" ]
}

@test "one package list: every package the tool check names is in .ci/packages, and setup.sh and .ci/run install that list" {
    local pkgs pkg
    pkgs=$(sed -e 's/#.*//' "$NODUS_SRC_DIR/.ci/packages" | tr -s ' \t' '\n\n' | grep -v '^$')
    for pkg in $(grep -oE '[a-z0-9+.-]+:[a-z0-9+.-]+' "$NODUS_SRC_DIR/.ci/check-tools" | cut -d: -f2 | sort -u); do
        printf '%s\n' "$pkgs" | grep -qxF "$pkg" || {
            echo ".ci/check-tools names $pkg, which .ci/packages lacks" >&2
            return 1
        }
    done
    for pkg in bats mandoc man-db zsh fish gnupg python3 clang libclang-rt-dev libcurl4-openssl-dev; do
        printf '%s\n' "$pkgs" | grep -qxF "$pkg"
    done
    # .ci/run's apt-get reads the same list (and the cross toolchains'),
    # and names no package of its own.
    grep -q "^pkgs=\$(sed -e 's/#.\*//' \.ci/packages \.ci/packages-cross " "$NODUS_SRC_DIR/.ci/run"
    grep -qE 'apt-get .*install .*\$pkgs' "$NODUS_SRC_DIR/.ci/run"
    grep -q '\.ci/install-packages' "$NODUS_SRC_DIR/setup.sh"
    ! grep -q 'apt-get install' "$NODUS_SRC_DIR/.ci/run"
    grep -q 'DPkg::Lock::Timeout' "$NODUS_SRC_DIR/.ci/run"
    grep -q 'DPkg::Lock::Timeout' "$NODUS_SRC_DIR/.ci/install-packages"
}

@test "setup.sh goes on past a failed step and says what was installed, what failed and what to do" {
    # apt-get and sudo that fail, a make that works, a nodus whose download
    # fails: no network.
    local fake=$BATS_TEST_TMPDIR/fake src=$BATS_TEST_TMPDIR/src
    mkdir -p "$fake" "$src/.ci"
    printf '#!/bin/sh\necho "E: Could not resolve host" >&2\nexit 100\n' >"$fake/apt-get"
    printf '#!/bin/sh\nexec "$@"\n' >"$fake/sudo"
    cat >"$fake/make" <<FAKE
#!/bin/sh
[ "\$2" = install ] || exit 0
p=\${3#PREFIX=}
mkdir -p "\$p/bin" && ln -sf "$NODUS_BUILD/nodus" "\$p/bin/nodus"
FAKE
    chmod +x "$fake"/*
    cp "$NODUS_SRC_DIR/setup.sh" "$src/"
    cp "$NODUS_SRC_DIR/.ci/packages" "$NODUS_SRC_DIR/.ci/install-packages" "$src/.ci/"
    NODUS_MIRROR=http://127.0.0.1:9/unreachable NODUS_RETRIES=0 PREFIX=$BATS_TEST_TMPDIR/prefix \
        run --separate-stderr env PATH="$fake:$PATH" "$src/setup.sh"
    [ "$status" -eq 1 ]
    [[ $stderr == *"installed:"*"nodus in $BATS_TEST_TMPDIR/prefix"* ]]
    [[ $stderr == *"failed:"*"apt-get could not install"*"installing Node.js"* ]]
    [[ $stderr == *"next steps:"*"retry: "*"https_proxy="*"NODUS_MIRROR="*"NODUS_ALLOW_UNSIGNED=1"* ]]
    [[ $stderr == *". \"$NODUS_HOME/init.bash\""* ]]
    [ -f "$NODUS_HOME/init.bash" ] && [ -f "$NODUS_HOME/init.zsh" ] && [ -f "$NODUS_HOME/init.fish" ]
}

@test "the man page renders at 80 columns without a warning, and lints clean" {
    run -0 --separate-stderr env MANWIDTH=80 man --warnings -l "$NODUS_SRC_DIR/man/nodus.1"
    [ -z "$stderr" ]
    # No line wider than the terminal (characters, not bytes).
    printf '%s\n' "$output" | python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in sys.stdin))'
    # The check has teeth: the old column table overflowed.
    sed 's/^\.Bl -tag -width Ds$/.Bl -column "verify_signatures" "auto|always|never" "https:\/\/nodejs.org\/dist" "NODUS_VERIFY_SIGNATURES"/' \
        "$NODUS_SRC_DIR/man/nodus.1" >"$BATS_TEST_TMPDIR/wide.1"
    run --separate-stderr env MANWIDTH=80 man --warnings -l "$BATS_TEST_TMPDIR/wide.1"
    [[ $stderr == *"can't break line"* ]]
    run -0 make -C "$NODUS_SRC_DIR" --no-print-directory -s man-lint
}

# ------------------------------------------------------------ default --unset

@test "default --unset removes the default; again is not an error; nothing else is taken with it" {
    mkdir -p "$NODUS_HOME"
    echo 22 >"$NODUS_HOME/default"
    run -0 --separate-stderr nodus default --unset
    [ "$stderr" = "default unset" ]
    [ ! -e "$NODUS_HOME/default" ]
    run -3 --separate-stderr nodus default
    run -0 --separate-stderr nodus default --unset
    [ "$stderr" = "no default was set" ]
    run -2 --separate-stderr nodus default --unset 22
    [[ $stderr == *"takes nothing more"* ]]
    run -0 nodus help default
    [[ ${lines[0]} == "usage: nodus default [SPEC|--unset]" ]]
    [[ $output == *"--unset"*"Remove the default"* ]]
    # Completed in zsh too (bash and fish: 50-docs.bats, from the usage line).
    if command -v zsh >/dev/null && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
        run -0 zsh -f "$NODUS_TESTS_LIB/zsh-complete.zsh" "$NODUS_SRC_DIR/completions" 'nodus default --'
        [[ $'\n'$output$'\n' == *$'\n--unset\n'* ]]
    fi
}

# ------------------------------------------------------------ did you mean

@test "did you mean: a mistyped command, global option, command option and config key" {
    run -2 --separate-stderr nodus isntall 22
    [ "$stderr" = "nodus: 'isntall' is not a nodus command; did you mean 'install'? see 'nodus help'" ]
    run -2 --separate-stderr nodus help unintsall
    [[ $stderr == *"did you mean 'uninstall'?"* ]]
    run -2 --separate-stderr nodus lsremote
    [[ $stderr == *"did you mean 'ls-remote'?"* ]]
    run -2 --separate-stderr nodus --ofline ls
    [[ $stderr == *"'--ofline' is not a nodus option; did you mean '--offline'?"* ]]
    run -2 --separate-stderr nodus ls --jsno
    [ "$stderr" = "nodus: 'ls' does not take the option '--jsno'; did you mean '--json'? see 'nodus help ls'" ]
    run -2 --separate-stderr nodus install --allow-unsinged 22
    [[ $stderr == *"did you mean '--allow-unsigned'?"* ]]
    run -2 --separate-stderr nodus default --unest
    [[ $stderr == *"did you mean '--unset'?"* ]]
    run -2 --separate-stderr nodus prune --dryrun
    [[ $stderr == *"did you mean '--dry-run'?"* ]]
    run -2 --separate-stderr nodus config get mirorr
    [ "$stderr" = "nodus: 'mirorr' is not a setting (did you mean 'mirror'?); see 'nodus config list'" ]
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf 'mirorr: http://x\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    run -8 --separate-stderr nodus install 22
    [[ $stderr == *"config.yaml:1:1: unknown setting 'mirorr' (did you mean 'mirror'?)"* ]]
    # Nothing near: no guess.
    rm "$XDG_CONFIG_HOME/nodus/config.yaml"
    run -2 --separate-stderr nodus frobnicate
    [ "$stderr" = "nodus: 'frobnicate' is not a nodus command; see 'nodus help'" ]
    run -2 --separate-stderr nodus ls --zzzzzz
    [[ $stderr != *"did you mean"* ]]
    run -2 --separate-stderr nodus config get zzzzzz
    [[ $stderr != *"did you mean"* ]]
}

# ------------------------------------------------------------ a bad config.yaml

@test "a broken config.yaml: local commands warn and use the defaults, install and ls-remote stop, the status screen names it" {
    mkdir -p "$XDG_CONFIG_HOME/nodus" "$NODUS_HOME/versions/v20.1.0/bin"
    touch "$NODUS_HOME/versions/v20.1.0/.nodus-meta"
    printf '#!/bin/sh\n' >"$NODUS_HOME/versions/v20.1.0/bin/node"
    chmod +x "$NODUS_HOME/versions/v20.1.0/bin/node"
    # A valid line before the bad one is not applied either: the defaults.
    printf 'engines_node: false\nmirror: [unclosed\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    echo '{"engines": {"node": "20"}}' >package.json
    local cmd
    for cmd in "ls" "current" "which node" "default 20" "alias work 20" "reshim" "cache dir"; do
        # shellcheck disable=SC2086
        run -0 --separate-stderr nodus $cmd
        [[ $stderr == "nodus: warning: $XDG_CONFIG_HOME/nodus/config.yaml:2:"*"going on with the default settings"* ]] || {
            echo "nodus $cmd: $stderr" >&2
            return 1
        }
    done
    run -0 --separate-stderr nodus current
    [ "$output" = v20.1.0 ] # engines.node counted: the default
    for cmd in "install 22" "ls-remote" "prune"; do
        # shellcheck disable=SC2086
        run -8 --separate-stderr nodus $cmd
        [[ $stderr == "nodus: $XDG_CONFIG_HOME/nodus/config.yaml:2:"* ]]
    done
    run -0 --separate-stderr nodus
    [[ $output == *"config:      broken, so the default settings apply: $XDG_CONFIG_HOME/nodus/config.yaml:2:"* ]]
    rm "$XDG_CONFIG_HOME/nodus/config.yaml"
    run -0 --separate-stderr nodus
    [[ $output != *"config:"* ]]
}

# ------------------------------------------------------------ signatures

@test "unsigned mirror: the refusal names NODUS_ALLOW_UNSIGNED; an allowed install warns once" {
    unset NODUS_ALLOW_UNSIGNED
    run -5 --separate-stderr nodus install 22.11.0
    [[ $stderr == *"--allow-unsigned, set NODUS_ALLOW_UNSIGNED=1 or set allow_unsigned: true"* ]]
    NODUS_ALLOW_UNSIGNED=1 run -0 --separate-stderr nodus install 22.11.0
    [ "$(grep -c 'were not verified against a signature' <<<"$stderr")" -eq 1 ]
    [[ $stderr == *"nodus: warning: the mirror publishes no signature for node v22.11.0"* ]]
    # With signature checks off, that is said too.
    NODUS_VERIFY_SIGNATURES=0 run -0 --separate-stderr nodus install 20.18.0
    [ "$(grep -c 'were not verified against a signature' <<<"$stderr")" -eq 1 ]
    [[ $stderr == *"signatures are not checked"* ]]
}

@test "doctor flags allow_unsigned, verify_signatures: false and a nodus not on PATH" {
    unset NODUS_ALLOW_UNSIGNED
    run --separate-stderr nodus doctor
    [[ $output == *"ok    signatures "* ]]
    [[ $output == *"ok    nodus-path "* ]]
    nodus config set allow_unsigned true
    run --separate-stderr nodus doctor
    [[ $output == *"warn  signatures   allow_unsigned is true (config)"*"fix: run 'nodus config unset allow_unsigned'"* ]]
    NODUS_ALLOW_UNSIGNED=1 run --separate-stderr nodus doctor
    [[ $output == *"warn  signatures   allow_unsigned is true"* ]]
    nodus config set verify_signatures false
    run --separate-stderr nodus doctor
    [[ $output == *"warn  signatures   verify_signatures is false (config)"* ]]
    nodus config unset verify_signatures
    nodus config unset allow_unsigned
    NODUS_VERIFY_SIGNATURES=0 run --separate-stderr nodus doctor
    [[ $output == *"warn  signatures   verify_signatures is false (NODUS_VERIFY_SIGNATURES)"*"fix: unset NODUS_VERIFY_SIGNATURES"* ]]
    run --separate-stderr env PATH="$SYSPATH" "$NODUS_BUILD/nodus" doctor
    [[ $output == *"warn  nodus-path   nodus ($(cd "$NODUS_BUILD" && pwd -P)/nodus) is not on PATH"* ]]
    [[ $output == *"fix: add $(cd "$NODUS_BUILD" && pwd -P) to PATH"* ]]
    # Another nodus first on PATH.
    mkdir -p other
    printf '#!/bin/sh\n' >other/nodus
    chmod +x other/nodus
    run --separate-stderr env PATH="$PWD/other:$PATH" "$NODUS_BUILD/nodus" doctor
    [[ $output == *"warn  nodus-path   another nodus comes first on PATH: $PWD/other/nodus"* ]]
}
