"""End runs whose pool can never finish, after a grace period, with one clear line.

``multiprocessing.Pool`` waits forever when its result-handler thread died (an
exception that cannot be rebuilt kills it) or when a worker died holding a task
(the pool replaces the worker but never resubmits the task: a function the child
cannot unpickle, a missing main guard under spawn, a crash). The watchdog runs on
the harness thread: a pool with unfinished work in one of those states and no
progress for ``--hang-grace`` seconds ends the run with exit code 123.
"""
import os
import sys
import threading
import time
import weakref

from parascope_harness import events, sites, state

EXIT_HANG = 123

_watched = []
_thread_errors = weakref.WeakKeyDictionary()
_suspect = {}


def watch_pool(instr):
    if not _watched:
        import atexit
        atexit.register(_report_exits)
    _watched.append(weakref.ref(instr))
    events.add_periodic(check)


def _report_exits():
    from parascope_harness.pools import mp_pool
    for ref in list(_watched):
        instr = ref()
        pool = instr.pool_ref() if instr is not None and instr.pool_ref else None
        if pool is not None:
            mp_pool.report_killed_workers(instr, pool)


def _record_thread_error(original):
    def excepthook(args):
        try:
            if args.thread is not None and args.exc_value is not None:
                _thread_errors[args.thread] = "%s: %s" % (type(args.exc_value).__name__,
                                                          args.exc_value)
        except Exception:
            pass
        return original(args)
    return excepthook


def install():
    threading.excepthook = _record_thread_error(threading.excepthook)


def _reason(instr, pool):
    if not pool._cache:
        return None
    handler = getattr(pool, "_result_handler", None)
    if handler is not None and not handler.is_alive() and pool._state == "RUN":
        error = _thread_errors.get(handler)
        return "its result handler thread died" + (" (%s)" % error if error else "")
    if instr.dead_workers and pool._state == "RUN":
        when, pid, code = instr.dead_workers[-1]
        return ("worker process %d died (exit code %d) holding a task that Pool never resubmits"
                % (pid, code))
    return None


def _progress(pool):
    """What changes whenever the pool takes in a result: its unfinished jobs and their counters
    (read here, every tick, rather than counted on every result)."""
    try:
        jobs = list(dict.values(pool._cache))
    except RuntimeError:  # changed while being read: that is progress
        return object()
    return tuple((id(job), getattr(job, "_number_left", None), getattr(job, "_index", None),
                  len(getattr(job, "_items", None) or ()), len(getattr(job, "_unsorted", None) or ()))
                 for job in jobs)


def check():
    grace = state.config.hang_grace if state.config else 5.0
    now = time.monotonic()
    for ref in list(_watched):
        instr = ref()
        pool = instr.pool_ref() if instr is not None and instr.pool_ref else None
        if pool is None:
            _watched.remove(ref)
            continue
        if instr.ended:
            from parascope_harness.pools import mp_pool
            mp_pool.report_killed_workers(instr, pool)
        reason = _reason(instr, pool)
        if reason is None:
            _suspect.pop(instr.pool_id, None)
            continue
        progress = _progress(pool)
        since, before = _suspect.get(instr.pool_id, (None, None))
        if since is None or progress != before:
            _suspect[instr.pool_id] = (now, progress)
            continue
        if now - since >= grace:
            end_run(instr, pool, reason, now - since, grace)


def _oldest_site(instr, pool):
    try:
        jobs = sorted(pool._cache)
        for job in jobs:
            site = getattr(dict.get(pool._cache, job), "_parascope_site", None)
            if site is not None:
                return site
    except Exception:
        pass
    return instr.site


def end_run(instr, pool, reason, waited, grace):
    site = _oldest_site(instr, pool)
    where = "%s:%d" % (site[0], site[1]) if site else "an unknown line"
    events.emit({"ev": "hang", "t": time.time(), "poolId": instr.pool_id, "reason": reason,
                 "site": sites.as_dict(site), "graceSeconds": grace})
    stop_run("pool %s can never finish: %s (submitted at %s); ended after %.1f s"
             % (instr.pool_id, reason, where, waited), EXIT_HANG, pool)


def stop_run(message, code, pool=None):
    """Kill this run's children, flush everything, print ``message`` and exit with ``code``."""
    try:
        kill_descendants(pool)
    except Exception:
        pass
    events.flush(1.0)
    try:
        sys.stdout.flush()
    except Exception:
        pass
    try:
        sys.stderr.write("parascope: %s\n" % message)
        sys.stderr.flush()
    except Exception:
        pass
    os._exit(code)


def kill_descendants(pool=None):
    """SIGKILL every process below this one (forkserver children included), until none is left."""
    from parascope_harness import limits, processes
    processes.freeze_process_starts()  # a Pool would otherwise replace the workers we kill
    for worker in list(getattr(pool, "_pool", None) or ()):
        if getattr(worker, "pid", None):
            _kill(worker.pid)
    limits.kill_tree(os.getpid())


def _kill(pid):
    import signal
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
