"""``__new__`` of every patched pool class: record the pool, and build the effective one.

Kept separate from the class definitions so that the translation table between
pool families (Pool <-> executors, process <-> thread <-> serial <-> interpreter)
lives in one place.
"""
import sys

from parascope_harness import events, sites
from parascope_harness.pools import plan as planmod

_ORIGINAL_INIT = {}


def _originals():
    if not _ORIGINAL_INIT:
        from parascope_harness.pools import executors, mp_pool
        _ORIGINAL_INIT.update({
            "multiprocessing.Pool": mp_pool.ORIGINAL_POOL.__init__,
            "ThreadPool": mp_pool.ORIGINAL_THREADPOOL.__init__,
            "ProcessPoolExecutor": executors.ORIGINAL_PPE.__init__,
            "ThreadPoolExecutor": executors.ORIGINAL_TPE.__init__,
        })
        if executors.ORIGINAL_IPE is not None:
            _ORIGINAL_INIT["InterpreterPoolExecutor"] = executors.ORIGINAL_IPE.__init__
    return _ORIGINAL_INIT


def construct(cls, patched, api, args, kwargs):
    """Body of the patched classes' ``__new__``."""
    site = sites.user_site(sys._getframe(2))
    obj = None
    try:
        init = _originals()[api]
        bound = planmod.bind(init, args, kwargs)
        if bound is None:
            return object.__new__(cls)  # bad arguments: let the stdlib __init__ raise its own error
        plan = planmod.make_plan(api, bound, site)
        if cls is not patched:  # a user subclass: record it, change nothing
            plan = planmod.Plan(api, bound, plan.requested, dict(plan.requested), site)
        instr = planmod.PoolInstr(api, plan.effective["kind"], site)
        planmod.emit_pool_event(instr, plan)
        if not plan.replaced:
            obj = object.__new__(cls)
            object.__setattr__(obj, "_parascope_instr", instr)
            return obj
    except Exception as exc:
        events.internal_error("pool construction hook failed: %r" % (exc,))
        return obj if obj is not None else object.__new__(cls)
    return _build(plan, instr)


def _build(plan, instr):
    """Construct the effective pool for a replaced plan (errors here are the pool's own)."""
    from parascope_harness.pools import executors, mp_pool, serial
    args = plan.args
    eff = plan.effective
    kind, workers, method, chunk = eff["kind"], eff["workers"], eff["startMethod"], eff["chunksize"]
    initializer, initargs = args.get("initializer"), args.get("initargs", ())
    ctx = args.get("context") if plan.api in planmod.POOL_API else args.get("mp_context")
    if kind == "process":
        import multiprocessing
        if method is not None and (ctx is None or ctx.get_start_method() != method):
            ctx = multiprocessing.get_context(method)
    if plan.api in planmod.POOL_API:
        if kind == "process":
            cls = mp_pool.ChunkedPool if chunk else mp_pool.BuiltPool
            return _init(cls, mp_pool.ORIGINAL_POOL, instr, chunk, processes=workers,
                         initializer=initializer, initargs=initargs,
                         maxtasksperchild=args.get("maxtasksperchild"), context=ctx)
        if kind == "thread":
            cls = mp_pool.ChunkedThreadPool if chunk else mp_pool.BuiltThreadPool
            return _init(cls, mp_pool.ORIGINAL_THREADPOOL, instr, chunk, processes=workers,
                         initializer=initializer, initargs=initargs)
        if kind == "serial":
            return serial.ExecutorPool(serial.SerialExecutor(instr, initializer, initargs), instr)
        executor = _init(executors.BUILT["InterpreterPoolExecutor"], executors.ORIGINAL_IPE, instr,
                         None, max_workers=workers, initializer=initializer, initargs=initargs)
        return serial.ExecutorPool(executor, instr)
    if kind == "process":
        extra = {}
        if args.get("max_tasks_per_child") is not None:
            extra["max_tasks_per_child"] = args["max_tasks_per_child"]
        cls = executors.BUILT["ProcessPoolExecutor+chunks" if chunk else "ProcessPoolExecutor"]
        return _init(cls, executors.ORIGINAL_PPE, instr, chunk, max_workers=workers,
                     mp_context=ctx, initializer=initializer, initargs=initargs, **extra)
    if kind == "serial":
        return serial.SerialExecutor(instr, initializer, initargs)
    extra = {}
    if args.get("thread_name_prefix"):
        extra["thread_name_prefix"] = args["thread_name_prefix"]
    if kind == "thread":
        return _init(executors.BUILT["ThreadPoolExecutor"], executors.ORIGINAL_TPE, instr, None,
                     max_workers=workers, initializer=initializer, initargs=initargs, **extra)
    return _init(executors.BUILT["InterpreterPoolExecutor"], executors.ORIGINAL_IPE, instr, None,
                 max_workers=workers, initializer=initializer, initargs=initargs, **extra)


def _init(cls, original, instr, chunk, **kwargs):
    obj = object.__new__(cls)
    object.__setattr__(obj, "_parascope_instr", instr)
    if chunk:
        object.__setattr__(obj, "_chunksize", chunk)
    original.__init__(obj, **kwargs)
    return obj
