"""Instrumented ``ProcessPoolExecutor`` (patched when ``concurrent.futures.process`` is imported).

As for ``multiprocessing.Pool``, no public method is overridden; ``__setattr__``
swaps internal containers while the stdlib ``__init__`` assigns them:

- ``_work_ids``: ``submit`` puts each work id there in the user's thread ->
  capture the line, wrap the id in ``ExecJob`` carrying metadata; the module's
  ``_CallItem`` is patched so the metadata travels to the worker.
- ``_call_queue``: its class gains an ``_on_queue_feeder_error`` that diagnoses
  what could not be pickled before the stdlib sets the future's error.
"""
import functools
import queue

from concurrent.futures import process as cf_process

from parascope_harness import events, sites, tasks
from parascope_harness.pools import executors
from parascope_harness.pools import plan as planmod

ORIGINAL_PPE = cf_process.ProcessPoolExecutor
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
            job.meta = (tasks.head(instr.pool_id, sites.user_site()), b"%d" % item,
                        _chunk_of(instr, item))
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


_PROCESS_HOOKS = {"_work_ids": _hook_work_ids, "_call_queue": _hook_call_queue,
                  "_shutdown_thread": executors.hook_shutdown}


class ProcessPoolExecutor(ORIGINAL_PPE):
    __setattr__ = planmod.setattr_with(_PROCESS_HOOKS)
    __new__ = executors.new_for("ProcessPoolExecutor")


class _Chunked:
    """Applies ``--chunksize`` to ProcessPoolExecutor.map (only used when it is given)."""

    _chunksize = 1

    def map(self, fn, *iterables, timeout=None, chunksize=1, **kwargs):
        return ORIGINAL_PPE.map(self, fn, *iterables, timeout=timeout, chunksize=self._chunksize,
                                **kwargs)


ProcessPoolExecutor.__module__ = "concurrent.futures.process"
executors.register("ProcessPoolExecutor", ProcessPoolExecutor, ORIGINAL_PPE)
executors.BUILT["ProcessPoolExecutor+chunks"] = type(
    "ProcessPoolExecutor", (_Chunked, executors.BUILT["ProcessPoolExecutor"]),
    {"__module__": "concurrent.futures.process"})


def install(module=None):
    """Patch ``concurrent.futures.process`` (a post-import hook: see ``hooks``)."""
    cf_process.ProcessPoolExecutor = ProcessPoolExecutor
    cf_process._CallItem = CallItem
    executors.set_on_package("ProcessPoolExecutor", ProcessPoolExecutor)
