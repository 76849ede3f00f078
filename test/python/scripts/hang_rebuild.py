"""A worker raises an exception the parent cannot rebuild: Pool's result handler dies (PAR012)."""
import multiprocessing as mp
import sys


class NeedsTwo(Exception):
    def __init__(self, a, b):
        super().__init__("%s-%s" % (a, b))


def fail(x):
    raise NeedsTwo(x, 2)


if __name__ == "__main__":
    with mp.get_context(sys.argv[1]).Pool(2) as pool:
        print(pool.apply_async(fail, (1,)).get())  # ROW rebuild
