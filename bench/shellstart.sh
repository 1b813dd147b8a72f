#!/usr/bin/env bash
# bench/shellstart.sh — what nodus's shell setup adds to a shell start.
#   bash -ic exit with an empty startup file (the floor), against the same
#   with '. $NODUS_HOME/init.bash' (the sourced file, no process started)
#   and with 'eval "$(nodus init bash)"' (one nodus process per start).
# Interleaved rounds (alternating order); the figures are medians, and the
# medians of the per-round differences to the floor (paired), for wall
# time and for CPU time (user + system of bash and its children, which
# other load on the machine moves much less).
#   bench/shellstart.sh [ROUNDS]   (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-300}
W=$PWD/bench/work/shellstart
B=$PWD/${NODUS_BUILD:-build}
[ -x "$B/nodus" ] || make -s
rm -rf "$W" && mkdir -p "$W/home"
export HOME=$W NODUS_HOME=$W/home XDG_CONFIG_HOME=$W/cfg XDG_CACHE_HOME=$W/cache
"$B/nodus" init bash >/dev/null # writes $NODUS_HOME/init.bash
: >"$W/bare.rc"
echo ". '$NODUS_HOME/init.bash'" >"$W/sourced.rc"
echo "eval \"\$('$B/nodus' init bash)\"" >"$W/eval.rc"
python3 - "$ROUNDS" "$W" <<'PY'
import os, statistics, sys, time
rounds, w = int(sys.argv[1]), sys.argv[2]
arms = ["bare", "sourced", "eval"]
def once(arm):
    argv = ["/bin/bash", "--rcfile", f"{w}/{arm}.rc", "-ic", "exit"]
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, st, ru = os.wait4(pid, 0)
    wall = (time.perf_counter_ns() - t0) / 1e6
    if os.waitstatus_to_exitcode(st) != 0:
        sys.exit(f"bash with {arm}.rc failed")
    # CPU time of bash and what it waited for: less moved by other load.
    return wall, (ru.ru_utime + ru.ru_stime) * 1e3
for a in arms:
    once(a)
wall = {a: [] for a in arms}
cpu = {a: [] for a in arms}
for i in range(rounds):
    for a in (arms if i % 2 == 0 else arms[::-1]):
        x, c = once(a)
        wall[a].append(x)
        cpu[a].append(c)
med = statistics.median
def paired(t, a):
    return med([x - y for x, y in zip(t[a], t["bare"])])
print(f"bash -ic exit, {rounds} interleaved rounds; medians in ms, differences paired per round:")
print(f"  {'':28} {'wall':>8} {'over bare':>10} {'cpu':>8} {'over bare':>10}")
print(f"  {'bare startup file':<28} {med(wall['bare']):8.3f} {'':>10} {med(cpu['bare']):8.3f}")
for a, what in (("sourced", ". $NODUS_HOME/init.bash"), ("eval", 'eval "$(nodus init bash)"')):
    print(f"  {what:<28} {med(wall[a]):8.3f} {paired(wall, a):+10.3f} {med(cpu[a]):8.3f} {paired(cpu, a):+10.3f}")
PY
