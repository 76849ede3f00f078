"""Processes that start processes that start processes (capped at 6 generations, just in case)."""
import multiprocessing as mp
import sys
import time


def bomb(generation):
    if generation >= 6:
        time.sleep(20)
        return
    children = [mp.Process(target=bomb, args=(generation + 1,)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join()


if __name__ == "__main__":
    mp.set_start_method("fork")
    if sys.argv[1:] == ["flat"]:
        started = [mp.Process(target=time.sleep, args=(20,)) for _ in range(40)]
        for p in started:
            p.start()
    else:
        bomb(0)
