"""Creates a pool through every API and reports where each task ran (pid, native thread id).

Importable in a subinterpreter (``--pool interpreter`` runs the tasks there, and the task
function is looked up by importing this file): faulthandler, which cannot load in one, is
imported under the main guard only.
"""
import json
import multiprocessing as mp
import multiprocessing.dummy
import multiprocessing.pool
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def where(x):
    time.sleep(0.05)
    return [os.getpid(), threading.get_native_id(), mp.get_start_method(allow_none=True)]


def run_pool(pool):
    with pool:
        return pool.map(where, range(8), chunksize=1) + [pool.apply_async(where, (0,)).get()]


def run_executor(executor):
    with executor:
        return list(executor.map(where, range(8))) + [executor.submit(where, 0).result()]


if __name__ == "__main__":
    import faulthandler
    faulthandler.dump_traceback_later(60, exit=True)  # if anything ever hangs, show where
    out = {"main": [os.getpid(), threading.get_native_id()]}
    out["multiprocessing.Pool"] = run_pool(mp.Pool(3))  # ROW multiprocessing.Pool
    out["get_context"] = run_pool(mp.get_context("fork").Pool(3))  # ROW get_context
    out["ThreadPool"] = run_pool(multiprocessing.pool.ThreadPool(3))  # ROW ThreadPool
    out["dummy"] = run_pool(multiprocessing.dummy.Pool(3))  # ROW dummy
    out["ProcessPoolExecutor"] = run_executor(ProcessPoolExecutor(3))  # ROW ProcessPoolExecutor
    out["ThreadPoolExecutor"] = run_executor(ThreadPoolExecutor(3))  # ROW ThreadPoolExecutor
    print(json.dumps(out))
