/**
 * PAR012: an exception raised in a pool task whose class cannot be rebuilt from `self.args`.
 * The parent rebuilds it with `cls(*args)`; `args` is what reached `BaseException.__init__`
 * (everything given to the constructor when `__init__` does not call `super().__init__`).
 */
import type { ModuleView } from '../module';
import type { Call, ClassDef, Def, Expr, RaiseStmt } from '../syntax/ir';
import { describe, type RuleContext } from './types';

const CUSTOM = ['__reduce__', '__reduce_ex__', '__getnewargs__', '__getnewargs_ex__', '__getstate__'];

export function exceptionRule(ctx: RuleContext): void {
  const { view } = ctx;
  const reported = new Set<RaiseStmt>();
  for (const [worker, op] of view.workers()) {
    if (op.kind !== 'task' || !view.need(worker)) continue;
    const api = op.pools[0]?.api ?? 'the pool';
    const consequence = api === 'Pool' ? 'so the Pool hangs forever' : `so the ${api} breaks`;
    for (const { raise, fn } of raisesIn(view, worker, 0, new Set())) {
      if (reported.has(raise) || !raise.exc) continue;
      const problem = unrebuildable(view, raise.exc, raise);
      if (!problem) continue;
      reported.add(raise);
      const where = fn === worker ? `in task \`${worker.name}\`` : `in \`${fn.name}\` (called by task \`${worker.name}\`)`;
      ctx.report({
        rule: 'PAR012',
        at: raise.exc,
        message: `\`${describe(raise.exc)}\` raised ${where} cannot be rebuilt in the parent: ${problem}, ${consequence}; pass every argument to super().__init__()`,
      });
    }
  }
}

/** Raise statements of a worker and of the module functions it calls (two levels). */
function raisesIn(view: ModuleView, fn: Def, depth: number, seen: Set<Def>): { raise: RaiseStmt; fn: Def }[] {
  if (seen.has(fn) || !view.need(fn)) return [];
  seen.add(fn);
  const out = fn.raises.map((raise) => ({ raise, fn }));
  if (depth < 2) {
    for (const call of fn.calls) {
      for (const value of view.values(call.fn, call.scope)) {
        if (value.v === 'def' && value.def.scope.parent?.kind === 'module') out.push(...raisesIn(view, value.def, depth + 1, seen));
      }
    }
  }
  return out;
}

/** Why `raise Cls(...)` cannot be rebuilt, or null when it can (or we cannot tell). */
function unrebuildable(view: ModuleView, exc: Expr, raise: RaiseStmt): string | null {
  const callee = exc.t === 'call' ? exc.fn : exc;
  const classes = view.values(callee, raise.scope).flatMap((v) => (v.v === 'class' ? [v.cls] : []));
  if (classes.length !== 1) return null;
  return initProblem(view, classes[0], 0);
}

function initProblem(view: ModuleView, cls: ClassDef, depth: number): string | null {
  if (depth > 3 || !view.need(cls)) return null;
  if (CUSTOM.some((m) => cls.methods.has(m))) return null;
  const init = cls.methods.get('__init__');
  if (!init) {
    // Inherited __init__: look at a base class defined in the module.
    for (const base of cls.bases) {
      for (const value of view.values(base, cls.scope.parent ?? cls.scope)) {
        if (value.v === 'class') return initProblem(view, value.cls, depth + 1);
      }
    }
    return null;
  }
  const params = init.params.slice(1);
  if (params.some((p) => p.kind === 'keyword' && !p.default)) {
    const name = params.find((p) => p.kind === 'keyword' && !p.default)?.name;
    return `${cls.name}.__init__ needs the keyword argument \`${name}\`, which args cannot carry`;
  }
  const required = params.filter((p) => p.kind === 'positional' && !p.default).length;
  const positional = params.filter((p) => p.kind === 'positional').length;
  const varargs = params.some((p) => p.kind === 'varargs');
  const stored = superArgs(view, init);
  if (stored === null) return null; // no super().__init__ (args = every argument) or not countable
  if (stored < required) return `${cls.name}.__init__ needs ${required} argument${required === 1 ? '' : 's'} but super().__init__() stores ${stored} in args`;
  if (stored > positional && !varargs) return `${cls.name}.__init__ takes ${positional} argument${positional === 1 ? '' : 's'} but super().__init__() stores ${stored} in args`;
  return null;
}

/** How many positional arguments `__init__` passes to `super().__init__` / `Base.__init__(self, …)`. */
function superArgs(_view: ModuleView, init: Def): number | null {
  for (const call of init.calls) {
    const fn = call.fn;
    if (fn.t !== 'attr' || fn.attr !== '__init__') continue;
    const isSuper = fn.obj.t === 'call' && fn.obj.fn.t === 'name' && fn.obj.fn.id === 'super';
    const explicit = fn.obj.t === 'name' || fn.obj.t === 'attr';
    if (!isSuper && !explicit) continue;
    const args: Expr[] = isSuper ? call.args : call.args.slice(1);
    if (args.some((a) => a.t === 'star') || call.keywords.length > 0) return null;
    return args.length;
  }
  return null;
}

export type { Call };
