"""Per-task records: what the parent attaches to a task, and what a worker measures.

The parent attaches ``meta = (head, task_id, chunk)`` to each task, where ``head``
is the JSON text ``"poolId":"…","site":{…}`` shared by every task of one
submission (built once, spliced into each ``task`` line as is). For process pools
it travels inside the pickled task (``PoolTask`` / ``CallItem`` reconstructors)
and the stdlib objects are rebuilt when the worker unpickles it - so the worker
calls the user's function directly, and no harness frame ever sits between the
pool machinery and user code (tracebacks stay as they are). The reconstructor is
the last thing unpickled, so it also marks the end of the task's deserialization:
that is where the task's clock starts.
"""
import json
import os
import threading
from time import perf_counter as _perf, thread_time as _cpu, time as _now

from parascope_harness import events, sites

_local = threading.local()
_recv = [0.0, 0, None]  # arrival time, size and bytes of the last pickled task this process received
_proc = [None]  # the current task record of this (single-threaded) pool worker process
_pid = [os.getpid()]
_heads = {}


def _reset_after_fork():
    _pid[0] = os.getpid()
    _recv[2] = None
    _proc[0] = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def head(pool_id, site):
    """The shared JSON prefix of the ``task`` lines of one submission (cached)."""
    key = (pool_id, site)
    text = _heads.get(key)
    if text is None:
        text = _heads[key] = '"poolId":%s,"site":%s' % (
            json.dumps(pool_id), json.dumps(sites.as_dict(site), separators=(",", ":")))
    return text


def describe_meta(meta):
    """(pool_id, task_id, site tuple) of a task's meta - for findings, off the hot path."""
    if not meta:
        return None, None, None
    data = json.loads("{%s}" % meta[0])
    site = data.get("site")
    return data.get("poolId"), meta[1], (site["file"], site["line"], site["function"]) if site else None


class PoolTask(tuple):
    """``(job, i, func, args, kwds, meta)``: a multiprocessing.Pool task plus its metadata.

    Pickles to the stdlib's 5-tuple (see ``pool_task_loaded``); ``task[:2]``, all the
    pool's task handler looks at, is unchanged.
    """

    __slots__ = ()

    def __reduce_ex__(self, protocol):
        return (pool_task_loaded, tuple(self))

    def __reduce__(self):
        return self.__reduce_ex__(2)


def pool_task_loaded(job, i, func, args, kwds, meta):
    """Unpickling side of ``PoolTask``: start the task's record, return the stdlib tuple."""
    if _diagnosing:
        _diagnosed_meta.append(meta)
    else:
        recv = _recv
        _proc[0] = (meta, _now(), _cpu(), recv[1], _perf() - recv[0], "process")
        recv[2] = None
    return (job, i, func, args, kwds)


def call_item_loaded(work_id, fn, args, kwargs, meta):
    """Unpickling side of the patched ``concurrent.futures.process._CallItem``."""
    if _diagnosing:
        _diagnosed_meta.append(meta)
        return None
    if meta is not None:
        _start_received(meta)
    from parascope_harness.pools import executors
    return executors.ORIGINAL_CALL_ITEM(work_id, fn, args, kwargs)


_diagnosing = False
_diagnosed_meta = []


def _start_received(meta):
    recv = _recv
    _proc[0] = (meta, _now(), _cpu(), recv[1], _perf() - recv[0], "process")
    recv[2] = None


def start_local(meta, kind):
    """Start a record in this thread for a task that was not pickled (thread/serial pools)."""
    _local.cur = (meta, _now(), _cpu(), 0, 0.0, kind)


def current():
    return getattr(_local, "cur", None)


def clear():
    _local.cur = None


def pending_receive():
    """Raw bytes of a task this process received but never finished unpickling."""
    return _recv[2]


# Times as epoch seconds to the microsecond, durations to 9 significant digits: float repr
# is the slowest part of this hot path.
_TASK_LINE = ('{"ev":"task","t":%s,%s,"taskId":"%s","pid":%d,"tid":%d,"kind":"%s","start":%.6f,'
              '"end":%s,"cpuSeconds":%.9g,"argBytes":%d,"resultBytes":%d,"pickleSeconds":%.9g,'
              '"ok":%s%s}')


def task_line(rec, ok, error, result_bytes, result_pickle, end, cpu_end):
    """The ``task`` event's JSON line (preformatted: this runs once per task)."""
    meta, start, cpu0, arg_bytes, loads, kind = rec
    extra = ""
    if error is not None:
        extra = ',"error":' + json.dumps(error)
    if meta[2] is not None:
        extra += ',"chunk":%d' % meta[2]
    end_text = "%.6f" % end
    return _TASK_LINE % (
        end_text, meta[0], meta[1], _pid[0], threading.get_native_id(), kind, start, end_text,
        cpu_end - cpu0, arg_bytes, result_bytes, loads + result_pickle, "true" if ok else "false",
        extra)


def finish(rec, ok, error, result_bytes=0, result_pickle=0.0, end=None, cpu_end=None):
    """Emit the ``task`` event for ``rec`` (thread and serial pools; workers use ``task_line``)."""
    if events.enabled():
        events.emit_line(task_line(rec, ok, error, result_bytes, result_pickle,
                                   _now() if end is None else end,
                                   _cpu() if cpu_end is None else cpu_end))


def describe_error(exc):
    """Short "Type: message" for a task's exception (unwrapping multiprocessing's wrappers)."""
    exc = getattr(exc, "exc", exc)  # ExceptionWithTraceback wrappers keep the real one in .exc
    try:
        text = str(exc)
    except Exception:
        text = "<unprintable>"
    if len(text) > 300:
        text = text[:297] + "..."
    return "%s: %s" % (type(exc).__name__, text) if text else type(exc).__name__


def worker_kind():
    """"thread"/"interpreter" in a pool worker thread (set by the thread hooks), else None."""
    return getattr(_local, "worker_kind", None)


def set_worker_kind(kind):
    _local.worker_kind = kind
    _local.work = None
