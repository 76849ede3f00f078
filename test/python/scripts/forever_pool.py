"""A pool whose tasks never end: ``forever_pool.py START_METHOD``. Prints "ready" once both
workers are busy, then waits for ever."""
import multiprocessing as mp
import sys
import time


def forever(_):
    time.sleep(3600)


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    with ctx.Pool(2) as pool:
        pool.map_async(forever, range(2), chunksize=1)
        time.sleep(0.5)
        print("ready", flush=True)
        time.sleep(3600)
