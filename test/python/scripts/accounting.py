"""Six tasks through a process pool: ``accounting.py pool|executor START_METHOD``."""
import multiprocessing as mp
import sys
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return [x * x] * 100


if __name__ == "__main__":
    kind, method = sys.argv[1], sys.argv[2]
    if kind == "pool":
        with mp.get_context(method).Pool(2) as pool:
            pool.map(square, range(6), chunksize=1)
    else:
        with ProcessPoolExecutor(2, mp_context=mp.get_context(method)) as executor:
            list(executor.map(square, range(6)))
    print("ok")
