"""Eight tasks, one raising and one returning what cannot be pickled: ``task_errors.py KIND``
with KIND pool, executor, threads or serial. Prints what the caller caught."""
import multiprocessing as mp
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def work(x):
    if x == 3:
        return threading.Lock()
    if x == 5:
        raise ValueError("bad input %d" % x)
    return x


def outcome(get):
    try:
        get()
        return "ok"
    except Exception as exc:
        return type(exc).__name__


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "pool":
        with mp.get_context("spawn").Pool(2) as pool:
            print(" ".join(outcome(pool.apply_async(work, (i,)).get) for i in range(8)))
    elif kind == "serial":
        with mp.Pool(2) as pool:  # run serially with --pool serial
            print(" ".join(outcome(pool.apply_async(work, (i,)).get) for i in range(8)))
    else:
        executor = ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) if kind == "executor" else ThreadPoolExecutor(2)
        with executor:
            futures = [executor.submit(work, i) for i in range(8)]
            print(" ".join(outcome(f.result) for f in futures))
