"""What the harness adds to each task of a multiprocessing.Pool, measured in one process.

The whole-run ratio (``run.py``) is what a user feels, but on a shared machine it moves by a
few percent from one minute to the next. This measures the two per-task code paths the
harness changes, plain and instrumented, with nothing else running in the process:

- worker: ``multiprocessing.pool.worker`` itself, fed N pickled map tasks through a pipe
  (receive, unpickle, call, pickle and send the result; with the harness also the two clock
  reads, the task line and its ``write``), the task function returning at once;
- parent: the pool's task-handler loop (generate the task, with the harness tag it, pickle it
  and send it);
- the kernel calls among the worker's extra work: a thread-CPU clock read (twice a task: no
  vDSO serves CPU clocks) and the task line's ``write`` (before the result is sent).

Each arm runs in a fresh interpreter, the arms alternate, and the figure per arm is the median
over rounds of the fastest pass (``--rounds``). Linux only (pipe sizes are raised with
``F_SETPIPE_SZ`` so a whole pass fits in the pipe). The harness arm drives the harness's
internal modules directly (``events``, ``tasks``, ``pools.workerside``, ``pools.mp_pool``).

Usage: python3 bench/harness-overhead/per_task.py [--rounds N] [--python PATH]
"""
import argparse
import fcntl
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
TASKS = 1000  # per pass: about 330 KB of task messages, well inside a 1 MiB pipe
PASSES = 7
SITE = ("/home/user/project/workload.py", 21, "<module>")


def positive(text):
    """An ``argparse`` type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1, got %s" % text)
    return value


def supported():
    """Pipes can be enlarged (Linux): a whole pass must fit in them."""
    return sys.platform.startswith("linux")


def _noop(_):
    return None


def _pipe_queue():
    import multiprocessing as mp
    queue = mp.SimpleQueue()
    for conn in (queue._reader, queue._writer):
        fcntl.fcntl(conn.fileno(), F_SETPIPE_SZ, 1 << 20)
    return queue


def _close(queue):
    queue._reader.close()
    queue._writer.close()


class _Harness:
    """The harness's per-task machinery, set up as in a recorded run (events into a temp dir)."""

    def __init__(self):
        from multiprocessing import pool as mpool
        from parascope_harness import events, tasks
        from parascope_harness.pools import mp_pool, workerside
        tasks.MAPSTARS[:] = [mpool.mapstar, mpool.starmapstar]
        self.events_dir = tempfile.mkdtemp(prefix="parascope-bench-")
        events.configure(self.events_dir, None)
        events.mark_announced()
        self.head = tasks.head("1-0", SITE)
        self.mp_pool, self.workerside = mp_pool, workerside

    def tag(self, taskseq):
        return self.mp_pool._tagged(types.SimpleNamespace(pool_ref=None), taskseq, (self.head,), SITE)


def _map_tasks():
    """The tasks ``Pool.map(f, range(TASKS), chunksize=1)`` hands its task handler."""
    from multiprocessing import pool as mpool
    for i, chunk in enumerate(mpool.Pool._get_tasks(_noop, range(TASKS), 1)):
        yield (0, i, mpool.mapstar, (chunk,), {})


def worker_pass(harness):
    from multiprocessing import pool as mpool
    from multiprocessing.reduction import ForkingPickler
    inqueue, outqueue = _pipe_queue(), _pipe_queue()
    taskseq = harness.tag(_map_tasks()) if harness else _map_tasks()
    for task in taskseq:
        inqueue._writer.send_bytes(ForkingPickler.dumps(task))
    inqueue._writer.send_bytes(ForkingPickler.dumps(None))
    if harness:
        process = types.SimpleNamespace(_target=mpool.worker, _args=(inqueue, outqueue, None, (), None, False))
        harness.workerside.install(process)
    results = os.dup(outqueue._reader.fileno())  # worker() closes the reader, as a child would
    try:
        start = time.perf_counter_ns()
        mpool.worker(inqueue, outqueue, None, (), None, False)
        return (time.perf_counter_ns() - start) / TASKS / 1000.0
    finally:
        os.close(results)
        _close(inqueue)
        _close(outqueue)


def parent_pass(harness):
    import multiprocessing as mp
    reader, writer = mp.Pipe(duplex=False)
    fcntl.fcntl(writer.fileno(), F_SETPIPE_SZ, 1 << 20)
    put = writer.send  # Pool's _quick_put
    taskseq = harness.tag(_map_tasks()) if harness else _map_tasks()
    try:
        start = time.perf_counter_ns()
        for task in taskseq:
            put(task)
        return (time.perf_counter_ns() - start) / TASKS / 1000.0
    finally:
        reader.close()
        writer.close()


def kernel_calls():
    """Median µs of the kernel calls a recorded pool task makes: ``(thread-CPU clock read after
    some work, the same read right after a wake-up, task-line write)``. A task reads the clock
    after its receive woke the worker up and again after the call, and writes one line."""
    folder = tempfile.mkdtemp(prefix="parascope-bench-")
    fd = os.open(os.path.join(folder, "events-1.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    line = b"x" * 360 + b"\n"  # a task line's usual length
    empty, after_work, after_wake, write = [], [], [], []
    now, cpu = time.perf_counter_ns, time.thread_time_ns
    try:
        for _ in range(1500):
            time.sleep(0.0001)
            t0 = now()
            cpu()
            t1 = now()
            for _ in range(2000):  # a few tens of µs of work
                pass
            t2 = now()
            t3 = now()
            cpu()
            t4 = now()
            os.write(fd, line)
            t5 = now()
            after_wake.append(t1 - t0)
            empty.append(t3 - t2)
            after_work.append(t4 - t3)
            write.append(t5 - t4)
    finally:
        os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)
    base = statistics.median(empty)
    return [(statistics.median(v) - base) / 1000.0 for v in (after_work, after_wake, write)]


def child(arm):
    harness = _Harness() if arm == "harness" else None
    out = {}
    try:
        for name, one_pass in (("worker", worker_pass), ("parent", parent_pass)):
            one_pass(harness)  # warm up
            out[name] = min(one_pass(harness) for _ in range(PASSES))
        if not harness:
            out["clock"], out["clockAfterWake"], out["write"] = kernel_calls()
    finally:
        if harness:
            shutil.rmtree(harness.events_dir, ignore_errors=True)
    print(json.dumps(out))


def measure(python, rounds, env):
    """{arm: {"worker": [us...], "parent": [us...]}} over ``rounds`` alternated rounds (the plain
    arm also has the kernel calls' costs: "clock", "clockAfterWake" and "write")."""
    found = {"plain": {"worker": [], "parent": [], "clock": [], "clockAfterWake": [], "write": []},
             "harness": {"worker": [], "parent": []}}
    for r in range(rounds):
        for arm in (("plain", "harness") if r % 2 == 0 else ("harness", "plain")):
            out = subprocess.run([python, os.path.abspath(__file__), "--child", arm], env=env,
                                 stdout=subprocess.PIPE, check=True).stdout
            for name, value in json.loads(out.decode().strip().splitlines()[-1]).items():
                found[arm][name].append(value)
    return found


def report(found, task_seconds=0.0005):
    """Printed lines and the JSON summary."""
    summary, lines = {}, []
    for name in ("worker", "parent"):
        plain = statistics.median(found["plain"][name])
        harness = statistics.median(found["harness"][name])
        added = harness - plain
        share = added / (task_seconds * 1e6)
        summary[name] = {"plainMicroseconds": plain, "harnessMicroseconds": harness,
                         "addedMicroseconds": added, "shareOfTask": share}
        lines.append("  %-6s: plain %.2f us/task, harness %.2f us/task: +%.2f us = %.2f %% of a %.1f ms task"
                     % (name, plain, harness, added, 100 * share, task_seconds * 1e3))
    clock, woken, write = (statistics.median(found["plain"][name]) for name in ("clock", "clockAfterWake", "write"))
    summary["kernelCalls"] = {"threadClockMicroseconds": clock, "threadClockAfterWakeMicroseconds": woken,
                              "writeMicroseconds": write, "perTaskMicroseconds": clock + woken + write}
    lines.append("  kernel calls in it: thread-CPU clock %.2f us after work + %.2f us after a wake-up, task-line"
                 " write %.2f us = %.2f us a task (in a busy program, with its context switches, they cost more)"
                 % (clock, woken, write, clock + woken + write))
    return lines, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=positive, default=9, help="alternated rounds (default 9)")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--child", choices=("plain", "harness"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return
    if not supported():
        parser.exit(2, "per_task.py: needs Linux (it enlarges pipes with F_SETPIPE_SZ)\n")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    lines, summary = report(measure(options.python, options.rounds, env))
    print("per-task cost, measured in one process (%d rounds, %d tasks a pass):" % (options.rounds, TASKS))
    print("\n".join(lines))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
