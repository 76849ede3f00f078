/**
 * Static checks in the editor: diagnostics for Python documents on open and on edit (debounced),
 * quick fixes, the type-code hover and the rule explanations their codes link to.
 *
 * The parser (WebAssembly) is loaded on the first Python document, never during activation.
 * Each open document keeps an `AnalysisDocument`, so an edit re-parses only the statements it
 * touched.
 */
import * as vscode from 'vscode';
import { Analyzer, type AnalysisDocument, type AnalysisResult, type AnalyzeOptions } from '../../core/analyze';
import { affects, setting } from '../settings';
import { RuleDocumentProvider, ruleUri } from './ruleDocuments';
import { QuickFixProvider } from './quickFixes';
import { TypeCodeHoverProvider } from './typeCodeHover';

export const DIAGNOSTIC_SOURCE = 'Parascope';
const DEBOUNCE_MS = 250;
const PYTHON: vscode.DocumentSelector = { language: 'python' };

interface Tracked {
  doc: AnalysisDocument;
  /** Document version the last result was computed for. */
  version: number;
  result: AnalysisResult | null;
}

export class AnalysisService implements vscode.Disposable {
  private analyzer: Analyzer | undefined;
  private loading: Promise<Analyzer> | undefined;
  private readonly tracked = new Map<string, Tracked>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly collection = vscode.languages.createDiagnosticCollection('parascope');
  private interpreterVersion: string | null = null;
  private readonly analyzed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were updated. */
  readonly onDidAnalyze = this.analyzed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      this.collection,
      this.analyzed,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'check.enabled') || affects(e, 'check.startMethod') || affects(e, 'check.pythonVersion')) this.reanalyzeAll();
      }),
      vscode.languages.registerCodeActionsProvider(PYTHON, new QuickFixProvider(this), { providedCodeActionKinds: QuickFixProvider.kinds }),
      vscode.languages.registerHoverProvider(PYTHON, new TypeCodeHoverProvider(this)),
      vscode.workspace.registerTextDocumentContentProvider(RuleDocumentProvider.scheme, new RuleDocumentProvider()),
    );
    // Documents already open when the extension activated: after activation, not during it.
    setTimeout(() => {
      for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    }, 0);
  }

  /**
   * The Python version of the interpreter the user selected (`3.12`), used when
   * `parascope.check.pythonVersion` is `auto`; null falls back to 3.12.
   */
  setInterpreterVersion(version: string | null): void {
    if (version === this.interpreterVersion) return;
    this.interpreterVersion = version;
    this.reanalyzeAll();
  }

  /** Analyses a document now (loading the parser if needed) and publishes its diagnostics. */
  async checkNow(document: vscode.TextDocument): Promise<AnalysisResult> {
    await this.load();
    return this.analyzeNow(document);
  }

  /** The analysis of a document's current text, if the parser is loaded (re-analysed when stale). */
  current(document: vscode.TextDocument): { doc: AnalysisDocument; result: AnalysisResult } | null {
    if (!this.analyzer || !isPython(document)) return null;
    const tracked = this.tracked.get(document.uri.toString());
    if (tracked?.result && tracked.version === document.version) return { doc: tracked.doc, result: tracked.result };
    const result = this.analyzeNow(document);
    const fresh = this.tracked.get(document.uri.toString());
    return fresh ? { doc: fresh.doc, result } : null;
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const tracked of this.tracked.values()) tracked.doc.dispose();
    this.tracked.clear();
    for (const d of this.disposables) d.dispose();
  }

  private load(): Promise<Analyzer> {
    if (this.analyzer) return Promise.resolve(this.analyzer);
    this.loading ??= Analyzer.load().then(
      (analyzer) => {
        this.analyzer = analyzer;
        return analyzer;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isPython(document) || !setting('check.enabled', document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.load().then(
        () => {
          if (!document.isClosed) this.analyzeNow(document);
        },
        (error: unknown) => this.log.error(`Parascope could not load the Python parser: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, delay);
    this.timers.set(key, timer);
  }

  private analyzeNow(document: vscode.TextDocument): AnalysisResult {
    const analyzer = this.analyzer as Analyzer;
    const key = document.uri.toString();
    let tracked = this.tracked.get(key);
    if (!tracked) {
      tracked = { doc: analyzer.open(), version: -1, result: null };
      this.tracked.set(key, tracked);
    }
    const started = Date.now();
    tracked.doc.update(document.getText());
    const result = tracked.doc.analyze(this.options(document));
    tracked.version = document.version;
    tracked.result = result;
    this.collection.set(document.uri, toDiagnostics(document, result));
    this.log.trace(`checked ${vscode.workspace.asRelativePath(document.uri)} in ${Date.now() - started} ms: ${result.findings.length} finding(s)`);
    this.analyzed.fire(document.uri);
    return result;
  }

  private options(document: vscode.TextDocument): AnalyzeOptions {
    const startMethod = setting('check.startMethod', document.uri);
    const version = setting('check.pythonVersion', document.uri);
    return {
      fileName: vscode.workspace.asRelativePath(document.uri),
      startMethod: startMethod === 'auto' ? null : startMethod,
      pythonVersion: version === 'auto' ? this.interpreterVersion : version,
      platform: process.platform,
    };
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.tracked.get(key)?.doc.dispose();
    this.tracked.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.collection.delete(uri);
  }

  private reanalyzeAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (!isPython(document)) continue;
      if (!setting('check.enabled', document.uri)) this.forget(document.uri);
      else {
        const tracked = this.tracked.get(document.uri.toString());
        if (tracked) tracked.version = -1;
        this.schedule(document, 0);
      }
    }
  }
}

/** Views of other versions of a file (diffs, SCM, chat code blocks) get no diagnostics of their own. */
const OTHER_VERSIONS = new Set(['git', 'gitfs', 'output', 'vscode-scm', 'review', 'pr', 'vscode-chat-code-block', 'conflictResolution']);

function isPython(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && !OTHER_VERSIONS.has(document.uri.scheme);
}

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  // Hints (PAR030) stay visible in the Problems view, which hides Hint-level diagnostics.
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostics(document: vscode.TextDocument, result: AnalysisResult): vscode.Diagnostic[] {
  const out = result.findings.map((f) => {
    const range = new vscode.Range(document.positionAt(f.start), document.positionAt(f.end));
    const diagnostic = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity] ?? vscode.DiagnosticSeverity.Warning);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: f.rule, target: ruleUri(f.rule) };
    return diagnostic;
  });
  for (const note of result.notes) {
    if (note.kind !== 'python2') continue;
    const line = document.lineAt(Math.min(note.line - 1, document.lineCount - 1));
    const diagnostic = new vscode.Diagnostic(line.range, note.message, vscode.DiagnosticSeverity.Information);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    out.push(diagnostic);
  }
  return out;
}
