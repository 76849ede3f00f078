"""What the code asked for, what this run uses instead, and the ``pool``/``pool_end`` events.

Replacement happens in the patched classes' ``__new__``: when nothing changes the
stdlib ``__init__`` runs with the user's own arguments (so every error it raises
is the stdlib's, raised from the stdlib's frames); otherwise the effective pool is
built here with translated arguments.
"""
import itertools
import os
import threading
import time
import weakref

from parascope_harness import events, sites, state

POOL_API = ("multiprocessing.Pool", "ThreadPool")
EXECUTOR_API = ("ProcessPoolExecutor", "ThreadPoolExecutor", "InterpreterPoolExecutor")
REQUESTED_KIND = {"multiprocessing.Pool": "process", "ThreadPool": "thread",
                  "ProcessPoolExecutor": "process", "ThreadPoolExecutor": "thread",
                  "InterpreterPoolExecutor": "interpreter"}

_counter = itertools.count(1)


def cpu_count():
    return (getattr(os, "process_cpu_count", None) or os.cpu_count)() or 1


def default_workers(api, kind):
    if kind == "serial":
        return 1
    if kind == "process":
        return cpu_count()
    if api in POOL_API:
        return cpu_count()
    return min(32, cpu_count() + 4)  # ThreadPoolExecutor / InterpreterPoolExecutor default


class PoolInstr:
    """The harness's own state for one pool, kept off the pool's namespace."""

    __slots__ = ("pool_id", "api", "kind", "site", "pool_ref", "dead_workers", "ended", "tasks",
                 "reported_exits", "__weakref__")

    def __init__(self, api, kind, site):
        self.pool_id = "%d-%d" % (os.getpid(), next(_counter))
        self.api = api
        self.kind = kind
        self.site = site
        self.pool_ref = None
        self.dead_workers = []
        self.ended = False
        self.tasks = itertools.count(1)
        self.reported_exits = set()

    def attach(self, pool):
        self.pool_ref = weakref.ref(pool)

    def end(self, how):
        if not self.ended:
            self.ended = True
            events.emit({"ev": "pool_end", "t": time.time(), "poolId": self.pool_id, "how": how})


class Plan:
    """Requested vs effective pool configuration for one construction."""

    __slots__ = ("api", "args", "requested", "effective", "replaced", "site")

    def __init__(self, api, args, requested, effective, site):
        self.api = api
        self.args = args
        self.requested = requested
        self.effective = effective
        self.replaced = requested != effective
        self.site = site


def bind(init, args, kwargs):
    """The user's constructor arguments by name, or None if they do not fit (let the stdlib complain).

    What ``inspect.signature(init).bind(None, *args, **kwargs)`` with defaults applied
    gives (``**kwargs`` merged in), read from the code object: importing ``inspect``
    costs more than the rest of a pool's construction.
    """
    code = init.__code__
    count = code.co_argcount
    names = code.co_varnames[:count + code.co_kwonlyargcount]
    positional, keyword_only = names[1:count], names[count:]
    flags = code.co_flags
    var_args, var_kwargs = flags & 0x04, flags & 0x08
    if len(args) > len(positional) and not var_args:
        return None
    values = dict(zip(positional, args))
    extra = {}
    for name, value in kwargs.items():
        if name in values or (name not in positional and name not in keyword_only):
            if name in values or not var_kwargs:
                return None
            extra[name] = value
        else:
            values[name] = value
    defaults = init.__defaults__ or ()
    first_default = len(positional) - len(defaults)
    for index, name in enumerate(positional):
        if name not in values:
            if index < first_default:
                return None
            values[name] = defaults[index - first_default]
    kwdefaults = init.__kwdefaults__ or {}
    for name in keyword_only:
        if name not in values:
            if name not in kwdefaults:
                return None
            values[name] = kwdefaults[name]
    ordered = {name: values[name] for name in positional + keyword_only}
    ordered.update(extra)
    return ordered


def _start_method_of(ctx):
    if ctx is None:
        return None
    try:
        return ctx.get_start_method()
    except Exception:
        return None


def make_plan(api, args, site):
    """Compute the plan for ``api`` called with bound ``args`` under the run's config."""
    config = state.config
    kind = REQUESTED_KIND[api]
    if api in POOL_API:
        workers = args.get("processes")
        ctx = args.get("context")
    else:
        workers = args.get("max_workers")
        ctx = args.get("mp_context")
    asked_method = _start_method_of(ctx) if kind == "process" else None
    requested = {"kind": kind, "workers": workers, "startMethod": asked_method, "chunksize": None}
    eff_kind = kind if config is None or config.pool == "asis" else config.pool
    eff_workers = (config.workers if config and config.workers else None) or workers
    eff_method = None
    if eff_kind == "process":
        eff_method = (config.start_method if config else None) or asked_method
    eff_chunk = config.chunksize if config and config.chunksize else None
    effective = {"kind": eff_kind, "workers": eff_workers, "startMethod": eff_method,
                 "chunksize": eff_chunk}
    return Plan(api, args, requested, effective, site)


def emit_pool_event(instr, plan):
    from parascope_harness.procinfo import default_start_method
    eff = dict(plan.effective)
    if eff["workers"] is None:
        eff["workers"] = default_workers(plan.api, eff["kind"])
    if eff["kind"] == "process" and eff["startMethod"] is None:
        eff["startMethod"] = default_start_method()
    events.emit({"ev": "pool", "t": time.time(), "poolId": instr.pool_id, "api": plan.api,
                 "requested": plan.requested, "effective": eff, "replaced": plan.replaced,
                 "site": sites.as_dict(plan.site), "pid": os.getpid(),
                 "tid": threading.get_native_id()})


def setattr_with(hooks):
    """``__setattr__`` of the patched pool classes: assigning ``name`` runs ``hooks[name]``.

    The hooks see the stdlib ``__init__`` (and ``close``/``shutdown``) assign the
    attributes they instrument and may return a replacement value. ``None`` (what
    ``shutdown()`` assigns to torn-down parts) is never hooked.
    """
    def __setattr__(self, name, value):
        hook = hooks.get(name)
        if hook is not None and value is not None:
            instr = self.__dict__.get("_parascope_instr")
            if instr is not None:
                value = hook(self, instr, value)
        object.__setattr__(self, name, value)
    return __setattr__


class Built:
    """Mixin for pools already initialised by ``build``: ``type.__call__`` must not re-init them."""

    def __init__(self, *args, **kwargs):
        pass
