"""Counts ForkingPickler.dumps calls in the parent and in a pool worker, on a run where nothing fails."""
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.reduction import ForkingPickler

counts = {"dumps": 0}
_dumps = ForkingPickler.dumps.__func__


def counting_dumps(cls, obj, protocol=None):
    counts["dumps"] += 1
    return _dumps(cls, obj, protocol)


ForkingPickler.dumps = classmethod(counting_dumps)


def square(x):
    return x * x


def worker_count(_):
    return counts["dumps"]


if __name__ == "__main__":
    ctx = mp.get_context("fork")
    with ctx.Pool(1) as pool:
        pool.map(square, range(20), chunksize=1)
        pool.apply_async(square, (3,)).get()
        list(pool.imap_unordered(square, range(5)))
        pool.starmap(pow, [(2, 3), (3, 2)])
        seen_by_worker = pool.apply(worker_count, (0,))
    with ProcessPoolExecutor(1, mp_context=ctx) as executor:
        executor.submit(square, 4).result()
        list(executor.map(square, range(6), chunksize=2))
        seen_by_executor_worker = executor.submit(worker_count, 0).result()
    print("parent", counts["dumps"], "pool worker", seen_by_worker,
          "executor worker", seen_by_executor_worker)
