"""Raw threads and processes started from user code (lanes), next to a pool (not lanes)."""
import multiprocessing as mp
import sys
import threading
import time


def spin(seconds):
    end = time.time() + seconds
    while time.time() < end:
        pass


class Worker(threading.Thread):
    def run(self):
        spin(0.05)


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    threads = [threading.Thread(target=spin, args=(0.05,), name="spinner-%d" % i) for i in range(2)]
    for t in threads:
        t.start()  # ROW thread
    sub = Worker(name="subclassed")
    sub.start()  # ROW subclass
    proc = ctx.Process(target=spin, args=(0.05,), name="proc")
    proc.start()  # ROW process
    for t in threads + [sub, proc]:
        t.join()
    with ctx.Pool(2) as pool:
        # Long enough that the second worker gets tasks even when it starts late on a busy machine
        # (a worker with nothing to do is SIGTERMed by terminate() while it may still be starting).
        pool.map(spin, [0.2] * 4)
    print("ok")
