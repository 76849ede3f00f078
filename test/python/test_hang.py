"""Pools that can never finish end the run after the grace period, with one clear line and exit 123."""
import multiprocessing
import re
import unittest

from test.python import support

GRACE = "2"
METHODS = multiprocessing.get_all_start_methods()
CASES = {
    # name: (script, start method, rule of the finding, row)
    "rebuild-fork": ("hang_rebuild.py", "fork", "PAR012", "rebuild"),
    "rebuild-spawn": ("hang_rebuild.py", "spawn", "PAR012", "rebuild"),
    "main-only-spawn": ("hang_main_only.py", "spawn", "PAR011", "main-only"),
    "main-only-forkserver": ("hang_main_only.py", "forkserver", "PAR011", "main-only"),
    "no-guard-spawn": ("hang_no_guard.py", "spawn", "PAR010", "no-guard"),
}


class HangTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.runs = {name: support.harness([support.script(s), m], ["--hang-grace", GRACE],
                                          timeout=90)
                    for name, (s, m, _rule, _row) in CASES.items() if m in METHODS}

    @classmethod
    def tearDownClass(cls):
        support.cleanup()

    def _check(self, name):
        if name not in self.runs:
            self.skipTest("start method not available")
        script, method, rule, row = CASES[name]
        path = support.script(script)
        run = self.runs[name].result()
        self.assertEqual(run.code, 123, run.describe())
        # generous bound: grace (2 s) + interpreter and worker start-up on a loaded machine
        self.assertLess(run.elapsed, 45, run.describe())
        lines = [l for l in run.stderr.decode(errors="replace").splitlines()
                 if l.startswith("parascope:")]
        self.assertEqual(len(lines), 1, run.describe())
        self.assertRegex(lines[0], r"^parascope: pool \S+ can never finish: .+ \(submitted at "
                         + re.escape(path) + r":\d+\); ended after \d+\.\d s$")
        hang = run.of("hang")
        self.assertEqual(len(hang), 1)
        self.assertEqual(hang[0]["graceSeconds"], float(GRACE))
        self.assertEqual(hang[0]["site"]["file"], path)
        findings = run.findings(rule=rule)
        self.assertTrue(findings, run.describe())
        self.assertEqual(findings[0]["site"]["line"], support.row_lines(path)[row])
        self.assertEqual(findings[0]["site"]["file"], path)

    def test_exception_that_cannot_be_rebuilt_fork(self):
        self._check("rebuild-fork")
        run = self.runs["rebuild-fork"].result()
        finding = run.findings(rule="PAR012")[0]
        self.assertEqual(finding["phase"], "exception-rebuild")
        self.assertIn("NeedsTwo", finding["message"])
        self.assertIn("result handler thread died", run.of("hang")[0]["reason"])

    def test_exception_that_cannot_be_rebuilt_spawn(self):
        self._check("rebuild-spawn")

    def test_function_only_under_main_guard_spawn(self):
        self._check("main-only-spawn")
        finding = self.runs["main-only-spawn"].result().findings(rule="PAR011")[0]
        self.assertEqual((finding["phase"], finding["path"]), ("receive", "<function>"))
        self.assertIn("'work'", finding["message"])

    def test_function_only_under_main_guard_forkserver(self):
        self._check("main-only-forkserver")

    def test_missing_main_guard_spawn(self):
        self._check("no-guard-spawn")
        finding = self.runs["no-guard-spawn"].result().findings(rule="PAR010")[0]
        self.assertEqual(finding["phase"], "bootstrap")


if __name__ == "__main__":
    unittest.main()
