/**
 * One run at a time from the editor: resolve the interpreter, start the workload under the
 * harness, stream it into a terminal and the panel, show progress with Cancel and live cores in
 * the status bar, then the report. Runtime findings (payloads that failed to pickle, hung pools)
 * become diagnostics at the user's submitting line.
 *
 * Lifecycle: idle → starting → running → (stopping) → idle. `stop()` ends the whole process
 * tree (the core's cancel: SIGINT, SIGTERM, SIGKILL, including workers that left the group) and
 * resolves when nothing is left; `dispose()` does the same when the extension shuts down.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { startRun, type RunHandle } from '../../core/run/run';
import { describeError, UserFacingError } from '../../core/errors';
import type { Finding, Report } from '../../core/report/model';
import { formatSummary, outcome } from '../../core/report/summary';
import type { UtilizationPanel } from '../../panel/panel';
import { setting } from '../settings';
import { chooseInterpreter } from './interpreterChoice';
import { describeChoice, type PoolChoice } from './poolPicker';
import { RunStatusBar } from './statusBar';
import { RunTerminal } from './terminal';

export interface RunTarget {
  script: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  /** What the user picked it from ("profile 'bench'", or the file name). */
  label: string;
}

interface ActiveRun {
  handle: RunHandle;
  terminal: RunTerminal;
  stopRequested: boolean;
}

export class RunController implements vscode.Disposable {
  private active: ActiveRun | undefined;
  private starting = false;
  private readonly statusBar = new RunStatusBar();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('parascope-runtime');
  private readonly terminals: RunTerminal[] = [];
  private readonly didFinish = new vscode.EventEmitter<Report>();
  /** Fires with each finished run's report (also cancelled and failed runs). */
  readonly onDidFinishRun = this.didFinish.event;

  constructor(
    private readonly panel: UtilizationPanel,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get running(): boolean {
    return this.active !== undefined || this.starting;
  }

  /** The pid of the workload's main process while a run is live (tests check the tree is gone). */
  get livePid(): number | undefined {
    return this.active?.handle.pid;
  }

  async start(target: RunTarget, pool: PoolChoice, resource: vscode.Uri | undefined): Promise<Report | undefined> {
    if (this.running) {
      const choice = await vscode.window.showWarningMessage(
        'Parascope is already running a script. Stop it and start this one?', { modal: true }, 'Stop and Run');
      if (choice !== 'Stop and Run') return undefined;
      await this.stop();
    }
    this.starting = true;
    try {
      const interpreter = await chooseInterpreter(resource);
      const terminal = new RunTerminal(`Parascope: ${basename(target.script)}`, () => void this.stop());
      this.terminals.push(terminal);
      terminal.note(`Parascope: running ${target.label} with ${describeChoice(pool)} — Python from ${interpreter.source}. Ctrl+C stops the run.`);
      let handle: RunHandle;
      try {
        handle = await startRun(
          {
            script: target.script, args: target.args, cwd: target.cwd, env: target.env, python: interpreter.path,
            pool: { kind: pool.kind, workers: pool.workers, startMethod: pool.startMethod, chunksize: pool.chunksize },
            intervalMs: setting('sampling.intervalMs', resource), hangGraceSeconds: setting('run.hangGraceSeconds', resource),
          },
          {
            onStarted: (header) => {
              this.panel.post({ type: 'runStarted', header });
              this.statusBar.running(basename(target.script), null, header.usableCpus);
            },
            onOutput: (data, stream) => terminal.output(data, stream),
            onSamples: (batch) => {
              const runId = this.active?.handle.runId ?? this.panel.store.liveRunId;
              if (!runId) return;
              this.panel.post({ type: 'runSamples', runId, batch });
              const last = batch.coresUsed[batch.coresUsed.length - 1];
              if (last !== undefined) this.statusBar.running(basename(target.script), last, this.panel.store.snapshot().live?.header.usableCpus ?? 0);
            },
            onTasks: (workers, tasks) => {
              const runId = this.active?.handle.runId ?? this.panel.store.liveRunId;
              if (runId) this.panel.post({ type: 'runTasks', runId, workers, tasks });
            },
          },
        );
      } catch (error) {
        terminal.finish(`Parascope: the run could not start — ${describeError(error)}`);
        void this.explainStartFailure(error, interpreter.source);
        return undefined;
      }
      terminal.attach({
        write: (text) => handle.write(text),
        endInput: () => handle.endInput(),
        interrupt: () => void this.stop(),
      });
      terminal.show();
      this.active = { handle, terminal, stopRequested: false };
      this.starting = false;
      void this.panel.show(true);
      return await this.follow(this.active, target);
    } finally {
      this.starting = false;
    }
  }

  /** Progress with Cancel while the run lasts; then the report everywhere it belongs. */
  private async follow(run: ActiveRun, target: RunTarget): Promise<Report> {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Parascope: running ${basename(target.script)}`, cancellable: true },
      async (_progress, token) => {
        const cancel = token.onCancellationRequested(() => void this.stop());
        try {
          return await run.handle.done;
        } finally {
          cancel.dispose();
        }
      },
    );
    if (this.active === run) this.active = undefined;
    this.panel.post({ type: 'runFinished', runId: run.handle.runId, report });
    this.publishFindings(report);
    const summary = formatSummary(report, { cwd: target.cwd });
    this.log.info(summary);
    run.terminal.finish(`Parascope: ${basename(target.script)} ${outcome(report)} — ${report.coresUsed.toFixed(2)} cores used of ${report.usableCpus}.`);
    const problems = report.metrics.verdicts.filter((v) => v.level === 'problem' || v.level === 'warning');
    this.statusBar.finished(
      `${report.coresUsed.toFixed(1)}/${report.usableCpus} cores`,
      `Parascope: last run ${outcome(report)}.\n${problems.map((v) => `${v.title}: ${v.detail}`).join('\n') || 'No problems found.'}\nClick to show the panel.`,
      problems.some((v) => v.level === 'problem'),
    );
    this.didFinish.fire(report);
    if (!run.stopRequested) void this.announce(report);
    return report;
  }

  private async announce(report: Report): Promise<void> {
    const headline = report.metrics.verdicts.find((v) => v.level === 'problem') ?? report.metrics.verdicts.find((v) => v.level === 'warning');
    const text = `Parascope: ${basename(report.script)} ${outcome(report)} — ${report.coresUsed.toFixed(2)} cores used of ${report.usableCpus}` +
      (headline ? `. ${headline.title}: ${headline.detail}` : '.');
    const show = report.exitCode === 0 && !headline ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    if ((await show(text, 'Show Panel')) === 'Show Panel') await this.panel.show();
  }

  private publishFindings(report: Report): void {
    this.diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const finding of report.findings.filter((f) => f.source === 'runtime' && f.file && f.line > 0)) {
      const list = byFile.get(finding.file) ?? [];
      list.push(toDiagnostic(finding));
      byFile.set(finding.file, list);
    }
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.file(file), list);
  }

  private async explainStartFailure(error: unknown, source: string): Promise<void> {
    const message = error instanceof UserFacingError ? describeError(error) : `Parascope could not start the run: ${describeError(error)}`;
    if (!(error instanceof UserFacingError)) this.log.error(error instanceof Error ? error.stack ?? error.message : String(error));
    const interpreterProblem = /python|interpreter/i.test(message);
    const action = interpreterProblem ? 'Open Settings' : undefined;
    const picked = await vscode.window.showErrorMessage(`${message}${interpreterProblem ? ` (Python from ${source}.)` : ''}`, ...(action ? [action] : []));
    if (picked === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'parascope.python.interpreterPath');
  }

  /** Ends the whole process tree of the live run; resolves when nothing of it is left. */
  async stop(): Promise<boolean> {
    const run = this.active;
    if (!run) return false;
    run.stopRequested = true;
    run.terminal.note('Parascope: stopping the run…');
    await run.handle.cancel();
    await run.handle.done;
    return true;
  }

  dispose(): void {
    const run = this.active;
    if (run) void run.handle.cancel();
    this.statusBar.dispose();
    this.diagnostics.dispose();
    this.didFinish.dispose();
    for (const terminal of this.terminals) terminal.dispose();
  }
}

function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const line = Math.max(0, finding.line - 1);
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
    `${finding.message}${finding.path ? ` (at ${finding.path}${finding.type ? `, a ${finding.type}` : ''})` : ''} — seen at run time`,
    finding.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'Parascope (run)';
  diagnostic.code = finding.rule;
  return diagnostic;
}
