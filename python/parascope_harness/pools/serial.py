"""``--pool serial`` and the Pool API on top of any executor.

``SerialExecutor`` runs each task in the submitting thread, at ``submit``, and
returns an already-completed Future (exceptions are stored, as executors do).
``ExecutorPool`` gives the ``multiprocessing.Pool`` API (apply/map/imap/starmap,
their async forms with callbacks, close/terminate/join, context manager) on top
of an executor; it serves ``serial`` and ``interpreter`` runs of Pool code.
"""
import concurrent.futures as cf
import os
import threading
import time

from parascope_harness import events, sites, tasks

RUN, CLOSE, TERMINATE = "RUN", "CLOSE", "TERMINATE"


class SerialExecutor(cf.Executor):
    """An executor with one "worker": the thread that submits."""

    def __init__(self, instr, initializer=None, initargs=()):
        self._instr = instr
        self._shutdown = False
        self._broken = None
        events.emit({"ev": "worker_start", "t": time.time(), "poolId": instr.pool_id,
                     "pid": os.getpid(), "tid": threading.get_native_id(), "kind": "serial"})
        if initializer is not None:
            try:
                initializer(*initargs)
            except BaseException as exc:
                self._broken = "A serial initializer failed, the pool is not usable anymore: %r" % (exc,)

    def submit(self, fn, /, *args, **kwargs):
        if self._broken:
            raise cf.BrokenExecutor(self._broken)
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        instr = self._instr
        future = cf.Future()
        future.set_running_or_notify_cancel()
        meta = (tasks.head(instr.pool_id, sites.user_site()), b"%d" % next(instr.tasks), None)
        tasks.start_local(meta, "serial")
        rec = tasks.current()
        tasks.clear()
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            exc.__traceback__ = exc.__traceback__.tb_next  # drop this frame: users see their own
            tasks.finish(rec, False, tasks.describe_error(exc))
            future.set_exception(exc)
        else:
            tasks.finish(rec, True, None)
            future.set_result(result)
        return future

    def shutdown(self, wait=True, *, cancel_futures=False):
        if not self._shutdown:
            self._shutdown = True
            self._instr.end("shutdown")
            events.emit({"ev": "worker_exit", "t": time.time(), "poolId": self._instr.pool_id,
                         "pid": os.getpid(), "tid": threading.get_native_id(), "kind": "serial"})


class AsyncResult:
    """``multiprocessing.pool.AsyncResult`` over one future (apply) or many (map)."""

    def __init__(self, futures, single, callback=None, error_callback=None):
        self._futures = futures
        self._single = single
        self._callback = callback
        self._error_callback = error_callback
        self._done = threading.Event()
        self._left = len(futures)
        self._lock = threading.Lock()
        if not futures:
            self._finish()
        for future in futures:
            future.add_done_callback(self._one_done)

    def _one_done(self, _future):
        with self._lock:
            self._left -= 1
            last = self._left == 0
        if last:
            self._finish()

    def _finish(self):
        error = next((f.exception() for f in self._futures if f.exception() is not None), None)
        if error is None and self._callback is not None:
            self._callback(self._value())
        elif error is not None and self._error_callback is not None:
            self._error_callback(error)
        self._done.set()

    def _value(self):
        values = [f.result() for f in self._futures]
        return values[0] if self._single else values

    def ready(self):
        return self._done.is_set()

    def successful(self):
        if not self.ready():
            raise ValueError("{0!r} not ready".format(self))
        return all(f.exception() is None for f in self._futures)

    def wait(self, timeout=None):
        self._done.wait(timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if not self.ready():
            raise TimeoutError
        return self._value()


class _Iterator:
    """``IMapIterator``-like: ``next(timeout)`` and the iterator protocol."""

    def __init__(self, futures, ordered):
        self._futures = iter(futures if ordered else cf.as_completed(futures))

    def __iter__(self):
        return self

    def next(self, timeout=None):
        return next(self._futures).result(timeout)

    __next__ = next


class ExecutorPool:
    """The ``multiprocessing.Pool`` API running on an executor."""

    def __init__(self, executor, instr):
        self._executor = executor
        self._instr = instr
        self._state = RUN

    def __repr__(self):
        return "<%s.%s state=%s>" % (type(self).__module__, type(self).__qualname__, self._state)

    def _check_running(self):
        if self._state != RUN:
            raise ValueError("Pool not running")

    def apply(self, func, args=(), kwds={}):
        return self.apply_async(func, args, kwds).get()

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        self._check_running()
        return AsyncResult([self._executor.submit(func, *args, **kwds)], True, callback,
                           error_callback)

    def map(self, func, iterable, chunksize=None):
        return self.map_async(func, iterable, chunksize).get()

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        self._check_running()
        futures = [self._executor.submit(func, item) for item in iterable]
        return AsyncResult(futures, False, callback, error_callback)

    def starmap(self, func, iterable, chunksize=None):
        return self.starmap_async(func, iterable, chunksize).get()

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        self._check_running()
        futures = [self._executor.submit(func, *item) for item in iterable]
        return AsyncResult(futures, False, callback, error_callback)

    def imap(self, func, iterable, chunksize=1):
        self._check_running()
        return _Iterator([self._executor.submit(func, item) for item in iterable], True)

    def imap_unordered(self, func, iterable, chunksize=1):
        self._check_running()
        return _Iterator([self._executor.submit(func, item) for item in iterable], False)

    def close(self):
        if self._state == RUN:
            self._state = CLOSE
            self._instr.end("close")

    def terminate(self):
        self._state = TERMINATE
        self._instr.end("terminate")
        self._executor.shutdown(wait=False, cancel_futures=True)

    def join(self):
        if self._state == RUN:
            raise ValueError("Pool is still running")
        self._executor.shutdown(wait=True)

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, *exc_info):
        self.terminate()
