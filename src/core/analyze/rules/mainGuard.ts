/**
 * PAR010: processes started when the module is imported, without a `__main__` guard, where the
 * start method is spawn or forkserver (each child re-imports the main module and would start
 * them again). Counts pools and executors created, `Process.start()`, `Manager()`, and calls at
 * module level to functions of the module that do any of these (a few calls deep).
 * (PAR011, the other half of the guard story, is judged with the payloads: rules/payload.ts.)
 */
import { addMainGuard } from '../fixes';
import type { ModuleView, Op } from '../module';
import type { Call, Def } from '../syntax/ir';
import { describe, type RuleContext } from './types';

const DEPTH = 4;

export function mainGuardRule(ctx: RuleContext): void {
  const { view } = ctx;
  const fixed = new Set<unknown>();
  for (const top of view.tops) {
    for (const call of top.calls) {
      if (!call.ctx.importTime || call.scope.kind !== 'module') continue;
      const started = startsProcesses(view, call, new Set(), 0);
      if (!started) continue;
      const method = view.methodsFor(started.op.kind === 'task' ? null : started.op.startMethod ?? started.op.pools[0]?.method ?? null);
      if (method.includes('fork')) continue;
      const through = started.via.slice(1);
      const what = through.length === 0 ? `\`${describe(call)}\`` : `\`${describe(call)}\` (through ${through.map((d) => `\`${d.name}()\``).join(' → ')})`;
      const verb = started.op.kind === 'manager' ? 'starts a manager process' : started.op.kind === 'start' ? 'starts a process' : 'starts worker processes';
      const fix = fixed.has(top) ? null : addMainGuard(view, top);
      fixed.add(top);
      ctx.report({
        rule: 'PAR010',
        at: call,
        message: `${what} ${verb} when the module is imported; under ${method.join('/')} every child re-imports it and does it again — put it under \`if __name__ == "__main__":\``,
        fix: fix ?? undefined,
      });
    }
  }
}

/** The process-starting operation a call performs (directly or through module functions), if any. */
function startsProcesses(view: ModuleView, call: Call, visiting: Set<Def>, depth: number): { op: Op; via: Def[] } | null {
  const op = view.opAt(call);
  if (op && isStart(op)) return { op, via: [] };
  if (depth >= DEPTH) return null;
  for (const value of view.values(call.fn, call.scope)) {
    if (value.v !== 'def' || visiting.has(value.def) || value.def.scope.parent?.kind !== 'module') continue;
    const def = value.def;
    if (!view.need(def)) continue;
    visiting.add(def);
    for (const inner of def.calls) {
      const found = startsProcesses(view, inner, visiting, depth + 1);
      if (found) return { op: found.op, via: [def, ...found.via] };
    }
  }
  return null;
}

function isStart(op: Op): boolean {
  if (op.kind === 'pool') return op.pools.every((p) => p.kind === 'process');
  return op.kind === 'start' || op.kind === 'manager';
}
