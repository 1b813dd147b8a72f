#!/usr/bin/env bats
# The documentation surfaces, checked against the command table:
#   - `nodus help --commands` (hidden) prints the table's names; every one
#     has `nodus help CMD`, a heading in man/nodus.1, and a completion in
#     bash, zsh and fish;
#   - the man page lints clean, its COMMANDS section is exactly what
#     `nodus help --mdoc` generates from src/cmd_help.c, and every sentence
#     of `nodus help CMD` is in the rendered page;
#   - the completions work when driven: bash through COMP_WORDS/_nodus, zsh
#     in a pseudo-terminal with compinit (tests/lib/zsh-complete.zsh), fish
#     with `complete -C`; and `nodus init` loads them.
# No mirror: the installed versions, aliases, LTS lines and the cached
# index are laid out by hand, as nodus writes them.

bats_require_minimum_version 1.5.0

load ../lib/common

MAN=$NODUS_SRC_DIR/man/nodus.1
COMP_DIR=$NODUS_SRC_DIR/completions

setup() {
    fresh_home
    mkdir -p "$NODUS_HOME"/versions/v22.11.0/bin "$NODUS_HOME"/versions/v20.18.0/bin \
        "$NODUS_HOME/aliases" "$NODUS_HOME/shims" "$XDG_CACHE_HOME/nodus"
    echo 20 >"$NODUS_HOME/aliases/work"
    printf 'jod 22 22.11.0\niron 20 20.9.0\nhydrogen 18 18.12.0\n' >"$NODUS_HOME/lts"
    ln -s /nonexistent "$NODUS_HOME/shims/eslint"
    # The index as nodejs.org lays it out: one release a line.
    cat >"$XDG_CACHE_HOME/nodus/index.json" <<'EOF'
[
{"version":"v23.3.0","date":"2024-11-20","files":["linux-x64"],"npm":"10.9.0","lts":false,"security":false},
{"version":"v22.11.0","date":"2024-10-29","files":["linux-x64"],"npm":"10.9.0","lts":"Jod","security":false},
{"version":"v20.18.0","date":"2024-10-03","files":["linux-x64"],"npm":"10.8.2","lts":"Iron","security":false},
{"version":"v18.20.4","date":"2024-07-08","files":["linux-x64"],"npm":"10.7.0","lts":"Hydrogen","security":true}
]
EOF
}

commands() {
    nodus help --commands
}

# bash_complete WORD...: run the bash completion for the command line
# WORD... (the last word is the one being completed); COMPREPLY one a line.
bash_complete() {
    # shellcheck source=/dev/null
    source "$COMP_DIR/nodus.bash"
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _nodus
    if [ "${#COMPREPLY[@]}" -gt 0 ]; then printf '%s\n' "${COMPREPLY[@]}"; fi
}

fish_complete() {
    fish --no-config -c "source '$COMP_DIR/nodus.fish'; complete -C '$1'" | cut -f1
}

zsh_complete() {
    zsh -f "$NODUS_TESTS_LIB/zsh-complete.zsh" "$COMP_DIR" "$1"
}

# The options (--x) in the usage line of a command.
usage_options() {
    nodus help "$1" | head -n 1 | grep -oE -- '--[a-z][a-z-]*' || true
}

# has_line TEXT LINE: TEXT (several lines) contains LINE exactly.
has_line() {
    printf '%s\n' "$1" | grep -qxF -- "$2"
}

# ------------------------------------------------------------ the table

@test "help --commands prints the command table, one name a line" {
    run -0 commands
    [ "${#lines[@]}" -ge 20 ]
    for c in install uninstall ls ls-remote use pin default current which exec init reshim \
        alias unalias prune cache config doctor import help version; do
        has_line "$output" "$c"
    done
    [ "$(printf '%s\n' "${lines[@]}" | sort | uniq -d)" = "" ]
    # The same names as the overview lists.
    run -0 nodus help
    for c in $(commands); do
        [[ $output == *$'\n'"  $c "* ]]
    done
}

@test "nodus help CMD works for every command" {
    for c in $(commands); do
        run -0 --separate-stderr nodus help "$c"
        [ "${lines[0]:0:$((13 + ${#c}))}" = "usage: nodus $c" ]
        [ -z "$stderr" ]
        # usage, summary, and a description
        [ "${#lines[@]}" -ge 3 ]
    done
    run -2 --separate-stderr nodus help no-such-command
    [[ $stderr == *"'no-such-command' is not a nodus command"* ]]
}

# ------------------------------------------------------------ man page

@test "every command has a heading in the man page" {
    for c in $(commands); do
        grep -qxF ".Ss $c" "$MAN" || {
            echo "man/nodus.1 has no '.Ss $c' heading" >&2
            return 1
        }
    done
}

@test "the man page lints clean with mandoc" {
    command -v mandoc >/dev/null || skip "mandoc is not installed"
    run --separate-stderr mandoc -Tlint -Wwarning "$MAN"
    echo "$stderr$output" >&2
    [ "$status" -eq 0 ]
    [ -z "$output" ] && [ -z "$stderr" ]
}

@test "the man page's COMMANDS section is what 'nodus help --mdoc' generates" {
    run -0 --separate-stderr nodus help --mdoc
    [ -z "$stderr" ]
    printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/generated"
    sed -n '/^\.\\" BEGIN GENERATED COMMANDS/,/^\.\\" END GENERATED COMMANDS/p' "$MAN" | sed '1d;$d' \
        >"$BATS_TEST_TMPDIR/page"
    [ -s "$BATS_TEST_TMPDIR/page" ]
    diff -u "$BATS_TEST_TMPDIR/page" "$BATS_TEST_TMPDIR/generated" >&2 || {
        echo "man/nodus.1 is out of date with src/cmd_help.c: run 'make man'" >&2
        return 1
    }
}

@test "nodus help CMD says what the man page says, sentence by sentence" {
    command -v mandoc >/dev/null || skip "mandoc is not installed"
    mandoc -Tascii "$MAN" | perl -pe 's/.\x08//g' >"$BATS_TEST_TMPDIR/man.txt"
    run python3 "$NODUS_TESTS_LIB/help_vs_man.py" "$NODUS_BUILD/nodus" "$BATS_TEST_TMPDIR/man.txt"
    echo "$output" >&2
    [ "$status" -eq 0 ]
    # The check has teeth: a page that lost one sentence fails it.
    sed 's/the same as the spec lts\/\*\./the same as lts\/*./' "$BATS_TEST_TMPDIR/man.txt" \
        >"$BATS_TEST_TMPDIR/man-bad.txt"
    run python3 "$NODUS_TESTS_LIB/help_vs_man.py" "$NODUS_BUILD/nodus" "$BATS_TEST_TMPDIR/man-bad.txt"
    [ "$status" -eq 1 ]
    [[ $output == *"install: not in the man page: --lts the newest lts release"* ]]
}

@test "the man page documents every environment variable, setting and exit status" {
    local src=$NODUS_SRC_DIR/src name key code
    # getenv("NAME"), and the helpers that wrap it: abs_env, env_long, env_seconds.
    for name in $(grep -ohE '(getenv|abs_env|env_long|env_seconds)\("[A-Za-z_]+"' "$src"/*.c |
        sed -E 's/.*\("//; s/"$//' | sort -u); do
        grep -qE "^\.It Ev (.* )?$name( |$)" "$MAN" || {
            echo "ENVIRONMENT in man/nodus.1 lacks $name (read in src/)" >&2
            return 1
        }
    done
    for key in $(nodus config list | awk '{print $1}'); do
        grep -qxF ".It Cm $key" "$MAN" || {
            echo "CONFIGURATION lacks the setting $key" >&2
            return 1
        }
    done
    for code in $(sed -nE 's/^ *EXIT_[A-Z_]+ = ([0-9]+),?.*/\1/p' "$src/msg.h"); do
        sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$MAN" | grep -qxF ".It $code" || {
            echo "EXIT STATUS lacks $code (src/msg.h)" >&2
            return 1
        }
    done
    for sect in 'COMMANDS' 'VERSION SPECS' 'VERSION FILES' 'RESOLUTION ORDER' 'SHIMS' 'CONFIGURATION' \
        'SIGNATURES AND CHECKSUMS' 'ENVIRONMENT' 'FILES' 'EXIT STATUS' 'EXAMPLES' 'SEE ALSO'; do
        grep -qxF ".Sh $sect" "$MAN"
    done
}

# ------------------------------------------------------------ completion files

@test "every command is in each completion file" {
    for c in $(commands); do
        grep -qE "^ *local commands='([a-z-]+ )*$c( [a-z-]+)*'" "$COMP_DIR/nodus.bash" ||
            { echo "completions/nodus.bash lacks $c" >&2; return 1; }
        grep -qF "    '$c:" "$COMP_DIR/_nodus" ||
            { echo "completions/_nodus lacks $c" >&2; return 1; }
        grep -qE "^complete -c nodus -n __nodus_no_command -a $c -d " "$COMP_DIR/nodus.fish" ||
            { echo "completions/nodus.fish lacks $c" >&2; return 1; }
    done
}

@test "bash: the commands complete, exactly the table" {
    run -0 bash_complete nodus ''
    [ "$(printf '%s\n' "${lines[@]}" | sort)" = "$(commands | sort)" ]
    run -0 bash_complete nodus --json un
    [ "$output" = "$(printf 'uninstall\nunalias')" ] || [ "$output" = "$(printf 'unalias\nuninstall')" ]
    run -0 bash_complete nodus help ls
    [ "$output" = "$(printf 'ls\nls-remote')" ]
}

@test "bash: an installed version after 'nodus use '" {
    run -0 bash_complete nodus use ''
    has_line "$output" 22.11.0
    has_line "$output" 20.18.0
    has_line "$output" work
    has_line "$output" 'lts/*'
    has_line "$output" lts/iron
    has_line "$output" system
    run -0 bash_complete nodus use v2
    [ "$(printf '%s\n' "${lines[@]}" | sort)" = "$(printf 'v20.18.0\nv22.11.0')" ]
    for c in pin default uninstall exec; do
        run -0 bash_complete nodus "$c" 22
        has_line "$output" 22.11.0
    done
    run -0 bash_complete nodus which ''
    has_line "$output" node
    has_line "$output" eslint
}

@test "bash: versions come from NODUS_HOME, else XDG_DATA_HOME, else ~/.local/share" {
    local data=$BATS_TEST_TMPDIR/data
    mkdir -p "$data/nodus/versions/v16.20.2" "$HOME/.local/share/nodus/versions/v14.21.3"
    run -0 bash_complete nodus use 1
    ! has_line "$output" 16.20.2
    unset NODUS_HOME
    XDG_DATA_HOME=$data run -0 bash_complete nodus use 1
    [ "$output" = 16.20.2 ]
    XDG_DATA_HOME=relative/ignored run -0 bash_complete nodus use 1
    [ "$output" = 14.21.3 ]
    unset XDG_DATA_HOME
    run -0 bash_complete nodus use 1
    [ "$output" = 14.21.3 ]
}

@test "bash: an option after 'nodus install --', and each command's options" {
    run -0 bash_complete nodus install --
    has_line "$output" --lts
    has_line "$output" --latest
    has_line "$output" --offline
    for c in $(commands); do
        for opt in $(usage_options "$c"); do
            run -0 bash_complete nodus "$c" --
            has_line "$output" "$opt" || {
                echo "bash completion of 'nodus $c --' lacks $opt" >&2
                return 1
            }
        done
    done
}

@test "bash: install completes from the cached index only, without running nodus" {
    PATH=/usr/bin:/bin run -0 bash_complete nodus install ''
    has_line "$output" 23.3.0
    has_line "$output" 18.20.4
    has_line "$output" 23
    has_line "$output" 'lts/*'
    has_line "$output" lts/jod
    has_line "$output" lts/hydrogen
    has_line "$output" latest
    has_line "$output" work
    PATH=/usr/bin:/bin run -0 bash_complete nodus install v18
    [ "$output" = v18.20.4 ]
    PATH=/usr/bin:/bin run -0 bash_complete nodus ls-remote 2
    has_line "$output" 20.18.0
    rm "$XDG_CACHE_HOME/nodus/index.json"
    run -0 bash_complete nodus install 2
    [ -z "$output" ]
}

@test "bash: config keys, values, subcommands and shells" {
    for key in $(nodus config list | awk '{print $1}'); do
        run -0 bash_complete nodus config get "$key"
        has_line "$output" "$key" || {
            echo "bash completion lacks the config key $key" >&2
            return 1
        }
    done
    run -0 bash_complete nodus config set color ''
    [ "$output" = "$(printf 'auto\nalways\nnever')" ]
    run -0 bash_complete nodus config ''
    [ "$output" = "$(printf 'list\nget\nset\nunset\npath')" ]
    run -0 bash_complete nodus init ''
    [ "$output" = "$(printf 'bash\nzsh\nfish')" ]
    run -0 bash_complete nodus cache ''
    [ "$output" = "$(printf 'dir\nclear')" ]
    run -0 bash_complete nodus unalias ''
    [ "$output" = work ]
    run -0 bash_complete nodus exec 22 -- nod
    has_line "$output" nodus
}

@test "bash: nodus init bash loads the completion at the first completion" {
    run -0 bash -c 'eval "$(nodus init bash)" && complete -p nodus && ! declare -F _nodus'
    [ "$output" = "complete -F __nodus_complete nodus" ]
    # The first completion loads the file and completes at once.
    run -0 bash -c 'eval "$(nodus init bash)"
        COMP_WORDS=(nodus ls-); COMP_CWORD=1; COMP_LINE="nodus ls-"; COMP_POINT=9
        __nodus_complete nodus ls- nodus; printf "%s\n" "${COMPREPLY[@]}"; complete -p nodus'
    [ "$output" = "$(printf 'ls-remote\ncomplete -F _nodus nodus')" ]
}

# ------------------------------------------------------------ zsh

@test "zsh: the completion loads under compinit, from fpath and from nodus init" {
    command -v zsh >/dev/null || skip "zsh is not installed"
    local zd=$BATS_TEST_TMPDIR/zdot
    mkdir -p "$zd"
    echo 'unsetopt global_rcs' >"$zd/.zshenv"
    # autoloaded from fpath
    run -0 env ZDOTDIR="$zd" zsh -c "fpath=('$COMP_DIR' \$fpath); autoload -Uz compinit; compinit -u -d '$zd/dump'; print -r -- \$_comps[nodus]"
    [ "$output" = _nodus ]
    # sourced by the code nodus init prints
    run -0 env ZDOTDIR="$zd" zsh -c "autoload -Uz compinit; compinit -u -d '$zd/dump2'; eval \"\$(nodus init zsh)\"; print -r -- \$_comps[nodus]; whence -w _nodus"
    [ "${lines[0]}" = _nodus ]
    [ "${lines[1]}" = "_nodus: function" ]
}

@test "zsh: commands, an installed version after 'nodus use ', an option after 'nodus install --'" {
    command -v zsh >/dev/null || skip "zsh is not installed"
    zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zsh/zpty module"
    run -0 zsh_complete 'nodus '
    [ "$(printf '%s\n' "${lines[@]}" | sort)" = "$(commands | sort)" ]
    run -0 zsh_complete 'nodus use '
    has_line "$output" 22.11.0
    has_line "$output" 20.18.0
    has_line "$output" work
    has_line "$output" 'lts/*'
    run -0 zsh_complete 'nodus install --'
    has_line "$output" --lts
    has_line "$output" --latest
    run -0 zsh_complete 'nodus install v'
    has_line "$output" v23.3.0
    has_line "$output" v18.20.4
    run -0 zsh_complete 'nodus config get '
    for key in $(nodus config list | awk '{print $1}'); do
        has_line "$output" "$key"
    done
}

# ------------------------------------------------------------ fish

@test "fish: commands, an installed version after 'nodus use ', options per command" {
    command -v fish >/dev/null || skip "fish is not installed"
    run -0 fish_complete 'nodus '
    [ "$(printf '%s\n' "${lines[@]}" | sort)" = "$(commands | sort)" ]
    run -0 fish_complete 'nodus use '
    has_line "$output" 22.11.0
    has_line "$output" 20.18.0
    has_line "$output" work
    has_line "$output" 'lts/iron'
    run -0 fish_complete 'nodus install '
    has_line "$output" 23.3.0
    has_line "$output" lts/jod
    for c in $(commands); do
        for opt in $(usage_options "$c"); do
            run -0 fish_complete "nodus $c --"
            has_line "$output" "$opt" || {
                echo "fish completion of 'nodus $c --' lacks $opt" >&2
                return 1
            }
        done
    done
    run -0 fish_complete 'nodus config set '
    for key in $(nodus config list | awk '{print $1}'); do
        has_line "$output" "$key"
    done
}

@test "fish: nodus init fish loads the completion" {
    command -v fish >/dev/null || skip "fish is not installed"
    run -0 fish --no-config -c 'nodus init fish | source; complete -C "nodus ls-"'
    [ "$(printf '%s\n' "${lines[@]}" | cut -f1)" = ls-remote ]
}

@test "nodus CMD --help and -h print the same as nodus help CMD" {
    local cmd
    for cmd in install ls use exec; do
        run --separate-stderr nodus help "$cmd"
        local want=$output
        [ -n "$want" ]
        run --separate-stderr nodus "$cmd" --help
        [ "$status" -eq 0 ]
        [ "$output" = "$want" ]
        run --separate-stderr nodus "$cmd" -h
        [ "$output" = "$want" ]
    done
}
