#!/usr/bin/env python3
"""Time commands interleaved: each round runs every command once, in turn,
so machine noise hits all alike. Prints one line per command:
    name median_ms p10_ms p90_ms
Usage: timeit.py ROUNDS CWD NAME=CMD [NAME=CMD...]   (CMD split on spaces)
"""
import os
import statistics
import sys
import time


def run_once(argv, cwd, env):
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status = os.waitpid(pid, 0)
    t1 = time.perf_counter_ns()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed in {cwd}")
    return (t1 - t0) / 1e6


def main():
    rounds, cwd = int(sys.argv[1]), sys.argv[2]
    cmds = [a.split("=", 1) for a in sys.argv[3:]]
    cmds = [(n, c.split()) for n, c in cmds]
    os.chdir(cwd)
    env = dict(os.environ, PWD=cwd)
    times = {n: [] for n, _ in cmds}
    for n, argv in cmds:  # warm up
        run_once(argv, cwd, env)
    for _ in range(rounds):
        for n, argv in cmds:
            times[n].append(run_once(argv, cwd, env))
    for n, _ in cmds:
        t = sorted(times[n])
        q = statistics.quantiles(t, n=10)
        print(f"{n} {statistics.median(t):.3f} {q[0]:.3f} {q[-1]:.3f}")


main()
