"""Hooks installed inside pool worker processes (multiprocessing.Pool and ProcessPoolExecutor).

- The task pipe's ``recv_bytes`` notes the raw task (size, arrival time, bytes kept
  until the task is unpickled - if unpickling kills the worker we diagnose them).
- Events are written at once, not batched (``events.set_direct``): a worker may
  be terminated as soon as its last result is in.
- The result queue's class is swapped for ``ResultQueue`` whose ``put`` measures
  the result's pickling, emits the ``task`` event, reports unpicklable results and
  exceptions the parent will not be able to rebuild.
- ``concurrent.futures.process._ExceptionWithTraceback`` drops harness frames from
  the traceback text it sends back (the only traceback that can contain ours).
"""
from multiprocessing import pool as mpool
from multiprocessing import queues as mp_queues
from multiprocessing.reduction import ForkingPickler
from time import perf_counter as _perf, thread_time as _cpu, time as _now

from parascope_harness import events, sites, tasks

_SimpleQueue = mp_queues.SimpleQueue


class ResultQueue(_SimpleQueue):
    """A worker's result queue: same wire format, plus measurement and diagnosis.

    The ``task`` event is written before the result is sent: once the parent has
    the last result it may terminate the pool at once.
    """

    def put(self, obj):
        rec = _current[0]
        if rec is None:
            return _SimpleQueue.put(self, obj)
        end, cpu_end, p0 = _now(), _cpu(), _perf()
        try:
            data = _dumps(obj)
        except BaseException as exc:
            _result_failed(rec, obj, exc)
            return _SimpleQueue.put(self, obj)  # raise the stdlib's own exception, from the stdlib's frames
        pickle_seconds = _perf() - p0
        _current[0] = None
        if type(obj) is tuple and type(obj[2]) is tuple and obj[2][0]:
            line = tasks.task_line(rec, True, None, len(data), pickle_seconds, end, cpu_end)
        else:
            ok, error = _outcome(obj)
            if not ok:
                _check_rebuild(rec, data, error)
            line = tasks.task_line(rec, ok, None if ok else tasks.describe_error(error), len(data),
                                   pickle_seconds, end, cpu_end)
        emit_line(line)
        if self._wlock is None:
            self._writer.send_bytes(data)
        else:
            with self._wlock:
                self._writer.send_bytes(data)


_current = tasks._proc
_dumps = ForkingPickler.dumps
emit_line = events.emit_line


def _outcome(obj):
    """(ok, exception) of a Pool ``(job, i, (ok, value))`` or an executor ``_ResultItem``."""
    if type(obj) is tuple and len(obj) == 3 and type(obj[2]) is tuple:
        ok, value = obj[2]
        return bool(ok), (None if ok else value)
    exc = getattr(obj, "exception", None)
    return exc is None, exc


def _result_value(obj):
    if type(obj) is tuple and len(obj) == 3 and type(obj[2]) is tuple:
        return obj[2][1]
    return getattr(obj, "result", None)


def _result_failed(rec, obj, exc):
    try:
        from parascope_harness import findings
        findings.report_result(exc, _result_value(obj), rec[0])
    except Exception as err:
        events.internal_error("diagnosing a result that failed to pickle: %r" % (err,))


def _check_rebuild(rec, data, error):
    """A task raised: make sure the parent can unpickle that exception (PAR012)."""
    try:
        ForkingPickler.loads(data)
    except Exception as exc:
        try:
            from parascope_harness import findings
            findings.report_unrebuildable(getattr(error, "exc", error), exc, rec[0])
        except Exception as err:
            events.internal_error("diagnosing an exception rebuild: %r" % (err,))


def _recording(recv_bytes):
    recv = tasks._recv

    def recv_bytes_and_note(*args):
        data = recv_bytes(*args)
        recv[0] = _perf()
        recv[1] = len(data)
        recv[2] = data
        return data
    return recv_bytes_and_note


def _strip_harness_frames(original):
    def exception_with_traceback(exc, tb):
        exc.__traceback__ = tb
        sites.strip_harness_frames(exc)
        return original(exc, exc.__traceback__)
    return exception_with_traceback


def install(process):
    """Prepare this worker process; ``process`` is its own Process object (in ``_bootstrap``)."""
    target, args = process._target, process._args
    if target is mpool.worker:
        reader = args[0]._reader
        reader.recv_bytes = _recording(reader.recv_bytes)
    else:
        from concurrent.futures import process as cf_process
        call_queue = args[0]
        call_queue._recv_bytes = _recording(call_queue._recv_bytes)
        cf_process._ExceptionWithTraceback = _strip_harness_frames(cf_process._ExceptionWithTraceback)
    if type(args[1]) is _SimpleQueue:
        args[1].__class__ = ResultQueue
    events.set_direct()


def after_exit(process, exitcode):
    """The worker is ending: a task received but never unpickled means unpickling killed it."""
    data = tasks.pending_receive()
    if data is not None and exitcode:
        try:
            from parascope_harness import findings
            findings.report_receive_failure(data)
        except Exception as err:
            events.internal_error("diagnosing a task the worker could not unpickle: %r" % (err,))
