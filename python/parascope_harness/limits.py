"""``--max-processes``: stop a fork bomb with a clear message (exit code 124).

Normal runs pay nothing and write nothing: each process counts the processes it
starts itself, and only when that count passes a quarter of the limit, or when
the starting process is itself at least two generations below the main process,
are the run's live processes counted (a /proc scan for descendants of the main
process). Past the limit the run is stopped: the first child that notices (an exclusive
lock file decides) writes ``<tmp>/parascope-stop-<main pid>`` and kills the
other processes; the main process's harness thread sees the file, prints the
message and exits.
"""
import os
import signal
import threading

from parascope_harness import state

EXIT_PROCESS_LIMIT = 124
_own_starts = [0]
_watching = []
_check_lock = threading.Lock()


def _reset_after_fork():
    global _check_lock
    _own_starts[0] = 0
    del _watching[:]
    _check_lock = threading.Lock()  # the parent's may have been held by its harness thread


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


_stop_paths = {}  # main pid -> path; kept across forks


def _stop_file(main_pid):
    """The stop request's path, worked out once per process (forked children inherit it).

    The main process works it out on the thread starting its first process, before that fork:
    never first on the harness thread, where ``import tempfile`` could be cut in half by a fork
    in the main thread and leave a forked child blocked on the module's import lock for ever.
    """
    path = _stop_paths.get(main_pid)
    if path is None:
        import tempfile
        path = _stop_paths[main_pid] = os.path.join(tempfile.gettempdir(), "parascope-stop-%d" % main_pid)
    return path


def _parents():
    parents = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return parents
    for name in names:
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name, "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] != b"Z":
                parents[int(name)] = int(fields[1])
    return parents


def descendants(root, parents=None):
    """Live descendants of ``root`` (Linux /proc; empty elsewhere)."""
    parents = _parents() if parents is None else parents
    children = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(root):
    """SIGKILL every live descendant of ``root`` except this process.

    The tree is frozen first (SIGSTOP, rescanning until no new process appears), so
    nothing forks meanwhile and no process is re-parented out of sight before the kill.
    """
    me = os.getpid()
    stopped = []
    for _attempt in range(20):
        fresh = [pid for pid in descendants(root) if pid != me and pid not in stopped]
        if not fresh:
            break
        for pid in fresh:
            try:
                os.kill(pid, signal.SIGSTOP)
            except OSError:
                pass
        stopped.extend(fresh)
    for pid in stopped:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _generation(main_pid):
    """How many parents separate this process from the main one (stops at 3)."""
    pid, depth = os.getpid(), 0
    while pid != main_pid and depth < 3:
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                pid = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            return 0
        depth += 1
    return depth


def note_process_start():
    config = state.config
    if config is None or not config.max_processes or config.main_pid is None:
        return
    main_pid = config.main_pid
    if os.getpid() == main_pid and not _watching:
        _watching.append(True)
        _stop_file(main_pid)  # here, before the fork (see _stop_file)
        from parascope_harness import events
        events.add_periodic(check_stop)  # the main process watches for a stop request...
        import atexit
        atexit.register(check_stop)  # ...until its very end
    _own_starts[0] += 1
    if _own_starts[0] <= config.max_processes // 4 and _generation(main_pid) < 2:
        return
    parents = _parents()
    live = descendants(main_pid, parents)
    if len(live) < config.max_processes:
        return
    message = ("process limit reached: more than %d processes are running in this run "
               "(a fork bomb?); stopped it (--max-processes)" % config.max_processes)
    if os.getpid() == main_pid:
        from parascope_harness import hang
        hang.stop_run(message, EXIT_PROCESS_LIMIT)
    path = _stop_file(main_pid)
    try:  # one process stops the run; any other that noticed just waits to be killed
        os.close(os.open(path + ".lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError:
        os.kill(os.getpid(), signal.SIGSTOP)
        return
    with open(path + ".%d" % os.getpid(), "w") as f:
        f.write(message)
    os.replace(path + ".%d" % os.getpid(), path)  # the main process never reads half a message
    kill_tree(main_pid)
    os.kill(os.getpid(), signal.SIGKILL)


def check_stop():
    """Main process: a child asked to stop the run. Called by the harness thread and at exit.

    One caller at a time: the one that finds the request stops the run and never returns; the
    other waits on the lock meanwhile, so the main thread cannot end the process with the
    program's own exit code while the harness thread is stopping it.
    """
    with _check_lock:
        path = _stop_file(state.config.main_pid)
        if os.path.exists(path):
            with open(path) as f:
                message = f.read()
            from parascope_harness import hang
            try:  # first: a child still counting could file the request again
                hang.kill_descendants()
            except Exception:
                pass  # stop_run tries again
            for leftover in (path, path + ".lock"):
                try:
                    os.unlink(leftover)
                except OSError:
                    pass
            hang.stop_run(message, EXIT_PROCESS_LIMIT)
