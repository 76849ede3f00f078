"""Install the harness into a process: the main one, or a spawned/forkserver child.

Forked children inherit everything already installed; ``events`` re-opens its
file for the new pid. ``multiprocessing`` and ``concurrent.futures`` are patched
by post-import hooks (``hooks``) the moment the program imports them - before
``from concurrent.futures import ProcessPoolExecutor`` can bind the class - so a
program that never imports them does not pay for importing them.
"""
import os

from parascope_harness import config as configmod
from parascope_harness import events, hang, hooks, lanes, procinfo, state


def _patch_queue_feeder(queues):
    """Queue feeder failures become findings at the line of the ``put`` that queued the item.

    ``put`` notes (id, site) of its item in a bounded deque. The feeder thread pickles the item
    later; when that fails, the newest entry with the item's id is its put (the item is alive
    from its put to the failure, so no other object can have had that id since). A queue
    backed up by more items than the deque holds reports the failure without a line.
    """
    import collections
    import sys
    from parascope_harness.sites import user_site
    puts = collections.deque(maxlen=4096)
    note = puts.append
    original = queues.Queue._on_queue_feeder_error

    def put_site(key):
        for entry in reversed(tuple(puts)):  # a copy: other threads keep putting meanwhile
            if entry[0] == key:
                return entry[1]
        return None

    def _on_queue_feeder_error(e, obj):
        try:
            from parascope_harness import findings
            findings.report_queue_put(e, obj, put_site(id(obj)))
        except Exception as err:
            events.internal_error("diagnosing a queue item: %r" % (err,))
        original(e, obj)

    def noting(put):
        def noting_put(self, obj, block=True, timeout=None):
            note((id(obj), user_site(sys._getframe(1))))
            return put(self, obj, block, timeout)
        noting_put.__name__, noting_put.__qualname__, noting_put.__doc__ = put.__name__, put.__qualname__, put.__doc__
        return noting_put

    queues.Queue._on_queue_feeder_error = staticmethod(_on_queue_feeder_error)
    for cls in (queues.Queue, queues.JoinableQueue):  # JoinableQueue.put does not call Queue.put
        cls.put = noting(cls.__dict__["put"])


def install(config, announce=None):
    """Patch this process. ``announce`` emits its ``process`` event lazily (children)."""
    state.config = config
    events.configure(config.events_dir, announce)
    hang.install()
    lanes.install()
    hooks.when_imported("multiprocessing.process", _install("processes", "install"))
    for launcher in ("multiprocessing.popen_spawn_posix", "multiprocessing.popen_forkserver"):
        hooks.when_imported(launcher, _install("processes", "install_launcher"))
    hooks.when_imported("multiprocessing.queues", _patch_queue_feeder)
    hooks.when_imported("multiprocessing.pool", _install("pools.mp_pool", "install"))
    hooks.when_imported("concurrent.futures.thread", _install("pools.executors", "install_thread"))
    hooks.when_imported("concurrent.futures.process", _install("pools.process_executor", "install"))
    hooks.when_imported("concurrent.futures.interpreter",
                        _install("pools.executors", "install_interpreter"))


def _install(module_name, function):
    def hook(module):
        harness_module = __import__("parascope_harness." + module_name, fromlist=[function])
        getattr(harness_module, function)(module)
    return hook


def install_main(config, argv):
    """Main process: export the config for children, then install and announce."""
    config.main_pid = os.getpid()
    os.environ[configmod.ENV_VAR] = config.to_json()
    install(config)
    procinfo.announce("main", argv=list(argv))
    from parascope_harness import launcher
    launcher.watch()


def install_child(config_json, role, pool_id):
    """A spawned/forkserver child, called while it unpickles its preparation data.

    The loader carries the parent's config; the environment variable is the fallback.
    """
    config = configmod.Config.from_json(config_json) if config_json else configmod.Config.from_env()
    if config is None:
        return

    def announce():
        procinfo.announce(role, **({"poolId": pool_id} if pool_id else {}))

    install(config, announce)
