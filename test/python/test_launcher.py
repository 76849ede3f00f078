"""When the process that launched the harness dies without cancelling (SIGKILL, a crashed
extension host), the run ends by itself: no process of it is left, nor its event files."""
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from test.python import support

sys.path.insert(0, support.HARNESS)
from parascope_harness import limits  # noqa: E402

LAUNCHER = """
import subprocess, sys
harness = subprocess.Popen(sys.argv[1:], stdout=open(sys.argv[0] + ".out", "wb"), stderr=subprocess.STDOUT)
print(harness.pid, flush=True)
harness.wait()
"""


def wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %s s waiting for %s" % (seconds, what))
        time.sleep(0.05)


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


@unittest.skipUnless(os.path.isdir("/proc/self"), "needs Linux /proc")
class LauncherDeathTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="parascope-test-launcher-")
        self.addCleanup(support.cleanup)
        support._tmp.append(self.tmp)

    def _run(self, method):
        events = os.path.join(self.tmp, method)
        base = os.path.join(self.tmp, "launcher-" + method)
        argv = [support.PY, "-m", "parascope_harness", "--events-dir", events, "--",
                support.script("forever_pool.py"), method]
        launcher = subprocess.Popen([support.PY, "-c", LAUNCHER.replace("sys.argv[0]", repr(base))] + argv,
                                    stdout=subprocess.PIPE, env=support.env())
        self.addCleanup(lambda: launcher.poll() is None and launcher.kill())
        harness = int(launcher.stdout.readline())
        launcher.stdout.close()
        wait_for(lambda: b"ready" in read(base + ".out"), 60, "the pool to start")
        run = [harness] + limits.descendants(harness)
        self.addCleanup(lambda: [os.kill(p, signal.SIGKILL) for p in run if alive(p)])
        self.assertGreaterEqual(len(run), 3, "the harness and its 2 workers")
        self.assertTrue(os.listdir(events), "events were being recorded")

        launcher.kill()  # no cancel: the launcher is simply gone
        launcher.wait()
        # A functional deadline, not a timing claim: the harness checks about every 200 ms.
        wait_for(lambda: not any(alive(p) for p in run), 30, "every process of the run to end")
        self.assertFalse(os.path.exists(events), "the event files nobody will read are removed")

    def test_fork(self):
        self._run("fork")

    def test_spawn(self):
        self._run("spawn")

    def test_forkserver(self):
        self._run("forkserver")  # the fork server is one more process of the run


if __name__ == "__main__":
    unittest.main()
