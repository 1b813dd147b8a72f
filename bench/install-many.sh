#!/usr/bin/env bash
# bench/install-many.sh — three releases in one command, in turn against
# side by side: `nodus install A B C --jobs 1` and `--jobs 2`, each with
# archive_format xz and gz, on loopback and at 100 Mbit/s, paired and
# interleaved (one run of each per round). Prints medians and the ratio
# side by side / in turn, per link and format.
#
#   bench/install-many.sh [RUNS [LINKS]]   (default 3 rounds, "plain 100")
#
# Uses the tarballs bench/install-vs-mise.sh builds (run it once first):
# node 22.11.0 as released, and the same files under the names of two
# more releases (22.11.1, 22.11.2: the top directory renamed, compressed
# again with xz -9 and gzip -9), signed with a throwaway key of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
LINKS=${2:-plain 100}
W=$PWD/bench/work
SRC=$W/mirror/v22.11.0
B=${NODUS_BUILD:-build}
[ -x "$B/nodus" ] || make -s
B=$(cd "$B" && pwd)
[ -f "$SRC/node-v22.11.0-linux-x64.tar.gz" ] || { echo "bench: run bench/install-vs-mise.sh first (it builds the tarballs)" >&2; exit 1; }
for t in bc xz gzip gpg python3 /usr/bin/time; do
    command -v "$t" >/dev/null || { echo "bench: $t is missing; install what the benchmarks need: make bench-deps" >&2; exit 1; }
done

MIR=$W/mirror-many
VERS="22.11.0 22.11.1 22.11.2"
for v in $VERS; do
    top=node-v$v-linux-x64 d=$MIR/v$v
    [ -f "$d/$top.tar.xz" ] && [ -f "$d/$top.tar.gz" ] && continue
    mkdir -p "$d"
    if [ "$v" = 22.11.0 ]; then
        cp "$SRC/$top.tar.xz" "$SRC/$top.tar.gz" "$d/"
    else
        echo "building the tarballs of $v (xz -9 and gzip -9, once)..." >&2
        rm -rf "$W/stage-many" && mkdir -p "$W/stage-many"
        tar -xzf "$SRC/node-v22.11.0-linux-x64.tar.gz" -C "$W/stage-many"
        mv "$W/stage-many/node-v22.11.0-linux-x64" "$W/stage-many/$top"
        tar -C "$W/stage-many" --sort=name --owner=0 --group=0 -cf "$W/$top.tar" "$top"
        xz -9 -T1 -c "$W/$top.tar" > "$d/$top.tar.xz.part" && mv "$d/$top.tar.xz.part" "$d/$top.tar.xz"
        gzip -9 -n -c "$W/$top.tar" > "$d/$top.tar.gz.part" && mv "$d/$top.tar.gz.part" "$d/$top.tar.gz"
        rm -rf "$W/stage-many" "$W/$top.tar"
    fi
    (cd "$d" && sha256sum "$top.tar.gz" "$top.tar.xz" > SHASUMS256.txt)
    rm -f "$d/SHASUMS256.txt.asc"
done
printf '[\n{"version":"v22.11.2","date":"2024-12-01","files":["linux-x64"],"lts":"Jod","security":false},\n{"version":"v22.11.1","date":"2024-11-15","files":["linux-x64"],"lts":"Jod","security":false},\n{"version":"v22.11.0","date":"2024-10-29","files":["linux-x64"],"lts":"Jod","security":false}\n]\n' > "$MIR/index.json"
KEYS=$W/keys-many
if [ ! -f "$MIR/v22.11.2/SHASUMS256.txt.asc" ] || [ ! -f "$KEYS/bench.asc" ]; then
    G=$(mktemp -d)
    gpg --homedir "$G" --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'nodus bench <bench@invalid>' ed25519 sign never 2>/dev/null
    rm -rf "$KEYS" && mkdir -p "$KEYS"
    gpg --homedir "$G" --armor --export > "$KEYS/bench.asc"
    for v in $VERS; do
        rm -f "$MIR/v$v/SHASUMS256.txt.asc"
        gpg --homedir "$G" --batch --pinentry-mode loopback --passphrase '' --clearsign -o "$MIR/v$v/SHASUMS256.txt.asc" "$MIR/v$v/SHASUMS256.txt"
    done
    rm -rf "$G"
fi

declare -A URL RATE=([plain]=0 [100]=12500000 [20]=2500000)
PIDS=()
R=$W/run-many
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$R"' EXIT
for l in $LINKS; do
    rm -f "$W/port-many.$l"
    python3 tests/lib/mirror.py --root "$MIR" --port-file "$W/port-many.$l" --rate "${RATE[$l]}" --exit-with-pid $$ &
    PIDS+=($!)
done
for l in $LINKS; do
    for _ in $(seq 50); do [ -s "$W/port-many.$l" ] && break; sleep 0.1; done
    URL[$l]=http://127.0.0.1:$(cat "$W/port-many.$l")
done

# Each run in a directory no run used before; the trees go only between
# links, then a pause (see bench/install-vs-mise.sh: ext4 without a
# journal makes an install right after a removal pay for it).
K=0
run() { # LINK FORMAT JOBS: prints "wall cpu peak_MiB"
    K=$((K + 1))
    local F=$R/k$K
    mkdir -p "$F/cfg/nodus" "$F/cache"
    sync # nothing left for this run's sync from the run before (bench/install-vs-mise.sh)
    printf 'archive_format: %s\n' "$2" > "$F/cfg/nodus/config.yaml"
    /usr/bin/time -f '%e %U %S %M' -o "$R/time" env NODUS_HOME="$F/home" XDG_CACHE_HOME="$F/cache" \
        XDG_CONFIG_HOME="$F/cfg" NODUS_MIRROR="${URL[$1]}" NODUS_PLATFORM=linux-x64 NODUS_KEYS_DIR="$KEYS" \
        NODUS_SCHEDULE_URL=off NODUS_VULNS_URL=off "$B/nodus" install --quiet $VERS --jobs "$3" </dev/null
    for v in $VERS; do grep -q '^signature=verified' "$F/home/versions/v$v/.nodus-meta"; done
    awk '{printf "%s %.2f %.1f\n", $1, $2 + $3, $4 / 1024}' "$R/time"
}
forget_runs() { rm -rf "$R"/k*; sync; sleep 35; }
median() { awk -v c="${1:-1}" '{print $c}' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

mkdir -p "$R"
CASES="xz:1 xz:2 gz:1 gz:2"
echo "3 releases (node 22.11.0's files, $(du -m "$MIR/v22.11.0/node-v22.11.0-linux-x64.tar.xz" | cut -f1) MiB .tar.xz each); $(nproc) cores"
for l in $LINKS; do
    for c in $CASES; do : > "$R/$l.$c"; done
    run "$l" xz 2 >/dev/null # warm the page cache
    forget_runs
    load0=$(cut -d' ' -f1-3 /proc/loadavg)
    for r in $(seq "$RUNS"); do
        for c in $(echo $CASES | tr ' ' '\n' | awk -v k="$r" '{a[NR]=$0} END {for (i=0;i<NR;i++) print a[(i+k)%NR+1]}'); do
            run "$l" "${c%:*}" "${c#*:}" >> "$R/$l.$c"
        done
    done
    forget_runs
    echo
    echo "link: $l$([ "$l" = plain ] && echo ' (loopback, unthrottled)' || echo ' Mbit/s'), $RUNS rounds;" \
        "load average before $load0, after $(cut -d' ' -f1-3 /proc/loadavg)"
    for c in $CASES; do
        printf '  %s --jobs %s  median %7.3f s wall, %6.2f s CPU, peak %5.1f MiB   (wall: %s)\n' "${c%:*}" "${c#*:}" \
            "$(median 1 < "$R/$l.$c")" "$(median 2 < "$R/$l.$c")" "$(median 3 < "$R/$l.$c")" \
            "$(cut -d' ' -f1 "$R/$l.$c" | sort -g | tr '\n' ' ')"
    done
    for f in xz gz; do
        printf '  %s: side by side / in turn: %.2f\n' "$f" \
            "$(echo "$(median 1 < "$R/$l.$f:2")/$(median 1 < "$R/$l.$f:1")" | bc -l)"
    done
done
