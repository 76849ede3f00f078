"""Every row of the pickling taxonomy, submitted to a real pool under the start method in argv[1].

Each submitting line carries a ``# ROW <name>`` marker; the tests read the line
numbers from this file and compare them with the findings' sites.
"""
import collections
import faulthandler
import functools
import io
import logging
import mmap
import multiprocessing as mp
import os
import sqlite3
import ssl
import sys
import threading
import time
import weakref
from concurrent.futures import ProcessPoolExecutor


def ident(*args, **kwargs):
    return args


def make_generator():
    return (x for x in range(3))


def outer():
    def inner(x):
        return x
    return inner


def make_local_instance():
    class Local:
        pass
    return Local()


def deco(func):
    def wrapper(*args):
        return func(*args)
    return wrapper


@deco
def decorated(x):
    return x


Point = collections.namedtuple("Pointy", "x y")


def impostor(*args):
    return args


impostor = functools.wraps(ident)(impostor)  # now claims to be __main__.ident


async def coro():
    return 1


class Holder:
    def __init__(self):
        self.lock = threading.Lock()

    def method(self, x):
        return x


class Slotted:
    __slots__ = ("lk", "n")

    def __init__(self):
        self.lk = threading.RLock()
        self.n = 1


def try_get(result):
    try:
        result.get(timeout=30)
    except Exception as exc:
        print("raised", type(exc).__name__)


def main():
    faulthandler.dump_traceback_later(60, exit=True)  # if anything ever hangs, show where
    method = sys.argv[1]
    ctx = mp.get_context(method)
    handler = logging.StreamHandler()
    text = open(__file__)
    binary = open(__file__, "rb")
    db = sqlite3.connect(":memory:")
    mm = mmap.mmap(-1, 16)
    c = coro()
    with ctx.Pool(2) as pool:
        try_get(pool.apply_async(lambda x: x, (1,)))  # ROW lambda
        try_get(pool.apply_async(outer(), (1,)))  # ROW closure
        try_get(pool.apply_async(ident, (make_local_instance(),)))  # ROW local-instance
        try_get(pool.apply_async(decorated, (1,)))  # ROW no-wraps
        try_get(pool.apply_async(ident, (Point(1, 2),)))  # ROW namedtuple
        try_get(pool.apply_async(impostor, (1,)))  # ROW wraps-mismatch
        try_get(pool.apply_async(functools.partial(lambda x: x, 1)))  # ROW partial-lambda
        try_get(pool.apply_async(ident, (1, threading.Lock())))  # ROW lock
        try_get(pool.apply_async(ident, (threading.RLock(),)))  # ROW rlock
        try_get(pool.apply_async(ident, (threading.Event(),)))  # ROW event
        try_get(pool.apply_async(ident, (threading.Condition(),)))  # ROW condition
        try_get(pool.apply_async(ident, (threading.Thread(),)))  # ROW thread
        try_get(pool.apply_async(ident, (), {"cfg": {"log": handler}}))  # ROW handler
        try_get(pool.apply_async(Holder().method, (1,)))  # ROW bound-method
        try_get(pool.apply_async(ident, ([1, Slotted()],)))  # ROW slots
        try_get(pool.apply_async(ident, (text,)))  # ROW text-file
        try_get(pool.apply_async(ident, (binary,)))  # ROW binary-file
        try_get(pool.apply_async(ident, (make_generator(),)))  # ROW generator
        try_get(pool.apply_async(ident, (c,)))  # ROW coroutine
        try_get(pool.apply_async(ident, ({"a": 1}.keys(),)))  # ROW dict-keys
        try_get(pool.apply_async(ident, (os,)))  # ROW module
        try_get(pool.apply_async(ident, (db,)))  # ROW sqlite
        try_get(pool.apply_async(ident, (mm,)))  # ROW mmap
        try_get(pool.apply_async(ident, (ssl.create_default_context(),)))  # ROW ssl
        try_get(pool.apply_async(ident, (threading.local(),)))  # ROW thread-local
        try_get(pool.apply_async(ident, (weakref.ref(Holder),)))  # ROW weakref
        try_get(pool.apply_async(ident, (memoryview(b"ab"),)))  # ROW memoryview
        try_get(pool.apply_async(ident, (ident.__code__,)))  # ROW code
        try_get(pool.apply_async(ident, (ctx.Lock(),)))  # ROW mp-lock
        try_get(pool.apply_async(make_generator))  # ROW result
        try_get(pool.map_async(ident, [1, 2, threading.Lock()], chunksize=1))  # ROW map-item
        pool.apply_async(ident, (threading.Lock(),))  # ROW silent
        time.sleep(0.5)
    with ProcessPoolExecutor(1, mp_context=ctx) as executor:
        future = executor.submit(ident, 1, lock=threading.Lock())  # ROW executor-submit
        try:
            future.result(timeout=30)
        except Exception as exc:
            print("raised", type(exc).__name__)
    queue = ctx.Queue()
    queue.put(threading.Lock())  # ROW queue-put
    joinable = ctx.JoinableQueue()
    joinable.put(1)
    joinable.put({"log": open(os.devnull)})  # ROW joinable-put
    time.sleep(0.5)
    try:
        ctx.Process(target=ident, args=(threading.Lock(),)).start()  # ROW process-args
    except Exception as exc:
        print("raised", type(exc).__name__)
    try:
        ctx.Pool(1, initializer=lambda: None).terminate()  # ROW initializer
    except Exception as exc:
        print("raised", type(exc).__name__)
    text.close()
    binary.close()
    c.close()
    print("done")


if __name__ == "__main__":
    main()
