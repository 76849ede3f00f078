/**
 * One analysis pass over a document: the module scope, name resolution, the start method, and
 * the parallel operations found among the calls (pool tasks, pool and process creation, shared
 * values…). Rules read this view. A pass that needs a shallow statement (a task function not
 * parsed yet) marks it in `needs`; the analyzer parses those and runs another pass.
 */
import type { StartMethod } from '../report/model';
import type { ParsedDocument } from './document';
import { MP_SHARED, OPERATION_NAMES, POOL_METHODS } from './resolve/known';
import { Resolver, type CallSite, type ResolverHost, type Value } from './resolve/values';
import type { Call, ClassDef, Def, Expr, KeywordExpr, Lambda, Scope, Top } from './syntax/ir';

export interface AnalyzeOptions {
  /** Shown in findings (`file`). */
  fileName?: string;
  /** The start method to assume when the file sets none (setting / `--start-method`); null = platform default. */
  startMethod?: StartMethod | null;
  /** Python version to assume, `3.X` (`--python-version`; the editor's interpreter); null = 3.12. */
  pythonVersion?: string | null;
  /** `process.platform` of the machine the code will run on; defaults to this one. */
  platform?: string;
}

export type PoolValue = Extract<Value, { v: 'pool' }>;

/** A call that sends work to a pool: `pool.map(f, xs)`, `executor.submit(f, x)`… */
export interface TaskOp {
  kind: 'task';
  call: Call;
  /** The method called (`map`, `imap_unordered`, `submit`…) and what it pickles. */
  method: string;
  shape: 'map' | 'starmap' | 'apply' | 'submit';
  /** Every pool the receiver may be. */
  pools: PoolValue[];
}

/** Creation of a pool, a process or thread, a manager, a shared value; `set_start_method`; `p.start()`. */
export interface CreateOp {
  kind: 'pool' | 'process' | 'thread' | 'manager' | 'shared' | 'set-method' | 'start';
  call: Call;
  /** For pools: the pools created. For shared values: the constructor's name (`Value`, `Array`…). */
  pools: PoolValue[];
  name: string;
  /** Start method given by a context (`ctx.Process`, `get_context("spawn").Pool`), or `set_start_method`'s. */
  startMethod: StartMethod | null;
}

export type Op = TaskOp | CreateOp;

export class ModuleView implements ResolverHost {
  readonly resolver: Resolver;
  readonly needs = new Set<Top>();
  readonly moduleScope: Scope;
  private opsCache: Op[] | null = null;
  private sites: Map<Def | Lambda, CallSite[]> | null = null;
  private fileMethodsCache: StartMethod[] | null = null;
  private workersCache: Map<Def, Op> | null = null;
  private initializersCache: Set<Def> | null = null;
  private opByCall: Map<Call, Op> | null = null;

  constructor(readonly doc: ParsedDocument, readonly options: AnalyzeOptions) {
    // The document keeps the module scope's bindings up to date as statements change.
    this.moduleScope = doc.moduleScope;
    this.resolver = new Resolver(this);
  }

  get tops(): readonly Top[] {
    return this.doc.statements;
  }

  need(node: Def | ClassDef): boolean {
    if (!node.shallow) return true;
    this.needs.add(node.top);
    return false;
  }

  sitesOf(fn: Def | Lambda): readonly CallSite[] {
    if (!this.sites) this.classify();
    return this.sites?.get(fn) ?? [];
  }

  values(expr: Expr, scope: Scope): Value[] {
    return this.resolver.values(expr, scope);
  }

  /** Every parallel operation in the module, in source order. */
  ops(): readonly Op[] {
    if (!this.opsCache) this.classify();
    return this.opsCache ?? [];
  }

  // ── start method ────────────────────────────────────────────────────────────────────────────

  /** Methods passed to `set_start_method` in the file. */
  fileMethods(): StartMethod[] {
    if (!this.fileMethodsCache) {
      const methods: StartMethod[] = [];
      for (const op of this.ops()) {
        if (op.kind === 'set-method' && op.startMethod) methods.push(op.startMethod);
      }
      this.fileMethodsCache = [...new Set(methods)];
    }
    return this.fileMethodsCache;
  }

  /** Python version as [major, minor]; 3.12 when unknown. */
  version(): [number, number] {
    const m = /^(\d+)\.(\d+)/.exec(this.options.pythonVersion ?? '');
    return m ? [Number(m[1]), Number(m[2])] : [3, 12];
  }

  /** The start method a platform and Python version use by default. */
  defaultMethod(): StartMethod {
    const platform = this.options.platform ?? process.platform;
    if (platform === 'win32' || platform === 'darwin') return 'spawn';
    const [major, minor] = this.version();
    return major > 3 || (major === 3 && minor >= 14) ? 'forkserver' : 'fork';
  }

  /** Start methods a process created with `explicit` (from a context) may use. */
  methodsFor(explicit: StartMethod | null): StartMethod[] {
    if (explicit) return [explicit];
    const file = this.fileMethods();
    if (file.length) return file;
    return [this.options.startMethod ?? this.defaultMethod()];
  }

  /** The start method of the file as a whole, and where it came from. */
  fileStartMethod(): { method: StartMethod; source: 'file' | 'setting' | 'default' } {
    const file = this.fileMethods();
    if (file.length === 1) return { method: file[0], source: 'file' };
    if (this.options.startMethod) return { method: this.options.startMethod, source: 'setting' };
    return { method: this.defaultMethod(), source: 'default' };
  }

  /** True when nothing pickles `Process` arguments and initializers (fork), for every possible method. */
  isForkOnly(explicit: StartMethod | null): boolean {
    return this.methodsFor(explicit).every((m) => m === 'fork');
  }

  /** True when every possible method pickles them (spawn / forkserver). */
  isSpawnLike(explicit: StartMethod | null): boolean {
    return this.methodsFor(explicit).every((m) => m !== 'fork');
  }

  /** The function a task call, `Process`/`Thread` or pool initializer runs (its expression). */
  functionOf(op: Op): Expr | undefined {
    const call = op.call;
    switch (op.kind) {
      case 'task':
        return call.args[0] ?? keyword(call, 'func', -1) ?? keyword(call, 'fn', -1);
      case 'process':
      case 'thread':
        return keyword(call, 'target', 1);
      case 'pool':
        return keyword(call, 'initializer', op.pools[0]?.api === 'Pool' || op.pools[0]?.api === 'ThreadPool' ? 1 : 2);
      default:
        return undefined;
    }
  }

  /** Module functions (defs) an expression may be: `f`, `partial(f, …)`; lambdas and unknowns are skipped. */
  defsOf(expr: Expr | undefined, scope: Scope): Def[] {
    if (!expr) return [];
    const out: Def[] = [];
    for (const value of this.resolver.values(expr, scope)) {
      if (value.v === 'def') out.push(value.def);
      else if (value.v === 'partial' && value.call.args[0]) out.push(...this.defsOf(value.call.args[0], value.call.scope));
    }
    return out;
  }

  /**
   * Functions that run in another process: process/interpreter pool tasks and `Process` targets,
   * with the operation that sends them. Pool initializers are kept apart (`initializers`).
   */
  workers(): Map<Def, Op> {
    if (this.workersCache) return this.workersCache;
    const workers = new Map<Def, Op>();
    const initializers = new Set<Def>();
    for (const op of this.ops()) {
      const processLike = (op.kind === 'task' && op.pools.every((p) => p.kind !== 'thread')) || op.kind === 'process';
      if (processLike) for (const def of this.defsOf(this.functionOf(op), op.call.scope)) if (!workers.has(def)) workers.set(def, op);
      if (op.kind === 'pool') for (const def of this.defsOf(this.functionOf(op), op.call.scope)) initializers.add(def);
    }
    this.workersCache = workers;
    this.initializersCache = initializers;
    return workers;
  }

  initializers(): Set<Def> {
    this.workers();
    return this.initializersCache ?? new Set();
  }

  /** The operation a call is, if it is one. */
  opAt(call: Call): Op | undefined {
    if (!this.opByCall) {
      this.opByCall = new Map();
      for (const op of this.ops()) this.opByCall.set(op.call, op);
    }
    return this.opByCall.get(call);
  }

  // ── classification ──────────────────────────────────────────────────────────────────────────

  private classify(): void {
    const ops: Op[] = [];
    const sites = new Map<Def | Lambda, CallSite[]>();
    this.opsCache = ops;
    this.sites = sites;
    /** `fnExpr` (evaluated in `scope`) is called with `args` (evaluated in `argScope`, default `scope`). */
    const addSite = (fnExpr: Expr | undefined, scope: Scope, args: Expr[], keywords: KeywordExpr[], argScope: Scope = scope) => {
      if (!fnExpr) return;
      for (const value of this.resolver.values(fnExpr, scope)) {
        const fn = value.v === 'def' ? value.def : value.v === 'lambda' ? value.fn : null;
        if (!fn) continue;
        const list = sites.get(fn);
        const site = { args, keywords, scope: argScope };
        if (list) list.push(site);
        else sites.set(fn, [site]);
      }
    };
    // First the direct calls `f(a, b)` of functions of the module, by name lookup only: evaluating
    // anything now could see a parameter before all its call sites are known.
    for (const top of this.tops) {
      for (const call of top.calls) {
        if (call.fn.t !== 'name') continue;
        for (const b of this.resolver.lookup(call.fn.id, call.scope) ?? []) {
          const fn = b.k === 'def' ? b.def : b.k === 'assign' && b.whole && b.value.t === 'lambda' ? b.value : null;
          if (!fn) continue;
          const list = sites.get(fn);
          const site = { args: call.args, keywords: call.keywords, scope: call.scope };
          if (list) list.push(site);
          else sites.set(fn, [site]);
        }
      }
    }
    for (const top of this.tops) {
      for (const call of top.calls) {
        const fn = call.fn;
        if (fn.t === 'attr' ? !OPERATION_NAMES.has(fn.attr) : fn.t !== 'name') continue;
        // A builtin (`len`, `sorted`…) is never a parallel operation nor a call site of ours.
        if (fn.t === 'name' && !OPERATION_NAMES.has(fn.id) && !this.resolver.lookup(fn.id, call.scope)) continue;
        const callees = this.resolver.values(call.fn, call.scope);
        const pools: PoolValue[] = [];
        let taskMethod = '';
        for (const callee of callees) {
          if (callee.v === 'def' || callee.v === 'lambda') {
            // Direct calls were recorded above, unless the callee was reached another way (`mod.f`, an alias).
            if (call.fn.t !== 'name') addSite(call.fn, call.scope, call.args, call.keywords);
            break;
          }
          if (callee.v === 'method') {
            if (callee.of.v === 'pool' && POOL_METHODS[callee.name]) {
              pools.push(callee.of);
              taskMethod = callee.name;
            } else if (callee.name === 'start' && callee.of.v === 'process') {
              ops.push({ kind: 'start', call, pools: [], name: 'start', startMethod: callee.of.method });
            }
            continue;
          }
          if (callee.v !== 'symbol') continue;
          const created = this.resolver.callValues(call);
          const name = callee.name;
          if (created.some((v) => v.v === 'pool')) {
            const made = created.filter((v): v is PoolValue => v.v === 'pool');
            ops.push({ kind: 'pool', call, pools: made, name: made[0].api, startMethod: made[0].method });
            addSite(keyword(call, 'initializer', made[0].api === 'Pool' ? 1 : 2), call.scope, seqItems(keyword(call, 'initargs', made[0].api === 'Pool' ? 2 : 3)), []);
          } else if (name === 'multiprocessing.Process' || name === 'threading.Thread') {
            const kind = name === 'threading.Thread' ? 'thread' : 'process';
            ops.push({ kind, call, pools: [], name: kind === 'thread' ? 'Thread' : 'Process', startMethod: callee.method ?? null });
            this.processSites(call, sites);
          } else if (name === 'multiprocessing.Manager') {
            ops.push({ kind: 'manager', call, pools: [], name: 'Manager', startMethod: callee.method ?? null });
          } else if (MP_SHARED[name] && /\.(?:Raw)?(?:Value|Array)$/.test(name)) {
            ops.push({ kind: 'shared', call, pools: [], name: name.slice(name.lastIndexOf('.') + 1), startMethod: null });
          } else if (name === 'multiprocessing.set_start_method') {
            ops.push({ kind: 'set-method', call, pools: [], name: 'set_start_method', startMethod: this.resolver.methodArgument(call) });
          } else if (name === 'functools.partial') {
            addSite(call.args[0], call.scope, call.args.slice(1).concat(openEnded(call)), call.keywords);
          }
          break;
        }
        if (pools.length && pools.length === callees.filter((c) => c.v !== 'const').length) {
          const op: TaskOp = { kind: 'task', call, method: taskMethod, shape: POOL_METHODS[taskMethod], pools };
          ops.push(op);
          this.taskSites(op, addSite);
        }
      }
    }
      // Values computed while call sites were still being collected may have missed some.
    this.resolver.reset();
  }

  /**
   * Call sites a `Process(target=…, args=…)` gives its target. Inside a function whose parameters
   * feed them (a `run_all(target, args_list)` helper), each call of that function is followed on
   * its own, so targets and arguments from different calls are not mixed up.
   */
  private processSites(call: Call, sites: Map<Def | Lambda, CallSite[]>): void {
    const target = keyword(call, 'target', 1);
    const argsExpr = keyword(call, 'args', 3);
    const kwargs = keyword(call, 'kwargs', 4);
    const keywords = kwargs?.t === 'dict' ? dictKeywords(kwargs) : [];
    if (!target) return;
    let owner: Scope | null = call.scope;
    while (owner && (owner.kind === 'comprehension' || owner.kind === 'lambda')) owner = owner.parent;
    const wrapper = owner?.kind === 'function' ? (owner.owner as Def) : null;
    const wrapperSites = wrapper ? sites.get(wrapper) ?? [] : [];
    const resolvers = wrapper && wrapperSites.length > 0 && wrapperSites.length <= 16
      ? wrapperSites.map((site) => new Resolver(this, new Map([[wrapper as Def | Lambda, site]])))
      : [this.resolver];
    for (const resolver of resolvers) {
      for (const value of resolver.values(target, call.scope)) {
        const fn = value.v === 'def' ? value.def : value.v === 'lambda' ? value.fn : null;
        if (!fn) continue;
        for (const { args, scope } of this.argumentTuples(argsExpr, call.scope, resolver)) {
          const list = sites.get(fn);
          const site = { args, keywords, scope };
          if (list) list.push(site);
          else sites.set(fn, [site]);
        }
      }
    }
  }

  /**
   * The argument tuples an `args=` expression may be: its items when written in place, the items
   * of each tuple a name (or loop variable) may hold, else one open-ended tuple.
   */
  private argumentTuples(expr: Expr | undefined, scope: Scope, resolver: Resolver = this.resolver): { args: Expr[]; scope: Scope }[] {
    if (!expr || expr.t === 'tuple' || expr.t === 'list') return [{ args: seqItems(expr), scope }];
    const tuples: { args: Expr[]; scope: Scope }[] = [];
    for (const value of resolver.values(expr, scope)) {
      if (value.v === 'display' && (value.expr.t === 'tuple' || value.expr.t === 'list')) tuples.push({ args: value.expr.items, scope: value.scope });
      else if (value.v !== 'const') return [{ args: seqItems(expr), scope }];
    }
    return tuples.length ? tuples : [{ args: seqItems(expr), scope }];
  }

  /** What a task call passes to its function's parameters. */
  private taskSites(op: TaskOp, addSite: (fn: Expr | undefined, scope: Scope, args: Expr[], keywords: KeywordExpr[]) => void): void {
    const call = op.call;
    const fn = call.args[0] ?? keyword(call, 'func', -1) ?? keyword(call, 'fn', -1);
    switch (op.shape) {
      case 'map':
        for (const iterable of call.args.slice(1, op.pools[0].api === 'Pool' || op.pools[0].api === 'ThreadPool' ? 2 : undefined)) {
          const items = elementsOf(iterable);
          if (!items.length) addSite(fn, call.scope, openEnded(call), []);
          for (const item of items) addSite(fn, item.scope ?? call.scope, [item.expr], []);
        }
        break;
      case 'starmap': {
        const items = elementsOf(call.args[1] ?? keyword(call, 'iterable', -1));
        if (!items.length) addSite(fn, call.scope, openEnded(call), []);
        for (const item of items) addSite(fn, item.scope ?? call.scope, seqItems(item.expr), []);
        break;
      }
      case 'apply': {
        const kwds = call.args[2] ?? keyword(call, 'kwds', -1);
        addSite(fn, call.scope, seqItems(call.args[1] ?? keyword(call, 'args', -1)), kwds?.t === 'dict' ? dictKeywords(kwds) : []);
        break;
      }
      case 'submit':
        addSite(fn, call.scope, call.args.slice(1), call.keywords);
        break;
    }
  }
}

/** A keyword argument, or the positional argument at `index` (-1: keyword only). */
export function keyword(call: Call, name: string, index: number): Expr | undefined {
  const kw = call.keywords.find((k) => k.name === name);
  if (kw) return kw.value;
  if (index < 0 || index >= call.args.length) return undefined;
  if (call.args.slice(0, index + 1).some((a) => a.t === 'star')) return undefined;
  return call.args[index];
}

/** Items of a tuple/list display (`args=(a, b)`), else nothing known. */
export function seqItems(expr: Expr | undefined): Expr[] {
  if (!expr) return [];
  if (expr.t === 'tuple' || expr.t === 'list') return expr.items;
  return [{ top: expr.top, s: expr.s, e: expr.e, t: 'star', value: expr }];
}

function dictKeywords(dict: Extract<Expr, { t: 'dict' }>): KeywordExpr[] {
  const out: KeywordExpr[] = [];
  dict.keys.forEach((key, i) => {
    const value = dict.values[i];
    out.push({ top: value.top, s: value.s, e: value.e, t: 'keyword', name: key?.t === 'str' ? key.value : null, value });
  });
  return out;
}

/** A `*rest` placeholder: more arguments may follow (their values are unknown). */
function openEnded(call: Call): Expr[] {
  return [{ top: call.top, s: call.e, e: call.e, t: 'star', value: { top: call.top, s: call.e, e: call.e, t: 'const', value: 'None' } }];
}

/**
 * The elements of an iterable written in place (`[a, b]`, `[f(x) for x in xs]`), with the scope
 * they are evaluated in (null: the enclosing one). Empty when the iterable is not a display.
 */
export function elementsOf(iterable: Expr | undefined): { expr: Expr; scope: Scope | null }[] {
  if (!iterable) return [];
  if (iterable.t === 'list' || iterable.t === 'tuple' || iterable.t === 'set') {
    return iterable.items.filter((item) => item.t !== 'star').map((expr) => ({ expr, scope: null }));
  }
  if (iterable.t === 'listcomp' || iterable.t === 'setcomp' || iterable.t === 'genexp') return [{ expr: iterable.elt, scope: iterable.scope }];
  return [];
}
