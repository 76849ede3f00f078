"""Turn pickling failures into ``finding`` events: rule id, normalized message, path, site, phase.

Every ``report_*`` function is called from a hook at the place multiprocessing
failed; none of them raises or changes the original exception (except copying
Python 3.14's "when serializing ..." notes from a pristine re-pickle, so those
notes describe the user's objects and not the harness's task wrappers).
"""
import os
import re
import time
import types

from parascope_harness import diagnose, events, sites

_seen = set()
MAX_FINDINGS = 1000

_LOCK_TYPES = frozenset(("_thread.lock", "_thread.RLock", "_thread._ThreadHandle",
                         "_thread.allocate_lock", "_thread._RLock", "threading._RLock",
                         "threading.Condition", "threading.Event", "threading.Thread"))
_GENERATOR_TYPES = (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)
_VIEW_TYPES = (type({}.keys()), type({}.values()), type({}.items()), types.ModuleType)
_NATIVE_PREFIXES = ("sqlite3.", "_sqlite3.", "ssl.", "_ssl.", "mmap.", "select.", "_thread._local",
                    "_io.", "io.", "_socket.", "zipfile.", "gzip.", "bz2.", "lzma.", "tarfile.",
                    "h5py.")
_CANNOT_PICKLE = re.compile(r"(?:cannot|can't) pickle '?([\w.<>]+?)'?(?: object| instances| objects)")


def type_name(obj_type):
    module = getattr(obj_type, "__module__", None)
    name = getattr(obj_type, "__qualname__", None) or obj_type.__name__
    return name if module in (None, "builtins") else "%s.%s" % (module, name)


def _short(name):
    return name[4:] if name.startswith(("_io.", "_ssl.")) else name


def _defined_at(func):
    code = getattr(func, "__code__", None)
    if code is None:
        return ""
    return " defined at %s:%d" % (sites.absolute(code.co_filename), code.co_firstlineno)


def _bound_name(obj):
    """A module-level name bound to ``obj`` other than its own (decorator without wraps, renames)."""
    import sys
    module = sys.modules.get(getattr(obj, "__module__", None) or "")
    if module is None:
        return None
    for key, value in list(vars(module).items()):
        if value is obj:
            return key
    return None


def classify(failure):
    """(rule, message, type name) for one failing leaf.

    Anything failing inside a thread, event, condition, semaphore or logging handler
    is that object's fault (PAR005), whatever the leaf is (a lock, a stream, ...).
    """
    rule, message, tname = _classify_leaf(failure)
    if failure.within is not None and rule != "PAR009":
        rule = "PAR005"
    return rule, message, tname


def _classify_leaf(failure):
    obj, reason = failure.obj, failure.reason
    if reason == "lambda":
        return "PAR001", "lambda functions cannot be pickled: <lambda>%s" % _defined_at(obj), "function"
    if reason in ("local", "lookup", "mismatch"):
        qual = getattr(obj, "__qualname__", repr(obj))
        kind = "class" if isinstance(obj, type) else "function"
        bound = _bound_name(obj)
        shown = type_name(type(failure.owner if failure.owner is not None else obj))
        if bound is not None and bound != qual.rsplit(".", 1)[-1]:
            return ("PAR004", "%s '%s' is bound as '%s.%s': pickle looks it up by its own name "
                    "(a decorator without functools.wraps, or a name mismatch)"
                    % (kind, qual, obj.__module__, bound), shown)
        if reason == "local":
            if isinstance(obj, type) and failure.owner is not None:
                return ("PAR003", "instance of local class '%s' cannot be pickled" % qual,
                        type_name(type(failure.owner)))
            rule = "PAR003" if isinstance(obj, type) else "PAR002"
            return rule, "local object '%s' cannot be pickled" % qual, type_name(type(obj))
        if reason == "mismatch":
            return ("PAR004", "%s '%s.%s' cannot be pickled: that name refers to a different object"
                    % (kind, obj.__module__, qual), shown)
        return ("PAR004", "%s '%s' cannot be pickled: '%s' is not found in module %s"
                % (kind, qual, qual, obj.__module__), shown)
    exc = failure.exc
    name = type_name(type(obj))
    text = str(exc).splitlines()[0] if exc is not None and str(exc) else repr(exc)
    if isinstance(exc, RuntimeError) and "through inheritance" in text:
        return "PAR009", text, name
    match = _CANNOT_PICKLE.search(text)
    message = "cannot pickle '%s' object" % _short(name) if match else text
    if isinstance(obj, _GENERATOR_TYPES):
        return "PAR007", message, name
    if isinstance(obj, _VIEW_TYPES):
        return "PAR008", message, name
    if name in _LOCK_TYPES or "lock" in name.lower() and name.startswith("_thread"):
        return "PAR005", message, name
    import io
    if isinstance(obj, io.IOBase) or name.startswith(_NATIVE_PREFIXES):
        return "PAR006", message, name
    return "PAR099", message or "object cannot be pickled", name


def emit(rule, message, type_name_, path, site, phase, **extra):
    key = (rule, path, site, phase, type_name_)
    if key in _seen or len(_seen) >= MAX_FINDINGS:
        return
    _seen.add(key)
    event = {"ev": "finding", "t": time.time(), "pid": os.getpid(), "rule": rule,
             "severity": "error", "message": message, "type": type_name_, "path": path,
             "site": sites.as_dict(site), "phase": phase}
    event.update({k: v for k, v in extra.items() if v is not None})
    events.emit(event)


def report_walk(roots, site, phase, exc, reducers=None, **extra):
    """Walk ``roots``, emit one finding per failing leaf (or one for the whole payload)."""
    result = diagnose.walk(roots, reducers=reducers)
    emitted = False
    for failure in result.failures:
        rule, message, tname = classify(failure)
        emit(rule, message, tname, failure.path, site, phase, truncated=result.truncated,
             within=failure.within, **extra)
        emitted = True
    if not emitted and exc is not None:  # the walk found no culprit: report the payload itself
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        path, obj = roots[0] if roots else (None, None)
        emit("PAR099", "object cannot be pickled: %s" % text, type_name(type(obj)), path, site,
             phase, truncated=result.truncated, **extra)


# --- roots of the payloads multiprocessing sends ------------------------------------------------

def _call_roots(func, args, kwargs, item_base=None):
    """Name the parts of a call the way the user wrote it, unwrapping map's helpers."""
    from multiprocessing import pool as mpool
    from concurrent.futures import process as cf_process
    import functools
    if func is mpool.mapstar or func is mpool.starmapstar:
        user_func, chunk = args[0]
        roots = [("<function>", user_func)]
        star = func is mpool.starmapstar
        items = []
        for k, item in enumerate(chunk):
            index = None if item_base is None else item_base + k
            if star and type(item) is tuple:
                items.append((index, [("args[%d]" % j, a) for j, a in enumerate(item)]))
            else:
                items.append((index, [("args[0]", item)]))
        return roots, items
    if isinstance(func, functools.partial) and func.func is cf_process._process_chunk:
        items = [(k, [("args[%d]" % j, a) for j, a in enumerate(item)]) for k, item in
                 enumerate(args[0])]
        return [("<function>", func.args[0])], items
    roots = [("<function>", func)]
    roots += [("args[%d]" % i, a) for i, a in enumerate(args or ())]
    roots += [("kwargs" + diagnose._key_path(k), v) for k, v in (kwargs or {}).items()]
    return roots, []


def _report_call(exc, func, args, kwargs, meta, phase, item_base=None, reducers=None, site=None):
    from parascope_harness.tasks import describe_meta
    pool_id, task_id, meta_site = describe_meta(meta)
    site = site or meta_site
    roots, items = _call_roots(func, args, kwargs, item_base)
    report_walk(roots, site, phase, exc if not items else None, reducers, poolId=pool_id,
                taskId=task_id)
    for index, item_roots in items:
        report_walk(item_roots, site, phase, None, reducers, poolId=pool_id, taskId=task_id,
                    item=index)


def _restore_notes(exc, pristine):
    """Python 3.14 notes name the path inside what was pickled: make them the stdlib's own."""
    if not getattr(exc, "__notes__", None):
        return
    from multiprocessing.reduction import ForkingPickler
    try:
        ForkingPickler.dumps(pristine)
    except Exception as again:
        if type(again) is type(exc) and again.args == exc.args:
            exc.__notes__ = list(getattr(again, "__notes__", []))


def report_pool_task(exc, task, chunksize):
    """multiprocessing.Pool's task handler could not pickle ``task`` (a PoolTask)."""
    _restore_notes(exc, tuple(task[:5]))
    from parascope_harness.tasks import pool_meta
    job, i, func, args, kwds, head = task
    meta = pool_meta(job, i, func, args, head)
    base = i * chunksize if chunksize and (func.__name__ in ("mapstar", "starmapstar")) else None
    _report_call(exc, func, args, kwds, meta, "submit", base)


def report_call_item(exc, item):
    """ProcessPoolExecutor's queue feeder could not pickle ``item`` (a _CallItem)."""
    from parascope_harness.pools import process_executor
    meta = getattr(item.work_id, "meta", None)
    _restore_notes(exc, process_executor.ORIGINAL_CALL_ITEM(int(item.work_id), item.fn, item.args,
                                                       item.kwargs))
    _report_call(exc, item.fn, item.args, item.kwargs, meta, "submit")


def report_interpreter_submit(exc, fn, args, kwargs, site):
    """InterpreterPoolExecutor.submit could not pickle the call (plain ``pickle``, 3.14+)."""
    import copyreg
    _report_call(exc, fn, args, kwargs, None, "submit", reducers=dict(copyreg.dispatch_table),
                 site=site)


def report_result(exc, value, meta):
    """A worker could not pickle a task's result."""
    from parascope_harness.tasks import describe_meta
    pool_id, task_id, site = describe_meta(meta)
    report_walk([("result", value)], site, "result", exc, poolId=pool_id, taskId=task_id)


def report_unrebuildable(original, unpickle_error, meta):
    """A task's exception pickles but cannot be unpickled by the parent (PAR012)."""
    from parascope_harness.tasks import describe_meta
    pool_id, task_id, site = describe_meta(meta)
    emit("PAR012", "exception '%s' cannot be rebuilt from its args in the parent: %s"
         % (type_name(type(original)), str(unpickle_error).splitlines()[0]),
         type_name(type(original)), "exception", site, "exception-rebuild", poolId=pool_id,
         taskId=task_id)
    events.flush()


def report_receive_failure(data):
    """A worker died unpickling a task: find the task's metadata and the missing name."""
    from parascope_harness.tasks import describe_meta
    missing, meta = _tolerant_load(data)
    pool_id, task_id, site = describe_meta(meta)
    for module, name, exc in missing or [(None, None, None)]:
        if module in ("__main__", "__mp_main__"):
            emit("PAR011", "'%s' is not defined when a child process imports the main module "
                 "(defined only under if __name__ == \"__main__\"?)" % name, "function",
                 "<function>", site, "receive", poolId=pool_id, taskId=task_id)
        else:
            emit("PAR099", "the worker could not unpickle the task: %s" % (
                 exc if exc is not None else "unknown error"), "task", None, site, "receive",
                 poolId=pool_id, taskId=task_id)
    events.flush()


def _tolerant_load(data):
    """Unpickle ``data`` running nothing but our own reconstructors; list the globals that fail."""
    import io
    import pickle
    from parascope_harness import tasks

    class Missing:
        def __init__(self, *args, **kwargs):
            pass

        def __call__(self, *args, **kwargs):
            return Missing()

        def __setstate__(self, state):
            pass

    ours = (tasks.pool_task_loaded, tasks.pool_map_loaded, tasks.call_item_loaded)
    missing = []

    class Tolerant(pickle.Unpickler):
        def find_class(self, module, name):
            try:
                found = pickle.Unpickler.find_class(self, module, name)
            except Exception as exc:
                missing.append((module, name, exc))
                return Missing
            return found if found in ours else Missing

        def persistent_load(self, pid):
            return Missing()

    tasks._diagnosing = True
    del tasks._diagnosed_meta[:]
    try:
        Tolerant(io.BytesIO(bytes(data))).load()
    except Exception:
        pass
    finally:
        tasks._diagnosing = False
    meta = tasks._diagnosed_meta[0] if tasks._diagnosed_meta else None
    return missing, meta


def report_missing_main_guard(site, method):
    """A child started a process while importing the main module (PAR010)."""
    emit("PAR010", "a process is started while the main module is being imported by a %s child: "
         "put process creation under if __name__ == \"__main__\":" % method, "module", None, site,
         "bootstrap", startMethod=method)
    events.flush()


def report_process_start(exc, proc):
    """Pickling a Process for spawn/forkserver failed in ``Process.start()``."""
    site = proc.__dict__.get("_parascope_site")
    pool_id = proc.__dict__.get("_parascope_pool")
    if site is None:
        site = sites.user_site()
    if pool_id is not None:
        args = proc._args
        initializer, initargs = args[2], args[3]
        roots = [("initializer", initializer)] + [("initargs[%d]" % i, a) for i, a in
                                                  enumerate(initargs or ())]
        report_walk(roots, site, "initializer", exc, poolId=pool_id)
        return
    roots = [("<function>", proc.__dict__.get("_target"))]
    roots += [("args[%d]" % i, a) for i, a in enumerate(proc.__dict__.get("_args") or ())]
    roots += [("kwargs" + diagnose._key_path(k), v)
              for k, v in (proc.__dict__.get("_kwargs") or {}).items()]
    if proc.__dict__.get("_target") is None:
        roots = [("<process>", proc)]
    report_walk(roots, site, "process-start", exc)


def report_queue_put(exc, obj, site=None):
    """A ``multiprocessing.Queue`` feeder thread could not pickle an item (it is dropped);
    ``site`` is the ``put`` call's (file, line, function) when it is known."""
    report_walk([("item", obj)], site, "queue-put", exc, dropped=True)
