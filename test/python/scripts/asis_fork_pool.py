"""A fork pool under -W default: Python 3.12+ warns about forking a multi-threaded process.

Pool starts its workers before its own threads, so plain Python prints no warning;
the harness's event thread must not make one appear.
"""
import multiprocessing as mp

if __name__ == "__main__":
    with mp.get_context("fork").Pool(2) as pool:
        print(pool.map(abs, [-1, -2, -3]))
