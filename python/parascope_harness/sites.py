"""Find "the user's line": the nearest frame that belongs to the user's code.

Submissions are a hot path, so the walk only touches ``f_back``/``f_code`` and a
per-code-object cache; classification (string work on file names) happens once
per code object. Library frames are the harness itself, the standard library
(multiprocessing, concurrent.futures, threading, runpy, ...) and installed
packages; if no user frame exists the first frame outside the harness and the
pool machinery is used instead.
"""
import os
import sys

_HARNESS_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_HARNESS_REAL = os.path.normcase(os.path.realpath(_HARNESS_DIR)) + os.sep
_ORIGINAL_DIR = os.getcwd()

USER, LIBRARY, MACHINERY, HARNESS = 0, 1, 2, 3

_cache = {}


def _library_dirs():
    """The standard library's and installed packages' directories (without ``sysconfig``: its
    import alone costs more than the whole walk)."""
    import site
    version = "python%d.%d" % sys.version_info[:2]
    dirs = {os.path.dirname(os.__file__)}
    for prefix in {sys.base_prefix, sys.base_exec_prefix}:
        for libdir in {"lib", getattr(sys, "platlibdir", "lib")}:
            dirs.add(os.path.join(prefix, libdir, version))
    try:
        dirs.update(site.getsitepackages())
    except Exception:
        pass
    try:
        dirs.add(site.getusersitepackages())
    except Exception:
        pass
    return tuple(os.path.normcase(os.path.realpath(d)) + os.sep for d in dirs if d)


_LIBRARY_DIRS = []  # filled on first use
_MACHINERY_NAMES = ("multiprocessing", "concurrent", "threading.py", "queue.py", "runpy.py")


def absolute(filename):
    if filename.startswith("<") or os.path.isabs(filename):
        return filename
    return os.path.join(_ORIGINAL_DIR, filename)


def classify(code):
    """(kind, absolute file name) for a code object, cached."""
    found = _cache.get(code)
    if found is not None:
        return found
    filename = absolute(code.co_filename)
    if filename.startswith("<frozen"):
        kind = MACHINERY
    elif filename.startswith("<"):
        kind = USER  # <string>, <stdin>: code the user ran
    else:
        real = os.path.normcase(os.path.realpath(filename))
        if filename.startswith(_HARNESS_DIR) or real.startswith(_HARNESS_REAL):
            kind = HARNESS
        else:
            kind = USER
            if not _LIBRARY_DIRS:
                _LIBRARY_DIRS.extend(_library_dirs())
            for d in _LIBRARY_DIRS:
                if real.startswith(d):
                    rest = real[len(d):]
                    kind = MACHINERY if rest.startswith(_MACHINERY_NAMES) else LIBRARY
                    break
    found = (kind, filename)
    _cache[code] = found
    return found


def user_site(frame=None):
    """(file, line, function) of the nearest user frame above ``frame`` (default: the caller's caller)."""
    if frame is None:
        frame = sys._getframe(2)
    fallback = None
    f = frame
    while f is not None:
        kind, filename = _cache.get(f.f_code) or classify(f.f_code)
        if kind == USER:
            return (filename, f.f_lineno, f.f_code.co_name)
        if kind == LIBRARY and fallback is None:
            fallback = (filename, f.f_lineno, f.f_code.co_name)
        f = f.f_back
    return fallback


def direct_caller_is_user(frame):
    """True when ``frame`` (the caller of a library entry point) is user code."""
    kind, _ = _cache.get(frame.f_code) or classify(frame.f_code)
    return kind == USER


def as_dict(site_tuple):
    if site_tuple is None:
        return None
    return {"file": site_tuple[0], "line": site_tuple[1], "function": site_tuple[2]}


def is_harness_code(code):
    kind, _ = _cache.get(code) or classify(code)
    return kind == HARNESS


def strip_harness_frames(exc, _seen=None):
    """Remove the harness's frames from ``exc``'s traceback (and its causes/contexts).

    Used before printing an uncaught exception, so users see their traceback as
    plain ``python`` would print it.
    """
    seen = _seen if _seen is not None else set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        tb = exc.__traceback__
        while tb is not None and is_harness_code(tb.tb_frame.f_code):
            tb = tb.tb_next
        head = tb
        while tb is not None:
            nxt = tb.tb_next
            while nxt is not None and is_harness_code(nxt.tb_frame.f_code):
                nxt = nxt.tb_next
            tb.tb_next = nxt
            tb = nxt
        exc.__traceback__ = head
        if exc.__cause__ is not None:
            strip_harness_frames(exc.__cause__, seen)
        exc = exc.__context__
