/**
 * Lowering: tree-sitter's concrete syntax tree → the analyzer's IR (see ir.ts), for one top-level
 * statement parsed on its own. Walks with a TreeCursor; every step crosses into WebAssembly, so it
 * visits as few nodes as it can: expressions whose text shows they hold no call, lambda,
 * comprehension, yield or await are not descended into (their names are read from the text).
 * Objects are built with literal fields only (object spread costs 2.5× here, measured).
 *
 * While lowering it also builds the scopes (bindings per function, class and comprehension), the
 * context of each call (enclosing `with` items, the `__main__` guard, import time) and the facts
 * per function the rules need (yields, returns, raises, loops, mutations of names).
 */
import type { Language, Tree, TreeCursor } from '@vscode/tree-sitter-wasm';
import type {
  Binding, Call, ClassDef, CompExpr, Context, Def, Expr, KeywordExpr, Lambda, Mutation, OpaqueExpr, Param, RaiseStmt,
  Scope, ScopeKind, Span, Stmt, Top,
} from './ir';
import { DOTTED, isInert, numberValue, readNames, stringValue } from './literals';

/** Methods that change a container in place (`x.append(1)` mutates `x`). */
const MUTATORS = new Set([
  'append', 'extend', 'insert', 'remove', 'pop', 'popitem', 'clear', 'update', 'setdefault', 'add', 'discard',
  'sort', 'reverse', 'appendleft', 'extendleft', 'popleft', 'rotate', 'difference_update', 'intersection_update',
  'symmetric_difference_update', '__setitem__', '__delitem__',
]);

const MAIN_GUARD = /^(?:__name__\s*==\s*(['"])__main__\1|(['"])__main__\2\s*==\s*__name__)$/;

const COMPREHENSIONS: Record<string, CompExpr['t']> = {
  list_comprehension: 'listcomp',
  set_comprehension: 'setcomp',
  dictionary_comprehension: 'dictcomp',
  generator_expression: 'genexp',
};

interface FunctionState {
  def: Def | null;
  acquired: boolean;
}

type WithItem = { value: Expr; target: Expr | null };
type Branch = { test: Expr | null; body: Stmt[] };
type Handler = { type: Expr | null; name: string | null; body: Stmt[] };

export class Lowerer {
  private readonly types: string[];
  private readonly fields: (string | null)[];
  private readonly named: boolean[];
  // State while lowering one statement.
  private c!: TreeCursor;
  private text = '';
  private top!: Top;
  private scope!: Scope;
  private ctx!: Context;
  private fn: FunctionState = { def: null, acquired: false };
  private cls: ClassDef | null = null;

  constructor(language: Language) {
    this.types = language.types.map((t) => t ?? 'ERROR');
    this.fields = language.fields;
    this.named = this.types.map((_t, id) => language.nodeTypeIsNamed(id));
  }

  /**
   * Lowers a top-level statement parsed on its own (`tree` was parsed from `top.text`) into `top`,
   * replacing whatever it held. `moduleScope` is the document's module scope.
   */
  lowerInto(top: Top, tree: Tree, moduleScope: Scope): void {
    top.depth = 'deep';
    top.head = 'other';
    top.body = [];
    top.moduleBindings = new Map();
    top.calls = [];
    top.updates = [];
    top.itemStores = [];
    top.defs = [];
    top.classes = [];
    top.python2 = null;
    top.syntaxError = null;
    top.isMainGuard = false;
    this.c = tree.walk();
    this.text = top.text;
    this.top = top;
    this.scope = moduleScope;
    this.ctx = { withs: [], guarded: false, importTime: true, manualLock: false };
    this.fn = { def: null, acquired: false };
    this.cls = null;
    try {
      top.body = this.block();
    } finally {
      this.c.delete();
    }
    const first = top.body[0];
    if (first?.k === 'def') top.head = 'def';
    else if (first?.k === 'class') top.head = 'class';
    else if (first?.k === 'import') top.head = 'import';
    if (tree.rootNode.hasError) top.syntaxError = this.firstError(tree);
  }

  /** Offset of the first ERROR or MISSING node. */
  private firstError(tree: Tree): number {
    const c = tree.walk();
    try {
      for (;;) {
        if (this.types[c.nodeTypeId] === 'ERROR' || c.nodeIsMissing) return c.startIndex;
        if (c.gotoFirstChild()) continue;
        while (!c.gotoNextSibling()) if (!c.gotoParent()) return 0;
      }
    } finally {
      c.delete();
    }
  }

  // ── cursor helpers ─────────────────────────────────────────────────────────────────────────────

  private get start(): number {
    return this.c.startIndex;
  }

  private get end(): number {
    return this.c.endIndex;
  }

  private span(): Span {
    return { top: this.top, s: this.c.startIndex, e: this.c.endIndex };
  }

  private nodeText(): string {
    return this.text.slice(this.c.startIndex, this.c.endIndex);
  }

  /** Calls `visit` on each named child (comments skipped); the cursor is back on the node after. */
  private children(visit: (type: string, field: string | null) => void): void {
    const c = this.c;
    if (!c.gotoFirstChild()) return;
    do {
      const id = c.nodeTypeId;
      if (!this.named[id]) continue;
      const type = this.types[id];
      if (type === 'comment') continue;
      visit(type, this.fields[c.currentFieldId] ?? null);
    } while (c.gotoNextSibling());
    c.gotoParent();
  }

  /** True when the node has an anonymous child with this text (`async`, `,`…). */
  private hasToken(token: string): boolean {
    const c = this.c;
    let found = false;
    if (!c.gotoFirstChild()) return false;
    do {
      if (!this.named[c.nodeTypeId] && this.types[c.nodeTypeId] === token) found = true;
    } while (!found && c.gotoNextSibling());
    c.gotoParent();
    return found;
  }

  private missing(): Expr {
    const at = this.c.startIndex;
    return { top: this.top, s: at, e: at, t: 'const', value: 'None' };
  }

  private other(kind: string, exprs: Expr[], body: Stmt[], s: number, e: number): Stmt {
    return { top: this.top, s, e, k: 'other', kind, exprs, body };
  }

  // ── scopes and bindings ──────────────────────────────────────────────────────────────────────

  private newScope(kind: ScopeKind): Scope {
    return { kind, parent: this.scope, bindings: new Map(), globals: null, nonlocals: null, owner: null };
  }

  private bind(name: string, binding: Binding): void {
    const scope = this.scope;
    if (scope.kind === 'module' || scope.globals?.has(name)) push(this.top.moduleBindings, name, binding);
    else push(scope.bindings, name, binding);
  }

  /** Binds the names of an assignment / for / with target, and records what it mutates. */
  private bindTarget(target: Expr, make: (whole: boolean) => Binding): void {
    switch (target.t) {
      case 'name':
        if (this.fn.def && this.scope.globals?.has(target.id)) this.mutation(target.id, 'rebind', target);
        this.bind(target.id, make(true));
        break;
      case 'list':
      case 'tuple':
        for (const item of target.items) this.bindTarget(item, () => make(false));
        break;
      case 'star':
        this.bindTarget(target.value, () => make(false));
        break;
      case 'subscript':
        if (target.obj.t === 'name') this.mutation(target.obj.id, 'item', target);
        break;
      case 'attr':
        if (target.obj.t === 'name') {
          this.mutation(target.obj.id, 'attr', target);
          this.selfAttribute(target.obj.id, target.attr, make);
        }
        break;
      default:
        break;
    }
  }

  /** `for x in iter` / `for a, b in iter`: each name remembers the iterable and its position. */
  private bindLoopTarget(target: Expr, iter: Expr | null, iterScope: Scope, node: Span): void {
    const guarded = this.ctx.guarded;
    if (target.t === 'tuple' || target.t === 'list') {
      target.items.forEach((item, index) => {
        if (item.t === 'name') this.bindTarget(item, () => ({ k: 'loop', node, guarded, iter, scope: iterScope, index }));
        else this.bindTarget(item, () => ({ k: 'loop', node, guarded, iter: null, scope: null, index: null }));
      });
      return;
    }
    this.bindTarget(target, (whole) => ({ k: 'loop', node, guarded, iter: whole ? iter : null, scope: iterScope, index: null }));
  }

  /** `self.x = value` inside a method: remembered on the class. */
  private selfAttribute(objName: string, attr: string, make: (whole: boolean) => Binding): void {
    const def = this.fn.def;
    const cls = this.cls;
    if (!def || !cls || def.scope.parent !== cls.scope || def.params.length === 0 || def.params[0].name !== objName) return;
    const binding = make(true);
    if (binding.k === 'assign' || binding.k === 'with') push(cls.attrs, attr, { value: binding.value, scope: this.scope });
  }

  private mutation(name: string, how: Mutation['how'], at: Span): void {
    if (!this.fn.def) return;
    this.fn.def.mutations.push({ top: this.top, s: at.s, e: at.e, name, how, scope: this.scope });
  }

  private read(name: string): void {
    if (this.fn.def) this.fn.def.reads.add(name);
  }

  // ── statements ─────────────────────────────────────────────────────────────────────────────────

  private block(): Stmt[] {
    const body: Stmt[] = [];
    this.children((type) => {
      const stmt = this.stmt(type);
      if (stmt) body.push(stmt);
    });
    return body;
  }

  /** Lowers the statement under the cursor. */
  private stmt(type: string): Stmt | null {
    switch (type) {
      case 'expression_statement':
        return this.expressionStatement();
      case 'function_definition':
        return this.def([], null);
      case 'class_definition':
        return this.classDef([]);
      case 'decorated_definition':
        return this.decorated();
      case 'import_statement':
      case 'import_from_statement':
        return this.importStatement(type);
      case 'if_statement':
        return this.ifStatement();
      case 'for_statement':
      case 'while_statement':
        return this.loop(type);
      case 'try_statement':
        return this.tryStatement();
      case 'with_statement':
        return this.withStatement();
      case 'return_statement':
        return this.returnStatement();
      case 'raise_statement':
        return this.raiseStatement();
      case 'global_statement':
      case 'nonlocal_statement':
        return this.nameList(type);
      case 'delete_statement':
        return this.deleteStatement();
      case 'match_statement':
        return this.matchStatement();
      case 'print_statement':
      case 'exec_statement':
        this.top.python2 ??= { offset: this.start, what: type === 'print_statement' ? 'a print statement' : 'an exec statement' };
        return this.other(type, [], [], this.start, this.end);
      case 'ERROR':
        return this.errorNode();
      case 'future_import_statement':
      case 'pass_statement':
      case 'break_statement':
      case 'continue_statement':
        return this.other(type, [], [], this.start, this.end);
      default: {
        // assert, type aliases…: keep the expressions they hold.
        const s = this.start;
        const e = this.end;
        const exprs: Expr[] = [];
        this.children((t) => {
          if (t !== 'type') exprs.push(this.expr(t));
        });
        return this.other(type, exprs, [], s, e);
      }
    }
  }

  /** Error recovery: keep whatever statements and expressions tree-sitter could still recognise. */
  private errorNode(): Stmt {
    const s = this.start;
    const e = this.end;
    const body: Stmt[] = [];
    const exprs: Expr[] = [];
    this.children((type) => {
      if (type.endsWith('_statement') || type.endsWith('_definition')) {
        const stmt = this.stmt(type);
        if (stmt) body.push(stmt);
      } else if (type !== 'ERROR' && type !== 'block') {
        exprs.push(this.expr(type));
      }
    });
    return this.other('ERROR', exprs, body, s, e);
  }

  private expressionStatement(): Stmt {
    const s = this.start;
    const e = this.end;
    const exprs: Expr[] = [];
    let stmt: Stmt | null = null;
    this.children((type) => {
      if (type === 'assignment' || type === 'augmented_assignment') stmt = this.assignment(s, e);
      else exprs.push(this.expr(type));
    });
    if (stmt) return stmt;
    const value: Expr = exprs.length === 1 ? exprs[0] : { top: this.top, s, e, t: 'tuple', items: exprs };
    return { top: this.top, s, e, k: 'expr', value };
  }

  private assignment(stmtStart: number, stmtEnd: number): Stmt {
    const s = this.start;
    const e = this.end;
    const targets: Expr[] = [];
    let value: Expr | null = null;
    let annotation: Expr | null = null;
    let op = '=';
    const visit = (): void => {
      const c = this.c;
      if (!c.gotoFirstChild()) return;
      do {
        const id = c.nodeTypeId;
        const t = this.types[id];
        const f = this.fields[c.currentFieldId];
        if (!this.named[id]) {
          if (f === 'operator') op = t;
          continue;
        }
        if (t === 'comment') continue;
        if (f === 'left') targets.push(this.target(t));
        else if (f === 'type') annotation = this.expr(t);
        else if (f === 'right' && t === 'assignment') visit(); // a = b = value
        else if (f === 'right') value = this.expr(t);
      } while (c.gotoNextSibling());
      c.gotoParent();
    };
    visit();
    if (value) {
      const v: Expr = value;
      const scope = this.scope;
      const guarded = this.ctx.guarded;
      for (const target of targets) {
        this.bindTarget(target, (whole) => ({ k: 'assign', value: v, node: target, whole: whole && op === '=', guarded, scope }));
        if (op === '=' && (target.t === 'subscript' || (target.t === 'attr' && target.obj.t === 'subscript'))) {
          this.top.itemStores.push({ target, value: v, scope });
        }
      }
    }
    const stmtSpan: Span = { top: this.top, s: stmtStart, e: stmtEnd };
    if (op !== '=') this.recordUpdate(targets[0], op, s, e, stmtSpan);
    else if (value && targets.length === 1) this.readModifyWrite(targets[0], value, s, e, stmtSpan);
    return { top: this.top, s, e, k: 'assign', targets, value, op, annotation };
  }

  /** `x.value = x.value + 1` is the same race as `x.value += 1`. */
  private readModifyWrite(target: Expr, value: Expr, s: number, e: number, stmtSpan: Span): void {
    if (target.t !== 'attr' || target.attr !== 'value') return;
    const targetText = this.text.slice(target.s, target.e);
    const valueText = this.text.slice(value.s, value.e);
    if (valueText !== targetText && valueText.includes(targetText)) this.recordUpdate(target, '=', s, e, stmtSpan);
  }

  private recordUpdate(target: Expr | undefined, op: string, s: number, e: number, stmt: Span): void {
    if (!target) return;
    if (op !== '=' && target.t === 'name') this.mutation(target.id, 'rebind', target);
    if (op !== '=' && target.t === 'subscript' && target.obj.t === 'name') this.mutation(target.obj.id, 'item', target);
    if (target.t !== 'attr' && target.t !== 'subscript') return;
    const ctx: Context = this.fn.acquired
      ? { withs: this.ctx.withs, guarded: this.ctx.guarded, importTime: this.ctx.importTime, manualLock: true }
      : this.ctx;
    this.top.updates.push({ top: this.top, s, e, target, op, scope: this.scope, ctx, stmt });
  }

  private decorated(): Stmt | null {
    const decorators: Expr[] = [];
    const headStart = this.start;
    let stmt: Stmt | null = null;
    this.children((type, field) => {
      if (type === 'decorator') {
        this.children((t) => decorators.push(this.expr(t)));
      } else if (field === 'definition') {
        stmt = type === 'class_definition' ? this.classDef(decorators) : this.def(decorators, headStart);
      }
    });
    return stmt;
  }

  private def(decorators: Expr[], headStart: number | null): Def {
    const s = this.start;
    const e = this.end;
    const isAsync = this.hasToken('async');
    const scope = this.newScope('function');
    const def: Def = {
      top: this.top, s, e, k: 'def', name: '', params: [], decorators, headStart: headStart ?? s, body: [],
      isAsync, scope, yields: false, returns: [], raises: [], loops: 0, calls: [], reads: new Set(), mutations: [],
    };
    scope.owner = def;
    this.top.defs.push(def);
    let bound = false;
    const bindName = () => {
      if (!bound && def.name) this.bind(def.name, { k: 'def', def, node: def, guarded: this.ctx.guarded });
      bound = true;
    };
    this.children((type, field) => {
      if (field === 'name') {
        def.name = this.nodeText();
      } else if (field === 'parameters') {
        def.params = this.params(def, scope);
      } else if (field === 'return_type') {
        this.expr(type);
      } else if (field === 'body') {
        bindName();
        this.inFunction(def, scope, () => (def.body = this.block()));
      }
    });
    bindName();
    return def;
  }

  private inFunction(def: Def, scope: Scope, run: () => void): void {
    const saved = { scope: this.scope, ctx: this.ctx, fn: this.fn };
    this.scope = scope;
    this.ctx = { withs: [], guarded: false, importTime: false, manualLock: false };
    this.fn = { def, acquired: false };
    try {
      run();
    } finally {
      this.scope = saved.scope;
      this.ctx = saved.ctx;
      this.fn = saved.fn;
      // What a nested function reads, its parent's body reads too (closures).
      if (this.fn.def) for (const name of def.reads) this.fn.def.reads.add(name);
    }
  }

  /** Parameters of a def or lambda; defaults and annotations are evaluated in the enclosing scope. */
  private params(fn: Def | Lambda, inner: Scope): Param[] {
    const params: Param[] = [];
    let keywordOnly = false;
    this.children((type) => {
      const param: Param = { top: this.top, s: this.start, e: this.end, name: '', kind: keywordOnly ? 'keyword' : 'positional', default: null, annotation: null };
      switch (type) {
        case 'identifier':
          param.name = this.nodeText();
          break;
        case 'typed_parameter':
        case 'default_parameter':
        case 'typed_default_parameter':
          this.children((t, f) => {
            if (t === 'identifier' && (f === 'name' || (f === null && !param.name))) param.name = this.nodeText();
            else if (t === 'list_splat_pattern' || t === 'dictionary_splat_pattern') {
              param.kind = t === 'list_splat_pattern' ? 'varargs' : 'kwargs';
              this.children((tt) => {
                if (tt === 'identifier') param.name = this.nodeText();
              });
            } else if (f === 'type') param.annotation = this.expr(t);
            else if (f === 'value') param.default = this.expr(t);
          });
          break;
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          param.kind = type === 'list_splat_pattern' ? 'varargs' : 'kwargs';
          this.children((t) => {
            if (t === 'identifier') param.name = this.nodeText();
          });
          break;
        case 'keyword_separator':
          keywordOnly = true;
          return;
        default:
          return;
      }
      if (param.kind === 'varargs') keywordOnly = true;
      if (!param.name) return;
      const index = params.length;
      params.push(param);
      push(inner.bindings, param.name, { k: 'param', fn, index, param, node: param, guarded: false });
    });
    return params;
  }

  private classDef(decorators: Expr[]): ClassDef {
    const s = this.start;
    const e = this.end;
    const scope = this.newScope('class');
    const cls: ClassDef = {
      top: this.top, s, e, k: 'class', name: '', bases: [], keywords: [], decorators, body: [], scope,
      attrs: new Map(), methods: new Map(),
    };
    scope.owner = cls;
    this.top.classes.push(cls);
    this.children((type, field) => {
      if (field === 'name') {
        cls.name = this.nodeText();
      } else if (field === 'superclasses') {
        const { args, keywords } = this.argumentList();
        cls.bases = args;
        cls.keywords = keywords;
      } else if (field === 'body') {
        if (cls.name) this.bind(cls.name, { k: 'class', cls, node: cls, guarded: this.ctx.guarded });
        const saved = { scope: this.scope, cls: this.cls };
        this.scope = scope;
        this.cls = cls;
        cls.body = this.block();
        this.scope = saved.scope;
        this.cls = saved.cls;
        for (const stmt of cls.body) if (stmt.k === 'def') cls.methods.set(stmt.name, stmt);
      } else if (type !== 'type_parameter') {
        this.expr(type);
      }
    });
    return cls;
  }

  private importStatement(type: string): Stmt {
    const s = this.start;
    const e = this.end;
    const names: { module: string; name: string | null; alias: string | null }[] = [];
    let module = '';
    this.children((t, field) => {
      if (type === 'import_from_statement' && field === 'module_name') {
        module = this.nodeText().replace(/\s+/g, '');
        return;
      }
      if (t === 'wildcard_import') {
        names.push({ module, name: '*', alias: null });
        return;
      }
      if (field !== 'name') return;
      let dotted = '';
      let alias: string | null = null;
      if (t === 'aliased_import') {
        this.children((_tt, ff) => {
          if (ff === 'name') dotted = this.nodeText().replace(/\s+/g, '');
          else if (ff === 'alias') alias = this.nodeText();
        });
      } else {
        dotted = this.nodeText().replace(/\s+/g, '');
      }
      if (type === 'import_statement') names.push({ module: dotted, name: null, alias });
      else names.push({ module, name: dotted, alias });
    });
    const node: Span = { top: this.top, s, e };
    const guarded = this.ctx.guarded;
    for (const entry of names) {
      if (entry.name === '*') continue;
      if (entry.name === null) {
        // `import a.b` binds `a` (the package); `import a.b as c` binds `c` to `a.b`.
        const bound = entry.alias ?? entry.module.split('.')[0];
        const target = entry.alias ? entry.module : entry.module.split('.')[0];
        this.bind(bound, { k: 'import', module: target, name: null, node, guarded });
      } else {
        this.bind(entry.alias ?? entry.name, { k: 'import', module: entry.module, name: entry.name, node, guarded });
      }
    }
    return { top: this.top, s, e, k: 'import', names };
  }

  private ifStatement(): Stmt {
    const s = this.start;
    const e = this.end;
    const branches: Branch[] = [];
    let isGuard = false;
    const outer = this.ctx;
    this.children((type, field) => {
      if (field === 'condition') {
        isGuard = this.scope.kind === 'module' && !outer.guarded && MAIN_GUARD.test(this.nodeText().trim());
        branches.push({ test: this.expr(type), body: [] });
      } else if (field === 'consequence') {
        if (isGuard) this.ctx = { withs: outer.withs, guarded: true, importTime: false, manualLock: false };
        if (branches.length) branches[branches.length - 1].body = this.block();
        this.ctx = outer;
      } else if (type === 'elif_clause' || type === 'else_clause') {
        const branch: Branch = { test: null, body: [] };
        branches.push(branch);
        this.children((t, f) => {
          if (f === 'condition') branch.test = this.expr(t);
          else if (t === 'block') branch.body = this.block();
        });
      }
    });
    if (isGuard) this.top.isMainGuard = true;
    return { top: this.top, s, e, k: 'if', branches };
  }

  private loop(type: string): Stmt {
    const s = this.start;
    const e = this.end;
    let target: Expr | null = null;
    let iter: Expr | null = null;
    let body: Stmt[] = [];
    let orelse: Stmt[] = [];
    if (this.fn.def) this.fn.def.loops += 1;
    this.children((t, field) => {
      if (field === 'left') target = this.target(t);
      else if (field === 'right' || field === 'condition') iter = this.expr(t);
      else if (field === 'body') body = this.block();
      else if (t === 'else_clause') {
        this.children((tt) => {
          if (tt === 'block') orelse = this.block();
        });
      }
    });
    if (target) this.bindLoopTarget(target, type === 'for_statement' ? iter : null, this.scope, { top: this.top, s, e });
    const k = type === 'for_statement' ? 'for' : 'while';
    return { top: this.top, s, e, k, target, iter: iter ?? this.missing(), body, orelse };
  }

  private tryStatement(): Stmt {
    const s = this.start;
    const e = this.end;
    let body: Stmt[] = [];
    const handlers: Handler[] = [];
    let orelse: Stmt[] = [];
    let finalbody: Stmt[] = [];
    this.children((type, field) => {
      if (field === 'body') body = this.block();
      else if (type === 'except_clause' || type === 'except_group_clause') handlers.push(this.handler());
      else if (type === 'else_clause' || type === 'finally_clause') {
        this.children((t) => {
          if (t !== 'block') return;
          if (type === 'else_clause') orelse = this.block();
          else finalbody = this.block();
        });
      }
    });
    return { top: this.top, s, e, k: 'try', body, handlers, orelse, finalbody };
  }

  private handler(): Handler {
    const handler: Handler = { type: null, name: null, body: [] };
    if (this.hasToken(',')) this.top.python2 ??= { offset: this.start, what: 'an `except E, e:` clause' };
    this.children((t) => {
      if (t === 'block') handler.body = this.block();
      else if (t === 'as_pattern') {
        this.children((tt, ff) => {
          if (ff === 'alias') {
            handler.name = this.nodeText().trim();
            this.bind(handler.name, { k: 'except', node: this.span(), guarded: this.ctx.guarded });
          } else handler.type = this.expr(tt);
        });
      } else if (handler.type === null) handler.type = this.expr(t);
    });
    return handler;
  }

  private withStatement(): Stmt {
    const s = this.start;
    const e = this.end;
    const items: WithItem[] = [];
    let body: Stmt[] = [];
    const outer = this.ctx;
    this.children((type) => {
      if (type === 'with_clause') {
        this.children((t) => {
          if (t === 'with_item') this.children((tt) => this.withItem(tt, items, { top: this.top, s, e }));
        });
      } else if (type === 'block') {
        const withs = items.map((i) => i.value);
        for (const w of outer.withs) withs.push(w);
        this.ctx = { withs, guarded: outer.guarded, importTime: outer.importTime, manualLock: outer.manualLock };
        body = this.block();
        this.ctx = outer;
      }
    });
    return { top: this.top, s, e, k: 'with', items, body };
  }

  private withItem(type: string, items: WithItem[], stmt: Span): void {
    if (type === 'parenthesized_expression') {
      this.children((t) => this.withItem(t, items, stmt));
      return;
    }
    if (type !== 'as_pattern') {
      items.push({ value: this.expr(type), target: null });
      return;
    }
    let value: Expr | null = null;
    let target: Expr | null = null;
    this.children((t, f) => {
      if (f === 'alias') {
        this.children((tt) => {
          target = this.target(tt);
        });
      } else value = this.expr(t);
    });
    if (!value) return;
    const v: Expr = value;
    items.push({ value: v, target });
    if (target) {
      const scope = this.scope;
      const guarded = this.ctx.guarded;
      const node: Span = target;
      this.bindTarget(target, (whole) => ({ k: 'with', value: v, node, whole, guarded, scope, stmt }));
    }
  }

  private returnStatement(): Stmt {
    const s = this.start;
    const e = this.end;
    let value: Expr | null = null;
    this.children((t) => {
      value = this.expr(t);
    });
    if (value && this.fn.def) this.fn.def.returns.push(value);
    return { top: this.top, s, e, k: 'return', value };
  }

  private raiseStatement(): Stmt {
    const s = this.start;
    const e = this.end;
    let exc: Expr | null = null;
    this.children((t, f) => {
      const value = this.expr(t);
      if (f !== 'cause') exc = value;
    });
    const stmt: RaiseStmt = { top: this.top, s, e, k: 'raise', exc, scope: this.scope };
    this.fn.def?.raises.push(stmt);
    return stmt;
  }

  private nameList(type: string): Stmt {
    const s = this.start;
    const e = this.end;
    const names: string[] = [];
    this.children((t) => {
      if (t === 'identifier') names.push(this.nodeText());
    });
    const k = type === 'global_statement' ? 'global' : 'nonlocal';
    if (this.scope.kind !== 'module') {
      const set = k === 'global' ? (this.scope.globals ??= new Set()) : (this.scope.nonlocals ??= new Set());
      for (const name of names) set.add(name);
    }
    return { top: this.top, s, e, k, names };
  }

  private deleteStatement(): Stmt {
    const s = this.start;
    const e = this.end;
    const exprs: Expr[] = [];
    this.children((t) => exprs.push(this.expr(t)));
    for (const expr of exprs) {
      for (const target of expr.t === 'tuple' || expr.t === 'list' ? expr.items : [expr]) {
        if (target.t === 'subscript' && target.obj.t === 'name') this.mutation(target.obj.id, 'del', target);
      }
    }
    return this.other('delete_statement', exprs, [], s, e);
  }

  private matchStatement(): Stmt {
    const s = this.start;
    const e = this.end;
    const exprs: Expr[] = [];
    const body: Stmt[] = [];
    this.children((type, field) => {
      if (field === 'subject') exprs.push(this.expr(type));
      else if (type === 'block') {
        this.children((t) => {
          if (t !== 'case_clause') return;
          this.children((tt) => {
            if (tt === 'block') for (const stmt of this.block()) body.push(stmt);
          });
        });
      }
    });
    return this.other('match_statement', exprs, body, s, e);
  }

  // ── expressions ────────────────────────────────────────────────────────────────────────────────

  /** Lowers an assignment target (bindings and mutations are recorded by the caller). */
  private target(type: string): Expr {
    switch (type) {
      case 'identifier':
        return { top: this.top, s: this.start, e: this.end, t: 'name', id: this.nodeText() };
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'expression_list':
      case 'tuple':
      case 'list': {
        const s = this.start;
        const e = this.end;
        const items: Expr[] = [];
        this.children((t) => items.push(this.target(t)));
        return { top: this.top, s, e, t: type.startsWith('list') ? 'list' : 'tuple', items };
      }
      case 'list_splat_pattern':
      case 'list_splat': {
        const s = this.start;
        const e = this.end;
        let value: Expr | null = null;
        this.children((t) => {
          value = this.target(t);
        });
        return { top: this.top, s, e, t: 'star', value: value ?? this.missing() };
      }
      case 'parenthesized_expression': {
        let inner: Expr | null = null;
        this.children((t) => {
          inner = this.target(t);
        });
        return inner ?? this.opaque(type);
      }
      default:
        return this.expr(type);
    }
  }

  /** Lowers the expression under the cursor. */
  private expr(type: string): Expr {
    switch (type) {
      case 'identifier': {
        const id = this.nodeText();
        this.read(id);
        return { top: this.top, s: this.start, e: this.end, t: 'name', id };
      }
      case 'attribute':
        return this.attribute();
      case 'call':
        return this.call();
      case 'lambda':
        return this.lambda();
      case 'string':
      case 'concatenated_string':
        return this.string(type);
      case 'integer':
      case 'float':
        return { top: this.top, s: this.start, e: this.end, t: 'num', value: numberValue(this.nodeText()) };
      case 'none':
      case 'true':
      case 'false':
      case 'ellipsis': {
        const value = ({ none: 'None', true: 'True', false: 'False', ellipsis: '...' } as const)[type];
        return { top: this.top, s: this.start, e: this.end, t: 'const', value };
      }
      case 'parenthesized_expression': {
        let inner: Expr | null = null;
        this.children((t) => {
          inner = this.expr(t);
        });
        return inner ?? this.opaque(type);
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list': {
        const s = this.start;
        const e = this.end;
        const items: Expr[] = [];
        this.children((t) => items.push(this.expr(t)));
        return { top: this.top, s, e, t: type === 'expression_list' ? 'tuple' : type, items };
      }
      case 'dictionary':
        return this.dictionary();
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return this.comprehension(type);
      case 'conditional_expression': {
        const s = this.start;
        const e = this.end;
        const parts: Expr[] = [];
        this.children((t) => parts.push(this.expr(t)));
        if (parts.length !== 3) return { top: this.top, s, e, t: 'opaque', kind: type, names: [], parts };
        return { top: this.top, s, e, t: 'cond', body: parts[0], test: parts[1], orelse: parts[2] };
      }
      case 'subscript': {
        const s = this.start;
        const e = this.end;
        let obj: Expr | null = null;
        const index: Expr[] = [];
        this.children((t, f) => {
          if (f === 'value') obj = this.expr(t);
          else index.push(this.expr(t));
        });
        const idx: Expr = index.length === 1 ? index[0] : { top: this.top, s, e, t: 'tuple', items: index };
        return { top: this.top, s, e, t: 'subscript', obj: obj ?? this.missing(), index: idx };
      }
      case 'list_splat':
      case 'dictionary_splat':
      case 'parenthesized_list_splat': {
        const s = this.start;
        const e = this.end;
        let value: Expr | null = null;
        this.children((t) => {
          value = this.expr(t);
        });
        return { top: this.top, s, e, t: type === 'dictionary_splat' ? 'dstar' : 'star', value: value ?? this.missing() };
      }
      case 'await': {
        const s = this.start;
        const e = this.end;
        let value: Expr | null = null;
        this.children((t) => {
          value = this.expr(t);
        });
        return { top: this.top, s, e, t: 'await', value: value ?? this.missing() };
      }
      case 'yield': {
        const s = this.start;
        const e = this.end;
        let value: Expr | null = null;
        this.children((t) => {
          value = this.expr(t);
        });
        if (this.fn.def && this.scope === this.fn.def.scope) this.fn.def.yields = true;
        return { top: this.top, s, e, t: 'yield', value };
      }
      case 'named_expression':
        return this.walrus();
      case 'type': {
        // An annotation: the expression inside.
        let inner: Expr | null = null;
        let count = 0;
        this.children((t) => {
          count += 1;
          if (count === 1) inner = this.expr(t);
        });
        return count === 1 && inner ? inner : this.opaque(type);
      }
      case 'keyword_argument':
        return this.keyword();
      default:
        return this.opaque(type);
    }
  }

  /** Operators and anything else: descended into only when the text may hold something that matters. */
  private opaque(kind: string): OpaqueExpr {
    const s = this.start;
    const e = this.end;
    const text = this.text.slice(s, e);
    if (kind === 'ERROR' && this.top.syntaxError === null) this.top.syntaxError = s;
    if (isInert(text)) {
      const names = readNames(text);
      for (const name of names) this.read(name);
      return { top: this.top, s, e, t: 'opaque', kind, names, parts: [] };
    }
    const parts: Expr[] = [];
    this.children((t) => parts.push(this.expr(t)));
    return { top: this.top, s, e, t: 'opaque', kind, names: [], parts };
  }

  private attribute(): Expr {
    const s = this.start;
    const e = this.end;
    const text = this.text.slice(s, e);
    if (DOTTED.test(text)) {
      // a.b.c from its text, without visiting the nodes.
      const parts = text.split('.');
      this.read(parts[0]);
      let node: Expr = { top: this.top, s, e: s + parts[0].length, t: 'name', id: parts[0] };
      let offset = s + parts[0].length;
      for (let i = 1; i < parts.length; i += 1) {
        offset += 1 + parts[i].length;
        node = { top: this.top, s, e: offset, t: 'attr', obj: node, attr: parts[i] };
      }
      return node;
    }
    let obj: Expr | null = null;
    let attr = '';
    this.children((t, f) => {
      if (f === 'object') obj = this.expr(t);
      else if (f === 'attribute') attr = this.nodeText();
    });
    return { top: this.top, s, e, t: 'attr', obj: obj ?? this.missing(), attr };
  }

  private call(): Call {
    const s = this.start;
    const e = this.end;
    let fn: Expr | null = null;
    let args: Expr[] = [];
    let keywords: KeywordExpr[] = [];
    this.children((type, field) => {
      if (field === 'function') fn = this.expr(type);
      else if (field === 'arguments') {
        if (type === 'generator_expression') args = [this.expr(type)];
        else ({ args, keywords } = this.argumentList());
      }
    });
    const callee: Expr = fn ?? this.missing();
    if (callee.t === 'attr') {
      if (callee.attr === 'acquire') this.fn.acquired = true;
      if (MUTATORS.has(callee.attr) && callee.obj.t === 'name') this.mutation(callee.obj.id, 'call', { top: this.top, s, e });
    }
    const ctx: Context = this.fn.acquired
      ? { withs: this.ctx.withs, guarded: this.ctx.guarded, importTime: this.ctx.importTime, manualLock: true }
      : this.ctx;
    const call: Call = { top: this.top, s, e, t: 'call', fn: callee, args, keywords, scope: this.scope, ctx };
    this.top.calls.push(call);
    this.fn.def?.calls.push(call);
    return call;
  }

  private argumentList(): { args: Expr[]; keywords: KeywordExpr[] } {
    const args: Expr[] = [];
    const keywords: KeywordExpr[] = [];
    this.children((type) => {
      if (type === 'keyword_argument') keywords.push(this.keyword());
      else if (type === 'dictionary_splat') {
        const s = this.start;
        const e = this.end;
        let value: Expr | null = null;
        this.children((t) => {
          value = this.expr(t);
        });
        keywords.push({ top: this.top, s, e, t: 'keyword', name: null, value: value ?? this.missing() });
      } else args.push(this.expr(type));
    });
    return { args, keywords };
  }

  private keyword(): KeywordExpr {
    const s = this.start;
    const e = this.end;
    let name = '';
    let value: Expr | null = null;
    this.children((t, f) => {
      if (f === 'name') name = this.nodeText();
      else if (f === 'value') value = this.expr(t);
    });
    return { top: this.top, s, e, t: 'keyword', name, value: value ?? this.missing() };
  }

  private dictionary(): Expr {
    const s = this.start;
    const e = this.end;
    const keys: (Expr | null)[] = [];
    const values: Expr[] = [];
    this.children((t) => {
      let key: Expr | null = null;
      let value: Expr | null = null;
      if (t === 'pair') {
        this.children((tt, f) => {
          if (f === 'key') key = this.expr(tt);
          else if (f === 'value') value = this.expr(tt);
        });
      } else if (t === 'dictionary_splat') {
        this.children((tt) => {
          value = this.expr(tt);
        });
      } else return;
      keys.push(key);
      values.push(value ?? this.missing());
    });
    return { top: this.top, s, e, t: 'dict', keys, values };
  }

  private walrus(): Expr {
    const s = this.start;
    const e = this.end;
    let name = '';
    let value: Expr | null = null;
    this.children((t, f) => {
      if (f === 'name') name = this.nodeText();
      else value = this.expr(t);
    });
    const v = value ?? this.missing();
    // A walrus in a comprehension binds in the enclosing function.
    const saved = this.scope;
    while (this.scope.kind === 'comprehension' && this.scope.parent) this.scope = this.scope.parent;
    if (name) this.bind(name, { k: 'assign', value: v, node: { top: this.top, s, e }, whole: true, guarded: this.ctx.guarded, scope: this.scope });
    this.scope = saved;
    return { top: this.top, s, e, t: 'walrus', name, value: v };
  }

  private lambda(): Lambda {
    const s = this.start;
    const e = this.end;
    const scope = this.newScope('lambda');
    const lambda: Lambda = { top: this.top, s, e, t: 'lambda', params: [], body: this.missing(), scope };
    scope.owner = lambda;
    this.children((type, field) => {
      if (field === 'parameters') lambda.params = this.params(lambda, scope);
      else if (field === 'body') {
        const saved = this.scope;
        this.scope = scope;
        lambda.body = this.expr(type);
        this.scope = saved;
      }
    });
    return lambda;
  }

  private comprehension(type: string): CompExpr {
    const s = this.start;
    const e = this.end;
    const scope = this.newScope('comprehension');
    const comp: CompExpr = { top: this.top, s, e, t: COMPREHENSIONS[type], elt: this.missing(), key: null, iters: [], scope };
    scope.owner = comp;
    if (this.fn.def) this.fn.def.loops += 1;
    const saved = this.scope;
    // The clauses first (they bind the names the element reads), then the element.
    const c = this.c;
    let bodyIndex = -1;
    let index = 0;
    let first = true;
    if (c.gotoFirstChild()) {
      do {
        const id = c.nodeTypeId;
        if (!this.named[id]) continue;
        const childType = this.types[id];
        if (this.fields[c.currentFieldId] === 'body') bodyIndex = index;
        else if (childType === 'for_in_clause') {
          let target: Expr | null = null;
          let iter: Expr | null = null;
          // The first iterable is evaluated in the enclosing scope, the others in the comprehension.
          const iterScope = first ? saved : scope;
          this.children((tt, f) => {
            if (f === 'right') {
              this.scope = iterScope;
              iter = this.expr(tt);
              comp.iters.push(iter);
            } else if (f === 'left') {
              this.scope = scope;
              target = this.target(tt);
            }
          });
          this.scope = scope;
          if (target) this.bindLoopTarget(target, iter, iterScope, target);
          first = false;
        } else if (childType === 'if_clause') {
          this.scope = scope;
          this.children((tt) => this.expr(tt));
        }
        index += 1;
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    this.scope = scope;
    if (bodyIndex >= 0 && c.gotoFirstChild()) {
      let i = 0;
      do {
        const id = c.nodeTypeId;
        if (!this.named[id]) continue;
        if (i === bodyIndex) {
          const bodyType = this.types[id];
          if (bodyType === 'pair') {
            this.children((tt, f) => {
              if (f === 'key') comp.key = this.expr(tt);
              else if (f === 'value') comp.elt = this.expr(tt);
            });
          } else comp.elt = this.expr(bodyType);
          break;
        }
        i += 1;
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    this.scope = saved;
    return comp;
  }

  private string(type: string): Expr {
    const s = this.start;
    const e = this.end;
    if (type === 'string') return { top: this.top, s, e, t: 'str', value: stringValue(this.text.slice(s, e)) };
    // Concatenated literals: joined when every part is plain.
    const parts: (string | null)[] = [];
    this.children((t) => parts.push(t === 'string' ? stringValue(this.nodeText()) : null));
    const value = parts.every((p) => p !== null) ? parts.join('') : null;
    return { top: this.top, s, e, t: 'str', value };
  }
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
