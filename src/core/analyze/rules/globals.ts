/**
 * PAR020: a worker (process-pool task or `Process` target) mutates a module global; each
 * process changes its own copy and the parent never sees it. Left alone: pool initializers
 * (setting globals there is the right pattern), shared objects (Value/Array/Manager proxies),
 * and globals nothing but workers read (a per-process cache).
 */
import type { ModuleView } from '../module';
import type { Def, Mutation } from '../syntax/ir';
import type { Value } from '../resolve/values';
import { type RuleContext } from './types';

const CONTAINERS = /^builtins\.(?:list|dict|set|bytearray)$|^collections\.(?:defaultdict|Counter|OrderedDict|deque|ChainMap)$/;
const SHARED: Value['v'][] = ['proxy', 'mpshared', 'manager', 'pool', 'threadlock', 'file', 'process', 'thread', 'module'];

export function globalsRule(ctx: RuleContext): void {
  const { view } = ctx;
  const workers = view.workers();
  const initializers = view.initializers();
  const seen = new Set<string>();
  for (const [worker] of workers) {
    if (initializers.has(worker)) continue;
    for (const { mutation, fn } of mutationsIn(view, worker, 0, new Set())) {
      const key = `${worker.name}:${mutation.name}`;
      if (seen.has(key) || !isModuleGlobal(view, mutation)) continue;
      if (!isPlainGlobal(view, mutation)) continue;
      if (!readElsewhere(view, mutation.name, workers, initializers)) continue;
      seen.add(key);
      const verb = {
        call: `calls \`${mutation.top.text.slice(mutation.s, mutation.e).split('(')[0]}()\` on`,
        item: 'assigns an item of',
        attr: 'sets an attribute of',
        rebind: 'assigns',
        del: 'deletes an item of',
      }[mutation.how];
      const where = fn === worker ? `worker \`${worker.name}\`` : `\`${fn.name}\` (called by worker \`${worker.name}\`)`;
      ctx.report({
        rule: 'PAR020',
        at: mutation,
        message: `${where} ${verb} module global \`${mutation.name}\`; each worker process changes its own copy, so the parent never sees it — return the value instead`,
      });
    }
  }
}

function mutationsIn(view: ModuleView, fn: Def, depth: number, seen: Set<Def>): { mutation: Mutation; fn: Def }[] {
  if (seen.has(fn) || !view.need(fn)) return [];
  seen.add(fn);
  const out = fn.mutations.map((mutation) => ({ mutation, fn }));
  if (depth < 2) {
    for (const call of fn.calls) {
      for (const value of view.values(call.fn, call.scope)) {
        if (value.v === 'def' && value.def.scope.parent?.kind === 'module') out.push(...mutationsIn(view, value.def, depth + 1, seen));
      }
    }
  }
  return out;
}

function isModuleGlobal(view: ModuleView, mutation: Mutation): boolean {
  const scope = view.resolver.scopeOf(mutation.name, mutation.scope);
  if (scope?.kind !== 'module') return false;
  return mutation.how !== 'rebind' || Boolean(mutation.scope.globals?.has(mutation.name));
}

/** The global holds a plain container (or is rebound with `global`), not a shared object. */
function isPlainGlobal(view: ModuleView, mutation: Mutation): boolean {
  const bindings = view.moduleScope.bindings.get(mutation.name) ?? [];
  let container = mutation.how === 'rebind';
  for (const b of bindings) {
    if (b.k !== 'assign') continue;
    if (b.value.t === 'list' || b.value.t === 'dict' || b.value.t === 'set' || b.value.t === 'listcomp' || b.value.t === 'dictcomp' || b.value.t === 'setcomp') container = true;
    for (const value of view.values(b.value, b.scope)) {
      if (SHARED.includes(value.v)) return false;
      if (value.v === 'display') container = true;
    }
    if (b.value.t === 'call') {
      for (const callee of view.values(b.value.fn, b.scope)) if (callee.v === 'symbol' && CONTAINERS.test(callee.name)) container = true;
    }
  }
  return container;
}

/** Some code other than the workers and initializers mentions the name (the parent reads it). */
function readElsewhere(view: ModuleView, name: string, workers: Map<Def, unknown>, initializers: Set<Def>): boolean {
  const pattern = new RegExp(`(?<![.\\w])${name}\\b`);
  // Statements that are a worker or initializer themselves do not count.
  const own = new Set<unknown>();
  for (const def of [...workers.keys(), ...initializers]) if (def.top.body[0] === def || def.shallow) own.add(def.top);
  for (const top of view.tops) {
    if (own.has(top) || !pattern.test(top.text)) continue;
    // The global's own definition (`results = []`) is not a read.
    const stmt = top.body[0];
    if (top.body.length === 1 && stmt?.k === 'assign' && stmt.targets.every((t) => t.t === 'name' && t.id === name)) continue;
    if (top.depth === 'shallow' && new RegExp(`^${name}\\s*(?::[^=\\n]*)?=(?!=)`).test(top.text) && !new RegExp(`(?<![.\\w])${name}\\b`).test(top.text.slice(name.length))) continue;
    return true;
  }
  return false;
}
