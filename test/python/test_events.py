"""The event stream: common fields, the process event, worker and lane events, bounded buffering."""
import os
import sys
import tempfile
import unittest

from test.python import support

sys.path.insert(0, support.HARNESS)
from parascope_harness import events  # noqa: E402

SCRIPT = support.script("lanes.py")


class EventStreamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rows = support.row_lines(SCRIPT)
        cls.fork = support.harness([SCRIPT, "fork"])
        cls.spawn = support.harness([SCRIPT, "spawn"])

    @classmethod
    def tearDownClass(cls):
        support.cleanup()

    def test_every_event_has_type_time_and_pid(self):
        run = self.fork.result()
        self.assertEqual(run.code, 0, run.describe())
        files = os.listdir(run.events_dir)
        self.assertTrue(all(f.startswith("events-") and f.endswith(".jsonl") for f in files))
        for event in run.events:
            self.assertIsInstance(event["ev"], str)
            self.assertIsInstance(event["t"], float)
            self.assertIsInstance(event["pid"], int)
        for name in files:
            pid = int(name[len("events-"):-len(".jsonl")])
            in_file = support.read_events(run.events_dir)
            self.assertTrue(any(e["pid"] == pid and e["ev"] == "process" for e in in_file), name)

    def test_process_event(self):
        run = self.fork.result()
        main = run.of("process", role="main")
        self.assertEqual(len(main), 1)
        main = main[0]
        self.assertEqual(main["argv"], [SCRIPT, "fork"])
        self.assertEqual(main["python"]["version"], "%d.%d.%d" % sys.version_info[:3])
        self.assertEqual(main["python"]["executable"], sys.executable)
        self.assertIsInstance(main["python"]["gilEnabled"], bool)
        self.assertIn(main["startMethod"], ("fork", "spawn", "forkserver"))
        workers = run.of("process", role="worker")
        self.assertEqual(len(workers), 2)
        self.assertTrue(all(w["ppid"] == main["pid"] for w in workers))
        self.assertEqual(len(run.of("process", role="child")), 1)

    def test_lanes_for_raw_threads_and_processes_only(self):
        for run in (self.fork.result(), self.spawn.result()):
            lanes = run.of("lane")
            by_name = {lane["name"]: lane for lane in lanes}
            self.assertEqual(sorted(by_name), ["proc", "spinner-0", "spinner-1", "subclassed"], lanes)
            main_pid = run.of("process", role="main")[0]["pid"]
            for name in ("spinner-0", "spinner-1"):
                lane = by_name[name]
                self.assertEqual((lane["kind"], lane["pid"], lane["target"]), ("thread", main_pid, "spin"))
                self.assertEqual(lane["site"]["line"], self.rows["thread"])
                self.assertLess(lane["start"], lane["end"])
            self.assertEqual(by_name["subclassed"]["site"]["line"], self.rows["subclass"])
            self.assertEqual(by_name["subclassed"]["target"], "Worker.run")
            proc = by_name["proc"]
            self.assertEqual(proc["kind"], "process")
            self.assertNotEqual(proc["pid"], main_pid)
            self.assertEqual(proc["site"]["line"], self.rows["process"])
            self.assertNotEqual(by_name["spinner-0"]["tid"], by_name["spinner-1"]["tid"])

    def test_worker_events_for_pool_workers(self):
        run = self.fork.result()
        pool = run.of("pool")[0]
        starts = run.of("worker_start", poolId=pool["poolId"])
        exits = run.of("worker_exit", poolId=pool["poolId"])
        self.assertEqual(len(starts), 2)
        self.assertEqual({e["pid"] for e in starts}, {e["pid"] for e in exits})
        for event in exits:  # workers that Pool.terminate() killed are reported by the parent
            self.assertEqual(event.get("reportedBy", "worker") == "parent", event.get("exitcode", 0) < 0)
        self.assertTrue(all(e["kind"] == "process" for e in starts))
        tasks = run.of("task", poolId=pool["poolId"])
        self.assertEqual(len(tasks), 4)
        for task in tasks:
            self.assertLessEqual(task["start"], task["end"])
            self.assertGreater(task["cpuSeconds"], 0)
            self.assertGreater(task["argBytes"], 0)
            self.assertGreater(task["resultBytes"], 0)
            self.assertGreaterEqual(task["pickleSeconds"], 0)
            self.assertTrue(task["ok"])
            self.assertEqual(task["chunk"], 1)
        self.assertEqual(len(run.of("pool_end", poolId=pool["poolId"])), 1)


class TaskAccountingTest(unittest.TestCase):
    """Bytes and pickling time of every process-pool task, for both pool families and every
    start method (under fork the executor's call queue is reset after the harness set it up)."""

    @classmethod
    def setUpClass(cls):
        methods = [m for m in ("fork", "spawn", "forkserver") if m in __import__("multiprocessing").get_all_start_methods()]
        cls.runs = {(kind, method): support.harness([support.script("accounting.py"), kind, method])
                    for kind in ("pool", "executor") for method in methods}

    @classmethod
    def tearDownClass(cls):
        support.cleanup()

    def test_every_task_has_its_bytes_and_a_pickling_time_within_the_run(self):
        for (kind, method), future in self.runs.items():
            with self.subTest(pool=kind, start_method=method):
                run = future.result()
                self.assertEqual(run.code, 0, run.describe())
                tasks = run.of("task")
                self.assertEqual(len(tasks), 6, run.events)
                for task in tasks:
                    self.assertGreater(task["argBytes"], 0, task)
                    self.assertGreater(task["resultBytes"], 200, task)
                    self.assertLessEqual(task["start"], task["end"])
                    # measured from the task message's arrival: never negative, never longer than the run
                    self.assertGreaterEqual(task["pickleSeconds"], 0, task)
                    self.assertLess(task["pickleSeconds"], run.elapsed, task)


class TaskErrorTest(unittest.TestCase):
    """A task that raises, and one whose result cannot be pickled, are recorded as failed with
    their exception in words; the caller still sees exactly what it sees without the harness."""

    KINDS = {"pool": [], "executor": [], "threads": [], "serial": ["--pool", "serial"]}

    @classmethod
    def setUpClass(cls):
        script = support.script("task_errors.py")
        cls.runs = {kind: support.harness([script, kind], options) for kind, options in cls.KINDS.items()}
        cls.plain = {kind: support.plain([script, kind]) for kind in ("pool", "executor", "threads")}

    @classmethod
    def tearDownClass(cls):
        support.cleanup()

    def failed(self, kind):
        run = self.runs[kind].result()
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(len(run.of("task")), 8, run.events)
        return run, sorted(t["error"] for t in run.of("task") if not t["ok"])

    def test_process_pools(self):
        run, errors = self.failed("pool")
        self.assertEqual(run.stdout, self.plain["pool"].result().stdout)
        self.assertEqual(len(errors), 2, errors)
        # multiprocessing's wrapper is named, with the pickling error it carries
        self.assertRegex(errors[0], r"^MaybeEncodingError: Error sending result: .*cannot pickle '_thread\.lock' object")
        self.assertEqual(errors[1], "ValueError: bad input 5")
        run, errors = self.failed("executor")
        self.assertEqual(run.stdout, self.plain["executor"].result().stdout)
        self.assertRegex(errors[0], r"^(TypeError|PicklingError): cannot pickle '_thread\.lock' object")
        self.assertEqual(errors[1:], ["ValueError: bad input 5"])

    def test_threads_and_serial(self):
        for kind in ("threads", "serial"):
            with self.subTest(kind=kind):
                run, errors = self.failed(kind)
                self.assertEqual(run.stdout.decode().split(), ["ok"] * 5 + ["ValueError"] + ["ok"] * 2)
                self.assertEqual(errors, ["ValueError: bad input 5"])


class BufferTest(unittest.TestCase):
    def test_full_buffer_drops_and_counts(self):
        """Task lines wait in a bounded buffer; every other event is written at once, in order."""
        directory = tempfile.mkdtemp(prefix="parascope-test-")
        limit, state = events.BUFFER_LIMIT, dict(events._state)
        try:
            events.BUFFER_LIMIT = 10
            events._state.update({"dir": directory, "announce": None, "fd": None})
            for i in range(25):
                events.emit_line(b'{"ev":"task","t":0.0,"i":%d}\n' % i)
            events.emit({"ev": "pool_end", "t": 0.0, "how": "close"})
            written = support.read_events(directory)  # no flush: pool_end wrote what was queued
            self.assertEqual([e["i"] for e in written if e["ev"] == "task"], list(range(10)))
            self.assertEqual([e["ev"] for e in written], ["task"] * 10 + ["pool_end", "dropped"])
            self.assertEqual([e["count"] for e in written if e["ev"] == "dropped"], [15])
        finally:
            if events._state["fd"] is not None:
                os.close(events._state["fd"])
            events.BUFFER_LIMIT = limit
            events._state.clear()
            events._state.update(state)
            events._buf.clear()
            import shutil
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
