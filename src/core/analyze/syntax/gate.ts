/**
 * Which top-level statements are worth parsing. A statement whose text names nothing parallel
 * (no pool, process, lock, shared value, lambda, file, `__main__`…) cannot hold a finding on its
 * own, so it is kept "shallow": only the names it binds at module level, read from its text.
 * If a rule later needs it (a shallow function turns out to be a pool task), the document
 * parses and lowers it then. The gate only decides *when* a statement is parsed, never what a
 * rule concludes.
 */
import type { Binding, ClassDef, Def, Expr, Scope, Top } from './ir';
import { numberValue, stringValue } from './literals';

/** Identifiers that make a statement worth parsing right away. */
const WORDS = new Set([
  'multiprocessing', 'concurrent', 'futures', 'threading', '_thread', 'Pool', 'ThreadPool', 'Executor', 'Process', 'Thread',
  'Timer', 'Value', 'Array', 'RawValue', 'RawArray', 'Lock', 'RLock', 'Event', 'Condition', 'Barrier', 'allocate_lock',
  'get_context', 'set_start_method', 'namedtuple', 'NamedTuple', 'get_lock', '__main__', 'h5py', 'sqlite3', 'gzip', 'bz2',
  'lzma', 'zipfile', 'ZipFile', 'tarfile', 'tempfile', 'mmap', 'ssl',
]);

/** Identifier endings that count too (`ProcessPoolExecutor`, `SyncManager`, `JoinableQueue`, `StreamHandler`…). */
const SUFFIXES = ['PoolExecutor', 'Manager', 'Semaphore', 'Queue', 'Handler'];

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Patterns that are not single identifiers. */
const PATTERNS = new RegExp(
  [
    String.raw`\bopen\s*\(|\bpartial\s*\(`,
    String.raw`|\.(?:map|imap|imap_unordered|starmap|map_async|starmap_async|apply|apply_async|submit)\b`,
    // A read-modify-write of some `.value` (PAR021): `v.value += 1`, `v.value = v.value + 1`.
    String.raw`|\.value\s*(?:[-+*/%&|^@]|<<|>>|\*\*|//)?=(?!=)`,
    // Python 2 signs (print/exec statements, `except E, e:`).
    String.raw`|^[ \t]*(?:print|exec)[ \t]+["'\w>\x60]|^[ \t]*except[ \t]+[\w.]+[ \t]*,[ \t]*\w+[ \t]*:`,
  ].join(''),
  'm',
);

/** True when the text holds a gate identifier (or one of `names`). One pass over its identifiers. */
function hasWord(text: string, names: ReadonlySet<string>): boolean {
  IDENTIFIER.lastIndex = 0;
  for (let m = IDENTIFIER.exec(text); m; m = IDENTIFIER.exec(text)) {
    const word = m[0];
    if (WORDS.has(word) || names.has(word)) return true;
    if (word.length >= 5) for (const suffix of SUFFIXES) if (word.endsWith(suffix)) return true;
  }
  return false;
}

function isStatic(text: string): boolean {
  return PATTERNS.test(text) || hasWord(text, NO_NAMES);
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** A lambda bound to a module-level name makes the name interesting too. */
const STATIC_MODULE_LEVEL = /\blambda\b/;

/**
 * Module-level statements other than definitions are parsed when small (they are few and cheap,
 * and their values and calls matter: `results = []`, `main()`); big ones (data tables) only
 * when the gate matches.
 */
const SMALL_STATEMENT = 2000;

const DEFINITION_START = /^(?:@|(?:async[ \t]+)?def\b|class\b)/;

/** Modules whose names, once imported, make every statement using them worth parsing. */
const RELEVANT_MODULE = /^(?:multiprocessing|concurrent|threading|_thread|functools|collections|typing|queue|logging|h5py|sqlite3|gzip|bz2|lzma|zipfile|tarfile|tempfile|mmap|ssl|io|socket|asyncio)(?:\.|$)/;

/** True when a value's text names something parallel (a module-level name bound to it joins the gate). */
export function isInterestingValue(text: string): boolean {
  return isStatic(text) || STATIC_MODULE_LEVEL.test(text);
}

/** Modules whose every use matters (`mp.Pool`, `cf.ProcessPoolExecutor`, `threading.Lock`…). */
const PARALLEL_MODULE = /^(?:multiprocessing|concurrent|threading|_thread|queue)(?:\.|$)/;

/**
 * Whether an import makes the name it binds worth gating on: any name imported *from* a module
 * of interest (`from h5py import File`), but of plain `import x` only the parallel modules (the
 * interesting parts of `collections` or `functools` are in the static gate already).
 */
export function isRelevantImport(module: string, name: string | null): boolean {
  return name === null ? PARALLEL_MODULE.test(module) : RELEVANT_MODULE.test(module);
}

export class Gate {
  private dynamic: ReadonlySet<string> = NO_NAMES;
  private names = '';
  /** Bumped whenever the dynamic names change (statements judged with an older version are re-judged). */
  version = 0;

  /** True when the statement should be parsed now. */
  isHot(text: string): boolean {
    if (PATTERNS.test(text) || hasWord(text, this.dynamic)) return true;
    return !DEFINITION_START.test(text) && (text.length < SMALL_STATEMENT || STATIC_MODULE_LEVEL.test(text));
  }

  /** Module-level names bound to something parallel; statements using them are parsed too. */
  setNames(names: Iterable<string>): boolean {
    const sorted = [...new Set(names)].filter((n) => /^[A-Za-z_]\w*$/.test(n)).sort();
    const key = sorted.join('|');
    if (key === this.names) return false;
    this.names = key;
    this.dynamic = new Set(sorted);
    this.version += 1;
    return true;
  }
}

const DEF = /^(?:@[^\n]*\n\s*)*(async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/;
const CLASS = /^(?:@[^\n]*\n\s*)*class[ \t]+([A-Za-z_]\w*)/;
const ASSIGN = /^([A-Za-z_][\w \t,]*?)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*([^\n]*)/;
const CONSTANT = /^(None|True|False|-?\d[\w.]*|[rRuU]?(['"])[^'"\n\\]*\2)\s*(?:#.*)?$/;

/** A statement kept shallow: what it binds at module level, read from its text. */
export function shallowTop(text: string, base: number, moduleScope: Scope): Top {
  const top: Top = {
    base, text, depth: 'shallow', head: 'other', body: [], moduleBindings: new Map(), calls: [], updates: [], itemStores: [],
    defs: [], classes: [], python2: null, syntaxError: null, isMainGuard: false, gateVersion: 0,
  };
  const def = DEF.exec(text);
  if (def) {
    top.head = 'def';
    const stub: Def = {
      top, s: 0, e: text.length, k: 'def', name: def[2], params: [], decorators: [], headStart: 0, body: [],
      isAsync: Boolean(def[1]), scope: childScope('function', moduleScope), yields: false, returns: [], raises: [], loops: 0,
      calls: [], reads: new Set(), mutations: [], shallow: true,
    };
    stub.scope.owner = stub;
    top.defs.push(stub);
    bind(top, stub.name, { k: 'def', def: stub, node: stub, guarded: false });
    return top;
  }
  const cls = CLASS.exec(text);
  if (cls) {
    top.head = 'class';
    const stub: ClassDef = {
      top, s: 0, e: text.length, k: 'class', name: cls[1], bases: [], keywords: [], decorators: [], body: [],
      scope: childScope('class', moduleScope), attrs: new Map(), methods: new Map(), shallow: true,
    };
    stub.scope.owner = stub;
    top.classes.push(stub);
    bind(top, stub.name, { k: 'class', cls: stub, node: stub, guarded: false });
    return top;
  }
  if (/^(?:import|from)\b/.test(text)) top.head = 'import';
  const assign = ASSIGN.exec(text);
  if (assign && !/^(?:if|for|while|with|try|def|class|return|del|assert|raise|print|import|from)\b/.test(assign[1])) {
    const names = assign[1].split(',').map((n) => n.trim()).filter((n) => /^[A-Za-z_]\w*$/.test(n));
    const constant = names.length === 1 ? CONSTANT.exec(assign[2].trim()) : null;
    const value = constant ? constantExpr(top, constant[1], text.length) : null;
    for (const name of names) {
      const node = { top, s: 0, e: text.length };
      const binding: Binding = value
        ? { k: 'assign', value, node, whole: true, guarded: false, scope: moduleScope }
        : { k: 'other', node, guarded: false };
      bind(top, name, binding);
    }
  }
  return top;
}

/** A literal on the right of a shallow assignment (`METHOD = "spawn"`, `N = 4`, `X = None`). */
function constantExpr(top: Top, text: string, end: number): Expr {
  if (text === 'None' || text === 'True' || text === 'False') return { top, s: 0, e: end, t: 'const', value: text };
  if (/^[-\d]/.test(text)) return { top, s: 0, e: end, t: 'num', value: numberValue(text) };
  return { top, s: 0, e: end, t: 'str', value: stringValue(text) };
}

function childScope(kind: 'function' | 'class', parent: Scope): Scope {
  return { kind, parent, bindings: new Map(), globals: null, nonlocals: null, owner: null };
}

function bind(top: Top, name: string, binding: Binding): void {
  const list = top.moduleBindings.get(name);
  if (list) list.push(binding);
  else top.moduleBindings.set(name, [binding]);
}
