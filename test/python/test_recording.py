"""What the cheap recording paths must still guarantee.

- A pool terminated right after its last result loses no task event (workers write
  each task line before sending the result).
- ``concurrent.futures`` imported late, inside a function, is still patched (post-import
  hooks), and the harness itself imports neither it nor ``multiprocessing``.
- The events files are complete - every line whole, every event there - after a normal
  exit and after the main process is killed with ``SIGTERM``.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from test.python import support

TERMINATE = support.script("terminate_last.py")
LATE = support.script("late_import.py")
SIGTERM = support.script("sigterm_main.py")
ROUNDS = 3


def read_files(events_dir):
    """{file name: raw bytes} of every events file."""
    files = {}
    for name in sorted(os.listdir(events_dir)):
        with open(os.path.join(events_dir, name), "rb") as f:
            files[name] = f.read()
    return files


class TerminateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.runs = {method: support.harness([TERMINATE, method, str(ROUNDS if method == "fork" else 1)])
                    for method in ("fork", "spawn")}

    @classmethod
    def tearDownClass(cls):
        support.cleanup()

    def test_no_task_lost_when_terminated_after_the_last_result(self):
        for method, future in self.runs.items():
            with self.subTest(method=method):
                run = future.result()
                self.assertEqual(run.code, 0, run.describe())
                pools = run.of("pool")
                self.assertEqual(len(pools), (ROUNDS if method == "fork" else 1) + 1)
                for pool in pools[:-1]:
                    tasks = run.of("task", poolId=pool["poolId"])
                    self.assertEqual(len(tasks), 7, "1 apply + 6 map chunks")
                    self.assertTrue(all(t["ok"] for t in tasks))
                    chunks = sorted(t["taskId"].split(":") for t in tasks if "chunk" in t)
                    self.assertEqual(len({job for job, _ in chunks}), 1)
                    self.assertEqual(sorted(int(i) for _, i in chunks), list(range(6)))
                done = run.of("task", poolId=pools[-1]["poolId"])
                self.assertEqual(len(done), 1, "the task whose result was fetched before terminate()")
                self.assertTrue(done[0]["ok"])


class LateImportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rows = support.row_lines(LATE)
        cls.plain = support.plain([LATE])
        cls.asis = support.harness([LATE])
        cls.thread = support.harness([LATE], ["--pool", "thread", "--workers", "3"])

    @classmethod
    def tearDownClass(cls):
        support.cleanup()

    def test_the_harness_imports_neither_multiprocessing_nor_concurrent_futures(self):
        plain, asis = self.plain.result(), self.asis.result()
        self.assertEqual(asis.code, 0, asis.describe())
        self.assertEqual(asis.stdout, plain.stdout)
        self.assertEqual(asis.stdout.splitlines()[0], plain.stdout.splitlines()[0])

    def test_late_imports_are_instrumented(self):
        run = self.asis.result()
        pools = {p["site"]["line"]: p for p in run.of("pool")}
        process, thread = pools[self.rows["process"]], pools[self.rows["thread"]]
        self.assertEqual((process["api"], process["replaced"]), ("ProcessPoolExecutor", False))
        self.assertEqual((thread["api"], thread["replaced"]), ("ThreadPoolExecutor", False))
        self.assertEqual(len(run.of("task", poolId=process["poolId"])), 4)
        self.assertEqual(len(run.of("task", poolId=thread["poolId"])), 1)
        self.assertTrue(all(t["pid"] != run.of("process", role="main")[0]["pid"]
                            for t in run.of("task", poolId=process["poolId"])))

    def test_late_imports_are_overridden(self):
        run = self.thread.result()
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(run.stdout, self.plain.result().stdout)
        pools = {p["site"]["line"]: p for p in run.of("pool")}
        process = pools[self.rows["process"]]
        self.assertTrue(process["replaced"])
        self.assertEqual(process["effective"]["kind"], "thread")
        self.assertEqual(process["effective"]["workers"], 3)
        main_pid = run.of("process", role="main")[0]["pid"]
        tasks = run.of("task", poolId=process["poolId"])
        self.assertEqual(len(tasks), 4)
        self.assertEqual({(t["kind"], t["pid"]) for t in tasks}, {("thread", main_pid)})


class CompleteFilesTest(unittest.TestCase):
    def _start(self, mode):
        events_dir = tempfile.mkdtemp(prefix="parascope-test-")
        support._tmp.append(events_dir)
        proc = subprocess.Popen(
            [support.PY, "-m", "parascope_harness", "--events-dir", events_dir, SIGTERM, mode],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=support.env(), cwd=support.ROOT)
        self.assertEqual(proc.stdout.readline(), b"ready\n")
        return proc, events_dir

    def _wait_for_workers(self, events_dir, deadline):
        while True:
            events = [e for data in read_files(events_dir).values() for e in _parse(data)]
            if len([e for e in events if e["ev"] == "worker_exit"]) >= 2 or time.monotonic() > deadline:
                return
            time.sleep(0.05)

    def _check(self, events_dir, killed):
        files = read_files(events_dir)
        self.assertEqual(len(files), 3, "main and two workers")
        events = []
        for name, data in files.items():
            self.assertTrue(data.endswith(b"\n"), "%s ends with a whole line" % name)
            events.extend(_parse(data))
        kinds = [e["ev"] for e in events]
        self.assertEqual(kinds.count("process"), 3)
        self.assertEqual(kinds.count("pool"), 1)
        self.assertEqual(kinds.count("task"), 10)
        self.assertEqual(kinds.count("worker_start"), 2)
        self.assertEqual(kinds.count("worker_exit"), 2)
        self.assertEqual([e["name"] for e in events if e["ev"] == "lane"], ["lane"])
        self.assertEqual(kinds.count("pool_end"), 0 if killed else 1)

    def test_complete_after_a_normal_exit(self):
        proc, events_dir = self._start("exit")
        proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0)
        self._check(events_dir, killed=False)

    @unittest.skipIf(sys.platform == "win32", "POSIX signals")
    def test_complete_after_sigterm_of_the_main_process(self):
        proc, events_dir = self._start("wait")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, -signal.SIGTERM)
        self._wait_for_workers(events_dir, time.monotonic() + 10)  # they see the pipe close and exit
        self._check(events_dir, killed=True)

    @classmethod
    def tearDownClass(cls):
        support.cleanup()


def _parse(data):
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


if __name__ == "__main__":
    unittest.main()
