/**
 * PAR021: read-modify-write of a shared `Value`/`Array` outside its lock.
 * PAR023: invalid or overflow-prone `Value`/`Array` type codes (and the hover data for them).
 */
import { wrapInLock } from '../fixes';
import { keyword, type CreateOp, type ModuleView } from '../module';
import type { Expr, Update } from '../syntax/ir';
import { DOTTED } from '../syntax/literals';
import { CTYPES, TYPE_CODES, typeCode } from '../typeCodes';
import { describe, type RuleContext } from './types';

const LOCKISH = /lock|mutex|sem(?:aphore)?\b|cond/i;

export function sharedValueRules(ctx: RuleContext): void {
  const { view } = ctx;
  const incremented = new Map<unknown, Update>();
  for (const top of view.tops) {
    for (const update of top.updates) {
      const obj = update.target.t === 'attr' || update.target.t === 'subscript' ? update.target.obj : null;
      if (!obj) continue;
      if (update.target.t === 'attr' && update.target.attr !== 'value') continue;
      const values = view.values(obj, update.scope).filter((v) => v.v !== 'const');
      if (values.length === 0 || !values.every((v) => v.v === 'mpshared' && /Value|Array/.test(v.label))) continue;
      for (const v of values) if (v.v === 'mpshared') incremented.set(v.at, update);
      if (!values.every((v) => v.v === 'mpshared' && v.lockable)) continue;
      if (update.ctx.manualLock || isLocked(view, update)) continue;
      const objText = describe(obj, 200);
      const fix = DOTTED.test(objText) ? wrapInLock(view, update, objText) : null;
      const kind = values[0].v === 'mpshared' ? values[0].label : 'shared value';
      ctx.report({
        rule: 'PAR021',
        at: update,
        message: `\`${describe(update)}\` on a shared ${kind} is not atomic: concurrent processes lose updates; wrap it in \`with ${DOTTED.test(objText) ? objText : 'v'}.get_lock():\``,
        fix: fix ?? undefined,
      });
    }
  }
  for (const op of view.ops()) {
    if (op.kind === 'shared') typeCodeRule(ctx, op, incremented);
  }
}

/** Inside `with v.get_lock():`, `with v:` or any other lock. */
function isLocked(view: ModuleView, update: Update): boolean {
  for (const item of update.ctx.withs) {
    const text = item.top.text.slice(item.s, item.e);
    if (/\.get_lock\s*\(\s*\)$/.test(text) || LOCKISH.test(text)) return true;
    const values = view.values(item, update.scope);
    if (values.some((v) => v.v === 'threadlock' || v.v === 'mpshared' || (v.v === 'proxy' && !v.container))) return true;
  }
  return false;
}

function typeCodeRule(ctx: RuleContext, op: CreateOp, incremented: Map<unknown, Update>): void {
  const call = op.call;
  const codeExpr = keyword(call, 'typecode_or_type', 0);
  if (!codeExpr) return;
  let code: string | undefined;
  if (codeExpr.t === 'str' && codeExpr.value !== null) {
    code = codeExpr.value;
    ctx.typeCode(codeExpr, code);
  } else if (codeExpr.t === 'attr' && CTYPES[codeExpr.attr]) {
    code = CTYPES[codeExpr.attr];
  } else {
    const strings = ctx.view.values(codeExpr, call.scope).map((v) => (v.v === 'const' ? v.str : undefined));
    if (strings.length === 1 && strings[0] !== undefined) code = strings[0];
  }
  if (code === undefined) return;
  const entry = typeCode(code);
  if (!entry) {
    ctx.report({
      rule: 'PAR023',
      severity: 'error',
      at: codeExpr,
      message: `'${code}' is not a valid type code for ${op.name}: it raises TypeError: this type has no size; use one of ${TYPE_CODES.map((t) => t.code).join(' ')}`,
    });
    return;
  }
  if (entry.min === undefined || entry.max === undefined) return;
  // Initial values that do not fit wrap silently.
  const init = keyword(call, op.name.endsWith('Array') ? 'size_or_initializer' : '*args', 1);
  for (const n of numbers(init)) {
    if (n.value < entry.min || n.value > entry.max) {
      ctx.report({
        rule: 'PAR023',
        at: n.expr,
        message: `${n.value} does not fit in type code '${code}' (C ${entry.ctype}, ${entry.min}…${entry.max}): ${op.name} stores a wrapped value silently; use a wider code such as 'q'`,
      });
      return;
    }
  }
  const update = incremented.get(call);
  if (entry.narrow && update && update.op !== '=' && !/^[-/]/.test(update.op)) {
    ctx.report({
      rule: 'PAR023',
      at: codeExpr,
      message: `type code '${code}' is a C ${entry.ctype} (${entry.min}…${entry.max}) and \`${describe(update)}\` counts up with it, so it wraps silently past ${entry.max}; use 'i' or 'q'`,
    });
  }
}

function numbers(expr: Expr | undefined): { value: number; expr: Expr }[] {
  if (!expr) return [];
  if (expr.t === 'num' && Number.isFinite(expr.value)) return [{ value: expr.value, expr }];
  if (expr.t === 'opaque' && expr.kind === 'unary_operator') {
    const text = expr.top.text.slice(expr.s, expr.e).replace(/\s+/g, '');
    if (/^-\d+$/.test(text)) return [{ value: Number(text), expr }];
  }
  if (expr.t === 'list' || expr.t === 'tuple') return expr.items.flatMap((i) => numbers(i));
  return [];
}
