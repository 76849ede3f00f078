"""Run configuration, shared by the main process and every child it starts.

The main process builds a :class:`Config` from the command line and exports it
as JSON in ``PARASCOPE_HARNESS_CONFIG``; spawned and forkserver children also get
it inside the preparation data (see ``spawnhooks``), forked children inherit
the object itself.
"""
import os

ENV_VAR = "PARASCOPE_HARNESS_CONFIG"
POOL_KINDS = ("asis", "serial", "thread", "process", "interpreter")
START_METHODS = ("fork", "spawn", "forkserver")
HARNESS_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Config:
    """What the launcher asked for. Zero/None means "keep what the code asks for"."""

    __slots__ = ("pool", "workers", "start_method", "chunksize", "events_dir",
                 "hang_grace", "max_processes", "main_pid")

    def __init__(self, pool="asis", workers=0, start_method=None, chunksize=0,
                 events_dir=None, hang_grace=5.0, max_processes=256,
                 main_pid=None):
        self.pool = pool
        self.workers = int(workers or 0)
        self.start_method = start_method or None
        self.chunksize = int(chunksize or 0)
        self.events_dir = events_dir or None
        self.hang_grace = float(hang_grace)
        self.max_processes = int(max_processes or 0)
        self.main_pid = main_pid

    def to_json(self):
        from parascope_harness import events
        return events.dumps({name: getattr(self, name) for name in self.__slots__})

    @classmethod
    def from_json(cls, text):
        import json
        data = json.loads(text)
        return cls(**{k: v for k, v in data.items() if k in cls.__slots__})

    @classmethod
    def from_env(cls):
        text = os.environ.get(ENV_VAR)
        return cls.from_json(text) if text else None
