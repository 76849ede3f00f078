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
import { Gate, isInterestingValue, isRelevantImport, shallowTop } from './syntax/gate';

export interface UpdateStats {
  statements: number;
  /** Statements parsed and lowered by this update (the rest came from the cache or stayed shallow). */
  parsed: number;
  shallow: number;
}

export class ParsedDocument {
  private text = '';
  private tops: Top[] = [];
  /** Offsets where lines start (computed when a position is first asked for). */
  private lineStarts: number[] | null = [0];
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
    const old = this.text;
    const oldTops = this.tops;
    // Only the statements around the change are split again: from the one before the change to
    // the first untouched statement start after it.
    let prefix = 0;
    let suffix = 0;
    let first = 0;
    if (oldTops.length) {
      [prefix, suffix] = commonEnds(old, text);
      first = Math.max(0, slotAt(oldTops, prefix) - 1);
    }
    const delta = text.length - old.length;
    const oldEnd = old.length - suffix;
    const newEnd = text.length - suffix;
    let resume = oldTops.length;
    for (let k = first + 1; k < oldTops.length; k += 1) {
      if (oldTops[k].base >= oldEnd) {
        resume = k;
        break;
      }
    }
    const shifted = new Map<number, number>();
    for (let k = resume; k < oldTops.length; k += 1) shifted.set(oldTops[k].base + delta, k);
    const from = first === 0 ? 0 : oldTops[first].base;
    const slices = splitStatements(text, from, (start) => start >= newEnd && shifted.has(start));
    const tail = slices.stoppedAt === undefined ? oldTops.length : (shifted.get(slices.stoppedAt) as number);

    const cache = new Map<string, Top[]>();
    for (let k = first; k < tail; k += 1) {
      const top = oldTops[k];
      const list = cache.get(top.text);
      if (list) list.push(top);
      else cache.set(top.text, [top]);
    }
    let parsed = 0;
    const middle: Top[] = [];
    for (const slice of slices) {
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
      middle.push(top);
    }
    const after = oldTops.slice(tail);
    for (const top of after) top.base += delta;
    const kept = new Set(middle);
    for (let k = first; k < tail; k += 1) if (!kept.has(oldTops[k])) this.unbind(oldTops[k]);
    const had = new Set(oldTops.slice(first, tail));
    for (const top of middle) if (!had.has(top)) this.bind(top);
    this.tops = [...oldTops.slice(0, first), ...middle, ...after];
    this.text = text;
    this.lineStarts = null;
    parsed += this.refreshGate();
    this.stats = { statements: this.tops.length, parsed, shallow: this.countShallow() };
  }

  /** Parses and lowers a shallow statement (a rule needs what is inside it). */
  deepen(top: Top): void {
    if (top.depth === 'shallow') this.lower(top);
  }

  /** 0-based line and column (UTF-16) of an offset in the current text. */
  position(offset: number): { line: number; column: number } {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
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
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    const start = starts[Math.min(Math.max(line, 0), starts.length - 1)];
    return Math.min(start + column, this.text.length);
  }

  dispose(): void {
    this.tops = [];
    this.bound.clear();
    this.moduleScope.bindings.clear();
  }

  private lower(top: Top): void {
    const tree = this.grammar.parse(top.text);
    const listed = this.bound.has(top);
    if (listed) this.unbind(top);
    try {
      this.lowerer.lowerInto(top, tree, this.moduleScope);
    } finally {
      tree.delete();
      if (listed) this.bind(top);
    }
  }

  /** Statements whose module-level bindings are in `moduleScope.bindings`. */
  private readonly bound = new Set<Top>();

  /** Adds a statement's module-level bindings to the module scope (kept up to date across edits). */
  private bind(top: Top): void {
    const merged = this.moduleScope.bindings;
    for (const [name, bindings] of top.moduleBindings) {
      const list = merged.get(name);
      if (list) list.push(...bindings);
      else merged.set(name, bindings.slice());
    }
    this.bound.add(top);
  }

  private unbind(top: Top): void {
    const merged = this.moduleScope.bindings;
    for (const [name, bindings] of top.moduleBindings) {
      const list = merged.get(name);
      if (!list) continue;
      const rest = list.filter((b) => !bindings.includes(b));
      if (rest.length) merged.set(name, rest);
      else merged.delete(name);
    }
    this.bound.delete(top);
  }

  /**
   * Names bound at module level to something parallel (a pool, a lock, a lambda, an alias of
   * multiprocessing…) make the statements that use them worth parsing too.
   */
  private refreshGate(): number {
    let parsed = 0;
    for (let round = 0; round < 4; round += 1) {
      const names: string[] = [];
      for (const top of this.tops) if (top.depth === 'deep') for (const name of gateNames(top)) names.push(name);
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

/**
 * Module-level names a parsed statement binds to something parallel (an alias of
 * multiprocessing, a pool, a lock, a lambda…); computed once per statement.
 */
const gateNamesCache = new WeakMap<Top, string[]>();

function gateNames(top: Top): string[] {
  let names = gateNamesCache.get(top);
  if (names) return names;
  names = [];
  for (const [name, bindings] of top.moduleBindings) {
    const interesting = bindings.some((b) =>
      b.k === 'import' ? isRelevantImport(b.module, b.name) : (b.k === 'assign' || b.k === 'with') && isInterestingValue(b.value.top.text.slice(b.value.s, b.value.e)),
    );
    if (interesting) names.push(name);
  }
  gateNamesCache.set(top, names);
  return names;
}

/** Lengths of the common prefix and suffix of two texts (compared a block at a time, then by character). */
function commonEnds(a: string, b: string): [number, number] {
  const max = Math.min(a.length, b.length);
  const BLOCK = 512;
  let prefix = 0;
  while (prefix + BLOCK <= max && a.slice(prefix, prefix + BLOCK) === b.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix += 1;
  let suffix = 0;
  const room = max - prefix;
  while (suffix + BLOCK <= room && a.slice(a.length - suffix - BLOCK, a.length - suffix) === b.slice(b.length - suffix - BLOCK, b.length - suffix)) suffix += BLOCK;
  while (suffix < room && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix += 1;
  return [prefix, suffix];
}

/** Index of the statement starting at or before `offset` (0 when none does). */
function slotAt(tops: readonly Top[], offset: number): number {
  let lo = 0;
  let hi = tops.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid].base <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
