#!/usr/bin/env bats
# nodus import: adopt what nvm, fnm, n and volta installed. The trees are
# laid out as those tools lay them out, with release directories copied
# from versions nodus installed from the test mirror (v22.11.0, v20.18.0,
# v18.20.4), given the include/node/node_version.h a real release has.

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
    fresh_home
    unset NVM_DIR FNM_DIR FNM_MULTISHELL_PATH VOLTA_HOME N_PREFIX XDG_DATA_HOME
    DONOR=$NODUS_TESTS_TEMPLATE/.local/share/nodus
    SHIMS=$NODUS_HOME/shims
    export NVM_DIR=$HOME/.nvm
    export N_PREFIX=$HOME/nprefix
    export VOLTA_HOME=$HOME/.volta
}

teardown() {
    [ -z "${SHM_DIR:-}" ] || rm -rf "$SHM_DIR"
}

# release VERSION DEST: a Node.js release directory for VERSION at DEST.
release() {
    local v=${1#v}
    mkdir -p "$(dirname "$2")"
    cp -a "$DONOR/versions/v$v" "$2"
    rm -f "$2/.nodus-meta"
    cp "$2/include/node/node.h" "$2/include/node/node_version.h"
}

nvm_version() { release "$1" "$NVM_DIR/versions/node/v${1#v}"; }
fnm_version() { release "$1" "${FNM_DIR:-$HOME/.local/share/fnm}/node-versions/v${1#v}/installation"; }
n_version() { release "$1" "$N_PREFIX/n/versions/node/${1#v}"; }
volta_version() { release "$1" "$VOLTA_HOME/tools/image/node/${1#v}"; }

inode() { stat -c %i "$1"; }
meta() { sed -n "s/^$2=//p" "$NODUS_HOME/versions/$1/.nodus-meta"; }

@test "import nvm: versions hard-linked, links and modes kept, metadata, default, shims" {
    nvm_version 22.11.0
    nvm_version 20.18.0
    mkdir -p "$NVM_DIR/alias" && echo 20 >"$NVM_DIR/alias/default"
    ln -s "$NVM_DIR/versions/node/v22.11.0/lib/node_modules/npm/bin/npm-cli.js" \
        "$NVM_DIR/versions/node/v22.11.0/bin/abs-npm"
    mkdir -p "$NODUS_HOME" && cp "$DONOR/lts" "$NODUS_HOME/lts"
    run --separate-stderr nodus import nvm
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' "imported v20.18.0 from nvm ($NVM_DIR/versions/node/v20.18.0)" \
        "imported v22.11.0 from nvm ($NVM_DIR/versions/node/v22.11.0)" 'default set to 20 (from nvm)')" ]
    local src=$NVM_DIR/versions/node/v22.11.0 dst=$NODUS_HOME/versions/v22.11.0
    [ "$(inode "$dst/bin/node")" = "$(inode "$src/bin/node")" ]
    [ -L "$dst/bin/npm" ]
    [ "$(readlink "$dst/bin/npm")" = "$(readlink "$src/bin/npm")" ]
    # An absolute link into the other tool's tree now points into ours.
    [ "$(readlink "$dst/bin/abs-npm")" = "$dst/lib/node_modules/npm/bin/npm-cli.js" ]
    [ "$(stat -c %a "$dst/bin/node")" = "$(stat -c %a "$src/bin/node")" ]
    [ "$(meta v22.11.0 imported_from)" = nvm ]
    [ "$(meta v22.11.0 source)" = "$src" ]
    [ "$(meta v22.11.0 version)" = v22.11.0 ]
    [ "$(meta v22.11.0 lts)" = jod ]
    [ "$(meta v20.18.0 lts)" = iron ]
    [[ $(meta v22.11.0 installed) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T ]]
    [ "$(cat "$NODUS_HOME/default")" = 20 ]
    run --separate-stderr "$SHIMS/node" --version
    [ "$output" = v20.18.0 ]
    run --separate-stderr "$SHIMS/npm" --version
    [ "$status" -eq 0 ]
    assert_no_partial
    assert_no_staging
    # The other tool's tree is untouched.
    [ -x "$src/bin/node" ] && [ ! -e "$src/.nodus-meta" ]
    # doctor agrees the imported versions are complete.
    run --separate-stderr nodus doctor --json
    python3 -c 'import json,sys; c=[x for x in json.loads(sys.argv[1]) if x["check"]=="versions"][0]; assert c["status"]=="ok", c' "$output"
    # A second import changes nothing.
    run --separate-stderr nodus import nvm
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [[ $stderr == *"nvm: v22.11.0 is already installed in nodus; skipped"* ]]
}

@test "import fnm (default location), n and volta, with their defaults" {
    fnm_version 18.20.4
    ln -s "$HOME/.local/share/fnm/node-versions/v18.20.4/installation" "$HOME/.local/share/fnm/aliases-tmp"
    mkdir -p "$HOME/.local/share/fnm/aliases"
    mv "$HOME/.local/share/fnm/aliases-tmp" "$HOME/.local/share/fnm/aliases/default"
    run --separate-stderr nodus import fnm
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' "imported v18.20.4 from fnm ($HOME/.local/share/fnm/node-versions/v18.20.4/installation)" \
        'default set to 18.20.4 (from fnm)')" ]
    [ "$(meta v18.20.4 imported_from)" = fnm ]

    rm "$NODUS_HOME/default"
    n_version 20.18.0
    mkdir -p "$N_PREFIX/include/node"
    cp "$N_PREFIX/n/versions/node/20.18.0/include/node/node_version.h" "$N_PREFIX/include/node/"
    run --separate-stderr nodus import n
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' "imported v20.18.0 from n ($N_PREFIX/n/versions/node/20.18.0)" \
        'default set to 20.18.0 (from n)')" ]

    rm "$NODUS_HOME/default"
    volta_version 22.11.0
    mkdir -p "$VOLTA_HOME/tools/user"
    printf '{"node":{"runtime":"22.11.0","npm":null},"pnpm":null,"yarn":null}\n' >"$VOLTA_HOME/tools/user/platform.json"
    run --separate-stderr nodus import volta
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' "imported v22.11.0 from volta ($VOLTA_HOME/tools/image/node/22.11.0)" \
        'default set to 22.11.0 (from volta)')" ]
    [ "$(meta v22.11.0 imported_from)" = volta ]
    run --separate-stderr "$SHIMS/node" --version
    [ "$output" = v22.11.0 ]
    [ "$(cd "$NODUS_HOME/versions" && echo v*)" = "v18.20.4 v20.18.0 v22.11.0" ]
}

@test "import refuses directories that are not the release they claim to be" {
    nvm_version 20.18.0
    # bin/node missing.
    release 22.11.0 "$NVM_DIR/versions/node/v21.0.0"
    rm "$NVM_DIR/versions/node/v21.0.0/bin/node"
    # A 22.11.0 tree under the name v23.1.0: the header disagrees.
    release 22.11.0 "$NVM_DIR/versions/node/v23.1.0"
    # bin/node not executable.
    release 18.20.4 "$NVM_DIR/versions/node/v18.20.4"
    chmod 644 "$NVM_DIR/versions/node/v18.20.4/bin/node"
    # No version header at all.
    release 22.11.0 "$NVM_DIR/versions/node/v22.11.0"
    rm "$NVM_DIR/versions/node/v22.11.0/include/node/node_version.h"
    # Not a version name at all: ignored.
    mkdir -p "$NVM_DIR/versions/node/.cache" "$NVM_DIR/versions/node/junk"
    run --separate-stderr nodus import
    [ "$status" -eq 0 ]
    [ "$output" = "imported v20.18.0 from nvm ($NVM_DIR/versions/node/v20.18.0)" ]
    [[ $stderr == *"warning: nvm: not importing v21.0.0 from $NVM_DIR/versions/node/v21.0.0: bin/node is missing"* ]]
    [[ $stderr == *"warning: nvm: not importing v23.1.0 from $NVM_DIR/versions/node/v23.1.0: include/node/node_version.h says 22.11.0"* ]]
    [[ $stderr == *"warning: nvm: not importing v18.20.4 from "*": bin/node is not an executable file"* ]]
    [[ $stderr == *"warning: nvm: not importing v22.11.0 from "*": include/node/node_version.h is missing"* ]]
    [ "$(cd "$NODUS_HOME/versions" && echo *)" = v20.18.0 ]
    assert_no_partial
    assert_no_staging
}

@test "import --dry-run says what it would do and changes nothing" {
    nvm_version 22.11.0
    volta_version 20.18.0
    mkdir -p "$NVM_DIR/alias" && echo 'lts/*' >"$NVM_DIR/alias/default"
    run --separate-stderr nodus import --dry-run
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' "would import v22.11.0 from nvm ($NVM_DIR/versions/node/v22.11.0)" \
        "would import v20.18.0 from volta ($VOLTA_HOME/tools/image/node/20.18.0)" \
        'would set the default to lts/* (from nvm)')" ]
    [ ! -e "$NODUS_HOME/versions" ]
    [ ! -e "$NODUS_HOME/default" ]
    [ ! -e "$NODUS_HOME/shims" ]
    assert_no_staging
}

@test "import from every tool: each version once, nodus's own default kept" {
    nvm_version 22.11.0
    volta_version 22.11.0
    fnm_version 20.18.0
    n_version 18.20.4
    mkdir -p "$NVM_DIR/alias" && echo 22 >"$NVM_DIR/alias/default"
    mkdir -p "$NODUS_HOME" && echo 18 >"$NODUS_HOME/default"
    run --separate-stderr nodus import
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf '%s\n' "imported v22.11.0 from nvm ($NVM_DIR/versions/node/v22.11.0)" \
        "imported v20.18.0 from fnm ($HOME/.local/share/fnm/node-versions/v20.18.0/installation)" \
        "imported v18.20.4 from n ($N_PREFIX/n/versions/node/18.20.4)")" ]
    [[ $stderr == *"volta: v22.11.0 is already installed in nodus; skipped"* ]]
    [[ $stderr == *"keeping nodus's default (18); nvm's default is 22"* ]]
    [ "$(cat "$NODUS_HOME/default")" = 18 ]
    [ "$(meta v22.11.0 imported_from)" = nvm ]
}

@test "an nvm default that names another nvm alias is followed" {
    nvm_version 22.11.0
    mkdir -p "$NVM_DIR/alias"
    echo work >"$NVM_DIR/alias/default"
    echo 22.11 >"$NVM_DIR/alias/work"
    run --separate-stderr nodus import nvm
    [ "$status" -eq 0 ]
    [ "$(cat "$NODUS_HOME/default")" = 22.11 ]
    run --separate-stderr nodus current
    [ "$output" = v22.11.0 ]
}

@test "import across filesystems copies, keeping modes, links and contents" {
    [ -d /dev/shm ] && [ -w /dev/shm ] || skip "no /dev/shm"
    SHM_DIR=$(mktemp -d /dev/shm/nodus-import-XXXXXX)
    [ "$(stat -c %d "$SHM_DIR")" != "$(stat -c %d "$BATS_TEST_TMPDIR")" ] || skip "/dev/shm is on the same filesystem"
    export NVM_DIR=$SHM_DIR/nvm
    nvm_version 20.18.0
    run --separate-stderr nodus import nvm
    [ "$status" -eq 0 ]
    [[ $stderr == *"copied"* ]]
    local src=$NVM_DIR/versions/node/v20.18.0 dst=$NODUS_HOME/versions/v20.18.0
    [ "$(inode "$dst/bin/node")" != "$(inode "$src/bin/node")" ]
    cmp "$src/bin/node" "$dst/bin/node"
    [ "$(stat -c %a "$dst/bin/node")" = "$(stat -c %a "$src/bin/node")" ]
    [ "$(stat -c %Y "$dst/bin/node")" = "$(stat -c %Y "$src/bin/node")" ]
    [ "$(readlink "$dst/bin/npx")" = "$(readlink "$src/bin/npx")" ]
    [ "$(cd "$src" && find . | sort)" = "$(cd "$dst" && find . ! -name .nodus-meta | sort)" ]
}

@test "import: unknown tools and missing installations" {
    run --separate-stderr nodus import rvm
    [ "$status" -eq 2 ]
    [[ $stderr == *"imports from nvm, fnm, n and volta"* ]]
    run --separate-stderr nodus import nvm
    [ "$status" -eq 3 ]
    [[ $stderr == "nodus: found no nvm versions: $NVM_DIR/versions/node does not exist; if nvm lives elsewhere, set NVM_DIR" ]]
    run --separate-stderr nodus import
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [[ $stderr == *"found no versions to import"* ]]
    run --separate-stderr nodus import --force
    [ "$status" -eq 2 ]
}
