"""Lanes: raw ``threading.Thread`` / ``multiprocessing.Process`` fan-outs, and pool worker threads.

``Thread.start()`` registers the thread in ``threading._limbo``; our dict subclass
sees that registration in the starting thread, where the caller's frame is still
available: a thread started directly from user code becomes a lane, a pool's
worker thread is tagged with its pool. ``Thread._bootstrap_inner`` is wrapped
(above the stdlib's own exception handling, so thread tracebacks are unchanged)
to time the thread in the thread itself.
"""
import os
import sys
import threading
import time

from parascope_harness import events, sites, tasks

ORIGINAL_BOOTSTRAP_INNER = threading.Thread._bootstrap_inner


def describe_target(target, obj):
    if target is None:
        return "%s.run" % (type(obj).__qualname__,)
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", None)
    module = getattr(target, "__module__", None)
    if name is None:
        return repr(target)[:200]
    return "%s.%s" % (module, name) if module and module != "__main__" else name


def emit_lane(kind, name, target, start, site):
    events.emit({"ev": "lane", "t": time.time(), "pid": os.getpid(),
                 "tid": threading.get_native_id(), "kind": kind, "name": name, "target": target,
                 "start": start, "end": time.time(), "site": sites.as_dict(site)})


def _pool_of(args):
    for arg in args or ():
        pool_id = getattr(arg, "_parascope_pool", None)
        if pool_id is not None:
            return pool_id, getattr(getattr(arg, "instr", None), "kind", None) or "thread"
    return None


def _is_worker_target(target):
    mpool = sys.modules.get("multiprocessing.pool")
    cf_thread = sys.modules.get("concurrent.futures.thread")
    return ((mpool is not None and target is mpool.worker)
            or (cf_thread is not None and target is cf_thread._worker))


def _tag(thread, start_frame):
    if start_frame.f_code.co_name != "start":
        return
    target = thread.__dict__.get("_target")
    if (getattr(target, "__module__", None) or "").startswith(("multiprocessing", "concurrent.futures")):
        pool = _pool_of(thread.__dict__.get("_args")) if _is_worker_target(target) else None
        if pool is not None:
            thread._parascope = ("worker", pool[0], pool[1])
        return
    caller = start_frame.f_back
    if caller is not None and sites.direct_caller_is_user(caller):
        thread._parascope = ("lane", sites.user_site(caller), describe_target(target, thread))


class Limbo(dict):
    """``threading._limbo``: ``Thread.start()`` stores the thread here before it runs."""

    def __setitem__(self, key, value):
        try:
            _tag(value, sys._getframe(1))
        except Exception as exc:
            events.internal_error("thread start hook failed: %r" % (exc,))
        dict.__setitem__(self, key, value)


def _bootstrap_inner(self):
    tag = self.__dict__.get("_parascope")
    if tag is None:
        return ORIGINAL_BOOTSTRAP_INNER(self)
    start = time.time()
    if tag[0] == "worker":
        tasks.set_worker_kind(tag[2])
        _emit_worker("worker_start", tag)
    try:
        return ORIGINAL_BOOTSTRAP_INNER(self)
    finally:
        try:
            if tag[0] == "worker":
                _emit_worker("worker_exit", tag)
            else:
                emit_lane("thread", self.name, tag[2], start, tag[1])
        except Exception:
            pass


def _emit_worker(kind, tag):
    events.emit({"ev": kind, "t": time.time(), "poolId": tag[1], "pid": os.getpid(),
                 "tid": threading.get_native_id(), "kind": tag[2]})


def install():
    limbo = Limbo(threading._limbo)
    threading._limbo = limbo
    threading.Thread._bootstrap_inner = _bootstrap_inner
