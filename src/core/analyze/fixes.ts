/**
 * Quick fixes — only where the change is mechanical and provably keeps the program's meaning:
 *   - lift a lambda that captures no local variable to a module-level `def`;
 *   - move a nested function that captures nothing to module level;
 *   - wrap a shared-value update in `with v.get_lock():`;
 *   - put the statements that start processes at import time under a `__main__` guard.
 * Each builder returns null when it cannot prove the change safe.
 */
import type { ModuleView } from './module';
import type { Def, Expr, Lambda, Top, Update } from './syntax/ir';
import type { Fix } from './rules/types';

/** Names an expression reads (its own scopes' bound names included; callers filter them). */
export function exprNames(expr: Expr, out: Set<string> = new Set()): Set<string> {
  switch (expr.t) {
    case 'name':
      out.add(expr.id);
      break;
    case 'attr':
      exprNames(expr.obj, out);
      break;
    case 'call':
      exprNames(expr.fn, out);
      for (const a of expr.args) exprNames(a, out);
      for (const k of expr.keywords) exprNames(k.value, out);
      break;
    case 'lambda':
      exprNames(expr.body, out);
      for (const p of expr.params) if (p.default) exprNames(p.default, out);
      break;
    case 'list':
    case 'tuple':
    case 'set':
      for (const i of expr.items) exprNames(i, out);
      break;
    case 'dict':
      for (const k of expr.keys) if (k) exprNames(k, out);
      for (const v of expr.values) exprNames(v, out);
      break;
    case 'listcomp':
    case 'setcomp':
    case 'dictcomp':
    case 'genexp':
      exprNames(expr.elt, out);
      if (expr.key) exprNames(expr.key, out);
      for (const i of expr.iters) exprNames(i, out);
      break;
    case 'cond':
      exprNames(expr.body, out);
      exprNames(expr.test, out);
      exprNames(expr.orelse, out);
      break;
    case 'subscript':
      exprNames(expr.obj, out);
      exprNames(expr.index, out);
      break;
    case 'star':
    case 'dstar':
    case 'await':
    case 'keyword':
      exprNames(expr.value, out);
      break;
    case 'yield':
      if (expr.value) exprNames(expr.value, out);
      break;
    case 'walrus':
      exprNames(expr.value, out);
      break;
    case 'opaque':
      for (const n of expr.names) out.add(n);
      for (const p of expr.parts) exprNames(p, out);
      break;
    default:
      break;
  }
  return out;
}

/** True when `name` read from `scope` is a module-level name or a builtin (not a local or closure variable). */
function isGlobalName(view: ModuleView, name: string, scope: Lambda['scope']): boolean {
  const bound = view.resolver.scopeOf(name, scope);
  return bound === null || bound.kind === 'module';
}

/** A module-level name not used yet: `base`, `base_2`, … */
function freshName(view: ModuleView, base: string): string {
  const taken = (n: string) => view.moduleScope.bindings.has(n) || view.doc.source.includes(n);
  if (!taken(base)) return base;
  for (let i = 2; ; i += 1) if (!taken(`${base}_${i}`)) return `${base}_${i}`;
}

function text(node: { top: Top; s: number; e: number }): string {
  return node.top.text.slice(node.s, node.e);
}

/** `lambda x: x * 2` written in a call → `_map_task` and `def _map_task(x): return x * 2` above the statement. */
export function liftLambda(view: ModuleView, lambda: Lambda, baseName: string): Fix | null {
  const source = text(lambda);
  if (/\b(?:yield|await)\b|:=/.test(source)) return null;
  if (lambda.params.some((p) => p.default && !['str', 'num', 'const'].includes(p.default.t))) return null;
  const params = new Set(lambda.params.map((p) => p.name));
  for (const name of exprNames(lambda.body)) {
    if (!params.has(name) && !isGlobalName(view, name, lambda.scope)) return null;
  }
  if (lambda.scope.parent?.kind === 'class') return null;
  const name = freshName(view, baseName);
  const paramText = lambda.params.length
    ? lambda.top.text.slice(lambda.params[0].s, lambda.params[lambda.params.length - 1].e)
    : '';
  const body = text(lambda.body);
  const returned = body.includes('\n') ? `(${body})` : body;
  const top = lambda.top;
  const start = top.base + lambda.s;
  return {
    title: `Lift the lambda to a module-level function \`${name}\``,
    edits: [
      { start: top.base, end: top.base, text: `def ${name}(${paramText}):\n    return ${returned}\n\n\n` },
      { start, end: top.base + lambda.e, text: name },
    ],
  };
}

/** `square = lambda x: x * x` at module level → `def square(x): return x * x`. */
export function defineAssignedLambda(view: ModuleView, lambda: Lambda): Fix | null {
  const top = lambda.top;
  const stmt = top.body[0];
  if (top.body.length !== 1 || stmt?.k !== 'assign' || stmt.op !== '=' || stmt.value !== lambda || stmt.targets.length !== 1) return null;
  const target = stmt.targets[0];
  if (target.t !== 'name' || stmt.annotation) return null;
  if ((view.moduleScope.bindings.get(target.id) ?? []).length !== 1) return null;
  if (/\b(?:yield|await)\b|:=/.test(text(lambda))) return null;
  const paramText = lambda.params.length ? top.text.slice(lambda.params[0].s, lambda.params[lambda.params.length - 1].e) : '';
  const body = text(lambda.body);
  return {
    title: `Define \`${target.id}\` with def`,
    edits: [{ start: top.base + stmt.s, end: top.base + stmt.e, text: `def ${target.id}(${paramText}):\n    return ${body.includes('\n') ? `(${body})` : body}` }],
  };
}

/** A nested function that captures nothing → moved (dedented) above the top-level statement holding it. */
export function liftNestedDef(view: ModuleView, def: Def): Fix | null {
  const parent = def.scope.parent;
  if (!parent || parent.kind !== 'function' || def.decorators.length > 0 || def.scope.nonlocals) return null;
  if ((parent.bindings.get(def.name) ?? []).length !== 1 || view.moduleScope.bindings.has(def.name)) return null;
  if (def.yields && def.isAsync) return null;
  const locals = def.scope.bindings;
  for (const name of def.reads) {
    if (locals.has(name)) continue;
    if (!isGlobalName(view, name, def.scope)) return null;
  }
  const top = def.top;
  const source = view.doc.source;
  const absHead = top.base + def.headStart;
  const lineStart = source.lastIndexOf('\n', absHead - 1) + 1;
  const indent = source.slice(lineStart, absHead);
  if (!/^[ \t]*$/.test(indent)) return null;
  let lineEnd = source.indexOf('\n', top.base + def.e);
  lineEnd = lineEnd === -1 ? source.length : lineEnd + 1;
  const lines = source.slice(lineStart, lineEnd).split('\n');
  // The blank lines after it go too (they separated it from the rest of the body).
  let removeEnd = lineEnd;
  for (let m = /^[ \t]*\r?\n/.exec(source.slice(removeEnd)); m; m = /^[ \t]*\r?\n/.exec(source.slice(removeEnd))) removeEnd += m[0].length;
  const dedented: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') dedented.push('');
    else if (line.startsWith(indent)) dedented.push(line.slice(indent.length));
    else return null;
  }
  const moved = dedented.join('\n').replace(/\n*$/, '\n');
  return {
    title: `Move \`${def.name}\` to module level`,
    edits: [
      { start: top.base, end: top.base, text: `${moved}\n\n` },
      { start: lineStart, end: removeEnd, text: '' },
    ],
  };
}

/** `v.value += 1` → `with v.get_lock():` around it (the statement must stand alone on its lines). */
export function wrapInLock(view: ModuleView, update: Update, objText: string): Fix | null {
  const source = view.doc.source;
  const top = update.top;
  const start = top.base + update.stmt.s;
  const end = top.base + update.stmt.e;
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const indent = source.slice(lineStart, start);
  if (!/^[ \t]*$/.test(indent)) return null;
  const rest = source.slice(end, source.indexOf('\n', end) === -1 ? source.length : source.indexOf('\n', end));
  if (!/^[ \t]*(?:#.*)?$/.test(rest)) return null;
  const stmt = source.slice(start, end);
  if (stmt.includes('"""') || stmt.includes("'''")) return null;
  const unit = indent.includes('\t') ? '\t' : '    ';
  const body = stmt.split('\n').map((line, i) => (i === 0 ? line : line.trim() === '' ? line : unit + line)).join('\n');
  return {
    title: `Wrap in \`with ${objText}.get_lock():\``,
    edits: [{ start: lineStart, end, text: `${indent}with ${objText}.get_lock():\n${indent}${unit}${body}` }],
  };
}

/**
 * Statements from `first` to the end of the file under `if __name__ == "__main__":` — only when
 * none of them defines a function, class or import a worker may need, and no multi-line string
 * would change by being indented.
 */
export function addMainGuard(view: ModuleView, first: Top): Fix | null {
  const tops = view.doc.statements;
  const index = tops.indexOf(first);
  if (index < 0) return null;
  const run = tops.slice(index);
  for (const top of run) {
    if (top.head !== 'other' || top.isMainGuard || top.defs.length || top.classes.length) return null;
    if (/^[ \t]*(?:async[ \t]+)?(?:def|class|import|from)\b/m.test(top.text)) return null;
    if (top.text.includes('"""') || top.text.includes("'''")) return null;
  }
  const source = view.doc.source;
  const last = run[run.length - 1];
  const start = first.base;
  const end = last.base + last.text.length;
  const indented = source
    .slice(start, end)
    .split('\n')
    .map((line) => (line.trim() === '' ? line : `    ${line}`))
    .join('\n');
  return {
    title: 'Add an `if __name__ == "__main__":` guard',
    edits: [{ start, end, text: `if __name__ == "__main__":\n${indented}` }],
  };
}
