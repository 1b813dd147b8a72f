#!/usr/bin/env bats
# Terminal injection: every string from outside (the mirror's index, a
# cloned repository's version files, .nodus-meta, the environment) reaches
# the terminal with its control characters made visible, and --json stays
# valid JSON with them escaped. tests/lib/termcheck.py refuses raw C0/C1
# controls, DEL, invalid UTF-8, bidi overrides and a forged "nodus: all
# good" line in what the commands print.

bats_require_minimum_version 1.5.0

load ../lib/common
load ../lib/shims

# What a hostile file says: retitle the terminal, clear it, forge a line of
# nodus's own, a C1 CSI, a right-to-left override, and (in raw files) a byte
# that is not UTF-8.
HOSTILE_JSON='\u001b]0;PWNED\u0007\u001b[2J\r\nnodus: all good\n\u009b31m\u202egnp.exe\u007f'
HOSTILE_RAW=$'\e]0;PWNED\a\e[2J\r\nnodus: all good\n\xc2\x9b31m\xe2\x80\xaegnp.exe\x7f\xff'

setup_file() {
    setup_mirror --platforms "$(node_platform)" --versions v22.11.0,v20.18.0 && make_home_template 22.11.0
}

teardown_file() {
    teardown_mirror
}

setup() {
    home_from_template
}

# clean FILE...: no raw control characters and no forged line in them.
clean() {
    python3 "$NODUS_TESTS_LIB/termcheck.py" "$@"
}

# hostile_index: put a release at the top of the mirror's index.json whose
# text fields carry the payload.
hostile_index() {
    export NODUS_INDEX_TTL=0
    python3 - "$MIRROR_DIR/index.json" <<'PY'
import json, sys
path = sys.argv[1]
rows = json.load(open(path))
evil = "\x1b]0;PWNED\x07\x1b[2J\r\nnodus: all good\n\x9b31m\u202egnp.exe\x7f"
row = dict(rows[0])
row.update(version="v99.0.0", date=evil, npm=evil, v8=evil, uv=evil, zlib=evil, openssl=evil,
           modules=evil, files=[evil, "linux-x64"], lts=False)
json.dump([row] + rows, open(path, "w"))
PY
}

@test "the test's own checker finds raw controls and the forged line" {
    printf '%s' "$HOSTILE_RAW" > raw
    run ! clean raw
    printf 'v22.11.0\nnodus: all good\n' > forged
    run ! clean forged
    printf 'v22.11.0 caf\xc3\xa9\n' > fine
    clean fine
}

@test "ls-remote shows a hostile index.json's fields made visible" {
    hostile_index
    nodus ls-remote > out 2> err
    clean out err
    # The date is there, escaped, on the row of its version.
    grep -F 'v99.0.0' out | grep -F '\x1b]0;PWNED\x07\x1b[2J\x0d\x0anodus: all good\x0a\u009b31m\u202egnp.exe\x7f'
    nodus ls-remote 99 > out 2> err
    clean out err
    [ "$(wc -l < out)" -eq 1 ]
}

@test "ls-remote --json: valid JSON, the hostile text escaped and intact" {
    hostile_index
    nodus ls-remote --json > out 2> err
    clean out err
    python3 - out <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
evil = "\x1b]0;PWNED\x07\x1b[2J\r\nnodus: all good\n\x9b31m\u202egnp.exe\x7f"
top = rows[0]
assert top["version"] == "v99.0.0", top
for k in ("date", "npm", "v8", "uv", "zlib", "openssl", "modules"):
    assert top[k] == evil, (k, top[k])
assert top["files"] == [evil, "linux-x64"], top["files"]
assert [r["version"] for r in rows[1:3]] == ["v23.1.0", "v23.0.0"] or len(rows) > 1, rows[:3]
raw = open(sys.argv[1], "rb").read()
assert b"\\u001b]0;pwned\\u0007" in raw.lower(), raw[:400]
assert b"\\u009b" in raw and b"\\u202e" in raw and b"\\u007f" in raw, raw[:400]
PY
}

# A cloned repository's package.json: engines.node carries the payload.
@test "a hostile package.json: shim, current and which print no control characters" {
    mkdir p
    printf '{"engines":{"node":"%s"}}' "$HOSTILE_JSON" > p/package.json
    cd p
    run -8 --separate-stderr "$SHIMS/node" --version
    printf '%s' "$output" > out; printf '%s' "$stderr" > err
    clean out err
    [[ $stderr == *'\x1b]0;PWNED\x07'* ]]
    for cmd in current which "current --json" "which --json"; do
        nodus $cmd > out 2> err && { echo "nodus $cmd succeeded"; false; }
        clean out err || { echo "nodus $cmd"; false; }
    done
    # --json keeps the spec as it was, escaped, in valid JSON.
    nodus current --json > out 2> err || true
    python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["spec"] is None or o["spec"].startswith("\x1b]0;PWNED\x07"), o' out
}

@test "a hostile .nvmrc and .tool-versions: no control characters reach the terminal" {
    project p .nvmrc "22\n"
    printf '%s\n' "$HOSTILE_RAW" > p/.nvmrc
    cd p
    for cmd in "$SHIMS/node --version" "nodus current" "nodus which" "nodus current --json"; do
        $cmd > out 2> err && { echo "$cmd succeeded"; false; }
        clean out err || { echo "$cmd"; false; }
    done
    rm .nvmrc
    printf 'nodejs %s\n' "$HOSTILE_RAW" > .tool-versions
    for cmd in "$SHIMS/node --version" "nodus current" "nodus which"; do
        $cmd > out 2> err && { echo "$cmd succeeded"; false; }
        clean out err || { echo "$cmd"; false; }
    done
}

@test "a hostile default file and NODUS_VERSION are shown made visible" {
    printf '%s\n' "$HOSTILE_RAW" > "$NODUS_HOME/default"
    for cmd in "$SHIMS/node --version" "nodus current" "nodus which" "nodus ls"; do
        $cmd > out 2> err || true
        clean out err || { echo "$cmd"; false; }
    done
    rm "$NODUS_HOME/default"
    NODUS_VERSION=$HOSTILE_RAW "$SHIMS/node" --version > out 2> err && false
    clean out err
}

@test "ls shows a hostile .nodus-meta lts field made visible" {
    meta=$NODUS_HOME/versions/v22.11.0/.nodus-meta
    grep -v '^lts=' "$meta" > meta.new
    printf 'lts=%s\n' $'\e]0;PWNED\a\e[2J\xc2\x9b' >> meta.new
    cp meta.new "$meta"
    nodus ls > out 2> err
    clean out err
    grep -F 'lts/\x1b]0;PWNED\x07\x1b[2J\u009b' out
    nodus ls --json > out 2> err
    clean out err
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' out
}

@test "a long outside path does not push the reason out of the message" {
    # About 3.5 KB of directories from the working directory, each name
    # 200 bytes, and a package.json there that is not JSON.
    name=$(head -c 200 /dev/zero | tr '\0' 'd')
    deep=.
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do deep=$deep/$name; done
    mkdir -p "$deep"
    printf '{"engines": {"node": ' > "$deep/package.json"
    cd "$deep"
    run --separate-stderr "$SHIMS/node" --version
    [[ ${stderr_lines[0]} == "nodus: warning: ignoring "*"/package.json: "*"; fix or remove it" ]]
    run --separate-stderr nodus current
    [[ ${stderr_lines[0]} == "nodus: warning: ignoring "*"/package.json: "*"; fix or remove it" ]]
}

@test "a message longer than 4 KiB is shortened in the middle, keeping its end" {
    # A deeper path still (PATH_MAX allows 4 KB): the middle gives way.
    name=$(head -c 248 /dev/zero | tr '\0' 'd')
    deep=.
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do deep=$deep/$name; done
    mkdir -p "$deep"
    printf '{"engines": {"node": ' > "$deep/package.json"
    cd "$deep"
    run --separate-stderr nodus current
    [ "$status" -ne 0 ]
    line=${stderr_lines[0]}
    echo "${#line}: ${line:0:80}...${line: -120}"
    [ "${#line}" -le 4096 ]
    [[ $line =~ \.\.\.\[[0-9]+\ bytes\ left\ out\]\.\.\. ]]
    [[ $line == "nodus: warning: ignoring /"*"/package.json: "*"; fix or remove it" ]]
}

@test "default, alias and config print hostile text from their files made visible" {
    printf '%s\n' "$HOSTILE_RAW" > "$NODUS_HOME/default"
    nodus default > out 2> err || true
    clean out err
    grep -F '\x1b]0;PWNED' out
    rm "$NODUS_HOME/default"
    mkdir -p "$NODUS_HOME/aliases"
    printf '%s\n' "$HOSTILE_RAW" > "$NODUS_HOME/aliases/work"
    nodus alias > out 2> err || true
    clean out err
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf 'keys_dir: "/k\\e]0;PWNED\\a\\r\\nnodus: all good"\n' > "$XDG_CONFIG_HOME/nodus/config.yaml"
    nodus config get keys_dir > out 2> err || true
    clean out err
    grep -F '/k\x1b]0;PWNED\x07\x0d\x0anodus: all good' out
    nodus config list > out 2> err || true
    clean out err
}

@test "import shows a hostile NVM_DIR path made visible" {
    export NVM_DIR=$HOME/$'nvm\e]0;PWNED\a'
    mkdir -p "$NVM_DIR/versions/node"
    cp -a "$NODUS_HOME/versions/v22.11.0" "$NVM_DIR/versions/node/v22.11.0"
    rm -f "$NVM_DIR/versions/node/v22.11.0/.nodus-meta"
    cp "$NVM_DIR/versions/node/v22.11.0/include/node/node.h" "$NVM_DIR/versions/node/v22.11.0/include/node/node_version.h"
    rm -rf "$NODUS_HOME/versions/v22.11.0"
    nodus import nvm --dry-run > out 2> err || true
    cat out err
    clean out err
    grep -F 'nvm\x1b]0;PWNED\x07' out
}
