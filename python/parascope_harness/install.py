"""Install the harness into a process: the main one, or a spawned/forkserver child.

Forked children inherit everything already installed; ``events`` re-opens its
file for the new pid. Order matters: the pool classes must be patched before the
user's code imports them (``from concurrent.futures import ProcessPoolExecutor``).
"""
import os

from parascope_harness import config as configmod
from parascope_harness import events, hang, lanes, procinfo, processes, state


def _patch_queue_feeder():
    from multiprocessing import queues
    original = queues.Queue._on_queue_feeder_error

    def _on_queue_feeder_error(e, obj):
        try:
            from parascope_harness import findings
            findings.report_queue_put(e, obj)
        except Exception as err:
            events.internal_error("diagnosing a queue item: %r" % (err,))
        original(e, obj)

    queues.Queue._on_queue_feeder_error = staticmethod(_on_queue_feeder_error)


def install(config, announce=None):
    """Patch this process. ``announce`` emits its ``process`` event lazily (children)."""
    state.config = config
    events.configure(config.events_dir, announce)
    hang.install()
    processes.install()
    lanes.install()
    from parascope_harness.pools import executors, mp_pool
    mp_pool.install()
    executors.install()
    _patch_queue_feeder()


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
