#!/usr/bin/env bats
# Version selection through the shims: every kind of version file, the
# order within a directory and between directories, NODUS_VERSION, the
# default, `system`, and what happens when the chosen version is missing.
# Installed: v22.11.0, v20.18.0, v18.20.4 (each fake bin/node prints its
# version for --version).

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

# in DIR CMD...: run CMD with DIR as the working directory (PWD kept right).
in_dir() {
    local dir=$1
    shift
    (cd "$dir" && "$@")
}

# node_in DIR EXPECTED: `node --version` through the shim in DIR prints EXPECTED.
node_in() {
    run --separate-stderr in_dir "$1" node --version
    if [ "$status" -ne 0 ] || [ "$output" != "$2" ]; then
        echo "in $1: expected $2, got status $status, stdout '$output', stderr '$stderr'" >&2
        return 1
    fi
}

@test "the shims exist and point at nodus-shim" {
    local c
    for c in node npm npx corepack; do
        [ -L "$SHIMS/$c" ]
        [ "$(readlink -f "$SHIMS/$c")" = "$(readlink -f "$NODUS_BUILD/nodus-shim")" ]
    done
    [ "$(command -v node)" = "$SHIMS/node" ]
}

@test "nothing selects a version: a clear error, exit 7" {
    run --separate-stderr node --version
    [ "$status" -eq 7 ]
    [ -z "$output" ]
    [[ $stderr == "nodus: no node version is selected here;"* ]]
    [[ $stderr == *"nodus default"* ]]
    [[ $stderr == *".node-version"* ]]
}

@test ".node-version: the first word of the first non-comment line" {
    project p1 .node-version '20.18.0\n'
    node_in p1 v20.18.0
    project p2 .node-version '\n# pinned for CI\n  v18.20.4   trailing words\n22\n'
    node_in p2 v18.20.4
    project p3 .node-version '22'
    node_in p3 v22.11.0
    project p4 .node-version '\xEF\xBB\xBF20\r\n'
    node_in p4 v20.18.0
    # A range picks the highest installed version that satisfies it.
    project p5 .node-version '>=18\n'
    node_in p5 v22.11.0
}

@test ".nvmrc: comments, CRLF, a BOM, key=value lines, no final newline" {
    project a .nvmrc '18\n'
    node_in a v18.20.4
    project b .nvmrc '# the project is on iron\n\n  20   # keep in sync with CI\n'
    node_in b v20.18.0
    project c .nvmrc '\xEF\xBB\xBF# windows editor\r\nv22.11.0\r\n'
    node_in c v22.11.0
    project d .nvmrc 'node_options=--max-old-space-size=4096\n18.20'
    node_in d v18.20.4
    project e .nvmrc '\xEF\xBB\xBFlts/iron\r'
    node_in e v20.18.0
    project f .nvmrc '>=18 <21 # a range, whole\n'
    node_in f v20.18.0
    # Aliases nvm users write (the LTS names come from the last index).
    project g .nvmrc 'lts/*\n'
    node_in g v22.11.0
    project h .nvmrc 'lts/-1\n'
    node_in h v20.18.0
    project i .nvmrc 'node\n'
    node_in i v22.11.0
}

@test ".nvmrc with two bare values is ignored with a warning" {
    project up .nvmrc '22\n'
    project up/down .nvmrc '18\n20\n'
    run --separate-stderr in_dir up/down node --version
    [ "$status" -eq 0 ]
    [ "$output" = v22.11.0 ]
    [[ $stderr == *"nodus: warning: ignoring $PWD/up/down/.nvmrc"* ]]
}

@test ".tool-versions: the nodejs line, later versions are fallbacks" {
    project a .tool-versions '# asdf\npython 3.12.1\nnodejs 21.7.3 20.18.0 18.20.4\n'
    node_in a v20.18.0
    project b .tool-versions 'node 18.20.4\n'
    node_in b v18.20.4
    project c .tool-versions 'nodejs 22.11.0 20.18.0 # comment\r\n'
    node_in c v22.11.0
    # nodejs wins over node, wherever it is in the file.
    project d .tool-versions 'node 18.20.4\nnodejs 20.18.0\n'
    node_in d v20.18.0
}

@test ".tool-versions where no listed version is installed names the first one" {
    project a .tool-versions 'nodejs 21.7.3 19.9.0\n'
    run --separate-stderr in_dir a node --version
    [ "$status" -eq 7 ]
    [ "$stderr" = "nodus: node 21.7.3 is not installed (asked for by $PWD/a/.tool-versions); run 'nodus install'" ]
}

@test ".tool-versions without a node line does not decide" {
    project top .nvmrc '18\n'
    project top/sub .tool-versions 'python 3.12.1\nruby 3.3.0\n'
    node_in top/sub v18.20.4
}

@test "package.json: devEngines.runtime (object or array), engines.node, volta.node" {
    project a package.json '{"name": "a", "devEngines": {"runtime": {"name": "node", "version": "^18"}}}\n'
    node_in a v18.20.4
    project b package.json '{"devEngines": {"runtime": [{"name": "bun", "version": "1.1.0"}, {"name": "node", "version": "20.x"}]}}'
    node_in b v20.18.0
    project c package.json '{\n  "name": "c",\n  "engines": {"npm": ">=9", "node": ">=18 <21"}\n}\n'
    node_in c v20.18.0
    project d package.json '{"name": "d", "volta": {"node": "18.20.4", "npm": "10.0.0"}}'
    node_in d v18.20.4
    project e package.json '\xEF\xBB\xBF{"engines":{"node":"22"}}\r\n'
    node_in e v22.11.0
}

@test "package.json: devEngines before engines before volta" {
    project all package.json '{"volta": {"node": "22.11.0"}, "engines": {"node": "20"}, "devEngines": {"runtime": {"name": "node", "version": "18"}}}'
    node_in all v18.20.4
    project two package.json '{"volta": {"node": "22.11.0"}, "engines": {"node": "20"}}'
    node_in two v20.18.0
    # A runtime entry that is not node does not count.
    project bun package.json '{"devEngines": {"runtime": {"name": "bun", "version": "1"}}, "volta": {"node": "22"}}'
    node_in bun v22.11.0
}

@test "package.json without a node version does not decide" {
    project top .node-version '20\n'
    project top/app package.json '{"name": "app", "version": "1.0.0", "scripts": {"test": "true"}}'
    node_in top/app v20.18.0
}

@test "a malformed package.json warns and falls through" {
    project top .nvmrc '18\n'
    project top/app package.json '{ "engines": { "node": "22" '
    run --separate-stderr in_dir top/app node --version
    [ "$status" -eq 0 ]
    [ "$output" = v18.20.4 ]
    [[ $stderr == "nodus: warning: ignoring $PWD/top/app/package.json: "* ]]
    # Binary junk and a top-level array: the same.
    printf '\x00\x01\x02{}' >top/app/package.json
    node_in top/app v18.20.4
    printf '[{"engines": {"node": "22"}}]' >top/app/package.json
    node_in top/app v18.20.4
}

@test "within one directory: .node-version, .nvmrc, .tool-versions, package.json" {
    project d .node-version '18\n'
    project d .nvmrc '20\n'
    project d .tool-versions 'nodejs 22.11.0\n'
    project d package.json '{"engines": {"node": "18"}}'
    node_in d v18.20.4
    rm d/.node-version
    node_in d v20.18.0
    rm d/.nvmrc
    node_in d v22.11.0
    rm d/.tool-versions
    node_in d v18.20.4
}

@test "the nearest directory with a version file wins, from 10 levels deep" {
    local deep=root/1/2/3/4/5/6/7/8/9/10
    mkdir -p "$deep"
    project root .nvmrc '18\n'
    node_in "$deep" v18.20.4
    project root/1/2/3/4 .node-version '20\n'
    node_in "$deep" v20.18.0
    # Files that name no node version do not stop the walk.
    project root/1/2/3/4/5/6/7 .tool-versions 'python 3.12.1\n'
    project root/1/2/3/4/5/6/7/8 package.json '{"name": "x"}'
    node_in "$deep" v20.18.0
    project root/1/2/3/4/5/6/7/8/9 .nvmrc '22\n'
    node_in "$deep" v22.11.0
    # The nearest one wins even over a "stronger" kind further up.
    project root/1/2/3/4/5/6/7/8/9/10 package.json '{"engines": {"node": "18"}}'
    node_in "$deep" v18.20.4
    # and the directories above are unaffected.
    node_in root/1/2/3/4/5 v20.18.0
    node_in root v18.20.4
}

@test "a directory named .nvmrc or .node-version is not a version file" {
    project top .nvmrc '18\n'
    mkdir -p top/app/.nvmrc top/app/.node-version
    node_in top/app v18.20.4
    # and with nothing above it, nothing is selected.
    mkdir -p lone/.nvmrc
    run --separate-stderr in_dir lone node --version
    [ "$status" -eq 7 ]
}

@test "a FIFO, a device, a dangling link or a huge file named like a version file" {
    project top .nvmrc '18\n'
    mkdir -p top/fifo top/dev top/dangling top/huge top/bigjson
    mkfifo top/fifo/.nvmrc
    ln -s /dev/zero top/dev/.node-version
    ln -s "$PWD/nowhere" top/dangling/.nvmrc
    # A FIFO must not hang the shim.
    run --separate-stderr timeout 10 bash -c 'cd top/fifo && node --version'
    [ "$status" -eq 0 ]
    [ "$output" = v18.20.4 ]
    run --separate-stderr timeout 10 bash -c 'cd top/dev && node --version'
    [ "$status" -eq 0 ]
    [ "$output" = v18.20.4 ]
    node_in top/dangling v18.20.4
    # 1 MiB of comments is no version file: a warning, then the walk goes on.
    { head -c 1048576 /dev/zero | tr '\0' '#'; printf '\n22\n'; } >top/huge/.nvmrc
    run --separate-stderr timeout 10 bash -c 'cd top/huge && node --version'
    [ "$status" -eq 0 ]
    [ "$output" = v18.20.4 ]
    [[ $stderr == *"warning: ignoring $PWD/top/huge/.nvmrc"* ]]
    # A big package.json (a monorepo's) is read whole.
    python3 -c 'import json; print(json.dumps({"name": "big", "description": "x" * 2000000, "engines": {"node": "22"}}))' >top/bigjson/package.json
    node_in top/bigjson v22.11.0
}

@test "the walk follows the logical directory (\$PWD) through a symlink" {
    project linked .nvmrc '18\n'
    project real .nvmrc '22\n'
    mkdir -p real/pkg
    ln -s "$PWD/real/pkg" linked/pkg
    # cd through the symlink: the shell sets PWD=/.../linked/pkg.
    node_in linked/pkg v18.20.4
    # A stale PWD that names another directory is not trusted.
    run --separate-stderr env -C real/pkg PWD="$PWD/linked/pkg-gone" node --version
    [ "$status" -eq 0 ]
    [ "$output" = v22.11.0 ]
}

@test "a deleted working directory: the default still applies" {
    nodus default 18 2>/dev/null
    mkdir gone
    run --separate-stderr bash -c 'cd gone && rmdir ../gone && node --version'
    [ "$status" -eq 0 ]
    [ "$output" = v18.20.4 ]
}

@test "NODUS_VERSION overrides every version file" {
    project p .nvmrc '18\n'
    project p .node-version '18\n'
    NODUS_VERSION=20 node_in p v20.18.0
    NODUS_VERSION=v22.11.0 node_in p v22.11.0
    NODUS_VERSION='^18' node_in p v18.20.4
    # Empty means unset.
    NODUS_VERSION= node_in p v18.20.4
}

@test "NODUS_VERSION naming a missing version: names it, exit 7" {
    NODUS_VERSION=19 run --separate-stderr node --version
    [ "$status" -eq 7 ]
    [ "$stderr" = "nodus: node 19 is not installed (asked for by NODUS_VERSION); run 'nodus install 19'" ]
}

@test "the default applies where no file decides; files win over it" {
    run nodus default 20
    [ "$status" -eq 0 ]
    [ "$(cat "$NODUS_HOME/default")" = 20 ]
    mkdir -p elsewhere/deep/er
    node_in elsewhere/deep/er v20.18.0
    node_in . v20.18.0
    project proj .nvmrc '22\n'
    node_in proj v22.11.0
    nodus default 18.20.4
    node_in elsewhere v18.20.4
    node_in proj v22.11.0
}

@test "a default naming a missing version: names the default file, exit 7" {
    nodus default 19 2>/dev/null
    run --separate-stderr node --version
    [ "$status" -eq 7 ]
    [[ $stderr == "nodus: node 19 is not installed (asked for by the default, $NODUS_HOME/default); run 'nodus install 19'" ]]
}

@test "the not-installed message names the version and the file, exit 7" {
    project p .nvmrc '# pinned\n20.11.1\n'
    local c
    for c in node npm npx corepack; do
        run --separate-stderr in_dir p "$c" --version
        [ "$status" -eq 7 ]
        [ -z "$output" ]
        [ "$stderr" = "nodus: node 20.11.1 is not installed (asked for by $PWD/p/.nvmrc); run 'nodus install'" ]
    done
}

@test "nothing installed at all (no versions directory): the same message" {
    rm -rf "$NODUS_HOME/versions"
    project p .nvmrc '20\n'
    run --separate-stderr in_dir p node --version
    [ "$status" -eq 7 ]
    [ "$stderr" = "nodus: node 20 is not installed (asked for by $PWD/p/.nvmrc); run 'nodus install'" ]
}

@test "a spec that is not a version at all: says so and names the file" {
    project p .node-version 'banana\n'
    run --separate-stderr in_dir p node --version
    [ "$status" -ne 0 ]
    [ "$status" -ne 7 ]
    [[ $stderr == "nodus: "*"banana"*"$PWD/p/.node-version"* ]]
}

@test "system: the next node on PATH outside the shims is run" {
    mkdir -p sysbin
    printf '#!/bin/sh\necho "system node $*"\n' >sysbin/node
    chmod 755 sysbin/node
    # The shims directory is also reachable through a symlink on PATH: that
    # is still the shim, not a system node.
    ln -s "$SHIMS" shims-alias
    export PATH=$SHIMS:$PWD/shims-alias:$PWD/sysbin:$PATH
    project p .nvmrc 'system\n'
    run --separate-stderr in_dir p node --version
    [ "$status" -eq 0 ]
    [ "$output" = "system node --version" ]
    NODUS_VERSION=system run --separate-stderr node -e 1
    [ "$status" -eq 0 ]
    [ "$output" = "system node -e 1" ]
    # A version file still wins over a system default.
    nodus default system 2>/dev/null
    node_in . "system node --version"
    project q .node-version '20\n'
    node_in q v20.18.0
    # system as the fallback of .tool-versions.
    project r .tool-versions 'nodejs 21.7.3 system\n'
    node_in r "system node --version"
}

@test "system with two separate copies of nodus-shim on PATH does not loop" {
    mkdir -p copy1 copy2 sysbin
    cp "$NODUS_BUILD/nodus-shim" copy1/node
    cp "$NODUS_BUILD/nodus-shim" copy2/node
    printf '#!/bin/sh\necho "system node $*"\n' >sysbin/node
    chmod 755 sysbin/node
    export PATH=$SHIMS:$PWD/copy1:$PWD/copy2:$PWD/sysbin:$PATH
    NODUS_VERSION=system run --separate-stderr timeout 5 node --version
    [ "$status" -ne 124 ]
    [ "$output" = "system node --version" ]
}

@test "system with no node on PATH outside the shims: a clear error, 127" {
    project p .nvmrc 'system\n'
    run -127 --separate-stderr in_dir p env PATH="$SHIMS" "$SHIMS/node" --version
    [ "$stderr" = "nodus: 'system' was asked for, but there is no node on PATH outside $SHIMS" ]
}

@test "a nested project: a script that cds into sub gets sub's version" {
    project a .nvmrc '22\n'
    project a package.json '{"name": "a", "scripts": {"here": "node --version", "nested": "cd sub && node --version", "both": "node --version; (cd sub && node --version); node --version"}}'
    project a/sub .nvmrc '18\n'
    run --separate-stderr in_dir a npm run here
    [ "$status" -eq 0 ]
    [ "$output" = v22.11.0 ]
    run --separate-stderr in_dir a npm run nested
    [ "$status" -eq 0 ]
    [ "$output" = v18.20.4 ]
    run --separate-stderr in_dir a npm run both
    [ "$status" -eq 0 ]
    [ "$output" = "$(printf 'v22.11.0\nv18.20.4\nv22.11.0')" ]
}

@test "npm, npx and corepack run the selected version's tools" {
    project p .nvmrc '20\n'
    run --separate-stderr in_dir p npm --version
    [ "$status" -eq 0 ]
    local want
    want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
        "$NODUS_HOME/versions/v20.18.0/lib/node_modules/npm/package.json")
    [ "$output" = "$want" ]
    run --separate-stderr in_dir p npx --version
    [ "$output" = "$want" ]
    run --separate-stderr in_dir p npm prefix -g
    [ "$output" = "$NODUS_HOME/versions/v20.18.0" ]
    run --separate-stderr in_dir p corepack --version
    [ "$status" -eq 0 ]
    [ "$output" = 0.29.4 ]
}

@test "corepack under node 25 or later: says it is absent, 127" {
    cp -a "$NODUS_HOME/versions/v22.11.0" "$NODUS_HOME/versions/v25.0.0"
    rm "$NODUS_HOME/versions/v25.0.0/bin/corepack"
    project p .nvmrc '25\n'
    # Only the shims on PATH: a corepack elsewhere would be run instead
    # (26-hostile-local.bats covers that step aside).
    run -127 --separate-stderr in_dir p env PATH="$SHIMS" "$SHIMS/corepack" --version
    [[ $stderr == "nodus: corepack is not part of node v25.0.0 (node 25 and later"*"$PWD/p/.nvmrc"*"npm install -g corepack"* ]]
    # node itself still runs there.
    node_in p v22.11.0
}

@test "nodus-shim links libc only" {
    local shim=$NODUS_BUILD/nodus-shim
    # Whichever way it is linked, none of the CLI's libraries is in it.
    if grep -qaE 'curl_easy_|archive_read_|EVP_DigestInit|yaml_parser_|json_loads' "$shim"; then
        echo "nodus-shim contains code from libcurl, libarchive, OpenSSL, libyaml or jansson" >&2
        return 1
    fi
    run ldd "$shim"
    # A static shim (the default build) needs no shared library at all.
    if [[ $output == *"not a dynamic executable"* || $output == *"statically linked"* ]]; then
        return 0
    fi
    [ "$status" -eq 0 ]
    local line lib bad=
    while read -r line; do
        lib=${line%% *}
        lib=${lib##*/}
        case $lib in
        linux-vdso.so.* | linux-gate.so.* | ld-linux*.so.* | libc.so.*) ;;
        # Sanitizer builds (build-san) carry the sanitizer runtimes.
        libasan.so.* | libubsan.so.* | libm.so.* | libgcc_s.so.* | libstdc++.so.* | \
            libpthread.so.* | libdl.so.* | librt.so.*)
            [[ $output == *libasan* || $output == *libubsan* ]] || bad+=" $lib" ;;
        *) bad+=" $lib" ;;
        esac
    done <<<"$output"
    if [ -n "$bad" ]; then
        echo "nodus-shim links more than libc:$bad" >&2
        echo "$output" >&2
        return 1
    fi
}

# ------------------------------------------------------------------ settings the shim reads

@test "auto_install in config.yaml: the shim installs the missing version, then runs it" {
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf '# mine\nauto_install: true\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    project p .nvmrc '20.17.0\n'
    run --separate-stderr in_dir p node --version
    [ "$status" -eq 0 ]
    [ "$output" = v20.17.0 ]
    [[ $stderr == *"installing node 20.17.0 (auto_install is on)"* ]]
    [ -x "$NODUS_HOME/versions/v20.17.0/bin/node" ]
    # Installed now: the next call just runs it.
    run --separate-stderr in_dir p node --version
    [ "$output" = v20.17.0 ]
    [ -z "$stderr" ]
}

@test "NODUS_AUTO_INSTALL=1 does the same without a config file" {
    project p .node-version '23.0.0\n'
    NODUS_AUTO_INSTALL=1 run --separate-stderr in_dir p node --version
    [ "$status" -eq 0 ]
    [ "$output" = v23.0.0 ]
    # Without it, the not-installed error as before.
    rm -rf "$NODUS_HOME/versions/v23.0.0"
    run -7 --separate-stderr in_dir p node --version
}

# Bad input: auto_install of a release the mirror does not have (404 for its SHASUMS256.txt).
@test "auto_install that fails: the install's error, then the not-installed error; nothing half-installed" {
    project p .nvmrc '21.7.3\n'
    NODUS_AUTO_INSTALL=yes run -7 --separate-stderr in_dir p node --version
    [[ $stderr == *"nodus: the mirror has no SHASUMS256.txt for node v21.7.3"* ]]
    [[ $stderr == *"nodus: node 21.7.3 is not installed (asked for by $PWD/p/.nvmrc); run 'nodus install'"* ]]
    [ ! -e "$NODUS_HOME/versions/v21.7.3" ]
    [ -z "$(find "$NODUS_HOME/tmp" -maxdepth 1 -name 'stage-*' 2>/dev/null)" ]
}

@test "engines_node: false in config.yaml: the shim and nodus current skip engines.node" {
    nodus default 22 2>/dev/null
    project p package.json '{"engines": {"node": "18"}}'
    node_in p v18.20.4
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf 'engines_node: false\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    node_in p v22.11.0
    run --separate-stderr in_dir p nodus current
    [ "$output" = v22.11.0 ]
    # volta.node is still read.
    project q package.json '{"engines": {"node": "18"}, "volta": {"node": "20.18.0"}}'
    node_in q v20.18.0
}

# Bad input: a config.yaml the CLI rejects never stops a shim.
@test "a broken config.yaml: the CLI says where, the shim still runs" {
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf 'mirror: [unclosed\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    nodus default 22 2>/dev/null || true
    printf '22\n' >"$NODUS_HOME/default"
    node_in . v22.11.0
    run -0 --separate-stderr nodus ls
    [[ $stderr == "nodus: warning: $XDG_CONFIG_HOME/nodus/config.yaml:"*"going on with the default settings" ]]
    run -8 --separate-stderr nodus ls-remote
    [[ $stderr == "nodus: $XDG_CONFIG_HOME/nodus/config.yaml:"* ]]
}
