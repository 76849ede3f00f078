/**
 * A Python document kept analysable across edits.
 *
 * The text is split into top-level statements by a scanner (syntax/split.ts). Each statement is
 * parsed by tree-sitter *on its own* and lowered to IR, cached by its text with offsets relative
 * to its start — so an edit re-parses only the statements whose text changed (measured on a
 * 10,000-line file: tree-sitter's own incremental re-parse of the whole tree costs ~9 ms, one
 * statement well under 1 ms). Statements that name nothing parallel are not parsed until a rule
 * needs them (syntax/gate.ts).
 */
import type { PythonGrammar } from './parser';
import type { Scope, Top } from './syntax/ir';
import { Lowerer } from './syntax/lower';
import { splitStatements } from './syntax/split';
import { Gate, isInterestingValue, isRelevantModule, shallowTop } from './syntax/gate';

export interface UpdateStats {
  statements: number;
  /** Statements parsed and lowered by this update (the rest came from the cache or stayed shallow). */
  parsed: number;
  shallow: number;
}

export class ParsedDocument {
  private text = '';
  private tops: Top[] = [];
  private lineStarts: number[] = [0];
  private readonly gate = new Gate();
  readonly moduleScope: Scope = { kind: 'module', parent: null, bindings: new Map(), globals: null, nonlocals: null, owner: null };
  /** What the last update did (for tests and the benchmark). */
  stats: UpdateStats = { statements: 0, parsed: 0, shallow: 0 };

  constructor(private readonly grammar: PythonGrammar, private readonly lowerer: Lowerer = new Lowerer(grammar.language)) {}

  get statements(): readonly Top[] {
    return this.tops;
  }

  get source(): string {
    return this.text;
  }

  /** Brings the document to `text`, parsing as little as possible. */
  update(text: string): void {
    if (text === this.text && this.tops.length) {
      this.stats = { statements: this.tops.length, parsed: 0, shallow: this.countShallow() };
      return;
    }
    const cache = new Map<string, Top[]>();
    for (const top of this.tops) {
      const list = cache.get(top.text);
      if (list) list.push(top);
      else cache.set(top.text, [top]);
    }
    let parsed = 0;
    const tops: Top[] = [];
    for (const slice of splitStatements(text)) {
      const stmtText = text.slice(slice.start, slice.end);
      let top = cache.get(stmtText)?.pop();
      if (!top) {
        top = shallowTop(stmtText, slice.start, this.moduleScope);
        top.gateVersion = this.gate.version;
        if (slice.unclosed || this.gate.isHot(stmtText)) {
          this.lower(top);
          parsed += 1;
        }
      }
      top.base = slice.start;
      tops.push(top);
    }
    this.tops = tops;
    this.text = text;
    this.lineStarts = computeLineStarts(text);
    parsed += this.refreshGate();
    this.stats = { statements: tops.length, parsed, shallow: this.countShallow() };
  }

  /** Parses and lowers a shallow statement (a rule needs what is inside it). */
  deepen(top: Top): void {
    if (top.depth === 'shallow') this.lower(top);
  }

  /** 0-based line and column (UTF-16) of an offset in the current text. */
  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - starts[lo] };
  }

  /** Offset of a 0-based line and column in the current text. */
  offsetAt(line: number, column: number): number {
    const start = this.lineStarts[Math.min(Math.max(line, 0), this.lineStarts.length - 1)];
    return Math.min(start + column, this.text.length);
  }

  /** The statement holding an offset, if any. */
  statementAt(offset: number): Top | null {
    const tops = this.tops;
    let lo = 0;
    let hi = tops.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (tops[mid].base <= offset) lo = mid;
      else hi = mid - 1;
    }
    const top = tops[lo];
    return top && top.base <= offset && offset <= top.base + top.text.length ? top : null;
  }

  dispose(): void {
    this.tops = [];
  }

  private lower(top: Top): void {
    const tree = this.grammar.parse(top.text);
    try {
      this.lowerer.lowerInto(top, tree, this.moduleScope);
    } finally {
      tree.delete();
    }
  }

  /**
   * Names bound at module level to something parallel (a pool, a lock, a lambda, an alias of
   * multiprocessing…) make the statements that use them worth parsing too.
   */
  private refreshGate(): number {
    let parsed = 0;
    for (let round = 0; round < 4; round += 1) {
      const names: string[] = [];
      for (const top of this.tops) {
        if (top.depth !== 'deep') continue;
        for (const [name, bindings] of top.moduleBindings) {
          const interesting = bindings.some((b) =>
            b.k === 'import' ? isRelevantModule(b.module) : (b.k === 'assign' || b.k === 'with') && isInterestingValue(b.value.top.text.slice(b.value.s, b.value.e)),
          );
          if (interesting) names.push(name);
        }
      }
      if (!this.gate.setNames(names) && round > 0) break;
      let changed = false;
      for (const top of this.tops) {
        if (top.depth !== 'shallow' || top.gateVersion === this.gate.version) continue;
        top.gateVersion = this.gate.version;
        if (this.gate.isHot(top.text)) {
          this.lower(top);
          parsed += 1;
          changed = true;
        }
      }
      if (!changed) break;
    }
    return parsed;
  }

  private countShallow(): number {
    let n = 0;
    for (const top of this.tops) if (top.depth === 'shallow') n += 1;
    return n;
  }
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
