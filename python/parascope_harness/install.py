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


# (id, site) of the latest Queue.put calls. The feeder thread pickles an item later, in another
# thread; when that fails, the newest entry with the item's id is its put (the item is alive
# from its put to the failure, so no other object can have had that id since). Bounded: a
# queue backed up by more items than this reports the failure without a line.
_PUTS = None


def _patch_queue_feeder(queues):
    global _PUTS
    import collections
    import sys
    from parascope_harness.sites import user_site
    _PUTS = puts = collections.deque(maxlen=4096)
    note = puts.append
    original = queues.Queue._on_queue_feeder_error

    def _on_queue_feeder_error(e, obj):
        try:
            from parascope_harness import findings
            findings.report_queue_put(e, obj, _put_site(id(obj)))
        except Exception as err:
            events.internal_error("diagnosing a queue item: %r" % (err,))
        original(e, obj)

    queues.Queue._on_queue_feeder_error = staticmethod(_on_queue_feeder_error)
    def noting(put):
        def noting_put(self, obj, block=True, timeout=None):
            note((id(obj), user_site(sys._getframe(1))))
            return put(self, obj, block, timeout)
        noting_put.__name__, noting_put.__qualname__, noting_put.__doc__ = put.__name__, put.__qualname__, put.__doc__
        return noting_put

    for cls in (queues.Queue, queues.JoinableQueue):  # JoinableQueue.put does not call Queue.put
        cls.put = noting(cls.__dict__["put"])


def _put_site(key):
    for entry in reversed(_PUTS):
        if entry[0] == key:
            return entry[1]
    return None


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
