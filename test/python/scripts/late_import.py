"""Imports concurrent.futures only inside a function, long after the harness started."""
import sys

WATCHED = ("concurrent.futures", "concurrent.futures.process", "concurrent.futures.thread",
           "multiprocessing", "multiprocessing.pool")


def square(x):
    return x * x


def main():
    print(sorted(name for name in WATCHED if name in sys.modules))
    from concurrent.futures import ProcessPoolExecutor
    import concurrent.futures.thread as cf_thread
    import multiprocessing
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as executor:  # ROW process
        print(sorted(executor.map(square, range(4))))
    with cf_thread.ThreadPoolExecutor(2) as executor:  # ROW thread
        print(executor.submit(square, 5).result())
    print(ProcessPoolExecutor.__module__, ProcessPoolExecutor.__qualname__)


if __name__ == "__main__":
    main()
