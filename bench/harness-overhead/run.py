"""Harness overhead benchmark: 4,000 tasks of 0.5 ms (busy loop) through Pool.map(chunksize=1), 2 workers.

Each task is a busy loop calibrated once to 0.5 ms (the same number of iterations in
every run, so CPU times compare). Runs the same workload with plain ``python`` and under ``python -m parascope_harness
--pool asis --events-dir <tmp>`` (everything recorded), alternating the two, and
prints the median ratio of wall times (target <= 1.02) with the absolute medians.
Two wall times are compared: the whole process (start-up included) and the
``Pool.map`` call alone (what the harness adds per task); the CPU time of the
whole process tree is printed too (steadier than wall time on a busy machine).
Bytecode is cached (in a temporary PYTHONPYCACHEPREFIX) as in a normal
installation, and one unmeasured run of each warms the caches.

Usage: python3 bench/harness-overhead/run.py [--pairs N] [--python PATH]
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKLOAD = '''
import multiprocessing as mp
import sys
import time

SPINS = int(sys.argv[1])


def busy(_):
    n = 0
    for _ in range(SPINS):
        n += 1
    return None


if __name__ == "__main__":
    with mp.Pool(2) as pool:
        pool.map(busy, range(20), chunksize=1)  # warm the workers up
        start = time.perf_counter()
        pool.map(busy, range(4000), chunksize=1)
        print(time.perf_counter() - start)
'''


def calibrate():
    """Loop iterations that take 0.5 ms here: every run then does exactly the same work."""
    spins, best = 20000, None
    for _ in range(5):
        start = time.perf_counter()
        n = 0
        for _ in range(spins):
            n += 1
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return max(1, int(spins * 0.0005 / best))


def run_once(argv, env):
    """(wall seconds, Pool.map seconds, CPU seconds of the process tree) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(argv, stdout=subprocess.PIPE, env=env, check=True).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, float(out.decode().strip().splitlines()[-1]), cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=9)
    parser.add_argument("--python", default=sys.executable)
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="parascope-bench-")
    try:
        script = os.path.join(work, "workload.py")
        with open(script, "w") as f:
            f.write(WORKLOAD)
        env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"),
                   PYTHONPYCACHEPREFIX=os.path.join(work, "pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        spins = str(calibrate())
        run_once([options.python, script, spins], env)
        run_once([options.python, "-m", "parascope_harness", "--events-dir",
                  os.path.join(work, "warm"), script, spins], env)
        plain, harnessed, tasks = [], [], []
        for pair in range(options.pairs):
            events = os.path.join(work, "events-%d" % pair)
            runs = [("plain", [options.python, script, spins]),
                    ("harness", [options.python, "-m", "parascope_harness", "--pool", "asis",
                                 "--events-dir", events, script, spins])]
            if pair % 2:
                runs.reverse()  # alternate which one goes first
            for name, argv in runs:
                (plain if name == "plain" else harnessed).append(run_once(argv, env))
            tasks.append(sum(1 for name in os.listdir(events) for line in open(os.path.join(events, name))
                             if '"ev":"task"' in line))
        def med(runs, i):
            return statistics.median(r[i] for r in runs)

        p_wall, h_wall = med(plain, 0), med(harnessed, 0)
        p_map, h_map = med(plain, 1), med(harnessed, 1)
        p_cpu, h_cpu = med(plain, 2), med(harnessed, 2)
        ratios_wall = [h[0] / p[0] for p, h in zip(plain, harnessed)]
        ratios_map = [h[1] / p[1] for p, h in zip(plain, harnessed)]
        ratios_cpu = [h[2] / p[2] for p, h in zip(plain, harnessed)]
        result = {
            "pairs": options.pairs, "tasks": 4000, "taskSeconds": 0.0005, "workers": 2,
            "python": options.python,
            "wall": {"plainMedian": p_wall, "harnessMedian": h_wall,
                     "ratioOfMedians": h_wall / p_wall, "medianPairRatio": statistics.median(ratios_wall)},
            "map": {"plainMedian": p_map, "harnessMedian": h_map,
                    "ratioOfMedians": h_map / p_map, "medianPairRatio": statistics.median(ratios_map)},
            "cpu": {"plainMedian": p_cpu, "harnessMedian": h_cpu,
                    "ratioOfMedians": h_cpu / p_cpu, "medianPairRatio": statistics.median(ratios_cpu)},
            "taskEventsPerRun": sorted(set(tasks)),
            "loadAverage": os.getloadavg(),
        }
        print("harness overhead, %d pairs, 4000 x 0.5 ms tasks, Pool.map(chunksize=1), 2 workers"
              % options.pairs)
        print("  whole run : plain %.3f s, harness %.3f s, median ratio %.3f (ratio of medians %.3f)"
              % (p_wall, h_wall, result["wall"]["medianPairRatio"], result["wall"]["ratioOfMedians"]))
        print("  Pool.map  : plain %.3f s, harness %.3f s, median ratio %.3f (ratio of medians %.3f)"
              % (p_map, h_map, result["map"]["medianPairRatio"], result["map"]["ratioOfMedians"]))
        print("  CPU (tree): plain %.3f s, harness %.3f s, median ratio %.3f (ratio of medians %.3f)"
              % (p_cpu, h_cpu, result["cpu"]["medianPairRatio"], result["cpu"]["ratioOfMedians"]))
        print("  task events recorded per run: %s; load average %.1f %.1f %.1f (target ratio <= 1.02)"
              % ((result["taskEventsPerRun"],) + tuple(result["loadAverage"])))
        print(json.dumps(result))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
