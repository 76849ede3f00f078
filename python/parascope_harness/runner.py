"""Run the user's script as ``__main__`` exactly as ``python SCRIPT`` would.

Same ``sys.argv``, ``__file__`` (absolute from 3.9 on, as typed before), ``sys.path[0]``
(the script's real directory), module globals (``__loader__``, ``__spec__ = None``...),
a fresh module object registered as ``sys.modules['__main__']`` (multiprocessing's
spawn reads ``__main__.__file__`` to re-import it as ``__mp_main__`` in children),
the exit code, and uncaught exceptions printed through ``sys.excepthook`` with the
harness's frames removed. Directories and zip files with a ``__main__.py`` go
through ``runpy.run_path`` like the interpreter does.
"""
import atexit
import builtins
import os
import signal
import sys
import types

from parascope_harness import sites

_exit_by_sigint = []


def _final_sigint():
    """Python ends with SIGINT after an uncaught KeyboardInterrupt; so do we, last of all."""
    if _exit_by_sigint:
        try:
            from parascope_harness import events
            events.flush()  # its own atexit handler would run after this one
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)


def prepare_main(script, args):
    """Set up argv, path and a fresh ``__main__`` module; return (module, filename)."""
    sys.argv[:] = [script] + list(args)
    real_dir = os.path.dirname(os.path.realpath(script))
    if sys.path and sys.path[0] in ("", os.getcwd()) or not sys.path:
        sys.path[0:1] = [real_dir]
    else:
        sys.path.insert(0, real_dir)
    filename = script if sys.version_info < (3, 9) else os.path.abspath(script)
    old_main = sys.modules["__main__"]
    module = types.ModuleType("__main__")
    module.__file__ = filename
    module.__cached__ = None
    module.__builtins__ = builtins
    module.__package__ = None
    module.__spec__ = None
    if "__annotations__" in vars(old_main):
        module.__annotations__ = {}
    if os.path.isfile(script):
        from importlib.machinery import SourceFileLoader
        module.__loader__ = SourceFileLoader("__main__", filename)
    sys.modules["__main__"] = module
    if "__mp_main__" in sys.modules:
        # multiprocessing aliases __mp_main__ to __main__ when it is imported (it was, by us):
        # unpickling "__mp_main__.X" (results of spawned workers) must find the user's module.
        sys.modules["__mp_main__"] = module
    return module, filename


def run(script, args):
    """Run ``script``; return the exit code Python would have produced."""
    atexit.register(_final_sigint)  # registered first, so it runs after every other atexit handler
    module, filename = prepare_main(script, args)
    try:
        if os.path.isfile(script) and not _is_zip(script):
            with open(script, "rb") as f:
                source = f.read()
            code = compile(source, filename, "exec", dont_inherit=True)
            exec(code, module.__dict__)
        else:
            import runpy
            runpy.run_path(script, run_name="__main__")
    except SystemExit:
        raise
    except BaseException as exc:
        sites.strip_harness_frames(exc)
        sys.excepthook(type(exc), exc, exc.__traceback__)
        if isinstance(exc, KeyboardInterrupt):
            _exit_by_sigint.append(True)
        return 1
    return 0


def _is_zip(path):
    import zipfile
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False
