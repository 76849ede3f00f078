"""Pool overrides: every kind replaces every API, really runs with the requested kind and workers,
and the replacement is recorded (what the code asked for, what the run used)."""
import json
import multiprocessing
import sys
import unittest

from test.python import support

# The platform's default start method for this interpreter: fork before 3.14, forkserver from
# 3.14 on (Linux). get_all_start_methods() lists it first, without fixing it for this process.
DEFAULT_METHOD = multiprocessing.get_all_start_methods()[0]

SCRIPT = support.script("overrides.py")
APIS = {  # label in the script -> (api recorded, requested kind)
    "multiprocessing.Pool": ("multiprocessing.Pool", "process"),
    "get_context": ("multiprocessing.Pool", "process"),
    "ThreadPool": ("ThreadPool", "thread"),
    "dummy": ("ThreadPool", "thread"),
    "ProcessPoolExecutor": ("ProcessPoolExecutor", "process"),
    "ThreadPoolExecutor": ("ThreadPoolExecutor", "thread"),
}
RUNS = {
    "asis": [],
    "serial": ["--pool", "serial", "--workers", "2"],
    "thread": ["--pool", "thread", "--workers", "2"],
    "process": ["--pool", "process", "--workers", "2"],
    "spawn": ["--pool", "process", "--workers", "2", "--start-method", "spawn"],
    "chunks": ["--chunksize", "4"],
    "interpreter": ["--pool", "interpreter", "--workers", "2"],
}
HAS_INTERPRETERS = sys.version_info >= (3, 14)


class OverrideTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.rows = support.row_lines(SCRIPT)
        cls.runs = {name: support.harness([SCRIPT], options) for name, options in RUNS.items()}

    @classmethod
    def tearDownClass(cls):
        support.cleanup()

    def _load(self, name):
        run = self.runs[name].result()
        self.assertEqual(run.code, 0, run.describe())
        out = json.loads(run.stdout)
        pools = {}
        for event in run.of("pool"):
            for label, line in self.rows.items():
                if event["site"]["line"] == line:
                    pools[label] = event
        self.assertEqual(sorted(pools), sorted(APIS), "one pool event per API")
        return run, out, pools

    def _where(self, out, label):
        results = out[label]
        return {r[0] for r in results}, {(r[0], r[1]) for r in results}, {r[2] for r in results}

    def test_asis_changes_nothing(self):
        run, out, pools = self._load("asis")
        main_pid = out["main"][0]
        for label, (api, kind) in APIS.items():
            with self.subTest(api=label):
                event = pools[label]
                self.assertEqual(event["api"], api)
                self.assertFalse(event["replaced"])
                self.assertEqual(event["requested"]["kind"], kind)
                self.assertEqual(event["requested"]["workers"], 3)
                self.assertEqual(event["effective"]["workers"], 3)
                pids, workers, _ = self._where(out, label)
                if kind == "process":
                    self.assertNotIn(main_pid, pids)
                    self.assertLessEqual(len(pids), 3)
                else:
                    self.assertEqual(pids, {main_pid})
                tasks = run.of("task", poolId=event["poolId"])
                self.assertEqual(len(tasks), 9, label)
                self.assertEqual({(t["pid"], t["tid"]) for t in tasks}, workers)
                self.assertTrue(all(t["site"]["file"] == SCRIPT for t in tasks))

    def _check_replaced(self, name, kind, method=None):
        run, out, pools = self._load(name)
        main_pid, main_tid = out["main"]
        for label, (api, asked) in APIS.items():
            with self.subTest(api=label):
                event = pools[label]
                self.assertTrue(event["replaced"])
                self.assertEqual(event["requested"], {"kind": asked, "workers": 3, "chunksize": None,
                                                      "startMethod": event["requested"]["startMethod"]})
                self.assertEqual(event["effective"]["kind"], kind)
                self.assertEqual(event["effective"]["workers"], 2)
                pids, workers, methods = self._where(out, label)
                if kind == "serial":
                    self.assertEqual(workers, {(main_pid, main_tid)})
                elif kind in ("thread", "interpreter"):  # interpreters: one thread each, in this process
                    self.assertEqual(pids, {main_pid})
                    self.assertLessEqual(len(workers), 2)
                    self.assertNotIn((main_pid, main_tid), workers)
                else:
                    self.assertNotIn(main_pid, pids)
                    self.assertLessEqual(len(pids), 2)
                    # Without --start-method a run keeps what the code asked for (get_context("fork")),
                    # else the interpreter's default.
                    self.assertEqual(event["effective"]["startMethod"],
                                     method or event["requested"]["startMethod"] or DEFAULT_METHOD)
                    if method == "spawn":
                        self.assertEqual(methods, {"spawn"})
                tasks = run.of("task", poolId=event["poolId"])
                self.assertEqual(len(tasks), 9, label)
                self.assertEqual({t["kind"] for t in tasks}, {kind})
                self.assertEqual({(t["pid"], t["tid"]) for t in tasks}, workers)
                starts = run.of("worker_start", poolId=event["poolId"])
                self.assertTrue(starts)
                self.assertLessEqual(len(starts), 2 if kind != "serial" else 1)

    def test_serial(self):
        self._check_replaced("serial", "serial")

    def test_thread(self):
        self._check_replaced("thread", "thread")

    def test_process(self):
        self._check_replaced("process", "process")

    def test_process_spawn(self):
        self._check_replaced("spawn", "process", "spawn")

    def test_interpreter(self):
        if HAS_INTERPRETERS:
            self._check_replaced("interpreter", "interpreter")
        else:  # refused up front, with the reason, before the program runs
            run = self.runs["interpreter"].result()
            self.assertEqual(run.code, 2, run.describe())
            self.assertIn(b"--pool interpreter needs Python 3.14 or newer", run.stderr)
            self.assertEqual(run.stdout, b"")

    def test_chunksize(self):
        run, out, pools = self._load("chunks")
        event = pools["multiprocessing.Pool"]
        self.assertEqual(event["effective"]["chunksize"], 4)
        chunks = sorted(t.get("chunk") for t in run.of("task", poolId=event["poolId"]) if t.get("chunk"))
        self.assertEqual(chunks, [4, 4])


if __name__ == "__main__":
    unittest.main()
