"""Pool instrumentation and replacement, one module per pool family.

- ``plan``: what the code asked for vs what this run uses, and the ``pool`` events.
- ``mp_pool``: ``multiprocessing.Pool`` / ``ThreadPool``.
- ``executors``: ``ThreadPoolExecutor`` / ``InterpreterPoolExecutor`` and what executors share;
  ``process_executor``: ``ProcessPoolExecutor``.
- ``serial``: the in-thread executor and the Pool-API adapter over any executor.
- ``workerside``: hooks installed inside pool worker processes.
"""
