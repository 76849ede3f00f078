"""Hooks installed inside pool worker processes (multiprocessing.Pool and ProcessPoolExecutor).

- The task pipe's ``recv_bytes`` notes the raw task (size, arrival time, bytes kept
  until the task is unpickled - if unpickling kills the worker we diagnose them).
- Events are written at once, not batched (``events.set_direct``): a worker may
  be terminated as soon as its last result is in.
- The result queue's class is swapped for ``PoolResultQueue`` (``ExecutorResultQueue``)
  whose ``put`` measures the result's pickling, emits the ``task`` event, reports
  unpicklable results and exceptions the parent will not be able to rebuild.
- ``concurrent.futures.process._ExceptionWithTraceback`` drops harness frames from
  the traceback text it sends back (the only traceback that can contain ours).
"""
import os
import sys
import threading
from multiprocessing import queues as mp_queues
from multiprocessing.reduction import ForkingPickler
from time import thread_time_ns as _cpu_ns, time_ns as _now_ns

from parascope_harness import events, sites, tasks

_SimpleQueue = mp_queues.SimpleQueue
_TASK_LINE = tasks.TASK_LINE
_os_write = os.write


def _write_line(line):
    """Write a task line now (direct mode: the worker may be killed right after its result)."""
    fd = _fd[0]
    if fd is None:
        return _emit_line(line)
    try:
        written = _os_write(fd, line)
    except OSError:
        _fd[0] = None
        return _emit_line(line)  # reports the error, stops recording
    if written != len(line):
        _emit_line(line[written:])


class PoolResultQueue(_SimpleQueue):
    """A ``multiprocessing.Pool`` worker's result queue: same wire format, plus measurement
    and diagnosis.

    The ``task`` event is written before the result is sent: once the parent has
    the last result it may terminate the pool at once.
    """

    def put(self, obj):
        rec = _current[0]
        if rec is None:
            return _SimpleQueue.put(self, obj)
        end, cpu_end = _now_ns(), _cpu_ns()
        try:
            data = _dumps(obj)
        except BaseException as exc:
            _result_failed(rec, obj, exc)
            return _SimpleQueue.put(self, obj)  # raise the stdlib's own exception, from the stdlib's frames
        pickled = _now_ns()
        _current[0] = None
        head, job, i, chunk, start, cpu0 = rec
        recv = _recv
        outcome = obj[2]
        if not outcome[0]:
            ok, extra = _failed(rec, data, outcome[1], (head, b"%d:%d" % (job, i), chunk))
            line = _lines[0] % (end, head, job, i, start, end, cpu_end - cpu0, recv[1], len(data),
                                start - recv[0] + pickled - end, ok, extra)
        elif chunk is not None:  # a map chunk: the hot path
            line = _lines[1] % (end, head, job, i, start, end, cpu_end - cpu0, recv[1], len(data),
                                start - recv[0] + pickled - end, chunk)
        else:
            line = _lines[2] % (end, head, job, i, start, end, cpu_end - cpu0, recv[1], len(data),
                                start - recv[0] + pickled - end)
        try:
            written = _os_write(_fd[0], line)
        except (OSError, TypeError):  # TypeError: nothing is recorded (no file)
            _write_line(line)
        else:
            if written != len(line):
                _emit_line(line[written:])
        if self._wlock is None:
            self._writer.send_bytes(data)
        else:
            with self._wlock:
                self._writer.send_bytes(data)


class ExecutorResultQueue(_SimpleQueue):
    """The same for a ``ProcessPoolExecutor`` worker (results are ``_ResultItem`` objects)."""

    def put(self, obj):
        rec = _current[0]
        if rec is None:
            return _SimpleQueue.put(self, obj)
        end, cpu_end = _now_ns(), _cpu_ns()
        try:
            data = _dumps(obj)
        except BaseException as exc:
            _result_failed(rec, obj, exc)
            return _SimpleQueue.put(self, obj)
        pickled = _now_ns()
        _current[0] = None
        meta, start, cpu0 = rec
        error = getattr(obj, "exception", None)
        if error is None:
            ok = tasks.tail(True, None, meta[2])
        else:
            ok = _failed(rec, data, error, meta)
        recv = _recv
        _write_line(_TASK_LINE % (end, meta[0], meta[1], _ident[0], start, end, cpu_end - cpu0,
                                  recv[1], len(data), start - recv[0] + pickled - end, ok[0], ok[1]))
        if self._wlock is None:
            self._writer.send_bytes(data)
        else:
            with self._wlock:
                self._writer.send_bytes(data)


def _failed(rec, data, error, meta):
    """A task raised: check the parent can rebuild the exception; ``"ok"``'s value and the rest."""
    _check_rebuild(meta, data, error)
    return tasks.tail(False, tasks.describe_error(error), meta[2])


_current = tasks._proc
_recv = tasks._recv
_dumps = ForkingPickler.dumps
_emit_line = events.emit_line
_ident = [b""]  # '"pid":…,"tid":…,"kind":"process"' of this worker process
_fd = [None]  # its events file
_lines = [None, None, None]  # its Pool task line templates: any outcome, ok map chunk, ok apply


def _pool_templates(ident):
    """``_lines`` for this process (``ident`` spliced in once: one field less per task)."""
    line = _TASK_LINE.replace(b'"taskId":"%s",%s', b'"taskId":"%d:%d",' + ident.replace(b"%", b"%%"))
    ok = line.replace(b'"ok":%s%s}', b'"ok":true}')
    return [line, ok.replace(b'"ok":true}', b'"ok":true,"chunk":%d}'), ok]


def _result_value(obj):
    if type(obj) is tuple and len(obj) == 3 and type(obj[2]) is tuple:
        return obj[2][1]
    return getattr(obj, "result", None)


def _record_meta(rec):
    if len(rec) == 6:  # a multiprocessing.Pool record
        head, job, i, chunk = rec[:4]
        return (head, b"%d:%d" % (job, i), chunk)
    return rec[0]


def _result_failed(rec, obj, exc):
    try:
        from parascope_harness import findings
        findings.report_result(exc, _result_value(obj), _record_meta(rec))
    except Exception as err:
        events.internal_error("diagnosing a result that failed to pickle: %r" % (err,))


def _check_rebuild(meta, data, error):
    """A task raised: make sure the parent can unpickle that exception (PAR012)."""
    try:
        ForkingPickler.loads(data)
    except Exception as exc:
        try:
            from parascope_harness import findings
            findings.report_unrebuildable(tasks.unwrap_error(error), exc, meta)
        except Exception as err:
            events.internal_error("diagnosing an exception rebuild: %r" % (err,))


def _recording(conn):
    """``conn.recv_bytes`` that also notes the task message (``Connection.recv_bytes`` inlined:
    one Python call less per task)."""
    recv = tasks._recv
    original = conn.recv_bytes
    recv_raw = conn._recv_bytes

    def recv_bytes(maxlength=None):
        if maxlength is None and conn._handle is not None and conn._readable:
            data = recv_raw().getvalue()
        else:
            data = original(maxlength)  # the stdlib's own checks and errors
        recv[0] = _now_ns()
        recv[1] = len(data)
        recv[2] = data
        return data
    return recv_bytes


def _strip_harness_frames(original):
    def exception_with_traceback(exc, tb):
        exc.__traceback__ = tb
        sites.strip_harness_frames(exc)
        return original(exc, exc.__traceback__)
    return exception_with_traceback


def install(process):
    """Prepare this worker process; ``process`` is its own Process object (in ``_bootstrap``)."""
    target, args = process._target, process._args
    mpool = sys.modules.get("multiprocessing.pool")
    if mpool is not None and target is mpool.worker:
        reader = args[0]._reader
        reader.recv_bytes = _recording(reader)
        results = PoolResultQueue
    else:
        from concurrent.futures import process as cf_process
        call_queue = args[0]
        reader = call_queue._reader
        # On the Connection itself: under fork, Queue._after_fork (run after this) resets
        # the queue's _recv_bytes to reader.recv_bytes — the wrapper must be what it finds.
        reader.recv_bytes = call_queue._recv_bytes = _recording(reader)
        cf_process._ExceptionWithTraceback = _strip_harness_frames(cf_process._ExceptionWithTraceback)
        results = ExecutorResultQueue
    if type(args[1]) is _SimpleQueue:
        args[1].__class__ = results
    _ident[0] = b'"pid":%d,"tid":%d,"kind":"process"' % (os.getpid(), threading.get_native_id())
    _lines[:] = _pool_templates(_ident[0])
    _fd[0] = events.set_direct()


def after_exit(process, exitcode):
    """The worker is ending: a task received but never unpickled means unpickling killed it."""
    data = tasks.pending_receive()
    if data is not None and exitcode:
        try:
            from parascope_harness import findings
            findings.report_receive_failure(data)
        except Exception as err:
            events.internal_error("diagnosing a task the worker could not unpickle: %r" % (err,))
