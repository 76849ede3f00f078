"""No main guard: every spawned worker re-imports this module and tries to start a pool (PAR010)."""
import multiprocessing as mp
import sys


def square(x):
    return x * x


pool = mp.get_context(sys.argv[1] if len(sys.argv) > 1 else "spawn").Pool(2)  # ROW no-guard
print(pool.map(square, [1, 2, 3]))
pool.terminate()
