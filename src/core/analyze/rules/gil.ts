/**
 * PAR030 (a hint): a thread pool (or `threading.Thread`) running a task that is pure-Python CPU
 * work — loops and arithmetic calling only builtins, `math`-like modules and functions of the
 * module that are pure too. Any call Parascope cannot see into (I/O, C extensions that release
 * the GIL, sleeps…) keeps it silent.
 */
import type { ModuleView } from '../module';
import type { Call, Def } from '../syntax/ir';
import { PURE_BUILTINS, PURE_METHODS, PURE_MODULES } from '../resolve/known';
import { describe, type RuleContext } from './types';

export function gilRule(ctx: RuleContext): void {
  const { view } = ctx;
  const seen = new Set<string>();
  for (const op of view.ops()) {
    const threaded = (op.kind === 'task' && op.pools.every((p) => p.kind === 'thread')) || op.kind === 'thread';
    if (!threaded) continue;
    const fnExpr = view.functionOf(op);
    if (!fnExpr) continue;
    const defs = view.defsOf(fnExpr, op.call.scope);
    if (defs.length !== 1) continue;
    const def = defs[0];
    if (!cpuBound(view, def, 0, new Set())) continue;
    const key = `${op.call.top.base + op.call.s}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const api = op.kind === 'task' ? `${op.pools[0].api}.${op.method}` : 'threading.Thread';
    ctx.report({
      rule: 'PAR030',
      at: fnExpr,
      message: `\`${describe(fnExpr)}\` runs pure-Python CPU work (loops and arithmetic) in ${api}; threads share one GIL, so it will not run in parallel — a process pool would`,
    });
  }
}

/** Loops over pure operations only (and, through module functions, nothing else). */
function cpuBound(view: ModuleView, def: Def, depth: number, visiting: Set<Def>): boolean {
  if (!view.need(def) || def.isAsync || def.yields || visiting.has(def)) return false;
  visiting.add(def);
  if (depth === 0 && def.loops === 0) return false;
  return def.calls.every((call) => isPure(view, call, depth, visiting));
}

function isPure(view: ModuleView, call: Call, depth: number, visiting: Set<Def>): boolean {
  const fn = call.fn;
  const values = view.values(fn, call.scope);
  for (const value of values) {
    if (value.v === 'symbol') {
      const [module, ...rest] = value.name.split('.');
      if (module === 'builtins' && PURE_BUILTINS.has(rest.join('.'))) continue;
      if (PURE_MODULES.has(module)) continue;
      return false;
    }
    if (value.v === 'def') {
      if (value.def.scope.parent?.kind === 'module' && depth < 3 && (pureHelper(view, value.def, depth, visiting))) continue;
      return false;
    }
    if (value.v === 'unknown' && fn.t === 'attr' && PURE_METHODS.has(fn.attr)) continue;
    return false;
  }
  return values.length > 0;
}

function pureHelper(view: ModuleView, def: Def, depth: number, visiting: Set<Def>): boolean {
  if (visiting.has(def)) return true; // recursion: judged by the outer call
  return cpuBound(view, def, depth + 1, visiting);
}
