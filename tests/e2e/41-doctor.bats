#!/usr/bin/env bats
# nodus doctor [--json], and `nodus` with no arguments (the newcomer's
# first screen). Installed: v22.11.0, v20.18.0, v18.20.4.

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
    # Other managers of the machine running the tests must not leak in.
    unset NVM_DIR FNM_DIR FNM_MULTISHELL_PATH VOLTA_HOME N_PREFIX ASDF_DATA_DIR MISE_DATA_DIR XDG_DATA_HOME
    export SHELL=/bin/bash
    # The test mirror is unsigned; doctor would rightly warn about this.
    unset NODUS_ALLOW_UNSIGNED
    BASE_PATH=$NODUS_BUILD:${NODUS_TESTS_PYBIN:-/usr/bin}:/usr/bin:/bin
    export PATH=$SHIMS:$BASE_PATH
    nodus default 22 2>/dev/null
}

teardown() {
    if [ -n "${HOLDER_PID:-}" ]; then
        kill "$HOLDER_PID" 2>/dev/null || true
        wait "$HOLDER_PID" 2>/dev/null || true
    fi
}

# doctor_json: run `nodus doctor --json` into doctor.json; its status in $status.
doctor_json() {
    run --separate-stderr nodus doctor --json
    printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/doctor.json"
}

# check NAME: "STATUS<TAB>MESSAGE<TAB>FIX" of one check from doctor.json.
check() {
    python3 - "$BATS_TEST_TMPDIR/doctor.json" "$1" <<'EOF'
import json, sys
for c in json.load(open(sys.argv[1])):
    if c["check"] == sys.argv[2]:
        print("%s\t%s\t%s" % (c["status"], c["message"], c["fix"]))
        break
else:
    print("missing")
EOF
}

status_of() {
    check "$1" | cut -f1
}

@test "doctor: a sound setup passes, exit 0, every check in the documented order" {
    run --separate-stderr nodus doctor
    [ "$status" -eq 0 ]
    [[ ${lines[-1]} == "21 checks: 21 ok, 0 warnings, 0 failed" ]]
    doctor_json
    [ "$status" -eq 0 ]
    python3 - "$BATS_TEST_TMPDIR/doctor.json" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))
names = [c["check"] for c in a]
assert names == ["config", "signatures", "home", "shims", "shim-binary", "shim-links", "path", "nodus-path", "versions",
                 "default", "aliases", "index-cache", "staging", "locks", "nvm", "fnm", "volta", "n", "asdf", "mise",
                 "system-node"], names
for c in a:
    assert set(c) == {"check", "status", "message", "fix"}, c
    assert c["status"] == "ok", c
    assert c["fix"] is None, c
    assert isinstance(c["message"], str) and c["message"], c
EOF
    [[ $(check versions) == "ok"$'\t'"3 versions installed, all complete"* ]]
    [[ $(check default) == "ok"$'\t'"22 (v22.11.0)"* ]]
}

@test "doctor: human output is aligned, with a fix under each problem" {
    rm "$NODUS_HOME/default"
    export PATH=$BASE_PATH
    run --separate-stderr nodus doctor
    [ "$status" -eq 1 ]
    # Every result line: status (4 wide), two spaces, the check name padded
    # to the longest, two spaces, the message.
    local line n=0
    for line in "${lines[@]}"; do
        [[ $line == *" checks: "* ]] && continue
        if [[ $line =~ ^(ok|warn|fail)\ +([a-z-]+)\ + ]]; then
            [ "${#BASH_REMATCH[0]}" -eq 19 ] || { echo "misaligned: $line" >&2; false; }
            n=$((n + 1))
        else
            [[ $line =~ ^\ {19}fix:\  ]] || { echo "unexpected: $line" >&2; false; }
        fi
    done
    [ "$n" -eq 21 ]
    [[ $output == *"warn  default      no default is set"*"fix: run 'nodus default lts/*'"* ]]
    [[ $output == *"fail  path         the shims directory $SHIMS is not on PATH"* ]]
    [[ $output == *"fix: add 'eval \"\$(nodus init bash)\"' at the end of ~/.bashrc"* ]]
    [[ ${lines[-1]} =~ ^21\ checks:\ [0-9]+\ ok,\ 1\ warning,\ [1-9][0-9]*\ failed$ ]]
}

@test "doctor: a node before the shims on PATH fails path and system-node" {
    mkdir -p sysbin
    printf '#!/bin/sh\necho v0.0.1\n' >sysbin/node
    chmod 755 sysbin/node
    export PATH=$PWD/sysbin:$SHIMS:$BASE_PATH
    doctor_json
    [ "$status" -eq 1 ]
    [[ $(check path) == "fail"$'\t'"another node comes before the shims on PATH: $PWD/sysbin (system)"* ]]
    [[ $(check system-node) == "fail"$'\t'"$PWD/sysbin/node comes before the nodus shims on PATH"* ]]
    # After the shims it is only the 'system' node.
    export PATH=$SHIMS:$PWD/sysbin:$BASE_PATH
    doctor_json
    [ "$status" -eq 0 ]
    [[ $(check system-node) == "ok"$'\t'"$PWD/sysbin/node comes after the shims"* ]]
}

@test "doctor: nvm, fnm, volta, n, asdf and mise: warn when installed, fail when they shadow nodus" {
    # nvm installed and active in this shell, its node first.
    mkdir -p "$HOME/.nvm/versions/node/v20.0.0/bin"
    printf '#!/bin/sh\necho v20.0.0\n' >"$HOME/.nvm/versions/node/v20.0.0/bin/node"
    chmod 755 "$HOME/.nvm/versions/node/v20.0.0/bin/node"
    export NVM_DIR=$HOME/.nvm
    export PATH=$NVM_DIR/versions/node/v20.0.0/bin:$SHIMS:$BASE_PATH
    doctor_json
    [ "$status" -eq 1 ]
    [[ $(check nvm) == "fail"$'\t'"nvm's node ($NVM_DIR/versions/node/v20.0.0/bin) comes before the nodus shims"*"nodus import nvm"* ]]
    [[ $(check path) == *"$NVM_DIR/versions/node/v20.0.0/bin (nvm)"* ]]
    [ "$(status_of system-node)" = ok ]
    # nvm installed but not on PATH: only a warning.
    export PATH=$SHIMS:$BASE_PATH
    doctor_json
    [ "$status" -eq 0 ]
    [[ $(check nvm) == "warn"$'\t'"nvm is installed ($NVM_DIR (NVM_DIR))"$'\t'"run 'nodus import nvm'"* ]]
    unset NVM_DIR
    rm -rf "$HOME/.nvm"

    export FNM_MULTISHELL_PATH=$HOME/.local/state/fnm_multishells/123_456
    mkdir -p "$FNM_MULTISHELL_PATH/bin"
    cp "$SHIMS/../versions/v20.18.0/bin/node" "$FNM_MULTISHELL_PATH/bin/node"
    doctor_json
    [ "$(status_of fnm)" = warn ]
    export PATH=$FNM_MULTISHELL_PATH/bin:$SHIMS:$BASE_PATH
    doctor_json
    [ "$(status_of fnm)" = fail ]
    unset FNM_MULTISHELL_PATH
    export PATH=$SHIMS:$BASE_PATH

    export VOLTA_HOME=$HOME/.volta
    mkdir -p "$VOLTA_HOME/bin"
    printf '#!/bin/sh\n' >"$VOLTA_HOME/bin/node"
    chmod 755 "$VOLTA_HOME/bin/node"
    doctor_json
    [ "$(status_of volta)" = warn ]
    export PATH=$VOLTA_HOME/bin:$SHIMS:$BASE_PATH
    doctor_json
    [ "$(status_of volta)" = fail ]
    [ "$(status_of system-node)" = ok ]
    unset VOLTA_HOME
    export PATH=$SHIMS:$BASE_PATH

    export N_PREFIX=$HOME/n
    mkdir -p "$N_PREFIX/n/versions/node/20.0.0" "$N_PREFIX/bin"
    printf '#!/bin/sh\n' >"$N_PREFIX/bin/node"
    chmod 755 "$N_PREFIX/bin/node"
    doctor_json
    [ "$(status_of n)" = warn ]
    export PATH=$N_PREFIX/bin:$SHIMS:$BASE_PATH
    doctor_json
    [[ $(check n) == "fail"$'\t'"n's node ($N_PREFIX/bin)"* ]]
    unset N_PREFIX
    export PATH=$SHIMS:$BASE_PATH

    # asdf and mise matter only when their shims provide node.
    mkdir -p "$HOME/.asdf/shims"
    doctor_json
    [ "$(status_of asdf)" = ok ]
    printf '#!/bin/sh\n' >"$HOME/.asdf/shims/node"
    chmod 755 "$HOME/.asdf/shims/node"
    doctor_json
    [ "$(status_of asdf)" = warn ]
    export PATH=$HOME/.asdf/shims:$SHIMS:$BASE_PATH
    doctor_json
    [ "$(status_of asdf)" = fail ]
    [ "$status" -eq 1 ]
    export PATH=$SHIMS:$BASE_PATH
    mkdir -p "$HOME/.local/share/mise/shims"
    printf '#!/bin/sh\n' >"$HOME/.local/share/mise/shims/node"
    chmod 755 "$HOME/.local/share/mise/shims/node"
    export PATH=$HOME/.local/share/mise/shims:$SHIMS:$BASE_PATH
    doctor_json
    [ "$(status_of mise)" = fail ]
}

@test "doctor: shims that point elsewhere fail until 'nodus reshim'" {
    ln -sfn /nonexistent/old/nodus-shim "$SHIMS/npm"
    doctor_json
    [ "$status" -eq 1 ]
    [[ $(check shim-links) == "fail"$'\t'"1 shim does not point at "*"npm -> /nonexistent/old/nodus-shim (missing)"$'\t'"run 'nodus reshim'" ]]
    nodus reshim
    doctor_json
    [ "$status" -eq 0 ]
    [ "$(status_of shim-links)" = ok ]
    rm "$SHIMS/node"
    doctor_json
    [[ $(check shim-links) == "fail"$'\t'"there is no node shim"* ]]
}

@test "doctor: leftovers of killed installs warn; a running one is fine" {
    mkdir -p "$NODUS_HOME/tmp/stage-v22.11.0-999999999-AbC123/bin" "$NODUS_HOME/tmp/trash-v20.18.0-999999998-xYz789"
    doctor_json
    [ "$status" -eq 0 ]
    [[ $(check staging) == "warn"$'\t'*"stage-v22.11.0-999999999-AbC123 (pid 999999999 is gone)"*"trash-v20.18.0-999999998-xYz789"*$'\t'"remove them: chmod -R u+rwx $NODUS_HOME/tmp/stage-v22.11.0-999999999-AbC123"*" && rm -rf $NODUS_HOME/tmp/stage-v22.11.0-999999999-AbC123"* ]]
    rm -rf "$NODUS_HOME/tmp/"*
    mkdir -p "$NODUS_HOME/tmp/stage-v22.11.0-$$-AbC123"
    doctor_json
    [[ $(check staging) == "ok"$'\t'"in progress: stage-v22.11.0-$$-AbC123 (pid $$ is running)"* ]]
}

@test "doctor: a lock file is fine; a held lock names its holder" {
    mkdir -p "$NODUS_HOME/tmp"
    : >"$NODUS_HOME/tmp/install-v22.11.0.lock"
    doctor_json
    [[ $(check locks) =~ ^ok$'\t'[1-9][0-9]*\ lock\ files?,\ none\ held ]]
    # One process that holds the lock until it is killed (teardown).
    python3 -c 'import fcntl, sys, time
f = open(sys.argv[1])
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$NODUS_HOME/tmp/install-v22.11.0.lock" "$BATS_TEST_TMPDIR/locked" 3>&- &
    HOLDER_PID=$!
    local i
    for ((i = 0; i < 200; i++)); do [ -e "$BATS_TEST_TMPDIR/locked" ] && break; sleep 0.05; done
    doctor_json
    [ "$status" -eq 0 ]
    [[ $(check locks) == "warn"$'\t'"held: install-v22.11.0.lock (held by pid $HOLDER_PID, python"* ]]
}

@test "doctor: incomplete versions fail, stray entries warn" {
    rm "$NODUS_HOME/versions/v20.18.0/.nodus-meta"
    mkdir -p "$NODUS_HOME/versions/v19.0.0/bin"
    doctor_json
    [ "$status" -eq 1 ]
    local c
    c=$(check versions)
    [[ $c == "fail"$'\t'"incomplete versions in $NODUS_HOME/versions: "* ]]
    [[ $c == *"v20.18.0 (no .nodus-meta)"* ]]
    [[ $c == *"v19.0.0 (no bin/node)"* ]]
    [[ $c == *"'nodus uninstall v19.0.0 && nodus install v19.0.0'"* ]]
    rm -rf "$NODUS_HOME/versions/v19.0.0"
    nodus reshim
    echo x >"$NODUS_HOME/versions/v20.18.0/.nodus-meta"
    mkdir "$NODUS_HOME/versions/junk"
    doctor_json
    [ "$status" -eq 0 ]
    [[ $(check versions) == "warn"$'\t'"3 versions are complete, but junk does not belong"* ]]
}

@test "doctor: a broken index cache, config, default or alias is reported" {
    echo '{"not": "an index"' >"$XDG_CACHE_HOME/nodus/index.json"
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf 'mirror: [unclosed\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    nodus default 19 2>/dev/null || echo 19 >"$NODUS_HOME/default"
    mkdir -p "$NODUS_HOME/aliases"
    echo 17 >"$NODUS_HOME/aliases/old"
    doctor_json
    [ "$status" -eq 1 ]
    [[ $(check index-cache) == "fail"$'\t'*"is not a valid release index"$'\t'"run 'nodus cache clear'"* ]]
    [[ $(check config) == "fail"$'\t'*"config.yaml:"* ]]
    [[ $(check default) == "fail"$'\t'"the default is 19, and no installed version matches it"$'\t'"run 'nodus install 19'"* ]]
    [[ $(check aliases) == "warn"$'\t'*"old -> 17 (not installed)"* ]]
    # The config error is also on stderr, but doctor still ran.
    [[ $stderr == *"config.yaml"* ]]
}

@test "doctor takes no arguments" {
    run --separate-stderr nodus doctor now
    [ "$status" -eq 2 ]
}

# ----------------------------------------------------------- first screen

@test "nodus alone, nothing installed: says so and how to start" {
    # A new HOME beside the template's copy.
    export HOME=$BATS_TEST_TMPDIR/newcomer
    export NODUS_HOME=$HOME/.local/share/nodus XDG_CACHE_HOME=$HOME/.cache XDG_CONFIG_HOME=$HOME/.config
    mkdir -p "$HOME"
    export PATH=$NODUS_BUILD:$BASE_PATH
    run --separate-stderr nodus
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "${lines[0]}" = "nodus $(nodus version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1) - a Node.js version manager" ]
    [[ $output == *"installed:   nothing yet"* ]]
    [[ $output == *"active here: nothing (no version file here or above, and no default)"* ]]
    [[ $output == *"nodus install --lts      Long Term Support: what most projects should use"* ]]
    [[ $output == *"nodus install --latest   Current: the newest features"* ]]
    [[ $output == *"nodus init bash"* ]]
    [[ $output == *"'nodus help' lists every command"* ]]
    [ "${#lines[@]}" -le 12 ]
    [ ! -e "$NODUS_HOME/versions" ]
}

@test "nodus alone: what is installed, what is active here and why" {
    run --separate-stderr nodus
    [ "$status" -eq 0 ]
    [[ $output == *"installed:   v22.11.0 (lts/"[Jj]"od), v20.18.0 (lts/"[Ii]"ron), v18.20.4"* ]]
    [[ $output == *"active here: v22.11.0, chosen by the default, $NODUS_HOME/default (asks for 22)"* ]]
    # The shims are on PATH here: no setup line.
    [[ $output != *"nodus init"* ]]
    project p .nvmrc '20\n'
    run --separate-stderr bash -c 'cd p && nodus'
    [[ $output == *"active here: v20.18.0, chosen by $PWD/p/.nvmrc (asks for 20)"* ]]
    project q .nvmrc '23\n'
    run --separate-stderr bash -c 'cd q && nodus'
    [ "$status" -eq 0 ]
    [[ $output == *"active here: nothing: node 23 is not installed (asked for by $PWD/q/.nvmrc)"* ]]
    [[ $output == *"nodus install --lts"* ]]
}
