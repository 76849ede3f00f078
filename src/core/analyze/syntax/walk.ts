/** Walks statements (and the bodies nested in them), knowing the scope each one runs in. */
import type { AssignStmt, Scope, Stmt } from './ir';

/** Calls `visit` for every statement, with the scope of the innermost function or class holding it. */
export function eachStatement(body: readonly Stmt[], scope: Scope, visit: (stmt: Stmt, scope: Scope) => void): void {
  for (const stmt of body) {
    visit(stmt, scope);
    switch (stmt.k) {
      case 'def':
      case 'class':
        eachStatement(stmt.body, stmt.scope, visit);
        break;
      case 'with':
      case 'other':
        eachStatement(stmt.body, scope, visit);
        break;
      case 'if':
        for (const branch of stmt.branches) eachStatement(branch.body, scope, visit);
        break;
      case 'for':
      case 'while':
        eachStatement(stmt.body, scope, visit);
        eachStatement(stmt.orelse, scope, visit);
        break;
      case 'try':
        eachStatement(stmt.body, scope, visit);
        for (const handler of stmt.handlers) eachStatement(handler.body, scope, visit);
        eachStatement(stmt.orelse, scope, visit);
        eachStatement(stmt.finalbody, scope, visit);
        break;
      default:
        break;
    }
  }
}

/** Every plain assignment (`a = b`, not `+=`) with its scope. */
export function eachAssignment(body: readonly Stmt[], scope: Scope, visit: (stmt: AssignStmt, scope: Scope) => void): void {
  eachStatement(body, scope, (stmt, s) => {
    if (stmt.k === 'assign' && stmt.op === '=') visit(stmt, s);
  });
}
