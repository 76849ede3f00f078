"""The ``process`` event: who this process is, which Python runs it, its default start method."""
import os
import sys
import time

from parascope_harness import events


_IMPLEMENTATIONS = {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalVM", "ironpython": "IronPython",
                    "jython": "Jython"}  # platform.python_implementation()'s names, without importing platform


def python_info():
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return {
        "executable": sys.executable,
        "version": "%d.%d.%d" % sys.version_info[:3],
        "implementation": _IMPLEMENTATIONS.get(sys.implementation.name, sys.implementation.name),
        "gilEnabled": bool(is_gil_enabled()) if is_gil_enabled is not None else True,
    }


def default_start_method():
    """The start method a context-less Process would use, without fixing the default.

    ``multiprocessing.get_start_method()`` would set the default context for good
    (a later ``set_start_method`` in user code would then fail), so read it instead.
    Before the program has imported ``multiprocessing`` nothing can have changed the
    platform's default, which is then named without importing it.
    """
    if "multiprocessing.context" not in sys.modules:
        return _platform_default()
    try:
        import multiprocessing
        method = multiprocessing.get_start_method(allow_none=True)
        if method:
            return method
        default = multiprocessing.context._default_context
        inner = getattr(default, "_default_context", None)
        return getattr(inner, "_name", None)
    except Exception:
        return None


def _platform_default():
    """``multiprocessing.context``'s choice of the default start method."""
    if sys.platform in ("win32", "darwin"):
        return "spawn"
    if sys.version_info >= (3, 14):
        import socket  # forkserver when file descriptors can be passed (reduction.HAVE_SEND_HANDLE)
        can_send = (hasattr(socket, "CMSG_LEN") and hasattr(socket, "SCM_RIGHTS")
                    and hasattr(socket.socket, "sendmsg"))
        return "forkserver" if can_send else "fork"
    return "fork"


def announce(role, **extra):
    """Emit this process's ``process`` event (once)."""
    events.mark_announced()
    if not events.enabled():
        return
    event = {
        "ev": "process", "t": time.time(), "pid": os.getpid(), "ppid": os.getppid(),
        "role": role, "python": python_info(), "startMethod": default_start_method(),
        "argv": list(sys.argv),
    }  # the main process passes the script's argv in ``extra`` (sys.argv is still ours then)
    event.update(extra)
    events.emit(event)


def announce_child():
    """Lazy announcement for children that never said who they are (bare ``os.fork()``)."""
    announce("child")
