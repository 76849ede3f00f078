"""Spawned workers re-import this file as __mp_main__; what they see must not change."""
import multiprocessing as mp
import os
import sys

import __main__


def probe(_):
    main = sys.modules["__main__"]
    return (__name__, main.__name__, os.path.basename(main.__file__), __main__.__name__,
            "__mp_main__" in sys.modules, sys.argv[1:])


if __name__ == "__main__":
    with mp.get_context("spawn").Pool(1) as pool:
        print(pool.map(probe, [1]))
    with mp.get_context(sys.argv[1] if len(sys.argv) > 1 else "spawn").Pool(1) as pool:
        print(pool.apply(probe, (1,)))
