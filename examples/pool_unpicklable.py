"""Wall 2 — a process pool fed a payload that cannot be pickled.

What it does: a multiprocessing.Pool sends every task (the function and its
arguments) to a worker process by pickling it. Two classic mistakes:

  1. a lambda as the task function: pickle stores functions by their name, and
     a lambda has none (rule PAR001);
  2. an argument that holds a threading.Lock: locks cannot be pickled (PAR005).

Plain Python reports these from deep inside the pool machinery, far from the
line that caused them. Under Parascope the harness names the line that
submitted the work, the offending type and the exact path inside the payload
(for example `args[0].lock`). The script catches each error and then shows the
fix, so it completes normally (exit 0) and the demo can go on.

    parascope run examples/pool_unpicklable.py
"""
import multiprocessing
import threading


class Job:
    def __init__(self, size):
        self.size = size
        self.lock = threading.Lock()  # <- a lock cannot be pickled


def square(x):
    return x * x


def job_size(job):
    return job.size


def main():
    with multiprocessing.Pool(2) as pool:
        try:
            pool.map(lambda x: x * x, range(8))  # <- a lambda cannot be pickled
        except Exception as exc:
            print("1. lambda as the task failed: %s: %s" % (type(exc).__name__, exc))
        print("   fix, a module-level function:", sum(pool.map(square, range(8))))

        try:
            pool.map(job_size, [Job(3), Job(4)])
        except Exception as exc:
            print("2. an object holding a lock failed: %s: %s" % (type(exc).__name__, exc))
        print("   fix, send plain data:", sum(pool.map(square, [3, 4])))
    print("verdict: 2 payloads could not be pickled; both fixes ran")


if __name__ == "__main__":
    main()
