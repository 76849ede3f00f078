"""Wall 1 — threads do not speed up CPU-bound Python.

What it does: eight chunks of pure-Python arithmetic go to a ThreadPoolExecutor
with 2 workers. Under CPython's GIL only one thread runs Python bytecode at a
time, so the two "parallel" workers share ONE core.

What Parascope shows:
    parascope run examples/threads_cpu_bound.py
        -> "GIL-bound: 2 threads busy but ~1.0 cores used", a GIL-wait share
           near 50 % (each thread waits for the other), poor efficiency.
    parascope run examples/threads_cpu_bound.py --pool process
        -> the same code, the pool swapped for processes without editing it:
           each worker has its own interpreter and GIL, ~2 cores used.

(On a free-threaded build, python3.13t and later, the threads do run in
parallel and Parascope labels the interpreter instead.)
"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

CHUNKS = 8
SIZE = 1_200_000 if len(sys.argv) < 2 else int(sys.argv[1])


def crunch(n):
    """Pure-Python CPU work: it holds the GIL the whole time."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def main():
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(crunch, [SIZE] * CHUNKS))
    elapsed = time.perf_counter() - started
    print("crunched %d chunks of %d: checksum %d in %.2f s" % (CHUNKS, SIZE, sum(results) % 1000003, elapsed))
    print("verdict: 2 worker threads on CPU-bound Python — see how many cores they really used")


if __name__ == "__main__":
    main()
