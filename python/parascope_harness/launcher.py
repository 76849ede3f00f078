"""The launcher's death ends the run.

Parascope starts the harness from Node (the CLI or the extension host). When that process dies
without cancelling the run - SIGKILL, a crashed extension host - nothing reads the run any more,
and a pool that never finishes would keep its workers busy for ever. The main process notes its
parent at start; its harness thread checks every tick (~200 ms) whether it has been re-parented.
If so it kills the run's processes, removes the event files nobody will read (and their folder,
once empty) and exits with ``EXIT_LAUNCHER_GONE``.
"""
import os

from parascope_harness import events, state

EXIT_LAUNCHER_GONE = 125
_watched = []  # [main pid, launcher pid]


def watch():
    """Main process, at start: watch the process that launched it (only when it records events:
    Parascope's launchers always pass ``--events-dir``)."""
    launcher = os.getppid()
    if state.config is None or not state.config.events_dir or launcher <= 1:
        return
    _watched[:] = [os.getpid(), launcher]
    events.add_periodic(check)


def check():
    """Harness thread: end the run once the launcher is gone."""
    if not _watched or os.getpid() != _watched[0] or os.getppid() == _watched[1]:
        return
    from parascope_harness import hang
    try:
        hang.kill_descendants()
    except Exception:
        pass
    _remove_events(state.config.events_dir)
    os._exit(EXIT_LAUNCHER_GONE)


def _remove_events(folder):
    """Deletes the run's ``events-*.jsonl`` files, then the folder if nothing else is in it."""
    events.disable()
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith("events-") and name.endswith(".jsonl"):
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass
    try:
        os.rmdir(folder)
    except OSError:
        pass
