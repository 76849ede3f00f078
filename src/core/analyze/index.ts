/**
 * The static checks (pillar B): the public, vscode-free API shared by the CLI and the editor.
 *
 *   const analyzer = await Analyzer.load();                 // loads the parser (once, lazily)
 *   const result = analyzer.analyze(text, { fileName });    // one-shot
 *   const doc = analyzer.open(); doc.update(text); doc.analyze(options);   // incremental, for editors
 *
 * Findings carry 1-based lines and columns (UTF-16 code units; `endColumn` is exclusive, as in
 * SARIF) plus document offsets and, where the change is mechanical and safe, a fix.
 */
import type { Finding } from '../report/model';
import { ParsedDocument } from './document';
import { ModuleView, type AnalyzeOptions } from './module';
import { loadPython, type PythonGrammar } from './parser';
import { ruleDoc } from './ruleDocs';
import { exceptionRule } from './rules/exceptions';
import { gilRule } from './rules/gil';
import { globalsRule } from './rules/globals';
import { mainGuardRule } from './rules/mainGuard';
import { managerRule } from './rules/managers';
import { payloadRules } from './rules/payload';
import { sharedValueRules } from './rules/sharedValues';
import type { Draft, Fix, Rule, TextEdit } from './rules/types';
import type { Span } from './syntax/ir';
import { Lowerer } from './syntax/lower';

export type { AnalyzeOptions } from './module';
export type { Fix, TextEdit } from './rules/types';
export { RULES, ruleDoc, ruleMarkdown, type RuleDoc } from './ruleDocs';
export { TYPE_CODES, typeCodeMarkdown } from './typeCodes';

/** Every rule family, in the order findings are produced (they are sorted by position after). */
const RULE_FAMILIES: readonly Rule[] = [payloadRules, mainGuardRule, exceptionRule, globalsRule, sharedValueRules, managerRule, gilRule];

/** Passes allowed for parsing statements a rule turned out to need (task functions, decorators…). */
const MAX_PASSES = 6;

export interface AnalysisFinding extends Finding {
  column: number;
  endLine: number;
  endColumn: number;
  /** Offsets in the analysed text. */
  start: number;
  end: number;
  fix?: Fix;
}

/** Something about the file itself rather than a finding: Python 2 code, a syntax error. */
export interface AnalysisNote {
  kind: 'python2' | 'syntax';
  message: string;
  line: number;
  column: number;
}

/** A `Value`/`Array` type code literal (for the hover). */
export interface TypeCodeSpan {
  start: number;
  end: number;
  code: string;
}

export interface AnalysisResult {
  findings: AnalysisFinding[];
  notes: AnalysisNote[];
  typeCodes: TypeCodeSpan[];
  /** The start method assumed for the file, and where it came from. */
  startMethod: { method: 'fork' | 'spawn' | 'forkserver'; source: 'file' | 'setting' | 'default' };
  /** Statements parsed so far and statements in the file (the rest were never needed). */
  parsed: { deep: number; total: number };
}

export class Analyzer {
  private readonly lowerer: Lowerer;

  private constructor(private readonly grammar: PythonGrammar) {
    this.lowerer = new Lowerer(grammar.language);
  }

  /** Loads the Python parser (WebAssembly) on first use; later calls share it. */
  static async load(): Promise<Analyzer> {
    return new Analyzer(await loadPython());
  }

  /** A document to keep across edits (`update` then `analyze`). */
  open(text?: string): AnalysisDocument {
    const doc = new AnalysisDocument(new ParsedDocument(this.grammar, this.lowerer));
    if (text !== undefined) doc.update(text);
    return doc;
  }

  /** Analyses a text once. */
  analyze(text: string, options: AnalyzeOptions = {}): AnalysisResult {
    const doc = this.open(text);
    try {
      return doc.analyze(options);
    } finally {
      doc.dispose();
    }
  }
}

/** Convenience for one-off checks: loads the parser if needed and analyses `text`. */
export async function analyze(text: string, options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  return (await Analyzer.load()).analyze(text, options);
}

export class AnalysisDocument {
  private last: AnalysisResult | null = null;

  constructor(private readonly doc: ParsedDocument) {}

  /** Brings the document to `text`; only statements whose text changed are parsed again. */
  update(text: string): void {
    this.doc.update(text);
    this.last = null;
  }

  get text(): string {
    return this.doc.source;
  }

  /** What the last update parsed (statements parsed, shallow ones left). */
  get updateStats(): { statements: number; parsed: number; shallow: number } {
    return this.doc.stats;
  }

  /** Runs every rule on the current text. */
  analyze(options: AnalyzeOptions = {}): AnalysisResult {
    let view = new ModuleView(this.doc, options);
    let drafts: Draft[] = [];
    let typeCodes: TypeCodeSpan[] = [];
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      if (pass > 0) view = new ModuleView(this.doc, options);
      const python2 = this.python2();
      if (python2) {
        this.last = this.result([], [], [python2], view);
        return this.last;
      }
      drafts = [];
      typeCodes = [];
      const ctx = {
        view,
        report: (draft: Draft) => drafts.push(draft),
        typeCode: (at: Span, code: string) => typeCodes.push({ start: at.top.base + at.s, end: at.top.base + at.e, code }),
      };
      for (const rule of RULE_FAMILIES) rule(ctx);
      if (view.needs.size === 0) break;
      for (const top of view.needs) this.doc.deepen(top);
    }
    this.last = this.result(drafts, typeCodes, this.syntaxNotes(), view);
    return this.last;
  }

  /** The type code literal at an offset, from the last analysis. */
  typeCodeAt(offset: number): TypeCodeSpan | null {
    return this.last?.typeCodes.find((t) => t.start <= offset && offset <= t.end) ?? null;
  }

  /** 0-based line and column of an offset. */
  positionAt(offset: number): { line: number; column: number } {
    return this.doc.position(offset);
  }

  /** Offset of a 0-based line and column. */
  offsetAt(line: number, column: number): number {
    return this.doc.offsetAt(line, column);
  }

  dispose(): void {
    this.doc.dispose();
  }

  private python2(): AnalysisNote | null {
    for (const top of this.doc.statements) {
      if (!top.python2) continue;
      const at = this.doc.position(top.base + top.python2.offset);
      return {
        kind: 'python2',
        message: `This looks like Python 2 code (${top.python2.what} on line ${at.line + 1}); Parascope checks Python 3 code only.`,
        line: at.line + 1,
        column: at.column + 1,
      };
    }
    return null;
  }

  private syntaxNotes(): AnalysisNote[] {
    for (const top of this.doc.statements) {
      if (top.syntaxError === null) continue;
      const at = this.doc.position(top.base + top.syntaxError);
      return [{
        kind: 'syntax',
        message: `Syntax error on line ${at.line + 1}; the checks use what parses around it.`,
        line: at.line + 1,
        column: at.column + 1,
      }];
    }
    return [];
  }

  private result(drafts: Draft[], typeCodes: TypeCodeSpan[], notes: AnalysisNote[], view: ModuleView): AnalysisResult {
    const file = view.options.fileName ?? '<text>';
    const findings = drafts.map((draft) => this.finding(draft, file));
    findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
    let deep = 0;
    for (const top of this.doc.statements) if (top.depth === 'deep') deep += 1;
    return {
      findings,
      notes,
      typeCodes,
      startMethod: view.fileStartMethod(),
      parsed: { deep, total: this.doc.statements.length },
    };
  }

  private finding(draft: Draft, file: string): AnalysisFinding {
    const start = draft.at.top.base + draft.at.s;
    const end = draft.at.top.base + draft.at.e;
    const from = this.doc.position(start);
    const to = this.doc.position(end);
    const finding: AnalysisFinding = {
      rule: draft.rule,
      severity: draft.severity ?? ruleDoc(draft.rule)?.severity ?? 'warning',
      message: draft.message,
      file,
      line: from.line + 1,
      column: from.column + 1,
      endLine: to.line + 1,
      endColumn: to.column + 1,
      start,
      end,
      source: 'static',
    };
    if (draft.fix) finding.fix = draft.fix;
    return finding;
  }
}

/** Applies a fix's edits to a text (last edit first, so offsets stay valid). */
export function applyFix(text: string, fix: Fix): string {
  const edits: TextEdit[] = [...fix.edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
