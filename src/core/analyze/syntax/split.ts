/**
 * Splits Python source into its top-level statements without parsing it: a scanner that knows
 * strings (all prefixes, triple quotes, f-string braces), comments, brackets and line
 * continuations. A top-level statement starts on a line whose first character is at column 0,
 * outside any bracket or string; `else`/`elif`/`except`/`finally` continue the statement before,
 * and decorators join the definition they decorate.
 *
 * Error recovery: inside an unclosed bracket, a line starting at column 0 with `def`, `class`,
 * `@`, `import` or `from` starts a new statement anyway, so a half-typed call does not swallow
 * the rest of the file.
 *
 * Each statement is then parsed on its own by tree-sitter (it parses the same alone as in the
 * file: it starts at column 0 in a clean lexical state) — only when the analysis needs it.
 */

export interface StatementSlice {
  /** Offset of the statement's first character (column 0). */
  start: number;
  /** Offset just after its last code character (trailing blank and comment lines excluded). */
  end: number;
  /** A bracket or string was still open where the statement ended (it cannot parse cleanly). */
  unclosed: boolean;
}

const CONTINUES = /^(?:else|elif|except|finally)\b/;
const RECOVERS = /^(?:def|class|import|from|async\s+def)\b|^@/;
const DEFINITION = /^(?:async\s+)?(?:def|class)\b/;

/**
 * Splits `text` from `from` (0, or the start of a statement). With `stop`, splitting ends at the
 * first statement start it accepts (an edit's unchanged tail); `stoppedAt` is that offset.
 */
export function splitStatements(text: string, from = 0, stop?: (start: number) => boolean): StatementSlice[] & { stoppedAt?: number } {
  const out: StatementSlice[] & { stoppedAt?: number } = [];
  const n = text.length;
  let depth = 0;
  let current: StatementSlice | null = null;
  /** The current statement is decorators still waiting for their def/class. */
  let decorating = false;
  /** Offset just after the last code character seen (for `end`). */
  let lastCode = 0;
  /** A string ran to the end of the text. */
  let unterminated = false;
  let i = from;
  while (i < n) {
    // ── at the start of a line ──
    const lineStart = i;
    let j = i;
    while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 12)) j += 1;
    const ch = text.charCodeAt(j);
    const blank = j >= n || ch === 10 || ch === 13 || ch === 35; /* \n \r # */
    if (!blank && j === lineStart) {
      const head = text.slice(j, j + 12);
      const newStatement =
        (depth === 0 && !(current && (CONTINUES.test(head) || (decorating && (DEFINITION.test(head) || head.startsWith('@')))))) ||
        (depth > 0 && RECOVERS.test(head) && !(decorating && (DEFINITION.test(head) || head.startsWith('@'))));
      if (newStatement) {
        if (current) {
          current.end = lastCode;
          current.unclosed = depth > 0;
          out.push(current);
        }
        if (stop && depth === 0 && stop(lineStart)) {
          out.stoppedAt = lineStart;
          return out;
        }
        current = { start: lineStart, end: lineStart, unclosed: false };
        depth = 0;
        decorating = head.startsWith('@');
      } else if (decorating && DEFINITION.test(head)) {
        decorating = false;
      }
    } else if (!blank && current === null) {
      // Indented code before any statement (a fragment): keep it as a statement of its own.
      current = { start: lineStart, end: lineStart, unclosed: false };
    }
    // ── scan the rest of the logical line (strings and brackets may continue past it) ──
    i = j;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        i += 1;
        // Inside brackets the line goes on, unless the next line is a recovery point.
        if (depth === 0 || RECOVERS.test(text.slice(i, i + 12))) break;
        continue;
      }
      if (c === 13 || c === 32 || c === 9 || c === 12) {
        i += 1;
        continue;
      }
      if (c === 35 /* # */) {
        while (i < n && text.charCodeAt(i) !== 10) i += 1;
        continue;
      }
      if (c === 92 /* \ */) {
        // A line continuation: the next line belongs to this one whatever its indentation.
        i += 1;
        if (text.charCodeAt(i) === 13) i += 1;
        if (text.charCodeAt(i) === 10) i += 1;
        continue;
      }
      if (c === 34 || c === 39 /* " ' */) {
        const end = skipString(text, i, prefixAt(text, i));
        if (end >= n && !closedAt(text, i, end)) unterminated = true;
        i = end;
        lastCode = i;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) depth += 1;
      else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth -= 1;
      i += 1;
      lastCode = i;
    }
  }
  if (current) {
    current.end = Math.max(lastCode, current.start);
    current.unclosed = depth > 0 || unterminated;
    out.push(current);
  }
  return out;
}

/** True when the string starting at `start` really ends with its closing quote at `end`. */
function closedAt(text: string, start: number, end: number): boolean {
  const q = text[start];
  const triple = text.startsWith(q.repeat(3), start);
  return triple ? end - start >= 6 && text.endsWith(q.repeat(3)) : end - start >= 2 && text[end - 1] === q;
}

/** The string prefix letters just before a quote (`rb`, `f`…), lower-cased. */
function prefixAt(text: string, quote: number): string {
  let p = quote;
  while (p > 0 && p > quote - 3 && /[rRbBuUfFtT]/.test(text[p - 1])) p -= 1;
  if (p > 0 && /[A-Za-z0-9_]/.test(text[p - 1])) return '';
  return text.slice(p, quote).toLowerCase();
}

/** Offset just after the string literal starting at `i` (or the end of the text if unterminated). */
export function skipString(text: string, i: number, prefix: string): number {
  const n = text.length;
  const q = text.charCodeAt(i);
  const triple = text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q;
  const format = prefix.includes('f') || prefix.includes('t');
  i += triple ? 3 : 1;
  let braces = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (braces > 0) {
      // Inside an f-string replacement field: nested strings and brackets.
      if (c === 34 || c === 39) {
        i = skipString(text, i, prefixAt(text, i));
        continue;
      }
      if (c === 123) braces += 1;
      else if (c === 125) braces -= 1;
      else if (c === 10 && !triple && braces === 0) return i;
      i += 1;
      continue;
    }
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === 10 && !triple) return i; // unterminated single-quoted string ends at the line
    if (format && c === 123) {
      if (text.charCodeAt(i + 1) === 123) i += 2;
      else {
        braces = 1;
        i += 1;
      }
      continue;
    }
    if (c === q) {
      if (!triple) return i + 1;
      if (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q) return i + 3;
    }
    i += 1;
  }
  return n;
}
