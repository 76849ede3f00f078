/**
 * The analyzer's own syntax tree ("IR"): plain JavaScript objects lowered from tree-sitter, one
 * tree per top-level statement. Rules never touch tree-sitter; they read this.
 *
 * Positions are offsets (UTF-16 code units, like JavaScript strings and VS Code) *relative to the
 * top-level statement* they belong to, so a statement's IR stays valid when text above it moves:
 * `top.base` is updated instead (`top.base + node.s` is the offset in the document).
 *
 * Expressions the rules never look into (arithmetic, comparisons, f-strings…) are kept as
 * `opaque` nodes carrying the names they read; calls, lambdas, comprehensions and literals inside
 * them are still lowered.
 */

/**
 * A top-level statement. Its IR is cached by its text (offsets inside are relative to its start);
 * `base` moves with edits above it. A "shallow" statement has not been parsed yet: only the
 * names it binds at module level are known (see gate.ts); it is lowered when a rule needs it.
 */
export interface Top {
  /** Offset of the statement in the document (updated on every analysis). */
  base: number;
  text: string;
  depth: 'deep' | 'shallow';
  /** What kind of statement it is, as far as the `__main__` guard fix cares. */
  head: 'def' | 'class' | 'import' | 'other';
  body: Stmt[];
  /** Names this statement binds at module level (including `global` assignments inside functions). */
  moduleBindings: Map<string, Binding[]>;
  /** Every call in the statement, in source order (the pool-call surface is found among them). */
  calls: Call[];
  /** Augmented assignments and `x.value = x.value + …` anywhere in the statement. */
  updates: Update[];
  /** Assignments to an item (`d[k] = v`, `d[k][i] = v`) anywhere in the statement. */
  itemStores: ItemStore[];
  /** Every function and class defined in the statement, at any depth. */
  defs: Def[];
  classes: ClassDef[];
  /** The first sign that this is Python 2 code (a print statement…), if any. */
  python2: Python2Sign | null;
  /** Offset of the first syntax error tree-sitter reported, if any. */
  syntaxError: number | null;
  /** The statement is `if __name__ == "__main__":`. */
  isMainGuard: boolean;
  /** Gate version the statement was last judged with (shallow statements only). */
  gateVersion: number;
}

export interface Python2Sign {
  offset: number;
  what: string;
}

export interface Span {
  top: Top;
  /** Start and end, relative to `top.base`. */
  s: number;
  e: number;
}

// ── Expressions ────────────────────────────────────────────────────────────────────────────────

export type Expr =
  | NameExpr
  | AttrExpr
  | Call
  | Lambda
  | SeqExpr
  | DictExpr
  | CompExpr
  | StrExpr
  | NumExpr
  | CondExpr
  | SubscriptExpr
  | StarExpr
  | KeywordExpr
  | AwaitExpr
  | YieldExpr
  | NamedExpr
  | ConstExpr
  | OpaqueExpr;

export interface NameExpr extends Span {
  t: 'name';
  id: string;
}

export interface AttrExpr extends Span {
  t: 'attr';
  obj: Expr;
  attr: string;
}

export interface Call extends Span {
  t: 'call';
  fn: Expr;
  args: Expr[];
  keywords: KeywordExpr[];
  /** Scope the call is evaluated in. */
  scope: Scope;
  /** The innermost `with` items and `if __name__ == "__main__"` guard around the call. */
  ctx: Context;
}

export interface KeywordExpr extends Span {
  t: 'keyword';
  /** null for `**kwargs`. */
  name: string | null;
  value: Expr;
}

export interface Lambda extends Span {
  t: 'lambda';
  params: Param[];
  body: Expr;
  scope: Scope;
}

export interface SeqExpr extends Span {
  t: 'list' | 'tuple' | 'set';
  items: Expr[];
}

export interface DictExpr extends Span {
  t: 'dict';
  /** null key for `**other`. */
  keys: (Expr | null)[];
  values: Expr[];
}

export interface CompExpr extends Span {
  t: 'listcomp' | 'setcomp' | 'dictcomp' | 'genexp';
  /** The element (the value for dict comprehensions). */
  elt: Expr;
  key: Expr | null;
  /** Iterables of the `for` clauses (the first is evaluated in the enclosing scope). */
  iters: Expr[];
  scope: Scope;
}

export interface StrExpr extends Span {
  t: 'str';
  /** The literal's value, or null for f-strings with interpolations and bytes. */
  value: string | null;
}

export interface NumExpr extends Span {
  t: 'num';
  value: number;
}

export interface ConstExpr extends Span {
  t: 'const';
  value: 'None' | 'True' | 'False' | '...';
}

export interface CondExpr extends Span {
  t: 'cond';
  body: Expr;
  test: Expr;
  orelse: Expr;
}

export interface SubscriptExpr extends Span {
  t: 'subscript';
  obj: Expr;
  index: Expr;
}

export interface StarExpr extends Span {
  t: 'star' | 'dstar';
  value: Expr;
}

export interface AwaitExpr extends Span {
  t: 'await';
  value: Expr;
}

export interface YieldExpr extends Span {
  t: 'yield';
  value: Expr | null;
}

export interface NamedExpr extends Span {
  t: 'walrus';
  name: string;
  value: Expr;
}

/** An expression the rules do not look into; `names` are the identifiers it reads. */
export interface OpaqueExpr extends Span {
  t: 'opaque';
  kind: string;
  names: string[];
  parts: Expr[];
}

// ── Statements ─────────────────────────────────────────────────────────────────────────────────

export type Stmt =
  | Def
  | ClassDef
  | AssignStmt
  | ExprStmt
  | ImportStmt
  | WithStmt
  | IfStmt
  | LoopStmt
  | TryStmt
  | ReturnStmt
  | RaiseStmt
  | NameListStmt
  | OtherStmt;

export interface Param extends Span {
  name: string;
  kind: 'positional' | 'keyword' | 'varargs' | 'kwargs';
  default: Expr | null;
  annotation: Expr | null;
}

export interface Def extends Span {
  k: 'def';
  name: string;
  params: Param[];
  decorators: Expr[];
  /** Start of the first decorator (or of `def`/`async`), for edits that move the whole definition. */
  headStart: number;
  body: Stmt[];
  isAsync: boolean;
  /** The function's own scope (its parent is where it is defined). */
  scope: Scope;
  /** `yield` appears in the body (not in nested functions). */
  yields: boolean;
  returns: Expr[];
  raises: RaiseStmt[];
  /** Loops and comprehensions in the body (for the CPU-bound heuristic). */
  loops: number;
  /** Calls made in the body itself (not in nested functions). */
  calls: Call[];
  /** Every name read in the body, nested functions included. */
  reads: Set<string>;
  /** Mutations of names: `x.append(…)`, `x[k] = …`, `x += …`, `del x[k]`, `x.attr = …`. */
  mutations: Mutation[];
  /** Not parsed yet: only the name is known (see gate.ts). */
  shallow?: boolean;
}

export interface ClassDef extends Span {
  k: 'class';
  name: string;
  bases: Expr[];
  keywords: KeywordExpr[];
  decorators: Expr[];
  body: Stmt[];
  scope: Scope;
  /** `self.x = …` assignments in the methods, by attribute name. */
  attrs: Map<string, { value: Expr; scope: Scope }[]>;
  methods: Map<string, Def>;
  shallow?: boolean;
}

export interface Mutation extends Span {
  /** The mutated name (`x` in `x.append(1)`, `x[k] = v`, `x += 1`). */
  name: string;
  how: 'call' | 'item' | 'attr' | 'rebind' | 'del';
  scope: Scope;
}

export interface AssignStmt extends Span {
  k: 'assign';
  targets: Expr[];
  value: Expr | null;
  /** `+=` etc. for augmented assignments, `=` otherwise. */
  op: string;
  annotation: Expr | null;
}

export interface ExprStmt extends Span {
  k: 'expr';
  value: Expr;
}

export interface ImportStmt extends Span {
  k: 'import';
  /** `import a.b as c` → {module: 'a.b', name: null, alias: 'c'}; `from a import b` → {module: 'a', name: 'b'}. */
  names: { module: string; name: string | null; alias: string | null }[];
}

export interface WithStmt extends Span {
  k: 'with';
  items: { value: Expr; target: Expr | null }[];
  body: Stmt[];
}

export interface IfStmt extends Span {
  k: 'if';
  branches: { test: Expr | null; body: Stmt[] }[];
}

export interface LoopStmt extends Span {
  k: 'for' | 'while';
  target: Expr | null;
  iter: Expr;
  body: Stmt[];
  orelse: Stmt[];
}

export interface TryStmt extends Span {
  k: 'try';
  body: Stmt[];
  handlers: { type: Expr | null; name: string | null; body: Stmt[] }[];
  orelse: Stmt[];
  finalbody: Stmt[];
}

export interface ReturnStmt extends Span {
  k: 'return';
  value: Expr | null;
}

export interface RaiseStmt extends Span {
  k: 'raise';
  exc: Expr | null;
  scope: Scope;
}

export interface NameListStmt extends Span {
  k: 'global' | 'nonlocal';
  names: string[];
}

export interface OtherStmt extends Span {
  k: 'other';
  kind: string;
  exprs: Expr[];
  body: Stmt[];
}

/** An augmented assignment (`v.value += 1`) or a read-modify-write (`v.value = v.value + 1`). */
export interface Update extends Span {
  target: Expr;
  op: string;
  scope: Scope;
  ctx: Context;
  /** Offsets of the whole statement's lines, for the `with v.get_lock():` fix. */
  stmt: Span;
}

/** `target = value` where the target is a subscript (or an attribute of one). */
export interface ItemStore {
  target: Expr;
  value: Expr;
  scope: Scope;
}

/** Where an expression sits: enclosing `with` items (innermost first) and the `__main__` guard. */
export interface Context {
  withs: Expr[];
  /** Inside `if __name__ == "__main__":` at module level. */
  guarded: boolean;
  /** Executed when the module is imported: module level, outside functions and the guard. */
  importTime: boolean;
  /** A `.acquire()` call precedes it in the same function (a lock is held by hand). */
  manualLock: boolean;
}

// ── Scopes ─────────────────────────────────────────────────────────────────────────────────────

export type ScopeKind = 'module' | 'function' | 'class' | 'lambda' | 'comprehension';

export interface Scope {
  kind: ScopeKind;
  parent: Scope | null;
  bindings: Map<string, Binding[]>;
  globals: Set<string> | null;
  nonlocals: Set<string> | null;
  owner: Def | ClassDef | Lambda | CompExpr | null;
}

export type Binding =
  | { k: 'assign'; value: Expr; node: Span; whole: boolean; guarded: boolean; scope: Scope }
  | { k: 'import'; module: string; name: string | null; node: Span; guarded: boolean }
  | { k: 'def'; def: Def; node: Span; guarded: boolean }
  | { k: 'class'; cls: ClassDef; node: Span; guarded: boolean }
  | { k: 'param'; fn: Def | Lambda; index: number; param: Param; node: Span; guarded: false }
  | { k: 'with'; value: Expr; node: Span; whole: boolean; guarded: boolean; scope: Scope; stmt: Span }
  /** `for x in iter` (index: position in `for a, b in …`, null for the whole item). */
  | { k: 'loop'; node: Span; guarded: boolean; iter: Expr | null; scope: Scope | null; index: number | null }
  | { k: 'except' | 'other'; node: Span; guarded: boolean };
