"""Pool.terminate() right after the last result: every finished task must still be recorded."""
import multiprocessing as mp
import sys
import time


def work(x):
    return x * 2


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    for _ in range(int(sys.argv[2])):
        pool = ctx.Pool(2)
        one = pool.apply_async(work, (1,))
        many = pool.map_async(work, range(6), chunksize=1)
        one.get()
        many.get()
        pool.terminate()  # the workers are SIGTERMed the moment the last result is in
        pool.join()
    pool = ctx.Pool(1)
    done = pool.apply_async(work, (2,))
    pool.apply_async(time.sleep, (30,))  # still queued or running when the pool is terminated
    done.get()
    pool.terminate()
    pool.join()
    print("ok")
