"""``__new__`` of every patched pool class: record the pool, and build the effective one.

Kept separate from the class definitions so that the translation table between
pool families (Pool <-> executors, process <-> thread <-> serial <-> interpreter)
lives in one place.
"""
import sys

from parascope_harness import events, sites
from parascope_harness.pools import plan as planmod

_MODULES = {"multiprocessing.Pool": "multiprocessing.pool", "ThreadPool": "multiprocessing.pool",
            "ProcessPoolExecutor": "concurrent.futures.process",
            "ThreadPoolExecutor": "concurrent.futures.thread",
            "InterpreterPoolExecutor": "concurrent.futures.interpreter"}


def original(api):
    """The stdlib class of ``api``; importing its module applies our patches (``hooks``)."""
    __import__(_MODULES[api])
    if api in planmod.POOL_API:
        from parascope_harness.pools import mp_pool
        return mp_pool.ORIGINAL_POOL if api == "multiprocessing.Pool" else mp_pool.ORIGINAL_THREADPOOL
    from parascope_harness.pools import executors
    return executors.ORIGINAL[api]


def built(api, chunked=False):
    """The class of a pool of ``api`` that the harness builds itself."""
    original(api)
    from parascope_harness.pools import executors
    return executors.BUILT[api + "+chunks" if chunked else api]


def construct(cls, patched, api, args, kwargs):
    """Body of the patched classes' ``__new__``."""
    site = sites.user_site(sys._getframe(2))
    obj = None
    try:
        bound = planmod.bind(original(api).__init__, args, kwargs)
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
    from parascope_harness.pools import serial
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
            from parascope_harness.pools import mp_pool
            cls = mp_pool.ChunkedPool if chunk else mp_pool.BuiltPool
            return _init(cls, original("multiprocessing.Pool"), instr, chunk, processes=workers,
                         initializer=initializer, initargs=initargs,
                         maxtasksperchild=args.get("maxtasksperchild"), context=ctx)
        if kind == "thread":
            from parascope_harness.pools import mp_pool
            cls = mp_pool.ChunkedThreadPool if chunk else mp_pool.BuiltThreadPool
            return _init(cls, original("ThreadPool"), instr, chunk, processes=workers,
                         initializer=initializer, initargs=initargs)
        if kind == "serial":
            return serial.ExecutorPool(serial.SerialExecutor(instr, initializer, initargs), instr)
        executor = _init(built("InterpreterPoolExecutor"), original("InterpreterPoolExecutor"), instr,
                         None, max_workers=workers, initializer=initializer, initargs=initargs)
        return serial.ExecutorPool(executor, instr)
    if kind == "process":
        extra = {}
        if args.get("max_tasks_per_child") is not None:
            extra["max_tasks_per_child"] = args["max_tasks_per_child"]
        return _init(built("ProcessPoolExecutor", chunk), original("ProcessPoolExecutor"), instr,
                     chunk, max_workers=workers, mp_context=ctx, initializer=initializer,
                     initargs=initargs, **extra)
    if kind == "serial":
        return serial.SerialExecutor(instr, initializer, initargs)
    extra = {}
    if args.get("thread_name_prefix"):
        extra["thread_name_prefix"] = args["thread_name_prefix"]
    api = "ThreadPoolExecutor" if kind == "thread" else "InterpreterPoolExecutor"
    return _init(built(api), original(api), instr, None, max_workers=workers,
                 initializer=initializer, initargs=initargs, **extra)


def _init(cls, original, instr, chunk, **kwargs):
    obj = object.__new__(cls)
    object.__setattr__(obj, "_parascope_instr", instr)
    if chunk:
        object.__setattr__(obj, "_chunksize", chunk)
    original.__init__(obj, **kwargs)
    return obj
