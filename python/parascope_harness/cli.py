"""Command line: ``python -m parascope_harness [options] [--] SCRIPT [ARGS...]``.

Options end at the first argument that is not an option (the script) or at ``--``;
everything after the script belongs to the script. Exit codes: the script's own;
2 bad usage; 121 internal harness failure before the script could run; 122 Python
too old (see ``_version_check``); 123 a pool hang ended the run; 124 the process
limit stopped the run.
"""
import os
import sys

from parascope_harness import config as configmod

EXIT_USAGE = 2
EXIT_INTERNAL = 121

USAGE = ("usage: python -m parascope_harness [--pool asis|serial|thread|process|interpreter] "
         "[--workers N] [--start-method fork|spawn|forkserver] [--chunksize N] "
         "[--events-dir DIR] [--hang-grace SECONDS] [--max-processes N] [--] SCRIPT [ARGS...]")

_OPTIONS = {"--pool": "pool", "--workers": "workers", "--start-method": "start_method",
            "--chunksize": "chunksize", "--events-dir": "events_dir", "--hang-grace": "hang_grace",
            "--max-processes": "max_processes"}


class UsageError(Exception):
    pass


def parse(argv):
    """Return (options dict, script, script args)."""
    options = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if arg in ("-h", "--help"):
            raise UsageError(None)
        if not arg.startswith("--"):
            break
        name, eq, value = arg.partition("=")
        if name not in _OPTIONS:
            raise UsageError("unknown option %s" % name)
        if not eq:
            i += 1
            if i >= len(argv):
                raise UsageError("%s needs a value" % name)
            value = argv[i]
        options[_OPTIONS[name]] = value
        i += 1
    if i >= len(argv):
        raise UsageError("no script given")
    return options, argv[i], argv[i + 1:]


def _number(options, key, kind, minimum):
    if key not in options:
        return None
    try:
        value = kind(options[key])
    except ValueError:
        raise UsageError("--%s expects a number, got %r" % (key.replace("_", "-"), options[key]))
    if value < minimum:
        raise UsageError("--%s must be at least %s" % (key.replace("_", "-"), minimum))
    return value


def build_config(options):
    pool = options.get("pool", "asis")
    if pool not in configmod.POOL_KINDS:
        raise UsageError("--pool must be one of %s" % ", ".join(configmod.POOL_KINDS))
    method = options.get("start_method")
    if method is not None:
        import multiprocessing
        if method not in configmod.START_METHODS or method not in multiprocessing.get_all_start_methods():
            raise UsageError("--start-method %s is not available here (choose from %s)" % (
                method, ", ".join(multiprocessing.get_all_start_methods())))
    if pool == "interpreter":
        try:
            from concurrent.futures import InterpreterPoolExecutor  # noqa: F401
        except ImportError:
            raise UsageError("--pool interpreter needs Python 3.14 or newer "
                             "(InterpreterPoolExecutor); this is Python %d.%d.%d"
                             % sys.version_info[:3])
    grace = _number(options, "hang_grace", float, 0.1)
    max_processes = _number(options, "max_processes", int, 0)
    return configmod.Config(
        pool=pool, workers=_number(options, "workers", int, 0) or 0, start_method=method,
        chunksize=_number(options, "chunksize", int, 0) or 0,
        events_dir=os.path.abspath(options["events_dir"]) if options.get("events_dir") else None,
        hang_grace=5.0 if grace is None else grace,
        max_processes=256 if max_processes is None else max_processes)


def _interpreter_argv():
    """argv of this interpreter as it was started (Python < 3.10 has no sys.orig_argv)."""
    try:
        with open("/proc/self/cmdline", "rb") as f:
            return [os.fsdecode(a) for a in f.read().split(b"\0")]
    except OSError:
        return [sys.executable]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        options, script, args = parse(argv)
        config = build_config(options)
    except UsageError as exc:
        if exc.args[0]:
            sys.stderr.write("parascope: %s\n" % exc.args[0])
        sys.stderr.write(USAGE + "\n")
        sys.exit(0 if not exc.args[0] else EXIT_USAGE)
    if not os.path.exists(script):
        shown = script if sys.version_info < (3, 9) else os.path.abspath(script)
        program = getattr(sys, "orig_argv", None) or _interpreter_argv()
        sys.stderr.write("%s: can't open file %r: [Errno 2] No such file or directory\n"
                         % (program[0], shown))
        sys.exit(EXIT_USAGE)
    try:
        from parascope_harness import install
        install.install_main(config, [script] + list(args))
    except Exception as exc:  # run the program anyway, unprofiled
        sys.stderr.write("parascope: internal error: could not install the harness (%r); "
                         "running unprofiled\n" % (exc,))
    try:
        from parascope_harness import runner
    except Exception as exc:
        sys.stderr.write("parascope: internal error: %r\n" % (exc,))
        sys.exit(EXIT_INTERNAL)
    sys.exit(runner.run(script, args))
