"""The diagnosis walk: success costs no pickling, huge payloads are still searched, every path is found."""
import functools
import sys
import threading
import unittest

from test.python import support

sys.path.insert(0, support.HARNESS)
from parascope_harness import diagnose  # noqa: E402


class Holder:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = [1, 2, {"fine": 1, "log": threading.RLock()}]

    def method(self):
        return 1


class WalkTest(unittest.TestCase):
    def paths(self, roots):
        result = diagnose.walk(roots)
        return sorted(f.path for f in result.failures), result

    def test_every_failing_leaf_is_reported(self):
        paths, _ = self.paths([("args", (1, Holder(), [threading.Lock()]))])
        self.assertEqual(paths, ["args[1].items[2]['log']", "args[1].lock", "args[2][0]"])

    def test_bound_method_and_partial(self):
        paths, _ = self.paths([("<function>", Holder().method),
                               ("cb", functools.partial(print, threading.Lock(), sep=threading.Lock()))])
        self.assertIn("<function>.__self__.lock", paths)
        self.assertIn("cb.args[0]", paths)
        self.assertIn("cb.keywords['sep']", paths)

    def test_sockets_are_fine_for_multiprocessing(self):
        import socket
        with socket.socket() as sock:
            paths, _ = self.paths([("args", (sock,))])
        self.assertEqual(paths, [])

    def test_million_items_with_a_lock_at_the_end(self):
        payload = list(range(1000000)) + [threading.Lock()]
        paths, result = self.paths([("args", (payload,))])
        self.assertEqual(paths, ["args[0][1000000]"])
        self.assertIsNone(result.truncated)

    def test_million_small_tuples(self):
        payload = [(i, str(i)) for i in range(1000000)] + [threading.Lock()]
        paths, result = self.paths([("args", (payload,))])
        self.assertEqual(paths, ["args[0][1000000]"])

    def test_walk_is_bounded(self):
        payload = [Holder() for _ in range(300000)]
        result = diagnose.walk([("args", payload)], max_nodes=20000)
        self.assertTrue(result.truncated)
        self.assertGreater(len(result.failures), 0)

    def test_cycles_terminate(self):
        a = []
        a.append(a)
        a.append(threading.Lock())
        paths, _ = self.paths([("x", a)])
        self.assertEqual(paths, ["x[1]"])


class HarnessDiagnosisTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        counts = support.script("count_pickles.py")
        cls.counted = (support.harness([counts]), support.plain([counts]))
        cls.million = support.harness([support.script("million.py")])

    @classmethod
    def tearDownClass(cls):
        support.cleanup()

    def test_zero_extra_pickles_on_success(self):
        harnessed, plain = (f.result() for f in self.counted)
        self.assertEqual(harnessed.code, 0, harnessed.describe())
        self.assertRegex(plain.stdout, rb"^parent \d+ pool worker \d+ executor worker \d+\n$")
        self.assertEqual(harnessed.stdout, plain.stdout)
        self.assertEqual(harnessed.findings(), [])
        self.assertGreaterEqual(len(harnessed.of("task")), 30, "tasks were recorded meanwhile")

    def test_million_item_payload_is_located(self):
        run = self.million.result()
        self.assertIn(b"raised cannot pickle '_thread.lock' object", run.stdout, run.describe())
        findings = run.findings()
        self.assertEqual([(f["rule"], f["path"]) for f in findings], [("PAR005", "args[0][1000000]")])
        self.assertEqual(findings[0]["site"]["line"], support.row_lines(support.script("million.py"))["million"])
        self.assertNotIn("truncated", findings[0])


if __name__ == "__main__":
    unittest.main()
