"""Helpers for the harness tests: run scripts with and without the harness, read their events.

Runs are subprocesses of the interpreter running the tests (``sys.executable``),
started in parallel from ``setUpClass`` so the whole tier stays short.
"""
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HARNESS = os.path.join(ROOT, "python")
SCRIPTS = os.path.join(ROOT, "test", "python", "scripts")
PY = sys.executable
VERSION = sys.version_info[:2]

_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)
_tmp = []


def script(name):
    return os.path.join(SCRIPTS, name)


def env(extra=None):
    e = dict(os.environ)
    e["PYTHONPATH"] = HARNESS + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e["PYTHONDONTWRITEBYTECODE"] = "1"
    e.pop("PARASCOPE_HARNESS_CONFIG", None)
    if extra:
        e.update(extra)
    return e


class Run:
    """The outcome of one subprocess run."""

    def __init__(self, code, stdout, stderr, elapsed, events_dir=None):
        self.code = code
        self.stdout = stdout
        self.stderr = stderr
        self.elapsed = elapsed
        self.events_dir = events_dir
        self.events = read_events(events_dir) if events_dir else []

    def of(self, kind, **match):
        return [e for e in self.events if e["ev"] == kind and all(e.get(k) == v for k, v in match.items())]

    def findings(self, **match):
        return self.of("finding", **match)

    def describe(self):
        return "exit %s\n--- stdout\n%s\n--- stderr\n%s" % (
            self.code, self.stdout.decode(errors="replace")[-3000:],
            self.stderr.decode(errors="replace")[-3000:])


def read_events(events_dir):
    found = []
    for path in sorted(glob.glob(os.path.join(events_dir, "events-*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    found.append(json.loads(line))
    return found


def _run(argv, timeout, events_dir, stdin, cwd, extra_env):
    start = time.monotonic()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, input=stdin,
                          timeout=timeout, env=env(extra_env), cwd=cwd or ROOT)
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start, events_dir)


def harness(args, options=(), events=True, timeout=120, stdin=b"", cwd=None, extra_env=None,
            python=PY, flags=()):
    """Start ``python [flags] -m parascope_harness [options] [--events-dir D] -- args``; a Future[Run]."""
    events_dir = None
    argv = [python] + list(flags) + ["-m", "parascope_harness"] + list(options)
    if events:
        events_dir = tempfile.mkdtemp(prefix="parascope-test-")
        _tmp.append(events_dir)
        argv += ["--events-dir", events_dir]
    argv += ["--"] + list(args)
    return _pool.submit(_run, argv, timeout, events_dir, stdin, cwd, extra_env)


def plain(args, timeout=120, stdin=b"", cwd=None, python=PY, flags=()):
    """Start ``python [flags] args`` without the harness; returns a Future[Run]."""
    return _pool.submit(_run, [python] + list(flags) + list(args), timeout, None, stdin, cwd, None)


def row_lines(path):
    """``{name: line}`` for every ``# ROW name`` marker in a fixture script."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            match = re.search(r"# ROW ([\w.-]+)", line)
            if match:
                rows[match.group(1)] = number
    return rows


def mask_addresses(data):
    return re.sub(rb"0x[0-9a-f]+", b"0x?", data)


def cleanup():
    for path in _tmp:
        shutil.rmtree(path, ignore_errors=True)
    del _tmp[:]
