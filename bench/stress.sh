#!/usr/bin/env bash
# bench/stress.sh — nodus under concurrent load, bounded in time.
#
#   bench/stress.sh [SECONDS]      (default 60; NODUS_BUILD=build-san works too)
#
# Against a mirror generated and served on 127.0.0.1 (tests/lib/mkmirror.py,
# tests/lib/mirror.py), for SECONDS, all at once in one NODUS_HOME:
#   - 20 installers: 10 install the same version (v22.11.0) over and over,
#     10 pick one of five versions at random;
#   - 3 uninstallers remove a random version (never v20.18.0, the pinned one);
#   - 2 workers change the default (22, 20, lts/*, 18.20.4, latest);
#   - 1 worker runs `nodus reshim`;
#   - 2 shim loops: `node -v` through the shim with NODUS_VERSION=20.18.0
#     (must always print v20.18.0), and in a project whose .node-version
#     says 22 (prints a v22 release, or fails cleanly while none is there);
#   - a watcher scans versions/ without pause.
#
# Rules (what counts as a failure):
#   - install, default and reshim must always exit 0;
#   - uninstall may fail only with exit 7 and a message saying the version
#     is not installed ("no installed version matches", or "not installed
#     any more (another nodus uninstalled it meanwhile)"): an uninstall
#     racing an install or another uninstall of the same version can find
#     nothing to remove, and saying so is the right answer. Those are
#     counted as "clean refusals", not failures. Any other non-zero exit
#     is a failure;
#   - the pinned shim must print v20.18.0 every time; the project shim must
#     print v22.x, or exit 7 saying the version is not installed (counted
#     as a clean refusal). One more outcome is counted apart ("exec raced
#     uninstall"), not as a failure: the shim chose v22.x and exec'd its
#     bin/node in the same instant an uninstall renamed that version away.
#     The fake node of the test mirror is a shell script, which /bin/sh
#     opens just after the exec, so it can find itself gone ("cannot open
#     .../bin/node"); with a real node binary the exec itself either wins
#     or fails. No version manager can stop a version being removed under
#     a program that is starting from it; nodus' part (choosing a version
#     that was complete) is what the watcher checks;
#   - the watcher opens every entry of versions/ and checks, relative to
#     that open directory, that bin/node and .nodus-meta exist; an entry
#     that lacks either while it is still the entry at that path (same
#     inode before and after the check) is "seen half-installed", as is any
#     entry whose name is not a version. Directories leave versions/ only
#     by one rename (uninstall) and never come back, so this cannot
#     mistake an uninstall in progress for a partial install.
# At the end it also checks the final state (every version complete, no
# staging left in tmp/, the shims in place) and prints the figures. Exit
# status 0 only with 0 failures and 0 half-installed sightings.
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_WANTED=${1:-60}
ROOT=$(pwd)
B=${NODUS_BUILD:-$ROOT/build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
[ -x "$B/nodus" ] || make -s >/dev/null
W=$(mktemp -d "${TMPDIR:-/tmp}/nodus-stress.XXXXXX")
SRV=
PIDS=()
cleanup() {
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null
    [ -n "${PIDS+x}" ] && kill "${PIDS[@]}" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

VERSIONS=(v22.11.0 v22.10.0 v20.18.0 v20.17.0 v18.20.4)
PINNED=v20.18.0

plat() {
    local os arch
    case $(uname -s) in Linux) os=linux ;; Darwin) os=darwin ;; *) os=$(uname -s | tr 'A-Z' 'a-z') ;; esac
    case $(uname -m) in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
    echo "$os-$arch"
}

echo "stress: building the mirror in $W ..." >&2
python3 tests/lib/mkmirror.py "$W/mirror" --platforms "$(plat)" --pad 65536 \
    --versions "$(
        IFS=,
        echo "${VERSIONS[*]}"
    )" >/dev/null || exit 1
python3 tests/lib/mirror.py --root "$W/mirror" --port-file "$W/port" --log /dev/null --exit-with-pid $$ \
    </dev/null >"$W/mirror.err" 2>&1 &
SRV=$!
for _ in $(seq 100); do [ -s "$W/port" ] && break; sleep 0.1; done
[ -s "$W/port" ] || { echo "stress: the mirror did not start" >&2; cat "$W/mirror.err" >&2; exit 1; }

unset NODUS_VERSION XDG_DATA_HOME http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export HOME=$W/home NODUS_HOME=$W/home/nodus XDG_CACHE_HOME=$W/home/.cache XDG_CONFIG_HOME=$W/home/.config
export NODUS_MIRROR=http://127.0.0.1:$(cat "$W/port") NODUS_ALLOW_UNSIGNED=1 NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
export NODUS_RETRY_DELAY_MS=50 NODUS_RETRIES=3 NODUS_STALL_TIMEOUT=30
export PATH=$B:$PATH
mkdir -p "$HOME" "$W/logs" "$W/project"
printf '22\n' >"$W/project/.node-version"

# The pinned version and the shims exist before the load starts.
nodus --quiet install "$PINNED" || { echo "stress: the first install failed" >&2; exit 1; }
nodus reshim || exit 1
SHIM=$NODUS_HOME/shims/node
[ -x "$SHIM" ] || { echo "stress: no node shim after reshim" >&2; exit 1; }

END=$(($(date +%s) + SECONDS_WANTED))

# op NAME CMD...: run one operation, log "NAME rc" and keep stderr on failure.
# ME is the worker's own name, set when it starts.
op() {
    local name=$1 rc
    shift
    "$@" >"$W/logs/out.$ME" 2>"$W/logs/err.$ME"
    rc=$?
    printf '%s %d\n' "$name" "$rc" >>"$W/logs/ops.$ME"
    if [ "$rc" -ne 0 ]; then
        { printf '%s exit %d: %s\n' "$name" "$rc" "$*"; sed 's/^/    /' "$W/logs/err.$ME"; } \
            >>"$W/logs/nonzero.$ME"
    fi
    return "$rc"
}

installer() {
    local same=$1 v ME=install-$2
    RANDOM=$BASHPID
    while [ "$(date +%s)" -lt "$END" ]; do
        if [ "$same" = 1 ]; then v=v22.11.0; else v=${VERSIONS[RANDOM % ${#VERSIONS[@]}]}; fi
        # Not --quiet: "installed node ..." tells a download from "already installed".
        op install nodus install "$v" && grep -q '^installed node' "$W/logs/err.$ME" &&
            echo "$v" >>"$W/logs/installed.$ME"
    done
}

uninstaller() {
    local v ME=uninstall-$1
    RANDOM=$BASHPID
    while [ "$(date +%s)" -lt "$END" ]; do
        v=${VERSIONS[RANDOM % ${#VERSIONS[@]}]}
        [ "$v" = "$PINNED" ] && continue
        op uninstall nodus --quiet uninstall "$v"
        sleep 0.0$((RANDOM % 5))
    done
}

defaulter() {
    local specs=(22 20 'lts/*' 18.20.4 latest) s ME=default-$1
    RANDOM=$BASHPID
    while [ "$(date +%s)" -lt "$END" ]; do
        s=${specs[RANDOM % ${#specs[@]}]}
        op default nodus --quiet default "$s"
    done
}

reshimmer() {
    local ME=reshim
    while [ "$(date +%s)" -lt "$END" ]; do
        op reshim nodus reshim
    done
}

shim_pinned() {
    local ME=shim-pinned
    while [ "$(date +%s)" -lt "$END" ]; do
        if op shim-pinned env NODUS_VERSION=$PINNED "$SHIM" -v; then
            [ "$(cat "$W/logs/out.$ME")" = "$PINNED" ] ||
                printf 'shim-pinned printed %s\n' "$(cat "$W/logs/out.$ME")" >>"$W/logs/wrong.$ME"
        fi
    done
}

shim_project() {
    local ME=shim-project
    cd "$W/project" || return
    while [ "$(date +%s)" -lt "$END" ]; do
        if op shim-project "$SHIM" -v; then
            case $(cat "$W/logs/out.$ME") in
            v22.*) ;;
            *) printf 'shim-project printed %s\n' "$(cat "$W/logs/out.$ME")" >>"$W/logs/wrong.$ME" ;;
            esac
        fi
    done
}

watcher() {
    python3 - "$NODUS_HOME/versions" "$END" "$W/logs/watch" <<'EOF'
import os, re, sys, time
vdir, end, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
name_re = re.compile(r"^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
scans = entries = 0
bad = []
while time.time() < end:
    scans += 1
    try:
        names = os.listdir(vdir)
    except FileNotFoundError:
        continue
    for name in names:
        path = os.path.join(vdir, name)
        entries += 1
        if not name_re.match(name):
            bad.append("%s: not a version name" % name)
            continue
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except (FileNotFoundError, NotADirectoryError):
            continue
        try:
            ino = os.fstat(fd).st_ino
            missing = []
            for f in ("bin/node", ".nodus-meta"):
                try:
                    os.stat(f, dir_fd=fd)
                except FileNotFoundError:
                    missing.append(f)
            if missing:
                try:
                    still = os.lstat(path).st_ino == ino
                except FileNotFoundError:
                    still = False
                if still:
                    bad.append("%s: no %s" % (name, " or ".join(missing)))
        finally:
            os.close(fd)
with open(out, "w") as f:
    f.write("%d %d %d\n" % (scans, entries, len(bad)))
    for b in bad[:20]:
        f.write(b + "\n")
EOF
}

echo "stress: ${SECONDS_WANTED}s of load: 20 installers, 3 uninstallers, 2 default changers, 1 reshim, 2 shim loops, 1 watcher" >&2
T0=$(date +%s.%N)
PIDS=()
for i in $(seq 10); do installer 1 "same-$i" & PIDS+=($!); done
for i in $(seq 10); do installer 0 "any-$i" & PIDS+=($!); done
for i in 1 2 3; do uninstaller "$i" & PIDS+=($!); done
defaulter 1 & PIDS+=($!)
defaulter 2 & PIDS+=($!)
reshimmer & PIDS+=($!)
shim_pinned & PIDS+=($!)
shim_project & PIDS+=($!)
watcher & PIDS+=($!)
wait "${PIDS[@]}"
T1=$(date +%s.%N)

# ---- figures
cat "$W"/logs/ops.* >"$W/ops"
cat "$W"/logs/nonzero.* >"$W/nonzero" 2>/dev/null || : >"$W/nonzero"
cat "$W"/logs/wrong.* >"$W/wrong" 2>/dev/null || : >"$W/wrong"

count() { awk -v n="$1" -v rc="${2:-}" '$1 == n && (rc == "" || (rc == "nz" ? $2 != 0 : $2 == rc)) { c++ } END { print c + 0 }' "$W/ops"; }

# Classify every non-zero exit.
python3 - "$W/nonzero" >"$W/classified" <<'EOF'
import re, sys
allowed = {
    "uninstall": (7, re.compile(r"no installed version matches|is not installed any more")),
    "shim-project": (7, re.compile(r"not installed|was uninstalled just as")),
}
# A process that starts at the moment its version is uninstalled: the shim
# chose the version and exec'd its bin/node, and the rename took the files
# away before the started program read them. The test's fake node is a
# shell script, which /bin/sh opens just after exec, so this window is
# visible here (with a real node binary the exec itself either wins or
# fails). Not nodus' doing, and not preventable by it; counted apart.
exec_race = re.compile(r"cannot open \S*/versions/v22\.[0-9.]+/bin/node: No such file")
block = []
def flush():
    if not block:
        return
    head = block[0]
    m = re.match(r"(\S+) exit (\d+):", head)
    name, rc = m.group(1), int(m.group(2))
    text = "".join(block[1:])
    if name in allowed and rc == allowed[name][0] and allowed[name][1].search(text):
        print("refusal " + name)
    elif name == "shim-project" and exec_race.search(text):
        print("execrace " + name)
    else:
        print("failure " + name)
        sys.stderr.write("".join(block))
for line in open(sys.argv[1]):
    if not line.startswith("    "):
        flush()
        block = []
    block.append(line)
flush()
EOF

refusals=$(grep -c '^refusal' "$W/classified")
execraces=$(grep -c '^execrace' "$W/classified")
failures=$(($(grep -c '^failure' "$W/classified") + $(wc -l <"$W/wrong")))
read -r scans entries half <"$W/logs/watch"

# The state at the end.
final_bad=0
for d in "$NODUS_HOME"/versions/*; do
    [ -e "$d" ] || continue
    if [ ! -x "$d/bin/node" ] || [ ! -f "$d/.nodus-meta" ] || [ "$("$d/bin/node" -v)" != "${d##*/}" ]; then
        echo "stress: at the end, ${d##*/} is incomplete" >&2
        final_bad=$((final_bad + 1))
    fi
done
left=$(find "$NODUS_HOME/tmp" -mindepth 1 -maxdepth 1 ! -name '*.lock' | wc -l)
[ "$left" -eq 0 ] || { echo "stress: left in tmp/: $(ls "$NODUS_HOME/tmp")" >&2; final_bad=$((final_bad + 1)); }
for s in node npm npx; do
    [ -e "$NODUS_HOME/shims/$s" ] || { echo "stress: shim $s missing at the end" >&2; final_bad=$((final_bad + 1)); }
done

total=$(wc -l <"$W/ops")
downloads=$(cat "$W"/logs/installed.* 2>/dev/null | wc -l)
removed=$(count uninstall 0)
printf '\nstress: %.0f s, %s operations (%d concurrent workers)\n' "$(awk -v a="$T0" -v b="$T1" 'BEGIN { print b - a }')" "$total" "${#PIDS[@]}"
printf '  %-13s %6s %6s\n' operation count "exit≠0"
for n in install uninstall default reshim shim-pinned shim-project; do
    printf '  %-13s %6d %6d\n' "$n" "$(count "$n")" "$(count "$n" nz)"
done
printf '  (%d installs downloaded, verified and installed a release; the rest found it installed;\n' "$downloads"
printf '   %d uninstalls removed one)\n' "$removed"
printf '  failures:                   %d\n' "$failures"
printf '  clean refusals (allowed):   %d  (uninstall, or the project shim, finding its version removed by another worker: exit 7, "not installed")\n' "$refusals"
printf '  exec raced uninstall:       %d  (the project shim exec'"'"'d a version an uninstall removed in the same instant; see the header)\n' "$execraces"
printf '  versions seen half-installed: %d  (in %d scans of versions/, %d entries checked)\n' "$half" "$scans" "$entries"
printf '  final state problems:       %d\n' "$final_bad"
if [ "$half" -gt 0 ]; then sed -n '2,$p' "$W/logs/watch" >&2; fi
if [ -s "$W/wrong" ]; then cat "$W/wrong" >&2; fi
[ "$failures" -eq 0 ] && [ "$half" -eq 0 ] && [ "$final_bad" -eq 0 ]
