"""Records pool tasks and a thread lane, says "ready", then waits to be killed (or exits)."""
import multiprocessing as mp
import sys
import threading
import time


def work(x):
    return x


if __name__ == "__main__":
    pool = mp.get_context("fork").Pool(2)
    pool.map(work, range(10), chunksize=1)
    lane = threading.Thread(target=time.sleep, args=(0.01,), name="lane")
    lane.start()
    lane.join()
    print("ready", flush=True)
    if sys.argv[1] == "wait":
        time.sleep(60)
    pool.close()
    pool.join()
