"""``--pool asis`` changes nothing: stdout, stderr and exit code are byte-identical to plain ``python``.

Each script runs under the harness *with* ``--events-dir`` (everything recorded)
and without the harness, and the outputs are compared byte for byte (memory
addresses in reprs differ between any two runs and are masked).
"""
import os
import shutil
import tempfile
import unittest

from test.python import support

CASES = {
    "basic": (["asis_basic.py", "one", "two words"], b"line 1\nline 2\n"),
    "exception": (["asis_exception.py"], b""),
    "exit": (["asis_exit.py"], b""),
    "pool-error": (["asis_pool_error.py"], b""),
    "spawn-main": (["asis_spawn_main.py", "forkserver"], b""),
}


class AsisTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="parascope-asis-")
        syntax = os.path.join(cls.tmp, "syntax error.py")  # a space in the path, on purpose
        with open(syntax, "w") as f:
            f.write("print('never')\ndef broken(:\n    pass\n")
        cases = dict(CASES)
        cases["syntax"] = ([syntax], b"")
        cls.runs = {}
        for name, (args, stdin) in cases.items():
            argv = [a if os.path.isabs(a) else support.script(a) for a in args[:1]] + args[1:]
            cls.runs[name] = (support.harness(argv, ["--pool", "asis"], stdin=stdin),
                              support.plain(argv, stdin=stdin))
        warn = [support.script("asis_fork_pool.py")]
        cls.runs["fork-warning"] = (support.harness(warn, flags=["-W", "default"]),
                                    support.plain(warn, flags=["-W", "default"]))
        relative = ["test/python/scripts/asis_basic.py", "x"]  # as typed, relative to the cwd
        cls.runs["relative"] = (support.harness(relative, stdin=b"r"),
                                support.plain(relative, stdin=b"r"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        support.cleanup()

    def _same(self, name):
        harnessed, plain = (f.result() for f in self.runs[name])
        self.assertEqual(support.mask_addresses(harnessed.stdout), support.mask_addresses(plain.stdout))
        self.assertEqual(support.mask_addresses(harnessed.stderr), support.mask_addresses(plain.stderr))
        self.assertEqual(harnessed.code, plain.code)
        self.assertTrue(harnessed.of("process", role="main"), "the run was recorded")
        return harnessed, plain

    def test_argv_file_path_main_module_stdin(self):
        harnessed, _ = self._same("basic")
        self.assertIn(b"stdin 'line 1\\nline 2\\n'", harnessed.stdout)

    def test_relative_script_path(self):
        self._same("relative")

    def test_uncaught_exception_traceback(self):
        harnessed, _ = self._same("exception")
        self.assertEqual(harnessed.code, 1)
        self.assertNotIn(b"parascope_harness", harnessed.stderr)

    def test_sys_exit_code(self):
        harnessed, _ = self._same("exit")
        self.assertEqual(harnessed.code, 3)

    def test_uncaught_pool_pickling_error(self):
        harnessed, _ = self._same("pool-error")
        self.assertIn(b"PicklingError", harnessed.stderr)
        self.assertEqual([f["rule"] for f in harnessed.findings()], ["PAR001"])

    def test_spawned_children_reimport_main_as_mp_main(self):
        harnessed, _ = self._same("spawn-main")
        self.assertIn(b"('__mp_main__', '__mp_main__', 'asis_spawn_main.py', '__main__', True",
                      harnessed.stdout)
        workers = harnessed.of("process", role="worker")
        self.assertEqual(len({w["pid"] for w in workers}), 2, "both spawned workers were recorded")

    def test_no_fork_warning_from_the_harness_thread(self):
        harnessed, _ = self._same("fork-warning")
        self.assertNotIn(b"DeprecationWarning", harnessed.stderr)

    def test_syntax_error(self):
        harnessed, _ = self._same("syntax")
        self.assertIn(b"SyntaxError", harnessed.stderr)


if __name__ == "__main__":
    unittest.main()
