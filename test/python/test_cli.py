"""Command line, exit codes and the old-interpreter message; no output without --events-dir; process limit."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from test.python import support

PYENV = os.path.expanduser("~/.pyenv/versions")
OLD = [p for p in (os.path.join(PYENV, v, "bin", "python") for v in ("2.7.18", "3.6.15", "3.7.16"))
       if os.path.exists(p)]


def run(argv, python=support.PY, cwd=None):
    proc = subprocess.run([python, "-m", "parascope_harness"] + argv, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=support.env(), cwd=cwd or support.ROOT,
                          timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


class CliTest(unittest.TestCase):
    def test_old_interpreters_get_one_line_and_122(self):
        if not OLD:
            self.skipTest("no Python 2 / 3.6 / 3.7 here")
        for python in OLD:
            with self.subTest(python=python):
                code, out, err = run(["x.py"], python=python)
                self.assertEqual(code, 122)
                self.assertEqual(out, b"")
                lines = err.decode().splitlines()
                self.assertEqual(len(lines), 1, err)
                self.assertRegex(lines[0], r"^parascope: Python [23]\.\d+\.\d+ is not supported; "
                                           r"Parascope needs Python 3\.8 or newer")

    def test_usage_errors_exit_2(self):
        for argv, message in ((["--bogus", "x.py"], "unknown option --bogus"),
                              ([], "no script given"),
                              (["--pool", "fibers", "x.py"], "--pool must be one of"),
                              (["--workers", "many", "x.py"], "--workers expects a number"),
                              (["--start-method", "teleport", "x.py"], "--start-method teleport is not available")):
            with self.subTest(argv=argv):
                code, out, err = run(argv)
                self.assertEqual(code, 2)
                self.assertIn(("parascope: " + message).encode(), err)
                self.assertIn(b"usage: python -m parascope_harness", err)

    def test_interpreter_pool_needs_314(self):
        code, _, err = run(["--pool", "interpreter", support.script("asis_exit.py")])
        if sys.version_info >= (3, 14):
            self.assertEqual(code, 3)
        else:
            self.assertEqual(code, 2)
            self.assertIn(b"--pool interpreter needs Python 3.14 or newer", err)

    def test_missing_script_like_python(self):
        harnessed = run(["no such script.py"])
        plain = subprocess.run([support.PY, "no such script.py"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=support.ROOT)
        self.assertEqual(harnessed[0], plain.returncode)
        self.assertEqual(harnessed[2], plain.stderr)

    def test_nothing_written_without_events_dir(self):
        cwd = tempfile.mkdtemp(prefix="parascope-cwd-")
        try:
            shutil.copy(support.script("lanes.py"), cwd)
            before = set(glob.glob(os.path.join(tempfile.gettempdir(), "*")))
            code, out, err = run(["lanes.py", "fork"], cwd=cwd)
            after = set(glob.glob(os.path.join(tempfile.gettempdir(), "*")))
            self.assertEqual((code, out, err), (0, b"ok\n", b""))
            self.assertEqual(os.listdir(cwd), ["lanes.py"])
            # the harness's only temporary file is a fork-bomb stop request; nothing else is written
            self.assertEqual([p for p in after - before if "parascope-stop" in p], [])
        finally:
            shutil.rmtree(cwd, ignore_errors=True)


class ProcessLimitTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        bomb = support.script("fork_bomb.py")
        cls.runs = {
            "tree": support.harness([bomb], ["--max-processes", "12"], timeout=90),
            "flat": support.harness([bomb, "flat"], ["--max-processes", "12"], timeout=90),
        }

    @classmethod
    def tearDownClass(cls):
        support.cleanup()

    def _check(self, name):
        result = self.runs[name].result()
        self.assertEqual(result.code, 124, result.describe())
        self.assertIn(b"parascope: process limit reached: more than 12 processes", result.stderr)
        self.assertLess(result.elapsed, 60)

    def test_recursive_fork_bomb_is_stopped(self):
        self._check("tree")

    def test_one_process_starting_too_many_is_stopped(self):
        self._check("flat")


if __name__ == "__main__":
    unittest.main()
