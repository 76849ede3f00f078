/** Text-level helpers for the lowering: string literal values and the names an expression reads. */

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'print', 'exec',
]);

/** String literals (any prefix, single or triple quoted) or identifiers not preceded by a dot. */
const TOKENS = /([rRbBuUfF]{0,2})("""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)|(\.\s*)?([A-Za-z_][A-Za-z0-9_]*)/g;

/** Identifiers an expression reads, from its text (skips attributes, keywords and string contents). */
export function readNames(text: string): string[] {
  const names: string[] = [];
  TOKENS.lastIndex = 0;
  for (let m = TOKENS.exec(text); m; m = TOKENS.exec(text)) {
    if (m[2] !== undefined) continue;
    const name = m[4];
    if (m[3] || KEYWORDS.has(name)) continue;
    // `x=1` inside a call's text is a keyword argument name, not a read.
    const after = text.charCodeAt(TOKENS.lastIndex);
    if (after === 61 /* = */ && text.charCodeAt(TOKENS.lastIndex + 1) !== 61) continue;
    names.push(name);
  }
  return names;
}

export const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** True when an expression's text cannot contain a call, lambda, comprehension, yield or await. */
export function isInert(text: string): boolean {
  return !/[([{]|\blambda\b|\byield\b|\bawait\b|:=/.test(text);
}

/**
 * The value of a plain string literal (`'d'`, `"spawn"`, `r'x'`, `'''doc'''`), or null for bytes,
 * f-strings with interpolations and anything unusual. Escapes are decoded for the common cases.
 */
export function stringValue(text: string): string | null {
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(text);
  if (!m) return null;
  const prefix = m[1].toLowerCase();
  if (prefix.includes('b')) return null;
  const body = m[3];
  if (prefix.includes('f') && /\{(?!\{)/.test(body.replace(/\{\{/g, ''))) return null;
  if (prefix.includes('r') || !body.includes('\\')) return body;
  return body.replace(/\\(n|t|r|\\|'|"|\n)/g, (_all, ch: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' })[ch] ?? ch);
}

/** The value of an integer or float literal (`1_000`, `0x10`, `2.5`), or NaN. */
export function numberValue(text: string): number {
  const clean = text.replace(/_/g, '').toLowerCase();
  if (/^0[box]/.test(clean)) return Number(clean);
  if (/[jl]$/.test(clean)) return Number.NaN;
  return Number(clean);
}
