"""Every row of the pickling taxonomy (shared/research/pickling.md section 2), under fork, spawn and forkserver.

One harness run per start method submits every row to a real pool; each finding
must name the rule, the exact path inside the payload and the submitting line,
and the program's own output (the exceptions it saw) must be what plain Python gives.
"""
import multiprocessing
import unittest

from test.python import support

SCRIPT = support.script("taxonomy.py")
METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]

# row -> (rule, path, phase, message or None)
EXPECTED = {
    "lambda": ("PAR001", "<function>", "submit", None),
    "closure": ("PAR002", "<function>", "submit", "local object 'outer.<locals>.inner' cannot be pickled"),
    "local-instance": ("PAR003", "args[0]", "submit", None),
    "no-wraps": ("PAR004", "<function>", "submit", None),
    "namedtuple": ("PAR004", "args[0]", "submit", None),
    "wraps-mismatch": ("PAR004", "<function>", "submit", None),
    "partial-lambda": ("PAR001", "<function>.func", "submit", None),
    "lock": ("PAR005", "args[1]", "submit", "cannot pickle '_thread.lock' object"),
    "rlock": ("PAR005", "args[0]", "submit", "cannot pickle '_thread.RLock' object"),
    "event": ("PAR005", "args[0]._cond._lock", "submit", "cannot pickle '_thread.lock' object"),
    "condition": ("PAR005", "args[0]._lock", "submit", "cannot pickle '_thread.RLock' object"),
    "handler": ("PAR005", "kwargs['cfg']['log'].lock", "submit", "cannot pickle '_thread.RLock' object"),
    "bound-method": ("PAR005", "<function>.__self__.lock", "submit", "cannot pickle '_thread.lock' object"),
    "slots": ("PAR005", "args[0][1].lk", "submit", "cannot pickle '_thread.RLock' object"),
    "text-file": ("PAR006", "args[0]", "submit", "cannot pickle 'TextIOWrapper' object"),
    "binary-file": ("PAR006", "args[0]", "submit", "cannot pickle 'BufferedReader' object"),
    "generator": ("PAR007", "args[0]", "submit", "cannot pickle 'generator' object"),
    "coroutine": ("PAR007", "args[0]", "submit", "cannot pickle 'coroutine' object"),
    "dict-keys": ("PAR008", "args[0]", "submit", "cannot pickle 'dict_keys' object"),
    "module": ("PAR008", "args[0]", "submit", "cannot pickle 'module' object"),
    "sqlite": ("PAR006", "args[0]", "submit", "cannot pickle 'sqlite3.Connection' object"),
    "mmap": ("PAR006", "args[0]", "submit", "cannot pickle 'mmap.mmap' object"),
    "ssl": ("PAR006", "args[0]", "submit", "cannot pickle 'ssl.SSLContext' object"),
    "thread-local": ("PAR006", "args[0]", "submit", "cannot pickle '_thread._local' object"),
    "weakref": ("PAR099", "args[0]", "submit", None),
    "memoryview": ("PAR099", "args[0]", "submit", "cannot pickle 'memoryview' object"),
    "code": ("PAR099", "args[0]", "submit", "cannot pickle 'code' object"),
    "mp-lock": ("PAR009", "args[0]", "submit",
                "Lock objects should only be shared between processes through inheritance"),
    "result": ("PAR007", "result", "result", "cannot pickle 'generator' object"),
    "map-item": ("PAR005", "args[0]", "submit", "cannot pickle '_thread.lock' object"),
    "silent": ("PAR005", "args[0]", "submit", "cannot pickle '_thread.lock' object"),
    "executor-submit": ("PAR005", "kwargs['lock']", "submit", "cannot pickle '_thread.lock' object"),
}
SPAWN_ONLY = {
    "process-args": ("PAR005", "args[0]", "process-start", "cannot pickle '_thread.lock' object"),
    "initializer": ("PAR001", "initializer", "initializer", None),
}


def _line(finding):
    return finding["site"]["line"] if finding.get("site") else None


class TaxonomyTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.rows = support.row_lines(SCRIPT)
        cls.runs = {m: support.harness([SCRIPT, m]) for m in METHODS}
        cls.plain = {m: support.plain([SCRIPT, m]) for m in METHODS}

    @classmethod
    def tearDownClass(cls):
        support.cleanup()

    def _check_method(self, method):
        run = self.runs[method].result()
        plain = self.plain[method].result()
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(run.stdout, plain.stdout, "the program saw different exceptions")
        expected = dict(EXPECTED)
        if method != "fork":
            expected.update(SPAWN_ONLY)
        for row, (rule, path, phase, message) in sorted(expected.items()):
            with self.subTest(method=method, row=row):
                line = self.rows[row]
                found = [f for f in run.findings() if _line(f) == line]
                self.assertTrue(found, "no finding for row %s (line %d)" % (row, line))
                match = [f for f in found if f["path"] == path and f["rule"] == rule
                         and f["phase"] == phase]
                self.assertTrue(match, "row %s: expected %s %s %s, got %r" % (
                    row, rule, path, phase, [(f["rule"], f["path"], f["phase"]) for f in found]))
                self.assertEqual(match[0]["site"]["file"], SCRIPT)
                self.assertEqual(match[0]["severity"], "error")
                if message is not None:
                    self.assertEqual(match[0]["message"], message)
        lam = [f for f in run.findings(rule="PAR001") if _line(f) == self.rows["lambda"]][0]
        self.assertRegex(lam["message"], r"^lambda functions cannot be pickled: <lambda> defined at "
                         + r".*taxonomy\.py:%d$" % self.rows["lambda"])
        thread_row = [f for f in run.findings() if _line(f) == self.rows["thread"]]
        self.assertTrue(thread_row and all(f["rule"] == "PAR005" and f["path"].startswith("args[0].")
                                           for f in thread_row), thread_row)
        queue = run.findings(phase="queue-put")
        self.assertEqual(sorted((f["rule"], f["path"], f["dropped"], _line(f)) for f in queue),
                         [("PAR005", "item", True, self.rows["queue-put"]),
                          ("PAR006", "item['log']", True, self.rows["joinable-put"])])
        item = [f for f in run.findings() if _line(f) == self.rows["map-item"]][0]
        self.assertEqual(item["item"], 2)
        if method == "fork":
            starts = [f for f in run.findings() if f["phase"] in ("process-start", "initializer")]
            self.assertEqual(starts, [], "fork pickles no Process and no initializer")

    def test_fork(self):
        if "fork" not in METHODS:
            self.skipTest("fork is not available")
        self._check_method("fork")

    def test_spawn(self):
        self._check_method("spawn")

    def test_forkserver(self):
        if "forkserver" not in METHODS:
            self.skipTest("forkserver is not available")
        self._check_method("forkserver")


if __name__ == "__main__":
    unittest.main()
