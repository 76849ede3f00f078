"""Per-task records: what the parent attaches to a task, and what a worker measures.

The parent attaches the submission's ``head`` to each task: the JSON text
``"poolId":"…","site":{…}`` as bytes, shared by every task of one submission
(built once, spliced into each ``task`` line as is). For process pools it
travels inside the pickled task (``PoolTask`` / ``CallItem`` reconstructors) and
the stdlib objects are rebuilt when the worker unpickles it - so the worker calls
the user's function directly, and no harness frame ever sits between the pool
machinery and user code (tracebacks stay as they are). The reconstructor is the
last thing unpickled, so it also marks the end of the task's deserialization:
that is where the task's clock starts. Task ids and chunk sizes are worked out
by the worker from the task itself, only when its line is written.

Times are kept as integer nanoseconds of ``time.time_ns()`` (durations too: one
clock read less per task than a separate monotonic clock) and written as JSON
numbers with an exponent (``1764449415810108123e-9``): formatting floats is the
slowest part of this hot path, formatting integers is not.
"""
import os
import threading
from time import thread_time_ns as _cpu_ns, time_ns as _now_ns

from parascope_harness import events, sites

_local = threading.local()
_recv = [0, 0, None]  # arrival (time_ns), size and bytes of the last task message received
_proc = [None]  # the current task record of this (single-threaded) pool worker process
_pid = [os.getpid()]
_heads = {}
MAPSTARS = []  # multiprocessing.pool's [mapstar, starmapstar], once that module is imported


def _reset_after_fork():
    _pid[0] = os.getpid()
    _recv[2] = None
    _proc[0] = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def head(pool_id, site):
    """The shared JSON prefix (bytes) of the ``task`` lines of one submission (cached)."""
    key = (pool_id, site)
    text = _heads.get(key)
    if text is None:
        text = _heads[key] = ('"poolId":%s,"site":%s' % (
            events.dumps(pool_id), events.dumps(sites.as_dict(site)))).encode("ascii")
    return text


def describe_meta(meta):
    """(pool_id, task_id, site tuple) of a task's ``(head, task_id, chunk)`` - for findings only."""
    if not meta or not meta[0]:
        return None, None, None
    import json
    data = json.loads("{%s}" % meta[0].decode("ascii"))
    site = data.get("site")
    task_id = meta[1].decode("ascii") if isinstance(meta[1], bytes) else meta[1]
    return data.get("poolId"), task_id, (site["file"], site["line"], site["function"]) if site else None


def is_mapstar(func):
    """``func`` is multiprocessing.pool's ``mapstar`` or ``starmapstar`` (by identity)."""
    stars = MAPSTARS
    return bool(stars) and (func is stars[0] or func is stars[1])


def pool_meta(job, i, func, args, head_text):
    """``(head, task_id, chunk)`` of a ``multiprocessing.Pool`` task."""
    chunk = len(args[0][1]) if is_mapstar(func) else None
    return (head_text, b"%d:%d" % (job, i), chunk)


class PoolTask(tuple):
    """``(job, i, func, args, kwds, head)``: a multiprocessing.Pool task plus its submission's head.

    Pickles to a call of one of our reconstructors that rebuilds the stdlib's 5-tuple
    (``task[:2]``, all the pool's task handler looks at, is unchanged). For ``map``-style
    chunks the reconstructor stands in for ``mapstar``/``starmapstar``, which are then
    not pickled: the message holds as many global references as without the harness
    (each costs a module import lookup in the parent and in the worker).
    """

    __slots__ = ()

    def __reduce_ex__(self, protocol):
        job, i, func, args, kwds, head_text = self
        stars = MAPSTARS
        if stars:
            if func is stars[0]:
                return (pool_map_loaded, (job, i, 0, args, kwds, head_text))
            if func is stars[1]:
                return (pool_map_loaded, (job, i, 1, args, kwds, head_text))
        return (pool_task_loaded, (job, i, func, args, kwds, head_text))

    def __reduce__(self):
        return self.__reduce_ex__(2)


def pool_task_loaded(job, i, func, args, kwds, head_text):
    """Unpickling side of ``PoolTask``: start the task's record, return the stdlib tuple.

    A worker's record is ``(head, job, i, chunk, start, cpu)``: ``chunk`` the number
    of items of a map chunk (else None), ``start`` (``time_ns``: also the end of the
    task's unpickling) and ``cpu`` (``thread_time_ns``) where the task starts.
    """
    chunk = len(args[0][1]) if is_mapstar(func) else None
    if _diagnosing:
        _diagnosed_meta.append((head_text, b"%d:%d" % (job, i), chunk))
    else:
        _proc[0] = (head_text, job, i, chunk, _now_ns(), _cpu_ns())
        _recv[2] = None
    return (job, i, func, args, kwds)


def pool_map_loaded(job, i, star, args, kwds, head_text):
    """``pool_task_loaded`` for a map chunk: ``star`` picks ``mapstar`` or ``starmapstar``."""
    func = (MAPSTARS or _load_mapstars())[star]
    if _diagnosing:
        _diagnosed_meta.append((head_text, b"%d:%d" % (job, i), len(args[0][1])))
    else:
        _proc[0] = (head_text, job, i, len(args[0][1]), _now_ns(), _cpu_ns())
        _recv[2] = None
    return (job, i, func, args, kwds)


def _load_mapstars():
    from multiprocessing import pool
    MAPSTARS[:] = [pool.mapstar, pool.starmapstar]
    return MAPSTARS


def call_item_loaded(work_id, fn, args, kwargs, meta):
    """Unpickling side of the patched ``concurrent.futures.process._CallItem``."""
    if _diagnosing:
        _diagnosed_meta.append(meta)
        return None
    if meta is not None:
        _proc[0] = (meta, _now_ns(), _cpu_ns())
        _recv[2] = None
    from parascope_harness.pools import process_executor
    return process_executor.ORIGINAL_CALL_ITEM(work_id, fn, args, kwargs)


_diagnosing = False
_diagnosed_meta = []


def start_local(meta, kind):
    """Start a record in this thread for a task that was not pickled (thread/serial pools)."""
    _local.cur = (meta, _now_ns(), _cpu_ns(), kind)


def current():
    return getattr(_local, "cur", None)


def clear():
    _local.cur = None


def pending_receive():
    """Raw bytes of a task this process received but never finished unpickling."""
    return _recv[2]


TASK_LINE = (b'{"ev":"task","t":%de-9,%s,"taskId":"%s",%s,"start":%de-9,"end":%de-9,'
             b'"cpuSeconds":%de-9,"argBytes":%d,"resultBytes":%d,"pickleSeconds":%de-9,"ok":%s%s}\n')


def tail(ok, error, chunk):
    """``"ok"``'s value and the optional fields after it."""
    extra = b""
    if error is not None:
        extra = b',"error":' + events.dumps(error).encode("ascii")
    if chunk is not None:
        extra += b',"chunk":%d' % chunk
    return (b"true" if ok else b"false"), extra


def finish(rec, ok, error):
    """Emit the ``task`` event for a thread/serial/interpreter record (``start_local``)."""
    if not events.enabled():
        return
    end, cpu_end = _now_ns(), _cpu_ns()
    meta, start, cpu0, kind = rec
    ident = b'"pid":%d,"tid":%d,"kind":"%s"' % (_pid[0], threading.get_native_id(), kind.encode())
    ok_text, extra = tail(ok, error, meta[2])
    events.emit_line(TASK_LINE % (end, meta[0], meta[1], ident, start, end, cpu_end - cpu0, 0, 0, 0,
                                  ok_text, extra))


def unwrap_error(exc):
    """The task's own exception: ``ExceptionWithTraceback`` keeps it in ``.exc`` (where
    ``MaybeEncodingError`` keeps a repr string, which is not unwrapped)."""
    inner = getattr(exc, "exc", None)
    return inner if isinstance(inner, BaseException) else exc


def describe_error(exc):
    """Short "Type: message" for a task's exception (unwrapping multiprocessing's wrappers)."""
    exc = unwrap_error(exc)
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
