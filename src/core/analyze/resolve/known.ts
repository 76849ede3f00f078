/**
 * What the analyzer knows about the standard library (and h5py): which qualified names create
 * pools, processes, shared objects, locks, files… Names are normalized first, so that
 * `multiprocessing.pool.Pool`, `multiprocessing.context.SpawnContext().Pool` and
 * `from multiprocessing import Pool as P; P` all land on `multiprocessing.Pool`.
 */
import type { PoolKind } from './values';

const ALIASES: [RegExp, string][] = [
  [/^multiprocessing\.(?:context|synchronize|queues|sharedctypes|process|connection)\./, 'multiprocessing.'],
  [/^multiprocessing\.managers\.SyncManager$/, 'multiprocessing.Manager'],
  [/^multiprocessing\.pool\.Pool$/, 'multiprocessing.Pool'],
  [/^multiprocessing\.dummy\.Pool$/, 'multiprocessing.pool.ThreadPool'],
  [/^multiprocessing\.dummy\.Process$/, 'threading.Thread'],
  [/^concurrent\.futures\.(?:process|thread|interpreter|_base)\./, 'concurrent.futures.'],
  [/^logging\.handlers\./, 'logging.'],
  [/^_thread\.(?:allocate_lock|allocate|LockType|RLock)$/, 'threading.Lock'],
  [/^io\.open$/, 'builtins.open'],
  [/^queue\.(?:LifoQueue|PriorityQueue|SimpleQueue)$/, 'queue.Queue'],
];

const normalized = new Map<string, string>();

export function normalize(name: string): string {
  let out = normalized.get(name);
  if (out === undefined) {
    out = name;
    for (const [pattern, replacement] of ALIASES) {
      if (pattern.test(name)) {
        out = name.replace(pattern, replacement);
        break;
      }
    }
    if (normalized.size < 10_000) normalized.set(name, out);
  }
  return out;
}

/** Pool constructors: qualified name → kind and API label. */
export const POOLS: Record<string, { kind: PoolKind; api: string }> = {
  'multiprocessing.Pool': { kind: 'process', api: 'Pool' },
  'multiprocessing.pool.ThreadPool': { kind: 'thread', api: 'ThreadPool' },
  'concurrent.futures.ProcessPoolExecutor': { kind: 'process', api: 'ProcessPoolExecutor' },
  'concurrent.futures.ThreadPoolExecutor': { kind: 'thread', api: 'ThreadPoolExecutor' },
  'concurrent.futures.InterpreterPoolExecutor': { kind: 'interpreter', api: 'InterpreterPoolExecutor' },
};

/** Objects that hold a thread lock (cannot be pickled): label shown in messages. */
export const THREAD_LOCKS: Record<string, string> = {
  'threading.Lock': 'threading.Lock',
  'threading.RLock': 'threading.RLock',
  'threading.Condition': 'threading.Condition',
  'threading.Event': 'threading.Event',
  'threading.Semaphore': 'threading.Semaphore',
  'threading.BoundedSemaphore': 'threading.BoundedSemaphore',
  'threading.Barrier': 'threading.Barrier',
  'threading.local': 'threading.local',
  'queue.Queue': 'queue.Queue',
  'logging.Handler': 'logging handler',
  'logging.StreamHandler': 'logging.StreamHandler',
  'logging.FileHandler': 'logging.FileHandler',
  'logging.RotatingFileHandler': 'logging.RotatingFileHandler',
  'logging.TimedRotatingFileHandler': 'logging.TimedRotatingFileHandler',
  'logging.WatchedFileHandler': 'logging.WatchedFileHandler',
  'logging.SocketHandler': 'logging.SocketHandler',
  'logging.SysLogHandler': 'logging.SysLogHandler',
  'logging.MemoryHandler': 'logging.MemoryHandler',
  'logging.QueueHandler': 'logging.QueueHandler',
  'logging.HTTPHandler': 'logging.HTTPHandler',
  'logging.SMTPHandler': 'logging.SMTPHandler',
};

export const THREADS = new Set(['threading.Thread', 'threading.Timer']);

/** Open files and native handles (cannot be pickled): label shown in messages. */
export const FILES: Record<string, string> = {
  'builtins.open': 'an open file',
  'codecs.open': 'an open file',
  'os.fdopen': 'an open file',
  'gzip.open': 'an open gzip file',
  'gzip.GzipFile': 'an open gzip file',
  'bz2.open': 'an open bz2 file',
  'bz2.BZ2File': 'an open bz2 file',
  'lzma.open': 'an open lzma file',
  'lzma.LZMAFile': 'an open lzma file',
  'tarfile.open': 'an open tar file',
  'tarfile.TarFile': 'an open tar file',
  'zipfile.ZipFile': 'an open zip file',
  'h5py.File': 'an open h5py.File',
  'sqlite3.connect': 'a sqlite3 connection',
  'tempfile.TemporaryFile': 'an open temporary file',
  'tempfile.NamedTemporaryFile': 'an open temporary file',
  'tempfile.SpooledTemporaryFile': 'an open temporary file',
  'io.FileIO': 'an open file',
  'io.BufferedReader': 'an open file',
  'io.BufferedWriter': 'an open file',
  'io.TextIOWrapper': 'an open file',
  'mmap.mmap': 'a memory map',
  'ssl.create_default_context': 'an SSL context',
  'ssl.SSLContext': 'an SSL context',
  'shelve.open': 'an open shelve',
  'dbm.open': 'an open dbm file',
};

/** multiprocessing objects that may only be shared by inheritance. */
export const MP_SHARED: Record<string, { label: string; lockable: boolean }> = {
  'multiprocessing.Lock': { label: 'multiprocessing.Lock', lockable: false },
  'multiprocessing.RLock': { label: 'multiprocessing.RLock', lockable: false },
  'multiprocessing.Semaphore': { label: 'multiprocessing.Semaphore', lockable: false },
  'multiprocessing.BoundedSemaphore': { label: 'multiprocessing.BoundedSemaphore', lockable: false },
  'multiprocessing.Condition': { label: 'multiprocessing.Condition', lockable: false },
  'multiprocessing.Event': { label: 'multiprocessing.Event', lockable: false },
  'multiprocessing.Barrier': { label: 'multiprocessing.Barrier', lockable: false },
  'multiprocessing.Queue': { label: 'multiprocessing.Queue', lockable: false },
  'multiprocessing.SimpleQueue': { label: 'multiprocessing.SimpleQueue', lockable: false },
  'multiprocessing.JoinableQueue': { label: 'multiprocessing.JoinableQueue', lockable: false },
  'multiprocessing.Value': { label: 'multiprocessing.Value', lockable: true },
  'multiprocessing.Array': { label: 'multiprocessing.Array', lockable: true },
  'multiprocessing.RawValue': { label: 'multiprocessing.RawValue', lockable: false },
  'multiprocessing.RawArray': { label: 'multiprocessing.RawArray', lockable: false },
};

/** Methods of a multiprocessing context (or the module) that create the objects above. */
export const CONTEXT_METHODS = new Set([
  'Pool', 'Process', 'Manager', 'Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'Event', 'Barrier',
  'Queue', 'SimpleQueue', 'JoinableQueue', 'Value', 'Array', 'RawValue', 'RawArray', 'get_context', 'set_start_method',
]);

/**
 * Method names a call must end with to be a parallel operation (`pool.map`, `p.start()`,
 * `mp.Pool()`, `ctx.Value()`…); calls of other methods (`row.get`, `out.append`) are skipped
 * when classifying. Calls of plain names are always looked at.
 */
export const OPERATION_NAMES = new Set([
  'map', 'imap', 'imap_unordered', 'map_async', 'starmap', 'starmap_async', 'apply', 'apply_async', 'submit', 'start',
  'Pool', 'ThreadPool', 'ProcessPoolExecutor', 'ThreadPoolExecutor', 'InterpreterPoolExecutor', 'Process', 'Thread', 'Timer',
  'Manager', 'SyncManager', 'Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'Event', 'Barrier', 'Queue',
  'SimpleQueue', 'JoinableQueue', 'Value', 'Array', 'RawValue', 'RawArray', 'get_context', 'set_start_method', 'partial',
]);

/** Manager methods returning proxies whose nested values are copies. */
export const MANAGER_CONTAINERS = new Set(['dict', 'list', 'Namespace']);

/** Pool methods that send a task, with what they pickle. */
export const POOL_METHODS: Record<string, 'map' | 'starmap' | 'apply' | 'submit'> = {
  map: 'map',
  imap: 'map',
  imap_unordered: 'map',
  map_async: 'map',
  starmap: 'starmap',
  starmap_async: 'starmap',
  apply: 'apply',
  apply_async: 'apply',
  submit: 'submit',
};

export const START_METHODS = ['fork', 'spawn', 'forkserver'] as const;

/** Builtins that do only pure-Python work on their arguments (for the CPU-bound heuristic). */
export const PURE_BUILTINS = new Set([
  'abs', 'all', 'any', 'bin', 'bool', 'divmod', 'enumerate', 'filter', 'float', 'hash', 'hex', 'int', 'isinstance', 'len',
  'list', 'dict', 'set', 'tuple', 'frozenset', 'map', 'max', 'min', 'oct', 'ord', 'chr', 'pow', 'range', 'reversed', 'round',
  'sorted', 'str', 'sum', 'zip', 'complex', 'bytearray',
]);

/** Modules whose functions are pure-Python CPU work (math holds the GIL for its short calls). */
export const PURE_MODULES = new Set(['math', 'cmath', 'operator', 'itertools', 'functools', 'statistics', 'fractions', 'decimal', 'random', 'bisect', 'heapq']);

/** Methods of builtin containers and numbers that are pure CPU work. */
export const PURE_METHODS = new Set([
  'append', 'extend', 'insert', 'pop', 'add', 'update', 'get', 'setdefault', 'items', 'keys', 'values', 'count', 'index',
  'sort', 'reverse', 'copy', 'split', 'join', 'strip', 'lower', 'upper', 'replace', 'startswith', 'endswith', 'format',
  'bit_length', 'is_integer', 'real', 'imag', 'conjugate',
]);
