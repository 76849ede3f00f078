/**
 * PAR022: nested mutation through a Manager proxy — `d[k].append(x)`, `d[k][i] = v`,
 * `d[k].attr = v` — changes a copy that is thrown away. Silent when the container's values are
 * themselves proxies (`d[k] = manager.list()`).
 */
import type { ModuleView } from '../module';
import type { Expr, Scope } from '../syntax/ir';
import { describe, type RuleContext } from './types';

const MUTATORS = new Set([
  'append', 'extend', 'insert', 'remove', 'pop', 'popitem', 'clear', 'update', 'setdefault', 'add', 'discard', 'sort', 'reverse',
  'appendleft', 'popleft',
]);

export function managerRule(ctx: RuleContext): void {
  const { view } = ctx;
  const holdsProxies = containersHoldingProxies(view);
  const check = (container: Expr, scope: Scope, at: Expr, what: string) => {
    const values = view.values(container, scope).filter((v) => v.v !== 'const');
    if (values.length === 0) return;
    for (const v of values) if (v.v !== 'proxy' || !v.container || holdsProxies.has(v.at)) return;
    ctx.report({
      rule: 'PAR022',
      at,
      message: `\`${describe(at)}\` ${what} a copy: indexing a Manager proxy returns a copy of the stored value, so the change is lost; read it, modify it and store it back`,
    });
  };
  for (const top of view.tops) {
    for (const call of top.calls) {
      const fn = call.fn;
      if (fn.t === 'attr' && MUTATORS.has(fn.attr) && fn.obj.t === 'subscript') check(fn.obj.obj, call.scope, call, 'changes');
    }
    for (const update of top.updates) {
      const target = update.target;
      if ((target.t === 'subscript' || target.t === 'attr') && target.obj.t === 'subscript') check(target.obj.obj, update.scope, target, 'updates');
    }
    for (const { target, scope } of top.itemStores) {
      if ((target.t === 'subscript' || target.t === 'attr') && target.obj.t === 'subscript') check(target.obj.obj, scope, target, 'assigns into');
    }
  }
}

/** Containers into which the module stores proxies (`d[k] = manager.list()`): nested updates work there. */
function containersHoldingProxies(view: ModuleView): Set<unknown> {
  const out = new Set<unknown>();
  for (const top of view.tops) {
    for (const { target, value, scope } of top.itemStores) {
      if (target.t !== 'subscript' || !view.values(value, scope).some((v) => v.v === 'proxy')) continue;
      for (const v of view.values(target.obj, scope)) if (v.v === 'proxy') out.add(v.at);
    }
  }
  return out;
}
