"""Find every non-picklable leaf in a payload, walking it the way the pickler reduces it.

Only called after pickling really failed (success costs nothing). The walk never
pickles anything: it replays the pickler's decisions - containers item by item,
functions and classes by reference (module + qualified name lookup), registered
reducers (ForkingPickler's and ``copyreg``'s), then ``__reduce_ex__(protocol)``
with its arguments, state (``dict`` or ``(dict, slots)``) and list/dict items -
and records each object whose reduction raises or whose reference lookup fails.

Depth first (children in order), with plain values and small containers of
plain values skipped without being counted, so a million-item list with one lock
at the end costs one pass over the list. Bounded by depth, node count, failures
found and time; a cut-short walk says so.
"""
import copyreg
import functools
import pickle
import sys
import time
import types

ATOMIC = frozenset((int, float, complex, str, bytes, bool, type(None), bytearray, range, slice,
                    type(Ellipsis), type(NotImplemented)))
MAX_DEPTH = 100
MAX_NODES = 200000
MAX_SECONDS = 2.0
MAX_FAILURES = 100


class Failure:
    """One failing leaf: where it is, what it is, and why the pickler refused it."""

    __slots__ = ("path", "obj", "reason", "exc", "owner", "within")

    def __init__(self, path, obj, reason, exc=None, owner=None, within=None):
        self.path = path          # e.g. "args[1].conn._sock"
        self.obj = obj            # the offending object (a function/class for reference failures)
        self.reason = reason      # "reduce" | "lambda" | "local" | "lookup" | "mismatch"
        self.exc = exc            # the exception its reduction raised, if any
        self.owner = owner        # for reference failures found through an instance: that instance
        self.within = within      # nearest enclosing thread/sync/logging-handler object, if any


class Result:
    __slots__ = ("failures", "truncated", "nodes")

    def __init__(self):
        self.failures = []
        self.truncated = None
        self.nodes = 0


def forking_reducers():
    from multiprocessing.reduction import ForkingPickler
    table = dict(copyreg.dispatch_table)
    table.update(ForkingPickler._extra_reducers)
    return table


def _small_plain(obj):
    """True for a small container of plain values (skipped without being queued)."""
    t = type(obj)
    if t is tuple or t is list:
        if len(obj) > 16:
            return False
        for item in obj:
            if type(item) not in ATOMIC:
                return False
        return True
    if t is dict:
        if len(obj) > 16:
            return False
        for k, v in obj.items():
            if type(k) not in ATOMIC or type(v) not in ATOMIC:
                return False
        return True
    return False


def _key_path(key):
    text = repr(key)
    return "[%s]" % (text if len(text) <= 60 else text[:57] + "...")


def _attr_path(name):
    return "." + name if isinstance(name, str) and name.isidentifier() else _key_path(name)


def _sync_family():
    import threading
    family = [threading.Thread, threading.Event, threading.Condition, threading.Semaphore,
              threading.Barrier]
    logging = sys.modules.get("logging")
    if logging is not None:
        family.append(logging.Handler)
    return tuple(family)


def check_reference(obj):
    """Why pickling ``obj`` by reference (module + qualname) fails, or None if it would work."""
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if name is None:
        return None
    if getattr(obj, "__name__", None) == "<lambda>":
        return "lambda"
    module_name = getattr(obj, "__module__", None)
    if module_name is None:
        module_name = pickle.whichmodule(obj, name)
    if "<locals>" in name.split("."):
        return "local"
    module = sys.modules.get(module_name)
    if module is None:
        try:
            __import__(module_name)
            module = sys.modules[module_name]
        except Exception:
            return "lookup"
    found = module
    for part in name.split("."):
        try:
            found = getattr(found, part)
        except AttributeError:
            return "lookup"
    return None if found is obj else "mismatch"


def walk(roots, reducers=None, protocol=None, max_nodes=MAX_NODES, max_seconds=MAX_SECONDS):
    """Walk ``roots`` (a list of ``(path, obj)``) and return a :class:`Result`."""
    reducers = forking_reducers() if reducers is None else reducers
    protocol = pickle.DEFAULT_PROTOCOL if protocol is None else protocol
    result = Result()
    seen = set()
    keep = []  # keep walked temporaries alive so their ids stay unique
    stack = [(path, obj, 0, None) for path, obj in roots if type(obj) not in ATOMIC]
    stack.reverse()
    family = _sync_family()
    deadline = time.monotonic() + max_seconds
    while stack:
        path, obj, depth, within = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        keep.append(obj)
        result.nodes += 1
        if result.nodes > max_nodes:
            result.truncated = "stopped after %d objects" % max_nodes
            break
        if not result.nodes & 1023 and time.monotonic() > deadline:
            result.truncated = "stopped after %.1f s" % max_seconds
            break
        if len(result.failures) >= MAX_FAILURES:
            result.truncated = "stopped after %d failing objects" % MAX_FAILURES
            break
        if depth > MAX_DEPTH:
            result.truncated = "stopped at depth %d" % MAX_DEPTH
            continue
        if within is None and isinstance(obj, family):
            t = type(obj)
            within = "%s.%s" % (t.__module__, t.__qualname__)
        pushed = len(stack)
        _visit(path, obj, depth, within, stack, result, reducers, protocol)
        stack[pushed:] = stack[pushed:][::-1]  # so that children are visited in order
    return result


def _push(queue, path, obj, depth, within=None):
    if type(obj) in ATOMIC or _small_plain(obj):
        return
    queue.append((path, obj, depth + 1, within))


def _visit(path, obj, depth, within, queue, result, reducers, protocol):
    """Push ``obj``'s parts (or record it as a failure); ``within`` is passed down to every part."""
    failures = result.failures
    start, pushed = len(failures), len(queue)
    _visit_parts(path, obj, depth, queue, result, reducers, protocol)
    if within is not None:
        for failure in failures[start:]:
            failure.within = within
        for i in range(pushed, len(queue)):
            queue[i] = queue[i][:3] + (within,)


def _visit_parts(path, obj, depth, queue, result, reducers, protocol):
    t = type(obj)
    if t is list or t is tuple:
        for i, item in enumerate(obj):
            if type(item) not in ATOMIC:
                _push(queue, "%s[%d]" % (path, i), item, depth)
        return
    if t is dict:
        for i, (key, value) in enumerate(obj.items()):
            if type(key) not in ATOMIC:
                _push(queue, "%s.keys()[%d]" % (path, i), key, depth)
            if type(value) not in ATOMIC:
                _push(queue, path + _key_path(key), value, depth)
        return
    if t is set or t is frozenset:
        for i, item in enumerate(obj):
            _push(queue, "%s{%d}" % (path, i), item, depth)
        return
    if t is types.FunctionType or issubclass(t, type):
        reason = check_reference(obj)
        if reason is not None:
            result.failures.append(Failure(path, obj, reason))
        elif t is types.FunctionType:
            return
        return
    try:
        reduce = reducers.get(t)
        if reduce is not None:
            rv = reduce(obj)
        else:
            rv = obj.__reduce_ex__(protocol)
    except Exception as exc:
        result.failures.append(Failure(path, obj, "reduce", exc))
        return
    if isinstance(rv, str):
        if check_reference(obj) is not None:
            result.failures.append(Failure(path, obj, check_reference(obj)))
        return
    if not isinstance(rv, tuple) or len(rv) < 2:
        return
    func, args = rv[0], rv[1]
    state = rv[2] if len(rv) > 2 else None
    listitems = rv[3] if len(rv) > 3 else None
    dictitems = rv[4] if len(rv) > 4 else None
    _visit_reconstructor(path, obj, func, args, depth, queue, result)
    if state is not None:
        if type(state) is tuple and len(state) == 2 and (state[0] is None or type(state[0]) is dict) \
                and type(state[1]) is dict:
            for part in state:
                for key, value in (part or {}).items():
                    _push(queue, path + _attr_path(key), value, depth)
        elif type(state) is dict:
            for key, value in state.items():
                _push(queue, path + _attr_path(key), value, depth)
        else:
            _push(queue, path + ".__getstate__()", state, depth)
    if listitems is not None:
        for i, item in enumerate(listitems):
            _push(queue, "%s[%d]" % (path, i), item, depth)
    if dictitems is not None:
        for key, value in dictitems:
            _push(queue, path + _key_path(key), value, depth)


def _visit_reconstructor(path, obj, func, args, depth, queue, result):
    """The callable and arguments a reduction returned, named the way users think of them."""
    if func is copyreg.__newobj__ or func is getattr(copyreg, "__newobj_ex__", None) \
            or func is copyreg._reconstructor:
        cls, rest = (args[0], args[1:]) if args else (None, ())
        if cls is not None:
            reason = check_reference(cls)
            if reason is not None:
                result.failures.append(Failure(path, cls, reason, owner=obj))
        for i, arg in enumerate(rest):
            if func is not copyreg._reconstructor:
                _push(queue, "%s(arg %d)" % (path, i), arg, depth)
        return
    if type(obj) is functools.partial and len(args) == 3:
        _push(queue, path + ".func", args[0], depth)
        _push(queue, path + ".args", args[1], depth)
        _push(queue, path + ".keywords", args[2], depth)
        return
    if func is getattr and len(args) == 2 and getattr(obj, "__self__", None) is args[0]:
        _push(queue, path + ".__self__", args[0], depth)
        return
    if type(func) is types.FunctionType or isinstance(func, type):
        reason = check_reference(func)
        if reason is not None:
            result.failures.append(Failure(path, func, reason, owner=obj))
    for i, arg in enumerate(args or ()):
        _push(queue, "%s(arg %d)" % (path, i), arg, depth)
