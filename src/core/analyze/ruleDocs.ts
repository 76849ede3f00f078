/**
 * The rule catalogue (shared/design/product.md, pillar B): id, name, default severity, what it
 * finds, why it fails, and the fix. Read by the analyzer (severities), the CLI (SARIF rule
 * metadata) and the editor (the explanation a diagnostic's code links to).
 */
import type { Severity } from '../report/model';

export interface RuleDoc {
  id: string;
  /** Short name, PascalCase (SARIF `name`). */
  name: string;
  title: string;
  severity: Severity;
  /** Why it fails (or silently misbehaves), in a few sentences. */
  explanation: string;
  /** What to do instead. */
  fix: string;
  /** A failing example and its corrected form. */
  example: { bad: string; good: string };
  /** When the rule stays silent. */
  silentWhen: string;
}

export const RULES: readonly RuleDoc[] = [
  {
    id: 'PAR001', name: 'LambdaInProcessPool', severity: 'error',
    title: 'Lambda sent to a process pool',
    explanation:
      'Everything a process pool runs is pickled, and pickle stores functions by their qualified name. A lambda has no importable name (`<lambda>`), so pickling it fails: `PicklingError: Can\'t pickle <function <lambda>>: attribute lookup <lambda> on __main__ failed`. The same holds for a `Process` target or a pool initializer when the start method is spawn or forkserver.',
    fix: 'Define the function with `def` at module level and pass its name. The quick fix does this when the lambda uses no local variables.',
    example: { bad: 'with Pool() as pool:\n    pool.map(lambda x: x * x, data)', good: 'def square(x):\n    return x * x\n\nwith Pool() as pool:\n    pool.map(square, data)' },
    silentWhen: 'The pool is a thread pool; a `Process` target or initializer under the fork start method (nothing is pickled).',
  },
  {
    id: 'PAR002', name: 'NestedFunctionInProcessPool', severity: 'error',
    title: 'Nested function sent to a process pool',
    explanation:
      'A function defined inside another function (a closure) is pickled by its qualified name `outer.<locals>.inner`, which the child cannot import: `AttributeError: Can\'t pickle local object \'outer.<locals>.inner\'`.',
    fix: 'Move the function to module level; pass what it captured as arguments (or with `functools.partial`). The quick fix moves it when it captures nothing.',
    example: { bad: 'def run(data):\n    def work(x):\n        return x + 1\n    with Pool() as pool:\n        return pool.map(work, data)', good: 'def work(x):\n    return x + 1\n\ndef run(data):\n    with Pool() as pool:\n        return pool.map(work, data)' },
    silentWhen: 'Thread pools; `Process` targets and initializers under fork.',
  },
  {
    id: 'PAR003', name: 'LocalClassInstanceInProcessPool', severity: 'error',
    title: 'Instance of a class defined inside a function sent to a process pool',
    explanation:
      'Instances are pickled with a reference to their class, by qualified name. A class defined inside a function (`outer.<locals>.Item`) cannot be found by the child, so pickling fails with `Can\'t pickle local object`.',
    fix: 'Define the class at module level.',
    example: { bad: 'def run(rows):\n    class Item: ...\n    pool.map(handle, [Item() for r in rows])', good: 'class Item: ...\n\ndef run(rows):\n    pool.map(handle, [Item() for r in rows])' },
    silentWhen: 'Thread pools; `Process` arguments under fork.',
  },
  {
    id: 'PAR004', name: 'NameMismatchInProcessPool', severity: 'error',
    title: 'Object whose pickled name does not lead back to it',
    explanation:
      'pickle finds functions and classes again by `module.qualname`. A decorator that returns an inner `wrapper` without `functools.wraps` makes the task function pickle as `deco.<locals>.wrapper`; a `namedtuple("Point", …)` bound to another name (`Pt`) pickles as `Point`, which the module does not define. Both fail when sent to a process pool.',
    fix: 'Decorate the wrapper with `@functools.wraps(func)`; bind namedtuples (and `type()`-made classes) to the name they are given.',
    example: { bad: 'def traced(fn):\n    def wrapper(*a):\n        return fn(*a)\n    return wrapper', good: 'def traced(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        return fn(*a)\n    return wrapper' },
    silentWhen: 'Thread pools; objects that never reach a process pool.',
  },
  {
    id: 'PAR005', name: 'ThreadPrimitiveInPayload', severity: 'error',
    title: 'Lock, event, condition, thread or logging handler in a payload',
    explanation:
      '`threading` primitives wrap OS locks that cannot be pickled: `TypeError: cannot pickle \'_thread.lock\' object`. The same happens when the object is an attribute set in a class\'s `__init__` and an instance — or one of its bound methods — is sent to a process pool. Logging handlers and `queue.Queue` hold such locks.',
    fix: 'Create the lock in the worker (or in a pool initializer), or use a `multiprocessing.Manager().Lock()` proxy. For classes, drop the lock in `__getstate__` and recreate it in `__setstate__`.',
    example: { bad: 'lock = threading.Lock()\npool.apply_async(work, (lock,))', good: 'manager = multiprocessing.Manager()\nlock = manager.Lock()\npool.apply_async(work, (lock,))' },
    silentWhen: 'Thread pools; `Process` arguments and initializer arguments under fork (nothing is pickled).',
  },
  {
    id: 'PAR006', name: 'OpenHandleInPayload', severity: 'error',
    title: 'Open file or native handle in a payload',
    explanation:
      'Open files (`open`, `gzip.open`, `h5py.File`…), database connections (`sqlite3.connect`), memory maps and SSL contexts wrap OS handles that pickle refuses: `TypeError: cannot pickle \'_io.TextIOWrapper\' object`. Sockets are fine: multiprocessing has its own reducer for them.',
    fix: 'Send the path (or connection parameters) and open the handle in the worker.',
    example: { bad: 'f = h5py.File(path)\npool.apply_async(read, (f,))', good: 'pool.apply_async(read, (path,))  # open h5py.File(path) inside read()' },
    silentWhen: 'Thread pools; an iterable given to `map` (its items are sent, not the file); `Process` arguments under fork.',
  },
  {
    id: 'PAR007', name: 'GeneratorInPayload', severity: 'error',
    title: 'Generator, generator expression or coroutine in a payload',
    explanation:
      'Generators and coroutines cannot be pickled (`TypeError: cannot pickle \'generator\' object`). This includes a task function that is itself a generator: its result is a generator, which cannot be sent back (`MaybeEncodingError`).',
    fix: 'Send a list (`list(gen)`), or the inputs to recreate the generator in the worker; make task functions return lists.',
    example: { bad: 'pool.apply_async(total, ((x * x for x in xs),))', good: 'pool.apply_async(total, ([x * x for x in xs],))' },
    silentWhen: 'The generator is the iterable passed to `map` (it is iterated in the parent); thread pools.',
  },
  {
    id: 'PAR008', name: 'ViewOrModuleInPayload', severity: 'error',
    title: 'Dict view or module object in a payload',
    explanation: '`dict.keys()`, `.values()` and `.items()` return views, and modules are module objects; neither can be pickled (`cannot pickle \'dict_keys\' object`, `cannot pickle \'module\' object`).',
    fix: 'Wrap views in `list(…)`; import the module inside the worker instead of passing it.',
    example: { bad: 'pool.apply_async(work, (d.keys(),))', good: 'pool.apply_async(work, (list(d.keys()),))' },
    silentWhen: 'The view is the iterable passed to `map`; thread pools.',
  },
  {
    id: 'PAR009', name: 'MultiprocessingObjectInPoolTask', severity: 'error',
    title: 'multiprocessing lock, queue or shared value passed in a pool task',
    explanation:
      '`multiprocessing` locks, semaphores, events, queues and `Value`/`Array` may only be shared by inheritance — as `Process(args=…)` or a pool\'s `initargs` — never inside a pool task: `RuntimeError: Lock objects should only be shared between processes through inheritance`.',
    fix: 'Pass it through the pool\'s `initializer`/`initargs` and keep it in a global of the worker, or use a `Manager()` proxy, which can be sent in tasks.',
    example: { bad: 'q = multiprocessing.Queue()\npool.apply_async(work, (q,))', good: 'def init(queue):\n    global q\n    q = queue\n\nPool(initializer=init, initargs=(q,))' },
    silentWhen: '`Process` arguments, pool `initargs`, Manager proxies, thread pools.',
  },
  {
    id: 'PAR010', name: 'MissingMainGuard', severity: 'error',
    title: 'Processes started at import time without a `__main__` guard',
    explanation:
      'With the spawn and forkserver start methods (Windows, macOS, and Linux from Python 3.14) each child re-imports the main module. Code that starts processes at import time then runs again in every child: `RuntimeError: An attempt has been made to start a new process before the current process has finished its bootstrapping phase`, and a pool respawns its workers endlessly.',
    fix: 'Put the code that starts processes under `if __name__ == "__main__":`. The quick fix wraps the statements from the first one to the end of the file when they define nothing a worker needs.',
    example: { bad: 'with Pool() as pool:\n    print(pool.map(work, data))', good: 'if __name__ == "__main__":\n    with Pool() as pool:\n        print(pool.map(work, data))' },
    silentWhen: 'The start method is fork.',
  },
  {
    id: 'PAR011', name: 'TaskDefinedUnderMainGuard', severity: 'error',
    title: 'Task function defined only inside the `__main__` block',
    explanation:
      'Under spawn and forkserver the child imports the main module as `__mp_main__`, so the `if __name__ == "__main__":` block does not run there and the function is missing: `AttributeError: Can\'t get attribute \'work\' on <module \'__mp_main__\'>`. A `Pool` then waits forever; an executor breaks (`BrokenProcessPool`).',
    fix: 'Define the function at module level, above the guard.',
    example: { bad: 'if __name__ == "__main__":\n    def work(x): ...\n    Pool().map(work, data)', good: 'def work(x): ...\n\nif __name__ == "__main__":\n    Pool().map(work, data)' },
    silentWhen: 'The start method is fork (the child inherits the function).',
  },
  {
    id: 'PAR012', name: 'UnrebuildableException', severity: 'warning',
    title: 'Exception raised in a worker that cannot be rebuilt from its `args`',
    explanation:
      'An exception raised in a worker is pickled as `(type, self.args)` and rebuilt in the parent with `type(*args)`. When `__init__` needs arguments that `super().__init__(…)` did not store in `args`, rebuilding fails (`TypeError: __init__() missing 1 required positional argument`), which kills the pool\'s result thread: `Pool` hangs forever and `ProcessPoolExecutor` breaks.',
    fix: 'Pass every `__init__` argument to `super().__init__(…)`, give the extra ones defaults, or define `__reduce__`.',
    example: { bad: 'class Bad(Exception):\n    def __init__(self, code, detail):\n        super().__init__(f"{code}: {detail}")', good: 'class Bad(Exception):\n    def __init__(self, code, detail):\n        super().__init__(code, detail)' },
    silentWhen: 'The exception is raised in the parent or in a thread pool.',
  },
  {
    id: 'PAR020', name: 'WorkerMutatesGlobal', severity: 'warning',
    title: 'Worker function mutates a module global — the parent never sees it',
    explanation:
      'Each worker process has its own copy of the module\'s globals. Appending to a global list or assigning a global in a worker changes that copy only; after `map()` the parent\'s list is still empty.',
    fix: 'Return the values from the task and combine them in the parent, or use a `multiprocessing.Manager()` container or a shared `Value`/`Array`.',
    example: { bad: 'results = []\ndef work(x):\n    results.append(x * x)', good: 'def work(x):\n    return x * x\n\nresults = pool.map(work, data)' },
    silentWhen: 'Thread pools; pool initializers (assigning globals there is the right pattern); globals only the workers read (a per-process cache); shared `Value`/`Array`/Manager objects.',
  },
  {
    id: 'PAR021', name: 'UnlockedSharedUpdate', severity: 'warning',
    title: 'Read-modify-write of a shared `Value`/`Array` without its lock',
    explanation:
      '`v.value += 1` reads, adds and writes back in separate steps; two processes interleave and updates are lost (4 processes × 20,000 increments ended at 35,608 instead of 80,000). The `Value`\'s own lock is not taken by `+=`.',
    fix: 'Wrap the update in `with v.get_lock():` (the quick fix does this).',
    example: { bad: 'counter.value += 1', good: 'with counter.get_lock():\n    counter.value += 1' },
    silentWhen: 'The update is already inside `with v.get_lock():`, `with v:` or another lock; `RawValue` and `lock=False` values (they have no lock to take).',
  },
  {
    id: 'PAR022', name: 'NestedManagerMutation', severity: 'warning',
    title: 'Nested mutation through a Manager proxy is not written back',
    explanation:
      'Indexing a `Manager().dict()` or `.list()` returns a *copy* of the stored value. `d[k].append(x)` or `d[k][i] = v` changes that copy, which is then thrown away; the shared value stays as it was.',
    fix: 'Read, modify and store back: `item = d[k]; item.append(x); d[k] = item` — or store nested Manager proxies.',
    example: { bad: "shared['items'].append(x)", good: "items = shared['items']\nitems.append(x)\nshared['items'] = items" },
    silentWhen: 'The stored values are themselves Manager proxies.',
  },
  {
    id: 'PAR023', name: 'SharedValueTypeCode', severity: 'warning',
    title: 'Invalid or overflow-prone `Value`/`Array` type code',
    explanation:
      '`Value` and `Array` store C types chosen by a type code. An unknown code fails (`TypeError: this type has no size`); a small type wraps silently: `Value("b")` set to 300 stores 44, `Value("i")` set to 2**31 stores -2147483648.',
    fix: 'Use a code from the table (hover a type code to see it) wide enough for the values: `"q"` for large counters, `"d"` for floats.',
    example: { bad: "hits = Value('b', 0)  # incremented up to 1000", good: "hits = Value('q', 0)" },
    silentWhen: 'The code is valid and wide enough for the values the file stores.',
  },
  {
    id: 'PAR030', name: 'CpuBoundThreadPool', severity: 'hint',
    title: 'Thread pool running CPU-bound pure-Python work',
    explanation:
      'Threads share one GIL: only one runs Python code at a time, so a thread pool running pure-Python arithmetic and loops gets no speedup (and often slows down). A process pool runs it on several cores.',
    fix: 'Use `ProcessPoolExecutor` (or `multiprocessing.Pool`) for this task; keep threads for I/O. `parascope sweep` measures both.',
    example: { bad: 'ThreadPoolExecutor().map(crunch, chunks)', good: 'ProcessPoolExecutor().map(crunch, chunks)' },
    silentWhen: 'The task does I/O or calls code Parascope cannot see into (which may release the GIL).',
  },
];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleDoc(id: string): RuleDoc | undefined {
  return BY_ID.get(id);
}

/** The explanation of a rule as Markdown (the editor shows it when a diagnostic's code is clicked). */
export function ruleMarkdown(id: string): string {
  const rule = BY_ID.get(id);
  if (!rule) return `# ${id}\n\nUnknown Parascope rule.\n`;
  return [
    `# ${rule.id} — ${rule.title}`,
    '',
    `Severity: **${rule.severity}**`,
    '',
    '## Why',
    '',
    rule.explanation,
    '',
    '## Fix',
    '',
    rule.fix,
    '',
    '```python',
    '# fails',
    rule.example.bad,
    '```',
    '',
    '```python',
    '# works',
    rule.example.good,
    '```',
    '',
    '## Silent when',
    '',
    rule.silentWhen,
    '',
  ].join('\n');
}
