"""Per-process JSON-lines event log, kept off the workload's path.

Each event becomes one JSON line (bytes, newline included) when it is emitted
(``task`` lines, the high-volume kind, through preformatted templates; see
``tasks``), encoded by ``dumps`` below rather than ``json``: importing ``json``
costs a few milliseconds of every run's start-up. In the main
process and in other children ``task`` lines (thread and serial pools) go to a
bounded deque that a daemon "harness thread" writes out every ~200 ms with one
``os.write`` (O_APPEND, so writers never interleave mid-line); when the deque is
full, lines are dropped and counted, and the count is written later as a
``dropped`` event. Every other event is rare and written at once, after what the
deque holds (``emit``): a killed process loses at most its last ~200 ms of
thread-pool task lines. Pool worker
processes write each line at once instead (``set_direct``): ``Pool.terminate()``
SIGTERMs them the moment the last result arrives, and nothing buffered in a killed
process survives. The harness thread also runs the periodic checks registered
with ``add_periodic`` (hang watchdog, process limit).
"""
import atexit
import collections
import os
import signal
import sys
import _thread
import threading
import time

BUFFER_LIMIT = 200000
FLUSH_INTERVAL = 0.2

_buf = collections.deque()
_state = {"dir": None, "fd": None, "pid": os.getpid(), "dropped": 0, "announce": None,
          "direct": False}
_write_lock = threading.Lock()
_periodic = []
_thread_alive = [False]
_wake = threading.Event()


def enabled():
    return _state["dir"] is not None


def disable():
    """Record nothing more in this process (the run is being abandoned)."""
    _state["dir"] = None


def configure(events_dir, announce):
    """Start logging into ``events_dir``; ``announce()`` emits this process's ``process`` event.

    ``announce`` is called lazily before the first event of a process that never
    announced itself (for example a child made by a bare ``os.fork()``).
    """
    if events_dir:
        os.makedirs(events_dir, exist_ok=True)
        _state["dir"] = events_dir
    _state["announce"] = announce
    atexit.register(flush)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(before=_before_fork, after_in_child=_after_fork_child)


# --- JSON encoding ---------------------------------------------------------------------------

def _json_module():
    import json  # only for strings that need escaping and for unusual values
    return json


def _str(text):
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return '"' + text + '"'
    return _json_module().dumps(text)


def _float(value):
    if value != value:
        return "NaN"
    if value in (_INF, -_INF):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


_INF = float("inf")


def dumps(obj):
    """``json.dumps(obj, separators=(",", ":"), default=repr)``, for the few types events hold."""
    t = type(obj)
    if t is str:
        return _str(obj)
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if t is int:
        return int.__repr__(obj)
    if t is float:
        return _float(obj)
    if t is dict:
        items = []
        for key, value in obj.items():
            if type(key) is not str:
                if isinstance(key, str):
                    key = str.__str__(key)
                elif key is None or isinstance(key, (bool, int, float)):
                    key = dumps(key).strip('"')
                else:
                    raise TypeError("keys must be str, int, float, bool or None, not %s"
                                    % type(key).__name__)
            items.append(_str(key) + ":" + dumps(value))
        return "{" + ",".join(items) + "}"
    if t is list or t is tuple:
        return "[" + ",".join([dumps(item) for item in obj]) + "]"
    if isinstance(obj, str):
        return _str(str.__str__(obj))
    if isinstance(obj, int):
        return int.__repr__(obj)
    if isinstance(obj, float):
        return _float(float(obj))
    if isinstance(obj, dict):
        return dumps(dict(obj))
    if isinstance(obj, (list, tuple)):
        return dumps(list(obj))
    return _str(repr(obj))


# --- recording -----------------------------------------------------------------------------------

def emit(event):
    """Record one event (a dict with at least "ev" and "t"; "pid" is added) and write it now,
    after the lines buffered before it. Never raises.

    These are the rare events (process, pool, worker, lane, finding, hang): written at
    once they survive the process being killed (``SIGTERM`` of the main process included).
    Only ``task`` lines, the high-volume kind, wait in the buffer.
    """
    if _state["dir"] is None:
        return
    event.setdefault("pid", _state["pid"])
    try:
        line = (dumps(event) + "\n").encode("utf-8", "surrogateescape")
    except Exception as exc:
        internal_error("could not encode a %r event: %r" % (event.get("ev"), exc))
        return
    if _append(line, True):
        flush()


def emit_line(line):
    """Record one preformatted JSON line (bytes, ending with a newline): a ``task`` line."""
    if _append(line) and not _thread_alive[0]:
        ensure_thread()


def _append(line, always=False):
    """Write ``line`` now (direct mode) or queue it; True when it was queued. Only ``always``
    lines are queued past ``BUFFER_LIMIT`` (the rare events, written right after)."""
    if _state["dir"] is None:
        return False
    announce = _state["announce"]
    if announce is not None:
        _state["announce"] = None
        announce()
    if _state["direct"]:
        _write(line)
        return False
    if len(_buf) >= BUFFER_LIMIT and not always:
        _state["dropped"] += 1
        return False
    _buf.append(line)
    return True


def set_direct():
    """From now on write every line at once (pool worker processes; see the module docstring).

    Returns the events file's descriptor (None when nothing is recorded): pool workers
    write their task lines to it themselves.
    """
    flush()
    _state["direct"] = True
    if _state["dir"] is None:
        return None
    _open()
    return _state["fd"]


def mark_announced():
    """The caller emits the ``process`` event itself; do not announce lazily."""
    _state["announce"] = None


def add_periodic(fn, start=True):
    """Run ``fn()`` on the harness thread every tick (a check that raises is reported and dropped)."""
    if fn not in _periodic:
        _periodic.append(fn)
    if start:
        ensure_thread()


def ensure_thread():
    """Start the harness thread if this process does not have one yet.

    A raw ``_thread`` thread, not a ``threading.Thread``: it never shows up in
    ``threading.enumerate()``/``active_count()`` and is never joined at exit, so
    the user's program sees the same threads it would see without the harness.
    """
    if _thread_alive[0]:
        return
    if _state["dir"] is None and not _periodic:
        return
    _thread_alive[0] = True
    # Started with asynchronous signals blocked (it inherits the mask): a SIGTERM/SIGINT sent to
    # the process must reach the main thread, the only one where Python runs signal handlers and
    # the one whose blocking calls the signal has to interrupt.
    blocked = _ASYNC_SIGNALS
    old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked) if blocked else None
    try:
        _thread.start_new_thread(_run, ())
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _async_signals():
    if not hasattr(signal, "pthread_sigmask"):
        return None
    synchronous = {getattr(signal, name, None) for name in
                   ("SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL", "SIGTRAP", "SIGABRT", "SIGSYS")}
    return {s for s in signal.valid_signals() if s not in synchronous}


_ASYNC_SIGNALS = _async_signals()


def _run():
    while True:
        _wake.wait(FLUSH_INTERVAL)
        _wake.clear()
        if _fork_filter:
            _drop_fork_filter()
        for fn in list(_periodic):
            try:
                fn()
            except Exception as exc:  # a broken check must not kill flushing
                _periodic.remove(fn)
                internal_error("periodic check %s failed: %r" % (getattr(fn, "__name__", fn), exc))
        flush()


def flush(timeout=-1):
    """Write every queued line now. ``timeout`` bounds the wait for a concurrent flush.

    Asynchronous signals are held back while this thread writes: a process
    SIGTERMed in the middle of a flush dies only once the batch it took off the
    buffer is written.
    """
    if _state["dir"] is None or (not _buf and not _state["dropped"]):
        return
    blocked = _ASYNC_SIGNALS
    old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked) if blocked else None
    try:
        if _write_lock.acquire(True, timeout):
            try:
                _write_batch()
            finally:
                _write_lock.release()
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _write_batch():
    lines = []
    pop = _buf.popleft
    while True:
        try:
            lines.append(pop())
        except IndexError:
            break
    dropped = _state["dropped"]
    if dropped:
        _state["dropped"] = 0
        lines.append(b'{"ev":"dropped","t":%r,"pid":%d,"count":%d}\n'
                     % (time.time(), _state["pid"], dropped))
    if lines:
        _write(b"".join(lines))


def _open():
    try:
        if _state["fd"] is None:
            path = os.path.join(_state["dir"], "events-%d.jsonl" % _state["pid"])
            _state["fd"] = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except Exception as exc:
        internal_error("could not write events: %r" % (exc,))
        _state["dir"] = None


def _write(data):
    if _state["dir"] is None:
        return
    try:
        fd = _state["fd"]
        if fd is None:
            _open()
            fd = _state["fd"]
            if fd is None:
                return
        while data:
            written = os.write(fd, data)
            data = data[written:]
    except Exception as exc:
        internal_error("could not write events: %r" % (exc,))
        _state["dir"] = None


def internal_error(message):
    """Report a harness bug on stderr (one line) and keep the program running."""
    try:
        sys.stderr.write("parascope: internal error: %s\n" % (message,))
        sys.stderr.flush()
    except Exception:
        pass


# --- fork handling -------------------------------------------------------------------------

_fork_filter = []


def _before_fork():
    # Python 3.12+ warns about fork() in a multi-threaded process. If the only extra
    # thread is ours, the warning would not appear without the harness: hide it. The
    # filter stays until the harness thread's next tick or the next fork (3.13 warns
    # only after the at-fork "after" hooks have run).
    _drop_fork_filter()
    if sys.version_info < (3, 12) or not _thread_alive[0]:
        return
    try:
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        if int(fields[17]) != 2:
            return
        import warnings
        warnings.filterwarnings("ignore", message=r"This process \(pid=\d+\) is multi-threaded",
                                category=DeprecationWarning)
        _fork_filter.append(warnings.filters[0])
    except Exception:
        pass


def _drop_fork_filter():
    while _fork_filter:
        entry = _fork_filter.pop()
        try:
            import warnings
            warnings.filters.remove(entry)
            mutated = getattr(warnings, "_filters_mutated", None) or getattr(
                warnings, "_filters_mutated_lock_held", None)
            if mutated is not None:
                mutated()
        except Exception:
            pass


def _after_fork_child():
    global _write_lock, _wake
    _drop_fork_filter()
    _buf.clear()
    _write_lock = threading.Lock()
    _wake = threading.Event()
    _state["pid"] = os.getpid()
    _state["dropped"] = 0
    _state["direct"] = False
    fd, _state["fd"] = _state["fd"], None
    if fd is not None:
        try:
            os.close(fd)  # our copy of the parent's file; the parent keeps its own
        except OSError:
            pass
    _thread_alive[0] = False
    del _periodic[:]  # the parent's checks watch the parent's pools
    from parascope_harness import procinfo
    _state["announce"] = procinfo.announce_child
