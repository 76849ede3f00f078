/**
 * PAR001–PAR009 and PAR011: what a process pool (or a spawned `Process`) pickles, and whether
 * it can be.
 *
 * Payloads per call (only process and interpreter pools; thread pools pickle nothing):
 *   - pool tasks (always pickled): the task function, then `map`'s iterable *items* (not the
 *     iterable), `starmap`'s argument tuples, `apply`'s `args`/`kwds`, `submit`'s arguments;
 *   - `Process(target, args, kwargs)` and a pool's `initializer`/`initargs`: pickled only under
 *     spawn and forkserver, and there multiprocessing locks, queues and values are allowed
 *     (sharing by inheritance).
 *
 * A finding is reported only when every value the expression may hold fails (a name that may be
 * a lock or something unknown is left alone).
 */
import { abs, describe, type RuleContext } from './types';
import type { ModuleView, Op, TaskOp } from '../module';
import { elementsOf, keyword } from '../module';
import type { ClassDef, Def, Expr, Lambda, Scope } from '../syntax/ir';
import type { Value } from '../resolve/values';
import { defineAssignedLambda, liftLambda, liftNestedDef } from '../fixes';

type Role = 'task' | 'item' | 'target' | 'initializer' | 'inherited';

interface Payload {
  expr: Expr;
  scope: Scope;
  role: Role;
  /** `Pool.map`, `ProcessPoolExecutor.submit`, `Process`… */
  where: string;
  /** Start method that will run it (for PAR011), or null when it does not matter. */
  spawnLike: boolean;
  /** Name for a lifted lambda. */
  liftName: string;
}

interface Problem {
  rule: string;
  /** Who is named first (default: the expression's text). */
  subject?: string;
  /** The rest of the sentence after "<subject> passed to <where>". */
  what: string;
  fix?: () => ReturnType<typeof liftLambda>;
}

/** Objects that define their own pickling are left alone. */
const CUSTOM_PICKLING = ['__getstate__', '__reduce__', '__reduce_ex__', '__getnewargs__', '__getnewargs_ex__'];

export function payloadRules(ctx: RuleContext): void {
  const { view } = ctx;
  const seen = new Set<string>();
  for (const op of view.ops()) {
    for (const payload of payloadsOf(view, op)) {
      inspect(ctx, payload, payload.expr, payload.scope, 0, seen);
    }
  }
}

function payloadsOf(view: ModuleView, op: Op): Payload[] {
  const call = op.call;
  const out: Payload[] = [];
  const add = (expr: Expr | undefined, role: Role, where: string, spawnLike: boolean, liftName: string, scope: Scope = call.scope) => {
    if (expr && expr.t !== 'star' && expr.t !== 'dstar') out.push({ expr, scope, role, where, spawnLike, liftName });
  };
  const addItems = (expr: Expr | undefined, role: Role, where: string, spawnLike: boolean) => {
    if (!expr) return;
    if (expr.t === 'tuple' || expr.t === 'list') for (const item of expr.items) add(item.t === 'star' ? item.value : item, role, where, spawnLike, '');
    else if (expr.t === 'dict') for (const value of expr.values) add(value, role, where, spawnLike, '');
    else add(expr, role, where, spawnLike, '');
  };
  if (op.kind === 'task') {
    if (op.pools.some((p) => p.kind === 'thread')) return out;
    const api = op.pools[0].api;
    const where = `${api}.${op.method}`;
    const spawnLike = op.pools.every((p) => p.kind === 'process' && view.isSpawnLike(p.method));
    const fn = call.args[0] ?? keyword(call, 'func', -1) ?? keyword(call, 'fn', -1);
    add(fn, 'task', where, spawnLike, `_${op.method}_task`);
    for (const item of taskItems(op)) add(item.expr, 'item', where, spawnLike, '', item.scope ?? call.scope);
    return out;
  }
  if (op.kind === 'process') {
    if (!view.isSpawnLike(op.startMethod)) return out;
    const where = 'Process';
    add(keyword(call, 'target', 1), 'target', where, true, '_process_target');
    addItems(keyword(call, 'args', 3), 'inherited', where, true);
    addItems(keyword(call, 'kwargs', 4), 'inherited', where, true);
    return out;
  }
  if (op.kind === 'pool') {
    const pool = op.pools[0];
    if (pool.kind !== 'process' || !view.isSpawnLike(pool.method)) return out;
    const isPool = pool.api === 'Pool';
    add(keyword(call, 'initializer', isPool ? 1 : 2), 'initializer', `${pool.api} initializer`, true, '_init_worker');
    addItems(keyword(call, 'initargs', isPool ? 2 : 3), 'inherited', `${pool.api} initargs`, true);
  }
  return out;
}

/** The objects a task call pickles besides its function. */
function taskItems(op: TaskOp): { expr: Expr; scope: Scope | null }[] {
  const call = op.call;
  const isMpPool = op.pools[0].api === 'Pool';
  const out: { expr: Expr; scope: Scope | null }[] = [];
  switch (op.shape) {
    case 'map':
      for (const iterable of call.args.slice(1, isMpPool ? 2 : undefined)) out.push(...elementsOf(iterable));
      break;
    case 'starmap':
      for (const item of elementsOf(call.args[1] ?? keyword(call, 'iterable', -1))) {
        if (item.expr.t === 'tuple' || item.expr.t === 'list') for (const e of item.expr.items) out.push({ expr: e, scope: item.scope });
        else out.push(item);
      }
      break;
    case 'apply': {
      const args = call.args[1] ?? keyword(call, 'args', -1);
      const kwds = call.args[2] ?? keyword(call, 'kwds', -1);
      if (args?.t === 'tuple' || args?.t === 'list') for (const e of args.items) out.push({ expr: e, scope: null });
      else if (args) out.push({ expr: args, scope: null });
      if (kwds?.t === 'dict') for (const v of kwds.values) out.push({ expr: v, scope: null });
      else if (kwds) out.push({ expr: kwds, scope: null });
      break;
    }
    case 'submit':
      for (const a of call.args.slice(1)) out.push({ expr: a.t === 'star' ? a.value : a, scope: null });
      for (const k of call.keywords) out.push({ expr: k.value, scope: null });
      break;
  }
  return out;
}

/** Checks one payload expression; reports when every value it may hold fails to pickle. */
function inspect(ctx: RuleContext, payload: Payload, expr: Expr, scope: Scope, depth: number, seen: Set<string>): void {
  if (depth > 3) return;
  const view = ctx.view;
  const values = view.values(expr, scope).filter((v) => v.v !== 'const');
  if (values.length === 0) return;
  // Containers written in place (or bound to a name): their items are pickled one by one.
  if (values.every((v) => v.v === 'display')) {
    if (payload.role === 'task') return;
    for (const value of values) {
      if (value.v !== 'display') continue;
      const d = value.expr;
      const items = d.t === 'dict' ? d.values : 'items' in d ? d.items : [d.elt];
      const itemScope = d.t === 'listcomp' || d.t === 'setcomp' || d.t === 'dictcomp' ? d.scope : value.scope;
      for (const item of items) inspect(ctx, payload, item.t === 'star' ? item.value : item, itemScope, depth + 1, seen);
    }
    return;
  }
  const problems = values.map((v) => problemOf(view, payload, expr, v, 0));
  if (problems.some((p) => p === null)) return;
  const first = problems[0];
  if (!first) return;
  const key = `${first.rule}:${abs(expr)}:${expr.e}`;
  if (seen.has(key)) return;
  seen.add(key);
  const subject = first.subject ?? `\`${describe(expr)}\``;
  ctx.report({ rule: first.rule, at: expr, message: `${subject} ${use(payload)} ${first.what}`, fix: first.fix?.() ?? undefined });
}

/** How the payload travels: "passed to Pool.map", "used as a Process target"… */
function use(payload: Payload): string {
  switch (payload.role) {
    case 'target':
      return 'used as a Process target';
    case 'initializer':
      return `used as the ${payload.where}`;
    default:
      return `passed to ${payload.where}`;
  }
}

const PICKLE = 'which cannot be pickled';

/** Advice for a thread primitive, by what it is. */
function threadAdvice(label: string): string {
  if (label.startsWith('logging')) return 'set up logging in the worker (for example in the pool initializer)';
  if (label === 'queue.Queue') return 'use a multiprocessing.Manager().Queue() proxy';
  if (label === 'threading.local') return 'create it in the worker';
  return 'use a Manager() proxy (manager.Lock(), manager.Event()…) or create it in the worker';
}

function problemOf(view: ModuleView, payload: Payload, expr: Expr, value: Value, depth: number): Problem | null {
  switch (value.v) {
    case 'lambda':
      return lambdaProblem(view, payload, expr, value.fn);
    case 'def':
      return defProblem(view, payload, expr, value.def);
    case 'instance':
      return instanceProblem(view, value.cls, depth, 'is');
    case 'bound': {
      if (isLocal(value.cls.scope.parent)) {
        return { rule: 'PAR003', what: `is a method of \`${value.cls.name}\`, a class defined inside a function, ${PICKLE}; define the class at module level` };
      }
      const inner = value.self.map((s) => (s.v === 'instance' ? instanceProblem(view, s.cls, depth + 1, 'pickles its') : null));
      const found = inner.find((p) => p !== null);
      if (!found || inner.some((p) => p === null)) return null;
      return { rule: found.rule, what: `is a bound method: it ${found.what}` };
    }
    case 'partial': {
      const call = value.call;
      const parts = [call.args[0], ...call.args.slice(1), ...call.keywords.map((k) => k.value)].filter((e): e is Expr => Boolean(e));
      for (const part of parts) {
        const role: Role = part === call.args[0] ? payload.role : 'item';
        const inner = view.values(part, call.scope).filter((v) => v.v !== 'const');
        const ps = inner.map((v) => problemOf(view, { ...payload, role }, part, v, depth + 1));
        if (ps.length && ps.every((p) => p !== null)) {
          const p = ps[0] as Problem;
          return { rule: p.rule, what: `is a functools.partial whose \`${describe(part)}\` ${p.what}` };
        }
      }
      return null;
    }
    case 'threadlock':
      return { rule: 'PAR005', what: `is a ${value.label}, ${PICKLE}; ${threadAdvice(value.label)}` };
    case 'thread':
      return { rule: 'PAR005', what: `is a threading.Thread, ${PICKLE}; start threads inside the worker` };
    case 'file':
      return { rule: 'PAR006', what: `is ${value.label}, ${PICKLE}; pass the path and open it in the worker` };
    case 'generator':
      return { rule: 'PAR007', what: `is a ${value.label}, ${PICKLE}; pass a list instead` };
    case 'view':
      return { rule: 'PAR008', what: `is a dict view, ${PICKLE}; wrap it in list()` };
    case 'module':
      return { rule: 'PAR008', what: `is the module \`${value.name}\`, ${PICKLE}; import it in the worker instead` };
    case 'mpshared':
      if (payload.role === 'inherited' || payload.role === 'target' || payload.role === 'initializer') return null;
      return {
        rule: 'PAR009',
        what: `is a ${value.label}, which may only be shared by inheritance (Process args or the pool's initargs); use a Manager() proxy or the pool initializer`,
      };
    case 'ntinstance':
      if (!value.binding || value.binding === value.typename) return null;
      return { rule: 'PAR004', what: `is a namedtuple named "${value.typename}" but bound to \`${value.binding}\`, so pickle cannot find its class; give them the same name` };
    default:
      return null;
  }
}

function lambdaProblem(view: ModuleView, payload: Payload, expr: Expr, fn: Lambda): Problem | null {
  const inline = expr === fn;
  const when = payload.role === 'target' || payload.role === 'initializer' ? ' under spawn/forkserver' : '';
  const fix = (): ReturnType<typeof liftLambda> => {
    if (inline && payload.liftName) return liftLambda(view, fn, payload.liftName);
    if (!inline && fn.scope.parent?.kind === 'module') return defineAssignedLambda(view, fn);
    return null;
  };
  return {
    rule: 'PAR001',
    subject: inline ? 'lambda' : `\`${describe(expr)}\` (a lambda)`,
    what: `cannot be pickled${when}; define it with def at module level`,
    fix,
  };
}

function defProblem(view: ModuleView, payload: Payload, expr: Expr, def: Def): Problem | null {
  const role = payload.role;
  if (isLocal(def.scope.parent)) {
    return {
      rule: 'PAR002',
      subject: `nested function \`${describe(expr)}\``,
      what: `cannot be pickled: it is local to \`${enclosingName(def.scope.parent)}\`; move it to module level`,
      fix: () => liftNestedDef(view, def),
    };
  }
  if (def.scope.parent?.kind !== 'module') return null;
  // PAR011: only defined under `if __name__ == "__main__":`, which children importing the module skip.
  if (payload.spawnLike && role !== 'item') {
    const bindings = view.moduleScope.bindings.get(def.name) ?? [];
    if (bindings.length > 0 && bindings.every((b) => b.guarded)) {
      return { rule: 'PAR011', what: 'is defined only inside the `if __name__ == "__main__":` block, which spawned children do not run; define it at module level' };
    }
  }
  if (role === 'item' || !view.need(def)) return null;
  const wrapper = unwrappedDecorator(view, def);
  if (wrapper) {
    return {
      rule: 'PAR004',
      what: `is decorated with \`${wrapper.decorator}\`, whose wrapper \`${wrapper.inner}\` lacks @functools.wraps, so it pickles as a local object; add @functools.wraps(${wrapper.param}) to it`,
    };
  }
  if (role === 'task' && def.yields) {
    return { rule: 'PAR007', what: 'is a generator function: each result is a generator, which cannot be pickled back; return a list' };
  }
  return null;
}

/** Why an instance of a module class cannot be pickled (`verb`: "is" / "pickles its"). */
function instanceProblem(view: ModuleView, cls: ClassDef, depth: number, verb: 'is' | 'pickles its'): Problem | null {
  const article = verb === 'is' ? 'is a' : 'pickles its';
  if (isLocal(cls.scope.parent)) {
    return { rule: 'PAR003', what: `${verb === 'is' ? 'is an instance of' : 'pickles its instance of'} \`${cls.name}\`, a class defined inside a function, ${PICKLE}; define the class at module level` };
  }
  if (depth > 2 || !view.need(cls)) return null;
  if (CUSTOM_PICKLING.some((m) => cls.methods.has(m))) return null;
  for (const [attr, assigned] of cls.attrs) {
    for (const a of assigned) {
      const values = view.values(a.value, a.scope).filter((v) => v.v !== 'const');
      if (values.length === 0) continue;
      const problems = values.map((v) => attributeProblem(v));
      if (problems.every((p) => p !== null)) {
        const p = problems[0] as { rule: string; label: string };
        return { rule: p.rule, what: `${article} \`${cls.name}\` instance whose \`self.${attr}\` is ${p.label}, ${PICKLE}; drop it in __getstate__ or create it in the worker` };
      }
    }
  }
  return null;
}

function attributeProblem(value: Value): { rule: string; label: string } | null {
  switch (value.v) {
    case 'threadlock':
      return { rule: 'PAR005', label: `a ${value.label}` };
    case 'thread':
      return { rule: 'PAR005', label: 'a threading.Thread' };
    case 'file':
      return { rule: 'PAR006', label: value.label };
    case 'generator':
      return { rule: 'PAR007', label: `a ${value.label}` };
    default:
      return null;
  }
}

/** The decorator of `def` whose wrapper has no functools.wraps, if any. */
function unwrappedDecorator(view: ModuleView, def: Def): { decorator: string; inner: string; param: string } | null {
  for (const decorator of def.decorators) {
    const scope = def.scope.parent ?? def.scope;
    let target = decorator;
    // A decorator factory `@deco(arg)`: follow the function it returns.
    let viaFactory = false;
    if (decorator.t === 'call') {
      target = decorator.fn;
      viaFactory = true;
    }
    for (const value of view.values(target, scope)) {
      if (value.v !== 'def' || value.def.scope.parent?.kind !== 'module' || !view.need(value.def)) continue;
      let deco: Def | null = value.def;
      if (viaFactory) deco = returnedDef(view, deco);
      const wrapper = deco ? returnedDef(view, deco) : null;
      if (!deco || !wrapper) continue;
      const wrapped = wrapper.decorators.some((d) => /\bwraps\b/.test(describe(d, 200)));
      if (!wrapped) return { decorator: describe(decorator), inner: wrapper.name, param: deco.params[0]?.name ?? 'func' };
    }
  }
  return null;
}

/** The nested def a function returns (`return wrapper`), if it returns one. */
function returnedDef(view: ModuleView, fn: Def): Def | null {
  for (const ret of fn.returns) {
    if (ret.t !== 'name') continue;
    for (const value of view.values(ret, fn.scope)) {
      if (value.v === 'def' && value.def.scope.parent === fn.scope) return value.def;
    }
  }
  return null;
}

/** True when a scope (or one it is nested in) is a function or lambda: things defined there are local. */
function isLocal(scope: Scope | null): boolean {
  for (let s = scope; s; s = s.parent) {
    if (s.kind === 'function' || s.kind === 'lambda') return true;
    if (s.kind === 'module') return false;
  }
  return false;
}

function enclosingName(scope: Scope | null): string {
  for (let s = scope; s; s = s.parent) {
    if (s.kind === 'function' && s.owner && 'name' in s.owner) return s.owner.name;
    if (s.kind === 'lambda') return '<lambda>';
  }
  return '?';
}

