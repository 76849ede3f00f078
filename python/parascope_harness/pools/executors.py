"""Instrumented ``ThreadPoolExecutor`` and (3.14+) ``InterpreterPoolExecutor``, and what all
executors share (``ProcessPoolExecutor`` is in ``process_executor``).

Each is patched when its ``concurrent.futures`` submodule is first imported. As
for ``multiprocessing.Pool``, no public method is overridden; ``__setattr__``
swaps internal containers while the stdlib ``__init__`` assigns them:

- ``_work_queue``: ``put`` (user thread) tags the work item, the worker thread's
  next ``get`` times the previous one.
- InterpreterPoolExecutor pickles in ``submit`` itself (plain ``pickle``): the
  ``_shutdown_lock`` it holds meanwhile is observed on exit to diagnose failures.
"""
import queue
import sys

from parascope_harness import events, sites, tasks
from parascope_harness.pools import plan as planmod

ORIGINAL_TPE = None
ORIGINAL_IPE = None
_PATCHED = {}  # api -> patched class
ORIGINAL = {}  # api -> stdlib class
BUILT = {}  # api -> class for pools built by the harness (see ``build``)


def register(api, patched, original):
    _PATCHED[api] = patched
    ORIGINAL[api] = original
    BUILT[api] = type(patched.__name__, (planmod.Built, patched), {"__module__": patched.__module__})


class WorkQueue(queue.SimpleQueue):
    """Thread/Interpreter executors' _work_queue: tag in ``put``, time in the worker's ``get``."""

    instr = None
    _parascope_pool = None

    def put(self, item, block=True, timeout=None):
        instr = self.instr
        work = item[0] if type(item) is tuple else item
        if instr is not None and work is not None and hasattr(work, "future"):
            work._parascope_meta = (tasks.head(instr.pool_id, sites.user_site()),
                                    b"%d" % next(instr.tasks), None)
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

def _hook_work_queue(ex, instr, value):
    instr.attach(ex)
    q = WorkQueue()
    q.instr = instr
    q._parascope_pool = instr.pool_id
    return q


def hook_shutdown(ex, instr, value):
    if value:
        instr.end("shutdown")
    return value


def _hook_interpreter_lock(ex, instr, value):
    return _ObservedLock(value, _interpreter_submit_failed)


_THREAD_HOOKS = {"_work_queue": _hook_work_queue, "_shutdown": hook_shutdown}
_INTERPRETER_HOOKS = dict(_THREAD_HOOKS, _shutdown_lock=_hook_interpreter_lock)


def new_for(api):
    def __new__(cls, *args, **kwargs):
        from parascope_harness.pools import build
        return build.construct(cls, _PATCHED[api], api, args, kwargs)
    return __new__


def patched(api):
    return _PATCHED[api]


def install_thread(cf_thread):
    """Patch ``concurrent.futures.thread`` (a post-import hook: see ``hooks``)."""
    global ORIGINAL_TPE
    if ORIGINAL_TPE is not None:
        return
    ORIGINAL_TPE = cf_thread.ThreadPoolExecutor
    _replace(cf_thread, "ThreadPoolExecutor", ORIGINAL_TPE, _THREAD_HOOKS)


def install_interpreter(cf_interpreter):
    """Patch ``concurrent.futures.interpreter`` (3.14+; a post-import hook)."""
    global ORIGINAL_IPE
    original = getattr(cf_interpreter, "InterpreterPoolExecutor", None)
    if original is None or ORIGINAL_IPE is not None:
        return
    if ORIGINAL_TPE is not None and original.__bases__ == (_PATCHED["ThreadPoolExecutor"],):
        # defined after our thread patch: it must derive from the stdlib's class, as without us
        original.__bases__ = (ORIGINAL_TPE,)
    ORIGINAL_IPE = original
    _replace(cf_interpreter, "InterpreterPoolExecutor", ORIGINAL_IPE, _INTERPRETER_HOOKS)


def _replace(module, name, original, hooks):
    """Put a subclass of ``original`` named like it in ``module`` and ``concurrent.futures``:
    its ``__setattr__`` swaps what ``hooks`` name while the stdlib ``__init__`` assigns it."""
    class Patched(original):
        __setattr__ = planmod.setattr_with(hooks)
        __new__ = new_for(name)

    Patched.__name__ = Patched.__qualname__ = name
    Patched.__module__ = module.__name__
    register(name, Patched, original)
    setattr(module, name, Patched)
    set_on_package(name, Patched)


def set_on_package(name, cls):
    package = sys.modules.get("concurrent.futures")
    if package is not None and name in vars(package):  # else its lazy __getattr__ finds ours
        setattr(package, name, cls)
