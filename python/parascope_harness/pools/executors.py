"""Instrumented ``ProcessPoolExecutor``, ``ThreadPoolExecutor`` and (3.14+) ``InterpreterPoolExecutor``.

As for ``multiprocessing.Pool``, no public method is overridden; ``__setattr__``
swaps internal containers while the stdlib ``__init__`` assigns them:

- ProcessPoolExecutor ``_work_ids``: ``submit`` puts each work id there in the
  user's thread -> capture the line, wrap the id in ``ExecJob`` carrying metadata;
  the module's ``_CallItem`` is patched so the metadata travels to the worker.
- ProcessPoolExecutor ``_call_queue``: its class gains an ``_on_queue_feeder_error``
  that diagnoses what could not be pickled before the stdlib sets the future's error.
- Thread/Interpreter executors ``_work_queue``: ``put`` (user thread) tags the work
  item, the worker thread's next ``get`` times the previous one.
- InterpreterPoolExecutor pickles in ``submit`` itself (plain ``pickle``): the
  ``_shutdown_lock`` it holds meanwhile is observed on exit to diagnose failures.
"""
import functools
import queue
import sys

from concurrent.futures import process as cf_process
from concurrent.futures import thread as cf_thread

from parascope_harness import events, sites, tasks
from parascope_harness.pools import plan as planmod

try:  # Python 3.14+
    from concurrent.futures import interpreter as cf_interpreter
except ImportError:
    cf_interpreter = None

ORIGINAL_PPE = cf_process.ProcessPoolExecutor
ORIGINAL_TPE = cf_thread.ThreadPoolExecutor
ORIGINAL_IPE = getattr(cf_interpreter, "InterpreterPoolExecutor", None)
ORIGINAL_CALL_ITEM = cf_process._CallItem
ORIGINAL_SAFE_QUEUE = cf_process._SafeQueue


class ExecJob(int):
    """A ProcessPoolExecutor work id that also carries the task's metadata (parent side only)."""

    meta = None


class CallItem(ORIGINAL_CALL_ITEM):
    """``_CallItem`` whose pickle carries the metadata and rebuilds a stdlib ``_CallItem``."""

    def __reduce_ex__(self, protocol):
        meta = getattr(self.work_id, "meta", None)
        return (tasks.call_item_loaded, (int(self.work_id), self.fn, self.args, self.kwargs, meta))


CallItem.__module__ = ORIGINAL_CALL_ITEM.__module__
CallItem.__qualname__ = CallItem.__name__ = "_CallItem"


class WorkIds(queue.Queue):
    """ProcessPoolExecutor._work_ids: submissions pass here in the user's thread."""

    instr = None

    def put(self, item, block=True, timeout=None):
        instr = self.instr
        if instr is not None and type(item) is int:
            job = ExecJob(item)
            job.meta = (tasks.head(instr.pool_id, sites.user_site()), str(item), _chunk_of(instr, item))
            item = job
        queue.Queue.put(self, item, block, timeout)


def _chunk_of(instr, work_id):
    executor = instr.pool_ref() if instr.pool_ref else None
    item = executor._pending_work_items.get(work_id) if executor is not None else None
    fn = getattr(item, "fn", None)
    if isinstance(fn, functools.partial) and fn.func is cf_process._process_chunk:
        return len(item.args[0])
    return None


class CallQueue(ORIGINAL_SAFE_QUEUE):
    """ProcessPoolExecutor._call_queue (class swapped in place): diagnose feeder failures."""

    def _on_queue_feeder_error(self, e, obj):
        if isinstance(obj, ORIGINAL_CALL_ITEM):
            try:
                from parascope_harness import findings
                findings.report_call_item(e, obj)
            except Exception as err:
                events.internal_error("diagnosing a call that failed to pickle: %r" % (err,))
        ORIGINAL_SAFE_QUEUE._on_queue_feeder_error(self, e, obj)


class WorkQueue(queue.SimpleQueue):
    """Thread/Interpreter executors' _work_queue: tag in ``put``, time in the worker's ``get``."""

    instr = None
    _parascope_pool = None

    def put(self, item, block=True, timeout=None):
        instr = self.instr
        work = item[0] if type(item) is tuple else item
        if instr is not None and work is not None and hasattr(work, "future"):
            work._parascope_meta = (tasks.head(instr.pool_id, sites.user_site()), str(next(instr.tasks)),
                                    None)
        queue.SimpleQueue.put(self, item, block, timeout)

    def get(self, block=True, timeout=None):
        _finish_work_item()
        item = queue.SimpleQueue.get(self, block, timeout)
        _start_work_item(item)
        return item

    def get_nowait(self):
        _finish_work_item()
        item = queue.SimpleQueue.get_nowait(self)
        _start_work_item(item)
        return item


def _start_work_item(item):
    kind = tasks.worker_kind()
    if kind is None:
        return
    work = item[0] if type(item) is tuple else item
    meta = getattr(work, "_parascope_meta", None)
    if meta is not None:
        tasks.start_local(meta, kind)
        tasks._local.work = work


def _finish_work_item():
    rec = tasks.current()
    if rec is None:
        return
    work = tasks._local.work
    tasks.clear()
    tasks._local.work = None
    exc = getattr(work.future, "_exception", None)
    tasks.finish(rec, exc is None, None if exc is None else tasks.describe_error(exc))


class _ObservedLock:
    """A lock proxy whose ``__exit__`` sees exceptions raised while it is held."""

    __slots__ = ("_lock", "_on_error")

    def __init__(self, lock, on_error):
        self._lock = lock
        self._on_error = on_error

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, exc_type, exc, tb):
        if exc is not None:
            self._on_error(exc, sys._getframe(1))
        return self._lock.__exit__(exc_type, exc, tb)

    def __getattr__(self, name):
        return getattr(self._lock, name)


def _interpreter_submit_failed(exc, frame):
    if frame.f_code.co_name != "submit":
        return
    try:
        from parascope_harness import findings
        local = frame.f_locals
        findings.report_interpreter_submit(exc, local.get("fn"), local.get("args"),
                                           local.get("kwargs"), sites.user_site(frame))
    except Exception as err:
        events.internal_error("diagnosing an interpreter task: %r" % (err,))


# --- __setattr__ hooks ---------------------------------------------------------------------------

def _hook_work_ids(ex, instr, value):
    instr.attach(ex)
    q = WorkIds()
    q.instr = instr
    return q


def _hook_call_queue(ex, instr, value):
    if type(value) is not ORIGINAL_SAFE_QUEUE:
        return value
    value.__class__ = CallQueue
    value._parascope_pool = instr.pool_id
    return value


def _hook_work_queue(ex, instr, value):
    instr.attach(ex)
    q = WorkQueue()
    q.instr = instr
    q._parascope_pool = instr.pool_id
    return q


def _hook_shutdown(ex, instr, value):
    if value:
        instr.end("shutdown")
    return value


def _hook_interpreter_lock(ex, instr, value):
    return _ObservedLock(value, _interpreter_submit_failed)


_PROCESS_HOOKS = {"_work_ids": _hook_work_ids, "_call_queue": _hook_call_queue,
                  "_shutdown_thread": _hook_shutdown}
_THREAD_HOOKS = {"_work_queue": _hook_work_queue, "_shutdown": _hook_shutdown}
_INTERPRETER_HOOKS = dict(_THREAD_HOOKS, _shutdown_lock=_hook_interpreter_lock)


def _new_for(api):
    def __new__(cls, *args, **kwargs):
        from parascope_harness.pools import build
        return build.construct(cls, _PATCHED[api], api, args, kwargs)
    return __new__


class ProcessPoolExecutor(ORIGINAL_PPE):
    __setattr__ = planmod.setattr_with(_PROCESS_HOOKS)
    __new__ = _new_for("ProcessPoolExecutor")


class ThreadPoolExecutor(ORIGINAL_TPE):
    __setattr__ = planmod.setattr_with(_THREAD_HOOKS)
    __new__ = _new_for("ThreadPoolExecutor")


_PATCHED = {"ProcessPoolExecutor": ProcessPoolExecutor, "ThreadPoolExecutor": ThreadPoolExecutor}

if ORIGINAL_IPE is not None:
    class InterpreterPoolExecutor(ORIGINAL_IPE):
        __setattr__ = planmod.setattr_with(_INTERPRETER_HOOKS)
        __new__ = _new_for("InterpreterPoolExecutor")

    _PATCHED["InterpreterPoolExecutor"] = InterpreterPoolExecutor


class _Chunked:
    """Applies ``--chunksize`` to ProcessPoolExecutor.map (only used when it is given)."""

    _chunksize = 1

    def map(self, fn, *iterables, timeout=None, chunksize=1, **kwargs):
        return ORIGINAL_PPE.map(self, fn, *iterables, timeout=timeout, chunksize=self._chunksize,
                                **kwargs)


BUILT = {}
for _api, _cls in list(_PATCHED.items()):
    _name = _cls.__name__
    _cls.__module__ = "concurrent.futures." + {"ProcessPoolExecutor": "process",
                                               "ThreadPoolExecutor": "thread",
                                               "InterpreterPoolExecutor": "interpreter"}[_api]
    _built = type(_name, (planmod.Built, _cls), {"__module__": _cls.__module__})
    BUILT[_api] = _built
    if _api == "ProcessPoolExecutor":
        BUILT["ProcessPoolExecutor+chunks"] = type(_name, (_Chunked, _built),
                                                   {"__module__": _cls.__module__})


def patched(api):
    return _PATCHED[api]


def install():
    import concurrent.futures as cf
    cf_process.ProcessPoolExecutor = cf.ProcessPoolExecutor = ProcessPoolExecutor
    cf_thread.ThreadPoolExecutor = cf.ThreadPoolExecutor = ThreadPoolExecutor
    cf_process._CallItem = CallItem
    if ORIGINAL_IPE is not None:
        cf_interpreter.InterpreterPoolExecutor = cf.InterpreterPoolExecutor = _PATCHED[
            "InterpreterPoolExecutor"]
