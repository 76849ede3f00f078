"""Instrumented ``multiprocessing.pool.Pool`` and ``ThreadPool``.

Nothing user-facing is overridden (no ``map``/``apply_async``/``get`` wrappers, so
no harness frame appears in any traceback). Instead ``__setattr__`` swaps a few
internal containers while the stdlib ``__init__`` assigns them:

- ``_taskqueue``: every submission passes through its ``put`` in the user's thread;
  the user's line is captured there and each task becomes a ``PoolTask``.
- ``_task_handler``: the thread gets the pool's ``_cache`` wrapped in ``SendFailures``:
  it looks a job up only *inside its except clause*, when pickling a task failed;
  ``sys.exc_info()`` tells us, and we diagnose then.
- ``_pool``: removing a dead worker records its exit code (for the hang watchdog).
- ThreadPool's queues: the worker-side ``get``/``put`` time each task.
"""
import queue
import signal
import sys
import time
from multiprocessing import pool as mpool

from parascope_harness import events, sites, tasks
from parascope_harness.pools import plan as planmod

ORIGINAL_POOL = mpool.Pool
ORIGINAL_THREADPOOL = mpool.ThreadPool
RUN, CLOSE, TERMINATE = mpool.RUN, mpool.CLOSE, mpool.TERMINATE


# --- parent side ------------------------------------------------------------------------------

class TaskQueue(queue.SimpleQueue):
    """Pool._taskqueue: capture the submitting line, tag every task with its submission's head."""

    instr = None

    def put(self, item, block=True, timeout=None):
        instr = self.instr
        if item is not None and instr is not None:
            taskseq, set_length = item
            site = sites.user_site()
            item = (_tagged(instr, taskseq, (tasks.head(instr.pool_id, site),), site), set_length)
        queue.SimpleQueue.put(self, item, block, timeout)


def _tagged(instr, taskseq, head, site, new=tuple.__new__, cls=tasks.PoolTask):
    """The tasks as ``PoolTask``s (iterated by the pool's task handler thread)."""
    tasks_ = iter(taskseq)
    for task in tasks_:
        pool = instr.pool_ref() if instr.pool_ref else None
        result = dict.get(pool._cache, task[0]) if pool is not None else None
        if result is not None:
            result._parascope_site = site  # the hang report names the oldest unfinished job
        yield new(cls, task + head)
        break
    for task in tasks_:
        yield new(cls, task + head)


class SendFailures:
    """The pool's ``_cache`` as its task handler thread sees it (``_hook_task_handler``).

    That thread looks a job up only inside its ``except`` clause, after failing to send
    one of the job's tasks: ``sys.exc_info()`` tells us, and we diagnose then. The
    result handler thread, which looks a job up for every result, keeps the plain cache.
    """

    __slots__ = ("_cache",)

    def __init__(self, cache):
        self._cache = cache

    def __getitem__(self, key):
        if sys.exc_info()[1] is not None:
            _send_failed(self._cache, key)
        return self._cache[key]

    def __len__(self):
        return len(self._cache)

    def __contains__(self, key):
        return key in self._cache

    def __iter__(self):
        return iter(self._cache)

    def __getattr__(self, name):
        return getattr(self._cache, name)


def _failed_task(key):
    """The task the pool's task handler failed to send: a local of its frame (``_handle_tasks``)."""
    frame = sys._getframe(2)
    for _ in range(3):
        if frame is None:
            break
        task = frame.f_locals.get("task")
        if type(task) is tasks.PoolTask and task[0] == key:
            return task
        frame = frame.f_back
    return None


def _send_failed(cache, key):
    exc = sys.exc_info()[1]
    task = _failed_task(key)
    if task is None:
        return
    try:
        from parascope_harness import findings
        result = dict.get(cache, key)
        findings.report_pool_task(exc, task, getattr(result, "_chunksize", None))
    except Exception as err:
        events.internal_error("diagnosing a task that failed to pickle: %r" % (err,))


class WorkerList(list):
    """Pool._pool: remember workers that died with a non-zero exit code."""

    instr = None

    def __delitem__(self, index):
        try:
            worker = self[index]
            code = worker.exitcode
            if code and code != -signal.SIGTERM and self.instr is not None:
                self.instr.dead_workers.append((time.time(), worker.pid, code))
            report_killed_worker(self.instr, worker)
        except Exception:
            pass
        list.__delitem__(self, index)


def report_killed_worker(instr, worker):
    """``worker_exit`` for a worker process killed by a signal (it could not say so itself)."""
    popen = getattr(worker, "_popen", None)
    code = getattr(popen, "returncode", None)
    if instr is None or code is None or code >= 0 or worker.pid in instr.reported_exits:
        return
    instr.reported_exits.add(worker.pid)
    events.emit({"ev": "worker_exit", "t": time.time(), "poolId": instr.pool_id, "pid": worker.pid,
                 "tid": worker.pid, "kind": "process", "exitcode": code, "reportedBy": "parent"})


def report_killed_workers(instr, pool):
    """After ``terminate()``: the workers it SIGTERMed (called by the watchdog and at exit)."""
    for worker in list(getattr(pool, "_pool", ()) or ()):
        report_killed_worker(instr, worker)


# --- ThreadPool worker side --------------------------------------------------------------------

class ThreadInQueue(queue.SimpleQueue):
    """ThreadPool._inqueue: a worker thread's ``get`` starts the task's clock."""

    _parascope_pool = None

    def get(self, block=True, timeout=None):
        task = queue.SimpleQueue.get(self, block, timeout)
        if type(task) is tasks.PoolTask:
            if tasks.worker_kind() is not None:  # not terminate() draining the queue
                tasks.start_local(tasks.pool_meta(task[0], task[1], task[2], task[3], task[5]),
                                  "thread")
            return task[:5]
        return task


class ThreadOutQueue(queue.SimpleQueue):
    """ThreadPool._outqueue: a worker thread's ``put`` of the result stops it."""

    def put(self, item, block=True, timeout=None):
        rec = tasks.current()
        if rec is not None and type(item) is tuple and len(item) == 3:
            tasks.clear()
            ok, value = item[2]
            tasks.finish(rec, bool(ok), None if ok else tasks.describe_error(value))
        queue.SimpleQueue.put(self, item, block, timeout)


# --- __setattr__ hooks ---------------------------------------------------------------------------

def _hook_state(pool, instr, value):
    if value == RUN:
        instr.attach(pool)
        if instr.kind == "process":
            from parascope_harness import hang
            hang.watch_pool(instr)
    elif value == CLOSE:
        instr.end("close")
    elif value == TERMINATE:
        instr.end("terminate")
    return value


def _hook_taskqueue(pool, instr, value):
    q = TaskQueue()
    q.instr = instr
    return q


def _hook_task_handler(pool, instr, value):
    args = getattr(value, "_args", None)
    if type(args) is tuple and len(args) == 5 and args[4] is pool.__dict__.get("_cache"):
        value._args = args[:4] + (SendFailures(args[4]),)
    return value


def _hook_workers(pool, instr, value):
    workers = WorkerList(value)
    workers.instr = instr
    return workers


def _hook_process_inqueue(pool, instr, value):
    value._parascope_pool = instr.pool_id  # read by the process-start hook to tag workers
    return value


def _hook_thread_inqueue(pool, instr, value):
    q = ThreadInQueue()
    q._parascope_pool = instr.pool_id
    return q


def _hook_thread_outqueue(pool, instr, value):
    return ThreadOutQueue()


_COMMON_HOOKS = {"_state": _hook_state, "_taskqueue": _hook_taskqueue,
                 "_task_handler": _hook_task_handler, "_pool": _hook_workers}
_PROCESS_HOOKS = dict(_COMMON_HOOKS, _inqueue=_hook_process_inqueue)
_THREAD_HOOKS = dict(_COMMON_HOOKS, _inqueue=_hook_thread_inqueue, _outqueue=_hook_thread_outqueue)


# --- the patched classes -------------------------------------------------------------------------

class Pool(ORIGINAL_POOL):
    __setattr__ = planmod.setattr_with(_PROCESS_HOOKS)

    def __new__(cls, *args, **kwargs):
        from parascope_harness.pools import build
        return build.construct(cls, Pool, "multiprocessing.Pool", args, kwargs)


class ThreadPool(ORIGINAL_THREADPOOL):
    __setattr__ = planmod.setattr_with(_THREAD_HOOKS)

    def __new__(cls, *args, **kwargs):
        from parascope_harness.pools import build
        return build.construct(cls, ThreadPool, "ThreadPool", args, kwargs)


class _Chunked:
    """Mixin applying ``--chunksize`` to every map-style call (only used when it is given)."""

    _chunksize = 1

    def _map_async(self, func, iterable, mapper, chunksize=None, callback=None, error_callback=None):
        return ORIGINAL_POOL._map_async(self, func, iterable, mapper, self._chunksize, callback,
                                        error_callback)

    def imap(self, func, iterable, chunksize=1):
        return ORIGINAL_POOL.imap(self, func, iterable, self._chunksize)

    def imap_unordered(self, func, iterable, chunksize=1):
        return ORIGINAL_POOL.imap_unordered(self, func, iterable, self._chunksize)


class BuiltPool(planmod.Built, Pool):
    pass


class BuiltThreadPool(planmod.Built, ThreadPool):
    pass


class ChunkedPool(_Chunked, BuiltPool):
    pass


class ChunkedThreadPool(_Chunked, BuiltThreadPool):
    pass


for _cls in (Pool, BuiltPool, ChunkedPool):
    _cls.__module__, _cls.__qualname__, _cls.__name__ = "multiprocessing.pool", "Pool", "Pool"
for _cls in (ThreadPool, BuiltThreadPool, ChunkedThreadPool):
    _cls.__module__, _cls.__qualname__, _cls.__name__ = "multiprocessing.pool", "ThreadPool", "ThreadPool"


def install(module=None):
    """Patch ``multiprocessing.pool`` (a post-import hook: see ``hooks``)."""
    tasks.MAPSTARS[:] = [mpool.mapstar, mpool.starmapstar]
    mpool.Pool = Pool
    mpool.ThreadPool = ThreadPool
