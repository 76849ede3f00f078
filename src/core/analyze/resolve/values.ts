/**
 * Name resolution and abstract values: what an expression may evaluate to, as far as the rules
 * care (a process pool, a threading.Lock, a lambda, a function nested in another, an open file…).
 *
 * Resolution follows Python's scoping (local → enclosing functions → module → builtins; class
 * bodies are not visible from their methods; `global`/`nonlocal` honoured) and is
 * flow-insensitive: a name bound several times may hold any of its values, and rules judge all
 * of them (a lambda sent to a pool that may be a thread pool is not reported).
 *
 * Parameters get the values their call sites pass (direct calls, `Process(target=…, args=…)`,
 * pool tasks, `initializer`/`initargs`, `functools.partial`), one module deep.
 */
import type { StartMethod } from '../../report/model';
import type {
  Binding, Call, ClassDef, CompExpr, Def, DictExpr, Expr, KeywordExpr, Lambda, Param, Scope, SeqExpr, Span,
} from '../syntax/ir';
import { FILES, MANAGER_CONTAINERS, MP_SHARED, POOLS, THREAD_LOCKS, THREADS, CONTEXT_METHODS, START_METHODS, normalize } from './known';

export type PoolKind = 'process' | 'thread' | 'interpreter';

export type Value =
  | { v: 'unknown' }
  | { v: 'const'; str?: string }
  | { v: 'module'; name: string }
  | { v: 'symbol'; name: string; method: StartMethod | null | undefined }
  | { v: 'context'; method: StartMethod | null }
  | { v: 'pool'; kind: PoolKind; api: string; method: StartMethod | null; at: Span }
  | { v: 'process'; method: StartMethod | null; at: Call }
  | { v: 'thread'; at: Expr }
  | { v: 'manager'; at: Call }
  | { v: 'proxy'; container: boolean; at: Call }
  | { v: 'threadlock'; label: string; at: Expr }
  | { v: 'file'; label: string; at: Expr }
  | { v: 'mpshared'; label: string; lockable: boolean; at: Call }
  | { v: 'generator'; label: string; at: Expr }
  | { v: 'view'; at: Expr }
  | { v: 'def'; def: Def }
  | { v: 'lambda'; fn: Lambda }
  | { v: 'class'; cls: ClassDef }
  | { v: 'instance'; cls: ClassDef; at: Span }
  | { v: 'bound'; def: Def; cls: ClassDef; self: Value[] }
  | { v: 'partial'; call: Call }
  | { v: 'ntclass'; typename: string; at: Call }
  | { v: 'ntinstance'; typename: string; binding: string; at: Expr }
  | { v: 'display'; expr: SeqExpr | DictExpr | CompExpr; scope: Scope }
  | { v: 'method'; of: Value; name: string };

const UNKNOWN: Value = { v: 'unknown' };
const CONST: Value = { v: 'const' };
const MAX_VALUES = 12;
const MAX_DEPTH = 24;

/** Known submodules (`from multiprocessing import pool` binds a module, not a class). */
const SUBMODULES = new Set([
  'multiprocessing.pool', 'multiprocessing.dummy', 'multiprocessing.managers', 'multiprocessing.sharedctypes',
  'multiprocessing.shared_memory', 'multiprocessing.connection', 'concurrent.futures', 'logging.handlers', 'os.path',
]);

/** A place where a function is called with known arguments. */
export interface CallSite {
  args: Expr[];
  keywords: KeywordExpr[];
  scope: Scope;
}

export interface ResolverHost {
  /** The module scope's bindings for this analysis. */
  moduleScope: Scope;
  /** Marks a shallow definition as needed (it is parsed for the next round); false while it is shallow. */
  need(node: Def | ClassDef): boolean;
  /** Call sites of a function defined in the module. */
  sitesOf(def: Def | Lambda): readonly CallSite[];
}

export class Resolver {
  private readonly memo = new Map<Expr, Value[]>();
  private readonly active = new Set<unknown>();
  private depth = 0;

  /**
   * `pinned`: functions whose parameters take their values from one call site only (to follow a
   * wrapper like `def run_all(target, args_list): Process(target=target, args=…)` call by call).
   */
  constructor(private readonly host: ResolverHost, private readonly pinned?: ReadonlyMap<Def | Lambda, CallSite>) {}

  /** Forgets every computed value (call sites changed). */
  reset(): void {
    this.memo.clear();
  }

  /** Bindings visible for `name` from `scope`, or null for builtins and unknown names. */
  lookup(name: string, scope: Scope): Binding[] | null {
    let s: Scope | null = scope;
    let first = true;
    while (s) {
      if (s.kind === 'module') return s.bindings.get(name) ?? null;
      if (s.globals?.has(name)) return this.host.moduleScope.bindings.get(name) ?? null;
      if (first || s.kind !== 'class') {
        const bindings = s.bindings.get(name);
        if (bindings && !s.nonlocals?.has(name)) return bindings;
      }
      first = false;
      s = s.parent;
    }
    return null;
  }

  /** The scope a name is bound in (module for globals and builtins). */
  scopeOf(name: string, scope: Scope): Scope | null {
    let s: Scope | null = scope;
    let first = true;
    while (s) {
      if (s.kind === 'module' || s.globals?.has(name)) return this.host.moduleScope.bindings.has(name) ? this.host.moduleScope : null;
      if ((first || s.kind !== 'class') && s.bindings.has(name) && !s.nonlocals?.has(name)) return s;
      first = false;
      s = s.parent;
    }
    return null;
  }

  /** What an expression may evaluate to (never empty: `unknown` when nothing is known). */
  values(expr: Expr, scope: Scope): Value[] {
    const cached = this.memo.get(expr);
    if (cached) return cached;
    if (this.active.has(expr) || this.depth > MAX_DEPTH) return [UNKNOWN];
    this.active.add(expr);
    this.depth += 1;
    let result: Value[];
    try {
      result = this.compute(expr, scope);
    } finally {
      this.depth -= 1;
      this.active.delete(expr);
    }
    if (result.length === 0) result = [UNKNOWN];
    if (result.length > MAX_VALUES) result = result.slice(0, MAX_VALUES);
    this.memo.set(expr, result);
    return result;
  }

  private compute(expr: Expr, scope: Scope): Value[] {
    switch (expr.t) {
      case 'name':
        return this.nameValues(expr.id, scope, expr);
      case 'attr':
        return this.values(expr.obj, scope).flatMap((obj) => this.attribute(obj, expr.attr));
      case 'call':
        return this.callValues(expr);
      case 'lambda':
        return [{ v: 'lambda', fn: expr }];
      case 'list':
      case 'tuple':
      case 'set':
      case 'dict':
      case 'listcomp':
      case 'setcomp':
      case 'dictcomp':
        return [{ v: 'display', expr, scope }];
      case 'genexp':
        return [{ v: 'generator', label: 'generator expression', at: expr }];
      case 'str':
        return expr.value === null ? [CONST] : [{ v: 'const', str: expr.value }];
      case 'num':
      case 'const':
        return [CONST];
      case 'cond':
        return [...this.values(expr.body, scope), ...this.values(expr.orelse, scope)];
      case 'walrus':
        return this.values(expr.value, scope);
      case 'keyword':
        return this.values(expr.value, scope);
      default:
        return [UNKNOWN];
    }
  }

  nameValues(name: string, scope: Scope, at?: Span): Value[] {
    let bindings = this.lookup(name, scope);
    if (!bindings) return [{ v: 'symbol', name: normalize(`builtins.${name}`), method: undefined }];
    if (at && bindings.length > 1) {
      // Inside `with X as name:` the name is X's value (a name reused for several pools in one function).
      let inner: Extract<Binding, { k: 'with' }> | null = null;
      for (const b of bindings) {
        if (b.k === 'with' && b.stmt.top === at.top && b.stmt.s <= at.s && at.e <= b.stmt.e && (!inner || b.stmt.s >= inner.stmt.s)) inner = b;
      }
      if (inner) bindings = [inner];
    }
    const out: Value[] = [];
    for (const b of bindings) for (const value of this.bindingValues(b)) out.push(value);
    return out;
  }

  bindingValues(b: Binding): Value[] {
    if (this.active.has(b)) return [UNKNOWN];
    this.active.add(b);
    try {
      switch (b.k) {
        case 'assign':
        case 'with':
          return b.whole ? this.values(b.value, b.scope) : [UNKNOWN];
        case 'import': {
          if (b.name === null) return [{ v: 'module', name: b.module }];
          const full = `${b.module}.${b.name}`;
          if (SUBMODULES.has(full)) return [{ v: 'module', name: full }];
          return [{ v: 'symbol', name: normalize(full), method: undefined }];
        }
        case 'def':
          return [{ v: 'def', def: b.def }];
        case 'class':
          return [{ v: 'class', cls: b.cls }];
        case 'param':
          return this.paramValues(b.fn, b.index, b.param);
        case 'loop':
          return b.iter && b.scope ? this.itemValues(b.iter, b.scope, b.index) : [UNKNOWN];
        default:
          return [UNKNOWN];
      }
    } finally {
      this.active.delete(b);
    }
  }

  /**
   * What `for x in iter` binds: the items of the displays `iter` may be (`index`: the position
   * taken from each item in `for a, b in …`); unknown for any other iterable.
   */
  itemValues(iter: Expr, scope: Scope, index: number | null): Value[] {
    const out: Value[] = [];
    for (const value of this.values(iter, scope)) {
      if (value.v !== 'display' || !('items' in value.expr)) {
        if (value.v !== 'const') out.push(UNKNOWN);
        continue;
      }
      for (const item of value.expr.items) {
        if (index === null) for (const v of this.values(item, value.scope)) out.push(v);
        else if ((item.t === 'tuple' || item.t === 'list') && index < item.items.length) for (const v of this.values(item.items[index], value.scope)) out.push(v);
        else out.push(UNKNOWN);
      }
    }
    return out;
  }

  /** Values a parameter receives: `self`, an annotation naming a pool, or what call sites pass. */
  private paramValues(fn: Def | Lambda, index: number, param: Param): Value[] {
    if ('k' in fn) {
      const owner = fn.scope.parent?.owner;
      if (owner && 'k' in owner && owner.k === 'class' && index === 0) {
        const decorators = fn.decorators.map((d) => (d.t === 'name' ? d.id : d.t === 'attr' ? d.attr : ''));
        if (decorators.includes('staticmethod')) return this.siteValues(fn, index, param);
        if (decorators.includes('classmethod')) return [{ v: 'class', cls: owner }];
        return [{ v: 'instance', cls: owner, at: param }];
      }
    }
    if (param.annotation) {
      const annotated = this.values(param.annotation, fn.scope.parent ?? fn.scope).flatMap((v): Value[] =>
        v.v === 'symbol' && POOLS[v.name] ? [{ v: 'pool', kind: POOLS[v.name].kind, api: POOLS[v.name].api, method: null, at: param }] : [],
      );
      if (annotated.length) return annotated;
    }
    return this.siteValues(fn, index, param);
  }

  private siteValues(fn: Def | Lambda, index: number, param: Param): Value[] {
    if (param.kind === 'varargs' || param.kind === 'kwargs') return [UNKNOWN];
    const pin = this.pinned?.get(fn);
    const sites = pin ? [pin] : this.host.sitesOf(fn);
    const out: Value[] = [];
    let defaulted = sites.length === 0;
    for (const site of sites) {
      const keyword = site.keywords.find((k) => k.name === param.name);
      const positional = param.kind === 'positional' && index < site.args.length ? site.args[index] : null;
      if (positional && site.args.slice(0, index + 1).some((a) => a.t === 'star')) {
        out.push(UNKNOWN);
        continue;
      }
      const arg = keyword?.value ?? positional;
      if (arg) for (const value of this.values(arg, site.scope)) out.push(value);
      else if (site.keywords.some((k) => k.name === null)) out.push(UNKNOWN);
      else defaulted = true;
    }
    if (defaulted) {
      if (param.default) for (const value of this.values(param.default, fn.scope.parent ?? fn.scope)) out.push(value);
      else if (sites.length === 0) out.push(UNKNOWN);
    }
    return out;
  }

  /** `obj.attr` for each thing obj may be. */
  private attribute(obj: Value, attr: string): Value[] {
    switch (obj.v) {
      case 'module': {
        const full = `${obj.name}.${attr}`;
        if (SUBMODULES.has(full)) return [{ v: 'module', name: full }];
        return [{ v: 'symbol', name: normalize(full), method: undefined }];
      }
      case 'symbol':
        if (obj.name === 'multiprocessing' || obj.name.startsWith('multiprocessing.')) {
          if (CONTEXT_METHODS.has(attr) && obj.method !== undefined) return [{ v: 'symbol', name: `multiprocessing.${attr}`, method: obj.method }];
        }
        return [{ v: 'symbol', name: normalize(`${obj.name}.${attr}`), method: obj.method }];
      case 'context':
        if (CONTEXT_METHODS.has(attr)) return [{ v: 'symbol', name: normalize(`multiprocessing.${attr}`), method: obj.method }];
        return [UNKNOWN];
      case 'instance':
        return this.instanceAttribute(obj.cls, attr, obj);
      case 'class': {
        if (!this.host.need(obj.cls)) return [UNKNOWN];
        const method = obj.cls.methods.get(attr);
        return method ? [{ v: 'def', def: method }] : [UNKNOWN];
      }
      case 'pool':
      case 'manager':
      case 'proxy':
      case 'process':
      case 'mpshared':
      case 'thread':
      case 'threadlock':
      case 'file':
        return [{ v: 'method', of: obj, name: attr }];
      default:
        return [UNKNOWN];
    }
  }

  private instanceAttribute(cls: ClassDef, attr: string, self: Value): Value[] {
    if (!this.host.need(cls)) return [UNKNOWN];
    const method = cls.methods.get(attr);
    if (method) return [{ v: 'bound', def: method, cls, self: [self] }];
    const assigned = cls.attrs.get(attr);
    if (!assigned) return [UNKNOWN];
    return assigned.flatMap((a) => this.values(a.value, a.scope));
  }

  /** What a call returns. */
  callValues(call: Call): Value[] {
    const scope = call.scope;
    const fn = call.fn;
    if (fn.t === 'attr' && (fn.attr === 'keys' || fn.attr === 'values' || fn.attr === 'items') && call.args.length === 0) {
      const objs = this.values(fn.obj, scope);
      return objs.some((o) => o.v === 'proxy' || o.v === 'module' || o.v === 'symbol') ? [UNKNOWN] : [{ v: 'view', at: call }];
    }
    const out: Value[] = [];
    for (const callee of this.values(fn, scope)) {
      for (const value of this.returned(callee, call)) out.push(value);
    }
    return out;
  }

  private returned(callee: Value, call: Call): Value[] {
    switch (callee.v) {
      case 'symbol':
        return this.symbolCall(callee.name, callee.method, call);
      case 'method':
        if (callee.of.v === 'manager') {
          if (MANAGER_CONTAINERS.has(callee.name)) return [{ v: 'proxy', container: true, at: call }];
          if (/^[A-Z]/.test(callee.name)) return [{ v: 'proxy', container: false, at: call }];
          return [UNKNOWN];
        }
        if (callee.of.v === 'pool' && callee.name === '__enter__') return [callee.of];
        return [UNKNOWN];
      case 'def': {
        if (callee.def.isAsync) return [{ v: 'generator', label: `coroutine from ${callee.def.name}()`, at: call }];
        if (!this.host.need(callee.def)) return [UNKNOWN];
        if (callee.def.yields) return [{ v: 'generator', label: `generator from ${callee.def.name}()`, at: call }];
        return [UNKNOWN];
      }
      case 'class':
        return [{ v: 'instance', cls: callee.cls, at: call }];
      case 'ntclass':
        return [{ v: 'ntinstance', typename: callee.typename, binding: bindingName(callee.at), at: call }];
      default:
        return [UNKNOWN];
    }
  }

  private symbolCall(name: string, method: StartMethod | null | undefined, call: Call): Value[] {
    const pool = POOLS[name];
    if (pool) {
      const ctxMethod = pool.kind === 'process' ? this.contextKeyword(call) : null;
      return [{ v: 'pool', kind: pool.kind, api: pool.api, method: ctxMethod ?? method ?? null, at: call }];
    }
    if (name === 'multiprocessing.Process') return [{ v: 'process', method: method ?? null, at: call }];
    if (THREADS.has(name)) return [{ v: 'thread', at: call }];
    if (name === 'multiprocessing.get_context') return [{ v: 'context', method: this.methodArgument(call) }];
    if (name === 'multiprocessing.Manager') return [{ v: 'manager', at: call }];
    const shared = MP_SHARED[name];
    if (shared) return [{ v: 'mpshared', label: shared.label, lockable: shared.lockable && !hasFalseKeyword(call, 'lock'), at: call }];
    if (THREAD_LOCKS[name]) return [{ v: 'threadlock', label: THREAD_LOCKS[name], at: call }];
    if (FILES[name]) return [{ v: 'file', label: FILES[name], at: call }];
    if (name === 'functools.partial') return [{ v: 'partial', call }];
    if ((name === 'collections.namedtuple' || name === 'typing.NamedTuple') && call.args[0]?.t === 'str' && call.args[0].value) {
      return [{ v: 'ntclass', typename: call.args[0].value, at: call }];
    }
    if (name === 'multiprocessing.Pipe') return [CONST];
    return [UNKNOWN];
  }

  /** `get_context("spawn")` / `get_context(method="spawn")`; null for the default. */
  methodArgument(call: Call): StartMethod | null {
    const arg = call.keywords.find((k) => k.name === 'method')?.value ?? call.args[0];
    if (!arg) return null;
    const methods = this.values(arg, call.scope).map((v) => (v.v === 'const' ? v.str : undefined));
    const first = methods[0];
    if (first && methods.every((m) => m === first) && (START_METHODS as readonly string[]).includes(first)) return first as StartMethod;
    return null;
  }

  /** `Pool(context=ctx)` / `ProcessPoolExecutor(mp_context=ctx)`. */
  private contextKeyword(call: Call): StartMethod | null {
    const kw = call.keywords.find((k) => k.name === 'context' || k.name === 'mp_context');
    if (!kw) return null;
    const methods = this.values(kw.value, call.scope).flatMap((v) => (v.v === 'context' && v.method ? [v.method] : []));
    return methods.length > 0 && methods.every((m) => m === methods[0]) ? methods[0] : null;
  }
}

function hasFalseKeyword(call: Call, name: string): boolean {
  const kw = call.keywords.find((k) => k.name === name);
  return kw?.value.t === 'const' && kw.value.value === 'False';
}

/** The name a namedtuple class is bound to (`Pt = namedtuple("Point", …)` → `Pt`), from the call's text position. */
function bindingName(call: Call): string {
  const text = call.top.text;
  const before = text.slice(0, call.s);
  const m = /([A-Za-z_]\w*)\s*(?::[^=\n]*)?=\s*$/.exec(before);
  return m ? m[1] : '';
}

/** True when every value satisfies `test` (and there is at least one known value). */
export function all(values: Value[], test: (v: Value) => boolean): boolean {
  const known = values.filter((v) => v.v !== 'const');
  return known.length > 0 && known.every(test);
}
