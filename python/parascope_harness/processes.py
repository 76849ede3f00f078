"""Hooks on multiprocessing's process machinery.

- ``process._cleanup`` is the first thing ``Process.start()`` calls, before the
  child exists: we tag pool workers with their pool id, remember the user's line
  for raw processes (lanes), apply the process limit and, in a child still
  importing the main module, report the missing main guard (PAR010) - all
  without being on the stack when ``start()`` raises.
- ``set_spawning_popen`` is called by the spawn/forkserver launchers right before
  pickling the preparation data and the Process object, and again in a ``finally``:
  the first call adds our child loader to the preparation data, the second sees
  (``sys.exc_info()``) whether pickling the Process failed.
- ``BaseProcess._bootstrap`` runs first in every child: it announces the child,
  prepares pool workers, and flushes events when the child ends. (No SIGTERM
  handler is installed for ``Pool.terminate()``: a Python-level handler can miss a
  signal that lands just before a blocking ``sem_wait`` and hang the pool; pool
  workers write their events unbuffered instead, see ``pools.workerside``.)
"""
import os
import sys
import threading
import time
from multiprocessing import process as mp_process

from parascope_harness import config as configmod
from parascope_harness import events, procinfo, sites, state

ORIGINAL_BOOTSTRAP = mp_process.BaseProcess._bootstrap
ORIGINAL_CLEANUP = mp_process._cleanup
_ORIGINAL_SET_SPAWNING_POPEN = {}
_starting = threading.local()
_stopping = []  # set when the run is being ended: no new process may start


def freeze_process_starts():
    """The run is ending (hang, process limit): any thread starting a process waits for the exit."""
    _stopping.append(True)


# --- Process.start() in the parent -----------------------------------------------------------

def _cleanup():
    while _stopping:
        time.sleep(1)
    try:
        frame = sys._getframe(1)
        if frame.f_code.co_name == "start":
            _before_start(frame.f_locals.get("self"), frame.f_back)
    except Exception as exc:
        events.internal_error("process start hook failed: %r" % (exc,))
    ORIGINAL_CLEANUP()


def _pool_worker_target(target):
    mpool = sys.modules.get("multiprocessing.pool")
    if mpool is not None and target is mpool.worker:
        return True
    cf_process = sys.modules.get("concurrent.futures.process")
    return cf_process is not None and target is cf_process._process_worker


def _before_start(proc, caller):
    if proc is None:
        return
    target = getattr(proc, "_target", None)
    if _pool_worker_target(target):
        pool_id = getattr(proc._args[0], "_parascope_pool", None)
        if pool_id is not None:
            proc._parascope_pool = pool_id
            from parascope_harness.pools import workerside  # noqa: F401  (once, not in every forked worker)
    elif caller is not None and sites.direct_caller_is_user(caller):
        proc._parascope_site = sites.user_site(caller)
    if getattr(mp_process.current_process(), "_inheriting", False):
        method = getattr(proc, "_start_method", None) or procinfo.default_start_method()
        if method in ("spawn", "forkserver"):
            from parascope_harness import findings
            findings.report_missing_main_guard(sites.user_site(caller), method)
    from parascope_harness import limits
    limits.note_process_start()


# --- spawn / forkserver launchers --------------------------------------------------------------

class ChildLoader:
    """Put in the preparation data; unpickling it in the child loads the harness there first.

    It unpickles to ``None`` via ``exec`` of a short loader (no import of ours is
    needed to unpickle it, so a child that cannot find the harness still runs the
    program, unprofiled).
    """

    def __init__(self, role, pool_id):
        self.role = role
        self.pool_id = pool_id

    def __reduce__(self):
        source = (
            "import sys\n"
            "root = %r\n"
            "added = root not in sys.path\n"
            "if added:\n    sys.path.insert(0, root)\n"
            "try:\n    from parascope_harness import child\n"
            "except Exception:\n    child = None\n"
            "if added and root in sys.path:\n    sys.path.remove(root)\n"
            "if child is not None:\n    child.bootstrap(%r, %r, %r)\n"
        ) % (configmod.HARNESS_ROOT, state.config.to_json(), self.role, self.pool_id)
        return (exec, (source, {}))


def _make_set_spawning_popen(original):
    def set_spawning_popen(popen):
        if popen is not None:
            try:
                _prepare_launch(sys._getframe(1))
            except Exception as exc:
                events.internal_error("spawn hook failed: %r" % (exc,))
        else:
            exc = sys.exc_info()[1]
            proc = getattr(_starting, "proc", None)
            if exc is not None and proc is not None and exc is not getattr(_starting, "outer", None):
                try:
                    from parascope_harness import findings
                    findings.report_process_start(exc, proc)
                except Exception as err:
                    events.internal_error("diagnosing a process start: %r" % (err,))
            _starting.proc = None
        return original(popen)
    return set_spawning_popen


def _prepare_launch(frame):
    local = frame.f_locals
    proc = local.get("process_obj")
    prep = local.get("prep_data")
    _starting.proc = proc
    _starting.outer = sys.exc_info()[1]
    if isinstance(prep, dict) and proc is not None:
        pool_id = proc.__dict__.get("_parascope_pool")
        prep["parascope_harness"] = ChildLoader("worker" if pool_id else "child", pool_id)


# --- the child's first moments -----------------------------------------------------------------

def _bootstrap(self, *args, **kwargs):
    pool_id = self.__dict__.get("_parascope_pool")
    lane_site = self.__dict__.get("_parascope_site")
    start = time.time()
    worker = False
    try:
        if pool_id is not None:
            from parascope_harness.pools import workerside
            workerside.install(self)  # first: it makes this process write events unbuffered
            worker = True
            procinfo.announce("worker", poolId=pool_id)
            _emit_worker("worker_start", pool_id)
        else:
            procinfo.announce("child")
    except Exception as exc:
        events.internal_error("child start hook failed: %r" % (exc,))
    exitcode = None
    try:
        exitcode = ORIGINAL_BOOTSTRAP(self, *args, **kwargs)
        return exitcode
    finally:
        try:
            if worker:
                from parascope_harness.pools import workerside
                workerside.after_exit(self, exitcode)
                _emit_worker("worker_exit", pool_id)
            elif lane_site is not None:
                from parascope_harness import lanes
                lanes.emit_lane("process", self.name, lanes.describe_target(
                    self.__dict__.get("_target"), self), start, lane_site)
            events.flush()
        except Exception as exc:
            events.internal_error("child exit hook failed: %r" % (exc,))


def _emit_worker(kind, pool_id):
    events.emit({"ev": kind, "t": time.time(), "poolId": pool_id, "pid": os.getpid(),
                 "tid": threading.get_native_id(), "kind": "process"})


def install(module=None):
    """Patch ``multiprocessing.process`` (a post-import hook: see ``hooks``)."""
    mp_process._cleanup = _cleanup
    mp_process.BaseProcess._bootstrap = _bootstrap


def install_launcher(module):
    """Patch ``multiprocessing.popen_spawn_posix`` / ``popen_forkserver`` (post-import hooks)."""
    original = module.set_spawning_popen
    _ORIGINAL_SET_SPAWNING_POPEN[module.__name__] = original
    module.set_spawning_popen = _make_set_spawning_popen(original)
