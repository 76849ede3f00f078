"""The task function exists only under the main guard: spawned workers cannot unpickle it (PAR011)."""
import multiprocessing as mp
import sys

if __name__ == "__main__":
    def work(x):
        return x

    with mp.get_context(sys.argv[1]).Pool(2) as pool:
        print(pool.map(work, [1, 2, 3]))  # ROW main-only
