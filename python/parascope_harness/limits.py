"""``--max-processes``: stop a fork bomb with a clear message (exit code 124).

Every ``Process.start()`` in any process of the run appends one byte to a shared
counter file. Only when that count passes the limit are the run's live processes
counted (a /proc scan for descendants of the main process); if they exceed it,
the run is stopped: the process that noticed writes a stop file and kills the
others; the main process's watchdog prints the message and exits.
"""
import os

from parascope_harness import state

EXIT_PROCESS_LIMIT = 124


def _paths():
    run_dir = state.config.run_dir
    return os.path.join(run_dir, "starts"), os.path.join(run_dir, "stop")


def descendants(root):
    """Live descendants of ``root`` (Linux /proc; empty elsewhere)."""
    children = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] == b"Z":
            continue
        children.setdefault(int(fields[1]), []).append(int(name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found


def note_process_start():
    config = state.config
    if config is None or not config.max_processes or not config.run_dir:
        return
    if os.getpid() == config.main_pid:
        from parascope_harness import events
        events.ensure_thread()  # the main process watches for a stop request from its children
    starts, stop = _paths()
    fd = os.open(starts, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, b".")
        count = os.fstat(fd).st_size
    finally:
        os.close(fd)
    if count <= config.max_processes:
        return
    live = descendants(config.main_pid)
    if len(live) < config.max_processes:
        return
    message = ("process limit reached: more than %d processes are running in this run "
               "(a fork bomb?); stopping it (--max-processes)" % config.max_processes)
    if os.getpid() == config.main_pid:
        from parascope_harness import hang
        hang.stop_run(message, EXIT_PROCESS_LIMIT)
    with open(stop, "w") as f:
        f.write(message)
    import signal
    for pid in live:
        if pid != os.getpid():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    os.kill(os.getpid(), signal.SIGKILL)


def check_stop():
    """Main process, harness thread: another process asked to stop the run."""
    starts, stop = _paths()
    if os.path.exists(stop):
        with open(stop) as f:
            message = f.read()
        from parascope_harness import hang
        hang.stop_run(message, EXIT_PROCESS_LIMIT)
